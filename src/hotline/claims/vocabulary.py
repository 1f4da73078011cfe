"""The words that tell what a figure in a report is about: subjects, measures, qualifiers.

The words for the figures hotline computes are declared with the figures
(:mod:`hotline.metrics.declarations`); this module adds the figures the data cannot give.
Each table maps the words reports use to one code; ``docs/claims.md`` lists them for readers.
Matching is longest first, so 按时办结率 wins over 办结率 and 办结, and 不超过 over 超过.

Example:
    >>> MEASURES[MEASURE_WORDS["结案率"]].zh
    '办结率'
    >>> QUALIFIER_WORDS["逾"], QUALIFIER_WORDS["不足"]
    ('more_than', 'less_than')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from hotline.metrics.declarations import CATALOGUE

__all__ = [
    "ACTION_WORDS",
    "ALL_OF",
    "BENCHMARK",
    "CARRY_WORDS",
    "CHANGE",
    "EARLIER",
    "HEADING_MARKS",
    "MEASURES",
    "MEASURE_WORDS",
    "OCR_FIXES",
    "ORDER_UNITS",
    "OTHER_HOTLINE",
    "OTHER_SUBJECT",
    "PART_SCOPE",
    "PLATFORM_PHRASE",
    "QUALIFIERS",
    "QUALIFIER_SUFFIXES",
    "QUALIFIER_WORDS",
    "RELEVANT",
    "RESPECTIVELY",
    "SUBJECTS",
    "SUBJECT_WORDS",
    "SUB_SCOPE",
    "TOPIC_MARKER",
    "Measure",
    "alternation",
]

Kind = Literal["count", "rate"]


def alternation(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``words``, longest first.

    Example:
        >>> alternation(["办结", "办结率"]).findall("办结率")
        ['办结率']
    """
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered))


#: OCR slips seen in scanned reports, each replaced by a word of the same length so that
#: offsets into the original text stay valid. A look-ahead keeps real words (平合作) intact.
OCR_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile("平合(?![作同理])"), "平台"),
    (re.compile("活务"), "话务"),
    (re.compile("受埋"), "受理"),
    (re.compile("办洁"), "办结"),
    (re.compile("回仿"), "回访"),
    (re.compile("满竟"), "满意"),
)

#: Subjects a figure can be about, in Chinese.
SUBJECTS: Mapping[str, str] = MappingProxyType(
    {
        "hotline": "话务（热线来电）",
        "online": "网络投诉（网上留言）",
        "total": "话务与网络投诉合计",
        "unspecified": "12345热线（未区分话务与网络投诉）",
    }
)

# 接诉即办 is Beijing's name for the 12345 mechanism: the hotline, not another subject.
_PLATFORM = ("12345", "热线", "便民热线", "政务服务热线", "市民热线", "接诉即办")
_PHONE = ("话务", "来电", "电话诉求", "电话渠道")
_ONLINE = (
    "网络投诉",
    "网上投诉",
    "网络诉求",
    "网上诉求",
    "网络留言",
    "网上留言",
    "留言",
    "网络渠道",
    "网上渠道",
    "网络问政",
)

#: Word -> subject code.
SUBJECT_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(_PLATFORM, "unspecified"),
        **dict.fromkeys(_PHONE, "hotline"),
        **dict.fromkeys(_ONLINE, "online"),
        "合计": "total",
        "总计": "total",
    }
)

#: A sentence is about the hotline when it holds one of these (other hotlines masked first).
RELEVANT = alternation([*_PLATFORM, "话务", *_ONLINE])

#: Another hotline (12348 法律服务热线, 12315 …): its figures are not the 12345 hotline's. A
#: number other than 12345 (not a date: 2021年以来热线… is ours), or 法律/法援, before 热线
#: within the same phrase.
OTHER_HOTLINE = re.compile(
    r"(?:(?<!\d)(?!12345(?!\d))\d{3,6}(?![\d年月日号])[^\d,;:、。!?]{0,10}?"
    r"|法律[^\d,;:、。!?]{0,6}?|法援)热线"
)


