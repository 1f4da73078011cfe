"""The hotline as the subject of a paragraph: when it carries to the next sentence, when it ends.

A report names the 12345 hotline once and goes on about it: "12345热线受理话务诉求9383件,办结
9268件。全年群众满意率99%,按时办结率99.5%。" The second sentence's subject is the hotline, carried
over from the first. A reader stops carrying it when the topic changes:

* a new paragraph (a line break) or a heading;
* a new item of the report (二是, (三), 2., 其次 …) at the start of a sentence;
* another subject: another body or indicator (信访, 人大代表建议, GDP, 县人社局, 12348 热线 …),
  or, in a sentence that does not name the hotline, a noun phrase that opens a clause and is
  not a time, a measure, a qualifier or one of the hotline's own words (全县GDP增长8%,
  城镇居民人均可支配收入3.2万元). A noun phrase after a verb or a preposition is an object, not a
  subject (督促全县医疗机构整改, 针对…的诉求): the hotline goes on (:mod:`hotline.claims.grammar`).

Headings nest as 公文 number them (第一部分 > 一、 > (一) > 1. > (1)). A heading that names the
hotline (二、12345热线运行情况) makes it the subject of everything under it: its paragraphs, its
sub-headings ((一)办理质效) and theirs, and the items of each (一是 …), until a heading of the
same or an outer level (三、…) that does not name it. A sub-heading narrows, it does not change
the topic, unless it names another subject ((三)信访工作).

:class:`Thread` follows the subject through the report, heading by heading and clause by
clause, and says why a figure is (or is no longer) about the hotline; each reason quotes the
words that decided it (:class:`Change`), personal numbers hidden.

Example:
    >>> residue("全年群众满意率99%", [(4, 9), (9, 12)])
    ''
    >>> residue("全县GDP增长8%", [(7, 9)])
    '全县GDP'
    >>> residue("城镇居民人均可支配收入达到3.2万元", [(13, 18)])
    '城镇居民人均可支配收入'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hotline.claims.vocabulary import (
    CARRY_WORDS,
    CHANGE,
    EARLIER,
    QUALIFIER_SUFFIXES,
    QUALIFIER_WORDS,
    RESPECTIVELY,
    alternation,
)

__all__ = ["Change", "Heading", "Thread", "Topic", "quoted", "residue", "residue_runs"]

_SAFE = (
    EARLIER,  # before 为 is read as a qualifier: 上年为 needs it
    CHANGE,
    alternation([*QUALIFIER_WORDS, *QUALIFIER_SUFFIXES, RESPECTIVELY]),
    CARRY_WORDS,
)
_BLANK = " "
_QUOTE_LENGTH = 12
_OPENING = "“‘《〈\"'"


def quoted(words: str, length: int = _QUOTE_LENGTH) -> str:
    """Words of the report as a reason quotes them.

    At most ``length`` characters, and no number that identifies a person: a heading may hold a
    phone (咨询电话0410-1234567).

    Example:
        >>> quoted("咨询电话13812345678"), quoted("城镇居民人均可支配收入达到3.2万元")
        ('咨询电话[手机号]', '城镇居民人均可支配收入达…')
    """
    from hotline.ingestion.privacy import safe_quote  # pyarrow: only once a reason is written

    words = safe_quote(words.strip())
    return words if len(words) <= length else words[:length] + "…"


def residue_runs(text: str, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` that are neither ``known`` nor safe (time, qualifiers …).

    Example:
        >>> residue_runs("全县GDP增长8%", [(7, 9)])
        [(0, 5)]
    """
    chars = list(text)
    for start, end in known:
        chars[start:end] = _BLANK * (end - start)
    for pattern in _SAFE:
        for match in pattern.finditer("".join(chars)):
            chars[match.start() : match.end()] = _BLANK * (match.end() - match.start())
    return [run.span() for run in re.finditer(r"[^ ]+", "".join(chars))]


