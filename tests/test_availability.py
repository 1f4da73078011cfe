"""Unknown is not zero: figures whose inputs an export lacks are missing, with the reason.

Each case is an export form seen in real data (a message board without replies, a hotline
export without a handling unit, without evaluations, without topics), ingested for real; the
expectations come from what the file carries, not from running the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from conftest import shared_path
from exports import write_csv
from hotline import availability, ingest, load, metrics
from hotline.report.annual import annual_facts
from hotline.report.narrative import render_annual

MESSAGES = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"]
HOTLINE = [
    "工单编号",
    "受理时间",
    "来电号码",
    "诉求类型",
    "诉求内容",
    "承办单位",
    "办理状态",
    "满意度",
    "业务分类",
]


def _messages(n: int, *, reply: bool = False, start: int = 1) -> list[list[object]]:
    header = MESSAGES + (["答复意见", "答复时间"] if reply else [])
    rows: list[list[object]] = [header]
    for i in range(n):
        day = pd.Timestamp("2019-01-01") + pd.Timedelta(days=(i * 7) % 365, hours=9)
        row: list[object] = [start + i, f"U{1000 + i % 40}", "道路破损", f"{day:%Y/%m/%d %H:%M:%S}"]
        row.append("小区门口道路破损，请尽快修复。")
        if reply:
            row += ["已转交相关部门处理。", f"{day + pd.Timedelta(days=3):%Y/%m/%d %H:%M:%S}"]
        rows.append(row)
    return rows


def _hotline(n: int, *, drop: tuple[str, ...] = ()) -> list[list[object]]:
    header = [h for h in HOTLINE if h not in drop]
    rows: list[list[object]] = [header]
    for i in range(n):
        day = pd.Timestamp("2021-01-04") + pd.Timedelta(days=i % 300, hours=10)
        values = {
            "工单编号": f"R{i:05d}",
            "受理时间": f"{day:%Y-%m-%d %H:%M:%S}",
            "来电号码": f"139{i % 25:08d}",
            "诉求类型": "投诉",
            "诉求内容": "噪音扰民",
            "承办单位": "县住建局",
            "办理状态": "已办结" if i % 10 else "处理中",
            "满意度": "满意",
            "业务分类": "城乡建设",
        }
        rows.append([values[h] for h in header])
    return rows


def _answered_directly(rows: list[list[object]], every: bool = False) -> list[list[object]]:
    """The same export with every closed (or ``every``) order answered on the call."""
    at = rows[0].index("办理状态")
    closed = {"已办结": "直接答复", **({"处理中": "直接答复"} if every else {})}
    answered = [[*r[:at], closed.get(str(r[at]), r[at]), *r[at + 1 :]] for r in rows[1:]]
    if not every:
        return [rows[0], *answered]
    received = rows[0].index("受理时间")  # answered on the call: closed when received
    return [[*rows[0], "办结时间"], *([*r, r[received]] for r in answered)]


@dataclass(frozen=True)
class Form:
    """An export form and the information it lacks."""

    name: str
    files: dict[str, list[list[object]]]
    lacking: frozenset[str]
    #: Lacking for some orders only: their counts stand, the rates over all are missing.
    partly: frozenset[str] = frozenset()


FORMS = [
    Form(
        "message board without replies",
        {"messages.csv": _messages(60)},
        frozenset({"closure", "dispatch", "evaluation", "topic"}),
    ),
    Form(
        "message board whose status and reply columns are blank",
        {
            "messages.csv": [
                row + ([""] * 2 if i else ["办理状态", "答复意见"])
                for i, row in enumerate(_messages(60))
            ]
        },
        frozenset({"closure", "dispatch", "evaluation", "topic"}),
    ),
    Form(
        "message board with replies",
        {"messages.csv": _messages(60, reply=True)},
        frozenset({"dispatch", "evaluation", "topic"}),
    ),
    Form(
        "hotline without a handling unit",
        {"hotline.csv": _hotline(60, drop=("承办单位",))},
        frozenset({"dispatch"}),
    ),
    Form(
        "hotline answered directly, without a handling unit",
        {"hotline.csv": _answered_directly(_hotline(60, drop=("承办单位",)), every=True)},
        frozenset(),  # 直接答复 tells dispatch: never dispatched (the report's 100%)
    ),
    Form(
        "hotline mostly answered directly, some open, without a handling unit",
        {"hotline.csv": _answered_directly(_hotline(60, drop=("承办单位",)))},
        frozenset({"dispatch"}),  # the open ones may have been dispatched: not told
        partly=frozenset({"dispatch"}),  # the direct answers tell theirs
    ),
    Form(
        "hotline without evaluations",
        {"hotline.csv": _hotline(60, drop=("满意度",))},
        frozenset({"evaluation"}),
    ),
    Form(
        "hotline without topics",
        {"hotline.csv": _hotline(60, drop=("业务分类",))},
        frozenset({"topic"}),
    ),
]

#: Rate -> the information it needs (from the catalogue's declaration, restated by meaning).
NEEDS = {
    "closure_rate": {"closure"},
    "on_time_rate": {"closure"},
    "direct_answer_rate": {"dispatch"},
    "satisfaction_rate": {"evaluation"},
    "repeat_rate": {"topic", "caller"},
}
#: Count -> the information it needs.
COUNT_NEEDS = {
    "closed": {"closure"},
    "open_overdue": {"closure"},
    "closed_late": {"closure"},
    "dispatched": {"dispatch"},
    "direct": {"dispatch"},
    "evaluated": {"evaluation"},
    "repeats": {"topic", "caller"},
}


def _dataset(tmp_path: Path, files: dict[str, list[list[object]]]) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, rows in files.items():
        write_csv(raw / name, rows)
    out = tmp_path / "ds"
    ingest([raw], out=out, progress=False)
    return out


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_a_figure_the_export_cannot_support_is_missing_with_its_reason(
    form: Form, tmp_path: Path
) -> None:
    dataset = _dataset(tmp_path, form.files)
    table = metrics.summary(dataset)
    row = table.iloc[0]
    assert row["accepted"] == sum(len(rows) - 1 for rows in form.files.values())
    for rate, needs in NEEDS.items():
        if needs & form.lacking:
            assert pd.isna(row[rate]), rate
            assert "导出中没有" in table.attrs["unavailable"][rate], rate  # of all or of some
        else:
            assert rate not in table.attrs["unavailable"], rate
    for count, needs in COUNT_NEEDS.items():
        assert pd.isna(row[count]) == bool(needs & (form.lacking - form.partly)), count


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_the_account_names_what_each_export_lacks(form: Form, tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, form.files)
    manifest = load(dataset).attrs["manifest"]
    (entry,) = manifest["inputs"]
    assert set(availability.ACCOUNTED) - set(entry["information"]) == form.lacking
    account = (dataset / "ingest_report.md").read_text(encoding="utf-8")
    for key in form.lacking:
        assert availability.INFORMATION[key].zh in account


def test_a_rate_of_orders_partly_unknown_is_missing_not_diluted(tmp_path: Path) -> None:
    # a hotline export with statuses beside a message board without any: the hotline's rate
    # stands, the total's does not (the messages are neither open nor closed as far as we know)
    hotline, messages = _hotline(50), _messages(30)
    dataset = _dataset(tmp_path, {"hotline.csv": hotline, "messages.csv": messages})
    closed = sum(1 for row in hotline[1:] if row[HOTLINE.index("办理状态")] == "已办结")
    heads = metrics.headline(dataset)
    assert heads.loc["hotline", "closure_rate"].numerator == closed
    assert heads.loc["hotline", "closure_rate"].denominator == len(hotline) - 1
    total = heads.loc["total", "closure_rate"]
    assert total.value is None
    assert (
        total.reason == f"其中{len(messages) - 1}件工单的{availability.missing_reason(['closure'])}"
    )
    assert heads.loc["total", "closed"] == closed  # what is known closed is still stated
    assert pd.isna(heads.loc["online", "closed"])
    assert heads.loc["online", "closure_rate"].reason == availability.missing_reason(["closure"])


def test_the_funnel_stops_before_what_the_export_does_not_hold(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path, {"messages.csv": _messages(40)})
    stages = metrics.funnel(dataset)
    assert list(stages["stage"]) == ["accepted"]
    assert stages.attrs["left_out"] == ["dispatched", "closed", "revisited", "satisfied"]


def test_a_message_board_report_says_what_it_is_about_and_what_it_cannot_say(
    tmp_path: Path,
) -> None:
    dataset = _dataset(tmp_path, {"messages.csv": _messages(60)})
    text = render_annual(annual_facts(load(dataset), 2019), 2019)
    assert text.startswith("# 2019年网络问政留言办理情况报告")
    assert "12345" not in text
    assert "0.00%" not in text
    assert "超期未办结" not in text
    assert availability.INFORMATION["closure"].reason in text


def _dated(dates: list[str], kind: str = "online") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [str(i) for i in range(len(dates))],
            "source_kind": kind,
            "received_at": pd.to_datetime(dates),
            "status": "replied",
        }
    )


def test_a_partial_year_is_named_and_not_compared() -> None:
    # a full 2019 and a 2020 whose data stop on 26 January (as the real message board does)
    days = [*pd.date_range("2019-01-01", "2019-12-31", freq="D").astype(str), "2020-01-26"]
    text = render_annual(annual_facts(_dated(days), 2020), 2020)
    assert "不完整" in text
    assert "数据仅覆盖2020年1月26日" in text
    assert "同比增长" not in text and "同比下降" not in text


def test_a_change_over_a_tiny_base_is_withheld() -> None:
    days = [
        "2018-01-01",
        "2018-06-01",
        "2018-12-31",
        *pd.date_range("2019-01-01", "2019-12-31", freq="D").astype(str),
    ]
    sheet = annual_facts(_dated(days), 2019)
    assert "previous.accepted" in sheet
    assert "previous.accepted_yoy" not in sheet
    text = render_annual(sheet, 2019)
    assert "基数过小" in text


def test_no_superlative_when_every_month_is_alike() -> None:
    # one request on the 1st and one on the 28th of every month: all months equal
    days = [f"2021-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 28)]
    days.append("2021-12-31")
    days.remove("2021-12-28")
    text = render_annual(annual_facts(_dated(days), 2021), 2021)
    assert "各月受理量相同" in text
    assert "最低的是" not in text


def test_real_message_board_without_replies_says_closure_is_unknown(tmp_path: Path) -> None:
    source = shared_path("data", "real", "taidi2020c-sample", "附件3.xlsx")
    out = tmp_path / "ds"
    ingest([source], out=out, progress=False)
    rate = metrics.closure_rate(out)
    assert rate.value is None
    assert rate.reason == availability.INFORMATION["closure"].reason
    assert metrics.overdue(out) == {"closed_late": None, "open_overdue": None}


def test_real_message_board_with_replies_is_all_closed(tmp_path: Path) -> None:
    source = shared_path("data", "real", "taidi2020c-sample", "附件4.xlsx")
    out = tmp_path / "ds"
    ingest([source], out=out, progress=False)
    rows = pd.read_excel(source, engine="calamine")  # every message there has its reply (SOURCE.md)
    rate = metrics.closure_rate(out)
    assert rate.denominator == rows["留言编号"].nunique()
    assert rate.numerator == int(rows["答复意见"].notna().sum())


def test_a_reply_table_gives_its_messages_closure(tmp_path: Path) -> None:
    messages = _messages(40)
    replies = [["留言编号", "答复意见", "答复时间"]]
    replies += [[row[0], "已处理。", "2019/12/30 10:00:00"] for row in messages[1:31]]
    dataset = _dataset(tmp_path, {"messages.csv": messages, "replies.csv": replies})
    manifest = load(dataset).attrs["manifest"]
    entry = next(i for i in manifest["inputs"] if i["name"] == "messages.csv")
    assert "closure" in entry["information"]
    assert entry["quality"]["no_reply_in_table"]["count"] == len(messages) - len(replies)
    rate = metrics.closure_rate(dataset)
    assert (rate.numerator, rate.denominator) == (len(replies) - 1, len(messages) - 1)


def test_metrics_of_a_year_the_data_lack_stops_with_the_span(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotline.cli import main

    dataset = _dataset(tmp_path, {"messages.csv": _messages(20)})
    assert main(["metrics", str(dataset), "--year", "2021"]) == 2
    error = capsys.readouterr().err
    assert "没有2021年受理的工单" in error and "数据覆盖 2019-01-01 至" in error


def test_a_year_cut_short_by_as_of_is_partial() -> None:
    days = list(pd.date_range("2021-01-01", "2021-12-31", freq="D").astype(str))
    cut = metrics.preset("default").replace(as_of=pd.Timestamp("2021-06-30 23:59").to_pydatetime())
    text = render_annual(annual_facts(_dated(days), 2021, cut), 2021)
    assert "（不完整年度）" in text and "数据仅覆盖2021年1月1日至6月30日" in text
