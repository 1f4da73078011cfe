r"""Text on charts: drawable, literal, and no wider than its room.

Footnotes are wrapped to the figure's width (:func:`wrap_text`). Unit, town and topic names come
from exports and can be anything: 40 characters of "XX县XX镇人民政府XX办公室…", a Los Angeles
neighbourhood council of 96 characters, emoji, a dollar sign. On a chart read at 15.5 cm in
Word:

* characters no chart font draws (most emoji, CJK Extension B) are left out, not drawn as
  empty boxes (:func:`hotline.plotting.fonts.drawable_text`);
* a name is wrapped to its column (:data:`NAME_WIDTH` of the figure for the names beside
  horizontal bars), at most :data:`NAME_LINES` lines, and a name longer than that loses its
  middle to an ellipsis (某某县某某镇人民政府…工作办公室: the end, which tells similar names
  apart, stays): the report's tables, which every chart stands beside, carry every name in
  full. Wrapping keeps the usual names whole (县城市管理综合行政执法局 fits one line);
  shortening is for the rare name that would take a third of the page;
* ``$`` is shown as a dollar sign, never read as the start of a formula;
* bars are as far apart as their names are tall (:func:`row_cm`), so labels never overlap.

Example:
    >>> from hotline.plotting.charts.frame import new_figure
    >>> from hotline.plotting.style import style_context
    >>> with style_context():
    ...     fit_names(["县教育局", "🏠社区服务中心", "$5 fee"], new_figure(6), "zh")
    ['县教育局', '社区服务中心', '\\$5 fee']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from hotline.labels import label
from hotline.plotting.fonts import drawable_text
from hotline.plotting.style import FONT_SIZES, font_families

__all__ = [
    "ELLIPSIS",
    "NAME_LINES",
    "NAME_WIDTH",
    "drawable",
    "fit_names",
    "literal",
    "row_cm",
    "wrap_text",
    "wraps_whole",
]

#: Ends a name or line cut short; the tables keep the whole name.
ELLIPSIS = "…"
#: A name is cut between words when that keeps at least this share of what a cut anywhere would.
_WHOLE_WORDS_SHARE = 0.6
#: The widest a name beside a horizontal bar may be, as a fraction of the figure's width.
NAME_WIDTH = 0.28
#: Lines a name may take before it is cut short with an ellipsis.
NAME_LINES = 2
#: Line height of tick labels as a multiple of their size (matplotlib's default line spacing).
_LINE_SPACING = 1.2
#: Space between two rows' labels, in centimetres.
_ROW_GAP_CM = 0.14
_CM_PER_POINT = 2.54 / 72


def _clauses(text: str) -> list[str]:
    """Text cut after each ；or ; (a line breaks there rather than mid-clause when it can)."""
    return [c for c in re.split(r"(?<=[；;])", text) if c]


def _pieces(text: str) -> list[str]:
    """Break points: every CJK character alone, Latin words with the space before them.

    A line may also break after a hyphen or a slash (Metal/ Household, Council-Of-).
    """
    pieces: list[str] = []
    for char in text:
        previous = pieces[-1][-1] if pieces else ""
        if _is_wide(char) or not pieces or char == " " or _is_wide(previous) or previous in "-/":
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def wrap_text(
    text: str,
    fig: Figure,
    fontsize: float,
    width: float = 0.93,
    max_lines: int | None = None,
    *,
    balanced: bool = False,
) -> str:
    r"""Wrap ``text`` into lines that fit ``width`` (figure fraction), measured in its font.

    Lines break after a ；, between CJK characters and before Latin words; a word wider than
    the line is broken where it reaches the edge. With ``max_lines``, a longer text loses its
    middle to an ellipsis (head…tail). ``balanced`` makes the lines about equally long (卫生/健康,
    not 卫生健/康), for names. The margin below the full width absorbs font hinting, which
    makes text a few percent wider at some resolutions than at the one measured.

    Example:
        >>> from hotline.plotting.charts.frame import new_figure
        >>> from hotline.plotting.style import style_context
        >>> with style_context():  # measured in the font the text will be drawn in
        ...     fig = new_figure(4)
        ...     wrap_text("数据来源" * 20, fig, 8).count("\n")
        ...     name = wrap_text("某某县某某镇人民政府社会事务综合服务中心第三社区居委会", fig, 8,
        ...                      width=0.15, max_lines=2)
        ...     wrap_text("劳动和社会保障", fig, 8, width=0.1, balanced=True)
        1
        '劳动和社\n会保障'
        >>> name.count("\n"), "…" in name, name.endswith("第三社区居委会")
        (1, True, True)
    """
    within = _measure(fig, fontsize)
    limit = fig.bbox.width * width
    wrapped = _lines(text, within(limit))
    if max_lines is not None and len(wrapped) > max_lines:
        wrapped = _lines(_shortened(text, within(limit), max_lines), within(limit))
    elif balanced and len(wrapped) > 1:
        # the narrowest width that still needs no more lines
        low, high = limit / (len(wrapped) + 1), limit
        for _ in range(10):
            middle = (low + high) / 2
            if len(_lines(text, within(middle))) <= len(wrapped):
                high = middle
            else:
                low = middle
        wrapped = _lines(text, within(high))
    return "\n".join(wrapped)


def wraps_whole(
    text: str, fig: Figure, fontsize: float, width: float, max_lines: int, lang: str
) -> bool:
    """Whether ``text`` wraps into ``max_lines`` lines of ``width`` without breaking a word.

    Example:
        >>> from hotline.plotting.charts.frame import new_figure
        >>> from hotline.plotting.style import style_context
        >>> with style_context("en"):
        ...     fig = new_figure(4)
        ...     wraps_whole("Bulky Items", fig, 8, 0.1, 3, "en")
        ...     wraps_whole("Metal/Household Appliances", fig, 8, 0.06, 3, "en")
        True
        False
    """
    fits = _measure(fig, fontsize)(fig.bbox.width * width)
    shown = drawable(text, lang)
    return all(fits(piece.strip()) for piece in _pieces(shown)) and (
        len(_lines(shown, fits)) <= max_lines
    )


def _measure(fig: Figure, fontsize: float) -> Callable[[float], Callable[[str], bool]]:
    """``within(limit)``: whether a line in the figure's font at ``fontsize`` fits ``limit``."""
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()  # new_figure draws by Agg
    font = FontProperties(size=fontsize)

    def within(limit: float) -> Callable[[str], bool]:
        def fits(line: str) -> bool:
            return renderer.get_text_width_height_descent(line, font, ismath=False)[0] <= limit

        return fits

    return within


