"""hotline.claims reads a report's file: text or Word, piece by piece, and refuses anything else.

Issue 13: ``hotline check-claims report.docx`` gave an encoding error; a 50 MB text file took
2.36 GB of memory. A .docx is now read (paragraphs in order, table rows as lines); any other
binary file is refused in one line naming what it is; a text file is read line by line, a long
line in pieces cut after a sentence's end, and no output repeats a personal number.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.claims import (
    MAX_FIGURES,
    Piece,
    extract_statements,
    open_report,
    read_report_text,
    read_statements,
    run_check_claims,
)
from hotline.claims import command as claims_command
from hotline.claims.report_file import MAX_RUN_CHARS
from hotline.errors import InputError
from orders import frame

_ACCEPTED, _CLOSED = 40, 38


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """A county of 40 hotline orders in 2021, 38 closed."""
    return frame(
        [
            {
                "order_id": f"H{i}",
                "source_kind": "hotline",
                "received_at": "2021-03-01 09:00",
                "dispatched_at": "2021-03-01 10:00",
                "closed_at": "2021-03-02 10:00" if i < _CLOSED else None,
                "status": "closed" if i < _CLOSED else "dispatched",
            }
            for i in range(_ACCEPTED)
        ]
    )


# ---------------------------------------------------------------------------------------------
# Word files


def _report_docx(path: Path, accepted: int) -> Path:
    """A county report as Word: a hotline heading, a run-in sub-heading, a table, a break."""
    document = docx.Document()
    document.add_heading("2021年法治政府建设情况报告", level=0)
    document.add_heading("一、12345热线运行情况", level=1)
    document.add_paragraph(f"（一）受理情况。全年受理群众诉求{accepted}件。")
    table = document.add_table(rows=3, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "指标"
    table.cell(0, 2).text = "数值"
    for row, (name, value) in enumerate([("受理量", f"{accepted}件"), ("满意率", "99%")], 1):
        table.cell(row, 0).text = name
        table.cell(row, 1).text = "2021年"
        table.cell(row, 2).text = value
    paragraph = document.add_paragraph("二、法治政府建设")
    paragraph.add_run().add_break()  # a manual line break inside one paragraph
    paragraph.add_run("全年满意率95%。")
    document.save(str(path))
    return path


def test_docx_paragraphs_headings_and_tables_are_lines(tmp_path: Path) -> None:
    path = _report_docx(tmp_path / "报告.docx", _ACCEPTED)
    assert read_report_text(path).split("\n") == [
        "2021年法治政府建设情况报告",
        "一、12345热线运行情况",
        f"（一）受理情况。全年受理群众诉求{_ACCEPTED}件。",
        "指标；数值",  # a cell merged across two columns is read once
        f"受理量；2021年；{_ACCEPTED}件",
        "满意率；2021年；99%",
        "二、法治政府建设",
        "全年满意率95%。",
    ]


def test_docx_is_checked_like_its_text(tmp_path: Path, orders: pd.DataFrame) -> None:
    path = _report_docx(tmp_path / "报告.docx", _ACCEPTED + 1)
    records = json.loads(run_check_claims(path, orders, fmt="json")[0])
    text = tmp_path / "报告.txt"
    text.write_text(read_report_text(path), encoding="utf-8")
    assert records == json.loads(run_check_claims(text, orders, fmt="json")[0])
    hotline = [r for r in records if r["about_hotline"]]
    assert [(r["line"], r["verdict"], r["context"]) for r in hotline] == [
        (3, "inconsistent", "主语承接标题「一、12345热线运行情况」")
    ]
    assert hotline[0]["computed"]["value"] == _ACCEPTED


# ---------------------------------------------------------------------------------------------
# Files that are no report: one line naming the file and what it is


def _zip(path: Path, names: list[str]) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return path.read_bytes()


def _xlsx(path: Path) -> bytes:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write(0, 0, "12345热线满意率99%")
    workbook.close()
    return path.read_bytes()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
REFUSED = [
    ("报告.doc", lambda p: OLE, "an old Office file (.doc"),
    ("报告.pdf", lambda p: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
    ("报告.xlsx", _xlsx, "an Excel workbook (.xlsx)"),
    ("报告.pptx", lambda p: _zip(p, ["ppt/presentation.xml"]), "a PowerPoint file"),
    ("报告.zip", lambda p: _zip(p, ["a.txt"]), "a zip archive"),
    ("坏.docx", lambda p: b"PK\x03\x04 not really a zip", "a damaged zip archive"),
    ("扫描.png", lambda p: b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
    ("扫描.jpg", lambda p: b"\xff\xd8\xff\xe0" + bytes(64), "a JPEG image"),
    ("扫描.webp", lambda p: b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a WebP image"),
    ("空.txt", lambda p: b"", "the file is empty"),
    ("乱码.txt", lambda p: bytes(range(128, 256)) * 8, "not text in a known encoding"),
    ("二进制.txt", lambda p: b"12345\x00\x00\x00\x01\x02", "not a text file"),
]


@pytest.mark.parametrize(("name", "content", "what"), REFUSED, ids=[r[0] for r in REFUSED])
def test_files_that_are_not_reports_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content, what: str
) -> None:
    from hotline.cli import EXIT_BAD_INPUT, main

    path = tmp_path / name
    path.write_bytes(content(path))
    with pytest.raises(InputError, match=re.escape(what)) as raised:
        open_report(path)
    message = str(raised.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    assert "expected report text (UTF-8 or GB18030/GBK .txt) or a Word .docx" in message
    # --preset: the command would otherwise read the (missing) dataset's manifest first
    assert main(["check-claims", str(path), str(tmp_path), "--preset", "default"]) == (
        EXIT_BAD_INPUT
    )
    captured = capsys.readouterr()
    assert captured.err == f"hotline: error: {message}\n"  # one line, no traceback
    assert captured.out == ""


def test_a_docx_too_large_to_parse_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline.claims import report_file

    path = _report_docx(tmp_path / "报告.docx", 1)
    size = zipfile.ZipFile(path).getinfo("word/document.xml").file_size
    monkeypatch.setattr(report_file, "MAX_DOCX_XML_BYTES", size - 1)
    with pytest.raises(InputError, match=r"unpacks to .* MiB, more than"):
        open_report(path)


def test_bytes_that_stop_being_text_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    lines = ["全年开展普法宣传活动。" * 20] * 500  # past the bytes the encoding is told from
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe\xfd")
    with pytest.raises(InputError, match=r"not utf-8 text from line (\d+) on") as raised:
        read_report_text(path)
    found = re.search(r"line (\d+)", str(raised.value))
    assert found is not None and 450 < int(found.group(1)) <= 501  # decoded a little ahead


# ---------------------------------------------------------------------------------------------
# A file of any size: read in pieces, memory bounded


def test_a_line_without_a_sentence_end_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    path.write_text("第一行。\n" + "热线受理诉求" * (MAX_RUN_CHARS // 3), encoding="utf-8")
    with pytest.raises(InputError, match=f"line 2 runs more than {MAX_RUN_CHARS:,} characters"):
        list(open_report(path).pieces())


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_a_long_line_is_read_in_pieces_cut_after_sentences(tmp_path: Path, encoding: str) -> None:
    filler = "全年开展普法宣传和热线知识培训活动，覆盖乡镇街道社区，" * 60
    sentences = [f"12345热线受理诉求{n}件，{filler}。" for n in range(1, 120)]
    line = "".join(sentences)
    assert len(line) > 2 * MAX_RUN_CHARS
    path = tmp_path / "报告.txt"
    path.write_text(f"标题\n{line}\n末行。\n", encoding=encoding)
    pieces = list(open_report(path).pieces())
    assert "".join(p.text for p in pieces if p.line == 2) == line
    assert all(len(p.text) <= 2 * MAX_RUN_CHARS for p in pieces)
    assert [p.continued for p in pieces if p.line == 2][1:] == [True] * (len(pieces) - 3)
    assert all(p.text.endswith("。") for p in pieces if p.line == 2)
    from_file = [(s.line, s.text, s.about_hotline, s.context) for s in read_statements(pieces)]
    from_text = [
        (s.line, s.text, s.about_hotline, s.context)
        for s in extract_statements(f"标题\n{line}\n末行。")
    ]
    assert from_file == from_text
    assert [text for _, text, _, _ in from_file] == [f"{n}件" for n in range(1, 120)]


def test_a_file_with_more_figures_than_a_report_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, orders: pd.DataFrame
) -> None:
    assert MAX_FIGURES >= 10_000  # a long 政府工作报告 holds under a thousand
    monkeypatch.setattr(claims_command, "MAX_FIGURES", 5)
    path = tmp_path / "报告.txt"
    path.write_text("12345热线受理诉求9件。\n" * 6, encoding="utf-8")
    with pytest.raises(InputError, match="more than 5 figures \\(line 6\\)"):
        run_check_claims(path, orders)
    path.write_text("12345热线受理诉求9件。\n" * 5, encoding="utf-8")
    assert run_check_claims(path, orders)[1] == 1


def test_pieces_carry_the_subject_across_a_cut_but_not_a_line() -> None:
    pieces = [
        Piece(1, "12345热线受理诉求40件。"),
        Piece(1, "全年满意率99%。", continued=True),
        Piece(2, "满意率99%。"),
    ]
    contexts = [s.context for s in read_statements(pieces)]
    assert contexts == ["", "主语承接上句「12345热线」", "另起一段，不承接上段「12345热线」"]


# ---------------------------------------------------------------------------------------------
# No output repeats a personal number from the checked text

_PHONE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
_ID = st.from_regex(
    r"[1-6][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}[0-9X]",
    fullmatch=True,
)
_PLACES = [
    "12345热线受理诉求40件。\n三、联系电话{n}\n满意率99%。",  # a heading
    "12345热线受理诉求40件。来电人{n}的诉求满意率99%。",  # a new subject
    "12345热线受理诉求40件。督促{n}号用户整改，满意率99%。",  # an object
    "二、12345热线（咨询{n}）运行情况\n办结率95%。",  # the hotline's heading
    "12345热线受理诉求40件。\n(二)县信访局{n}。满意率97%。",  # another subject's heading
    "12345热线{n}受理诉求40件，办结率95%。",  # the hotline's own sentence
]


@settings(max_examples=30, deadline=None)
@given(number=st.one_of(_PHONE, _ID), place=st.sampled_from(_PLACES))
def test_no_output_repeats_a_personal_number(number: str, place: str) -> None:
    import tempfile

    frame_ = frame(
        [
            {
                "order_id": "H1",
                "source_kind": "hotline",
                "received_at": "2021-03-01 09:00",
                "status": "closed",
            }
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "报告.txt"
        path.write_text(place.format(n=number), encoding="utf-8")
        for fmt in ("text", "json"):
            output = run_check_claims(path, frame_, fmt=fmt)[0]
            assert number not in output
            assert not re.search(r"\d{7}", output)  # nor a long part of it
