"""HTML tables saved as ``.xls``: how many Chinese hotline platforms "export to Excel".

Excel opens such a file (after a warning) because it is an HTML page holding a ``<table>``. It is
read here as what it is: the bytes are decoded with the charset its ``<meta>`` states
(``<meta charset="gb2312">`` or ``<meta http-equiv="Content-Type" content="text/html;
charset=gbk">``; GB2312 and GBK are read as their superset GB18030), or the one detected from the
bytes; then each ``<table>`` is a sheet (``表1``, ``表2``…) read with lxml's HTML parser as a
stream (each row's elements are freed once read, so memory follows the cells' text, not a DOM),
repeating a ``colspan``/``rowspan`` cell over what it covers. Every cell stays text: pandas'
``read_html`` would infer numbers and drop an id's or a phone number's leading zeros.

Before parsing, rows (``<tr>``) and cells (``<td>``/``<th>``, spans multiplied out) are counted
against the ``rows`` and ``cells`` limits, and a span against ``columns``/``rows``.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "导出.xls"
    >>> page = '<html><head><meta charset="gb2312"></head><body><table>'
    >>> page += "<tr><th>工单编号</th><th>来电号码</th></tr><tr><td>A1</td><td>0139</td></tr>"
    >>> _ = path.write_bytes((page + "</table></body></html>").encode("gbk"))
    >>> source = HtmlSource(path)
    >>> source.heads()
    [('表1', [['工单编号', '来电号码'], ['A1', '0139']])]
    >>> source.read("表1", 0).columns[1].to_pylist()
    ['0139']
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import cast

import numpy as np
import pyarrow as pa

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_BYTES, HEAD_ROWS, Grid, Source

__all__ = ["HtmlSource", "looks_like_html", "meta_charset"]

_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|meta|table|style|title|!--)\b", re.I)
_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ROW = re.compile(rb"<tr\b", re.I)
_CELL = re.compile(rb"<t[dh]\b([^>]*)>", re.I)
_SPAN = re.compile(rb"""\b(col|row)span\s*=\s*["']?\s*([0-9]+)""", re.I)
#: What a charset label means when read: GB2312/GBK pages hold characters of their superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _row_cells(tr, below: dict[int, tuple[int, str]]) -> list[str]:
    """One row's cells as text, spanned cells repeated over the rows and columns they cover.

    ``below`` holds, per column, the cell of a row above that still spans down into this one.
    """
    row: list[str] = []
    for td in tr.iterchildren("td", "th"):
        while len(row) in below:
            row.append(_take(below, len(row)))
        text = " ".join("".join(td.itertext()).split())
        down = _span(td.get("rowspan"))
        for _ in range(_span(td.get("colspan"))):
            if down > 1:
                below[len(row)] = (down - 1, text)
            row.append(text)
    while len(row) in below:
        row.append(_take(below, len(row)))
    return row


