"""Privacy attacks: personal data where no scrubber looked (labels, status words, file, folder
and sheet names, unusual separators); the command must exit as usual and leak none of it, in
any output byte, on standard output or in an error message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from exports import write_xlsx
from hostile import Attack, Outcome
from hostile.excel_cases import cell, orders, workbook
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
    Secret("阿依古丽", "name"),
    Secret("13900005001", "number"),
    Secret("110101199003077715", "number"),
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


def _nested(folder: str, rows: list[str], name: str = "a.csv") -> Callable[[Path], list[str]]:
    """A CSV in ``sub/<folder>/``: every part of the path below ``sub`` reaches source_file."""

    def build(work: Path) -> list[str]:
        where = work / "sub" / folder
        where.mkdir(parents=True)
        (where / name).write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("gbk"))
        return ["ingest", "sub", "--out", "out"]

    return build


#: Orders whose caller is 李秀英 or 阿依古丽 (a name no surname rule knows), one of them
#: rejected, so that the name of the file reaches the rejects file as well.
CALLER_ROWS = [
    "A1,2021/3/5 9:00,李秀英,13900000015,供暖不热,县住建局,城关镇,已办结",
    "A2,待定,李秀英,13900000015,供暖不热,县住建局,城关镇,已办结",
    "A3,2021/3/5 9:10,阿依古丽,13900000027,路灯不亮,县住建局,城关镇,已办结",
]
SHEET = "王建国13900005001"  # a caller's name and phone as a sheet name


def _book(sheets: dict[str, list[str]], *flags: str) -> Callable[[Path], list[str]]:
    def build(work: Path) -> list[str]:
        workbook(work / "工单.xlsx", sheets)
        return ["ingest", "工单.xlsx", "--out", "out", *flags]

    return build


def _unreadable_sheet(work: Path) -> list[str]:
    """A sheet whose cell points at a shared string that does not exist: calamine fails."""
    bad = '<row r="1"><c r="A1" t="s"><v>99</v></c></row>'
    workbook(work / "工单.xlsx", {"说明": [orders()], SHEET: [bad]})
    return ["ingest", "工单.xlsx", "--out", "out"]


def _ods_sheet(work: Path) -> list[str]:
    """An ods sheet named after a caller that repeats a row a billion cells' worth."""
    import zipfile

    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        f'<office:spreadsheet><table:table table:name="{SHEET}">'
        '<table:table-row table:number-rows-repeated="100000">'
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(work / "工单.ods", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return ["ingest", "工单.ods", "--out", "out"]


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


def _clean_and_sourced(*names: str) -> Callable[[Outcome], None]:
    """No leak, and ``source_file`` of the rows (and the account) as expected."""

    def check(outcome: Outcome) -> None:
        _clean(outcome)
        inputs = outcome.manifest("out")["inputs"]
        assert sorted(f["name"] for f in inputs) == sorted(names), inputs

    return check


# Where a sheet's name reaches a message: (id, build, message the error must match).
_SHEET_ERRORS = [
    (
        "far-cell",
        _book(
            {
                "说明": [orders()],
                SHEET: [orders(), f'<row r="200000">{cell("XFD200000", "x")}</row>'],
            }
        ),
        r"cells in sheet 工作表1 \(the workbook's sheet 2; its name holds personal data\)",
    ),
    (
        "past-column-XFD",
        _book({SHEET: [orders(), f'<row r="4">{cell("XFE4", "x")}</row>']}),
        r"columns in sheet 工作表1 \(the workbook's sheet 1;",
    ),
    (
        "xml-tag-over-1MiB",
        _book(
            {SHEET: [orders(), '<row r="4"><c r="A4"' + " " * (1 << 21) + "/></row>"]},
            *("--limit", "ratio=100000"),
        ),
        r"sheet 工作表1 \(the workbook's sheet 1; its name holds personal data\) holds an XML tag",
    ),
    ("calamine-error", _unreadable_sheet, r"cannot read sheet 工作表1 \(the workbook's sheet 2;"),
    ("empty-sheet", _book({SHEET: []}), r"工单\.xlsx: no recognisable header row"),
    ("ods-repeated-rows", _ods_sheet, r"cells in sheet 工作表1 \(the workbook's sheet 1;"),
]


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
    # Every part of a path is screened, nested folders too (issue #11, finding 7): a caller's
    # name (by the surname rule, or only because the data names that caller), a phone, an ID.
    *(
        Attack(f"privacy-nested-folder-{what}", _nested(folder, CALLER_ROWS), 0, check=check)
        for what, folder, check in (
            ("caller-name", "2021年3月/李秀英", _clean_and_sourced("2021年3月/文件夹1/a.csv")),
            ("caller-in-data", "材料/阿依古丽的材料", _clean_and_sourced("材料/文件夹1/a.csv")),
            ("phone", "2021年3月/13900005001", _clean_and_sourced("2021年3月/文件夹1/a.csv")),
            ("id-number", "110101199003077715/3月", _clean_and_sourced("文件夹1/3月/a.csv")),
            ("name-and-file", "欧阳娜娜/李秀英", _clean_and_sourced("文件夹1/文件夹2/a.csv")),
        )
    ),
    Attack(
        "privacy-nested-folder-in-an-error",
        _nested("2021年3月/李秀英", [], name="李秀英.csv"),
        2,
        message=r"文件1\.csv, row 1: no data below the header",
        check=_error_names_no_one,
    ),
    # Every message that names a sheet shows its label (finding 8).
    *(
        Attack(f"privacy-sheet-name-in-an-error-{what}", build, 2, message, _error_names_no_one)
        for what, build, message in _SHEET_ERRORS
    ),
]
