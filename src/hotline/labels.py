"""One label catalogue: every display word, in Simplified Chinese (the default) and English.

Tables printed by the command line, CSV and workbook headers, charts, report prose, notebooks and
the demo all take their words from here. Names that are declared with what they name are read
from there, not written twice: counts and rates from the metric catalogue (through one function,
:func:`metric_labels`), canonical columns and codes from :mod:`hotline.schema`. Everything else
is declared below: periods, columns only tables have, the ingest account's columns, preset
names, workbook sheets, chart words, the demo's lines.

Keys are plain for what a column or chart axis is called (``closure_rate``, ``accepted``,
``town``, ``month``) and dotted for the rest (``column.score``, ``definitions.beijing``,
``unit.count``, ``note.empty``). A label with ``{fields}`` is a template: pass the fields to
:func:`label`. A table header is :func:`column_title` (a table writes 乡镇/街道 where a chart
writes 乡镇（街道）); a preset's name is :func:`definitions_title`.

Example:
    >>> label("closure_rate"), label("closure_rate", "en")
    ('办结率', 'Closure rate')
    >>> label("department"), label("month", "en")
    ('承办单位', 'Month')
    >>> with_unit("accepted", "unit.count")
    '受理量（件）'
    >>> column_title("closure_rate_mom_pp"), column_title("town", "en")
    ('办结率环比(百分点)', 'Town')
    >>> definitions_title("beijing"), definitions_title("default, as of 2021-06-30")
    ('北京“三率”口径', 'default, as of 2021-06-30')
    >>> label("note.empty", "en")
    'No data'
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal

from hotline import schema
from hotline.availability import INFORMATION
from hotline.errors import HotlineError
from hotline.typed import Attrs

__all__ = [
    "LABELS",
    "LANGUAGES",
    "Lang",
    "UnknownLabelError",
    "check_lang",
    "column_title",
    "definitions_title",
    "label",
    "metric_labels",
    "translate",
    "with_unit",
]

Lang = Literal["zh", "en"]

#: Languages every label exists in.
LANGUAGES: tuple[Lang, ...] = ("zh", "en")


def metric_labels() -> Mapping[str, tuple[str, str]]:
    """(Chinese, English) name of every count and rate, from the metric declarations.

    The one place labels read metric names: a metric is named where it is declared
    (:mod:`hotline.metrics.declarations`), including one a test registers. Imported when first
    asked, so that the metrics package may itself use this module.

    Example:
        >>> metric_labels()["on_time_rate"]
        ('按时办结率', 'On-time closure rate')
    """
    from hotline.metrics.declarations import active

    return _names_of(active())


@functools.lru_cache(maxsize=8)
def _names_of(catalogue: Any) -> Mapping[str, tuple[str, str]]:
    names = {key: (spec.zh, spec.en) for key, spec in catalogue.rates.items()}
    names.update({key: (f.zh, f.en) for key, f in catalogue.flags.items() if f.shown})
    return MappingProxyType(names)


#: Periods of breakdowns and trends (``metrics.summary(freq=...)``).
_PERIODS = {
    "year": ("年份", "Year"),
    "quarter": ("季度", "Quarter"),
    "month": ("月份", "Month"),
    "week": ("周", "Week"),
    "day": ("日期", "Date"),
}

#: Dimensions charts break figures down by (canonical column names).
_DIMENSIONS = ("town", "department", "topic", "request_type", "channel", "source_kind", "status")

#: Where a chart's wording differs from the table header of the same column.
_DIMENSION_OVERRIDES = {
    # Reports and yearbooks write 乡镇（街道）: towns, with sub-districts in brackets.
    "town": ("乡镇（街道）", "Town (sub-district)"),
}

#: Headers of columns only tables have (report workbooks, rankings, provenance), and of the
#: changes a trend adds to a count or rate (``accepted_mom``, ``closure_rate_mom_pp``).
_TABLE_WORDS: dict[str, tuple[str, str]] = {
    "column.score": ("综合评分", "Composite score"),
    "column.rank": ("名次", "Rank"),
    "column.band": ("档次", "Band"),
    "column.due_total": ("应按时办结", "Due"),
    "column.item": ("项目", "Item"),
    "column.formula": ("计算公式", "Formula"),
    "column.note": ("口径说明", "Definition"),
    "column.name": ("文件名", "File name"),
    "column.kind": ("来源类别", "Source kind"),
    "column.sha256": ("SHA-256(前12位)", "SHA-256 (first 12)"),
    "column.rows_in": ("读入行数", "Rows read"),
    "column.written": ("写入工单数", "Orders written"),
    "column.mom": ("环比", "Month on month"),
    "column.yoy": ("同比", "Year on year"),
    "change.mom": ("{name}环比", "{name}, month on month"),
    "change.yoy": ("{name}同比", "{name}, year on year"),
    "change.mom_pp": ("{name}环比(百分点)", "{name}, month on month (pp)"),
    "change.yoy_pp": ("{name}同比(百分点)", "{name}, year on year (pp)"),
    "change.rolling3": ("{name}三个月滑动平均", "{name}, 3-month rolling mean"),
    "total": ("合计", "Total"),
    # A rate's exact fraction beside it in a CSV (hotline.metrics.display.for_export).
    "fraction.numerator": ("{name}分子", "{name} numerator"),
    "fraction.denominator": ("{name}分母", "{name} denominator"),
    # The ingest account as a table (hotline.dataset.account_table).
    "account.file": ("文件", "File"),
    "account.kind": ("类别", "Kind"),
    "account.snapshot_at": ("快照时间", "Snapshot at"),
    "account.rows_in": ("读入", "Rows in"),
    "account.written": ("写入", "Written"),
    "account.merged": ("合并", "Merged"),
    "account.rejected": ("拒收", "Rejected"),
    "account.blank_rows": ("空行", "Blank rows"),
    "account.unparseable": ("无法识别的值", "Unreadable values"),
    "account.header_row": ("表头行", "Header row"),
    # The ingest account in English (hotline.ingestion.report): the information an export may
    # lack (declared in hotline.availability) and what a column's values should be.
    **{f"information.{i.key}": (i.zh, i.en) for i in INFORMATION.values()},
    "expected.datetime": ("日期时间", "a date and time"),
    "expected.integer": ("整数", "a whole number"),
    "expected.yes_no": ("是或否", "yes or no"),
    # Columns of notebook tables: a rate's 95% interval, the quality checks, the rejects.
    "interval.of": ("{name}（95% 置信区间）", "{name} (95% confidence interval)"),
    "column.label": ("检查项", "Check"),
    "column.rule": ("判断规则", "Rule"),
    "column.count": ("件数", "Count"),
    "column.base": ("基数", "Base"),
    "column.explanation": ("拒收原因", "Why rejected"),
    "column.column": ("字段", "Field"),
    "column.header": ("原表头", "Header"),
    "column.expected": ("应为", "Expected"),
    "column.value": ("原值", "Value"),
    # tables.xlsx: sheets and the provenance sheet's blocks.
    "sheet.month": ("按月", "By month"),
    "sheet.department": ("按承办单位", "By department"),
    "sheet.town": ("按乡镇", "By town"),
    "sheet.request_type": ("按诉求类型", "By request type"),
    "sheet.topic": ("按业务分类", "By topic"),
    "sheet.provenance": ("口径与来源", "Definitions and sources"),
    "block.definitions": ("指标口径", "Definitions"),
    "block.sources": ("数据来源", "Sources"),
    "block.no_sources": (
        "数据来源：数据未附带导入清单（manifest），无法列出来源文件",
        "Sources: the data carry no ingest manifest; the source files cannot be listed",
    ),
    "block.standing": ("统计时点", "As of"),
    "item.as_of": ("统计截止时点", "Figures as of"),
    "item.definitions": ("口径名称", "Definitions"),
    # A group without a name: in a workbook cell, and in a terminal table (ASCII brackets keep
    # the columns of a fixed-width print aligned).
    "unnamed.cell": ("（未填）", "(not recorded)"),
    # an export's snapshot time that is only the date in its file name
    "snapshot.from_name": ("{day}（据文件名）", "{day} (from the file name)"),
    # tables.xlsx: the group without a name, then why its orders have none (counted apart).
    "unnamed.group": ("未填{dimension}", "No {dimension_lower} recorded"),
    "unnamed.of_which": ("其中：{reason}", "of which: {reason_lower}"),
    "unnamed.direct": ("直接答复，无承办单位", "Answered directly, no department by design"),
    "unnamed.kind": ("{kind}（未填{dimension}）", "{kind} without a {dimension_lower}"),
    "unnamed.other": ("未填写", "Not recorded"),
    # under a terminal table: the unnamed group's orders by why (as tables.xlsx splits them)
    "unnamed.breakdown": (
        "{unnamed}的{n}件中：{parts}",
        "{unnamed}: of its {n} requests, {parts}",
    ),
    # tables.xlsx: a data sheet's title, 单位 row and printed footer.
    "table.title": ("附表{n} {period}{subject}", "Table A{n}. {subject}, {period}"),
    "table.subject.month": ("各月受理办理情况", "Requests by month"),
    "table.subject.department": ("各承办单位办理情况", "Requests by department"),
    "table.subject.town": ("各乡镇（街道）办理情况", "Requests by town"),
    "table.subject.request_type": ("各类诉求办理情况", "Requests by request type"),
    "table.subject.topic": ("各业务分类办理情况", "Requests by topic"),
    "table.period.year": ("{year}年", "{year}"),
    "table.period.month": ("{year}年{month}月", "{month_name} {year}"),
    "table.period.months": ("{year}年{first}—{last}月", "{first_name}–{last_name} {year}"),
    "table.unit": ("单位：{units}", "Unit: {units}"),
    "table.unit.separator": ("、", ", "),
    "table.footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
    # `hotline demo`: the sample's figures.
    "demo.heading": ("== 年度口径（2021 年，示例县示例数据） ==", "== 2021, the sample county =="),
    "demo.figures": (
        "{kind}：受理 {accepted}，办结 {closed}，办结率 {rate}",
        "{kind}: {accepted} accepted, {closed} closed, closure rate {rate}",
    ),
    "demo.kind.hotline": ("12345 热线话务", "12345 hotline calls"),
    "demo.kind.online": ("网络投诉", "Online complaints"),
}

_CHART_WORDS: dict[str, tuple[str, str]] = {
    # Units, and how a name carries its unit on an axis.
    "unit.count": ("件", "requests"),
    "unit.percent": ("%", "%"),
    "unit.hours": ("小时", "hours"),
    "unit.days": ("天", "days"),
    "unit.score": ("分", "points"),
    "unit.pp": ("百分点", "percentage points"),
    "unit.hour_of_day": ("时", "h"),
    "axis.with_unit": ("{name}（{unit}）", "{name} ({unit})"),
    "value.count": ("{value} 件", "{value}"),
    "value.hours": ("{value} 小时", "{value} h"),
    "value.days": ("{value} 天", "{value} days"),
    "value.score": ("{value} 分", "{value}"),
    "value.rate_of": (
        "{value}（{numerator}/{denominator}）",
        "{value} ({numerator}/{denominator})",
    ),
    # Chart titles.
    "title.trend": ("月度{count}与{rate}", "{count} orders and {rate_lower} by month"),
    "title.rates": ("各{dimension}{rate}", "{rate} by {dimension_lower}"),
    "title.ranking": ("{dimension}综合评价红黑榜", "Best and worst by {dimension_lower}"),
    "title.weekday_hour": ("受理量时段分布", "Requests by weekday and hour"),
    "title.pareto": ("{dimension}受理量及累计占比", "Requests by {dimension_lower}"),
    "title.funnel": ("工单办理环节转化", "Work orders through the process"),
    "title.duration": ("办理时长分布", "Handling time"),
    # Axis and legend words.
    "weekday": ("星期", "Weekday"),
    "hour": ("受理时段", "Hour received"),
    "handling_time": ("办理时长", "Handling time"),
    "stage": ("办理环节", "Stage"),
    "share": ("占比", "Share"),
    "cumulative_share": ("累计占比", "Cumulative share"),
    "score": ("综合评分", "Composite score"),
    "other": ("其他", "Other"),
    "not_recorded": ("未填写", "Not recorded"),
    "name.undrawable": ("（名称无法显示）", "(name cannot be displayed)"),
    "pareto.entry": ("{count} 件 · 累计 {share}", "{count} · cumulative {share}"),
    "legend.overall": ("总体 {value}", "Overall {value}"),
    "legend.interval": ("95% 置信区间", "95% confidence interval"),
    "funnel.of_previous": ("较上一环节 {value}", "{value} of previous stage"),
    "funnel.of_first": ("占受理 {value}", "{value} of accepted"),
    "duration.stats": (
        "中位数 {median}；90% 分位数 {p90}",
        "Median {median}; 90th percentile {p90}",
    ),
    # 红黑榜 and bands (the bands of hotline.metrics.rankings.DEFAULT_BANDS).
    "ranking.red": ("红榜（前 {n} 名）", "Best {n}"),
    "ranking.black": ("黑榜（后 {n} 名）", "Worst {n}"),
    "ranking.entry": ("{score} 分 · {band}", "{score} · {band}"),
    "band.excellent": ("优秀", "Excellent"),
    "band.good": ("良好", "Good"),
    "band.fair": ("一般", "Fair"),
    "band.poor": ("较差", "Poor"),
    "band.unranked": ("不参评", "Not ranked"),
    "list.red": ("红榜", "Best list"),
    "list.black": ("黑榜", "Worst list"),
    # Footnote: where the figure comes from, as of when, under which definitions.
    "footnote": (
        "数据来源：{sources}；统计截至：{as_of}；口径：{definition}",
        "Source: {sources}; as of {as_of}; definition: {definition}",
    ),
    "footnote.files": ("{first} 等 {n} 个文件", "{first} and {more} more files"),
    "footnote.not_stated": ("未注明", "not stated"),
    "footnote.separator": ("、", ", "),
    "footnote.formula": ("{definition}（{formula}）", "{definition} ({formula})"),
    "definitions.default": ("默认口径", "default"),
    "definitions.beijing": ("北京“三率”口径", "Beijing"),
    "definitions.strict": ("严格口径", "strict"),
    "definitions.us311": ("美国 311 口径", "US 311"),
    "definitions.custom": ("自定义口径", "custom"),
    # Notes shown instead of, or under, a chart.
    "note.empty": ("无数据", "No data"),
    "note.single_month": ("仅一个月数据，无法显示趋势", "Only one month of data: no trend to show"),
    "note.no_ranked": ("没有达到参评条件的单位", "No unit qualifies for ranking"),
    "note.unranked": (
        "另有 {n} 个单位受理量少于 {min_volume} 件或无评价数据，不参评",
        "{n} more units with fewer than {min_volume} orders or no rated data are not ranked",
    ),
    "note.unranked_any": ("另有 {n} 个单位不参评", "{n} more units are not ranked"),
    "note.score_formula": ("综合评分 = {terms}", "Composite score = {terms}"),
    "note.top_units": (
        "仅列出{measure}最多的 {n} 个单位（共 {total} 个）",
        "Only the {n} units with the most {measure_lower} are shown (of {total})",
    ),
    "note.not_recorded": (
        "另有 {n} 件未填写{dimension}，未列出",
        "{n} orders without a {dimension_lower} are not shown",
    ),
    "note.not_recorded_direct": (
        "另有 {n} 件没有{dimension}，未列出（其中直接答复 {direct} 件，无需{dimension}）",
        "{n} requests without a {dimension_lower} are not shown ({direct} answered directly, "
        "which need none)",
    ),
    "note.durations_left_out": (
        "另有 {negative} 件办结时间早于受理时间、{zero} 件办理时长为零，未计入",
        "{negative} orders closed before received and {zero} with zero duration are left out",
    ),
    "note.direct": (
        "另有 {n} 件在受理时直接答复，不进入派单环节",
        "{n} requests answered on the call leave after intake",
    ),
    # Charts that agree with the report's text (issue 13): the funnel's base and omitted
    # stages, months still within their time limit, broken axes, day kinds.
    "title.funnel_base": ("{title}（{base}）", "{title} ({base_lower})"),
    "funnel.base": ("以受理量{n}件为基数", "Base: {n} accepted"),
    "funnel.split": ("其中派单 {dispatched} 件", "{dispatched} dispatched"),
    "funnel.split_direct": ("直接答复 {direct} 件", "{direct} answered directly"),
    "funnel.split_rest": ("其余 {rest} 件无派单记录", "{rest} with no dispatch record"),
    "note.funnel_base": ("{rate}的分母为{base} {n} 件", "{rate} is over {base_lower}: {n}"),
    "funnel.rate": ("{rate} {value}", "{rate} {value}"),
    "note.funnel_rates": (
        "条形长度以受理量为基数；右侧为各环节对应的指标，括号内为其分子/分母",
        "Bar lengths are shares of accepted requests; at right, each stage's own rate "
        "(numerator/denominator)",
    ),
    "note.stages_left_out": ("未显示{stages}环节（{reason}）", "{stages} not shown ({reason})"),
    "reason.no_information": ("导出中没有相关信息", "the export holds no such information"),
    "legend.pending": ("统计截止时仍在办理期限内", "Within time limit at as-of"),
    "legend.pending_open": ("统计截止时尚未办结（未超期）", "Open, not past due, at as-of"),
    "pending.month": ("{month} {n} 件", "{month} {n}"),
    "pending.month_overdue": (
        "{month} {n} 件（另有超期未办结 {overdue} 件）",
        "{month} {n} (plus {overdue} open past due)",
    ),
    "note.pending": (
        "斜线部分为统计截止时仍在办理期限内（期限按工作日计）的工单：{months}；"
        "所列月份的{rate}尚非最终结果（空心点）",
        "Hatched: requests still within their time limit (working days) at the as-of time: "
        "{months}; the listed months' {rate_lower} is not final (hollow points)",
    ),
    "note.pending_open": (
        "斜线部分为统计截止时尚未办结、未超期的工单：{months}；所列月份的{rate}尚非最终结果（空心点）",
        "Hatched: requests open but not past due at the as-of time: {months}; the listed months' "
        "{rate_lower} is not final (hollow points)",
    ),
    "note.axis_break": (
        "横轴在 0 与 {floor} 之间截断（// 处），条形自 0 起",
        "The axis is broken between 0 and {floor} (at //); bars start at 0",
    ),
    "handling_time.natural": (
        "办理时长（自然日，自受理至办结）",
        "Handling time (calendar days, received to closed)",
    ),
    "note.natural_days": (
        "办理时长按自然日计（24 小时为 1 天，含节假日），不是工作日",
        "Handling time in calendar days (24 hours, holidays included), not working days",
    ),
}

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _words() -> Mapping[str, tuple[str, str]]:
    """Every label but the metrics' names: nothing here needs the metrics package."""
    entries: dict[str, tuple[str, str]] = dict(_PERIODS)
    for key in _DIMENSIONS:
        entries[key] = _DIMENSION_OVERRIDES.get(
            key, (schema.column_label(key, "zh"), schema.column_label(key, "en"))
        )
    for day, (zh, en) in enumerate(zip(_WEEKDAYS_ZH, _WEEKDAYS_EN, strict=True)):
        entries[f"weekday.{day}"] = (zh, en)
    for month, en in enumerate(_MONTHS_EN, start=1):
        entries[f"month.{month}"] = (f"{month}月", en)
    for words in (_TABLE_WORDS, _CHART_WORDS):
        clashes = set(entries) & set(words)
        if clashes:  # pragma: no cover - a programming error caught by the doctests
            raise RuntimeError(f"label keys defined twice: {sorted(clashes)}")
        entries.update(words)
    return MappingProxyType(entries)


