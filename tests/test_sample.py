"""The built-in sample reproduces the published county figures through the real pipeline."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from hotline import ingest, load, metrics, rules
from hotline.cli import main
from hotline.sample import PUBLISHED, scaled_counts, write_sample

MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")


@pytest.fixture
def sample_dataset(sample_county: tuple[Path, Path]) -> tuple[Path, Path]:
    return sample_county


@pytest.mark.slow
def test_published_figures_are_reproduced(sample_dataset: tuple[Path, Path]) -> None:
    df = load(sample_dataset[1])
    table = metrics.headline(df)
    for kind, figures in PUBLISHED.items():
        assert table.loc[kind, "accepted"] == figures["accepted"]
        assert table.loc[kind, "closed"] == figures["closed"]
    assert str(table.loc["hotline", "closure_rate"]) == "98.77%(9268/9383)"
    assert str(table.loc["online", "closure_rate"]) == "94.79%(182/192)"
    assert table.loc["total", "closure_rate"].percent() == "98.69%"


@pytest.mark.slow
def test_the_sample_exercises_the_messy_forms(sample_dataset: tuple[Path, Path]) -> None:
    out = sample_dataset[1]
    manifest = load(out).attrs["manifest"]
    assert manifest["totals"]["balanced"]
    assert manifest["totals"]["merged"]["later_snapshot"] > 100
    rules_used = {entry["snapshot_rule"] for entry in manifest["inputs"]}
    assert {"export line", "file name"} <= rules_used
    encodings = {entry["encoding"] for entry in manifest["inputs"]}
    assert "gb18030" in encodings
    df = load(out)
    assert (~rules.accepted(df)).sum() > 0  # invalid, void and duplicate orders are present
    assert df["town"].nunique() == 14
    county = df["department"].dropna().unique()
    assert 20 <= sum(name.startswith("县") for name in county) <= 30  # plus town governments
    assert set(df["satisfaction"].dropna().unique()) >= {
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
    }


@pytest.mark.slow
def test_no_personal_data_reaches_the_outputs(sample_dataset: tuple[Path, Path]) -> None:
    raw, out = sample_dataset
    raw_text = b"".join(p.read_bytes() for p in raw.glob("*.csv")).decode("gbk")
    assert MOBILE.search(raw_text), (
        "the sample must plant phone numbers for this test to mean anything"
    )
    df = load(out)
    # caller_key is a keyed hash: its hex digits may form runs that look like numbers
    text_columns = [c for c in df.columns if df[c].dtype == "str" and c != "caller_key"]
    for column in text_columns:
        values = df[column].dropna()
        assert not values.str.contains(MOBILE).any(), column
        assert not values.str.contains(ID_CARD).any(), column
    for name in ("manifest.json", "ingest_report.md", "rejects.csv"):
        content = (out / name).read_text(encoding="utf-8-sig")
        assert not MOBILE.search(content) and not ID_CARD.search(content), name
    assert df["content"].str.contains(r"\[手机号\]").any()
    assert df["content"].str.contains(r"\[身份证号\]").any()


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = write_sample(tmp_path / "a", orders=60, online=10)
    second = write_sample(tmp_path / "b", orders=60, online=10)
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in first]
    assert digest == [hashlib.sha256(p.read_bytes()).hexdigest() for p in second]
    other = write_sample(tmp_path / "c", orders=60, online=10, seed=7)
    assert digest != [hashlib.sha256(p.read_bytes()).hexdigest() for p in other]


@pytest.mark.parametrize(("orders", "online"), [(60, 10), (500, 40)])
def test_small_samples_scale_the_figures(tmp_path: Path, orders: int, online: int) -> None:
    write_sample(tmp_path / "raw", orders=orders, online=online)
    result = ingest([tmp_path / "raw"], write=False, progress=False)
    df = result.table.to_pandas()
    for kind, size in (("hotline", orders), ("online", online)):
        part = df[df["source_kind"] == kind]
        assert (rules.accepted(part).sum(), rules.closed(part).sum()) == scaled_counts(kind, size)


@pytest.mark.slow
def test_demo_prints_the_headline_and_keeps_out_of_the_users_folders(
    capsys: pytest.CaptureFixture[str], isolated_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(isolated_project)
    user_raw = isolated_project / "data" / "raw"
    legacy = user_raw / "sample-2021"  # what an older demo left where the user's exports go
    legacy.mkdir()
    (legacy / "gongdan_export_20210803.csv").write_bytes(b"")
    before = sorted(user_raw.rglob("*"))
    assert main(["demo", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "受理 9383，办结 9268，办结率 98.77%" in printed
    assert "受理 192，办结 182，办结率 94.79%" in printed
    # The sample lives apart: an ingest of data/raw never reads it, data/processed stays free.
    assert sorted(user_raw.rglob("*")) == before
    assert not (isolated_project / "data" / "processed").exists()
    sample = isolated_project / "data" / "sample"
    assert (sample / "raw" / ".hotline-sample").is_file()
    assert (sample / "processed" / "orders").is_dir()
    assert "hotline metrics data/sample/processed" in printed
    assert "hotline ingest data/raw/" in printed
    assert "data/raw/sample-2021/ 是旧版 make demo 留下的示例数据" in printed
    assert "本数据集是 hotline demo 生成的示例数据（虚构县）" in printed
    assert main(["demo", "--quiet"]) == 0  # second run reuses the raw files, never rewrites them
    assert "示例原始数据已存在" in capsys.readouterr().out


def test_sample_frame_has_canonical_types(tmp_path: Path) -> None:
    write_sample(tmp_path / "raw", orders=60, online=10)
    ingest([tmp_path / "raw"], out=tmp_path / "out", progress=False)
    df = load(tmp_path / "out")
    assert isinstance(df, pd.DataFrame) and df["order_id"].is_unique


@pytest.mark.slow
def test_account_table_adds_up_per_file(sample_dataset: tuple[Path, Path]) -> None:
    from hotline.dataset import account_table, read_manifest, read_rejects

    table = account_table(sample_dataset[1])
    files, total = table.iloc[:-1], table.iloc[-1]
    assert (files["rows_in"] == files["written"] + files["merged"] + files["rejected"]).all()
    totals = read_manifest(sample_dataset[1])["totals"]
    assert total["rows_in"] == totals["rows_in"] and total["written"] == totals["written"]
    assert total["rejected"] == len(read_rejects(sample_dataset[1]))
    assert account_table(load(sample_dataset[1])).equals(table)
