"""hotline.claims reads paragraphs: the 12345 subject carries over until the topic changes.

The texts are modelled on published reports of other counties and cities (政府工作报告
paragraphs, 12345 热线年度工作总结, 月度通报), reworded. Their hotline figures are written from the
sample county's own metrics (``metrics.summary`` of the sample dataset), never typed in: a
placeholder ``{h.satisfaction_rate}`` is the 话务 satisfaction rate, ``{t.accepted}`` the combined
count, and a trailing ``!`` makes the figure wrong on purpose (five points or 100 orders off).
Each row lists every figure of the text, in order, with the verdict expected and a fragment of
the reason the paragraph gives (empty: none asked).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import cn2an
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline import metrics
from hotline.claims import check_claims, extract_statements, run_check_claims

pytestmark = pytest.mark.slow  # the sample county is built once per run (conftest)

_KINDS = {"h": "hotline", "o": "online", "t": "total"}
_PLACEHOLDER = re.compile(r"\{([hot])\.(\w+)(!?)(?::(\w+))?\}")


@pytest.fixture(scope="module")
def sample_metrics(sample_county: tuple[Path, Path]) -> dict[str, pd.Series]:
    """The sample county's 2021 summary per source kind and in total."""
    dataset = sample_county[1]
    parts = metrics.summary(dataset, by="source_kind", year=2021)
    rows = {str(row["source_kind"]): row for _, row in parts.iterrows()}
    rows["total"] = metrics.summary(dataset, year=2021).iloc[0]
    return rows


def _percent(value: float) -> str:
    """A rate as a report prints it, two decimals (90.63)."""
    return f"{100 * value:.2f}"


def _fill(text: str, rows: dict[str, pd.Series]) -> str:
    """The text with each placeholder replaced by the data's figure (or a wrong one)."""

    def figure(match: re.Match[str]) -> str:
        kind, measure, wrong, style = match.groups()
        value = rows[_KINDS[kind]][measure]
        if isinstance(value, float) and not math.isnan(value) and value <= 1:
            percent = 100 * value + (5 if wrong else 0)
            if style == "floor_cn":  # 百分之九十: the whole percent below the data's rate
                return cn2an.an2cn(str(math.floor(percent)))
            if style == "cn":  # 百分之九十点六三
                return cn2an.an2cn(f"{percent:.2f}")
            return f"{percent:.2f}"
        return str(int(value) + (100 if wrong else 0))

    return _PLACEHOLDER.sub(figure, text)


