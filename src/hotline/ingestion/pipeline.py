"""Ingest exports end to end: convert each file, order snapshots, merge, write the dataset.

Example:
    >>> from hotline.sample import write_sample
    >>> import tempfile, pathlib
    >>> raw = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_sample(raw, orders=60, online=10)
    >>> result = ingest([raw], out=raw / "processed", progress=False)
    >>> result.totals.balanced
    True
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotline import keys, paths, schema
from hotline._version import __version__
from hotline.dataset import ORDERS_FILE, read_manifest, write_dataset
from hotline.errors import HotlineError, InputError
from hotline.ingestion import facts
from hotline.ingestion.accounting import (
    REJECT_REASONS,
    REJECTS_SCHEMA,
    FileReport,
    Totals,
    explained_in,
)
from hotline.ingestion.cache import CachedFile, PartCache, context_digest
from hotline.ingestion.convert import Converted, convert_file, file_sha256
from hotline.ingestion.dates import parse_datetimes
from hotline.ingestion.identity import caller_basis, distinct_ids, identities
from hotline.ingestion.limits import DEFAULT, Limits, parse_size
from hotline.ingestion.privacy import KeyedNames, safe_file_names
from hotline.ingestion.readers import SUFFIXES
from hotline.ingestion.repeats import repeat_gaps
from hotline.ingestion.replies import Replies, join_replies, read_replies
from hotline.ingestion.report import account_language, render_account
from hotline.ingestion.sample_guard import annotate_account, check_inputs
from hotline.ingestion.snapshots import snapshot_order
from hotline.ingestion.spill import (
    DEFAULT_MEMORY_LIMIT,
    KeyRange,
    Spill,
    canonical_ranges,
    keep_merged,
    range_of,
)
from hotline.ingestion.stages import MergeResult
from hotline.outputs import DATASET, MARKERS, check_target
from hotline.profiles import (
    Profile,
    ProfileDeprecation,
    builtin,
    builtin_names,
    find_profile,
    mapping_profile,
    user_profiles,
)
from hotline.profiles.zones import tzinfo_of

__all__ = [
    "IngestResult",
    "choose_profile",
    "expand_paths",
    "ingest",
    "read_export",
    "resolve_profiles",
    "rows_by_kind",
]

SnapshotOption = Mapping[str | Path, dt.datetime | str] | dt.datetime | str | None
ProfileOption = str | Path | Profile | None


@dataclass
class IngestResult:
    """What an ingest read, wrote and why.

    Attributes:
        reports: One account per input file, in input order.
        totals: Sums over all files.
        orders: The canonical table written (Arrow), or, for an ingest bigger than its memory,
            the merged rows streamed to the dataset (:attr:`table` is then not held).
        rejects: The rejected rows.
        outputs: Output kind -> path (empty when nothing was written).
        manifest: Provenance written with the dataset.
    """

    reports: list[FileReport]
    totals: Totals
    orders: pa.Table | SpilledOrders
    rejects: pa.Table
    outputs: dict[str, Path]
    manifest: dict[str, Any]

    @property
    def table(self) -> pa.Table:
        """The canonical table, for an ingest that held it in memory.

        Raises:
            HotlineError: The ingest streamed its rows (more than ``memory_limit`` allowed).
        """
        if isinstance(self.orders, SpilledOrders):
            raise HotlineError(
                f"the ingest streamed its {self.orders.rows} rows to the dataset without holding "
                "them; read them back with hotline.load(dataset)"
            )
        return self.orders

    def account(self) -> str:
        """The account in plain language (what the CLI prints), noting the demo's sample."""
        account = render_account(self.reports, self.totals, _by_kind(self.orders))
        english = account_language(self.reports) == "en"
        left_out = self.manifest.get("left_out")
        if left_out:
            more = (", …" if english else "等") if left_out["files"] > 5 else ""
            shown = (", " if english else "、").join(left_out["names"][:5]) + more
            if english:
                account += (
                    f"\nNote: {left_out['files']} file(s) of this dataset's last ingest were not "
                    f"given this time ({shown}); the dataset now holds only the files above. "
                    "Give every export (e.g. the whole data/raw/ folder) to keep them.\n"
                )
            else:
                account += (
                    f"\n注意：上次导入本数据集的 {left_out['files']} 个文件本次没有提供"
                    f"（{shown}），数据集现在只含上表中的文件；如需保留，"
                    "请每次导入全部导出文件（例如整个 data/raw/ 文件夹）。\n"
                )
        run = self.manifest.get("run") or {}
        if run.get("streamed"):
            limit, cached = _shown_size(run["memory_limit"]), len(run.get("from_cache", []))
            if english:
                account += (
                    f"\nThe merge went through disk (more rows than --memory-limit {limit} "
                    f"holds); {cached} file(s) taken from the last run's cache.\n"
                )
            else:
                account += (
                    f"\n本次合并经磁盘分段进行（行数超过内存上限 {limit}）；"
                    f"{cached} 个文件取自上次导入的缓存。\n"
                )
        return annotate_account(account, self.manifest)


@dataclass
class SpilledOrders:
    """The merged rows of an ingest bigger than its memory: merge ranges on disk.

    Attributes:
        spill: The staged parts and merged ranges.
        rows: How many rows.
        rows_by_kind: Rows per source kind, as :func:`rows_by_kind`.
        progress: Show the write's progress.
    """

    spill: Spill
    rows: int
    rows_by_kind: dict[str, int]
    progress: bool = False

    def tables(self) -> Iterator[pa.Table]:
        """The canonical rows, range after range, each with its repeat gaps."""
        from tqdm import tqdm

        with tqdm(
            total=self.rows, desc="write", unit="row", unit_scale=True, disable=not self.progress
        ) as bar:
            for table in canonical_ranges(self.spill, _canonical):
                yield table
                bar.update(table.num_rows)


def _shown_size(size: int) -> str:
    """A byte count as ``--memory-limit`` takes it (``2G``, ``512M``, ``40K``).

    Example:
        >>> _shown_size(2 << 30), _shown_size(3 << 29), _shown_size(120_000)
        ('2G', '1.5G', '117.2K')
    """
    for unit, scale in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + unit
    return str(size)


def _left_out(target: Path, reports: Sequence[FileReport]) -> list[str]:
    """The files of the dataset's last ingest that this run was not given (by name)."""
    try:
        previous = read_manifest(target)
    except HotlineError:  # no dataset there yet, or not one to compare with
        return []
    given = {report.name for report in reports}
    names = [entry.get("name") for entry in previous.get("inputs", [])]
    return [name for name in names if isinstance(name, str) and name not in given]


