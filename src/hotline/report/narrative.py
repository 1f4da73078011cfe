"""The annual report in the register of a government work report, from facts only.

:func:`annual_document` writes it once as a :class:`~hotline.report.document.Document`, from
which report.md and report.docx are rendered. Every number is the text of a
:class:`~hotline.report.facts.Fact`; a figure the data does not hold is never written as 0%:
the sentence says the data does not hold it. Each figure's definition is a footnote (in
Markdown ``[^closure_rate]: 办结率 = …``, in Word a real footnote) at its first mention. The
prose is official: no file names, no software words, times as 2022年1月4日8时28分.

Example:
    >>> import pandas as pd
    >>> from hotline.report.annual import annual_facts
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
    >>> text = render_annual(annual_facts(df, 2021), 2021)
    >>> "受理群众话务诉求1件，办结1件，办结率100.00%" in text
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hotline import metrics, schema
from hotline.availability import Reason, missing_reason
from hotline.labels import column_title, definitions_title, label
from hotline.metrics import RATES
from hotline.metrics.definitions import Definitions
from hotline.report.annual import UNITS
from hotline.report.collect import SCOPE_TOTAL
from hotline.report.document import (
    Block,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    name,
    note,
    strong,
    to_markdown,
)
from hotline.report.facts import Fact, FactSheet
from hotline.report.headers import column_header, unit_line
from hotline.report.notes import notes
from hotline.report.numbers import format_value
from hotline.report.wording import english_cell, english_shown

__all__ = [
    "Footnotes",
    "annual_document",
    "as_of_phrase",
    "chart_blocks",
    "coverage_note",
    "lead",
    "missing_because",
    "preset_phrase",
    "quality_paragraphs",
    "render_annual",
    "shown",
    "source_kinds",
    "subject",
    "table_cell",
    "type_table",
    "volume_paragraph",
]

#: The preset whose name the report leaves unsaid.
DEFAULT_PRESET = Definitions().name

#: How the narrative names each source kind.
SOURCE_PHRASES = {"hotline": "群众话务诉求", "online": "网络投诉"}
#: What a report is about, by the source kinds of its data: (platform, what it receives,
#: title). Message-board data alone is not a hotline, nor is a US city's 311.
SUBJECTS = {
    frozenset({"online"}): ("网络问政平台", "群众留言", "网络问政留言办理情况报告"),
    frozenset({"311"}): ("311市民服务热线", "服务请求", "311市民服务请求办理情况报告"),
}
_HOTLINE_SUBJECT = ("12345政务服务便民热线", "群众诉求", "12345政务服务便民热线运行情况报告")
_DIGITS = "零一二三四五六七八九十"
#: Why a rate is missing when neither the metric nor the information table says more.
NO_RECORDS = Reason("数据中没有可用于计算的记录", "the data hold no records to compute it from")
#: Fact kinds whose text comes from the data (a unit, topic or type name): escaped for Markdown.
DATA_KINDS = frozenset({"label", "request_type"})
#: The unit line of an English report's tables: counts of requests, rates in per cent.


class Footnotes:
    """Footnote markers at first mention, and the definitions cited.

    Example:
        >>> notes = Footnotes({"share": "占比 = 该类受理量 / 同期受理总量。"})
        >>> notes.ref("share") == note("share"), notes.ref("share"), notes.cited()
        (True, '', {'share': '占比 = 该类受理量 / 同期受理总量。'})
    """

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = texts
        self._used: list[str] = []

    def ref(self, concept: str) -> str:
        """The marker of ``concept`` the first time it is cited, then nothing."""
        if concept in self._used or concept not in self._texts:
            return ""
        self._used.append(concept)
        return note(concept)

    def cited(self) -> dict[str, str]:
        """The definitions cited: concept -> text."""
        return {c: self._texts[c] for c in self._used}


def shown(fact: Fact) -> str:
    r"""A fact's text for the document: a name from the data marked as a :func:`name`.

    A department or town name is typed by whoever keeps the export; written raw into Markdown it
    could make a link, an image fetched on opening, HTML or a new table column, so the Markdown
    writer escapes names (``md_text``) and Word shows them as they are. Numbers are the
    report's own formatting and are written as they are.

    Example:
        >>> from hotline.report.document import to_markdown, Document, Paragraph
        >>> from hotline.report.facts import Query
        >>> cell = shown(Fact("department.best.0.name", "label", "x", "[x](javascript:1)", "",
        ...       "", Query("rank_units")))
        >>> print(to_markdown(Document("t", (Paragraph(cell),))).splitlines()[2])
        \[x\](javascript\:1)
        >>> shown(Fact("total.closure_rate", "rate", 0.9877, "98.77%", "", "", Query("volume")))
        '98.77%'
    """
    return name(fact.text) if fact.kind in DATA_KINDS else fact.text


def source_kinds(sheet: FactSheet) -> list[str]:
    """The source kinds with figures in ``sheet``, in the schema's order.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "department": ["县教育局"] * 2})
        >>> sheet = annual_facts(df, 2021)
        >>> source_kinds(sheet)
        ['hotline', 'online']
        >>> lead(sheet, "2021年")[:29]
        '统计范围：2021年受理的工单（按受理时间归属）；数据截至'
        >>> volume_paragraph(sheet, "2021年", Footnotes({})).split("。")[0]
        '2021年，12345政务服务便民热线共受理群众诉求2件，办结2件，办结率100.00%'
        >>> quality_paragraphs(sheet, "全年", Footnotes({}))[1]
        '导出中没有满意度评价，满意率无法计算。'
        >>> scheme_sentence(sheet, Footnotes({}))
        '按办结率、按时办结率和满意率加权计算综合评分，受理量不少于20件的单位参加排名。'
        >>> ranking_paragraph(sheet, "department")
        '承办单位：共1个承办单位，均未达到参评条件（受理量不少于20件且有可计算的评分指标），未开展排名。'
    """
    return [code for code in schema.SOURCE_KIND.codes if f"{code}.accepted" in sheet]


def subject(sheet: FactSheet) -> tuple[str, str, str]:
    """The platform, what it receives and the report title, from the data's source kinds.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["replied"]})
        >>> subject(annual_facts(df, 2021))
        ('网络问政平台', '群众留言', '网络问政留言办理情况报告')
    """
    return SUBJECTS.get(frozenset(source_kinds(sheet)), _HOTLINE_SUBJECT)


def missing_because(sheet: FactSheet, scope: str, rate: str) -> str:
    """Why a rate of a scope is missing: the information its export lacks, or no records.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"])})
        >>> missing_because(annual_facts(df, 2021), "total", "closure_rate")
        '导出中没有办理状态或答复信息'
    """
    count = {
        "closure_rate": "closed",
        "on_time_rate": "due_total",
        "satisfaction_rate": "satisfaction.numerator",
        "direct_answer_rate": "direct",
    }.get(rate)
    fact = f"{scope}.{rate}"
    if fact in sheet:  # the metric's own reason first: it knows which input is lacking
        query = sheet[fact].query
        result = sheet.result(query.function, query.kwargs)
        if query.function == "headline":
            reason = result.loc[scope, "closure_rate"].reason
        else:
            # the Rate of this scope alone (the table's reasons are the whole table's)
            filters = {k: v for k, v in query.kwargs.items() if k not in ("by", "freq")}
            if scope != SCOPE_TOTAL:
                filters["source_kind"] = scope
            reason = metrics.rate(rate, sheet.data, sheet.definitions, **filters).reason
            reason = reason or getattr(result, "attrs", {}).get("unavailable", {}).get(rate)
        if reason:
            return reason
    key = f"{scope}.{count}"
    if count is not None and key in sheet and sheet[key].missing:
        return missing_reason(RATES[rate].needs)
    return NO_RECORDS


def _phrase(kind: str) -> str:
    return SOURCE_PHRASES.get(kind) or schema.SOURCE_KIND.label(kind)


def chinese_number(n: int) -> str:
    """A small count in Chinese numerals (前五位, 三个), as reports write ranks and counts.

    Example:
        >>> chinese_number(5), chinese_number(10)
        ('五', '十')
    """
    return _DIGITS[n] if 0 <= n <= 10 else str(n)


def _enumerate(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _stated(fact: Fact, name: str, marker: str = "", sheet: FactSheet | None = None) -> str:
    """``满意率90.64%[^…]``, or the sentence that the data do not hold it, and why."""
    if fact.missing:
        scope, rate = fact.key.rsplit(".", 1)
        why = (
            missing_because(sheet, scope, rate)
            if sheet is not None and rate in RATES
            else "数据中没有可用于计算的记录"
        )
        return f"{name}无法计算（{why}）"
    return f"{name}{fact.text}{marker}{_own_base(fact, sheet)}"


def _own_base(fact: Fact, sheet: FactSheet | None) -> str:
    """``（派单量7833件中办结7718件）`` after a 办结率 whose base is not 受理 (beijing)."""
    scope, rate = fact.key.rsplit(".", 1)
    key = f"{scope}.closure.denominator"
    if rate != "closure_rate" or sheet is None or key not in sheet:
        return ""
    base = column_header(sheet[key].query.column or "")
    return f"（{base}{sheet[key].text}中办结{sheet[f'{scope}.closure.numerator'].text}）"


def _period_basis(period: str) -> str:
    """The time an order is counted by: 受理时间 or 办结时间 (the column's name)."""
    return column_title(f"{period}_at")


def as_of_phrase(sheet: FactSheet) -> str:
    """When the figures stand: the data's latest recorded time (the default) or ``--as-of``.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01 08:00"]), "status": ["closed"]})
        >>> as_of_phrase(annual_facts(df, 2021))
        '数据截至2021年3月1日8时（数据中最晚的记录时间）'
    """
    when = sheet["context.as_of"].text
    if sheet.definitions.as_of is None:
        return f"数据截至{when}（数据中最晚的记录时间）"
    return f"数据截至{when}（指定的统计时点）"


def preset_phrase(sheet: FactSheet) -> str:
    """``；按严格口径统计`` when the definitions are not the default ones, else nothing.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01 08:00"]), "status": ["closed"]})
        >>> preset_phrase(annual_facts(df, 2021)), preset_phrase(annual_facts(df, 2021, "strict"))
        ('', '；按严格口径统计')
    """
    # `--as-of` names the definitions "<preset>, as of <time>": the time is said apart
    preset = sheet.definitions.name.split(", as of ")[0]
    if preset == DEFAULT_PRESET:
        return ""
    title = definitions_title(preset)
    return f"；按{name(title) if title == preset else title}统计"  # a user's own name: data


def lead(sheet: FactSheet, scope: str) -> str:
    """The opening note: what was counted, as of when, from how many exports, which 口径."""
    d = sheet.definitions
    sources = sheet["context.sources"]
    origin = f"，来自{sources.text}导出文件" if sources.value else ""
    return (
        f"统计范围：{scope}受理的工单（按{_period_basis(d.period)}归属）；{as_of_phrase(sheet)}"
        f"{origin}{preset_phrase(sheet)}。{coverage_note(sheet)}"
        "各项指标的计算方法见注释。"
    )


def coverage_note(sheet: FactSheet) -> str:
    """The sentence that the period is not wholly covered, and which months have no data.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["online"] * 3,
        ...     "received_at": pd.to_datetime(["2019-12-30", "2020-01-02", "2020-01-26"])})
        >>> from hotline.report.document import plain_text
        >>> plain_text(coverage_note(annual_facts(df, 2020)))
        '数据仅覆盖2020年1月2日至1月26日，为不完整期间，以下数字不代表全期情况。'
    """
    text = ""
    if "context.complete" in sheet and sheet["context.complete"].value is False:
        text = strong(f"{sheet['context.coverage'].text}，为不完整期间，以下数字不代表全期情况。")
    empty = sheet.get("context.empty_months")
    if empty is not None and not empty.missing:
        count = len(str(empty.value).split("、"))
        text += f"统计期间内{empty.text if count <= 6 else f'有{count}个月'}没有受理记录。"
    return text


def volume_paragraph(sheet: FactSheet, when: str, notes: Footnotes) -> str:
    """受理、办结、办结率 in total and per source kind, and 同比 when it can be stated."""
    platform, received, _ = subject(sheet)
    closed = sheet["total.closed"]
    if closed.missing:  # the exports say nothing of closure: no 办结 figure at all
        outcome = f"；{missing_because(sheet, 'total', 'closure_rate')}，办结情况无法统计。"
    else:
        outcome = (
            f"，办结{closed.text}，"
            f"{_stated(sheet['total.closure_rate'], '办结率', notes.ref('closure_rate'), sheet)}"
            f"{still_open(sheet)}。"
        )
    text = (
        f"{when}，{platform}共受理{received}{sheet['total.accepted'].text}{notes.ref('accepted')}"
    )
    text += outcome
    if "previous.accepted_yoy" in sheet:
        change = sheet["previous.closure_rate_pp"]
        closure = "" if change.missing else f"，办结率同比{change.text}"
        text += (
            f"受理量同比{sheet['previous.accepted_yoy'].text}{notes.ref('yoy')}"
            f"（上年受理{sheet['previous.accepted'].text}）{closure}。"
        )
    elif "previous.accepted" in sheet:
        text += (
            f"上年受理{sheet['previous.accepted'].text}；{_why_no_change(sheet)}，不作同比比较。"
        )
    kinds = source_kinds(sheet)
    if len(kinds) > 1:
        parts = [
            f"受理{_phrase(k)}{sheet[f'{k}.accepted'].text}，"
            + (
                f"{missing_because(sheet, k, 'closure_rate')}"
                if sheet[f"{k}.closed"].missing
                else f"办结{sheet[f'{k}.closed'].text}，"
                f"{_stated(sheet[f'{k}.closure_rate'], '办结率', sheet=sheet)}"
            )
            for k in kinds
        ]
        text += "其中，" + "；".join(parts) + "。"
    if "hotline" in kinds and sheet["hotline.direct"].value:
        text += (
            f"话务诉求中，话务员直接答复{sheet['hotline.direct'].text}，直接答复率"
            f"{sheet['hotline.direct_answer_rate'].text}{notes.ref('direct_answer_rate')}。"
        )
    return text


def still_open(sheet: FactSheet) -> str:
    """``；截至统计时点尚有N件未办结，其中M件仍在办理期限内`` when orders are still open.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-12-30 09:00", "2021-12-31 09:00"]),
        ...     "due_at": pd.to_datetime(["2022-01-07", "2022-01-07"]),
        ...     "closed_at": pd.to_datetime([None, None]), "status": ["in_progress"] * 2})
        >>> still_open(annual_facts(df, 2021))
        '；截至统计时点尚有2件正在办理，均在办理期限内'
    """
    opened, in_time = sheet["total.open"], sheet["total.open_in_time"]
    if opened.missing or not opened.value:
        return ""
    if in_time.missing or not in_time.value:
        return f"；截至统计时点尚有{opened.text}未办结"
    if in_time.value == opened.value:
        return f"；截至统计时点尚有{opened.text}正在办理，均在办理期限内"
    return f"；截至统计时点尚有{opened.text}未办结，其中{in_time.text}仍在办理期限内"


def _why_no_change(sheet: FactSheet) -> str:
    """Why 同比 is withheld: a year not wholly covered, or too few requests to compare."""
    partial = [
        label
        for key, label in (("previous.complete", "上年"), ("context.complete", "本年"))
        if key in sheet and sheet[key].value is False
    ]
    if partial:
        return f"{'和'.join(partial)}数据不完整"
    return f"受理量不足{sheet.definitions.min_change_base}件，基数过小"


def _on_time(sheet: FactSheet, when: str, notes: Footnotes) -> str:
    rate = sheet["total.on_time_rate"]
    if rate.missing:
        text = f"{missing_because(sheet, 'total', 'on_time_rate')}，按时办结率无法计算。"
    else:
        text = (
            f"{when}按时办结率{rate.text}{notes.ref('on_time_rate')}：应按时办结的"
            f"{sheet['total.due_total'].text}中，按时办结{sheet['total.on_time'].text}，"
            f"超时办结{sheet['total.closed_late'].text}，截至统计时点超期未办结"
            f"{sheet['total.open_overdue'].text}。"
        )
    kinds = source_kinds(sheet)
    if len(kinds) > 1:
        parts = [
            _stated(sheet[f"{k}.on_time_rate"], f"{_phrase(k)}按时办结率", sheet=sheet)
            for k in kinds
        ]
        text += "分来源看，" + "，".join(parts) + "。"
    return text


def _satisfaction(sheet: FactSheet, when: str, notes: Footnotes) -> str:
    base = "有效评价" if sheet.definitions.satisfaction_base == "evaluated" else "有回访数据的办结"
    rate = sheet["total.satisfaction_rate"]
    if rate.missing and sheet["total.satisfaction.numerator"].missing:
        return f"{missing_because(sheet, 'total', 'satisfaction_rate')}，满意率无法计算。"
    if rate.missing:
        return "数据中没有满意度评价结果，满意率无法计算。"
    text = (
        f"{when}满意率{rate.text}{notes.ref('satisfaction_rate')}，{base}工单"
        f"{sheet['total.satisfaction.denominator'].text}，其中满意"
        f"{sheet['total.satisfaction.numerator'].text}。"
    )
    kinds = source_kinds(sheet)
    if len(kinds) > 1:
        parts = [
            f"{_phrase(k)}数据中没有满意度评价结果，满意率无法计算"
            if sheet[f"{k}.satisfaction_rate"].missing
            else f"{_phrase(k)}满意率{sheet[f'{k}.satisfaction_rate'].text}"
            for k in kinds
        ]
        text += "分来源看，" + "；".join(parts) + "。"
    return text


def quality_paragraphs(sheet: FactSheet, when: str, notes: Footnotes) -> list[str]:
    """按时办结率 and 满意率, in total and per source kind."""
    return [_on_time(sheet, when, notes), _satisfaction(sheet, when, notes)]


def _trend(sheet: FactSheet, notes: Footnotes) -> str:
    if "trend.months" not in sheet or sheet["trend.months"].value < 2:
        return "数据不足两个月，不作月度走势分析。"
    if "trend.low.month" not in sheet:
        return f"各月受理量相同，不作月度比较。{_closure_trend(sheet)}"
    peaks, i = [], 0
    while f"trend.peak.{i}.month" in sheet:
        peaks.append(
            f"{sheet[f'trend.peak.{i}.month'].text}（{sheet[f'trend.peak.{i}.accepted'].text}）"
        )
        i += 1
    text = (
        f"从月度走势看{notes.ref('trend')}，受理量较高的月份是{_enumerate(peaks)}，最低的是"
        f"{sheet['trend.low.month'].text}（{sheet['trend.low.accepted'].text}）。"
    )
    if "trend.rise.month" in sheet:
        text += (
            f"环比增幅最大的是{sheet['trend.rise.month'].text}，受理量环比"
            f"{sheet['trend.rise.accepted_mom'].text}{notes.ref('mom')}。"
        )
    return text + _closure_trend(sheet)


def _closure_trend(sheet: FactSheet) -> str:
    """The month least closed, or that all were closed; nothing when closure is unknown."""
    if "trend.closure_low.month" not in sheet:
        # closure unknown (said in the volume paragraph already), or every month alike
        return "" if sheet["total.closure_rate"].missing else "各月办结率相同。"
    open_orders = sheet["trend.closure_low.open"]
    if open_orders.value:
        return (
            f"办结率最低的是{sheet['trend.closure_low.month'].text}"
            f"（{sheet['trend.closure_low.closure_rate'].text}），截至统计时点该月尚有"
            f"{open_orders.text}未办结。"
        )
    return "各月受理的诉求均已办结。"


def _composition(sheet: FactSheet, notes: Footnotes) -> list[str]:
    types, i = [], 0
    while f"type.{i}.code" in sheet:
        types.append(
            f"{shown(sheet[f'type.{i}.code'])}{sheet[f'type.{i}.accepted'].text}，"
            f"占{sheet[f'type.{i}.share'].text}{notes.ref('share')}"
        )
        i += 1
    if "type.missing.accepted" in sheet and types:  # all unlabelled: the export has no types
        types.append(
            f"未标注诉求类型的{sheet['type.missing.accepted'].text}，"
            f"占{sheet['type.missing.share'].text}{notes.ref('share')}"
        )
    paragraphs = [f"从诉求类型看，{'；'.join(types)}。" if types else "数据中没有诉求类型信息。"]
    topics, i = [], 0
    while f"topic.{i}.name" in sheet:
        topics.append(
            f"{shown(sheet[f'topic.{i}.name'])}（{sheet[f'topic.{i}.accepted'].text}，"
            f"占{sheet[f'topic.{i}.share'].text}{notes.ref('share')}）"
        )
        i += 1
    untagged = ""
    if topics and "topic.missing.accepted" in sheet:  # say how much the ranking leaves out
        untagged = (
            f"另有未标注业务分类的{sheet['topic.missing.accepted'].text}，"
            f"占{sheet['topic.missing.share'].text}。"
        )
    paragraphs.append(
        f"从业务分类看{notes.ref('topic')}，受理量居前{chinese_number(len(topics))}位的是"
        f"{'、'.join(topics)}。{untagged}"
        if topics
        else "数据中没有业务分类信息。"
    )
    return paragraphs


def _units(sheet: FactSheet, unit: str, side: str) -> list[str]:
    listed, i = [], 0
    while f"{unit}.{side}.{i}.name" in sheet:
        key = f"{unit}.{side}.{i}"
        listed.append(
            f"{shown(sheet[f'{key}.name'])}（{sheet[f'{key}.score'].text}，"
            f"{shown(sheet[f'{key}.band'])}）"
        )
        i += 1
    return listed


def scheme_sentence(sheet: FactSheet, notes: Footnotes) -> str:
    """How units are scored and who is ranked."""
    rates = [RATES[f.key.rsplit(".", 1)[1]].zh for f in sheet if f.key.startswith("param.weight.")]
    return (
        f"按{_enumerate(rates)}加权计算综合评分{notes.ref('score')}，受理量不少于"
        f"{sheet['param.min_volume'].text}的单位参加排名。"
    )


def ranking_paragraph(sheet: FactSheet, unit: str) -> str:
    """How many units of one kind were ranked, the best and worst, how many were not ranked."""
    label = column_header(unit)
    ranked, unranked = sheet[f"{unit}.ranked"], sheet[f"{unit}.unranked"]
    if not ranked.value and not unranked.value:
        return f"{label}：数据中没有{label}信息。"
    if not ranked.value:  # the count said once: not again as 另有…未达到参评条件
        return (
            f"{label}：共{unranked.text}{label}，均未达到参评条件（受理量不少于"
            f"{sheet['param.min_volume'].text}且有可计算的评分指标），未开展排名。"
            + _idle_sentence(sheet, unit, label)
        )
    else:
        best = "、".join(_units(sheet, unit, "best"))
        text = f"{label}：参加排名的{ranked.text}，综合评分较高的是{best}"
        worst = _units(sheet, unit, "worst")
        text += f"；较低的是{'、'.join(worst)}。" if worst else "。"
    if unranked.value:
        text += f"另有{unranked.text}{label}未达到参评条件，未参加排名。"
    else:
        text += f"所有{label}均参加排名。"
    return text + _idle_sentence(sheet, unit, label)


def _idle_sentence(sheet: FactSheet, unit: str, label: str) -> str:
    """``此外，数据中还有N个…本月没有受理工单。`` for the units the period did not reach."""
    idle = sheet.get(f"{unit}.idle")
    if idle is None or not idle.value:
        return ""
    period = "本月" if "month" in sheet[f"{unit}.ranked"].query.kwargs else "本年"
    return f"此外，数据中还有{idle.text}{label}{period}没有受理工单。"


def chart_blocks(charts: Mapping[str, str], heading: str) -> list[Block]:
    """The charts (title -> path relative to the report) as figures under a heading.

    Example:
        >>> chart_blocks({"月度受理量": "figures/trend.png"}, "附图")
        [Heading(text='附图', level=1), Figure(title='月度受理量', path='figures/trend.png')]
        >>> chart_blocks({}, "附图")
        []
    """
    if not charts:
        return []
    return [Heading(heading), *(Figure(title, path) for title, path in charts.items())]


def type_table(sheet: FactSheet, lang: str = "zh") -> list[Block]:
    """诉求类型构成 as a table with a 合计 row, when the data hold request types.

    Counts are whole numbers under the table's 单位 line; shares are the facts' texts. In
    English (``lang="en"``) every cell is the fact's English text.

    Example:
        >>> import pandas as pd
        >>> from hotline.report.annual import annual_facts
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "request_type": ["complaint", None]})
        >>> from hotline.report.document import plain_text
        >>> table = type_table(annual_facts(df, 2021))[0]
        >>> [[plain_text(cell) for cell in row] for row in (*table.rows, table.total)]
        [['投诉', '1', '50.00%'], ['未标注诉求类型', '1', '50.00%'], ['合计', '2', '100.00%']]
        >>> english = type_table(annual_facts(df, 2021), "en")[0]
        >>> english.title, english.unit
        ('Requests by request type', 'Unit: requests, %')
        >>> [plain_text(cell) for cell in english.rows[1]]
        ['No request type recorded', '1', '50.00%']
    """
    if "type.0.code" not in sheet:
        return []
    english = lang == "en"

    def cell(fact: Fact) -> str:
        return english_cell(fact, sheet) if english else table_cell(fact)

    def count_share(key: str) -> tuple[str, str]:
        return cell(sheet[f"{key}.accepted"]), cell(sheet[f"{key}.share"])

    rows, i = [], 0
    while f"type.{i}.code" in sheet:
        code = sheet[f"type.{i}.code"]
        rows.append((english_shown(code, sheet) if english else shown(code),
                     *count_share(f"type.{i}")))  # fmt: skip
        i += 1
    if "type.missing.accepted" in sheet:
        missing = "No request type recorded" if english else "未标注诉求类型"
        rows.append((missing, *count_share("type.missing")))
    columns = (Column(column_header("request_type", lang), "left", name=True),
               Column(column_header("accepted", lang)),
               Column(label("share", lang)))  # fmt: skip
    total = (label("total", lang), *count_share("type.total"))
    title = "Requests by request type" if english else "诉求类型构成"
    unit = unit_line(("count", "share"), lang)
    return [Table(title, columns, tuple(rows), total, unit)]


def table_cell(fact: Fact) -> str:
    """A fact as a table cell: a count as a whole number (the 单位 line names 件), ``—`` if missing.

    Example:
        >>> from hotline.report.facts import Query
        >>> table_cell(Fact("total.accepted", "count", 12345, "1.23万件", "", "", Query("volume")))
        '12345'
    """
    if fact.missing:
        return "—"
    if fact.kind == "count":
        return format_value("int", fact.value)
    return shown(fact)


def annual_document(
    sheet: FactSheet, year: int, charts: Mapping[str, str] | None = None
) -> Document:
    """The annual report as a :class:`Document` (rendered to report.md and report.docx).

    Args:
        sheet: Facts from :func:`hotline.report.annual.annual_facts`.
        year: The year reported.
        charts: Chart title -> image path relative to the report (no chart section if empty).
    """
    footnotes = Footnotes(notes(sheet))
    partial = "" if sheet["context.complete"].value is not False else "（不完整年度）"
    blocks: list[Block] = [
        Paragraph(lead(sheet, f"{year}年"), "lead"),
        Heading("总体情况"),
        Paragraph(volume_paragraph(sheet, f"{year}年", footnotes)),
        Heading("办理质效"),
        *(Paragraph(p) for p in quality_paragraphs(sheet, "全年", footnotes)),
        Heading("诉求走势"),
        Paragraph(_trend(sheet, footnotes)),
        Heading("诉求构成"),
    ]
    composition = _composition(sheet, footnotes)
    blocks += [Paragraph(composition[0]), *type_table(sheet), Paragraph(composition[1])]
    blocks.append(Heading("承办单位和乡镇（街道）办理情况"))
    if any(sheet[f"{u}.ranked"].value or sheet[f"{u}.unranked"].value for u in UNITS):
        blocks.append(Paragraph(scheme_sentence(sheet, footnotes)))  # nothing to explain else
    blocks += [Paragraph(ranking_paragraph(sheet, unit)) for unit in UNITS]
    blocks += chart_blocks(charts or {}, "附图")
    title = f"{year}年{subject(sheet)[2]}{partial}"
    return Document(title, tuple(blocks), footnotes.cited())


def render_annual(sheet: FactSheet, year: int, charts: Mapping[str, str] | None = None) -> str:
    """The annual report as Markdown (:func:`annual_document` rendered by ``to_markdown``).

    Args:
        sheet: Facts from :func:`hotline.report.annual.annual_facts`.
        year: The year reported.
        charts: Chart title -> image path relative to the report (no chart section if empty).
    """
    return to_markdown(annual_document(sheet, year, charts))
