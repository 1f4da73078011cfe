"""Numbers as Chinese work reports write them: 9383件, 1.1万件, 98.77%, 上升1.2个百分点.

Rules (``docs/report.md``):

* A count below 10000 is written in full (``9383件``); from 10000 up in 万 (``1.1万件``,
  ``12.35万件``) and from 100000000 up in 亿, with at most two decimals and no trailing zeros.
* A rate or a share is a percentage with two decimals (``98.77%``), rounded as
  :meth:`hotline.metrics.Rate.percent` rounds, so the report and the command line agree.
* A change of a rate is in percentage points with at most two decimals (``上升1.2个百分点``);
  a relative change of a count is a percentage with two decimals (``增长10.58%``); a change
  that rounds to zero is ``持平``.
* A missing value (a rate with an empty denominator) is :data:`MISSING`, never ``0%``: the
  narrative then says that the data does not hold the figure.

Example:
    >>> count_text(9383), count_text(11000), percent_text(0.98765), pp_text(1.2)
    ('9383件', '1.1万件', '98.77%', '上升1.2个百分点')
    >>> percent_text(float("nan"))
    '无数据'

English reports (311 data) write the same values the way English reports do
(:data:`FORMATS_EN`): ``9,383``, ``98.77%``, ``up 1.2 percentage points``, ``June 2021``.

    >>> format_value("count", 12345, "en"), format_value("pp", -1.2, "en")
    ('12,345', 'down 1.2 percentage points')
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from hotline import schema
from hotline.labels import time_text

__all__ = [
    "FORMATS",
    "FORMATS_EN",
    "MISSING",
    "MISSING_EN",
    "change_text",
    "change_text_en",
    "count_text",
    "datetime_text",
    "datetime_text_en",
    "decimal_text",
    "format_value",
    "is_missing",
    "month_text",
    "month_text_en",
    "percent_text",
    "pp_text",
    "pp_text_en",
    "request_type_text",
    "request_type_text_en",
    "score_text",
]

#: What a missing figure reads as, wherever a figure is formatted on its own.
MISSING = "无数据"
#: The same in English reports.
MISSING_EN = "no data"

_WAN = 10_000
_YI = 100_000_000


def is_missing(value: Any) -> bool:
    """Whether a figure is missing: ``None``, ``NaN`` or ``pd.NA``.

    Example:
        >>> is_missing(None), is_missing(float("nan")), is_missing(0)
        (True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not one missing value
        return False


def decimal_text(value: float, digits: int = 2) -> str:
    """A number with at most ``digits`` decimals and no trailing zeros.

    Example:
        >>> decimal_text(1.20), decimal_text(96.505, 1), decimal_text(3.0)
        ('1.2', '96.5', '3')
    """
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def count_text(value: Any, unit: str = "件") -> str:
    """A count: in full below 10000, in 万 from 10000 up, in 亿 from 100000000 up.

    Example:
        >>> count_text(9999), count_text(10000), count_text(123456), count_text(2, "个")
        ('9999件', '1万件', '12.35万件', '2个')
        >>> count_text(99_999_999), count_text(123_000_000)
        ('1亿件', '1.23亿件')
    """
    if is_missing(value):
        return MISSING
    number = int(value)
    if abs(number) < _WAN:
        return f"{number}{unit}"
    in_wan = decimal_text(number / _WAN)
    if abs(float(in_wan)) < _WAN:
        return f"{in_wan}万{unit}"
    return f"{decimal_text(number / _YI)}亿{unit}"


def percent_text(value: Any, digits: int = 2) -> str:
    """A rate or share (a proportion) as a percentage with ``digits`` decimals.

    Example:
        >>> percent_text(182 / 192), percent_text(1.0), percent_text(None)
        ('94.79%', '100.00%', '无数据')
    """
    if is_missing(value):
        return MISSING
    return f"{float(value) * 100:.{digits}f}%"


def _direction(value: float, up: str, down: str) -> str:
    return up if value > 0 else down


def pp_text(points: Any) -> str:
    """A change of a rate in percentage points (``上升``/``下降``/``持平``).

    Example:
        >>> pp_text(-13.0215), pp_text(0.001), pp_text(float("nan"))
        ('下降13.02个百分点', '持平', '无数据')
    """
    if is_missing(points):
        return MISSING
    size = decimal_text(abs(float(points)))
    if size == "0":
        return "持平"
    return f"{_direction(float(points), '上升', '下降')}{size}个百分点"


def change_text(ratio: Any) -> str:
    """A relative change of a count (``this / previous - 1``) as ``增长``/``下降`` a percentage.

    Example:
        >>> change_text(0.105797), change_text(-0.22779), change_text(0.0)
        ('增长10.58%', '下降22.78%', '持平')
    """
    if is_missing(ratio):
        return MISSING
    size = percent_text(abs(float(ratio)))
    if size == percent_text(0.0):
        return "持平"
    return f"{_direction(float(ratio), '增长', '下降')}{size}"


def score_text(value: Any) -> str:
    """A composite score (0–100) with two decimals and 分.

    Example:
        >>> score_text(96.51)
        '96.51分'
    """
    return MISSING if is_missing(value) else f"{float(value):.2f}分"


def month_text(value: str, with_year: bool = False) -> str:
    """A month key ``YYYY-MM`` as ``8月`` (or ``2021年8月``).

    Example:
        >>> month_text("2021-08"), month_text("2020-12", with_year=True)
        ('8月', '2020年12月')
    """
    year, month = str(value).split("-")[:2]
    return f"{year}年{int(month)}月" if with_year else f"{int(month)}月"


def months_text(value: Any) -> str:
    """Months ``YYYY-MM`` joined by 、 as a text lists them: ``2月、4月`` (years named if mixed).

    Example:
        >>> months_text("2021-02、2021-04"), months_text("2021-12、2022-01")
        ('2月、4月', '2021年12月、2022年1月')
    """
    if is_missing(value):
        return MISSING
    keys = [m for m in str(value).split("、") if m]
    several_years = len({m[:4] for m in keys}) > 1
    return "、".join(month_text(m, with_year=several_years) for m in keys)


def months_text_en(value: Any) -> str:
    """Months ``YYYY-MM`` joined by 、 as English lists them: ``February and April``.

    Example:
        >>> months_text_en("2021-02、2021-04"), months_text_en("2021-12、2022-01")
        ('February and April', 'December 2021 and January 2022')
    """
    keys = [m for m in str(value).split("、") if m]
    several_years = len({m[:4] for m in keys}) > 1
    return listed([month_text_en(m, with_year=several_years) for m in keys])


def listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Example:
        >>> listed(["March"]), listed(["March", "May", "July"])
        ('March', 'March, May and July')
    """
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def request_type_text(code: Any) -> str:
    """The Chinese name of a request type code; a missing one is 未标注诉求类型.

    Example:
        >>> request_type_text("complaint"), request_type_text(None)
        ('投诉', '未标注诉求类型')
    """
    if is_missing(code):
        return "未标注诉求类型"
    try:
        return schema.label("request_type", str(code))
    except KeyError:
        return str(code)


def datetime_text(value: Any) -> str:
    """A time as official texts write it, to the minute: ``2022年1月4日8时28分``.

    Example:
        >>> datetime_text("2022-01-04 08:28:04"), datetime_text("2022-01-01 00:00:00")
        ('2022年1月4日8时28分', '2022年1月1日0时')
    """
    return MISSING if is_missing(value) else time_text(value, "zh")


def _plain(value: Any) -> str:
    return MISSING if is_missing(value) else str(value)


def _integer(value: Any) -> str:
    return MISSING if is_missing(value) else str(int(value))


def _number(value: Any) -> str:
    return MISSING if is_missing(value) else decimal_text(float(value))


def _workdays(value: Any) -> str:
    return MISSING if is_missing(value) else f"{int(value)}个工作日"


#: Fact kind -> its formatter. A fact's text is ``FORMATS[kind](value)``, so a test recomputes
#: the text from the value alone.
FORMATS: Mapping[str, Callable[[Any], str]] = MappingProxyType(
    {
        "count": count_text,
        "units": lambda v: count_text(v, "个"),
        "files": lambda v: count_text(v, "个"),
        "int": _integer,
        "rate": percent_text,
        "share": percent_text,
        "change": change_text,
        "pp": pp_text,
        "score": score_text,
        "decimal": lambda v: MISSING if is_missing(v) else f"{float(v):.2f}",
        "number": _number,
        "points": lambda v: MISSING if is_missing(v) else f"{decimal_text(float(v))}分",
        "workdays": _workdays,
        "month": month_text,
        "month_with_year": lambda v: month_text(v, with_year=True),
        "months": months_text,
        "request_type": request_type_text,
        "label": _plain,
        "date": datetime_text,
        "flag": lambda v: MISSING if is_missing(v) else ("是" if v else "否"),
    }
)


def _en(write: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: MISSING_EN if is_missing(value) else write(value)


def _signed_en(size: str, value: float) -> str:
    return f"{_direction(value, 'up', 'down')} {size}"


def change_text_en(ratio: Any) -> str:
    """A relative change of a count in English: ``up 10.58%``, ``down 22.78%``, ``unchanged``.

    Example:
        >>> change_text_en(0.105797), change_text_en(-0.0000001), change_text_en(None)
        ('up 10.58%', 'unchanged', 'no data')
    """
    if is_missing(ratio):
        return MISSING_EN
    size = percent_text(abs(float(ratio)))
    return "unchanged" if size == percent_text(0.0) else _signed_en(size, float(ratio))


def pp_text_en(points: Any) -> str:
    """A change of a rate in English: ``up 1.2 percentage points``, ``unchanged``.

    Example:
        >>> pp_text_en(-13.0215), pp_text_en(1), pp_text_en(0.001)
        ('down 13.02 percentage points', 'up 1 percentage point', 'unchanged')
    """
    if is_missing(points):
        return MISSING_EN
    size = decimal_text(abs(float(points)))
    if size == "0":
        return "unchanged"
    unit = "percentage point" if size == "1" else "percentage points"
    return _signed_en(f"{size} {unit}", float(points))


def month_text_en(value: str, with_year: bool = False) -> str:
    """A month key ``YYYY-MM`` as ``August`` (or ``December 2020``).

    Example:
        >>> month_text_en("2021-08"), month_text_en("2020-12", with_year=True)
        ('August', 'December 2020')
    """
    year, month = str(value).split("-")[:2]
    name = calendar.month_name[int(month)]
    return f"{name} {year}" if with_year else name


def datetime_text_en(value: Any) -> str:
    """A time as English reports write it, to the minute: ``January 4, 2022, 08:28``.

    Example:
        >>> datetime_text_en("2022-01-04 08:28:04"), datetime_text_en(None)
        ('January 4, 2022, 08:28', 'no data')
    """
    return MISSING_EN if is_missing(value) else time_text(value, "en")


def request_type_text_en(code: Any) -> str:
    """The English name of a request type code; a missing one is ``no request type``.

    Example:
        >>> request_type_text_en("complaint"), request_type_text_en(None)
        ('Complaint', 'no request type')
    """
    if is_missing(code):
        return "no request type"
    try:
        return schema.label("request_type", str(code), "en")
    except KeyError:
        return str(code)


def _workdays_en(value: Any) -> str:
    days = int(value)
    return f"{days} working day" if days == 1 else f"{days:,} working days"


def _count_en(value: Any) -> str:
    return f"{int(value):,}"


#: Fact kind -> its formatter in English: the same values, English words. Counts carry no unit
#: (the sentence names what is counted: ``9,756 requests``).
FORMATS_EN: Mapping[str, Callable[[Any], str]] = MappingProxyType(
    {
        "count": _en(_count_en),
        "units": _en(_count_en),
        "files": _en(_count_en),
        "int": _en(lambda v: str(int(v))),
        "rate": _en(percent_text),
        "share": _en(percent_text),
        "change": change_text_en,
        "pp": pp_text_en,
        "score": _en(lambda v: f"{float(v):.2f}"),
        "decimal": _en(lambda v: f"{float(v):.2f}"),
        "number": _en(lambda v: decimal_text(float(v))),
        "points": _en(lambda v: f"{decimal_text(float(v))} points"),
        "workdays": _en(_workdays_en),
        "month": _en(month_text_en),
        "month_with_year": _en(lambda v: month_text_en(v, with_year=True)),
        "months": _en(months_text_en),
        "request_type": request_type_text_en,
        "label": _en(str),
        "date": datetime_text_en,
        "flag": _en(lambda v: "yes" if v else "no"),
    }
)


def format_value(kind: str, value: Any, lang: str = "zh") -> str:
    """Format a fact's value by its kind (see :data:`FORMATS`, :data:`FORMATS_EN`).

    Example:
        >>> format_value("count", 9268), format_value("rate", None)
        ('9268件', '无数据')
        >>> format_value("count", 9268, "en"), format_value("workdays", 5, "en")
        ('9,268', '5 working days')
    """
    return (FORMATS_EN if lang == "en" else FORMATS)[kind](value)
