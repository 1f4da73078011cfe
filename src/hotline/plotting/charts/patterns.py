"""When requests arrive (weekday × hour heat map) and how far they get (the funnel)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from hotline.availability import INFORMATION
from hotline.errors import HotlineError
from hotline.labels import check_lang, label, with_unit
from hotline.metrics.catalogue import denominator, numerator
from hotline.metrics.declarations import active
from hotline.metrics.patterns import FUNNEL_STAGES
from hotline.plotting.charts.axes import text_beside
from hotline.plotting.charts.frame import (
    Framing,
    definitions_from_attrs,
    finish,
    new_figure,
    note_figure,
    require_columns,
)
from hotline.plotting.charts.numbers import (
    count_formatter,
    count_text,
    percent_text,
    rate_of_text,
)
from hotline.plotting.style import FONT_SIZES, MUTED, NEUTRAL, PRIMARY, style_context
from hotline.typed import Attrs

__all__ = ["LIFECYCLE", "funnel_chart", "lifecycle_stages", "weekday_hour_chart"]

_HEAT_HEIGHT_CM = 8.5
_FUNNEL_HEIGHT_CM = 8.5
_DAYS, _HOURS = 7, 24


def weekday_hour_chart(
    grid: pd.DataFrame,
    *,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """A heat map of accepted requests by weekday (周一…周日) and hour of receipt (0-23时).

    Args:
        grid: :func:`hotline.metrics.weekday_hour` (columns ``weekday`` 0 = Monday, ``hour``,
            ``accepted``).
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label.

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
        framing = Framing(title, grid.attrs, lang, source_label, titled)
        if grid.empty or grid["accepted"].sum() == 0:
            note = label("note.empty", lang)
            return note_figure(note, framing)
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
                "format": count_formatter(lang),
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
        return finish(fig, framing)


#: The lifecycle of every accepted request, each stage a subset of the one before:
#: (count column of ``metrics.summary``, the rate that stage is reported by, the information
#: an export must carry for the stage to exist, :data:`hotline.availability.INFORMATION`).
LIFECYCLE: tuple[tuple[str, str | None, str | None], ...] = (
    ("accepted", None, None),
    ("closed", "closure_rate", "closure"),
    ("revisited", "revisit_rate", "revisit"),
    ("satisfied", "satisfaction_rate", "evaluation"),
)
_STAGE_NAMES = {code: (zh, en) for code, zh, en in FUNNEL_STAGES}


def lifecycle_stages(summary: pd.DataFrame) -> pd.DataFrame:
    """The funnel's stages out of the year's summary: the counts and rates the report states.

    The stages follow every accepted request (受理 → 办结 → 回访 → 满意), so 办结 is the report's
    办结量 and 满意 its 满意件数, not the dispatched orders' subset. 派单 is not a stage: a
    request answered on the call is closed without being dispatched; the split is kept in
    ``attrs``. A stage the export holds no information on is left out, with the reason.

    Args:
        summary: :func:`hotline.metrics.summary` without ``by`` (one row).

    Returns:
        One row per stage: ``stage``, ``count``, ``rate`` (the catalogue key, missing for
        受理), ``rate_value``, ``numerator``, ``denominator`` (the rate's own counts under the
        definitions). ``attrs``: the summary's, plus ``left_out`` (stage -> reason) and
        ``partial`` (stage -> reason some orders lack the information), ``dispatched`` and
        ``direct`` (missing without dispatch information).

    Example:
        >>> summary = pd.DataFrame({"accepted": [10], "closed": [9], "closure_known": [10],
        ...     "closure_rate": [0.9], "revisited": [pd.NA], "revisit_known": [0],
        ...     "revisit_rate": [pd.NA], "satisfied": [pd.NA], "evaluated": [pd.NA],
        ...     "evaluation_known": [0], "satisfaction_rate": [pd.NA]})
        >>> stages = lifecycle_stages(summary)
        >>> stages[["stage", "count", "numerator", "denominator"]].to_dict("records")[1]
        {'stage': 'closed', 'count': 9, 'numerator': 9, 'denominator': 10}
        >>> stages.attrs["left_out"]
        {'revisited': '导出中没有回访记录', 'satisfied': '导出中没有满意度评价'}
    """
    require_columns(summary, ["accepted"], "metrics.summary(data, year=...)")
    if summary.empty:  # no order at all: 受理 0, nothing after it
        attrs = summary.attrs
        summary = pd.DataFrame({"accepted": [0]})
        summary.attrs.update(attrs)
    if len(summary) != 1:
        raise HotlineError(
            f"expected the one-row result of metrics.summary(data, year=...) without by=, "
            f"got {len(summary)} rows"
        )
    row = summary.iloc[0]
    definitions = definitions_from_attrs(summary.attrs)
    unavailable = summary.attrs.get("unavailable") or {}
    rows, left_out, partial = [], {}, {}
    for stage, rate, information in LIFECYCLE:
        count = row.get(stage)
        if rate is None or information is None:
            rows.append({"stage": stage, "count": _count(count)})
            continue
        top, bottom = numerator(rate, definitions), denominator(rate, definitions)
        reason = unavailable.get(rate) or INFORMATION[information].reason
        if _missing(count) or _missing(row.get(bottom)) or not _count(row.get(bottom)):
            left_out[stage] = reason
            continue
        if rate in unavailable:
            partial[stage] = unavailable[rate]
        rows.append(
            {
                "stage": stage,
                "count": _count(count),
                "rate": rate,
                "rate_value": None if _missing(row.get(rate)) else float(row[rate]),
                "numerator": _count(row.get(top)),
                "denominator": _count(row.get(bottom)),
            }
        )
    columns = ["stage", "count", "rate", "rate_value", "numerator", "denominator"]
    table = pd.DataFrame(rows).reindex(columns=columns)
    table = table.astype({c: "Int64" for c in ("count", "numerator", "denominator")})
    table.attrs.update(summary.attrs)
    dispatched, direct = row.get("dispatched"), row.get("direct")
    table.attrs.update(
        left_out=left_out,
        partial=partial,
        dispatched=None if _missing(dispatched) else _count(dispatched),
        direct=None if _missing(direct) else _count(direct),
    )
    return table


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _count(value: Any) -> int:
    return 0 if _missing(value) else int(value)


