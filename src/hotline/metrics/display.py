"""Summary tables for people: Chinese (or English) headers, labels for codes, percentages.

Headers and the words of a table come from the label catalogue (:mod:`hotline.labels`). Every
rate shown, in a terminal table (:func:`for_display`), a CSV for Excel (:func:`for_export`) or
JSON (:func:`json_records`), is the :class:`~hotline.metrics.rate.Rate` the metric returned
(:func:`with_rates` reads it from the summary row that computed it), formatted by
:meth:`Rate.percent`: the three outputs cannot disagree.

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"department": ["县教育局"], "accepted": [40], "closed": [39],
    ...                       "closure_rate": [0.975]})
    >>> for_display(table).to_dict("records")
    [{'承办单位': '县教育局', '受理量': 40, '办结量': 39, '办结率': '97.50%'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from hotline import schema
from hotline.labels import column_title, label
from hotline.metrics.declarations import active
from hotline.metrics.definitions import Definitions
from hotline.metrics.rate import Rate
from hotline.metrics.summary import PERIODS
from hotline.safe_text import terminal_text

__all__ = [
    "MAIN_COLUMNS",
    "TOTAL",
    "column_title",
    "for_display",
    "for_export",
    "json_records",
    "rate_text",
    "unnamed_breakdown",
    "with_rates",
]

#: What a reader wants first in a breakdown.
MAIN_COLUMNS = (
    "accepted",
    "closed",
    "closure_rate",
    "on_time_rate",
    "closed_late",
    "open_overdue",
    "satisfaction_rate",
)

#: The key of a table's total row (``headline``'s last row): shown as 合计 / Total.
TOTAL = "total"

_NAMES = {"town", "department", "topic"}


def rate_text(value: Rate | float | None, missing: str = "—") -> str:
    """A rate as every output shows it: :meth:`Rate.percent`, or ``missing`` when undefined.

    A float is a rate a summary computed (its numerator over its denominator), shown with the
    same two decimals.

    Example:
        >>> rate_text(Rate(9268, 9383)), rate_text(0.975), rate_text(Rate(0, 0)), rate_text(None)
        ('98.77%', '97.50%', '—', '—')
    """
    if isinstance(value, Rate):
        return missing if value.value is None else value.percent()
    if value is None or pd.isna(value):
        return missing
    return f"{float(value) * 100:.2f}%"


def with_rates(
    table: pd.DataFrame, definitions: Definitions, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """``table`` (of :func:`~hotline.metrics.summary`) with its rate columns holding Rates.

    Each cell is the :class:`Rate` :func:`hotline.metrics.rate` returns for that group: the
    numerator and denominator the summary divided (under ``definitions``), or ``Rate(0, 0)``
    with the table's reason when the rate is missing. Columns already holding Rates are kept.

    Example:
        >>> from hotline.metrics import summary
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "received_at": pd.to_datetime(
        ...     ["2021-03-01"] * 3), "status": ["closed", "closed", "dispatched"]})
        >>> with_rates(summary(df), Definitions())["closure_rate"].tolist()
        [Rate(numerator=2, denominator=3)]
    """
    rates = active().rates
    reasons = table.attrs.get("unavailable", {})
    shown = table.copy()
    for key in columns or [c for c in table.columns if c in rates]:
        if key not in rates or key not in table.columns:
            continue
        spec = rates[key]
        above, below = spec.numerator_under(definitions), spec.denominator_under(definitions)
        cells = [
            value
            if isinstance(value, Rate)
            else Rate(0, 0, reason=reasons.get(key))
            if pd.isna(value)
            else Rate(int(row[above]), int(row[below]))
            for value, (_, row) in zip(table[key], table.iterrows(), strict=True)
        ]
        shown[key] = pd.Series(cells, index=table.index, dtype=object)
    return shown


def _keys(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c in PERIODS or c in schema.ENUMS or c in _NAMES]


def unnamed_cell(key: str, lang: str = "zh") -> str:
    """The group without a ``key`` in a terminal table or CSV: tables.xlsx's name, bracketed.

    ASCII brackets keep the columns of a fixed-width print aligned.

    Example:
        >>> unnamed_cell("department"), unnamed_cell("town", "en")
        ('(未填承办单位)', '(No town recorded)')
    """
    return f"({label('unnamed.group', lang, dimension=column_title(key, lang))})"


def _key_cells(values: pd.Series, key: str, lang: str, missing: str) -> list[Any]:
    """Codes as labels, names from the data without terminal controls, 合计 for the total."""
    unnamed = unnamed_cell(key, lang)
    cells: list[Any] = []
    for value in values:
        if isinstance(value, str) and value == TOTAL:
            cells.append(label("total", lang))
        elif key in schema.ENUMS:
            cells.append(missing if pd.isna(value) else schema.ENUMS[key].label(value, lang))
        elif key in PERIODS:
            cells.append(missing if pd.isna(value) else value)
        else:  # a name from the data: no terminal controls, no line breaks
            cells.append(unnamed if pd.isna(value) else terminal_text(value))
    return cells


def _chosen(table: pd.DataFrame, keys: list[str], columns: Sequence[str] | None) -> list[str]:
    return [c for c in (columns or MAIN_COLUMNS) if c in table.columns and c not in keys]


def _cell(value: Any, missing: str) -> Any:
    """A count or score as shown: ``missing`` when unknown, a whole number without ``.0``."""
    if value is None or pd.isna(value):
        return missing
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _count_cells(values: pd.Series, missing: str) -> list[Any]:
    """Counts as ints; ``missing`` where the export cannot support the count (availability)."""
    return [missing if v is None or pd.isna(v) else int(v) for v in values]


def for_display(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    lang: Literal["zh", "en"] = "zh",
    missing: str = "—",
    intervals: bool = False,
) -> pd.DataFrame:
    r"""Keys and chosen columns, codes as labels, rates as percentages, titled for readers.

    Names from the data (department, town, topic) are shown without control characters or
    line breaks (:func:`hotline.safe_text.terminal_text`): the table is printed to a terminal.
    A rate (a :class:`Rate`, or the value a summary returned) is shown by :func:`rate_text`,
    never recomputed from the counts beside it. With ``intervals``, each rate whose
    ``_low``/``_high`` bounds the table holds is followed by its 95% interval.

    Example:
        >>> table = pd.DataFrame({"town": ["城关镇\x1b[2J", None], "accepted": [3, 1]})
        >>> for_display(table)["乡镇/街道"].tolist()
        ['城关镇[2J', '(未填乡镇/街道)']
        >>> rates = pd.DataFrame({"closure_rate": [0.5], "closure_rate_low": [0.0945],
        ...                       "closure_rate_high": [0.9055]})
        >>> for_display(rates, ["closure_rate"], intervals=True).to_dict("records")
        [{'办结率': '50.00%', '办结率（95% 置信区间）': '9.45%–90.55%'}]
    """
    keys = _keys(table)
    chosen = _chosen(table, keys, columns)
    shown = table[keys + chosen].copy()
    for key in keys:
        shown[key] = _key_cells(shown[key], key, lang, missing)
    rates = active().rates
    titles = {c: column_title(c, lang) for c in shown.columns}
    for column in chosen:
        if column in rates:
            shown[column] = [rate_text(v, missing) for v in shown[column]]
            if intervals and {f"{column}_low", f"{column}_high"} <= set(table.columns):
                bounds = zip(table[f"{column}_low"], table[f"{column}_high"], strict=True)
                interval = f"{column}_interval"
                shown.insert(
                    shown.columns.get_loc(column) + 1,  # type: ignore[operator]
                    interval,
                    [
                        missing if pd.isna(low) else f"{rate_text(low)}–{rate_text(high)}"
                        for low, high in bounds
                    ],
                )
                titles[interval] = label("interval.of", lang, name=titles[column])
        elif shown[column].hasnans or shown[column].dtype == object:
            shown[column] = [_cell(v, missing) for v in shown[column]]
    return shown.rename(columns=titles)


def for_export(
    table: pd.DataFrame,
    definitions: Definitions,
    columns: Sequence[str] | None = None,
    lang: Literal["zh", "en"] = "zh",
    missing: str = "—",
) -> pd.DataFrame:
    """The table :func:`for_display` shows, for a spreadsheet: each rate with its fraction.

    Headers are the label catalogue's in ``lang``; a rate is the text the table shows
    (``98.77%``, which Excel and LibreOffice read as the number 0.9877 formatted as a
    percentage) followed by its numerator and denominator as counts, the exact fraction. A
    missing rate is ``missing`` in all three. Write it with
    :func:`hotline.safe_text.excel_csv` (formula-safe cells, UTF-8 with BOM).

    Example:
        >>> table = pd.DataFrame({"source_kind": ["hotline", "total"], "accepted": [3, 3],
        ...                       "closure_rate": [Rate(2, 3), Rate(2, 3)]})
        >>> for_export(table, Definitions()).to_dict("records")[1]
        {'来源类别': '合计', '受理量': 3, '办结率': '66.67%', '办结率分子': 2, '办结率分母': 3}
    """
    keys = _keys(table)
    chosen = _chosen(table, keys, columns)
    rated = with_rates(table, definitions, [c for c in chosen if c in active().rates])
    shown: dict[str, list[Any]] = {}
    for key in keys:
        shown[column_title(key, lang)] = _key_cells(table[key], key, lang, missing)
    for column in chosen:
        title = column_title(column, lang)
        if column not in active().rates:
            shown[title] = _count_cells(table[column], missing)
            continue
        cells: list[Rate] = list(rated[column])
        known = [r.value is not None for r in cells]
        shown[title] = [rate_text(r, missing) for r in cells]
        shown[label("fraction.numerator", lang, name=title)] = [
            r.numerator if ok else missing for r, ok in zip(cells, known, strict=True)
        ]
        shown[label("fraction.denominator", lang, name=title)] = [
            r.denominator if ok else missing for r, ok in zip(cells, known, strict=True)
        ]
    return pd.DataFrame(shown)


def _plain(value: Any) -> Any:
    """A cell as JSON data: numbers as Python numbers (full precision), missing as ``None``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.number | np.bool_):  # a NumPy scalar: its Python value, exactly
        return value.item()
    return value


