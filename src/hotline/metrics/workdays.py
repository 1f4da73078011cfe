"""Which working-day calendar each order follows, and calendars as tables to join on.

An order follows the calendar of the profile that read its file: the ingest records it per file
in the manifest (``inputs[].calendar``). A dataset written before calendars were recorded, or a
frame built by hand, falls back on the order's ``source_kind``: ``311`` requests follow
``us-federal``, 12345 and online orders ``cn``. A calendar the caller passes explicitly (the
``calendar=`` argument of the metrics, ``--holidays FILE`` on the command line) applies to every
order.

Working days are counted by joining a small calendar table on the order's day: one row per
(calendar, day), with the working days counted from the table's first day (``ordinal``). A
dataset with a single calendar (the usual case) joins on the day alone, exactly as before
calendars were per profile; a mixed one also joins on the calendar, on pandas and DuckDB alike.

Example:
    >>> import narwhals as nw
    >>> from hotline.metrics.engine import open_source
    >>> frame = pd.DataFrame({"source_kind": ["hotline", "311"], "source_file": [None, None]})
    >>> calendars = OrderCalendars.of(open_source(frame))
    >>> calendars.names
    ('cn', 'us-federal')
    >>> open_source(frame).frame.select(nw.col("source_kind"), calendars.code.alias("c"))[
    ...     "c"].to_list()
    [0, 1]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import narwhals as nw
import pandas as pd

from hotline.errors import HotlineError
from hotline.metrics.calendar import DEFAULT_CALENDAR, WorkCalendar, calendar_for
from hotline.metrics.engine import Source, manifest_of

__all__ = [
    "CALENDAR_KEY",
    "OrderCalendars",
    "calendar_note",
    "data_calendars",
    "file_calendars",
    "kind_calendar",
]

#: The column holding an order's calendar (an index into :attr:`OrderCalendars.names`)
#: while a mixed dataset is joined to its calendar tables.
CALENDAR_KEY = "_calendar"

#: The calendar of a ``source_kind`` when nothing records one (datasets written before the
#: manifest recorded calendars, frames built by hand).
_KIND_CALENDARS = {"311": "us-federal"}


def kind_calendar(kind: object) -> str:
    """The calendar an order of ``source_kind`` ``kind`` follows when none is recorded.

    Example:
        >>> kind_calendar("311"), kind_calendar("hotline"), kind_calendar(None)
        ('us-federal', 'cn', 'cn')
    """
    return _KIND_CALENDARS.get(str(kind), DEFAULT_CALENDAR)


def file_calendars(manifest: Mapping[str, Any]) -> dict[str, str]:
    """Source file -> the calendar its orders follow: as recorded, else by its kind.

    Example:
        >>> file_calendars({"inputs": [
        ...     {"name": "a.csv", "kind": "hotline", "calendar": "cn"},
        ...     {"name": "b.csv", "kind": "311", "calendar": "holidays:US-NY"},
        ...     {"name": "old.csv", "kind": "311"}]})
        {'a.csv': 'cn', 'b.csv': 'holidays:US-NY', 'old.csv': 'us-federal'}
    """
    return {
        str(entry["name"]): entry.get("calendar") or kind_calendar(entry.get("kind"))
        for entry in manifest.get("inputs") or []
        if entry.get("name")
    }


def data_calendars(data: Any) -> list[str]:
    """The calendars the orders of ``data`` follow, from its manifest, else its kinds.

    Example:
        >>> frame = pd.DataFrame({"source_kind": ["311", "hotline"]})
        >>> data_calendars(frame)
        ['cn', 'us-federal']
    """
    manifest = manifest_of(data)
    entries = [e for e in manifest.get("inputs") or [] if e.get("role", "orders") == "orders"]
    if entries:
        return sorted({e.get("calendar") or kind_calendar(e.get("kind")) for e in entries})
    if isinstance(data, pd.DataFrame) and "source_kind" in data:
        return sorted({kind_calendar(k) for k in data["source_kind"].dropna().unique()} or {"cn"})
    return [DEFAULT_CALENDAR]


#: How report prose names a calendar (Chinese).
_CALENDAR_WORDS = {
    "cn": "国家法定节假日和调休安排",
    "us-federal": "美国联邦假日",
    "none": "周一至周五（不计节假日）",
}


def calendar_note(names: list[str]) -> str:
    """How working days were counted, in one Chinese phrase for a footnote.

    Example:
        >>> calendar_note(["cn"])
        '工作日按国家法定节假日和调休安排确定'
        >>> calendar_note(["cn", "holidays:US-NY"])
        '工作日按各数据来源的日历确定：国家法定节假日和调休安排；US-NY 公共假日'
    """
    words = [_CALENDAR_WORDS.get(n, f"{n.partition(':')[2]} 公共假日") for n in names]
    if len(words) == 1:
        return f"工作日按{words[0]}确定"
    return "工作日按各数据来源的日历确定：" + "；".join(words)


@dataclass(frozen=True)
class OrderCalendars:
    """The calendars orders of one computation may follow, and which one each follows.

    Attributes:
        names: The candidate calendars' names; an order's calendar is an index into them.
        code: Narwhals expression: each order's index into ``names`` (Int64).
        given: The one calendar the caller gave for every order, if any.
        files: Calendar name -> the files that recorded it (for messages).
    """

    names: tuple[str, ...]
    code: Any
    given: WorkCalendar | None = None
    files: Mapping[str, list[str]] = field(default_factory=dict)
    _built: dict[int, WorkCalendar] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, source: Source, calendar: WorkCalendar | None = None) -> OrderCalendars:
        """The calendars of ``source``'s orders; ``calendar``, if given, for every order.

        Only files whose recorded calendar differs from their kind's default are named in the
        expression, so a dataset of built-in profiles costs a test of ``source_kind`` only.
        """
        if calendar is not None:
            return cls((calendar.name,), nw.lit(0, dtype=nw.Int64), given=calendar)
        names = [DEFAULT_CALENDAR, kind_calendar("311")]
        special: dict[str, list[str]] = {}
        for entry in source.manifest.get("inputs") or []:
            recorded = entry.get("calendar")
            if entry.get("name") and recorded and recorded != kind_calendar(entry.get("kind")):
                special.setdefault(recorded, []).append(str(entry["name"]))
                if recorded not in names:
                    names.append(recorded)
        # cn is 0 and us-federal 1: the kind's test is the index itself (no branch per row)
        code = (nw.col("source_kind") == "311").fill_null(False).cast(nw.Int64)
        for name, files in special.items():
            in_files = nw.col("source_file").is_in(files).fill_null(False)
            code = nw.when(in_files).then(nw.lit(names.index(name))).otherwise(code)
        return cls(tuple(names), code.cast(nw.Int64), files=special)

    def calendar(self, index: int) -> WorkCalendar:
        """The calendar of index ``index``, built on first use (only used ones are built).

        Raises:
            HotlineError: The manifest names a calendar hotline does not know.
        """
        if self.given is not None:
            return self.given
        if index not in self._built:
            name = self.names[index]
            try:
                self._built[index] = calendar_for(name)
            except HotlineError as error:
                files = ", ".join(self.files.get(name, [])) or "dataset"
                raise HotlineError(f"{files} (dataset manifest): {error}") from None
        return self._built[index]

    def range_aggregations(self) -> list[Any]:
        """Aggregations to add to a bounds query: the lowest and highest calendar index."""
        if len(self.names) == 1:
            return []
        return [self.code.min().alias("_cal_lo"), self.code.max().alias("_cal_hi")]

    def used(self, source: Source, frame: Any, bounds: pd.Series) -> list[int]:
        """The calendars ``frame``'s orders follow, from a bounds query's range aggregations.

        One small grouped count, only when the range shows more than one calendar.
        """
        if len(self.names) == 1:
            return [0]
        lo, hi = int(bounds["_cal_lo"]), int(bounds["_cal_hi"])
        if lo == hi:
            return [lo]
        codes = source.collect(frame.select(self.code.alias("c")).unique())["c"]
        return sorted(int(c) for c in codes.dropna())

    def keys(self, used: list[int]) -> list[str]:
        """Join keys besides the day: the calendar, when orders follow more than one."""
        return [CALENDAR_KEY] if len(used) > 1 else []

    def with_key(self, frame: Any, used: list[int]) -> Any:
        """``frame`` with :data:`CALENDAR_KEY` when the join needs it."""
        return frame.with_columns(self.code.alias(CALENDAR_KEY)) if self.keys(used) else frame

    def table(self, used: list[int], first: dt.date, last: dt.date) -> pd.DataFrame:
        """The used calendars' days from ``first`` to ``last`` (:meth:`WorkCalendar.table`).

        With several calendars the tables are stacked with a :data:`CALENDAR_KEY` column; each
        one's ``ordinal`` counts from ``first``, so differences within a calendar hold.
        """
        if len(used) == 1:
            return self.calendar(used[0]).table(first, last)
        parts = [self.calendar(i).table(first, last).assign(**{CALENDAR_KEY: i}) for i in used]
        table = pd.concat(parts, ignore_index=True)
        table[CALENDAR_KEY] = table[CALENDAR_KEY].astype("int64")
        return table
