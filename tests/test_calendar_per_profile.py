"""Working-day figures follow the calendar of the profile that read each order.

A New York request and a 12345 order in one dataset each count working days on their own
calendar (US federal holidays; China's official calendar with 调休), on pandas and DuckDB alike.
Every expected date below is worked out by hand from the published calendars:

* 2023-04-05 (Wednesday) is Qingming, a Chinese holiday and a US working day;
* 2023-07-04 (Tuesday) is Independence Day; 2023-11-23 (the fourth Thursday) Thanksgiving;
* 2023-11-07 (Tuesday) is Election Day, a New York State holiday but no federal one;
* China's 2023 National Day: 29 September to 6 October off, Saturday 7 and Sunday 8 October
  worked (调休).
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import narwhals as nw
import pandas as pd
import pyarrow as pa
import pytest

from exports import write_csv
from hotline import ingest, load, metrics, schema
from hotline.dataset import write_dataset
from hotline.errors import HotlineError
from hotline.ingestion.accounting import REJECTS_SCHEMA
from hotline.metrics.calendar import calendar_for
from hotline.metrics.engine import open_source
from hotline.metrics.flags import add_flags
from hotline.metrics.summary import canonical_frame
from hotline.metrics.workdays import calendar_note, data_calendars, file_calendars

D = dt.date
AS_OF = dt.datetime(2024, 1, 1)
DEFINITIONS = metrics.preset("default").replace(as_of=AS_OF)

#: The files of the mixed dataset: name -> (source_kind, calendar recorded in the manifest;
#: None: a manifest written before calendars were recorded).
FILES = {
    "12345.csv": ("hotline", "cn"),
    "nyc.csv": ("311", "us-federal"),
    "ny-state.csv": ("311", "holidays:US-NY"),
    "weekdays.csv": ("hotline", "none"),
    "old-311.csv": ("311", None),
    "old-12345.csv": ("hotline", None),
}

#: (order, file, received, working-day limit, due day): the deadline is the end of the due day.
DEADLINES = [
    ("nyc-qingming", "nyc.csv", "2023-04-04 10:00", 1, D(2023, 4, 5)),
    ("12345-qingming", "12345.csv", "2023-04-04 10:00", 1, D(2023, 4, 6)),
    ("nyc-july-4", "nyc.csv", "2023-07-03 09:00", 1, D(2023, 7, 5)),
    ("nyc-thanksgiving", "nyc.csv", "2023-11-22 09:00", 1, D(2023, 11, 24)),
    ("nyc-national-day", "nyc.csv", "2023-09-28 09:00", 1, D(2023, 9, 29)),
    ("12345-national-day-1", "12345.csv", "2023-09-28 09:00", 1, D(2023, 10, 7)),
    ("12345-national-day-2", "12345.csv", "2023-09-28 09:00", 2, D(2023, 10, 8)),
    ("12345-national-day-3", "12345.csv", "2023-09-28 09:00", 3, D(2023, 10, 9)),
    ("ny-election-day", "ny-state.csv", "2023-11-06 09:00", 1, D(2023, 11, 8)),
    ("ny-qingming", "ny-state.csv", "2023-04-04 10:00", 1, D(2023, 4, 5)),
    ("weekdays-july-4", "weekdays.csv", "2023-07-03 09:00", 1, D(2023, 7, 4)),
    ("weekdays-national-day", "weekdays.csv", "2023-09-28 09:00", 1, D(2023, 9, 29)),
    ("old-311-qingming", "old-311.csv", "2023-04-04 10:00", 1, D(2023, 4, 5)),
    ("old-12345-qingming", "old-12345.csv", "2023-04-04 10:00", 1, D(2023, 4, 6)),
]


def _end_of(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day) + pd.Timedelta(days=1) - pd.Timedelta(1, "us")


def _orders(
    rows: list[tuple[str, str, str, int, object]],
    status: str = "dispatched",
    kinds: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Orders with a working-day limit of their own (the export's "N个工作日").

    A row's file gives its ``source_kind`` (``FILES``, ``kinds``); a row whose "file" is a kind
    (``311``, ``hotline``) is that kind's.
    """
    kinds = {**{name: kind for name, (kind, _) in FILES.items()}, **(kinds or {})}
    return schema.conform(
        pd.DataFrame(
            {
                "order_id": [r[0] for r in rows],
                "source_file": [r[1] for r in rows],
                "source_kind": [kinds.get(r[1], r[1]) for r in rows],
                "received_at": pd.to_datetime([r[2] for r in rows]),
                "time_limit_workdays": pd.array([r[3] for r in rows], dtype="Int32"),
                "status": [status] * len(rows),
            }
        )
    )


