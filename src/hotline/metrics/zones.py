"""Durations in real elapsed time when the data's local clock jumps (daylight saving time).

Canonical timestamps are naive local wall-clock times in the zone of the export's profile
(Asia/Shanghai for 12345 data, America/New_York for NYC 311 …), because that is how analysts
group by day, month and hour. A duration across a daylight-saving change is then off by the
jump: a New York request opened at 01:30 on the second Sunday of March and closed at 03:30
took one hour, not two. This module turns the zone's changes into a correction that works on
both engines: local difference minus the change in UTC offset between the two times.

Ambiguous wall times (the repeated hour when clocks go back) are read as the first occurrence;
the data cannot say otherwise once the offset is gone, and the profiles keep offsets when the
export has them by converting to local time at ingest.

Example:
    >>> changes = offset_changes("America/New_York", 2021, 2021)
    >>> [(str(when), delta // 3_600_000_000) for when, delta in changes]
    [('2021-03-14 03:00:00', 1), ('2021-11-07 02:00:00', -1)]
    >>> offset_changes("Asia/Shanghai", 2021, 2021), offset_changes("UTC-04:00", 2021, 2021)
    ((), ())
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import narwhals as nw

from hotline.profiles.zones import tzinfo_of

__all__ = ["dataset_zone", "elapsed_correction", "offset_changes"]

_US_PER_SECOND = 1_000_000

#: A local wall time from which the offset changes, and the change in microseconds.
OffsetChange = tuple[dt.datetime, int]


@lru_cache(maxsize=64)
def offset_changes(zone: str, first_year: int, last_year: int) -> tuple[OffsetChange, ...]:
    """Local wall times from which the zone's UTC offset changes, and by how much (µs).

    Args:
        zone: IANA zone name.
        first_year: First calendar year to scan.
        last_year: Last calendar year to scan (inclusive).

    Returns:
        ``(local time, change in µs)`` pairs in time order; empty for a zone without changes.
    """
    tz = tzinfo_of(zone)
    if not isinstance(tz, ZoneInfo):  # a fixed offset such as UTC-04:00 never changes
        return ()
    start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)
    changes = []
    instant, previous = start, start.astimezone(tz).utcoffset()
    hour, minute = dt.timedelta(hours=1), dt.timedelta(minutes=1)
    while instant < end:
        instant += hour
        offset = instant.astimezone(tz).utcoffset()
        if offset == previous or offset is None or previous is None:
            continue
        # Changes fall on whole minutes: find the first minute of the hour with the new offset.
        moment = instant - hour + minute
        while moment.astimezone(tz).utcoffset() == previous:
            moment += minute
        local = (moment + max(offset, previous)).replace(tzinfo=None)
        if first_year <= local.year <= last_year:
            delta = int((offset - previous).total_seconds()) * _US_PER_SECOND
            changes.append((local, delta))
        previous = offset
    return tuple(changes)


def dataset_zone(manifest: dict[str, Any] | None) -> str | None:
    """The local zone a dataset's timestamps are in, from its manifest (``None`` if unknown)."""
    if not manifest:
        return None
    if manifest.get("timezone"):
        return str(manifest["timezone"])
    zones = {entry.get("timezone") for entry in manifest.get("inputs", [])} - {None, ""}
    return zones.pop() if len(zones) == 1 else None


def elapsed_correction(
    zone: str | None, start: str, end: str, years: tuple[int, int] | None
) -> Any | None:
    """µs to subtract from ``end - start`` (local) to get elapsed time; ``None`` when no change.

    Args:
        zone: The data's IANA zone, or ``None``.
        start: Column of the earlier local time.
        end: Column of the later local time.
        years: First and last year the data spans.

    Returns:
        A narwhals expression, or ``None`` when the zone does not change offset in those years.
    """
    if zone is None or years is None:
        return None
    changes = offset_changes(zone, *years)
    if not changes:
        return None
    correction = nw.lit(0, dtype=nw.Int64)
    for when, delta in changes:
        moment = nw.lit(when, dtype=nw.Datetime("us"))
        crossed = (nw.col(end) >= moment).cast(nw.Int64) - (nw.col(start) >= moment).cast(nw.Int64)
        correction = correction + crossed.fill_null(0) * delta
    return correction
