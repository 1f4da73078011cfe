"""What every chart shares: a styled figure, its title, its footnote and its notes.

The footnote says where a figure comes from, as metric results record it in ``attrs``: the raw
export files (``sources``), the moment the figures describe (``as_of``) and the definitions
(``definitions``). A result that lost its ``attrs`` (a hand-made table, a ``merge``) still
gives a footnote, saying what is not stated. A project that names its source once
(``source_label`` in ``hotline.toml``, :mod:`hotline.project`), or a chart given
``source_label=``, shows that name instead of the file names.

Example:
    >>> footnote_text({"sources": ["a.xlsx"], "as_of": "2022-01-04 08:28:48",
    ...                "definitions": {"name": "default"}})
    '数据来源：a.xlsx；统计截至：2022年1月4日8时28分；口径：默认口径'
    >>> footnote_text({}, "en")
    'Source: not stated; as of not stated; definition: not stated'
    >>> footnote_text({"sources": ["a.xlsx"]}, source_label="示例县12345热线平台")[:17]
    '数据来源：示例县12345热线平台'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hotline import project
from hotline.errors import HotlineError
from hotline.labels import definitions_title, label, time_text
from hotline.metrics.catalogue import RATES, denominator, numerator
from hotline.metrics.definitions import Definitions
from hotline.plotting.charts.text import drawable, literal, wrap_text
from hotline.plotting.style import FONT_SIZES, NEUTRAL, figure_size
from hotline.typed import Attrs

__all__ = [
    "Framing",
    "definitions_from_attrs",
    "finish",
    "footnote_text",
    "new_figure",
    "note_figure",
    "require_columns",
]

_FOOTNOTE_COLOUR = "0.35"
#: Sources named one by one up to this many; beyond, the first and a count.
_SOURCES_LISTED = 2


def require_columns(table: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise a clear error when ``table`` lacks columns a chart needs.

    Args:
        table: The chart's input.
        columns: Columns it must have.
        what: The metric function that makes such a table, for the message.

    Example:
        >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], "metrics.summary")
    """
    if not isinstance(table, pd.DataFrame):
        raise HotlineError(f"expected a DataFrame from {what}, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise HotlineError(
            f"the table lacks column(s) {', '.join(missing)}; pass the result of {what}"
        )


