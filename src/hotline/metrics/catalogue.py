"""The catalogue of rates and counts, as views of :mod:`hotline.metrics.declarations`.

Every rate is ``numerator / denominator`` of two summed flags (:mod:`hotline.metrics.flags`).
A rate whose data the export does not hold (no return events, no revisit results) has no
denominator and is missing, never 0% or 100%. The names here (:data:`RATES`, :data:`COUNTS`,
:data:`COUNT_EVIDENCE`, :data:`EVIDENCE`, :func:`numerator`, :func:`denominator`) are read
from the declarations in force, so a rate declared there appears here too.

Example:
    >>> RATES["closure_rate"].zh, RATES["closure_rate"].formula
    ('办结率', '办结件数 / 受理件数')
    >>> COUNTS["accepted"], COUNT_EVIDENCE["on_time"], EVIDENCE["direct_answer_rate"]
    ('受理量', 'closure_known', 'dispatch_known')
    >>> from hotline.metrics.definitions import preset
    >>> denominator("closure_rate", preset("beijing"))
    'dispatched'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from hotline.metrics.declarations import Catalogue, Rate, active
from hotline.metrics.definitions import Definitions

__all__ = ["COUNTS", "COUNT_EVIDENCE", "EVIDENCE", "RATES", "RateSpec", "denominator", "numerator"]

#: One rate of the catalogue (the declaration itself).
RateSpec = Rate

V = TypeVar("V")


class _View(Mapping[str, V]):
    """A read-only mapping computed from the catalogue in force at each access."""

    def __init__(self, pick: Callable[[Catalogue], Mapping[str, V]]) -> None:
        self._pick = pick

    def __getitem__(self, key: str) -> V:
        return self._pick(active())[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pick(active()))

    def __len__(self) -> int:
        return len(self._pick(active()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self)!r})"


#: Rate key -> its declaration (``zh``, ``en``, ``numerator``, ``formula``, ``needs`` …).
RATES: Mapping[str, Rate] = _View(lambda c: c.rates)

#: Counts shown next to the rates, with their Chinese names.
COUNTS: Mapping[str, str] = _View(lambda c: {k: f.zh for k, f in c.flags.items() if f.shown})

#: Counts that need information the export may lack: count -> the flag of orders whose export
#: carries it. A group where that flag sums to 0 has the count missing, not 0.
COUNT_EVIDENCE: Mapping[str, str] = _View(
    lambda c: {k: f.evidence[0] for k, f in c.flags.items() if f.evidence}
)

#: Rates stated of every accepted order or not at all: rate -> the flag that must equal the
#: accepted count. A group where some orders' exports cannot say (a message board without
#: replies beside one with them) has the rate missing: 886 closed of 1,042 accepted is
#: neither 85% (the unknown are not open) nor 100% (the unknown are not closed).
EVIDENCE: Mapping[str, str] = _View(
    lambda c: {k: r.evidence for k, r in c.rates.items() if r.evidence}
)


def numerator(key: str, definitions: Definitions) -> str:
    """The count above the line of a rate under ``definitions``."""
    return active().rate(key).numerator_under(definitions)


def denominator(key: str, definitions: Definitions) -> str:
    """The count below the line of a rate under ``definitions``."""
    return active().rate(key).denominator_under(definitions)
