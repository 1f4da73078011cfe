"""Keywords of request text: tokenization forms, counting invariants, the sample county."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import load
from hotline.ingestion.privacy import scrub_identifiers, scrub_text
from hotline.keywords import (
    default_stopwords,
    default_user_words,
    keywords,
    keywords_by,
    tokenize,
)
from orders import frame

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PLACEHOLDER = re.compile(r"\[([^\]]+)\]")
NOTHING = ()  # an empty stop-word list: what is dropped then is dropped by the tokenizer itself


# --- tokenize: messy input forms ---------------------------------------------------------------


def _scrubbed(text: str) -> str:
    """``text`` as the ingest leaves it: numbers scrubbed, then the caller's own name."""
    numbers = scrub_text(pa.array([text]))
    return scrub_identifiers(numbers, pa.array(["张三丰"]), "[姓名]")[0].as_py()


RAW_WITH_PII = (
    "我是张三丰，电话13812345678，座机024-23456789，身份证210123198001011234，"
    "卡号6222 0212 3456 7890 123，邮箱zhang.san@qq.com，QQ号12345678，反映暖气不热"
)


def test_scrubber_placeholders_are_removed() -> None:
    scrubbed = _scrubbed(RAW_WITH_PII)
    placeholders = PLACEHOLDER.findall(scrubbed)
    assert len(placeholders) >= 6, scrubbed  # the scrubber did its part
    tokens = tokenize(scrubbed, stopwords=NOTHING)
    # labels such as 电话 stay; only the bracketed placeholders go, each a word boundary
    assert tokens == tokenize(PLACEHOLDER.sub(" ", scrubbed), stopwords=NOTHING)
    assert "暖气" in tokens and not any("[" in t or "]" in t for t in tokens)


@pytest.mark.parametrize(
    "placeholder",
    ["[手机号]", "[电话]", "[身份证号]", "[银行卡号]", "[邮箱]", "[QQ号]", "[姓名]", "[留言用户]"],
)
@pytest.mark.parametrize("form", ["{p}", "{p}反映", "联系{p}路灯", "{wide}"])
def test_each_placeholder_form_is_removed(placeholder: str, form: str) -> None:
    wide = placeholder.replace("[", "［").replace("]", "］")  # full-width brackets
    text = form.format(p=placeholder, wide=wide)
    inner = placeholder.strip("[]")
    tokens = tokenize(text, stopwords=NOTHING)
    assert inner not in tokens and not any("[" in t or "]" in t for t in tokens)
    # the surrounding words survive: the placeholder is cut out, not the text around it
    surrounding = PLACEHOLDER.sub(" ", unicodedata.normalize("NFKC", text))
    assert tokens == tokenize(surrounding, stopwords=NOTHING)


@pytest.mark.parametrize(
    ("text", "dropped", "kept"),
    [
        ("来电人反映：希望相关部门尽快处理，谢谢", ["来电", "反映", "希望", "处理"], []),
        ("市民来电反映小区暖气不热", ["市民", "来电", "反映"], ["小区", "暖气"]),
        ("您好，工作人员答复说问题已经解决", ["您好", "工作人员", "答复", "问题"], []),
        ("要求有关部门督促物业公司维修电梯", ["要求", "督促"], ["物业公司", "电梯"]),
    ],
)
def test_stop_words_are_removed(text: str, dropped: list[str], kept: list[str]) -> None:
    without_list = tokenize(text, stopwords=NOTHING)
    assert set(dropped) <= set(without_list)  # the tokenizer alone keeps them ...
    tokens = tokenize(text)
    assert not set(tokens) & default_stopwords()  # ... the packaged list drops them
    assert set(kept) <= set(tokens)


@pytest.mark.parametrize("word", default_user_words())
@pytest.mark.parametrize("context", ["{w}", "市民反映{w}问题", "小区{w}严重", "关于{w}的咨询"])
def test_packaged_terms_stay_whole(word: str, context: str) -> None:
    assert word in tokenize(context.format(w=word), stopwords=NOTHING)


@pytest.mark.parametrize(
    "user_words",
    [
        ["不作为"],
        ("不作为", "飞线"),
        ["  不作为  ", ""],
        ["不作为 nz"],
        ["不作为 50000"],
        ["不作为"] * 3,
    ],
)
def test_user_words_are_kept_whole(user_words: object) -> None:
    text = "小区网格员不作为"
    assert "不作为" not in tokenize(text)  # jieba alone splits it
    assert "不作为" in tokenize(text, user_words=user_words)


