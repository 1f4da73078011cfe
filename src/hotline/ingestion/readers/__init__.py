"""Read an export file into a grid of text cells, keeping each row's number in the file.

Excel (``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb``, ``.ods``) is read with python-calamine and
fastexcel (:mod:`.excel`); CSV and text files with pyarrow's CSV reader after the encoding has
been detected from the bytes (:mod:`.delimited`); JSON (an array of records) with the standard
library (:mod:`.records`). Every reader gives a :class:`~.base.Grid` of text cells (:mod:`.base`).

Row numbers are what the analyst sees: the Excel row, the CSV line where the record starts, or
the record's position in a JSON array (1 for the first record).
"""

from __future__ import annotations

from pathlib import Path

from hotline.errors import InputError
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_ROWS, Grid, Source
from hotline.ingestion.readers.delimited import CsvSource
from hotline.ingestion.readers.excel import ExcelSource, FastExcelSource
from hotline.ingestion.readers.records import JsonSource

__all__ = [
    "EXCEL_SUFFIXES",
    "HEAD_ROWS",
    "JSON_SUFFIXES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "CsvSource",
    "ExcelSource",
    "FastExcelSource",
    "Grid",
    "JsonSource",
    "Source",
    "open_source",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
JSON_SUFFIXES = (".json",)
#: Every file type the ingest reads.
SUFFIXES = EXCEL_SUFFIXES + TEXT_SUFFIXES + JSON_SUFFIXES


def open_source(path: Path, name: str | None = None, limits: Limits = DEFAULT) -> Source:
    """Open an export by its suffix.

    Args:
        path: The file.
        name: How error messages name it (default: the file name).
        limits: What the file may make the reader allocate (:mod:`hotline.ingestion.limits`).

    Raises:
        InputError: The file is missing, empty, of an unsupported type, or over a limit.
    """
    name = name or path.name
    if not path.exists():
        raise InputError(name, "file not found")
    if not path.is_file():
        raise InputError(name, "not a file")
    if path.stat().st_size == 0:
        raise InputError(name, "file is empty (0 bytes)")
    limits.check(name, "bytes", path.stat().st_size, "bytes")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return FastExcelSource(path, name, limits)
    if suffix in EXCEL_SUFFIXES:
        return ExcelSource(path, name, limits)
    if suffix in TEXT_SUFFIXES:
        return CsvSource(path, name, limits)
    if suffix in JSON_SUFFIXES:
        return JsonSource(path, name, limits)
    raise InputError(
        name, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}"
    )
