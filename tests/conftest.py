"""Shared fixtures: each test's project folder, the sample county, the shared real data.

The suite runs on several processes (``make test``: pytest-xdist, ``--dist loadgroup``), so no
fixture may write to a fixed path or leave state in the process (the run-wide part, the key and
the environment, is the repository's conftest.py): what is built once, the sample county, is
built once per run under a file lock and then read by every worker.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Hypothesis's default 200 ms per example measures the machine, not the code: with a worker on
# every core (and a busy CI runner) an example that takes 20 ms alone can take 300 and fail as
# DeadlineExceeded or Flaky. The tests bound their work with max_examples instead.
settings.register_profile("hotline", deadline=None)
settings.load_profile("hotline")


@pytest.fixture(autouse=True)
def isolated_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs in its own project root; nothing touches the repo.

    The key is the run's fixed one and the user's folder settings are unset (``isolated_session``
    in the repository's conftest.py).
    """
    home = tmp_path / "project"
    (home / "data" / "raw").mkdir(parents=True)
    monkeypatch.setenv("HOTLINE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def sample_county(
    isolated_session: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The sample county's raw exports and their ingested dataset, built once per test run.

    Under xdist the first worker to ask builds it in the run's temp folder (shared by the
    workers, never by two runs) while the others wait on the lock; then all read it.
    Tests must treat both folders as read-only: every slow test of every worker shares them.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return _built_sample_county(tmp_path_factory.mktemp("sample-county"))
    root = tmp_path_factory.getbasetemp().parent / "sample-county"
    built = root.with_name("sample-county.built")
    with FileLock(root.with_name("sample-county.lock")):
        if not built.exists():
            # Built in place (the manifest names the raw files where they are), marked when
            # whole: after a worker that failed half-way, the next one starts again.
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            _built_sample_county(root)
            built.touch()
    return root / "raw", root / "processed"


def _built_sample_county(root: Path) -> tuple[Path, Path]:
    """Write the sample's exports to ``root/raw`` and ingest them into ``root/processed``."""
    from hotline import ingest
    from hotline.sample import write_sample

    raw, processed = root / "raw", root / "processed"
    write_sample(raw)
    ingest([raw], out=processed, progress=False)  # with the run's key (isolated_session)
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
