"""Save a chart for a report: 300 dpi PNG, SVG and PDF, written atomically.

PNG works in every Word version, SVG in recent ones (Microsoft 365, Word 2019 and later; sharp at
any zoom), PDF suits print shops and LaTeX. Fonts are embedded in the PDF (TrueType) and SVG text
is drawn as paths, so the files look the same on a machine without the Chinese font.

Each file is written under a temporary name in the target folder and renamed into place, so a
report build never picks up half a file, and an interrupted save leaves the old figure intact.

Example:
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> folder = tempfile.mkdtemp()
    >>> [p.name for p in save_figure(Figure(), "图1_月度趋势", ("png", "svg"), folder=folder)]
    ['图1_月度趋势.png', '图1_月度趋势.svg']
    >>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hotline import paths
from hotline.errors import HotlineError
from hotline.plotting.style import style_context

__all__ = ["DEFAULT_FORMATS", "save_figure", "validate_name"]

#: What a report needs: a raster for Word, a vector for Word and the web, a PDF for print.
DEFAULT_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: File metadata that would change on every save (dates): left out, so same chart, same bytes.
_STABLE_METADATA = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}

_FORBIDDEN = set('/\\:*?"<>|')


def validate_name(name: str) -> str:
    r"""Check a figure name (a file name without folder or extension) and return it.

    Raises:
        HotlineError: Empty, a path, a hidden or reserved name, or a character Windows forbids.

    Example:
        >>> validate_name("图2_各乡镇办结率")
        '图2_各乡镇办结率'
        >>> validate_name("../图2")
        Traceback (most recent call last):
        ...
        hotline.errors.HotlineError: figure name '../图2': use a plain file name without folders (no / or \)
    """  # noqa: E501
    if not isinstance(name, str) or not name.strip():
        raise HotlineError(f"figure name {name!r}: give a non-empty file name such as '图1_趋势'")
    if "/" in name or "\\" in name:
        raise HotlineError(
            f"figure name {name!r}: use a plain file name without folders (no / or \\)"
        )
    bad = sorted({c for c in name if c in _FORBIDDEN or ord(c) < 32})
    if bad or name != name.strip() or name.startswith(".") or name.endswith("."):
        raise HotlineError(
            f"figure name {name!r}: no leading dot, no surrounding spaces, none of "
            f"{' '.join(sorted(_FORBIDDEN))} or control characters"
        )
    return name


def _formats(formats: Sequence[str] | str, canvas: FigureCanvasAgg) -> list[str]:
    chosen = [formats] if isinstance(formats, str) else list(formats)
    supported = canvas.get_supported_filetypes()
    normalised = []
    for fmt in chosen:
        fmt = str(fmt).lower().lstrip(".")
        if fmt not in supported:
            raise HotlineError(
                f"cannot save a figure as {fmt!r}; expected one of {', '.join(sorted(supported))}"
            )
        if fmt not in normalised:
            normalised.append(fmt)
    if not normalised:
        raise HotlineError("no format given; expected e.g. ('png', 'svg', 'pdf')")
    return normalised


def save_figure(
    fig: Figure,
    name: str,
    formats: Sequence[str] | str = DEFAULT_FORMATS,
    *,
    folder: str | Path | None = None,
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` as ``<folder>/<name>.<format>`` for each format, atomically.

    Args:
        fig: A chart from :mod:`hotline.plotting.charts` (or any matplotlib figure).
        name: File name without extension; no folders (see :func:`validate_name`).
        formats: Any of matplotlib's formats; default PNG, SVG and PDF.
        folder: Target folder (created if needed); default :func:`hotline.paths.figures_dir`.
        dpi: Resolution of raster formats; 300 prints sharply at the figure's size.

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        HotlineError: A bad name or an unknown format (before anything is written).

    Example:
        >>> import shutil, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> save_figure(Figure(), "趋势", "PDF", folder=folder)[0].name
        '趋势.pdf'
        >>> shutil.rmtree(folder)
    """
    validate_name(name)
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    chosen = _formats(formats, canvas)
    target = Path(folder) if folder is not None else paths.figures_dir()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    with style_context():  # embedding settings (fonttype) are read when the file is written
        for fmt in chosen:
            final = target / f"{name}.{fmt}"
            # Same folder, so the rename is atomic; a name of our own (not mkstemp), so the file
            # gets the usual permissions rather than owner-only ones.
            temporary = target / f".{name}.{uuid.uuid4().hex}.{fmt}.tmp"
            try:
                with temporary.open("xb") as stream:
                    fig.savefig(stream, format=fmt, dpi=dpi, metadata=_STABLE_METADATA.get(fmt))
                temporary.replace(final)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
            written.append(final)
    return written
