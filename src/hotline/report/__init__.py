"""The annual report and the monthly bulletin: Chinese text, tables and traceable facts.

:func:`build_report` writes a folder with

* ``report.md`` (annual) or ``bulletin.md`` (月度通报): a narrative in the register of a
  government work report, every number the text of a :class:`Fact`;
* ``report.docx`` / ``bulletin.docx``: the same text in 公文 layout for Word (GB/T 9704 page
  and type, Word footnotes for the definitions, captioned figures and tables), both files
  rendered from one :class:`~hotline.report.document.Document`;
* ``tables.xlsx``: the breakdowns by month, department, town, request type and topic, and the
  definitions and sources (口径与来源);
* ``facts.json``: every fact with its value, text, metric call and definition;
* ``figures/``: charts, when a chart callback is given.

Every fact comes from one call of :mod:`hotline.metrics` (:class:`Query`), so a test can
recompute each number of the text (``docs/report.md``).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed", "received"]})
    >>> sheet = annual_facts(df, 2021)
    >>> sheet["total.accepted"].text, sheet["total.closure_rate"].text
    ('2件', '50.00%')
"""

from hotline.report.annual import annual_facts
from hotline.report.build import ReportFiles, build_report, month_key
from hotline.report.bulletin import bulletin_document, bulletin_facts, render_bulletin
from hotline.report.document import Document, to_markdown
from hotline.report.facts import Fact, FactSheet, Query
from hotline.report.narrative import annual_document, render_annual
from hotline.report.numbers import (
    MISSING,
    change_text,
    count_text,
    format_value,
    percent_text,
    pp_text,
)
from hotline.report.word import write_docx

__all__ = [
    "MISSING",
    "Document",
    "Fact",
    "FactSheet",
    "Query",
    "ReportFiles",
    "annual_document",
    "annual_facts",
    "build_report",
    "bulletin_document",
    "bulletin_facts",
    "change_text",
    "count_text",
    "format_value",
    "month_key",
    "percent_text",
    "pp_text",
    "render_annual",
    "render_bulletin",
    "to_markdown",
    "write_docx",
]
