"""What an export can say: the information each metric needs, and which exports carry it.

A figure is only as good as the columns behind it. An online message board that publishes no
status and no reply says nothing about closure; reporting 办结率 0.00% for it would turn "not
in the file" into "not done". Each piece of :data:`INFORMATION` names the canonical fields that
carry it; an export (one file) carries it when one of those fields has a value in any of its
rows. Metrics that need information no order of a group carries are missing, with the reason
from this table, never 0 or 100%.

Example:
    >>> INFORMATION["closure"].reason
    '导出中没有办理状态或答复信息'
    >>> carried({"order_id", "received_at", "title"})
    []
    >>> carried({"status", "department", "topic"})
    ['closure', 'dispatch', 'topic']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ACCOUNTED", "INFORMATION", "Information", "carried", "missing_reason"]


@dataclass(frozen=True)
class Information:
    """One kind of information an export may or may not carry.

    Attributes:
        key: Short code (``closure``, ``dispatch`` …).
        zh: What it is, in Chinese (for the ingest account).
        fields: Canonical fields that carry it; any one with a value is enough.
        metrics: What cannot be computed without it (Chinese names, for the account).
    """

    key: str
    zh: str
    fields: tuple[str, ...]
    metrics: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why a figure that needs it is missing (shown as ``—（reason）``)."""
        return f"导出中没有{self.zh}"


INFORMATION = MappingProxyType(
    {
        info.key: info
        for info in (
            Information(
                "closure",
                "办理状态或答复信息",
                ("status", "closed_at", "reply", "replied_at"),
                ("办结量", "办结率", "按时办结率", "超时办结", "超期未办结"),
            ),
            Information(
                "dispatch",
                "派单或承办单位信息",
                ("department", "dispatched_at"),
                ("派单量", "直接答复率"),
            ),
            Information(
                "evaluation",
                "满意度评价",
                ("satisfaction",),
                ("满意率", "不满意率"),
            ),
            Information(
                "revisit",
                "回访记录",
                ("revisited_at", "satisfaction"),
                ("回访率",),
            ),
            Information("topic", "诉求分类", ("topic",), ("重复诉求率",)),
            Information("caller", "来电人标识", ("caller_key",), ("重复诉求率",)),
            Information(
                "response",
                "签收或联系记录",
                ("signed_at", "is_contacted"),
                ("响应率",),
            ),
            Information("resolution", "是否解决的评价", ("is_resolved",), ("解决率",)),
            Information("return", "退单记录", ("return_count",), ("退单率",)),
            Information("extension", "延期记录", ("is_extended",), ("延期率",)),
        )
    }
)


#: The information the ingest account reports as missing from an export: what common reports
#: rest on (the Beijing-only records, such as 签收 and 退单, are rare and not listed).
ACCOUNTED = ("closure", "dispatch", "evaluation", "topic", "caller")


def carried(fields: Iterable[str]) -> list[str]:
    """The information (keys, in table order) that an export with these fields carries.

    ``caller_key`` stands for any caller column (phone, user id, name), which the ingest turns
    into the key.
    """
    present = set(fields)
    if present & {"caller_phone", "caller_user", "caller_name"}:
        present.add("caller_key")
    return [key for key, info in INFORMATION.items() if present & set(info.fields)]


def missing_reason(keys: Iterable[str]) -> str:
    """One reason for a figure that lacks several pieces of information.

    Example:
        >>> missing_reason(["topic", "caller"])
        '导出中没有诉求分类、来电人标识'
    """
    return "导出中没有" + "、".join(INFORMATION[key].zh for key in keys)
