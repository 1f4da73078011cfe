"""The house style: one call gives report-ready charts, in Chinese, on any machine.

The style is seaborn's clean ``whitegrid`` theme at ``paper`` scale, with:

* a restrained palette for government reports (:data:`REPORT_PALETTE`): navy for volumes,
  official red for rates and highlights, muted blues, gold and grey for the rest;
* figures sized for a Word page: 16 cm wide (A4 with 2.5 cm margins), text 8-11 pt, so a figure
  inserted at 100% matches the 小五/五号 text around it;
* the Chinese font first in the font list (:func:`hotline.plotting.fonts.cjk_family`), minus
  signs drawn with the hyphen (every font has it);
* fonts embedded as TrueType in PDF and PostScript (``fonttype`` 42, editable and searchable in
  Word and Acrobat), text as paths in SVG so the file shows the same everywhere.

Importing :mod:`hotline.plotting` changes nothing. :func:`use_style` applies the style to the
session (a notebook); :func:`style_context` applies it to a ``with`` block, which is what every
chart function does, so charts look right even when ``use_style`` was never called.

Example:
    >>> import matplotlib as mpl
    >>> with style_context():
    ...     mpl.rcParams["pdf.fonttype"], mpl.rcParams["axes.unicode_minus"]
    (42, False)
    >>> round(figure_size(9)[0] * 2.54, 1)
    16.0
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from hotline.labels import check_lang
from hotline.plotting.fonts import cjk_family

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "ACCENT",
    "FIGURE_WIDTH_CM",
    "FONT_SIZES",
    "LATIN_FAMILY",
    "MUTED",
    "NEUTRAL",
    "OTHER",
    "PRIMARY",
    "REPORT_PALETTE",
    "figure_size",
    "font_families",
    "style_context",
    "style_rc",
    "use_style",
]

#: Navy (藏青), official red (中国红), steel blue, gold, sage, grey: series colours in order.
REPORT_PALETTE: tuple[str, ...] = (
    "#1F4E79",
    "#C0392B",
    "#5B8DB8",
    "#C9A227",
    "#6B8E6B",
    "#8C8C8C",
)
#: Volumes and the main series.
PRIMARY = REPORT_PALETTE[0]
#: Rates drawn over volumes, highlights, 红榜.
ACCENT = REPORT_PALETTE[1]
#: A lighter companion of the primary colour (intervals, secondary bars).
MUTED = REPORT_PALETTE[2]
#: Reference lines, notes, 黑榜.
NEUTRAL = "#4D4D4D"
#: Aggregates such as 其他 (the rest), set apart from the named categories.
OTHER = "#A6A6A6"

#: Width of a figure on an A4 Word page with 2.5 cm margins.
FIGURE_WIDTH_CM = 16.0

#: Text sizes in points: body, title, axis titles, ticks and legends, footnote.
FONT_SIZES = {"body": 9.0, "title": 11.0, "label": 9.0, "tick": 8.0, "footnote": 7.5}

#: The Latin font of English charts (matplotlib's own, present everywhere).
LATIN_FAMILY = "DejaVu Sans"

_CM_PER_INCH = 2.54


def figure_size(height_cm: float, width_cm: float = FIGURE_WIDTH_CM) -> tuple[float, float]:
    """A figure size in inches (what matplotlib takes) from centimetres (what Word shows).

    Example:
        >>> [round(inches, 3) for inches in figure_size(8, 16)]
        [6.299, 3.15]
    """
    return (width_cm / _CM_PER_INCH, height_cm / _CM_PER_INCH)


def font_families(lang: str) -> list[str]:
    """Font families, first choice first; matplotlib falls back glyph by glyph along the list.

    Example:
        >>> font_families("en")[0]
        'DejaVu Sans'
    """
    cjk = cjk_family()
    # English charts still show Chinese names of units, so the CJK font stays as the fallback.
    return [cjk, LATIN_FAMILY] if lang == "zh" else [LATIN_FAMILY, cjk]


def style_rc(lang: str = "zh") -> dict[str, Any]:
    """The house style as matplotlib settings (``rcParams`` keys), without applying them.

    Args:
        lang: ``zh`` puts the Chinese font first; ``en`` the Latin one, with Chinese as fallback.

    Example:
        >>> style_rc()["svg.fonttype"]
        'path'
    """
    import seaborn as sns
    from cycler import cycler

    check_lang(lang)
    families = font_families(lang)
    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper"))
    rc.update(
        {
            # Explicit family names (not "sans-serif"), so text keeps its font after the block.
            "font.family": families,
            "font.sans-serif": [*families, "sans-serif"],
            "font.size": FONT_SIZES["body"],
            "figure.titlesize": FONT_SIZES["title"],
            "figure.titleweight": "normal",
            "axes.titlesize": FONT_SIZES["label"],
            "axes.labelsize": FONT_SIZES["label"],
            "xtick.labelsize": FONT_SIZES["tick"],
            "ytick.labelsize": FONT_SIZES["tick"],
            "legend.fontsize": FONT_SIZES["tick"],
            "legend.title_fontsize": FONT_SIZES["tick"],
            "legend.frameon": False,
            "axes.prop_cycle": cycler(color=list(REPORT_PALETTE)),
            "axes.edgecolor": "0.65",
            "axes.labelcolor": "0.15",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "grid.color": "0.88",
            "grid.linewidth": 0.6,
            "image.cmap": "Blues",
            "axes.unicode_minus": False,
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "path",
            "svg.hashsalt": "hotline",  # stable element ids: the same chart gives the same file
            "figure.figsize": figure_size(9.0),
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "savefig.dpi": 300,
            "savefig.facecolor": "white",
            "figure.constrained_layout.use": True,
        }
    )
    return rc


def use_style(lang: str = "zh") -> None:
    """Apply the house style to the whole session (for notebooks).

    In Jupyter it also makes a chart that is a cell's last value display as an image.

    Example:
        >>> import matplotlib as mpl
        >>> with mpl.rc_context():  # keep the doctest session as it was
        ...     use_style()
        ...     mpl.rcParams["ps.fonttype"]
        42
    """
    import matplotlib as mpl

    # matplotlib types rc keys as a Literal of every known name; style_rc's are such names.
    mpl.rcParams.update(cast("dict[RcKeyType, Any]", style_rc(lang)))
    _show_figures_in_notebook()


def _show_figures_in_notebook() -> None:
    """Let a chart returned as a cell's value display in Jupyter.

    The charts are built without pyplot (no global figure registry to leak memory in scripts
    and tests), so IPython does not know how to show them until a PNG formatter is registered
    for :class:`matplotlib.figure.Figure`. Outside IPython this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")


@contextmanager
def style_context(lang: str = "zh") -> Iterator[None]:
    """Apply the house style inside a ``with`` block only; settings are restored after it.

    Example:
        >>> import matplotlib as mpl
        >>> with style_context("en"):
        ...     mpl.rcParams["font.family"][0]
        'DejaVu Sans'
    """
    import matplotlib as mpl

    with mpl.rc_context(cast("dict[RcKeyType, Any]", style_rc(lang))):
        yield
