"""Messy inputs found by review: each case the way a real platform or analyst produces it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from exports import HOTLINE_HEADER, hotline_rows, write_csv, write_xls, write_xlsx
from hotline import ingest, read_export
from hotline.errors import HotlineError, InputError, MappingError
from hotline.ingestion.readers.delimited import _line_breaks, _record_lines
from hotline.profiles import load_mapping

HEADER = ["工单编号", "受理时间", "办理状态"]


def csv(tmp: Path, text: str, name: str = "a.csv") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "rows", "rejects"),
    [
        # a record with a field too many: rejected at its own line, later rows keep theirs
        (
            "工单编号,受理时间,办理状态\nA1,2021/3/5,已办结\nA2,2021/3/5,已办结,x\nA3,2021/3/5,已办结\n",
            {"A1": 2, "A3": 4},
            [(3, "malformed")],
        ),
        # quoted line breaks before and after a broken record
        (
            '工单编号,受理时间,诉求内容\nA1,2021/3/5,"一\n二"\nA2,2021/3/5,x,y\nA3,2021/3/5,"三\n四\n五"\nA4,2021/3/5,z\n',
            {"A1": 2, "A3": 5, "A4": 8},
            [(4, "malformed")],
        ),
        # a total line with fewer fields is a footer, at its line
        ("工单编号,受理时间,办理状态\nA1,2021/3/5,已办结\n合计,1\n", {"A1": 2}, [(3, "footer")]),
    ],
)
def test_csv_row_numbers_around_broken_records(
    tmp_path: Path, text: str, rows: dict, rejects: list
) -> None:
    df = read_export(csv(tmp_path, text))
    assert dict(zip(df["order_id"], df["source_row"], strict=True)) == rows
    assert [(r["source_row"], r["reason"]) for r in df.attrs["rejects"]] == rejects


def test_header_with_trailing_commas(tmp_path: Path) -> None:
    df = read_export(
        csv(tmp_path, "工单编号,受理时间,办理状态,,\nA1,2021/3/5,已办结\nA2,2021/3/5,已办结\n")
    )
    assert df["order_id"].tolist() == ["A1", "A2"]


def test_long_ids_stored_as_excel_numbers_are_lost_not_merged(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "ids.xlsx")
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_number(1, 0, 202103050001234567)  # 18 digits: a double keeps 15-16 of them
    sheet.write_row(1, 1, ["2021/3/5 9:00", "办理中"])
    sheet.write_number(2, 0, 202103050001234568)
    sheet.write_row(2, 1, ["2021/3/5 9:00", "已办结"])
    sheet.write_string(3, 0, "202103050001234569")  # the same length as text: kept
    sheet.write_row(3, 1, ["2021/3/5 9:00", "已办结"])
    book.close()
    df = read_export(tmp_path / "ids.xlsx")
    assert df["order_id"].tolist() == ["202103050001234569"]
    assert df.attrs["ingest"]["rejected"] == {"lost_order_id": 2}


def test_sixteen_digit_ids_survive_xls(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "a.xls", [HEADER, [1234567890123456.0, "2021/3/5 9:00", "已办结"]])
    assert read_export(path)["order_id"].tolist() == ["1234567890123456"]


def test_every_sheet_with_data_is_read_and_templates_skipped(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(tmp_path / "book.xlsx")
    for name, ids in (("Sheet1", ["A1", "A2"]), ("Sheet2", ["A3"])):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, HEADER)
        for i, order in enumerate(ids, start=1):
            sheet.write_row(i, 0, [order, "2021/3/5 9:00", "已办结"])
    template = book.add_worksheet("模板")
    template.write_row(0, 0, [*HEADER, "诉求内容"])
    template.hide()
    book.close()
    df = read_export(tmp_path / "book.xlsx")
    assert sorted(df["order_id"]) == ["A1", "A2", "A3"]
    assert set(df["source_file"]) == {"book.xlsx#Sheet1", "book.xlsx#Sheet2"}
    assert df.attrs["ingest"]["skipped_sheets"] == ["模板: 表头下没有数据"]


def test_titles_left_of_the_id_are_not_footers(tmp_path: Path) -> None:
    text = (
        "工单标题,工单编号,受理时间\n打印社保缴费证明,A1,2021/3/5\n说明书丢失补办,A2,2021/3/5\n"
        "合计,,\n"
    )
    df = read_export(csv(tmp_path, text))
    assert df["order_id"].tolist() == ["A1", "A2"]
    assert df.attrs["ingest"]["rejected"] == {"footer": 1}


def test_repeated_headers_at_page_breaks(tmp_path: Path) -> None:
    rows = [HEADER, ["A1", "2021/3/5", "已办结"], HEADER, ["A2", "2021/3/5", "已办结"]]
    df = read_export(write_xlsx(tmp_path / "a.xlsx", rows))
    assert df["order_id"].tolist() == ["A1", "A2"]
    assert df.attrs["ingest"]["rejected"] == {"repeated_header": 1}


def test_online_status_is_not_overwritten_by_a_reply(tmp_path: Path) -> None:
    header = ["留言编号", "留言时间", "办理状态", "答复意见"]
    rows = [
        header,
        ["1", "2021/3/5", "处理中X", "已回复您"],
        ["2", "2021/3/5", "", "已回复您"],
        ["3", "2021/3/5", "已办结", ""],
    ]
    df = read_export(write_xlsx(tmp_path / "o.xlsx", rows)).set_index("order_id")
    assert df["status"].isna()["1"]  # unreadable stays unreadable (and is counted)
    assert df.loc["2", "status"] == "replied"  # empty status + a reply: closed by the reply
    assert df.loc["3", "status"] == "closed"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [('="00123"', "00123"), ("'00124", "00124"), ("A1\u200b", "A1"), ("\ufeffA2", "A2")],
)
def test_excel_text_id_spellings(tmp_path: Path, cell: str, expected: str) -> None:
    df = read_export(write_csv(tmp_path / "a.csv", [HEADER, [cell, "2021/3/5", "已办结"]]))
    assert df["order_id"].tolist() == [expected]


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data below the header"):
        read_export(csv(tmp_path, "工单编号,受理时间,办理状态\n"))


def test_no_header_error_names_required_fields_without_personal_data(tmp_path: Path) -> None:
    path = csv(tmp_path, "张三,13812345678,铁岭县某路1号\n李四,13912345678,某某小区\n")
    with pytest.raises(InputError) as caught:
        read_export(path)
    message = str(caught.value)
    assert "order_id" in message and "received_at" in message
    for secret in ("张三", "13812345678", "李四"):
        assert secret not in message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("导出时间：2021-04-02 10:00:00  导出人：admin", dt.datetime(2021, 4, 2, 10)),
        ("导出时间: 2021/04/02 10:00:00（北京时间）", dt.datetime(2021, 4, 2, 10)),
        ("打印时间 2021-04-02 10:00:00 第1页", dt.datetime(2021, 4, 2, 10)),
    ],
)
def test_export_line_variants(tmp_path: Path, line: str, expected: dt.datetime) -> None:
    df = read_export(
        write_xlsx(tmp_path / "a.xlsx", [[line], HEADER, ["A1", "2021/3/5", "已办结"]])
    )
    assert df.attrs["ingest"]["snapshot_at"] == expected.isoformat(sep=" ")


def test_export_time_split_over_two_cells_and_in_a_csv_footer(tmp_path: Path) -> None:
    rows = [["导出时间：", dt.datetime(2021, 4, 2, 10)], HEADER, ["A1", "2021/3/5", "已办结"]]
    assert (
        read_export(write_xlsx(tmp_path / "a.xlsx", rows)).attrs["ingest"]["snapshot_rule"]
        == "export line"
    )
    df = read_export(
        csv(
            tmp_path, "工单编号,受理时间,办理状态\nA1,2021/3/5,已办结\n导出时间：2021-05-01 08:00\n"
        )
    )
    assert df.attrs["ingest"]["snapshot_at"] == "2021-05-01 08:00:00"
    assert df.attrs["ingest"]["rejected"] == {"footer": 1}


def test_time_stamp_in_the_file_name(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "工单导出20210405153000.csv", [HEADER, ["A1", "2021/3/5", "已办结"]]
    )
    assert read_export(path).attrs["ingest"]["snapshot_at"] == "2021-04-05 15:30:00"


def test_aware_snapshot_times_become_local(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [HEADER, ["A1", "2021/3/5", "已办结"]])
    utc = dt.datetime(2021, 4, 2, 2, tzinfo=dt.UTC)
    assert read_export(path, snapshot_at=utc)["snapshot_at"].iloc[0] == dt.datetime(2021, 4, 2, 10)


def test_ambiguous_snapshot_option(tmp_path: Path) -> None:
    for month in ("03", "04"):
        (tmp_path / month).mkdir()
        write_csv(tmp_path / month / "export.csv", [HEADER, ["A1", "2021/3/5", "已办结"]])
    with pytest.raises(HotlineError, match="names several inputs"):
        ingest([tmp_path], write=False, progress=False, snapshot_at={"export.csv": "2021-05-01"})


def test_a_folder_ingest_skips_hotline_datasets_inside_it(tmp_path: Path) -> None:
    raw = tmp_path / "data"
    (raw / "raw").mkdir(parents=True)
    write_csv(raw / "raw" / "a.csv", [HOTLINE_HEADER, *hotline_rows(2)])
    ingest([raw / "raw"], out=raw / "processed", progress=False)
    result = ingest([raw], write=False, progress=False)  # data/ holds raw/ and processed/
    assert [r.name for r in result.reports] == ["raw/a.csv"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[options]\ntimezone = 'Mars/Base'\n", "not an IANA time zone"),
        ("[options]\ndate-order = 'ymd'\n", "unknown"),
        ("[options]\ndefault_channel = 'fax'\n", "default_channel"),
        ("columns = 'x'\n", "must be a table"),
        ("[values]\nstatus = 'closed'\n", "must be a table"),
    ],
)
def test_more_mapping_mistakes(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=complaint):
        load_mapping(path)


def test_labels_and_raw_status_are_scrubbed(tmp_path: Path) -> None:
    rows = [
        [*HEADER, "乡镇街道", "承办单位"],
        ["A1", "2021/3/5", "已办结（联系人13812345671）", "城关街道13812345672", "县住建局"],
    ]
    df = read_export(write_xlsx(tmp_path / "a.xlsx", rows))
    assert df["status_raw"].item() == "已办结(联系人[手机号])"
    assert df["town"].item() == "城关街道"  # cut after the town's name: the number goes too


def test_unknown_status_words_are_shown_so_a_mapping_can_be_written(tmp_path: Path) -> None:
    rows = [HEADER, ["A1", "2021/3/5", "处理完了"], ["A2", "2021/3/5", "13812345678"]]
    odd = read_export(write_xlsx(tmp_path / "a.xlsx", rows)).attrs["ingest"]["unparseable"][
        "办理状态"
    ]
    shown = [value for _, value in odd["examples"]]
    assert shown[0] == "处理完了" and "13812345678" not in shown[1]


@pytest.mark.parametrize("key", ["", "   ", "short"])
def test_weak_keys_are_refused(key: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOTLINE_PII_KEY", key)
    if not key:
        monkeypatch.delenv("HOTLINE_PII_KEY")
        from hotline import paths

        paths.pii_key_file().parent.mkdir(parents=True, exist_ok=True)
        paths.pii_key_file().write_text("   \n")
    path = write_csv(tmp_path / "a.csv", [HEADER, ["A1", "2021/3/5", "已办结"]])
    with pytest.raises(HotlineError, match="PII key"):
        read_export(path)


@given(
    st.lists(st.text(alphabet="a\n工 ", max_size=6), min_size=1, max_size=30),
    st.integers(0, 5),
    st.integers(1, 7),
)
def test_record_lines_count_breaks_in_chunked_and_sliced_columns(
    texts: list[str], cut: int, size: int
) -> None:
    # pyarrow hands columns over in chunks, some of them slices of a larger buffer.
    whole = pa.array(["x\ny", *texts])
    sliced = whole.slice(1)
    chunks = [sliced.slice(i, size) for i in range(0, len(sliced), size)]
    table = pa.table({"a": pa.chunked_array(chunks, pa.string()), "b": pa.array(texts)})
    expected, line = [], 2 + cut
    for text in texts:
        expected.append(line)
        line += 1 + 2 * text.count("\n")
    assert _record_lines(table.num_rows, 2 + cut, _line_breaks(table)).tolist() == expected


def test_rows_differing_only_in_scrubbed_text_are_not_exact_duplicates(tmp_path: Path) -> None:
    # Scrubbing makes the two complaints read alike; the duplicate check compares the raw rows.
    (a1,) = hotline_rows(1)
    (a2,) = hotline_rows(1, start=2)
    text = "楼下噪音扰民，联系电话{}"
    rows = [
        HOTLINE_HEADER,
        a1,
        a1,
        [*a2[:3], text.format("13812345678"), *a2[4:]],
        [*a2[:3], text.format("13987654321"), *a2[4:]],
    ]
    df = read_export(write_csv(tmp_path / "a.csv", rows, encoding="gbk"))
    account = df.attrs["ingest"]
    assert account["quality"]["exact_duplicate_rows"]["count"] == 1
    assert account["merged"] == {"duplicate": 2}
    assert set(df["content"].dropna()) <= {text.format("[手机号]"), a1[3]}
