"""The annual report and the monthly bulletin in English, for 311 (English-language) data.

The same facts as the 公文 report (:mod:`hotline.report.narrative`, :mod:`hotline.report.bulletin`),
the same sections and the same rules: every number is a fact's text
(:func:`hotline.report.wording.english_text`), a figure the data do not hold is said to be
missing with the reason, never written as 0%, and each figure's definition is a footnote at its
first mention (:func:`hotline.report.notes.notes` in English). Names from the data (agencies,
topics) are written as exported.

Example:
    >>> import pandas as pd
    >>> from hotline.report.annual import annual_facts
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["311"] * 2,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed", "received"]})
    >>> document = annual_document_en(annual_facts(df, 2021), 2021)
    >>> document.title
    '311 Service Requests: Annual Report 2021 (incomplete year)'
    >>> from hotline.report.document import plain_text
    >>> plain_text(document.blocks[2].text).split("; ")[0]
    'In 2021, the 311 service received 2 service requests and closed 1, a closure rate of 50.00%'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hotline import schema
from hotline.availability import reason_text
from hotline.labels import definitions_title, label
from hotline.report.annual import UNITS
from hotline.report.bulletin import _MOM_RATES, BULLETIN_UNIT, ranking_tables
from hotline.report.document import Block, Document, Heading, Paragraph, name, strong
from hotline.report.facts import Fact, FactSheet
from hotline.report.headers import column_header
from hotline.report.narrative import (
    DEFAULT_PRESET,
    NO_RECORDS,
    Footnotes,
    chart_blocks,
    missing_because,
    source_kinds,
    type_table,
)
from hotline.report.notes import notes
from hotline.report.numbers import month_text_en
from hotline.report.wording import english_shown, english_text, listed

__all__ = [
    "EXEMPT_EN",
    "annual_document_en",
    "bulletin_document_en",
    "english_facts",
    "missing_because_en",
    "subject_en",
]

#: What facts.json says is not a fact in an English report (see ``build.EXEMPT``).
EXEMPT_EN = (
    "years (2021) and months (June 2021, 2021-06) naming the period",
    "the names of the services, 311 and 12345",
    "Markdown image lines (![title](figures/…))",
    "the numbers of headings (1.), figures and tables (Figure 1., Table 2.)",
)

#: What a report is about, by its source kinds: (the platform, what it receives, title).
SUBJECTS_EN = {
    frozenset({"online"}): ("the online message board", "messages", "Online Messages"),
    frozenset({"311"}): ("the 311 service", "service requests", "311 Service Requests"),
}
_HOTLINE_EN = ("the 12345 government service hotline", "requests", "12345 Government Hotline")
#: How the prose names each source kind.
SOURCE_PHRASES_EN = {
    "hotline": "hotline calls",
    "online": "online complaints",
    "311": "311 service requests",
}
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def subject_en(sheet: FactSheet) -> tuple[str, str, str]:
    """The platform, what it receives and the report's title, from the data's source kinds.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["311"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> subject_en(annual_facts(df, 2021))
        ('the 311 service', 'service requests', '311 Service Requests')
    """
    return SUBJECTS_EN.get(frozenset(source_kinds(sheet)), _HOTLINE_EN)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def missing_because_en(sheet: FactSheet, scope: str, rate: str) -> str:
    """Why a rate of a scope is missing, in English (the reason of :func:`missing_because`).

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["311"],
        ...     "received_at": pd.to_datetime(["2021-03-01"])})
        >>> missing_because_en(annual_facts(df, 2021), "total", "closure_rate")
        'the export holds no status or reply'
    """
    reason = missing_because(sheet, scope, rate)
    english = reason_text(reason, "en")
    return NO_RECORDS.en if english == reason else english


class _Writer:
    """Sentences of one English report: facts' English texts and footnote markers."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.notes = Footnotes(notes(sheet, "en"))
        self.platform, self.received, self.title = subject_en(sheet)

    def __call__(self, key: str) -> str:
        """The English text of the fact ``key``."""
        return english_shown(self.sheet[key], self.sheet)

    def own(self, key: str) -> str:
        """The English text of a fact hotline words itself (no name from the data)."""
        return english_text(self.sheet[key], self.sheet)

    def ref(self, concept: str) -> str:
        return self.notes.ref(concept)

    def why(self, scope: str, rate: str) -> str:
        return missing_because_en(self.sheet, scope, rate)

    def by_source(self, rate: str, missing: Callable[[str], str]) -> str:
        """`` By source: calls 92.14%; online complaints: <missing>.`` with two kinds or more."""
        kinds = source_kinds(self.sheet)
        if len(kinds) < 2:
            return ""
        parts = [
            f"{self.phrase(k)}: {missing(k)}"
            if self.sheet[f"{k}.{rate}"].missing
            else f"{self.phrase(k)} {self(f'{k}.{rate}')}"
            for k in kinds
        ]
        return " By source: " + "; ".join(parts) + "."

    def phrase(self, kind: str) -> str:
        return SOURCE_PHRASES_EN.get(kind) or schema.SOURCE_KIND.label(kind, "en").lower()

    def lead(self, scope: str) -> str:
        """Scope, as-of time, sources, definitions, coverage: the note under the title."""
        sheet = self.sheet
        when = self("context.as_of")
        latest = (
            "the latest time recorded in the data"
            if sheet.definitions.as_of is None
            else "the time chosen for the figures"
        )
        sources = sheet["context.sources"]
        files = "export file" if sources.value == 1 else "export files"
        origin = f", from {self(sources.key)} {files}" if sources.value else ""
        preset = sheet.definitions.name.split(", as of ")[0]
        title = definitions_title(preset, "en")
        under = (
            ""
            if preset == DEFAULT_PRESET
            else f"; under the {name(title) if title == preset else title} definitions"
        )
        basis = "time received" if sheet.definitions.period == "received" else "time closed"
        text = (
            f"Scope: requests received in {scope} (counted by {basis}); figures as of {when} "
            f"({latest}){origin}{under}. "
        )
        if sheet["context.complete"].value is False:
            coverage = self.own("context.coverage")
            text += strong(
                f"{coverage}: an incomplete period; the figures below do not represent the "
                "whole period."
            )
            text += " "
        empty = sheet["context.empty_months"]
        if empty.value:
            text += f"No requests were received in {self.own(empty.key)}. "
        return text + "Each figure is defined in the notes."

    def _still_open(self) -> str:
        """``; N were still open …, M of them within their time limit`` when any were open."""
        opened, in_time = self.sheet["total.open"], self.sheet["total.open_in_time"]
        if opened.missing or not opened.value:
            return ""
        verb = "was" if opened.value == 1 else "were"
        text = f"; {self(opened.key)} {verb} still open at the time of the figures"
        if in_time.missing or not in_time.value:
            return text
        if in_time.value == opened.value:
            return text + ", all within their time limit"
        return text + f", {self(in_time.key)} of them within their time limit"

    def volume(self, when: str) -> str:
        """Requests received and closed, the closure rate, year on year, by source kind."""
        sheet = self.sheet
        text = (
            f"{when}, {self.platform} received {self('total.accepted')} {self.received}"
            f"{self.ref('accepted')}"
        )
        rate = sheet["total.closure_rate"]
        if sheet["total.closed"].missing:
            text += f"; {self.why('total', 'closure_rate')}, so closures cannot be counted."
        elif rate.missing:
            text += (
                f" and closed {self('total.closed')}; the closure rate cannot be calculated "
                f"({self.why('total', 'closure_rate')})."
            )
        else:
            text += (
                f" and closed {self('total.closed')}, a closure rate of {self(rate.key)}"
                f"{self.ref('closure_rate')}{self._still_open()}."
            )
        text += self._year_on_year()
        kinds = source_kinds(sheet)
        if len(kinds) > 1:
            text += " Of these, " + "; ".join(self._kind_volume(k) for k in kinds) + "."
        if "hotline" in kinds and sheet["hotline.direct"].value:
            text += (
                f" Of the hotline calls, {self('hotline.direct')} were answered directly by the "
                f"call-taker, a direct-answer rate of {self('hotline.direct_answer_rate')}"
                f"{self.ref('direct_answer_rate')}."
            )
        return text

    def _kind_volume(self, kind: str) -> str:
        received = f"{self.phrase(kind)}: {self(f'{kind}.accepted')} received"
        if self.sheet[f"{kind}.closed"].missing:
            return f"{received} ({self.why(kind, 'closure_rate')})"
        rate = self.sheet[f"{kind}.closure_rate"]
        shown = (
            f"closure rate {self(rate.key)}"
            if not rate.missing
            else f"closure rate not calculable ({self.why(kind, 'closure_rate')})"
        )
        return f"{received}, {self(f'{kind}.closed')} closed, {shown}"

    def _year_on_year(self) -> str:
        sheet = self.sheet
        if "previous.accepted_yoy" in sheet:
            change = sheet["previous.closure_rate_pp"]
            closure = "" if change.missing else f", and the closure rate {self(change.key)}"
            return (
                f" Requests were {self('previous.accepted_yoy')}{self.ref('yoy')} on the year "
                f"before ({self('previous.accepted')} received){closure}."
            )
        if "previous.accepted" not in sheet:
            return ""
        partial = [
            year
            for key, year in (("previous.complete", "last year"), ("context.complete", "this year"))
            if key in sheet and sheet[key].value is False
        ]
        why = (
            f"the data of {' and '.join(partial)} are incomplete"
            if partial
            else "too few requests to compare"
        )
        return (
            f" The year before, {self('previous.accepted')} requests were received; {why}, so "
            "no year-on-year comparison is made."
        )

    def on_time(self, when: str) -> str:
        """The on-time closure rate with its counts, and by source kind."""
        sheet = self.sheet
        rate = sheet["total.on_time_rate"]
        if rate.missing:
            text = (
                f"{_cap(self.why('total', 'on_time_rate'))}, so the on-time closure rate cannot "
                "be calculated."
            )
        else:
            text = (
                f"{when}, the on-time closure rate was {self(rate.key)}"
                f"{self.ref('on_time_rate')}: of {self('total.due_total')} requests due, "
                f"{self('total.on_time')} were closed on time, {self('total.closed_late')} were "
                f"closed late and {self('total.open_overdue')} were still open past their time "
                "limit at the as-of time."
            )
        return text + self.by_source(
            "on_time_rate", lambda k: f"not calculable ({self.why(k, 'on_time_rate')})"
        )

    def satisfaction(self, when: str) -> str:
        """The satisfaction rate with its counts, and by source kind."""
        sheet = self.sheet
        rate = sheet["total.satisfaction_rate"]
        if rate.missing and sheet["total.satisfaction.numerator"].missing:
            why = self.why("total", "satisfaction_rate")
            return f"{_cap(why)}, so the satisfaction rate cannot be calculated."
        if rate.missing:
            return (
                "The data hold no satisfaction ratings: the satisfaction rate cannot be calculated."
            )
        base = (
            "with a valid rating"
            if sheet.definitions.satisfaction_base == "evaluated"
            else "closed with revisit data"
        )
        text = (
            f"{when}, the satisfaction rate was {self(rate.key)}{self.ref('satisfaction_rate')}:"
            f" of {self('total.satisfaction.denominator')} requests {base}, "
            f"{self('total.satisfaction.numerator')} were rated satisfied."
        )
        return text + self.by_source("satisfaction_rate", lambda _: "no ratings")

    def trend(self) -> str:
        """The busiest and quietest months, the largest rise, the month least closed."""
        sheet = self.sheet
        if "trend.months" not in sheet or sheet["trend.months"].value < 2:
            return "The data cover fewer than two months: no monthly trend is analysed."
        if "trend.low.month" not in sheet:
            return f"Every month received as many requests as the others.{self._closure_trend()}"
        peaks, i = [], 0
        while f"trend.peak.{i}.month" in sheet:
            peaks.append(f"{self(f'trend.peak.{i}.month')} ({self(f'trend.peak.{i}.accepted')})")
            i += 1
        text = (
            f"By month{self.ref('trend')}, the busiest {'months were' if i > 1 else 'month was'}"
            f" {listed(peaks)}; the quietest was {self('trend.low.month')} "
            f"({self('trend.low.accepted')})."
        )
        if "trend.rise.month" in sheet:
            text += (
                f" The largest rise on the month before was in {self('trend.rise.month')}, "
                f"{self('trend.rise.accepted_mom')}{self.ref('mom')}."
            )
        return text + self._closure_trend()

    def _closure_trend(self) -> str:
        sheet = self.sheet
        if "trend.closure_low.month" not in sheet:
            return (
                ""
                if sheet["total.closure_rate"].missing
                else " Every month had the same closure rate."
            )
        if sheet["trend.closure_low.open"].value:
            return (
                f" The closure rate was lowest in {self('trend.closure_low.month')} "
                f"({self('trend.closure_low.closure_rate')}), with "
                f"{self('trend.closure_low.open')} of its requests still open at the as-of time."
            )
        return " Every request received in every month was closed."

    def types(self) -> str:
        """The request types with their counts and shares."""
        sheet = self.sheet
        items, i = [], 0
        while f"type.{i}.code" in sheet:
            items.append(
                f"{self(f'type.{i}.code')}: {self(f'type.{i}.accepted')} "
                f"({self(f'type.{i}.share')}{self.ref('share')})"
            )
            i += 1
        if "type.missing.accepted" in sheet and items:
            items.append(
                f"no request type recorded: {self('type.missing.accepted')} "
                f"({self('type.missing.share')}{self.ref('share')})"
            )
        if not items:
            return "The data hold no request types."
        return f"By request type: {'; '.join(items)}."

    def topics(self) -> str:
        """The largest topics with their counts and shares, and how many have none."""
        sheet = self.sheet
        items, i = [], 0
        while f"topic.{i}.name" in sheet:
            items.append(
                f"{self(f'topic.{i}.name')} ({self(f'topic.{i}.accepted')}, "
                f"{self(f'topic.{i}.share')}{self.ref('share')})"
            )
            i += 1
        if not items:
            return "The data hold no topics."
        count = _NUMBER_WORDS[i] if i < len(_NUMBER_WORDS) else str(i)
        largest = "the largest topic was" if i == 1 else f"the {count} largest topics were"
        text = f"By topic{self.ref('topic')}, {largest} {listed(items)}."
        if "topic.missing.accepted" in sheet:
            text += (
                f" Another {self('topic.missing.accepted')} requests "
                f"({self('topic.missing.share')}) have no topic recorded."
            )
        return text

    def scheme(self) -> str:
        """How units are scored and which are ranked."""
        rates = [
            label(f.key.rsplit(".", 1)[1], "en").lower()
            for f in self.sheet
            if f.key.startswith("param.weight.")
        ]
        return (
            f"Units are scored by a weighted composite of {listed(rates)}{self.ref('score')}; "
            f"units with at least {self('param.min_volume')} requests are ranked."
        )

    def _units(self, unit: str, side: str) -> list[str]:
        items, i = [], 0
        while f"{unit}.{side}.{i}.name" in self.sheet:
            key = f"{unit}.{side}.{i}"
            items.append(f"{self(f'{key}.name')} ({self(f'{key}.score')}, {self(f'{key}.band')})")
            i += 1
        return items

    def ranking(self, unit: str) -> str:
        """How many units of one kind were ranked, the best and worst, how many were not."""
        sheet = self.sheet
        title = column_header(unit, "en")
        ranked, unranked = sheet[f"{unit}.ranked"], sheet[f"{unit}.unranked"]
        if not ranked.value and not unranked.value:
            return f"{title}: the data name none."
        if not ranked.value:  # the count said once: not again as "N more did not qualify"
            text = (
                f"{title}: none of {self(unranked.key)} qualified for ranking (at least "
                f"{self('param.min_volume')} requests and a rate to score), so no ranking is "
                "made."
            )
        else:
            best, worst = self._units(unit, "best"), self._units(unit, "worst")
            text = (
                f"{title}: {self(ranked.key)} ranked; the highest composite "
                f"{'score was' if len(best) == 1 else 'scores were'} {listed(best)}"
            )
            lowest = "the lowest was" if len(worst) == 1 else "the lowest were"
            text += f"; {lowest} {listed(worst)}." if worst else "."
            if unranked.value:
                verb = "was" if unranked.value == 1 else "were"
                text += f" {self(unranked.key)} more did not qualify and {verb} not ranked."
            else:
                text += " All were ranked."
        idle = sheet.get(f"{unit}.idle")
        if idle is not None and idle.value:
            period = "month" if "month" in ranked.query.kwargs else "year"
            text += f" {self(idle.key)} more in the data received no request this {period}."
        return text

    def changes(self) -> str:
        """Month on month: requests (relative) and the rates (percentage points)."""
        sheet = self.sheet
        if "mom.accepted" not in sheet:
            return "The data hold no requests of the month before: no month-on-month comparison."
        before = self("mom.previous.month")
        if sheet["mom.accepted"].missing:
            partial = [
                month
                for key, month in (
                    ("mom.previous.complete", "last month"),
                    ("mom.complete", "this month"),
                )
                if not sheet[key].value
            ]
            why = (
                f"the data of {' and '.join(partial)} are incomplete"
                if partial
                else "too few requests to compare"
            )
            return (
                f"In {before}, the month before, {self('mom.previous.accepted')} requests were "
                f"received; {why}, so no month-on-month comparison is made."
            )
        parts = [
            f"requests were {self('mom.accepted')}{self.ref('mom')} "
            f"({self('mom.previous.accepted')} in {before})"
        ]
        for rate in _MOM_RATES:
            change = sheet[f"mom.{rate}"]
            rate_name = label(rate, "en").lower()
            parts.append(
                f"the {rate_name} cannot be compared (no records in one of the months)"
                if change.missing
                else f"the {rate_name} {self(change.key)}"
            )
        return f"Compared with {before}, {listed(parts)}."


