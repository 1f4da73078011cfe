"""The annual report and monthly bulletin: numbers traced to metric calls, safe workbooks.

Every number of report.md and bulletin.md must be the text of a fact of facts.json, and every
fact is recomputed here, independently of :mod:`hotline.report.facts`, from the metric call its
query names. The only digits exempt (also listed in facts.json under ``exempt``): years and
months naming the period (2021年, 6月, 2021-06), the hotline's name 12345政务服务便民热线,
Markdown image lines and the numbers of figures and tables (图1, 表2); in a table, a count may be
written as a whole number (its unit is in the 单位 line). Ranks, weights, band floors, time
limits and the minimum volume are facts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import PIL.Image
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from hotline import load, metrics
from hotline.errors import HotlineError
from hotline.report import build as build_module
from hotline.report import build_report, month_key
from hotline.report.facts import TEXT_KINDS
from hotline.report.numbers import (
    MISSING,
    change_text,
    count_text,
    format_value,
    month_text,
    percent_text,
    pp_text,
    request_type_text,
    score_text,
)
from hotline.report.tables import DIMENSION_SHEETS, display_width, is_dangerous
from orders import frame

# The module fixtures build whole reports: the module runs on one xdist worker, which builds
# them once (spread over the workers, each would build them again).
pytestmark = pytest.mark.xdist_group("test_report")

DATA_SHEETS = ["按月", *DIMENSION_SHEETS]
ALL_SHEETS = [*DATA_SHEETS, "口径与来源"]
RATE_HEADERS = {spec.zh for spec in metrics.RATES.values()}

# --- traceability --------------------------------------------------------------------------

EXEMPT = (
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # image lines: chart titles and file names
    re.compile(r"12345政务服务便民热线"),  # the hotline's name
    re.compile(r"\d{4}年"),  # years naming the period
    re.compile(r"\d{1,2}月"),  # months naming the period
    re.compile(r"\d{4}-\d{2}"),  # month keys
    re.compile(r"[图表]\d+"),  # figure and table numbers
)
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:万|亿)?(?:个百分点|个工作日|件|个|%|分)?")


def untraced_numbers(text: str, facts: list[dict[str, Any]]) -> tuple[list[str], int]:
    """Numbers of ``text`` that are no fact's text; and how many numbers were traced.

    A Markdown table row (a line starting ``|``) may also write a count fact as a whole number.
    """
    for fact in sorted(facts, key=lambda f: -len(f["text"])):
        if fact["kind"] in TEXT_KINDS:  # names and dates: remove them as written
            text = text.replace(fact["text"], " ")
    for pattern in EXEMPT:
        text = pattern.sub(" ", text)
    allowed = {
        token for f in facts if f["kind"] not in TEXT_KINDS for token in NUMBER.findall(f["text"])
    }
    counts = {str(f["value"]) for f in facts if f["kind"] == "count" and f["value"] is not None}
    untraced, traced = [], 0
    for line in text.splitlines():
        in_table = line.startswith("|")
        tokens = NUMBER.findall(line)
        traced += len(tokens)
        untraced += [t for t in tokens if t not in allowed and not (in_table and t in counts)]
    return untraced, traced


def _pick(result: Any, query: dict[str, Any]) -> Any:
    """The value a query names, picked out of a metric result without the report's code."""
    if query["attrs"]:
        value = result if query["function"] == "definitions" else result.attrs
        for step in query["attrs"]:
            value = value[step]
        return len(value) if query["measure"] == "len" else value
    if result is None or isinstance(result, metrics.Rate):
        return None if result is None else result.value
    table = result.reset_index() if result.index.name else result
    for column, wanted in query["where"].items():
        table = table[table[column].isna() if wanted is None else table[column] == wanted]
    for column in query["present"]:
        table = table[table[column].notna()]
    if query["order_by"]:
        table = table.sort_values(
            query["order_by"], ascending=query["ascending"], kind="stable", na_position="last"
        )
    if query["measure"] == "rows":
        return len(table)
    if query["position"] is None:
        assert len(table) == 1, query
        row = table.iloc[0]
    else:
        row = table.iloc[query["position"]]
    value = row[query["column"]]
    if isinstance(value, metrics.Rate):
        return value.value
    return None if pd.isna(value) else value


