"""Personal names as they are written in exports, to mask them wherever they appear.

A caller's name cell may hold ``王建国（先生）``, ``王 建国`` or a list ``王建国、李秀英``; the
text may write the same name in traditional characters (``王建國``), with spaces or middle dots
between its characters (``王·建国``, ``王・建国``, ``王•建国``: :data:`NAME_DOTS`) or with
invisible characters inside (a soft hyphen, a zero-width space: :mod:`.lookalikes`).
:func:`split_names` finds the names in a cell, :func:`name_pattern` matches each in all those
forms, and :func:`looks_like_person` tells a label that is a person's name (a name in
承办单位) from an organisation or place (``县住建局``, ``城关镇``, ``王家庄村``).

Example:
    >>> split_names("王建国（先生）、李秀英"), split_names("王 建国"), split_names("王先生")
    (['王建国', '李秀英'], ['王建国'], [])
    >>> import re
    >>> re.sub(name_pattern("王建国"), "[姓名]", "王 建國先生来电")
    '[姓名]先生来电'
"""

from __future__ import annotations

import re
from functools import lru_cache

from hotline.ingestion.lookalikes import IGNORABLE, fold_text

__all__ = [
    "COMPOUND_SURNAMES",
    "HONORIFICS",
    "NAME_DOTS",
    "SURNAMES",
    "looks_like_person",
    "mask_names",
    "name_pattern",
    "simplified",
    "split_names",
    "variants",
]

#: Words after a surname that address a person rather than name them.
HONORIFICS = ("先生", "女士", "小姐", "同志", "老师", "师傅", "阿姨", "大爷", "大妈", "老人")
COMPOUND_SURNAMES = frozenset(
    "欧阳 上官 司马 诸葛 司徒 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 夏侯 令狐 端木 独孤 南宫 西门 "
    "轩辕 钟离 澹台 申屠 太史 闻人 濮阳 赫连 呼延 万俟 百里 东郭 第五 左丘 公冶 单于 拓跋".split()
)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵"
    "苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# A label ending in one of these names an organisation or a place, not a person.
_PLACE_OR_BODY = frozenset(
    "局委办院所站队部处科室组馆校园区县市省州镇乡村屯庄街道巷路楼苑城港湾山河湖桥坝营堡寨沟台口"
    "关集铺坊里弄府厅署团军会社司厂场行店中心岗哨港厦宫寺庙观塔田井洼坡岭峪林家"
)
_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# What a bracket holds is a word of its own, not more of the name before it: a note
# (李娜（女）, 王建国（代）) or the name itself (王先生（王建国）).
_PAIRED_CHARS = r"()（）【】\[\]〔〕<>《》「」『』"
_PAIRED = f"[{_PAIRED_CHARS}]"
# Quotes too: a stray CSV quote read as a plain character may open a name cell ("王建国).
_BRACKETS = f"[{_PAIRED_CHARS}\"'“”‘’＂]"
_SEPARATORS = r"[、，,;；/／|]+"
#: Middle dots written inside names (transliterations: 阿卜杜·热合曼) or between any two of
#: their characters: the middle dot, katakana and half-width middle dots, bullets, the
#: hyphenation point, dot operators.
NAME_DOTS = "·・･•‧∙⋅"
# Between two characters of a name in text: spaces, middle dots, invisible characters.
_SPACE = f"[\\s\u3000{NAME_DOTS}{IGNORABLE}]*"
_NOT_NAME = re.compile(f"[{NAME_DOTS}{IGNORABLE}]+")


@lru_cache(maxsize=65536)
def variants(char: str) -> str:
    """The character's simplified form first, then its other simplified and traditional forms.

    The character tables of OpenCC (``STCharacters``, ``TSCharacters``) are read directly:
    names need no phrase conversion, and the tables load in milliseconds.

    Example:
        >>> variants("国"), variants("國"), variants("王"), variants("发")
        ('国國', '国國', '王', '发發髮')
    """
    to_traditional, to_simplified = _tables()
    simple = to_simplified.get(char, [char])[0]
    found: list[str] = []
    for form in (simple, *to_traditional.get(simple, []), char, *to_simplified.get(char, [])):
        if len(form) == 1 and form not in found:
            found.append(form)
    return "".join(found)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    from importlib.resources import files

    folder = files("opencc") / "dictionary"

    def load(name: str) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, forms = line.partition("\t")
            if forms:
                table[key] = forms.split()
        return table

    return load("STCharacters.txt"), load("TSCharacters.txt")


def simplified(text: str) -> str:
    """``text`` in simplified characters, character by character.

    Example:
        >>> simplified("歐陽娜娜")
        '欧阳娜娜'
    """
    return "".join(variants(c)[0] for c in text)


