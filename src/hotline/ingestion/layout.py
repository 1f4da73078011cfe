"""Find the table inside an export: the sheet and row holding the header, footers and blank rows.

Exports put title rows above the header (``XX县12345热线工单明细表``, ``导出时间：…``), merged title
cells, blank rows and columns, and total rows below the data (合计/总计). The header is the row,
among the first rows of every sheet, that matches the most fields of a profile; a row holding every
required field beats one that does not.

Example:
    >>> from hotline.profiles import builtin
    >>> heads = [("Sheet1", [["XX县12345热线工单明细表"], ["导出时间：2021-04-02"],
    ...                      ["工单编号", "受理时间", "诉求内容"]])]
    >>> choice = find_header(heads, [builtin("hotline"), builtin("online")], "x.xlsx")
    >>> (choice.key, choice.index, choice.profile.name)
    ('Sheet1', 2, 'hotline')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion.values import NON_BLANK
from hotline.profiles import HeaderMatch, Profile

__all__ = ["HeaderChoice", "blank_rows", "find_header", "footer_rows"]

# Totals, and the signature and note lines some platforms print under the table.
_FOOTER = (
    r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计|汇\s*总|总\s*数|制表|审核人|填报|负责人|打印|导出时间"
    r"|备注|说明|注\s*[:：])|^\s*共\s*\d+\s*(条|件|行|笔)"
)


@dataclass(frozen=True)
class HeaderChoice:
    """Where the table starts and which profile reads it.

    Attributes:
        key: Sheet name (Excel) or delimiter (CSV).
        index: 0-based row of the header within the sheet.
        profile: The profile whose headers matched best.
        match: Which column feeds which field.
    """

    key: str | None
    index: int
    profile: Profile
    match: HeaderMatch


def find_header(
    heads: Sequence[tuple[str | None, Sequence[Sequence[str]]]],
    profiles: Sequence[Profile],
    path: object,
) -> HeaderChoice:
    """Choose the header row: most required fields, then most fields; earlier wins ties.

    Args:
        heads: ``(key, first rows)`` per sheet or delimiter.
        profiles: Candidate profiles, preferred first.
        path: The export, for error messages.

    Raises:
        InputError: No row looks like a header, or the best one lacks required fields.
    """
    best: HeaderChoice | None = None
    best_rank: tuple[int, int] = (-1, -1)
    for key, rows in heads:
        for index, row in enumerate(rows):
            if sum(1 for cell in row if str(cell).strip()) < 2:
                continue
            for profile in profiles:
                match = profile.match_headers(row)
                complete = not profile.missing_required(match)
                rank = (int(complete), match.score)
                if rank > best_rank:
                    best, best_rank = HeaderChoice(key, index, profile, match), rank
    if best is None or best.match.score < 1:
        seen = next(
            (
                " | ".join(c for c in row if str(c).strip())[:80]
                for _, rows in heads
                for row in rows
                if any(str(c).strip() for c in row)
            ),
            "nothing",
        )
        raise InputError(
            path,
            "no recognisable header row in the first rows of any sheet; expected headers such as "
            f"工单编号, 受理时间 or 留言编号, 留言时间 (first non-empty row: {seen!r})",
        )
    if best.profile.missing_required(best.match):
        raise InputError(path, best.profile.explain_missing(best.match), row=best.index + 1)
    return best


def footer_rows(columns: Sequence[pa.Array], id_index: int) -> np.ndarray:
    """Rows that are totals (合计, 总计, 共 N 条) or signature lines (制表人) rather than records.

    Such a row says so in its id cell or in a cell to the left of it.
    """
    n = len(columns[id_index]) if columns else 0
    mask = np.zeros(n, dtype=bool)
    for column in columns[: id_index + 1]:
        hits = pc.match_substring_regex(column, _FOOTER)
        mask |= hits.to_numpy(zero_copy_only=False)
    return mask


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