def recompute(fact: dict[str, Any], data: Any, definitions: Any, cache: dict) -> Any:
    """A fact's value from its metric call(s)."""

    def run(query: dict[str, Any]) -> Any:
        key = json.dumps([query["function"], query["kwargs"]], sort_keys=True)
        if key not in cache:
            if query["function"] == "definitions":
                cache[key] = definitions.describe()
            else:
                call = getattr(metrics, query["function"])
                cache[key] = call(data, definitions=definitions, **query["kwargs"])
        return _pick(cache[key], query)

    value = run(fact["query"])
    if fact["op"] is None:
        return value
    base = run(fact["base"])
    if value is None or base is None:
        return None
    if fact["op"] == "share":
        return value / base if base else None
    if fact["op"] == "change":
        return value / base - 1 if base else None
    if fact["op"] == "pp":
        return (value - base) * 100
    return value - base


def assert_recomputed(facts: list[dict[str, Any]], data: Any, definitions: Any = None) -> None:
    definitions = metrics.preset("default") if definitions is None else definitions
    cache: dict = {}
    for fact in facts:
        value = recompute(fact, data, definitions, cache)
        if value is None or fact["value"] is None:
            assert value is None and fact["value"] is None, fact["key"]
        elif isinstance(value, str):
            assert value == fact["value"], fact["key"]
        else:
            assert math.isclose(float(value), float(fact["value"]), rel_tol=1e-12), fact["key"]
        assert format_value(fact["kind"], value) == fact["text"], fact["key"]


def read_facts(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["facts"]


def fact_text(facts: list[dict[str, Any]], key: str) -> str:
    return next(f["text"] for f in facts if f["key"] == key)


# --- number formatting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formatter", "value", "expected"),
    [
        (count_text, 0, "0件"),
        (count_text, 9383, "9383件"),
        (count_text, 9999, "9999件"),
        (count_text, 10000, "1万件"),
        (count_text, 11000, "1.1万件"),
        (count_text, 123456, "12.35万件"),
        (count_text, 99_999_999, "1亿件"),
        (count_text, 150_000_000, "1.5亿件"),
        (count_text, None, MISSING),
        (count_text, float("nan"), MISSING),
        (percent_text, 9268 / 9383, "98.77%"),
        (percent_text, 1.0, "100.00%"),
        (percent_text, 0.0, "0.00%"),  # a real zero is a zero
        (percent_text, float("nan"), MISSING),  # a missing rate is not
        (percent_text, None, MISSING),
        (percent_text, pd.NA, MISSING),
        (pp_text, 1.2, "上升1.2个百分点"),
        (pp_text, -13.0215, "下降13.02个百分点"),
        (pp_text, 0.004, "持平"),
        (pp_text, float("nan"), MISSING),
        (change_text, 0.105797, "增长10.58%"),
        (change_text, -0.2277904, "下降22.78%"),
        (change_text, 0.0, "持平"),
        (change_text, None, MISSING),
        (score_text, 96.5, "96.50分"),
        (month_text, "2021-08", "8月"),
        (request_type_text, "consultation", "咨询"),
        (request_type_text, None, "未标注诉求类型"),
    ],
)
def test_number_formats(formatter: Any, value: Any, expected: str) -> None:
    assert formatter(value) == expected


def test_missing_is_not_a_number() -> None:
    assert not any(ch.isdigit() for ch in MISSING) and "%" not in MISSING


@given(st.integers(min_value=0, max_value=10**12))
@example(95_450)  # exactly half a hundredth of 万
def test_counts_round_to_two_decimals_of_their_unit(n: int) -> None:
    text = count_text(n)
    assert text.endswith("件")
    if n < 10_000:
        assert text == f"{n}件"
    else:
        number, unit = re.fullmatch(r"([\d.]+)(万|亿)件", text).groups()
        scale = 10_000 if unit == "万" else 100_000_000
        # Exact arithmetic: at a half (95450 = 9.545万) float error would exceed the bound.
        assert abs(Decimal(number) * scale - n) <= Decimal("0.005") * scale


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_percentages_round_trip(value: float) -> None:
    assert abs(float(percent_text(value)[:-1]) / 100 - value) <= 0.00005 + 1e-12


