"""Keywords of scrubbed request text (诉求热点): what residents call about, in their own words.

Texts are segmented with jieba's part-of-speech tokenizer. A token counts as a keyword when it
is at least ``min_length`` characters long, holds a Chinese character (digits, ASCII and
punctuation are noise), is not a person's name or a numeral by its part of speech, and is not a
stop word. The placeholders the ingest's privacy scrubber leaves behind (``[手机号]``,
``[姓名]`` …) are removed before segmentation.

Two word lists ship in ``hotline/resources``: ``userdict.txt``, local hotline terms jieba must
not split (网格员, 燃气管道 …), and ``stopwords.txt``, function words and hotline boilerplate
(来电人, 反映, 希望, 相关部门 …). Callers add their own terms with ``user_words`` and replace the
stop words with ``stopwords``.

jieba is imported, and its dictionary built, on first use only; each set of user words gets its
own private ``jieba.Tokenizer`` so words added for one call never leak into another.

Example:
    >>> tokenize("来电人反映：小区燃气管道漏气，电话[手机号]，希望尽快处理。")
    ['小区', '燃气管道', '漏气']
    >>> keywords(["供暖不热，暖气片冰凉", "暖气片漏水", None], top=1).to_dict("records")
    [{'word': '暖气片', 'count': 2, 'documents': 2, 'share': 1.0}]
"""

from __future__ import annotations

import functools
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

if TYPE_CHECKING:
    from jieba.posseg import POSTokenizer

__all__ = [
    "default_stopwords",
    "default_user_words",
    "keywords",
    "keywords_by",
    "tokenize",
]

#: Words to keep whole: an iterable of words, or a path to a file in jieba's user-dict format.
UserWords: TypeAlias = Iterable[str] | os.PathLike[str]
#: Stop words: ``None`` for the packaged list, else an iterable of words or a path to a file.
StopWords: TypeAlias = Iterable[str] | os.PathLike[str] | None

#: One dictionary entry: word, frequency (``None``: let jieba suggest one), part of speech.
_Entry: TypeAlias = tuple[str, int | None, str]

_COLUMNS = ["word", "count", "documents", "share"]

# The scrubber writes ASCII-bracketed placeholders such as [手机号] and [姓名]; full-width
# brackets fold to ASCII under NFKC, so one pattern catches both spellings.
_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,12}\]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# jieba (ICTCLAS) tags: person names (nr, nrfg, nrt) must never appear in an output; numerals
# (m, mq) are noise. Everything else is left to the stop-word list, which analysts can read.
_DROPPED_TAG_PREFIXES = ("nr", "m")
# Tag for user words given without one: a proper noun, so no tag filter drops it.
_USER_TAG = "nz"
# jieba's own user-dict grammar: word, optional frequency, optional tag.
_DICT_LINE = re.compile(r"^(?P<word>.+?)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?$")


def tokenize(
    text: object,
    *,
    user_words: UserWords = (),
    stopwords: StopWords = None,
    min_length: int = 2,
) -> list[str]:
    """Keyword tokens of one text, in order, repeats kept.

    Args:
        text: A request text; ``None``, NA or blank text gives no tokens.
        user_words: Extra words to keep whole, added to the packaged hotline dictionary: words
            (optionally ``"词语 词频 词性"`` as in a jieba user dict) or a :class:`~pathlib.Path`
            to a UTF-8 file in that format (``#`` comment lines allowed).
        stopwords: Words to drop; ``None`` for the packaged list, else words or a
            :class:`~pathlib.Path` to a file of one word a line, replacing the packaged list
            (extend it with ``default_stopwords() | {...}``).
        min_length: Shortest token kept, in characters.

    Returns:
        The tokens that count as keywords.

    Example:
        >>> tokenize("市民反映：王建国在小区门口占道经营，噪音扰民。")
        ['小区', '门口', '占道经营', '噪音扰民']
        >>> tokenize("小区网格员不作为", user_words=["不作为"])
        ['小区', '网格员', '不作为']
        >>> tokenize(None)
        []
    """
    return _Segmenter.build(user_words, stopwords, min_length)(text)


