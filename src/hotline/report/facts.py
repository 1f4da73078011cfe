"""The figures a report states, each a :class:`Fact` recomputable from one metric call.

A :class:`Query` names a function of :mod:`hotline.metrics` with its arguments and how to pick
one value from its result (a row by key or by position, a column, an ``attrs`` entry, or a
count of rows). A :class:`Fact` is a query's value (or two queries' share, change or difference)
with its formatted text, the call in words and its definition. Reports are written from facts
only, so every number in them can be traced back and recomputed (``docs/report.md``).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed", "received"]})
    >>> sheet = FactSheet(df)
    >>> fact = sheet.add("total.closure_rate", "rate", Query("closure_rate", {"year": 2021}))
    >>> fact.text, fact.call
    ('50.00%', 'metrics.closure_rate(data, year=2021)')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import pandas as pd

from hotline.errors import HotlineError
from hotline.metrics.calls import metric_results
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.rate import Rate
from hotline.report.numbers import format_value, is_missing

__all__ = ["TEXT_KINDS", "Fact", "FactSheet", "Query", "combine", "evaluate"]

#: Fact kinds whose text is a name or a date rather than a number (a traceability check
#: removes them from the text before it looks for numbers).
TEXT_KINDS = frozenset({"label", "date", "month", "month_with_year", "months", "request_type"})

Measure = Literal["cell", "rows", "len"]
Op = Literal["share", "change", "pp", "minus"]


@dataclass(frozen=True)
class Query:
    """One value out of one metric call.

    Attributes:
        function: A function of :mod:`hotline.metrics` (called as
            ``function(data, definitions=..., **kwargs)``), or ``definitions`` for the
            definitions' own choices (``Definitions.describe()``).
        kwargs: Its arguments after the data (filters such as ``year=2021``, ``by=...``).
        where: Keep the rows whose columns equal these values (``None`` matches missing).
        present: Keep the rows where these columns are not missing.
        order_by: Sort the rows by this column (stable, missing last) before ``position``.
        ascending: Sort order.
        position: Take the row at this position (negative from the end); without it exactly
            one row must remain.
        column: The column of that row.
        attrs: A path into the result's ``attrs`` (or into ``describe()``) instead of a row.
        measure: ``cell`` (one value), ``rows`` (how many rows remain), ``len`` (length of the
            value found by ``attrs``).
    """

    function: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    where: Mapping[str, Any] = field(default_factory=dict)
    present: tuple[str, ...] = ()
    order_by: str | None = None
    ascending: bool = False
    position: int | None = None
    column: str | None = None
    attrs: tuple[str | int, ...] = ()
    measure: Measure = "cell"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``facts.json``).

        Example:
            >>> Query("volume", {"year": 2021}).to_dict()["kwargs"]
            {'year': 2021}
        """
        return {
            "function": self.function,
            "kwargs": dict(self.kwargs),
            "where": dict(self.where),
            "present": list(self.present),
            "order_by": self.order_by,
            "ascending": self.ascending,
            "position": self.position,
            "column": self.column,
            "attrs": list(self.attrs),
            "measure": self.measure,
        }

    def describe(self) -> str:
        """The call in words, e.g. ``metrics.summary(data, by='topic', year=2021)['accepted']``.

        Example:
            >>> Query("headline", {"year": 2021}, where={"source_kind": "total"},
            ...       column="accepted").describe()
            "metrics.headline(data, year=2021)[source_kind == 'total']['accepted']"
        """
        if self.function == "definitions":
            text = "Definitions.describe()"
        else:
            arguments = "".join(f", {k}={v!r}" for k, v in self.kwargs.items())
            text = f"metrics.{self.function}(data{arguments})"
        if self.attrs:
            text += ".attrs" if self.function != "definitions" else ""
            text += "".join(f"[{step!r}]" for step in self.attrs)
            return f"len({text})" if self.measure == "len" else text
        for name, value in self.where.items():
            text += f"[{name} is missing]" if value is None else f"[{name} == {value!r}]"
        for name in self.present:
            text += f"[{name} not missing]"
        if self.order_by is not None:
            text += f".sort_values({self.order_by!r}, ascending={self.ascending})"
        if self.measure == "rows":
            return f"len({text})"
        if self.position is not None:
            text += f".iloc[{self.position}]"
        return text + (f"[{self.column!r}]" if self.column else "")


def _plain(value: Any) -> Any:
    """A result cell as plain Python: a rate's value, ``None`` for missing, no numpy types."""
    if isinstance(value, Rate):
        return value.value
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _rows(result: pd.DataFrame, query: Query) -> pd.DataFrame:
    frame = result.reset_index() if result.index.name is not None else result
    for name, value in query.where.items():
        frame = frame[frame[name].isna() if value is None else frame[name] == value]
    for name in query.present:
        frame = frame[frame[name].notna()]
    if query.order_by is not None:
        frame = frame.sort_values(
            query.order_by, ascending=query.ascending, kind="stable", na_position="last"
        )
    return frame


def evaluate(query: Query, result: Any) -> Any:
    """Pick a query's value out of the result of its metric call.

    Args:
        query: What to pick.
        result: What ``query.function`` returned (``describe()`` for ``definitions``).

    Raises:
        HotlineError: No single row matches.

    Example:
        >>> evaluate(Query("closure_rate"), Rate(2, 4))
        0.5
    """
    if query.attrs:
        value = result if query.function == "definitions" else result.attrs
        for step in query.attrs:
            value = value[step]
        return len(value) if query.measure == "len" else _plain(value)
    if not isinstance(result, pd.DataFrame):
        return _plain(result)
    rows = _rows(result, query)
    if query.measure == "rows":
        return len(rows)
    if query.position is not None:
        row = rows.iloc[query.position]
    elif len(rows) == 1:
        row = rows.iloc[0]
    else:
        raise HotlineError(f"{query.describe()}: {len(rows)} rows match; expected one")
    # A query of a table names its column; without one, row[None] raises KeyError as it did.
    return _plain(row[cast(str, query.column)])


