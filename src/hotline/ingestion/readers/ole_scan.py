"""Check a legacy ``.xls`` (an OLE compound file) against the limits before calamine reads it.

calamine trusts a legacy workbook as it trusts an xlsx: a sheet's DIMENSIONS record (BIFF
``0x0200``) makes it reserve room for ``rows × columns`` cells up front, so a 5 KB file that
claims 20,000,000 rows × 1,000 columns aborts the process allocating 800 GB; a cell record at
row 65,535, column 65,535 makes it lay out a grid of 4 billion cells; a cyclic sector chain in
the compound file makes it read forever. The format caps a real sheet at 65,536 × 256, but the
bytes need not obey it.

This pre-flight reads the file the way calamine does, with its own minimal reader of the
compound file (header, sector allocation table, directory, the small-stream area), every chain
followed at most once and every sector number checked, then walks the BIFF records of the
``Workbook`` stream:

* the globals' ``BOUNDSHEET`` records give the sheets, counted against ``sheets``;
* each sheet's DIMENSIONS record (what calamine reserves) and its cell records (the grid it lays
  out, from A1 as the reader pads it) are checked against ``rows``, ``columns`` and ``cells``,
  each sheet and summed over the workbook.

The records are walked once, by a tight loop that only follows their lengths (about half a
microsecond a record); each sheet's share of them is then read with numpy. The largest sheet the
format allows (65,536 rows of 20 columns, 19 MB) takes about as long as calamine's own read.

Example:
    >>> import struct
    >>> dims = struct.pack("<HHIIHHH", 0x0200, 14, 0, 3, 0, 2, 0)
    >>> number = struct.pack("<HHHHHd", 0x0203, 14, 2, 1, 0, 1.0)
    >>> sheet = scan_biff_sheet(dims + number + struct.pack("<HH", 0x000A, 0), 0, "表1", "a.xls")
    >>> sheet.declared_rows, sheet.declared_columns, sheet.max_row, sheet.max_column
    (3, 2, 3, 2)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hotline.errors import InputError
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.privacy import shown_sheet

__all__ = ["BiffSheet", "scan_biff_sheet", "scan_ole_workbook", "workbook_stream"]

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFF_FFFE
_RESERVED = 0xFFFF_FFFA  # sector numbers from here up are markers, not sectors
_DIFAT_SECTOR = 0xFFFF_FFFC
#: Names calamine looks for, in its order (BIFF8 writes Workbook, BIFF5 Book).
_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")
#: calamine reads a stream shorter than this from the small-stream area (whatever the header says).
_MINI_CUTOFF = 4096
_MINI_SECTOR = 64
_RECORD = struct.Struct("<HH")
_ROW_COLUMN = struct.Struct("<HH")
_U32 = struct.Struct("<I")
_LENGTH = struct.Struct("<H")

_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS, _MULRK = 0x0809, 0x000A, 0x0085, 0x0200, 0x00BD
#: Records calamine stores a cell for, at the row and column of their first four bytes:
#: Number, Label, RString, BoolErr, Rk, LabelSst, Formula (Blank and MulBlank are not stored).
_CELL_RECORDS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006})


def _damaged(file: str, what: str) -> InputError:
    return InputError(file, f"not a readable Excel workbook (damaged OLE file: {what})")


class _Compound:
    """The streams of an OLE compound file, read as calamine reads them, every chain checked."""

    def __init__(self, data: bytes, file: str) -> None:
        self.data, self.file = data, file
        if len(data) < 512 or data[:8] != _SIGNATURE:
            raise _damaged(file, "no compound-file header")
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _damaged(file, f"sector sizes 2^{shift} and 2^{mini_shift}")
        self.size = size = 1 << shift
        # Sector n starts at (n + 1) × size; a short last sector is read as far as it goes.
        self.count = max(0, -(-(len(data) - size) // size))
        fat_sectors, dir_start = struct.unpack_from("<II", data, 44)
        mini_fat_start, mini_fat_sectors, difat_start, difat_sectors = struct.unpack_from(
            "<IIII", data, 60
        )
        # calamine reserves room for what the header declares: each count must fit the file.
        for count, what in (
            (fat_sectors, "allocation-table sectors"),
            (mini_fat_sectors, "small-stream table sectors"),
            (difat_sectors, "allocation-index sectors"),
        ):
            if count > self.count:
                raise _damaged(
                    file,
                    f"the header declares {count:,} {what}, the file holds {self.count:,} sectors",
                )
        difat = list(struct.unpack_from("<109I", data, 76))
        for sector in self._chain(difat_start, None, "the allocation index"):
            entries = struct.unpack_from(f"<{size // 4}I", self._sector(sector))
            difat.extend(entries[:-1])
        self.fat: list[int] = []
        for sector in difat:
            if sector < _DIFAT_SECTOR:
                self._check(sector, "the allocation index")
                self.fat.extend(struct.unpack(f"<{size // 4}I", self._sector(sector)))
        directory = self._read(dir_start, None, "the directory")
        self.entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        if not self.entries:
            raise _damaged(file, "an empty directory")
        self.mini_stream = b""
        self.mini_fat: list[int] = []
        if mini_fat_sectors:
            root_start, root_length = self._entry(self.entries[0])
            # The table has one entry per 64 bytes of the small-stream area; calamine reserves
            # from a header field overlapping its length, so a length beyond need is refused.
            needed = -(-(-(-root_length // _MINI_SECTOR) * 4) // size)
            if mini_fat_sectors > needed + 1:
                raise _damaged(
                    file,
                    f"{mini_fat_sectors:,} small-stream table sectors for a "
                    f"small-stream area of {root_length:,} bytes",
                )
            self.mini_stream = self._read(root_start, root_length, "the small-stream area")
            table = self._read(mini_fat_start, mini_fat_sectors * size, "the small-stream table")
            whole = len(table) // 4
            self.mini_fat = list(struct.unpack(f"<{whole}I", table[: whole * 4]))

    def _check(self, sector: int, what: str) -> None:
        if sector >= self.count:
            raise _damaged(self.file, f"{what} points to sector {sector:,} past the file's end")

    def _sector(self, sector: int) -> bytes:
        start = (sector + 1) * self.size
        return self.data[start : start + self.size]

    def _chain(self, start: int, fat: list[int] | None, what: str) -> list[int]:
        """The sectors of a chain, each checked, none twice (a loop would never end)."""
        sectors: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector < _RESERVED:
            self._check(sector, what)
            if sector in seen:
                raise _damaged(self.file, f"{what} loops back to sector {sector:,}")
            seen.add(sector)
            sectors.append(sector)
            if fat is None:  # the allocation index chains through its own last entry
                (sector,) = _U32.unpack_from(self._sector(sector), self.size - 4)
            elif sector < len(fat):
                sector = fat[sector]
            else:
                raise _damaged(self.file, f"{what} leaves the allocation table at {sector:,}")
        return sectors

    def _read(self, start: int, length: int | None, what: str) -> bytes:
        parts, have = [], 0
        for sector in self._chain(start, self.fat, what):
            parts.append(self._sector(sector))
            have += self.size
            if length is not None and have >= length:
                break
        data = b"".join(parts)
        return data if length is None else data[:length]

    def _entry(self, entry: bytes) -> tuple[int, int]:
        start, low, high = struct.unpack_from("<III", entry, 116)
        return start, low if self.size == 512 else low | high << 32

    def stream(self, name: str) -> bytes | None:
        """The first directory entry of that name, read as calamine reads it (or None)."""
        for entry in self.entries:
            (length,) = struct.unpack_from("<H", entry, 64)
            if entry[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace") != name:
                continue
            start, size = self._entry(entry)
            if size >= _MINI_CUTOFF:
                return self._read(start, size, f"stream {name}")
            parts, have, seen = [], 0, set()
            sector = start
            while sector < _RESERVED and have < size:
                if sector in seen or sector >= len(self.mini_fat):
                    raise _damaged(self.file, f"stream {name} has a broken small-sector chain")
                seen.add(sector)
                at = sector * _MINI_SECTOR
                parts.append(self.mini_stream[at : at + _MINI_SECTOR])
                have += _MINI_SECTOR
                sector = self.mini_fat[sector]
            return b"".join(parts)[:size]
        return None


def workbook_stream(data: bytes, file: str) -> bytes:
    """The BIFF ``Workbook`` (or ``Book``) stream of a compound file, as calamine finds it.

    Raises:
        InputError: The compound file is damaged, or holds no workbook stream.
    """
    compound = _Compound(data, file)
    for name in _STREAMS:
        stream = compound.stream(name)
        if stream is not None:
            return stream
    raise InputError(file, "not a readable Excel workbook (no Workbook stream in the OLE file)")


@dataclass
class BiffSheet:
    """What one sheet's BIFF records ask calamine to reserve and lay out.

    Attributes:
        sheet: The sheet's name.
        declared_rows: Rows its DIMENSIONS record declares, as calamine counts them.
        declared_columns: Columns it declares.
        max_row: Highest 1-based row of a stored cell (0: none).
        max_column: Highest 1-based column of a stored cell (0: none).
        cells: Cells stored.
    """

    sheet: str
    declared_rows: int = 0
    declared_columns: int = 0
    max_row: int = 0
    max_column: int = 0
    cells: int = 0

    @property
    def grid(self) -> int:
        """Cells of the sheet laid out as a grid from A1."""
        return self.max_row * self.max_column


def _declared(record: bytes) -> tuple[int, int]:
    """Rows and columns calamine reserves for a DIMENSIONS record (its arithmetic wraps)."""
    if len(record) == 14:
        first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", record)
    elif len(record) == 10:
        first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", record)
    else:
        return 0, 0  # calamine refuses the file
    if last_row < 1 or last_column < 1:
        return 1, 1
    # Rows from A1 as the reader pads them, or what a first row past the last wraps to.
    rows = max(last_row, (last_row - first_row) % (1 << 32))
    columns = max(last_column, (last_column - first_column) % (1 << 32))
    return rows, columns


def _check_declared(record: bytes, name: str, file: str, limits: Limits, scan: BiffSheet) -> None:
    rows, columns = _declared(record)
    scan.declared_rows, scan.declared_columns = rows, columns
    what = f"in sheet {name} as its DIMENSIONS record declares"
    limits.check(file, "rows", rows, f"rows {what}")
    limits.check(file, "columns", columns, f"columns {what}")
    limits.check(file, "cells", rows * columns, f"cells {what} ({rows:,} × {columns:,})")


def _check_grid(scan: BiffSheet, file: str, limits: Limits) -> None:
    if not scan.cells:
        return
    name = scan.sheet
    grid = f"laid out as a grid ({scan.max_row:,} rows × {scan.max_column:,} columns)"
    limits.check(file, "cells", scan.grid, f"cells in sheet {name} {grid}")
    limits.check(file, "rows", scan.max_row, f"rows in sheet {name}")
    limits.check(file, "columns", scan.max_column, f"columns in sheet {name}")


def scan_biff_sheet(
    stream: bytes, start: int, name: str, file: str, limits: Limits = DEFAULT
) -> BiffSheet:
    """Walk one sheet's records from ``start`` to its EOF, record by record, as calamine does.

    Records of embedded substreams (charts) are counted too: older calamine reads them. The
    reference for :func:`scan_ole_workbook`'s faster reading, and its fallback for a sheet that
    does not start on a record of the stream.

    Raises:
        InputError: A declared or laid-out size over a limit.
    """
    scan = BiffSheet(name)
    at, end, depth = start, len(stream), 0
    unpack = _RECORD.unpack_from
    where = _ROW_COLUMN.unpack_from
    max_row = max_column = cells = 0
    while at + 4 <= end:
        kind, length = unpack(stream, at)
        body = at + 4
        at = body + length
        if kind in _CELL_RECORDS:
            if length >= 4 and at <= end:
                row, column = where(stream, body)
                cells += 1
                max_row, max_column = max(max_row, row + 1), max(max_column, column + 1)
        elif kind == _MULRK:
            if length >= 6 and at <= end:
                row, column = where(stream, body)
                count = (length - 6) // 6
                cells += count
                if count:
                    max_row, max_column = max(max_row, row + 1), max(max_column, column + count)
        elif kind == _DIMENSIONS:
            _check_declared(stream[body:at], name, file, limits, scan)
        elif kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
    scan.max_row, scan.max_column, scan.cells = max_row, max_column, cells
    _check_grid(scan, file, limits)
    return scan


def _record_offsets(stream: bytes) -> list[int]:
    """Where each record starts, following lengths from the first (the hot loop: keep it bare)."""
    unpack = _LENGTH.unpack_from
    offsets: list[int] = []
    append = offsets.append
    at, end = 0, len(stream) - 4
    while at <= end:
        append(at)
        at += 4 + unpack(stream, at + 2)[0]
    return offsets


class _Records:
    """Every record of the stream, walked once from its start, as arrays."""

    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        self.offsets = np.asarray(_record_offsets(stream), dtype=np.int64)
        padded = np.frombuffer(stream + bytes(8), dtype=np.uint8)
        at = self.offsets
        self.kinds = padded[at].astype(np.int64) | padded[at + 1].astype(np.int64) << 8
        self.lengths = padded[at + 2].astype(np.int64) | padded[at + 3].astype(np.int64) << 8
        self.ends = at + 4 + self.lengths
        self.bytes = padded
        steps = (self.kinds == _BOF).astype(np.int64) - (self.kinds == _EOF)
        self.depth = np.cumsum(steps)
        self.eofs = np.flatnonzero(self.kinds == _EOF)

    def index(self, offset: int) -> int | None:
        """The record starting at ``offset``, if the walk from the stream's start meets one."""
        i = int(np.searchsorted(self.offsets, offset))
        return i if i < len(self.offsets) and self.offsets[i] == offset else None

    def sheet(self, first: int, name: str, file: str, limits: Limits) -> BiffSheet:
        """A sheet's records from record ``first`` to the EOF that closes it (as the walk)."""
        base = int(self.depth[first - 1]) if first else 0
        eofs = self.eofs[np.searchsorted(self.eofs, first) :]
        closing = np.flatnonzero(self.depth[eofs] <= base)
        last = int(eofs[closing[0]]) if len(closing) else len(self.offsets) - 1
        span = slice(first, last + 1)
        kinds, lengths, at = self.kinds[span], self.lengths[span], self.offsets[span]
        whole = self.ends[span] <= len(self.stream)
        scan = BiffSheet(name)
        for i in np.flatnonzero(kinds == _DIMENSIONS):
            record = self.stream[int(at[i]) + 4 : int(self.ends[first + i])]
            _check_declared(record, name, file, limits, scan)
        cell = np.isin(kinds, list(_CELL_RECORDS)) & (lengths >= 4) & whole
        mulrk = (kinds == _MULRK) & (lengths >= 12) & whole
        counts = np.where(cell, 1, np.where(mulrk, (lengths - 6) // 6, 0))
        stored = counts > 0
        if stored.any():
            body = at[stored] + 4
            rows = self.bytes[body].astype(np.int64) | self.bytes[body + 1].astype(np.int64) << 8
            columns = (
                self.bytes[body + 2].astype(np.int64) | self.bytes[body + 3].astype(np.int64) << 8
            )
            scan.max_row = int(rows.max()) + 1
            scan.max_column = int((columns + counts[stored]).max())
            scan.cells = int(counts.sum())
        _check_grid(scan, file, limits)
        return scan


def _sheet_name(record: bytes, biff8: bool) -> str:
    """A BOUNDSHEET record's name (for messages only: a bad one does not matter here)."""
    if len(record) < 8:
        return "?"
    length = record[6]
    if not biff8:
        return record[7 : 7 + length].decode("gbk", "replace")
    if record[7] & 1:
        return record[8 : 8 + 2 * length].decode("utf-16-le", "replace")
    return record[8 : 8 + length].decode("latin-1")


def scan_ole_workbook(path: Path, file: str, limits: Limits = DEFAULT) -> list[BiffSheet]:
    """Check a legacy .xls before calamine opens it (see the module docstring).

    Raises:
        InputError: A damaged compound file, or a sheet count or sheet size over a limit.
    """
    stream = workbook_stream(path.read_bytes(), file)
    sheets: list[tuple[int, str]] = []
    at, biff8 = 0, True
    while at + 4 <= len(stream):
        kind, length = _RECORD.unpack_from(stream, at)
        body = stream[at + 4 : at + 4 + length]
        at += 4 + length
        if kind == _BOF and len(body) >= 2:
            biff8 = struct.unpack_from("<H", body)[0] == 0x0600
        elif kind == _BOUNDSHEET and len(body) >= 4:
            sheets.append((_U32.unpack_from(body)[0], _sheet_name(body, biff8)))
            limits.check(file, "sheets", len(sheets), "sheets in the workbook")
        elif kind == _EOF:
            break
    records = _Records(stream) if sheets else None
    found: list[BiffSheet] = []
    total = walked = 0
    names = [name for _, name in sheets]
    for start, sheet in sheets:
        if start >= len(stream) or records is None:
            continue  # calamine refuses the file on its own
        # messages name a sheet as the account does: a label when the name is personal
        name = shown_sheet(sheet, names)
        first = records.index(start)
        if first is not None:
            scan = records.sheet(first, name, file, limits)
        else:
            # Not where a record of the stream starts (never so in a file Excel wrote): walked
            # on its own, at most the stream's length in all, so overlapping sheets cannot
            # make the walk quadratic.
            walked += len(stream) - start
            if walked > 2 * len(stream):
                raise _damaged(file, f"sheet {name} starts inside a record")
            scan = scan_biff_sheet(stream, start, name, file, limits)
        scan.sheet = sheet  # the label was for messages; the scan keeps the sheet's name
        found.append(scan)
        # The reader keeps every sheet it loads: their grids add up.
        total += scan.grid
        limits.check(
            file, "cells", total, f"cells in the workbook's {len(found)} sheets laid out as grids"
        )
    return found
