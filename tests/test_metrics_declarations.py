"""Each figure is declared once: flags, catalogue, labels, figures and docs come from there."""

from __future__ import annotations

from pathlib import Path

import narwhals as nw
import pandas as pd
import pytest

from hotline import metrics, schema
from hotline.claims.vocabulary import MEASURE_WORDS, MEASURES
from hotline.errors import HotlineError
from hotline.metrics import declarations
from hotline.metrics.catalogue import COUNTS, RATES, denominator, numerator
from hotline.metrics.declarations import (
    CATALOGUE,
    Catalogue,
    Flag,
    Rate,
    Variant,
    active,
    flag,
    layers,
    reference_markdown,
    register,
)
from hotline.metrics.display import column_title, for_display

REPO = Path(__file__).resolve().parents[1]

#: A made-up rate, declared here only: closures by phone over accepted orders. One declaration:
#: the numerator is an expression over a flag and a column.
BY_PHONE_RATE = Rate(
    "closed_by_phone_rate",
    "电话办结率",
    "Closed-by-phone rate",
    numerator=flag("closed") & (nw.col("channel") == "phone"),
    denominator="accepted",
    formula="电话渠道办结件数 / 受理件数",
    needs=("closure",),
)
#: The same numerator as a named flag, shown in tables.
BY_PHONE = Flag(
    "closed_by_phone",
    flag("closed") & (nw.col("channel") == "phone"),
    reads=("closed",),
    zh="电话办结",
    en="Closed (phone)",
    needs=("closure",),
    evidence=("closure_known",),
    shown=True,
)

ORDERS = pd.DataFrame(
    {
        "order_id": [str(i) for i in range(8)],
        "source_kind": ["hotline"] * 8,
        "channel": ["phone", "phone", "web", "phone", "wechat", None, "phone", "web"],
        "received_at": pd.to_datetime(["2021-03-01 09:00"] * 8),
        "status": [
            "closed",
            "closed",
            "closed",
            "in_progress",
            "closed",
            "closed",
            "invalid",
            "revisited",
        ],
        "closed_at": pd.to_datetime(["2021-03-02"] * 3 + [None] + ["2021-03-02"] * 4),
    }
)
#: The made-up rate, counted by hand from ORDERS: accepted = all but the invalid one; closed by
#: phone = rows 0 and 1 (row 3 is open, row 6 invalid).
ACCEPTED, CLOSED_BY_PHONE = 7, 2


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "orders.parquet"
    schema.conform(ORDERS).to_parquet(path)
    return path


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_rate_declared_in_a_test_reaches_summary_display_and_docs(
    engine: str, dataset: Path
) -> None:
    data = ORDERS if engine == "pandas" else dataset
    with register(BY_PHONE_RATE):
        table = metrics.summary(data)
        assert table.attrs["engine"] == engine
        row = table.iloc[0]
        assert row["closed_by_phone_rate_numerator"] == CLOSED_BY_PHONE
        assert row["closed_by_phone_rate"] == pytest.approx(CLOSED_BY_PHONE / ACCEPTED)
        assert 0 < row["closed_by_phone_rate_low"] < row["closed_by_phone_rate_high"] < 1
        assert str(metrics.rate("closed_by_phone_rate", data)) == "28.57%(2/7)"
        shown = for_display(table, columns=["accepted", "closed_by_phone_rate"])
        assert list(shown.columns) == ["受理量", "电话办结率"]
        assert shown["电话办结率"].tolist() == ["28.57%"]
        assert column_title("closed_by_phone_rate", "en") == "Closed-by-phone rate"
        assert RATES["closed_by_phone_rate"].formula == "电话渠道办结件数 / 受理件数"
        page = reference_markdown((REPO / "docs" / "metrics.md").read_text(encoding="utf-8"))
        assert "| `closed_by_phone_rate` | 电话办结率 | Closed-by-phone rate |" in page
    # gone once the block ends: nothing else was edited
    assert "closed_by_phone_rate" not in RATES
    assert "closed_by_phone_rate" not in metrics.summary(ORDERS).columns


def test_a_rate_over_a_new_named_flag_shows_the_count_too() -> None:
    rate = Rate(
        "closed_by_phone_rate",
        "电话办结率",
        "Closed-by-phone rate",
        numerator="closed_by_phone",
        denominator="accepted",
        formula="电话渠道办结件数 / 受理件数",
        needs=("closure",),
    )
    with register(BY_PHONE, rate):
        table = metrics.summary(ORDERS)
        assert (table["closed_by_phone"].iloc[0], table["accepted"].iloc[0]) == (
            CLOSED_BY_PHONE,
            ACCEPTED,
        )
        shown = for_display(table, columns=["closed_by_phone", "closed_by_phone_rate"])
        assert list(shown.columns) == ["电话办结", "电话办结率"]
        assert COUNTS["closed_by_phone"] == "电话办结"
        page = reference_markdown((REPO / "docs" / "metrics.md").read_text(encoding="utf-8"))
        assert "| `closed_by_phone` | 电话办结 | Closed (phone) |" in page


