"""Facts both the annual report and the monthly bulletin state: volumes, quality, rankings.

Each function records facts on a :class:`~hotline.report.facts.FactSheet` under documented
keys (``<scope>.<figure>``, scope a source kind or ``total``) and returns what the narrative
needs to know to phrase them (which source kinds exist, how many units were ranked).

Example:
    >>> import pandas as pd
    >>> from hotline.report.facts import FactSheet
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
    >>> sheet = FactSheet(df)
    >>> volumes(sheet, {"year": 2021}, {})
    ['hotline', 'online']
    >>> sheet["total.accepted"].text, sheet["online.closure_rate"].text
    ('2件', '100.00%')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hotline.errors import HotlineError
from hotline.labels import check_lang
from hotline.metrics.catalogue import denominator, numerator
from hotline.report.facts import FactSheet, Query

__all__ = [
    "RANKING_COLUMNS",
    "SCOPE_TOTAL",
    "context",
    "coverage_arguments",
    "quality",
    "ranking",
    "ranking_rows",
    "require_period",
    "volumes",
]

#: The scope of figures over every source kind.
SCOPE_TOTAL = "total"

Period = Mapping[str, Any]
Notes = Mapping[str, str]


def _with_orders(table: Any, column: str) -> list[Any]:
    return [key for key, n in zip(table[column], table["accepted"], strict=True) if n > 0]


def require_period(sheet: FactSheet, year: int, month: str | None = None) -> None:
    """Check that the data hold accepted orders in ``year`` (and ``month``).

    Raises:
        HotlineError: Naming the period asked for and the years (or months) the data hold.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> require_period(FactSheet(df), 2020)
        Traceback (most recent call last):
        hotline.errors.HotlineError: 2020年没有受理工单，无法生成报告；有受理工单的年份：2021年
    """
    by_year = sheet.result("summary", {"freq": "year"})
    english = check_lang(None, by_year.attrs) == "en"  # a 311 dataset's errors in English
    years = [int(y) for y in _with_orders(by_year, "year")]
    if year not in years:
        if english:
            held = ", ".join(str(y) for y in years) or "none"
            raise HotlineError(
                f"no request was received in {year}: no report can be written; years with "
                f"requests: {held}"
            )
        held = "、".join(f"{y}年" for y in years) or "无"
        raise HotlineError(f"{year}年没有受理工单，无法生成报告；有受理工单的年份：{held}")
    if month is None:
        return
    months = _with_orders(sheet.result("monthly_trend"), "month")
    if month not in months:
        if english:
            held = ", ".join(m for m in months if m.startswith(f"{year}-")) or "none"
            raise HotlineError(
                f"no request was received in {month}: no bulletin can be written; months of "
                f"{year} with requests: {held}"
            )
        held = "、".join(m for m in months if m.startswith(f"{year}-"))
        raise HotlineError(
            f"{month}没有受理的工单，无法生成月度通报；{year}年有受理工单的月份：{held}"
        )


def context(sheet: FactSheet, period: Period) -> None:
    """When the figures stand (``context.as_of``) and how many exports they come from.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "department": ["县教育局", "县民政局"], "satisfaction": ["satisfied", None]})
        >>> sheet = FactSheet(df)
        >>> context(sheet, {"year": 2021})
        >>> sheet["context.sources"].value  # a hand-built frame has no manifest
        0
    """
    sheet.add(
        "context.as_of",
        "date",
        Query("summary", period, attrs=("as_of",)),
        definition="统计截止时点：此后受理、办结或评价的情况不计入",
    )
    sheet.add(
        "context.sources",
        "files",
        Query("summary", period, attrs=("sources",), measure="len"),
        definition="数据来源的导出文件数（见 tables.xlsx“口径与来源”）",
    )
    span = coverage_arguments(period)
    sheet.add(
        "context.complete",
        "flag",
        Query("coverage", span, column="complete"),
        definition="数据是否覆盖整个统计期间（首条受理不晚于期初、末条受理不早于期末，允许数日）",
    )
    sheet.add(
        "context.coverage",
        "label",
        Query("coverage", span, column="text"),
        definition="数据实际覆盖的日期范围（期间不完整时）",
    )
    sheet.add(
        "context.empty_months",
        "months",
        Query("coverage", span, column="empty_months"),
        definition="统计期间内没有任何受理记录的月份",
    )


def coverage_arguments(period: Period) -> dict[str, int]:
    """``metrics.coverage`` arguments of a report period (``{"year": Y}`` or a month).

    Example:
        >>> coverage_arguments({"month": "2021-03"}), coverage_arguments({"year": 2021})
        ({'year': 2021, 'month': 3}, {'year': 2021})
    """
    if "month" in period:
        year, month = str(period["month"]).split("-")[:2]
        return {"year": int(year), "month": int(month)}
    return {"year": int(period["year"])}


def volumes(sheet: FactSheet, period: Period, notes: Notes) -> list[str]:
    """受理量, 办结量 and 办结率 per source kind and in total (``metrics.headline``).

    Returns:
        The source kinds present, in the headline's order.
    """
    kinds = [k for k in sheet.result("headline", period).index if k != SCOPE_TOTAL]
    d = sheet.definitions
    fraction = {
        "closure.numerator": numerator("closure_rate", d),
        "closure.denominator": denominator("closure_rate", d),
    }
    for scope in [*kinds, SCOPE_TOTAL]:
        for column, kind in (("accepted", "count"), ("closed", "count"), ("closure_rate", "rate")):
            sheet.add(
                f"{scope}.{column}",
                kind,
                Query("headline", period, where={"source_kind": scope}, column=column),
                definition=notes.get(column, ""),
            )
        # a 办结率 whose fraction is not 办结/受理 (beijing: over dispatched orders; orders of
        # unknown status left out) states its own: the counts beside it would not give it
        queries = {key: _scope_query(period, scope, col) for key, col in fraction.items()}
        stated = (sheet[f"{scope}.closed"].value, sheet[f"{scope}.accepted"].value)
        own = (
            sheet.value(queries["closure.numerator"]),
            sheet.value(queries["closure.denominator"]),
        )
        if own[1] and own != stated:
            for key, query in queries.items():
                sheet.add(f"{scope}.{key}", "count", query)
    # what is still open at the as-of time, and how much of it is within its time limit: a
    # low 办结率 of a recent period is read with it
    # of every order whose state is known, not of the 办结率's base (beijing: dispatched only):
    # 受理 9575 − 办结 9450 is what the reader subtracts
    sheet.add(
        f"{SCOPE_TOTAL}.open",
        "count",
        _scope_query(period, SCOPE_TOTAL, "closure_known"),
        base=_scope_query(period, SCOPE_TOTAL, "closed"),
        op="minus",
        definition=notes.get("closure_rate", ""),
    )
    sheet.add(
        f"{SCOPE_TOTAL}.open_in_time",
        "count",
        _scope_query(period, SCOPE_TOTAL, "open_in_time"),
        definition=notes.get("on_time_rate", ""),
    )
    return kinds


def _scope_query(period: Period, scope: str, column: str) -> Query:
    if scope == SCOPE_TOTAL:
        return Query("summary", period, column=column)
    return Query("summary", {"by": "source_kind", **period}, where={"source_kind": scope},
                 column=column)  # fmt: skip


#: Figure -> (kind, the concept whose definition explains it), per scope in ``quality``.
_QUALITY_FIGURES = {
    "on_time_rate": ("rate", "on_time_rate"),
    "due_total": ("count", "on_time_rate"),
    "on_time": ("count", "on_time_rate"),
    "closed_late": ("count", "on_time_rate"),
    "open_overdue": ("count", "on_time_rate"),
    "satisfaction_rate": ("rate", "satisfaction_rate"),
    "satisfaction.numerator": ("count", "satisfaction_rate"),
    "satisfaction.denominator": ("count", "satisfaction_rate"),
    "direct_answer_rate": ("rate", "direct_answer_rate"),
    "direct": ("count", "direct_answer_rate"),
}


def quality(sheet: FactSheet, period: Period, kinds: list[str], notes: Notes) -> None:
    """按时办结率 with its counts, 满意率 with its counts, 直接答复率, per scope (summary).

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "department": ["县教育局", "县民政局"], "satisfaction": ["satisfied", None]})
        >>> sheet = FactSheet(df)
        >>> quality(sheet, {"year": 2021}, ["hotline", "online"], {})
        >>> sheet["hotline.satisfaction_rate"].text, sheet["online.satisfaction_rate"].missing
        ('100.00%', True)
    """
    d = sheet.definitions
    columns = {
        "satisfaction.numerator": numerator("satisfaction_rate", d),
        "satisfaction.denominator": denominator("satisfaction_rate", d),
    }
    for scope in [*kinds, SCOPE_TOTAL]:
        for key, (kind, concept) in _QUALITY_FIGURES.items():
            sheet.add(
                f"{scope}.{key}",
                kind,
                _scope_query(period, scope, columns.get(key, key)),
                definition=notes.get(concept, ""),
            )


def ranking(
    sheet: FactSheet, unit: str, period: Period, notes: Notes, shown: int = 3
) -> tuple[int, int]:
    """How many units were ranked and not, and the best and worst ``shown`` with their scores.

    Keys: ``<unit>.ranked``, ``<unit>.unranked``, ``<unit>.best.<i>.name|score|band`` and
    ``<unit>.worst.<i>.…`` (``worst.0`` is the lowest score).

    Returns:
        How many best and worst units were recorded.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "department": ["县教育局", "县民政局"], "satisfaction": ["satisfied", None]})
        >>> sheet = FactSheet(df)
        >>> ranking(sheet, "department", {"year": 2021}, {})  # one order each: none ranked
        (0, 0)
        >>> sheet["department.unranked"].text
        '2个'
    """
    arguments = {"unit": unit, **period}
    ranked = sheet.add(
        f"{unit}.ranked",
        "units",
        Query("rank_units", arguments, present=("rank",), measure="rows"),
        definition=notes.get("score", ""),
    )
    sheet.add(
        f"{unit}.unranked",
        "units",
        Query("rank_units", arguments, where={"rank": None}, measure="rows"),
        definition=notes.get("score", ""),
    )
    # units the data know that had no order in the period: neither ranked nor unranked, and
    # a reader counting the units would miss them
    sheet.add(
        f"{unit}.idle",
        "units",
        Query("summary", {"by": unit}, present=(unit,), measure="rows"),
        base=Query("summary", {"by": unit, **period}, present=(unit,), measure="rows"),
        op="minus",
        definition=notes.get("unit", ""),
    )
    best = min(shown, ranked.value)
    worst = min(shown, ranked.value - best)
    if worst:
        top, bottom = (
            sheet.value(
                Query("rank_units", arguments, present=("rank",), position=p, column="score")
            )
            for p in (0, -1)
        )
        if top == bottom:  # every unit alike (all 100.00): no 较低的 to name
            worst = 0
    for side, count in (("best", best), ("worst", worst)):
        for i in range(count):
            position = i if side == "best" else -(i + 1)
            name = sheet.add(
                f"{unit}.{side}.{i}.name",
                "label",
                Query("rank_units", arguments, present=("rank",), position=position, column=unit),
                definition=notes.get("unit", ""),
            )
            for column, kind in (("score", "score"), ("band", "label")):
                sheet.add(
                    f"{unit}.{side}.{i}.{column}",
                    kind,
                    Query("rank_units", arguments, where={unit: name.value}, column=column),
                    definition=notes.get("score", ""),
                )
    return best, worst


#: Columns of a ranking table, with the kind each cell is written as.
RANKING_COLUMNS = (
    ("rank", "int"),
    ("accepted", "int"),
    ("closure_rate", "rate"),
    ("on_time_rate", "rate"),
    ("satisfaction_rate", "rate"),
    ("score", "decimal"),
    ("band", "label"),
)


def ranking_rows(sheet: FactSheet, unit: str, period: Period, notes: Notes) -> int:
    """Every row of a ranking as facts ``<unit>.row.<i>.name|rank|accepted|…|band``.

    Returns:
        The number of rows.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline", "online"],
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2,
        ...     "department": ["县教育局", "县民政局"], "satisfaction": ["satisfied", None]})
        >>> sheet = FactSheet(df)
        >>> ranking_rows(sheet, "department", {"year": 2021}, {})
        2
        >>> sheet["department.row.0.band"].text, sheet["department.row.0.rank"].missing
        ('不参评', True)
    """
    arguments = {"unit": unit, **period}
    rows = sheet.value(Query("rank_units", arguments, measure="rows"))
    for i in range(rows):
        name = sheet.add(
            f"{unit}.row.{i}.name",
            "label",
            Query("rank_units", arguments, position=i, column=unit),
            definition=notes.get("unit", ""),
        )
        for column, kind in RANKING_COLUMNS:
            sheet.add(
                f"{unit}.row.{i}.{column}",
                kind,
                Query("rank_units", arguments, where={unit: name.value}, column=column),
                definition=notes.get(column, notes.get("score", "")),  # rank, score, band
            )
    return rows
