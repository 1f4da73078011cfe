"""A dataset's orders on disk: Hive-style partitions, one folder per source kind and month.

``orders/source_kind=hotline/month=2021-03/part-00000.parquet``: any engine that knows Hive
partitioning (DuckDB, Spark, pyarrow, Hive itself) can prune by kind or month from the paths
alone, and hotline picks the files itself (:func:`partition_files`) so that every engine reads
the same list. Each file keeps every canonical column, ``source_kind`` included, so one file
copied out of the folder is still a whole table; ``month`` is only in the path (the month of
``received_at``, or ``__HIVE_DEFAULT_PARTITION__``, Hive's word for a missing value, for an order
without one).

A partition's file grows by row groups while the ingest streams its rows
(:class:`PartitionWriter`), so no partition is ever held in memory whole.

Example:
    >>> import datetime as dt, tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "orders"
    >>> table = pa.table({"source_kind": ["hotline", "online", "hotline"],
    ...                   "received_at": [dt.datetime(2021, 1, 5), dt.datetime(2021, 1, 9),
    ...                                   dt.datetime(2021, 2, 1)]})
    >>> with PartitionWriter(folder, table.schema) as writer:
    ...     writer.write(table)
    >>> for path in partition_files(folder):
    ...     print(path.relative_to(folder).as_posix())
    source_kind=hotline/month=2021-01/part-00000.parquet
    source_kind=hotline/month=2021-02/part-00000.parquet
    source_kind=online/month=2021-01/part-00000.parquet
    >>> [p.parent.name for p in partition_files(folder, kinds=["hotline"], years=[2021])]
    ['month=2021-01', 'month=2021-02']
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "NO_MONTH",
    "ORDERS_DIR",
    "PartitionGroups",
    "PartitionWriter",
    "partition_files",
    "partition_groups",
]

ORDERS_DIR = "orders"
#: Hive's partition value for a missing key.
NO_MONTH = "__HIVE_DEFAULT_PARTITION__"
_PART = re.compile(r"source_kind=([a-z0-9_]+)/month=(\d{4}-\d{2}|" + NO_MONTH + r")$")
_EMPTY = "part-empty.parquet"
#: Partitions gathered and encoded at once (pyarrow releases the GIL for both).
_THREADS = min(4, os.cpu_count() or 1)


class PartitionWriter:
    """Append tables to a partitioned folder; each partition is one Parquet file.

    Args:
        folder: The ``orders`` folder to create (it must not exist yet: the dataset writes it
            in its staging folder).
        schema: The files' schema (with its metadata).
        **options: Passed to :class:`pyarrow.parquet.ParquetWriter` (compression, statistics).
    """

    def __init__(self, folder: Path, schema: pa.Schema, **options: Any) -> None:
        self.folder = folder
        self.schema = schema
        self.options = options
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        folder.mkdir(parents=True)

    def __enter__(self) -> PartitionWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, table: pa.Table) -> None:
        """Append ``table``'s rows to their partitions, keeping their order within each."""
        if table.num_rows == 0:
            return
        groups = partition_groups(table)
        if groups.in_order:  # already grouped (a streamed range): slices, no copy
            for partition, (start, end) in zip(groups.partitions, groups.bounds, strict=True):
                self._writer(partition).write_table(
                    table.slice(start, end - start).cast(self.schema)
                )
            return
        # A take from a table of many chunks (a CSV read gives hundreds) costs several times a
        # take from one; partitions are gathered and encoded one each per core, and each
        # gathered partition is freed once written rather than the whole table copied at once.
        whole = table.combine_chunks()
        jobs = [
            (self._writer(partition), groups.order[start:end])
            for partition, (start, end) in zip(groups.partitions, groups.bounds, strict=True)
        ]

        def write_one(job: tuple[pq.ParquetWriter, np.ndarray]) -> None:
            writer, rows = job
            writer.write_table(whole.take(pa.array(rows)).cast(self.schema))

        with ThreadPoolExecutor(min(len(jobs), _THREADS)) as pool:
            list(pool.map(write_one, jobs))

    def _writer(self, partition: tuple[str, str]) -> pq.ParquetWriter:
        writer = self._writers.get(partition)
        if writer is None:
            kind, month = partition
            where = self.folder / f"source_kind={kind}" / f"month={month}"
            where.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(where / "part-00000.parquet", self.schema, **self.options)
            self._writers[partition] = writer
        return writer

    def close(self) -> None:
        """Finish every file; a folder given no rows gets one empty file carrying the schema."""
        for writer in self._writers.values():
            writer.close()
        if not self._writers and self.folder.is_dir() and not any(self.folder.iterdir()):
            pq.write_table(self.schema.empty_table(), self.folder / _EMPTY, **self.options)
        self._writers.clear()


