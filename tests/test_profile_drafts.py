"""`hotline profile new` on exports a first draft got wrong: each case is one family of mistakes.

Every export is written here, small, in tmp_path: a San Francisco-like 311 CSV (CaseID, Status
Notes, Supervisor District…), Open311 GeoReport JSON and XML, a Chinese 12345 export. Every
draft must also read back as a valid profile.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path
from typing import Any

import pytest

from hotline.profiles import profile_from_text
from hotline.profiles.draft import draft_profile


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
