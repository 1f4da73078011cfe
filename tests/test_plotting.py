"""Charts: right numbers from metric results, Chinese that renders, files that open in Word.

Charts are built from the metrics of a hand-built county (four departments, two towns, three
months; ASCII names, so an English chart must hold no Chinese at all) and, in the slow tests,
of the sample dataset. Expected values are derived from the hand-built orders with plain pandas.
Rendering runs with warnings as errors: matplotlib warns "Glyph … missing from font" when a
character has no glyph, which would print as an empty box in the report.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from hotline import labels, load, metrics, paths
from hotline.errors import HotlineError
from hotline.labels import LABELS, UnknownLabelError, label, translate, with_unit
from hotline.metrics.catalogue import COUNTS, RATES
from hotline.metrics.rate import wilson_interval
from hotline.plotting import (
    cjk_family,
    duration_chart,
    fonts,
    funnel_chart,
    pareto_chart,
    ranking_chart,
    rates_chart,
    save_figure,
    style_context,
    trend_chart,
    use_style,
    weekday_hour_chart,
)
from hotline.plotting.charts.frame import footnote_text, new_figure
from hotline.plotting.charts.numbers import count_text, duration_text, percent_text
from hotline.plotting.charts.text import wrap_text
from hotline.plotting.export import validate_name
from hotline.plotting.style import FONT_SIZES, style_rc
from hotline.report import numbers as report_numbers
from hotline.sample import PUBLISHED
from orders import frame

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PHONE = re.compile(r"1[3-9]\d{9}")

# ---------------------------------------------------------------------------------------------
# The hand-built county
# ---------------------------------------------------------------------------------------------

DEPARTMENTS = {"Dept A": 30, "Dept B": 25, "Dept C": 22, "Dept D": 3}  # D: below min volume 20
TOPICS = ("Heating", "Water", "Roads", "Schools", "Parks", "Noise", "Permits")
#: Of every 28 orders, 7 on Heating, 6 on Water … 1 on Permits: no two topics tie.
TOPIC_ENDS = np.cumsum([7, 6, 5, 4, 3, 2, 1])
HOURS_TO_CLOSE = (2, 30, 100, 200, 400, 800)
SATISFACTION = ("satisfied", "basically_satisfied", "dissatisfied", "not_evaluated")


def county_rows() -> list[dict]:
    """80 orders over January-March 2021; every seventh order of a department still open."""
    rows = []
    start = pd.Timestamp("2021-01-04 08:00")
    i = 0
    for department, volume in DEPARTMENTS.items():
        for k in range(volume):
            received = start + pd.Timedelta(days=(i * 7) % 85, hours=(i * 5) % 14)
            closed = k % 7 != 3
            rows.append(
                {
                    "order_id": f"O{i:03d}",
                    "source_kind": "hotline",
                    "received_at": str(received),
                    "dispatched_at": str(received + pd.Timedelta(hours=1)),
                    "status": "closed" if closed else "in_progress",
                    "closed_at": (
                        str(received + pd.Timedelta(hours=HOURS_TO_CLOSE[i % 6]))
                        if closed
                        else None
                    ),
                    "satisfaction": SATISFACTION[i % 4] if closed else None,
                    "department": department,
                    "town": ("North", "South")[i % 2],
                    "topic": TOPICS[int(np.searchsorted(TOPIC_ENDS, i % 28, side="right"))],
                    "request_type": ("complaint", "help", "consultation")[i % 3],
                    # A raw number in the text: no chart may ever show it.
                    "content": "Caller 13812345678 asks about heating",
                    "caller_phone_masked": "138****5678",
                }
            )
            i += 1
    return rows


@pytest.fixture(scope="module")
def county() -> pd.DataFrame:
    return frame(county_rows())


@pytest.fixture
def plain_matplotlib() -> Iterator[None]:
    """matplotlib's own defaults (DejaVu Sans only), as for a user who never called use_style."""
    with mpl.rc_context():
        mpl.rcdefaults()
        yield


