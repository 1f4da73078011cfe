"""Monthly trends: volume and rates per month, 环比, 同比 and a rolling three-month mean.

Every month between the first and the last is present: a month without orders has volume 0 and
missing rates, so a chart never joins January to March across an empty February.

* 环比 (month-on-month) and 同比 (year-on-year) of a count are relative changes
  (``this / previous - 1``); of a rate, differences in percentage points (``this - previous``),
  as reports write "提高 1.2 个百分点".
* A change is stated only between two months the data cover wholly (``complete``: not the
  first or last month of an export that starts or stops mid-month) that each have at least
  :attr:`Definitions.min_change_base` requests; otherwise it is missing.
* The rolling mean covers the month and the two before it, and needs all three.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-01-05", "2021-03-02", "2021-03-09"]),
    ...     "status": ["closed", "closed", "in_progress"]})
    >>> monthly_trend(df)[["month", "accepted", "closure_rate", "complete", "accepted_mom"]]
         month  accepted  closure_rate  complete  accepted_mom
    0  2021-01         1           1.0     False          <NA>
    1  2021-02         0           NaN     False          <NA>
    2  2021-03         2           0.5     False          <NA>
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hotline.metrics.coverage import complete_months, month_spans
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.summary import PERIODS, add_rates, summary

__all__ = ["monthly_trend"]

_COUNTS = ("accepted", "closed")
_RATES = ("closure_rate", "on_time_rate", "satisfaction_rate")


def monthly_trend(
    data: Data,
    *,
    definitions: Definitions | str | None = None,
    counts: Sequence[str] = _COUNTS,
    rates: Sequence[str] = _RATES,
    **filters: Any,
) -> pd.DataFrame:
    """The monthly series with 环比, 同比 and rolling means.

    Args:
        data: Canonical DataFrame or dataset path.
        definitions: :class:`Definitions` or preset name.
        counts: Counts to derive changes for.
        rates: Rates to derive changes for.
        **filters: As for :func:`hotline.metrics.summary`.

    Returns:
        One row per month from the first to the last: the summary columns, ``complete``
        (the month's requests span it from its first days to its last), then for each count
        ``<count>_mom``, ``<count>_yoy``, ``<count>_rolling3``, and for each rate
        ``<rate>_mom_pp``, ``<rate>_yoy_pp``, ``<rate>_rolling3`` (percentage points).
    """
    definitions = resolve(definitions)
    monthly = summary(data, freq="month", definitions=definitions, **filters)
    attrs = dict(monthly.attrs)
    monthly = monthly[monthly["month"].notna()]
    if monthly.empty:
        return monthly
    months = pd.period_range(monthly["month"].min(), monthly["month"].max(), freq="M")
    full = pd.DataFrame({"month": months.strftime("%Y-%m")})
    flags = [c for c in monthly.columns if c != "month" and monthly[c].dtype.kind == "i"]
    full = full.merge(monthly[["month", *flags]], on="month", how="left")
    full[flags] = full[flags].fillna(0).astype(np.int64)
    trend = add_rates(full, definitions)
    others = {k: v for k, v in filters.items() if k not in PERIODS}
    spans = month_spans(data, definitions=definitions, **others)
    trend["complete"] = complete_months(spans, list(trend["month"]))
    # a change is stated only between two whole months, each with enough requests
    comparable = trend["complete"] & (trend["accepted"] >= definitions.min_change_base)
    mom = comparable & comparable.shift(1, fill_value=False)
    yoy = comparable & comparable.shift(12, fill_value=False)
    for name in counts:
        value = trend[name].astype("Float64")
        trend[f"{name}_mom"] = (value / value.shift(1) - 1).where(mom)
        trend[f"{name}_yoy"] = (value / value.shift(12) - 1).where(yoy)
        trend[f"{name}_rolling3"] = value.rolling(3).mean()
    for name in rates:
        trend[f"{name}_mom_pp"] = ((trend[name] - trend[name].shift(1)) * 100).where(mom)
        trend[f"{name}_yoy_pp"] = ((trend[name] - trend[name].shift(12)) * 100).where(yoy)
        trend[f"{name}_rolling3"] = trend[name].rolling(3).mean()
    trend.attrs.update(attrs)
    return trend
