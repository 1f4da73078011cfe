"""Converted rows on disk, read back in key ranges: the merge of an ingest bigger than memory.

An ingest that holds more rows than its memory allows (``memory_limit``, default 2 GB) writes
each converted file to a staged Parquet part as soon as it is converted, sorted by order id in
small row groups, and keeps only the file's account in memory. The merge then runs range by
range: the order ids are cut into ranges of about :attr:`Spill.rows_per_range` rows (from
every part's sorted ids), and each range is read back from every part (row groups outside it
are skipped by their statistics) and merged with the in-memory merge, which sees every copy
of each of its ids. Ranges follow the order of the ids, so the account's first-rows examples
come out as the in-memory merge gives them, and the result is the same row for row.

Example:
    >>> import tempfile
    >>> spill = Spill(Path(tempfile.mkdtemp()), memory_limit=400 * BYTES_PER_ROW)
    >>> ids = [f"{i:04d}" for i in range(1000, 0, -1)]
    >>> part = spill.parts[0] = spill.stage(0, pa.table({"order_id": ids, "_order": range(1000)}))
    >>> [(r.low, r.high) for r in spill.ranges()]
    [(None, '0257'), ('0257', '0513'), ('0513', None)]
    >>> [spill.read(part, r).num_rows for r in spill.ranges()]
    [256, 256, 488]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hotline import rules
from hotline.partitions import partition_groups

__all__ = [
    "BYTES_PER_ROW",
    "DEFAULT_MEMORY_LIMIT",
    "HELD_BYTES_PER_ROW",
    "KeyRange",
    "Spill",
    "StagedPart",
    "canonical_ranges",
    "keep_merged",
    "range_of",
]

#: What the ingest may hold by default: a province's year streams through it.
DEFAULT_MEMORY_LIMIT = 2 << 30
#: Memory one row costs through a merge range (its columns, sort keys, the copies the merge
#: takes), measured on benchmarks/scale.py's 17-column exports: at 3M and 10M rows with the
#: 2 GB default, ranges of this size peaked at 1.6 and 1.9 GB.
BYTES_PER_ROW = 3_000
#: Memory one converted row costs while held for the in-memory merge: an ingest holding more
#: rows than ``memory_limit // HELD_BYTES_PER_ROW`` goes through disk. Lower than a range's
#: cost: one export of unique ids (the usual large ingest) is merged without a sort or copy.
HELD_BYTES_PER_ROW = 2_000
#: Rows per row group of a staged part: small enough that a range reads little beyond itself.
_ROW_GROUP = 1 << 16
#: Every how many sorted ids one is kept to cut the ranges.
_SAMPLE_EVERY = 256
_US_PER_HOUR = 3_600_000_000


@dataclass(frozen=True)
class StagedPart:
    """One converted file's rows on disk.

    Attributes:
        path: The Parquet part, sorted by ``order_id`` then ``_order``.
        rows: How many rows it holds.
        schema: Its columns (the table's, as converted).
        samples: Every 256th of its sorted order ids, to cut the merge ranges by.
    """

    path: Path
    rows: int
    schema: pa.Schema
    samples: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyRange:
    """Order ids ``low <= id < high`` (``None``: unbounded on that side)."""

    low: str | None
    high: str | None


class Spill:
    """Staged parts of one ingest, in a folder that the ingest removes when it ends.

    Args:
        folder: An empty folder for the parts.
        memory_limit: Bytes the ingest may hold; sets the rows of a merge range.
    """

    def __init__(self, folder: Path, memory_limit: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.folder = folder
        self.memory_limit = memory_limit
        self.rows_per_range = max(1, memory_limit // BYTES_PER_ROW)
        #: Converted rows the ingest may hold before it stages them all to disk.
        self.rows_held = max(1, memory_limit // HELD_BYTES_PER_ROW)
        #: Staged part of each converted export, by its index among the inputs.
        self.parts: dict[int, StagedPart] = {}
        #: The merged rows of each range, in range order.
        self.merged: list[Path] = []
        self.rows = 0

    def stage(self, index: int, table: pa.Table) -> StagedPart:
        """Write one file's converted rows, sorted by id, and remember a sample of its ids."""
        keys = [("order_id", "ascending"), ("_order", "ascending")]
        order = pc.sort_indices(table, sort_keys=keys)
        path = self.folder / f"part-{index:05d}.parquet"
        # row group by row group: a sorted copy of the whole table would double its memory
        with pq.ParquetWriter(
            path,
            table.schema,
            compression="lz4",
            # pyarrow annotates bool, but documents and accepts a list of columns too
            write_statistics=["order_id"],  # pyright: ignore[reportArgumentType]
        ) as writer:
            for begin in range(0, table.num_rows, _ROW_GROUP):
                writer.write_table(table.take(order.slice(begin, _ROW_GROUP)))
        picks = pc.take(order, pa.array(np.arange(0, table.num_rows, _SAMPLE_EVERY)))
        samples = tuple(v for v in pc.take(table.column("order_id"), picks).to_pylist() if v)
        self.rows += table.num_rows
        return StagedPart(path, table.num_rows, table.schema, samples)

    def ranges(self) -> list[KeyRange]:
        """Ranges of ids, each of about :attr:`rows_per_range` rows of all parts together."""
        samples = sorted({s for part in self.parts.values() for s in part.samples})
        pieces = -(-self.rows // self.rows_per_range)
        if pieces <= 1 or not samples:
            return [KeyRange(None, None)]
        step = len(samples) / pieces
        cuts = sorted({samples[int(i * step)] for i in range(1, pieces)})
        bounds: list[str | None] = [None, *cuts, None]
        return [KeyRange(low, high) for low, high in itertools.pairwise(bounds)]

    def read(self, part: StagedPart, where: KeyRange) -> pa.Table:
        """The rows of ``part`` whose id lies in ``where``, in the part's order."""
        filters = []
        if where.low is not None:
            filters.append(("order_id", ">=", where.low))
        if where.high is not None:
            filters.append(("order_id", "<", where.high))
        table = pq.read_table(part.path, filters=filters or None, schema=part.schema)
        return table.combine_chunks() if table.num_rows else part.schema.empty_table()


def keep_merged(spill: Spill, number: int, table: pa.Table) -> None:
    """Write one range's merged rows, grouped by partition, numbered for the repeat gaps.

    Grouped row group by row group as they are written (no sorted copy of the range), so
    that the dataset's write streams them into the partitions without gathering them again.
    """
    order = partition_groups(table).order
    path = spill.folder / f"merged-{number:05d}.parquet"
    schema = table.schema.append(pa.field("_range", pa.int32())).append(
        pa.field("_row", pa.int64())
    )
    with pq.ParquetWriter(path, schema, compression="lz4") as writer:
        for begin in range(0, table.num_rows, _ROW_GROUP):
            group = table.take(pa.array(order[begin : begin + _ROW_GROUP]))
            n = group.num_rows
            group = group.append_column("_range", pa.array(np.full(n, number, np.int32)))
            rows = np.arange(begin, begin + n, dtype=np.int64)
            writer.write_table(group.append_column("_row", pa.array(rows)))
    spill.merged.append(path)


def canonical_ranges(spill: Spill, canonical: Callable[[pa.Table], pa.Table]) -> Iterator[pa.Table]:
    """The merged rows back from disk with their repeat gaps, as canonical tables.

    A row group at a time (ranges in order, rows grouped by partition within each), so the
    write holds one row group, not a range.
    """
    gaps = _repeat_gaps(spill)
    for number, path in enumerate(spill.merged):
        merged = pq.ParquetFile(path)
        hours = np.full(merged.metadata.num_rows, np.nan)
        if gaps is not None:
            found = pq.read_table(gaps, filters=[("_range", "=", number)])
            rows = found.column("_row").to_numpy()
            hours[rows] = pc.fill_null(found.column("gap"), np.nan).to_numpy()
        begin = 0
        for index in range(merged.num_row_groups):
            table = merged.read_row_group(index).drop_columns(["_range", "_row"])
            mine = hours[begin : begin + table.num_rows]
            begin += table.num_rows
            gap = pa.array(mine, pa.float64(), mask=np.isnan(mine))
            yield canonical(table.append_column("repeat_gap_hours", gap))


def _repeat_gaps(spill: Spill) -> Path | None:
    """:func:`.repeats.repeat_gaps` over every range at once, in DuckDB within the memory limit.

    A caller's requests lie in any range (the ranges cut order ids, not callers), so the gaps
    are a window over all merged rows: DuckDB sorts them out of core, spilling to the folder.

    Returns:
        A Parquet file of ``_range``, ``_row``, ``gap`` (hours) sorted by range and row, or
        ``None`` when the rows have no caller or topic to have gaps by.
    """
    import duckdb

    columns = set().union(*(pq.read_schema(path).names for path in spill.merged))
    if not {"caller_key", "topic", "received_at", "order_id"} <= columns:
        return None
    void = ", ".join(f"'{code}'" for code in rules.VOID_STATUSES)
    accepted = f"AND (status IS NULL OR status NOT IN ({void}))" if "status" in columns else ""
    out = spill.folder / "gaps.parquet"
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": f"{max(64, spill.memory_limit // 4 >> 20)}MB",
        "temp_directory": str(spill.folder / "duckdb"),
        "preserve_insertion_order": "false",
    }
    with duckdb.connect(config=config) as connection:
        connection.execute(
            f"""
            COPY (
                SELECT _range, _row,
                       (epoch_us(received_at) - epoch_us(lag(received_at) OVER w))
                       / {_US_PER_HOUR}.0 AS gap
                FROM read_parquet(?, union_by_name = true)
                WHERE caller_key IS NOT NULL AND topic IS NOT NULL
                  AND received_at IS NOT NULL {accepted}
                WINDOW w AS (PARTITION BY caller_key, topic ORDER BY received_at, order_id)
                ORDER BY _range, _row
            ) TO '{out}' (FORMAT parquet, ROW_GROUP_SIZE {_ROW_GROUP})
            """,
            [[str(path) for path in spill.merged]],
        )
    return out


def range_of(ids: pa.ChunkedArray | pa.Array, where: KeyRange) -> pa.Array:
    """Which of ``ids`` lie in ``where`` (a mask; nulls lie in none).

    Example:
        >>> range_of(pa.array(["a", "b", None]), KeyRange("b", None)).to_pylist()
        [False, True, False]
    """
    keep = pc.is_valid(ids)
    if where.low is not None:
        keep = pc.and_(keep, pc.greater_equal(ids, where.low))
    if where.high is not None:
        keep = pc.and_(keep, pc.less(ids, where.high))
    return pc.fill_null(keep, False)
