"""The command line: one-line errors, exit codes, machine-readable output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exports import HOTLINE_HEADER, hotline_rows, write_xlsx
from hotline.cli import main


@pytest.fixture
def export(tmp_path: Path) -> Path:
    rows = (
        hotline_rows(3)
        + hotline_rows(1, start=4, status="办理中")
        + [["A5", "2021/3/5", "", "", "", "无效"]]
    )
    return write_xlsx(tmp_path / "工单.xlsx", [HOTLINE_HEADER, *rows])


def test_ingest_then_metrics_json(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(export), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "核对：读入 5 = 写入 5 + 合并 0 + 拒收 0" in printed
    assert main(["metrics", str(out), "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["accepted"], figures["closed"]) == (4, 3)
    assert figures["closure_rate"] == pytest.approx(0.75)
    assert main(["metrics", str(out), "--kind", "hotline"]) == 0
    assert "75.00%" in capsys.readouterr().out


def test_ingest_json_account(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["ingest", str(export), "--out", str(tmp_path / "o"), "--format", "json", "--quiet"])
        == 0
    )
    manifest = json.loads(capsys.readouterr().out)
    assert manifest["totals"]["balanced"] and manifest["inputs"][0]["name"] == "工单.xlsx"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["ingest", "missing.xlsx"], "missing.xlsx: file not found"),
        (["metrics", "nowhere"], "no dataset here; run `hotline ingest`"),
        (["ingest", "{export}", "--mapping", "none.toml"], "none.toml: cannot read mapping file"),
        (
            ["ingest", "{export}", "--snapshot-at", "x.xlsx=2021-01-01"],
            "--snapshot-at x.xlsx: no such input file",
        ),
        (["ingest", "{export}", "--snapshot-at", "{export}=soon"], "not a date and time"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    arguments: list[str],
    message: str,
    export: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    os.chdir(tmp_path)
    code = main([a.replace("{export}", str(export)) for a in arguments])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("hotline: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "--debug", "ingest", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("hotline")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("hotline ")
