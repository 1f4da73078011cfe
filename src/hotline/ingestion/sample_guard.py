r"""Keep the demo's fictional county out of a user's figures.

``hotline demo`` writes the sample (:mod:`hotline.sample`) into its own folder, but files get
copied: a user may drop the whole sample folder, or one file of it, among their own exports.
This module recognises the sample's files, so that an ingest can refuse to mix them with real
ones, and says when a dataset is the sample.

A file is the sample's when

* a folder above it holds the marker file :data:`MARKER_FILE` (``.hotline-sample``), which
  :func:`hotline.sample.write_sample` writes into every sample folder; or
* the file itself carries :data:`MARK`, which survives copying the file alone: the sample's
  workbooks have a document property named ``hotline-sample``, the sample's CSV exports a title
  line holding it; or
* it is a file of an older demo, which had no marks: a file named like a sample export in a
  folder named :data:`LEGACY_FOLDER` (``sample-2021``, where ``make demo`` used to write into
  ``data/raw/``), or a workbook whose author is the sample's platform (``…（合成样例）``).

:func:`check_inputs` applies the rule to an ingest's files: only sample files is allowed (the
demo does it) and the dataset is labelled as the sample; sample and other files together stop
the ingest with one line unless the caller allows it (``--allow-sample``).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "mine.csv").write_text("工单编号,受理时间\nA1,2021/3/5\n", "utf-8")
    >>> _ = (folder / "sample.csv").write_text(f"{CSV_TITLE}\n工单编号\n", "gbk")
    >>> sample_file(folder / "mine.csv"), sample_file(folder / "sample.csv")
    (None, 'mark')
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.errors import HotlineError
from hotline.paths import for_display
from hotline.safe_text import md_text

__all__ = [
    "CSV_TITLE",
    "LEGACY_FOLDER",
    "MARK",
    "MARKER_FILE",
    "SAMPLE_LABEL",
    "SampleInputs",
    "check_inputs",
    "dataset_sample_kind",
    "sample_file",
    "write_marker",
]

#: The token every sample export carries (ASCII: the same bytes in GBK, GB18030 and UTF-8).
MARK = "hotline-sample"
#: The marker file of a sample folder (hidden: a folder's ingest never reads it as an export).
MARKER_FILE = ".hotline-sample"
#: How the account, the manifest and the notebooks name the sample.
SAMPLE_LABEL = "示例数据（虚构县）"
#: The title line above the header of the sample's CSV exports.
CSV_TITLE = f"示例县12345热线工单导出——{SAMPLE_LABEL}，不是真实工单（{MARK}）"
#: Where ``make demo`` wrote the sample before it had a folder of its own (``data/raw/``).
LEGACY_FOLDER = "sample-2021"

_HEAD_BYTES = 4096
_MARK_BYTES = (MARK.encode("ascii"), MARK.encode("utf-16-le"), MARK.encode("utf-16-be"))
# The sample's workbooks name their author so since the first version; marks came later.
_LEGACY_AUTHOR = "（合成样例）".encode()
_PROPERTIES = ("docProps/custom.xml", "docProps/core.xml")
_MAX_PROPERTIES = 1 << 16
# A workbook this large, or of this many members, is no sample export (those are about 100 KB
# of 11 members): not opened, so that a hostile zip costs the guard nothing.
_MAX_WORKBOOK = 16 << 20
_MAX_MEMBERS = 256
_MAX_DIRECTORY = 1 << 16
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_LEGACY_NAME = re.compile(
    r"12345热线工单明细_2021年(0[1-9]|1[0-2])月\.xlsx|gongdan_export_20(21|22)\d{4}\.csv"
    r"|网络投诉留言_2021\.xlsx"
)
_ONLINE_NAME = "网络投诉留言_2021.xlsx"


def write_marker(folder: Path | str, files: Sequence[str] = ()) -> Path:
    """Write the sample folder's marker file, which says in Chinese what the folder holds.

    Args:
        folder: The sample's raw folder.
        files: The names of the files generated, listed for the reader (detection does not
            need them: the marker marks everything below it).

    Returns:
        The marker's path.

    Example:
        >>> import tempfile
        >>> write_marker(tempfile.mkdtemp(), ["a.csv"]).name
        '.hotline-sample'
    """
    lines = [
        f"本文件夹是 hotline demo 生成的{SAMPLE_LABEL}：示例县不存在，",
        "其中的工单、来电人、电话都是虚构的。",
        "hotline ingest 认得这里的文件：它们不会与本单位的导出混在一起导入。",
        "本单位的导出请放进 data/raw/，不要放在这里。",
        "",
        MARK,
        *files,
    ]
    path = Path(folder) / MARKER_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _few_members(path: Path, size: int) -> bool:
    """Whether the zip's end record declares a handful of members in a small directory.

    Read before zipfile parses the directory, which builds an object per member for as many
    bytes as the directory declares; a Zip64 archive (whose sizes zipfile would read from
    elsewhere) is no sample's.
    """
    tail = min(size, 22 + 0xFFFF)  # the end record, with a comment of any length
    with path.open("rb") as handle:
        handle.seek(size - tail)
        data = handle.read(tail)
    end = data.rfind(_END_OF_DIRECTORY)
    if end < 0 or len(data) < end + 16 or data[max(0, end - 20) : end].startswith(_ZIP64_LOCATOR):
        return False
    members = int.from_bytes(data[end + 10 : end + 12], "little")
    directory = int.from_bytes(data[end + 12 : end + 16], "little")
    return members <= _MAX_MEMBERS and directory <= _MAX_DIRECTORY


def _workbook_mark(path: Path) -> str | None:
    """Look for the mark in a workbook's document properties (small members only)."""
    size = path.stat().st_size
    if size > _MAX_WORKBOOK or not _few_members(path, size):
        return None
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        for member in _PROPERTIES:
            if member not in names:
                continue
            with book.open(member) as handle:  # read a bounded prefix: sizes are not trusted
                text = handle.read(_MAX_PROPERTIES)
            if MARK.encode("ascii") in text:
                return "mark"
            if member.endswith("core.xml") and _LEGACY_AUTHOR in text:
                return "old demo"
    return None


