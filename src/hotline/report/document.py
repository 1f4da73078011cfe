r"""The report as a small document model, written once and rendered to Markdown and to Word.

:func:`hotline.report.narrative.annual_document` and
:func:`hotline.report.bulletin.bulletin_document` build a :class:`Document`: a title, blocks
(:class:`Heading`, :class:`Paragraph`, :class:`Table`, :class:`Figure`) and the definitions
their footnote markers cite. :func:`to_markdown` writes ``report.md`` from it and
:mod:`hotline.report.docx` writes ``report.docx``, so the two say the same words.

Text is a plain string with three kinds of marked span, so that the narrative can keep
building sentences with f-strings:

* :func:`note` -- a footnote reference to a definition (``[^key]`` in Markdown, a real
  footnote in Word);
* :func:`name` -- a name from the data (a unit, a topic), escaped for Markdown and written as
  it is in Word;
* :func:`strong` -- emphasis (``**…**``, bold).

The markers are control characters, which a name from the data never holds
(:func:`hotline.safe_text.terminal_text` removes them), so a unit called ``[^score]`` stays
a name.

Headings, figures and tables are numbered when rendered (:func:`numbers`): level-1 headings
一、二、…, level-2 （一）（二）…, figures 图1, 图2, … and tables 表1, 表2, … in order; in an
English document (``lang="en"``, 311 data) ``1.``, ``1.1``, ``Figure 1.`` and ``Table 1.``.

Example:
    >>> doc = Document("示例报告", (
    ...     Heading("总体情况"),
    ...     Paragraph(f"受理{name('县|教育局')}转办诉求2件{note('accepted')}。"),
    ...     Figure("月度受理量", "figures/trend.png"),
    ... ), {"accepted": "受理量为有效工单数。"})
    >>> print(to_markdown(doc))
    # 示例报告
    <BLANKLINE>
    ## 一、总体情况
    <BLANKLINE>
    受理县\|教育局转办诉求2件[^accepted]。
    <BLANKLINE>
    ![月度受理量](figures/trend.png)
    <BLANKLINE>
    图1 月度受理量
    <BLANKLINE>
    [^accepted]: 受理量为有效工单数。
    <BLANKLINE>
    >>> plain_text(doc.blocks[1].text)
    '受理县|教育局转办诉求2件。'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from hotline.safe_text import md_text, terminal_text

__all__ = [
    "Block",
    "Column",
    "Document",
    "Figure",
    "Heading",
    "Paragraph",
    "Run",
    "Table",
    "chinese_numeral",
    "name",
    "note",
    "numbers",
    "plain_text",
    "runs",
    "strong",
    "to_markdown",
]

_NOTE = ("\x02", "\x03")
_NAME = ("\x0e", "\x0f")
_STRONG = ("\x10", "\x11")
_SPAN = re.compile(
    "|".join(f"{re.escape(a)}(?P<{k}>[^{re.escape(b)}]*){re.escape(b)}"
             for k, (a, b) in (("note", _NOTE), ("name", _NAME), ("strong", _STRONG)))
)  # fmt: skip
_DIGITS = "零一二三四五六七八九"

RunKind = Literal["text", "note", "name", "strong"]


def note(key: str) -> str:
    """A footnote reference to the definition ``key`` of the document's notes."""
    return f"{_NOTE[0]}{key}{_NOTE[1]}"


def name(text: object) -> str:
    """A name from the data (unit, town, topic): shown as written, never read as markup."""
    return f"{_NAME[0]}{terminal_text(text).strip(' ')}{_NAME[1]}"


def strong(text: str) -> str:
    """Emphasised text (bold)."""
    return f"{_STRONG[0]}{text}{_STRONG[1]}"


@dataclass(frozen=True)
class Run:
    """A piece of text of one kind: plain ``text``, a ``note`` key, a ``name``, ``strong``."""

    text: str
    kind: RunKind = "text"


def runs(text: str) -> list[Run]:
    """The runs of a marked-up text, in order (empty plain pieces left out).

    Example:
        >>> [(r.kind, r.text) for r in runs(f"受理{name('县教育局')}{note('accepted')}")]
        [('text', '受理'), ('name', '县教育局'), ('note', 'accepted')]
    """
    found: list[Run] = []
    start = 0
    for match in _SPAN.finditer(text):
        if match.start() > start:
            found.append(Run(text[start : match.start()]))
        kind = next(k for k, v in match.groupdict().items() if v is not None)
        found.append(Run(match.group(kind), kind))  # type: ignore[arg-type]
        start = match.end()
    if start < len(text):
        found.append(Run(text[start:]))
    return found


def plain_text(text: str) -> str:
    """What a reader sees of a marked-up text: names and emphasis as text, no note markers.

    Example:
        >>> plain_text(f"{strong('数据不完整')}，办结率98.77%{note('closure_rate')}")
        '数据不完整，办结率98.77%'
    """
    return "".join(r.text for r in runs(text) if r.kind != "note")


def chinese_numeral(n: int) -> str:
    """A heading number in Chinese numerals, 1 to 99.

    Example:
        >>> chinese_numeral(3), chinese_numeral(10), chinese_numeral(12), chinese_numeral(20)
        ('三', '十', '十二', '二十')
    """
    if not 1 <= n <= 99:
        raise ValueError(f"heading number {n} out of range 1..99")
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens]}十")
    return prefix + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is numbered 一、, level 2 （一）."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of marked-up text; ``lead`` is the note under the title."""

    text: str
    style: Literal["body", "lead"] = "body"


@dataclass(frozen=True)
class Figure:
    """A chart: its title (the caption after 图N) and its path relative to the report."""

    title: str
    path: str


