"""Quoted CSV values spanning lines: honest ones kept, swallowing ones re-read or bounded."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.errors import InputError
from hotline.ingestion.limits import Limits
from hotline.ingestion.readers.delimited import CsvSource
from hotline.ingestion.readers.quoted_spans import (
    implausible,
    line_breaks,
    looks_like_record,
    reread,
    split_lines,
)

HEADER = "工单编号,受理时间,诉求内容,办理状态\r\n"


def _csv(path: Path, body: str, encoding: str = "utf-8") -> CsvSource:
    path.write_bytes((HEADER + body).encode(encoding))
    return CsvSource(path)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ['A1,t1,"他说不热,已办结\r\n', "A2,t2,漏水,已办结\r\n"],
            [(1, "stray_quote", 4), (2, "", 4)],
            id="stray quote opening a value: read as a plain character",
        ),
        pytest.param(
            ['A1,t1,"他说,不热,已办结\r\n', "A2,t2,漏水,已办结\r\n"],
            [(1, "unclosed_quote", 0), (2, "", 4)],
            id="line that reads whole neither way: rejected, the next line kept",
        ),
        pytest.param(
            ['A1,t1,"第一行\r\n', '第二行",已办结\r\n'],
            [(1, "", 4)],
            id="honest two-line value",
        ),
        pytest.param(
            ['"A1\r\n', 'A1续",t1,漏水,已办结\r\n'],
            [(1, "", 4)],
            id="honest value in the first column: its last line reads whole",
        ),
        pytest.param(
            ['A1,t1,"他说\r\n', "A2,t2,漏水,已办结\r\n", 'A3,t3,他说",已办结\r\n'],
            [(1, "unclosed_quote", 0), (2, "", 4), (3, "", 4)],
            id="quote closed two lines later: the lines between are records",
        ),
        pytest.param(
            ['A1,t1,"a\r\n', "\r\n", "A2,t2,b,c\r\n"],
            [(1, "unclosed_quote", 0), (2, "", 4), (3, "", 4)],
            id="blank line inside the span: a blank record, as the normal read gives it",
        ),
    ],
)
def test_reread_spans(lines: list[str], expected: list[tuple[int, str, int]]) -> None:
    found = [(r.line, r.reason, len(r.fields)) for r in reread(lines, 1, ",", 4)]
    assert found == expected


def test_reread_rejects_an_honest_but_oversized_value_whole() -> None:
    lines = ['A1,t1,"' + "说明\r\n"] + ["说明\r\n"] * 5 + ['末行",已办结\r\n']
    (record,) = reread(lines, 10, ",", 4, Limits(record_lines=3))
    assert (record.line, record.lines, record.reason) == (10, 7, "oversized_record")


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("第一行\n第二行", (False, False)),
        ("A1,t,他说\nA2,t,漏水,已办结\nA3,t,他说", (True, True)),
        ("A1,t,他说,已办结\nA2,t,漏水", (False, False)),
        ("A1,t,他说,已办结\nA2,t,漏水,已办结", (True, True)),
        ("说明\n" * 101, (True, False)),
        ("说" * 40_000, (True, False)),
    ],
)
def test_implausible(text: str, verdict: tuple[bool, bool]) -> None:
    assert implausible(text, ",", 4) == verdict


@pytest.mark.parametrize(
    ("line", "whole"),
    [
        ("A1,t,漏水,已办结\r\n", True),
        ('A1,t,"漏水,已办结\r\n', True),  # a stray quote of its own: whole read literally
        ("A1,t,漏水\r\n", False),
        ('A1,t,"漏,水",已办结\r\n', True),
        ("", False),
    ],
)
def test_looks_like_record(line: str, whole: bool) -> None:
    assert looks_like_record(line, ",", 4) is whole


# Honest values: quotes, delimiters and line breaks, but no inner line of a value reads as a whole
# record (at most one comma per line of a value, records four fields wide).
_VALUE = st.lists(
    st.text(alphabet=st.sampled_from([*"诉求内容ab ", '"', "，"]), max_size=6), max_size=3
).map(lambda parts: ",".join(parts[:2]) + "\n".join(parts[2:]))
_LINE_VALUE = st.text(alphabet=st.sampled_from([*"诉求内容ab ", '"', "\n"]), max_size=8)


@given(
    st.lists(st.tuples(_VALUE, _LINE_VALUE), min_size=1, max_size=20),
    st.sampled_from(["\r\n", "\n", "\r"]),
)
@settings(max_examples=60, deadline=None)
def test_honest_csv_reads_back_exactly(tmp_path_factory, rows, end) -> None:
    # Whatever honest quoting csv.writer produces, with any line end (the values' line breaks
    # the file's own), no record is repaired, rejected or lost, and every line is counted.
    path = tmp_path_factory.mktemp("csv") / "a.csv"
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=end)
    expected = [
        [f"A{i}", "2021-03-05", a.replace("\n", end), b.replace("\n", end)]
        for i, (a, b) in enumerate(rows)
    ]
    writer.writerows(expected)
    path.write_bytes((HEADER.replace("\r\n", end) + buffer.getvalue()).encode("utf-8"))
    grid = CsvSource(path).read(",", 0)
    assert not grid.stray_quotes and not grid.broken_records and not grid.malformed
    got = [[column[i].as_py() for column in grid.columns] for i in range(grid.n_rows)]
    assert got == expected
    lines = len(expected) + sum(v.count(end) for row in expected for v in row)
    assert grid.lines == lines
    assert (
        grid.rows.tolist()
        == list(  # each record starts after the lines of those before
            2 + i + sum(v.count(end) for row in expected[:i] for v in row)
            for i in range(len(expected))
        )
    )


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a", ["a"]),
        ("a\r\nb", ["a", "b"]),
        ("a\rb", ["a", "b"]),
        ("a\nb", ["a", "b"]),
        ("a\r\rb", ["a", "", "b"]),
        ("a\n\rb\r\n", ["a", "", "b", ""]),
    ],
)
def test_lines_end_at_crlf_lf_or_a_lone_cr(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines
    assert line_breaks(text) == len(lines) - 1


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r", "mixed"], ids=repr)
def test_a_stray_quote_is_repaired_whatever_the_line_ends(tmp_path: Path, end: str) -> None:
    ends = ["\r", "\n", "\r\n"] if end == "mixed" else [end]
    rows = [f"A{i},2021-03-05,内容{i},已办结" for i in range(1, 21)]
    rows[3] = 'A4,2021-03-05,"他说不热,已办结'  # opens a quote closed in row 16
    rows[15] = 'A16,2021-03-05,他说",已办结'
    body = "".join(row + ends[k % len(ends)] for k, row in enumerate(rows[:10]))
    body += "\r\n"  # a blank line inside the span (a lone LF after a CR would join it)
    body += "".join(row + ends[k % len(ends)] for k, row in enumerate(rows[10:]))
    path = tmp_path / "a.csv"
    path.write_bytes(("工单编号,受理时间,诉求内容,办理状态" + ends[-1] + body).encode("gbk"))
    grid = CsvSource(path).read(",", 0)
    ids = [c.as_py() for c in grid.columns[0]]
    assert [i for i in ids if i] == [f"A{i}" for i in range(1, 21)]
    assert ids.count("") == 1, "the blank line is a blank record, as outside a span"
    assert grid.stray_quotes == [5]
    assert grid.lines == 21


def _long_record_csv(path: Path, chars: int) -> CsvSource:
    body = f"A1,2021-03-05,{'x' * chars},已办结\r\nA2,2021-03-05,漏水,已办结\r\n"
    return _csv(path, body)


@pytest.mark.parametrize(
    ("chars", "limit", "stops"),
    [
        pytest.param(900, 1_000, False, id="under a small limit"),
        pytest.param(1_500, 1_000, True, id="over a small limit, within one block"),
        pytest.param(1_200_000, 500_000, True, id="over the default, beyond one block"),
        pytest.param(1_200_000, 2_000_000, False, id="limit raised: read with bigger blocks"),
    ],
)
def test_record_chars_bounds_one_record(
    tmp_path: Path, chars: int, limit: int, stops: bool
) -> None:
    source = _long_record_csv(tmp_path / "a.csv", chars)
    source.limits = Limits(record_chars=limit)
    found = chars + len("A1") + len("2021-03-05") + len("已办结")
    if stops:
        with pytest.raises(InputError) as stopped:
            source.read(",", 0)
        assert str(stopped.value) == (
            f"a.csv, row 2: {found:,} characters in one record, over the limit of {limit:,}; "
            f"to read it anyway: --limit record_chars=N (now {limit:,})"
        )
    else:
        grid = source.read(",", 0)
        assert grid.n_rows == 2 and len(grid.columns[2][0].as_py()) == chars


def test_swallowed_records_come_back_with_their_own_line_numbers(tmp_path: Path) -> None:
    body = "".join(
        f"A{i},2021-03-05,{chr(34) if i == 2 else ''}内容{i},已办结\r\n" for i in range(1, 8)
    )
    grid = _csv(tmp_path / "a.csv", body, "gbk").read(",", 0)
    assert grid.n_rows == 7
    assert grid.rows.tolist() == list(range(2, 9))
    assert grid.stray_quotes == [3]
    assert [c.as_py() for c in grid.columns[0]] == [f"A{i}" for i in range(1, 8)]


@pytest.mark.parametrize(
    "last",
    ['A9,t9,漏水,"13900000009\r\n', 'A9,t9,"漏水,13900000009\r\n'],
    ids=["last column", "inner column"],
)
def test_a_quote_open_at_the_end_of_the_file_is_stray(tmp_path: Path, last: str) -> None:
    # Only a total row of another width follows: nothing reads as a record inside the span,
    # yet a quote that never closes is no multi-line value.
    body = "A8,t8,漏水,13900000008\r\n" + last + "合计,2件\r\n"
    grid = _csv(tmp_path / "a.csv", body).read(",", 0)
    assert grid.stray_quotes == [3]
    assert [c.as_py() for c in grid.columns[0]] == ["A8", "A9"]
    assert grid.malformed_rows == [(4, "合计,2件")]
    assert grid.lines == 3


def test_an_honest_multiline_value_at_the_end_of_the_file_is_kept(tmp_path: Path) -> None:
    body = 'A8,t8,漏水,x\r\nA9,t9,"第一行\r\n第二行\r\n",y\r\n'
    grid = _csv(tmp_path / "a.csv", body).read(",", 0)
    assert not grid.stray_quotes and not grid.malformed_rows and not grid.broken_records
    assert grid.columns[2][1].as_py() == "第一行\r\n第二行\r\n"
    assert grid.lines == 4


def test_line_breaks_in_values_count_crlf_lf_and_lone_cr_per_value() -> None:
    import pyarrow as pa

    from hotline.ingestion.readers.delimited import _line_breaks

    values = ["a\r", "\nb", "x\r\ny\rz\n", "", "\r", "q", "a\n\r"]
    # Counted independently of the NumPy scan: a CR at a value's end and an LF opening the
    # next value are two line ends, not one CR LF.
    expected = [line_breaks(v) for v in values]
    assert expected == [1, 1, 3, 0, 1, 0, 2]
    table = pa.table({"c0": pa.chunked_array([values[:3], values[3:]], pa.string())})
    assert _line_breaks(table).tolist() == expected
