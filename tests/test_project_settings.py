"""hotline.toml names the data's source once; every chart's footnote uses it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hotline import metrics, project
from hotline.errors import HotlineError
from hotline.plotting import trend_chart
from hotline.plotting.charts.frame import footnote_text
from orders import frame

PLATFORM = "示例县12345热线平台"


def write_settings(home: Path, text: str) -> None:
    (home / project.SETTINGS_FILE).write_text(text, encoding="utf-8")


def two_months() -> pd.DataFrame:
    rows = [
        {"order_id": str(i), "source_kind": "hotline", "received_at": day, "status": "closed"}
        for i, day in enumerate(["2021-01-05", "2021-02-05"])
    ]
    return frame(rows)


def footnote_of(chart: object) -> str:
    return chart._supxlabel.get_text().replace("\n", "")  # type: ignore[attr-defined]


def test_without_settings_footnotes_name_the_files() -> None:
    assert project.source_label() is None
    attrs = {"sources": ["12345热线工单明细_2021年01月.xlsx"]}
    assert footnote_text(attrs).startswith("数据来源：12345热线工单明细_2021年01月.xlsx；")


def test_the_project_names_its_source_once(isolated_project: Path) -> None:
    write_settings(isolated_project, f'[report]\nsource_label = "{PLATFORM}"\n')
    fig = trend_chart(metrics.monthly_trend(two_months()))
    assert f"数据来源：{PLATFORM}；" in footnote_of(fig)
    own = trend_chart(metrics.monthly_trend(two_months()), source_label="县政务服务中心")
    assert "数据来源：县政务服务中心；" in footnote_of(own)  # the argument wins


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[report]\nsource_lable = "x"\n', r"unknown setting \[report\] source_lable"),
        ('[charts]\nsource_label = "x"\n', r"unknown setting \[charts\]"),
        ('[report]\nsource_label = ""\n', "must be a non-empty text"),
        ("[report]\nsource_label = 12345\n", "must be a non-empty text"),
        ("[report\n", "not valid TOML"),
    ],
    ids=["misspelt key", "unknown table", "empty", "a number", "broken TOML"],
)
def test_a_wrong_setting_is_one_clear_error(
    isolated_project: Path, text: str, message: str
) -> None:
    write_settings(isolated_project, text)
    with pytest.raises(HotlineError, match=message):
        project.source_label()