def _manifest(files: dict[str, tuple[str, str | None]]) -> dict:
    inputs = []
    for name, (kind, calendar) in files.items():
        entry = {"name": name, "kind": kind}
        if calendar is not None:
            entry["calendar"] = calendar
        inputs.append(entry)
    return {"schema_version": schema.SCHEMA_VERSION, "run_id": "calendars", "inputs": inputs}


def _dataset(folder: Path, frame: pd.DataFrame, files: dict[str, tuple[str, str | None]]) -> Path:
    orders = pa.Table.from_pandas(frame, preserve_index=False).cast(schema.arrow_schema())
    write_dataset(folder, orders, REJECTS_SCHEMA.empty_table(), _manifest(files), "")
    return folder


def _due(data: object, calendar=None, definitions=DEFINITIONS) -> dict[str, pd.Timestamp]:
    source = open_source(canonical_frame(data))
    frame, _ = add_flags(source, definitions, calendar)
    table = source.collect(frame.select(nw.col("order_id"), nw.col("due")))
    return dict(zip(table["order_id"], pd.to_datetime(table["due"]), strict=True))


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    return _dataset(tmp_path / "mixed", _orders(DEADLINES), FILES)


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_each_order_s_deadline_follows_its_own_calendar(mixed: Path, engine: str) -> None:
    due = _due(load(mixed) if engine == "pandas" else mixed)
    expected = {order: _end_of(day) for order, _, _, _, day in DEADLINES}
    assert due == expected


def test_an_explicit_calendar_applies_to_every_order(mixed: Path) -> None:
    calendar = calendar_for("none")  # Monday to Friday, whatever the file's profile said
    due = _due(mixed, calendar)
    assert due["nyc-qingming"] == due["12345-qingming"] == _end_of(D(2023, 4, 5))
    assert due["12345-national-day-1"] == _end_of(D(2023, 9, 29))
    assert due["nyc-july-4"] == _end_of(D(2023, 7, 4))
    assert _due(mixed, metrics.WorkCalendar())["nyc-qingming"] == _end_of(D(2023, 4, 6))


def test_a_frame_built_by_hand_follows_its_source_kind() -> None:
    rows = [
        ("us", "311", "2023-04-04 10:00", 1, None),
        ("cn", "hotline", "2023-04-04 10:00", 1, None),
        ("web", "online", "2023-04-04 10:00", 1, None),
    ]
    frame = _orders(rows).assign(source_file=None)
    assert _due(frame) == {
        "us": _end_of(D(2023, 4, 5)),
        "cn": _end_of(D(2023, 4, 6)),
        "web": _end_of(D(2023, 4, 6)),
    }


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_a_dataset_without_recorded_calendars_follows_its_kinds(tmp_path: Path, engine: str):
    old = {"nyc.csv": ("311", None), "12345.csv": ("hotline", None)}
    rows = [r for r in DEADLINES if r[1] in old and "national-day-2" not in r[0]]
    path = _dataset(tmp_path / "old", _orders(rows), old)
    due = _due(load(path) if engine == "pandas" else path)
    assert due == {order: _end_of(day) for order, _, _, _, day in rows}


def test_a_dataset_of_us_requests_only_never_builds_china_s_calendar(tmp_path: Path) -> None:
    """One calendar in use: the join stays on the day alone, and 2031 raises no cn warning."""
    rows = [("later", "nyc.csv", "2031-07-03 09:00", 1, None)]  # Thursday before July 4
    path = _dataset(tmp_path / "us", _orders(rows), {"nyc.csv": ("311", "us-federal")})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        due = _due(path, definitions=DEFINITIONS.replace(as_of=dt.datetime(2032, 1, 1)))
    assert due == {"later": _end_of(D(2031, 7, 7))}  # Fri 7/4 a holiday, then the weekend
    assert not [w for w in caught if issubclass(w.category, metrics.CalendarWarning)]


