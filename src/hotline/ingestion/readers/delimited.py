r"""Delimited text exports (CSV, TSV, TXT), read by pyarrow's multi-threaded CSV reader.

The encoding is detected from the bytes (never from the locale) and the delimiter from the first
records. Row numbers are the lines where records start, counting line breaks inside quoted values.
A line ends at ``\r\n``, ``\n`` or a lone ``\r``, alike everywhere lines are counted.

pyarrow reads the file in blocks of 1 MiB, and a record must fit in one. A longer record (a
complaint pasted a thousand times, a quote that never closes) makes it read again with blocks
big enough for the ``record_chars`` limit; one still too long stops the file with that limit.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers import quoted_spans
from hotline.ingestion.readers.base import HEAD_BYTES, HEAD_ROWS, Grid, Source
from hotline.ingestion.readers.transcoding import watched_codec

__all__ = ["CsvSource"]

_DELIMITERS = (",", "\t", ";", "|")
_BLOCK = 1 << 20  # pyarrow's reading block, in bytes: the hot path's size
_MAX_BLOCK = (1 << 31) - 1  # pyarrow keeps the block size in an int32


@dataclass
class _Head:
    rows: list[list[str]]
    line_of_row: list[int]  # 0-based physical line where each record starts
    lines_of_row: list[int]  # physical lines each record spans


@dataclass
class _Records:
    """The records of a CSV below its header, as read, with where each starts.

    ``malformed`` holds ``(first line, lines spanned, text)`` of records of another width;
    ``rejected`` holds ``(first line, reason, lines spanned)`` of spans rejected by
    :mod:`.quoted_spans`.
    """

    table: pa.Table
    starts: np.ndarray
    breaks: np.ndarray | None
    malformed: list[tuple[int, int, str]]
    stray_quotes: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str, int]] = field(default_factory=list)

    def last_line(self) -> int:
        """The last physical line any record, broken or rejected one covers (0 if none)."""
        ends = [int(line) + count - 1 for line, count, _ in self.malformed]
        if self.table.num_rows:
            spans = self.breaks if self.breaks is not None else 0
            ends.append(int(np.max(self.starts + spans)))
        ends += [line + count - 1 for line, _, count in self.rejected]
        return max(ends, default=0)


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
            text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
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
        self.limits.check(self.name, "columns", width, "header columns", row=header_index + 1)
        skip = head.line_of_row[header_index] + head.lines_of_row[header_index]
        names = [f"c{i}" for i in range(width)]
        table, any_malformed = self._read_table(skip, names)
        self.limits.check(self.name, "rows", table.num_rows, "records")
        breaks = _line_breaks(table)
        broken = (
            _locate_malformed(self.path, self.encoding, self.delimiter, skip, width)
            if any_malformed
            else []
        )
        starts = _shift_for_skipped(
            _record_lines(table.num_rows, skip + 1, breaks), [(s, t) for s, _, t in broken]
        )
        records = _Records(table, starts, breaks, broken)
        records = self._settle_quotes(records, width)
        self._check_record_chars(records)
        return Grid(
            path=self.path,
            sheet=None,
            encoding=self.encoding,
            header_row=head.line_of_row[header_index] + 1,
            preamble=[" ".join(c for c in row if c.strip()) for row in head.rows[:header_index]],
            columns=list(records.table.columns),
            row_numbers=records.starts,
            n_rows=records.table.num_rows,
            malformed_rows=[(line, text) for line, _, text in records.malformed],
            stray_quotes=records.stray_quotes,
            broken_records=records.rejected,
            lines=records.last_line() - skip,
        )

    def _settle_quotes(self, records: _Records, width: int) -> _Records:
        """Re-read the quoted spans that swallow records or break a bound (:mod:`.quoted_spans`)."""
        spans: dict[int, int] = {}  # first line -> lines, of each record that swallows others
        oversized: list[tuple[int, str, int]] = []
        dropped: list[int] = []
        end = records.last_line()
        if records.breaks is not None:
            multi = np.flatnonzero(records.breaks > 0)
            if multi.size:
                values = records.table.take(pa.array(multi)).to_pylist()
                for index, row in zip(multi.tolist(), values, strict=True):
                    text = self.delimiter.join(row.values())
                    bad, swallows = quoted_spans.implausible(
                        text, self.delimiter, width, self.limits
                    )
                    line, count = int(records.starts[index]), int(records.breaks[index]) + 1
                    if not bad and line + count - 1 == end and _may_be_open(text):
                        bad = swallows = True  # re-read: a quote open at the end is no value
                    if swallows:
                        spans[line] = count
                    elif bad:
                        oversized.append((line, "oversized_record", count))
                    if bad:
                        dropped.append(index)
        kept_broken = []
        for line, count, text in records.malformed:
            verdict = quoted_spans.implausible(
                text, self.delimiter, width, self.limits, whole=False
            )
            if count > 1 and (verdict[1] or (line + count - 1 == end and _may_be_open(text))):
                spans[line] = count
            else:
                kept_broken.append((line, count, text))
        if not spans and not oversized:
            return records
        reread = [
            record
            for first, lines in _read_lines(self.path, self.encoding, spans).items()
            for record in quoted_spans.reread(
                lines, first, self.delimiter, width, self.limits, at_end=first + spans[first] > end
            )
        ]
        keep = np.ones(records.table.num_rows, dtype=bool)
        keep[dropped] = False
        whole = [r for r in reread if r.fields and len(r.fields) == width]
        extra = pa.table(
            {
                name: pa.array([r.fields[i] for r in whole], pa.string())
                for i, name in enumerate(records.table.column_names)
            }
        )
        table = pa.concat_tables([records.table.filter(pa.array(keep)), extra])
        starts = np.concatenate(
            [records.starts[keep], np.array([r.line for r in whole], dtype=np.int64)]
        )
        spans_of = np.concatenate(
            [
                (records.breaks[keep] + 1) if records.breaks is not None else np.ones(keep.sum()),
                np.array([r.lines for r in whole], dtype=np.int64),
            ]
        ).astype(np.int64)
        order = np.argsort(starts, kind="stable")
        malformed = kept_broken + [
            (r.line, r.lines, self.delimiter.join(r.fields))
            for r in reread
            if r.fields and len(r.fields) != width
        ]
        return _Records(
            table=table.take(pa.array(order)),
            starts=starts[order],
            breaks=spans_of[order] - 1,
            malformed=sorted(malformed),
            stray_quotes=sorted(r.line for r in reread if r.reason == "stray_quote"),
            rejected=sorted(
                oversized + [(r.line, r.reason, r.lines) for r in reread if not r.fields]
            ),
        )

    def _check_record_chars(self, records: _Records) -> None:
        """Stop at the first record longer than ``record_chars`` (its values together).

        Cheap when none is: the longest value of each column bounds every record from above,
        and a byte count bounds the character count.
        """
        table, limit = records.table, self.limits.record_chars
        if not table.num_rows:
            return
        lengths = [pc.binary_length(column) for column in table.columns]
        if sum(pc.max(length).as_py() or 0 for length in lengths) <= limit:
            return
        size = np.sum([length.to_numpy() for length in lengths], axis=0)
        for index in np.flatnonzero(size > limit).tolist():
            row = table.slice(index, 1)
            chars = sum(pc.sum(pc.utf8_length(column)).as_py() or 0 for column in row.columns)
            self.limits.check(
                self.name,
                "record_chars",
                chars,
                "characters in one record",
                row=int(records.starts[index]),
            )

    def _stop_at_long_record(self, skip: int) -> None:
        """Stop at the record pyarrow could not fit in a block: it is over ``record_chars``.

        Found by reading the file again with Python's csv reader (only on this error path).
        """
        limit = self.limits.record_chars
        with self.path.open("r", encoding=self.encoding, errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            line = 0
            for record in reader:
                start, line = line + 1, reader.line_num
                chars = sum(map(len, record))
                if start > skip and chars > limit:
                    what = "characters in one record"
                    if line > start:
                        what += (
                            f" spanning {line - start + 1:,} lines from a quote opened on this "
                            "row (a stray quote?)"
                        )
                    self.limits.check(self.name, "record_chars", chars, what, row=start)
        raise InputError(  # pyarrow and Python split the file differently: say what is known
            self.name,
            f"a record does not fit in {min(4 * limit, _MAX_BLOCK):,} bytes; to read it anyway: "
            f"{self.limits.describe('record_chars')}",
        )

    def _stop_at_bad_byte(self, offset: int, reason: str) -> None:
        line = _line_at(self.path, self.encoding, offset) if offset >= 0 else None
        raise InputError(
            self.name,
            f"not valid {self.encoding} at byte {offset:,} ({reason}), though the first "
            f"{HEAD_BYTES // 1024} KiB read as {self.encoding}; the file mixes encodings: "
            "save it again in one encoding (UTF-8 or GBK)",
            row=line,
        )

    def _read_table(self, skip: int, names: list[str]) -> tuple[pa.Table, bool]:
        """Read with 1 MiB blocks; again with blocks fitting ``record_chars`` if a record is longer.

        UTF-8 takes at most 4 bytes a character, so blocks of ``4 × record_chars`` bytes fit any
        record within the limit; a record pyarrow cannot fit even then is over it.
        """
        blocks = [_BLOCK]
        if 4 * self.limits.record_chars > _BLOCK:
            blocks.append(min(4 * self.limits.record_chars, _MAX_BLOCK))
        for block in blocks:
            read = self._read_blocks(skip, names, block)
            if read is not None:
                return read
        self._stop_at_long_record(skip)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_blocks(self, skip: int, names: list[str], block: int) -> tuple[pa.Table, bool] | None:
        """The table read with pyarrow blocks of ``block`` bytes; ``None``: a record straddles."""
        found: list[bool] = []

        def on_invalid(row: pacsv.InvalidRow) -> str:
            found.append(True)
            return "skip"

        utf8 = self.encoding in ("utf-8", "utf-8-sig")
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
        with watched_codec(self.encoding) as watch:
            read_options = pacsv.ReadOptions(
                skip_rows=skip,
                column_names=names,
                encoding="utf8" if utf8 else watch.codec,
                block_size=block,
            )
            try:
                table = pacsv.read_csv(
                    self.path,
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
            except pa.ArrowInvalid as error:
                if "straddl" in str(error):  # a record longer than the block
                    return None
                if utf8 and "UTF8" in str(error):
                    self._stop_at_bad_byte(_first_bad_byte(self.path, "utf-8"), "invalid UTF-8")
                raise InputError(self.name, f"cannot parse as CSV ({error})") from None
            except OSError as error:
                raise InputError(self.name, f"cannot parse as CSV ({error})") from None
        if watch.first_bad_byte is not None:
            self._stop_at_bad_byte(watch.first_bad_byte, watch.reason)
        return table, bool(found)


def _first_bad_byte(path: Path, encoding: str) -> int:
    """Offset of the first byte of ``path`` that does not decode as ``encoding`` (-1: none)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    seen = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return seen + error.start
            seen += len(block)
    return -1


