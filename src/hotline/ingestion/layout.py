"""Find the tables inside an export: sheets and header rows, then totals, repeated headers, blanks.

Exports put title rows above the header (``XX县12345热线工单明细表``, ``导出时间：…``), merged title
cells, blank rows and columns, total and signature rows below the data (合计, 制表人), the header
again at every page break, and large exports spread over several sheets. The header of a sheet
is the row, among its first rows, that matches the most fields of a profile; a row holding every
required field beats one that does not.

The same search picks the profile (auto-detection): the profile that gives the best rank
(complete, fields matched) wins; on a tie, the earlier row. Profiles that tie on the same row
are kept as rivals: once the table is read, :func:`break_tie` picks the one that would accept
the most rows (:func:`accepted_rows`), then the profile listed first (user profiles, then
``hotline``, ``online``, ``nyc311``, ``la311``, ``open311``). The choice keeps every candidate's
score on the chosen row, and the rows each rival accepts, so the account can say why.

Example:
    >>> from hotline.profiles import builtin
    >>> heads = [("Sheet1", [["XX县12345热线工单明细表"], ["导出时间：2021-04-02"],
    ...                      ["工单编号", "受理时间", "诉求内容"]])]
    >>> [(c.key, c.index, c.profile.name) for c in find_tables(heads, [builtin("hotline")], "x")]
    [('Sheet1', 2, 'hotline')]
    >>> nyc = [(None, [["Unique Key", "Created Date", "Agency", "Complaint Type", "Status"]])]
    >>> choice = find_tables(nyc, [builtin(n) for n in ("hotline", "nyc311", "la311")], "x")[0]
    >>> choice.profile.name, choice.scores
    ('nyc311', {'hotline': 0, 'nyc311': 5, 'la311': 2})
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion import dates
from hotline.ingestion.privacy import safe_example
from hotline.ingestion.values import NON_BLANK
from hotline.profiles import HeaderMatch, Profile

__all__ = [
    "HeaderChoice",
    "accepted_rows",
    "blank_rows",
    "break_tie",
    "find_tables",
    "footer_rows",
    "is_footer_text",
    "repeated_header_rows",
]

#: Totals, and the signature and note lines platforms print under a table.
FOOTER = (
    r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|汇\s*总|制\s*表|审\s*核\s*人|填\s*报|负\s*责\s*人"
    r"|打\s*印\s*(时间|日期|人)|导\s*出\s*(时间|日期|人)|备\s*注\s*[:：]|说\s*明\s*[:：]|注\s*[:：])"
    r"|^\s*共\s*\d+\s*(条|件|行|笔)"
)
_FOOTER = re.compile(FOOTER)


def is_footer_text(text: str) -> bool:
    """Whether a line is a total, signature or note line rather than a record.

    Example:
        >>> is_footer_text("合计,9383"), is_footer_text("制表人：张三"), is_footer_text("A1,打印")
        (True, True, False)
    """
    return bool(_FOOTER.match(text))


@dataclass(frozen=True)
class HeaderChoice:
    """Where a table starts and which profile reads it.

    Attributes:
        key: Sheet name (Excel) or delimiter (CSV).
        index: 0-based row of the header within the sheet.
        profile: The profile whose headers matched best.
        match: Which column feeds which field.
        scores: Profile name -> fields it matched on the chosen header row, every candidate.
        rivals: Other profiles as good on the same row (same rank), in preference order;
            :func:`break_tie` decides between them once the rows are read.
        accepted: Profile name -> rows it would accept, for the profiles of a broken tie.
    """

    key: str | None
    index: int
    profile: Profile
    match: HeaderMatch
    scores: dict[str, int] = field(default_factory=dict)
    rivals: tuple[HeaderChoice, ...] = ()
    accepted: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every required field has a column."""
        return not self.profile.missing_required(self.match)


def _best_header(rows: Sequence[Sequence[str]], profiles: Sequence[Profile], key: str | None):
    best: HeaderChoice | None = None
    best_rank = (-1, -1)
    scores: dict[str, int] = {}
    rivals: list[HeaderChoice] = []
    for index, row in enumerate(rows):
        if sum(1 for cell in row if str(cell).strip()) < 2:
            continue
        here: dict[str, int] = {}
        found = [HeaderChoice(key, index, p, p.match_headers(row)) for p in profiles]
        ranks = [(int(c.complete), c.match.score) for c in found]
        for choice in found:
            here[choice.profile.name] = choice.match.score
        top = max(ranks, default=(-1, -1))
        if top > best_rank:  # strictly better: ties keep the earlier row
            tied = [c for c, rank in zip(found, ranks, strict=True) if rank == top]
            best, best_rank, scores, rivals = tied[0], top, here, tied[1:]
    if best is None:
        return None
    # Only complete matches can read rows; an incomplete best is reported as such.
    return replace(best, scores=scores, rivals=tuple(rivals) if best.complete else ())


