"""Hypothesis: offsets convert to the profile's zone and back; 311 exports always balance."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports import write_csv
from hotline import ingest
from hotline.errors import InputError
from hotline.ingestion.dates import parse_datetimes
from hotline.profiles.zones import tzinfo_of

ZONES = ["America/New_York", "America/Los_Angeles", "Asia/Shanghai", "UTC-04:00", "UTC+05:30"]

instants = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(dt.UTC),
).map(lambda d: d.replace(microsecond=0))
offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda q: dt.timedelta(minutes=15 * q)
)


@settings(max_examples=200, deadline=None)
@given(instants, offsets, st.sampled_from(ZONES))
def test_an_offset_is_converted_to_the_zone_never_dropped(
    instant: dt.datetime, offset: dt.timedelta, zone: str
) -> None:
    written = instant.astimezone(dt.timezone(offset)).isoformat()  # 2012-05-23T15:55:28-04:00
    parsed, bad = parse_datetimes(pa.array([written]), timezone=zone)
    stored = parsed[0].as_py()
    assert not bad.any()
    assert stored == instant.astimezone(tzinfo_of(zone)).replace(tzinfo=None)
    # and back: the wall-clock time in the zone is the same instant (unless it is ambiguous,
    # the repeated hour when clocks go back)
    tz = tzinfo_of(zone)
    if tz.utcoffset(stored.replace(fold=0)) == tz.utcoffset(stored.replace(fold=1)):
        assert stored.replace(tzinfo=tz) == instant


HEADER = ["Unique Key", "Created Date", "Closed Date", "Status", "Agency"]
STATUSES = ["Closed", "Open", "In Progress", "Assigned", "Cancelled", "Pending", "Unspecified", "?"]
stamps = st.datetimes(min_value=dt.datetime(2022, 1, 1), max_value=dt.datetime(2022, 12, 31)).map(
    lambda d: d.strftime("%m/%d/%Y %I:%M:%S %p")
)


@st.composite
def nyc_rows(draw: st.DrawFn) -> list[str]:
    """One portal row: ids repeat, dates go missing or bad, statuses contradict close dates."""
    key = draw(st.sampled_from(["", *(str(i) for i in range(1, 15))]))
    created = draw(stamps | st.sampled_from(["", "not a date"]))
    closed = draw(stamps | st.just(""))
    return [key, created, closed, draw(st.sampled_from(STATUSES)), "NYPD"]


def _usable(row: list[str]) -> bool:
    """Whether a row can be a request: an id and a received time."""
    return bool(row[0]) and row[1] not in ("", "not a date")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(nyc_rows(), min_size=1, max_size=30), min_size=1, max_size=3))
def test_every_311_row_is_written_merged_or_rejected(files: list[list[list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = [
            write_csv(Path(folder) / f"nyc{i}.csv", [HEADER, *rows]) for i, rows in enumerate(files)
        ]
        # an exact copy of some rows, too
        paths.append(write_csv(Path(folder) / "copy.csv", [HEADER, *files[0], *files[0]]))
        unusable = [i for i, rows in enumerate(files) if not any(_usable(r) for r in rows)]
        if unusable:  # a file whose every row is rejected stops the ingest, naming it
            with pytest.raises(InputError, match=rf"^nyc{unusable[0]}\.csv: all \d+ rows rejected"):
                ingest(paths, write=False, progress=False)
            return
        result = ingest(paths, write=False, progress=False)
    totals = result.totals
    assert totals.balanced and all(r.balanced for r in result.reports)
    assert totals.rows_in == sum(len(rows) for rows in files) + 2 * len(files[0])
    usable = {r[0] for rows in [*files, files[0]] for r in rows if _usable(r)}
    assert totals.written == result.table.num_rows >= len(usable)
    # every usable id is written; one id may be several requests (an id collision, id@file),
    # and each written id is unique
    ids = result.table.column("order_id").to_pylist()
    assert len(set(ids)) == len(ids)
    assert {i.split("@")[0] for i in ids} == usable
    collisions = sum(
        r.to_dict()["quality"].get("id_collision", {}).get("count", 0) for r in result.reports
    )
    assert (totals.written > len(usable)) <= (collisions > 0)
    copy = result.reports[-1]
    exact = copy.to_dict()["quality"].get("exact_duplicate_rows", {}).get("count", 0)
    assert exact <= copy.merged.get("duplicate", 0)
    kept = [r for r in files[0] if _usable(r)]
    assert exact >= len(kept)  # every kept row of the first file appears twice, identically
