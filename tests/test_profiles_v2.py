"""Profiles v2: one dialect, one validator, extends chains, one way to choose, drafting tools."""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
import warnings
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.cli import main
from hotline.errors import HotlineError, InputError, MappingError
from hotline.ingestion import read_export
from hotline.ingestion.pipeline import resolve_profiles
from hotline.profiles import (
    ProfileDeprecation,
    builtin,
    builtin_names,
    find_profile,
    load_profile,
    profile_from_text,
    toml_text,
)
from hotline.profiles.convert import convert_text
from hotline.profiles.draft import ExportSample, check_export, draft_profile, guess_columns
from hotline.profiles.show import profile_text
from hotline.profiles.spec import MAPPABLE_FIELDS, key_lines, reference_markdown

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "data" / "real"

# --- validation: every mistake, its line, the closest valid key ---------------------------------

# (text with the mistake on the line holding MARK's token, token, expected complaint)
MISTAKES = [
    ('extends = "nyc311"\n[columns]\nrecieved_at = ["open_dt"]\n', "recieved_at",
     "[columns] unknown field 'recieved_at'; did you mean 'received_at'?"),
    ('extends = "nyc311"\ndate_ordr = "dmy"\n', "date_ordr",
     "unknown key 'date_ordr'; did you mean 'date_order'?"),
    ('extends = "nyc311"\n[vocabulary.status]\nclosd = ["Closed"]\n', "closd",
     "[vocabulary.status] 'closd' is not a code; did you mean 'closed'?"),
    ('extends = "nyc311"\n[vocabulary.stauts]\nclosed = ["Closed"]\n', "stauts",
     "'stauts' is not a field with a vocabulary; did you mean 'status'?"),
    ('extends = "nyc311"\nlanguage = "eng"\n', "eng", "did you mean 'en'?"),
    ('extends = "nyc311"\ndefault_channel = "phon"\n', "phon", "did you mean 'phone'?"),
    ('extends = "nyc311"\ntimezone = "America/Bostn"\n', "Bostn", "not an IANA time zone"),
    ('extends = "nyc311"\ncalendar = "us"\n', "calendar", "is not a calendar"),
    ('extends = "nyc311"\nrequired = ["order"]\n', "order", "did you mean 'order_id'?"),
    ('extends = "nyc311"\n[closure]\nbye = "status"\n', "bye", "[closure] unknown key 'bye'"),
    ('extends = "nyc311"\n[closure]\nvoid_reasons = { dupe = ["x"] }\n', "dupe",
     "'dupe' is not a void code"),
    ('extends = "nyc31"\n', "nyc31", "extends = 'nyc31' is not a built-in profile"),
    ('name = "x"\nkind = "311"\n', None, 'description = "…" is required'),
    ('extends = "nyc311"\n[vocabulary.status]\nclosed = ["Done"]\nin_progress = ["DONE "]\n',
     "in_progress",
     "'DONE ' is listed under both 'closed' and 'in_progress'; keep one"),
    ('extends = "nyc311"\n[vocabulary.status]\nclosed = ["Done", ""]\n', "closed",
     "an empty spelling matches nothing"),
    ('extends = "nyc311"\n[closure]\nvoid_reasons = { duplicate = ["Dup"], invalid = ["ＤＵＰ"]}\n',
     "void_reasons", "'ＤＵＰ' is listed under both 'duplicate' and 'invalid'"),
    ('extends = "nyc311"\n[vocabulary.channel]\nfone = ["Call"]\n', "fone",
     "[vocabulary.channel] 'fone' is not a code; did you mean 'phone'?"),
    ('extends = "nyc311"\n[closure]\nvoid_reasons = { invalid = [""] }\n', "void_reasons",
     "an empty spelling matches nothing"),
    ('extends = "nyc311"\nname = ""\n', "name", "name is empty"),
]  # fmt: skip

#: (file content, the one-line complaint): files no profile reader should choke on.
HOSTILE_FILES = [
    (("x = " + "[" * 5000 + "]" * 5000 + "\n").encode(), "TOML nested too deeply to read"),
    ('name = "县"\n'.encode("gbk"), "profile file is not UTF-8 text"),
    (b"# padding\n" * 120_000, "profile file over 1 MiB"),
    (b"\xef\xbb\xbf[columns\n", "not valid TOML"),
]


