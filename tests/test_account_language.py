"""The ingest account, and the CLI's errors about the data, speak the data's language."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from exports import write_csv
from hotline import ingest
from hotline.availability import ACCOUNTED, INFORMATION
from hotline.cli import main
from hotline.ingestion.accounting import (
    MERGE_REASONS,
    MERGE_REASONS_EN,
    REJECT_REASONS,
    REJECT_REASONS_EN,
)
from hotline.ingestion.report import render_account
from hotline.labels import label, translate

CJK = re.compile("[\u3400-\u9fff]")
NYC = ["Unique Key", "Created Date", "Closed Date", "Status", "Agency"]
NYC_ROWS = [
    ["1", "03/14/2023 05:32:00 PM", "03/15/2023 09:00:00 AM", "Closed", "NYPD"],
    ["2", "03/15/2023 09:00:00 AM", "", "Open", "DSNY"],
    ["2", "03/15/2023 09:00:00 AM", "", "Open", "DSNY"],  # the same request twice: merged
    ["", "03/16/2023 09:00:00 AM", "", "Open", "DSNY"],  # no id: rejected
    ["4", "not a date", "", "Open", "DSNY"],  # no received time: rejected
]


@pytest.fixture
def nyc_export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "nyc.csv", [NYC, *NYC_ROWS])


def test_a_311_export_gets_an_english_account(nyc_export: Path, tmp_path: Path) -> None:
    result = ingest([nyc_export], out=tmp_path / "out", progress=False)
    account = result.account()
    assert account.startswith("# Ingest account")
    assert not CJK.search(account), [line for line in account.splitlines() if CJK.search(line)]
    assert MERGE_REASONS_EN["duplicate"] in account
    assert REJECT_REASONS_EN["missing_order_id"] in account
    written = (tmp_path / "out" / "ingest_report.md").read_text(encoding="utf-8")
    assert written == account
    rejects = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "rejects.csv").read_text(encoding="utf-8-sig"))))  # fmt: skip
    assert {r["reason"] for r in rejects} == {"missing_order_id", "unparseable_received_at"}
    assert all(r["explanation"] == REJECT_REASONS_EN[r["reason"]] for r in rejects)


def test_the_same_export_can_be_accounted_in_chinese(nyc_export: Path) -> None:
    result = ingest([nyc_export], write=False, progress=False)
    chinese = render_account(result.reports, result.totals, {"311": 1}, lang="zh")
    assert chinese.startswith("# 数据导入记录") and MERGE_REASONS["duplicate"] in chinese


def test_a_chinese_export_keeps_its_chinese_account(tmp_path: Path) -> None:
    from hotline.sample import write_sample

    write_sample(tmp_path / "raw", orders=60, online=10)
    account = ingest([tmp_path / "raw"], write=False, progress=False).account()
    assert account.startswith("# 数据导入记录") and "核对：读入" in account


def test_every_reason_is_explained_in_both_languages() -> None:
    assert set(REJECT_REASONS) == set(REJECT_REASONS_EN)
    assert set(MERGE_REASONS) == set(MERGE_REASONS_EN)
    for text in [*REJECT_REASONS_EN.values(), *MERGE_REASONS_EN.values()]:
        assert not CJK.search(text), text


@pytest.mark.parametrize("key", ACCOUNTED)
def test_missing_information_is_named_in_english(key: str) -> None:
    """The catalogue's word is availability's: the English account translates the one it has."""
    assert label(f"information.{key}") == INFORMATION[key].zh
    assert translate(INFORMATION[key].zh, "en") == label(f"information.{key}", "en")
    for figure in INFORMATION[key].metrics:
        assert not CJK.search(translate(figure, "en")), figure


def test_the_cli_speaks_english_about_311_data(
    nyc_export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert main(["ingest", str(nyc_export), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "wrote orders" in printed and not CJK.search(printed)
    assert main(["metrics", str(out), "--year", "2030"]) == 2
    error = capsys.readouterr().err
    assert "no accepted orders in 2030; the data cover 2023-03" in error
    assert not CJK.search(error)
