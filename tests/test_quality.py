"""Data-quality checks: each count follows from how the orders are built, on both engines."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import ingest, load, metrics, read_export, rules, schema
from hotline.errors import HotlineError
from hotline.quality import CHECKS, LINEAGE, quality_checks, quality_examples
from orders import frame, to_parquet

T0 = dt.datetime(2021, 3, 1, 9, 0)
AS_OF = dt.datetime(2021, 12, 31, 23, 59)
DEFINITIONS = metrics.preset("default").replace(as_of=AS_OF)
UNIT = "县住建局"
ORDER_CHECKS = [c.name for c in CHECKS if c.name != "unparseable"]


def order(order_id: str = "A1", **fields: Any) -> dict[str, Any]:
    """A hotline order dispatched to a unit and closed two days later; ``fields`` override."""
    row = {
        "order_id": order_id,
        "source_kind": "hotline",
        "received_at": T0,
        "dispatched_at": T0 + dt.timedelta(hours=1),
        "closed_at": T0 + dt.timedelta(days=2),
        "department": UNIT,
        "status": "closed",
    }
    return row | fields


def run(rows: list[dict[str, Any]], **options: Any) -> pd.DataFrame:
    options.setdefault("definitions", DEFINITIONS)
    return quality_checks(frame(rows), **options).set_index("check")


def counted(rows: list[dict[str, Any]], check: str, **options: Any) -> tuple[int, int]:
    row = run(rows, **options).loc[check]
    return int(row["count"]), int(row["base"])


# ---------------------------------------------------------------- closed_without_time

ONLINE = {"source_kind": "online", "dispatched_at": None}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"closed_at": None}, (1, 1), id="closed-no-time"),
        pytest.param({}, (0, 1), id="closed-with-time"),
        pytest.param({"status": "revisited", "closed_at": None}, (1, 1), id="revisited-no-time"),
        pytest.param(
            {"status": "answered_directly", "department": None, "closed_at": None},
            (1, 1),
            id="direct-answer-no-time",
        ),
        pytest.param(
            {"closed_at": None, "replied_at": T0 + dt.timedelta(hours=3)},
            (1, 1),
            id="hotline-reply-does-not-stand-in",
        ),
        pytest.param(
            ONLINE | {"status": "replied", "closed_at": None, "replied_at": T0},
            (0, 1),
            id="online-reply-stands-in",
        ),
        pytest.param(
            ONLINE | {"status": "replied", "closed_at": None}, (1, 1), id="online-no-times"
        ),
        pytest.param({"status": "in_progress", "closed_at": None}, (0, 0), id="open-order"),
        pytest.param({"status": "invalid", "closed_at": None}, (0, 0), id="invalid-order"),
        pytest.param({"status": "duplicate", "closed_at": None}, (0, 0), id="duplicate-order"),
    ],
)
def test_closed_without_time(fields: dict, expected: tuple[int, int]) -> None:
    assert counted([order(**fields)], "closed_without_time") == expected


# ---------------------------------------------------------------- closed_before_received

SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"closed_at": T0 - dt.timedelta(hours=1)}, (1, 1), id="hour-before"),
        pytest.param({"closed_at": T0 - SECOND}, (1, 1), id="second-before"),
        pytest.param({"closed_at": T0}, (0, 1), id="same-moment"),
        pytest.param({"closed_at": T0 + SECOND}, (0, 1), id="second-after"),
        pytest.param({"closed_at": None}, (0, 0), id="no-close-time"),
        pytest.param({"status": "in_progress", "closed_at": T0 - SECOND}, (0, 0), id="open-order"),
        pytest.param(
            ONLINE | {"status": "replied", "closed_at": None, "replied_at": T0 - SECOND},
            (1, 1),
            id="online-reply-before",
        ),
        pytest.param(
            ONLINE | {"closed_at": T0 + SECOND, "replied_at": T0 - SECOND},
            (0, 1),
            id="online-close-time-wins",
        ),
        pytest.param(
            {"closed_at": T0 + SECOND, "replied_at": T0 - SECOND},
            (0, 1),
            id="hotline-reply-ignored",
        ),
    ],
)
def test_closed_before_received(fields: dict, expected: tuple[int, int]) -> None:
    assert counted([order(**fields)], "closed_before_received") == expected


# ---------------------------------------------------------------- zero_duration


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"closed_at": T0}, (1, 1), id="dispatched-closed-at-receipt"),
        pytest.param({"closed_at": T0 + SECOND}, (0, 1), id="one-second"),
        pytest.param({"closed_at": T0 - SECOND}, (0, 1), id="negative-is-not-zero"),
        pytest.param(
            {
                "status": "answered_directly",
                "department": None,
                "dispatched_at": None,
                "closed_at": T0,
            },
            (0, 0),
            id="direct-answer",
        ),
        pytest.param(
            ONLINE | {"status": "replied", "closed_at": None, "replied_at": T0},
            (1, 1),
            id="online-replied-at-receipt",
        ),
        pytest.param({"closed_at": None}, (0, 0), id="no-close-time"),
    ],
)
def test_zero_duration(fields: dict, expected: tuple[int, int]) -> None:
    assert counted([order(**fields)], "zero_duration") == expected


def test_never_dispatched_in_an_export_with_units_counts_as_direct() -> None:
    # the export names handling units (the other order has one): a blank unit means the
    # call-taker answered, and an answer at receipt is what a direct answer looks like
    rows = [order("A1", department=None, dispatched_at=None, closed_at=T0), order("A2")]
    assert counted(rows, "zero_duration") == (0, 1)


# ---------------------------------------------------------------- burst_closure

SLOT_START = dt.datetime(2021, 3, 1, 14, 0)


def batch(
    n: int,
    prefix: str = "B",
    *,
    closed_at: dt.datetime = SLOT_START + dt.timedelta(minutes=5),
    minutes: float = 5,
    **fields: Any,
) -> list[dict[str, Any]]:
    """``n`` orders of one unit, each closed ``minutes`` after it was received."""
    received = closed_at - dt.timedelta(minutes=minutes)
    return [
        order(f"{prefix}{i}", received_at=received, dispatched_at=received, closed_at=closed_at)
        | fields
        for i in range(n)
    ]


BURST = 3


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(batch(BURST), BURST, id="one-batch"),
        pytest.param(batch(BURST - 1), 0, id="one-short"),
        pytest.param(batch(BURST + 2), BURST + 2, id="larger-batch"),
        pytest.param(batch(BURST, minutes=10), BURST, id="exactly-at-threshold"),
        pytest.param(batch(BURST, minutes=10 + 1 / 60), 0, id="one-second-slower"),
        pytest.param(batch(BURST, minutes=0), BURST, id="zero-durations-in-batch"),
        pytest.param(batch(BURST, minutes=-1), 0, id="negative-durations"),
        pytest.param(
            batch(BURST - 1, "X", department="县水务局") + batch(1, "Y"),
            0,
            id="departments-not-merged",
        ),
        pytest.param(
            batch(BURST - 1, "X", closed_at=SLOT_START - SECOND)
            + batch(1, "Y", closed_at=SLOT_START),
            0,
            id="slots-not-merged",
        ),
        pytest.param(
            batch(BURST - 1, "X", closed_at=SLOT_START)
            + batch(1, "Y", closed_at=SLOT_START + dt.timedelta(minutes=10) - SECOND),
            BURST,
            id="first-and-last-second-of-a-slot",
        ),
        pytest.param(
            batch(BURST) + batch(2, "S", minutes=60), BURST, id="slow-closures-in-slot-not-counted"
        ),
        pytest.param(
            batch(BURST - 1) + batch(1, "S", minutes=60), 0, id="slow-closures-do-not-complete"
        ),
        pytest.param(batch(BURST, department=None, dispatched_at=T0), 0, id="no-department"),
        pytest.param(batch(BURST, status="answered_directly"), 0, id="direct-answers"),
        pytest.param(batch(BURST, status="in_progress"), 0, id="not-closed"),
        pytest.param(
            [
                r | ONLINE | {"status": "replied", "closed_at": None, "replied_at": r["closed_at"]}
                for r in batch(BURST)
            ],
            BURST,
            id="online-replies-stand-in",
        ),
    ],
)
def test_burst_closure(rows: list[dict], expected: int) -> None:
    count, base = counted(rows, "burst_closure", burst_size=BURST)
    # the base: closed orders with a close time that went to a unit (not answered directly)
    closed_dispatched = sum(
        r["status"] in ("closed", "replied")
        and (r["department"] is not None or r["dispatched_at"] is not None)
        for r in rows
    )
    assert (count, base) == (expected, closed_dispatched)


def test_burst_size_and_minutes_are_parameters() -> None:
    rows = batch(20, minutes=15)
    assert counted(rows, "burst_closure")[0] == 0  # 15 minutes is not fast by default
    assert counted(rows, "burst_closure", fast_close_minutes=15)[0] == 20
    assert counted(rows, "burst_closure", fast_close_minutes=15, burst_size=21)[0] == 0
    assert counted(batch(19), "burst_closure")[0] == 0  # the default batch is 20


def test_batches_are_found_before_filtering() -> None:
    rows = batch(2, "N", town="城关街道") + batch(1, "S", town="河东镇")
    assert counted(rows, "burst_closure", burst_size=3, town="河东镇") == (1, 1)


def test_as_of_decides_what_is_closed() -> None:
    rows = [order("A1", closed_at=T0 - SECOND), order("A2", closed_at=None)]
    early = DEFINITIONS.replace(as_of=T0 - dt.timedelta(hours=1))  # A1, A2 not received yet
    assert run(rows, definitions=early)["base"].sum() == 0
    closed_later = [order("A1", closed_at=T0 + dt.timedelta(days=30))]
    at_t0 = DEFINITIONS.replace(as_of=T0 + dt.timedelta(days=1))
    assert counted(closed_later, "closed_before_received", definitions=at_t0) == (0, 0)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, 2),
        ({"source_kind": "hotline"}, 1),
        ({"kind": "online"}, 1),
        ({"month": "2021-03"}, 2),
        ({"month": "2021-04"}, 0),
        ({"order_id": ["A1", "A9"]}, 1),
    ],
)
def test_filters_choose_the_orders(filters: dict, expected: int) -> None:
    rows = [
        order("A1", closed_at=None),
        order("A2", **ONLINE | {"status": "replied", "closed_at": None}),
    ]
    assert counted(rows, "closed_without_time", **filters)[0] == expected


# ---------------------------------------------------------------- unparseable


def manifest(*inputs: dict[str, Any]) -> dict[str, Any]:
    return {"inputs": list(inputs)}


def export(name: str, rows_in: int, unparseable: dict, rejected: dict | None = None) -> dict:
    """A file's account as the ingest writes it into the manifest."""
    # three parsed columns (a time, a date-or-workdays, a code) and one free text
    columns = {
        "received_at": "受理时间",
        "due_at": "办理时限",
        "status": "办理状态",
        "content": "诉求内容",
    }
    found = {
        header: {
            "count": n,
            "expected": "日期时间",
            "examples": [[2 + i, "待定"] for i in range(n)],
        }
        for header, n in unparseable.items()
    }
    return {
        "name": name,
        "rows_in": rows_in,
        "rejected": rejected or {},
        "columns": columns,
        "unparseable": found,
    }


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        pytest.param(
            [export("a.csv", 10, {"办理时限": 2, "办理状态": 1}, {"footer": 1})],
            (3, 9 * 3, ["due_at: 2", "status: 1"]),
            id="one-file-rejects-not-parsed",
        ),
        pytest.param(
            [export("a.csv", 4, {"办理时限": 1}), export("b.csv", 6, {"办理时限": 2})],
            (3, 10 * 3, ["due_at: 3"]),
            id="columns-summed-over-files",
        ),
        pytest.param([export("a.csv", 5, {})], (0, 15, []), id="clean-file"),
        pytest.param([], (0, 0, []), id="no-inputs"),
    ],
)
def test_unparseable_from_the_manifest(inputs: list, expected: tuple) -> None:
    df = frame([order()])
    df.attrs["manifest"] = manifest(*inputs)
    row = quality_checks(df, DEFINITIONS).set_index("check").loc["unparseable"]
    assert (row["count"], row["base"], row["examples"]) == expected
    assert "{" not in row["rule"] and "不受筛选条件" in row["rule"]


