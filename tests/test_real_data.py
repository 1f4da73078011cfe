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
    assert (df["status"] == "received").all()  # no reply in this file: nothing is closed


def test_taxonomy_file_is_not_an_export() -> None:
    with pytest.raises(InputError, match=r"required fields not found: order_id .* received_at"):
        read_export(shared_path("data", "real", "taidi2020c-full", "附件1.xlsx"))
