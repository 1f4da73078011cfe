"""Chinese headers of the columns the report shows: the label catalogue's table headers.

Reports are written in Chinese; the names themselves live in :mod:`hotline.labels`
(:func:`hotline.labels.column_title`), with the metrics' names read from their declarations.

Example:
    >>> column_header("closure_rate"), column_header("department"), column_header("score")
    ('办结率', '承办单位', '综合评分')
"""

from __future__ import annotations

from hotline.labels import column_title

__all__ = ["column_header"]


def column_header(column: str) -> str:
    """The Chinese header of a column of a report table (the column name when unknown).

    Example:
        >>> column_header("accepted"), column_header("month"), column_header("request_type")
        ('受理量', '月份', '诉求类型')
    """
    return column_title(column, "zh")
