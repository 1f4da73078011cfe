"""report.docx and bulletin.docx: the Markdown's words in 公文 layout, read back and rendered.

The .docx is read back with python-docx and compared with the document model both files are
written from (headings, paragraphs, tables, footnotes, figures, page setup), and its numbers are
traced to facts.json as report.md's are. Where LibreOffice is installed the sample county's
report and bulletin are rendered to PDF: the page count must be sane and no unit name may be
broken across lines in a table.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import given
from hypothesis import strategies as st

from hotline import load, metrics
from hotline.cli import main
from hotline.report import build_report
from hotline.report.annual import annual_facts
from hotline.report.bulletin import bulletin_document, bulletin_facts
from hotline.report.document import (
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    numbers,
    plain_text,
    to_markdown,
)
from hotline.report.layout import FALLBACKS, GONGWEN
from hotline.report.narrative import annual_document
from hotline.report.tables import display_width
from hotline.report.word import (
    _names_fit,
    column_widths,
    footnote_texts,
    header_lines,
    title_lines,
)
from hotline.safe_text import terminal_text
from orders import frame
from test_report import fake_charts, handbuilt, untraced_numbers

# The module fixtures build whole reports: the module runs on one xdist worker, which builds
# them once (spread over the workers, each would build them again).
pytestmark = pytest.mark.xdist_group("test_report_docx")

TEXT_WIDTH_PT = GONGWEN.text_width_mm / 25.4 * 72


def body_paragraphs(word: Any) -> list[str]:
    """The texts of the document's paragraphs outside tables, empty ones left out."""
    return [p.text for p in word.paragraphs if p.text.strip()]


def expected_paragraphs(document: Document) -> list[str]:
    """What Word should show outside tables, in order, from the model."""
    shown = ["\n".join(title_lines(plain_text(document.title)))]  # a long title on two lines
    for block, number in zip(document.blocks, numbers(document.blocks), strict=True):
        if isinstance(block, Heading):
            shown.append(number + plain_text(block.text))
        elif isinstance(block, Paragraph):
            shown.append(plain_text(block.text))
        elif isinstance(block, Figure):
            shown.append(f"{number} {block.title}")
        else:
            shown += [f"{number} {block.title}", block.unit]
    return shown


def facts_of(files: Any) -> list[dict[str, Any]]:
    return json.loads(files.facts.read_text(encoding="utf-8"))["facts"]


# --- the hand-built county: fast, with hostile unit names -------------------------------------


@pytest.fixture(scope="module")
def annual(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Document, Any]:
    data = handbuilt()
    out = tmp_path_factory.mktemp("docx") / "2021"
    files = build_report(data, 2021, out=out, charts=fake_charts)
    document = annual_document(annual_facts(data, 2021), 2021, {"monthly_trend": "x"})
    return files, document, docx.Document(str(files.word))


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Document, Any]:
    data = handbuilt()
    out = tmp_path_factory.mktemp("docx") / "2021-04"
    files = build_report(data, 2021, month="2021-04", out=out)
    document = bulletin_document(bulletin_facts(data, "2021-04"), "2021-04")
    return files, document, docx.Document(str(files.word))


def test_word_and_markdown_come_from_one_model(annual: Any, bulletin: Any) -> None:
    for files, document, _ in (annual, bulletin):
        markdown = to_markdown(document).replace("](x)", "](figures/monthly_trend.png)")
        assert files.text.read_text(encoding="utf-8") == markdown


@pytest.mark.parametrize("which", ["annual", "bulletin"])
def test_word_paragraphs_say_what_the_model_says(which: str, request: Any) -> None:
    _, document, word = request.getfixturevalue(which)
    assert body_paragraphs(word) == expected_paragraphs(document)
    styles = [p.style.name for p in word.paragraphs if p.text.strip()]
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert styles[0] == "Title" and styles.count("Heading 1") == len(headings)


