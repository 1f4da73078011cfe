"""Converted exports kept between ingests, so that a new month converts only the new file.

A dataset folder keeps, in ``.hotline-cache/``, each export converted by the last ingest that
merged through disk (:mod:`.spill`): its staged rows (Parquet, sorted by order id) and what the
conversion found (the file's stages, rejected rows, snapshot time). An entry is found again by
the **raw file's SHA-256 and everything else the conversion depends on**: the name it is read
under, the profiles it may be read with, the input limits, the caller key, hotline's version
and the dataset schema. A changed file, another profile, a new key or a new hotline converts
afresh; an entry no run used is removed when the next ingest commits (so a removed or changed
raw file leaves nothing behind). ``hotline ingest --rebuild`` ignores the cache.

What the cache holds is what the dataset holds: pseudonymised rows and their account. The
caller names a file held, which later runs need to screen new file names with, are kept only
as keyed hashes (:class:`.privacy.KeyedNames`). Each entry's description is signed with the
caller key (HMAC), so an entry changed or copied in from another key is not trusted: it is
converted again.

Example:
    >>> context_digest({"b": {2, 1}, "a": [Path("x")]}) == context_digest({"a": ["x"], "b": [1, 2]})
    True
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import pickle
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline.ingestion.spill import StagedPart
from hotline.outputs import CACHE_DIR

__all__ = ["CACHE_DIR", "CachedFile", "PartCache", "context_digest"]

_META = "meta.pickle"
_SIGNATURE = "meta.sig"
_PART = "part.parquet"
_STAT_INDEX = "hashes.json"
_ENTRY = re.compile(r"[0-9a-f]{64}")


def _plain(value: Any) -> Any:
    """A JSON-able form of a setting whose text is the same in every process."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: _plain(getattr(value, f.name)) for f in fields}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda i: str(i[0]))}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def context_digest(context: Any) -> str:
    """A digest of what a conversion depends on, equal across processes and runs."""
    text = json.dumps(_plain(context), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CachedFile:
    """A converted export found in the cache.

    Attributes:
        item: The converted export with an empty table: its rows are in ``part``.
        part: Its staged rows.
    """

    item: Any
    part: StagedPart | None


class PartCache:
    """The cache of one dataset folder, for one run.

    Args:
        folder: The dataset folder (the cache is its ``.hotline-cache``).
        key: The caller key, which signs the entries.
        read: Use the entries found (``False`` for ``--rebuild``: convert everything).
    """

    def __init__(self, folder: Path, key: bytes, *, read: bool = True) -> None:
        self.folder = folder / CACHE_DIR
        self.key = key
        self.read = read
        self.used: set[str] = set()
        self.new: dict[str, Path] = {}
        self._hashes = self._load_hashes() if read else {}

    def readable(self) -> bool:
        """Whether this run may take conversions from the cache (there are some to take)."""
        return self.read and self.folder.is_dir() and not self.folder.is_symlink()

    def sha256(self, path: Path, compute: Any) -> str:
        """The file's SHA-256, from the last run's when its size and times are unchanged."""
        stat = path.stat()
        seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        # the path is kept keyed: a file's name may hold a caller's name
        where = hmac.new(self.key, os.fsencode(path.resolve()), hashlib.sha256).hexdigest()
        known = self._hashes.get(where)
        if known is not None and list(known[:4]) == list(seen):
            return str(known[4])
        digest = compute(path)
        self._hashes[where] = [*seen, digest]
        return digest

    def entry(self, sha256: str, context: str) -> str:
        """The name of the entry of a file's bytes read in a context."""
        return hashlib.sha256(f"{sha256}:{context}".encode()).hexdigest()

    def get(self, entry: str) -> CachedFile | None:
        """The cached conversion, or ``None`` (absent, unsigned, changed, or not to be read)."""
        where = self.folder / entry
        if not self.read or not _ENTRY.fullmatch(entry) or not (where / _META).is_file():
            return None
        try:
            meta = (where / _META).read_bytes()
            signature = (where / _SIGNATURE).read_text(encoding="ascii").strip()
        except OSError:
            return None
        if not hmac.compare_digest(signature, self._sign(meta, where / _PART)):
            return None
        found: CachedFile = pickle.loads(meta)  # signed by this dataset's key: written by us
        if found.part is not None:
            part = where / _PART
            found.part = dataclasses.replace(found.part, path=part)
        self.used.add(entry)
        return found

    def put(self, folder: Path, entry: str, found: CachedFile) -> None:
        """Write an entry into ``folder`` (a staging place); :meth:`commit` moves it in."""
        where = folder / f"cache-{entry}"
        where.mkdir()
        if found.part is not None and found.part.path != where / _PART:
            found.part.path.replace(where / _PART)
            found.part = dataclasses.replace(found.part, path=where / _PART)
        meta = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        (where / _META).write_bytes(meta)
        (where / _SIGNATURE).write_text(self._sign(meta, where / _PART), encoding="ascii")
        self.new[entry] = where

    def _sign(self, meta: bytes, part: Path) -> str:
        """HMAC of the description and of the part's bytes: neither can change unnoticed."""
        digest = hashlib.sha256()
        if part.is_file():
            with part.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        return hmac.new(self.key, meta + digest.digest(), hashlib.sha256).hexdigest()

    def commit(self) -> None:
        """After the dataset is committed: keep this run's entries, drop every other.

        A cache folder that is not a real folder of the dataset (a symbolic link, a file) is
        not hotline's: it is left alone and nothing is kept.
        """
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            return
        self.folder.mkdir(exist_ok=True)
        for entry, staged in self.new.items():
            target = self.folder / entry
            if target.exists():
                shutil.rmtree(target)
            shutil.move(staged, target)
            self.used.add(entry)
        for child in self.folder.iterdir():
            if child.name not in self.used and child.name != _STAT_INDEX:
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink()
        index = self.folder / f"{_STAT_INDEX}.tmp"
        index.write_text(json.dumps(self._hashes), encoding="utf-8")
        index.replace(self.folder / _STAT_INDEX)

    def _load_hashes(self) -> dict[str, list[Any]]:
        try:
            found = json.loads((self.folder / _STAT_INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}
