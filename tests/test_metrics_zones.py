"""Handling times are elapsed time, also across daylight-saving changes in 311 data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hotline import metrics
from hotline.metrics.zones import dataset_zone, offset_changes
from orders import frame

NEW_YORK = ZoneInfo("America/New_York")


def _orders(pairs: list[tuple[str, str]], zone: str | None) -> pd.DataFrame:
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": received,
             "closed_at": closed, "status": "closed"}
            for i, (received, closed) in enumerate(pairs)
        ]
    )  # fmt: skip
    df.attrs["manifest"] = {"timezone": zone} if zone else {}
    return df


@pytest.mark.parametrize(
    ("received", "closed", "zone", "hours"),
    [
        # Spring forward in New York: 02:00-03:00 does not exist.
        ("2021-03-14 01:30", "2021-03-14 03:30", "America/New_York", 1.0),
        # Fall back: 01:00-02:00 happens twice; a wall time in it is read as the first one.
        ("2021-11-07 00:30", "2021-11-07 03:00", "America/New_York", 3.5),
        # Both times on the same side of a change: nothing to correct.
        ("2021-03-14 04:00", "2021-03-14 06:00", "America/New_York", 2.0),
        # A request open across both changes of the year comes out even.
        ("2021-03-01 12:00", "2021-12-01 12:00", "America/New_York", 275 * 24.0),
        # Los Angeles changes at its own local 02:00.
        ("2017-03-12 01:00", "2017-03-12 04:00", "America/Los_Angeles", 2.0),
        # China has had no daylight saving since 1991; no zone recorded means none either.
        ("2021-03-14 01:30", "2021-03-14 03:30", "Asia/Shanghai", 2.0),
        ("2021-03-14 01:30", "2021-03-14 03:30", None, 2.0),
    ],
)
def test_durations_are_elapsed_time(received: str, closed: str, zone: str | None, hours: float):
    table = metrics.handling_time(_orders([(received, closed)], zone))
    assert table.loc[0, "median_hours"] == pytest.approx(hours)


instants = st.datetimes(min_value=dt.datetime(2015, 1, 1), max_value=dt.datetime(2024, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=dt.UTC)
)


@settings(max_examples=60, deadline=None)
@given(instants, st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(days=90)))
def test_local_wall_times_give_back_the_elapsed_time(start: dt.datetime, length: dt.timedelta):
    end = start + length
    local = [moment.astimezone(NEW_YORK) for moment in (start, end)]
    # A wall time in the repeated hour's second pass cannot be told from the first: skip those.
    assume(not any(moment.fold for moment in local))
    naive = [moment.replace(tzinfo=None).isoformat(sep=" ") for moment in local]
    table = metrics.handling_time(_orders([tuple(naive)], "America/New_York"))
    assert table.loc[0, "median_hours"] == pytest.approx(length / dt.timedelta(hours=1))


def test_dataset_zone_comes_from_the_manifest() -> None:
    assert dataset_zone({"timezone": "America/Chicago"}) == "America/Chicago"
    one = {"inputs": [{"timezone": "America/New_York"}, {"timezone": "America/New_York"}]}
    assert dataset_zone(one) == "America/New_York"
    assert dataset_zone({"inputs": [{"timezone": "A/B"}, {"timezone": "C/D"}]}) is None
    assert dataset_zone(None) is None


def test_offset_changes_match_the_zone_database() -> None:
    for when, delta in offset_changes("Europe/Berlin", 2020, 2022):
        before = (when - dt.timedelta(hours=2)).replace(tzinfo=ZoneInfo("Europe/Berlin"))
        after = (when + dt.timedelta(hours=2)).replace(tzinfo=ZoneInfo("Europe/Berlin"))
        assert (after.utcoffset() - before.utcoffset()) / dt.timedelta(microseconds=1) == delta
