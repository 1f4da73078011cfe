"""``hotline check-claims``: a report's file (text or .docx) against a dataset, as text or JSON.

The file is read twice, piece by piece (:mod:`hotline.claims.report_file`): once for the year its
figures are about, once for its figures. Memory is bounded whatever the file's size: a piece at a
time, and at most :data:`MAX_FIGURES` figures, every one listed in the output; a file with more is
refused (it is not one report: check its parts one by one).

Example:
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
    >>> _ = path.write_text("全年开展普法宣传100余场次。", encoding="utf-8")
    >>> output, code = run_check_claims(path)
    >>> code, output.splitlines()[-1]
    (0, '未发现关于12345热线的数字，没有需要核对的内容。')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from hotline import paths
from hotline.claims.check import Claim, DataFigures, check_statements
from hotline.claims.extract import Statement, read_statements
from hotline.claims.period import choose_period, data_coverage
from hotline.claims.render import render_json, render_text
from hotline.claims.report_file import ReportFile, open_report
from hotline.claims.years import report_year
from hotline.dataset import read_manifest
from hotline.errors import HotlineError, InputError
from hotline.ingestion.privacy import safe_path
from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Data

__all__ = ["FORMATS", "MAX_FIGURES", "exit_code", "run_check_claims"]

#: Output formats of :func:`run_check_claims`.
FORMATS = ("text", "json")

#: The most figures one file may hold: a long 政府工作报告 holds under a thousand. The output lists
#: each with its verdict, so more would be neither read nor held in memory.
MAX_FIGURES = 20_000


def exit_code(claims: Sequence[Claim], strict: bool = False) -> int:
    """1 when any hotline claim is inconsistent, else 0.

    A claim that cannot be checked (无法核对, e.g. the data does not cover the report's year)
    is not a failed check. With ``strict``, it is: 1 also when any hotline claim is not
    checkable or was checked against a partly covered year, so a CI job passes only when every
    claim was confirmed against a full year of data.

    Example:
        >>> exit_code([])
        0
    """
    if any(c.verdict == "inconsistent" for c in claims):
        return 1
    if strict:
        about = [c for c in claims if c.verdict != "not_hotline"]
        return int(any(c.verdict == "not_checkable" or c.caveat for c in about))
    return 0


def _header(text_file: str | Path, dataset: Data, figures: DataFigures) -> list[str]:
    data = "DataFrame" if isinstance(dataset, pd.DataFrame) else safe_path(dataset)
    lines = [f"核对文件：{safe_path(Path(text_file).name)}", f"数据：{data}"]
    if figures.loaded:
        lines[-1] += f"（截至 {figures.as_of}，{len(figures.sources)} 个导出文件）"
    lines.append(f"口径：{figures.definitions.explain()}")
    return lines


def _statements(report: ReportFile) -> list[Statement]:
    """Every figure of the report, at most :data:`MAX_FIGURES` of them.

    Raises:
        InputError: The file holds more figures than that (it is refused as it is read).
    """
    statements: list[Statement] = []
    for statement in read_statements(report.pieces()):
        if len(statements) == MAX_FIGURES:
            raise InputError(
                report.path,
                f"more than {MAX_FIGURES:,} figures (line {statement.line}); one report holds "
                "far fewer: check the report's parts one file at a time",
            )
        statements.append(statement)
    return statements


def _texts(report: ReportFile) -> Iterable[str]:
    return (piece.text for piece in report.pieces())


def run_check_claims(
    text_file: str | Path,
    dataset: Data | None = None,
    *,
    fmt: str = "text",
    definitions: Definitions | str | None = None,
    year: int | None = None,
    strict: bool = False,
) -> tuple[str, int]:
    """Check a report's hotline figures against a dataset.

    Args:
        text_file: The report: a UTF-8 or GB18030 text file, or a Word .docx.
        dataset: A dataset folder (default :func:`hotline.paths.processed_dir`), its Parquet
            file, or a canonical DataFrame.
        fmt: ``text`` (Chinese, one block per claim) or ``json`` (a list of objects).
        definitions: Definitions or a preset name for the data's figures.
        year: The year to check against; default the year the text names, else the data's
            latest full year (:func:`hotline.claims.check.claims_period`).
        strict: Exit 1 also when a claim is not checkable or the year is only partly covered.

    Returns:
        The output, and the exit code (:func:`exit_code`): 1 when any claim is inconsistent
        (with ``strict``, also when any is not checkable or only partly covered), else 0.

    Raises:
        InputError: The file cannot be read, is not report text or a .docx (a .doc, PDF,
            workbook, image, empty file …), or holds more than :data:`MAX_FIGURES` figures.
        DatasetError: No dataset at the given place (only read when the text has claims).
        HotlineError: An unknown format or preset.

    Example:
        >>> import tempfile, pathlib, json
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "报告.txt"
        >>> _ = path.write_text("12345热线受理话务诉求3件。", encoding="utf-8")
        >>> output, code = run_check_claims(path, df, fmt="json")
        >>> code, json.loads(output)[0]["verdict"]
        (1, 'inconsistent')
    """
    if fmt not in FORMATS:
        raise HotlineError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    report = open_report(text_file)
    if dataset is None:
        dataset = paths.processed_dir()
    statements = _statements(report)
    figures, period = DataFigures(dataset, definitions), None
    if any(s.about_hotline for s in statements):  # else the data is never read
        if isinstance(dataset, str | Path):
            read_manifest(dataset)  # a missing dataset is a DatasetError naming it, not DuckDB's
        coverage = data_coverage(dataset, definitions)
        period = choose_period(coverage, report_year(_texts(report)), year)
        figures = DataFigures(dataset, definitions, period.year)
    claims = check_statements(statements, figures, period)
    code = exit_code(claims, strict)
    if fmt == "json":
        return render_json(claims), code
    return render_text(claims, _header(text_file, dataset, figures)), code
