"""Chinese names of the columns and units the report shows: one function, one place.

Built from the names :mod:`hotline.metrics.catalogue` and :mod:`hotline.schema` already hold
(via :func:`hotline.metrics.display.column_title`), plus the few columns only reports have
(score, rank, changes, provenance). When a shared label catalogue exists, only this function
changes.

Example:
    >>> column_header("closure_rate"), column_header("department"), column_header("score")
    ('办结率', '承办单位', '综合评分')
"""

from __future__ import annotations

from types import MappingProxyType

from hotline.metrics.display import column_title

__all__ = ["column_header"]

_REPORT_ONLY = MappingProxyType(
    {
        "score": "综合评分",
        "rank": "名次",
        "band": "档次",
        "share": "占比",
        "accepted_mom": "受理量环比",
        "closure_rate_mom_pp": "办结率环比(百分点)",
        "on_time_rate_mom_pp": "按时办结率环比(百分点)",
        "satisfaction_rate_mom_pp": "满意率环比(百分点)",
        "due_total": "应按时办结",
        "item": "项目",
        "formula": "计算公式",
        "note": "口径说明",
        "name": "文件名",
        "kind": "来源类别",
        "sha256": "SHA-256(前12位)",
        "rows_in": "读入行数",
        "written": "写入工单数",
        "snapshot_at": "导出时间",
    }
)


def column_header(column: str) -> str:
    """The Chinese header of a column of a report table (the column name when unknown).

    Example:
        >>> column_header("accepted"), column_header("month"), column_header("request_type")
        ('受理量', '月份', '诉求类型')
    """
    if column in _REPORT_ONLY:
        return _REPORT_ONLY[column]
    return column_title(column, "zh")
