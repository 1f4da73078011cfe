"""hotline: reproducible metrics for 12345 hotline and online-complaint exports.

The public entry points:

* :func:`read_export`: one raw export -> canonical DataFrame;
* :func:`ingest`: raw exports -> Parquet dataset with a manifest and an account of every row;
* :func:`load`: the processed dataset -> canonical DataFrame.

They are imported on first use, so that ``import hotline`` (and the command line) starts fast
and loads pandas, pyarrow and DuckDB only when needed.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from hotline._version import __version__

if TYPE_CHECKING:
    from hotline.dataset import load
    from hotline.ingestion import ingest, read_export

__all__ = ["__version__", "ingest", "load", "read_export"]

_LAZY = {
    "ingest": "hotline.ingestion",
    "read_export": "hotline.ingestion",
    "load": "hotline.dataset",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hotline' has no attribute {name!r}")
