r"""Characters that hide a number from a pattern while a reader still sees it (issue #11).

The privacy screen (:mod:`.privacy`) looks for ASCII digits with a few separators between
them. Text typed, pasted or generated elsewhere can show the same number to a reader in other
code points. Before any pattern is matched, :func:`fold_text` turns every cell into the form
the patterns expect, and that form is what is stored:

* **Invisible characters are removed.** Format characters (category Cf: soft hyphen U+00AD,
  zero-width space and marks U+200B–U+200F, bidi controls U+202A–U+202E and U+2066–U+206F,
  word joiner and invisible operators U+2060–U+2064, byte-order mark U+FEFF, Mongolian vowel
  separator U+180E, tag characters U+E0001–U+E007F, which can spell out hidden ASCII) and the
  other default-ignorable characters (combining grapheme joiner U+034F, Hangul fillers,
  U+E0000–U+E0FFF). They show nothing, so removing them changes nothing a reader sees, and a
  number split by them (``139\u00ad0002\u00ad8002``) is matched whole. Two are kept where a
  script or an emoji needs them: the zero-width joiner and non-joiner (U+200D, U+200C) between
  two characters that are neither ASCII, Han, CJK or general punctuation nor full-width forms
  (``👨‍👩‍👧``, Persian or Indic text); between digits, letters or Han characters they go.
  Variation selectors stay, except after a digit.
* **Marks on a digit are removed.** Combining marks and variation selectors right after a
  digit (the keycap ``1️⃣`` is ``1`` U+FE0F U+20E3) leave the digit.
* **Look-alike digits and letters become ASCII.** Full-width digits, letters and ``＠``
  (``１３８``, ``ｑｑ``), the small ``﹫``, mathematical and letter-like alphanumerics
  (``𝟏𝟑𝟖``, ``ℎ``) and the decimal digits of every other script (``١٣٨``, ``१३८``) are folded as
  NFKC would fold them. Nothing else is: full-width punctuation (``，：（）``), circled and
  parenthesised numbers (``①``, ``⑴``), superscripts and Roman numerals stay as written, so
  Chinese text keeps its punctuation and list markers.

The same folding applies to names (:mod:`.names`), where the ignorable characters
(:data:`IGNORABLE`) are also skipped between the characters of a name.

Example:
    >>> fold_text("电话１３９\u00ad0002\u20608002，ＱＱ：𝟏𝟐𝟑")
    '电话13900028002，QQ：123'
    >>> fold_text("①号楼，（一）") == "①号楼，（一）"
    True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pyarrow as pa

from hotline.ingestion.values import only_where

__all__ = [
    "DIGIT_ZEROS",
    "FOLD_SCREEN",
    "IGNORABLE",
    "INVISIBLE_RANGES",
    "fold_cells",
    "fold_lookalikes",
    "fold_text",
    "strip_invisible",
]

#: Default-ignorable code points (Unicode's Default_Ignorable_Code_Point, which holds every
#: format character but the visible Arabic number signs) and those signs too (category Cf):
#: inclusive ranges. Variation selectors (U+180B–U+180D, U+180F, U+FE00–U+FE0F,
#: U+E0100–U+E01EF) are listed apart (:data:`_SELECTOR_RANGES`): they stay unless after a digit.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE00FF),
    (0xE01F0, 0xE0FFF),
)
_SELECTOR_RANGES = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
# Combining marks that sit on a digit: diacritics, enclosing keycaps and circles, half marks.
_MARK_RANGES = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                (0xFE20, 0xFE2F))  # fmt: skip
_JOINERS = "\u200c\u200d"

#: The zero of each run of ten decimal digits other than ASCII (category Nd; Unicode 14).
DIGIT_ZEROS: tuple[int, ...] = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip
# Letters and digits NFKC folds by width or font only: full-width forms, small @, letter-like
# symbols and mathematical alphanumerics.
_LETTER_RANGES = ((0xFF20, 0xFF3A), (0xFF41, 0xFF5A), (0xFE6B, 0xFE6B), (0x2100, 0x214F),
                  (0x1D400, 0x1D7FF))  # fmt: skip


def _re2_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)


def _py_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(
        re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b))) for a, b in ranges
    )


_DIGIT_RANGES = tuple((z, z + 9) for z in DIGIT_ZEROS)

#: A regular-expression class (Python ``re`` syntax, without brackets) of every character that
#: shows nothing: invisible ones, joiners and variation selectors.
IGNORABLE = _py_class(INVISIBLE_RANGES + _SELECTOR_RANGES)

#: Cells :func:`fold_lookalikes` changes (RE2): an invisible character or joiner, a mark or
#: selector on a digit, a look-alike letter or digit.
FOLD_SCREEN = (
    f"[{_re2_class(INVISIBLE_RANGES)}]"
    f"|[0-9][{_re2_class(_MARK_RANGES + _SELECTOR_RANGES)}]"
    f"|[{_re2_class(_DIGIT_RANGES + _LETTER_RANGES)}]"
)

# The joiners U+200C and U+200D are removed apart (below): where they are not needed.
_NOT_JOINERS = tuple(
    part
    for start, end in INVISIBLE_RANGES
    for part in (((start, 0x200B), (0x200E, end)) if start <= 0x200C <= end else ((start, end),))
)
_INVISIBLE = re.compile(f"[{_py_class(_NOT_JOINERS)}]+")
_ON_DIGIT = re.compile(f"(?<=[0-9])[{_py_class(_MARK_RANGES + _SELECTOR_RANGES)}]+")
# A joiner stays only between two characters of scripts or emoji that use it.
_NO_JOIN = (
    r"\x00-\u02ff\u2000-\u206f\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff"
    r"\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_STRAY_JOINER = re.compile(
    f"^[{_JOINERS}]+|[{_JOINERS}]+$|(?<=[{_NO_JOIN}])[{_JOINERS}]+|[{_JOINERS}]+(?=[{_NO_JOIN}])"
)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for zero in DIGIT_ZEROS:
        for value in range(10):
            table[zero + value] = str(value)
    for start, end in _LETTER_RANGES:
        for code in range(start, end + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded.isascii() and (folded.isalnum() or folded == "@"):
                table[code] = folded
    return table


def strip_invisible(text: str) -> str:
    r"""``text`` without its invisible characters (joiners kept where needed), nothing folded.

    Example:
        >>> strip_invisible("１３９\u00ad０００２")
        '１３９０００２'
    """
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINER.sub("", text)
    return text


def fold_text(text: str) -> str:
    r"""``text`` without invisible characters and with look-alike letters and digits in ASCII.

    See the module docstring for what is removed and folded, and what is kept.

    Example:
        >>> fold_text("王\u00ad建国 1\ufe0f\u20e33\ufe0f\u20e39\ufe0f\u20e3 ｗｘ")
        '王建国 139 wx'
        >>> fold_text("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"
        True
    """
    if text.isascii():
        return text
    text = text.translate(_fold_table())
    text = _INVISIBLE.sub("", text)  # joiners apart, below
    text = _ON_DIGIT.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINER.sub("", text)
    return text


def fold_cells(values: pa.Array) -> pa.Array:
    """:func:`fold_text` on every cell of ``values``.

    Example:
        >>> fold_cells(pa.array(["１３８", None])).to_pylist()
        ['138', None]
    """
    return pa.array([None if t is None else fold_text(t) for t in values.to_pylist()], pa.string())


def fold_lookalikes(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`fold_text` on a column: only the cells :data:`FOLD_SCREEN` finds are rewritten.

    Example:
        >>> fold_lookalikes(pa.array(["１３８", "abc", None, "a\u2060b"])).to_pylist()
        ['138', 'abc', None, 'ab']
    """
    return only_where(values, FOLD_SCREEN, fold_cells)
