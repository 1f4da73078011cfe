"""Province scale: ingest, incremental re-ingest and metrics, each against a floor in the same run.

1. **Ingest** of 1M, 3M and 10M rows spread over 12 monthly GB18030 CSV snapshots that overlap
   by 10% (``exports.monthly_exports``): ``hotline ingest DIR --out OUT --quiet`` against the
   floor, pyarrow reading the same 12 files (transcoding GB18030) and writing Parquet. Targets:
   time per million rows within 1.3× of the smallest size's (linear), peak memory ≤ 2 GB at
   every size, ingest ≤ 2.5× the floor.
2. **Incremental**: after the 12-month ingest, a 13th month is added to the folder and the
   ingest re-run into the same dataset, against ingesting that file alone into a new folder
   (target ≤ 1.5×).
3. **Metrics** on a generated partitioned dataset of 100M orders (``canonical.build_dataset``):
   ``hotline.metrics.summary(path, by="department", freq="month")`` against hand-written DuckDB
   SQL for the same figures (≤ 1.5×, DuckDB peak ≤ 4 GB), and the same on Spark ``local[2]``,
   ``summary(spark_df, …)`` against hand-written Spark SQL (≤ 1.5×); the figures of all four
   must be identical.

Every timed run is a fresh process, libraries imported before the clock starts; the tasks of a
comparison take turns (floor, ours, floor, ours…) and the best run of each counts. Peak memory
is each run's own (its processes', the JVM included for Spark). Generated data is cached in
``benchmarks/out/scale/`` (git-ignored); a run stops a child that takes more memory than
``--memory-cap-mb``, so that a miss cannot starve a shared machine.

Usage: ``python benchmarks/scale.py [--sizes 1000000,3000000,10000000]
[--metrics-rows 100000000] [--repeat 2] [--repeat-large 1] [--skip-spark] [--quick]
[--only ingest|incremental|metrics]``
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import ALLOCATOR, OUT, ingest_allocator, measure, peak_memory_mb, positive

SCALE = OUT / "scale"
WORK = SCALE / "work"
#: Bump when the generators change, so that cached data is built again.
GENERATION = "v1"
ENV = {**ALLOCATOR, "HOTLINE_PII_KEY": "benchmark-key-not-secret"}
QUICK_SIZES, QUICK_METRICS_ROWS = [100_000, 300_000], 5_000_000
#: Targets of issue #14.
LINEAR, INGEST_PEAK_MB, INGEST_RATIO, INCREMENTAL_RATIO = 1.3, 2048, 2.5, 1.5
METRICS_RATIO, DUCKDB_PEAK_MB = 1.5, 4096
#: Ingests of this many rows or more, and Spark, run --repeat-large times: they take minutes.
LARGE = 5_000_000


def say(message: str) -> None:
    """Progress, on stderr: the figures alone go to stdout."""
    print(f"[scale] {message}", file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# ---------------------------------------------------------------- data, cached in SCALE


def exports_for(rows: int) -> dict[str, Any]:
    """The monthly exports of ``rows`` rows: ``year`` (12 files) and ``next`` (the 13th)."""
    from exports import monthly_exports

    folder = SCALE / f"exports-{GENERATION}-{rows}"
    done = folder / "done.json"
    if not done.is_file():
        say(f"generating {rows:,} rows of monthly exports in {folder.name} …")
        shutil.rmtree(folder, ignore_errors=True)
        began = time.perf_counter()
        made = monthly_exports(folder / "all", rows)
        for name, chosen in (("year", made.files[:12]), ("next", made.files[12:])):
            (folder / name).mkdir()
            for path in chosen:
                (folder / name / path.name).hardlink_to(path)
        about = {
            "rows": sum(made.rows[:12]),
            "next_rows": made.rows[12],
            "repeats": sum(made.repeats[:12]),
            "seconds": time.perf_counter() - began,
        }
        done.write_text(json.dumps(about))
    about = json.loads(done.read_text())
    about["year"] = folder / "year"
    about["next"] = next((folder / "next").iterdir())
    about["mb"] = sum(p.stat().st_size for p in (folder / "year").iterdir()) / 1e6
    return about


def dataset_for(rows: int) -> Path:
    """The generated partitioned dataset of ``rows`` orders."""
    from canonical import build_dataset

    folder = SCALE / f"orders-{GENERATION}-{rows}"
    done = SCALE / f"{folder.name}.json"  # beside it: the dataset folder is hotline's
    if not done.is_file():
        say(f"generating a dataset of {rows:,} orders in {folder.name} …")
        shutil.rmtree(folder, ignore_errors=True)
        began = time.perf_counter()
        build_dataset(folder, rows)
        done.write_text(json.dumps({"seconds": time.perf_counter() - began}))
    return folder


def disk_mb(path: Path) -> float:
    """Bytes under ``path`` (each hard-linked file once), in MB."""
    seen: set[int] = set()
    total = 0
    for item in path.rglob("*"):
        if item.is_file():
            status = item.stat()
            if status.st_ino not in seen:
                seen.add(status.st_ino)
                total += status.st_size
    return total / 1e6


# ---------------------------------------------------------------- children (fresh processes)


def ingest_env(exports: Path) -> dict[str, str]:
    """The children's environment for an ingest of ``exports`` (its allocator: common.py)."""
    return {"HOTLINE_PII_KEY": ENV["HOTLINE_PII_KEY"], **ingest_allocator(exports)}


