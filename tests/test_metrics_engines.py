"""pandas and DuckDB give the same figures, to the order, on the sample county."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotline import load, metrics
from hotline.sample import PUBLISHED

pytestmark = pytest.mark.slow


@pytest.fixture
def dataset(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


def _same(left: pd.DataFrame, right: pd.DataFrame) -> None:
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


@pytest.mark.parametrize(
    ("by", "freq", "preset"),
    [
        (None, None, "default"),
        ("source_kind", None, "default"),
        ("department", "month", "default"),
        ("town", "quarter", "strict"),
        (["type", "channel"], None, "beijing"),
        ("topic", "week", "default"),
        ("source_kind", "day", "default"),
    ],
)
def test_summaries_agree(dataset: Path, by, freq, preset: str) -> None:
    pandas_side = metrics.summary(load(dataset), by=by, freq=freq, definitions=preset)
    duckdb_side = metrics.summary(dataset, by=by, freq=freq, definitions=preset)
    assert pandas_side.attrs["engine"] == "pandas" and duckdb_side.attrs["engine"] == "duckdb"
    _same(pandas_side, duckdb_side)


def test_flow_and_as_of_agree(dataset: Path) -> None:
    definitions = metrics.preset("default").replace(
        period="closed", as_of=pd.Timestamp("2021-09-30")
    )
    _same(
        metrics.summary(load(dataset), freq="month", definitions=definitions),
        metrics.summary(dataset, freq="month", definitions=definitions),
    )


def test_handling_times_agree(dataset: Path) -> None:
    _same(
        metrics.handling_time(load(dataset), by="source_kind"),
        metrics.handling_time(dataset, by="source_kind"),
    )


@pytest.mark.parametrize(
    "function",
    [metrics.duration_distribution, metrics.weekday_hour, metrics.funnel, metrics.backlog],
)
def test_patterns_agree(dataset: Path, function) -> None:
    left, right = function(load(dataset), year=2021), function(dataset, year=2021)
    _same(left, right)
    assert left.attrs == right.attrs


def test_trends_and_rankings_agree(dataset: Path) -> None:
    _same(metrics.monthly_trend(load(dataset)), metrics.monthly_trend(dataset))
    _same(metrics.rank_units(load(dataset), "town"), metrics.rank_units(dataset, "town"))


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_published_figures(dataset: Path, engine: str) -> None:
    data = load(dataset) if engine == "pandas" else dataset
    for kind, figures in PUBLISHED.items():
        rate = metrics.closure_rate(data, source_kind=kind)
        assert (rate.numerator, rate.denominator) == (figures["closed"], figures["accepted"])
    assert str(metrics.closure_rate(data, source_kind="hotline")) == "98.77%(9268/9383)"
    assert str(metrics.closure_rate(data, source_kind="online")) == "94.79%(182/192)"
    assert metrics.closure_rate(data).percent() == "98.69%"
