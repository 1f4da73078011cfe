"""Working-day calendars: which days count when a deadline or a duration is in working days.

Each profile names the calendar of its requests (:data:`hotline.profiles.CALENDARS`):

* ``cn``: the official Chinese calendar, public holidays and make-up working days (调休), from
  ``chinese-calendar`` (the State Council's annual notices). Deadlines of 12345 orders are
  counted in working days (Shandong: 5 working days; domain reference §4.2), so 10 月 1 日 falls
  in the National Day holiday and the Saturday 10 月 9 日, 2021, is a working day. For a year
  that package does not cover yet, hotline warns and counts Monday to Friday as working days,
  unless a holiday file supplies the year (:meth:`WorkCalendar.from_file`).
* ``us-federal``: US federal holidays, with the Friday or Monday a holiday on a weekend is
  observed on (the ``holidays`` package).
* ``holidays:<country>[-<subdivision>]``: any calendar of the ``holidays`` package, e.g.
  ``holidays:US-NY`` (New York State's public holidays) or ``holidays:GB-SCT``.
* ``none``: every Monday to Friday is a working day.

Example:
    >>> import datetime as dt
    >>> calendar = WorkCalendar()  # cn
    >>> calendar.is_workday(dt.date(2021, 10, 9))  # a Saturday, made a working day
    True
    >>> calendar.add_workdays(dt.date(2021, 9, 30), 1)  # the day after 9/30 is 10/8
    datetime.date(2021, 10, 8)
    >>> calendar_for("us-federal").is_workday(dt.date(2023, 7, 4))  # Independence Day
    False
"""

from __future__ import annotations

import csv
import datetime as dt
import warnings
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hotline.errors import HotlineError

__all__ = ["DEFAULT_CALENDAR", "CalendarWarning", "WorkCalendar", "calendar_for"]

_ONE_DAY = dt.timedelta(days=1)

#: The calendar of ``WorkCalendar()`` and of data that records none (12345 and online data).
DEFAULT_CALENDAR = "cn"


class CalendarWarning(UserWarning):
    """A year outside the official calendar: weekends only were counted as rest days."""


@cache
def _official(year: int) -> dict[dt.date, bool] | None:
    """Working-day flags of every date of ``year`` from chinese-calendar, or None if uncovered."""
    import chinese_calendar

    day = dt.date(year, 1, 1)
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
    flags = {}
    while day.year == year:
        flags[day] = chinese_calendar.is_workday(day)
        day += _ONE_DAY
    return flags


def _weekdays(year: int) -> dict[dt.date, bool]:
    """Monday to Friday work, every day of ``year``."""
    flags = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        flags[day] = day.weekday() < 5
        day += _ONE_DAY
    return flags


def _place(name: str) -> tuple[str, str | None] | None:
    """The (country, subdivision) of a ``holidays`` package calendar name, else None."""
    if name == "us-federal":
        return "US", None
    prefix, _, place = name.partition(":")
    if prefix != "holidays" or not place:
        return None
    country, _, subdivision = place.partition("-")
    return country.upper(), subdivision.upper() or None


def _holidays(country: str, subdivision: str | None, name: str, year: int | None = None) -> Any:
    """The ``holidays`` package's calendar of a place (of ``year``, or none loaded yet)."""
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as error:
        raise HotlineError(
            f"calendar {name!r}: the holidays package does not know it ({error}); expected a "
            "country code and an optional subdivision, e.g. holidays:US-NY"
        ) from None


@cache
def _holiday_year(country: str, subdivision: str | None, year: int) -> dict[dt.date, bool]:
    """Working-day flags of every date of ``year`` in a ``holidays`` package calendar.

    The package's own weekend (Friday–Saturday in some countries) and any weekend days it
    declares worked count, as the country's law has them.
    """
    days = _holidays(country, subdivision, f"holidays:{country}", year)
    flags = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        flags[day] = bool(days.is_working_day(day))
        day += _ONE_DAY
    return flags


