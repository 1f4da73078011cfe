"""Numbers on charts, written as the report's text writes them (:mod:`hotline.report.numbers`).

A chart sits beside the paragraph that states its figures, so a count reads the same in both:
``9383`` and ``1.1万`` in Chinese (no thousands separator, 万 from 10000 up, as
``hotline.report.numbers.count_text`` writes them), ``9,383`` in English. Rates keep one
decimal on charts (``98.7%``), rounded by the report's own function; a missing value is ``—``.

Example:
    >>> count_text(9383, "zh"), count_text(12345, "zh"), count_text(9383, "en")
    ('9383', '1.23万', '9,383')
    >>> percent_text(0.98769), percent_text(float("nan"))
    ('98.8%', '—')
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.ticker import FuncFormatter, PercentFormatter

from hotline.labels import label
from hotline.report import numbers as report_numbers

__all__ = [
    "MISSING",
    "count_formatter",
    "count_text",
    "duration_text",
    "percent_formatter",
    "percent_text",
    "rate_of_text",
]

#: Shown for a value that does not exist (an empty denominator), never 0% or 100%.
MISSING = "—"

#: Decimals of percentages on charts (tables keep two).
PERCENT_DIGITS = 1


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count_text(value: Any, lang: str) -> str:
    """A count as the report's text writes it in ``lang``, without a unit.

    Example:
        >>> count_text(1028.0, "zh"), count_text(1028, "en"), count_text(None, "zh")
        ('1028', '1,028', '—')
    """
    if _missing(value):
        return MISSING
    number = round(float(value))
    if lang == "zh":
        return report_numbers.count_text(number, unit="")
    return report_numbers.format_value("count", number, "en")


#: Digits a percentage may grow to so that it does not read as 0% or 100% (the text's).
_MOST_DIGITS = 2


def percent_text(share: Any, digits: int = PERCENT_DIGITS) -> str:
    """A share (0-1) as a percentage.

    A share short of 100% (or above 0%) is never shown rounded to it: 6833/6834 is 99.99%, as
    the text writes it, not 100.0%.

    Example:
        >>> percent_text(1.0), percent_text(0.5, 0), percent_text(6833 / 6834)
        ('100.0%', '50%', '99.99%')
    """
    if _missing(share):
        return MISSING
    value = float(share)
    while 0 < value < 1 and round(value * 100, digits) in (0, 100) and digits < _MOST_DIGITS:
        digits += 1
    return report_numbers.percent_text(value, digits)


def rate_of_text(value: str, top: Any, bottom: Any, lang: str) -> str:
    """A rate's text with the counts it is taken over: ``98.7%（9450/9575）``.

    Example:
        >>> rate_of_text("办结率 98.7%", 9450, 9575, "zh")
        '办结率 98.7%（9450/9575）'
    """
    return label(
        "value.rate_of",
        lang,
        value=value,
        numerator=count_text(top, lang),
        denominator=count_text(bottom, lang),
    )


def duration_text(hours: Any, lang: str = "zh") -> str:
    """A duration in days (one decimal) from a day upwards, in hours below a day.

    Example:
        >>> duration_text(89.05), duration_text(18, "en")
        ('3.7 天', '18.0 h')
    """
    if _missing(hours):
        return MISSING
    hours = float(hours)
    if hours >= 24:
        return label("value.days", lang, value=f"{hours / 24:.1f}")
    return label("value.hours", lang, value=f"{hours:.1f}")


def count_formatter(lang: str) -> FuncFormatter:
    """Axis ticks as counts, written as :func:`count_text` writes them (no scientific notation).

    Example:
        >>> count_formatter("zh")(12000, 0), count_formatter("en")(12000, 0)
        ('1.2万', '12,000')
    """
    return FuncFormatter(lambda value, _: count_text(value, lang))


def percent_formatter(decimals: int = 0) -> PercentFormatter:
    """Axis ticks of shares (0-1) as percentages.

    Example:
        >>> percent_formatter().format_pct(0.95, 1.0)
        '95%'
    """
    return PercentFormatter(xmax=1.0, decimals=decimals)
