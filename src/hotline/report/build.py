"""Build a report folder atomically: report.md and report.docx (or bulletin.*), tables, facts.

Layout (``docs/report.md``)::

    <reports>/2021/            report.md  report.docx  tables.xlsx  facts.json  figures/
    <reports>/2021/2021-06/    bulletin.md  bulletin.docx  tables.xlsx  facts.json  figures/

The report is written in the data's language (:func:`hotline.labels.check_lang` of the metric
result's ``attrs``, from the ingest profile: English for 311 exports, as tables.xlsx and the
charts are), or in the one ``lang`` asks for. English reports are written by
:mod:`hotline.report.english`; their facts.json holds the same keys and values, with English
texts and definitions.

The folder must be new, empty, or a previous report (its ``.hotline-report`` marker, or
``facts.json`` beside the report text for reports written before markers); any other folder is
refused and left as it was. Everything is written into a staging folder first and renamed into
place as one unit (:mod:`hotline.outputs`): an error half-way leaves the previous report (or
nothing) as it was. A rebuild replaces only the files the report writes and the ones its previous
build wrote: a ``report_edited.docx`` put beside them, and the bulletins of a year, stay.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
    ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = build_report(df, 2021, out=Path(tmp) / "2021")
    ...     sorted(p.name for p in files.folder.iterdir() if not p.name.startswith("."))
    ['facts.json', 'report.docx', 'report.md', 'tables.xlsx']
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hotline import outputs, paths, project
from hotline._version import __version__
from hotline.errors import HotlineError
from hotline.labels import check_lang
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.report.annual import annual_facts
from hotline.report.bulletin import bulletin_document, bulletin_facts
from hotline.report.document import Document, to_markdown
from hotline.report.english import (
    EXEMPT_EN,
    annual_document_en,
    bulletin_document_en,
    english_facts,
)
from hotline.report.facts import TEXT_KINDS, Fact, FactSheet
from hotline.report.narrative import annual_document
from hotline.report.tables import annual_tables, bulletin_tables, write_workbook
from hotline.report.word import write_docx

__all__ = [
    "FACTS_FILE",
    "TABLES_FILE",
    "ReportFiles",
    "build_report",
    "month_key",
    "report_language",
]

REPORT_FILE = "report.md"
BULLETIN_FILE = "bulletin.md"
#: The Word file beside each text: report.docx, bulletin.docx.
WORD_SUFFIX = ".docx"
TABLES_FILE = "tables.xlsx"
FACTS_FILE = "facts.json"
FIGURES_DIR = "figures"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")

#: Draws the charts into the folder it is given; returns chart key -> saved image path.
Charts = Callable[[Path], Mapping[str, Path]]

#: What facts.json says is not a fact: the only digits in the text that are not facts' texts.
EXEMPT = (
    "years (2021年) and months (6月, 2021-06) naming the period",
    "the name of the hotline, 12345政务服务便民热线",
    "Markdown image lines (![标题](figures/…))",
    "the numbers of figures and tables (图1, 表2) in their captions",
    "counts in table cells, written as whole numbers (3545) under the table's 单位：件 line",
)


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`build_report` wrote.

    Attributes:
        folder: The report folder.
        text: ``report.md`` (annual) or ``bulletin.md`` (monthly).
        word: The same text in Word: ``report.docx`` or ``bulletin.docx``.
        tables: ``tables.xlsx``.
        facts: ``facts.json``.
        figures: Chart key -> image path (empty without charts).
        records: The facts stated, in order.
        lang: The language the report is written in (``zh`` or ``en``).
    """

    folder: Path
    text: Path
    tables: Path
    facts: Path
    word: Path
    figures: Mapping[str, Path] = field(default_factory=dict)
    records: tuple[Fact, ...] = field(default=(), repr=False)
    lang: str = "zh"


