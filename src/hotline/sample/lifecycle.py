"""Synthetic 12345 work orders, their timelines, and the monthly snapshots that export them.

Each order is received, then (unless a consultation is answered on the phone) dispatched to a
department, signed for, worked on, sometimes extended, closed, and often revisited and rated. Its
*state at a time* follows from those timestamps, so a monthly export simply asks every order for
its state when the export is taken.

Export scope (what the platform's "export this month" gives the analyst): the orders received in
the month, plus older orders that were still open at the previous export and changed state since
(跨月更新). An order closing late thus appears in two or more exports; the last one shows its state
at the final export, which is what the counting rules see after the ingest merges snapshots.

The generator then fixes three things so the sample matches the published figures exactly:
every month hands at least one open order over to the next export (overlapping snapshots even in
tiny samples), a few complex cases from earlier months run past the year's end, and the number of
accepted orders still open at the final export is exactly ``accepted - closed``.

Example:
    >>> import numpy as np
    >>> plan = plan_hotline(np.random.default_rng(7), accepted=60, closed=59, extras=3)
    >>> plan.count_final()
    {'accepted': 60, 'closed': 59, 'not_accepted': 3}
    >>> len(plan.snapshots), sum(len(s.rows) for s in plan.snapshots) > 63
    (12, True)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from hotline.sample.catalogue import SUBJECTS, TOWNS, Subject, Template
from hotline.sample.content import ContentWriter
from hotline.sample.people import Caller, CallerBook
from hotline.sample.timing import add_working_hours, allocate, draw_times, export_times

__all__ = [
    "CLOSED_STATES",
    "OPEN_STATES",
    "HotlinePlan",
    "Snapshot",
    "WorkOrder",
    "month_weights",
    "plan_hotline",
]

OPEN_STATES = ("received", "dispatched", "signed", "in_progress", "extended")
CLOSED_STATES = ("closed", "revisited")

#: Working days a department has, per request type (typical county rules: 3/5/10/15).
TIME_LIMIT_WORKDAYS = {
    "consultation": 3,
    "help": 5,
    "complaint": 10,
    "report": 15,
    "suggestion": 15,
    "praise": 3,
    "other": 5,
}
# How often a request of each type is settled by the operator during the call.
_DIRECT_SHARE = {"consultation": 0.6, "other": 0.5, "praise": 0.4}
# Relative weight of each request type: picks a subject's template (by its first type) and the
# type of a template that allows several. Tuned so the year's mix looks like county 12345 data:
# 投诉 and 咨询 about a third each, 求助 a quarter, 举报 and 建议 a few percent, 表扬 rare.
_TYPE_PRIOR = {
    "consultation": 1.0,
    "help": 1.2,
    "complaint": 1.0,
    "report": 0.45,
    "suggestion": 0.8,
    "praise": 0.8,
    "other": 1.0,
}
_OVERDUE_SHARE = 0.05
_EVALUATED_SHARE = 0.87
_LONG_RUNNING_SHARE = 0.1  # of the orders open at the end: complex cases from earlier months
_LATE_VOID_SHARE = 0.4  # of voided orders: dispatched first, withdrawn after the next export


@dataclass(slots=True)
class WorkOrder:
    """One work order and its timeline (``None``: the event has not happened).

    Attributes:
        received: When the call was taken (受理时间).
        subject: What it is about.
        request_type: Request type code (``complaint`` …).
        title: 工单标题.
        content: 诉求内容 as the operator typed it.
        town: 乡镇/街道.
        caller: Who called.
        channel: ``phone`` or ``transfer`` (forwarded by the city platform).
        department: Who handles it (None for direct answers and invalid calls).
        order_id: Platform id, assigned once all orders are known.
        dispatched: 派单时间.
        signed: When the department signed for it.
        working: When the department started working on it.
        due: 办理时限 (a date).
        extended: When an extension was granted.
        closed: 办结时间.
        evaluated: When the caller was revisited and rated.
        satisfaction: Latent rating in [0, 1) (low is good), when evaluated.
        revisit_shown: Whether the platform shows 已回访 rather than 已办结 once rated.
        outcome: ``accepted``, or ``invalid``/``void``/``duplicate``.
        outcome_at: When an order was marked invalid, void or duplicate.
    """

    received: dt.datetime
    subject: Subject
    request_type: str
    title: str
    content: str
    town: str
    caller: Caller
    channel: str = "phone"
    department: str | None = None
    order_id: str = ""
    dispatched: dt.datetime | None = None
    signed: dt.datetime | None = None
    working: dt.datetime | None = None
    due: dt.date | None = None
    extended: dt.datetime | None = None
    closed: dt.datetime | None = None
    evaluated: dt.datetime | None = None
    satisfaction: float | None = None
    revisit_shown: bool = False
    outcome: str = "accepted"
    outcome_at: dt.datetime | None = None

    @property
    def accepted(self) -> bool:
        """Whether the order counts as accepted (not invalid, void or a duplicate)."""
        return self.outcome == "accepted"

    @property
    def direct(self) -> bool:
        """An accepted order settled on the phone, never dispatched."""
        return self.accepted and self.dispatched is None

    @property
    def overdue(self) -> bool:
        """Closed after its due date."""
        return self.closed is not None and self.due is not None and self.closed.date() > self.due

    def state_at(self, when: dt.datetime) -> str | None:
        """The order's state at ``when`` (``None`` before it was received)."""
        if when < self.received:
            return None
        if self.outcome_at is not None and self.outcome_at <= when:
            return self.outcome
        if self.closed is not None and self.closed <= when:
            rated = self.evaluated is not None and self.evaluated <= when
            return "revisited" if rated and self.revisit_shown else "closed"
        for state, at in (
            ("extended", self.extended),
            ("in_progress", self.working),
            ("signed", self.signed),
            ("dispatched", self.dispatched),
        ):
            if at is not None and at <= when:
                return state
        return "received"

    def rated_at(self, when: dt.datetime) -> bool:
        """Whether the caller's rating is known at ``when``."""
        return self.evaluated is not None and self.evaluated <= when


