"""Turn one export file into canonical rows, the records of its stages and its rejected rows.

The steps, each vectorised over whole columns: find the table (sheet, header row, profile), settle
its time zone, drop blank rows, reject total rows and rows without a usable id or received time,
parse every mapped column, scrub personal data, derive the status of online messages from their
reply and the close time of Open311 requests from their last update, count the data-quality
facts (:mod:`.facts`), and add lineage (file, row, snapshot).

Each stage returns a frozen record (:mod:`.stages`): the file's read, layout, values and
privacy records, from which (with the merge's) the pipeline builds the file's account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline import rules, schema
from hotline.availability import INFORMATION, carried
from hotline.errors import InputError
from hotline.ingestion import dates, facts, privacy, values
from hotline.ingestion.accounting import REJECTS_SCHEMA, rejects_table
from hotline.ingestion.layout import (
    HeaderChoice,
    blank_rows,
    break_tie,
    find_tables,
    footer_rows,
    is_footer_text,
    repeated_header_rows,
)
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers import Grid, open_source
from hotline.ingestion.snapshots import snapshot_from_name, snapshot_from_preamble
from hotline.ingestion.stages import (
    LayoutResult,
    PrivacyResult,
    ReadResult,
    Stages,
    Unparseable,
    ValuesResult,
    add_counts,
)
from hotline.profiles import HeaderMatch, Profile
from hotline.profiles.zones import FROM_DATA, zone_fitting_offsets, zone_of_offset

__all__ = [
    "Converted",
    "RowCount",
    "column_headers",
    "convert_file",
    "file_sha256",
    "read_result",
    "table_layout",
]

_TIMESTAMP_FIELDS = (
    "dispatched_at",
    "signed_at",
    "due_at",
    "replied_at",
    "closed_at",
    "revisited_at",
    "updated_at",
)
_LABEL_FIELDS = ("topic", "topic_l2", "topic_l3", "town", "department")
_BOOLEAN_FIELDS = ("is_contacted", "is_resolved", "is_extended")
_EXAMPLES = 5


@dataclass
class Converted:
    """One export, converted.

    Attributes:
        table: Canonical columns (categories still as text) plus ``_order`` (row position).
        stages: What the stages before the merge found (:mod:`.stages`); the merge's
            record completes the file's account.
        rejects: Rejected rows (file, row, reason).
        snapshot: Snapshot time found in the file (export line or name), if any.
        unique_ids: No order id occurs twice in the file.
        callers: The caller names found in the file (:func:`.privacy.caller_index`), to screen
            file and folder names with once every file is read.
    """

    table: pa.Table
    stages: Stages
    rejects: pa.Table
    snapshot: dt.datetime | None
    unique_ids: bool = False
    callers: dict[str, str] = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB blocks (the manifest's provenance)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Unparseable:
    """Collects, per source column, how many cells could not be read, with a few examples."""

    def __init__(self, rows: np.ndarray, callers: dict[str, str]) -> None:
        self.rows = rows
        self.callers = callers
        self.found: dict[str, Unparseable] = {}

    def add(self, header: str, cells: pa.Array, bad: np.ndarray, expected: str, kind: str) -> None:
        count = int(bad.sum())
        if not count:
            return
        where = np.flatnonzero(bad)[:_EXAMPLES]
        shown = pc.take(cells, pa.array(where)).to_pylist()
        self.found[header] = Unparseable(
            count,
            expected,
            tuple(
                (int(self.rows[i]), privacy.safe_example(v, kind, self.callers))
                for i, v in zip(where, shown, strict=True)
            ),
        )


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _where(mask: np.ndarray, cells: dict[str, pa.Array]) -> dict[str, pa.Array]:
    if mask.all():  # the usual case: nothing to drop, nothing to copy
        return cells
    return {f: pc.filter(a, mask) for f, a in cells.items()}


def convert_file(
    path: Path,
    profiles: list[Profile],
    *,
    name: str | None = None,
    pii_key: bytes,
    forced: bool = False,
    hash_file: bool = True,
    limits: Limits = DEFAULT,
) -> Converted:
    """Read one export into canonical rows.

    Every sheet whose header is complete is read (large exports are split over sheets); a sheet
    with a header but no data (a template) is skipped and reported. Independent columns are
    parsed in parallel threads (Arrow and DuckDB release the GIL).

    Args:
        path: The export file.
        profiles: Candidate profiles, preferred first (one when the kind is forced).
        name: How the file is named in ``source_file`` and messages (default: its file name).
        pii_key: Key for caller hashes.
        forced: The profile was given, not detected (recorded in the account).
        hash_file: Hash the file while reading it; ``False`` leaves ``read.sha256`` empty
            for the caller to fill (see :func:`file_sha256`).
        limits: What the file may make the reader allocate (:mod:`.limits`).

    Raises:
        InputError: The file cannot be read, holds no recognisable table, or no data.
    """
    name = name or privacy.safe_file_names([path.name])[0]
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        # Overlaps with the read; an ingest hashes later instead (hash_file=False), when one
        # core is idle in the merge, because here it slows pyarrow's parallel CSV parsing.
        digest = pool.submit(file_sha256, path) if hash_file else None
        source = open_source(path, name, limits)
        heads = source.heads()
        choices = find_tables(heads, profiles, name, every_sheet=source.many_sheets)
        # A sheet named after a caller (张伟来电) is shown as 工作表N everywhere, numbered over
        # the workbook's sheets as the readers' messages number it (privacy.shown_sheet).
        keys = [key for key, _ in heads]
        sheets = dict(zip(keys, privacy.safe_sheet_names(keys), strict=True))
        tables: list[tuple[HeaderChoice, Grid]] = []
        skipped: list[str] = []
        for choice in choices:
            grid = source.read(choice.key, choice.index, choice.match.fields["order_id"])
            # Profiles as good on the header: the one that accepts the most rows reads it.
            choice = break_tie(choice, grid.columns)
            if grid.sheet is not None:
                grid.sheet = sheets.get(grid.sheet, grid.sheet)
            if grid.n_rows == 0 and not grid.malformed and len(choices) > 1:
                skipped.append(f"{sheets[choice.key]}: 表头下没有数据")
            else:
                tables.append((choice, grid))
        parts = [
            _convert_table(
                grid,
                choice,
                name if len(tables) == 1 else f"{name}#{sheets[choice.key]}",
                pii_key,
                pool,
            )
            for choice, grid in tables
        ]
        sha256 = digest.result() if digest is not None else ""
    if not parts or sum(p.layout.rows_in for p in parts) == 0:
        first = parts[0].layout.header_row if parts else choices[0].index + 1
        raise InputError(name, "no data below the header", row=first)
    lines = [line for part in parts for line in part.export_lines]
    snapshot, rule = snapshot_from_preamble(lines), "export line"
    if snapshot is None:
        snapshot, rule = snapshot_from_name(path.name), "file name"
    if snapshot is None:
        rule = "order"
    stages = _file_stages(name, path, sha256, parts, skipped, forced=forced, snapshot_rule=rule)
    table = pa.concat_tables([p.table for p in parts], promote_options="permissive")
    order = pa.array(np.arange(table.num_rows), pa.int64())
    table = table.set_column(table.schema.get_field_index("_order"), "_order", order)
    rejects = pa.concat_tables([p.rejects for p in parts])
    unique = len(parts) == 1 and parts[0].unique_ids
    callers = {k: v for p in parts for k, v in p.callers.items()}
    return Converted(table, stages, rejects, snapshot, unique_ids=unique, callers=callers)


@dataclass
class _Part:
    """One table (sheet) of an export, converted, with the records of its stages."""

    table: pa.Table
    read: ReadResult
    layout: LayoutResult
    values: ValuesResult
    privacy: PrivacyResult
    rejects: pa.Table
    export_lines: list[str]
    unique_ids: bool
    callers: dict[str, str] = field(default_factory=dict)


def _file_stages(
    name: str,
    path: Path,
    sha256: str,
    parts: list[_Part],
    skipped: list[str],
    *,
    forced: bool,
    snapshot_rule: str,
) -> Stages:
    """One record per stage for the file: the sum of its tables'."""
    first = parts[0]
    zones = {p.values.timezone for p in parts}
    if len(zones) > 1:  # Open311 sheets could state different offsets: one zone per file
        raise InputError(name, f"its tables state different time zones {sorted(zones)}")
    counted = [p.read.lines for p in parts if p.read.lines is not None]
    read = ReadResult(
        name=name,
        path=name,
        sha256=sha256,
        size=path.stat().st_size,
        sheet=", ".join(p.read.sheet for p in parts if p.read.sheet) or None,
        encoding=first.read.encoding,
        lines=sum(counted) if counted else None,
        skipped_sheets=tuple(skipped),
        snapshot_rule=snapshot_rule,
    )
    layout = replace(
        first.layout,
        profile_rule="forced" if forced else "auto",
        ignored_columns=tuple(sorted({h for p in parts for h in p.layout.ignored_columns})),
        rows_in=sum(p.layout.rows_in for p in parts),
        blank_rows=sum(p.layout.blank_rows for p in parts),
        rejected=add_counts(*(p.layout.rejected for p in parts)),
    )
    unparseable: dict[str, Unparseable] = {}
    for part in parts:
        for header, info in part.values.unparseable.items():
            known = unparseable.get(header)
            unparseable[header] = (
                info if known is None else replace(known, count=known.count + info.count)
            )
    values = ValuesResult(
        timezone=first.values.timezone,
        timezone_rule=first.values.timezone_rule,
        offsets=add_counts(*(p.values.offsets for p in parts)),
        rejected=add_counts(*(p.values.rejected for p in parts)),
        unparseable=unparseable,
        quality=facts.combine(*(p.values.quality for p in parts)),
        information=tuple(k for k in INFORMATION if any(k in p.values.information for p in parts)),
    )
    scrubbed = PrivacyResult()
    for part in parts:
        scrubbed = scrubbed.plus(part.privacy)
    return Stages(read, layout, values, scrubbed)