def render(fig: Figure, fmt: str = "png", dpi: int = 40) -> bytes:
    """Draw ``fig`` with every warning (a missing glyph among them) raised as an error."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format=fmt, dpi=dpi)
    return buffer.getvalue()


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def footnote(fig: Figure) -> str:
    return fig._supxlabel.get_text()  # the footnote is the figure's bottom label


def panels(fig: Figure) -> list[tuple[Axes, Axes]]:
    """(names, bars) axes per panel of a horizontal bar chart.

    A broken value axis (charts.axes) gives each panel a narrow stub holding the names and a
    main panel holding the scale, the bars' ends and the reference lines; an unbroken one a
    single axes for both.
    """
    axes = fig.axes
    broken = len(axes) % 2 == 0 and all(
        stub.get_position().width < main.get_position().width / 3
        for stub, main in zip(axes[0::2], axes[1::2], strict=True)
    )
    if broken:
        return list(zip(axes[0::2], axes[1::2], strict=True))
    return [(ax, ax) for ax in axes]


CHARTS: dict[str, Callable[..., Figure]] = {
    "trend": lambda df, **kw: trend_chart(metrics.monthly_trend(df), **kw),
    "rates_department": lambda df, **kw: rates_chart(metrics.summary(df, by="department"), **kw),
    "rates_town": lambda df, **kw: rates_chart(
        metrics.summary(df, by="town"), "satisfaction_rate", **kw
    ),
    "ranking": lambda df, **kw: ranking_chart(
        metrics.rank_units(df, unit="department"), top=2, **kw
    ),
    "weekday_hour": lambda df, **kw: weekday_hour_chart(metrics.weekday_hour(df), **kw),
    "pareto": lambda df, **kw: pareto_chart(metrics.summary(df, by="topic"), top=4, **kw),
    "funnel": lambda df, **kw: funnel_chart(metrics.summary(df), **kw),
    "duration": lambda df, **kw: duration_chart(metrics.duration_distribution(df), **kw),
}


# ---------------------------------------------------------------------------------------------
# Each chart shows the numbers of its input
# ---------------------------------------------------------------------------------------------


def test_trend_bars_are_monthly_volumes_and_line_is_closure_rate(county: pd.DataFrame) -> None:
    fig = trend_chart(metrics.monthly_trend(county))
    month = county["received_at"].dt.strftime("%Y-%m")
    closed = county["status"].eq("closed").groupby(month).sum()
    accepted = month.value_counts().sort_index()
    bars, line = fig.axes[0], fig.axes[1]
    assert [p.get_height() for p in bars.containers[0]] == accepted.tolist()
    np.testing.assert_allclose(line.lines[0].get_ydata(), (closed / accepted).to_numpy())
    assert [t.get_text() for t in bars.get_xticklabels()] == ["1月", "2月", "3月"]
    assert fig.get_suptitle() == "月度受理量与办结率"
    assert bars.get_ylabel() == "受理量（件）" and line.get_ylabel() == "办结率（%）"


def test_trend_across_years_labels_months_with_the_year() -> None:
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": day, "status": "closed"}
            for i, day in enumerate(["2021-12-03", "2022-01-10", "2022-01-11"])
        ]
    )
    fig = trend_chart(metrics.monthly_trend(df))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2021-12", "2022-01"]


def test_rates_bars_sorted_with_wilson_whiskers_and_overall(county: pd.DataFrame) -> None:
    table = metrics.summary(county, by="department")
    fig = rates_chart(table)
    ((names, ax),) = panels(fig)
    closed = county["status"].eq("closed").groupby(county["department"]).agg(["sum", "count"])
    rates = (closed["sum"] / closed["count"]).sort_values(kind="stable")
    shown = [t.get_text() for t in names.get_yticklabels()]  # from the bottom up
    assert sorted(shown) == sorted(DEPARTMENTS)
    ends = [p.get_x() + p.get_width() for p in ax.patches]
    np.testing.assert_allclose(ends, rates.loc[shown].to_numpy())
    assert all(np.diff(ends) >= 0)  # the best on top
    assert {p.get_x() for p in ax.patches} == {0.0}  # bars start at 0, across a broken axis
    overall = county["status"].eq("closed").mean()
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    np.testing.assert_allclose(dashed[0].get_xdata()[0], overall)
    whiskers = ax.collections[0].get_segments()
    for name, segment in zip(shown, whiskers, strict=True):
        low, high = wilson_interval(int(closed.loc[name, "sum"]), int(closed.loc[name, "count"]))
        np.testing.assert_allclose(sorted(segment[:, 0]), [low, high])
    assert f"{percent_text(overall)}" in " ".join(texts(fig))


@pytest.mark.parametrize(
    ("overall", "expected"),
    [(metrics.Rate(9, 10), 0.9), (0.75, 0.75), (float("nan"), None)],
    ids=["rate", "float", "nan-means-no-line"],
)
def test_rates_overall_line_from_argument(
    county: pd.DataFrame, overall: object, expected: float | None
) -> None:
    fig = rates_chart(metrics.summary(county, by="department"), overall=overall)
    dashed = [line for line in panels(fig)[0][1].lines if line.get_linestyle() == "--"]
    if expected is None:
        assert dashed == []
    else:
        np.testing.assert_allclose(dashed[0].get_xdata()[0], expected)


def test_rates_top_keeps_the_largest_units_and_says_so(county: pd.DataFrame) -> None:
    fig = rates_chart(metrics.summary(county, by="department"), top=2)
    largest = county["department"].value_counts().index[:2]
    assert {t.get_text() for t in panels(fig)[0][0].get_yticklabels()} == set(largest)
    assert f"仅列出受理量最多的 2 个单位（共 {len(DEPARTMENTS)} 个）" in footnote(fig)


def test_rates_overall_follows_the_definitions_denominator(county: pd.DataFrame) -> None:
    """Under beijing, 办结率 is over dispatched orders: the line moves with the definition."""
    direct = county.copy()
    direct.loc[direct.index[:10], "dispatched_at"] = pd.NaT
    direct.loc[direct.index[:10], "status"] = "answered_directly"
    table = metrics.summary(direct, by="department", definitions="beijing")
    fig = rates_chart(table)
    dashed = [line for line in panels(fig)[0][1].lines if line.get_linestyle() == "--"]
    expected = table["closed_dispatched"].sum() / table["dispatched"].sum()
    np.testing.assert_allclose(dashed[0].get_xdata()[0], expected)
    assert "（办结率 =" not in footnote(fig)  # the catalogue's formula no longer applies


def test_ranking_lists_best_and_worst_and_leaves_out_small_units(county: pd.DataFrame) -> None:
    ranking = metrics.rank_units(county, unit="department")
    fig = ranking_chart(ranking, top=1)
    (red_names, red), (black_names, _) = panels(fig)
    ranked = ranking.dropna(subset=["rank"])
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    department = ranking.columns[0]
    assert [t.get_text() for t in red_names.get_yticklabels()] == [
        f"{best['rank']}. {best[department]}"
    ]
    assert [t.get_text() for t in black_names.get_yticklabels()] == [
        f"{worst['rank']}. {worst[department]}"
    ]
    np.testing.assert_allclose(red.patches[0].get_x() + red.patches[0].get_width(), best["score"])
    small = sum(1 for volume in DEPARTMENTS.values() if volume < 20)
    assert not any("Dept D" in t for t in texts(fig))
    assert f"另有 {small} 个单位受理量少于 20 件" in footnote(fig)
    assert "综合评分 = 办结率 × 30% + 按时办结率 × 30% + 满意率 × 40%" in footnote(fig)


def test_ranking_without_attrs_still_counts_the_unranked(county: pd.DataFrame) -> None:
    ranking = metrics.rank_units(county, unit="department")
    ranking.attrs.clear()  # no weights, no minimum volume: the footnote says less, not wrong
    fig = ranking_chart(ranking, top=1)
    small = sum(1 for volume in DEPARTMENTS.values() if volume < 20)
    assert footnote(fig).splitlines()[0] == f"另有 {small} 个单位不参评"


def test_ranking_with_few_units_has_no_black_list(county: pd.DataFrame) -> None:
    ranking = metrics.rank_units(county, unit="department")
    fig = ranking_chart(ranking, top=5)
    ((_, red),) = panels(fig)
    assert red.get_title(loc="left") == "红榜（前 3 名）"


def test_weekday_hour_heat_map_counts_orders_per_cell(county: pd.DataFrame) -> None:
    fig = weekday_hour_chart(metrics.weekday_hour(county))
    received = county["received_at"]
    expected = (
        pd.crosstab(received.dt.day_of_week, received.dt.hour)
        .reindex(index=range(7), columns=range(24), fill_value=0)
        .to_numpy()
    )
    cells = np.asarray(fig.axes[0].collections[0].get_array()).reshape(7, 24)
    np.testing.assert_array_equal(cells, expected)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "周一",
        "周二",
        "周三",
        "周四",
        "周五",
        "周六",
        "周日",
    ]
    assert fig.axes[0].get_xlabel() == "受理时段（时）"


def test_pareto_top_topics_then_the_rest_with_cumulative_share(county: pd.DataFrame) -> None:
    fig = pareto_chart(metrics.summary(county, by="topic"), top=3)
    counts = county["topic"].value_counts(sort=True)
    expected = [*counts.iloc[:3], counts.iloc[3:].sum()]
    ax, right = fig.axes
    assert [p.get_height() for p in ax.patches] == expected
    assert [t.get_text() for t in ax.get_xticklabels()] == [*counts.index[:3], "其他"]
    np.testing.assert_allclose(right.lines[0].get_ydata(), np.cumsum(expected) / len(county))


def test_pareto_folds_a_category_called_other_into_the_rest() -> None:
    table = pd.DataFrame({"topic": ["其他", "供暖", "教育", None], "accepted": [40, 30, 20, 10]})
    fig = pareto_chart(table, top=3)
    names = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert names == ["供暖", "教育", "未填写", "其他"]
    assert [p.get_height() for p in fig.axes[0].patches] == [30, 20, 10, 40]


def test_funnel_bars_are_the_summary_counts(county: pd.DataFrame) -> None:
    """受理 → 办结 → 回访 → 满意 over every accepted order, as the report's text counts them."""
    summary = metrics.summary(county)
    fig = funnel_chart(summary)
    widths = [p.get_width() for p in fig.axes[0].patches]
    stages = ["accepted", "closed", "revisited", "satisfied"]
    assert widths == [summary[stage].iloc[0] for stage in stages]
    assert widths[0] == len(county) and widths[1] == county["status"].eq("closed").sum()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["受理", "办结", "回访", "满意"]
    assert fig.get_suptitle() == f"工单办理环节转化（以受理量{len(county)}件为基数）"
    shown = " ".join(texts(fig))
    for rate, top, bottom in (
        ("closure_rate", "closed", "closure_known"),
        ("satisfaction_rate", "satisfied", "evaluated"),
    ):
        row = summary.iloc[0]
        value = percent_text(row[rate])
        counts = f"{count_text(row[top], 'zh')}/{count_text(row[bottom], 'zh')}"
        assert f"{label(rate)} {value}（{counts}）" in shown


