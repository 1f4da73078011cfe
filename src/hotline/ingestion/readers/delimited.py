"""Delimited text exports (CSV, TSV, TXT), read by pyarrow's multi-threaded CSV reader.

The encoding is detected from the bytes (never from the locale) and the delimiter from the first
records. Row numbers are the lines where records start, counting line breaks inside quoted values.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_BYTES, HEAD_ROWS, Grid, Source

__all__ = ["CsvSource"]

_DELIMITERS = (",", "\t", ";", "|")


@dataclass
class _Head:
    rows: list[list[str]]
    line_of_row: list[int]  # 0-based physical line where each record starts
    lines_of_row: list[int]  # physical lines each record spans


class CsvSource(Source):
    """A delimited text file; encoding and delimiter detected from its first bytes."""

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        self.path = path
        self.name = name or path.name
        self.limits = limits
        with path.open("rb") as handle:
            head_bytes = handle.read(HEAD_BYTES)
        self.encoding = detect_encoding(head_bytes, self.name)
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        try:
            text = decoder.decode(head_bytes, final=len(head_bytes) < HEAD_BYTES)
        except UnicodeDecodeError as error:
            raise InputError(
                self.name, f"bytes near offset {error.start} are not valid {self.encoding}"
            ) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        if len(head_bytes) == HEAD_BYTES:  # drop a record cut in the middle
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
                f"{error.start} of a block); the first {HEAD_BYTES // 1024} KiB looked like "
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