def _convert_table(
    grid: Grid, choice: HeaderChoice, name: str, pii_key: bytes, pool: ThreadPoolExecutor
) -> _Part:
    profile, match = choice.profile, choice.match
    headers = column_headers(match)
    rejects: list[pa.Table] = []
    cells = _cells(grid, match.fields)
    zone = _settle_zone(profile, cells["received_at"], name, headers.get("received_at"))
    # auto: the order of each date column is decided before it is parsed; mdy and dmy: while
    # it is parsed (the parse yields the evidence), and checked once every column is parsed.
    evidence, orders = _auto_orders(cells, profile, name, headers, pool)
    every_column, grid.columns = grid.columns, []  # kept only for the duplicate-row check
    # Every column is parsed for every row at once, in parallel; rows that are not orders
    # (blank, totals, no id or received time: few, if any) are dropped afterwards.
    times = partial(
        _parse_times,
        orders={f: choice.order for f, choice in orders.items()},
        date_order=profile.date_order,
        timezone=zone.timezone,
        whole_seconds=grid.from_excel,
        evidence=evidence,
    )
    tasks, identifiers, callers = _field_tasks(cells, profile, times, pii_key)
    running = [pool.submit(task) for task in tasks[:2]]
    required = pool.submit(_required_fields, cells, times)
    # The scans that read the whole raw grid go early: once they and the id check are done,
    # the grid can be released while the free text is still being worked on.
    scanned = pool.submit(_layout, every_column, match)
    row_numbers = pool.submit(lambda: grid.rows)
    running += [pool.submit(task) for task in tasks[2:]]
    del tasks
    columns, bad, repeats = required.result()
    rows, layout = row_numbers.result(), scanned.result()
    if not repeats:
        every_column = []  # no id repeats, so no row can repeat: release the raw grid
    # Free text is finished once the grid is released; results keep the tasks' order.
    finishing = [
        pool.submit(_finish_text, result, identifiers)
        if isinstance(result := future.result(), _Screened)
        else future
        for future in running
    ]
    parsed = [result for future in finishing if isinstance(result := future.result(), _Parsed)]
    if profile.date_order in ("mdy", "dmy"):  # stops here if a column contradicts the order
        # in the fields' own order, not the order the threads finished in
        evidence = {f: evidence[f] for f in ("received_at", *_TIMESTAMP_FIELDS) if f in evidence}
        orders = dates.settle_orders(evidence, profile.date_order, file=name, headers=headers)
    counted = _account_layout(grid, layout, rows, name, rejects)
    bad = {reason: mask & counted.usable for reason, mask in bad.items()}
    kept, unusable = _reject_unusable(
        columns, bad, cells["received_at"], rows, name, rejects, callers
    )
    good = counted.usable & kept
    unparseable = _Unparseable(rows, callers)
    odd_text: dict[str, np.ndarray] = {}
    for result in parsed:
        columns.update(result.columns)
        for header_field, raw, flagged, expected, kind in result.unparseable:
            unparseable.add(headers[header_field], raw, flagged & good, expected, kind)
        odd_text.update(result.mojibake)
    stray = np.array(grid.stray_quotes, dtype=np.int64)
    quality = {
        **_table_facts(every_column, columns, good, rows, odd_text),
        **facts.found(
            facts.fact("stray_quote", np.ones(stray.size, dtype=bool), stray),
            _excel_errors(grid.error_cells, match.fields, good, rows),
            _assumed_orders(evidence, orders, headers, good, rows),
        ),
    }
    del every_column
    columns = _where(good, columns)
    rows = rows[good]
    has_status = "status" in match.fields
    _derive(columns, profile, len(rows), has_status=has_status)
    closing = facts.close_facts(columns, profile.kind, rows, has_status=has_status)
    if profile.void_reasons and "closure_reason" in cells:
        # After the close facts: a Boston case closed as "Case Invalid" was closed, with its
        # close time, as the export says; only then is it counted as void.
        voided = _void_by_reason(columns, _where(good, cells)["closure_reason"], profile, rows)
        closing = facts.combine(closing, facts.found(voided))
    if "is_duplicate" in cells:
        flagged = _void_duplicates(columns, _where(good, cells)["is_duplicate"], profile, rows)
        closing = facts.combine(closing, facts.found(flagged))
    cell_values = replace(
        zone,
        rejected=unusable,
        unparseable=unparseable.found,
        quality=facts.combine(quality, closing),
        information=tuple(
            carried(
                (n for n, a in columns.items() if a.null_count < len(a)),
                answered_directly=_answers_directly(columns.get("status")),
            )
        ),
    )
    n = len(rows)
    columns["source_kind"] = pa.repeat(pa.scalar(profile.kind), n)
    columns["source_file"] = pa.repeat(pa.scalar(name), n)
    columns["source_row"] = pa.array(rows, pa.int32())
    columns["snapshot_at"] = pa.nulls(n, pa.timestamp("us"))
    columns["_order"] = pa.array(np.arange(n), pa.int64())
    reject_table = pa.concat_tables(rejects) if rejects else REJECTS_SCHEMA.empty_table()
    export_lines = grid.preamble + layout.footer_text + [text for _, text in grid.malformed]
    return _Part(
        pa.table(columns),
        read_result(grid, name),
        table_layout(grid, choice, counted),
        cell_values,
        _privacy(columns, callers),
        reject_table,
        export_lines,
        not repeats,
        callers,
    )


