"""Charts legible in Word whatever the names: long, odd, few, many; only charts with data.

Every chart is checked with :func:`legibility.assert_legible` (each drawn text inside the
figure, no two texts over each other, tick labels apart, no plot area squeezed to nothing) on
crafted units: names of 40 and more characters (Chinese, English, one long word), characters no
font has, a dollar sign, one unit, two units, a hundred units; in the slow tests on the sample
county and on Los Angeles 311 data. A report's charts are drawn without a title (the caption is
the title) and only when they have something to show.
"""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import cbook
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from conftest import shared_path
from hotline import ingest, load, metrics
from hotline.labels import label
from hotline.plotting import (
    annual_charts,
    funnel_chart,
    pareto_chart,
    ranking_chart,
    rates_chart,
    report_charts,
    trend_chart,
)
from hotline.plotting.charts.frame import new_figure
from hotline.plotting.charts.numbers import count_text
from hotline.plotting.charts.rates import MAX_UNITS
from hotline.plotting.charts.text import ELLIPSIS, NAME_LINES, NAME_WIDTH, fit_names, literal
from hotline.plotting.fonts import covered_codepoints
from hotline.plotting.style import FONT_SIZES, font_families, style_context
from legibility import LONG_EN, LONG_WORD, LONG_ZH, ODD, assert_legible, orders_of, problems

YEAR = 2021

#: Units as exports name them, each family a DataFrame of their orders.
FAMILIES: dict[str, Callable[[], pd.DataFrame]] = {
    "long": lambda: orders_of(
        [f"{LONG_ZH}{i}" for i in range(8)] + [f"{LONG_EN} {i}" for i in range(8)] + [LONG_WORD]
    ),
    "one": lambda: orders_of([LONG_ZH]),
    "two": lambda: orders_of([LONG_EN, "县教育局"]),
    "odd": lambda: orders_of([*ODD, "🏠"]),
    "many": lambda: orders_of({f"Neighborhood Council {i:03d}": 20 + i for i in range(100)}),
}

CHARTS: dict[str, Callable[..., Figure]] = {
    "rates": lambda df, **kw: rates_chart(metrics.summary(df, by="department", year=YEAR), **kw),
    "ranking": lambda df, **kw: ranking_chart(
        metrics.rank_units(df, unit="department", year=YEAR), **kw
    ),
    "pareto": lambda df, **kw: pareto_chart(metrics.summary(df, by="topic", year=YEAR), **kw),
    "funnel": lambda df, **kw: funnel_chart(metrics.summary(df, year=YEAR), **kw),
    "trend": lambda df, **kw: trend_chart(metrics.monthly_trend(df, year=YEAR), **kw),
}


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family(request: pytest.FixtureRequest) -> tuple[str, pd.DataFrame]:
    return request.param, FAMILIES[request.param]()


def drawn_quietly(fig: Figure) -> bytes:
    """Render ``fig`` with every warning an error: a missing glyph, a collapsed layout."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def tick_names(fig: Figure) -> list[str]:
    """The names a chart of units shows: its y tick labels, or a Pareto's x tick labels."""
    names = []
    for ax in fig.axes:
        for text in (*ax.get_yticklabels(), *ax.get_xticklabels()):
            if text.get_text() and not text.get_text().replace("%", "").strip("0123456789.,万"):
                continue  # a scale, not a name
            names.append(text.get_text())
    return [n for n in names if n]


def is_placeholder(fig: Figure) -> bool:
    """A figure that only says there is nothing to draw (one axes, switched off, one text)."""
    return len(fig.axes) == 1 and not fig.axes[0].axison and len(fig.axes[0].texts) == 1


# --- every chart, every family, in both modes ---------------------------------------------------


@pytest.mark.parametrize("titled", [True, False], ids=["standalone", "report"])
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_charts_of_awkward_units_are_legible(
    family: tuple[str, pd.DataFrame], chart: str, titled: bool
) -> None:
    _, df = family
    fig = CHARTS[chart](df, titled=titled)
    drawn_quietly(fig)
    assert_legible(fig)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("chart", ["rates", "ranking", "pareto"])
