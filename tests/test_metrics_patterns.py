"""When requests arrive, how far they get, how long they take: grid, funnel, duration bands."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings

from hotline import metrics
from hotline.metrics.patterns import FUNNEL_STAGES
from orders import frame, to_parquet
from strategies import canonical_orders

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEFINITIONS = metrics.preset("default").replace(as_of=dt.datetime(2021, 12, 31, 23, 59))


@SETTINGS
@given(canonical_orders())
def test_weekday_hour_has_every_cell_and_adds_up(orders: list[dict]) -> None:
    df = frame(orders)
    grid = metrics.weekday_hour(df, definitions=DEFINITIONS)
    assert len(grid) == 7 * 24
    assert not grid.duplicated(["weekday", "hour"]).any()
    total = metrics.summary(df, definitions=DEFINITIONS).iloc[0]["accepted"]
    assert grid["accepted"].sum() == total
    assert (grid["accepted"] >= 0).all()


def test_weekday_hour_places_each_request_in_its_cell() -> None:
    times = ["2021-03-01 00:05", "2021-03-01 23:59", "2021-03-06 12:00", "2021-03-07 12:30"]
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": t, "status": "closed"}
            for i, t in enumerate(times)
        ]
    )
    grid = metrics.weekday_hour(df, definitions=DEFINITIONS).set_index(["weekday", "hour"])
    received = pd.to_datetime(pd.Series(times))
    expected = received.groupby([received.dt.day_of_week, received.dt.hour]).size()
    for (weekday, hour), count in expected.items():
        assert grid.loc[(weekday, hour), "accepted"] == count
        assert grid.loc[(weekday, hour), "weekday_label"] == metrics.WEEKDAYS[weekday]
    assert grid["accepted"].sum() == len(times)


@SETTINGS
@given(canonical_orders())
def test_funnel_stages_shrink(orders: list[dict]) -> None:
    stages = metrics.funnel(frame(orders), definitions=DEFINITIONS)
    counts = stages["count"].to_numpy()
    # the funnel stops before a stage the export says nothing about: 受理 may stand alone
    assert len(counts) + len(stages.attrs["left_out"]) == len(FUNNEL_STAGES)
    assert (np.diff(counts[1:]) <= 0).all()
    if len(counts) > 1:
        assert counts[0] >= counts[1] and stages.attrs["direct"] + counts[1] <= counts[0]
    shares = stages["of_previous"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all()


def test_funnel_follows_dispatched_orders() -> None:
    base = {"source_kind": "hotline", "received_at": "2021-03-01 09:00"}
    rows = [
        {**base, "status": "answered_directly"},
        {**base, "status": "dispatched", "dispatched_at": "2021-03-01 10:00"},
        {**base, "status": "closed", "dispatched_at": "2021-03-01 10:00",
         "closed_at": "2021-03-02 10:00"},
        {**base, "status": "closed", "dispatched_at": "2021-03-01 10:00",
         "closed_at": "2021-03-02 10:00", "revisited_at": "2021-03-03 10:00",
         "satisfaction": "satisfied"},
        {**base, "status": "closed", "dispatched_at": "2021-03-01 10:00",
         "closed_at": "2021-03-02 10:00", "revisited_at": "2021-03-03 10:00",
         "satisfaction": "dissatisfied"},
    ]  # fmt: skip
    df = frame([{"order_id": str(i), **row} for i, row in enumerate(rows)])
    stages = metrics.funnel(df, definitions=DEFINITIONS).set_index("stage")
    summary = metrics.summary(df, definitions=DEFINITIONS).iloc[0]
    assert stages.loc["accepted", "count"] == summary["accepted"] == len(rows)
    assert stages.loc["dispatched", "count"] == summary["dispatched"]
    assert stages.loc["closed", "count"] == summary["closed_dispatched"]
    assert stages.attrs["direct"] == summary["direct"]
    assert stages.loc["satisfied", "count"] <= stages.loc["revisited", "count"]
    assert stages.loc["satisfied", "count"] == summary["satisfied"]


def test_duration_bands_follow_their_bounds() -> None:
    hours = [0.5, 24, 24.01, 71.9, 119, 200, 300, 700, 1000, 0, -2]
    received = pd.Timestamp("2021-03-01 09:00")
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": received,
             "closed_at": received + pd.Timedelta(hours=h), "status": "closed"}
            for i, h in enumerate(hours)
        ]
    )  # fmt: skip
    table = metrics.duration_distribution(df, definitions=DEFINITIONS)
    uppers = [upper for upper, _, _ in metrics.DURATION_BANDS]
    positive = [h for h in hours if h > 0]
    expected = np.bincount(np.searchsorted(uppers, positive, side="left"), minlength=len(uppers))
    assert table["count"].tolist() == expected.tolist()
    assert table.attrs["zero"] == hours.count(0)
    assert table.attrs["negative"] == sum(h < 0 for h in hours)
    assert np.isclose(table["share"].sum(), 1.0)


def test_empty_data_gives_full_tables_without_shares() -> None:
    empty = frame([{"order_id": "1", "source_kind": "hotline", "received_at": "2021-03-01"}])
    empty = empty.iloc[0:0]
    assert metrics.weekday_hour(empty)["accepted"].sum() == 0
    assert metrics.funnel(empty)["of_first"].isna().all()
    table = metrics.duration_distribution(empty)
    assert len(table) == len(metrics.DURATION_BANDS) and table["share"].isna().all()


@SETTINGS
@given(canonical_orders())
def test_engines_agree_on_hand_built_orders(orders: list[dict]) -> None:
    df = frame(orders)
    # A directory per example: hypothesis reuses function-scoped fixtures across examples.
    with tempfile.TemporaryDirectory() as folder:
        path = to_parquet(df, Path(folder) / "orders.parquet")
        for function in (
            metrics.weekday_hour,
            metrics.funnel,
            metrics.duration_distribution,
            metrics.backlog,
        ):
            left = function(df, definitions=DEFINITIONS)
            right = function(path, definitions=DEFINITIONS)
            pd.testing.assert_frame_equal(left, right, check_dtype=False)


@SETTINGS
@given(canonical_orders())
def test_backlog_is_accepted_minus_closed(orders: list[dict]) -> None:
    df = frame(orders)
    totals = metrics.summary(df, by="town", definitions=DEFINITIONS)
    open_orders = metrics.backlog(df, by="town", definitions=DEFINITIONS)
    expected = (totals["accepted"] - totals["closed"]).groupby(totals["town"], dropna=False).sum()
    found = open_orders.set_index("town")["open"]
    for town, count in expected[expected > 0].items():
        assert found.get(town, 0) == count
    assert open_orders["open"].sum() == expected.sum()
    assert (open_orders["open_overdue"] <= open_orders["open"]).all()


def test_backlog_ignores_later_closures_and_measures_age() -> None:
    as_of = pd.Timestamp("2021-06-30 12:00")
    received = ["2021-06-01 12:00", "2021-06-20 12:00", "2021-06-29 12:00", "2021-07-02 09:00"]
    closed = ["2021-06-10", None, "2021-07-01", None]
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": r, "closed_at": c,
             "status": "closed" if c else "dispatched"}
            for i, (r, c) in enumerate(zip(received, closed, strict=True))
        ]
    )  # fmt: skip
    definitions = metrics.preset("default").replace(as_of=as_of)
    row = metrics.backlog(df, definitions=definitions).iloc[0]
    ages = [(as_of - pd.Timestamp(received[i])) / pd.Timedelta(hours=1) for i in (1, 2)]
    assert row["open"] == 2
    assert row["median_age_hours"] == np.median(ages)
    assert row["oldest_received_at"] == pd.Timestamp(received[1])
