"""Day/month order decided by evidence: what a column proves, and what the ingest decides."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.errors import InputError
from hotline.ingestion.dates import infer_order, order_evidence, parse_datetimes, settle_orders

# (cells of one column, dmy-only, mdy-only, ambiguous, year-first)
EVIDENCE = [
    (["21/01/2022", "03/01/2022"], 1, 0, 1, 0),  # day > 12 first: day-month-year
    (["01/21/2022", "03/01/2022"], 0, 1, 1, 0),  # day > 12 second: month-day-year
    (["1/21/2022 2:08:51 PM", "12/31/2017 11:59:58 PM"], 0, 2, 0, 0),  # US 12-hour form
    (["03/04/2022", "12/12/2021 10:00"], 0, 0, 2, 0),  # ambiguous only
    (["2022-01-21", "2022/1/5 9:30", "2022年1月5日", "2022-01-05T10:00:00"], 0, 0, 0, 4),  # ISO…
    (["44580.5", "44580", "20220121"], 0, 0, 0, 0),  # Excel serial days, compact: no say
    (["２１／０１／２０２２", "０３/０１/２０２２"], 1, 0, 1, 0),  # full-width digits
    (["21.01.2022", "21-01-22", " 21 / 01 / 2022 "], 3, 0, 0, 0),  # other separators
    (["32/01/2022", "13/13/2022", "00/05/2022", "", None, "unknown"], 0, 0, 0, 0),  # impossible
]


@pytest.mark.parametrize(("cells", "dmy", "mdy", "ambiguous", "year_first"), EVIDENCE)
def test_a_column_proves_what_its_cells_allow(
    cells: list[str | None], dmy: int, mdy: int, ambiguous: int, year_first: int
) -> None:
    found = order_evidence(pa.array(cells, pa.string()))
    assert (found.dmy, found.mdy, int(found.ambiguous.sum()), found.year_first) == (
        dmy,
        mdy,
        ambiguous,
        year_first,
    )


def _columns(**cells: list[str]) -> dict:
    return {field: order_evidence(pa.array(values)) for field, values in cells.items()}


HEADERS = {"received_at": "open_dt", "closed_at": "closed_dt", "due_at": "target_dt"}

# (declared, columns, expected field -> (order, rule, basis))
SETTLED = [
    ("dmy", {"received_at": ["21/01/2022"]}, {"received_at": ("dmy", "evidence", None)}),
    ("mdy", {"received_at": ["01/21/2022"]}, {"received_at": ("mdy", "evidence", None)}),
    ("auto", {"received_at": ["21/01/2022"]}, {"received_at": ("dmy", "evidence", None)}),
    ("mdy", {"received_at": ["03/04/2022"]}, {"received_at": ("mdy", "declared", None)}),
    ("dmy", {"received_at": ["03/04/2022"]}, {"received_at": ("dmy", "declared", None)}),
    (
        "auto",
        {"received_at": ["21/01/2022"], "closed_at": ["03/04/2022"]},
        {"received_at": ("dmy", "evidence", None), "closed_at": ("dmy", "sibling", "open_dt")},
    ),
    (
        "mdy",
        {"received_at": ["03/04/2022"], "closed_at": ["03/14/2022"]},
        {"received_at": ("mdy", "sibling", "closed_dt"), "closed_at": ("mdy", "evidence", None)},
    ),
    # ISO and serial columns need no decision: the profile's order stands (auto: year first)
    ("mdy", {"received_at": ["2022-01-21T10:00:00"]}, {"received_at": ("mdy", "profile", None)}),
    ("auto", {"received_at": ["44580.5", ""]}, {"received_at": ("ymd", "profile", None)}),
]


@pytest.mark.parametrize(("declared", "cells", "expected"), SETTLED)
def test_each_column_gets_an_order_and_a_reason(
    declared: str, cells: dict[str, list[str]], expected: dict[str, tuple]
) -> None:
    chosen = settle_orders(_columns(**cells), declared, file="x.csv", headers=HEADERS)
    assert {f: (c.order, c.rule, c.basis) for f, c in chosen.items()} == expected
    assert {f: c.assumed for f, c in chosen.items()} == {
        f: rule in ("sibling", "declared") for f, (_, rule, _) in expected.items()
    }


# (declared, columns, words the one-line error must hold)
STOPS = [
    (  # contradiction: the file, the column, an example and the fix
        "mdy",
        {"received_at": ["03/01/2022", "21/01/2022 10:15"]},
        ["x.csv", "'open_dt'", "'21/01/2022 10:15'", 'set date_order = "dmy"', "--profile"],
    ),
    ("dmy", {"closed_at": ["01/21/2022"]}, ["'closed_dt'", "'01/21/2022'", 'date_order = "mdy"']),
    (  # one column in both orders: two examples
        "mdy",
        {"received_at": ["21/01/2022", "01/21/2022"]},
        ["'open_dt'", "both orders", "'21/01/2022'", "'01/21/2022'"],
    ),
    (  # auto with nothing to decide: asks the user to declare
        "auto",
        {"received_at": ["03/04/2022"]},
        ["'open_dt'", "'03/04/2022'", 'set date_order = "dmy" or "mdy"'],
    ),
    (  # auto with columns that disagree
        "auto",
        {"received_at": ["21/01/2022"], "closed_at": ["01/22/2022"]},
        ["disagree", "'open_dt'", "'closed_dt'"],
    ),
]


@pytest.mark.parametrize(("declared", "cells", "words"), STOPS)
def test_contradictions_stop_with_one_line_naming_the_column(
    declared: str, cells: dict[str, list[str]], words: list[str]
) -> None:
    with pytest.raises(InputError) as stopped:
        settle_orders(_columns(**cells), declared, file="x.csv", headers=HEADERS)
    message = str(stopped.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_iso_and_us_12_hour_forms_read_as_before() -> None:
    cells = pa.array(["2022-01-21T10:00:00", "1/21/2022 2:08:51 PM"])
    parsed, bad = parse_datetimes(cells, date_order="mdy")
    assert parsed.to_pylist() == [dt.datetime(2022, 1, 21, 10), dt.datetime(2022, 1, 21, 14, 8, 51)]
    assert not bad.any()


def test_auto_reads_the_order_the_column_proves() -> None:
    parsed, bad = parse_datetimes(pa.array(["21/01/2022", "03/01/2022"]), date_order="auto")
    assert parsed.to_pylist() == [dt.datetime(2022, 1, 21), dt.datetime(2022, 1, 3)]
    assert not bad.any()


FORMS = {
    "ymd": "{y:04d}-{m:02d}-{d:02d} {H:02d}:{M:02d}",
    "mdy": "{m}/{d}/{y:04d} {H}:{M:02d}",
    "dmy": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
}


@settings(max_examples=60, deadline=None)
@given(
    order=st.sampled_from(sorted(FORMS)),
    days=st.lists(
        st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
        min_size=1,
        max_size=30,
    ),
    late=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)).filter(
        lambda d: d.day > 12
    ),
    hour=st.integers(0, 23),
)
def test_the_inferred_order_is_the_order_written(
    order: str, days: list[dt.date], late: dt.date, hour: int
) -> None:
    written = [*days, late]
    cells = [FORMS[order].format(y=d.year, m=d.month, d=d.day, H=hour, M=7) for d in written]
    assert infer_order(pa.array(cells)) == order
    parsed, bad = parse_datetimes(pa.array(cells), date_order=order)
    assert not bad.any()
    assert [t.date() for t in parsed.to_pylist()] == written
