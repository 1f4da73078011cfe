"""What ``hotline metrics`` writes: every displayed rate is the Rate the metric returned.

The consistency test runs every preset through the CLI's table, CSV and JSON, without and with
``--by``, and compares each rate shown with :func:`hotline.metrics.rate` for the same group.
Each output is a *surface*: a function that runs it and returns what it shows as
:class:`Shown` records. Another output of ``hotline metrics`` joins the comparison by adding
its function to :data:`SURFACES`; the report's outputs (report.md, report.docx, tables.xlsx,
facts.json, the charts) are compared the same way, by :func:`disagreements`, in
tests/test_rate_surfaces.py.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.cli import main
from hotline.dataset import order_files
from hotline.labels import LABELS, column_title, label
from hotline.metrics import PRESETS, Rate, rate
from hotline.metrics.declarations import active
from hotline.metrics.display import MAIN_COLUMNS, rate_text
from hotline.safe_text import UTF8_BOM, excel_csv
from hotline.schema import SOURCE_KIND

Group = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Shown:
    """One rate as an output shows it.

    Attributes:
        surface: Which output, for the failure message (``cli table --by kind``).
        group: The filters that select the group's orders (``(("source_kind", "online"),)``);
            empty for all orders.
        key: The declared rate (``closure_rate``).
        text: The rate as displayed (``98.77%``, ``—``), or ``None`` when the output shows no
            text (JSON without it).
        fraction: Numerator and denominator shown beside it, if any.
        value: The exact value given (JSON), if any.
        digits: Decimals of the percentage the output writes (a chart's labels have one).
    """

    surface: str
    group: Group
    key: str
    text: str | None = None
    fraction: tuple[int, int] | None = None
    value: float | None = None
    digits: int = 2


#: An output: (dataset, preset) -> the rates it shows. The year is :data:`YEAR`.
Surface = Callable[[Path, str], list[Shown]]

YEAR = 2021
#: Months of a ``--by month`` breakdown compared (each comparison computes the metric anew):
#: the first, one in the middle, and December, whose orders are partly still open.
MONTHS = ("2021-01", "2021-06", "2021-12")
RATES = [c for c in MAIN_COLUMNS if c in active().rates]


def _cli(*arguments: str) -> str:
    """Run ``hotline metrics`` in this process; its standard output (bytes decoded)."""
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8")
    saved = sys.stdout
    sys.stdout = stdout
    try:
        assert main(["metrics", *arguments]) == 0
        stdout.flush()
    finally:
        sys.stdout = saved
    return buffer.getvalue().decode("utf-8")


def _kind_codes(lang: str) -> dict[str, str | None]:
    """Displayed source kind -> code (``None`` for the total row)."""
    codes: dict[str, str | None] = {SOURCE_KIND.label(c, lang): c for c in SOURCE_KIND.codes}
    codes[label("total", lang)] = None
    return codes


def _group(by: str | None, cell: str, lang: str = "zh") -> Group | None:
    """The filters of a displayed row key; ``None`` for a row left out of the comparison."""
    if by in (None, "kind"):
        code = _kind_codes(lang)[cell]
        return () if code is None else (("source_kind", code),)
    assert by == "month"
    return (("month", cell),) if cell in MONTHS else None


def _options(preset: str, by: str | None) -> list[str]:
    return ["--preset", preset, "--year", str(YEAR), *(["--by", by] if by else [])]


def _table(by: str | None) -> Surface:
    def shown(dataset: Path, preset: str) -> list[Shown]:
        lines = _cli(str(dataset), *_options(preset, by), "--lang", "zh").splitlines()
        header, rows = lines[0].split(), lines[1:]
        found = []
        for line in rows:
            cells = line.split()
            if not cells or line.startswith("—：") or len(cells) != len(header):
                continue  # notes under the table
            group = _group(by, cells[0])
            if group is None:
                continue
            for key in RATES:
                if column_title(key) in header:
                    text = cells[header.index(column_title(key))]
                    found.append(Shown(f"cli table --by {by}", group, key, text=text))
        return found

    return shown


def _csv(by: str | None, lang: str) -> Surface:
    def shown(dataset: Path, preset: str) -> list[Shown]:
        output = _cli(str(dataset), *_options(preset, by), "--format", "csv", "--lang", lang)
        found = []
        for row in csv.DictReader(io.StringIO(output)):
            group = _group(by, next(iter(row.values())), lang)
            if group is None:
                continue
            for key in RATES:
                title = column_title(key, lang)
                if title not in row:
                    continue
                above = row[label("fraction.numerator", lang, name=title)]
                below = row[label("fraction.denominator", lang, name=title)]
                fraction = None if row[title] == "—" else (int(above), int(below))
                surface = f"cli csv --lang {lang} --by {by}"
                found.append(Shown(surface, group, key, text=row[title], fraction=fraction))
        return found

    return shown


def _json(by: str | None) -> Surface:
    def shown(dataset: Path, preset: str) -> list[Shown]:
        output = json.loads(_cli(str(dataset), *_options(preset, by), "--format", "json"))
        if by is None:
            records = [({"source_kind": k}, v) for k, v in output["by_source_kind"].items()]
            records.append(({}, output))
        else:
            records = [({"month": r["month"]}, r) for r in output]
        found = []
        for keys, record in records:
            if by == "month" and keys["month"] not in MONTHS:
                continue
            group = tuple(keys.items())
            for key in [k for k in active().rates if k in record]:
                fraction = None
                if record[key] is not None:
                    fraction = (record[f"{key}_numerator"], record[f"{key}_denominator"])
                text = record[f"{key}_percent"] or "—"
                found.append(Shown(f"cli json --by {by}", group, key, text, fraction, record[key]))
        return found

    return shown


#: Every output compared. The report and the charts add theirs here.
SURFACES: dict[str, Surface] = {
    "cli table": _table(None),
    "cli table --by kind": _table("kind"),
    "cli table --by month": _table("month"),
    "cli csv": _csv(None, "zh"),
    "cli csv --by kind (en)": _csv("kind", "en"),
    "cli csv --by month": _csv("month", "zh"),
    "cli json": _json(None),
    "cli json --by month": _json("month"),
}


@functools.cache
def _metric(dataset: Path, preset: str, key: str, group: Group) -> Rate:
    """The Rate the metric function returns for the group."""
    return rate(key, dataset, preset, year=YEAR, **dict(group))


def _disagreements(shown: Shown, expected: Rate) -> list[str]:
    wrong = []
    text = "—" if expected.value is None else expected.percent(shown.digits)
    if shown.text is not None and shown.text != text:
        wrong.append(f"shows {shown.text}, the metric {text}")
    if shown.fraction is not None and shown.fraction != (expected.numerator, expected.denominator):
        wrong.append(f"fraction {shown.fraction}, the metric {expected}")
    if shown.value is not None and shown.value != expected.value:  # exact, not rounded
        wrong.append(f"value {shown.value!r}, the metric {expected.value!r}")
    return wrong


def disagreements(dataset: Path, preset: str, shown: list[Shown]) -> list[str]:
    """Where each rate shown differs from the Rate the metric returns for its group."""
    return [
        f"{one.surface} {dict(one.group)} {one.key}: {why}"
        for one in shown
        for why in _disagreements(one, _metric(dataset, preset, one.key, one.group))
    ]


@pytest.mark.slow
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_displayed_rate_is_the_metric_s_rate(
    preset: str, sample_county: tuple[Path, Path]
) -> None:
    dataset = sample_county[1]
    problems, compared = [], 0
    for name, surface in SURFACES.items():
        shown = surface(dataset, preset)
        assert shown, f"{name}: no rate found in the output"
        compared += len(shown)
        problems += disagreements(dataset, preset, shown)
    assert not problems, "\n".join(problems)
    assert compared >= 4 * len(SURFACES)


# ---------------------------------------------------------------------------------------------
# One formatting of a rate, whichever form it reaches the output in
# ---------------------------------------------------------------------------------------------


@given(st.integers(0, 10**7).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))))
def test_a_summary_value_and_its_rate_show_the_same_text(fraction: tuple[int, int]) -> None:
    numerator, denominator = fraction
    exact = Rate(numerator, denominator)
    assert rate_text(exact) == rate_text(exact.value) == (exact.percent() if denominator else "—")


# ---------------------------------------------------------------------------------------------
# CSV for Excel: BOM, language, formula safety; --out; help
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 330-request sample, ingested once for the module: its tests only read it (one checks
    that ``--out`` cannot overwrite it)."""
    from hotline import ingest
    from hotline.sample import write_sample

    folder = tmp_path_factory.mktemp("small-sample")
    write_sample(folder / "raw", orders=300, online=30)
    ingest([folder / "raw"], out=folder / "out", progress=False)
    return folder / "out"


def test_excel_csv_has_a_bom_and_inert_cells() -> None:
    import pandas as pd

    frame = pd.DataFrame({"承办单位": ["=HYPERLINK(1)", "-12"], "办结率": ["98.77%", "—"]})
    data = excel_csv(frame)
    assert data.startswith(UTF8_BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["承办单位", "办结率"], ["'=HYPERLINK(1)", "98.77%"], ["-12", "—"]]
    assert not excel_csv(frame, bom=False).startswith(UTF8_BOM.encode("utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_headers_follow_the_language(
    small_dataset: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["metrics", str(small_dataset), "--by", "town", "--format", "csv", "--lang", lang]
    assert main(argv) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    title = column_title("closure_rate", lang)
    assert header[:6] == [
        column_title("town", lang),
        column_title("accepted", lang),
        column_title("closed", lang),
        title,
        label("fraction.numerator", lang, name=title),
        label("fraction.denominator", lang, name=title),
    ]
    assert all(column_title(c, lang) in header for c in MAIN_COLUMNS)


def _bom_of(output: Path) -> bool:
    return output.read_bytes().startswith(UTF8_BOM.encode("utf-8"))


def test_out_writes_a_bom_csv_and_replaces_only_its_own_kind(
    small_dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "figures.csv"
    target.write_text("old", encoding="utf-8")
    assert main(["metrics", str(small_dataset), "--format", "csv", "--out", str(target)]) == 0
    assert _bom_of(target)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",")[:4] == [column_title(c) for c in ("source_kind", "accepted", "closed",
                                                               "closure_rate")]  # fmt: skip
    assert "已写入 csv" in capsys.readouterr().err  # the Chinese data's language
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".figures")] == []
    no_bom = tmp_path / "plain.csv"
    argv = ["metrics", str(small_dataset), "--format", "csv", "--no-bom", "-o", str(no_bom)]
    assert main(argv) == 0 and not _bom_of(no_bom)
    orders = order_files(small_dataset)[0]
    before = orders.read_bytes()
    assert main(["metrics", str(small_dataset), "--format", "csv", "--out", str(orders)]) == 2
    assert "not a csv output" in capsys.readouterr().err
    assert orders.read_bytes() == before


def test_a_bom_goes_into_a_redirected_file_not_into_a_pipe(
    small_dataset: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "hotline.cli", "metrics", str(small_dataset), "--format"]
    redirected = tmp_path / "redirected.csv"
    with redirected.open("wb") as file:
        subprocess.run([*command, "csv"], stdout=file, check=True)
    piped = subprocess.run([*command, "csv"], stdout=subprocess.PIPE, check=True).stdout
    assert _bom_of(redirected)
    assert not piped.startswith(UTF8_BOM.encode("utf-8"))
    assert piped.decode("utf-8") == redirected.read_bytes().decode("utf-8-sig")
    forced = subprocess.run([*command, "csv", "--bom"], stdout=subprocess.PIPE, check=True)
    assert forced.stdout.startswith(UTF8_BOM.encode("utf-8"))


def _help_texts() -> list[str]:
    import argparse

    from hotline.cli import _parser

    texts = []
    parsers = [_parser()]
    while parsers:
        parser = parsers.pop()
        texts.append(parser.format_help())
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    return texts


def test_help_is_english_with_the_catalogue_s_chinese_terms() -> None:
    import re

    words = {zh for zh, _ in LABELS.values()} | {SOURCE_KIND.label(c) for c in SOURCE_KIND.codes}
    words |= {column_title(c) for c in ("town", "department", "request_type", "topic", "channel")}
    terms = set()
    for text in _help_texts():
        # strip the bracketed terms: what is left is English
        for inside in re.findall(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)", text):
            terms.update(
                t.strip() for t in re.split(r"[;,]", inside) if re.search(r"[\u4e00-\u9fff]", t)
            )
        outside = re.sub(r"\([^()]*\)", "", text)
        assert not re.search(r"[\u4e00-\u9fff]", outside.replace("“三率”", "")), outside
    rates = {"办结率", "按时办结率", "满意率", "受理量", "办结量", "承办单位", "乡镇/街道"}
    assert rates <= terms
    assert {t for t in terms if t in words} >= rates


@pytest.mark.parametrize(("dimension", "lang"), [("department", "zh"), ("town", "en")])
def test_the_unnamed_group_is_split_by_why_as_the_workbook_splits_it(
    small_dataset: Path, dimension: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotline.metrics import summary
    from hotline.metrics.display import unnamed_breakdown, unnamed_cell

    argv = ["metrics", str(small_dataset), "--by", dimension, "--lang", lang]
    assert main(argv) == 0
    out = capsys.readouterr().out
    split = summary(small_dataset, by=[dimension, "source_kind"])
    accepted = int(split.loc[split[dimension].isna(), "accepted"].sum())
    parts = unnamed_breakdown(split, dimension, accepted, lang)  # type: ignore[arg-type]
    assert accepted and sum(n for _, n in parts) == accepted  # every unnamed order has a why
    line = next(x for x in out.splitlines() if x.startswith(unnamed_cell(dimension, lang)) and (
        "：" in x or ": of its" in x))  # fmt: skip
    for reason, n in parts:
        assert (f"{reason.lower()}: {n:,}" if lang == "en" else f"{reason}{n}件") in line
