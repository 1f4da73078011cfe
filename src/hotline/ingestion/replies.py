r"""Reply tables: message boards that publish the replies apart from the messages.

Some platforms export messages (留言编号, 留言时间, 留言详情…) and replies (留言编号, 答复意见,
答复时间, maybe 答复单位) as two tables. A reply table has no received time, so it cannot be read
as messages; it is recognised by its header (an online profile's id column plus reply columns
and nothing else the profile knows) and joined to the messages of the same ingest by id:

* each message with a reply gains ``reply``, ``replied_at`` (and ``department`` when the
  table has it) and, where its own export states no status, the status ``replied``; the other
  messages of a messages file that received replies get ``received`` (open), since the reply
  table says they have none;
* a reply row joined to its message is counted as merged (``reply_joined``); a repeated id in
  the reply tables keeps the last copy (latest export, then last row), the others merged as
  ``duplicate`` or ``later_snapshot``; a reply whose id matches no message is rejected
  (``reply_without_message``), and one whose id names an id collision (:mod:`.identity`) too
  (``reply_to_colliding_id``).

The reply text is tidied and scrubbed as any free text, and the message's own user id is
masked in it (``网友“A00023583”`` -> ``网友“[留言用户]”``): the raw id is gone by the join, so
candidate words of the reply are matched against the message's caller key.

Example:
    >>> import tempfile, pathlib
    >>> from hotline.profiles import builtin
    >>> csv = pathlib.Path(tempfile.mkdtemp()) / "答复.csv"
    >>> _ = csv.write_text("留言编号,答复意见,答复时间\n7,已转办,2021/3/9 10:00\n", "utf-8")
    >>> replies = read_replies(csv, [builtin("online")], name="答复.csv")
    >>> replies.table.column("order_id").to_pylist(), replies.stages.layout.role
    (['7'], 'replies')
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion import dates, facts, privacy, values
from hotline.ingestion.accounting import REJECTS_SCHEMA, rejects_table
from hotline.ingestion.convert import (
    RowCount,
    _account_layout,
    _cells,
    _layout,
    column_headers,
    read_result,
    table_layout,
)
from hotline.ingestion.layout import HeaderChoice, find_tables
from hotline.ingestion.limits import DEFAULT, Limits
from hotline.ingestion.readers import Grid, open_source
from hotline.ingestion.snapshots import snapshot_from_name, snapshot_from_preamble
from hotline.ingestion.stages import (
    MergeResult,
    Stages,
    Unparseable,
    ValuesResult,
    add_counts,
)
from hotline.profiles import Profile
from hotline.profiles.zones import FROM_DATA

__all__ = ["REPLY_FIELDS", "Replies", "ReplyJoin", "join_replies", "read_replies"]

#: The fields a reply table may hold besides the message id.
REPLY_FIELDS = ("reply", "replied_at", "department")
_EXAMPLES = 5


@dataclass
class Replies:
    """One reply table, read.

    Attributes:
        table: ``order_id``, the reply fields it has, ``source_row`` and ``_order``.
        stages: What reading it found (``role="replies"``); :func:`join_replies` tells what
            was merged and rejected by the join.
        rejects: Rows rejected (layout, ids; the join's rejects are apart).
        snapshot: Snapshot time found in the file, if any.
    """

    table: pa.Table
    stages: Stages
    rejects: pa.Table
    snapshot: dt.datetime | None


def _reply_choices(
    heads: Sequence[tuple[str | None, Sequence[Sequence[str]]]],
    profiles: Sequence[Profile],
    name: str,
) -> list[HeaderChoice]:
    """The reply tables of a file: headers holding an id and replies but no message fields."""
    for profile in profiles:
        if not profile.status_from_reply or profile.timezone == FROM_DATA:
            continue
        lenient = replace(profile, required=("order_id",))
        try:
            choices = find_tables(heads, [lenient], name)
        except InputError:
            continue
        allowed = {"order_id", *REPLY_FIELDS}
        if all(
            set(c.match.fields) <= allowed and set(c.match.fields) & {"reply", "replied_at"}
            for c in choices
        ):
            return [replace(c, profile=profile) for c in choices]
    return []


def read_replies(
    path: Path,
    profiles: Sequence[Profile],
    *,
    name: str | None = None,
    limits: Limits = DEFAULT,
    forced: bool = False,
) -> Replies | None:
    """Read a file as a reply table, or ``None`` when it is not one.

    Args:
        path: The export.
        profiles: Candidate profiles; only online ones (closed by a reply) read reply tables.
        name: How the file is named in ``source_file`` and messages.
        limits: What the file may make the reader allocate.
        forced: The profile was given, not detected (recorded in the account).
    """
    name = name or privacy.safe_file_names([path.name])[0]
    source = open_source(path, name, limits)
    choices = _reply_choices(source.heads(), profiles, name)
    if not choices:
        return None
    tables = []
    rejects: list[pa.Table] = []
    preamble: list[str] = []
    counts: list[RowCount] = []
    rejected: dict[str, int] = {}
    unparseable: dict[str, Unparseable] = {}
    first: Grid | None = None
    for choice in choices:
        grid = source.read(choice.key, choice.index, choice.match.fields["order_id"])
        first = first or grid
        part, counted, bad_ids, bad_times = _read_table(grid, choice, name, rejects)
        tables.append(part)
        counts.append(counted)
        rejected = add_counts(rejected, bad_ids)
        unparseable.update(bad_times)
        preamble += grid.preamble
    assert first is not None
    snapshot, rule = snapshot_from_preamble(preamble), "export line"
    if snapshot is None:
        snapshot, rule = snapshot_from_name(path.name), "file name"
    if snapshot is None:
        rule = "order"
    # The first table's read and layout stand for the file, with the row counts of all.
    read = replace(read_result(first, name), size=path.stat().st_size, snapshot_rule=rule)
    every = RowCount(
        np.zeros(0, bool),
        sum(c.rows_in for c in counts),
        sum(c.blank_rows for c in counts),
        add_counts(*(c.rejected for c in counts)),
    )
    layout = replace(
        table_layout(first, choices[0], every, role="replies"),
        profile_rule="forced" if forced else "auto",
    )
    zone = ValuesResult(
        timezone=choices[0].profile.timezone, rejected=rejected, unparseable=unparseable
    )
    table = pa.concat_tables(tables, promote_options="permissive")
    table = table.append_column("_order", pa.array(np.arange(table.num_rows), pa.int64()))
    reject_table = pa.concat_tables(rejects) if rejects else REJECTS_SCHEMA.empty_table()
    return Replies(table, Stages(read, layout, zone), reject_table, snapshot)


def _read_table(
    grid: Grid, choice: HeaderChoice, name: str, rejects: list[pa.Table]
) -> tuple[pa.Table, RowCount, dict[str, int], dict[str, Unparseable]]:
    """One sheet of a reply table: layout rows accounted, ids and reply fields parsed.

    Returns:
        The replies, the layout's row counts, rows rejected for their id, unparseable times.
    """
    profile, match = choice.profile, choice.match
    rows = grid.rows
    counted = _account_layout(grid, _layout(grid.columns, match), rows, name, rejects)
    usable = counted.usable
    cells = _cells(grid, match.fields)
    ids, lost = values.normalize_ids(cells["order_id"])
    missing = pc.is_null(ids).to_numpy(zero_copy_only=False)
    good = usable.copy()
    rejected: dict[str, int] = {}
    for reason, mask in (("missing_order_id", missing), ("lost_order_id", lost & ~missing)):
        mask = mask & usable
        if mask.any():
            where = np.flatnonzero(mask)
            shown = pc.take(ids, pa.array(where)).to_pylist() if reason == "lost_order_id" else []
            details = [privacy.safe_example(v, "code") for v in shown] or [""] * where.size
            rejects.append(rejects_table(name, rows[where].tolist(), reason, details))
            rejected[reason] = int(where.size)
            good &= ~mask
    columns: dict[str, pa.Array] = {"order_id": ids}
    unparseable: dict[str, Unparseable] = {}
    if "reply" in cells:
        columns["reply"] = privacy.scrub_text(values.clean_text(cells["reply"]))
    if "replied_at" in cells:
        parsed, bad = dates.parse_datetimes(
            cells["replied_at"], date_order=profile.date_order, timezone=profile.timezone
        )
        if grid.from_excel:  # Excel keeps times as fractions of a day
            parsed = pc.round_temporal(parsed, unit="second")
        columns["replied_at"] = parsed
        found = _unparseable(cells["replied_at"], bad & good, rows)
        if found is not None:
            unparseable[column_headers(match)["replied_at"]] = found
    if "department" in cells:
        labels = values.on_distinct(
            values.clean_label(cells["department"]),
            lambda d: privacy.screen_labels(privacy.scrub_text(d), {}, person_like=True),
        )
        columns["department"] = labels
    keep = pa.array(good)
    table = pa.table({f: pc.filter(a, keep) for f, a in columns.items()})
    table = table.append_column("source_row", pa.array(rows[good], pa.int32()))
    return table, counted, rejected, unparseable


def _unparseable(cells: pa.Array, bad: np.ndarray, rows: np.ndarray) -> Unparseable | None:
    count = int(bad.sum())
    if not count:
        return None
    where = np.flatnonzero(bad)[:_EXAMPLES]
    shown = pc.take(cells, pa.array(where)).to_pylist()
    examples = tuple(
        (int(rows[i]), privacy.safe_example(v)) for i, v in zip(where, shown, strict=True)
    )
    return Unparseable(count, "日期时间", examples)


@dataclass
class ReplyJoin:
    """What joining the reply tables of one ingest made.

    Attributes:
        table: The messages with reply fields and statuses filled in.
        replies: Per reply table, what the join made of its rows (merged, rejected).
        rejects: Per reply table, the rows the join rejected.
        messages: Per messages file (index of ``_file``), what the join told of its rows:
            closure now known, messages without a reply, checks of the replies' times.
    """

    table: pa.Table
    replies: list[MergeResult]
    rejects: list[pa.Table]
    messages: dict[int, MergeResult] = field(default_factory=dict)


def join_replies(
    messages: pa.Table,
    replies: Sequence[Replies],
    ranks: Sequence[int],
    key: bytes,
    colliding: Collection[str] = (),
    *,
    replied: bool | None = None,
) -> ReplyJoin:
    """Join reply tables to the online messages of one ingest, and account for the join.

    Args:
        messages: The merged messages and orders (with ``_file``: index of their export).
        replies: The reply tables.
        ranks: Snapshot rank of each reply table (oldest 0), as :func:`.snapshot_order`.
        key: The caller-key secret, to find the message's user id in its reply.
        colliding: Original ids of online requests kept apart as an id collision.
        replied: The ingest has reply rows, if not in ``replies`` (a merge range without any
            still joins: its messages are unanswered); default: whether ``replies`` has rows.

    Returns:
        The messages with reply fields and statuses filled in, and the join's account.
    """
    parts = []
    for index, item in enumerate(replies):
        n = item.table.num_rows
        part = item.table.append_column("_file", pa.array(np.full(n, index), pa.int32()))
        parts.append(part.append_column("_rank", pa.array(np.full(n, ranks[index]), pa.int32())))
    combined = pa.concat_tables(parts, promote_options="permissive")
    empty = REJECTS_SCHEMA.empty_table()
    if combined.num_rows == 0 and not replied:
        return ReplyJoin(messages, [MergeResult() for _ in replies], [empty for _ in replies])
    order = np.asarray(
        pc.sort_indices(
            combined,
            sort_keys=[(k, "ascending") for k in ("order_id", "_rank", "_file", "_order")],
        )
    )
    ordered = pc.take(combined, pa.array(order))
    ids = ordered.column("order_id")
    n = combined.num_rows
    last = np.ones(n, dtype=bool)
    file_of = ordered.column("_file").to_numpy(zero_copy_only=False)
    same_file = np.zeros(n, dtype=bool)
    if n:
        last[:-1] = pc.not_equal(ids.slice(0, n - 1), ids.slice(1)).to_numpy(zero_copy_only=False)
        copy = np.cumsum(np.concatenate(([True], last[:-1])))
        same_file = file_of[last][copy - 1] == file_of
    merged: list[dict[str, int]] = []
    for index in range(len(replies)):
        mine = file_of == index
        merged.append({})
        for reason, mask in (("duplicate", same_file), ("later_snapshot", ~same_file)):
            count = int((mine & ~last & mask).sum())
            if count:
                merged[index][reason] = count
    winners = ordered.filter(pa.array(last))
    online = pc.fill_null(
        pc.equal(pc.cast(messages.column("source_kind"), pa.string()), "online"), False
    ).to_numpy(zero_copy_only=False)
    online_rows = np.flatnonzero(online)
    online_ids = pc.take(messages.column("order_id"), pa.array(online_rows))
    found = pc.index_in(winners.column("order_id"), value_set=online_ids)
    matched = pc.is_valid(found).to_numpy(zero_copy_only=False)
    accounts, rejects = _reject_unmatched(winners, matched, replies, colliding, merged)
    target = np.full(messages.num_rows, -1, dtype=np.int64)
    positions = online_rows[pc.filter(found, pa.array(matched)).to_numpy(zero_copy_only=False)]
    target[positions] = np.flatnonzero(matched)
    table, told = _fill(messages, winners, target, key)
    return ReplyJoin(table, accounts, rejects, told)


def _reject_unmatched(
    winners: pa.Table,
    matched: np.ndarray,
    replies: Sequence[Replies],
    colliding: Collection[str],
    merged: list[dict[str, int]],
) -> tuple[list[MergeResult], list[pa.Table]]:
    """Each reply table's join: merged (copies, joined) and rejected (no message to join)."""
    files = winners.column("_file").to_numpy(zero_copy_only=False)
    ids = winners.column("order_id").to_pylist()
    rows = winners.column("source_row").to_numpy(zero_copy_only=False)
    ambiguous = np.array([i in colliding for i in ids], dtype=bool)
    accounts: list[MergeResult] = []
    rejects: list[pa.Table] = []
    for index, item in enumerate(replies):
        mine = files == index
        joined = int((mine & matched).sum())
        if joined:
            merged[index]["reply_joined"] = joined
        tables = [REJECTS_SCHEMA.empty_table()]
        rejected: dict[str, int] = {}
        for reason, mask in (
            ("reply_without_message", mine & ~matched & ~ambiguous),
            ("reply_to_colliding_id", mine & ~matched & ambiguous),
        ):
            where = np.flatnonzero(mask)
            if where.size:
                details = [privacy.safe_example(ids[i], "code") for i in where]
                tables.append(
                    rejects_table(item.stages.name, rows[where].tolist(), reason, details)
                )
                rejected[reason] = int(where.size)
        rejects.append(pa.concat_tables(tables))
        accounts.append(MergeResult(merged=merged[index], rejected=rejected))
    return accounts, rejects


def _fill(
    messages: pa.Table,
    winners: pa.Table,
    target: np.ndarray,
    key: bytes,
) -> tuple[pa.Table, dict[int, MergeResult]]:
    """Put each joined reply on its message and settle the statuses.

    Returns:
        The messages, and what the join told each messages file (by ``_file``).
    """
    n = messages.num_rows
    has = target >= 0
    index = pa.array(np.where(has, target, 0), mask=~has)
    columns = {name: messages.column(name) for name in messages.column_names}
    given_reply = columns.get("replied_at")
    for name in REPLY_FIELDS:
        if name not in winners.column_names:
            continue
        new = pc.take(winners.column(name), index)
        if name == "reply" and "caller_key" in columns:
            new = _mask_own_user(new, columns["caller_key"], key)
        old = columns.get(name)
        columns[name] = new if old is None else pc.coalesce(new, pc.cast(old, new.type))
    # Messages of a file that got replies: where the export states no status, a reply closes
    # the message and no reply leaves it open (the reply table would have listed one).
    files = pc.cast(columns["source_file"], pa.string())
    answered = pc.unique(pc.filter(files, pa.array(has)))
    online = pc.equal(pc.cast(columns["source_kind"], pa.string()), "online")
    stated = columns.get("status_raw")
    silent = pa.array(np.ones(n, bool)) if stated is None else pc.is_null(stated)
    settle = pc.fill_null(pc.and_(pc.and_(pc.is_in(files, answered), online), silent), False)
    replied = pc.or_(
        pc.is_valid(columns.get("reply", pa.nulls(n, pa.string()))),
        pc.is_valid(columns.get("replied_at", pa.nulls(n, pa.timestamp("us")))),
    )
    derived = pc.if_else(replied, "replied", "received")
    status = columns.get("status", pa.nulls(n, pa.string()))
    columns["status"] = pc.if_else(settle, derived, pc.cast(status, pa.string()))
    told = _closure_now_known(columns, settle, replied)
    if "replied_at" in winners.column_names and "_file" in columns:
        checked = _reply_facts(columns, has, given_reply)
        for index, found in checked.items():
            told[index] = told.get(index, MergeResult()).then(found)
    return pa.table(columns), told


def _closure_now_known(
    columns: dict[str, pa.Array], settle: pa.Array, replied: pa.Array
) -> dict[int, MergeResult]:
    """A message file joined to a reply table now says which messages are closed.

    Its account gains the closure information and a fact for the messages the reply table
    does not answer, which count as open.
    """
    if "_file" not in columns:
        return {}
    owners = pc.cast(columns["_file"], pa.int64()).to_numpy(zero_copy_only=False)
    settled = settle.to_numpy(zero_copy_only=False)
    open_ = settled & ~pc.fill_null(replied, False).to_numpy(zero_copy_only=False)
    rows = pc.cast(columns["source_row"], pa.int64()).to_numpy(zero_copy_only=False)
    told: dict[int, MergeResult] = {}
    for index in np.unique(owners[settled]):
        mine = owners == index
        quality = facts.found(facts.fact("no_reply_in_table", open_[mine], rows[mine]))
        told[int(index)] = MergeResult(quality=quality, information=("closure",))
    return told


def _reply_facts(
    columns: dict[str, pa.Array], has: np.ndarray, given: pa.Array | None
) -> dict[int, MergeResult]:
    """Close-time facts (reply before the message…) of the replies a table supplied."""
    fresh = has.copy()
    if given is not None:
        fresh &= pc.is_null(given).to_numpy(zero_copy_only=False)
    owners = pc.cast(columns["_file"], pa.int64()).to_numpy(zero_copy_only=False)
    told: dict[int, MergeResult] = {}
    for index in np.unique(owners[fresh]):
        mine = pa.array(fresh & (owners == index))
        subset = {
            name: pc.filter(columns[name], mine) for name in ("received_at", "replied_at", "status")
        }
        rows = pc.filter(columns["source_row"], mine).to_numpy(zero_copy_only=False)
        told[int(index)] = MergeResult(
            quality=facts.close_facts(subset, "online", rows, has_status=False)
        )
    return told


_WORDS = re.compile(r"[A-Za-z0-9_.@\-]{3,40}|(?<=[“\"「『])[^”\"」』\n]{1,30}(?=[”\"」』])")


def _user_key(candidate: str, key: bytes) -> str:
    """The caller key a user id would have (:func:`.privacy.caller_keys`, namespace ``user``)."""
    return hmac.new(key, f"user:{candidate}".encode(), "sha256").hexdigest()[:32]


def _mask_own_user(replies: pa.Array, callers: pa.Array, key: bytes) -> pa.Array:
    """Mask, in each reply, the words that are its message's own user id."""
    texts = replies.to_pylist()
    owners = pc.cast(callers, pa.string()).to_pylist()
    identifiers: list[str | None] = [None] * len(texts)
    for i, (text, owner) in enumerate(zip(texts, owners, strict=True)):
        if not text or not owner:
            continue
        # The key was made from the cleaned user id (NFKC, trimmed): clean the words alike.
        words = {unicodedata.normalize("NFKC", w).strip() for w in _WORDS.findall(text)}
        own = [w for w in words if w and _user_key(w, key) == owner]
        if own:
            identifiers[i] = "、".join(sorted(own, key=len, reverse=True))
    if not any(identifiers):
        return replies
    return privacy.scrub_identifiers(replies, pa.array(identifiers, pa.string()), "[留言用户]")
