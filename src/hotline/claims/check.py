"""Claims against the data: each hotline figure is consistent, inconsistent or not checkable.

The data's figures come from :func:`hotline.metrics.summary` per source kind and in total, under
the given :class:`~hotline.metrics.Definitions`, so a figure is computed exactly as the metric
library computes it and its formula can be printed. A claim about 话务 is checked against the
hotline orders, one about 网络投诉 against the online ones; one that names only the 12345 热线 is
checked against the hotline orders, with the combined figure (话务 + 网络投诉) shown too. It is
consistent when either reading is, and the verdict says which reading fits.

Every claim of one text is checked against one year (:mod:`hotline.claims.period`): the year
asked for, else the one the text names, else the data's latest full year. A year the data does
not cover makes every claim not checkable; a partly covered one is checked, and each verdict
carries the coverage caveat. A figure the metrics leave missing (NaN, NA or ``None``: the export
lacks the information) is not checkable either, never a 0 that would read as 不符.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "source_kind": ["hotline"] * 4,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 4),
    ...     "status": ["closed", "closed", "closed", "dispatched"]})
    >>> [(c.verdict, c.computed.formula) for c in check_claims("热线受理话务诉求4件,办结3件。", df)]
    [('consistent', '受理量 = 4'), ('consistent', '办结量 = 3')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any, Literal

import pandas as pd

from hotline.claims.bounds import Bound, bound
from hotline.claims.extract import Statement, extract_statements
from hotline.claims.period import Period, choose_period, data_coverage
from hotline.claims.vocabulary import MEASURES, SUBJECTS
from hotline.claims.years import report_year
from hotline.metrics.catalogue import RATES, denominator, numerator
from hotline.metrics.declarations import CATALOGUE
from hotline.metrics.definitions import Definitions, resolve
from hotline.metrics.engine import Data
from hotline.metrics.rate import Rate
from hotline.metrics.summary import summary
from hotline.typed import Attrs

__all__ = [
    "Claim",
    "Computed",
    "DataFigures",
    "Verdict",
    "check_claims",
    "check_statements",
    "claims_period",
]

Verdict = Literal["consistent", "inconsistent", "not_checkable", "not_hotline"]

#: Names of the counts above or below the line of a rate, in its formula: their declarations'.
_FLAG_NAMES = {key: count.zh for key, count in CATALOGUE.counts().items()}


@dataclass(frozen=True)
class Computed:
    """A figure computed from the data.

    Attributes:
        subject: ``hotline``, ``online`` or ``total``.
        measure: The measure key.
        value: The count, or the rate in percent.
        numerator: For a rate, the count above the line.
        denominator: For a rate, the count below the line.
        formula: How it was computed, with the numbers (``办结率 = 办结量 / 受理量 = …``).
    """

    subject: str
    measure: str
    value: float
    numerator: int | None
    denominator: int | None
    formula: str

    @property
    def exact(self) -> Fraction:
        """The value as an exact fraction (for comparing with stated bounds)."""
        if self.denominator is None:
            return Fraction(int(self.value))
        return Fraction(100 * (self.numerator or 0), self.denominator)


@dataclass(frozen=True)
class Claim:
    """A figure of the report with its verdict.

    Attributes:
        statement: The figure and how it reads.
        verdict: ``consistent``, ``inconsistent``, ``not_checkable`` or ``not_hotline``.
        reason: The verdict in a Chinese sentence (why it is not checkable, what differs …).
        bound: The values the claim allows, for a checkable claim.
        computed: The data's figure the verdict rests on.
        combined: For a claim naming only the 12345 热线, the combined figure (话务 + 网络投诉).
        understates: A bound that holds with a wide margin (偏保守).
        definitions: Name of the definitions the data's figures follow.
        period: The year checked and its coverage (``None``: all the data, no year chosen).
    """

    statement: Statement
    verdict: Verdict
    reason: str = ""
    bound: Bound | None = None
    computed: Computed | None = None
    combined: Computed | None = None
    understates: bool = False
    definitions: str = "default"
    period: Period | None = None

    @property
    def caveat(self) -> str:
        """The coverage caveat every verdict of a partly covered year carries, or empty."""
        return "" if self.period is None else self.period.caveat


class DataFigures:
    """The counts and rates of a dataset per source kind and in total, under one definition.

    The data is read on first use, so a text without hotline claims never touches it.

    Args:
        data: Canonical DataFrame or dataset path.
        definitions: Definitions, a preset name, or ``None`` for the default preset.
        year: Only orders of this year (by the definitions' period: received, or closed);
            ``None``: all orders.
    """

    def __init__(
        self, data: Data, definitions: Definitions | str | None = None, year: int | None = None
    ) -> None:
        self.data = data
        self.definitions = resolve(definitions)
        self.year = year

    @cached_property
    def _summaries(self) -> tuple[dict[str, pd.Series], Attrs]:
        filters: dict[str, Any] = {} if self.year is None else {"year": self.year}
        parts = summary(self.data, by="source_kind", definitions=self.definitions, **filters)
        total = summary(self.data, definitions=self.definitions, **filters)
        rows = {str(row["source_kind"]): row for _, row in parts.iterrows()}
        rows["total"] = total.iloc[0]
        return rows, dict(total.attrs)

    @property
    def rows(self) -> dict[str, pd.Series]:
        """One summary row per source kind, and ``total``."""
        return self._summaries[0]

    @property
    def loaded(self) -> bool:
        """Whether the data has been read."""
        return "_summaries" in self.__dict__

    @property
    def as_of(self) -> str:
        """The moment the figures describe (``summary(...).attrs["as_of"]``)."""
        return str(self._summaries[1].get("as_of", ""))

    @property
    def sources(self) -> list[str]:
        """The export files behind the data."""
        return list(self._summaries[1].get("sources", []))

    def has(self, subject: str) -> bool:
        """Whether the data holds orders of this subject (``total``: any order at all)."""
        row = self.rows.get(subject)
        return row is not None and not _missing(row["accepted"]) and int(row["accepted"]) > 0

    def _lacking(self, row: pd.Series, measure: str, rate: str | None = None) -> str:
        """Why the export cannot give a figure the metrics left missing (Chinese).

        The metrics' own reason is quoted when they give one, for the figure or its ``rate``.
        """
        keys = [measure] if rate is None else [measure, rate]
        attrs = self._summaries[1]
        why = next((r for key in keys for r in (_reason(attrs, key), _reason(row, key)) if r), "")
        zh = MEASURES[measure].zh
        return f"{why}，无法计算{zh}" if why else f"导出中没有计算{zh}所需的信息"

    def compute(self, subject: str, measure: str) -> Computed | str:
        """The data's figure, or why it cannot be computed (Chinese).

        Example:
            >>> import pandas as pd
            >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["online"] * 2,
            ...     "received_at": pd.to_datetime(["2021-03-01"] * 2),
            ...     "status": ["closed", "dispatched"]})
            >>> DataFigures(df).compute("online", "closure_rate").formula
            '办结率 = 办结量 / 受理量 = 1 / 2 = 50.00%'
        """
        row = self.rows[subject]
        spec = MEASURES[measure]
        if spec.kind == "count":
            if _missing(row[measure]):
                return self._lacking(row, measure, spec.as_rate)
            # 0 回访 in data without revisit records is no evidence: the count's rate says so
            if spec.as_rate is not None and _missing(row[spec.as_rate]):
                below = denominator(spec.as_rate, self.definitions)
                if _missing(row[below]) or int(row[below]) > 0:  # withheld: the export lacks it
                    return self._lacking(row, measure, spec.as_rate)
                return f"数据缺少计算{spec.zh}所需的记录（{_FLAG_NAMES[below]}为 0 或无记录）"
            value = int(row[measure])
            return Computed(subject, measure, value, None, None, f"{spec.zh} = {value}")
        above = numerator(measure, self.definitions)
        below = denominator(measure, self.definitions)
        if _missing(row[above]) or _missing(row[below]):
            return self._lacking(row, measure)
        if _missing(row[measure]):
            if int(row[below]) > 0:  # counts present, rate withheld: the export lacks evidence
                return self._lacking(row, measure)
            return f"数据缺少计算{spec.zh}所需的记录（{_FLAG_NAMES[below]}为 0 或无记录）"
        rate = Rate(int(row[above]), int(row[below]))
        formula = (
            f"{RATES[measure].zh} = {_FLAG_NAMES[above]} / {_FLAG_NAMES[below]} = "
            f"{rate.numerator} / {rate.denominator} = {rate.percent()}"
        )
        return Computed(
            subject, measure, 100 * (rate.value or 0), rate.numerator, rate.denominator, formula
        )


def _missing(value: Any) -> bool:
    """A figure the metrics could not compute: ``None``, NaN, NA, or a rate without a value."""
    if value is None:
        return True
    if hasattr(value, "value") and not isinstance(value, int | float):
        return value.value is None  # a Rate marked missing
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _reason(where: Any, measure: str) -> str:
    """The metrics' reason a figure is missing, where they give one.

    A cell's ``reason`` (a missing Rate), or an ``unavailable`` / ``missing`` / ``unknown``
    mapping of the summary's ``attrs`` (measure → reason).
    """
    if isinstance(where, pd.Series):
        cell = where.get(measure)
        return str(getattr(cell, "reason", "") or "")
    for key in ("unavailable", "missing", "unknown"):
        reasons = where.get(key)
        if isinstance(reasons, Mapping) and reasons.get(measure):
            return str(reasons[measure])
    return ""


def _readings(statement: Statement, figures: DataFigures) -> list[str]:
    if statement.subject == "unspecified":
        return ["hotline", "total"] if figures.has("online") else ["hotline"]
    return [statement.subject or "unspecified"]


def _not_checkable(statement: Statement, figures: DataFigures, period: Period | None) -> str:
    """Why a hotline statement cannot be checked, or an empty string."""
    if statement.problem:
        return statement.problem
    if statement.qualifier == "change":
        return f"「{statement.qualifier_word}」表示变化量，只核对当期数值，不核对增减"
    if statement.qualifier == "earlier":
        return f"「{statement.qualifier_word}」的数字属于比较期，只核对当期数值"
    if statement.qualifier == "benchmark":
        return f"「{statement.qualifier_word}」的数字是其他地区的对照值，不是本地热线的数字"
    measure = MEASURES[statement.measure or ""]
    if not measure.held:
        return f"{measure.zh}：{measure.why_not}"
    if period is not None and period.absent:
        return period.absent
    subject = "hotline" if statement.subject == "unspecified" else statement.subject or ""
    if not figures.has(subject):
        return f"数据中没有{SUBJECTS[subject]}的工单"
    return ""


def _verdict(statement: Statement, figures: DataFigures, defs: str, period: Period | None) -> Claim:
    why = _not_checkable(statement, figures, period)
    if why:
        return Claim(statement, "not_checkable", why, definitions=defs)
    allowed = bound(statement.figure.number, statement.qualifier)
    results = [figures.compute(s, statement.measure or "") for s in _readings(statement, figures)]
    computed = [r for r in results if isinstance(r, Computed)]
    if not computed:
        return Claim(statement, "not_checkable", str(results[0]), allowed, definitions=defs)
    primary = computed[0]
    combined = computed[1] if len(computed) > 1 else None
    fitting = [c for c in computed if allowed.contains(c.exact)]
    if not fitting:
        return Claim(
            statement,
            "inconsistent",
            f"数据为 {_value(primary)}，不在所述范围（{allowed.describe()}）内",
            allowed,
            primary,
            combined,
            definitions=defs,
        )
    chosen = fitting[0]
    reason = f"数据为 {_value(chosen)}，在所述范围（{allowed.describe()}）内"
    if chosen is not primary:
        reason += f"：按话务与网络投诉合计口径相符（仅话务为 {_value(primary)}，不符）"
    loose = allowed.loose(chosen.exact)
    if loose:
        reason += f"；偏保守：{_gap(allowed, chosen)}"
    return Claim(statement, "consistent", reason, allowed, chosen, combined, loose, defs)


def _value(computed: Computed) -> str:
    if computed.denominator is None:
        return str(int(computed.value))
    return Rate(computed.numerator or 0, computed.denominator).percent()


def _gap(allowed: Bound, computed: Computed) -> str:
    gap = float(abs(computed.exact - allowed.stated))
    side = "高于" if computed.exact > allowed.stated else "低于"
    if allowed.percent:
        return f"实际{side}所述 {gap:.2f} 个百分点"
    return f"实际{side}所述 {gap:.0f}"


def check_statements(
    statements: list[Statement], figures: DataFigures, period: Period | None = None
) -> list[Claim]:
    """Verdicts on statements already extracted, against the data's figures.

    Args:
        statements: From :func:`hotline.claims.extract.extract_statements`.
        figures: The data's figures, filtered to ``period.year`` when there is a period.
        period: The year checked (:func:`claims_period`); every claim carries it. A year the
            data does not cover makes each hotline claim not checkable.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2021-03-01"]), "status": ["closed"]})
        >>> statements = extract_statements("热线受理话务诉求2件。")
        >>> [c.reason for c in check_statements(statements, DataFigures(df))]
        ['数据为 1，不在所述范围（x = 2）内']
    """
    name = figures.definitions.name
    claims = [
        _verdict(s, figures, name, period)
        if s.about_hotline
        else Claim(s, "not_hotline", definitions=name)
        for s in statements
    ]
    return claims if period is None else [replace(c, period=period) for c in claims]


def claims_period(
    text: str,
    data: Data,
    definitions: Definitions | str | None = None,
    year: int | None = None,
) -> Period:
    """The year a text's claims are checked against, why, and how far the data covers it.

    Args:
        text: The report's text (its year is read from it, :func:`report_year`).
        data: Canonical DataFrame or dataset path.
        definitions: Their ``as_of`` bounds the data's coverage.
        year: A year asked for; it overrides the text.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1"], "source_kind": ["hotline"],
        ...     "received_at": pd.to_datetime(["2020-05-01"]), "status": ["closed"]})
        >>> for line in claims_period("2021年,热线受理话务诉求1件。", df).header(): print(line)
        核对年度：2021（文中热线表述所述年度）
        数据不含该年度：数据覆盖 2020-05-01 至 2020-05-01，以下各项无法核对
    """
    return choose_period(data_coverage(data, definitions), report_year(text), year)


def check_claims(
    text: str,
    data: Data,
    definitions: Definitions | str | None = None,
    *,
    year: int | None = None,
) -> list[Claim]:
    """Check every hotline figure a report's text states against the data of one year.

    Args:
        text: The report's text.
        data: Canonical DataFrame (pandas engine) or dataset path (DuckDB engine).
        definitions: Definitions or a preset name for the data's figures; default ``default``.
        year: The year to check against. ``None``: the year the text names
            (:func:`hotline.claims.years.report_year`), else the data's latest full year
            (:func:`claims_period`).

    Returns:
        One :class:`Claim` per figure in the text (per figure and measure after 均: 办复率、
        满意率均达100%), in order, each carrying the period; figures
        not about the hotline have the verdict ``not_hotline`` and are never compared with the
        data. When the data does not cover the year, every hotline claim is ``not_checkable``.

    Example:
        >>> import pandas as pd
        >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
        ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
        >>> [c.verdict for c in check_claims("12345热线办结率约80%,全县有3个驿站。", df)]
        ['inconsistent', 'not_hotline']
        >>> [c.verdict for c in check_claims("12345热线办结率约80%。", df, year=2020)]
        ['not_checkable']
    """
    statements = extract_statements(text)
    if not any(s.about_hotline for s in statements):  # nothing to check: never read the data
        return check_statements(statements, DataFigures(data, definitions))
    period = claims_period(text, data, definitions, year)
    return check_statements(statements, DataFigures(data, definitions, period.year), period)
