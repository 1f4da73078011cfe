"""Metric calls by name, each computed once: what a report's facts and its charts share.

A report asks for ``("summary", {"by": "topic", "year": 2021})`` many times over (one fact per
row, one chart per table); :func:`metric_results` makes each such call once per dataset and
definitions, so a hundred facts out of one ranking cost one ranking and a chart drawn from
the same call reads the very table the text does.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
    ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
    >>> results = metric_results(df)
    >>> results("summary", {"year": 2021}) is results("summary", {"year": 2021})
    True
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data

__all__ = ["Results", "metric_results"]

#: A metric call by function name and keyword arguments: ``results("headline", {"year": 2021})``.
Results = Callable[[str, Mapping[str, Any]], Any]


def metric_results(data: Data, definitions: Definitions | str | None = None) -> Results:
    """Metric calls on ``data`` under ``definitions``, each computed once (by name and arguments).

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
        >>> int(metric_results(df)("headline", {"year": 2021}).loc["total", "accepted"])
        2
    """
    from hotline import metrics  # the package's functions, which import this module's peers

    definitions = resolve(definitions)
    cache: dict[str, Any] = {}

    def result(function: str, kwargs: Mapping[str, Any]) -> Any:
        key = json.dumps([function, dict(kwargs)], sort_keys=True, default=str)
        if key not in cache:
            call = getattr(metrics, function)
            cache[key] = call(data, definitions=definitions, **kwargs)
        return cache[key]

    return result
