"""Check a workbook's zip against the input limits before calamine reads it.

calamine trusts a workbook: a 2 KB file with one value at cell ``XFD200000`` makes it lay out
3 billion cells (a native abort), a 400 KB zip may inflate to gigabytes, a row of cells without
references is numbered cell by cell. This pre-flight reads the zip itself, once, in one
streaming pass with bounded memory:

* every member is inflated in chunks (its declared sizes are never trusted): the bytes it
  really inflates to are checked against ``unzipped`` (each member and in all) and, past 1 MiB,
  against ``ratio`` times the compressed bytes read so far (Apache POI's zip-bomb guard), so a
  bomb is refused after its first few megabytes;
* every worksheet's XML is searched, as it streams, for the cells calamine would store and the
  place it gives each, numbering cells and rows without an ``r=`` reference one after the other
  as calamine does; the sheet's grid (highest row × highest column, as the reader lays it out
  from A1) is checked against ``cells``, ``rows`` and ``columns`` before anything allocates it;
* the same pass finds the Excel error cells (``t="e"``, see :mod:`hotline.ingestion.excel_errors`).

Most chunks of an ordinary sheet are ``<c r="B7" …>`` cells in order: they are checked with a
few byte searches; a chunk with anything else (cells or rows without references, prefixed tags,
error cells, references out of order) is tokenised tag by tag.

Example:
    >>> import io, zipfile
    >>> xml = b'<worksheet><sheetData><row r="1"><c r="B3"><v>1</v></c></row></sheetData>'
    >>> data = io.BytesIO()
    >>> with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", xml)
    >>> scan = scan_sheet_xml(zipfile.ZipFile(data), "xl/worksheets/sheet1.xml", "x.xlsx")
    >>> scan.max_row, scan.max_column, column_name(scan.max_column - 1)
    (3, 2, 'B')
"""

from __future__ import annotations

import posixpath
import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from xml.etree import ElementTree

from hotline.errors import InputError
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.privacy import shown_sheet

if TYPE_CHECKING:
    import zipfile

__all__ = ["SheetScan", "WorkbookScan", "column_name", "scan_sheet_xml", "scan_workbook"]

#: Compressed bytes fed to zlib at a time, and the most it may inflate them to in one call.
_FEED = 1 << 18
_OUT = 1 << 21
#: Members below this size are never refused for their compression ratio (as in POI).
_RATIO_GRACE = 1 << 20
#: No XML tag of a sheet is this long; one that is would hold the scan's buffer.
_MAX_TAG = 1 << 20
#: A cut of a chunk looks this far back for the start of the last cell.
_CUT_WINDOW = 1 << 16
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_MAX_COLUMN = 16_384

# A tag named row or c, with any namespace prefix (calamine matches the local name).
_TAG = re.compile(rb"<(/?)(?:[^\s<>/:]+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]*)([0-9]*)["\']')
_ERROR_TYPE = re.compile(rb'\st\s*=\s*["\']e["\']')
# A cell's value, or the end of the cell when it has none (a formula comes before the value).
_VALUE = re.compile(rb"<(?:[^\s<>/:]+:)?v>([^<]*)<|</(?:[^\s<>/:]+:)?c\s*>")
_LAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_LAST_ROW = re.compile(rb'<row(?:\sr="([0-9]{1,7})")?[^>]*?(/?)>')


