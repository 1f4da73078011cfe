"""The legacy .xls pre-flight: where calamine puts each cell, what a sheet declares, damaged files.

The scan must agree with calamine on the grid a sheet asks for: the property test writes random
small workbooks with xlwt and compares the scan's corner with the rows calamine returns. The
fast reading of a sheet's records (numpy over one walk of the stream) must agree with the plain
record-by-record walk on any stream of records, well formed or not.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile.excel_cases import legacy_xls, lying_dimensions
from hotline.errors import InputError
from hotline.ingestion.limits import Limits
from hotline.ingestion.readers import ole_scan

#: Room for any place a BIFF record can name: these tests compare places, not limits.
ROOMY = Limits(rows=10**7, columns=10**6, cells=10**12)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sheets=st.lists(
        st.lists(
            st.tuples(
                st.integers(0, 300), st.integers(0, 60), st.sampled_from(["text", 1.5, 7, True])
            ),
            max_size=12,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_scan_puts_cells_where_calamine_does(sheets, tmp_path: Path) -> None:
    import python_calamine
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for n, cells in enumerate(sheets):
        sheet = book.add_sheet(f"表{n}", cell_overwrite_ok=True)
        for row, column, value in cells:
            sheet.write(row, column, value)
    path = tmp_path / "random.xls"
    book.save(str(path))

    scans = ole_scan.scan_ole_workbook(path, path.name, ROOMY)
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    assert [s.sheet for s in scans] == workbook.sheet_names
    for scan, name in zip(scans, workbook.sheet_names, strict=True):
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        # Expected from the cells written, and the same corner calamine lays out.
        written = sheets[workbook.sheet_names.index(name)]
        corner = (
            (max(r for r, _, _ in written) + 1, max(c for _, c, _ in written) + 1)
            if written
            else (0, 0)
        )
        assert (scan.max_row, scan.max_column) == corner
        assert (len(rows), max(map(len, rows), default=0)) == corner


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


RECORDS = st.one_of(
    st.builds(
        lambda kind, row, column, extra: _record(kind, struct.pack("<HH", row, column) + extra),
        st.sampled_from(sorted(ole_scan._CELL_RECORDS)),
        st.integers(0, 65535),
        st.integers(0, 65535),
        st.binary(max_size=12),
    ),
    st.builds(
        lambda row, column, n: _record(
            0x00BD, struct.pack("<HH", row, column) + bytes(6 * n) + struct.pack("<H", column + n)
        ),
        st.integers(0, 65535),
        st.integers(0, 300),
        st.integers(0, 4),
    ),
    st.builds(lambda body: _record(0x0809, body), st.binary(min_size=2, max_size=8)),
    st.just(_record(0x000A, b"")),
    st.builds(
        lambda a, b, c, d: _record(0x0200, struct.pack("<IIHHH", a, b, c, d, 0)),
        st.integers(0, 70000),
        st.integers(0, 70000),
        st.integers(0, 300),
        st.integers(0, 300),
    ),
    st.builds(_record, st.integers(0, 0x1200), st.binary(max_size=20)),
    st.binary(min_size=1, max_size=6),  # a stray byte or a record cut short
)


@settings(max_examples=300, deadline=None)
@given(records=st.lists(RECORDS, max_size=30), start=st.integers(0, 29))
def test_the_fast_reading_agrees_with_the_walk(records, start) -> None:
    stream = b"".join(records)
    fast = ole_scan._Records(stream)
    if not len(fast.offsets):
        return
    first = min(start, len(fast.offsets) - 1)
    offset = int(fast.offsets[first])

    def outcome(read):
        try:
            return read()
        except InputError as error:  # a wrapped size over the limit: the same line either way
            return str(error)

    expected = outcome(lambda: ole_scan.scan_biff_sheet(stream, offset, "s", "a.xls", ROOMY))
    assert outcome(lambda: fast.sheet(first, "s", "a.xls", ROOMY)) == expected


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(), r"20,000,000 rows in sheet '表1' as its DIMENSIONS record declares"),
        (
            Limits(rows=10**8, columns=999),
            r"1,000 columns in sheet '表1' as its DIMENSIONS record.*columns=N",
        ),
        (Limits(rows=10**8, columns=2000), r"20,000,000,000 cells in sheet '表1' as its DIMEN"),
    ],
)
def test_each_declared_size_names_its_flag(limits: Limits, message: str, tmp_path: Path) -> None:
    path = lying_dimensions(tmp_path / "dim.xls", 20_000_000, 1000)
    with pytest.raises(InputError, match=message):
        ole_scan.scan_ole_workbook(path, path.name, limits)


def test_a_first_row_past_the_last_is_what_calamine_wraps_it_to(tmp_path: Path) -> None:
    # calamine computes last - first + 1 in 32 bits: a first row past the last wraps to ~4e9.
    assert ole_scan._declared(struct.pack("<IIHHH", 10, 5, 0, 3, 0)) == (2**32 - 5, 3)
    assert ole_scan._declared(struct.pack("<IIHHH", 0, 0, 0, 0, 0)) == (1, 1)


@pytest.mark.parametrize(
    ("offset", "value", "message"),
    [
        (44, 10**6, r"declares 1,000,000 allocation-table sectors"),
        (30, 7, r"sector sizes"),
        (0, 0, r"no compound-file header"),
    ],
)
def test_a_damaged_compound_header_is_refused(
    offset: int, value: int, message: str, tmp_path: Path
) -> None:
    data = bytearray(legacy_xls(tmp_path / "a.xls").read_bytes())
    struct.pack_into("<I" if offset != 30 else "<H", data, offset, value)
    (tmp_path / "a.xls").write_bytes(bytes(data))
    with pytest.raises(InputError, match=message):
        ole_scan.scan_ole_workbook(tmp_path / "a.xls", "a.xls")


def test_a_sheet_named_after_a_caller_is_named_by_its_label(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("王建国13900005001")
    for row in range(3):
        sheet.write(row, 0, f"A{row}")
    path = tmp_path / "named.xls"
    book.save(str(path))
    with pytest.raises(InputError) as refused:
        ole_scan.scan_ole_workbook(path, "named.xls", Limits().raised(["rows=2"]))
    message = str(refused.value)
    assert "王建国" not in message and "13900005001" not in message
    assert "工作表1" in message
