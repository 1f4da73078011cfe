"""What values a stated figure allows, given its qualifier and its precision.

======================  ======================================  ===============================
qualifier               words                                   values allowed (x)
======================  ======================================  ===============================
exact                   a plain figure, 为, 共, 高达             v − h ≤ x < v + h
at_least                达到, 达, 不低于, 不少于, 至少, …以上      x ≥ v − h
more_than               超过, 逾, 超, 高于, 突破, …余/多          x > v
at_most                 不超过, 不高于, 至多, …以下, …以内        x < v + h
less_than               不到, 低于, 不足, 少于, 未达到            x < v
approximately           约, 近, 接近, 将近, 大约, …左右           v − t ≤ x ≤ v + t
======================  ======================================  ===============================

``h`` is half the step of the last stated digit (95% → 0.5 points, 98.8% → 0.05, 1.1万 → 500,
a plain count 9383 → 0.5, i.e. exactly 9383). ``t``, the tolerance of an approximation, is
:data:`APPROX_RATE_POINTS` percentage points for a rate and :data:`APPROX_COUNT_SHARE` of the
value for a count, never less than ``h``.

A bound that holds but lies far from the data (达到95% when the data says 98.77%) is
consistent yet understated: more than :data:`LOOSE_RATE_POINTS` points, or
:data:`LOOSE_COUNT_SHARE` of the value for a count.

Example:
    >>> from hotline.claims.numbers import parse_number
    >>> b = bound(parse_number("95%"), "at_least")
    >>> b.contains(Fraction(9877, 100)), b.loose(Fraction(9877, 100)), b.describe()
    (True, True, 'x ≥ 94.5%')
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hotline.claims.numbers import Number

__all__ = [
    "APPROX_COUNT_SHARE",
    "APPROX_RATE_POINTS",
    "LOOSE_COUNT_SHARE",
    "LOOSE_RATE_POINTS",
    "Bound",
    "bound",
]

#: Tolerance of 约/近/左右 for a rate, in percentage points.
APPROX_RATE_POINTS = Fraction(1)
#: Tolerance of 约/近/左右 for a count, as a share of the stated value.
APPROX_COUNT_SHARE = Fraction(5, 100)
#: A bound further than this from the data (in points) is flagged as understating (偏保守).
LOOSE_RATE_POINTS = Fraction(2)
#: The same for counts, as a share of the stated value.
LOOSE_COUNT_SHARE = Fraction(5, 100)


@dataclass(frozen=True)
class Bound:
    """The interval of values a claim allows.

    Attributes:
        stated: The value as stated (percent for rates).
        low: Lower end, ``None`` for none.
        high: Upper end, ``None`` for none.
        low_open: The lower end itself is excluded.
        high_open: The upper end itself is excluded.
        percent: Values are percentages.
        one_sided: Only a lower or an upper bound is claimed (达到, 不到 …).
    """

    stated: Fraction
    low: Fraction | None
    high: Fraction | None
    low_open: bool = False
    high_open: bool = False
    percent: bool = False
    one_sided: bool = False

    @property
    def exact_count(self) -> bool:
        """A plain count: exactly the stated number (9383 allows 9383 only)."""
        return (
            not self.percent
            and self.stated.denominator == 1
            and self.low == self.stated - Fraction(1, 2)
            and self.high == self.stated + Fraction(1, 2)
        )

    def contains(self, value: Fraction) -> bool:
        """Whether ``value`` is allowed."""
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or value < self.high or (not self.high_open and value == self.high)

    def loose(self, value: Fraction) -> bool:
        """Whether a one-sided bound holds with more room than the threshold (偏保守)."""
        if not self.one_sided or not self.contains(value):
            return False
        room = LOOSE_RATE_POINTS if self.percent else LOOSE_COUNT_SHARE * abs(self.stated)
        return abs(value - self.stated) > room

    def describe(self) -> str:
        """The interval in plain notation, e.g. ``94.5% ≤ x < 95.5%``, or ``x = 9383``."""
        if self.exact_count:
            return f"x = {self.stated}"
        parts = []
        if self.low is not None:
            parts.append(f"{_show(self.low, self.percent)} {'<' if self.low_open else '≤'} ")
        parts.append("x")
        if self.high is not None:
            parts.append(f" {'<' if self.high_open else '≤'} {_show(self.high, self.percent)}")
        text = "".join(parts)
        if self.low is not None and self.high is None:  # x ≥ v reads better than v ≤ x
            text = f"x {'>' if self.low_open else '≥'} {_show(self.low, self.percent)}"
        return text


def _show(value: Fraction, percent: bool) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return f"{text}%" if percent else text


def bound(number: Number, qualifier: str) -> Bound:
    """The values a figure allows under a qualifier (see the module table).

    Args:
        number: The stated figure.
        qualifier: ``exact``, ``at_least``, ``more_than``, ``at_most``, ``less_than`` or
            ``approximately``.

    Raises:
        ValueError: Another qualifier (a change is not a level and has no bound).

    Example:
        >>> from hotline.claims.numbers import parse_number
        >>> bound(parse_number("98.8%"), "exact").describe()
        '98.75% ≤ x < 98.85%'
        >>> bound(parse_number("9400件"), "approximately").describe()
        '8930 ≤ x ≤ 9870'
    """
    value, half = Fraction(number.value), Fraction(number.step) / 2
    common = {"stated": value, "percent": number.percent}
    if qualifier == "exact":
        return Bound(low=value - half, high=value + half, high_open=True, **common)
    if qualifier == "at_least":
        return Bound(low=value - half, high=None, one_sided=True, **common)
    if qualifier == "more_than":
        return Bound(low=value, high=None, low_open=True, one_sided=True, **common)
    if qualifier == "at_most":
        return Bound(low=None, high=value + half, high_open=True, one_sided=True, **common)
    if qualifier == "less_than":
        return Bound(low=None, high=value, high_open=True, one_sided=True, **common)
    if qualifier == "approximately":
        tolerance = APPROX_RATE_POINTS if number.percent else APPROX_COUNT_SHARE * value
        tolerance = max(tolerance, half)
        return Bound(low=value - tolerance, high=value + tolerance, **common)
    raise ValueError(f"no bound for qualifier {qualifier!r}")
