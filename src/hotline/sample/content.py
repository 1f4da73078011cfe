"""Words of the synthetic orders: titles, request texts, online messages and official replies.

Templates from :mod:`hotline.sample.catalogue` are filled with places, estates, amounts …; the
hotline operator's prefix (``来电人反映：``) or the online salutation is added; and a few texts get
the caller's own (synthetic) phone number, ID-card number or name, as real records sometimes do,
so that the ingest's privacy scrubbing has something to find.

Example:
    >>> import numpy as np
    >>> from hotline.sample.catalogue import SUBJECTS, TOWNS
    >>> from hotline.sample.people import Caller
    >>> writer = ContentWriter(np.random.default_rng(3))
    >>> subject = SUBJECTS[0]
    >>> title, text = writer.hotline_text(subject.templates[0], "complaint", TOWNS[0],
    ...                                   Caller("13800000000", "王女士", False))
    >>> text.startswith(("来电人", "市民")), "暖气" in title
    (True, True)
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from hotline.sample.catalogue import (
    COMPANIES,
    DEPARTMENTS,
    ESTATES,
    HOSPITALS,
    ROADS,
    SCHOOLS,
    SHOPS,
    TOWNS,
    Subject,
    Template,
    Town,
)
from hotline.sample.people import Caller, fake_id_number

__all__ = ["ContentWriter"]

_HOTLINE_PREFIXES = {
    "consultation": ("来电人咨询：", "市民来电咨询："),
    "help": ("来电人求助：", "来电人反映："),
    "complaint": ("来电人反映：", "市民来电反映：", "来电人投诉："),
    "report": ("来电人举报：", "来电人反映："),
    "suggestion": ("来电人建议：", "市民来电建议："),
    "praise": ("来电人表扬：",),
    "other": ("来电人反映：",),
}
_TITLE_FORMS = {
    "consultation": ("咨询{t}", "关于{t}的咨询"),
    "help": ("反映{t}问题", "关于{t}的求助"),
    "complaint": ("反映{t}问题", "关于{t}的投诉", "{town}{t}"),
    "report": ("举报{t}", "关于{t}的举报"),
    "suggestion": ("建议{t}", "关于{t}的建议"),
    "praise": ("表扬{t}",),
    "other": ("关于{t}", "{t}"),
}
_INVALID_CALLS = (
    ("无效来电", "来电无声，多次询问无人应答后挂断。"),
    ("无效来电", "来电人未说明诉求即挂断电话。"),
    ("骚扰电话", "来电人情绪激动，辱骂话务员，无具体诉求。"),
    ("无效来电", "来电人拨错号码，无诉求。"),
    ("无效来电", "来电人询问天气情况，非政务服务诉求。"),
)
_ONLINE_OPENINGS = ("尊敬的领导：\n您好！", "您好！", "领导您好，", "")
_ONLINE_CLOSINGS = ("希望有关部门尽快解决，谢谢！", "盼复！", "请领导给予重视，谢谢。", "")
# Scraped-HTML indentation around every message of the competition data (附件4).
_HTML_INDENT = "\n\t\t\t\t\t\n\t\t\t\t\t"


class _Slots(dict):
    """Template slots, drawn on first use so that unused slots cost no random draws."""

    def __init__(self, rng: np.random.Generator, town: Town) -> None:
        super().__init__()
        self.rng = rng
        self.town = town

    def _pick(self, pool: tuple[str, ...], avoid: str | None = None) -> str:
        choices = [p for p in pool if p != avoid]
        return choices[int(self.rng.integers(len(choices)))]

    def __missing__(self, key: str) -> str:
        rng = self.rng
        makers = {
            "town": lambda: self.town.name,
            "place": lambda: self.town.name + self._pick(self.town.places),
            "town2": lambda: self._pick(tuple(t.name for t in TOWNS), self.town.name),
            "estate": lambda: self._pick(ESTATES),
            "building": lambda: f"{rng.integers(1, 19)}号楼{rng.integers(1, 7)}单元",
            "company": lambda: self._pick(COMPANIES),
            "road": lambda: self._pick(ROADS),
            "road2": lambda: self._pick(ROADS, self.get("road")),
            "school": lambda: self._pick(SCHOOLS),
            "hospital": lambda: self._pick(HOSPITALS),
            "shop": lambda: self._pick(SHOPS),
            "department": lambda: self._pick(DEPARTMENTS),
            "temp": lambda: str(rng.integers(10, 17)),
            "n": lambda: str(rng.integers(2, 6)),
            "days": lambda: str(rng.integers(2, 6)),
            "months": lambda: str(rng.integers(2, 9)),
            "people": lambda: str(rng.integers(3, 40)),
            "age": lambda: str(rng.integers(80, 96)),
            "amount": lambda: str(int(rng.integers(8, 400)) * 100),
        }
        value = makers[key]()
        self[key] = value
        return value


def _spaced(phone: str) -> str:
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}" if len(phone) == 11 else phone


class ContentWriter:
    """Writes titles and texts, drawing every choice from one random generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def _choice(self, options: tuple[str, ...]) -> str:
        return options[int(self.rng.integers(len(options)))]

    def _body(self, template: Template, town: Town) -> str:
        return template.content.format_map(_Slots(self.rng, town))

    def _title(self, template: Template, request_type: str, town: Town) -> str:
        form = self._choice(_TITLE_FORMS[request_type])
        return form.format(t=template.title, town=town.name)

    def hotline_text(
        self, template: Template, request_type: str, town: Town, caller: Caller
    ) -> tuple[str, str]:
        """Title and 诉求内容 of a hotline order, as the operator would type them.

        About one text in sixteen carries the caller's phone number (sometimes spaced), an
        ID-card number or the caller's own name.
        """
        rng = self.rng
        prefix = self._choice(_HOTLINE_PREFIXES[request_type])
        body = self._body(template, town)
        roll = float(rng.random())
        if roll < 0.022:
            sentence = self._choice(
                ("来电人留下联系电话{p}，希望尽快回复。", "请尽快联系来电人，电话{p}。")
            )
            body += sentence.format(p=caller.phone)
        elif roll < 0.032 and caller.phone.startswith("1"):
            body += f"联系方式：{_spaced(caller.phone)}。"
        elif roll < 0.047:
            body += self._choice(("来电人身份证号{i}。", "身份证号码：{i}，")).format(
                i=fake_id_number(rng)
            )
        elif roll < 0.062 and caller.full_name:
            body = f"本人{caller.name}，{body}"
        return self._title(template, request_type, town), prefix + body

    def invalid_call(self) -> tuple[str, str]:
        """Title and text of a call with no request (recorded, then marked 无效)."""
        return _INVALID_CALLS[int(self.rng.integers(len(_INVALID_CALLS)))]

    def online_text(
        self, template: Template, request_type: str, town: Town, phone: str | None
    ) -> tuple[str, str]:
        """留言主题 and 留言详情 of an online message (with the scraped-HTML whitespace).

        Args:
            template: The wording.
            request_type: Its request type (shapes the title).
            town: Where the writer lives.
            phone: A phone number the writer leaves in the text, if any.
        """
        rng = self.rng
        slots = _Slots(rng, town)
        body = template.content.format_map(slots)
        if request_type == "consultation":
            title = f"咨询{template.title}"
        else:
            where = slots["place"] if "{place}" in template.content else town.name
            title = self._choice((f"关于{where}{template.title}的问题", f"{where}{template.title}"))
        text = self._choice(_ONLINE_OPENINGS)
        if rng.random() < 0.4:  # paragraphs indented with ideographic spaces, as pasted from Word
            text += "\n\u3000\u3000"
        text += body
        if phone is not None:
            text += f"我的联系电话是{phone}。"
        text += self._choice(_ONLINE_CLOSINGS)
        if rng.random() < 0.12:
            text = text.replace("，", "，\u00a0", 1)  # a no-break space from the web form
        return title, _HTML_INDENT + text + _HTML_INDENT + "\n\t\t\t\t"

    def online_reply(self, user: str, department: str, subject: Subject, when: dt.datetime) -> str:
        """答复意见 in the board's boiler-plate, addressing the writer by user id."""
        rng = self.rng
        lead = "\n\t\t\t\t\t\t\t" if rng.random() < 0.15 else ""
        space = "\u3000\u3000" if rng.random() < 0.4 else ""
        return (
            f"{lead}网友“{user}”：您好！您的留言已收悉。现将有关情况回复如下：\n{space}经{department}"
            f"调查核实，{subject.reply}\n{space}感谢您对我们工作的支持、理解与监督！\n"
            f"{department}\n{when.year}年{when.month}月{when.day}日"
        )
