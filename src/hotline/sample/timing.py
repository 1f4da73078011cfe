"""When calls arrive and when exports are taken, for the synthetic 2021 sample.

Calls follow a working rhythm: most between 8:00 and 21:00, peaks at 9-11 and 14-16, fewer at
weekends and on public holidays (2021 Spring Festival 11-17 February, National Day 1-7 October …).
Monthly exports are taken a few working days after the month ends, in the morning.

Example:
    >>> allocate(10, [1.0, 1.0, 2.0]).tolist()
    [3, 2, 5]
    >>> [t.strftime("%m-%d") for t in export_times(np.random.default_rng(0))][:3]
    ['02-03', '03-03', '04-06']
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import numpy as np

__all__ = [
    "YEAR",
    "add_working_hours",
    "allocate",
    "draw_times",
    "export_times",
    "is_day_off",
]

#: The sample year.
YEAR = 2021

# Public holidays (days off) around 2021 in mainland China, per the State Council's schedule.
_HOLIDAYS = frozenset(
    [dt.date(2021, 1, d) for d in (1, 2, 3)]
    + [dt.date(2021, 2, d) for d in range(11, 18)]
    + [dt.date(2021, 4, d) for d in (3, 4, 5)]
    + [dt.date(2021, 5, d) for d in range(1, 6)]
    + [dt.date(2021, 6, d) for d in (12, 13, 14)]
    + [dt.date(2021, 9, d) for d in (19, 20, 21)]
    + [dt.date(2021, 10, d) for d in range(1, 8)]
    + [dt.date(2022, 1, d) for d in (1, 2, 3)]
)
# Calls per hour of day (0-23), relative: quiet nights, peaks mid-morning and mid-afternoon.
_HOUR_WEIGHTS = np.array(
    [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.6, 1.3, 2.0, 2.1, 1.7,
     1.0, 1.3, 1.9, 2.0, 1.7, 1.3, 0.9, 0.8, 0.7, 0.5, 0.25, 0.1]
)  # fmt: skip
_HOUR_P = _HOUR_WEIGHTS / _HOUR_WEIGHTS.sum()


def is_day_off(day: dt.date) -> bool:
    """Weekend or public holiday.

    Example:
        >>> is_day_off(dt.date(2021, 2, 12)), is_day_off(dt.date(2021, 2, 18))  # Spring Festival
        (True, False)
    """
    return day.weekday() >= 5 or day in _HOLIDAYS


def allocate(total: int, weights: Sequence[float] | np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder).

    Args:
        total: The sum to split.
        weights: Non-negative relative sizes.
        minimum: Given to every part first (when ``total`` allows it); the rest is split.

    Returns:
        Integer parts summing exactly to ``total``.

    Example:
        >>> allocate(14, [5.0, 1.0], minimum=3).tolist()
        [10, 4]
    """
    w = np.asarray(weights, dtype=float)
    floor = minimum if total >= minimum * len(w) else 0
    rest = total - floor * len(w)
    exact = w / w.sum() * rest
    parts = np.floor(exact).astype(int)
    short = rest - int(parts.sum())
    if short:
        # Ties break by position (stable sort) so the split is deterministic.
        order = np.argsort(-(exact - parts), kind="stable")
        parts[order[:short]] += 1
    return parts + floor


def _day_weight(day: dt.date) -> float:
    if day in _HOLIDAYS:
        return 0.5
    return {5: 0.6, 6: 0.55}.get(day.weekday(), 1.0)


def draw_times(rng: np.random.Generator, month: int, count: int) -> list[dt.datetime]:
    """Arrival times of ``count`` calls in one month of :data:`YEAR`, sorted.

    Weekends get about 60 % of a weekday's calls, public holidays about half.

    Example:
        >>> times = draw_times(np.random.default_rng(1), 3, 5)
        >>> len(times), all(t.month == 3 for t in times), times == sorted(times)
        (5, True, True)
    """
    days = calendar.monthrange(YEAR, month)[1]
    dates = [dt.date(YEAR, month, d) for d in range(1, days + 1)]
    weights = np.array([_day_weight(d) for d in dates])
    day_index = rng.choice(days, size=count, p=weights / weights.sum())
    hours = rng.choice(24, size=count, p=_HOUR_P)
    seconds = rng.integers(0, 3600, size=count)
    times = [
        dt.datetime.combine(dates[d], dt.time(int(h))) + dt.timedelta(seconds=int(s))
        for d, h, s in zip(day_index, hours, seconds, strict=True)
    ]
    return sorted(times)


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """``start`` plus ``hours``, moved into office hours (8:00-18:00) when it falls outside.

    Departments dispatch, sign for and close orders during office hours; an event that would land
    at night moves to the next morning (weekends are worked in the county's hotline office).

    Example:
        >>> add_working_hours(dt.datetime(2021, 3, 5, 9, 0), 2)
        datetime.datetime(2021, 3, 5, 11, 0)
        >>> add_working_hours(dt.datetime(2021, 3, 5, 17, 0), 3).date()  # next morning
        datetime.date(2021, 3, 6)
    """
    when = start + dt.timedelta(hours=hours)
    if 8 <= when.hour < 18:
        return when
    day = when.date() + dt.timedelta(days=1) if when.hour >= 18 else when.date()
    # Spread the morning's backlog over 8:00-9:30, reusing the original minutes and seconds.
    spread = dt.timedelta(minutes=(when.minute * 7 + when.second) % 90, seconds=when.second)
    return dt.datetime.combine(day, dt.time(8)) + spread


def export_times(rng: np.random.Generator) -> list[dt.datetime]:
    """When each month's export is taken: the third of the next month, or the next working day.

    Returns:
        Twelve times, January's (early February 2021) first, December's (early January 2022) last.

    Example:
        >>> export_times(np.random.default_rng(0))[-1].date()  # 1-3 January 2022 are holidays
        datetime.date(2022, 1, 4)
    """
    times = []
    for month in range(1, 13):
        year, following = (YEAR + 1, 1) if month == 12 else (YEAR, month + 1)
        day = dt.date(year, following, 3)
        while is_day_off(day):
            day += dt.timedelta(days=1)
        minute = int(rng.integers(5, 55))
        second = int(rng.integers(0, 60))
        times.append(dt.datetime.combine(day, dt.time(9, minute, second)))
    return times