@pytest.mark.parametrize(("content", "complaint"), HOSTILE_FILES)
def test_a_hostile_profile_file_is_one_line_naming_it(
    tmp_path: Path, content: bytes, complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.toml"
    path.write_bytes(content)
    with pytest.raises(MappingError) as caught:
        load_profile(path)
    (message,) = str(caught.value).splitlines()
    assert message.startswith(f"{path}: ") and complaint in message
    assert main(["profile", "show", str(path)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("hotline: error: ") and complaint in line


def _line_of(text: str, token: str | None) -> int | None:
    if token is None:
        return None
    return next(i for i, line in enumerate(text.splitlines(), 1) if token in line)


@pytest.mark.parametrize(("text", "token", "complaint"), MISTAKES)
def test_each_mistake_is_reported_at_its_line(
    tmp_path: Path, text: str, token: str | None, complaint: str
) -> None:
    path = tmp_path / "boston.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_profile(path)
    (message,) = str(caught.value).splitlines()
    line = _line_of(text, token)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert message.startswith(where), message
    assert complaint in message


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        'extends = "nyc311"\n'
        'date_ordr = "dmy"\n'
        "[columns]\n"
        'recieved_at = ["open_dt"]\n'
        'status = ["case_status"]\n'
        "[vocabulary.channel]\n"
        'fone = ["Constituent Call"]\n'
    )
    path = tmp_path / "boston.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_profile(path)
    lines = str(caught.value).splitlines()
    assert [int(line.split(":")[1]) for line in lines] == [2, 4, 7]
    assert "did you mean 'date_order'" in lines[0] and "'received_at'" in lines[1]
    assert "'fone' is not a code" in lines[2]


def test_cli_prints_every_mistake_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('extends = "nyc311"\nlanguage = "fr"\ncolour = "red"\n', encoding="utf-8")
    assert main(["profile", "show", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[0].startswith("hotline: error: ") and ":2: " in err[0]
    assert ":3: unknown key 'colour'" in err[1]


# --- extends: any profile, chains, paths, cycles ---------------------------------------------


@pytest.fixture
def profiles_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    monkeypatch.setenv("HOTLINE_PROFILES_DIR", str(folder))
    return folder


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_profile_extends_a_user_profile_that_extends_a_built_in(profiles_dir: Path) -> None:
    _write(
        profiles_dir / "city.toml",
        'name = "city"\nextends = "nyc311"\ntimezone = "America/Chicago"\n'
        '[columns]\norder_id = ["Ticket"]\n[vocabulary.status]\nclosed = ["Done"]\n',
    )
    _write(
        profiles_dir / "ward.toml",
        'name = "ward"\nextends = "city"\n[columns]\norder_id = ["Ward Ticket"]\n'
        '[vocabulary.status]\nin_progress = ["Working"]\n',
    )
    ward = find_profile("ward")
    assert ward.kind == "311" and ward.timezone == "America/Chicago"  # from nyc311, then city
    assert ward.columns["order_id"][:3] == ("Ward Ticket", "Ticket", "Unique Key")
    assert ward.lookup("status", ["Working", "Done", "Assigned"]) == [
        "in_progress",
        "closed",
        "dispatched",
    ]
    assert {p.name for p in resolve_profiles()} >= {"city", "ward", *builtin_names()}


@pytest.mark.parametrize("builtin_name", ["nyc311", "hotline"])
def test_a_file_named_like_a_built_in_must_name_itself(tmp_path: Path, builtin_name: str) -> None:
    path = _write(
        tmp_path / f"{builtin_name}.toml", f'extends = "{builtin_name}"\ndate_order = "dmy"\n'
    )
    with pytest.raises(MappingError, match="named like the built-in profile"):
        load_profile(path)
    named = _write(tmp_path / "x" / f"{builtin_name}.toml", 'name = "mine"\nextends = "nyc311"\n')
    assert load_profile(named).name == "mine"


def test_extends_takes_a_path_relative_to_the_file(tmp_path: Path) -> None:
    _write(tmp_path / "base" / "city.toml", 'extends = "la311"\n[columns]\ntown = ["Ward"]\n')
    child = _write(tmp_path / "child.toml", 'extends = "base/city.toml"\ncalendar = "none"\n')
    profile = load_profile(child)
    assert profile.columns["town"][0] == "Ward" and profile.timezone == "America/Los_Angeles"
    assert profile.calendar == "none" and profile.name == "child"


def test_a_header_the_extending_file_maps_leaves_the_parents_field(tmp_path: Path) -> None:
    parent = builtin("open311")
    header = parent.columns["reply"][0]
    child = _write(
        tmp_path / "c.toml", f'extends = "open311"\n[columns]\nclosure_reason = ["{header}"]\n'
    )
    profile = load_profile(child)
    assert profile.columns["closure_reason"] == (header,)
    assert header not in profile.columns.get("reply", ())
    dropped = load_profile(
        _write(tmp_path / "d.toml", 'extends = "open311"\n[columns]\nreply = []\n')
    )
    assert "reply" not in dropped.columns and "reply" in parent.columns
    assert dropped.columns["received_at"] == parent.columns["received_at"]


@pytest.mark.parametrize(
    "files",
    [
        {"a": 'extends = "b"\n', "b": 'extends = "a"\n'},
        {"a": 'extends = "b"\n', "b": 'extends = "c"\n', "c": 'extends = "a"\n'},
        {"a": 'name = "a"\nextends = "a"\n'},
    ],
)
def test_an_extends_cycle_is_a_clear_error(profiles_dir: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        _write(profiles_dir / f"{name}.toml", text)
    with pytest.raises(MappingError, match=r"extends goes round in a cycle \(a.toml -> .*a.toml\)"):
        find_profile("a")


def test_a_mistake_in_an_extended_file_names_that_file(profiles_dir: Path) -> None:
    _write(profiles_dir / "base.toml", 'extends = "nyc311"\nlanguage = "fr"\n')
    child = _write(profiles_dir.parent / "child.toml", 'extends = "base"\n')
    with pytest.raises(MappingError, match=r"base.toml:2: language = 'fr'"):
        load_profile(child)


@pytest.mark.parametrize("name", builtin_names())
def test_show_gives_the_resolved_profile_that_reads_back_the_same(name: str) -> None:
    text = profile_text(builtin(name)).replace(f'name = "{name}"', 'name = "copy"', 1)
    copy = profile_from_text(text, "copy.toml")
    original = builtin(name)
    for attribute in ("kind", "columns", "vocabulary", "date_order", "timezone", "calendar"):
        assert getattr(copy, attribute) == getattr(original, attribute), attribute
    assert copy.missing_values == original.missing_values
    assert copy.closure == original.closure and copy.close_time == original.close_time


# --- mappings: converted, read alike, deprecated ------------------------------------------------

MAPPING = ROOT / "docs" / "examples" / "mapping.toml"
VENDOR = [
    ["流水号", "来电日期时间", "处理部门", "所在乡镇", "当前环节", "回访评价", "主叫号码"],
    ["V1", "2021-03-05 09:30", "县住建局", "城关镇", "已处理完成", "好评", "13812345678"],
    ["V2", "2021-03-06 10:00", "县水务局", "新城镇", "部门处理", "差评", "13912345678"],
    ["V3", "2021-03-07 11:15", "县住建局", "城关镇", "不予受理", "中评", ""],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture
def pii(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-0123456789abcdef")


def test_a_converted_mapping_reads_an_export_exactly_as_the_mapping(
    tmp_path: Path, pii: None
) -> None:
    export = _csv(tmp_path / "vendor.csv", VENDOR)
    converted = _write(
        tmp_path / "vendor.toml", convert_text(MAPPING.read_text("utf-8"), str(MAPPING))
    )
    with pytest.warns(ProfileDeprecation, match="mapping files are deprecated"):
        old = read_export(export, mapping=MAPPING)
    new = read_export(export, profile=converted)
    assert old.equals(new)
    # what the mapping says, computed from its own text
    values = tomllib.loads(MAPPING.read_text("utf-8"))["values"]
    expected = [values["status"][row[4]] for row in VENDOR[1:]]
    assert new["status"].tolist() == expected
    assert new["satisfaction"].tolist() == [values["satisfaction"][row[5]] for row in VENDOR[1:]]
    assert new.attrs["ingest"]["profile"] == old.attrs["ingest"]["profile"] == "mapping"


def test_a_mapping_given_reads_its_files_even_when_a_user_profile_matches_better(
    tmp_path: Path, pii: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    fields = ["order_id", "received_at", "department", "town", "status", "satisfaction"]
    rows = [[*row[:6], "备注"] if i == 0 else [*row[:6], "无"] for i, row in enumerate(VENDOR)]
    # a user profile that knows every header, one more than the mapping does (备注)
    columns = "".join(f'{f} = ["{h}"]\n' for f, h in zip(fields, rows[0], strict=False))
    text = f'name = "vendor_user"\nextends = "hotline"\n[columns]\n{columns}content = ["备注"]\n'
    _write(folder / "vendor_user.toml", text)
    monkeypatch.setenv("HOTLINE_PROFILES_DIR", str(folder))
    export = _csv(tmp_path / "vendor.csv", rows)
    assert read_export(export).attrs["ingest"]["profile"] == "vendor_user"  # detected alone
    with pytest.warns(ProfileDeprecation):
        df = read_export(export, mapping=MAPPING)
    assert df.attrs["ingest"]["profile"] == "mapping"
    values = tomllib.loads(MAPPING.read_text("utf-8"))["values"]
    assert df["status"].tolist() == [values["status"][row[4]] for row in VENDOR[1:]]


def test_profile_convert_writes_a_valid_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "vendor.toml"
    assert main(["profile", "convert", str(MAPPING), "-o", str(out)]) == 0
    data = tomllib.loads(out.read_text("utf-8"))
    assert data["extends"] == "hotline" and "values" not in data and "options" not in data
    assert data["vocabulary"]["status"]["closed"] == ["已处理完成"]
    assert data["date_order"] == "ymd"
    assert load_profile(out).lookup("status", ["不予受理"]) == ["invalid"]


def test_a_mapping_mistake_is_reported_at_its_line_in_the_mapping(tmp_path: Path) -> None:
    text = 'extends = "hotline"\n[values.status]\n"已处理完成" = "closd"\n'
    text += '[options]\ndate_order = "ydm"\n'
    path = _write(tmp_path / "m.toml", text)
    assert main(["profile", "convert", str(path)]) == 2
    with pytest.raises(MappingError) as caught:
        resolve_profiles(mapping=path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:3: [values.status] 'closd' is not a code")
    assert lines[1].startswith(f"{path}:5: [options] date_order = 'ydm'")


def test_cli_mapping_prints_one_deprecation_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pii: None
) -> None:
    export = _csv(tmp_path / "vendor.csv", VENDOR)
    code = main(["ingest", str(export), "--mapping", str(MAPPING), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("hotline: note:")]
    assert code == 0 and len(notes) == 1 and "hotline profile convert" in notes[0]


# --- --kind filters; --profile chooses ------------------------------------------------------------

HOTLINE = [["工单编号", "受理时间", "办理状态"], ["A1", "2021/3/5 9:00", "已办结"]]
ONLINE = [["留言编号", "留言时间", "留言详情"], ["M1", "2021/3/5 9:00", "路灯不亮"]]


def test_kind_keeps_only_that_kinds_profiles(profiles_dir: Path) -> None:
    _write(profiles_dir / "acme.toml", 'extends = "hotline"\n[columns]\norder_id = ["流水号"]\n')
    assert [p.name for p in resolve_profiles("hotline")] == ["acme", "hotline"]
    assert [p.name for p in resolve_profiles("311")] == ["nyc311", "la311", "open311"]
    with pytest.raises(HotlineError, match="reads hotline exports, not 311"):
        resolve_profiles("311", profile="hotline")


def test_kind_reports_a_file_of_another_kind(tmp_path: Path, pii: None) -> None:
    online = _csv(tmp_path / "留言.csv", ONLINE)
    _csv(tmp_path / "工单.csv", HOTLINE)
    with pytest.raises(InputError, match=r"留言.csv: reads as a online export .*--kind hotline"):
        read_export(online, kind="hotline")
    assert read_export(tmp_path / "工单.csv", kind="hotline")["status"].tolist() == ["closed"]


def test_a_profile_name_as_kind_is_a_deprecated_profile(tmp_path: Path, pii: None) -> None:
    export = _csv(tmp_path / "工单.csv", HOTLINE)
    with (
        pytest.warns(ProfileDeprecation, match="--kind la311 names a profile"),
        pytest.raises(InputError, match="required fields not found"),
    ):
        read_export(export, kind="la311")  # forced: la311 cannot read a 12345 export
    with warnings.catch_warnings():
        warnings.simplefilter("error", ProfileDeprecation)  # a kind is no deprecation
        account = read_export(export, kind="hotline").attrs["ingest"]
    assert account["profile"] == "hotline" and account["profile_rule"] == "auto"


def test_cli_kind_with_a_profile_name_notes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pii: None
) -> None:
    export = _csv(tmp_path / "工单.csv", HOTLINE)
    assert main(["ingest", str(export), "--kind", "nyc311", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("hotline: note: --kind nyc311 names a profile: use --profile")


# --- profile new / check --------------------------------------------------------------------------

BOSTON_HEADER = [
    "case_enquiry_id",
    "open_dt",
    "target_dt",
    "closed_dt",
    "case_status",
    "closure_reason",
    "case_title",
    "subject",
    "reason",
    "type",
    "department",
    "neighborhood",
    "source",
]
_REASONS = [
    ("Closed", "Case Resolved. Street swept"),
    ("Closed", "Case Invalid. Not a city issue"),
    ("Closed", "Case Duplicate. See earlier case"),
    ("Closed", "Case Noted. Passed to the department"),
    ("Open", ""),
]
_SOURCES = ["Constituent Call", "Citizens Connect App", "Self Service", "Employee Generated"]


def boston_rows(n: int = 40, *, dmy: bool = True) -> list[list[str]]:
    """A Boston-like export: request i opened on 1 + i % 28 January 2022 at 8 + i % 9 h."""

    def when(day: int, hour: int) -> str:
        return (f"{day:02d}/01/2022" if dmy else f"01/{day:02d}/2022") + f" {hour:02d}:05"

    rows = [BOSTON_HEADER]
    for i in range(n):
        day, hour = 1 + i % 28, 8 + i % 9
        status, reason = _REASONS[i % len(_REASONS)]
        rows.append(
            [
                str(101004000 + i),
                when(day, hour),
                when(min(day + 3, 28), 8),
                "" if status == "Open" else when(min(day + 1, 28), hour),
                status,
                reason,
                "Street Cleaning",
                "Public Works Department",
                ["Street Cleaning", "Sanitation"][i % 2],
                ["Requests for Street Cleaning", "Missed Trash"][i % 2],
                "PWDx",
                ["Dorchester", "Roxbury", "South Boston"][i % 3],
                _SOURCES[i % 4],
            ]
        )
    return rows


def _columns(text: str) -> dict[str, list[str]]:
    return tomllib.loads(text)["columns"]


def test_profile_new_guesses_columns_dates_and_lists_values(tmp_path: Path) -> None:
    export = _csv(tmp_path / "boston.csv", boston_rows())
    text = draft_profile(export)
    columns = _columns(text)
    for field, header in {
        "order_id": "case_enquiry_id",
        "received_at": "open_dt",
        "due_at": "target_dt",
        "closed_at": "closed_dt",
        "status": "case_status",
        "closure_reason": "closure_reason",
        "channel": "source",
        "town": "neighborhood",
    }.items():
        assert columns[field] == [header], field
    data = tomllib.loads(text)
    assert data["date_order"] == "dmy" and data["kind"] == "311"
    assert re.search(r'"Constituent Call" 10 rows', text)  # listed with its count
    assert "# codes: phone, web, wechat" in text
    profile_from_text(text, "boston.toml")  # the draft is a valid profile as it stands


def test_profile_new_never_prints_personal_data(tmp_path: Path) -> None:
    rows = [[*BOSTON_HEADER, "caller_name", "caller_phone"]]
    for i, row in enumerate(boston_rows(20)[1:]):
        row[4] = "Closed 13812345678" if i == 0 else row[4]  # a phone in a status value
        rows.append([*row, ["王建国", "Jane Smith"][i % 2], f"617-555-01{i:02d}"])
    text = draft_profile(_csv(tmp_path / "boston.csv", rows))
    assert "13812345678" not in text and "[手机号]" in text
    assert "王建国" not in text and "Jane Smith" not in text
    assert not re.search(r"617-555-01\d\d", text)
    assert "caller_phone" in _columns(text)  # mapped, so the ingest hashes it


def test_profile_check_never_prints_a_callers_name_inside_a_value(tmp_path: Path) -> None:
    header = ["工单编号", "受理时间", "办理状态", "来电人", "诉求渠道", "承办单位"]
    callers = ["李四光", "王五郎", "赵六一"]
    rows = [header] + [
        [f"X{i}", f"2023-01-{1 + i % 28:02d} 10:00", f"{callers[i % 3]}撤回", callers[i % 3],
         f"{callers[i % 3]}来电", "县住建局"]
        for i in range(30)
    ]  # fmt: skip
    text = check_export(_csv(tmp_path / "named.csv", rows), "hotline")
    assert "not understood" in text and not any(name in text for name in callers)


def test_profile_check_shows_how_an_export_reads(tmp_path: Path) -> None:
    rows = boston_rows()
    rows[1][12] = "Carrier Pigeon"  # a channel no code covers
    export = _csv(tmp_path / "boston.csv", rows)
    text = check_export(export, str(ROOT / "docs" / "examples" / "boston311.toml"))
    assert text.startswith("boston.csv: profile boston311 (given; scores on the header row")
    assert "header row: 1" in text and "columns ignored (1): 'department'" in text
    assert "received_at <- 'open_dt'" in text and "decide: dmy" in text
    assert '"Carrier Pigeon"  1 rows' in text
    assert f"rows: {len(rows) - 1} read, {len(rows) - 1} would be written" in text


def test_profile_check_and_new_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = _csv(tmp_path / "boston.csv", boston_rows())
    draft = tmp_path / "boston.toml"
    assert main(["profile", "new", str(export), "-o", str(draft)]) == 0
    assert main(["profile", "check", str(export), "--profile", str(draft)]) == 0
    assert "profile boston (given" in capsys.readouterr().out
    assert main(["profile", "list"]) == 0
    listed = capsys.readouterr().out
    assert (
        listed.startswith("name\tkind\tlanguage\torigin") and "nyc311\t311\ten\tbuilt-in" in listed
    )


@pytest.mark.skipif(
    not (REAL / "nyc311-pyboot").is_dir(), reason="the real NYC export in ../shared is absent"
)
def test_profile_new_on_a_real_export_hides_addresses_and_reads_it() -> None:
    path = REAL / "nyc311-pyboot" / "311_Service_Requests_from_2010_to_Present.csv"
    text = draft_profile(path)
    with path.open(encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    addresses = {r["Incident Address"] for r in records if r["Incident Address"].strip()}
    assert addresses and not any(a in text for a in addresses)
    columns = _columns(text)
    assert columns["order_id"] == ["Unique Key"] and columns["received_at"] == ["Created Date"]
    assert tomllib.loads(text)["date_order"] == "mdy"


# What a draft should guess for columns a first draft got wrong on Chicago's export: each case
# is (headers, columns of values, field -> header expected, fields that must stay unmapped).
_CHICAGO_LIKE = [
    (
        ("SR_NUMBER", "CREATED_DEPARTMENT", "OWNER_DEPARTMENT"),
        (["SR1", "SR2", "SR3"], ["311 City Services"] * 3, ["CDOT", "Streets", "CDOT"]),
        {"department": "OWNER_DEPARTMENT"},
        (),
    ),
    (
        ("SR_NUMBER", "STATE", "DUPLICATE"),
        (["SR1", "SR2", "SR3"], ["IL", "IL", "IL"], ["false", "true", "false"]),
        {"is_duplicate": "DUPLICATE"},
        ("is_contacted",),
    ),
    (
        ("SR_NUMBER", "SR_TYPE"),
        (["SR1", "SR2", "SR3"], ["Rat Complaint", "Street Light Out", "Rat Complaint"]),
        {"topic": "SR_TYPE"},
        ("topic_l2",),
    ),
]


@pytest.mark.parametrize(("headers", "cells", "expected", "unmapped"), _CHICAGO_LIKE)
def test_a_draft_guesses_the_handling_department_yes_no_columns_and_the_top_topic(
    headers: tuple[str, ...],
    cells: tuple[list[str], ...],
    expected: dict[str, str],
    unmapped: tuple[str, ...],
) -> None:
    sample = ExportSample("x.csv", headers, 1, [pa.array(c) for c in cells])
    guessed = {g.field: g.header for g in guess_columns(sample)}
    assert {f: guessed.get(f) for f in expected} == expected
    assert not set(unmapped) & set(guessed)


# --- the docs ---------------------------------------------------------------------------------


def test_docs_hold_exactly_the_generated_reference() -> None:
    docs = (ROOT / "docs" / "profiles.md").read_text("utf-8")
    found = re.search(r"<!-- reference:start -->\n(.*)<!-- reference:end -->", docs, re.S)
    assert found is not None and found.group(1) == reference_markdown()


def _docs_block(docs: str, opening: str) -> list[str]:
    """The lines of the docs' code block that starts with ``opening``."""
    found = re.search(re.escape(opening) + r"[^\n]*\n(.*?)```", docs, re.S)
    assert found is not None, f"docs/profiles.md has no block opening {opening!r}"
    return found.group(1).splitlines()


def test_the_walkthrough_shows_what_profile_new_and_check_print(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "profiles.md").read_text("utf-8")
    export = _csv(tmp_path / "boston.csv", boston_rows())
    drafted = draft_profile(export).splitlines()
    checked = check_export(export, str(ROOT / "docs" / "examples" / "boston311.toml"))
    shown = {
        "draft": (_docs_block(docs, '```toml\nname = "boston"'), drafted),
        "check": (
            _docs_block(docs, "```\n$ hotline profile check boston.csv"),
            checked.splitlines(),
        ),
    }
    for what, (block, printed) in shown.items():
        # the docs elide with '…': a line shown whole is printed whole, a cut one as its start
        missing = [
            line
            for line in block
            if line.strip() != "…"
            and not any(
                p == line or (line.endswith("…") and p.startswith(line[:-1])) for p in printed
            )
        ]
        assert not missing, (
            f"the {what} example in docs/profiles.md differs from the tool: {missing}"
        )


def test_the_boston_example_ingests_a_boston_export(tmp_path: Path, pii: None) -> None:
    export = _csv(tmp_path / "boston.csv", boston_rows(14))
    df = read_export(export, profile=ROOT / "docs" / "examples" / "boston311.toml")
    df = df.set_index("order_id").sort_index().head(10)
    assert df.loc["101004001", "received_at"] == dt.datetime(2022, 1, 2, 9, 5)  # 02/01: dmy
    assert df.loc["101004008", "received_at"] == dt.datetime(2022, 1, 9, 16, 5)
    expected = {"Constituent Call": "phone", "Citizens Connect App": "app"}
    expected |= {"Self Service": "web", "Employee Generated": "grid"}
    assert df["channel"].tolist() == [expected[_SOURCES[i % 4]] for i in range(10)]
    assert df.loc["101004004", "status"] == "received"
    assert df.loc["101004000", "department"] == "Public Works Department"
    assert df.attrs["manifest"]["timezone"] == "America/New_York"


# --- invariants -----------------------------------------------------------------------------------


@given(
    st.dictionaries(
        st.sampled_from(MAPPABLE_FIELDS),
        st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3),
        min_size=1,
        max_size=8,
    )
)
@settings(max_examples=40, deadline=None)
def test_written_columns_read_back_and_each_key_is_found_at_its_line(
    columns: dict[str, list[str]],
) -> None:
    lines = ['extends = "nyc311"', "[columns]"]
    lines += [toml_text.assign(name, spellings) for name, spellings in columns.items()]
    text = "\n".join(lines) + "\n"
    assert tomllib.loads(text)["columns"] == columns
    found = key_lines(text)
    for number, name in enumerate(columns, start=3):
        assert found[("columns", name)] == number


# --- one-line errors a user can act on ----------------------------------------------------------


def test_errors_name_what_they_are_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pii: None
) -> None:
    broken = _write(tmp_path / "broken.toml", "[columns\n")
    child = _write(tmp_path / "child.toml", 'extends = "broken.toml"\n')
    unknown = _csv(tmp_path / "springfield.csv", [["Ticket #", "Date Opened"], ["1", "1/2/2025"]])
    cases = [
        (["profile", "check", str(tmp_path)], f"{tmp_path.name}: not a file"),
        (["profile", "check", "."], "error: .: not a file"),  # a path with no name
        (["profile", "show", str(child)], f"(extended by {child}:1)"),
        (["ingest", str(unknown), "--kind", "foo"], "'foo' is not a source kind"),
        (["profile", "check", str(unknown)], "draft one: hotline profile new 'springfield.csv'"),
        (["ingest", str(unknown), "--out", str(tmp_path / "o")], "hotline profile new"),
    ]
    for argv, expected in cases:
        assert main(argv) == 2, argv
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert line.startswith("hotline: error: ") and expected in line, (argv, line)
    assert broken.exists()
