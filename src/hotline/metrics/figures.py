"""One figure at a time: each metric as a function returning a :class:`Rate` or a count.

Every function takes canonical data (a DataFrame, or a dataset path for DuckDB), optional
:class:`Definitions` (or a preset name) and filters such as ``source_kind="hotline"`` or
``year=2021``, and computes exactly what :func:`hotline.metrics.summary` computes for one group.
The formulas are in :mod:`hotline.metrics.catalogue` and ``docs/metrics.md``.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "source_kind": ["hotline"] * 4,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 4),
    ...     "status": ["closed", "closed", "dispatched", "invalid"]})
    >>> volume(df), closure_rate(df)
    (3, Rate(numerator=2, denominator=3))
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hotline.availability import missing_reason
from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.catalogue import RATES, denominator, numerator
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.rate import Rate
from hotline.metrics.summary import summary

__all__ = [
    "beijing_rates",
    "closure_rate",
    "direct_answer_rate",
    "dissatisfaction_rate",
    "extension_rate",
    "headline",
    "on_time_rate",
    "overdue",
    "repeat_rate",
    "resolution_rate",
    "response_rate",
    "return_rate",
    "revisit_rate",
    "satisfaction_rate",
    "volume",
]

Defs = Definitions | str | None


def _totals(
    data: Data, definitions: Defs, filters: dict[str, Any]
) -> tuple[pd.Series, Definitions]:
    definitions = resolve(definitions)
    return summary(data, definitions=definitions, **filters).iloc[0], definitions


def _rate(key: str, data: Data, definitions: Defs, filters: dict[str, Any]) -> Rate:
    definitions = resolve(definitions)
    table = summary(data, definitions=definitions, **filters)
    row = table.iloc[0]
    if pd.isna(row[key]):  # no denominator, or the export lacks what the rate needs
        return Rate(0, 0, reason=table.attrs["unavailable"].get(key))
    return Rate(int(row[numerator(key, definitions)]), int(row[denominator(key, definitions)]))


def _count(value: Any) -> int | None:
    """A summed flag as an int, ``None`` when the export cannot say (see availability)."""
    return None if pd.isna(value) else int(value)


def _closure_gap(row: pd.Series) -> str | None:
    """Why a group's 办结率 is missing: none, or only some, of its orders' state is known."""
    needs = RATES["closure_rate"].needs
    if pd.isna(row["closed"]):  # no order of the group says whether it is closed
        return missing_reason(needs)
    unknown = int(row["accepted"]) - int(row["closure_known"])
    return f"其中{unknown}件工单的{missing_reason(needs)}" if unknown > 0 else None


def volume(data: Data, definitions: Defs = None, **filters: Any) -> int:
    """受理量: accepted orders (status not invalid, void or duplicate)."""
    return int(_totals(data, definitions, filters)[0]["accepted"])


def closure_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """办结率 = closed / accepted (or closed dispatched / dispatched, ``closure_base``)."""
    return _rate("closure_rate", data, definitions, filters)


def direct_answer_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """直接答复率 = answered by the call-taker without dispatch / accepted.

    Missing (with its reason) when the export says nothing about dispatch (no dispatch time,
    no handling unit, no 直接答复 status): then a direct answer cannot be told from a missing
    column.
    """
    return _rate("direct_answer_rate", data, definitions, filters)


def on_time_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """按时办结率 = closed by the deadline / (closed by it + closed late + open past it)."""
    return _rate("on_time_rate", data, definitions, filters)


def overdue(data: Data, definitions: Defs = None, **filters: Any) -> dict[str, int | None]:
    """Overdue orders: 超时办结 (closed late) and 超期未办结 (open past the deadline at as_of).

    ``None`` when the export says nothing of closure (no status, reply or close time).
    """
    row, _ = _totals(data, definitions, filters)
    return {"closed_late": _count(row["closed_late"]), "open_overdue": _count(row["open_overdue"])}


def satisfaction_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """满意率 = satisfied / evaluated (the satisfied set and the base are definitions)."""
    return _rate("satisfaction_rate", data, definitions, filters)


def dissatisfaction_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """不满意率 = dissatisfied / evaluated."""
    return _rate("dissatisfaction_rate", data, definitions, filters)


def revisit_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """回访率 = revisited (a revisit time, 已回访, or an evaluation) / closed with revisit data."""
    return _rate("revisit_rate", data, definitions, filters)


def response_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """响应率 (Beijing) = dispatched orders signed for or contacted within the window."""
    return _rate("response_rate", data, definitions, filters)


def resolution_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """解决率 (Beijing) = the caller says solved / callers asked."""
    return _rate("resolution_rate", data, definitions, filters)


def return_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """退单率 = dispatched orders returned at least once / dispatched orders with return data."""
    return _rate("return_rate", data, definitions, filters)


def extension_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """延期率 = dispatched orders extended / dispatched orders with extension data."""
    return _rate("extension_rate", data, definitions, filters)


def repeat_rate(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """重复诉求率 = repeats (same caller, same topic, within N days) / accepted with a caller."""
    return _rate("repeat_rate", data, definitions, filters)


def beijing_rates(data: Data, definitions: Defs = "beijing", **filters: Any) -> dict[str, Any]:
    """Beijing's 三率: 响应率, 解决率, 满意率 under the ``beijing`` preset by default."""
    return {
        "响应率": response_rate(data, definitions, **filters),
        "解决率": resolution_rate(data, definitions, **filters),
        "满意率": satisfaction_rate(data, definitions, **filters),
    }


def headline(
    data: Data, definitions: Defs = None, calendar: WorkCalendar | None = None, **filters: Any
) -> pd.DataFrame:
    """受理、办结、办结率 per source kind and in total: the figures a report quotes.

    Returns:
        Index: each source kind present, then ``total``; columns ``accepted``, ``closed``
        (``None`` when the export cannot say), ``closure_rate`` (a :class:`Rate`, with its
        reason when missing).
    """
    definitions = resolve(definitions)
    parts = summary(data, by="source_kind", definitions=definitions, calendar=calendar, **filters)
    total = summary(data, definitions=definitions, calendar=calendar, **filters)
    rows = []
    for _, row in pd.concat(
        [parts, total.assign(source_kind="total")], ignore_index=True
    ).iterrows():
        num = row[numerator("closure_rate", definitions)]
        den = row[denominator("closure_rate", definitions)]
        if pd.isna(row["closure_rate"]):
            rate = Rate(0, 0, reason=_closure_gap(row))
        else:
            rate = Rate(int(num), int(den))
        rows.append(
            {
                "source_kind": row["source_kind"],
                "accepted": int(row["accepted"]),
                "closed": _count(row["closed"]),
                "closure_rate": rate,
            }
        )
    return pd.DataFrame(rows).set_index("source_kind")
