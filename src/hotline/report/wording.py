"""A fact's text in English, for reports on 311 (English-language) data.

A :class:`~hotline.report.facts.Fact` keeps the text of the 公文 report (``9756件``). An English
report states the same value in English words (:data:`hotline.report.numbers.FORMATS_EN`), and
the few texts hotline itself writes in Chinese are said in English from the same metric call:
bands (优秀 -> Excellent, :func:`hotline.labels.translate`), the dates the data cover, and the
months without requests. Names from the data (agencies, topics) are written as exported.

Example:
    >>> import pandas as pd
    >>> from hotline.report.annual import annual_facts
    >>> df = pd.DataFrame({"order_id": [str(i) for i in range(12345)], "source_kind": "311",
    ...     "received_at": pd.Timestamp("2021-03-01"), "status": "closed"})
    >>> sheet = annual_facts(df, 2021)
    >>> english_text(sheet["total.accepted"], sheet), english_text(sheet["context.as_of"], sheet)
    ('12,345', 'March 1, 2021, 00:00')
    >>> english_text(sheet["context.coverage"], sheet)
    'The data cover only March 1, 2021'
"""

from __future__ import annotations

from dataclasses import replace

from hotline.report.document import name
from hotline.report.facts import Fact, FactSheet
from hotline.report.notes import translated
from hotline.report.numbers import MISSING_EN, format_value, is_missing, listed, month_text_en

__all__ = ["DATA_KINDS", "english_cell", "english_shown", "english_text", "listed"]

#: Fact kinds whose text comes from the data (a unit, topic or type name): marked as names.
DATA_KINDS = frozenset({"label", "request_type"})
#: Label facts whose text hotline writes itself, in Chinese: said again in English.
_COVERAGE = "context.coverage"


def _day(value: str) -> tuple[str, str]:
    """``2020-01-03`` -> (``January 3``, ``2020``)."""
    year, month, day = str(value)[:10].split("-")
    return f"{month_text_en(f'{year}-{month}')} {int(day)}", year


def _coverage(fact: Fact, sheet: FactSheet) -> str:
    """The dates the data cover, from the same coverage row the Chinese text comes from."""
    first, last = (sheet.value(replace(fact.query, column=c)) for c in ("first", "last"))
    if is_missing(first) or is_missing(last):
        return "The data hold no requests in the period"
    (start, start_year), (end, end_year) = _day(first), _day(last)
    if (start, start_year) == (end, end_year):
        return f"The data cover only {end}, {end_year}"
    since = start if start_year == end_year else f"{start}, {start_year}"
    return f"The data cover only {since} to {end}, {end_year}"


def english_text(fact: Fact, sheet: FactSheet) -> str:
    """The fact's value as an English report writes it.

    Args:
        fact: A fact of ``sheet``.
        sheet: Its sheet (the coverage text is read from the same metric call).
    """
    if fact.key == _COVERAGE and not fact.missing:
        return _coverage(fact, sheet)
    text = format_value(fact.kind, fact.value, "en")
    return translated(text) if fact.kind == "label" else text


def english_shown(fact: Fact, sheet: FactSheet) -> str:
    r""":func:`english_text`; a name from the data marked as a name (``document.name``).

    Example:
        >>> import pandas as pd
        >>> from hotline.report.facts import Query
        >>> sheet = FactSheet(pd.DataFrame({"order_id": ["1"]}))
        >>> english_shown(Fact("topic.0.name", "label", "[x](y)", "", "", "", Query("v")), sheet)
        '\x0e[x](y)\x0f'
    """
    text = english_text(fact, sheet)
    return name(text) if fact.kind in DATA_KINDS else text


def english_cell(fact: Fact, sheet: FactSheet) -> str:
    """A fact as an English table cell: ``—`` when missing, else its English text.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.facts import Query
        >>> sheet = FactSheet(pd.DataFrame({"order_id": ["1"]}))
        >>> english_cell(Fact("k", "count", 12345, "", "", "", Query("v")), sheet)
        '12,345'
        >>> english_cell(Fact("k", "rate", None, "", "", "", Query("v")), sheet)
        '—'
    """
    if fact.missing:
        return "—"
    text = english_shown(fact, sheet)
    return "—" if text == MISSING_EN else text
