"""Scan every output file for planted personal data, in every form it could take there.

:func:`scan` walks a folder and looks for each planted secret in every file as a user (or an
attacker) could read it: Parquet decoded (every column, names included, and the footer's
metadata), xlsx/docx/zip members unzipped, text files (SVG, HTML, Markdown, JSON, CSV…) as
UTF-8 and again after HTML and JSON unescaping, and the raw bytes in GBK and UTF-16 too.
A phone or an ID number is also looked for as its bare digits, and in text where the
separators between digits are dropped (``139 0000 0015`` → ``13900000015``); a name in its
spaced and traditional forms (:func:`hotline.ingestion.names.name_pattern`).
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from hotline.ingestion.names import name_pattern

_DIGIT_GAP = re.compile(r"(?<=[0-9])[\s\u3000\-－‐‑‒–—―−./／()（）]{1,3}(?=[0-9])")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_ZIPPED = {".xlsx", ".docx", ".pptx", ".zip", ".odt", ".ods"}


@dataclass(frozen=True)
class Secret:
    """One planted value.

    Attributes:
        text: As planted.
        kind: ``name`` (matched in its variants), ``number`` (phone, ID, card: matched as its
            digits too) or ``text`` (an e-mail, matched case-insensitively, ``@`` or ``＠``).
    """

    text: str
    kind: str = "text"

    def pattern(self) -> re.Pattern[str]:
        """The regular expression that finds this secret in decoded text."""
        if self.kind == "name":
            return re.compile(name_pattern(self.text))
        if self.kind == "number":
            digits = re.sub(r"[^0-9Xx]", "", self.text.translate(_FULLWIDTH))
            return re.compile(rf"(?<![0-9]){re.escape(digits)}(?![0-9])", re.IGNORECASE)
        folded = re.escape(self.text.translate(_FULLWIDTH)).replace("@", "[@＠]")
        return re.compile(folded, re.IGNORECASE)


_FULLWIDTH = str.maketrans("０１２３４５６７８９＋＠", "0123456789+@")


@dataclass(frozen=True)
class Leak:
    """A secret found in an output file."""

    file: Path
    secret: str
    where: str


def _texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) views of one file."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
        yield "column names", "\n".join(table.column_names)
        yield "metadata", str(table.schema.metadata)
        for name in table.column_names:
            column = table.column(name)
            values = column.to_pylist()
            yield f"column {name}", "\n".join("" if v is None else str(v) for v in values)
        return  # the compressed bytes say nothing more, and short secrets occur in them by chance
    if suffix in _ZIPPED:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield from _decoded(f"{member}", archive.read(member))
        return
    yield from _decoded("bytes", data)


def _decoded(where: str, data: bytes) -> Iterator[tuple[str, str]]:
    for encoding in ("utf-8", "gbk", "utf-16-le", "utf-16-be"):
        text = data.decode(encoding, errors="ignore")
        yield f"{where} ({encoding})", text
        if encoding == "utf-8":
            yield f"{where} (html-unescaped)", html.unescape(text)
            yield (
                f"{where} (json-unescaped)",
                _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text),
            )


def output_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, hidden ones included (a key file is no output: skipped)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".pii_key")


def scan(folder: Path, secrets: Iterable[Secret]) -> list[Leak]:
    """Every place a secret appears in the files under ``folder`` (file names included)."""
    patterns = [(s, s.pattern()) for s in secrets]
    leaks: list[Leak] = []
    for path in output_files(folder):
        views = [("file name", str(path.relative_to(folder)))]
        views += list(_texts(path))
        for where, text in views:
            squeezed = _DIGIT_GAP.sub("", text)
            for secret, pattern in patterns:
                haystacks = [text, squeezed] if secret.kind == "number" else [text]
                if any(pattern.search(h) for h in haystacks):
                    leaks.append(Leak(path, secret.text, where))
    return _first_per_file(leaks)


def _first_per_file(leaks: list[Leak]) -> list[Leak]:
    seen: set[tuple[Path, str]] = set()
    kept = []
    for leak in leaks:
        if (leak.file, leak.secret) not in seen:
            seen.add((leak.file, leak.secret))
            kept.append(leak)
    return kept


def describe(leaks: list[Leak]) -> str:
    """A readable list of leaks for an assertion message."""
    return "\n".join(f"{leak.file.name}: {leak.secret} in {leak.where}" for leak in leaks)


def load_json(path: Path) -> object:
    """A JSON output, for tests that look at one field."""
    return json.loads(path.read_text(encoding="utf-8"))
