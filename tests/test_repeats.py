"""Repeat gaps (``repeat_gap_hours``) against a plain-Python reading of the rule."""

from __future__ import annotations

import datetime as dt
import hashlib
from unittest import mock

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline import rules
from hotline.ingestion import repeats
from hotline.ingestion.repeats import repeat_gaps
from strategies import received_times

#: Caller keys as the ingest writes them (32 hex digits) and as a hand-made table might hold
#: them (short text): the two ways ``repeat_gaps`` groups callers.
DIGESTS = [hashlib.sha256(str(i).encode()).hexdigest()[:32] for i in range(4)]
SHORT = ["K1", "K2", "K1 ", "王"]


def expected_gaps(rows: list[dict]) -> list[float | None]:
    """The rule, row by row: hours since the same caller's previous accepted request on the
    same topic, requests in the same second ordered by order id."""
    usable = [
        i
        for i, r in enumerate(rows)
        if r["caller_key"] is not None
        and r["topic"] is not None
        and r["received_at"] is not None
        and r["status"] not in rules.VOID_STATUSES
    ]
    usable.sort(key=lambda i: (rows[i]["received_at"], rows[i]["order_id"]))
    gaps: list[float | None] = [None] * len(rows)
    last: dict[tuple[str, str], dt.datetime] = {}
    for i in usable:
        group = (rows[i]["caller_key"], rows[i]["topic"])
        if group in last:
            gaps[i] = (rows[i]["received_at"] - last[group]).total_seconds() / 3600
        last[group] = rows[i]["received_at"]
    return gaps


@st.composite
def order_rows(draw: st.DrawFn) -> list[dict]:
    keys = draw(st.sampled_from([DIGESTS, SHORT]))
    count = draw(st.integers(min_value=0, max_value=30))
    times = st.none() | received_times | st.sampled_from([dt.datetime(2021, 5, 1, 8)])
    return [
        {
            "order_id": f"A{draw(st.integers(0, 99)):02d}",
            "caller_key": draw(st.none() | st.sampled_from(keys)),
            "topic": draw(st.none() | st.sampled_from(["供暖", "教育"])),
            "status": draw(st.sampled_from(["closed", "in_progress", *rules.VOID_STATUSES])),
            "received_at": draw(times),
        }
        for _ in range(count)
    ]


def _table(rows: list[dict]) -> pa.Table:
    columns = ["order_id", "caller_key", "topic", "status", "received_at"]
    types = [pa.string()] * 4 + [pa.timestamp("us")]
    return pa.table(
        {c: pa.array([r[c] for r in rows], t) for c, t in zip(columns, types, strict=True)}
    )


@given(order_rows())
def test_repeat_gaps_follow_the_rule(rows: list[dict]) -> None:
    assert repeat_gaps(_table(rows)).to_pylist() == expected_gaps(rows)


@given(order_rows())
def test_a_shared_fingerprint_never_joins_two_callers(rows: list[dict]) -> None:
    # Every key gets the same fingerprint: only the byte comparison keeps callers apart.
    same = lambda words: np.zeros(len(words), np.uint64)  # noqa: E731
    with mock.patch.object(repeats, "_fingerprints", same):
        assert repeat_gaps(_table(rows)).to_pylist() == expected_gaps(rows)


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        (["order_id", "topic", "status", "received_at"], "no caller column"),
        (["order_id", "caller_key", "status", "received_at"], "no topic column"),
    ],
)
def test_without_caller_or_topic_there_are_no_gaps(columns: list[str], reason: str) -> None:
    rows = [
        {"order_id": "A1", "caller_key": "K", "topic": "供暖", "status": "closed",
         "received_at": dt.datetime(2021, 1, 1)},
        {"order_id": "A2", "caller_key": "K", "topic": "供暖", "status": "closed",
         "received_at": dt.datetime(2021, 1, 2)},
    ]  # fmt: skip
    gaps = repeat_gaps(_table(rows).select(columns))
    assert gaps.null_count == len(rows), reason


def test_a_chunked_table_gives_the_same_gaps() -> None:
    rows = [
        {"order_id": f"A{i}", "caller_key": DIGESTS[i % 2], "topic": "供暖", "status": "closed",
         "received_at": dt.datetime(2021, 1, 1) + dt.timedelta(hours=3 * i)}
        for i in range(8)
    ]  # fmt: skip
    whole = _table(rows)
    chunked = pa.Table.from_batches(whole.to_batches(max_chunksize=3))
    assert chunked.column("caller_key").num_chunks > 1
    assert repeat_gaps(chunked).to_pylist() == repeat_gaps(whole).to_pylist()
    assert repeat_gaps(whole).to_pylist() == expected_gaps(rows)


@pytest.mark.parametrize(
    "caller_type",
    [pa.large_string(), pa.dictionary(pa.int32(), pa.string())],
    ids=["large_string", "dictionary"],
)
@given(rows=order_rows())
def test_other_caller_column_types_give_the_same_gaps(
    rows: list[dict], caller_type: pa.DataType
) -> None:
    table = _table(rows)
    callers = table["caller_key"].cast(caller_type)
    table = table.set_column(table.schema.get_field_index("caller_key"), "caller_key", callers)
    assert repeat_gaps(table).to_pylist() == expected_gaps(rows)
