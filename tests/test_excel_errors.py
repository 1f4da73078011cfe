"""Error cells found in a sheet's XML, however the cells around them are written."""

from __future__ import annotations

import io

import pytest

from hotline.ingestion import excel_errors

ROW = (
    b'<row r="1"><c r="A1" s="1"/><c r="B1" t="e"><f>NA()</f><v>#N/A</v></c>'
    b'<c r="C1" t="s"><v>0</v></c><c t="e" r="AA12"><v>#REF!</v></c>'
    b'<c r="D1" t="inlineStr"><is><t>t=&quot;e&quot;</t></is></c></row>'
)
FOUND = [(0, 1, "#N/A"), (11, 26, "#REF!")]


@pytest.mark.parametrize(
    ("xml", "expected", "case"),
    [
        (ROW, FOUND, "an empty <c/> before, type before reference, escaped text after"),
        (b'<row r="1"><c r="A1"><v>1</v></c></row>', [], "no error cell"),
        (b'<c r="ZZ3" t="e"><v>#DIV/0!</v></c>', [(2, 701, "#DIV/0!")], "a two-letter column"),
    ],
)
def test_error_cells_in_a_row(xml: bytes, expected: list, case: str) -> None:
    assert excel_errors._errors_in(xml) == expected, case


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_cells_cut_between_chunks_are_found_once(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel_errors, "_CHUNK", chunk)
    assert excel_errors._scan(io.BytesIO(ROW * 3)) == FOUND * 3


def test_a_file_that_is_not_a_workbook_has_no_error_cells(tmp_path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert excel_errors.sheet_errors(path, "Sheet1") == []
