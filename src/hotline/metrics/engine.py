"""One definition, three engines: pandas, DuckDB for data bigger than memory, and Spark.

Metrics are written once as narwhals expressions (a thin, well-kept layer that speaks pandas,
DuckDB and Spark alike) and run on whichever engine holds the data:

* a pandas DataFrame (``hotline.load()``): computed eagerly in pandas;
* a dataset folder (its ``orders`` partitions): computed lazily by DuckDB straight from the
  Parquet files, so a province's ten million orders never need to fit in memory;
* a PySpark DataFrame (:func:`hotline.metrics.spark_orders`, a Hive table, any frame with the
  canonical columns): computed lazily by Spark (:mod:`hotline.metrics.spark`).

Every metric is "flags, then sums": per-order 0/1 flags, summed per group. Counts are integers on
every engine, so results are identical, not just close.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import narwhals as nw
import pandas as pd

from hotline.dataset import manifest_of as dataset_manifest
from hotline.dataset import order_files
from hotline.errors import DatasetError
from hotline.metrics import spark

if TYPE_CHECKING:  # pyspark is an optional extra: never imported at run time here
    from pyspark.sql import DataFrame as SparkDataFrame

__all__ = ["Data", "Frame", "Source", "manifest_of", "open_source", "provenance"]

#: What a metric function accepts: a canonical DataFrame (pandas or Spark), or a dataset folder
#: / Parquet path.
Data = Union[pd.DataFrame, str, Path, "SparkDataFrame"]

#: Orders on their engine: eager on pandas, lazy on DuckDB and Spark.
Frame = nw.DataFrame[Any] | nw.LazyFrame[Any]


@dataclass
class Source:
    """The data of one computation, on its engine.

    Attributes:
        frame: The orders as a narwhals frame (eager on pandas, lazy on DuckDB and Spark).
        connection: The DuckDB connection or SparkSession holding the lazy frame, if any.
        manifest: The ingest manifest behind the data (empty for a frame built by hand).
    """

    frame: Frame
    connection: Any = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def engine(self) -> str:
        """``pandas``, ``duckdb`` or ``spark``."""
        if self.connection is None:
            return "pandas"
        return "spark" if spark.is_spark_session(self.connection) else "duckdb"

    def table(self, data: pd.DataFrame) -> Frame:
        """A small helper table (a calendar) on the same engine (and session), for joins."""
        if self.connection is None:
            return nw.from_native(data)
        if self.engine == "spark":
            return nw.from_native(spark.helper_table(self.connection, data))
        return nw.from_native(self.connection.from_df(data))

    def collect(self, frame: Frame) -> pd.DataFrame:
        """Run a (small, aggregated) frame and return it as pandas."""
        if self.engine == "spark":
            return spark.collect(frame)
        if isinstance(frame, nw.LazyFrame):
            frame = frame.collect(backend="pandas")
        return frame.to_native()


def open_source(data: Data) -> Source:
    """Wrap canonical data for the engine that should compute on it.

    Args:
        data: A canonical DataFrame (pandas engine), a dataset folder or Parquet file
            (DuckDB engine, read lazily), or a Spark DataFrame (Spark engine, lazily; its
            columns are made canonical, :func:`hotline.metrics.spark.canonical`).

    Raises:
        TypeError: Anything else.
    """
    if isinstance(data, pd.DataFrame):
        return Source(nw.from_native(data, eager_only=True), manifest=manifest_of(data))
    if spark.is_spark_frame(data):
        session = spark.wall_clock(data.sparkSession)
        return Source(nw.from_native(spark.canonical(data)), session, manifest_of(data))
    if isinstance(data, str | Path):
        import duckdb

        connection = duckdb.connect()
        # the files carry every column: folder names (source_kind=…, month=…) add none
        relation = connection.read_parquet(
            [str(f) for f in order_files(data)], hive_partitioning=False
        )
        return Source(nw.from_native(relation), connection, manifest_of(data))
    raise TypeError(
        f"expected a canonical DataFrame (pandas or Spark) or a dataset path, "
        f"got {type(data).__name__}"
    )


def manifest_of(data: Data) -> dict:
    """The ingest manifest behind the data (empty when there is none, e.g. a hand-built frame)."""
    if spark.is_spark_frame(data):
        return spark.manifest_of(data)
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