@pytest.mark.parametrize(
    ("text", "dangerous"),
    [
        ("=cmd|'/c calc'!A1", True),
        ("+SUM(A1:A2)", True),
        ("-2+3", True),
        ("@SUM(1)", True),
        ("\t=1+1", True),
        ("\r=1+1", True),
        ("县教育局", False),
        ("1号楼", False),
        ("", False),
    ],
)
def test_formula_prefixes(text: str, dangerous: bool) -> None:
    assert is_dangerous(text) is dangerous


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("县教育局", 8), ("Ａ1", 3), ("", 0)])
def test_display_width_counts_cjk_double(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("month", "expected"), [("2021-06", "2021-06"), ("2021-6", "2021-06"), (" 2021-12 ", "2021-12")]
)
def test_month_keys(month: str, expected: str) -> None:
    assert month_key(month, 2021) == expected


@pytest.mark.parametrize("month", ["2021/06", "2021-13", "2021-00", "June", "2020-06"])
def test_bad_month_keys(month: str) -> None:
    with pytest.raises(HotlineError, match="月份"):
        month_key(month, 2021)


# --- hand-built data -----------------------------------------------------------------------

MALICIOUS = {
    "department": ["=cmd|'/c calc'!A1", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"],
    "town": ['=HYPERLINK("http://x","y")', "城关街道"],
    "topic": ["@教育", "-供暖"],
}


def order(i: int, when: str, **fields: Any) -> dict[str, Any]:
    received = dt.datetime.fromisoformat(when)
    row = {
        "order_id": f"O{i}",
        "source_kind": "hotline",
        "received_at": received,
        "dispatched_at": received + dt.timedelta(hours=1),
        "status": "closed",
        "closed_at": received + dt.timedelta(days=1),
        "request_type": "complaint",
        "topic": "教育",
        "town": "城关街道",
        "department": "县教育局",
        "satisfaction": "satisfied",
    }
    row.update(fields)
    return row


def handbuilt() -> pd.DataFrame:
    """March and April 2021: hotline orders under malicious unit names, unevaluated online."""
    rows = []
    for i in range(40):
        rows.append(
            order(
                i,
                f"2021-0{3 + i % 2}-0{1 + i % 5} 09:00",
                department=MALICIOUS["department"][i % 6] if i < 12 else "县教育局",
                town=MALICIOUS["town"][i % 2],
                topic=MALICIOUS["topic"][i % 2],
                status="closed" if i % 10 else "in_progress",
                closed_at=None if i % 10 == 0 else dt.datetime(2021, 3 + i % 2, 9, 9),
                satisfaction="dissatisfied" if i % 7 == 0 else "satisfied",
            )
        )
    for i in range(40, 46):  # online messages: replied, never evaluated
        rows.append(
            order(
                i,
                "2021-04-06 10:00",
                source_kind="online",
                status="replied",
                satisfaction=None,
                request_type=None,
                department="县教育局",
            )
        )
    return frame(rows)


def fake_charts(folder: Path) -> dict[str, Path]:
    path = folder / "monthly_trend.png"
    PIL.Image.new("RGB", (160, 100), "white").save(path)  # Word needs a real image
    return {"monthly_trend": path}


@pytest.fixture(scope="module")
def handbuilt_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Any]:
    data = handbuilt()
    files = build_report(
        data, 2021, out=tmp_path_factory.mktemp("handbuilt") / "2021", charts=fake_charts
    )
    return data, files


def test_handbuilt_report_is_traceable(handbuilt_report: tuple[pd.DataFrame, Any]) -> None:
    data, files = handbuilt_report
    facts = read_facts(files.facts)
    assert_recomputed(facts, data)
    untraced, traced = untraced_numbers(files.text.read_text(encoding="utf-8"), facts)
    assert untraced == [] and traced > 20


def test_missing_rates_are_said_not_zeroed(handbuilt_report: tuple[pd.DataFrame, Any]) -> None:
    data, files = handbuilt_report
    text = files.text.read_text(encoding="utf-8")
    online = metrics.satisfaction_rate(data, year=2021, source_kind="online")
    assert online is None or online.value is None  # no evaluations: no rate
    assert "网络投诉数据中没有满意度评价结果，满意率无法计算" in text
    assert MISSING not in text
    hotline_rate = metrics.satisfaction_rate(data, year=2021, source_kind="hotline")
    assert f"群众话务诉求满意率{hotline_rate.percent()}" in text