def _lines(text: str, fits: Callable[[str], bool]) -> list[str]:
    """``text`` broken greedily into lines that ``fits`` accepts."""
    wrapped = []
    for paragraph in text.split("\n"):
        line = ""
        for clause in _clauses(paragraph):
            for piece in [clause] if fits(clause) else _pieces(clause):
                # a word wider than a line (a long file name) is broken where it must be
                for part in [piece] if fits(piece.strip()) else list(piece):
                    if line and not fits(line + part):
                        wrapped.append(line.rstrip())
                        line = part.lstrip()
                    else:
                        line += part
        wrapped.append(line.rstrip())
    return wrapped


def _shortened(text: str, fits: Callable[[str], bool], max_lines: int) -> str:
    """``text`` cut in the middle (head…tail) to fit ``max_lines`` lines.

    The middle goes, not the end: names run from the general to the particular
    (某某县某某镇…第三社区居委会), so the end tells two long names apart. Latin text is cut
    between words, unless that keeps much less of it than cutting within words would.
    """
    by_words, by_characters = (
        _cut(_pieces(text), fits, max_lines),
        _cut(list(text), fits, max_lines),
    )
    return by_words if len(by_words) >= _WHOLE_WORDS_SHARE * len(by_characters) else by_characters


def _cut(units: list[str], fits: Callable[[str], bool], max_lines: int) -> str:
    """The most of ``units`` kept around an ellipsis that still fits ``max_lines`` lines."""

    def cut(kept: int) -> str:
        head = "".join(units[: (kept + 1) // 2]).rstrip()
        tail = "".join(units[len(units) - kept // 2 :]).lstrip() if kept // 2 else ""
        if head and tail and not (_is_wide(head[-1]) or _is_wide(tail[0])):
            return f"{head} {ELLIPSIS} {tail}"  # between words: the line may break there
        return head + ELLIPSIS + tail

    low, high = 0, len(units) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if len(_lines(cut(middle), fits)) <= max_lines:
            low = middle
        else:
            high = middle - 1
    return cut(low)


def drawable(text: str, lang: str) -> str:
    """``text`` without the characters none of the chart's fonts in ``lang`` can draw.

    A name made only of such characters is shown as a note that it cannot be displayed, not
    as an empty label.

    Example:
        >>> drawable("𠀀投诉", "zh"), drawable("🏠", "en")
        ('投诉', '(name cannot be displayed)')
    """
    shown = drawable_text(text, font_families(lang))
    if text.strip() and not shown.strip():
        return label("name.undrawable", lang)
    return shown


def literal(text: str) -> str:
    r"""``text`` as matplotlib should print it: every ``$`` a dollar sign, not mathtext.

    Example:
        >>> literal("$5 and $10")
        '\\$5 and \\$10'
    """
    return text.replace("$", r"\$")


def fit_names(
    names: Iterable[str],
    fig: Figure,
    lang: str,
    *,
    width: float = NAME_WIDTH,
    lines: int = NAME_LINES,
    fontsize: float = FONT_SIZES["tick"],
) -> list[str]:
    r"""Names as labels: drawable, wrapped to ``width`` (figure fraction) in ``lines`` at most.

    Call inside the chart's style context: names are measured in the font they are drawn in.

    Example:
        >>> from hotline.plotting.charts.frame import new_figure
        >>> from hotline.plotting.style import style_context
        >>> with style_context():
        ...     name, = fit_names(["某某县人民政府" * 9 + "办公室"], new_figure(6), "zh")
        >>> name.count("\n"), "…" in name, name.endswith("办公室")
        (1, True, True)
    """
    return [
        literal(wrap_text(drawable(str(name), lang), fig, fontsize, width, lines, balanced=True))
        for name in names
    ]


def row_cm(labels: Iterable[str], base_cm: float, fontsize: float = FONT_SIZES["tick"]) -> float:
    r"""The height of a row of bars: ``base_cm``, or more when its tallest label needs it.

    Example:
        >>> row_cm(["县教育局"], 0.55), round(row_cm(["某某县\n人民政府"], 0.55), 2)
        (0.55, 0.82)
    """
    tallest = max((text.count("\n") + 1 for text in labels), default=1)
    needed = tallest * fontsize * _LINE_SPACING * _CM_PER_POINT + _ROW_GAP_CM
    return max(base_cm, needed)
