"""Whether the data cover a period: a year or month whose data start late or stop early.

A year whose export stops on 26 January is not a year: its volume cannot be compared with the
year before, and a report must say it covers 26 days. A period is *complete* when its first
request was received at most :data:`TOLERANCE_DAYS` after the period starts and its last at
most that many days before the period ends, or before ``as_of`` when the figures are taken
earlier (a quiet first or last day is not a gap). The months of the period without a single
request are counted too: a report names them.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["online"] * 3,
    ...     "received_at": pd.to_datetime(["2019-01-03", "2019-12-30", "2020-01-26"])})
    >>> row = coverage(df, year=2020).iloc[0]
    >>> bool(row["complete"]), row["first"], row["last"], row["text"]
    (False, '2020-01-26', '2020-01-26', '数据仅覆盖2020年1月26日')
    >>> bool(coverage(df, year=2019).iloc[0]["complete"])
    True
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, cast

import narwhals as nw
import pandas as pd

from hotline.metrics.engine import Data, open_source
from hotline.metrics.summary import apply_filters, canonical_frame

__all__ = [
    "TOLERANCE_DAYS",
    "complete_months",
    "complete_years",
    "coverage",
    "month_spans",
    "period_bounds",
    "received_span",
]

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
    if first == last:
        return f"数据仅覆盖{first.year}年{first.month}月{first.day}日"
    same_year = first.year == last.year
    until = (
        f"{last.month}月{last.day}日" if same_year else f"{last.year}年{last.month}月{last.day}日"
    )
    return f"数据仅覆盖{first.year}年{first.month}月{first.day}日至{until}"


def _as_of(definitions: Any) -> dt.datetime | None:
    """The ``as_of`` of definitions given as an object or a preset name (``None``: the data's)."""
    from hotline.metrics.definitions import resolve

    return resolve(definitions).as_of


def _receipts(data: Data, definitions: Any, filters: dict[str, Any]) -> tuple[Any, Any]:
    """The orders that exist at ``as_of`` under the filters, and their engine."""
    source = open_source(canonical_frame(data))
    frame = apply_filters(source.frame, filters)
    as_of = _as_of(definitions)
    if as_of is not None:
        frame = frame.filter(nw.col("received_at") <= as_of)
    return source, frame


def received_span(
    data: Data, *, definitions: Any = None, **filters: Any
) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a request was received by ``as_of`` (``None`` for no data)."""
    source, frame = _receipts(data, definitions, filters)
    received = nw.col("received_at")
    span = source.collect(frame.select(received.min().alias("lo"), received.max().alias("hi")))
    return _day(span["lo"].iloc[0]), _day(span["hi"].iloc[0])


def month_spans(
    data: Data, *, definitions: Any = None, **filters: Any
) -> dict[str, tuple[dt.date, dt.date]]:
    """Per month (``YYYY-MM``) with requests, the first and last day one was received."""
    source, frame = _receipts(data, definitions, filters)
    received = nw.col("received_at")
    months = source.collect(
        frame.filter(~received.is_null())
        .with_columns(month_key=received.dt.year() * 100 + received.dt.month())
        .group_by("month_key")
        .agg(received.min().alias("lo"), received.max().alias("hi"))
    )
    # every month here received requests, so its first and last day are never missing
    return {
        f"{int(k) // 100}-{int(k) % 100:02d}": cast("tuple[dt.date, dt.date]", (_day(lo), _day(hi)))
        for k, lo, hi in zip(months["month_key"], months["lo"], months["hi"], strict=True)
    }


def _complete(
    start: dt.date, end: dt.date, first: dt.date | None, last: dt.date | None, slack: int
) -> bool:
    margin = dt.timedelta(days=slack)
    return (
        first is not None
        and last is not None
        and first <= start + margin
        and (last >= end - margin)
    )


def _covered(
    spans: dict[str, tuple[dt.date, dt.date]], start: dt.date, end: dt.date, slack: int
) -> bool:
    """Whether the data hold receipts in the period and reach from its start to its end.

    The data as a whole must reach: a sparse source (a few online messages a month) whose last
    receipt in March is on the 27th still covers March when April's receipts follow.
    """
    if _span_of(_within(spans, start, end))[0] is None:
        return False
    return _complete(start, end, *_span_of(spans), slack)


def _within(
    spans: dict[str, tuple[dt.date, dt.date]], start: dt.date, end: dt.date
) -> dict[str, tuple[dt.date, dt.date]]:
    return {
        name: span
        for name, span in spans.items()
        if start <= dt.date(int(name[:4]), int(name[5:]), 1) <= end
    }


def _span_of(spans: dict[str, tuple[dt.date, dt.date]]) -> tuple[dt.date | None, dt.date | None]:
    return (
        min((lo for lo, _ in spans.values()), default=None),
        max((hi for _, hi in spans.values()), default=None),
    )


def complete_years(spans: dict[str, tuple[dt.date, dt.date]]) -> list[int]:
    """The years whose requests span them from start to end (as :func:`coverage` judges).

    Example:
        >>> complete_years({"2019-01": (dt.date(2019, 1, 2), dt.date(2019, 1, 31)),
        ...                 "2019-12": (dt.date(2019, 12, 1), dt.date(2019, 12, 30)),
        ...                 "2020-01": (dt.date(2020, 1, 1), dt.date(2020, 1, 26))})
        [2019]
    """
    years = sorted({int(name[:4]) for name in spans})
    return [year for year in years if _covered(spans, *period_bounds(year), TOLERANCE_DAYS["year"])]


def complete_months(spans: dict[str, tuple[dt.date, dt.date]], months: list[str]) -> list[bool]:
    """Whether the requests of each month (``YYYY-MM``) span it from start to end.

    Example:
        >>> spans = {"2019-12": (dt.date(2019, 12, 1), dt.date(2019, 12, 31)),
        ...          "2020-01": (dt.date(2020, 1, 1), dt.date(2020, 1, 26))}
        >>> complete_months(spans, ["2019-12", "2020-01", "2020-02"])
        [True, False, False]
    """
    keys = (name.split("-") for name in months)
    slack = TOLERANCE_DAYS["month"]
    return [_covered(spans, *period_bounds(int(y), int(m)), slack) for y, m in keys]


def coverage(
    data: Data,
    *,
    year: int,
    month: int | None = None,
    definitions: Any = None,
    **filters: Any,
) -> pd.DataFrame:
    """How far the data cover one year (or one month of it), up to ``as_of``.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year.
        month: A month of it (1-12), or ``None`` for the whole year.
        definitions: :class:`Definitions` or preset name; its ``as_of`` ends the data early.
        **filters: As for :func:`hotline.metrics.summary` (``source_kind=…``), without periods.

    Returns:
        One row: ``start`` and ``end`` of the period, ``first`` and ``last`` receipt in it
        (ISO dates, missing when there is none), ``data_first``/``data_last`` over all the
        data, ``months`` with requests and ``empty_months`` (YYYY-MM, joined by 、; missing
        when none) of the period up to the data's last receipt, ``complete`` and, when it is
        not, ``text``: what the data cover, in Chinese (missing when complete).
    """
    start, end = period_bounds(year, month)
    spans = month_spans(data, definitions=definitions, **filters)
    # the data's own span is the span of its months: no second pass over the orders
    data_first, data_last = _span_of(spans)
    inside = _within(spans, start, end)
    first, last = _span_of(inside)
    horizon = min(end, data_last) if data_last else end
    expected = pd.period_range(start, horizon, freq="M") if horizon >= start else []
    empty = [p.strftime("%Y-%m") for p in expected if p.strftime("%Y-%m") not in inside]
    complete = _covered(spans, start, end, TOLERANCE_DAYS["year" if month is None else "month"])
    return pd.DataFrame(
        [
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "first": None if first is None else first.isoformat(),
                "last": None if last is None else last.isoformat(),
                "data_first": None if data_first is None else data_first.isoformat(),
                "data_last": None if data_last is None else data_last.isoformat(),
                "months": len(inside),
                "empty_months": "、".join(empty) or None,
                "complete": complete,
                "text": None if complete else _span_text(start, end, first, last),
            }
        ]
    )
