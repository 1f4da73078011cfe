"""Vectorised parsing of export cells: ids, free text, vocabularies, numbers (dates: :mod:`.dates`).

Every parser works on a whole Arrow column at once (RE2 regular expressions and NumPy arithmetic,
no Python loop per cell) and returns, next to the parsed values, a mask of the cells it could not
understand. Nothing unparseable silently becomes missing: the caller counts and reports the mask.

Example:
    >>> import pyarrow as pa
    >>> ids, lost = normalize_ids(pa.array(["ＴＬ２０２１", "1.2E+07", ""]))
    >>> ids.to_pylist(), lost.tolist()
    (['TL2021', '1.2E+07', None], [False, True, False])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "MOJIBAKE",
    "NON_BLANK",
    "TIDY_SCREEN",
    "clean_label",
    "clean_text",
    "empty_to_null",
    "looks_mojibake",
    "map_vocabulary",
    "normalize_ids",
    "on_distinct",
    "only_where",
    "parse_ints",
    "parse_workdays",
    "phrase_codes",
    "replace_in_chunks",
    "replace_rows",
]

#: A character that is not whitespace, Unicode spaces included (RE2's ``\S`` is ASCII-only).
NON_BLANK = r"[^\s\x{00a0}\x{1680}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}\x{feff}]"


def replace_rows(
    values: pa.Array | pa.ChunkedArray, mask: np.ndarray, replacements: pa.Array
) -> pa.Array | pa.ChunkedArray:
    """``values`` with the rows where ``mask`` is true replaced, in order, by ``replacements``.

    Each chunk with a replaced row is rebuilt by one ``take`` from the chunk followed by its
    replacements (eight times faster than Arrow's ``replace_with_mask`` on long text); chunks
    without one are kept as they are.

    Example:
        >>> replace_rows(pa.array(["a", "b", "c"]), np.array([False, True, True]),
        ...              pa.array(["B", "C"])).to_pylist()
        ['a', 'B', 'C']
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    replace_in_chunks(chunks, mask, replacements)
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array(chunks, type=values.type)
    return chunks[0]


def replace_in_chunks(chunks: list[pa.Array], mask: np.ndarray, replacements: pa.Array) -> None:
    """:func:`replace_rows` on a list of chunks, each replaced in the list as it is rebuilt.

    When the list holds the only reference to a chunk, the chunk is freed once its copy is
    made, so the next copy reuses its memory.

    Example:
        >>> chunks = [pa.array(["a", "b"]), pa.array(["c"])]
        >>> replace_in_chunks(chunks, np.array([False, True, True]), pa.array(["B", "C"]))
        >>> [c.to_pylist() for c in chunks]
        [['a', 'B'], ['C']]
    """
    if isinstance(replacements, pa.ChunkedArray):
        replacements = replacements.combine_chunks()
    start = used = 0
    for index in range(len(chunks)):
        n = len(chunks[index])
        hits = int(mask[start : start + n].sum())
        if hits:
            part, slice_ = mask[start : start + n], replacements.slice(used, hits)
            chunks[index] = _replace_in_chunk(chunks[index], part, slice_.cast(chunks[index].type))
        start, used = start + n, used + hits


def _replace_in_chunk(chunk: pa.Array, mask: np.ndarray, replacements: pa.Array) -> pa.Array:
    n = len(chunk)
    positions = np.arange(n, dtype=np.int64)
    positions[mask] = n + np.arange(len(replacements), dtype=np.int64)
    return pa.concat_arrays([chunk, replacements]).take(pa.array(positions))


def only_where(
    values: pa.Array | pa.ChunkedArray, pattern: str, change: Callable[[pa.Array], pa.Array]
) -> pa.Array | pa.ChunkedArray:
    """Apply ``change`` to the cells matching ``pattern`` only (most cells need nothing).

    Example:
        >>> only_where(pa.array(["a1", "b", None]), r"[0-9]", pc.utf8_upper).to_pylist()
        ['A1', 'b', None]
    """
    hits = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    mask = hits.to_numpy(zero_copy_only=False)
    if not mask.any():
        return values
    return replace_rows(values, mask, change(pc.filter(values, hits)))


# --- ids, numbers -----------------------------------------------------------------------------

_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE][+-]?[0-9]+$"


