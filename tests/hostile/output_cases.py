"""Output-folder attacks: user folders as --out, the raw folder, a held lock, keys, a full disk.

Every refusal must leave the folders watched byte for byte unchanged (checked by
:func:`hostile.run_attack`) and, when the PII key variable is unset, create no key file.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Callable
from pathlib import Path

from hostile import Attack, Outcome

HEADER = "工单编号,受理时间,来电号码,诉求内容,承办单位,办理状态"
KEY = "test-key-not-secret-0123456789"
NO_KEY = {"HOTLINE_PII_KEY": ""}  # unset in the child: the key file is used, or made
_HELD: list = []  # locks a build holds for the duration of its attack


def export(path: Path, n: int = 5) -> Path:
    """A small valid hotline export (GBK CSV) with ``n`` orders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [HEADER] + [
        f"A{i:03d},2021/3/{i} 9:00,1381234{i:04d},路灯不亮{i},县住建局,已办结"
        for i in range(1, n + 1)
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    return path


def home(work: Path) -> Path:
    """The isolated project folder the attack's command runs in."""
    return work.parent / "project"


def dataset(work: Path, name: str = "ds", n: int = 5) -> Path:
    """A previous hotline dataset in ``work/name`` (ingested in this process, same key)."""
    import os

    from hotline import ingest

    saved = os.environ.get("HOTLINE_PII_KEY")
    os.environ["HOTLINE_PII_KEY"] = KEY
    try:
        ingest([export(work / "old" / "old.csv", n)], out=work / name, progress=False)
    finally:
        if saved is None:
            del os.environ["HOTLINE_PII_KEY"]
        else:
            os.environ["HOTLINE_PII_KEY"] = saved
    return work / name


def user_folder(work: Path) -> list[str]:
    """A folder of the user's own files that look like hotline's, and a .staging-* folder."""
    folder = work / "U"
    (folder / ".staging-notes").mkdir(parents=True)
    (folder / ".staging-notes" / "draft.txt").write_text("mine", encoding="utf-8")
    (folder / "manifest.json").write_text('{"my": "inventory"}', encoding="utf-8")
    (folder / "rejects.csv").write_text("my,own\n1,2\n", encoding="utf-8")
    return ["ingest", str(export(work / "a.csv")), "--out", "U"]


def raw_folder(work: Path) -> list[str]:
    raw = home(work) / "data" / "raw"
    return ["ingest", str(export(raw / "march.csv")), "--out", str(raw)]


def inside_raw(work: Path) -> list[str]:
    raw = home(work) / "data" / "raw"
    return ["ingest", str(export(raw / "march.csv")), "--out", str(raw / "processed")]


def holds_input(work: Path) -> list[str]:
    return ["ingest", str(export(work / "F" / "a.csv")), "--out", "F"]


def input_named_like_output(work: Path) -> list[str]:
    previous = dataset(work)
    return ["ingest", str(export(previous / "rejects.csv")), "--out", "ds"]


def out_is_a_file(work: Path) -> list[str]:
    (work / "out.txt").write_text("not a folder", encoding="utf-8")
    return ["ingest", str(export(work / "a.csv")), "--out", "out.txt"]


def report_folder_as_dataset(work: Path) -> list[str]:
    folder = work / "R"
    folder.mkdir()
    (folder / ".hotline-report").write_text('{"kind": "report"}', encoding="utf-8")
    (folder / "report.md").write_text("# 报告", encoding="utf-8")
    return ["ingest", str(export(work / "a.csv")), "--out", "R"]


def placeholders_only(work: Path) -> list[str]:
    folder = work / "P"
    folder.mkdir()
    (folder / "README.md").write_text("数据集放这里", encoding="utf-8")
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    return ["ingest", str(export(work / "a.csv")), "--out", "P"]


def legacy_dataset(work: Path) -> list[str]:
    previous = dataset(work)
    (previous / ".hotline-dataset").unlink()  # as written before markers existed
    (previous / ".hotline.lock").unlink()
    return ["ingest", str(export(work / "a.csv", 7)), "--out", "ds"]


def held_lock(work: Path) -> list[str]:
    from filelock import FileLock

    previous = dataset(work)
    lock = FileLock(previous / ".hotline.lock", timeout=0)
    lock.acquire()
    _HELD.append(lock)
    return ["ingest", str(export(work / "a.csv", 7)), "--out", "ds"]


def tampered_marker(entry: str) -> Callable[[Path], list[str]]:
    """A previous dataset whose marker lists ``entry`` too, beside a victim file outside and a
    user's file inside (``VICTIM`` in an entry is the victim's absolute path)."""

    def build(work: Path) -> list[str]:
        previous = dataset(work)
        victim = work / "victim.txt"
        victim.write_text("不是 hotline 的文件", encoding="utf-8")
        (previous / "notes.txt").write_text("我的笔记", encoding="utf-8")
        marker = previous / ".hotline-dataset"
        about = json.loads(marker.read_text(encoding="utf-8"))
        about["files"].append(entry.replace("VICTIM", str(victim)))
        marker.write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")
        return ["ingest", str(export(work / "a.csv", 7)), "--out", "ds"]

    return build


def tampered_report_marker(work: Path) -> list[str]:
    from hotline.report import build_report

    previous = dataset(work)
    build_report(previous, 2021, out=work / "R")
    (work / "victim.txt").write_text("不是 hotline 的文件", encoding="utf-8")
    marker = work / "R" / ".hotline-report"
    about = json.loads(marker.read_text(encoding="utf-8"))
    about["files"].append("../victim.txt")
    marker.write_text(json.dumps(about, ensure_ascii=False), encoding="utf-8")
    return ["report", str(previous), "--year", "2021", "--no-charts", "--out", "R"]


def _victim_kept(outcome: Outcome) -> None:
    assert (outcome.work / "victim.txt").read_text(encoding="utf-8") == "不是 hotline 的文件"


def _victims_kept(outcome: Outcome) -> None:
    _victim_kept(outcome)
    assert (outcome.work / "ds" / "notes.txt").read_text(encoding="utf-8") == "我的笔记"


def _victims_kept_and_named(outcome: Outcome) -> None:
    """The refusal names the victim's absolute path, as much of it as the message shows: the
    message cuts a long entry, and a deep temp folder (pytest-xdist's) puts the file's name
    past the cut."""
    _victims_kept(outcome)
    shown = re.search(r'列出了 "(.+?)"?，不是 hotline', outcome.stderr)
    assert shown is not None, outcome.stderr
    victim = str(outcome.work / "victim.txt")
    assert victim.startswith(shown[1]) and len(shown[1]) >= min(len(victim), 40), shown[1]


def _release(outcome: Outcome) -> None:
    while _HELD:
        _HELD.pop().release()


def user_report_folder(work: Path) -> list[str]:
    previous = dataset(work)
    folder = work / "R"
    folder.mkdir()
    (folder / "report_edited.docx").write_bytes(b"PK my edit")
    return ["report", str(previous), "--year", "2021", "--no-charts", "--out", "R"]


def previous_report_with_user_file(work: Path) -> list[str]:
    from hotline.report import build_report

    previous = dataset(work)
    build_report(previous, 2021, out=work / "R")
    (work / "R" / "report_edited.docx").write_bytes(b"PK my edit")
    return ["report", str(previous), "--year", "2021", "--no-charts", "--out", "R"]


def _user_file_kept(outcome: Outcome) -> None:
    folder = outcome.work / "R"
    assert (folder / "report_edited.docx").read_bytes() == b"PK my edit"
    assert (folder / "report.md").is_file() and (folder / "facts.json").is_file()
    marker = json.loads((folder / ".hotline-report").read_text(encoding="utf-8"))
    assert "report_edited.docx" not in marker["files"], marker


def report_into_dataset(work: Path) -> list[str]:
    previous = dataset(work)
    return ["report", str(previous), "--year", "2021", "--no-charts", "--out", str(previous)]


def empty_export(work: Path) -> list[str]:
    (work / "empty.csv").write_bytes(b"")
    return ["ingest", "empty.csv", "--out", "out"]


def fresh_project(work: Path) -> list[str]:
    return ["ingest", str(export(work / "a.csv")), "--out", "out"]


def _key_made(outcome: Outcome) -> None:
    key = outcome.home / "data" / ".pii_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600, oct(key.stat().st_mode)
    assert len(key.read_bytes().strip()) == 64
    notices = [line for line in outcome.stderr.splitlines() if str(key) in line]
    assert len(notices) == 1 and "已新建" in notices[0], outcome.stderr
    manifest = outcome.manifest("out")
    from hotline.keys import fingerprint

    assert manifest["caller_key_fingerprint"] == fingerprint(key.read_bytes().strip())


def new_key_beside_old_data(work: Path) -> list[str]:
    dataset(work)  # made with KEY; the child has no key variable and no key file
    return ["ingest", str(export(work / "a.csv", 7)), "--out", "ds"]


def outside_project(work: Path) -> list[str]:
    return ["ingest", str(export(work / "a.csv"))]


def _full_disk(step: str) -> dict[str, str]:
    return {"HOTLINE_FAULT_AT": f"{step}:ENOSPC"}


def _no_key_in(folder: str) -> Callable[[Outcome], None]:
    def check(outcome: Outcome) -> None:
        assert not (outcome.work / folder).exists(), f"{folder} was created"

    return check


CASES = [
    Attack("out-user-folder", user_folder, 2, r"U: 已存在且不是 hotline 数据集文件夹"),
    Attack("out-raw-folder", raw_folder, 2, r"raw: 是原始导出文件夹"),
    Attack("out-inside-raw-folder", inside_raw, 2, r"processed: 是原始导出文件夹"),
    Attack("out-holds-the-input", holds_input, 2, r"F: 包含本次读入的 a\.csv"),
    Attack("out-input-in-dataset", input_named_like_output, 2, r"ds: 包含本次读入的 rejects"),
    Attack("out-is-a-file", out_is_a_file, 2, r"out\.txt: 已存在且不是文件夹"),
    Attack("out-is-a-report", report_folder_as_dataset, 2, r"R: 是 hotline 报告文件夹"),
    Attack("out-placeholders-only", placeholders_only, 0, None, watch=()),
    Attack("out-legacy-dataset", legacy_dataset, 0),
    Attack("out-locked-by-another-run", held_lock, 2, r"ds: 另一个 hotline 进程正在写入",
           check=_release, env={"HOTLINE_LOCK_TIMEOUT": "0.5"}),
    Attack("report-out-user-folder", user_report_folder, 2, r"R: 已存在且不是报告文件夹"),
    Attack("report-keeps-user-files", previous_report_with_user_file, 0, check=_user_file_kept),
    Attack("report-out-dataset", report_into_dataset, 2, r"是 hotline 数据集文件夹，不是报告"),
    Attack("key-failed-run-writes-none", empty_export, 2, env=NO_KEY, check=_no_key_in("out")),
    Attack("key-made-once-private", fresh_project, 0, env=NO_KEY, check=_key_made),
    Attack("key-new-beside-old-data", new_key_beside_old_data, 2, r"ds: 已有数据集.*另一把密钥",
           env=NO_KEY),
    Attack("key-outside-project", outside_project, 2, r"没有找到 hotline 项目文件夹",
           env={**NO_KEY, "HOTLINE_HOME": ""}, watch=("data",)),
    Attack("out-marker-lists-a-file-outside", tampered_marker("../victim.txt"), 2,
           r'^hotline: error: ds: \.hotline-dataset 列出了 "\.\./victim\.txt"，不是 hotline 写',
           check=_victims_kept, watch=(".",)),
    Attack("out-marker-lists-an-absolute-path", tampered_marker("VICTIM"), 2,
           r'ds: \.hotline-dataset 列出了 "/', check=_victims_kept_and_named, watch=(".",)),
    Attack("out-marker-lists-a-user-file-inside", tampered_marker("notes.txt"), 2,
           r'ds: \.hotline-dataset 列出了 "notes\.txt"', check=_victims_kept, watch=(".",)),
    Attack("report-marker-lists-a-file-outside", tampered_report_marker, 2,
           r'R: \.hotline-report 列出了 "\.\./victim\.txt"', check=_victim_kept, watch=(".",)),
    Attack("full-disk-new-folder", fresh_project, 2, r"out/orders: 磁盘已满",
           env=_full_disk("orders")),
    Attack("full-disk-over-dataset", legacy_dataset, 2, r"ds/\.hotline-dataset: 磁盘已满",
           env=_full_disk("place .hotline-dataset")),
    Attack("full-disk-report", previous_report_with_user_file, 2, r"R/tables\.xlsx: 磁盘已满",
           env=_full_disk("tables.xlsx")),
]  # fmt: skip