def accepted_rows(choice: HeaderChoice, columns: Sequence[pa.Array | pa.ChunkedArray]) -> int:
    """How many rows the choice's profile would accept: every required field present and read.

    A required date must parse in the order its column (or a sibling date column) proves, else
    the profile's; a date column, required or not, that contradicts that order (or mixes
    orders) accepts nothing, since reading it so would stop the ingest.
    Vectorised over the table's rows.

    Example:
        >>> from hotline.profiles import builtin
        >>> nyc = builtin("nyc311")
        >>> choice = HeaderChoice(None, 0, nyc, nyc.match_headers(["Unique Key", "Created Date"]))
        >>> ids, created = pa.array(["1", "2", ""]), pa.array(["01/13/2021", "x", "1/2/2021"])
        >>> accepted_rows(choice, [ids, created])
        1
    """
    n = len(columns[0]) if columns else 0
    accepted = np.ones(n, dtype=bool)
    profile = choice.profile
    proven: dict[str, str | None] = {}
    if profile.date_order != "ymd":
        # Every date column the profile maps, required or not: one that contradicts the order
        # stops the ingest (dates.settle_orders), so the profile would accept no row at all.
        for name, index in choice.match.fields.items():
            if not name.endswith("_at") or index >= len(columns):
                continue
            found = dates.order_evidence(columns[index])
            declared = profile.date_order
            if found.mixed or (declared != dates.AUTO and found.proven not in (None, declared)):
                return 0
            proven[name] = found.proven
        if len({order for order in proven.values() if order}) > 1:
            return 0
    for name in profile.required:
        index = choice.match.fields.get(name)
        if index is None or index >= len(columns):
            return 0
        cells = columns[index]
        if name.endswith("_at"):
            order = profile.date_order
            if order != "ymd":
                sibling = next((o for o in proven.values() if o), None)
                order = proven.get(name) or sibling or (order if order != dates.AUTO else "ymd")
            # The zone does not change whether a time reads; UTC needs no offsets in the data.
            parsed, _ = dates.parse_datetimes(cells, date_order=order, timezone="UTC")
            accepted &= pc.is_valid(parsed).to_numpy(zero_copy_only=False)
        else:
            accepted &= pc.fill_null(pc.match_substring_regex(cells, NON_BLANK), False).to_numpy(
                zero_copy_only=False
            )
    return int(accepted.sum())


def break_tie(choice: HeaderChoice, columns: Sequence[pa.Array | pa.ChunkedArray]) -> HeaderChoice:
    """Among profiles tied on the header, the one that accepts the most rows (then the first).

    Example:
        >>> from dataclasses import replace as with_
        >>> from hotline.profiles import builtin
        >>> header = ["Unique Key", "Created Date"]
        >>> mdy = builtin("nyc311")
        >>> dmy = with_(mdy, name="dmy311", date_order="dmy")
        >>> first = HeaderChoice(None, 0, mdy, mdy.match_headers(header))
        >>> tie = with_(first, rivals=(HeaderChoice(None, 0, dmy, dmy.match_headers(header)),))
        >>> chosen = break_tie(tie, [pa.array(["1", "2"]), pa.array(["21/01/2022", "03/01/2022"])])
        >>> chosen.profile.name, chosen.accepted
        ('dmy311', {'nyc311': 0, 'dmy311': 2})
    """
    if not choice.rivals:
        return choice
    candidates = [choice, *choice.rivals]
    accepted = {c.profile.name: accepted_rows(c, columns) for c in candidates}
    best = max(candidates, key=lambda c: accepted[c.profile.name])  # the first of equals
    return replace(best, scores=choice.scores, rivals=(), accepted=accepted)


