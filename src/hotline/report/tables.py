"""tables.xlsx: the breakdowns behind a report, as an analyst would hand them on.

Sheets: 按月, 按承办单位, 按乡镇, 按诉求类型, 按业务分类 and 口径与来源. Each data sheet is one
table as a Chinese statistical table is laid out: a title row (``附表2
2021年各承办单位办理情况``), a 单位 row (``单位：件、%、分``), a centred bold header, one row
per group, the group without a name below the named ones and split by why it has none
(直接答复，无承办单位 / 网络投诉（未填承办单位） / 未填写, counted apart), and a 合计 row.
Counts are integers (``#,##0``); rates are the values the metrics returned (``0.00%``), never
recomputed from the counts, and the 合计 row's rates are the metric's own total
(``metrics.summary`` of the whole period, the call the report's ``total.*`` facts make), not an
average of the rows. Thin borders, column widths from the content (CJK characters count double),
panes frozen under the header, an autofilter over the groups; printed landscape on A4, one page
wide, the header repeated on every page. 口径与来源 holds each figure's definition (wrapped at a
readable width), the exports the data came from with their SHA-256 prefix and row counts, the
time the figures stand and the preset's display name.

Words come from the label catalogue (:mod:`hotline.labels`) in the data's language
(:func:`hotline.labels.check_lang` of the metric result's ``attrs``: English for 311 exports).

Formula injection: a department, town or topic name comes from an export and may begin with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return (also after blanks, and their full-width
forms, :func:`hotline.safe_text.is_formula_like`). Every text cell is written with
``write_string`` in a workbook opened with ``strings_to_formulas=False``, and such a cell also
carries the ``quote_prefix`` format (Excel's leading apostrophe), so Excel, WPS and LibreOffice
show it as text and never evaluate it.

Example:
    >>> is_dangerous("=cmd|' /c calc'!A1"), is_dangerous("县教育局")
    (True, False)
    >>> display_width("县教育局ab")
    10
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import xlsxwriter

from hotline import schema
from hotline.labels import check_lang, date_text, definitions_title, label, time_text, translate
from hotline.metrics.catalogue import denominator, numerator
from hotline.metrics.declarations import active
from hotline.metrics.display import unnamed_breakdown
from hotline.metrics.engine import manifest_of
from hotline.report.facts import FactSheet
from hotline.report.headers import column_header, unit_line
from hotline.report.notes import notes
from hotline.report.numbers import is_missing
from hotline.safe_text import is_formula_like

__all__ = [
    "DIMENSION_SHEETS",
    "NUMBER_FORMATS",
    "Table",
    "annual_tables",
    "bulletin_tables",
    "display_width",
    "is_dangerous",
    "write_workbook",
]

#: Excel number formats per cell kind (``text`` and ``note`` cells have none).
NUMBER_FORMATS = {
    "count": "#,##0",
    "int": "0",
    "rate": "0.00%",
    "change": "0.00%",
    "pp": "0.00",
    "score": "0.00",
}
#: The unit each kind of number is stated in (the 单位 row), in the order the row lists them.
#: Dimensions of ``metrics.summary`` with a sheet each, in order.
_DIMENSIONS: tuple[str, ...] = ("department", "town", "request_type", "topic")
#: Sheet name -> dimension of ``metrics.summary`` (``by``), in Chinese.
DIMENSION_SHEETS = {label(f"sheet.{dimension}"): dimension for dimension in _DIMENSIONS}
_RANKED = ("department", "town")
_MIN_WIDTH, _MAX_WIDTH = 8, 60
#: A header wraps rather than widen a column of numbers beyond this.
_HEADER_WIDTH = 14
#: Width of a column of definitions (wrapped), and the height of one line of text, in points.
_NOTE_WIDTH = 80
_LINE_HEIGHT = 15.0

_COUNTS_AND_RATES = (
    ("accepted", "count"),
    ("closed", "count"),
    ("closure_rate", "rate"),
    ("dispatched", "count"),
    ("direct", "count"),
    ("direct_answer_rate", "rate"),
    ("on_time", "count"),
    ("closed_late", "count"),
    ("open_overdue", "count"),
    ("on_time_rate", "rate"),
    ("evaluated", "count"),
    ("satisfied", "count"),
    ("satisfaction_rate", "rate"),
)
_RANK_COLUMNS = (("score", "score"), ("rank", "int"), ("band", "text"))
_MONTH_COLUMNS = (
    ("month", "text"),
    ("accepted", "count"),
    ("closed", "count"),
    ("closure_rate", "rate"),
    ("on_time", "count"),
    ("closed_late", "count"),
    ("open_overdue", "count"),
    ("on_time_rate", "rate"),
    ("evaluated", "count"),
    ("satisfaction_rate", "rate"),
    ("accepted_mom", "change"),
    ("closure_rate_mom_pp", "pp"),
    ("on_time_rate_mom_pp", "pp"),
    ("satisfaction_rate_mom_pp", "pp"),
)
_DEFINITION_ROWS = (
    "accepted",
    "closure_rate",
    "direct_answer_rate",
    "on_time_rate",
    "satisfaction_rate",
    "share",
    "mom",
    "score",
)
_SOURCE_COLUMNS = (
    ("name", "text"),
    ("kind", "text"),
    ("sha256", "text"),
    ("rows_in", "count"),
    ("written", "count"),
    ("snapshot_at", "text"),
)


@dataclass(frozen=True)
class Table:
    """One table of a sheet: title, 单位, header, rows, the unnamed group, 合计.

    Attributes:
        columns: ``(column, kind)`` pairs; kind ``text``, ``note`` (text wrapped at a readable
            width) or a key of :data:`NUMBER_FORMATS`.
        rows: One mapping per named group, column -> value (missing values are blank cells).
        title: The title row above the table, if any.
        unit: The 单位 row under the title (``单位：件、%``), if any.
        unnamed: The group without a name (its row of the same metric call), if any.
        reasons: That group's orders by why they have no name, each a row with its count
            (``accepted``); their counts add up to the group's.
        total: The 合计 row: the metric's figures for the whole period.
        lang: The language of the words.
    """

    columns: tuple[tuple[str, str], ...]
    rows: tuple[Mapping[str, Any], ...]
    title: str | None = None
    unit: str | None = None
    unnamed: Mapping[str, Any] | None = None
    reasons: tuple[Mapping[str, Any], ...] = ()
    total: Mapping[str, Any] | None = None
    lang: str = "zh"
    #: Print this table's header on every page (a sheet of one table).
    repeat_header: bool = field(default=True, compare=False)


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (``safe_text.is_formula_like``)."""
    return is_formula_like(text)


