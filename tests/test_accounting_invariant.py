"""Hypothesis: whatever the exports hold, every row is written, merged or rejected, exactly once."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exports import write_csv
from hotline import ingest
from hotline.errors import InputError
from hotline.schema import STATUS
from strategies import exports

HEADER = ["工单编号", "受理时间", "办理状态", "诉求内容"]


def _day(text: str) -> tuple[int, ...]:
    """The date of a received time in any of the strategies' styles."""
    found = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", text)
    assert found, text
    return tuple(int(part) for part in found.groups())


def _usable(row: list[str]) -> bool:
    """Whether a row can be a request: an id and a received time."""
    return bool(row[0]) and row[1] != "不详"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(exports(), min_size=1, max_size=4))
def test_rows_in_equals_written_plus_merged_plus_rejected(files: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, export in enumerate(files):
            rows: list[list[str]] = []
            if export["exported"] is not None:
                rows += [["工单明细"], [f"导出时间：{export['exported']:%Y-%m-%d %H:%M:%S}"]]
            rows += [HEADER, *export["rows"]]
            if export["footer"]:
                rows.append(["合计", str(len(export["rows"]))])
            paths.append(write_csv(Path(folder) / f"export{index}.csv", rows, encoding="gb18030"))
        unusable = [i for i, f in enumerate(files) if not any(_usable(r) for r in f["rows"])]
        if unusable:  # a file whose every row is rejected stops the ingest, naming it
            pattern = rf"^export{unusable[0]}\.csv: all \d+ rows rejected, none written"
            with pytest.raises(InputError, match=pattern):
                ingest(paths, write=False, progress=False)
            return
        result = ingest(paths, write=False, progress=False)

    totals = result.totals
    assert totals.rows_in == totals.written + sum(totals.merged.values()) + sum(
        totals.rejected.values()
    )
    assert all(r.balanced for r in result.reports)
    given_rows = sum(len(f["rows"]) + f["footer"] for f in files)
    assert totals.rows_in == given_rows
    usable = [row for f in files for row in f["rows"] if _usable(row)]
    # A request is an id and a received day (see strategies.received_of): copies of one order
    # share it, a request reusing the id is received on another day.
    requests = {(row[0], _day(row[1])) for row in usable}
    assert totals.written == result.table.num_rows == len(requests)
    written = result.table.column("order_id").to_pylist()
    assert {i.split("@")[0] for i in written} == {row[0] for row in usable}
    kept_apart = {i for i, _ in requests if sum(j == i for j, _ in requests) > 1}
    assert {i.split("@")[0] for i in written if "@" in i} == kept_apart
    assert totals.quality.get("id_collision", 0) == sum("@" in i for i in written)
    assert set(result.table.column("status").to_pylist()) <= set(STATUS.codes)


@settings(max_examples=25, deadline=None)
@given(st.lists(exports(), min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_input_order_does_not_matter_when_snapshots_are_known(files: list[dict], random) -> None:
    assume(all(any(_usable(r) for r in f["rows"]) for f in files))  # else the ingest stops
    dated = [dict(f, exported=None) for f in files]
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, export in enumerate(dated):
            rows = [
                ["工单明细"],
                [f"导出时间：2021-12-{index + 1:02d} 10:00:00"],
                HEADER,
                *export["rows"],
            ]
            paths.append(write_csv(Path(folder) / f"e{index}.csv", rows))
        shuffled = list(paths)
        random.shuffle(shuffled)
        one = ingest(paths, write=False, progress=False).table
        two = ingest(shuffled, write=False, progress=False).table
    keep = ["order_id", "status", "source_file", "source_row"]
    assert one.select(keep).equals(two.select(keep))
