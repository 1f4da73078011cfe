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

from hotline.labels import column_title

__all__ = ["column_header"]


def column_header(column: str, lang: str = "zh") -> str:
    """The header of a column of a report table (the column name when unknown).

    Example:
        >>> column_header("accepted"), column_header("month"), column_header("request_type")
        ('受理量', '月份', '诉求类型')
    """
    return column_title(column, lang)
