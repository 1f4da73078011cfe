"""`hotline profile new` on exports a first draft got wrong: each case is one family of mistakes.

Every export is written here, small, in tmp_path: a San Francisco-like 311 CSV (CaseID, Status
Notes, Supervisor District…), Open311 GeoReport JSON and XML, a Chinese 12345 export. Every
draft must also read back as a valid profile.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline import rules
from hotline.ingestion import read_export
from hotline.ingestion.values import phrase_codes
from hotline.profiles import profile_from_text
from hotline.profiles.draft import draft_profile
from hotline.profiles.places import states, states_after_cities
from hotline.text import fold_value


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _draft(path: Path) -> tuple[str, dict[str, Any]]:
    """The draft's text and its parsed TOML; the draft must be a valid profile as it stands."""
    text = draft_profile(path)
    profile_from_text(text, path.with_suffix(".toml").name)
    return text, tomllib.loads(text)


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def _opened(i: int) -> str:
    """A month-day-year time; the day is over 12, so the value decides the order."""
    return f"{1 + i % 12:02d}/{13 + i % 15:02d}/2023 {8 + i % 9:02d}:{i % 60:02d}"


# --- 1. the id column, by its header's words and by its values ---------------------------------

_ID_HEADERS = ["CaseID", "Case ID", "case_id", "ServiceRequestID", "SR Number", "Ticket #"]
_ID_HEADERS += ["Incident Number", "caseEnquiryId", "Record No."]


@pytest.mark.parametrize("header", _ID_HEADERS)
def test_the_id_column_is_found_by_the_words_of_its_header(tmp_path: Path, header: str) -> None:
    rows = [[header, "Opened", "Status"]]
    rows += [[f"{17000000 + 7 * i}", _opened(i), ["Open", "Closed"][i % 2]] for i in range(12)]
    _, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["columns"]["order_id"] == [header]


# (headers, a function of the row giving its cells, the id column expected, its comment's words)
_IDS_BY_VALUES = [
    (  # no id word in the header: the values (unique, every row, one shape) find it
        ("Folio", "Opened", "Status"),
        lambda i: [f"F-{100 + i:05d}", _opened(i), "Open"],
        "Folio",
        "found by its values",
    ),
    (  # phone numbers are unique too, but a phone is no request id
        ("Phone Number", "Case ID", "Opened"),
        lambda i: [f"415-555-{i:04d}", f"C{i:06d}", _opened(i)],
        "Case ID",
        "one shape",
    ),
    (  # hex object ids (GeoReport's Mongo ids) mix letters and digits: still one shape
        ("service_request_id", "requested_datetime"),
        lambda i: [f"{0x4FBC0000 + 977 * i:08x}{i:016x}", f"2012-05-{10 + i}T09:00:00-04:00"],
        "service_request_id",
        "one shape",
    ),
]


@pytest.mark.parametrize(("headers", "cells", "expected", "said"), _IDS_BY_VALUES)
def test_an_id_column_is_told_by_its_values(
    tmp_path: Path, headers: tuple[str, ...], cells: Any, expected: str, said: str
) -> None:
    rows = [list(headers)] + [cells(i) for i in range(12)]
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["columns"]["order_id"] == [expected]
    assert said in _line(text, "order_id = ")


# --- 2. the time zone, from evidence; none without it ------------------------------------------


def _zone_rows(extra: tuple[str, ...], cell: Any, times: Any = _opened) -> list[list[str]]:
    rows = [["Case ID", "Opened", "Status", *extra]]
    return rows + [[f"C{i:04d}", times(i), "Open", *cell(i)] for i in range(24)]


def _offset_times(winter: str, summer: str) -> Any:
    """ISO times stating the offset of January (winter) and July (summer)."""
    return lambda i: (
        f"2023-{1 if i % 2 else 7:02d}-{10 + i % 9:02d}T10:00:00" + (winter if i % 2 else summer)
    )


