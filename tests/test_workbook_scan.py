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


ORDINARY = "".join(
    f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>{r}</v></c>' for c in "ABCDEFGH") + "</row>"
    for r in range(1, 3001)
)
HIDDEN = [
    ('<row r="3001"><x:c r="XFD3001"><v>1</v></x:c></row>', (3001, 16384), "a prefixed far cell"),
    ('<row r="3001"><c r="C9000000"><v>1</v></c></row>', (9_000_000, 8), "a far row"),
    ('<row r="2"><c r="AB2"><v>1</v></c></row>', (3000, 28), "a wider cell out of order"),
    ('<row r="3001"><c s="1" r="Z3001"><v>1</v></c></row>', (3001, 26), "r not first"),
    ('<row r="3001"/><row><c><v>1</v></c><c><v>1</v></c></row>', (3002, 8), "cells without r"),
    ('<row r="9000"><c r="XFD9000" s="3"/></row>', (3000, 8), "a styled empty far cell"),
]


@pytest.mark.parametrize(("extra", "corner", "case"), HIDDEN, ids=[h[2] for h in HIDDEN])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_one_odd_cell_among_ordinary_ones_is_seen(
    extra: str, corner: tuple[int, int], case: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook_scan, "_OUT", 1 << 14)  # many chunks: most of them ordinary
    cut = {"start": 0, "middle": len(ORDINARY) // 2, "end": len(ORDINARY)}[where]
    cut = ORDINARY.rfind("<row", 0, cut) if where == "middle" else cut
    xml = ORDINARY[:cut] + extra + ORDINARY[cut:]
    scan = scan_xml(
        f"<worksheet><sheetData>{xml}</sheetData></worksheet>", Limits(columns=20_000, rows=10**7)
    )
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


def test_what_waits_between_chunks_stays_small() -> None:
    # 50 MB of <row/> and 50 MB of text without a tag: the buffer never grows with the input,
    # so the scan is linear (it grew without bound in the old error scan: quadratic).
    floods = [[b"<row/>" * 50_000] * 170, [b"x" * 300_000] * 170]
    for chunks in floods[:2]:
        sizes = [len(t) for t in workbook_scan._chunks_of_complete_tags(iter(chunks), "a", "s")]
        assert max(sizes, default=0) <= 300_000 + workbook_scan._CUT_WINDOW
    tag = [b'<c r="A1"', *[b" " * 300_000] * 5]  # one tag of 1.5 MB
    with pytest.raises(InputError, match="tag over 1 MiB"):
        list(workbook_scan._chunks_of_complete_tags(iter(tag), "a", "s"))


def test_the_old_error_scan_is_linear_in_a_row_flood(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from hotline.ingestion import excel_errors

    monkeypatch.setattr(excel_errors, "_CHUNK", 4096)  # 5,000 reads: quadratic would take minutes
    start = time.perf_counter()
    assert excel_errors._scan(io.BytesIO(b"<row/>" * 3_500_000)) == []
    assert time.perf_counter() - start < 5


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
        (
            b"MIME-Version: 1.0\r\n",
            "a single-file web page (MHTML); open it in Excel and save it as .xlsx",
        ),
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


def test_a_table_nested_in_a_cell_is_a_table_of_its_own(tmp_path: Path) -> None:
    page = (
        "<html><body><table><tr><td>页眉<table><tr><th>工单编号</th><th>状态</th></tr>"
        "<tr><td>A1</td><td>已办结</td></tr></table></td></tr><tr><td>页脚</td></tr></table>"
    )
    path = tmp_path / "a.xls"
    path.write_bytes(page.encode())
    heads = dict(html.HtmlSource(path).heads())
    assert heads == {"表1": [["页眉"], ["页脚"]], "表2": [["工单编号", "状态"], ["A1", "已办结"]]}


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
X_SST = b'<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize(
    ("pieces", "limits", "message"),
    [
        ([SST, b' uniqueCount="3"><si><t>a</t></si><si/><si><t>b</t></si></sst>'], Limits(), None),
        # A prefixed part holds prefixed strings: 300,000 of them, declared exactly.
        (
            [
                X_SST,
                b' uniqueCount="300000">',
                b"".join(b"<x:si><x:t>%d</x:t></x:si>" % i for i in range(300_000)),
                b"</x:sst>",
            ],
            Limits(),
            None,
        ),
        # Writers that declare a little more than they hold are read.
        ([SST, b' uniqueCount="100001"><si><t>a</t></si></sst>'], Limits(), None),
        (
            [SST, b' uniqueCount="100003"><si><t>a</t></si></sst>'],
            Limits(),
            r"declares 100,003 unique strings but holds 1$",
        ),
        (
            [SST, b' count="5000" uniqueCount="1"><si><t>a</t></si></sst>'],
            Limits(cells=1000),
            r"5,000 shared strings the workbook declares \(xl/sharedStrings\.xml count\).*cells=N",
        ),
        # calamine reads the digits whatever surrounds them: so does the check.
        (
            [SST, b" uniqueCount=' +4000000000'><si><t>a</t></si></sst>"],
            Limits(),
            r"4,000,000,000 shared strings.*uniqueCount.*--limit cells=N",
        ),
    ],
)
def test_shared_strings_declared_are_checked_against_those_held(
    pieces: list[bytes], limits: Limits, message: str | None, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "s.xlsx",
        {"Sheet1": ['<row r="1"><c r="A1"><v>1</v></c></row>']},
        shared_strings=pieces,
    )
    if message is None:
        scan_workbook(path, "s.xlsx", limits)
    else:
        with pytest.raises(InputError, match=message):
            scan_workbook(path, "s.xlsx", limits)


def test_sheets_are_counted_before_the_workbook_part_is_parsed(tmp_path: Path) -> None:
    path = workbook(tmp_path / "m.xlsx", {f"表{i}": [] for i in range(12)})
    with pytest.raises(InputError, match=r"12 sheets in the workbook.*--limit sheets=N"):
        scan_workbook(path, "m.xlsx", Limits(sheets=11))
    assert len(scan_workbook(path, "m.xlsx", Limits(sheets=12)).sheets) == 12
