"""Data-quality facts of one export, counted and reported, never fixed silently.

Real 311 exports (and 12345 ones) hold contradictions that a metric must not paper over. The
ingest keeps each row as exported, with status deciding closure, and counts each rule of
:data:`FACTS`, the one place a rule is declared (code, Chinese and English title, what its
account line shows):

* ``close_date_not_closed``: a close time on a request whose status is not closed (LA's
  Cancelled requests carry a ClosedDate): not counted as closed;
* ``closed_without_close_date``: a closed status without a close time;
* ``closed_before_received``: a close time before the received time; ``date_only_same_day`` of
  them are a date-only close (midnight) on the day of receipt (manifests written before this
  name was settled call it ``closed_before_created``: :func:`current_code` reads both);
* ``zero_duration``: closed at the very second it was received;
* ``exact_duplicate_rows``: rows identical in every cell to an earlier row of the file (they
  share the order id, so the merge keeps one copy and counts the rest as duplicates);
* ``mojibake``: text that was decoded with the wrong codec, per column (reported, not
  repaired: a repair needs ftfy, which is not a dependency);
* ``stray_quote``: a CSV value opened a quote that never closed plausibly; it was read as a
  plain character so the lines after it stay the records they are;
* ``no_reply_in_table``: a message of a file that a reply table answers, without a reply there;
* ``excel_errors``: Excel error cells (``#N/A``, ``#DIV/0!``) in mapped columns, by field and
  error: calamine reads them as empty, the ingest puts their text back;
* ``date_order_assumed``: date columns whose every day-first or month-first cell reads both
  ways (day and month 1-12), by column with the order used and why (another date column of
  the file proved it, or the profile declares it; :func:`hotline.ingestion.dates.settle_orders`);
* ``void_by_reason``: requests voided by their closure reason (the profile's
  ``void_reasons``), by the void status they got;
* ``void_by_flag``: requests the export's duplicate flag (``is_duplicate``) marks yes, voided
  as ``duplicate`` whatever their status;
* ``id_collision``: rows sharing an order id that are different requests (received time or
  caller differ, :mod:`.identity`): each is kept under ``id@file``; counted on the file of the
  row kept, with the original ids as ``ids``.

What was found is a :class:`FactCount` (code, count, first rows, breakdown); in the manifest it
is ``{"count": n, "rows": [first rows…], **breakdown}``; facts with no row are left out.

Example:
    >>> import datetime as dt
    >>> day = dt.datetime(2017, 12, 30)
    >>> columns = {"received_at": pa.array([day.replace(hour=9), day.replace(hour=9), day]),
    ...            "closed_at": pa.array([day, None, day]),
    ...            "status": pa.array(["closed", "closed", "received"])}
    >>> facts = close_facts(columns, "311", np.array([2, 3, 4]), has_status=True)
    >>> [(code, found.count) for code, found in facts.items()]  # doctest: +NORMALIZE_WHITESPACE
    [('close_date_not_closed', 1), ('closed_without_close_date', 1),
     ('closed_before_received', 1), ('zero_duration', 1)]
    >>> facts["closed_before_received"].breakdown["date_only_same_day"]
    1
    >>> facts["close_date_not_closed"].to_dict()
    {'count': 1, 'rows': [4], 'by_status': {'received': 1}}
    >>> FACTS["close_date_not_closed"].message(facts["close_date_not_closed"])
    '有办结（关闭）时间但状态不是办结：以状态为准，不计为办结 1 条（received 1）；首见于第 4 行'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline import rules

__all__ = [
    "FACTS",
    "Fact",
    "FactCount",
    "as_dicts",
    "close_facts",
    "combine",
    "current_code",
    "exact_duplicates",
    "fact",
    "found",
    "read_facts",
]

#: A breakdown of a fact's rows: a count (``date_only_same_day``), counts per value
#: (``by_status``, ``by_column``, ``by_error``) or values (``ids``).
BreakdownValue = int | Mapping[str, int] | tuple[str, ...]
_EXAMPLES = 5
#: The account's line for a fact (after the file's name).
MESSAGE = "{title} {count} 条{details}；首见于第 {rows} 行"
#: The same in English (the account of an English, 311, export).
MESSAGE_EN = "{title}: {count}{details}; first rows: {rows}"
#: Chinese text: a detail worded in Chinese is left out of an English sentence.
_CJK = re.compile("[\u3400-\u9fff]")


@dataclass(frozen=True)
class Fact:
    """One data-quality rule, declared once.

    Attributes:
        code: The name in the manifest (``quality``) and in code.
        title_zh: What it means, in the account's words.
        title_en: The same in English.
        details: ``(breakdown key, template)`` pairs the account shows after the count, in
            order; ``{}`` stands for the breakdown's value (a count, ``key n`` pairs or a
            list of values). A breakdown left out here is kept in the manifest only.
        former: Codes the rule had before (read from old manifests).
    """

    code: str
    title_zh: str
    title_en: str
    details: tuple[tuple[str, str], ...] = ()
    former: tuple[str, ...] = ()

    def message(self, found: FactCount, quote: Callable[[str], str] = str, lang: str = "zh") -> str:
        """The account's sentence for what was found (``quote`` makes input text safe).

        In English (``lang="en"``) a detail worded in Chinese is left out (it stays in the
        manifest).

        Example:
            >>> FACTS["zero_duration"].message(FactCount("zero_duration", 2, (5, 9)))
            '办结时间与受理时间相同（零时长办结） 2 条；首见于第 5、9 行'
            >>> FACTS["zero_duration"].message(FactCount("zero_duration", 2, (5, 9)), lang="en")
            'closed at the very second it was received: 2; first rows: 5, 9'
        """
        english = lang == "en"
        pair, item, clause = (", ", ", ", "; ") if english else ("，", "、", "；")
        shown = []
        for key, template in self.details:
            value = found.breakdown.get(key)
            if not value or (english and template != "{}"):
                continue
            if isinstance(value, Mapping):
                text = pair.join(f"{quote(str(k))} {v}" for k, v in value.items())
            elif isinstance(value, tuple):
                text = item.join(quote(str(one)) for one in value)
            else:
                text = str(value)
            if not (english and _CJK.search(text)):
                shown.append(template.format(text))
        details = clause.join(shown)
        return (MESSAGE_EN if english else MESSAGE).format(
            title=self.title_en if english else self.title_zh,
            count=found.count,
            details=(f" ({details})" if english else f"（{details}）") if shown else "",
            rows=item.join(str(row) for row in found.rows),
        )


def _declare(*facts: Fact) -> dict[str, Fact]:
    return {f.code: f for f in facts}


#: Every data-quality rule, by code, in the order the account explains them.
FACTS: Mapping[str, Fact] = _declare(
    Fact(
        "close_date_not_closed",
        "有办结（关闭）时间但状态不是办结：以状态为准，不计为办结",
        "a close time on a request whose status is not closed: not counted as closed",
        details=(("by_status", "{}"),),
    ),
    Fact(
        "closed_without_close_date",
        "状态为办结但没有办结时间",
        "a closed status without a close time",
    ),
    Fact(
        "closed_before_received",
        "办结时间早于受理时间",
        "a close time before the received time",
        details=(("date_only_same_day", "其中仅有日期、记为受理当日零点 {} 条"),),
        former=("closed_before_created",),
    ),
    Fact(
        "zero_duration",
        "办结时间与受理时间相同（零时长办结）",
        "closed at the very second it was received",
    ),
    Fact(
        "exact_duplicate_rows",
        "与文件中前一行完全相同的重复行（已合并，计入合并的重复工单）",
        "rows identical to an earlier row of the file (merged, counted as duplicates)",
    ),
    Fact(
        "mojibake",
        "文本疑似乱码（编码错误），原样保留，未修复",
        "text that looks decoded with the wrong codec: kept as read, not repaired",
        details=(("by_column", "{}"),),
    ),
    Fact(
        "stray_quote",
        "CSV 行首的多余引号没有闭合：按普通字符读入，没有让它吞并后面的行",
        "a CSV quote that never closed: read as a plain character",
    ),
    Fact(
        "no_reply_in_table",
        "答复表中没有这条留言的答复：按未办结（已受理）计",
        "a message the reply table has no reply for: counted as open",
    ),
    Fact(
        "excel_errors",
        "Excel 错误值单元格（#N/A、#DIV/0! 等）：日期和代码另计为无法解析，其余照录",
        "Excel error cells (#N/A, #DIV/0!…): dates and codes also count as unparseable",
        details=(("by_column", "{}"),),
    ),
    Fact(
        "date_order_assumed",
        "日期的日、月都不大于 12，两种顺序都说得通：按同一文件其他日期列证实的顺序读取，"
        "没有则按配置声明的顺序（date_order）",
        "dates whose day and month are both 12 or less: read in the order another date column "
        "of the file proves, else the profile's declared date_order",
        details=(("by_column", "{}"),),
    ),
    Fact(
        "void_by_reason",
        "按结案原因作废：结案原因含配置列出的作废说法，状态改为对应的作废状态，不计入受理"
        "（状态本已作废的不重复计）",
        "voided by closure reason: the reason holds a phrase the profile lists as void, so the "
        "request gets that void status and is not counted as accepted (one its status already "
        "voids is not counted again)",
        details=(("by_status", "{}"),),
    ),
    Fact(
        "void_by_flag",
        "导出的重复标记为“是”：状态改为重复（duplicate），不计入受理（状态本已作废的不重复计）",
        "marked a duplicate by the export's flag: given the status duplicate, not accepted (one "
        "its status already voids is not counted again)",
        details=(("by_status", "{}"),),
    ),
    Fact(
        "id_collision",
        "编号冲突：工单编号与其他记录相同，但受理时间或来电人不同，是不同的诉求：已分别保留，"
        "编号改为“原编号@来源文件”",
        "rows sharing an order id that are different requests: each kept as id@file",
        details=(("ids", "原编号 {}"),),
    ),
)
_CURRENT = {old: f.code for f in FACTS.values() for old in f.former}


def current_code(code: str) -> str:
    """The code a rule has now, for a code read from a manifest of any version.

    Example:
        >>> current_code("closed_before_created"), current_code("zero_duration")
        ('closed_before_received', 'zero_duration')
    """
    return _CURRENT.get(code, code)


@dataclass(frozen=True)
class FactCount:
    """What one file holds of one fact: how many rows, the first of them, a breakdown.

    Attributes:
        code: A key of :data:`FACTS`.
        count: Rows.
        rows: The first few source rows (at most five).
        breakdown: Extra counts (:data:`BreakdownValue`), in the manifest beside ``count``.
    """

    code: str
    count: int
    rows: tuple[int, ...]
    breakdown: Mapping[str, BreakdownValue] = field(default_factory=dict)

    def plus(self, other: FactCount) -> FactCount:
        """Both counts: counts and breakdowns add, first rows (and ids) concatenate.

        Example:
            >>> FactCount("zero_duration", 1, (2,)).plus(FactCount("zero_duration", 2, (7, 9)))
            FactCount(code='zero_duration', count=3, rows=(2, 7, 9), breakdown={})
        """
        breakdown = dict(self.breakdown)
        for key, item in other.breakdown.items():
            mine = breakdown.get(key)
            if isinstance(item, int):
                breakdown[key] = (mine if isinstance(mine, int) else 0) + item
            elif isinstance(item, tuple):
                breakdown[key] = ((mine if isinstance(mine, tuple) else ()) + item)[:_EXAMPLES]
            else:
                merged = dict(mine) if isinstance(mine, Mapping) else {}
                for sub, count in item.items():
                    merged[sub] = merged.get(sub, 0) + count
                breakdown[key] = merged
        rows = (self.rows + other.rows)[:_EXAMPLES]
        return FactCount(self.code, self.count + other.count, rows, breakdown)

    def to_dict(self) -> dict[str, object]:
        """The manifest's form: ``{"count": n, "rows": [...], **breakdown}``."""
        extra = {
            key: list(value)
            if isinstance(value, tuple)
            else dict(value)
            if isinstance(value, Mapping)
            else value
            for key, value in self.breakdown.items()
        }
        return {"count": self.count, "rows": list(self.rows), **extra}

    @classmethod
    def from_dict(cls, code: str, data: Mapping[str, object]) -> FactCount:
        """Read a manifest's entry (an old code is renamed, :func:`current_code`).

        Example:
            >>> FactCount.from_dict("closed_before_created", {"count": 1, "rows": [3]}).code
            'closed_before_received'
        """
        breakdown: dict[str, BreakdownValue] = {}
        for key, value in data.items():
            if key in ("count", "rows"):
                continue
            if isinstance(value, list):
                breakdown[key] = tuple(str(v) for v in value)
            elif isinstance(value, Mapping):
                breakdown[key] = {str(k): int(v) for k, v in value.items()}
            elif isinstance(value, int):
                breakdown[key] = value
        rows = data.get("rows") or []
        count = data.get("count") or 0
        return cls(
            current_code(code),
            int(count) if isinstance(count, int | str) else 0,
            tuple(int(r) for r in rows) if isinstance(rows, list) else (),
            breakdown,
        )


