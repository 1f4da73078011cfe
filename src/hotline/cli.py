"""The ``hotline`` command line.

Every command prints bad input as one line naming the file and the problem and exits with status
2; ``--debug`` shows the traceback instead. Exit status 1 is reserved for checks that ran and
failed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hotline import allocator, paths
from hotline._version import __version__
from hotline.errors import HotlineError
from hotline.sizes import parse_size

# A command is a short batch run: the allocator keeps the memory it touched (see
# hotline.allocator; an ingest that will stream through disk gives it back instead).
allocator.use(allocator.KEEP_MEMORY)

if TYPE_CHECKING:
    from hotline.labels import Lang
    from hotline.metrics.definitions import Definitions

__all__ = ["main"]

#: 0 done; 1 a check failed (claims); 2 bad input or a refused output; 3 a bug in hotline.
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parse_snapshots(values: Sequence[str]) -> dict[str | Path, str] | str | None:
    if not values:
        return None
    if len(values) == 1 and "=" not in values[0]:
        return values[0]
    parsed: dict[str | Path, str] = {}
    for value in values:
        file, sep, when = value.rpartition("=")
        if not sep or not file:
            raise HotlineError(
                f"--snapshot-at {value!r}: expected FILE=TIME, e.g. a.xlsx=2021-04-02"
            )
        parsed[file] = when
    return parsed


def _cmd_ingest(args: argparse.Namespace) -> int:
    memory_limit = parse_size(args.memory_limit, what="--memory-limit")
    allocator.use(
        allocator.settings_for(streams=allocator.likely_streams(args.paths, memory_limit))
    )
    from hotline.ingestion import ingest
    from hotline.ingestion.limits import DEFAULT

    result = ingest(
        args.paths,
        out=args.out,
        kind=args.kind,
        mapping=args.mapping,
        snapshot_at=_parse_snapshots(args.snapshot_at),
        progress=False if args.quiet else None,
        profile=args.profile,
        limits=DEFAULT.raised(args.limit),
        stop_on_id_collision=args.stop_on_id_collision,
        allow_sample=args.allow_sample,
        memory_limit=memory_limit,
        rebuild=args.rebuild,
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
        _print_written(result)
    return EXIT_OK


def _print_written(result: Any) -> None:
    """The files an ingest wrote, in the account's language."""
    from hotline.ingestion.report import account_language

    english = account_language(result.reports) == "en"
    for name, path in result.outputs.items():
        print(f"wrote {name}: {path}" if english else f"已写入 {name}: {path}")


def _write_or_print(text: str, out: str | None, what: str) -> None:
    if out is None:
        print(text, end="")
        return
    target = Path(out)
    if target.exists():
        raise HotlineError(f"{target}: exists; give another -o path or remove it")
    target.write_text(text, encoding="utf-8")
    print(f"wrote {what}: {target}", file=sys.stderr)


def _cmd_profile_convert(args: argparse.Namespace) -> int:
    from hotline.profiles.convert import convert_text
    from hotline.profiles.loading import (
        mapping_profile,
        parse_toml,
        profile_from_text,
        read_profile_text,
    )

    path = Path(args.mapping)
    mapping_profile(path)  # every mistake of the mapping, at its line, before converting
    text = read_profile_text(path, "mapping")
    parse_toml(text, str(path))
    converted = convert_text(text, str(path))
    target = Path(args.out) if args.out else path
    profile_from_text(converted, str(target), folder=path.parent)  # the result reads back
    _write_or_print(converted, args.out, "profile")
    return EXIT_OK


def _cmd_profile_new(args: argparse.Namespace) -> int:
    from hotline.profiles.draft import draft_profile

    name = Path(args.out).stem if args.out else None
    text = draft_profile(Path(args.export), name=name, extends=args.extends)
    _write_or_print(text, args.out, "draft profile")
    return EXIT_OK


def _cmd_profile_check(args: argparse.Namespace) -> int:
    from hotline.profiles.draft import check_export

    print(check_export(Path(args.export), args.profile), end="")
    return EXIT_OK


def _cmd_profile_list(args: argparse.Namespace) -> int:
    from hotline.profiles import builtin, builtin_names, user_profiles, user_profiles_dir

    print("name\tkind\tlanguage\torigin\tdescription")
    for profile in [*(builtin(n) for n in builtin_names()), *user_profiles()]:
        where = "built-in" if profile.origin == "built-in" else profile.origin
        print(f"{profile.name}\t{profile.kind}\t{profile.language}\t{where}\t{profile.description}")
    print(f"# user profiles folder: {user_profiles_dir()}", file=sys.stderr)
    return EXIT_OK


