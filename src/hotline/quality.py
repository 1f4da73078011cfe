"""Data-quality flags for the ingest notebook (数据接入与质量): what in the data looks wrong.

Each check of :data:`CHECKS` counts the orders that break one plain rule, over a stated base,
and names a few of them; :func:`quality_checks` gives one row per check and
:func:`quality_examples` lists the flagged orders of one check with their lineage (file and
row), never their text or their caller. ``docs/quality.md`` explains each check.

The checks are written like the metrics (:mod:`hotline.metrics.engine`): narwhals expressions
over the per-order flags of :func:`hotline.metrics.flags.add_flags`, so "closed" and "answered
directly" mean exactly what they mean in every figure, and pandas and DuckDB give identical
counts. Unparseable values are the exception: the cells became empty at ingest, so they are
counted from the ingest manifest, not from the orders.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3"], "source_kind": ["hotline"] * 3,
    ...     "received_at": pd.to_datetime(["2021-03-01 09:00"] * 3),
    ...     "closed_at": pd.to_datetime(["2021-03-01 08:00", None, "2021-03-02 10:00"]),
    ...     "department": ["县住建局"] * 3, "status": ["closed"] * 3})
    >>> quality_checks(df)[["check", "count", "base", "examples"]]
                        check  count  base examples
    0     closed_without_time      1     3      [2]
    1  closed_before_received      1     2      [1]
    2           zero_duration      0     2       []
    3           burst_closure      0     2       []
    4             unparseable      0     0       []
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from hotline import rules, schema
from hotline.dataset import read_manifest
from hotline.errors import DatasetError, HotlineError
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data, Source, manifest_of, open_source, provenance
from hotline.metrics.flags import add_flags
from hotline.metrics.portable import micros_between
from hotline.metrics.spark import is_spark_frame
from hotline.metrics.summary import aggregate, apply_filters, canonical_frame

__all__ = ["BURST_SLOT_MINUTES", "CHECKS", "LINEAGE", "Check", "quality_checks", "quality_examples"]

#: Width of the closing-time slots in which mass closures are looked for.
BURST_SLOT_MINUTES = 10

#: Columns of :func:`quality_examples`: enough to find an order in its export, nothing personal.
LINEAGE = (
    "order_id",
    "source_file",
    "source_row",
    "received_at",
    "closed_at",
    "replied_at",
    "department",
    "status",
)

_US_PER_MINUTE = 60_000_000
_EPOCH = dt.datetime(1970, 1, 1)
_EXAMPLES = 3
#: Canonical kinds whose cells are parsed at ingest (and so can be unparseable).
_PARSED_KINDS = ("timestamp", "category", "bool", "int")


@dataclass(frozen=True)
class Check:
    """One data-quality check.

    Attributes:
        name: Code, the ``check`` column of :func:`quality_checks`.
        label: Short Chinese label for tables.
        rule: The rule in plain Chinese, with its base; ``{fast_close_minutes}``,
            ``{burst_size}`` and ``{slot_minutes}`` stand for the parameters used.
    """

    name: str
    label: str
    rule: str

    def describe(self, fast_close_minutes: int = 10, burst_size: int = 20) -> str:
        """The rule with the parameters filled in.

        Example:
            >>> rule = CHECKS[3].describe(fast_close_minutes=5, burst_size=30)
            >>> "5 分钟内" in rule and "不少于 30 件" in rule
            True
        """
        return self.rule.format(
            fast_close_minutes=fast_close_minutes,
            burst_size=burst_size,
            slot_minutes=BURST_SLOT_MINUTES,
        )


# the closed family, as the counting rules define it (a rule added there shows up here)
_CLOSED_FAMILY = "、".join(schema.label("status", code) for code in rules.CLOSED_STATUSES)
_REPLY_CLOSES = "、".join(
    schema.label("status", code)
    for code in rules.ONLINE_CLOSED_STATUSES
    if code not in rules.CLOSED_STATUSES
)

#: The checks, in the order of :func:`quality_checks`.
CHECKS: tuple[Check, ...] = (
    Check(
        "closed_without_time",
        "已办结但无办结时间",
        f"办理状态为办结类（{_CLOSED_FAMILY}；网络留言含{_REPLY_CLOSES}），却没有办结时间"
        "（网络留言没有办结时间时，以答复时间为准）。计算办理时长和按时办结时只能以导出时间代替，"
        "时长会被高估。基数：截至统计时点已办结的工单。",
    ),
    Check(
        "closed_before_received",
        "办结早于受理",
        "办结时间（网络留言无办结时间时取答复时间）早于受理时间，两个时间必有一个录错。"
        "办理时长统计不计入这些工单。基数：有办结时间的已办结工单。",
    ),
    Check(
        "zero_duration",
        "办理时长为零",
        "办结时间与受理时间完全相同，且不是话务直接答复（直接答复当场办结，时长为零属正常）。"
        "常见于事后补录或批量结单。基数：有办结时间、经派单办理的已办结工单。",
    ),
    Check(
        "burst_closure",
        "批量快速办结",
        "受理后 {fast_close_minutes} 分钟内即办结（不含直接答复），且同一承办单位在同一"
        " {slot_minutes} 分钟时段内（按办结时间划分）这样办结的工单不少于 {burst_size} 件。"
        "可能是为赶办理时限集中结单：办结不等于解决。成批与否按全部数据判断，不受筛选条件影响。"
        "基数：有办结时间、经派单办理的已办结工单。",
    ),
    Check(
        "unparseable",
        "无法识别的值",
        "导入时无法识别、已置空的单元格（日期、状态、是/否、次数等），各列合计；示例为"
        "“列名: 个数”，逐行明细见 quality_examples 或导入记录 ingest_report.md。"
        "基数：读入的需解析的单元格数。按导入文件统计（含被更新快照合并的行），"
        "不受筛选条件和统计时点影响。",
    ),
)

_BY_NAME = {check.name: check for check in CHECKS}
_NO_MANIFEST = (
    "没有导入记录（manifest），无法统计无法识别的值，计为 0。"
    "请用 hotline.load() 读取数据集，或直接传入数据集文件夹。"
)


def _as_flag(expr: Any) -> Any:
    """A 0/1 column: missing counts as 0 (DuckDB keeps SQL's NULL where pandas says False)."""
    return expr.fill_null(False).cast(nw.Int8)


def _close_time() -> Any:
    """The recorded close time: 办结时间; for an online message the reply closes it too."""
    online = (nw.col("source_kind") == "online").fill_null(False)
    return (
        nw.when(online)
        .then(nw.coalesce(nw.col("closed_at"), nw.col("replied_at")))
        .otherwise(nw.col("closed_at"))
    )


def _with_checks(frame: Any, fast_close_minutes: int, burst_size: int) -> Any:
    """Add ``base_<check>`` and ``<check>`` 0/1 columns for every order-level check."""
    frame = frame.with_columns(_close_time=_close_time())
    closed = nw.col("closed") == 1
    timed = closed & ~nw.col("_close_time").is_null()
    # A direct answer is closed on the call: a zero or tiny duration is what it should have.
    dispatched = timed & (nw.col("direct") == 0)
    micros = micros_between(nw.col("received_at"), nw.col("_close_time"))
    fast = (
        dispatched
        & ~nw.col("department").is_null()
        & (micros >= 0)
        & (micros <= fast_close_minutes * _US_PER_MINUTE)
    )
    slot_us = BURST_SLOT_MINUTES * _US_PER_MINUTE
    frame = frame.with_columns(
        base_closed_without_time=_as_flag(closed),
        closed_without_time=_as_flag(closed & nw.col("_close_time").is_null()),
        base_closed_before_received=_as_flag(timed),
        closed_before_received=_as_flag(timed & (nw.col("_close_time") < nw.col("received_at"))),
        base_zero_duration=_as_flag(dispatched),
        zero_duration=_as_flag(dispatched & (micros == 0)),
        base_burst_closure=_as_flag(dispatched),
        _fast=_as_flag(fast),
        # slots by integer arithmetic: DuckDB truncates datetimes to single units only
        _slot=micros_between(nw.lit(_EPOCH, dtype=nw.Datetime("us")), nw.col("_close_time"))
        // slot_us,
    )
    batch = nw.col("_fast").sum().over("department", "_slot")
    in_batch = (nw.col("_fast") == 1) & (batch >= burst_size)
    return frame.with_columns(burst_closure=_as_flag(in_batch))


def _validate(fast_close_minutes: int, burst_size: int) -> None:
    if fast_close_minutes < 0:
        raise HotlineError(f"fast_close_minutes={fast_close_minutes}: expected 0 or more minutes")
    if burst_size < 2:
        raise HotlineError(f"burst_size={burst_size}: a batch needs at least 2 orders")


def _flagged(
    data: Data,
    definitions: Definitions,
    fast_close_minutes: int,
    burst_size: int,
    filters: dict[str, Any],
) -> tuple[Source, Any, dt.datetime]:
    """The orders in scope with their check columns, filtered after batches are found."""
    _validate(fast_close_minutes, burst_size)
    source = open_source(canonical_frame(data))
    frame, as_of = add_flags(source, definitions)
    frame = _with_checks(frame, fast_close_minutes, burst_size)
    return source, apply_filters(frame, filters), as_of


def _ordered(frame: Any) -> Any:
    """The flagged orders in a fixed order (the same on both engines): by close time."""
    return frame.sort("_close_time", "received_at", "order_id", nulls_last=True)


def _first_ids(source: Source, frame: Any, check: str) -> list[str]:
    """The ids of the first flagged orders, as :func:`quality_examples` lists them."""
    query = _ordered(frame.filter(nw.col(check) == 1)).select("order_id").head(_EXAMPLES)
    return [str(v) for v in source.collect(query)["order_id"]]


def _manifest(data: Data) -> dict[str, Any] | None:
    """The ingest manifest behind the data, if there is one.

    A dataset carries its manifest (``hotline.load()``: ``attrs["manifest"]``); one export read
    with :func:`hotline.read_export` carries the account of its file (``attrs["ingest"]``).
    """
    if isinstance(data, pd.DataFrame):
        if data.attrs.get("manifest"):
            return data.attrs["manifest"]
        return {"inputs": [data.attrs["ingest"]]} if data.attrs.get("ingest") else None
    if is_spark_frame(data):  # its manifest travels in its schema (hotline.metrics.spark)
        return manifest_of(data) or None
    try:
        return read_manifest(data)
    except DatasetError:
        return None


def _unparseable(manifest: dict[str, Any]) -> tuple[Counter[str], int]:
    """Unreadable cells per canonical column, and the cells read in columns that are parsed."""
    kinds = {column.name: column.kind for column in schema.COLUMNS}
    found: Counter[str] = Counter()
    cells = 0
    for entry in manifest.get("inputs", []):
        columns = entry.get("columns", {})
        field_of = {header: field for field, header in columns.items()}
        # rejected rows are never parsed; merged ones were, before a later copy won
        parsed_rows = entry.get("rows_in", 0) - sum(entry.get("rejected", {}).values())
        cells += parsed_rows * sum(kinds.get(field) in _PARSED_KINDS for field in columns)
        for header, info in entry.get("unparseable", {}).items():
            found[field_of.get(header, header)] += int(info["count"])
    return found, cells


def _unparseable_row(data: Data) -> dict[str, Any]:
    check = _BY_NAME["unparseable"]
    row = {"check": check.name, "label": check.label}
    manifest = _manifest(data)
    if manifest is None:
        return row | {"rule": _NO_MANIFEST, "count": 0, "base": 0, "examples": []}
    found, cells = _unparseable(manifest)
    ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
    examples = [f"{column}: {n}" for column, n in ranked]
    return row | {
        "rule": check.describe(),
        "count": found.total(),
        "base": cells,
        "examples": examples,
    }


def _as_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows of :func:`quality_checks` with their share (missing when the base is empty)."""
    table = pd.DataFrame(rows).astype({"count": np.int64, "base": np.int64})
    base = table["base"].to_numpy()
    table["share"] = np.where(base > 0, table["count"] / np.where(base > 0, base, 1), np.nan)
    return table[["check", "label", "rule", "count", "base", "share", "examples"]]


def quality_checks(
    data: Data,
    definitions: Definitions | str | None = None,
    *,
    fast_close_minutes: int = 10,
    burst_size: int = 20,
    **filters: Any,
) -> pd.DataFrame:
    """Count the orders that break each data-quality rule of :data:`CHECKS`.

    Args:
        data: Canonical DataFrame (pandas engine) or dataset path (DuckDB engine).
        definitions: :class:`Definitions` or preset name; its ``as_of`` decides which orders
            exist and which are closed, as in every metric.
        fast_close_minutes: A closure this many minutes or fewer after receipt is fast
            (``burst_closure``).
        burst_size: This many fast closures or more by one department in one
            :data:`BURST_SLOT_MINUTES`-minute slot of close time make a batch.
        **filters: As for :func:`hotline.metrics.summary`, e.g. ``year=2021``,
            ``source_kind="hotline"``. They do not apply to ``unparseable``: a count per
            imported file, from the manifest of a dataset (a folder, or ``hotline.load()``'s
            ``attrs["manifest"]``) or the account of one export (:func:`hotline.read_export`).

    Returns:
        One row per check: ``check``, ``label``, ``rule`` (plain Chinese, parameters filled
        in), ``count``, ``base``, ``share`` (count / base, missing when the base is empty),
        ``examples`` (up to 3 order ids, earliest close first; for ``unparseable``,
        ``"column: n"`` strings). ``attrs`` holds ``as_of``, ``definitions``, ``sources``
        and ``engine``.

    Raises:
        HotlineError: A negative ``fast_close_minutes``, a ``burst_size`` below 2, or an
            unknown filter.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01 09:00"] * 2),
        ...     "closed_at": pd.to_datetime(["2021-03-01 09:00"] * 2),
        ...     "department": ["县住建局", None], "status": ["closed", "answered_directly"]})
        >>> row = quality_checks(df).set_index("check").loc["zero_duration"]
        >>> int(row["count"]), int(row["base"]), row["examples"]
        (1, 1, ['1'])
    """
    definitions = resolve(definitions)
    source, frame, as_of = _flagged(data, definitions, fast_close_minutes, burst_size, filters)
    orders = [check.name for check in CHECKS if check.name != "unparseable"]
    columns = [name for check in orders for name in (f"base_{check}", check)]
    sums = [nw.col(name).sum().alias(name) for name in columns]
    totals = aggregate(source, frame, [], sums, integers=columns).iloc[0]
    rows = []
    for name in orders:
        check = _BY_NAME[name]
        count = int(totals[name])
        rows.append(
            {
                "check": name,
                "label": check.label,
                "rule": check.describe(fast_close_minutes, burst_size),
                "count": count,
                "base": int(totals[f"base_{name}"]),
                "examples": _first_ids(source, frame, name) if count else [],
            }
        )
    rows.append(_unparseable_row(data))
    table = _as_table(rows)
    table.attrs.update(
        {
            **provenance(data, definitions, as_of),
            "engine": source.engine,
        }
    )
    return table


def _unparseable_examples(data: Data, limit: int) -> pd.DataFrame:
    """The unreadable cells the manifest quotes (file, row, column, the value shown safely)."""
    manifest = _manifest(data) or {}
    rows = []
    for entry in manifest.get("inputs", []):
        field_of = {header: field for field, header in entry.get("columns", {}).items()}
        for header, info in entry.get("unparseable", {}).items():
            for row, value in info.get("examples", []):
                rows.append(
                    {
                        "source_file": entry.get("name"),
                        "source_row": int(row),
                        "column": field_of.get(header, header),
                        "header": header,
                        "expected": info.get("expected"),
                        "value": value,
                    }
                )
    columns = ["source_file", "source_row", "column", "header", "expected", "value"]
    return pd.DataFrame(rows[:limit], columns=columns)


def quality_examples(
    data: Data,
    check: str,
    *,
    limit: int = 20,
    definitions: Definitions | str | None = None,
    fast_close_minutes: int = 10,
    burst_size: int = 20,
    **filters: Any,
) -> pd.DataFrame:
    """The orders one check flags, with where they come from, to look them up in the export.

    Args:
        data: Canonical DataFrame or dataset path.
        check: A name of :data:`CHECKS`.
        limit: Most rows returned.
        definitions: As for :func:`quality_checks`.
        fast_close_minutes: As for :func:`quality_checks`.
        burst_size: As for :func:`quality_checks`.
        **filters: As for :func:`quality_checks`.

    Returns:
        The :data:`LINEAGE` columns of the flagged orders, earliest close first (the first
        three are the ``examples`` of :func:`quality_checks`); never free text or caller
        columns. For ``unparseable``, the cells the ingest manifest quotes instead:
        ``source_file``, ``source_row``, ``column``, ``header``, ``expected``, ``value``
        (shown as in ``ingest_report.md``: personal-looking values hidden).

    Raises:
        HotlineError: An unknown check.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01 09:00"] * 2),
        ...     "closed_at": pd.to_datetime(["2021-03-01 08:00", "2021-03-01 10:00"]),
        ...     "department": ["县住建局"] * 2, "status": ["closed"] * 2,
        ...     "content": ["楼上漏水"] * 2})
        >>> quality_examples(df, "closed_before_received")[["order_id", "closed_at"]]
          order_id           closed_at
        0        1 2021-03-01 08:00:00
    """
    if check not in _BY_NAME:
        raise HotlineError(f"unknown check {check!r}; expected one of {', '.join(_BY_NAME)}")
    if check == "unparseable":
        return _unparseable_examples(data, limit)
    definitions = resolve(definitions)
    source, frame, _ = _flagged(data, definitions, fast_close_minutes, burst_size, filters)
    query = _ordered(frame.filter(nw.col(check) == 1)).head(limit).select(*LINEAGE)
    found = source.collect(query)
    # canonical dtypes, whichever engine produced the rows
    return schema.conform(found.reset_index(drop=True))[list(LINEAGE)]
