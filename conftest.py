"""What every test and doctest shares: a run apart from this repository and the user's data.

pytest collects ``tests/`` and the doctests of ``src/hotline`` (``testpaths``), and ``make
test`` runs them on several processes (pytest-xdist), each in an order of its own. So nothing
may depend on what ran before in the same process, and nothing may reach the repository's or
the user's ``data/``: a module fixture or a doctest that ingests without a key would make
``data/.pii_key`` in the project found from the current folder (this repository), and two
workers making it at once fail one of them. ``tests/conftest.py`` adds each test's own project.

Both files are modules named ``conftest``; pytest loads this one first, so ``from conftest
import shared_path`` in a test module still gets ``tests/conftest.py``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: The caller-key secret of every run: fixed, so no test or doctest makes a key file.
PII_KEY = "test-key-not-secret-0123456789"

#: Variables that would point a run at the user's folders, profiles or injected faults.
USER_SETTINGS = (
    "HOTLINE_RAW_DIR",
    "HOTLINE_PROCESSED_DIR",
    "HOTLINE_REPORTS_DIR",
    "HOTLINE_NOTEBOOKS_DIR",
    "HOTLINE_SAMPLE_DIR",
    "HOTLINE_PII_KEY_FILE",
    "HOTLINE_PROFILES_DIR",
    "HOTLINE_FAULT_AT",
    "HOTLINE_LOCK_TIMEOUT",
)

#: Most workers ``-n auto`` starts. Each worker repeats the set-up of the modules whose tests
#: it runs and holds its own pandas, DuckDB (and Spark) memory, while a few long tests bound
#: the run from below: past four, more workers mostly add memory.
MAX_AUTO_WORKERS = 4


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto`` (and ``logical``): the CPUs this process may run on, at most four.

    The CPUs allowed (a container's or ``taskset``'s share), not the machine's: more workers
    than CPUs only take turns.
    """
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return max(1, min(MAX_AUTO_WORKERS, len(allowed) if allowed else os.cpu_count() or 1))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse ``-n`` with ``--dist loadgroup`` where it would not group.

    xdist marks a grouped test by appending ``@group`` to its node id, which pytest 9.2 no
    longer takes (pytest-dev/pytest-xdist#1386, open for xdist 3.8.0; pyproject.toml keeps
    pytest below 9.2): the grouped tests would spread over the workers unnoticed, each worker
    starting its own Spark JVM and building the grouped modules' reports again.
    """
    if hasattr(config, "workerinput") or config.getoption("dist", "no") != "loadgroup":
        return
    if not config.getoption("numprocesses", None):
        return
    from importlib.metadata import version

    from packaging.version import Version

    if Version(pytest.__version__) >= Version("9.2.0.dev0") >= Version(version("pytest-xdist")):
        raise pytest.UsageError(
            f"--dist loadgroup does not group with pytest {pytest.__version__} and "
            f"pytest-xdist {version('pytest-xdist')} (pytest-dev/pytest-xdist#1386): install "
            "pytest<9.2 (make install does), or run serially (-n 0, make test PYTEST_WORKERS=1)"
        )


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A throwaway project folder and a fixed key for the whole run (one per worker).

    Module and session fixtures and doctests run here; each test in ``tests/`` gets its own
    project besides (``isolated_project``).
    """
    home = tmp_path_factory.mktemp("session-project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_HOME", str(home))
        patch.setenv("HOTLINE_PII_KEY", PII_KEY)
        for variable in USER_SETTINGS:
            patch.delenv(variable, raising=False)
        yield home


@pytest.fixture(autouse=True)
def environment_restored() -> Iterator[None]:
    """Undo whatever a test or doctest did to ``os.environ``.

    The doctests of :mod:`hotline.paths` and :mod:`hotline.keys` set and then delete
    ``HOTLINE_HOME`` and ``HOTLINE_PII_KEY``: without this, what runs after them on the same
    worker would find neither, and which tests those are differs from run to run.
    """
    before = dict(os.environ)
    yield
    if os.environ != before:
        os.environ.clear()
        os.environ.update(before)
