"""Hypothesis: properties every metric keeps, whatever the orders."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import metrics
from hotline.metrics.catalogue import RATES, denominator, numerator
from orders import frame
from strategies import canonical_orders

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF = dt.datetime(2021, 12, 31, 23, 59)


def table(orders: list[dict], **options) -> pd.DataFrame:
    definitions = metrics.preset(options.pop("preset", "default")).replace(
        as_of=options.pop("as_of", AS_OF)
    )
    return metrics.summary(frame(orders), definitions=definitions, **options)


@SETTINGS
@given(canonical_orders(), st.sampled_from(["default", "beijing", "strict"]))
def test_rates_are_proportions_of_their_counts(orders: list[dict], preset: str) -> None:
    definitions = metrics.preset(preset)
    row = table(orders, preset=preset).iloc[0]
    for key in RATES:
        num, den = row[numerator(key, definitions)], row[denominator(key, definitions)]
        if pd.isna(num):  # the orders carry nothing the count needs: unknown, never 0%
            assert pd.isna(row[key])
            continue
        assert 0 <= num <= den
        if den == 0:
            assert pd.isna(row[key])
        elif not pd.isna(row[key]):
            assert 0 <= row[key] <= 1
            assert row[f"{key}_low"] <= row[key] <= row[f"{key}_high"]


@SETTINGS
@given(canonical_orders(), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(orders: list[dict], random) -> None:
    shuffled = list(orders)
    random.shuffle(shuffled)
    pd.testing.assert_frame_equal(table(orders, by="town"), table(shuffled, by="town"))


@SETTINGS
@given(
    canonical_orders(),
    st.sampled_from(["town", "department", "topic", "source_kind"]),
    st.sampled_from([None, "month", "quarter", "day"]),
)
def test_groups_add_up_to_the_total(orders: list[dict], by: str, freq: str | None) -> None:
    total = table(orders).iloc[0]
    groups = table(orders, by=by, freq=freq)
    for flag in (
        "accepted",
        "closed",
        "on_time",
        "closed_late",
        "open_overdue",
        "evaluated",
        "satisfied",
        "repeats",
        "with_caller",
    ):
        if pd.isna(total[flag]):  # unknown overall is unknown in every group with orders
            assert (groups[flag].isna() | (groups["accepted"] == 0)).all(), flag
        else:  # a group that cannot say adds nothing: its orders count 0 in the total too
            assert groups[flag].sum() == total[flag], flag


@SETTINGS
@given(
    canonical_orders(),
    st.datetimes(min_value=dt.datetime(2021, 1, 1), max_value=dt.datetime(2022, 3, 1)),
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=90)),
)
def test_a_later_as_of_never_lowers_the_closed_count(orders, as_of, later) -> None:
    early = table(orders, as_of=as_of).iloc[0]
    late = table(orders, as_of=as_of + later).iloc[0]
    assert late["closed"] >= early["closed"]
    assert late["accepted"] >= early["accepted"]
