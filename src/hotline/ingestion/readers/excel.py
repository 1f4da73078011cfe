"""Excel workbooks: python-calamine for every format, fastexcel for .xlsx/.xlsm.

Row numbers are the Excel rows the analyst sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion.excel_errors import sheet_errors
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_ROWS, Grid, Source, cell_text

__all__ = ["XML_WORKBOOKS", "ExcelSource", "FastExcelSource"]

#: Workbooks whose sheets are XML in a zip (their error cells can be found, see excel_errors).
XML_WORKBOOKS = (".xlsx", ".xlsm")
_SECONDS_US = pa.timestamp("us")


def _text_column(values: Sequence[object]) -> pa.Array:
    """One Excel column as text; type checks and date formatting run in C, not per cell."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return pa.array(values, pa.string())
    if kinds <= {str, dt.datetime, dt.date}:  # calamine gives a date for a midnight time
        stamps = pa.array([v if type(v) is dt.datetime else None for v in values], _SECONDS_US)
        # Excel stores times as fractions of a day: 09:32:08.999999 is 09:32:09.
        seconds = pc.cast(pc.round_temporal(stamps, unit="second"), pa.timestamp("s"))
        days = pa.array([v if type(v) is dt.date else None for v in values], pa.date32())
        texts = pa.array([v if type(v) is str else None for v in values], pa.string())
        return pc.coalesce(pc.cast(seconds, pa.string()), pc.cast(days, pa.string()), texts)
    return pa.array([v if type(v) is str else cell_text(v) for v in values], pa.string())


class ExcelSource(Source):
    """An Excel workbook read with python-calamine (xlsx, xlsm, xls, xlsb, ods)."""

    many_sheets = True

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        import python_calamine

        self.path = path
        self.name = name or path.name
        self.limits = limits
        self._sheets: dict[str, object] = {}
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as error:  # calamine raises several unrelated types for bad files
            raise InputError(
                self.name, f"not a readable Excel workbook ({type(error).__name__}: {error})"
            ) from None
        self._errors: dict[str, Future[list[tuple[int, int, str]]]] = {}
        if path.suffix.lower() in XML_WORKBOOKS:
            # calamine reads an error cell as empty: find them in the sheet's XML meanwhile.
            scanner = ThreadPoolExecutor(max_workers=1)
            for sheet in self._book.sheet_names:
                self._errors[sheet] = scanner.submit(sheet_errors, path, sheet)
            scanner.shutdown(wait=False)

    def _error_cells(self, sheet: str) -> list[tuple[int, int, str]]:
        """Error cells of a sheet as ``(row, column, text)`` from A1 (xlsx and xlsm only)."""
        return self._errors[sheet].result() if sheet in self._errors else []

    def _sheet(self, name: str):
        # Loading a sheet parses all of it: keep it for the read that follows the header search.
        if name not in self._sheets:
            try:
                self._sheets[name] = self._book.get_sheet_by_name(name)
            except Exception as error:
                raise InputError(self.name, f"cannot read sheet {name!r} ({error})") from None
        return self._sheets[name]

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """Return the first rows of every sheet (hidden ones too: data is where it is)."""
        return [(name, self._head(name)) for name in self._book.sheet_names]

    def _head(self, name: str) -> list[list[str]]:
        rows = self._sheet(name).to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        return [[cell_text(v) for v in row] for row in rows]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read one sheet below its header row."""
        rows = self._sheet(sheet).to_python(skip_empty_area=False)
        errors = [
            (r, c, t) for r, c, t in self._error_cells(sheet) if r < len(rows) and c < len(rows[r])
        ]
        for row, column, text in errors:
            rows[row][column] = text  # the text Excel shows, not an empty cell
        width = max((len(r) for r in rows), default=0)
        body = rows[header_index + 1 :]
        # Used ranges often claim tens of thousands of styled but empty rows.
        end = len(body)
        while end and not any(v not in ("", None) for v in body[end - 1]):
            end -= 1
        body = body[:end]
        header = rows[header_index]
        if body:
            columns = [_text_column(col) for col in zip(*body, strict=True)]
        else:
            columns = [pa.array([], pa.string()) for _ in range(width)]
        preamble = [
            " ".join(cell_text(v) for v in row if v not in ("", None))
            for row in rows[:header_index]
        ]
        first = header_index + 2
        return Grid(
            path=self.path,
            sheet=sheet,
            encoding=None,
            header_row=header_index + 1,
            preamble=preamble,
            columns=columns[: len(header)] if len(columns) > len(header) else columns,
            row_numbers=np.arange(first, first + len(body), dtype=np.int64),
            n_rows=len(body),
            from_excel=True,
            error_cells=[
                (r - header_index - 1, c, t)
                for r, c, t in errors
                if header_index < r <= header_index + len(body) and c < len(header)
            ],
        )


class FastExcelSource(ExcelSource):
    """An .xlsx/.xlsm workbook read by fastexcel, twice as fast as :class:`ExcelSource`.

    fastexcel runs calamine's parser and builds Arrow columns in Rust, with no Python object
    per cell. Read with ``skip_rows=0``, fastexcel's first row is the sheet's row 1, so table
    row ``i`` is Excel row ``i + 1`` whatever the layout above the header.
    """

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        import fastexcel

        super().__init__(path, name, limits)
        try:
            self._reader = fastexcel.read_excel(str(path))
        except Exception as error:
            raise InputError(
                self.name, f"not a readable Excel workbook ({type(error).__name__}: {error})"
            ) from None
        self._tables: dict[str, pa.Table] = {}

    def _table(self, name: str) -> pa.Table:
        if name not in self._tables:  # one parse per sheet, shared by heads() and read()
            try:
                sheet = self._reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
                self._tables[name] = sheet.to_arrow()
            except Exception as error:
                raise InputError(self.name, f"cannot read sheet {name!r} ({error})") from None
        return self._tables[name]

    def _head(self, name: str) -> list[list[str]]:
        rows = self._table(name).slice(0, HEAD_ROWS).to_pylist()
        return [["" if v is None else v for v in row.values()] for row in rows]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read one sheet below its header row."""
        table = self._table(sheet)
        body = table.slice(header_index + 1)
        if (
            id_column < body.num_columns
            and pc.any(pc.match_substring_regex(body.column(id_column), r"^[0-9]{16,}$")).as_py()
        ) or self._error_cells(sheet):
            # fastexcel writes a number cell as digits, so a long id Excel stored as a number
            # (its last digits lost) would pass for text; and it reads an error cell as empty.
            # Either way (both rare) the sheet is read cell by cell instead.
            return super().read(sheet, header_index, id_column)
        columns = [pc.fill_null(column, "") for column in body.columns]
        filled = np.zeros(body.num_rows, dtype=bool)
        for column in columns:  # used ranges often end in styled but empty rows
            filled |= pc.not_equal(column, "").to_numpy(zero_copy_only=False)
        end = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
        above = table.slice(0, header_index).to_pylist()
        preamble = [" ".join(v for v in row.values() if v) for row in above]
        first = header_index + 2
        return Grid(
            path=self.path,
            sheet=sheet,
            encoding=None,
            header_row=header_index + 1,
            preamble=preamble,
            columns=[column.slice(0, end) for column in columns],
            row_numbers=np.arange(first, first + end, dtype=np.int64),
            n_rows=end,
            from_excel=True,
        )