def keywords(
    texts: Iterable[object],
    *,
    top: int | None = 20,
    user_words: UserWords = (),
    stopwords: StopWords = None,
    min_length: int = 2,
) -> pd.DataFrame:
    """The most widespread keywords of a set of texts.

    Args:
        texts: Request texts (a column such as ``df["content"]``); missing and blank ones are
            skipped and do not count towards ``share``.
        top: Number of keywords to return; ``None`` for all.
        user_words: Extra words to keep whole (see :func:`tokenize`).
        stopwords: Words to drop (see :func:`tokenize`).
        min_length: Shortest token kept, in characters.

    Returns:
        Columns ``word``, ``count`` (occurrences), ``documents`` (texts containing the word) and
        ``share`` (``documents`` / non-empty texts), sorted by ``documents``, then ``count``
        (both descending), then ``word`` (code-point order). ``attrs["texts"]`` is the number
        of non-empty texts.

    Example:
        >>> table = keywords(["电梯停运", "电梯停运，电梯没人管", "物业费太贵"], top=2)
        >>> table[["word", "count", "documents"]].values.tolist()
        [['电梯', 3, 2], ['停运', 2, 2]]
        >>> table.attrs["texts"]
        3
    """
    segment = _Segmenter.build(user_words, stopwords, min_length)
    present = [text for text in texts if not _is_blank(text)]
    tokens = _tokens_of_distinct(present, segment)
    count: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for words in tokens:
        count.update(words)
        documents.update(set(words))
    table = _table(count, documents, len(present))
    table = table.head(top) if top is not None else table
    table.attrs["texts"] = len(present)
    return table


def keywords_by(
    frame: pd.DataFrame,
    by: Hashable | list[Hashable],
    *,
    text: str = "content",
    top: int | None = 10,
    **options: Any,
) -> pd.DataFrame:
    """The top keywords of each group of orders, as one long table.

    Args:
        frame: Orders, e.g. ``hotline.load()``.
        by: Column or columns to group by (``"topic"``, ``["town", "topic"]``); orders with a
            missing group value form a group of their own.
        text: Column holding the text.
        top: Keywords per group; ``None`` for all.
        **options: ``user_words``, ``stopwords``, ``min_length`` as for :func:`keywords`.

    Returns:
        The ``by`` columns, then ``word``, ``count``, ``documents`` and ``share`` (within the
        group). Groups come in sorted order (a missing value last), each sorted as
        :func:`keywords` sorts; a group whose texts give no keyword has no rows.

    Example:
        >>> orders = pd.DataFrame({"topic": ["供暖", "供暖", "教育"],
        ...                        "content": ["暖气不热", "暖气漏水", "学区划分"]})
        >>> keywords_by(orders, "topic", top=1).values.tolist()
        [['供暖', '暖气', 2, 2, 1.0], ['教育', '学区划分', 1, 1, 1.0]]
    """
    keys = list(by) if isinstance(by, list) else [by]
    parts = []
    for values, group in frame.groupby(keys, dropna=False, sort=True, observed=True):
        table = keywords(group[text], top=top, **options)
        for position, (key, value) in enumerate(zip(keys, values, strict=True)):
            # a group key is a scalar; pandas-stubs types it Hashable, insert() wants Scalar
            table.insert(position, key, value)  # pyright: ignore[reportArgumentType]
        parts.append(table)
    if not parts:
        empty = _table(Counter(), Counter(), 0)
        return pd.concat([frame[keys].iloc[:0].reset_index(drop=True), empty], axis=1)
    result = pd.concat(parts, ignore_index=True)
    return result.astype({key: frame[key].dtype for key in keys})


@functools.cache
def default_stopwords() -> frozenset[str]:
    """The packaged stop words (``hotline/resources/stopwords.txt``), NFKC-folded.

    Example:
        >>> {"来电人", "相关部门", "您好"} <= default_stopwords()
        True
    """
    return frozenset(_fold(word) for word in _lines(_resource("stopwords.txt")))


@functools.cache
def default_user_words() -> tuple[str, ...]:
    """The packaged local hotline terms (``hotline/resources/userdict.txt``), in file order.

    Example:
        >>> "网格员" in default_user_words()
        True
    """
    return tuple(word for word, _, _ in _entries(_lines(_resource("userdict.txt"))))


