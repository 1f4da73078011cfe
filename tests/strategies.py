"""Shared hypothesis strategies: export rows with the mess real platforms produce."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

STATUSES = ["已办结", "办理中", "已派单", "无效", "结案", "已回访", "重复", "作废", "处理中"]
DATE_STYLES = [
    lambda d: f"{d.year}/{d.month}/{d.day} {d.hour}:{d.minute:02d}:{d.second:02d}",
    lambda d: d.strftime("%Y-%m-%d %H:%M"),
    lambda d: f"{d.year}年{d.month}月{d.day}日 {d.hour}时{d.minute:02d}分",
]

#: Free text with the characters that break naive readers: quotes, commas, newlines, CJK, U+3000.
free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(['"', ",", "\n", "\u3000"]),
    max_size=12,
)

order_ids = st.integers(min_value=1, max_value=40).map(lambda i: f"A{i}")

received_times = st.datetimes(
    min_value=dt.datetime(2021, 1, 1), max_value=dt.datetime(2021, 12, 31)
).map(lambda d: d.replace(microsecond=0))


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """A received time written in one of the export styles."""
    return draw(st.sampled_from(DATE_STYLES))(draw(received_times))


def received_of(number: int, later_days: int = 0) -> dt.datetime:
    """The received time of order ``A<number>``; ``later_days`` > 0: another request, same id.

    Snapshots of one order repeat its received time (in any date style: some drop the
    seconds); a different request reusing the id (an id collision) is received days apart.
    """
    return dt.datetime(2021, 1, 1) + dt.timedelta(days=5 * number + later_days, minutes=37 * number)


@st.composite
def export_rows(draw: st.DrawFn) -> list[str]:
    """One data row: mostly valid, sometimes without an id or with a broken date.

    Rows sharing an id are mostly copies of one order (same received time); now and then the
    id is reused by a different request (received 1 or 2 days later).
    """
    kind = draw(st.sampled_from(["ok"] * 8 + ["no_id", "bad_date"]))
    number = draw(st.integers(min_value=1, max_value=40))
    order_id = "" if kind == "no_id" else f"A{number}"
    when = received_of(number, draw(st.sampled_from([0] * 8 + [1, 2])))
    received = "不详" if kind == "bad_date" else draw(st.sampled_from(DATE_STYLES))(when)
    return [order_id, received, draw(st.sampled_from(STATUSES)), draw(free_text)]


@st.composite
def exports(draw: st.DrawFn) -> dict[str, object]:
    """One export: rows, an optional total row, an optional export time."""
    return {
        "rows": draw(st.lists(export_rows(), min_size=1, max_size=25)),
        "footer": draw(st.booleans()),
        "exported": draw(st.none() | received_times),
    }


#: Canonical order tables for metric invariants.
STATUS_CODES = [
    "received",
    "dispatched",
    "in_progress",
    "closed",
    "revisited",
    "answered_directly",
    "replied",
    "invalid",
    "void",
    "duplicate",
]
SATISFACTION_CODES = [
    None,
    "not_evaluated",
    "very_dissatisfied",
    "dissatisfied",
    "basically_satisfied",
    "satisfied",
    "very_satisfied",
]


@st.composite
def canonical_orders(draw: st.DrawFn) -> list[dict]:
    """Orders with random lifecycles: some closed before, some after, some never."""
    count = draw(st.integers(min_value=1, max_value=40))
    orders = []
    for index in range(count):
        received = draw(received_times)
        hours = draw(st.integers(min_value=-48, max_value=24 * 60))
        closed = received + dt.timedelta(hours=hours) if draw(st.booleans()) else None
        orders.append(
            {
                "order_id": f"O{index}",
                "source_kind": draw(st.sampled_from(["hotline", "hotline", "online"])),
                "received_at": received,
                "dispatched_at": received + dt.timedelta(hours=1) if draw(st.booleans()) else None,
                "closed_at": closed,
                "due_at": received + dt.timedelta(days=draw(st.integers(1, 20)))
                if draw(st.booleans())
                else None,
                "status": draw(st.sampled_from(STATUS_CODES)),
                "satisfaction": draw(st.sampled_from(SATISFACTION_CODES)),
                "town": draw(st.sampled_from(["城关街道", "河东镇", None])),
                "department": draw(st.sampled_from(["县教育局", "县供热公司", None])),
                "topic": draw(st.sampled_from(["供暖", "教育", None])),
                "caller_key": draw(st.sampled_from(["K1", "K2", "K3", None])),
                "request_type": draw(st.sampled_from(["complaint", "consultation", None])),
            }
        )
    return orders
