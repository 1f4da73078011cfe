"""Read a report's text file, UTF-8 or GB18030 (GBK), with or without a byte-order mark.

The encoding is told from the bytes (:func:`hotline.ingestion.encoding.detect_encoding`, which
falls back on charset-normalizer), never from the machine's locale.

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
    >>> _ = path.write_bytes("热线受理9383件".encode("gb18030"))
    >>> read_report_text(path)
    '热线受理9383件'
"""

from __future__ import annotations

from pathlib import Path

from hotline.errors import InputError
from hotline.ingestion.encoding import detect_encoding

__all__ = ["read_report_text"]

_TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030")
_NOT_TEXT = "not a text file; expected UTF-8 or GB18030 (GBK) text"


def read_report_text(path: str | Path) -> str:
    """The text of a report file, decoded from its detected encoding, without a BOM.

    Raises:
        InputError: The file cannot be read, or its bytes are not text in a known encoding.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
        >>> _ = path.write_bytes("办结率95%".encode("utf-8-sig"))
        >>> read_report_text(path)
        '办结率95%'
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror or error})") from None
    encoding = detect_encoding(data, path)
    try:
        if encoding not in _TEXT_ENCODINGS:  # a guess from the bytes of a non-text file
            raise UnicodeError(encoding)
        text = data.decode(encoding)
    except UnicodeError:
        raise InputError(path, _NOT_TEXT) from None
    if "\x00" in text:
        raise InputError(path, _NOT_TEXT)
    return text.removeprefix("\ufeff")
