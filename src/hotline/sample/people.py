"""Synthetic callers: names, phone numbers, ID-card numbers and online user ids.

None of this is real personal data. Names combine common surnames and given names; mobile numbers
are random digits behind real-looking prefixes; ID-card numbers have the GB 11643 structure (a
Liaoning-style 2112xx region code, a birth date, a sequence and a valid check digit) so that the
ingest's scrubbing is exercised, but they are drawn at random.

Example:
    >>> import numpy as np
    >>> book = CallerBook(np.random.default_rng(1))
    >>> caller = book.new_caller()
    >>> len(caller.phone.replace("-", "")) in (11, 12)
    True
    >>> id_number = fake_id_number(np.random.default_rng(2))
    >>> len(id_number), id_number[-1] == id_check_digit(id_number[:17])
    (18, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from hotline.sample.catalogue import words

__all__ = ["Caller", "CallerBook", "fake_id_number", "id_check_digit", "user_id"]

# Ordered roughly by frequency; the weights below follow a Zipf-like curve.
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
_GIVEN_FEMALE = words(
    "桂兰 秀英 淑珍 玉兰 凤英 桂芝 淑华 玉梅 红梅 雪梅 丽娜 春雨 晓燕 丽华 秀兰 秀云 "
    "艳 静 敏 娜 丹 婷 雪 霞 欣怡 雨欣 丽 颖 海燕 凤霞 玉珍 淑芬"
)
_GIVEN_MALE = words(
    "建国 建军 国庆 志强 志刚 海涛 宏伟 振华 永刚 长林 德福 立新 晓东 春雷 文博 浩然 "
    "宇航 鹏飞 俊杰 明 伟 强 军 磊 勇 涛 斌 超 刚 国华 铁军 福生"
)
_MOBILE_PREFIXES = words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 "
    "180 181 182 183 185 186 187 188 189"
)
# Region codes shaped like Liaoning's 2112xx (a county-level prefix); random, not a real person's.
_REGIONS = ("211221", "211223", "211224", "211281", "211282", "211202", "211204")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.8
_SURNAME_WEIGHTS /= _SURNAME_WEIGHTS.sum()


@dataclass(frozen=True, slots=True)
class Caller:
    """One caller as the platform records them.

    Attributes:
        phone: The calling number (mobile or ``024-`` landline).
        name: What the operator typed: a full name or ``王女士``/``李先生``.
        full_name: Whether ``name`` is a full name (only then can it appear in the text).
    """

    phone: str
    name: str
    full_name: bool


def id_check_digit(first17: str) -> str:
    """GB 11643 check digit (ISO 7064 MOD 11-2) of the first 17 digits.

    Example:
        >>> id_check_digit("11010519491231002")
        'X'
    """
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def fake_id_number(rng: np.random.Generator) -> str:
    """A random 18-digit ID-card number with a valid structure (not a real person's).

    Example:
        >>> number = fake_id_number(np.random.default_rng(4))
        >>> number[:4], len(number)
        ('2112', 18)
    """
    region = _REGIONS[int(rng.integers(len(_REGIONS)))]
    born = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 52)))
    sequence = f"{int(rng.integers(1, 1000)):03d}"
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + id_check_digit(first17)


def user_id(number: int) -> str:
    """An online user pseudonym in the competition data's style (``U0012345``).

    Example:
        >>> user_id(12345)
        'U0012345'
    """
    return f"U{number:07d}"


class CallerBook:
    """Hands out callers: mostly new people, some repeat callers who keep their number.

    Args:
        rng: The random generator (the book draws from it in call order).
        repeat_share: Share of calls that come from a repeat caller.
    """

    def __init__(self, rng: np.random.Generator, repeat_share: float = 0.1) -> None:
        self._rng = rng
        self._repeat_share = repeat_share
        self._used_phones: set[str] = set()  # membership only: never iterated
        self._regulars: list[Caller] = []

    def _phone(self) -> str:
        while True:
            if self._rng.random() < 0.08:  # a landline in the county's 024 area
                phone = f"024-7{int(self._rng.integers(0, 10_000_000)):07d}"
            else:
                prefix = _MOBILE_PREFIXES[int(self._rng.integers(len(_MOBILE_PREFIXES)))]
                phone = f"{prefix}{int(self._rng.integers(0, 100_000_000)):08d}"
            if phone not in self._used_phones:
                self._used_phones.add(phone)
                return phone

    def _name(self) -> tuple[str, bool]:
        surname = _SURNAMES[int(self._rng.choice(len(_SURNAMES), p=_SURNAME_WEIGHTS))]
        female = self._rng.random() < 0.52
        if self._rng.random() < 0.22:  # callers often give only a surname
            return surname + ("女士" if female else "先生"), False
        pool = _GIVEN_FEMALE if female else _GIVEN_MALE
        return surname + pool[int(self._rng.integers(len(pool)))], True

    def new_caller(self) -> Caller:
        """A first-time caller."""
        name, full = self._name()
        return Caller(self._phone(), name, full)

    def next_caller(self) -> Caller:
        """The caller of the next order: a repeat caller about one time in ten.

        Example:
            >>> book = CallerBook(np.random.default_rng(0))
            >>> phones = [book.next_caller().phone for _ in range(300)]
            >>> 0 < 300 - len(set(phones)) < 60  # some people call again
            True
        """
        if self._regulars and self._rng.random() < self._repeat_share:
            return self._regulars[int(self._rng.integers(len(self._regulars)))]
        caller = self.new_caller()
        if self._rng.random() < 0.3:  # some first-time callers will call again
            self._regulars.append(caller)
        return caller
