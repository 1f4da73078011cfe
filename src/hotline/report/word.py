"""report.docx: a :class:`~hotline.report.document.Document` as a Word file in 公文 layout.

An English document (311 data) gets the English layout of :data:`hotline.report.layout.ENGLISH`
instead: the same structure (numbered headings, footnotes, captions, tables), in English type.

Written with python-docx (:mod:`docx`), in the layout of :mod:`hotline.report.layout`:

* A4, GB/T 9704 margins, fixed line spacing, page numbers "— 1 —" in the footer (odd pages
  right, even pages left);
* the title centred; numbered headings in the built-in Heading 1 and Heading 2 styles (so
  Word's navigation pane lists them), body paragraphs indented two characters;
* each definition a real Word footnote at its first mention. python-docx has no footnote API:
  the footnotes part is written here into the package and related to the document
  (:func:`add_footnotes`);
* figures at text width with their caption "图N 标题" below; tables as Word tables with the
  title "表N 标题" and the 单位 line above, borders, a header row repeated on every page, the
  合计 row in bold, and column widths from their content: a unit name never breaks across lines
  (its column is as wide as the longest name, its cells do not wrap), at the largest table
  size that fits the text width (:func:`column_widths`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from hotline.report.document import Document, Heading, Paragraph, note
    >>> doc = Document("示例报告", (Heading("总体情况"), Paragraph(f"受理2件{note('a')}。")),
    ...                {"a": "受理量为有效工单数。"})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_docx(doc, Path(tmp) / "report.docx")
    ...     word = docx.Document(str(path))
    ...     [p.text for p in word.paragraphs], footnote_texts(word)
    (['示例报告', '一、总体情况', '受理2件。'], ['受理量为有效工单数。'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import docx
import lxml.etree as etree  # pyright finds lxml's module by this path
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

from hotline.report.document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    numbers,
    plain_text,
    runs,
)
from hotline.report.layout import ENGLISH, GONGWEN, Layout
from hotline.report.tables import display_width

__all__ = ["add_footnotes", "column_widths", "footnote_texts", "title_lines", "write_docx"]

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
}
#: Left plus right cell margin of a Word table cell (0.19 cm each, Word's default).
_CELL_PADDING_PT = 2 * 0.19 / 2.54 * 72
_FOOTNOTE_TEXT = "footnote text"
#: A table of at most this many rows is kept on one page.
_KEEP_TOGETHER_ROWS = 30
_FOOTNOTE_REFERENCE = "footnote reference"


def _fonts(element: object, east_asia: str, latin: str) -> None:
    """Name the fonts of an ``rPr``: East Asian text and Latin/digits, no theme fonts."""
    rpr = element  # CT_RPr
    for old in rpr.findall(qn("w:rFonts")):  # type: ignore[attr-defined]
        rpr.remove(old)  # type: ignore[attr-defined]
    fonts = OxmlElement("w:rFonts")
    for attribute, value in (
        ("w:ascii", latin),
        ("w:hAnsi", latin),
        ("w:eastAsia", east_asia),
        ("w:cs", latin),
    ):
        fonts.set(qn(attribute), value)
    rpr.insert(0, fonts)  # type: ignore[attr-defined]


def _style_font(
    style: BaseStyle, font: tuple[str, float], layout: Layout, bold: bool = False
) -> None:
    name, size = font
    rpr = style.element.get_or_add_rPr()
    if layout.east_asia is None:  # 公文: the role's font is Chinese, digits in layout.latin
        _fonts(rpr, name, layout.latin)
    else:  # English: the role's font is Latin, Chinese characters of names in east_asia
        _fonts(rpr, layout.east_asia, name)
    for tag in ("w:color", "w:b", "w:bCs", "w:i", "w:iCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    style.font.bold = bold  # type: ignore[attr-defined]
    language = OxmlElement("w:lang")
    if layout.language:
        language.set(qn("w:val"), layout.language)
    language.set(qn("w:eastAsia"), "zh-CN")
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(language)


def _style_paragraph(
    style: BaseStyle,
    layout: Layout,
    *,
    indent: bool = True,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    line_pt: float | None = None,
) -> None:
    """Fixed line spacing, no space before or after, first line indented two characters.

    The indent only where the layout indents first lines (公文, not English).
    """
    indent = indent and layout.indent
    pf = style.paragraph_format  # type: ignore[attr-defined]
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pt or layout.line_pt)
    pf.alignment = align
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):  # the Title style's rule under it
        ppr.remove(old)
    # two characters (or none): Word reads the characters, LibreOffice the twips
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200" if indent else "0")
    ind.set(qn("w:firstLine"), str(round(2 * _size(style) * 20)) if indent else "0")


def _size(style: BaseStyle) -> float:
    size = style.font.size  # type: ignore[attr-defined]
    return size.pt if size is not None else 12.0


def title_lines(title: str, layout: Layout = GONGWEN) -> list[str]:
    """The title on as few lines as fit, broken before its closing phrase (运行情况报告).

    公文 titles break where the meaning breaks, never leaving a character alone on a line.

    Example:
        >>> title_lines("2021年12345政务服务便民热线运行情况报告")
        ['2021年12345政务服务便民热线', '运行情况报告']
        >>> title_lines("2021年运行情况报告")
        ['2021年运行情况报告']
        >>> title_lines("311 Service Requests: Annual Report 2020 (incomplete year)")
        ['311 Service Requests:', 'Annual Report 2020 (incomplete year)']
    """
    # 10% for the space Word and LibreOffice put between Chinese characters and digits
    width_pt = layout.text_width_mm / 25.4 * 72 * 0.9
    if display_width(title) * layout.title[1] / 2 <= width_pt:
        return [title]
    if ": " in title:  # an English title breaks after its subject
        at = title.index(": ") + 1
        return [title[:at], title[at + 1 :]]
    for phrase in ("运行情况", "办理情况", "情况"):
        at = title.rfind(phrase)
        if at > 0:
            return [title[:at], title[at:]]
    return [title]


def _styles(word: WordDocument, layout: Layout) -> dict[str, str]:
    """Restyle the built-in styles in the layout's type; return role -> style name."""
    styles = word.styles
    normal = styles["Normal"]
    _style_font(normal, layout.body, layout)
    _style_paragraph(normal, layout)
    if layout.space_after_pt:
        normal.paragraph_format.space_after = Pt(layout.space_after_pt)  # type: ignore[attr-defined]
    title = styles["Title"]
    _style_font(title, layout.title, layout, bold=layout.bold_headings)
    _style_paragraph(title, layout, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                     line_pt=max(layout.line_pt, layout.title[1] * 1.6))  # fmt: skip
    title.paragraph_format.space_after = Pt(layout.line_pt)  # type: ignore[attr-defined]
    for level, font in ((1, layout.heading1), (2, layout.heading2)):
        heading = styles[f"Heading {level}"]
        _style_font(heading, font, layout, bold=layout.bold_headings)
        _style_paragraph(heading, layout)
        heading.paragraph_format.keep_with_next = True  # type: ignore[attr-defined]
        if layout.space_after_pt:  # apart from the paragraph above, close to its own
            pf = heading.paragraph_format  # type: ignore[attr-defined]
            pf.space_before = Pt(layout.space_after_pt * 1.5)
            pf.space_after = Pt(layout.space_after_pt / 2)
    roles = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2", "body": "Normal"}
    lead = styles.add_style("Report Lead", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = normal  # type: ignore[attr-defined]
    _style_font(lead, layout.lead, layout)
    roles["lead"] = "Report Lead"
    caption = styles["Caption"]
    _style_font(caption, layout.caption, layout, bold=layout.bold_headings)
    _style_paragraph(caption, layout, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    roles["caption"] = "Caption"
    for role, font, align in (
        ("table", layout.table, WD_ALIGN_PARAGRAPH.LEFT),
        ("unit", layout.table, WD_ALIGN_PARAGRAPH.RIGHT),
        ("figure", layout.body, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        roles[role] = f"Report {role.title()}"
        style = styles.add_style(roles[role], WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal  # type: ignore[attr-defined]
        _style_font(style, font, layout)
        _style_paragraph(style, layout, indent=False, align=align, line_pt=font[1] * 1.25)
    styles[roles["figure"]].paragraph_format.line_spacing_rule = (  # type: ignore[attr-defined]
        WD_LINE_SPACING.SINGLE  # a picture is taller than a fixed line
    )
    note_text = styles.add_style(_FOOTNOTE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    note_text.base_style = normal  # type: ignore[attr-defined]
    _style_font(note_text, layout.footnote, layout)
    _style_paragraph(note_text, layout, indent=False, line_pt=layout.footnote[1] * 1.3)
    note_mark = styles.add_style(_FOOTNOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER)
    note_mark.font.superscript = True  # type: ignore[attr-defined]
    for style, style_id in ((note_text, "FootnoteText"), (note_mark, "FootnoteReference")):
        # Word's own footnote styles (its 插入脚注 uses them too), not custom ones
        style.element.attrib.pop(qn("w:customStyle"), None)
        style.element.set(qn("w:styleId"), style_id)
    return roles


def _font_table(word: WordDocument, layout: Layout) -> None:
    """Declare each layout font with its alternative, so Word substitutes it well."""
    part = word.part.part_related_by(RT.FONT_TABLE)
    fonts = parse_xml(part.blob)
    for name, (alternative, _) in layout.fallbacks.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), layout.font_charset)  # 86: GB2312
        font.extend([alt, charset])
        fonts.append(font)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(word: WordDocument, layout: Layout) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.page_mm[0]), Mm(layout.page_mm[1])
    top, bottom, left, right = layout.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(15)
    # GB/T 9704: the page number sits 7 mm below the text block
    section.footer_distance = Mm(bottom - 7) - Pt(layout.page_number[1] * 1.3)
    if layout.page_numbers == "centred":
        _page_number(section.footer.paragraphs[0], layout, None)
        return
    word.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        _page_number(footer.paragraphs[0], layout, odd)


def _page_number(paragraph: WordParagraph, layout: Layout, odd: bool | None) -> None:
    """``— N —``: odd pages right-aligned, even pages left, one character in from the edge.

    ``odd`` None: the number alone, centred on every page (English).
    """
    font, size = layout.page_number
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    if odd is None:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph._p.append(field)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            pf.right_indent = Pt(size)
        else:
            pf.left_indent = Pt(size)
        paragraph.add_run("— ")
        paragraph._p.append(field)
        paragraph.add_run(" —")
    for run in paragraph.runs:
        run.font.size = Pt(size)
        _fonts(run._r.get_or_add_rPr(), font, font)
    field_run = field.find(qn("w:r"))
    rpr = OxmlElement("w:rPr")
    _fonts(rpr, font, font)
    size_element = OxmlElement("w:sz")
    size_element.set(qn("w:val"), str(int(size * 2)))
    rpr.append(size_element)
    field_run.insert(0, rpr)


class _Footnotes:
    """The footnotes part: one footnote per definition, numbered in order of citation."""

    def __init__(self, word: WordDocument) -> None:
        xml = (
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
            'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
            "</w:r></w:p></w:footnote></w:footnotes>"
        )
        self.element = parse_xml(xml)
        package = word.part.package
        if package is None:  # a document part always belongs to a package
            raise ValueError("a Word document without its package")
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.element, package)
        word.part.relate_to(part, RT.FOOTNOTES)
        self._text_style = word.styles[_FOOTNOTE_TEXT].style_id
        self._mark_style = word.styles[_FOOTNOTE_REFERENCE].style_id
        self._ids: dict[str, int] = {}

    def _mark(self, inner: str) -> object:
        return parse_xml(
            f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{self._mark_style}"/></w:rPr>'
            f"{inner}</w:r>"
        )

    def reference(self, paragraph: WordParagraph, key: str, text: str) -> None:
        """Cite ``key`` in ``paragraph``: a new footnote holding ``text``, or the same one."""
        if key not in self._ids:
            self._ids[key] = len(self._ids) + 1
            body = parse_xml(
                f'<w:footnote {nsdecls("w")} w:id="{self._ids[key]}"><w:p><w:pPr>'
                f'<w:pStyle w:val="{self._text_style}"/></w:pPr></w:p></w:footnote>'
            )
            p = body.find(qn("w:p"))
            p.append(self._mark("<w:footnoteRef/>"))
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = text
            t.set(qn("xml:space"), "preserve")
            run.append(t)
            p.append(run)
            self.element.append(body)
        paragraph._p.append(self._mark(f'<w:footnoteReference w:id="{self._ids[key]}"/>'))


def add_footnotes(word: WordDocument) -> _Footnotes:
    """Add an empty footnotes part (with Word's separators) to a python-docx document."""
    return _Footnotes(word)


def footnote_texts(word: WordDocument) -> list[str]:
    """The text of each footnote of a Word document, in order (separators left out)."""
    for rel in word.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            element = parse_xml(rel.target_part.blob)
            return [
                "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()
                for note in element.findall(qn("w:footnote"))
                if note.get(qn("w:type")) is None
            ]
    return []


def _write_text(paragraph: WordParagraph, text: str, document: Document, notes: _Footnotes) -> None:
    for run in runs(text):
        if run.kind == "note":
            notes.reference(paragraph, run.text, document.notes[run.text])
        else:
            paragraph.add_run(run.text).bold = True if run.kind == "strong" else None


def column_widths(table: Table, layout: Layout = GONGWEN) -> tuple[float, list[float]]:
    """The table's type size and its column widths in points, from the cells' content.

    Every column is at least as wide as its widest cell, with half a character to spare (a
    name column's cells never wrap, so a unit name never breaks). A header may wrap onto two
    lines when the table would not fit otherwise; the headers that cost least to keep on one
    line are kept so first. The largest size of ``layout.table_sizes`` at which the table fits
    the text width is used, and the width left over is shared out evenly.

    Example:
        >>> from hotline.report.document import Column, Table
        >>> table = Table("t", (Column("承办单位", "left", name=True), Column("受理量")),
        ...               (("县城市管理综合行政执法局", "38"),))
        >>> size, widths = column_widths(table)
        >>> size, round(sum(widths)), widths[0] > widths[1]
        (12, 442, True)
    """
    width_pt = layout.text_width_mm / 25.4 * 72
    content = _content_units(table)
    # a header on one line, or on two broken between words (never inside one: 受理/量)
    pairs = list(zip(content, table.columns, strict=True))
    one_line = [max(c, 1 + display_width(col.header)) for c, col in pairs]
    two_lines = [max(c, _two_line_width(col.header)) for c, col in pairs]
    for size in layout.table_sizes:
        em = size / 2 * layout.latin_width  # a display-width unit is half an em

        def points(units: list[int], em: float = em) -> list[float]:
            return [u * em + _CELL_PADDING_PT for u in units]

        spare = width_pt - sum(points(two_lines))
        if spare < 0:
            continue
        widths = list(two_lines)
        for i in sorted(range(len(widths)), key=lambda i: one_line[i] - two_lines[i]):
            cost = (one_line[i] - two_lines[i]) * em
            if cost <= spare:
                widths[i], spare = one_line[i], spare - cost
        return size, [w + spare / len(widths) for w in points(widths)]
    # too wide at any size: the name columns share what the others leave, and their names wrap
    # in their cells (a table wider than the page is cut off at its edges)
    smallest = layout.table_sizes[-1]
    unit = smallest / 2 * layout.latin_width
    widths = [u * unit + _CELL_PADDING_PT for u in two_lines]
    names = [i for i, column in enumerate(table.columns) if column.name]
    others = sum(w for i, w in enumerate(widths) if i not in names)
    named = sum(widths[i] for i in names)
    room = width_pt - others
    if names and room > 0 and named > room:
        for i in names:
            widths[i] *= room / named
    return smallest, widths


def _content_units(table: Table) -> list[int]:
    """Each column's widest cell in display-width units, with half a character to spare."""
    cells = [[display_width(plain_text(c)) for c in row] for row in table.body()]
    return [1 + max([0, *(row[i] for row in cells)]) for i in range(len(table.columns))]


def _names_fit(table: Table, size: float, widths: Sequence[float], layout: Layout) -> list[bool]:
    """Per column, whether its names fit its width on one line (else they wrap in the cell)."""
    em = size / 2 * layout.latin_width
    return [
        units * em + _CELL_PADDING_PT <= width + 0.01
        for units, width in zip(_content_units(table), widths, strict=True)
    ]


def header_lines(header: str) -> list[str]:
    """A header on two lines, broken where a reader would break it; short ones never break.

    English breaks between words (the most even break); Chinese before a bracket, else
    between two-character words nearest the middle (按时/办结率), and a header of three
    characters or fewer (受理量) stays whole.

    Example:
        >>> header_lines("按时办结率"), header_lines("受理量"), header_lines("乡镇（街道）")
        (['按时', '办结率'], ['受理量'], ['乡镇', '（街道）'])
        >>> header_lines("On-time closure rate"), header_lines("Rank")
        (['On-time', 'closure rate'], ['Rank'])
    """
    if header.isascii():
        words = header.split(" ")
        splits = [(" ".join(words[:at]), " ".join(words[at:])) for at in range(1, len(words))]
    else:
        bracket = min((header.find(b) for b in "（(" if header.find(b) > 0), default=None)
        if bracket is not None:
            splits = [(header[:bracket], header[bracket:])]
        elif len(header) <= 3:
            splits = []
        else:
            splits = [(header[:at], header[at:]) for at in range(2, len(header) - 1, 2)]
    if not splits:
        return [header]
    best = min(splits, key=lambda pair: max(display_width(part) for part in pair))
    return list(best)


def _two_line_width(header: str) -> int:
    """The width of a header on two lines (:func:`header_lines`), with half a character spare.

    Example:
        >>> _two_line_width("On-time closure rate"), _two_line_width("受理量")
        (13, 7)
    """
    return 1 + max(display_width(line) for line in header_lines(header))


#: What follows each table property in CT_TblPr (the schema's order, which Word enforces).
_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
               "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")  # fmt: skip
_AFTER_BORDERS = _AFTER_TBLW[4:]
_AFTER_NOWRAP = ("w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _borders(word_table: WordTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "8" if edge in ("top", "bottom") else "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    word_table._tbl.tblPr.insert_element_before(borders, *_AFTER_BORDERS)


def _fixed_layout(word_table: WordTable, widths: Sequence[float]) -> None:
    tbl_pr = word_table._tbl.tblPr
    word_table.autofit = False  # fixed layout: Word keeps the widths given
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths) * 20)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.insert_element_before(width, *_AFTER_TBLW)
    for column, points in zip(word_table.columns, widths, strict=True):
        column.width = Pt(points)
        for cell in column.cells:
            cell.width = Pt(points)


