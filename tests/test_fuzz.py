"""Fuzzing the ingest with exports built from a grammar of real shapes, then mutated.

Each generated CSV or xlsx file has the shape of a real platform export (title lines, a header
in one of its spellings, orders with callers' names and phones planted in them, a total row)
and is then damaged the way files get damaged: a stray quote, another encoding, a cut, a
repeated header, an extra separator, a cell far away. CSV lines end in CR LF, LF, a lone CR
(old Mac exports) or a mix of the three, inside quoted values too. For every input the command
must exit 0 or 2, never crash; at 0 the account balances over records, every line below the
header is counted once (a record, a blank row or a line inside a value), and no planted phone
or name is in any output; at 2 nothing is written.

The budget is the number of inputs per test: ``HOTLINE_FUZZ_EXAMPLES`` (``make fuzz`` runs a
long budget; ``make test`` a short one). Inputs run in one long-lived child process
(:mod:`hostile.worker`), so a native crash is reported as the input that caused it.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import _CRASH_SIGNS
from hostile.worker import Worker

EXAMPLES = int(os.environ.get("HOTLINE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("HOTLINE_FUZZ_SEED") is None,
)

NAMES = ["王建国", "李秀英", "欧阳娜娜", "张伟", "上官婉儿"]
PHONES = ["13900000009", "13712345678", "18698765432", "15011112222", "13366668888"]
HEADERS = {
    "order_id": ["工单编号", "工单号"],
    "received_at": ["受理时间", "来电时间"],
    "caller_name": ["来电人", "联系人"],
    "caller_phone": ["来电号码", "联系电话"],
    "content": ["诉求内容", "来电内容"],
    "department": ["承办单位", "办理单位"],
    "town": ["乡镇", "所属乡镇"],
    "status": ["办理状态", "工单状态"],
}
DATES = [
    lambda i: f"2021/3/{1 + i % 28} 9:{i % 60:02d}:00",
    lambda i: f"2021-03-{1 + i % 28:02d} 10:{i % 60:02d}",
    lambda i: f"2021年3月{1 + i % 28}日 11时{i % 60:02d}分",
]
TEXT = st.text(
    alphabet=st.sampled_from([*"反映小区供暖漏水噪音道路，。！ ab1", '"', ",", "\n", "'"]),
    max_size=15,
)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    scratch = tmp_path_factory.mktemp("worker")
    running = Worker({"PYTHONHASHSEED": "0"}, scratch)
    yield running
    running.close()


@st.composite
def exports(draw: st.DrawFn) -> dict:
    """The table of one export: title lines, header, orders with planted PII, a total row."""
    optional = st.lists(st.sampled_from(list(HEADERS)[2:]), unique=True, max_size=6)
    fields = ["order_id", "received_at", *draw(optional)]
    fields = draw(st.permutations(fields))
    header = [draw(st.sampled_from(HEADERS[f])) for f in fields]
    n = draw(st.integers(1, 30))
    date = draw(st.sampled_from(DATES))
    rows = []
    for i in range(n):
        who, phone = NAMES[i % len(NAMES)], PHONES[i % len(PHONES)]
        value = {
            "order_id": f"GD2021{i:05d}",
            "received_at": date(i),
            "caller_name": who,
            "caller_phone": phone,
            # A name in free text is known to be one only as the row's caller.
            "content": f"{who if 'caller_name' in fields else ''}反映{draw(TEXT)}，电话{phone}",
            "department": draw(st.sampled_from(["县住建局", "县水利局", "城关镇人民政府"])),
            "town": draw(st.sampled_from(["城关镇", "东河乡", "王家庄村"])),
            "status": draw(st.sampled_from(["已办结", "办理中", "已派单"])),
        }
        rows.append([value[f] for f in fields])
    return {
        "title": draw(st.lists(st.sampled_from(["XX县12345热线工单明细", "导出时间：2021-04-02"]))),
        "header": header,
        "rows": rows,
        "footer": draw(st.booleans()),
    }


def _csv_lines(table: dict, delimiter: str) -> list[str]:
    """The lines of the CSV, without their line ends (a value's line breaks are LF)."""

    def line(cells: list[str]) -> str:
        return delimiter.join(
            f'"{c.replace(chr(34), chr(34) * 2)}"' if any(x in c for x in f'"\n{delimiter}') else c
            for c in cells
        )

    lines = [*table["title"], line(table["header"])]
    lines += [line(row) for row in table["rows"]]
    if table["footer"]:
        lines.append(line(["合计", f"{len(table['rows'])}件"]))
    return lines


LINE_ENDS = ["\r\n", "\n", "\r", "mixed"]


def _with_line_ends(draw: st.DrawFn, lines: list[str], end: str) -> str:
    """Join lines with ``end`` (also inside values), or with CR LF, LF and CR mixed at random."""
    if end != "mixed":
        return "".join(line.replace("\n", end) + end for line in lines)
    text, previous = [], ""
    for line in lines:
        chosen = draw(st.sampled_from(["\r\n", "\n", "\r"]))
        if previous == "\r" and (chosen == "\n" and not line):
            chosen = "\r\n"  # a lone LF after a lone CR would make one CR LF: no line at all
        text.append(line + chosen)
        previous = chosen
    return "".join(text)


MUTATIONS = ["stray_quote", "truncate", "repeat_header", "extra_separator", "garbage", "blank"]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, dict, list[str]]:
    """Bytes of a CSV export, the table it was made from, and the damage done to it."""
    table = draw(exports())
    delimiter = draw(st.sampled_from([",", "\t"]))
    lines = _csv_lines(table, delimiter)
    mutations = draw(st.lists(st.sampled_from(MUTATIONS), max_size=2))
    first = len(table["title"]) + 1
    for mutation in mutations:
        at = draw(st.integers(first, max(first, len(lines) - 1)))
        if mutation == "stray_quote" and lines[at]:  # a quote alone on a line is a record
            cells = lines[at].split(delimiter)
            k = draw(st.integers(0, len(cells) - 1))
            cells[k] = '"' + cells[k]
            lines[at] = delimiter.join(cells)
        elif mutation == "repeat_header":
            lines.insert(at, lines[first - 1])
        elif mutation == "extra_separator":
            lines[at] = lines[at].replace(delimiter, delimiter * 2, 1)
        elif mutation == "blank":
            lines.insert(at, "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
    text = _with_line_ends(draw, lines, draw(st.sampled_from(LINE_ENDS)))
    data = text.encode(encoding, errors="replace")
    if "garbage" in mutations:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if "truncate" in mutations:
        data = data[: draw(st.integers(0, len(data)))]
    return data, table, mutations


def _planted(table: dict) -> set[str]:
    """The personal data the export holds, in the forms it holds them."""
    return {cell for row in table["rows"] for cell in row if cell in NAMES or cell in PHONES}


def _outputs_text(out: Path) -> Iterator[tuple[str, str]]:
    """(file, text) of every output: Parquet decoded, xlsx unzipped, text as is."""
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            yield path.name, json.dumps(table.to_pylist(), ensure_ascii=False, default=str)
            yield path.name + " (metadata)", str(table.schema.metadata)
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.name}:{member}", archive.read(member).decode("utf-8", "replace")
        else:
            yield path.name, path.read_bytes().decode("utf-8", "replace")


