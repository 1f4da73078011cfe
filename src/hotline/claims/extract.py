"""From a report's text to statements: each figure, and what it says about the hotline.

1. The text is normalised (NFKC: full-width digits, ``％`` and ``，`` become ASCII; OCR slips such
   as 平合 → 平台 are fixed). Offsets back into the original are kept, so quotes are verbatim.
2. It is cut into paragraphs (lines; a long one in pieces that end at a sentence's end), headings
   (一、 (一) 1. (1), run-in ones too: "(一)办理质效。全年…"), sentences (。!?) and clauses
   (, ; :).
3. A sentence is about the hotline when it names it (12345, 热线, 话务, 网络投诉, 留言, 接诉即办 …)
   once other hotlines (12348 法律服务热线) are masked, or when it carries the hotline subject of
   the sentence before (全年群众满意率99% after a 12345 sentence) or of a heading above it,
   until a new subject, item, paragraph or heading ends it (:mod:`hotline.claims.topic`).
   Within it, a figure is a claim when its clause names a subject or a measure; other figures
   are listed as not about the hotline. A claim about a part of the orders (城乡建设类诉求,
   涉及医疗机构的诉求) is not checkable: the data's figures are of all orders.
4. The subject (话务, 网络投诉, both, or unspecified) and the measure (受理, 办结, 办结率 …) carry
   over within a sentence: "受理话务诉求9383件,办结9268件" makes two claims about 话务. Lists
   with 分别 / 均 give each figure its measure; a figure in brackets is read on its own.
5. Qualifiers: a word before the figure (达到, 超过, 不到, 约 …), one after it (以上, 左右),
   余/多 inside it, a change word (同比增长) that makes the figure a change, not a level, or a
   comparison period (上年为) that makes it another year's.

Example:
    >>> [(s.subject, s.measure, s.figure.text) for s in extract_statements(
    ...     "受理群众话务诉求9383件,办结9268件;受理网络投诉192件,办结182件。") if s.about_hotline]
    [('hotline', 'accepted', '9383件'), ('hotline', 'closed', '9268件'), \
('online', 'accepted', '192件'), ('online', 'closed', '182件')]
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from hotline.claims.grammar import opening_action
from hotline.claims.numbers import Figure, find_figures
from hotline.claims.topic import Change, Heading, Thread, Topic, quoted, residue, residue_runs
from hotline.claims.vocabulary import (
    ALL_OF,
    BENCHMARK,
    CHANGE,
    EARLIER,
    HEADING_MARKS,
    MEASURE_WORDS,
    MEASURES,
    OCR_FIXES,
    ORDER_UNITS,
    OTHER_HOTLINE,
    OTHER_SUBJECT,
    PART_SCOPE,
    PLATFORM_PHRASE,
    QUALIFIER_SUFFIXES,
    QUALIFIER_WORDS,
    RELEVANT,
    RESPECTIVELY,
    SUB_SCOPE,
    SUBJECT_WORDS,
    TOPIC_MARKER,
    alternation,
)
from hotline.ingestion.privacy import safe_quote

__all__ = [
    "Normalised",
    "Piece",
    "Statement",
    "extract_statements",
    "normalise",
    "read_statements",
]

_SENTENCE = re.compile(r"[^。!?]+")
_HEADING_LENGTH = 40
_HEADING_QUOTE = 20
_RUN_IN_END = re.compile(r"[。!?:]")
_SUBJECT = alternation(SUBJECT_WORDS)
_MEASURE = alternation(MEASURE_WORDS)
_QUALIFIER = alternation(QUALIFIER_WORDS)
_SUFFIX = re.compile(r"\s*(" + "|".join(QUALIFIER_SUFFIXES) + ")")
_SPECIFIC = ("hotline", "online", "total")
_MORE = re.compile("[余多]")
_LIST_MARK = re.compile(f"{RESPECTIVELY}|{ALL_OF.pattern}")
_SHARE = "占"


@dataclass(frozen=True)
class Normalised:
    """A text after NFKC and OCR fixes, with the way back to the original.

    Attributes:
        text: The normalised text.
        original: The text as read.
        offsets: For each position of ``text`` (and one past its end), the original position.
    """

    text: str
    original: str
    offsets: tuple[int, ...]

    def quote(self, start: int, end: int) -> str:
        """The original text behind ``text[start:end]``, stripped, personal numbers hidden.

        A report may print a phone or ID-card number; quotes never repeat one.
        """
        quoted = self.original[self.offsets[start] : self.offsets[end]].strip()
        return safe_quote(quoted)

    def line(self, start: int) -> int:
        """1-based line number of ``text[start]`` in the original."""
        return self.original.count("\n", 0, self.offsets[start]) + 1


def normalise(text: str) -> Normalised:
    """NFKC (character by character, to keep offsets) and the OCR fixes of the vocabulary.

    Example:
        >>> n = normalise("热线平合受理９３８３件，办结率９５％")
        >>> n.text
        '热线平台受理9383件,办结率95%'
        >>> n.quote(4, 11)
        '受理９３８３件'
    """
    text = text.removeprefix("\ufeff")
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    offsets.append(len(text))
    normalised = "".join(pieces)
    for pattern, fixed in OCR_FIXES:
        normalised = pattern.sub(fixed, normalised)  # same length: offsets stay valid
    return Normalised(normalised, text, tuple(offsets))


@dataclass(frozen=True)
class Piece:
    """A paragraph of a report, or a part of a long one, as read from its file.

    Attributes:
        line: 1-based line of the file (for a .docx, its paragraph or table row).
        text: The text, without its line break.
        continued: Whether it goes on with the paragraph of the piece before: a long paragraph
            is read in pieces that end at a sentence's end (:mod:`hotline.claims.report_file`).
    """

    line: int
    text: str
    continued: bool = False


@dataclass(frozen=True)
class Statement:
    """A figure of the report and how it reads.

    Attributes:
        figure: The figure (offsets into the normalised text).
        text: The figure as written in the original.
        quote: Its clause as written in the original.
        line: 1-based line of the figure in the original.
        about_hotline: Whether it is a claim about the 12345 hotline.
        subject: ``hotline`` (话务), ``online`` (网络投诉), ``total`` or ``unspecified``.
        measure: A key of :data:`hotline.claims.vocabulary.MEASURES`, if one was recognised.
        qualifier: A key of :data:`hotline.claims.vocabulary.QUALIFIERS`.
        qualifier_word: The word that set the qualifier (达到, 以上 …), empty for a plain figure.
        problem: Why the figure cannot be read as a claim (Chinese), empty if it can.
        context: How the paragraph decided it (Chinese): for a claim in a sentence that does
            not name the hotline, why it is the hotline's (主语承接上句「12345热线」); for a
            figure with a measure that is not, why the hotline subject ended (新主语「全县GDP」,
            另起一段 …); empty when the sentence itself says.
    """

    figure: Figure
    text: str
    quote: str
    line: int
    about_hotline: bool
    subject: str | None = None
    measure: str | None = None
    qualifier: str = "exact"
    qualifier_word: str = ""
    problem: str = ""
    context: str = ""


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    code: str


@dataclass
class _Sentence:
    """One sentence being read: its figures, clauses and keywords (offsets within it)."""

    text: str
    masked: str
    figures: list[Figure]
    cuts: list[int] = field(default_factory=list)
    subjects: list[_Word] = field(default_factory=list)
    measures: list[_Word] = field(default_factory=list)

    @classmethod
    def read(cls, text: str) -> _Sentence:
        masked = OTHER_HOTLINE.sub(lambda m: "□" * len(m.group()), text)
        figures = find_figures(text)
        inside = {i for f in figures for i in range(f.start, f.end)}
        cuts = [i for i, ch in enumerate(text) if ch in ",;:" and i not in inside]
        return cls(
            text,
            masked,
            figures,
            cuts,
            [
                _Word(m.start(), m.end(), SUBJECT_WORDS[m.group()])
                for m in _SUBJECT.finditer(masked)
            ],
            [
                _Word(m.start(), m.end(), MEASURE_WORDS[m.group()])
                for m in _MEASURE.finditer(masked)
            ],
        )

    def clause(self, position: int) -> tuple[int, int]:
        """Start and end of the clause around ``position``."""
        index = bisect.bisect_right(self.cuts, position)
        start = self.cuts[index - 1] + 1 if index else 0
        end = self.cuts[index] if index < len(self.cuts) else len(self.text)
        return start, end

    def in_clause(self, figure: Figure) -> list[Figure]:
        return self.in_clause_range(*self.clause(figure.start))

    def in_clause_range(self, start: int, end: int) -> list[Figure]:
        return [f for f in self.figures if start <= f.start < end]

    def bracket(self, figure: Figure) -> int | None:
        """Where the bracket ``figure`` stands in opens (办结9268件(同比增长5%)), if in one."""
        start, _ = self.clause(figure.start)
        opened = self.text.rfind("(", start, figure.start)
        if opened < 0 or ")" in self.text[opened : figure.start]:
            return None
        return opened

    def outside_brackets(self, figures: list[Figure]) -> list[Figure]:
        return [f for f in figures if self.bracket(f) is None]

    def window_start(self, figure: Figure) -> int:
        """Where the words that qualify ``figure`` may begin: after the previous figure.

        In a bracket, not before it opens: 受理9383件(同比增长5%) is a change, 受理 its measure.
        """
        start, _ = self.clause(figure.start)
        earlier = [f.end for f in self.in_clause(figure) if f.end <= figure.start]
        opened = self.bracket(figure)
        return max([start, *earlier, -1 if opened is None else opened])

    def names_something(self, figure: Figure) -> bool:
        start, end = self.clause(figure.start)
        words = [*self.subjects, *self.measures]
        return any(start <= w.start < end for w in words) or bool(
            RELEVANT.search(self.masked, start, end)
        )

    def read_words(self, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the subjects, measures and figures in ``text[start:end]``, from ``start``."""
        words = (*self.subjects, *self.measures, *self.in_clause_range(start, end))
        return [
            (w.start - start, w.end - start) for w in words if start <= w.start and w.end <= end
        ]

    def part(self, figure: Figure) -> str:
        """Words before ``figure`` in its sentence that make it about a part of the orders.

        城乡建设类, 涉及医疗机构的, 向县人社局转办: the figures after them in the sentence are of
        that part (向县人社局转办诉求300件，办结率95%: the 95% is of the 300).
        """
        found = PART_SCOPE.search(self.masked, 0, figure.start)
        return "" if found is None else self.text[found.start() : found.end()]

    def measure(self, figure: Figure) -> _Word | None:
        """The nearest measure named before ``figure``.

        In 办结9268件,占受理量的98.77% the share is of the count before 占 (办结), not of the
        measure after it.
        """
        until = figure.start
        if figure.number.percent:
            share = self.masked.rfind(_SHARE, self.clause(figure.start)[0], figure.start)
            until = until if share < 0 else share
        before = [w for w in self.measures if w.end <= until]
        return before[-1] if before else None

    def respectively(self, figure: Figure) -> int | None:
        """Position after 分别 when ``figure`` is one of the figures that follow it.

        A figure in brackets (同比增长12.3%) is not one of them.
        """
        if self.bracket(figure) is not None:
            return None
        start, _ = self.clause(figure.start)
        found = self.masked.rfind(RESPECTIVELY, start, figure.start)
        return None if found < 0 else found + len(RESPECTIVELY)

    def subject(self, figure: Figure, default: str = "unspecified") -> str:
        """The subject of ``figure``: named next to it, else carried over from before.

        ``default`` is the subject carried from an earlier sentence, when this one names none.
        """
        start = self.window_start(figure)
        # a bracket closed before the figure is an aside: 受理9575件(其中网络投诉192件)，办结率…
        # is the whole's 办结率, not the online messages'
        spoken = [w for w in self.subjects if not self._aside(w.start, figure.start)]
        before = [w for w in spoken if start <= w.start and w.end <= figure.start]
        codes = {w.code for w in before}
        if "total" in codes or {"hotline", "online"} <= codes:
            return "total"
        specific = [w.code for w in before if w.code in _SPECIFIC]
        if specific:
            return specific[-1]
        following = [f.start for f in self.in_clause(figure) if f.start > figure.start]
        stop = following[0] if following else self.clause(figure.start)[1]
        opened = self.text.find("(", figure.end, stop)
        if opened >= 0:  # 受理9575件(其中话务9383件): the bracket names its own figures' subject
            stop = opened
        after = [
            w.code
            for w in self.subjects
            if figure.end <= w.start and w.end <= stop and w.code in _SPECIFIC
        ]
        if after:
            return after[0]
        if before:  # only 12345 / 热线 next to the figure
            return before[-1].code
        earlier = [w.code for w in spoken if w.end <= figure.start]
        return earlier[-1] if earlier else default

    def _aside(self, at: int, until: int) -> bool:
        """Whether position ``at`` lies in a bracket that closes before ``until``."""
        opened = self.text.rfind("(", 0, at)
        if opened < 0 or self.text.rfind(")", opened, at) >= 0:
            return False
        closed = self.text.find(")", at)
        return 0 <= closed < until

    def respective_subject(self, figure: Figure, after: int) -> tuple[str | None, str]:
        """Subject of the figure's place among those after 分别, or why there is none."""
        group = self.outside_brackets([f for f in self.in_clause(figure) if f.start >= after])
        named: list[str] = []
        for word in self.subjects:
            if word.end <= after and word.code in _SPECIFIC and word.code not in named:
                named.append(word.code)
        if len(named) != len(group):
            return (
                None,
                f"「分别」后有 {len(group)} 个数字，前文列出 {len(named)} 个对象，无法一一对应",
            )
        return named[group.index(figure)], ""

    def listed(self, figure: Figure) -> tuple[str, list[_Word]]:
        """The measures listed before 分别 / 均 ahead of ``figure``, and the word that follows them.

        受理、办结、满意率分别为… lists three measures for three figures; 办复率、满意率均达100%
        two for one. Only measures since the clause's last figure before the word count.
        """
        clause_start, _ = self.clause(figure.start)
        marks = list(_LIST_MARK.finditer(self.masked, clause_start, figure.start))
        if not marks or self.bracket(figure) is not None:
            return "", []
        mark = marks[-1]
        before = [f.end for f in self.in_clause(figure) if f.end <= mark.start()]
        start = max([clause_start, *before])
        return mark.group(), [
            w for w in self.measures if start <= w.start and w.end <= mark.start()
        ]

    def qualifier(self, figure: Figure, start: int, end: int) -> tuple[str, str]:
        """Qualifier of ``figure`` from the words in ``masked[start:end]`` and after it."""
        window = self.masked[start:end]
        change = CHANGE.search(window)
        if change or "百分点" in figure.number.unit:
            return "change", change.group() if change else figure.number.unit
        earlier = EARLIER.search(window)
        if earlier:
            return "earlier", earlier.group()
        benchmark = BENCHMARK.search(window)
        if benchmark:
            return "benchmark", benchmark.group()
        suffix = _SUFFIX.match(self.masked, figure.end)
        if suffix:
            return QUALIFIER_SUFFIXES[suffix.group(1)], suffix.group(1)
        more = _MORE.search(figure.text)
        if more:
            return "more_than", more.group()
        words = list(_QUALIFIER.finditer(window))
        if words:
            return QUALIFIER_WORDS[words[-1].group()], words[-1].group()
        return "exact", ""


