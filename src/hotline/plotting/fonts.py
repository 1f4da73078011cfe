"""Which font draws Chinese: a system font when there is one, else the bundled Noto Sans CJK.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so a chart drawn with it shows
empty boxes and warns "Glyph … missing from font". Windows has Microsoft YaHei, macOS PingFang SC,
most Linux desktops Noto Sans CJK SC or Source Han Sans SC; a fresh CI box or server has none.
The ``noto-cjk-sans-otc`` package ships Noto Sans CJK (SIL Open Font License 1.1) as one
OpenType collection, so every machine can draw the same charts; no proprietary font is shipped.

Even so, data can hold characters none of the chart's fonts has: most emoji (``🏠社区``), rare
characters of CJK Extension B (``𠀀``), private-use codes. matplotlib draws each as an empty box
("tofu") and warns. :func:`drawable_text` leaves out exactly those characters, judged by the
character maps of the fonts matplotlib resolves for the chart's families (DejaVu Sans does draw
a few emoji, such as 😀, which are kept), and keeps the rest; the tables keep the names as the
data has them.

Example:
    >>> choose_family(["DejaVu Sans", "PingFang SC", "Noto Sans CJK SC"])
    'PingFang SC'
    >>> choose_family(["DejaVu Sans"]) is None
    True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "BUNDLED_FAMILY",
    "PREFERRED_FAMILIES",
    "bundled_font_path",
    "choose_family",
    "cjk_family",
    "covered_codepoints",
    "drawable_text",
]

#: System fonts used when installed, best first: the ones Chinese offices see every day first.
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
)

#: The Simplified Chinese face of the bundled collection.
BUNDLED_FAMILY = "Noto Sans CJK SC"


def choose_family(installed: Iterable[str]) -> str | None:
    """The first preferred family among the installed ones, or ``None``.

    Args:
        installed: Family names matplotlib knows (``fontManager.ttflist`` names).

    Example:
        >>> choose_family({"Source Han Sans SC", "Microsoft YaHei"})
        'Microsoft YaHei'
    """
    names = set(installed)
    return next((family for family in PREFERRED_FAMILIES if family in names), None)


def bundled_font_path() -> Path:
    """The bundled Noto Sans CJK collection (``.ttc``) on disk.

    Example:
        >>> bundled_font_path().suffix
        '.ttc'
    """
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


@functools.cache
def cjk_family() -> str:
    """The font family charts use for Chinese text, registering the bundled one if needed.

    Looks for :data:`PREFERRED_FAMILIES` among the fonts matplotlib knows; when none is installed,
    adds the bundled collection to matplotlib's font manager (once: the result is cached, and a
    collection already registered is not added again) and returns :data:`BUNDLED_FAMILY`.

    Example:
        >>> cjk_family() in PREFERRED_FAMILIES
        True
    """
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    family = choose_family(installed)
    if family is not None:
        return family
    path = bundled_font_path()
    registered = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    if path not in registered:
        font_manager.fontManager.addfont(str(path))
    return BUNDLED_FAMILY


@functools.cache
def covered_codepoints(families: tuple[str, ...]) -> frozenset[int]:
    """Every character some font of ``families`` draws, as matplotlib finds those fonts.

    matplotlib falls back glyph by glyph along the family list, and to its default font when
    a family is not installed; a character is drawn when any of these fonts maps it to a glyph.

    Args:
        families: Family names in the order of ``rcParams["font.family"]``.

    Example:
        >>> covered = covered_codepoints((cjk_family(), "DejaVu Sans"))
        >>> ord("办") in covered, ord("A") in covered, ord("🏠") in covered
        (True, True, False)
    """
    from matplotlib import font_manager

    covered: set[int] = set()
    for family in families:
        path = font_manager.findfont(font_manager.FontProperties(family=family))
        charmap = font_manager.get_font(path).get_charmap()
        covered |= {code for code, glyph in charmap.items() if glyph}
    return frozenset(covered)


def drawable_text(text: str, families: Sequence[str]) -> str:
    r"""``text`` without the characters no font of ``families`` can draw (line breaks kept).

    Example:
        >>> families = (cjk_family(), "DejaVu Sans")
        >>> drawable_text("🏠社区\n𠀀A", families)
        '社区\nA'
        >>> drawable_text("😀投诉", families)  # DejaVu Sans draws this one
        '😀投诉'
    """
    covered = covered_codepoints(tuple(families))
    return "".join(char for char in text if char == "\n" or ord(char) in covered)
