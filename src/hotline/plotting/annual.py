"""The charts of an annual report, drawn from the metric results the report's text states.

Notebook 05 and ``hotline report`` both draw this set, so the figures an analyst reviews in the
notebook are the ones that go into the report. Each chart is drawn from one metric call with the
same arguments as the report's facts (:mod:`hotline.report.annual`): ``summary(year=…)`` for the
funnel, whose 办结 and 满意 are the text's 办结量 and 满意件数, ``monthly_trend(year=…)`` for
the trend, ``rank_units(unit=…, year=…)`` for the 红黑榜, and so on, under one set of
definitions and one as-of time. Pass the report's own cache (``results=sheet.result`` of a
:class:`~hotline.report.facts.FactSheet`) and the charts use the very tables the text was
written from.

Only charts with something to show are drawn (:func:`worth_drawing`): a report numbers its
figures 图1, 图2 … in the order it gets them, so a placeholder ("no data", "one month only")
would take a number. A report's charts (:func:`report_charts`) carry no title in the image: the
report's caption below it is the title, and what qualifies it (the funnel's base, "only the 20
largest of 98") stays in the image as a small line at the top. Each figure's label
(``Figure.get_label()``) is its caption, without that qualification.

Example:
    >>> [key for key, *_ in ANNUAL_CHARTS][:3]
    ['trend', 'department_closure', 'town_closure']
    >>> [(function, options) for key, _, function, options in ANNUAL_CHARTS if key == "funnel"]
    [('summary', {})]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from hotline.metrics.calls import Results, metric_results
from hotline.metrics.definitions import Definitions
from hotline.metrics.engine import Data
from hotline.plotting.charts import (
    duration_chart,
    funnel_chart,
    pareto_chart,
    ranking_chart,
    rates_chart,
    trend_chart,
    weekday_hour_chart,
)
from hotline.plotting.charts.patterns import lifecycle_stages
from hotline.plotting.export import save_figure

__all__ = [
    "ANNUAL_CHARTS",
    "Results",
    "annual_chart_data",
    "annual_charts",
    "metric_results",
    "report_charts",
    "save_annual_charts",
    "worth_drawing",
]

#: (key, chart, the :mod:`hotline.metrics` function by name, its options), in report order;
#: every call also gets the definitions and ``year``, as the report's facts do.
ANNUAL_CHARTS: tuple[tuple[str, Callable[..., Any], str, dict[str, Any]], ...] = (
    ("trend", trend_chart, "monthly_trend", {}),
    ("department_closure", rates_chart, "summary", {"by": "department"}),
    ("town_closure", rates_chart, "summary", {"by": "town"}),
    ("department_ranking", ranking_chart, "rank_units", {"unit": "department"}),
    ("weekday_hour", weekday_hour_chart, "weekday_hour", {}),
    ("topics", pareto_chart, "summary", {"by": "topic"}),
    ("funnel", funnel_chart, "summary", {}),
    ("durations", duration_chart, "duration_distribution", {}),
)


def annual_chart_data(
    data: Data,
    year: int,
    *,
    definitions: Definitions | str | None = None,
    results: Results | None = None,
) -> dict[str, Any]:
    """The metric result each chart of the year's report is drawn from.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported on.
        definitions: :class:`Definitions` or preset name.
        results: Where metric results come from (default :func:`metric_results`); a report
            passes its ``FactSheet.result`` so the charts and the text share each table.

    Returns:
        Chart key -> the metric result its chart draws, for every key of
        :data:`ANNUAL_CHARTS`, whether or not :func:`worth_drawing`.
    """
    results = results or metric_results(data, definitions)
    return {
        key: results(function, {**options, "year": int(year)})
        for key, _, function, options in ANNUAL_CHARTS
    }


def annual_charts(
    data: Data,
    year: int,
    *,
    definitions: Definitions | str | None = None,
    lang: str | None = None,
    source_label: str | None = None,
    results: Results | None = None,
    titled: bool = True,
) -> dict[str, Any]:
    """Draw every chart of the year's report.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported on.
        definitions: :class:`Definitions` or preset name.
        lang: ``zh`` or ``en``; default the data's language.
        source_label: The data's source named in the footnotes ("XX县12345热线平台");
            default the project's (``hotline.toml``, :mod:`hotline.project`), else the files.
        results: Where metric results come from, as for :func:`annual_chart_data`.
        titled: Draw each chart's title in the image; ``False`` for a report, which captions
            each figure with its label.

    Returns:
        Chart key -> matplotlib Figure, in report order (keys as in :data:`ANNUAL_CHARTS`),
        without the charts the data cannot support (see :func:`worth_drawing`).
    """
    chart_data = annual_chart_data(data, year, definitions=definitions, results=results)
    drawn = {}
    for key, chart, _, options in ANNUAL_CHARTS:
        result = chart_data[key]
        if worth_drawing(result, options):
            extra = _overall(chart_data) if chart is rates_chart else {}
            drawn[key] = chart(result, lang=lang, source_label=source_label, titled=titled, **extra)
    return drawn


def _overall(chart_data: Mapping[str, Any]) -> dict[str, Any]:
    """The overall 办结率 of a chart by unit: the year's, as ``summary(year=…)`` returned it.

    The funnel's table is that call (the report's ``total.closure_rate``); the chart would
    otherwise re-sum its units' counts, and every displayed rate is the metric's own.

    Example:
        >>> _overall({"funnel": pd.DataFrame({"closure_rate": [0.9869]})})
        {'overall': 0.9869}
        >>> _overall({"funnel": pd.DataFrame({"closure_rate": [pd.NA]})})
        {}
    """
    year = chart_data["funnel"]
    if year.empty or pd.isna(year["closure_rate"].iloc[0]):
        return {}  # the chart says nothing of an overall it cannot know
    return {"overall": float(year["closure_rate"].iloc[0])}


def worth_drawing(result: Any, options: Mapping[str, Any]) -> bool:
    """Whether a chart's data say something: a chart of what the export lacks is left out.

    A breakdown needs named groups and a rate to show; a ranking a ranked unit; a trend two
    months with orders; a funnel (a summary without ``by``) at least one stage after 受理; a
    heat map or a distribution at least one order.

    Example:
        >>> import pandas as pd
        >>> worth_drawing(pd.DataFrame({"department": [None], "accepted": [3],
        ...     "closure_rate": [float("nan")]}), {"by": "department"})
        False
        >>> worth_drawing(pd.DataFrame({"accepted": [3], "closed": [pd.NA],
        ...     "closure_known": [0], "closure_rate": [pd.NA]}), {})
        False
        >>> worth_drawing(pd.DataFrame({"month": ["2017-12"], "accepted": [9999]}), {})
        False
    """
    if not isinstance(result, pd.DataFrame) or result.empty:
        return False
    unit = options.get("by") or options.get("unit")
    column = {"department": "department", "town": "town", "topic": "topic"}.get(unit or "")
    if column is not None and not result[column].notna().any():
        return False
    if "rank" in result:
        return bool(result["rank"].notna().any())
    if unit in ("department", "town") and "closure_rate" in result:
        return bool(result["closure_rate"].notna().any())
    if "month" in result and "accepted" in result:
        return int((result["month"].notna() & (result["accepted"] > 0)).sum()) >= 2
    if "weekday" in result and "accepted" in result:
        return bool(result["accepted"].sum() > 0)
    if column == "topic" and "accepted" in result:
        return bool(result["accepted"].sum() > 0)
    if unit is None and "closure_rate" in result and "month" not in result:
        return len(lifecycle_stages(result)) >= 2
    if "stage" in result:
        return len(result) >= 2
    if "band" in result and "count" in result:
        return bool(result["count"].sum() > 0)
    return True


def report_charts(
    data: Data,
    year: int,
    *,
    definitions: Definitions | str | None = None,
    lang: str | None = None,
    source_label: str | None = None,
    results: Results | None = None,
) -> Callable[[Path], dict[str, Path]]:
    """The ``charts`` argument of :func:`hotline.report.build_report` for an annual report.

    Returns a function that draws the year's charts into the folder it is given and returns
    chart caption -> PNG path, as ``build_report`` expects. The images have no title of their
    own (``titled=False``): the report's caption "图N …" is their title.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> callable(report_charts(df, 2021, source_label="示例县12345热线平台"))
        True
    """

    def draw(folder: Path) -> dict[str, Path]:
        saved = save_annual_charts(
            data,
            year,
            folder,
            definitions=definitions,
            lang=lang,
            source_label=source_label,
            results=results,
            titled=False,
        )
        return {title: files[0] for title, files in saved.items()}

    return draw


def save_annual_charts(
    data: Data,
    year: int,
    folder: str | Path | None = None,
    *,
    definitions: Definitions | str | None = None,
    lang: str | None = None,
    formats: tuple[str, ...] = ("png", "svg", "pdf"),
    charts: Mapping[str, Any] | None = None,
    source_label: str | None = None,
    results: Results | None = None,
    titled: bool = True,
) -> dict[str, list[Path]]:
    """Draw and save the year's charts as ``<year>-<nn>-<caption>.<format>``.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported on.
        folder: Output folder; default ``reports/figures``.
        definitions: :class:`Definitions` or preset name.
        lang: ``zh`` or ``en``; default the data's language.
        formats: File formats, as for :func:`save_figure`.
        charts: Figures already drawn by :func:`annual_charts` (drawn here when ``None``).
        source_label: The data's source named in the footnotes, as for :func:`annual_charts`.
        results: Where metric results come from, as for :func:`annual_chart_data`.
        titled: Draw each chart's title in the image, as for :func:`annual_charts`.

    Returns:
        Chart caption (the figure's label) -> files written (the first one is the PNG when
        ``png`` is listed first).
    """
    saved: dict[str, list[Path]] = {}
    if charts is None:
        charts = annual_charts(
            data,
            year,
            definitions=definitions,
            lang=lang,
            source_label=source_label,
            results=results,
            titled=titled,
        )
    for number, figure in enumerate(charts.values(), start=1):
        title = figure.get_label() or figure.get_suptitle() or f"chart {number}"
        name = f"{year}-{number:02d}-{_file_title(title)}"
        saved[title] = save_figure(figure, name, formats, folder=folder)
    return saved


def _file_title(title: str) -> str:
    """A chart title as part of a file name, the same every year and safe on Windows.

    A trailing note in brackets (the funnel's base) is left out; ``: * ? " < > |`` and ``/``
    are replaced.

    Example:
        >>> _file_title("Work orders through the process (base: 9,756 accepted)")
        'Work_orders_through_the_process'
        >>> _file_title("工单办理环节转化（以受理量9575件为基数）"), _file_title("A/B: c")
        ('工单办理环节转化', 'A／B_c')
    """
    stem = re.sub(r"\s*[（(][^（()）]*[)）]\s*$", "", title).strip() or title
    stem = stem.replace("/", "／")
    stem = re.sub(r'[\\:*?"<>|\x00-\x1f]+', "_", stem)
    return re.sub(r"[\s_]+", "_", stem).strip("._") or "chart"
