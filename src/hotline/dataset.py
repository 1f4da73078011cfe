"""The processed dataset on disk: write it atomically, load it back as a canonical DataFrame.

A dataset is a folder (default :func:`hotline.paths.processed_dir`) holding

* ``orders.parquet``: the canonical table, one row per order; its metadata embeds the manifest;
* ``manifest.json``: the same manifest, readable: inputs with sha256 and row counts, the
  account, schema and package versions, creation time;
* ``rejects.csv``: rejected rows (file, row, reason), UTF-8 with a byte-order mark for Excel;
* ``ingest_report.md``: the account in plain language.

Writing goes to a staging folder first and then renames each file into place, the Parquet file
last but one and the manifest last; an error or a kill before that leaves the previous dataset
as it was. The Parquet file carries its own manifest, so it is consistent on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hotline import paths, schema
from hotline.errors import DatasetError

__all__ = [
    "ACCOUNT_COLUMNS",
    "MANIFEST_FILE",
    "ORDERS_FILE",
    "REJECTS_FILE",
    "REPORT_FILE",
    "account_table",
    "ingest_facts",
    "load",
    "manifest_of",
    "orders_path",
    "read_manifest",
    "read_rejects",
    "write_dataset",
]

ORDERS_FILE = "orders.parquet"
MANIFEST_FILE = "manifest.json"
REJECTS_FILE = "rejects.csv"
REPORT_FILE = "ingest_report.md"
_METADATA_KEY = b"hotline.manifest"
_STATISTICS_COLUMNS = [
    c.name for c in schema.COLUMNS if c.kind in ("timestamp", "int") or c.name == "order_id"
]
_STAGING_PREFIX = ".staging-"


def orders_path(path: str | Path | None = None) -> Path:
    """The Parquet file of a dataset given as a folder, a Parquet file, or nothing (default).

    Example:
        >>> orders_path("/data/processed").as_posix()
        '/data/processed/orders.parquet'
    """
    if path is None:
        path = paths.processed_dir()
    path = Path(path)
    return path if path.suffix == ".parquet" else path / ORDERS_FILE


def write_dataset(
    out_dir: Path,
    orders: pa.Table,
    rejects: pa.Table,
    manifest: dict[str, Any],
    report: str,
) -> dict[str, Path]:
    """Write a dataset atomically into ``out_dir``.

    Args:
        out_dir: Target folder (created if needed).
        orders: Canonical table, conforming to :func:`hotline.schema.arrow_schema`.
        rejects: Rejected rows.
        manifest: Provenance and account; embedded in the Parquet metadata too.
        report: The account in Markdown.

    Returns:
        Output kind -> final path.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(_STAGING_PREFIX + "*"):
        if not _alive(stale.name.removeprefix(_STAGING_PREFIX).split("-")[0]):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed run
    staging = out_dir / f"{_STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
        metadata = dict(orders.schema.metadata or {})
        metadata[_METADATA_KEY] = manifest_text.encode("utf-8")
        pq.write_table(
            orders.replace_schema_metadata(metadata),
            staging / ORDERS_FILE,
            compression="zstd",
            row_group_size=1 << 20,
            # Min/max statistics help DuckDB skip row groups by time; on free text they would
            # only cost time and copy fragments of complaints into the file's footer.
            write_statistics=_STATISTICS_COLUMNS,
        )
        with (staging / REJECTS_FILE).open("wb") as handle:
            handle.write("\ufeff".encode())  # so that Excel opens the UTF-8 file correctly
            pacsv.write_csv(rejects, handle)
        (staging / REPORT_FILE).write_text(report, encoding="utf-8")
        (staging / MANIFEST_FILE).write_text(manifest_text + "\n", encoding="utf-8")
        final = {}
        for name in (REJECTS_FILE, REPORT_FILE, ORDERS_FILE, MANIFEST_FILE):
            (staging / name).replace(out_dir / name)
            final[name] = out_dir / name
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _alive(pid: str) -> bool:
    """Whether the process that owns a staging folder is still running (then leave it be)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def read_manifest(path: str | Path | None = None) -> dict[str, Any]:
    """The manifest embedded in a dataset's Parquet file.

    Raises:
        DatasetError: No dataset there, or it was not written by hotline.
    """
    target = orders_path(path)
    if not target.is_file():
        raise DatasetError(
            f"{target}: no dataset here; run `hotline ingest` (or `hotline demo`) first"
        )
    try:
        metadata = pq.read_schema(target).metadata or {}
    except (pa.ArrowInvalid, OSError) as error:
        raise DatasetError(f"{target}: not a readable Parquet file ({error})") from None
    if _METADATA_KEY not in metadata:
        raise DatasetError(f"{target}: not a hotline dataset (no manifest in its metadata)")
    return json.loads(metadata[_METADATA_KEY])


def load(path: str | Path | None = None) -> pd.DataFrame:
    """Load a processed dataset as the canonical DataFrame.

    Args:
        path: Dataset folder or its ``orders.parquet``; default
            :func:`hotline.paths.processed_dir`.

    Returns:
        One row per order, canonical columns and dtypes; ``df.attrs["manifest"]`` holds the
        provenance (input files, hashes, the account).

    Raises:
        DatasetError: No dataset, or one of another schema version.
    """
    manifest = read_manifest(path)
    if manifest.get("schema_version") != schema.SCHEMA_VERSION:
        raise DatasetError(
            f"{orders_path(path)}: schema version {manifest.get('schema_version')!r}, this "
            f"hotline reads {schema.SCHEMA_VERSION!r}; re-run `hotline ingest`"
        )
    table = pq.read_table(orders_path(path))
    frame = schema.conform(table.to_pandas())
    frame.attrs["manifest"] = manifest
    return frame


#: Columns of :func:`account_table`, with their Chinese headings for display.
ACCOUNT_COLUMNS = {
    "file": "文件",
    "kind": "类别",
    "snapshot_at": "快照时间",
    "rows_in": "读入",
    "written": "写入",
    "merged": "合并",
    "rejected": "拒收",
    "blank_rows": "空行",
    "unparseable": "无法识别的值",
}


def manifest_of(source: str | Path | pd.DataFrame | None = None) -> dict[str, Any]:
    """The manifest of a dataset folder, or of a DataFrame from :func:`load` (its ``attrs``).

    Example:
        >>> manifest_of(pd.DataFrame())
        {}
    """
    if isinstance(source, pd.DataFrame):
        return source.attrs.get("manifest") or {}
    return read_manifest(source)


def account_table(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The ingest account, one row per input file plus a total row: nothing lost silently.

    Every input row is written, merged (a duplicate or a later snapshot of the same order) or
    rejected, so ``rows_in == written + merged + rejected`` on every line.

    Args:
        source: A dataset folder (default :func:`hotline.paths.processed_dir`) or a DataFrame
            from :func:`load` (its manifest is in ``attrs``).

    Returns:
        Columns :data:`ACCOUNT_COLUMNS` (English names; rename with the mapping for display);
        the last row, file ``合计``, sums the others.

    Example:
        >>> frame = pd.DataFrame(); frame.attrs["manifest"] = {"inputs": [{"name": "a.csv",
        ...     "kind": "hotline", "rows_in": 5, "written": 3, "merged": {"duplicate": 1},
        ...     "rejected": {"footer": 1}, "blank_rows": 0, "unparseable": {}}]}
        >>> table = account_table(frame)
        >>> table[["file", "rows_in", "written", "merged", "rejected"]].values.tolist()
        [['a.csv', 5, 3, 1, 1], ['合计', 5, 3, 1, 1]]
    """
    manifest = manifest_of(source)
    kinds = {code: label for code, label, _ in schema.SOURCE_KIND.values}
    rows = [
        {
            "file": entry["name"],
            "kind": kinds.get(entry.get("kind", ""), entry.get("kind", "")),
            "snapshot_at": entry.get("snapshot_at"),
            "rows_in": entry.get("rows_in", 0),
            "written": entry.get("written", 0),
            "merged": sum(entry.get("merged", {}).values()),
            "rejected": sum(entry.get("rejected", {}).values()),
            "blank_rows": entry.get("blank_rows", 0),
            "unparseable": sum(
                item["count"] if isinstance(item, dict) else int(item)
                for item in entry.get("unparseable", {}).values()
            ),
        }
        for entry in manifest.get("inputs", [])
    ]
    table = pd.DataFrame(rows, columns=list(ACCOUNT_COLUMNS))
    counts = ["rows_in", "written", "merged", "rejected", "blank_rows", "unparseable"]
    table[counts] = table[counts].astype("int64")
    total = {"file": "合计", "kind": "", "snapshot_at": None, **table[counts].sum().to_dict()}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def ingest_facts(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """What the ingest counted and kept as exported: one row per file and fact.

    Facts such as a close date on a request that is not closed, a closed request without a
    close date, or a zero-duration close are not errors to fix silently; the ingest keeps the
    rows and counts them (``docs/data-dictionary.md``).

    Args:
        source: A dataset folder (default :func:`hotline.paths.processed_dir`) or a DataFrame
            from :func:`load`.

    Returns:
        Columns ``file``, ``fact``, ``count``, ``first_rows`` (source rows to look at).

    Example:
        >>> frame = pd.DataFrame(); frame.attrs["manifest"] = {"inputs": [{"name": "a.csv",
        ...     "quality": {"zero_duration": {"count": 2, "rows": [5, 9]}}}]}
        >>> ingest_facts(frame).values.tolist()
        [['a.csv', 'zero_duration', 2, [5, 9]]]
    """
    manifest = manifest_of(source)
    rows = [
        {"file": entry["name"], "fact": fact, "count": detail.get("count", 0),
         "first_rows": list(detail.get("rows", []))}
        for entry in manifest.get("inputs", [])
        for fact, detail in (entry.get("quality") or {}).items()
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["file", "fact", "count", "first_rows"])


def read_rejects(path: str | Path | None = None) -> pd.DataFrame:
    """The rows an ingest rejected: file, row, reason code, explanation (Chinese), detail.

    Args:
        path: Dataset folder; default :func:`hotline.paths.processed_dir`.

    Returns:
        One row per rejected input row (empty when nothing was rejected).
    """
    folder = orders_path(path).parent
    target = folder / REJECTS_FILE
    if not target.is_file():
        raise DatasetError(f"{target}: no rejects file; run `hotline ingest` first")
    return pd.read_csv(target, encoding="utf-8-sig", dtype=str).astype({"source_row": "Int64"})
