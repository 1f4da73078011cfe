"""Summary tables for people: Chinese (or English) headers, labels for codes, percentages.

Headers and the words of a table come from the label catalogue (:mod:`hotline.labels`).

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"department": ["县教育局"], "accepted": [40], "closed": [39],
    ...                       "closure_rate": [0.975]})
    >>> for_display(table).to_dict("records")
    [{'承办单位': '县教育局', '受理量': 40, '办结量': 39, '办结率': '97.50%'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

from hotline import schema
from hotline.labels import column_title, label
from hotline.metrics.declarations import active
from hotline.metrics.summary import PERIODS
from hotline.safe_text import terminal_text

__all__ = ["MAIN_COLUMNS", "column_title", "for_display"]

#: What a reader wants first in a breakdown.
MAIN_COLUMNS = (
    "accepted",
    "closed",
    "closure_rate",
    "on_time_rate",
    "closed_late",
    "open_overdue",
    "satisfaction_rate",
)


def for_display(
    table: pd.DataFrame,
    columns: Sequence[str] | None = None,
    lang: Literal["zh", "en"] = "zh",
    missing: str = "—",
) -> pd.DataFrame:
    r"""Keys and chosen columns, codes as labels, rates as percentages, titled for readers.

    Names from the data (department, town, topic) are shown without control characters or
    line breaks (:func:`hotline.safe_text.terminal_text`): the table is printed to a terminal.
    A rate is the value the metric returned, formatted, never recomputed from the counts.

    Example:
        >>> table = pd.DataFrame({"town": ["城关镇\x1b[2J", None], "accepted": [3, 1]})
        >>> for_display(table)["乡镇/街道"].tolist()
        ['城关镇[2J', '(未填)']
    """
    keys = [
        c
        for c in table.columns
        if c in PERIODS or c in schema.ENUMS or c in {"town", "department", "topic"}
    ]
    chosen = [c for c in (columns or MAIN_COLUMNS) if c in table.columns and c not in keys]
    shown = table[keys + chosen].copy()
    unnamed = label("unnamed.terminal", lang)
    for key in keys:
        if key in schema.ENUMS:
            enum = schema.ENUMS[key]
            shown[key] = [missing if pd.isna(v) else enum.label(v, lang) for v in shown[key]]
        else:
            names = shown[key].astype(object)  # a name from the data: no terminal controls
            shown[key] = names.where(names.isna(), names.map(terminal_text, na_action="ignore"))
            shown[key] = shown[key].where(shown[key].notna(), unnamed)
    rates = active().rates
    for column in chosen:
        if column in rates:
            shown[column] = [missing if pd.isna(v) else f"{v * 100:.2f}%" for v in shown[column]]
        elif shown[column].hasnans:  # a count the export cannot support (availability)
            shown[column] = [missing if pd.isna(v) else v for v in shown[column]]
    return shown.rename(columns={c: column_title(c, lang) for c in shown.columns})