def find_tables(
    heads: Sequence[tuple[str | None, Sequence[Sequence[str]]]],
    profiles: Sequence[Profile],
    name: str,
    *,
    every_sheet: bool = True,
) -> list[HeaderChoice]:
    """The tables to read: every sheet with a complete header (Excel), or the best one (CSV).

    Args:
        heads: ``(key, first rows)`` per sheet, or per candidate delimiter of a CSV.
        profiles: Candidate profiles, preferred first.
        name: The export, for error messages.
        every_sheet: Read every complete sheet (Excel); ``False`` keeps only the best (the
            keys of a CSV are alternative delimiters of one table).

    Raises:
        InputError: No row looks like a header, or the best one lacks required fields; the
            message names the missing fields and the closest headers seen.
    """
    choices = [c for key, rows in heads if (c := _best_header(rows, profiles, key)) is not None]
    complete = [c for c in choices if c.complete]
    if complete:
        if every_sheet:
            return complete
        return [max(complete, key=lambda c: c.match.score)]
    best = max(choices, key=lambda c: c.match.score, default=None)
    if best is None or best.match.score == 0:
        widest = max(
            (row for _, rows in heads for row in rows),
            key=lambda row: sum(1 for cell in row if str(cell).strip()),
            default=[],
        )
        profile = profiles[0]
        explanation = profile.explain_missing(profile.match_headers(widest), shown=_shown)
        raise InputError(name, f"no recognisable header row ({explanation}){_new_profile(name)}")
    raise InputError(
        name,
        best.profile.explain_missing(best.match, shown=_shown) + _new_profile(name),
        row=best.index + 1,
    )


def _new_profile(name: str) -> str:
    """The way on when no profile reads a file: draft one from it."""
    return f"; if no profile knows this export, draft one: hotline profile new {name!r}"


def _shown(cell: object) -> str:
    """A cell quoted in an error message, unless it could be personal data."""
    return safe_example(cell, "code")


def footer_rows(columns: Sequence[pa.Array], id_index: int) -> np.ndarray:
    """Rows that are totals (合计, 共 N 条) or signature lines (制表人) rather than records.

    Such a row says so in its id cell, or has no id and says so in its first filled cell (a
    title to the left of the id, 打印社保缴费证明, is not a footer).
    """
    n = len(columns[id_index]) if columns else 0
    ids = columns[id_index]
    says = pc.fill_null(pc.match_substring_regex(ids, FOOTER), False).to_numpy(zero_copy_only=False)
    no_id = ~pc.fill_null(pc.match_substring_regex(ids, NON_BLANK), False).to_numpy(
        zero_copy_only=False
    )
    if no_id.any():
        first_filled = pc.coalesce(
            *[pc.if_else(pc.match_substring_regex(c, NON_BLANK), c, None) for c in columns]
        )
        says |= no_id & pc.fill_null(
            pc.match_substring_regex(first_filled, FOOTER), False
        ).to_numpy(zero_copy_only=False)
    return says if n else np.zeros(0, dtype=bool)


def repeated_header_rows(columns: Sequence[pa.Array], match: HeaderMatch) -> np.ndarray:
    """Rows that repeat the header (exports repeat it at every page break)."""
    n = len(columns[0]) if columns else 0
    fields = [i for i in match.fields.values() if i < len(columns)]
    if not fields:
        return np.zeros(n, dtype=bool)
    # A repeat must match the first field's header: compare the other fields on those rows only.
    first, *others = fields
    candidates = np.flatnonzero(_equals_header(columns[first], match.headers[first]))
    mask = np.zeros(n, dtype=bool)
    if candidates.size == 0:
        return mask
    repeated = np.ones(candidates.size, dtype=bool)
    positions = pa.array(candidates)
    for index in others:
        repeated &= _equals_header(pc.take(columns[index], positions), match.headers[index])
    mask[candidates[repeated]] = True
    return mask


def _equals_header(cells: pa.Array, header: str) -> np.ndarray:
    # Only cells holding the header text can equal it once trimmed: trim those alone.
    holds = pc.fill_null(pc.match_substring(cells, header.strip()), False)
    found = np.zeros(len(cells), dtype=bool)
    if not pc.any(holds).as_py():
        return found
    where = np.flatnonzero(holds.to_numpy(zero_copy_only=False))
    same = pc.equal(pc.utf8_trim_whitespace(pc.take(cells, pa.array(where))), header)
    found[where] = pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    return found


def blank_rows(columns: Sequence[pa.Array], id_index: int) -> np.ndarray:
    """Rows whose every cell is empty or whitespace."""
    ids = columns[id_index]
    candidates = np.flatnonzero(
        pc.invert(pc.match_substring_regex(ids, NON_BLANK)).to_numpy(zero_copy_only=False)
    )
    mask = np.zeros(len(ids), dtype=bool)
    if candidates.size == 0:
        return mask
    blank = np.ones(candidates.size, dtype=bool)
    positions = pa.array(candidates)
    for column in columns:
        cells = pc.take(column, positions)
        blank &= ~pc.match_substring_regex(cells, NON_BLANK).to_numpy(zero_copy_only=False)
    mask[candidates[blank]] = True
    return mask