def test_no_glyph_is_missing_and_the_drawable_rest_is_kept(chart: str, lang: str) -> None:
    fig = CHARTS[chart](FAMILIES["odd"](), lang=lang)
    drawn_quietly(fig)  # "Glyph … missing from font(s)" would raise here
    covered = covered_codepoints(tuple(font_families(lang)))
    shown = "".join(tick_names(fig))
    for name in ODD:
        kept = "".join(c for c in name if ord(c) in covered)
        assert kept.strip() == "" or literal(kept) in shown
        assert all(ord(c) in covered for c in shown if c != "\n")
    unwrapped = "|".join(name.replace("\n", " ") for name in tick_names(fig))
    assert label("name.undrawable", lang) in unwrapped  # 🏠 alone: said, not a bare "2."


def test_a_dollar_sign_is_printed_not_typeset() -> None:
    fig = CHARTS["rates"](FAMILIES["odd"]())
    [fees] = [n for n in tick_names(fig) if "Fees" in n]
    assert fees == literal("Fees $5 and $10")
    assert not cbook.is_math_text(fees)  # matplotlib prints it as written


def test_long_names_wrap_in_their_column_and_keep_their_end() -> None:
    """Two names that differ only at the end stay apart on the chart."""
    first, second = f"{LONG_ZH}第一社区", f"{LONG_ZH}第二社区"
    fig = CHARTS["rates"](orders_of([first, second]))
    names = tick_names(fig)
    assert len(set(names)) == 2
    assert {n[-4:] for n in names} == {"第一社区", "第二社区"}
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    with style_context():  # measured in the chart's font
        font = FontProperties(size=FONT_SIZES["tick"])
        for name in names:
            assert ELLIPSIS in name and name.count("\n") == NAME_LINES - 1
            for line in name.split("\n"):
                width = renderer.get_text_width_height_descent(line, font, ismath=False)[0]
                assert width <= fig.bbox.width * NAME_WIDTH


def test_rows_are_as_tall_as_their_names() -> None:
    short = CHARTS["rates"](orders_of(["县教育局", "县民政局"]))
    long = CHARTS["rates"](orders_of([LONG_ZH, f"{LONG_ZH}2"]))
    assert long.get_size_inches()[1] > short.get_size_inches()[1]


names_text = st.lists(
    st.sampled_from(["县", "人民政府", "办公室", "Council", " ", "Neighborhood", "-", "/", "社区"]),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=40, deadline=None)
@given(names_text)
def test_a_fitted_name_fits_and_is_the_name_when_it_is_not_cut(name: str) -> None:
    with style_context():
        fig = new_figure(6)
        [fitted] = fit_names([name], fig, "zh")
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        font = FontProperties(size=FONT_SIZES["tick"])
        lines = fitted.split("\n")
        widths = [renderer.get_text_width_height_descent(ln, font, ismath=False)[0] for ln in lines]
    assert len(lines) <= NAME_LINES
    assert max(widths) <= fig.bbox.width * NAME_WIDTH
    if ELLIPSIS not in fitted:
        assert fitted.replace("\n", "").replace(" ", "") == name.replace(" ", "")


# --- at most twenty units ----------------------------------------------------------------------


@pytest.mark.parametrize("titled", [True, False])
def test_a_hundred_units_show_the_twenty_largest_and_say_so(titled: bool) -> None:
    df = FAMILIES["many"]()
    table = metrics.summary(df, by="department", year=YEAR)
    fig = rates_chart(table, titled=titled)
    shown = set(tick_names(fig))
    largest = set(table.nlargest(MAX_UNITS, "accepted")["department"])
    assert shown == largest
    notice = label("note.top_units", "zh", measure=label("accepted"), n=MAX_UNITS, total=len(table))
    where = fig.get_supxlabel() if titled else fig.get_suptitle()
    assert notice in where.replace("\n", "")
    assert fig.get_label() == label("title.rates", dimension=label("department"), rate="办结率")


# --- titles: in a standalone chart, not in a report's -------------------------------------------


