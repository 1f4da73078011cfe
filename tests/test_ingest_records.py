"""Typed ingest records: the fact registry, counted facts, stage records and the file account.

Expectations are written out by hand from the rules (not by running the code): the manifest's
field list is the form earlier versions wrote, and each message is the account's sentence.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.dataset import ingest_facts
from hotline.ingestion import facts
from hotline.ingestion.accounting import FileReport, Totals
from hotline.ingestion.facts import FACTS, FactCount, combine, current_code
from hotline.ingestion.pipeline import ingest
from hotline.ingestion.report import render_account
from hotline.ingestion.stages import (
    LayoutResult,
    MergeResult,
    PrivacyResult,
    ReadResult,
    Stages,
    Unparseable,
    ValuesResult,
)

#: The manifest entry's keys, in order, as every earlier version wrote them.
MANIFEST_FIELDS = [
    "name", "path", "sha256", "size", "profile", "profile_rule", "profile_scores",
    "profile_rows", "kind", "role", "language", "calendar", "timezone", "timezone_rule",
    "offsets", "sheet", "encoding",
    "header_row", "columns", "information", "ignored_columns", "skipped_sheets", "snapshot_at",
    "snapshot_rule", "rows_in", "lines", "blank_rows", "written", "merged", "rejected",
    "unparseable", "quality",
]  # fmt: skip


def test_registry_declares_each_rule_once_with_both_titles() -> None:
    codes = [fact.code for fact in FACTS.values()]
    assert codes == list(FACTS) and len(set(codes)) == len(codes)
    assert all(fact.title_zh and fact.title_en for fact in FACTS.values())
    former = [old for fact in FACTS.values() for old in fact.former]
    assert not set(former) & set(FACTS), "an old name must not be a current one"


def test_one_name_for_close_before_receipt() -> None:
    assert "closed_before_received" in FACTS and "closed_before_created" not in FACTS
    assert current_code("closed_before_created") == "closed_before_received"


def test_an_undeclared_fact_cannot_be_counted() -> None:
    with pytest.raises(KeyError, match="undeclared"):
        facts.fact("made_up_rule", np.array([True]), np.array([2]))


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        (
            FactCount("closed_before_received", 3, (4, 7, 9), {"date_only_same_day": 2}),
            "办结时间早于受理时间 3 条（其中仅有日期、记为受理当日零点 2 条）；首见于第 4、7、9 行",
        ),
        (
            FactCount("closed_before_received", 1, (4,), {"date_only_same_day": 0}),
            "办结时间早于受理时间 1 条；首见于第 4 行",
        ),
        (
            FactCount("excel_errors", 2, (3, 5), {"by_column": {"status": 2}, "by_error": {}}),
            "Excel 错误值单元格（#N/A、#DIV/0! 等）：日期和代码另计为无法解析，其余照录 2 条"
            "（status 2）；首见于第 3、5 行",
        ),
        (
            FactCount("id_collision", 2, (2, 3), {"ids": ("A1", "A2")}),
            "编号冲突：工单编号与其他记录相同，但受理时间或来电人不同，是不同的诉求：已分别保留，"
            "编号改为“原编号@来源文件” 2 条（原编号 A1、A2）；首见于第 2、3 行",
        ),
    ],
)
def test_message_is_the_accounts_sentence(found: FactCount, expected: str) -> None:
    assert FACTS[found.code].message(found) == expected


def test_manifest_form_round_trips() -> None:
    stored = {"count": 6, "rows": [1, 2, 3, 4, 5], "by_status": {"cancelled": 6}}
    found = FactCount.from_dict("close_date_not_closed", stored)
    assert found.to_dict() == stored
    old = FactCount.from_dict("closed_before_created", {"count": 1, "rows": [8]})
    assert (old.code, old.count, old.rows) == ("closed_before_received", 1, (8,))


def test_older_datasets_facts_read_under_the_current_name() -> None:
    frame = pd.DataFrame()
    frame.attrs["manifest"] = {
        "inputs": [{"name": "la.csv", "quality": {"closed_before_created": {"count": 12}}}]
    }
    assert ingest_facts(frame).values.tolist() == [["la.csv", "closed_before_received", 12, []]]


counts = st.lists(st.integers(1, 50), min_size=1, max_size=6)


@given(counts)
def test_combined_counts_add_and_keep_five_first_rows(sizes: list[int]) -> None:
    parts, start = [], 0
    for size in sizes:
        rows = tuple(range(start, start + size))
        parts.append({"zero_duration": FactCount("zero_duration", size, rows[:5])})
        start += size
    total = combine(*parts)["zero_duration"]
    assert total.count == sum(sizes)
    assert total.rows == tuple(range(start))[:5]


def test_breakdowns_add_per_key() -> None:
    a = FactCount("mojibake", 2, (2, 3), {"by_column": {"content": 2}})
    b = FactCount("mojibake", 3, (9,), {"by_column": {"content": 1, "title": 2}})
    assert a.plus(b).breakdown == {"by_column": {"content": 3, "title": 2}}


def _stages() -> Stages:
    return Stages(
        ReadResult("a.csv", path="a.csv", size=10, lines=6),
        LayoutResult(
            profile="hotline",
            kind="hotline",
            columns={"order_id": "工单编号"},
            ignored_columns=("备注",),
            rows_in=6,
            blank_rows=1,
            rejected={"footer": 1},
        ),
        ValuesResult(
            timezone="Asia/Shanghai",
            rejected={"missing_order_id": 1},
            unparseable={"状态": Unparseable(1, "以下之一：", ((4, "x"),))},
            quality={"zero_duration": FactCount("zero_duration", 1, (3,))},
            information=("closure", "department"),
        ),
        PrivacyResult(caller_keys=3),
    )


def test_file_report_is_built_once_from_the_stages() -> None:
    merge = MergeResult(
        written=3,
        merged={"duplicate": 1},
        quality={"id_collision": FactCount("id_collision", 1, (5,), {"ids": ("A",)})},
    )
    report = FileReport.build(_stages(), merge)
    assert report.balanced  # 6 = 3 written + 1 merged + 2 rejected
    assert report.rejected == {"footer": 1, "missing_order_id": 1}
    assert list(report.quality) == ["zero_duration", "id_collision"]
    assert report.privacy.caller_keys == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.written = 4  # type: ignore[misc]


def test_manifest_entry_keeps_its_form() -> None:
    entry = FileReport.build(_stages(), MergeResult(written=4)).to_dict()
    assert list(entry) == MANIFEST_FIELDS  # privacy counts stay out of the manifest
    assert entry["ignored_columns"] == ["备注"] and entry["skipped_sheets"] == []
    assert entry["unparseable"] == {
        "状态": {"count": 1, "expected": "以下之一：", "examples": [[4, "x"]]}
    }
    assert entry["quality"] == {"zero_duration": {"count": 1, "rows": [3]}}


def test_account_reads_titles_from_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    report = FileReport.build(_stages(), MergeResult(written=4))
    renamed = dataclasses.replace(FACTS["zero_duration"], title_zh="零时长（测试用标题）")
    monkeypatch.setitem(FACTS, "zero_duration", renamed)  # type: ignore[arg-type]
    text = render_account([report], Totals.of([report]), {"hotline": 4})
    assert "- a.csv：零时长（测试用标题） 1 条；首见于第 3 行" in text


def test_privacy_counts_of_an_ingest(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE_PII_KEY", "test-key-0123456789abcdef")
    csv = tmp_path / "工单.csv"
    lines = [
        "工单编号,受理时间,来电号码,办理状态",
        "A1,2021/3/5 9:32,13812345678,已办结",
        "A2,2021/3/5 9:40,,已办结",
        "A3,2021/3/5 9:50,13912345678,已办结",
    ]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest([csv], write=False, progress=False).reports[0]
    # two rows state a phone: each keys its caller and keeps the number masked
    assert (report.privacy.caller_keys, report.privacy.masked_phones) == (2, 2)
    assert "privacy" not in report.to_dict()


def test_docs_list_every_declared_fact() -> None:
    from pathlib import Path

    guide = (Path(__file__).parents[1] / "docs" / "profiles.md").read_text(encoding="utf-8")
    missing = [code for code in FACTS if f"| `{code}` |" not in guide]
    assert not missing, f"docs/profiles.md lacks a row for {missing}"
