"""One definition, two engines: pandas for notebooks, DuckDB for data bigger than memory.

Metrics are written once as narwhals expressions (a thin, well-kept layer that speaks pandas
and DuckDB alike) and run on whichever engine holds the data:

* a pandas DataFrame (``hotline.load()``): computed eagerly in pandas;
* a dataset folder or ``orders.parquet`` path: computed lazily by DuckDB straight from the
  Parquet file, so a province's ten million orders never need to fit in memory.

Every metric is "flags, then sums": per-order 0/1 flags, summed per group. Counts are integers on
both engines, so results are identical, not just close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narwhals as nw
import pandas as pd

from hotline.dataset import manifest_of as dataset_manifest
from hotline.dataset import order_files
from hotline.errors import DatasetError

__all__ = ["Data", "Frame", "Source", "manifest_of", "open_source", "provenance"]

#: What a metric function accepts: a canonical DataFrame, or a dataset folder / Parquet path.
Data = pd.DataFrame | str | Path

#: Orders on their engine: eager on pandas, lazy on DuckDB.
Frame = nw.DataFrame[Any] | nw.LazyFrame[Any]


@dataclass
class Source:
    """The data of one computation, on its engine.

    Attributes:
        frame: The orders as a narwhals frame (eager on pandas, lazy on DuckDB).
        connection: The DuckDB connection holding the lazy frame, if any.
        manifest: The ingest manifest behind the data (empty for a frame built by hand).
    """

    frame: Frame
    connection: Any = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def engine(self) -> str:
        """``pandas`` or ``duckdb``."""
        return "pandas" if self.connection is None else "duckdb"

    def table(self, data: pd.DataFrame) -> Frame:
        """A small helper table (a calendar) on the same engine, for joins."""
        if self.connection is None:
            return nw.from_native(data)
        return nw.from_native(self.connection.from_df(data))

    def collect(self, frame: Frame) -> pd.DataFrame:
        """Run a (small, aggregated) frame and return it as pandas."""
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect(backend="pandas")
        return frame.to_native()


def open_source(data: Data) -> Source:
    """Wrap canonical data for the engine that should compute on it.

    Args:
        data: A canonical DataFrame (pandas engine), or a dataset folder or Parquet file
            (DuckDB engine, read lazily).

    Raises:
        TypeError: Anything else.
    """
    if isinstance(data, pd.DataFrame):
        return Source(nw.from_native(data, eager_only=True), manifest=manifest_of(data))
    if isinstance(data, str | Path):
        import duckdb

        connection = duckdb.connect()
        relation = connection.read_parquet([str(f) for f in order_files(data)])
        return Source(nw.from_native(relation), connection, manifest_of(data))
    raise TypeError(f"expected a canonical DataFrame or a dataset path, got {type(data).__name__}")


def manifest_of(data: Data) -> dict:
    """The ingest manifest behind the data (empty when there is none, e.g. a hand-built frame)."""
    try:
        return dataset_manifest(data)
    except DatasetError:
        return {}


def provenance(data: Data, definitions: Any, as_of: Any) -> dict[str, Any]:
    """What every metric result carries in ``attrs``: how it was computed and from what.

    ``as_of`` and the definitions say which figure it is; the source files and the data's
    language come from the manifest. Charts print the sources, the as-of time and the
    definition in their footnote, and draw in the data's language (``en`` for 311 profiles)
    unless told otherwise.

    Args:
        data: The metric's input (its manifest is read, if it has one).
        definitions: The :class:`~hotline.metrics.Definitions` used.
        as_of: The as-of time used.

    Example:
        >>> import datetime as dt
        >>> from hotline.metrics import preset
        >>> attrs = provenance(pd.DataFrame({"order_id": ["1"]}), preset("default"),
        ...                    dt.datetime(2021, 12, 31))
        >>> attrs["as_of"], attrs["sources"], attrs["language"]
        ('2021-12-31 00:00:00', [], None)
    """
    manifest = manifest_of(data)
    return {
        "as_of": as_of.isoformat(sep=" "),
        "definitions": definitions.describe(),
        "sources": [entry["name"] for entry in manifest.get("inputs", [])],
        "language": manifest.get("language"),
    }
