"""Whether a clause's words open with an action (a verb or a preposition) or with a noun phrase.

Chinese report prose drops the subject when it goes on about the same topic: "12345热线受理诉求
9575件。督促全县医疗机构整改问题12个" — 全县医疗机构 is what the hotline urged, not who acts. A
noun phrase after a verb or a preposition (督促, 针对, 在, 向 …) is an object, so it does not start
a new subject; a noun phrase the clause opens with (全县医疗机构满意率96%) does.

Parts of speech come from jieba's tagger (``jieba.posseg``, already used by
:mod:`hotline.keywords`); its default dictionary is loaded on first use only (about a second),
and never changed. A few governance verbs it tags otherwise are listed in
:data:`hotline.claims.vocabulary.ACTION_WORDS`.

Example:
    >>> opening_action("督促全县医疗机构整改问题")
    '督促'
    >>> opening_action("全县医疗机构群众满意率")
    ''
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from hotline.claims.vocabulary import ACTION_WORDS

if TYPE_CHECKING:
    from jieba.posseg import POSTokenizer

__all__ = ["opening_action"]

# Tags that neither act nor name: time (t), numerals (m, mq), measure words (q), adverbs (d),
# conjunctions (c), particles (u…), punctuation and other symbols (x), locatives (f).
_NEUTRAL = ("t", "m", "q", "d", "c", "u", "x", "f", "y", "e", "o")
# Words that join a subject to its figure (满意率为99%, 达到99%) or date it (截至目前): no object.
_LINKS = frozenset({"是", "为", "有", "达到", "达", "实现", "保持", "占", "截至", "截止"})


@functools.cache
def _tagger() -> POSTokenizer:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ..." on stderr
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def _acts(word: str, tag: str) -> bool:
    if word in ACTION_WORDS:
        return True
    if word in _LINKS:
        return False
    return tag == "p" or (tag.startswith("v") and tag != "vn")


def opening_action(words: str, subject_from: int = 0) -> str:
    """The verb or preposition ``words`` open with, or ``""`` when they open with a noun phrase.

    Args:
        words: A clause's words, from its start to the end of the words in question.
        subject_from: Where the words that could be a subject begin; the words before are time,
            scope or qualifiers (全年, 在 …). An action there still counts: 在县委县政府的领导下
            opens with 在.

    Returns:
        The first verb or preposition before the first noun at or after ``subject_from``;
        empty when a noun (or any other word) comes first.

    Example:
        >>> opening_action("在县委县政府的领导下")
        '在'
        >>> opening_action("全年市场监管部门", subject_from=2)
        ''
    """
    position = 0
    for token in _tagger().cut(words):
        word, tag = token.word, token.flag
        end = position + len(word)
        if _acts(word, tag):
            return word
        if end > subject_from and not tag.startswith(_NEUTRAL):
            return ""
        position = end
    return ""