def sample_file(path: Path | str) -> str | None:
    r"""How one file shows it is the sample's, by itself (its folder aside).

    Args:
        path: An input file.

    Returns:
        ``"mark"`` (it carries :data:`MARK`), ``"old demo"`` (an older demo's file), or
        ``None``: not recognisably the sample's. A file that cannot be read is ``None``: the
        ingest reports it in its own words.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()) / LEGACY_FOLDER
        >>> folder.mkdir()
        >>> _ = (folder / "gongdan_export_20210803.csv").write_text("工单号\n", "gbk")
        >>> sample_file(folder / "gongdan_export_20210803.csv")
        'old demo'
    """
    path = Path(path)
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
        if head.startswith(b"PK\x03\x04"):
            found = _workbook_mark(path)
        else:
            found = "mark" if any(mark in head for mark in _MARK_BYTES) else None
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError, NotImplementedError):
        found = None  # unreadable, encrypted or broken: the reader will say what is wrong
    if found is None and path.parent.name == LEGACY_FOLDER and _LEGACY_NAME.fullmatch(path.name):
        found = "old demo"
    return found


@dataclass
class SampleInputs:
    """Which of an ingest's inputs are the sample's.

    Attributes:
        sample: ``(path, name)`` of each sample file, in input order.
        others: How many inputs are not.
        allowed: The caller allowed mixing (``--allow-sample``).
    """

    sample: list[tuple[Path, str]] = field(default_factory=list)
    others: int = 0
    allowed: bool = False

    @property
    def mixed(self) -> bool:
        """Sample files and other files together."""
        return bool(self.sample) and self.others > 0

    def manifest_entry(self) -> dict[str, Any] | None:
        """What the manifest says about the sample (``None``: no sample file was read).

        Example:
            >>> SampleInputs([(Path("a.csv"), "a.csv")], others=2).manifest_entry()["mixed"]
            True
        """
        if not self.sample:
            return None
        return {
            "label": SAMPLE_LABEL,
            "mixed": self.mixed,
            "files": [name for _, name in self.sample],
        }


def _under_marker(path: Path, seen: dict[Path, bool]) -> bool:
    """Whether a folder above ``path`` holds the sample marker (cached per folder)."""
    checked = []
    for folder in Path(path).absolute().parents:
        if folder in seen:
            found = seen[folder]
            break
        checked.append(folder)
        if (folder / MARKER_FILE).is_file():
            found = True
            break
    else:
        found = False
    # A folder below a marked one is marked; one without a marker above it is not.
    for folder in checked:
        seen[folder] = found
    return found