def child(task: str, arguments: list[str]) -> None:
    """Run one measured task in this fresh process; print its seconds and peak memory as JSON."""
    import duckdb  # noqa: F401  (libraries load before the clock on every side)
    import pandas  # noqa: F401
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from hotline.cli import main
    from hotline.ingestion import pipeline  # noqa: F401

    extra: dict[str, Any] = {}

    def ingest(source: str, out: Path) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["ingest", source, "--out", str(out), "--quiet"]) == 0

    if task in ("floor", "ingest"):
        source, out = arguments[0], Path(arguments[1])
        shutil.rmtree(out, ignore_errors=True)
        began = time.perf_counter()
        if task == "floor":
            out.mkdir(parents=True)
            for path in sorted(Path(source).iterdir()):
                table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="gb18030"))
                pq.write_table(table, out / f"{path.stem}.parquet")
        else:
            ingest(source, out)
        seconds = time.perf_counter() - began
        extra = {} if task == "floor" else _account(out)
    elif task in ("single", "incremental"):
        # arguments: the folder with 13 months, its 13th file, the 12-month dataset, an output
        folder, new_file, pristine, out = (Path(a) for a in arguments)
        shutil.rmtree(out, ignore_errors=True)
        if task == "incremental":  # the dataset as the 12-month ingest left it
            shutil.copytree(pristine, out, symlinks=True)
        began = time.perf_counter()
        ingest(str(new_file if task == "single" else folder), out)
        seconds = time.perf_counter() - began
        extra = _account(out)
    elif task in ("sql", "duckdb", "spark-sql", "spark"):
        dataset, results = Path(arguments[0]), Path(arguments[1])
        seconds, extra = _metrics_child(task, dataset, results / f"result-{task}.parquet")
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb(), **extra}))


def _account(out: Path) -> dict[str, Any]:
    """What the ingest's account says: rows in and merged, and whether it balances."""
    totals = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["totals"]
    return {
        "rows_in": totals["rows_in"],
        "merged": sum(totals["merged"].values()),
        "balanced": totals["balanced"],
    }


