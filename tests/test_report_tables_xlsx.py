"""tables.xlsx as an analyst hands it on, read back with openpyxl.

Each data sheet: a title row, a 单位 row, a centred bold bordered header, counts as ``#,##0``
and rates as ``0.00%``, the group without a name below the named ones and split by why (the
split's counts add up to it), a 合计 row whose counts are the column sums and whose rates are
the metric's total (the report's ``total.*`` facts), printed landscape on A4, one page wide,
with the header repeated. The expected values come from the metrics and the facts, not from
the workbook code.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from conftest import shared_path
from hotline import load, metrics
from hotline.labels import LABELS, definitions_title, label
from hotline.metrics.definitions import PRESETS
from hotline.report import build_report
from hotline.report.tables import NUMBER_FORMATS, display_width, is_dangerous
from orders import frame

# The module fixtures build whole reports: the module runs on one xdist worker, which builds
# them once (spread over the workers, each would build them again).
pytestmark = pytest.mark.xdist_group("test_report_tables_xlsx")

LONG_NAME = "某某县城市管理综合行政执法局城区第一执法中队"
DANGEROUS_NAME = '=HYPERLINK("http://x","点我")'
#: Sheet -> (title, the dimension's key column header); the period is 2021 throughout.
SHEETS = {
    "按月": ("附表1 2021年各月受理办理情况", "月份"),
    "按承办单位": ("附表2 2021年各承办单位办理情况", "承办单位"),
    "按乡镇": ("附表3 2021年各乡镇（街道）办理情况", "乡镇/街道"),
    "按诉求类型": ("附表4 2021年各类诉求办理情况", "诉求类型"),
    "按业务分类": ("附表5 2021年各业务分类办理情况", "业务分类"),
}
#: Header -> the facts.json key of the year's figure the 合计 row must show.
TOTAL_FACTS = {
    "受理量": "total.accepted",
    "办结量": "total.closed",
    "办结率": "total.closure_rate",
    "按时办结率": "total.on_time_rate",
    "满意率": "total.satisfaction_rate",
    "直接答复": "total.direct",
}
RATE_HEADERS = {spec.zh for spec in metrics.RATES.values()}
COUNT_HEADERS = {"受理量", "办结量", "派单量", "直接答复", "按时办结", "超时办结", "有效评价"}


def order(i: int, **fields: Any) -> dict[str, Any]:
    received = dt.datetime(2021, 3 + i % 2, 1 + i % 20, 9)
    return {
        "order_id": f"T{i:04d}",
        "source_kind": "hotline",
        "received_at": received,
        "request_type": "complaint",
        "topic": "城乡建设",
        "town": "城关镇",
        "status": "closed",
        "dispatched_at": received + dt.timedelta(hours=1),
        "closed_at": received + dt.timedelta(days=2),
        "satisfaction": "satisfied" if i % 5 else "dissatisfied",
        **fields,
    }


def orders_without_units() -> pd.DataFrame:
    """Named units (one long, one formula-like) and three kinds of orders without a unit."""
    rows = [order(i, department="县住房和城乡建设局") for i in range(30)]
    rows += [order(i, department=LONG_NAME) for i in range(30, 55)]
    rows += [order(i, department=DANGEROUS_NAME) for i in range(55, 58)]
    rows += [  # answered on the call: no unit by design
        order(i, department=None, dispatched_at=None, status="answered_directly")
        for i in range(58, 65)
    ]
    rows += [  # online messages whose export names no unit, town, type or topic
        order(
            i,
            department=None,
            town=None,
            request_type=None,
            topic=None,
            source_kind="online",
            status="replied",
            satisfaction=None,
        )
        for i in range(65, 69)
    ]
    rows += [order(i, department=None) for i in range(69, 71)]  # dispatched, unit not recorded
    return frame(rows)


@pytest.fixture(scope="module")
def handbuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Path, dict]:
    data = orders_without_units()
    files = build_report(data, 2021, out=tmp_path_factory.mktemp("xlsx") / "2021")
    facts = json.loads(files.facts.read_text(encoding="utf-8"))["facts"]
    return data, files.tables, {f["key"]: f["value"] for f in facts}


@pytest.fixture(scope="module")
def sample_report(
    sample_county: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, Path, dict]:
    data = load(sample_county[1])
    files = build_report(data, 2021, out=tmp_path_factory.mktemp("xlsx-sample") / "2021")
    facts = json.loads(files.facts.read_text(encoding="utf-8"))["facts"]
    return data, files.tables, {f["key"]: f["value"] for f in facts}


# --- reading a table back ----------------------------------------------------------------------


def header_row(sheet: Worksheet) -> int:
    """The header is the first bordered row (title and 单位 rows have none)."""
    for row in sheet.iter_rows():
        if row[0].border.top.style == "thin":
            return int(row[0].row or 0)
    raise AssertionError(f"{sheet.title}: no bordered header")


def table(sheet: Worksheet) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Headers, and every row under them (groups, the unnamed group, its split, 合计)."""
    top = header_row(sheet)
    headers = [str(c.value) for c in sheet[top]]
    rows = [row for row in sheet.iter_rows(min_row=top + 1, values_only=True) if row[0]]
    return headers, rows