def test_funnel_leaves_out_the_stages_the_export_lacks(county: pd.DataFrame) -> None:
    """No satisfaction column: no 回访 or 满意 bar drawn as 0, a note saying why instead."""
    fig = funnel_chart(metrics.summary(county.drop(columns=["satisfaction"])))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["受理", "办结"]
    assert "未显示回访、满意环节（导出中没有回访记录；导出中没有满意度评价）" in footnote(fig)
    assert not any(t.startswith("0 件") for t in texts(fig))


def test_funnel_accounts_for_every_accepted_request_and_names_a_smaller_base(
    sample_county: tuple[Path, Path],
) -> None:
    """派单 + 直接答复 + the rest = 受理; a rate over fewer than the stage before says so."""
    summary = metrics.summary(sample_county[1], year=2021)
    row = summary.iloc[0]
    fig = funnel_chart(summary)
    beside = next(t for t in texts(fig) if t.startswith("其中派单"))
    parts = [int(re.search(r"(\d+) 件", line).group(1)) for line in beside.split("\n")]
    assert sum(parts) == row["accepted"] and len(parts) == 3  # the online messages too
    assert parts[:2] == [row["dispatched"], row["direct"]]
    assert row["revisit_known"] < row["closed"]  # online replies carry no revisit
    base = count_text(row["revisit_known"], "zh")
    assert f"回访率的分母为有回访记录的办结量 {base}" in footnote(fig)


