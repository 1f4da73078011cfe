"""Workbook and JSON attacks: far cells, zip bombs, lying zips, deep JSON, files in disguise.

Each workbook is written here byte by byte (the sheet XML as given, no library smoothing it), so
that a case holds exactly the shape of the attack: a value at ``XFD200000`` in a 2 KB file, a
sheet of 100 MB of repeated rows in a few hundred KB, cells and rows without references, a zip
whose directory lies about a member's size. Limits are lowered with ``--limit`` where a case
only needs to cross one, so that every case runs in a second or two.
"""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from hostile import Attack, Outcome

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER = ("工单编号", "受理时间", "办理状态")
CSV_TEXT = "工单编号,受理时间,办理状态\r\nA1,2021/3/5 9:00,已办结\r\nA2,2021/3/6 9:00,已办结\r\n"


def cell(ref: str | None, text: str) -> str:
    """An inline-string cell, with or without its ``r=`` reference."""
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{text}</t></is></c>'


def orders(n: int = 2, *, refs: bool = True) -> str:
    """A header row and ``n`` orders A1.. (rows 1 to n + 1)."""
    rows = []
    for r, values in enumerate(
        [HEADER, *((f"A{i}", f"2021/3/{1 + i % 28} 9:00", "已办结") for i in range(1, n + 1))],
        start=1,
    ):
        cells = "".join(cell(f"{'ABC'[c]}{r}" if refs else None, v) for c, v in enumerate(values))
        rows.append(f'<row r="{r}">{cells}</row>' if refs else f"<row>{cells}</row>")
    return "".join(rows)