@dataclass(frozen=True)
class Column:
    """A table column: its header and how its cells align.

    Attributes:
        header: The header text.
        align: ``left`` for names, ``right`` for numbers, ``center`` for short labels.
        name: Whether the cells are names that must not break across lines (Word sizes the
            column to the longest one).
    """

    header: str
    align: Literal["left", "right", "center"] = "right"
    name: bool = False


@dataclass(frozen=True)
class Table:
    """A table with its title (after 表N), unit line, rows and an optional 合计 row.

    Cells are marked-up text (a unit name is a :func:`name`); a missing figure is ``—``. An
    English table names its units in English (``Unit: requests, %``).
    """

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    unit: str = "单位：件"

    def __post_init__(self) -> None:
        width = len(self.columns)
        if any(len(row) != width for row in self.body()):
            raise ValueError(f"table {self.title!r}: every row needs {width} cells")

    def body(self) -> tuple[tuple[str, ...], ...]:
        """The rows under the header, the 合计 row (if any) last."""
        return (*self.rows, self.total) if self.total else self.rows


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class Document:
    """A report: title, blocks in order, the definitions cited, and its language.

    ``lang`` decides how headings, figures and tables are numbered (:func:`numbers`) and the
    layout Word gives it (:mod:`hotline.report.word`).
    """

    title: str
    blocks: tuple[Block, ...]
    notes: Mapping[str, str] = field(default_factory=dict)
    lang: Literal["zh", "en"] = "zh"

    def cited(self) -> list[str]:
        """The note keys in order of first citation (the order Word numbers footnotes)."""
        seen: list[str] = []
        for text in self.texts():
            for run in runs(text):
                if run.kind == "note" and run.text not in seen:
                    seen.append(run.text)
        return seen

    def texts(self) -> Iterator[str]:
        """Every marked-up text of the body, in reading order (headings, paragraphs, cells)."""
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                yield block.text
            elif isinstance(block, Table):
                for row in block.body():
                    yield from row


def _label(kind: str, counts: Mapping[str, int], lang: str) -> str:
    n = counts[kind]
    if lang == "en":
        prefix = {"h1": "", "h2": f"{counts['h1']}.", "figure": "Figure ", "table": "Table "}
        return f"{prefix[kind]}{n}{'. ' if kind == 'h1' else ' ' if kind == 'h2' else '.'}"
    if kind == "h1":
        return f"{chinese_numeral(n)}、"
    if kind == "h2":
        return f"（{chinese_numeral(n)}）"
    return f"{'图' if kind == 'figure' else '表'}{n}"


def numbers(blocks: Sequence[Block], lang: str = "zh") -> list[str]:
    """The number each block is rendered with: 一、 （一） 图1 表1 (English: 1. 1.1 Figure 1.).

    Example:
        >>> numbers([Heading("甲"), Heading("乙", 2), Heading("丙", 2), Heading("丁"),
        ...          Heading("戊", 2), Figure("图", "a.png"), Paragraph("文")])
        ['一、', '（一）', '（二）', '二、', '（一）', '图1', '']
        >>> numbers([Heading("A"), Heading("B", 2), Figure("C", "c.png"), Paragraph("d")], "en")
        ['1. ', '1.1 ', 'Figure 1.', '']
    """
    counts = {"h1": 0, "h2": 0, "figure": 0, "table": 0}
    labels = []
    for block in blocks:
        if isinstance(block, Heading):
            kind = "h1" if block.level == 1 else "h2"
            if kind == "h1":
                counts["h2"] = 0
        elif isinstance(block, Figure | Table):
            kind = "figure" if isinstance(block, Figure) else "table"
        else:
            labels.append("")
            continue
        counts[kind] += 1
        labels.append(_label(kind, counts, lang))
    return labels


def _markdown(text: str) -> str:
    parts = []
    for run in runs(text):
        if run.kind == "note":
            parts.append(f"[^{run.text}]")
        elif run.kind == "name":
            parts.append(md_text(run.text))
        elif run.kind == "strong":
            parts.append(f"**{run.text}**")
        else:
            parts.append(run.text)
    return "".join(parts)


_RULE = {"left": "---", "right": "---:", "center": ":---:"}


def _table_lines(table: Table, number: str) -> list[str]:
    lines = [f"{number} {table.title}", "", table.unit, ""]
    lines.append("| " + " | ".join(c.header for c in table.columns) + " |")
    lines.append("|" + "|".join(_RULE[c.align] for c in table.columns) + "|")
    for row in table.body():
        lines.append("| " + " | ".join(_markdown(cell) for cell in row) + " |")
    return lines


def _image_target(path: str) -> str:
    return f"<{path}>" if any(c in path for c in " ()") else path  # CommonMark


def to_markdown(document: Document) -> str:
    """The document as Markdown: ``#`` title, ``##`` numbered headings, GFM tables, footnotes.

    Footnote definitions follow the body in order of first citation.
    """
    lines = [f"# {document.title}", ""]
    numbered = numbers(document.blocks, document.lang)
    for block, number in zip(document.blocks, numbered, strict=True):
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {number}{block.text}", ""]
        elif isinstance(block, Paragraph):
            prefix = "> " if block.style == "lead" else ""
            lines += [prefix + _markdown(block.text), ""]
        elif isinstance(block, Figure):
            image = f"![{block.title}]({_image_target(block.path)})"
            lines += [image, "", f"{number} {block.title}", ""]
        else:
            lines += [*_table_lines(block, number), ""]
    lines += [f"[^{key}]: {document.notes[key]}" for key in document.cited()]
    return "\n".join(lines).rstrip() + "\n"
