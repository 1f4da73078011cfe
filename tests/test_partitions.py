"""The dataset on disk: partitions by kind and month, pruning, the old one-file layout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hotline import ingest, load, metrics, outputs
from hotline.dataset import MANIFEST_FILE, ORDERS_FILE, order_files, read_manifest
from hotline.errors import DatasetError
from hotline.partitions import NO_MONTH, PartitionWriter, partition_files

pytestmark = pytest.mark.slow


def _same_rows(left: pd.DataFrame, right: pd.DataFrame) -> None:
    key = ["source_kind", "order_id"]
    pd.testing.assert_frame_equal(
        left.sort_values(key, ignore_index=True), right.sort_values(key, ignore_index=True)
    )


def test_each_file_holds_one_kind_and_month_of_receipt(sample_county: tuple[Path, Path]) -> None:
    dataset = sample_county[1]
    files = order_files(dataset)
    assert files and all(f.name == "part-00000.parquet" for f in files)
    for path in files:
        table = pq.read_table(path)
        kind = path.parent.parent.name.removeprefix("source_kind=")
        month = path.parent.name.removeprefix("month=")
        assert set(table.column("source_kind").cast(pa.string()).to_pylist()) == {kind}
        months = {t.strftime("%Y-%m") for t in table.column("received_at").to_pylist()}
        assert months == {month}
    assert sum(pq.read_metadata(f).num_rows for f in files) == len(load(dataset))


@pytest.mark.parametrize(
    ("kinds", "years"), [(["hotline"], None), (["online"], [2021]), (None, [2021]), (None, [1999])]
)
def test_reading_a_kind_or_a_year_reads_only_its_partitions(
    sample_county: tuple[Path, Path], kinds: list[str] | None, years: list[int] | None
) -> None:
    dataset = sample_county[1]
    whole = load(dataset)
    expected = whole[
        (whole["source_kind"].isin(kinds) if kinds else True)
        & (whole["received_at"].dt.year.isin(years) if years else True)
    ]
    files = order_files(dataset, kinds=kinds, years=years)
    assert len(files) < len(order_files(dataset)) or expected.shape[0] == whole.shape[0]
    _same_rows(load(dataset, kinds=kinds, years=years), expected.reset_index(drop=True))


def _legacy_copy(dataset: Path, target: Path) -> Path:
    """The dataset as hotline wrote it before partitions: one orders.parquet with the manifest."""
    shutil.copytree(dataset, target)
    manifest = read_manifest(dataset)
    table = pa.concat_tables(pq.read_table(f) for f in order_files(dataset))
    metadata = {b"hotline.manifest": json.dumps(manifest, ensure_ascii=False).encode("utf-8")}
    pq.write_table(table.replace_schema_metadata(metadata), target / ORDERS_FILE)
    shutil.rmtree(target / "orders")
    (target / outputs.MARKERS[outputs.DATASET]).unlink()
    return target


def test_a_dataset_of_the_old_layout_reads_the_same_and_is_replaced_by_partitions(
    sample_county: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, dataset = sample_county
    old = _legacy_copy(dataset, tmp_path / "old")
    assert order_files(old) == [old / ORDERS_FILE]
    _same_rows(load(old), load(dataset))
    assert metrics.summary(old, by="source_kind").equals(metrics.summary(dataset, by="source_kind"))
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    ingest([raw], out=old, progress=False)
    assert not (old / ORDERS_FILE).exists() and (old / "orders").is_dir()
    _same_rows(load(old), load(dataset))


def test_a_part_of_another_run_is_refused(sample_county: tuple[Path, Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(sample_county[1], copy)
    manifest = json.loads((copy / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["run_id"] = "f" * 32
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(Exception, match=r"属于另一次导入"):
        load(copy)


def test_orders_without_a_receipt_time_and_an_empty_dataset_have_their_place(
    tmp_path: Path,
) -> None:
    schema = pa.schema([("source_kind", pa.string()), ("received_at", pa.timestamp("us"))])
    with PartitionWriter(tmp_path / "some", schema) as writer:
        writer.write(pa.table({"source_kind": ["hotline"], "received_at": [None]}, schema))
    [only] = partition_files(tmp_path / "some")
    assert only.parent.name == f"month={NO_MONTH}"
    with PartitionWriter(tmp_path / "none", schema):
        pass
    [empty] = partition_files(tmp_path / "none")
    assert pq.read_schema(empty).names == schema.names
    assert pq.read_metadata(empty).num_rows == 0


@pytest.mark.parametrize(
    ("kinds", "years"), [(["热线话务"], None), ("hotline", None), (None, 2021), (None, ["2021"])]
)
def test_a_selection_not_of_codes_or_whole_years_is_refused_in_one_line(
    sample_county: tuple[Path, Path], kinds: object, years: object
) -> None:
    with pytest.raises(DatasetError, match=r"give a list of"):
        load(sample_county[1], kinds=kinds, years=years)  # pyright: ignore[reportArgumentType]


@pytest.mark.parametrize("change", ["copied in", "deleted"])
def test_a_part_copied_in_or_a_month_deleted_is_refused(
    sample_county: tuple[Path, Path], tmp_path: Path, change: str
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(sample_county[1], copy)
    first, second = order_files(copy)[:2]
    if change == "copied in":
        shutil.copy(second, first.parent / "evil.parquet")
    else:
        shutil.rmtree(first.parent)
    with pytest.raises(DatasetError, match=r"分区文件"):
        load(copy)
