"""pandas and DuckDB give the same figures, to the order, on the sample county.

The cases and the comparison are shared: tests/test_engine_spark.py runs them on Spark too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline import load, metrics
from hotline.metrics.portable import iso_weekday, micros_between
from hotline.sample import PUBLISHED

pytestmark = pytest.mark.slow


@pytest.fixture
def dataset(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


def same(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same columns and rows; counts and labels equal, numbers equal to 1e-12."""
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right)
    for column in left.columns:
        a, b = left[column], right[column]
        if a.dtype.kind in "if" and b.dtype.kind in "if":
            np.testing.assert_allclose(
                a.to_numpy(float), b.to_numpy(float), rtol=1e-12, equal_nan=True
            )
        else:
            assert (
                a.astype(object).where(a.notna(), None).tolist()
                == b.astype(object).where(b.notna(), None).tolist()
            ), column


#: Breakdowns every engine must compute alike: (by, freq, preset).
SUMMARY_CASES = [
    (None, None, "default"),
    ("source_kind", None, "default"),
    ("department", "month", "default"),
    ("town", "quarter", "strict"),
    (["type", "channel"], None, "beijing"),
    ("topic", "week", "default"),
    ("source_kind", "day", "default"),
]

#: Figures of the whole year, each one table with its attrs.
PATTERNS = [metrics.duration_distribution, metrics.weekday_hour, metrics.funnel, metrics.backlog]

#: Flows (by close time) as they stood at an earlier time.
FLOW = metrics.preset("default").replace(period="closed", as_of=pd.Timestamp("2021-09-30"))


@pytest.mark.parametrize(("by", "freq", "preset"), SUMMARY_CASES)
def test_summaries_agree(dataset: Path, by, freq, preset: str) -> None:
    pandas_side = metrics.summary(load(dataset), by=by, freq=freq, definitions=preset)
    duckdb_side = metrics.summary(dataset, by=by, freq=freq, definitions=preset)
    assert pandas_side.attrs["engine"] == "pandas" and duckdb_side.attrs["engine"] == "duckdb"
    same(pandas_side, duckdb_side)


def test_flow_and_as_of_agree(dataset: Path) -> None:
    same(
        metrics.summary(load(dataset), freq="month", definitions=FLOW),
        metrics.summary(dataset, freq="month", definitions=FLOW),
    )


def test_handling_times_agree(dataset: Path) -> None:
    same(
        metrics.handling_time(load(dataset), by="source_kind"),
        metrics.handling_time(dataset, by="source_kind"),
    )


@pytest.mark.parametrize("function", PATTERNS)
def test_patterns_agree(dataset: Path, function) -> None:
    left, right = function(load(dataset), year=2021), function(dataset, year=2021)
    same(left, right)
    assert left.attrs == right.attrs


def test_trends_and_rankings_agree(dataset: Path) -> None:
    same(metrics.monthly_trend(load(dataset)), metrics.monthly_trend(dataset))
    same(metrics.rank_units(load(dataset), "town"), metrics.rank_units(dataset, "town"))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_published_figures(dataset: Path, engine: str) -> None:
    data = load(dataset) if engine == "pandas" else dataset
    for kind, figures in PUBLISHED.items():
        rate = metrics.closure_rate(data, source_kind=kind)
        assert (rate.numerator, rate.denominator) == (figures["closed"], figures["accepted"])
    assert str(metrics.closure_rate(data, source_kind="hotline")) == "98.77%(9268/9383)"
    assert str(metrics.closure_rate(data, source_kind="online")) == "94.79%(182/192)"
    assert metrics.closure_rate(data).percent() == "98.69%"


_TIMES = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@settings(max_examples=60, deadline=None)
@given(start=_TIMES, end=_TIMES)
def test_durations_and_weekdays_by_calendar_arithmetic(
    engine: str, start: dt.datetime, end: dt.datetime
) -> None:
    """The engine-neutral arithmetic (hotline.metrics.portable) is Python's, to the µs."""
    import duckdb
    import narwhals as nw

    times = pd.DataFrame({"start": [start], "end": [end]}).astype("datetime64[us]")
    frame = nw.from_native(times if engine == "pandas" else duckdb.from_df(times))
    query = frame.select(
        micros=micros_between(nw.col("start"), nw.col("end")),
        weekday=iso_weekday(nw.col("end")),
    )
    row = (query if engine == "pandas" else query.collect("pandas")).to_native().iloc[0]
    assert row["micros"] == (end - start) // dt.timedelta(microseconds=1)
    assert row["weekday"] == end.isoweekday()
