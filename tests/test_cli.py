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


def test_a_year_the_data_cover_in_part_is_named_as_such(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["ingest", str(export), "--out", str(out), "--quiet"]) == 0
    capsys.readouterr()
    from hotline.metrics import coverage

    found = coverage(str(out), year=2021).iloc[0]
    assert not found["complete"]  # a few days of March
    for argv in (["--format", "json"], ["--by", "month"], []):
        assert main(["metrics", str(out), "--year", "2021", *argv]) == 0
        (note,) = capsys.readouterr().err.splitlines()
        assert note.startswith("hotline: note: ") and found["text"] in note and "不完整年度" in note


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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # restored after: later doctests run in the project
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


@pytest.fixture(scope="module")
def sample_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 540-request sample, ingested once for the module: its tests only read it."""
    from hotline import ingest
    from hotline.sample import write_sample

    folder = tmp_path_factory.mktemp("cli-sample")
    write_sample(folder / "raw", orders=500, online=40)
    ingest([folder / "raw"], out=folder / "out", progress=False)
    return folder / "out"


@pytest.mark.parametrize(
    "by", ["month", "department", "town", "type", "topic", "channel", "month,kind"]
)
def test_metrics_by_group_as_json(
    sample_dataset: Path, by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", str(sample_dataset), "--by", by, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert isinstance(records, list) and records
    assert sum(r["accepted"] for r in records) == 540  # the groups add up to the sample
    assert all(0 <= r["closure_rate"] <= 1 for r in records if r["closure_rate"] is not None)


def test_metrics_table_csv_year_and_preset(
    sample_dataset: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", str(sample_dataset), "--by", "month", "--year", "2021"]) == 0
    table = capsys.readouterr().out
    assert "月份" in table and "办结率" in table and "口径：默认口径（default）" in table
    assert (
        main(
            [
                "metrics",
                str(sample_dataset),
                "--by",
                "town",
                "--format",
                "csv",
                "--preset",
                "strict",
            ]
        )
        == 0
    )
    header = capsys.readouterr().out.splitlines()[0]  # Chinese headers, no BOM into a capture
    assert header.startswith("乡镇/街道,受理量,办结量,办结率,办结率分子,办结率分母")
    assert (
        main(
            ["metrics", str(sample_dataset), "--by", "month", "--year", "2030", "--format", "json"]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--by", "weather"], "cannot group by 'weather'"),
        (["--preset", "moscow"], "unknown preset 'moscow'"),
        (["--as-of", "soon"], "--as-of 'soon': not a date and time"),
        # after the last export every open order would count as overdue: made-up figures
        (["--as-of", "2030-01-01"], "--as-of '2030-01-01' is after the data's latest time"),
    ],
)
def test_metrics_bad_options(
    sample_dataset: Path, arguments: list[str], message: str, capsys
) -> None:
    assert main(["metrics", str(sample_dataset), *arguments]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_check_claims_exit_status_follows_the_verdicts(
    sample_county: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotline import load, metrics

    dataset = sample_county[1]
    figures = metrics.headline(load(dataset)).loc["hotline"]
    right, wrong = tmp_path / "right.txt", tmp_path / "wrong.txt"
    right.write_text(f"12345热线受理群众话务诉求{figures['accepted']}件。", encoding="gb18030")
    wrong.write_text(f"12345热线受理群众话务诉求{figures['accepted'] + 7}件。", encoding="utf-8")
    assert main(["check-claims", str(right), str(dataset)]) == 0
    assert "相符" in capsys.readouterr().out
    assert main(["check-claims", str(wrong), str(dataset), "--format", "json"]) == 1
    (claim,) = json.loads(capsys.readouterr().out)
    assert claim["verdict"] == "inconsistent" and claim["computed"]["value"] == figures["accepted"]


@pytest.mark.slow
def test_report_writes_text_tables_and_linked_charts(
    sample_county: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotline import load, metrics

    out = tmp_path / "2021"
    assert main(["report", str(sample_county[1]), "--year", "2021", "--out", str(out)]) == 0
    text = (out / "report.md").read_text(encoding="utf-8")
    figures = metrics.headline(load(sample_county[1])).loc["hotline"]
    assert f"受理群众话务诉求{figures['accepted']}件，办结{figures['closed']}件" in text
    images = [line for line in text.splitlines() if line.startswith("![")]
    assert images, "the charts are referenced"
    for line in images:
        target = line[line.index("](") + 2 : -1].strip("<>")
        assert (out / target).is_file(), target
    assert (out / "tables.xlsx").is_file()
    assert main(["report", str(sample_county[1]), "--year", "2021", "--month", "2021-06",
                 "--out", str(tmp_path / "june")]) == 0  # fmt: skip
    assert "环比" in (tmp_path / "june" / "bulletin.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_311_export_ingests_and_answers_by_agency_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import shared_path

    export = shared_path("data", "real", "la311-hackforla", "requests.csv")
    out = tmp_path / "la"
    assert main(["ingest", str(export), "--out", str(out), "--profile", "la311", "--quiet"]) == 0
    assert "la311" in capsys.readouterr().out
    assert main(["metrics", str(out), "--by", "agency", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    from hotline import load, metrics

    totals = metrics.summary(load(out), definitions="us311").iloc[0]
    assert sum(r["accepted"] for r in records) == totals["accepted"]
    assert main(["metrics", str(out), "--by", "agency"]) == 0
    table = capsys.readouterr().out
    assert "Agency" in table and "Definitions: US 311 (us311)" in table  # the data's language
    assert main(["metrics", str(out), "--by", "agency", "--lang", "zh", "--kind", "311"]) == 0
    assert "承办单位" in capsys.readouterr().out


@pytest.mark.parametrize("as_folder", [True, False], ids=["folder", "file"])
def test_a_file_name_that_is_not_utf8_is_one_line_naming_no_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_folder: bool
) -> None:
    """A GBK name from a Windows zip (工单 in GBK bytes) cannot be shown, and may hold a
    caller's name: the error names the folder and says how to rename, with no traceback."""
    folder = tmp_path / "raw"
    folder.mkdir()
    name = os.fsdecode("工单张伟.csv".encode("gbk"))
    try:
        path = folder / name
        path.write_text("工单编号,受理时间\n1,2021-01-01\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    code = main(["ingest", str(folder if as_folder else path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("hotline: error: raw: a file name here is not UTF-8"), err
    assert "Traceback" not in err and "张伟" not in err and len(err.splitlines()) == 1