class _Reading(TypedDict):
    """What :func:`_reading` finds, as keyword arguments of :class:`Statement`."""

    subject: str | None
    measure: str | None
    qualifier: str
    qualifier_word: str
    problem: str
    context: str


@dataclass(frozen=True)
class _Carried:
    """What an earlier sentence gives a figure of this one: its subject, maybe its measure."""

    subject: str = "unspecified"
    measures: tuple[tuple[str, str], ...] = ()
    context: str = ""
    ended: str = ""  # why the figure's clause is not about the hotline, when it is not

    def measure(self, figure: Figure) -> tuple[_Word, str] | None:
        """The first measure of the sentence before of the figure's kind (count or rate)."""
        kind = "rate" if figure.number.percent else "count"
        for key, words in self.measures:
            if MEASURES[key].kind == kind:
                return _Word(-1, -1, key), words
        return None


def _readings(sentence: _Sentence, figure: Figure, carried: _Carried) -> list[_Reading]:
    """Subject, measure, qualifier and any problem of a figure about the hotline.

    Usually one reading; one per measure when the figure follows a list and 均 (办复率、满意率均达
    100%).
    """
    measure = sentence.measure(figure)
    inherited = carried.measure(figure) if measure is None else None
    if inherited is not None:
        measure = inherited[0]
    start = sentence.window_start(figure)
    if measure is not None and start < measure.end <= figure.start:
        start = measure.end
    end, problem = figure.start, ""
    mark, listed = sentence.listed(figure)
    measures = [measure]
    after = sentence.respectively(figure)
    if after is not None:
        # every figure after 分别 takes the qualifier written between 分别 and the first one
        group = sentence.outside_brackets(
            [f for f in sentence.in_clause(figure) if f.start >= after]
        )
        if len(listed) > 1:  # 受理、办结、满意率分别为 9575件、9450件、90.63%
            subject = sentence.subject(figure, carried.subject)
            if len(listed) == len(group):
                measures = [listed[group.index(figure)]]
            else:
                problem = (
                    f"「分别」后有 {len(group)} 个数字，前文列出 {len(listed)} 个指标，无法一一对应"
                )
        else:
            subject, problem = sentence.respective_subject(figure, after)
        start, end = after, group[0].start
    else:
        subject = sentence.subject(figure, carried.subject)
        if mark != RESPECTIVELY and len(listed) > 1:
            measures = listed
    qualifier, word = sentence.qualifier(figure, start, end)
    readings: list[_Reading] = []
    for each in measures:
        key, unit_problem = _fit_measure(None if each is None else each.code, figure)
        if qualifier == "change":  # a change is reported as such, whatever its unit
            unit_problem = ""
        context = carried.context
        if inherited is not None:
            context += ("；" if context else "") + f"指标承接上句「{inherited[1]}」"
        readings.append(
            {
                "subject": subject,
                "measure": key,
                "qualifier": qualifier,
                "qualifier_word": word,
                "problem": problem or unit_problem,
                "context": context,
            }
        )
    return readings


