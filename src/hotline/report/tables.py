"""tables.xlsx: the breakdowns behind a report, as a workbook an analyst can filter and reuse.

Sheets: 按月, 按承办单位, 按乡镇, 按诉求类型, 按业务分类 (one row per group, Chinese headers from
the label catalogue :mod:`hotline.labels`, the rates the metrics returned as percentages, never
recomputed from the counts, counts as integers, frozen header row and key column, autofilter,
column widths that count CJK characters double), and 口径与来源 (each figure's definition in
plain Chinese, the exports the data came from with their SHA-256 prefix and row counts, the time
the figures stand).

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

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from hotline import schema
from hotline.labels import label
from hotline.metrics.engine import manifest_of
from hotline.report.facts import FactSheet
from hotline.report.headers import column_header
from hotline.report.notes import notes
from hotline.report.numbers import is_missing
from hotline.safe_text import is_formula_like

__all__ = [
    "DIMENSION_SHEETS",
    "Table",
    "annual_tables",
    "bulletin_tables",
    "display_width",
    "is_dangerous",
    "write_workbook",
]

#: Excel number formats per cell kind (``text`` cells have none).
NUMBER_FORMATS = {
    "count": "0",
    "int": "0",
    "rate": "0.00%",
    "change": "0.00%",
    "pp": "0.00",
    "score": "0.00",
}
#: Sheet name -> dimension of ``metrics.summary`` (``by``).
DIMENSION_SHEETS = {
    label(f"sheet.{dimension}"): dimension
    for dimension in ("department", "town", "request_type", "topic")
}
_MONTH_SHEET = label("sheet.month")
_PROVENANCE_SHEET = label("sheet.provenance")
_RANKED = ("department", "town")
_UNNAMED = label("unnamed.cell")
_MIN_WIDTH, _MAX_WIDTH = 8, 60

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
    """One block of a sheet: rows under a header.

    Attributes:
        columns: ``(column, kind)`` pairs; kind ``text`` or a key of :data:`NUMBER_FORMATS`.
        rows: One mapping per row, column -> value (missing values are blank cells).
        title: A title row above the header, if any.
    """

    columns: tuple[tuple[str, str], ...]
    rows: tuple[Mapping[str, Any], ...]
    title: str | None = None


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (``safe_text.is_formula_like``)."""
    return is_formula_like(text)


