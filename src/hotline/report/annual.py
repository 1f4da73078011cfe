"""The facts of the annual report: the year's figures, trend, composition and rankings.

Keys (see ``docs/report.md``): ``context.*``, ``param.*``, ``<scope>.*`` for each source kind
and ``total``, ``previous.*`` (when the data hold the year before), ``trend.*``, ``type.*``,
``topic.*``, ``department.*`` and ``town.*``.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-03-01", "2021-04-01", "2021-04-02"]),
    ...     "status": ["closed"] * 3, "topic": ["供暖", "供暖", "教育"]})
    >>> sheet = annual_facts(df, 2021)
    >>> sheet["trend.peak.0.month"].text, sheet["topic.0.name"].text, sheet["topic.0.share"].text
    ('4月', '供暖', '66.67%')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Data
from hotline.report.collect import (
    SCOPE_TOTAL,
    context,
    quality,
    ranking,
    require_period,
    volumes,
)
from hotline.report.facts import Fact, FactSheet, Query
from hotline.report.notes import add_parameters, notes

__all__ = ["PEAK_MONTHS", "TOP_TOPICS", "UNITS", "annual_facts"]

#: How many of the busiest months, and of the largest topics, the report names.
PEAK_MONTHS = 3
TOP_TOPICS = 5
#: The units ranked, in the order the report presents them.
UNITS = ("department", "town")

Notes = Mapping[str, str]


def _total(period: Mapping[str, Any], column: str) -> Query:
    return Query("headline", period, where={"source_kind": SCOPE_TOTAL}, column=column)


def previous_year(sheet: FactSheet, year: int, notes: Notes) -> bool:
    """同比 of volume and 办结率 when the data hold the year before (``previous.*``).

    The change is recorded only when the data cover both years wholly and each has at least
    ``min_change_base`` requests; otherwise only last year's volume and coverage are.

    Returns:
        Whether the data hold the year before.

    Example:
        >>> import pandas as pd
        >>> days = pd.date_range("2020-01-01", "2021-12-31", freq="5D")
        >>> df = pd.DataFrame({"order_id": [str(i) for i in range(len(days))],
        ...     "source_kind": "hotline", "received_at": days, "status": "closed"})
        >>> from collections import defaultdict
        >>> sheet = FactSheet(df)
        >>> previous_year(sheet, 2021, defaultdict(str)), sheet["previous.accepted_yoy"].text
        (True, '下降1.35%')
        >>> sheet = FactSheet(df[df["received_at"] >= "2020-07-01"])  # half a year before
        >>> previous_year(sheet, 2021, defaultdict(str)), "previous.accepted_yoy" in sheet
        (True, False)
    """
    now, before = {"year": year}, {"year": year - 1}
    years = Query("summary", {"freq": "year"}, where={"year": year - 1})
    if not sheet.value(replace(years, measure="rows")) or not sheet.value(
        replace(years, column="accepted")
    ):
        return False
    sheet.add(
        "previous.accepted", "count", _total(before, "accepted"), definition=notes["accepted"]
    )
    sheet.add(
        "previous.complete",
        "flag",
        Query("coverage", before, column="complete"),
        definition="上年数据是否覆盖全年",
    )
    # a change is stated only between two whole years, each with a base worth comparing
    comparable = (
        sheet.value(Query("coverage", now, column="complete"))
        and sheet["previous.complete"].value
        and min(sheet.value(_total(now, "accepted")), sheet["previous.accepted"].value)
        >= sheet.definitions.min_change_base
    )
    if not comparable:
        return True
    sheet.add(
        "previous.accepted_yoy",
        "change",
        _total(now, "accepted"),
        base=_total(before, "accepted"),
        op="change",
        definition=notes["yoy"],
    )
    sheet.add(
        "previous.closure_rate_pp",
        "pp",
        _total(now, "closure_rate"),
        base=_total(before, "closure_rate"),
        op="pp",
        definition=notes["yoy"],
    )
    return True


def trend(sheet: FactSheet, year: int, notes: Notes) -> int:
    """The busiest and quietest months, the largest rise, the month least closed (``trend.*``).

    Returns:
        The number of months in the trend (nothing is recorded for fewer than two).

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
        ...     "received_at": pd.to_datetime(["2020-03-01", "2021-03-01", "2021-04-01"]),
        ...     "status": ["closed", "closed", "received"], "topic": ["供暖", "供暖", None]})
        >>> from collections import defaultdict
        >>> sheet = FactSheet(df)
        >>> trend(sheet, 2021, defaultdict(str)), sheet["trend.closure_low.month"].text
        (2, '4月')
    """
    series = Query("monthly_trend", {"year": year})
    months = sheet.add(
        "trend.months", "int", replace(series, measure="rows"), definition=notes["trend"]
    ).value
    if months < 2:
        return months

    def month(key: str, pick: Query) -> Fact:
        return sheet.add(key, "month", replace(pick, column="month"), definition=notes["trend"])

    def cell(key: str, name: str, column: str, kind: str, concept: str) -> None:
        query = replace(series, where={"month": name}, column=column)
        sheet.add(key, kind, query, definition=notes[concept])

    busiest = replace(series, order_by="accepted")
    # months without a single request are said apart (没有受理记录): never a peak or the low
    empty = int((sheet.result("monthly_trend", {"year": year})["accepted"] == 0).sum())
    active = months - empty
    most = sheet.value(replace(busiest, position=0, column="accepted"))
    if active >= 2 and most != sheet.value(
        replace(busiest, position=-1 - empty, column="accepted")
    ):
        # a busiest and a quietest month exist only when the months differ
        for i in range(min(PEAK_MONTHS, active - 1)):
            name = month(f"trend.peak.{i}.month", replace(busiest, position=i)).value
            cell(f"trend.peak.{i}.accepted", name, "accepted", "count", "accepted")
        quietest = replace(busiest, ascending=True, position=empty)
        name = month("trend.low.month", quietest).value
        cell("trend.low.accepted", name, "accepted", "count", "accepted")

    rises = replace(series, present=("accepted_mom",), order_by="accepted_mom")
    if sheet.value(replace(rises, measure="rows")) and (
        sheet.value(replace(rises, position=0, column="accepted_mom")) > 0
    ):
        name = month("trend.rise.month", replace(rises, position=0)).value
        cell("trend.rise.accepted_mom", name, "accepted_mom", "change", "mom")

    least = replace(series, present=("closure_rate",), order_by="closure_rate", ascending=True)
    rated = sheet.value(replace(least, measure="rows"))
    if rated < 2 or sheet.value(replace(least, position=0, column="closure_rate")) == (
        sheet.value(replace(least, position=-1, column="closure_rate"))
    ):
        return months  # no 办结率 to rank (the export lacks closure), or all months alike
    name = month("trend.closure_low.month", replace(least, position=0)).value
    cell("trend.closure_low.closure_rate", name, "closure_rate", "rate", "closure_rate")
    row = replace(series, where={"month": name})
    sheet.add(
        "trend.closure_low.open",
        "count",
        replace(row, column="closure_known"),  # every order still open, as the chart counts
        base=replace(row, column="closed"),
        op="minus",
        definition=notes["closure_rate"],
    )
    return months


def composition(sheet: FactSheet, year: int, notes: Notes) -> None:
    """Request types and the largest topics by volume, with their shares of the year's volume.

    Keys: ``type.<i>.*`` (the unlabelled ones ``type.missing.*``) and ``topic.<i>.*``.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
        ...     "received_at": pd.to_datetime(["2020-03-01", "2021-03-01", "2021-04-01"]),
        ...     "status": ["closed", "closed", "received"], "topic": ["供暖", "供暖", None]})
        >>> from collections import defaultdict
        >>> sheet = FactSheet(df)
        >>> composition(sheet, 2021, defaultdict(str))
        >>> sheet["topic.0.share"].text, sheet["type.missing.share"].text
        ('50.00%', '100.00%')
    """
    period = {"year": year}
    whole = Query("summary", period, column="accepted")
    types = Query("summary", {"by": "type", **period})
    labelled = replace(types, present=("request_type",), order_by="accepted")
    for i in range(sheet.value(replace(labelled, measure="rows"))):
        if not sheet.value(replace(labelled, position=i, column="accepted")):
            break
        code = sheet.add(
            f"type.{i}.code",
            "request_type",
            replace(labelled, position=i, column="request_type"),
            definition=notes["request_type"],
        ).value
        _share(sheet, f"type.{i}", replace(types, where={"request_type": code}), whole, notes)
    unlabelled = replace(types, where={"request_type": None})
    if sheet.value(replace(unlabelled, measure="rows")):
        _share(sheet, "type.missing", unlabelled, whole, notes)
    if "type.0.code" in sheet:  # the 合计 row of the report's table of types
        _share(sheet, "type.total", replace(whole, column=None), whole, notes)

    topics = Query("summary", {"by": "topic", **period})
    named = replace(topics, present=("topic",), order_by="accepted")
    named_rows = sheet.value(replace(named, measure="rows"))
    for i in range(min(TOP_TOPICS, named_rows)):
        name = sheet.add(
            f"topic.{i}.name",
            "label",
            replace(named, position=i, column="topic"),
            definition=notes["topic"],
        ).value
        _share(sheet, f"topic.{i}", replace(topics, where={"topic": name}), whole, notes)
    untagged = replace(topics, where={"topic": None})
    if named_rows and sheet.value(replace(untagged, measure="rows")):
        _share(sheet, "topic.missing", untagged, whole, notes)


def _share(sheet: FactSheet, key: str, group: Query, whole: Query, notes: Notes) -> None:
    accepted = replace(group, column="accepted")
    sheet.add(f"{key}.accepted", "count", accepted, definition=notes["accepted"])
    sheet.add(f"{key}.share", "share", accepted, base=whole, op="share", definition=notes["share"])


def annual_facts(data: Data, year: int, definitions: Definitions | str | None = None) -> FactSheet:
    """Every fact of the annual report of ``year``.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported.
        definitions: :class:`Definitions` or preset name.

    Returns:
        The facts, in the order the report uses them.

    Raises:
        HotlineError: No accepted orders in ``year``.
    """
    sheet = FactSheet(data, definitions)
    require_period(sheet, year)
    period = {"year": year}
    add_parameters(sheet, {"unit": UNITS[0], **period})
    texts = notes(sheet)
    context(sheet, period)
    kinds = volumes(sheet, period, texts)
    quality(sheet, period, kinds, texts)
    previous_year(sheet, year, texts)
    trend(sheet, year, texts)
    composition(sheet, year, texts)
    for unit in UNITS:
        ranking(sheet, unit, period, texts)
    return sheet
