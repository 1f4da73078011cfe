"""311 and Open311 profiles: header, date, status and channel forms; detection; zones; facts."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

from exports import write_csv
from hotline import ingest, read_export, rules
from hotline.errors import HotlineError, InputError, MappingError
from hotline.ingestion.dates import parse_datetimes
from hotline.profiles import builtin, find_profile, load_profile
from hotline.profiles.zones import tzinfo_of, zone_fitting_offsets

NYC_PORTAL = [
    "Unique Key",
    "Created Date",
    "Closed Date",
    "Agency",
    "Complaint Type",
    "Descriptor",
    "Status",
    "Resolution Description",
    "Borough",
    "Open Data Channel Type",
]
NYC_API = [h.lower().replace(" ", "_") for h in NYC_PORTAL]
LA_PORTAL = ["SRNumber", "CreatedDate", "ClosedDate", "Owner", "RequestType", "Status"]
LA_EXCEL = [h.lower() for h in LA_PORTAL] + ["requestsource", "ncname"]
OPEN311 = ["service_request_id", "requested_datetime", "updated_datetime", "status"]


def nyc_row(key: str, created: str, closed: str = "", status: str = "Closed", **more: str):
    """One NYC portal row; ``more`` overrides cells by header (spaces as underscores)."""
    row = dict.fromkeys(NYC_PORTAL, "")
    row.update(
        {
            "Unique Key": key,
            "Created Date": created,
            "Closed Date": closed,
            "Agency": "NYPD",
            "Complaint Type": "Noise - Residential",
            "Status": status,
            "Borough": "BRONX",
            "Open Data Channel Type": "PHONE",
        }
    )
    row.update({k.replace("_", " "): v for k, v in more.items()})
    return [row[h] for h in NYC_PORTAL]


def nyc_csv(tmp_path: Path, rows: list[list[str]], name: str = "nyc.csv") -> Path:
    return write_csv(tmp_path / name, [NYC_PORTAL, *rows])


def open311_json(tmp_path: Path, records: object, name: str = "requests.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


# --- headers and detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (NYC_PORTAL, "nyc311"),
        (NYC_API, "nyc311"),
        ([h.upper() for h in NYC_PORTAL], "nyc311"),
        (LA_PORTAL, "la311"),
        (LA_EXCEL, "la311"),
        (OPEN311, "open311"),
        (["工单编号", "受理时间", "办理状态"], "hotline"),
        (["留言编号", "留言时间", "留言详情"], "online"),
    ],
)
def test_auto_detection_picks_the_profile_with_the_best_complete_match(
    tmp_path: Path, headers: list[str], expected: str
) -> None:
    row = ["1", "2021-03-05T10:00:00-05:00"] + [""] * (len(headers) - 2)
    df = read_export(write_csv(tmp_path / "x.csv", [headers, row]))
    account = df.attrs["ingest"]
    assert account["profile"] == expected and account["profile_rule"] == "auto"
    scores = account["profile_scores"]
    assert scores[expected] == max(scores.values())  # the reason for the choice is recorded


def test_portal_and_api_headers_feed_the_same_fields() -> None:
    profile = builtin("nyc311")
    portal = profile.match_headers(NYC_PORTAL).fields
    api = profile.match_headers(NYC_API).fields
    assert portal == api and {"order_id", "received_at", "closed_at", "town"} <= set(portal)


def test_a_tie_goes_to_the_profile_listed_first(tmp_path: Path) -> None:
    # "Status" and an id/date pair both user profiles know equally: the earlier file wins.
    folder = tmp_path / "profiles"
    folder.mkdir()
    for name in ("b_vendor", "a_vendor"):
        (folder / f"{name}.toml").write_text(
            f'name = "{name}"\nextends = "nyc311"\n[columns]\norder_id = ["Ticket"]\n',
            encoding="utf-8",
        )
    csv = write_csv(tmp_path / "t.csv", [["Ticket", "Created Date"], ["T1", "2021-03-05"]])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTLINE_PROFILES_DIR", str(folder))
        account = read_export(csv).attrs["ingest"]
    assert account["profile"] == "a_vendor"
    assert account["profile_scores"]["a_vendor"] == account["profile_scores"]["b_vendor"]


def test_a_forced_profile_is_used_and_said_to_be_forced(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "la.csv", [LA_PORTAL, ["1-1", "12/31/2017 11:59:58 PM"] + [""] * 4])
    assert read_export(csv, profile="la311").attrs["ingest"]["profile_rule"] == "forced"
    with pytest.raises(InputError, match="required fields not found: order_id"):
        read_export(csv, profile="nyc311")


def test_a_user_profile_file_is_read_by_path(tmp_path: Path) -> None:
    profile = tmp_path / "acme311.toml"
    profile.write_text(
        'extends = "nyc311"\ntimezone = "America/Chicago"\n[columns]\norder_id = ["Ticket No"]\n'
        '[vocabulary.status]\nclosed = ["Done"]\n',
        encoding="utf-8",
    )
    csv = write_csv(
        tmp_path / "a.csv",
        [["Ticket No", "Created Date", "Status"], ["7", "03/05/2021 09:00:00 AM", "Done"]],
    )
    df = read_export(csv, profile=profile)
    assert df.attrs["ingest"]["profile"] == "acme311"
    assert df.attrs["manifest"]["timezone"] == "America/Chicago"
    assert df["status"].tolist() == ["closed"]
    assert find_profile(profile).kind == "311"  # inherited from nyc311


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('name = "x"\nkind = "311"\n', "description"),
        ('extends = "nyc311"\ncolour = "red"\n', "unknown key"),
        ('extends = "nyc311"\nkind = "police"\n', "kind = 'police'"),
        ('extends = "nyc311"\ntimezone = "Mars/Olympus"\n', "not an IANA time zone"),
        ('extends = "nyc311"\nlanguage = "fr"\n', "language = 'fr'"),
        ('extends = "nyc311"\n[closure]\nby = "date"\n', "by = 'date'"),
        ('extends = "nyc311"\n[vocabulary.status]\ndone = ["Done"]\n', "'done' is not a code"),
        ('extends = "nyc311"\n[columns]\nticket = "T"\n', "unknown field 'ticket'"),
        ('name = "nyc311"\nextends = "nyc311"\n', "built-in profile"),
        ('extends = "boston311"\n', "extends = 'boston311'"),
    ],
)
def test_bad_profile_files_say_what_is_wrong(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=complaint.replace("[", r"\[")):
        load_profile(path)


def test_unknown_profile_names_list_the_known_ones() -> None:
    with pytest.raises(MappingError, match="nyc311"):
        find_profile("boston")


# --- dates and zones ----------------------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


def _from_offset(text: str, zone: str) -> dt.datetime:
    """The wall-clock time in ``zone`` of a time written with an offset."""
    return dt.datetime.fromisoformat(text).astimezone(tzinfo_of(zone)).replace(tzinfo=None)


DATE_FORMS = [
    # (profile, as exported, stored wall-clock time)
    ("nyc311", "05/01/2022 12:00:03 AM", dt.datetime(2022, 5, 1, 0, 0, 3)),
    ("nyc311", "05/01/2022 12:30:00 PM", dt.datetime(2022, 5, 1, 12, 30)),
    ("nyc311", "05/01/2022 01:15:09 PM", dt.datetime(2022, 5, 1, 13, 15, 9)),
    ("nyc311", "2024-05-27T02:08:51.000", dt.datetime(2024, 5, 27, 2, 8, 51)),
    ("nyc311", "2024-05-27T02:08:51.250", dt.datetime(2024, 5, 27, 2, 8, 51, 250000)),
    (
        "nyc311",
        "2024-05-27T06:08:51Z",
        _from_offset("2024-05-27T06:08:51+00:00", "America/New_York"),
    ),
    (
        "nyc311",
        "2024-01-15T12:00:00Z",
        _from_offset("2024-01-15T12:00:00+00:00", "America/New_York"),
    ),
    (
        "nyc311",
        "2024-05-27T02:08:51-05:00",
        _from_offset("2024-05-27T02:08:51-05:00", "America/New_York"),
    ),
    ("la311", "12/31/2017 11:59:58 PM", dt.datetime(2017, 12, 31, 23, 59, 58)),
    ("la311", "12/30/2017 12:00:00 AM", dt.datetime(2017, 12, 30)),
    ("la311", "1/1/20 0:05", dt.datetime(2020, 1, 1, 0, 5)),
    ("la311", "12/31/19 23:59", dt.datetime(2019, 12, 31, 23, 59)),
    ("la311", "04/09/2018 09:25:28 AM", dt.datetime(2018, 4, 9, 9, 25, 28)),
]


@pytest.mark.parametrize(("profile", "text", "expected"), DATE_FORMS)
def test_each_profile_reads_its_date_forms(profile, text, expected) -> None:
    zone = builtin(profile).timezone
    parsed, bad = parse_datetimes(
        pa.array([text]), date_order=builtin(profile).date_order, timezone=zone
    )
    assert parsed[0].as_py() == expected and not bad.any()


#: Offsets at the edges of the real ones (UTC-12:00 to UTC+14:00) and past them.
OFFSETS = [
    ("2023-01-10T10:00:00+14:00", dt.datetime(2023, 1, 9, 15, 0)),
    ("2023-01-10T10:00:00-12:00", dt.datetime(2023, 1, 10, 17, 0)),
    ("2023-01-10T10:00:00+0545", dt.datetime(2023, 1, 9, 23, 15)),
    ("2023-01-10T10:00:00+24:00", None),
    ("2023-01-10T10:00:00+25:00", None),
    ("2023-01-10T10:00:00+15:00", None),
    ("2023-01-10T10:00:00-13:00", None),
    ("2023-01-10T10:00:00+08:60", None),
]


@pytest.mark.parametrize(("text", "expected"), OFFSETS)
def test_an_offset_no_zone_has_is_unparseable_never_shifted(
    text: str, expected: dt.datetime | None
) -> None:
    parsed, bad = parse_datetimes(pa.array([text]), date_order="ymd", timezone="America/New_York")
    assert parsed[0].as_py() == expected and bool(bad[0]) == (expected is None)


@pytest.mark.parametrize(
    "texts",
    [
        ["2012-05-23T15:55:28-04:00", "2012-05-22T08:00:00-04:00"],
        ["2014-07-12T10:58:43-05:00"],
        ["2012-05-23T15:55:28-04:00", "2012-05-23T15:55:28-04:00", "2012-11-05T09:00:00-05:00"],
        ["2020-03-01T12:00:00Z", "2020-03-01T13:00:00Z"],
    ],
)
def test_open311_takes_the_zone_from_the_offsets_and_converts_every_time(
    tmp_path: Path, texts: list[str]
) -> None:
    records = [
        {"service_request_id": str(i), "status": "open", "requested_datetime": t}
        for i, t in enumerate(texts)
    ]
    df = read_export(open311_json(tmp_path, records))
    offsets = Counter(t[19:] for t in texts)
    offset = sorted(offsets, key=lambda o: (-offsets[o], o))[0]
    zone = "UTC" if offset == "Z" else f"UTC{offset}"
    if len(set(offsets) - {"Z"}) > 1:  # summer and winter offsets: the zone whose rules fit
        zone = zone_fitting_offsets(pa.array(texts)).best or zone
    assert df.attrs["ingest"]["timezone"] == df.attrs["manifest"]["timezone"] == zone
    assert df.attrs["ingest"]["offsets"] == dict(offsets)
    expected = [_from_offset(t.replace("Z", "+00:00"), zone) for t in texts]
    assert df.sort_values("order_id")["received_at"].tolist() == expected


def test_winter_and_summer_offsets_keep_every_wall_clock_time(tmp_path: Path) -> None:
    texts = [
        f"2023-{m:02d}-10T10:00:00{'-05:00' if m in (1, 2, 3, 11, 12) else '-04:00'}"
        for m in range(1, 13)
    ]
    records = [
        {"service_request_id": str(i), "status": "open", "requested_datetime": t}
        for i, t in enumerate(texts)
    ]
    df = read_export(open311_json(tmp_path, records)).sort_values("received_at")
    assert df.attrs["ingest"]["timezone"] == "America/New_York"
    assert [t.hour for t in df["received_at"]] == [10] * 12  # as written, every month


def test_open311_without_any_offset_is_a_clear_error(tmp_path: Path) -> None:
    records = [{"service_request_id": "1", "status": "open", "requested_datetime": "2012-05-23"}]
    with pytest.raises(InputError, match="no received time states a UTC offset"):
        read_export(open311_json(tmp_path, records))


def test_files_of_different_zones_cannot_share_a_dataset(tmp_path: Path) -> None:
    nyc = nyc_csv(tmp_path, [nyc_row("1", "05/01/2022 12:00:03 AM")])
    la = write_csv(tmp_path / "la.csv", [LA_PORTAL, ["1-1", "12/31/2017 11:59:58 PM"] + [""] * 4])
    with pytest.raises(
        HotlineError, match=r"different time zones .*America/New_York.*America/Los_Angeles"
    ):
        ingest([nyc, la], write=False, progress=False)


def test_the_zone_and_language_are_recorded_for_each_file_and_the_dataset(tmp_path: Path) -> None:
    nyc = nyc_csv(tmp_path, [nyc_row("1", "05/01/2022 12:00:03 AM")])
    result = ingest([nyc], out=tmp_path / "out", progress=False)
    assert result.manifest["timezone"] == result.reports[0].timezone == "America/New_York"
    assert result.manifest["language"] == result.reports[0].language == "en"
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert saved["timezone"] == "America/New_York" and saved["profiles"] == ["nyc311"]


# --- statuses, channels, closure ----------------------------------------------------------------

STATUS_FORMS = [
    ("nyc311", "Closed", "closed"),
    ("nyc311", "Open", "received"),
    ("nyc311", "Pending", "received"),
    ("nyc311", "Assigned", "dispatched"),
    ("nyc311", "In Progress", "in_progress"),
    ("nyc311", "Started", "in_progress"),
    ("nyc311", "Email Sent", "in_progress"),
    ("nyc311", "Cancelled", "cancelled"),
    ("nyc311", "CLOSED", "closed"),
    ("nyc311", "Unspecified", None),
    ("la311", "Closed", "closed"),
    ("la311", "Open", "received"),
    ("la311", "Pending", "received"),
    ("la311", "Referred Out", "referred_out"),
    ("la311", "Cancelled", "cancelled"),
    ("open311", "closed", "closed"),
    ("open311", "open", "received"),
]


@pytest.mark.parametrize(("profile", "raw", "code"), STATUS_FORMS)
def test_each_profile_maps_its_statuses(profile: str, raw: str, code: str | None) -> None:
    found = builtin(profile).lookup("status", [raw])[0]
    assert (found or None) == code
    assert found is not None  # a known word, or one that states "not known": never unparseable


CHANNEL_FORMS = [
    ("nyc311", "PHONE", "phone"),
    ("nyc311", "ONLINE", "web"),
    ("nyc311", "MOBILE", "app"),
    ("nyc311", "OTHER", "other"),
    ("la311", "Call", "phone"),
    ("la311", "Voicemail", "phone"),
    ("la311", "Mobile App", "app"),
    ("la311", "Self Service", "web"),
    ("la311", "Driver Self Report", "grid"),
    ("la311", "Email", "email"),
    ("la311", "Council's Office", "transfer"),
    ("la311", "Walk-in", "walk_in"),
    ("la311", "Letter", "other"),
]


@pytest.mark.parametrize(("profile", "raw", "code"), CHANNEL_FORMS)
def test_each_profile_maps_its_channels(profile: str, raw: str, code: str) -> None:
    assert builtin(profile).lookup("channel", [raw]) == [code]


def test_not_stated_values_are_empty_but_not_unparseable(tmp_path: Path) -> None:
    rows = [
        nyc_row(
            "1", "05/01/2022 12:00:03 AM", Open_Data_Channel_Type="UNKNOWN", Borough="Unspecified"
        ),
        nyc_row("2", "05/01/2022 12:00:04 AM", Open_Data_Channel_Type="SMOKE SIGNAL"),
    ]
    df = read_export(nyc_csv(tmp_path, rows)).set_index("order_id")
    assert df["channel"].isna().all() and df.loc["2", "town"] == "BRONX"
    assert df["town"].isna().tolist() == [True, False]
    unparseable = df.attrs["ingest"]["unparseable"]
    assert list(unparseable) == ["Open Data Channel Type"]
    assert unparseable["Open Data Channel Type"]["count"] == 1


@pytest.mark.parametrize(
    ("status", "accepted", "closed"),
    [
        ("closed", True, True),
        ("referred_out", True, True),  # handed outside the city's system: closed by referral
        ("cancelled", False, False),  # void: not accepted
        ("received", True, False),
        ("in_progress", True, False),
    ],
)
def test_cancelled_is_void_and_referred_out_is_closed(
    status: str, accepted: bool, closed: bool
) -> None:
    import pandas as pd

    frame = pd.DataFrame({"source_kind": ["311"], "status": [status]})
    assert (rules.accepted(frame)[0], rules.closed(frame)[0]) == (accepted, closed)


def test_open311_closes_with_the_last_update_only_when_closed(tmp_path: Path) -> None:
    records = [
        {
            "service_request_id": "1",
            "status": "closed",
            "requested_datetime": "2012-05-22T08:00:00-04:00",
            "updated_datetime": "2012-05-23T09:30:00-04:00",
        },
        {
            "service_request_id": "2",
            "status": "open",
            "requested_datetime": "2012-05-22T08:00:00-04:00",
            "updated_datetime": "2012-05-23T09:30:00-04:00",
        },
    ]
    df = read_export(open311_json(tmp_path, records)).set_index("order_id")
    assert df.loc["1", "closed_at"] == _from_offset(records[0]["updated_datetime"], "UTC-04:00")
    assert pd_isna(df.loc["2", "closed_at"])
    assert "updated_at" not in df.columns


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


# --- JSON forms ---------------------------------------------------------------------------------

RECORD = {
    "service_request_id": "1",
    "status": "open",
    "requested_datetime": "2012-05-22T08:00:00-04:00",
}


@pytest.mark.parametrize(
    ("document", "written", "rejected"),
    [
        ([RECORD], 1, {}),
        ({"service_requests": [RECORD]}, 1, {}),
        (
            [RECORD, {**RECORD, "service_request_id": "2", "location": {"lat": 1, "long": [2]}}],
            2,
            {},
        ),
        (
            [
                RECORD,
                {k: v for k, v in RECORD.items() if k != "status"} | {"service_request_id": "3"},
            ],
            2,
            {},
        ),
        ([RECORD, 42], 1, {"malformed": 1}),
        ([RECORD, {**RECORD, "service_request_id": None}], 1, {"missing_order_id": 1}),
    ],
)
def test_json_forms(tmp_path: Path, document: object, written: int, rejected: dict) -> None:
    df = read_export(open311_json(tmp_path, document))
    account = df.attrs["ingest"]
    assert (account["written"], account["rejected"]) == (written, rejected)
    assert account["rows_in"] == written + sum(rejected.values())


@pytest.mark.parametrize(
    ("text", "complaint"),
    [("[{", "not valid JSON"), ('{"a": 1}', "no array of records"), ("", "empty")],
)
def test_broken_json_is_a_clear_error(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=complaint):
        read_export(path)


def test_omitted_keys_are_empty_cells_and_row_numbers_are_record_positions(tmp_path: Path) -> None:
    records = [RECORD, {**RECORD, "service_request_id": "2", "status_notes": "Locked"}]
    df = read_export(open311_json(tmp_path, records)).set_index("order_id")
    assert df["reply"].isna().tolist() == [True, False]
    assert df["source_row"].tolist() == [1, 2]


# --- data-quality facts -------------------------------------------------------------------------

CREATED = "01/02/2023 10:00:00 AM"
CASES = [
    # (label, created, closed, status, facts it should raise)
    ("normal", CREATED, "01/02/2023 12:00:00 PM", "Closed", ()),
    ("date on open", CREATED, "01/02/2023 12:00:00 PM", "Open", ("close_date_not_closed",)),
    # a void order (cancelled, duplicate) is closed by being voided: its close time is no fault
    ("date on cancelled", CREATED, "01/02/2023 12:00:00 PM", "Cancelled", ()),
    ("no date", CREATED, "", "Closed", ("closed_without_close_date",)),
    (
        "midnight",
        CREATED,
        "01/02/2023 12:00:00 AM",
        "Closed",
        ("closed_before_received", "same_day"),
    ),
    ("day before", CREATED, "01/01/2023 11:00:00 PM", "Closed", ("closed_before_received",)),
    ("zero", CREATED, CREATED, "Closed", ("zero_duration",)),
]


def test_close_contradictions_are_counted_not_fixed(tmp_path: Path) -> None:
    rows = [nyc_row(str(i), c, d, s) for i, (_, c, d, s, _) in enumerate(CASES)]
    df = read_export(nyc_csv(tmp_path, rows)).set_index("order_id")
    quality = df.attrs["ingest"]["quality"]
    expected = Counter(f for *_, found in CASES for f in found)
    same_day = expected.pop("same_day")
    # every day of the cases is 1-12: no cell decides the order, nyc311's month-day-year is used
    assumed = quality.pop("date_order_assumed")
    assert all(key.endswith("按月/日/年（依配置声明）") for key in assumed["by_column"])
    assert {name: fact["count"] for name, fact in quality.items()} == dict(expected)
    assert quality["closed_before_received"]["date_only_same_day"] == same_day
    assert quality["close_date_not_closed"]["by_status"] == {"received": 1}
    # nothing was changed: the statuses and close dates are as exported
    assert df.loc["1", "status"] == "received" and not pd_isna(df.loc["1", "closed_at"])
    assert pd_isna(df.loc["3", "closed_at"]) and df.loc["3", "status"] == "closed"
    # the first rows of each fact are file rows (the header is row 1)
    assert quality["zero_duration"]["rows"] == [2 + [c[0] for c in CASES].index("zero")]


def test_exact_duplicate_rows_are_merged_and_counted_apart_from_other_repeats(
    tmp_path: Path,
) -> None:
    first = nyc_row("1", CREATED, "01/02/2023 12:00:00 PM")
    rows = [first, first, first, nyc_row("2", CREATED), nyc_row("2", CREATED, status="Open")]
    df = read_export(nyc_csv(tmp_path, rows))
    account = df.attrs["ingest"]
    exact = sum(1 for i, row in enumerate(rows) if row in rows[:i])
    repeats = len(rows) - len({row[0] for row in rows})
    assert account["quality"]["exact_duplicate_rows"]["count"] == exact
    assert account["merged"] == {"duplicate": repeats}
    assert account["written"] == len({row[0] for row in rows})


@pytest.mark.parametrize(
    ("column", "text", "field"),
    [
        ("Resolution Description", "The CafÃ© was inspected", "reply"),
        ("Resolution Description", "donâ€™t park here", "reply"),
        ("Agency", "DSNY\ufffd", "department"),
        ("Complaint Type", "锟斤拷", "topic"),
    ],
)
def test_mojibake_is_reported_and_kept_as_is(
    tmp_path: Path, column: str, text: str, field: str
) -> None:
    rows = [nyc_row("1", CREATED), nyc_row("2", CREATED, **{column.replace(" ", "_"): text})]
    df = read_export(nyc_csv(tmp_path, rows)).set_index("order_id")
    fact = df.attrs["ingest"]["quality"]["mojibake"]
    assert fact["count"] == 1 and fact["by_column"] == {field: 1} and fact["rows"] == [3]
    assert df.loc["2", field] == text


def test_us_phone_numbers_in_311_text_are_scrubbed(tmp_path: Path) -> None:
    records = [
        {**RECORD, "description": "Call me at (812) 555-0123 or 812-555-0199, SSN 123-45-6789"}
    ]
    content = read_export(open311_json(tmp_path, records))["content"][0]
    assert content == "Call me at [phone] or [phone], SSN [SSN]"