def funnel_chart(
    summary: pd.DataFrame,
    *,
    lang: str | None = None,
    title: str | None = None,
    source_label: str | None = None,
    titled: bool = True,
) -> Figure:
    """The lifecycle funnel 受理 → 办结 → 回访 → 满意 of every accepted request.

    The bars are the counts the report states (办结量, 满意件数 …), each as long as its share of
    受理, whose count the title names as the base. Beside each stage is the rate that stage is
    reported by, the value the metric returned with its own numerator and denominator (满意率 is
    over evaluated requests, not over 受理). Stages the export holds no information on are
    left out, and a note says which and why; 派单 and 直接答复 stand beside 受理.

    Args:
        summary: :func:`hotline.metrics.summary` without ``by``, e.g.
            ``metrics.summary(df, year=2021)`` (the table the report's figures come from).
        lang: ``zh`` or ``en``; default the data's language (``attrs``), else ``zh``.
        title: Overrides the default title.
        source_label: The data's source named in the footnote (default the project's,
            :func:`hotline.project.source_label`, else the export files).
        titled: Draw the title; ``False`` for a report, whose caption is the figure's label
            (工单办理环节转化) and whose image states the base in a small line at the top.

    Returns:
        The figure; a centred note when nothing was accepted.

    Example:
        >>> summary = pd.DataFrame({"accepted": [10], "closed": [8], "closure_known": [10],
        ...     "closure_rate": [0.8]})
        >>> fig = funnel_chart(summary)
        >>> [t.get_text() for t in fig.axes[0].get_yticklabels()], fig.get_suptitle()
        (['受理', '办结'], '工单办理环节转化（以受理量10件为基数）')
    """
    lang = check_lang(lang, getattr(summary, "attrs", None))
    stages = lifecycle_stages(summary)
    with style_context(lang):
        accepted = int(stages["count"].iloc[0])
        base = label("funnel.base", lang, n=count_text(accepted, lang))
        caption = title or label("title.funnel", lang)
        title = title or label("title.funnel_base", lang, title=caption, base=base)
        framing = Framing(title, stages.attrs, lang, source_label, titled)
        notes = _funnel_notes(stages, lang)
        if accepted == 0:
            return note_figure(label("note.empty", lang), framing, notes=notes)
        fig = new_figure(_FUNNEL_HEIGHT_CM - 1.2 * (len(LIFECYCLE) - len(stages)))
        ax = fig.add_subplot()
        _draw_funnel(ax, stages, lang)
        return finish(fig, framing, notes=notes, caption=caption, headline=base)


