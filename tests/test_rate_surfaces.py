"""What ``hotline report`` writes: every displayed rate is the Rate the metric returned.

The sibling of ``test_every_displayed_rate_is_the_metric_s_rate`` (tests/test_cli_outputs.py),
for the report's outputs: report.md (every rate its prose and tables state), report.docx (read
back with python-docx), tables.xlsx (each rate cell as the number and as its format shows it),
facts.json and the charts (the rates drawn as labels, bar lengths and the overall line). Each
preset's report is built once, as ``hotline report --preset`` builds it, and each rate shown is
compared, as a :class:`~test_cli_outputs.Shown`, with :func:`hotline.metrics.rate` for the same
group: the whole year, each source kind, the months of :data:`~test_cli_outputs.MONTHS` (and
any month the text names), and the first and last unit of each breakdown.

A surface that recomputes a rate from counts shows another value wherever the preset's
numerator or denominator is not the counts beside it (办结率 over dispatched orders under
``beijing``, 满意率 over closed orders under ``strict``): the comparison fails there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import matplotlib.pyplot as plt
import openpyxl
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from hotline import schema
from hotline.labels import label
from hotline.metrics import PRESETS, headline
from hotline.metrics import rate as metric_rate
from hotline.metrics.declarations import active
from hotline.plotting import annual_charts
from hotline.plotting.charts.numbers import PERCENT_DIGITS
from hotline.report import build_report
from hotline.report.build import ReportFiles
from hotline.report.headers import column_header
from hotline.report.narrative import SOURCE_PHRASES
from hotline.report.numbers import MISSING
from hotline.report.tables import DIMENSION_SHEETS
from test_cli_outputs import MONTHS, YEAR, Group, Shown, disagreements
from test_report_tables_xlsx import header_row

pytestmark = pytest.mark.slow

#: Rate key -> its Chinese name, longest first: 按时办结率 before 办结率, 不满意率 before 满意率.
RATE_NAMES = dict(
    sorted(((spec.zh, key) for key, spec in active().rates.items()), key=lambda n: -len(n[0]))
)
_NAME = "|".join(map(re.escape, RATE_NAMES))
_PERCENT = r"\d+(?:\.\d+)?%"
#: ``办结率98.53%``, ``办结率最低的是12月（85.29%）``, ``办结率无法计算（…）``.
_STATED = re.compile(
    rf"(?P<name>{_NAME})(?:最[高低]的是)?(?:(?P<month>\d{{1,2}})月（)?"
    rf"(?P<value>{_PERCENT}|无法计算)"
)
#: Percentages that are no rate: shares (占37.02%) and changes (环比增长31.01%).
_NOT_A_RATE = re.compile(rf"(?:占|增长|下降|增加|减少){_PERCENT}")
#: A source kind as the prose names it -> its code (群众话务诉求, 话务诉求中, 网络投诉).
_KIND_WORDS = {
    **{schema.SOURCE_KIND.label(code): code for code in schema.SOURCE_KIND.codes},
    **{phrase: code for code, phrase in SOURCE_PHRASES.items()},
    SOURCE_PHRASES["hotline"].removeprefix("群众"): "hotline",
}
_KIND = re.compile("|".join(map(re.escape, sorted(_KIND_WORDS, key=len, reverse=True))))
_MONTH_NAMES = {label(f"month.{m}"): f"{YEAR}-{m:02d}" for m in range(1, 13)}
#: A chart's rate label: ``98.7%（7,718/7,833）``, after the rate's name on the funnel.
_CHART_RATE = re.compile(
    rf"(?:(?P<name>{_NAME}) )?(?P<value>{_PERCENT}|—)(?:（(?P<top>[\d,]+)/(?P<bottom>[\d,]+)）)?"
)


@dataclass(frozen=True)
class Built:
    """A preset's report, built once: its files and its charts."""

    preset: str
    dataset: Path
    files: ReportFiles
    figures: dict[str, Figure]


#: An output of the report: the preset's report -> the rates it shows.
Surface = Callable[[Built], list[Shown]]