def normalize_ids(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """NFKC-fold and strip ids (spaces, zero-width characters, Excel's ``="…"`` and ``'``).

    Ids Excel turned into scientific notation are flagged: their digits are lost.

    Returns:
        The ids (null when empty) and a mask of ids whose digits are lost (``1.2E+07``).

    Example:
        >>> ids, lost = normalize_ids(pa.array(["ＴＬ２０２１\u3000", " 123 ", "1.2E+07", ""]))
        >>> ids.to_pylist(), lost.tolist()
        (['TL2021', '123', '1.2E+07', None], [False, False, True, False])
    """
    folded = only_where(pc.cast(values, pa.string()), r"[^\x00-\x7f]|\s|^=|^'", _fold_id)
    folded = empty_to_null(folded)
    lost = pc.fill_null(pc.match_substring_regex(folded, _SCIENTIFIC), False)
    return folded, lost.to_numpy(zero_copy_only=False)


def _fold_id(values: pa.Array) -> pa.Array:
    folded = pc.utf8_normalize(values, form="NFKC")
    folded = pc.replace_substring_regex(folded, r"[\s\x{200b}-\x{200d}\x{2060}\x{feff}]+", "")
    # Excel's ways of keeping leading zeros in a CSV: ="00123" and '00123
    folded = pc.replace_substring_regex(folded, r'^="(.*)"$', r"\1")
    return pc.replace_substring_regex(folded, r"^'", "")


def parse_ints(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Leading whole number of each cell (``3``, ``3次``, ``３``); others are unparseable.

    Example:
        >>> counts, bad = parse_ints(pa.array(["3次", "", "两次"]))
        >>> counts.to_pylist(), bad.tolist()
        ([3, None, None], [False, False, True])
    """
    folded = pc.utf8_normalize(pc.cast(values, pa.string()), form="NFKC")
    digits = pc.struct_field(pc.extract_regex(folded, r"^\s*(?P<n>\d{1,9})"), "n")
    present = pc.fill_null(pc.match_substring_regex(folded, NON_BLANK), False)
    parsed = pc.cast(digits, pa.int32())
    bad = pc.and_(present, pc.is_null(parsed))
    return parsed, bad.to_numpy(zero_copy_only=False)


def parse_workdays(values: pa.Array) -> pa.Array:
    """Number of working days in cells like ``5个工作日`` (null elsewhere).

    Example:
        >>> parse_workdays(pa.array(["5个工作日", "2021-03-10", "15 工作日"])).to_pylist()
        [5, None, 15]
    """
    values = pc.cast(values, pa.string())
    mentions = pc.fill_null(pc.match_substring(values, "工作日"), False)
    days = pa.nulls(len(values), pa.int32())
    if not pc.any(mentions).as_py():  # the usual case: a date column, nothing to read here
        return days
    folded = pc.utf8_normalize(pc.filter(values, mentions), form="NFKC")
    pattern = r"^\s*(?P<n>\d{1,3})\s*个?\s*工作日\s*$"
    found = pc.cast(pc.struct_field(pc.extract_regex(folded, pattern), "n"), pa.int32())
    return replace_rows(days, mentions.to_numpy(zero_copy_only=False), found)


# --- text -------------------------------------------------------------------------------------

_ODD_SPACES = r"[\x{00a0}\x{1680}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}\x{feff}\t\f\v]+"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _fold_fullwidth_digits(values: pa.Array) -> pa.Array:
    return pa.array(
        [None if s is None else s.translate(_FULLWIDTH_DIGITS) for s in values.to_pylist()],
        pa.string(),
    )


def _tidy(values: pa.Array) -> pa.Array:
    values = pc.replace_substring_regex(values, _ODD_SPACES, " ")
    values = pc.replace_substring_regex(values, r" *\r?\n\s*", "\n")
    values = pc.replace_substring_regex(values, r" {2,}", " ")
    values = only_where(values, r"[０-９]", _fold_fullwidth_digits)
    return empty_to_null(pc.utf8_trim_whitespace(values))


#: Cells that :func:`clean_text` changes: odd or doubled spaces, line breaks, full-width digits,
#: leading or trailing space. Everything else passes through without a copy.
TIDY_SCREEN = _ODD_SPACES + r"|\r|\n| {2}|[０-９]|^\s|\s$"


def empty_to_null(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Empty strings become missing (a cheap length check first: usually there are none).

    Example:
        >>> empty_to_null(pa.array(["a", ""])).to_pylist()
        ['a', None]
    """
    empty = pc.equal(pc.binary_length(values), 0)
    if not pc.any(empty).as_py():
        return values
    return pc.if_else(empty, pa.scalar(None, values.type), values)


def clean_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    r"""Tidy free text: odd spaces become plain ones, blank lines go, full-width digits fold.

    Full-width digits are folded so that a phone number typed as ``１３８…`` is scrubbed like
    any other; other full-width punctuation is left as written. One screening pass
    (:data:`TIDY_SCREEN`) finds the cells that need any of this; only those are rewritten.

    Example:
        >>> clean_text(pa.array(["\n\t\t留言\u3000详情 \r\n\n 电话１３８", "  ", "ok"])).to_pylist()
        ['留言 详情\n电话138', None, 'ok']
    """
    return empty_to_null(only_where(pc.cast(values, pa.string()), TIDY_SCREEN, _tidy))


def on_distinct(
    values: pa.Array | pa.ChunkedArray, change: Callable[[pa.Array], pa.Array]
) -> pa.Array:
    """Apply ``change`` once per distinct value: labels repeat, so this is much cheaper.

    Example:
        >>> on_distinct(pa.array(["a", "b", "a", None]), pc.utf8_upper).to_pylist()
        ['A', 'B', 'A', None]
    """
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    return pc.take(change(encoded.dictionary), encoded.indices)


def _tidy_label(values: pa.Array) -> pa.Array:
    text = pc.utf8_normalize(pc.cast(values, pa.string()), form="NFKC")
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"\s+", " "))
    return pc.if_else(pc.equal(text, ""), None, text)