# (file name, extra headers, their cells, times, zone expected or None, words of its comment)
_ZONES = [
    ("cases.csv", (), lambda i: [], _offset_times("-08:00", "-07:00"), "America/Los_Angeles",
     "UTC offsets"),
    ("cases.csv", (), lambda i: [], _offset_times("-05:00", "-04:00"), "America/New_York",
     "UTC offsets"),
    ("cases.csv", (), lambda i: [], _offset_times("-06:00", "-05:00"), "America/Chicago",
     "UTC offsets"),
    ("cases.csv", (), lambda i: [], _offset_times("+05:30", "+05:30"), "from-data",
     "fit no zone known"),
    ("cases.csv", ("Latitude", "Longitude"), lambda i: [f"37.7{i:02d}", f"-122.4{i:02d}"],
     _opened, "America/Los_Angeles", "coordinates"),
    ("cases.csv", ("Latitude", "Longitude"), lambda i: [f"41.8{i:02d}", f"-87.6{i:02d}"],
     _opened, "America/Chicago", "coordinates"),
    ("cases.csv", ("Latitude", "Longitude"), lambda i: [f"39.9{i:02d}", f"116.4{i:02d}"],
     _opened, "Asia/Shanghai", "coordinates"),
    ("cases.csv", ("City",), lambda i: ["San Francisco"], _opened, "America/Los_Angeles",
     "place names"),
    ("cases.csv", ("State",), lambda i: ["IL"], _opened, "America/Chicago", "place names"),
    ("sf_311_cases.csv", (), lambda i: [], _opened, "America/Los_Angeles", "file name"),
    ("boston.csv", (), lambda i: [], _opened, "America/New_York", "file name"),
    ("cases.csv", (), lambda i: [], _opened, None, "no UTC offsets, coordinates or place"),
    ("cases.csv", (), lambda i: [], lambda i: f"2023-01-{10 + i % 9:02d}T10:00:00Z", None,
     "stated in UTC"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "extra", "cell", "times", "zone", "said"), _ZONES)
def test_the_zone_comes_from_evidence_and_says_which(
    tmp_path: Path,
    name: str,
    extra: tuple[str, ...],
    cell: Any,
    times: Any,
    zone: str | None,
    said: str,
) -> None:
    text, data = _draft(_csv(tmp_path / name, _zone_rows(extra, cell, times)))
    assert data.get("timezone") == zone
    if zone is None:  # commented, with a TODO, rather than a confident wrong default
        assert "# TODO: set timezone" in text and said in text
        assert re.search(r"^# timezone = ", text, re.M)
    else:
        assert said in _line(text, "timezone = ")


# --- 3. request_type only for values that are kinds of request ---------------------------------

_TOPICS = ["Street and Sidewalk Cleaning", "Graffiti", "Encampments", "Streetlights"]
_KINDS = ["Complaint", "Request", "Inquiry", "Suggestion", "Compliment"]
# (header, values of the column by row, the field it is read as, whether request_type is mapped)
_REQUEST_TYPES = [
    ("Request Type", _TOPICS, "topic_l2", False),
    ("Request Type", _KINDS, "request_type", True),
    ("Request Type", ["Complaint", *_TOPICS], "topic_l2", False),  # 1 in 5 a kind: topics
    ("诉求类型", ["咨询", "投诉", "求助", "建议"], "request_type", True),
]


@pytest.mark.parametrize(("header", "values", "read_as", "kept"), _REQUEST_TYPES)
def test_request_type_holds_kinds_of_request_not_topics(
    tmp_path: Path, header: str, values: list[str], read_as: str, kept: bool
) -> None:
    rows = [["Case ID", "Opened", "Category", header]]
    rows += [[f"C{i:04d}", _opened(i), ["Streets", "Lights"][i % 2], values[i % len(values)]]
             for i in range(20)]  # fmt: skip
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["columns"][read_as] == [header]
    if kept:
        assert "holds topics" not in text
    else:
        assert data["columns"]["topic"] == ["Category"]  # the broader level (fewer values)
        assert "# request_type: not mapped" in text and "holds topics" in text


# --- 4. closure reasons and the phrases that void a request ------------------------------------