def _fit_measure(key: str | None, figure: Figure) -> tuple[str | None, str]:
    """The measure a figure of this kind states (办结 98% is 办结率), or why none fits."""
    if key is None:
        return None, "未能识别数字对应的指标（受理、办结、办结率……）"
    measure, number = MEASURES[key], figure.number
    if measure.kind == "count" and number.percent:
        if measure.as_rate is None:
            return key, f"百分比不适用于{measure.zh}"
        return measure.as_rate, ""
    if measure.kind == "rate" and not number.percent:
        return key, f"{measure.zh}应为百分比，文中数字不是百分比"
    if measure.kind == "count" and measure.held and number.unit not in ORDER_UNITS:
        return key, f"单位「{number.unit}」不是工单的计数单位"
    return key, ""


def _heading(text: str, first: bool) -> tuple[int, int] | None:
    """The level of the heading a line opens with and where it ends, or ``None``.

    A numbered line is a heading (:data:`HEADING_MARKS`); its words run to the first 。: ! ? (a
    run-in heading: "(一)办理质效。全年办结率…", the rest is its first paragraph), or to the end
    of a short line, or are the number alone when the line goes straight into a sentence. A
    short line without a number or sentence punctuation is a heading too: the report's title
    (level 0) when it is the first line, else the innermost level. 公文 number their headings;
    an unnumbered line is a caption (表1 …, 单位：件), a date or a signature, which ends the
    subject of a sentence before it but not that of a numbered heading above it.
    """
    for level, mark in enumerate(HEADING_MARKS):
        number = mark.match(text)
        if number is None:
            continue
        rest = text[number.end() :]
        stop = _RUN_IN_END.search(rest)
        if stop is not None and stop.start() <= _HEADING_LENGTH:
            return level, number.end() + stop.end()
        if len(rest.strip()) <= _HEADING_LENGTH and not re.search(r"[;,]", rest):
            return level, len(text)
        return level, number.end()
    if len(text.strip()) <= _HEADING_LENGTH and not re.search(r"[。!?;,]", text):
        return (0 if first else len(HEADING_MARKS)), len(text)
    return None


