"""Every file form and layout the ingest must read, table-driven, through the public read_export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from exports import HOTLINE_HEADER, hotline_rows, write_csv, write_xls, write_xlsx
from hotline import read_export
from hotline.errors import InputError
from hotline.ingestion import readers
from hotline.ingestion.readers import open_source

ROWS = [HOTLINE_HEADER, *hotline_rows(5)]


def xlsx_plain(p: Path) -> Path:
    return write_xlsx(p / "a.xlsx", ROWS)


def xlsm(p: Path) -> Path:
    return write_xlsx(p / "a.xlsm", ROWS)


def xls_legacy(p: Path) -> Path:
    return write_xls(p / "a.xls", ROWS)


def csv_utf8(p: Path) -> Path:
    return write_csv(p / "a.csv", ROWS)


def csv_utf8_bom(p: Path) -> Path:
    return write_csv(p / "a.csv", ROWS, encoding="utf-8-sig")


def csv_gbk(p: Path) -> Path:
    return write_csv(p / "a.csv", ROWS, encoding="gbk")


def csv_gb18030(p: Path) -> Path:
    rows = [HOTLINE_HEADER, *[[*r[:3], f"𠀀 扩展汉字{r[3]}", *r[4:]] for r in hotline_rows(5)]]
    return write_csv(p / "a.csv", rows, encoding="gb18030")


def txt_utf16_tabs(p: Path) -> Path:  # Excel's "Unicode text" export
    return write_csv(p / "a.txt", ROWS, encoding="utf-16", delimiter="\t")


def csv_semicolon(p: Path) -> Path:
    return write_csv(p / "a.csv", ROWS, delimiter=";")


def xlsx_title_rows(p: Path) -> Path:
    rows = [["XX县12345热线工单明细表"], ["导出时间：2021-04-02 10:00"], [], *ROWS]
    return write_xlsx(p / "a.xlsx", rows)


def xlsx_merged_title_offset(p: Path) -> Path:  # data starting at C3, a merged title cell above
    return write_xlsx(p / "a.xlsx", ROWS, start_row=2, start_col=2, merge_title="工单明细")


def xlsx_second_sheet(p: Path) -> Path:
    notes = [("说明", [["本表由平台导出"], ["口径说明：……"]])]
    return write_xlsx(p / "a.xlsx", ROWS, sheet="工单", before=notes)


def xlsx_blank_rows_and_columns(p: Path) -> Path:
    rows = [[None, *HOTLINE_HEADER[:3], None, *HOTLINE_HEADER[3:]]]
    for i, r in enumerate(hotline_rows(5)):
        rows.append([None, *r[:3], None, *r[3:]])
        if i == 2:
            rows.append([])
    return write_xlsx(p / "a.xlsx", rows)


def xlsx_footer(p: Path) -> Path:
    no_id = [None, "2021/3/9 10:00", None, "没有编号的一行"]
    return write_xlsx(p / "a.xlsx", [*ROWS, no_id, ["合计", 5], [], ["制表人：", "张三"]])


def csv_title_and_footer(p: Path) -> Path:
    rows = [["XX县12345热线工单明细表"], ["导出时间：2021-04-02 10:00"], *ROWS, ["总计", "5"]]
    return write_csv(p / "a.csv", rows, encoding="gbk")


def xlsx_excel_dates_mixed_with_text(p: Path) -> Path:
    rows = [HOTLINE_HEADER, *hotline_rows(5)]
    rows[1][1] = dt.datetime(2021, 3, 2, 9, 1)
    rows[2][1] = 44258.5  # a serial number in a General-format cell
    return write_xlsx(p / "a.xlsx", rows)


def xlsx_numeric_ids(p: Path) -> Path:
    rows = [HOTLINE_HEADER, *hotline_rows(5)]
    for i, row in enumerate(rows[1:]):
        row[0] = 2021030500010 + i  # numbers, not text: must not come back as 2.02e12 or "…0.0"
    return write_xlsx(p / "a.xlsx", rows)


def xlsx_used_range_far_too_big(p: Path) -> Path:
    import openpyxl

    path = write_xlsx(p / "a.xlsx", ROWS)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for r in range(7, 65000, 997):  # styled but empty cells stretch the used range
        sheet.cell(row=r, column=1).number_format = "@"
    sheet.cell(row=65000, column=6).number_format = "@"
    book.save(path)
    return path


def csv_multiline_values(p: Path) -> Path:
    rows = [HOTLINE_HEADER, *hotline_rows(5)]
    rows[2][3] = "第一行\n第二行\n第三行"
    return write_csv(p / "a.csv", rows)


FORMS: list[Callable[[Path], Path]] = [
    xlsx_plain,
    xlsm,
    xls_legacy,
    csv_utf8,
    csv_utf8_bom,
    csv_gbk,
    csv_gb18030,
    txt_utf16_tabs,
    csv_semicolon,
    xlsx_title_rows,
    xlsx_merged_title_offset,
    xlsx_second_sheet,
    xlsx_blank_rows_and_columns,
    xlsx_footer,
    csv_title_and_footer,
    xlsx_excel_dates_mixed_with_text,
    xlsx_numeric_ids,
    xlsx_used_range_far_too_big,
    csv_multiline_values,
]


@pytest.mark.parametrize("make", FORMS, ids=[f.__name__ for f in FORMS])
def test_every_form_reads_five_orders(make: Callable[[Path], Path], tmp_path: Path) -> None:
    df = read_export(make(tmp_path))
    account = df.attrs["ingest"]
    assert len(df) == 5
    assert df["received_at"].notna().all()
    assert df["order_id"].str.fullmatch(r"A\d|2021030500\d{3}").all()
    assert (df["status"] == "closed").all()
    assert account["rows_in"] == account["written"] + sum(account["rejected"].values())
    assert "caller_phone" in account["columns"]
    assert df["caller_phone_masked"].str.fullmatch(r"138\*{4}\d{4}").all()


def test_source_rows_are_the_rows_the_analyst_sees(tmp_path: Path) -> None:
    df = read_export(xlsx_title_rows(tmp_path)).sort_values("order_id")
    assert df["source_row"].tolist() == [5, 6, 7, 8, 9]  # title, export line, blank, header
    offset = read_export(xlsx_merged_title_offset(tmp_path)).sort_values("order_id")
    assert offset["source_row"].tolist() == [5, 6, 7, 8, 9]  # two empty rows, title, header
    csv = read_export(csv_multiline_values(tmp_path)).sort_values("order_id")
    assert csv["source_row"].tolist() == [2, 3, 6, 7, 8]  # A2 spans three lines
    blank = read_export(xlsx_blank_rows_and_columns(tmp_path)).sort_values("order_id")
    assert blank["source_row"].tolist() == [2, 3, 4, 6, 7]


def test_footers_are_rejected_with_their_row(tmp_path: Path) -> None:
    df = read_export(xlsx_footer(tmp_path))
    assert df.attrs["ingest"]["rejected"] == {"footer": 2, "missing_order_id": 1}
    rejects = {(r["source_row"], r["reason"]) for r in df.attrs["rejects"]}
    assert rejects == {(7, "missing_order_id"), (8, "footer"), (10, "footer")}
    assert df.attrs["ingest"]["blank_rows"] == 1


def test_excel_dates_mixed_with_text_and_serials(tmp_path: Path) -> None:
    df = read_export(xlsx_excel_dates_mixed_with_text(tmp_path)).sort_values("order_id")
    assert df["received_at"].iloc[0] == dt.datetime(2021, 3, 2, 9, 1)
    assert df["received_at"].iloc[1] == dt.datetime(2021, 3, 3, 12)


def test_ids_are_strings_exactly_as_written(tmp_path: Path) -> None:
    df = read_export(xlsx_numeric_ids(tmp_path))
    assert sorted(df["order_id"]) == [str(2021030500010 + i) for i in range(5)]


def test_export_line_gives_the_snapshot(tmp_path: Path) -> None:
    df = read_export(xlsx_title_rows(tmp_path))
    assert df.attrs["ingest"]["snapshot_rule"] == "export line"
    assert (df["snapshot_at"] == dt.datetime(2021, 4, 2, 10)).all()


def test_encoding_is_detected_not_taken_from_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("PYTHONIOENCODING", "latin-1")
    assert read_export(csv_gbk(tmp_path)).attrs["ingest"]["encoding"] == "gb18030"


def test_unparseable_values_are_counted_per_column(tmp_path: Path) -> None:
    rows = [
        [*HOTLINE_HEADER, "办结时间", "满意度"],
        *[[*r, "2021/3/9 10:00", "满意"] for r in hotline_rows(4)],
    ]
    rows[1][6], rows[2][7], rows[3][5] = "待定", "还行吧", "不知道"
    df = read_export(write_xlsx(tmp_path / "a.xlsx", rows))
    odd = df.attrs["ingest"]["unparseable"]
    assert odd["办结时间"]["count"] == 1 and odd["办结时间"]["examples"] == [[2, "待定"]]
    assert odd["满意度"]["count"] == 1 and odd["办理状态"]["count"] == 1
    assert len(df) == 4  # the rows stay; only the cells are empty


@pytest.mark.parametrize("writer", [write_xlsx, write_csv], ids=["xlsx", "csv"])
def test_time_limit_in_working_days(tmp_path: Path, writer: Callable[..., Path]) -> None:
    rows = [[*HOTLINE_HEADER, "办理时限"], *[[*r, "5个工作日"] for r in hotline_rows(2)]]
    suffix = ".xlsx" if writer is write_xlsx else ".csv"
    df = read_export(writer(tmp_path / f"a{suffix}", rows))
    assert df["time_limit_workdays"].tolist() == [5, 5]
    assert df.attrs["ingest"]["unparseable"] == {}


BAD_FILES = [
    ("empty.csv", b"", "file is empty"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable Excel workbook"),
    ("binary.csv", bytes(range(256)) * 40, "cannot tell the text encoding"),
    ("notes.csv", "这是一份说明，不是工单导出。\n第二行\n".encode(), "no recognisable header"),
    ("export.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
    (
        "partial.csv",
        "工单编码,来电日期,诉求内容\nA1,2021/3/5,x\n".encode(),
        "required fields not found",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_fail_with_one_clear_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        read_export(path)
    assert str(caught.value).startswith(name)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_export(tmp_path / "nowhere.xlsx")


XLSX_FORMS = [f for f in FORMS if f.__name__.startswith("xlsx")]


@pytest.mark.parametrize("make", XLSX_FORMS, ids=[f.__name__ for f in XLSX_FORMS])
def test_both_excel_readers_agree(
    make: Callable[[Path], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fastexcel reads .xlsx; python-calamine reads .xls and friends: same rows, same values
    path = make(tmp_path)
    assert type(open_source(path)).__name__ == "FastExcelSource"
    fast = read_export(path)
    monkeypatch.setattr("hotline.ingestion.readers.FastExcelSource", readers.ExcelSource)
    assert type(open_source(path)).__name__ == "ExcelSource"
    slow = read_export(path)
    columns = [c for c in fast.columns if c != "caller_key"]
    assert fast[columns].equals(slow[columns])
    assert fast.attrs["ingest"]["rows_in"] == slow.attrs["ingest"]["rows_in"]


# (header, formula, error Excel shows, field): an error cell in each kind of column.
EXCEL_ERROR_CELLS = [
    ("受理时间", "=1/0", "#DIV/0!", "received_at"),
    ("办理状态", "=NA()", "#N/A", "status"),
    ("承办单位", "=X1", "#REF!", "department"),
]


@pytest.mark.parametrize(
    ("header", "formula", "error", "field"),
    EXCEL_ERROR_CELLS,
    ids=[e[3] for e in EXCEL_ERROR_CELLS],
)
def test_excel_error_cells_are_counted_not_read_as_empty(
    tmp_path: Path, header: str, formula: str, error: str, field: str
) -> None:
    import xlsxwriter

    headers = ["工单编号", "受理时间", "办理状态", "承办单位"]
    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("工单")
    sheet.write_row(0, 0, headers)
    for row, order_id in ((1, "A1"), (2, "A2")):
        sheet.write_row(row, 0, [order_id, "2021-03-05 10:00", "已办结", "县教育局"])
    sheet.write_formula(2, headers.index(header), formula, None, error)
    book.close()
    df = read_export(path).set_index("order_id")
    account = df.attrs["ingest"]
    if field == "received_at":  # a required field: the row is rejected, the error shown
        assert account["rejected"] == {"unparseable_received_at": 1}
        assert [r["detail"] for r in df.attrs["rejects"]] == [error]
        return
    assert account["quality"]["excel_errors"]["by_column"] == {field: 1}
    assert account["quality"]["excel_errors"]["by_error"] == {error: 1}
    assert account["quality"]["excel_errors"]["rows"] == [3]
    if field == "status":  # a code: unknown, counted, shown
        assert account["unparseable"][header]["examples"] == [[3, error]]
        assert df["status"].isna()["A2"]
    else:  # a label keeps what the cell shows, as a CSV saved from Excel would
        assert df.loc["A2", field] == error
