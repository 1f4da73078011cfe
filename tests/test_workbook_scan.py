"""The workbook pre-flight: where calamine puts each cell, zip limits, disguised files, JSON depth.

The scan must agree with calamine on the grid a sheet asks for, whatever the references: the
property test writes random small sheets (cells and rows with and without ``r=``, styled empty
cells, out-of-order references) and compares the scan's corner with the one calamine reports,
with the XML cut into chunks of every size.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile.excel_cases import cell, workbook
from hotline.errors import InputError
from hotline.ingestion.limits import Limits
from hotline.ingestion.readers import html, sniff, workbook_scan
from hotline.ingestion.readers.records import json_depth
from hotline.ingestion.readers.workbook_scan import column_name, scan_workbook

V = "<v>1</v>"
#: Room for a cell at column XFD: these tests compare places, not limits.
WIDE = Limits(columns=20_000)


def scan_xml(xml: str | bytes, limits: Limits = WIDE) -> workbook_scan.SheetScan:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    return workbook_scan.scan_sheet_xml(
        zipfile.ZipFile(data), "xl/worksheets/sheet1.xml", "a", limits=limits
    )


SHEETS = [
    # (sheetData content, (max_row, max_column), case)
    (f"<row><c>{V}</c><c>{V}</c></row><row><c>{V}</c></row>", (2, 2), "cells and rows without r"),
    (f"<row/><row/><row><c>{V}</c></row>", (3, 1), "an empty <row/> still takes a row"),
    (f'<row r="3"><c>{V}</c></row><row><c>{V}</c></row>', (4, 1), "a row without r follows"),
    (f'<row r="3"><c r="C3"/><c>{V}</c></row>', (3, 4), "a styled empty cell takes its column"),
    (f'<row r="2"><c r="B5">{V}</c><c>{V}</c></row>', (5, 3), "a cell's r is its own row"),
    (f'<x:row><x:c r="D2">{V}</x:c></x:row>', (2, 4), "a namespace prefix"),
    (f'<row r="1"><c s="1" r="D1">{V}</c></row>', (1, 4), "r after another attribute"),
    (f'<row r="9"><c r="XFD9">{V}</c><c r="A1">{V}</c></row>', (9, 16384), "far cell first"),
    ('<row r="5"><c r="E5" s="1"/></row>', (0, 0), "only styled empty cells: nothing stored"),
]


@pytest.mark.parametrize(("xml", "corner", "case"), SHEETS, ids=[s[2] for s in SHEETS])
@pytest.mark.parametrize("out", [7, 64, 1 << 21])
def test_the_scan_puts_cells_where_calamine_does(
    xml: str, corner: tuple[int, int], case: str, out: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook_scan, "_OUT", out)
    scan = scan_xml(f"<worksheet><sheetData>{xml}</sheetData></worksheet>")
    assert (scan.max_row, scan.max_column) == corner, case


def test_error_cells_are_found_in_the_same_pass() -> None:
    xml = (
        '<worksheet><sheetData><row r="1"><c r="A1" s="1"/><c r="B1" t="e"><f>NA()</f>'
        '<v>#N/A</v></c></row><row><c t="e"><v>#REF!</v></c></row></sheetData></worksheet>'
    )
    assert scan_xml(xml).errors == [(0, 1, "#N/A"), (1, 0, "#REF!")]


@st.composite
def sheets(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row_ref = draw(st.one_of(st.none(), st.integers(1, 40)))
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            ref = draw(
                st.one_of(
                    st.none(),
                    st.tuples(st.integers(0, 60), st.integers(1, 40)).map(
                        lambda rc: f"{column_name(rc[0])}{rc[1]}"
                    ),
                )
            )
            where = f' r="{ref}"' if ref else ""
            cells.append(f"<c{where}/>" if draw(st.booleans()) and ref else f"<c{where}>{V}</c>")
        body = "".join(cells)
        start = f'<row r="{row_ref}"' if row_ref else "<row"
        rows.append(f"{start}>{body}</row>" if body or draw(st.booleans()) else f"{start}/>")
    return "".join(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xml=sheets(), out=st.sampled_from([5, 40, 1 << 21]))
def test_the_scan_agrees_with_calamine_on_random_sheets(
    xml: str, out: int, tmp_path_factory
) -> None:
    import python_calamine

    path = workbook(tmp_path_factory.mktemp("s") / "a.xlsx", {"Sheet1": [xml]})
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    expected = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
    saved = workbook_scan._OUT
    workbook_scan._OUT = out
    try:
        scan = scan_workbook(path, "a.xlsx", WIDE).sheets["Sheet1"]
    finally:
        workbook_scan._OUT = saved
    assert (scan.max_row, scan.max_column) == expected, xml


@pytest.mark.parametrize(
    ("pieces", "limits", "message"),
    [
        ([f'<row r="200000">{cell("XFD200000", "x")}</row>'], Limits(), r"--limit cells=N"),
        ([f'<row r="30">{cell("A30", "x")}</row>'], Limits(rows=20), r"30 rows.*--limit rows=N"),
        ([f'<row r="1">{cell("K1", "x")}</row>'], Limits(columns=10), r"--limit columns=N"),
        (["<row>" + "<c><v>1</v></c>" * 300 + "</row>"], Limits(cells=100), r"--limit cells=N"),
    ],
    ids=["far cell", "rows", "columns", "cells"],
)
def test_each_limit_names_its_flag(pieces, limits: Limits, message: str, tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", {"Sheet1": pieces})
    with pytest.raises(InputError, match=message):
        scan_workbook(path, "a.xlsx", limits)


def test_a_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = workbook(tmp_path / "bomb.xlsx", {"Sheet1": [b"<row/>" * 5_000_000]}, level=1)
    inflated = []
    original = workbook_scan._inflate

    def counting(*args, **kwargs):
        for chunk in original(*args, **kwargs):
            inflated.append(len(chunk))
            yield chunk

    workbook_scan._inflate = counting
    try:
        with pytest.raises(InputError, match="--limit ratio=N"):
            scan_workbook(path, "bomb.xlsx")
    finally:
        workbook_scan._inflate = original
    assert sum(inflated) < 30_000_000 / 4  # refused within its first quarter


def test_a_row_flood_is_scanned_in_linear_time(tmp_path: Path) -> None:
    import time

    def timed(n: int) -> float:
        path = workbook(tmp_path / f"r{n}.xlsx", {"Sheet1": [b"<row/>" * n]}, level=1)
        start = time.perf_counter()
        scan_workbook(path, "r.xlsx", Limits(ratio=10**6))
        return time.perf_counter() - start

    small, large = timed(200_000), timed(1_600_000)
    assert large < 8 * small * 3 + 0.5  # eight times the XML, not sixty-four times the time


ODS = (
    '<office:document-content xmlns:office="o" xmlns:table="t"><office:body><office:spreadsheet>'
    '<table:table table:name="表1">{rows}</table:table></office:spreadsheet></office:body>'
    "</office:document-content>"
)


@pytest.mark.parametrize(
    ("rows", "limits", "message"),
    [
        (
            '<table:table-row table:number-rows-repeated="5000"><table:table-cell><text:p>x'
            "</text:p></table:table-cell></table:table-row>",
            Limits(rows=1000),
            "rows in sheet '表1'.*--limit rows=N",
        ),
        (
            '<table:table-row><table:table-cell table:number-columns-repeated="2000">'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            Limits(),
            "columns in sheet '表1'.*--limit columns=N",
        ),
    ],
    ids=["repeated rows", "repeated cells"],
)
def test_ods_repeats_count_as_what_they_repeat(rows, limits, message, tmp_path: Path) -> None:
    path = tmp_path / "a.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", ODS.format(rows=rows))
    with pytest.raises(InputError, match=message):
        scan_workbook(path, "a.ods", limits)


def test_trailing_empty_ods_padding_is_not_counted(tmp_path: Path) -> None:
    rows = (
        "<table:table-row><table:table-cell><text:p>x</text:p></table:table-cell>"
        '<table:table-cell table:number-columns-repeated="16000"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = tmp_path / "a.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("content.xml", ODS.format(rows=rows))
    scan_workbook(path, "a.ods")  # LibreOffice's padding: not a grid of 17 billion cells


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"),
        ("\ufeff\r\n <!DOCTYPE html><html>".encode(), "html"),
        (b"<table><tr><td>1</td></tr></table>", "html"),
        (b'<meta charset="gbk"><table>', "html"),
        ("工单编号\t受理时间\r\n".encode("gbk"), "text"),
        (b"%PDF-1.7", "a PDF document"),
        (b"\x89PNG\r\n", "a PNG image"),
        (b'<?xml version="1.0"?><Workbook>', "xml"),
        (b"\x00\x01\x02\x03binary", "binary data (first bytes 00 01 02 03)"),
    ],
)
def test_sniff_tells_what_a_file_is(content: bytes, kind: str, tmp_path: Path) -> None:
    path = tmp_path / "a.xls"
    path.write_bytes(content)
    assert sniff(path) == kind


@pytest.mark.parametrize(
    ("meta", "encoding"),
    [
        ('<meta charset="gb2312">', "gbk"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "gbk"),
        ('<meta charset="utf-8">', "utf-8"),
        ("", "gbk"),  # no meta: detected from the bytes
    ],
)
def test_html_tables_are_read_in_the_charset_their_meta_states(
    meta: str, encoding: str, tmp_path: Path
) -> None:
    page = (
        f"<html><head>{meta}</head><body><p>说明</p><table><tr><th>工单编号</th><th>内容</th>"
        '</tr><tr><td>A1</td><td rowspan="2">供暖不热</td></tr><tr><td>A2</td></tr>'
        '<tr><td colspan="2">合计 2</td></tr></table></body></html>'
    )
    path = tmp_path / "a.xls"
    path.write_bytes(page.encode(encoding))
    source = html.HtmlSource(path)
    assert source.heads() == [
        (
            "表1",
            [["工单编号", "内容"], ["A1", "供暖不热"], ["A2", "供暖不热"], ["合计 2", "合计 2"]],
        )
    ]
    grid = source.read("表1", 0)
    assert grid.n_rows == 3 and grid.rows.tolist() == [2, 3, 4]


def test_html_spans_are_counted_against_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "a.xls"
    path.write_bytes(b'<table><tr><td colspan="100000" rowspan="100000">x</td></tr></table>')
    with pytest.raises(InputError, match="--limit columns=N"):
        html.HtmlSource(path)


@st.composite
def nested_json(draw: st.DrawFn, depth: int = 0):
    if depth > 6 or draw(st.booleans()):
        return draw(st.one_of(st.integers(), st.text(alphabet='[]{}"\\ab工', max_size=6)))
    if draw(st.booleans()):
        return draw(st.lists(nested_json(depth + 1), max_size=3))
    return draw(
        st.dictionaries(
            st.text(alphabet='[]{}"\\a', max_size=3), nested_json(depth + 1), max_size=3
        )
    )


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@settings(max_examples=200, deadline=None)
@given(value=nested_json())
def test_json_depth_counts_brackets_outside_strings(value) -> None:
    text = json.dumps(value, ensure_ascii=False).encode()
    assert json_depth(text) == _depth(value)
