"""The floor of the metrics benchmarks: ``summary(month × department)`` as SQL written by hand.

One query, in DuckDB's and Spark's dialects, computes every flag of ``hotline.metrics.flags``
(default definitions) summed by month of receipt and department; :func:`differences` checks
that a library result holds the same figures, so a benchmark compares the same work.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from hotline import rules

#: The time the figures are counted at (``Definitions.as_of``), on every path.
AS_OF = dt.datetime(2022, 1, 5, 9, 0)

# Hand-written SQL: the flags of hotline.metrics.flags (default definitions), month × department.
# {source} is the orders relation; the dialects differ only in the words of _DIALECTS.
_TEMPLATE = """
WITH o AS (
  SELECT *,
    coalesce(source_kind = 'online', false) AS online,
    NOT coalesce(status IN ({void}), false) AS acc,
    coalesce(status IN ({closed}), false) AS closed_family
  FROM {source} WHERE received_at <= {timestamp} '{as_of}'
), t AS (
  SELECT *,
    CASE WHEN online THEN coalesce(closed_at, replied_at, snapshot_at)
         ELSE coalesce(closed_at, snapshot_at) END AS closed_time
  FROM o
), c AS (
  SELECT *,
    acc AND (closed_family OR (online AND coalesce(status = 'replied', false)))
        AND (closed_time IS NULL OR closed_time <= {timestamp} '{as_of}') AS cl,
    due_at AS due
  FROM t
), d AS (
  SELECT *,
    acc AND (coalesce(status = 'answered_directly', false)
             OR (cl AND dispatched_at IS NULL AND department IS NULL AND NOT online)) AS direct,
    cl AND coalesce(satisfaction IN ('very_dissatisfied', 'dissatisfied', 'basically_satisfied',
                                     'satisfied', 'very_satisfied'), false) AS evaluated
  FROM c
), e AS (
  SELECT *, acc AND NOT direct AS disp FROM d
)
SELECT year(received_at) * 100 + month(received_at) AS month, department,
  count(*) FILTER (WHERE acc) AS accepted,
  count(*) FILTER (WHERE cl) AS closed,
  count(*) FILTER (WHERE disp) AS dispatched,
  count(*) FILTER (WHERE disp AND cl) AS closed_dispatched,
  count(*) FILTER (WHERE direct) AS direct,
  count(*) FILTER (WHERE acc AND (dispatched_at IS NOT NULL OR department IS NOT NULL
                            OR coalesce(status = 'answered_directly', false))) AS dispatch_known,
  count(*) FILTER (WHERE cl AND closed_time <= due) AS on_time,
  count(*) FILTER (WHERE cl AND closed_time > due) AS closed_late,
  count(*) FILTER (WHERE acc AND NOT cl AND due < {timestamp} '{as_of}') AS open_overdue,
  count(*) FILTER (WHERE evaluated) AS evaluated,
  count(*) FILTER (WHERE evaluated AND satisfaction IN ('very_satisfied', 'satisfied',
                                                  'basically_satisfied')) AS satisfied,
  count(*) FILTER (WHERE evaluated AND satisfaction IN ('dissatisfied', 'very_dissatisfied'))
    AS dissatisfied,
  count(*) FILTER (WHERE cl) AS closed_with_answer,
  count(*) FILTER (WHERE cl AND (satisfaction IS NOT NULL OR revisited_at IS NOT NULL
                           OR coalesce(status = 'revisited', false))) AS revisit_known,
  count(*) FILTER (WHERE cl AND (revisited_at IS NOT NULL OR coalesce(status = 'revisited', false)
                           OR evaluated)) AS revisited,
  count(*) FILTER (WHERE disp AND (is_contacted IS NOT NULL OR signed_at IS NOT NULL))
    AS response_known,
  count(*) FILTER (WHERE disp AND (coalesce(is_contacted, false)
                             OR coalesce({signed_within_a_day}, false))) AS responded,
  count(*) FILTER (WHERE acc AND is_resolved IS NOT NULL) AS resolution_known,
  count(*) FILTER (WHERE acc AND coalesce(is_resolved, false)) AS resolved,
  count(*) FILTER (WHERE disp AND return_count IS NOT NULL) AS return_known,
  count(*) FILTER (WHERE disp AND coalesce(return_count >= 1, false)) AS returned,
  count(*) FILTER (WHERE disp AND is_extended IS NOT NULL) AS extension_known,
  count(*) FILTER (WHERE disp AND coalesce(is_extended, false)) AS extended,
  count(*) FILTER (WHERE acc AND caller_key IS NOT NULL) AS with_caller,
  count(*) FILTER (WHERE acc AND caller_key IS NOT NULL AND topic IS NOT NULL
                   AND repeat_gap_hours <= 30 * 24) AS repeats
FROM e GROUP BY 1, 2 ORDER BY 1, 2
"""

_DIALECTS = {
    "duckdb": {
        "timestamp": "TIMESTAMP",
        "signed_within_a_day": "epoch_us(signed_at) - epoch_us(dispatched_at) <= 86400000000",
    },
    # Spark reads the files' naive times as TIMESTAMP_NTZ: wall-clock arithmetic, as DuckDB's
    "spark": {
        "timestamp": "TIMESTAMP_NTZ",
        "signed_within_a_day": "signed_at <= dispatched_at + INTERVAL 24 HOURS",
    },
}


def summary_sql(source: str, dialect: str = "duckdb") -> str:
    """The hand-written query over the relation ``source`` (``read_parquet(…)``, a view).

    Example:
        >>> "FROM orders WHERE" in summary_sql("orders", "spark")
        True
    """

    def words(codes: tuple[str, ...]) -> str:
        return ", ".join(f"'{code}'" for code in codes)

    return _TEMPLATE.format(
        source=source,
        as_of=AS_OF.isoformat(sep=" "),
        void=words(rules.VOID_STATUSES),
        closed=words(rules.CLOSED_STATUSES),
        **_DIALECTS[dialect],
    )


def differences(reference: pd.DataFrame, result: pd.DataFrame) -> list[str]:
    """The flags whose counts differ between ``reference`` (the SQL's) and ``result``.

    Either may give its month as ``YYYYMM`` (the SQL) or ``YYYY-MM`` (the library); a group
    present in one only is a difference of every flag.
    """

    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        month = frame["month"].astype(str).str.replace("-", "").astype(int)
        return frame.assign(month=month)

    merged = keyed(reference).merge(
        keyed(result), on=["month", "department"], suffixes=("_sql", ""), how="outer"
    )
    flags = [c for c in reference.columns if c not in ("month", "department")]
    bad = [f for f in flags if not (merged[f"{f}_sql"] == merged[f]).all()]
    if len(merged) != len(reference) and not bad:
        bad = ["(groups)"]
    return bad
