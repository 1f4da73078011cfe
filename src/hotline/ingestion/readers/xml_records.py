"""Open311 GeoReport v2 XML: the XML form of the same responses the JSON reader reads.

A GeoReport server answers ``GET requests.xml`` with ``<service_requests><request>…``
(some servers name the root ``<requests>``) and ``GET services.xml`` with
``<services><service>…``. Each child of the root is a record, each child of a record a field
named by its tag, so that a request reads exactly as its JSON form (:mod:`.records`) does:

* an element's text is the cell's text, as a JSON string would be (CDATA included); an empty
  element (``<status_notes/>``) is null, an empty cell;
* an element holding elements (``<attributes>…``) is a nested object, kept as its JSON text
  as the JSON reader keeps one; a tag repeated within one element gives a list;
* namespaces are dropped from tags, attributes are ignored (Rails' ``type="integer"`` and
  ``nil="true"`` say nothing a cell needs), and a child of the root that is text only is a
  malformed record, as an array item that is no object is in JSON.

The file is untrusted. It is parsed by defusedxml's expat parser with every declaration
refused: a ``<!DOCTYPE>`` (the carrier of entity expansion, "billion laughs", and of external
entities, XXE) stops the file with one line, before any entity is defined. It is streamed in
chunks and kept as records only, never as a tree; the limits of :mod:`hotline.ingestion.limits`
are checked while reading (``json_bytes`` and ``json_depth`` bound XML as they bound JSON,
``rows``, ``columns``, ``field_chars`` and ``record_chars`` as in any export), so a hostile file
stops at the place that crosses one.

The encoding is XML's own rule: a byte-order mark, else the declaration
(``<?xml version="1.0" encoding="GB18030"?>``), else UTF-8. GB2312 and GBK are read as
GB18030, their superset.

Example:
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "requests.xml"
    >>> _ = path.write_text(
    ...     "<service_requests><request><service_request_id>1</service_request_id>"
    ...     "<status_notes/></request></service_requests>", "utf-8")
    >>> source = XmlSource(path)
    >>> source.heads(), source.read(None, 0).columns[1].to_pylist()
    ([(None, [['service_request_id', 'status_notes']])], [''])
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from hotline.errors import InputError
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.privacy import safe_detail, safe_header
from hotline.ingestion.readers.base import HEAD_BYTES
from hotline.ingestion.readers.records import RecordSource, record_keys

__all__ = ["ROOTS", "XmlSource", "xml_encoding"]

#: Root element -> the element of each record under it (GeoReport v2 responses).
ROOTS = {"service_requests": "request", "requests": "request", "services": "service"}
_EXPECTED = "<service_requests> or <requests> (GeoReport v2 requests) or <services> (its services)"
#: Characters decoded and handed to the parser at a time.
_CHUNK = 1 << 20
_DECLARATION = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
_GB_FAMILY = {"gb2312", "gbk", "cp936", "euc-cn", "x-gbk"}
_SPREADSHEET_NS = "urn:schemas-microsoft-com:office:spreadsheet"
#: Expat's complaints about a document that stops before it is complete.
_AT_THE_END = ("no element found", "unclosed token", "unclosed CDATA section")


def xml_encoding(head: bytes, name: str = "<bytes>") -> str:
    r"""The codec of an XML file, from its first bytes: byte-order mark, declaration, UTF-8.

    Raises:
        InputError: The declaration names an encoding Python has no codec for.

    Example:
        >>> xml_encoding(b'<?xml version="1.0" encoding="GBK"?><services/>')
        'gb18030'
        >>> xml_encoding(b"\xef\xbb\xbf<services/>"), xml_encoding(b"<services/>")
        ('utf-8-sig', 'utf-8')
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a mark shows itself in the first character, always "<".
    if head.startswith(b"<\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<"):
        return "utf-16-be"
    declared = _DECLARATION.match(head.lstrip(b" \t\r\n"))
    if not declared:
        return "utf-8"
    label = declared.group(1).decode("ascii").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        raise InputError(
            name,
            f"declares encoding {declared.group(1).decode('ascii')!r}, which no codec reads; "
            'expected UTF-8 or a known encoding (<?xml version="1.0" encoding="UTF-8"?>)',
        ) from None


class _Repeated(list):
    """The values of a tag repeated in one element (a list, as JSON would hold them)."""


