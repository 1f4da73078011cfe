"""Read an export file into a grid of text cells, keeping each row's number in the file.

Excel (``.xlsx``, ``.xlsm``, ``.xls``) is read with python-calamine; CSV and text files with
pyarrow's multi-threaded CSV reader after the encoding has been detected from the bytes (never
from the locale); JSON (an array of records, as the Socrata and Open311 APIs return) with the
standard library. Nothing here interprets values: every cell becomes text exactly as the analyst
would see it, with Excel dates written as ISO text and whole numbers without a trailing ``.0``.

Row numbers are what the analyst sees: the Excel row, the CSV line where the record starts, or
the record's position in a JSON array (1 for the first record).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding
from hotline.ingestion.excel_errors import sheet_errors

__all__ = [
    "EXCEL_SUFFIXES",
    "HEAD_ROWS",
    "JSON_SUFFIXES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "Grid",
    "JsonSource",
    "Source",
    "open_source",
]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_XML_WORKBOOKS = (".xlsx", ".xlsm")
JSON_SUFFIXES = (".json",)
#: Every file type the ingest reads.
SUFFIXES = EXCEL_SUFFIXES + TEXT_SUFFIXES + JSON_SUFFIXES

#: Rows examined at the top of each sheet to find the header.
HEAD_ROWS = 30
_HEAD_BYTES = 1 << 18
_DELIMITERS = (",", "\t", ";", "|")
_SECONDS_US = pa.timestamp("us")
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
    """

    path: Path
    name: str
    many_sheets: bool = False

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """Return ``(key, first rows as text)`` per sheet (Excel) or delimiter (CSV)."""
        raise NotImplementedError

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read the rows below the header at 0-based ``header_index`` of ``sheet``.

        ``id_column`` is the order id's column; readers that might misread long ids check it.
        """
        raise NotImplementedError


def open_source(path: Path, name: str | None = None) -> Source:
    """Open an export by its suffix.

    Args:
        path: The file.
        name: How error messages name it (default: the file name).

    Raises:
        InputError: The file is missing, empty, or of an unsupported type.
    """
    name = name or path.name
    if not path.exists():
        raise InputError(name, "file not found")
    if not path.is_file():
        raise InputError(name, "not a file")
    if path.stat().st_size == 0:
        raise InputError(name, "file is empty (0 bytes)")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return FastExcelSource(path, name)
    if suffix in EXCEL_SUFFIXES:
        return ExcelSource(path, name)
    if suffix in TEXT_SUFFIXES:
        return CsvSource(path, name)
    if suffix in JSON_SUFFIXES:
        return JsonSource(path, name)
    raise InputError(
        name, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}"
    )


# --- Excel ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
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
    return pa.array([v if type(v) is str else _cell_text(v) for v in values], pa.string())


class ExcelSource(Source):
    """An Excel workbook read with python-calamine (xlsx, xlsm, xls, xlsb, ods)."""

    many_sheets = True

    def __init__(self, path: Path, name: str | None = None) -> None:
        import python_calamine

        self.path = path
        self.name = name or path.name
        self._sheets: dict[str, object] = {}
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
        except Exception as error:  # calamine raises several unrelated types for bad files
            raise InputError(
                self.name, f"not a readable Excel workbook ({type(error).__name__}: {error})"
            ) from None
        self._errors: dict[str, Future[list[tuple[int, int, str]]]] = {}
        if path.suffix.lower() in _XML_WORKBOOKS:
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
        return [[_cell_text(v) for v in row] for row in rows]

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
            " ".join(_cell_text(v) for v in row if v not in ("", None))
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

    def __init__(self, path: Path, name: str | None = None) -> None:
        import fastexcel

        super().__init__(path, name)
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


# --- CSV --------------------------------------------------------------------------------------


@dataclass
class _Head:
    rows: list[list[str]]
    line_of_row: list[int]  # 0-based physical line where each record starts
    lines_of_row: list[int]  # physical lines each record spans


class CsvSource(Source):
    """A delimited text file; encoding and delimiter detected from its first bytes."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = path
        self.name = name or path.name
        with path.open("rb") as handle:
            head_bytes = handle.read(_HEAD_BYTES)
        self.encoding = detect_encoding(head_bytes, self.name)
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        try:
            text = decoder.decode(head_bytes, final=len(head_bytes) < _HEAD_BYTES)
        except UnicodeDecodeError as error:
            raise InputError(
                self.name, f"bytes near offset {error.start} are not valid {self.encoding}"
            ) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        if len(head_bytes) == _HEAD_BYTES:  # drop a record cut in the middle
            text = text[: text.rfind("\n") + 1]
        self._text = text
        self._heads = {d: self._parse_head(text, d) for d in _DELIMITERS}
        self.delimiter = ","

    @staticmethod
    def _parse_head(text: str, delimiter: str) -> _Head:
        rows: list[list[str]] = []
        starts: list[int] = []
        spans: list[int] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        line = 0
        try:
            for record in reader:
                starts.append(line)
                spans.append(reader.line_num - line)
                line = reader.line_num
                rows.append(record)
                if len(rows) >= HEAD_ROWS:
                    break
        except csv.Error:
            pass
        return _Head(rows, starts, spans)

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """Return the first records once per candidate delimiter (the key of :meth:`read`)."""
        return [(d, self._heads[d].rows) for d in _DELIMITERS]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """Read every record below the header with pyarrow; ``sheet`` is the delimiter."""
        self.delimiter = sheet or ","
        head = self._heads[self.delimiter]
        if header_index >= len(head.rows):
            raise InputError(self.name, "header row not found in the first records")
        width = _record_width(head.rows[header_index], head.rows[header_index + 1 :])
        skip = head.line_of_row[header_index] + head.lines_of_row[header_index]
        names = [f"c{i}" for i in range(width)]
        table, any_malformed = self._read_table(skip, names)

        @functools.cache
        def malformed() -> list[tuple[int, str]]:
            if not any_malformed:
                return []
            # pyarrow numbers the records it rejects, not their lines: find them again with
            # Python's csv reader, which knows both (rare, so its slowness does not matter).
            found = _locate_malformed(self.path, self.encoding, self.delimiter, skip, width)
            return [(line, text) for line, _, text in found]

        def row_numbers() -> np.ndarray:
            return _shift_for_skipped(_record_lines(table, skip + 1), malformed())

        return Grid(
            path=self.path,
            sheet=None,
            encoding=self.encoding,
            header_row=head.line_of_row[header_index] + 1,
            preamble=[" ".join(c for c in row if c.strip()) for row in head.rows[:header_index]],
            columns=list(table.columns),
            row_numbers=row_numbers,
            n_rows=table.num_rows,
            malformed_rows=malformed,
        )

    def _read_table(self, skip: int, names: list[str]) -> tuple[pa.Table, bool]:
        found: list[bool] = []

        def on_invalid(row: pacsv.InvalidRow) -> str:
            found.append(True)
            return "skip"

        read_options = pacsv.ReadOptions(
            skip_rows=skip,
            column_names=names,
            encoding="utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding,
            block_size=1 << 20,
        )
        parse_options = pacsv.ParseOptions(
            delimiter=self.delimiter,
            newlines_in_values=True,  # quoted values may hold line breaks; costs nothing
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        )
        convert_options = pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        try:
            table = pacsv.read_csv(
                self.path,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
        except UnicodeDecodeError as error:
            raise InputError(
                self.name,
                f"not valid {self.encoding} further into the file ({error.reason} at byte "
                f"{error.start} of a block); the first {_HEAD_BYTES // 1024} KiB looked like "
                f"{self.encoding}",
            ) from None
        except (pa.ArrowInvalid, OSError) as error:
            raise InputError(self.name, f"cannot parse as CSV ({error})") from None
        return table, bool(found)


def _record_width(header: list[str], below: list[list[str]]) -> int:
    """Fields per record: the header's, unless its trailing cells are empty and records lack them.

    ``工单编号,受理时间,办理状态,,`` over records of three fields is three fields wide.
    """
    trimmed = len(header)
    while trimmed and not header[trimmed - 1].strip():
        trimmed -= 1
    widths = [len(row) for row in below if any(cell.strip() for cell in row)]
    if trimmed < len(header) and widths and sum(w == trimmed for w in widths) > len(widths) / 2:
        return trimmed
    return len(header)


def _locate_malformed(
    path: Path, encoding: str, delimiter: str, skip: int, width: int
) -> list[tuple[int, int, str]]:
    """``(first line, lines spanned, text)`` of the records below line ``skip`` of another width."""
    found: list[tuple[int, int, str]] = []
    with path.open("r", encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        line = 0
        for record in reader:
            start, line = line + 1, reader.line_num
            if start > skip and len(record) != width and record not in ([], [""]):
                found.append((start, line - start + 1, delimiter.join(record)))
    return found


def _record_lines(table: pa.Table, first_line: int) -> np.ndarray:
    """1-based line where each record starts, counting line breaks inside quoted values.

    Every record, blank ones included, starts a line; a record spans one more line per line
    break in its values.
    """
    n = table.num_rows
    starts = np.arange(first_line, first_line + n, dtype=np.int64)
    breaks = [counts for column in table.columns if (counts := _breaks(column)) is not None]
    if not breaks or n == 0:
        return starts
    extra = np.sum(breaks, axis=0)
    starts[1:] += np.cumsum(extra[:-1])
    return starts


def _breaks(column: pa.ChunkedArray) -> np.ndarray | None:
    """Line breaks in each value of a string column, or None when it has none.

    Scans the column's character buffers with NumPy: much faster than a per-value search.
    """
    counts = []
    found = False
    for chunk in column.chunks:
        n = len(chunk)
        _, offset_buffer, data_buffer = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        offsets = np.frombuffer(offset_buffer, dtype=width)[chunk.offset : chunk.offset + n + 1]
        per_value = np.zeros(n, dtype=np.int64)
        if n and data_buffer is not None and offsets[-1] > offsets[0]:
            data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
            at = np.flatnonzero(data == 0x0A)
            if at.size:
                found = True
                values = np.searchsorted(offsets, at + offsets[0], side="right") - 1
                per_value = np.bincount(values, minlength=n).astype(np.int64)
        counts.append(per_value)
    return np.concatenate(counts) if found else None


def _shift_for_skipped(rows: np.ndarray, skipped: list[tuple[int, str]]) -> np.ndarray:
    """Move record line numbers past the lines of records the parser skipped."""
    if not skipped:
        return rows
    rows = rows.copy()
    for line, text in sorted(skipped):
        rows[rows >= line] += 1 + text.count("\n")
    return rows


# --- JSON -------------------------------------------------------------------------------------


def _json_text(value: object) -> str:
    """A JSON value as a cell's text: scalars as in a spreadsheet, objects and arrays as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return _cell_text(value)


def _records(data: object, name: str) -> list[object]:
    """The records of a parsed JSON document: an array, or the one array an object holds.

    Open311 servers may wrap the array (``{"service_requests": [...]}``); an object with a
    single array of objects is taken as that wrapper.
    """
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        arrays = [v for v in data.values() if isinstance(v, list)]
        if len(arrays) == 1:
            return arrays[0]
    raise InputError(
        name,
        'JSON holds no array of records (expected [{...}, ...] or {"service_requests": [...]})',
    )


class JsonSource(Source):
    """A JSON export: an array of records (objects), keys as headers.

    Records may omit keys (the SODA API leaves out null values): the header is every key in
    the order first seen, and a missing key is an empty cell. A nested value (SODA's
    ``location`` object) is kept as its JSON text. An array item that is not an object is a
    malformed record. The header is not a row of the file: ``header_row`` is 0 and each
    record's row is its 1-based position in the array.
    """

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = path
        self.name = name or path.name
        raw = path.read_bytes()
        self.encoding = detect_encoding(raw[:_HEAD_BYTES], self.name)
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            raise InputError(
                self.name, f"bytes near offset {error.start} are not valid {self.encoding}"
            ) from None
        try:
            data = json.loads(text.removeprefix("\ufeff"))
        except json.JSONDecodeError as error:
            raise InputError(self.name, f"not valid JSON ({error.msg})", row=error.lineno) from None
        self._records = _records(data, self.name)
        keys: dict[str, None] = {}
        for record in self._records:
            if isinstance(record, dict):
                keys.update(dict.fromkeys(record))
        self._keys = [str(k) for k in keys]

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """The keys, as the one candidate header row."""
        return [(None, [list(self._keys)])]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """One text column per key; records that are not objects are malformed."""
        positions = [i for i, r in enumerate(self._records) if isinstance(r, dict)]
        records = [self._records[i] for i in positions]
        columns = [
            pa.array([_json_text(r.get(key)) for r in records], pa.string()) for key in self._keys
        ]
        malformed = [
            (i + 1, _json_text(r)[:200])
            for i, r in enumerate(self._records)
            if not isinstance(r, dict)
        ]
        return Grid(
            path=self.path,
            sheet=None,
            encoding=self.encoding,
            header_row=0,
            preamble=[],
            columns=columns,
            row_numbers=np.asarray(positions, dtype=np.int64) + 1,
            n_rows=len(records),
            malformed_rows=malformed,
        )
