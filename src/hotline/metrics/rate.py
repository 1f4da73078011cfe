"""A rate is a value with its evidence: numerator, denominator and a 95% interval.

Example:
    >>> r = Rate(9268, 9383)
    >>> str(r)
    '98.77%(9268/9383)'
    >>> round(r.value, 4), [round(x, 4) for x in r.interval]
    (0.9877, [0.9853, 0.9898])
    >>> Rate(0, 0).value is None
    True
    >>> print(Rate(0, 0, reason="导出中没有办理状态或答复信息"))
    —（导出中没有办理状态或答复信息）
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Rate", "wilson_interval"]

_Z95 = 1.959963984540054


def wilson_interval(numerator: int, denominator: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion; ``(nan, nan)`` for an empty denominator.

    Chosen over the normal approximation because it stays inside [0, 1] and behaves at rates
    near 100% and for small units (2 of 2 closed), which is where hotline rates live.

    Example:
        >>> [round(x, 3) for x in wilson_interval(2, 2)]
        [0.342, 1.0]
    """
    if denominator <= 0:
        return (math.nan, math.nan)
    p = numerator / denominator
    z2 = z * z
    centre = (p + z2 / (2 * denominator)) / (1 + z2 / denominator)
    half = (z / (1 + z2 / denominator)) * math.sqrt(
        p * (1 - p) / denominator + z2 / (4 * denominator * denominator)
    )
    low = 0.0 if numerator == 0 else max(0.0, centre - half)  # exact ends, no 1e-18 residue
    high = 1.0 if numerator == denominator else min(1.0, centre + half)
    return (low, high)


@dataclass(frozen=True)
class Rate:
    """numerator / denominator, never 0% or 100% for an empty denominator.

    Attributes:
        numerator: Count of orders meeting the condition.
        denominator: Count of orders the rate is taken over.
        reason: Why the rate is missing when the export cannot support it (in Chinese, e.g.
            ``导出中没有办理状态或答复信息``); ``None`` otherwise.
    """

    numerator: int
    denominator: int
    reason: str | None = field(default=None, repr=False, compare=False)

    @property
    def value(self) -> float | None:
        """The proportion, or ``None`` when the denominator is 0."""
        return self.numerator / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval (``nan`` bounds when the denominator is 0)."""
        return wilson_interval(self.numerator, self.denominator)

    def percent(self, digits: int = 2) -> str:
        """The value as a percentage string, ``—`` when undefined.

        Example:
            >>> Rate(182, 192).percent()
            '94.79%'
        """
        value = self.value
        return "—" if value is None else f"{value * 100:.{digits}f}%"

    def __str__(self) -> str:
        if self.value is None and self.reason:
            return f"—（{self.reason}）"
        return f"{self.percent()}({self.numerator}/{self.denominator})"

    def _repr_html_(self) -> str:
        if self.value is None and self.reason:
            from html import escape

            return f"<b>—</b>（{escape(self.reason)}）"
        low, high = self.interval
        band = "" if self.value is None else f" <small>95% CI {low:.2%}–{high:.2%}</small>"
        return f"<b>{self.percent()}</b> ({self.numerator}/{self.denominator}){band}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data: numerator, denominator, value and interval bounds."""
        low, high = self.interval
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "ci_low": None if math.isnan(low) else low,
            "ci_high": None if math.isnan(high) else high,
            **({"reason": self.reason} if self.reason else {}),
        }
