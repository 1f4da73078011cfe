"""Output folders: whose they are, one writer at a time, each output committed as one unit.

hotline writes two kinds of output folder, a dataset (``hotline ingest``) and a report
(``hotline report``). The rules, the same for both:

* **Only its own folders.** An ``--out`` folder must be a new path, an empty folder (a
  ``README.md`` or ``.gitkeep`` placeholder allowed), or a folder holding a previous hotline
  output of the same kind, recognised by its marker file (``.hotline-dataset``,
  ``.hotline-report``: JSON with kind, version, run id and the files written) or, for folders
  written before markers existed, by hotline's own files (a manifest of hotline's schema beside
  ``orders.parquet``; ``facts.json`` beside the report text). The raw-exports folder, a folder
  holding an input, and any other folder are refused before anything is read or written.
* **Only its own files.** A run replaces the files it writes and removes the ones its previous
  run wrote and this one does not (listed in the marker); anything else in the folder stays.
  A marker is trusted only if every file it lists is one of hotline's own output names directly
  in the folder (for a report also ``figures/<image>``): no ``..``, no absolute path, no other
  folder, no symlinked folder on the way. A marker (or a journal) listing anything else may
  have been edited to make the next run delete other files: the folder is refused, untouched.
* **One unit.** Files are written into a staging folder inside the output folder (marked as
  hotline's), then renamed into place, the previous files being moved aside first. A journal
  written before the first rename lets the next run, or the next :func:`recover`, put the
  previous files back after a kill; removing the journal is the commit. An error restores them
  at once, and removes whatever the run created.
* **One writer.** An advisory lock (``.hotline.lock`` in the folder) makes a second writer wait
  up to ``$HOTLINE_LOCK_TIMEOUT`` seconds (default 10), then stop with one clear line.
* **Errors name the file.** A full disk, a quota, a read-only or forbidden folder while writing
  stop with :class:`OutputError` naming the file being written.

Every write step calls :func:`step`, the fault-injection hook of the tests:
``HOTLINE_FAULT_AT=N`` ends the process (``os._exit``) at the N-th step and
``HOTLINE_FAULT_AT=N:ENOSPC`` raises a full-disk error there.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "out"
    >>> with write_folder(folder, DATASET, "run1") as staging:
    ...     _ = (staging.path / "rejects.csv").write_text("new", encoding="utf-8")
    ...     commit(staging, ["rejects.csv"])
    >>> sorted(p.name for p in folder.iterdir())
    ['.hotline-dataset', '.hotline.lock', 'rejects.csv']
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import paths
from hotline._version import __version__
from hotline.errors import HotlineError

__all__ = [
    "CACHE_DIR",
    "DATASET",
    "LOCK_FILE",
    "MARKERS",
    "REPORT",
    "STAGING_PREFIX",
    "OutputError",
    "Staging",
    "check_target",
    "commit",
    "lock_folder",
    "read_marker",
    "recover",
    "step",
    "write_folder",
    "writing",
]

DATASET, REPORT = "dataset", "report"
MARKERS = {DATASET: ".hotline-dataset", REPORT: ".hotline-report"}
LOCK_FILE = ".hotline.lock"
#: A dataset's cache of converted exports (:mod:`hotline.ingestion.cache`), kept between runs.
CACHE_DIR = ".hotline-cache"
STAGING_PREFIX = ".hotline-staging-"
MARKER_VERSION = 1
_LABELS = {DATASET: "数据集", REPORT: "报告"}
_STAGING_MARKER = ".hotline-staging"
_JOURNAL = ".journal"
_BACKUP = ".previous"
#: Files a user or a template may leave in an otherwise empty output folder.
PLACEHOLDERS = frozenset({"readme.md", "readme.txt", "readme", ".gitkeep", ".ds_store"})
#: Files of the outputs written before marker files existed (hotline 0.x).
_LEGACY_FILES = {
    DATASET: ("orders.parquet", "manifest.json", "rejects.csv", "ingest_report.md"),
    REPORT: ("report.md", "bulletin.md", "tables.xlsx", "facts.json"),
}
#: The files a hotline output may list in its marker: its own names, directly in the folder
#: (a dataset's partitioned ``orders`` folder is one of them: it is replaced as one unit).
_OWN_FILES = {
    DATASET: frozenset({*_LEGACY_FILES[DATASET], "orders"}),
    REPORT: frozenset({*_LEGACY_FILES[REPORT], "report.docx", "bulletin.docx"}),
}
#: A chart of a report: one image directly in its ``figures`` folder.
_FIGURE = re.compile(
    r"figures/[^/\\\x00-\x1f.][^/\\\x00-\x1f]*\.(?:png|svg|pdf|jpe?g|gif|webp|tiff?|e?ps)",
    re.IGNORECASE,
)
_WHY = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "文件系统只读",
}


class OutputError(HotlineError):
    """An output folder or file cannot be written, or is not hotline's to write.

    Args:
        path: The folder or file.
        problem: What is wrong and what to do, in one sentence.
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# -- fault injection ---------------------------------------------------------------------------