#: Closed orders: (order, file, received, closed); working days after the received day up to
#: the close day, on the order's calendar.
CLOSED = [
    ("nyc-qingming", "nyc.csv", "2023-04-04 10:00", "2023-04-05 15:00"),  # 1
    ("nyc-thanksgiving", "nyc.csv", "2023-11-22 09:00", "2023-11-27 09:00"),  # 2: 24th, 27th
    ("12345-qingming", "12345.csv", "2023-04-04 10:00", "2023-04-05 15:00"),  # 0
    ("12345-national-day", "12345.csv", "2023-09-28 09:00", "2023-10-09 09:00"),  # 3: 7-9 Oct
]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_working_day_handling_time_follows_each_order_s_calendar(tmp_path: Path, engine: str):
    frame = _orders([(o, f, r, 5, None) for o, f, r, _ in CLOSED], status="closed")
    frame["closed_at"] = pd.to_datetime([c for *_, c in CLOSED]).as_unit("us")
    path = _dataset(tmp_path / "closed", frame, FILES)
    data = load(path) if engine == "pandas" else path
    table = metrics.handling_time(data, by="source_kind", definitions=DEFINITIONS)
    days = table.set_index("source_kind")
    # 311: 1 and 2 working days; 12345: 0 and 3 (linear 90th percentile: a + 0.9 (b - a))
    assert days.loc["311", "mean_workdays"] == pytest.approx(1.5)
    assert days.loc["311", "p90_workdays"] == pytest.approx(1.9)
    assert days.loc["hotline", "mean_workdays"] == pytest.approx(1.5)
    assert days.loc["hotline", "p90_workdays"] == pytest.approx(2.7)
    # Monday to Friday for all: 1, 3 (23, 24, 27 Nov), 1, 7 (29 Sep, 2-6 Oct, 9 Oct)
    weekdays = metrics.handling_time(
        data, by="source_kind", definitions=DEFINITIONS, calendar=calendar_for("none")
    ).set_index("source_kind")
    assert weekdays.loc["311", "mean_workdays"] == pytest.approx(2.0)
    assert weekdays.loc["hotline", "mean_workdays"] == pytest.approx(4.0)


def test_the_ingest_records_each_file_s_calendar(tmp_path: Path) -> None:
    nyc = write_csv(
        tmp_path / "nyc.csv",
        [["Unique Key", "Created Date", "Status"], ["1", "11/06/2023 10:00:00 AM", "Open"]],
    )
    profile = tmp_path / "albany311.toml"
    profile.write_text('extends = "nyc311"\ncalendar = "holidays:US-NY"\n', encoding="utf-8")
    federal = ingest([nyc], out=tmp_path / "us", progress=False)
    assert [r["calendar"] for r in federal.manifest["inputs"]] == ["us-federal"]
    state = ingest([nyc], out=tmp_path / "state", profile=profile, progress=False)
    assert file_calendars(state.manifest) == {"nyc.csv": "holidays:US-NY"}
    hotline = write_csv(
        tmp_path / "12345.csv",
        [
            ["工单编号", "受理时间", "办理状态", "办理时限"],
            ["A1", "2023-09-28 09:00", "已派单", "1个工作日"],
        ],
    )
    china = ingest([hotline], out=tmp_path / "cn", progress=False)
    assert file_calendars(china.manifest) == {"12345.csv": "cn"}
    # the recorded calendar reaches the metrics: Election Day (Tue 7 Nov) is a rest day in
    # New York State only; 7 October 2023 (a Saturday) is worked in China
    one_day = DEFINITIONS.replace(time_limits={}, default_time_limit=1)
    assert list(_due(tmp_path / "us", definitions=one_day).values()) == [_end_of(D(2023, 11, 7))]
    assert list(_due(tmp_path / "state", definitions=one_day).values()) == [_end_of(D(2023, 11, 8))]
    assert list(_due(tmp_path / "cn").values()) == [_end_of(D(2023, 10, 7))]


def test_an_unknown_calendar_in_a_manifest_names_the_file(tmp_path: Path) -> None:
    rows = [("x", "mars.csv", "2023-04-04 10:00", 1, None)]
    files = {"mars.csv": ("311", "holidays:XX")}
    path = _dataset(tmp_path / "mars", _orders(rows, kinds={"mars.csv": "311"}), files)
    with pytest.raises(
        HotlineError, match=r"mars\.csv \(dataset manifest\): calendar 'holidays:XX'"
    ):
        _due(path)


def test_report_notes_name_the_calendars_the_data_follow(mixed: Path, tmp_path: Path) -> None:
    assert data_calendars(mixed) == ["cn", "holidays:US-NY", "none", "us-federal"]
    old = _dataset(tmp_path / "old", _orders(DEADLINES[:2]), {"nyc.csv": ("311", None)})
    assert data_calendars(old) == ["us-federal"]
    assert calendar_note(["us-federal"]) == "工作日按美国联邦假日确定"
    assert calendar_note(["cn"]) == "工作日按国家法定节假日和调休安排确定"  # as before


def test_files_of_one_name_in_two_folders_keep_their_own_calendars(tmp_path: Path) -> None:
    header = ["Unique Key", "Created Date", "Status"]
    files = [
        write_csv(tmp_path / year / "orders.csv", [header, [year, "11/06/2023 10:00 AM", "Open"]])
        for year in ("2022", "2023")
    ]
    data = ingest(files, out=tmp_path / "out", progress=False)
    calendars = file_calendars(data.manifest)
    assert sorted(calendars) == ["2022/orders.csv", "2023/orders.csv"]
    assert sorted(data.table.column("source_file").unique().to_pylist()) == sorted(calendars)
