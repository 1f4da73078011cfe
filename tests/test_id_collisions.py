"""Rows sharing an order id merge only when they are one request: the identity rule.

Real message boards reuse ids: the real files are given colliding ids in tmp (their posts differ
in received time and user), and a genuine snapshot pair (one message, unanswered in the first
export and answered in the next) must still merge.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_path
from exports import save_rows, sheet_rows, write_csv
from hotline import ingest
from hotline.cli import main
from hotline.errors import HotlineError
from hotline.ingestion.identity import distinct_ids, identities, times_agree

SAMPLE = ("data", "real", "taidi2020c-sample")


def _us(*parts: int) -> int:
    return int(dt.datetime(*parts).replace(tzinfo=dt.UTC).timestamp() * 1_000_000)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ((2021, 3, 5, 9, 32, 8), (2021, 3, 5, 9, 32), True),  # one export drops the seconds
        ((2021, 3, 5, 9, 32), (2021, 3, 5, 9, 41, 59), True),  # within 10 minutes
        ((2021, 3, 5, 9, 32), (2021, 3, 5, 9, 43), False),  # 11 minutes apart
        ((2021, 3, 5), (2021, 3, 5, 17, 5), True),  # a date-only export: midnight, same day
        ((2021, 3, 6), (2021, 3, 5, 17, 5), False),  # a date-only export of another day
        ((2017, 5, 2, 10), (2019, 5, 15, 10), False),  # the real collision: years apart
    ],
)
def test_received_times_agree_within_ten_minutes_or_on_a_bare_date(a, b, agree) -> None:
    assert times_agree(np.array([_us(*a)]), np.array([_us(*b)]))[0] == agree
    assert times_agree(np.array([_us(*b)]), np.array([_us(*a)]))[0] == agree


@pytest.mark.parametrize(
    ("callers", "basis", "expected"),
    [
        (["k1", "k1", None], [2, 2, 2], [0, 0, 0]),  # one user; an export without the user
        (["k1", "k2", "k1"], [2, 2, 2], [0, 1, 0]),  # two users: two requests
        (["k1", "k2"], [1, 2], [0, 0]),  # a phone and a user id cannot be compared
        (["k1", "k2"], [0, 0], [0, 0]),  # exports without callers
    ],
)
def test_callers_split_a_group_only_when_comparable(callers, basis, expected) -> None:
    received = np.full(len(callers), _us(2021, 3, 5, 9))
    group = np.zeros(len(callers), dtype=np.int64)
    found = identities(group, received, np.array(callers, object), np.array(basis))
    assert found.tolist() == expected


def test_distinct_ids_add_the_row_only_within_one_file() -> None:
    assert distinct_ids(["5", "5"], ["a.csv", "b.csv"], [2, 2]) == ["5@a.csv", "5@b.csv"]
    assert distinct_ids(["5", "5"], ["a.csv", "a.csv"], [2, 7]) == ["5@a.csv:2", "5@a.csv:7"]


@pytest.fixture(scope="module")
def colliding(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """附件2 and a copy of 附件3 whose first three ids are rewritten to ids of 附件2."""
    messages = shared_path(*SAMPLE, "附件2.xlsx")
    others = sheet_rows(shared_path(*SAMPLE, "附件3.xlsx"))
    ids = [str(row[0]) for row in sheet_rows(messages)[1:4]]
    for index, new_id in enumerate(ids, start=1):
        others[index] = (new_id, *others[index][1:])
    folder = tmp_path_factory.mktemp("collide")
    return {"files": [messages, save_rows(folder / "附件3改.xlsx", others)], "ids": ids}


def test_different_posts_sharing_an_id_are_kept_apart_and_counted(colliding) -> None:
    first, second = (sheet_rows(path) for path in colliding["files"])
    times = {str(r[0]): r[3] for r in first[1:]}
    for row in second[1:4]:  # the premise: each rewritten id names a post of another time
        assert str(times[str(row[0])]) != str(row[3])
    result = ingest(colliding["files"], write=False, progress=False)
    ids = result.table.column("order_id").to_pylist()
    distinct_first = len({str(r[0]) for r in first[1:]})  # 附件2 repeats one id (37042)
    assert len(ids) == len(set(ids)) == distinct_first + len(second) - 1
    for old in colliding["ids"]:
        assert f"{old}@附件2.xlsx" in ids and f"{old}@附件3改.xlsx" in ids
        assert old not in ids
    assert result.totals.balanced
    assert result.totals.quality["id_collision"] == 2 * len(colliding["ids"])
    assert result.totals.merged == {"duplicate": 1}  # 37042, a genuine duplicate row
    account = result.account()
    assert "编号冲突" in account and "原编号 " + "、".join(colliding["ids"]) in account


def test_the_stop_option_refuses_a_collision(colliding, tmp_path, capsys) -> None:
    with pytest.raises(HotlineError, match=colliding["ids"][0]):
        ingest(colliding["files"], write=False, progress=False, stop_on_id_collision=True)
    out = tmp_path / "out"
    argv = ["ingest", *map(str, colliding["files"]), "--out", str(out), "--quiet"]
    assert main([*argv, "--stop-on-id-collision"]) == 2
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "附件3改.xlsx" in error
    assert all(i in error for i in colliding["ids"])
    assert not out.exists()


@pytest.mark.parametrize(
    "style",
    [
        lambda t: t,  # the same text in both exports
        lambda t: t.rsplit(":", 1)[0],  # the later export drops the seconds
        lambda t: t.split(" ")[0],  # the later export gives the date only
    ],
)
def test_a_genuine_snapshot_pair_still_merges(tmp_path: Path, style) -> None:
    rows = sheet_rows(shared_path(*SAMPLE, "附件4.xlsx"))[:21]
    # The May export: not yet answered; June's: answered (the real reply), time restyled.
    may = [rows[0]] + [(*r[:5], None, None) for r in rows[1:]]
    june = [rows[0]] + [(*r[:3], style(str(r[3])), *r[4:]) for r in rows[1:]]
    files = [
        save_rows(tmp_path / "留言_2019年5月.xlsx", may),
        save_rows(tmp_path / "留言_2019年6月.xlsx", june),
    ]
    result = ingest(files[::-1], write=False, progress=False)  # input order must not matter
    assert result.totals.merged == {"later_snapshot": 20}
    assert "id_collision" not in result.totals.quality
    table = result.table.to_pandas()
    assert sorted(table["order_id"]) == sorted(str(r[0]) for r in rows[1:])
    assert set(table["status"]) == {"replied"}
    assert set(table["source_file"]) == {"留言_2019年6月.xlsx"}


def test_within_one_file_a_duplicate_merges_and_a_different_post_does_not(tmp_path) -> None:
    header = ["留言编号", "留言用户", "留言时间", "留言详情"]
    rows = [
        ["9", "U1", "2019/5/15 8:00:00", "路灯坏了"],
        ["9", "U1", "2019/5/15 8:00:00", "路灯坏了"],  # the same row again: one message
        ["9", "U2", "2019/5/15 8:00:00", "噪音扰民"],  # same time, another user
        ["9", "U1", "2017/5/2 10:00:00", "旧帖"],  # same user, two years earlier
    ]
    result = ingest(
        [write_csv(tmp_path / "留言.csv", [header, *rows])], write=False, progress=False
    )
    ids = sorted(result.table.column("order_id").to_pylist())
    assert ids == ["9@留言.csv:3", "9@留言.csv:4", "9@留言.csv:5"]
    assert result.totals.merged == {"duplicate": 1}
    assert result.totals.quality["id_collision"] == 3
    assert result.totals.balanced


# The merge must not chain through pairwise agreement nor depend on the files' order: rows
# merge only when every two of them agree. Each case: (received, caller) per copy, and the
# requests they are, worked out by hand from the rule (indices into the copies).
_DAY = (2021, 7, 5)
_CHAINS = {
    # A bare date agrees with 10:00 and with 15:00, but they are 5 hours apart: nobody can
    # tell which request the bare date is a copy of, so all three stay apart.
    "X12": ([(_DAY, "P"), ((*_DAY, 10), "P"), ((*_DAY, 15), "P")], [[0], [1], [2]]),
    "Y2": ([((*_DAY, 10), "P"), (_DAY, "P"), ((*_DAY, 18), "P")], [[0], [1], [2]]),
    # 10:00-10:08 and 10:08-10:16 agree, 10:00-10:16 do not: a request spans at most the
    # tolerance from its earliest copy.
    "Y1": ([((*_DAY, 10), "P"), ((*_DAY, 10, 8), "P"), ((*_DAY, 10, 16), "P")], [[0, 1], [2]]),
    # Every two agree: one request.
    "Z1": ([(_DAY, "P"), ((*_DAY, 10), "P"), ((*_DAY, 10, 5), "P")], [[0, 1, 2]]),
}
_MORE = {
    # A bare date without a caller could be either caller's request: its own.
    "callers": ([((*_DAY, 9), "k1"), ((*_DAY, 9), "k2"), (_DAY, None)], [[0], [1], [2]]),
    # With a caller it can only be one of them.
    "caller-decides": ([((*_DAY, 9), "k1"), ((*_DAY, 9), "k2"), (_DAY, "k1")], [[0, 2], [1]]),
    # Two identical bare dates that fit two requests stay together, apart from both.
    "ambiguous-pair": (
        [((*_DAY, 10), "P"), ((*_DAY, 15), "P"), (_DAY, "P"), (_DAY, "P")],
        [[0], [1], [2, 3]],
    ),
    # A bare date of another day is another request.
    "other-day": ([(_DAY, "P"), ((*_DAY, 10), "P"), ((2021, 7, 6), "P")], [[0, 1], [2]]),
    # A copy without a caller between two requests of one caller (12 minutes apart): its own.
    "between": (
        [((*_DAY, 9), "k1"), ((*_DAY, 9, 5), None), ((*_DAY, 9, 12), "k1")],
        [[0], [1], [2]],
    ),
}


def _partition(found: list[int], positions: tuple[int, ...]) -> set[frozenset[int]]:
    """The requests as sets of the copies' original indices."""
    requests: dict[int, set[int]] = {}
    for number, index in zip(found, positions, strict=True):
        requests.setdefault(number, set()).add(index)
    return {frozenset(r) for r in requests.values()}


