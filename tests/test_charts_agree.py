"""Every number a chart of the annual report labels is the report's fact of the same meaning.

The sample county's report facts (``annual_facts``, what report.md states) and its charts
(``annual_chart_data`` / ``annual_charts``) are computed separately, as ``hotline report`` does.
For each chart, every number drawn on it (bar labels, point labels, values beside bars, legend,
title and notes; not the axis ticks, which are a scale, nor the footnote's source line) must be
the text of a fact, or of a metric query of the report's own sheet where the text states no such
figure, written as the chart writes numbers (9450, as the text writes counts; 98.7%). The figures
the text states about a chart's subject (办结 9450, 满意 7044, 办结率 98.69%, the months named)
must be on the chart; a count the text states is checked in the text's own words (the fact's
``text``, 9450件), so a chart that wrote 9,450 would fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from conftest import shared_path
from hotline import ingest
from hotline.labels import label
from hotline.plotting import annual_chart_data, annual_charts
from hotline.plotting.charts.distribution import pareto_table
from hotline.plotting.charts.numbers import count_text as chart_count
from hotline.plotting.charts.numbers import duration_text, percent_text
from hotline.plotting.charts.patterns import funnel_chart, lifecycle_stages
from hotline.plotting.charts.rates import MAX_UNITS
from hotline.plotting.charts.trend import month_labels, pending_counts
from hotline.report.annual import annual_facts
from hotline.report.facts import FactSheet, Query

# The module fixtures draw every chart of the report: the module runs on one xdist worker, which
# draws them once (spread over the workers, each would draw them again).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_charts_agree")]

YEAR = 2021
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
_MONTH = re.compile(r"\d{1,2}月")


@pytest.fixture(scope="module")
def dataset(sample_county: tuple[Path, Path]) -> Path:
    return sample_county[1]


@pytest.fixture(scope="module")
def sheet(dataset: Path) -> FactSheet:
    """The report's facts, computed as ``hotline report`` computes them."""
    return annual_facts(dataset, YEAR)


@pytest.fixture(scope="module")
def chart_data(dataset: Path) -> dict[str, Any]:
    """What the charts draw, computed on their own (not from the report's cache)."""
    return annual_chart_data(dataset, YEAR)


@pytest.fixture(scope="module")
def figures(dataset: Path) -> dict[str, Figure]:
    return annual_charts(dataset, YEAR)


def tokens(texts: Iterable[str]) -> set[str]:
    """The numbers in ``texts`` as written, month names (12月) left out."""
    found: set[str] = set()
    for text in texts:
        found |= set(_NUMBER.findall(_MONTH.sub("", text)))
    return found


def drawn(fig: Figure) -> set[str]:
    """Every number a chart labels: not its axis ticks, not the footnote's source line."""
    ticks = set()
    for ax in fig.axes:
        ticks |= {id(t) for t in (*ax.get_xticklabels(), *ax.get_yticklabels())}
        ticks |= {id(ax.xaxis.get_offset_text()), id(ax.yaxis.get_offset_text())}
    footnote = fig._supxlabel
    texts = []
    for text in fig.findobj(Text):
        if id(text) in ticks or not text.get_visible() or not text.get_text():
            continue
        content = text.get_text()
        if text is footnote:
            content = content.replace("\n", "")
            content = content.split(label("footnote", "zh").split("{")[0])[0]  # 数据来源：…
        texts.append(content)
    return tokens(texts)


def count_text(value: Any) -> str:
    """A count as a Chinese chart writes it."""
    return chart_count(value, "zh")


def stated(sheet: FactSheet, key: str) -> str:
    """A fact as the report's text writes it (9450件, 1.1万件)."""
    return sheet[key].text


def value(sheet: FactSheet, function: str, column: str, **kwargs: Any) -> Any:
    """A figure the text does not state, from a metric query of the report's own sheet."""
    where = kwargs.pop("where", {})
    return sheet.value(Query(function, {**kwargs, "year": YEAR}, where=where, column=column))


def assert_agree(fig: Figure, expected: set[str], stated: set[str]) -> None:
    shown = drawn(fig)
    assert shown - expected == set(), f"numbers on the chart that are no fact: {shown - expected}"
    assert stated - shown == set(), f"the text's figures missing from the chart: {stated - shown}"


