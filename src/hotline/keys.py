"""The secret key of caller hashes: where it lives, how it is made, how it is recognised.

The key is ``$HOTLINE_PII_KEY`` when set, else the file :func:`hotline.paths.pii_key_file`
(``$HOTLINE_PII_KEY_FILE``, else ``data/.pii_key`` of the project folder: ``$HOTLINE_HOME`` or
the folder of hotline's ``pyproject.toml`` above the current directory). Outside a project there
is no key file, and a run that needs a new key stops and says how to give one.

A new key is made in memory and saved only when the ingest succeeds, just before its dataset
is committed (:func:`persist`): a failed run writes no key. The file is created with
``O_CREAT | O_EXCL`` and mode 0600 (never readable by others, whatever the umask), and a
one-line notice says where it is. A run that would make a new key while a dataset made with
another key is there stops (:func:`check_same_key`): the same caller would get two keys.

A dataset records the key's fingerprint, never the key: two datasets with the same fingerprint
link callers alike.

Example:
    >>> len(fingerprint(b"a key of sixteen bytes"))
    12
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from hotline import paths
from hotline.errors import HotlineError
from hotline.outputs import writing

__all__ = ["Key", "check_same_key", "fingerprint", "load_key", "persist", "resolve_key"]

_MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class Key:
    """A caller-hash key and where it comes from.

    Attributes:
        value: The key's bytes.
        file: The file it was read from, or is to be saved to when ``new``.
        new: Made by this run and not saved yet (:func:`persist`).
    """

    value: bytes
    file: Path | None = None
    new: bool = False


def resolve_key(create: bool = True) -> Key:
    """The key a run will use; a new one is made in memory, not saved.

    Args:
        create: Make a new key when neither the variable nor the file exists.

    Raises:
        HotlineError: There is no key and ``create`` is false, or no project folder to keep a
            new key in, or the key is too short or unreadable.

    Example:
        >>> import os
        >>> os.environ["HOTLINE_PII_KEY"] = "0123456789abcdef"
        >>> resolve_key().new
        False
        >>> del os.environ["HOTLINE_PII_KEY"]
    """
    explicit = os.environ.get("HOTLINE_PII_KEY", "")
    if explicit:
        return Key(_checked(explicit.encode("utf-8"), "HOTLINE_PII_KEY"))
    path = paths.pii_key_file()
    if path is None:
        raise HotlineError(
            "没有找到 hotline 项目文件夹，不知道调用方编号的密钥放在哪里：请在项目文件夹中运行，"
            "或设置 HOTLINE_HOME（项目文件夹）、HOTLINE_PII_KEY 或 HOTLINE_PII_KEY_FILE / "
            "no hotline project folder to keep the caller-key secret in: run inside the "
            "project, or set HOTLINE_HOME, HOTLINE_PII_KEY or HOTLINE_PII_KEY_FILE "
            "(README, 'The caller key')"
        )
    if path.is_file():
        try:
            return Key(_checked(path.read_bytes().strip(), str(path)), path)
        except OSError as error:
            raise HotlineError(f"{path}: cannot read the PII key ({error.strerror})") from None
    if not create:
        raise HotlineError(
            f"没有调用方编号密钥 / no PII key: set HOTLINE_PII_KEY or HOTLINE_PII_KEY_FILE, or "
            f"create {path} (README, 'The caller key')"
        )
    return Key(secrets.token_hex(32).encode("ascii"), path, new=True)


def load_key(create: bool = True) -> bytes:
    """Return the secret key for caller hashes, saving a new one at once.

    Args:
        create: Generate the key file when neither the variable nor the file exists.

    Raises:
        HotlineError: There is no key and ``create`` is false.
    """
    key = resolve_key(create)
    persist(key)
    return key.value


def _checked(key: bytes, origin: str) -> bytes:
    """A key short enough to guess would make caller keys as weak as a plain hash."""
    if len(key) < _MIN_KEY_BYTES:
        raise HotlineError(
            f"{origin}: the PII key is {len(key)} bytes; use at least {_MIN_KEY_BYTES} "
            "(a generated key file has 64)"
        )
    return key


def persist(key: Key) -> Callable[[], None] | None:
    """Save a new key (0600, never over an existing file) and say so; else do nothing.

    Returns:
        How to remove the file again (the run failed after all), or ``None``.

    Raises:
        HotlineError: Another run saved a key meanwhile (re-run to use it), or the file cannot
            be written.
    """
    if not key.new or key.file is None:
        return None
    path = key.file
    with writing(path, "key"):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise HotlineError(
                f"{path}: 另一次运行刚刚新建了密钥；请重新运行，以便使用同一把密钥 / another run "
                "has just made the key: run again to use the same key"
            ) from None
        try:
            os.write(handle, key.value + b"\n")
            os.fsync(handle)
        finally:
            os.close(handle)
    print(
        f"hotline: 已新建调用方编号密钥 {path}（仅本人可读；请备份，勿提交到 git；"
        "丢失后同一来电人会得到不同编号）/ made a new caller key (back it up, never commit it; "
        "without it the same caller gets another number)",
        file=sys.stderr,
    )

    def undo() -> None:
        if path.is_file() and path.read_bytes().strip() == key.value:
            path.unlink()

    return undo


def check_same_key(key: Key, folders: Iterable[Path]) -> None:
    """Stop a run that would make a new key beside a dataset made with another key.

    Raises:
        HotlineError: ``key`` is new and a dataset in ``folders`` records another fingerprint.
    """
    if not key.new:
        return
    mine = fingerprint(key.value)
    for folder in folders:
        try:
            manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
            theirs = manifest.get("caller_key_fingerprint")
        except (OSError, ValueError, AttributeError):
            continue
        if theirs and theirs != mine:
            raise HotlineError(
                f"{folder}: 已有数据集的调用方编号由另一把密钥（指纹 {theirs}）生成，本次却要在 "
                f"{key.file} 新建密钥，同一来电人会得到不同编号；请把原密钥文件放回该位置，"
                "或设置 HOTLINE_PII_KEY / HOTLINE_PII_KEY_FILE 指向它 / the dataset's caller keys "
                f"were made with another key (fingerprint {theirs}); a new one at {key.file} would "
                "give the same caller another number: put the old key file back or point "
                "HOTLINE_PII_KEY_FILE at it"
            )


def fingerprint(key: bytes) -> str:
    """Identifies the key without revealing it: same fingerprint, same caller keys."""
    return hmac.new(key, b"hotline caller-key fingerprint", hashlib.sha256).hexdigest()[:12]