class _Segmenter:
    """Text -> keyword tokens, for one set of user words, stop words and minimum length."""

    def __init__(self, tokenizer: POSTokenizer, stop: frozenset[str], min_length: int) -> None:
        self._tokenizer = tokenizer
        self._stop = stop
        self._min_length = min_length

    @classmethod
    def build(cls, user_words: UserWords, stopwords: StopWords, min_length: int) -> _Segmenter:
        """Resolve the options once, before a batch of texts."""
        if min_length < 1:
            raise ValueError(f"min_length 须为正整数，收到 {min_length!r}")
        # one entry per word, in a canonical order, so equal word sets share a cached tokenizer
        entries = {entry[0]: entry for entry in _entries(_words(user_words, "user_words"))}
        extra = tuple(entries[word] for word in sorted(entries))
        stop = default_stopwords() if stopwords is None else _stop_set(stopwords)
        return cls(_pos_tokenizer(extra), stop, min_length)

    def __call__(self, text: object) -> list[str]:
        if _is_blank(text):
            return []
        cleaned = _PLACEHOLDER.sub(" ", _fold(str(text)))
        return [
            pair.word for pair in self._tokenizer.cut(cleaned) if self._keep(pair.word, pair.flag)
        ]

    def _keep(self, word: str, tag: str) -> bool:
        return (
            len(word) >= self._min_length
            and not tag.startswith(_DROPPED_TAG_PREFIXES)
            and _HAN.search(word) is not None
            and word not in self._stop
        )


# A tokenizer holds jieba's whole dictionary (~100 MB): keep the packaged one and one custom set.
@functools.lru_cache(maxsize=2)
def _pos_tokenizer(extra: tuple[_Entry, ...]) -> POSTokenizer:
    """A private jieba tokenizer holding the packaged terms and ``extra``.

    The global ``jieba.dt`` is not used: words added to it would stay for every later call.
    """
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ..." on stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word, freq, tag in (*_entries(_lines(_resource("userdict.txt"))), *extra):
        tokenizer.add_word(word, freq, tag)
    return jieba.posseg.POSTokenizer(tokenizer)


def _tokens_of_distinct(
    texts: list[object], segment: Callable[[object], list[str]]
) -> list[list[str]]:
    """Tokens of each text; templated and copied texts are segmented once."""
    cache: dict[str, list[str]] = {}
    for text in texts:
        key = str(text)
        if key not in cache:
            cache[key] = segment(key)
    return [cache[str(text)] for text in texts]


def _table(count: Counter[str], documents: Counter[str], texts: int) -> pd.DataFrame:
    words = sorted(count, key=lambda word: (-documents[word], -count[word], word))
    table = pd.DataFrame(
        {
            "word": pd.Series(words, dtype="str"),
            "count": pd.Series([count[word] for word in words], dtype="int64"),
            "documents": pd.Series([documents[word] for word in words], dtype="int64"),
        }
    )
    # no texts means no words: the division is then over an empty column
    table["share"] = (table["documents"] / max(texts, 1)).astype("float64")
    return table[_COLUMNS]


def _is_blank(text: Any) -> bool:
    if text is None:
        return True
    if isinstance(text, str):
        return not text.strip()
    return bool(pd.isna(text)) if pd.api.types.is_scalar(text) else False


def _fold(text: str) -> str:
    """NFKC: full-width letters, digits and punctuation become their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


def _words(source: Iterable[str] | os.PathLike[str], name: str) -> list[str]:
    if isinstance(source, os.PathLike):
        return _lines(Path(source).read_text(encoding="utf-8-sig"))
    if isinstance(source, str):
        raise TypeError(
            f"{name} 须为词语列表或词典文件路径 (pathlib.Path)，不能是单个字符串：{source[:20]!r}"
        )
    return [word.strip() for word in source if word and word.strip()]


def _stop_set(stopwords: Iterable[str] | os.PathLike[str]) -> frozenset[str]:
    return frozenset(_fold(word) for word in _words(stopwords, "stopwords"))


def _entries(lines: Iterable[str]) -> list[_Entry]:
    """Parse user-dict lines (``word [freq] [tag]``); words are NFKC-folded like the texts."""
    entries = []
    for line in lines:
        match = _DICT_LINE.match(_fold(line.strip()))
        if match is None:
            continue
        freq = int(match["freq"]) if match["freq"] else None
        entries.append((match["word"], freq, match["tag"] or _USER_TAG))
    return entries


def _lines(text: str) -> list[str]:
    """Non-blank, non-comment lines."""
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


@functools.cache
def _resource(name: str) -> str:
    return resources.files("hotline").joinpath("resources", name).read_text(encoding="utf-8")
