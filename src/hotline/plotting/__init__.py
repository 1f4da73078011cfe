"""Report-ready charts of hotline metrics, in Chinese, in one house style.

* :func:`use_style` / :func:`style_context`: the house style (fonts, palette, Word-page sizes);
  importing this package changes no matplotlib setting.
* :func:`cjk_family`: the font that draws Chinese (system font, else the bundled Noto Sans CJK).
* Charts (:mod:`hotline.plotting.charts`), each from a :mod:`hotline.metrics` result:
  :func:`trend_chart`, :func:`rates_chart`, :func:`ranking_chart`, :func:`weekday_hour_chart`,
  :func:`pareto_chart`, :func:`funnel_chart`, :func:`duration_chart`.
* :func:`save_figure`: PNG (300 dpi), SVG and PDF into ``reports/figures``, atomically.
* :func:`annual_charts` / :func:`save_annual_charts`: the set of charts of an annual report
  (notebook 05 and ``hotline report`` draw the same set), from the metric results the report's
  text states (:func:`annual_chart_data`); :func:`report_charts` is ``build_report``'s
  ``charts`` argument.
* Footnotes name the data's source: ``source_label=``, else ``[report] source_label`` of the
  project's ``hotline.toml`` (:mod:`hotline.project`), else the export files.

Example:
    >>> import pandas as pd
    >>> from hotline import metrics
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
    ...     "received_at": pd.to_datetime(["2021-01-05", "2021-02-01"]),
    ...     "status": ["closed", "dispatched"]})
    >>> fig = trend_chart(metrics.monthly_trend(df))
    >>> fig.get_suptitle()
    '月度受理量与办结率'
"""

from hotline.plotting.annual import (
    ANNUAL_CHARTS,
    annual_chart_data,
    annual_charts,
    report_charts,
    save_annual_charts,
)
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
from hotline.plotting.fonts import cjk_family
from hotline.plotting.style import REPORT_PALETTE, style_context, use_style

__all__ = [
    "ANNUAL_CHARTS",
    "REPORT_PALETTE",
    "annual_chart_data",
    "annual_charts",
    "cjk_family",
    "duration_chart",
    "funnel_chart",
    "pareto_chart",
    "ranking_chart",
    "rates_chart",
    "report_charts",
    "save_annual_charts",
    "save_figure",
    "style_context",
    "trend_chart",
    "use_style",
    "weekday_hour_chart",
]
