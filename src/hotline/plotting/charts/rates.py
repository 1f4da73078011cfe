"""A rate across units: one bar per department or town, its 95% interval, the overall level.

The whiskers are the Wilson intervals of :func:`hotline.metrics.summary`: a small unit's 100% is
two orders out of two, and its whisker shows how little that says. The dashed line is the overall
rate: the sum of the units' numerators over the sum of their denominators (orders without a unit
included), as the catalogue defines each rate.

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"department": ["县教育局", "县民政局"], "accepted": [40, 20],
    ...     "closed": [39, 20], "closure_rate": [0.975, 1.0],
    ...     "closure_rate_low": [0.87, 0.84], "closure_rate_high": [0.996, 1.0]})
    >>> fig = rates_chart(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # from the bottom up
    ['县教育局', '县民政局']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from hotline import schema
from hotline.errors import HotlineError
from hotline.labels import check_lang, label, with_unit
from hotline.metrics.catalogue import EVIDENCE, RATES, denominator, numerator
from hotline.metrics.definitions import Definitions
from hotline.metrics.rate import Rate
from hotline.plotting.charts.axes import bar_panels, barh_from_zero, text_beside, value_axis
from hotline.plotting.charts.frame import (
    Framing,
    definitions_from_attrs,
    finish,
    new_figure,
    note_figure,
    require_columns,
)
from hotline.plotting.charts.numbers import (
    count_text,
    percent_formatter,
    percent_text,
    rate_of_text,
)
from hotline.plotting.charts.text import fit_names, row_cm
from hotline.plotting.style import ACCENT, MUTED, NEUTRAL, figure_size, style_context

__all__ = [
    "MAX_UNITS",
    "UNIT_COLUMNS",
    "overall_rate",
    "rates_chart",
    "unit_column",
    "unit_names",
]

#: Columns a breakdown's units can be in, in the order they are looked for.
UNIT_COLUMNS = ("department", "town", "topic", "request_type", "channel", "source_kind", "status")

#: Units a chart of units lists at most, by volume; the report's tables list them all.
MAX_UNITS = 20

_ROW_CM = 0.55
_FRAME_CM = 4.2
#: Break the value axis only when it would start at or above this rate.
_BREAK_FROM = 0.25


def unit_column(table: pd.DataFrame, unit: str | None = None) -> str:
    """The column holding the units of a breakdown: ``unit``, else the first one found.

    Example:
        >>> unit_column(pd.DataFrame({"month": ["2021-01"], "town": ["河东镇"]}))
        'town'
    """
    if unit is not None:
        if unit not in table.columns:
            raise HotlineError(f"the table has no column {unit!r}")
        return unit
    for column in UNIT_COLUMNS:
        if column in table.columns:
            return column
    raise HotlineError(
        f"the table has none of the unit columns {', '.join(UNIT_COLUMNS)}; pass the result of "
        "metrics.summary(data, by=...) or name the column with unit="
    )


def unit_names(values: pd.Series, column: str, lang: str = "zh") -> list[str]:
    """Display names of units: enumeration codes as labels, a missing unit as 未填写.

    Example:
        >>> unit_names(pd.Series(["complaint", None]), "request_type")
        ['投诉', '未填写']
    """
    enum = schema.ENUMS.get(column)
    names = []
    for value in values:
        if pd.isna(value):
            names.append(label("not_recorded", lang))
        elif enum is not None and value in enum.codes:
            names.append(enum.label(value, lang))
        else:
            names.append(str(value))
    return names


def overall_rate(table: pd.DataFrame, rate: str) -> float | None:
    """The overall ``rate`` of a breakdown: summed numerators over summed denominators.

    Uses the definitions recorded in ``table.attrs`` (办结率 over dispatched orders under the
    ``beijing`` preset); ``None`` when the count columns are not in the table or sum to 0.

    Missing, too, when some orders' exports cannot support the rate (see
    :data:`hotline.metrics.catalogue.EVIDENCE`).

    Example:
        >>> table = pd.DataFrame({"closed": [39, 20], "accepted": [40, 20],
        ...                       "closure_known": [40, 20]})
        >>> round(overall_rate(table, "closure_rate"), 4)
        0.9833
        >>> overall_rate(table.assign(closure_known=[40, 0]), "closure_rate") is None
        True
    """
    if rate not in RATES:
        return None
    definitions = definitions_from_attrs(table.attrs)
    top, bottom = numerator(rate, definitions), denominator(rate, definitions)
    if top not in table.columns or bottom not in table.columns:
        return None
    evidence = EVIDENCE.get(rate)
    if evidence is not None and (
        evidence not in table.columns or table[evidence].sum() != table["accepted"].sum()
    ):
        return None
    return Rate(int(table[top].sum()), int(table[bottom].sum())).value


def _overall_value(overall: Rate | float | None, table: pd.DataFrame, rate: str) -> float | None:
    if isinstance(overall, Rate):
        return overall.value
    if overall is None:
        return overall_rate(table, rate)
    value = float(overall)
    return None if math.isnan(value) else value


def rates_chart(
    table: pd.DataFrame,
    rate: str = "closure_rate",
    *,
    overall: Rate | float | None = None,
    top: int | None = MAX_UNITS,
    unit: str | None = None,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """Horizontal bars of a rate per unit, best at the top, with 95% intervals and the overall.

    At most ``top`` units: Los Angeles' 98 neighbourhood councils in one chart are unreadable;
    they are the units with the most orders (a small unit's rate says little, see its
    whisker), and the chart says so. Long names wrap, and are cut short after two lines
    (:mod:`hotline.plotting.charts.text`); the rows are as tall as their names.

    Bars start at 0. When every rate and interval lies well above 0 the value axis is broken
    (:mod:`hotline.plotting.charts.axes`): a stub from 0, ``//``, then the range that holds the
    values, and a note says so.

    Args:
        table: :func:`hotline.metrics.summary` by ``department`` or ``town`` (or another
            dimension): the unit column, ``rate``, ``<rate>_low``, ``<rate>_high``.
        rate: The rate to show, a key of :data:`hotline.metrics.RATES`.
        overall: The reference line: a :class:`~hotline.metrics.Rate` or a share; default the
            overall rate of ``table`` (:func:`overall_rate`).
        top: Show only the ``top`` units with the most orders (the headline says so, see
            ``titled``); ``None`` for all.
        unit: The unit column; default the first of :data:`UNIT_COLUMNS` in the table.
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label
            and which shows the choice of ``top`` units as a small line at the top.

    Returns:
        The figure; a centred note when no unit has the rate.

    Example:
        >>> table = pd.DataFrame({"town": ["河东镇", "城关街道"], "accepted": [50, 200],
        ...     "closed": [49, 190], "closure_rate": [0.98, 0.95],
        ...     "closure_rate_low": [0.895, 0.910], "closure_rate_high": [0.996, 0.973]})
        >>> fig = rates_chart(table, top=1)
        >>> fig.get_suptitle(), fig.get_supxlabel().splitlines()[0]
        ('各乡镇（街道）办结率', '仅列出受理量最多的 1 个单位（共 2 个）')
    """
    lang = check_lang(lang, getattr(table, "attrs", None))
    column = unit_column(table, unit)
    require_columns(table, [rate, f"{rate}_low", f"{rate}_high"], "metrics.summary(data, by=...)")
    with style_context(lang):
        title = title or label(
            "title.rates", lang, dimension=label(column, lang), rate=label(rate, lang)
        )
        framing = Framing(title, table.attrs, lang, source_label, titled)
        shown = table[table[column].notna() & table[rate].notna()]
        notes = _missing_unit_notes(table, column, lang)
        if shown.empty:
            note = label("note.empty", lang)
            return note_figure(note, framing)
        headline = None
        if top is not None and len(shown) > top:
            size = "accepted" if "accepted" in shown.columns else f"{rate}_low"
            headline = label(
                "note.top_units", lang, measure=label(size, lang), n=top, total=len(shown)
            )
            shown = shown.nlargest(top, size, keep="first")
        # Ties: the unit with more orders behind its rate goes higher.
        shown = shown.sort_values([rate, f"{rate}_low"], ascending=True, kind="stable")
        level = _overall_value(overall, table, rate)
        fig = new_figure(_FRAME_CM)
        names = fit_names(unit_names(shown[column], column, lang), fig, lang)
        fig.set_size_inches(figure_size(_FRAME_CM + row_cm(names, _ROW_CM) * len(shown)))
        floor, ceiling = _axis_range(_seen(shown, rate, level))
        ((stub, ax),) = bar_panels(fig, [len(shown)], floor=floor, ceiling=ceiling)
        _draw_bars(stub, ax, shown, names, rate, level, lang)
        _value_column(ax, shown, rate, definitions_from_attrs(table.attrs), lang)
        if stub is not None:
            notes.append(label("note.axis_break", lang, floor=percent_text(floor, 0)))
        return finish(fig, framing, notes=notes, rate=rate, headline=headline)


def _seen(shown: pd.DataFrame, rate: str, level: float | None) -> list[float]:
    """Every value the axis must hold: rates, interval ends and the overall level."""
    columns = [rate, f"{rate}_low", f"{rate}_high"]
    values = [*shown[columns].to_numpy(dtype=float).ravel(), *([level] if level else [])]
    return [v for v in values if not np.isnan(v)]


def _missing_unit_notes(table: pd.DataFrame, column: str, lang: str) -> list[str]:
    if "accepted" not in table.columns:
        return []
    unnamed = table.loc[table[column].isna()]
    orders = int(unnamed["accepted"].sum())
    if not orders:
        return []
    name = label(column, lang)
    # answered on the call, a request has no unit by design: not a unit left blank
    direct = int(unnamed["direct"].fillna(0).sum()) if "direct" in unnamed else 0
    if column == "department" and direct:
        return [
            label(
                "note.not_recorded_direct",
                lang,
                n=count_text(orders, lang),
                direct=count_text(direct, lang),
                dimension=name,
            )
        ]
    return [label("note.not_recorded", lang, n=count_text(orders, lang), dimension=name)]


def _draw_bars(
    stub: Axes | None,
    ax: Axes,
    shown: pd.DataFrame,
    names: list[str],
    rate: str,
    level: float | None,
    lang: str,
) -> None:
    y = np.arange(len(shown))
    values = shown[rate].to_numpy(dtype=float)
    low = shown[f"{rate}_low"].to_numpy(dtype=float)
    high = shown[f"{rate}_high"].to_numpy(dtype=float)
    floor, ceiling = ax.get_xlim()
    barh_from_zero(stub, ax, y, values, height=0.62, color=MUTED, zorder=2)
    whiskers = ax.errorbar(
        values,
        y,
        xerr=[np.nan_to_num(values - low), np.nan_to_num(high - values)],
        fmt="none",
        ecolor=NEUTRAL,
        elinewidth=0.8,
        capsize=2,
        zorder=3,
    )
    handles: list[Any] = [whiskers]
    entries = [label("legend.interval", lang)]
    if level is not None:
        ax.axvline(level, color=ACCENT, linestyle="--", linewidth=1.0, zorder=4)
        handles.insert(0, Line2D([], [], color=ACCENT, linestyle="--", linewidth=1.0))
        entries.insert(0, label("legend.overall", lang, value=percent_text(level)))
    ax.set_xlim(floor, ceiling + (ceiling - floor) * 0.012)  # room for the whiskers' caps
    value_axis(
        stub,
        ax,
        percent_formatter(),
        with_unit(rate, "unit.percent", lang),
        MaxNLocator(nbins=6, steps=[1, 2, 5, 10]),
    )
    names_ax = stub if stub is not None else ax
    names_ax.set_yticks(y, names)
    names_ax.set_ylim(-0.6, len(shown) - 0.4)
    for panel in (stub, ax):
        if panel is not None:
            panel.grid(axis="y", visible=False)
    # on the main panel: a legend in the narrow stub would widen it (constrained layout)
    ax.legend(handles, entries, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2)


def _axis_range(values: list[float]) -> tuple[float, float]:
    """Axis ends on 5% steps, at least half a point clear of every value and bound, in [0, 1].

    The axis starts at 0 (unbroken) unless the values leave at least a quarter of it empty.

    Example:
        >>> _axis_range([0.95, 0.99]), _axis_range([0.2, 0.99])
        ((0.9, 1.0), (0.0, 1.0))
    """
    floor = max(0.0, math.floor((min(values) - 0.005) * 20) / 20)
    ceiling = min(1.0, math.ceil((max(values) + 0.005) * 20) / 20)
    return (floor if floor >= _BREAK_FROM else 0.0), ceiling


def _value_column(
    ax: Axes, shown: pd.DataFrame, rate: str, definitions: Definitions, lang: str
) -> None:
    """Each unit's rate and its numerator/denominator, in a column right of the plot."""
    top, bottom = numerator(rate, definitions), denominator(rate, definitions)
    has_counts = top in shown.columns and bottom in shown.columns
    texts = [
        rate_of_text(percent_text(row[rate]), row[top], row[bottom], lang)
        if has_counts
        else percent_text(row[rate])
        for _, row in shown.iterrows()
    ]
    text_beside(ax, range(len(shown)), texts)
