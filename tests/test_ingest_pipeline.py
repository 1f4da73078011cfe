"""Many exports into one dataset: snapshots, merges, the account, atomic and repeatable writes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from exports import HOTLINE_HEADER, hotline_rows, write_csv, write_xlsx
from hotline import ingest, load
from hotline.dataset import order_files, read_manifest
from hotline.errors import HotlineError, InputError
from hotline.outputs import STAGING_PREFIX, OutputError
from hotline.schema import SOURCE_KIND


def monthly(tmp: Path, name: str, exported: str | None, rows: list[list[object]]) -> Path:
    preamble = [["XX县12345热线工单明细表"], [f"导出时间：{exported}"], []] if exported else []
    return write_xlsx(tmp / name, [*preamble, HOTLINE_HEADER, *rows])


@pytest.fixture
def two_months(tmp_path: Path) -> tuple[Path, Path]:
    march = hotline_rows(4) + hotline_rows(1, start=5, status="办理中")
    april = hotline_rows(1, start=5) + hotline_rows(3, start=6)
    return (
        monthly(tmp_path, "march.xlsx", "2021-04-02 09:00", march),
        monthly(tmp_path, "april.xlsx", "2021-05-03 09:00", april),
    )


def test_latest_snapshot_wins_whatever_the_order_given(
    two_months: tuple[Path, Path], tmp_path: Path
) -> None:
    march, april = two_months
    result = ingest([april, march], out=tmp_path / "out", progress=False)
    df = load(tmp_path / "out")
    assert len(df) == 8
    a5 = df.set_index("order_id").loc["A5"]
    assert a5["status"] == "closed" and a5["source_file"] == "april.xlsx"
    assert a5["snapshot_at"] == dt.datetime(2021, 5, 3, 9)
    march_report = next(r for r in result.reports if r.name == "march.xlsx")
    assert march_report.merged == {"later_snapshot": 1}
    assert result.totals.balanced
    assert result.totals.rows_in == 9 and result.totals.written == 8


@pytest.mark.parametrize(
    ("names", "option", "expected_rule", "winner"),
    [
        # explicit option beats the file's own export line
        (("m1.xlsx", "m2.xlsx"), {"m1.xlsx": "2021-06-01"}, "option", "m1.xlsx"),
        # a date in the file name when there is no export line
        (("x_20210402.xlsx", "x_20210503.xlsx"), None, "file name", "x_20210503.xlsx"),
        (("工单2021年5月.xlsx", "工单2021年4月.xlsx"), None, "file name", "工单2021年5月.xlsx"),
        # nothing at all: the order given, later wins
        (("b.xlsx", "a.xlsx"), None, "order", "a.xlsx"),
    ],
)
def test_snapshot_rules(
    tmp_path: Path, names: tuple[str, str], option, expected_rule: str, winner: str
) -> None:
    with_line = expected_rule == "option"
    first = monthly(
        tmp_path, names[0], "2021-04-02" if with_line else None, hotline_rows(1, status="办理中")
    )
    second = monthly(tmp_path, names[1], "2021-05-03" if with_line else None, hotline_rows(1))
    result = ingest([first, second], write=False, snapshot_at=option, progress=False)
    rules = {r.name: r.snapshot_rule for r in result.reports}
    assert rules[winner] == expected_rule
    assert result.table.column("source_file").to_pylist() == [winner]


def test_duplicates_within_one_export_merge(tmp_path: Path) -> None:
    rows = hotline_rows(3)
    rows.append(list(rows[0]))  # exact duplicate row
    rows.append([*rows[1][:5], "办理中"])  # same order, different status: the later row wins
    result = ingest(
        [write_xlsx(tmp_path / "a.xlsx", [HOTLINE_HEADER, *rows])], write=False, progress=False
    )
    report = result.reports[0]
    assert (report.rows_in, report.written, report.merged) == (5, 3, {"duplicate": 2})
    statuses = dict(
        zip(
            result.table.column("order_id").to_pylist(),
            result.table.column("status").to_pylist(),
            strict=True,
        )
    )
    assert statuses["A2"] == "in_progress"


def test_hotline_and_online_ids_never_merge(tmp_path: Path) -> None:
    hotline = write_xlsx(
        tmp_path / "h.xlsx", [HOTLINE_HEADER, ["1", "2021/3/5 9:00", "", "x", "", "已办结"]]
    )
    online = write_xlsx(
        tmp_path / "o.xlsx", [["留言编号", "留言时间", "留言详情"], ["1", "2021/3/5 9:00", "y"]]
    )
    result = ingest([hotline, online], write=False, progress=False)
    assert sorted(result.table.column("source_kind").to_pylist()) == ["hotline", "online"]


def test_folders_expand_in_name_order_skipping_lock_and_hidden_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "2021").mkdir(parents=True)
    write_xlsx(raw / "2021" / "b.xlsx", [HOTLINE_HEADER, *hotline_rows(2)])
    write_csv(raw / "a.csv", [HOTLINE_HEADER, *hotline_rows(1, start=3)])
    (raw / "~$b.xlsx").write_bytes(b"lock")
    (raw / ".hidden.csv").write_text("x")
    (raw / "README.md").write_text("notes")
    result = ingest([raw], write=False, progress=False)
    assert [r.name for r in result.reports] == ["2021/b.xlsx", "a.csv"]


#: (files to create, what is given to ingest, the names expected in source_file).
SAME_NAMES = [
    (["a.csv", "b.csv"], ["a.csv", "b.csv"], ["a.csv", "b.csv"]),
    (["2022/x.csv", "2023/x.csv"], ["2022/x.csv", "2023/x.csv"], ["2022/x.csv", "2023/x.csv"]),
    (["2022/x.csv", "2023/x.csv"], ["2022", "2023"], ["2022/x.csv", "2023/x.csv"]),
    (
        ["q/2022/m/x.csv", "r/2022/m/x.csv"],
        ["q/2022/m/x.csv", "r/2022/m/x.csv"],
        ["q/2022/m/x.csv", "r/2022/m/x.csv"],
    ),
    (["q/sub/x.csv", "r/sub/x.csv"], ["q", "r"], ["q/sub/x.csv", "r/sub/x.csv"]),
]


@pytest.mark.parametrize(("files", "given", "names"), SAME_NAMES)
def test_files_of_one_name_get_distinct_source_names(
    tmp_path: Path, files: list[str], given: list[str], names: list[str]
) -> None:
    for start, file in enumerate(files):
        write_csv(tmp_path / file, [HOTLINE_HEADER, *hotline_rows(1, start=start + 1)])
    result = ingest([tmp_path / g for g in given], write=False, progress=False)
    assert [r.name for r in result.reports] == names
    assert sorted(set(result.table.column("source_file").to_pylist())) == names


def test_manifest_traces_every_input(two_months: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest(list(two_months), out=out, progress=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == read_manifest(out)
    for entry, path in zip(manifest["inputs"], two_months, strict=True):
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["rows_in"] == entry["written"] + sum(entry["merged"].values()) + sum(
            entry["rejected"].values()
        )
    assert manifest["schema_version"] and manifest["hotline_version"] and manifest["created_at"]
    assert manifest["output"]["rows"] == len(load(out))
    assert load(out).attrs["manifest"]["run_id"] == manifest["run_id"]
    assert (out / "ingest_report.md").read_text(encoding="utf-8").startswith("# 数据导入记录")
    assert (out / "rejects.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_rerun_gives_identical_data(two_months: tuple[Path, Path], tmp_path: Path) -> None:
    ingest(list(two_months), out=tmp_path / "one", progress=False)
    ingest(list(two_months), out=tmp_path / "two", progress=False)
    first, second = (order_files(tmp_path / name) for name in ("one", "two"))
    assert [p.relative_to(tmp_path / "one") for p in first] == [
        p.relative_to(tmp_path / "two") for p in second
    ]
    for one, two in zip(first, second, strict=True):
        assert (
            pq.read_table(one)
            .replace_schema_metadata(None)
            .equals(pq.read_table(two).replace_schema_metadata(None))
        )
    assert (tmp_path / "one" / "rejects.csv").read_bytes() == (
        tmp_path / "two" / "rejects.csv"
    ).read_bytes()


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the partitions of ``orders/`` included) -> its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_an_error_writes_nothing_and_keeps_the_previous_dataset(
    two_months: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ingest([two_months[0]], out=out, progress=False)
    before = _contents(out)
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"")
    with pytest.raises(InputError, match=r"broken\.csv: file is empty"):
        ingest([two_months[1], broken], out=out, progress=False)
    assert _contents(out) == before


def test_a_failure_while_writing_keeps_the_previous_dataset(
    two_months: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    ingest([two_months[0]], out=out, progress=False)
    before = _contents(out)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hotline.dataset.pacsv.write_csv", disk_full)
    with pytest.raises(OutputError, match=r"out/rejects\.csv: 磁盘已满"):  # names the file
        ingest(list(two_months), out=out, progress=False)
    assert _contents(out) == before


def test_a_killed_ingest_keeps_the_previous_dataset(
    two_months: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    ingest([two_months[0]], out=out, progress=False)
    before = load(out)
    script = f"""
