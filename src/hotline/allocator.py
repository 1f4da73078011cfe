"""Arrow's memory allocator for a command: keep the memory it touched, or give it back.

A command is a short batch run. Letting Arrow's allocator (mimalloc) keep the memory it has
touched, instead of returning it to the system and faulting it in again, zeroed, for the next
column, halves the kernel time of an ingest on a virtual machine. The price is that the
process's memory never shrinks: each phase's peak stacks on what the phases before it held.
An ingest bigger than its memory limit streams through disk phase by phase (convert, merge,
write) and stays within the limit only if each phase returns what it used; measured on
3 million rows with the 2 GB default limit, its peak was 2.9 GB keeping memory and 1.7 GB
giving it back.

So memory is kept unless the ingest's input is likely to outgrow its memory limit
(:func:`likely_streams`). The settings must be made before pyarrow is first imported (mimalloc
reads them once, as it starts), so this module imports nothing heavy, and a setting the user
made in the environment is never changed.

Example:
    >>> settings_for(streams=False)
    {'MIMALLOC_ARENA_EAGER_COMMIT': '1', 'MIMALLOC_PURGE_DELAY': '-1'}
    >>> settings_for(streams=True)
    {}
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from hotline.file_types import EXCEL_SUFFIXES

__all__ = ["KEEP_MEMORY", "converted_bytes", "likely_streams", "settings_for", "use"]

#: mimalloc keeps the memory it touched, committed at once (the batch setting).
KEEP_MEMORY = {"MIMALLOC_ARENA_EAGER_COMMIT": "1", "MIMALLOC_PURGE_DELAY": "-1"}
#: Memory one byte of an export takes once converted: 1.1 to 1.4 GB per million rows of the
#: benchmark exports, from about 330 bytes a row of CSV and 120 of (compressed) xlsx.
_SPREADSHEET_FACTOR = 10.0
_TEXT_FACTOR = 3.5
#: The keys this module set in the environment (the user's own are left alone).
_SET_HERE: set[str] = set()


def settings_for(*, streams: bool) -> dict[str, str]:
    """The allocator settings for a run that will (or will not) stream through disk."""
    return {} if streams else dict(KEEP_MEMORY)


def converted_bytes(paths: Iterable[str | Path]) -> int:
    """About how much memory the exports under ``paths`` take once converted.

    Folders are walked; hidden files and paths that do not exist count nothing (the ingest
    itself says what is wrong with them).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.csv").write_bytes(b"x" * 1000)
        >>> converted_bytes([folder, folder / "missing.xlsx"])
        3500
    """
    total = 0.0
    for given in paths:
        if not str(given).strip():
            continue  # "" is no path (Path("") would be the current folder)
        path = Path(given)
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in files:
            if file.name.startswith(".") or not file.is_file():
                continue
            factor = _SPREADSHEET_FACTOR if file.suffix.lower() in EXCEL_SUFFIXES else _TEXT_FACTOR
            total += file.stat().st_size * factor
    return int(total)


def likely_streams(paths: Iterable[str | Path], memory_limit: int) -> bool:
    """Whether an ingest of ``paths`` will probably hold more than ``memory_limit`` bytes.

    Example:
        >>> likely_streams([], 2 << 30)
        False
    """
    return converted_bytes(paths) > memory_limit


def use(settings: dict[str, str]) -> bool:
    """Put ``settings`` in force for this process, if pyarrow has not started yet.

    Keys this module set before and that ``settings`` lacks are removed (back to mimalloc's
    defaults); keys the user set are never changed.

    Returns:
        Whether the settings can still take effect.
    """
    if "pyarrow" in sys.modules:
        return False
    for key in KEEP_MEMORY:
        if key in os.environ and key not in _SET_HERE:
            continue  # the user's
        if key in settings:
            os.environ[key] = settings[key]
            _SET_HERE.add(key)
        elif key in _SET_HERE:
            del os.environ[key]
            _SET_HERE.discard(key)
    return True
