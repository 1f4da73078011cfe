"""Each order's deadline: the export's, else the clock start plus N working days.

The working days are those of the order's own calendar (:mod:`hotline.metrics.workdays`): a
New York request follows US federal holidays, a 12345 order China's official calendar with its
make-up working days (调休), in the same dataset. A calendar given by the caller applies to all.

Example:
    >>> import pandas as pd
    >>> from hotline.metrics import preset
    >>> from hotline.metrics.engine import open_source
    >>> from hotline.metrics.summary import canonical_frame
    >>> frame = canonical_frame(pd.DataFrame({"order_id": ["nyc", "12345"],
    ...     "source_kind": ["311", "hotline"],
    ...     "received_at": pd.to_datetime(["2023-04-04 10:00", "2023-04-04 10:00"])}))
    >>> source = open_source(frame)
    >>> rule = preset("default").replace(default_time_limit=1)
    >>> due = add_deadline(source, source.frame, rule, None)["due"].to_list()
    >>> [str(d) for d in due]  # Qingming (4/5) is a US working day, a Chinese holiday
    ['2023-04-05 23:59:59.999999', '2023-04-06 23:59:59.999999']
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
import pandas as pd

from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Source
from hotline.metrics.workdays import OrderCalendars

__all__ = ["add_deadline"]

#: Days of calendar past the latest clock start: room for long limits (15 working days over a
#: Spring Festival or National Day holiday stay well inside it).
_ROOM = dt.timedelta(days=120)


def add_deadline(
    source: Source, frame: Any, definitions: Definitions, calendar: WorkCalendar | None
) -> Any:
    """Add ``due``: the export's deadline, else clock start + N working days (end of that day).

    Without a working-day rule (``default_time_limit=None``, no ``time_limits``: the ``us311``
    preset) only the export's deadlines count.

    Args:
        source: The data's engine (for the small calendar tables and the bounds query).
        frame: The orders (narwhals, on the source's engine).
        definitions: The clock start and the time limits.
        calendar: One calendar for every order; ``None``: each order its own
            (:class:`~hotline.metrics.workdays.OrderCalendars`).
    """
    clock = {
        "received": nw.col("received_at"),
        "dispatched": nw.coalesce(nw.col("dispatched_at"), nw.col("received_at")),
        "signed": nw.coalesce(nw.col("signed_at"), nw.col("dispatched_at"), nw.col("received_at")),
    }[definitions.clock_start]
    if definitions.default_time_limit is None and not definitions.time_limits:
        return frame.with_columns(due=nw.col("due_at"))  # deadlines only where exported
    # -1: no rule for this request type (the deadline stays missing); a sentinel rather than a
    # null because pandas cannot cast a missing value to a plain integer column.
    default = -1 if definitions.default_time_limit is None else definitions.default_time_limit
    limit = nw.lit(default)
    for code, days in definitions.time_limits.items():
        limit = nw.when(nw.col("request_type") == code).then(nw.lit(days)).otherwise(limit)
    limit = nw.coalesce(nw.col("time_limit_workdays").cast(nw.Int64), limit.cast(nw.Int64))
    frame = frame.with_columns(_clock_day=clock.dt.truncate("1d"), _limit=limit)
    needed = nw.col("due_at").is_null() & ~nw.col("_clock_day").is_null()
    calendars = OrderCalendars.of(source, calendar)
    bounds = source.collect(
        frame.filter(needed).select(
            nw.col("_clock_day").min().alias("lo"),
            nw.col("_clock_day").max().alias("hi"),
            *calendars.range_aggregations(),
        )
    ).iloc[0]
    if pd.isna(bounds["lo"]):  # every order has its deadline from the export
        return frame.with_columns(due=nw.col("due_at")).drop("_clock_day", "_limit")
    used = calendars.used(source, frame.filter(needed), bounds)
    keys = calendars.keys(used)
    first = pd.Timestamp(bounds["lo"]).date()
    last = pd.Timestamp(bounds["hi"]).date() + _ROOM
    table = calendars.table(used, first, last)
    starts = table.rename(columns={"day": "_clock_day", "ordinal": "_start_ordinal"})[
        [*keys, "_clock_day", "_start_ordinal"]
    ]
    working = table[table["workday"]]
    ends = pd.DataFrame(
        {
            **{key: working[key].to_numpy() for key in keys},
            "_due_ordinal": working["ordinal"].to_numpy().astype("int64"),
            # the deadline is the end of the N-th working day after the clock starts
            "_due_calc": working["day"].to_numpy() + pd.Timedelta(days=1) - pd.Timedelta(1, "us"),
        }
    )
    frame = calendars.with_key(frame, used)
    frame = frame.join(source.table(starts), on=[*keys, "_clock_day"], how="left")
    frame = frame.with_columns(
        _due_ordinal=(nw.col("_start_ordinal") + nw.col("_limit")).cast(nw.Int64)
    )
    frame = frame.join(source.table(ends), on=[*keys, "_due_ordinal"], how="left")
    computed = nw.when(nw.col("_limit") >= 0).then(nw.col("_due_calc"))
    frame = frame.with_columns(due=nw.coalesce(nw.col("due_at"), computed))
    temporary = ["_clock_day", "_limit", "_start_ordinal", "_due_ordinal", "_due_calc"]
    return frame.drop(*temporary, *keys)
