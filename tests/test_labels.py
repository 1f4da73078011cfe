"""The label catalogue: one place for display words, used by every table, chart and command.

Three promises are checked here. Every label a display path asks for exists in Chinese and in
English; no module outside the catalogue (and the metric declarations) writes its own Chinese
name for a column; and a table prints the rate the metric returned, never one recomputed from
the counts beside it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from hotline import schema
from hotline.cli import main
from hotline.dataset import ACCOUNT_COLUMNS
from hotline.labels import (
    LABELS,
    column_title,
    definitions_title,
    label,
    metric_labels,
)
from hotline.metrics import PRESETS
from hotline.metrics.display import MAIN_COLUMNS, for_display
from hotline.metrics.summary import DIMENSIONS, PERIODS
from hotline.report import tables
from hotline.report.headers import column_header

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "src" / "hotline"
CJK = re.compile(r"[\u3400-\u9fff]")

# ---------------------------------------------------------------------------------------------
# Every key a display path uses exists in both languages
# ---------------------------------------------------------------------------------------------

#: Columns tables show: the report workbook's, the CLI's, the account's, periods, dimensions.
TABLE_COLUMNS = sorted(
    {c for c, _ in tables._COUNTS_AND_RATES}
    | {c for c, _ in tables._MONTH_COLUMNS}
    | {c for c, _ in tables._RANK_COLUMNS}
    | {c for c, _ in tables._SOURCE_COLUMNS}
    | {"item", "note", "formula", "due_total", "share"}
    | set(tables._DEFINITION_ROWS)
    | set(MAIN_COLUMNS)
    | set(PERIODS)
    | set(DIMENSIONS.values())
    | set(metric_labels())
    | {"source_kind"}
)


@pytest.mark.parametrize("column", TABLE_COLUMNS)
def test_every_table_column_has_a_title_in_both_languages(column: str) -> None:
    zh, en = column_title(column, "zh"), column_title(column, "en")
    assert zh != column and CJK.search(zh), f"{column}: no Chinese title"
    assert en != column and not CJK.search(en), f"{column}: no English title ({en!r})"
    assert column_header(column) == zh  # the report's headers are the catalogue's


@pytest.mark.parametrize("rate", sorted(k for k in metric_labels() if k.endswith("_rate")))
@pytest.mark.parametrize("change", ["mom_pp", "yoy_pp", "rolling3"])
def test_a_trend_change_of_any_rate_is_titled(rate: str, change: str) -> None:
    """monthly_trend adds ``<rate>_mom_pp`` and the like: titled from the rate's own name."""
    zh, en = label(rate), label(rate, "en")
    assert column_title(f"{rate}_{change}").startswith(zh)
    assert column_title(f"{rate}_{change}", "en").startswith(en)


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_has_a_title(name: str) -> None:
    """Charts' footnotes and the report's lead name the preset (默认口径, 北京“三率”口径 …)."""
    assert CJK.search(definitions_title(name))
    assert definitions_title(name, "en") != definitions_title(name)
    assert not CJK.search(definitions_title(name, "en"))


def test_account_columns_come_from_the_catalogue() -> None:
    assert {key: label(f"account.{key}") for key in ACCOUNT_COLUMNS} == ACCOUNT_COLUMNS
    for key in ACCOUNT_COLUMNS:
        assert not CJK.search(label(f"account.{key}", "en"))


def test_metric_names_never_clash_with_other_words() -> None:
    """A metric's key is a plain key of the catalogue: no other word may claim it."""
    from hotline import labels

    assert set(metric_labels()) & set(labels._WORDS) == set()
    assert len(LABELS) == len(set(LABELS))


