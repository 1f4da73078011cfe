"""Detect the text encoding of a CSV export from its bytes.

Chinese platforms export UTF-8 (with or without a byte-order mark), GBK/GB18030, and, from Excel's
"Unicode text", UTF-16. The answer comes from the bytes, never from the machine's locale, so the
same file reads the same on a Windows analyst's laptop and on a Linux server:

1. a byte-order mark decides (UTF-8-SIG, UTF-16);
2. bytes that decode as strict UTF-8 are UTF-8 (pure ASCII included);
3. bytes that decode as strict GB18030 into mainly CJK text are GB18030 (a superset of GBK and
   GB2312, so one codec reads all three);
4. otherwise charset-normalizer's best guess; failing that, GB18030 if the bytes decode as it.

Example:
    >>> detect_encoding("工单编号,受理时间".encode("gbk"))
    'gb18030'
    >>> detect_encoding("工单编号,受理时间".encode("utf-8-sig"))
    'utf-8-sig'
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from hotline.errors import InputError

__all__ = ["detect_encoding"]

_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}


def _decodes(data: bytes, encoding: str) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        return decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None


def detect_encoding(data: bytes, path: str | Path = "<bytes>") -> str:
    """Return the Python codec name for the text in ``data`` (the first bytes of a file).

    Args:
        data: The first bytes of the file (a few hundred KiB is plenty).
        path: The file, for the error message.

    Returns:
        ``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030`` or a codec charset-normalizer chose.

    Raises:
        InputError: The bytes match no encoding with confidence.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(data, "utf-8") is not None:
        return "utf-8"
    text = _decodes(data, "gb18030")
    if text is not None:
        non_ascii = [ch for ch in text if ord(ch) > 127]
        if non_ascii and sum(bool(_CJK.match(ch)) for ch in non_ascii) / len(non_ascii) >= 0.5:
            return "gb18030"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        if text is not None:  # decodes strictly as GB18030 and nothing fits better
            return "gb18030"
        raise InputError(
            path, "cannot tell the text encoding; expected UTF-8, GBK/GB18030 or UTF-16 text"
        )
    return "gb18030" if best.encoding.lower() in _GB_FAMILY else best.encoding