# (id, text, [(verdict, reason fragment), ...] for every figure in order)
CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "issue-13: satisfaction and on-time rates carried from the hotline sentence, both wrong",
        "2021年，12345政务服务便民热线受理群众话务诉求{h.accepted}件，办结{h.closed}件，"
        "办结率{h.closure_rate}%。全年群众满意率{h.satisfaction_rate!}%，按时办结率{h.on_time_rate!}%。",
        [
            ("consistent", ""),
            ("consistent", ""),
            ("consistent", ""),
            ("inconsistent", "主语承接上句「12345政务服务便民热线」"),
            ("inconsistent", "主语承接上句「12345政务服务便民热线」"),
        ],
    ),
    (
        "工作报告: carried satisfaction and on-time rates that agree with the data",
        "过去一年，12345政务服务便民热线全年受理群众诉求{t.accepted}件，办结{t.closed}件。"
        "群众满意率{h.satisfaction_rate}%，按时办结率{h.on_time_rate}%。",
        [
            ("consistent", ""),
            ("consistent", ""),
            ("consistent", "主语承接上句"),
            ("consistent", "主语承接上句"),
        ],
    ),
    (
        "年度总结: revisit and direct-answer rates after a count sentence",
        "今年以来，县12345热线共接收各类诉求{t.accepted}件。回访率{h.revisit_rate}%，"
        "直接答复率{h.direct_answer_rate}%。",
        [
            ("consistent", ""),
            ("consistent", "主语承接上句「12345热线」"),
            ("consistent", "主语承接上句「12345热线」"),
        ],
    ),
    (
        "年度总结: a carried revisit rate overstated",
        "12345便民热线运行平稳，全年受理群众诉求{t.accepted}件。回访率{h.revisit_rate!}%。",
        [("consistent", ""), ("inconsistent", "主语承接上句「12345便民热线」")],
    ),
    (
        "月度通报: a change in brackets, then carried rates",
        "1-12月，12345热线共受理群众诉求{t.accepted}件（环比下降5.2%）。"
        "按期办结率{h.on_time_rate}%，回访满意率{h.satisfaction_rate}%。",
        [
            ("consistent", ""),
            ("not_checkable", "变化量"),
            ("consistent", "主语承接上句"),
            ("consistent", "主语承接上句"),
        ],
    ),
    (
        "工作报告: a carried lower bound far below the data is still consistent",
        "12345热线服务持续优化。全年群众满意率达到85%。",
        [("consistent", "主语承接上句「12345热线」")],
    ),
    (
        "percent in Chinese numerals, carried: 超过百分之… the whole percent below the data",
        "12345热线运行平稳。群众满意率超过百分之{h.satisfaction_rate:floor_cn}。",
        [("consistent", "主语承接上句")],
    ),
    (
        "percent in Chinese numerals with decimals, carried and exact",
        "12345热线今年受理诉求{t.accepted}件。群众满意率为百分之{h.satisfaction_rate:cn}。",
        [("consistent", ""), ("consistent", "主语承接上句")],
    ),
    (
        "percent in Chinese numerals, carried and wrong",
        "12345热线今年受理诉求{t.accepted}件。群众满意率为百分之{h.satisfaction_rate!:cn}。",
        [("consistent", ""), ("inconsistent", "主语承接上句")],
    ),
    (
        "list of measures with 分别, in the hotline sentence",
        "12345热线受理、办结群众诉求分别为{t.accepted}件、{t.closed}件，办结率{t.closure_rate}%。",
        [("consistent", ""), ("consistent", ""), ("consistent", "")],
    ),
    (
        "list of rates with 分别, one of them wrong",
        "12345热线按时办结率、群众满意率分别为{h.on_time_rate}%、{h.satisfaction_rate!}%。",
        [("consistent", ""), ("inconsistent", "")],
    ),
    (
        "list with 分别 in a carried sentence after a figure-less hotline sentence",
        "我县12345政务服务热线全年运行平稳。受理量、办结量、满意率分别为{t.accepted}件、"
        "{t.closed}件、{h.satisfaction_rate}%。",
        [
            ("consistent", "主语承接上句"),
            ("consistent", "主语承接上句"),
            ("consistent", "主语承接上句"),
        ],
    ),
    (
        "a list with 分别 whose counts do not match is not checkable",
        "12345热线受理、办结、回访分别为{t.accepted}件、{t.closed}件。",
        [("not_checkable", ""), ("not_checkable", "")],
    ),
    (
        "均 after two measures: one figure, read as each (办复率 is not in the data)",
        "12345热线运行平稳。办复率、满意率均达{h.satisfaction_rate}%。",
        [("not_checkable", "主语承接上句"), ("consistent", "主语承接上句")],
    ),
    (
        "bracketed year-on-year change after a count",
        "12345热线受理群众诉求{t.accepted}件（同比增长12.3%），办结{t.closed}件。",
        [("consistent", ""), ("not_checkable", "同比"), ("consistent", "")],
    ),
    (
        "bracketed last-year figure after a carried rate",
        "12345热线受理群众诉求{t.accepted}件。按时办结率{h.on_time_rate}%（上年为95.1%）。",
        [("consistent", ""), ("consistent", "主语承接上句"), ("not_checkable", "比较期")],
    ),
    (
        "sub-scopes in brackets: 话务 and 网络投诉 parts of the total",
        "12345热线受理诉求{t.accepted}件（其中话务{h.accepted}件、网络投诉{o.accepted}件）。",
        [("consistent", ""), ("consistent", ""), ("consistent", "")],
    ),
    (
        "其中: a sub-scope sentence keeps the measure of the sentence before",
        "12345热线全年受理诉求{t.accepted}件，办结率{t.closure_rate}%。"
        "其中话务诉求{h.accepted}件，网络诉求{o.accepted}件。",
        [
            ("consistent", ""),
            ("consistent", ""),
            ("consistent", "指标承接上句「受理」"),
            ("consistent", "指标承接上句「受理」"),
        ],
    ),
    (
        "其中 with a wrong sub-scope count",
        "12345热线全年受理诉求{t.accepted}件。其中网络投诉{o.accepted!}件。",
        [("consistent", ""), ("inconsistent", "指标承接上句「受理」")],
    ),
    (
        "a 网络投诉 subject carries as 网络投诉",
        "网络投诉方面，全年受理{o.accepted}件。办结{o.closed}件，按时办结率{o.on_time_rate}%。",
        [
            ("consistent", ""),
            ("consistent", "主语承接上句「网络投诉」"),
            ("consistent", "主语承接上句「网络投诉」"),
        ],
    ),
    (
        "a 话务 subject carries as 话务: the online rate is wrong for it",
        "话务方面，12345热线受理{h.accepted}件。办结率{o.closure_rate}%。",
        [("consistent", ""), ("inconsistent", "主语承接上句")],
    ),
    (
        "negative: the GDP ends the subject, even in the same sentence as a rate",
        "12345热线群众满意率{h.satisfaction_rate}%。全县地区生产总值增长6.5%，"
        "一般公共预算收入完成3.2亿元。",
        [("consistent", ""), ("not_hotline", ""), ("not_hotline", "")],
    ),
    (
        "negative: after 全县GDP, a satisfaction rate is not the hotline's",
        "12345热线受理诉求{t.accepted}件。全县GDP增长8%，群众满意率99%。",
        [("consistent", ""), ("not_hotline", ""), ("not_hotline", "新主语「全县GDP」")],
    ),
    (
        "negative: 城镇居民人均可支配收入 starts a new subject",
        "12345热线办结率{t.closure_rate}%。城镇居民人均可支配收入达到3.2万元，按时办结率99%。",
        [
            ("consistent", ""),
            ("not_hotline", ""),
            ("not_hotline", "新主语「城镇居民人均可支配收入」"),
        ],
    ),
    (
        "negative: the 信访 office's satisfaction rate right after the hotline sentence",
        "12345热线按时办结率{h.on_time_rate}%。县信访局全年受理信访事项312件，群众满意率97%。",
        [
            ("consistent", ""),
            ("not_hotline", "新主语「县信访局」"),
            ("not_hotline", "新主语「县信访局」"),
        ],
    ),
    (
        "negative: 人大代表建议 and 政协提案 after the hotline, with 均",
        "12345热线满意率{h.satisfaction_rate}%。办理人大代表建议46件、政协提案58件，"
        "办复率、满意率均为100%。",
        [("consistent", ""), ("not_hotline", ""), ("not_hotline", ""), ("not_hotline", "人大")],
    ),
    (
        "negative: another agency in the hotline's own sentence",
        "12345热线满意率{h.satisfaction_rate}%，县人社局办结率95%。",
        [("consistent", ""), ("not_hotline", "新主语「县人社局」")],
    ),
    (
        "negative: another hotline (12348) right after",
        "12345热线满意率{h.satisfaction_rate}%。12348公共法律服务热线群众满意率100%。",
        [("consistent", ""), ("not_hotline", "新主语")],
    ),
    (
        "negative: a programme (一网通办) with its own satisfaction rate",
        "12345热线办结率{t.closure_rate}%。“一网通办”平台群众满意率98%。",
        [("consistent", ""), ("not_hotline", "新主语「“一网通办")],
    ),
    (
        "negative: 全县医疗机构 is a new subject though no word of it is listed",
        "12345热线按时办结率{h.on_time_rate}%。全县医疗机构群众满意率96%。",
        [("consistent", ""), ("not_hotline", "新主语「全县医疗机构」")],
    ),
    (
        "subject ends at a new item (二是); the figure's own clause names its subject",
        "一是畅通诉求渠道，12345热线受理诉求{t.accepted}件。二是优化营商环境，市场主体满意率95%。",
        [("consistent", ""), ("not_hotline", "新主语「市场主体」")],
    ),
    (
        "subject ends at a new item (二是) with no subject of its own",
        "一是畅通诉求渠道，12345热线受理诉求{t.accepted}件。二是全年满意率95%。",
        [("consistent", ""), ("not_hotline", "新的分项「二是」")],
    ),
    (
        "subject ends at a new paragraph",
        "12345热线受理诉求{t.accepted}件。\n满意率{h.satisfaction_rate!}%。",
        [("consistent", ""), ("not_hotline", "另起一段")],
    ),
    (
        "subject ends at a blank line",
        "12345热线受理诉求{t.accepted}件。\n\n群众满意率{h.satisfaction_rate!}%。",
        [("consistent", ""), ("not_hotline", "另起一段")],
    ),
    (
        "subject ends at a heading",
        "12345热线受理诉求{t.accepted}件。\n二、2022年工作打算\n回访率达到100%。",
        [("consistent", ""), ("not_hotline", "标题「二、2022年工作打算」之后")],
    ),
    (
        "a heading that names the hotline is the subject of the paragraph under it",
        "一、12345热线运行情况\n全年受理诉求{t.accepted}件，办结率{t.closure_rate}%，"
        "群众满意率{h.satisfaction_rate}%。",
        [
            ("consistent", "主语承接标题「一、12345热线运行情况」"),
            ("consistent", "主语承接标题"),
            ("consistent", "主语承接标题"),
        ],
    ),
    (
        "a figure-less sentence with a subject of its own ends the subject (conservative)",
        "12345热线受理诉求{t.accepted}件。全县政务服务事项全部实现网上可办。办结率99%。",
        [("consistent", ""), ("not_hotline", "新主语「全县政务服务事项")],
    ),
    (
        "a figure-less sentence without a subject (it opens with a verb) keeps the hotline",
        "12345热线受理诉求{t.accepted}件。作为全市首批试点地区，先行开展工单分类改革。"
        "办结率{t.closure_rate}%。",
        [("consistent", ""), ("consistent", "主语承接上句「12345热线」")],
    ),
    (
        "not about the hotline at all: no subject to carry",
        "全年开展普法宣传100余场次。群众满意率98%。",
        [("not_hotline", ""), ("not_hotline", "")],
    ),
    (
        "工作总结: another area's average in brackets is a benchmark, never the hotline's figure",
        "2021年，全县12345热线满意率{h.satisfaction_rate}%（全省平均为95%），"
        "办结率{h.closure_rate}%（全市平均水平为99.9%）。",
        [
            ("consistent", ""),
            ("not_checkable", "其他地区的对照值"),
            ("consistent", ""),
            ("not_checkable", "其他地区的对照值"),
        ],
    ),
    # --- headings: a sub-heading narrows the hotline heading; a new level-1 heading ends it ---
    (
        "县情通报: a run-in sub-heading (（一）…。) under the hotline heading keeps its subject",
        "二、12345政务服务便民热线运行情况\n（一）办理质效。全年办结率{h.closure_rate}%，"
        "群众满意率{h.satisfaction_rate}%，按时办结率{h.on_time_rate!}%。",
        [
            ("consistent", "主语承接标题「二、12345政务服务便民热线运行"),
            ("consistent", "主语承接标题"),
            ("inconsistent", "主语承接标题"),
        ],
    ),
    (
        "年度总结: four levels of headings (一、 (一) 1. (1)) under the hotline heading",
        "一、12345热线工作开展情况\n（一）办理情况\n1.办结情况。全年办结率{t.closure_rate}%。\n"
        "（1）回访情况：回访率{h.revisit_rate}%。",
        [
            ("consistent", "主语承接标题「一、12345热线工作开展情况」"),
            ("consistent", "主语承接标题「一、12345热线工作开展情况」"),
        ],
    ),
    (
        "工作报告: a new level-1 heading that does not name the hotline ends it, sub-heading too",
        "二、12345热线运行情况\n（一）办理质效。办结率{t.closure_rate}%。\n三、优化营商环境\n"
        "（一）市场主体培育。市场主体满意率95%。",
        [("consistent", "主语承接标题"), ("not_hotline", "新主语「市场主体」")],
    ),
    (
        "工作报告: a new level-1 heading ends the hotline heading for a bare rate",
        "二、12345热线运行情况\n全年受理诉求{t.accepted}件。\n三、法治政府建设\n全年满意率95%。",
        [("consistent", "主语承接标题"), ("not_hotline", "标题「三、法治政府建设」之后")],
    ),
    (
        "月度通报: a sub-heading naming another hotline sets the subject aside for its part only",
        "二、12345热线运行情况\n（一）办理质效。办结率{t.closure_rate}%。\n"
        "（二）12348公共法律服务热线。群众满意率100%。\n（三）办理时效。按时办结率{h.on_time_rate}%。",
        [
            ("consistent", "主语承接标题"),
            ("not_hotline", "小标题「(二)12348公共法律服务热线」另有主语"),
            ("consistent", "主语承接标题「二、12345热线运行情况」"),
        ],
    ),
    (
        "年度总结: items (一是, 二是) under the hotline heading are parts of it",
        "一、12345热线运行情况\n一是受理量稳步增长，全年受理群众诉求{t.accepted}件。"
        "二是办理质效提升，办结率{t.closure_rate}%。",
        [("consistent", "主语承接标题"), ("consistent", "主语承接标题")],
    ),
    (
        "运行情况: captions (表1 …, 单位：件) are not headings that end the hotline's section",
        "二、12345热线运行情况\n（一）受理情况。全年受理诉求{t.accepted}件。\n表1 各渠道受理量\n"
        "单位：件\n（二）办理质效。办结率{t.closure_rate}%。",
        [("consistent", "主语承接标题"), ("consistent", "主语承接标题「二、12345热线运行情况」")],
    ),
    (
        "北京式表述: a 接诉即办 heading names the hotline",
        "二、接诉即办工作情况\n全年受理群众诉求{t.accepted}件，满意率{h.satisfaction_rate}%。",
        [
            ("consistent", "主语承接标题「二、接诉即办工作情况」"),
            ("consistent", "主语承接标题「二、接诉即办工作情况」"),
        ],
    ),
    (
        "工作总结: a title naming the hotline covers every section of the report",
        "某县2021年12345热线工作总结\n一、基本情况\n全年受理诉求{t.accepted}件。\n二、办理质效\n"
        "办结率{t.closure_rate}%。",
        [
            ("consistent", "主语承接标题「某县2021年12345热线工作总结」"),
            ("consistent", "主语承接标题「某县2021年12345热线工作总结」"),
        ],
    ),
    (
        "工作报告: a second paragraph under the hotline heading is still about it",
        "二、12345热线运行情况\n全年受理诉求{t.accepted}件。\n群众满意率{h.satisfaction_rate!}%。",
        [("consistent", "主语承接标题"), ("inconsistent", "主语承接标题")],
    ),
    (
        "工作报告: another body in a paragraph under the hotline heading is still another subject",
        "二、12345热线运行情况\n县信访局受理信访事项312件，群众满意率97%。",
        [("not_hotline", ""), ("not_hotline", "新主语「县信访局」")],
    ),
    # --- the hotline's other names; what the reasons quote ---
    (
        "市民热线 is the hotline, quoted as written",
        "市民热线全年受理群众诉求{t.accepted}件。满意率{h.satisfaction_rate}%。",
        [("consistent", ""), ("consistent", "主语承接上句「市民热线」")],
    ),
    (
        "政务服务便民热线 without 12345 is quoted whole",
        "政务服务便民热线全年受理诉求{t.accepted}件。按时办结率{h.on_time_rate}%。",
        [("consistent", ""), ("consistent", "主语承接上句「政务服务便民热线」")],
    ),
    (
        "接诉即办 in a later sentence is the hotline, not a new subject",
        "12345热线受理诉求{t.accepted}件。全市接诉即办工作群众满意率{h.satisfaction_rate}%。",
        [("consistent", ""), ("consistent", "")],
    ),
    (
        "接诉即办 after 按照 in a lead-in clause: the rate is the hotline's",
        "我县12345热线受理诉求{t.accepted}件。按照接诉即办要求，办结率{t.closure_rate}%。",
        [("consistent", ""), ("consistent", "")],
    ),
    (
        "an object after a verb (督促全县医疗机构…) is not a new subject",
        "12345热线受理诉求{t.accepted}件。督促全县医疗机构整改问题36个，"
        "群众满意率{h.satisfaction_rate}%。",
        [("consistent", ""), ("not_hotline", ""), ("consistent", "主语承接上句「12345热线」")],
    ),
    (
        "an action clause (强化督查督办) then its result: the hotline's rate",
        "12345热线受理诉求{t.accepted}件。强化督查督办，按时办结率{h.on_time_rate!}%。",
        [("consistent", ""), ("inconsistent", "主语承接上句「12345热线」")],
    ),
    (
        "a prepositional phrase (在…下) is no subject: the reason quotes the body after it",
        "12345热线受理诉求{t.accepted}件。在县委县政府的统一领导下，县信访局受理信访事项312件，"
        "群众满意率97%。",
        [("consistent", ""), ("not_hotline", "新主语「县信访局」"), ("not_hotline", "县信访局")],
    ),
    (
        "each clause's reason quotes its own subject (全县医疗机构, then 县人社局)",
        "12345热线受理诉求{t.accepted}件。全县医疗机构满意率96%，县人社局办结率95%。",
        [
            ("consistent", ""),
            ("not_hotline", "新主语「全县医疗机构」"),
            ("not_hotline", "新主语「县人社局」"),
        ],
    ),
    (
        "another body after a preposition (根据县信访局…) is quoted as an object, not a subject",
        "12345热线受理诉求{t.accepted}件。根据县信访局通报，满意率97%。",
        [("consistent", ""), ("not_hotline", "提及其他对象「县信访局")],
    ),
    # --- a part of the orders is the hotline's, but not checkable against all orders ---
    (
        "a category (城乡建设类诉求) in the hotline's sentence is a part",
        "12345热线受理城乡建设类诉求3125件，办结率99%。",
        [("not_checkable", "「城乡建设类」只是部分工单"), ("not_checkable", "部分工单")],
    ),
    (
        "a matter (针对…的诉求) in a lead-in clause makes the carried rate a part",
        "12345热线受理诉求{t.accepted}件。针对全县医疗机构的诉求，办结率98%。",
        [("consistent", ""), ("not_checkable", "部分工单")],
    ),
    (
        "orders sent to one unit (向县人社局转办) are a part, not another subject",
        "12345热线受理诉求{t.accepted}件。向县人社局转办诉求300件。",
        [("consistent", ""), ("not_checkable", "「向县人社局」只是部分工单")],
    ),
    (
        "各类诉求 is all the orders, not a category",
        "今年以来，12345热线共受理各类诉求{t.accepted}件。",
        [("consistent", "")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_paragraphs(
    sample_county: tuple[Path, Path],
    sample_metrics: dict[str, pd.Series],
    text: str,
    expected: list[tuple[str, str]],
) -> None:
    filled = _fill(text, sample_metrics)
    claims = check_claims(filled, sample_county[1], year=2021)
    got = [(c.verdict, c.statement.context, c.reason) for c in claims]
    assert [verdict for verdict, _, _ in got] == [v for v, _ in expected], got
    for (verdict, context, reason), (_, fragment) in zip(got, expected, strict=True):
        assert fragment in context or fragment in reason, (verdict, context, reason)
    for claim in claims:  # a checked figure is compared with the data's own figure
        if claim.verdict in ("consistent", "inconsistent"):
            assert claim.computed is not None
            row = sample_metrics[claim.computed.subject]
            value = row[claim.computed.measure]
            expected_value = 100 * value if claim.computed.denominator is not None else value
            assert claim.computed.value == pytest.approx(expected_value)


def test_the_issue_paragraph_fails_the_command(
    sample_county: tuple[Path, Path], sample_metrics: dict[str, pd.Series], tmp_path: Path
) -> None:
    """The paragraph users tried: the command now exits 1 and shows the data's rates."""
    path = tmp_path / "报告.txt"
    text = (
        "2021年，12345政务服务便民热线受理群众话务诉求{h.accepted}件，办结{h.closed}件，"
        "办结率{h.closure_rate}%。全年群众满意率99%，按时办结率99.5%。"
    )
    path.write_text(_fill(text, sample_metrics), encoding="utf-8")
    output, code = run_check_claims(path, sample_county[1])
    assert code == 1
    hotline = sample_metrics["hotline"]
    assert f"数据为 {_percent(hotline['satisfaction_rate'])}%" in output
    assert f"数据为 {_percent(hotline['on_time_rate'])}%" in output
    assert output.count("依据：主语承接上句「12345政务服务便民热线」") == 2


# ---------------------------------------------------------------------------------------------
# Invariants: a break between two sentences never carries the subject; a full stop does.

_HOTLINE = st.sampled_from(
    [
        "12345热线受理诉求9575件",
        "12345政务服务便民热线运行平稳",
        "市民热线全年办结群众诉求9450件",
        "网络投诉方面，全年受理192件",
    ]
)
_RATE = st.sampled_from(
    ["群众满意率", "按时办结率", "回访率", "办结率", "直接答复率", "回访满意率", "按期办结率"]
)
_BREAK = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\r\n",
        "\n二、下一步工作打算\n",
        "\n(三)强化事中事后监管\n",
        "\n\n一、其他工作\n\n",
    ]
)
_NEW_SUBJECT = st.sampled_from(
    [
        "全县GDP增长8%。",
        "县信访局受理信访事项312件。",
        "城镇居民人均可支配收入3.2万元。",
        "二是优化营商环境。",
    ]
)
_VALUE = st.decimals(min_value=50, max_value=100, places=2)


@settings(max_examples=60, deadline=None)
@given(hotline=_HOTLINE, rate=_RATE, value=_VALUE, cut=_BREAK)
def test_a_paragraph_break_or_heading_never_carries(
    hotline: str, rate: str, value: object, cut: str
) -> None:
    text = f"{hotline}。{cut}{rate}{value}%。"
    last = extract_statements(text)[-1]
    assert not last.about_hotline
    assert "另起一段" in last.context or "标题" in last.context


@settings(max_examples=60, deadline=None)
@given(hotline=_HOTLINE, rate=_RATE, value=_VALUE, other=_NEW_SUBJECT)
def test_a_new_subject_between_never_carries(
    hotline: str, rate: str, value: object, other: str
) -> None:
    text = f"{hotline}。{other}{rate}{value}%。"
    assert not extract_statements(text)[-1].about_hotline


@settings(max_examples=60, deadline=None)
@given(hotline=_HOTLINE, rate=_RATE, value=_VALUE)
def test_the_next_sentence_carries(hotline: str, rate: str, value: object) -> None:
    text = f"{hotline}。全年{rate}{value}%。"
    last = extract_statements(text)[-1]
    assert last.about_hotline and last.context.startswith("主语承接上句")