def display_width(text: str) -> int:
    """Width of text in columns: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _key_text(column: str, value: Any, lang: str) -> str:
    if is_missing(value):
        return label("unnamed.cell", lang)
    if column == "month":
        return label(f"month.{int(str(value)[5:7])}", lang)
    if column in schema.ENUMS:
        try:
            return schema.ENUMS[column].label(str(value), lang)
        except KeyError:
            return str(value)
    return str(value)


def _record(
    record: Mapping[Any, Any], key: str, columns: Sequence[tuple[str, str]], lang: str
) -> dict[str, Any]:
    row = {c: record.get(c) for c, _ in columns}
    row[key] = _key_text(key, record.get(key), lang)
    if row.get("band") is not None and lang != "zh":
        row["band"] = translate(str(row["band"]), lang)
    return row


def _records(
    frame: pd.DataFrame, key: str, columns: Sequence[tuple[str, str]], lang: str
) -> tuple[dict[str, Any], ...]:
    return tuple(_record(record, key, columns, lang) for record in frame.to_dict("records"))


def _plain(value: Any) -> Any:
    """A result cell as plain Python (``None`` when missing), as a doctest prints it."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _by(dimension: str) -> str:
    return "type" if dimension == "request_type" else dimension


def _total(
    sheet: FactSheet,
    filters: Mapping[str, Any],
    key: str,
    columns: Sequence[tuple[str, str]],
    lang: str,
) -> dict[str, Any]:
    """The 合计 row: the metric's own figures for the whole period, not sums of rates."""
    overall = sheet.result("summary", dict(filters)).to_dict("records")[0]
    row: dict[str, Any] = {
        c: _plain(overall.get(c)) for c, kind in columns if kind in ("count", "rate")
    }
    row[key] = label("total", lang)
    return row