def display_width(text: str) -> int:
    """Width of text in columns: CJK (wide and full-width) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _key_text(column: str, value: Any) -> str:
    if is_missing(value):
        return _UNNAMED
    if column in schema.ENUMS:
        try:
            return schema.label(column, str(value))
        except KeyError:
            return str(value)
    return str(value)


def _records(frame: pd.DataFrame, key: str, columns: Sequence[tuple[str, str]]) -> tuple:
    rows = []
    for record in frame.to_dict("records"):
        row = {c: record.get(c) for c, _ in columns}
        row[key] = _key_text(key, record.get(key))
        rows.append(row)
    return tuple(rows)


def _dimension(sheet: FactSheet, dimension: str, filters: Mapping[str, Any]) -> Table:
    by = "type" if dimension == "request_type" else dimension
    frame = sheet.result("summary", {"by": by, **filters})
    columns = ((dimension, "text"), *_COUNTS_AND_RATES)
    if dimension in _RANKED:
        ranks = sheet.result("rank_units", {"unit": dimension, **filters})
        frame = frame.merge(ranks[[dimension, "score", "rank", "band"]], on=dimension, how="left")
        columns += _RANK_COLUMNS
    unnamed_last = frame[dimension].isna()
    frame = frame.assign(_unnamed=unnamed_last).sort_values(
        ["_unnamed", "accepted"], ascending=[True, False], kind="stable"
    )
    return Table(columns, _records(frame, dimension, columns))


def _months(frame: pd.DataFrame) -> Table:
    return Table(_MONTH_COLUMNS, _records(frame, "month", _MONTH_COLUMNS))


def provenance(sheet: FactSheet) -> list[Table]:
    """The 口径与来源 sheet: definitions, sources, and when and under which 口径 it stands.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01"]),
        ...     "status": ["closed"] * 2, "department": ["=1+1", "县教育局"]})
        >>> sheet = annual_facts(df, 2021)
        >>> [table.title for table in provenance(sheet)][0]
        '指标口径'
    """
    texts = notes(sheet)
    definitions = Table(
        (("item", "text"), ("note", "text")),
        tuple({"item": column_header(key), "note": texts[key]} for key in _DEFINITION_ROWS),
        title=label("block.definitions"),
    )
    inputs = manifest_of(sheet.data).get("inputs", [])
    sources = Table(
        _SOURCE_COLUMNS,
        tuple(
            {
                "name": entry.get("name"),
                "kind": _key_text("source_kind", entry.get("kind")),
                "sha256": (entry.get("sha256") or "")[:12],
                "rows_in": entry.get("rows_in"),
                "written": entry.get("written"),
                "snapshot_at": entry.get("snapshot_at"),
            }
            for entry in inputs
        ),
        title=label("block.sources") if inputs else label("block.no_sources"),
    )
    standing = Table(
        (("item", "text"), ("note", "text")),
        (
            {"item": label("item.as_of"), "note": sheet["context.as_of"].text},
            {"item": label("item.definitions"), "note": sheet.definitions.name},
        ),
        title=label("block.standing"),
    )
    return [definitions, sources, standing]


def annual_tables(sheet: FactSheet, year: int) -> dict[str, list[Table]]:
    """The sheets of the annual report's workbook (sheet name -> blocks).

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
        >>> [row["department"] for row in sheets["按承办单位"][0].rows]
        ['=1+1', '县教育局']
        >>> import tempfile, openpyxl
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = write_workbook(Path(tmp) / "tables.xlsx", sheets)
        ...     cell = openpyxl.load_workbook(path)["按承办单位"]["A2"]
        >>> cell.value, cell.data_type, cell.quotePrefix
        ('=1+1', 's', True)
    """
    filters = {"year": year}
    sheets = {_MONTH_SHEET: [_months(sheet.result("monthly_trend", filters))]}
    for name, dimension in DIMENSION_SHEETS.items():
        sheets[name] = [_dimension(sheet, dimension, filters)]
    sheets[_PROVENANCE_SHEET] = provenance(sheet)
    return sheets


def bulletin_tables(sheet: FactSheet, month: str) -> dict[str, list[Table]]:
    """The sheets of a bulletin's workbook (sheet name -> blocks).

    按月 holds the year's months up to ``month`` (环比 against the month before, even across a
    new year); the other sheets hold ``month``'s breakdowns.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.bulletin import bulletin_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01"]),
        ...     "status": ["closed"] * 2})
        >>> sheets = bulletin_tables(bulletin_facts(df, "2021-03"), "2021-03")
        >>> [row["month"] for row in sheets["按月"][0].rows]
        ['2021-03']
    """
    trend = sheet.result("monthly_trend", {})
    months = trend[(trend["month"] <= month) & trend["month"].str.startswith(month[:4])]
    sheets = {_MONTH_SHEET: [_months(months)]}
    for name, dimension in DIMENSION_SHEETS.items():
        sheets[name] = [_dimension(sheet, dimension, {"month": month})]
    sheets[_PROVENANCE_SHEET] = provenance(sheet)
    return sheets


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.title = workbook.add_format({"bold": True, "font_size": 12})
        self.text = {
            (quoted, wrapped): workbook.add_format(
                {"quote_prefix": quoted, "text_wrap": wrapped, "valign": "top"}
            )
            for quoted in (False, True)
            for wrapped in (False, True)
        }
        self.numbers = {
            k: workbook.add_format({"num_format": f}) for k, f in NUMBER_FORMATS.items()
        }


def _write_text(worksheet: Any, row: int, col: int, text: str, formats: _Formats) -> int:
    """Write text that can never become a formula; return its display width."""
    width = display_width(text)
    style = formats.text[is_dangerous(text), width > _MAX_WIDTH]
    worksheet.write_string(row, col, text, style)
    return width


def _write_cell(
    worksheet: Any, row: int, col: int, value: Any, kind: str, formats: _Formats
) -> int:
    if kind == "text":
        if is_missing(value):
            worksheet.write_blank(row, col, None, formats.text[False, False])
            return 0
        return _write_text(worksheet, row, col, str(value), formats)
    style = formats.numbers[kind]
    if is_missing(value):
        worksheet.write_blank(row, col, None, style)  # missing is blank, never 0
        return 0
    worksheet.write_number(row, col, float(value), style)
    return len(f"{float(value):.2f}") + (1 if kind in ("rate", "change") else 0)


def _write_block(
    worksheet: Any, top: int, table: Table, formats: _Formats, widths: dict[int, int]
) -> tuple[int, int]:
    """Write one block from row ``top``; return the header row and the next free row."""
    if table.title is not None:
        worksheet.write_string(top, 0, table.title, formats.title)
        top += 1
    for col, (column, _) in enumerate(table.columns):
        header = column_header(column)
        worksheet.write_string(top, col, header, formats.header)
        widths[col] = max(widths.get(col, 0), display_width(header))
    for offset, row in enumerate(table.rows, start=1):
        for col, (column, kind) in enumerate(table.columns):
            width = _write_cell(worksheet, top + offset, col, row.get(column), kind, formats)
            widths[col] = max(widths[col], width)
    return top, top + len(table.rows) + 1


def _write_sheet(
    workbook: xlsxwriter.Workbook, name: str, tables: Iterable[Table], formats: _Formats
) -> None:
    worksheet = workbook.add_worksheet(name)
    widths: dict[int, int] = {}
    blocks, top = [], 0
    for table in tables:
        header, top = _write_block(worksheet, top, table, formats, widths)
        blocks.append((header, top - 1, len(table.columns)))
        top += 1  # a blank row between blocks
    for col, width in widths.items():
        worksheet.set_column(col, col, min(_MAX_WIDTH, max(_MIN_WIDTH, width + 2)))
    header, last, columns = blocks[0]
    if len(blocks) == 1:
        worksheet.freeze_panes(header + 1, 1)
        worksheet.autofilter(header, 0, max(last, header), columns - 1)
    else:
        worksheet.freeze_panes(header + 1, 0)


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