def is_split(row: tuple[Any, ...]) -> bool:
    return str(row[0]).startswith("其中：")


def column(headers: list[str], rows: list[tuple[Any, ...]], name: str) -> list[Any]:
    return [row[headers.index(name)] for row in rows]


def workbooks(request: pytest.FixtureRequest) -> tuple[Any, openpyxl.Workbook, dict]:
    data, path, facts = request.getfixturevalue(request.param)
    return data, openpyxl.load_workbook(path), facts


@pytest.fixture(params=["handbuilt", pytest.param("sample_report", marks=pytest.mark.slow)])
def report(request: pytest.FixtureRequest) -> tuple[Any, openpyxl.Workbook, dict]:
    return workbooks(request)


# --- every data sheet -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), SHEETS.items())
def test_title_unit_and_header(report: Any, name: str, expected: tuple[str, str]) -> None:
    _, workbook, _ = report
    sheet = workbook[name]
    title, key_header = expected
    assert sheet["A1"].value == title and sheet["A1"].font.b
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value.startswith("单位：件、%")
    assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
    top = header_row(sheet)
    assert top == 3 and sheet.cell(top, 1).value == key_header
    for cell in sheet[top]:
        assert cell.font.b and cell.alignment.horizontal == "center", (name, cell.coordinate)
        assert {cell.border.left.style, cell.border.bottom.style} == {"thin"}, cell.coordinate


@pytest.mark.parametrize("name", SHEETS)
def test_numbers_are_formatted_right_aligned_and_bordered(report: Any, name: str) -> None:
    _, workbook, _ = report
    sheet = workbook[name]
    top = header_row(sheet)
    headers = [c.value for c in sheet[top]]
    for row in sheet.iter_rows(min_row=top + 1):
        for header, cell in zip(headers, row, strict=True):
            assert cell.border.left.style == "thin", (name, cell.coordinate)
            if header in RATE_HEADERS:
                assert cell.number_format == NUMBER_FORMATS["rate"], cell.coordinate
            elif header in COUNT_HEADERS:
                assert cell.number_format == NUMBER_FORMATS["count"], cell.coordinate
            if isinstance(cell.value, int | float):
                assert cell.alignment.horizontal == "right", (name, cell.coordinate)


@pytest.mark.parametrize("name", SHEETS)
def test_total_row_sums_counts_and_states_the_total_rates(report: Any, name: str) -> None:
    _, workbook, facts = report
    headers, rows = table(workbook[name])
    *groups, total = [row for row in rows if not is_split(row)]
    assert (
        total[0] == "合计" and workbook[name].cell(header_row(workbook[name]) + len(rows), 1).font.b
    )
    for header in headers[1:]:
        if header in COUNT_HEADERS:
            assert total[headers.index(header)] == sum(
                v or 0 for v in column(headers, groups, header)
            ), (name, header)
    checked = [header for header, key in TOTAL_FACTS.items() if header in headers]
    for header in checked:  # rates: the metric's total as the report states it, not an average
        assert total[headers.index(header)] == facts[TOTAL_FACTS[header]], (name, header)
    assert len(checked) >= 5