def test_duration_bars_count_closed_orders_by_band(county: pd.DataFrame) -> None:
    distribution = metrics.duration_distribution(county)
    fig = duration_chart(distribution)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert sum(heights) == county["status"].eq("closed").sum()
    assert heights == distribution["count"].tolist()
    median = distribution.attrs["median_hours"]
    assert f"中位数 {duration_text(median)}" in " ".join(texts(fig))


def test_duration_notes_left_out_durations() -> None:
    rows = [
        {"order_id": "1", "received_at": "2021-03-01 09:00", "closed_at": "2021-03-01 08:00"},
        {"order_id": "2", "received_at": "2021-03-01 09:00", "closed_at": "2021-03-01 09:00"},
        {"order_id": "3", "received_at": "2021-03-01 09:00", "closed_at": "2021-03-02 09:00"},
    ]
    df = frame([{**r, "source_kind": "hotline", "status": "closed"} for r in rows])
    fig = duration_chart(metrics.duration_distribution(df))
    assert "另有 1 件办结时间早于受理时间、1 件办理时长为零，未计入" in footnote(fig)


# ---------------------------------------------------------------------------------------------
# Rendering: fonts, glyphs, language, notes, footnotes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_renders_without_missing_glyphs(
    county: pd.DataFrame, plain_matplotlib: None, name: str, lang: str
) -> None:
    """Built and drawn outside any style: the chart carries its fonts with it."""
    fig = CHARTS[name](county, lang=lang)
    assert render(fig).startswith(b"\x89PNG")
    shown = texts(fig)
    assert not [t for t in shown if PHONE.search(t)]
    assert not [t for t in shown if re.fullmatch(r"[a-z_]+\.[a-z_.]+", t)]  # no raw label keys
    if lang == "en":
        # The county's names are ASCII, so any Chinese left is a label missing in English.
        assert [t for t in shown if CJK.search(t)] == []
        assert "Source: not stated; as of " in footnote(fig)


def test_missing_glyphs_are_caught_by_the_render_check(plain_matplotlib: None) -> None:
    """The check above has teeth: Chinese in matplotlib's default font fails it."""
    fig = Figure()
    fig.text(0.5, 0.5, "办结率")
    with pytest.raises(UserWarning, match="missing from font"):
        render(fig)


EMPTY_INPUTS = {
    "trend": lambda: trend_chart(metrics.monthly_trend(frame([]))),
    "rates": lambda: rates_chart(metrics.summary(frame([]), by="department")),
    "ranking": lambda: ranking_chart(metrics.rank_units(frame([]), unit="department")),
    "weekday_hour": lambda: weekday_hour_chart(metrics.weekday_hour(frame([]))),
    "pareto": lambda: pareto_chart(metrics.summary(frame([]), by="topic")),
    "funnel": lambda: funnel_chart(metrics.summary(frame([]))),
    "duration": lambda: duration_chart(metrics.duration_distribution(frame([]))),
    "pareto_all_zero": lambda: pareto_chart(pd.DataFrame({"topic": ["A"], "accepted": [0]})),
    "weekday_all_zero": lambda: weekday_hour_chart(
        pd.DataFrame({"weekday": [0], "hour": [1], "accepted": [0]})
    ),
}


@pytest.mark.parametrize("name", EMPTY_INPUTS)
def test_empty_input_renders_a_centred_note(name: str) -> None:
    fig = EMPTY_INPUTS[name]()
    render(fig)
    notes = [t for t in fig.axes[0].texts if t.get_text() == "无数据"]
    assert notes and notes[0].get_position() == (0.5, 0.5)
    assert notes[0].get_horizontalalignment() == "center"


