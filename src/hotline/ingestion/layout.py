"""Find the tables inside an export: sheets and header rows, then totals, repeated headers, blanks.

Exports put title rows above the header (``XX县12345热线工单明细表``, ``导出时间：…``), merged title
cells, blank rows and columns, total and signature rows below the data (合计, 制表人), the header
again at every page break, and large exports spread over several sheets. The header of a sheet
is the row, among its first rows, that matches the most fields of a profile; a row holding every
required field beats one that does not.

The same search picks the profile (auto-detection): the profile that gives the best rank
(complete, fields matched) wins; on a tie, the earlier row, then the profile listed first (user
profiles, then ``hotline``, ``online``, ``nyc311``, ``la311``, ``open311``). The choice keeps
every candidate's score on the chosen row, so the account can say why.

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
from hotline.ingestion.privacy import safe_example
from hotline.ingestion.values import NON_BLANK
from hotline.profiles import HeaderMatch, Profile

__all__ = [
    "HeaderChoice",
    "blank_rows",
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
    """

    key: str | None
    index: int
    profile: Profile
    match: HeaderMatch
    scores: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every required field has a column."""
        return not self.profile.missing_required(self.match)


def _best_header(rows: Sequence[Sequence[str]], profiles: Sequence[Profile], key: str | None):
    best: HeaderChoice | None = None
    best_rank = (-1, -1)
    scores: dict[str, int] = {}
    for index, row in enumerate(rows):
        if sum(1 for cell in row if str(cell).strip()) < 2:
            continue
        here: dict[str, int] = {}
        for profile in profiles:
            choice = HeaderChoice(key, index, profile, profile.match_headers(row))
            here[profile.name] = choice.match.score
            rank = (int(choice.complete), choice.match.score)
            if rank > best_rank:  # strictly better: ties keep the earlier row and profile
                best, best_rank, scores = choice, rank, here
    return None if best is None else replace(best, scores=scores)


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
        raise InputError(name, f"no recognisable header row ({explanation})")
    raise InputError(
        name, best.profile.explain_missing(best.match, shown=_shown), row=best.index + 1
    )


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
