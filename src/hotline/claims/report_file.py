"""Read a report's paragraphs from its file: text (UTF-8, GB18030/GBK, UTF-16) or Word (.docx).

A report file is read piece by piece (:class:`~hotline.claims.extract.Piece`), so memory does
not grow with its size:

* **Text.** The encoding is told from the first bytes
  (:func:`hotline.ingestion.encoding.detect_encoding`, never the machine's locale), then the
  file is decoded line by line. A line is a paragraph; a line longer than
  :data:`MAX_RUN_CHARS` is read in pieces cut after a sentence's end (。!?), and a run that long
  without one is refused: it is not prose.
* **Word (.docx).** The body in order (python-docx): each paragraph is a line (a manual line
  break too), headings included, so a heading is a paragraph break as in the text. A table is
  read row by row after the paragraph before it: one line per row, its cells in order joined
  by ``；`` (a clause break, so a cell's figure is read with its own cell's words; a cell
  merged across columns once, one merged down a column in each of its rows). Headers, footers,
  footnotes, comments and text boxes are not read. Line numbers count these lines. A .docx
  whose text part (``word/document.xml``) unpacks to more than :data:`MAX_DOCX_XML_BYTES` is
  refused before it is parsed.
* **Anything else** — a .doc, PDF, workbook, image, archive, an empty file, bytes that are no
  text in a known encoding — is a one-line :class:`~hotline.errors.InputError` naming the file
  and what was expected.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
    >>> _ = path.write_bytes("热线受理9383件".encode("gb18030"))
    >>> read_report_text(path)
    '热线受理9383件'
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from hotline.claims.extract import Piece
from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding

if TYPE_CHECKING:
    from docx.table import Table

__all__ = [
    "MAX_DOCX_XML_BYTES",
    "MAX_RUN_CHARS",
    "ReportFile",
    "open_report",
    "read_report_text",
]

#: A line longer than this is read in pieces cut after a sentence's end (。!?), and a run this
#: long without one is refused: about 30 pages of prose with no full stop is no report.
MAX_RUN_CHARS = 64 * 1024
#: The largest text part of a .docx parsed (python-docx holds it in memory whole).
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024

_HEAD_BYTES = 64 * 1024
_TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030")
_EXPECTED = "expected report text (UTF-8 or GB18030/GBK .txt) or a Word .docx"
_SENTENCE_END = re.compile(r"[。！？!?]")
_DOCX_TEXT = "word/document.xml"
_CELL_BREAK = "；"

# File signatures (magic numbers) of what people save a report as, or attach by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls or .ppt)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)
# What a zip file holds, told by one of its parts.
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/", "an Excel workbook (.xlsx)"),
    ("ppt/", "a PowerPoint file (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods)"),
)

Kind = Literal["text", "docx"]


@dataclass(frozen=True)
class ReportFile:
    """A report file that has been recognised, ready to be read piece by piece.

    Attributes:
        path: The file.
        kind: ``text`` or ``docx``.
        encoding: The text encoding (``docx``: the XML's own, shown as ``docx``).
    """

    path: Path
    kind: Kind
    encoding: str

    def pieces(self) -> Iterator[Piece]:
        """The report's paragraphs in order, in pieces; each call reads the file again.

        Raises:
            InputError: A line that is not text in the file's encoding, a run of more than
                :data:`MAX_RUN_CHARS` characters without a sentence's end, or a damaged
                .docx.
        """
        if self.kind == "docx":
            return _split_long(self.path, _docx_lines(self.path))
        return self._text_pieces()

    def _text_pieces(self) -> Iterator[Piece]:
        number, pending, continued = 1, "", False
        try:
            # newline="\n": a line ends at \n only (\r\n loses its \r below), as in the text API
            with self.path.open(encoding=self.encoding, errors="strict", newline="\n") as handle:
                while chunk := handle.readline(MAX_RUN_CHARS):
                    if "\x00" in chunk:
                        raise InputError(self.path, f"not a text file; {_EXPECTED}")
                    pending += chunk
                    if pending.endswith("\n"):
                        yield Piece(number, pending[:-1].removesuffix("\r"), continued)
                        number, pending, continued = number + 1, "", False
                        continue
                    kept, pending = _cut_after_sentence(self.path, number, pending)
                    if kept:
                        yield Piece(number, kept, continued)
                        continued = True
        except UnicodeDecodeError:  # decoded ahead of the lines read: here or a little later
            raise InputError(
                self.path, f"not {self.encoding} text from line {number} on; {_EXPECTED}"
            ) from None
        except OSError as error:
            raise InputError(
                self.path, f"cannot read the file ({error.strerror or error})"
            ) from None
        if pending:
            yield Piece(number, pending, continued)


def _cut_after_sentence(path: Path, number: int, text: str) -> tuple[str, str]:
    """``text`` cut after its last sentence's end: (the whole sentences, the rest).

    Raises:
        InputError: The rest is longer than :data:`MAX_RUN_CHARS`.
    """
    ends = list(_SENTENCE_END.finditer(text))
    kept, rest = (text[: ends[-1].end()], text[ends[-1].end() :]) if ends else ("", text)
    if len(rest) > MAX_RUN_CHARS:
        raise InputError(
            path,
            f"line {number} runs more than {MAX_RUN_CHARS:,} characters without a sentence's "
            f"end (。!?), which no report's prose does; {_EXPECTED}",
        )
    return kept, rest


def _split_long(path: Path, lines: Iterable[str]) -> Iterator[Piece]:
    """Lines as pieces, a line longer than :data:`MAX_RUN_CHARS` cut after sentence ends."""
    for number, line in enumerate(lines, start=1):
        continued = False
        while len(line) > MAX_RUN_CHARS:
            # kept is never empty: a window without a sentence's end is refused
            kept, rest = _cut_after_sentence(path, number, line[: 2 * MAX_RUN_CHARS])
            yield Piece(number, kept, continued)
            line, continued = rest + line[2 * MAX_RUN_CHARS :], True
        yield Piece(number, line, continued)


def _docx_lines(path: Path) -> Iterator[str]:
    """The lines of a .docx's body: paragraphs (split at manual breaks) and table rows."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as error:
        # lxml's XMLSyntaxError is a SyntaxError; a part missing from the package a KeyError
        raise InputError(
            path, f"a damaged Word file ({type(error).__name__}); {_EXPECTED}"
        ) from None
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_lines(block)
        else:
            yield from block.text.split("\n")


def _table_lines(table: Table) -> Iterator[str]:
    """One line per row: its cells joined by ``；``, a merged cell once; nested tables after."""
    from docx.table import Table

    for row in table.rows:
        cells: list[str] = []
        nested: list[Table] = []
        skip = 0
        for cell in row.cells:
            if skip:  # a cell merged across columns is listed once per column it spans
                skip -= 1
                continue
            skip = cell.grid_span - 1
            words: list[str] = []
            for block in cell.iter_inner_content():
                if isinstance(block, Table):
                    nested.append(block)
                elif block.text.strip():
                    words.append(block.text.replace("\n", " ").strip())
            if words:
                cells.append(" ".join(words))
        yield _CELL_BREAK.join(cells)
        for inner in nested:
            yield from _table_lines(inner)


def _zip_kind(path: Path) -> str:
    """``docx`` for a Word file, else what the zip holds (a sentence for the refusal)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if _DOCX_TEXT in names:
                size = archive.getinfo(_DOCX_TEXT).file_size
                if size > MAX_DOCX_XML_BYTES:
                    raise InputError(
                        path,
                        f"a Word file whose text part unpacks to {size / 2**20:,.0f} MiB, "
                        f"more than the {MAX_DOCX_XML_BYTES // 2**20} MiB read; save the "
                        "report's text as a .txt file (read piece by piece, any size)",
                    )
                return "docx"
    except zipfile.BadZipFile:
        return "a damaged zip archive"
    for part, kind in _ZIP_KINDS:
        if any(name.startswith(part) for name in names):
            return kind
    return "a zip archive"


def open_report(path: str | Path) -> ReportFile:
    """Recognise a report file: a Word .docx, or text in an encoding told from its bytes.

    Raises:
        InputError: The file cannot be read, is empty, or is not report text or a .docx (a
            .doc, PDF, workbook, image …); the message names what it is.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.pdf"
        >>> _ = path.write_bytes(b"%PDF-1.7 ...")
        >>> open_report(path)
        Traceback (most recent call last):
        ...
        hotline.errors.InputError: 报告.pdf: a PDF document, not text; expected report text \
(UTF-8 or GB18030/GBK .txt) or a Word .docx
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror or error})") from None
    if not head:
        raise InputError(path, f"the file is empty; {_EXPECTED}")
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(path)
        if kind == "docx":
            return ReportFile(path, "docx", "docx")
        raise InputError(path, f"{kind}, not text; {_EXPECTED}")
    for signature, kind in _SIGNATURES:
        if head.startswith(signature) and not head.startswith(codecs.BOM_UTF8):
            raise InputError(path, f"{kind}, not text; {_EXPECTED}")
    if head[8:12] == b"WEBP" and head.startswith(b"RIFF"):
        raise InputError(path, f"a WebP image, not text; {_EXPECTED}")
    try:
        encoding = detect_encoding(head, path)
    except InputError:
        encoding = ""  # bytes that fit no encoding: the refusal below says what is expected
    if encoding not in _TEXT_ENCODINGS:  # a guess from the bytes of a file that is no text
        raise InputError(path, f"not text in a known encoding; {_EXPECTED}")
    if encoding != "utf-16" and b"\x00" in head:  # NUL bytes: a binary file of some kind
        raise InputError(path, f"not a text file; {_EXPECTED}")
    return ReportFile(path, "text", encoding)


def read_report_text(path: str | Path) -> str:
    """The whole text of a report file (text or .docx), without a BOM.

    For a large file, read :meth:`ReportFile.pieces` of :func:`open_report` instead.

    Raises:
        InputError: As :func:`open_report` and :meth:`ReportFile.pieces`.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
        >>> _ = path.write_bytes("办结率95%".encode("utf-8-sig"))
        >>> read_report_text(path)
        '办结率95%'
    """
    lines: list[str] = []
    for piece in open_report(path).pieces():
        if piece.continued:
            lines[-1] += piece.text
        else:
            lines.append(piece.text)
    return "\n".join(lines)
