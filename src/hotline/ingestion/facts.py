"""Data-quality facts of one export, counted and reported, never fixed silently.

Real 311 exports (and 12345 ones) hold contradictions that a metric must not paper over. The
ingest keeps each row as exported, with status deciding closure, and counts:

* ``close_date_not_closed``: a close time on a request whose status is not closed (LA's
  Cancelled requests carry a ClosedDate): not counted as closed;
* ``closed_without_close_date``: a closed status without a close time;
* ``closed_before_created``: a close time before the received time; ``date_only_same_day`` of
  them are a date-only close (midnight) on the day of receipt;
* ``zero_duration``: closed at the very second it was received;
* ``exact_duplicate_rows``: rows identical in every cell to an earlier row of the file (they
  share the order id, so the merge keeps one copy and counts the rest as duplicates);
* ``mojibake``: text that was decoded with the wrong codec, per column (reported, not
  repaired: a repair needs ftfy, which is not a dependency);
* ``stray_quote``: a CSV value opened a quote that never closed plausibly; it was read as a
  plain character so the lines after it stay the records they are;
* ``excel_errors``: Excel error cells (``#N/A``, ``#DIV/0!``) in mapped columns, by field and
  error: calamine reads them as empty, the ingest puts their text back;
* ``date_order_assumed``: date columns whose every day-first or month-first cell reads both
  ways (day and month 1-12), by column with the order used and why (another date column of
  the file proved it, or the profile declares it; :func:`hotline.ingestion.dates.settle_orders`);
* ``void_by_reason``: requests voided by their closure reason (the profile's
  ``void_reasons``), by the void status they got;
* ``id_collision``: rows sharing an order id that are different requests (received time or
  caller differ, :mod:`.identity`): each is kept under ``id@file``; counted on the file of the
  row kept, with the original ids as ``ids``.

Each fact is ``{"count": n, "rows": [first rows…]}`` plus its breakdown; facts with no row are
left out.

Example:
    >>> import datetime as dt
    >>> day = dt.datetime(2017, 12, 30)
    >>> columns = {"received_at": pa.array([day.replace(hour=9), day.replace(hour=9), day]),
    ...            "closed_at": pa.array([day, None, day]),
    ...            "status": pa.array(["closed", "closed", "cancelled"])}
    >>> facts = close_facts(columns, "311", np.array([2, 3, 4]), has_status=True)
    >>> [(name, fact["count"]) for name, fact in facts.items()]  # doctest: +NORMALIZE_WHITESPACE
    [('close_date_not_closed', 1), ('closed_without_close_date', 1),
     ('closed_before_created', 1), ('zero_duration', 1)]
    >>> facts["closed_before_created"]["date_only_same_day"], facts["close_date_not_closed"]
    (1, {'count': 1, 'rows': [4], 'by_status': {'cancelled': 1}})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline import rules

__all__ = ["FACTS", "add_facts", "close_facts", "exact_duplicates", "fact"]

#: Fact code -> plain-language explanation (Chinese, for the analyst's report).
FACTS: dict[str, str] = {
    "close_date_not_closed": "有办结（关闭）时间但状态不是办结：以状态为准，不计为办结",
    "closed_without_close_date": "状态为办结但没有办结时间",
    "closed_before_created": "办结时间早于受理时间",
    "zero_duration": "办结时间与受理时间相同（零时长办结）",
    "exact_duplicate_rows": "与文件中前一行完全相同的重复行（已合并，计入合并的重复工单）",
    "mojibake": "文本疑似乱码（编码错误），原样保留，未修复",
    "stray_quote": "CSV 行首的多余引号没有闭合：按普通字符读入，没有让它吞并后面的行",
    "no_reply_in_table": "答复表中没有这条留言的答复：按未办结（已受理）计",
    "excel_errors": "Excel 错误值单元格（#N/A、#DIV/0! 等）：日期和代码另计为无法解析，其余照录",
    "date_order_assumed": (
        "日期的日、月都不大于 12，两种顺序都说得通：按同一文件其他日期列证实的顺序读取，"
        "没有则按配置声明的顺序（date_order）"
    ),
    "void_by_reason": (
        "按结案原因作废：结案原因含配置列出的作废说法，状态改为对应的作废状态，不计入受理"
    ),
    "id_collision": (
        "编号冲突：工单编号与其他记录相同，但受理时间或来电人不同，是不同的诉求：已分别保留，"
        "编号改为“原编号@来源文件”"
    ),
}
_EXAMPLES = 5


def fact(mask: np.ndarray, rows: np.ndarray, **extra: Any) -> dict[str, Any] | None:
    """A fact from the mask of the rows it holds for: count, first rows, breakdown.

    Example:
        >>> fact(np.array([False, True, True]), np.array([2, 3, 4]))
        {'count': 2, 'rows': [3, 4]}
        >>> fact(np.array([False]), np.array([2])) is None
        True
    """
    count = int(mask.sum())
    if not count:
        return None
    return {"count": count, "rows": rows[mask][:_EXAMPLES].tolist(), **extra}


def _mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def close_facts(
    columns: Mapping[str, pa.Array], kind: str, rows: np.ndarray, *, has_status: bool
) -> dict[str, dict[str, Any]]:
    """Facts about close times against status and received time (closure is by status).

    Args:
        columns: Canonical columns of the rows kept (``received_at``, ``status``, and
            ``closed_at``; an online message's ``replied_at`` closes it too).
        kind: Source kind of the rows (which statuses close: :func:`hotline.rules.closed_statuses`).
        rows: Source row of each.
        has_status: Whether the export states a status (else nothing can contradict it).
    """
    close = columns.get("closed_at")
    if kind == "online" and "replied_at" in columns:
        close = (
            columns["replied_at"] if close is None else pc.coalesce(close, columns["replied_at"])
        )
    if close is None:  # the export has no close time: nothing to compare
        return {}
    received = columns["received_at"]
    status = columns.get("status", pa.nulls(len(rows), pa.string()))
    closed = _mask(pc.is_in(status, pa.array(rules.closed_statuses(kind))))
    present = _mask(pc.is_valid(close))
    found: dict[str, dict[str, Any] | None] = {}
    if has_status:
        contradicting = present & ~closed
        statuses = pc.filter(pc.fill_null(status, "unknown"), pa.array(contradicting))
        by_status = {row["values"]: row["counts"] for row in pc.value_counts(statuses).to_pylist()}
        found["close_date_not_closed"] = fact(
            contradicting, rows, by_status=dict(sorted(by_status.items()))
        )
        found["closed_without_close_date"] = fact(closed & ~present, rows)
    before = _mask(pc.less(close, received))
    midnight = _mask(pc.equal(pc.cast(pc.cast(close, pa.date32()), close.type), close))
    same_day = _mask(pc.equal(pc.cast(close, pa.date32()), pc.cast(received, pa.date32())))
    found["closed_before_created"] = fact(
        before, rows, date_only_same_day=int((before & midnight & same_day).sum())
    )
    found["zero_duration"] = fact(_mask(pc.equal(close, received)), rows)
    return {name: value for name, value in found.items() if value is not None}


def exact_duplicates(
    columns: Sequence[pa.Array | pa.ChunkedArray], candidates: np.ndarray
) -> np.ndarray:
    """Rows identical in every cell to an earlier candidate row.

    Args:
        columns: Every column of the export, as text.
        candidates: Mask of the rows to compare (those whose order id repeats).

    Example:
        >>> cols = [pa.array(["A", "A", "A", "B"]), pa.array(["x", "y", "x", "x"])]
        >>> exact_duplicates(cols, np.array([True, True, True, False])).tolist()
        [False, False, True, False]
    """
    found = np.zeros(len(candidates), dtype=bool)
    where = np.flatnonzero(candidates)
    if where.size < 2 or not columns:
        return found
    taken = pa.array(where)
    # One text per row, cells joined by a separator no export uses: equal rows, equal texts.
    cells = [pc.fill_null(pc.cast(pc.take(c, taken), pa.string()), "") for c in columns]
    joined = pc.binary_join_element_wise(*cells, "\x1f")
    if isinstance(joined, pa.ChunkedArray):
        joined = joined.combine_chunks()
    codes = pc.dictionary_encode(joined).indices.to_numpy(zero_copy_only=False)
    _, first = np.unique(codes, return_index=True)
    repeat = np.ones(where.size, dtype=bool)
    repeat[first] = False
    found[where[repeat]] = True
    return found


def add_facts(total: dict[str, dict[str, Any]], part: Mapping[str, Mapping[str, Any]]) -> None:
    """Add one table's facts to a file's (counts and breakdowns add, examples concatenate).

    Example:
        >>> total = {"zero_duration": {"count": 1, "rows": [2]}}
        >>> add_facts(total, {"zero_duration": {"count": 2, "rows": [7, 9]}})
        >>> total
        {'zero_duration': {'count': 3, 'rows': [2, 7, 9]}}
    """
    for name, value in part.items():
        mine = total.setdefault(name, {})
        for key, item in value.items():
            if isinstance(item, int):
                mine[key] = mine.get(key, 0) + item
            elif isinstance(item, list):
                mine[key] = (mine.get(key, []) + item)[:_EXAMPLES]
            elif isinstance(item, dict):
                merged = dict(mine.get(key, {}))
                for sub, count in item.items():
                    merged[sub] = merged.get(sub, 0) + count
                mine[key] = merged
