"""Synthetic online complaints (网络投诉/网上留言) of the sample county for 2021.

Messages look like the 2020 泰迪杯 competition data: integer ids, pseudonymous users (some write
more than once), a subject line, the message with scraped-HTML whitespace, and the official reply
with its time. A message without a reply is still open; the online export has no status column.

Example:
    >>> import numpy as np
    >>> messages = plan_online(np.random.default_rng(5), count=10, replied=9)
    >>> len(messages), sum(m.replied_at is not None for m in messages)
    (10, 9)
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from hotline.sample.catalogue import SUBJECTS, TOWNS, Subject
from hotline.sample.content import ContentWriter
from hotline.sample.lifecycle import month_weights
from hotline.sample.people import CallerBook, user_id
from hotline.sample.timing import YEAR, add_working_hours, allocate, draw_times

__all__ = ["REPLY_CUTOFF", "OnlineMessage", "plan_online"]

#: Replies are known up to the day the online export was taken (early January 2022).
REPLY_CUTOFF = dt.datetime(YEAR + 1, 1, 5, 9, 0)
_REPEAT_USER_SHARE = 0.15
_LATE_SHARE_OF_OPEN = 0.8  # unanswered messages are mostly the latest ones


@dataclass(slots=True)
class OnlineMessage:
    """One message on the online board.

    Attributes:
        message_id: 留言编号 (integer, increasing with time, with gaps).
        user: 留言用户 pseudonym.
        received: 留言时间.
        subject: What it is about.
        title: 留言主题.
        content: 留言详情 (raw, with the scraped whitespace).
        department: Who answers.
        replied_at: 答复时间 (None: not answered yet).
        reply: 答复意见 (None: not answered yet).
    """

    message_id: int
    user: str
    received: dt.datetime
    subject: Subject
    title: str
    content: str
    department: str
    replied_at: dt.datetime | None = None
    reply: str | None = None


def _users(rng: np.random.Generator, count: int) -> list[str]:
    """User pseudonyms: mostly distinct, about one message in seven from an earlier writer."""
    numbers = rng.choice(np.arange(1000, 99999), size=count, replace=False)
    users: list[str] = []
    for i in range(count):
        if users and rng.random() < _REPEAT_USER_SHARE:
            users.append(users[int(rng.integers(len(users)))])
        else:
            users.append(user_id(int(numbers[i])))
    return users


def _unanswered(rng: np.random.Generator, received: list[dt.datetime], count: int) -> set[int]:
    """Indices of messages left without a reply: mostly the latest, a few older ones."""
    if count <= 0:
        return set()
    late = max(1, math.ceil(count * _LATE_SHARE_OF_OPEN))
    by_time = sorted(range(len(received)), key=lambda i: received[i])
    chosen = by_time[-late:]
    older = by_time[:-late]
    if count > late:
        chosen += [older[int(i)] for i in rng.choice(len(older), size=count - late, replace=False)]
    return set(chosen)


def plan_online(rng: np.random.Generator, *, count: int, replied: int) -> list[OnlineMessage]:
    """Generate the year's online messages, ``replied`` of them answered.

    Args:
        rng: Random generator.
        count: Messages received in 2021 (all accepted: the board has no invalid state).
        replied: Messages answered by the export (closed).

    Returns:
        Messages in id order.

    Raises:
        ValueError: ``replied`` is not between 0 and ``count``.

    Example:
        >>> messages = plan_online(np.random.default_rng(2), count=24, replied=22)
        >>> [m.received.month for m in messages if m.reply is None]  # the latest wait for a reply
        [12, 12]
    """
    if count < 1 or not 0 <= replied <= count:
        raise ValueError(f"need count >= 1 and 0 <= replied <= count; got {count=}, {replied=}")
    writer = ContentWriter(rng)
    phones = CallerBook(rng)
    per_month = allocate(count, month_weights(), minimum=1)
    received: list[dt.datetime] = []
    subjects: list[Subject] = []
    for month, n in enumerate(per_month, start=1):
        weights = np.array([s.weight * s.season[month - 1] for s in SUBJECTS])
        picks = rng.choice(len(SUBJECTS), size=int(n), p=weights / weights.sum())
        received += draw_times(rng, month, int(n))
        subjects += [SUBJECTS[int(i)] for i in picks]
    users = _users(rng, count)
    unanswered = _unanswered(rng, received, count - replied)
    next_id = int(rng.integers(160_000, 170_000))
    messages: list[OnlineMessage] = []
    for i, (when, subject, user) in enumerate(zip(received, subjects, users, strict=True)):
        template = subject.templates[int(rng.integers(len(subject.templates)))]
        request_type = template.types[0]
        town = TOWNS[int(rng.choice(len(TOWNS)))]
        phone = phones.new_caller().phone if rng.random() < 0.03 else None
        title, content = writer.online_text(template, request_type, town, phone)
        department = subject.departments[0][0]
        message = OnlineMessage(next_id, user, when, subject, title, content, department)
        next_id += int(rng.integers(1, 60))
        if i not in unanswered:
            days = float(np.clip(rng.lognormal(math.log(9), 0.6), 0.1, 60))
            answered = add_working_hours(when, days * 24)
            if answered >= REPLY_CUTOFF:  # a late message answered quickly, before the export
                room = (REPLY_CUTOFF - when).total_seconds()
                answered = when + dt.timedelta(seconds=float(rng.uniform(0.3, 0.9)) * room)
            message.replied_at = answered.replace(microsecond=0)
            message.reply = writer.online_reply(user, department, subject, answered)
        messages.append(message)
    return messages