def test_funnel_is_the_texts_lifecycle(
    sheet: FactSheet, chart_data: dict[str, Any], figures: dict[str, Figure]
) -> None:
    stages = lifecycle_stages(chart_data["funnel"]).set_index("stage")
    assert stages.loc["accepted", "count"] == sheet["total.accepted"].value
    assert stages.loc["closed", "count"] == sheet["total.closed"].value
    assert stages.loc["satisfied", "count"] == sheet["total.satisfaction.numerator"].value
    assert stages.loc["closed", "rate_value"] == pytest.approx(sheet["total.closure_rate"].value)
    assert stages.loc["closed", "denominator"] == sheet["total.accepted"].value
    satisfaction = stages.loc["satisfied"]
    assert satisfaction["rate_value"] == pytest.approx(sheet["total.satisfaction_rate"].value)
    assert satisfaction["denominator"] == sheet["total.satisfaction.denominator"].value
    revisited = stages.loc["revisited"]
    assert revisited["count"] == value(sheet, "summary", "revisited")
    assert revisited["denominator"] == value(sheet, "summary", "revisit_known")

    fig = figures["funnel"]
    base = f"以受理量{stated(sheet, 'total.accepted')}为基数"  # 9575件, as the text writes it
    assert fig.get_suptitle() == f"工单办理环节转化（{base}）"
    facts = [
        stated(sheet, "total.accepted"),
        stated(sheet, "total.closed"),
        percent_text(sheet["total.closure_rate"].value),
        stated(sheet, "total.satisfaction.numerator"),
        stated(sheet, "total.satisfaction.denominator"),
        percent_text(sheet["total.satisfaction_rate"].value),
        stated(sheet, "total.direct"),
    ]
    unstated = [
        count_text(value(sheet, "summary", "dispatched")),
        count_text(revisited["count"]),
        count_text(revisited["denominator"]),
        percent_text(value(sheet, "summary", "revisit_rate")),
        # 其余N件无派单记录: what neither 派单 nor 直接答复 holds (the online messages)
        count_text(
            value(sheet, "summary", "accepted")
            - value(sheet, "summary", "dispatched")
            - value(sheet, "summary", "direct")
        ),
    ]
    assert_agree(fig, tokens([*facts, *unstated]), tokens(facts))


def test_trend_is_the_texts_months(
    sheet: FactSheet, chart_data: dict[str, Any], figures: dict[str, Figure]
) -> None:
    trend = chart_data["trend"]
    by_name = dict(zip(month_labels(list(trend["month"])), trend["month"], strict=True))
    for key in [f"trend.peak.{i}" for i in range(3)] + ["trend.low"]:
        month = by_name[sheet[f"{key}.month"].text]
        row = trend.set_index("month").loc[month]
        assert row["accepted"] == sheet[f"{key}.accepted"].value
    low = trend.set_index("month").loc[by_name[sheet["trend.closure_low.month"].text]]
    assert low["closure_rate"] == pytest.approx(sheet["trend.closure_low.closure_rate"].value)
    pending = pending_counts(trend).to_numpy()
    overdue = trend["open_overdue"].to_numpy()
    index = list(trend["month"]).index(low.name)
    # the hatched part and the overdue orders are the text's 尚有 N 件未办结
    assert pending[index] + overdue[index] == sheet["trend.closure_low.open"].value
    assert pending[index] > 0

    expected = []
    for month in trend["month"]:
        expected.append(
            count_text(value(sheet, "monthly_trend", "accepted", where={"month": month}))
        )
        rate = value(sheet, "monthly_trend", "closure_rate", where={"month": month})
        expected.append(percent_text(rate))
    expected += [count_text(n) for n in (*pending, *overdue)]
    facts = [
        *(stated(sheet, f"trend.peak.{i}.accepted") for i in range(3)),
        percent_text(sheet["trend.closure_low.closure_rate"].value),
        count_text(pending[index]),
    ]
    assert_agree(figures["trend"], tokens(expected), tokens(facts))


def test_trend_rate_axis_starts_at_zero_and_marks_open_months(
    chart_data: dict[str, Any], figures: dict[str, Figure]
) -> None:
    fig = figures["trend"]
    bars, rates = fig.axes[0], fig.axes[1]
    assert rates.get_ylim()[0] == 0 and bars.get_ylim()[0] == 0
    pending = pending_counts(chart_data["trend"])
    hatched = [p for p in bars.patches if p.get_hatch()]
    assert [round(p.get_height()) for p in hatched] == [n for n in pending if n]
    assert "统计截止时仍在办理期限内" in fig._supxlabel.get_text()


@pytest.mark.parametrize(("key", "unit"), [("department_closure", "department"),
                                           ("town_closure", "town")])  # fmt: skip
def test_unit_rates_are_the_summary_and_the_overall_is_the_texts(
    sheet: FactSheet, chart_data: dict[str, Any], figures: dict[str, Figure], key: str, unit: str
) -> None:
    table = chart_data[key]
    expected = []
    for name in table[unit].dropna():
        where = {unit: name}
        expected.append(percent_text(value(sheet, "summary", "closure_rate", by=unit, where=where)))
        expected += [
            count_text(value(sheet, "summary", column, by=unit, where=where))
            for column in ("closed", "closure_known")
        ]
    no_unit = value(sheet, "summary", "accepted", by=unit, where={unit: None})
    expected.append(count_text(no_unit))
    direct = value(sheet, "summary", "direct", by=unit, where={unit: None})  # 无需承办单位
    expected.append(count_text(direct))
    fig = figures[key]
    main = fig.axes[-1]
    floor = main.get_xlim()[0]
    axis = [percent_text(floor, 0), "0", "95%"]  # the broken axis' ends, the interval's level
    units = int(table[[unit, "closure_rate"]].notna().all(axis=1).sum())
    axis += [str(min(units, MAX_UNITS)), str(units)]  # 仅列出…最多的 20 个单位（共 39 个）
    overall = next(line for line in main.lines if line.get_linestyle() == "--")
    assert overall.get_xdata()[0] == pytest.approx(sheet["total.closure_rate"].value)
    assert {p.get_x() for p in main.patches} == {0.0}  # bars from 0
    facts = [percent_text(sheet["total.closure_rate"].value)]
    assert_agree(fig, tokens([*expected, *axis, *facts]), tokens(facts))


