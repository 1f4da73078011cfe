"""What each stage of reading one export found: frozen records, returned, never mutated.

An export goes through five stages; each returns its record, and the file's account
(:class:`~hotline.ingestion.accounting.FileReport`) is built from the five in one place,
:meth:`FileReport.build <hotline.ingestion.accounting.FileReport.build>`:

* :class:`ReadResult`: the file as bytes and text (hash, size, encoding, sheets, lines, snapshot);
* :class:`LayoutResult`: the table in it (profile and its scores, header row, columns, ignored
  headers) and which rows are records (read, blank, rejected as totals or broken records);
* :class:`ValuesResult`: the cells (time zone, rows rejected for a missing id or received
  time, unparseable cells, data-quality facts, what the export can say);
* :class:`PrivacyResult`: what was keyed or masked, as counts only;
* :class:`MergeResult`: what the merge made of the rows (written, merged, rejected by the
  reply join, and the facts only the merge sees: id collisions, messages without reply).

A later stage that changes an earlier record (a file name screened again once the callers are
known, the snapshot time given as an option, the hash computed during the merge) makes a new
record with :func:`dataclasses.replace`.

Example:
    >>> ValuesResult(rejected={"missing_order_id": 1}).rejected["missing_order_id"]
    1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from hotline.ingestion.facts import FactCount, combine

__all__ = [
    "LayoutResult",
    "MergeResult",
    "PrivacyResult",
    "ReadResult",
    "Stages",
    "Unparseable",
    "add_counts",
]


def add_counts(*parts: Mapping[str, int]) -> dict[str, int]:
    """Counts per reason added up, in order of first appearance.

    Example:
        >>> add_counts({"footer": 1}, {"malformed": 2, "footer": 1})
        {'footer': 2, 'malformed': 2}
    """
    total: dict[str, int] = {}
    for part in parts:
        for reason, count in part.items():
            total[reason] = total.get(reason, 0) + count
    return total


@dataclass(frozen=True)
class ReadResult:
    """The file as read.

    Attributes:
        name: The file as it appears in ``source_file``.
        path: The file as given (relative to the folder ingested).
        sha256: Hash of the file's bytes (empty until hashed).
        size: Bytes.
        sheet: Sheet(s) read (Excel), comma-separated; ``None`` for CSV.
        encoding: Detected encoding (CSV).
        lines: Physical lines below the header (CSV only), to check against the file.
        skipped_sheets: Sheets with a header but no data (templates), with the reason.
        snapshot_at: ISO snapshot time, if known.
        snapshot_rule: Which rule gave it (see :mod:`hotline.ingestion.snapshots`).
    """

    name: str
    path: str = ""
    sha256: str = ""
    size: int = 0
    sheet: str | None = None
    encoding: str | None = None
    lines: int | None = None
    skipped_sheets: tuple[str, ...] = ()
    snapshot_at: str | None = None
    snapshot_rule: str = "order"


@dataclass(frozen=True)
class LayoutResult:
    """The table found in the file and which of its rows are records.

    Attributes:
        profile: Profile that read it.
        profile_rule: ``auto`` (chosen by its headers) or ``forced`` (given by the caller).
        profile_scores: Candidate profile -> header fields it matched on the header row.
        profile_rows: When profiles tied on the header: each tied profile -> rows it would
            accept (required fields present and readable), which broke the tie.
        kind: ``hotline``, ``online`` or ``311``.
        role: ``orders`` or ``replies`` (:mod:`hotline.ingestion.replies`).
        language: The profile's language (``zh`` or ``en``).
        calendar: The profile's working-day calendar (:data:`hotline.profiles.CALENDARS`).
        header_row: 1-based header row.
        columns: Canonical field -> header it came from (screened for personal data).
        ignored_columns: Headers not used.
        rows_in: Non-blank rows below the header (CSV: records, which may span lines).
        blank_rows: Blank rows skipped.
        rejected: Reason -> rows that are not records (totals, repeated headers, broken CSV).
    """

    profile: str = ""
    profile_rule: str = "auto"
    profile_scores: Mapping[str, int] = field(default_factory=dict)
    profile_rows: Mapping[str, int] = field(default_factory=dict)
    kind: str = ""
    role: str = "orders"
    language: str = ""
    calendar: str = ""
    header_row: int = 0
    columns: Mapping[str, str] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()
    rows_in: int = 0
    blank_rows: int = 0
    rejected: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Unparseable:
    """Cells of one column that could not be read (they are stored empty).

    Attributes:
        count: Cells.
        expected: What the column should hold (Chinese, for the account).
        examples: Up to five ``(row, value shown safely)``.
    """

    count: int
    expected: str
    examples: tuple[tuple[int, str | None], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The manifest's form.

        Example:
            >>> Unparseable(1, "整数", ((4, "x"),)).to_dict()
            {'count': 1, 'expected': '整数', 'examples': [[4, 'x']]}
        """
        examples = [[row, value] for row, value in self.examples]
        return {"count": self.count, "expected": self.expected, "examples": examples}


