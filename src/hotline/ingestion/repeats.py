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
        return _hours(gaps)  # no caller or topic: no gaps
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
    # Only callers with two requests or more can have a gap: the others drop out here.
    repeated, callers = _repeated_callers(_take(table["caller_key"], positions, n))
    positions = positions[repeated]
    if positions.size < 2:
        return _hours(gaps)
    keyed = pa.table(
        {
            "caller": callers.astype(np.int32),
            "topic": _codes(_take(table["topic"], positions, n)),
            "received_at": pc.cast(_take(table["received_at"], positions, n), pa.timestamp("us")),
            "order_id": _take(table["order_id"], positions, n),
        }
    )
    order = pc.sort_indices(keyed, sort_keys=[(k, "ascending") for k in keyed.column_names])
    order = order.to_numpy()
    caller = callers[order]
    topic = keyed["topic"].to_numpy(zero_copy_only=False)[order]
    times = keyed["received_at"].cast(pa.int64()).to_numpy()[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (caller[1:] == caller[:-1]) & (topic[1:] == topic[:-1])
    previous = np.roll(times, 1)
    gaps[positions[order]] = np.where(same, (times - previous) / _US_PER_HOUR, np.nan)
    return _hours(gaps)


def _hours(gaps: np.ndarray) -> pa.Array:
    return pa.array(gaps, pa.float64(), mask=np.isnan(gaps))


def _take(values: pa.ChunkedArray | pa.Array, positions: np.ndarray, n: int) -> pa.Array:
    """The cells at ``positions``, as one array (no copy when that is every row)."""
    cells = values if positions.size == n else pc.take(values, pa.array(positions))
    if isinstance(cells, pa.ChunkedArray):
        return cells.chunk(0) if cells.num_chunks == 1 else cells.combine_chunks()
    return cells


def _repeated_callers(callers: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Which rows' caller occurs more than once, and an integer per caller for those rows.

    Caller keys are fixed-width hex digests: a 64-bit fingerprint of their bytes, ranked,
    finds the repeated ones without hashing a million strings. The bytes of the rows kept are
    then compared with their group's first row, so that a shared fingerprint can never join
    two callers. Other columns get dictionary codes.

    Returns:
        The mask of rows kept and, for those rows, integers equal exactly where the keys are.
    """
    words = _words(pc.cast(callers, pa.string()))
    if words is not None:
        _, codes, counts = np.unique(_fingerprints(words), return_inverse=True, return_counts=True)
        kept = counts[codes] > 1
        codes = codes[kept]
        first = np.empty(counts.size, dtype=np.int64)
        first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)  # first kept row of each code
        words = words[kept]
        if (words == words[first[codes]]).all():
            return kept, codes
    codes = _codes(callers).to_numpy(zero_copy_only=False).astype(np.int64)
    kept = np.bincount(codes)[codes] > 1
    return kept, codes[kept]


def _fingerprints(words: np.ndarray) -> np.ndarray:
    """A multiply-xor hash of each row of 64-bit words."""
    mixed = np.zeros(len(words), dtype=np.uint64)
    for column in words.T:
        mixed = (mixed ^ column) * np.uint64(0x9E3779B97F4A7C15)
    return mixed


def _words(cells: pa.Array) -> np.ndarray | None:
    """The bytes of each string as rows of 64-bit words.

    ``None`` unless every string is present and of one length, a multiple of 8 bytes.
    """
    low, high = (s.as_py() for s in pc.min_max(pc.binary_length(cells)).values())
    if low is None or low != high or low % 8 or cells.null_count:
        return None
    _, offsets, data = cells.buffers()
    start = int(np.frombuffer(offsets, np.int32, count=1, offset=4 * cells.offset)[0])
    words = np.frombuffer(data, "<u8", count=len(cells) * low // 8, offset=start)
    return words.reshape(len(cells), low // 8)


def _codes(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Dictionary codes of a string column: equal strings, equal codes."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    return encoded.indices