def combine(op: Op | None, value: Any, base: Any) -> Any:
    """A value on its own, or combined with a base value.

    Share ``a / b``, change ``a / b - 1``, percentage points ``(a - b) * 100``, difference
    ``a - b``; missing when either is missing (or when the base of a ratio is 0).

    Example:
        >>> combine("share", 1, 4), combine("change", 5, 4), combine("pp", 0.9, 0.85)
        (0.25, 0.25, 5.000000000000004)
        >>> combine("share", 1, 0) is None
        True
    """
    if op is None:
        return value
    if is_missing(value) or is_missing(base):
        return None
    if op in ("share", "change"):
        if base == 0:
            return None
        return value / base if op == "share" else value / base - 1
    if op == "pp":
        return (value - base) * 100
    return value - base


_OPS = {
    "share": "{a} / {b}",
    "change": "{a} / {b} - 1",
    "pp": "({a} - {b}) × 100",
    "minus": "{a} - {b}",
}


@dataclass(frozen=True)
class Fact:
    """One figure a report states.

    Attributes:
        key: Stable identifier (``hotline.closure_rate``, ``topic.0.accepted``).
        kind: How the value is written (:data:`hotline.report.numbers.FORMATS`).
        value: The value (``None`` when the data does not hold it).
        text: The value as the report writes it.
        call: The metric call(s) it comes from, in words.
        definition: What it means (the 口径), in Chinese.
        query: The metric call.
        base: The second call of a share, change or difference.
        op: ``share``, ``change``, ``pp`` or ``minus`` with ``base``.
    """

    key: str
    kind: str
    value: Any
    text: str
    call: str
    definition: str
    query: Query
    base: Query | None = None
    op: Op | None = None

    @property
    def missing(self) -> bool:
        """Whether the data does not hold this figure.

        Example:
            >>> Fact("k", "rate", None, "无数据", "", "", Query("volume")).missing
            True
        """
        return is_missing(self.value)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (for ``facts.json``).

        Example:
            >>> Fact("total.accepted", "count", 3, "3件", "", "", Query("volume")).to_dict()["text"]
            '3件'
        """
        return {
            "key": self.key,
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "call": self.call,
            "definition": self.definition,
            "query": self.query.to_dict(),
            "base": None if self.base is None else self.base.to_dict(),
            "op": self.op,
        }


class FactSheet:
    """The facts of one report, computed from one dataset under one set of definitions.

    Metric calls are cached by function and arguments, so a hundred facts out of one ranking
    cost one ranking.

    Args:
        data: Canonical DataFrame or dataset path.
        definitions: :class:`Definitions` or preset name.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
        >>> sheet = FactSheet(df)
        >>> query = Query("headline", {"year": 2021}, where={"source_kind": "total"},
        ...               column="accepted")
        >>> sheet.value(query), sheet.add("total.accepted", "count", query).text
        (2, '2件')
        >>> "total.accepted" in sheet, len(sheet), sheet.to_list()[0]["value"]
        (True, 1, 2)
        >>> sheet.result("headline", {"year": 2021}) is sheet.result("headline", {"year": 2021})
        True
    """

    def __init__(self, data: Data, definitions: Definitions | str | None = None) -> None:
        self.data = data
        self.definitions = resolve(definitions)
        self._facts: dict[str, Fact] = {}
        self._calls = metric_results(data, self.definitions)
        self._described: dict[str, Any] | None = None

    def result(self, function: str, kwargs: Mapping[str, Any] | None = None) -> Any:
        """The (cached) result of one metric call (:func:`hotline.metrics.calls.metric_results`)."""
        if function == "definitions":
            if self._described is None:
                self._described = self.definitions.describe()
            return self._described
        return self._calls(function, dict(kwargs or {}))

    def value(self, query: Query) -> Any:
        """A query's value, without recording a fact."""
        return evaluate(query, self.result(query.function, query.kwargs))

    def add(
        self,
        key: str,
        kind: str,
        query: Query,
        *,
        base: Query | None = None,
        op: Op | None = None,
        definition: str = "",
    ) -> Fact:
        """Compute, format and record one fact (a key is recorded once)."""
        if key in self._facts:
            raise HotlineError(f"fact {key!r} recorded twice")
        value = combine(op, self.value(query), None if base is None else self.value(base))
        call = query.describe()
        if base is not None and op is not None:
            call = _OPS[op].format(a=call, b=base.describe())
        fact = Fact(
            key=key,
            kind=kind,
            value=value,
            text=format_value(kind, value),
            call=call,
            definition=definition,
            query=query,
            base=base,
            op=op,
        )
        self._facts[key] = fact
        return fact

    def __getitem__(self, key: str) -> Fact:
        return self._facts[key]

    def __contains__(self, key: object) -> bool:
        return key in self._facts

    def get(self, key: str, default: Fact | None = None) -> Fact | None:
        """The fact recorded under ``key``, else ``default`` (a fact some data do not have)."""
        return self._facts.get(key, default)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)

    def to_list(self) -> list[dict[str, Any]]:
        """Every fact as plain data, in the order recorded."""
        return [fact.to_dict() for fact in self]
