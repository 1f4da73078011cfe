"""CSV attacks: quotes that swallow records, encodings that change mid-file, bad shapes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from hostile import Attack, Outcome
from hotline.dataset import order_files

HEADER = "工单编号,受理时间,来电人,来电号码,诉求内容,承办单位,办理状态"
NAMES = ("王建国", "李秀英", "张伟", "刘洋", "陈静")


def orders_csv(
    path: Path,
    n: int = 1000,
    *,
    content: dict[int, str] | None = None,
    encoding: str = "gbk",
    ends: str | tuple[str, ...] = "\r\n",
    after: dict[int, list[str]] | None = None,
) -> Path:
    """``n`` orders A00001.. in a CSV; ``content`` replaces the complaint text of some rows.

    ``ends``: the line end, or line ends used in turn (mixed); ``after``: lines put after an
    order (blank lines, a row of empty cells).
    """
    lines = [HEADER]
    for i in range(1, n + 1):
        text = (content or {}).get(i, f"反映小区供暖问题{i}")
        lines.append(
            f"A{i:05d},2021/3/{1 + i % 28} 9:{i % 60:02d}:00,{NAMES[i % 5]},1381234{i:04d},"
            f"{text},县住建局,已办结"
        )
        lines += (after or {}).get(i, [])
    cycle = (ends,) if isinstance(ends, str) else ends
    text = "".join(line + cycle[k % len(cycle)] for k, line in enumerate(lines))
    path.write_bytes(text.encode(encoding))
    return path


def _ingest(build: Callable[[Path], Path], *extra: str) -> Callable[[Path], list[str]]:
    return lambda work: ["ingest", str(build(work)), "--out", "out", *extra]


def _file(outcome: Outcome) -> dict:
    return outcome.manifest("out")["inputs"][0]


def _account(
    written: int,
    *,
    lines: int | None = None,
    rejected: dict[str, int] | None = None,
    stray: int = 0,
    longest: int = 200,
    blank: int = 0,
) -> Callable[[Outcome], None]:
    """The account a file must give: orders written, lines, rejects, stray quotes repaired,
    blank rows."""

    def check(outcome: Outcome) -> None:
        file = _file(outcome)
        assert outcome.manifest("out")["totals"]["written"] == written, file
        assert file["rejected"] == (rejected or {}), file["rejected"]
        assert file["blank_rows"] == blank, file
        if lines is not None:
            assert file["lines"] == lines, file
        assert file["quality"].get("stray_quote", {}).get("count", 0) == stray, file["quality"]
        parts = order_files(outcome.work / "out")
        content = pa.concat_tables(pq.read_table(p, columns=["content"]) for p in parts)
        found = pc.max(pc.utf8_length(content["content"])).as_py() or 0
        assert found < longest, f"a content of {found} characters: records were swallowed"

    return check


def _swallowing_span(work: Path) -> Path:
    # One stray quote in row 4, closed by another in row 504: 500 orders inside one value.
    return orders_csv(work / "a.csv", content={4: '"他说供暖不热', 504: '他说"'})


def _every_row_stray(work: Path) -> Path:
    return orders_csv(work / "a.csv", n=300, content={i: f'"他说{i}' for i in range(1, 301)})


def _long_plain_span(work: Path) -> Path:
    # A quote that closes 150 lines later with no record inside: one implausibly long value.
    text = '"' + "\r\n".join(f"第{i}行说明文字" for i in range(150)) + '"'
    return orders_csv(work / "a.csv", n=50, content={4: text})


_STRAY = {4: '"他说供暖不热', 20: '他说"'}  # the quote opened in row 4 closes in row 20


def _blank_lines_in_a_span(work: Path) -> Path:
    # Two empty lines and a row of empty cells among 30 orders, inside a stray quote's span.
    after = {10: [""], 20: [""], 25: [",,,,,,"]}
    return orders_csv(work / "a.csv", n=30, content={4: '"他说供暖不热'}, after=after)


def _long_record(chars: int) -> Callable[[Path], Path]:
    # One complaint of ``chars`` characters on one line, no quotes: a pasted text gone wrong.
    return lambda work: orders_csv(work / "a.csv", n=5, content={3: "供" * chars})


def _unclosed_quote_over_blocks(n: int) -> Callable[[Path], Path]:
    # A stray quote never closed in a file bigger than pyarrow's 1 MiB reading block.
    return lambda work: orders_csv(work / "a.csv", n=n, content={4: '"他说供暖不热'})


def _mixed_encoding(work: Path) -> Path:
    path = orders_csv(work / "a.csv", n=6000)
    data = path.read_bytes()
    at = data.index(b"A05000")
    line = "A04999x,2021/3/1 9:00:00,王五,13800000000,UTF8文本混入,县住建局,已办结\r\n"
    path.write_bytes(data[:at] + line.encode("utf-8") + data[at:])
    return path


def _wide_header(work: Path) -> Path:
    path = work / "a.csv"
    path.write_text(",".join(["工单编号", "受理时间"] + [f"列{i}" for i in range(3000)]) + "\n")
    return path


CASES = [
    Attack(
        "csv-unclosed-quote-to-end",
        _ingest(lambda w: orders_csv(w / "a.csv", content={4: '"他说供暖不热'})),
        status=0,
        check=_account(1000, lines=1000, stray=1),
    ),
    Attack(
        "csv-quote-closed-500-lines-later",
        _ingest(_swallowing_span),
        status=0,
        check=_account(1000, lines=1000, stray=1),
    ),
    Attack(
        "csv-stray-quote-on-every-row",
        _ingest(_every_row_stray),
        status=0,
        check=_account(300, lines=300, stray=300),
    ),
    Attack(
        "csv-legitimate-multiline-value",
        _ingest(lambda w: orders_csv(w / "a.csv", content={4: '"第一行\r\n第二行"'})),
        status=0,
        check=_account(1000, lines=1001),
    ),
    Attack(
        "csv-oversized-quoted-value-rejected-with-reason",
        _ingest(_long_plain_span),
        status=0,
        check=_account(49, lines=199, rejected={"oversized_record": 1}),
    ),
    Attack(
        "csv-oversized-quoted-value-accepted-when-limit-raised",
        _ingest(_long_plain_span, "--limit", "record_lines=500"),
        status=0,
        check=_account(50, lines=199, longest=2000),
    ),
    Attack(
        "csv-cr-line-ends-quote-closed-16-lines-later",
        _ingest(lambda w: orders_csv(w / "a.csv", n=50, content=_STRAY, ends="\r")),
        status=0,
        check=_account(50, lines=50, stray=1),
    ),
    Attack(
        "csv-cr-line-ends-unclosed-quote",
        _ingest(lambda w: orders_csv(w / "a.csv", n=50, content={4: _STRAY[4]}, ends="\r")),
        status=0,
        check=_account(50, lines=50, stray=1),
    ),
    Attack(
        "csv-mixed-line-ends-stray-quote",
        _ingest(lambda w: orders_csv(w / "a.csv", n=50, content=_STRAY, ends=("\r", "\n", "\r\n"))),
        status=0,
        check=_account(50, lines=50, stray=1),
    ),
    Attack(
        "csv-cr-line-ends-legitimate-multiline-value",
        _ingest(
            lambda w: orders_csv(w / "a.csv", n=50, content={4: '"第一行\r第二行"'}, ends="\r")
        ),
        status=0,
        check=_account(50, lines=51),
    ),
    Attack(
        "csv-blank-lines-counted-alike-inside-a-repaired-span",
        _ingest(_blank_lines_in_a_span),
        status=0,
        check=_account(30, lines=33, stray=1, blank=3),
    ),
    Attack(
        "csv-quote-in-last-order-open-to-the-end-over-a-total-row",
        _ingest(
            lambda w: orders_csv(
                w / "a.csv", n=50, content={50: '"他说供暖不热'}, after={50: ["合计,50件"]}
            )
        ),
        status=0,
        check=_account(50, lines=51, stray=1, rejected={"footer": 1}),
    ),
    Attack(
        "csv-one-line-record-over-record-chars",
        _ingest(_long_record(1_000_000)),
        status=2,
        message=r"a\.csv, row 4: 1,000,0\d\d characters in one record, over the limit of "
        r"500,000; to read it anyway: --limit record_chars=N",
    ),
    Attack(
        "csv-one-line-record-under-record-chars",
        _ingest(_long_record(400_000)),  # 1.2 MB in UTF-8: more than one reading block
        status=0,
        check=_account(5, lines=5, longest=400_001),
    ),
    Attack(
        "csv-one-line-record-accepted-when-limit-raised",
        _ingest(_long_record(1_000_000), "--limit", "record_chars=2M"),
        status=0,
        check=_account(5, lines=5, longest=1_000_001),
    ),
    Attack(
        "csv-unclosed-quote-in-a-file-over-one-block",
        _ingest(_unclosed_quote_over_blocks(20_000)),
        status=0,
        check=_account(20_000, lines=20_000, stray=1),
    ),
    Attack(
        "csv-unclosed-quote-swallowing-more-than-record-chars",
        _ingest(_unclosed_quote_over_blocks(60_000)),
        status=2,
        message=r"a\.csv, row 5: [\d,]+ characters in one record spanning 59,997 lines from a "
        r"quote opened on this row \(a stray quote\?\).*--limit record_chars=N",
    ),
    Attack(
        "csv-utf8-line-deep-in-gbk",
        _ingest(_mixed_encoding),
        status=2,
        message=r"a\.csv, row 5001: not valid gb18030 .*mixes encodings",
    ),
    Attack(
        "csv-too-many-columns",
        _ingest(_wide_header),
        status=2,
        message=r"3,002 header columns, over the limit .*--limit columns=N",
    ),
    Attack(
        "csv-more-records-than-the-limit",
        _ingest(lambda w: orders_csv(w / "a.csv"), "--limit", "rows=500"),
        status=2,
        message=r"1,000 records, over the limit of 500.*--limit rows=N",
    ),
    Attack(
        "csv-bigger-than-the-byte-limit",
        _ingest(lambda w: orders_csv(w / "a.csv"), "--limit", "bytes=10KB"),
        status=2,
        message=r"--limit bytes=",
    ),
]