def _rows(orders: pa.Table | SpilledOrders) -> int:
    return orders.rows if isinstance(orders, SpilledOrders) else orders.num_rows


def _by_kind(orders: pa.Table | SpilledOrders) -> dict[str, int]:
    return orders.rows_by_kind if isinstance(orders, SpilledOrders) else rows_by_kind(orders)


def _encodable(text: str) -> bool:
    """Whether ``text`` is valid Unicode (a path of undecodable bytes holds surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def expand_paths(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Files to read, with the name each gets in ``source_file``.

    A folder gives its export files (recursively, in name order, skipping hidden files, Excel
    lock files ``~$…`` and README files), each named relative to the folder. A name part that
    carries personal data is replaced by a neutral label (:func:`.privacy.safe_file_names`).

    Raises:
        InputError: A path does not exist, a folder holds no export, or a file name is not
            UTF-8.
    """
    files: list[tuple[Path, str]] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            # hotline's own output, of either layout
            marks = (ORDERS_FILE, MARKERS[DATASET])
            datasets = {m.parent for n in marks for m in path.rglob(n)}
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
                and not p.name.lower().startswith("readme")
                and not any(parent in datasets for parent in p.parents)
            )
            if not found:
                kinds = ", ".join(SUFFIXES)
                raise InputError(path, f"folder holds no export ({kinds}) to ingest")
            files.extend((p, p.relative_to(path).as_posix()) for p in found)
        elif path.exists():
            files.append((path, path.name))
        else:
            raise InputError(path, "file not found")
    for path, name in files:
        if not _encodable(name):
            # Bytes that are not UTF-8 (a GBK name from a Windows zip): the name cannot be shown
            # as it is and may hold a caller's name, so only its folder is named.
            where = path.parent if _encodable(str(path.parent)) else "a folder"
            raise InputError(
                where,
                "a file name here is not UTF-8 (a GBK name from a Windows archive?); rename it, "
                "e.g. convmv -f gbk -t utf8 -r --notest FOLDER",
            )
    files = _distinct_names(files)
    # A phone or a name in a file or folder name must not reach source_file: 文件N instead.
    named = safe_file_names([name for _, name in files])
    return [(path, name) for (path, _), name in zip(files, named, strict=True)]


