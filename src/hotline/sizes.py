"""Sizes as people write them (``2G``, ``500M``, ``1,000``), for limits and memory settings.

Free of Arrow and pandas, so that a command can read a size before it loads them (the memory
allocator is chosen before pyarrow starts: :mod:`hotline.allocator`).
"""

from __future__ import annotations

import math
import re

from hotline.errors import HotlineError

__all__ = ["parse_size"]

_SIZE = re.compile(r"^\s*([0-9][0-9_,]*(?:\.[0-9]+)?)\s*([kKmMgGtT]?)(?:i?[bB])?\s*$")
_BINARY = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_DECIMAL = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def parse_size(text: str, *, binary: bool = True, what: str = "size") -> int:
    """A positive whole number, with an optional ``K``/``M``/``G``/``T`` suffix.

    Example:
        >>> parse_size("512M"), parse_size("2G", binary=False), parse_size("1,000")
        (536870912, 2000000000, 1000)
    """
    match = _SIZE.match(str(text))
    if not match:
        raise HotlineError(f"{what}: {text!r} is not a size (e.g. 500000, 2M, 4G)")
    number, unit = float(match.group(1).replace("_", "").replace(",", "")), match.group(2).lower()
    if not math.isfinite(number * (_BINARY if binary else _DECIMAL)[unit]):
        raise HotlineError(f"{what}: {text.strip()[:12]}… is too large (e.g. 500000, 2M, 4G)")
    value = int(number * (_BINARY if binary else _DECIMAL)[unit])
    if value <= 0:
        raise HotlineError(f"{what}: {text!r} must be more than zero")
    return value