def residue(text: str, known: list[tuple[int, int]], original: str | None = None) -> str:
    """The words of ``text`` that name something other than the hotline's figure, quoted.

    Args:
        text: A clause (or its part up to its last figure), other hotlines masked.
        known: Spans already read (figures, measure words, the hotline's subjects).
        original: The clause as written, for the quote (default ``text``).

    Returns:
        The words from the first such word to the last before a figure or a measure, at most
        :data:`_QUOTE_LENGTH` characters; empty when there is none.

    Example:
        >>> residue("市信访局受理信访事项120件", [(4, 6), (10, 14)])
        '市信访局'
    """
    runs = residue_runs(text, known)
    if not runs:
        return ""
    first = runs[0][0]
    if first and text[first - 1] in _OPENING:  # “一网通办”平台: quote the mark that opens it
        first -= 1
    # the words up to the first figure or measure after them: the clause's own subject
    stop = min([s for s, _ in known if s > first], default=len(text))
    last = max(end for start, end in runs if start < stop)
    return quoted((original or text)[first:last])


@dataclass(frozen=True)
class Topic:
    """The hotline as a paragraph's subject.

    Attributes:
        subject: Subject code carried (``unspecified``, ``hotline``, ``online`` or ``total``).
        words: How the text named it (``12345政务服务便民热线``, ``网络投诉``).
        measures: The measures the last sentence named, as (key, words as written), for a
            sentence that opens a sub-scope (其中…).
    """

    subject: str
    words: str
    measures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Change:
    """What a clause names instead of the hotline, as its reason quotes it.

    Attributes:
        words: The words, quoted (县信访局, 全县GDP).
        action: The verb or preposition they follow, when they are its object (督促, 根据);
            empty when they open the clause as its subject.

    Example:
        >>> Change("全县GDP").describe(), Change("县信访局", "根据").describe()
        ('新主语「全县GDP」', '提及其他对象「县信访局」（在「根据」之后）')
    """

    words: str
    action: str = ""

    def describe(self) -> str:
        """The change in Chinese."""
        if self.action:
            return f"提及其他对象「{self.words}」（在「{self.action}」之后）"
        return f"新主语「{self.words}」"


@dataclass(frozen=True)
class Heading:
    """A heading line of the report.

    Attributes:
        level: 0 for 第一部分 and a report's title, 1 for 一、, 2 for (一), 3 for 1., 4 for
            (1), 5 for a line without a number (a caption: 表1 …).
        text: The heading as quoted (shortened, personal numbers hidden).
        topic: The hotline, when the heading names it.
        other: Another subject the heading names ((三)信访工作 → 信访), quoted; else empty.
    """

    level: int
    text: str
    topic: Topic | None = None
    other: str = ""


