"""The metrics on Apache Spark give DuckDB's figures (and so pandas', test_metrics_engines.py).

The engine-agreement cases of test_metrics_engines.py run here on a Spark frame of the same
dataset. Every test shares one local session (``local[2]``) and one cached frame, in one
xdist worker (``xdist_group("spark")``): a JVM starts once. The session's time zone is set to
New York, unlike this process's, so a time Spark handled as an instant instead of a wall-clock
time would move (and daylight saving would show).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from hotline import load, metrics, schema
from hotline.cli import main
from hotline.dataset import order_files, write_dataset
from hotline.errors import HotlineError
from hotline.ingestion.accounting import REJECTS_SCHEMA
from hotline.metrics import spark as hotline_spark
from hotline.metrics.engine import provenance
from hotline.quality import quality_checks
from hotline.sample import PUBLISHED
from test_calendar_per_profile import DEADLINES, FILES, _dataset, _due, _end_of, _orders
from test_metrics_engines import FLOW, PATTERNS, SUMMARY_CASES, same

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("spark")]

#: The session's zone: daylight saving, and (on this machine and CI) not the process's own.
SESSION_ZONE = "America/New_York"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local SparkSession for the module, or a skip saying what is missing."""
    with hotline_spark.quiet():
        sql = pytest.importorskip("pyspark.sql", reason="pyspark is missing: the spark extra")
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        pytest.skip("Spark needs Java 17+, and none was found (JAVA_HOME, PATH)")
    builder = (
        sql.SparkSession.builder.master("local[2]")
        .appName("hotline-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", SESSION_ZONE)
        # the sample is tiny: re-planning at run time (AQE) and recording each call's Python
        # line for error messages only add to the seconds of planning every figure costs
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.python.sql.dataFrameDebugging.enabled", "false")
    )
    with hotline_spark.quiet():
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def dataset(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


@pytest.fixture(scope="module")
def orders(spark: Any, dataset: Path) -> Any:
    """The sample county on Spark, cached: every test reads it from memory."""
    frame = hotline_spark.spark_orders(dataset, spark).cache()
    frame.count()
    return frame


def _attrs_agree(spark_side: pd.DataFrame, duckdb_side: pd.DataFrame) -> None:
    """The same provenance (sources, language, definitions, as_of…); the engine apart."""
    assert spark_side.attrs.pop("engine", "spark") == "spark"
    duckdb_side.attrs.pop("engine", None)
    assert spark_side.attrs == duckdb_side.attrs


@pytest.mark.parametrize(("by", "freq", "preset"), SUMMARY_CASES)
def test_summaries_agree(orders: Any, dataset: Path, by, freq, preset: str) -> None:
    spark_side = metrics.summary(orders, by=by, freq=freq, definitions=preset)
    duckdb_side = metrics.summary(dataset, by=by, freq=freq, definitions=preset)
    assert spark_side.attrs["engine"] == "spark"
    same(spark_side, duckdb_side)
    _attrs_agree(spark_side, duckdb_side)


def test_flow_and_as_of_agree(orders: Any, dataset: Path) -> None:
    same(
        metrics.summary(orders, freq="month", definitions=FLOW),
        metrics.summary(dataset, freq="month", definitions=FLOW),
    )


def test_handling_times_agree(orders: Any, dataset: Path) -> None:
    same(
        metrics.handling_time(orders, by="source_kind"),
        metrics.handling_time(dataset, by="source_kind"),
    )


@pytest.mark.parametrize("function", PATTERNS)
def test_patterns_agree(orders: Any, dataset: Path, function) -> None:
    left, right = function(orders, year=2021), function(dataset, year=2021)
    same(left, right)
    assert left.attrs == right.attrs


def test_trends_and_rankings_agree(orders: Any, dataset: Path) -> None:
    same(metrics.monthly_trend(orders), metrics.monthly_trend(dataset))
    same(metrics.rank_units(orders, "town"), metrics.rank_units(dataset, "town"))


def test_coverage_and_quality_agree(orders: Any, dataset: Path) -> None:
    same(metrics.coverage(orders, year=2021), metrics.coverage(dataset, year=2021))
    spark_side, duckdb_side = quality_checks(orders), quality_checks(dataset)
    same(spark_side, duckdb_side)
    _attrs_agree(spark_side, duckdb_side)


def test_published_figures(orders: Any) -> None:
    table = metrics.headline(orders)
    for kind, figures in PUBLISHED.items():
        rate = table.loc[kind, "closure_rate"]
        assert (rate.numerator, rate.denominator) == (figures["closed"], figures["accepted"])
    assert str(table.loc["hotline", "closure_rate"]) == "98.77%(9268/9383)"
    assert str(table.loc["online", "closure_rate"]) == "94.79%(182/192)"


def test_a_narrowed_frame_keeps_its_provenance(orders: Any, dataset: Path) -> None:
    """The manifest rides in the schema: a filter and a projection keep it."""
    narrowed = orders.filter(orders.source_kind == "online").select("order_id", "received_at")
    assert hotline_spark.manifest_of(narrowed) == load(dataset).attrs["manifest"]
    as_of, definitions = dt.datetime(2021, 12, 31), metrics.preset("default")
    attrs = provenance(narrowed, definitions, as_of)
    assert attrs == provenance(dataset, definitions, as_of) and attrs["sources"]


def test_a_table_without_manifest_or_some_columns(spark: Any, orders: Any, dataset: Path) -> None:
    """A Hive-like table: canonical names, a few columns absent (repeats then computed)."""
    absent = ["title", "content", "reply", "repeat_gap_hours"]
    orders.drop(*absent).withMetadata("order_id", {}).createOrReplaceTempView("hotline_orders")
    table = spark.table("hotline_orders")
    frame = load(dataset).drop(columns=absent)
    frame.attrs.clear()  # no manifest on either side
    spark_side = metrics.summary(table, by="topic")
    same(spark_side, metrics.summary(frame, by="topic"))
    assert spark_side.attrs["sources"] == []


@pytest.mark.parametrize("kinds_in_files", [False, True])
def test_the_partitioned_layout(
    spark: Any,
    dataset: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kinds_in_files: bool,
) -> None:
    """Orders in Hive-style folders (source_kind=…/month=…), kinds in the paths (and files)."""
    table = pa.concat_tables(pq.read_table(f) for f in order_files(dataset))
    kinds = table["source_kind"].cast(pa.string())
    months = pc.strftime(table["received_at"], format="%Y-%m")
    files = []
    for kind in pc.unique(kinds).to_pylist():
        for month in pc.unique(months).to_pylist():
            part = table.filter(pc.and_(pc.equal(kinds, kind), pc.equal(months, month)))
            if not kinds_in_files:
                part = part.drop_columns(["source_kind"])
            folder = tmp_path / "orders" / f"source_kind={kind}" / f"month={month}"
            folder.mkdir(parents=True)
            pq.write_table(part, folder / "part-0.parquet")
            files.append(folder / "part-0.parquet")
    monkeypatch.setattr(hotline_spark, "order_files", lambda path: files)
    partitioned = hotline_spark.spark_orders(dataset, spark)
    same(
        metrics.summary(partitioned, by="department", freq="month"),
        metrics.summary(dataset, by="department", freq="month"),
    )


@pytest.fixture(scope="module")
def new_york(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """311 requests in New York around both 2023 clock changes, with the zone in the manifest.

    02:30 on 12 March does not exist there (clocks jump from 02:00 to 03:00); 01:30 on
    5 November happens twice.
    """
    times = [
        ("spring", "2023-03-12 01:30", "2023-03-12 03:30"),  # 1 hour elapsed, 2 on the clock
        ("missing-hour", "2023-03-12 02:30", "2023-03-13 02:30"),
        ("fall", "2023-11-05 00:30", "2023-11-05 01:30"),
        ("plain", "2023-06-01 09:00", "2023-06-02 10:00"),
        ("open", "2023-11-20 23:59:59.999999", None),
    ]
    frame = schema.conform(
        pd.DataFrame(
            {
                "order_id": [t[0] for t in times],
                "source_kind": "311",
                "source_file": "nyc.csv",
                "received_at": pd.to_datetime([t[1] for t in times], format="ISO8601"),
                "closed_at": pd.to_datetime([t[2] for t in times], format="ISO8601"),
                "status": ["closed"] * 4 + ["in_progress"],
                "department": "NYPD",
            }
        )
    )
    manifest = {
        "inputs": [{"name": "nyc.csv", "kind": "311", "timezone": "America/New_York"}],
        "language": "en",
        "schema_version": schema.SCHEMA_VERSION,
    }
    orders = pa.Table.from_pandas(frame, preserve_index=False).cast(schema.arrow_schema())
    folder = tmp_path_factory.mktemp("new-york") / "dataset"
    write_dataset(folder, orders, REJECTS_SCHEMA.empty_table(), manifest, "")
    return folder


@pytest.mark.parametrize("which", ["dataset", "new_york"])
def test_times_read_back_as_written(spark: Any, which: str, request: pytest.FixtureRequest) -> None:
    """Wall-clock times stay as written: China's (no daylight saving) and New York's."""
    path = request.getfixturevalue(which)
    columns = ["order_id", "received_at", "closed_at"]
    read = hotline_spark.spark_orders(path, spark).select(*columns).toArrow()
    written = pa.concat_tables(pq.read_table(f, columns=columns) for f in order_files(path))
    assert read.sort_by("order_id").equals(written.sort_by("order_id"))


def test_new_york_durations_and_backlog_agree(spark: Any, new_york: Path) -> None:
    """Elapsed hours across the clock changes, and the age of a backlog as of a time."""
    frame = hotline_spark.spark_orders(new_york, spark)
    hours = metrics.handling_time(frame)
    same(hours, metrics.handling_time(new_york))
    assert hours.attrs["language"] == "en"
    as_of = metrics.preset("us311").replace(as_of=dt.datetime(2023, 11, 21, 0, 0))
    backlog = metrics.backlog(frame, definitions=as_of)
    same(backlog, metrics.backlog(new_york, definitions=as_of))
    assert backlog["median_age_hours"].iloc[0] == pytest.approx(1e-6 / 3600)


def test_each_order_follows_its_own_calendar(spark: Any, tmp_path: Path) -> None:
    """Mixed calendars (cn, us-federal, US-NY, none) join on Spark as on pandas and DuckDB."""
    mixed = _dataset(tmp_path / "mixed", _orders(DEADLINES), FILES)
    due = _due(hotline_spark.spark_orders(mixed, spark))
    assert due == {order: _end_of(day) for order, _, _, _, day in DEADLINES}


def test_the_command_line_engine(
    orders: Any, dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--engine spark`` prints DuckDB's figures; nothing but them on standard error."""
    printed = {}
    for engine in ("duckdb", "spark"):
        argv = ["metrics", str(dataset), "--by", "month", "--format", "json"]
        assert main([*argv, "--engine", engine]) == 0
        captured = capsys.readouterr()
        printed[engine] = json.loads(captured.out)
        assert captured.err == ""
    assert printed["spark"] == printed["duckdb"]


def test_without_pyspark_one_line_says_what_to_install(
    dataset: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import pyspark.sql fails
    assert main(["metrics", str(dataset), "--engine", "spark"]) != 0
    (line,) = capsys.readouterr().err.splitlines()
    assert hotline_spark.INSTALL_HINT in line and "pyspark" in line


def test_without_java_one_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    with hotline_spark.quiet():
        sql = pytest.importorskip("pyspark.sql", reason="pyspark is missing: the spark extra")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sql.SparkSession, "getActiveSession", classmethod(lambda cls: None))
    with pytest.raises(HotlineError, match="no Java found") as raised:
        hotline_spark.build_session()
    assert hotline_spark.INSTALL_HINT in str(raised.value)
    assert "\n" not in str(raised.value)