def _funnel_notes(stages: pd.DataFrame, lang: str) -> list[str]:
    notes = [label("note.funnel_rates", lang)] if len(stages) > 1 else []
    left_out = stages.attrs.get("left_out") or {}
    if left_out:
        names = label("footnote.separator", lang).join(_stage_name(s, lang) for s in left_out)
        reasons = "；".join(dict.fromkeys(left_out.values()))
        reason = reasons if lang == "zh" else label("reason.no_information", lang)
        notes.append(label("note.stages_left_out", lang, stages=names, reason=reason))
    if lang == "zh":
        partial = stages.attrs.get("partial") or {}
        notes += [f"{_stage_name(s, lang)}：{why}" for s, why in partial.items()]
    # a rate over fewer requests than the stage before it says which (回访率: only closed
    # requests whose export records revisits, not the online messages' replies)
    flags = active().flags
    definitions = definitions_from_attrs(stages.attrs)
    for before, (_, row) in zip(stages["count"], stages.iloc[1:].iterrows(), strict=False):
        bottom = denominator(str(row["rate"]), definitions)
        if int(row["denominator"]) != int(before) and bottom in flags:
            flag = flags[bottom]
            notes.append(
                label(
                    "note.funnel_base",
                    lang,
                    rate=label(str(row["rate"]), lang),
                    base=flag.zh if lang == "zh" else flag.en,
                    n=count_text(int(row["denominator"]), lang),
                )
            )
    return notes


def _stage_name(stage: str, lang: str) -> str:
    zh, en = _STAGE_NAMES[stage]
    return zh if lang == "zh" else en


def _stage_text(row: pd.Series, lang: str) -> str:
    rate = label(str(row["rate"]), lang)
    value = label("funnel.rate", lang, rate=rate, value=percent_text(row["rate_value"]))
    return rate_of_text(value, row["numerator"], row["denominator"], lang)


def _draw_funnel(ax: Axes, stages: pd.DataFrame, lang: str) -> None:
    counts = stages["count"].to_numpy(dtype=float)
    widest = counts.max()
    y = np.arange(len(stages))
    colours = sns.blend_palette([PRIMARY, MUTED], n_colors=max(len(stages), 2))[: len(stages)]
    ax.barh(y, counts, left=-counts / 2, height=0.72, color=colours, zorder=2)
    for yi, count, colour in zip(y, counts, colours, strict=True):
        narrow = count < widest * 0.22
        ax.text(
            count / 2 + widest * 0.01 if narrow else 0,
            yi,  # pyright: ignore[reportArgumentType]  # stub: y is float; numpy ints work
            label("value.count", lang, value=count_text(count, lang)),
            ha="left" if narrow else "center",
            va="center",
            fontsize=FONT_SIZES["label"],
            color=NEUTRAL if narrow else _text_on(colour),
        )
    beside = [_split_text(stages.attrs, lang, int(counts[0]))]
    beside += [_stage_text(row, lang) for _, row in stages.iloc[1:].iterrows()]
    text_beside(ax, range(len(y)), beside, color=NEUTRAL, linespacing=1.3)
    ax.set_yticks(y, [_stage_name(s, lang) for s in stages["stage"]])
    ax.set_ylim(len(stages) - 0.4, -0.6)  # 受理 on top
    ax.set_xlim(-widest / 2 * 1.02, widest / 2 * 1.02)
    ax.xaxis.set_visible(False)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _split_text(attrs: Attrs, lang: str, accepted: int) -> str:
    """派单, 直接答复 and the rest (neither) beside 受理, when some were answered on the call.

    Without direct answers (a 311 export: every request goes to a department) the split says
    nothing the 受理 bar does not.
    """
    dispatched, direct = attrs.get("dispatched"), attrs.get("direct")
    if dispatched is None or not direct:
        return ""
    lines = [
        label("funnel.split", lang, dispatched=count_text(dispatched, lang)),
        label("funnel.split_direct", lang, direct=count_text(direct, lang)),
    ]
    rest = accepted - dispatched - direct  # online messages: replied to, never dispatched
    if rest > 0:
        lines.append(label("funnel.split_rest", lang, rest=count_text(rest, lang)))
    return "\n".join(lines)


def _text_on(colour: tuple[float, float, float] | str) -> str:
    """White on a dark bar, dark grey on a light one."""
    red, green, blue = to_rgb(colour)
    return "white" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.6 else NEUTRAL