def _cmd_profile_show(args: argparse.Namespace) -> int:
    from hotline.profiles import find_profile
    from hotline.profiles.show import profile_text

    print(profile_text(find_profile(args.name)), end="")
    return EXIT_OK


def _headline_rows(dataset: Any, kind: str | None, **options: Any) -> list[dict]:
    from hotline.dataset import read_manifest
    from hotline.metrics import headline
    from hotline.paths import processed_dir

    data = str(processed_dir()) if dataset is None else dataset
    if isinstance(data, str):
        read_manifest(data)  # a clear error when there is no dataset
    filters: dict[str, Any] = {"source_kind": kind} if kind else {}
    table = headline(data, **options, **filters)
    return [
        {
            "source_kind": index,
            "accepted": int(row.accepted),
            "closed": row.closed,
            "closure_rate": row.closure_rate,  # the Rate the metric returned, never recomputed
        }
        for index, row in table.iterrows()
    ]


def _dataset_manifest(args: argparse.Namespace) -> dict:
    """The manifest of the dataset a command reads (a clear error when there is none)."""
    from hotline.dataset import read_manifest

    return read_manifest(getattr(args, "dataset", None) or paths.processed_dir())


def _definitions(args: argparse.Namespace):
    from hotline.ingestion.dates import parse_datetimes
    from hotline.metrics import preset, preset_for

    name = args.preset or preset_for(_dataset_manifest(args))
    definitions = preset(name)
    if args.as_of:
        import pyarrow as pa

        when = parse_datetimes(pa.array([args.as_of]))[0][0].as_py()
        if when is None:
            raise HotlineError(f"--as-of {args.as_of!r}: not a date and time")
        _as_of_within_data(args, when)
        definitions = definitions.replace(as_of=when, name=f"{definitions.name}, as of {when}")
    return definitions


def _as_of_within_data(args: argparse.Namespace, when: Any) -> None:
    """Refuse an ``--as-of`` after the data's latest time.

    The exports cannot say what happened to an order after it: every order open then would
    count as overdue by that time, a figure the data do not hold.
    """
    from hotline.metrics.definitions import resolve
    from hotline.metrics.engine import open_source
    from hotline.metrics.flags import resolve_as_of
    from hotline.metrics.summary import canonical_frame

    latest = resolve_as_of(open_source(canonical_frame(_metrics_data(args))), resolve(None))
    if when > latest:
        raise HotlineError(
            f"--as-of {args.as_of!r} is after the data's latest time ({latest:%Y-%m-%d %H:%M}): "
            "the exports cannot show what happened to an order since; give a time up to it"
        )


def _metrics_data(args: argparse.Namespace) -> Any:
    """The data the figures are computed on (``--engine``), read once for every figure.

    DuckDB reads the dataset's path lazily; pandas loads it; Spark reads it as a cached frame.
    """
    path = getattr(args, "dataset", None) or str(paths.processed_dir())
    engine = getattr(args, "engine", "duckdb")
    if engine == "duckdb":
        return path
    if getattr(args, "engine_data", None) is None:
        if engine == "pandas":
            from hotline.dataset import load

            args.engine_data = load(path)
        else:
            from hotline.metrics.spark import build_session, spark_orders

            args.engine_data = spark_orders(path, build_session()).cache()
    return args.engine_data


def _calendar(args: argparse.Namespace):
    from hotline.metrics import WorkCalendar

    return WorkCalendar.from_file(args.holidays) if args.holidays else None


