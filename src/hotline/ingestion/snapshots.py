"""When was each export taken? The answer decides which copy of an order is the latest.

Monthly exports overlap: an order received on 30 March is ``处理中`` in the March export and
``已办结`` in April's. The copy from the latest snapshot wins. A file's snapshot time comes from,
in order of precedence:

1. ``option``: given explicitly (``--snapshot-at FILE=TIME`` or ``snapshot_at=``);
2. ``export line``: the export's own line above or below the table (``导出时间：2021-04-02
   10:00``, also with the date in the next cell or more text after it);
3. ``file name``: a date or time stamp in the file name (``工单_20210402.csv``,
   ``导出20210402153000.csv``; a month alone, ``2021年3月``, means the export was taken at the
   start of the next month);
4. ``order``: none found: such files count as older than every dated one, in the order given.

Example:
    >>> snapshot_from_preamble(["XX县12345热线工单明细表", "导出时间：2021-04-02 10:00"])
    datetime.datetime(2021, 4, 2, 10, 0)
    >>> snapshot_from_name("热线工单_2021年3月.xlsx")
    datetime.datetime(2021, 4, 1, 0, 0)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pyarrow as pa

from hotline.ingestion.dates import parse_datetimes

__all__ = [
    "SNAPSHOT_RULES",
    "snapshot_from_name",
    "snapshot_from_preamble",
    "snapshot_order",
]

SNAPSHOT_RULES = ("option", "export line", "file name", "order")

_EXPORT_LINE = re.compile(
    r"(?:导出|生成|制表|打印|统计|截止|截至)\s*(?:时间|日期)?\s*[:：]?\s*"
    r"(?P<when>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:[\sT]*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2})?\s*秒?)?)"
)
_NAME_STAMP = re.compile(r"(?<!\d)(?P<when>20\d{2}[01]\d[0-3]\d[0-2]\d[0-5]\d[0-5]\d)(?!\d)")
_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>20\d{2})\s*[-_.年]?\s*(?P<m>0[1-9]|1[0-2]|[1-9](?=月))\s*[-_.月]?\s*"
    r"(?:(?P<d>[0-2][0-9]|3[01]|[1-9](?=日))\s*日?)?(?!\d)"
)


def _parse_one(text: str) -> dt.datetime | None:
    parsed, _ = parse_datetimes(pa.array([text.strip()]))
    return parsed[0].as_py()


def snapshot_from_preamble(lines: Sequence[str]) -> dt.datetime | None:
    """The export time stated above the header, if any."""
    for line in lines:
        match = _EXPORT_LINE.search(line)
        if match:
            when = _parse_one(match.group("when"))
            if when is not None:
                return when
    return None


def snapshot_from_name(name: str) -> dt.datetime | None:
    """A date in a file name; a month without a day means the first day of the next month.

    Example:
        >>> snapshot_from_name("export-2021-08-05.csv")
        datetime.datetime(2021, 8, 5, 0, 0)
        >>> snapshot_from_name("工单明细.xlsx") is None
        True
    """
    stamps = _NAME_STAMP.findall(name)  # 工单导出20210405153000.csv
    if stamps:
        return _parse_one(stamps[-1])
    found = None
    for match in _NAME_DATE.finditer(name):
        found = match  # the last date in the name is usually the export date
    if found is None:
        return None
    year, month = int(found.group("y")), int(found.group("m"))
    if found.group("d"):
        try:
            return dt.datetime(year, month, int(found.group("d")))
        except ValueError:
            return None
    return dt.datetime(year + month // 12, month % 12 + 1, 1)


def snapshot_order(times: Sequence[dt.datetime | None]) -> list[int]:
    """Rank of each file from oldest (0) to newest; undated files first, in the order given.

    Example:
        >>> snapshot_order([dt.datetime(2021, 5, 1), None, dt.datetime(2021, 4, 1)])
        [2, 0, 1]
    """
    keyed = sorted(
        range(len(times)),
        key=lambda i: (times[i] is not None, times[i] or dt.datetime.min, i),
    )
    ranks = [0] * len(times)
    for rank, index in enumerate(keyed):
        ranks[index] = rank
    return ranks