class WorkCalendar:
    """Which days are working days, and arithmetic on them.

    Args:
        overrides: Dates whose status is given explicitly (True: working day, False: rest
            day); they win over the named calendar and the weekday fallback.
        source: Where the overrides came from, for messages.
        name: The calendar (:data:`hotline.profiles.CALENDARS` or ``holidays:CC[-SUB]``);
            default ``cn``, the official Chinese calendar.

    Raises:
        HotlineError: ``name`` is no calendar hotline knows.

    Example:
        >>> WorkCalendar(name="none").is_workday(dt.date(2021, 10, 1))  # a plain Friday
        True
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        source: str = "",
        name: str = DEFAULT_CALENDAR,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.source = source
        self.name = name
        self._place = _place(name)
        if self._place is None and name not in (DEFAULT_CALENDAR, "none"):
            raise HotlineError(
                f"calendar {name!r}: expected cn, us-federal, none or holidays:<country>"
                "[-<subdivision>] (e.g. holidays:US-NY)"
            )
        if self._place is not None:
            _holidays(*self._place, name)  # an unknown country fails here, not mid-metric
        self._warned: set[int] = set()

    def __repr__(self) -> str:
        extra = f", source={self.source!r}" if self.source else ""
        return f"WorkCalendar(name={self.name!r}{extra})"

    @classmethod
    def from_file(cls, path: str | Path, name: str = DEFAULT_CALENDAR) -> WorkCalendar:
        """A calendar with the holidays and make-up working days of a CSV file.

        The file has the columns ``date`` (``2027-01-01``) and ``type``: ``holiday``/``休`` for a
        rest day, ``workday``/``班`` for a working day. Use it for years the official calendar
        does not cover yet, or for a local rule. Its days win over calendar ``name``'s.

        Raises:
            HotlineError: The file cannot be read, or a row is not a date and a type.
        """
        path = Path(path)
        kinds = {"holiday": False, "休": False, "rest": False, "workday": True, "班": True}
        overrides: dict[dt.date, bool] = {}
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for line, row in enumerate(csv.DictReader(handle), start=2):
                    try:
                        day = dt.date.fromisoformat(row["date"].strip())
                        overrides[day] = kinds[row["type"].strip().lower()]
                    except (KeyError, ValueError, AttributeError):
                        raise HotlineError(
                            f"{path.name}, row {line}: expected a date (2027-01-01) and a type "
                            f"(holiday, workday, 休 or 班), got {dict(row)}"
                        ) from None
        except OSError as error:
            raise HotlineError(f"{path}: cannot read holiday file ({error.strerror})") from None
        return cls(overrides, source=str(path), name=name)

    def _year(self, year: int) -> dict[dt.date, bool]:
        if self._place is not None:
            return _holiday_year(*self._place, year)
        if self.name == "none":
            return _weekdays(year)
        official = _official(year)
        if official is None:
            covered = any(day.year == year for day in self.overrides)
            if not covered and year not in self._warned:
                self._warned.add(year)
                warnings.warn(
                    f"the official holiday calendar does not cover {year}: counting Monday to "
                    "Friday as working days (give the year's holidays with a holiday file)",
                    CalendarWarning,
                    stacklevel=3,
                )
            official = _weekdays(year)
        return official

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        if day in self.overrides:
            return self.overrides[day]
        return self._year(day.year)[day]

    def table(self, first: dt.date, last: dt.date) -> pd.DataFrame:
        """One row per day from ``first`` to ``last``: the calendar as data, for joins.

        Columns: ``day`` (midnight, datetime64[us]), ``workday`` (bool), ``ordinal`` (working
        days from ``first`` up to and including ``day``).

        Example:
            >>> t = WorkCalendar().table(dt.date(2021, 10, 1), dt.date(2021, 10, 9))
            >>> t["ordinal"].tolist()
            [0, 0, 0, 0, 0, 0, 0, 1, 2]
        """
        days = pd.date_range(first, last, freq="D").as_unit("us")
        flags = np.array([self.is_workday(d.date()) for d in days], dtype=bool)
        return pd.DataFrame({"day": days, "workday": flags, "ordinal": np.cumsum(flags)})

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself does not count).

        Example:
            >>> WorkCalendar().add_workdays(dt.date(2021, 9, 24), 2)  # Fri + 2: Sun 9/26 works
            datetime.date(2021, 9, 27)
        """
        count = 0
        while count < n:
            day += _ONE_DAY
            count += self.is_workday(day)
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if reversed).

        Example:
            >>> WorkCalendar().workdays_between(dt.date(2021, 9, 30), dt.date(2021, 10, 8))
            1
        """
        if end < start:
            return -self.workdays_between(end, start)
        return sum(self.is_workday(start + _ONE_DAY * i) for i in range(1, (end - start).days + 1))

    def years(self, years: Iterable[int]) -> None:
        """Load (and warn about) the given years up front."""
        for year in years:
            self._year(year)


def calendar_for(name: str) -> WorkCalendar:
    """The working-day calendar a profile names.

    Args:
        name: ``cn``, ``us-federal``, ``none`` or ``holidays:<country>[-<subdivision>]``.

    Raises:
        HotlineError: An unknown name, or a country or subdivision the ``holidays`` package
            lacks.

    Example:
        >>> day = dt.date(2023, 4, 5)  # Wednesday, Qingming (清明节)
        >>> calendar_for("cn").is_workday(day), calendar_for("us-federal").is_workday(day)
        (False, True)
        >>> calendar_for("holidays:US-NY").is_workday(dt.date(2023, 11, 7))  # Election Day
        False
    """
    return WorkCalendar(name=name)
