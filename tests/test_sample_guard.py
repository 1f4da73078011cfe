"""The demo's fictional county never mixes silently with a user's exports.

The sample's files are recognised by the marker of their folder, by a mark each file carries
(so one file copied alone is still caught) and, for an older demo's files, by where they lie.
An ingest of sample and other files together stops (exit 2, nothing written) unless
``--allow-sample``; the notebooks' default dataset is the user's, the sample's only as a
fallback, said so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports import HOTLINE_HEADER, hotline_rows, write_csv
from hotline import ingest, load, paths
from hotline.cli import main
from hotline.errors import DatasetError, HotlineError
from hotline.ingestion.sample_guard import (
    LEGACY_FOLDER,
    MARK,
    MARKER_FILE,
    check_inputs,
    dataset_sample_kind,
    sample_file,
)
from hotline.notebooks import SAMPLE_NOTE, choose_dataset
from hotline.sample import write_sample
from hotline.sample.exports import ONLINE_NAME, vendor_a_name

SAMPLE_ORDERS, SAMPLE_ONLINE = 60, 10
#: One file of each kind the sample writes: vendor A workbook, vendor B GBK CSV, online board.
ONE_OF_EACH = [vendor_a_name(3), "gongdan_export_20210803.csv", ONLINE_NAME]


@pytest.fixture(scope="module")
def sample_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample's raw folder (read-only for the tests)."""
    raw = tmp_path_factory.mktemp("sample") / "raw"
    write_sample(raw, orders=SAMPLE_ORDERS, online=SAMPLE_ONLINE)
    return raw


def _user_folder(root: Path, n: int = 3) -> Path:
    """A user's raw folder with one plain export of ``n`` orders (ids A1..An)."""
    folder = root / "raw"
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "本单位导出.csv", [HOTLINE_HEADER, *hotline_rows(n)])
    return folder


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- what a sample file is ---------------------------------------------------------------------


def test_the_sample_folder_carries_the_marker(sample_raw: Path) -> None:
    marker = sample_raw / MARKER_FILE
    assert marker.is_file() and MARK in marker.read_text(encoding="utf-8")
    assert "虚构" in marker.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_every_sample_file_carries_its_own_mark(
    sample_raw: Path, tmp_path: Path, name: str
) -> None:
    copy = tmp_path / "elsewhere" / f"renamed{Path(name).suffix}"  # no marker, no known name
    copy.parent.mkdir()
    shutil.copyfile(sample_raw / name, copy)
    assert sample_file(copy) == "mark"


def test_every_file_the_sample_writes_is_marked(sample_raw: Path) -> None:
    files = [p for p in sample_raw.iterdir() if not p.name.startswith(".")]
    assert len(files) == 13
    assert [p.name for p in files if sample_file(p) != "mark"] == []


@pytest.mark.parametrize(
    ("folder", "name", "expected"),
    [
        (LEGACY_FOLDER, "gongdan_export_20210803.csv", "old demo"),  # where the old demo wrote
        (LEGACY_FOLDER, vendor_a_name(1), "old demo"),
        (LEGACY_FOLDER, ONLINE_NAME, "old demo"),
        (LEGACY_FOLDER, "本单位导出.csv", None),  # a user's file in such a folder: not the sample's
        ("2021", "gongdan_export_20210803.csv", None),  # the name alone proves nothing
        ("2021", vendor_a_name(1), None),
    ],
)
def test_an_older_demos_files_are_known_by_place_and_name(
    tmp_path: Path, folder: str, name: str, expected: str | None
) -> None:
    path = tmp_path / folder / name
    path.parent.mkdir()
    write_csv(path, [HOTLINE_HEADER, *hotline_rows(2)], encoding="gbk")
    assert sample_file(path) == expected


_TEXT = st.text(max_size=200)
_SOMETIMES_MARKED = st.one_of(_TEXT, st.tuples(_TEXT, _TEXT).map(lambda t: t[0] + MARK + t[1]))
_QUICK = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_QUICK
@given(text=_SOMETIMES_MARKED)
def test_a_utf8_file_is_marked_exactly_when_it_holds_the_mark(tmp_path: Path, text: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("utf-8"))
    assert (sample_file(path) == "mark") == (MARK in text)


@_QUICK
@given(before=_TEXT, after=_TEXT, encoding=st.sampled_from(["utf-8", "gbk", "gb18030", "utf-16"]))
def test_the_mark_is_found_in_any_encoding(
    tmp_path: Path, before: str, after: str, encoding: str
) -> None:
    before = before.encode(encoding, "ignore").decode(encoding, "ignore")  # what GBK can hold
    after = after.encode(encoding, "ignore").decode(encoding, "ignore")
    path = tmp_path / "export.csv"
    path.write_bytes(f"{before}{MARK}{after}".encode(encoding))
    assert sample_file(path) == "mark"