@dataclass
class Thread:
    """The hotline subject through a report, heading by heading and sentence by sentence.

    Attributes:
        topic: The subject carried into the next sentence, ``None`` when none is.
        ended: Why the last subject stopped carrying (Chinese), for figures that would otherwise
            have been read as the hotline's; empty when no subject ended in this paragraph.

    Example:
        >>> thread = Thread()
        >>> thread.name(Topic("unspecified", "12345热线"))
        >>> thread.carried()
        '主语承接上句「12345热线」'
        >>> thread.end(Change("全县GDP"))
        >>> thread.topic, thread.ended
        (None, '新主语「全县GDP」，不再承接上文「12345热线」')

        Under a heading that names the hotline, a sub-heading keeps it:

        >>> thread.heading(Heading(1, "二、12345热线运行情况", Topic("unspecified", "12345热线")))
        >>> thread.heading(Heading(2, "(一)办理质效"))
        >>> thread.new_paragraph()
        >>> thread.carried()
        '主语承接标题「二、12345热线运行情况」'
    """

    topic: Topic | None = None
    ended: str = ""
    _headings: list[Heading] = field(default_factory=list, init=False, repr=False)
    # the heading the topic comes from; None when a sentence named it
    _source: Heading | None = field(default=None, init=False, repr=False)
    # why the next paragraph does not carry the subject of the text before a heading
    _cut: str = field(default="", init=False, repr=False)
    # how the subject that ended was named, for the reasons of later clauses
    _last: str = field(default="", init=False, repr=False)

    def _inherited(self) -> Heading | None:
        """The innermost heading naming the hotline above, unless a deeper one names another."""
        for heading in reversed(self._headings):
            if heading.topic is not None:
                return heading
            if heading.other:
                return None
        return None

    def _restore(self) -> bool:
        """Take the subject of the heading above, if one names the hotline."""
        inherited = self._inherited()
        if inherited is None:
            return False
        self.topic, self._source, self.ended, self._cut = inherited.topic, inherited, "", ""
        return True

    def heading(self, heading: Heading) -> None:
        """A heading line: it replaces the headings of its level and deeper ones.

        Nothing of the text before it carries over it, except the subject of an outer heading
        that names the hotline (a sub-heading narrows the topic, it does not change it).
        """
        # the heading whose hotline subject this part was under, even where a sub-heading
        # had set it aside: a new heading above it ends it for good
        named = [h for h in self._headings if h.topic is not None]
        before, scope = self.topic, (named[-1] if named else None)
        while self._headings and self._headings[-1].level >= heading.level:
            self._headings.pop()
        self._headings.append(heading)
        self.topic, self._source, self.ended = None, None, ""
        if self._inherited() is not None:
            self._cut = ""
            return
        ending = before or (scope.topic if scope is not None else None)
        if ending is None:  # 三、… then (一)…: the cut of 三、 still stands for the text below
            return
        self._last = ending.words
        if heading.other and scope is not None and scope in self._headings:  # under it
            self._cut = (
                f"小标题「{heading.text}」另有主语「{heading.other}」，不承接标题「{scope.text}」"
            )
        else:
            self._cut = f"标题「{heading.text}」之后，不承接上文「{ending.words}」"

    def new_paragraph(self) -> None:
        """A new body paragraph (a line, or the text after a run-in heading).

        A subject named in the paragraph before does not carry into it; the subject of a
        heading above it does.
        """
        if self._restore():
            return
        if self._cut:
            self.ended = self._cut
        elif self.topic is not None:
            self._last = self.topic.words
            self.ended = f"另起一段，不承接上段「{self.topic.words}」"
        else:
            self.ended = ""
        self.topic, self._source, self._cut = None, None, ""

    def start_sentence(self, marker: str) -> None:
        """A sentence opening with an item marker (二是, (三)) ends a subject a sentence named.

        Under a heading that names the hotline, an item is part of it: the heading's subject
        is taken up again.
        """
        if not marker or self._restore():
            return
        if self.topic is not None:
            self.end(f"新的分项「{marker.strip()}」")

    def end(self, why: Change | str) -> None:
        """The subject stops carrying, because of a change of subject or ``why`` (Chinese)."""
        if self.topic is not None:
            self._last = self.topic.words
            reason = why.describe() if isinstance(why, Change) else why
            self.ended = f"{reason}，不再承接上文「{self._last}」"
        self.topic, self._source = None, None

    def ended_by(self, change: Change | None) -> str:
        """Why a clause's figures are not the hotline's, once its subject ended in this paragraph.

        The clause's own ``change`` when it has one, else what ended the subject.
        """
        if change is None or not self.ended:
            return self.ended
        return f"{change.describe()}，不再承接上文「{self._last}」"

    def name(self, topic: Topic) -> None:
        """A sentence named the hotline: it is the subject from here on."""
        self.topic, self.ended, self._source = topic, "", None

    def remember(self, measures: list[tuple[str, str]]) -> None:
        """The measures a sentence named, for a following 其中 sentence."""
        if self.topic is not None and measures:
            self.topic = replace(self.topic, measures=tuple(measures))

    def carried(self) -> str:
        """The reason a figure of a sentence that does not name the hotline is about it."""
        if self.topic is None:
            return ""
        if self._source is not None:
            return f"主语承接标题「{self._source.text}」"
        return f"主语承接上句「{self.topic.words}」"
