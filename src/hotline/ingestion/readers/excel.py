"""Excel workbooks: python-calamine for every format, fastexcel for .xlsx/.xlsm.

Row numbers are the Excel rows the analyst sees.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.privacy import safe_detail, shown_sheet
from hotline.ingestion.readers.base import HEAD_ROWS, Grid, Source, cell_text
from hotline.ingestion.readers.ole_scan import scan_ole_workbook
from hotline.ingestion.readers.workbook_scan import scan_workbook

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

__all__ = ["XML_WORKBOOKS", "ExcelSource", "FastExcelSource"]

#: Workbooks whose sheets are XML in a zip (their error cells can be found, see excel_errors).
XML_WORKBOOKS = (".xlsx", ".xlsm")
#: Workbooks that are zips, checked member by member before calamine opens them.
ZIP_WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".ods")
_SECONDS_US = pa.timestamp("us")
_T = TypeVar("_T")


def _calamine(call: Callable[[], _T], file: str, what: str, sheets: Sequence[str] = ()) -> _T:
    """Run a calamine call; any failure, a Rust panic included, is one InputError.

    calamine's message may quote a sheet name or a cell: it is screened (:func:`.safe_detail`,
    with the workbook's ``sheets``) before it reaches the user.

    pyo3 raises a Rust panic as ``PanicException``, a ``BaseException``: ``except Exception``
    would let it end the process with a traceback. The pre-flight scan keeps calamine from the
    inputs known to panic; this is the net behind it.
    """
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as error:  # calamine raises several unrelated types for bad files
        text = str(error).strip().splitlines()
        detail = safe_detail(text[0][:200], sheets) if text else ""
        raise InputError(file, f"{what} ({type(error).__name__}: {detail})") from None


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

    def __init__(
        self,
        path: Path,
        name: str | None = None,
        limits: Limits = DEFAULT,
        *,
        kind: str | None = None,
    ) -> None:
        """Open a workbook.

        Args:
            path: The file.
            name: How messages name it.
            limits: What the file may make the reader allocate.
            kind: ``"zip"`` or ``"ole"`` when the bytes say something else than the suffix
                (an xlsx named .xls): the workbook is then opened by its content.
        """
        import python_calamine

        self.path = path
        self.name = name or path.name
        self.limits = limits
        self._sheets: dict[str, CalamineSheet] = {}
        self._errors: dict[str, list[tuple[int, int, str]]] = {}
        suffix = path.suffix.lower()
        if kind == "zip" or (kind is None and suffix in ZIP_WORKBOOKS):
            # Before calamine allocates what the file asks for: sizes, ratios, sheet grids.
            # The same pass finds the error cells, which calamine reads as empty.
            scan = scan_workbook(path, self.name, limits)
            self._errors = {name: sheet.errors for name, sheet in scan.sheets.items()}
        elif kind == "ole" or (kind is None and suffix == ".xls"):
            # The same for a legacy workbook: declared and laid-out sheet sizes, sheet count.
            scan_ole_workbook(path, self.name, limits)
        if kind is None:
            opened = lambda: python_calamine.CalamineWorkbook.from_path(str(path))  # noqa: E731
        else:
            opened = lambda: python_calamine.CalamineWorkbook.from_filelike(  # noqa: E731
                io.BytesIO(path.read_bytes())
            )
        self._book = _calamine(
            opened, self.name, "not a readable Excel workbook", list(self._errors)
        )

    def _cannot_read(self, sheet: str) -> tuple[str, list[str]]:
        """The message for a sheet calamine fails on, and the names to screen its error for."""
        names = list(self._book.sheet_names)
        return f"cannot read sheet {shown_sheet(sheet, names)}", names

    def _error_cells(self, sheet: str) -> list[tuple[int, int, str]]:
        """Error cells of a sheet as ``(row, column, text)`` from A1 (xlsx and xlsm only)."""
        return self._errors.get(sheet, [])

    def _sheet(self, name: str) -> CalamineSheet:
        # Loading a sheet parses all of it: keep it for the read that follows the header search.
        if name not in self._sheets:
            self._sheets[name] = _calamine(
                lambda: self._book.get_sheet_by_name(name), self.name, *self._cannot_read(name)
            )
        return self._sheets[name]

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """Return the first rows of every sheet (hidden ones too: data is where it is)."""
        return [(name, self._head(name)) for name in self._book.sheet_names]

    def _head(self, name: str) -> list[list[str]]:
        sheet = self._sheet(name)
        rows = _calamine(
            lambda: sheet.to_python(skip_empty_area=False, nrows=HEAD_ROWS),
            self.name,
            *self._cannot_read(name),
        )
        return [[cell_text(v) for v in row] for row in rows]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read one sheet below its header row."""
        sheet = cast(str, sheet)  # heads() named every sheet of a workbook
        loaded = self._sheet(sheet)
        rows = _calamine(
            lambda: loaded.to_python(skip_empty_area=False),
            self.name,
            *self._cannot_read(sheet),
        )
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
        self._reader = _calamine(
            lambda: fastexcel.read_excel(str(path)),
            self.name,
            "not a readable Excel workbook",
            list(self._book.sheet_names),
        )
        self._tables: dict[str, pa.Table] = {}

    def _table(self, name: str) -> pa.Table:
        if name not in self._tables:  # one parse per sheet, shared by heads() and read()
            self._tables[name] = _calamine(
                lambda: self._reader.load_sheet(
                    name, header_row=None, skip_rows=0, dtypes="string"
                ).to_arrow(),
                self.name,
                *self._cannot_read(name),
            )
        return self._tables[name]

    def _head(self, name: str) -> list[list[str]]:
        rows = self._table(name).slice(0, HEAD_ROWS).to_pylist()
        return [["" if v is None else v for v in row.values()] for row in rows]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read one sheet below its header row."""
        sheet = cast(str, sheet)  # heads() named every sheet of a workbook
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