def _cmd_metrics(args: argparse.Namespace) -> int:
    import pandas as pd

    from hotline.availability import reason_text
    from hotline.labels import check_lang
    from hotline.metrics.display import for_display, json_records

    definitions = _definitions(args)
    filters = {"year": args.year} if args.year else {}
    if args.by:
        return _print_breakdown(args, definitions, filters)
    manifest = _dataset_manifest(args)
    lang = check_lang(args.lang, manifest)
    rows = _headline_rows(
        _metrics_data(args), args.kind, definitions=definitions, calendar=_calendar(args), **filters
    )
    if rows[-1]["accepted"] == 0:
        _no_orders(args, filters, lang)
    # Each closure_rate cell is the Rate headline() returned: table, CSV and JSON format it.
    table = pd.DataFrame(rows)
    shown = table if not args.kind else table.iloc[:-1]  # one kind: its row is the total
    _partial_year_note(args, definitions, lang)
    if args.format == "json":
        *parts, total = json_records(table, definitions)
        result = {k: v for k, v in total.items() if k != "source_kind"}
        if not args.kind:
            result["by_source_kind"] = {
                r["source_kind"]: {k: v for k, v in r.items() if k != "source_kind"} for r in parts
            }
        _emit(args, json.dumps(result, ensure_ascii=False, indent=2) + "\n", lang)
        return EXIT_OK
    if args.format == "csv":
        _emit_csv(args, shown, definitions, lang)
        return EXIT_OK
    with pd.option_context("display.unicode.east_asian_width", True):
        text = for_display(shown, lang=lang).to_string(index=False) + "\n"
    for reason in sorted({rate.reason for rate in shown["closure_rate"]} - {None}):
        text += f"—: {reason_text(reason, 'en')}\n" if lang == "en" else f"—：{reason}\n"
    _emit(args, text, lang)
    return EXIT_OK


def _partial_year_note(args: argparse.Namespace, definitions: Definitions, lang: Lang) -> None:
    """Say so on standard error when ``--year`` names a year the data do not cover wholly.

    The figures of a partial year are not the year's: a reader comparing them with a full
    year's must know (README, "Unknown is not zero").
    """
    if not args.year:
        return
    from hotline.metrics import coverage

    filters = {"source_kind": args.kind} if args.kind else {}
    found = coverage(_metrics_data(args), year=args.year, definitions=definitions, **filters)
    found = found.iloc[0]
    if found["complete"] or found["first"] is None:
        return
    if lang == "en":
        note = (
            f"the data cover only {found['first']} to {found['last']} of {args.year}: "
            "a partial year, not the whole year's figures"
        )
    else:
        note = f"{found['text']}，{args.year}年为不完整年度，以下数字不代表全年情况"
    print(f"hotline: note: {note}", file=sys.stderr)


def _emit_csv(args: argparse.Namespace, table: Any, definitions: Definitions, lang: Lang) -> None:
    """The table as a CSV for Excel: headers in ``lang``, rates as shown, with their fractions.

    A byte-order mark goes into a file (``--out``, or standard output redirected to a file),
    where Excel needs it to read UTF-8; not into a pipe or a terminal, where the next program
    would see it as part of the first header. ``--bom``/``--no-bom`` decide otherwise.
    """
    from hotline.metrics.display import for_export
    from hotline.safe_text import excel_csv

    frame = for_export(table, definitions, lang=lang)
    bom = args.bom if args.bom is not None else args.out is not None or _stdout_is_a_file()
    _emit(args, excel_csv(frame, bom=bom), lang)


def _stdout_is_a_file() -> bool:
    """Whether standard output is redirected into a regular file (``> figures.csv``)."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError):  # no file descriptor (captured, as in tests)
        return False


#: The file name endings ``metrics --out`` may replace, by format: never a dataset's file.
_OUT_SUFFIXES = {"csv": (".csv",), "json": (".json",), "table": (".txt", ".text")}


def _emit(args: argparse.Namespace, output: str | bytes, lang: str = "zh") -> None:
    """Print ``output``, or write it to ``--out`` atomically (UTF-8; bytes as they are)."""
    data = output.encode("utf-8") if isinstance(output, str) else output
    if args.out is None:
        if isinstance(output, str):
            print(output, end="")
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    target = Path(args.out)
    if target.is_dir() or (
        target.exists() and target.suffix.lower() not in _OUT_SUFFIXES[args.format]
    ):
        raise HotlineError(
            f"{target}: exists and is not a {args.format} output; give another --out path"
        )
    _write_atomically(target, data)
    said = f"wrote {args.format}" if lang == "en" else f"已写入 {args.format}"
    print(f"{said}: {target}", file=sys.stderr)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place.

    A reader (Excel, a script) never sees half a file, and a failed write leaves the previous
    one as it was.
    """
    import tempfile

    from hotline.outputs import writing

    with writing(target):
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _no_orders(args: argparse.Namespace, filters: dict, lang: Lang) -> None:
    """Stop with what the dataset does hold, rather than print a table of zeros."""
    from hotline.metrics.coverage import received_span

    path = args.dataset or str(paths.processed_dir())
    first, last = received_span(_metrics_data(args))
    if lang == "en":
        kind = f"{args.kind} " if args.kind else ""
        year = f" in {filters['year']}" if filters.get("year") else ""
        held = f"the data cover {first} to {last}" if first else "the data hold no accepted order"
        raise HotlineError(f"{path}: no accepted {kind}orders{year}; {held}")
    asked = []
    if filters.get("year"):
        asked.append(f"{filters['year']}年")
    if args.kind:
        asked.append(f"“{args.kind}”类")
    held = f"数据覆盖 {first} 至 {last}" if first else "数据中没有受理的工单"
    raise HotlineError(f"{path}: 没有{''.join(asked)}受理的工单；{held}")


