"""The hotline as the subject of a paragraph: when it carries to the next sentence, when it ends.

A report names the 12345 hotline once and goes on about it: "12345热线受理话务诉求9383件,办结
9268件。全年群众满意率99%,按时办结率99.5%。" The second sentence's subject is the hotline, carried
over from the first. A reader stops carrying it when the topic changes:

* a new paragraph (a line break) or a heading;
* a new item of the report (二是, (三), 2., 其次 …) at the start of a sentence;
* another subject: another body or indicator (信访, 人大代表建议, GDP, 县人社局, 12348 热线 …),
  or, in a sentence that does not name the hotline, any word before or around a clause's
  figures that is not a time, a measure, a qualifier or one of the hotline's own words
  (全县GDP增长8%, 城镇居民人均可支配收入3.2万元).

:class:`Thread` follows the subject through one paragraph, clause by clause, and says why a
figure is (or is no longer) about the hotline.

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

__all__ = ["Thread", "Topic", "residue"]

_SAFE = (
    EARLIER,  # before 为 is read as a qualifier: 上年为 needs it
    CHANGE,
    alternation([*QUALIFIER_WORDS, *QUALIFIER_SUFFIXES, RESPECTIVELY]),
    CARRY_WORDS,
)
_BLANK = " "
_QUOTE_LENGTH = 12
_OPENING = "“‘《〈\"'"


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
    chars = list(text)
    for start, end in known:
        chars[start:end] = _BLANK * (end - start)
    for pattern in _SAFE:
        for match in pattern.finditer("".join(chars)):
            chars[match.start() : match.end()] = _BLANK * (match.end() - match.start())
    runs = list(re.finditer(r"[^ ]+", "".join(chars)))
    if not runs:
        return ""
    first = runs[0].start()
    if first and text[first - 1] in _OPENING:  # “一网通办”平台: quote the mark that opens it
        first -= 1
    # the words up to the first figure or measure after them: the clause's own subject
    stop = min([s for s, _ in known if s > first], default=len(text))
    last = max(run.end() for run in runs if run.start() < stop)
    quote = (original or text)[first:last].strip()
    return quote if len(quote) <= _QUOTE_LENGTH else quote[:_QUOTE_LENGTH] + "…"


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


@dataclass
class Thread:
    """The hotline subject through one paragraph.

    Attributes:
        topic: The subject carried into the next sentence, ``None`` when none is.
        ended: Why the last subject stopped carrying (Chinese), for figures that would otherwise
            have been read as the hotline's; empty when no subject ended in this paragraph.

    Example:
        >>> thread = Thread()
        >>> thread.name(Topic("unspecified", "12345热线"))
        >>> thread.carried()
        '主语承接上句「12345热线」'
        >>> thread.end("新主语「全县GDP」")
        >>> thread.topic, thread.ended
        (None, '新主语「全县GDP」，不再承接上文「12345热线」')
    """

    topic: Topic | None = None
    ended: str = ""
    # (heading, words) of a subject a heading line cut
    _cut: tuple[str, str] | None = field(default=None, init=False, repr=False)
    _in_heading: str = field(default="", init=False, repr=False)  # the heading line being read
    # the heading that named the hotline: the paragraph under it is about the hotline
    _heading: str = field(default="", init=False, repr=False)

    def new_paragraph(self, heading: str = "") -> None:
        """A new non-blank line, ``heading`` when it is one: nothing carries over it.

        The figures of the next body paragraph are told why, when a subject was cut. A heading
        that names the hotline (一、12345热线运行情况) is the subject of the paragraph under it.
        """
        if heading:
            if self.topic is not None:
                self._cut = (heading, self.topic.words)
            self.topic, self.ended, self._in_heading = None, "", heading
            return
        from_heading, self._in_heading = self._in_heading, ""
        if from_heading and self.topic is not None:
            self._heading, self.ended, self._cut = from_heading, "", None
            return
        if self._cut is not None:
            self.ended = f"标题「{self._cut[0]}」之后，不承接上文「{self._cut[1]}」"
        elif self.topic is not None:
            self.ended = f"另起一段，不承接上段「{self.topic.words}」"
        else:
            self.ended = ""
        self.topic, self._cut, self._heading = None, None, ""

    def start_sentence(self, marker: str) -> None:
        """A sentence opening with an item marker (二是, (三)) ends the subject."""
        if marker and self.topic is not None:
            self.end(f"新的分项「{marker.strip()}」")

    def end(self, why: str) -> None:
        """The subject stops carrying, for ``why`` (Chinese)."""
        if self.topic is not None:
            self.ended = f"{why}，不再承接上文「{self.topic.words}」"
        self.topic, self._heading = None, ""

    def name(self, topic: Topic) -> None:
        """A sentence named the hotline: it is the subject from here on."""
        self.topic, self.ended, self._heading = topic, "", ""

    def remember(self, measures: list[tuple[str, str]]) -> None:
        """The measures a sentence named, for a following 其中 sentence."""
        if self.topic is not None and measures:
            self.topic = replace(self.topic, measures=tuple(measures))

    def carried(self) -> str:
        """The reason a figure of a sentence that does not name the hotline is about it."""
        if self.topic is None:
            return ""
        if self._heading:
            return f"主语承接标题「{self._heading}」"
        return f"主语承接上句「{self.topic.words}」"
