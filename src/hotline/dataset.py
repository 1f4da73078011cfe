"""The processed dataset on disk: write it atomically, load it back as a canonical DataFrame.

A dataset is a folder (default :func:`hotline.paths.processed_dir`) holding

* ``orders/``: the canonical table, one row per order, as Hive-style partitions by source kind
  and month of receipt (:mod:`hotline.partitions`); each file's metadata carries the run id;
* ``manifest.json``: the manifest: inputs with sha256 and row counts, the account, schema and
  package versions, creation time;
* ``rejects.csv``: rejected rows (file, row, reason), UTF-8 with a byte-order mark for Excel;
* ``ingest_report.md``: the account in plain language.

The folder also holds ``.hotline-dataset``, the marker that makes it hotline's to replace, and
``.hotline.lock``, the lock that keeps two ingests from writing it at once.

Writing goes to a staging folder first; the files are then renamed into place as one unit
(:mod:`hotline.outputs`): an error puts the previous files back at once, a kill leaves a journal
from which the next run, or the next :func:`load`, puts them back. Every Parquet file carries
its run id; :func:`load` refuses a ``manifest.json`` of another run.

Datasets written before partitioning hold one ``orders.parquet`` (its metadata embedding the
manifest) instead of ``orders/``: they are read as they are, and the next ingest into the
folder writes the partitions in its place.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from hotline import outputs, paths, schema
from hotline.errors import DatasetError
from hotline.labels import label
from hotline.partitions import ORDERS_DIR, PartitionWriter, partition_files
from hotline.safe_text import csv_safe_table

__all__ = [
    "ACCOUNT_COLUMNS",
    "MANIFEST_FILE",
    "ORDERS_DIR",
    "ORDERS_FILE",
    "REJECTS_FILE",
    "REPORT_FILE",
    "account_table",
    "dataset_folder",
    "ingest_facts",
    "load",
    "manifest_of",
    "order_files",
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
_RUN_KEY = b"hotline.run_id"
_STATISTICS_COLUMNS = [
    c.name for c in schema.COLUMNS if c.kind in ("timestamp", "int") or c.name == "order_id"
]


def dataset_folder(path: str | Path | None = None) -> Path:
    """The folder of a dataset given as itself, its ``orders`` folder, a file, or nothing.

    Nothing is the default dataset (:func:`hotline.paths.processed_dir`).

    Example:
        >>> dataset_folder("/data/processed/orders.parquet").as_posix()
        '/data/processed'
    """
    if path is None:
        return paths.processed_dir()
    path = Path(path)
    if path.suffix == ".parquet":
        return path.parent
    return path.parent if path.name == ORDERS_DIR and path.is_dir() else path


def orders_path(path: str | Path | None = None) -> Path:
    """The single Parquet file of a dataset written before partitioning.

    :func:`order_files` reads either layout.

    Example:
        >>> orders_path("/data/processed").as_posix()
        '/data/processed/orders.parquet'
    """
    if path is None:
        path = paths.processed_dir()
    path = Path(path)
    return path if path.suffix == ".parquet" else path / ORDERS_FILE


def order_files(
    path: str | Path | None = None,
    *,
    kinds: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> list[Path]:
    """The Parquet files holding a dataset's orders, for an engine that reads them lazily.

    Every engine (pandas, DuckDB, Spark) reads the list this returns, so a dataset's layout is
    known here only: the partitions of ``orders/``, pruned by kind and year when asked, or the
    one ``orders.parquet`` of a dataset written before partitioning (never pruned).

    Args:
        path: The dataset (:func:`dataset_folder`), or one Parquet file.
        kinds: Only these source kinds.
        years: Only these years of receipt.

    Example:
        >>> [p.as_posix() for p in order_files("/data/processed/orders.parquet")]
        ['/data/processed/orders.parquet']
    """
    if path is not None and Path(path).suffix == ".parquet":
        return [Path(path)]
    folder = dataset_folder(path)
    if (folder / ORDERS_DIR).is_dir():
        return partition_files(folder / ORDERS_DIR, kinds=kinds, years=years)
    return [folder / ORDERS_FILE]


def orders_writer(folder: Path, run_id: str) -> PartitionWriter:
    """The writer of a dataset's ``orders`` folder: canonical schema, the run's id in each file."""
    arrow = schema.arrow_schema()
    metadata = {**(arrow.metadata or {}), _RUN_KEY: run_id.encode("ascii")}
    return PartitionWriter(
        folder,
        arrow.with_metadata(metadata),
        compression="zstd",
        # Min/max statistics let DuckDB and Spark skip row groups by time; on free text they
        # would only cost time and copy fragments of complaints into the footer.
        write_statistics=_STATISTICS_COLUMNS,
    )


def write_dataset(
    out_dir: Path,
    orders: pa.Table | Iterable[pa.Table],
    rejects: pa.Table,
    manifest: dict[str, Any],
    report: str,
    *,
    inputs: Sequence[str | Path] = (),
    before_commit: Callable[[], Callable[[], None] | None] | None = None,
) -> dict[str, Path]:
    """Write a dataset into ``out_dir`` as one unit (:mod:`hotline.outputs`).

    Args:
        out_dir: Target folder: new, empty, or a previous dataset (created if needed).
        orders: Canonical table, conforming to :func:`hotline.schema.arrow_schema`, or its
            parts one after another (the ingest streams them, never holding all).
        rejects: Rejected rows.
        manifest: Provenance and account, with the run's ``run_id``; embedded in the Parquet
            files' run id, which is how :func:`load` tells they belong together.
        report: The account in Markdown.
        inputs: The files read: none may lie in ``out_dir``.
        before_commit: Runs once every file is written, just before they are renamed into
            place (the ingest saves a new key there); returns how to undo it should the commit
            fail.

    Returns:
        Output kind -> final path.

    Raises:
        OutputError: ``out_dir`` is not hotline's to write, another run holds it, or a file
            cannot be written (full disk…); the previous dataset is then unchanged.
    """
    run_id = str(manifest.get("run_id") or uuid.uuid4().hex)
    manifest["run_id"] = run_id  # the manifest names the run its files carry, always
    names = (REJECTS_FILE, REPORT_FILE, ORDERS_DIR, MANIFEST_FILE)
    with outputs.write_folder(out_dir, outputs.DATASET, run_id, inputs) as staging:
        work = staging.path
        tables = [orders] if isinstance(orders, pa.Table) else orders
        with outputs.writing(work / ORDERS_DIR), orders_writer(work / ORDERS_DIR, run_id) as out:
            for table in tables:
                out.write(table)
        # every file and its rows: a part copied in, or a month deleted, is found on reading
        written = partition_files(work / ORDERS_DIR)
        parts = {_part_name(work / ORDERS_DIR, p): pq.read_metadata(p).num_rows for p in written}
        manifest.setdefault("output", {})["parts"] = parts
        manifest_text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False)
        with outputs.writing(work / REJECTS_FILE), (work / REJECTS_FILE).open("wb") as handle:
            handle.write("\ufeff".encode())  # so that Excel opens the UTF-8 file correctly
            pacsv.write_csv(csv_safe_table(rejects), handle)
        with outputs.writing(work / REPORT_FILE):
            (work / REPORT_FILE).write_text(report, encoding="utf-8")
        with outputs.writing(work / MANIFEST_FILE):
            (work / MANIFEST_FILE).write_text(manifest_text + "\n", encoding="utf-8")
        undo = before_commit() if before_commit is not None else None
        try:
            outputs.commit(staging, names)
        except BaseException:
            if undo is not None:
                undo()
            raise
    return {name: out_dir / name for name in names}


def read_manifest(path: str | Path | None = None) -> dict[str, Any]:
    """The manifest of a dataset (``manifest.json``; the Parquet file's, for the old layout).

    A commit that a kill interrupted is rolled back first (:func:`hotline.outputs.recover`).

    Raises:
        DatasetError: No dataset there, it was not written by hotline, or its
            ``manifest.json`` belongs to another run.
    """
    folder = dataset_folder(path)
    outputs.recover(folder)  # a commit a kill interrupted: the previous dataset back
    if (folder / ORDERS_DIR).is_dir() and (path is None or Path(path).suffix != ".parquet"):
        return _partitioned_manifest(folder)
    target = orders_path(path)
    if not target.is_file():
        raise DatasetError(
            f"{target}: no dataset here; run `hotline ingest` first "
            "(`hotline demo` builds the sample's in data/sample/processed)"
        )
    try:
        metadata = pq.read_schema(target).metadata or {}
    except (pa.ArrowInvalid, OSError) as error:
        raise DatasetError(f"{target}: not a readable Parquet file ({error})") from None
    if _METADATA_KEY not in metadata:
        raise DatasetError(f"{target}: not a hotline dataset (no manifest in its metadata)")
    manifest = json.loads(metadata[_METADATA_KEY])
    _same_run(target, manifest)
    return manifest


def load(
    path: str | Path | None = None,
    *,
    kinds: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Load a processed dataset as the canonical DataFrame.

    Args:
        path: Dataset folder; default :func:`hotline.paths.processed_dir`.
        kinds: Only orders of these source kinds (``["hotline"]``): the other partitions are
            not read.
        years: Only orders received in these years (``[2021]``), likewise.

    Returns:
        One row per order, canonical columns and dtypes; ``df.attrs["manifest"]`` holds the
        provenance (input files, hashes, the account).

    Raises:
        DatasetError: No dataset, or one of another schema version.
    """
    manifest = read_manifest(path)
    if manifest.get("schema_version") != schema.SCHEMA_VERSION:
        raise DatasetError(
            f"{dataset_folder(path)}: schema version {manifest.get('schema_version')!r}, this "
            f"hotline reads {schema.SCHEMA_VERSION!r}; re-run `hotline ingest`"
        )
    _check_selection(kinds, years)
    files = order_files(path, kinds=kinds, years=years)
    arrow = schema.arrow_schema()
    tables = [pq.read_table(f).replace_schema_metadata(arrow.metadata) for f in files]
    table = pa.concat_tables(tables) if tables else arrow.empty_table()
    if kinds is not None or years is not None:  # an old single-file dataset is filtered here
        table = _only(table, kinds, years)
    frame = schema.conform(table.to_pandas())
    frame.attrs["manifest"] = manifest
    return frame


def _partitioned_manifest(folder: Path) -> dict[str, Any]:
    """``manifest.json``, checked against the run id in every file of ``orders/``."""
    listed = folder / MANIFEST_FILE
    try:
        manifest = json.loads(listed.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DatasetError(
            f"{listed}: missing or unreadable ({error}); re-run hotline ingest"
        ) from None
    if not isinstance(manifest, dict) or "run_id" not in manifest:
        raise DatasetError(f"{listed}: not a hotline manifest; re-run hotline ingest")
    parts = manifest.get("output", {}).get("parts")
    found = partition_files(folder / ORDERS_DIR)
    if isinstance(parts, dict):
        names = {_part_name(folder / ORDERS_DIR, p) for p in found}
        odd = sorted(names ^ set(parts))
        if odd:
            what = "不在" if odd[0] in names else "缺少"
            raise DatasetError(
                f"{folder / ORDERS_DIR}: {what} {MANIFEST_FILE} 所列的分区文件 {odd[0]}"
                f"{f' 等 {len(odd)} 个' if len(odd) > 1 else ''}；文件被另行改动或复制过，"
                "请重新运行 hotline ingest"
            )
    for part in found:
        try:
            metadata = pq.read_metadata(part)
            run = (metadata.metadata or {}).get(_RUN_KEY, b"").decode("ascii")
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as error:
            raise DatasetError(f"{part}: not a readable Parquet file ({error})") from None
        name = _part_name(folder / ORDERS_DIR, part)
        if isinstance(parts, dict) and parts.get(name) != metadata.num_rows:
            raise DatasetError(
                f"{part}: {metadata.num_rows} 行，{MANIFEST_FILE} 记为 {parts.get(name)} 行；"
                "文件被另行改动过，请重新运行 hotline ingest"
            )
        if run != manifest["run_id"]:
            raise DatasetError(
                f"{listed}: 属于另一次导入（run {manifest['run_id']}），与 "
                f"{part.relative_to(folder).as_posix()}（run {run or '未知'}）不符；文件被另行"
                "改动或复制过，请重新运行 hotline ingest"
            )
    return manifest


def _part_name(orders: Path, part: Path) -> str:
    return part.relative_to(orders).as_posix()


def _same_run(target: Path, manifest: dict[str, Any]) -> None:
    """``manifest.json`` beside the Parquet file must be the one written with it."""
    listed = target.parent / MANIFEST_FILE
    if target.name != ORDERS_FILE or not listed.is_file():
        return
    try:
        beside = json.loads(listed.read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError, AttributeError):
        beside = "unreadable"
    if beside != manifest.get("run_id"):
        raise DatasetError(
            f"{listed}: 属于另一次导入（run {beside}），与 {ORDERS_FILE}（run "
            f"{manifest.get('run_id')}）不符；文件被另行改动或复制过，请重新运行 hotline ingest"
        )


#: Columns of :func:`account_table`, with their Chinese headings for display (the label
#: catalogue's ``account.*`` words).
ACCOUNT_COLUMNS = {
    column: label(f"account.{column}")
    for column in (
        "file",
        "kind",
        "snapshot_at",
        "rows_in",
        "written",
        "merged",
        "rejected",
        "blank_rows",
        "unparseable",
    )
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
    total = {
        "file": label("total"),
        "kind": "",
        "snapshot_at": None,
        **table[counts].sum().to_dict(),
    }
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
        >>> frame.attrs["manifest"]["inputs"][0]["quality"] = {
        ...     "closed_before_created": {"count": 1, "rows": [3]}}  # an older dataset's name
        >>> ingest_facts(frame)["fact"].tolist()
        ['closed_before_received']
    """
    # hotline.ingestion imports this module: its facts are imported when needed
    from hotline.ingestion.facts import read_facts

    manifest = manifest_of(source)
    # read_facts renames a rule's former code (closed_before_created in older manifests)
    rows = [
        {"file": entry["name"], "fact": fact.code, "count": fact.count,
         "first_rows": list(fact.rows)}
        for entry in manifest.get("inputs", [])
        for fact in read_facts(entry)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["file", "fact", "count", "first_rows"])


def read_rejects(path: str | Path | None = None) -> pd.DataFrame:
    """The rows an ingest rejected: file, row, reason code, explanation (Chinese), detail.

    Args:
        path: Dataset folder; default :func:`hotline.paths.processed_dir`.

    Returns:
        One row per rejected input row (empty when nothing was rejected).
    """
    target = dataset_folder(path) / REJECTS_FILE
    if not target.is_file():
        raise DatasetError(f"{target}: no rejects file; run `hotline ingest` first")
    return pd.read_csv(target, encoding="utf-8-sig", dtype=str).astype({"source_row": "Int64"})


def _check_selection(kinds: Sequence[str] | None, years: Sequence[int] | None) -> None:
    """``kinds`` are source-kind codes and ``years`` whole years, each given as a list."""
    codes = schema.SOURCE_KIND.codes
    if kinds is not None and (isinstance(kinds, str) or not all(k in codes for k in kinds)):
        listed = ", ".join(codes)
        raise DatasetError(f"kinds={kinds!r}: give a list of source kind codes ({listed})")
    if years is not None and (
        isinstance(years, int | str)
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    ):
        raise DatasetError(f"years={years!r}: give a list of whole years, e.g. [2021]")


def _only(table: pa.Table, kinds: Sequence[str] | None, years: Sequence[int] | None) -> pa.Table:
    keep = pa.array([True] * table.num_rows, pa.bool_())
    if kinds is not None:
        kind = pc.cast(table.column("source_kind"), pa.string())
        keep = pc.and_(keep, pc.is_in(kind, pa.array(list(kinds), pa.string())))
    if years is not None:
        year = pc.year(table.column("received_at"))
        keep = pc.and_(keep, pc.is_in(year, pa.array([int(y) for y in years], pa.int64())))
    return table.filter(pc.fill_null(keep, False))