def test_unreadable_inputs_are_left_to_the_reader(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert sample_file(broken) is None
    assert sample_file(tmp_path / "missing.csv") is None
    assert sample_file(tmp_path) is None


def test_a_zip_of_many_members_is_not_opened(tmp_path: Path) -> None:
    """A sample workbook has a dozen members; the guard never parses a hostile directory."""
    import zipfile

    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        for index in range(1000):
            book.writestr(f"xl/media/{index}.bin", b"")
        book.writestr("docProps/custom.xml", MARK)
    assert sample_file(path) is None


# --- the ingest refuses a mix ------------------------------------------------------------------


@pytest.mark.parametrize("name", ONE_OF_EACH)
def test_one_sample_file_copied_among_a_users_is_refused(
    sample_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    raw = _user_folder(tmp_path)
    shutil.copyfile(sample_raw / name, raw / name)
    out = tmp_path / "processed"
    assert main(["ingest", str(raw), "--out", str(out), "--quiet"]) == 2
    line = _error_line(capsys)
    assert name in line and "--allow-sample" in line and "示例数据" in line
    assert "本单位导出" not in line  # the user's files are counted, not named
    assert not out.exists()


def test_a_sample_folder_inside_the_users_is_refused_by_its_marker(
    sample_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _user_folder(tmp_path)
    shutil.copytree(sample_raw, raw / "demo")
    out = tmp_path / "processed"
    assert main(["ingest", str(raw), "--out", str(out), "--quiet"]) == 2
    line = _error_line(capsys)
    assert "13 files in " in line and "demo/" in line and "1 other input file" in line
    assert not out.exists()


def test_an_older_demos_folder_is_refused_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    raw = _user_folder(tmp_path)
    legacy = raw / LEGACY_FOLDER  # what the old `make demo` left: no marker, no marks
    legacy.mkdir()
    for name in ("gongdan_export_20210803.csv", "gongdan_export_20210903.csv"):
        write_csv(legacy / name, [HOTLINE_HEADER, *hotline_rows(2, start=100)], encoding="gbk")
    assert main(["ingest", "raw", "--out", "processed", "--quiet"]) == 2
    line = _error_line(capsys)
    assert "delete or move raw/sample-2021/" in line and "--allow-sample" in line
    assert not (tmp_path / "processed").exists()


def test_allow_sample_mixes_and_says_so(
    sample_raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _user_folder(tmp_path, n=3)
    shutil.copyfile(sample_raw / ONLINE_NAME, raw / ONLINE_NAME)
    out = tmp_path / "processed"
    assert main(["ingest", str(raw), "--out", str(out), "--quiet", "--allow-sample"]) == 0
    printed = capsys.readouterr().out
    assert "混入了 hotline demo 的示例数据" in printed
    assert ONLINE_NAME.replace("_", "\\_") in printed  # named, as inert Markdown
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sample"]["mixed"] is True
    assert manifest["sample"]["files"] == [ONLINE_NAME]
    assert "混入了" in (out / "ingest_report.md").read_text(encoding="utf-8")
    df = load(out)
    kinds = {k: n for k, n in df["source_kind"].value_counts().items() if n}
    assert kinds == {"hotline": 3, "online": SAMPLE_ONLINE}  # both went in
    assert dataset_sample_kind(manifest) == "mixed"


def test_the_sample_alone_is_ingested_as_the_sample(sample_raw: Path, tmp_path: Path) -> None:
    result = ingest([sample_raw], out=tmp_path / "out", progress=False)
    assert result.manifest["sample"]["mixed"] is False
    assert len(result.manifest["sample"]["files"]) == 13
    assert "本数据集是 hotline demo 生成的示例数据（虚构县）" in result.account()
    report = (tmp_path / "out" / "ingest_report.md").read_text(encoding="utf-8")
    assert report.startswith("# ") and "示例数据（虚构县）" in report.splitlines()[2]


def test_a_users_data_alone_says_nothing_of_the_sample(tmp_path: Path) -> None:
    result = ingest([_user_folder(tmp_path)], write=False, progress=False)
    assert "sample" not in result.manifest and "示例数据" not in result.account()
    assert dataset_sample_kind(result.manifest) is None


def test_the_library_refuses_a_mix_too(sample_raw: Path, tmp_path: Path) -> None:
    raw = _user_folder(tmp_path)
    with pytest.raises(HotlineError, match="--allow-sample"):
        ingest([raw, sample_raw], out=tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()
    files = [(p, p.name) for p in (raw / "本单位导出.csv", sample_raw / ONLINE_NAME)]
    found = check_inputs(files, allow=True)
    assert (found.others, [name for _, name in found.sample]) == (1, [ONLINE_NAME])


# --- the notebooks' default dataset ------------------------------------------------------------


def _sample_dataset() -> Path:
    """The small sample ingested where `make demo` puts it."""
    write_sample(paths.sample_raw_dir(), orders=SAMPLE_ORDERS, online=SAMPLE_ONLINE)
    ingest([paths.sample_raw_dir()], out=paths.sample_processed_dir(), progress=False)
    return paths.sample_processed_dir()


def test_notebooks_fall_back_to_the_sample_and_say_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(DatasetError, match="hotline ingest data/raw/"):
        choose_dataset()
    sample = _sample_dataset()
    capsys.readouterr()
    assert choose_dataset() == sample
    assert SAMPLE_NOTE in capsys.readouterr().out


def test_notebooks_prefer_the_users_dataset(
    isolated_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _sample_dataset()
    ingest([_user_folder(isolated_project / "data")], progress=False)
    capsys.readouterr()
    assert choose_dataset() == paths.processed_dir()
    assert capsys.readouterr().out == ""
    given = choose_dataset(paths.sample_processed_dir())  # asked for: used, and named the sample
    assert given == paths.sample_processed_dir()
    assert "是示例数据（虚构县）" in capsys.readouterr().out
