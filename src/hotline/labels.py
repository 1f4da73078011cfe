"""One label catalogue for charts and tables, in Simplified Chinese (the default) and English.

Names that already live with their definitions are taken from there, not written twice: rates
from :data:`hotline.metrics.catalogue.RATES`, counts and periods from
:func:`hotline.metrics.display.column_title`, dimensions from the column labels of
:mod:`hotline.schema`. This module adds the words charts need around them: units (件, %, 小时,
天), chart titles, the footnote, notes for empty inputs, legend entries and tick labels.

Keys are plain for what a table column is called (``closure_rate``, ``accepted``, ``town``) and
dotted for chart words (``unit.count``, ``title.trend``, ``note.empty``). A label with ``{fields}``
is a template: pass the fields to :func:`label`.

Example:
    >>> label("closure_rate"), label("closure_rate", "en")
    ('办结率', 'Closure rate')
    >>> label("department"), label("month", "en")
    ('承办单位', 'Month')
    >>> with_unit("accepted", "unit.count")
    '受理量（件）'
    >>> label("note.empty", "en")
    'No data'
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

from hotline import schema
from hotline.errors import HotlineError
from hotline.metrics.catalogue import COUNTS, RATES
from hotline.metrics.display import column_title

__all__ = [
    "LABELS",
    "LANGUAGES",
    "Lang",
    "UnknownLabelError",
    "check_lang",
    "label",
    "translate",
    "with_unit",
]

Lang = Literal["zh", "en"]

#: Languages every label exists in.
LANGUAGES: tuple[Lang, ...] = ("zh", "en")

#: Dimensions charts break figures down by (canonical column names).
_DIMENSIONS = ("town", "department", "topic", "request_type", "channel", "source_kind", "status")

#: Where a chart's wording differs from the table header of the same column.
_DIMENSION_OVERRIDES = {
    # Reports and yearbooks write 乡镇（街道）: towns, with sub-districts in brackets.
    "town": ("乡镇（街道）", "Town (sub-district)"),
}

_PERIODS = ("year", "quarter", "month", "week", "day")

_CHART_WORDS: dict[str, tuple[str, str]] = {
    # Units, and how a name carries its unit on an axis.
    "unit.count": ("件", "orders"),
    "unit.percent": ("%", "%"),
    "unit.hours": ("小时", "hours"),
    "unit.days": ("天", "days"),
    "unit.score": ("分", "points"),
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
    "score": ("综合得分", "Composite score"),
    "other": ("其他", "Other"),
    "not_recorded": ("未填写", "Not recorded"),
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
    "note.score_formula": ("综合得分 = {terms}", "Composite score = {terms}"),
    "note.top_units": (
        "仅列出{measure}最多的 {n} 个单位（共 {total} 个）",
        "Only the {n} units with the most {measure_lower} are shown (of {total})",
    ),
    "note.not_recorded": (
        "另有 {n} 件未填写{dimension}，未列出",
        "{n} orders without a {dimension_lower} are not shown",
    ),
    "note.durations_left_out": (
        "另有 {negative} 件办结时间早于受理时间、{zero} 件办理时长为零，未计入",
        "{negative} orders closed before received and {zero} with zero duration are left out",
    ),
    "note.direct": (
        "另有 {n} 件在受理时直接答复，不进入派单环节",
        "{n} requests answered on the call leave after intake",
    ),
}

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _build() -> Mapping[str, tuple[str, str]]:
    entries: dict[str, tuple[str, str]] = {}
    for key, spec in RATES.items():
        entries[key] = (spec.zh, spec.en)
    for key in (*COUNTS, *_PERIODS):
        entries[key] = (column_title(key, "zh"), column_title(key, "en"))
    for key in _DIMENSIONS:
        entries[key] = _DIMENSION_OVERRIDES.get(
            key, (schema.column_label(key, "zh"), schema.column_label(key, "en"))
        )
    for day, (zh, en) in enumerate(zip(_WEEKDAYS_ZH, _WEEKDAYS_EN, strict=True)):
        entries[f"weekday.{day}"] = (zh, en)
    for month, en in enumerate(_MONTHS_EN, start=1):
        entries[f"month.{month}"] = (f"{month}月", en)
    clashes = set(entries) & set(_CHART_WORDS)
    if clashes:  # pragma: no cover - a programming error caught by the doctests
        raise RuntimeError(f"label keys defined twice: {sorted(clashes)}")
    entries.update(_CHART_WORDS)
    return MappingProxyType(entries)


#: Every label: key -> (Chinese, English).
LABELS: Mapping[str, tuple[str, str]] = _build()


class UnknownLabelError(HotlineError, KeyError):
    """A label key that is not in the catalogue; the message lists the closest keys."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def check_lang(lang: str | None, attrs: Mapping[str, Any] | None = None) -> Lang:
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


_BY_CHINESE = {zh: en for zh, en in LABELS.values() if "{" not in zh}


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
    return _BY_CHINESE.get(text, text)
