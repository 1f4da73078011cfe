"""The charts of an annual report, drawn from one dataset and one set of definitions.

Notebook 05 and ``hotline report`` both draw this set, so the figures an analyst reviews in the
notebook are the ones that go into the report.

Example:
    >>> [key for key, *_ in ANNUAL_CHARTS][:3]
    ['trend', 'department_closure', 'town_closure']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from hotline import metrics
from hotline.metrics.definitions import Definitions, resolve
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
from hotline.plotting.export import save_figure

__all__ = ["ANNUAL_CHARTS", "annual_charts", "save_annual_charts", "worth_drawing"]

#: (key, chart, metric, the metric's options), in report order; every metric also gets the
#: definitions and ``year``.
ANNUAL_CHARTS: tuple[tuple[str, Callable[..., Any], Callable[..., Any], dict[str, Any]], ...] = (
    ("trend", trend_chart, metrics.monthly_trend, {}),
    ("department_closure", rates_chart, metrics.summary, {"by": "department"}),
    ("town_closure", rates_chart, metrics.summary, {"by": "town"}),
    ("department_ranking", ranking_chart, metrics.rank_units, {"unit": "department"}),
    ("weekday_hour", weekday_hour_chart, metrics.weekday_hour, {}),
    ("topics", pareto_chart, metrics.summary, {"by": "topic"}),
    ("funnel", funnel_chart, metrics.funnel, {}),
    ("durations", duration_chart, metrics.duration_distribution, {}),
)


def annual_charts(
    data: Data,
    year: int,
    *,
    definitions: Definitions | str | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """Draw every chart of the year's report.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported on.
        definitions: :class:`Definitions` or preset name.
        lang: ``zh`` or ``en``; default the data's language.

    Returns:
        Chart key -> matplotlib Figure, in report order (keys as in :data:`ANNUAL_CHARTS`),
        without the charts the data cannot support (see :func:`worth_drawing`).
    """
    definitions = resolve(definitions)
    drawn = {}
    for key, chart, metric, options in ANNUAL_CHARTS:
        result = metric(data, definitions=definitions, year=year, **options)
        if worth_drawing(result, options):
            drawn[key] = chart(result, lang=lang)
    return drawn


def worth_drawing(result: Any, options: Mapping[str, Any]) -> bool:
    """Whether a chart's data say something: a chart of what the export lacks is left out.

    A breakdown needs named groups and a rate to show; a funnel at least two stages; a
    distribution at least one order.

    Example:
        >>> import pandas as pd
        >>> worth_drawing(pd.DataFrame({"department": [None], "accepted": [3],
        ...     "closure_rate": [float("nan")]}), {"by": "department"})
        False
        >>> worth_drawing(pd.DataFrame({"stage": ["accepted"], "count": [3]}), {})
        False
    """
    if not isinstance(result, pd.DataFrame) or result.empty:
        return False
    unit = options.get("by") or options.get("unit")
    column = {"department": "department", "town": "town", "topic": "topic"}.get(unit or "")
    if column is not None and not result[column].notna().any():
        return False
    if unit in ("department", "town") and "closure_rate" in result and "rank" not in result:
        return bool(result["closure_rate"].notna().any())
    if "stage" in result:
        return len(result) >= 2
    if "band" in result and "count" in result:
        return bool(result["count"].sum() > 0)
    return True


def save_annual_charts(
    data: Data,
    year: int,
    folder: str | Path | None = None,
    *,
    definitions: Definitions | str | None = None,
    lang: str | None = None,
    formats: tuple[str, ...] = ("png", "svg", "pdf"),
    charts: Mapping[str, Any] | None = None,
) -> dict[str, list[Path]]:
    """Draw and save the year's charts as ``<year>-<nn>-<title>.<format>``.

    Args:
        data: Canonical DataFrame or dataset path.
        year: The year reported on.
        folder: Output folder; default ``reports/figures``.
        definitions: :class:`Definitions` or preset name.
        lang: ``zh`` or ``en``; default the data's language.
        formats: File formats, as for :func:`save_figure`.
        charts: Figures already drawn by :func:`annual_charts` (drawn here when ``None``).

    Returns:
        Chart title -> files written (the first one is the PNG when ``png`` is listed first).
    """
    saved: dict[str, list[Path]] = {}
    if charts is None:
        charts = annual_charts(data, year, definitions=definitions, lang=lang)
    for number, figure in enumerate(charts.values(), start=1):
        title = figure.get_suptitle() or f"chart {number}"
        name = f"{year}-{number:02d}-{title}".replace("/", "／").replace(" ", "_")
        saved[title] = save_figure(figure, name, formats, folder=folder)
    return saved