def column_name(index: int) -> str:
    """0-based column -> Excel letters.

    Example:
        >>> column_name(0), column_name(25), column_name(26), column_name(16383)
        ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def _at_most(number: int) -> bytes:
    """A regex for decimal numbers from 1 to ``number`` (no leading zeros).

    Example:
        >>> import re
        >>> pattern = re.compile(_at_most(1203) + b"$")
        >>> [n for n in (1, 99, 999, 1199, 1203, 1204, 1300, 9999) if pattern.match(b"%d" % n)]
        [1, 99, 999, 1199, 1203]
    """
    digits = str(number)
    options = [rb"[1-9][0-9]{0,%d}" % (len(digits) - 2)] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = "1" if i == 0 else "0"
        if digit > low:
            rest = len(digits) - i - 1
            options.append(
                digits[:i].encode()
                + b"[%s-%d]" % (low.encode(), int(digit) - 1)
                + b"[0-9]{%d}" % rest
            )
    options.append(digits.encode())
    return b"(?:" + b"|".join(options) + b")"


def _letters_at_most(index: int) -> bytes:
    """A regex for column letters from A to column ``index`` (0-based).

    Example:
        >>> import re
        >>> pattern = re.compile(_letters_at_most(39) + b"$")  # AN
        >>> [c for c in (b"A", b"Z", b"AA", b"AN", b"AO", b"BA", b"AAA") if pattern.match(c)]
        [b'A', b'Z', b'AA', b'AN']
    """
    letters = column_name(index).encode()
    options = [b"[A-Z]{1,%d}" % (len(letters) - 1)] if len(letters) > 1 else []
    for i, letter in enumerate(letters):
        if letter > ord("A"):
            rest = len(letters) - i - 1
            options.append(letters[:i] + b"[A-" + bytes([letter - 1]) + b"]" + b"[A-Z]" * rest)
    options.append(letters)
    return b"(?:" + b"|".join(options) + b")"


@dataclass
class SheetScan:
    """What a sheet's XML asks calamine to store.

    Attributes:
        sheet: The sheet's name (or its zip member when no workbook part names it).
        max_row: Highest 1-based row of a cell with content (0: none).
        max_column: Highest 1-based column of such a cell (0: none).
        cells: Cells with content, at most (ordinary chunks are bounded by their size, or their
            cells counted when that bound could pass ``cell_limit``).
        cell_limit: The ``cells`` limit the count is compared with.
        errors: Excel error cells as ``(row, column, text)``, 0-based from A1.
        shown: How messages name the sheet (:func:`.privacy.shown_sheet`: a sheet named after
            a caller is shown by its label).
    """

    sheet: str
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    cell_limit: int = DEFAULT.cells
    shown: str = ""
    # calamine's numbering state: the 0-based row and column the next unreferenced cell gets.
    _row: int = 0
    _column: int = 0

    @property
    def grid(self) -> int:
        """Cells of the sheet laid out as a grid from A1."""
        return self.max_row * self.max_column

    def _store(self, row: int, column: int) -> None:
        self.cells += 1
        if row + 1 > self.max_row:
            self.max_row = row + 1
        if column + 1 > self.max_column:
            self.max_column = column + 1

    def exact(self, text: bytes) -> None:
        """Account for the complete tags of ``text`` one by one, as calamine reads them."""
        for match in _TAG.finditer(text):
            closing, kind, attributes = match.groups()
            empty = attributes.endswith(b"/")
            if kind == b"row":
                if closing:
                    self._row, self._column = self._row + 1, 0
                    continue
                reference = _REF.search(attributes)
                if reference is not None and reference.group(2):
                    self._row = int(reference.group(2)) - 1
                self._column = 0
                if empty:
                    self._row += 1
                continue
            if closing:
                continue
            reference = _REF.search(attributes)
            if reference is not None and reference.group(1) and reference.group(2):
                row, column = int(reference.group(2)) - 1, _column_index(reference.group(1))
                self._column = column
            else:
                row, column = self._row, self._column
            self._column += 1
            if empty:
                continue  # <c r="A1" s="1"/>: styled, no content, not stored
            self._store(row, column)
            if _ERROR_TYPE.search(attributes):
                value = _VALUE.search(text, match.end(), match.end() + _CUT_WINDOW)
                if value is not None and value.group(1) is not None:
                    self.errors.append((row, column, value.group(1).decode("utf-8", "replace")))

    def fast(self, text: bytes) -> bool:
        """Account for an ordinary chunk with byte searches; ``False`` if it is not one.

        Ordinary: every cell starts ``<c r="LETTERS DIGITS"``, no cell tag has a prefix,
        no cell is an error, and no reference goes past the chunk's last cell (row) or the
        sheet's widest column so far; then those bound the chunk.
        """
        if b't="e"' in text:
            return False
        at = text.rfind(b'<c r="')
        tail = _LAST_CELL.match(text, at) if at >= 0 else None  # numbering goes on from it
        last = _last_stored(text, len(text))  # bounds come from cells calamine stores
        if tail is None or last is None:
            return False
        row = int(last.group(2))
        widest = max(self.max_column - 1, _column_index(last.group(1)))
        closed = text.rfind(b"</row>")  # a chunk is cut inside a row: its last full row too
        full = _last_stored(text, closed) if closed > 0 else None
        if full is not None:
            widest = max(widest, _column_index(full.group(1)))
        # One pass: a cell tag (prefixed or not) that is not `<c r="` with a column up to the
        # widest so far and a row up to the chunk's last makes the chunk one to read tag by tag.
        allowed = _letters_at_most(widest) + _at_most(row)
        odd = re.compile(rb'c(?<=[<:]c)(?! r="' + allowed + rb'")[\s/>]')
        if odd.search(text):
            return False
        # Where an unreferenced cell after this chunk would go (calamine's numbering state).
        row_start, row_end = text.rfind(b"<row"), text.rfind(b"</row>")
        current = self._row
        if row_start >= 0:
            tag = _LAST_ROW.match(text, row_start)
            if tag is None or tag.group(1) is None:
                return False
            current = int(tag.group(1)) - 1
            if tag.group(2) == b"/":
                current, row_end = current + 1, max(row_end, row_start)
        if row_end > tail.start():
            if text.count(b"</row>", max(row_start, tail.start())) > 1:
                return False
            self._row, self._column = current + (row_end > row_start), 0
        else:
            self._row, self._column = current, _column_index(tail.group(1)) + 1
        # A stored cell takes at least 15 bytes (<c><v>1</v></c>): count them only when that
        # bound could pass the limit (one more pass over the chunk).
        bound = len(text) // 15
        self.cells += bound if self.cells + bound <= self.cell_limit else text.count(b'<c r="')
        self.max_row = max(self.max_row, row)
        self.max_column = max(self.max_column, widest + 1)
        return True


def _last_stored(text: bytes, end: int, tries: int = 64) -> re.Match[bytes] | None:
    """The last ``<c r="…">`` before ``end`` that has content (not a styled ``<c …/>``).

    Its row and column are then those of a cell calamine stores: bounds the chunk reaches.
    """
    for _ in range(tries):
        at = text.rfind(b'<c r="', 0, end)
        if at < 0:
            return None
        close = text.find(b">", at)
        if close > 0 and text[close - 1] != ord("/"):
            return _LAST_CELL.match(text, at)
        end = at
    return None


@dataclass
class WorkbookScan:
    """The pre-flight of one workbook: its sheets and the bytes its members inflate to."""

    sheets: dict[str, SheetScan] = field(default_factory=dict)
    unzipped: int = 0


def _inflate(
    book: zipfile.ZipFile, member: str, file: str, limits: Limits, total: list[int]
) -> Iterator[bytes]:
    """The inflated bytes of one zip member, in chunks, checked against the zip limits."""
    info = book.getinfo(member)
    handle: BinaryIO = book.fp  # type: ignore[assignment]
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(file, f"damaged zip: member {member} has no local header")
    fields = _LOCAL_HEADER.unpack(header)
    handle.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    if info.compress_type == 0:
        inflater = None
    elif info.compress_type == 8:
        inflater = zlib.decompressobj(-15)
    else:
        raise InputError(file, f"zip member {member} uses compression method {info.compress_type}")
    left, read, out = info.compress_size, 0, 0
    where = f"zip member {member}"
    while True:
        if inflater is not None and inflater.unconsumed_tail:
            data = inflater.unconsumed_tail
        elif left:
            data = handle.read(min(_FEED, left))
            if not data:
                raise InputError(file, f"damaged zip: member {member} is cut short")
            left -= len(data)
            read += len(data)
        elif inflater is not None and not inflater.eof:
            data = b""  # all fed: what zlib holds back beyond the last output's size
        else:
            break
        try:
            chunk = inflater.decompress(data, _OUT) if inflater is not None else data
        except zlib.error as error:
            raise InputError(file, f"damaged zip: member {member} ({error})") from None
        if not data and not chunk:
            break  # a stream that stops short of its end: the size check below says so
        out += len(chunk)
        total[0] += len(chunk)
        limits.check(file, "unzipped", out, f"bytes inflated from {where}")
        limits.check(file, "unzipped", total[0], "bytes inflated from the workbook's zip")
        if out > _RATIO_GRACE:  # against the compressed bytes used so far, not those fed
            used = read - (len(inflater.unconsumed_tail) if inflater is not None else 0)
            limits.check(file, "ratio", out // max(used, 1), f"to 1 inflation of {where}")
        if chunk:
            yield chunk
        if inflater is not None and inflater.eof:
            break
    if out != info.file_size:
        raise InputError(
            file,
            f"damaged zip: member {member} inflates to {out:,} bytes, not the declared "
            f"{info.file_size:,}",
        )


def _chunks_of_complete_tags(chunks: Iterator[bytes], file: str, sheet: str) -> Iterator[bytes]:
    """Re-cut inflated chunks so each ends before the last cell (or tag) it starts.

    ``sheet`` is how an error names the sheet (screened: :func:`.privacy.shown_sheet`).

    What is held back is at most a window and one tag: the buffer never grows with the sheet.
    """
    carry = b""
    for block in chunks:
        text = carry + block if carry else block
        cut = text.rfind(b"<c", max(0, len(text) - _CUT_WINDOW))
        if cut < 0:
            cut = text.rfind(b"<")
        if cut < 0:  # text content only: nothing to keep
            carry = b""
            continue
        carry = text[cut:]
        if len(carry) > _MAX_TAG:
            end = carry.find(b">")
            if end < 0:
                raise InputError(file, f"sheet {sheet} holds an XML tag over 1 MiB long")
            carry = carry[: end + 1]  # the tag; the text after it is no cell's
        yield text[:cut]
    if carry:
        yield carry


def _check_sheet(scan: SheetScan, file: str, limits: Limits) -> None:
    if not scan.cells:
        return
    corner = f"{column_name(scan.max_column - 1)}{scan.max_row}"
    limits.check(
        file,
        "cells",
        scan.grid,
        f"cells in sheet {scan.shown} laid out as a grid ({scan.max_row:,} rows × "
        f"{scan.max_column:,} columns, to cell {corner})",
    )
    limits.check(file, "rows", scan.max_row, f"rows in sheet {scan.shown} (to cell {corner})")
    limits.check(
        file, "columns", scan.max_column, f"columns in sheet {scan.shown} (to cell {corner})"
    )
    if scan.max_column > _MAX_COLUMN:
        raise InputError(file, f"sheet {scan.shown} has a cell past Excel's last column XFD")
    limits.check(file, "cells", scan.cells, f"cells stored in sheet {scan.shown}")


def scan_sheet_xml(
    book,
    member: str,
    file: str,
    sheet: str | None = None,
    limits: Limits = DEFAULT,
    total: list[int] | None = None,
    sheets: Sequence[str] = (),
) -> SheetScan:
    """Stream one worksheet member and account for its cells (see the module docstring).

    ``sheets`` are the workbook's sheet names in order, to name this one in messages by the
    label the account gives it when its name carries personal data.
    """
    scan = SheetScan(sheet or member, cell_limit=limits.cells)
    scan.shown = shown_sheet(scan.sheet, sheets)
    total = total if total is not None else [0]
    chunks = _inflate(book, member, file, limits, total)
    if book.getinfo(member).compress_size > _FEED:  # a thread pays off past one chunk
        chunks = _ahead(chunks)
    for text in _chunks_of_complete_tags(chunks, file, scan.shown):
        if not scan.fast(text):
            scan.exact(text)
        _check_sheet(scan, file, limits)  # stop at the first chunk over: the rest cannot undo it
    _check_sheet(scan, file, limits)
    return scan


def _ahead(chunks: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """The same chunks, inflated by a thread while the caller searches the previous ones.

    zlib lets go of the interpreter while it inflates, so on two cores inflating and searching
    overlap. At most ``depth`` chunks wait; an error in the thread is raised here, and the
    thread stops when the caller does.
    """
    import queue
    import threading

    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        waiting.put((chunk, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item = (done, None)
        except BaseException as error:  # handed to the caller, raised there
            item = (None, error)
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    thread = threading.Thread(target=produce, name="inflate", daemon=True)
    thread.start()
    try:
        while True:
            chunk, error = waiting.get()
            if error is not None:
                raise error
            if chunk is done:
                return
            yield chunk
    finally:
        stop.set()
        thread.join()


def _sheet_members(book, file: str, limits: Limits, total: list[int]) -> dict[str, str]:
    """Zip member -> sheet name, from the workbook part and its relationships."""
    names = set(book.namelist())
    found: dict[str, str] = {}
    if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
        part = b"".join(_inflate(book, "xl/workbook.xml", file, limits, total))
        # Counted before the part is parsed (a tree of a million sheets is itself the harm).
        limits.check(file, "sheets", len(_SHEET_TAG.findall(part)), "sheets in the workbook")
        try:
            workbook = ElementTree.fromstring(part)
            relations = ElementTree.fromstring(
                b"".join(_inflate(book, "xl/_rels/workbook.xml.rels", file, limits, total))
            )
        except ElementTree.ParseError as error:
            raise InputError(file, f"damaged workbook part ({error})") from None
        targets = {item.get("Id"): item.get("Target", "") for item in relations}
        for item in workbook.iter():
            if item.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            target = targets.get(item.get(_RELATION))
            if not target:
                continue
            if target.startswith("/"):
                member = target.lstrip("/")
            else:
                member = posixpath.normpath(posixpath.join("xl", target))
            if member in names:
                found[member] = item.get("name") or member
    for member in sorted(names):
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            found.setdefault(member, member)
    # An xlsb's sheets are binary parts: counted, not scanned.
    parts = sum(1 for m in names if m.startswith("xl/worksheets/") and m.count("/") == 2)
    limits.check(file, "sheets", max(len(found), parts), "sheets in the workbook")
    return found


def scan_workbook(path: Path, file: str, limits: Limits = DEFAULT) -> WorkbookScan:
    """Check every member of a zipped workbook (xlsx, xlsm, xlsb, ods) before it is read.

    Worksheets (the parts ``xl/workbook.xml`` names, and any ``xl/worksheets/*.xml``) are
    scanned for their cells; an ods ``content.xml`` for repeated rows and columns; every
    other member is inflated and counted only.

    Raises:
        InputError: A damaged zip, or a member or sheet over a limit.
    """
    import zipfile

    result = WorkbookScan()
    total = [0]
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(file, f"not a readable Excel workbook (damaged zip: {error})") from None
    with book:
        infos = book.infolist()
        limits.check(file, "cells", len(infos), "members in the workbook's zip")
        suffix = path.suffix.lower()
        # Whatever its name, a zip with a workbook part is an xlsx (or xlsm) to calamine.
        sheets = _sheet_members(book, file, limits, total)
        grids = 0
        for info in infos:
            if info.filename in sheets:
                scan = scan_sheet_xml(
                    book,
                    info.filename,
                    file,
                    sheets[info.filename],
                    limits,
                    total,
                    sheets=list(sheets.values()),
                )
                result.sheets[scan.sheet] = scan
                # The reader keeps every sheet it looks at: their grids add up.
                grids += scan.grid
                limits.check(
                    file,
                    "cells",
                    grids,
                    f"cells in the workbook's {len(result.sheets)} sheets laid out as grids",
                )
            elif info.filename == "content.xml" and suffix != ".xlsb":
                _scan_ods(_inflate(book, info.filename, file, limits, total), file, limits)
            elif info.filename.lower().endswith("sharedstrings.xml"):
                _scan_shared_strings(
                    _inflate(book, info.filename, file, limits, total), info.filename, file, limits
                )
            else:
                for _ in _inflate(book, info.filename, file, limits, total):
                    pass
    result.unzipped = total[0]
    return result


_SHEET_TAG = re.compile(rb"<(?:[^\s<>/:]+:)?sheet[\s/>]")
_SST_TAG = re.compile(rb"<([^\s<>/:]+:)?sst[\s/>][^>]*")
_SST_COUNT = re.compile(rb"""\s(uniqueCount|count)\s*=\s*["']([^"']*)["']""")
_DIGITS = re.compile(rb"[0-9]+")
#: Shared strings a part may declare beyond those it holds (writers are not all exact).
_SST_SLACK = 100_000


def _scan_shared_strings(chunks: Iterator[bytes], member: str, file: str, limits: Limits) -> None:
    """Check what the shared-strings part declares against what it holds.

    calamine reserves room for ``uniqueCount`` strings (24 bytes each) before it reads one: a
    1.7 KB file declaring 4 billion asks for 96 GB. The declared counts must fit the ``cells``
    limit (a workbook cannot use more strings than it has cells), and ``uniqueCount`` may pass
    the ``<si>`` elements the part really holds only by a small margin, so what calamine
    reserves stays in proportion to the file.
    """
    declared: dict[bytes, int] = {}
    held, opening = 0, (b"<si>", b"<si ", b"<si/>")
    for text in _chunks_of_complete_tags(chunks, file, member):
        if not declared:
            tag = _SST_TAG.search(text)
            if tag is not None:
                for name, value in _SST_COUNT.findall(tag.group(0)):
                    digits = _DIGITS.search(value)  # calamine's parse is no stricter
                    declared[name] = int(digits.group(0)) if digits else 0
                declared.setdefault(b"uniqueCount", 0)
                for name, count in declared.items():
                    what = f"shared strings the workbook declares ({member} {name.decode()})"
                    limits.check(file, "cells", count, what)
                if tag.group(1):  # <x:sst>: its strings are <x:si>
                    opening += tuple(b"<" + tag.group(1) + o[1:] for o in opening)
        # Byte counts, not a regex: a part of 10 MB is counted in milliseconds.
        held += sum(text.count(o) for o in opening)
    unique = declared.get(b"uniqueCount", 0)
    if unique > 2 * held + _SST_SLACK:
        raise InputError(
            file,
            f"damaged workbook: {member} declares {unique:,} unique strings but holds {held:,}",
        )


_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_ODS_NAME = re.compile(rb'\stable:name="([^"]*)"')
_ODS_REPEAT = re.compile(rb'\stable:number-(?:rows|columns)-repeated="([0-9]+)"')


def _scan_ods(chunks: Iterator[bytes], file: str, limits: Limits) -> None:
    """Check each ods sheet's grid: repeated rows and cells count as what they repeat.

    Empty repeats at the end of a row or a sheet (LibreOffice pads every sheet with an empty
    ``number-rows-repeated="1048553"``) count only when content follows them.
    """
    sheet, rows, width, pending_rows = "?", 0, 0, 0
    row_repeat, row_cells, pending_cells, tables = 1, 0, 0, 0
    seen: list[str] = []  # the sheets so far, to label one named after a caller
    shown = repr("?")
    for text in _chunks_of_complete_tags(chunks, file, repr("content.xml")):
        for match in _ODS_TAG.finditer(text):
            closing, kind, attributes = match.groups()
            empty = attributes.endswith(b"/")
            repeat = _ODS_REPEAT.search(attributes)
            count = int(repeat.group(1)) if repeat else 1
            if kind == b"table":
                if not closing:
                    tables += 1
                    limits.check(file, "sheets", tables, "sheets in the workbook")
                    name = _ODS_NAME.search(attributes)
                    sheet = name.group(1).decode("utf-8", "replace") if name else "?"
                    seen.append(sheet)
                    shown = shown_sheet(sheet, seen)
                    rows, width, pending_rows = 0, 0, 0
                continue
            if kind == b"table-row":
                if not closing:
                    row_repeat, row_cells, pending_cells = count, 0, 0
                    if not empty:
                        continue
                if row_cells:
                    rows += pending_rows + row_repeat
                    pending_rows, width = 0, max(width, row_cells)
                else:
                    pending_rows += row_repeat
                grid = f"laid out as a grid ({rows:,} rows × {width:,} columns)"
                limits.check(file, "cells", rows * width, f"cells in sheet {shown} {grid}")
                limits.check(file, "rows", rows, f"rows in sheet {shown}")
                limits.check(file, "columns", width, f"columns in sheet {shown}")
                continue
            if closing:
                continue
            if empty:
                pending_cells += count
            else:
                row_cells += pending_cells + count
                pending_cells = 0
