"""Privacy attacks: personal data where no scrubber looked (labels, status words, file and
sheet names, unusual separators); the command must exit as usual and leak none of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from exports import write_xlsx
from hostile import Attack, Outcome
from privacy_scan import Secret, describe, scan

HEADER = "工单编号,受理时间,来电人,来电号码,诉求内容,承办单位,乡镇/街道,办理状态"
SECRETS = (
    Secret("王建国", "name"),
    Secret("李秀英", "name"),
    Secret("欧阳娜娜", "name"),
    Secret("上官婉儿", "name"),
    Secret("张伟", "name"),
    Secret("13900000009", "number"),
    Secret("139/0000/0015", "number"),
    Secret("+86 (139) 0000 0027", "number"),
    Secret("110101-19900307-7715", "number"),
    Secret("wang.jianguo＠example.com"),
)
ROWS = [
    "A1,2021/3/5 9:00,王建国（先生）,139 00 00 00 09,王 建國反映139/0000/0015,王建国,城关镇,已办结",
    "A2,2021/3/5 9:10,王建国、李秀英,13900000015,李秀英身份证110101-19900307-7715,县住建局,"
    "李秀英,欧阳娜娜",
    "A3,2021/3/5 9:20,张三,+86 (139) 0000 0027,邮箱wang.jianguo＠example.com,县住建局,"
    "王家庄村,上官婉儿",
    "A4,张伟,张三,13900000009,无,县住建局,城关镇,已办结",
]


def _csv(name: str, rows: list[str]) -> Callable[[Path], list[str]]:
    def build(work: Path) -> list[str]:
        (work / name).write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("gbk"))
        return ["ingest", name, "--out", "out"]

    return build


def _sheet(work: Path) -> list[str]:
    header = HEADER.split(",")
    rows = [row.split(",") for row in ROWS]
    write_xlsx(work / "工单.xlsx", [header, *rows], sheet="张伟来电", before=[("说明", [["无"]])])
    return ["ingest", "工单.xlsx", "--out", "out"]


def _clean(outcome: Outcome) -> None:
    leaks = scan(outcome.work / "out", SECRETS)
    assert not leaks, describe(leaks)
    assert not any(s.pattern().search(outcome.stdout + outcome.stderr) for s in SECRETS)


def _clean_and_named(label: str) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        _clean(outcome)
        inputs = outcome.manifest("out")["inputs"]
        assert label in {f["name"] for f in inputs} | {f.get("sheet") for f in inputs}, inputs

    return check


def _error_names_no_one(outcome: Outcome) -> None:
    assert not any(s.pattern().search(outcome.stderr) for s in SECRETS), outcome.stderr


CASES = [
    Attack(
        "privacy-labels-status-and-file-name",
        _csv("王建国13900000009投诉.csv", ROWS),
        0,
        check=_clean_and_named("文件1.csv"),
    ),
    Attack("privacy-sheet-name", _sheet, 0, check=_clean_and_named("工作表1")),
    Attack(
        "privacy-file-name-in-an-error",
        _csv("王建国13900000009投诉.csv", []),
        2,
        message=r"文件1\.csv",
        check=_error_names_no_one,
    ),
]
