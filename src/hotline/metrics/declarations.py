"""Every figure declared once: its per-order flag or its ratio, labels, needs and words.

A metric used to be written in six to nine places (the flags, the catalogue, display labels,
one function per rate, the claims vocabulary, the docs' tables). Each is now one declaration
here, and everything else is built from the declarations:

* :class:`Column`: a helper column the flags read (``closed_time``, ``period_time``).
* :class:`Flag`: a per-order 0/1 flag summed per group (a count), with the flags it reads,
  the information it needs (:data:`hotline.availability.INFORMATION`), the flag that says
  whether an order's export carries that information (its evidence), its zh/en labels and the
  words reports use for it.
* :class:`Total`: a count computed from summed flags (``due_total``).
* :class:`Rate`: ``numerator / denominator`` of two counts, with its variants under
  :class:`~hotline.metrics.definitions.Definitions` (``closure_base``, ``satisfaction_base``),
  formula, needs, evidence rule, labels, documentation and words.

:func:`hotline.metrics.flags.add_flags` orders the flags by their declared reads and adds each
layer of independent flags in one ``with_columns``; :mod:`hotline.metrics.catalogue`,
:mod:`hotline.metrics.display`, :mod:`hotline.metrics.figures`, the claims vocabulary and
``docs/metrics.md``'s tables (:func:`reference_markdown`) read the declarations.

Adding a rate is one declaration, registered for good in :data:`CATALOGUE` below, or for a
while with :func:`register`:

Example:
    >>> import narwhals as nw
    >>> by_phone = Flag("closed_by_phone", flag("closed") & (nw.col("channel") == "phone"),
    ...                 reads=("closed",), zh="电话办结", en="Closed (phone)")
    >>> with register(by_phone, Rate("closed_by_phone_rate", "电话办结率", "Closed-by-phone rate",
    ...                              numerator="closed_by_phone", denominator="accepted",
    ...                              formula="电话渠道办结件数 / 受理件数")):
    ...     active().rates["closed_by_phone_rate"].formula
    '电话渠道办结件数 / 受理件数'
    >>> "closed_by_phone_rate" in active().rates
    False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import narwhals as nw

from hotline import rules, schema
from hotline.availability import INFORMATION, Reason
from hotline.errors import HotlineError
from hotline.metrics.portable import micros_between

if TYPE_CHECKING:
    from hotline.metrics.definitions import Definitions

__all__ = [
    "CATALOGUE",
    "Catalogue",
    "Column",
    "Flag",
    "Rate",
    "Scope",
    "Total",
    "Variant",
    "active",
    "flag",
    "layers",
    "reference_markdown",
    "register",
    "update_reference",
]


@dataclass(frozen=True)
class Scope:
    """What a flag's expression may read besides the order's columns.

    Attributes:
        as_of: The moment the figures describe (closures later have not happened).
        definitions: The definitions in force.
        carries: Per piece of file-level information (``dispatch``, ``evaluation``,
            ``topic``), an expression true for orders whose export carries it.
        gaps_known: Whether the data hold the ingest's ``repeat_gap_hours``.
    """

    as_of: dt.datetime
    definitions: Definitions
    carries: Mapping[str, nw.Expr]
    gaps_known: bool = True


#: A flag's expression: fixed, or built from the :class:`Scope` of one computation. ``None``
#: (for a :class:`Column`) keeps the column as the data hold it.
Build = nw.Expr | Callable[[Scope], nw.Expr | None]


def flag(name: str) -> nw.Expr:
    """A flag read as a condition (flags are 0/1 integers).

    Example:
        >>> import narwhals as nw, pandas as pd
        >>> frame = nw.from_native(pd.DataFrame({"closed": [1, 0]}))
        >>> frame.select(c=flag("closed"))["c"].to_list()
        [True, False]
    """
    return nw.col(name) == 1


@dataclass(frozen=True, eq=False)
class Column:
    """A helper column the flags read, added by :func:`~hotline.metrics.flags.add_flags`.

    Attributes:
        key: Column name.
        build: Its expression (a value, not a flag: not cast to 0/1, not summed).
        reads: Flags and columns of this catalogue it reads (they are added before it).
    """

    key: str
    build: Build
    reads: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Flag:
    """A per-order condition, summed per group into a count of :func:`summary`.

    Attributes:
        key: Column name in the orders and in summaries.
        build: The condition, over the order's columns and the flags in ``reads`` (read them
            with :func:`flag`); missing counts as false.
        reads: Flags (and helper columns) it reads: they are computed first.
        zh: Chinese name (the column header for shown counts; the name in claims' formulas).
        en: English name.
        needs: Information the export must carry for the count to mean anything.
        evidence: Flags of the orders whose export carries that information: a group with
            orders where one of them sums to 0 has the count missing, not 0.
        shown: Whether tables show it next to the rates (:data:`catalogue.COUNTS`).
        claim_zh: Its name as a figure reports state (办结量); default ``zh``.
        words: Words reports use for it (claims vocabulary).
        doc: What it counts, in English (for ``docs/metrics.md``).
    """

    key: str
    build: Build
    reads: tuple[str, ...] = ()
    zh: str = ""
    en: str = ""
    needs: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    shown: bool = False
    claim_zh: str = ""
    words: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Total:
    """A count computed from summed flags, after grouping (a sum of counts).

    Attributes:
        key: Column name in summaries.
        parts: The counts added up.
        zh: Chinese name.
        en: English name.
        evidence: As for :class:`Flag`.
    """

    key: str
    parts: tuple[str, ...]
    zh: str = ""
    en: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variant:
    """Another numerator or denominator of a rate under one choice of the definitions.

    Attributes:
        choice: A field of :class:`~hotline.metrics.definitions.Definitions`.
        value: The value of that field under which the variant applies.
        numerator: The count above the line then (``None``: unchanged).
        denominator: The count below the line then (``None``: unchanged).
    """

    choice: str
    value: str
    numerator: str | None = None
    denominator: str | None = None


#: A numerator or denominator: a count's key, a flag declared with the rate, or an expression.
Term = str | Flag | nw.Expr


@dataclass(frozen=True, eq=False)
class Rate:
    """``numerator / denominator`` of two counts; missing, never 0% or 100%, without data.

    Attributes:
        key: Column name in summaries.
        zh: Chinese name.
        en: English name.
        numerator: What is summed above the line: a count's key (a :class:`Flag` or
            :class:`Total`), a :class:`Flag` declared with the rate, or a narwhals expression over
            the order's columns and flags (an unnamed flag ``<key>_numerator``, added after
            every other flag, so it may read any of them).
        denominator: What is summed below the line, likewise.
        formula: The formula in words (Chinese, as reports write it).
        needs: Information the export must carry; without it the rate is missing, with the
            reason, never 0 or 100%.
        variants: Other numerators or denominators under some definitions.
        evidence: A flag that must equal the accepted count: the rate is stated of every
            accepted order or not at all.
        empty_reason: Why the rate is missing when orders exist but its denominator is empty
            everywhere (say so instead of leaving it blank).
        pending_reason: Why, when that denominator is empty because every order still open
            is within its time limit (``open_in_time``): nothing can be judged yet.
        words: Words reports use for it (claims vocabulary).
        doc: What it means, in English (the docstring of its figure function).
        numerator_doc: The numerator in words (English, for ``docs/metrics.md``).
        denominator_doc: The denominator in words.
        differs: Where cities differ, with references (English).
    """

    key: str
    zh: str
    en: str
    numerator: Term
    denominator: Term
    formula: str
    needs: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    evidence: str | None = None
    empty_reason: Reason | None = None
    pending_reason: Reason | None = None
    words: tuple[str, ...] = ()
    doc: str = ""
    numerator_doc: str = ""
    denominator_doc: str = ""
    differs: str = ""

    @property
    def numerator_key(self) -> str:
        """The count above the line (by default)."""
        return _term_key(self.numerator, f"{self.key}_numerator")

    @property
    def denominator_key(self) -> str:
        """The count below the line (by default)."""
        return _term_key(self.denominator, f"{self.key}_denominator")

    def numerator_under(self, definitions: Definitions) -> str:
        """The count above the line under ``definitions``."""
        for variant in self.variants:
            if variant.numerator and getattr(definitions, variant.choice) == variant.value:
                return variant.numerator
        return self.numerator_key

    def denominator_under(self, definitions: Definitions) -> str:
        """The count below the line under ``definitions``."""
        for variant in self.variants:
            if variant.denominator and getattr(definitions, variant.choice) == variant.value:
                return variant.denominator
        return self.denominator_key

    def inline_flags(self) -> tuple[Flag, ...]:
        """The flags declared with the rate (a :class:`Flag` or an expression as a term)."""
        found = []
        for side, term in (("numerator", self.numerator), ("denominator", self.denominator)):
            if isinstance(term, Flag):
                found.append(term)
            elif not isinstance(term, str):
                part = "分子" if side == "numerator" else "分母"
                found.append(
                    Flag(
                        f"{self.key}_{side}",
                        term,
                        reads=(EVERYTHING,),
                        zh=f"{self.zh}{part}",
                        en=f"{self.en} ({side})",
                        needs=self.needs,
                    )
                )
        return tuple(found)


#: In a flag's ``reads``: every other column and flag (the flag is added after them all).
EVERYTHING = "*"


def _term_key(term: Term, unnamed: str) -> str:
    if isinstance(term, str):
        return term
    return term.key if isinstance(term, Flag) else unnamed


Declaration = Column | Flag | Total | Rate


@dataclass(frozen=True, eq=False)
class Catalogue:
    """A set of declarations, checked: unique keys, reads and counts that exist, no cycles.

    Raises:
        HotlineError: A declaration names a count, flag or information that does not exist,
            or flags read each other in a cycle.
    """

    declarations: tuple[Declaration, ...]
    columns: Mapping[str, Column] = field(init=False)
    flags: Mapping[str, Flag] = field(init=False)
    totals: Mapping[str, Total] = field(init=False)
    rates: Mapping[str, Rate] = field(init=False)

    def __post_init__(self) -> None:
        expanded: list[Declaration] = []
        for d in self.declarations:  # flags declared with a rate come just before it
            if isinstance(d, Rate):
                expanded += d.inline_flags()
            expanded.append(d)
        object.__setattr__(self, "declarations", tuple(expanded))
        keys = [d.key for d in self.declarations]
        doubled = sorted({k for k in keys if keys.count(k) > 1})
        if doubled:
            raise HotlineError(f"metric declarations: {', '.join(doubled)} declared twice")
        for name, kind in (
            ("columns", Column),
            ("flags", Flag),
            ("totals", Total),
            ("rates", Rate),
        ):
            table = {d.key: d for d in self.declarations if isinstance(d, kind)}
            object.__setattr__(self, name, MappingProxyType(table))
        self._check()

    def _check(self) -> None:
        per_order = {*self.columns, *self.flags}
        counts = {*self.flags, *self.totals}
        problems = []
        for d in self.declarations:
            if isinstance(d, Column | Flag):
                problems += [
                    f"{d.key} reads unknown {r!r}"
                    for r in d.reads
                    if r not in per_order and r != EVERYTHING
                ]
            if isinstance(d, Flag | Total):
                problems += [
                    f"{d.key}: unknown evidence {e!r}" for e in d.evidence if e not in counts
                ]
            if isinstance(d, Total):
                problems += [f"{d.key} adds unknown {p!r}" for p in d.parts if p not in self.flags]
            if isinstance(d, Flag | Rate):
                problems += [
                    f"{d.key} needs unknown {n!r}" for n in d.needs if n not in INFORMATION
                ]
            if isinstance(d, Rate):
                named = [d.numerator_key, d.denominator_key, d.evidence or "accepted"]
                for v in d.variants:
                    named += [n for n in (v.numerator, v.denominator) if n]
                problems += [f"{d.key}: unknown count {n!r}" for n in named if n not in counts]
        if problems:
            raise HotlineError(f"metric declarations: {'; '.join(problems)}")
        layers(self)  # raises on a cycle

    def extended(self, *more: Declaration) -> Catalogue:
        """This catalogue with more declarations after its own."""
        return Catalogue((*self.declarations, *more))

    @property
    def count_flags(self) -> tuple[str, ...]:
        """The flags summed by :func:`~hotline.metrics.summary`, in output order."""
        return tuple(self.flags)

    def counts(self) -> Mapping[str, Flag | Total]:
        """Every count: the flags, then the totals."""
        return {**self.flags, **self.totals}

    def rate(self, key: str) -> Rate:
        """The rate ``key``.

        Raises:
            HotlineError: No such rate; the message lists the declared ones.
        """
        try:
            return self.rates[key]
        except KeyError:
            raise HotlineError(
                f"unknown rate {key!r}; expected one of {', '.join(self.rates)}"
            ) from None

    def rate_of(self, count: str) -> str | None:
        """The rate whose (default) numerator is ``count``: a percentage after it means that."""
        return next((r.key for r in self.rates.values() if r.numerator_key == count), None)

    def title(self, key: str, lang: str = "zh") -> str | None:
        """The label of a rate or a shown count, ``None`` for anything else."""
        spec = self.rates.get(key) or self.flags.get(key)
        if spec is None or (isinstance(spec, Flag) and not spec.shown):
            return None
        return spec.zh if lang == "zh" else spec.en


def layers(catalogue: Catalogue) -> list[list[Column | Flag]]:
    """The columns and flags in layers: each reads only layers before it (one ``with_columns``).

    Example:
        >>> [sorted(d.key for d in layer)[:3] for layer in layers(CATALOGUE)][:2]
        [['accepted', 'closed_time'], ['closed', 'closure_known', 'dispatch_known']]
    """
    pending: dict[str, Column | Flag] = {**catalogue.columns, **catalogue.flags}
    done: set[str] = set()
    result: list[list[Column | Flag]] = []
    while pending:
        ordinary = [d for d in pending.values() if EVERYTHING not in d.reads]
        ready = (
            [d for d in ordinary if set(d.reads) <= done] if ordinary else list(pending.values())
        )
        if not ready:
            raise HotlineError(f"metric declarations read each other in a cycle: {sorted(pending)}")
        result.append(ready)
        done.update(d.key for d in ready)
        for d in ready:
            del pending[d.key]
    return result


# --- the declarations ------------------------------------------------------------------------

_US_PER_HOUR = 3_600_000_000

_status = nw.col("status")
_online = (nw.col("source_kind") == "online").fill_null(False)
_answered_directly = (_status == "answered_directly").fill_null(False)
_no_dispatch = nw.col("dispatched_at").is_null() & nw.col("department").is_null()
_satisfaction = nw.col("satisfaction")
#: Codes of an answer on the satisfaction scale (an evaluation), from the schema.
_EVALUATED = tuple(c for c in schema.SATISFACTION.codes if c != "not_evaluated")
_with_caller = flag("accepted") & ~nw.col("caller_key").is_null()


#: When an order closed: an online message by its reply; without a close time, when the export
#: saw it closed.
_CLOSED_TIME = (
    nw.when(_online)
    .then(nw.coalesce(nw.col("closed_at"), nw.col("replied_at"), nw.col("snapshot_at")))
    .otherwise(nw.coalesce(nw.col("closed_at"), nw.col("snapshot_at")))
)


def _closed(scope: Scope) -> nw.Expr:
    closed_status = _status.is_in(list(rules.CLOSED_STATUSES)).fill_null(False) | (
        _online & (_status == "replied").fill_null(False)
    )
    closed_time = nw.col("closed_time")
    # an unknown close time cannot be after as_of; say so explicitly: pandas and DuckDB
    # disagree on comparisons with a missing value
    in_time = closed_time.is_null() | (closed_time <= scope.as_of)
    return flag("accepted") & closed_status & in_time


def _direct(scope: Scope) -> nw.Expr:
    on_the_call = flag("closed") & _no_dispatch & ~_online & scope.carries["dispatch"]
    return flag("accepted") & (_answered_directly | on_the_call)


def _satisfaction_in(choice: str) -> Callable[[Scope], nw.Expr]:
    def build(scope: Scope) -> nw.Expr:
        return flag("evaluated") & _satisfaction.is_in(sorted(getattr(scope.definitions, choice)))

    return build


def _responded(scope: Scope) -> nw.Expr:
    window = dt.timedelta(hours=scope.definitions.response_window_hours)
    in_time = (nw.col("signed_at") - nw.col("dispatched_at")) <= window
    return flag("dispatched") & (nw.col("is_contacted").fill_null(False) | in_time.fill_null(False))


def _identified() -> nw.Expr:
    return _with_caller & ~nw.col("topic").is_null()


def _repeat_gap(scope: Scope) -> nw.Expr | None:
    """The ingest's gap to the caller's previous request on the topic; computed when absent.

    A frame built by hand has no gaps: they are computed here (a window per caller and topic).
    """
    if scope.gaps_known:
        return None
    previous = (
        nw.col("received_at")
        .shift(1)
        .over("caller_key", "topic", "accepted", order_by=["received_at", "order_id"])
    )
    gap = micros_between(previous, nw.col("received_at")) / _US_PER_HOUR
    return nw.when(_identified()).then(gap)


def _repeats(scope: Scope) -> nw.Expr:
    window = scope.definitions.repeat_window_days * 24
    return _identified() & (nw.col("repeat_gap_hours") <= window)


def _period_time(scope: Scope) -> nw.Expr:
    """The time an order is attributed to: received, or closed for flows."""
    return nw.col("received_at" if scope.definitions.period == "received" else "closed_time")


_CLOSURE = ("closure",)
_KNOWN_CLOSURE = ("closure_known",)
_DEADLINE = ("closure_known", "due_total")  # 0 overdue of orders without deadlines says nothing
_DISPATCHED = ("dispatched",)

_DECLARATIONS: tuple[Declaration, ...] = (
    Column("closed_time", _CLOSED_TIME),
    Column("repeat_gap_hours", _repeat_gap, reads=("accepted",)),
    Column("period_time", _period_time, reads=("closed_time",)),
    # -- flags, in the order summaries show them
    Flag(
        "accepted",
        ~_status.is_in(list(rules.VOID_STATUSES)).fill_null(False),
        zh="受理量",
        en="Accepted",
        shown=True,
        words=("受理", "受理量", "接收", "接到", "收到", "接办", "登记", "诉求量", "工单量"),
        doc="orders whose status is not invalid, void, duplicate or cancelled (calls, accepted, "
        "dispatched and valid requests are four different counts, §2.1; reports count accepted "
        "work orders)",
    ),
    Flag(
        "closed",
        _closed,
        reads=("accepted", "closed_time"),
        zh="办结量",
        en="Closed",
        needs=_CLOSURE,
        evidence=_KNOWN_CLOSURE,
        shown=True,
        words=("办结", "办结量", "已办结", "结案", "办理完毕", "办完"),
        doc="accepted and closed by `as_of`",
    ),
    Flag(
        "dispatched",
        flag("dispatch_known") & ~flag("direct"),
        reads=("dispatch_known", "direct"),
        zh="派单量",
        en="Dispatched",
        needs=("dispatch",),
        evidence=("dispatch_known",),
        shown=True,
        words=("派单", "转办", "交办", "派发", "分派", "派遣"),
        doc="accepted and not answered directly (online messages whose export names a unit)",
    ),
    Flag(
        "closed_dispatched",
        flag("dispatched") & flag("closed"),
        reads=("dispatched", "closed"),
        zh="派单件中办结量",
        en="Closed (dispatched)",
        needs=_CLOSURE,
        evidence=_KNOWN_CLOSURE,
    ),
    Flag(
        "direct",
        _direct,
        reads=("accepted", "closed"),
        zh="直接答复",
        en="Answered directly",
        needs=("dispatch",),
        evidence=("dispatch_known",),
        shown=True,
        claim_zh="直接答复量",
        words=("直接答复", "直接办结", "当场答复", "即时答复", "直办"),
        doc="status 直接答复, or closed without dispatch time and unit in an export that has them",
    ),
    Flag(
        "closure_known",
        flag("accepted") & ~_status.is_null(),
        reads=("accepted",),
        # orders of unknown state are left out (availability): for claims it is the volume
        zh="受理量",
        en="Accepted (state known)",
    ),
    Flag(
        "dispatch_known",
        lambda s: flag("accepted") & (s.carries["dispatch"] | ~_no_dispatch | _answered_directly),
        reads=("accepted",),
        zh="受理量（导出中有派单信息的）",
        en="Accepted (dispatch known)",
    ),
    Flag(
        "evaluation_known",
        lambda s: flag("accepted") & s.carries["evaluation"],
        reads=("accepted",),
        zh="受理量（导出中有满意度评价的）",
        en="Accepted (evaluation known)",
    ),
    Flag(
        "on_time",
        flag("closed") & (nw.col("closed_time") <= nw.col("due")),
        reads=("closed", "closed_time"),
        zh="按时办结",
        en="Closed on time",
        needs=_CLOSURE,
        evidence=_DEADLINE,
        shown=True,
        claim_zh="按时办结量",
        words=("按时办结", "按期办结"),
        doc="closed by the deadline",
    ),
    Flag(
        "closed_late",
        flag("closed") & (nw.col("closed_time") > nw.col("due")),
        reads=("closed", "closed_time"),
        zh="超时办结",
        en="Closed late",
        needs=_CLOSURE,
        evidence=_DEADLINE,
        shown=True,
        claim_zh="超时办结量",
        words=("超时办结", "逾期办结"),
        doc="closed after the deadline",
    ),
    Flag(
        "open_overdue",
        lambda s: (
            flag("closure_known") & ~flag("closed") & (nw.col("due") < s.as_of).fill_null(False)
        ),
        reads=("closure_known", "closed"),
        zh="超期未办结",
        en="Open past due",
        needs=_CLOSURE,
        evidence=_DEADLINE,
        shown=True,
        claim_zh="超期未办结量",
        words=("超期未办结", "逾期未办结"),
        doc="open past the deadline at `as_of` (reported apart from 超时办结 in 宁国, §2.1)",
    ),
    Flag(
        "open_in_time",
        lambda s: (
            flag("closure_known") & ~flag("closed") & (nw.col("due") >= s.as_of).fill_null(False)
        ),
        reads=("closure_known", "closed"),
        zh="期限内未办结",
        en="Open within time limit",
        needs=_CLOSURE,
        evidence=_KNOWN_CLOSURE,  # 0 when no order has a deadline: nothing is said in time
        doc="open at `as_of` and not yet past its deadline: still being handled in time",
    ),
    Flag(
        # an evaluation follows closure (回访); one on an order still open at as_of is not made
        "evaluated",
        flag("closed") & _satisfaction.is_in(list(_EVALUATED)).fill_null(False),
        reads=("closed",),
        zh="有效评价",
        en="Evaluated",
        needs=("evaluation",),
        evidence=("evaluation_known",),
        shown=True,
        claim_zh="有效评价量",
        words=("有效评价", "参评"),
        doc="closed, with an answer on the satisfaction scale",
    ),
    Flag(
        "satisfied",
        _satisfaction_in("satisfied"),
        reads=("evaluated",),
        zh="满意",
        en="Satisfied",
        needs=("evaluation",),
        evidence=("evaluation_known",),
        shown=True,
        claim_zh="满意量",
        words=("满意",),
        doc="evaluated, in the set `satisfied`",
    ),
    Flag(
        "dissatisfied",
        _satisfaction_in("dissatisfied"),
        reads=("evaluated",),
        zh="不满意",
        en="Dissatisfied",
        needs=("evaluation",),
        evidence=("evaluation_known",),
        shown=True,
        claim_zh="不满意量",
        words=("不满意",),
        doc="evaluated, in the set `dissatisfied`",
    ),
    Flag(
        "closed_with_answer",
        flag("closed"),
        reads=("closed",),
        zh="办结量（有答复）",
        en="Closed with an answer",
        needs=_CLOSURE,
        evidence=_KNOWN_CLOSURE,
    ),
    Flag(
        "revisit_known",
        flag("closed")
        & (
            ~_satisfaction.is_null()
            | ~nw.col("revisited_at").is_null()
            | (_status == "revisited").fill_null(False)
        ),
        reads=("closed",),
        zh="有回访记录的办结量",
        en="Closed (revisit known)",
    ),
    Flag(
        "revisited",
        flag("closed")
        & (
            ~nw.col("revisited_at").is_null()
            | (_status == "revisited").fill_null(False)
            | flag("evaluated")
        ),
        reads=("closed", "evaluated"),
        zh="已回访",
        en="Revisited",
        needs=("revisit",),
        evidence=("revisit_known",),
        shown=True,
        claim_zh="回访量",
        words=("回访", "已回访"),
        doc="closed, with a revisit time, the 已回访 status or an evaluation",
    ),
    Flag(
        "response_known",
        flag("dispatched") & (~nw.col("is_contacted").is_null() | ~nw.col("signed_at").is_null()),
        reads=_DISPATCHED,
        zh="派单量（有签收或联系记录）",
        en="Dispatched (response known)",
    ),
    Flag(
        "responded",
        _responded,
        reads=_DISPATCHED,
        zh="时限内签收或联系量",
        en="Responded in time",
        needs=("response",),
        evidence=("response_known",),
    ),
    Flag(
        "resolution_known",
        flag("accepted") & ~nw.col("is_resolved").is_null(),
        reads=("accepted",),
        zh="回答是否解决量",
        en="Asked whether resolved",
    ),
    Flag(
        "resolved",
        flag("accepted") & nw.col("is_resolved").fill_null(False),
        reads=("accepted",),
        zh="群众认为已解决量",
        en="Resolved (caller's view)",
        needs=("resolution",),
        evidence=("resolution_known",),
    ),
    Flag(
        "return_known",
        flag("dispatched") & ~nw.col("return_count").is_null(),
        reads=_DISPATCHED,
        zh="派单量（有退单记录）",
        en="Dispatched (returns known)",
    ),
    Flag(
        "returned",
        flag("dispatched") & (nw.col("return_count") >= 1).fill_null(False),
        reads=_DISPATCHED,
        zh="退单工单量",
        en="Returned",
        needs=("return",),
        evidence=("return_known",),
    ),
    Flag(
        "extension_known",
        flag("dispatched") & ~nw.col("is_extended").is_null(),
        reads=_DISPATCHED,
        zh="派单量（有延期记录）",
        en="Dispatched (extensions known)",
    ),
    Flag(
        "extended",
        flag("dispatched") & nw.col("is_extended").fill_null(False),
        reads=_DISPATCHED,
        zh="延期工单量",
        en="Extended",
        needs=("extension",),
        evidence=("extension_known",),
    ),
    Flag(
        "with_caller",
        _with_caller,
        reads=("accepted",),
        zh="有来电人标识的受理量",
        en="Accepted (with caller)",
    ),
    Flag(
        # an export without topics cannot show a repeat on the same topic: not "no repeats"
        "repeat_known",
        lambda s: _with_caller & s.carries["topic"],
        reads=("accepted",),
        zh="有来电人标识和诉求分类的受理量",
        en="Accepted (caller and topic known)",
    ),
    Flag(
        "repeats",
        _repeats,
        reads=("accepted", "repeat_gap_hours"),
        zh="重复诉求",
        en="Repeat requests",
        needs=("caller", "topic"),
        evidence=("repeat_known",),
        shown=True,
        claim_zh="重复诉求量",
        words=("重复诉求", "重复来电"),
        doc="accepted, the same caller asked about the same topic within `repeat_window_days`",
    ),
    Total(
        "due_total",
        ("on_time", "closed_late", "open_overdue"),
        zh="应办结量（按时办结 + 超时办结 + 超期未办结）",
        en="Due (on time + late + open past due)",
        evidence=_DEADLINE,
    ),
    # -- rates
    Rate(
        "closure_rate",
        "办结率",
        "Closure rate",
        numerator="closed",
        denominator="closure_known",
        formula="办结件数 / 受理件数",
        needs=_CLOSURE,
        variants=(Variant("closure_base", "dispatched", "closed_dispatched", "dispatched"),),
        evidence="closure_known",
        words=("办结率", "结案率"),
        doc="办结率 = closed / accepted (or closed dispatched / dispatched, ``closure_base``).",
        numerator_doc="closed (by `as_of`)",
        denominator_doc="accepted; or dispatched (`closure_base`)",
        differs="denominator: all accepted, dispatched only, or due in the period; often "
        "reported cumulatively (§2.1)",
    ),
    Rate(
        "direct_answer_rate",
        "直接答复率",
        "Direct-answer rate",
        numerator="direct",
        denominator="dispatch_known",
        formula="直接答复件数 / 受理件数",
        needs=("dispatch",),
        evidence="dispatch_known",
        words=("直接答复率", "直办率", "直接办结率"),
        doc="直接答复率 = answered by the call-taker without dispatch / accepted.\n\n"
        "Missing (with its reason) when the export says nothing about dispatch (no dispatch "
        "time, no handling unit, no 直接答复 status): then a direct answer cannot be told from "
        "a missing column.",
        numerator_doc="answered on the call: status 直接答复, or closed without dispatch time "
        "and unit",
        denominator_doc="accepted",
        differs="一次办结率 and 首呼解决率 are sometimes used for other things (§2.1); missing "
        "when the export says nothing about dispatch",
    ),
    Rate(
        "on_time_rate",
        "按时办结率",
        "On-time closure rate",
        numerator="on_time",
        denominator="due_total",
        formula="按时办结件数 / (按时办结 + 超时办结 + 超期未办结)",
        needs=_CLOSURE,
        evidence="closure_known",
        empty_reason=Reason(
            "没有可判断时限的工单（导出中没有办理时限，口径也未规定时限）",
            "no request has a time limit to judge it by (the export gives none)",
        ),
        pending_reason=Reason(
            "截至统计时点，未办结的工单均在办理期限内，尚无可判断是否按时办结的工单",
            "every open request was still within its time limit at the time of the figures: "
            "none can be judged on time or late yet",
        ),
        words=("按时办结率", "按期办结率", "按时结案率", "及时办结率", "按时办理率"),
        doc="按时办结率 = closed by the deadline / (closed by it + closed late + open past it).",
        numerator_doc="closed by the deadline",
        denominator_doc="closed on time or late, or open past the deadline at `as_of`",
        differs="due-in-period vs all dispatched; 派单 vs 签收 clock; working days vs hours; "
        "extensions (§2.1)",
    ),
    Rate(
        "satisfaction_rate",
        "满意率",
        "Satisfaction rate",
        numerator="satisfied",
        denominator="evaluated",
        formula="满意件数 / 有效评价件数",
        needs=("evaluation",),
        variants=(Variant("satisfaction_base", "closed", denominator="revisit_known"),),
        words=("满意率", "满意度", "群众满意率", "回访满意率", "群众满意度"),
        doc="满意率 = satisfied / evaluated (the satisfied set and the base are definitions).",
        numerator_doc="satisfied (set of `satisfied`)",
        denominator_doc="evaluated (closed, with an answer on the scale); or closed with revisit "
        "data (`satisfaction_base`)",
        differs="3- vs 5-level, 基本满意 in or out, evaluated vs closed vs sampled (§2.1, §9)",
    ),
    Rate(
        "dissatisfaction_rate",
        "不满意率",
        "Dissatisfaction rate",
        numerator="dissatisfied",
        denominator="evaluated",
        formula="不满意件数 / 有效评价件数",
        needs=("evaluation",),
        variants=(Variant("satisfaction_base", "closed", denominator="revisit_known"),),
        words=("不满意率",),
        doc="不满意率 = dissatisfied / evaluated.",
        numerator_doc="dissatisfied (set of `dissatisfied`)",
        denominator_doc="as 满意率",
        differs="宁国 divides by a channel subset of on-time closures (§2.1)",
    ),
    Rate(
        "revisit_rate",
        "回访率",
        "Revisit rate",
        numerator="revisited",
        denominator="revisit_known",
        formula="已回访件数 / 办结件数",
        needs=("revisit",),
        words=("回访率", "回访核实率", "有效回访率"),
        doc="回访率 = revisited (a revisit time, 已回访, or an evaluation) / closed with revisit "
        "data.",
        numerator_doc="closed and revisited: a revisit time, 已回访, or an evaluation",
        denominator_doc="closed with revisit data (a satisfaction column, a revisit time or "
        "status)",
        differs='all closed vs sample; "有效" means reached and evaluated (§2.1)',
    ),
    Rate(
        "response_rate",
        "响应率",
        "Response rate",
        numerator="responded",
        denominator="response_known",
        formula="时限内签收或联系件数 / 派单件数",
        needs=("response",),
        words=("响应率",),
        doc="响应率 (Beijing) = dispatched orders signed for or contacted within the window.",
        numerator_doc="dispatched, contacted (是否联系) or signed for within "
        "`response_window_hours`",
        denominator_doc="dispatched with contact or sign-for data",
        differs="window not published (§3); one of Beijing's 三率 (`beijing_rates()`)",
    ),
    Rate(
        "resolution_rate",
        "解决率",
        "Resolution rate",
        numerator="resolved",
        denominator="resolution_known",
        formula="群众认为已解决件数 / 回答是否解决件数",
        needs=("resolution",),
        words=("解决率", "问题解决率"),
        doc="解决率 (Beijing) = the caller says solved / callers asked.",
        numerator_doc="the caller said solved (是否解决)",
        denominator_doc="accepted with an answer to 是否解决",
        differs="caller-judged, not unit-judged; exclusions local (§3); one of Beijing's 三率",
    ),
    Rate(
        "return_rate",
        "退单率",
        "Return rate",
        numerator="returned",
        denominator="return_known",
        formula="退单工单数 / 派单件数",
        needs=("return",),
        words=("退单率", "回退率", "退回率"),
        doc="退单率 = dispatched orders returned at least once / dispatched orders with return "
        "data.",
        numerator_doc="dispatched, returned at least once (退单次数 ≥ 1)",
        denominator_doc="dispatched with return data",
        differs="events vs orders; platform-rejected returns (§2.1)",
    ),
    Rate(
        "extension_rate",
        "延期率",
        "Extension rate",
        numerator="extended",
        denominator="extension_known",
        formula="延期工单数 / 派单件数",
        needs=("extension",),
        words=("延期率",),
        doc="延期率 = dispatched orders extended / dispatched orders with extension data.",
        numerator_doc="dispatched and extended",
        denominator_doc="dispatched with extension data",
        differs="requested vs approved (§2.1)",
    ),
    Rate(
        "repeat_rate",
        "重复诉求率",
        "Repeat-request rate",
        numerator="repeats",
        denominator="repeat_known",
        formula="同一来电人同类诉求 N 天内再次来电件数 / 有来电人标识的受理件数",
        needs=("caller", "topic"),
        words=("重复诉求率", "重复来电率"),
        doc="重复诉求率 = repeats (same caller, same topic, within N days) / accepted with a "
        "caller.",
        numerator_doc="accepted, and the same caller (`caller_key`) asked about the same topic "
        "within `repeat_window_days` before",
        denominator_doc="accepted with a caller key (and topics in the export)",
        differs="no national definition; same number + category (+ address) within N days "
        "(§2.1, §8.3)",
    ),
)

#: The declarations of hotline's figures.
CATALOGUE = Catalogue(_DECLARATIONS)

_ACTIVE: ContextVar[Catalogue] = ContextVar("metric_catalogue", default=CATALOGUE)


def active() -> Catalogue:
    """The catalogue figures are computed from (:data:`CATALOGUE`, unless :func:`register`)."""
    return _ACTIVE.get()


@contextmanager
def register(*declarations: Declaration) -> Iterator[Catalogue]:
    """Add declarations for the duration of a ``with`` block (a new rate in a test).

    Raises:
        HotlineError: The declarations clash with the catalogue or name unknown counts.
    """
    token = _ACTIVE.set(active().extended(*declarations))
    try:
        yield _ACTIVE.get()
    finally:
        _ACTIVE.reset(token)


# --- docs/metrics.md's tables ----------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rates_table(catalogue: Catalogue | None = None) -> str:
    """The Markdown table of the rates: key, names, formula, numerator, denominator."""
    catalogue = catalogue or active()
    lines = [
        "| key | 中文 | English | formula | numerator | denominator | where cities differ (ref) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in catalogue.rates.values():
        cells = (
            f"`{r.key}`",
            r.zh,
            r.en,
            r.formula,
            r.numerator_doc or f"`{r.numerator_key}`",
            r.denominator_doc or f"`{r.denominator_key}`",
            r.differs or "—",
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def counts_table(catalogue: Catalogue | None = None) -> str:
    """The Markdown table of the counts tables show: key, names, what is counted, needs."""
    catalogue = catalogue or active()
    lines = [
        "| key | 中文 | English | counts | needs |",
        "|---|---|---|---|---|",
    ]
    for f in catalogue.flags.values():
        if f.shown:
            needs = ", ".join(INFORMATION[n].zh for n in f.needs) or "—"
            cells = (f"`{f.key}`", f.zh, f.en, f.doc or "—", needs)
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def information_table(catalogue: Catalogue | None = None) -> str:
    """The Markdown table of the information figures need and the columns that carry it."""
    catalogue = catalogue or active()
    lines = [
        "| information | carried by (canonical columns) | figures that need it |",
        "|---|---|---|",
    ]
    needing: list[tuple[str, tuple[str, ...]]] = [
        (f.zh, f.needs) for f in catalogue.flags.values() if f.shown
    ] + [(r.zh, r.needs) for r in catalogue.rates.values()]
    for key, info in INFORMATION.items():
        figures = [name for name, needs in needing if key in needs]
        if not figures:
            continue
        fields = ", ".join(f"`{f}`" for f in info.fields)
        lines.append(f"| {info.zh} (`{key}`) | {fields} | {'、'.join(figures)} |")
    return "\n".join(lines)


#: The generated tables of ``docs/metrics.md``, each between markers naming it.
TABLES: Mapping[str, Callable[[Catalogue | None], str]] = MappingProxyType(
    {"rates": rates_table, "counts": counts_table, "information": information_table}
)


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- generated: {name} (hotline.metrics.declarations.reference_markdown) -->",
        f"<!-- end generated: {name} -->",
    )


def reference_markdown(text: str, catalogue: Catalogue | None = None) -> str:
    r"""``text`` (``docs/metrics.md``) with each generated table rewritten from the declarations.

    The prose around the tables is kept; a table lives between ``<!-- generated: NAME … -->``
    and ``<!-- end generated: NAME -->``.

    Example:
        >>> start, end = _markers("rates")
        >>> page = reference_markdown(f"Intro.\n{start}\nold\n{end}\nMore.")
        >>> page.splitlines()[2]
        '| key | 中文 | English | formula | numerator | denominator | where cities differ (ref) |'
        >>> "`closure_rate` | 办结率" in page and page.endswith("More.")
        True
    """
    for name, build in TABLES.items():
        start, end = _markers(name)
        before, found, rest = text.partition(start)
        if not found:
            continue
        _, closed, after = rest.partition(end)
        if not closed:
            raise HotlineError(f"docs: generated table {name!r} has no end marker {end!r}")
        text = f"{before}{start}\n{build(catalogue)}\n{end}{after}"
    return text


def update_reference(path: str | Path = "docs/metrics.md") -> bool:
    """Rewrite the generated tables of ``docs/metrics.md`` in place.

    Returns:
        Whether the file changed.
    """
    page = Path(path)
    text = page.read_text(encoding="utf-8")
    updated = reference_markdown(text)
    if updated != text:
        page.write_text(updated, encoding="utf-8")
    return updated != text