def sf_rows() -> list[list[str]]:
    """An SF-like export of 400 cases: 60 open, 340 closed, 112 of them void by their notes."""
    header = ["CaseID", "Opened", "Closed", "Status", "Status Notes", "Category", "Request Type"]
    header += ["Supervisor District", "Neighborhood", "Police District", "Latitude", "Longitude"]
    notes = ["Case is a Duplicate of {}"] * 60 + ["Invalid request - {}"] * 30
    notes += ["Cancelled by customer"] * 22
    notes += ["Case Resolved - Pickup completed", "Case Transferred to DPW"] * 100
    notes += ["Case Resolved - not a duplicate, new location"] * 14
    notes += ["Case Resolved - Invalidated address corrected"] * 14
    rows = [header]
    for i in range(400):
        closed = i >= 60
        topic = i % len(_TOPICS)
        rows.append([
            str(17000000 + 3 * i), _opened(i), _opened(i) if closed else "",
            "Closed" if closed else "Open", notes[i - 60].format(101000 + i) if closed else "",
            _TOPICS[topic], f"{_TOPICS[topic]} - {['Bulky', 'General', 'Other'][i % 3]}",
            str(1 + i % 11), ["Mission", "Tenderloin", "Bayview"][i % 3],
            ["Central", "Southern"][i % 2], f"37.7{i % 90:02d}", f"-122.4{i % 90:02d}",
        ])  # fmt: skip
    return rows


def test_sf_status_notes_are_closure_reasons_that_void_the_duplicates(tmp_path: Path) -> None:
    export = _csv(tmp_path / "sf311.csv", sf_rows())
    text, data = _draft(export)
    assert data["columns"]["closure_reason"] == ["Status Notes"]
    assert "reply" not in data["columns"]
    assert data["closure"]["void_reasons"] == {
        "duplicate": ["Case is a Duplicate"],
        "invalid": ["Invalid request"],
        "cancelled": ["Cancelled by customer"],
    }
    for phrase, rows in (("Case is a Duplicate", 60), ("Invalid request", 30)):
        assert re.search(rf'^#   \w+: "{phrase}"  {rows} rows$', text, re.M)
    profile = tmp_path / "sf311.toml"
    profile.write_text(text, "utf-8")
    df = read_export(export, profile=profile)
    accepted, closed = rules.accepted(df), rules.closed(df)
    assert (len(df), int(accepted.sum()), int((accepted & closed).sum())) == (400, 288, 228)


# (reasons as (text, rows), void phrases expected, reasons no phrase may be inside, refused)
_REASONS = [
    (
        [("Case is a Duplicate of {}", 6), ("Case Resolved - not a duplicate", 6),
         ("Duplicate", 3), ("Case Resolved - done", 10), ("Invalidated - address fixed", 3),
         ("Invalid request", 4), ("Not a duplicate, resolved", 4)],
        {"duplicate": ["Case is a Duplicate"], "invalid": ["Invalid request"]},
        ["Case Resolved - not a duplicate", "Invalidated - address fixed",
         "Not a duplicate, resolved"],
        ['"Duplicate" (a void word alone'],  # bare: in "Case Resolved - not a duplicate" too
    ),
    (
        [("重复工单，已合并到{}", 6), ("无效来电", 5), ("撤单", 4), ("正常办结", 10)],
        {"duplicate": ["重复工单"], "invalid": ["无效来电"], "cancelled": ["撤单"]},
        ["正常办结"],
        [],
    ),
    (
        [("重复工单", 6), ("非重复工单，已办结", 5), ("正常办结", 10), ("Test case", 3),
         ("Invalid request", 4), ("Resolved - reopened after an invalid request", 3)],
        {"duplicate": ["重复工单"], "void": ["Test case"]},
        ["非重复工单，已办结", "Resolved - reopened after an invalid request"],
        ['"Invalid request" (it is also inside 3 rows of other reasons)'],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("reasons", "proposed", "untouched", "refused"), _REASONS)
def test_void_phrases_are_whole_leading_phrases_never_bare_or_negated_words(
    tmp_path: Path,
    reasons: list[tuple[str, int]],
    proposed: dict[str, list[str]],
    untouched: list[str],
    refused: list[str],
) -> None:
    cells = [text.format(900 + i) for text, n in reasons for i in range(n)]
    rows = [["Case ID", "Opened", "Status", "Closure Reason"]]
    rows += [[f"C{i:04d}", _opened(i), "Closed", cell] for i, cell in enumerate(cells)]
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["columns"]["closure_reason"] == ["Closure Reason"]
    assert data["closure"]["void_reasons"] == proposed
    folded = {code: tuple(fold_value(p) for p in found) for code, found in proposed.items()}
    assert phrase_codes(pa.array(untouched), folded).null_count == len(untouched)
    for line in refused:
        assert f"#   not proposed: {line}" in text


# --- 5. the town: a neighbourhood rather than a political district -----------------------------

# (headers, cells by row, the town expected, districts the comment names)
_TOWNS = [
    (("Supervisor District", "Neighborhood", "Police District"),
     lambda i: [str(1 + i % 11), ["Mission", "Bayview", "Marina"][i % 3],
                ["Central", "Park"][i % 2]],
     "Neighborhood", ["'Supervisor District'", "'Police District'"]),
    (("Council District", "Community"),
     lambda i: [f"District {1 + i % 5}", ["Hyde Park", "Loop", "Uptown"][i % 3]],
     "Community", ["'Council District'"]),
    (("所属区", "街道"),
     lambda i: [["A1区", "A2区"][i % 2], ["城关街道", "东关街道", "西街"][i % 3]],
     "街道", []),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "cells", "town", "passed"), _TOWNS)