def test_workbook_writes_malicious_names_as_text(
    handbuilt_report: tuple[pd.DataFrame, Any],
) -> None:
    _, files = handbuilt_report
    workbook = openpyxl.load_workbook(files.tables)
    assert workbook.sheetnames == ALL_SHEETS
    found = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    # openpyxl leaves OOXML's escape of a carriage return (_x000D_) as written
                    found[unescape(cell.value)] = cell
    for names in MALICIOUS.values():
        for name in names:
            assert name in found, name
            cell = found[name]
            assert cell.data_type == "s" and cell.quotePrefix is is_dangerous(name), name


def test_workbook_layout(handbuilt_report: tuple[pd.DataFrame, Any]) -> None:
    data, files = handbuilt_report
    workbook = openpyxl.load_workbook(files.tables)
    for name in DATA_SHEETS:
        sheet = workbook[name]  # title, 单位, header: the groups start on row 4
        assert sheet.freeze_panes == "B4" and sheet.auto_filter.ref, name
        headers = [cell.value for cell in sheet[3]]
        rate_columns = [i for i, h in enumerate(headers) if h in RATE_HEADERS]
        count_columns = [i for i, h in enumerate(headers) if h in ("受理量", "办结量")]
        assert rate_columns and count_columns, name
        for row in sheet.iter_rows(min_row=4):
            assert all(row[i].number_format == "0.00%" for i in rate_columns), name
            assert all(row[i].number_format == "#,##0" for i in count_columns), name
        assert sheet.column_dimensions["A"].width >= 8
    months = workbook["按月"]
    accepted = [row[1].value for row in months.iter_rows(min_row=4) if row[0].value != "合计"]
    assert sum(accepted) == metrics.volume(data, year=2021)


def test_chart_section_links_the_figures(handbuilt_report: tuple[pd.DataFrame, Any]) -> None:
    _, files = handbuilt_report
    assert files.figures["monthly_trend"].is_file()
    assert "](figures/monthly_trend.png)" in files.text.read_text(encoding="utf-8")


def test_no_charts_no_chart_section(tmp_path: Path) -> None:
    files = build_report(handbuilt(), 2021, out=tmp_path / "r")
    assert "附图" not in files.text.read_text(encoding="utf-8") and files.figures == {}


def test_empty_year_names_the_years_present(tmp_path: Path) -> None:
    with pytest.raises(HotlineError, match=r"2020年.*2021年"):
        build_report(handbuilt(), 2020, out=tmp_path / "2020")
    assert not (tmp_path / "2020").exists()


def test_empty_month_names_the_months_present(tmp_path: Path) -> None:
    with pytest.raises(HotlineError, match=r"2021-07.*2021-03、2021-04"):
        build_report(handbuilt(), 2021, month="2021-07", out=tmp_path / "b")