def test_a_report_funnel_has_no_title_but_keeps_its_base() -> None:
    summary = metrics.summary(FAMILIES["two"](), year=YEAR)
    accepted = int(summary["accepted"].iloc[0])
    base = label("funnel.base", n=count_text(accepted, "zh"))
    standalone, report = funnel_chart(summary), funnel_chart(summary, titled=False)
    assert standalone.get_suptitle() == f"{label('title.funnel')}（{base}）"
    assert report.get_suptitle() == base  # a small line, the caption carries the title
    assert report.get_label() == standalone.get_label() == label("title.funnel")
    assert report._suptitle.get_fontsize() < standalone._suptitle.get_fontsize()


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_a_report_chart_draws_no_title_of_its_own(chart: str) -> None:
    df = FAMILIES["two"]()
    standalone, report = CHARTS[chart](df), CHARTS[chart](df, titled=False)
    assert standalone.get_label() == report.get_label()
    assert report.get_label() not in report.get_suptitle()


def test_report_charts_are_captioned_by_their_labels(tmp_path: Path) -> None:
    df = FAMILIES["two"]()
    drawn = report_charts(df, YEAR)(tmp_path)
    figures = annual_charts(df, YEAR, titled=False)
    assert list(drawn) == [fig.get_label() for fig in figures.values()]
    assert all(path.suffix == ".png" and path.exists() for path in drawn.values())
    assert label("title.funnel") in drawn  # the caption without the base the image states


# --- only charts with data ---------------------------------------------------------------------


def _one_month_no_towns() -> pd.DataFrame:
    df = orders_of(["县教育局", "县民政局"], months=1)
    return df.assign(town=pd.Series(pd.NA, index=df.index, dtype=df["town"].dtype))


def _nothing_rated() -> pd.DataFrame:
    df = orders_of(["县教育局"], per_unit=3)  # too few to rank
    return df.assign(satisfaction=pd.Series(pd.NA, index=df.index, dtype=df["satisfaction"].dtype))


@pytest.mark.parametrize(
    ("make", "absent"),
    [
        (_one_month_no_towns, {"trend", "town_closure"}),
        (_nothing_rated, {"department_ranking"}),
    ],
    ids=["one-month-no-towns", "nothing-ranked"],
)
def test_charts_without_data_are_left_out(
    make: Callable[[], pd.DataFrame], absent: set[str]
) -> None:
    figures = annual_charts(make(), YEAR, titled=False)
    assert absent.isdisjoint(figures)
    assert figures and not [key for key, fig in figures.items() if is_placeholder(fig)]


# --- the sample county and Los Angeles 311 --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("titled", [True, False], ids=["standalone", "report"])
def test_the_sample_charts_are_legible(sample_county: tuple[Path, Path], titled: bool) -> None:
    figures = annual_charts(sample_county[1], YEAR, titled=titled)
    found = {key: problems(fig) for key, fig in figures.items()}
    assert {key: p for key, p in found.items() if p} == {}
    assert not [key for key, fig in figures.items() if is_placeholder(fig)]


@pytest.fixture(scope="module")
def los_angeles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MyLA311 2020: 102 neighbourhood councils, three days of January (one month)."""
    export = shared_path("data", "real", "la311-hackforla", "requests.csv")
    out = tmp_path_factory.mktemp("la311") / "dataset"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PII_KEY", os.environ.get("HOTLINE_PII_KEY", "test-key-not-secret"))
        ingest([export], out=out, progress=False)
    return out


@pytest.mark.slow
def test_los_angeles_charts_are_legible_and_list_twenty_councils(los_angeles: Path) -> None:
    figures = annual_charts(los_angeles, 2020, titled=False)
    assert "trend" not in figures  # three days of one month: no trend to show
    found = {key: problems(fig) for key, fig in figures.items()}
    assert {key: p for key, p in found.items() if p} == {}
    towns = load(los_angeles)["town"].dropna().nunique()
    assert towns > MAX_UNITS
    assert len(tick_names(figures["town_closure"])) == MAX_UNITS
    assert f"(of {towns})" in figures["town_closure"].get_suptitle()
    with mpl.rc_context():
        drawn_quietly(figures["topics"])
