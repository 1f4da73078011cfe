"""The year a report's figures are about, read from its text.

A report names years for many reasons: its own year ("2021年,我县…"), a comparison ("较2020年
增长"), a starting point ("2019年以来"), a plan's span ("(2021-2025年)"), the date it was signed
("2022年7月4日" on a line of its own). Only the first is the year its figures are about. The rule:

1. A year is four digits from 1990 to 2099 (Arabic, full-width or 〇-digit Chinese: 二〇二一)
   followed by 年 (or 年度).
2. It does not count when it is compared with, or is a starting point or a range's end:
   preceded by 较, 比, 与, 同, 相比, 对比, 自, 从, 至 (not 截至), 到 or a dash; followed by 以来,
   同期, 起, 至今, or 至 / a dash (a range's start). A line holding only a date (the signature)
   does not count either.
3. Of the years that count, the report's year is the first named in a sentence with hotline
   figures (the figures' own year); else the first named in the title (the first non-empty
   line, when it is short and not a sentence); else the first named anywhere in the text.

Example:
    >>> found = report_year("2021年,12345热线受理话务诉求9383件,较2020年增长5%。")
    >>> found.year, found.source, found.reason
    (2021, 'hotline', '文中热线表述所述年度')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from hotline.claims.extract import extract_statements, normalise

__all__ = ["TextYear", "report_year", "years_named"]

_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_YEAR = re.compile(
    r"(?<![0-9.〇零一二三四五六七八九十百千万])"
    r"((?:19|20)[0-9]{2}|[一二][〇零一二三四五六七八九]{3})\s*年(?!代)(度)?"
)
# A comparison, a starting point or the end of a range, just before the year.
_BEFORE = re.compile(r"(较|比|与|同|相比|对比|自|从|(?<![截])至|到|[-—–~～])\s*$")
# A starting point ("以来", "起") or the start of a range, just after 年.
_AFTER = re.compile(r"^\s*(以来|同期|起|至今|至\s*[0-9一二]|[-—–~～])")
_DATE_LINE = re.compile(r"^\s*\S{4}\s*年\s*\S{1,2}\s*月\s*\S{1,3}\s*日\s*$")
_SENTENCE = re.compile(r"[^。!?\n]+")
_TITLE_LENGTH = 60

Source = Literal["explicit", "hotline", "title", "text"]

#: Why a year was taken, in Chinese (for the output's header).
REASONS: dict[str, str] = {
    "explicit": "指定年度",
    "hotline": "文中热线表述所述年度",
    "title": "标题所述年度",
    "text": "文中所述年度",
}


@dataclass(frozen=True)
class TextYear:
    """The year a report names as its own.

    Attributes:
        year: The year.
        source: Where it was read: ``hotline`` (a sentence with hotline figures), ``title`` or
            ``text`` (the first year named anywhere).
        named: Every year the text names as its own (not in comparisons), in order of first
            mention.
    """

    year: int
    source: Source
    named: tuple[int, ...]

    @property
    def reason(self) -> str:
        """Why this year, in Chinese (``文中所述年度`` …)."""
        return REASONS[self.source]


def _value(digits: str) -> int:
    return int("".join(_CHINESE_DIGITS.get(c, c) for c in digits))


def years_named(text: str) -> list[int]:
    """The years a (normalised) text names as the period of its content, in order.

    Comparisons, starting points, range ends and a date line do not count.

    Example:
        >>> years_named("2021年受理9383件,较2020年增长;2019年以来累计;(2021-2025年)规划。")
        [2021]
        >>> years_named("二〇二一年度工作总结")
        [2021]
    """
    found = []
    for line in text.splitlines():
        if _DATE_LINE.match(line):
            continue
        for match in _YEAR.finditer(line):
            year = _value(match.group(1))
            if not 1990 <= year <= 2099:
                continue
            if _BEFORE.search(line[: match.start()]) or _AFTER.match(line[match.end() :]):
                continue
            found.append(year)
    return found


def _is_title(line: str) -> bool:
    return len(line) <= _TITLE_LENGTH and not re.search("[。;!?]", line)


def report_year(text: str | Iterable[str]) -> TextYear | None:
    """The year a report's figures are about, or ``None`` when its text names no year.

    Args:
        text: The report, as read from its file: the whole text, or its lines (or pieces of
            lines, :class:`hotline.claims.extract.Piece`) in order, read one at a time.

    Example:
        >>> report_year("关于2021年法治政府建设情况的报告" + chr(10) + "2022年计划…").source
        'title'
        >>> report_year("热线受理9383件。") is None
        True
    """
    lines = text.split("\n") if isinstance(text, str) else text
    named: dict[int, None] = {}
    title: list[int] | None = None
    hotline: int | None = None
    for line in lines:
        normalised = normalise(line).text
        found = years_named(normalised)
        if title is None and normalised.strip():
            title = found if _is_title(normalised.strip()) else []
        named.update(dict.fromkeys(found))
        if hotline is not None or not found:
            continue
        for sentence in _SENTENCE.finditer(normalised):
            years = years_named(sentence.group())
            if years and any(s.about_hotline for s in extract_statements(sentence.group())):
                hotline = years[0]
                break
    if not named:
        return None
    everything = tuple(named)
    if hotline is not None:
        return TextYear(hotline, "hotline", everything)
    if title:
        return TextYear(title[0], "title", everything)
    return TextYear(everything[0], "text", everything)
