r"""Decode a non-UTF-8 CSV for pyarrow without ever raising inside pyarrow's reading threads.

pyarrow transcodes a GBK or UTF-16 file with the Python codec's incremental decoder, called from
its read-ahead thread. When that decoder raises (a UTF-8 line deep inside a GBK file), the
exception sometimes reaches C++ as ``terminate called without an active exception`` and the
process aborts. So the decoder handed to pyarrow never raises: it replaces the bad bytes, notes
where the first one was, and the reader stops with a clear error once pyarrow is done.

Example:
    >>> with watched_codec("gb18030") as watch:
    ...     import codecs
    ...     decoder = codecs.lookup(watch.codec).incrementaldecoder()
    ...     text = decoder.decode("工单\n".encode("gbk") + b"\xff\xff", final=True)
    >>> watch.first_bad_byte
    5
"""

from __future__ import annotations

import codecs
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Watch", "watched_codec"]

_PREFIX = "hotline_watched_"
_watches: dict[str, Watch] = {}
_lock = threading.Lock()
_registered = False


@dataclass
class Watch:
    """Where a watched decoding met its first undecodable byte.

    Attributes:
        codec: The codec name to give pyarrow.
        encoding: The real encoding behind it.
        first_bad_byte: Offset of the first undecodable byte in the stream, or ``None``.
        reason: The decoder's reason for it (``illegal multibyte sequence``).
    """

    codec: str
    encoding: str
    first_bad_byte: int | None = None
    reason: str = ""


def _decoder_class(watch: Watch) -> type[codecs.IncrementalDecoder]:
    base = codecs.getincrementaldecoder(watch.encoding)

    class WatchedDecoder(codecs.IncrementalDecoder):
        def __init__(self, errors: str = "strict") -> None:
            super().__init__(errors)
            self._strict = base("strict")
            self._lenient: codecs.IncrementalDecoder | None = None
            self._seen = 0

        def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
            start, self._seen = self._seen, self._seen + len(data)
            if self._lenient is None:
                state = self._strict.getstate()
                try:
                    return self._strict.decode(data, final)
                except UnicodeDecodeError as error:
                    if watch.first_bad_byte is None:
                        watch.first_bad_byte = max(0, start + error.start - len(state[0]))
                        watch.reason = error.reason
                    self._lenient = base("replace")
                    self._lenient.setstate(state)
            return self._lenient.decode(data, final)

        def reset(self) -> None:
            self._strict.reset()
            self._lenient = None

    return WatchedDecoder


def _search(name: str) -> codecs.CodecInfo | None:
    watch = _watches.get(name)
    if watch is None:
        return None
    real = codecs.lookup(watch.encoding)
    return codecs.CodecInfo(
        name=name,
        encode=real.encode,
        decode=real.decode,
        incrementalencoder=real.incrementalencoder,
        incrementaldecoder=_decoder_class(watch),
    )


@contextmanager
def watched_codec(encoding: str) -> Iterator[Watch]:
    """A codec name that decodes ``encoding`` leniently and records the first bad byte."""
    global _registered
    with _lock:
        if not _registered:
            codecs.register(_search)
            _registered = True
        # Unique for ever: the codec registry caches every name it has looked up.
        name = f"{_PREFIX}{uuid.uuid4().hex}"
        watch = Watch(name, encoding)
        _watches[name] = watch
    try:
        yield watch
    finally:
        with _lock:
            _watches.pop(name, None)