def test_unparseable_without_a_manifest_is_zero_and_says_why() -> None:
    row = run([order()]).loc["unparseable"]
    assert (row["count"], row["base"], row["examples"]) == (0, 0, [])
    assert np.isnan(row["share"])
    assert "没有导入记录" in row["rule"]


def test_unparseable_ignores_filters() -> None:
    df = frame([order()])
    df.attrs["manifest"] = manifest(export("a.csv", 3, {"办理时限": 1}))
    table = quality_checks(df, DEFINITIONS, town="无此乡镇").set_index("check")
    assert table.loc["unparseable", "count"] == 1
    assert table.loc["closed_without_time", "base"] == 0  # while the orders are filtered out


def test_unparseable_examples_come_from_the_manifest() -> None:
    df = frame([order()])
    df.attrs["manifest"] = manifest(export("a.csv", 10, {"办理时限": 2, "办理状态": 1}))
    table = quality_examples(df, "unparseable")
    assert table[["source_file", "source_row", "column", "value"]].values.tolist() == [
        ["a.csv", 2, "due_at", "待定"],
        ["a.csv", 3, "due_at", "待定"],
        ["a.csv", 2, "status", "待定"],
    ]
    assert len(quality_examples(df, "unparseable", limit=1)) == 1
    assert quality_examples(frame([order()]), "unparseable").empty


