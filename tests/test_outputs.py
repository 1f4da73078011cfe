"""Output folders: whose they are, one writer at a time, one unit per commit, keys, full disks."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import HOTLINE_HEADER, hotline_rows, write_csv
from hotline import ingest, load, outputs, paths
from hotline.dataset import MANIFEST_FILE
from hotline.errors import DatasetError, HotlineError
from hotline.keys import fingerprint
from hotline.outputs import DATASET, REPORT, OutputError, check_target
from hotline.report import build as build_module
from hotline.report import build_report
from orders import frame


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "/"
        for p in sorted(folder.rglob("*"))
    }


def export(folder: Path, n: int = 4, name: str = "a.csv", start: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / name, [HOTLINE_HEADER, *hotline_rows(n, start=start)])


def report_data() -> pd.DataFrame:
    """Twelve closed hotline orders over three months of 2021."""
    rows = []
    for i in range(12):
        received = dt.datetime(2021, 1 + i % 3, 1 + i % 5, 9)
        rows.append({"order_id": f"O{i}", "source_kind": "hotline", "received_at": received,
                     "status": "closed", "closed_at": received + dt.timedelta(days=1),
                     "department": "县教育局", "town": "城关街道", "topic": "教育"})  # fmt: skip
    return frame(rows)


# -- which folders --out accepts ----------------------------------------------------------------


def _user_files(folder: Path) -> None:
    folder.mkdir()
    (folder / "manifest.json").write_text('{"mine": 1}', encoding="utf-8")
    (folder / "rejects.csv").write_text("a,b\n", encoding="utf-8")


def _placeholders(folder: Path) -> None:
    folder.mkdir()
    (folder / "README.md").write_text("放数据集", encoding="utf-8")
    (folder / ".gitkeep").touch()


def _legacy_dataset(folder: Path) -> None:
    folder.mkdir()
    manifest = {"schema_version": "1", "inputs": [], "totals": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "orders.parquet").write_bytes(b"PAR1")


def _legacy_report(folder: Path) -> None:
    folder.mkdir()
    facts = {"kind": "annual", "facts": []}
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    (folder / "report.md").write_text("# 报告", encoding="utf-8")


def _facts_only(folder: Path) -> None:  # facts.json alone: the old rule took it for a report
    folder.mkdir()
    (folder / "facts.json").write_text('{"my": "facts"}', encoding="utf-8")
    (folder / "report_edited.docx").write_bytes(b"PK")


def _marked(kind: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        folder.mkdir()
        (folder / outputs.MARKERS[kind]).write_text(json.dumps({"kind": kind}), "utf-8")
        (folder / "notes.txt").write_text("mine, beside hotline's files", encoding="utf-8")

    return make


def _a_file(folder: Path) -> None:
    folder.write_text("x", encoding="utf-8")


def _year_with_bulletins(folder: Path) -> None:
    folder.mkdir()
    _marked(REPORT)(folder / "2021-04")


TARGETS: list[tuple[str, Callable[[Path], None] | None, str, str | None]] = [
    ("new path", None, DATASET, None),
    ("empty", Path.mkdir, DATASET, None),
    ("placeholders", _placeholders, DATASET, None),
    ("user files", _user_files, DATASET, r"数据集文件夹（有 manifest\.json、rejects\.csv）"),
    ("legacy dataset", _legacy_dataset, DATASET, None),
    ("legacy dataset as report", _legacy_dataset, REPORT, "不是报告文件夹"),
    ("marked dataset", _marked(DATASET), DATASET, None),
    ("marked report as dataset", _marked(REPORT), DATASET, "是 hotline 报告文件夹"),
    ("legacy report", _legacy_report, REPORT, None),
    ("facts.json of the user", _facts_only, REPORT, "不是报告文件夹"),
    ("year of bulletins", _year_with_bulletins, REPORT, None),
    ("a file", _a_file, DATASET, "已存在且不是文件夹"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "make", "kind", "refusal"), TARGETS, ids=[t[0] for t in TARGETS])
def test_out_accepts_only_new_empty_or_hotline_folders(
    case: str, make: Callable | None, kind: str, refusal: str | None, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    if make is not None:
        make(folder)
    before = snapshot(tmp_path)
    if refusal is None:
        check_target(folder, kind)
    else:
        with pytest.raises(OutputError, match=refusal):
            check_target(folder, kind)
    assert snapshot(tmp_path) == before, case


def test_out_refuses_the_raw_folder_and_folders_holding_an_input(
    isolated_project: Path, tmp_path: Path
) -> None:
    raw = paths.raw_dir()
    source = export(raw)
    for folder, inputs in ((raw, [source]), (raw / "sub", []), (tmp_path, [source.parent])):
        with pytest.raises(OutputError, match=r"原始导出文件夹|包含本次读入"):
            check_target(folder, DATASET, inputs)
    mine = export(tmp_path / "mine")
    with pytest.raises(OutputError, match=r"包含本次读入的 a\.csv"):
        ingest([mine], out=mine.parent, progress=False)
    assert sorted(p.name for p in mine.parent.iterdir()) == ["a.csv"]


_NAMES = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters="._-"), min_size=1
).filter(lambda n: n not in (".", "..") and n.lower() not in outputs.PLACEHOLDERS)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(_NAMES, min_size=1, max_size=4, unique_by=str.lower))
def test_any_foreign_file_makes_a_folder_refused_and_untouched(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("user")
    for name in names:
        (folder / name).write_text("the user's", encoding="utf-8")
    before = snapshot(folder)
    for kind in (DATASET, REPORT):
        with pytest.raises(OutputError):
            check_target(folder, kind)
    assert snapshot(folder) == before


# -- report: only its own files -----------------------------------------------------------------


def _charts(names: list[str]) -> Callable[[Path], dict[str, Path]]:
    def draw(folder: Path) -> dict[str, Path]:
        drawn = {}
        for name in names:
            (folder / f"{name}.png").write_bytes(b"\x89PNG " + name.encode())
            drawn[name] = folder / f"{name}.png"
        return drawn

    return draw


def test_a_rebuilt_report_replaces_only_its_own_files(tmp_path: Path) -> None:
    data, folder = report_data(), tmp_path / "2021"
    build_report(data, 2021, out=folder, charts=_charts(["trend", "towns"]))
    (folder / "report_edited.docx").write_bytes(b"PK the user's edit")
    (folder / "figures" / "mine.png").write_bytes(b"the user's own chart")
    files = build_report(data, 2021, out=folder, charts=_charts(["trend"]))
    assert (folder / "report_edited.docx").read_bytes() == b"PK the user's edit"
    assert (folder / "figures" / "mine.png").read_bytes() == b"the user's own chart"
    assert not (folder / "figures" / "towns.png").exists()  # drawn last time, not this time
    assert files.figures["trend"].is_file()
    marker = outputs.read_marker(folder, REPORT)
    assert marker is not None and sorted(marker["files"]) == sorted(
        ["figures/trend.png", "tables.xlsx", "facts.json", "report.md", "report.docx"]
    )


@pytest.mark.parametrize(
    ("kind", "name", "own"),
    [
        (DATASET, "orders.parquet", True),
        (DATASET, "manifest.json", True),
        (DATASET, "rejects.csv", True),
        (DATASET, "ingest_report.md", True),
        (DATASET, "notes.txt", False),  # a user's file beside the dataset
        (DATASET, "../victim.txt", False),
        (DATASET, "/etc/passwd", False),
        (DATASET, "sub/orders.parquet", False),
        (DATASET, "report.md", False),  # a report's name, not a dataset's
        (DATASET, "figures/trend.png", False),
        (DATASET, 3, False),
        (REPORT, "report.md", True),
        (REPORT, "bulletin.md", True),
        (REPORT, "tables.xlsx", True),
        (REPORT, "facts.json", True),
        (REPORT, "figures/2021-01-月度趋势.png", True),
        (REPORT, "figures/trend.SVG", True),
        (REPORT, "figures/../../victim.png", False),
        (REPORT, "figures/sub/trend.png", False),
        (REPORT, "figures/.hidden.png", False),
        (REPORT, "figures/notes.txt", False),  # only images are charts
        (REPORT, "figures\\..\\x.png", False),
        (REPORT, "figures/a.png\nb.png", False),
        (REPORT, "orders.parquet", False),
    ],
)
def test_a_marker_may_list_only_the_outputs_own_names(kind: str, name: object, own: bool) -> None:
    assert outputs.own_name(kind, name) is own


def _tamper(folder: Path, kind: str, *entries: object) -> None:
    marker = folder / outputs.MARKERS[kind]
    about = json.loads(marker.read_text(encoding="utf-8"))
    about["files"] = [*about["files"], *entries]
    marker.write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    "entry",
    ["../victim.txt", "notes.txt", "ABSOLUTE", "figures/../../victim.txt", 7],
    ids=["parent", "user file inside", "absolute", "through figures", "not a name"],
)
def test_a_tampered_dataset_marker_refuses_the_folder_untouched(
    tmp_path: Path, entry: object
) -> None:
    folder = tmp_path / "ds"
    ingest([export(tmp_path / "in")], out=folder, progress=False)
    victim = tmp_path / "victim.txt"
    victim.write_text("not hotline's", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    _tamper(folder, DATASET, str(victim) if entry == "ABSOLUTE" else entry)
    before = snapshot(tmp_path)
    with pytest.raises(OutputError) as refused:
        ingest([export(tmp_path / "in")], out=folder, progress=False)
    message = str(refused.value)
    assert message.startswith(f"{folder}: .hotline-dataset 列出了 ") and "\n" not in message
    assert snapshot(tmp_path) == before


def test_a_report_marker_listing_a_file_outside_refuses_the_folder(tmp_path: Path) -> None:
    data, folder = report_data(), tmp_path / "2021"
    build_report(data, 2021, out=folder, charts=_charts(["trend"]))
    (tmp_path / "victim.png").write_bytes(b"not hotline's")
    _tamper(folder, REPORT, "figures/../../victim.png")
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match=r"\.hotline-report 列出了 \"figures/\.\./\.\./victim"):
        build_report(data, 2021, out=folder, charts=_charts(["trend"]))
    assert snapshot(tmp_path) == before


def test_a_symlinked_figures_folder_is_never_written_through(tmp_path: Path) -> None:
    data, folder = report_data(), tmp_path / "2021"
    build_report(data, 2021, out=folder)  # no charts: no figures folder of hotline's
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "trend.png").write_bytes(b"a holiday photo")
    (folder / "figures").symlink_to(photos, target_is_directory=True)
    with pytest.raises(OutputError, match=r"figures: 是符号链接"):
        build_report(data, 2021, out=folder, charts=_charts(["trend"]))
    assert (photos / "trend.png").read_bytes() == b"a holiday photo"


def test_a_tampered_journal_is_not_rolled_back(tmp_path: Path) -> None:
    # A staging folder left by a "killed run" whose journal names a file outside the folder.
    folder = tmp_path / "ds"
    ingest([export(tmp_path / "in")], out=folder, progress=False)
    victim = tmp_path / "victim.txt"
    victim.write_text("not hotline's", encoding="utf-8")
    staging = folder / f"{outputs.STAGING_PREFIX}1-abc"
    staging.mkdir()
    (staging / ".hotline-staging").write_text('{"kind": "dataset"}', encoding="utf-8")
    journal = {"names": ["../victim.txt"], "retire": [], "existed": [], "made": []}
    (staging / ".journal").write_text(json.dumps(journal), encoding="utf-8")
    with pytest.raises(OutputError, match=r"\.journal 列出了 \"\.\./victim\.txt\""):
        outputs.recover(folder)
    assert victim.read_text(encoding="utf-8") == "not hotline's"


def test_a_full_disk_in_a_report_names_the_file_and_keeps_the_previous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, folder = report_data(), tmp_path / "2021"
    build_report(data, 2021, out=folder)
    before = snapshot(folder)

    def full(path: Path, sheets: Any) -> Path:
        path.write_bytes(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "write_workbook", full)
    with pytest.raises(OutputError, match=r"2021/tables\.xlsx: 磁盘已满"):
        build_report(data, 2021, out=folder)
    assert snapshot(folder) == before
    with pytest.raises(OutputError, match=r"new/tables\.xlsx: 磁盘已满"):
        build_report(data, 2021, out=tmp_path / "a" / "new")
    assert not (tmp_path / "a").exists()  # every folder the failed run made is gone


@pytest.mark.parametrize(
    ("code", "said"),
    [(errno.ENOSPC, "磁盘已满"), (errno.EDQUOT, "超出磁盘配额"), (errno.EACCES, "没有写入权限"),
     (errno.EROFS, "文件系统只读"), (errno.EIO, "无法写入")],
)  # fmt: skip
def test_write_errors_become_one_line_naming_the_file(code: int, said: str) -> None:
    target = Path("/data/out") / f"{outputs.STAGING_PREFIX}1-ab" / "orders.parquet"
    with pytest.raises(OutputError) as caught, outputs.writing(target):
        raise OSError(code, os.strerror(code))
    assert str(caught.value).startswith(f"/data/out/orders.parquet: {said}")
    assert "\n" not in str(caught.value)


# -- dataset: one unit, one writer ----------------------------------------------------------------


def test_load_refuses_a_manifest_of_another_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ingest([export(tmp_path / "raw")], out=out, progress=False)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["run_id"] = "0" * 32
    (out / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"manifest\.json: 属于另一次导入"):
        load(out)


def test_only_hotline_staging_folders_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = export(tmp_path / "raw")
    ingest([source], out=out, progress=False)
    theirs = [out / ".staging-1-abc", out / f"{outputs.STAGING_PREFIX}1-notours"]
    for folder in theirs:
        folder.mkdir()
        (folder / "keep.txt").write_text("the user's", encoding="utf-8")
    ours = out / f"{outputs.STAGING_PREFIX}999999-dead"
    ours.mkdir()
    (ours / ".hotline-staging").write_text("{}", encoding="utf-8")
    ingest([source], out=out, progress=False)
    assert not ours.exists()
    assert all((folder / "keep.txt").is_file() for folder in theirs)


def test_a_second_writer_waits_then_stops_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    source = export(tmp_path / "raw")
    ingest([source], out=out, progress=False)
    before = snapshot(out)
    monkeypatch.setenv("HOTLINE_LOCK_TIMEOUT", "0.2")
    with outputs.lock_folder(out), pytest.raises(OutputError, match="另一个 hotline 进程正在写入"):
        ingest([export(tmp_path / "raw2", 6)], out=out, progress=False)
    assert snapshot(out) == before


def test_two_concurrent_ingests_leave_one_whole_dataset(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, second = export(tmp_path / "a", 300), export(tmp_path / "b", 200, start=1000)
    code = "import sys; from hotline import ingest; ingest([sys.argv[1]], out=sys.argv[2])"
    children = [
        subprocess.Popen([sys.executable, "-c", code, str(source), str(out)], env=os.environ.copy())
        for source in (first, second)
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    data = load(out)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest == data.attrs["manifest"]
    assert len(data) in (300, 200) and data["source_file"].nunique() == 1
    assert manifest["inputs"][0]["name"] == data["source_file"].iloc[0]


# -- the key ------------------------------------------------------------------------------------


@pytest.fixture
def no_key_variable(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("HOTLINE_PII_KEY")
    key = paths.pii_key_file()
    assert key is not None and not key.exists()
    return key


def test_a_failed_run_writes_no_key(no_key_variable: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(HotlineError):
        ingest([tmp_path / "empty.csv"], out=tmp_path / "out", progress=False)
    assert not no_key_variable.exists() and not (tmp_path / "out").exists()


def test_a_new_key_is_private_announced_and_recorded(
    no_key_variable: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0)  # the key stays private whatever the umask
    try:
        result = ingest([export(tmp_path / "raw")], out=tmp_path / "out", progress=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(no_key_variable.stat().st_mode) == 0o600
    said = [line for line in capsys.readouterr().err.splitlines() if "已新建" in line]
    assert len(said) == 1 and str(no_key_variable) in said[0]
    assert result.manifest["caller_key_fingerprint"] == fingerprint(
        no_key_variable.read_bytes().strip()
    )
    assert stat.S_IMODE((tmp_path / "out" / MANIFEST_FILE).stat().st_mode) == 0o666


def test_a_new_key_beside_data_of_another_key_stops(no_key_variable: Path, tmp_path: Path) -> None:
    out, source = tmp_path / "out", export(tmp_path / "raw")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PII_KEY", "an-earlier-key-0123456789")
        ingest([source], out=out, progress=False)
    before = snapshot(out)
    with pytest.raises(HotlineError, match="另一把密钥"):
        ingest([source], out=out, progress=False)
    assert snapshot(out) == before and not no_key_variable.exists()


def test_outside_a_project_no_key_is_made_in_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("HOTLINE_PII_KEY")
    monkeypatch.delenv("HOTLINE_HOME")
    monkeypatch.chdir(tmp_path)
    source = export(tmp_path / "raw")
    with pytest.raises(HotlineError, match="没有找到 hotline 项目文件夹"):
        ingest([source], out=tmp_path / "out", progress=False)
    assert not (tmp_path / "data").exists() and not (tmp_path / "out").exists()
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "project"))  # a project: one key, reused
    keys = [
        ingest([source], out=tmp_path / "out", progress=False).table["caller_key"].to_pylist()
        for _ in range(2)
    ]
    assert keys[0] == keys[1] and (tmp_path / "project" / "data" / ".pii_key").is_file()