def _privacy(columns: dict[str, pa.Array], callers: dict[str, str]) -> PrivacyResult:
    """What was keyed or masked among the rows kept (null counts: no pass over the rows)."""

    def present(name: str) -> int:
        column = columns.get(name)
        return 0 if column is None else len(column) - column.null_count

    return PrivacyResult(
        caller_names=len(callers),
        caller_keys=present("caller_key"),
        masked_phones=present("caller_phone_masked"),
    )


@dataclass(frozen=True)
class RowCount:
    """Which rows of a grid are records, and how the others are counted.

    Attributes:
        usable: Mask of the rows that may be orders.
        rows_in: Non-blank rows (broken CSV records and totals included).
        blank_rows: Blank rows, counted apart.
        rejected: Reason -> rows that are not records.
    """

    usable: np.ndarray
    rows_in: int
    blank_rows: int
    rejected: dict[str, int]


@dataclass
class _Layout:
    """Rows of the grid that are not records: blank rows, totals and repeated headers."""

    blank: np.ndarray
    footer: np.ndarray
    repeated_header: np.ndarray
    footer_text: list[str]


def _layout(columns: list[pa.Array | pa.ChunkedArray], match: HeaderMatch) -> _Layout:
    id_index = match.fields["order_id"]
    if not columns:
        empty = np.zeros(0, bool)
        return _Layout(empty, empty, empty, [])
    blank = blank_rows(columns, id_index)
    footer = footer_rows(columns, id_index) & ~blank
    repeated = repeated_header_rows(columns, match) & ~blank & ~footer
    footer_text: list[str] = []
    if footer.any():
        where = pa.array(np.flatnonzero(footer))
        texts = zip(*(pc.take(col, where).to_pylist() for col in columns), strict=True)
        footer_text = [" ".join(c for c in row if c) for row in texts]
    return _Layout(blank, footer, repeated, footer_text)


