"""Per-order 0/1 flags from which every metric is a ratio of two sums.

The flags follow the counting rules of :mod:`hotline.rules` and a :class:`Definitions`: an
order received after ``as_of`` does not exist yet; a closure after ``as_of`` has not happened.
Each flag is declared once, in :mod:`hotline.metrics.declarations`; this module adds them to
the orders in the order their declared reads require. Written in narwhals, they run on pandas
and on DuckDB alike.
"""

from __future__ import annotations

import datetime as dt

import narwhals as nw
import pandas as pd

from hotline import schema
from hotline.availability import INFORMATION
from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.deadline import add_deadline
from hotline.metrics.declarations import CATALOGUE, Column, Flag, Scope, active, layers
from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Frame, Source

__all__ = ["COUNT_FLAGS", "add_flags", "resolve_as_of"]


#: The flags summed by :func:`hotline.metrics.summary`, in output order (of the built-in
#: declarations; :func:`~hotline.metrics.declarations.active` has those in force).
COUNT_FLAGS: tuple[str, ...] = CATALOGUE.count_flags


#: Information a whole export carries or not (a blank cell in a file that has the column is
#: itself information: no handling unit means answered on the call, no topic means none given).
FILE_INFORMATION = ("dispatch", "evaluation", "topic")


def _flag(expr: nw.Expr) -> nw.Expr:
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


def _carries(files: list[str | None]) -> nw.Expr:
    """True for the orders whose export carries the information (``files`` lack it)."""
    named = [f for f in files if f is not None]
    carries = nw.lit(True)
    if named:
        carries = ~nw.col("source_file").is_in(named).fill_null(False)
    if len(named) < len(files):  # the orders without a source file lack it too
        carries = carries & ~nw.col("source_file").is_null()
    return carries


def add_flags(
    source: Source, definitions: Definitions, calendar: WorkCalendar | None = None
) -> tuple[Frame, dt.datetime]:
    """The orders in scope at ``as_of`` with their flags and period columns.

    The declared flags and helper columns are added in layers: each layer reads only earlier
    ones, and is one ``with_columns`` (one projection for DuckDB).

    Returns:
        The frame (narwhals, on the source's engine) and the ``as_of`` used.
    """
    as_of = resolve_as_of(source, definitions)
    frame = source.frame.filter(nw.col("received_at") <= as_of)
    frame = add_deadline(source, frame, definitions, calendar)
    lacking = files_lacking(source)
    known = source.collect(source.frame.select(nw.col("repeat_gap_hours").count().alias("n")))
    scope = Scope(
        as_of=as_of,
        definitions=definitions,
        carries={key: _carries(files) for key, files in lacking.items()},
        gaps_known=bool(known["n"].iloc[0] > 0),
    )
    for layer in layers(active()):
        columns = {d.key: e for d in layer if (e := _expression(d, scope)) is not None}
        if columns:
            frame = frame.with_columns(**columns)
    return frame, as_of


def _expression(declaration: Column | Flag, scope: Scope) -> nw.Expr | None:
    """A declaration's expression for one computation (a flag as 0/1)."""
    build = declaration.build
    expr = build if isinstance(build, nw.Expr) else build(scope)
    if expr is None or isinstance(declaration, Column):
        return expr
    return _flag(expr)
