"""Personal numbers written in digit groups with visible separators (issue #11).

The scrubber's patterns (:data:`.privacy.SCRUB_RULES`) allow spaces, dashes, dots and slashes
between any two digits of a number. People also separate the groups of a phone number with
marks that separate ordinary numbers too: ``139~0002~8002``, ``139，0002，8002``,
``139、0002、8002``, ``139*0002*8002``, ``139:0002:8002``, ``139x0002x8002``,
``139一0002一8002`` (:data:`VISIBLE`). Between any two digits those would mask lists and
quantities (``139、140、141``, ``2021，0305``), so here a run of digit groups counts only when
its grouping has the shape of a personal number:

* a mobile as 3+4+4 digits starting ``1[3-9]``, the same mark in both gaps, nothing else in
  the run (no list before or after it: ``12、139、0002、8002`` is a list) and no unit after it
  (``元``, ``米``, ``mm``…): masked as it stands;
* an ID card as 6+8+4 digits with a valid birth date in the middle (the last may end in X):
  masked as it stands, when nothing else is in the run;
* with a word of the kind nearby (电话, 手机, 联系, 拨打, 回电… for phones; 身份证, 证件 for ID
  cards; 卡, 账号 for bank cards), also a mobile as 3+8, a landline as an area code
  (``0`` and 2–3 digits) and 7–8 digits or 4+4, a mobile or ID inside a longer run, and a bank
  card as 4+4+4+4 with perhaps one more group.

A gap is spaces with one mark in them; a window of groups is judged only when one of its gaps
holds a visible mark, since the scrubber's patterns have already judged the rest. The
look-alike digits the scrubber hides kept numbers behind (U+E030–U+E039, :mod:`.keep`) count
as digits at the edges of a run, so hiding a number never makes a run match.

Example:
    >>> mask_grouped("电话139~0002~8002请回电，139、140、141号")
    '电话[手机号]请回电，139、140、141号'
    >>> mask_grouped("共139，1000，8000元；联系电话：139、00028002")
    '共139，1000，8000元；联系电话：[手机号]'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

import pyarrow as pa

from hotline.ingestion.values import only_where

__all__ = [
    "BLANKS",
    "DASHES_AND_DOTS",
    "GROUPED_SCREEN",
    "VISIBLE",
    "mask_grouped",
    "mask_grouped_cells",
    "mask_grouped_texts",
]

#: Marks that separate the groups of a number and ordinary numbers alike.
VISIBLE = "~～〜，,、*＊:：xX×_＿|｜一ー"
#: Marks the scrubber's patterns allow between any two digits of a number: dashes of every
#: width, dots and middle dots, slashes.
DASHES_AND_DOTS = "-－‐‑‒–—―−﹣⁃.．·・･•‧∙⋅/／"
#: Spaces between digits, as the body of a character class (Python and RE2 alike): space,
#: tab, no-break and the other Unicode spaces, ideographic space.
BLANKS = " \t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_BLANK = r"[^\S\n]"  # spaces and tabs, not a line break
_DIGITS = "0-9\ue030-\ue039"  # the look-alikes of .keep count as digits at the edges

_BLANK_RE2 = f"[{BLANKS}]*"
_V_RE2 = f"{_BLANK_RE2}[{re.escape(VISIBLE)}]{_BLANK_RE2}"  # a gap with a visible mark
_S_RE2 = f"(?:{_V_RE2}|{_BLANK_RE2}[{re.escape(DASHES_AND_DOTS)}]?{_BLANK_RE2})"  # any gap
#: Cells that may hold such a run (RE2): a gap with a visible mark and, around it, the
#: digits of one of the shapes: 3 and 7 or more (3+8, 4+7, 6+8), three groups of 3 or 4
#: digits (3+4+4, 4+4+4, 4+3+4, a card's 4+4+4+4) with the mark in the first or the second
#: gap, or 8 and 3 or more (an ID card's 8+4).
GROUPED_SCREEN = (
    f"[0-9]{{3}}{_V_RE2}[0-9]{{7}}"
    f"|[0-9]{{3}}{_V_RE2}[0-9]{{3}}[0-9]?{_S_RE2}[0-9]{{3}}"
    f"|[0-9]{{3}}{_S_RE2}[0-9]{{3}}[0-9]?{_V_RE2}[0-9]{{3}}"
    f"|[0-9]{{8}}{_V_RE2}[0-9]{{3}}"
)

_GAP = f"{_BLANK}*[{re.escape(VISIBLE + DASHES_AND_DOTS)}]{_BLANK}*|{_BLANK}+"
_GROUP = r"[0-9]+(?:[Xx](?![0-9]))?"
# The first digit before the look-behind: Python's engine then skips quickly to a digit.
_RUN = re.compile(f"[0-9](?<![{_DIGITS}][0-9])[0-9]*(?:[Xx](?![0-9]))?(?:(?:{_GAP}){_GROUP})+")
_ANY_VISIBLE = re.compile(f"[{re.escape(VISIBLE)}]")
_PIECE = re.compile(f"({_GROUP})|({_GAP})")
_LIST_BEFORE = re.compile(f"[{_DIGITS}](?:{_GAP})$")
_LIST_AFTER = re.compile(f"(?:{_GAP})[{_DIGITS}]|[{_DIGITS}]")
_UNIT_AFTER = re.compile(
    f"{_BLANK}*(?:[元万亿千百米个件次台辆吨斤克楼层户人天年月日时分秒岁株棵亩度平方公升尺寸%％‰]"
    r"|[mck]m|kg|ml|[mM]²)"
)
_PHONE_WORDS = (
    "电话|手机|号码|联系|致电|回电|拨打|来电|热线|座机|固话|微信|电联|打我"
    "|tel|phone|mobile|call|cell"
)
_ID_WORDS = "身份证|证件|身份号|证号"
_BANK_WORDS = "卡|账号|账户|帐号|帐户"
_BEFORE_WINDOW, _AFTER_WINDOW = 12, 8
_CLAUSE = "[。；;！？!?\n]"

_MOBILE = re.compile("1[3-9][0-9]")
_AREA = re.compile("0[1-9][0-9]{1,2}")
_LOCAL = re.compile("[2-9][0-9]{3,7}")
_BIRTH = re.compile(r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_ID_HEAD = re.compile("[1-9][0-9]{5}")
_ID_TAIL = re.compile("[0-9]{3}[0-9Xx]")


@dataclass(frozen=True)
class _Shape:
    lengths: tuple[int, ...]
    placeholder: str
    words: str
    bare: bool  # masked without a word nearby when it is the whole run


def _fits(shape: _Shape, groups: list[str]) -> bool:
    first, last = groups[0], groups[-1]
    if any(not g.isdigit() for g in groups[:-1]):
        return False
    if shape.placeholder == "[身份证号]":
        return bool(
            _ID_HEAD.fullmatch(first) and _BIRTH.fullmatch(groups[1]) and _ID_TAIL.fullmatch(last)
        )
    if not last.isdigit():
        return False
    if shape.placeholder == "[手机号]":
        return bool(_MOBILE.fullmatch(first))
    if shape.placeholder == "[电话]":
        return bool(_AREA.fullmatch(first) and _LOCAL.fullmatch("".join(groups[1:])))
    return True


_SHAPES = (
    _Shape((3, 4, 4), "[手机号]", _PHONE_WORDS, True),
    _Shape((6, 8, 4), "[身份证号]", _ID_WORDS, True),
    _Shape((4, 4, 4, 4, 4), "[银行卡号]", _BANK_WORDS, False),
    _Shape((4, 4, 4, 4, 3), "[银行卡号]", _BANK_WORDS, False),
    _Shape((4, 4, 4, 4, 2), "[银行卡号]", _BANK_WORDS, False),
    _Shape((4, 4, 4, 4, 1), "[银行卡号]", _BANK_WORDS, False),
    _Shape((4, 4, 4, 4), "[银行卡号]", _BANK_WORDS, False),
    _Shape((3, 8), "[手机号]", _PHONE_WORDS, False),
    *(
        _Shape(lengths, "[电话]", _PHONE_WORDS, False)
        for lengths in ((3, 8), (3, 7), (4, 8), (4, 7), (3, 4, 4), (4, 4, 4), (4, 3, 4))
    ),
)


_FEWEST_DIGITS = min(sum(shape.lengths) for shape in _SHAPES)
_FIRST_LENGTHS = frozenset(shape.lengths[0] for shape in _SHAPES)


def _near(text: str, start: int, end: int, words: str) -> bool:
    # Within the same clause: a word after 。；! or a line break speaks of something else.
    before = re.split(_CLAUSE, text[max(0, start - _BEFORE_WINDOW) : start])[-1]
    after = re.split(_CLAUSE, text[end : end + _AFTER_WINDOW])[0]
    return bool(re.search(words, before, re.IGNORECASE) or re.search(words, after, re.IGNORECASE))


def _marks(gaps: list[str]) -> set[str]:
    return {c for g in gaps for c in g if c in VISIBLE}


def _same_mark(gaps: list[str]) -> bool:
    return len(_marks(gaps)) == 1 and all(_marks([g]) for g in gaps)


def _judge(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if not _ANY_VISIBLE.search(text, start, end):
        return match.group()  # the scrubber's patterns have judged it
    pieces = [(m.start(), m.end(), m.group(1)) for m in _PIECE.finditer(text, start, end)]
    groups = [(s, e, g) for s, e, g in pieces if g is not None]
    lengths = tuple(len(g) for _, _, g in groups)
    if sum(lengths) < _FEWEST_DIGITS:
        return match.group()  # a list of small numbers: 1、2、3
    gaps = [text[a[1] : b[0]] for a, b in pairwise(groups)]
    alone = not _LIST_BEFORE.search(text, max(0, start - 4), start) and not _LIST_AFTER.match(
        text, end
    )
    # A list of mobiles in the same form: 139、0002、8002、139、0002、8003
    mobile = _SHAPES[0]
    tiled = len(groups) % 3 == 0 and all(
        lengths[j : j + 3] == mobile.lengths and _fits(mobile, [g for _, _, g in groups[j : j + 3]])
        for j in range(0, len(groups), 3)
    )
    unit = _UNIT_AFTER.match(text, end) is not None  # a quantity, whatever the words nearby
    out, at, i = [], start, 0
    while i < len(groups):
        if lengths[i] not in _FIRST_LENGTHS:
            i += 1
            continue
        for shape in _SHAPES:
            k = len(shape.lengths)
            if lengths[i : i + k] != shape.lengths:
                continue
            window = [g for _, _, g in groups[i : i + k]]
            inner = gaps[i : i + k - 1]
            if not _marks(inner) or not _fits(shape, window):
                continue
            w_start, w_end = groups[i][0], groups[i + k - 1][1]
            whole = alone and (k == len(groups) or tiled)
            bare = (
                shape.bare
                and whole
                and (shape.placeholder != "[手机号]" or _same_mark(inner))
                and not unit
            )
            if bare or (not unit and _near(text, start, end, shape.words)):
                out.append(text[at:w_start] + shape.placeholder)
                at, i = w_end, i + k
                break
        else:
            i += 1
    return "".join(out) + text[at:end]


def mask_grouped(text: str) -> str:
    """``text`` with personal numbers written in groups with visible marks masked.

    Example:
        >>> mask_grouped("身份证110101、19900307、771X，2021，0305")
        '身份证[身份证号]，2021，0305'
    """
    return _RUN.sub(_judge, text)


def mask_grouped_texts(values: pa.Array) -> pa.Array:
    """:func:`mask_grouped` on every cell of ``values``.

    Example:
        >>> mask_grouped_texts(pa.array(["139*0002*8002", None])).to_pylist()
        ['[手机号]', None]
    """
    return pa.array(
        [None if t is None else mask_grouped(t) for t in values.to_pylist()], pa.string()
    )


def mask_grouped_cells(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """:func:`mask_grouped` on a column: only the cells :data:`GROUPED_SCREEN` finds.

    Example:
        >>> mask_grouped_cells(pa.array(["139*0002*8002", "1*2*3", None])).to_pylist()
        ['[手机号]', '1*2*3', None]
    """
    return only_where(values, GROUPED_SCREEN, mask_grouped_texts)