import os, signal
from hotline.partitions import PartitionWriter
real = PartitionWriter.close
def write_then_die(self):
    real(self)
    os.kill(os.getpid(), signal.SIGKILL)  # killed after writing, before anything is renamed
PartitionWriter.close = write_then_die
from hotline import ingest
ingest({[str(p) for p in two_months]!r}, out={str(out)!r}, progress=False)
"""
    done = subprocess.run([sys.executable, "-c", script], env=os.environ.copy(), check=False)
    assert done.returncode == -9
    after = load(out)
    assert after.equals(before)
    assert after.attrs["manifest"]["run_id"] == before.attrs["manifest"]["run_id"]
    ingest(list(two_months), out=out, progress=False)  # the next run cleans up the staging folder
    assert not [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_load_without_dataset_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(HotlineError, match="run `hotline ingest`"):
        load(tmp_path / "nothing")


def test_load_gives_canonical_dtypes(two_months: tuple[Path, Path], tmp_path: Path) -> None:
    ingest(list(two_months), out=tmp_path / "out", progress=False)
    df = load(tmp_path / "out")
    assert str(df["order_id"].dtype) == "str"
    assert str(df["received_at"].dtype) == "datetime64[us]"
    assert df["status"].dtype.name == "category"
    assert df["satisfaction"].cat.ordered
    assert list(df["source_kind"].cat.categories) == list(SOURCE_KIND.codes)