def _reasons(
    sheet: FactSheet, dimension: str, filters: Mapping[str, Any], accepted: int, lang: str
) -> tuple[dict[str, Any], ...]:
    """The orders without a ``dimension`` by why: answered directly, a kind's, the rest."""
    split = sheet.result("summary", {"by": [_by(dimension), "source_kind"], **filters})
    return tuple(
        {dimension: label("unnamed.of_which", lang, reason=reason), "accepted": n}
        for reason, n in unnamed_breakdown(split, dimension, accepted, lang)
    )


def _dimension(
    sheet: FactSheet,
    dimension: str,
    filters: Mapping[str, Any],
    heading: Mapping[str, Any],
    lang: str,
) -> Table:
    frame = sheet.result("summary", {"by": _by(dimension), **filters})
    columns = ((dimension, "text"), *_COUNTS_AND_RATES)
    order, ascending = ["accepted"], [False]
    if dimension in _RANKED:
        ranks = sheet.result("rank_units", {"unit": dimension, **filters})
        frame = frame.merge(ranks[[dimension, "score", "rank", "band"]], on=dimension, how="left")
        columns += _RANK_COLUMNS
        order, ascending = ["rank", "accepted"], [True, False]  # ranked units first, by rank
    named = frame[frame[dimension].notna()].sort_values(
        order, ascending=ascending, kind="stable", na_position="last"
    )
    unnamed, reasons = None, ()
    without = frame[frame[dimension].isna()]
    if len(without) and int(without["accepted"].iloc[0]):
        record = without.iloc[0].to_dict()
        unnamed = _record(record, dimension, columns, lang)
        unnamed[dimension] = label("unnamed.group", lang, dimension=column_header(dimension, lang))
        for column in ("score", "rank", "band"):  # a group without a name is never ranked
            unnamed.pop(column, None)
        reasons = _reasons(sheet, dimension, filters, int(record["accepted"]), lang)
    return Table(
        columns,
        _records(named, dimension, columns, lang),
        title=_title(dimension, heading, lang),
        unit=_unit_row(columns, lang),
        unnamed=unnamed,
        reasons=reasons,
        total=_total(sheet, filters, dimension, columns, lang),
        lang=lang,
    )


def _months(
    sheet: FactSheet,
    frame: pd.DataFrame,
    filters: Mapping[str, Any],
    heading: Mapping[str, Any],
    lang: str,
) -> Table:
    return Table(
        _MONTH_COLUMNS,
        _records(frame, "month", _MONTH_COLUMNS, lang),
        title=_title("month", heading, lang),
        unit=_unit_row(_MONTH_COLUMNS, lang),
        total=_total(sheet, filters, "month", _MONTH_COLUMNS, lang),
        lang=lang,
    )


def _lang(sheet: FactSheet, filters: Mapping[str, Any], lang: str | None) -> str:
    """``lang``, else the data's language (the metric result's ``attrs``, from the profile)."""
    return check_lang(lang, sheet.result("summary", dict(filters)).attrs)


def _title(subject: str, heading: Mapping[str, Any], lang: str) -> str:
    number = list(("month", *_DIMENSIONS)).index(subject) + 1
    subject_text = label(f"table.subject.{subject}", lang)
    return label("table.title", lang, n=number, period=heading[subject], subject=subject_text)