@dataclass(frozen=True)
class Measure:
    """A figure a report can state.

    Attributes:
        key: A count flag or rate key of :mod:`hotline.metrics` (``accepted``,
            ``closure_rate``), or a code for a figure the work-order data cannot give.
        zh: Chinese name.
        kind: ``count`` (件) or ``rate`` (%).
        held: Whether the work-order data holds it.
        as_rate: For a count, the rate a percentage after it means (办结 98% = 办结率).
        why_not: Why the data cannot give it (for measures not held).
    """

    key: str
    zh: str
    kind: Kind
    held: bool = True
    as_rate: str | None = None
    why_not: str = ""


_CALLS = "工单数据只记录受理的诉求，不记录呼入、接听的电话（需话务系统的呼叫记录）"


def _held() -> tuple[tuple[Measure, tuple[str, ...]], ...]:
    """The figures the work-order data hold, with their words, from the metric declarations."""
    catalogue = CATALOGUE
    counts = tuple(
        (Measure(f.key, f.claim_zh or f.zh, "count", as_rate=catalogue.rate_of(f.key)), f.words)
        for f in catalogue.flags.values()
        if f.words
    )
    rates = tuple((Measure(r.key, r.zh, "rate"), r.words) for r in catalogue.rates.values())
    return counts + rates


#: Figures reports state that the work-order data cannot give, with the words for them.
_NOT_HELD: tuple[tuple[Measure, tuple[str, ...]], ...] = (
    (
        Measure("calls", "来电量", "count", held=False, why_not=_CALLS),
        ("来电量", "来电总量", "话务量", "呼入量", "接听量", "接通量", "接听", "呼入", "呼出"),
    ),
    (
        Measure("connection_rate", "接通率", "rate", held=False, why_not=_CALLS),
        ("接通率", "人工接通率", "15秒接通率"),
    ),
    (
        Measure(
            "reply_rate",
            "办复率",
            "rate",
            held=False,
            why_not="办复率（答复并办结）的口径各地不一，数据未定义此指标",
        ),
        ("办复率", "答复率", "回复率"),
    ),
    (
        Measure(
            "sign_rate",
            "签收率",
            "rate",
            held=False,
            why_not="数据未定义签收时限，无法计算及时签收率",
        ),
        ("签收率", "及时签收率", "按时签收率"),
    ),
    (
        Measure(
            "feedback_rate",
            "反馈率",
            "rate",
            held=False,
            why_not="数据未定义反馈时限，无法计算按时反馈率",
        ),
        ("反馈率", "按时反馈率"),
    ),
    (
        Measure("redo_rate", "重办率", "rate", held=False, why_not="数据不含发回重办的记录"),
        ("重办率",),
    ),
    (
        Measure(
            "first_contact_rate",
            "一次办结率",
            "rate",
            held=False,
            why_not="一次办结率（首呼解决率）口径不一（话务员当场办结，或承办单位未经退回办结）",
        ),
        ("一次办结率", "一次性办结率", "首呼解决率", "一次解决率"),
    ),
)

_ALL = (*_held(), *_NOT_HELD)

#: Measure key -> the measure: the figures of :mod:`hotline.metrics.declarations` (their
#: names and words are declared there), then those the data cannot give.
MEASURES: Mapping[str, Measure] = MappingProxyType({m.key: m for m, _ in _ALL})

#: Word -> measure key.
MEASURE_WORDS: Mapping[str, str] = MappingProxyType(
    {word: m.key for m, words in _ALL for word in words}
)

#: Units that count work orders (a count measure with another unit is not about orders).
ORDER_UNITS = frozenset({"", "件", "个", "条", "宗", "单", "起", "例", "次", "人次", "件次", "项"})

