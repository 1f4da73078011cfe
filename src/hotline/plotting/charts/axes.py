"""Value axes of bars that start at zero, or show where they are broken.

A bar's length is read as its value: a bar of 95% drawn from 80% looks a quarter as long as one
of 100%. Rates of 95-100% are nonetheless what a county compares. A horizontal bar chart here
therefore has either one axis from 0, or a *broken* axis: a narrow stub from 0 at the left, a gap
marked ``//`` on the axis line, and the main panel from ``floor`` on. Every bar starts at 0 in the
stub and carries on in the main panel, and a note under the chart says where the axis is broken.

Example:
    >>> from hotline.plotting.charts.frame import new_figure
    >>> fig = new_figure(6)
    >>> [(stub is None, float(main.get_xlim()[0])) for stub, main in
    ...     bar_panels(fig, [3], floor=0.9, ceiling=1.0)]
    [(False, 0.9)]
    >>> [stub is None for stub, _ in bar_panels(new_figure(6), [3], floor=0.0, ceiling=1.0)]
    [True]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FixedLocator, Formatter, NullLocator
from matplotlib.transforms import blended_transform_factory

from hotline.plotting.style import FONT_SIZES, NEUTRAL

__all__ = ["STUB_SHARE", "bar_panels", "barh_from_zero", "text_beside", "value_axis"]

#: The stub's width as a share of the main panel's (both drawn at the same scale).
STUB_SHARE = 1 / 14
#: Half the size of a ``//`` mark, in axes fractions of the stub.
_MARK = 0.12


def bar_panels(
    fig: Figure,
    rows: Sequence[int],
    *,
    floor: float,
    ceiling: float,
) -> list[tuple[Axes | None, Axes]]:
    """One (stub, main) pair of axes per panel of horizontal bars, stacked top to bottom.

    Args:
        fig: The figure to draw in.
        rows: Bars per panel (the panels' heights follow them).
        floor: Where the main panel's value axis starts; 0 for an unbroken axis.
        ceiling: Where it ends.

    Returns:
        ``(None, axes)`` per panel when ``floor`` is 0; else ``(stub, main)``, the stub showing
        ``0`` to a short way at the main panel's scale, the main panel ``floor`` to
        ``ceiling``. Panels share the value axis; a stub and its main panel share the bars.
    """
    if floor <= 0:
        axes = fig.subplots(len(rows), 1, sharex=True, squeeze=False, height_ratios=list(rows))
        for ax in axes[:, 0]:
            ax.set_xlim(0, ceiling)
        return [(None, ax) for ax in axes[:, 0]]
    grid = fig.subplots(
        len(rows),
        2,
        sharex="col",
        sharey="row",
        squeeze=False,
        height_ratios=list(rows),
        width_ratios=[STUB_SHARE, 1],
    )
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(wspace=0.012)  # the gap that breaks the bars
    pairs = []
    for stub, main in grid:
        stub.set_xlim(0, (ceiling - floor) * STUB_SHARE)
        main.set_xlim(floor, ceiling)
        stub.spines["right"].set_visible(False)
        main.spines["left"].set_visible(False)
        main.tick_params(axis="y", which="both", left=False, labelleft=False)
        stub.grid(axis="x", visible=False)
        pairs.append((stub, main))
    _break_marks(*pairs[-1])
    return pairs


def _break_marks(stub: Axes, main: Axes) -> None:
    """``//`` on the value axis line where the stub ends and where the main panel starts."""
    stub_width, main_width = stub.get_position().width, main.get_position().width
    ratio = stub_width / main_width if main_width else STUB_SHARE
    style: dict[str, Any] = {"color": NEUTRAL, "linewidth": 1.0, "clip_on": False}
    for ax, x, dx in ((stub, 1.0, _MARK), (main, 0.0, _MARK * ratio)):
        ax.plot([x - dx, x + dx], [-0.02, 0.02], transform=ax.transAxes, **style)


def barh_from_zero(
    stub: Axes | None, main: Axes, y: np.ndarray, values: np.ndarray, **bar: Any
) -> None:
    """Horizontal bars from 0 to ``values``, drawn across the stub and the main panel.

    Example:
        >>> from hotline.plotting.charts.frame import new_figure
        >>> (stub, main), = bar_panels(new_figure(6), [2], floor=0.5, ceiling=1.0)
        >>> barh_from_zero(stub, main, np.arange(2), np.array([0.8, 0.9]))
        >>> [float(p.get_x()) for p in main.patches]
        [0.0, 0.0]
    """
    for ax in (stub, main):
        if ax is not None:
            ax.barh(y, values, left=0, **bar)


def value_axis(
    stub: Axes | None, main: Axes, formatter: Formatter, label: str, locator: Any
) -> None:
    """Ticks and title of the value axis: ``0`` alone in the stub, the scale in the main panel.

    Example:
        >>> from matplotlib.ticker import MaxNLocator, PercentFormatter
        >>> from hotline.plotting.charts.frame import new_figure
        >>> (stub, main), = bar_panels(new_figure(6), [2], floor=0.5, ceiling=1.0)
        >>> value_axis(stub, main, PercentFormatter(1.0, 0), "办结率（%）", MaxNLocator(5))
        >>> [float(t) for t in stub.get_xticks()]
        [0.0]
    """
    main.xaxis.set_major_locator(locator)
    main.xaxis.set_major_formatter(formatter)
    if stub is None:
        main.set_xlabel(label)
        return
    stub.xaxis.set_major_locator(FixedLocator([0.0]))
    stub.xaxis.set_minor_locator(NullLocator())
    stub.xaxis.set_major_formatter(formatter)
    main.set_xlabel(label)


def text_beside(ax: Axes, rows: Sequence[float], texts: Sequence[str], **style: Any) -> None:
    """Write each row's text in a column just right of the plot, level with its bar.

    Empty texts are skipped; ``style`` adds to (or overrides) the column's font and alignment.

    Example:
        >>> from hotline.plotting.charts.frame import new_figure
        >>> ax = new_figure(6).add_subplot()
        >>> text_beside(ax, [0, 1], ["98.7%", ""])
        >>> [t.get_text() for t in ax.texts]
        ['98.7%']
    """
    where = blended_transform_factory(ax.transAxes, ax.transData)
    options: dict[str, Any] = {"va": "center", "ha": "left", "fontsize": FONT_SIZES["tick"]}
    for row, text in zip(rows, texts, strict=True):
        if text:
            ax.text(1.02, row, text, transform=where, **{**options, **style})