@pytest.mark.parametrize("name", SHEETS)
def test_print_setup(report: Any, name: str) -> None:
    _, workbook, _ = report
    sheet = workbook[name]
    top = header_row(sheet)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth absent is OOXML's default, 1; fitToHeight 0: as many pages tall as it takes
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == f"${top}:${top}"
    assert sheet.freeze_panes == f"B{top + 1}"
    assert "&P" in sheet.oddFooter.center.text


@pytest.mark.parametrize("name", SHEETS)
def test_key_column_is_as_wide_as_its_longest_name(report: Any, name: str) -> None:
    _, workbook, _ = report
    sheet = workbook[name]
    _, rows = table(sheet)
    longest = max(display_width(str(row[0])) for row in rows)
    assert sheet.column_dimensions["A"].width >= longest


# --- the orders without a unit ------------------------------------------------------------------


def unnamed_rows(workbook: openpyxl.Workbook, sheet: str) -> tuple[tuple, dict[str, int]]:
    headers, rows = table(workbook[sheet])
    accepted = headers.index("受理量")
    first = next(i for i, row in enumerate(rows) if str(row[0]).startswith("未填"))
    split = {str(row[0]): row[accepted] for row in rows if is_split(row)}
    assert all(rows[first + 1 + i][0] in split for i in range(len(split)))  # right below it
    return rows[first], split


def test_orders_without_a_unit_are_split_by_why(handbuilt: Any) -> None:
    data, path, _ = handbuilt
    workbook = openpyxl.load_workbook(path)
    unnamed, split = unnamed_rows(workbook, "按承办单位")
    no_unit = data[data["department"].isna()]
    assert unnamed[0] == "未填承办单位" and unnamed[1] == len(no_unit)
    assert split == {
        "其中：直接答复，无承办单位": int((no_unit["status"] == "answered_directly").sum()),
        "其中：网络投诉（未填承办单位）": int((no_unit["source_kind"] == "online").sum()),
        "其中：未填写": int((no_unit["status"] == "closed").sum()),
    }
    ranked = [row[0] for row in table(workbook["按承办单位"])[1]]
    assert ranked.index(LONG_NAME) < ranked.index("未填承办单位")  # named units come first


@pytest.mark.parametrize("sheet", list(SHEETS)[1:])
def test_split_adds_up_to_the_unnamed_group(report: Any, sheet: str) -> None:
    _, workbook, _ = report
    headers, _ = table(workbook[sheet])
    unnamed, split = unnamed_rows(workbook, sheet)
    assert split and sum(split.values()) == unnamed[headers.index("受理量")]


@pytest.mark.slow
def test_sample_direct_answers_are_not_a_missing_unit(sample_report: Any) -> None:
    data, path, facts = sample_report
    _, split = unnamed_rows(openpyxl.load_workbook(path), "按承办单位")
    assert split["其中：直接答复，无承办单位"] == facts["total.direct"]
    online = metrics.summary(data, by=["department", "source_kind"], year=2021)
    online = online[online["department"].isna() & (online["source_kind"] == "online")]
    assert split["其中：网络投诉（未填承办单位）"] == int(online["accepted"].sum())


# --- the definitions sheet, safety, presets -----------------------------------------------------


