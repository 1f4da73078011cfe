"""When requests arrive and how far they get: the weekday × hour grid and the lifecycle funnel.

* :func:`weekday_hour`: accepted requests per weekday and hour of receipt, every one of the
  7 × 24 cells present (a quiet hour is 0, not missing), for staffing the call centre.
* :func:`funnel`: how many accepted requests were dispatched (派单), closed (办结), revisited
  (回访) and found satisfactory (满意). The funnel follows dispatched orders, so each stage is a
  subset of the one before; requests answered on the call (直接答复) leave it at 派单 and are
  reported beside it.

Both run on pandas and on DuckDB like every metric (:mod:`hotline.metrics.engine`).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-03-01 09:10", "2021-03-01 09:50",
    ...                                    "2021-03-07 22:00"]),
    ...     "status": ["closed", "answered_directly", "dispatched"],
    ...     "department": ["县教育局", None, "县教育局"]})
    >>> grid = weekday_hour(df)
    >>> len(grid), int(grid["accepted"].sum())
    (168, 3)
    >>> grid.query("accepted > 0")[["weekday", "hour", "accepted"]].to_dict("records")
    [{'weekday': 0, 'hour': 9, 'accepted': 2}, {'weekday': 6, 'hour': 22, 'accepted': 1}]
    >>> funnel(df)[["stage", "label", "count"]].to_dict("records")[:3]
    [{'stage': 'accepted', 'label': '受理', 'count': 3}, {'stage': 'dispatched', 'label': '派单', 'count': 2}, {'stage': 'closed', 'label': '办结', 'count': 1}]
"""  # noqa: E501

from __future__ import annotations

from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data, open_source, provenance
from hotline.metrics.flags import add_flags
from hotline.metrics.portable import iso_weekday
from hotline.metrics.summary import aggregate, apply_filters, canonical_frame

__all__ = ["FUNNEL_STAGES", "WEEKDAYS", "funnel", "weekday_hour"]

#: Weekday labels, Monday first (0), as Chinese reports write them.
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: Funnel stages: (code, Chinese label, English label).
FUNNEL_STAGES = (
    ("accepted", "受理", "Accepted"),
    ("dispatched", "派单", "Dispatched"),
    ("closed", "办结", "Closed"),
    ("revisited", "回访", "Revisited"),
    ("satisfied", "满意", "Satisfied"),
)


#: The flag that says the export carries a stage at all.
_STAGE_EVIDENCE = {
    "dispatched": "dispatch_known",
    "closed": "closure_known",
    "revisited": "revisit_known",
    "satisfied": "evaluation_known",
}


def weekday_hour(
    data: Data,
    *,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Accepted requests per weekday (0 = Monday) and hour of receipt, all 168 cells.

    Args:
        data: Canonical DataFrame (pandas engine) or dataset path (DuckDB engine).
        definitions: :class:`Definitions` or preset name (``as_of``).
        calendar: Working-day calendar; default the official one.
        **filters: As for :func:`hotline.metrics.summary` (``year=2021``…).

    Returns:
        Columns ``weekday`` (0-6), ``weekday_label`` (周一…周日), ``hour`` (0-23), ``accepted``.
    """
    definitions = resolve(definitions)
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions, calendar)
    frame = apply_filters(frame, filters).with_columns(
        weekday=iso_weekday(nw.col("received_at")) - 1,  # ISO: Monday is 1
        hour=nw.col("received_at").dt.hour(),
    )
    counts = aggregate(
        source,
        frame,
        ["weekday", "hour"],
        [nw.col("accepted").sum().alias("accepted")],
        integers=("accepted",),
    )
    grid = pd.DataFrame({"weekday": np.repeat(np.arange(7), 24), "hour": np.tile(np.arange(24), 7)})
    counts = counts.dropna(subset=["weekday", "hour"]).astype({"weekday": int, "hour": int})
    grid = grid.merge(counts, on=["weekday", "hour"], how="left")
    grid["accepted"] = grid["accepted"].fillna(0).astype(np.int64)
    grid.insert(1, "weekday_label", [WEEKDAYS[d] for d in grid["weekday"]])
    grid.attrs.update(provenance(data, definitions, as_of))
    return grid


def funnel(
    data: Data,
    *,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """The lifecycle funnel 受理 → 派单 → 办结 → 回访 → 满意 of dispatched orders.

    Stages after 受理 count dispatched orders only, so each is a subset of the one before:
    办结 = dispatched and closed by ``as_of``; 回访 = of those, revisited (a revisit time, the
    已回访 status or an evaluation); 满意 = of those, satisfied under ``definitions``.

    Args:
        data: Canonical DataFrame or dataset path.
        definitions: :class:`Definitions` or preset name (``as_of``, the satisfied set).
        calendar: Working-day calendar; default the official one.
        **filters: As for :func:`hotline.metrics.summary`.

    Returns:
        One row per stage: ``stage``, ``label``, ``label_en``, ``count``, ``of_previous`` and
        ``of_first`` (shares, missing when the base is 0). ``attrs["direct"]`` holds the requests
        answered on the call, which leave the funnel after 受理; ``attrs["left_out"]`` the
        stages not shown because the export says nothing about them (the funnel stops before
        the first such stage).
    """
    definitions = resolve(definitions)
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions, calendar)
    frame = apply_filters(frame, filters)
    dispatched = nw.col("dispatched") == 1
    closed = dispatched & (nw.col("closed") == 1)
    revisited = closed & (nw.col("revisited") == 1)
    satisfied = revisited & (nw.col("satisfied") == 1)
    sums = [
        nw.col("accepted").sum().alias("accepted"),
        nw.col("dispatched").sum().alias("dispatched"),
        closed.cast(nw.Int64).sum().alias("closed"),
        revisited.cast(nw.Int64).sum().alias("revisited"),
        satisfied.cast(nw.Int64).sum().alias("satisfied"),
        nw.col("direct").sum().alias("direct"),
        *[nw.col(flag).sum().alias(flag) for flag in _STAGE_EVIDENCE.values()],
    ]
    names = [*(code for code, _, _ in FUNNEL_STAGES), "direct", *_STAGE_EVIDENCE.values()]
    totals = aggregate(source, frame, [], sums, integers=names).iloc[0]
    # the funnel stops before the first stage the export says nothing about (no dispatch, no
    # status, no revisit or evaluation data): drawing it as 0 would say "none got that far"
    stages = []
    for stage in FUNNEL_STAGES:
        flag = _STAGE_EVIDENCE.get(stage[0])
        if flag is not None and totals["accepted"] > 0 and totals[flag] == 0:
            break
        stages.append(stage)
    counts = np.array([int(totals[code]) for code, _, _ in stages], dtype=np.int64)
    previous = np.concatenate([[counts[0]], counts[:-1]])
    table = pd.DataFrame(
        {
            "stage": [code for code, _, _ in stages],
            "label": [zh for _, zh, _ in stages],
            "label_en": [en for _, _, en in stages],
            "count": counts,
            "of_previous": np.where(previous > 0, counts / np.maximum(previous, 1), np.nan),
            "of_first": np.where(counts[0] > 0, counts / max(counts[0], 1), np.nan),
        }
    )
    left_out = [code for code, _, _ in FUNNEL_STAGES[len(stages) :]]
    table.attrs.update(
        {
            "direct": int(totals["direct"]),
            "left_out": left_out,  # stages the data cannot show
            **provenance(data, definitions, as_of),
        }
    )
    return table
