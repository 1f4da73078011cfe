"""Whether the data cover a period: a year or month whose data start late or stop early.

A year whose export stops on 26 January is not a year: its volume cannot be compared with the
year before, and a report must say it covers 26 days. A period is *complete* when the data's
first receipt is at most :data:`TOLERANCE_DAYS` after the period starts and its last receipt
at most that many days before the period ends (a quiet first or last day is not a gap). The
months of the period without a single request are counted too: a report names them.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["online"] * 3,
    ...     "received_at": pd.to_datetime(["2019-01-03", "2019-12-30", "2020-01-26"])})
    >>> row = coverage(df, year=2020).iloc[0]
    >>> bool(row["complete"]), row["first"], row["last"], row["text"]
    (False, '2020-01-26', '2020-01-26', '数据仅覆盖2020年1月1日至1月26日')
    >>> bool(coverage(df, year=2019).iloc[0]["complete"])
    True
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import narwhals as nw
import pandas as pd

from hotline.metrics.engine import Data, open_source
from hotline.metrics.summary import apply_filters, canonical_frame

__all__ = ["TOLERANCE_DAYS", "complete_months", "coverage", "period_bounds", "received_span"]

#: Days a period's data may start late or stop early and still count as complete.
TOLERANCE_DAYS = {"year": 7, "month": 2}


def period_bounds(year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a year or of one of its months.

    Example:
        >>> period_bounds(2024, 2)
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _span_text(start: dt.date, end: dt.date, first: dt.date | None, last: dt.date | None) -> str:
    """What part of [start, end] the data (receipts from ``first`` to ``last``) cover."""
    if first is None or last is None or first > end or last < start:
        return "数据中没有该期间受理的工单"
    first, last = max(first, start), min(last, end)
    same_year = first.year == last.year
    end = f"{last.month}月{last.day}日" if same_year else f"{last.year}年{last.month}月{last.day}日"
    return f"数据仅覆盖{first.year}年{first.month}月{first.day}日至{end}"


def received_span(data: Data, **filters: Any) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a request was received (``None`` for no data)."""
    source = open_source(canonical_frame(data))
    frame = apply_filters(source.frame, filters)
    received = nw.col("received_at")
    span = source.collect(frame.select(received.min().alias("lo"), received.max().alias("hi")))
    return _day(span["lo"].iloc[0]), _day(span["hi"].iloc[0])


def complete_months(months: list[str], first: dt.date | None, last: dt.date | None) -> list[bool]:
    """Whether each month (``YYYY-MM``) lies wholly inside the data's span of receipts.

    Example:
        >>> complete_months(["2019-12", "2020-01"], dt.date(2019, 11, 3), dt.date(2020, 1, 26))
        [True, False]
    """
    slack = dt.timedelta(days=TOLERANCE_DAYS["month"])
    result = []
    for name in months:
        year, month = (int(part) for part in name.split("-"))
        start, end = period_bounds(year, month)
        result.append(
            first is not None and last is not None and first <= start + slack
            and last >= end - slack
        )  # fmt: skip
    return result


def coverage(
    data: Data,
    *,
    year: int,
    month: int | None = None,
    definitions: Any = None,
    **filters: Any,
) -> pd.DataFrame:
    """How far the data cover one year (or one month of it).

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year.
        month: A month of it (1-12), or ``None`` for the whole year.
        definitions: Accepted for a uniform call signature; coverage depends on none.
        **filters: As for :func:`hotline.metrics.summary` (``source_kind=…``), without periods.

    Returns:
        One row: ``start`` and ``end`` of the period, ``first`` and ``last`` receipt in it
        (ISO dates, missing when there is none), ``data_first``/``data_last`` over all the
        data, ``months`` with requests and ``empty_months`` (YYYY-MM, joined by 、; missing
        when none) of the period up to the data's last receipt, ``complete`` and, when it is
        not, ``text``: what the data cover, in Chinese (missing when complete).
    """
    start, end = period_bounds(year, month)
    data_first, data_last = received_span(data, **filters)
    source = open_source(canonical_frame(data))
    frame = apply_filters(source.frame, filters)
    received = nw.col("received_at")
    upper = dt.datetime.combine(end, dt.time.max)
    inside = frame.filter((received >= dt.datetime.combine(start, dt.time())) & (received <= upper))
    months = source.collect(
        inside.with_columns(month_key=received.dt.year() * 100 + received.dt.month())
        .group_by("month_key")
        .agg(received.min().alias("lo"), received.max().alias("hi"))
    )
    first = _day(months["lo"].min()) if len(months) else None
    last = _day(months["hi"].max()) if len(months) else None
    present = {int(k) for k in months["month_key"]}
    horizon = min(end, data_last) if data_last else end
    expected = pd.period_range(start, horizon, freq="M") if horizon >= start else []
    empty = [p.strftime("%Y-%m") for p in expected if p.year * 100 + p.month not in present]
    slack = dt.timedelta(days=TOLERANCE_DAYS["year" if month is None else "month"])
    complete = (
        data_first is not None
        and data_last is not None
        and data_first <= start + slack
        and data_last >= end - slack
    )
    return pd.DataFrame(
        [
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "first": None if first is None else first.isoformat(),
                "last": None if last is None else last.isoformat(),
                "data_first": None if data_first is None else data_first.isoformat(),
                "data_last": None if data_last is None else data_last.isoformat(),
                "months": len(present),
                "empty_months": "、".join(empty) or None,
                "complete": complete,
                "text": None if complete else _span_text(start, end, data_first, data_last),
            }
        ]
    )
