"""Kill the ingest and the report at every write step: the previous output must survive whole.

The test hook of :mod:`hotline.outputs` (``outputs.FAULT``) names every write step; a forked
child runs the command and ends itself with ``os._exit`` at step N (a kill at an exact point,
not timing luck). The parent then checks the previous output is intact, loadable, its manifest
matching its data, and that the next run succeeds and leaves no staging folder behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from exports import HOTLINE_HEADER, hotline_rows, write_csv
from hotline import ingest, load, outputs, paths
from hotline.dataset import MANIFEST_FILE, REJECTS_FILE, read_manifest
from hotline.errors import DatasetError
from hotline.report import build as build_module
from hotline.report import build_report

KILLED = 86


def _rows(n: int, start: int = 1) -> list[list[object]]:
    return [HOTLINE_HEADER, *hotline_rows(n, start=start), ["小计", "", "", "", "", ""]]


@pytest.fixture
def exports(tmp_path: Path) -> tuple[Path, Path]:
    """An old export and a newer, larger one (with a footer row rejected in each)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    return write_csv(raw / "old.csv", _rows(3)), write_csv(raw / "new.csv", _rows(6, start=2))


def key_file(path: Path | None) -> Path:
    assert path is not None
    return path


def _steps(run: Callable[[], object]) -> list[str]:
    """The write steps of one run, by name, in order."""
    seen: list[str] = []
    outputs.FAULT = lambda name, path: seen.append(name)
    try:
        run()
    finally:
        outputs.FAULT = None
    return seen


def _killed_at(step: int, run: Callable[[], object]) -> None:
    """Run ``run`` in a forked child that ends itself at write step ``step``."""
    pid = os.fork()
    if pid == 0:  # the child: count steps from here and die at the chosen one
        count = 0

        def die(name: str, path: Path) -> None:
            nonlocal count
            count += 1
            if count == step:
                os._exit(KILLED)

        outputs.FAULT = die
        try:
            run()
        finally:
            os._exit(0)  # reaching the end means the step was never reached
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail(f"child hung at step {step}")
        time.sleep(0.01)
    assert os.waitstatus_to_exitcode(status) == KILLED, f"step {step} was not reached"


def _files(folder: Path) -> dict[str, str]:
    """Visible files and hotline's marker -> SHA-256 (lock and staging folders aside)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.name != outputs.LOCK_FILE
        and not any(part.startswith(outputs.STAGING_PREFIX) for part in p.parts)
    }


def _consistent(out: Path) -> pd.DataFrame:
    """Load the dataset and check its manifest.json and rejects.csv belong to its data."""
    frame = load(out)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest == frame.attrs["manifest"]
    assert manifest["output"]["rows"] == len(frame)
    rejected = sum(sum(entry["rejected"].values()) for entry in manifest["inputs"])
    lines = (out / REJECTS_FILE).read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) - 1 == rejected
    return frame


@pytest.mark.parametrize("legacy", [False, True], ids=["marked", "legacy"])
def test_a_kill_at_any_step_of_an_ingest_keeps_the_previous_dataset(
    legacy: bool, exports: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = exports
    base = tmp_path / "base"
    ingest([old], out=base, progress=False)
    if legacy:  # written before marker files: the new marker must go with a roll-back
        (base / outputs.MARKERS[outputs.DATASET]).unlink()
    before, files = _consistent(base), _files(base)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    steps = _steps(lambda: ingest([old, new], out=probe, progress=False))
    assert {"orders", "place orders", "commit"} <= set(steps)
    for number, name in enumerate(steps, start=1):
        out = tmp_path / f"at-{number}"
        shutil.copytree(base, out)
        _killed_at(number, lambda out=out: ingest([old, new], out=out, progress=False))
        after = _consistent(out)  # a killed commit is rolled back here
        assert after.attrs["manifest"]["run_id"] == before.attrs["manifest"]["run_id"], name
        assert after.equals(before) and _files(out) == files, name
        ingest([old, new], out=out, progress=False)
        assert len(_consistent(out)) == 7
        assert not [p for p in out.iterdir() if p.name.startswith(outputs.STAGING_PREFIX)]


def test_a_kill_while_making_the_first_dataset_and_key_leaves_nothing_half_made(
    exports: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOTLINE_PII_KEY")
    old, _ = exports
    steps = _steps(lambda: ingest([old], out=tmp_path / "probe", progress=False))
    assert "key" in steps
    for number, name in enumerate(steps, start=1):
        key_file(paths.pii_key_file()).unlink()  # each child makes the key anew
        out = tmp_path / f"first-{number}"
        _killed_at(number, lambda out=out: ingest([old], out=out, progress=False))
        with pytest.raises(DatasetError, match="no dataset"):
            read_manifest(out)
        assert not out.exists() or not _files(out), name
        ingest([old], out=out, progress=False)  # the orphan key, if any, is simply used
        assert len(_consistent(out)) == 3


def _charts(names: list[str]) -> Callable[[Path], dict[str, Path]]:
    def draw(folder: Path) -> dict[str, Path]:
        for name in names:
            (folder / f"{name}.png").write_bytes(b"\x89PNG " + name.encode())
        return {name: folder / f"{name}.png" for name in names}

    return draw


def test_a_kill_at_any_step_of_a_report_keeps_the_previous_report(
    exports: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    ingest(list(exports), out=data, progress=False)
    sheet = build_module.annual_facts(data, 2021, build_module.resolve(None))
    monkeypatch.setattr(build_module, "annual_facts", lambda *args: sheet)  # the writes are tested
    base = tmp_path / "base"
    build_report(data, 2021, out=base, charts=_charts(["trend", "towns"]))
    (base / "report_edited.docx").write_bytes(b"the user's own edit")
    files = _files(base)
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)

    def rebuild(out: Path) -> object:  # one chart fewer: its old file is retired
        return build_report(data, 2021, out=out, charts=_charts(["trend"]))

    steps = _steps(lambda: rebuild(probe))
    assert {"tables.xlsx", "aside figures/towns.png", "place report.md", "commit"} <= set(steps)
    for number, name in enumerate(steps, start=1):
        out = tmp_path / f"at-{number}"
        shutil.copytree(base, out)
        _killed_at(number, lambda out=out: rebuild(out))
        outputs.recover(out)
        assert _files(out) == files, name
        rebuild(out)
        assert (out / "report_edited.docx").read_bytes() == b"the user's own edit"
        assert not (out / "figures" / "towns.png").exists()
        assert not [p for p in out.iterdir() if p.name.startswith(outputs.STAGING_PREFIX)]
