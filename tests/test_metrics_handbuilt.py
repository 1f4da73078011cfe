"""Every metric on eleven orders, each figure worked out by hand in the comments.

as_of = 2021-10-15 00:00. Deadlines: 5 working days after the day the clock starts (dispatch,
else receipt), on the official calendar: 2021-10-01..07 National Day holiday, Saturday 10-09
and Sunday 09-26 make-up working days, 09-19..21 Mid-Autumn holiday, Saturday 09-18 worked.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hotline import availability, metrics
from hotline.metrics import Definitions, Rate
from orders import frame, to_parquet

AS_OF = dt.datetime(2021, 10, 15)

ORDERS = [
    # H1: dispatched Tue 09-28; due = 09-29(1) 09-30(2) 10-08(3) 10-09 Sat(4) 10-11(5), end of day.
    #     Closed 10-11 16:00: on time. Satisfied. Caller K1, topic 供暖.
    dict(
        order_id="H1",
        source_kind="hotline",
        received_at="2021-09-28 09:00",
        dispatched_at="2021-09-28 10:00",
        closed_at="2021-10-11 16:00",
        status="closed",
        satisfaction="satisfied",
        caller_key="K1",
        topic="供暖",
        department="县供热公司",
        town="城关街道",
        request_type="complaint",
    ),
    # H2: dispatched 09-29; due = 09-30, 10-08, 10-09, 10-11, 10-12 -> closed 10-13: late.
    #     基本满意. Same caller and topic as H1, 1 day later: a repeat.
    dict(
        order_id="H2",
        source_kind="hotline",
        received_at="2021-09-29 09:00",
        dispatched_at="2021-09-29 11:00",
        closed_at="2021-10-13 09:00",
        status="closed",
        satisfaction="basically_satisfied",
        caller_key="K1",
        topic="供暖",
        department="县供热公司",
        town="城关街道",
        request_type="complaint",
    ),
    # H3: dispatched Fri 10-08; due = 10-09, 10-11, 10-12, 10-13, 10-14 -> open at as_of: overdue.
    dict(
        order_id="H3",
        source_kind="hotline",
        received_at="2021-10-08 08:30",
        dispatched_at="2021-10-08 09:00",
        status="in_progress",
        caller_key="K2",
        topic="供暖",
        department="县供热公司",
        town="河东镇",
        request_type="complaint",
    ),
    # H4: dispatched 10-12; due 10-19: open, not yet due.
    dict(
        order_id="H4",
        source_kind="hotline",
        received_at="2021-10-12 10:00",
        dispatched_at="2021-10-12 10:30",
        status="dispatched",
        department="县教育局",
        town="河东镇",
        request_type="consultation",
    ),
    # H5: answered by the call-taker (直接答复), closed 10 minutes later; clock starts at receipt;
    #     on time. Not evaluated.
    dict(
        order_id="H5",
        source_kind="hotline",
        received_at="2021-09-30 15:00",
        closed_at="2021-09-30 15:10",
        status="answered_directly",
        satisfaction="not_evaluated",
        town="城关街道",
        request_type="consultation",
    ),
    # H6: received during the holiday; the export's own deadline 10-10 18:00; closed 10-09 12:00:
    #     on time. Status 已回访 (closed family). 不满意, contacted, not resolved, returned once.
    dict(
        order_id="H6",
        source_kind="hotline",
        received_at="2021-10-01 10:00",
        dispatched_at="2021-10-01 11:00",
        due_at="2021-10-10 18:00",
        closed_at="2021-10-09 12:00",
        status="revisited",
        satisfaction="dissatisfied",
        is_contacted=True,
        is_resolved=False,
        return_count=1,
        is_extended=False,
        caller_key="K3",
        topic="物业",
        department="县住房和城乡建设局",
        town="河东镇",
        request_type="complaint",
    ),
    # H7 invalid and H8 duplicate: not accepted.
    dict(order_id="H7", source_kind="hotline", received_at="2021-10-02 10:00", status="invalid"),
    dict(
        order_id="H8",
        source_kind="hotline",
        received_at="2021-10-03 10:00",
        status="duplicate",
        caller_key="K1",
        topic="供暖",
    ),
    # H9: closed 10-16, after as_of: open at as_of; due 10-21: not overdue.
    dict(
        order_id="H9",
        source_kind="hotline",
        received_at="2021-10-14 09:00",
        dispatched_at="2021-10-14 10:00",
        closed_at="2021-10-16 09:00",
        status="closed",
        department="县教育局",
        town="城关街道",
        request_type="help",
    ),
    # H10: received after as_of: does not exist yet.
    dict(
        order_id="H10",
        source_kind="hotline",
        received_at="2021-10-20 09:00",
        status="closed",
        closed_at="2021-10-20 10:00",
    ),
    # O1: online, received Mon 09-20 (holiday); replied 09-22: closed by the reply.
    #     due = 09-22(1) 09-23(2) 09-24(3) 09-26 Sun(4) 09-27(5): on time. User U1.
    dict(
        order_id="O1",
        source_kind="online",
        received_at="2021-09-20 10:00",
        replied_at="2021-09-22 00:00",
        status="replied",
        caller_key="U1",
        topic="教育",
    ),
    # O2: online, received Sun 10-10, no reply; due = 10-11..10-15 end: not overdue at as_of.
    dict(order_id="O2", source_kind="online", received_at="2021-10-10 10:00", status="received"),
]

DEFS = Definitions(as_of=AS_OF)


@pytest.fixture(scope="module")
def orders():
    return frame(ORDERS)


@pytest.fixture(params=["pandas", "duckdb"])
def data(request, orders, tmp_path_factory):
    if request.param == "pandas":
        return orders
    return to_parquet(orders, tmp_path_factory.mktemp("hand") / "orders.parquet")


def test_volume_and_closure(data) -> None:
    # in scope: H1-H9, O1, O2; accepted: all but H7, H8 -> 9
    assert metrics.volume(data, DEFS) == 9
    # closed by as_of: H1, H2, H5, H6, O1 -> 5 of 9
    assert metrics.closure_rate(data, DEFS) == Rate(5, 9)
    assert metrics.closure_rate(data, DEFS, source_kind="hotline") == Rate(4, 7)
    assert metrics.closure_rate(data, DEFS, source_kind="online") == Rate(1, 2)


def test_direct_answers(data) -> None:
    # H5 only, over the 9 accepted
    assert metrics.direct_answer_rate(data, DEFS) == Rate(1, 9)


def test_deadlines_on_time_and_overdue(data) -> None:
    # on time: H1, H5, H6, O1; late: H2; open past due at as_of: H3 -> 4 / (4 + 1 + 1)
    assert metrics.on_time_rate(data, DEFS) == Rate(4, 6)
    assert metrics.overdue(data, DEFS) == {"closed_late": 1, "open_overdue": 1}


def test_satisfaction_under_three_definitions(data) -> None:
    # evaluated: H1 满意, H2 基本满意, H6 不满意 (H5 未评价 does not count)
    assert metrics.satisfaction_rate(data, DEFS) == Rate(2, 3)
    assert metrics.dissatisfaction_rate(data, DEFS) == Rate(1, 3)
    strict = metrics.preset("strict").replace(as_of=AS_OF)
    # strict: only 满意/非常满意 (H1), over closed orders with revisit data (H1, H2, H5, H6)
    assert metrics.satisfaction_rate(data, strict) == Rate(1, 4)
    assert metrics.dissatisfaction_rate(data, strict) == Rate(2, 4)  # 基本满意 counts against


def test_revisits(data) -> None:
    # closed with revisit data: H1, H2, H5, H6; revisited (evaluated or 已回访): H1, H2, H6
    assert metrics.revisit_rate(data, DEFS) == Rate(3, 4)


def test_beijing_rates(data) -> None:
    beijing = metrics.preset("beijing").replace(as_of=AS_OF)
    rates = metrics.beijing_rates(data, beijing)
    # only H6 says whether the caller was contacted (yes) and whether it was solved (no)
    assert rates["响应率"] == Rate(1, 1)
    assert rates["解决率"] == Rate(0, 1)
    # beijing counts 满意/非常满意 only: H1 of H1, H2, H6
    assert rates["满意率"] == Rate(1, 3)
    # 办结率 over dispatched orders: accepted minus the direct answer H5 = 8; closed: H1 H2 H6 O1
    assert metrics.closure_rate(data, beijing) == Rate(4, 8)


def test_returns_and_extensions_only_where_recorded(data) -> None:
    # only H6 carries return and extension data: returned once, not extended
    assert metrics.return_rate(data, DEFS) == Rate(1, 1)
    assert metrics.extension_rate(data, DEFS) == Rate(0, 1)


def test_repeat_requests(data) -> None:
    # callers known on accepted orders: H1, H2, H3, H6, O1 -> 5; H2 repeats H1 (K1, 供暖, 1 day)
    assert metrics.repeat_rate(data, DEFS) == Rate(1, 5)
    # H8 is a duplicate (not accepted): it does not make H1 a repeat
    narrow = DEFS.replace(repeat_window_days=0)
    assert metrics.repeat_rate(data, narrow) == Rate(0, 5)


def test_handling_time(data) -> None:
    result = metrics.handling_time(data, definitions=DEFS).iloc[0]
    # closed with a close time: H1 319 h, H2 336 h, H5 1/6 h, H6 194 h, O1 38 h
    assert (result["closed"], result["valid"], result["negative"], result["zero"]) == (5, 5, 0, 0)
    assert result["median_hours"] == pytest.approx(194)
    assert result["mean_hours"] == pytest.approx((319 + 336 + 1 / 6 + 194 + 38) / 5)
    # linear 90th percentile: position 0.9 * 4 = 3.6 between 319 and 336
    assert result["p90_hours"] == pytest.approx(319 + 0.6 * 17)
    # working days: H1 5 (9-29, 9-30, 10-08, 10-09, 10-11), H2 6, H5 0, H6 2 (10-08, 10-09),
    # O1 1 (9-21 is a holiday, 9-22 is not)
    assert result["median_workdays"] == 2
    assert result["mean_workdays"] == pytest.approx(14 / 5)


def test_summary_by_town_adds_up(data) -> None:
    table = metrics.summary(data, by="town", definitions=DEFS)
    by_town = table.set_index(table["town"].fillna("—"))
    # 城关街道: H1, H2, H5, H9 accepted; H1, H2, H5 closed. 河东镇: H3, H4, H6; H6 closed.
    # no town: O1, O2; O1 closed.
    assert by_town.loc["城关街道", ["accepted", "closed"]].tolist() == [4, 3]
    assert by_town.loc["河东镇", ["accepted", "closed"]].tolist() == [3, 1]
    assert by_town.loc["—", ["accepted", "closed"]].tolist() == [2, 1]
    assert table["accepted"].sum() == 9 and table["closed"].sum() == 5


def test_flow_by_closing_month(data) -> None:
    flow = DEFS.replace(period="closed")
    table = metrics.summary(data, freq="month", definitions=flow).set_index("month")
    # closed in September: H5 (09-30), O1 (09-22); in October: H1, H2, H6
    assert table.loc["2021-09", "closed"] == 2
    assert table.loc["2021-10", "closed"] == 3


def test_as_of_moves_the_picture(data) -> None:
    earlier = DEFS.replace(as_of=dt.datetime(2021, 10, 12))
    # at 10-12 00:00: H4 and H9 not yet received -> 7 accepted; H2 (10-13) not closed yet;
    # closed: H1 (10-11), H5, H6, O1 -> 4; H3 (due 10-14) not yet overdue
    assert metrics.closure_rate(data, earlier) == Rate(4, 7)
    assert metrics.overdue(data, earlier) == {"closed_late": 0, "open_overdue": 0}
    later = DEFS.replace(as_of=dt.datetime(2021, 10, 17))
    # at 10-17: H9 closed (10-16) -> 6 of 9
    assert metrics.closure_rate(data, later) == Rate(6, 9)


def test_empty_denominators_are_missing_not_zero(data) -> None:
    nothing = metrics.closure_rate(data, DEFS, department="县不存在局")
    assert nothing == Rate(0, 0) and nothing.value is None
    assert (
        metrics.summary(data, definitions=DEFS, department="县不存在局")["closure_rate"]
        .isna()
        .all()
    )


def test_direct_answer_rate_needs_dispatch_information() -> None:
    # an export without dispatch time, unit or 直接答复 cannot tell a direct answer
    bare = frame(
        [dict(order_id="1", source_kind="hotline", received_at="2021-03-01", status="closed")]
    )
    rate = metrics.direct_answer_rate(bare)
    assert rate.value is None
    assert rate.reason == availability.INFORMATION["dispatch"].reason


def test_zero_and_negative_durations_are_reported_not_averaged() -> None:
    df = frame(
        [
            dict(
                order_id="1",
                source_kind="hotline",
                received_at="2021-03-01 09:00",
                closed_at="2021-03-01 11:00",
                status="closed",
            ),
            dict(
                order_id="2",
                source_kind="hotline",
                received_at="2021-03-01 09:00",
                closed_at="2021-03-01 09:00",
                status="closed",
            ),  # zero: bulk closure
            dict(
                order_id="3",
                source_kind="hotline",
                received_at="2021-03-02 09:00",
                closed_at="2021-03-01 12:00",
                status="closed",
            ),  # negative: closed before received
        ]
    )
    result = metrics.handling_time(df).iloc[0]
    assert (result["closed"], result["valid"], result["zero"], result["negative"]) == (3, 1, 1, 1)
    assert result["mean_hours"] == result["median_hours"] == 2.0


def test_rankings_respect_minimum_volume(orders: object) -> None:
    ranking = metrics.rank_units(
        orders, "department", min_volume=3, definitions=DEFS, weights={"closure_rate": 1.0}
    )
    ranked = ranking.set_index("department")
    # 县供热公司: H1, H2, H3 -> 3 accepted, 2 closed -> score 66.67, ranked
    assert ranked.loc["县供热公司", "score"] == pytest.approx(66.67)
    assert ranked.loc["县供热公司", "rank"] == 1
    # 县住房和城乡建设局 (H6, 1 of 1) scores 100 but is too small to rank
    assert ranked.loc["县住房和城乡建设局", "score"] == 100.0
    assert ranked.loc["县住房和城乡建设局", "band"] == "不参评"


def test_definitions_are_described_with_every_figure(orders: object) -> None:
    table = metrics.summary(orders, definitions=DEFS)
    assert table.attrs["definitions"]["as_of"] == "2021-10-15 00:00:00"
    assert table.attrs["engine"] == "pandas"


def test_dataset_path_reads_with_duckdb(orders, tmp_path: Path) -> None:
    path = to_parquet(orders, tmp_path / "orders.parquet")
    assert metrics.summary(path, definitions=DEFS).attrs["engine"] == "duckdb"


# 311 data: a deadline only where the export gives a due date (the us311 preset); with a rule
# for one request type, only that type gets a computed deadline.
SLA_ORDERS = [
    # S1: due 03-05, closed 03-02: on time.
    dict(order_id="S1", received_at="2021-03-01 09:00", closed_at="2021-03-02 09:00",
         due_at="2021-03-05 23:59", status="closed"),
    # S2: due 03-05, closed 03-09: late.
    dict(order_id="S2", received_at="2021-03-01 09:00", closed_at="2021-03-09 09:00",
         due_at="2021-03-05 23:59", status="closed"),
    # S3: no due date, a complaint closed 03-09; 3 working days from Mon 03-01 end on Thu 03-04.
    dict(order_id="S3", received_at="2021-03-01 09:00", closed_at="2021-03-09 09:00",
         status="closed", request_type="complaint"),
    # S4: no due date, still open.
    dict(order_id="S4", received_at="2021-03-01 09:00", status="in_progress"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("time_limits", "expected"),
    [
        ({}, Rate(1, 2)),  # S1 on time, S2 late; S3 and S4 have no deadline
        ({"complaint": 3}, Rate(1, 3)),  # S3 late too; S4 still without a deadline
    ],
)
@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_sla_share_only_where_a_deadline_exists(
    time_limits: dict, expected: Rate, engine: str, tmp_path: Path
) -> None:
    df = frame([{"source_kind": "311", **row} for row in SLA_ORDERS])
    data = df if engine == "pandas" else to_parquet(df, tmp_path / "orders.parquet")
    definitions = metrics.preset("us311").replace(time_limits=time_limits, as_of=AS_OF)
    rate = metrics.on_time_rate(data, definitions)
    assert (rate.numerator, rate.denominator) == (expected.numerator, expected.denominator)