def test_ranking_without_qualified_units_says_so(county: pd.DataFrame) -> None:
    fig = ranking_chart(metrics.rank_units(county, unit="department", min_volume=1000))
    render(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["没有达到参评条件的单位"]
    assert f"另有 {len(DEPARTMENTS)} 个单位" in footnote(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_single_month_trend_renders_a_note(lang: str) -> None:
    df = frame(
        [
            {"order_id": str(i), "source_kind": "hotline", "received_at": f"2021-03-0{i + 1}"}
            for i in range(3)
        ]
    )
    fig = trend_chart(metrics.monthly_trend(df), lang=lang)
    render(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == [label("note.single_month", lang)]


def test_footnote_says_what_is_not_stated_when_attrs_are_lost() -> None:
    table = pd.DataFrame({"month": ["2021-01", "2021-02"], "accepted": [3, 4]})
    table["closure_rate"] = [1.0, 0.5]
    fig = trend_chart(table)
    assert footnote(fig).startswith("数据来源：未注明；统计截至：未注明；口径：未注明")


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({}, "数据来源：未注明；统计截至：未注明；口径：未注明"),
        ({"sources": ["a.xlsx"]}, "数据来源：a.xlsx；"),
        ({"sources": ["a.xlsx", "b.csv"]}, "数据来源：a.xlsx、b.csv；"),
        ({"sources": ["a.xlsx", "b.csv", "c.csv"]}, "数据来源：a.xlsx 等 3 个文件；"),
        ({"sources": [" ", ""]}, "数据来源：未注明；"),
        ({"as_of": "2022-01-04 08:28:48"}, "统计截至：2022年1月4日8时28分；"),
        ({"as_of": "not a date"}, "统计截至：not a date；"),
        ({"definitions": {"name": "beijing"}}, "口径：北京“三率”口径"),
        ({"definitions": {"name": "default, as of 2021-06-30"}}, "口径：default, as of 2021-06-30"),
        ({"definitions": "strict"}, "口径：严格口径"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_footnote_from_messy_attrs(attrs: dict, expected: str) -> None:
    assert expected in footnote_text(attrs)


def test_footnote_names_the_rate_formula_in_chinese_only() -> None:
    attrs = {"definitions": {"name": "default"}}
    assert footnote_text(attrs, rate="closure_rate").endswith("（办结率 = 办结件数 / 受理件数）")
    assert footnote_text(attrs, "en", rate="closure_rate").endswith("definition: default")


@pytest.mark.parametrize("text", ["数据来源：" + "很长的文件名" * 30, "Source: " + "word " * 80])
def test_wrapped_footnote_lines_fit_the_figure(text: str) -> None:
    from matplotlib.font_manager import FontProperties

    with style_context():
        fig = new_figure(8)
        wrapped = wrap_text(text, fig, FONT_SIZES["footnote"])
        renderer = fig.canvas.get_renderer()
        font = FontProperties(size=FONT_SIZES["footnote"])
        widths = [
            renderer.get_text_width_height_descent(line, font, ismath=False)[0]
            for line in wrapped.split("\n")
        ]
    assert len(widths) > 1
    assert max(widths) <= fig.bbox.width
    assert wrapped.replace("\n", "").replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(
    ("chart", "table", "message"),
    [
        (trend_chart, pd.DataFrame({"month": []}), "metrics.monthly_trend"),
        (rates_chart, pd.DataFrame({"department": ["A"]}), "metrics.summary"),
        (rates_chart, pd.DataFrame({"closure_rate": [1.0]}), "unit columns"),
        (ranking_chart, pd.DataFrame({"department": ["A"]}), "metrics.rank_units"),
        (weekday_hour_chart, pd.DataFrame({"hour": [1]}), "metrics.weekday_hour"),
        (pareto_chart, pd.DataFrame({"accepted": [1]}), "metrics.summary"),
        (funnel_chart, pd.DataFrame({"count": [1]}), "metrics.summary"),
        (duration_chart, pd.DataFrame({"band": [0]}), "metrics.duration_distribution"),
        (funnel_chart, [1, 2, 3], "expected a DataFrame"),
    ],
    ids=lambda v: getattr(v, "__name__", None) or str(v)[:20],
)
def test_wrong_input_gives_a_clear_error(chart: Callable, table: object, message: str) -> None:
    with pytest.raises(HotlineError, match=message):
        chart(table)


@pytest.mark.parametrize("chart", [trend_chart, funnel_chart, weekday_hour_chart])
def test_unknown_language_is_refused(chart: Callable) -> None:
    with pytest.raises(HotlineError, match="unknown language 'fr'"):
        chart(pd.DataFrame(), lang="fr")


def test_title_can_be_overridden(county: pd.DataFrame) -> None:
    fig = funnel_chart(metrics.summary(county), title="图3 2021年工单办理环节")
    assert fig.get_suptitle() == "图3 2021年工单办理环节"


# ---------------------------------------------------------------------------------------------
# Export: PNG size, fonts embedded in PDF, self-contained SVG, atomic files, names
# ---------------------------------------------------------------------------------------------


def check_files(fig: Figure, written: list[Path], dpi: int = 300) -> None:
    """The three report formats: PNG of the right size, PDF with the CJK font, SVG as paths."""
    by_format = {p.suffix: p for p in written}
    with Image.open(by_format[".png"]) as image:
        expected = fig.get_size_inches() * dpi
        assert np.allclose(image.size, expected, atol=1), (image.size, expected)
        assert image.info.get("dpi") and round(image.info["dpi"][0]) == dpi
    pdf = by_format[".pdf"].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # TrueType, embedded
    assert b"/Type3" not in pdf
    assert cjk_family().replace(" ", "").lower().encode() in pdf.lower()
    root = ET.fromstring(by_format[".svg"].read_bytes())
    assert root.tag.endswith("svg")
    assert not [e for e in root.iter() if e.tag.endswith("}text")]  # text drawn as paths


def test_save_figure_writes_report_files(county: pd.DataFrame, plain_matplotlib: None) -> None:
    fig = trend_chart(metrics.monthly_trend(county))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = save_figure(fig, "图1_月度趋势")
    folder = paths.figures_dir()
    assert written == [folder / f"图1_月度趋势.{fmt}" for fmt in ("png", "svg", "pdf")]
    check_files(fig, written)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    assert mpl.rcParams["pdf.fonttype"] == 3  # the style applied while saving only


def test_the_same_chart_saves_to_the_same_bytes(county: pd.DataFrame, tmp_path: Path) -> None:
    """A rebuilt report does not change its figure files when the data did not change."""
    saved = [
        [
            p.read_bytes()
            for p in save_figure(
                funnel_chart(metrics.summary(county)), "a", ("svg", "pdf"), folder=tmp_path / run
            )
        ]
        for run in ("first", "second")
    ]
    assert saved[0] == saved[1]


@pytest.mark.parametrize(
    "name",
    ["", "   ", "a/b", "a\\b", "../图1", ".hidden", "图1.", " 图1", "a:b", "a*b", "a\nb", "a|b"],
)
def test_save_figure_refuses_bad_names(name: str, tmp_path: Path) -> None:
    with pytest.raises(HotlineError, match="figure name"):
        save_figure(Figure(), name, folder=tmp_path / "figures")
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize("name", ["图1_月度趋势", "fig 2 (town)", "2021年报-图3"])
def test_good_names_pass(name: str) -> None:
    assert validate_name(name) == name


@pytest.mark.parametrize(
    ("formats", "written"),
    [(".PNG", ["x.png"]), (["svg", "svg"], ["x.svg"]), (("pdf", "png"), ["x.pdf", "x.png"])],
)
def test_save_figure_formats_are_normalised(formats: object, written: list, tmp_path: Path) -> None:
    paths_written = save_figure(Figure(), "x", formats, folder=tmp_path, dpi=20)
    assert [p.name for p in paths_written] == written


@pytest.mark.parametrize("formats", [("png", "docx"), (), "jpeg2000"])
def test_save_figure_refuses_unknown_formats_before_writing(
    formats: object, tmp_path: Path
) -> None:
    with pytest.raises(HotlineError):
        save_figure(Figure(), "x", formats, folder=tmp_path / "figures")
    assert not (tmp_path / "figures").exists()


def test_failed_save_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "x.png").write_bytes(b"old figure")
    fig = Figure()

    def broken(stream: io.BufferedWriter, **_: object) -> None:
        stream.write(b"half a fig")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        save_figure(fig, "x", ("png",), folder=folder)
    assert [p.name for p in folder.iterdir()] == ["x.png"]
    assert (folder / "x.png").read_bytes() == b"old figure"


# ---------------------------------------------------------------------------------------------
# Style and fonts
# ---------------------------------------------------------------------------------------------


def test_importing_plotting_changes_no_matplotlib_setting(tmp_path: Path) -> None:
    code = (
        "import matplotlib as mpl\n"
        "from matplotlib import font_manager\n"
        "before = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
        "fonts = len(font_manager.fontManager.ttflist)\n"
        "import hotline.plotting, hotline.plotting.charts, hotline.labels\n"
        "after = {k: repr(v) for k, v in mpl.rcParams.items()}\n"
        "changed = sorted(k for k in before if before[k] != after[k])\n"
        "assert not changed, changed\n"
        "assert len(font_manager.fontManager.ttflist) == fonts\n"
        "print('unchanged')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unchanged"


def test_use_style_applies_the_house_style() -> None:
    with mpl.rc_context():
        use_style()
        assert mpl.rcParams["font.family"][0] == cjk_family()
        assert mpl.rcParams["axes.unicode_minus"] is False
        assert (mpl.rcParams["pdf.fonttype"], mpl.rcParams["ps.fonttype"]) == (42, 42)
        assert mpl.rcParams["svg.fonttype"] == "path"
        assert np.allclose(mpl.rcParams["figure.figsize"][0] * 2.54, 16.0)
    assert mpl.rcParams["pdf.fonttype"] == mpl.rcParamsDefault["pdf.fonttype"]


@pytest.mark.parametrize(("lang", "first"), [("zh", "cjk"), ("en", "DejaVu Sans")])
def test_style_context_is_temporary_and_puts_the_language_font_first(lang: str, first: str) -> None:
    before = dict(mpl.rcParams)
    with style_context(lang):
        family = mpl.rcParams["font.family"]
        assert family[0] == (cjk_family() if first == "cjk" else first)
        assert cjk_family() in family  # Chinese names of units still render in English charts
    assert dict(mpl.rcParams) == before


def test_style_rc_is_a_plain_description(plain_matplotlib: None) -> None:
    rc = style_rc()
    assert rc["pdf.fonttype"] == 42
    assert mpl.rcParams["pdf.fonttype"] == 3


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        ({"DejaVu Sans"}, None),
        ({"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC"}, "Microsoft YaHei"),
        ({"PingFang SC", "Noto Sans CJK SC"}, "PingFang SC"),
        ({"Source Han Sans SC", "Noto Sans CJK SC"}, "Noto Sans CJK SC"),
        ({"Source Han Sans SC"}, "Source Han Sans SC"),
        ({"Noto Sans CJK JP", "SimSun"}, None),  # not a preferred face
        (set(), None),
    ],
)
def test_font_preference_order(installed: set, expected: str | None) -> None:
    assert fonts.choose_family(installed) == expected


def test_cjk_family_registers_the_bundled_font_once() -> None:
    bundled = fonts.bundled_font_path()
    assert bundled.is_file()
    fonts.cjk_family.cache_clear()
    first = fonts.cjk_family()
    fonts.cjk_family.cache_clear()
    assert fonts.cjk_family() == first
    entries = [e for e in font_manager.fontManager.ttflist if Path(e.fname) == bundled]
    faces = {(e.name, getattr(e, "index", 0)) for e in entries}
    assert len(entries) == len(faces)  # each face of the collection registered once
    found = font_manager.findfont(
        font_manager.FontProperties(family=first), fallback_to_default=False
    )
    assert Path(found).is_file()


def test_a_system_font_is_preferred_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    pingfang = font_manager.FontEntry(
        fname="/System/Library/Fonts/PingFang.ttc", name="PingFang SC"
    )
    monkeypatch.setattr(
        font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, pingfang]
    )
    fonts.cjk_family.cache_clear()
    try:
        assert fonts.cjk_family() == "PingFang SC"
    finally:
        fonts.cjk_family.cache_clear()


# ---------------------------------------------------------------------------------------------
# Labels and numbers
# ---------------------------------------------------------------------------------------------


def placeholders(template: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", template))


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_exists_in_both_languages(key: str) -> None:
    zh, en = LABELS[key]
    assert zh.strip() and en.strip()
    assert not CJK.search(en), en
    fields = {name.removesuffix("_lower"): "X" for name in placeholders(zh) | placeholders(en)}
    for lang in labels.LANGUAGES:
        assert "{" not in label(key, lang, **fields)


def test_labels_build_on_the_existing_catalogues() -> None:
    from hotline import schema

    for key, spec in RATES.items():
        assert (label(key), label(key, "en")) == (spec.zh, spec.en)
    for key, zh in COUNTS.items():
        assert label(key) == zh
    for key in ("department", "topic", "request_type", "channel"):
        assert label(key) == schema.column_label(key)
    assert label("town") == "乡镇（街道）"


def test_every_label_key_in_the_chart_code_exists() -> None:
    """Keys written out in the charts (templated ones are rendered by the tests above)."""
    sources = Path(labels.__file__).parent / "plotting"
    used = {
        key
        for path in sources.rglob("*.py")
        for key in re.findall(r'(?:label|with_unit)\(\s*"([^"]+)"', path.read_text("utf-8"))
    }
    used |= {
        key
        for path in sources.rglob("*.py")
        for key in re.findall(r'with_unit\([^)]*?,\s*"([^"]+)"', path.read_text("utf-8"))
    }
    assert len(used) > 30
    assert sorted(used - set(LABELS)) == []


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [("closure_rat", "closure_rate"), ("departmnt", "department"), ("note.emtpy", "note.empty")],
)
def test_unknown_label_names_the_closest_keys(typo: str, suggested: str) -> None:
    with pytest.raises(UnknownLabelError, match=re.escape(suggested)) as raised:
        label(typo)
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith(f"unknown label {typo!r}")


@given(st.text(min_size=1, max_size=30).filter(lambda k: k not in LABELS))
def test_any_unknown_key_raises_a_key_error(key: str) -> None:
    with pytest.raises(KeyError):
        label(key)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("优秀", "en", "Excellent"),
        ("不参评", "en", "Not ranked"),
        ("周三", "en", "Wed"),
        ("优秀", "zh", "优秀"),
        ("县教育局", "en", "县教育局"),
        ("", "en", ""),
    ],
)
def test_translate_data_words(text: str, lang: str, expected: str) -> None:
    assert translate(text, lang) == expected