@dataclass(frozen=True)
class ValuesResult:
    """What the cells of the records held.

    Attributes:
        timezone: Zone of the stored times (IANA name or ``UTC±HH:MM``).
        timezone_rule: ``profile`` or ``offsets in the data``.
        offsets: UTC offsets the received times state -> rows (when the zone comes from them).
        rejected: Reason -> rows rejected for a missing or unreadable id or received time.
        unparseable: Column header -> cells that could not be read.
        quality: Data-quality fact -> what was found (:mod:`hotline.ingestion.facts`).
        information: What the export can say (:data:`hotline.availability.INFORMATION` keys
            with a value in some row).
    """

    timezone: str = ""
    timezone_rule: str = "profile"
    offsets: Mapping[str, int] = field(default_factory=dict)
    rejected: Mapping[str, int] = field(default_factory=dict)
    unparseable: Mapping[str, Unparseable] = field(default_factory=dict)
    quality: Mapping[str, FactCount] = field(default_factory=dict)
    information: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrivacyResult:
    """What was done to personal data, as counts (never the data).

    Attributes:
        caller_names: Distinct caller names found (masked wherever they appear).
        caller_keys: Rows given a caller key (a keyed hash of the phone or user id).
        masked_phones: Rows whose phone is kept masked (``139****0000``).
        withheld_phones: Rows whose caller asked for confidentiality: no phone kept at all.
    """

    caller_names: int = 0
    caller_keys: int = 0
    masked_phones: int = 0
    withheld_phones: int = 0

    def plus(self, other: PrivacyResult) -> PrivacyResult:
        """Both tables' counts added.

        Example:
            >>> PrivacyResult(caller_keys=2).plus(PrivacyResult(caller_keys=1)).caller_keys
            3
        """
        return PrivacyResult(
            self.caller_names + other.caller_names,
            self.caller_keys + other.caller_keys,
            self.masked_phones + other.masked_phones,
            self.withheld_phones + other.withheld_phones,
        )


@dataclass(frozen=True)
class MergeResult:
    """What the merge of one ingest made of one file's rows.

    Attributes:
        written: Rows that are the dataset's copy of their order.
        merged: Reason -> rows merged into another copy.
        rejected: Reason -> rows the reply join rejected.
        quality: Facts only the merge sees (id collisions, messages without a reply, checks
            of the replies joined).
        information: What the file's rows can say now that replies were joined (``closure``).
    """

    written: int = 0
    merged: Mapping[str, int] = field(default_factory=dict)
    rejected: Mapping[str, int] = field(default_factory=dict)
    quality: Mapping[str, FactCount] = field(default_factory=dict)
    information: tuple[str, ...] = ()

    def then(self, later: MergeResult) -> MergeResult:
        """This merge's result followed by a later step's (the reply join after the merge).

        Example:
            >>> MergeResult(written=3).then(MergeResult(merged={"reply_joined": 1})).merged
            {'reply_joined': 1}
        """
        return MergeResult(
            written=self.written + later.written,
            merged=add_counts(self.merged, later.merged),
            rejected=add_counts(self.rejected, later.rejected),
            quality=combine(self.quality, later.quality),
            information=tuple(dict.fromkeys((*self.information, *later.information))),
        )


@dataclass(frozen=True)
class Stages:
    """The records of the stages before the merge, for one file."""

    read: ReadResult
    layout: LayoutResult
    values: ValuesResult
    privacy: PrivacyResult = PrivacyResult()

    @property
    def name(self) -> str:
        """The file's ``source_file``."""
        return self.read.name

    @property
    def timezone(self) -> str:
        """Zone of the file's stored times."""
        return self.values.timezone