def _free(element) -> None:
    """Drop a parsed element's content and the siblings before it (already read)."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _take(below: dict[int, tuple[int, str]], column: int) -> str:
    left, text = below.pop(column)
    if left > 1:
        below[column] = (left - 1, text)
    return text


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _strip_bom(head: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def looks_like_html(head: bytes) -> bool:
    """Whether a file's first bytes are an HTML page (after a BOM and blank space).

    Example:
        >>> looks_like_html("  <HTML><body>".encode("utf-8-sig")), looks_like_html(b"a,b")
        (True, False)
    """
    head = _strip_bom(head)
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 without a BOM
        head = head.replace(b"\x00", b"")
    return _START.match(head) is not None


def meta_charset(head: bytes) -> str | None:
    """The encoding a page's ``<meta>`` states, as Python names it (``None`` if none or unknown).

    Example:
        >>> meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312">')
        'gb18030'
    """
    match = _CHARSET.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(label, _SUPERSETS.get(name, name))


class HtmlSource(Source):
    """An HTML page's tables, each one a sheet of text cells (see the module docstring)."""

    many_sheets = True

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        self.path = path
        self.name = name or path.name
        self.limits = limits
        raw = path.read_bytes()
        self._check_size(raw)
        if raw.startswith(codecs.BOM_UTF8):
            self.encoding = "utf-8-sig"
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.encoding = "utf-16"
        else:
            self.encoding = meta_charset(raw[:HEAD_BYTES]) or detect_encoding(
                raw[:HEAD_BYTES], self.name
            )
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            stated = self.encoding
            self.encoding = detect_encoding(raw[:HEAD_BYTES], self.name)
            try:
                text = raw.decode(self.encoding)
            except UnicodeDecodeError:
                raise InputError(
                    self.name, f"bytes near offset {error.start} are not valid {stated}"
                ) from None
        self._tables = self._parse(text.removeprefix("\ufeff"))

    def _check_size(self, raw: bytes) -> None:
        """Rows, cells and spans counted in the bytes, before a parser builds them."""
        self.limits.check(self.name, "rows", len(_ROW.findall(raw)), "table rows (<tr>)")
        cells = 0
        for attributes in _CELL.findall(raw):
            span = {"col": 1, "row": 1}
            for kind, value in _SPAN.findall(attributes):
                span[kind.decode().lower()] = int(value) if len(value) < 10 else 10**10
            self.limits.check(self.name, "columns", span["col"], "columns spanned by one cell")
            self.limits.check(self.name, "rows", span["row"], "rows spanned by one cell")
            cells += span["col"] * span["row"]
            if cells > self.limits.cells:
                break
        self.limits.check(self.name, "cells", cells, "table cells (<td>, spans included)")

    def _parse(self, text: str) -> dict[str, list[list[str]]]:
        """Each table's rows, parsed as a stream: a row's elements are freed once read.

        A table nested in a cell is a table of its own, not cells of the outer one.
        """
        if "<table" not in text.lower():
            raise InputError(self.name, "an HTML page with no table in it")
        try:
            import lxml.etree as etree  # the same module; pyright finds it by this path
        except ImportError as error:  # lxml is a dependency; say so if it went missing
            raise InputError(self.name, f"cannot read an HTML table ({error})") from None
        tables: list[list[list[str]]] = []
        open_tables: list[tuple[list[list[str]], dict[int, tuple[int, str]]]] = []
        events = etree.iterparse(
            io.BytesIO(text.encode("utf-8")),
            events=("start", "end"),
            tag=("table", "tr"),
            html=True,
            encoding="utf-8",
            recover=True,
        )
        try:
            for event, element in events:
                if element.tag == "table":
                    if event == "start":
                        open_tables.append(([], {}))
                        tables.append(open_tables[-1][0])
                    elif open_tables:
                        open_tables.pop()
                        _free(element)
                elif event == "end" and open_tables:
                    rows, below = open_tables[-1]
                    rows.append(_row_cells(element, below))
                    _free(element)
        except etree.LxmlError as error:
            raise InputError(self.name, f"cannot read its HTML ({error})") from None
        if not any(tables):
            raise InputError(self.name, "an HTML page whose tables hold no rows")
        return {f"表{number}": rows for number, rows in enumerate(tables, start=1)}

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """The first rows of every table."""
        return [(key, rows[:HEAD_ROWS]) for key, rows in self._tables.items()]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """One table below its header row; row numbers count the table's rows from 1."""
        rows = self._tables[cast(str, sheet)]  # heads() named every table
        header = rows[header_index]
        body = rows[header_index + 1 :]
        end = len(body)
        while end and not any(body[end - 1]):  # blank rows below the table
            end -= 1
        body = body[:end]
        width = len(header)
        columns = [
            pa.array([r[c] if c < len(r) else "" for r in body], pa.string()) for c in range(width)
        ]
        first = header_index + 2
        return Grid(
            path=self.path,
            sheet=sheet,
            encoding=self.encoding,
            header_row=header_index + 1,
            preamble=[" ".join(v for v in row if v) for row in rows[:header_index]],
            columns=columns,
            row_numbers=np.arange(first, first + len(body), dtype=np.int64),
            n_rows=len(body),
        )
