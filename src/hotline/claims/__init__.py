"""Check the hotline figures a published report states against the data (issue 5 §2).

* :func:`check_claims`: a report's text and the data → one :class:`Claim` per figure, with a
  verdict: ``consistent``, ``inconsistent``, ``not_checkable`` (and why) or ``not_hotline``,
  all against one year: the one asked for, the one the text names, else the data's latest
  full year (:func:`claims_period`, :func:`report_year`).
* :func:`run_check_claims`: the same from a report's file (UTF-8 or GB18030 text, or a Word
  .docx), read piece by piece (:func:`open_report`), rendered as Chinese text or JSON, with an
  exit code (the ``hotline check-claims`` command).
* :func:`parse_number`: one figure as reports write it (9 383件, 1.1万, 九千三百八十三, 95％).

How figures are read, the qualifiers and tolerances: ``docs/claims.md``.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": [str(i) for i in range(4)], "source_kind": ["hotline"] * 4,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 4),
    ...     "status": ["closed", "closed", "closed", "dispatched"]})
    >>> claim = check_claims("12345热线办结率达到70%。", df)[0]
    >>> claim.verdict, claim.computed.formula, claim.understates
    ('consistent', '办结率 = 办结量 / 受理量 = 3 / 4 = 75.00%', True)
"""

from hotline.claims.bounds import Bound, bound
from hotline.claims.check import (
    Claim,
    Computed,
    DataFigures,
    check_claims,
    check_statements,
    claims_period,
)
from hotline.claims.command import FORMATS, MAX_FIGURES, exit_code, run_check_claims
from hotline.claims.extract import Piece, Statement, extract_statements, normalise, read_statements
from hotline.claims.numbers import Figure, Number, find_figures, parse_number
from hotline.claims.period import Coverage, Period, choose_period, data_coverage
from hotline.claims.render import claim_record, render_json, render_text
from hotline.claims.report_file import ReportFile, open_report, read_report_text
from hotline.claims.years import TextYear, report_year

__all__ = [
    "FORMATS",
    "MAX_FIGURES",
    "Bound",
    "Claim",
    "Computed",
    "Coverage",
    "DataFigures",
    "Figure",
    "Number",
    "Period",
    "Piece",
    "ReportFile",
    "Statement",
    "TextYear",
    "bound",
    "check_claims",
    "check_statements",
    "choose_period",
    "claim_record",
    "claims_period",
    "data_coverage",
    "exit_code",
    "extract_statements",
    "find_figures",
    "normalise",
    "open_report",
    "parse_number",
    "read_report_text",
    "read_statements",
    "render_json",
    "render_text",
    "report_year",
    "run_check_claims",
]
