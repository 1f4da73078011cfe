"""Find the error cells (#N/A, #DIV/0!, #REF!…) of an .xlsx/.xlsm sheet.

calamine, under both python-calamine and fastexcel, reads an error cell as an empty cell, so a
received time of ``#DIV/0!`` would pass for a missing one. The sheet's XML marks such a cell
``t="e"`` with the error Excel shows as its value; this module finds those cells so that the
reader can put the error text back, to be counted like any other unreadable value.

Most workbooks hold none: the XML is streamed and searched for the marker, and only a chunk
holding one is parsed further. An attribute value in XML is quoted text, and cell text is
escaped (``&quot;``), so ``t="e"`` only ever occurs as a cell's type.

Example:
    >>> import tempfile, pathlib, xlsxwriter
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.xlsx"
    >>> book = xlsxwriter.Workbook(path); sheet = book.add_worksheet("工单")
    >>> _ = sheet.write_row(0, 0, ["工单编号", "受理时间"]), sheet.write(1, 0, "A1")
    >>> _ = sheet.write_formula(1, 1, "=1/0", None, "#DIV/0!"); book.close()
    >>> sheet_errors(path, "工单")
    [(1, 1, '#DIV/0!')]
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["sheet_errors"]

_MARKER = b't="e"'
_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.S)  # not an empty <c .../>
_REFERENCE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_CHUNK = 1 << 20
_MAX_CARRY = 1 << 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_errors(path: Path, sheet: str) -> list[tuple[int, int, str]]:
    """Error cells of one sheet as ``(row, column, text)``, 0-based from cell A1.

    Returns an empty list for a workbook that is not a readable Office Open XML file (the
    reader reports that itself).
    """
    try:
        with zipfile.ZipFile(path) as book:
            member = _sheet_member(book, sheet)
            if member is None:
                return []
            with book.open(member) as xml:
                return _scan(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return []


def _sheet_member(book: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding ``sheet``, from the workbook and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    relation = next(
        (s.get(_RELATION) for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet), None
    )
    if relation is None:
        return None
    relations = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for item in relations:
        if item.get("Id") == relation:
            target = item.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _scan(xml) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    carry = b""
    while block := xml.read(_CHUNK):
        text = carry + block
        end = text.rfind(b"</c>") + len(b"</c>")  # parse whole cells; the rest waits
        if end < len(b"</c>"):
            # No cell ends here (a run of <row/>, or one long text): keep only from the last
            # tag, so that what waits stays small and the scan linear in the XML's size.
            # A cell that began here and ends later is kept whole, unless absurdly long.
            start = text.rfind(b"<c")
            start = start if start >= 0 else text.rfind(b"<")
            carry = text[max(start, len(text) - _MAX_CARRY) :] if start >= 0 else b""
            continue
        text, carry = text[:end], text[end:]
        if _MARKER in text:
            found.extend(_errors_in(text))
    if _MARKER in carry:
        found.extend(_errors_in(carry))
    return found


def _errors_in(text: bytes) -> list[tuple[int, int, str]]:
    found = []
    for match in _CELL.finditer(text):
        attributes, body = match.groups()
        if _MARKER not in attributes:
            continue
        reference, value = _REFERENCE.search(attributes), _VALUE.search(body)
        if reference is None or value is None:
            continue
        letters, row = reference.groups()
        found.append((int(row) - 1, _column_index(letters), value.group(1).decode()))
    return found


def _column_index(letters: bytes) -> int:
    """``A`` -> 0, ``Z`` -> 25, ``AA`` -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1