def test_definitions_wrap_at_a_readable_width(handbuilt: Any) -> None:
    _, path, _ = handbuilt
    sheet = openpyxl.load_workbook(path)["口径与来源"]
    notes = [c for c in sheet["B"] if isinstance(c.value, str) and len(c.value) > 60]
    assert notes
    for cell in notes:
        assert cell.alignment.wrap_text, cell.coordinate
        assert (sheet.row_dimensions[cell.row].height or 0) > 15, cell.coordinate
    span = next(r for r in sheet.merged_cells.ranges if r.min_row == notes[0].row)
    width = sum(
        sheet.column_dimensions[chr(ord("A") + c - 1)].width
        for c in range(span.min_col, span.max_col + 1)
    )
    assert 70 <= width <= 120
    fit = sheet.sheet_properties.pageSetUpPr
    assert sheet.page_setup.fitToHeight == 0 and fit is not None and fit.fitToPage


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_has_a_chinese_name(preset: str, tmp_path: Path) -> None:
    name = definitions_title(preset)
    assert f"definitions.{preset}" in LABELS and name != preset
    assert any("\u4e00" <= ch <= "\u9fff" for ch in name), name
    files = build_report(orders_without_units(), 2021, out=tmp_path / "r", definitions=preset)
    cells = [c.value for row in openpyxl.load_workbook(files.tables)["口径与来源"] for c in row]
    assert cells[cells.index(label("item.definitions")) + 1] == name


def test_cells_are_formula_safe(handbuilt: Any) -> None:
    _, path, _ = handbuilt
    workbook = openpyxl.load_workbook(path)
    found = []
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str) and is_dangerous(cell.value):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                    found.append(cell.value)
    assert DANGEROUS_NAME in found


def test_bulletin_tables_name_the_month(tmp_path: Path) -> None:
    data = orders_without_units()
    files = build_report(data, 2021, month="2021-04", out=tmp_path / "2021-04")
    facts = {f["key"]: f["value"] for f in json.loads(files.facts.read_text("utf-8"))["facts"]}
    workbook = openpyxl.load_workbook(files.tables)
    assert workbook["按月"]["A1"].value == "附表1 2021年3—4月各月受理办理情况"
    assert workbook["按承办单位"]["A1"].value == "附表2 2021年4月各承办单位办理情况"
    headers, rows = table(workbook["按承办单位"])
    total = rows[-1]
    assert total[0] == "合计"
    assert total[headers.index("受理量")] == facts["total.accepted"]
    assert total[headers.index("办结率")] == facts["total.closure_rate"]
    months_headers, months = table(workbook["按月"])
    accepted = months_headers.index("受理量")
    assert months[-1][accepted] == sum(row[accepted] for row in months[:-1])
    assert months[-1][accepted] == metrics.volume(data, month=["2021-03", "2021-04"])


@pytest.mark.slow
def test_english_data_get_an_english_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline import ingest

    export = shared_path("data", "real", "nyc311-pyboot")
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    ingest([export], out=tmp_path / "processed", progress=False)
    data = load(tmp_path / "processed")
    files = build_report(data, 2022, out=tmp_path / "2022", definitions="us311")
    workbook = openpyxl.load_workbook(files.tables)
    assert workbook.sheetnames[:2] == [label("sheet.month", "en"), label("sheet.department", "en")]
    sheet = workbook[label("sheet.department", "en")]
    assert sheet["A1"].value == "Table A2. Requests by department, 2022"
    assert sheet["A2"].value.startswith("Unit: requests, %")
    headers, rows = table(sheet)
    assert headers[:2] == ["Agency", "Accepted"] and rows[-1][0] == "Total"
    assert rows[-1][1] == metrics.volume(data, year=2022)
    cells = [
        str(c.value)
        for name in workbook.sheetnames
        for row in workbook[name].iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert definitions_title("us311", "en") in cells
    chinese = [text for text in cells if any("\u4e00" <= ch <= "\u9fff" for ch in text)]
    assert chinese == []


def test_snapshot_times_are_written_as_a_reader_writes_them(
    sample_county: tuple[Path, Path],
) -> None:
    """No ISO time; a date taken from a file name is a date, and says where it came from."""
    import re

    from hotline import load
    from hotline.report.annual import annual_facts
    from hotline.report.tables import provenance

    data = load(sample_county[1])
    rules = {e["name"]: e["snapshot_rule"] for e in data.attrs["manifest"]["inputs"]}
    sources = provenance(annual_facts(data, 2021))[1]
    for row in sources.rows:
        text = row["snapshot_at"] or ""
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
        assert text.endswith("（据文件名）") is (rules[row["name"]] == "file name"), row
