"""Is a chart legible? Every text inside the figure, no two texts on top of each other.

A helper for chart tests (:func:`assert_legible`) and the data that tries it: orders of units
with long names, names with characters no font has, and one or two units only
(:func:`orders_of`). A chart is read in Word at about 15.5 cm: a tick label cut at the figure's
edge, or two labels printed over each other, cannot be read there.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from orders import frame

#: Pixels a text may reach past the figure's edge, or into another text (anti-aliasing).
TOLERANCE = 1.0
#: Pixels at least between two tick labels of one axis: closer, two names read as one.
TICK_GAP = 4.0

#: Names as exports have them: 40 characters and more, characters no font has, a dollar sign.
LONG_ZH = "某某县某某镇人民政府社会事务综合服务中心城乡居民最低生活保障工作办公室"
LONG_EN = (
    "UNITED NEIGHBORHOODS OF THE HISTORIC ARLINGTON HEIGHTS, WEST ADAMS, AND JEFFERSON PARK "
    "COMMUNITY"
)
LONG_WORD = "Supercalifragilisticexpialidocious-Neighbourhood-Council-Of-The-Hills"
ODD = ("😀投诉", "𠀀", "🏠社区", "Fees $5 and $10")


@contextmanager
def _recording() -> Iterator[list[Text]]:
    """Every :class:`Text` drawn while the block runs, as it is drawn (ticks in view only)."""
    drawn: list[Text] = []
    original = Text.draw

    def draw(self: Text, renderer: Any) -> None:
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)

    with mock.patch.object(Text, "draw", draw):
        yield drawn


def drawn_texts(fig: Figure) -> list[tuple[Text, Bbox]]:
    """The texts a render of ``fig`` draws, with where each lands (pixels)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    with _recording() as drawn:
        fig.draw(renderer)
    unique = list({id(text): text for text in drawn}.values())
    return [(text, text.get_window_extent(renderer)) for text in unique]


def _inside(box: Bbox, fig: Figure) -> bool:
    return (
        box.x0 >= -TOLERANCE
        and box.y0 >= -TOLERANCE
        and box.x1 <= fig.bbox.width + TOLERANCE
        and box.y1 <= fig.bbox.height + TOLERANCE
    )


def _overlap(a: Bbox, b: Bbox) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > TOLERANCE and height > TOLERANCE


def _padded(box: Bbox) -> Bbox:
    return box.padded(TICK_GAP / 2)


def problems(fig: Figure) -> list[str]:
    """What makes ``fig`` hard to read: texts cut at its edge, texts over texts, tick labels
    that run together, no plot area."""
    found = []
    texts = drawn_texts(fig)
    for text, box in texts:
        if not _inside(box, fig):
            found.append(f"outside the figure: {text.get_text()!r} at {box.extents.round(1)}")
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        if _overlap(box_a, box_b):
            found.append(f"overlap: {a.get_text()!r} and {b.get_text()!r}")
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = [(t, box) for t, box in texts if t in axis.get_ticklabels()]
            for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
                if not _overlap(box_a, box_b) and _overlap(_padded(box_a), _padded(box_b)):
                    found.append(f"tick labels run together: {a.get_text()!r}, {b.get_text()!r}")
    for ax in fig.axes:
        position = ax.get_position()
        if ax.get_visible() and ax.axison and (position.width <= 0 or position.height <= 0.02):
            found.append(f"an axes squeezed to nothing: {position.bounds}")
    return found


def assert_legible(fig: Figure) -> None:
    """Every drawn text within the figure, no two overlapping, every plot area of some size."""
    found = problems(fig)
    assert found == [], "\n".join(found)


def orders_of(
    units: Sequence[str] | Mapping[str, int], per_unit: int = 30, months: int = 3
) -> pd.DataFrame:
    """Orders of ``units`` (each a department, a town and a topic), closed and rated.

    Every unit has ``per_unit`` orders (or its own number, given a mapping) over ``months``
    months of 2021, enough to be ranked; the n-th unit leaves n of its orders open, so units
    differ in every rate.
    """
    volumes = units if isinstance(units, Mapping) else dict.fromkeys(units, per_unit)
    sizes = np.array(list(volumes.values()))
    unit = np.repeat(np.arange(len(volumes)), sizes)  # the n-th unit, for each of its orders
    k = np.concatenate([np.arange(size) for size in sizes])  # each order's number in its unit
    received = pd.to_datetime(
        pd.DataFrame({"year": 2021, "month": 1 + k % months, "day": 1 + k % 27, "hour": 9})
    )
    closed = k >= unit % np.repeat(sizes, sizes)
    names = np.repeat(np.array(list(volumes), dtype=object), sizes)
    orders = pd.DataFrame(
        {
            "order_id": [f"{u}-{n}" for u, n in zip(unit, k, strict=True)],
            "source_kind": "hotline",
            "received_at": received,
            "dispatched_at": received + pd.Timedelta(hours=1),
            "status": np.where(closed, "closed", "in_progress"),
            "closed_at": (received + pd.to_timedelta(20 + 7 * k, unit="h")).where(closed),
            "satisfaction": np.where(k % 5 == 0, "dissatisfied", "satisfied"),
            "department": names,
            "town": names,
            "topic": names,
            "request_type": "complaint",
        }
    )
    orders["satisfaction"] = orders["satisfaction"].where(closed)
    return frame(orders.to_dict("records"))