@pytest.mark.parametrize(("copies", "expected"), [*_CHAINS.values(), *_MORE.values()])
def test_copies_merge_only_when_all_agree_in_any_order(copies, expected) -> None:
    want = {frozenset(r) for r in expected}
    for positions in itertools.permutations(range(len(copies))):
        received = np.array([_us(*copies[i][0]) for i in positions])
        callers = np.array([copies[i][1] for i in positions], object)
        group = np.zeros(len(copies), dtype=np.int64)
        found = identities(group, received, callers, np.ones(len(copies), dtype=np.int64))
        assert found[0] == 0
        assert _partition(found.tolist(), positions) == want, positions


def test_ingest_outcome_does_not_depend_on_which_file_holds_which_copy(tmp_path) -> None:
    """The chains above as three monthly exports, each permutation of copies over the files."""
    names = ["hot_20210801.csv", "hot_20210901.csv", "hot_20211001.csv"]  # oldest first
    header = ["工单编号", "受理时间", "来电号码", "承办单位", "办理状态", "诉求内容"]

    def text(parts: tuple[int, ...]) -> str:
        when = dt.datetime(*parts)
        return f"{when:%Y-%m-%d}" if len(parts) == 3 else f"{when:%Y-%m-%d %H:%M:%S}"

    for run, perm in enumerate(itertools.permutations(range(3))):
        folder = tmp_path / str(run)
        folder.mkdir()
        files = []
        for slot, name in enumerate(names):  # file `slot` holds copy perm[slot] of each id
            rows = [
                [id_, text(copies[perm[slot]][0]), "1390000" + "1111", "甲局", "办理中", "问"]
                for id_, (copies, _) in _CHAINS.items()
            ]
            files.append(write_csv(folder / name, [header, *rows]))
        ordered = files if run % 2 else files[::-1]  # the input order must not matter either
        result = ingest(ordered, write=False, progress=False)
        assert result.totals.balanced
        kept = result.table.column("order_id").to_pylist()
        assert len(kept) == len(set(kept))
        expected_ids, merged, collided = [], 0, 0
        for id_, (_, requests) in _CHAINS.items():
            slots = [[perm.index(copy) for copy in request] for request in requests]
            merged += sum(len(s) - 1 for s in slots)
            if len(slots) == 1:
                expected_ids.append(id_)
            else:  # each request is kept under the file of its latest copy
                expected_ids += [f"{id_}@{names[max(s)]}" for s in slots]
                collided += len(slots)
        assert sorted(kept) == sorted(expected_ids), perm
        assert result.totals.merged == {"later_snapshot": merged}, perm
        assert result.totals.quality["id_collision"] == collided, perm