def test_ranking_is_the_texts_ranking(sheet: FactSheet, figures: dict[str, Figure]) -> None:
    fig = figures["department_ranking"]
    rows = sheet.result("rank_units", {"unit": "department", "year": YEAR})
    expected = [f"{s:.2f}" for s in rows.loc[rows["rank"].notna(), "score"]]
    weights = [sheet[f"param.weight.{r}"].value for r in
               ("closure_rate", "on_time_rate", "satisfaction_rate")]  # fmt: skip
    expected += [percent_text(w / sum(weights), 0) for w in weights]
    expected += [
        str(sheet["department.unranked"].value),
        str(sheet["param.min_volume"].value),
        "0",
        f"{fig.axes[-1].get_xlim()[0]:g}",  # the broken axis' ends
        "5",  # 红榜（前 5 名）, 黑榜（后 5 名）: the lists' length
    ]
    facts = [f"{sheet[f'department.{side}.{i}.score'].value:.2f}"
             for side in ("best", "worst") for i in range(3)]  # fmt: skip
    assert_agree(fig, tokens(expected), tokens(facts))


def test_topics_are_the_texts_topics(
    sheet: FactSheet, chart_data: dict[str, Any], figures: dict[str, Figure]
) -> None:
    shown = pareto_table(chart_data["topics"], "topic", 10)
    total = sheet["total.accepted"].value
    expected = [count_text(n) for n in shown["accepted"]]
    expected += [percent_text(n / total, 0) for n in shown["accepted"].cumsum()]
    for name, accepted in zip(shown["name"], shown["accepted"], strict=True):
        if name != label("other"):
            assert accepted == value(sheet, "summary", "accepted", by="topic",
                                     where={"topic": name})  # fmt: skip
    facts = [stated(sheet, f"topic.{i}.accepted") for i in range(5)]
    assert_agree(figures["topics"], tokens(expected), tokens(facts))


def test_durations_are_the_metrics_and_say_calendar_days(
    sheet: FactSheet, figures: dict[str, Figure]
) -> None:
    bands = sheet.result("duration_distribution", {"year": YEAR})
    expected = [count_text(n) for n in bands["count"]] + [percent_text(s) for s in bands["share"]]
    expected += [duration_text(bands.attrs[k]) for k in ("median_hours", "p90_hours")]
    expected += [count_text(bands.attrs[k]) for k in ("negative", "zero")]
    expected += ["24", "1", "90%"]  # 24 小时为 1 天, 90% 分位数
    fig = figures["durations"]
    assert "自然日" in fig.axes[0].get_xlabel()
    assert bands["count"].sum() <= sheet["total.closed"].value
    assert_agree(fig, tokens(expected), set())


def test_weekday_hour_counts_the_texts_volume(
    sheet: FactSheet, chart_data: dict[str, Any], figures: dict[str, Figure]
) -> None:
    assert chart_data["weekday_hour"]["accepted"].sum() == sheet["total.accepted"].value
    cells = np.asarray(figures["weekday_hour"].axes[0].collections[0].get_array())
    assert cells.sum() == sheet["total.accepted"].value
    assert_agree(figures["weekday_hour"], set(), set())


def test_every_chart_is_checked(figures: dict[str, Figure]) -> None:
    checked = {"funnel", "trend", "department_closure", "town_closure", "department_ranking",
               "topics", "durations", "weekday_hour"}  # fmt: skip
    assert set(figures) == checked


def test_a_311_funnel_leaves_out_what_the_export_lacks(tmp_path: Path) -> None:
    """LA 311 has no revisit or satisfaction data: no 'Revisited 0' bar, an English note."""
    export = shared_path(
        "data", "real", "la311-hackforla", "MyLA311_Service_Request_Data_2017_Subset.csv"
    )
    ingest([export], out=tmp_path / "la", progress=False)
    summary = annual_chart_data(tmp_path / "la", 2017)["funnel"]
    fig = funnel_chart(summary)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Accepted", "Closed"]
    assert "Revisited, Satisfied not shown" in fig._supxlabel.get_text().replace("\n", " ")
    assert not any(t.get_text().strip() == "0" for t in fig.axes[0].texts)
    assert fig.get_suptitle().endswith(
        f"(base: {chart_count(summary['accepted'].iloc[0], 'en')} accepted)"
    )
