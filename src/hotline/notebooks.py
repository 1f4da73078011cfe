"""Execute the analysis notebooks against a dataset and keep executed and HTML copies.

``make notebooks`` and ``hotline notebooks`` call :func:`run_notebooks`: each numbered notebook in
:func:`hotline.paths.notebooks_dir` runs top to bottom through papermill (which fills the cell
tagged ``parameters``: ``dataset``, ``year``…), from the notebooks folder as working directory,
in a kernel of *this* Python environment (the notebooks declare the ``hotline`` kernel that
``make lab`` registers; it need not be installed to run them here). The executed notebook and
an HTML copy are written to ``reports/notebooks/``, each to a temporary name first and renamed
when complete, so a failing notebook never leaves a half-written report behind. The source
notebooks stay without outputs.

A notebook given no dataset reads the one :func:`choose_dataset` picks: the user's
(``data/processed``) when there is one, else the demo's sample, with a visible note saying so.

Example:
    >>> [path.name for path in notebook_files(names=["02"], folder=Path("/nonexistent"))]
    []
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from hotline import paths
from hotline.errors import HotlineError

__all__ = ["SAMPLE_NOTE", "choose_dataset", "choose_year", "notebook_files", "run_notebooks"]

#: What a notebook prints when it falls back to the demo's sample.
SAMPLE_NOTE = "未找到本单位数据集，以下使用示例数据（虚构县）"


def _what_dataset(folder: Path) -> str:
    """``absent``, ``user`` (real data), ``sample`` or ``mixed`` (the sample among real data)."""
    from hotline.dataset import read_manifest
    from hotline.errors import DatasetError
    from hotline.ingestion.sample_guard import dataset_sample_kind

    try:
        manifest = read_manifest(folder)
    except DatasetError:
        return "absent"
    return dataset_sample_kind(manifest) or "user"


_NOTES = {
    "sample": "注意：{} 是示例数据（虚构县），不是真实工单。",
    "mixed": "注意：{} 混有示例数据（虚构县）的文件，数字不是本单位的真实情况。",
}


def choose_dataset(dataset: str | Path | None = None) -> Path:
    """The dataset a notebook reads, saying so when it is the demo's fictional sample.

    Args:
        dataset: The notebook's ``dataset`` parameter; ``None`` for the default: the user's
            dataset (:func:`hotline.paths.processed_dir`) when there is one, else the sample's
            (:func:`hotline.paths.sample_processed_dir`, written by ``make demo``).

    Returns:
        The dataset folder (or file) to load.

    Raises:
        DatasetError: No dataset given and neither the user's nor the sample's exists.

    A sample dataset is announced with a printed line (:data:`SAMPLE_NOTE` when the notebook
    fell back to it), so its figures are never mistaken for a county's.

    Example:
        >>> import os, tempfile
        >>> os.environ["HOTLINE_HOME"] = tempfile.mkdtemp()
        >>> choose_dataset()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        hotline.errors.DatasetError: no dataset: run `hotline ingest data/raw/` for your exports...
        >>> del os.environ["HOTLINE_HOME"]
    """
    from hotline.errors import DatasetError

    if dataset is not None:
        what = _what_dataset(Path(dataset))
        if what in _NOTES:
            print(_NOTES[what].format(dataset))
        return Path(dataset)
    user = paths.processed_dir()
    what = _what_dataset(user)
    if what in ("user", "mixed"):
        if what == "mixed":
            print(_NOTES[what].format(paths.for_display(user)))
        return user
    # No dataset of the user's: the sample's, or an older demo's sample in data/processed.
    for candidate in (paths.sample_processed_dir(), user):
        if _what_dataset(candidate) != "absent":
            print(f"{SAMPLE_NOTE}：{paths.for_display(candidate)}")
            return candidate
    raise DatasetError(
        "no dataset: run `hotline ingest data/raw/` for your exports, or `make demo` for the sample"
    )


#: Kernel the notebooks declare (``kernelspec.name``), the one ``make lab`` registers. Executed
#: here, it always means this environment's Python, installed or not (:func:`_kernel_here`).
KERNEL = "hotline"


def choose_year(data: Any, year: int | None = None) -> int:
    """The year a notebook reports on: ``year`` if given, else the data's latest whole year.

    A whole year is one the data cover from January to December (:func:`hotline.metrics.
    coverage`); without one, the latest year with requests. The choice is printed, with why.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "received_at": pd.to_datetime(
        ...     ["2019-01-02", "2019-12-30", "2020-01-26"])})
        >>> choose_year(df)
        统计年度：2019（数据中最近的完整年度；2020 年不完整）
        2019
    """
    from hotline.metrics.coverage import complete_years, month_spans

    if year is not None:
        print(f"统计年度：{year}（参数指定）")
        return int(year)
    spans = month_spans(data)  # one pass over the orders, whatever the number of years
    if not spans:
        raise HotlineError("数据中没有受理时间，无法确定统计年度")
    last = max(int(name[:4]) for name in spans)
    whole = complete_years(spans)
    if whole:
        partial = [str(y) for y in range(last, whole[-1], -1)]
        note = f"；{'、'.join(partial)} 年不完整" if partial else ""
        print(f"统计年度：{whole[-1]}（数据中最近的完整年度{note}）")
        return whole[-1]
    print(f"统计年度：{last}（数据中没有完整年度，取最近一年，数字不代表全年）")
    return last


def notebook_files(names: Sequence[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The numbered notebooks (``NN-*.ipynb``), optionally only those whose name starts so.

    Args:
        names: Prefixes such as ``["01", "05"]``; default every notebook.
        folder: Notebooks folder; default :func:`hotline.paths.notebooks_dir`.

    Returns:
        Paths sorted by name (so by number).
    """
    folder = folder or paths.notebooks_dir()
    found = sorted(folder.glob("[0-9][0-9]-*.ipynb")) if folder.is_dir() else []
    if names:
        found = [path for path in found if any(path.name.startswith(n) for n in names)]
    return found


