"""Numbers as reports write them: digits, full-width digits, 万/亿, Chinese numerals, percentages.

A figure is a number followed by a unit (``9268 件``, ``2264 人次``), a percent sign, or a
multiplier (``1.1万``); ``百分之九十五`` is a percentage too. A bare number (a year, a phone
number such as 12345, an ordinal in 一是/二是) is not a figure. Chinese numerals are parsed by
`cn2an <https://github.com/Ailln/cn2an>`_; digits go through :class:`~decimal.Decimal` so that
98.8 stays 98.8.

Every figure carries its *step*: the place of its last stated digit (1 for 9383, 0.1 for 98.8,
1000 for 1.1万). A plain figure is exact to half a step: 95% means [94.5%, 95.5%).

Example:
    >>> parse_number("9 383件")
    Number(value=Decimal('9383'), step=Decimal('1'), percent=False, unit='件', more=False)
    >>> [f.text for f in find_figures("受理群众话务诉求 9383件,办结9268 件;办结率达到95%。")]
    ['9383件', '9268 件', '95%']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import cn2an

__all__ = ["Figure", "Number", "find_figures", "parse_number"]

#: Multipliers written after a number. Chinese numerals carry them inside (两万).
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}

#: Units a figure may carry, longest first where one is the start of another. Time words that
#: make a date (年, 月, 日) are left out on purpose: 2021年 is a date, not a figure.
UNITS = (
    "个百分点",
    "百分点",
    "个工作日",
    "工作日",
    "人次",
    "场次",
    "台次",
    "户次",
    "件次",
    "车次",
    "小时",
    "分钟",
    *"件个项条宗起次人名家场份单通例户处所座辆台元天秒篇",
)

_ARABIC = r"\d{1,3}(?:[, ]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGITS = "零〇一二两三四五六七八九"
_CHINESE = rf"[{_DIGITS}十][{_DIGITS}十百千万亿]*(?:点[{_DIGITS}]+)?"
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?<![\dA-Za-z.第])(?<!\d,)"
    rf"(?:百分之\s*(?P<share>{_ARABIC}|{_CHINESE})"
    rf"|(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE}))"
    rf"(?:\s*(?P<mult>[万亿]))?"
    rf"(?P<more>\s*[余多])?"
    rf"\s*(?:(?P<pct>%)|(?P<unit>{_UNIT}))?"
)


@dataclass(frozen=True)
class Number:
    """A parsed figure.

    Attributes:
        value: The value (in percent for a percentage: 95 for 95%).
        step: The place of the last stated digit, in the same unit as ``value``.
        percent: A percentage (``%``, ``％``, ``百分之``).
        unit: The unit written after the number (``件``, ``人次``), empty if none.
        more: Written with 余 or 多 (``100余场次``): more than the value.
    """

    value: Decimal
    step: Decimal
    percent: bool = False
    unit: str = ""
    more: bool = False


@dataclass(frozen=True)
class Figure:
    """A figure found in a text.

    Attributes:
        start: Offset of its first character.
        end: Offset after its last character (the unit or % included).
        text: The figure as it stands in the text.
        number: The parsed figure.
    """

    start: int
    end: int
    text: str
    number: Number


def _decimals(text: str) -> int:
    _, _, fraction = text.partition(".")
    return len(fraction)


def _arabic(text: str) -> tuple[Decimal, Decimal]:
    digits = text.replace(",", "").replace(" ", "")
    return Decimal(digits), Decimal(1).scaleb(-_decimals(digits))


def _trailing_zeros(value: int) -> int:
    text = str(value)
    return len(text) - len(text.rstrip("0")) if value else 0


def _chinese(text: str) -> tuple[Decimal, Decimal]:
    try:
        value = Decimal(str(cn2an.cn2an(text, "normal")))
    except ValueError:
        raise ValueError(f"not a Chinese numeral: {text!r}") from None
    integer, _, fraction = text.partition("点")
    if fraction:
        return value, Decimal(1).scaleb(-len(fraction))
    # 两万 and 两万三千 are rounded figures; 一万零五 is exact: the last stated digit decides,
    # never finer than the largest multiplier written (十万 is ten 万, not one 十万).
    largest = max((MULTIPLIERS[ch] for ch in integer if ch in MULTIPLIERS), default=None)
    if largest is None:
        return value, Decimal(1)
    return value, min(Decimal(10) ** _trailing_zeros(int(value)), largest)


def _number(match: re.Match[str]) -> Number:
    share = match["share"]
    written = share or match["arabic"] or match["chinese"]
    is_arabic = bool(re.match(r"\d", written))
    value, step = _arabic(written) if is_arabic else _chinese(written)
    multiplier = MULTIPLIERS.get(match["mult"] or "", Decimal(1))
    if is_arabic or _decimals(written.replace("点", ".")):
        step *= multiplier
    elif multiplier != 1:
        step = min(Decimal(10) ** _trailing_zeros(int(value * multiplier)), multiplier)
    return Number(
        value=value * multiplier,
        step=step,
        percent=bool(share or match["pct"]),
        unit=match["unit"] or "",
        more=bool(match["more"]),
    )


def _is_figure(match: re.Match[str]) -> bool:
    if match["share"] or match["pct"] or match["unit"]:
        return match["chinese"] != "一"  # 一个, 一次, 一批: an article, not a count
    return bool(match["arabic"] and match["mult"])


def parse_number(text: str) -> Number:
    """Parse one figure: a number with an optional unit, percent sign or multiplier.

    Args:
        text: E.g. ``"9268 件"``, ``"9 383"``, ``"１.１万次"``, ``"九千三百八十三"``,
            ``"两万"``, ``"95％"``, ``"百分之九十五"``.

    Returns:
        The value, the step of its last stated digit, and its unit.

    Raises:
        ValueError: Not a number.

    Example:
        >>> parse_number("1.1万次").value, parse_number("1.1万次").step
        (Decimal('11000.0'), Decimal('1000.0'))
        >>> parse_number("百分之九十五")
        Number(value=Decimal('95'), step=Decimal('1'), percent=True, unit='', more=False)
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _FIGURE.fullmatch(folded)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    return _number(match)


def find_figures(text: str) -> list[Figure]:
    """Find every figure in a (NFKC-normalised) text, in order.

    Example:
        >>> [(f.text, str(f.number.value)) for f in find_figures("一是下放职权20 项,巡河 1.1 万次")]
        [('20 项', '20'), ('1.1 万次', '11000.0')]
    """
    figures = []
    for match in _FIGURE.finditer(text):
        if not _is_figure(match):
            continue
        try:
            number = _number(match)
        except ValueError:  # a run of numeral characters cn2an rejects: not a number
            continue
        figures.append(Figure(match.start(), match.end(), match.group(), number))
    return figures
