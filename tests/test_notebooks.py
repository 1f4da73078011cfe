"""The analysis notebooks: paired, clean, function-free, and executed against the sample county."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from conftest import shared_path
from hotline.notebooks import notebook_files, run_notebooks

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PAIRS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))


def test_every_notebook_is_numbered_and_paired() -> None:
    assert len(PAIRS) >= 5
    numbers = [path.name[:2] for path in PAIRS]
    assert numbers == sorted(set(numbers)), "one notebook per number"
    for script in PAIRS:
        assert script.with_suffix(".ipynb").is_file(), f"{script.name} has no paired .ipynb"


@pytest.mark.parametrize("script", PAIRS, ids=[p.stem for p in PAIRS])
def test_pair_holds_the_same_cells(script: Path) -> None:
    from_script = jupytext.read(script)
    from_notebook = jupytext.read(script.with_suffix(".ipynb"))
    assert [(c.cell_type, c.source) for c in from_script.cells] == [
        (c.cell_type, c.source) for c in from_notebook.cells
    ], f"{script.name} and its .ipynb differ: run `jupytext --sync {script}`"
    assert from_notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("script", PAIRS, ids=[p.stem for p in PAIRS])
def test_notebook_is_committed_without_outputs(script: Path) -> None:
    notebook = json.loads(script.with_suffix(".ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, script.name


@pytest.mark.parametrize("script", PAIRS, ids=[p.stem for p in PAIRS])
def test_notebook_imports_hotline_and_defines_nothing(script: Path) -> None:
    notebook = jupytext.read(script)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code").replace(
        ";\n", "\n"
    )
    tree = ast.parse(code)
    definitions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef)
    ]
    assert not definitions, f"{script.name} defines functions; move them into hotline"
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "hotline" in imported
    parameters = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(parameters) == 1, f"{script.name} needs one cell tagged 'parameters'"
    assert "dataset" in parameters[0].source and "year" in parameters[0].source


def _check_executed(written: list[Path]) -> None:
    executed = [path for path in written if path.suffix == ".ipynb"]
    for path in executed:
        notebook = nbformat.read(path, as_version=4)
        errors = [
            output
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"
        ]
        assert not errors, path.name
        assert path.with_suffix(".html").stat().st_size > 0
        images = [
            output
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        ]
        if "plotting" in "".join(cell.source for cell in notebook.cells):
            assert images, f"{path.name}: its charts do not display"


#: The notebooks on the 12345 sample county; 06 reads a real 311 export instead.
COUNTY_NOTEBOOKS = ["01", "02", "03", "04", "05"]


@pytest.mark.slow
def test_county_notebooks_run_on_the_sample(
    sample_county: tuple[Path, Path], tmp_path: Path
) -> None:
    written = run_notebooks(
        COUNTY_NOTEBOOKS,
        parameters={"dataset": str(sample_county[1]), "year": 2021},
        out=tmp_path / "executed",
        folder=NOTEBOOKS,
    )
    expected = [p.name for p in notebook_files(COUNTY_NOTEBOOKS, folder=NOTEBOOKS)]
    assert [p.name for p in written if p.suffix == ".ipynb"] == expected
    _check_executed(written)


@pytest.mark.slow
def test_311_notebook_runs_on_a_real_export(tmp_path: Path) -> None:
    export = shared_path(
        "data", "real", "la311-hackforla", "MyLA311_Service_Request_Data_2017_Subset.csv"
    )
    written = run_notebooks(
        ["06"],
        parameters={"export": str(export), "dataset": str(tmp_path / "dataset")},
        out=tmp_path / "executed",
        folder=NOTEBOOKS,
    )
    _check_executed(written)
    text = (tmp_path / "executed" / "06-311-example.ipynb").read_text(encoding="utf-8")
    assert "profile la311" in text and "America/Los_Angeles" in text


@pytest.mark.slow
def test_report_charts_notebook_takes_parameters(
    sample_county: tuple[Path, Path], tmp_path: Path
) -> None:
    figures = tmp_path / "figures"
    run_notebooks(
        ["05"],
        parameters={
            "dataset": str(sample_county[1]),
            "year": 2021,
            "preset": "strict",
            "figures": str(figures),
        },
        out=tmp_path / "executed",
        html=False,
        folder=NOTEBOOKS,
    )
    names = {path.stem for path in figures.iterdir()}
    assert names and all(name.startswith("2021-") for name in names)
    for suffix in (".png", ".svg", ".pdf"):
        assert len(list(figures.glob(f"*{suffix}"))) == len(names)


def test_a_failing_cell_names_the_notebook(tmp_path: Path) -> None:
    from hotline.errors import HotlineError

    broken = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("raise ValueError('数据集不存在')")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(broken, tmp_path / "09-broken.ipynb")
    with pytest.raises(HotlineError, match=r"09-broken.ipynb: cell 1 failed: ValueError"):
        run_notebooks(out=tmp_path / "out", folder=tmp_path)
    assert not list((tmp_path / "out").iterdir()), "nothing half-written"


@pytest.mark.slow
def test_report_check_in_notebook_02_needs_data_of_the_report_year(
    years_2019_2020: Path, tmp_path: Path
) -> None:
    run_notebooks(
        ["02"],
        parameters={"dataset": str(years_2019_2020), "year": 2020},
        out=tmp_path / "executed",
        html=False,
        folder=NOTEBOOKS,
    )
    notebook = nbformat.read(tmp_path / "executed" / "02-办结率与趋势.ipynb", as_version=4)
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )
    assert "核对年度：2021（文中所述年度）" in printed
    assert printed.count("结论：无法核对：数据不含该年度") == 5
    assert "结论：不符" not in printed


@pytest.mark.parametrize("script", PAIRS, ids=[p.stem for p in PAIRS])
def test_notebook_declares_the_hotline_kernel(script: Path) -> None:
    """The kernel `make lab` registers; running them does not need it installed (run_notebooks)."""
    from hotline.notebooks import KERNEL

    for path in (script, script.with_suffix(".ipynb")):
        assert jupytext.read(path).metadata["kernelspec"]["name"] == KERNEL == "hotline"


def test_notebooks_run_where_the_hotline_kernel_is_not_installed(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    with pytest.MonkeyPatch.context() as patch:  # no kernel installed anywhere but python3
        patch.setenv("JUPYTER_PATH", str(tmp_path / "none"))
        patch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
        assert "hotline" not in KernelSpecManager().find_kernel_specs()
        cell = nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")
        notebook = nbformat.v4.new_notebook(
            cells=[cell], metadata={"kernelspec": {"name": "hotline", "display_name": "hotline"}}
        )
        nbformat.write(notebook, tmp_path / "01-kernel.ipynb")
        (executed,) = run_notebooks(out=tmp_path / "out", folder=tmp_path, html=False)
    printed = nbformat.read(executed, as_version=4).cells[0].outputs[0]["text"]
    assert Path(printed.strip()) == Path(sys.executable)
