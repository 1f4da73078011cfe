"""Table-driven tests for every messy cell form the ingest reads (dates, ids, text, numbers)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from hotline.ingestion.dates import parse_datetimes
from hotline.ingestion.values import (
    clean_label,
    clean_text,
    map_vocabulary,
    normalize_ids,
    parse_ints,
    parse_workdays,
    replace_rows,
)
from hotline.profiles import builtin

D = dt.datetime

DATE_FORMS = [
    # (cell text, expected) — each row a form seen in real exports
    ("2021/3/5 9:32:09", D(2021, 3, 5, 9, 32, 9)),
    ("2021/03/05 09:32:09", D(2021, 3, 5, 9, 32, 9)),
    ("2021-03-05 14:03", D(2021, 3, 5, 14, 3)),
    ("2021-3-5 14:03:00", D(2021, 3, 5, 14, 3)),
    ("2021年3月5日 14时03分", D(2021, 3, 5, 14, 3)),
    ("2021年3月5日14时03分20秒", D(2021, 3, 5, 14, 3, 20)),
    ("2021年03月05日", D(2021, 3, 5)),
    ("2021/3/5", D(2021, 3, 5)),
    ("2021-03-05", D(2021, 3, 5)),
    ("2021.3.5", D(2021, 3, 5)),
    ("20210305", D(2021, 3, 5)),
    ("2021/3/5 下午2:03:04", D(2021, 3, 5, 14, 3, 4)),
    ("2021/3/5 上午9:03", D(2021, 3, 5, 9, 3)),
    ("2021/3/5 2:03:04 PM", D(2021, 3, 5, 14, 3, 4)),
    ("2021/3/5 12:10:00 AM", D(2021, 3, 5, 0, 10)),
    ("2021/3/5 12:10:00 PM", D(2021, 3, 5, 12, 10)),
    ("2021-03-05T14:03:09", D(2021, 3, 5, 14, 3, 9)),
    ("2021-03-05T14:03:09.250", D(2021, 3, 5, 14, 3, 9, 250000)),
    ("2021-03-05T06:03:09Z", D(2021, 3, 5, 14, 3, 9)),  # UTC -> Asia/Shanghai
    ("2021-03-05T14:03:09+08:00", D(2021, 3, 5, 14, 3, 9)),
    ("44260", D(2021, 3, 5)),  # Excel serial day
    ("44260.5", D(2021, 3, 5, 12)),
    ("2021-03-05 14:03:09", D(2021, 3, 5, 14, 3, 9)),  # what an Excel datetime cell reads as
    ("\u30002021/3/5 9:32:09\u00a0", D(2021, 3, 5, 9, 32, 9)),
    ("2021/2/28 23:59:59", D(2021, 2, 28, 23, 59, 59)),
    ("2020/2/29", D(2020, 2, 29)),
    ("2021/3/1 0:00:00", D(2021, 3, 1)),
]

UNPARSEABLE_DATES = [
    "2021/2/29",
    "2021/2/30 10:00:00",
    "2021/13/5",
    "2021-03-05 24:00",
    "9:30",
    "待定",
    "5个工作日",
    "2021/3/5 23:60:00",
    "2021/3/5 13:00 PM",
    "12345",
]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS)
def test_each_date_form_parses(text: str, expected: dt.datetime) -> None:
    parsed, bad = parse_datetimes(pa.array([text]))
    assert parsed[0].as_py() == expected
    assert not bad[0]


@pytest.mark.parametrize("text", UNPARSEABLE_DATES)
def test_impossible_dates_are_reported_not_rolled_over(text: str) -> None:
    parsed, bad = parse_datetimes(pa.array([text]))
    assert parsed[0].as_py() is None
    assert bad[0]


@pytest.mark.parametrize(
    "odd",
    ["2021-02-30 10:00", "2021-02-29", "2021-03-05 10:00:60", "2021-03-05 10", "1899-12-31"],
)
def test_an_odd_cell_in_a_clean_iso_column_is_judged_as_alone(odd: str) -> None:
    # a column of plain ISO cells takes a fast whole-column path: one odd cell must not slip
    # through it (rolled over, or read differently from the same cell on its own)
    alone, alone_bad = parse_datetimes(pa.array([odd]))
    parsed, bad = parse_datetimes(pa.array(["2021-03-05 10:00:00"] * 600 + [odd, ""]))
    assert parsed.to_pylist()[-2:] == [alone[0].as_py(), None]
    assert bad.tolist()[-2:] == [bool(alone_bad[0]), False]
    assert parsed[0].as_py() == D(2021, 3, 5, 10)


def test_all_forms_mixed_in_one_column_parse_as_singly() -> None:
    # the fast path picks the dominant form; every other form must still come out right
    texts = [t for t, _ in DATE_FORMS] * 3 + ["2021/3/5 9:32:09"] * 200 + UNPARSEABLE_DATES
    parsed, bad = parse_datetimes(pa.array(texts))
    expected = [e for _, e in DATE_FORMS] * 3 + [D(2021, 3, 5, 9, 32, 9)] * 200
    assert parsed.to_pylist()[: len(expected)] == expected
    assert bad.tolist() == [False] * len(expected) + [True] * len(UNPARSEABLE_DATES)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("03/05/2021 02:03:04 PM", "mdy", D(2021, 3, 5, 14, 3, 4)),
        ("1/1/20 0:05", "mdy", D(2020, 1, 1, 0, 5)),
        ("12/30/2017 12:00:00 AM", "mdy", D(2017, 12, 30)),
        ("05/03/2021", "dmy", D(2021, 3, 5)),
        ("2021-03-05", "mdy", D(2021, 3, 5)),  # ISO stays ISO whatever the order
    ],
)
def test_day_month_order_is_a_profile_option(text: str, order: str, expected: dt.datetime) -> None:
    parsed, bad = parse_datetimes(pa.array([text]), date_order=order)
    assert (parsed[0].as_py(), bool(bad[0])) == (expected, False)


def test_offsets_convert_to_the_profile_zone_across_dst() -> None:
    texts = ["2021-03-14T01:30:00-05:00", "2021-03-14T03:30:00-04:00"]  # US DST starts 2am
    parsed, _ = parse_datetimes(pa.array(texts), timezone="America/New_York")
    assert parsed.to_pylist() == [D(2021, 3, 14, 1, 30), D(2021, 3, 14, 3, 30)]


def test_empty_cells_are_missing_not_unparseable() -> None:
    parsed, bad = parse_datetimes(pa.array(["", " ", None, "\u3000"]))
    assert parsed.null_count == 4
    assert not bad.any()


@pytest.mark.parametrize(
    ("cell", "expected", "lost"),
    [
        ("2021030500012", "2021030500012", False),
        ("２０２１０３０５０００１２", "2021030500012", False),  # full-width digits
        ("\u00a0SL2021 0305\u3000", "SL20210305", False),  # NBSP, U+3000, inner space
        ("ＳＬ-001", "SL-001", False),
        ("1.2E+07", "1.2E+07", True),  # Excel ate the digits
        ("2.02103E+12", "2.02103E+12", True),
        ("", None, False),
    ],
)
def test_ids_are_normalised(cell: str, expected: str | None, lost: bool) -> None:
    ids, lost_mask = normalize_ids(pa.array([cell]))
    assert (ids[0].as_py(), bool(lost_mask[0])) == (expected, lost)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("\n\t\t\t\t\t\n\t\t\t\t\t留言详情\n\t\t", "留言详情"),
        ("供暖\u3000不热\u00a0请处理", "供暖 不热 请处理"),
        ("第一行\r\n\r\n  第二行", "第一行\n第二行"),
        ("电话１３８１２３４５６７８", "电话13812345678"),
        ("多个   空格", "多个 空格"),
        ("全角标点，保留。", "全角标点，保留。"),
        ("   ", None),
    ],
)
def test_free_text_is_tidied(cell: str, expected: str | None) -> None:
    assert clean_text(pa.array([cell]))[0].as_py() == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("县住建局（城建）", "县住建局(城建)"),
        ("\u3000城关街道 ", "城关街道"),
        ("河东  镇", "河东 镇"),
    ],
)
def test_labels_fold_so_groups_match(cell: str, expected: str) -> None:
    assert clean_label(pa.array([cell]))[0].as_py() == expected


STATUS_SPELLINGS = [
    ("已办结", "closed"),
    ("办结", "closed"),
    ("结案", "closed"),
    ("已结案", "closed"),
    ("完结", "closed"),
    ("归档", "closed"),
    ("已办结（超期）", "closed"),
    (" 已办结 ", "closed"),
    ("已回访", "revisited"),
    ("处理中", "in_progress"),
    ("办理中", "in_progress"),
    ("已派单", "dispatched"),
    ("转办", "dispatched"),
    ("待签收", "dispatched"),
    ("已签收", "signed"),
    ("退单", "returned"),
    ("延期", "extended"),
    ("已答复", "replied"),
    ("已回复", "replied"),
    ("直接答复", "answered_directly"),
    ("重办", "reopened"),
    ("无效", "invalid"),
    ("无效工单", "invalid"),
    ("作废", "void"),
    ("撤销", "void"),
    ("已撤销", "void"),
    ("重复", "duplicate"),
    ("并单", "duplicate"),
    ("已受理", "received"),
]


@pytest.mark.parametrize(("spelling", "code"), STATUS_SPELLINGS)
def test_status_spellings(spelling: str, code: str) -> None:
    codes, unknown = map_vocabulary(
        pa.array([spelling]), lambda v: builtin("hotline").lookup("status", v)
    )
    assert (codes[0].as_py(), bool(unknown[0])) == (code, False)


@pytest.mark.parametrize(
    ("vocabulary", "spelling", "code"),
    [
        ("request_type", "咨询", "consultation"),
        ("request_type", "求决", "help"),
        ("request_type", "揭发控告", "report"),
        ("request_type", "意见建议", "suggestion"),
        ("request_type", "批评", "complaint"),
        ("request_type", "表扬", "praise"),
        ("request_type", "其它", "other"),
        ("channel", "12345热线", "phone"),
        ("channel", "网上留言", "web"),
        ("channel", "ＡＰＰ", "app"),
        ("channel", "微信公众号", "wechat"),
        ("channel", "市长信箱", "mailbox"),
        ("channel", "人民网领导留言板", "message_board"),
        ("channel", "省平台转办", "transfer"),
        ("satisfaction", "满意", "satisfied"),
        ("satisfaction", "基本满意", "basically_satisfied"),
        ("satisfaction", "不满意", "dissatisfied"),
        ("satisfaction", "非常满意", "very_satisfied"),
        ("satisfaction", "非常不满意", "very_dissatisfied"),
        ("satisfaction", "未回访", "not_evaluated"),
        ("satisfaction", "5星", "very_satisfied"),
        ("boolean", "是", "true"),
        ("boolean", "否", "false"),
        ("boolean", "已解决", "true"),
    ],
)
def test_vocabulary_synonyms(vocabulary: str, spelling: str, code: str) -> None:
    assert builtin("hotline").lookup(vocabulary, [spelling]) == [code]


def test_unknown_values_are_flagged_not_dropped() -> None:
    codes, unknown = map_vocabulary(
        pa.array(["已办结", "说不清", ""]), lambda v: builtin("hotline").lookup("status", v)
    )
    assert codes.to_pylist() == ["closed", None, None]
    assert unknown.tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("cell", "expected", "bad"),
    [("3", 3, False), ("3次", 3, False), ("３", 3, False), ("两次", None, True)],
)
def test_whole_numbers(cell: str, expected: int | None, bad: bool) -> None:
    parsed, flags = parse_ints(pa.array([cell]))
    assert (parsed[0].as_py(), bool(flags[0])) == (expected, bad)


# (cell, status code, unknown, satisfaction code): each way a vocabulary cell can be written.
VOCABULARY_CELLS = [
    ("已办结", "closed", False, None),
    (" 已办结\u3000", "closed", False, None),
    ("", None, False, "not_evaluated"),
    ("  ", None, False, "not_evaluated"),
    (None, None, False, "not_evaluated"),
    ("说不清", None, True, None),
]


@pytest.mark.parametrize(("cell", "code", "unknown", "satisfaction"), VOCABULARY_CELLS)
def test_vocabulary_cells_map_once_trimmed(
    cell: str | None, code: str | None, unknown: bool, satisfaction: str | None
) -> None:
    lookup = builtin("hotline").lookup
    # Among other cells, in chunks: each cell is mapped the same wherever it sits.
    cells = pa.chunked_array([["已办结", cell], [cell, "说不清"]], pa.string())
    codes, flags = map_vocabulary(cells, lambda v: lookup("status", v))
    assert codes.to_pylist()[1:3] == [code, code] and flags.tolist()[1:3] == [unknown] * 2
    evaluated, _ = map_vocabulary(cells, lambda v: lookup("satisfaction", v), empty="not_evaluated")
    assert evaluated.to_pylist()[1:3] == [satisfaction] * 2


@pytest.mark.parametrize(
    "values",
    [pa.array(["a", "b", "c"]), pa.chunked_array([["a"], [], ["b", "c"]])],
    ids=["array", "chunked"],
)
@pytest.mark.parametrize(
    "replacements",
    [pa.array(["B", "C"]), pa.chunked_array([["B"], ["C"]])],
    ids=["array", "chunked"],
)
def test_rows_are_replaced_in_order(
    values: pa.Array | pa.ChunkedArray, replacements: pa.Array | pa.ChunkedArray
) -> None:
    replaced = replace_rows(values, np.array([False, True, True]), replacements)
    assert replaced.to_pylist() == ["a", "B", "C"]


@pytest.mark.parametrize(
    "cells",
    [
        pa.array(["5个工作日", "10工作日", "2021-03-10"]),
        pa.chunked_array([["5个工作日"], ["10工作日", "2021-03-10"]]),
    ],
    ids=["array", "chunked"],
)
def test_time_limits_in_working_days(cells: pa.Array | pa.ChunkedArray) -> None:
    assert parse_workdays(cells).to_pylist() == [5, 10, None]