def _literal_keys(path: Path) -> set[tuple[str, str]]:
    """(function, key) of every call with a literal first argument to a label helper."""
    found = set()
    helpers = {"label", "column_title", "column_header", "with_unit", "definitions_title"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func  # label(...) or labels.label(...), not schema.label(enum, code)
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "labels":
            name = func.attr
        else:
            continue
        first = node.args[0]
        if name in helpers and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add((name, first.value))
    return found


DISPLAY_MODULES = sorted(
    [
        *SOURCES.joinpath("plotting").rglob("*.py"),
        *SOURCES.joinpath("report").rglob("*.py"),
        SOURCES / "cli.py",
        SOURCES / "dataset.py",
        SOURCES / "metrics" / "display.py",
        *REPO.joinpath("notebooks").glob("*.py"),
    ]
)


@pytest.mark.parametrize("path", DISPLAY_MODULES, ids=lambda p: p.name)
def test_every_label_key_a_display_path_writes_out_exists(path: Path) -> None:
    """Keys written out in the code; keys built at run time are covered by the tests above."""
    for helper, key in _literal_keys(path):
        if helper in ("label", "with_unit"):
            assert key in LABELS, f"{path.name}: {helper}({key!r}) is not in the catalogue"
            zh, en = LABELS[key]
            assert zh.strip() and en.strip() and not CJK.search(en)
        elif helper in ("column_title", "column_header"):
            assert column_title(key) != key, f"{path.name}: no title for column {key!r}"


# ---------------------------------------------------------------------------------------------
# No Chinese column names outside the catalogue
# ---------------------------------------------------------------------------------------------

#: Modules that may write Chinese names of columns, and why.
ALLOWED = {
    "labels.py": "the catalogue itself",
    "metrics/catalogue.py": "the metric declarations: a metric is named where it is declared",
    "claims/vocabulary.py": "reads report text: many spellings of a figure map to its key",
    "metrics/figures.py": "beijing_rates() returns its rates keyed by their Chinese names",
    "sample/exports.py": "the fictional vendor exports' own status spellings (data, not labels)",
}


def _display_keys() -> set[str]:
    keys = set(metric_labels()) | set(PERIODS) | {c.name for c in schema.COLUMNS}
    return keys | {k.split(".", 1)[1] for k in LABELS if k.startswith(("column.", "account."))}


def _short_name(node: ast.AST) -> str | None:
    """A short Chinese name: a string (or a tuple's first string) with CJK and no sentence."""
    if isinstance(node, ast.Tuple) and node.elts:
        node = node.elts[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        if CJK.search(text) and len(text) <= 16 and not re.search(r"[=，。：；]", text):
            return text
    return None


def column_name_tables(source: str) -> list[str]:
    """Dict literals of ``source`` that name columns in Chinese.

    Either at least two column keys mapped to short Chinese names (``{"accepted": "受理量",
    "closed": "办结量"}``), or a catalogue title written out as a key (``{"办结率": ...}``).

    Example:
        >>> column_name_tables('NAMES = {"accepted": "受理", "closed": "办结"}')
        ["line 1: {'accepted': '受理', 'closed': '办结'}"]
        >>> column_name_tables('NOTE = {"dispatched": "派单时间（未派单的自受理时间）"}')
        []
    """
    keys = _display_keys()
    titles = {t for t in (column_title(k) for k in keys) if CJK.search(t)}
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Dict):
            continue
        literal = [
            (k.value, v)
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
        names = {k: _short_name(v) for k, v in literal if k in keys and _short_name(v)}
        written = [k for k, _ in literal if k in titles]
        if len(names) >= 2 or written:
            found.append(f"line {node.lineno}: {names or written}")
    return found


@pytest.mark.parametrize(
    "path",
    sorted([*SOURCES.rglob("*.py"), *REPO.joinpath("notebooks").glob("*.py")]),
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_no_module_outside_the_catalogue_names_columns_in_chinese(path: Path) -> None:
    relative = path.relative_to(SOURCES).as_posix() if path.is_relative_to(SOURCES) else path.name
    if relative in ALLOWED:
        return
    found = column_name_tables(path.read_text(encoding="utf-8"))
    assert found == [], (
        f"{path.relative_to(REPO)} names columns in Chinese; use hotline.labels "
        f"(label, column_title) instead: {found}"
    )


# ---------------------------------------------------------------------------------------------
# Tables print the metric's rate, in the language asked for
# ---------------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    assert main(["metrics", *arguments]) == 0
    return capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_the_metrics_table_prints_the_rates_json_gives(
    preset: str, sample_county: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Under ``beijing`` 办结率 is over dispatched orders: a table recomputing closed/accepted
    would print another figure than ``--format json``."""
    dataset = str(sample_county[1])
    figures = json.loads(_run(capsys, dataset, "--preset", preset, "--format", "json"))
    rows = [*figures["by_source_kind"].values(), figures]  # the table's order: kinds, total
    table = _run(capsys, dataset, "--preset", preset).splitlines()
    lines = [line for line in table[1:] if not line.startswith("—：")]
    assert [line.split()[-1] for line in lines] == [_percent(r["closure_rate"]) for r in rows]

    breakdown = json.loads(
        _run(capsys, dataset, "--preset", preset, "--by", "kind", "--format", "json")
    )
    printed = _run(capsys, dataset, "--preset", preset, "--by", "kind").splitlines()[1:]
    rates = [c for c in MAIN_COLUMNS if c.endswith("_rate")]
    for record, line in zip(breakdown, printed, strict=False):
        shown = [token for token in line.split() if token.endswith("%")]
        assert shown == [_percent(record[r]) for r in rates if record[r] is not None]


@pytest.mark.slow
def test_metrics_in_english_without_a_breakdown(
    sample_county: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    table = _run(capsys, str(sample_county[1]), "--lang", "en")
    header = table.splitlines()[0]
    for column in ("source_kind", "accepted", "closed", "closure_rate"):
        assert column_title(column, "en") in header
    assert "Total" in table and "Hotline call" in table
    assert not CJK.search(table), table
    chinese = _run(capsys, str(sample_county[1]))
    assert chinese.splitlines()[0].split() == ["来源类别", "受理量", "办结量", "办结率"]
    assert "合计" in chinese


def test_for_display_titles_follow_the_language() -> None:
    import pandas as pd

    table = pd.DataFrame({"month": ["2021-01"], "town": [None], "accepted": [3]})
    assert list(for_display(table, lang="en").columns) == ["Month", "Town", "Accepted"]
    assert for_display(table, lang="en")["Town"].tolist() == ["(No town recorded)"]
    assert for_display(table)["乡镇/街道"].tolist() == ["(未填乡镇/街道)"]
