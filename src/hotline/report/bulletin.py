"""The monthly bulletin (月度通报): one month's figures, 环比, and the department ranking table.

Written to ``<reports>/<year>/<YYYY-MM>/bulletin.md`` (see :mod:`hotline.report.build`), from
facts like the annual report: the month's volumes and rates (``<scope>.*``), the change from the
month before (``mom.*``, from ``metrics.monthly_trend`` over all the data, so January compares
with the December before it), and every row of the month's department ranking
(``department.row.<i>.*``).

Example:
    >>> import pandas as pd
    >>> days = pd.date_range("2021-05-01", "2021-06-30 23:00", freq="9h")
    >>> df = pd.DataFrame({"order_id": [str(i) for i in range(len(days))],
    ...     "source_kind": "hotline", "received_at": days, "department": "县教育局",
    ...     "status": ["received" if d.month == 6 and d.day > 27 else "closed" for d in days]})
    >>> sheet = bulletin_facts(df, "2021-06")
    >>> sheet["mom.accepted"].text, sheet["mom.closure_rate"].text
    ('下降3.61%', '下降10个百分点')
"""

from __future__ import annotations

from collections.abc import Mapping

from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Data
from hotline.report.collect import (
    RANKING_COLUMNS,
    context,
    quality,
    ranking,
    ranking_rows,
    require_period,
    volumes,
)
from hotline.report.facts import FactSheet, Query
from hotline.report.headers import column_header
from hotline.report.narrative import (
    Footnotes,
    chart_section,
    lead,
    quality_paragraphs,
    ranking_paragraph,
    scheme_sentence,
    shown,
    volume_paragraph,
)
from hotline.report.notes import add_parameters, notes
from hotline.report.numbers import month_text

__all__ = ["BULLETIN_UNIT", "bulletin_facts", "render_bulletin"]

#: The unit the bulletin ranks.
BULLETIN_UNIT = "department"
_MOM_RATES = ("closure_rate", "on_time_rate", "satisfaction_rate")


def month_on_month(sheet: FactSheet, month: str, texts: Mapping[str, str]) -> bool:
    """环比 of volume (relative) and of the rates (percentage points), ``mom.*``.

    The changes are missing when either month is not wholly covered by the data or has fewer
    than ``min_change_base`` requests (``mom.complete`` and ``mom.previous.complete`` say
    which).

    Returns:
        Whether the data hold the month before (else nothing is recorded).

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["县教育局"] * 2})
        >>> from collections import defaultdict
        >>> sheet = FactSheet(df)
        >>> month_on_month(sheet, "2021-06", defaultdict(str)), sheet["mom.accepted"].missing
        (True, True)
    """
    series = Query("monthly_trend")
    months = list(sheet.result(series.function, series.kwargs)["month"])
    position = months.index(month)
    if position == 0:
        return False
    before = months[position - 1]
    same_year = before[:4] == month[:4]
    sheet.add(
        "mom.previous.month",
        "month" if same_year else "month_with_year",
        Query("monthly_trend", position=position - 1, column="month"),
        definition=texts["trend"],
    )
    sheet.add(
        "mom.previous.accepted",
        "count",
        Query("monthly_trend", where={"month": before}, column="accepted"),
        definition=texts["accepted"],
    )
    for key, name in (("mom.complete", month), ("mom.previous.complete", before)):
        sheet.add(
            key,
            "flag",
            Query("monthly_trend", where={"month": name}, column="complete"),
            definition="数据是否覆盖该月全月",
        )
    sheet.add(
        "mom.accepted",
        "change",
        Query("monthly_trend", where={"month": month}, column="accepted_mom"),
        definition=texts["mom"],
    )
    for rate in _MOM_RATES:
        sheet.add(
            f"mom.{rate}",
            "pp",
            Query("monthly_trend", where={"month": month}, column=f"{rate}_mom_pp"),
            definition=texts["mom"],
        )
    return True


def bulletin_facts(
    data: Data, month: str, definitions: Definitions | str | None = None
) -> FactSheet:
    """Every fact of the bulletin of ``month`` (``YYYY-MM``).

    Args:
        data: Canonical DataFrame or dataset path.
        month: The month reported, ``YYYY-MM``.
        definitions: :class:`Definitions` or preset name.

    Raises:
        HotlineError: No accepted orders in ``month``.
    """
    sheet = FactSheet(data, definitions)
    require_period(sheet, int(month[:4]), month)
    period = {"month": month}
    add_parameters(sheet, {"unit": BULLETIN_UNIT, **period})
    texts = notes(sheet)
    context(sheet, period)
    kinds = volumes(sheet, period, texts)
    quality(sheet, period, kinds, texts)
    month_on_month(sheet, month, texts)
    ranking(sheet, BULLETIN_UNIT, period, texts)
    ranking_rows(sheet, BULLETIN_UNIT, period, texts)
    return sheet