def _distinct_names(files: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """Give files of the same name different ``source_file`` names, by their folders.

    ``hotline ingest 2023/orders.csv 2024/orders.csv`` (or two folders holding ``orders.csv``)
    would otherwise give both files one name: their rows, rejects and working-day calendars
    could not be told apart. A repeated name takes as many of its parent folders as make it
    unique (``2023/orders.csv``); the same file given twice keeps one name.
    """
    names = [name for _, name in files]
    if len(set(names)) == len(names):
        return files

    def folders_above(path: Path, name: str) -> tuple[str, ...]:
        # The folders above the part of the path the name already shows, nearest first.
        above = path.resolve().parents[len(Path(name).parts) - 1]
        return tuple(part for part in above.parts[::-1] if part not in ("/", ""))

    out = list(files)
    for index, (path, name) in enumerate(files):
        same = [p for p, n in files if n == name and p.resolve() != path.resolve()]
        if not same:
            continue
        mine = folders_above(path, name)
        others = [folders_above(p, name) for p in same]
        depth = next(
            (d for d in range(1, len(mine) + 1) if all(o[:d] != mine[:d] for o in others)),
            len(mine),
        )
        out[index] = (path, "/".join([*reversed(mine[:depth]), name]))
    return out


def choose_profile(
    kind: str | None = None, profile: ProfileOption = None
) -> tuple[str | None, ProfileOption]:
    """What ``--kind`` and ``--profile`` ask for: a source kind to keep, and a profile to force.

    ``kind`` is a source kind (``hotline``, ``online``, ``311``) that only filters, or
    ``None``/``auto``. A profile's name given as ``kind`` (``nyc311``: the old spelling) is
    taken as ``profile``, with a deprecation note (:class:`~hotline.profiles.ProfileDeprecation`).

    Example:
        >>> choose_profile("311"), choose_profile(None, "la311"), choose_profile("auto")
        (('311', None), (None, 'la311'), (None, None))

    Raises:
        HotlineError: ``kind`` names a profile and ``profile`` another.
    """
    if kind in (None, "auto"):
        return None, profile
    if kind in schema.SOURCE_KIND.codes:
        return kind, profile
    kinds = ", ".join(schema.SOURCE_KIND.codes)
    if kind not in {*builtin_names(), *(p.name for p in user_profiles())}:
        raise HotlineError(f"--kind {kind!r} is not a source kind: expected {kinds} or auto")
    if profile is not None and _name(profile) != kind:
        raise HotlineError(f"--kind {kind!r} and --profile {_name(profile)!r} disagree; give one")
    warnings.warn(
        f"--kind {kind} names a profile: use --profile {kind} (--kind takes a source kind, "
        f"{kinds}, and only keeps files of that kind)",
        ProfileDeprecation,
        stacklevel=3,
    )
    return None, kind


def resolve_profiles(
    kind: str | None = None, mapping: str | Path | None = None, profile: ProfileOption = None
) -> list[Profile]:
    """Candidate profiles for an ingest, preferred first.

    Args:
        kind: A source kind (``hotline``, ``online``, ``311``): only profiles of that kind
            are candidates; ``None`` or ``auto``: every profile. A profile's name is the old
            spelling of ``profile`` (:func:`choose_profile`).
        mapping: A mapping file (deprecated, ``docs/mapping.md``), read as the profile with
            ``extends`` it means (:mod:`hotline.profiles.convert`), with a deprecation note.
        profile: A profile to force: a built-in or user profile name, a profile file's path,
            or a :class:`~hotline.profiles.Profile`.

    Returns:
        One profile when forced; else the user profiles (:func:`~hotline.profiles.user_profiles`)
        then the built-in ones, the order that breaks ties in auto-detection; a mapping's
        profile replaces the one it extends, first, and sets the user profiles aside.

    Example:
        >>> [p.name for p in resolve_profiles()][-3:], [p.name for p in resolve_profiles("311")]
        (['nyc311', 'la311', 'open311'], ['nyc311', 'la311', 'open311'])
        >>> [p.name for p in resolve_profiles(profile="la311")]
        ['la311']

    Raises:
        HotlineError: The profile is not of ``kind``, no profile is, or the mapping extends a
            profile other than the one forced.
    """
    kind, profile = choose_profile(kind, profile)
    if profile is None:
        candidates = [*user_profiles(), *(builtin(n) for n in builtin_names())]
    else:
        candidates = [profile if isinstance(profile, Profile) else find_profile(profile)]
        if kind is not None and candidates[0].kind != kind:
            raise HotlineError(
                f"profile {candidates[0].name!r} reads {candidates[0].kind} exports, not "
                f"{kind}: give --kind {candidates[0].kind} or another profile"
            )
    if mapping is not None:
        candidates = _with_mapping(mapping, candidates, forced=profile is not None)
    if kind is not None:
        candidates = [p for p in candidates if p.kind == kind]
        if not candidates:
            raise HotlineError(f"no profile reads {kind} exports")
    return candidates


def _with_mapping(mapping: str | Path, candidates: list[Profile], *, forced: bool) -> list[Profile]:
    """The candidates with a mapping's profile first, in place of the profile it extends."""
    from hotline.profiles.convert import deprecation_note
    from hotline.profiles.loading import parse_toml

    path = Path(mapping)
    base = candidates[0] if forced else None
    default = "hotline"
    if base is not None:  # a forced profile is what the mapping extends
        default = base.name if base.origin == "built-in" else str(Path(base.origin).resolve())
    mapped = mapping_profile(path, extends=default)
    extends = parse_toml(path.read_text(encoding="utf-8-sig"), str(path)).get("extends")
    if base is not None and extends not in (None, base.name):
        raise HotlineError(f"{mapping}: extends {extends!r} but the profile is {base.name!r}")
    warnings.warn(deprecation_note(path), ProfileDeprecation, stacklevel=4)
    replaced = base.name if base is not None else (extends or "hotline")
    # The mapping was given for this run; user profiles are only found in a folder, and one of
    # them matching a header better must not read the files the mapping was given for.
    return [mapped] + [p for p in candidates if p.name != replaced and p.origin == "built-in"]


def _other_kind(error: InputError, files: Sequence[tuple[Path, str]], kind: str) -> None:
    """Say so when a file ``--kind`` left without a profile reads as another kind."""
    from hotline.ingestion.layout import find_tables
    from hotline.ingestion.readers import open_source

    for path, name in files:
        if name != error.file:
            continue
        try:
            heads = open_source(path, name).heads()
            every = resolve_profiles()
            best = find_tables(heads, every, name, every_sheet=False)[0].profile
        except HotlineError:
            return
        if best.kind != kind:
            raise InputError(
                name,
                f"reads as a {best.kind} export (profile {best.name}), and --kind {kind} keeps "
                f"only {kind} exports; drop --kind, or ingest it on its own",
            ) from None


def _name(profile: str | Path | Profile) -> str:
    return profile.name if isinstance(profile, Profile) else str(profile)


def _explicit_snapshots(option: SnapshotOption, files: Sequence[tuple[Path, str]]) -> list:
    if option is None:
        return [None] * len(files)
    if not isinstance(option, Mapping):
        if len(files) != 1:
            raise HotlineError("a single --snapshot-at time needs a single file; use FILE=TIME")
        option = {files[0][0]: option}
    found: list[dt.datetime | None] = [None] * len(files)
    for key, when in option.items():
        if isinstance(when, str):
            parsed, _ = parse_datetimes(pa.array([when]))
            if parsed[0].as_py() is None:
                raise HotlineError(f"--snapshot-at {key}={when}: not a date and time")
            when = parsed[0].as_py()
        matches = [
            i
            for i, (path, name) in enumerate(files)
            if Path(key) == path or str(key) in (name, path.name)
        ]
        if not matches:
            raise HotlineError(f"--snapshot-at {key}: no such input file")
        if len(matches) > 1:
            names = ", ".join(files[i][1] for i in matches)
            raise HotlineError(
                f"--snapshot-at {key}: names several inputs ({names}); give the path"
            )
        found[matches[0]] = when
    return found


def _progress_enabled(progress: bool | None) -> bool:
    if progress is not None:
        return progress
    return "ipykernel" in sys.modules or sys.stderr.isatty()


def _convert_all(
    files: Sequence[tuple[Path, str]],
    profiles: list[Profile],
    key: bytes,
    progress: bool,
    forced: bool,
    limits: Limits,
    spill: Spill | None = None,
    cache: Cache | None = None,
) -> list[Converted | Replies]:
    """Convert every file, in input order.

    A file that cannot be read as requests may be a reply table (:mod:`.replies`); if it is not
    one either, its error stands. With a ``spill``, once the converted rows outgrow one merge
    range every converted table goes to disk (:mod:`.spill`) and leaves an empty table behind.
    With a ``cache``, an export converted by the last run is taken from it (:mod:`.cache`).
    """
    from tqdm import tqdm  # text bar: the notebook widget would need ipywidgets

    converted: list[Converted | Replies] = []
    sizes = [path.stat().st_size for path, _ in files]
    rows = 0
    # by bytes, so that the estimate of the time left weighs a large export as large
    with tqdm(
        total=sum(sizes),
        desc="read+clean",
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=not progress,
    ) as bar:
        for (path, name), size in zip(files, sizes, strict=True):
            bar.set_postfix_str(f"{name[-30:]} ({rows:,} rows)")
            if spill is not None and cache is not None and cache.parts.readable():
                found = cache.parts.get(cache.entry(len(converted)))
                if found is not None and found.part is not None:
                    cache.reused.append(name)
                    spill.parts[len(converted)] = found.part
                    spill.rows += found.part.rows
                    rows += found.part.rows
                    converted.append(found.item)
                    bar.update(size)
                    continue
            try:
                item: Converted | Replies = convert_file(
                    path,
                    profiles,
                    name=name,
                    pii_key=key,
                    forced=forced,
                    hash_file=False,
                    limits=limits,
                )
            except InputError:
                try:
                    replies = read_replies(path, profiles, name=name, limits=limits, forced=forced)
                except InputError:  # not a reply table either: the first error says why
                    replies = None
                if replies is None:
                    raise
                item = replies
            converted.append(item)
            rows += item.table.num_rows
            if spill is not None:
                _spill_over(spill, converted, cache)
            bar.update(size)
    _screen_names_for_callers(converted, key)
    _one_zone(converted)
    return converted


def _spill_over(
    spill: Spill, converted: list[Converted | Replies], cache: Cache | None = None
) -> None:
    """Stage every converted table once the rows held outgrow one merge range.

    A staged export is also kept for the cache (as converted: before file names are screened
    against the other files' callers), which takes it into the dataset once it is committed.
    """
    held = [
        (index, item)
        for index, item in enumerate(converted)
        if isinstance(item, Converted) and index not in spill.parts
    ]
    if not spill.parts and sum(item.table.num_rows for _, item in held) <= spill.rows_held:
        return
    for index, item in held:
        spill.parts[index] = spill.stage(index, item.table)
        item.table = item.table.schema.empty_table()
        if cache is not None:
            callers = KeyedNames.of(item.callers, cache.key)
            kept = replace(item, callers=callers)
            cache.keep[index] = CachedFile(kept, spill.parts[index])


def _screen_names_for_callers(converted: Sequence[Converted | Replies], key: bytes) -> None:
    """Label the file and folder names that hold a caller's name found in any of the files.

    The names were screened before reading (:func:`expand_paths`), by what a name looks like;
    the callers in the data are known only now. A name screened again keeps its labels, so
    only parts that hold a caller's name change (``李秀英的材料/a.csv`` → ``文件夹1/a.csv``),
    in ``source_file``, the rejects and the account alike.
    """
    indexes = [found for item in converted if (found := getattr(item, "callers", None))]
    if not indexes:
        return
    callers: Mapping[str, str]
    if any(isinstance(index, KeyedNames) for index in indexes):  # a file from the cache
        callers = KeyedNames.combine([KeyedNames.of(index, key) for index in indexes], key)
    else:
        callers = {k: v for index in indexes for k, v in index.items()}
    names = [item.stages.name for item in converted]
    for item, old, new in zip(converted, names, safe_file_names(names, callers), strict=True):
        if new == old:
            continue
        read = replace(item.stages.read, name=new, path=new)
        item.stages = replace(item.stages, read=read)
        for frame in ("table", "rejects"):
            table = getattr(item, frame)
            index = table.schema.get_field_index("source_file")
            if index < 0:  # a reply table carries no source_file of its own
                continue
            renamed = pc.utf8_replace_slice(table.column(index), 0, len(old), new)
            setattr(item, frame, table.set_column(index, "source_file", renamed))


def _one_zone(converted: Sequence[Converted | Replies]) -> None:
    """Stored times are naive wall-clock time: files of different zones cannot share a dataset."""
    zones: dict[str, list[str]] = {}
    for item in converted:
        zones.setdefault(item.stages.timezone, []).append(item.stages.name)
    if len(zones) > 1:
        listed = "; ".join(f"{zone}: {', '.join(names)}" for zone, names in zones.items())
        raise HotlineError(
            f"the inputs are in different time zones ({listed}); if they are one place's, give "
            'a profile that names its zone (timezone = "America/Chicago", say), else ingest '
            "each zone into its own dataset"
        )


def _local(when: dt.datetime, zone: str) -> dt.datetime:
    """A snapshot time as naive wall-clock time of the dataset's zone."""
    if when.tzinfo is None:
        return when
    return when.astimezone(tzinfo_of(zone)).replace(tzinfo=None)


def _to_dictionary(
    values: pa.Array | pa.ChunkedArray, codes: Sequence[str]
) -> pa.DictionaryArray | pa.ChunkedArray:
    """Codes -> dictionary column whose dictionary is always the full code list, in order."""
    dictionary = pa.array(list(codes), pa.string())
    if isinstance(values, pa.ChunkedArray):
        chunks = [_to_dictionary(chunk, codes) for chunk in values.chunks]
        return pa.chunked_array(chunks, type=pa.dictionary(pa.int8(), pa.string()))
    indices = pc.cast(pc.index_in(values, value_set=dictionary), pa.int8())
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _canonical(table: pa.Table) -> pa.Table:
    """Canonical columns and types; rows stay in the merge's order (kind, order id)."""
    arrow = schema.arrow_schema()
    n = table.num_rows
    columns = []
    for column in schema.COLUMNS:
        if column.name in table.column_names:
            data = table.column(column.name)
        else:
            data = pa.nulls(n, pa.string() if column.enum else arrow.field(column.name).type)
        if column.enum is not None:
            data = _to_dictionary(data, column.enum.codes)
        columns.append(pc.cast(data, arrow.field(column.name).type))
    return pa.table(columns, schema=arrow)


def _merge(
    converted: list[Converted], ranks: list[int], *, stop_on_collision: bool = False
) -> tuple[pa.Table, set[str], list[MergeResult]]:
    """Keep the latest copy of each request; count what became of each file's rows.

    Rows sharing an order id are copies of one request only when they agree on its identity
    (:mod:`.identity`); rows that do not are an id collision, kept apart under distinct ids and
    counted as the data-quality fact ``id_collision`` (or, with ``stop_on_collision``, the
    ingest stops).

    Returns:
        The rows kept (with ``_file``, the index of their export), the original ids of
        online messages kept apart (a reply table cannot tell which of them it answers), and
        each file's merge (written, merged, id collisions).
    """
    parts = []
    for index, item in enumerate(converted):
        n = item.table.num_rows
        part = item.table.append_column("_file", pa.array(np.full(n, index), pa.int32()))
        part = part.append_column("_rank", pa.array(np.full(n, ranks[index]), pa.int32()))
        parts.append(part)
    combined = pa.concat_tables(parts, promote_options="permissive")
    if combined.num_rows == 0 or (len(converted) == 1 and converted[0].unique_ids):
        # One export without repeated ids (the usual large ingest): nothing to merge or move.
        return combined, set(), [MergeResult(written=item.table.num_rows) for item in converted]
    order = pc.sort_indices(
        combined,
        sort_keys=[
            ("source_kind", "ascending"),
            ("order_id", "ascending"),
            ("_rank", "ascending"),
            ("_file", "ascending"),
            ("_order", "ascending"),
        ],
    )
    n = combined.num_rows
    starts = np.zeros(n, dtype=bool)
    starts[0] = True
    for key in ("order_id", "source_kind"):  # a group starts where the id or kind changes
        ordered = pc.take(combined.column(key), order)
        changes = pc.not_equal(ordered.slice(0, n - 1), ordered.slice(1))
        starts[1:] |= changes.to_numpy(zero_copy_only=False)
    group = np.cumsum(starts) - 1
    request = _requests(combined, order, group, converted)
    # Rows of one request together, oldest copy first (the sort above is kept within them).
    regroup = np.lexsort((np.arange(n), request, group))
    order = np.asarray(order)[regroup]
    group, request = group[regroup], request[regroup]
    last = np.zeros(n, dtype=bool)
    last[-1] = True
    last[:-1] = (group[1:] != group[:-1]) | (request[1:] != request[:-1])
    file_of = pc.take(combined.column("_file"), pa.array(order)).to_numpy(zero_copy_only=False)
    copy = np.cumsum(np.concatenate(([True], last[:-1])))  # 1-based request of each row
    winner_file = file_of[last][copy - 1]
    same_file = winner_file == file_of
    merges = []
    for index in range(len(converted)):
        mine = file_of == index
        duplicates = int((mine & ~last & same_file).sum())
        later = int((mine & ~last & ~same_file).sum())
        merged = {k: v for k, v in (("duplicate", duplicates), ("later_snapshot", later)) if v}
        merges.append(MergeResult(written=int((mine & last).sum()), merged=merged))
    winners = pc.take(combined, pa.array(order[last]))
    collided = request[last] > 0
    collided |= np.isin(group[last], group[last][collided])
    if not collided.any():
        return winners, set(), merges
    kept, online, collisions = _keep_apart(winners, collided, stop_on_collision)
    for index, found in collisions.items():
        merges[index] = merges[index].then(MergeResult(quality={found.code: found}))
    return kept, online, merges


def _requests(
    combined: pa.Table, order: pa.Array, group: np.ndarray, converted: list[Converted]
) -> np.ndarray:
    """The request number of each sorted row within its id group (:func:`.identity.identities`)."""
    found = np.zeros(len(group), dtype=np.int64)
    shared = np.bincount(group)[group] > 1  # only rows whose id repeats can split
    if not shared.any():
        return found
    rows = pc.take(order, pa.array(np.flatnonzero(shared)))
    received = pc.cast(pc.take(combined.column("received_at"), rows), pa.int64())
    if "caller_key" in combined.column_names:
        callers = np.array(pc.take(combined.column("caller_key"), rows).to_pylist(), object)
    else:
        callers = np.full(len(rows), None, dtype=object)
    bases = np.array([caller_basis(list(c.stages.layout.columns)) for c in converted], np.int64)
    files = pc.take(combined.column("_file"), rows).to_numpy(zero_copy_only=False)
    found[shared] = identities(
        group[shared], received.to_numpy(zero_copy_only=False), callers, bases[files]
    )
    return found


def _keep_apart(
    winners: pa.Table, collided: np.ndarray, stop: bool
) -> tuple[pa.Table, set[str], dict[int, facts.FactCount]]:
    """Give each request of an id collision a distinct id and count it, or stop the ingest.

    Returns:
        The rows with distinct ids, the original ids of online messages among them, and the
        ``id_collision`` fact of each file (by index) that keeps some of them.
    """
    where = np.flatnonzero(collided)
    subset = pc.take(winners, pa.array(where))
    ids = subset.column("order_id").to_pylist()
    files = subset.column("source_file").to_pylist()
    rows = subset.column("source_row").to_pylist()
    if stop:
        named: dict[str, list[str]] = {}
        for id_, file in zip(ids, files, strict=True):
            named.setdefault(id_, []).append(file)
        shown = "; ".join(
            f"{id_} ({', '.join(dict.fromkeys(found))})" for id_, found in list(named.items())[:5]
        )
        more = f" and {len(named) - 5} more" if len(named) > 5 else ""
        raise HotlineError(
            f"id collision: {len(named)} order ids name different requests (received time or "
            f"caller differ): {shown}{more}; without --stop-on-id-collision each is kept as "
            "id@file"
        )
    # A source file holds one kind, so id@file is distinct across kinds as well.
    column = winners.column("order_id").to_pylist()
    for position, renamed in zip(where, distinct_ids(ids, files, rows), strict=True):
        column[position] = renamed
    owners = subset.column("_file").to_numpy(zero_copy_only=False)
    collisions: dict[int, facts.FactCount] = {}
    for index in np.unique(owners):
        mine = np.flatnonzero(owners == index)
        # first rows and ids as a fact keeps them: the first five
        collisions[int(index)] = facts.FactCount(
            "id_collision",
            int(mine.size),
            tuple(rows[i] for i in mine[:5]),
            {"ids": tuple(dict.fromkeys(ids[i] for i in mine))[:5]},
        )
    kinds = pc.cast(subset.column("source_kind"), pa.string()).to_pylist()
    online = {id_ for id_, kind in zip(ids, kinds, strict=True) if kind == "online"}
    position = winners.schema.get_field_index("order_id")
    renamed = winners.set_column(position, "order_id", pa.array(column, pa.string()))
    return renamed, online, collisions


def _convert_and_merge(
    files: Sequence[tuple[Path, str]],
    profiles: list[Profile],
    snapshot_at: SnapshotOption,
    progress: bool | None,
    key: bytes,
    forced: bool,
    limits: Limits,
    stop_on_id_collision: bool = False,
    spill: Spill | None = None,
    cache: Cache | None = None,
) -> tuple[list[FileReport], pa.Table | SpilledOrders, pa.Table]:
    """Convert, merge and join every file; return each file's account, the rows, the rejects.

    With a ``spill`` the rows may go through disk (:mod:`.spill`) and come back as
    :class:`SpilledOrders`.
    """
    explicit = _explicit_snapshots(snapshot_at, files)
    items = _convert_all(
        files, profiles, key, _progress_enabled(progress), forced, limits, spill, cache
    )
    converted = [item for item in items if isinstance(item, Converted)]
    replies = [item for item in items if isinstance(item, Replies)]
    if not converted:
        names = ", ".join(item.stages.name for item in replies)
        raise HotlineError(
            f"{names}: reply tables only (id and reply columns, no received time); ingest them "
            "together with the messages they answer"
        )
    # The files are hashed now, while the merge below leaves a core idle, rather than during
    # the read, where hashing competes with pyarrow's parallel parsing.
    with ThreadPoolExecutor(max_workers=1) as hasher:
        sha256 = file_sha256 if cache is None else cache.sha256
        digests = [hasher.submit(sha256, path) for path, _ in files]
        times: list[dt.datetime | None] = []
        for item, given in zip(items, explicit, strict=True):
            when, rule = item.snapshot, item.stages.read.snapshot_rule
            if given is not None:
                when, rule = _local(given, item.stages.timezone), "option"
            at = None if when is None else when.isoformat(sep=" ")
            read = replace(item.stages.read, snapshot_at=at, snapshot_rule=rule)
            item.stages = replace(item.stages, read=read)
            times.append(when)
            if isinstance(item, Replies):
                continue
            stamp = pa.array([when] * item.table.num_rows, pa.timestamp("us"))
            position = item.table.schema.get_field_index("snapshot_at")
            item.table = item.table.set_column(position, "snapshot_at", stamp)
        ranks = snapshot_order(times)
        order_ranks = [
            r for r, item in zip(ranks, items, strict=True) if isinstance(item, Converted)
        ]
        reply_ranks = [r for r, item in zip(ranks, items, strict=True) if isinstance(item, Replies)]
        join = _Join(replies, reply_ranks, key)
        orders: pa.Table | SpilledOrders
        if spill is not None and spill.parts:
            stamps = [
                when for when, item in zip(times, items, strict=True) if isinstance(item, Converted)
            ]
            staged = [i for i, item in enumerate(items) if isinstance(item, Converted)]
            orders, merges, reply_merges, reply_rejects = _merge_in_ranges(
                spill,
                converted,
                staged,
                stamps,
                order_ranks,
                join,
                stop_on_id_collision,
                _progress_enabled(progress),
            )
        else:
            merged, merges, reply_merges, reply_rejects = _merge_and_join(
                converted, order_ranks, join, stop_on_id_collision
            )
            merged = merged.append_column("repeat_gap_hours", repeat_gaps(merged))
            orders = _canonical(merged)
        # each file's account, from its stages and its merge: made here, once
        outcome = iter(merges)
        joins = iter(zip(reply_merges, reply_rejects, strict=True))
        reports: list[FileReport] = []
        tables: list[pa.Table] = []
        for item, digest in zip(items, digests, strict=True):
            stages = replace(item.stages, read=replace(item.stages.read, sha256=digest.result()))
            tables.append(item.rejects)
            if isinstance(item, Replies):
                merge, joined_rejects = next(joins, (MergeResult(), None))
                if joined_rejects is not None:
                    tables.append(joined_rejects)
            else:
                merge = next(outcome)
            reports.append(FileReport.build(stages, merge))
        rejects = pa.concat_tables(tables).cast(REJECTS_SCHEMA)
    return reports, orders, rejects


@dataclass
class Cache:
    """The cache of one ingest run (:mod:`.cache`) and what the run puts into it.

    Attributes:
        parts: The dataset's cache.
        key: The caller key (hashes the caller names kept).
        base: What every file's conversion depends on, digested.
        files: The inputs and their names, in input order.
        entries: The cache entry of each input asked for, by input index.
        keep: The exports this run staged, to keep once the dataset is committed.
        reused: The names of the exports taken from the cache, in input order.
    """

    parts: PartCache
    key: bytes
    base: str
    files: Sequence[tuple[Path, str]]
    entries: dict[int, str] = field(default_factory=dict)
    keep: dict[int, CachedFile] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)

    def sha256(self, path: Path) -> str:
        """The file's SHA-256 (from the last run's when the file is unchanged)."""
        return self.parts.sha256(path, file_sha256)

    def entry(self, index: int) -> str:
        """The cache entry of an input: its bytes, its name, and what conversion depends on."""
        if index not in self.entries:
            path, name = self.files[index]
            self.entries[index] = self.parts.entry(self.sha256(path), f"{self.base}:{name}")
        return self.entries[index]

    def commit(self, spill: Spill) -> None:
        """Keep the exports staged (and the ones taken from the cache), drop the others."""
        for index, found in self.keep.items():
            self.parts.put(spill.folder, self.entry(index), found)
        self.parts.commit()