def _object(children: list[tuple[str, object]], text: str) -> dict[str, object]:
    """The object an element holding elements makes: tag -> value, a repeated tag a list."""
    fields: dict[str, object] = {}
    for tag, value in children:
        if tag not in fields:
            fields[tag] = value
        elif isinstance(fields[tag], _Repeated):
            fields[tag].append(value)  # type: ignore[union-attr]
        else:
            fields[tag] = _Repeated([fields[tag], value])
    if text.strip():  # text beside elements: kept under a name no tag can have
        fields["#text"] = text
    return fields


class _Records:
    """Expat's handlers: turn the element stream into records, checking the limits.

    Character data goes straight to one list (no Python call per piece); each open element
    notes where its own text starts in it, and takes that text when it closes.
    """

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.records: list[object] = []
        self.record_tag: str | None = None
        self.root: str | None = None
        self.texts: list[str] = []
        #: Open elements below the root: [tag, child fields or None, where its text starts].
        self.stack: list[list] = []
        self.depth = 0
        self.record_chars = 0
        # Read once per element: attributes of the frozen limits, kept at hand.
        self.field_chars = limits.field_chars
        self.max_record_chars = limits.record_chars
        self.columns = limits.columns

    def start(self, tag: str, attributes: object) -> None:
        self.depth += 1
        # A leaf holds text as a JSON scalar does, and scalars are no level: <a><b>1</b></a>
        # nests as deep as {"b": "1"} inside [...], two levels.
        if self.depth - 1 > self.limits.json_depth:
            self.limits.check(
                self.name,
                "json_depth",
                self.depth - 1,
                "levels of nesting or more",
                row=len(self.records) + 1,
            )
        if self.depth == 1:
            self._open_root(tag)
            return
        if self.depth == 2:
            self.texts.clear()  # layout between records
            self.record_chars = 0
        self.stack.append([tag.rpartition("}")[2], None, len(self.texts)])

    def end(self, tag: str) -> None:
        self.depth -= 1
        stack, texts = self.stack, self.texts
        if not stack:  # the root closes
            texts.clear()
            return
        local, children, mark = stack.pop()
        pieces = len(texts) - mark
        if pieces == 1:  # the usual leaf: one piece of text
            text = texts.pop()
        elif pieces == 0:
            text = ""
        else:
            text = "".join(texts[mark:])
            del texts[mark:]
        if children is None:
            value: dict[str, object] | str | None = text or None
            self.record_chars += len(text)
            if len(text) > self.field_chars or self.record_chars > self.max_record_chars:
                self._too_long(local, len(text))
        else:
            value = _object(children, text)
        if stack:
            parent = stack[-1]
            if parent[1] is None:
                parent[1] = [(local, value)]
            else:
                parent[1].append((local, value))
                if len(stack) == 1 and len(parent[1]) > self.columns:
                    self.limits.check(
                        self.name,
                        "columns",
                        len(parent[1]),
                        "fields in one record or more",
                        row=len(self.records) + 1,
                    )
            return
        self.records.append(self._record(local, value))
        if len(self.records) > self.limits.rows:
            self.limits.check(self.name, "rows", len(self.records), "records or more")

    def _too_long(self, tag: str, chars: int) -> None:
        """Stop at a field, or a record, of more characters than the limits allow."""
        row = len(self.records) + 1
        self.limits.check(self.name, "field_chars", chars, f"characters in <{tag}>", row=row)
        self.limits.check(
            self.name,
            "record_chars",
            self.record_chars,
            "characters in one record or more",
            row=row,
        )

    def _record(self, tag: str, value: dict[str, object] | str | None) -> object:
        """A record (dict), or the text of a child of the root that is no record."""
        if isinstance(value, dict):
            return value
        if tag == self.record_tag and not (value or "").strip():
            return {}  # <request/>: a record without fields, as {} in JSON
        return f"<{tag}>{value or ''}</{tag}>"

    def _open_root(self, tag: str) -> None:
        namespace, _, local = tag.rpartition("}")
        self.root = local
        if local in ROOTS:
            self.record_tag = ROOTS[local]
        elif local in ("errors", "error"):
            self.record_tag = "error"
        elif local == "Workbook" and namespace == _SPREADSHEET_NS:
            raise InputError(
                self.name,
                "an Excel 2003 XML spreadsheet, not Open311 XML; "
                "open it in Excel and save it as .xlsx",
            )
        else:
            raise InputError(
                self.name,
                f"XML whose root element is <{safe_header(local)}>; expected {_EXPECTED}",
            )