def _unit_row(columns: Iterable[tuple[str, str]], lang: str) -> str:
    return unit_line((kind for _, kind in columns), lang)


def _snapshot_text(entry: Mapping[str, Any], lang: str) -> str | None:
    """When an export was taken, as a reader writes it; a date from its file name is a date.

    Example:
        >>> _snapshot_text({"snapshot_at": "2021-08-03T00:00:00", "snapshot_rule": "file name"},
        ...                "zh")
        '2021年8月3日（据文件名）'
        >>> _snapshot_text({"snapshot_at": "2021-08-03T10:15:00", "snapshot_rule": "export line"},
        ...                "en")
        'August 3, 2021, 10:15'
    """
    when = entry.get("snapshot_at")
    if is_missing(when):
        return None
    if entry.get("snapshot_rule") != "file name":
        return time_text(when, lang)
    return label("snapshot.from_name", lang, day=date_text(when, lang))


def _month_period(month: str, lang: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return label(
        "table.period.month",
        lang,
        year=year,
        month=number,
        month_name=label(f"month.{number}", lang),
    )


def _definition(key: str, texts: Mapping[str, str], sheet: FactSheet, lang: str) -> str | None:
    """A figure's definition: the report's words in Chinese; a rate's formula in English."""
    if lang == "zh":
        return texts[key]
    if key not in active().rates:
        return None  # the prose definitions are written in Chinese only
    catalogue, d = active(), sheet.definitions
    counts = {**catalogue.flags, **catalogue.totals}  # a denominator may be a sum (due_total)
    above, below = counts[numerator(key, d)].en, counts[denominator(key, d)].en
    return f"{label(key, lang)} = {above} / {below}"


def provenance(sheet: FactSheet, lang: str | None = None) -> list[Table]:
    """The 口径与来源 sheet: definitions, sources, and when and under which 口径 it stands.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01"]),
        ...     "status": ["closed"] * 2, "department": ["=1+1", "县教育局"]})
        >>> sheet = annual_facts(df, 2021)
        >>> tables = provenance(sheet)
        >>> [table.title for table in tables][0], tables[2].rows[1]["note"]
        ('指标口径', '默认口径')
    """
    lang = check_lang(lang, sheet.result("summary", {}).attrs)
    texts = notes(sheet)
    described = ((key, _definition(key, texts, sheet, lang)) for key in _DEFINITION_ROWS)
    definitions = Table(
        (("item", "text"), ("note", "note")),
        tuple(
            {"item": column_header(key, lang), "note": text}
            for key, text in described
            if text is not None
        ),
        title=label("block.definitions", lang),
        lang=lang,
        repeat_header=False,
    )
    inputs = manifest_of(sheet.data).get("inputs", [])
    sources = Table(
        _SOURCE_COLUMNS,
        tuple(
            {
                "name": entry.get("name"),
                "kind": _key_text("source_kind", entry.get("kind"), lang),
                "sha256": (entry.get("sha256") or "")[:12],
                "rows_in": entry.get("rows_in"),
                "written": entry.get("written"),
                "snapshot_at": _snapshot_text(entry, lang),
            }
            for entry in inputs
        ),
        title=label("block.sources", lang) if inputs else label("block.no_sources", lang),
        lang=lang,
        repeat_header=False,
    )
    standing = Table(
        (("item", "text"), ("note", "note")),
        (
            {"item": label("item.as_of", lang), "note": _as_of_note(sheet, lang)},
            {
                "item": label("item.definitions", lang),
                "note": definitions_title(sheet.definitions.name, lang),
            },
        ),
        title=label("block.standing", lang),
        lang=lang,
        repeat_header=False,
    )
    return [definitions, sources, standing]


def annual_tables(sheet: FactSheet, year: int, lang: str | None = None) -> dict[str, list[Table]]:
    """The sheets of the annual report's workbook (sheet name -> tables), in ``lang``.

    ``lang``: ``zh`` or ``en``; default the data's language, as the report's.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01"]),
        ...     "status": ["closed"] * 2, "department": ["=1+1", "县教育局"]})
        >>> sheet = annual_facts(df, 2021)
        >>> sheets = annual_tables(sheet, 2021)
        >>> list(sheets)
        ['按月', '按承办单位', '按乡镇', '按诉求类型', '按业务分类', '口径与来源']
        >>> table = sheets["按承办单位"][0]
        >>> table.title, table.unit, [row["department"] for row in table.rows]
        ('附表2 2021年各承办单位办理情况', '单位：件、%、分', ['=1+1', '县教育局'])
        >>> table.total["department"], table.total["accepted"]
        ('合计', 2)
        >>> import tempfile, openpyxl
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = write_workbook(Path(tmp) / "tables.xlsx", sheets)
        ...     cell = openpyxl.load_workbook(path)["按承办单位"]["A4"]
        >>> cell.value, cell.data_type, cell.quotePrefix
        ('=1+1', 's', True)
    """
    filters = {"year": year}
    lang = _lang(sheet, filters, lang)
    period = label("table.period.year", lang, year=year)
    heading = dict.fromkeys(("month", *_DIMENSIONS), period)
    trend = sheet.result("monthly_trend", filters)
    sheets = {label("sheet.month", lang): [_months(sheet, trend, filters, heading, lang)]}
    for dimension in _DIMENSIONS:
        sheets[label(f"sheet.{dimension}", lang)] = [
            _dimension(sheet, dimension, filters, heading, lang)
        ]
    sheets[label("sheet.provenance", lang)] = provenance(sheet, lang)
    return sheets


def bulletin_tables(
    sheet: FactSheet, month: str, lang: str | None = None
) -> dict[str, list[Table]]:
    """The sheets of a bulletin's workbook (sheet name -> tables), in ``lang`` (as above).

    按月 holds the year's months up to ``month`` (环比 against the month before, even across a
    new year); the other sheets hold ``month``'s breakdowns.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.bulletin import bulletin_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01"]),
        ...     "status": ["closed"] * 2})
        >>> months = bulletin_tables(bulletin_facts(df, "2021-04"), "2021-04")["按月"][0]
        >>> months.title, [row["month"] for row in months.rows], months.total["accepted"]
        ('附表1 2021年3—4月各月受理办理情况', ['3月', '4月'], 2)
    """
    trend = sheet.result("monthly_trend", {})
    trend = trend[(trend["month"] <= month) & trend["month"].str.startswith(month[:4])]
    listed = [str(m) for m in trend["month"]]
    months = {"month": listed}
    lang = _lang(sheet, {"month": month}, lang)
    first, last = int(listed[0][5:7]), int(listed[-1][5:7])
    heading = dict.fromkeys(_DIMENSIONS, _month_period(month, lang))
    heading["month"] = (
        _month_period(month, lang)
        if first == last
        else label(
            "table.period.months",
            lang,
            year=month[:4],
            first=first,
            last=last,
            first_name=label(f"month.{first}", lang),
            last_name=label(f"month.{last}", lang),
        )
    )
    sheets = {label("sheet.month", lang): [_months(sheet, trend, months, heading, lang)]}
    for dimension in _DIMENSIONS:
        sheets[label(f"sheet.{dimension}", lang)] = [
            _dimension(sheet, dimension, {"month": month}, heading, lang)
        ]
    sheets[label("sheet.provenance", lang)] = provenance(sheet, lang)
    return sheets


# --- writing --------------------------------------------------------------------------------


class _Formats:
    """Cell formats, made once per distinct set of properties (a workbook caps their number)."""

    _BASE: ClassVar[dict[str, Any]] = {"valign": "vcenter", "font_size": 10}

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple, Any] = {}

    def get(self, **properties: Any) -> Any:
        key = tuple(sorted(properties.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format({**self._BASE, **properties})
        return self._made[key]

    @property
    def title(self) -> Any:
        return self.get(bold=True, font_size=14, align="center")

    @property
    def unit(self) -> Any:
        return self.get(align="right")

    @property
    def block_title(self) -> Any:
        return self.get(bold=True, font_size=12)

    def header(self) -> Any:
        return self.get(bold=True, align="center", text_wrap=True, border=1, bg_color="#DDEBF7")

    def cell(
        self, kind: str, *, quoted: bool = False, bold: bool = False, indent: int = 0, top=False
    ) -> Any:
        properties: dict[str, Any] = {"border": 1}
        if bold:
            properties["bold"] = True
        if top:  # a row of wrapped definitions reads from its top line
            properties["valign"] = "top"
        if kind in NUMBER_FORMATS:
            properties.update(num_format=NUMBER_FORMATS[kind], align="right")
        else:
            properties.update(align="left", quote_prefix=quoted)
            if indent:
                properties["indent"] = indent
            if kind == "note":
                properties.update(text_wrap=True, valign="top")
        return self.get(**properties)


def _number_width(value: float, kind: str) -> int:
    if kind in ("rate", "change"):
        return len(f"{value * 100:,.2f}%")
    if kind in ("count", "int"):
        return len(f"{value:,.0f}")
    return len(f"{value:,.2f}")


@dataclass
class _Sheet:
    """A worksheet being written: the widths its cells need, the wrapped notes it holds.

    A ``note`` cell spans from its column to the sheet's last (merged), so that definitions
    read across the width of the widest table of the sheet.
    """

    worksheet: Any
    formats: _Formats
    last_col: int
    widths: dict[int, int] = field(default_factory=dict)
    headers: list[tuple[int, int, int]] = field(default_factory=list)  # row, column, width
    notes: list[tuple[int, int, int]] = field(default_factory=list)  # row, column, width

    def need(self, col: int, width: int) -> None:
        self.widths[col] = max(self.widths.get(col, 0), width)

    def write(self, row: int, col: int, value: Any, kind: str, **style: Any) -> None:
        worksheet, formats = self.worksheet, self.formats
        if is_missing(value):  # missing is blank, never 0
            worksheet.write_blank(row, col, None, formats.cell(kind, **style))
        elif kind in NUMBER_FORMATS:
            worksheet.write_number(row, col, float(value), formats.cell(kind, **style))
            self.need(col, _number_width(float(value), kind))
        else:
            text = str(value)
            cell = formats.cell(kind, quoted=is_dangerous(text), **style)
            if kind == "note":
                if col < self.last_col:
                    worksheet.merge_range(row, col, row, self.last_col, "", cell)
                self.notes.append((row, col, display_width(text)))
            else:
                self.need(col, display_width(text) + 2 * style.get("indent", 0))
            worksheet.write_string(row, col, text, cell)

    def header(self, row: int, col: int, text: str) -> None:
        self.worksheet.write_string(row, col, text, self.formats.header())
        self.headers.append((row, col, display_width(text)))


def _write_table(target: _Sheet, top: int, table: Table) -> tuple[int, int, int]:
    """Write one table from row ``top``; return its header row, last group row, next free row."""
    worksheet, formats = target.worksheet, target.formats
    for text, style in ((table.title, formats.title), (table.unit, formats.unit)):
        if text is None:
            continue
        if table.unit is None:  # a block of the notes sheet: a plain heading
            worksheet.write_string(top, 0, text, formats.block_title)
        else:
            worksheet.merge_range(top, 0, top, target.last_col, "", style)
            worksheet.write_string(top, 0, text, style)
        top += 1
    header = top
    for col, (column, kind) in enumerate(table.columns):
        if kind == "note" and col < target.last_col:
            worksheet.merge_range(header, col, header, target.last_col, "", formats.header())
        target.header(header, col, column_header(column, table.lang))
    row = header
    wrapped = any(kind == "note" for _, kind in table.columns)
    for record in table.rows:
        row += 1
        for col, (column, kind) in enumerate(table.columns):
            target.write(row, col, record.get(column), kind, top=wrapped)
    last_group = row
    extra: list[tuple[Mapping[str, Any], dict[str, Any]]] = []
    if table.unnamed is not None:
        extra.append((table.unnamed, {}))
    extra += [(reason, {"indent": 1}) for reason in table.reasons]
    if table.total is not None:
        extra.append((table.total, {"bold": True}))
    for record, style in extra:
        row += 1
        for col, (column, kind) in enumerate(table.columns):
            target.write(row, col, record.get(column), kind, **style)
    return header, last_group, row + 1


def _lines(width: int, column_width: float) -> int:
    """Lines a text of ``width`` (CJK counted double) takes in a column, less its padding."""
    return max(1, math.ceil(width / max(column_width - 1, 1)))


def _sizes(target: _Sheet) -> dict[int, float]:
    """Set column widths from the content and the heights of rows that wrap; return widths."""
    worksheet = target.worksheet
    widths: dict[int, float] = {}
    for col in range(target.last_col + 1):
        header = max((w for _, c, w in target.headers if c == col), default=0)
        lines = math.ceil(header / (_HEADER_WIDTH - 2))  # a long header wraps, evenly
        fitted = math.ceil(header / lines) + 2 if lines else 0
        widths[col] = min(max(target.widths.get(col, 0) + 2, fitted, _MIN_WIDTH), _MAX_WIDTH)
    for col in {col for _, col, _ in target.notes}:  # definitions wrap at a readable width
        span = sum(widths[c] for c in range(col, target.last_col + 1))
        widths[target.last_col] += max(0, _NOTE_WIDTH - span)
    for col, width in widths.items():
        worksheet.set_column(col, col, width)
    heights: dict[int, int] = {}
    for row, col, width in target.headers:
        heights[row] = max(heights.get(row, 1), _lines(width, widths[col]))
    for row, col, width in target.notes:
        span = sum(widths[c] for c in range(col, target.last_col + 1))
        heights[row] = max(heights.get(row, 1), _lines(width, span))
    for row, lines in heights.items():
        if lines > 1:
            worksheet.set_row(row, _LINE_HEIGHT * lines + 2)
    return widths


def _finish(target: _Sheet, tables: Sequence[Table], header: int, last: int) -> None:
    """Column widths, row heights, frozen panes, filter and print setup."""
    worksheet = target.worksheet
    _sizes(target)
    worksheet.set_paper(9)  # A4
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    worksheet.center_horizontally()
    worksheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    worksheet.set_footer(f"&C{label('table.footer', tables[0].lang)}")
    if len(tables) == 1 and tables[0].repeat_header:
        worksheet.repeat_rows(header)
        worksheet.freeze_panes(header + 1, 1)
        worksheet.autofilter(header, 0, last, target.last_col)


def _write_sheet(
    workbook: xlsxwriter.Workbook, name: str, tables: Sequence[Table], formats: _Formats
) -> None:
    last_col = max(len(table.columns) for table in tables) - 1
    target = _Sheet(workbook.add_worksheet(name), formats, last_col)
    top, first = 0, None
    for table in tables:
        header, last, top = _write_table(target, top, table)
        first = first or (header, last)
        top += 1  # a blank row between tables
    if first is not None:
        _finish(target, tables, *first)


def write_workbook(path: Path, sheets: Mapping[str, Sequence[Table]]) -> Path:
    """Write the sheets to ``path`` (text never becomes a formula, see the module notes).

    See :func:`annual_tables` for an example.
    """
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    formats = _Formats(workbook)
    try:
        for name, tables in sheets.items():
            _write_sheet(workbook, name, tables, formats)
    finally:
        workbook.close()
    return path


def _as_of_note(sheet: FactSheet, lang: str) -> str:
    """The time the figures describe, in the sheet's language (the fact's text is Chinese)."""
    fact = sheet["context.as_of"]
    if lang != "en":
        return fact.text
    from hotline.report.wording import english_text

    return english_text(fact, sheet)