@dataclass(frozen=True)
class _Join:
    """The reply tables of an ingest, to join to the merged messages."""

    replies: list[Replies]
    ranks: list[int]
    key: bytes


def _merge_and_join(
    converted: list[Converted], ranks: list[int], join: _Join, stop_on_collision: bool
) -> tuple[pa.Table, list[MergeResult], list[MergeResult], list[pa.Table]]:
    """Merge the copies of each request and join the replies to the messages kept.

    Returns:
        The rows kept, each export's merge, each reply table's join and its rejected rows.
    """
    merged, colliding, merges = _merge(converted, ranks, stop_on_collision=stop_on_collision)
    if not join.replies:
        return merged, merges, [], []
    joined = join_replies(merged, join.replies, join.ranks, join.key, colliding)
    for index, told in joined.messages.items():
        merges[index] = merges[index].then(told)
    return joined.table, merges, joined.replies, joined.rejects


def _merge_in_ranges(
    spill: Spill,
    converted: list[Converted],
    staged: list[int],
    stamps: list[dt.datetime | None],
    ranks: list[int],
    join: _Join,
    stop_on_collision: bool,
    progress: bool = False,
) -> tuple[SpilledOrders, list[MergeResult], list[MergeResult], list[pa.Table]]:
    """The merge and reply join of :func:`_merge_and_join`, one range of order ids at a time.

    Every copy of an id lies in its range, so each range's merge is the whole merge's for its
    ids; ranges go in id order, so counts add up and first-rows examples concatenate as the
    whole merge lists them.
    """
    merges = [MergeResult() for _ in converted]
    told = [MergeResult() for _ in converted]
    reply_merges = [MergeResult() for _ in join.replies]
    reply_rejects: list[list[pa.Table]] = [[] for _ in join.replies]
    by_kind: dict[str, int] = {}
    rows = 0
    replied = any(r.table.num_rows for r in join.replies)
    from tqdm import tqdm

    ranges = spill.ranges()
    bar = tqdm(ranges, desc="merge", unit="range", disable=not progress)
    for number, where in enumerate(bar):
        part = [
            replace(item, table=_staged_rows(spill, index, item, when, where))
            for index, item, when in zip(staged, converted, stamps, strict=True)
        ]
        merged, colliding, found = _merge(part, ranks, stop_on_collision=stop_on_collision)
        merges = [total.then(more) for total, more in zip(merges, found, strict=True)]
        if join.replies:
            mine = [
                replace(r, table=r.table.filter(range_of(r.table["order_id"], where)))
                for r in join.replies
            ]
            joined = join_replies(merged, mine, join.ranks, join.key, colliding, replied=replied)
            merged = joined.table
            for index, more in joined.messages.items():
                told[index] = told[index].then(more)
            reply_merges = [a.then(b) for a, b in zip(reply_merges, joined.replies, strict=True)]
            for kept, more in zip(reply_rejects, joined.rejects, strict=True):
                kept.append(more)
        keep_merged(spill, number, merged)
        rows += merged.num_rows
        for kind, count in rows_by_kind(merged).items():
            by_kind[kind] = by_kind.get(kind, 0) + count
    merges = [merge.then(more) for merge, more in zip(merges, told, strict=True)]
    order = {code: i for i, code in enumerate(schema.SOURCE_KIND.codes)}
    by_kind = dict(sorted(by_kind.items(), key=lambda item: order[item[0]]))
    rejects = [
        pa.concat_tables(kept) if kept else REJECTS_SCHEMA.empty_table() for kept in reply_rejects
    ]
    return SpilledOrders(spill, rows, by_kind, progress), merges, reply_merges, rejects


