"""The 公文 page and type of report.docx (GB/T 9704-2012), as data a county may change.

The fonts are the names a government office's Word has (方正小标宋简体, 黑体, 楷体_GB2312,
仿宋_GB2312): report.docx names them, so on such a PC it prints as the standard requires. A PC
without them substitutes: :data:`FALLBACKS` lists, for each, the Windows font of the same style
(written into the document's font table as its alternative name, which Word tries next) and
the free Noto CJK face of the same style (what LibreOffice is told to use when a report is
rendered on a machine with only Noto CJK installed, as the tests do).

Sizes are Chinese point sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt.

An English report (311 data) is laid out as English reports are (:data:`ENGLISH`): A4 with
25.4 mm margins, Times New Roman body text and Arial headings (Liberation Serif and Sans where
they are not installed), bold numbered headings, no first-line indent, centred page numbers; a
name from the data in Chinese characters falls back to SimSun.

Example:
    >>> GONGWEN.text_width_mm, GONGWEN.lines_per_page
    (156, 22)
    >>> round(ENGLISH.text_width_mm, 1), ENGLISH.body
    (159.2, ('Times New Roman', 12))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = ["ENGLISH", "FALLBACKS", "FALLBACKS_EN", "GONGWEN", "SIZES", "Layout"]

#: Chinese type sizes in points.
SIZES: Mapping[str, float] = MappingProxyType(
    {"二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}
)

#: 公文 font -> (the Windows font Word tries next, the Noto CJK face of the same style).
FALLBACKS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "方正小标宋简体": ("宋体", "Noto Serif CJK SC"),
        "黑体": ("SimHei", "Noto Sans CJK SC"),
        "楷体_GB2312": ("楷体", "Noto Serif CJK SC"),
        "仿宋_GB2312": ("仿宋", "Noto Serif CJK SC"),
        "宋体": ("SimSun", "Noto Serif CJK SC"),
    }
)


#: English report font -> (the font Word tries next, the free face of the same metrics).
FALLBACKS_EN: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "Times New Roman": ("Liberation Serif", "Liberation Serif"),
        "Arial": ("Liberation Sans", "Liberation Sans"),
    }
)


@dataclass(frozen=True)
class Layout:
    """Page, fonts and spacing of a Word report.

    Attributes:
        page_mm: Page width and height (A4).
        margins_mm: Top, bottom, left, right (GB/T 9704: 37, 35, 28, 26 mm; 156 x 225 mm text).
        line_pt: Fixed line spacing: 22 lines of 三号 on a page.
        title: Font and size of the title (方正小标宋简体 二号, centred).
        heading1: Level-1 headings 一、 (黑体 三号).
        heading2: Level-2 headings （一） (楷体_GB2312 三号).
        body: Body text (仿宋_GB2312 三号, first line indented two characters).
        lead: The note under the title (楷体_GB2312 三号).
        caption: Figure and table titles (黑体 四号, centred).
        table: Table text at its largest (仿宋_GB2312 小四); smaller sizes are tried in turn
            until the columns fit the text width.
        table_sizes: The table sizes tried, largest first.
        footnote: Footnote text (仿宋_GB2312 小四).
        page_number: Page numbers "— 1 —" (宋体 四号), odd pages right, even pages left.
        latin: Font for digits and Latin letters.
        fallbacks: Font -> (the font Word tries next, the free face LibreOffice may use).
        east_asia: When set, the roles' fonts are Latin fonts and this one writes Chinese
            characters (an English report quoting a Chinese name); else the roles' fonts are
            the Chinese ones and ``latin`` writes Latin letters.
        language: The language tag of the text (``w:lang``), when not Chinese.
        bold_headings: Headings in bold (English) rather than in a bold face (黑体).
        indent: First lines indented two characters (公文), or not (English).
        space_after_pt: Space after a body paragraph (English separates paragraphs so).
        page_numbers: ``gongwen`` ("— 1 —", odd pages right, even left) or ``centred``.
        font_charset: The character set the font table declares for the fonts (86: GB2312).
        latin_width: How much wider than half an em a Latin letter is taken to be when table
            columns are sized (Chinese characters are one em; Arial capitals are wider than
            half of one).
    """

    page_mm: tuple[float, float] = (210, 297)
    margins_mm: tuple[float, float, float, float] = (37, 35, 28, 26)
    line_pt: float = 28.95
    title: tuple[str, float] = ("方正小标宋简体", SIZES["二号"])
    heading1: tuple[str, float] = ("黑体", SIZES["三号"])
    heading2: tuple[str, float] = ("楷体_GB2312", SIZES["三号"])
    body: tuple[str, float] = ("仿宋_GB2312", SIZES["三号"])
    lead: tuple[str, float] = ("楷体_GB2312", SIZES["三号"])
    caption: tuple[str, float] = ("黑体", SIZES["四号"])
    table: tuple[str, float] = ("仿宋_GB2312", SIZES["小四"])
    table_sizes: tuple[float, ...] = (SIZES["小四"], SIZES["五号"], SIZES["小五"])
    footnote: tuple[str, float] = ("仿宋_GB2312", SIZES["小四"])
    page_number: tuple[str, float] = ("宋体", SIZES["四号"])
    latin: str = "Times New Roman"
    fallbacks: Mapping[str, tuple[str, str]] = field(default_factory=lambda: FALLBACKS)
    east_asia: str | None = None
    language: str | None = None
    bold_headings: bool = False
    indent: bool = True
    space_after_pt: float = 0
    page_numbers: Literal["gongwen", "centred"] = "gongwen"
    font_charset: str = "86"
    latin_width: float = 1.0

    @property
    def text_width_mm(self) -> float:
        """Width of the text block."""
        return self.page_mm[0] - self.margins_mm[2] - self.margins_mm[3]

    @property
    def lines_per_page(self) -> int:
        """Body lines on a page at the fixed line spacing."""
        height_pt = (self.page_mm[1] - self.margins_mm[0] - self.margins_mm[1]) / 25.4 * 72
        return int(height_pt // self.line_pt)


#: The layout of GB/T 9704-2012 (党政机关公文格式).
GONGWEN = Layout()

#: The layout of an English report (311 data): A4, 1-inch margins, serif body, sans headings.
ENGLISH = Layout(
    margins_mm=(25.4, 25.4, 25.4, 25.4),
    line_pt=16,
    title=("Arial", 18),
    heading1=("Arial", 13),
    heading2=("Arial", 12),
    body=("Times New Roman", 12),
    lead=("Times New Roman", 11),
    caption=("Arial", 10),
    table=("Arial", 10),
    table_sizes=(10, 9, 8),
    footnote=("Times New Roman", 9),
    page_number=("Times New Roman", 10),
    latin="Times New Roman",
    fallbacks=FALLBACKS_EN,
    east_asia="SimSun",
    language="en-US",
    bold_headings=True,
    indent=False,
    space_after_pt=8,
    page_numbers="centred",
    font_charset="00",
    latin_width=1.2,
)
