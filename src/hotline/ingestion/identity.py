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

    Rows come sorted by group, oldest copy first. A row belongs to the first request of its
    group it agrees with (received time against that request's first row, caller against the
    first caller key that request has from an export of the same basis); else it starts a
    new request. Groups whose rows all agree (nearly all) are settled without a loop.

    Args:
        group: Group number of each row (rows of a group are adjacent).
        received: Received time in microseconds.
        callers: Caller key or ``None``.
        basis: :func:`caller_basis` of the row's export.

    Returns:
        0 for the first request of each group, 1 for a second, and so on.
    """
    n = len(group)
    found = np.zeros(n, dtype=np.int64)
    if n < 2:
        return found
    starts = np.r_[True, group[1:] != group[:-1]]
    first = np.flatnonzero(starts)[np.cumsum(starts) - 1]
    doubtful = set(group[~times_agree(received, received[first])].tolist())
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


def _split(received: np.ndarray, callers: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """The request of each row of one group (the slow path, for groups that disagree)."""
    requests: list[tuple[int, dict[int, object]]] = []  # first received time, caller by basis
    numbers = np.zeros(len(received), dtype=np.int64)
    for i, (when, caller, how) in enumerate(zip(received, callers, basis, strict=True)):
        for number, (first, known) in enumerate(requests):
            same_caller = caller is None or how == 0 or known.get(how, caller) == caller
            if same_caller and times_agree(np.array([when]), np.array([first]))[0]:
                if caller is not None and how:
                    known.setdefault(how, caller)
                numbers[i] = number
                break
        else:
            requests.append((int(when), {how: caller} if caller is not None and how else {}))
            numbers[i] = len(requests) - 1
    return numbers


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
