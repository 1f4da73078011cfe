"""The ``hotline`` command line.

Every command prints bad input as one line naming the file and the problem and exits with status
2; ``--debug`` shows the traceback instead. Exit status 1 is reserved for checks that ran and
failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

if "pyarrow" not in sys.modules:
    # A command is a short batch run: let Arrow's allocator (mimalloc) keep the memory it has
    # touched instead of returning it to the system and faulting it in again, zeroed, for the
    # next column. On a virtual machine this halves the kernel time of a large ingest. Set
    # before pyarrow loads; a notebook, a long-lived process, keeps the default behaviour.
    os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "1")
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "-1")
from collections.abc import Sequence
from pathlib import Path

from hotline import paths
from hotline._version import __version__
from hotline.errors import HotlineError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
SAMPLE_FOLDER = "sample-2021"


def _parse_snapshots(values: Sequence[str]) -> dict[str, str] | str | None:
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    parsed = {}
    for value in values:
        file, sep, when = value.rpartition("=")
        if not sep or not file:
            raise HotlineError(
                f"--snapshot-at {value!r}: expected FILE=TIME, e.g. a.xlsx=2021-04-02"
            )
        parsed[file] = when
    return parsed


def _cmd_ingest(args: argparse.Namespace) -> int:
    from hotline.ingestion import ingest

    result = ingest(
        args.paths,
        out=args.out,
        kind=args.kind,
        mapping=args.mapping,
        snapshot_at=_parse_snapshots(args.snapshot_at),
        progress=False if args.quiet else None,
    )
    if args.format == "json":
        print(
            json.dumps(
                {"outputs": {k: str(v) for k, v in result.outputs.items()}, **result.manifest},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print(result.account())
        for name, path in result.outputs.items():
            print(f"已写入 {name}: {path}")
    return EXIT_OK


def _headline_rows(dataset: str | None, kind: str | None) -> list[dict]:
    from hotline import load
    from hotline.metrics import headline

    df = load(dataset)
    if kind:
        df = df[df["source_kind"].astype(object).eq(kind)]
    table = headline(df)
    return [
        {
            "source_kind": index,
            "accepted": int(row.accepted),
            "closed": int(row.closed),
            "closure_rate": row.closure_rate.value,
        }
        for index, row in table.iterrows()
    ]


def _cmd_metrics(args: argparse.Namespace) -> int:
    from hotline.metrics.rate import Rate
    from hotline.schema import SOURCE_KIND

    rows = _headline_rows(args.dataset, args.kind)
    total = rows[-1]
    if args.format == "json":
        result = {k: total[k] for k in ("accepted", "closed", "closure_rate")}
        if not args.kind:
            result["by_source_kind"] = {
                r["source_kind"]: {k: r[k] for k in ("accepted", "closed", "closure_rate")}
                for r in rows[:-1]
            }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return EXIT_OK
    shown = rows if not args.kind else rows[:-1]
    print(f"{'来源类别':<8}{'受理':>8}{'办结':>8}{'办结率':>10}")
    for row in shown:
        name = "合计" if row["source_kind"] == "total" else SOURCE_KIND.label(row["source_kind"])
        rate = Rate(row["closed"], row["accepted"]).percent()
        print(f"{name:<8}{row['accepted']:>10}{row['closed']:>10}{rate:>12}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from hotline.ingestion import ingest
    from hotline.metrics.rate import Rate
    from hotline.sample import write_sample

    raw = Path(args.raw) if args.raw else paths.raw_dir() / SAMPLE_FOLDER
    if raw.is_dir() and any(raw.iterdir()):
        print(f"样例原始数据已存在，直接使用：{raw}")
    else:
        written = write_sample(raw)
        print(f"已生成样例原始数据 {len(written)} 个文件：{raw}")
    result = ingest([raw], out=args.out, progress=False if args.quiet else None)
    print(result.account())
    for name, path in result.outputs.items():
        print(f"已写入 {name}: {path}")
    print("\n== 年度口径（2021 年，示例县样例数据） ==")
    labels = {"hotline": "12345 热线话务", "online": "网络投诉"}
    for row in _headline_rows(str(result.outputs["orders.parquet"]), None)[:-1]:
        rate = Rate(row["closed"], row["accepted"]).percent()
        print(
            f"{labels.get(row['source_kind'], row['source_kind'])}：受理 {row['accepted']}，"
            f"办结 {row['closed']}，办结率 {rate}"
        )
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="Reproducible metrics for 12345 hotline and online-complaint exports.",
    )
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="clean raw exports into a Parquet dataset")
    ingest.add_argument("paths", nargs="+", help="export files or folders")
    ingest.add_argument("--out", help=f"dataset folder (default: {paths.processed_dir()})")
    ingest.add_argument("--kind", choices=("auto", "hotline", "online"), default="auto")
    ingest.add_argument("--mapping", help="TOML mapping for an unknown vendor (docs/mapping.md)")
    ingest.add_argument(
        "--snapshot-at",
        action="append",
        default=[],
        metavar="FILE=TIME",
        help="when an export was taken (repeatable); TIME alone for a single file",
    )
    ingest.add_argument("--format", choices=("text", "json"), default="text")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.set_defaults(run=_cmd_ingest)

    metrics = commands.add_parser("metrics", help="headline figures of a dataset")
    metrics.add_argument("dataset", nargs="?", help="dataset folder or orders.parquet")
    metrics.add_argument("--kind", choices=("hotline", "online"))
    metrics.add_argument("--format", choices=("table", "json"), default="table")
    metrics.set_defaults(run=_cmd_metrics)

    demo = commands.add_parser("demo", help="generate the sample exports, ingest, print figures")
    demo.add_argument("--raw", help=f"sample folder (default: data/raw/{SAMPLE_FOLDER})")
    demo.add_argument("--out", help="dataset folder (default: data/processed)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(run=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except HotlineError as error:
        if args.debug:
            raise
        print(f"hotline: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:  # unreadable input or unwritable output: still one line
        if args.debug:
            raise
        where = f"{error.filename}: " if error.filename else ""
        print(f"hotline: error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("hotline: interrupted; the previous dataset is unchanged", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            raise
        print(
            f"hotline: internal error: {type(error).__name__}: {error} "
            "(re-run with --debug for the traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
