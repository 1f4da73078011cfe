"""JSON exports: an array of records, as the Socrata and Open311 APIs return.

Row numbers are the records' 1-based positions in the array. :class:`RecordSource` lays records
out as a grid for this reader and for Open311's XML form (:mod:`.xml_records`), so that both
forms of one response read alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np
import pyarrow as pa

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers.base import HEAD_BYTES, Grid, Source, cell_text

__all__ = ["JsonSource", "RecordSource", "json_depth", "record_keys"]

_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_depth(text: bytes) -> int:
    """How deeply arrays and objects nest in a JSON document (UTF-8), without parsing it.

    Brackets inside strings do not count. Linear in the size of the text, and the parser's
    recursion is never reached: ``[[[…]]]`` 100,000 deep is measured, not parsed.

    Example:
        >>> json_depth(b'[{"a": [1, "]]]"]}, {"b": {"c": []}}]'), json_depth(b"3")
        (4, 0)
    """
    # Escapes first (an escaped backslash, then an escaped quote): every quote left opens or
    # closes a string, so every other piece between quotes is outside strings.
    bare = text.replace(b"\\\\", b"") if b"\\\\" in text else text
    bare = bare.replace(b'\\"', b"") if b'\\"' in bare else bare
    brackets = b"".join(bare.split(b'"')[::2]).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    steps = np.frombuffer(brackets, dtype=np.uint8)
    depth = np.cumsum(np.where((steps == ord("[")) | (steps == ord("{")), 1, -1), dtype=np.int64)
    return int(depth.max())


#: Digits Python turns into an int (``sys.get_int_max_str_digits``): longer raises ValueError.
_MAX_DIGITS = 4300
#: A \\u escape of a UTF-16 surrogate: only these can give a string no UTF-8 can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _LongInteger(str):
    """The digits of a JSON integer too long for Python, kept to find its record."""


def _integer(found: list[str]) -> Callable[[str], object]:
    """A ``parse_int`` that keeps what Python refuses, and notes it, instead of raising."""

    def parse(digits: str) -> object:
        if len(digits.lstrip("-")) > _MAX_DIGITS:
            found.append(digits)
            return _LongInteger(digits)
        return int(digits)

    return parse


def _values(value: object) -> Iterator[object]:
    """A record's keys and values, nested ones included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)
    else:
        yield value


def _refuse_long_integer(records: list[object], digits: str, name: str) -> None:
    row = next(
        (
            i
            for i, record in enumerate(records, start=1)
            if any(isinstance(v, _LongInteger) for v in _values(record))
        ),
        None,
    )
    raise InputError(
        name,
        f"a number of {len(digits.lstrip('-')):,} digits ({digits[:12]}…); expected a number "
        f"of at most {_MAX_DIGITS:,} digits, or text in quotes",
        row=row,
    )


def _refuse_lone_surrogates(records: list[object], name: str) -> None:
    """Stop at the first record with a string that is not valid Unicode (a lone surrogate)."""
    for row, record in enumerate(records, start=1):
        for value in _values(record):
            if isinstance(value, str):
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError as error:
                    code = ord(value[error.start])
                    raise InputError(
                        name,
                        f"text with a lone UTF-16 surrogate (\\u{code:04x}), not a character; "
                        "expected \\u escapes of surrogates in high-low pairs",
                        row=row,
                    ) from None


def _json_text(value: object) -> str:
    """A JSON value as a cell's text: scalars as in a spreadsheet, objects and arrays as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


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


def record_keys(records: list[object], name: str, limits: Limits, noun: str = "keys") -> list[str]:
    """Every key of the records (objects), in the order first seen, within the limits.

    Args:
        records: Parsed records; items that are not objects are skipped.
        name: The file, as messages name it.
        limits: ``columns`` bounds the keys of one record and of all; ``cells`` keys × records.
        noun: What a key is called in that file's messages (``keys``, ``fields``).

    Raises:
        InputError: A record or the records together hold too many keys, or too many cells.

    Example:
        >>> record_keys([{"a": 1}, 7, {"b": None, "a": 2}], "x.json", DEFAULT)
        ['a', 'b']
    """
    # Counted record by record, before any work per column (a record of 50,000 keys would
    # otherwise take a minute to be read column by column).
    keys: dict[object, None] = {}
    for row, record in enumerate(records, start=1):
        if isinstance(record, dict):
            if len(record) > limits.columns:
                limits.check(name, "columns", len(record), f"{noun} in one record", row=row)
            keys.update(dict.fromkeys(record))
            if len(keys) > limits.columns:
                limits.check(name, "columns", len(keys), f"distinct {noun} in the records", row=row)
    # Each record is a row of every column: keys × records cells, however sparse the file.
    limits.check(
        name,
        "cells",
        len(keys) * len(records),
        f"cells ({len(keys):,} {noun} × {len(records):,} records)",
    )
    return [str(k) for k in keys]


class RecordSource(Source):
    """Records parsed from a JSON or XML document: objects as rows, their keys as headers.

    Records may omit keys (the SODA API leaves out null values): the header is every key in
    the order first seen, and a missing key is an empty cell. A nested value (SODA's
    ``location`` object) is kept as its JSON text. An item that is not an object is a
    malformed record. The header is not a row of the file: ``header_row`` is 0 and each
    record's row is its 1-based position in the document.

    Subclasses parse the file and set ``path``, ``name``, ``limits``, ``encoding``,
    ``_records`` and ``_keys`` (:func:`record_keys`).
    """

    encoding: str | None
    _records: list[object]
    _keys: list[str]

    def heads(self) -> list[tuple[str | None, list[list[str]]]]:
        """The keys, as the one candidate header row."""
        return [(None, [list(self._keys)])]

    def read(self, sheet: str | None, header_index: int, id_column: int = 0) -> Grid:
        """One text column per key; records that are not objects are malformed."""
        positions = [i for i, r in enumerate(self._records) if isinstance(r, dict)]
        records = cast("list[dict[str, Any]]", [self._records[i] for i in positions])
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


class JsonSource(RecordSource):
    """A JSON export: an array of records (objects), or an object holding that one array.

    Numbers are read as Python reads them (an integer longer than Python allows, or a string
    that is no valid Unicode, stops the file with its record); see :class:`RecordSource`.
    """

    def __init__(self, path: Path, name: str | None = None, limits: Limits = DEFAULT) -> None:
        self.path = path
        self.name = name or path.name
        self.limits = limits
        # Parsed, a JSON file takes about ten times its size as Python objects.
        limits.check(self.name, "json_bytes", path.stat().st_size, "bytes of JSON")
        raw = path.read_bytes()
        self.encoding = detect_encoding(raw[:HEAD_BYTES], self.name)
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as error:
            raise InputError(
                self.name, f"bytes near offset {error.start} are not valid {self.encoding}"
            ) from None
        text = text.removeprefix("\ufeff")
        # Checked before parsing: the parser recurses once per level and would stop with a
        # RecursionError (an internal error) on a deep enough document.
        limits.check(self.name, "json_depth", json_depth(text.encode()), "levels of nesting")
        too_long: list[str] = []
        try:
            data = json.loads(text, parse_int=_integer(too_long))
        except json.JSONDecodeError as error:
            raise InputError(self.name, f"not valid JSON ({error.msg})", row=error.lineno) from None
        self._records = _records(data, self.name)
        self._keys = record_keys(self._records, self.name, limits)
        if too_long:
            _refuse_long_integer(self._records, too_long[0], self.name)
        if _SURROGATE_ESCAPE.search(text):
            _refuse_lone_surrogates(self._records, self.name)
