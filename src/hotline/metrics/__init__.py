"""Hotline metrics on the canonical DataFrame.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"source_kind": ["hotline"] * 3,
    ...                    "status": ["closed", "closed", "dispatched"]})
    >>> closure_rate(df)
    Rate(numerator=2, denominator=3)
"""

from __future__ import annotations

import pandas as pd

from hotline import rules
from hotline.metrics.rate import Rate, wilson_interval

__all__ = ["Rate", "closure_rate", "headline", "volume", "wilson_interval"]


def volume(df: pd.DataFrame) -> int:
    """受理量: number of accepted orders (see :mod:`hotline.rules`)."""
    return int(rules.accepted(df).sum())


def closure_rate(df: pd.DataFrame) -> Rate:
    """办结率 = closed accepted orders / accepted orders."""
    accepted = rules.accepted(df)
    return Rate(int(rules.closed(df).sum()), int(accepted.sum()))


def headline(df: pd.DataFrame) -> pd.DataFrame:
    """受理、办结、办结率 per source kind and in total: the figures a report quotes.

    Returns:
        One row per source kind present, then ``total``; columns ``accepted``, ``closed``,
        ``closure_rate`` (a :class:`Rate`).
    """
    rows = []
    kinds = [k for k in df["source_kind"].astype(object).dropna().unique()]
    order = {"hotline": 0, "online": 1}
    for kind in sorted(kinds, key=lambda k: order.get(k, 9)):
        part = df[df["source_kind"].astype(object).eq(kind)]
        rate = closure_rate(part)
        rows.append(
            {
                "source_kind": kind,
                "accepted": rate.denominator,
                "closed": rate.numerator,
                "closure_rate": rate,
            }
        )
    total = closure_rate(df)
    rows.append(
        {
            "source_kind": "total",
            "accepted": total.denominator,
            "closed": total.numerator,
            "closure_rate": total,
        }
    )
    return pd.DataFrame(rows).set_index("source_kind")
