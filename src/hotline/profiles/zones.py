"""Time zones of exports: IANA names, fixed offsets, and zones read from the data's offsets.

Stored timestamps are naive local wall-clock time in one zone per dataset, recorded in the
manifest. A zone is written either as an IANA name (``America/New_York``, ``Asia/Shanghai``)
or, when an Open311 server states only offsets, as a fixed offset ``UTC-04:00``. A profile whose
``timezone`` is :data:`FROM_DATA` takes the most common offset of the file's received times.

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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["FROM_DATA", "is_zone", "tzinfo_of", "zone_of_offset"]

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
