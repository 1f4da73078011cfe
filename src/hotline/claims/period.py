"""The period a report's claims are checked against, and how far the data covers it.

Coverage is read from the orders' received times (``received_at``), up to the definitions'
``as_of``: the months that hold at least one order, and the first and last day an order was
received in each. A year is **fully covered** when every one of its twelve months holds orders,
**partly covered** when some do, and **not covered** when none does.

The year checked is, in order: the one asked for (``--year``); the one the text names
(:func:`hotline.claims.years.report_year`); the data's latest fully covered year; the data's latest
year with any orders.

Example:
    >>> import datetime as dt
    >>> cover = Coverage(((202001, dt.date(2020, 1, 1), dt.date(2020, 1, 26)),))
    >>> period = choose_period(cover, None, None)
    >>> period.year, period.status, period.caveat
    (2020, 'partial', '数据仅覆盖 2020-01-01 至 2020-01-26，非全年')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import narwhals as nw
import pandas as pd

from hotline.claims.years import REASONS, TextYear
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data, open_source
from hotline.metrics.flags import resolve_as_of
from hotline.metrics.summary import canonical_frame

__all__ = ["Coverage", "Period", "choose_period", "data_coverage"]

Status = Literal["full", "partial", "none"]


@dataclass(frozen=True)
class Coverage:
    """Which months of which years the data holds orders for.

    Attributes:
        months: ``(yyyymm, first day, last day)`` per month with orders received, in order.
    """

    months: tuple[tuple[int, dt.date, dt.date], ...]

    @property
    def first(self) -> dt.date | None:
        """The first day any order was received."""
        return self.months[0][1] if self.months else None

    @property
    def last(self) -> dt.date | None:
        """The last day any order was received."""
        return self.months[-1][2] if self.months else None

    def years(self) -> list[int]:
        """The years with any orders, in order."""
        return sorted({key // 100 for key, _, _ in self.months})

    def full_years(self) -> list[int]:
        """The years whose twelve months all hold orders, in order.

        Example:
            >>> day = dt.date(2021, 1, 1)
            >>> Coverage(tuple((202100 + m, day, day) for m in range(1, 13))).full_years()
            [2021]
        """
        return [year for year in self.years() if len(self.of_year(year)) == 12]

    def of_year(self, year: int) -> list[tuple[int, dt.date, dt.date]]:
        """The months of one year that hold orders."""
        return [month for month in self.months if month[0] // 100 == year]

    def span(self) -> str:
        """The data's first and last day, in Chinese (``2019-01-01 至 2020-12-31``)."""
        if self.first is None:
            return "无带受理时间的工单"
        return f"{self.first} 至 {self.last}"


def data_coverage(data: Data, definitions: Definitions | str | None = None) -> Coverage:
    """The months the data holds orders for, by received time, up to ``as_of``.

    Args:
        data: Canonical DataFrame or dataset path (read by DuckDB, one pass).
        definitions: Definitions whose ``as_of`` bounds the data (orders received later do not
            exist yet); default the data's own horizon.

    Example:
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2020-01-01 08:00", "2020-01-26 17:00"])})
        >>> data_coverage(df).span()
        '2020-01-01 至 2020-01-26'
    """
    source = open_source(canonical_frame(data))
    as_of = resolve_as_of(source, resolve(definitions))
    when = nw.col("received_at")
    orders = source.frame.filter(~when.is_null() & (when <= as_of))
    query = (
        orders.with_columns(month=when.dt.year() * 100 + when.dt.month())
        .group_by("month")
        .agg(first=when.min(), last=when.max())
    )
    table = source.collect(query).sort_values("month")
    return Coverage(
        tuple(
            (int(month), pd.Timestamp(first).date(), pd.Timestamp(last).date())
            for month, first, last in zip(
                table["month"], table["first"], table["last"], strict=True
            )
        )
    )