def _account_layout(
    grid: Grid, layout: _Layout, rows: np.ndarray, name: str, rejects: list[pa.Table]
) -> RowCount:
    """Count blank rows apart; reject totals, repeated headers and broken CSV records."""
    rejected: dict[str, int] = {}
    for row, text in grid.malformed:
        reason = "footer" if is_footer_text(text) else "malformed"
        rejects.append(rejects_table(name, [row], reason, [""]))
        rejected[reason] = rejected.get(reason, 0) + 1
    for line, reason, count in grid.broken_records:
        rejects.append(rejects_table(name, [line], reason, [f"第 {line} 行起，跨 {count} 行"]))
        rejected[reason] = rejected.get(reason, 0) + 1
    blank = int(layout.blank.sum())
    rows_in = len(grid.malformed) + len(grid.broken_records) + len(layout.blank) - blank
    for reason, mask in (("footer", layout.footer), ("repeated_header", layout.repeated_header)):
        if mask.any():
            found = rows[mask].tolist()
            rejects.append(rejects_table(name, found, reason, [""] * len(found)))
            rejected[reason] = rejected.get(reason, 0) + len(found)
    usable = ~layout.blank & ~layout.footer & ~layout.repeated_header
    return RowCount(usable, rows_in, blank, rejected)


def _settle_zone(
    profile: Profile, received: pa.Array, name: str, header: str | None
) -> ValuesResult:
    """The zone of the stored times: the profile's, or the one the received times' offsets state.

    Several offsets: the zone whose rules fit them (:func:`zone_fitting_offsets`), else the
    most common offset; one offset: that fixed offset.
    """
    if profile.timezone != FROM_DATA:
        return ValuesResult(timezone=profile.timezone, timezone_rule="profile")
    offset, counts = dates.dominant_offset(received)
    if offset is None:
        raise InputError(
            name,
            f"profile {profile.name} takes the time zone from the data, but no received time "
            "states a UTC offset between -12:00 and +14:00 (like -04:00); use a profile that "
            "names the zone",
            column=header,
        )
    zone = zone_of_offset(offset)
    if sum(zone_of_offset(o) != "UTC" for o in counts) > 1:
        # -05:00 in winter and -04:00 in summer: the zone whose daylight-saving rules they
        # follow keeps every time's wall clock (one fixed offset would move half the year)
        zone = zone_fitting_offsets(received).best or zone
    return ValuesResult(timezone=zone, timezone_rule="offsets in the data", offsets=counts)


def _table_facts(
    every_column: list[pa.Array],
    columns: dict[str, pa.Array],
    good: np.ndarray,
    rows: np.ndarray,
    odd_text: dict[str, np.ndarray],
) -> dict[str, facts.FactCount]:
    """Exact duplicate rows and text that looks mis-decoded, among the rows kept."""
    duplicate = mojibake = None
    if every_column:  # some order id repeats
        ids = columns["order_id"]
        repeated = pc.is_in(ids, pc.filter(ids, pc.greater(pc.fill_null(_id_counts(ids), 0), 1)))
        candidates = pc.fill_null(repeated, False).to_numpy(zero_copy_only=False) & good
        duplicate = facts.fact(
            "exact_duplicate_rows", facts.exact_duplicates(every_column, candidates), rows
        )
    by_column = {f: int((mask & good).sum()) for f, mask in odd_text.items()}
    if any(by_column.values()):
        odd = np.zeros(len(good), dtype=bool)
        for mask in odd_text.values():
            odd |= mask
        mojibake = facts.fact(
            "mojibake", odd & good, rows, by_column={f: n for f, n in by_column.items() if n}
        )
    return facts.found(duplicate, mojibake)


def _excel_errors(
    cells: list[tuple[int, int, str]], fields: dict[str, int], good: np.ndarray, rows: np.ndarray
) -> facts.FactCount | None:
    """Excel error cells (#N/A, #DIV/0!…) in the mapped columns of the rows kept.

    Their text stands in the cell, as in a CSV saved from Excel: a date or a code there is
    also counted as unparseable, a label or text keeps it; this fact counts them all, by field
    and error.
    """
    field_of = {index: name for name, index in fields.items()}
    mask = np.zeros(len(good), dtype=bool)
    by_column: dict[str, int] = {}
    by_error: dict[str, int] = {}
    for row, column, text in cells:
        if column in field_of and good[row]:
            mask[row] = True
            by_column[field_of[column]] = by_column.get(field_of[column], 0) + 1
            by_error[text] = by_error.get(text, 0) + 1
    return facts.fact(
        "excel_errors", mask, rows, by_column=by_column, by_error=dict(sorted(by_error.items()))
    )


