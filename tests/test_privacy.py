"""Personal data never reaches the processed dataset, reports or rejects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import write_csv, write_xlsx
from hotline import ingest, paths
from hotline.ingestion.names import looks_like_person, split_names
from hotline.ingestion.privacy import (
    caller_index,
    caller_keys,
    carries_personal_data,
    mask_phones,
    normalize_phones,
    safe_detail,
    safe_example,
    safe_file_names,
    safe_path,
    safe_sheet_names,
    screen_labels,
    scrub_identifiers,
    scrub_text,
    shown_sheet,
)
from hotline.keys import load_key

MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_CARD = re.compile(
    r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
)

SCRUB_CASES = [
    ("联系电话13812345678", "联系电话[手机号]"),
    ("电话：138 1234 5678。", "电话：[手机号]。"),
    ("手机138-1234-5678", "手机[手机号]"),
    ("+86 13812345678", "[手机号]"),
    ("拨打013812345678", "拨打[手机号]"),
    ("拨打0013812345678", "拨打[手机号]"),  # an international 00 without the country code
    ("tel13812345678", "tel[手机号]"),
    ("两个号码13812345678,13912345678", "两个号码[手机号],[手机号]"),
    ("身份证号210123198001011234", "身份证号[身份证号]"),
    ("身份证21012319800101123X号", "身份证[身份证号]号"),
    ("旧证210123800101123", "旧证[身份证号]"),
    ("座机024-23456789", "座机[电话]"),
    ("电话2345678", "电话[电话]"),
    ("邮箱 zhang.san@example.com", "邮箱 [邮箱]"),
    ("工资卡6222021234567890123", "工资卡[银行卡号]"),
    ("QQ：123456789", "QQ：[QQ号]"),
    (
        "工单号2021030500012，欠薪12000元，2021-03-05 13:45",
        "工单号2021030500012，欠薪12000元，2021-03-05 13:45",
    ),
    # Issue #11: the separator forms people type
    ("电话139 00 00 00 09。", "电话[手机号]。"),
    ("139/0000/0015", "[手机号]"),
    ("打139—0000—0016找我", "打[手机号]找我"),
    ("(139)0000-0019", "[手机号]"),
    ("+86 (139) 0000 0027", "[手机号]"),
    ("0086 139 0000 0028", "[手机号]"),
    ("139–0000–0029，139·0000·0030", "[手机号]，[手机号]"),
    ("身份证110101 19900307 7715", "身份证[身份证号]"),
    ("身份证110101-19900307-7715。", "身份证[身份证号]。"),
    ("身份证110101 19900307 771X", "身份证[身份证号]"),
    ("卡号6222 0212 3456 7890 123", "卡号[银行卡号]"),
    ("邮箱wang.jianguo＠example.com", "邮箱[邮箱]"),
]

#: Numbers that are not personal and must stay as written (issue #15 asks not to over-scrub).
KEPT = [
    "第13届 2021.03.05",
    "金额13,800,000元",
    "2021-03-05 13:45:12",
    "2021/03/05 9:30",
    "13:45 到 14:30",
    "139号楼",
    "订单 2021 0305 0012",
]


@pytest.mark.parametrize(("text", "expected"), SCRUB_CASES)
def test_scrubbing(text: str, expected: str) -> None:
    assert scrub_text(pa.array([text]))[0].as_py() == expected


@pytest.mark.parametrize("text", KEPT)
def test_numbers_that_are_not_personal_are_kept(text: str) -> None:
    assert scrub_text(pa.array([text]))[0].as_py() == text


_SEPARATORS = st.sampled_from(["", " ", "-", "/", "—", "–", ".", " - ", "\u3000"])


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.lists(_SEPARATORS, min_size=10, max_size=10),
    st.sampled_from(["", "+86 ", "0086 ", "+86-", "86 "]),
    st.booleans(),
)
def test_a_mobile_in_any_separator_form_is_scrubbed(
    phone: str, separators: list[str], prefix: str, brackets: bool
) -> None:
    head = f"({phone[:3]})" if brackets else phone[:3]
    tail = phone[3:]
    # Separators between every pair of the last eight digits, as people group them
    written = head + "".join(s + d for s, d in zip(separators[2:], tail, strict=True))
    scrubbed = scrub_text(pa.array([f"电话{prefix}{written}谢谢"]))[0].as_py()
    assert re.sub(r"[^0-9]", "", scrubbed) == "", (written, scrubbed)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(max_size=10), st.text(max_size=10))
def test_no_mobile_survives_scrubbing(phone: str, before: str, after: str) -> None:
    lead = before[:-2] if before.endswith("00") else before[:-1] if before.endswith("0") else before
    if lead[-1:].isdigit() or after[:1].isdigit():
        # part of a longer number (1013800001111), not a phone number on its own; a trunk 0 or
        # an international 00 alone before it still leaves a phone number (0013800001111)
        return
    scrubbed = scrub_text(pa.array([before + phone + after]))[0].as_py()
    assert phone not in scrubbed


def test_masks() -> None:
    phones = ["13812345678", "+86 138 1234 5678", "024-23456789", "041023456789", "110", None]
    assert mask_phones(normalize_phones(pa.array(phones))).to_pylist() == [
        "138****5678",
        "138****5678",
        "024-****6789",
        "0410-****6789",
        None,
        None,
    ]


def test_caller_keys_link_the_same_caller_and_depend_on_the_key() -> None:
    keys = caller_keys(
        pa.array(["13812345678", "13812345678", "13912345678"]), b"k1", "phone"
    ).to_pylist()
    assert keys[0] == keys[1] != keys[2]
    assert caller_keys(pa.array(["13812345678"]), b"k2", "phone")[0].as_py() != keys[0]
    assert caller_keys(pa.array(["13812345678"]), b"k1", "user")[0].as_py() != keys[0]
    assert len(keys[0]) == 32 and "1381234" not in keys[0]


def test_key_file_is_generated_once_and_private(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTLINE_PII_KEY")
    first = load_key()
    assert load_key() == first and len(first) == 64
    assert paths.pii_key_file().stat().st_mode & 0o077 == 0


def test_ingest_leaves_no_personal_data_anywhere(tmp_path: Path) -> None:
    header = [
        "工单编号",
        "受理时间",
        "来电号码",
        "来电人",
        "是否保密",
        "诉求内容",
        "办理结果",
        "办结时间",
    ]
    rows = [
        header,
        [
            "A1",
            "2021/3/5 9:00",
            "13812345678",
            "张桂兰",
            "否",
            "本人张桂兰，电话13812345678，身份证210123198001011234",
            "已联系张桂兰",
            "2021/3/6",
        ],
        ["A2", "2021/3/5 9:00", "13912345678", "李建国", "是", "保密来电", "", "13912345678"],
        ["A3", "张桂兰", "13812345678", "张桂兰", "", "日期写错的一行", "", ""],
    ]
    out = tmp_path / "out"
    result = ingest([write_xlsx(tmp_path / "pii.xlsx", rows)], out=out, progress=False)
    df = result.table.to_pandas()
    assert df.loc[df.order_id == "A2", "caller_phone_masked"].isna().all()  # confidential
    assert (
        df.loc[df.order_id == "A1", "content"].item()
        == "本人[姓名]，电话[手机号]，身份证[身份证号]"
    )
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    text = written.decode("utf-8", errors="ignore")
    for secret in ("13812345678", "13912345678", "210123198001011234", "张桂兰", "李建国"):
        assert secret not in text
    for column in df.columns:
        values = df[column].dropna().astype(str)
        assert not values.str.contains(MOBILE).any(), column
        assert not values.str.contains(ID_CARD).any(), column


NAME_CASES = [
    # (text, caller-name cell, expected)
    ("我是王建国，请回电", "王建国（先生）", "我是[姓名]，请回电"),
    ("王 建国来电", "王建国", "[姓名]来电"),
    ("王　建　国来电", "王建国", "[姓名]来电"),
    ("来电人王建國反映", "王建国", "来电人[姓名]反映"),
    ("来电人王建国反映", "王建國", "来电人[姓名]反映"),
    ("王建国、李秀英夫妇反映", "王建国、李秀英", "[姓名]、[姓名]夫妇反映"),
    ("李秀英代王建国反映", "王建国 李秀英", "[姓名]代[姓名]反映"),
    ("欧阳娜娜（女士）来电", "欧阳娜娜", "[姓名]（女士）来电"),
    ("张女士来电", "张女士", "张女士来电"),  # a surname alone names nobody
    ("市民来电反映", "市民", "市民来电反映"),  # nor does a placeholder
    ("本人王建国", None, "本人王建国"),
]


@pytest.mark.parametrize(("text", "who", "expected"), NAME_CASES)
def test_caller_names_are_scrubbed_in_their_variants(
    text: str, who: str | None, expected: str
) -> None:
    scrubbed = scrub_identifiers(pa.array([text]), pa.array([who], pa.string()), "[姓名]")
    assert scrubbed.to_pylist() == [expected]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("王建国（先生）", ["王建国"]),
        ("【李秀英】", ["李秀英"]),
        ("王建国;李秀英/张伟", ["王建国", "李秀英", "张伟"]),
        ("王 建国", ["王建国"]),
        ("John Smith", ["John Smith"]),
        ("王先生", []),
    ],
)
def test_split_names(cell: str, names: list[str]) -> None:
    assert split_names(cell) == names


PERSON_LABELS = ["欧阳娜娜", "上官婉儿", "司马相如", "王建国", "李娜", "张女士", "王建国（先生）"]
PLACE_LABELS = [
    "县住建局",
    "城关镇",
    "王家庄村",
    "新兴街道",
    "县供热公司",
    "李千镇",
    "高新区",
    "县疾病预防控制中心",
    "已办结",
    "办理中",
    "马家屯",
    "黄金周边",
]


@pytest.mark.parametrize("label", PERSON_LABELS)
def test_a_label_that_is_a_person_is_masked(label: str) -> None:
    assert looks_like_person(label)
    assert screen_labels(pa.array([label]), {}, person_like=True).to_pylist() == ["[姓名]"]
    assert safe_example(label, "code").startswith("‹")


@pytest.mark.parametrize("label", PLACE_LABELS)
def test_organisations_and_places_are_kept(label: str) -> None:
    assert not looks_like_person(label)
    assert screen_labels(pa.array([label]), {}, person_like=True).to_pylist() == [label]


def test_a_callers_name_in_a_label_is_masked_in_any_form() -> None:
    callers = caller_index(["王建国（先生）", "李秀英、张伟"])
    labels = pa.array(["城关镇王 建國家", "张伟", "商务", "司法", None])
    # Topics are not screened for name-likeness (商务, 司法 start with surnames)
    assert screen_labels(labels, callers).to_pylist() == [
        "城关镇[姓名]家",
        "[姓名]",
        "商务",
        "司法",
        None,
    ]


@pytest.mark.parametrize(
    ("name", "personal"),
    [
        ("王建国13900000009投诉", True),
        ("张伟来电", True),
        ("欧阳娜娜", True),
        ("来电110101199003077715", True),
        ("a.b@qq.com工单", True),
        ("12345热线工单明细_2021年01月", False),
        ("gongdan_export_20211203", False),
        ("网络投诉留言_2021", False),
        ("城关镇工单", False),
        ("Sheet1", False),
        # A folder or sheet named only after a person (finding 7 of issue #11).
        ("李秀英", True),
        ("张女士", True),
        ("王·建国", True),
        ("王\u00ad建国", True),  # a soft hyphen, invisible
        ("王 建国", True),
        ("2021年3月", False),
        ("文件1", False),  # hotline's own labels are never screened again
        ("文件夹12", False),
        ("工作表3", False),
        ("13900005001", True),
        ("110101199003077715", True),
    ],
)
def test_file_and_sheet_names_carrying_personal_data(name: str, personal: bool) -> None:
    assert carries_personal_data(name) is personal


@pytest.mark.parametrize(
    ("name", "callers", "personal"),
    [
        ("阿依古丽的材料", ["阿依古丽"], True),  # no surname rule knows this name
        ("阿依古丽的材料", [], False),
        ("阿依古麗", ["阿依古丽"], True),  # traditional form
        ("材料", ["阿依古丽"], False),
    ],
)
def test_names_found_in_the_data_are_screened(name: str, callers: list, personal: bool) -> None:
    assert carries_personal_data(name, caller_index(callers)) is personal


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["2021年3月/李秀英/a.csv"], ["2021年3月/文件夹1/a.csv"]),
        (["欧阳娜娜/李秀英/欧阳娜娜来电.csv"], ["文件夹1/文件夹2/文件1.csv"]),
        (["13900005001/a.csv", "110101199003077715/b.csv"], ["文件夹1/a.csv", "文件夹2/b.csv"]),
        # The same folder gets the same label wherever it appears.
        (["李秀英/a.csv", "李秀英/b.csv"], ["文件夹1/a.csv", "文件夹1/b.csv"]),
        # A label is not reused with another suffix: 文件1.csv is taken, so 文件2.xlsx.
        (["文件1.csv", "李秀英.xlsx"], ["文件1.csv", "文件2.xlsx"]),
    ],
)
def test_every_part_of_a_path_is_screened(names: list[str], expected: list[str]) -> None:
    assert safe_file_names(names) == expected


def test_screening_again_with_the_callers_keeps_earlier_labels() -> None:
    first = safe_file_names(["王建国投诉.csv", "材料/阿依古丽的材料/a.csv"])
    assert first == ["文件1.csv", "材料/阿依古丽的材料/a.csv"]
    again = safe_file_names(first, caller_index(["阿依古丽"]))
    assert again == ["文件1.csv", "材料/文件夹1/a.csv"]


def test_messages_name_a_personal_sheet_by_its_account_label_and_position() -> None:
    sheets = ["说明", "王建国13900005001", "Sheet3", "李秀英"]
    labels = safe_sheet_names(sheets)
    assert labels == ["说明", "工作表1", "Sheet3", "工作表2"]
    assert shown_sheet("Sheet3", sheets) == "'Sheet3'"
    for position in (1, 3):
        shown = shown_sheet(sheets[position], sheets)
        assert shown.startswith(f"{labels[position]} (the workbook's sheet {position + 1};")
    detail = safe_detail("Sheet '王建国13900005001' not found", sheets)
    assert detail == "Sheet '工作表1' not found"


@pytest.mark.parametrize(
    ("path", "secret"),
    [
        ("/home/u/raw/李秀英/a.csv", "李秀英"),
        ("raw/2021年3月/13900005001.xlsx", "13900005001"),
        ("raw/王建国投诉", "王建国"),
    ],
)
def test_paths_in_error_messages_are_screened(path: str, secret: str) -> None:
    from hotline.errors import InputError

    assert secret not in safe_path(path)
    assert secret not in str(InputError(path, "file not found"))


def test_file_labels_are_stable_and_disambiguated() -> None:
    names = [
        "王建国13900000009投诉.csv",
        "文件1.csv",
        "张伟来电/工单.xlsx",
        "王建国13900000009投诉.csv",
    ]
    assert safe_file_names(names) == ["文件2.csv", "文件1.csv", "文件夹1/工单.xlsx", "文件2.csv"]


def _account_files(out: Path) -> str:
    return "".join(
        (out / f).read_text(encoding="utf-8-sig")
        for f in ("manifest.json", "ingest_report.md", "rejects.csv")
    )


def test_names_in_labels_status_and_file_names_never_reach_the_outputs(tmp_path: Path) -> None:
    """Issue #11 reproductions: a caller's name in 承办单位/乡镇, a name as a status word,
    name variants in content, a phone in the file name and a name in a sheet name."""
    header = ["工单编号", "受理时间", "来电人", "诉求内容", "承办单位", "乡镇/街道", "办理状态"]
    rows = [
        header,
        ["A1", "2021/3/5 9:00", "王建国（先生）", "王 建國反映", "王建国", "城关镇", "已办结"],
        [
            "A2",
            "2021/3/5 9:00",
            "王建国、李秀英",
            "王建国、李秀英反映",
            "县住建局",
            "李秀英",
            "欧阳娜娜",
        ],
        ["A3", "2021/3/5 9:00", "张三", "无", "县住建局", "王家庄村", "上官婉儿"],
        ["A4", "139 0000 0015", "张三", "无", "县住建局", "王家庄村", "已办结"],
    ]
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "王建国13900000009投诉.csv", rows)
    write_xlsx(
        raw / "工单.xlsx",
        [header, ["B1", "2021/3/6 9:00", "赵六", "无", "县住建局", "城关镇", "已办结"]],
        sheet="张伟来电",
        before=[("说明", [["无"]])],
    )
    out = tmp_path / "out"
    result = ingest([raw], out=out, progress=False)
    df = result.table.to_pandas()
    assert sorted(df.source_file.unique()) == ["工单.xlsx", "文件1.csv"]
    inputs = {i["name"]: i for i in result.manifest["inputs"]}
    assert inputs["工单.xlsx"]["sheet"] == "工作表1"
    assert df.set_index("order_id").loc["A1", "department"] == "[姓名]"
    assert df.set_index("order_id").loc["A2", "town"] == "[姓名]"
    assert df.set_index("order_id").loc["A2", "content"] == "[姓名]、[姓名]反映"
    assert df.set_index("order_id").loc["A1", "content"] == "[姓名]反映"
    assert set(df.status_raw.dropna()) == {"已办结", "[姓名]"}
    assert df.set_index("order_id").loc["A3", "town"] == "王家庄村"  # a place stays
    written = _account_files(out) + df.to_csv()
    for secret in ("王建国", "李秀英", "欧阳娜娜", "上官婉儿", "张伟", "13900000009", "0015"):
        assert secret not in written, secret
    assert "文件1.csv" in _account_files(out)


@pytest.mark.slow
def test_a_countys_personal_data_reaches_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plant personal data in every column and a file and sheet name of the sample; ingest,
    report (text, tables, charts), metrics as CSV and JSON and the unit and topic notebooks
    (executed, with their HTML); no byte of any output holds it."""
    from hotline.cli import main
    from planted import FILE_NAME, SECRETS, plant_sample
    from privacy_scan import describe, scan

    raw, out, report = tmp_path / "raw", tmp_path / "out", tmp_path / "report"
    plant_sample(raw)
    # The scan finds every secret where it was planted: it can see what it looks for.
    assert {leak.secret for leak in scan(raw, SECRETS)} == {s.text for s in SECRETS}
    assert main(["ingest", str(raw), "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out), "--year", "2021", "--out", str(report)]) == 0
    capsys.readouterr()
    for fmt, by in (("csv", "department"), ("json", "town"), ("csv", "topic,channel")):
        assert main(["metrics", str(out), "--format", fmt, "--by", by]) == 0
        (report / f"metrics-{by}.{fmt}").write_text(capsys.readouterr().out, "utf-8")
    assert (report / "figures").is_dir() and (report / "tables.xlsx").is_file()
    # the notebooks that show units, topics and keywords, executed to HTML as analysts share them
    from hotline.notebooks import run_notebooks

    written = run_notebooks(
        ["03", "04"],
        parameters={"dataset": str(out)},
        out=report / "notebooks",
        folder=Path(__file__).resolve().parents[1] / "notebooks",
    )
    assert sum(path.suffix == ".html" for path in written) == 2
    leaks = scan(out, SECRETS) + scan(report, SECRETS)
    assert not leaks, describe(leaks)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert FILE_NAME not in json.dumps(manifest, ensure_ascii=False)
    assert "文件1.csv" in {i["name"] for i in manifest["inputs"]}


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("139****0000", "139****0000"),
        ("139＊＊＊＊0000", "139****0000"),
        ("024-****6789", "024-****6789"),
        ("138xxxx5678", "138xxxx5678"),
        ("13812345678", "138****5678"),  # a whole number is masked as before
    ],
)
def test_a_phone_the_export_masked_is_shown_as_masked_and_links_nobody(
    cell: str, shown: str, tmp_path: Path
) -> None:
    from exports import write_csv

    header = ["工单编号", "受理时间", "来电号码", "诉求内容", "办理状态"]
    rows = [header] + [[f"M{i}", "2021/3/5 9:00", cell, "路灯不亮", "已办结"] for i in range(2)]
    table = ingest([write_csv(tmp_path / "m.csv", rows)], write=False, progress=False).table
    assert table.column("caller_phone_masked").to_pylist() == [shown, shown]
    whole = cell.isdigit()  # two requests of one known number are one caller; masked: unknown
    keys = table.column("caller_key").to_pylist()
    assert (keys[0] is not None and keys[0] == keys[1]) if whole else keys == [None, None]