@pytest.mark.parametrize("which", ["annual", "bulletin"])
def test_every_number_in_word_is_a_fact(which: str, request: Any) -> None:
    files, _, word = request.getfixturevalue(which)
    facts = facts_of(files)
    prose = "\n".join(body_paragraphs(word))
    untraced, traced = untraced_numbers(prose, facts)
    assert untraced == [] and traced > 10
    rows = ["| " + " | ".join(c.text for c in row.cells) + " |" for t in word.tables
            for row in t.rows]  # fmt: skip
    untraced, traced = untraced_numbers("\n".join(rows), facts)
    assert untraced == [] and traced > 5


@pytest.mark.parametrize("which", ["annual", "bulletin"])
def test_each_definition_is_a_word_footnote(which: str, request: Any) -> None:
    _, document, word = request.getfixturevalue(which)
    cited = document.cited()
    assert cited and footnote_texts(word) == [document.notes[key] for key in cited]
    references = word.element.body.findall(".//" + qn("w:footnoteReference"))
    assert len(references) == len(cited)  # one marker, at the first mention of each
    assert "[^" not in "\n".join(p.text for p in word.paragraphs)


def test_tables_are_word_tables_with_title_unit_header_and_total(annual: Any) -> None:
    _, document, word = annual
    (model,) = [b for b in document.blocks if isinstance(b, Table)]
    (table,) = word.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert [c.replace("\n", "") for c in cells[0]] == [c.header for c in model.columns]
    assert cells[1:] == [[plain_text(c) for c in row] for row in model.body()]
    total = cells[-1]
    volume = metrics.volume(handbuilt(), year=2021)
    assert total[0] == "合计" and int(total[1]) == volume == sum(int(r[1]) for r in cells[1:-1])
    assert all(run.bold for run in table.rows[-1].cells[1].paragraphs[0].runs)
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.split("}")[1] for child in borders} >= {"top", "bottom", "insideH", "insideV"}
    paragraphs = body_paragraphs(word)
    at = paragraphs.index("表1 诉求类型构成")
    assert paragraphs[at + 1] == model.unit == "单位：件、%"  # counts and shares


@pytest.mark.parametrize("which", ["annual", "bulletin"])
def test_headers_break_between_words_or_not_at_all(which: str, request: Any) -> None:
    _, _, word = request.getfixturevalue(which)
    for table in word.tables:
        for cell in table.rows[0].cells:
            lines = cell.text.split("\n")
            assert lines in ([cell.text], header_lines("".join(lines))), lines
            tc_pr = cell._tc.tcPr
            assert tc_pr is not None and tc_pr.find(qn("w:noWrap")) is not None  # Word keeps it


def test_unranked_units_have_a_table_of_their_own(bulletin: Any) -> None:
    _, _, word = bulletin
    ranking = metrics.rank_units(handbuilt(), "department", month="2021-04")
    ranked = ranking[ranking["rank"].notna()]
    unranked = ranking[ranking["rank"].isna()]
    tables = {t.title.split("（")[0]: t for t in bulletin[1].blocks if isinstance(t, Table)}
    assert set(tables) == {"承办单位综合评分排名", "未参加排名的承办单位"}
    first, second = word.tables
    assert [r.cells[1].text for r in first.rows[1:]] == list(ranked["department"])
    assert [r.cells[0].text for r in first.rows[1:]] == [str(int(r)) for r in ranked["rank"]]
    listed = sorted(r.cells[0].text for r in second.rows[1:])
    assert listed == sorted(terminal_text(n).strip() for n in unranked["department"])
    assert "综合评分" not in [c.text for c in second.rows[0].cells]  # no score to misread
    units = {t.title.split("（")[0]: t.unit for t in tables.values()}  # 分 only beside scores
    assert units == {
        "承办单位综合评分排名": "单位：件、%、分",
        "未参加排名的承办单位": "单位：件、%",
    }
    assert "不参评" not in "".join(c.text for row in first.rows for c in row.cells)


def test_unit_names_from_exports_are_written_as_they_are(bulletin: Any) -> None:
    _, _, word = bulletin
    names = {r.cells[0].text for r in word.tables[1].rows[1:]}
    assert {"+SUM(A1:A2)", "@SUM(1)"} <= names  # literal text, no Markdown escapes