def _refusal(found: SampleInputs) -> str:
    folders: dict[Path, list[Path]] = {}
    for path, _ in found.sample:
        folders.setdefault(Path(path).absolute().parent, []).append(path)
    parts = []
    for folder, files in folders.items():
        if len(files) > 2:
            parts.append(f"{len(files)} files in {for_display(folder)}/")
        else:
            parts.extend(for_display(path) for path in files)
    listed = ", ".join(parts[:3]) + (f" and {len(parts) - 3} more" if len(parts) > 3 else "")
    legacy = [folder for folder in folders if folder.name == LEGACY_FOLDER]
    if legacy:
        advice = (
            f"delete or move {for_display(legacy[0])}/ (an older `make demo` put the sample "
            "there; it now lives in data/sample/raw/)"
        )
    else:
        advice = "take the sample out of the inputs"
    others = f"{found.others} other input file{'s' if found.others > 1 else ''}"
    return (
        f"{listed}: the demo's fictional sample (示例数据, 虚构县), refused together with "
        f"{others}; {advice}, or pass --allow-sample to ingest them together"
    )


def check_inputs(files: Sequence[tuple[Path, str]], *, allow: bool = False) -> SampleInputs:
    """Find the sample's files among an ingest's inputs; refuse a mix unless allowed.

    Args:
        files: ``(path, name)`` of every input file (:func:`.pipeline.expand_paths`).
        allow: Mix sample and other files anyway (``--allow-sample``).

    Returns:
        The sample files found and how many others there are.

    Raises:
        HotlineError: Sample files and other files together and ``allow`` is false; one line
            naming the sample's files (or their folder) and the flag. Nothing was read yet.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = write_marker(folder)
        >>> _ = (folder / "a.csv").write_text("x", "utf-8")
        >>> check_inputs([(folder / "a.csv", "a.csv")]).manifest_entry()["files"]
        ['a.csv']
    """
    seen: dict[Path, bool] = {}
    found = SampleInputs(allowed=allow)
    for path, name in files:
        if _under_marker(path, seen) or sample_file(path) is not None:
            found.sample.append((path, name))
        else:
            found.others += 1
    if found.mixed and not allow:
        raise HotlineError(_refusal(found))
    return found


def annotate_account(account: str, manifest: Mapping[str, Any]) -> str:
    r"""Put a note about the sample under the account's title (unchanged without sample files).

    Example:
        >>> entry = SampleInputs([(Path("a.csv"), "a.csv")]).manifest_entry()
        >>> note = annotate_account("# 数据导入记录\n\n读入 1 个文件", {"sample": entry})
        >>> print(note.splitlines()[2])
        > 注意：本数据集是 hotline demo 生成的示例数据（虚构县），不是真实工单，数字不代表任何地方。
    """
    entry = manifest.get("sample")
    if not entry:
        return account
    if entry.get("mixed"):
        files = [md_text(name) for name in entry["files"]]  # names typed by people: inert
        names = "、".join(files[:3]) + (" 等" if len(files) > 3 else "")
        note = (
            f"> 注意：本数据集按 --allow-sample 混入了 hotline demo 的{SAMPLE_LABEL} "
            f"{len(files)} 个文件（{names}），其数字不是本单位的真实情况。"
        )
    else:
        note = (
            f"> 注意：本数据集是 hotline demo 生成的{SAMPLE_LABEL}，不是真实工单，"
            "数字不代表任何地方。"
        )
    head, sep, rest = account.partition("\n")
    if head.startswith("# ") and sep:
        return f"{head}\n\n{note}\n{rest}"
    return f"{note}\n\n{account}"


def dataset_sample_kind(manifest: Mapping[str, Any]) -> str | None:
    """Whether a dataset is the sample: ``"sample"``, ``"mixed"`` or ``None`` (real data).

    A dataset an older demo wrote has no ``sample`` entry; it is recognised by its inputs, all
    named like the sample's exports, the online one among them.

    Example:
        >>> dataset_sample_kind({"sample": {"mixed": False, "files": ["a.csv"]}})
        'sample'
        >>> old = [{"name": "gongdan_export_20210803.csv"}, {"name": "网络投诉留言_2021.xlsx"}]
        >>> dataset_sample_kind({"inputs": old}), dataset_sample_kind({"inputs": old[:1]})
        ('sample', None)
    """
    entry = manifest.get("sample")
    if entry:
        return "mixed" if entry.get("mixed") else "sample"
    names = [Path(str(item.get("name", ""))).name for item in manifest.get("inputs") or []]
    if names and _ONLINE_NAME in names and all(_LEGACY_NAME.fullmatch(n) for n in names):
        return "sample"
    return None