def _id_counts(ids: pa.Array) -> pa.Array:
    """How many rows share each row's id."""
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    encoded = pc.dictionary_encode(ids)
    indices = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    valid = pc.is_valid(ids).to_numpy(zero_copy_only=False)
    counts = np.bincount(indices[valid], minlength=len(encoded.dictionary))
    return pa.array(np.where(valid, counts[indices], 0))


def _auto_orders(
    cells: dict[str, pa.Array],
    profile: Profile,
    name: str,
    headers: dict[str, str],
    pool: ThreadPoolExecutor,
) -> tuple[dict[str, dates.OrderEvidence], dict[str, dates.OrderChoice]]:
    """With ``date_order = "auto"``: each date column's order, decided by its values.

    Other profiles need no scan ahead: ``ymd`` (Chinese exports) reads day-first and
    month-first cells as unparseable, as it always has; ``mdy`` and ``dmy`` columns yield their
    evidence as they are parsed (:func:`.dates.parse_with_evidence`).

    Raises:
        InputError: Columns disagree, one mixes orders, or nothing decides
            (:func:`.dates.settle_orders`).
    """
    if profile.date_order != dates.AUTO:
        return {}, {}
    fields = [f for f in ("received_at", *_TIMESTAMP_FIELDS) if f in cells]
    found = list(pool.map(lambda f: dates.order_evidence(cells[f]), fields))
    evidence = dict(zip(fields, found, strict=True))
    orders = dates.settle_orders(evidence, profile.date_order, file=name, headers=headers)
    return evidence, orders


def _assumed_orders(
    evidence: dict[str, dates.OrderEvidence],
    orders: dict[str, dates.OrderChoice],
    headers: dict[str, str],
    good: np.ndarray,
    rows: np.ndarray,
) -> facts.FactCount | None:
    """The rows whose dates no cell of their own column could decide, by column and order."""
    mask = np.zeros(len(good), dtype=bool)
    by_column: dict[str, int] = {}
    for name, choice in orders.items():
        if not choice.assumed:
            continue
        ambiguous = evidence[name].ambiguous & good
        why = f"依「{choice.basis}」列" if choice.rule == "sibling" else "依配置声明"
        by_column[f"{headers[name]} 按{dates.ORDER_LABELS[choice.order]}（{why}）"] = int(
            ambiguous.sum()
        )
        mask |= ambiguous
    return facts.fact("date_order_assumed", mask, rows, by_column=by_column)


def _parse_times(
    field: str,
    cells: pa.Array,
    *,
    orders: dict[str, str],
    date_order: str,
    timezone: str,
    whole_seconds: bool,
    evidence: dict[str, dates.OrderEvidence],
) -> tuple[pa.Array, np.ndarray]:
    """Parse one date field in its order; in a declared mdy/dmy order, record its evidence."""
    order = orders.get(field, date_order)
    if order in ("mdy", "dmy") and field not in orders:
        parsed, bad, evidence[field] = dates.parse_with_evidence(
            cells, date_order=order, timezone=timezone
        )
    else:
        parsed, bad = dates.parse_datetimes(cells, date_order=order, timezone=timezone)
    if whole_seconds:  # Excel keeps times as fractions of a day: 09:32:08.999 is 09:32:09
        parsed = pc.round_temporal(parsed, unit="second")
    return parsed, bad


#: Parses one date field's cells (the field decides the day/month order).
TimeParser = Callable[[str, pa.Array], tuple[pa.Array, np.ndarray]]


def _required_fields(
    cells: dict[str, pa.Array], times: TimeParser
) -> tuple[dict[str, pa.Array], dict[str, np.ndarray], bool]:
    """Parse id and received time; return the masks of rows lacking either, and if ids repeat."""
    ids, lost = values.normalize_ids(cells["order_id"])
    received, unparseable = times("received_at", cells["received_at"])
    missing_id = pc.is_null(ids).to_numpy(zero_copy_only=False)
    # Whether any id repeats: when none does in a single export, the merge has nothing to do.
    repeats = pc.count_distinct(ids).as_py() < len(ids) - ids.null_count
    missing_received = pc.is_null(received).to_numpy(zero_copy_only=False) & ~unparseable
    bad = {
        "missing_order_id": missing_id,
        "lost_order_id": lost & ~missing_id,
        "unparseable_received_at": unparseable & ~missing_id & ~lost,
        "missing_received_at": missing_received & ~missing_id & ~lost,
    }
    return {"order_id": ids, "received_at": received}, bad, repeats


def _reject_unusable(
    columns: dict[str, pa.Array],
    bad: dict[str, np.ndarray],
    received_cells: pa.Array,
    rows: np.ndarray,
    name: str,
    rejects: list[pa.Table],
    callers: dict[str, str],
) -> tuple[np.ndarray, dict[str, int]]:
    """Record rejected rows with their reason; return the mask of rows kept and the counts."""
    shown = {"lost_order_id": columns["order_id"], "unparseable_received_at": received_cells}
    rejected = np.zeros(len(rows), dtype=bool)
    counts: dict[str, int] = {}
    for reason, mask in bad.items():
        if not mask.any():
            continue
        where = np.flatnonzero(mask)
        if reason in shown:
            cells = pc.take(shown[reason], pa.array(where)).to_pylist()
            details = [privacy.safe_example(v, names=callers) for v in cells]
        else:
            details = [""] * len(where)
        rejects.append(rejects_table(name, rows[where].tolist(), reason, details))
        counts[reason] = len(where)
        rejected |= mask
    return ~rejected, counts