def _topic(sentence: _Sentence) -> Topic:
    """The hotline as this sentence names it: the platform (12345…热线), or its one channel.

    The platform, or both channels, carry as unspecified (read as 话务 and as the combined
    figure); one channel named alone (网络投诉方面…) carries as that channel.
    """
    platform = PLATFORM_PHRASE.search(sentence.masked)
    if platform is not None:
        return Topic(
            "unspecified", quoted(sentence.text[platform.start() : platform.end()], _HEADING_QUOTE)
        )
    channels = [w for w in sentence.subjects if w.code in _SPECIFIC]
    codes = {w.code for w in channels}
    words = "、".join(dict.fromkeys(sentence.text[w.start : w.end] for w in channels))
    if len(codes) == 1:
        return Topic(channels[0].code, sentence.text[channels[0].start : channels[0].end])
    return Topic("unspecified", words or "12345热线")


def _subject_words(sentence: _Sentence, start: int, end: int, other: re.Match[str]) -> str:
    """Another subject as a reason quotes it.

    The clause's opening words when they hold it (城镇居民人均可支配收入, “一网通办”平台), else
    the run of unread words around it (县信访局 after 在县委县政府的领导下), else the words matched.
    """
    figures = sentence.in_clause_range(start, end)
    upto = max(figures[-1].end if figures else end, other.end())
    known = sentence.read_words(start, upto)
    opening = residue(sentence.masked[start:upto], known, sentence.text[start:upto])
    if other.group() in opening:
        return opening
    for run_start, run_end in residue_runs(sentence.masked[start:upto], known):
        if run_start <= other.start() - start and other.end() - start <= run_end:
            return quoted(sentence.text[start + run_start : start + run_end])
    return quoted(other.group())