@dataclass
class Snapshot:
    """One monthly export: the orders it holds and their state when it was taken.

    Attributes:
        month: The month exported (1-12).
        taken_at: When the export was taken.
        rows: ``(order, state)`` sorted by received time and id.
    """

    month: int
    taken_at: dt.datetime
    rows: list[tuple[WorkOrder, str]] = field(default_factory=list)


@dataclass
class HotlinePlan:
    """All orders of the year and the twelve monthly exports."""

    orders: list[WorkOrder]
    snapshots: list[Snapshot]

    @property
    def final_export(self) -> dt.datetime:
        """When the last export (December's, early January) was taken."""
        return self.snapshots[-1].taken_at

    def count_final(self) -> dict[str, int]:
        """Accepted, closed and not-accepted orders as the ingest will count them."""
        final = self.final_export
        accepted = [o for o in self.orders if o.accepted]
        closed = sum(o.state_at(final) in CLOSED_STATES for o in accepted)
        return {
            "accepted": len(accepted),
            "closed": closed,
            "not_accepted": len(self.orders) - len(accepted),
        }


def month_weights() -> np.ndarray:
    """Relative call volume per month: the sum of every subject's seasonal weight.

    Example:
        >>> weights = month_weights()
        >>> [int(m) + 1 for m in weights.argsort()[::-1][:3]]  # epidemic + floods, heating starts
        [8, 11, 7]
    """
    return np.array([sum(s.weight * s.season[m] for s in SUBJECTS) for m in range(12)], dtype=float)


def _subject_probabilities(month: int) -> np.ndarray:
    weights = np.array([s.weight * s.season[month - 1] for s in SUBJECTS])
    return weights / weights.sum()


_TOWN_WEIGHTS = {
    "urban": np.array([t.weight * (3.0 if t.kind == "street" else 0.6) for t in TOWNS]),
    "rural": np.array([t.weight * (0.08 if t.kind == "street" else 1.6) for t in TOWNS]),
    "any": np.array([t.weight for t in TOWNS]),
}
_TOWN_P = {k: v / v.sum() for k, v in _TOWN_WEIGHTS.items()}


def _lognormal_hours(rng: np.random.Generator, median: float, sigma: float, cap: float) -> float:
    return float(min(rng.lognormal(math.log(median), sigma), cap))