CSV = (
    "工单编号,受理时间,派单时间,办结时间,办理状态,承办单位,诉求内容,来电号码\n"
    "A1,2021/3/5 9:32,2021/3/5 9:40,待定,已办结,县住建局,电话13812345678,13812345678\n"
    "A2,2021/3/5 9:33,2021/3/5 9:40,2021/3/5 9:33,已办结,县住建局,楼道灯坏了,13900001111\n"
    "A3,2021/3/5 9:34,2021/3/5 9:40,2021/3/4 9:34,已办结,县住建局,路灯不亮,13900002222\n"
)


@pytest.fixture
def ingested(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "工单.csv").write_text(CSV, encoding="utf-8")
    ingest([raw], out=tmp_path / "processed", progress=False)
    return tmp_path / "processed"


def test_a_real_ingest_on_both_engines(ingested: Path) -> None:
    on_pandas = quality_checks(load(ingested), DEFINITIONS).set_index("check")
    on_duckdb = quality_checks(ingested, DEFINITIONS).set_index("check")
    same(on_pandas, on_duckdb)
    # the unreadable close time of A1 is counted once as unparseable, once as a closed order
    # without a close time
    assert on_pandas.loc["unparseable", "examples"] == ["closed_at: 1"]
    assert on_pandas.loc["closed_without_time", "examples"] == ["A1"]
    assert on_pandas.loc["zero_duration", "examples"] == ["A2"]
    assert on_pandas.loc["closed_before_received", "examples"] == ["A3"]
    assert on_pandas.attrs["sources"] == ["工单.csv"]
    shown = quality_examples(ingested, "unparseable")
    assert shown[["source_row", "column", "value"]].values.tolist() == [[2, "closed_at", "待定"]]