def test_the_docs_hold_exactly_the_generated_tables() -> None:
    text = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    for name in declarations.TABLES:
        assert f"<!-- generated: {name} " in text, name
    assert reference_markdown(text) == text, (
        "docs/metrics.md is out of date: rewrite its tables with "
        "hotline.metrics.declarations.reference_markdown()"
    )


def test_flags_are_added_after_what_they_read_in_few_layers() -> None:
    seen: set[str] = set()
    found = layers(CATALOGUE)
    for layer in found:
        for d in layer:
            assert set(d.reads) <= seen, d.key
        seen |= {d.key for d in layer}
    assert seen == {*CATALOGUE.flags, *CATALOGUE.columns}
    # the longest chain of reads: accepted → closed → direct → dispatched → returned
    assert len(found) == 5


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ((Flag("x", flag("nothing"), reads=("nothing",)),), "x reads unknown 'nothing'"),
        ((Flag("a", flag("b"), reads=("b",)), Flag("b", flag("a"), reads=("a",))), "cycle"),
        ((Flag("accepted", nw.lit(True)),), "accepted declared twice"),
        ((Rate("r", "率", "Rate", "nothing", "accepted", "—"),), "unknown count 'nothing'"),
        ((Flag("y", nw.lit(True), needs=("weather",)),), "needs unknown 'weather'"),
    ],
)
def test_a_declaration_naming_what_does_not_exist_is_refused(
    declared: tuple[Flag | Rate, ...], message: str
) -> None:
    with pytest.raises(HotlineError, match=message):
        CATALOGUE.extended(*declared)


def test_variants_follow_the_definitions() -> None:
    beijing, strict = metrics.preset("beijing"), metrics.preset("strict")
    assert (numerator("closure_rate", beijing), denominator("closure_rate", beijing)) == (
        "closed_dispatched",
        "dispatched",
    )
    assert denominator("satisfaction_rate", strict) == "revisit_known"
    assert denominator("dissatisfaction_rate", strict) == "revisit_known"
    assert denominator("satisfaction_rate", beijing) == "evaluated"
    rate = Rate(
        "r",
        "率",
        "Rate",
        "closed",
        "accepted",
        "—",
        variants=(Variant("period", "closed", denominator="closed"),),
    )
    assert rate.denominator_under(metrics.preset("default").replace(period="closed")) == "closed"


def test_satisfaction_codes_come_from_the_schema_and_definitions() -> None:
    scale = set(schema.SATISFACTION.codes) - {"not_evaluated"}
    df = pd.DataFrame(
        {
            "order_id": [str(i) for i in range(len(schema.SATISFACTION.codes))],
            "received_at": pd.to_datetime(["2021-03-01"] * len(schema.SATISFACTION.codes)),
            "status": ["closed"] * len(schema.SATISFACTION.codes),
            "satisfaction": list(schema.SATISFACTION.codes),
        }
    )
    for name in ("default", "strict"):
        d = metrics.preset(name)
        row = metrics.summary(df, definitions=d).iloc[0]
        assert row["evaluated"] == len(scale)
        assert row["satisfied"] == len(d.satisfied) and row["dissatisfied"] == len(d.dissatisfied)


def test_claims_words_and_names_come_from_the_declarations() -> None:
    for key, r in CATALOGUE.rates.items():
        assert MEASURES[key].zh == r.zh and MEASURES[key].kind == "rate"
        assert r.words and all(MEASURE_WORDS[w] == key for w in r.words), key
    for key, f in CATALOGUE.flags.items():
        if f.words:
            assert MEASURES[key].kind == "count"
            assert all(MEASURE_WORDS[w] == key for w in f.words), key
    assert MEASURES["closed"].as_rate == "closure_rate"
    assert MEASURES["accepted"].as_rate is None


def test_the_catalogue_in_force_is_restored_after_an_error() -> None:
    def fail_inside() -> None:
        with register(BY_PHONE):
            assert "closed_by_phone" in active().flags
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_inside()
    assert active() is CATALOGUE


def test_an_unknown_rate_names_the_declared_ones() -> None:
    with pytest.raises(HotlineError, match=r"unknown rate 'closure'.*closure_rate"):
        metrics.rate("closure", ORDERS)


def test_a_catalogue_can_be_built_from_scratch() -> None:
    accepted = Flag("accepted", nw.lit(True), zh="受理量", en="Accepted", shown=True)
    tiny = Catalogue((accepted,))
    assert tiny.count_flags == ("accepted",) and tiny.title("accepted", "en") == "Accepted"