class _Builder:
    """Draws orders and their timelines from one random generator, in a fixed order."""

    def __init__(self, rng: np.random.Generator, exports: Sequence[dt.datetime]) -> None:
        self.rng = rng
        self.exports = list(exports)
        self.callers = CallerBook(rng)
        self.writer = ContentWriter(rng)

    # --- what the call is about ---------------------------------------------------------------

    def seasonal_subject(self, month: int) -> Subject:
        """A subject drawn with the month's seasonal weights."""
        return SUBJECTS[int(self.rng.choice(len(SUBJECTS), p=_subject_probabilities(month)))]

    def _request_type(self, template: Template) -> str:
        if len(template.types) == 1:
            return template.types[0]
        weights = np.array([_TYPE_PRIOR[t] for t in template.types])
        return template.types[int(self.rng.choice(len(weights), p=weights / weights.sum()))]

    def _department(self, subject: Subject, town_office: str) -> str:
        if self.rng.random() < subject.town_share:
            return town_office
        names = [d for d, _ in subject.departments]
        weights = np.array([w for _, w in subject.departments])
        return names[int(self.rng.choice(len(names), p=weights / weights.sum()))]

    def new_order(self, received: dt.datetime, subject: Subject) -> WorkOrder:
        """A fresh accepted order with its text and caller (no timeline yet)."""
        rng = self.rng
        weights = np.array([_TYPE_PRIOR[t.types[0]] for t in subject.templates])
        template = subject.templates[int(rng.choice(len(weights), p=weights / weights.sum()))]
        request_type = self._request_type(template)
        town = TOWNS[int(rng.choice(len(TOWNS), p=_TOWN_P[subject.setting]))]
        caller = self.callers.next_caller()
        title, content = self.writer.hotline_text(template, request_type, town, caller)
        order = WorkOrder(received, subject, request_type, title, content, town.name, caller)
        order.channel = "transfer" if rng.random() < 0.03 else "phone"
        if rng.random() >= _DIRECT_SHARE.get(request_type, 0.0):
            order.department = self._department(subject, town.office)
        return order

    # --- timeline -----------------------------------------------------------------------------

    def dispatch(self, order: WorkOrder) -> None:
        """Dispatch, sign for and start work; set the due date."""
        rng = self.rng
        order.dispatched = add_working_hours(order.received, _lognormal_hours(rng, 0.6, 0.8, 8))
        # A few departments are slow to sign for orders: those show up as 已派单 in exports.
        sign_median = 6.0 if rng.random() < 0.1 else 1.5
        order.signed = add_working_hours(
            order.dispatched, _lognormal_hours(rng, sign_median, 0.8, 48)
        )
        order.working = add_working_hours(order.signed, _lognormal_hours(rng, 3.0, 0.8, 48))
        order.due = order.dispatched.date() + dt.timedelta(days=self.limit_days(order))

    @staticmethod
    def limit_days(order: WorkOrder) -> int:
        """Calendar days of the time limit (working days x 7/5, rounded up)."""
        return math.ceil(TIME_LIMIT_WORKDAYS[order.request_type] * 7 / 5)

    def evaluate(self, order: WorkOrder) -> None:
        """Revisit and rate a closed order (most are; the rest stay unrated)."""
        rng = self.rng
        order.evaluated = order.satisfaction = None
        order.revisit_shown = False
        if order.closed is None or rng.random() >= _EVALUATED_SHARE:
            return
        order.evaluated = add_working_hours(order.closed, float(rng.uniform(2, 72)))
        rating = float(rng.random())
        if order.overdue:  # late answers are rated worse
            rating = min(0.999, rating + 0.2)
        order.satisfaction = rating
        order.revisit_shown = bool(rng.random() < 0.35)

    def close(self, order: WorkOrder, when: dt.datetime | None) -> None:
        """Set (or clear, with ``None``) the closing time and everything that follows from it."""
        if when is not None and order.working is not None:
            when = max(when, order.working + dt.timedelta(hours=1))
        order.closed = when
        if when is not None and order.extended is not None and order.extended >= when:
            order.extended = None  # closed before the extension would have been needed
        self.evaluate(order)

    def plan_timeline(self, order: WorkOrder) -> None:
        """The whole life of an accepted order."""
        rng = self.rng
        if order.department is None:  # answered on the phone
            self.close(order, order.received + dt.timedelta(minutes=float(rng.uniform(2, 15))))
            return
        self.dispatch(order)
        assert order.dispatched is not None
        limit = self.limit_days(order)
        if rng.random() < _OVERDUE_SHARE:
            fraction = 1.0 + float(rng.exponential(0.35))
        else:
            fraction = float(np.clip(rng.lognormal(math.log(0.35), 0.55), 0.05, 0.97))
        closed = add_working_hours(order.dispatched, fraction * limit * 24)
        if fraction > 1 and rng.random() < 0.6:  # late cases usually asked for an extension
            order.extended = add_working_hours(order.dispatched, 0.8 * limit * 24)
        self.close(order, closed)

    def make_long_running(self, order: WorkOrder) -> None:
        """A complex case: extended near its due date and still open after the year's end."""
        if order.dispatched is None:  # only in tiny samples: a direct answer becomes a case
            order.department = order.subject.departments[0][0]
            self.dispatch(order)
        assert order.dispatched is not None
        order.extended = add_working_hours(order.dispatched, 0.9 * self.limit_days(order) * 24)
        self.close(order, None)

    # --- orders that do not count -------------------------------------------------------------

    def not_accepted(
        self, kind: str, received: dt.datetime, month_orders: Sequence[WorkOrder]
    ) -> WorkOrder:
        """An invalid call, a withdrawn (void) order or a duplicate of an earlier order."""
        rng = self.rng
        month = received.month
        if kind == "duplicate":
            earlier = [o for o in month_orders if o.accepted and o.received < received]
            if earlier:
                original = earlier[int(rng.integers(len(earlier)))]
                order = WorkOrder(
                    received,
                    original.subject,
                    original.request_type,
                    original.title,
                    original.content,
                    original.town,
                    original.caller,
                )
            else:  # nothing earlier this month to repeat: a duplicate of an older call
                order = self.new_order(received, self.seasonal_subject(month))
                order.department = None
            order.outcome = "duplicate"
            order.outcome_at = received + dt.timedelta(hours=float(rng.uniform(0.5, 4)))
            return order
        if kind == "invalid":
            town = TOWNS[int(rng.choice(len(TOWNS), p=_TOWN_P["any"]))]
            caller = self.callers.new_caller()
            title, content = self.writer.invalid_call()
            order = WorkOrder(received, SUBJECTS[-1], "other", title, content, town.name, caller)
            order.outcome = "invalid"
            order.outcome_at = received + dt.timedelta(minutes=float(rng.uniform(1, 5)))
            return order
        subject = self.seasonal_subject(month)
        order = self.new_order(received, subject)
        order.outcome = "void"
        if month < 12 and rng.random() < _LATE_VOID_SHARE:
            # Dispatched and worked on, then withdrawn by the caller after this month's export.
            if order.department is None:
                order.department = subject.departments[0][0]
            self.dispatch(order)
            start, end = self.exports[month - 1], self.exports[month]
            span = (end - start).total_seconds() - 2 * 86400
            order.outcome_at = start + dt.timedelta(seconds=86400 + float(rng.uniform(0, span)))
        else:
            order.department = None
            order.outcome_at = received + dt.timedelta(hours=float(rng.uniform(0.3, 6)))
        return order