def _line_at(path: Path, encoding: str, offset: int) -> int:
    """1-based line holding byte ``offset`` of a text file (lines end at CR LF, LF or CR)."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    lines, left, after_cr = 1, offset, False
    with path.open("rb") as handle:
        while left > 0 and (block := handle.read(min(left, 1 << 20))):
            text = decoder.decode(block)
            if not text:
                continue
            lines += quoted_spans.line_breaks(text) - (after_cr and text[0] == "\n")
            after_cr = text[-1] == "\r"
            left -= len(block)
    return lines


def _read_lines(path: Path, encoding: str, spans: dict[int, int]) -> dict[int, list[str]]:
    """The physical lines of each span (first 1-based line -> count), in one pass over the file."""
    wanted = sorted(spans.items())
    found: dict[int, list[str]] = {first: [] for first, _ in wanted}
    if not wanted:
        return found
    spans_left = iter(wanted)
    first, count = next(spans_left)
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            while number >= first + count:  # spans never overlap: move to the next one
                following = next(spans_left, None)
                if following is None:
                    return found
                first, count = following
            if number >= first:
                found[first].append(line)
    return found


def _may_be_open(text: str) -> bool:
    """Whether the last record, ``text``, may hold a quote left open to the end of the file.

    Both pyarrow and Python's csv reader keep the file's last line end in such a value; an
    honest value rarely ends with a line break. :func:`quoted_spans.reread` decides exactly.
    """
    return text.endswith(("\n", "\r"))


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


def _record_lines(n: int, first_line: int, breaks: np.ndarray | None) -> np.ndarray:
    """1-based line where each record starts, counting line breaks inside quoted values.

    Every record, blank ones included, starts a line; a record spans one more line per line
    break in its values.
    """
    starts = np.arange(first_line, first_line + n, dtype=np.int64)
    if breaks is None or n == 0:
        return starts
    starts[1:] += np.cumsum(breaks[:-1])
    return starts


def _line_breaks(table: pa.Table) -> np.ndarray | None:
    """Line breaks in each record (all its values), or None when no value holds one."""
    per_column = [counts for column in table.columns if (counts := _breaks(column)) is not None]
    return np.sum(per_column, axis=0) if per_column else None


def _breaks(column: pa.ChunkedArray) -> np.ndarray | None:
    """Line breaks in each value of a string column, or None when it has none.

    A line break is an LF, or a CR not followed by an LF in the same value (old Mac files end
    lines with a lone CR). Scans the column's character buffers with NumPy: much faster than a
    per-value search.
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
            controls = np.flatnonzero(data <= 0x0D)  # LF and CR in one pass over the bytes
            kinds = data[controls]
            at = controls[kinds == 0x0A]
            crs = controls[kinds == 0x0D]
            if crs.size:  # a CR then an LF of the same value is one line end, found at the LF
                ends = offsets[np.searchsorted(offsets, crs + offsets[0], side="right")]
                inside = crs + 1 < ends - offsets[0]
                joined = inside & (data[np.minimum(crs + 1, data.size - 1)] == 0x0A)
                at = np.sort(np.concatenate([at, crs[~joined]]))
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
        rows[rows >= line] += 1 + quoted_spans.line_breaks(text)
    return rows