def _staged_rows(
    spill: Spill, index: int, item: Converted, when: dt.datetime | None, where: KeyRange
) -> pa.Table:
    """One export's rows in a range, as the in-memory merge sees them (snapshot, file name)."""
    table = spill.read(spill.parts[index], where)
    n = table.num_rows
    position = table.schema.get_field_index("snapshot_at")
    table = table.set_column(position, "snapshot_at", pa.array([when] * n, pa.timestamp("us")))
    position = table.schema.get_field_index("source_file")
    return table.set_column(position, "source_file", pa.repeat(pa.scalar(item.stages.name), n))


def _refuse_all_rejected(reports: Sequence[FileReport], rejects: pa.Table) -> None:
    """Stop when a file with rows gave the dataset none: every row rejected, none merged.

    Such a file was read with the wrong profile or a broken export; writing nothing of it and
    reporting success would make every figure silently 0.

    Raises:
        InputError: Naming the file, its main rejection reason with its count and an example.
    """
    for report in reports:
        if report.role != "orders" or not report.rows_in or report.written or report.merged:
            continue
        reason, count = max(report.rejected.items(), key=lambda item: item[1])
        mine = pc.and_(
            pc.equal(rejects.column("source_file"), report.name),
            pc.equal(rejects.column("reason"), reason),
        )
        details = [d for d in rejects.filter(mine).column("detail").to_pylist() if d]
        example = f", e.g. {details[0]!r}" if details else ""
        raise InputError(
            report.name,
            f"all {report.rows_in} rows rejected, none written: {count} {reason} "
            f"({REJECT_REASONS[reason]}){example}; check that profile {report.profile} fits the "
            "export, or pass the right one with --profile",
        )