def workbook(
    path: Path,
    sheets: dict[str, Iterable[str | bytes]],
    *,
    shared_strings: Iterable[bytes] | None = None,
    dimension: str | None = None,
    level: int = 9,
) -> Path:
    """An xlsx whose sheets' ``<sheetData>`` content is streamed from the given pieces.

    ``level`` is zlib's: 1 builds a bomb of a hundred megabytes in a fraction of the time, and
    repeated XML still inflates several hundredfold.
    """
    names = list(sheets)
    book = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(
            f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
        )
        + "</sheets></workbook>"
    )
    relations = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", relations)
        if shared_strings is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                for piece in shared_strings:
                    out.write(piece)
        for i, name in enumerate(names, 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                out.write(SHEET_HEAD)
                if dimension:
                    out.write(f'<dimension ref="{dimension}"/>'.encode())
                out.write(b"<sheetData>")
                for piece in sheets[name]:
                    out.write(piece.encode() if isinstance(piece, str) else piece)
                out.write(b"</sheetData></worksheet>")
    return path


def repeated(piece: str, times: int, per_write: int = 10_000) -> Iterable[bytes]:
    """``piece`` written ``times`` times, in blocks (a sheet of megabytes without holding it)."""
    block = piece.encode() * per_write
    for _ in range(times // per_write):
        yield block
    yield piece.encode() * (times % per_write)


def lie_about_size(path: Path, member: str, declared: int) -> Path:
    """Rewrite a member's uncompressed size, in its local header and the central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        (name_length,) = struct.unpack_from("<H", data, entry + 28)
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<I", data, entry + 24, declared)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))
    return path


def far_cell(path: Path, ref: str) -> Path:
    """Two orders and one value far away: the 2 KB file of issue #11."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return workbook(path, {"Sheet1": [orders(), f'<row r="{row}">{cell(ref, "x")}</row>']})


def html_export(path: Path, n: int, *, charset: str = "gb2312") -> Path:
    """An HTML table saved as .xls, in GBK, the way hotline platforms export."""
    header = "".join(f"<th>{h}</th>" for h in ("工单编号", "受理时间", "来电人", "办理状态"))
    rows = "".join(
        f"<tr><td>A{i:05d}</td><td>2021-03-{1 + i % 28:02d} 09:00</td><td>王建国</td>"
        f"<td>已办结</td></tr>"
        for i in range(1, n + 1)
    )
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>工单导出</title></head><body><table border=1><tr>{header}</tr>{rows}"
        "</table></body></html>"
    )
    path.write_bytes(page.encode("gbk"))
    return path


def ods(path: Path, rows: int, columns: int, *, tables: int = 1) -> Path:
    """ods sheets of one cell repeated ``columns`` times in a row repeated ``rows`` times."""
    table = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>"
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        "<office:spreadsheet>"
        + "".join(f'<table:table table:name="表{n}">{table}' for n in range(1, tables + 1))
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


def legacy_xls(path: Path, sheets: int = 1, *, rows: int = 2) -> Path:
    """A real BIFF8 .xls (written by xlwt): a header and ``rows`` orders on each sheet."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for n in range(1, sheets + 1):
        sheet = book.add_sheet(f"表{n}")
        for column, text in enumerate(HEADER):
            sheet.write(0, column, text)
        for row in range(1, rows + 1):
            sheet.write(row, 0, f"A{n}-{row}")
            sheet.write(row, 1, f"2021/3/{row % 28 + 1} 9:00")
            sheet.write(row, 2, "已办结")
    book.save(str(path))
    return path


def lying_dimensions(path: Path, rows: int, columns: int) -> Path:
    """A .xls whose DIMENSIONS record claims ``rows`` × ``columns`` (the file of issue #11)."""
    data = bytearray(legacy_xls(path).read_bytes())
    at = data.find(b"\x00\x02\x0e\x00")  # record 0x0200, 14 bytes
    struct.pack_into("<IIHH", data, at + 4, 0, rows, 0, columns)
    path.write_bytes(bytes(data))
    return path


def far_xls_cell(path: Path, column: int) -> Path:
    """A .xls whose last string cell (a LABELSST record) is moved to ``column``."""
    data = bytearray(legacy_xls(path).read_bytes())
    at = data.rfind(b"\xfd\x00\x0a\x00")  # record 0x00FD, 10 bytes: row, column, …
    struct.pack_into("<H", data, at + 6, column)
    path.write_bytes(bytes(data))
    return path


def looping_fat(path: Path) -> Path:
    """A .xls whose Workbook stream chain leads from its second sector back to its first."""
    data = bytearray(path.read_bytes())
    (fat,) = struct.unpack_from("<I", data, 76)  # the first allocation-table sector
    (directory,) = struct.unpack_from("<I", data, 48)
    at = (directory + 1) * 512
    entries = [data[at + 128 * i : at + 128 * (i + 1)] for i in range(4)]
    (entry,) = [e for e in entries if e[:16] == "Workbook".encode("utf-16-le")]
    (start,) = struct.unpack_from("<I", entry, 116)
    table = (fat + 1) * 512
    (second,) = struct.unpack_from("<I", data, table + 4 * start)
    struct.pack_into("<I", data, table + 4 * second, start)
    path.write_bytes(bytes(data))
    return path


def shared_strings(declared: int, held: int = 1) -> list[bytes]:
    """A shared-strings part that declares ``declared`` unique strings and holds ``held``."""
    return [
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="%d" uniqueCount="%d">' % (declared, declared),
        b"<si><t>x</t></si>" * held,
        b"</sst>",
    ]


def write_json(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


ORDER_JSON = '{"工单编号": "A1", "受理时间": "2021-03-05 09:00"'


def _written(n: int, out: str = "out") -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        totals = outcome.manifest(out)["totals"]
        assert totals["written"] == n, totals

    return check


def _ingest(build: Callable[[Path], Path], *limits: str) -> Callable[[Path], list[str]]:
    def args(work: Path) -> list[str]:
        flags = [part for setting in limits for part in ("--limit", setting)]
        return ["ingest", str(build(work)), "--out", "out", *flags]

    return args


CASES = [
    # A value far away: calamine would lay out the whole grid (abort, or gigabytes).
    Attack(
        "xlsx-far-cell-XFD200000",
        _ingest(lambda w: far_cell(w / "far.xlsx", "XFD200000")),
        status=2,
        message=r"far\.xlsx: 3,276,800,000 cells in sheet 'Sheet1'.*XFD200000.*--limit cells=N",
    ),
    Attack(
        "xlsx-far-cell-XFD5000",
        _ingest(lambda w: far_cell(w / "far.xlsx", "XFD5000")),
        status=2,
        message=r"16,384 columns in sheet 'Sheet1' \(to cell XFD5000\).*--limit columns=N",
    ),
    Attack(
        "xlsx-far-cell-row-3000000",
        _ingest(lambda w: far_cell(w / "far.xlsx", "A3000000")),
        status=2,
        message=r"3,000,000 rows in sheet 'Sheet1'.*--limit rows=N",
    ),
    Attack(
        "xlsx-far-cell-raised-limit-reads-it",
        _ingest(lambda w: far_cell(w / "far.xlsx", "C40"), "cells=200"),
        status=0,
        check=_written(2),
    ),
    Attack(
        "xlsx-declared-dimension-alone-is-harmless",
        _ingest(
            lambda w: workbook(w / "d.xlsx", {"Sheet1": [orders(3)]}, dimension="A1:XFD1048576")
        ),
        status=0,
        check=_written(3),
    ),
    # Cells and rows without r=: calamine numbers them one after the other.
    Attack(
        "xlsx-refless-cells-in-one-row",
        _ingest(
            lambda w: workbook(
                w / "wide.xlsx",
                {"Sheet1": [orders(), "<row>", *repeated("<c><v>1</v></c>", 50_000), "</row>"]},
            )
        ),
        status=2,
        message=r"wide\.xlsx: [0-9,]{6} columns in sheet 'Sheet1' \(to cell [A-Z]{4}4\), "
        r"over the limit of 1,000.*--limit columns=N",
    ),
    Attack(
        "xlsx-refless-cells-and-rows-are-read",
        _ingest(lambda w: workbook(w / "norefs.xlsx", {"Sheet1": [orders(5, refs=False)]})),
        status=0,
        check=_written(5),
    ),
    Attack(
        "xlsx-refless-empty-rows-count",
        _ingest(
            lambda w: workbook(
                w / "rows.xlsx",
                {
                    "Sheet1": [
                        orders(),
                        *repeated("<row/>", 150_000),
                        f"<row>{cell(None, 'x')}</row>",
                    ]
                },
            ),
            "rows=100000",
        ),
        status=2,
        message=r"150,004 rows in sheet 'Sheet1' \(to cell C150004\).*--limit rows=N",
    ),
    Attack(
        "xlsx-120MB-of-empty-rows-refused-fast",
        _ingest(
            lambda w: workbook(
                w / "empty.xlsx",
                {"Sheet1": [orders(), *repeated("<row/>", 20_000_000, per_write=1_000_000)]},
                level=1,
            )
        ),
        status=2,
        message=r"to 1 inflation of zip member xl/worksheets/sheet1\.xml.*--limit ratio=N",
    ),
    # Zip bombs and lying zips.
    Attack(
        "xlsx-zip-bomb-100MB-refused-fast",
        _ingest(
            lambda w: workbook(
                w / "bomb.xlsx",
                {
                    "Sheet1": [
                        orders(),
                        *repeated(f"<row>{cell(None, 'B')}{cell(None, 'x')}</row>", 1_500_000),
                    ]
                },
                level=1,
            )
        ),
        status=2,
        message=r"bomb\.xlsx: [0-9,]+ to 1 inflation of zip member xl/worksheets/sheet1\.xml, "
        r"over the limit of 100; to read it anyway: --limit ratio=N",
    ),
    Attack(
        "xlsx-member-over-unzipped-limit",
        _ingest(
            lambda w: workbook(w / "big.xlsx", {"Sheet1": [orders(3000)]}),
            "unzipped=256K",
        ),
        status=2,
        message=r"bytes inflated from zip member xl/worksheets/sheet1\.xml.*--limit unzipped=N",
    ),
    Attack(
        "xlsx-huge-shared-strings",
        _ingest(
            lambda w: workbook(
                w / "strings.xlsx",
                {"Sheet1": [orders()]},
                shared_strings=[
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                    *repeated("<si><t>重复的字符串</t></si>", 2_000_000),
                    b"</sst>",
                ],
            )
        ),
        status=2,
        message=r"inflation of zip member xl/sharedStrings\.xml.*--limit ratio=N",
    ),
    Attack(
        "xlsx-declared-size-smaller-than-real",
        _ingest(
            lambda w: lie_about_size(
                workbook(w / "lie.xlsx", {"Sheet1": [orders(50)]}), "xl/worksheets/sheet1.xml", 100
            )
        ),
        status=2,
        message=r"lie\.xlsx: damaged zip: member xl/worksheets/sheet1\.xml inflates to [0-9,]+ "
        r"bytes, not the declared 100",
    ),
    Attack(
        "xlsx-many-sheets-far-cell-in-the-last",
        _ingest(
            lambda w: workbook(
                w / "many.xlsx",
                {
                    **{f"表{i}": [orders()] for i in range(1, 60)},
                    "表60": [orders(), f'<row r="200000">{cell("XFD200000", "x")}</row>'],
                },
            )
        ),
        status=2,
        message=r"cells in sheet '表60'.*XFD200000.*--limit cells=N",
    ),
    Attack(
        "xlsx-truncated-zip",
        _ingest(
            lambda w: (
                (p := workbook(w / "cut.xlsx", {"Sheet1": [orders(200)]})).write_bytes(
                    p.read_bytes()[: p.stat().st_size // 2]
                ),
                p,
            )[1]
        ),
        status=2,
        message=r"cut\.xlsx: not a readable Excel workbook",
    ),
    Attack(
        "xlsx-sheets-whose-grids-add-up",
        _ingest(
            lambda w: workbook(
                w / "sum.xlsx",
                {
                    f"表{i}": [orders(), f'<row r="40">{cell("Z40", "x")}</row>']
                    for i in range(1, 5)
                },
            ),
            "cells=3000",
        ),
        status=2,
        message=r"3,120 cells in the workbook's 3 sheets laid out as grids.*--limit cells=N",
    ),
    Attack(
        "ods-repeated-rows-and-columns",
        _ingest(lambda w: ods(w / "rep.ods", 100_000, 16_384)),
        status=2,
        message=r"rep\.ods: 1,638,400,000 cells in sheet '表1' laid out as a grid.*--limit cells=N",
    ),
    # Shared strings: calamine reserves room for the count the part declares.
    Attack(
        "xlsx-shared-strings-declare-4-billion",
        _ingest(
            lambda w: workbook(
                w / "sst.xlsx", {"Sheet1": [orders()]}, shared_strings=shared_strings(4 * 10**9)
            )
        ),
        status=2,
        message=r"sst\.xlsx: 4,000,000,000 shared strings the workbook declares "
        r"\(xl/sharedStrings\.xml count\), over the limit of 100,000,000; "
        r"to read it anyway: --limit cells=N",
    ),
    Attack(
        "xlsx-shared-strings-declare-far-more-than-held",
        _ingest(
            lambda w: workbook(
                w / "sst.xlsx", {"Sheet1": [orders()]}, shared_strings=shared_strings(50_000_000)
            )
        ),
        status=2,
        message=r"sst\.xlsx: damaged workbook: xl/sharedStrings\.xml declares 50,000,000 "
        r"unique strings but holds 1$",
    ),
    Attack(
        "xlsx-shared-strings-declared-as-held-are-read",
        _ingest(
            lambda w: workbook(
                w / "sst.xlsx", {"Sheet1": [orders(3)]}, shared_strings=shared_strings(5, 5)
            )
        ),
        status=0,
        check=_written(3),
    ),
    # Sheets: each is opened and searched for a header; thousands of empty ones took minutes.
    Attack(
        "xlsx-1200-empty-sheets",
        _ingest(
            lambda w: workbook(
                w / "many.xlsx", {"Sheet1": [orders()], **{f"空{i}": [] for i in range(1200)}}
            )
        ),
        status=2,
        message=r"many\.xlsx: 1,201 sheets in the workbook, over the limit of 1,000; "
        r"to read it anyway: --limit sheets=N",
    ),
    Attack(
        "xlsx-300-empty-sheets-raised-limit-reads-them",
        _ingest(
            lambda w: workbook(
                w / "many.xlsx", {"Sheet1": [orders(4)], **{f"空{i}": [] for i in range(300)}}
            ),
            "sheets=400",
        ),
        status=0,
        check=_written(4),
    ),
    Attack(
        "ods-over-sheet-limit",
        _ingest(lambda w: ods(w / "rep.ods", 3, 3, tables=5), "sheets=3"),
        status=2,
        message=r"rep\.ods: 4 sheets in the workbook, over the limit of 3; "
        r"to read it anyway: --limit sheets=N",
    ),
    # Legacy .xls: calamine reserves what the DIMENSIONS record declares.
    Attack(
        "xls-dimensions-claim-20M-rows-by-1000-columns",
        _ingest(lambda w: lying_dimensions(w / "dim.xls", 20_000_000, 1000)),
        status=2,
        message=r"dim\.xls: 20,000,000 rows in sheet '表1' as its DIMENSIONS record declares, "
        r"over the limit of 2,000,000; to read it anyway: --limit rows=N",
    ),
    Attack(
        "xls-dimensions-claim-too-many-columns",
        _ingest(lambda w: lying_dimensions(w / "dim.xls", 3, 5000)),
        status=2,
        message=r"dim\.xls: 5,000 columns in sheet '表1' as its DIMENSIONS record declares.*"
        r"--limit columns=N",
    ),
    Attack(
        "xls-cell-at-column-60000",
        _ingest(lambda w: far_xls_cell(w / "far.xls", 60_000)),
        status=2,
        message=r"far\.xls: 60,001 columns in sheet '表1', over the limit of 1,000; "
        r"to read it anyway: --limit columns=N",
    ),
    Attack(
        "xls-over-sheet-limit",
        _ingest(lambda w: legacy_xls(w / "many.xls", 12), "sheets=10"),
        status=2,
        message=r"many\.xls: 11 sheets in the workbook, over the limit of 10; "
        r"to read it anyway: --limit sheets=N",
    ),
    Attack(
        "xls-ordinary-is-read",
        _ingest(lambda w: legacy_xls(w / "ok.xls", 2, rows=3)),
        status=0,
        check=_written(6),
    ),
    Attack(
        "xls-sector-chain-loops",
        _ingest(lambda w: looping_fat(legacy_xls(w / "loop.xls", rows=300))),
        status=2,
        message=r"loop\.xls: not a readable Excel workbook \(damaged OLE file: .* loops back",
    ),
    # Files in disguise.
    Attack(
        "xls-that-is-an-html-table-in-gbk",
        _ingest(lambda w: html_export(w / "导出.xls", 40)),
        status=0,
        check=_written(40),
    ),
    Attack(
        "xls-that-is-csv-text",
        _ingest(lambda w: (w / "导出.xls").write_bytes(CSV_TEXT.encode("gbk")) and w / "导出.xls"),
        status=0,
        check=_written(2),
    ),
    Attack(
        "xls-that-is-an-xlsx",
        _ingest(lambda w: workbook(w / "named.xls", {"Sheet1": [orders(4)]})),
        status=0,
        check=_written(4),
    ),
    Attack(
        "xlsx-that-is-a-pdf",
        _ingest(
            lambda w: (
                (w / "export.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj")
                and w / "export.xlsx"
            )
        ),
        status=2,
        message=r"export\.xlsx: a PDF document, not a spreadsheet export",
    ),
    # JSON.
    Attack(
        "json-nested-100000-deep",
        _ingest(
            lambda w: (
                (w / "deep.json").write_text("[" * 100_000 + "]" * 100_000) and w / "deep.json"
            )
        ),
        status=2,
        message=r"deep\.json: 100,000 levels of nesting, over the limit of 64; "
        r"to read it anyway: --limit json_depth=N",
    ),
    Attack(
        "json-5000-digit-integer",
        _ingest(lambda w: write_json(w / "big.json", f'[{ORDER_JSON}, "x": {"9" * 5000}}}]')),
        status=2,
        message=r"big\.json, row 1: a number of 5,000 digits \(9{12}…\); expected a number of at "
        r"most 4,300 digits, or text in quotes$",
    ),
    Attack(
        "json-lone-surrogate",
        _ingest(
            lambda w: write_json(
                w / "s.json", f'[{ORDER_JSON}}}, {ORDER_JSON}, "诉求内容": "\\ud800"}}]'
            )
        ),
        status=2,
        message=r"s\.json, row 2: text with a lone UTF-16 surrogate \(\\ud800\)",
    ),
    Attack(
        "json-surrogate-pair-is-read",
        _ingest(
            lambda w: write_json(w / "s.json", f'[{ORDER_JSON}, "诉求内容": "\\ud83d\\ude00"}}]')
        ),
        status=0,
        check=_written(1),
    ),
    Attack(
        "json-5000-keys-in-one-record",
        _ingest(
            lambda w: write_json(
                w / "wide.json",
                json.dumps([{f"k{i}": "v" for i in range(5000)} | {"工单编号": "A1"}]),
            )
        ),
        status=2,
        message=r"wide\.json, row 1: 5,001 keys in one record, over the limit of 1,000; "
        r"to read it anyway: --limit columns=N",
    ),
    Attack(
        "json-keys-spread-over-records",
        _ingest(
            lambda w: write_json(
                w / "sparse.json",
                json.dumps(
                    [
                        {"工单编号": f"A{i}", "受理时间": "2021-03-05 09:00", f"k{i}": "v"}
                        for i in range(1, 60)
                    ]
                ),
            ),
            "columns=50",
        ),
        status=2,
        message=r"sparse\.json, row 49: 51 distinct keys in the records, over the limit of 50; "
        r"to read it anyway: --limit columns=N",
    ),
    Attack(
        "json-over-size-limit",
        _ingest(
            lambda w: (
                (w / "big.json").write_text(
                    json.dumps(
                        [{"工单编号": f"A{i}", "受理时间": "2021-03-05 09:00"} for i in range(200)]
                    ),
                    encoding="utf-8",
                )
                and w / "big.json"
            ),
            "json_bytes=4K",
        ),
        status=2,
        message=r"big\.json: [0-9,]+ bytes of JSON, over the limit of 4 KiB; --limit json_bytes=N|"
        r"big\.json: [0-9,]+ bytes of JSON, over the limit of 4 KiB; to read it anyway: "
        r"--limit json_bytes=N",
    ),
]