def test_the_town_is_a_neighbourhood_not_a_political_district(
    tmp_path: Path, headers: tuple[str, ...], cells: Any, town: str, passed: list[str]
) -> None:
    rows = [["Case ID", "Opened", *headers]]
    rows += [[f"C{i:04d}", _opened(i), *cells(i)] for i in range(30)]
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["columns"]["town"] == [town]
    for header in passed:
        assert header in _line(text, "town = ") and "political" in _line(text, "town = ")


# --- 6. Open311 GeoReport: the close time is the last update; the zone from its offsets --------


def _georeport(n: int = 12) -> list[dict[str, str]]:
    """GeoReport requests of Chicago: -06:00 in January, -05:00 in June; every third closed."""
    found = []
    for i in range(n):
        month, offset = (1, "-06:00") if i % 2 else (6, "-05:00")
        found.append({
            "service_request_id": f"14-{1100000 + i:08d}",
            "status": "closed" if i % 3 == 0 else "open",
            "service_name": ["Pothole in Street", "Graffiti Removal"][i % 2],
            "requested_datetime": f"2014-{month:02d}-{10 + i:02d}T10:58:43{offset}",
            "updated_datetime": f"2014-{month:02d}-{11 + i:02d}T09:00:00{offset}",
            "agency_responsible": "CDOT",
        })  # fmt: skip
    return found


