"""How much one input file may make the ingest read: bounds checked before the work is done.

A 2 KB workbook can declare a cell at ``XFD200000`` (3 billion cells once laid out as a grid), a
300 KB zip can inflate to gigabytes, a CSV of blank lines can become a billion records. Every
reader checks the file against these limits *before* it allocates what the file asks for, and
stops with one line naming the file, the limit and the flag that raises it. The defaults fit
real exports with room to spare (a year of a city's 12345 orders: a few hundred thousand rows of
17 to 40 columns; Excel itself stops at 1,048,576 rows and 16,384 columns).

=================  ================  ===========================================================
limit              default           what it bounds
=================  ================  ===========================================================
``bytes``          2 GiB             size of one input file
``rows``           2,000,000         data rows of one sheet or file
``columns``        1,000             columns of one row (a header or a record)
``cells``          100,000,000       rows × columns of one sheet as a grid, and cells of one file
``unzipped``       4 GiB             bytes a workbook's zip members inflate to, each and in all
``ratio``          100               inflated : compressed size of one zip member over 1 MiB
``field_chars``    32,767            characters of one cell (Excel's own maximum)
``record_lines``   100               physical lines one quoted CSV record may span
``record_chars``   500,000           characters of one CSV record, all its values together
``json_bytes``     512 MiB           size of a JSON or XML file (held as Python objects)
``json_depth``     64                nesting depth of a JSON or XML document
``sheets``         1,000             sheets of one workbook
=================  ================  ===========================================================

The zip ratio follows Apache POI's zip-bomb guard (a member may inflate at most 100-fold);
ordinary workbooks inflate 2- to 20-fold.

Example:
    >>> limits = Limits().raised(["rows=5M", "bytes=8G"])
    >>> limits.rows, limits.bytes
    (5000000, 8589934592)
    >>> Limits().describe("rows")
    '--limit rows=N (now 2,000,000)'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from hotline.errors import HotlineError, InputError
from hotline.sizes import parse_size

__all__ = ["DEFAULT", "Limits", "parse_size"]

_BYTE_LIMITS = frozenset({"bytes", "unzipped", "json_bytes"})


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one input file may make the ingest read (see the module table).

    Attributes:
        bytes: Size of one input file, in bytes.
        rows: Data rows of one sheet or file.
        columns: Columns of one row.
        cells: Rows × columns of one sheet laid out as a grid; cells of one file.
        unzipped: Bytes the zip members of a workbook inflate to, each and in total.
        ratio: Inflated to compressed size of one zip member larger than 1 MiB.
        field_chars: Characters of one cell.
        record_lines: Physical lines one quoted CSV record may span.
        record_chars: Characters of one CSV record (its values together); a complaint runs to
            tens of thousands at most. The CSV reader sizes its blocks from it.
        json_bytes: Size of a JSON or Open311 XML file, in bytes.
        json_depth: Nesting depth of a JSON or XML document.
        sheets: Sheets of one workbook.
    """

    bytes: int = 2 << 30
    rows: int = 2_000_000
    columns: int = 1_000
    cells: int = 100_000_000
    unzipped: int = 4 << 30
    ratio: int = 100
    field_chars: int = 32_767
    record_lines: int = 100
    record_chars: int = 500_000
    json_bytes: int = 512 << 20
    json_depth: int = 64
    sheets: int = 1_000

    def raised(self, settings: Iterable[str]) -> Limits:
        """These limits with ``NAME=VALUE`` settings applied (``--limit rows=5M``).

        Sizes take ``K``, ``M``, ``G`` suffixes: powers of 1024 for byte limits, of 1000 for
        counts.

        Raises:
            HotlineError: An unknown name or a value that is not a positive number.
        """
        changes: dict[str, int] = {}
        names = [f.name for f in dataclasses.fields(self)]
        for setting in settings:
            name, sep, value = setting.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in names:
                raise HotlineError(
                    f"--limit {setting!r}: expected NAME=VALUE with NAME one of {', '.join(names)}"
                )
            changes[name] = parse_size(value, binary=name in _BYTE_LIMITS, what=f"--limit {name}")
        return dataclasses.replace(self, **changes)

    def check(self, file: str, name: str, found: int, what: str, *, row: int | None = None) -> None:
        """Stop with one line naming the file, what was found, the limit and the flag.

        Args:
            file: The input, as messages name it.
            name: The limit (a field of this class).
            found: The amount the file asks for.
            what: What was counted, in a few words (``rows in sheet 'Sheet1'``).
            row: Where, when one place exceeds it.

        Raises:
            InputError: ``found`` is over the limit.

        Example:
            >>> Limits(rows=10).check("a.csv", "rows", 12, "data rows")
            Traceback (most recent call last):
            ...
            hotline.errors.InputError: a.csv: 12 data rows, over the limit of 10; to read \
it anyway: --limit rows=N (now 10)
        """
        if found > getattr(self, name):
            raise InputError(
                file,
                f"{found:,} {what}, over the limit of {self.show(name)}; to read it anyway: "
                f"{self.describe(name)}",
                row=row,
            )

    def describe(self, name: str) -> str:
        """How a message tells the user to raise one limit.

        Example:
            >>> Limits().describe("bytes")
            '--limit bytes=N (now 2 GiB)'
        """
        return f"--limit {name}=N (now {self.show(name)})"

    def show(self, name: str) -> str:
        """The current value of one limit as a person reads it (``2 GiB``, ``2,000,000``)."""
        value = getattr(self, name)
        if name in _BYTE_LIMITS:
            for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
                if value >= size and value % size == 0:
                    return f"{value // size:,} {unit}"
            return f"{value:,} bytes"
        return f"{value:,}"


#: The limits an ingest uses unless told otherwise.
DEFAULT = Limits()