def _extra_kinds(rng: np.random.Generator, count: int) -> list[str]:
    """Half invalid calls, a quarter void, a quarter duplicates (at least one each from 3)."""
    if count <= 0:
        return []
    void = max(1, round(count * 0.25)) if count >= 3 else 0
    duplicate = max(1, round(count * 0.25)) if count >= 3 else 0
    kinds = ["invalid"] * (count - void - duplicate) + ["void"] * void + ["duplicate"] * duplicate
    return [kinds[i] for i in rng.permutation(len(kinds))]


def _ensure_carry_over(builder: _Builder, orders: Sequence[WorkOrder]) -> None:
    """Make every export after January repeat at least one order from an earlier export.

    Runs after the final open count is settled and only moves closings of orders that are closed
    by the final export to a few days after the month's export, so the counts do not change.
    """
    rng = builder.rng
    exports = builder.exports
    accepted = [o for o in orders if o.accepted]
    for month in range(1, 12):
        before, after = exports[month - 1], exports[month]

        def carried(
            order: WorkOrder, before: dt.datetime = before, after: dt.datetime = after
        ) -> bool:
            state = order.state_at(before)
            return state in OPEN_STATES and order.state_at(after) != state

        if any(o.received.month <= month and carried(o) for o in accepted):
            continue
        candidates = [
            o
            for o in accepted
            if o.received.month == month and not o.direct and o.closed is not None
        ]
        if candidates:
            order = max(candidates, key=lambda o: o.received)
            builder.close(order, add_working_hours(before, float(rng.uniform(24, 120))))