def test_user_words_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "本地词典.txt"
    path.write_text("# 本地词典\n\n不作为\n私拉电线 3 v\n", encoding="utf-8")
    tokens = tokenize("邻居私拉电线，网格员不作为", user_words=path)
    assert {"不作为", "私拉电线"} <= set(tokens)


def test_user_words_do_not_leak_between_calls() -> None:
    text = "物业不作为"
    assert "不作为" in tokenize(text, user_words=["不作为"])
    assert "不作为" not in tokenize(text)


def test_full_width_user_word_matches_half_width_text() -> None:
    assert "12345热线" in tokenize("拨打12345热线无人接听", stopwords=NOTHING)
    assert "ABC热线" in tokenize("拨打ABC热线", user_words=["ＡＢＣ热线"])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("１７号楼３单元漏水", "漏水"),
        ("ＡＢＣ公司拖欠工资２０００元！！", "拖欠工资"),
        ("暖气不热，，，。。。？？？", "暖气"),
        ("2021年12月31日停水", "停水"),
        ("abc def 123 路灯不亮 ok", "路灯不亮"),
        ("小区\u3000垃圾\u00a0清运", "垃圾"),
        ("第１２３４５号工单：噪音扰民", "噪音扰民"),
    ],
)
def test_digits_ascii_and_punctuation_are_dropped(text: str, kept: str) -> None:
    tokens = tokenize(text, stopwords=NOTHING)
    assert kept in tokens
    assert all(re.search(r"[\u4e00-\u9fff]", t) for t in tokens)
    assert not any(t.isdigit() for t in tokens)


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "\u3000\n", float("nan"), pd.NA, pd.NaT, "[手机号]", "，。！？", "12345"],
)
def test_empty_and_missing_text(text: object) -> None:
    assert tokenize(text) == []
    assert tokenize(text, stopwords=NOTHING, min_length=1) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("张伟说王建国拖欠工资", ["张伟", "王建国"]),
        ("李娜投诉刘洋占道经营", ["李娜", "刘洋"]),
        ("王女士反映暖气不热", ["王女士"]),
        ("我叫陈晓明，住在幸福小区", ["陈晓明"]),
    ],
)
def test_person_names_are_dropped(text: str, names: list[str]) -> None:
    tokens = tokenize(text, stopwords=NOTHING, min_length=1)
    assert tokens  # the rest of the text still gives words
    assert not set(names) & set(tokens)


@pytest.mark.parametrize("min_length", [1, 2, 3, 4])
def test_min_length(min_length: int) -> None:
    text = "来电人反映：小区燃气管道漏气，楼下饭店油烟扰民"
    everything = tokenize(text, stopwords=NOTHING, min_length=1)
    tokens = tokenize(text, stopwords=NOTHING, min_length=min_length)
    assert tokens == [t for t in everything if len(t) >= min_length]


def test_stop_words_replace_the_packaged_list(tmp_path: Path) -> None:
    path = tmp_path / "停用词.txt"
    path.write_text("# 只停用这一个\n小区\n", encoding="utf-8")
    text = "来电人反映小区暖气不热"
    assert tokenize(text, stopwords=path) == [
        t for t in tokenize(text, stopwords=NOTHING) if t != "小区"
    ]
    extended = tokenize(text, stopwords=default_stopwords() | {"小区"})
    assert "小区" not in extended and "反映" not in extended


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"user_words": "不作为"}, TypeError),
        ({"stopwords": "小区"}, TypeError),
        ({"min_length": 0}, ValueError),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        tokenize("暖气不热", **options)


def test_packaged_lists_do_not_contradict_each_other() -> None:
    assert default_user_words() and default_stopwords()
    assert not set(default_user_words()) & default_stopwords()


# --- keywords: hand-built texts ----------------------------------------------------------------


def _expected(texts: list[object], **options: object) -> tuple[Counter[str], Counter[str], int]:
    """Occurrences, documents and the non-empty text count, straight from :func:`tokenize`."""
    present = [t for t in texts if isinstance(t, str) and t.strip()]
    count: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for text in present:
        tokens = tokenize(text, **options)
        count.update(tokens)
        documents.update(set(tokens))
    return count, documents, len(present)


HAND_BUILT = [
    "来电人反映：小区暖气不热，暖气片冰凉",
    "市民来电：暖气不热，供热公司不管",
    None,
    "   ",
    "小区门口占道经营，噪音扰民",
    "拖欠工资，农民工工资至今未发",
]


