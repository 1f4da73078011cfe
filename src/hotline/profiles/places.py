"""The time zones of places an export's values name: cities, and US states after a city.

A draft reads an export's zone from its values when the times state no offset
(:func:`hotline.profiles.draft.draft_profile`). Two kinds of place name are read:

* a few large cities and states, by name anywhere in a value (``San Francisco``, ``texas``);
* a US state, abbreviated or spelled out, right after a city-like word (``Springfield IL``,
  ``Austin, TX``, ``Kansas City, Missouri``), which names the state of any city, known or not.
  It wins over a city name in the same value: ``Portland, ME`` is Maine's Portland.

States spanning two zones are given the zone most of their people live in, and the other
zones they span, for the draft to say CHECK. State names and abbreviations are the
``holidays`` package's (the calendars' own list of US subdivisions); only the zones are
written here.

Example:
    >>> [s.abbr for s in states_after_cities("near 100 N 5th St, Springfield IL")]
    ['IL']
    >>> [(s.name, s.zone, s.also) for s in states_after_cities("El Paso, Texas 79901")]
    [('Texas', 'America/Chicago', ('America/Denver',))]
    >>> states_after_cities("Crew says fixed OK"), cities_in("Seattle or Boston")
    ([], ['seattle', 'boston'])
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import holidays

__all__ = ["CITY_ZONES", "FILE_PLACES", "State", "cities_in", "state_named"]
__all__ += ["states", "states_after_cities", "zone_of_city"]

_NY, _CHI, _DEN, _PHX, _LA = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
)

#: Places named in values or file names, by the zone they are in (folded, whole words).
CITY_ZONES: dict[str, tuple[str, ...]] = {
    _LA: (
        *("san francisco", "los angeles", "oakland", "san jose", "san diego", "sacramento"),
        *("seattle", "tacoma", "portland", "las vegas", "fresno", "long beach", "california"),
        *("oregon", "nevada"),
    ),
    _DEN: ("denver", "salt lake city", "albuquerque", "colorado", "utah"),
    _PHX: ("phoenix", "tucson", "scottsdale", "arizona"),
    _CHI: (
        *("chicago", "houston", "dallas", "san antonio", "austin", "fort worth", "kansas city"),
        *("minneapolis", "saint paul", "st louis", "new orleans", "milwaukee", "nashville"),
        *("memphis", "oklahoma city", "omaha", "illinois", "texas", "minnesota", "wisconsin"),
        *("missouri", "louisiana", "oklahoma", "iowa"),
    ),
    _NY: (
        *("new york", "new york city", "boston", "philadelphia", "baltimore", "atlanta"),
        *("miami", "detroit", "cleveland", "pittsburgh", "charlotte", "cincinnati", "buffalo"),
        *("washington dc", "district of columbia", "jacksonville", "orlando", "tampa"),
        *("indianapolis", "columbus", "raleigh", "richmond", "newark", "providence"),
        *("massachusetts", "pennsylvania", "new jersey", "florida", "michigan", "ohio"),
        *("virginia", "maryland", "connecticut", "georgia", "north carolina"),
    ),
    "America/Anchorage": ("anchorage", "alaska"),
    "Pacific/Honolulu": ("honolulu", "hawaii"),
    "Asia/Shanghai": (
        *("beijing", "shanghai", "guangzhou", "shenzhen", "北京", "上海", "广州", "深圳"),
        *("天津", "重庆", "杭州", "南京", "武汉", "成都"),
    ),
}

#: Abbreviations a file name may use for a city (whole words of the name).
FILE_PLACES = {"sf": _LA, "sfgov": _LA, "la": _LA, "nyc": _NY, "chi": _CHI, "phl": _NY}

#: Each state's zone: the one most of its people live in, then the other zones it spans
#: (Texas: El Paso keeps Mountain time; Florida: the western panhandle Central; Indiana's and
#: Kentucky's west Central; Idaho's north Pacific; Arizona's Navajo Nation keeps summer time).
_STATE_ZONES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("CA", "WA"), (_LA,)),
    "OR": (_LA, _DEN),
    "NV": (_LA, _DEN),
    **dict.fromkeys(("CO", "UT", "NM", "MT", "WY"), (_DEN,)),
    "ID": (_DEN, _LA),
    "AZ": (_PHX, _DEN),
    **dict.fromkeys(("IL", "MN", "MO", "WI", "LA", "OK", "IA", "AL", "MS", "AR"), (_CHI,)),
    **dict.fromkeys(("TX", "KS", "NE", "ND", "SD"), (_CHI, _DEN)),
    "TN": (_CHI, _NY),
    **dict.fromkeys(("FL", "IN", "KY", "MI"), (_NY, _CHI)),
    **dict.fromkeys(("NY", "MA", "PA", "NJ", "OH", "VA", "MD", "CT", "GA"), (_NY,)),
    **dict.fromkeys(("NC", "SC", "DC", "DE", "RI", "VT", "NH", "ME", "WV"), (_NY,)),
    "AK": ("America/Anchorage", "America/Adak"),
    "HI": ("Pacific/Honolulu",),
    "PR": ("America/Puerto_Rico",),
}

#: Abbreviations that are also words said alone (``Fixed, OK``): a comma is no sign that
#: they are states.
_WORDLIKE = frozenset("OK HI OH ME".split())


@dataclass(frozen=True)
class State:
    """A US state (or DC, Puerto Rico) and its time zone.

    Attributes:
        abbr: Its postal abbreviation (``IL``).
        name: Its name (``Illinois``).
        zone: The IANA zone most of its people live in.
        also: The other zones it spans (empty for most states).
    """

    abbr: str
    name: str
    zone: str
    also: tuple[str, ...] = ()


@functools.cache
def states() -> dict[str, State]:
    """Abbreviation -> state, names from the ``holidays`` package's US subdivisions.

    Example:
        >>> states()["IL"], len(states())
        (State(abbr='IL', name='Illinois', zone='America/Chicago', also=()), 52)
    """
    names = {abbr: name for name, abbr in holidays.US.subdivisions_aliases.items()}
    return {
        abbr: State(abbr, names[abbr], zones[0], zones[1:])
        for abbr, zones in sorted(_STATE_ZONES.items())
    }


def state_named(text: str) -> State | None:
    """The state a whole value names, by abbreviation or name (a ``State`` column's value).

    Example:
        >>> state_named(" il "), state_named("Illinois") == state_named("IL"), state_named("X")
        (State(abbr='IL', name='Illinois', zone='America/Chicago', also=()), True, None)
    """
    key = re.sub(r"\s+", " ", text.strip()).upper()
    found = states().get(key)
    return found or next((s for s in states().values() if s.name.upper() == key), None)


@functools.cache
def _city_pattern() -> re.Pattern[str]:
    names = sorted((n for names in CITY_ZONES.values() for n in names), key=len, reverse=True)
    return re.compile(r"(?<![a-z])(" + "|".join(map(re.escape, names)) + r")(?![a-z])")


def _folded(text: str) -> str:
    return re.sub(r"[\s._-]+", " ", text.lower())


def cities_in(text: str) -> list[str]:
    """The cities and states of :data:`CITY_ZONES` a text names (folded, whole words)."""
    return _city_pattern().findall(_folded(text))


def zone_of_city(place: str) -> str:
    """The zone of a place :func:`cities_in` found."""
    return next(z for z, names in CITY_ZONES.items() if place in names)


@functools.cache
def _state_pattern() -> re.Pattern[str]:
    """A city-like word, then a state, then no other word: ``Springfield IL``, ``Austin, TX``.

    The city's words are capitalised or in capitals (``St. Louis``, up to four words after a
    comma, the last one read as the city's); an abbreviation is in capitals, a
    name in any case; after the state comes the value's end, punctuation, a ZIP code or the
    country, never another word (``Smith, OR Jones`` names no state).
    """
    found = states().values()
    abbrs = "|".join(s.abbr for s in found)
    names = "|".join(re.escape(s.name) for s in sorted(found, key=lambda s: -len(s.name)))
    return re.compile(
        r"(?P<comma>,\s*(?:(?:[A-Z][a-z]*\.?|[A-Z]{2,})\s+){0,3})?"
        r"(?<![A-Za-z])(?P<city>[A-Z][a-z]+|[A-Z]{2,})(?P<sep>\s*,\s*|\s+)"
        rf"(?:(?P<abbr>{abbrs})|(?P<name>(?i:{names})))(?![A-Za-z])"
        r"(?P<zip>\s*,?\s*\d{5}\b)?(?=\s*(?:$|[,.;:)\]/]|USA\b|US\b|United States\b))"
    )


def states_after_cities(value: str) -> list[State]:
    """The states a value names right after a city-like word, in order.

    Many words read like a city and a state and are not: a street's suffix (``E Mulberry
    CT``, Court), a neighbourhood council (``SYLMAR NC``), ``Fixed, OK``. A pair counts only
    with a sign that it ends an address: a ZIP code after the state, a city known by name
    before it (``Portland OR``), a comma before the city (``…, Springfield IL``) or between
    them (``Austin, TX``); abbreviations that are also words said alone (``OK``, ``HI``) take
    one of the first two (``Tulsa, OK 74103``, ``Honolulu, HI``).
    """
    found: list[State] = []
    for match in _state_pattern().finditer(value):
        before = _folded(value[: match.end("city")]).rstrip()
        known = any(m.end() == len(before) for m in _city_pattern().finditer(before))
        comma = match["comma"] or "," in match["sep"]
        if not (match["zip"] or known or (comma and match["abbr"] not in _WORDLIKE)):
            continue
        state = states().get(match["abbr"]) if match["abbr"] else state_named(match["name"])
        if state is not None:
            found.append(state)
    return found
