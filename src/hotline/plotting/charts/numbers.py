"""Numbers the way Chinese reports print them: 9,383 件, 98.8%, 3.7 天.

Example:
    >>> count_text(9383), percent_text(0.98769), percent_text(float("nan"))
    ('9,383', '98.8%', '—')
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.ticker import FuncFormatter, PercentFormatter

from hotline.labels import label

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


def count_text(value: Any) -> str:
    """A count with thousands separators.

    Example:
        >>> count_text(1028.0), count_text(None)
        ('1,028', '—')
    """
    if _missing(value):
        return MISSING
    return f"{round(float(value)):,}"


def percent_text(share: Any, digits: int = PERCENT_DIGITS) -> str:
    """A share (0-1) as a percentage.

    Example:
        >>> percent_text(1.0), percent_text(0.5, 0)
        ('100.0%', '50%')
    """
    if _missing(share):
        return MISSING
    return f"{float(share) * 100:.{digits}f}%"


def rate_of_text(value: str, top: Any, bottom: Any, lang: str = "zh") -> str:
    """A rate's text with the counts it is taken over: ``98.7%（9,450/9,575）``.

    Example:
        >>> rate_of_text("办结率 98.7%", 9450, 9575)
        '办结率 98.7%（9,450/9,575）'
    """
    return label(
        "value.rate_of",
        lang,
        value=value,
        numerator=count_text(top),
        denominator=count_text(bottom),
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


def count_formatter() -> FuncFormatter:
    """Axis ticks as counts with thousands separators (no scientific notation).

    Example:
        >>> count_formatter()(12000, 0)
        '12,000'
    """
    return FuncFormatter(lambda value, _: count_text(value))


def percent_formatter(decimals: int = 0) -> PercentFormatter:
    """Axis ticks of shares (0-1) as percentages.

    Example:
        >>> percent_formatter().format_pct(0.95, 1.0)
        '95%'
    """
    return PercentFormatter(xmax=1.0, decimals=decimals)