def _error_response(records: list[object]) -> str:
    """What an Open311 error response (``<errors><error><code>…``) says, in one line."""
    # <error> as the root: its fields came as text-only children, "<code>400</code>".
    fields = [re.fullmatch(r"<([^>]+)>(.*)</\1>", r, re.S) for r in records if isinstance(r, str)]
    errors = [r for r in records if isinstance(r, dict)] or [
        {m.group(1): m.group(2) for m in fields if m}
    ]
    said = [": ".join(str(e[k]) for k in ("code", "description") if e.get(k)) for e in errors]
    # A server's message may quote the request it refused, caller's details included.
    text = " ".join("; ".join(s for s in said if s).split())[:300]
    return safe_detail(text) or "no description"


class XmlSource(RecordSource):
    """An Open311 GeoReport v2 XML response: requests or services, one record per child.

    Rows are the records' 1-based positions under the root, as in JSON; the header is every
    field's tag in the order first seen (see :class:`~.records.RecordSource`).
    """

    encoding: str  # set by xml_encoding, which always names a codec

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        self.path = path
        self.name = name or path.name
        self.limits = limits
        # Held as records, an XML file takes a few times its size: bounded as JSON is.
        limits.check(self.name, "json_bytes", path.stat().st_size, "bytes of XML")
        with path.open("rb") as handle:
            self.encoding = xml_encoding(handle.read(HEAD_BYTES), self.name)
        target = _Records(self.name, limits)
        # forbid_dtd: GeoReport needs no DTD, and every entity attack needs one. defusedxml
        # installs its guards on the expat parser; the element handlers are then expat's own
        # calls straight into the records (ElementTree's wrappers would triple the time).
        parser = DefusedXMLParser(target=target, forbid_dtd=True)
        expat = parser.parser
        expat.StartElementHandler = target.start
        expat.EndElementHandler = target.end
        expat.CharacterDataHandler = target.texts.append
        self._parse(parser, expat)
        if target.root in ("errors", "error"):
            raise InputError(
                self.name,
                "an Open311 error response, not requests "
                f"({_error_response(target.records)}); "
                "expected the response of GET requests.xml",
            )
        self._records = target.records
        self._keys = record_keys(self._records, self.name, limits, noun="fields")

    def _parse(self, parser: DefusedXMLParser, expat: Any) -> None:
        """Feed the file to the parser in decoded chunks; one line for whatever stops it."""
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        offset = 0
        try:
            with self.path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    # A str makes expat read UTF-8 whatever the declaration says: the bytes
                    # were decoded by the declared codec (expat itself knows few).
                    parser.feed(self._decode(decoder, chunk, offset))
                    offset += len(chunk)
                parser.feed(self._decode(decoder, b"", offset, final=True))
            parser.close()
        except ParseError as error:
            line, column = error.position
            reason = ErrorString(error.code) if error.code else str(error)
            cut = (
                " (the file ends before the document closes: cut short?)"
                if reason in _AT_THE_END
                else ""
            )
            raise InputError(
                self.name,
                f"not well-formed XML at line {line}, column {column + 1}: {reason}{cut}; "
                "expected a complete GeoReport v2 XML document",
            ) from None
        except DefusedXmlException as error:
            where = expat.CurrentLineNumber  # parser.parser is gone once close() has run
            what = (
                f"a document type declaration (<!DOCTYPE {error.name}>)"
                if isinstance(error, DTDForbidden)
                else "an entity declaration or reference"
            )
            raise InputError(
                self.name,
                f"{what} at line {where}, refused: it can expand entities without bound or read "
                "other files; expected GeoReport XML without <!DOCTYPE> or entities",
            ) from None

    def _decode(
        self, decoder: codecs.IncrementalDecoder, chunk: bytes, offset: int, *, final: bool = False
    ) -> str:
        try:
            return decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            hint = (
                "; declare the file's encoding in its first line "
                '(<?xml version="1.0" encoding="GB18030"?>)'
                if self.encoding == "utf-8"
                else ""
            )
            raise InputError(
                self.name,
                f"bytes near offset {offset + error.start} are not valid {self.encoding}{hint}",
            ) from None