def _metrics_child(task: str, dataset: Path, result: Path) -> tuple[float, dict[str, Any]]:
    """``summary(month × department)`` by the library or by hand, on DuckDB or Spark."""
    from hotline import metrics
    from hotline.dataset import order_files
    from summary_sql import AS_OF, summary_sql

    definitions = metrics.preset("default").replace(as_of=AS_OF)
    extra: dict[str, Any] = {}
    if task in ("sql", "duckdb"):
        import duckdb

        began = time.perf_counter()
        if task == "sql":
            files = str(dataset / "orders" / "*" / "*" / "*.parquet")
            relation = f"read_parquet('{files}', hive_partitioning = false)"
            frame = duckdb.connect().sql(summary_sql(relation)).df()
        else:
            frame = metrics.summary(dataset, by="department", freq="month", definitions=definitions)
        seconds = time.perf_counter() - began
    else:
        spark = spark_session()
        began = time.perf_counter()
        if task == "spark-sql":
            spark.read.parquet(*[str(f) for f in order_files(dataset)]).createOrReplaceTempView(
                "orders"
            )
            frame = spark.sql(summary_sql("orders", "spark")).toArrow().to_pandas()
        else:
            orders = metrics.spark_orders(dataset, spark)  # type: ignore[attr-defined]
            frame = metrics.summary(orders, by="department", freq="month", definitions=definitions)
        seconds = time.perf_counter() - began
        extra["jvm_peak_mb"] = _jvm_peak_mb(spark)
        spark.stop()
    frame.to_parquet(result)
    return seconds, extra


def spark_session() -> Any:
    """A Spark session on two local cores, quiet, the same for both Spark paths."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("hotline-scale-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _jvm_peak_mb(spark: Any) -> float:
    """The Spark JVM's peak resident memory (it is a process of its own)."""
    from common import status_mb

    try:
        pid = spark.sparkContext._gateway.proc.pid
    except AttributeError:  # a session this process did not launch
        return 0.0
    return status_mb(Path(f"/proc/{pid}/status"), "VmHWM:")