def json_records(table: pd.DataFrame, definitions: Definitions) -> list[dict[str, Any]]:
    """Rows as plain data: exact values, and beside each rate its fraction and its display.

    ``closure_rate`` stays the exact proportion (``None`` when missing, never rounded);
    ``closure_rate_numerator``/``closure_rate_denominator`` are the counts it divides and
    ``closure_rate_percent`` the text a table shows.

    Example:
        >>> table = pd.DataFrame({"accepted": [3], "closure_rate": [Rate(2, 3)]})
        >>> json_records(table, Definitions())
        ... # doctest: +NORMALIZE_WHITESPACE
        [{'accepted': 3, 'closure_rate': 0.6666666666666666, 'closure_rate_numerator': 2,
          'closure_rate_denominator': 3, 'closure_rate_percent': '66.67%'}]
    """
    rates = [c for c in table.columns if c in active().rates]
    rated = with_rates(table, definitions, rates)
    records = []
    for position in range(len(table)):
        record: dict[str, Any] = {}
        for column in table.columns:
            if column not in rates:
                record[str(column)] = _plain(table[column].iloc[position])
                continue
            rate: Rate = rated[column].iloc[position]
            known = rate.value is not None
            record[column] = rate.value
            record[f"{column}_numerator"] = rate.numerator if known else None
            record[f"{column}_denominator"] = rate.denominator if known else None
            record[f"{column}_percent"] = rate_text(rate) if known else None
            if rate.reason:
                record[f"{column}_missing"] = rate.reason
        records.append(record)
    return records