def _unnamed_line(
    table: Any,
    dimension: str,
    data: Any,
    definitions: Definitions,
    args: argparse.Namespace,
    filters: dict,
    lang: Lang,
) -> list[str]:
    """The line that splits a table's unnamed group by why (直接答复, 网络投诉, 未填写)."""
    from hotline.labels import label
    from hotline.metrics import summary
    from hotline.metrics.display import unnamed_breakdown, unnamed_cell

    if not table[dimension].isna().any():
        return []
    split = summary(
        data,
        by=[dimension, "source_kind"],
        definitions=definitions,
        calendar=_calendar(args),
        **filters,
    )
    accepted = int(split.loc[split[dimension].isna(), "accepted"].sum())
    parts = unnamed_breakdown(split, dimension, accepted, lang)
    listed = (
        "; ".join(f"{reason.lower()}: {n:,}" for reason, n in parts)
        if lang == "en"
        else "；".join(f"{reason}{n}件" for reason, n in parts)
    )
    return [
        label(
            "unnamed.breakdown",
            lang,
            unnamed=unnamed_cell(dimension, lang),
            n=f"{accepted:,}" if lang == "en" else accepted,
            parts=listed,
        )
    ]


def _print_breakdown(args: argparse.Namespace, definitions: Definitions, filters: dict) -> int:
    import pandas as pd

    from hotline.availability import reason_text
    from hotline.dataset import read_manifest
    from hotline.labels import check_lang, column_title, definitions_title
    from hotline.metrics import summary
    from hotline.metrics.display import (
        MAIN_COLUMNS,
        UNNAMED_BY_REASON,
        for_display,
        json_records,
    )
    from hotline.metrics.summary import PERIODS
    from hotline.paths import processed_dir

    path = args.dataset or str(processed_dir())
    read_manifest(path)
    names = [n.strip() for n in args.by.split(",") if n.strip()]
    freq = names.pop(0) if names and names[0] in PERIODS else None
    if args.kind:
        filters["source_kind"] = args.kind
    data = _metrics_data(args)
    table = summary(
        data, by=names, freq=freq, definitions=definitions, calendar=_calendar(args), **filters
    )
    lang = check_lang(args.lang, table.attrs)
    _partial_year_note(args, definitions, lang)
    if args.format == "json":
        records = json_records(table, definitions)
        _emit(args, json.dumps(records, ensure_ascii=False, indent=2) + "\n", lang)
        return EXIT_OK
    if args.format == "csv":
        _emit_csv(args, table, definitions, lang)
        return EXIT_OK
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.unicode.east_asian_width", True
    ):
        lines = [for_display(table, lang=lang).to_string(index=False)]
    for dimension in (n for n in names if n in UNNAMED_BY_REASON):
        lines.extend(_unnamed_line(table, dimension, data, definitions, args, filters, lang))
    for key, reason in table.attrs.get("unavailable", {}).items():
        if key in MAIN_COLUMNS:
            why = reason_text(reason, lang)
            lines.append(
                f"—: {column_title(key, lang)}: {why}"
                if lang == "en"
                else f"—：{column_title(key, lang)}，{why}"
            )
    title, name = definitions_title(definitions.name, lang), definitions.name
    if lang == "en":
        named = title if title == name else f"{title} ({name})"
        lines.append(f"\nDefinitions: {named}; as of {table.attrs['as_of']}")
    else:
        named = title if title == name else f"{title}（{name}）"
        lines.append(f"\n口径：{named}；截至 {table.attrs['as_of']}")
    _emit(args, "\n".join(lines) + "\n", lang)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from hotline.ingestion import ingest
    from hotline.labels import LABELS, label
    from hotline.sample import write_sample

    # The sample has folders of its own: `hotline ingest data/raw/` never reads it and the
    # user's dataset in data/processed/ is never overwritten by it.
    raw = Path(args.raw) if args.raw else paths.sample_raw_dir()
    out = Path(args.out) if args.out else paths.sample_processed_dir()
    if raw.is_dir() and any(raw.iterdir()):
        print(f"示例原始数据已存在，直接使用：{raw}")
    else:
        written = write_sample(raw)
        print(f"已生成示例原始数据 {len(written)} 个文件：{raw}")
    result = ingest([raw], out=out, progress=False if args.quiet else None)
    print(result.account())
    _print_written(result)
    print("\n" + label("demo.heading"))
    for row in _headline_rows(str(out), None)[:-1]:
        kind = f"demo.kind.{row['source_kind']}"
        print(
            label(
                "demo.figures",
                kind=label(kind) if kind in LABELS else row["source_kind"],
                accepted=row["accepted"],
                closed=row["closed"],
                rate=row["closure_rate"].percent(),  # the metric's Rate, never recomputed
            )
        )
    print(_demo_closing(out))
    return EXIT_OK