_WORDS = _words()


class _Catalogue(Mapping[str, tuple[str, str]]):
    """The words above, then the metrics' names, read when first asked for.

    The metric names come from the metrics package, which imports modules that use labels (a
    table's headers, the ingest account's columns): they cannot be read when this module loads.
    """

    def __getitem__(self, key: str) -> tuple[str, str]:
        if key in _WORDS:
            return _WORDS[key]
        return metric_labels()[key]

    def __contains__(self, key: object) -> bool:
        return key in _WORDS or key in metric_labels()

    def __iter__(self) -> Iterator[str]:
        yield from metric_labels()
        yield from _WORDS

    def __len__(self) -> int:
        return len(metric_labels()) + len(_WORDS)


#: Every label: key -> (Chinese, English). A metric's key is never one of the other words'
#: (checked by the tests).
LABELS: Mapping[str, tuple[str, str]] = _Catalogue()


class UnknownLabelError(HotlineError, KeyError):
    """A label key that is not in the catalogue; the message lists the closest keys."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def check_lang(lang: str | None, attrs: Attrs | None = None) -> Lang:
    """Return ``lang`` if labels exist in it, else raise a clear error.

    Without a language, the data's own (``attrs["language"]`` of a metric result, from the
    ingest profile: English for 311 data), else Chinese.

    Example:
        >>> check_lang("en"), check_lang(None, {"language": "en"}), check_lang(None)
        ('en', 'en', 'zh')
    """
    if lang is None:
        lang = (attrs or {}).get("language") or "zh"
    if lang not in LANGUAGES:
        raise HotlineError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang  # type: ignore[return-value]


def label(key: str, lang: str = "zh", /, **fields: Any) -> str:
    """The display label of ``key`` in ``lang``, with template ``fields`` filled in.

    Args:
        key: A key of :data:`LABELS`.
        lang: ``zh`` (Simplified Chinese) or ``en``.
        **fields: Values for a template's ``{placeholders}``. English templates use
            ``{<field>_lower}`` for a name mid-sentence ("Closure rate by department").

    Raises:
        UnknownLabelError: ``key`` is not in the catalogue (a ``KeyError``); the message names the
            closest keys.

    Example:
        >>> label("title.rates", dimension="承办单位", rate="办结率")
        '各承办单位办结率'
        >>> label("closure_rat")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        hotline.labels.UnknownLabelError: unknown label 'closure_rat'; closest: closure_rate, ...
    """
    check_lang(lang)
    try:
        zh, en = LABELS[key]
    except KeyError:
        close = difflib.get_close_matches(key, LABELS, n=5, cutoff=0.5)
        hint = f"closest: {', '.join(close)}" if close else "see hotline.labels.LABELS"
        raise UnknownLabelError(f"unknown label {key!r}; {hint}") from None
    text = zh if lang == "zh" else en
    if not fields:
        return text
    lowered = {f"{name}_lower": _lower_first(value) for name, value in fields.items()}
    return text.format(**lowered, **fields)


#: Suffixes :func:`hotline.metrics.monthly_trend` adds to a count or rate, longest first.
_CHANGES = ("mom_pp", "yoy_pp", "rolling3", "mom", "yoy")


def column_title(column: str, lang: str = "zh") -> str:
    """The header of a table column; the column's name when the catalogue does not know it.

    A period, a count or rate, a canonical column, a column only tables have, or a trend's
    change of a count or rate (``accepted_mom``, ``closure_rate_mom_pp``). A table keeps the
    schema's name of a column (乡镇/街道) where a chart may word it otherwise (乡镇（街道）,
    :func:`label`).

    Example:
        >>> column_title("month"), column_title("town"), column_title("score")
        ('月份', '乡镇/街道', '综合评分')
        >>> column_title("accepted_mom"), column_title("satisfaction_rate_yoy_pp", "en")
        ('受理量环比', 'Satisfaction rate, year on year (pp)')
        >>> column_title("no_such_column")
        'no_such_column'
    """
    lang = check_lang(lang)
    if f"column.{column}" in LABELS:
        return label(f"column.{column}", lang)
    if column in _PERIODS or column in metric_labels():
        return label(column, lang)
    try:
        return schema.column_label(column, lang)
    except KeyError:
        pass
    for change in _CHANGES:
        base = column.removesuffix(f"_{change}")
        if base != column and base in metric_labels():
            return label(f"change.{change}", lang, name=label(base, lang))
    # a chart's word (占比, 办理环节), not a dotted key or a template
    plain = column in LABELS and "." not in column and "{" not in LABELS[column][0]
    return label(column, lang) if plain else column


def definitions_title(name: str, lang: str = "zh") -> str:
    """How a footnote or report names a set of definitions: a preset's title, else its name.

    Example:
        >>> definitions_title("strict"), definitions_title("beijing", "en")
        ('严格口径', 'Beijing')
        >>> definitions_title("local-2022")
        'local-2022'
    """
    key = f"definitions.{name}"
    return label(key, lang) if key in LABELS else name


def _lower_first(value: Any) -> Any:
    """``Closure rate`` -> ``closure rate`` mid-sentence; acronyms (``SMS``) stay as they are."""
    if not isinstance(value, str) or value[1:2].isupper():
        return value
    return value[:1].lower() + value[1:]


def with_unit(name: str, unit: str, lang: str = "zh") -> str:
    """An axis title: the label of ``name`` with the label of ``unit`` in brackets.

    Example:
        >>> with_unit("closure_rate", "unit.percent", "en")
        'Closure rate (%)'
    """
    return label("axis.with_unit", lang, name=label(name, lang), unit=label(unit, lang))


@functools.cache
def _by_chinese() -> Mapping[str, str]:
    return {zh: en for zh, en in LABELS.values() if "{" not in zh}


def translate(text: str, lang: str = "zh") -> str:
    """A Chinese word carried in data (a band, 红榜, 周一) in ``lang``; unknown words unchanged.

    Metric results hold some display words in Chinese only (the bands of ``rank_units``, the
    weekday labels of ``weekday_hour``); an English chart shows them through this.

    Example:
        >>> translate("优秀", "en"), translate("周日", "en"), translate("县教育局", "en")
        ('Excellent', 'Sun', '县教育局')
    """
    if check_lang(lang) == "zh":
        return text
    return _by_chinese().get(text, text)


def time_text(when: Any, lang: str = "zh") -> str:
    """A time to the minute as a reader's text writes it, in every output alike.

    Example:
        >>> time_text("2022-01-04 08:28:04"), time_text("2022-01-01 00:00:00")
        ('2022年1月4日8时28分', '2022年1月1日0时')
        >>> time_text("2022-01-04 08:28:04", "en")
        'January 4, 2022, 08:28'
    """
    import calendar

    import pandas as pd

    stamp = pd.Timestamp(when)
    if lang == "en":
        return f"{calendar.month_name[stamp.month]} {stamp.day}, {stamp.year}, {stamp:%H:%M}"
    minutes = f"{stamp.minute}分" if stamp.minute else ""
    return f"{stamp.year}年{stamp.month}月{stamp.day}日{stamp.hour}时{minutes}"


def date_text(when: Any, lang: str = "zh") -> str:
    """A day as a reader's text writes it (a time whose hour is not known, e.g. a file name's).

    Example:
        >>> date_text("2021-08-03 00:00:00"), date_text("2021-08-03", "en")
        ('2021年8月3日', 'August 3, 2021')
    """
    import calendar

    import pandas as pd

    stamp = pd.Timestamp(when)
    if lang == "en":
        return f"{calendar.month_name[stamp.month]} {stamp.day}, {stamp.year}"
    return f"{stamp.year}年{stamp.month}月{stamp.day}日"