def rows_by_kind(table: pa.Table) -> dict[str, int]:
    """Rows per ``source_kind`` code, in the enumeration's order."""
    counts = pc.value_counts(table.column("source_kind").cast(pa.string())).to_pylist()
    found = {c["values"]: c["counts"] for c in counts}
    return {code: found[code] for code in schema.SOURCE_KIND.codes if code in found}


def dataset_language(reports: Sequence[FileReport]) -> str:
    """The default language of a dataset's labels: its profiles' when they agree, else ``zh``.

    Example:
        >>> dataset_language([FileReport("a.csv", language="en")]), dataset_language([])
        ('en', 'zh')
    """
    languages = {r.language for r in reports if r.language}
    return languages.pop() if len(languages) == 1 else "zh"


def _manifest(
    reports: list[FileReport],
    totals: Totals,
    orders: pa.Table | SpilledOrders,
    options: dict[str, Any],
    key: bytes,
) -> dict[str, Any]:
    return {
        "schema_version": schema.SCHEMA_VERSION,
        "hotline_version": __version__,
        "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "run_id": uuid.uuid4().hex,
        "options": options,
        # Every stored time is naive wall-clock time of this zone (one per dataset).
        "timezone": reports[0].timezone if reports else None,
        "language": dataset_language(reports),
        "profiles": sorted({r.profile for r in reports}),
        "caller_key_fingerprint": keys.fingerprint(key),
        "inputs": [r.to_dict() for r in reports],
        "totals": totals.to_dict(),
        "output": {"rows": _rows(orders), "rows_by_kind": _by_kind(orders)},
    }