def _kernel_here(folder: Path) -> Path:
    """Write a kernelspec named :data:`KERNEL` that starts this interpreter, under ``folder``.

    The notebooks declare the ``hotline`` kernel (``make lab`` installs it), but a fresh clone,
    a test run or CI may not have installed it, and a user-wide ``hotline`` kernel may belong
    to another environment: executing them must use this environment either way.

    Example:
        >>> import json, tempfile
        >>> spec = _kernel_here(Path(tempfile.mkdtemp())) / "kernel.json"
        >>> json.loads(spec.read_text())["argv"][0] == sys.executable
        True
    """
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    description = {"argv": argv, "display_name": "Python (hotline)", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(description), encoding="utf-8")
    return spec


@contextlib.contextmanager
def _this_environment_first() -> Iterator[None]:
    """Make kernel :data:`KERNEL` mean this interpreter, not a kernelspec installed elsewhere."""
    previous = os.environ.get("JUPYTER_PATH")
    ours = str(Path(sys.prefix) / "share" / "jupyter")
    with tempfile.TemporaryDirectory(prefix="hotline-kernel-") as folder:
        _kernel_here(Path(folder))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [folder, ours, previous]))
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous


def _execute(notebook: Path, target: Path, parameters: Mapping[str, Any]) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    try:
        papermill.execute_notebook(
            str(notebook),
            str(partial),
            parameters=dict(parameters),
            cwd=str(notebook.parent),
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as error:
        partial.unlink(missing_ok=True)
        message = f"{error.ename}: {error.evalue}".splitlines()[0]
        raise HotlineError(f"{notebook.name}: cell {error.exec_count} failed: {message}") from None
    partial.replace(target)


def _to_html(executed: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    # Names from the data reach tables; sanitising keeps a <script> among them inert.
    html, _ = HTMLExporter(sanitize_html=True).from_notebook_node(
        nbformat.read(executed, as_version=4)
    )
    target = executed.with_suffix(".html")
    partial = target.with_name(f".{target.stem}.partial{target.suffix}")
    partial.write_text(html, encoding="utf-8")
    partial.replace(target)
    return target


def run_notebooks(
    names: Sequence[str] | None = None,
    *,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path | None = None,
    html: bool = True,
    folder: Path | None = None,
) -> list[Path]:
    """Execute notebooks with papermill; write executed ``.ipynb`` and ``.html`` copies.

    Args:
        names: Prefixes of the notebooks to run (``["05"]``); default all, in order.
        parameters: Values for the ``parameters`` cell, e.g. ``{"dataset": "...", "year": 2021}``;
            papermill injects them after that cell.
        out: Output folder; default ``reports/notebooks``.
        html: Also write an HTML copy of each executed notebook.
        folder: Notebooks folder; default :func:`hotline.paths.notebooks_dir`.

    Returns:
        The files written.

    Raises:
        HotlineError: No notebooks found, or a cell failed (naming the notebook and the cell).
    """
    notebooks = notebook_files(names, folder)
    if not notebooks:
        where = folder or paths.notebooks_dir()
        raise HotlineError(f"{where}: no numbered notebooks (NN-*.ipynb) to run")
    target_dir = Path(out) if out else paths.reports_dir() / "notebooks"
    target_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with _this_environment_first():
        for notebook in notebooks:
            executed = target_dir / notebook.name
            _execute(notebook, executed, parameters or {})
            written.append(executed)
            if html:
                written.append(_to_html(executed))
    return written
