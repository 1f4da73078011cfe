"""Re-ingesting after a new month converts only the new file, and gives a full rebuild's dataset.

The cache (:mod:`hotline.ingestion.cache`) keeps the exports an ingest staged on disk; these
tests run every ingest with a memory limit small enough to stage, so that the cache is used on
county-sized files, and compare each incremental result with a rebuild from nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hotline import ingest
from hotline.ingestion import pipeline
from hotline.ingestion.spill import BYTES_PER_ROW
from hotline.outputs import CACHE_DIR
from test_ingest_spill import _assert_same_dataset, _snapshots

pytestmark = pytest.mark.slow

LIMIT = 40 * BYTES_PER_ROW  # 40 rows per merge range, 60 held: every export below is staged


@pytest.fixture
def months(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    return _snapshots(tmp_path / "made", seed=7, months=4, per_month=50, overlap=0.3)


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files each ingest really converts (not taken from the cache)."""
    names: list[str] = []
    real = pipeline.convert_file

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        names.append(path.name)
        return real(path, *args, **kwargs)  # pyright: ignore[reportArgumentType]

    monkeypatch.setattr(pipeline, "convert_file", counting)
    return names


def _rebuilt(raw: Path, tmp: Path) -> Path:
    out = tmp / "rebuilt"
    shutil.rmtree(out, ignore_errors=True)
    ingest([raw], out=out, progress=False, memory_limit=LIMIT, rebuild=True)
    return out


def test_a_new_month_converts_only_the_new_file(
    months: list[Path], converted: list[str], tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "dataset"
    raw.mkdir()
    for month in months[:3]:
        shutil.copy(month, raw)
    ingest([raw], out=out, progress=False, memory_limit=LIMIT)
    assert sorted(converted) == sorted(m.name for m in months[:3])
    assert (out / CACHE_DIR).is_dir()
    converted.clear()
    shutil.copy(months[3], raw)
    result = ingest([raw], out=out, progress=False, memory_limit=LIMIT)
    assert converted == [months[3].name]
    assert [r.name for r in result.reports] == sorted(m.name for m in months)  # every file
    # the manifest and the account say how the run was made
    assert result.manifest["run"]["streamed"] is True
    assert result.manifest["run"]["from_cache"] == sorted(m.name for m in months[:3])
    assert "3 个文件取自上次导入的缓存" in result.account()
    converted.clear()
    _assert_same_dataset(_rebuilt(raw, tmp_path), out)
    assert sorted(converted) == sorted(m.name for m in months)  # --rebuild converts all


def test_a_changed_or_removed_file_is_converted_again_or_forgotten(
    months: list[Path], converted: list[str], tmp_path: Path
) -> None:
    raw, out = tmp_path / "raw", tmp_path / "dataset"
    raw.mkdir()
    for month in months:
        shutil.copy(month, raw)
    ingest([raw], out=out, progress=False, memory_limit=LIMIT)
    entries = {p.name for p in (out / CACHE_DIR).iterdir() if p.is_dir()}
    assert len(entries) == len(months)
    changed = raw / months[1].name
    changed.write_bytes(
        changed.read_bytes().replace("办理中".encode("gb18030"), "已办结".encode("gb18030"))
    )
    (raw / months[2].name).unlink()
    converted.clear()
    ingest([raw], out=out, progress=False, memory_limit=LIMIT)
    assert converted == [months[1].name]
    now = {p.name for p in (out / CACHE_DIR).iterdir() if p.is_dir()}
    assert len(now) == len(months) - 1 and len(now - entries) == 1
    _assert_same_dataset(_rebuilt(raw, tmp_path), out)


def test_a_tampered_entry_is_not_trusted(
    months: list[Path], converted: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    ingest(months, out=out, progress=False, memory_limit=LIMIT)
    for meta in (out / CACHE_DIR).glob("*/meta.pickle"):
        meta.write_bytes(meta.read_bytes() + b"\x00")
    converted.clear()
    ingest(months, out=out, progress=False, memory_limit=LIMIT)
    assert sorted(converted) == sorted(m.name for m in months)


def test_the_cache_holds_no_phone_number_or_caller_name(tmp_path: Path, months: list[Path]) -> None:
    out = tmp_path / "dataset"
    ingest(months, out=out, progress=False, memory_limit=LIMIT)
    phones = {
        line.split(",")[2] for m in months for line in m.read_text("gb18030").splitlines()[1:]
    }
    assert phones
    kept = b"".join(p.read_bytes() for p in (out / CACHE_DIR).rglob("*") if p.is_file())
    for phone in phones:
        assert phone.encode() not in kept


def test_an_ingest_of_fewer_files_says_which_of_the_last_are_left_out(
    months: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "dataset"
    ingest(months, out=out, progress=False)
    result = ingest(months[-1:], out=out, progress=False)
    left = [m.name for m in months[:-1]]
    assert result.manifest["left_out"] == {"files": len(left), "names": left}
    assert f"上次导入本数据集的 {len(left)} 个文件本次没有提供" in result.account()
    assert "left_out" not in ingest(months, out=out, progress=False).manifest
