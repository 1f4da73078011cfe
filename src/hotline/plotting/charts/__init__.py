"""Report-ready charts of metric results, one function per chart, each returning a Figure.

Every chart takes what a :mod:`hotline.metrics` function returns, is drawn in the house style
(:mod:`hotline.plotting.style`) whether or not the session uses it, titles itself and its axes
with units in Chinese (``lang="en"`` for English), and ends with a footnote naming the data's
sources, as-of time and definitions. ``titled=False`` leaves the title to a report's caption
(the figure's label). Names from the data are shown as :mod:`hotline.plotting.charts.text`
fits them: drawable, wrapped, cut in the middle when very long. An empty input, or a trend of
one month, gives a figure with a centred note rather than an error.

================================  ==============================================================
chart                             input
================================  ==============================================================
:func:`trend_chart`               ``metrics.monthly_trend(df)``
:func:`rates_chart`               ``metrics.summary(df, by="department")`` (or ``"town"``…)
:func:`ranking_chart`             ``metrics.rank_units(df, unit="department")``
:func:`weekday_hour_chart`        ``metrics.weekday_hour(df)``
:func:`pareto_chart`              ``metrics.summary(df, by="topic")``
:func:`funnel_chart`              ``metrics.funnel(df)``
:func:`duration_chart`            ``metrics.duration_distribution(df)``
================================  ==============================================================
"""

from hotline.plotting.charts.distribution import duration_chart, pareto_chart
from hotline.plotting.charts.patterns import funnel_chart, weekday_hour_chart
from hotline.plotting.charts.ranking import ranking_chart
from hotline.plotting.charts.rates import rates_chart
from hotline.plotting.charts.trend import trend_chart

__all__ = [
    "duration_chart",
    "funnel_chart",
    "pareto_chart",
    "ranking_chart",
    "rates_chart",
    "trend_chart",
    "weekday_hour_chart",
]
