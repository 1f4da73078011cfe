"""Apache Spark as the third engine: the same metric definitions on a Spark DataFrame.

The metrics are narwhals expressions (:mod:`hotline.metrics.engine`), and narwhals speaks
PySpark (classic and Spark Connect) as a lazy backend, so a Spark DataFrame with the canonical
columns goes to every metric function as it is: ``summary(spark_df, by="department")``. This
module holds what only Spark needs, and nothing is imported from pyspark until Spark data or
``--engine spark`` is actually used (pyspark is the optional ``spark`` extra):

* :func:`spark_orders`: a dataset folder read on Spark, with its manifest (provenance, the
  data's language, each file's calendar) kept in the schema's metadata (:func:`with_manifest`);
* :func:`build_session`: the session of ``hotline metrics --engine spark``;
* :func:`canonical`: any Spark DataFrame (a Hive table, say) as the canonical columns and types;
* helper tables (calendars) and results crossing between pandas and Spark through Arrow.

Times are wall-clock times without a zone (``TIMESTAMP_NTZ``), as the Parquet files hold them
(pyarrow writes naive ``timestamp[us]``, which Spark reads as ``TIMESTAMP_NTZ``). Python
datetimes in a query (an ``as_of``, a daylight-saving change) must be wall-clock times too;
Spark converts a naive Python datetime through the Python process's time zone and then reads it
in the session's, which shifts it when the two differ (a cluster on UTC, a laptop in
Asia/Shanghai). So :func:`wall_clock` sets the session's ``spark.sql.timestampType`` to
``TIMESTAMP_NTZ``, the one setting hotline changes on a session it is given.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from hotline import schema
from hotline.dataset import order_files, read_manifest
from hotline.errors import HotlineError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from typing_extensions import TypeIs

__all__ = [
    "INSTALL_HINT",
    "build_session",
    "canonical",
    "collect",
    "helper_table",
    "is_spark_frame",
    "is_spark_session",
    "manifest_of",
    "quiet",
    "spark_orders",
    "wall_clock",
    "with_manifest",
]

#: What to do when Spark cannot run: one line, the same wherever it is said.
INSTALL_HINT = "install the spark extra: pip install 'hotline[spark]'; Spark needs Java 17+"

#: The field metadata key of ``order_id`` that carries the dataset's manifest (JSON).
MANIFEST_KEY = "hotline.manifest"

#: Spark SQL type names of the canonical storage kinds (:data:`hotline.schema.COLUMNS`).
_SPARK_TYPES = {
    "string": "string",
    "category": "string",
    "timestamp": "timestamp_ntz",
    "int": "int",
    "float": "double",
    "bool": "boolean",
}

#: Start of pyspark's warning that it was not tested with pandas 3 (see :func:`quiet`).
_PANDAS_3_WARNING = "PySpark does not yet fully support pandas"


def is_spark_frame(data: object) -> TypeIs[DataFrame]:
    """Whether ``data`` is a PySpark DataFrame (classic or Spark Connect).

    Nothing is imported: a process that never imported pyspark holds no Spark frame.

    Example:
        >>> is_spark_frame(pd.DataFrame())
        False
    """
    sql = sys.modules.get("pyspark.sql")
    return sql is not None and isinstance(data, sql.DataFrame)


def is_spark_session(connection: object) -> bool:
    """Whether an engine's connection is a SparkSession (classic or Spark Connect).

    Example:
        >>> is_spark_session(None)
        False
    """
    # Spark Connect's session is a class of its own, not a subclass of the classic one
    modules = ("pyspark.sql", "pyspark.sql.connect.session")
    return any(
        module is not None and isinstance(connection, module.SparkSession)
        for module in map(sys.modules.get, modules)
    )


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Silence pyspark's FutureWarning that it does not yet fully support pandas 3, only it.

    hotline hands Spark Arrow tables and takes Arrow tables back (:func:`helper_table`,
    :func:`collect`), never pandas objects, so the conversions the warning is about are not
    used; the tests compare every figure with the pandas and DuckDB engines'. Any other warning
    passes.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_PANDAS_3_WARNING, category=FutureWarning)
        yield


def _pyspark_sql() -> Any:
    """``pyspark.sql``, or a one-line error saying how to get it."""
    try:
        with quiet():
            import pyspark.sql
    except ImportError:
        raise HotlineError(
            f"the Spark engine needs pyspark, which is missing; {INSTALL_HINT}"
        ) from None
    return pyspark.sql


def build_session(master: str | None = None) -> SparkSession:
    """The SparkSession ``hotline metrics --engine spark`` computes on (created, or the active one).

    The master is ``master``, else the ``SPARK_MASTER`` environment variable, else whatever
    Spark's own configuration says (``spark-submit --master``, ``PYSPARK_SUBMIT_ARGS``,
    ``spark-defaults.conf`` in ``SPARK_CONF_DIR``), which is ``local[*]`` when nothing does.
    Spark's console progress bars are off and its log level is ``ERROR``: the command's output
    is the figures.

    Raises:
        HotlineError: pyspark is not installed, no Java is found, or Spark does not start
            (one line, with :data:`INSTALL_HINT`).
    """
    sql = _pyspark_sql()
    active = sql.SparkSession.getActiveSession()
    if active is None and not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise HotlineError(f"Spark cannot start: no Java found (JAVA_HOME, PATH); {INSTALL_HINT}")
    builder = sql.SparkSession.builder.appName("hotline")
    master = master or os.environ.get("SPARK_MASTER")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    try:
        with quiet():
            spark = builder.getOrCreate()
    except Exception as error:  # pyspark's errors when the JVM does not start are of any kind
        lines = str(error).strip().splitlines() or [type(error).__name__]
        # the JVM's own reason (HADOOP_CONF_DIR unset, a master not reached) is in the trace
        cause = next(
            (line for line in lines if "must be set" in line or "Exception:" in line), lines[0]
        )
        where = f"master {master}" if master else "local master"
        raise HotlineError(
            f"Spark did not start on {where} ({cause.strip()[:300]}); check SPARK_MASTER and "
            "the cluster's configuration (spark-submit, HADOOP_CONF_DIR for YARN), or run "
            "without them for a local Spark"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return wall_clock(spark)


def wall_clock(spark: SparkSession) -> SparkSession:
    """Make naive Python datetimes in the session's queries wall-clock times (module doc).

    Returns:
        ``spark``, with ``spark.sql.timestampType`` set to ``TIMESTAMP_NTZ``.
    """
    if spark.conf.get("spark.sql.timestampType", None) != "TIMESTAMP_NTZ":
        spark.conf.set("spark.sql.timestampType", "TIMESTAMP_NTZ")
    return spark


def _session(spark: SparkSession | None) -> SparkSession:
    """``spark``, else the active session, else a new one (:func:`build_session`)."""
    if spark is not None:
        return wall_clock(spark)
    active = _pyspark_sql().SparkSession.getActiveSession()
    return wall_clock(active) if active is not None else build_session()


def _partition_root(files: list[Path]) -> Path | None:
    """The folder above Hive-style partition folders (``source_kind=…/month=…``), if any.

    Spark then reads the partition values from the paths too, as DuckDB does; a column the
    files also hold keeps one value either way.
    """
    parents = {f.parent for f in files}
    roots = set()
    for parent in parents:
        while "=" in parent.name:
            parent = parent.parent
        roots.add(parent)
    if len(roots) != 1 or roots == parents:
        return None
    return roots.pop()


def spark_orders(path: str | Path | None = None, spark: SparkSession | None = None) -> DataFrame:
    """A dataset's orders as a Spark DataFrame, with its manifest, for every metric function.

    The files are those :func:`hotline.dataset.order_files` lists, read lazily by Spark; the
    manifest travels in the schema's metadata (:func:`with_manifest`), so the figures name
    their sources and speak the data's language as on pandas and DuckDB. Call ``.cache()`` on
    the result before computing several figures from it.

    Args:
        path: Dataset folder (default :func:`hotline.paths.processed_dir`).
        spark: The session to read on; default the active one, else :func:`build_session`.

    Raises:
        DatasetError: No dataset there.
        HotlineError: Spark cannot run here.

    Example:
        >>> from hotline.metrics import summary
        >>> orders = spark_orders("data/sample/processed")  # doctest: +SKIP
        >>> summary(orders, by="department", freq="month").attrs["engine"]  # doctest: +SKIP
        'spark'
    """
    manifest = read_manifest(path)
    files = order_files(path)
    session = _session(spark)
    reader = session.read
    root = _partition_root(files)
    if root is not None:
        reader = reader.option("basePath", str(root))
    with quiet():
        frame = reader.parquet(*[str(f) for f in files])
    return with_manifest(canonical(frame), manifest)


def canonical(frame: DataFrame) -> DataFrame:
    """The canonical columns, in order, in their canonical Spark types; missing ones empty.

    A Hive table's ``TIMESTAMP`` columns (instants) become wall-clock times in the session's
    time zone (``spark.sql.session.timeZone``); other columns are left out.

    Example:
        >>> canonical(spark.table("hotline.orders"))  # doctest: +SKIP
    """
    functions = _pyspark_sql().functions
    present = {field.name: field.dataType.simpleString() for field in frame.schema.fields}
    wanted = {column.name: _SPARK_TYPES[column.kind] for column in schema.COLUMNS}
    if present == wanted and list(present) == list(wanted):
        return frame  # already canonical: no projection, the plan stays the reader's
    columns = []
    for name, kind in wanted.items():
        if name not in present:
            columns.append(functions.lit(None).cast(kind).alias(name))
        elif present[name] != kind:
            columns.append(functions.col(name).cast(kind).alias(name))
        else:
            columns.append(functions.col(name))
    return frame.select(*columns)


def with_manifest(frame: DataFrame, manifest: dict[str, Any]) -> DataFrame:
    """``frame`` carrying a dataset's manifest, in the metadata of its ``order_id`` field.

    Field metadata stays with the column through filters, projections and ``cache()``, so a
    frame the user narrowed still names its sources. Use it for a frame read by other means
    (``spark.read.parquet("s3a://…")``, a Hive table) with the dataset's ``manifest.json``.

    Example:
        >>> orders = with_manifest(spark.table("hotline.orders"),  # doctest: +SKIP
        ...                        json.loads(Path("manifest.json").read_text("utf-8")))
    """
    text = json.dumps(manifest, ensure_ascii=False)
    return frame.withMetadata("order_id", {MANIFEST_KEY: text})


def manifest_of(frame: DataFrame) -> dict[str, Any]:
    """The manifest a Spark frame carries (:func:`with_manifest`); empty when none."""
    if "order_id" not in frame.columns:
        return {}
    text = frame.schema["order_id"].metadata.get(MANIFEST_KEY)
    return json.loads(text) if text else {}


def _spark_type(dtype: Any) -> str:
    """The Spark SQL type of a pandas column of a helper table."""
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "timestamp_ntz"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "bigint"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def helper_table(spark: SparkSession, data: pd.DataFrame) -> DataFrame:
    """A small pandas table (a calendar) on the session, through Arrow, in explicit types."""
    ddl = ", ".join(f"`{name}` {_spark_type(dtype)}" for name, dtype in data.dtypes.items())
    table = pa.Table.from_pandas(data, preserve_index=False)
    with quiet():
        return spark.createDataFrame(table, schema=ddl)


def collect(frame: Any) -> pd.DataFrame:
    """Run a (small, aggregated) narwhals frame on Spark and return it as pandas, via Arrow."""
    with quiet():
        table = frame.collect(backend="pyarrow").to_native()
    return table.to_pandas()