def test_one_export_read_directly_counts_its_unparseable_cells(tmp_path: Path) -> None:
    path = tmp_path / "工单.csv"
    path.write_text(CSV, encoding="utf-8")
    row = quality_checks(read_export(path), DEFINITIONS).set_index("check").loc["unparseable"]
    assert (row["count"], row["examples"]) == (1, ["closed_at: 1"])


def test_examples_never_show_text_or_callers(ingested: Path) -> None:
    for check in ORDER_CHECKS:
        table = quality_examples(ingested, check)
        assert list(table.columns) == list(LINEAGE)
        assert "13812345678" not in table.to_csv()


# ---------------------------------------------------------------- table, attrs, errors


def test_the_checks_table() -> None:
    assert len({c.name for c in CHECKS}) == len(CHECKS) == 5
    for check in CHECKS:
        rule = check.describe(fast_close_minutes=7, burst_size=33)
        assert "{" not in rule and "基数" in rule
        assert any("\u4e00" <= ch <= "\u9fff" for ch in check.label + rule)
    assert "7 分钟" in CHECKS[3].describe(7, 33) and "33 件" in CHECKS[3].describe(7, 33)
    # the rule names the closed family the counting rules define
    for code in rules.ONLINE_CLOSED_STATUSES:
        assert schema.label("status", code) in CHECKS[0].rule