def test_with_unit_uses_the_language_brackets() -> None:
    assert with_unit("accepted", "unit.count") == "受理量（件）"
    assert with_unit("accepted", "unit.count", "en") == "Accepted (requests)"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (9383, "zh", "9383"),  # as the report's text: 受理9383件
        (np.int64(9575), "zh", "9575"),
        (1028.0, "zh", "1028"),
        (12345, "zh", "1.23万"),
        (0, "zh", "0"),
        (9383, "en", "9,383"),
        (np.int64(1234567), "en", "1,234,567"),
        (None, "zh", "—"),
        (float("nan"), "en", "—"),
        (np.nan, "zh", "—"),
    ],
)
def test_count_text(value: object, lang: str, expected: str) -> None:
    assert count_text(value, lang) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["zh", "en"]))
def test_chart_counts_are_written_as_the_report_writes_them(value: int, lang: str) -> None:
    """One formatter: a chart's count is the report's count without its unit (件)."""
    written = report_numbers.format_value("count", value, lang)
    assert count_text(value, lang) == (written.removesuffix("件") if lang == "zh" else written)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.98769, "98.8%"), (1.0, "100.0%"), (0.0, "0.0%"), (np.float64(0.5), "50.0%"), (None, "—")],
)
def test_percent_text(value: object, expected: str) -> None:
    assert percent_text(value) == expected


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_percent_text_round_trips_within_its_precision(share: float) -> None:
    shown = percent_text(share)
    assert shown.endswith("%")
    assert abs(float(shown[:-1]) / 100 - share) <= 0.0005 + 1e-12


