"""What each figure means (口径), in plain Chinese, for footnotes, facts and the workbook.

The texts follow the :class:`~hotline.metrics.Definitions` in force (``describe()``) and the
catalogue's formulas (:data:`hotline.metrics.RATES`). The parameters they quote (time limits,
minimum volume, weights, band floors) are recorded as facts first (:func:`add_parameters`), so
that every number in a footnote is traceable like the numbers of the text.

Example:
    >>> import pandas as pd
    >>> from hotline.report.facts import FactSheet
    >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
    ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
    >>> sheet = FactSheet(df)
    >>> add_parameters(sheet, {"unit": "department", "year": 2021})
    >>> notes(sheet)["closure_rate"].split("。")[0]
    '办结率 = 办结件数 / 受理件数'

English reports (311 data) define the same figures in English: a rate's formula is its name and
the English names of its counts, read from the metric declarations.

    >>> notes(sheet, "en")["closure_rate"].split(". ")[0]
    'Closure rate = Closed / Accepted (state known)'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotline import schema
from hotline.labels import column_title, label, translate
from hotline.metrics import RATES
from hotline.metrics.catalogue import denominator, numerator
from hotline.metrics.declarations import active
from hotline.metrics.definitions import Definitions
from hotline.metrics.workdays import calendar_note, data_calendars
from hotline.report.facts import FactSheet, Query
from hotline.report.numbers import format_value

__all__ = ["add_parameters", "formula", "notes"]

_CLOCK = {
    "received": "受理时间",
    "dispatched": "派单时间（未派单的自受理时间）",
    "signed": "签收时间（未签收的自受理时间）",
}


def add_parameters(sheet: FactSheet, ranking: Mapping[str, Any]) -> None:
    """Record the parameters the definitions quote: time limits and the ranking scheme.

    Args:
        sheet: Where to record them (keys ``param.*``).
        ranking: Arguments of the ``rank_units`` call whose weights, bands and minimum volume
            the report uses.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> sheet = FactSheet(df)
        >>> add_parameters(sheet, {"unit": "department", "year": 2021})
        >>> sheet["param.min_volume"].text, sheet["param.band.0.floor"].text
        ('20件', '95分')
    """
    described = sheet.definitions.describe()
    limits = described["time_limits"]
    default = described["default_time_limit"]
    sheet.add(
        "param.default_time_limit",
        "workdays",
        Query("definitions", attrs=("default_time_limit",)),
        definition="导出数据未给出办理时限、且诉求类型未单独规定时限时采用的办理时限",
    )
    for code, days in limits.items():
        if days != default:
            sheet.add(
                f"param.time_limit.{code}",
                "workdays",
                Query("definitions", attrs=("time_limits", code)),
                definition=f"{schema.label('request_type', code)}类诉求的办理时限",
            )
    attrs = sheet.result("rank_units", ranking).attrs
    sheet.add(
        "param.min_volume",
        "count",
        Query("rank_units", ranking, attrs=("min_volume",)),
        definition="参加排名的最低受理量",
    )
    for rate in attrs["weights"]:
        sheet.add(
            f"param.weight.{rate}",
            "number",
            Query("rank_units", ranking, attrs=("weights", rate)),
            definition=f"综合评分中{RATES[rate].zh}的权重",
        )
    for i, _ in enumerate(attrs["bands"]):
        label = sheet.add(
            f"param.band.{i}.label",
            "label",
            Query("rank_units", ranking, attrs=("bands", i, 0)),
            definition="综合评分的档次",
        )
        sheet.add(
            f"param.band.{i}.floor",
            "points",
            Query("rank_units", ranking, attrs=("bands", i, 1)),
            definition=f"评为{label.text}的最低综合评分",
        )


def _time_limits(sheet: FactSheet) -> str:
    default = sheet["param.default_time_limit"].text
    special = [f for f in sheet if f.key.startswith("param.time_limit.")]
    if not special:
        return f"按{default}计算"
    listed = "、".join(
        f"{schema.label('request_type', f.key.rsplit('.', 1)[1])}{f.text}" for f in special
    )
    return f"按诉求类型计算（{listed}，其他类型{default}）"


def _scheme(sheet: FactSheet) -> str:
    weights = "、".join(
        f"{RATES[f.key.rsplit('.', 1)[1]].zh}{f.text}"
        for f in sheet
        if f.key.startswith("param.weight.")
    )
    bands = []
    i = 0
    while f"param.band.{i}.label" in sheet:
        label, floor = sheet[f"param.band.{i}.label"], sheet[f"param.band.{i}.floor"]
        last = f"param.band.{i + 1}.label" not in sheet
        bands.append(
            f"其余为{label.text}"
            if last and not floor.value
            else f"{floor.text}及以上为{label.text}"
        )
        i += 1
    return (
        f"综合评分为各项指标值（百分制）的加权平均，权重为{weights}，"
        f"缺少某项数据的单位按其余指标的权重计算。受理量不少于{sheet['param.min_volume'].text}的单位"
        f"参加排名，不足的列为不参评；{'、'.join(bands)}。"
    )


def formula(rate: str, definitions: Definitions, lang: str = "zh") -> str:
    """A rate's formula under ``definitions``: its name = numerator / denominator.

    Chinese: the catalogue's formula in words; English: the English names the metric
    declarations give its counts.

    Example:
        >>> formula("on_time_rate", Definitions(), "en")
        'On-time closure rate = Closed on time / Due (on time + late + open past due)'
        >>> formula("closure_rate", Definitions(closure_base="dispatched"), "en")
        'Closure rate = Closed (dispatched) / Dispatched'
    """
    if lang != "en":
        return f"{RATES[rate].zh} = {RATES[rate].formula}"
    catalogue = active()
    counts = {**catalogue.flags, **catalogue.totals}  # a denominator may be a sum (due_total)
    above = counts[numerator(rate, definitions)].en
    below = counts[denominator(rate, definitions)].en
    return f"{label(rate, 'en')} = {above} / {below}"


#: When the time limit starts, in English.
_CLOCK_EN = {
    "received": "the time received",
    "dispatched": "the time dispatched (received, if never dispatched)",
    "signed": "the time signed for (received, if never signed for)",
}
#: How English footnotes name a calendar of working days.
_CALENDARS_EN = {
    "cn": "China's public holidays and working-day swaps",
    "us-federal": "US federal holidays",
    "none": "Monday to Friday (holidays not excluded)",
}


def _calendar_en(names: list[str]) -> str:
    words = [_CALENDARS_EN.get(n, f"{n.partition(':')[2]} public holidays") for n in names]
    return "working days follow " + "; ".join(words)


def _english_notes(sheet: FactSheet) -> dict[str, str]:
    """The definitions of :func:`notes` in English; every number a fact's English text."""
    d = sheet.definitions

    def text(key: str) -> str:
        fact = sheet[key]
        return format_value(fact.kind, fact.value, "en")

    basis = column_title(f"{d.period}_at", "en").lower()
    accepted = (
        "Accepted requests are work orders whose status is not invalid, void, duplicate or "
        f"merged, counted in the period by the time {basis.removesuffix(' at')}"
    )
    closed = (
        "Closed includes closed, revisited and answered directly (an online complaint once "
        "replied to), by the status at the as-of time"
    )
    satisfied = ", ".join(
        schema.label("satisfaction", code, "en").lower()
        for code in schema.ENUMS["satisfaction"].codes
        if code in d.satisfied
    )
    base = "with revisit data (no rating counts as not satisfied)"
    special = [f for f in sheet if f.key.startswith("param.time_limit.")]
    limits = text("param.default_time_limit")
    if sheet["param.default_time_limit"].missing:
        limits = "none applies (the request is not due)"
    elif special:
        listed = ", ".join(
            f"{schema.label('request_type', f.key.rsplit('.', 1)[1], 'en').lower()} {text(f.key)}"
            for f in special
        )
        limits = f"by request type ({listed}; other types {limits})"
    weights = ", ".join(
        f"{label(f.key.rsplit('.', 1)[1], 'en').lower()} {text(f.key)}"
        for f in sheet
        if f.key.startswith("param.weight.")
    )
    bands, i = [], 0
    while f"param.band.{i}.label" in sheet:
        name = text(f"param.band.{i}.label")
        floor = sheet[f"param.band.{i}.floor"]
        last = f"param.band.{i + 1}.label" not in sheet
        bands.append(
            f"{translated(name)} below that"
            if last and not floor.value
            else f"{translated(name)} from {text(floor.key)}"
        )
        i += 1
    return {
        "accepted": f"{accepted}.",
        "closed": f"{closed}.",
        "closure_rate": f"{formula('closure_rate', d, 'en')}. {accepted}. {closed}.",
        "direct_answer_rate": (
            f"{formula('direct_answer_rate', d, 'en')}. A direct answer is a request the "
            "call-taker resolved on the call, without dispatch."
        ),
        "on_time_rate": (
            f"{formula('on_time_rate', d, 'en')}. The time limit is the export's own where it "
            f"gives one, else {limits} ({_calendar_en(data_calendars(sheet.data))}), counted "
            f"from {_CLOCK_EN[d.clock_start]}; open past due means still open at the as-of time "
            "after the time limit."
        ),
        "satisfaction_rate": (
            f"{formula('satisfaction_rate', d, 'en')}"
            f"{f' {base}' if d.satisfaction_base == 'closed' else ''}. Satisfied includes "
            f"{satisfied}; a rating is the resident's answer when asked after closure."
        ),
        "share": (
            "Share = requests of the category / all requests of the period (including those "
            "without a category)."
        ),
        "trend": (
            f"Requests are counted in months by the time {basis.removesuffix(' at')}; months "
            "without requests are listed too."
        ),
        "mom": (
            "Month on month: for requests, (this month − last month) / last month; for the "
            "closure, on-time closure and satisfaction rates, the difference in percentage "
            "points."
        ),
        "yoy": (
            "Year on year: for requests, (this year − last year) / last year; for the closure "
            "rate, the difference in percentage points."
        ),
        "score": (
            "The composite score is the weighted mean of the rates (in per cent), weighted "
            f"{weights}; a unit without data for a rate is scored on the others. Units with at "
            f"least {text('param.min_volume')} requests are ranked, the others are not; "
            f"{', '.join(bands)}."
        ),
        "topic": "Topics are the export's top-level request categories; requests without one "
        "are counted apart.",
        "request_type": "Request types are those the export records; requests without one are "
        "counted apart.",
        "unit": "Agencies and towns are counted by the names in the export; requests without "
        "one are not ranked.",
    }


