"""What every reader gives the ingest: a grid of text cells and the row each came from.

Nothing here interprets values: every cell becomes text exactly as the analyst would see it, with
Excel dates written as ISO text and whole numbers without a trailing ``.0``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from hotline.ingestion.limits import DEFAULT, Limits

__all__ = ["HEAD_BYTES", "HEAD_ROWS", "Grid", "Source", "cell_text"]

#: Rows examined at the top of each sheet to find the header.
HEAD_ROWS = 30
#: Bytes of a text file examined to detect its encoding and delimiter.
HEAD_BYTES = 1 << 18
#: Excel keeps numbers as doubles: whole numbers are exact only below 2**53 (16 digits).
_EXACT_INTEGERS = 2**53


@dataclass
class Grid:
    """The data area of one sheet: text cells below the header row.

    Attributes:
        path: The export file.
        sheet: Sheet name (Excel) or ``None`` (CSV).
        encoding: Detected text encoding (CSV) or ``None`` (Excel).
        header_row: 1-based row number of the header.
        preamble: Each row above the header as text, cells joined by a space (title lines,
            ``导出时间： 2021-04-02 10:00``).
        columns: One text column per header cell (chunked for CSV); ``""`` for an empty cell.
        row_numbers: The 1-based row of each data row in the file, or how to compute it.
        n_rows: Number of data rows read (blank rows included).
        malformed_rows: CSV records that could not be split into the header's columns, as
            ``(row, text)``, or how to compute them.
        from_excel: Cells came from Excel, whose date-times are fractions of a day: parsed
            times round to the second (09:32:08.999 is 09:32:09).
        error_cells: Excel error cells as ``(data row index, column, text)``; the cell holds
            the error's text (``#N/A``), as Excel shows it.
        stray_quotes: CSV rows read with a stray opening quote as a plain character
            (:mod:`.quoted_spans`).
        broken_records: CSV spans rejected as ``(first line, reason, lines spanned)``:
            ``unclosed_quote`` or ``oversized_record``.
        lines: Physical lines below the header (CSV), to set beside the records read.
    """

    path: Path
    sheet: str | None
    encoding: str | None
    header_row: int
    preamble: list[str]
    columns: list[pa.Array | pa.ChunkedArray]
    row_numbers: np.ndarray | Callable[[], np.ndarray]
    n_rows: int
    malformed_rows: list[tuple[int, str]] | Callable[[], list[tuple[int, str]]] = field(
        default_factory=list
    )
    from_excel: bool = False
    error_cells: list[tuple[int, int, str]] = field(default_factory=list)
    stray_quotes: list[int] = field(default_factory=list)
    broken_records: list[tuple[int, str, int]] = field(default_factory=list)
    lines: int | None = None

    @property
    def rows(self) -> np.ndarray:
        """The 1-based row of each data row (computed on first use: it may wait on a scan)."""
        if callable(self.row_numbers):
            self.row_numbers = self.row_numbers()
        return self.row_numbers

    @property
    def malformed(self) -> list[tuple[int, str]]:
        """Records that could not be split into the header's columns, as ``(row, text)``."""
        if callable(self.malformed_rows):
            self.malformed_rows = self.malformed_rows()
        return self.malformed_rows


class Source:
    """An opened export file: look at the top of each sheet, then read one sheet.

    Attributes:
        path: The file.
        name: How messages name it (its path relative to the folder ingested).
        many_sheets: Whether the keys of :meth:`heads` are sheets that may each hold a table
            (Excel), rather than alternative delimiters of one table (CSV).
        limits: What the file may make the reader allocate, checked before it does.
    """

    path: Path
    name: str
    many_sheets: bool = False
    limits: Limits = DEFAULT

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """Return ``(key, first rows as text)`` per sheet (Excel) or delimiter (CSV)."""
        raise NotImplementedError

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read the rows below the header at 0-based ``header_index`` of ``sheet``.

        ``id_column`` is the order id's column; readers that might misread long ids check it.
        """
        raise NotImplementedError


def cell_text(value: object) -> str:
    """Excel cell -> the text an analyst would read, with dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < _EXACT_INTEGERS:
            return str(int(value))
        return repr(value)  # 2.0210305000123458e+17: an id Excel stored as a number is lost
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value)
