"""The secret key of caller hashes: where it lives, how it is made, how it is recognised.

The key is ``$HOTLINE_PII_KEY`` when set, else the file :func:`hotline.paths.pii_key_file`
(generated on first use, git-ignored, readable by its owner only). A dataset records the key's
fingerprint, never the key: two datasets with the same fingerprint link callers alike.

Example:
    >>> len(fingerprint(b"a key of sixteen bytes"))
    12
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from hotline import paths
from hotline.errors import HotlineError

__all__ = ["fingerprint", "load_key"]


def load_key(create: bool = True) -> bytes:
    """Return the secret key for caller hashes.

    Args:
        create: Generate the key file when neither the variable nor the file exists.

    Raises:
        HotlineError: There is no key and ``create`` is false.
    """
    explicit = os.environ.get("HOTLINE_PII_KEY", "")
    if explicit:
        return _checked(explicit.encode("utf-8"), "HOTLINE_PII_KEY")
    path = paths.pii_key_file()
    if path.is_file():
        try:
            return _checked(path.read_bytes().strip(), str(path))
        except OSError as error:
            raise HotlineError(f"{path}: cannot read the PII key ({error.strerror})") from None
    if not create:
        raise HotlineError(f"no PII key: set HOTLINE_PII_KEY or create {path}")
    return _create_key_file(path)


_MIN_KEY_BYTES = 16


def _checked(key: bytes, origin: str) -> bytes:
    """A key short enough to guess would make caller keys as weak as a plain hash."""
    if len(key) < _MIN_KEY_BYTES:
        raise HotlineError(
            f"{origin}: the PII key is {len(key)} bytes; use at least {_MIN_KEY_BYTES} "
            "(a generated key file has 64)"
        )
    return key


def _create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(key + "\n", encoding="ascii")
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)  # fails if another process created the key meanwhile
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes().strip()


def fingerprint(key: bytes) -> str:
    """Identifies the key without revealing it: same fingerprint, same caller keys."""
    return hmac.new(key, b"hotline caller-key fingerprint", hashlib.sha256).hexdigest()[:12]
