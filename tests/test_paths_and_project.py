"""Project paths, packaging and the conda environment stay in step."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from hotline import paths

REPO = Path(__file__).resolve().parents[1]


def test_paths_follow_hotline_home(isolated_project: Path) -> None:
    assert paths.raw_dir() == isolated_project / "data" / "raw"
    assert paths.processed_dir() == isolated_project / "data" / "processed"
    assert paths.figures_dir() == isolated_project / "reports" / "figures"


def test_each_folder_can_move_on_its_own(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTLINE_PROCESSED_DIR", str(tmp_path / "elsewhere"))
    assert paths.processed_dir() == tmp_path / "elsewhere"


def test_the_sample_has_folders_of_its_own(
    isolated_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert paths.sample_raw_dir() == isolated_project / "data" / "sample" / "raw"
    assert paths.sample_processed_dir() == isolated_project / "data" / "sample" / "processed"
    for sample in (paths.sample_raw_dir(), paths.sample_processed_dir()):
        for users in (paths.raw_dir(), paths.processed_dir()):
            assert users not in (sample, *sample.parents)
    monkeypatch.setenv("HOTLINE_SAMPLE_DIR", str(tmp_path / "demo"))
    assert paths.sample_processed_dir() == tmp_path / "demo" / "processed"


def test_root_is_found_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTLINE_HOME")
    monkeypatch.chdir(REPO / "notebooks")
    assert paths.root() == REPO


def test_importing_touches_nothing(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    code = "import hotline, hotline.paths, hotline.cli, hotline.ingestion, hotline.metrics"
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"HOTLINE_HOME": str(home)}, cwd=home
    )
    assert list(home.iterdir()) == []


def _requirement_names(requirements: list[str]) -> set[str]:
    return {r.split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in requirements}


def test_environment_yml_mirrors_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    wanted = _requirement_names(project["dependencies"] + extras["dev"] + extras["spark"])
    lines = (REPO / "environment.yml").read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("dependencies:") + 1 :]
    entries = [line.split("#")[0].strip()[2:] for line in body if line.strip().startswith("- ")]
    listed = _requirement_names([e for e in entries if e not in ("pip:", "-e .")])
    assert listed - {"python", "pip"} == wanted
    assert lines[-1].strip() == "- -e ."


def test_console_script_is_declared() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, _, function = project["scripts"]["hotline"].partition(":")
    assert callable(getattr(importlib.import_module(module), function))


def test_raw_and_processed_data_are_never_committed() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8")
    assert "data/raw/*" in ignored and "data/processed/*" in ignored and "data/.pii_key" in ignored


def test_data_dictionary_documents_every_column_and_code() -> None:
    from hotline import schema

    text = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", text))
    assert {c.name for c in schema.COLUMNS} <= documented
    for enum in (schema.STATUS, schema.SATISFACTION):
        assert set(enum.codes) <= documented, enum.name


def test_metrics_doc_covers_every_rate_and_preset() -> None:
    from hotline.metrics import PRESETS, RATES

    text = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    for key, spec in RATES.items():
        assert f"`{key}`" in text and spec.zh in text, key
    for name in PRESETS:
        assert f"`{name}`" in text, name
