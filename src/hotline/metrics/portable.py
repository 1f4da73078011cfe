"""Date arithmetic that computes the same on every engine, from calendar fields alone.

narwhals gives every engine the calendar fields (year, day of the year, hour …) alike, but two
of its datetime operations differ on Spark (narwhals 2.29): ``dt.total_microseconds()`` of a
duration is not implemented, and ``dt.weekday()`` calls Sunday 0 instead of 7. Rather than
branch per engine, the metrics compute days, weekdays and durations from the fields, by
calendar arithmetic that pandas, DuckDB and Spark evaluate identically.

Example:
    >>> import datetime as dt
    >>> import narwhals as nw
    >>> import pandas as pd
    >>> times = nw.from_native(pd.DataFrame({
    ...     "a": [dt.datetime(2021, 3, 6, 23, 59, 59, 500000), dt.datetime(1969, 12, 31, 12)],
    ...     "b": [dt.datetime(2021, 3, 7, 0, 0, 0, 250000), dt.datetime(1970, 1, 1)]}))
    >>> out = times.select(days=epoch_day(nw.col("b")), weekday=iso_weekday(nw.col("b")),
    ...                    micros=micros_between(nw.col("a"), nw.col("b")))
    >>> out["days"].to_list(), out["weekday"].to_list(), out["micros"].to_list()
    ([18693, 0], [7, 4], [750000.0, 43200000000.0])
"""

from __future__ import annotations

import narwhals as nw

__all__ = ["epoch_day", "iso_weekday", "micros_between"]

_US_PER_DAY = 86_400_000_000

#: Time-of-day fields and their length in microseconds.
_TIME_FIELDS = (("hour", 3_600_000_000), ("minute", 60_000_000), ("second", 1_000_000))


def epoch_day(when: nw.Expr) -> nw.Expr:
    """Days from 1970-01-01 to the date of a datetime expression (negative before)."""
    year = when.dt.year()
    leap_days = (year - 1969) // 4 - (year - 1901) // 100 + (year - 1601) // 400
    return (year - 1970) * 365 + leap_days + when.dt.ordinal_day() - 1


def iso_weekday(when: nw.Expr) -> nw.Expr:
    """The ISO weekday of a datetime expression: 1 for Monday to 7 for Sunday.

    1970-01-01 was a Thursday (4); the double modulo keeps days before it non-negative on
    engines whose ``%`` truncates (DuckDB, Spark).
    """
    return ((epoch_day(when) + 3) % 7 + 7) % 7 + 1


def micros_between(start: nw.Expr, end: nw.Expr) -> nw.Expr:
    """``end - start`` in microseconds of wall-clock time (missing if either is).

    A float holding an exact integer: the field differences are small, and every product and
    sum stays far below 2**53 for any two times within 285 years of each other. Floats, not
    integers, because pandas cannot hold a missing value in a plain integer column and Spark's
    32-bit fields would overflow when multiplied.
    """
    total = (epoch_day(end) - epoch_day(start)).cast(nw.Float64) * _US_PER_DAY
    for field, micros in _TIME_FIELDS:
        difference = getattr(end.dt, field)() - getattr(start.dt, field)()
        total = total + difference.cast(nw.Float64) * micros
    return total + (end.dt.microsecond() - start.dt.microsecond()).cast(nw.Float64)