@pytest.mark.parametrize(
    ("hours", "lang", "expected"),
    [(89.05, "zh", "3.7 天"), (18, "zh", "18.0 小时"), (24, "en", "1.0 days"), (None, "zh", "—")],
)
def test_duration_text(hours: object, lang: str, expected: str) -> None:
    assert duration_text(hours, lang) == expected


# ---------------------------------------------------------------------------------------------
# The sample county: every chart, in both languages, in the three report formats
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(sample_county: tuple[Path, Path]) -> pd.DataFrame:
    return load(sample_county[1])


@pytest.mark.slow
@pytest.mark.parametrize("name", CHARTS)
def test_sample_charts_export_for_a_report(
    sample: pd.DataFrame, plain_matplotlib: None, tmp_path: Path, name: str
) -> None:
    fig = CHARTS[name](sample)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = save_figure(fig, name, folder=tmp_path)
    check_files(fig, written)
    sources = [entry["name"] for entry in sample.attrs["manifest"]["inputs"]]
    assert f"数据来源：{sources[0]} 等 {len(sources)} 个文件；" in footnote(fig)
    assert not [t for t in texts(fig) if PHONE.search(t)]


@pytest.mark.slow
@pytest.mark.parametrize("name", CHARTS)
def test_sample_charts_in_english(sample: pd.DataFrame, plain_matplotlib: None, name: str) -> None:
    fig = CHARTS[name](sample, lang="en")
    render(fig)
    chinese = [t for t in texts(fig) if CJK.search(t)]
    # Only data may be Chinese in an English chart: unit and topic names, export file names.
    names = {*sample["department"].dropna(), *sample["town"].dropna(), *sample["topic"].dropna()}
    leftovers = [t for t in chinese if not any(n in t for n in names) and "Source:" not in t]
    assert leftovers == []