class _Reader:
    """Reads a report's paragraphs in order, following the hotline subject (:class:`Thread`)."""

    def __init__(self) -> None:
        self.document = normalise("")
        self.thread = Thread()
        self.statements: list[Statement] = []
        self.line = 0
        self.started = False  # a non-blank line has been read: the next heading is no title

    def piece(self, piece: Piece) -> None:
        """Read one paragraph, or the next piece of a long one (``piece.continued``)."""
        self.document, self.line = normalise(piece.text), piece.line
        text = self.document.text
        if not text.strip():
            return
        body = 0
        if not piece.continued:
            found = _heading(text, first=not self.started)
            self.started = True
            if found is not None:
                level, body = found
                self.heading(level, text[:body])
            if text[body:].strip():  # a heading alone leaves its cut to the next paragraph
                self.thread.new_paragraph()
        for match in _SENTENCE.finditer(text, body):
            self.sentence(match.start(), _Sentence.read(match.group()))

    def heading(self, level: int, text: str) -> None:
        """A heading: the subject it names, or ends, and the figures it holds."""
        read = _Sentence.read(text)
        topic = _topic(read) if RELEVANT.search(read.masked) else None
        other = OTHER_SUBJECT.search(read.masked)
        self.thread.heading(
            Heading(
                level,
                quoted(text.strip().rstrip("。!?:"), _HEADING_QUOTE),
                topic,
                "" if other is None else quoted(read.text[other.start() : other.end()]),
            )
        )
        for match in _SENTENCE.finditer(text):
            self.sentence(match.start(), _Sentence.read(match.group()))

    def sentence(self, offset: int, sentence: _Sentence) -> None:
        thread = self.thread
        marker = TOPIC_MARKER.match(sentence.masked)
        thread.start_sentence(marker.group() if marker else "")
        named = bool(RELEVANT.search(sentence.masked))
        carried = _Carried()
        topic = thread.topic
        sub_scope = SUB_SCOPE.match(sentence.masked) is not None
        if topic is not None:
            measures = topic.measures if sub_scope else ()  # 受理9575件。其中话务9383件
            carried = _Carried(topic.subject, measures, "" if named else thread.carried())
        if named and not (sub_scope and topic is not None):  # 其中…: a part, not a new subject
            thread.name(_topic(sentence))
        clauses = sorted({sentence.clause(f.start) for f in sentence.figures})
        first = sentence.clause(0)
        for clause in dict.fromkeys([first, *clauses]):
            on, why = self.clause(sentence, clause, named, clause == first)
            for figure in sentence.in_clause_range(*clause):
                self.figure(offset, sentence, figure, on, replace(carried, ended=why))
        if thread.topic is not None and not sub_scope:
            thread.remember([(w.code, sentence.text[w.start : w.end]) for w in sentence.measures])

    def clause(
        self, sentence: _Sentence, clause: tuple[int, int], named: bool, first: bool
    ) -> tuple[bool, str]:
        """Whether the hotline is still the subject in this clause, and if not, why.

        Ends the subject when the clause names another one; the reason is for its figures.
        """
        start, end = clause
        thread = self.thread
        if RELEVANT.search(sentence.masked, start, end):
            if thread.topic is None:
                thread.name(_topic(sentence))
            return True, ""
        if thread.topic is None and not thread.ended:
            return False, ""  # no subject in this paragraph: nothing to say about it
        change = self.change(sentence, clause, named, first)
        if thread.topic is None:
            return False, thread.ended_by(change)
        if change is not None:
            thread.end(change)
            return False, thread.ended
        return True, ""

    def change(
        self, sentence: _Sentence, clause: tuple[int, int], named: bool, first: bool
    ) -> Change | None:
        """Another subject (or another body's matter) this clause names, if any.

        Another body or indicator (:data:`OTHER_SUBJECT`) anywhere; in a sentence that does
        not name the hotline, also any noun phrase the clause opens with (全县医疗机构满意率96%),
        but not one after a verb or a preposition (督促全县医疗机构…, 针对…): that is an object.
        """
        start, end = clause
        parts = [m.span() for m in PART_SCOPE.finditer(sentence.masked, start, end)]
        other = next(
            (
                m
                for m in OTHER_SUBJECT.finditer(sentence.masked, start, end)
                if not any(a <= m.start() and m.end() <= b for a, b in parts)
            ),
            None,
        )  # 向县人社局转办: a part of the hotline's orders, not another body's
        if other is not None:
            action = opening_action(sentence.text[start : other.end()])
            if action:  # 根据县信访局通报: the body itself, not the phrase around it
                return Change(quoted(sentence.text[other.start() : other.end()]), action)
            return Change(_subject_words(sentence, start, end, other))
        figures = sentence.in_clause_range(start, end)
        marker = TOPIC_MARKER.match(sentence.masked) if start == 0 else None
        if named or not (figures or first) or (marker is not None and not figures):
            return None  # an item's title (二是办理质效提升，…) is a part of the topic
        upto = figures[-1].end if figures else end
        known = sentence.read_words(start, upto)
        known += [(a - start, b - start) for a, b in parts if b <= upto]  # 城乡建设类诉求
        if marker is not None:
            known.append(marker.span())
        runs = residue_runs(sentence.masked[start:upto], known)
        if not runs:
            return None
        run_start, run_end = runs[0]
        if opening_action(sentence.text[start : start + run_end], run_start):
            return None  # 督促全县医疗机构整改: an object; the hotline goes on
        return Change(residue(sentence.masked[start:upto], known, sentence.text[start:upto]))

    def figure(
        self, offset: int, sentence: _Sentence, figure: Figure, on: bool, carried: _Carried
    ) -> None:
        document = self.document
        start, end = offset + figure.start, offset + figure.end
        clause = sentence.clause(figure.start)
        common: dict[str, Any] = {
            "figure": figure,
            "text": document.quote(start, end),
            "quote": document.quote(offset + clause[0], offset + clause[1]),
            "line": self.line,
        }
        names = sentence.names_something(figure) or (on and carried.measure(figure) is not None)
        if on and names:
            part = sentence.part(figure)
            for reading in _readings(sentence, figure, carried):
                if part and not reading["problem"]:
                    reading["problem"] = (
                        f"「{quoted(part)}」只是部分工单，数据按全部工单计算，无法核对"
                    )
                self.statements.append(Statement(about_hotline=True, **common, **reading))
            return
        context = carried.ended if names else ""
        self.statements.append(Statement(about_hotline=False, **common, context=context))


