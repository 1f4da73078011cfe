"""Per-order 0/1 flags from which every metric is a ratio of two sums.

The flags follow the counting rules of :mod:`hotline.rules` and a :class:`Definitions`: an
order received after ``as_of`` does not exist yet; a closure after ``as_of`` has not happened.
Written in narwhals, they run on pandas and on DuckDB alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import narwhals as nw
import pandas as pd

from hotline import rules, schema
from hotline.availability import INFORMATION
from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.deadline import add_deadline
from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Source

__all__ = ["COUNT_FLAGS", "add_flags", "resolve_as_of"]

#: The flags summed by :func:`hotline.metrics.summary`, in output order.
COUNT_FLAGS = (
    "accepted",
    "closed",
    "dispatched",
    "closed_dispatched",
    "direct",
    "closure_known",
    "dispatch_known",
    "evaluation_known",
    "on_time",
    "closed_late",
    "open_overdue",
    "evaluated",
    "satisfied",
    "dissatisfied",
    "closed_with_answer",
    "revisit_known",
    "revisited",
    "response_known",
    "responded",
    "resolution_known",
    "resolved",
    "return_known",
    "returned",
    "extension_known",
    "extended",
    "with_caller",
    "repeat_known",
    "repeats",
)

#: Information a whole export carries or not (a blank cell in a file that has the column is
#: itself information: no handling unit means answered on the call, no topic means none given).
FILE_INFORMATION = ("dispatch", "evaluation", "topic")

_US_PER_HOUR = 3_600_000_000


def _flag(expr: Any) -> Any:
    """A 0/1 column: missing counts as 0 (DuckDB keeps SQL's NULL where pandas says False)."""
    return expr.fill_null(False).cast(nw.Int8)


def resolve_as_of(source: Source, definitions: Definitions) -> dt.datetime:
    """``definitions.as_of``, else the data's own horizon: its latest time of any kind.

    The latest snapshot alone is not enough: a file name gives its date (midnight) but the
    export, taken later that day, already holds that morning's closures.
    """
    if definitions.as_of is not None:
        return definitions.as_of
    times = [c.name for c in schema.COLUMNS if c.kind == "timestamp" and c.name != "due_at"]
    latest = source.collect(source.frame.select(*[nw.col(c).max() for c in times])).iloc[0]
    found = [pd.Timestamp(v) for v in latest if pd.notna(v)]
    return max(found).to_pydatetime() if found else dt.datetime.max.replace(microsecond=0)


def files_lacking(source: Source) -> dict[str, list[str | None]]:
    """Per piece of :data:`FILE_INFORMATION`, the source files none of whose rows carry it.

    One small grouped count over the orders; ``None`` stands for orders without a source file
    (a frame built by hand), which are treated as one export.
    """
    fields = sorted({f for key in FILE_INFORMATION for f in INFORMATION[key].fields})
    counts = source.collect(
        source.frame.group_by("source_file").agg(*[nw.col(f).count() for f in fields])
    )
    lacking: dict[str, list[str | None]] = {}
    for key in FILE_INFORMATION:
        have = sum(counts[f].to_numpy() for f in INFORMATION[key].fields) > 0
        files = counts["source_file"].to_numpy()[~have]
        lacking[key] = [None if pd.isna(f) else str(f) for f in files]
    return lacking


def _carries(files: list[str | None]) -> Any:
    """True for the orders whose export carries the information (``files`` lack it)."""
    named = [f for f in files if f is not None]
    carries: Any = nw.lit(True)
    if named:
        carries = ~nw.col("source_file").is_in(named).fill_null(False)
    if len(named) < len(files):  # the orders without a source file lack it too
        carries = carries & ~nw.col("source_file").is_null()
    return carries


def add_flags(
    source: Source, definitions: Definitions, calendar: WorkCalendar | None = None
) -> tuple[Any, dt.datetime]:
    """The orders in scope at ``as_of`` with their flags and period columns.

    Returns:
        The frame (narwhals, on the source's engine) and the ``as_of`` used.
    """
    as_of = resolve_as_of(source, definitions)
    frame = source.frame.filter(nw.col("received_at") <= as_of)
    status = nw.col("status")
    online = (nw.col("source_kind") == "online").fill_null(False)
    accepted = ~status.is_in(list(rules.VOID_STATUSES)).fill_null(False)
    closed_status = status.is_in(list(rules.CLOSED_STATUSES)).fill_null(False) | (
        online & (status == "replied").fill_null(False)
    )
    closed_time = (
        nw.when(online)
        .then(nw.coalesce(nw.col("closed_at"), nw.col("replied_at"), nw.col("snapshot_at")))
        .otherwise(nw.coalesce(nw.col("closed_at"), nw.col("snapshot_at")))
    )
    frame = frame.with_columns(
        closed_time=closed_time,
        accepted=_flag(accepted),
        # an unknown close time cannot be after as_of; say so explicitly: pandas and DuckDB
        # disagree on comparisons with a missing value
        closed=_flag(accepted & closed_status & (closed_time.is_null() | (closed_time <= as_of))),
    )
    frame = add_deadline(source, frame, definitions, calendar)
    lacking = files_lacking(source)
    is_accepted = nw.col("accepted") == 1
    is_closed = nw.col("closed") == 1
    # an order whose export says nothing of its state is neither closed nor open: it is left
    # out of closure, deadline and overdue figures instead of counting as "not done"
    closure_known = accepted & ~status.is_null()
    carries_dispatch = _carries(lacking["dispatch"])
    no_dispatch = nw.col("dispatched_at").is_null() & nw.col("department").is_null()
    answered_directly = (status == "answered_directly").fill_null(False)
    direct = is_accepted & (
        answered_directly | (is_closed & no_dispatch & ~online & carries_dispatch)
    )
    satisfaction = nw.col("satisfaction")
    # an evaluation follows closure (回访); one on an order still open at as_of is not yet made
    evaluated = is_closed & satisfaction.is_in(
        [
            c
            for c in (
                "very_dissatisfied",
                "dissatisfied",
                "basically_satisfied",
                "satisfied",
                "very_satisfied",
            )
        ]
    ).fill_null(False)
    window = dt.timedelta(hours=definitions.response_window_hours)
    signed_in_time = (nw.col("signed_at") - nw.col("dispatched_at")) <= window
    frame = frame.with_columns(
        direct=_flag(direct),
        closure_known=_flag(closure_known),
        dispatch_known=_flag(is_accepted & (carries_dispatch | ~no_dispatch | answered_directly)),
        evaluation_known=_flag(is_accepted & _carries(lacking["evaluation"])),
        evaluated=_flag(evaluated),
        satisfied=_flag(evaluated & satisfaction.is_in(sorted(definitions.satisfied))),
        dissatisfied=_flag(evaluated & satisfaction.is_in(sorted(definitions.dissatisfied))),
    )
    is_dispatched = (nw.col("dispatch_known") == 1) & (nw.col("direct") == 0)
    due_passed = (nw.col("due") < as_of).fill_null(False)
    revisit_evidence = (
        ~satisfaction.is_null()
        | ~nw.col("revisited_at").is_null()
        | (status == "revisited").fill_null(False)
    )
    frame = frame.with_columns(
        dispatched=_flag(is_dispatched),
        closed_dispatched=_flag(is_dispatched & is_closed),
        on_time=_flag(is_closed & (nw.col("closed_time") <= nw.col("due"))),
        closed_late=_flag(is_closed & (nw.col("closed_time") > nw.col("due"))),
        open_overdue=_flag((nw.col("closure_known") == 1) & ~is_closed & due_passed),
        closed_with_answer=_flag(is_closed),
        revisit_known=_flag(is_closed & revisit_evidence),
        revisited=_flag(
            is_closed
            & (
                ~nw.col("revisited_at").is_null()
                | (status == "revisited").fill_null(False)
                | (nw.col("evaluated") == 1)
            )
        ),
        response_known=_flag(
            is_dispatched & (~nw.col("is_contacted").is_null() | ~nw.col("signed_at").is_null())
        ),
        responded=_flag(
            is_dispatched
            & (nw.col("is_contacted").fill_null(False) | signed_in_time.fill_null(False))
        ),
        resolution_known=_flag(is_accepted & ~nw.col("is_resolved").is_null()),
        resolved=_flag(is_accepted & nw.col("is_resolved").fill_null(False)),
        return_known=_flag(is_dispatched & ~nw.col("return_count").is_null()),
        returned=_flag(is_dispatched & (nw.col("return_count") >= 1).fill_null(False)),
        extension_known=_flag(is_dispatched & ~nw.col("is_extended").is_null()),
        extended=_flag(is_dispatched & nw.col("is_extended").fill_null(False)),
    )
    frame = _repeats(source, frame, definitions, _carries(lacking["topic"]))
    return _periods(frame, definitions), as_of


def _repeats(source: Source, frame: Any, definitions: Definitions, carries_topic: Any) -> Any:
    """重复诉求: an accepted request by the same caller on the same topic within N days.

    The ingest stores each request's gap to the previous one (``repeat_gap_hours``); a frame
    built by hand has no gaps, and they are computed here (a window per caller and topic).
    """
    known = source.collect(source.frame.select(nw.col("repeat_gap_hours").count().alias("n")))
    identified = (
        (nw.col("accepted") == 1) & ~nw.col("caller_key").is_null() & ~nw.col("topic").is_null()
    )
    if known["n"].iloc[0] == 0:
        previous = (
            nw.col("received_at")
            .shift(1)
            .over("caller_key", "topic", "accepted", order_by=["received_at", "order_id"])
        )
        gap = (nw.col("received_at") - previous).dt.total_microseconds() / _US_PER_HOUR
        frame = frame.with_columns(repeat_gap_hours=nw.when(identified).then(gap))
    window = definitions.repeat_window_days * 24
    return frame.with_columns(
        with_caller=_flag((nw.col("accepted") == 1) & ~nw.col("caller_key").is_null()),
        # an export without topics cannot show a repeat on the same topic: not "no repeats"
        repeat_known=_flag(
            (nw.col("accepted") == 1) & ~nw.col("caller_key").is_null() & carries_topic
        ),
        repeats=_flag(identified & (nw.col("repeat_gap_hours") <= window)),
    )


def _periods(frame: Any, definitions: Definitions) -> Any:
    """``period_time``: the time an order is attributed to (received, or closed for flows)."""
    when = nw.col("received_at") if definitions.period == "received" else nw.col("closed_time")
    return frame.with_columns(period_time=when)
