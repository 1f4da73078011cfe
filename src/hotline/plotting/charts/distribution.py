"""How requests spread: over topics (a Pareto chart) and over handling time (bands)."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from hotline.errors import HotlineError
from hotline.labels import check_lang, label, with_unit
from hotline.metrics.summary import DIMENSIONS
from hotline.plotting.charts.axes import text_beside
from hotline.plotting.charts.frame import (
    Framing,
    finish,
    new_figure,
    note_figure,
    require_columns,
)
from hotline.plotting.charts.numbers import (
    count_formatter,
    count_text,
    duration_text,
    percent_formatter,
    percent_text,
)
from hotline.plotting.charts.rates import unit_names
from hotline.plotting.charts.text import fit_names, row_cm, wraps_whole
from hotline.plotting.style import (
    ACCENT,
    FONT_SIZES,
    NEUTRAL,
    OTHER,
    PRIMARY,
    figure_size,
    style_context,
)

__all__ = ["duration_chart", "pareto_chart", "pareto_table"]

_PARETO_HEIGHT_CM = 9.5
#: Pareto rows (long names): the height of the rest of the figure, and of a row.
_ROWS_FRAME_CM = 3.6
_ROW_CM = 0.55
#: The share of the figure's width the bars' slots span, and a category name's lines at most.
_SLOT_SHARE = 0.76
_CATEGORY_LINES = 3
_DURATION_HEIGHT_CM = 8.5


def pareto_table(table: pd.DataFrame, column: str, top: int, lang: str = "zh") -> pd.DataFrame:
    """The ``top`` categories by accepted orders, the rest (and a category 其他) as 其他, last.

    Returns:
        Columns ``name``, ``accepted``, ``cumulative_share``, largest first, 其他 last.

    Example:
        >>> table = pd.DataFrame({"topic": ["其他", "供暖", "教育", None],
        ...                       "accepted": [5, 50, 30, 15]})
        >>> pareto_table(table, "topic", 2).to_dict("list")["name"]
        ['供暖', '教育', '其他']
    """
    names = unit_names(table[column], column, lang)
    counts = (
        pd.DataFrame({"name": names, "accepted": table["accepted"].to_numpy(dtype=np.int64)})
        .groupby("name", sort=False, as_index=False)["accepted"]
        .sum()
    )
    other = label("other", lang)
    is_other = counts["name"].isin({other, label("other", "zh")})  # data says 其他 in any language
    ranked = counts[~is_other].sort_values("accepted", ascending=False, kind="stable")
    shown = ranked.head(top)
    rest = int(counts["accepted"].sum() - shown["accepted"].sum())
    if rest:
        shown = pd.concat([shown, pd.DataFrame({"name": [other], "accepted": [rest]})])
    shown = shown.reset_index(drop=True)
    shown["cumulative_share"] = shown["accepted"].cumsum() / counts["accepted"].sum()
    return shown


def pareto_chart(
    table: pd.DataFrame,
    *,
    by: str = "topic",
    top: int = 10,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """The ``top`` categories as bars (件), the rest as 其他, with the cumulative share (%).

    Names stand under their columns, wrapped to the column's width, when every one fits in
    three lines without breaking a word (Chinese categories such as 劳动和社会保障). Longer
    ones (Metal/Household Appliances, a 40-character category) turn the chart on its side:
    a row per category, the name left of its bar, the count and cumulative share beside it.

    Args:
        table: :func:`hotline.metrics.summary` by ``by`` (its column and ``accepted``).
        by: The dimension: ``topic``, ``type``, ``channel``, ``town``, ``department``…
        top: Categories shown on their own.
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label.

    Returns:
        The figure; a centred note when no request was accepted.

    Example:
        >>> table = pd.DataFrame({"topic": ["供暖", "教育", "税务"], "accepted": [50, 30, 20]})
        >>> fig = pareto_chart(table, top=2)
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['供暖', '教育', '其他']
    """
    lang = check_lang(lang, getattr(table, "attrs", None))
    column = DIMENSIONS.get(by, by)
    require_columns(table, [column, "accepted"], f"metrics.summary(data, by={by!r})")
    if top < 1:
        raise HotlineError(f"top must be at least 1, got {top}")
    with style_context(lang):
        title = title or label("title.pareto", lang, dimension=label(column, lang))
        framing = Framing(title, table.attrs, lang, source_label, titled)
        if table.empty or table["accepted"].sum() == 0:
            note = label("note.empty", lang)
            return note_figure(note, framing)
        shown = pareto_table(table, column, top, lang)
        fig = new_figure(_PARETO_HEIGHT_CM)
        slot = _SLOT_SHARE / len(shown)
        fonts = FONT_SIZES["tick"]
        if all(wraps_whole(n, fig, fonts, slot, _CATEGORY_LINES, lang) for n in shown["name"]):
            _columns(fig, shown, slot, lang)
        else:
            _rows(fig, shown, lang)
        return finish(fig, framing)


def _columns(fig: Figure, shown: pd.DataFrame, slot: float, lang: str) -> None:
    """Pareto columns: a bar per category, its name below, the cumulative share as a line."""
    ax = fig.add_subplot()
    x = np.arange(len(shown))
    name = with_unit("accepted", "unit.count", lang)
    bars = ax.bar(x, shown["accepted"], width=0.62, color=_colours(shown, lang), label=name)
    bar_texts = ax.bar_label(
        bars,
        labels=[count_text(c, lang) for c in shown["accepted"]],
        padding=2,
        fontsize=FONT_SIZES["tick"] - 0.5,
        color=NEUTRAL,
    )
    ax.set_ylim(0, shown["accepted"].max() * 1.12)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(count_formatter(lang))
    ax.set_ylabel(name)
    # level names, each wrapped to its bar's width: rotated ones would overlap and run off
    ax.set_xticks(x, fit_names(shown["name"], fig, lang, width=slot, lines=_CATEGORY_LINES))
    ax.set_xlim(-0.6, len(shown) - 0.4)
    ax.grid(axis="x", visible=False)
    right, line_texts = _draw_cumulative(
        ax, x, shown["cumulative_share"].to_numpy(dtype=float), lang
    )
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    fig.draw_without_rendering()  # lay out first: overlaps are judged where text will be
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()  # new_figure draws by Agg
    _clear_of(line_texts, list(bar_texts), renderer)


def _rows(fig: Figure, shown: pd.DataFrame, lang: str) -> None:
    """Pareto rows, for names too long to stand under a bar.

    Each name left of its bar (wrapped as beside the other bar charts), the count and the
    cumulative share right of it.
    """
    names = fit_names(shown["name"], fig, lang)
    fig.set_size_inches(figure_size(_ROWS_FRAME_CM + row_cm(names, _ROW_CM) * len(shown)))
    ax = fig.add_subplot()
    y = np.arange(len(shown))
    counts = shown["accepted"].to_numpy(dtype=float)
    ax.barh(y, counts, height=0.62, color=_colours(shown, lang), zorder=2)
    ax.set_yticks(y, names)
    ax.set_ylim(len(shown) - 0.4, -0.6)  # the largest on top, 其他 last
    ax.set_xlim(0, counts.max() * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.xaxis.set_major_formatter(count_formatter(lang))
    ax.set_xlabel(with_unit("accepted", "unit.count", lang))
    ax.grid(axis="y", visible=False)
    entries = [
        label("pareto.entry", lang, count=count_text(c, lang), share=percent_text(s, 0))
        for c, s in zip(counts, shown["cumulative_share"], strict=True)
    ]
    text_beside(ax, range(len(shown)), entries, color=NEUTRAL)


def _colours(shown: pd.DataFrame, lang: str) -> list[str]:
    """The named categories in the main colour, 其他 (the rest) in grey."""
    other = label("other", lang)
    return [OTHER if n == other else PRIMARY for n in shown["name"]]


def _clear_of(labels: list[Text], obstacles: list[Text], renderer: RendererBase) -> None:
    """Move a label under its point when it would cover the text of its bar."""
    for text, obstacle in zip(labels, obstacles, strict=True):
        if text.get_window_extent(renderer).overlaps(obstacle.get_window_extent(renderer)):
            text.set_position((0, -6))
            text.set_verticalalignment("top")


def _draw_cumulative(
    ax: Axes, x: np.ndarray, shares: np.ndarray, lang: str
) -> tuple[Axes, list[Text]]:
    right = ax.twinx()
    name = with_unit("cumulative_share", "unit.percent", lang)
    right.plot(x, shares, color=ACCENT, marker="o", markersize=3.5, linewidth=1.5, label=name)
    texts = []
    for xi, share in zip(x, shares, strict=True):
        text = right.annotate(
            percent_text(share, 0),
            (xi, share),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=FONT_SIZES["tick"] - 1,
            color=ACCENT,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
        texts.append(text)
    right.set_ylim(0, 1.12)
    right.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    right.yaxis.set_major_formatter(percent_formatter())
    right.set_ylabel(name)
    right.grid(False)
    right.spines["right"].set_visible(True)
    return right, texts


def duration_chart(
    distribution: pd.DataFrame,
    *,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """Closed orders per band of handling time (件, with shares), the median and 90th percentile.

    Handling time is close time minus receipt in calendar days (自然日, 24 hours, holidays
    included): the axis and a note say so, as a deadline in working days is another measure.

    Args:
        distribution: :func:`hotline.metrics.duration_distribution` (columns ``label``,
            ``label_en``, ``count``, ``share``; ``attrs`` ``median_hours``, ``p90_hours``,
            ``negative``, ``zero``).
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label.

    Returns:
        The figure; a centred note when no order was closed.

    Example:
        >>> bands = pd.DataFrame({"label": ["1天以内", "1-3天"], "label_en": ["<1 day", "1-3 days"],
        ...                       "count": [3, 1], "share": [0.75, 0.25]})
        >>> bands.attrs.update(median_hours=10.0, p90_hours=40.0)
        >>> [t.get_text() for t in duration_chart(bands).axes[0].texts][-1]
        '中位数 10.0 小时；90% 分位数 1.7 天'
    """
    lang = check_lang(lang, getattr(distribution, "attrs", None))
    require_columns(distribution, ["label", "count", "share"], "metrics.duration_distribution")
    attrs = distribution.attrs
    with style_context(lang):
        title = title or label("title.duration", lang)
        framing = Framing(title, attrs, lang, source_label, titled)
        if distribution.empty or distribution["count"].sum() == 0:
            note = label("note.empty", lang)
            return note_figure(note, framing)
        notes = [label("note.natural_days", lang)]
        if attrs.get("negative") or attrs.get("zero"):
            notes.append(
                label(
                    "note.durations_left_out",
                    lang,
                    negative=count_text(attrs.get("negative", 0), lang),
                    zero=count_text(attrs.get("zero", 0), lang),
                )
            )
        fig = new_figure(_DURATION_HEIGHT_CM)
        ax = fig.add_subplot()
        _draw_bands(ax, distribution, lang)
        return finish(fig, framing, notes=notes)


def _draw_bands(ax: Axes, distribution: pd.DataFrame, lang: str) -> None:
    x = np.arange(len(distribution))
    counts = distribution["count"].to_numpy(dtype=float)
    names_column = "label_en" if lang == "en" and "label_en" in distribution else "label"
    bars = ax.bar(x, counts, width=0.62, color=PRIMARY, zorder=2)
    texts = [
        f"{label('value.count', lang, value=count_text(c, lang))}\n{percent_text(s)}"
        for c, s in zip(counts, distribution["share"], strict=True)
    ]
    ax.bar_label(bars, labels=texts, padding=2, fontsize=FONT_SIZES["tick"] - 0.5, color=NEUTRAL)
    ax.set_ylim(0, counts.max() * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(count_formatter(lang))
    ax.set_ylabel(with_unit("closed", "unit.count", lang))
    ax.set_xticks(x, [str(n) for n in distribution[names_column]])
    ax.set_xlabel(label("handling_time.natural", lang))
    ax.grid(axis="x", visible=False)
    median, p90 = distribution.attrs.get("median_hours"), distribution.attrs.get("p90_hours")
    if median is not None or p90 is not None:
        stats = label(
            "duration.stats", lang, median=duration_text(median, lang), p90=duration_text(p90, lang)
        )
        ax.text(
            0.98,
            0.97,
            stats,
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=FONT_SIZES["tick"],
            color=NEUTRAL,
        )