def test_figures_at_text_width_with_captions_below(annual: Any) -> None:
    _, _, word = annual
    (shape,) = word.inline_shapes
    assert abs(shape.width - Mm(GONGWEN.text_width_mm)) < Mm(0.1)
    paragraphs = [p for p in word.paragraphs]
    at = next(i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing")))
    assert paragraphs[at + 1].text == "图1 monthly_trend"
    assert paragraphs[at + 1].style.name == "Caption"


def test_document_properties_name_the_report_not_the_template(annual: Any) -> None:
    files, document, word = annual
    properties = word.core_properties
    assert properties.title == plain_text(document.title)
    assert properties.language == "zh-CN"
    made = dt.datetime.fromtimestamp(files.word.stat().st_mtime, dt.UTC)
    assert abs((properties.created - made).total_seconds()) < 3600  # not the template's 2013
    assert properties.author == "" and properties.last_modified_by == ""  # no user name


def test_page_setup_is_gongwen(annual: Any) -> None:
    _, _, word = annual
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin,
               section.right_margin)  # fmt: skip
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    normal = word.styles["Normal"]
    assert normal.paragraph_format.line_spacing == Pt(GONGWEN.line_pt)
    fonts = {
        name: word.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体",
                     "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}  # fmt: skip
    assert word.styles["Title"].font.size == Pt(22)
    assert normal.font.size == Pt(16) == word.styles["Heading 1"].font.size
    indent = normal.element.pPr.find(qn("w:ind"))
    assert indent.get(qn("w:firstLineChars")) == "200"
    assert word.styles["Title"].paragraph_format.alignment == 1  # centred
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ")
    font_table = next(
        p for p in word.part.package.iter_parts() if str(p.partname).endswith("fontTable.xml")
    ).blob.decode("utf-8")
    for name, (alternative, _) in FALLBACKS.items():
        assert f'w:name="{name}"' in font_table and f'w:val="{alternative}"' in font_table


# --- layout rules --------------------------------------------------------------------------

NAMES = st.text(alphabet="县乡镇局委办公司中心街道政府人民城市管理综合行政执法", min_size=2,
                max_size=24)  # fmt: skip


@given(names=st.lists(NAMES, min_size=1, max_size=30), columns=st.integers(1, 7))
def test_name_columns_fit_the_longest_name(names: list[str], columns: int) -> None:
    table = Table(
        "t",
        (Column("承办单位", "left", name=True), *(Column("按时办结率") for _ in range(columns))),
        tuple((n, *["100.00%"] * columns) for n in names),
    )
    size, widths = column_widths(table)
    longest = max(display_width(n) for n in names) * size / 2
    fitting = [s for s in GONGWEN.table_sizes if _fits(table, s)]
    if fitting:  # the largest size at which every name fits on one line
        assert size == max(fitting) and widths[0] >= longest
        assert all(w >= 7 * size / 2 for w in widths[1:])  # 100.00% on one line
    else:  # at no size: the smallest, names wrap in their cells, the table keeps to the page
        assert size == GONGWEN.table_sizes[-1]
        assert sum(widths) <= TEXT_WIDTH_PT + 0.01 or sum(widths[1:]) >= TEXT_WIDTH_PT


def _fits(table: Table, size: float) -> bool:
    """Whether the table fits the text width at ``size`` with every name on one line."""
    layout = replace(GONGWEN, table_sizes=(size,))
    _, widths = column_widths(table, layout)
    names_fit = _names_fit(table, size, widths, layout)[0]
    return names_fit and sum(widths) <= TEXT_WIDTH_PT + 0.01


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("2021年12345政务服务便民热线运行情况报告", 2),
        ("2021年6月12345政务服务便民热线运行情况通报", 2),
        ("2021年网络问政留言办理情况报告", 1),
        ("运行情况报告", 1),
    ],
)
def test_long_titles_break_before_their_closing_phrase(title: str, lines: int) -> None:
    parts = title_lines(title)
    assert "".join(parts) == title and len(parts) == lines
    assert all(len(p) > 1 for p in parts)  # never one character alone on a line


# --- the sample county, its command line and LibreOffice -----------------------------------


