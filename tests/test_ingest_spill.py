"""An ingest bigger than its memory merges through disk and writes exactly what memory would.

Each case ingests the same files twice: once held in memory, once with a memory limit so small
that every export is staged to disk and the merge runs over many ranges of order ids
(:mod:`hotline.ingestion.spill`). The datasets must be the same file for file, and the
accounts, manifests and rejected rows the same (a partition's rows compared in id order).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import shared_path
from exports import save_rows, sheet_rows, write_csv
from hotline import ingest, load
from hotline.dataset import order_files
from hotline.errors import HotlineError
from hotline.ingestion.pipeline import SpilledOrders
from hotline.ingestion.spill import BYTES_PER_ROW, Spill

pytestmark = pytest.mark.slow

HEADER = ["工单编号", "受理时间", "来电号码", "业务分类", "诉求内容", "承办单位", "办理状态"]
TOPICS = ["供暖", "噪音", "教育", "交通"]
STATUSES = ["已办结", "办理中", "已受理", "已撤销"]


def _tiny(rows_per_range: int) -> int:
    """The memory limit under which a merge range holds ``rows_per_range`` rows."""
    return rows_per_range * BYTES_PER_ROW


def _ingest_both(files: list[Path], tmp: Path, rows_per_range: int) -> tuple[Path, Path]:
    held, streamed = tmp / "held", tmp / "streamed"
    first = ingest(files, out=held, progress=False)
    second = ingest(files, out=streamed, progress=False, memory_limit=_tiny(rows_per_range))
    rows = sum(r.rows_in for r in first.reports)
    spills = rows > Spill(tmp, _tiny(rows_per_range)).rows_held
    assert isinstance(second.orders, SpilledOrders) == spills
    if spills:
        with pytest.raises(HotlineError, match="streamed its"):
            _ = second.table  # not held: the error says where the rows went
    # the same account, but for the streamed run's note that it went through disk
    noted = second.account()
    assert ("经磁盘分段" in noted or "through disk" in noted) == spills
    assert _without_run_note(noted) == first.account()
    return held, streamed


def _without_run_note(account: str) -> str:
    return re.sub(r"\n(?:本次合并经磁盘|The merge went through disk)[^\n]*\n", "", account)


#: Report lines on how a run went, in the Chinese and the English (311) report.
_RUN_NOTES = ("注意：上次导入", "本次合并经磁盘", "The merge went through disk")


def _assert_same_dataset(held: Path, streamed: Path) -> None:
    manifests = [json.loads((d / "manifest.json").read_text("utf-8")) for d in (held, streamed)]
    for manifest in manifests:
        del manifest["run_id"], manifest["created_at"]
        manifest.pop("left_out", None)  # what the last run was given: history, not data
        manifest.pop("run")  # how the run was made (through disk or not), not what it made
    assert manifests[0] == manifests[1]
    assert (held / "rejects.csv").read_bytes() == (streamed / "rejects.csv").read_bytes()
    reports = [(d / "ingest_report.md").read_text("utf-8").splitlines() for d in (held, streamed)]
    # the notes on files of the last ingest not given again and on how the run went (through
    # disk, from the cache) are history, not data
    reports = [[x for x in r if x.strip() and not x.startswith(_RUN_NOTES)] for r in reports]
    assert reports[0] == reports[1]
    files = [order_files(d) for d in (held, streamed)]
    assert [p.relative_to(held) for p in files[0]] == [p.relative_to(streamed) for p in files[1]]
    for one, two in zip(*files, strict=True):
        assert _rows(one).equals(_rows(two)), one.relative_to(held)


def _rows(part: Path) -> pa.Table:
    """A partition's rows in id order.

    One export without repeated ids keeps its own row order when held (nothing to merge), and
    comes back in id order when streamed.
    """
    table = pq.read_table(part).replace_schema_metadata(None)
    return table.take(pc.sort_indices(table, sort_keys=[("order_id", "ascending")]))


def test_the_sample_county_streamed_is_the_sample_county(
    sample_county: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    held, streamed = _ingest_both([sample_county[0]], tmp_path, rows_per_range=700)
    _assert_same_dataset(held, streamed)
    assert load(streamed)["repeat_gap_hours"].notna().any()  # the gaps crossed the ranges


def _snapshots(folder: Path, seed: int, months: int, per_month: int, overlap: float) -> list[Path]:
    """Monthly CSV snapshots in which a share of each month's orders come back later, with
    duplicates within a file, repeat callers, and ids that sort across the ranges."""
    rng = random.Random(seed)
    callers = [f"139{rng.randrange(10**8):08d}" for _ in range(max(3, per_month // 4))]
    files, carried, number = [], [], 0
    for month in range(1, months + 1):
        rows = []
        for row in carried:  # a later snapshot of an earlier order: same id, time and caller
            rows.append([*row[:6], rng.choice(STATUSES)])
        for _ in range(per_month):
            number += 1
            day, hour = rng.randint(1, 28), rng.randint(0, 23)
            rows.append(
                [
                    f"{rng.choice('ABZ')}{number:05d}",
                    f"2021/{month}/{day} {hour}:{rng.randint(0, 59):02d}:00",
                    rng.choice(callers),
                    rng.choice(TOPICS),
                    f"诉求{number}",
                    rng.choice(["县住建局", "县教育局", "城关镇"]),
                    rng.choice(STATUSES),
                ]
            )
        if rows and rng.random() < 0.5:
            rows.append(list(rows[0]))  # an exact duplicate row within the file
        rng.shuffle(rows)
        carried = [r for r in rows if rng.random() < overlap]
        name = f"工单导出_2021-{month:02d}-28.csv"
        files.append(write_csv(folder / name, [HEADER, *rows], encoding="gb18030"))
    return files


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 10_000),
    months=st.integers(1, 4),
    per_month=st.integers(1, 60),
    overlap=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    rows_per_range=st.integers(1, 40),
)
def test_overlapping_snapshots_streamed_are_the_snapshots_held(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    months: int,
    per_month: int,
    overlap: float,
    rows_per_range: int,
) -> None:
    tmp = tmp_path_factory.mktemp("spill")
    files = _snapshots(tmp / "raw", seed, months, per_month, overlap)
    held, streamed = _ingest_both(files, tmp, rows_per_range)
    _assert_same_dataset(held, streamed)


def test_replies_and_id_collisions_streamed_are_as_held(tmp_path: Path) -> None:
    sample = ("data", "real", "taidi2020c-sample")
    messages = sheet_rows(shared_path(*sample, "附件4.xlsx"))[:200]
    others = sheet_rows(shared_path(*sample, "附件3.xlsx"))[:200]
    for index in range(1, 6):  # five posts of another file under ids of the first
        others[index] = (messages[index * 7][0], *others[index][1:])
    # replies to the first 60 messages only: later ranges have messages and no reply
    replies = [(messages[0][0], *messages[0][5:7])] + [(r[0], *r[5:7]) for r in messages[1:60]]
    replies.append(("999999999", "与本批留言无关的答复", "2019/5/1 10:00:00"))
    (tmp_path / "raw").mkdir()
    files = [
        save_rows(tmp_path / "raw" / "留言.xlsx", [row[:5] for row in messages]),
        save_rows(tmp_path / "raw" / "答复.xlsx", replies),
        save_rows(tmp_path / "raw" / "附件3改.xlsx", others),
    ]
    held, streamed = _ingest_both(files, tmp_path, rows_per_range=9)
    _assert_same_dataset(held, streamed)
    manifest = json.loads((streamed / "manifest.json").read_text("utf-8"))
    assert manifest["totals"]["quality"].get("id_collision")  # the premise: collisions kept apart


def test_a_terminated_ingest_leaves_no_staged_rows_and_the_dataset_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM (a scheduler's stop) ends the run as Ctrl-C does: the staged rows in $TMPDIR are
    removed and the dataset is the one before, with exit status 143."""
    import os
    import signal
    import subprocess
    import sys
    import time

    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-not-secret-0123456789")
    files = _snapshots(tmp_path / "made", seed=3, months=12, per_month=4000, overlap=0.2)
    out, scratch = tmp_path / "dataset", tmp_path / "scratch"
    scratch.mkdir()
    assert ingest(files[:1], out=out, progress=False).manifest["totals"]["written"] > 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    command = [sys.executable, "-m", "hotline.cli", "ingest", *map(str, files), "--out", str(out)]
    command += ["--memory-limit", str(_tiny(500)), "--quiet"]
    env = {**os.environ, "TMPDIR": str(scratch)}
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any(scratch.glob("hotline-spill-*/part-*")) and run.poll() is None:
        assert time.monotonic() < deadline, "the ingest never staged a part"
        time.sleep(0.02)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143, err.decode()
    assert "interrupted" in err.decode()
    assert not list(scratch.glob("hotline-spill-*"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_311_export_streamed_is_as_held(tmp_path: Path) -> None:
    """An English (311) dataset: its report notes the streamed merge in English."""
    rows = shared_path("data", "real", "la311-hackforla", "requests.csv").read_text("utf-8")
    lines = rows.splitlines()[:301]
    (tmp_path / "raw").mkdir()
    export = tmp_path / "raw" / "requests.csv"
    export.write_text("\n".join([*lines, *lines[1:40]]) + "\n", "utf-8")  # 39 ids twice
    held, streamed = _ingest_both([export], tmp_path, rows_per_range=7)
    assert "The merge went through disk" in (streamed / "ingest_report.md").read_text("utf-8")
    _assert_same_dataset(held, streamed)
