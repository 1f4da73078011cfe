"""Which rows sharing an order id are copies of one request, and which are different requests.

Monthly exports repeat an order while it is open, so the same id in two exports is usually one
request seen twice, and the later copy wins (:mod:`.snapshots`). But ids are not always unique:
two message boards, or one platform before and after a migration, can give the same id to
different requests years apart. Rows sharing an id (and source kind) are merged only when they
agree on who asked and when:

* **received time**: within :data:`RECEIVED_TOLERANCE` (10 minutes: one export shows seconds,
  another drops them), or one of them is a bare date (midnight) on the other's day;
* **caller**: the same caller key, when both rows have one and both exports identify callers
  the same way (by phone, by user id, or by both); a phone in one export and a user id in the
  other cannot be compared, so they do not disagree.

Every two rows of a request must agree, and the grouping depends on the rows' values only, not
on the order of files or rows (:func:`_split`): 10:00, 10:08 and 10:16 are two requests, and a
bare date that fits two requests of its day is kept on its own.

Rows that disagree are an **id collision**: each request is kept, under the id
``<id>@<source_file>`` (and ``:<source_row>`` when two of them come from the same file), so
the original id stays readable and the suffix names where the row came from.

Example:
    >>> import datetime as dt
    >>> us = lambda *a: int(dt.datetime(*a).timestamp() * 1e6)
    >>> received = np.array([us(2017, 5, 2, 9), us(2017, 5, 2, 9, 0, 40), us(2019, 5, 15, 8)])
    >>> identities(np.array([0, 0, 0]), received, np.array([None] * 3), np.zeros(3, int))
    array([0, 0, 1])
    >>> distinct_ids(["216065", "216065"], ["附件2.xlsx", "附件3.xlsx"], [7, 3])
    ['216065@附件2.xlsx', '216065@附件3.xlsx']
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["RECEIVED_TOLERANCE", "caller_basis", "distinct_ids", "identities", "times_agree"]

#: How far apart two received times of one request may be (exports differ in shown seconds).
RECEIVED_TOLERANCE = dt.timedelta(minutes=10)
_TOLERANCE_US = RECEIVED_TOLERANCE // dt.timedelta(microseconds=1)
_DAY_US = 86_400_000_000
#: How an export identifies callers: a bit per identifying column.
_BASIS_BITS = {"caller_phone": 1, "caller_user": 2}


def caller_basis(columns: Sequence[str]) -> int:
    """How an export identifies callers: 0 not at all, 1 phone, 2 user id, 3 both.

    Example:
        >>> caller_basis(["order_id", "caller_user"]), caller_basis(["order_id"])
        (2, 0)
    """
    return sum(bit for name, bit in _BASIS_BITS.items() if name in columns)


def times_agree(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether received times (microseconds) can be the same request's.

    Example:
        >>> day = 1_600_000_000_000_000 // _DAY_US * _DAY_US
        >>> times_agree(np.array([day, day + 60e6, day]), np.array([day + 9 * 3.6e9, day, day + 1]))
        array([ True,  True,  True])
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    close = np.abs(a - b) <= _TOLERANCE_US
    # A date-only export stores midnight: it agrees with any time of that day.
    bare = (a % _DAY_US == 0) | (b % _DAY_US == 0)
    return close | (bare & (a // _DAY_US == b // _DAY_US))


def identities(
    group: np.ndarray, received: np.ndarray, callers: np.ndarray, basis: np.ndarray
) -> np.ndarray:
    """Number each row's request within its group of rows sharing an id.

    Rows are merged into one request only when every pair of them agrees (received time and
    caller); the grouping looks at the rows' values only, never at their order, so the files'
    order cannot change it (:func:`_split` gives the rule). Groups whose rows all agree pairwise
    (nearly all) are settled without a loop.

    Args:
        group: Group number of each row (rows of a group are adjacent).
        received: Received time in microseconds.
        callers: Caller key or ``None``.
        basis: :func:`caller_basis` of the row's export.

    Returns:
        A request number per row: rows of one group with the same number are one request;
        the group's first row has 0.

    Example:
        >>> day = 1_600_000_000_000_000 // _DAY_US * _DAY_US
        >>> hour = 3_600_000_000
        >>> received = np.array([day, day + 10 * hour, day + 15 * hour])  # date only, 10h, 15h
        >>> identities(np.zeros(3, int), received, np.array([None] * 3), np.zeros(3, int))
        array([0, 1, 2])
    """
    n = len(group)
    found = np.zeros(n, dtype=np.int64)
    if n < 2:
        return found
    received = np.asarray(received, dtype=np.int64)
    starts = np.r_[True, group[1:] != group[:-1]]
    doubtful = _doubtful_groups(group, received)
    known = pd.DataFrame({"group": group, "basis": basis, "caller": callers})
    known = known[known["caller"].notna() & (known["basis"] > 0)]
    if len(known):
        callers_per = known.groupby(["group", "basis"])["caller"].nunique()
        doubtful |= set(callers_per[callers_per > 1].index.get_level_values("group").tolist())
    if not doubtful:
        return found
    bounds = np.r_[np.flatnonzero(starts), n]
    for start, end in itertools.pairwise(bounds):
        if group[start] in doubtful:
            found[start:end] = _split(received[start:end], callers[start:end], basis[start:end])
    return found


def _doubtful_groups(group: np.ndarray, received: np.ndarray) -> set[int]:
    """Groups in which some two rows' received times may disagree (checked pairwise)."""
    frame = pd.DataFrame({"group": group, "when": received})
    frame["bare"] = frame["when"] % _DAY_US == 0
    frame["day"] = frame["when"] // _DAY_US
    span = frame.groupby("group")["when"].agg(["min", "max"])
    close = span["max"] - span["min"] <= _TOLERANCE_US  # every pair within the tolerance
    # Else: the timed rows within the tolerance and every bare date on their (single) day.
    timed = frame[~frame["bare"]].groupby("group")["when"].agg(["min", "max"])
    timed_close = timed["max"] - timed["min"] <= _TOLERANCE_US
    one_day = timed["min"] // _DAY_US == timed["max"] // _DAY_US
    days = frame[frame["bare"]].groupby("group")["day"].agg(["min", "max"])
    bare_fit = (days["min"] == days["max"]) & (
        days["min"] == (timed["min"] // _DAY_US).reindex(days.index)
    )
    timed_fine = timed_close & one_day & bare_fit.reindex(timed.index, fill_value=True)
    fine = close | timed_fine.reindex(span.index, fill_value=False)
    return set(fine.index[~fine].tolist())


def _split(received: np.ndarray, callers: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The request of each row of one group (the slow path, for groups that disagree).

    The rows are taken in an order of their values alone (never the files' order): first the
    rows with a time of day and a caller, by time; then the timed rows without a caller; then
    the bare dates. A row joins the request every member of which it agrees with; with none it
    starts a new request; when it could join several, it is a request of its own (with any
    identical rows), as nobody can tell which it belongs to. Taking timed rows by time makes a
    request span at most the tolerance from its earliest row (10:00, 10:08 and 10:16 are two
    requests: 10:00 with 10:08, then 10:16), and a bare date joins its day's request only when
    that day has exactly one.
    """
    n = len(received)
    comparable = [c is not None and int(b) > 0 for c, b in zip(callers, basis, strict=True)]
    bare = received % _DAY_US == 0

    def phase(i: int) -> int:
        return 2 if bare[i] else 0 if comparable[i] else 1

    visit = sorted(
        range(n),
        key=lambda i: (phase(i), int(received[i]), int(basis[i]), str(callers[i] or ""), i),
    )
    members: list[list[int]] = []  # rows of each request
    known: list[dict[int, object]] = []  # its caller key by basis
    alone: dict[tuple, int] = {}  # requests of rows that could join several, by their values
    request = np.zeros(n, dtype=np.int64)
    for i in visit:
        how, caller = int(basis[i]), callers[i]
        candidates = [
            r
            for r, rows in enumerate(members)
            if r not in alone.values()
            and (not comparable[i] or known[r].get(how, caller) == caller)
            and times_agree(np.full(len(rows), received[i]), received[rows]).all()
        ]
        if len(candidates) == 1:
            r = candidates[0]
        elif candidates:
            value = (int(received[i]), how, caller if comparable[i] else None)
            if value not in alone:
                alone[value] = len(members)
                members.append([])
                known.append({})
            r = alone[value]
        else:
            r = len(members)
            members.append([])
            known.append({})
        members[r].append(i)
        if comparable[i]:
            known[r].setdefault(how, caller)
        request[i] = r
    # Number requests by their first row in the given order, so the first row has 0.
    _, first = np.unique(request, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[request]


def distinct_ids(ids: Sequence[str], files: Sequence[str], rows: Sequence[int]) -> list[str]:
    """The ids the requests of one collision are kept under: ``id@file``, or ``id@file:row``.

    The row is added only where the file alone does not tell two requests apart.

    Example:
        >>> distinct_ids(["7", "7", "7"], ["a.csv", "a.csv", "b.csv"], [2, 9, 4])
        ['7@a.csv:2', '7@a.csv:9', '7@b.csv']
    """
    by_file = [f"{i}@{f}" for i, f in zip(ids, files, strict=True)]
    counts = pd.Series(by_file).value_counts()
    return [
        name if counts[name] == 1 else f"{name}:{row}"
        for name, row in zip(by_file, rows, strict=True)
    ]