def spark_missing() -> str | None:
    """Why the Spark path cannot be measured here, or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark not installed (the spark extra)"
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        return "no Java found"
    import hotline.metrics

    if not hasattr(hotline.metrics, "spark_orders"):
        return "Spark engine not available"
    return None


# ---------------------------------------------------------------- the three parts


class Run:
    """The measuring settings of one benchmark run, and what it found."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.repeat: int = args.repeat
        self.repeat_large: int = args.repeat_large
        self.cap: float = args.memory_cap_mb
        self.seconds: dict[str, float] = {}
        self.mismatch = False

    def measure(
        self,
        tasks: list[str],
        arguments: list[str],
        name: str,
        large: bool = False,
        env: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Best run of each task, over :attr:`repeat` rounds (:attr:`repeat_large` if large)."""
        rounds = self.repeat_large if large else self.repeat
        return measure(
            __file__, tasks, arguments, rounds, env or ENV, memory_cap_mb=self.cap, progress=name
        )

    def timed(self, part: str, work: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        try:
            return work()
        finally:
            self.seconds[part] = self.seconds.get(part, 0.0) + time.perf_counter() - began


#: The ingest table's columns and their widths.
INGEST_COLUMNS = {
    "rows": 12, "runs": 5, "CSV MB": 8, "floor s": 9, "ingest s": 10, "rows/s": 10,
    "s per M": 9, "vs first": 9, "ratio": 8, "floor MB": 10, "ingest MB": 11,
}  # fmt: skip


def row(widths: dict[str, int], cells: dict[str, str]) -> str:
    """One line of a table: each cell right-aligned in its column."""
    return "".join(f"{cells[name]:>{width}}" for name, width in widths.items())


def peak(run: dict[str, Any]) -> str:
    """Peak memory, or how far a stopped run had got."""
    return f"> {run['peak_mb']:.0f}" if run.get("stopped") else f"{run['peak_mb']:.0f}"


def seconds(run: dict[str, Any]) -> str:
    return "stopped" if run.get("stopped") else f"{run['seconds']:.2f}"


def number(value: float, spec: str, unit: str = "") -> str:
    """``value`` formatted, or a dash when a stopped run left it unknown (infinite, zero)."""
    return f"{value:{spec}}{unit}" if math.isfinite(value) and value > 0 else "—"


def ingest_part(run: Run, sizes: list[int]) -> None:
    rows_of = {
        size: run.timed("generating exports", lambda s=size: exports_for(s)) for size in sizes
    }
    print(
        "Ingest: 12 monthly GB18030 CSV snapshots (17 columns), each repeating 10% of the "
        "previous month's orders with a later status; best of the interleaved runs, each in a "
        "fresh process. Floor: pyarrow reads the same files and writes Parquet."
    )
    print(row(INGEST_COLUMNS, {name: name for name in INGEST_COLUMNS}))
    found: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    for size in sizes:
        about = rows_of[size]
        out = WORK / f"ingest-{size}"
        measured = run.timed(
            "ingest",
            lambda a=about, o=out, s=size: run.measure(
                ["floor", "ingest"],
                [str(a["year"]), str(o)],
                f"ingest {s:,}",
                s >= LARGE,
                ingest_env(a["year"]),
            ),
        )
        floor, ours = measured["floor"], measured["ingest"]
        shutil.rmtree(out, ignore_errors=True)
        found[size] = (floor, ours)
        rows = about["rows"]
        per_million = ours["seconds"] / rows * 1e6
        first = found[sizes[0]][1]["seconds"] / rows_of[sizes[0]]["rows"] * 1e6
        cells = {
            "rows": f"{rows:,}",
            "runs": str(run.repeat_large if size >= LARGE else run.repeat),
            "CSV MB": f"{about['mb']:.0f}",
            "floor s": f"{floor['seconds']:.2f}",
            "ingest s": seconds(ours),
            "rows/s": number(rows / ours["seconds"], ",.0f"),
            "s per M": number(per_million, ".2f"),
            "vs first": number(per_million / first, ".2f", "×"),
            "ratio": number(ours["seconds"] / floor["seconds"], ".2f", "×"),
            "floor MB": peak(floor),
            "ingest MB": peak(ours),
        }
        print(row(INGEST_COLUMNS, cells))
        if not ours.get("stopped"):
            expected = (about["rows"], about["repeats"], True)
            if (ours["rows_in"], ours["merged"], ours["balanced"]) != expected:
                run.mismatch = True
                print(
                    f"!!! MISMATCH: the account says rows in {ours['rows_in']}, merged "
                    f"{ours['merged']}, balanced {ours['balanced']}; generated {expected}"
                )
    first_size = sizes[0]
    first = found[first_size][1]["seconds"] / rows_of[first_size]["rows"]
    for size in sizes:
        floor, ours = found[size]
        label = f"{size:,} rows"
        if size != first_size:
            slope = ours["seconds"] / rows_of[size]["rows"] / first
            print(
                f"  {label}: time per million rows {number(slope, '.2f', '×')} the "
                f"{first_size:,}-row figure (target ≤ {LINEAR}×) {verdict(slope <= LINEAR)}"
            )
        if ours.get("stopped"):
            print(
                f"  {label}: stopped, its processes held more than {run.cap:.0f} MB "
                "(--memory-cap-mb)"
            )
        ratio = ours["seconds"] / floor["seconds"]
        print(
            f"  {label}: ingest {number(ratio, '.2f', '×')} the floor (target ≤ {INGEST_RATIO}×) "
            f"{verdict(ratio <= INGEST_RATIO)}; peak {peak(ours)} MB "
            f"(target ≤ {INGEST_PEAK_MB} MB) "
            f"{verdict(not ours.get('stopped') and ours['peak_mb'] <= INGEST_PEAK_MB)}"
        )


def incremental_part(run: Run, size: int) -> None:
    about = run.timed("generating exports", lambda: exports_for(size))
    folder = WORK / f"incremental-{size}"
    pristine, out = WORK / "pristine", WORK / "incremental-out"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in about["year"].iterdir():
        (folder / path.name).hardlink_to(path)

    def setup() -> None:
        say(f"incremental: ingesting the 12 months of {size:,} rows once (not timed) …")
        command = [sys.executable, __file__, "--child", "ingest", str(folder), str(pristine)]
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, **ENV})
        (folder / about["next"].name).hardlink_to(about["next"])

    run.timed("incremental", setup)
    measured = run.timed(
        "incremental",
        lambda: run.measure(
            ["single", "incremental"],
            [str(folder), str(about["next"]), str(pristine), str(out)],
            f"incremental {size:,}",
        ),
    )
    for path in (folder, pristine, out):
        shutil.rmtree(path, ignore_errors=True)
    single, again = measured["single"], measured["incremental"]
    ratio = again["seconds"] / single["seconds"] if not single.get("stopped") else math.inf
    print(
        f"Incremental: a 13th month ({about['next_rows']:,} rows) added to the folder of the "
        f"{size:,}-row year and `hotline ingest` run again into its dataset, against ingesting "
        f"that file alone into a new folder; best of {run.repeat}."
    )
    print(f"{'run':<44}{'seconds':>9}{'peak MB':>9}")
    print(f"{'the 13th month alone, new folder':<44}{seconds(single):>9}{peak(single):>9}")
    print(f"{'12 months + the 13th, into the dataset':<44}{seconds(again):>9}{peak(again):>9}")
    print(
        f"  re-ingest {number(ratio, '.2f', '×')} the file alone (target ≤ {INCREMENTAL_RATIO}×) "
        f"{verdict(ratio <= INCREMENTAL_RATIO)}"
    )
    if not again.get("stopped"):
        expected = about["rows"] + about["next_rows"]
        if again["rows_in"] != expected or not again["balanced"]:
            run.mismatch = True
            print(
                f"!!! MISMATCH: the re-run's account reads {again['rows_in']} rows, not {expected}"
            )


def metrics_part(run: Run, rows: int, skip_spark: bool) -> None:
    folder = run.timed("generating the dataset", lambda: dataset_for(rows))
    from hotline.dataset import order_files

    files = order_files(folder)
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"Metrics: summary(month × department) on {rows:,} orders, a partitioned dataset of "
        f"{len(files)} Parquet files ({size_mb:,.0f} MB); best of {run.repeat} interleaved "
        f"runs on DuckDB, {run.repeat_large} on Spark, each in a fresh process."
    )
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("result-*.parquet"):  # a stopped run must not leave an old answer
        stale.unlink()
    duck = run.timed(
        "metrics on DuckDB",
        lambda: run.measure(["sql", "duckdb"], [str(folder), str(WORK)], "metrics on DuckDB"),
    )
    missing = "skipped (--skip-spark)" if skip_spark else spark_missing()
    spark: dict[str, Any] = {}
    if missing is None:
        try:
            spark = run.timed(
                "metrics on Spark",
                lambda: run.measure(
                    ["spark-sql", "spark"], [str(folder), str(WORK)], "metrics on Spark", True
                ),
            )
        except subprocess.CalledProcessError as error:
            last = (error.stderr or "").strip().splitlines()[-1:] or ["?"]
            missing = f"failed ({last[0]})"
    print(f"{'path':<34}{'seconds':>9}{'ratio':>8}{'target':>8}{'peak MB':>9}")
    rows_out = [
        ("hand-written DuckDB SQL", duck["sql"], None),
        ("hotline on DuckDB", duck["duckdb"], duck["sql"]),
    ]
    if spark:
        rows_out += [
            ("hand-written Spark SQL, local[2]", spark["spark-sql"], None),
            ("hotline on Spark, local[2]", spark["spark"], spark["spark-sql"]),
        ]
    for label, found, floor in rows_out:
        memory = found["peak_mb"] + found.get("jvm_peak_mb", 0.0)
        if floor is None:
            print(f"{label:<34}{seconds(found):>9}{'1.00×':>8}{'':>8}{memory:>9.0f}")
            continue
        ratio = found["seconds"] / floor["seconds"]
        print(
            f"{label:<34}{seconds(found):>9}{ratio:>7.2f}×{METRICS_RATIO:>7.1f}×{memory:>9.0f}"
            f"  {verdict(ratio <= METRICS_RATIO)}"
        )
    duck_peak = duck["duckdb"]["peak_mb"]
    print(
        f"  hotline on DuckDB peak {duck_peak:.0f} MB (target ≤ {DUCKDB_PEAK_MB} MB) "
        f"{verdict(duck_peak <= DUCKDB_PEAK_MB)}"
        + ("; Spark peaks are the Python process and the JVM together" if spark else "")
    )
    if not spark:
        print(f"  Spark: not measured: {missing}")
    _check_figures(run, {task: WORK / f"result-{task}.parquet" for task in (*duck, *spark)})


def _check_figures(run: Run, results: dict[str, Path]) -> None:
    """Every path's figures against the hand-written DuckDB SQL's, flag by flag."""
    import pandas as pd

    from summary_sql import differences

    names = {
        "sql": "hand-written DuckDB SQL",
        "duckdb": "hotline on DuckDB",
        "spark-sql": "hand-written Spark SQL",
        "spark": "hotline on Spark",
    }
    reference = pd.read_parquet(results["sql"])
    same = True
    for task, path in results.items():
        if task == "sql" or not path.is_file():  # a stopped run wrote nothing
            continue
        bad = differences(reference, pd.read_parquet(path))
        if bad:
            same, run.mismatch = False, True
            print(f"!!! MISMATCH: {names[task]} differs from the hand-written DuckDB SQL in {bad}")
    if same:
        compared = [names[t] for t, path in results.items() if path.is_file()]
        print("  figures identical across " + ", ".join(compared))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--sizes",
        default="1000000,3000000,10000000",
        help="rows of the ingest runs, comma-separated (the first is the linearity reference)",
    )
    parser.add_argument("--metrics-rows", type=int, default=100_000_000)
    parser.add_argument(
        "--incremental-rows", type=int, help="the year the 13th month joins (default: first size)"
    )
    parser.add_argument(
        "--repeat", type=positive, help="runs of each task (default 2, 1 with --quick)"
    )
    parser.add_argument(
        "--repeat-large",
        type=int,
        default=1,
        help=f"runs of ingests of {LARGE:,} rows or more and of Spark (default 1)",
    )
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 100k and 300k rows, 5M orders"
    )
    parser.add_argument(
        "--memory-cap-mb",
        type=float,
        default=8192,
        help="stop a run whose processes hold more (default 8192; the targets are far below)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=["ingest", "incremental", "metrics"],
        help="run this part only (repeatable; default all three)",
    )
    parser.add_argument("--child", nargs="+", metavar="TASK", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes, args.metrics_rows = QUICK_SIZES, QUICK_METRICS_ROWS
    if args.repeat is None:
        args.repeat = 1 if args.quick else 2
    run = Run(args)
    began = time.perf_counter()
    parts = args.only or ["ingest", "incremental", "metrics"]
    if "ingest" in parts:
        ingest_part(run, sizes)
        print()
    if "incremental" in parts:
        incremental_part(run, args.incremental_rows or sizes[0])
        print()
    if "metrics" in parts:
        metrics_part(run, args.metrics_rows, args.skip_spark)
        print()
    shutil.rmtree(WORK, ignore_errors=True)
    total = time.perf_counter() - began
    spent = ", ".join(f"{part} {minutes / 60:.1f}" for part, minutes in run.seconds.items())
    print(f"Total {total / 60:.1f} min ({spent}); benchmarks/out holds {disk_mb(OUT):,.0f} MB")
    if run.mismatch:
        raise SystemExit("MISMATCH: see above")


if __name__ == "__main__":
    main()