def combine(*parts: Mapping[str, FactCount]) -> dict[str, FactCount]:
    """Several tables' (or stages') facts as one file's, in order of first appearance.

    Example:
        >>> a = {"zero_duration": FactCount("zero_duration", 1, (2,))}
        >>> [(c, f.count) for c, f in combine(a, a).items()]
        [('zero_duration', 2)]
    """
    total: dict[str, FactCount] = {}
    for part in parts:
        for code, found in part.items():
            total[code] = total[code].plus(found) if code in total else found
    return total


def as_dicts(found: Mapping[str, FactCount]) -> dict[str, dict[str, object]]:
    """Facts in the manifest's form (code -> :meth:`FactCount.to_dict`)."""
    return {code: item.to_dict() for code, item in found.items()}


def fact(
    code: str, mask: np.ndarray, rows: np.ndarray, **breakdown: BreakdownValue
) -> FactCount | None:
    """A fact from the mask of the rows it holds for: count, first rows, breakdown.

    Example:
        >>> fact("zero_duration", np.array([False, True, True]), np.array([2, 3, 4]))
        FactCount(code='zero_duration', count=2, rows=(3, 4), breakdown={})
        >>> fact("zero_duration", np.array([False]), np.array([2])) is None
        True
    """
    if code not in FACTS:  # a rule must be declared before it is counted
        raise KeyError(f"undeclared data-quality fact {code!r}")
    count = int(mask.sum())
    if not count:
        return None
    return FactCount(code, count, tuple(rows[mask][:_EXAMPLES].tolist()), breakdown)