#: Qualifiers: code -> Chinese description of what the figure claims.
QUALIFIERS: Mapping[str, str] = MappingProxyType(
    {
        "exact": "等于",
        "at_least": "不低于",
        "more_than": "超过",
        "at_most": "不超过",
        "less_than": "低于",
        "approximately": "约",
        "change": "变化（增减）",
        "earlier": "比较期数值",
        "benchmark": "其他地区的对照值",
    }
)

#: Words before a figure -> qualifier. 高达 stresses a figure, it does not bound it.
QUALIFIER_WORDS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("达到", "达", "不低于", "不少于", "至少"), "at_least"),
        **dict.fromkeys(("超过", "逾", "超", "高于", "多于", "突破"), "more_than"),
        **dict.fromkeys(("不超过", "不高于", "不多于", "至多", "最多"), "at_most"),
        **dict.fromkeys(("不到", "低于", "不足", "少于", "未达到", "未满"), "less_than"),
        **dict.fromkeys(("约", "约为", "大约", "近", "接近", "将近", "大概"), "approximately"),
        **dict.fromkeys(("高达", "为", "共", "计"), "exact"),
    }
)

#: Words right after a figure -> qualifier (9000件以上).
QUALIFIER_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        "以上": "at_least",
        "以下": "at_most",
        "以内": "at_most",
        "左右": "approximately",
        "上下": "approximately",
    }
)

#: A figure after one of these words is a change (同比增长5%), not a level, unless the word is
#: followed by 至/到/为 (提高到98%).
CHANGE = re.compile(
    r"(?:同比|环比|较上年|比上年|较去年|比去年|增长|下降|减少|增加|提高|提升|上升|降低|增幅|降幅)"
    r"(?![至到为])"
)

#: 分别: the figures after it belong, in order, to the subjects named before it.
RESPECTIVELY = "分别"

#: 均/都: one figure after a list of measures is the value of each (办复率、满意率均达100%).
ALL_OF = re.compile("(?<![平人])均(?![衡匀等])|都")

#: A figure after one of these is the comparison period's (上年为97.2%), not the year checked.
EARLIER = re.compile(
    r"(?:上年同期|去年同期|上年度|上一年|上年|去年|前年|上季度|上月|上期)(?=\s*[为是:])"
)

#: A figure after one of these is another area's average, a benchmark (全省平均为95%): not the
#: hotline's own figure, so never checked as one.
BENCHMARK = re.compile(
    r"(?:全国|全省|全市|全区|全州|全盟|省|市|同类地区|各县(?:市)?区|兄弟县(?:市)?区)"
    r"(?:的)?(?:平均|均值)(?:水平)?"
)

#: How a report names the 12345 platform in full (12345政务服务便民热线, 政务服务便民热线,
#: 市民服务热线), for quoting it.
PLATFORM_PHRASE = re.compile(
    r"12345[^\d,;:、。!?()]{0,12}?(?:热线|平台)"
    r"|(?:政务服务便民|政务服务|市民服务|便民服务|政府服务|便民|市民|市长|民生|政务|服务)热线|"
    + "|".join(sorted(_PLATFORM, key=len, reverse=True))
)

#: Words that restrict a figure to a part of the hotline's orders: a category (城乡建设类诉求),
#: a matter (涉及医疗机构的诉求, 针对…的投诉) or one unit (向县人社局转办). The data's figure is
#: of all orders, so such a figure is about the hotline but cannot be checked against it.
PART_SCOPE = re.compile(
    r"(?:涉及|针对|关于|有关)(?!的)[^,;:。]{1,16}?(?=的|类|方面|问题|诉求|工单|事项|投诉|咨询)"
    r"|向[^,;:。]{1,12}?(?=转办|转派|派发|交办|派单|移交|移送)"
    r"|(?<![各此该这同一两二三四五六七八九十\d])[\u4e00-\u9fff]{2,4}(?<![各此该这同每某几两诸多门种])类"
    r"(?=诉求|工单|问题|事项|投诉|咨询|求助|建议|案件|\d)"
)