#: The dimension whose orders have no value by design when answered on the call.
_UNIT_BY_DESIGN = "department"
#: Dimensions whose unnamed group a table splits by why (:func:`unnamed_breakdown`).
UNNAMED_BY_REASON = ("department", "town")


def unnamed_breakdown(
    split: pd.DataFrame, dimension: str, accepted: int, lang: Literal["zh", "en"] | str = "zh"
) -> list[tuple[str, int]]:
    """Why ``accepted`` orders have no ``dimension``: answered directly, a kind's, the rest.

    A direct answer has no handling unit by design; an online message names none until it is
    routed; the rest simply lack it. Each reason with its count, those of 0 left out.

    Args:
        split: :func:`hotline.metrics.summary` by ``[dimension, "source_kind"]``.
        dimension: ``department`` or ``town``.
        accepted: How many orders lack it (the unnamed group's 受理量).
        lang: ``zh`` or ``en``.

    Example:
        >>> split = pd.DataFrame({"department": [None, None, "县教育局"],
        ...     "source_kind": ["hotline", "online", "hotline"], "accepted": [5, 2, 9],
        ...     "direct": [4, 0, 0]})
        >>> unnamed_breakdown(split, "department", 7)
        [('直接答复，无承办单位', 4), ('网络投诉（未填承办单位）', 2), ('未填写', 1)]
    """
    split = split[split[dimension].isna()]
    name = column_title(dimension, lang)
    by_design = dimension == _UNIT_BY_DESIGN and "direct" in split
    direct = int(split["direct"].fillna(0).sum()) if by_design else 0
    counts = [(label("unnamed.direct", lang), direct)]
    for record in split.to_dict("records"):
        if record["source_kind"] == "online":  # an online message names no unit until routed
            answered = record["direct"] if by_design and pd.notna(record["direct"]) else 0
            kind = schema.label("source_kind", "online", lang)  # type: ignore[arg-type]
            counts.append(
                (
                    label("unnamed.kind", lang, kind=kind, dimension=name),
                    int(record["accepted"]) - int(answered),
                )
            )
    counts.append((label("unnamed.other", lang), accepted - sum(n for _, n in counts)))
    return [(reason, n) for reason, n in counts if n]
