"""Personal data never reaches the processed dataset, reports or rejects."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports import write_xlsx
from hotline import ingest, paths
from hotline.ingestion.privacy import (
    caller_keys,
    mask_phones,
    normalize_phones,
    scrub_text,
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
]


@pytest.mark.parametrize(("text", "expected"), SCRUB_CASES)
def test_scrubbing(text: str, expected: str) -> None:
    assert scrub_text(pa.array([text]))[0].as_py() == expected


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(max_size=10), st.text(max_size=10))
def test_no_mobile_survives_scrubbing(phone: str, before: str, after: str) -> None:
    if before[-1:] in set("123456789") or after[:1] in set("0123456789"):
        return  # part of a longer number, not a phone number on its own
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
    written = b"".join(p.read_bytes() for p in out.iterdir())
    text = written.decode("utf-8", errors="ignore")
    for secret in ("13812345678", "13912345678", "210123198001011234", "张桂兰", "李建国"):
        assert secret not in text
    for column in df.columns:
        values = df[column].dropna().astype(str)
        assert not values.str.contains(MOBILE).any(), column
        assert not values.str.contains(ID_CARD).any(), column
