"""Shared fixtures: an isolated project folder, a fixed PII key, the shared real data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in its own project root with a known key; nothing touches the repo."""
    home = tmp_path / "project"
    (home / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    for variable in (
        "HOTLINE_RAW_DIR",
        "HOTLINE_PROCESSED_DIR",
        "HOTLINE_REPORTS_DIR",
        "HOTLINE_NOTEBOOKS_DIR",
        "HOTLINE_SAMPLE_DIR",
    ):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture(scope="session")
def sample_county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample county's raw exports and their ingested dataset, built once per test run.

    Tests must treat both folders as read-only: every slow test shares them.
    """
    from hotline import ingest
    from hotline.sample import write_sample

    root = tmp_path_factory.mktemp("sample-county")
    raw, processed = root / "raw", root / "processed"
    write_sample(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
        ingest([raw], out=processed, progress=False)
    return raw, processed


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test saying why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"shared real data not available: {path} (tests look for ../shared beside the repo)"
        )
    return path


@pytest.fixture
def years_2019_2020(tmp_path: Path) -> Path:
    """An ingested dataset of years other than the county report's 2021.

    One closed hotline order on the 10th of each month of 2019 and 2020.
    """
    import datetime as dt

    from exports import dated_hotline_rows, write_csv
    from hotline import ingest

    received = [dt.datetime(year, month, 10, 9) for year in (2019, 2020) for month in range(1, 13)]
    (tmp_path / "raw-2019-2020").mkdir()
    write_csv(tmp_path / "raw-2019-2020" / "工单_2019-2020.csv", dated_hotline_rows(received))
    ingest([tmp_path / "raw-2019-2020"], out=tmp_path / "dataset-2019-2020", progress=False)
    return tmp_path / "dataset-2019-2020"
