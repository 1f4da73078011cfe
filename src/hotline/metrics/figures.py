"""One figure at a time: each metric as a function returning a :class:`Rate` or a count.

Every function takes canonical data (a DataFrame, or a dataset path for DuckDB), optional
:class:`Definitions` (or a preset name) and filters such as ``source_kind="hotline"`` or
``year=2021``, and computes exactly what :func:`hotline.metrics.summary` computes for one group.
Every rate is declared once, in :mod:`hotline.metrics.declarations`: :func:`rate` computes
any of them, and each built-in rate also has its own function (:func:`closure_rate` …).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "source_kind": ["hotline"] * 4,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 4),
    ...     "status": ["closed", "closed", "dispatched", "invalid"]})
    >>> volume(df), closure_rate(df)
    (3, Rate(numerator=2, denominator=3))
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from hotline.availability import missing_reason
from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.catalogue import denominator, numerator
from hotline.metrics.declarations import CATALOGUE, active
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.rate import Rate
from hotline.metrics.summary import summary

__all__ = [
    "RateFunction",
    "beijing_rates",
    "closure_rate",
    "direct_answer_rate",
    "dissatisfaction_rate",
    "extension_rate",
    "headline",
    "on_time_rate",
    "overdue",
    "rate",
    "rate_function",
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


def rate(key: str, data: Data, definitions: Defs = None, **filters: Any) -> Rate:
    """Any declared rate (:mod:`hotline.metrics.declarations`) of the data, as a :class:`Rate`.

    Missing (``Rate(0, 0)`` with its ``reason``) when the denominator is empty or the export
    lacks what the rate needs.

    Raises:
        HotlineError: ``key`` is not a declared rate.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["online"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2),
        ...     "status": ["replied", "received"]})
        >>> rate("closure_rate", df)
        Rate(numerator=1, denominator=2)
        >>> print(rate("satisfaction_rate", df))
        —（导出中没有满意度评价）
    """
    spec = active().rate(key)
    definitions = resolve(definitions)
    table = summary(data, definitions=definitions, **filters)
    row = table.iloc[0]
    if pd.isna(row[key]):  # no denominator, or the export lacks what the rate needs
        return Rate(0, 0, reason=table.attrs["unavailable"].get(key))
    return Rate(
        int(row[spec.numerator_under(definitions)]),
        int(row[spec.denominator_under(definitions)]),
    )


class RateFunction(Protocol):
    """A declared rate as a function of the data: ``closure_rate(df, "strict", year=2021)``."""

    def __call__(self, data: Data, definitions: Defs = None, **filters: Any) -> Rate:
        """The rate of ``data`` under ``definitions``, of the orders ``filters`` keep."""
        ...


def rate_function(key: str) -> RateFunction:
    """The figure function of a declared rate, documented from its declaration.

    Example:
        >>> print(rate_function("closure_rate").__doc__.splitlines()[0])
        办结率 = closed / accepted (or closed dispatched / dispatched, ``closure_base``).
    """
    spec = CATALOGUE.rate(key)

    def figure(data: Data, definitions: Defs = None, **filters: Any) -> Rate:
        return rate(key, data, definitions, **filters)

    figure.__name__ = figure.__qualname__ = key
    figure.__doc__ = (
        f"{spec.doc or spec.zh}\n\nFormula: {spec.zh} = {spec.formula}; see :func:`rate`."
    )
    return figure


def _count(value: Any) -> int | None:
    """A summed flag as an int, ``None`` when the export cannot say (see availability)."""
    return None if pd.isna(value) else int(value)


def _closure_gap(row: pd.Series) -> str | None:
    """Why a group's 办结率 is missing: none, or only some, of its orders' state is known."""
    needs = CATALOGUE.rate("closure_rate").needs
    if pd.isna(row["closed"]):  # no order of the group says whether it is closed
        return missing_reason(needs)
    unknown = int(row["accepted"]) - int(row["closure_known"])
    return f"其中{unknown}件工单的{missing_reason(needs)}" if unknown > 0 else None


def volume(data: Data, definitions: Defs = None, **filters: Any) -> int:
    """受理量: accepted orders (status not invalid, void or duplicate)."""
    return int(_totals(data, definitions, filters)[0]["accepted"])


def overdue(data: Data, definitions: Defs = None, **filters: Any) -> dict[str, int | None]:
    """Overdue orders: 超时办结 (closed late) and 超期未办结 (open past the deadline at as_of).

    ``None`` when the export says nothing of closure (no status, reply or close time).
    """
    row, _ = _totals(data, definitions, filters)
    return {"closed_late": _count(row["closed_late"]), "open_overdue": _count(row["open_overdue"])}


# One function per rate of the built-in catalogue (a rate declared later is ``rate(key, …)``).
closure_rate = rate_function("closure_rate")
direct_answer_rate = rate_function("direct_answer_rate")
on_time_rate = rate_function("on_time_rate")
satisfaction_rate = rate_function("satisfaction_rate")
dissatisfaction_rate = rate_function("dissatisfaction_rate")
revisit_rate = rate_function("revisit_rate")
response_rate = rate_function("response_rate")
resolution_rate = rate_function("resolution_rate")
return_rate = rate_function("return_rate")
extension_rate = rate_function("extension_rate")
repeat_rate = rate_function("repeat_rate")


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
