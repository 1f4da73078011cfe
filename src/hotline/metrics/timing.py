"""Handling time: how long closed orders took, in hours and in working days.

Duration = close time - received time, for orders closed by ``as_of``. A negative duration (closed
before received: a data error) or a zero one (closed in the same second: often a bulk closure)
is counted and reported, never averaged in: the median, 90th percentile and mean are taken over
positive durations only. Percentiles interpolate linearly, identically on pandas and DuckDB.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-03-01 09:00"] * 3),
    ...     "closed_at": pd.to_datetime(["2021-03-01 21:00", "2021-03-02 09:00",
    ...                                  "2021-03-01 09:00"]),
    ...     "status": ["closed"] * 3})
    >>> handling_time(df)[["closed", "valid", "zero", "median_hours", "mean_hours"]]
       closed  valid  zero  median_hours  mean_hours
    0       3      2     1          18.0        18.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals as nw
import pandas as pd

from hotline.metrics.calendar import WorkCalendar
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data, manifest_of, open_source, provenance
from hotline.metrics.flags import add_flags
from hotline.metrics.portable import micros_between
from hotline.metrics.summary import aggregate, apply_filters, canonical_frame, group_keys
from hotline.metrics.workdays import OrderCalendars
from hotline.metrics.zones import dataset_zone, elapsed_correction

__all__ = ["DURATION_BANDS", "backlog", "duration_distribution", "handling_time"]

_US_PER_HOUR = 3_600_000_000


def _with_workdays(source: Any, frame: Any, calendar: WorkCalendar | None) -> Any:
    """Add ``workdays``: working days after the received day up to the close day.

    Each order counts on its own calendar (:mod:`hotline.metrics.workdays`) unless ``calendar``
    is given for all.
    """
    calendars = OrderCalendars.of(source, calendar)
    bounds = source.collect(
        frame.select(
            nw.col("received_at").min().alias("r0"),
            nw.col("received_at").max().alias("r1"),
            nw.col("closed_time").min().alias("c0"),
            nw.col("closed_time").max().alias("c1"),
            *calendars.range_aggregations(),
        )
    ).iloc[0]
    found = [pd.Timestamp(bounds[k]) for k in ("r0", "r1", "c0", "c1") if pd.notna(bounds[k])]
    if not found:
        return frame.with_columns(workdays=nw.lit(None, dtype=nw.Float64))
    first, last = min(found).date(), max(found).date()  # closures may precede receipt
    used = calendars.used(source, frame, bounds)
    keys = calendars.keys(used)
    table = calendars.table(used, first, last)[[*keys, "day", "ordinal"]]
    start = source.table(table.rename(columns={"day": "_received_day", "ordinal": "_o1"}))
    end = source.table(table.rename(columns={"day": "_closed_day", "ordinal": "_o2"}))
    frame = calendars.with_key(frame, used).with_columns(
        _received_day=nw.col("received_at").dt.truncate("1d"),
        _closed_day=nw.col("closed_time").dt.truncate("1d"),
    )
    frame = frame.join(start, on=[*keys, "_received_day"], how="left").join(
        end, on=[*keys, "_closed_day"], how="left"
    )
    frame = frame.with_columns(workdays=(nw.col("_o2") - nw.col("_o1")).cast(nw.Float64))
    return frame.drop("_received_day", "_closed_day", "_o1", "_o2", *keys)


def _durations(
    data: Data, definitions: Definitions, calendar: WorkCalendar | None, filters: dict[str, Any]
) -> tuple[Any, Any, Any]:
    """Closed orders with a close time, and their duration in microseconds (``_us``)."""
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions, calendar)
    frame = apply_filters(frame, filters)
    frame = frame.filter((nw.col("closed") == 1) & ~nw.col("closed_time").is_null())
    micros = micros_between(nw.col("received_at"), nw.col("closed_time"))
    zone = dataset_zone(manifest_of(data))
    if zone is not None:
        # The years the stored times span, from the raw columns (cheap on Parquet statistics),
        # not from the flagged frame, which DuckDB would compute a second time.
        ends = [nw.col(c).max().dt.year() for c in ("closed_at", "replied_at", "snapshot_at")]
        span = source.collect(
            source.frame.select(
                nw.col("received_at").min().dt.year().alias("first"),
                nw.max_horizontal(*ends).alias("last"),
            )
        ).iloc[0]
        years = None if span.isna().any() else (int(span["first"]), int(span["last"]))
        correction = elapsed_correction(zone, "received_at", "closed_time", years)
        if correction is not None:
            micros = micros - correction
    return source, frame.with_columns(_us=micros), as_of


def handling_time(
    data: Data,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
    *,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Median, 90th percentile and mean handling time per group, with the odd cases counted.

    Args:
        data: Canonical DataFrame or dataset path.
        by: Dimension(s), as for :func:`hotline.metrics.summary`.
        freq: Period to group by first.
        definitions: :class:`Definitions` or preset name (``as_of``, ``period``).
        calendar: Working-day calendar for every order; default each order's own (its
            profile's, :mod:`hotline.metrics.workdays`).
        **filters: As for :func:`hotline.metrics.summary`.

    Returns:
        One row per group: ``closed`` (with a known close time), ``valid`` (positive duration),
        ``negative``, ``zero``, then ``median_hours``, ``p90_hours``, ``mean_hours``,
        ``median_workdays``, ``p90_workdays``, ``mean_workdays`` over valid durations.
    """
    definitions = resolve(definitions)
    source, frame, as_of = _durations(data, definitions, calendar, filters)
    frame = _with_workdays(source, frame, calendar)
    valid = nw.col("_us") > 0
    frame = frame.with_columns(
        _negative=(nw.col("_us") < 0).cast(nw.Int64),
        _zero=(nw.col("_us") == 0).cast(nw.Int64),
        _valid=valid.cast(nw.Int64),
        _hours=nw.when(valid).then(nw.col("_us") / _US_PER_HOUR),
        _days=nw.when(valid).then(nw.col("workdays")),
    )
    aggregations = [
        nw.len().alias("closed"),
        nw.col("_valid").sum().alias("valid"),
        nw.col("_negative").sum().alias("negative"),
        nw.col("_zero").sum().alias("zero"),
        nw.col("_hours").median().alias("median_hours"),
        nw.col("_hours").quantile(0.9, interpolation="linear").alias("p90_hours"),
        nw.col("_hours").mean().alias("mean_hours"),
        nw.col("_days").median().alias("median_workdays"),
        nw.col("_days").quantile(0.9, interpolation="linear").alias("p90_workdays"),
        nw.col("_days").mean().alias("mean_workdays"),
    ]
    counts = ("closed", "valid", "negative", "zero")
    result = aggregate(source, frame, group_keys(by, freq), aggregations, integers=counts)
    result.attrs.update(provenance(data, definitions, as_of))
    return result


