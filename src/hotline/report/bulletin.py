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
from hotline.report.document import (
    Block,
    Column,
    Document,
    Heading,
    Paragraph,
    Table,
    to_markdown,
)
from hotline.report.facts import Fact, FactSheet, Query
from hotline.report.headers import column_header, unit_line
from hotline.report.narrative import (
    Footnotes,
    chart_blocks,
    lead,
    quality_paragraphs,
    ranking_paragraph,
    scheme_sentence,
    subject,
    table_cell,
    volume_paragraph,
)
from hotline.report.notes import add_parameters, notes
from hotline.report.numbers import month_text
from hotline.report.wording import english_cell

__all__ = [
    "BULLETIN_UNIT",
    "bulletin_document",
    "bulletin_facts",
    "ranking_tables",
    "render_bulletin",
]

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


def _rows(sheet: FactSheet, unit: str) -> list[str]:
    """The row keys of a ranking, ``<unit>.row.<i>``, in the ranking's order."""
    keys, i = [], 0
    while f"{unit}.row.{i}.name" in sheet:
        keys.append(f"{unit}.row.{i}")
        i += 1
    return keys


def _columns(unit: str, names: tuple[str, ...], lang: str = "zh") -> tuple[Column, ...]:
    return tuple(
        Column(column_header(c, lang), "left", name=True) if c == unit
        else Column(column_header(c, lang), "center" if c == "band" else "right")
        for c in names
    )  # fmt: skip


def ranking_tables(sheet: FactSheet, unit: str, lang: str = "zh") -> list[Table]:
    """The ranked units (名次 order), then the units not ranked in a table of their own.

    A unit below the minimum volume has a score from a handful of orders (often 100.00): it is
    listed apart, by volume, without score or band, so it is never read as a place in the
    ranking.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["县教育局"] * 2})
        >>> sheet = FactSheet(df)
        >>> _ = ranking_rows(sheet, "department", {"month": "2021-06"}, {})
        >>> add_parameters(sheet, {"unit": "department", "month": "2021-06"})
        >>> [t.title for t in ranking_tables(sheet, "department")]
        ['未参加排名的承办单位（受理量不足20件）']
        >>> from hotline.report.document import plain_text
        >>> [plain_text(c) for c in ranking_tables(sheet, "department")[0].rows[0]]
        ['县教育局', '1', '100.00%', '—', '—']
        >>> ranking_tables(sheet, "department", "en")[0].title
        'Agency: not ranked (fewer than 20 requests)'
    """
    label = column_header(unit, lang)

    def cell(fact: Fact) -> str:
        return table_cell(fact) if lang == "zh" else english_cell(fact, sheet)

    keys = {unit: "name"}
    ranked = [k for k in _rows(sheet, unit) if not sheet[f"{k}.rank"].missing]
    unranked = sorted(
        (k for k in _rows(sheet, unit) if sheet[f"{k}.rank"].missing),
        key=lambda k: -sheet[f"{k}.accepted"].value,
    )
    tables = []
    if ranked:
        names = ("rank", unit, *(c for c, _ in RANKING_COLUMNS if c != "rank"))
        rows = [tuple(cell(sheet[f"{k}.{keys.get(c, c)}"]) for c in names) for k in ranked]
        title = f"{label}综合评分排名" if lang == "zh" else f"{label} ranking by composite score"
        unit_text = unit_line(("count", "rate", "score"), lang)
        tables.append(Table(title, _columns(unit, names, lang), tuple(rows), unit=unit_text))
    if unranked:
        names = (unit, "accepted", *_MOM_RATES)
        rows = [tuple(cell(sheet[f"{k}.{keys.get(c, c)}"]) for c in names) for k in unranked]
        title = (
            f"未参加排名的{label}（受理量不足{sheet['param.min_volume'].text}）"
            if lang == "zh"
            else f"{label}: not ranked (fewer than {cell(sheet['param.min_volume'])} requests)"
        )
        unit_text = unit_line(("count", "rate"), lang)
        tables.append(Table(title, _columns(unit, names, lang), tuple(rows), unit=unit_text))
    return tables


def bulletin_document(
    sheet: FactSheet, month: str, charts: Mapping[str, str] | None = None
) -> Document:
    """The bulletin as a :class:`Document` (rendered to bulletin.md and bulletin.docx).

    Args:
        sheet: Facts from :func:`bulletin_facts`.
        month: The month reported, ``YYYY-MM``.
        charts: Chart title -> image path relative to the bulletin.
    """
    footnotes = Footnotes(notes(sheet))
    when = month_text(month, with_year=True)
    blocks: list[Block] = [
        Paragraph(lead(sheet, when), "lead"),
        Heading("总体情况"),
        Paragraph(volume_paragraph(sheet, when, footnotes)),
        Paragraph(_changes(sheet, footnotes)),
        Heading("办理质效"),
        *(Paragraph(p) for p in quality_paragraphs(sheet, "本月", footnotes)),
        Heading("承办单位排名"),
        Paragraph(scheme_sentence(sheet, footnotes)),
        Paragraph(ranking_paragraph(sheet, BULLETIN_UNIT)),
        *ranking_tables(sheet, BULLETIN_UNIT),
        *chart_blocks(charts or {}, "附图"),
    ]
    return Document(f"{when}{subject(sheet)[2].replace('报告', '通报')}", tuple(blocks),
                    footnotes.cited())  # fmt: skip


def render_bulletin(sheet: FactSheet, month: str, charts: Mapping[str, str] | None = None) -> str:
    """The bulletin as Markdown (:func:`bulletin_document` rendered by ``to_markdown``).

    Args:
        sheet: Facts from :func:`bulletin_facts`.
        month: The month reported, ``YYYY-MM``.
        charts: Chart title -> image path relative to the bulletin.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-05-03", "2021-06-01"]),
        ...     "status": ["closed"] * 2, "department": ["县教育局"] * 2})
        >>> render_bulletin(bulletin_facts(df, "2021-06"), "2021-06").splitlines()[0]
        '# 2021年6月12345政务服务便民热线运行情况通报'
    """
    return to_markdown(bulletin_document(sheet, month, charts))