def _settle_final_open(builder: _Builder, orders: Sequence[WorkOrder], open_target: int) -> None:
    """Leave exactly ``open_target`` accepted orders open at the final export."""
    rng = builder.rng
    final = builder.exports[-1]
    accepted = [o for o in orders if o.accepted]
    long_count = round(open_target * _LONG_RUNNING_SHARE) if open_target >= 10 else 0
    earlier = [
        o
        for o in accepted
        if not o.direct
        and o.received.month <= 10
        and o.request_type in ("complaint", "help", "report")
    ]
    chosen = sorted(rng.choice(len(earlier), size=min(long_count, len(earlier)), replace=False))
    long_running = [earlier[i] for i in chosen]
    for order in long_running:
        builder.make_long_running(order)
    long_ids = {id(o) for o in long_running}  # membership only: never iterated
    others = [o for o in accepted if id(o) not in long_ids]
    still_open = [o for o in others if o.closed is None or o.closed > final]
    for order in still_open:
        if order.closed is not None:
            builder.close(order, None)
    wanted = open_target - len(long_running)
    if len(still_open) > wanted:
        # Close the earliest of them shortly before the final export; the latest stay open.
        surplus = sorted(still_open, key=lambda o: o.received)[: len(still_open) - wanted]
        for order in surplus:
            start = order.working or order.received
            span = max((final - start).total_seconds() - 7200, 3600)
            when = start + dt.timedelta(seconds=float(rng.uniform(3600, span)))
            builder.close(order, min(when, final - dt.timedelta(hours=1)))
    elif len(still_open) < wanted:
        # Not enough natural backlog: the latest dispatched orders are not finished in time
        # (in tiny samples, the latest direct answers too, turned into dispatched cases).
        done = [o for o in others if o.closed is not None]
        latest = sorted(done, key=lambda o: (not o.direct, o.received), reverse=True)
        for order in latest[: wanted - len(still_open)]:
            if order.direct:
                builder.make_long_running(order)
            else:
                builder.close(order, None)


_TIMESTAMPS = ("received", "dispatched", "signed", "working", "extended", "closed", "evaluated")


def _whole_seconds(orders: Sequence[WorkOrder]) -> None:
    """Drop sub-second parts: platforms record times to the second."""
    for order in orders:
        for name in (*_TIMESTAMPS, "outcome_at"):
            when = getattr(order, name)
            if when is not None and when.microsecond:
                setattr(order, name, when.replace(microsecond=0))


_BURST_SIZE = 24  # above the quality check's default threshold of 20
_BURST_START = dt.datetime(2021, 11, 16, 14, 0)