@settings(max_examples=150, deadline=None)
@given(
    copies=st.lists(
        st.tuples(
            st.integers(0, 2),  # day
            st.one_of(st.just(0), st.integers(1, 24 * 60 - 1)),  # 0: a bare date; else minute
            st.sampled_from([None, "k1", "k2"]),
        ),
        min_size=1,
        max_size=7,
    ),
    seed=st.randoms(use_true_random=False),
)
def test_every_two_copies_of_a_request_agree_whatever_their_order(copies, seed) -> None:
    received = np.array([_us(2021, 7, 5 + day) + minute * 60_000_000 for day, minute, _ in copies])
    callers = np.array([c for *_, c in copies], object)
    group = np.zeros(len(copies), dtype=np.int64)
    basis = np.ones(len(copies), dtype=np.int64)
    found = identities(group, received, callers, basis)
    for a, b in itertools.combinations(range(len(copies)), 2):
        if found[a] == found[b]:
            assert times_agree(received[[a]], received[[b]])[0]
            assert None in (callers[a], callers[b]) or callers[a] == callers[b]
    positions = list(range(len(copies)))
    seed.shuffle(positions)
    shuffled = identities(group, received[positions], callers[positions], basis)
    assert _partition(shuffled.tolist(), tuple(positions)) == _partition(
        found.tolist(), tuple(range(len(copies)))
    )
