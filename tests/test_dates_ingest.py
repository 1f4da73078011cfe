"""The ingest decides dates by evidence, breaks detection ties by rows, refuses empty results, and
voids requests by their closure reason (issue #12)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from exports import write_csv
from hotline import ingest, read_export
from hotline.errors import InputError
from hotline.ingestion.facts import FACTS
from hotline.ingestion.report import render_account

BOSTON = ["case_enquiry_id", "open_dt", "closed_dt", "case_status", "closure_reason", "type"]


def boston_profile(folder: Path, *, date_order: str | None = None) -> Path:
    """A user profile for a Boston-like export, extending nyc311 (month-day-year)."""
    order = f'date_order = "{date_order}"\n' if date_order else ""
    path = folder / "boston311.toml"
    path.write_text(
        'name = "boston311"\nextends = "nyc311"\n' + order + "[columns]\n"
        'order_id = ["case_enquiry_id"]\nreceived_at = ["open_dt"]\nclosed_at = ["closed_dt"]\n'
        'status = ["case_status"]\nrequest_type = ["type"]\nclosure_reason = ["closure_reason"]\n'
        "[closure]\n"
        'void_reasons = { invalid = ["Case Invalid", "无效工单"], '
        'duplicate = ["Case Duplicate", "重复工单"] }\n',
        encoding="utf-8",
    )
    return path


def dmy_export(path: Path, n: int = 93) -> tuple[Path, list[dt.datetime], list[dt.datetime]]:
    """A day-month-year January export; returns it with the times it states, computed here."""
    rng = random.Random(12)
    opened, closed, rows = [], [], [BOSTON]
    for i in range(n):
        start = dt.datetime(2022, 1, 1) + dt.timedelta(minutes=rng.randrange(30 * 24 * 60))
        end = start + dt.timedelta(minutes=rng.randrange(10, 48 * 60))
        opened.append(start)
        closed.append(end)
        rows.append(
            [
                str(101000 + i),
                start.strftime("%d/%m/%Y %H:%M"),
                end.strftime("%d/%m/%Y %H:%M"),
                "Closed",
                "Case Resolved. Done",
                "Pothole",
            ]
        )
    return write_csv(path, rows), opened, closed


def test_a_dmy_export_through_a_profile_extending_nyc311_stops_naming_the_column(
    tmp_path: Path,
) -> None:
    # The acceptance case: mdy declared (inherited), 21/01/2022 in the column: never swapped.
    export, opened, _ = dmy_export(tmp_path / "boston.csv")
    days_over_12 = sum(t.day > 12 for t in opened)
    assert days_over_12  # the export holds the evidence
    with pytest.raises(InputError) as stopped:
        read_export(export, profile=boston_profile(tmp_path))
    message = str(stopped.value)
    assert message.startswith("boston.csv, column 'open_dt': ")
    assert 'set date_order = "dmy" in the profile' in message
    first = next(t for t in opened if t.day > 12).strftime("%d/%m/%Y %H:%M")
    assert repr(first) in message and f"({days_over_12} of 93 values)" in message


@pytest.mark.parametrize("order", ["dmy", "auto"])
def test_the_same_export_reads_every_date_right_once_the_order_is_declared(
    tmp_path: Path, order: str
) -> None:
    export, opened, closed = dmy_export(tmp_path / "boston.csv")
    df = read_export(export, profile=boston_profile(tmp_path, date_order=order))
    df = df.sort_values("order_id")
    assert df["received_at"].dt.to_pydatetime().tolist() == opened
    assert df["closed_at"].dt.to_pydatetime().tolist() == closed


def test_an_ambiguous_column_takes_its_siblings_order_and_the_account_says_so(
    tmp_path: Path,
) -> None:
    rows = [
        BOSTON,
        ["1", "21/01/2022 10:15", "03/02/2022 11:00", "Closed", "", "Pothole"],
        ["2", "05/01/2022 12:00", "06/01/2022 12:00", "Closed", "", "Pothole"],
    ]
    export = write_csv(tmp_path / "b.csv", rows)
    df = read_export(export, profile=boston_profile(tmp_path, date_order="auto"))
    assert df["closed_at"].tolist() == [dt.datetime(2022, 2, 3, 11), dt.datetime(2022, 1, 6, 12)]
    fact = df.attrs["ingest"]["quality"]["date_order_assumed"]
    assert fact["count"] == 2 and fact["rows"] == [2, 3]
    assert fact["by_column"] == {"closed_dt 按日/月/年（依「open_dt」列）": 2}


def test_an_ambiguous_only_file_uses_the_declared_order_and_says_so(tmp_path: Path) -> None:
    rows = [BOSTON, ["1", "03/01/2022 10:15", "", "Open", "", "Pothole"]]
    export = write_csv(tmp_path / "b.csv", rows)
    df = read_export(export, profile=boston_profile(tmp_path))  # mdy, from nyc311
    assert df["received_at"].tolist() == [dt.datetime(2022, 3, 1, 10, 15)]
    fact = df.attrs["ingest"]["quality"]["date_order_assumed"]
    assert fact["by_column"] == {"open_dt 按月/日/年（依配置声明）": 1}
    with pytest.raises(InputError, match=r'open_dt.*set date_order = "dmy" or "mdy"'):
        read_export(export, profile=boston_profile(tmp_path, date_order="auto"))


def test_a_column_in_both_orders_stops(tmp_path: Path) -> None:
    rows = [
        BOSTON,
        ["1", "21/01/2022 10:15", "", "Open", "", "Pothole"],
        ["2", "01/22/2022 10:15", "", "Open", "", "Pothole"],
    ]
    export = write_csv(tmp_path / "b.csv", rows)
    with pytest.raises(InputError, match=r"'21/01/2022 10:15'.*'01/22/2022 10:15'"):
        read_export(export, profile=boston_profile(tmp_path, date_order="dmy"))


def test_closure_reasons_void_requests_whatever_their_status(tmp_path: Path) -> None:
    rows = [
        BOSTON,
        ["1", "03/01/2022 08:00", "04/01/2022 09:30", "Closed", "Case Resolved. Filled", "Pothole"],
        ["2", "21/01/2022 10:15", "22/01/2022 11:00", "Closed", "Case Invalid. Not found", "x"],
        ["3", "05/01/2022 12:00", "", "Open", "", "Graffiti"],
        ["4", "15/01/2022 07:45", "15/01/2022 08:45", "Closed", "CASE  duplicate of 1", "x"],
        ["5", "16/01/2022 07:45", "", "Open", "Case Duplicate", "x"],
    ]
    export = write_csv(tmp_path / "b.csv", rows)
    result = ingest(
        [export], profile=boston_profile(tmp_path, date_order="dmy"), write=False, progress=False
    )
    table = result.table.sort_by("order_id")
    statuses = [str(s) for s in table.column("status").to_pylist()]
    assert statuses == ["closed", "invalid", "received", "duplicate", "duplicate"]
    assert table.column("status_raw").to_pylist()[1] == "Closed"  # the export's word is kept
    fact = result.reports[0].quality["void_by_reason"]
    assert fact.to_dict() == {
        "count": 3,
        "rows": [3, 5, 6],
        "by_status": {"duplicate": 2, "invalid": 1},
    }
    assert "close_date_not_closed" not in result.reports[0].quality
    assert FACTS["void_by_reason"].title_en in result.account()  # English for a 311 export


#: (closure reason, the status the request gets through boston_profile's void_reasons).
REASONS = [
    ("Case Invalid. Not found", "invalid"),
    ("Case Closed. Case Invalid. Outside city", "invalid"),
    ("case   INVALID", "invalid"),
    ("Ｃａｓｅ Ｄｕｐｌｉｃａｔｅ", "duplicate"),
    ("Case Closed. Case Duplicate of 101", "duplicate"),
    ("Case Resolved. This is not a Case Duplicate", "closed"),
    ("Case Noted. No case duplicate found", "closed"),
    ("Case Invalidated by supervisor, reopened and fixed", "closed"),
    ("Showcase Duplicate display", "closed"),
    ("Case Resolved", "closed"),
    ("", "closed"),
    ("Cannot be a Case Duplicate", "closed"),
    ("Neither Case Duplicate nor Case Invalid", "closed"),
    ("Case Duplicate. Caller can't be reached", "duplicate"),
    ("重复工单", "duplicate"),
    ("系统判定：重复工单", "duplicate"),
    ("无人接听，重复工单", "duplicate"),
    ("非重复工单", "closed"),
    ("不是重复工单", "closed"),
    ("不能认定为重复工单", "closed"),
    ("未被认定为重复工单", "closed"),
    ("不予认定重复工单", "closed"),
    ("排除重复工单", "closed"),
    ("经核实不属于无效工单", "closed"),
    ("未接通。重复工单", "duplicate"),
]


@pytest.mark.parametrize(("reason", "status"), REASONS)
def test_a_void_phrase_counts_only_where_the_reason_states_it(
    tmp_path: Path, reason: str, status: str
) -> None:
    rows = [BOSTON, ["1", "21/01/2022 10:15", "22/01/2022 11:00", "Closed", reason, "x"]]
    df = read_export(
        write_csv(tmp_path / "b.csv", rows), profile=boston_profile(tmp_path, date_order="dmy")
    )
    assert df["status"].tolist() == [status]


def test_a_request_its_status_voids_is_not_voided_again_by_its_reason(tmp_path: Path) -> None:
    rows = [BOSTON]
    reasons = [("Closed", "Case Duplicate"), ("Duplicate", "Case Duplicate"), ("Closed", "x")]
    for i, (status, reason) in enumerate(reasons):
        rows.append([str(i), "21/01/2022 10:15", "22/01/2022 11:00", status, reason, "x"])
    profile = boston_profile(tmp_path, date_order="dmy")
    text = profile.read_text("utf-8") + '[vocabulary.status]\nduplicate = ["Duplicate"]\n'
    profile.write_text(text, encoding="utf-8")
    result = ingest(
        [write_csv(tmp_path / "b.csv", rows)], profile=profile, write=False, progress=False
    )
    statuses = result.table.sort_by("order_id").column("status").to_pylist()
    assert [str(s) for s in statuses] == ["duplicate", "duplicate", "closed"]
    quality = result.reports[0].quality
    assert quality["void_by_reason"].count == 1  # the status had voided the second already
    assert "close_date_not_closed" not in quality  # a duplicate's close time is no fault


#: Cells after the date that must not reach an error message (phones, IDs, names).
PRIVATE_TAILS = ["13812345678", "110101199003074578", "张伟", "电话138-1234-5678"]


@pytest.mark.parametrize("tail", PRIVATE_TAILS)
def test_a_date_order_error_shows_the_date_never_what_follows_it(tmp_path: Path, tail: str) -> None:
    rows = [BOSTON, ["1", f"21/01/2022 {tail}", "", "Open", "", "x"]]
    with pytest.raises(InputError) as stopped:
        read_export(write_csv(tmp_path / "b.csv", rows), profile=boston_profile(tmp_path))
    message = str(stopped.value)
    assert "'21/01/2022 ‹" in message and "个字符，已隐藏›'" in message
    assert tail not in message and tail[-4:] not in message


def test_without_a_closure_reason_column_nothing_is_voided(tmp_path: Path) -> None:
    rows = [BOSTON[:4], ["1", "21/01/2022 10:15", "22/01/2022 11:00", "Closed"]]
    df = read_export(
        write_csv(tmp_path / "b.csv", rows), profile=boston_profile(tmp_path, date_order="dmy")
    )
    assert df["status"].tolist() == ["closed"]
    assert "void_by_reason" not in df.attrs["ingest"]["quality"]


def _tied_vendors(folder: Path) -> Path:
    """Two user profiles alike but for the date order: detection ties on any header."""
    folder.mkdir()
    for name, order in (("a_vendor", "mdy"), ("b_vendor", "dmy")):
        (folder / f"{name}.toml").write_text(
            f'name = "{name}"\nextends = "nyc311"\ndate_order = "{order}"\n'
            '[columns]\norder_id = ["Ticket"]\n',
            encoding="utf-8",
        )
    return folder


def test_a_detection_tie_goes_to_the_profile_that_accepts_the_rows(tmp_path: Path) -> None:
    folder = _tied_vendors(tmp_path / "profiles")
    rows = [["Ticket", "Created Date"], ["T1", "21/01/2022"], ["T2", "03/01/2022"]]
    csv = write_csv(tmp_path / "t.csv", rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PROFILES_DIR", str(folder))
        result = ingest([csv], write=False, progress=False)
    report = result.reports[0]
    assert report.profile == "b_vendor"  # a_vendor is first by name but reads no row
    assert report.profile_scores["a_vendor"] == report.profile_scores["b_vendor"]
    assert report.profile_rows == {"a_vendor": 0, "b_vendor": 2}
    assert report.written == 2
    account = render_account(result.reports, result.totals, {"311": 2}, lang="zh")
    assert "表头并列，按可读入的行数选定：a\\_vendor 0 行，b\\_vendor 2 行" in account
    english = render_account(result.reports, result.totals, {"311": 2})  # the profiles' language
    assert "chosen by the rows each reads: a\\_vendor 0 rows, b\\_vendor 2 rows" in english


def test_a_tie_is_decided_by_an_optional_date_column_too(tmp_path: Path) -> None:
    # Created Date is ambiguous throughout; only Closed Date (not required) proves the order.
    folder = _tied_vendors(tmp_path / "profiles")
    rows = [
        ["Ticket", "Created Date", "Closed Date"],
        ["T1", "03/01/2022 10:00", "25/01/2022 10:00"],
        ["T2", "04/01/2022 10:00", ""],
    ]
    csv = write_csv(tmp_path / "t.csv", rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PROFILES_DIR", str(folder))
        result = ingest([csv], write=False, progress=False)
    report = result.reports[0]
    assert report.profile == "b_vendor" and report.profile_rows == {"a_vendor": 0, "b_vendor": 2}
    received = sorted(result.table.column("received_at").to_pylist())
    assert [(t.month, t.day) for t in received] == [(1, 3), (1, 4)]


def test_a_file_whose_every_row_is_rejected_stops_and_writes_nothing(tmp_path: Path) -> None:
    rows = [["Unique Key", "Created Date", "Status"], ["1", "soon", "Closed"], ["2", "", "Open"]]
    csv = write_csv(tmp_path / "bad.csv", rows)
    out = tmp_path / "out"
    with pytest.raises(InputError) as stopped:
        ingest([csv], out=out, progress=False)
    message = str(stopped.value)
    assert message.startswith("bad.csv: all 2 rows rejected, none written: ")
    assert "1 unparseable_received_at" in message or "1 missing_received_at" in message
    assert not out.exists()


def test_a_file_with_one_usable_row_is_written(tmp_path: Path) -> None:
    rows = [
        ["Unique Key", "Created Date", "Status"],
        ["1", "soon", "Closed"],
        ["2", "1/5/2022", ""],
    ]
    result = ingest([write_csv(tmp_path / "ok.csv", rows)], write=False, progress=False)
    assert result.reports[0].written == 1 and result.reports[0].rejected_total == 1


# Chicago's DUPLICATE column and its kin: each spelling of yes voids, each of no (or blank)
# keeps the request as its status says.
DUPLICATE_FLAGS = [
    ("true", "duplicate"),
    ("TRUE", "duplicate"),
    ("Yes", "duplicate"),
    ("Y", "duplicate"),
    ("1", "duplicate"),
    ("是", "duplicate"),
    ("false", "closed"),
    ("No", "closed"),
    ("0", "closed"),
    ("", "closed"),
]


@pytest.mark.parametrize(("flag", "status"), DUPLICATE_FLAGS)
def test_a_duplicate_flag_column_voids_the_requests_it_marks(
    tmp_path: Path, flag: str, status: str
) -> None:
    profile = tmp_path / "chicago.toml"
    profile.write_text(
        'name = "chicago"\nextends = "nyc311"\n[columns]\norder_id = ["SR_NUMBER"]\n'
        'received_at = ["CREATED_DATE"]\nstatus = ["STATUS"]\nis_duplicate = ["DUPLICATE"]\n'
        '[vocabulary.status]\nclosed = ["Completed"]\n',
        encoding="utf-8",
    )
    rows = [
        ["SR_NUMBER", "CREATED_DATE", "STATUS", "DUPLICATE"],
        ["SR1", "03/14/2023 05:32:00 PM", "Completed", "false"],
        ["SR2", "03/15/2023 09:00:00 AM", "Completed", flag],
    ]
    export = write_csv(tmp_path / "chicago.csv", rows)
    result = ingest([export], profile=profile, write=False, progress=False)
    table = result.table.sort_by("order_id")
    assert [str(s) for s in table.column("status").to_pylist()] == ["closed", status]
    assert table.column("status_raw").to_pylist() == ["Completed", "Completed"]
    voided = result.reports[0].quality.get("void_by_flag")
    if status == "duplicate":
        assert voided is not None and voided.to_dict() == {
            "count": 1,
            "rows": [3],
            "by_status": {"duplicate": 1},
        }
        assert FACTS["void_by_flag"].title_en in result.account()  # English for a 311 export
    else:
        assert voided is None
