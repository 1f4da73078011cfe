r"""Quoted values that span lines: accepted when plausible, repaired or rejected when not.

A CSV value in double quotes may hold line breaks, and platforms use that for multi-line
complaint text. One stray ``"`` at the start of a value (``"他说供暖不热``) opens such a span
that only the next quote closes, hundreds of lines later or never: every order in between
vanishes into one value, with its caller's name in clear. A span is *plausible* when

* it covers at most ``limits.record_lines`` lines and ``limits.field_chars`` characters, and
* it swallows no record: no line strictly inside it reads, on its own, as a whole record of
  the header's width, and its last line does not either when its first line does or the span
  is not one whole record (the last line of an honest value in the first column reads whole:
  its tail plus the other fields).

A line ends at ``\r\n``, ``\n`` or a lone ``\r`` (old Mac exports end every line with ``\r``);
the three count alike wherever lines are split or counted.

An implausible span whose lines read as records is re-read line by line: the line that opened
the quote is read with that quote as a plain character (a *stray quote*, counted as a
data-quality fact) when that gives a whole record, otherwise it is rejected as
``unclosed_quote``; the lines after it are read again as the records they are. An implausible
span with no record inside (a value simply too long) is rejected whole as ``oversized_record``,
so the limits can be raised for it.

Example:
    >>> lines = ['A1,2021-03-01,"他说不热\n', 'A2,2021-03-02,漏水\n']
    >>> [(r.line, r.fields, r.reason) for r in reread(lines, 10, ",", 3)]
    [(10, ['A1', '2021-03-01', '"他说不热'], 'stray_quote'), (11, ['A2', '2021-03-02', '漏水'], '')]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.ingestion.limits import DEFAULT, Limits

__all__ = [
    "Reread",
    "implausible",
    "line_breaks",
    "looks_like_record",
    "open_at_end",
    "reread",
    "split_lines",
]

_LINE_END = re.compile(r"\r\n|\r|\n")

# Python's csv module stops at 131,072 characters per field; the ingest's own limits
# (``field_chars``, ``record_lines``, ``record_chars``) bound what it reads, so lift it.
csv.field_size_limit(max(csv.field_size_limit(), (1 << 31) - 1))


@dataclass(frozen=True)
class Reread:
    """One record of a re-read span.

    Attributes:
        line: 1-based physical line where the record starts.
        lines: Physical lines it spans.
        fields: Its values; empty for a rejected record.
        reason: ``""`` (read as is), ``stray_quote`` (read with a quote as a plain character),
            ``unclosed_quote`` or ``oversized_record`` (rejected).
    """

    line: int
    lines: int
    fields: list[str]
    reason: str = ""


def split_lines(text: str) -> list[str]:
    r"""Split text at every line end: ``\r\n``, ``\n`` or a lone ``\r``.

    Example:
        >>> split_lines("a\rb\r\nc\nd")
        ['a', 'b', 'c', 'd']
    """
    return _LINE_END.split(text)


def line_breaks(text: str) -> int:
    r"""How many line ends the text holds (``\r\n`` counts once).

    Example:
        >>> line_breaks("a\rb\r\nc\nd\r")
        4
    """
    return sum(1 for _ in _LINE_END.finditer(text))


def _fields(
    line: str,
    delimiter: str,
    quoting: Literal[0, 3] = csv.QUOTE_MINIMAL,  # or csv.QUOTE_NONE
) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quoting=quoting), [])


def looks_like_record(line: str, delimiter: str, width: int) -> bool:
    r"""Whether one physical line reads, on its own, as a whole record ``width`` fields wide.

    Example:
        >>> looks_like_record("A5,2021-03-05,漏水\r\n", ",", 3)
        True
    """
    if width < 2 or line.count(delimiter) < width - 1:
        return False
    line = line.rstrip("\r\n")
    return width in (
        len(_fields(line, delimiter)),
        len(_fields(line, delimiter, csv.QUOTE_NONE)),
    )


def _swallows(lines: Sequence[str], delimiter: str, width: int, whole: bool) -> bool:
    """Whether the lines of one span hold a record besides the one that starts it.

    ``whole``: the span reads as one record of the header's width.
    """
    if len(lines) < 2:
        return False
    if any(looks_like_record(line, delimiter, width) for line in lines[1:-1]):
        return True
    return looks_like_record(lines[-1], delimiter, width) and (
        not whole or looks_like_record(lines[0], delimiter, width)
    )


def implausible(
    text: str, delimiter: str, width: int, limits: Limits = DEFAULT, *, whole: bool = True
) -> tuple[bool, bool]:
    r"""Judge a record spanning lines, given its text (values joined by the delimiter).

    ``whole``: the record has the header's width (``False`` for a malformed one).

    Returns:
        ``(implausible, holds_records)``: whether the span breaks a bound or swallows lines
        that are records; and whether it is the second.

    Example:
        >>> implausible('A4,2021-03-04,他说\nA5,2021-03-05,漏水', ",", 3)
        (True, True)
        >>> implausible("第一行\n第二行", ",", 3)
        (False, False)
    """
    lines = split_lines(text)
    if _swallows(lines, delimiter, width, whole):
        return True, True
    too_big = len(lines) - 1 > limits.record_lines or len(text) > limits.field_chars
    return too_big, False


def open_at_end(lines: Sequence[str], delimiter: str) -> bool:
    r"""Whether the record starting at ``lines[0]`` still has a quote open after the last line.

    Example:
        >>> open_at_end(['A9,"他说\r\n', "合计,1件\r\n"], ",")
        True
        >>> open_at_end(['A9,"第一行\r\n', '第二行"\r\n'], ",")
        False
    """
    try:
        next(csv.reader(lines, delimiter=delimiter, strict=True), None)
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def reread(
    lines: Sequence[str],
    first_line: int,
    delimiter: str,
    width: int,
    limits: Limits = DEFAULT,
    *,
    at_end: bool = False,
) -> list[Reread]:
    """Read the physical ``lines`` of an implausible span again, one honest record at a time.

    Args:
        lines: The span's lines, each with its line break.
        first_line: 1-based line number of ``lines[0]``.
        delimiter: The file's delimiter.
        width: Fields per record.
        limits: ``record_lines`` and ``field_chars`` bound a quoted value that spans lines.
        at_end: The lines end the file: a quote still open after them never closes, so the
            line that opened it is a stray quote even when no record lies inside (only a
            total row of another width, say).

    Returns:
        The records, in order. A blank line is a record of ``width`` empty values, as the
        normal read gives it, so that it is counted as a blank row either way.
    """
    found: list[Reread] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip("\r\n"):
            found.append(Reread(first_line + i, 1, [""] * width))
            i += 1
            continue
        reader = csv.reader((lines[j] for j in range(i, len(lines))), delimiter=delimiter)
        record = next(reader, [])
        taken = reader.line_num
        literal = _fields(line.rstrip("\r\n"), delimiter, csv.QUOTE_NONE)
        if taken == 1:
            if len(record) != width and len(literal) == width:  # a quote left open at the end
                found.append(Reread(first_line + i, 1, literal, "stray_quote"))
            else:
                found.append(Reread(first_line + i, 1, record))
            i += 1
            continue
        text = "".join(lines[i : i + taken])
        swallows = _swallows(lines[i : i + taken], delimiter, width, len(record) == width) or (
            at_end and i + taken == len(lines) and open_at_end(lines[i:], delimiter)
        )
        if not swallows:
            too_big = taken - 1 > limits.record_lines or len(text) > limits.field_chars
            reason = "oversized_record" if too_big else ""
            found.append(Reread(first_line + i, taken, [] if too_big else record, reason))
            i += taken
        elif len(literal) == width:
            found.append(Reread(first_line + i, 1, literal, "stray_quote"))
            i += 1
        else:
            found.append(Reread(first_line + i, 1, [], "unclosed_quote"))
            i += 1
    return found