def test_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(HotlineError, match="不是报告文件夹"):
        build_report(handbuilt(), 2021, out=tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_failure_midway_leaves_no_partial_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, sheets: Any) -> Path:
        path.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    data, reports = handbuilt(), tmp_path / "reports"
    previous = build_report(data, 2021, out=reports / "2021")
    before = previous.text.read_text(encoding="utf-8")
    monkeypatch.setattr(build_module, "write_workbook", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        build_report(data, 2021, out=reports / "fresh")
    with pytest.raises(RuntimeError, match="disk full"):
        build_report(data, 2021, out=reports / "2021")
    assert sorted(p.name for p in reports.iterdir()) == ["2021"]  # no staging, no "fresh"
    assert previous.text.read_text(encoding="utf-8") == before
    assert openpyxl.load_workbook(previous.tables).sheetnames == ALL_SHEETS


def test_rebuilding_a_year_keeps_its_bulletins(tmp_path: Path) -> None:
    data = handbuilt()
    build_report(data, 2021, out=tmp_path / "2021")
    bulletin = build_report(data, 2021, month="2021-04", out=tmp_path / "2021" / "2021-04")
    build_report(data, 2021, out=tmp_path / "2021")
    assert bulletin.text.is_file() and (tmp_path / "2021" / "report.md").is_file()


def test_default_folders_under_reports_dir(isolated_project: Path) -> None:
    data = handbuilt()
    bulletin = build_report(data, 2021, month="2021-4")  # a bulletin before the annual report
    annual = build_report(data, 2021)
    assert annual.folder == isolated_project / "reports" / "2021"
    assert bulletin.folder == isolated_project / "reports" / "2021" / "2021-04"
    assert bulletin.text.name == "bulletin.md" and bulletin.text.is_file()


def test_minimal_export_says_what_it_lacks(tmp_path: Path) -> None:
    data = frame([order(i, "2021-03-01 09:00", department=None, town=None, topic=None,
                        request_type=None, satisfaction=None) for i in range(5)])  # fmt: skip
    files = build_report(data, 2021, out=tmp_path / "2021")
    text = files.text.read_text(encoding="utf-8")
    for sentence in (
        "数据不足两个月，不作月度走势分析",
        "导出中没有满意度评价，满意率无法计算",
        "数据中没有业务分类信息",
        "承办单位：数据中没有承办单位信息",
        "乡镇/街道：数据中没有乡镇/街道信息",
    ):
        assert sentence in text
    facts = read_facts(files.facts)
    assert_recomputed(facts, data)
    assert untraced_numbers(text, facts)[0] == []


def test_year_on_year_when_the_year_before_is_there(tmp_path: Path) -> None:
    # two whole years, each above the minimum base of a comparison
    before = pd.date_range("2020-01-01 09:00", "2020-12-31 09:00", periods=40)
    now = pd.date_range("2021-01-01 09:00", "2021-12-31 09:00", periods=60)
    rows = [order(i, str(when)) for i, when in enumerate(before)]
    rows += [
        order(40 + i, str(when), **({"status": "received", "closed_at": None} if i % 6 else {}))
        for i, when in enumerate(now)
    ]
    data = frame(rows)
    files = build_report(data, 2021, out=tmp_path / "2021")
    text = files.text.read_text(encoding="utf-8")
    now = metrics.headline(data, year=2021).loc["total"]
    before = metrics.headline(data, year=2020).loc["total"]
    change = now["accepted"] / before["accepted"] - 1
    points = (now["closure_rate"].value - before["closure_rate"].value) * 100
    assert f"受理量同比{change_text(change)}" in text
    assert f"办结率同比{pp_text(points)}" in text
    facts = read_facts(files.facts)
    assert_recomputed(facts, data)
    assert untraced_numbers(text, facts)[0] == []


def test_bulletin_compares_with_the_month_before(tmp_path: Path) -> None:
    # both months wholly covered (an order on the last evening of each), bases above 10
    ends = [order(90, "2021-03-31 20:00"), order(91, "2021-04-30 20:00")]
    data = pd.concat([handbuilt(), frame(ends)], ignore_index=True)
    definitions = metrics.preset("default").replace(min_change_base=10)
    files = build_report(data, 2021, month="2021-04", out=tmp_path / "b", definitions=definitions)
    text = files.text.read_text(encoding="utf-8")
    april, march = metrics.volume(data, month="2021-04"), metrics.volume(data, month="2021-03")
    closure = (
        metrics.closure_rate(data, month="2021-04").value
        - metrics.closure_rate(data, month="2021-03").value
    ) * 100
    assert f"与上月（3月）相比，受理量{change_text(april / march - 1)}" in text
    assert f"办结率{pp_text(closure)}" in text
    ranking = metrics.rank_units(data, "department", month="2021-04")
    lines = text.splitlines()
    headers = [lines[i - 1] for i, line in enumerate(lines) if line.startswith("|--")]
    rows = [line for line in lines if line.startswith("| ") and line not in headers]
    assert len(rows) == len(ranking)  # one row per unit, ranked or not
    assert len(headers) == int(ranking["rank"].notna().any()) + int(ranking["rank"].isna().any())
    facts = read_facts(files.facts)
    assert_recomputed(facts, data, definitions)
    assert untraced_numbers(text, facts)[0] == []


def test_bulletin_withholds_the_change_from_a_partial_month(tmp_path: Path) -> None:
    data = handbuilt()  # April's data stop on the 6th
    text = build_report(data, 2021, month="2021-04", out=tmp_path / "b").text
    assert "本月数据不完整，不作环比比较" in text.read_text(encoding="utf-8")


def test_first_month_has_no_month_on_month(tmp_path: Path) -> None:
    files = build_report(handbuilt(), 2021, month="2021-03", out=tmp_path / "b")
    assert "数据中没有上月的工单，无法计算环比" in files.text.read_text(encoding="utf-8")


# --- the sample county ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


@pytest.fixture(scope="module")
def annual(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build_report(load(sample), 2021, out=tmp_path_factory.mktemp("annual") / "2021")


@pytest.fixture(scope="module")
def bulletin(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("bulletin") / "2021-06"
    return build_report(load(sample), 2021, month="2021-06", out=out)


@pytest.mark.slow
def test_sample_report_states_the_headline(sample: Path, annual: Any) -> None:
    text = annual.text.read_text(encoding="utf-8")
    headline = metrics.headline(load(sample), year=2021)
    for kind, phrase in (("hotline", "群众话务诉求"), ("online", "网络投诉")):
        row = headline.loc[kind]
        assert (
            f"受理{phrase}{count_text(row['accepted'])}，办结{count_text(row['closed'])}，"
            f"办结率{row['closure_rate'].percent()}"
        ) in text
    assert "[^closure_rate]: 办结率 = 办结件数 / 受理件数" in text


@pytest.mark.slow
def test_sample_report_numbers_are_all_facts(sample: Path, annual: Any) -> None:
    facts = read_facts(annual.facts)
    assert_recomputed(facts, load(sample))
    untraced, traced = untraced_numbers(annual.text.read_text(encoding="utf-8"), facts)
    assert untraced == [] and traced > 60


@pytest.mark.slow
def test_sample_report_says_how_many_units_were_not_ranked(sample: Path, annual: Any) -> None:
    text = annual.text.read_text(encoding="utf-8")
    for unit, label in (("department", "承办单位"), ("town", "乡镇/街道")):
        ranking = metrics.rank_units(load(sample), unit, year=2021)
        ranked, unranked = int(ranking["rank"].notna().sum()), int(ranking["rank"].isna().sum())
        assert f"{label}：参加排名的{ranked}个" in text
        if unranked:
            assert f"另有{unranked}个{label}未达到参评条件" in text
        else:
            assert f"所有{label}均参加排名" in text


@pytest.mark.slow
def test_sample_workbook(sample: Path, annual: Any) -> None:
    workbook = openpyxl.load_workbook(annual.tables)
    assert workbook.sheetnames == ALL_SHEETS
    assert not [
        c.coordinate for sheet in workbook for row in sheet.iter_rows() for c in row
        if c.data_type == "f"
    ]  # fmt: skip
    departments = workbook["按承办单位"]  # groups from row 4; 其中 rows split one, 合计 sums
    accepted = [
        row[1].value
        for row in departments.iter_rows(min_row=4)
        if not str(row[0].value).startswith(("其中：", "合计"))
    ]
    assert sum(accepted) == metrics.volume(load(sample), year=2021)
    provenance = [str(c.value) for row in workbook["口径与来源"].iter_rows() for c in row]
    manifest = load(sample).attrs["manifest"]
    for entry in manifest["inputs"]:
        assert entry["name"] in provenance and entry["sha256"][:12] in provenance


@pytest.mark.slow
def test_sample_bulletin(sample: Path, bulletin: Any) -> None:
    data = load(sample)
    text = bulletin.text.read_text(encoding="utf-8")
    facts = read_facts(bulletin.facts)
    assert_recomputed(facts, data)
    untraced, traced = untraced_numbers(text, facts)
    assert untraced == [] and traced > 100
    june, may = metrics.volume(data, month="2021-06"), metrics.volume(data, month="2021-05")
    assert f"受理量{change_text(june / may - 1)}" in text
    ranking = metrics.rank_units(data, "department", month="2021-06")
    best = ranking.iloc[0]
    assert f"| 1 | {best['department']} | {best['accepted']} |" in text
    assert openpyxl.load_workbook(bulletin.tables).sheetnames == ALL_SHEETS


@pytest.mark.slow
def test_duckdb_engine_states_the_same_facts(sample: Path, annual: Any, tmp_path: Path) -> None:
    from_path = build_report(sample, 2021, out=tmp_path / "2021")
    assert from_path.text.read_text(encoding="utf-8") == annual.text.read_text(encoding="utf-8")
    assert [f["text"] for f in read_facts(from_path.facts)] == [
        f["text"] for f in read_facts(annual.facts)
    ]


@pytest.mark.parametrize(
    ("units_in_april", "idle"), [(["甲局", "乙局"], 1), (["甲局", "乙局", "丙局"], 0)]
)
def test_a_unit_without_orders_this_month_is_still_counted(
    units_in_april: list[str], idle: int
) -> None:
    """Ranked + unranked + idle = every unit the data know, so none goes unmentioned."""
    from hotline.report.bulletin import bulletin_document, bulletin_facts
    from hotline.report.document import plain_text

    march = unit_orders(["甲局", "乙局", "丙局"], "2021-03-03")
    sheet = bulletin_facts(frame(march + unit_orders(units_in_april, "2021-04-06")), "2021-04")
    counted = sum(sheet[f"department.{k}"].value for k in ("ranked", "unranked", "idle"))
    assert counted == 3 and sheet["department.idle"].value == idle
    text = "".join(
        plain_text(getattr(b, "text", "")) for b in bulletin_document(sheet, "2021-04").blocks
    )
    assert ("此外，数据中还有1个承办单位本月没有受理工单" in text) is bool(idle)


@pytest.mark.parametrize(
    ("april", "unranked"), [(["甲局", "甲局", "乙局", "丙局"], 2), (["甲", "甲", "乙", "乙"], 0)]
)
def test_the_english_ranking_says_all_were_ranked_only_when_all_were(
    april: list[str], unranked: int
) -> None:
    from hotline.metrics import preset
    from hotline.report.bulletin import bulletin_facts

    rows = unit_orders(april, "2021-04-06")
    sheet = bulletin_facts(frame(rows), "2021-04", preset("default").replace(min_volume=2))
    assert sheet["department.unranked"].value == unranked and sheet["department.ranked"].value
    english = ranking_paragraphs_en(sheet)
    assert ("did not qualify" in english) is bool(unranked)
    assert ("All were ranked" in english) is not bool(unranked)


def ranking_paragraphs_en(sheet: Any) -> str:
    """The English ranking sentence of a sheet's departments."""
    from hotline.report.english import _Writer

    write = _Writer(sheet)
    return " ".join(write.ranking(unit) for unit in ("department",))


def test_a_month_without_requests_is_never_a_peak_or_the_low() -> None:
    """Receipts in Jan, Mar and Dec only: the empty months are said apart, not ranked."""
    from hotline.report.annual import annual_facts

    counts = {"2021-01-05": 3, "2021-03-03": 1, "2021-12-28": 2}
    rows = [
        {"order_id": f"{day}-{i}", "source_kind": "hotline", "received_at": f"{day} 09:00",
         "status": "closed"}
        for day, n in counts.items() for i in range(n)
    ]  # fmt: skip
    sheet = annual_facts(frame(rows), 2021)
    peaks = [
        sheet[f"trend.peak.{i}.month"].text for i in range(3) if f"trend.peak.{i}.month" in sheet
    ]
    assert peaks == ["1月", "12月"] and sheet["trend.low.month"].text == "3月"


@pytest.mark.parametrize("preset_name", sorted(metrics.PRESETS))
def test_still_open_is_what_the_reader_subtracts_under_every_preset(preset_name: str) -> None:
    """受理 − 办结 of the text, whatever base the preset's 办结率 takes (beijing: dispatched)."""
    from hotline.plotting.charts.trend import pending_counts
    from hotline.report.annual import annual_facts

    data = handbuilt()
    sheet = annual_facts(data, 2021, preset_name)
    row = metrics.summary(data, year=2021, definitions=preset_name).iloc[0]
    assert sheet["total.open"].value == row["closure_known"] - row["closed"]
    if "trend.closure_low.month" in sheet:  # the month's open orders, as its chart counts them
        trend = metrics.monthly_trend(data, year=2021, definitions=preset_name)
        month = trend[trend["month"] == sheet["trend.closure_low.month"].value]
        chart = int(pending_counts(month).iloc[0]) + int(month["open_overdue"].fillna(0).iloc[0])
        assert sheet["trend.closure_low.open"].value == chart


def test_units_that_all_score_alike_have_no_lowest_named() -> None:
    from hotline.report.annual import annual_facts
    from hotline.report.narrative import ranking_paragraph

    sheet = annual_facts(frame(unit_orders(["甲局", "乙局", "丙局", "丁局", "戊局"] * 20)), 2021)
    assert sheet["department.ranked"].value == 5
    text = ranking_paragraph(sheet, "department")
    assert "较高的是" in text and "较低的是" not in text


def unit_orders(units: list[str], day: str = "2021-03-03") -> list[dict[str, Any]]:
    """One closed hotline order of ``day`` per entry of ``units``, handled by that unit."""
    return [
        {"order_id": f"{day}-{i}", "source_kind": "hotline", "received_at": f"{day} 09:00",
         "status": "closed", "department": unit}
        for i, unit in enumerate(units)
    ]  # fmt: skip