def column_headers(match: HeaderMatch) -> dict[str, str]:
    """Canonical field -> its header, screened: a column named after a caller is not shown.

    See :func:`privacy.safe_header`.
    """
    return {f: privacy.safe_header(match.headers[i]) for f, i in match.fields.items()}


def read_result(grid: Grid, name: str) -> ReadResult:
    """What reading one table (sheet) of a file found: sheet, encoding, lines."""
    return ReadResult(
        name=name, path=name, sheet=grid.sheet, encoding=grid.encoding, lines=grid.lines
    )


def table_layout(
    grid: Grid, choice: HeaderChoice, counted: RowCount, role: str = "orders"
) -> LayoutResult:
    """The layout of one table: its profile (and scores), header, columns and row counts.

    Headers are screened (:func:`privacy.safe_header`): a column named after a caller is not.
    """
    profile, match = choice.profile, choice.match
    return LayoutResult(
        profile=profile.name,
        profile_scores=dict(choice.scores),
        profile_rows=dict(choice.accepted),
        kind=profile.kind,
        role=role,
        language=profile.language,
        calendar=profile.calendar,
        header_row=grid.header_row,
        columns=column_headers(match),
        ignored_columns=tuple(privacy.safe_header(h) for h in match.ignored),
        rows_in=counted.rows_in,
        blank_rows=counted.blank_rows,
        rejected=counted.rejected,
    )


def _cells(grid: Grid, fields: dict[str, int]) -> dict[str, pa.Array]:
    empty = pa.repeat(pa.scalar(""), grid.n_rows)
    return {f: grid.columns[i] if i < len(grid.columns) else empty for f, i in fields.items()}


@dataclass
class _Parsed:
    """What one parsing task produced.

    Attributes:
        columns: Canonical columns.
        unparseable: ``(field, cells, mask, expected, kind)`` of cells that could not be read;
            ``kind`` is ``time`` (dates and numbers) or ``code`` (vocabulary words).
        mojibake: Field -> mask of its cells that look mis-decoded.
    """

    columns: dict[str, pa.Array]
    unparseable: list[tuple[str, pa.Array, np.ndarray, str, str]]
    mojibake: dict[str, np.ndarray] = field(default_factory=dict)


def _label(
    cells: pa.Array,
    *,
    town: bool = False,
    missing: frozenset[str] = frozenset(),
    callers: dict[str, str] | None = None,
    person_like: bool = False,
) -> tuple[pa.Array, np.ndarray]:
    """A short label, tidied and scrubbed once per distinct value (a phone in 承办单位 goes too).

    A town keeps its administrative name only: ``张家村李小明家`` becomes ``张家村`` (addresses
    are cut at 街道/社区 level, domain reference §8.2). A value the profile lists as meaning
    "not stated" (``Unspecified``) becomes empty. The file's callers' names are masked in any
    form, and with ``person_like`` (a column of organisations, places or status words) a value
    that reads as a person's name becomes ``[姓名]`` (:func:`.privacy.screen_labels`).

    Returns:
        The labels and the mask of rows whose label looks mis-decoded (mojibake).
    """
    encoded = pc.dictionary_encode(pc.cast(cells, pa.string()))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    distinct = encoded.dictionary
    label = privacy.scrub_text(values.clean_label(distinct))
    if town:
        label = pc.replace_substring_regex(label, _TOWN, r"\1")
    label = privacy.screen_labels(label, callers or {}, person_like=person_like)
    if missing:
        folded = pc.utf8_lower(pc.replace_substring_regex(label, r"\s+", ""))
        label = pc.if_else(pc.is_in(folded, pa.array(sorted(missing))), None, label)
    odd = values.looks_mojibake(distinct)
    indices = encoded.indices
    rows_odd = np.zeros(len(indices), dtype=bool)
    if odd.any():
        rows_odd = pc.fill_null(pc.take(pa.array(odd), indices), False).to_numpy(
            zero_copy_only=False
        )
    return pc.take(label, indices), rows_odd


_TOWN = r"^(.+?(?:街道办事处|街道|办事处|镇|乡|苏木|社区|村|屯))[^(（]+$"


def _field_tasks(
    cells: dict[str, pa.Array], profile: Profile, times: TimeParser, key: bytes
) -> tuple[list[Callable[[], _Parsed | _Screened]], list[tuple[pa.Array, str]], dict[str, str]]:
    """One task per independent piece of work, to run in parallel, the longest first.

    Returns:
        The tasks (free text is screened only: see :func:`_finish_text`), the callers' own
        identifiers, to remove from free text, and the file's caller names
        (:func:`.privacy.caller_index`), to mask in labels and examples.
    """
    tasks: list[Callable[[], _Parsed | _Screened]] = []
    identifiers = [
        (values.clean_label(cells[f]), placeholder)
        for f, placeholder in (("caller_name", "[姓名]"), ("caller_user", "[留言用户]"))
        if f in cells
    ]
    callers = (
        privacy.caller_index(pc.unique(identifiers[0][0]).to_pylist())
        if "caller_name" in cells
        else {}
    )
    for name in ("content", "reply", "title"):  # the request text is the longest job
        if name in cells:
            tasks.append(partial(_screen_text, name, cells))
    if any(f in cells for f in ("caller_phone", "caller_user")):
        tasks.insert(1, partial(_callers, cells, profile, key))
    for name in _TIMESTAMP_FIELDS:
        if name in cells:
            tasks.append(partial(_timestamps, name, cells[name], times))
    for name in _LABEL_FIELDS:
        if name in cells:
            tasks.append(partial(_labels, name, cells[name], profile.missing_values, callers))
    for name in ("status", "request_type", "channel", "satisfaction"):
        if name in cells:
            tasks.append(partial(_vocabulary, name, cells[name], profile, callers))
    if any(f in cells for f in (*_BOOLEAN_FIELDS, "return_count")):
        tasks.append(partial(_flags, cells, profile))
    return tasks, identifiers, callers