def test_result_shape_and_attrs() -> None:
    table = quality_checks(frame([order(closed_at=None)]), DEFINITIONS, burst_size=5)
    assert list(table.columns) == ["check", "label", "rule", "count", "base", "share", "examples"]
    assert table["check"].tolist() == [c.name for c in CHECKS]
    assert table["count"].dtype == np.int64 and table["base"].dtype == np.int64
    assert "不少于 5 件" in table.set_index("check").loc["burst_closure", "rule"]
    assert table.attrs["as_of"] == AS_OF.isoformat(sep=" ")
    assert table.attrs["definitions"] == DEFINITIONS.describe()
    assert table.attrs["sources"] == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda df: quality_checks(df, fast_close_minutes=-1), "fast_close_minutes"),
        (lambda df: quality_checks(df, burst_size=1), "burst_size"),
        (lambda df: quality_checks(df, colour="red"), "colour"),
        (lambda df: quality_examples(df, "no_such_check"), "no_such_check"),
        (lambda df: quality_examples(df, "burst_closure", burst_size=0), "burst_size"),
    ],
)
def test_bad_arguments_are_refused(call, message: str) -> None:
    with pytest.raises(HotlineError, match=message):
        call(frame([order()]))


def test_examples_are_the_first_rows_of_quality_examples() -> None:
    rows = [order(f"A{i}", closed_at=T0 - dt.timedelta(minutes=i)) for i in range(1, 6)]
    earliest_first = [r["order_id"] for r in sorted(rows, key=lambda r: r["closed_at"])]
    table = run(rows)
    shown = quality_examples(frame(rows), "closed_before_received", definitions=DEFINITIONS)
    assert shown["order_id"].tolist() == earliest_first
    assert table.loc["closed_before_received", "examples"] == earliest_first[:3]
    limited = quality_examples(frame(rows), "closed_before_received", limit=2)
    assert limited["order_id"].tolist() == earliest_first[:2]


# ---------------------------------------------------------------- engines and invariants


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    left, right = left.copy(), right.copy()
    left.attrs, right.attrs = {}, {}
    pd.testing.assert_frame_equal(left, right)


STATUSES = [
    "closed",
    "closed",
    "revisited",
    "answered_directly",
    "replied",
    "in_progress",
    "invalid",
]


