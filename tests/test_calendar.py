"""Working days on the official calendar, around the 2021 National Day holiday."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hotline.errors import HotlineError
from hotline.metrics import CalendarWarning, WorkCalendar

D = dt.date


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2021, 9, 26), True),  # Sunday, made a working day for National Day
        (D(2021, 9, 30), True),
        (D(2021, 10, 1), False),  # 国庆节
        (D(2021, 10, 4), False),  # Monday inside the holiday
        (D(2021, 10, 7), False),
        (D(2021, 10, 8), True),
        (D(2021, 10, 9), True),  # Saturday, made a working day
        (D(2021, 10, 10), False),  # an ordinary Sunday
        (D(2021, 9, 18), True),  # Saturday worked for Mid-Autumn
        (D(2021, 9, 21), False),  # 中秋节
    ],
)
def test_official_days(day: dt.date, works: bool) -> None:
    assert WorkCalendar().is_workday(day) is works


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2021, 9, 30), 1, D(2021, 10, 8)),  # straight over the whole holiday
        (D(2021, 9, 30), 2, D(2021, 10, 9)),  # the make-up Saturday counts
        (D(2021, 9, 30), 3, D(2021, 10, 11)),  # the Sunday after it does not
        (D(2021, 9, 24), 1, D(2021, 9, 26)),  # Friday + 1: the make-up Sunday
        (D(2021, 10, 1), 5, D(2021, 10, 13)),  # received in the holiday
    ],
)
def test_adding_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert WorkCalendar().add_workdays(start, n) == expected


def test_working_days_between_is_the_inverse() -> None:
    calendar = WorkCalendar()
    for n in range(1, 15):
        end = calendar.add_workdays(D(2021, 9, 28), n)
        assert calendar.workdays_between(D(2021, 9, 28), end) == n
    assert calendar.workdays_between(D(2021, 10, 8), D(2021, 9, 30)) == -1


def test_table_matches_day_by_day_answers() -> None:
    calendar = WorkCalendar()
    table = calendar.table(D(2021, 9, 20), D(2021, 10, 20))
    assert table["workday"].tolist() == [calendar.is_workday(day.date()) for day in table["day"]]
    assert table["ordinal"].diff().fillna(table["ordinal"].iloc[0]).isin([0, 1]).all()


def test_years_the_official_calendar_lacks_warn_and_fall_back_to_weekdays() -> None:
    calendar = WorkCalendar()
    with pytest.warns(CalendarWarning, match="2031"):
        assert calendar.is_workday(D(2031, 1, 1))  # a Wednesday: counted as a working day
    assert not calendar.is_workday(D(2031, 1, 4))  # Saturday


def test_a_holiday_file_covers_a_missing_year(tmp_path: Path) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text("date,type\n2031-01-01,holiday\n2031-01-04,班\n", encoding="utf-8")
    calendar = WorkCalendar.from_file(path)
    assert not calendar.is_workday(D(2031, 1, 1))
    assert calendar.is_workday(D(2031, 1, 4))


def test_a_bad_holiday_file_says_which_row(tmp_path: Path) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text("date,type\n2031-01-01,holiday\n2031-13-01,holiday\n", encoding="utf-8")
    with pytest.raises(HotlineError, match=r"holidays\.csv, row 3"):
        WorkCalendar.from_file(path)