#: Called with each write step's name and path before the step runs (tests set it).
FAULT: Callable[[str, Path], None] | None = None
_count = 0


def step(name: str, path: Path) -> None:
    """Mark a write step: the test hook may end the process or fail the write here.

    ``$HOTLINE_FAULT_AT=N`` ends the process at the N-th step of the process (exit status 86,
    no clean-up, like a kill), ``$HOTLINE_FAULT_AT=NAME`` at the step of that name (a file name
    such as ``orders.parquet``, or ``place orders.parquet``…); a ``:ENOSPC`` suffix raises a
    full-disk :class:`OSError` there instead.

    Example:
        >>> import hotline.outputs as hook
        >>> seen = []; hook.FAULT = lambda name, path: seen.append(name)
        >>> hook.step("orders", Path("x")); hook.FAULT = None; seen
        ['orders']
    """
    global _count
    _count += 1
    if FAULT is not None:
        FAULT(name, path)
    spec = os.environ.get("HOTLINE_FAULT_AT", "")
    if not spec:
        return
    at, _, how = spec.rpartition(":") if spec.upper().endswith(":ENOSPC") else (spec, "", "")
    if (at.isdigit() and int(at) == _count) or at == name:
        if how.upper() == "ENOSPC":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        os._exit(86)


@contextmanager
def writing(path: Path, name: str | None = None) -> Iterator[None]:
    """One write step on ``path``: an :class:`OSError` becomes an :class:`OutputError` naming it.

    Example:
        >>> with writing(Path("/proc/nowhere/x")):
        ...     Path("/proc/nowhere/x").write_text("x")
        Traceback (most recent call last):
        hotline.outputs.OutputError: /proc/nowhere/x: 无法写入（No such file or directory）
    """
    try:
        step(name or path.name, path)
        yield
    except OutputError:
        raise
    except OSError as error:
        raise _output_error(error, path) from None


def _output_error(error: OSError, path: Path) -> OutputError:
    for parent in path.parents:  # name the file the user will look for, not the staging copy
        if parent.name.startswith(STAGING_PREFIX):
            path = parent.parent / path.relative_to(parent)
            break
    why = _WHY.get(error.errno or -1)
    if why is None and "No space left" in str(error):
        why = _WHY[errno.ENOSPC]
    if why is not None:
        return OutputError(path, f"{why}，未能写入；已写的部分已清除，原有输出未变")
    return OutputError(path, f"无法写入（{error.strerror or error}）")


# -- whose folder ------------------------------------------------------------------------------


