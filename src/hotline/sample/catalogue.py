"""The fictional county behind the sample: towns, departments, subjects and text templates.

Everything here is synthetic. 示例县 is an invented county in Liaoning province; its towns,
villages, estates, companies and shops are made-up but plausible names, and the templates paraphrase
the kind of things residents ask a 12345 hotline about, not any real record.

A *subject* is one recurring kind of request (供暖不热, 拖欠工资, 疫苗接种 …). It belongs to a
topic (业务分类), has a yearly weight and a monthly seasonality (Liaoning heating season, the 2021
epidemic waves, wage arrears before the Spring Festival, summer floods), the departments that
handle it, and short templates whose ``{slots}`` are filled per order. Subjects are data, kept in
``subjects.toml`` beside this module and checked when loaded.

Example:
    >>> subject = SUBJECTS[0]
    >>> subject.topic, len(subject.season)
    ('供暖', 12)
    >>> sorted({t.kind for t in TOWNS})
    ['street', 'town', 'township']
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "COMMUNITIES",
    "COMPANIES",
    "COUNTY",
    "DEPARTMENTS",
    "ESTATES",
    "HOSPITALS",
    "REQUEST_TYPES",
    "ROADS",
    "SCHOOLS",
    "SHOPS",
    "SUBJECTS",
    "TOWNS",
    "VILLAGES",
    "Subject",
    "Template",
    "Town",
    "words",
]

#: The fictional county (synthetic: no such county exists).
COUNTY = "示例县"

#: Request types (canonical code -> vendor A spelling, vendor B spelling), all in vocabulary.toml.
REQUEST_TYPES: dict[str, tuple[str, str]] = {
    "consultation": ("咨询", "咨询类"),
    "help": ("求助", "求助类"),
    "complaint": ("投诉", "投诉类"),
    "report": ("举报", "举报类"),
    "suggestion": ("建议", "建议类"),
    "praise": ("表扬", "表扬类"),
    "other": ("其他", "其他"),
}


@dataclass(frozen=True)
class Town:
    """A town-level unit (乡镇/街道).

    Attributes:
        name: Full name, e.g. ``河东镇``.
        kind: ``street`` (街道, urban), ``town`` (镇) or ``township`` (乡).
        weight: Relative population, which drives call volume.
        places: Its communities (社区) or villages (村).
    """

    name: str
    kind: str
    weight: float
    places: tuple[str, ...]

    @property
    def office(self) -> str:
        """The town's own government, which handles some orders itself."""
        return f"{self.name}办事处" if self.kind == "street" else f"{self.name}人民政府"


def words(*lines: str) -> tuple[str, ...]:
    """A pool of names written as space-separated words (keeps long Chinese lists readable).

    Example:
        >>> words("城关街道 新兴街道", "河东镇")
        ('城关街道', '新兴街道', '河东镇')
    """
    return tuple(" ".join(lines).split())


COMMUNITIES = words(
    "幸福社区 和平社区 光明社区 站前社区 新华社区 铁路社区 向阳社区",
    "文化社区 北关社区 南关社区 东园社区 西园社区 建设社区 胜利社区",
)
VILLAGES = words(
    "前进村 红旗村 东升村 西沟村 王家村 李家屯村 孟家村 杨树村 三台子村 柳树屯村",
    "后岗村 北山村 太平村 新立村 长胜村 民主村 腰屯村 马家村 胜利村 永安村",
    "双河村 小营子村 二道河村 高台子村",
)


def _places(pool: tuple[str, ...], start: int, count: int) -> tuple[str, ...]:
    """A fixed, town-specific slice of a name pool (wrapping), so towns differ."""
    return tuple(pool[(start + i * 5) % len(pool)] for i in range(count))


TOWNS: tuple[Town, ...] = (
    Town("城关街道", "street", 2.3, _places(COMMUNITIES, 0, 7)),
    Town("新兴街道", "street", 1.8, _places(COMMUNITIES, 1, 6)),
    Town("站前街道", "street", 1.3, _places(COMMUNITIES, 2, 5)),
    Town("河东镇", "town", 1.0, _places(VILLAGES, 0, 8)),
    Town("双井镇", "town", 0.9, _places(VILLAGES, 1, 7)),
    Town("高家堡镇", "town", 0.8, _places(VILLAGES, 2, 7)),
    Town("柳河镇", "town", 0.8, _places(VILLAGES, 3, 7)),
    Town("三道岗镇", "town", 0.7, _places(VILLAGES, 4, 6)),
    Town("榆树屯镇", "town", 0.7, _places(VILLAGES, 6, 6)),
    Town("石门镇", "town", 0.6, _places(VILLAGES, 7, 6)),
    Town("黄花甸镇", "town", 0.6, _places(VILLAGES, 8, 6)),
    Town("前进乡", "township", 0.4, _places(VILLAGES, 9, 5)),
    Town("大岭乡", "township", 0.4, _places(VILLAGES, 11, 5)),
    Town("杏山乡", "township", 0.35, _places(VILLAGES, 13, 5)),
)