def annual_document_en(
    sheet: FactSheet, year: int, charts: Mapping[str, str] | None = None
) -> Document:
    """The annual report in English, as a :class:`Document` (report.md and report.docx).

    Args:
        sheet: Facts from :func:`hotline.report.annual.annual_facts`.
        year: The year reported.
        charts: Chart title -> image path relative to the report (no chart section if empty).
    """
    write = _Writer(sheet)
    when = f"In {year}"
    partial = " (incomplete year)" if sheet["context.complete"].value is False else ""
    units = " and ".join(column_header(u, "en").lower() for u in UNITS)
    blocks: list[Block] = [
        Paragraph(write.lead(str(year)), "lead"),
        Heading("Overview"),
        Paragraph(write.volume(when)),
        Heading("Handling quality"),
        Paragraph(write.on_time(when)),
        Paragraph(write.satisfaction(when)),
        Heading("Monthly trend"),
        Paragraph(write.trend()),
        Heading("Composition of requests"),
        Paragraph(write.types()),
        *type_table(sheet, "en"),
        Paragraph(write.topics()),
        Heading(f"Performance by {units}"),
    ]
    if any(sheet[f"{u}.ranked"].value or sheet[f"{u}.unranked"].value for u in UNITS):
        blocks.append(Paragraph(write.scheme()))
    blocks += [Paragraph(write.ranking(unit)) for unit in UNITS]
    blocks += chart_blocks(charts or {}, "Charts")
    title = f"{write.title}: Annual Report {year}{partial}"
    return Document(title, tuple(blocks), write.notes.cited(), lang="en")


