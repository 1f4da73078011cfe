"""Metrics at province scale: summary(month × department) on 10 million orders.

Builds a 10M-row canonical dataset (cached in benchmarks/out/), then times, each in a fresh
process, best of N interleaved runs (sql, duckdb, pandas, sql, …):

* the floor: hand-written DuckDB SQL computing the same figures (every flag of
  ``hotline.metrics.flags``, grouped by month and department) straight from the Parquet file;
* the DuckDB path: ``hotline.metrics.summary(path, by="department", freq="month")``;
* the pandas path: the same on the dataset loaded as a DataFrame (loading not timed).

The SQL's figures are checked against the library's, so the comparison is of the same work.
Targets: DuckDB path ≤ 1.5× the SQL, pandas path ≤ 4×, DuckDB path peak memory ≤ 2 GB.

Usage: ``python benchmarks/metrics.py [--rows 10000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from common import OUT, TOPICS, measure, peak_memory_mb, positive
from summary_sql import AS_OF, differences, summary_sql

TOWNS = [f"镇{i:02d}" for i in range(14)]
DEPARTMENTS = [f"县单位{i:02d}" for i in range(40)]


def build(path: Path, rows: int, seed: int = 3) -> None:
    """A canonical dataset of ``rows`` orders, written in chunks to bound memory."""
    from hotline import schema
    from hotline.ingestion.repeats import repeat_gaps

    rng = np.random.default_rng(seed)
    tables = []
    chunk = 1_000_000
    start = np.datetime64("2021-01-01T00:00:00", "us")
    for first in range(0, rows, chunk):
        n = min(chunk, rows - first)
        received = start + rng.integers(0, 365 * 86_400, n).astype("timedelta64[s]")
        direct = rng.random(n) < 0.15
        dispatched = np.where(direct, np.datetime64("NaT"), received + np.timedelta64(2, "h"))
        status = rng.choice(
            ["closed", "revisited", "in_progress", "dispatched", "invalid", "duplicate"],
            n,
            p=[0.7, 0.18, 0.05, 0.04, 0.02, 0.01],
        ).astype(object)
        status[direct] = "answered_directly"
        closing = np.isin(status, ["closed", "revisited", "answered_directly"])
        closed = np.where(
            closing,
            received + rng.lognormal(11.5, 0.9, n).astype("timedelta64[s]"),
            np.datetime64("NaT"),
        )
        satisfaction = rng.choice(
            ["satisfied", "very_satisfied", "basically_satisfied", "dissatisfied", "not_evaluated"],
            n,
            p=[0.5, 0.15, 0.15, 0.05, 0.15],
        ).astype(object)
        satisfaction[~closing] = None
        known = rng.random(n) < 0.3
        department = np.array(DEPARTMENTS, dtype=object)[rng.integers(0, 40, n)]
        department[direct] = None
        frame = pd.DataFrame(
            {
                "order_id": np.char.add("SL", np.arange(first, first + n).astype(str)),
                "source_kind": np.where(rng.random(n) < 0.03, "online", "hotline"),
                "channel": rng.choice(
                    ["phone", "web", "wechat", "app"], n, p=[0.8, 0.1, 0.05, 0.05]
                ),
                "received_at": received,
                "request_type": rng.choice(
                    ["complaint", "consultation", "help", "report", "suggestion"], n
                ),
                "topic": np.array(TOPICS, dtype=object)[rng.integers(0, len(TOPICS), n)],
                "town": np.array(TOWNS, dtype=object)[rng.integers(0, len(TOWNS), n)],
                "department": department,
                "status": status,
                "dispatched_at": dispatched,
                "signed_at": np.where(
                    known, dispatched + np.timedelta64(3, "h"), np.datetime64("NaT")
                ),
                "due_at": np.where(direct, received, dispatched) + np.timedelta64(7, "D"),
                "closed_at": closed,
                "satisfaction": satisfaction,
                "is_contacted": pd.array(
                    np.where(known, rng.random(n) < 0.95, None), dtype="boolean"
                ),
                "is_resolved": pd.array(
                    np.where(known, rng.random(n) < 0.9, None), dtype="boolean"
                ),
                "return_count": pd.array(
                    np.where(known, rng.integers(0, 2, n), None), dtype="Int32"
                ),
                "caller_key": np.char.add("K", rng.integers(0, rows // 3, n).astype(str)),
                "source_file": "benchmark.csv",
                "source_row": np.arange(first, first + n) + 2,
            }
        )
        tables.append(pa.Table.from_pandas(schema.conform(frame), preserve_index=False))
    table = pa.concat_tables(tables)
    # as the ingest does: each request's gap to the caller's previous one on the same topic
    status = pc.cast(table["status"], pa.string())
    gaps = repeat_gaps(table.set_column(table.schema.get_field_index("status"), "status", status))
    table = table.set_column(
        table.schema.get_field_index("repeat_gap_hours"), "repeat_gap_hours", gaps
    )
    pq.write_table(
        table.cast(schema.arrow_schema()), path, compression="zstd", row_group_size=1 << 20
    )


def child(task: str, path: str) -> None:
    """One measured run in this fresh process: seconds and peak memory, as JSON."""
    from hotline import metrics

    definitions = metrics.preset("default").replace(as_of=AS_OF)
    data: object = path
    if task == "pandas":
        from hotline import schema

        data = schema.conform(pq.read_table(path).to_pandas())  # what hotline.load() gives
    began = time.perf_counter()
    if task == "sql":
        import duckdb

        result = duckdb.connect().sql(summary_sql(f"read_parquet('{path}')")).df()
    else:
        result = metrics.summary(data, by="department", freq="month", definitions=definitions)
    seconds = time.perf_counter() - began
    result.to_parquet(OUT / f"result-{task}.parquet")
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb()}))


def check_same_figures() -> None:
    """The SQL computes what the library computes, group by group."""
    sql = pd.read_parquet(OUT / "result-sql.parquet")
    for task in ("duckdb", "pandas"):
        bad = differences(sql, pd.read_parquet(OUT / f"result-{task}.parquet"))
        if bad:
            raise SystemExit(f"{task}: figures differ from the SQL in {bad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=positive, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    OUT.mkdir(exist_ok=True)
    path = OUT / f"orders_{args.rows}.parquet"
    if not path.exists():
        print(f"building {path.name} …", flush=True)
        build(path, args.rows)
    print(
        f"{args.rows:,} orders, {path.stat().st_size / 1e6:.0f} MB Parquet; "
        f"summary(by month × department), best of {args.repeat} interleaved runs, "
        "each in a fresh process"
    )
    measured = measure(__file__, ["sql", "duckdb", "pandas"], path, args.repeat)
    floor, duck, pandas_path = measured["sql"], measured["duckdb"], measured["pandas"]
    check_same_figures()
    print(f"{'path':<22}{'seconds':>9}{'ratio':>8}{'target':>8}{'peak MB':>9}")
    print(
        f"{'hand-written SQL':<22}{floor['seconds']:>9.2f}{'1.00×':>8}{'':>8}"
        f"{floor['peak_mb']:>9.0f}"
    )
    for label, run, target in (
        ("hotline on DuckDB", duck, 1.5),
        ("hotline on pandas", pandas_path, 4.0),
    ):
        ratio = run["seconds"] / floor["seconds"]
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{label:<22}{run['seconds']:>9.2f}{ratio:>7.2f}×{target:>7.1f}×"
            f"{run['peak_mb']:>9.0f}  {verdict}"
        )
    print(
        f"DuckDB path peak memory {duck['peak_mb']:.0f} MB (target ≤ 2048 MB): "
        f"{'ok' if duck['peak_mb'] <= 2048 else 'MISSED'}; figures identical to the SQL's"
    )


if __name__ == "__main__":
    main()