def split_names(cell: str | None) -> list[str]:
    """The personal names a caller-name cell holds, without honorifics, brackets or spaces.

    Lists are split on ``、，,;；/`` and on brackets (``李娜（女）`` names 李娜); words
    separated by spaces are separate names when each has two characters or more
    (``王建国 李秀英``), else one spaced name (``王 建国``). A name of one character
    (``王先生`` leaves ``王``) is no name to match.

    Middle dots and invisible characters are dropped (``王·建国`` is ``王建国``); the name is
    matched with them or without (:func:`name_pattern`).

    Example:
        >>> split_names("王建国 李秀英"), split_names("欧阳娜娜(女士)"), split_names(None)
        (['王建国', '李秀英'], ['欧阳娜娜'], [])
        >>> split_names("王·建国"), split_names("买买提・艾力（先生）")
        (['王建国'], ['买买提艾力'])
        >>> split_names("李娜（女）"), split_names("王先生（王建国）")
        (['李娜'], ['王建国'])
    """
    if not cell:
        return []
    if _PLAIN.fullmatch(cell) and not cell.endswith(HONORIFICS):
        return [cell]  # the usual cell: one name as it is
    return list(_split(_NOT_NAME.sub("", fold_text(cell))))


_PLAIN = re.compile(f"{_HAN}{{2,4}}")


@lru_cache(maxsize=65536)
def _split(cell: str) -> tuple[str, ...]:
    text = re.sub(_BRACKETS, " ", re.sub(_PAIRED, "、", cell))
    found: list[str] = []
    for piece in re.split(_SEPARATORS, text):
        words = [w for w in piece.split() if w not in HONORIFICS]
        if not words:
            continue
        latin = any(re.search(r"[A-Za-z]", w) for w in words)
        han_words = [_strip_honorific(w) for w in words]
        if latin:
            candidates = [" ".join(words)]
        elif len(words) > 1 and all(len(w) >= 2 for w in han_words):
            candidates = han_words
        else:
            candidates = [_strip_honorific("".join(words))]
        found.extend(c for c in candidates if len(c) >= 2 and c not in found)
    return tuple(found)


def _strip_honorific(word: str) -> str:
    for honorific in HONORIFICS:
        if word.endswith(honorific) and len(word) > len(honorific):
            return word[: -len(honorific)]
    return word


@lru_cache(maxsize=65536)
def name_pattern(name: str) -> str:
    r"""A regular expression matching ``name``, spaced out, dotted or in traditional characters.

    Spaces, middle dots (:data:`NAME_DOTS`) and invisible characters may stand between any two
    of its characters; those in ``name`` itself are not required.

    Example:
        >>> [bool(re.fullmatch(name_pattern("张伟"), s)) for s in ("张伟", "張　偉", "张卫")]
        [True, True, False]
        >>> [bool(re.fullmatch(name_pattern("王建国"), s)) for s in ("王·建国", "王­建國")]
        [True, True]
    """
    parts = []
    for char in name:
        if char.isspace() or _NOT_NAME.fullmatch(char):
            continue
        forms = variants(char)
        parts.append(f"[{re.escape(forms)}]" if len(forms) > 1 else re.escape(char))
    return _SPACE.join(parts)


def mask_names(text: str, names: list[str] | tuple[str, ...], placeholder: str = "[姓名]") -> str:
    """``text`` with every form of each name replaced by ``placeholder``.

    Example:
        >>> mask_names("王建國、李 秀英来访", ["王建国", "李秀英"])
        '[姓名]、[姓名]来访'
    """
    for name in sorted(names, key=len, reverse=True):
        if _may_hold(text, name):
            text = re.sub(name_pattern(name), placeholder, text)
    return text


def _may_hold(text: str, name: str) -> bool:
    """Whether ``text`` holds each character of ``name`` in one of its forms.

    Every match of :func:`name_pattern` does, so a text without them is not searched: a
    thousand callers' names are a thousand patterns to compile, one each, and most rows that
    share one character with their caller's name share no other.
    """
    return all(
        any(form in text for form in variants(char))
        for char in name
        if not (char.isspace() or _NOT_NAME.fullmatch(char))
    )


def looks_like_person(label: str | None) -> bool:
    """Whether a label (a department, a town, a status word) reads as a person's name.

    Two or three Han characters starting with a common surname, or three or four starting with
    a compound one (欧阳, 上官…), perhaps followed by an honorific, and not ending in a word
    that names an organisation or place (局, 镇, 村, 中心…).

    Example:
        >>> [looks_like_person(s) for s in ("欧阳娜娜", "上官婉儿", "王建国", "张女士", "王·建国")]
        [True, True, True, True, True]
        >>> [looks_like_person(s) for s in ("县住建局", "城关镇", "王家庄村", "已办结", "黄金周边")]
        [False, False, False, False, False]
    """
    if not label:
        return False
    text = re.sub(r"[\s\u3000]+", "", re.sub(_BRACKETS, "", _NOT_NAME.sub("", fold_text(label))))
    core = _strip_honorific(text)
    addressed = core != text
    if not re.fullmatch(f"{_HAN}+", core) or core[-1] in _PLACE_OR_BODY:
        return False
    simple = simplified(core)
    if simple[:2] in COMPOUND_SURNAMES:
        return 2 <= len(core) <= 4
    if simple[0] in SURNAMES:
        return 1 <= len(core) <= 3 if addressed else 2 <= len(core) <= 3
    return False