def translated(word: str) -> str:
    """A word of a metric result in English (a band: 优秀 -> Excellent).

    Example:
        >>> translated("良好"), translated("Sanitation")
        ('Good', 'Sanitation')
    """
    return translate(word, "en")


def notes(sheet: FactSheet, lang: str = "zh") -> dict[str, str]:
    """The definition of each figure, by concept.

    Needs the parameters recorded first (:func:`add_parameters`).

    Args:
        sheet: The report's facts.
        lang: ``zh`` (the 公文 report) or ``en`` (311 data).

    Returns:
        Concept -> text: ``accepted``, ``closed``, ``closure_rate``,
        ``direct_answer_rate``, ``on_time_rate``, ``satisfaction_rate``, ``share``,
        ``trend``, ``mom``, ``yoy``, ``score``, ``topic``, ``request_type``, ``unit``.
    """
    if lang == "en":
        return _english_notes(sheet)
    d = sheet.definitions
    basis = column_title(f"{d.period}_at")  # 受理时间 or 办结时间
    accepted = f"受理量为办理状态不属于无效、作废、重复/并单的工单数，工单按{basis}归入统计期间"
    closed = "办结包括已办结、已回访和直接答复，网络投诉已答复即视为办结，以统计截止时点的状态为准"
    closure = (
        "办结率 = 派单工单中的办结件数 / 派单件数（不含直接答复的工单）"
        if d.closure_base == "dispatched"
        else f"办结率 = {RATES['closure_rate'].formula}"
    )
    satisfied = "、".join(
        schema.label("satisfaction", code)
        for code in schema.ENUMS["satisfaction"].codes
        if code in d.satisfied
    )
    satisfaction = (
        "满意率 = 满意件数 / 有回访数据的办结件数（未作评价的计入分母）"
        if d.satisfaction_base == "closed"
        else f"满意率 = {RATES['satisfaction_rate'].formula}"
    )
    return {
        "accepted": f"{accepted}。",
        "closed": f"{closed}。",
        "closure_rate": f"{closure}。{closed}。",  # 受理量 has its own note just before
        "direct_answer_rate": (
            f"直接答复率 = {RATES['direct_answer_rate'].formula}。"
            "直接答复指话务员当场解答、未派单即办结的诉求。"
        ),
        "on_time_rate": (
            f"按时办结率 = {RATES['on_time_rate'].formula}。办理时限优先取导出数据中的时限，"
            f"未给出时{_time_limits(sheet)}（{calendar_note(data_calendars(sheet.data))}），"
            f"自{_CLOCK[d.clock_start]}起算；超期未办结指截至统计时点已超过时限仍未办结的工单。"
        ),
        "satisfaction_rate": (
            f"{satisfaction}。满意包括{satisfied}；有效评价指办结后回访中群众作出满意度评价的工单。"
        ),
        "share": "占比 = 该类受理量 / 同期受理总量（总量含未标注分类的工单）。",
        "trend": f"各月工单按{basis}归入月份，没有工单的月份也列出。",
        "mom": (
            "环比：受理量为（本月 − 上月）/ 上月；办结率、按时办结率、满意率为本月与上月之差，"
            "以百分点表示。"
        ),
        "yoy": "同比：受理量为（本年 − 上年）/ 上年；办结率为本年与上年之差，以百分点表示。",
        "score": _scheme(sheet),
        "topic": "业务分类为导出数据中的一级业务分类，未填写的单列。",
        "request_type": "诉求类型为咨询、求助、投诉、举报、建议、表扬、其他，未填写的单列。",
        "unit": "承办单位、乡镇/街道按导出数据中的名称统计，未填写的不参加排名。",
    }