def _pieces_of(text: str) -> Iterator[Piece]:
    """A text's lines as pieces, numbered from 1 (a line ends at a line feed, as in files)."""
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        yield Piece(number, line)


def read_statements(pieces: Iterable[Piece]) -> Iterator[Statement]:
    """Every figure of a report read piece by piece, in order (as :func:`extract_statements`).

    Memory does not grow with the report: only the piece being read and the subject carried
    over from it are held (:mod:`hotline.claims.report_file` reads a file in such pieces).

    Example:
        >>> pieces = [Piece(1, "二、12345热线运行情况"), Piece(2, "(一)办理质效。办结率95%。")]
        >>> [(s.line, s.measure, s.context) for s in read_statements(pieces)]
        [(2, 'closure_rate', '主语承接标题「二、12345热线运行情况」')]
    """
    reader = _Reader()
    for piece in pieces:
        reader.piece(piece)
        yield from reader.statements
        reader.statements.clear()


def extract_statements(text: str) -> list[Statement]:
    """Every figure of a text, read as a claim about the hotline or listed as not about it.

    Args:
        text: The report, as read from its file.

    Example:
        >>> [(s.about_hotline, s.measure, s.qualifier, s.figure.text) for s in
        ...  extract_statements("12345便民热线办结率达到95%。下放行政职权20 项。")]
        [(True, 'closure_rate', 'at_least', '95%'), (False, None, 'exact', '20 项')]

        The hotline subject carries to the next sentence until another one starts:

        >>> [(s.text, s.about_hotline, s.context) for s in extract_statements(
        ...     "12345热线受理诉求9575件。全年满意率99%。全县GDP增长8%,满意率95%。")][1:]
        [('99%', True, '主语承接上句「12345热线」'), ('8%', False, ''), \
('95%', False, '新主语「全县GDP」，不再承接上文「12345热线」')]
    """
    return list(read_statements(_pieces_of(text)))
