"""Hotline metrics with explicit definitions, on pandas and on DuckDB.

* :class:`Rate`: a value with its numerator, denominator and 95% interval.
* :class:`Definitions` and :func:`preset`: which definition a figure uses.
* One function per figure (:mod:`.figures`): :func:`volume`, :func:`closure_rate`,
  :func:`on_time_rate`, :func:`satisfaction_rate` …, :func:`rate` for any declared rate, and
  :func:`headline`. Each count and rate is declared once (:mod:`.declarations`).
* Breakdowns: :func:`summary` (one row per group), :func:`monthly_trend` (环比, 同比),
  :func:`rank_units` (scores, bands, 红黑榜), :func:`handling_time` and
  :func:`duration_distribution`, :func:`backlog`, :func:`weekday_hour`, :func:`funnel`.
* What the data can say: :func:`coverage` (is a year or month wholly covered); a figure whose
  inputs the export lacks is missing with its reason (:mod:`hotline.availability`).

Every function takes a canonical DataFrame (pandas), a dataset path (DuckDB over Parquet) or a
Spark DataFrame (:func:`spark_orders` reads a dataset on Spark; :mod:`.spark`).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 3),
    ...     "status": ["closed", "closed", "dispatched"]})
    >>> print(closure_rate(df))
    66.67%(2/3)
"""

from hotline.metrics.calendar import CalendarWarning, WorkCalendar, calendar_for
from hotline.metrics.catalogue import RATES
from hotline.metrics.coverage import coverage
from hotline.metrics.definitions import PRESETS, Definitions, preset, preset_for
from hotline.metrics.figures import (
    beijing_rates,
    closure_rate,
    direct_answer_rate,
    dissatisfaction_rate,
    extension_rate,
    headline,
    on_time_rate,
    overdue,
    rate,
    repeat_rate,
    resolution_rate,
    response_rate,
    return_rate,
    revisit_rate,
    satisfaction_rate,
    volume,
)
from hotline.metrics.patterns import WEEKDAYS, funnel, weekday_hour
from hotline.metrics.rankings import rank_units
from hotline.metrics.rate import Rate, wilson_interval
from hotline.metrics.spark import spark_orders
from hotline.metrics.summary import summary
from hotline.metrics.timing import (
    DURATION_BANDS,
    backlog,
    duration_distribution,
    handling_time,
)
from hotline.metrics.trends import monthly_trend

__all__ = [
    "DURATION_BANDS",
    "PRESETS",
    "RATES",
    "WEEKDAYS",
    "CalendarWarning",
    "Definitions",
    "Rate",
    "WorkCalendar",
    "backlog",
    "beijing_rates",
    "calendar_for",
    "closure_rate",
    "coverage",
    "direct_answer_rate",
    "dissatisfaction_rate",
    "duration_distribution",
    "extension_rate",
    "funnel",
    "handling_time",
    "headline",
    "monthly_trend",
    "on_time_rate",
    "overdue",
    "preset",
    "preset_for",
    "rank_units",
    "rate",
    "repeat_rate",
    "resolution_rate",
    "response_rate",
    "return_rate",
    "revisit_rate",
    "satisfaction_rate",
    "spark_orders",
    "summary",
    "volume",
    "weekday_hour",
    "wilson_interval",
]
