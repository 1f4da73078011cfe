"""A generated province-sized dataset: canonical orders, partitioned as the ingest writes them.

:func:`build_dataset` streams chunks of a few million orders, made column by column from numpy
draws (no Python loop over rows), through ``hotline.dataset.write_dataset``: the same
``orders/source_kind=…/month=…`` partitions, manifest and atomic commit as an ingest, in memory
bounded by one chunk. A year of receipts with a winter peak, about 60 units and 30 towns of
uneven size, closings and satisfaction in the proportions of a county's sample, a deadline of 7
or 15 days by type, and callers who call again (each chunk has its own callers, so that the
repeat gaps computed per chunk are those of the whole).

Free-text columns (title, content, reply) are left empty: no metric reads them, and Parquet
never reads a column a query does not name.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common import TOPICS
from exports import DEPARTMENTS, TOWNS

#: Towns (乡镇/街道) and units (承办单位) of a province-sized county group.
PLACES = [*TOWNS, *(f"{name}街道" for name in "东城 西城 南关 北关 新华 和平 胜利 解放".split())]
PLACES += [f"{name}乡" for name in "石门 柳河 青山 黄土 杨树 红旗 太平 永安".split()]
UNITS = [*DEPARTMENTS, *(f"{place}人民政府" for place in PLACES), "县国网供电公司", "县燃气公司"]
UNITS += ["县联通公司", "县移动公司", "县邮政公司"]

_STATUSES = ["closed", "revisited", "in_progress", "dispatched", "invalid", "duplicate"]
_SATISFACTION = ["satisfied", "very_satisfied", "basically_satisfied", "dissatisfied"]
_SATISFACTION += ["not_evaluated"]
#: Requests per month, January first: heating in winter, a quiet spring festival.
_SEASON = np.array([1.25, 0.85, 1.0, 0.95, 0.95, 1.0, 1.1, 1.1, 0.95, 0.9, 1.2, 1.35])


def _zipf(count: int, skew: float = 0.8) -> np.ndarray:
    """Weights of ``count`` names, the first the busiest, as units and towns are."""
    weights = 1 / np.arange(1, count + 1) ** skew
    return weights / weights.sum()


def _codes(values: list[str], codes: np.ndarray) -> pa.DictionaryArray:
    """A dictionary column (the schema's type for enumerations) of ``values[codes]``."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int8()), pa.array(values))


def _names(values: list[str], codes: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """A string column of ``values[codes]``, null where ``missing``."""
    indices = pa.array(codes, pa.int32(), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, pa.array(values)).cast(pa.string())


def _times(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """A ``timestamp[us]`` column of datetime64 values, null where ``missing``."""
    return pa.array(values.astype("datetime64[us]"), pa.timestamp("us"), mask=missing)


def _maybe(values: np.ndarray, known: np.ndarray, kind: pa.DataType) -> pa.Array:
    return pa.array(values, kind, mask=~known)


def orders_chunk(rng: np.random.Generator, first: int, rows: int) -> pa.Table:
    """``rows`` canonical orders numbered from ``first``, received in 2021."""
    from hotline import schema
    from hotline.ingestion.repeats import repeat_gaps

    month = rng.choice(12, rows, p=_SEASON / _SEASON.sum())
    month_start = np.arange("2021-01", "2022-02", dtype="datetime64[M]").astype("datetime64[s]")
    length = (month_start[1:] - month_start[:-1]).astype(np.int64)
    received = month_start[month] + (rng.random(rows) * length[month]).astype("timedelta64[s]")
    online = rng.random(rows) < 0.03
    direct = ~online & (rng.random(rows) < 0.15)
    status = rng.choice(len(_STATUSES), rows, p=[0.7, 0.18, 0.05, 0.04, 0.02, 0.01])
    status_values = [*_STATUSES, "answered_directly"]
    status[direct] = len(_STATUSES)
    closing = np.isin(status, [0, 1, len(_STATUSES)])
    dispatched = received + rng.integers(600, 6 * 3600, rows).astype("timedelta64[s]")
    request_type = rng.choice(5, rows, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    days = np.where(request_type <= 1, 15, 7).astype("timedelta64[D]")  # complaints, reports
    closed = received + rng.lognormal(11.5, 0.9, rows).astype("timedelta64[s]")
    known = rng.random(rows) < 0.3
    satisfaction = rng.choice(len(_SATISFACTION), rows, p=[0.5, 0.15, 0.15, 0.05, 0.15])
    revisited = status == 1
    callers = first + rng.integers(0, max(rows // 3, 1), rows)  # this chunk's own callers
    kinds = ["hotline", "online"]
    files = [f"工单导出_2021年{m + 1:02d}月.csv" for m in range(12)]
    files += [f"网络诉求_2021年{m + 1:02d}月.csv" for m in range(12)]
    columns = {
        "order_id": pc.binary_join_element_wise(
            "SL", pc.cast(pa.array(np.arange(first, first + rows)), pa.string()), ""
        ),
        "source_kind": _codes(kinds, online.astype(np.int8)),
        "channel": _codes(
            ["phone", "web", "wechat", "app"], rng.choice(4, rows, p=[0.8, 0.1, 0.05, 0.05])
        ),
        "received_at": _times(received),
        "request_type": _codes(
            ["complaint", "report", "consultation", "help", "suggestion"], request_type
        ),
        "topic": _names(TOPICS, rng.choice(len(TOPICS), rows, p=_zipf(len(TOPICS), 0.5))),
        "town": _names(PLACES, rng.choice(len(PLACES), rows, p=_zipf(len(PLACES)))),
        "department": _names(UNITS, rng.choice(len(UNITS), rows, p=_zipf(len(UNITS))), direct),
        "status": _codes(status_values, status),
        "dispatched_at": _times(dispatched, direct),
        "signed_at": _times(
            dispatched + rng.integers(600, 36 * 3600, rows).astype("timedelta64[s]"),
            direct | ~known,
        ),
        "due_at": _times(np.where(direct, received, dispatched) + days),
        "closed_at": _times(closed, ~closing),
        "revisited_at": _times(closed + np.timedelta64(2, "D"), ~revisited),
        "satisfaction": pa.DictionaryArray.from_arrays(
            pa.array(satisfaction, pa.int8(), mask=~closing), pa.array(_SATISFACTION)
        ),
        "is_contacted": _maybe(rng.random(rows) < 0.95, known, pa.bool_()),
        "is_resolved": _maybe(rng.random(rows) < 0.9, known, pa.bool_()),
        "is_extended": _maybe(rng.random(rows) < 0.05, known & ~direct, pa.bool_()),
        "return_count": _maybe(rng.integers(0, 2, rows), known & ~direct, pa.int32()),
        "caller_key": pc.binary_join_element_wise("K", pc.cast(pa.array(callers), pa.string()), ""),
        "source_file": _names(files, month + 12 * online),
        "source_row": pa.array(np.arange(first, first + rows) % 1_000_000 + 2, pa.int32()),
        "snapshot_at": _times(month_start[month + 1]),
    }
    arrow = schema.arrow_schema()
    table = pa.table(
        [columns[f.name] if f.name in columns else pa.nulls(rows, f.type) for f in arrow],
        schema=arrow.remove_metadata(),
    )
    # as the ingest does: each request's gap to the caller's previous one on the same topic
    keyed = table.select(["order_id", "caller_key", "topic", "received_at"])
    keyed = keyed.append_column("status", pc.cast(table["status"], pa.string()))
    gaps = repeat_gaps(keyed)
    return table.set_column(arrow.get_field_index("repeat_gap_hours"), "repeat_gap_hours", gaps)


def _chunks(rows: int, chunk: int, seed: int) -> Iterator[pa.Table]:
    """The chunks, each made in a thread while the previous one is written (two cores)."""

    def make(index: int, first: int) -> pa.Table:
        print(f"  orders {first:,}–{min(first + chunk, rows):,}", file=sys.stderr, flush=True)
        return orders_chunk(np.random.default_rng([seed, index]), first, min(chunk, rows - first))

    with ThreadPoolExecutor(max_workers=1) as maker:
        pending = None
        for index, first in enumerate(range(0, rows, chunk)):
            following = maker.submit(make, index, first)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def build_dataset(folder: Path, rows: int, chunk: int = 4_000_000, seed: int = 5) -> None:
    """Write a dataset of ``rows`` generated orders into ``folder`` (atomically)."""
    from hotline import __version__, dataset, schema

    inputs = [
        {
            "name": f"{prefix}_2021年{m:02d}月.csv",
            "kind": kind,
            "role": "orders",
            "calendar": "cn",
            "timezone": "Asia/Shanghai",
            "snapshot_at": f"{2021 + m // 12}-{m % 12 + 1:02d}-01 00:00:00",
        }
        for kind, prefix in (("hotline", "工单导出"), ("online", "网络诉求"))
        for m in range(1, 13)
    ]
    manifest = {
        "schema_version": schema.SCHEMA_VERSION,
        "hotline_version": __version__,
        "created_at": dt.datetime.now().isoformat(sep=" ", timespec="seconds"),
        "run_id": uuid.uuid4().hex,
        "timezone": "Asia/Shanghai",
        "language": "zh",
        "inputs": inputs,
        "totals": {"rows_in": rows, "written": rows, "merged": {}, "rejected": {}},
        "generated": f"benchmarks/canonical.py, seed {seed}",
    }
    rejects = pa.table(
        {name: pa.array([], pa.string()) for name in ("source_file", "source_row", "reason")}
    )
    report = f"# 数据导入记录\n\n基准测试生成的 {rows} 条工单（非真实数据）。\n"
    dataset.write_dataset(folder, _chunks(rows, chunk, seed), rejects, manifest, report)