@st.composite
def quick_closures(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Orders received over one afternoon and closed minutes later, some in batches."""
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=30))):
        received = SLOT_START + dt.timedelta(seconds=draw(st.integers(0, 3 * 3600)))
        seconds = draw(st.one_of(st.integers(-120, 1800), st.just(0)))
        closed = received + dt.timedelta(seconds=seconds)
        kind = draw(st.sampled_from(["hotline", "hotline", "online"]))
        rows.append(
            {
                "order_id": f"Q{index:02d}",
                "source_kind": kind,
                "received_at": received,
                "dispatched_at": draw(st.sampled_from([received, None])),
                "closed_at": draw(st.sampled_from([closed, closed, None])),
                "replied_at": draw(st.sampled_from([closed, None])),
                "department": draw(st.sampled_from([UNIT, UNIT, "县水务局", None])),
                "town": draw(st.sampled_from(["城关街道", "河东镇"])),
                "status": draw(st.sampled_from(STATUSES)),
            }
        )
    return rows


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quick_closures(),
    st.integers(2, 4),
    st.sampled_from([{}, {"town": "河东镇"}]),
    st.sampled_from(ORDER_CHECKS),
)
def test_invariants_and_engines(
    rows: list[dict], burst_size: int, filters: dict, check: str
) -> None:
    df = frame(rows)
    options = {"burst_size": burst_size, **filters}
    table = quality_checks(df, DEFINITIONS, **options)
    assert (table["count"] <= table["base"]).all()
    nonempty = table["base"] > 0
    np.testing.assert_allclose(
        table.loc[nonempty, "share"], table.loc[nonempty, "count"] / table.loc[nonempty, "base"]
    )
    assert table.loc[~nonempty, "share"].isna().all()
    by_check = table.set_index("check")
    if not filters:  # every batch has burst_size members or more
        assert by_check.loc["burst_closure", "count"] in (0, *range(burst_size, len(rows) + 1))
    with tempfile.TemporaryDirectory() as folder:
        path = to_parquet(df, Path(folder) / "orders.parquet")
        same(table, quality_checks(path, DEFINITIONS, **options))
        shown = quality_examples(df, check, definitions=DEFINITIONS, **options)
        assert len(shown) == min(20, by_check.loc[check, "count"])
        assert shown["order_id"].tolist()[:3] == by_check.loc[check, "examples"]
        same(shown, quality_examples(path, check, definitions=DEFINITIONS, **options))


# ---------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def sample(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


@pytest.mark.slow
@pytest.mark.parametrize("filters", [{}, {"source_kind": "hotline"}, {"month": "2021-06"}])
def test_sample_engines_agree(sample: Path, filters: dict) -> None:
    on_pandas = quality_checks(load(sample), **filters)
    same(on_pandas, quality_checks(sample, **filters))
    manifest = load(sample).attrs["manifest"]
    reported = sum(i["count"] for f in manifest["inputs"] for i in f["unparseable"].values())
    assert on_pandas.set_index("check").loc["unparseable", "count"] == reported


@pytest.mark.slow
def test_sample_with_planted_faults(sample: Path, tmp_path: Path) -> None:
    df = load(sample)
    df.attrs.clear()
    before = quality_checks(df).set_index("check")["count"]
    plain = df.index[
        (df["status"] == "closed") & df["department"].notna() & (df["source_kind"] == "hotline")
    ]
    burst, zero, negative, untimed = plain[:25], plain[100:104], plain[200:202], plain[300:303]
    df.loc[burst, "department"] = df.loc[burst[0], "department"]
    df.loc[burst, "received_at"] = pd.Timestamp("2021-05-10 14:00")
    df.loc[burst, "closed_at"] = pd.Timestamp("2021-05-10 14:05")
    df.loc[zero, "closed_at"] = df.loc[zero, "received_at"]
    df.loc[negative, "closed_at"] = df.loc[negative, "received_at"] - pd.Timedelta(hours=2)
    df.loc[untimed, "closed_at"] = pd.NaT
    after = quality_checks(df)
    counts = after.set_index("check")["count"]
    planted = {
        "burst_closure": len(burst),
        "zero_duration": len(zero),
        "closed_before_received": len(negative),
        "closed_without_time": len(untimed),
    }
    for check, n in planted.items():
        assert counts[check] == before[check] + n, check
    same(after, quality_checks(to_parquet(df, tmp_path / "orders.parquet")))
    shown = quality_examples(df, "burst_closure", limit=100)
    assert set(shown["order_id"]) >= set(df.loc[burst, "order_id"])
