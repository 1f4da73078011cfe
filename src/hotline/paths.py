"""Every path the project reads or writes, in one place.

Paths are computed on call, never at import time, so importing this module touches nothing on disk
and an environment variable set later (in a test or a notebook) still takes effect.

The project root is ``$HOTLINE_HOME`` when set; otherwise the nearest folder, from the current
directory upwards, holding the project's ``pyproject.toml``; otherwise the current directory. Each
data folder can also be moved on its own:

======================  ==========================  ===========================================
function                environment variable        default
======================  ==========================  ===========================================
:func:`raw_dir`         ``HOTLINE_RAW_DIR``         ``<root>/data/raw`` (exports as received)
:func:`processed_dir`   ``HOTLINE_PROCESSED_DIR``   ``<root>/data/processed`` (Parquet dataset)
:func:`sample_dir`      ``HOTLINE_SAMPLE_DIR``      ``<root>/data/sample`` (the demo's sample)
:func:`reports_dir`     ``HOTLINE_REPORTS_DIR``     ``<root>/reports`` (figures, tables, text)
:func:`notebooks_dir`   ``HOTLINE_NOTEBOOKS_DIR``   ``<root>/notebooks`` (analysis notebooks)
:func:`pii_key_file`    ``HOTLINE_PII_KEY_FILE``    ``<project>/data/.pii_key`` (never in git)
======================  ==========================  ===========================================

The demo's fictional county lives apart from the user's data: :func:`sample_raw_dir` and
:func:`sample_processed_dir` are inside :func:`sample_dir`, never inside :func:`raw_dir` or
:func:`processed_dir`, so ``hotline ingest data/raw/`` never reads the sample and ``make demo``
never overwrites a user's dataset.

The key file is the one path with no current-directory fallback: outside a project (no
``$HOTLINE_HOME``, no hotline ``pyproject.toml`` above the current directory) and without
``$HOTLINE_PII_KEY_FILE`` there is none, so a run started from another folder never makes a
second key in ``./data`` (:mod:`hotline.keys`).

Example:
    >>> import os
    >>> os.environ["HOTLINE_HOME"] = "/srv/county"
    >>> str(raw_dir())
    '/srv/county/data/raw'
    >>> del os.environ["HOTLINE_HOME"]
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "figures_dir",
    "for_display",
    "notebooks_dir",
    "pii_key_file",
    "processed_dir",
    "project_root",
    "raw_dir",
    "reports_dir",
    "root",
    "sample_dir",
    "sample_processed_dir",
    "sample_raw_dir",
]

_PROJECT_MARKER = 'name = "hotline"'


def _from_env(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else None


def project_root() -> Path | None:
    """The project folder, or ``None`` when there is none.

    Returns:
        ``$HOTLINE_HOME`` if set, else the closest ancestor of the current directory that holds
        hotline's ``pyproject.toml``, else ``None``.
    """
    explicit = _from_env("HOTLINE_HOME")
    if explicit is not None:
        return explicit
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        try:
            if candidate.is_file() and _PROJECT_MARKER in candidate.read_text(encoding="utf-8"):
                return folder
        except OSError:
            continue
    return None


def root() -> Path:
    """Return the project root folder.

    Returns:
        ``$HOTLINE_HOME`` if set, else the closest ancestor of the current directory that holds
        hotline's ``pyproject.toml`` (so notebooks run from ``notebooks/`` find ``data/``), else the
        current directory.
    """
    return project_root() or Path.cwd()


def raw_dir() -> Path:
    """Folder of exports exactly as received from the hotline platform (never edited)."""
    return _from_env("HOTLINE_RAW_DIR") or root() / "data" / "raw"


def processed_dir() -> Path:
    """Folder of the cleaned Parquet dataset written by ``hotline ingest``."""
    return _from_env("HOTLINE_PROCESSED_DIR") or root() / "data" / "processed"


def sample_dir() -> Path:
    """Folder of the demo's synthetic county (``make demo``), apart from the user's data.

    Example:
        >>> import os
        >>> os.environ["HOTLINE_HOME"] = "/srv/county"
        >>> str(sample_dir())
        '/srv/county/data/sample'
        >>> del os.environ["HOTLINE_HOME"]
    """
    return _from_env("HOTLINE_SAMPLE_DIR") or root() / "data" / "sample"


def sample_raw_dir() -> Path:
    """Folder of the sample's raw exports, written by ``hotline demo``; not under :func:`raw_dir`.

    Example:
        >>> import os
        >>> os.environ["HOTLINE_SAMPLE_DIR"] = "/tmp/sample"
        >>> str(sample_raw_dir())
        '/tmp/sample/raw'
        >>> del os.environ["HOTLINE_SAMPLE_DIR"]
    """
    return sample_dir() / "raw"


def sample_processed_dir() -> Path:
    """Folder of the sample's dataset, written by ``hotline demo``; never :func:`processed_dir`.

    Example:
        >>> import os
        >>> os.environ["HOTLINE_SAMPLE_DIR"] = "/tmp/sample"
        >>> str(sample_processed_dir())
        '/tmp/sample/processed'
        >>> del os.environ["HOTLINE_SAMPLE_DIR"]
    """
    return sample_dir() / "processed"


def reports_dir() -> Path:
    """Folder for report outputs: figures, tables and generated text."""
    return _from_env("HOTLINE_REPORTS_DIR") or root() / "reports"


def figures_dir() -> Path:
    """Folder for exported charts, inside :func:`reports_dir`."""
    return reports_dir() / "figures"


def notebooks_dir() -> Path:
    """Folder of the numbered analysis notebooks (``.ipynb`` paired with ``.py``)."""
    return _from_env("HOTLINE_NOTEBOOKS_DIR") or root() / "notebooks"


def pii_key_file() -> Path | None:
    """File holding the secret key for caller hashes when ``$HOTLINE_PII_KEY`` is not set.

    Returns:
        ``$HOTLINE_PII_KEY_FILE``, else ``data/.pii_key`` of the project folder; ``None``
        outside a project (never ``./data`` of whatever folder the command runs in).
    """
    explicit = _from_env("HOTLINE_PII_KEY_FILE")
    if explicit is not None:
        return explicit
    project = project_root()
    return None if project is None else project / "data" / ".pii_key"


def for_display(path: Path | str) -> str:
    """A path as a user would type it: relative to the current folder when inside it.

    Example:
        >>> for_display(Path.cwd() / "data" / "raw"), for_display("/elsewhere/raw")
        ('data/raw', '/elsewhere/raw')
    """
    absolute = Path(path).absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