def bulletin_document_en(
    sheet: FactSheet, month: str, charts: Mapping[str, str] | None = None
) -> Document:
    """The monthly bulletin in English, as a :class:`Document` (bulletin.md and .docx).

    Args:
        sheet: Facts from :func:`hotline.report.bulletin.bulletin_facts`.
        month: The month reported, ``YYYY-MM``.
        charts: Chart title -> image path relative to the bulletin.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.bulletin import bulletin_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["311"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["DSNY"] * 2})
        >>> bulletin_document_en(bulletin_facts(df, "2021-06"), "2021-06").title
        '311 Service Requests: Monthly Bulletin, June 2021'
    """
    write = _Writer(sheet)
    when = month_text_en(month, with_year=True)
    blocks: list[Block] = [
        Paragraph(write.lead(when), "lead"),
        Heading("Overview"),
        Paragraph(write.volume(f"In {when}")),
        Paragraph(write.changes()),
        Heading("Handling quality"),
        Paragraph(write.on_time("This month")),
        Paragraph(write.satisfaction("This month")),
        Heading(f"{column_header(BULLETIN_UNIT, 'en')} ranking"),
        Paragraph(write.scheme()),
        Paragraph(write.ranking(BULLETIN_UNIT)),
        *ranking_tables(sheet, BULLETIN_UNIT, "en"),
        *chart_blocks(charts or {}, "Charts"),
    ]
    title = f"{write.title}: Monthly Bulletin, {when}"
    return Document(title, tuple(blocks), write.notes.cited(), lang="en")


