"""Errors users see: each names the file, the row or column, and what was expected.

The command line prints ``str(error)`` on one line and exits non-zero; ``--debug`` adds the
traceback. Library callers catch :class:`HotlineError`.

Example:
    >>> str(InputError("工单.xlsx", "no header row found", row=3))
    '工单.xlsx, row 3: no header row found'
    >>> str(InputError("raw/李秀英", "folder holds no export"))
    '文件1: folder holds no export'
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DatasetError", "HotlineError", "InputError", "MappingError"]


class HotlineError(Exception):
    """Base class of every error hotline raises on purpose."""


class InputError(HotlineError):
    """A raw export cannot be read as expected.

    Args:
        file: The export's path or name.
        problem: What is wrong and what was expected, in one sentence.
        row: The 1-based row (Excel row or CSV line) where the problem is, if known.
        column: The column header involved, if any.
    """

    def __init__(
        self,
        file: str | Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.column = column
        from hotline.ingestion.privacy import safe_path  # pyarrow: only once an error occurs

        # Callers pass the screened name; a path given as is (a folder, a missing file) is
        # screened here, so that no message names a caller (文件1.csv, 文件夹1).
        where = [safe_path(Path(self.file).name or self.file)]  # "." has no name
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class MappingError(HotlineError):
    """A user mapping file is malformed, or required fields cannot be mapped."""


class DatasetError(HotlineError):
    """A processed dataset is missing, unreadable or of an unknown schema version."""
