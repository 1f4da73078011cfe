"""The account of an ingest: every row read is written, merged or rejected, and the sums agree.

``rows_in`` counts the non-blank rows below the header (total rows and broken CSV records
included). Each ends in exactly one place:

* **written**: it is the copy of its order in the dataset;
* **merged**: another copy of the same order won: a ``duplicate`` in the same export, or a
  ``later_snapshot`` in a newer export; or (a reply table, ``role="replies"``) the reply was
  joined to its message (``reply_joined``);
* **rejected**: it cannot be an order; the reason and its row go to the rejects file.

Blank rows are counted apart (``blank_rows``): they hold no data to lose.

Example:
    >>> report = FileReport(name="a.csv", rows_in=5, written=3,
    ...                     merged={"duplicate": 1}, rejected={"footer": 1})
    >>> report.balanced
    True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pyarrow as pa

from hotline.availability import INFORMATION
from hotline.ingestion.facts import FactCount, as_dicts, combine
from hotline.ingestion.stages import (
    MergeResult,
    PrivacyResult,
    Stages,
    Unparseable,
    add_counts,
)

__all__ = [
    "MERGE_REASONS",
    "MERGE_REASONS_EN",
    "REJECT_REASONS",
    "REJECT_REASONS_EN",
    "FileReport",
    "Totals",
    "explained_in",
    "rejects_table",
]

#: Reason code -> plain-language explanation (Chinese, for the analyst's report).
REJECT_REASONS: dict[str, str] = {
    "footer": "合计、制表人、导出时间等表尾行，不是工单",
    "repeated_header": "重复出现的表头行（分页导出），不是工单",
    "malformed": "记录与表头对不上：CSV 记录的字段数与表头不同，或 XML/JSON 记录不是一组字段",
    "unclosed_quote": "CSV 行里的引号没有闭合，吞并了后面的行；该行按原样也读不成一条记录",
    "oversized_record": (
        "CSV 引号内的内容跨行或字数超出上限（可用 --limit record_lines=N 或 "
        "--limit field_chars=N 放宽）"
    ),
    "missing_order_id": "缺少工单编号",
    "lost_order_id": "工单编号被 Excel 写成科学计数法（如 1.2E+07），原编号已无法还原",
    "missing_received_at": "缺少受理时间",
    "unparseable_received_at": "受理时间无法识别为日期",
    "reply_without_message": "答复表中的答复找不到同一编号的留言",
    "reply_to_colliding_id": "答复表中的答复所指编号对应多条不同的留言（编号冲突），无法确定归属",
}

MERGE_REASONS: dict[str, str] = {
    "duplicate": "同一导出文件内重复的工单（保留文件中靠后的一行）",
    "later_snapshot": "同一工单在更晚的导出中再次出现（保留最新导出）",
    "reply_joined": "答复表中的答复，已按编号并入对应留言",
}

#: The same explanations in English, for the account of English (311) exports.
REJECT_REASONS_EN: dict[str, str] = {
    "footer": "footer rows (totals, compiled by, export time), not requests",
    "repeated_header": "the header row repeated (a paged export), not a request",
    "malformed": (
        "a record that does not fit the header: a CSV record with another number of fields, or "
        "an XML/JSON record that is not a set of fields"
    ),
    "unclosed_quote": (
        "a CSV quote that never closed and swallowed the following lines; the row cannot be "
        "read as a record as it is either"
    ),
    "oversized_record": (
        "a CSV record spanning more lines or holding more characters than the limit (raise "
        "it with --limit record_lines=N or --limit field_chars=N)"
    ),
    "missing_order_id": "no request id",
    "lost_order_id": "a request id Excel wrote in scientific notation (1.2E+07): lost",
    "missing_received_at": "no received (created) time",
    "unparseable_received_at": "a received (created) time that is not a date",
    "reply_without_message": "a reply whose id matches no message",
    "reply_to_colliding_id": "a reply whose id matches several different messages (id collision)",
}

MERGE_REASONS_EN: dict[str, str] = {
    "duplicate": "the same request twice in one export (the later row kept)",
    "later_snapshot": "the same request in a later export (the latest export kept)",
    "reply_joined": "replies joined by id to their messages",
}


@dataclass(frozen=True)
class FileReport:
    """What happened to one export file: built once, from its stages (:meth:`build`).

    Attributes:
        name: The file as it appears in ``source_file``.
        path: The file as given (relative to the folder ingested).
        sha256: Hash of the file's bytes.
        size: Bytes.
        profile: Profile that read it.
        profile_rule: ``auto`` (chosen by its headers) or ``forced`` (given by the caller).
        profile_scores: Candidate profile -> header fields it matched on the header row (the
            reason for an automatic choice).
        profile_rows: When profiles tied on the header: each tied profile -> rows it would
            accept (required fields present and readable), which broke the tie.
        kind: ``hotline``, ``online`` or ``311``.
        role: ``orders`` (rows are requests) or ``replies`` (a reply table joined to the
            messages of the run by id, :mod:`hotline.ingestion.replies`).
        language: The profile's language (``zh`` or ``en``).
        calendar: The profile's working-day calendar (:data:`hotline.profiles.CALENDARS`);
            the metrics count this file's working days on it. Empty in a manifest written
            before calendars were recorded: the file's kind decides then
            (:func:`hotline.metrics.workdays.kind_calendar`).
        timezone: Zone of the stored times (IANA name or ``UTC±HH:MM``).
        timezone_rule: ``profile`` or ``offsets in the data``.
        offsets: UTC offsets the received times state -> rows (when the zone comes from them).
        sheet: Sheet(s) read (Excel), comma-separated; ``None`` for CSV.
        encoding: Detected encoding (CSV).
        header_row: 1-based header row.
        columns: Canonical field -> header it came from.
        information: What the export can say (:data:`hotline.availability.INFORMATION` keys
            with a value in some row): figures needing the rest are missing, not 0.
        ignored_columns: Headers not used (dropped; names and phones among them are PII).
        skipped_sheets: Sheets with a header but no data (templates), with the reason.
        snapshot_at: ISO snapshot time, if known.
        snapshot_rule: Which rule gave it (see :mod:`hotline.ingestion.snapshots`).
        rows_in: Non-blank rows below the header (CSV: records, which may span lines).
        lines: Physical lines below the header (CSV only), to check against the file.
        blank_rows: Blank rows skipped.
        written: Rows that are the dataset's copy of their order.
        merged: Reason -> rows merged into another copy.
        rejected: Reason -> rows rejected.
        unparseable: Column header -> count and up to five ``(row, value)`` examples.
        quality: Data-quality fact -> count, first rows and breakdown
            (:mod:`hotline.ingestion.facts`).
        privacy: What was keyed or masked, as counts; not in the manifest (whose form stays
            that of earlier versions), for callers of :func:`hotline.ingest`.
    """

    name: str
    path: str = ""
    sha256: str = ""
    size: int = 0
    profile: str = ""
    profile_rule: str = "auto"
    profile_scores: Mapping[str, int] = field(default_factory=dict)
    profile_rows: Mapping[str, int] = field(default_factory=dict)
    kind: str = ""
    role: str = "orders"
    language: str = ""
    calendar: str = ""
    timezone: str = ""
    timezone_rule: str = "profile"
    offsets: Mapping[str, int] = field(default_factory=dict)
    sheet: str | None = None
    encoding: str | None = None
    header_row: int = 0
    columns: Mapping[str, str] = field(default_factory=dict)
    information: tuple[str, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    skipped_sheets: tuple[str, ...] = ()
    snapshot_at: str | None = None
    snapshot_rule: str = "order"
    rows_in: int = 0
    lines: int | None = None
    blank_rows: int = 0
    written: int = 0
    merged: Mapping[str, int] = field(default_factory=dict)
    rejected: Mapping[str, int] = field(default_factory=dict)
    unparseable: Mapping[str, Unparseable] = field(default_factory=dict)
    quality: Mapping[str, FactCount] = field(default_factory=dict)
    privacy: PrivacyResult = field(default=PrivacyResult(), compare=False)

    @classmethod
    def build(cls, stages: Stages, merge: MergeResult) -> FileReport:
        """The account of one file from what each stage found: the one place it is made.

        Example:
            >>> from hotline.ingestion.stages import LayoutResult, ReadResult, ValuesResult
            >>> stages = Stages(ReadResult("a.csv"), LayoutResult(rows_in=3,
            ...     rejected={"footer": 1}), ValuesResult(rejected={"missing_order_id": 1}))
            >>> report = FileReport.build(stages, MergeResult(written=1))
            >>> report.rejected, report.balanced
            ({'footer': 1, 'missing_order_id': 1}, True)
        """
        read, layout, values = stages.read, stages.layout, stages.values
        known = {*values.information, *merge.information}
        return cls(
            name=read.name,
            path=read.path,
            sha256=read.sha256,
            size=read.size,
            profile=layout.profile,
            profile_rule=layout.profile_rule,
            profile_scores=layout.profile_scores,
            profile_rows=layout.profile_rows,
            kind=layout.kind,
            role=layout.role,
            language=layout.language,
            calendar=layout.calendar,
            timezone=values.timezone,
            timezone_rule=values.timezone_rule,
            offsets=values.offsets,
            sheet=read.sheet,
            encoding=read.encoding,
            header_row=layout.header_row,
            columns=layout.columns,
            information=tuple(k for k in INFORMATION if k in known),
            ignored_columns=layout.ignored_columns,
            skipped_sheets=read.skipped_sheets,
            snapshot_at=read.snapshot_at,
            snapshot_rule=read.snapshot_rule,
            rows_in=layout.rows_in,
            lines=read.lines,
            blank_rows=layout.blank_rows,
            written=merge.written,
            merged=dict(merge.merged),
            rejected=add_counts(layout.rejected, values.rejected, merge.rejected),
            unparseable=values.unparseable,
            quality=combine(values.quality, merge.quality),
            privacy=stages.privacy,
        )

    @property
    def merged_total(self) -> int:
        """Rows merged, all reasons."""
        return sum(self.merged.values())

    @property
    def rejected_total(self) -> int:
        """Rows rejected, all reasons."""
        return sum(self.rejected.values())

    @property
    def balanced(self) -> bool:
        """Whether rows_in = written + merged + rejected."""
        return self.rows_in == self.written + self.merged_total + self.rejected_total

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest (the form of earlier versions: ``privacy`` is left out).

        Example:
            >>> FileReport("a.csv", information=("closure",)).to_dict()["information"]
            ['closure']
        """
        data: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "privacy":
                continue
            if item.name == "unparseable":
                value = {header: info.to_dict() for header, info in value.items()}
            elif item.name == "quality":
                value = as_dicts(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            data[item.name] = value
        return data


@dataclass(frozen=True)
class Totals:
    """Sums over every file of one ingest (``quality``: fact -> rows, see :mod:`.facts`)."""

    rows_in: int
    written: int
    merged: dict[str, int]
    rejected: dict[str, int]
    blank_rows: int
    quality: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, reports: Sequence[FileReport]) -> Totals:
        """Add up file reports."""
        merged: Counter[str] = Counter()
        rejected: Counter[str] = Counter()
        quality: Counter[str] = Counter()
        for report in reports:
            merged.update(report.merged)
            rejected.update(report.rejected)
            quality.update({code: found.count for code, found in report.quality.items()})
        return cls(
            rows_in=sum(r.rows_in for r in reports),
            written=sum(r.written for r in reports),
            merged=dict(sorted(merged.items())),
            rejected=dict(sorted(rejected.items())),
            blank_rows=sum(r.blank_rows for r in reports),
            quality=dict(sorted(quality.items())),
        )

    @property
    def balanced(self) -> bool:
        """Whether rows_in = written + merged + rejected over all files."""
        return self.rows_in == self.written + sum(self.merged.values()) + sum(
            self.rejected.values()
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest and ``--format json``."""
        return {**asdict(self), "balanced": self.balanced}


REJECTS_SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("source_row", pa.int32()),
        ("reason", pa.string()),
        ("explanation", pa.string()),
        ("detail", pa.string()),
    ]
)


def rejects_table(file: str, rows: list[int], reason: str, details: list[str]) -> pa.Table:
    """Rows rejected for one reason, as a table (no cell content that could hold PII).

    Args:
        file: ``source_file`` of the export.
        rows: 1-based rows.
        reason: A key of :data:`REJECT_REASONS`.
        details: One short note per row (the offending value when it is not personal).
    """
    return pa.table(
        {
            "source_file": pa.array([file] * len(rows), pa.string()),
            "source_row": pa.array(rows, pa.int32()),
            "reason": pa.array([reason] * len(rows), pa.string()),
            "explanation": pa.array([REJECT_REASONS[reason]] * len(rows), pa.string()),
            "detail": pa.array(details, pa.string()),
        },
        schema=REJECTS_SCHEMA,
    )


def explained_in(rejects: pa.Table, lang: str) -> pa.Table:
    """The rejects with their explanations in ``lang`` (English for a 311 dataset's rejects.csv).

    Example:
        >>> table = rejects_table("a.csv", [3], "missing_received_at", [""])
        >>> explained_in(table, "en")["explanation"][0].as_py() == REJECT_REASONS_EN[
        ...     "missing_received_at"]
        True
    """
    if lang == "zh" or not len(rejects):
        return rejects
    reasons = rejects.column("reason").to_pylist()
    english = pa.array(
        [REJECT_REASONS_EN.get(r, REJECT_REASONS.get(r)) for r in reasons], pa.string()
    )
    return rejects.set_column(rejects.schema.get_field_index("explanation"), "explanation", english)
