"""The monthly trend: accepted orders as bars, a rate as a line on its own axis.

Example:
    >>> import pandas as pd
    >>> trend = pd.DataFrame({"month": ["2021-01", "2021-02"], "accepted": [878, 678],
    ...                       "closure_rate": [0.9989, 1.0]})
    >>> fig = trend_chart(trend)
    >>> fig.get_suptitle()
    '月度受理量与办结率'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator

from hotline.labels import check_lang, label, with_unit
from hotline.plotting.charts.frame import finish, new_figure, note_figure, require_columns
from hotline.plotting.charts.numbers import count_formatter, percent_formatter, percent_text
from hotline.plotting.style import ACCENT, FONT_SIZES, NEUTRAL, PRIMARY, style_context

__all__ = ["month_labels", "trend_chart"]

_HEIGHT_CM = 9.0
#: Month ticks shown at most; longer series label every second (third…) month.
_MAX_MONTH_TICKS = 18
#: Where the rate line sits on its axis (fractions of the height): above the bars, below the top.
_LINE_BAND = (0.64, 0.9)
#: Bars fill this fraction of the count axis, leaving the top for the line.
_BAR_SHARE = 0.56


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
    """Axis limits that put the rate line in the band above the bars."""
    low, high = float(np.nanmin(rates)), float(np.nanmax(rates))
    span = max(high - low, 0.02)
    bottom_share, top_share = _LINE_BAND
    height = span / (top_share - bottom_share)
    bottom = low - bottom_share * height
    return bottom, bottom + height


def _rate_ticks(bottom: float, top: float) -> list[float]:
    """Ticks within [0, 100%] only: the axis may extend past them to place the line."""
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(max(bottom, 0), min(top, 1))
    return [t for t in ticks if max(bottom, 0) - 1e-9 <= t <= min(top, 1) + 1e-9]


def trend_chart(
    trend: pd.DataFrame,
    *,
    rate: str = "closure_rate",
    lang: str | None = None,
    title: str | None = None,
) -> Figure:
    """Monthly accepted orders (bars, 件) with a rate (line, %) on a second axis.

    Args:
        trend: :func:`hotline.metrics.monthly_trend` (columns ``month``, ``accepted`` and
            ``rate``).
        rate: The rate column drawn as the line.
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.

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
        months = trend[trend["month"].notna()]
        if months.empty or months["accepted"].sum() == 0:
            return note_figure(label("note.empty", lang), title=title, attrs=trend.attrs, lang=lang)
        if len(months) == 1:
            note = label("note.single_month", lang)
            return note_figure(note, title=title, attrs=trend.attrs, lang=lang)
        fig = new_figure(_HEIGHT_CM)
        ax = fig.add_subplot()
        _draw_counts(ax, months, lang)
        handles = [*ax.get_legend_handles_labels()[0]]
        rates = months[rate].to_numpy(dtype=float)
        if not np.isnan(rates).all():
            right = ax.twinx()
            _draw_rate(right, rates, rate, lang)
            handles += right.get_legend_handles_labels()[0]
        ax.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(handles)
        )
        return finish(fig, title=title, attrs=trend.attrs, lang=lang, rate=rate)


def _draw_counts(ax: Axes, months: pd.DataFrame, lang: str) -> None:
    x = np.arange(len(months))
    counts = months["accepted"].to_numpy(dtype=float)
    name = with_unit("accepted", "unit.count", lang)
    bars = ax.bar(x, counts, width=0.62, color=PRIMARY, label=name, zorder=2)
    ax.bar_label(
        bars,
        labels=[f"{c:,.0f}" for c in counts],
        padding=2,
        fontsize=FONT_SIZES["tick"] - 0.5,
        color=NEUTRAL,
    )
    ax.set_ylim(0, counts.max() / _BAR_SHARE)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(count_formatter())
    ax.set_ylabel(name)
    ax.set_xlim(-0.6, len(months) - 0.4)
    step = int(np.ceil(len(months) / _MAX_MONTH_TICKS))
    ticks = x[::step]
    ax.set_xticks(ticks, month_labels(list(months["month"].iloc[::step]), lang))
    ax.set_xlabel(label("month", lang))
    ax.grid(axis="x", visible=False)


def _dips(values: np.ndarray, margin: float) -> list[bool]:
    """Points clearly below both neighbours: their label goes under the line, clear of it."""
    padded = np.concatenate([[np.nan], values, [np.nan]])
    dips = []
    for value, before, after in zip(values, padded[:-2], padded[2:], strict=True):
        neighbours = [n for n in (before, after) if not np.isnan(n)]
        dips.append(bool(neighbours) and bool(value < min(neighbours) - margin))
    return dips


def _draw_rate(ax: Axes, rates: np.ndarray, rate: str, lang: str) -> None:
    x = np.arange(len(rates))
    name = with_unit(rate, "unit.percent", lang)
    ax.plot(x, rates, color=ACCENT, marker="o", markersize=3.5, linewidth=1.5, label=name)
    bottom, top = _rate_limits(rates)
    dips = _dips(rates, margin=0.08 * (top - bottom))
    for xi, value, below in zip(x, rates, dips, strict=True):
        if not np.isnan(value):
            ax.annotate(
                percent_text(value),
                (xi, value),
                xytext=(0, -6 if below else 5),
                textcoords="offset points",
                ha="center",
                va="top" if below else "baseline",
                fontsize=FONT_SIZES["tick"] - 1,
                color=ACCENT,
            )
    ax.set_ylim(bottom, top)
    ticks = _rate_ticks(bottom, top)
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    span = (ticks[-1] - ticks[0]) if len(ticks) > 1 else 1.0
    ax.yaxis.set_major_formatter(percent_formatter(0 if span >= 0.04 else 1))
    ax.set_ylabel(name)
    ax.grid(False)
    ax.spines["right"].set_visible(True)