@dataclass(frozen=True)
class PartitionGroups:
    """The rows of a table grouped by partition, order kept within each.

    Attributes:
        order: Row positions, partition after partition (a stable sort by kind and month).
        partitions: Each group's ``(source kind, month)``, in kind and month order.
        bounds: Each group's ``(start, end)`` in ``order``.
        in_order: Whether the rows are grouped already (``order`` is ``0, 1, 2…``).
    """

    order: np.ndarray
    partitions: list[tuple[str, str]]
    bounds: list[tuple[int, int]]
    in_order: bool


def partition_groups(table: pa.Table) -> PartitionGroups:
    """Which rows of ``table`` go to which partition (it needs ``source_kind``, ``received_at``).

    Example:
        >>> import datetime as dt
        >>> table = pa.table({"source_kind": ["online", "hotline", "hotline"],
        ...                   "received_at": [dt.datetime(2021, 1, 1), None,
        ...                                   dt.datetime(2021, 1, 2)]})
        >>> groups = partition_groups(table)
        >>> groups.order.tolist(), groups.in_order
        ([1, 2, 0], False)
        >>> groups.partitions  # a missing month first, as its code is 0
        [('hotline', '__HIVE_DEFAULT_PARTITION__'), ('hotline', '2021-01'), ('online', '2021-01')]
    """
    if table.num_rows == 0:
        return PartitionGroups(np.zeros(0, np.int64), [], [], True)
    kinds = pc.dictionary_encode(pc.cast(table.column("source_kind"), pa.string()).combine_chunks())
    kind_values = kinds.dictionary.to_pylist()
    kind_codes = kinds.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    month_values, month_codes = _months(table.column("received_at"))
    # one integer per (kind, month), in kind then month order: a stable sort groups the rows
    kind_rank = np.argsort(np.argsort(kind_values)) if kind_values else np.zeros(0, np.int64)
    key = kind_rank[kind_codes] * len(month_values) + month_codes
    in_order = bool(np.all(key[1:] >= key[:-1]))
    order = np.arange(len(key)) if in_order else np.argsort(key, kind="stable")
    cuts = [0, *(np.flatnonzero(np.diff(key[order])) + 1).tolist(), len(key)]
    bounds = list(itertools.pairwise(cuts))
    partitions = [
        (str(kind_values[kind_codes[order[start]]]), month_values[month_codes[order[start]]])
        for start, _ in bounds
    ]
    return PartitionGroups(order, partitions, bounds, in_order)


def _months(received: pa.ChunkedArray | pa.Array) -> tuple[list[str], np.ndarray]:
    """The months present (``YYYY-MM``, :data:`NO_MONTH` for no time) and each row's."""
    stamps = pc.cast(received, pa.timestamp("us"))
    year = pc.fill_null(pc.year(stamps), 0).to_numpy(zero_copy_only=False)
    month = pc.fill_null(pc.month(stamps), 0).to_numpy(zero_copy_only=False)
    codes = year.astype(np.int64) * 100 + month
    values, inverse = np.unique(codes, return_inverse=True)
    names = [NO_MONTH if v == 0 else f"{v // 100:04d}-{v % 100:02d}" for v in values]
    return names, inverse.astype(np.int64)


def partition_files(
    folder: Path,
    *,
    kinds: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> list[Path]:
    """The Parquet files of a partitioned ``orders`` folder, pruned by kind and year.

    Files that are not hotline's partitions (another name, another depth) are not read.

    Args:
        folder: The ``orders`` folder.
        kinds: Only these source kinds (``hotline``, ``online``, ``311``).
        years: Only orders received in these years (orders without a time are in none).

    Returns:
        The files, in kind and month order; the empty file of an empty dataset if that is all.
    """
    wanted_kinds = None if kinds is None else set(kinds)
    wanted_years = None if years is None else {f"{int(y):04d}" for y in years}
    found = []
    for path in sorted(folder.glob("source_kind=*/month=*/*.parquet")):
        match = _PART.search(path.parent.relative_to(folder).as_posix())
        if match is None or path.name.startswith("."):
            continue
        kind, month = match.groups()
        if wanted_kinds is not None and kind not in wanted_kinds:
            continue
        if wanted_years is not None and month[:4] not in wanted_years:
            continue
        found.append(path)
    if not found and (folder / _EMPTY).is_file():
        return [folder / _EMPTY]
    return found