# One xdist group per preset: the worker that runs a preset's tests builds its report once.
@pytest.fixture(
    scope="module",
    params=[pytest.param(p, marks=pytest.mark.xdist_group(f"rates-{p}")) for p in sorted(PRESETS)],
)
def built(
    request: pytest.FixtureRequest,
    sample_county: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Built]:
    """The sample county's 2021 report under one preset, with the charts ``hotline report``
    draws (the same ``definitions`` and dataset; drawn, not saved: their labels are read)."""
    preset, dataset = request.param, sample_county[1]
    out = tmp_path_factory.mktemp(f"rates-{preset}") / str(YEAR)
    files = build_report(dataset, YEAR, out=out, definitions=preset)
    figures = annual_charts(dataset, YEAR, definitions=preset)
    yield Built(preset, dataset, files, figures)
    for figure in figures.values():
        plt.close(figure)


# --- report.md and report.docx: the prose and its tables ---------------------------------------


def _shown_text(value: str) -> str:
    """A rate's text as the comparison writes it: the output's word for no value is ``—``."""
    return "—" if value in ("无法计算", MISSING, "") else value


def prose_rates(surface: str, paragraph: str) -> tuple[list[Shown], list[str]]:
    """The rates a paragraph states, and its percentages the test cannot attribute.

    A rate's group is the source kind named last before it in its sentence (else the whole
    year), or the month it is stated of (``12月（85.29%）``).

    Example:
        >>> shown, unread = prose_rates("md", "其中，受理网络投诉192件，办结率94.79%。占5%，共7%。")
        >>> [(s.group, s.key, s.text) for s in shown], unread
        ([((('source_kind', 'online'),), 'closure_rate', '94.79%')], ['7%'])
    """
    found = [
        Shown(surface, group, RATE_NAMES[match["name"]], text=_shown_text(match["value"]))
        for group, match, _ in _statements(paragraph)
    ]
    rest = _NOT_A_RATE.sub(" ", _STATED.sub(" ", paragraph))
    return found, re.findall(_PERCENT, rest)


def _statements(paragraph: str) -> Iterator[tuple[Group, re.Match[str], str]]:
    """Each rate statement of a paragraph: its group, the match and what follows it."""
    for sentence in re.split(r"(?<=[。！？])", paragraph):
        for match in _STATED.finditer(sentence):
            kinds = _KIND.findall(sentence[: match.start()])
            group: Group = (("source_kind", _KIND_WORDS[kinds[-1]]),) if kinds else ()
            if match["month"]:
                group = (("month", f"{YEAR}-{int(match['month']):02d}"),)
            yield group, match, sentence[match.end() :]


def stated_reasons(paragraph: str) -> list[tuple[Group, str, str]]:
    """``(group, rate, why)`` of each ``…率无法计算（why）`` (brackets inside ``why`` kept).

    Example:
        >>> stated_reasons("网络投诉按时办结率无法计算（没有工单（无时限））。")
        [((('source_kind', 'online'),), 'on_time_rate', '没有工单（无时限）')]
    """
    found = []
    for group, match, after in _statements(paragraph):
        if match["value"] == "无法计算" and after.startswith("（"):
            depth = 0
            for end, char in enumerate(after):
                depth += {"（": 1, "）": -1}.get(char, 0)
                if depth == 0:
                    found.append((group, RATE_NAMES[match["name"]], after[1:end]))
                    break
    return found


def table_rates(surface: str, rows: list[list[str]]) -> tuple[list[Shown], list[str]]:
    """The rates of a table's rate columns (first row the header), keyed by the first cell.

    A row's group is 合计 (the year), a source kind or a month; a rate in a row of any other
    group is returned as unattributed, for the test to learn it.
    """
    header, *body = rows
    columns = {i: RATE_NAMES[h] for i, h in enumerate(header) if h in RATE_NAMES}
    found, unread = [], []
    kinds = {schema.SOURCE_KIND.label(code): code for code in schema.SOURCE_KIND.codes}
    for row in body:
        name = row[0]
        group: Group | None = None
        if name == label("total"):
            group = ()
        elif name in kinds:
            group = (("source_kind", kinds[name]),)
        elif name in _MONTH_NAMES:
            group = (("month", _MONTH_NAMES[name]),)
        for i, key in columns.items():
            if group is None:
                unread.append(f"{name} {header[i]} {row[i]}")
            else:
                found.append(Shown(surface, group, key, text=_shown_text(row[i])))
    return found, unread


