"""Read an export file into a grid of text cells, keeping each row's number in the file.

Excel (``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb``, ``.ods``) is read with python-calamine and
fastexcel (:mod:`.excel`), after a pre-flight of its zip (:mod:`.workbook_scan`) or, for a
legacy .xls, of its compound file (:mod:`.ole_scan`). What an Excel
file really is comes from its first bytes, not its name: an HTML page saved as ``.xls`` (as many
platforms export) is read as its tables (:mod:`.html`), CSV text named ``.xls`` as CSV, an xlsx
named ``.xls`` as xlsx; anything else (a PDF, an image, an archive) is named for what it is.
CSV and text files with pyarrow's CSV reader after the encoding has
been detected from the bytes (:mod:`.delimited`); JSON (an array of records) with the standard
library (:mod:`.records`); Open311 GeoReport v2 XML (``<service_requests>``, ``<services>``) with
defusedxml's expat parser, streamed, into the same records (:mod:`.xml_records`). Every reader
gives a :class:`~.base.Grid` of text cells (:mod:`.base`).

Row numbers are what the analyst sees: the Excel row, the CSV line where the record starts, or
the record's position in a JSON array or under the XML root (1 for the first record).
"""

from __future__ import annotations

from pathlib import Path

from hotline.errors import InputError
from hotline.file_types import (
    EXCEL_SUFFIXES,
    JSON_SUFFIXES,
    SUFFIXES,
    TEXT_SUFFIXES,
    XML_SUFFIXES,
)
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_BYTES, HEAD_ROWS, Grid, Source
from hotline.ingestion.readers.delimited import CsvSource
from hotline.ingestion.readers.excel import ExcelSource, FastExcelSource
from hotline.ingestion.readers.html import HtmlSource, looks_like_html
from hotline.ingestion.readers.records import JsonSource
from hotline.ingestion.readers.xml_records import XmlSource

__all__ = [
    "EXCEL_SUFFIXES",
    "HEAD_ROWS",
    "JSON_SUFFIXES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "XML_SUFFIXES",
    "CsvSource",
    "ExcelSource",
    "FastExcelSource",
    "Grid",
    "HtmlSource",
    "JsonSource",
    "Source",
    "XmlSource",
    "open_source",
]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: First bytes of files that are no spreadsheet, and what to call them.
_OTHER_KINDS = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"MIME-Version:", "a single-file web page (MHTML); open it in Excel and save it as .xlsx"),
)


def sniff(path: Path) -> str:
    """What an Excel-named file is, from its first bytes.

    Returns:
        ``"zip"`` (xlsx, xlsm, xlsb, ods), ``"ole"`` (xls), ``"html"``, ``"text"`` (CSV/TSV),
        ``"xml"`` (Excel 2003 XML) or a description of something else (``"a PDF document"``).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.xls"
        >>> _ = path.write_bytes(" <html><table></table></html>".encode("utf-8-sig"))
        >>> sniff(path)
        'html'
    """
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    for magic, kind in _OTHER_KINDS:
        if head.startswith(magic):
            return kind
    if looks_like_html(head):
        return "html"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml"):
        return "xml"
    if b"\x00" not in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    return f"binary data (first bytes {head[:4].hex(' ')})"


def open_source(path: Path, name: str | None = None, limits: Limits = DEFAULT) -> Source:
    """Open an export by its suffix.

    Args:
        path: The file.
        name: How error messages name it (default: the file name).
        limits: What the file may make the reader allocate (:mod:`hotline.ingestion.limits`).

    Raises:
        InputError: The file is missing, empty, of an unsupported type, or over a limit.
    """
    name = name or path.name or str(path)  # "." has no name
    if not path.exists():
        raise InputError(name, "file not found")
    if not path.is_file():
        raise InputError(name, "not a file")
    if path.stat().st_size == 0:
        raise InputError(name, "file is empty (0 bytes)")
    limits.check(name, "bytes", path.stat().st_size, "bytes")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _open_excel(path, name, limits, suffix)
    if suffix in TEXT_SUFFIXES:
        return CsvSource(path, name, limits)
    if suffix in JSON_SUFFIXES:
        return JsonSource(path, name, limits)
    if suffix in XML_SUFFIXES:
        return XmlSource(path, name, limits)
    raise InputError(
        name, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}"
    )


def _open_excel(path: Path, name: str, limits: Limits, suffix: str) -> Source:
    """An Excel-named file, opened as what its bytes are."""
    kind = sniff(path)
    zipped = suffix in (".xlsx", ".xlsm", ".xlsb", ".ods")
    if kind == "zip" and zipped:
        return (
            FastExcelSource(path, name, limits)
            if suffix in (".xlsx", ".xlsm")
            else (ExcelSource(path, name, limits))
        )
    if kind == "ole" and suffix == ".xls":
        return ExcelSource(path, name, limits)
    if kind in ("zip", "ole"):  # an xlsx named .xls, an xls named .xlsx: read by content
        return ExcelSource(path, name, limits, kind=kind)
    if kind == "html":
        return HtmlSource(path, name, limits)
    if kind == "text":
        return CsvSource(path, name, limits)
    if kind == "xml":
        raise InputError(
            name,
            "an XML file (an Excel 2003 XML spreadsheet?), not a workbook; "
            "open it in Excel and save it as .xlsx",
        )
    raise InputError(name, f"{kind}, not a spreadsheet export")