@pytest.mark.slow
def test_sample_trend_shows_the_published_year(sample: pd.DataFrame) -> None:
    fig = trend_chart(metrics.monthly_trend(sample))
    heights = [p.get_height() for p in fig.axes[0].containers[0]]
    assert len(heights) == 12
    assert sum(heights) == sum(kind["accepted"] for kind in PUBLISHED.values())  # 9383 + 192


def test_charts_speak_the_language_of_their_data() -> None:
    stages = metrics.summary(
        frame([{"order_id": "1", "source_kind": "311", "received_at": "2021-03-01",
                "status": "closed", "closed_at": "2021-03-02"}])
    )  # fmt: skip
    stages.attrs["language"] = "en"
    english = funnel_chart(stages)
    assert english.get_suptitle() == funnel_chart(stages, lang="en").get_suptitle()
    assert english.get_suptitle() != funnel_chart(stages, lang="zh").get_suptitle()


@pytest.mark.parametrize("direct", [0, 3])
def test_a_unit_chart_says_direct_answers_have_no_unit_by_design(direct: int) -> None:
    """Two requests still open without a unit, and ``direct`` answered on the call."""
    status = ["answered_directly"] * direct + ["in_progress"] * 2 + ["closed"] * 6
    rows = [
        {"order_id": str(i), "source_kind": "hotline", "received_at": "2021-03-01 09:00",
         "status": code, "department": None if i < direct + 2 else "县教育局"}
        for i, code in enumerate(status)
    ]  # fmt: skip
    table = metrics.summary(frame(rows), by="department")
    note = footnote(rates_chart(table))
    unnamed = count_text(direct + 2, "zh")
    if direct:
        assert f"另有 {unnamed} 件没有承办单位" in note
        assert f"直接答复 {count_text(direct, 'zh')} 件" in note
    else:
        assert f"另有 {unnamed} 件未填写承办单位" in note
