"""Build small export files in every format the ingest reads, for table-driven tests."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

Row = Sequence[object]

HOTLINE_HEADER = ["工单编号", "受理时间", "来电号码", "诉求内容", "承办单位", "办理状态"]


def hotline_rows(n: int, *, start: int = 1, status: str = "已办结") -> list[list[object]]:
    """``n`` plain hotline rows with ids A{start}.., received in March 2021."""
    return [
        [
            f"A{i}",
            f"2021/3/{1 + i % 28} 9:{i % 60:02d}:00",
            f"1381234{i:04d}",
            f"诉求{i}",
            "县住建局",
            status,
        ]
        for i in range(start, start + n)
    ]


def write_xlsx(
    path: Path,
    rows: Sequence[Row],
    *,
    sheet: str = "Sheet1",
    before: Sequence[tuple[str, Sequence[Row]]] = (),
    start_row: int = 0,
    start_col: int = 0,
    merge_title: str | None = None,
) -> Path:
    """Write rows (header first) to an xlsx; datetimes become real Excel date cells."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": dt.datetime(2022, 1, 1)})
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, other in before:
        extra = book.add_worksheet(name)
        for r, row in enumerate(other):
            for c, value in enumerate(row):
                extra.write(r, c, value)
    ws = book.add_worksheet(sheet)
    row0 = start_row
    if merge_title is not None:
        ws.merge_range(row0, start_col, row0, start_col + 4, merge_title)
        row0 += 1
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                ws.write_datetime(row0 + r, start_col + c, value, date_format)
            elif value is None:
                continue
            else:
                ws.write(row0 + r, start_col + c, value)
    book.close()
    return path


def write_csv(
    path: Path, rows: Sequence[Row], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    """Write rows to a delimited text file in ``encoding`` with Excel's CRLF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows([["" if v is None else v for v in row] for row in rows])
    return path


def write_xls(path: Path, rows: Sequence[Row], *, sheet: str = "Sheet1") -> Path:
    """Write rows to a legacy .xls (BIFF8) workbook."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.datetime):
                ws.write(r, c, value, date_style)
            elif value is not None:
                ws.write(r, c, value)
    book.save(str(path))
    return path


def dated_hotline_rows(received: Sequence[dt.datetime], *, closed_every: int = 1) -> list[Row]:
    """Hotline rows (header first) received at the given times.

    Every ``closed_every``-th one is closed (已办结), the others still being handled (办理中).
    """
    rows: list[Row] = [HOTLINE_HEADER]
    for i, when in enumerate(received):
        status = "已办结" if i % closed_every == 0 else "办理中"
        rows.append([f"D{i}", f"{when:%Y/%m/%d %H:%M:%S}", "", f"诉求{i}", "县住建局", status])
    return rows


def sheet_rows(path: Path) -> list[tuple]:
    """The header and data rows of a workbook's first sheet, as values (openpyxl), up to the
    first empty row (real workbooks carry styled-but-empty tails)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = []
    for row in book.active.iter_rows(values_only=True):
        if all(cell is None for cell in row):
            break
        rows.append(row)
    book.close()
    return rows


def save_rows(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """Rows (as read by :func:`sheet_rows`) into a plain xlsx, cell types kept (openpyxl)."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path
