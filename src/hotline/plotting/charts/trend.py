"""The monthly trend: accepted orders as bars, a rate as a line on its own axis from 0%.

A month whose orders are still within their time limit at the as-of time has a rate that will
still rise: the part of its bar still open is hatched, its point on the line is hollow, and a note
gives the counts (统计截止时仍在办理期限内 N件). The rate axis starts at 0%, so a dip of a few
points looks like a few points.

Example:
    >>> import pandas as pd
    >>> trend = pd.DataFrame({"month": ["2021-01", "2021-02"], "accepted": [878, 678],
    ...                       "closure_rate": [0.9989, 1.0]})
    >>> fig = trend_chart(trend)
    >>> fig.get_suptitle()
    '月度受理量与办结率'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FixedLocator, MaxNLocator

from hotline.labels import check_lang, label, with_unit
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
    percent_formatter,
    percent_text,
)
from hotline.plotting.style import ACCENT, FONT_SIZES, NEUTRAL, PRIMARY, style_context
from hotline.typed import Attrs

__all__ = ["month_labels", "pending_counts", "trend_chart"]

_HEIGHT_CM = 9.0
#: Month ticks shown at most; longer series label every second (third…) month.
_MAX_MONTH_TICKS = 18
#: The highest rate sits this high on its axis (a fraction of the height), under the legend.
_LINE_TOP = 0.9
#: Bars fill this fraction of the count axis, leaving the top for the line.
_BAR_SHARE = 0.56
_HATCH = "////"
#: Space left between a rate's label lifted over a bar's label and that label.
_LABEL_GAP_POINTS = 1.5


def month_labels(months: Sequence[str], lang: str = "zh") -> list[str]:
    """Tick labels of ``YYYY-MM`` months: 1月…12月 within one year, else the months as given.

    Example:
        >>> month_labels(["2021-01", "2021-02"]), month_labels(["2021-12", "2022-01"])
        (['1月', '2月'], ['2021-12', '2022-01'])
        >>> month_labels(["2021-03"], "en")
        ['Mar']
    """
    years = {str(m)[:4] for m in months}
    if len(years) == 1:
        return [label(f"month.{int(str(m)[5:7])}", lang) for m in months]
    return [str(m) for m in months]


def _rate_limits(rates: np.ndarray) -> tuple[float, float]:
    """Rate axis limits: from 0, the highest rate (or 100%) near the top, under the legend.

    Example:
        >>> [round(x, 3) for x in _rate_limits(np.array([0.868, 1.0]))]
        [0.0, 1.111]
    """
    return 0.0, max(float(np.nanmax(rates)), 1.0) / _LINE_TOP


def _rate_ticks(bottom: float, top: float) -> list[float]:
    """Ticks within [0, 100%] only: the axis extends past 100% to keep the line off the top."""
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(max(bottom, 0), min(top, 1))
    return [t for t in ticks if max(bottom, 0) - 1e-9 <= t <= min(top, 1) + 1e-9]


def pending_counts(trend: pd.DataFrame) -> pd.Series:
    """Orders of each month still open, and not past their deadline, at the as-of time.

    Open orders are those whose state is known and that are not closed by ``as_of``
    (``closure_known - closed``); those past their deadline (``open_overdue``) are late, not
    pending. Missing (0) where the export says nothing about closure.

    Example:
        >>> trend = pd.DataFrame({"month": ["2021-11", "2021-12"], "closure_known": [959, 839],
        ...     "closed": [957, 728], "open_overdue": [2, 0]})
        >>> pending_counts(trend).tolist()
        [0, 111]
    """
    needed = ("closure_known", "closed", "open_overdue")
    if any(column not in trend.columns for column in needed):
        return pd.Series(0, index=trend.index, dtype="int64")
    known = [pd.to_numeric(trend[c], errors="coerce").fillna(0) for c in needed]
    pending = (known[0] - known[1] - known[2]).clip(lower=0)
    return pending.astype("int64")


def _has_time_limits(attrs: Attrs) -> bool:
    """Whether every order has a deadline under the definitions (working days by rule)."""
    definitions = attrs.get("definitions")
    if not isinstance(definitions, Mapping):
        return True  # the default definitions give every order a deadline
    return definitions.get("default_time_limit") is not None


def _pending_note(
    months: pd.DataFrame, pending: pd.Series, rate: str, attrs: Attrs, lang: str
) -> str | None:
    """Which months have orders still within their time limit, and how many (and overdue)."""
    if not pending.any():
        return None
    overdue = pd.to_numeric(months.get("open_overdue", 0), errors="coerce")
    overdue = pd.Series(overdue, index=months.index).fillna(0).astype("int64")
    listed = []
    for name, n, late in zip(
        month_labels(list(months["month"]), lang), pending, overdue, strict=True
    ):
        if not n:
            continue
        key = "pending.month_overdue" if late else "pending.month"
        listed.append(
            label(key, lang, month=name, n=count_text(n, lang), overdue=count_text(late, lang))
        )
    key = "note.pending" if _has_time_limits(attrs) else "note.pending_open"
    return label(key, lang, months="、".join(listed) if lang == "zh" else "; ".join(listed),
                 rate=label(rate, lang))  # fmt: skip


def trend_chart(
    trend: pd.DataFrame,
    *,
    rate: str = "closure_rate",
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """Monthly accepted orders (bars, 件) with a rate (line, %, from 0) on a second axis.

    Args:
        trend: :func:`hotline.metrics.monthly_trend` (columns ``month``, ``accepted`` and
            ``rate``; ``closure_known``, ``closed`` and ``open_overdue`` mark the months with
            orders still within their time limit).
        rate: The rate column drawn as the line.
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label.

    Returns:
        The figure; a centred note instead of bars when there is no order, or one month only.

    Example:
        >>> one_month = pd.DataFrame({"month": ["2021-03"], "accepted": [5],
        ...                           "closure_rate": [0.8]})
        >>> [t.get_text() for t in trend_chart(one_month).axes[0].texts]
        ['仅一个月数据，无法显示趋势']
    """
    lang = check_lang(lang, getattr(trend, "attrs", None))
    require_columns(trend, ["month", "accepted", rate], "metrics.monthly_trend")
    with style_context(lang):
        title = title or label(
            "title.trend", lang, count=label("accepted", lang), rate=label(rate, lang)
        )
        framing = Framing(title, trend.attrs, lang, source_label, titled)
        months = trend[trend["month"].notna()]
        if months.empty or months["accepted"].sum() == 0 or len(months) == 1:
            key = "note.single_month" if len(months) == 1 else "note.empty"
            return note_figure(label(key, lang), framing)
        fig = new_figure(_HEIGHT_CM)
        ax = fig.add_subplot()
        pending = pending_counts(months)
        bar_texts = _draw_counts(ax, months, pending, trend.attrs, lang)
        handles = [*ax.get_legend_handles_labels()[0]]
        rates = months[rate].to_numpy(dtype=float)
        if not np.isnan(rates).all():
            right = ax.twinx()
            rate_texts = _draw_rate(right, rates, pending.to_numpy() > 0, rate, lang)
            handles += right.get_legend_handles_labels()[0]
            ax.legend(
                handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(handles)
            )
            _lift_over(rate_texts, bar_texts, fig)
        else:
            ax.legend(
                handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(handles)
            )
        note = _pending_note(months, pending, rate, trend.attrs, lang)
        return finish(fig, framing, notes=[note] if note else [], rate=rate)


def _draw_counts(
    ax: Axes, months: pd.DataFrame, pending: pd.Series, attrs: Attrs, lang: str
) -> list[Text]:
    """The bars of accepted orders (the still-open part hatched); returns their labels."""
    x = np.arange(len(months))
    counts = months["accepted"].to_numpy(dtype=float)
    name = with_unit("accepted", "unit.count", lang)
    bars = ax.bar(x, counts, width=0.62, color=PRIMARY, label=name, zorder=2)
    if pending.any():
        # the still-open part of each bar, on top of it: what may yet be closed
        open_part = pending.to_numpy(dtype=float)
        key = "legend.pending" if _has_time_limits(attrs) else "legend.pending_open"
        ax.bar(
            x[open_part > 0],
            open_part[open_part > 0],
            bottom=(counts - open_part)[open_part > 0],
            width=0.62,
            color="white",
            edgecolor=PRIMARY,
            hatch=_HATCH,
            linewidth=0.8,
            label=label(key, lang),
            zorder=3,
        )
    texts = ax.bar_label(
        bars,
        labels=[count_text(c, lang) for c in counts],
        padding=2,
        fontsize=FONT_SIZES["tick"] - 0.5,
        color=NEUTRAL,
    )
    ax.set_ylim(0, counts.max() / _BAR_SHARE)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(count_formatter(lang))
    ax.set_ylabel(name)
    ax.set_xlim(-0.6, len(months) - 0.4)
    step = int(np.ceil(len(months) / _MAX_MONTH_TICKS))
    ticks = x[::step]
    ax.set_xticks(ticks, month_labels(list(months["month"].iloc[::step]), lang))
    ax.set_xlabel(label("month", lang))
    ax.grid(axis="x", visible=False)
    return list(texts)


def _dips(values: np.ndarray, margin: float) -> list[bool]:
    """Points clearly below both neighbours: their label goes under the line, clear of it."""
    padded = np.concatenate([[np.nan], values, [np.nan]])
    dips = []
    for value, before, after in zip(values, padded[:-2], padded[2:], strict=True):
        neighbours = [n for n in (before, after) if not np.isnan(n)]
        dips.append(bool(neighbours) and bool(value < min(neighbours) - margin))
    return dips


def _draw_rate(
    ax: Axes, rates: np.ndarray, provisional: np.ndarray, rate: str, lang: str
) -> list[Annotation | None]:
    """The rate's line, points and labels; returns each month's label (``None`` without one)."""
    x = np.arange(len(rates))
    name = with_unit(rate, "unit.percent", lang)
    ax.plot(x, rates, color=ACCENT, marker="o", markersize=3.5, linewidth=1.5, label=name)
    if provisional.any():  # hollow: the rate of a month with orders still in time is not final
        ax.plot(
            x[provisional],
            rates[provisional],
            linestyle="none",
            marker="o",
            markersize=3.5,
            markerfacecolor="white",
            markeredgecolor=ACCENT,
            zorder=3,
        )
    bottom, top = _rate_limits(rates)
    dips = _dips(rates, margin=0.08 * (top - bottom))
    texts: list[Annotation | None] = []
    for xi, value, below in zip(x, rates, dips, strict=True):
        if np.isnan(value):
            texts.append(None)
            continue
        text = ax.annotate(
            percent_text(value),
            (xi, value),
            xytext=(0, -6 if below else 5),
            textcoords="offset points",
            ha="center",
            va="top" if below else "baseline",
            fontsize=FONT_SIZES["tick"] - 1,
            color=ACCENT,
            # readable where the line crosses a bar (a rate of 60% runs through the bars)
            bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
        texts.append(text)
    ax.set_ylim(bottom, top)
    ticks = _rate_ticks(bottom, top)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    span = (ticks[-1] - ticks[0]) if len(ticks) > 1 else 1.0
    ax.yaxis.set_major_formatter(percent_formatter(0 if span >= 0.04 else 1))
    ax.set_ylabel(name)
    ax.grid(False)
    ax.spines["right"].set_visible(True)
    return texts


def _lift_over(rate_texts: list[Annotation | None], bar_texts: list[Text], fig: Figure) -> None:
    """Move a month's rate label above its bar's label when the two would overlap.

    Where a low rate meets a high bar, the line runs through the bar's top; its label goes
    just over the count, where both can be read.
    """
    fig.draw_without_rendering()  # lay out first: overlaps are judged where text will be
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()  # new_figure draws by Agg
    for rate_text, bar_text in zip(rate_texts, bar_texts, strict=True):
        if rate_text is None:
            continue
        rate_box = rate_text.get_window_extent(renderer)
        bar_box = bar_text.get_window_extent(renderer)
        if not rate_box.overlaps(bar_box):
            continue
        lift = (bar_box.y1 - rate_box.y0) * 72 / fig.dpi + _LABEL_GAP_POINTS
        x_offset, y_offset = rate_text.xyann
        rate_text.xyann = (x_offset, y_offset + lift)
