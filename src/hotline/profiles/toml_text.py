r"""Write the small TOML a profile needs: keys, texts and lists of texts (tomllib only reads).

Example:
    >>> print(assign("closed", ["Closed", 'Say "done"']))
    closed = ["Closed", "Say \"done\""]
    >>> key("已办结"), key("received_at")
    ('"已办结"', 'received_at')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

__all__ = ["assign", "key", "text", "texts"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def text(value: str) -> str:
    """A TOML basic string.

    JSON's escapes are TOML's, for every character JSON escapes; TOML also forbids DEL.
    """
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def texts(values: Iterable[str]) -> str:
    """A TOML array of strings on one line."""
    return "[" + ", ".join(text(v) for v in values) + "]"


def key(name: str) -> str:
    """A TOML key: bare when it may be, else quoted."""
    return name if _BARE.match(name) else text(name)


def assign(name: str, value: str | Iterable[str]) -> str:
    """``name = value`` for a text or a list of texts."""
    shown = text(value) if isinstance(value, str) else texts(value)
    return f"{key(name)} = {shown}"