def _cell_text(cell: object, text: str, style: str, align: str, size: float, *, bold: bool,
               no_wrap: bool) -> None:  # fmt: skip
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.style = style
    paragraph.alignment = _ALIGN[align]
    run = paragraph.add_run(plain_text(text))
    run.font.size = Pt(size)
    run.bold = bold or None
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER  # type: ignore[attr-defined]
    if no_wrap:
        tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
        tc_pr.insert_element_before(OxmlElement("w:noWrap"), *_AFTER_NOWRAP)


def _table(word: WordDocument, table: Table, number: str, roles: dict[str, str],
           layout: Layout) -> None:  # fmt: skip
    title = word.add_paragraph(f"{number} {table.title}", roles["caption"])
    title.paragraph_format.keep_with_next = True
    unit = word.add_paragraph(table.unit, roles["unit"])
    unit.paragraph_format.keep_with_next = True
    size, widths = column_widths(table, layout)
    fits = _names_fit(table, size, widths, layout)
    body = table.body()
    word_table = word.add_table(rows=1 + len(body), cols=len(table.columns))
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(word_table)
    _fixed_layout(word_table, widths)
    header = word_table.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))  # repeated on every page
    em = size / 2 * layout.latin_width
    for cell, column, width in zip(header.cells, table.columns, widths, strict=True):
        whole = (1 + display_width(column.header)) * em + _CELL_PADDING_PT <= width + 0.01
        lines = [column.header] if whole else header_lines(column.header)
        _cell_text(cell, lines[0], roles["table"], "center", size, bold=True, no_wrap=True)
        for line in lines[1:]:  # the break a reader would make, not Word's at any character
            run = cell.paragraphs[0].runs[-1]
            run.add_break()
            run.add_text(line)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    together = len(body) <= _KEEP_TOGETHER_ROWS
    for i, row in enumerate(body, start=1):
        word_row = word_table.rows[i]
        word_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if together and i < len(body):  # a short table is not split over two pages
            for cell in word_row.cells:
                cell.paragraphs[0].paragraph_format.keep_with_next = True
        total = table.total is not None and i == len(body)
        for cell, text, column, fit in zip(word_row.cells, row, table.columns, fits, strict=True):
            align = "center" if total and column.name else column.align
            _cell_text(cell, text, roles["table"], align, size, bold=total,
                       no_wrap=column.name and fit)  # fmt: skip
    word.add_paragraph("", roles["unit"])  # a line between the table and the text after it


