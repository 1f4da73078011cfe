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
from typing import overload

__all__ = [
    "ACCOUNTED",
    "INFORMATION",
    "Information",
    "Reason",
    "carried",
    "missing_reason",
    "reason_text",
]


class Reason(str):
    """Why a figure is missing: the Chinese text, which also knows its English.

    A ``str`` (the Chinese), so tables, JSON and comparisons keep working; an English output
    asks :func:`reason_text` for ``.en``.

    Example:
        >>> why = Reason("导出中没有满意度评价", "the export holds no satisfaction ratings")
        >>> why == "导出中没有满意度评价", why.en
        (True, 'the export holds no satisfaction ratings')
    """

    en: str

    def __new__(cls, zh: str, en: str) -> Reason:  # noqa: D102 - documented on the class
        made = super().__new__(cls, zh)
        made.en = en
        return made

    def __reduce__(self) -> tuple[type[Reason], tuple[str, str]]:
        return Reason, (str(self), self.en)


@overload
def reason_text(reason: str, lang: str = "zh") -> str: ...
@overload
def reason_text(reason: None, lang: str = "zh") -> None: ...
def reason_text(reason: str | None, lang: str = "zh") -> str | None:
    """A reason in ``lang``: the English of a :class:`Reason`, else the text as it is.

    Example:
        >>> reason_text(Reason("导出中没有回访记录", "the export holds no revisits"), "en")
        'the export holds no revisits'
        >>> reason_text("导出中没有回访记录", "zh")
        '导出中没有回访记录'
    """
    if reason is None or lang != "en":
        return reason
    return getattr(reason, "en", None) or reason


@dataclass(frozen=True)
class Information:
    """One kind of information an export may or may not carry.

    Attributes:
        key: Short code (``closure``, ``dispatch`` …).
        zh: What it is, in Chinese (for the ingest account).
        en: What it is, in English.
        fields: Canonical fields that carry it; any one with a value is enough.
        metrics: What cannot be computed without it (Chinese names, for the account).
    """

    key: str
    zh: str
    en: str
    fields: tuple[str, ...]
    metrics: tuple[str, ...]

    @property
    def reason(self) -> Reason:
        """Why a figure that needs it is missing (shown as ``—（reason）``)."""
        return missing_reason([self.key])


INFORMATION = MappingProxyType(
    {
        info.key: info
        for info in (
            Information(
                "closure",
                "办理状态或答复信息",
                "status or reply",
                ("status", "closed_at", "reply", "replied_at"),
                ("办结量", "办结率", "按时办结率", "超时办结", "超期未办结"),
            ),
            Information(
                "dispatch",
                "派单或承办单位信息",
                "dispatch or handling unit",
                ("department", "dispatched_at"),
                ("派单量", "直接答复率"),
            ),
            Information(
                "evaluation",
                "满意度评价",
                "satisfaction ratings",
                ("satisfaction",),
                ("满意率", "不满意率"),
            ),
            Information(
                "revisit",
                "回访记录",
                "revisits",
                ("revisited_at", "satisfaction"),
                ("回访率",),
            ),
            Information("topic", "诉求分类", "request categories", ("topic",), ("重复诉求率",)),
            Information(
                "caller", "来电人标识", "caller identity", ("caller_key",), ("重复诉求率",)
            ),
            Information(
                "response",
                "签收或联系记录",
                "sign-offs or contacts",
                ("signed_at", "is_contacted"),
                ("响应率",),
            ),
            Information(
                "resolution", "是否解决的评价", "resolution ratings", ("is_resolved",), ("解决率",)
            ),
            Information("return", "退单记录", "returns", ("return_count",), ("退单率",)),
            Information("extension", "延期记录", "extensions", ("is_extended",), ("延期率",)),
        )
    }
)


#: The information the ingest account reports as missing from an export: what common reports
#: rest on (the Beijing-only records, such as 签收 and 退单, are rare and not listed).
ACCOUNTED = ("closure", "dispatch", "evaluation", "topic", "caller")


def carried(fields: Iterable[str], answered_directly: bool = False) -> list[str]:
    """The information (keys, in table order) that an export with these fields carries.

    ``caller_key`` stands for any caller column (phone, user id, name), which the ingest turns
    into the key. ``answered_directly``: every order's status says 直接答复, which tells
    dispatch (none was dispatched) even without a unit or dispatch column, as the metrics
    read it.

    Example:
        >>> carried({"status"}), carried({"status"}, answered_directly=True)
        (['closure'], ['closure', 'dispatch'])
    """
    present = set(fields)
    if answered_directly:
        present.add("dispatched_at")
    if present & {"caller_phone", "caller_user", "caller_name"}:
        present.add("caller_key")
    return [key for key, info in INFORMATION.items() if present & set(info.fields)]


def missing_reason(keys: Iterable[str], orders: int | None = None) -> Reason:
    """One reason for a figure that lacks several pieces of information.

    Args:
        keys: The pieces of :data:`INFORMATION` lacking.
        orders: How many orders' exports lack them, when only some do.

    Example:
        >>> missing_reason(["topic", "caller"])
        '导出中没有诉求分类、来电人标识'
        >>> missing_reason(["topic", "caller"]).en
        'the export holds no request categories or caller identity'
        >>> missing_reason(["closure"], orders=1).en
        "1 request's export holds no status or reply"
    """
    pieces = [INFORMATION[key] for key in keys]
    zh = "导出中没有" + "、".join(piece.zh for piece in pieces)
    en = " or ".join(piece.en for piece in pieces)
    if orders is None:
        return Reason(zh, f"the export holds no {en}")
    whose = "request's export holds" if orders == 1 else "requests' exports hold"
    return Reason(f"其中{orders}件工单的{zh}", f"{orders} {whose} no {en}")