def _markdown_rates(built: Built) -> tuple[list[Shown], list[str]]:
    found, unread = [], []
    table: list[list[str]] = []
    lines = built.files.text.read_text(encoding="utf-8").splitlines()
    for line in [*lines, ""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", line):  # not the alignment row
                table.append([cell.strip() for cell in line.strip("|").split("|")])
            continue
        if table:
            more = table_rates("report.md table", table)
            found, unread, table = found + more[0], unread + more[1], []
        if line.startswith(("![", "[^")):  # images; the definitions (footnotes) state no value
            continue
        more = prose_rates("report.md", re.sub(r"\[\^[^\]]+\]", "", line))
        found, unread = found + more[0], unread + more[1]
    return found, unread


def _word_rates(built: Built) -> tuple[list[Shown], list[str]]:
    word = docx.Document(str(built.files.word))
    found, unread = [], []
    for paragraph in word.paragraphs:
        more = prose_rates("report.docx", paragraph.text)
        found, unread = found + more[0], unread + more[1]
    for table in word.tables:
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        more = table_rates("report.docx table", rows)
        found, unread = found + more[0], unread + more[1]
    return found, unread


def _all_read(read: Callable[[Built], tuple[list[Shown], list[str]]]) -> Surface:
    """A surface of a text: every percentage it states must be read as a rate, a share or a
    change; one the test cannot attribute fails it (a rate in new words, or of a new group)."""

    def shown(built: Built) -> list[Shown]:
        found, unread = read(built)
        assert not unread, f"percentages no rate, share or change: {unread}"
        return found

    return shown


# --- tables.xlsx: every rate cell, the number and its format ------------------------------------


def excel_text(value: Any, number_format: str) -> str:
    """What Excel shows for a number in a percentage format (half away from zero), ``—`` blank.

    Example:
        >>> excel_text(0.98765, "0.00%"), excel_text(0.03125, "0.00%"), excel_text(None, "0.0%")
        ('98.77%', '3.13%', '—')
        >>> excel_text(0.5, "General")
        '0.5'
    """
    if value is None:
        return "—"
    percent = re.fullmatch(r"0(?:\.(0+))?%", number_format)
    if percent is None:
        return str(value)
    step = Decimal(1).scaleb(-len(percent[1] or ""))
    return f"{(Decimal(repr(value)) * 100).quantize(step, rounding=ROUND_HALF_UP)}%"


def _sheet_groups(name: str, dimension: str, rows: list[Any]) -> list[tuple[Group, Any]]:
    """The rows compared: 合计, and the months of MONTHS or the first and last named unit."""
    total = label("total")
    unnamed = label("unnamed.group", dimension=column_header(dimension))
    split = label("unnamed.of_which", reason="")
    named = [
        r for r in rows if r[0].value not in (total, unnamed) and not r[0].value.startswith(split)
    ]
    keys: list[tuple[Any, Any]]
    if dimension == "month":
        keys = [(_MONTH_NAMES[r[0].value], r) for r in named]
        keys = [(k, r) for k, r in keys if k in MONTHS]
    else:
        codes = {}
        if dimension in schema.ENUMS:
            enum = schema.ENUMS[dimension]
            codes = {enum.label(code): code for code in enum.codes}
        keys = [(codes.get(r[0].value, r[0].value), r) for r in (named[0], named[-1])]
    groups: list[tuple[Group, Any]] = [(((dimension, key),), row) for key, row in keys]
    groups += [((), row) for row in rows if row[0].value == total]
    assert len(groups) >= 3, f"{name}: expected 合计 and at least two groups"
    return groups


def xlsx_shown(built: Built) -> list[Shown]:
    """Every rate cell of the compared rows of each data sheet of tables.xlsx."""
    workbook = openpyxl.load_workbook(built.files.tables)
    found = []
    for name, dimension in {label("sheet.month"): "month", **DIMENSION_SHEETS}.items():
        sheet = workbook[name]
        top = header_row(sheet)
        headers = [c.value for c in sheet[top]]
        rates = {i: RATE_NAMES[h] for i, h in enumerate(headers) if h in RATE_NAMES}
        assert rates, f"{name}: no rate column"
        rows = [row for row in sheet.iter_rows(min_row=top + 1) if row[0].value]
        for group, row in _sheet_groups(name, dimension, rows):
            for i, key in rates.items():
                cell = row[i]
                text = excel_text(cell.value, cell.number_format)
                value = None if cell.value is None else float(cell.value)
                found.append(Shown(f"tables.xlsx {name}", group, key, text=text, value=value))
    return found


# --- facts.json --------------------------------------------------------------------------------


def facts_shown(built: Built) -> list[Shown]:
    """Every fact of kind ``rate``: its text and exact value, of the group its query selects."""
    facts = json.loads(built.files.facts.read_text(encoding="utf-8"))["facts"]
    found = []
    for fact in facts:
        if fact["kind"] != "rate":
            continue
        query = fact["query"]
        assert query["order_by"] is None and query["column"] in active().rates, fact["key"]
        where = {k: v for k, v in query["where"].items() if (k, v) != ("source_kind", "total")}
        kwargs = {k: v for k, v in query["kwargs"].items() if k not in ("by", "year")}
        group = tuple({**kwargs, **where}.items())
        text = _shown_text(fact["text"])
        surface = f"facts.json {fact['key']}"
        found.append(Shown(surface, group, query["column"], text=text, value=fact["value"]))
    return found


# --- the charts --------------------------------------------------------------------------------


def _chart_rate(figure: Figure) -> str:
    """The rate a chart draws, by the name its title gives it."""
    title = figure.get_suptitle()
    return next(key for name, key in RATE_NAMES.items() if name in title)


def _chart_label(surface: str, group: Group, key: str, text: str, value: Any = None) -> Shown:
    match = _CHART_RATE.fullmatch(text)
    assert match, f"{surface}: not a rate label: {text!r}"
    fraction = None
    if match["top"]:
        fraction = (int(match["top"].replace(",", "")), int(match["bottom"].replace(",", "")))
    key = RATE_NAMES[match["name"]] if match["name"] else key
    number = None if value is None else float(value)
    return Shown(surface, group, key, match["value"], fraction, number, digits=PERCENT_DIGITS)


def trend_shown(built: Built) -> list[Shown]:
    """The rate labelled at each month of MONTHS: its text and the point's height."""
    figure = built.figures["trend"]
    key = _chart_rate(figure)
    ticks = figure.axes[0].get_xticklabels()
    months = {round(t.get_position()[0]): _MONTH_NAMES[t.get_text()] for t in ticks}
    found = []
    for ax in figure.axes:
        if not ax.get_ylabel().startswith(label(key)):
            continue  # the counts' axis
        for text in ax.texts:
            if isinstance(text, Annotation):
                month = months[round(text.xy[0])]
                if month in MONTHS:
                    group = (("month", month),)
                    found.append(
                        _chart_label("chart trend", group, key, text.get_text(), text.xy[1])
                    )
    return found


def _unit_chart(chart: str, unit: str) -> Callable[[Built], list[Shown]]:
    """A rate by unit: the highest and lowest unit's label and bar, the overall line."""

    def shown(built: Built) -> list[Shown]:
        figure = built.figures[chart]
        key = _chart_rate(figure)
        main = figure.axes[-1]
        names = figure.axes[0].get_yticklabels()  # on the stub when the axis is broken
        unit_at = {round(t.get_position()[1]): t.get_text() for t in names}
        rows = sorted(unit_at)
        found = []
        bars = {round(p.get_y() + p.get_height() / 2): p.get_width() for p in main.patches}
        for text in main.texts:
            row = round(text.get_position()[1])
            if row in (rows[0], rows[-1]):
                group = ((unit, unit_at[row]),)
                found.append(_chart_label(f"chart {chart}", group, key, text.get_text(), bars[row]))
        overall = [line for line in main.lines if line.get_linestyle() == "--"]
        assert len(overall) == 1, f"{chart}: expected one overall line"
        level = float(overall[0].get_xdata()[0])  # pyright: ignore[reportArgumentType]
        found.append(Shown(f"chart {chart} overall line", (), key, value=level))
        legend = main.get_legend()
        for text in legend.get_texts() if legend else []:
            if text.get_text().startswith(label("legend.overall", value="")):
                words = text.get_text().removeprefix(label("legend.overall", value=""))
                found.append(_chart_label(f"chart {chart} legend", (), key, words))
        return found

    return shown


def funnel_shown(built: Built) -> list[Shown]:
    """The rate beside each stage after 受理, with its numerator and denominator."""
    figure = built.figures["funnel"]
    found = []
    for text in figure.axes[0].texts:
        content = text.get_text()
        if any(content.startswith(name) for name in RATE_NAMES):
            found.append(_chart_label("chart funnel", (), "", content))
    return found


#: Every output of ``hotline report`` compared; a new output adds its function here.
REPORT_SURFACES: dict[str, Surface] = {
    "report.md": _all_read(_markdown_rates),
    "report.docx": _all_read(_word_rates),
    "tables.xlsx": xlsx_shown,
    "facts.json": facts_shown,
    "chart trend": trend_shown,
    "chart department_closure": _unit_chart("department_closure", "department"),
    "chart town_closure": _unit_chart("town_closure", "town"),
    "chart funnel": funnel_shown,
}


def _groups(shown: Iterable[Shown]) -> set[Group]:
    return {one.group for one in shown}


@pytest.mark.parametrize("surface", REPORT_SURFACES)
def test_every_rate_the_report_shows_is_the_metric_s_rate(built: Built, surface: str) -> None:
    shown = REPORT_SURFACES[surface](built)
    assert shown, f"{surface}: no rate found in the output"
    problems = disagreements(built.dataset, built.preset, shown)
    assert not problems, "\n".join(problems)


def test_the_comparison_covers_the_year_kinds_months_and_units(built: Built) -> None:
    """The representative set: the year, each source kind, three months, units at both ends."""
    groups = set().union(*(_groups(surface(built)) for surface in REPORT_SURFACES.values()))
    assert {(), (("source_kind", "hotline"),), (("source_kind", "online"),)} <= groups
    assert {(("month", month),) for month in MONTHS} <= groups
    for dimension in ("department", "town", "request_type", "topic"):
        assert len([g for g in groups if g and g[0][0] == dimension]) >= 2, dimension


@pytest.mark.parametrize("name", ["report.md", "report.docx"])
def test_a_rate_the_text_cannot_give_says_the_metric_s_reason(built: Built, name: str) -> None:
    """``按时办结率无法计算（why）``: why is the Rate's ``reason`` when the metric gives one."""
    if name == "report.md":
        paragraphs = built.files.text.read_text(encoding="utf-8").splitlines()
    else:
        paragraphs = [p.text for p in docx.Document(str(built.files.word)).paragraphs]
    problems = []
    for group, key, why in [r for p in paragraphs for r in stated_reasons(p)]:
        expected = metric_rate(key, built.dataset, built.preset, year=YEAR, **dict(group))
        assert expected.value is None, f"{name}: {key} {dict(group)} is {expected}"
        if expected.reason and why != expected.reason:
            problems.append(
                f"{name} {dict(group)} {key}: says {why!r}, the metric {expected.reason!r}"
            )
    assert not problems, "\n".join(problems)


def test_a_closure_rate_over_another_base_states_its_own_fraction(built: Built) -> None:
    """受理 and 办结 beside a 办结率 over dispatched orders do not give it: its fraction is said."""
    rate = metric_rate("closure_rate", built.dataset, built.preset, year=YEAR)
    text = built.files.text.read_text(encoding="utf-8")
    total = headline(built.dataset, definitions=built.preset, year=YEAR).loc["total"]
    if (rate.numerator, rate.denominator) == (total["closed"], total["accepted"]):
        assert "件中办结" not in text  # 办结/受理: the counts beside it give it
    else:
        assert f"{rate.denominator}件中办结{rate.numerator}件）" in text