def _figure(word: WordDocument, figure: Figure, number: str, root: Path,
            roles: dict[str, str], layout: Layout, lang: str) -> None:  # fmt: skip
    picture = word.add_paragraph("", roles["figure"])
    picture.paragraph_format.keep_with_next = True
    picture.paragraph_format.space_before = Pt(layout.line_pt / 2)  # apart from what precedes
    try:
        picture.add_run().add_picture(str(root / figure.path), width=Mm(layout.text_width_mm))
    except UnrecognizedImageError:  # e.g. an SVG from a chart callback: say where it is
        picture.add_run(
            f"（此图的格式无法插入Word，见图表文件{figure.path}）"
            if lang == "zh"
            else f"(This chart's format cannot be placed in Word: see {figure.path}.)"
        )
    word.add_paragraph(f"{number} {figure.title}", roles["caption"])


def write_docx(
    document: Document, path: Path, *, root: Path | None = None, layout: Layout | None = None
) -> Path:
    """Write ``document`` as a Word file in 公文 layout (an English document: English layout).

    Args:
        document: The report.
        path: The .docx to write.
        root: The folder figure paths are relative to (default: ``path``'s folder).
        layout: Page, fonts and spacing (default :data:`~hotline.report.layout.GONGWEN`, or
            :data:`~hotline.report.layout.ENGLISH` for an English document).

    Returns:
        ``path``.
    """
    root = path.parent if root is None else root
    if layout is None:
        layout = ENGLISH if document.lang == "en" else GONGWEN
    word = docx.Document()
    _page(word, layout)
    roles = _styles(word, layout)
    _font_table(word, layout)
    notes = add_footnotes(word)
    properties = word.core_properties
    properties.title = plain_text(document.title)
    properties.author = properties.last_modified_by = ""
    properties.comments = properties.subject = properties.keywords = ""
    # python-docx's template says it was made in 2013 and is English: say when and in what
    properties.created = properties.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties.revision = 1
    properties.language = "en-US" if document.lang == "en" else "zh-CN"
    body = word.paragraphs[0] if word.paragraphs else None
    if body is not None:  # python-docx's template starts with no paragraph; be sure
        body._p.getparent().remove(body._p)
    title = word.add_paragraph("", roles["title"])
    for i, line in enumerate(title_lines(plain_text(document.title), layout)):
        if i:
            title.add_run().add_break()
        title.add_run(line)
    numbered = numbers(document.blocks, document.lang)
    for block, number in zip(document.blocks, numbered, strict=True):
        if isinstance(block, Heading):
            role = "h1" if block.level == 1 else "h2"
            _write_text(word.add_paragraph(number, roles[role]), block.text, document, notes)
        elif isinstance(block, Paragraph):
            role = "lead" if block.style == "lead" else "body"
            _write_text(word.add_paragraph("", roles[role]), block.text, document, notes)
        elif isinstance(block, Figure):
            _figure(word, block, number, root, roles, layout, document.lang)
        else:
            _table(word, block, number, roles, layout)
    word.save(str(path))
    return path
