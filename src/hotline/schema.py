"""The canonical work-order table: columns, types, enumerations and their display labels.

One row is one work order (工单) or online message (留言). Columns are English snake_case; every
column and every enumeration value carries a Simplified Chinese label (the default for charts and
tables) and an English one. ``docs/data-dictionary.md`` explains each column in plain language.

Enumerations are stored as codes (``"closed"``), shown as labels (``"已办结"``):

Example:
    >>> label("status", "closed")
    '已办结'
    >>> label("satisfaction", "basically_satisfied", lang="en")
    'Basically satisfied'
    >>> column_label("received_at")
    '受理时间'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionDtype

__all__ = [
    "COLUMNS",
    "ENUMS",
    "SCHEMA_VERSION",
    "Column",
    "Enum",
    "arrow_schema",
    "column_label",
    "conform",
    "empty_frame",
    "label",
    "with_labels",
]

#: Bumped whenever a column is added, removed or changes meaning; stored in every manifest.
SCHEMA_VERSION = "1.2"

Lang = Literal["zh", "en"]
Kind = Literal["string", "timestamp", "category", "int", "float", "bool"]


@dataclass(frozen=True)
class Enum:
    """A closed set of codes with display labels.

    Attributes:
        name: Name of the enumeration (the column it types).
        values: ``(code, zh_label, en_label)`` in display order.
        ordered: Whether the order is meaningful (satisfaction).
    """

    name: str
    values: tuple[tuple[str, str, str], ...]
    ordered: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes in display order."""
        return tuple(code for code, _, _ in self.values)

    def label(self, code: str, lang: str = "zh") -> str:
        """Return the display label of one code (English for any ``lang`` but ``zh``)."""
        for value, zh, en in self.values:
            if value == code:
                return zh if lang == "zh" else en
        raise KeyError(f"{code!r} is not a {self.name} code; expected one of {self.codes}")

    def dtype(self) -> pd.CategoricalDtype:
        """The pandas dtype of a column of these codes."""
        return pd.CategoricalDtype(list(self.codes), ordered=self.ordered)


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Attributes:
        name: snake_case column name.
        kind: Storage kind: string, timestamp (naive local wall-clock time of the dataset's
            time zone, recorded in the manifest: Asia/Shanghai for 12345 data), category, int,
            float, bool.
        zh: Chinese display label.
        en: English display label.
        enum: The enumeration of a category column.
    """

    name: str
    kind: Kind
    zh: str
    en: str
    enum: Enum | None = None


SOURCE_KIND = Enum(
    "source_kind",
    (
        ("hotline", "热线话务", "Hotline call"),
        ("online", "网络投诉", "Online complaint"),
        # A city's 311 service request (NYC, Los Angeles, Open311 GeoReport servers): one kind
        # whatever the export format; the profile records the format.
        ("311", "311 服务请求", "311 service request"),
    ),
)

CHANNEL = Enum(
    "channel",
    (
        ("phone", "电话", "Phone"),
        ("web", "网站", "Website"),
        ("wechat", "微信", "WeChat"),
        ("app", "移动客户端", "Mobile app"),
        ("sms", "短信", "SMS"),
        ("weibo", "微博", "Weibo"),
        ("email", "电子邮件", "Email"),
        ("mailbox", "领导信箱", "Leaders' mailbox"),
        ("message_board", "领导留言板", "Message board"),
        ("transfer", "上级转办", "Transferred from above"),
        ("grid", "网格上报", "Field staff report"),
        ("walk_in", "来访", "Walk-in"),
        ("other", "其他", "Other"),
    ),
)

REQUEST_TYPE = Enum(
    "request_type",
    (
        ("consultation", "咨询", "Consultation"),
        ("help", "求助", "Request for help"),
        ("complaint", "投诉", "Complaint"),
        ("report", "举报", "Report of wrongdoing"),
        ("suggestion", "建议", "Suggestion"),
        ("praise", "表扬", "Praise"),
        ("other", "其他", "Other"),
    ),
)

#: Lifecycle states from the domain reference §4.1, plus the states that void an order, plus two
#: states of 311 exports: ``referred_out`` (handed to a body outside the system: closed by
#: referral) and ``cancelled`` (withdrawn or cancelled: void). See :mod:`hotline.rules`.
STATUS = Enum(
    "status",
    (
        ("received", "已受理", "Received"),
        ("answered_directly", "直接答复", "Answered directly"),
        ("dispatched", "已派单", "Dispatched"),
        ("signed", "已签收", "Signed for"),
        ("returned", "已退回", "Returned"),
        ("in_progress", "办理中", "In progress"),
        ("extended", "已延期", "Extended"),
        ("replied", "已答复", "Replied"),
        ("reviewed", "已审核", "Reviewed"),
        ("revisited", "已回访", "Revisited"),
        ("closed", "已办结", "Closed"),
        ("referred_out", "已转出", "Referred out"),
        ("reopened", "重办", "Reopened"),
        ("invalid", "无效", "Invalid"),
        ("void", "作废", "Void"),
        ("cancelled", "已取消", "Cancelled"),
        ("duplicate", "重复/并单", "Duplicate"),
    ),
)

#: 3-level (满意/基本满意/不满意) and 5-level (好差评) scales on one ordered scale.
#: ``not_evaluated`` sorts first: compare with the sets in :mod:`hotline.rules`, not with ``>=``.
SATISFACTION = Enum(
    "satisfaction",
    (
        ("not_evaluated", "未评价", "Not evaluated"),
        ("very_dissatisfied", "非常不满意", "Very dissatisfied"),
        ("dissatisfied", "不满意", "Dissatisfied"),
        ("basically_satisfied", "基本满意", "Basically satisfied"),
        ("satisfied", "满意", "Satisfied"),
        ("very_satisfied", "非常满意", "Very satisfied"),
    ),
    ordered=True,
)

ENUMS: dict[str, Enum] = {
    e.name: e for e in (SOURCE_KIND, CHANNEL, REQUEST_TYPE, STATUS, SATISFACTION)
}

COLUMNS: tuple[Column, ...] = (
    Column("order_id", "string", "工单编号", "Order ID"),
    Column("source_kind", "category", "来源类别", "Source kind", SOURCE_KIND),
    Column("channel", "category", "诉求渠道", "Channel", CHANNEL),
    Column("received_at", "timestamp", "受理时间", "Received at"),
    Column("request_type", "category", "诉求类型", "Request type", REQUEST_TYPE),
    Column("topic", "string", "业务分类", "Topic"),
    Column("topic_l2", "string", "二级分类", "Topic (level 2)"),
    Column("topic_l3", "string", "三级分类", "Topic (level 3)"),
    Column("title", "string", "标题", "Title"),
    Column("content", "string", "诉求内容", "Content"),
    Column("reply", "string", "办理结果/答复意见", "Reply"),
    Column("town", "string", "乡镇/街道", "Town"),
    Column("department", "string", "承办单位", "Agency"),
    Column("status", "category", "办理状态", "Status", STATUS),
    Column("status_raw", "string", "原始状态", "Status as exported"),
    Column("dispatched_at", "timestamp", "派单时间", "Dispatched at"),
    Column("signed_at", "timestamp", "签收时间", "Signed for at"),
    Column("due_at", "timestamp", "办理时限", "Due at"),
    Column("time_limit_workdays", "int", "办理时限(工作日)", "Time limit (working days)"),
    Column("replied_at", "timestamp", "答复时间", "Replied at"),
    Column("closed_at", "timestamp", "办结时间", "Closed at"),
    Column("revisited_at", "timestamp", "回访时间", "Revisited at"),
    Column("satisfaction", "category", "满意度", "Satisfaction", SATISFACTION),
    Column("is_contacted", "bool", "是否联系", "Caller contacted"),
    Column("is_resolved", "bool", "是否解决", "Resolved (caller's view)"),
    Column("is_extended", "bool", "是否延期", "Extended"),
    Column("return_count", "int", "退单次数", "Returns"),
    Column("caller_key", "string", "来电人标识", "Caller key"),
    Column("caller_phone_masked", "string", "来电号码(脱敏)", "Caller phone (masked)"),
    Column(
        "repeat_gap_hours",
        "float",
        "距同类前次诉求(小时)",
        "Hours since caller's last request on topic",
    ),
    Column("source_file", "string", "来源文件", "Source file"),
    Column("source_row", "int", "来源行号", "Source row"),
    Column("snapshot_at", "timestamp", "导出时间", "Snapshot at"),
)

_BY_NAME = {c.name: c for c in COLUMNS}

_ARROW_TYPES: dict[Kind, pa.DataType] = {
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "category": pa.dictionary(pa.int8(), pa.string()),
    "int": pa.int32(),
    "float": pa.float64(),
    "bool": pa.bool_(),
}


def arrow_schema() -> pa.Schema:
    """Return the Arrow schema of the canonical table (the Parquet file's schema).

    Example:
        >>> arrow_schema().field("received_at").type
        TimestampType(timestamp[us])
    """
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.kind]) for c in COLUMNS])


#: A canonical column's pandas dtype: the names pandas' stubs know, or a dtype object.
_Dtype = Literal["str", "datetime64[us]", "float64"] | ExtensionDtype


def _pandas_dtype(column: Column) -> _Dtype:
    if column.enum is not None:
        return column.enum.dtype()
    dtypes: dict[str, _Dtype] = {
        "string": "str",  # pandas 3's default string dtype (Arrow-backed, NaN for missing)
        "timestamp": "datetime64[us]",
        "int": pd.Int32Dtype(),
        "float": "float64",
        "bool": pd.BooleanDtype(),
    }
    return dtypes[column.kind]


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the canonical columns, in order, with canonical dtypes.

    Missing columns are added empty; category columns get every code of their enumeration as a
    category, so value counts show zero rows for absent states.

    Example:
        >>> df = conform(pd.DataFrame({"order_id": ["A1"], "status": ["closed"]}))
        >>> df["status"].cat.categories[:3].tolist()
        ['received', 'answered_directly', 'dispatched']
        >>> len(df.columns) == len(COLUMNS)
        True
    """
    out = {}
    for column in COLUMNS:
        dtype = _pandas_dtype(column)
        if column.name in df.columns:
            series = df[column.name]
            if column.enum is not None and isinstance(series.dtype, pd.CategoricalDtype):
                series = series.astype(object)
            out[column.name] = series.astype(dtype)
        else:
            missing = np.nan if dtype == "float64" else pd.NA
            out[column.name] = pd.Series(missing, index=df.index, dtype=dtype)
    result = pd.DataFrame(out, index=df.index)
    result.attrs.update(df.attrs)
    return result


def empty_frame() -> pd.DataFrame:
    """Return a canonical table with no rows.

    Example:
        >>> empty_frame().shape == (0, len(COLUMNS))
        True
    """
    return conform(pd.DataFrame(index=pd.RangeIndex(0)))


def column_label(name: str, lang: Lang = "zh") -> str:
    """Return the display label of a canonical column."""
    column = _BY_NAME[name]
    return column.zh if lang == "zh" else column.en


def label(enum: str, code: str, lang: Lang = "zh") -> str:
    """Return the display label of one enumeration code."""
    return ENUMS[enum].label(code, lang)


def with_labels(df: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """Return a copy for display: enumeration codes become labels, headers become labels.

    Example:
        >>> shown = with_labels(conform(pd.DataFrame({"status": ["closed"]})))
        >>> shown["办理状态"].tolist()
        ['已办结']
    """
    shown = df.copy()
    for name in shown.columns:
        column = _BY_NAME.get(name)
        if column is not None and column.enum is not None:
            enum = column.enum
            mapping = {code: enum.label(code, lang) for code in enum.codes}
            shown[name] = shown[name].cat.rename_categories(mapping)
    return shown.rename(columns={c: column_label(c, lang) for c in shown.columns if c in _BY_NAME})