@pytest.mark.slow
def test_bulletin_needs_only_the_month(
    sample_county: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "june"
    assert main(["report", str(sample_county[1]), "--month", "2021-06", "--out", str(out)]) == 0
    text = (out / "bulletin.md").read_text(encoding="utf-8")
    as_of = pd.Timestamp(json.loads((out / "facts.json").read_text(encoding="utf-8"))["as_of"])
    said = f"数据截至{as_of.year}年{as_of.month}月{as_of.day}日{as_of.hour}时"
    assert f"{said}" in text and "（数据中最晚的记录时间）" in text  # the default: the latest
    assert "指标口径" not in text and "facts.json" not in text and "tables.xlsx" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO time in the prose
    assert (out / "bulletin.docx").is_file()
    assert "bulletin.docx" in capsys.readouterr().out


def test_report_without_year_or_month_says_what_to_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path)]) != 0
    assert "--month" in capsys.readouterr().err


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed: the .docx is not rendered to PDF")
    return found


def render_pdf(path: Path, out: Path) -> Path:
    """Convert a .docx with LibreOffice, the 公文 fonts mapped to the Noto CJK faces installed."""
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{noto}</family>"
        "</prefer></alias>"
        for name, (_, noto) in FALLBACKS.items()
    )
    config = out / "fonts.conf"
    config.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        f"<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}</fontconfig>",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(path)],
        check=True, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / path.with_suffix(".pdf").name


def pdf_lines(pdf: Path) -> tuple[int, list[str]]:
    """The page count and the text lines of a PDF.

    A table row comes out as one line, its cells apart by spaces; a cell's text that wrapped
    comes out with a space where it broke (县疾病预防控制 中心), so a name found whole on a
    line did not break.
    """
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), text.splitlines()


@pytest.mark.slow
def test_rendered_bulletin_never_breaks_a_unit_name(
    sample_county: tuple[Path, Path], tmp_path: Path
) -> None:
    _soffice()
    files = build_report(load(sample_county[1]), 2021, month="2021-06", out=tmp_path / "b")
    pages, lines = pdf_lines(render_pdf(files.word, tmp_path))
    assert 2 <= pages <= 8
    ranking = metrics.rank_units(load(sample_county[1]), "department", month="2021-06")
    rows = [f"{name} {accepted}" for name, accepted in zip(ranking["department"],
            ranking["accepted"], strict=True)]  # fmt: skip
    broken = [row for row in rows if not any(row in line for line in lines)]
    assert broken == []  # each unit's row has its whole name, then its volume


@pytest.mark.slow
def test_rendered_annual_report_looks_like_a_report(
    sample_county: tuple[Path, Path], tmp_path: Path
) -> None:
    _soffice()
    from hotline.plotting import save_annual_charts

    def charts(folder: Path) -> dict[str, Path]:
        saved = save_annual_charts(sample_county[1], 2021, folder)
        return {title: paths[0] for title, paths in saved.items()}

    files = build_report(load(sample_county[1]), 2021, out=tmp_path / "r", charts=charts)
    pages, lines = pdf_lines(render_pdf(files.word, tmp_path))
    figures = len(files.figures)
    assert 3 <= pages <= 4 + figures  # text of about three pages, at most a page per chart
    joined = "".join(lines)
    for i in range(1, figures + 1):
        assert f"图{i}" in joined
    types = metrics.summary(load(sample_county[1]), by="type", year=2021)
    labelled = [t for t in types["request_type"] if not pd.isna(t)]
    assert labelled and "合计" in joined


@pytest.mark.parametrize("odd", ["\ufffe", "\uffff", "\ufdd0", "\x0b", "\x1b[2J"])
def test_a_name_xml_cannot_hold_is_written_without_it(odd: str, tmp_path: Path) -> None:
    """A unit name with a noncharacter or control: the report is written, the name readable."""
    rows = [
        {"order_id": str(i), "source_kind": "hotline", "received_at": "2021-03-01 09:00",
         "status": "closed", "department": f"县{odd}教育局"}
        for i in range(25)
    ]  # fmt: skip
    files = build_report(frame(rows), 2021, out=tmp_path / "r")
    text = "\n".join(p.text for p in docx.Document(str(files.word)).paragraphs)
    assert terminal_text(f"县{odd}教育局") in text  # as a terminal shows it: 县 教育局, 县[2J教育局
    assert odd[0] not in text