def new_figure(height_cm: float) -> Figure:
    """A figure of the house width, drawn by Agg (no pyplot: nothing global, nothing leaks).

    Call inside :func:`hotline.plotting.style.style_context`.

    Example:
        >>> [round(float(cm), 1) for cm in new_figure(8).get_size_inches() * 2.54]
        [16.0, 8.0]
    """
    fig = Figure(figsize=figure_size(height_cm), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _sources_text(sources: Any, lang: str) -> str:
    names = [str(s) for s in sources or [] if str(s).strip()]
    if not names:
        return label("footnote.not_stated", lang)
    if len(names) <= _SOURCES_LISTED:
        return label("footnote.separator", lang).join(names)
    return label("footnote.files", lang, first=names[0], n=len(names), more=len(names) - 1)


def _as_of_text(as_of: Any, lang: str) -> str:
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return label("footnote.not_stated", lang)
    try:
        return time_text(as_of, lang)  # as the report's text states it, not ISO
    except (ValueError, TypeError):
        return str(as_of)


def _definition_text(definitions: Any, lang: str) -> str:
    name = definitions.get("name") if isinstance(definitions, Mapping) else definitions
    if not name:
        return label("footnote.not_stated", lang)
    return definitions_title(str(name), lang)


def definitions_from_attrs(attrs: Attrs) -> Definitions:
    """The choices that change a rate's numerator and denominator, from a result's ``attrs``.

    Example:
        >>> definitions_from_attrs({"definitions": {"closure_base": "dispatched"}}).closure_base
        'dispatched'
    """
    described = attrs.get("definitions")
    described = described if isinstance(described, Mapping) else {}
    defaults = Definitions()
    return Definitions(
        closure_base=described.get("closure_base", defaults.closure_base),
        satisfaction_base=described.get("satisfaction_base", defaults.satisfaction_base),
    )


def _formula(rate: str, attrs: Attrs) -> str | None:
    """The catalogue's formula of ``rate`` when the definitions in ``attrs`` keep it."""
    spec = RATES.get(rate)
    if spec is None:
        return None
    definitions = definitions_from_attrs(attrs)
    same = (numerator(rate, definitions), denominator(rate, definitions)) == (
        spec.numerator,
        spec.denominator,
    )
    return f"{spec.zh} = {spec.formula}" if same else None


def footnote_text(
    attrs: Attrs, lang: str = "zh", rate: str | None = None, source_label: str | None = None
) -> str:
    """The footnote line: sources, as-of time and definitions of a metric result.

    Args:
        attrs: ``DataFrame.attrs`` of a metric result.
        lang: ``zh`` or ``en``.
        rate: A rate shown by the chart; in Chinese its formula follows the definitions' name
            when the definitions do not change it.
        source_label: The name of the data's source ("XX县12345热线平台"), shown instead of
            the export files' names.

    Example:
        >>> footnote_text({"definitions": {"name": "strict"}}, rate="closure_rate").split("；")[-1]
        '口径：严格口径（办结率 = 办结件数 / 受理件数）'
    """
    definition = _definition_text(attrs.get("definitions"), lang)
    formula = _formula(rate, attrs) if rate is not None and lang == "zh" else None
    if formula is not None:
        definition = label("footnote.formula", lang, definition=definition, formula=formula)
    return label(
        "footnote",
        lang,
        sources=source_label or _sources_text(attrs.get("sources"), lang),
        as_of=_as_of_text(attrs.get("as_of"), lang),
        definition=definition,
    )


@dataclass(frozen=True)
class Framing:
    """What frames a chart: its title, the footnote's facts, its language, title or caption.

    Attributes:
        title: The title of a standalone chart.
        attrs: ``attrs`` of the metric result drawn, for the footnote.
        lang: ``zh`` or ``en``.
        source_label: The data's source named in the footnote; default the project's
            (:func:`hotline.project.source_label`), else the export files.
        titled: Whether to draw ``title``; ``False`` for a chart a report captions.
    """

    title: str
    attrs: Attrs
    lang: str
    source_label: str | None = None
    titled: bool = True


def finish(
    fig: Figure,
    framing: Framing,
    *,
    notes: Sequence[str] = (),
    rate: str | None = None,
    caption: str | None = None,
    headline: str | None = None,
) -> Figure:
    """Add the title and the footnote (notes, then sources), lay out and fix the text styles.

    Call inside the style context: the final draw creates every tick label in the house font,
    so the figure renders the same when saved later outside the context.

    A chart in a report is captioned below the image (图3 各乡镇（街道）办结率): drawn with
    ``titled=False`` it has no title of its own, and its ``headline`` (what qualifies the
    caption: the funnel's base, "only the 20 largest of 98") is a small line at the top. A
    titled chart shows the headline in its title when the title holds it, else first in the
    footnote. Either way the figure's label (``Figure.get_label()``) is its caption.

    Args:
        fig: The chart.
        framing: Its title, the footnote's facts, language, and whether to draw the title.
        notes: Footnote lines before the source line.
        rate: A rate the chart shows, for the footnote's formula.
        caption: The chart's name in a report; default the title.
        headline: A short line qualifying the caption, shown once (see above).

    Example:
        >>> from hotline.plotting.style import style_context
        >>> with style_context("en"):
        ...     fig = finish(new_figure(6), Framing("Volume", {}, "en"), notes=["Note"])
        >>> fig.get_suptitle(), fig.get_supxlabel().splitlines()[0]
        ('Volume', 'Note')
        >>> with style_context():
        ...     fig = finish(new_figure(6), Framing("办结率", {}, "zh", titled=False),
        ...                  headline="仅列出受理量最多的 20 个单位")
        >>> fig.get_label(), fig.get_suptitle()
        ('办结率', '仅列出受理量最多的 20 个单位')
    """
    title, lang = framing.title, framing.lang
    fig.set_label(caption or title)
    if framing.titled:
        fig.suptitle(literal(drawable(title, lang)), fontsize=FONT_SIZES["title"])
        if headline and headline not in title:
            notes = [headline, *notes]
    elif headline:
        fig.suptitle(
            literal(drawable(headline, lang)),
            fontsize=FONT_SIZES["label"],
            color=_FOOTNOTE_COLOUR,
        )
    source = project.source_label(framing.source_label)
    lines = [*notes, footnote_text(framing.attrs, lang, rate, source)]
    text = wrap_text(drawable("\n".join(lines), lang), fig, FONT_SIZES["footnote"])
    fig.supxlabel(
        literal(text),
        x=0.01,
        ha="left",
        fontsize=FONT_SIZES["footnote"],
        color=_FOOTNOTE_COLOUR,
        linespacing=1.4,
    )
    fig.draw_without_rendering()
    return fig


def note_figure(
    note: str, framing: Framing, *, notes: Sequence[str] = (), height_cm: float = 6.0
) -> Figure:
    """A figure holding only a centred note (no data, one month…), titled and footnoted.

    Example:
        >>> from hotline.plotting.style import style_context
        >>> with style_context():
        ...     fig = note_figure("无数据", Framing("办结率", {}, "zh"))
        >>> [t.get_text() for t in fig.axes[0].texts]
        ['无数据']
    """
    fig = new_figure(height_cm)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        note,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=FONT_SIZES["title"],
        color=NEUTRAL,
    )
    return finish(fig, framing, notes=notes)