def _resolved(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def read_marker(folder: Path, kind: str) -> dict[str, Any] | None:
    """The marker of a hotline output of ``kind`` in ``folder``, or ``None``.

    Example:
        >>> read_marker(Path("/nonexistent"), DATASET) is None
        True
    """
    try:
        info = json.loads((folder / MARKERS[kind]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("kind") == kind else None


def _json(path: Path) -> dict[str, Any] | None:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _legacy(folder: Path, kind: str) -> bool:
    """An output hotline wrote before marker files existed."""
    if kind == DATASET:
        manifest = _json(folder / "manifest.json")
        return (
            manifest is not None
            and {"schema_version", "inputs", "totals"} <= manifest.keys()
            and ((folder / "orders.parquet").is_file() or (folder / "orders").is_dir())
        )
    facts = _json(folder / "facts.json")
    return (
        facts is not None
        and facts.get("kind") in ("annual", "bulletin")
        and isinstance(facts.get("facts"), list)
        and any((folder / n).is_file() for n in ("report.md", "bulletin.md"))
    )


def own_name(kind: str, name: object) -> bool:
    """Whether ``name`` may be listed in the marker of a hotline output of ``kind``.

    Example:
        >>> own_name(DATASET, "orders.parquet"), own_name(DATASET, "../victim.txt")
        (True, False)
        >>> own_name(REPORT, "figures/图1_趋势.png"), own_name(REPORT, "figures/../x.png")
        (True, False)
    """
    if not isinstance(name, str):
        return False
    return name in _OWN_FILES[kind] or (kind == REPORT and _FIGURE.fullmatch(name) is not None)


def _untrusted(folder: Path, kinds: Sequence[str], names: object) -> str | None:
    """The first entry of a marker or journal hotline would not have written, else ``None``.

    Allowed: the output's own names (:func:`own_name`) and its marker, reached through no
    symlinked folder.
    """
    if not isinstance(names, list):
        return json.dumps(names, ensure_ascii=False)[:80]
    for name in names:
        if not any(own_name(k, name) or name == MARKERS[k] for k in kinds):
            return json.dumps(name, ensure_ascii=False)[:80]
        if "/" in name and (folder / name.split("/")[0]).is_symlink():
            return json.dumps(name, ensure_ascii=False)[:80] + "（经由符号链接）"
    return None


def _refuse_untrusted(folder: Path, kinds: Sequence[str], names: object, what: str) -> None:
    bad = _untrusted(folder, kinds, names)
    if bad is not None:
        raise OutputError(
            folder,
            f"{what} 列出了 {bad}，不是 hotline 写的文件，可能被改动过；为免删除其他文件，"
            f"不写入此文件夹（核对后可删除 {what}，或换一个输出位置）",
        )


def _refuse_linked_figures(folder: Path, kind: str) -> None:
    """A report's charts go into its ``figures`` folder: never through a symlink elsewhere."""
    if kind == REPORT and (folder / "figures").is_symlink():
        raise OutputError(
            folder / "figures",
            "是符号链接，hotline 不经由符号链接写入或删除文件；请删除这个链接或换一个输出位置",
        )


def _is_output(folder: Path, kind: str) -> bool:
    return read_marker(folder, kind) is not None or _legacy(folder, kind)


def _ours(child: Path) -> bool:
    """Hotline's own bookkeeping: the lock file, a staging folder, a placeholder."""
    name = child.name
    return (
        name.lower() in PLACEHOLDERS
        or name in (LOCK_FILE, CACHE_DIR)
        or (name.startswith(STAGING_PREFIX) and (child / _STAGING_MARKER).is_file())
    )


def check_target(folder: str | Path, kind: str, inputs: Sequence[str | Path] = ()) -> None:
    """Refuse an output folder that is not hotline's to write; nothing is written.

    Args:
        folder: The ``--out`` folder.
        kind: :data:`DATASET` or :data:`REPORT`.
        inputs: The files and folders the run reads: none may lie inside ``folder``.

    Raises:
        OutputError: The raw-exports folder, a folder holding an input, a file, another kind
            of hotline output, or a folder holding files that are not hotline's.

    Example:
        >>> import tempfile
        >>> mine = Path(tempfile.mkdtemp()); _ = (mine / "notes.txt").write_text("x")
        >>> check_target(mine, DATASET)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        hotline.outputs.OutputError: ...: 已存在且不是 hotline 数据集文件夹（有 notes.txt）...
    """
    folder = Path(folder).expanduser()
    where = _resolved(folder)
    raw = _resolved(paths.raw_dir())
    if where == raw or raw in where.parents:
        raise OutputError(folder, "是原始导出文件夹，hotline 从不向其中写入；请换一个输出位置")
    for given in inputs:
        source = _resolved(given)
        if source == where or where in source.parents:
            raise OutputError(
                folder, f"包含本次读入的 {Path(given).name}，不能作为输出位置；请换一个输出位置"
            )
    if not folder.exists():
        return
    label = _LABELS[kind]
    if not folder.is_dir():
        raise OutputError(folder, f"已存在且不是文件夹；{label}需要一个文件夹")
    marker = read_marker(folder, kind)
    if marker is not None:
        _refuse_untrusted(folder, [kind], marker.get("files", []), MARKERS[kind])
    _refuse_linked_figures(folder, kind)
    if _is_output(folder, kind):
        return
    for other, marker in MARKERS.items():
        if other != kind and (folder / marker).exists():
            raise OutputError(
                folder, f"是 hotline {_LABELS[other]}文件夹，不是{label}文件夹；请换一个输出位置"
            )
    foreign = sorted(
        child.name
        for child in folder.iterdir()
        if not _ours(child) and not (kind == REPORT and child.is_dir() and _is_output(child, kind))
    )
    if foreign:
        shown = "、".join(foreign[:3]) + (f" 等 {len(foreign)} 项" if len(foreign) > 3 else "")
        noun = "报告文件夹" if kind == REPORT else " hotline 数据集文件夹"
        raise OutputError(
            folder,
            f"已存在且不是{noun}（有 {shown}）；为免覆盖或删除其中文件，请换一个空文件夹或新路径",
        )


# -- one writer --------------------------------------------------------------------------------


def _lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("HOTLINE_LOCK_TIMEOUT", "10")))
    except ValueError:
        return 10.0


@contextmanager
def lock_folder(folder: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the folder's advisory lock; a second writer waits, then stops with one line.

    Raises:
        OutputError: Another process held the lock for ``timeout`` seconds
            (default ``$HOTLINE_LOCK_TIMEOUT``, else 10).
    """
    from filelock import FileLock, Timeout

    timeout = _lock_timeout() if timeout is None else timeout
    # filelock sets the mode it is given with chmod, past the umask: apply the umask ourselves.
    umask = os.umask(0)
    os.umask(umask)
    lock = FileLock(folder / LOCK_FILE, timeout=timeout, mode=0o666 & ~umask)
    try:
        step("lock", folder / LOCK_FILE)
        lock.acquire()
    except Timeout:
        raise OutputError(
            folder,
            f"另一个 hotline 进程正在写入此文件夹，等待 {timeout:g} 秒后仍未结束；请稍后再运行",
        ) from None
    try:
        yield
    finally:
        lock.release()


# -- one unit ----------------------------------------------------------------------------------


def _stagings(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [
        child
        for child in folder.iterdir()
        if child.name.startswith(STAGING_PREFIX) and (child / _STAGING_MARKER).is_file()
    ]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def recover(folder: str | Path, *, held: bool = False) -> bool:
    """Undo what runs killed in the middle left in ``folder``: the previous output comes back.

    A staging folder of hotline's whose run is over (no process holds the lock) is removed;
    if its journal says the run was renaming files into place, the previous files are moved
    back first. Staging folders that are not hotline's are left alone.

    Args:
        folder: An output folder.
        held: The caller holds the folder's lock already.

    Returns:
        Whether an interrupted commit was rolled back.

    Example:
        >>> recover("/nonexistent")
        False
    """
    folder = Path(folder)
    if not held:
        if not any((s / _JOURNAL).is_file() for s in _stagings(folder)):
            return False
        with lock_folder(folder):
            return recover(folder, held=True)
    restored = False
    for staging in _stagings(folder):
        journal = _json(staging / _JOURNAL)
        if journal is not None:
            _roll_back(folder, staging, journal)
            restored = True
        shutil.rmtree(staging, ignore_errors=True)
    return restored


def _roll_back(folder: Path, staging: Path, journal: dict[str, Any]) -> None:
    for entries in ("names", "retire", "existed"):
        _refuse_untrusted(
            folder, list(MARKERS), journal.get(entries, []), f"{staging.name}/{_JOURNAL}"
        )
    made = journal.get("made", [])  # folders a run created: only ever ``figures``
    if isinstance(made, list):
        made = [m for m in made if m != "figures"]
    _refuse_untrusted(folder, [], made, f"{staging.name}/{_JOURNAL}")
    backup = staging / _BACKUP
    existed = set(journal.get("existed", []))
    for name in journal.get("retire", []):  # moved aside or not yet: either way, put back
        saved = backup / name
        if saved.exists() or saved.is_symlink():
            saved.rename(folder / name)
    for name in journal.get("names", []):
        saved, there = backup / name, folder / name
        if saved.exists() or saved.is_symlink():
            _remove(there)
            saved.rename(there)
        elif name not in existed and not (staging / name).exists():
            _remove(there)  # a new file moved in: the previous output had none
    for made in reversed(journal.get("made", [])):
        with suppress(OSError):
            (folder / made).rmdir()


@dataclass(frozen=True)
class Staging:
    """A run's staging folder (``path``) inside its output folder.

    Attributes:
        path: Where the run writes its files before :func:`commit`.
        folder: The output folder.
        kind: :data:`DATASET` or :data:`REPORT`.
        run_id: The run's id, recorded in the marker.
    """

    path: Path
    folder: Path
    kind: str
    run_id: str


def _missing_parents(folder: Path) -> list[Path]:
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    return missing


@contextmanager
def write_folder(
    folder: str | Path, kind: str, run_id: str, inputs: Sequence[str | Path] = ()
) -> Iterator[Staging]:
    """Write an output of ``kind`` into ``folder``: yields the staging folder to fill.

    The folder is checked (:func:`check_target`), locked, cleared of what killed runs left
    (:func:`recover`); the body writes into the staging folder and calls :func:`commit`. On
    any error the staging folder is removed, and so is every folder the run created.
    """
    folder = Path(folder).expanduser()
    check_target(folder, kind, inputs)
    created = _missing_parents(folder)
    had_lock = (folder / LOCK_FILE).exists()
    with writing(folder, "folder"):
        folder.mkdir(parents=True, exist_ok=True)
    try:
        with lock_folder(folder):
            recover(folder, held=True)
            check_target(folder, kind, inputs)  # again, under the lock
            path = folder / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
            try:
                with writing(path, "staging"):
                    path.mkdir()
                    about = {"kind": kind, "pid": os.getpid(), "run_id": run_id}
                    (path / _STAGING_MARKER).write_text(json.dumps(about), encoding="utf-8")
                yield Staging(path, folder, kind, run_id)
            except BaseException:
                if (path / _JOURNAL).is_file():
                    _roll_back(folder, path, _json(path / _JOURNAL) or {})
                raise
            finally:
                shutil.rmtree(path, ignore_errors=True)
    except BaseException:
        if not had_lock:  # a failed run leaves nothing, its lock file included
            (folder / LOCK_FILE).unlink(missing_ok=True)
        for made in created:  # deepest first; only folders this run made, if left empty
            try:
                made.rmdir()
            except OSError:
                break
        raise


def _atomic_text(path: Path, text: str) -> None:
    temporary = path.with_name(f"{path.name}.tmp")
    with writing(path):
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)


def commit(staging: Staging, names: Sequence[str], extra: dict[str, Any] | None = None) -> None:
    """Move the files written in ``staging`` into its output folder, as one unit.

    Args:
        staging: What :func:`write_folder` yielded.
        names: The files written (paths relative to the folder), in the order to rename them;
            the marker follows them.
        extra: More facts for the marker.
    """
    folder, kind, work = staging.folder, staging.kind, staging.path
    marker = MARKERS[kind]
    previous = read_marker(folder, kind)
    if previous is not None:
        _refuse_untrusted(folder, [kind], previous.get("files", []), marker)
        owned = [str(n) for n in previous.get("files", [])]
    else:
        owned = [n for n in _LEGACY_FILES[kind] if _legacy(folder, kind)]
    _refuse_linked_figures(folder, kind)
    names = [*names, marker]
    if any(not own_name(kind, n) for n in names[:-1]):  # never write a marker the next run refuses
        raise ValueError(f"not a {kind} output's own file name: {names[:-1]}")
    retire = [n for n in owned if n not in names and (folder / n).exists()]
    about = {
        "kind": kind,
        "version": MARKER_VERSION,
        "run_id": staging.run_id,
        "hotline_version": __version__,
        "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "files": names[:-1],
        **(extra or {}),
    }
    with writing(work / marker):
        text = json.dumps(about, ensure_ascii=False, indent=2) + "\n"
        (work / marker).write_text(text, encoding="utf-8")
    existed = [n for n in names if (folder / n).exists()]
    made = sorted(
        {
            p.relative_to(folder).as_posix()
            for n in names
            for p in (folder / n).parents
            if folder in p.parents and not p.exists()
        },
        key=len,
    )
    backup = work / _BACKUP
    journal = {"names": names, "retire": retire, "existed": existed, "made": made}
    _atomic_text(work / _JOURNAL, json.dumps(journal, ensure_ascii=False))
    for name in [*retire, *names]:
        there, saved = folder / name, backup / name
        if name in existed or name in retire:
            with writing(there, f"aside {name}"):
                saved.parent.mkdir(parents=True, exist_ok=True)
                there.rename(saved)
        if name in names:
            with writing(there, f"place {name}"):
                there.parent.mkdir(parents=True, exist_ok=True)
                (work / name).rename(there)
    with writing(work / _JOURNAL, "commit"):
        (work / _JOURNAL).unlink()