def ingest(
    inputs: Iterable[str | Path],
    out: str | Path | None = None,
    *,
    kind: str | None = None,
    mapping: str | Path | None = None,
    snapshot_at: SnapshotOption = None,
    progress: bool | None = None,
    write: bool = True,
    profile: ProfileOption = None,
    limits: Limits = DEFAULT,
    stop_on_id_collision: bool = False,
    allow_sample: bool = False,
    memory_limit: int | str = DEFAULT_MEMORY_LIMIT,
    rebuild: bool = False,
) -> IngestResult:
    """Ingest export files and folders into one Parquet dataset.

    Args:
        inputs: Files and folders (folders are searched recursively).
        out: Dataset folder; default :func:`hotline.paths.processed_dir`.
        kind: Only read exports of this source kind (``hotline``, ``online``, ``311``): the
            candidate profiles are that kind's, and a file that reads as another kind is an
            error naming it. A profile's name here is deprecated (taken as ``profile``).
        mapping: A mapping file (deprecated: a profile with ``extends``, ``docs/mapping.md``),
            read through the converter with a deprecation note.
        snapshot_at: Snapshot time of the inputs: one time (one file), or file -> time.
        progress: Show a progress bar; default: on a terminal or in Jupyter.
        write: Write the dataset (``False`` only converts and merges).
        profile: The profile to read every file with (a built-in or user profile name, or a
            profile file's path); default: the best header match per file
            (``docs/profiles.md``).
        limits: What one input file may make the ingest read (:mod:`.limits`); a file over a
            limit stops the ingest before the reader allocates it.
        stop_on_id_collision: Stop (:class:`HotlineError`) when rows sharing an order id are
            different requests (:mod:`.identity`), instead of keeping each under ``id@file``
            and counting them in the account.
        allow_sample: Ingest the demo's sample files together with other files
            (:mod:`.sample_guard`); without it such a mix is refused.
        memory_limit: Bytes the merge may hold (default 2 GB; ``"500M"`` as on the command
            line): more rows than that go through disk (a temporary folder, ``$TMPDIR``),
            merged one range of ids at a time (:mod:`.spill`), with the same result.
        rebuild: Convert every file, taking nothing from the conversions the dataset's last
            ingest kept (:mod:`.cache`).

    Returns:
        The account, the table and the output paths.

    Raises:
        HotlineError: Bad input (the message names the file and the problem), files in
            different time zones, (``stop_on_id_collision``) an id collision, or the demo's
            sample among other files; nothing is written then.
    """
    if isinstance(memory_limit, str):
        memory_limit = parse_size(memory_limit, what="memory_limit")
    files = expand_paths(inputs)
    sample = check_inputs(files, allow=allow_sample)
    kind, profile = choose_profile(kind, profile)
    profiles = resolve_profiles(kind, mapping, profile)
    forced = profile is not None
    target = Path(out) if out is not None else paths.processed_dir()
    pii = keys.resolve_key()  # a new key stays in memory until the dataset is committed
    if write:  # refuse a folder that is not ours, or a second key, before reading anything
        check_target(target, DATASET, [path for path, _ in files])
        keys.check_same_key(pii, {target, paths.processed_dir()})
    key = pii.value
    with ExitStack() as cleanup:
        spill = cache = None
        if write:  # only a dataset on disk can take rows streamed through disk
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="hotline-spill-"))
            spill = Spill(Path(folder), memory_limit)
            context = {
                "hotline": __version__,
                "schema": schema.SCHEMA_VERSION,
                "key": keys.fingerprint(key),
                "profiles": profiles,
                "forced": forced,
                "limits": limits,
            }
            parts = PartCache(target, key, read=not rebuild)
            cache = Cache(parts, key, context_digest(context), files)
        try:
            reports, orders, rejects = _convert_and_merge(
                files,
                profiles,
                snapshot_at,
                progress,
                key,
                forced,
                limits,
                stop_on_id_collision,
                spill,
                cache,
            )
        except InputError as error:
            if kind is not None:
                _other_kind(error, files, kind)
            raise
        result = _account_and_write(
            files,
            reports,
            orders,
            rejects,
            sample,
            target,
            pii,
            write,
            options={
                "kind": kind or "auto",
                "profile": None if profile is None else _name(profile),
                "mapping": None if mapping is None else str(mapping),
                "snapshot_at": None if snapshot_at is None else str(snapshot_at),
                "stop_on_id_collision": stop_on_id_collision,
            },
            run={
                "memory_limit": memory_limit,
                "streamed": isinstance(orders, SpilledOrders),
                "from_cache": [] if cache is None else cache.reused,
            },
        )
        if cache is not None and spill is not None and (spill.parts or cache.parts.readable()):
            cache.commit(spill)  # after the dataset: a cache never runs ahead of its data
        return result