#: Label columns that name organisations or places: a person's name there is masked whole.
_PLACES = ("town", "department")


def _labels(
    name: str, cells: pa.Array, missing: frozenset[str], callers: dict[str, str]
) -> _Parsed:
    labels, odd = _label(
        cells,
        town=name == "town",
        missing=missing,
        callers=callers,
        person_like=name in _PLACES,
    )
    return _Parsed({name: labels}, [], {name: odd})


def _timestamps(name: str, cells: pa.Array, times: TimeParser) -> _Parsed:
    parsed, bad = times(name, cells)
    columns = {name: parsed}
    if name == "due_at":  # 办理时限 may be a duration: "5个工作日"
        workdays = values.parse_workdays(cells)
        bad &= ~pc.is_valid(workdays).to_numpy(zero_copy_only=False)
        columns["time_limit_workdays"] = workdays
    return _Parsed(columns, [(name, cells, bad, "日期时间", "time")])


@dataclass
class _Screened:
    """Free text after its screening pass, before its scrubbed rows are put back.

    Attributes:
        name: The field.
        chunks: The raw column's chunks: the only reference left to them once the grid is
            released, so that putting the scrubbed rows back frees each raw chunk as its
            copy is made (the copy then reuses that memory instead of faulting in more).
        text_type: The column's Arrow type.
        hits: Rows to replace.
        replacements: Their tidied and scrubbed text, in order.
        odd: Rows that look mis-decoded.
    """

    name: str
    chunks: list[pa.Array]
    text_type: pa.DataType
    hits: np.ndarray
    replacements: pa.Array | None
    odd: np.ndarray


def _screen_text(name: str, cells: dict[str, pa.Array]) -> _Screened:
    # One screening pass finds the cells to tidy, to scrub or to report as mis-decoded; the
    # rest of the column is neither scanned again nor copied.
    raw = cells.pop(name)
    screen = f"{values.TIDY_SCREEN}|{privacy.SCRUB_SCREEN}|{values.MOJIBAKE}"
    hits = pc.fill_null(pc.match_substring_regex(raw, screen), False).to_numpy(zero_copy_only=False)
    odd = np.zeros(len(hits), dtype=bool)
    replacements = None
    if hits.any():
        subset = pc.filter(raw, pa.array(hits))
        odd[np.flatnonzero(hits)[values.looks_mojibake(subset)]] = True
        replacements = privacy.scrub_text(values.clean_text(subset))
    chunks = list(raw.chunks) if isinstance(raw, pa.ChunkedArray) else [raw]
    return _Screened(name, chunks, raw.type, hits, replacements, odd)


def _finish_text(screened: _Screened, identifiers: list[tuple[pa.Array, str]]) -> _Parsed:
    chunks, screened.chunks = screened.chunks, []
    if screened.replacements is not None:
        values.replace_in_chunks(chunks, screened.hits, screened.replacements)
    text = values.empty_to_null(pa.chunked_array(chunks, type=screened.text_type))
    del chunks
    for who, placeholder in identifiers:
        text = privacy.scrub_identifiers(text, who, placeholder)
    return _Parsed({screened.name: text}, [], {screened.name: screened.odd})


def _vocabulary(name: str, cells: pa.Array, profile: Profile, callers: dict[str, str]) -> _Parsed:
    # An empty cell in a satisfaction column: not evaluated.
    empty = "not_evaluated" if name == "satisfaction" else None
    codes, unknown = values.map_vocabulary(cells, lambda vs: profile.lookup(name, vs), empty)
    enum = schema.ENUMS[name]
    expected = "以下之一：" + "、".join(enum.label(c) for c in enum.codes)
    columns = {name: codes}
    if name == "status":
        columns["status_raw"], _ = _label(cells, callers=callers, person_like=True)
    return _Parsed(columns, [(name, cells, unknown, expected, "code")])


def _flags(cells: dict[str, pa.Array], profile: Profile) -> _Parsed:
    parsed = _Parsed({}, [])
    for name in _BOOLEAN_FIELDS:
        if name in cells:
            codes, unknown = values.map_vocabulary(
                cells[name], lambda vs: profile.lookup("boolean", vs)
            )
            parsed.columns[name] = pc.equal(codes, "true")
            parsed.unparseable.append((name, cells[name], unknown, "是或否", "code"))
    if "return_count" in cells:
        counts, bad = values.parse_ints(cells["return_count"])
        parsed.columns["return_count"] = counts
        parsed.unparseable.append(("return_count", cells["return_count"], bad, "整数", "time"))
    return parsed


def _callers(cells: dict[str, pa.Array], profile: Profile, key: bytes) -> _Parsed:
    """caller_key from the phone (else the online user id) and the masked phone."""
    columns: dict[str, pa.Array] = {}
    keys = None
    if "caller_user" in cells:
        keys = privacy.caller_keys(values.clean_label(cells["caller_user"]), key, "user")
    if "caller_phone" in cells:
        phones = privacy.normalize_phones(cells["caller_phone"])
        by_phone = privacy.caller_keys(phones, key, "phone")
        keys = by_phone if keys is None else pc.coalesce(by_phone, keys)
        # a number the export masked already is shown as the export showed it
        masked = pc.coalesce(
            privacy.mask_phones(phones), privacy.premasked_phones(cells["caller_phone"])
        )
        if "confidential" in cells:
            # The caller asked for confidentiality: not even the masked number is kept.
            flags, _ = values.map_vocabulary(
                cells["confidential"], lambda vs: profile.lookup("boolean", vs)
            )
            masked = pc.if_else(pc.fill_null(pc.equal(flags, "true"), False), None, masked)
        columns["caller_phone_masked"] = masked
    columns["caller_key"] = keys
    return _Parsed(columns, [])


