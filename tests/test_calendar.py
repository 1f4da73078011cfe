"""Working days on each named calendar: cn (official, with 调休), us-federal, holidays:CC-SUB, none.

Expected days are taken from the published calendars (the State Council's notices, the US federal
holiday rules, New York State's public holidays), not from running the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hotline.errors import HotlineError
from hotline.metrics import CalendarWarning, WorkCalendar
from hotline.metrics.calendar import calendar_for

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


NAMED_DAYS = [
    # 2023-04-05, Wednesday: Qingming (清明节), a Chinese holiday, an ordinary US working day
    ("cn", D(2023, 4, 5), False),
    ("us-federal", D(2023, 4, 5), True),
    ("none", D(2023, 4, 5), True),
    ("holidays:US-NY", D(2023, 4, 5), True),
    # 2023-04-23, Sunday: worked in China for the Labour Day holiday (4/29-5/3)
    ("cn", D(2023, 4, 23), True),
    ("us-federal", D(2023, 4, 23), False),
    ("none", D(2023, 4, 23), False),
    # 2023-07-04, Tuesday: Independence Day
    ("us-federal", D(2023, 7, 4), False),
    ("holidays:US-NY", D(2023, 7, 4), False),
    ("cn", D(2023, 7, 4), True),
    ("none", D(2023, 7, 4), True),
    # 2023-11-23: the fourth Thursday of November (Nov 1 is a Wednesday): Thanksgiving
    ("us-federal", D(2023, 11, 23), False),
    ("us-federal", D(2023, 11, 24), True),  # the Friday after is no federal holiday
    # observed days: July 4, 2020 was a Saturday (observed Friday 3 July); New Year 2022 a
    # Saturday (observed Friday 31 December 2021)
    ("us-federal", D(2020, 7, 3), False),
    ("us-federal", D(2021, 12, 31), False),
    # 2023-11-07, Tuesday: Election Day, a New York State holiday, no federal one
    ("holidays:US-NY", D(2023, 11, 7), False),
    ("us-federal", D(2023, 11, 7), True),
    # 2023-02-13, Monday: Lincoln's Birthday (Sunday 12 February) observed in New York
    ("holidays:US-NY", D(2023, 2, 13), False),
    ("us-federal", D(2023, 2, 13), True),
    # 2021-10-01, Friday: National Day; 2021-10-09, Saturday worked in China only
    ("none", D(2021, 10, 1), True),
    ("none", D(2021, 10, 9), False),
    ("cn", D(2021, 10, 9), True),
]


@pytest.mark.parametrize(("name", "day", "works"), NAMED_DAYS)
def test_each_named_calendar_knows_its_days(name: str, day: dt.date, works: bool) -> None:
    assert calendar_for(name).is_workday(day) is works


@pytest.mark.parametrize(
    ("name", "start", "n", "expected"),
    [
        ("us-federal", D(2023, 4, 4), 1, D(2023, 4, 5)),  # Qingming works in New York
        ("cn", D(2023, 4, 4), 1, D(2023, 4, 6)),
        ("us-federal", D(2023, 11, 22), 1, D(2023, 11, 24)),  # over Thanksgiving
        ("us-federal", D(2023, 7, 3), 1, D(2023, 7, 5)),  # over Independence Day
        ("none", D(2023, 7, 3), 1, D(2023, 7, 4)),
        ("none", D(2023, 4, 7), 1, D(2023, 4, 10)),  # Friday + 1: Monday
        ("holidays:US-NY", D(2023, 11, 6), 1, D(2023, 11, 8)),  # over Election Day
    ],
)
def test_adding_working_days_on_each_calendar(
    name: str, start: dt.date, n: int, expected: dt.date
) -> None:
    assert calendar_for(name).add_workdays(start, n) == expected


def test_the_default_calendar_is_china_s() -> None:
    assert WorkCalendar().name == calendar_for("cn").name == "cn"


@pytest.mark.parametrize(
    ("name", "complaint"),
    [
        ("mars", r"calendar 'mars': expected cn, us-federal, none or holidays:"),
        ("holidays:XX", r"calendar 'holidays:XX': the holidays package does not know it"),
        ("holidays:US-ZZ", r"calendar 'holidays:US-ZZ': the holidays package does not know it"),
    ],
)
def test_unknown_calendars_are_a_clear_error(name: str, complaint: str) -> None:
    with pytest.raises(HotlineError, match=complaint):
        calendar_for(name)


def test_a_holiday_file_overrides_any_calendar(tmp_path: Path) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text("date,type\n2023-07-04,workday\n2023-07-05,holiday\n", encoding="utf-8")
    calendar = WorkCalendar.from_file(path, name="us-federal")
    assert calendar.is_workday(D(2023, 7, 4)) and not calendar.is_workday(D(2023, 7, 5))
    assert not calendar.is_workday(D(2023, 11, 23))  # the rest of the year is still federal


def test_only_the_chinese_calendar_warns_about_uncovered_years(
    recwarn: pytest.WarningsRecorder,
) -> None:
    assert not calendar_for("us-federal").is_workday(D(2031, 7, 4))  # a Friday, a holiday
    assert calendar_for("none").is_workday(D(2031, 7, 4))
    assert not [w for w in recwarn if issubclass(w.category, CalendarWarning)]