def _changes(sheet: FactSheet, notes: Footnotes) -> str:
    if "mom.accepted" not in sheet:
        return "数据中没有上月的工单，无法计算环比。"
    if sheet["mom.accepted"].missing:
        partial = [
            label
            for key, label in (("mom.previous.complete", "上月"), ("mom.complete", "本月"))
            if not sheet[key].value
        ]
        why = (
            f"{'和'.join(partial)}数据不完整"
            if partial
            else f"受理量不足{sheet.definitions.min_change_base}件，基数过小"
        )
        return (
            f"上月（{sheet['mom.previous.month'].text}）受理"
            f"{sheet['mom.previous.accepted'].text}；{why}，不作环比比较。"
        )
    parts = [
        f"受理量{sheet['mom.accepted'].text}{notes.ref('mom')}"
        f"（上月受理{sheet['mom.previous.accepted'].text}）"
    ]
    for rate in _MOM_RATES:
        change = sheet[f"mom.{rate}"]
        name = column_header(rate)
        parts.append(f"{name}无法比较（本月或上月没有可计算的记录）" if change.missing
                     else f"{name}{change.text}")  # fmt: skip
    return f"与上月（{sheet['mom.previous.month'].text}）相比，{'，'.join(parts)}。"


def _cell(sheet: FactSheet, key: str) -> str:
    fact = sheet[key]
    return "—" if fact.missing else shown(fact)  # a name's | is escaped, numbers have none


def ranking_table(sheet: FactSheet, unit: str) -> list[str]:
    """The ranking as a Markdown table: every unit, unranked ones last with 不参评.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["县教育局"] * 2})
        >>> sheet = FactSheet(df)
        >>> _ = ranking_rows(sheet, "department", {"month": "2021-06"}, {})
        >>> ranking_table(sheet, "department")[2]
        '| — | 县教育局 | 1 | 100.00% | — | — | 100.00 | 不参评 |'
    """
    columns = ["rank", unit, *(c for c, _ in RANKING_COLUMNS if c != "rank")]
    keys = {unit: "name"}
    lines = [
        "| " + " | ".join(column_header(c) for c in columns) + " |",
        "|" + "|".join("---" if c in (unit, "band") else "---:" for c in columns) + "|",
    ]
    i = 0
    while f"{unit}.row.{i}.name" in sheet:
        cells = [_cell(sheet, f"{unit}.row.{i}.{keys.get(c, c)}") for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
        i += 1
    return lines


def render_bulletin(sheet: FactSheet, month: str, charts: Mapping[str, str] | None = None) -> str:
    """The bulletin as Markdown.

    Args:
        sheet: Facts from :func:`bulletin_facts`.
        month: The month reported, ``YYYY-MM``.
        charts: Chart key -> image path relative to the bulletin.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["县教育局"] * 2})
        >>> render_bulletin(bulletin_facts(df, "2021-06"), "2021-06").splitlines()[0]
        '# 2021年6月12345政务服务便民热线运行情况通报'
    """
    footnotes = Footnotes(notes(sheet))
    when = month_text(month, with_year=True)
    lines = [
        f"# {when}12345政务服务便民热线运行情况通报",
        "",
        lead(sheet, when),
        "",
        "## 一、总体情况",
        "",
        volume_paragraph(sheet, when, footnotes),
        "",
        _changes(sheet, footnotes),
        "",
        "## 二、办理质效",
        "",
    ]
    for paragraph in quality_paragraphs(sheet, "本月", footnotes):
        lines += [paragraph, ""]
    lines += [
        "## 三、承办单位排名",
        "",
        scheme_sentence(sheet, footnotes),
        "",
        ranking_paragraph(sheet, BULLETIN_UNIT),
        "",
        *ranking_table(sheet, BULLETIN_UNIT),
        "",
    ]
    lines += chart_section(charts or {}, "## 四、附图")
    lines += footnotes.lines()
    return "\n".join(lines).rstrip() + "\n"
