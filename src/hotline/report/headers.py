"""Headers of the columns the report shows: the label catalogue's table headers.

Reports are written in Chinese unless the data are English (311 exports); the names themselves
live in :mod:`hotline.labels` (:func:`hotline.labels.column_title`), with the metrics' names
read from their declarations.

Example:
    >>> column_header("closure_rate"), column_header("department"), column_header("score")
    ('办结率', '承办单位', '综合评分')
    >>> column_header("closure_rate", "en")
    'Closure rate'
"""

from __future__ import annotations

from collections.abc import Iterable

from hotline.labels import column_title, label

__all__ = ["UNITS_OF_KINDS", "column_header", "unit_line"]

#: The unit each kind of column is counted in, as the 单位 line above a table names it.
UNITS_OF_KINDS = {
    "count": "unit.count",
    "rate": "unit.percent",
    "share": "unit.percent",
    "change": "unit.percent",
    "pp": "unit.pp",
    "score": "unit.score",
}


def column_header(column: str, lang: str = "zh") -> str:
    """The header of a column of a report table (the column name when unknown).

    Example:
        >>> column_header("accepted"), column_header("month"), column_header("request_type")
        ('受理量', '月份', '诉求类型')
    """
    return column_title(column, lang)


def unit_line(kinds: Iterable[str], lang: str = "zh") -> str:
    """The 单位 line above a table whose columns are of these kinds (each unit named once).

    Example:
        >>> unit_line(["text", "count", "rate", "score"]), unit_line(["rate", "change"])
        ('单位：件、%、分', '单位：%')
        >>> unit_line(["count", "share"], "en")
        'Unit: requests, %'
    """
    units = dict.fromkeys(UNITS_OF_KINDS[k] for k in kinds if k in UNITS_OF_KINDS)
    words = dict.fromkeys(label(unit, lang) for unit in units)  # % for rates and changes alike
    return label("table.unit", lang, units=label("table.unit.separator", lang).join(words))