def _plant_quality_faults(orders: Sequence[WorkOrder], final_export: dt.datetime) -> None:
    """Blemishes real platforms have, for the quality checks to find (``docs/quality.md``).

    One unit closes a batch of November requests within ten minutes of their receipt one
    afternoon (stopping their clocks), two closing times are typed a day before the receipt,
    and two orders are closed at the very second they were received. Only times move and every
    order keeps its state at the last export, so the counts the sample reproduces do not change.
    A generator of its own keeps the rest of the sample as it was.
    """
    rng = np.random.default_rng(202111)
    settled = [
        o
        for o in orders
        if o.accepted
        and o.dispatched is not None
        and o.closed is not None
        and o.received < o.closed <= final_export
        and o.outcome_at is None
    ]
    november = [
        o
        for o in settled
        if o.received.month == 11 and cast(dt.datetime, o.closed).month in (11, 12)  # settled
    ]
    by_unit: dict[str, list[WorkOrder]] = {}
    for order in november:
        by_unit.setdefault(order.department or "", []).append(order)
    unit = max(sorted(by_unit), key=lambda name: len(by_unit[name]))
    batch = sorted(by_unit[unit], key=lambda o: o.received)
    chosen = sorted(rng.choice(len(batch), size=min(_BURST_SIZE, len(batch)), replace=False))
    for k, index in enumerate(chosen):
        order = batch[int(index)]
        closed = cast(dt.datetime, order.closed)  # a settled order
        rated_after = None if order.evaluated is None else order.evaluated - closed
        order.received = _BURST_START + dt.timedelta(seconds=20 * k)
        order.dispatched = order.signed = order.working = order.received + dt.timedelta(seconds=15)
        order.due = (order.received + dt.timedelta(days=7)).date()
        order.extended = None
        order.closed = _BURST_START + dt.timedelta(minutes=10, seconds=10 * k)
        if rated_after is not None:
            order.evaluated = order.closed + rated_after
    others = [o for o in settled if o.received.month in (3, 5) and o.department != unit]
    early, zero = others[:: max(1, len(others) // 2)][:2], others[1 :: max(1, len(others) // 2)][:2]
    for order in early:  # the day typed one too low
        order.closed = order.received - dt.timedelta(days=1)
        order.extended = None
    for order in zero:
        order.closed = order.received
        order.extended = None


def _assign_ids(rng: np.random.Generator, orders: list[WorkOrder]) -> None:
    """Platform ids ``YYYYMMDD`` + a 5-digit daily sequence shared with other counties.

    The city platform numbers orders of every county in one daily sequence, so this county's
    orders have gaps between their numbers.
    """
    orders.sort(key=lambda o: o.received)
    day, counter = None, 0
    for order in orders:
        if order.received.date() != day:
            day, counter = order.received.date(), int(rng.integers(1, 20))
        else:
            counter += int(rng.integers(1, 6))
        order.order_id = f"{order.received:%Y%m%d}{counter:05d}"


def _snapshots(orders: Sequence[WorkOrder], exports: Sequence[dt.datetime]) -> list[Snapshot]:
    states = [[o.state_at(t) for t in exports] for o in orders]
    snapshots = [Snapshot(m + 1, t) for m, t in enumerate(exports)]
    for order, seen in zip(orders, states, strict=True):
        first = order.received.month - 1
        # an export taken after the order was received knows its state
        snapshots[first].rows.append((order, cast(str, seen[first])))
        for m in range(first + 1, len(exports)):
            if seen[m - 1] in OPEN_STATES and seen[m] != seen[m - 1]:
                # 跨月更新: changed since last export
                snapshots[m].rows.append((order, cast(str, seen[m])))
    for snapshot in snapshots:
        snapshot.rows.sort(key=lambda row: (row[0].received, row[0].order_id))
    return snapshots


def plan_hotline(
    rng: np.random.Generator, *, accepted: int, closed: int, extras: int
) -> HotlinePlan:
    """Generate the year's work orders and monthly exports.

    Args:
        rng: Random generator (the plan is a pure function of its state).
        accepted: Accepted orders (受理) after merging snapshots.
        closed: How many of them are closed at the final export (办结).
        extras: Further orders that are invalid, void or duplicates (not accepted).

    Returns:
        The plan; :meth:`HotlinePlan.count_final` equals the requested counts.

    Raises:
        ValueError: The counts are impossible (closed > accepted, negative numbers).

    Example:
        >>> plan = plan_hotline(np.random.default_rng(1), accepted=30, closed=29, extras=3)
        >>> plan.count_final()["closed"], plan.snapshots[0].taken_at.date()
        (29, datetime.date(2021, 2, 3))
    """
    if accepted < 1 or not 0 <= closed <= accepted or extras < 0:
        raise ValueError(
            f"need accepted >= 1, 0 <= closed <= accepted, extras >= 0; got {accepted=}, "
            f"{closed=}, {extras=}"
        )
    builder = _Builder(rng, export_times(rng))
    per_month = allocate(accepted, month_weights(), minimum=1)
    orders: list[WorkOrder] = []
    for month, count in enumerate(per_month, start=1):
        subjects = rng.choice(len(SUBJECTS), size=int(count), p=_subject_probabilities(month))
        for received, index in zip(draw_times(rng, month, int(count)), subjects, strict=True):
            order = builder.new_order(received, SUBJECTS[int(index)])
            builder.plan_timeline(order)
            orders.append(order)
    kinds = _extra_kinds(rng, extras)
    extra_per_month = allocate(len(kinds), per_month)
    kind_iter = iter(kinds)
    for month, count in enumerate(extra_per_month, start=1):
        in_month = [o for o in orders if o.received.month == month]
        for received in draw_times(rng, month, int(count)):
            orders.append(builder.not_accepted(next(kind_iter), received, in_month))
    _settle_final_open(builder, orders, accepted - closed)
    _ensure_carry_over(builder, orders)
    _whole_seconds(orders)
    _plant_quality_faults(orders, builder.exports[-1])
    _assign_ids(rng, orders)
    plan = HotlinePlan(orders, _snapshots(orders, builder.exports))
    counted = plan.count_final()
    if counted != {"accepted": accepted, "closed": closed, "not_accepted": extras}:
        raise AssertionError(f"sample plan does not add up: {counted}")  # a generator bug
    return plan