def _demo_closing(out: Path) -> str:
    """Where the sample dataset is, how to use it, and where a user's own data goes."""
    import shutil

    from hotline.dataset import read_manifest
    from hotline.errors import DatasetError
    from hotline.ingestion.sample_guard import LEGACY_FOLDER, dataset_sample_kind

    shown = paths.for_display
    raw, processed = shown(paths.raw_dir()), shown(paths.processed_dir())
    # the command as the user can type it: `hotline` when on PATH, else the path make used
    command = "hotline"
    if not shutil.which("hotline"):
        command = shown(Path(sys.executable).with_name("hotline"))
    lines = [
        "",
        f"示例数据集（虚构的示例县）在 {shown(out)}，与本单位数据分开存放。",
        f"查看它的指标：{command} metrics {shown(out)}",
        f"处理本单位数据：把导出文件原样放进 {raw}/，运行 {command} ingest {raw}/"
        f"（写入 {processed}/）。",
    ]
    legacy = paths.raw_dir() / LEGACY_FOLDER
    if legacy.is_dir():
        lines.append(
            f"注意：{shown(legacy)}/ 是旧版 make demo 留下的示例数据，请删除或移走，"
            f"否则 hotline ingest {raw}/ 会拒绝把它与本单位数据一起导入。"
        )
    try:
        old = dataset_sample_kind(read_manifest(paths.processed_dir())) == "sample"
    except (DatasetError, OSError):
        old = False
    if old and out.absolute() != paths.processed_dir().absolute():
        lines.append(
            f"注意：{processed}/ 里是旧版 make demo 写入的示例数据集，可以删除，"
            f"或用本单位数据重新生成（hotline ingest {raw}/）。"
        )
    return "\n".join(lines)


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from hotline.notebooks import run_notebooks

    parameters: dict[str, object] = {}
    if args.dataset:
        parameters["dataset"] = str(Path(args.dataset).resolve())
    if args.year:
        parameters["year"] = args.year
    for name in args.names or ["all"]:
        print(f"运行笔记本：{name} …", flush=True)
        for path in run_notebooks(
            None if name == "all" else [name], parameters=parameters, out=args.out, html=args.html
        ):
            print(f"已写入 {path}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from hotline.dataset import read_manifest
    from hotline.report import build_report, month_key

    month = None if args.month is None else month_key(args.month, args.year)
    year: int | None = args.year if month is None else int(month[:4])  # a bulletin's: its month's
    if year is None:
        raise HotlineError("请用 --year YYYY 指定年度报告，或用 --month YYYY-MM 指定月度通报")
    dataset = args.dataset or str(paths.processed_dir())
    read_manifest(dataset)  # a missing dataset is one clear line, before any work
    definitions = _definitions(args)
    charts: Callable[[Path], dict[str, Path]] | None = None
    if args.charts and args.month is None:
        from hotline.plotting import report_charts

        # the same metric calls as the report's facts; source_label from hotline.toml
        charts = report_charts(
            dataset, year, definitions=definitions, lang=args.lang, source_label=args.source_label
        )

    files = build_report(
        dataset,
        year,
        out=args.out,
        month=month,
        definitions=definitions,
        charts=charts,
        lang=args.lang,
        area=args.area,
    )
    print(f"Wrote {files.folder}" if files.lang == "en" else f"已写入 {files.folder}")
    for path in sorted(files.folder.rglob("*")):
        if path.is_file() and not path.name.startswith("."):  # the marker and lock are hotline's
            print(f"  {path.relative_to(files.folder)}")
    return EXIT_OK


def _cmd_check_claims(args: argparse.Namespace) -> int:
    from hotline.claims import run_check_claims

    output, code = run_check_claims(
        args.text_file,
        args.dataset,
        fmt=args.format,
        definitions=_definitions(args),
        year=args.year,
        strict=args.strict,
    )
    print(output)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="Reproducible metrics (指标) for 12345 hotline (12345热线) and "
        "online-complaint (网络投诉) exports, and for US 311 service requests. Tables are in "
        "Chinese by default and in English for 311 data (--lang to choose).",
    )
    parser.add_argument("--version", action="version", version=f"hotline {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest", help="clean raw exports (导出文件) into a Parquet dataset (数据集)"
    )
    ingest.add_argument("paths", nargs="+", help="export files or folders")
    ingest.add_argument(
        "--out",
        help="dataset folder: a new path, an empty folder or a previous hotline dataset "
        f"(default: {paths.processed_dir()})",
    )
    ingest.add_argument(
        "--kind",
        default="auto",
        metavar="KIND",
        help="only read exports of this source kind (来源类别): hotline (热线话务), online "
        "(网络投诉) or 311 (default: auto, every kind); a file of another kind is an error "
        "naming it",
    )
    ingest.add_argument(
        "--profile",
        metavar="NAME|FILE",
        help="export profile (导出配置): hotline, online, nyc311, la311, open311, a user "
        "profile or a .toml file (default: detected from the headers; docs/profiles.md)",
    )
    ingest.add_argument(
        "--mapping",
        metavar="FILE",
        help="deprecated: a mapping file, read as a profile (`hotline profile convert`)",
    )
    ingest.add_argument(
        "--snapshot-at",
        action="append",
        default=[],
        metavar="FILE=TIME",
        help="when an export was taken (快照时间; repeatable); TIME alone for a single file",
    )
    ingest.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help="raise a limit on what one file may make the ingest read (repeatable): bytes, "
        "rows, columns, cells, unzipped, ratio, field_chars, record_lines, record_chars, "
        "json_bytes, json_depth; e.g. --limit rows=5M (docs/data-dictionary.md, Input limits)",
    )
    ingest.add_argument(
        "--stop-on-id-collision",
        action="store_true",
        help="stop (exit 2) when rows sharing an order id (工单编号) are different requests "
        "(received time or caller differ) instead of keeping each as id@file "
        "(docs/data-dictionary.md)",
    )
    ingest.add_argument(
        "--memory-limit",
        default="2G",
        metavar="SIZE",
        help="memory the merge may hold (default 2G): more rows go through a temporary folder "
        "($TMPDIR) range by range, with the same result (docs/data-dictionary.md, Large inputs)",
    )
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="convert every file again instead of taking unchanged ones from the dataset's "
        "cache of its last ingest (docs/data-dictionary.md, Large inputs)",
    )
    ingest.add_argument(
        "--allow-sample",
        action="store_true",
        help="ingest the demo's fictional sample files (示例数据) together with other exports "
        "(refused without it; docs/data-dictionary.md, The demo's sample)",
    )
    ingest.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: the ingest account (数据导入记录) in the data's language; json: the manifest",
    )
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.set_defaults(run=_cmd_ingest)

    metrics = commands.add_parser(
        "metrics",
        help="figures of a dataset (指标): accepted (受理量), closed (办结量), closure rate "
        "(办结率) …, overall or by group",
        description="Figures of a dataset, overall (by source kind, 来源类别) or by group. Every "
        "rate printed is the one the metric returned, with two decimals; CSV adds its numerator "
        "and denominator, JSON gives exact values.",
        epilog="Rates (率) in a breakdown: closure rate (办结率), on-time closure rate "
        "(按时办结率), satisfaction rate (满意率); counts: accepted (受理量), closed (办结量), "
        "closed late (超时办结), open past due (超期未办结). JSON lists every declared rate.",
    )
    metrics.add_argument("dataset", nargs="?", help="dataset folder (or one of its Parquet files)")
    metrics.add_argument(
        "--kind",
        choices=("hotline", "online", "311"),
        help="only this source kind (来源类别): hotline (热线话务), online (网络投诉) or 311",
    )
    metrics.add_argument(
        "--by",
        metavar="KEYS",
        help="group by year (年份)|quarter (季度)|month (月份)|week (周)|day (日期)|department "
        "(承办单位)|agency|town (乡镇/街道)|type (诉求类型)|topic (业务分类)|channel (诉求渠道)|"
        "kind (来源类别); comma-separated to cross, e.g. month,department",
    )
    metrics.add_argument("--year", type=int, help="only orders of this year (of the period)")
    metrics.add_argument(
        "--preset",
        help="definitions (口径): default (默认口径)|beijing (北京“三率”口径)|strict (严格口径)|"
        "us311 (美国 311 口径); default: us311 for 311 data, else default",
    )
    metrics.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="language of headers and labels, in tables and CSV: zh (中文) or en (default: the "
        "data's, en for 311 data, else zh)",
    )
    metrics.add_argument(
        "--as-of", help="figures as they stood at this time (统计截止时点), e.g. 2021-12-31"
    )
    metrics.add_argument(
        "--holidays",
        metavar="CSV",
        help="holidays and make-up working days (节假日与调休, date,type) on China's official "
        "calendar, for every order (e.g. years the calendar does not cover); default: each "
        "file's calendar from its profile",
    )
    metrics.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (default); csv for Excel: UTF-8 (BOM: see --bom), headers in --lang, each "
        "rate as the table shows it (98.77%%) followed by its numerator (分子) and denominator "
        "(分母); json: exact values, with each rate's fraction and its display beside",
    )
    metrics.add_argument(
        "-o", "--out", metavar="FILE", help="write to FILE (replaced atomically), not the screen"
    )
    metrics.add_argument(
        "--engine",
        choices=("duckdb", "pandas", "spark"),
        default="duckdb",
        help="what computes the figures (the same figures on each): duckdb (default; reads the "
        "Parquet lazily), pandas (in memory), spark (Apache Spark: local[*], or SPARK_MASTER / "
        "spark-submit's configuration; needs the spark extra and Java 17+; docs/metrics.md)",
    )
    metrics.add_argument(
        "--bom",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="start a CSV with the byte-order mark Excel needs to read UTF-8 (default: yes into "
        "a file, --out or `> file.csv`; no into a pipe or the terminal)",
    )
    metrics.set_defaults(run=_cmd_metrics)

    profile = commands.add_parser(
        "profile", help="write, check and show export profiles (导出配置; docs/profiles.md)"
    )
    actions = profile.add_subparsers(dest="action", required=True)
    convert = actions.add_parser("convert", help="a mapping file (deprecated) as a profile")
    convert.add_argument("mapping", metavar="OLD.toml")
    convert.add_argument("-o", "--out", metavar="NEW.toml", help="write here (default: print)")
    convert.set_defaults(run=_cmd_profile_convert)
    new = actions.add_parser("new", help="draft a profile from an export's headers and values")
    new.add_argument("export", metavar="EXPORT")
    new.add_argument("-o", "--out", metavar="FILE", help="write here (default: print)")
    new.add_argument("--extends", metavar="NAME", help="draft only what differs from NAME")
    new.set_defaults(run=_cmd_profile_new)
    check = actions.add_parser("check", help="how an export reads through a profile")
    check.add_argument("export", metavar="EXPORT")
    check.add_argument("--profile", metavar="NAME|FILE", help="default: detected")
    check.set_defaults(run=_cmd_profile_check)
    listing = actions.add_parser("list", help="the built-in and user profiles")
    listing.set_defaults(run=_cmd_profile_list)
    show = actions.add_parser("show", help="a profile as resolved, as profile TOML")
    show.add_argument("name", metavar="NAME|FILE")
    show.set_defaults(run=_cmd_profile_show)

    demo = commands.add_parser(
        "demo",
        help="generate the fictional sample county's exports (示例数据), ingest them, print "
        "the figures",
    )
    demo.add_argument("--raw", help="sample exports folder (default: data/sample/raw)")
    demo.add_argument("--out", help="sample dataset folder (default: data/sample/processed)")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(run=_cmd_demo)

    report = commands.add_parser(
        "report",
        help="write the year's report (Markdown and Word), tables and charts, or a monthly "
        "bulletin",
    )
    report.add_argument("dataset", nargs="?", help="dataset folder (default: data/processed)")
    report.add_argument("--year", type=int, help="the year reported on (annual report)")
    report.add_argument(
        "--month", metavar="YYYY-MM", help="a monthly bulletin (月度通报) instead; --year optional"
    )
    report.add_argument(
        "--out",
        help="report folder: a new path, an empty folder or a previous report, whose other "
        "files are kept (default: reports/<year>[/<YYYY-MM>])",
    )
    report.add_argument("--preset", help="definitions: default|beijing|strict|us311")
    report.add_argument("--as-of", help="figures as they stood at this time")
    report.add_argument(
        "--no-charts", dest="charts", action="store_false", help="text and tables only"
    )
    report.add_argument(
        "--area",
        help="the area the report's title begins with, e.g. a county (示例县); default: "
        '[report] area of hotline.toml; "" for none (another dataset than the project\'s)',
    )
    report.add_argument(
        "--source-label",
        help="the data's source named in chart footnotes (XX县12345热线平台); default: "
        '[report] source_label of hotline.toml; "" to name the export files',
    )
    report.add_argument(
        "--lang",
        choices=("zh", "en"),
        help="language of report.md, report.docx, tables.xlsx and the charts: zh (中文公文) or "
        "en (default: the data's own, English for 311 exports)",
    )
    report.set_defaults(run=_cmd_report)

    claims = commands.add_parser(
        "check-claims",
        help="check the hotline figures a report text (报告文字) states against the data of "
        "its year (exit 1 if any is inconsistent, 不符)",
    )
    claims.add_argument("text_file", help="report text (UTF-8 or GB18030) or Word .docx")
    claims.add_argument("dataset", nargs="?", help="dataset folder (default: data/processed)")
    claims.add_argument("--format", choices=("text", "json"), default="text")
    claims.add_argument(
        "--preset",
        help="definitions (口径): default (默认口径)|beijing (北京“三率”口径)|strict (严格口径)",
    )
    claims.add_argument("--as-of", help="figures as they stood at this time")
    claims.add_argument(
        "--year",
        type=int,
        help="year the figures are about (default: the year the text names, else the data's "
        "latest full year)",
    )
    claims.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 also when a claim cannot be checked or the year is only partly covered",
    )
    claims.set_defaults(run=_cmd_check_claims)

    notebooks = commands.add_parser(
        "notebooks",
        help="execute the analysis notebooks (分析笔记本); executed and HTML copies in reports/",
    )
    notebooks.add_argument("names", nargs="*", help="notebook numbers, e.g. 01 05 (default all)")
    notebooks.add_argument(
        "--dataset",
        help="dataset folder (default: data/processed, else the sample's data/sample/processed)",
    )
    notebooks.add_argument("--year", type=int, help="year the notebooks report on")
    notebooks.add_argument("--out", help="output folder (default: reports/notebooks)")
    notebooks.add_argument("--no-html", dest="html", action="store_false", help="no HTML copies")
    notebooks.set_defaults(run=_cmd_notebooks)
    return parser


