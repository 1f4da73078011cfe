"""Which definition a figure uses: one small object, documented defaults, named presets.

Cities disagree on what 办结率, 按时办结率 and 满意率 mean (domain reference §2, §9): the
denominator, the period an order belongs to, when the deadline clock starts, whether 基本满意
counts as satisfied. A :class:`Definitions` fixes every such choice, so a figure can say exactly
how it was computed and be computed the same way tomorrow.

Example:
    >>> d = preset("strict")
    >>> sorted(d.satisfied)
    ['satisfied', 'very_satisfied']
    >>> preset("default").replace(response_window_hours=2).response_window_hours
    2.0
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from hotline.errors import HotlineError

__all__ = ["PRESETS", "Definitions", "preset", "resolve"]

Period = Literal["received", "closed"]
ClockStart = Literal["received", "dispatched", "signed"]

#: Working days to close, per request type, when an export gives no deadline. Shandong's rule
#: (5 working days, reference §4.2) for every type; a city with another rule passes its own.
DEFAULT_TIME_LIMITS: Mapping[str, int] = MappingProxyType(
    {
        "consultation": 5,
        "help": 5,
        "complaint": 5,
        "report": 5,
        "suggestion": 5,
        "praise": 5,
        "other": 5,
    }
)


@dataclass(frozen=True)
class Definitions:
    """Every choice a hotline figure depends on.

    Attributes:
        name: Preset name (or ``custom``), shown next to figures.
        period: ``received``: an order belongs to the period it was received in (cohort, the
            default, reference §2.3); ``closed``: to the period it was closed in (flow).
        as_of: The moment the figures describe. Orders received later do not exist yet;
            closures later have not happened; orders open at ``as_of`` count as open, past
            their deadline as overdue. ``None``: the latest time recorded in the data (any time but
            ``due_at``).
        satisfied: Satisfaction codes that count as satisfied.
        dissatisfied: Satisfaction codes that count as dissatisfied.
        closure_base: Denominator of 办结率: ``accepted`` orders, or only ``dispatched`` ones.
        satisfaction_base: Denominator of 满意率: ``evaluated`` orders, or all ``closed``.
        clock_start: When the deadline clock starts: ``received``, ``dispatched`` (派单, the
            default) or ``signed`` (签收); an order lacking that time starts when received.
        time_limits: Working days to close per request type, when the export has no deadline.
        default_time_limit: Working days for a request type not in ``time_limits``; ``None``:
            no deadline unless the export gives one (311 practice: the SLA share covers only
            requests with a due date).
        response_window_hours: Beijing's 响应: the unit signs for or contacts the caller within
            this many hours of dispatch (not published; a parameter, reference §3).
        repeat_window_days: Two requests of one caller on one topic within this many days: the
            second is a repeat (重复诉求).
        min_volume: Smallest volume for a unit to be ranked.
        min_change_base: Smallest volume a period must have on both sides of a 同比 or 环比:
            a change over 3 requests (141300%) says nothing.
    """

    name: str = "default"
    period: Period = "received"
    as_of: dt.datetime | None = None
    satisfied: frozenset[str] = frozenset({"very_satisfied", "satisfied", "basically_satisfied"})
    dissatisfied: frozenset[str] = frozenset({"dissatisfied", "very_dissatisfied"})
    closure_base: Literal["accepted", "dispatched"] = "accepted"
    satisfaction_base: Literal["evaluated", "closed"] = "evaluated"
    clock_start: ClockStart = "dispatched"
    time_limits: Mapping[str, int] = field(default_factory=lambda: DEFAULT_TIME_LIMITS)
    default_time_limit: int | None = 5
    response_window_hours: float = 24.0
    repeat_window_days: int = 30
    min_volume: int = 20
    min_change_base: int = 30

    def __post_init__(self) -> None:
        checks = {
            "period": (self.period, ("received", "closed")),
            "closure_base": (self.closure_base, ("accepted", "dispatched")),
            "satisfaction_base": (self.satisfaction_base, ("evaluated", "closed")),
            "clock_start": (self.clock_start, ("received", "dispatched", "signed")),
        }
        for name, (value, allowed) in checks.items():
            if value not in allowed:
                raise HotlineError(f"definitions: {name}={value!r}; expected one of {allowed}")
        object.__setattr__(self, "satisfied", frozenset(self.satisfied))
        object.__setattr__(self, "dissatisfied", frozenset(self.dissatisfied))
        object.__setattr__(self, "response_window_hours", float(self.response_window_hours))
        object.__setattr__(self, "time_limits", MappingProxyType(dict(self.time_limits)))

    def replace(self, **changes: Any) -> Definitions:
        """A copy with some choices changed (named ``custom`` unless a name is given)."""
        changes.setdefault("name", "custom" if changes else self.name)
        return dataclasses.replace(self, **changes)

    def explain(self) -> str:
        """The choices a figure depends on, in one Chinese line (for notebooks and reports).

        Example:
            >>> print(PRESETS["strict"].explain())
            strict（办结率分母为受理量；满意率分母为办结量；计为满意：非常满意、满意；工单按受理时间归期；时限自受理起算）
        """
        from hotline.schema import label

        satisfied = "、".join(
            label("satisfaction", code) for code in _SATISFIED_ORDER if code in self.satisfied
        )
        clock = {"received": "受理", "dispatched": "派单", "signed": "签收"}[self.clock_start]
        choices = [
            f"办结率分母为{'受理量' if self.closure_base == 'accepted' else '派单量'}",
            f"满意率分母为{'有效评价量' if self.satisfaction_base == 'evaluated' else '办结量'}",
            f"计为满意：{satisfied}",
            f"工单按{'受理' if self.period == 'received' else '办结'}时间归期",
            f"时限自{clock}起算",
        ]
        if self.as_of is not None:
            choices.append(f"截至 {self.as_of:%Y-%m-%d %H:%M}")
        return f"{self.name}（{'；'.join(choices)}）"

    def describe(self) -> dict[str, Any]:
        """The choices as plain data (for manifests, JSON output and report footnotes)."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["satisfied"] = sorted(self.satisfied)
        data["dissatisfied"] = sorted(self.dissatisfied)
        data["time_limits"] = dict(self.time_limits)
        data["as_of"] = None if self.as_of is None else self.as_of.isoformat(sep=" ")
        return data