#: County departments (承办单位) that receive dispatched orders.
DEPARTMENTS = words(
    "县住房和城乡建设局 县人力资源和社会保障局 县卫生健康局 县教育局 县市场监督管理局",
    "县交通运输局 县农业农村局 县自然资源局 县生态环境分局 县城市管理综合行政执法局",
    "县供热公司 县供电公司 县自来水公司 县医疗保障局 县民政局 县公安局 县水利局",
    "县应急管理局 县司法局 县税务局 县商务局 县文化旅游和广播电视局",
    "县疾病预防控制中心 县营商环境建设局 县退役军人事务局",
)

ESTATES = words(
    "阳光花园小区 幸福家园小区 锦绣华城小区 金色家园小区 御景湾小区 和平里小区",
    "新华小区 康居小区 滨河花园小区 丽景苑小区 建设小区 紫金苑小区 祥和小区",
    "富民小区 东方红小区 翠湖湾小区 书香园小区 铁路家属楼",
)
COMPANIES = words(
    "鑫达建筑工程有限公司 宏远建设有限公司 恒信物业管理有限公司 顺通运输有限公司",
    "金鼎房地产开发有限公司 嘉禾农业发展有限公司 兴隆商贸有限公司",
    "华宇装饰工程有限公司 东盛建材有限公司 永泰食品有限公司",
)
ROADS = words(
    "人民路 迎宾大街 建设街 站前路 西环路 胜利街 解放路 文化路 北环路 工农路 新华街 河畔路"
)
SCHOOLS = words(
    "县第一中学 县第二中学 县实验小学 城关第一小学 新兴小学 县第三幼儿园",
    "县职业教育中心 河东镇中心小学",
)
HOSPITALS = words("县人民医院 县中医院 县妇幼保健院 县第二人民医院")
SHOPS = words(
    "华联超市 福满家超市 鑫源饭店 康宁药房 宏达家电商场 百姓烧烤店 美佳美容店",
    "星辰健身房 金鹰手机店 好运来饭店 乐家装饰城 明珠洗浴中心",
)


@dataclass(frozen=True)
class Template:
    """One way a request is worded.

    Attributes:
        types: Request types (codes of :data:`REQUEST_TYPES`) this wording can carry.
        title: A short noun phrase for titles (``暖气不热``).
        content: The request in neutral wording with ``{slots}``; the hotline prefixes
            ``来电人反映：`` etc., the online board adds a salutation.
    """

    types: tuple[str, ...]
    title: str
    content: str


@dataclass(frozen=True)
class Subject:
    """A recurring kind of request.

    Attributes:
        key: Short English key.
        topic: 业务分类 as exported.
        weight: Share of the year's volume (relative).
        season: Monthly multipliers, January first.
        departments: ``(department, weight)`` handling dispatched orders.
        town_share: Share of dispatched orders the town government handles itself.
        setting: ``urban``, ``rural`` or ``any``: which towns the requests come from.
        templates: The wordings.
        reply: One sentence of a typical official reply (online board).
    """

    key: str
    topic: str
    weight: float
    season: tuple[float, ...]
    departments: tuple[tuple[str, float], ...]
    town_share: float
    setting: str
    templates: tuple[Template, ...]
    reply: str


def _read_subjects() -> tuple[Subject, ...]:
    """Load ``subjects.toml`` and check it against the towns, departments and request types."""
    assert __package__ is not None  # set for every module of a package
    text = resources.files(__package__).joinpath("subjects.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    seasons = {name: tuple(float(v) for v in values) for name, values in data["seasons"].items()}
    known = set(DEPARTMENTS)  # membership only
    subjects = []
    for entry in data["subject"]:
        key = entry["key"]
        season = seasons[entry["season"]]
        templates = tuple(
            Template(tuple(types.split()), title, content)
            for types, title, content in entry["templates"]
        )
        departments = tuple((str(name), float(weight)) for name, weight in entry["departments"])
        problems = [] if len(season) == 12 else [f"season {entry['season']!r}: not 12 months"]
        problems += [f"unknown department {d!r}" for d, _ in departments if d not in known]
        problems += [
            f"unknown request type {t!r}"
            for template in templates
            for t in template.types
            if t not in REQUEST_TYPES
        ]
        if entry["setting"] not in ("urban", "rural", "any"):
            problems.append(f"setting {entry['setting']!r}")
        if problems or not templates:
            found = "; ".join(problems) or "no templates"
            raise ValueError(f"subjects.toml, subject {key!r}: {found}")
        subjects.append(
            Subject(
                key=key,
                topic=entry["topic"],
                weight=float(entry["weight"]),
                season=season,
                departments=departments,
                town_share=float(entry["town_share"]),
                setting=entry["setting"],
                templates=templates,
                reply=entry["reply"],
            )
        )
    return tuple(subjects)


#: Every subject, in file order (the order fixes the random draws, so it is part of the sample).
SUBJECTS: tuple[Subject, ...] = _read_subjects()