def _noting(show: Callable[..., None]) -> Callable[..., None]:
    """``warnings.showwarning`` that prints hotline's deprecation notes as one line."""

    def note(message: Warning | str, category: type[Warning], *rest: Any, **more: Any) -> None:
        if category.__name__ == "ProfileDeprecation":  # a mapping file, --kind nyc311
            print(f"hotline: note: {message}", file=sys.stderr)
        else:
            show(message, category, *rest, **more)

    return note


class _Terminated(KeyboardInterrupt):
    """SIGTERM, stopping the run as Ctrl-C does.

    A job scheduler, ``kill`` or a closing container sends it; raised where the run is, it
    removes the temporary folders (staged rows) and leaves the previous dataset unchanged.
    """


def _on_terminate(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    if on_main_thread and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_terminate)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", FutureWarning)
            warnings.showwarning = _noting(warnings.showwarning)
            return args.run(args)
    except HotlineError as error:
        if args.debug:
            raise
        print(f"hotline: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `hotline metrics | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # unreadable input or unwritable output: still one line
        if args.debug:
            raise
        from hotline.ingestion.privacy import safe_path

        # The path may lead through a folder named after a caller: screened like source_file.
        where = f"{safe_path(error.filename)}: " if error.filename else ""
        print(f"hotline: error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as stop:
        print("hotline: interrupted; the previous dataset is unchanged", file=sys.stderr)
        return 143 if isinstance(stop, _Terminated) else 130
    except MemoryError:
        if args.debug:
            raise
        print(
            "hotline: error: out of memory; the input is larger than this machine can hold "
            "(see --limit in docs/data-dictionary.md)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    except (Exception, BaseException) as error:  # pyo3's PanicException is a BaseException
        if args.debug or isinstance(error, SystemExit | GeneratorExit):
            raise
        # The message is left out: it may quote a cell, and cells hold personal data.
        print(
            f"hotline: internal error: {type(error).__name__} "
            "(re-run with --debug for the message and traceback, and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if signal.getsignal(signal.SIGTERM) is _on_terminate:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


if __name__ == "__main__":
    sys.exit(main())
