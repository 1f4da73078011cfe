"""Breakdowns: one tidy row per group with counts, rates and their 95% intervals.

Groups are periods (year, quarter, month, week of the period column, see
:attr:`Definitions.period`) and dimensions (town, department, request type, topic, channel,
source kind), alone or crossed. Counts are sums of per-order flags, so the numerators and
denominators of the groups always add up to the overall ones; orders without a value for a
dimension form their own group (key missing) rather than disappear.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-01-05", "2021-01-06", "2021-02-01"]),
    ...     "status": ["closed", "in_progress", "closed"], "town": ["A", "A", "B"]})
    >>> summary(df, by="town")[["town", "accepted", "closed", "closure_rate"]]
      town  accepted  closed  closure_rate
    0    A         2       1           0.5
    1    B         1       1           1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from hotline import schema
from hotline.availability import missing_reason
from hotline.errors import HotlineError
from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.declarations import active
from hotline.metrics.definitions import PRESETS, Definitions, resolve
from hotline.metrics.engine import Data, Frame, Source, open_source, provenance
from hotline.metrics.flags import add_flags
from hotline.metrics.portable import epoch_day, iso_weekday
from hotline.metrics.rate import wilson_interval

__all__ = [
    "DIMENSIONS",
    "PERIODS",
    "add_rates",
    "aggregate",
    "canonical_frame",
    "summary",
    "unavailable",
]

_EPOCH = pd.Timestamp("1970-01-01")

#: Period keys, from the coarsest.
PERIODS = ("year", "quarter", "month", "week", "day")

#: Dimension names accepted by ``by`` -> canonical column.
DIMENSIONS = {
    "town": "town",
    "department": "department",
    "agency": "department",  # what 311 data calls the handling unit
    "type": "request_type",
    "request_type": "request_type",
    "topic": "topic",
    "complaint_type": "topic",  # 311: the request's type is the hotline's topic
    "channel": "channel",
    "kind": "source_kind",
    "source_kind": "source_kind",
    "status": "status",
}


def canonical_frame(data: Data) -> Data:
    """A canonical DataFrame with every column present (metric inputs may be partial)."""
    if isinstance(data, pd.DataFrame):
        missing = [c.name for c in schema.COLUMNS if c.name not in data.columns]
        if missing:
            data = schema.conform(data)
    return data


def group_keys(by: str | Sequence[str] | None, freq: str | None) -> list[str]:
    names = [by] if isinstance(by, str) else list(by or [])
    if freq is not None:
        names.insert(0, freq)
    keys = []
    for name in names:
        if name in PERIODS:
            keys.append(name)
        elif name in DIMENSIONS:
            keys.append(DIMENSIONS[name])
        else:
            # by is the second positional argument: handling_time(df, "us311") means a preset.
            hint = f"; {name!r} is a preset: pass definitions={name!r}" if name in PRESETS else ""
            raise HotlineError(
                f"cannot group by {name!r}; expected a period ({', '.join(PERIODS)}) or one of "
                f"{', '.join(sorted(set(DIMENSIONS)))}{hint}"
            )
    return keys


def _period_key(name: str, when: nw.Expr) -> nw.Expr:
    """Integer key of a period of a datetime expression (cheap to group and filter on)."""
    year = when.dt.year()
    if name == "year":
        return year
    if name == "month":
        return year * 100 + when.dt.month()
    if name == "quarter":
        return year * 10 + (when.dt.month() + 2) // 3
    if name == "day":  # 311 files often span days, not months
        return year * 10000 + when.dt.month() * 100 + when.dt.day()
    return epoch_day(when) - (iso_weekday(when) - 1)  # week: the Monday, days since 1970


def with_periods(frame: Frame, names: Sequence[str]) -> Frame:
    """Add the period keys among ``names`` (only those: each costs a pass over the orders)."""
    wanted = {name: _period_key(name, nw.col("period_time")) for name in names if name in PERIODS}
    return frame.with_columns(**wanted) if wanted else frame


def _period_value(name: str, value: Any) -> int:
    """A period filter as its key: ``"2021-03"`` -> 202103, ``"2021Q1"`` -> 20211."""
    text = str(value)
    if name == "month" and "-" in text:
        year, month = text.split("-")[:2]
        return int(year) * 100 + int(month)
    if name == "day" and "-" in text:
        year, month, day = text.split("-")[:3]
        return int(year) * 10000 + int(month) * 100 + int(day[:2])
    if name == "quarter" and "Q" in text.upper():
        year, quarter = text.upper().split("Q")
        return int(year) * 10 + int(quarter)
    return int(value)


def apply_filters(frame: Frame, filters: dict[str, Any]) -> Frame:
    """Keep the orders whose column (or period) equals a value or is in a list of values."""
    for name, wanted in filters.items():
        if wanted is None:
            continue
        column = DIMENSIONS.get(name, name)
        if column not in {*DIMENSIONS.values(), *PERIODS, "order_id"}:
            raise HotlineError(f"cannot filter on {name!r}")
        values = list(wanted) if isinstance(wanted, list | tuple | set | frozenset) else [wanted]
        if column in PERIODS:
            frame = with_periods(frame, [column])
            values = [_period_value(column, v) for v in values]
        frame = frame.filter(nw.col(column).is_in(values))
    return frame


def label_periods(table: pd.DataFrame) -> pd.DataFrame:
    if "month" in table:
        month = table["month"]
        table["month"] = [
            None if pd.isna(v) else f"{int(v) // 100}-{int(v) % 100:02d}" for v in month
        ]
    if "quarter" in table:
        table["quarter"] = [
            None if pd.isna(v) else f"{int(v) // 10}Q{int(v) % 10}" for v in table["quarter"]
        ]
    if "year" in table:
        table["year"] = table["year"].astype("Int64")
    if "day" in table:
        table["day"] = [
            None
            if pd.isna(v)
            else f"{int(v) // 10000}-{int(v) // 100 % 100:02d}-{int(v) % 100:02d}"
            for v in table["day"]
        ]
    if "week" in table:
        table["week"] = [
            None
            if pd.isna(v)
            else "{}-W{:02d}".format(*(_EPOCH + pd.Timedelta(days=int(v))).isocalendar()[:2])
            for v in table["week"]
        ]
    return table


def aggregate(
    source: Source,
    frame: Frame,
    keys: list[str],
    aggregations: list[nw.Expr],
    integers: Sequence[str] = (),
) -> pd.DataFrame:
    """Group (or not), aggregate on the source's engine, return a sorted pandas table.

    Args:
        source: The engine of ``frame``.
        frame: Orders with their flags.
        keys: Group keys from :func:`group_keys`.
        aggregations: narwhals aggregation expressions.
        integers: Result columns that are counts (missing becomes 0).
    """
    frame = with_periods(frame, keys)
    query = frame.group_by(*keys).agg(*aggregations) if keys else frame.select(*aggregations)
    table = source.collect(query)
    for column in integers:
        table[column] = table[column].fillna(0).astype(np.int64)
    for key in keys:
        if isinstance(table[key].dtype, pd.CategoricalDtype):
            table[key] = table[key].astype(object)
    if keys:
        table = table.sort_values(keys, na_position="last", kind="stable").reset_index(drop=True)
    return label_periods(table)


def add_rates(counts: pd.DataFrame, definitions: Definitions) -> pd.DataFrame:
    """Add the totals and every declared rate (value, 95% interval) to a table of summed flags.

    A count whose information no order of its group carries (its declared evidence sums to 0)
    becomes missing (``pd.NA`` in an ``Int64`` column), and so does every rate built on it.
    """
    catalogue = active()
    counts = counts.copy()
    for total in catalogue.totals.values():
        counts[total.key] = sum(counts[part] for part in total.parts)
    accepted = counts["accepted"].to_numpy()
    for key, rate in catalogue.rates.items():
        num = counts[rate.numerator_under(definitions)].to_numpy(dtype=np.int64)
        den = counts[rate.denominator_under(definitions)].to_numpy(dtype=np.int64)
        usable = den > 0
        if rate.evidence:  # stated of every accepted order, or not at all
            usable &= counts[rate.evidence].to_numpy() == accepted
        bounds = [
            wilson_interval(int(n), int(d)) if ok else (np.nan, np.nan)
            for n, d, ok in zip(num, den, usable, strict=True)
        ]
        counts[key] = np.where(usable, num / np.where(den > 0, den, 1), np.nan)
        counts[f"{key}_low"] = [low for low, _ in bounds]
        counts[f"{key}_high"] = [high for _, high in bounds]
    some = accepted > 0  # an empty month is 0 orders, not unknown
    unknown = {
        key: some & np.logical_or.reduce([counts[e].to_numpy() == 0 for e in count.evidence])
        for key, count in catalogue.counts().items()
        if count.evidence
    }
    for count, absent in unknown.items():
        if absent.any():
            counts[count] = counts[count].astype("Int64").mask(absent)
    return counts


#: Information whose absence a count shows directly: information -> flag.
_SHOWN_BY = {"caller": "with_caller"}


def unavailable(counts: pd.DataFrame, definitions: Definitions) -> dict[str, str]:
    """Rates the exports cannot support, in whole or in part, with the reason in Chinese.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "received_at": pd.to_datetime(
        ...     ["2021-03-01"] * 2), "status": [None, "closed"], "source_file": ["a", "b"]})
        >>> reasons = unavailable(summary(df), resolve(None))
        >>> reasons["closure_rate"]
        '其中1件工单的导出中没有办理状态或答复信息'
    """
    catalogue = active()
    reasons = {}
    accepted = int(counts["accepted"].sum())
    for key, rate in catalogue.rates.items():
        den = rate.denominator_under(definitions)
        above = catalogue.flags.get(rate.numerator_key)
        flag = rate.evidence or (above.evidence[0] if above and above.evidence else den)
        if flag not in counts or not rate.needs:
            continue
        known = int(counts[flag].sum())
        # name only what is missing: a caller key may be there while topics are not
        lacking = [
            need
            for need in rate.needs
            if need not in _SHOWN_BY or int(counts[_SHOWN_BY[need]].sum()) == 0
        ] or list(rate.needs)
        if known == 0:
            reasons[key] = missing_reason(lacking)
        elif rate.empty_reason and accepted and int(counts[rate.denominator_key].sum()) == 0:
            pending = "open_in_time" in counts and int(counts["open_in_time"].sum()) > 0
            reasons[key] = (rate.pending_reason if pending else None) or rate.empty_reason
        elif rate.evidence and known < accepted:
            reasons[key] = missing_reason(rate.needs, orders=accepted - known)
    return reasons


def summary(
    data: Data,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    *,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Counts and rates, overall or per group.

    Args:
        data: Canonical DataFrame (pandas engine) or dataset path (DuckDB engine).
        by: Dimension(s): ``town``, ``department``, ``type``, ``topic``, ``channel``,
            ``source_kind`` (``kind``), ``status``, or a period.
        freq: A period to group by first: ``year``, ``quarter``, ``month``, ``week``, ``day``.
        definitions: A :class:`Definitions` or a preset name; default ``default``.
        calendar: Working-day calendar for deadlines; default the official one.
        **filters: Keep only orders whose column equals the value (or is in a list), e.g.
            ``year=2021``, ``source_kind="hotline"``.

    Returns:
        One row per group (one row overall without ``by``/``freq``), sorted by the keys:
        the summed flags (``accepted``, ``closed``, ``on_time``…), and for each rate of
        :mod:`hotline.metrics.declarations` its value and ``_low``/``_high`` 95% Wilson
        bounds (missing when the denominator is empty). Counts and rates the export cannot
        support are missing (see :mod:`hotline.availability`). ``attrs`` holds the
        definitions, the ``as_of`` used, the engine, and ``unavailable``: rate -> why no
        order supports it.
    """
    definitions = resolve(definitions)
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions, calendar)
    frame = apply_filters(frame, filters)
    flags = active().count_flags
    sums = [nw.col(flag).sum().alias(flag) for flag in flags]
    counts = aggregate(source, frame, group_keys(by, freq), sums, integers=flags)
    result = add_rates(counts, definitions)
    result.attrs.update(provenance(data, definitions, as_of), engine=source.engine)
    result.attrs["unavailable"] = unavailable(result, definitions)
    return result
