"""When requests arrive (weekday × hour heat map) and how far they get (the funnel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from hotline.labels import check_lang, label, translate, with_unit
from hotline.plotting.charts.frame import finish, new_figure, note_figure, require_columns
from hotline.plotting.charts.numbers import count_formatter, count_text, percent_text
from hotline.plotting.style import FONT_SIZES, MUTED, NEUTRAL, PRIMARY, style_context

__all__ = ["funnel_chart", "weekday_hour_chart"]

_HEAT_HEIGHT_CM = 8.5
_FUNNEL_HEIGHT_CM = 8.5
_DAYS, _HOURS = 7, 24


def weekday_hour_chart(
    grid: pd.DataFrame, *, lang: str | None = None, title: str | None = None
) -> Figure:
    """A heat map of accepted requests by weekday (周一…周日) and hour of receipt (0-23时).

    Args:
        grid: :func:`hotline.metrics.weekday_hour` (columns ``weekday`` 0 = Monday, ``hour``,
            ``accepted``).
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.

    Returns:
        The figure; a centred note when no request was accepted.

    Example:
        >>> grid = pd.DataFrame({"weekday": [0, 6], "hour": [9, 22], "accepted": [12, 3]})
        >>> fig = weekday_hour_chart(grid, lang="en")
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2], fig.axes[0].get_xlabel()
        (['Mon', 'Tue'], 'Hour received (h)')
    """
    lang = check_lang(lang, getattr(grid, "attrs", None))
    require_columns(grid, ["weekday", "hour", "accepted"], "metrics.weekday_hour")
    with style_context(lang):
        title = title or label("title.weekday_hour", lang)
        if grid.empty or grid["accepted"].sum() == 0:
            return note_figure(label("note.empty", lang), title=title, attrs=grid.attrs, lang=lang)
        matrix = (
            grid.pivot_table(index="weekday", columns="hour", values="accepted", aggfunc="sum")
            .reindex(index=range(_DAYS), columns=range(_HOURS))
            .fillna(0)
        )
        fig = new_figure(_HEAT_HEIGHT_CM)
        ax = fig.add_subplot()
        sns.heatmap(
            matrix,
            ax=ax,
            cmap=sns.light_palette(PRIMARY, as_cmap=True),
            linewidths=0.6,
            linecolor="white",
            cbar_kws={
                "label": with_unit("accepted", "unit.count", lang),
                "format": count_formatter(),
                "pad": 0.02,
            },
        )
        ax.set_yticks(
            np.arange(_DAYS) + 0.5, [label(f"weekday.{d}", lang) for d in range(_DAYS)], rotation=0
        )
        ax.set_xticks(np.arange(_HOURS) + 0.5, [str(h) for h in range(_HOURS)], rotation=0)
        ax.tick_params(length=0)
        ax.set_xlabel(with_unit("hour", "unit.hour_of_day", lang))
        ax.set_ylabel(label("weekday", lang))
        return finish(fig, title=title, attrs=grid.attrs, lang=lang)


def funnel_chart(
    stages: pd.DataFrame, *, lang: str | None = None, title: str | None = None
) -> Figure:
    """The lifecycle funnel 受理 → 派单 → 办结 → 回访 → 满意: counts and conversions.

    Args:
        stages: :func:`hotline.metrics.funnel` (columns ``label``, ``label_en``, ``count``,
            ``of_previous``, ``of_first``; ``attrs["direct"]``: answered on the call).
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.

    Returns:
        The figure; a centred note when nothing was accepted.

    Example:
        >>> stages = pd.DataFrame({"stage": ["accepted", "dispatched"],
        ...     "label": ["受理", "派单"], "label_en": ["Accepted", "Dispatched"],
        ...     "count": [10, 8], "of_previous": [1.0, 0.8], "of_first": [1.0, 0.8]})
        >>> [t.get_text() for t in funnel_chart(stages).axes[0].get_yticklabels()]
        ['受理', '派单']
    """
    lang = check_lang(lang, getattr(stages, "attrs", None))
    require_columns(stages, ["label", "count", "of_previous", "of_first"], "metrics.funnel")
    with style_context(lang):
        title = title or label("title.funnel", lang)
        if stages.empty or stages["count"].iloc[0] == 0:
            note = label("note.empty", lang)
            return note_figure(note, title=title, attrs=stages.attrs, lang=lang)
        notes = []
        direct = stages.attrs.get("direct")
        if direct:
            notes.append(label("note.direct", lang, n=count_text(direct)))
        fig = new_figure(_FUNNEL_HEIGHT_CM)
        ax = fig.add_subplot()
        _draw_funnel(ax, stages, lang)
        return finish(fig, title=title, attrs=stages.attrs, lang=lang, notes=notes)


def _stage_names(stages: pd.DataFrame, lang: str) -> list[str]:
    if lang == "en" and "label_en" in stages.columns:
        return [str(s) for s in stages["label_en"]]
    return [translate(str(s), lang) for s in stages["label"]]


def _draw_funnel(ax: Axes, stages: pd.DataFrame, lang: str) -> None:
    counts = stages["count"].to_numpy(dtype=float)
    widest = counts.max()
    y = np.arange(len(stages))
    colours = sns.blend_palette([PRIMARY, MUTED], n_colors=len(stages))
    ax.barh(y, counts, left=-counts / 2, height=0.72, color=colours, zorder=2)
    for yi, count, colour in zip(y, counts, colours, strict=True):
        narrow = count < widest * 0.22
        ax.text(
            count / 2 + widest * 0.01 if narrow else 0,
            yi,  # pyright: ignore[reportArgumentType]  # stub: y is float; numpy ints work
            label("value.count", lang, value=count_text(count)),
            ha="left" if narrow else "center",
            va="center",
            fontsize=FONT_SIZES["label"],
            color=NEUTRAL if narrow else _text_on(colour),
        )
    where = blended_transform_factory(ax.transAxes, ax.transData)
    rows = zip(y[1:], stages["of_previous"].iloc[1:], stages["of_first"].iloc[1:], strict=True)
    for yi, previous, first in rows:
        text = "\n".join(
            [
                label("funnel.of_previous", lang, value=percent_text(previous)),
                label("funnel.of_first", lang, value=percent_text(first)),
            ]
        )
        ax.text(
            1.02,
            yi,
            text,
            transform=where,
            ha="left",
            va="center",
            fontsize=FONT_SIZES["tick"],
            color=NEUTRAL,
            linespacing=1.3,
        )
    ax.set_yticks(y, _stage_names(stages, lang))
    ax.set_ylim(len(stages) - 0.4, -0.6)  # 受理 on top
    ax.set_xlim(-widest / 2 * 1.02, widest / 2 * 1.02)
    ax.xaxis.set_visible(False)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _text_on(colour: tuple[float, float, float] | str) -> str:
    """White on a dark bar, dark grey on a light one."""
    red, green, blue = to_rgb(colour)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.6 else NEUTRAL
