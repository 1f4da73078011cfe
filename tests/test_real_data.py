"""The real 2020 泰迪杯 online-message files ingest as their SOURCE.md notes describe them."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import shared_path
from hotline import read_export, rules
from hotline.errors import InputError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def replies():
    return read_export(shared_path("data", "real", "taidi2020c-full", "附件4.xlsx"))


def test_full_reply_file_reads_every_message(replies) -> None:
    account = replies.attrs["ingest"]
    assert (account["rows_in"], account["written"], account["rejected"], account["merged"]) == (
        2816,
        2816,
        {},
        {},
    )
    assert account["profile"] == "online" and account["unparseable"] == {}
    assert replies["order_id"].is_unique
    assert replies["received_at"].min() == dt.datetime(2011, 4, 2, 18, 0, 54)


def test_the_one_real_excel_datetime_and_the_date_only_reply(replies) -> None:
    by_id = replies.set_index("order_id")
    assert by_id.loc["2759", "received_at"] == dt.datetime(2019, 4, 8, 8, 37, 20)
    assert by_id.loc["2759", "source_row"] == 7  # cell D7 in the SOURCE.md notes
    assert by_id.loc["27610", "replied_at"] == dt.datetime(2018, 4, 24)


def test_every_message_has_a_reply_so_every_one_is_closed(replies) -> None:
    assert rules.accepted(replies).sum() == rules.closed(replies).sum() == 2816
    latency = replies["replied_at"] - replies["received_at"]
    assert dt.timedelta(minutes=30) <= latency.min() < dt.timedelta(minutes=31)  # "min 30 min"
    assert dt.timedelta(days=11) <= latency.median() <= dt.timedelta(days=11.5)  # "≈11.2 days"
    assert (latency >= dt.timedelta(0)).all()  # "0 negative"


def test_scraped_whitespace_is_gone_and_users_become_keys(replies) -> None:
    assert not replies["content"].str.startswith(("\n", "\t", " ")).any()
    assert not replies["content"].str.contains("\u3000|\u00a0").any()
    assert replies["caller_key"].nunique() == 2559
    assert not replies["reply"].str.contains(r"U{1,2}0\d{5}").any()  # the user id inside replies


def test_sample_labelled_file_with_huge_used_range_and_a_duplicate_id() -> None:
    df = read_export(shared_path("data", "real", "taidi2020c-sample", "附件2.xlsx"))
    account = df.attrs["ingest"]
    assert (account["rows_in"], account["written"], account["merged"]) == (
        495,
        494,
        {"duplicate": 1},
    )
    assert account["columns"]["topic"] == "一级分类"
    assert df["topic"].value_counts()["劳动和社会保障"] in (103, 104)
    assert df["status"].isna().all()  # no reply, no status in this file: closure is unknown


def test_taxonomy_file_is_not_an_export() -> None:
    with pytest.raises(InputError, match=r"required fields not found: order_id .* received_at"):
        read_export(shared_path("data", "real", "taidi2020c-full", "附件1.xlsx"))


# --- every real file: the profile chosen, the account balanced ----------------------------------

REAL = [
    # (folder, file, profile auto-chosen, rows in SOURCE.md, merged as duplicates)
    ("la311-hackforla", "MyLA311_Service_Request_Data_2017_Subset.csv", "la311", 9999, 0),
    ("la311-hackforla", "requests.csv", "la311", 10000, 0),
    ("nyc311-pyboot", "311_Service_Requests_from_2010_to_Present.csv", "nyc311", 924, 0),
    ("nyc311-socrata-api", "311_Service_Requests.csv", "nyc311", 1000, 0),
    ("nyc311-socrata-api", "311_Service_Requests.json", "nyc311", 1000, 0),
    ("nyc311-socrata-api", "YangziXinJas/311_Service_Requests.csv", "nyc311", 1000, 0),
    ("open311-georeport", "bloomington_requests.json", "open311", 21, 0),
    ("open311-georeport", "service_requests.json", "open311", 2, 0),
    ("taidi2020c-full", "附件4.xlsx", "online", 2816, 0),
    ("taidi2020c-sample", "附件2.xlsx", "online", 495, 1),  # "DUPLICATE ID: 37042 appears twice"
    ("taidi2020c-sample", "附件3.xlsx", "online", 30, 0),
    ("taidi2020c-sample", "附件4.xlsx", "online", 120, 0),
]


@pytest.mark.parametrize(("folder", "file", "profile", "rows", "merged"), REAL)
def test_every_real_file_ingests_with_the_right_profile_and_a_balanced_account(
    folder: str, file: str, profile: str, rows: int, merged: int
) -> None:
    from hotline import ingest

    result = ingest(
        [shared_path("data", "real", folder, *file.split("/"))], write=False, progress=False
    )
    print(result.account())  # the account, as `hotline ingest` prints it
    report = result.reports[0]
    assert report.profile == profile and report.profile_rule == "auto"
    assert report.profile_scores[profile] == max(report.profile_scores.values())
    assert (report.rows_in, report.merged_total, report.rejected) == (rows, merged, {})
    assert report.rows_in == report.written + report.merged_total + report.rejected_total
    assert result.totals.balanced and report.unparseable == {}


def real(folder: str, *file: str):
    return read_export(shared_path("data", "real", folder, *file))


@pytest.fixture(scope="module")
def la2017():
    return real("la311-hackforla", "MyLA311_Service_Request_Data_2017_Subset.csv")


@pytest.fixture(scope="module")
def la2020():
    return real("la311-hackforla", "requests.csv")


def counts(series) -> dict:
    return {k: v for k, v in series.value_counts().items() if v}


def test_la_2017_statuses_channels_and_types(la2017) -> None:
    # SOURCE.md: "Status: Closed 9,739, Cancelled 246, Referred Out 9, Open 5"
    assert counts(la2017["status"]) == {
        "closed": 9739,
        "cancelled": 246,
        "referred_out": 9,
        "received": 5,
    }
    # "RequestSource: Call 4,188, Mobile App 2,131, Driver Self Report 2,019, Self Service 1,621,
    # Email 33, Council's Office 5, Voicemail 1, Walk-in 1" (Call and Voicemail are phone)
    assert counts(la2017["channel"]) == {
        "phone": 4188 + 1,
        "app": 2131,
        "grid": 2019,
        "web": 1621,
        "email": 33,
        "transfer": 5,
        "walk_in": 1,
    }
    top = la2017["topic"].value_counts()
    assert (top["Bulky Items"], top["Graffiti Removal"], top["Illegal Dumping Pickup"]) == (
        4432,
        2863,
        800,
    )
    assert la2017["order_id"].is_unique and la2017["department"].notna().all()
    assert la2017.attrs["manifest"]["timezone"] == "America/Los_Angeles"
    assert la2017.attrs["manifest"]["language"] == "en"


def test_la_2017_close_dates_are_counted_against_status(la2017) -> None:
    quality = la2017.attrs["ingest"]["quality"]
    # "12 rows ClosedDate < CreatedDate because ClosedDate is a date-only midnight on the same day"
    assert quality["closed_before_received"]["count"] == 12
    assert quality["closed_before_received"]["date_only_same_day"] == 12
    assert quality["zero_duration"]["count"] == 1490  # "1,490 rows ClosedDate == CreatedDate"
    # "255 rows with a ClosedDate although Status ≠ Closed (mostly Cancelled)": a cancelled
    # request is closed by being voided, Referred Out by referral: neither date contradicts
    referred = int((la2017["status"] == "referred_out").sum())
    dated = la2017["closed_at"].notna()
    cancelled = int(((la2017["status"] == "cancelled") & dated).sum())
    assert cancelled + referred == 255 and "close_date_not_closed" not in quality
    assert int(la2017["closed_at"].isna().sum()) == 5  # "ClosedDate empty 5"
    assert rules.closed(la2017).sum() == 9739 + referred  # closed by status, not by date
    span = la2017["received_at"].agg(["min", "max"]).tolist()
    assert [t.strftime("%Y-%m-%d %H:%M") for t in span] == ["2017-12-27 13:36", "2017-12-31 23:59"]
    hours = (la2017["closed_at"] - la2017["received_at"]).median() / dt.timedelta(hours=1)
    assert 98 <= hours <= 100  # "Median created→closed ≈ 99 h"


def test_la_2020_excel_round_trip(la2020) -> None:
    # "Status: Closed 9,723, Cancelled 244, Open 16, Pending 15, Referred Out 2"
    assert counts(la2020["status"]) == {
        "closed": 9723,
        "cancelled": 244,
        "received": 16 + 15,
        "referred_out": 2,
    }
    quality = la2020.attrs["ingest"]["quality"]
    assert quality["closed_without_close_date"]["count"] == 18  # "18 rows Status=Closed but no …"
    referred = int((la2020["status"] == "referred_out").sum())
    # "246 rows have closeddate with non-Closed status": cancelled (void) or referred out
    cancelled = int(((la2020["status"] == "cancelled") & la2020["closed_at"].notna()).sum())
    assert cancelled + referred == 246 and "close_date_not_closed" not in quality
    assert quality["zero_duration"]["count"] == 19  # "19 rows closed == created"
    assert "closed_before_received" not in quality
    assert int(la2020["closed_at"].isna().sum()) == 49  # "closeddate empty 49"
    span = la2020["received_at"].agg(["min", "max"]).tolist()
    assert span == [dt.datetime(2020, 1, 1, 0, 2), dt.datetime(2020, 1, 3, 14, 22)]
    hours = (la2020["closed_at"] - la2020["received_at"]).median() / dt.timedelta(hours=1)
    assert 46 <= hours <= 48  # "Median created→closed ≈ 47 h"


def test_nyc_portal_export() -> None:
    df = real("nyc311-pyboot", "311_Service_Requests_from_2010_to_Present.csv")
    # "Status: Closed 480, In Progress 440, Open 4"
    assert counts(df["status"]) == {"closed": 480, "in_progress": 440, "received": 4}
    # "Closed-date present ⇔ Status=Closed here (no contradictions)"
    quality = df.attrs["ingest"]["quality"]
    assert "close_date_not_closed" not in quality and "closed_without_close_date" not in quality
    assert int(df["closed_at"].isna().sum()) == 444 and df["due_at"].isna().all()
    agencies = df["department"].value_counts()
    assert (agencies["NYPD"], agencies["DSNY"], agencies["DOT"], agencies["DOHMH"]) == (
        885,
        10,
        10,
        8,
    )
    topics = df["topic"].value_counts()
    assert (topics["Noise - Residential"], topics["Noise - Street/Sidewalk"]) == (379, 159)
    assert df["order_id"].is_unique
    assert df["received_at"].min() == dt.datetime(2022, 5, 1, 0, 0, 3)
    assert df["received_at"].max() == dt.datetime(2022, 5, 1, 2, 6, 26)
    hours = (df["closed_at"] - df["received_at"]).median() / dt.timedelta(hours=1)
    assert 0.5 <= hours <= 0.6  # "Median created→closed ≈ 0.54 h"


def test_nyc_soda_json_and_csv_hold_the_same_records() -> None:
    from_json = real("nyc311-socrata-api", "311_Service_Requests.json")
    from_csv = real("nyc311-socrata-api", "311_Service_Requests.csv")
    # "Status: Closed 677, In Progress 293, Open 29, Assigned 1"
    expected = {"closed": 677, "in_progress": 293, "received": 29, "dispatched": 1}
    # "Channel: ONLINE 392, MOBILE 301, PHONE 293, UNKNOWN 14" (UNKNOWN: not stated)
    channels = {"web": 392, "app": 301, "phone": 293}
    keep = ["order_id", "received_at", "closed_at", "status", "channel", "topic", "town", "reply"]
    for df in (from_json, from_csv):
        assert counts(df["status"]) == expected and counts(df["channel"]) == channels
        assert int(df["channel"].isna().sum()) == 14
        assert int(df["closed_at"].isna().sum()) == 323  # "closed_date empty 323"
        assert int(df["due_at"].notna().sum()) == 1  # "due_date empty 999"
        assert df["received_at"].min().strftime("%Y-%m-%d %H:%M") == "2024-05-26 23:10"
        assert df["received_at"].max().strftime("%Y-%m-%d %H:%M") == "2024-05-27 02:08"
    left = from_json[keep].sort_values("order_id").reset_index(drop=True)
    right = from_csv[keep].sort_values("order_id").reset_index(drop=True)
    assert left.equals(right)


def test_nyc_soda_csv_with_multi_line_fields() -> None:
    df = real("nyc311-socrata-api", "YangziXinJas", "311_Service_Requests.csv")
    # "Status: Open 424, Closed 293, In Progress 277, Assigned 6"
    assert counts(df["status"]) == {
        "received": 424,
        "closed": 293,
        "in_progress": 277,
        "dispatched": 6,
    }
    quality = df.attrs["ingest"]["quality"]
    # "1 row Status=Closed with empty closed_date; 6 rows closed==created"
    assert quality["closed_without_close_date"]["count"] == 1
    assert quality["zero_duration"]["count"] == 6
    assert int(df["closed_at"].isna().sum()) == 708  # "closed_date empty 708"
    # "2,955 physical lines for 1,001 logical records": rows are the lines records start on
    assert df["source_row"].min() == 2 and df["source_row"].max() <= 2955
    assert df["source_row"].is_monotonic_increasing and df["source_row"].is_unique
    assert df["received_at"].min().strftime("%Y-%m-%d %H:%M") == "2024-04-15 22:51"
    assert df["received_at"].max().strftime("%Y-%m-%d %H:%M") == "2024-04-16 03:03"


def test_open311_bloomington() -> None:
    df = real("open311-georeport", "bloomington_requests.json")
    assert counts(df["status"]) == {"received": 18, "closed": 3}  # "open 18, closed 3"
    # "W3C with offset: 2012-05-23T15:55:28-04:00 (2012-05-22 … 05-23)"
    assert df.attrs["ingest"]["timezone"] == "UTC-04:00"
    assert df.attrs["ingest"]["offsets"] == {"-04:00": 21}
    assert df["received_at"].max() == dt.datetime(2012, 5, 23, 15, 55, 28)
    assert df["received_at"].min().date() == dt.date(2012, 5, 22)
    assert df["closed_at"].notna().sum() == 3  # the last update of each closed request
    assert (df["closed_at"] >= df["received_at"]).sum() == 3
    assert int(df["content"].isna().sum()) == 4  # "description 4" null or empty
    assert not df["content"].str.contains("\r", regex=False).any()  # "Descriptions contain \r\n"
    assert len(df["order_id"].iloc[0]) == 24  # "a 24-hex Mongo ObjectId"


def test_open311_chicago() -> None:
    df = real("open311-georeport", "service_requests.json")
    assert df.attrs["ingest"]["timezone"] == "UTC-05:00"
    assert sorted(df["order_id"]) == ["14-01100627", "14-01100669"]
    assert df["reply"].notna().sum() == 1  # "status_notes (only in one)"
    assert df["received_at"].max() == dt.datetime(2014, 7, 12, 10, 58, 43)