def _as_xml(records: list[dict[str, str]]) -> str:
    requests = "".join(
        "<request>" + "".join(f"<{k}>{v}</{k}>" for k, v in r.items()) + "</request>"
        for r in records
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><service_requests>{requests}</service_requests>'


@pytest.mark.parametrize("form", ["json", "xml"])
def test_an_open311_export_closes_by_its_last_update_in_the_zone_of_its_offsets(
    tmp_path: Path, form: str
) -> None:
    records = _georeport()
    text = json.dumps(records) if form == "json" else _as_xml(records)
    export = tmp_path / f"requests.{form}"
    export.write_text(text, "utf-8")
    draft, data = _draft(export)
    assert data["closure"]["close_time"] == "updated_at"
    assert data["columns"]["updated_at"] == ["updated_datetime"]
    assert "closed_at" not in data["columns"]
    assert data["timezone"] == "America/Chicago"
    assert "-06:00" in _line(draft, "timezone = ") and "requested_datetime" in draft


# --- 7. the date order: stray values are named by row, never decide ---------------------------

# (rows, rows holding a day-month-year value, language of the headers, order expected, words)
_ORDERS = [
    (200_000, [123_456], "en", "mdy", ["row 123458 of 'Opened'", "likely typos"]),
    (3_000, [5, 2_000], "zh", "mdy", ["第 7 行 '受理时间'", "第 2002 行 '受理时间'"]),
    (100, list(range(0, 100, 2)), "en", "mdy", ["the export mixes both orders"]),
]


@pytest.mark.parametrize(("n", "strays", "language", "order", "words"), _ORDERS)
def test_a_few_stray_day_first_dates_do_not_decide_the_order(
    tmp_path: Path, n: int, strays: list[int], language: str, order: str, words: list[str]
) -> None:
    header = ["Case ID", "Opened"] if language == "en" else ["工单编号", "受理时间"]
    stray = set(strays)
    rows = [header] + [
        [f"C{i:07d}", f"25/03/2023 10:{i % 60:02d}" if i in stray else _opened(i)] for i in range(n)
    ]
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["date_order"] == order
    check = _line(text, "# CHECK: ")
    for word in words:
        assert word in check
    assert "25/03/2023" not in text  # rows are named, never their values


def test_a_single_deciding_date_among_ambiguous_ones_is_too_little(tmp_path: Path) -> None:
    rows = [["Case ID", "Opened"]]
    rows += [[f"C{i:06d}", f"{1 + i % 12:02d}/{1 + i % 12:02d}/2023"] for i in range(5000)]
    rows[4000][1] = "25/03/2023"
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    assert data["date_order"] == "mdy"
    assert "too few to decide" in text and "row 4001 of 'Opened'" in text  # header: row 1


# --- 8. one column, two fields: the better field keeps it, the other says why -------------------

# (headers, cells by row, the field that keeps the column, the field left with a comment)
_SHARED = [
    (("Case ID", "Opened", "Resolution Description"),
     lambda i: [f"C{i:04d}", _opened(i), f"The department inspected the site and fixed it ({i})"],
     "reply", "content"),
    (("Case ID", "Opened", "Updated"),
     lambda i: [f"C{i:04d}", _opened(i), _opened(i + 1)],
     "updated_at", None),
]  # fmt: skip


@pytest.mark.parametrize(("headers", "cells", "kept", "noted"), _SHARED)
def test_a_column_fit_for_two_fields_feeds_the_better_and_says_why(
    tmp_path: Path, headers: tuple[str, ...], cells: Any, kept: str, noted: str | None
) -> None:
    rows = [list(headers)] + [cells(i) for i in range(15)]
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    header = headers[-1]
    assert data["columns"][kept] == [header]
    assert [f for f, h in data["columns"].items() if h == [header]] == [kept]
    if noted is not None:
        note = _line(text, f"# {noted}: ")
        assert f"read as {kept}" in note and "a column feeds one field" in note


# --- privacy: phones in reasons and headers, names -----------------------------------------------


def test_a_draft_never_shows_phones_or_names_from_reasons_or_headers(tmp_path: Path) -> None:
    hidden_header = "Call back 415-555-0199"
    rows = [["Case ID", "Opened", "Status", "Closure Reason", "Caller Name", hidden_header]]
    reasons = ["Cancelled by customer, call 415-555-0123", "Case is a Duplicate of 13812345678"]
    reasons += ["Case Resolved - Jane Smith thanked us", "Case Resolved - done"]
    for i in range(24):
        rows.append([f"C{i:04d}", _opened(i), "Closed", reasons[i % 4], "Jane Smith", "x"])
    text, data = _draft(_csv(tmp_path / "export.csv", rows))
    for secret in ("415-555-0123", "13812345678", "415-555-0199", "Jane Smith"):
        assert secret not in text
    assert data["closure"]["void_reasons"] == {
        "cancelled": ["Cancelled by customer"],
        "duplicate": ["Case is a Duplicate"],
    }
    assert hidden_header not in json.dumps(data["columns"])


# --- 9. a void word alone: the longer phrase the file's own values share ------------------------


def _reason_export(tmp_path: Path, reasons: list[tuple[str, int]]) -> tuple[Path, list[str]]:
    """An export whose ``Closure Reason`` holds each reason ``n`` times ({} a case number)."""
    cells = [text.format(25000 + 7 * i) for text, n in reasons for i in range(n)]
    rows = [["Case ID", "Opened", "Status", "Closure Reason"]]
    rows += [[f"C{i:04d}", _opened(i), "Closed", cell] for i, cell in enumerate(cells)]
    return _csv(tmp_path / "export.csv", rows), cells


# (reasons as (text, rows), void phrases expected, words of the refusal of the word alone)
_LONGER = [
    (  # Springfield's notes: "Duplicate" alone refused, "Duplicate of" proposed
        [("Duplicate of #{}", 5), ("Duplicate of #{}; merged", 3), ("Not a duplicate - fixed", 3),
         ("Resolved - crew repaired", 6), ("Caller withdrew request", 2)],
        {"duplicate": ["Duplicate of"]},
        '"Duplicate" (a void word alone matches any reason that mentions it; "Duplicate of" '
        "instead)",
    ),
    (  # two longer phrases share the word; the negated "not a duplicate of" voids nothing
        [("Duplicate request", 4), ("Duplicate of #{}", 4), ("Duplicate", 2), ("Resolved", 6),
         ("Not a duplicate of #{}", 3)],
        {"duplicate": ["Duplicate of", "Duplicate request"]},
        '"Duplicate" (a void word alone matches any reason that mentions it; "Duplicate of" '
        "instead)",
    ),
    (  # one word before the case number: nothing longer to propose
        [("Duplicate #{}", 4), ("Resolved", 6), ("Fixed on site", 4)],
        {},
        '"Duplicate" (a void word alone matches any reason that mentions it)',
    ),
    (  # the longer phrase also ends a reason that means something else: refused too
        [("Duplicate of #{}", 4), ("Resolved - reopened, duplicate of #{}", 3), ("Resolved", 6)],
        {},
        '"Duplicate of" (it is also inside 3 rows of other reasons)',
    ),
]  # fmt: skip


@pytest.mark.parametrize(("reasons", "proposed", "refused"), _LONGER)
def test_a_void_word_alone_gives_way_to_the_longer_phrase_the_file_shares(
    tmp_path: Path, reasons: list[tuple[str, int]], proposed: dict[str, list[str]], refused: str
) -> None:
    export, cells = _reason_export(tmp_path, reasons)
    text, data = _draft(export)
    found = data.get("closure", {}).get("void_reasons", {})
    assert {k: sorted(v) for k, v in found.items()} == proposed
    assert refused in text
    assert "Case Duplicate" not in text  # never a phrase of another city's export
    for code, phrases in proposed.items():
        for phrase in phrases:
            # the rows said are the rows the ingest's matcher voids, negations skipped
            voided = phrase_codes(pa.array(cells), {code: (fold_value(phrase),)})
            assert re.search(rf'^#   {code}: "{phrase}"  {len(cells) - voided.null_count} rows$',
                             text, re.M)  # fmt: skip
            starts = sum(n for t, n in reasons if t.lower().startswith(phrase.lower()))
            assert len(cells) - voided.null_count == starts


# (reasons, code of the example, phrase of the example: one of this export's own phrases)
_EXAMPLES = [
    ([("Duplicate #{}", 4), ("Resolved", 6), ("Fixed on site", 4)], "duplicate", "Duplicate"),
    ([("Crew dispatched, work completed", 5), ("Fixed on site", 4)], "void", "Crew dispatched"),
    ([("重复 {}", 4), ("正常办结", 6)], "duplicate", "重复"),
    ([("Not a duplicate - fixed", 6), ("Fixed on site", 4)], "void", "Fixed on site"),  # negated
]


@pytest.mark.parametrize(("reasons", "code", "phrase"), _EXAMPLES)
def test_with_no_phrase_proposed_the_example_quotes_one_of_the_files_own(
    tmp_path: Path, reasons: list[tuple[str, int]], code: str, phrase: str
) -> None:
    export, cells = _reason_export(tmp_path, reasons)
    text, data = _draft(export)
    assert "void_reasons" not in data.get("closure", {})
    example = _line(text, "# void_reasons = ")
    assert example == f"# void_reasons = {{ {code} = {json.dumps([phrase], ensure_ascii=False)} }}"
    assert any(cell.startswith(phrase) for cell in cells)


# --- 10. --extends: only what the parent does not already read the same -------------------------

_SPRINGFIELD_STATUSES = ["Closed - Completed", "Closed - Duplicate", "Open", "In Progress",
                         "Closed - Referred to County", "Cancelled"]  # fmt: skip
_SPRINGFIELD_CHANNELS = ["Phone", "Mobile App", "Web Portal", "Walk-in", "Email"]


def _springfield(tmp_path: Path) -> Path:
    """A Springfield-like 311 export: month-day-year 12-hour times, notes, a free-text place."""
    rows = [["Ticket #", "Date Opened", "Date Closed", "Status", "Resolution Notes", "Dept",
             "Request Type", "Ward", "Channel", "Description"]]  # fmt: skip
    for i in range(40):
        status = _SPRINGFIELD_STATUSES[i % len(_SPRINGFIELD_STATUSES)]
        opened = f"{1 + i % 12}/{13 + i % 15}/2025 {1 + i % 12}:{i % 60:02d} {'AP'[i % 2]}M"
        note = f"Duplicate of #{25000 + i}" if status == "Closed - Duplicate" else "Fixed on site"
        rows.append([
            str(25000 + 7 * i), opened, opened if status.startswith("Closed") else "", status,
            note, ["Public Works", "Parks & Rec"][i % 2], ["Pothole", "Graffiti"][i % 2],
            f"Ward {1 + i % 10}", _SPRINGFIELD_CHANNELS[i % 5],
            f"Pothole reported near {100 + i} S Grand Ave, Springfield IL",
        ])  # fmt: skip
    return _csv(tmp_path / "springfield.csv", rows)


_PARENT = """name = "springfield311"
description = "Springfield 311"
kind = "311"
language = "en"
date_order = "mdy"
timezone = "America/Chicago"
calendar = "holidays:US-IL"

[closure]
void_reasons = { duplicate = ["Duplicate of"] }

[columns]
order_id = ["Ticket #"]
received_at = ["Date Opened"]
status = ["Status"]
channel = ["Channel"]

[vocabulary.status]
closed = ["Closed - Completed"]
duplicate = ["Closed - Duplicate"]
"""

# (the parent: a built-in name or a user profile's text; options it must leave out)
_PARENTS = [
    ("open311", ["kind", "language", "calendar"]),
    ("nyc311", ["kind", "language", "date_order", "calendar"]),
    (_PARENT, ["kind", "language", "date_order", "timezone", "calendar"]),
]


@pytest.mark.parametrize(("parent", "options"), _PARENTS)
def test_a_draft_that_extends_a_profile_leaves_out_what_it_inherits(
    tmp_path: Path, parent: str, options: list[str]
) -> None:
    from hotline.profiles.loading import find_profile

    export = _springfield(tmp_path)
    if "\n" in parent:
        (tmp_path / "springfield311.toml").write_text(parent, "utf-8")
        parent = str(tmp_path / "springfield311.toml")
    base = find_profile(parent)
    full = draft_profile(export)
    child_text = draft_profile(export, extends=parent)
    child = profile_from_text(child_text, "child.toml", folder=tmp_path)
    alone = profile_from_text(full, "alone.toml")
    full_data, child_data = tomllib.loads(full), tomllib.loads(child_text)
    with export.open(encoding="utf-8") as handle:
        headers = next(csv.reader(handle))
    # a field is left out exactly when the parent reads its column as that field
    read = base.match_headers(headers).fields
    guessed = {f: headers.index(h[0]) for f, h in full_data["columns"].items()}
    inherited = {f for f, i in guessed.items() if read.get(f) == i}
    assert set(child_data.get("columns", {})) == set(guessed) - inherited
    # and the child reads every column the full draft reads, to the same field
    assert (
        child.match_headers(headers).fields.items() >= alone.match_headers(headers).fields.items()
    )
    # options equal to the parent's are left out, the others kept
    for option in ("kind", "language", "date_order", "timezone", "calendar"):
        assert (option in child_data) == (option not in options)
    # vocabulary: the values the parent reads already are left out; the rest read as before
    values = {"status": _SPRINGFIELD_STATUSES, "channel": _SPRINGFIELD_CHANNELS}
    known = 0
    for vocabulary, spelled in values.items():
        for value in spelled:
            had = base.lookup(vocabulary, [value])[0]
            known += had is not None
            listed = re.search(rf'^#   "{re.escape(value)}" \d+ rows', child_text, re.M)
            assert (listed is None) == (had is not None)
            want = had or alone.lookup(vocabulary, [value])[0]
            assert child.lookup(vocabulary, [value])[0] == want
    said = _line(child_text, "# left out as inherited from ")
    counts = {"[columns] field": len(inherited), "vocabulary value": known}
    counts["option"] = len(options)
    for what, n in counts.items():
        assert re.search(rf"\b{n} {re.escape(what)}s?\b", said) if n else what not in said
    assert said.startswith(f"# left out as inherited from {parent} ")
    # the void phrase a parent lists already is not proposed again; a new one is
    dup = fold_value("Duplicate of") in base.void_reasons.get("duplicate", ())
    assert ("void_reasons" in child_data.get("closure", {})) != dup
    assert child.void_reasons["duplicate"] == (fold_value("Duplicate of"),)


# --- 11. the zone from a US state after a city, in any text column ------------------------------

# (a cell of a free-text column, its city word (never printed), zone or None, a split state)
_STATE_PLACES = [
    ("Pothole near 12 S Grand Ave, Springfield IL", "Springfield", "America/Chicago", False),
    ("Austin, TX", "Austin", "America/Chicago", True),
    ("Pothole in Portland OR", "Portland", "America/Los_Angeles", True),  # a city known by name
    ("Kansas City, Missouri", "Kansas", "America/Chicago", False),
    ("12 Congress St, Portland, ME 04101", "Portland", "America/New_York", False),  # not Oregon
    ("1540 W 17TH ST, CHICAGO, IL, 60608", "CHICAGO", "America/Chicago", False),
    ("El Paso, Texas", "Paso", "America/Chicago", True),  # Mountain time: the CHECK says why
    ("Tallahassee, FL", "Tallahassee", "America/New_York", True),
    ("Boise, Idaho 83702", "Boise", "America/Denver", True),
    # no sign that these end an address: a court, a neighbourhood council, a word
    ("3313 E Mulberry CT", "Mulberry", None, False),
    ("SYLMAR NC", "SYLMAR", None, False),
    ("Crew came back, Fixed, OK", "Fixed", None, False),
    ("Call Smith, OR Jones", "Smith", None, False),
    ("Pothole near Springfield IL", "Springfield", None, False),  # reads as "Sylmar NC" does
]


@pytest.mark.parametrize(("cell", "city", "zone", "split"), _STATE_PLACES)
def test_a_state_after_a_city_in_free_text_tells_the_zone(
    tmp_path: Path, cell: str, city: str, zone: str | None, split: bool
) -> None:
    text, data = _draft(
        _csv(tmp_path / "cases.csv", _zone_rows(("Description",), lambda i: [cell]))
    )
    assert data.get("timezone") == zone
    assert city not in text and cell not in text  # free text is never printed
    if zone is None:
        assert "no UTC offsets, coordinates or place names found" in text
        return
    line = _line(text, "timezone = ")
    assert "place names" in line and "'Description'" in line
    assert ("spans" in line) == split and line.endswith("CHECK")


def test_every_state_has_a_zone_and_a_state_column_reads_names_and_abbreviations() -> None:
    import zoneinfo

    import holidays

    from hotline.profiles.places import state_named, states

    names = {abbr: name for name, abbr in holidays.US.subdivisions_aliases.items()}
    found = states()
    fifty = {a for a in names if a not in ("AS", "GU", "MP", "UM", "VI", "PR", "DC")}
    assert len(fifty) == 50 and fifty | {"DC", "PR"} == set(found)
    for state in found.values():
        for zone in (state.zone, *state.also):
            zoneinfo.ZoneInfo(zone)
        assert state_named(state.abbr) == state_named(state.name.upper()) == state
        assert state.zone not in state.also


@given(
    state=st.sampled_from(sorted(states())),
    city=st.from_regex(r"[A-Z][a-z]{2,12}( [A-Z][a-z]{2,12})?", fullmatch=True),
    tail=st.sampled_from(["", " 62701", ", USA", "."]),
)
@settings(max_examples=200, deadline=None)
def test_any_city_then_state_after_a_comma_names_that_state(
    state: str, city: str, tail: str
) -> None:
    found = states_after_cities(f"Reported near 100 Main St, {city} {state}{tail}")
    if state in ("OK", "HI", "OH", "ME") and not tail.strip(" ,.USA"):
        assert found in ([], [states()[state]])  # a word said alone unless a ZIP or known city
    else:
        assert found == [states()[state]]