def _answers_directly(status: pa.Array | None) -> bool:
    """Whether every accepted order's status is 直接答复: each says it was never dispatched.

    An export without unit or dispatch columns then still tells dispatch for all its orders,
    as the metrics read it (直接答复率 100%); one open order among them would not tell.
    """
    if status is None:
        return False
    codes: pa.Array = status
    if pa.types.is_dictionary(status.type):  # the codes used, not every row
        codes = status.dictionary.take(pc.unique(status.indices).drop_null())
    used = set(pc.unique(codes.cast(pa.string())).drop_null().to_pylist())
    return used - set(rules.VOID_STATUSES) == {"answered_directly"}


def _void_by_reason(
    columns: dict[str, pa.Array], reasons: pa.Array, profile: Profile, rows: np.ndarray
) -> facts.FactCount | None:
    """Give a request the void status its closure reason names, whatever its status says.

    Boston closes invalid and duplicate cases as ``Closed`` and says why in
    ``closure_reason``; the profile's ``void_reasons`` lists the phrases (folded).

    Returns:
        The fact of the requests voided, by the status they got (``None``: none).
    """
    status = columns.get("status", pa.nulls(len(rows), pa.string()))
    # a request its status already voids keeps that status and is not counted again
    voided = pc.fill_null(pc.is_in(status, pa.array(rules.VOID_STATUSES)), False)
    void = pc.if_else(
        voided, pa.scalar(None, pa.string()), values.phrase_codes(reasons, profile.void_reasons)
    )
    hit = pc.is_valid(void).to_numpy(zero_copy_only=False)
    if not hit.any():
        return None
    columns["status"] = pc.coalesce(void, status)
    counts = pc.value_counts(pc.drop_null(void)).to_pylist()
    by_status = dict(sorted((c["values"], c["counts"]) for c in counts))
    return facts.fact("void_by_reason", hit, rows, by_status=by_status)


def _void_duplicates(
    columns: dict[str, pa.Array], flags: pa.Array, profile: Profile, rows: np.ndarray
) -> facts.FactCount | None:
    """Give ``duplicate`` to every request the export's duplicate flag marks yes.

    Chicago keeps a duplicate request ``Completed`` and says so in a ``DUPLICATE`` column of
    ``true``/``false``; counted as accepted, it would count the same request twice.

    Returns:
        The fact of the requests voided (``None``: none).
    """
    read, _ = values.map_vocabulary(flags, lambda vs: profile.lookup("boolean", vs))
    status = columns.get("status", pa.nulls(len(rows), pa.string()))
    voided = pc.fill_null(pc.is_in(status, pa.array(rules.VOID_STATUSES)), False)
    hit = pc.and_(pc.fill_null(pc.equal(read, "true"), False), pc.invert(voided))
    marked = hit.to_numpy(zero_copy_only=False)
    if not marked.any():
        return None
    columns["status"] = pc.if_else(hit, pa.scalar("duplicate"), status.cast(pa.string()))
    return facts.fact("void_by_flag", marked, rows, by_status={"duplicate": int(marked.sum())})


def _derive(columns: dict[str, pa.Array], profile: Profile, n: int, *, has_status: bool) -> None:
    """Channel, status and close time a profile implies when the export does not say.

    An online message is closed by a reply only when the export says nothing else: without a
    status column, or where its status cell is empty. An unreadable status stays missing, and
    so does the status of every message of an export with no status, reply or close time
    column (its closure is unknown, not "open"). With
    ``close_time = "updated_at"`` (Open311), a closed request's last update is its close time;
    an open request's last update is dropped.
    """
    updated = columns.pop("updated_at", None)
    if profile.close_time == "updated_at" and updated is not None and "status" in columns:
        closed = pc.fill_null(
            pc.is_in(columns["status"], pa.array(rules.closed_statuses(profile.kind))), False
        )
        given = columns.get("closed_at", pa.nulls(n, pa.timestamp("us")))
        columns["closed_at"] = pc.coalesce(given, pc.if_else(closed, updated, None))
    if "channel" not in columns and profile.default_channel:
        columns["channel"] = pa.repeat(pa.scalar(profile.default_channel), n)
    # a column that is there but blank in every row says no more than a missing one
    knows_closure = any(
        name in columns and columns[name].null_count < len(columns[name])
        for name in ("status_raw", "status", "reply", "replied_at", "closed_at")
    )
    if profile.status_from_reply and not knows_closure:
        # no status, no reply, no close time: the export says nothing of closure, and an
        # unknown state must not read as "received, still open"
        columns["status"] = pa.nulls(n, pa.string())
    elif profile.status_from_reply:
        replied = pc.or_(
            pc.is_valid(columns.get("reply", pa.nulls(n, pa.string()))),
            pc.is_valid(columns.get("replied_at", pa.nulls(n, pa.timestamp("us")))),
        )
        derived = pc.if_else(replied, "replied", "received")
        if not has_status:
            columns["status"] = derived
        else:
            empty = pc.is_null(columns["status_raw"])
            columns["status"] = pc.if_else(empty, derived, columns["status"])
