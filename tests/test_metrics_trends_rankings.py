"""Monthly trends (环比, 同比, empty months) and rankings (weights, bands, 红黑榜, min volume)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from hotline import metrics
from hotline.errors import HotlineError
from orders import frame


def monthly_orders(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """``{"2021-01": (accepted, closed)}`` -> orders spread over the whole month."""
    rows = []
    for month, (accepted, closed) in counts.items():
        start = pd.Period(month, "M")
        for i in range(accepted):
            offset = round(i * (start.days_in_month - 1) / max(accepted - 1, 1))
            day = start.start_time.to_pydatetime() + dt.timedelta(days=offset, hours=10)
            rows.append(
                dict(
                    order_id=f"{month}-{i}",
                    source_kind="hotline",
                    received_at=day,
                    status="closed" if i < closed else "in_progress",
                    closed_at=day + dt.timedelta(hours=1) if i < closed else None,
                )
            )
    return frame(rows)


def test_trend_fills_empty_months_and_computes_changes() -> None:
    # 2021-01: 10 accepted, 8 closed; 2021-02: nothing; 2021-03: 20, 20; ... 2022-01: 5, 5
    counts = {"2021-01": (10, 8), "2021-03": (20, 20), "2022-01": (5, 5)}
    whole = metrics.preset("default").replace(min_change_base=1)
    trend = metrics.monthly_trend(monthly_orders(counts), definitions=whole).set_index("month")
    assert len(trend) == 13  # every month from 2021-01 to 2022-01
    assert list(trend.index[trend["complete"]]) == list(counts)  # spread over the whole month
    assert trend.loc["2021-02", "accepted"] == 0 and np.isnan(trend.loc["2021-02", "closure_rate"])
    assert pd.isna(trend.loc["2021-02", "accepted_mom"])  # a month of 0 is below any base
    assert pd.isna(trend.loc["2021-03", "accepted_mom"])  # previous month 0: no ratio
    assert trend.loc["2022-01", "accepted_yoy"] == pytest.approx(5 / 10 - 1)
    assert trend.loc["2022-01", "closure_rate_yoy_pp"] == pytest.approx((1.0 - 0.8) * 100)
    assert trend.loc["2021-03", "accepted_rolling3"] == pytest.approx(10)  # (10 + 0 + 20) / 3
    assert np.isnan(trend.loc["2021-02", "accepted_rolling3"])  # needs three months


def test_a_change_needs_whole_months_above_the_base() -> None:
    counts = {"2021-01": (40, 40), "2021-02": (50, 50)}
    march = [edge(f"2021-03-{day:02d}") for day in range(1, 11)]  # the data stop on 10 March
    trend = metrics.monthly_trend(
        pd.concat([monthly_orders(counts), frame(march)], ignore_index=True)
    ).set_index("month")
    assert list(trend["complete"]) == [True, True, False]
    assert trend.loc["2021-02", "accepted_mom"] == pytest.approx(50 / 40 - 1)
    assert pd.isna(trend.loc["2021-03", "accepted_mom"])


def edge(day: str) -> dict:
    """One closed request at noon of ``day``."""
    when = dt.datetime.fromisoformat(f"{day} 12:00")
    return dict(
        order_id=f"edge-{day}",
        source_kind="hotline",
        received_at=when,
        status="closed",
        closed_at=when + dt.timedelta(hours=1),
    )


def test_trend_of_no_data_is_empty() -> None:
    empty = monthly_orders({"2021-01": (1, 1)}).iloc[0:0]
    assert metrics.monthly_trend(empty).empty


def ranked_units() -> pd.DataFrame:
    rows = []
    plan = {"A": (40, 40), "B": (40, 36), "C": (40, 30), "D": (3, 3), "E": (40, 39)}
    for unit, (accepted, closed) in plan.items():
        for i in range(accepted):
            rows.append(
                dict(
                    order_id=f"{unit}{i}",
                    source_kind="hotline",
                    received_at="2021-05-10 09:00",
                    department=unit,
                    status="closed" if i < closed else "in_progress",
                )
            )
    return frame(rows)


def test_ranking_bands_and_lists() -> None:
    ranking = metrics.rank_units(
        ranked_units(), "department", weights={"closure_rate": 1.0}, min_volume=20, top=1
    )
    table = ranking.set_index("department")
    # scores: A 100, E 97.5, B 90, C 75; D has 3 orders: listed, not ranked
    assert table.loc[["A", "E", "B", "C"], "rank"].tolist() == [1, 2, 3, 4]
    assert pd.isna(table.loc["D", "rank"])
    assert table["band"].to_dict() == {
        "A": "优秀",
        "E": "优秀",
        "B": "良好",
        "C": "较差",
        "D": "不参评",
    }
    assert table.loc["A", "list"] == "红榜" and table.loc["C", "list"] == "黑榜"
    assert table.loc["D", "list"] == ""
    assert list(ranking["department"]) == ["A", "E", "B", "C", "D"]


def test_custom_weights_and_bands() -> None:
    bands = (("达标", 95.0), ("不达标", 0.0))
    ranking = metrics.rank_units(
        ranked_units(), "department", weights={"closure_rate": 2.0}, bands=bands, min_volume=1
    )
    assert set(ranking["band"]) == {"达标", "不达标"}
    assert ranking.attrs["weights"] == {"closure_rate": 2.0}


def test_a_unit_without_a_rate_is_scored_on_the_rest() -> None:
    ranking = metrics.rank_units(ranked_units(), "department", min_volume=1)
    # no satisfaction and no closing times: scored on the closure rate alone, and it says so
    assert set(ranking["scored_on"]) == {"办结率"}
    assert ranking.set_index("department").loc["B", "score"] == 90.0


def test_unknown_weights_are_refused() -> None:
    with pytest.raises(HotlineError, match="unknown rates"):
        metrics.rank_units(ranked_units(), weights={"happiness": 1.0})


#: (what was passed as ``by``, what the error must say).
WRONG_BY = [
    ("weather", r"cannot group by 'weather'; expected a period .* one of agency"),
    ("us311", r"cannot group by 'us311'.*; 'us311' is a preset: pass definitions='us311'"),
    ("beijing", r"'beijing' is a preset: pass definitions='beijing'"),
]


@pytest.mark.parametrize(("by", "complaint"), WRONG_BY)
@pytest.mark.parametrize("metric", [metrics.summary, metrics.handling_time])
def test_a_wrong_grouping_says_what_was_meant(metric, by: str, complaint: str) -> None:
    data = frame([dict(order_id="A", received_at="2021-01-04 09:00", status="closed")])
    with pytest.raises(HotlineError, match=complaint):
        metric(data, by)
