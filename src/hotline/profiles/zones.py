"""Time zones of exports: IANA names, fixed offsets, and zones read from the data's offsets.

Stored timestamps are naive local wall-clock time in one zone per dataset, recorded in the
manifest. A zone is written either as an IANA name (``America/New_York``, ``Asia/Shanghai``)
or, when an Open311 server states only offsets, as a fixed offset ``UTC-04:00``. A profile whose
``timezone`` is :data:`FROM_DATA` takes the zone the file's received times state: the IANA zone
whose daylight-saving rules fit their offsets when they state several (``-05:00`` in January,
``-04:00`` in July: :func:`zone_fitting_offsets`), else the most common offset.

Example:
    >>> zone_of_offset("-04:00"), zone_of_offset("Z"), zone_of_offset("+0530")
    ('UTC-04:00', 'UTC', 'UTC+05:30')
    >>> tzinfo_of("UTC-04:00")
    datetime.timezone(datetime.timedelta(days=-1, seconds=72000), 'UTC-04:00')
    >>> tzinfo_of("America/New_York")
    zoneinfo.ZoneInfo(key='America/New_York')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FROM_DATA",
    "OFFSET_ZONES",
    "ZoneFit",
    "is_zone",
    "tzinfo_of",
    "zone_fitting_offsets",
    "zone_of_offset",
]

#: A profile's ``timezone`` when the zone is the offset the data states (Open311).
FROM_DATA = "from-data"

_OFFSET = re.compile(r"^(?:UTC)?(?P<sign>[+-])(?P<h>0\d|1[0-4]):?(?P<m>[0-5]\d)$")


def zone_of_offset(offset: str) -> str:
    """The fixed zone of an ISO 8601 offset (``Z``, ``-04:00``, ``+0800``).

    Raises:
        ValueError: ``offset`` is not an offset.
    """
    text = offset.strip()
    if text in ("Z", "z", "UTC"):
        return "UTC"
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"{offset!r} is not a UTC offset like -04:00")
    hours, minutes = int(match["h"]), int(match["m"])
    if hours == minutes == 0:
        return "UTC"
    return f"UTC{match['sign']}{hours:02d}:{minutes:02d}"


def tzinfo_of(zone: str) -> dt.tzinfo:
    """The ``tzinfo`` of a zone as recorded in a manifest (an IANA name or ``UTC±HH:MM``).

    pandas takes it as is: ``series.dt.tz_localize(tzinfo_of(zone))``.

    Raises:
        ValueError: ``zone`` is neither.
    """
    match = _OFFSET.match(zone) if zone.startswith("UTC") else None
    if match is not None:
        sign = -1 if match["sign"] == "-" else 1
        delta = dt.timedelta(hours=int(match["h"]), minutes=int(match["m"]))
        return dt.timezone(sign * delta, zone)
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{zone!r} is not an IANA time zone (e.g. America/New_York) or an offset (UTC-04:00)"
        ) from None


def is_zone(zone: str) -> bool:
    """Whether ``zone`` names a time zone :func:`tzinfo_of` understands.

    Example:
        >>> is_zone("Europe/Berlin"), is_zone("UTC+08:00"), is_zone("Mars/Olympus")
        (True, True, False)
    """
    try:
        tzinfo_of(zone)
    except ValueError:
        return False
    return True


#: Zones a file's offsets are tried against, the likelier first on a tie (a zone with the same
#: rules, America/Toronto for America/New_York, gives the same wall-clock times).
OFFSET_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Australia/Sydney",
    "Asia/Shanghai",
)


@dataclass(frozen=True)
class ZoneFit:
    """How well the zones of :data:`OFFSET_ZONES` fit the offsets a column's times state.

    Attributes:
        counts: Offset -> values stating it (UTC itself left out).
        best: The first zone that fits at least 95% of those values, if any.
        also: The other zones that fit as well.
    """

    counts: dict[str, int]
    best: str | None
    also: tuple[str, ...]


def zone_fitting_offsets(
    values: pa.Array | Sequence[str | None], zones: tuple[str, ...] = OFFSET_ZONES
) -> ZoneFit:
    """The zone whose UTC offset, at the instant each value states, is the value's offset.

    ``-08:00`` in January and ``-07:00`` in July fit America/Los_Angeles (and no other zone
    of the list); a zone fits a value when its offset at that instant is the value's.

    Example:
        >>> import pyarrow as pa
        >>> zone_fitting_offsets(pa.array(["2023-01-10T10:00:00-05:00",
        ...                                "2023-07-10T10:00:00-04:00"])).best
        'America/New_York'
        >>> zone_fitting_offsets(pa.array(["2023-01-10T10:00:00+05:30"])).best is None
        True
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from hotline.ingestion.dates import dominant_offset, offset_minutes, parse_datetimes

    array: pa.Array = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    _, found = dominant_offset(array)
    counts = {o: n for o, n in found.items() if zone_of_offset(o) != "UTC"}
    fits = dict.fromkeys(zones, 0.0)
    for offset, count in counts.items():
        stated = array.filter(
            pc.fill_null(pc.ends_with(pc.utf8_trim_whitespace(array), offset), False)
        )
        times, bad = parse_datetimes(stated.slice(0, 500), date_order="ymd", timezone="UTC")
        utc = pd.to_datetime(pd.Series(times.to_pandas())[~bad].dropna()).dt.tz_localize("UTC")
        if utc.empty:
            continue
        minutes = int(offset_minutes(pa.array([offset]))[0])
        for zone in zones:
            local = utc.dt.tz_convert(zone).dt.tz_localize(None)
            shift = (local - utc.dt.tz_localize(None)).dt.total_seconds() / 60
            fits[zone] += count * float(np.mean(shift.to_numpy() == minutes))
    total = sum(counts.values())
    fitting = [z for z in zones if total and fits[z] >= 0.95 * total]
    best = max(fitting, key=lambda z: fits[z]) if fitting else None  # first of equals
    return ZoneFit(counts, best, tuple(z for z in fitting if z != best))
