"""English reports for 311 (English-language) data: the same facts, in English words and layout.

A 311 dataset's report.md, report.docx and bulletin are written in English: English title and
headings, every number the English text of a fact of facts.json (the traceability check of
test_report, with English number words), definitions as English footnotes, and no Chinese
character in the prose except in names quoted from the data. The Chinese report of Chinese data
is unchanged. Real 311 exports (``../shared/data/real``) are used where present.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pandas as pd
import pytest

from hotline import ingest, load
from hotline.cli import main
from hotline.labels import label
from hotline.report import build_report
from hotline.report.annual import annual_facts
from hotline.report.document import Heading, numbers, plain_text
from hotline.report.english import annual_document_en
from hotline.report.facts import TEXT_KINDS
from hotline.report.layout import ENGLISH
from hotline.report.numbers import format_value
from hotline.report.word import footnote_texts
from orders import frame
from test_report import assert_recomputed, fake_charts, handbuilt

# The module fixtures build whole reports: the module runs on one xdist worker, which builds
# them once (spread over the workers, each would build them again).
pytestmark = pytest.mark.xdist_group("test_report_english")

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: A number as English prose writes it: 9,756  99.68%  1.2  2020.
NUMBER_EN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")
HEADINGS = ["Overview", "Handling quality", "Monthly trend", "Composition of requests"]


def exempt_en(year: int) -> tuple[re.Pattern[str], ...]:
    """The digits of an English report that are no fact (facts.json lists them, ``exempt``)."""
    return (
        re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # image lines
        re.compile(r"\b(?:311|12345)\b"),  # the services' names
        re.compile(rf"\b{year}\b"),  # the year naming the period
        re.compile(r"\b\d{4}-\d{2}\b"),  # month keys
        re.compile(r"^#+ [\d.]+ ", re.M),  # heading numbers
        re.compile(r"(?:Figure|Table) \d+\."),  # figure and table numbers
    )


def untraced_en(text: str, facts: list[dict[str, Any]], year: int) -> tuple[list[str], int]:
    """Numbers of an English text that are no fact's English text; and how many were traced."""
    for fact in sorted(facts, key=lambda f: -len(f["text"])):
        if fact["kind"] in TEXT_KINDS:  # names and dates: removed as written
            text = text.replace(fact["text"], " ")
    for pattern in exempt_en(year):
        text = pattern.sub(" ", text)
    numbers_of = (f["text"] for f in facts if f["kind"] not in TEXT_KINDS)
    allowed = {token for text_of in numbers_of for token in NUMBER_EN.findall(text_of)}
    tokens = NUMBER_EN.findall(text)
    return [t for t in tokens if t not in allowed], len(tokens)


def assert_english_texts(facts: list[dict[str, Any]]) -> None:
    """Each fact's text is its value in English (labels: as the data, or a known word)."""
    for fact in facts:
        if fact["kind"] in ("label", "count") and fact["key"].startswith("context."):
            continue  # coverage and empty months: worded from the coverage row
        if fact["kind"] != "label":
            assert fact["text"] == format_value(fact["kind"], fact["value"], "en"), fact["key"]


def data_words(facts: list[dict[str, Any]]) -> set[str]:
    """Names quoted from the data (agencies, towns, topics): the only place CJK may appear."""
    return {f["text"] for f in facts if f["kind"] == "label" and CJK.search(f["text"] or "")}


def assert_no_chinese(text: str, facts: list[dict[str, Any]]) -> None:
    for word in sorted(data_words(facts), key=len, reverse=True):
        text = text.replace(word, " ")
    assert CJK.findall(text) == []


# --- a hand-made 311 frame: always runs ----------------------------------------------------