#: Duration bands as Chinese reports group them: (upper bound in hours, label, English label).
DURATION_BANDS: tuple[tuple[float, str, str], ...] = (
    (24, "1天以内", "Within 1 day"),
    (72, "1-3天", "1-3 days"),
    (120, "3-5天", "3-5 days"),
    (240, "5-10天", "5-10 days"),
    (360, "10-15天", "10-15 days"),
    (720, "15-30天", "15-30 days"),
    (float("inf"), "30天以上", "Over 30 days"),
)


def duration_distribution(
    data: Data,
    *,
    bands: tuple[tuple[float, str, str], ...] = DURATION_BANDS,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """How many closed orders took how long, in bands of natural time (positive durations).

    Args:
        data: Canonical DataFrame or dataset path.
        bands: ``(upper bound in hours, label, English label)`` from the shortest; a duration
            falls in the first band whose bound it does not exceed.
        definitions: :class:`Definitions` or preset name (``as_of``).
        calendar: Working-day calendar for every order; default each order's own (its
            profile's, :mod:`hotline.metrics.workdays`).
        **filters: As for :func:`hotline.metrics.summary`.

    Returns:
        One row per band, every band present: ``band``, ``label``, ``label_en``, ``upper_hours``,
        ``count``, ``share`` (of positive durations). ``attrs`` holds the negative and zero
        durations left out, and the median and 90th percentile in hours.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
        ...     "received_at": pd.to_datetime(["2021-03-01 09:00"] * 3),
        ...     "closed_at": pd.to_datetime(["2021-03-01 10:00", "2021-03-03 09:00",
        ...                                  "2021-03-01 09:00"]), "status": ["closed"] * 3})
        >>> table = duration_distribution(df)
        >>> table.loc[table["count"] > 0, ["label", "count"]].to_dict("records")
        [{'label': '1天以内', 'count': 1}, {'label': '1-3天', 'count': 1}]
        >>> table.attrs["zero"]
        1
    """
    definitions = resolve(definitions)
    source, durations, as_of = _durations(data, definitions, calendar, filters)
    positive = nw.col("_us") > 0
    durations = durations.with_columns(_hours=nw.when(positive).then(nw.col("_us") / _US_PER_HOUR))
    left_out = [
        (nw.col("_us") < 0).cast(nw.Int64).sum().alias("negative"),
        (nw.col("_us") == 0).cast(nw.Int64).sum().alias("zero"),
        nw.col("_hours").median().alias("median_hours"),
        nw.col("_hours").quantile(0.9, interpolation="linear").alias("p90_hours"),
    ]
    overall = aggregate(source, durations, [], left_out, integers=("negative", "zero")).iloc[0]
    band = nw.lit(0)
    for upper, _, _ in bands[:-1]:
        band = band + (nw.col("_us") > upper * _US_PER_HOUR).cast(nw.Int64)
    frame = durations.filter(positive).with_columns(band=band)
    counts = aggregate(source, frame, ["band"], [nw.len().alias("count")], integers=("count",))
    table = pd.DataFrame(
        {
            "band": range(len(bands)),
            "label": [zh for _, zh, _ in bands],
            "label_en": [en for _, _, en in bands],
            "upper_hours": [upper for upper, _, _ in bands],
        }
    )
    table = table.merge(counts.astype({"band": int}), on="band", how="left")
    table["count"] = table["count"].fillna(0).astype("int64")
    total = int(table["count"].sum())
    table["share"] = table["count"] / total if total else float("nan")
    table.attrs.update(
        {
            "negative": int(overall["negative"]),
            "zero": int(overall["zero"]),
            "median_hours": overall["median_hours"],
            "p90_hours": overall["p90_hours"],
            **provenance(data, definitions, as_of),
        }
    )
    return table


def backlog(
    data: Data,
    by: str | Sequence[str] | None = None,
    *,
    definitions: Definitions | str | None = None,
    calendar: WorkCalendar | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """The open backlog at ``as_of``: accepted orders not closed by then, and how old they are.

    An order counts when it was received by ``as_of``, is accepted, and has no closure by
    ``as_of`` (so a backlog "as of 30 June" ignores closures in July). Its age is ``as_of``
    minus its receipt.

    Args:
        data: Canonical DataFrame or dataset path.
        by: Group keys as for :func:`hotline.metrics.summary` (``department``, ``town``…).
        definitions: :class:`Definitions` or preset name; ``as_of`` sets the date (default the
            data's latest time).
        calendar: Working-day calendar for every order; default each order's own (its
            profile's, :mod:`hotline.metrics.workdays`).
        **filters: As for :func:`hotline.metrics.summary`.

    Returns:
        One row per group: ``open``, ``open_overdue`` (past their deadline), ``median_age_hours``,
        ``p90_age_hours``, ``oldest_received_at``; ``attrs["as_of"]`` the date used.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
        ...     "received_at": pd.to_datetime(["2021-06-01", "2021-06-20", "2021-06-25"]),
        ...     "closed_at": pd.to_datetime(["2021-06-02", None, "2021-07-05"]),
        ...     "status": ["closed", "dispatched", "closed"]})
        >>> from hotline.metrics import preset
        >>> june = preset("default").replace(as_of=pd.Timestamp("2021-06-30"))
        >>> backlog(df, definitions=june)[["open", "median_age_hours"]].to_dict("records")
        [{'open': 2, 'median_age_hours': 180.0}]
    """
    definitions = resolve(definitions)
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions, calendar)
    frame = apply_filters(frame, filters)
    frame = frame.filter((nw.col("accepted") == 1) & (nw.col("closed") == 0))
    age = micros_between(nw.col("received_at"), nw.lit(as_of, dtype=nw.Datetime("us")))
    frame = frame.with_columns(_age=age / _US_PER_HOUR)
    aggregations = [
        nw.len().alias("open"),
        nw.col("open_overdue").sum().alias("open_overdue"),
        nw.col("_age").median().alias("median_age_hours"),
        nw.col("_age").quantile(0.9, interpolation="linear").alias("p90_age_hours"),
        nw.col("received_at").min().alias("oldest_received_at"),
    ]
    result = aggregate(
        source, frame, group_keys(by, None), aggregations, integers=("open", "open_overdue")
    )
    result.attrs.update(provenance(data, definitions, as_of))
    return result