#: Numbered headings of a report by level, outermost first, as 公文 number them: 第一部分 / 一、 /
#: (一) / 1. / (1). A sub-heading narrows the heading above it; a heading of the same or an outer
#: level replaces it.
HEADING_MARKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s*第[一二三四五六七八九十]+(?:部分|篇|章)"),
    re.compile(r"\s*[一二三四五六七八九十]+、"),
    re.compile(r"\s*\([一二三四五六七八九十]+\)"),
    re.compile(r"\s*\d{1,2}(?:\.(?!\d)|、)"),
    re.compile(r"\s*\(\d{1,2}\)"),
)

#: Words that open a clause with an action (a verb) although jieba tags them otherwise (优化 vn,
#: 畅通 a, 紧盯 z, 压实 n): the noun after them is the action's object, not a new subject.
ACTION_WORDS = frozenset(
    {"优化", "畅通", "紧盯", "压实", "深入开展", "经过努力", "拓宽", "织密", "打通", "规范"}
)

#: A sentence that opens a sub-scope of the one before (其中话务9383件) keeps its measure.
SUB_SCOPE = re.compile(r"\s*(?:其中|内含)")

#: A sentence that opens with one of these starts a new item of the report (二是, (三), 2.):
#: the hotline subject of the item before does not carry into it.
TOPIC_MARKER = re.compile(
    r"\s*(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[,、是]|其[一二三四五六七八九十][,、]"
    r"|[一二三四五六七八九十]+、|\([一二三四五六七八九十\d]+\)|\d{1,2}[.、](?!\d)"
    r"|首先|其次|再次|最后)"
)

#: Another body or another indicator as a clause's subject (信访, 人大代表建议, GDP, 县人社局 …):
#: figures after it are not the hotline's, even in a sentence that names the hotline.
OTHER_SUBJECT = re.compile(
    r"GDP|生产总值|可支配收入|财政|公共预算|税收|固定资产投资|消费品零售|进出口|招商引资"
    r"|信访|人大|政协|议案|提案|代表建议|信箱|政务服务中心|政务大厅|营商环境|一网通办|政务公开"
    r"|依申请公开|法律援助|援助案件|复议|诉讼|审计|执法|医保|社保卡|学校|医院"
    r"|[市县区省镇乡][\u4e00-\u9fff]{1,8}?(?:局|委员会|法院|检察院|办公室)"
    r"|□+"  # another hotline, masked (12348 法律服务热线)
)

#: Words that name no new subject: time, scope of the same orders, verbs and particles of a
#: figure's phrase. A clause whose words before and around its figures are only these, the
#: measures, the qualifiers and the hotline's own subjects continues the subject before it
#: (全年群众满意率99%); any other word starts a new one (全县GDP增长8%).
CARRY_WORDS = re.compile(
    r"\d{4}\s*年度?|\d{1,2}\s*[-—~至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月份?|\d{1,2}\s*日"
    r"|[一二三四]季度|第[一二三四]季度|前三季度|[上下]半年"
    r"|全年度|全年|今年|当年|本年度|本年|年内|年度|年底|年末|月底|本月|当月|本期|当期|同期"
    r"|截至目前|截至|截止|目前|期间|其中|此外|另外|同时|并且|以及|并|且|和|与|及|或"
    r"|共计|总计|合计|累计|共|总量|总数|平均|整体|总体|综合|各类|全部|所有|群众|诉求|工单"
    r"|案件|承办单位|承办部门|责任单位|办理时长|平均用时|用时|时长|办理|实现|保持|稳定在|第一时间"
    r"|达到|为|是|分别|均|都|也|还|已|再|进一步|持续|继续|有效|在|的|了|得|使|对|将|被"
    r"|件|个|次|天|工作日|小时"
    r"|[\s.,;:、\"'“”‘’《》〈〉<>()\[\]【】%％-]"
)
