"""Rankings of departments and towns: a composite score, bands (分档) and 红黑榜.

Local schemes differ (domain reference §2.2: 榆林, 温州, 连云港 each weigh different rates), and the
2025 national guidance asks for banded, category-specific evaluation rather than a bare league
table (国办函〔2025〕66号 "鼓励实行分档分类评价", "不片面追求排名"). So the weights and the bands
are parameters with a documented default, not city constants, and a unit below a minimum volume is
listed but not ranked: two closed orders out of two is not the best department of the county.

Score = Σ weight × rate × 100 over the rates a unit has, divided by the weights of those rates
(a unit without satisfaction data is scored on the rest, and the table says so).

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": [str(i) for i in range(30)], "source_kind": "hotline",
    ...     "received_at": pd.Timestamp("2021-03-01"), "department": ["A"] * 25 + ["B"] * 5,
    ...     "status": ["closed"] * 24 + ["dispatched"] + ["closed"] * 5})
    >>> rank_units(df, "department", weights={"closure_rate": 1.0})[
    ...     ["department", "accepted", "score", "rank", "band"]]
      department  accepted  score  rank band
    0          A        25   96.0     1   优秀
    1          B         5  100.0  <NA>  不参评
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from hotline.errors import HotlineError
from hotline.metrics.catalogue import RATES
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.summary import DIMENSIONS, summary

__all__ = ["DEFAULT_BANDS", "DEFAULT_WEIGHTS", "rank_units"]

#: Default weights: closing, closing on time and satisfying the caller count about equally,
#: satisfaction a little more (the caller's view). Pass your city's scheme instead.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "closure_rate": 0.3,
    "on_time_rate": 0.3,
    "satisfaction_rate": 0.4,
}

#: Default bands: (label, lowest score) from the best; a unit gets the first band it reaches.
DEFAULT_BANDS: tuple[tuple[str, float], ...] = (
    ("优秀", 95.0),
    ("良好", 90.0),
    ("一般", 80.0),
    ("较差", 0.0),
)
UNRANKED = "不参评"


def rank_units(
    data: Data,
    unit: str = "department",
    *,
    weights: Mapping[str, float] | None = None,
    bands: tuple[tuple[str, float], ...] = DEFAULT_BANDS,
    min_volume: int | None = None,
    top: int = 5,
    definitions: Definitions | str | None = None,
    **filters: Any,
) -> pd.DataFrame:
    """Score, rank and band the units of a dimension.

    Args:
        data: Canonical DataFrame or dataset path.
        unit: ``department`` or ``town`` (or another dimension of ``summary``).
        weights: Rate -> weight; default :data:`DEFAULT_WEIGHTS`.
        bands: (label, lowest score) from the best band down.
        min_volume: Fewest accepted orders to be ranked; default ``definitions.min_volume``.
        top: How many units make the red list (红榜, best) and the black list (黑榜, worst).
        definitions: :class:`Definitions` or preset name.
        **filters: As for :func:`hotline.metrics.summary` (e.g. ``year=2021``).

    Returns:
        One row per unit, best first: volume, the weighted rates, ``score`` (0-100),
        ``rank`` (missing below the minimum volume), ``band``, ``list`` (红榜/黑榜/empty) and
        ``scored_on`` (the rates the score used).
    """
    definitions = resolve(definitions)
    weights = dict(weights or DEFAULT_WEIGHTS)
    unknown = set(weights) - set(RATES)
    if unknown:
        raise HotlineError(f"unknown rates in weights: {sorted(unknown)}; expected {sorted(RATES)}")
    if unit not in DIMENSIONS:
        raise HotlineError(f"cannot rank by {unit!r}; expected one of {sorted(DIMENSIONS)}")
    min_volume = definitions.min_volume if min_volume is None else min_volume
    table = summary(data, by=unit, definitions=definitions, **filters)
    column = DIMENSIONS[unit]
    table = table[table[column].notna()].reset_index(drop=True)
    rates = table[list(weights)].to_numpy(dtype=float)
    weight = np.array(list(weights.values()), dtype=float)
    present = ~np.isnan(rates)
    used = (present * weight).sum(axis=1)
    score = np.where(
        used > 0, np.nansum(rates * weight, axis=1) * 100 / np.where(used > 0, used, 1), np.nan
    )
    result = table[[column, "accepted", *weights]].copy()
    result["score"] = np.round(score, 2)
    result["scored_on"] = [
        "、".join(RATES[k].zh for k, ok in zip(weights, row, strict=True) if ok) for row in present
    ]
    eligible = (result["accepted"] >= min_volume) & result["score"].notna()
    ranks = result.loc[eligible, "score"].rank(ascending=False, method="min")
    result["rank"] = pd.array([pd.NA] * len(result), dtype="Int64")
    result.loc[eligible, "rank"] = ranks.astype("int64")
    result["band"] = [
        next(label for label, floor in bands if s >= floor) if ok else UNRANKED
        for s, ok in zip(result["score"].fillna(-1), eligible, strict=True)
    ]
    ranked = result[eligible].sort_values(["score", "accepted"], ascending=[False, False])
    best = set(ranked.index[:top])
    worst = set(ranked.index[-top:]) - best if len(ranked) > top else set()
    result["list"] = ["红榜" if i in best else "黑榜" if i in worst else "" for i in result.index]
    result = result.sort_values(
        ["rank", "score", "accepted"], ascending=[True, False, False], na_position="last"
    ).reset_index(drop=True)
    result.attrs.update(table.attrs)
    result.attrs.update({"weights": weights, "bands": list(bands), "min_volume": min_volume})
    return result