def requests_311() -> pd.DataFrame:
    """May and June 2021 of a small city's 311: agencies, topics, one Chinese-named agency."""
    rows = []
    for i in range(120):
        received = dt.datetime(2021, 5 + i % 2, 1 + (i // 2) % 30, 9)
        rows.append(
            {
                "order_id": f"SR{i}",
                "source_kind": "311",
                "received_at": received,
                "status": "closed" if i % 9 else "in_progress",
                "closed_at": None if i % 9 == 0 else received + dt.timedelta(days=1 + i % 8),
                "department": ["DSNY", "NYPD", "DOT", "华人服务中心"][i % 4] if i < 110 else "DPR",
                "town": ["BROOKLYN", "QUEENS"][i % 2],
                "topic": ["Noise - Residential", "Illegal Parking", "Graffiti"][i % 3],
            }
        )
    df = frame(rows)
    df.attrs["manifest"] = {"language": "en"}  # as the ingest of a 311 profile records it
    return df


@pytest.fixture(scope="module")
def annual_311(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("en") / "2021"
    return build_report(requests_311(), 2021, out=out, charts=fake_charts)


@pytest.fixture(scope="module")
def bulletin_311(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("en") / "2021-06"
    return build_report(requests_311(), 2021, month="2021-06", out=out)


def _facts(files: Any) -> dict[str, Any]:
    return json.loads(files.facts.read_text(encoding="utf-8"))


def test_311_data_get_an_english_report(annual_311: Any) -> None:
    text = annual_311.text.read_text(encoding="utf-8")
    assert annual_311.lang == "en"
    assert text.startswith("# 311 Service Requests: Annual Report 2021")
    headings = re.findall(r"^## (\d+)\. (.+)$", text, re.M)
    assert [h for _, h in headings[:4]] == HEADINGS
    assert [int(n) for n, _ in headings] == list(range(1, len(headings) + 1))
    assert "Figure 1. " in text


def test_english_numbers_are_all_facts(annual_311: Any, bulletin_311: Any) -> None:
    for files in (annual_311, bulletin_311):
        payload = _facts(files)
        assert payload["language"] == "en"
        facts = payload["facts"]
        assert_english_texts(facts)
        untraced, traced = untraced_en(files.text.read_text(encoding="utf-8"), facts, 2021)
        assert untraced == [] and traced > 15


def test_english_facts_are_the_chinese_facts_in_english(annual_311: Any) -> None:
    """Same keys and values as the facts of the Chinese report of the same data."""
    data = requests_311()
    english = _facts(annual_311)["facts"]
    chinese = annual_facts(data, 2021).to_list()
    assert [f["key"] for f in english] == [f["key"] for f in chinese]
    assert [f["value"] for f in english] == [f["value"] for f in chinese]
    assert_recomputed(
        [{**f, "text": c["text"]} for f, c in zip(english, chinese, strict=True)], data
    )
    assert not any(CJK.search(f["definition"]) for f in english)


def test_english_prose_has_no_chinese_but_quoted_names(annual_311: Any, bulletin_311: Any) -> None:
    for files in (annual_311, bulletin_311):
        facts = _facts(files)["facts"]
        text = files.text.read_text(encoding="utf-8")
        assert "华人服务中心" in text or files is annual_311  # a quoted name stays as exported
        assert_no_chinese(text, facts)


def test_english_footnotes_come_from_the_declarations(annual_311: Any) -> None:
    text = annual_311.text.read_text(encoding="utf-8")
    notes = dict(re.findall(r"^\[\^(\w+)\]: (.+)$", text, re.M))
    assert notes["closure_rate"].startswith("Closure rate = Closed / Accepted (state known).")
    assert "20" in notes["score"] and "Excellent from 95 points" in notes["score"]


def test_english_word_document_reads_back_in_english(annual_311: Any) -> None:
    word = docx.Document(str(annual_311.word))
    paragraphs = [p.text for p in word.paragraphs if p.text.strip()]
    assert paragraphs[0] == "311 Service Requests:\nAnnual Report 2021 (incomplete year)" or (
        paragraphs[0].startswith("311 Service Requests: Annual Report 2021")
    )
    assert [p for p in paragraphs if p.split(". ", 1)[-1] in HEADINGS] == [
        f"{i}. {h}" for i, h in enumerate(HEADINGS, start=1)
    ]
    notes = footnote_texts(word)
    assert notes and all(not CJK.search(n) for n in notes)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    shown = re.sub(r"^\d+\. ", "", "\n".join([*paragraphs, *cells, *notes]), flags=re.M)
    facts = _facts(annual_311)["facts"]
    untraced, traced = untraced_en(shown, facts, 2021)
    assert untraced == [] and traced > 15
    assert notes[0].startswith("Accepted requests are")
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm, 1) == 25.4
    body = word.styles["Normal"].element.rPr.rFonts
    assert body.get(docx.oxml.ns.qn("w:ascii")) == ENGLISH.body[0]
    assert all("仿宋" not in (f.get(docx.oxml.ns.qn("w:ascii")) or "") for f in [body])


def test_english_bulletin_title_changes_and_tables(bulletin_311: Any) -> None:
    text = bulletin_311.text.read_text(encoding="utf-8")
    assert text.startswith("# 311 Service Requests: Monthly Bulletin, June 2021")
    assert "Compared with May, requests were" in text
    assert "Table 1. Agency ranking by composite score" in text
    assert "Unit: requests, %" in text
    word = docx.Document(str(bulletin_311.word))
    assert word.tables and word.tables[0].rows[0].cells[0].text == "Rank"


def test_lang_overrides_the_data(tmp_path: Path) -> None:
    chinese = build_report(requests_311(), 2021, out=tmp_path / "zh", lang="zh")
    english = build_report(handbuilt(), 2021, out=tmp_path / "en", lang="en")
    assert chinese.text.read_text(encoding="utf-8").startswith("# 2021年311市民服务请求")
    text = english.text.read_text(encoding="utf-8")
    assert text.startswith("# 12345 Government Hotline: Annual Report 2021")
    facts = _facts(english)["facts"]
    assert untraced_en(text, facts, 2021)[0] == []
    assert "Of these, hotline calls:" in text
    # the workbook follows the report's language, not the data's
    for files, lang in ((chinese, "zh"), (english, "en")):
        names = openpyxl.load_workbook(files.tables, read_only=True).sheetnames
        assert names[0] == label("sheet.month", lang), names


def test_english_document_numbers_its_blocks_in_english() -> None:
    document = annual_document_en(annual_facts(requests_311(), 2021), 2021, {"t": "t.png"})
    labels = [n for n in numbers(document.blocks, "en") if n]
    assert labels[0] == "1. " and "Figure 1." in labels
    headings = [plain_text(b.text) for b in document.blocks if isinstance(b, Heading)]
    assert headings[:4] == HEADINGS


def test_cli_report_lang_and_its_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (REAL / "nyc311-pyboot").is_dir():
        pytest.skip("../shared/data/real/nyc311-pyboot is absent: no real 311 export to ingest")
    ingest([REAL / "nyc311-pyboot"], out=tmp_path / "nyc")
    code = main(["report", str(tmp_path / "nyc"), "--year", "2022", "--no-charts",
                 "--out", str(tmp_path / "r")])  # fmt: skip
    assert code == 0 and capsys.readouterr().out.startswith("Wrote ")
    code = main(["report", str(tmp_path / "nyc"), "--year", "2022", "--no-charts", "--lang",
                 "zh", "--out", str(tmp_path / "z")])  # fmt: skip
    assert code == 0 and capsys.readouterr().out.startswith("已写入 ")
    assert (tmp_path / "z" / "report.md").read_text(encoding="utf-8").startswith("# 2022年311")


# --- real 311 exports, where present -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("folder", "year"), [("la311-hackforla", 2020), ("nyc311-pyboot", 2022)])
def test_real_311_export_gets_an_english_report(folder: str, year: int, tmp_path: Path) -> None:
    if not (REAL / folder).is_dir():
        pytest.skip(f"../shared/data/real/{folder} is absent (real 311 exports, not in the repo)")
    ingest([REAL / folder], out=tmp_path / "p")
    files = build_report(load(tmp_path / "p"), year, out=tmp_path / "r")
    text = files.text.read_text(encoding="utf-8")
    facts = _facts(files)["facts"]
    assert text.startswith(f"# 311 Service Requests: Annual Report {year}")
    untraced, traced = untraced_en(text, facts, year)
    assert untraced == [] and traced > 10
    assert_no_chinese(text, facts)
    assert all(not CJK.search(n) for n in footnote_texts(docx.Document(str(files.word))))


def test_a_311_dataset_is_told_in_english_what_it_holds() -> None:
    """Asked for a year or month without requests: the error in the data's language."""
    from hotline.errors import HotlineError
    from hotline.report.collect import require_period
    from hotline.report.facts import FactSheet

    sheet = FactSheet(requests_311())
    with pytest.raises(HotlineError, match=r"^no request was received in 2019: .*2021") as year:
        require_period(sheet, 2019)
    with pytest.raises(HotlineError, match=r"^no request was received in 2021-12: ") as month:
        require_period(sheet, 2021, "2021-12")
    assert not CJK.search(str(year.value) + str(month.value))