def month_key(month: str, year: int | None = None) -> str:
    """``"2021-6"`` or ``"2021-06"`` -> ``"2021-06"``, checked to lie in ``year`` when given.

    Raises:
        HotlineError: Not a month, or a month of another year.

    Example:
        >>> month_key("2021-6", 2021), month_key("2021-6")
        ('2021-06', '2021-06')
    """
    match = _MONTH.match(str(month).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise HotlineError(f"月份 {month!r} 无法识别；应写作 YYYY-MM，例如 {year or 2021}-06")
    if year is not None and int(match.group(1)) != year:
        raise HotlineError(f"月份 {month} 不在 {year} 年内")
    return f"{match.group(1)}-{int(match.group(2)):02d}"


def _target(year: int, month: str | None, out: str | Path | None) -> Path:
    if out is not None:
        folder = Path(out).expanduser()
    else:
        folder = paths.reports_dir() / str(year)
        if month is not None:
            folder = folder / month
    outputs.check_target(folder, outputs.REPORT)
    return folder


def _draw(charts: Charts | None, staging: Path) -> dict[str, str]:
    """Run the chart callback into ``figures/``; return key -> path relative to the report."""
    if charts is None:
        return {}
    folder = staging / FIGURES_DIR
    folder.mkdir()
    relative = {}
    for key, image in charts(folder).items():
        image = Path(image)
        if image.resolve().parent != folder.resolve():
            image = Path(shutil.copy2(image, folder / image.name))
        relative[key] = f"{FIGURES_DIR}/{image.name}"
    return relative


def _payload(sheet: FactSheet, year: int, month: str | None, lang: str) -> dict[str, Any]:
    english = lang == "en"
    return {
        "kind": "bulletin" if month else "annual",
        "year": year,
        "month": month,
        "as_of": sheet["context.as_of"].value,
        "definitions": sheet.definitions.describe(),
        "hotline_version": __version__,
        **({"language": lang} if english else {}),  # Chinese facts.json as it always was
        "text_kinds": sorted(TEXT_KINDS),
        "exempt": list(EXEMPT_EN if english else EXEMPT),
        "facts": english_facts(sheet) if english else sheet.to_list(),
    }


def report_language(sheet: FactSheet, lang: str | None = None) -> str:
    """``lang`` if given, else the data's language (Chinese unless the ingest profile says).

    Example:
        >>> import pandas as pd
        >>> from hotline.report.facts import FactSheet
        >>> sheet = FactSheet(pd.DataFrame({"order_id": ["1"], "source_kind": ["311"],
        ...     "received_at": pd.to_datetime(["2021-03-01"])}))
        >>> report_language(sheet), report_language(sheet, "en")
        ('zh', 'en')
    """
    return check_lang(lang, sheet.result("summary", {}).attrs)


def _document(
    sheet: FactSheet,
    year: int,
    month: str | None,
    figures: Mapping[str, str],
    lang: str,
    area: str | None,
) -> Document:
    if lang == "en":
        if month is None:
            document = annual_document_en(sheet, year, figures)
        else:
            document = bulletin_document_en(sheet, month, figures)
    elif month is None:
        document = annual_document(sheet, year, figures)
    else:
        document = bulletin_document(sheet, month, figures)
    if not area:
        return document
    # 示例县2021年12345…运行情况报告; Los Angeles 311 Service Requests: Annual Report 2021
    return replace(
        document, title=f"{area} {document.title}" if lang == "en" else area + document.title
    )


def build_report(
    data: Data,
    year: int,
    *,
    out: str | Path | None = None,
    month: str | None = None,
    definitions: Definitions | str | None = None,
    charts: Charts | None = None,
    lang: str | None = None,
    area: str | None = None,
) -> ReportFiles:
    """Write the annual report of ``year``, or the bulletin of ``month``, into a folder.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported.
        out: The report folder; default ``reports_dir()/<year>`` (``/<YYYY-MM>`` for a
            bulletin): new, empty, or a previous report, whose files this one replaces (other
            files there stay).
        month: ``YYYY-MM``: write that month's bulletin instead of the annual report.
        definitions: :class:`Definitions` or preset name.
        charts: Draws charts into the figures folder it is given and returns chart key ->
            image path; ``None``: no charts, no chart section.
        lang: ``zh`` or ``en``; default the data's language (English for 311 exports).
        area: The area the title begins with (示例县); default ``[report] area`` of
            ``hotline.toml`` (:func:`hotline.project.area`), else none.

    Returns:
        The files written.

    Raises:
        HotlineError: No accepted orders in the year (or month), a malformed month, or an
            ``out`` folder that is not a report folder.
    """
    year = int(year)
    definitions = resolve(definitions)
    month = None if month is None else month_key(month, year)
    if month is None:
        sheet = annual_facts(data, year, definitions)
    else:
        sheet = bulletin_facts(data, month, definitions)
    language = report_language(sheet, lang)
    folder = _target(year, month, out)
    text_name = REPORT_FILE if month is None else BULLETIN_FILE
    with outputs.write_folder(folder, outputs.REPORT, uuid.uuid4().hex) as staging:
        work = staging.path
        with outputs.writing(work / FIGURES_DIR):
            figures = _draw(charts, work)
        document = _document(sheet, year, month, figures, language, project.area(area))
        tables = (
            annual_tables(sheet, year, language)
            if month is None
            else bulletin_tables(sheet, month, language)
        )
        with outputs.writing(work / TABLES_FILE):
            write_workbook(work / TABLES_FILE, tables)
        facts = json.dumps(
            _payload(sheet, year, month, language), ensure_ascii=False, indent=2, default=str
        )
        with outputs.writing(work / FACTS_FILE):
            (work / FACTS_FILE).write_text(facts + "\n", encoding="utf-8")
        with outputs.writing(work / text_name):
            (work / text_name).write_text(to_markdown(document), encoding="utf-8")
        word_name = Path(text_name).with_suffix(WORD_SUFFIX).name
        with outputs.writing(work / word_name):
            write_docx(document, work / word_name)
        outputs.commit(staging, [*figures.values(), TABLES_FILE, FACTS_FILE, text_name, word_name])
    return ReportFiles(
        folder=folder,
        text=folder / text_name,
        tables=folder / TABLES_FILE,
        facts=folder / FACTS_FILE,
        word=folder / word_name,
        figures={k: folder / v for k, v in figures.items()},
        records=tuple(sheet),
        lang=language,
    )
