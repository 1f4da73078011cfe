"""红黑榜: the best and the worst ranked units, their composite score and band.

Units below the minimum volume (rank missing, band 不参评) are not on either list: two orders
closed out of two do not make the best unit of the county. The footnote says how many were left
out, and how the score is weighted. Bars start at 0; when every score is high the score axis is
broken (a stub from 0, ``//``, then the scores' range) and a note says so.

Example:
    >>> import pandas as pd
    >>> ranking = pd.DataFrame({"department": ["县教育局", "县民政局", "县水利局"],
    ...     "score": [96.5, 91.0, 100.0], "rank": pd.array([1, 2, None], dtype="Int64"),
    ...     "band": ["优秀", "良好", "不参评"]})
    >>> fig = ranking_chart(ranking, top=1)
    >>> [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    ['红榜（前 1 名）', '黑榜（后 1 名）']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from hotline.labels import check_lang, label, translate, with_unit
from hotline.plotting.charts.axes import bar_panels, barh_from_zero, text_beside, value_axis
from hotline.plotting.charts.frame import (
    Framing,
    finish,
    new_figure,
    note_figure,
    require_columns,
)
from hotline.plotting.charts.numbers import percent_text
from hotline.plotting.charts.rates import unit_names
from hotline.plotting.charts.text import drawable, fit_names, row_cm
from hotline.plotting.style import ACCENT, NEUTRAL, figure_size, style_context

__all__ = ["ranking_chart"]

_ROW_CM = 0.62
_FRAME_CM = 4.6
_PANEL_GAP_CM = 1.2
#: Break the score axis only when it would start at or above this score.
_BREAK_FROM = 25


def ranking_chart(
    ranking: pd.DataFrame,
    *,
    top: int = 5,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """Two panels: 红榜 (the ``top`` best ranked units) over 黑榜 (the ``top`` worst).

    Long names wrap, and are cut short after two lines (:mod:`hotline.plotting.charts.text`);
    the rows are as tall as their names.

    Args:
        ranking: :func:`hotline.metrics.rank_units` (the unit column first, then ``score``,
            ``rank``, ``band``).
        top: Units per list. With fewer than ``2 * top`` ranked units the black list holds those
            not on the red one; with ``top`` or fewer, there is no black list.
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label.

    Returns:
        The figure; a centred note when no unit is ranked.

    Example:
        >>> ranking = pd.DataFrame({"town": ["河东镇", "城关街道"], "score": [96.0, 88.5],
        ...     "rank": pd.array([1, 2], dtype="Int64"), "band": ["优秀", "一般"]})
        >>> fig = ranking_chart(ranking, top=1, lang="en")
        >>> fig.get_suptitle(), [t.get_text() for t in fig.axes[2].get_yticklabels()]
        ('Best and worst by town (sub-district)', ['2. 城关街道'])
    """
    lang = check_lang(lang, getattr(ranking, "attrs", None))
    require_columns(ranking, ["score", "rank", "band"], "metrics.rank_units")
    column = ranking.columns[0]
    with style_context(lang):
        title = title or label("title.ranking", lang, dimension=_title(column, lang))
        framing = Framing(title, ranking.attrs, lang, source_label, titled)
        ranked = ranking[ranking["rank"].notna()].sort_values(
            ["rank", "score"], ascending=[True, False], kind="stable"
        )
        notes = _notes(ranking, len(ranking) - len(ranked), lang)
        if ranked.empty:
            note = label("note.no_ranked" if len(ranking) else "note.empty", lang)
            return note_figure(note, framing, notes=notes)
        best = ranked.head(top)
        worst = ranked.iloc[len(best) :].tail(top).iloc[::-1]  # the worst first
        panels = [(best, "ranking.red", ACCENT)]
        if not worst.empty:
            panels.append((worst, "ranking.black", NEUTRAL))
        rows = sum(len(p) for p, _, _ in panels)
        fig = new_figure(_FRAME_CM)
        names = [_ranked_names(units, column, fig, lang) for units, _, _ in panels]
        row = row_cm([name for panel in names for name in panel], _ROW_CM)
        gaps = _PANEL_GAP_CM * (len(panels) - 1)
        fig.set_size_inches(figure_size(_FRAME_CM + row * rows + gaps))
        floor = _score_floor(ranked["score"].to_numpy(dtype=float))
        pairs = bar_panels(fig, [len(p) for p, _, _ in panels], floor=floor, ceiling=100)
        for (stub, ax), (units, key, colour), shown in zip(pairs, panels, names, strict=True):
            _draw_panel(stub, ax, units, shown, colour, lang)
            # on the main panel: a title wider than the stub would widen it (constrained layout)
            ax.set_title(label(key, lang, n=len(units)), loc="left", color=colour)
        last_stub, last = pairs[-1]
        locator = MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=True)
        value_axis(
            last_stub, last, ScalarFormatter(), with_unit("score", "unit.score", lang), locator
        )
        if last_stub is not None:
            notes.append(label("note.axis_break", lang, floor=f"{floor:g}"))
        return finish(fig, framing, notes=notes)


def _ranked_names(units: pd.DataFrame, column: Any, fig: Figure, lang: str) -> list[str]:
    """``1. 县教育局``: each unit's rank and name, fitted to the names' column."""
    # a name of undrawable characters only is named as such, not left as a bare "2."
    names = [drawable(name, lang) for name in unit_names(units[column], str(column), lang)]
    ranks = [f"{int(r)}. " for r in units["rank"]]
    return fit_names([r + n for r, n in zip(ranks, names, strict=True)], fig, lang)


def _title(column: str, lang: str) -> str:
    """The label of a column or rate, or its own name when the catalogue has none."""
    try:
        return label(column, lang)
    except KeyError:
        return str(column)


def _notes(ranking: pd.DataFrame, unranked: int, lang: str) -> list[str]:
    notes = []
    weights = ranking.attrs.get("weights")
    if isinstance(weights, Mapping) and weights:
        total = sum(float(w) for w in weights.values()) or 1.0
        terms = " + ".join(
            f"{_title(rate, lang)} × {percent_text(float(w) / total, 0)}"
            for rate, w in weights.items()
        )
        notes.append(label("note.score_formula", lang, terms=terms))
    if unranked:
        min_volume = ranking.attrs.get("min_volume")
        if min_volume is None:
            notes.append(label("note.unranked_any", lang, n=unranked))
        else:
            notes.append(label("note.unranked", lang, n=unranked, min_volume=min_volume))
    return notes


def _score_floor(scores: np.ndarray) -> float:
    """Where the main score axis starts: 10s of points at least 5 below the lowest score.

    0 (no break) when that would leave out less than a quarter of the scale.

    Example:
        >>> _score_floor(np.array([85.9, 96.5])), _score_floor(np.array([12.0, 96.5]))
        (80.0, 0.0)
    """
    floor = float(max(0, math.floor((np.nanmin(scores) - 5) / 10) * 10))
    return floor if floor >= _BREAK_FROM else 0.0


def _draw_panel(
    stub: Axes | None, ax: Axes, units: pd.DataFrame, names: list[str], colour: str, lang: str
) -> None:
    y = np.arange(len(units))
    scores = units["score"].to_numpy(dtype=float)
    barh_from_zero(stub, ax, y, scores, height=0.62, color=colour, zorder=2)
    names_ax = stub if stub is not None else ax
    names_ax.set_yticks(y, names)
    names_ax.set_ylim(len(units) - 0.4, -0.6)  # first row on top
    for panel in (stub, ax):
        if panel is not None:
            panel.grid(axis="y", visible=False)
    entries = [
        label("ranking.entry", lang, score=f"{score:.2f}", band=translate(str(band), lang))
        for score, band in zip(scores, units["band"], strict=True)
    ]
    text_beside(ax, range(len(y)), entries)
