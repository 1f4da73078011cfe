"""Ingest speed and memory against the floor measured in the same run.

Builds a 1M-row GB18030 CSV export and a 100k-row xlsx export (cached in benchmarks/out/), then
times, each in a fresh process so that peak memory is its own:

* CSV floor: pyarrow reads the same file (same encoding) and writes Parquet, no cleaning;
* CSV ingest: ``hotline ingest FILE`` (the command, run in-process and timed from its call)
  with every step: layout, dates, ids, vocabularies, free-text scrubbing, caller
  hashes, snapshot merge, atomic Parquet write;
* xlsx floor: python-calamine's raw read of the sheet;
* xlsx ingest: ``hotline ingest`` on the workbook.

Targets (2-core machine): CSV ≤ 2.5× its floor, xlsx ≤ 1.5×, CSV peak memory ≤ 1.5 GB.

Usage: ``python benchmarks/ingest.py [--rows 1000000] [--xlsx-rows 100000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from common import ALLOCATOR, OUT, measure, peak_memory_mb
from exports import HEADER, build_csv


def build_xlsx(path: Path, rows: int, seed: int = 11) -> None:
    """A vendor-A style workbook: title row, export line, header, real Excel date cells."""
    import datetime as dt

    import xlsxwriter

    csv_twin = path.with_suffix(".src.csv")
    build_csv(csv_twin, rows, seed)
    table = pacsv.read_csv(
        csv_twin,
        read_options=pacsv.ReadOptions(encoding="gb18030"),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(HEADER, pa.string())),
    )
    csv_twin.unlink()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2022, 1, 5)})
    sheet = book.add_worksheet("工单明细")
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write(0, 0, "示例县12345热线工单明细表")
    sheet.write(1, 0, "导出时间：2022-01-05 09:00:00")
    for c, name in enumerate(HEADER):
        sheet.write(3, c, name)
    columns = [table.column(name).to_pylist() for name in HEADER]
    date_columns = {HEADER.index(h) for h in ("来电时间", "交办时间", "结案时间")}
    for r in range(rows):
        for c, column in enumerate(columns):
            value = column[r]
            if c in date_columns and r % 10:  # most dates are real date cells, some stay text
                sheet.write_datetime(4 + r, c, dt.datetime.fromisoformat(value), date_format)
            else:
                sheet.write_string(4 + r, c, value)
    book.close()


def child(task: str, path: str) -> None:
    """Run one measured task in this (fresh) process and print seconds and peak memory.

    Libraries are imported before the clock starts, on every side: the ratio compares work on
    the file, not interpreter start-up.
    """
    import contextlib
    import io

    import duckdb  # noqa: F401  (the ingest's keyed hashes and scrubbing run in DuckDB)
    import pandas  # noqa: F401
    import pyarrow.parquet as pq
    import python_calamine

    from hotline.cli import main
    from hotline.ingestion import pipeline  # noqa: F401

    os.environ.setdefault("HOTLINE_PII_KEY", "benchmark-key-not-secret")
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    began = time.perf_counter()
    if task == "csv-floor":
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="gb18030"))
        pq.write_table(table, work / "floor.parquet")
    elif task == "xlsx-floor":
        python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    elif task == "ingest":
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["ingest", path, "--out", str(work), "--quiet"]) == 0
    else:
        raise SystemExit(f"unknown task {task}")
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    OUT.mkdir(exist_ok=True)
    csv_path = OUT / f"export_{args.rows}.csv"
    xlsx_path = OUT / f"export_{args.xlsx_rows}.xlsx"
    if not csv_path.exists():
        print(f"building {csv_path.name} …", flush=True)
        build_csv(csv_path, args.rows)
    if not xlsx_path.exists():
        print(f"building {xlsx_path.name} …", flush=True)
        build_xlsx(xlsx_path, args.xlsx_rows)
    print(
        f"CSV {csv_path.stat().st_size / 1e6:.0f} MB, "
        f"xlsx {xlsx_path.stat().st_size / 1e6:.0f} MB, "
        f"best of {args.repeat} interleaved runs, each in a fresh process"
    )
    rows = []
    for label, floor_task, path, target in (
        ("CSV  (GB18030)", "csv-floor", csv_path, 2.5),
        ("xlsx", "xlsx-floor", xlsx_path, 1.5),
    ):
        measured = measure(__file__, [floor_task, "ingest"], path, args.repeat, ALLOCATOR)
        floor, ours = measured[floor_task], measured["ingest"]
        ratio = ours["seconds"] / floor["seconds"]
        rows.append((label, floor, ours, ratio, target))
    print(
        f"{'input':<16}{'floor s':>9}{'ingest s':>10}{'ratio':>8}{'target':>8}"
        f"{'floor MB':>10}{'ingest MB':>11}"
    )
    for label, floor, ours, ratio, target in rows:
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{label:<16}{floor['seconds']:>9.2f}{ours['seconds']:>10.2f}{ratio:>7.2f}×{target:>7.1f}×"
            f"{floor['peak_mb']:>10.0f}{ours['peak_mb']:>11.0f}  {verdict}"
        )
    csv_peak = rows[0][2]["peak_mb"]
    print(
        f"CSV ingest peak memory {csv_peak:.0f} MB (target ≤ 1536 MB): "
        f"{'ok' if csv_peak <= 1536 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