def _check(worker: Worker, tmp: Path, name: str, data: bytes, table: dict, note: str) -> dict:
    work = tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    for leftover in work.iterdir():
        if leftover.is_file():
            leftover.unlink()
    (work / name).write_bytes(data)
    out = work / "out"
    if out.exists():
        for path in sorted(out.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        out.rmdir()
    env = {"HOTLINE_HOME": str(tmp / "project"), "HOTLINE_PII_KEY": "fuzz-key-0123456789abcdef"}
    status, said_out, said_err = worker.run(["ingest", name, "--out", "out"], work, env)
    said = said_out + said_err
    for sign in _CRASH_SIGNS:
        assert sign not in said, f"{note}: {sign!r}:\n{said[-2000:]}"
    assert status in (0, 2), f"{note}: exit {status}\n{said[-2000:]}"
    if status == 2:
        lines = said_err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("hotline: error: "), f"{note}: {said_err}"
        assert not out.exists(), f"{note}: exit 2 but {sorted(out.rglob('*'))} written"
        return {}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["balanced"], f"{note}: {manifest['totals']}"
    for where, text in _outputs_text(out):
        for secret in _planted(table):
            assert secret not in text, f"{note}: {secret} in {where}"
    return manifest


@given(csv_files())
@FUZZ
def test_generated_csv_exports(worker: Worker, tmp_path_factory, case) -> None:
    data, table, mutations = case
    tmp = tmp_path_factory.mktemp("csv")
    manifest = _check(worker, tmp, "export.csv", data, table, f"csv {mutations}")
    multiline = any("\n" in cell for row in table["rows"] for cell in row)
    if (
        manifest
        and set(mutations) <= {"stray_quote", "blank", "repeat_header"}
        and not ("stray_quote" in mutations and multiline)
    ):
        # Nothing cut or garbled: every generated record is read as one record. (A stray quote
        # in a record that also holds an honest multi-line value cannot be told from one that
        # swallows lines; its lines are then accounted line by line.)
        (file,) = manifest["inputs"]
        expected = len(table["rows"]) + table["footer"] + mutations.count("repeat_header")
        assert file["rows_in"] == expected, (mutations, file)
        # Every physical line below the header is counted once: as a record, a blank row, or a
        # line inside a multi-line value (whether a stray quote was repaired or not).
        assert file["blank_rows"] == mutations.count("blank"), (mutations, file)
        inner = sum(cell.count("\n") for row in table["rows"] for cell in row)
        assert file["lines"] == file["rows_in"] + file["blank_rows"] + inner, (mutations, file)


def _xlsx(rows: list[list[str]], *, far: str | None, refless: bool, sheet: str) -> bytes:
    from hostile.workbooks import xlsx_bytes

    return xlsx_bytes(rows, far=far, refless=refless, sheet=sheet)


@st.composite
def xlsx_files(draw: st.DrawFn) -> tuple[bytes, dict, list[str]]:
    """Bytes of an xlsx export and the damage done to it."""
    table = draw(exports())
    rows = [[t] for t in table["title"]] + [table["header"], *table["rows"]]
    if table["footer"]:
        rows.append(["合计", f"{len(table['rows'])}件"])
    mutations = draw(st.lists(st.sampled_from(["far_cell", "refless", "truncate"]), max_size=2))
    far = None
    if "far_cell" in mutations:
        column = draw(st.sampled_from(["Z", "AAA", "XFD"]))
        far = f"{column}{draw(st.integers(1, 1_048_576))}"
    data = _xlsx(rows, far=far, refless="refless" in mutations, sheet="工单")
    if "truncate" in mutations:
        data = data[: draw(st.integers(0, len(data)))]
    return data, table, mutations


@given(xlsx_files())
@FUZZ
def test_generated_xlsx_exports(worker: Worker, tmp_path_factory, case) -> None:
    data, table, mutations = case
    tmp = tmp_path_factory.mktemp("xlsx")
    _check(worker, tmp, "export.xlsx", data, table, f"xlsx {mutations}")


def test_worker_reports_the_input_that_kills_it(tmp_path: Path) -> None:
    # The harness itself: a child killed by a signal comes back as a negative status.
    scratch = tmp_path / "io"
    scratch.mkdir()
    worker = Worker({}, scratch, timeout=60)
    try:
        status, _, _ = worker.run(["--version"], tmp_path, {})
        assert status == 0
        assert worker.process is not None
        worker.process.kill()
        worker.process.wait()
        status, _, _ = worker.run(["--version"], tmp_path, {})
        assert status == 0, "a dead worker is replaced"
    finally:
        worker.close()
