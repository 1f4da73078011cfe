"""Hand-made xlsx files: the parts a hostile workbook can lie about, written directly.

openpyxl writes honest workbooks; attacks need cells without references, a value in cell
XFD1048576, or sheet XML far larger than its zip. This writes the minimal package (content
types, relationships, workbook, one sheet of inline strings) around rows you give.

Example:
    >>> data = xlsx_bytes([["工单编号", "受理时间"], ["A1", "2021/3/5 9:00"]])
    >>> data[:2]
    b'PK'
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(text: str, ref: str | None) -> str:
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def sheet_rows(rows: Iterable[list[str]], *, refless: bool = False) -> Iterable[str]:
    """``<row>`` elements for the rows, with or without cell and row references."""
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            _cell(v, None if refless else f"{column_letters(c)}{r}") for c, v in enumerate(row)
        )
        yield f"<row>{cells}</row>" if refless else f'<row r="{r}">{cells}</row>'


def xlsx_bytes(
    rows: list[list[str]],
    *,
    far: str | None = None,
    refless: bool = False,
    sheet: str = "Sheet1",
    extra: Iterable[str | bytes] = (),
    dimension: str | None = None,
) -> bytes:
    """An xlsx file holding ``rows``; ``far`` adds one value at that cell, ``extra`` raw XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK.format(sheet=escape(sheet)))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_HEAD.encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            for row in sheet_rows(rows, refless=refless):
                part.write(row.encode())
            if far:
                number = "".join(ch for ch in far if ch.isdigit())
                part.write(f'<row r="{number}">{_cell("x", far)}</row>'.encode())
            for chunk in extra:
                part.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