def clean_label(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Tidy a short label (town, department, topic): NFKC, single spaces, trimmed.

    NFKC makes ``县住建局（城建）`` and ``县住建局(城建)`` one department. Labels repeat, so the
    work is done once per distinct value.

    Example:
        >>> clean_label(pa.array(["县住建局（城建）\u3000", "  "])).to_pylist()
        ['县住建局(城建)', None]
    """
    return on_distinct(pc.cast(values, pa.string()), _tidy_label)


# --- mojibake ---------------------------------------------------------------------------------

# UTF-8 bytes read as Windows-1252 or Latin-1: a lead byte (Â-ß, à-ï) followed by what a
# continuation byte becomes (U+0080-U+00BF, or the Windows-1252 letters of bytes 0x80-0x9F).
_CONTINUATION = (
    r"[\x{80}-\x{bf}\x{152}\x{153}\x{160}\x{161}\x{178}\x{17d}\x{17e}\x{192}\x{2c6}\x{2dc}"
    r"\x{2013}\x{2014}\x{2018}-\x{201e}\x{2020}-\x{2022}\x{2026}\x{2030}\x{2039}\x{203a}"
    r"\x{20ac}\x{2122}]"
)
#: Text that was decoded with the wrong codec: the replacement character, GBK's 锟斤拷 (UTF-8
#: replacement bytes read as GBK), or UTF-8 read as Windows-1252 (``CafÃ©``, ``donâ€™t``).
MOJIBAKE = (
    r"\x{fffd}|锟斤拷|[\x{c2}-\x{df}]" + _CONTINUATION + r"|[\x{e0}-\x{ef}]" + _CONTINUATION + "{2}"
)


def looks_mojibake(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Mask of cells that show signs of a wrong decoding (:data:`MOJIBAKE`).

    Detection only: repairing needs a library such as ftfy, which is not a dependency.

    Example:
        >>> cells = pa.array(["CafÃ© open", "donâ€™t", "Café", "工单�", "锟斤拷", None])
        >>> looks_mojibake(cells).tolist()
        [True, True, False, True, True, False]
    """
    hits = pc.match_substring_regex(pc.cast(values, pa.string()), MOJIBAKE)
    return pc.fill_null(hits, False).to_numpy(zero_copy_only=False)


# --- vocabularies -----------------------------------------------------------------------------


def map_vocabulary(
    values: pa.Array,
    lookup: Callable[[Iterable[object]], list[str | None]],
    empty: str | None = None,
) -> tuple[pa.Array, np.ndarray]:
    """Map raw texts to codes through ``lookup``, once per distinct value.

    ``lookup`` answers ``""`` for a value that states "not known" (``Unspecified``): such a
    cell is empty, but not counted as unknown. Cells are trimmed before the lookup.

    Args:
        values: Raw cells.
        lookup: Codes for a list of trimmed texts (``None`` for an unknown text).
        empty: The code of an empty or missing cell (default: none).

    Returns:
        The codes (null for unknown cells, and for empty ones unless ``empty`` is given) and a
        mask of non-empty unknown cells.

    Example:
        >>> table = {"已办结": "closed", "办理中": "in_progress"}
        >>> codes, unknown = map_vocabulary(pa.array(["已办结 ", "", "？？", None]),
        ...                                 lambda vs: [table.get(v) for v in vs])
        >>> codes.to_pylist(), unknown.tolist()
        (['closed', None, None, None], [False, False, True, False])
        >>> codes, _ = map_vocabulary(pa.array(["", None]), lambda vs: [None] * len(vs), "-")
        >>> codes.to_pylist()
        ['-', '-']
    """
    # Every step runs on the distinct values; only two takes touch the whole column.
    encoded = pc.dictionary_encode(pc.cast(values, pa.string()))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    distinct = pc.utf8_trim_whitespace(encoded.dictionary).to_pylist()
    codes = [code if text else "" for text, code in zip(distinct, lookup(distinct), strict=True)]
    unknown = pa.array([code is None for code in codes] + [False], pa.bool_())
    mapped = pa.array([code or (empty if code == "" else None) for code in codes] + [empty])
    indices = pc.fill_null(encoded.indices, len(codes))  # a missing cell: the last entry
    return (
        pc.take(mapped.cast(pa.string()), indices),
        pc.take(unknown, indices).to_numpy(zero_copy_only=False),
    )


# Whitespace as Python's ``str.split`` sees it (RE2's ``\s`` is ASCII-only).
_ANY_SPACE = r"[\s\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"


def phrase_codes(
    values: pa.Array | pa.ChunkedArray, phrases: Mapping[str, Sequence[str]]
) -> pa.Array:
    """The code of the first phrase each cell states, once folded (null: none).

    Cells fold as :func:`hotline.text.fold_value` folds (NFKC, lower case); ``phrases`` are
    folded already (a profile's ``void_reasons``) and match whatever whitespace the cell puts
    between their characters. A phrase counts only where the cell states it: a phrase that
    starts or ends with a letter or digit must start and end on a word boundary
    (``invalid`` is not in "Invalidated"), and a phrase negated in its clause ("not a case
    duplicate", "非重复", "不属于无效工单") does not count. The work is done once per
    distinct cell; codes are tried in the order given.

    Example:
        >>> reasons = {"invalid": ("caseinvalid",), "duplicate": ("caseduplicate", "重复")}
        >>> phrase_codes(pa.array(["Case Invalid. Not found", "CASE  duplicate of 101",
        ...                        "Case Resolved", "重复工单", None]), reasons).to_pylist()
        ['invalid', 'duplicate', None, 'duplicate', None]
        >>> phrase_codes(pa.array(["Not a case duplicate", "Case invalidated", "非重复工单",
        ...                        "Closed. Case Duplicate"]), reasons).to_pylist()
        [None, None, None, 'duplicate']
    """

    def codes(distinct: pa.Array) -> pa.Array:
        folded = pc.utf8_lower(pc.utf8_normalize(distinct, form="NFKC"))
        folded = pc.replace_substring_regex(folded, _ANY_SPACE, " ")
        found = pa.nulls(len(distinct), pa.string())
        for code, spelled in phrases.items():
            for phrase in spelled:
                stated, negated = _phrase_patterns(phrase)
                hit = pc.fill_null(pc.match_substring_regex(folded, stated), False)
                denied = pc.fill_null(pc.match_substring_regex(folded, negated), False)
                hit = pc.and_(hit, pc.invert(denied))
                found = pc.if_else(pc.and_(hit, pc.is_null(found)), code, found)
        return found

    return on_distinct(pc.cast(values, pa.string()), codes)


# Words that deny what follows them in the same clause; a clause ends at punctuation. Chinese
# negations reach a few characters on (不能认定为重复工单, 未被认定为重复), 无 only directly
# before (无人接听重复工单 is still a duplicate); 排除/否认 deny like 不.
_NEGATION = (
    r"(?:(?:^|[^a-z0-9])(?:not|no|non|never|without|cannot|neither|nor|isn't|wasn't|aren't"
    r"|n't)(?:$|[^a-z0-9])[^.;,:!?。；，：！？、]{0,24}"
    r"|(?:[非不未没否]|排除|否认)[^.;,:!?。；，：！？、]{0,6}|无)"
)


def _phrase_patterns(phrase: str) -> tuple[str, str]:
    """RE2 patterns for a folded phrase stated in a cell, and for it negated there."""
    body = r"\s*".join(re.escape(char) for char in phrase)
    start = r"(?:^|[^a-z0-9])" if phrase[:1].isascii() and phrase[:1].isalnum() else ""
    end = r"(?:$|[^a-z0-9])" if phrase[-1:].isascii() and phrase[-1:].isalnum() else ""
    stated = f"{start}{body}{end}"
    return stated, f"{_NEGATION}{body}{end}"
