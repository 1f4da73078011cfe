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
        ('[report]\nsource_label = ""\n', "must be a plain name"),
        ("[report]\nsource_label = 12345\n", "must be a plain name"),
        ('[report]\nsource_label = "县热线 13912345678"\n', "must be a plain name"),
        ('[report]\nsource_label = "=cmd|calc"\n', "must be a plain name"),
        ('[report]\nsource_label = "[点此](http://x)"\n', "must be a plain name"),
        ("[report\n", "not valid TOML"),
    ],
    ids=[
        "misspelt key",
        "unknown table",
        "empty",
        "a number",
        "a phone",
        "formula",
        "link",
        "broken TOML",
    ],
)
def test_a_wrong_setting_is_one_clear_error(
    isolated_project: Path, text: str, message: str
) -> None:
    write_settings(isolated_project, text)
    with pytest.raises(HotlineError, match=message):
        project.source_label()


def test_the_report_title_begins_with_the_project_s_area(
    isolated_project: Path, tmp_path: Path
) -> None:
    import docx

    from hotline.report import build_report
    from hotline.report.document import plain_text

    write_settings(isolated_project, '[report]\narea = "示例县"\n')
    files = build_report(two_months(), 2021, out=tmp_path / "r")
    heading = files.text.read_text(encoding="utf-8").splitlines()[0]
    assert heading.startswith("# 示例县2021年")
    title = docx.Document(str(files.word)).core_properties.title
    assert title == plain_text(heading[2:])
    own = build_report(two_months(), 2021, out=tmp_path / "o", area="Springfield", lang="en")
    assert own.text.read_text(encoding="utf-8").startswith("# Springfield ")  # argument wins


@pytest.mark.parametrize(
    "area",
    [
        "示例县\n# 另一个标题",
        "[点此](http://x.example)",
        "县" * 31,
        "<b>县</b>",
        "",
        "   ",
        "王建国13912345678",
    ],
    ids=["line break", "markdown link", "too long", "html", "empty", "blank", "a phone"],
)
def test_an_area_that_is_not_a_place_name_is_refused(isolated_project: Path, area: str) -> None:
    write_settings(isolated_project, f"[report]\narea = {area!r}\n".replace("'", '"'))
    with pytest.raises(HotlineError, match=r"\[report\] area must be a plain name") as raised:
        project.area()
    assert "139" not in str(raised.value)  # the error never repeats a number it refuses


def test_another_dataset_can_set_the_project_s_names_aside(isolated_project: Path) -> None:
    """A 311 export in a county's project: "" asks for no area and the files' names."""
    write_settings(isolated_project, f'[report]\narea = "示例县"\nsource_label = "{PLATFORM}"\n')
    assert (project.area(), project.source_label()) == ("示例县", PLATFORM)
    assert project.area("") is None and project.source_label("") is None
    attrs = {"sources": ["nyc.csv"]}
    assert footnote_text(attrs, source_label="").startswith("数据来源：nyc.csv")
    with pytest.raises(HotlineError, match=r"^--area must be a plain name"):
        project.area("示例\n县")