def test_keywords_agree_with_tokenize() -> None:
    table = keywords(HAND_BUILT, top=None)
    count, documents, texts = _expected(HAND_BUILT)
    assert table.attrs["texts"] == texts == 4
    assert dict(zip(table["word"], table["count"], strict=True)) == count
    assert dict(zip(table["word"], table["documents"], strict=True)) == documents
    assert table["share"].tolist() == [documents[w] / texts for w in table["word"]]


def test_keywords_columns_dtypes_and_order() -> None:
    table = keywords(HAND_BUILT, top=None)
    assert list(table.columns) == ["word", "count", "documents", "share"]
    assert [str(t) for t in table.dtypes] == ["str", "int64", "int64", "float64"]
    keys = [
        (-d, -c, w)
        for w, c, d in zip(table["word"], table["count"], table["documents"], strict=True)
    ]
    assert keys == sorted(keys)
    assert table.index.tolist() == list(range(len(table)))


@pytest.mark.parametrize("top", [0, 1, 3, 1000, None])
def test_top(top: int | None) -> None:
    everything = keywords(HAND_BUILT, top=None)
    table = keywords(HAND_BUILT, top=top)
    expected = everything if top is None else everything.head(top)
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize("texts", [[], [None, "", "  "], ["[手机号]"], pd.Series([], dtype="str")])
def test_keywords_of_nothing(texts: object) -> None:
    table = keywords(texts)
    assert table.empty and list(table.columns) == ["word", "count", "documents", "share"]
    assert [str(t) for t in table.dtypes] == ["str", "int64", "int64", "float64"]


def test_keywords_accept_a_column_with_missing_values() -> None:
    column = pd.Series(HAND_BUILT, dtype="str")
    pd.testing.assert_frame_equal(keywords(column), keywords(HAND_BUILT))


# --- keywords: invariants ----------------------------------------------------------------------

PIECES = [
    *default_user_words()[:20],
    *sorted(default_stopwords())[:40],
    "暖气",
    "小区",
    "电梯",
    "漏水",
    "路灯",
    "不亮",
    "王建国",
    "张伟",
    "，",
    "。",
    "！",
    " ",
    "\u3000",
    "１２",
    "345",
    "ABC",
    "ｘｙ",
    "[手机号]",
    "［姓名］",
]
texts_from_pieces = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
any_texts = st.lists(st.none() | texts_from_pieces | st.text(max_size=20), max_size=12)
stop_sets = st.none() | st.sets(st.sampled_from(PIECES[:60]), max_size=10)


def _has_ideograph(word: str) -> bool:
    return any(unicodedata.name(c, "").startswith("CJK") for c in word)


@SETTINGS
@given(texts=any_texts, stopwords=stop_sets, min_length=st.integers(1, 4))
def test_keyword_invariants(
    texts: list[object], stopwords: set[str] | None, min_length: int
) -> None:
    table = keywords(texts, top=None, stopwords=stopwords, min_length=min_length)
    stop = default_stopwords() if stopwords is None else stopwords
    assert (table["count"] >= table["documents"]).all()
    assert (table["documents"] >= 1).all()
    assert table["share"].between(0, 1).all()
    assert table["word"].is_unique
    assert not set(table["word"]) & stop
    assert (table["word"].str.len() >= min_length).all()
    assert table["word"].map(_has_ideograph).all()


@SETTINGS
@given(texts=any_texts, seed=st.integers(0, 1000))
def test_keywords_are_deterministic(texts: list[object], seed: int) -> None:
    first = keywords(texts, top=None)
    shuffled = texts.copy()
    random.Random(seed).shuffle(shuffled)
    pd.testing.assert_frame_equal(keywords(texts, top=None), first)
    pd.testing.assert_frame_equal(keywords(shuffled, top=None), first)


@SETTINGS
@given(texts=any_texts)
def test_documents_match_tokenize(texts: list[object]) -> None:
    table = keywords(texts, top=None)
    count, documents, present = _expected(texts)
    assert table.attrs["texts"] == present
    assert dict(zip(table["word"], table["documents"], strict=True)) == documents
    assert dict(zip(table["word"], table["count"], strict=True)) == count


# --- keywords_by -------------------------------------------------------------------------------

ROWS = [
    {"order_id": "A1", "topic": "供暖", "town": "城关街道", "content": "暖气不热，暖气片冰凉"},
    {"order_id": "A2", "topic": "供暖", "town": "新兴街道", "content": "供热公司不管，暖气不热"},
    {"order_id": "A3", "topic": "城市管理", "town": "城关街道", "content": "占道经营，噪音扰民"},
    {"order_id": "A4", "topic": None, "town": "城关街道", "content": "路灯不亮"},
    {"order_id": "A5", "topic": "城市管理", "town": "新兴街道", "content": None},
]


