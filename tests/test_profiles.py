"""Header variants from the domain reference §6 map to canonical fields; mapping files add more."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.errors import MappingError
from hotline.profiles import MAPPABLE_FIELDS, builtin, load_mapping
from hotline.text import fold_header

# (profile, header as exported, canonical field) — every spelling listed in the reference §6.1/§6.2
HEADER_VARIANTS = [
    ("hotline", h, f)
    for f, spellings in {
        "order_id": [
            "工单编号",
            "工单号",
            "受理编号",
            "热线单号",
            "平台单号",
            "诉求编号",
            "客服流水号",
        ],
        "received_at": ["来电时间", "受理时间", "登记时间", "工单时间", "系统接单时间", "反映时间"],
        "caller_phone": ["来电号码", "联系电话", "求助号码", "诉求人电话", "受理号码"],
        "caller_name": ["来电人", "诉求人", "求助人员", "联系人姓名"],
        "channel": ["诉求渠道", "受理渠道", "来源", "工单来源", "热线来源", "诉求方式"],
        "request_type": ["诉求类型", "诉求性质", "来电类型", "工单类型"],
        "topic": ["问题分类", "业务分类", "一级分类", "诉求归口", "内容分类"],
        "topic_l2": ["二级分类"],
        "topic_l3": ["三级分类"],
        "title": ["工单标题", "诉求标题", "主题"],
        "content": ["诉求内容", "来电内容", "反映内容", "事项内容"],
        "town": ["乡镇/街道", "乡镇", "街道", "所属区域", "事发区域"],
        "department": ["承办单位", "责任单位", "主办单位", "受理部门", "市交办主办单位"],
        "dispatched_at": ["派单时间", "交办时间", "转办时间", "市交办时间", "区交办时间"],
        "signed_at": ["签收时间"],
        "due_at": ["办理时限", "办结期限", "规定日期", "答复期限", "区交办办结期限"],
        "is_extended": ["延期申请", "是否延期"],
        "return_count": ["退单次数"],
        "status": ["办理状态", "工单状态", "处置状态"],
        "reply": ["办理结果", "答复内容", "处置结果", "回复内容"],
        "closed_at": ["办结时间", "结案时间"],
        "satisfaction": ["满意度", "满意度评价", "是否满意"],
        "is_resolved": ["是否解决"],
        "is_contacted": ["是否联系"],
        "confidential": ["是否保密"],
    }.items()
    for h in spellings
] + [
    ("online", h, f)
    for f, spellings in {
        "order_id": ["留言编号"],
        "caller_user": ["留言用户"],
        "title": ["留言主题", "标题"],
        "received_at": ["留言时间", "反映时间", "提问时间"],
        "content": ["留言详情", "内容", "提问内容"],
        "topic": ["一级标签", "一级分类"],
        "reply": ["答复意见", "官方答复", "答复内容"],
        "replied_at": ["答复时间"],
        "department": ["答复单位", "答复部门"],
    }.items()
    for h in spellings
]


@pytest.mark.parametrize(("profile", "header", "field"), HEADER_VARIANTS)
def test_reference_header_variants_map(profile: str, header: str, field: str) -> None:
    match = builtin(profile).match_headers(["备注", header])
    assert match.fields == {field: 1}


@pytest.mark.parametrize(
    "decorated",
    [
        "工单编号",
        " 工单编号 ",
        "工单编号：",
        "*工单编号",
        "工单\u3000编号",
        "工单编号（必填）",
        "［工单编号］",
    ],
)
def test_headers_match_after_folding(decorated: str) -> None:
    assert builtin("hotline").match_headers([decorated, "受理时间"]).fields["order_id"] == 0


def test_each_column_feeds_one_field_and_specific_spellings_win() -> None:
    match = builtin("hotline").match_headers(["编号", "工单编号", "受理时间", "状态", "办理状态"])
    assert match.fields["order_id"] == 1
    assert match.fields["status"] == 4
    assert set(match.ignored) == {"编号", "状态"}


def test_full_width_header_folds() -> None:
    assert fold_header("ＡＰＰ来源") == "app来源"


def test_missing_required_fields_name_the_closest_headers() -> None:
    profile = builtin("hotline")
    match = profile.match_headers(["工单编码", "来电日期", "内容"])
    message = profile.explain_missing(match)
    assert "order_id" in message and "received_at" in message
    assert "'工单编码'" in message and "'来电日期'" in message


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vendor.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_file_adds_headers_and_values(tmp_path: Path) -> None:
    mapping = load_mapping(
        write(
            tmp_path,
            'extends = "hotline"\n[columns]\norder_id = "流水号"\nreceived_at = ["来电日期"]\n'
            '[values.status]\n"已处理完成" = "closed"\n[options]\ndate_order = "ymd"\n',
        )
    )
    profile = builtin("hotline").extended(mapping, mapping["origin"])
    assert profile.match_headers(["流水号", "来电日期"]).fields == {"order_id": 0, "received_at": 1}
    assert profile.lookup("status", ["已处理完成", "已办结"]) == ["closed", "closed"]
    assert builtin("hotline").lookup("status", ["已处理完成"]) == [None]  # built-in unchanged


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[columns]\nticket = '流水号'\n", "unknown field 'ticket'"),
        ("[values.status]\n'好了' = 'done'\n", "expected one of"),
        ("[values.town]\n'a' = 'b'\n", "not a field with a vocabulary"),
        ("extends = 'police'\n", "extends = 'police'"),
        ("[colums]\n", "unknown section"),
        ("[columns\n", "not valid TOML"),
        ("[options]\ndate_order = 'ydm'\n", "date_order"),
    ],
)
def test_bad_mapping_files_say_what_is_wrong(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(MappingError, match=complaint.replace("[", r"\[")):
        load_mapping(write(tmp_path, text))


def test_documented_example_mapping_is_valid() -> None:
    example = Path(__file__).resolve().parents[1] / "docs" / "examples" / "mapping.toml"
    mapping = load_mapping(example)
    assert set(mapping["columns"]) <= set(MAPPABLE_FIELDS)