def _account_and_write(
    files: Sequence[tuple[Path, str]],
    reports: list[FileReport],
    orders: pa.Table | SpilledOrders,
    rejects: pa.Table,
    sample: Any,
    target: Path,
    pii: Any,
    write: bool,
    options: dict[str, Any],
    run: dict[str, Any] | None = None,
) -> IngestResult:
    """Check the account, then write the dataset (or, without ``write``, only keep the key).

    ``run`` (the memory limit, whether the rows went through disk, the exports taken from the
    cache) goes into the manifest as it is: how this run was made, not what the data is.
    """
    key = pii.value
    totals = Totals.of(reports)
    if not totals.balanced:  # a bug, never bad input: refuse to write an unbalanced dataset
        raise HotlineError(f"internal error: the account does not balance {totals.to_dict()}")
    _refuse_all_rejected(reports, rejects)
    rejects = explained_in(rejects, account_language(reports))  # a 311 analyst reads English
    manifest = _manifest(reports, totals, orders, options, key)
    if sample.sample:  # the dataset says it is (or holds) the fictional sample
        manifest["sample"] = sample.manifest_entry()
    left_out = _left_out(target, reports) if write else []
    if left_out:  # a dataset is made of the files given: say which of the last run's are gone
        manifest["left_out"] = {"files": len(left_out), "names": left_out[:20]}
    if run is not None:
        manifest["run"] = run
    outputs: dict[str, Path] = {}
    result = IngestResult(reports, totals, orders, rejects, outputs, manifest)
    if write:
        written = write_dataset(
            target,
            orders.tables() if isinstance(orders, SpilledOrders) else orders,
            rejects,
            manifest,
            result.account(),
            inputs=[path for path, _ in files],
            before_commit=lambda: keys.persist(pii),
        )
        outputs.update(written)
    else:
        keys.persist(pii)  # the run succeeded: keep its new key, so the next run links alike
    return result


def read_export(
    path: str | Path,
    kind: str | None = None,
    mapping: str | Path | None = None,
    *,
    snapshot_at: dt.datetime | str | None = None,
    profile: ProfileOption = None,
) -> pd.DataFrame:
    r"""Read one export into the canonical DataFrame (nothing is written).

    Duplicate rows of one order are merged (the later row wins), as in :func:`ingest`.

    Args:
        path: An Excel, CSV or JSON export.
        kind: Only a source kind's profiles (``hotline``, ``online``, ``311``); default: all.
        mapping: A mapping file (deprecated: use ``profile``), read with a deprecation note.
        snapshot_at: When the export was taken, if the file does not say.
        profile: The profile to read it with (name or profile file); default: detected.

    Returns:
        Canonical columns and dtypes; ``df.attrs["ingest"]`` holds the file's account (profile
        and why, time zone, data-quality facts), ``df.attrs["rejects"]`` its rejected rows,
        and ``df.attrs["manifest"]`` the manifest an ingest would write.

    Example:
        >>> import tempfile, pathlib
        >>> csv = pathlib.Path(tempfile.mkdtemp()) / "工单.csv"
        >>> _ = csv.write_text("工单编号,受理时间,办理状态\nA1,2021/3/5 9:32,已办结\n", "gbk")
        >>> df = read_export(csv)
        >>> df[["order_id", "received_at", "status"]].to_dict("records")
        [{'order_id': 'A1', 'received_at': Timestamp('2021-03-05 09:32:00'), 'status': 'closed'}]
    """
    result = ingest(
        [path],
        kind=kind,
        mapping=mapping,
        snapshot_at=snapshot_at,
        progress=False,
        write=False,
        profile=profile,
    )
    frame = schema.conform(result.table.to_pandas())
    frame.attrs["ingest"] = result.reports[0].to_dict()
    frame.attrs["rejects"] = result.rejects.to_pylist()
    frame.attrs["manifest"] = result.manifest
    return frame
