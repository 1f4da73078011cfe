"""Whether the data cover a period: the rule behind 不完整期间 and 没有受理记录 in the reports."""

from __future__ import annotations

import pandas as pd
import pytest

from hotline.metrics import coverage


def _orders(*days: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [str(i) for i in range(len(days))],
            "source_kind": ["online"] * len(days),
            "received_at": pd.to_datetime(list(days)),
            "status": ["closed"] * len(days),
        }
    )


# (receipts, month asked, covered?, months said to have no receipts)
CASES = [
    # a sparse source: March's last receipt is on the 20th, but April's follow
    (("2021-02-27", "2021-03-01", "2021-03-20", "2021-04-15", "2021-07-30"), 3, True, None),
    # the data begin on 10 March: March is not covered
    (("2021-03-10", "2021-03-31", "2021-07-30"), 3, False, None),
    # the data end on 12 March
    (("2021-02-01", "2021-03-12"), 3, False, None),
    # within the slack at both ends
    (("2021-03-02", "2021-03-30"), 3, True, None),
    # no receipt at all in March while the data run on both sides
    (("2021-02-27", "2021-04-02"), 3, False, "2021-03"),
]


@pytest.mark.parametrize(("days", "month", "covered", "empty"), CASES)
def test_a_month_is_covered_when_the_data_reach_across_it(
    days: tuple[str, ...], month: int, covered: bool, empty: str | None
) -> None:
    row = coverage(_orders(*days), year=2021, month=month).iloc[0]
    assert bool(row["complete"]) is covered
    assert (None if pd.isna(row["empty_months"]) else row["empty_months"]) == empty
    assert pd.isna(row["text"]) is covered  # an uncovered period says what the data cover


def test_a_year_with_sparse_months_is_covered_and_names_its_empty_months() -> None:
    days = ["2021-01-01", "2021-01-20", "2021-04-05", "2021-12-30"]
    row = coverage(_orders(*days), year=2021).iloc[0]
    assert bool(row["complete"])
    listed = row["empty_months"].split("、")
    assert listed == [f"2021-{m:02d}" for m in (2, 3, 5, 6, 7, 8, 9, 10, 11)]