#: The definitions of the facts no concept's footnote explains, in English, by key pattern.
_DEFINITIONS_EN = {
    "context.as_of": "The as-of time: requests received, closed or rated after it are not counted",
    "context.sources": "How many export files the data come from (tables.xlsx, Definitions "
    "and sources)",
    "context.complete": "Whether the data cover the whole period (first request no later than "
    "its start, last no earlier than its end, give or take a few days)",
    "context.coverage": "The dates the data cover (when the period is incomplete)",
    "context.empty_months": "Months of the period without any request",
    "previous.complete": "Whether the data cover the whole year before",
    "mom.complete": "Whether the data cover the whole month",
    "mom.previous.complete": "Whether the data cover the whole month",
    "param.default_time_limit": "The time limit when the export gives none and the request "
    "type has none of its own",
    "param.min_volume": "The fewest requests a unit needs to be ranked",
}


def _definition_en(fact: Fact, sheet: FactSheet, texts: Mapping[str, str]) -> str:
    if fact.key in _DEFINITIONS_EN:
        return _DEFINITIONS_EN[fact.key]
    if fact.definition in texts:
        return texts[fact.definition]
    parts = fact.key.split(".")
    if parts[:2] == ["param", "time_limit"]:
        kind = schema.label("request_type", parts[2], "en").lower()
        return f"The time limit of {kind} requests"
    if parts[:2] == ["param", "weight"]:
        return f"The weight of the {label(parts[2], 'en').lower()} in the composite score"
    if parts[:2] == ["param", "band"]:
        if parts[3] == "label":
            return "A band of the composite score"
        band = english_text(sheet[f"param.band.{parts[2]}.label"], sheet)
        return f"The lowest composite score rated {band}"
    return fact.definition


def english_facts(sheet: FactSheet) -> list[dict[str, Any]]:
    """facts.json's facts for an English report: the same keys and values, English texts.

    Each text is :func:`~hotline.report.wording.english_text`, each definition the English
    footnote of its concept (or of its parameter).

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["311"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> fact = english_facts(annual_facts(df, 2021))[0]
        >>> fact["key"], fact["text"], fact["definition"][:20]
        ('param.default_time_limit', '5 working days', 'The time limit when ')
    """
    chinese, english = notes(sheet), notes(sheet, "en")
    texts = {chinese[concept]: english[concept] for concept in chinese}
    records = []
    for fact, record in zip(sheet, sheet.to_list(), strict=True):
        record["text"] = english_text(fact, sheet)
        record["definition"] = _definition_en(fact, sheet, texts)
        records.append(record)
    return records