def _key(values: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(None if pd.isna(v) else v for v in values)


@pytest.mark.parametrize("by", ["topic", ["topic"], ["town", "topic"]])
@pytest.mark.parametrize("top", [1, 2, None])
def test_keywords_by_is_keywords_per_group(by: str | list[str], top: int | None) -> None:
    orders = frame(ROWS)
    keys = [by] if isinstance(by, str) else by
    table = keywords_by(orders, by, top=top)
    assert list(table.columns) == [*keys, "word", "count", "documents", "share"]
    groups = orders.groupby(keys, dropna=False, sort=True)
    # groups in groupby's order (missing last); a group whose texts give no keyword has no rows
    with_words = [_key(v) for v, g in groups if not keywords(g["content"], top=top).empty]
    shown = [_key(row) for row in table[keys].drop_duplicates().itertuples(index=False)]
    assert shown == with_words
    for values, group in groups:
        mask = pd.Series(True, index=table.index)
        for key, value in zip(keys, values, strict=True):
            mask &= table[key].isna() if pd.isna(value) else table[key] == value
        part = table[mask].drop(columns=keys).reset_index(drop=True)
        expected = keywords(group["content"], top=top)
        pd.testing.assert_frame_equal(part, expected)


def test_keywords_by_keeps_the_key_dtypes_and_passes_options() -> None:
    orders = frame(ROWS)
    table = keywords_by(orders, "topic", top=None, stopwords={"暖气"}, min_length=3)
    assert table["topic"].dtype == orders["topic"].dtype
    assert "暖气" not in set(table["word"]) and (table["word"].str.len() >= 3).all()


def test_keywords_by_other_text_column() -> None:
    orders = frame(ROWS).assign(reply="已督促维修路灯")
    table = keywords_by(orders, "town", text="reply", top=None)
    assert set(table["word"]) == set(keywords(orders["reply"])["word"])


def test_keywords_by_of_no_orders() -> None:
    table = keywords_by(frame(ROWS).iloc[:0], "topic")
    assert table.empty and list(table.columns) == ["topic", "word", "count", "documents", "share"]


# --- laziness and quiet ------------------------------------------------------------------------


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )


def test_import_does_not_load_jieba() -> None:
    result = _python(
        "import sys, hotline.keywords; print(any(m.startswith('jieba') for m in sys.modules))"
    )
    assert result.stdout.strip() == "False"


def test_first_use_is_quiet_on_stderr() -> None:
    result = _python("from hotline.keywords import tokenize; print(tokenize('小区暖气不热'))")
    assert "暖气" in result.stdout
    assert "prefix dict" not in result.stderr and "jieba" not in result.stderr.lower()


# --- the sample county -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_orders(sample_county: tuple[Path, Path]) -> pd.DataFrame:
    return load(sample_county[1])


@pytest.mark.slow
def test_sample_keywords(sample_orders: pd.DataFrame) -> None:
    content = sample_orders["content"]
    assert content.str.contains(r"\[[^\]]+\]").any()  # the scrubber left placeholders
    table = keywords(content, top=100)
    assert len(table) == 100
    assert table.attrs["texts"] == content.str.strip().fillna("").ne("").sum()
    words = table["word"]
    assert not words.str.fullmatch(r"\d+").any()
    assert not words.str.contains(r"[\[\]]").any()
    assert not set(words) & default_stopwords()
    assert set(words) & set(default_user_words())  # local terms reach the top, whole


@pytest.mark.slow
def test_sample_placeholders_contribute_nothing(sample_orders: pd.DataFrame) -> None:
    content = sample_orders["content"]
    scrubbed = content[content.str.contains(r"\[[^\]]+\]", na=False)]
    assert len(scrubbed) > 0
    without = scrubbed.str.replace(r"\[[^\]]+\]", " ", regex=True)
    pd.testing.assert_frame_equal(
        keywords(scrubbed, top=None, stopwords=NOTHING),
        keywords(without, top=None, stopwords=NOTHING),
    )


@pytest.mark.slow
def test_sample_keywords_by_topic(sample_orders: pd.DataFrame) -> None:
    table = keywords_by(sample_orders, "topic", top=5)
    assert set(table["topic"].dropna()) == set(sample_orders["topic"].dropna())
    assert (table.groupby("topic").size() <= 5).all()
    assert table["share"].between(0, 1).all()