@dataclass(frozen=True)
class Period:
    """The year claims are checked against, why that year, and how far the data covers it.

    Attributes:
        year: The year, or ``None`` when neither the text nor the data gives one.
        reason: Why this year, in Chinese (``文中所述年度`` …).
        status: ``full``, ``partial`` or ``none`` (the data holds no order of that year).
        first: First day an order of the year was received (``None`` when not covered).
        last: Last such day.
        gaps: Months between ``first`` and ``last`` without orders.
        data_span: The whole data's first and last day, in Chinese.
    """

    year: int | None
    reason: str
    status: Status
    first: dt.date | None = None
    last: dt.date | None = None
    gaps: tuple[int, ...] = ()
    data_span: str = ""

    @property
    def caveat(self) -> str:
        """For a partly covered year, the mark every verdict carries; else empty."""
        if self.status != "partial":
            return ""
        text = f"数据仅覆盖 {self.first} 至 {self.last}"
        if self.gaps:
            text += f"，缺 {'、'.join(str(m) for m in self.gaps)} 月"
        return text + "，非全年"

    @property
    def absent(self) -> str:
        """For a year the data does not cover, why no claim can be checked; else empty."""
        if self.status != "none":
            return ""
        if self.year is None:
            return "数据中没有带受理时间的工单，无法确定核对年度"
        return f"数据不含该年度（{self.year} 年；数据覆盖 {self.data_span}）"

    def header(self) -> list[str]:
        """The output's lines about the period (Chinese).

        Example:
            >>> period = Period(2021, "文中所述年度", "none", data_span="2019-01-01 至 2020-12-31")
            >>> for line in period.header(): print(line)
            核对年度：2021（文中所述年度）
            数据不含该年度：数据覆盖 2019-01-01 至 2020-12-31，以下各项无法核对
        """
        year = "未定" if self.year is None else str(self.year)
        lines = [f"核对年度：{year}（{self.reason}）"]
        if self.status == "full":
            lines.append(f"数据覆盖：{self.year} 年全年（{self.first} 至 {self.last} 受理的工单）")
        elif self.status == "partial":
            lines.append(f"注意：{self.caveat}，与全年数字不可比，结论仅供参考")
        elif self.year is not None:
            lines.append(f"数据不含该年度：数据覆盖 {self.data_span}，以下各项无法核对")
        return lines


def choose_period(coverage: Coverage, text_year: TextYear | None, year: int | None) -> Period:
    """The year to check and its coverage.

    Args:
        coverage: The data's coverage (:func:`data_coverage`).
        text_year: The year the text names (:func:`hotline.claims.years.report_year`).
        year: A year asked for explicitly; it overrides the text.

    Example:
        >>> day = dt.date(2021, 1, 1)
        >>> cover = Coverage(tuple((202100 + m, day, day) for m in range(1, 13)))
        >>> print(choose_period(cover, None, 2019).header()[0])
        核对年度：2019（指定年度）
    """
    if year is not None:
        reason = REASONS["explicit"]
        if text_year is not None and text_year.year != year:
            reason += f"；文中所述年度为 {text_year.year}"
    elif text_year is not None:
        year, reason = text_year.year, text_year.reason
    elif coverage.full_years():
        year, reason = coverage.full_years()[-1], "文中未写年度，取数据中最近的完整年度"
    elif coverage.years():
        year, reason = coverage.years()[-1], "文中未写年度，数据中没有完整年度，取最近的年度"
    else:
        return Period(None, "文中未写年度，数据中没有带受理时间的工单", "none")
    months = coverage.of_year(year)
    if not months:
        return Period(year, reason, "none", data_span=coverage.span())
    first, last = months[0][1], months[-1][2]
    present = {key % 100 for key, _, _ in months}
    gaps = tuple(m for m in range(months[0][0] % 100, months[-1][0] % 100) if m not in present)
    status: Status = "full" if len(present) == 12 else "partial"
    return Period(year, reason, status, first, last, gaps, coverage.span())