def found(*facts: FactCount | None) -> dict[str, FactCount]:
    """The facts that hold for some row, by code (``None``: nothing found)."""
    return {f.code: f for f in facts if f is not None}


def _mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.fill_null(values, False).to_numpy(zero_copy_only=False)


def close_facts(
    columns: Mapping[str, pa.Array | pa.ChunkedArray],
    kind: str,
    rows: np.ndarray,
    *,
    has_status: bool,
) -> dict[str, FactCount]:
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
    counted: list[FactCount | None] = []
    if has_status:
        # a duplicate or invalid order is closed by being voided: its close time is expected
        void = _mask(pc.is_in(status, pa.array(rules.VOID_STATUSES)))
        contradicting = present & ~closed & ~void
        statuses = pc.filter(pc.fill_null(status, "unknown"), pa.array(contradicting))
        by_status = {row["values"]: row["counts"] for row in pc.value_counts(statuses).to_pylist()}
        counted.append(
            fact(
                "close_date_not_closed",
                contradicting,
                rows,
                by_status=dict(sorted(by_status.items())),
            )
        )
        counted.append(fact("closed_without_close_date", closed & ~present, rows))
    before = _mask(pc.less(close, received))
    midnight = _mask(pc.equal(pc.cast(pc.cast(close, pa.date32()), close.type), close))
    same_day = _mask(pc.equal(pc.cast(close, pa.date32()), pc.cast(received, pa.date32())))
    counted.append(
        fact(
            "closed_before_received",
            before,
            rows,
            date_only_same_day=int((before & midnight & same_day).sum()),
        )
    )
    counted.append(fact("zero_duration", _mask(pc.equal(close, received)), rows))
    return found(*counted)


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
    result = np.zeros(len(candidates), dtype=bool)
    where = np.flatnonzero(candidates)
    if where.size < 2 or not columns:
        return result
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
    result[where[repeat]] = True
    return result


def read_facts(entry: Mapping[str, object]) -> Iterable[FactCount]:
    """The facts of one manifest entry (``inputs[i]``), old codes renamed.

    Example:
        >>> [f.code for f in read_facts({"quality": {"closed_before_created": {"count": 1}}})]
        ['closed_before_received']
    """
    quality = entry.get("quality") or {}
    if not isinstance(quality, Mapping):
        return []
    return [FactCount.from_dict(str(code), detail) for code, detail in quality.items()]