_SATISFIED_ORDER = ("very_satisfied", "satisfied", "basically_satisfied")

#: The named presets. ``us311`` is for 311 data: a request has a deadline only when the export
#: gives a due date (no Chinese working-day rule), and its clock starts when it is created.
#: ``beijing`` follows the 三率 as far as they are public (reference §3):
#: caller-evaluated rates over dispatched requests; ``strict`` counts only 满意 and 非常满意,
#: starts the clock on receipt and takes 办结率 over all accepted orders.
PRESETS: Mapping[str, Definitions] = MappingProxyType(
    {
        "default": Definitions(),
        "beijing": Definitions(
            name="beijing",
            closure_base="dispatched",
            satisfied=frozenset({"very_satisfied", "satisfied"}),
            response_window_hours=24.0,
        ),
        "us311": Definitions(
            name="us311",
            clock_start="received",
            time_limits={},
            default_time_limit=None,
        ),
        "strict": Definitions(
            name="strict",
            satisfied=frozenset({"very_satisfied", "satisfied"}),
            dissatisfied=frozenset({"basically_satisfied", "dissatisfied", "very_dissatisfied"}),
            clock_start="received",
            satisfaction_base="closed",
        ),
    }
)


def preset_for(manifest: Mapping[str, Any] | None) -> str:
    """The preset that suits a dataset: ``us311`` when every input is a 311 export.

    Example:
        >>> preset_for({"inputs": [{"kind": "311"}]}), preset_for({"inputs": [{"kind": "hotline"}]})
        ('us311', 'default')
    """
    kinds = {entry.get("kind") for entry in (manifest or {}).get("inputs", [])}
    return "us311" if kinds == {"311"} else "default"


def preset(name: str) -> Definitions:
    """A named preset: ``default``, ``beijing`` or ``strict``.

    Raises:
        HotlineError: Unknown name.
    """
    try:
        return PRESETS[name]
    except KeyError:
        raise HotlineError(f"unknown preset {name!r}; expected one of {sorted(PRESETS)}") from None


def resolve(definitions: Definitions | str | None) -> Definitions:
    """A :class:`Definitions` from itself, a preset name, or ``None`` (the default preset).

    Example:
        >>> resolve("beijing").name, resolve(None).name
        ('beijing', 'default')
    """
    if isinstance(definitions, Definitions):
        return definitions
    return preset(definitions or "default")
