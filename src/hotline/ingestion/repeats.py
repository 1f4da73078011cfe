"""For each accepted request: the hours since the same caller's previous one on the same topic.

Repeat requests (重复诉求, domain reference §2.1) are the same caller (``caller_key``) asking about
the same topic again within N days; N is a metric definition. The gap to the previous request is
a property of the dataset, so the ingest computes it once (``repeat_gap_hours``) and a metric
only compares it with N, equally fast on pandas and DuckDB. Requests received in the same second
are ordered by order id.

Example:
    >>> import pyarrow as pa, datetime as dt
    >>> t = pa.table({"order_id": ["1", "2", "3"], "caller_key": ["K", "K", "K"],
    ...               "topic": ["供暖", "供暖", "教育"], "status": ["closed"] * 3,
    ...               "received_at": [dt.datetime(2021, 1, 1), dt.datetime(2021, 1, 2),
    ...                               dt.datetime(2021, 1, 3)]})
    >>> repeat_gaps(t).to_pylist()
    [None, 24.0, None]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline import rules

__all__ = ["repeat_gaps"]

_US_PER_HOUR = 3_600_000_000


def repeat_gaps(table: pa.Table) -> pa.Array:
    """Hours since the same caller's previous accepted request on the same topic (else null).

    Args:
        table: Orders with ``order_id``, ``caller_key``, ``topic``, ``status``, ``received_at``.
    """
    n = table.num_rows
    gaps = np.full(n, np.nan)
    if not {"caller_key", "topic", "received_at", "order_id"} <= set(table.column_names):
        return pa.array(gaps, pa.float64(), mask=np.isnan(gaps))  # no caller or topic: no gaps
    if "status" in table.column_names:
        void = pc.is_in(table["status"], pa.array(rules.VOID_STATUSES))
        accepted = pc.invert(pc.fill_null(void, False))
    else:
        accepted = pa.array(np.ones(n, dtype=bool))
    usable = pc.and_(
        pc.and_(pc.is_valid(table["caller_key"]), pc.is_valid(table["topic"])),
        pc.and_(accepted, pc.is_valid(table["received_at"])),
    )
    positions = np.flatnonzero(pc.fill_null(usable, False).to_numpy(zero_copy_only=False))
    if positions.size < 2:
        return pa.array(gaps, pa.float64(), mask=np.isnan(gaps))
    keys = ("caller_key", "topic", "received_at", "order_id")
    subset = table.select(list(keys)).take(pa.array(positions))
    subset = subset.set_column(2, "received_at", pc.cast(subset["received_at"], pa.timestamp("us")))
    order = pc.sort_indices(subset, sort_keys=[(k, "ascending") for k in keys]).to_numpy()
    caller = pc.take(subset["caller_key"], order)
    topic = pc.take(subset["topic"], order)
    times = pc.take(subset["received_at"], order).cast(pa.int64()).to_numpy(zero_copy_only=False)
    same = np.zeros(len(order), dtype=bool)
    same[1:] = pc.equal(caller.slice(1), caller.slice(0, len(order) - 1)).to_numpy(
        zero_copy_only=False
    ) & pc.equal(topic.slice(1), topic.slice(0, len(order) - 1)).to_numpy(zero_copy_only=False)
    previous = np.roll(times, 1)
    hours = np.where(same, (times - previous) / _US_PER_HOUR, np.nan)
    gaps[positions[order]] = hours
    return pa.array(gaps, pa.float64(), mask=np.isnan(gaps))
