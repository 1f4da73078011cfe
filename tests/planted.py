"""Plant a county's worth of personal data in the sample exports, in every column and name.

:func:`plant_sample` writes the sample (:func:`hotline.sample.write_sample`) and rewrites it:
in every seventh data row each column but the order id gets a caller's phone, ID, bank card,
e-mail or name, in the forms people type them (spaced, slashed, dashed, bracketed, with a
country prefix, full-width; names with honorifics, spaces, traditional characters, in lists,
compound surnames); one CSV is renamed after a caller and one sheet too. :data:`SECRETS` are
what must appear in no output (:mod:`privacy_scan`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from hotline.sample import write_sample
from privacy_scan import Secret


@dataclass(frozen=True)
class Person:
    name: str  # as in the caller-name cell
    core: tuple[str, ...]  # the names in it
    in_text: str  # how the text writes it
    phone: str
    id_card: str
    email: str


PEOPLE = (
    Person(
        "王建国（先生）",
        ("王建国",),
        "王建國",
        "139 00 00 00 09",
        "110101 19900307 7715",
        "wang.jianguo＠example.com",
    ),
    Person(
        "王建国、李秀英",
        ("王建国", "李秀英"),
        "王 建国和李秀英",
        "139/0000/0015",
        "110101-19900307-7715",
        "lixiuying@example.cn",
    ),
    Person(
        "欧阳娜娜",
        ("欧阳娜娜",),
        "欧阳娜娜（女士）",
        "139—0000—0016",
        "11010119850101123X",
        "nana.oy@example.org",
    ),
    Person(
        "上官婉儿",
        ("上官婉儿",),
        "上官 婉儿",
        "(139)0000-0019",
        "110101 19850101 123X",
        "wan.er@example.net",
    ),
    Person(
        "张伟",
        ("张伟",),
        "張偉",
        "+86 (139) 0000 0027",
        "220102198811112222",
        "zhangwei88@example.com",
    ),
    Person(
        "刘德华",
        ("刘德华",),
        "【刘德华】",
        "0086 139 0000 0028",
        "220102-19881111-2222",
        "liudehua.hk@example.com",
    ),
)
CARD = "6222 0212 3456 7890 123"
FILE_NAME = "王建国13900000009投诉.csv"
SHEET_NAME = "张伟来电"

SECRETS = tuple(
    {Secret(n, "name") for p in PEOPLE for n in p.core}
    | {Secret(p.phone, "number") for p in PEOPLE}
    | {Secret(p.id_card, "number") for p in PEOPLE}
    | {Secret(p.email) for p in PEOPLE}
    | {Secret(p.email.split("＠")[0].split("@")[0]) for p in PEOPLE}
    | {Secret(CARD, "number"), Secret("13900000009", "number")}
)

# Where a column gets which planted value; names go in the caller-name column first, so that
# the labels can hold a caller of the same file.
_ROLES = {
    "caller": ("来电人", "诉求人"),
    "phone": ("来电号码", "联系电话"),
    "text": ("诉求内容", "反映内容", "留言详情", "答复意见"),
    "title": ("工单标题", "诉求标题", "留言主题"),
}


def _value(header: str, person: Person, i: int, named: bool) -> str | None:
    """What to plant; ``named``: the file has a caller-name column (free text is scrubbed of
    the row's own caller's name; a name the export does not give as a caller's stays)."""
    if not named:
        person = Person("", ("",), "", person.phone, person.id_card, person.email)
    if header in _ROLES["caller"]:
        return person.name
    if header in _ROLES["phone"]:
        return person.phone
    if header in _ROLES["text"]:
        return (
            f"本人{person.in_text}，电话{person.phone}，身份证{person.id_card}，"
            f"邮箱{person.email}，卡号{CARD}。"
        )
    if header in _ROLES["title"]:
        return f"{person.in_text}反映{person.phone}"
    if header in ("工单编号", "工单号", "留言编号", "序号"):
        return None
    if header in ("受理时间", "来电时间", "留言时间") and i % 3:
        return None  # most planted rows stay orders, so that their labels reach the outputs
    # Labels, vocabularies and times: a caller's name or a number, by turns.
    forms = (person.core[0], person.phone, person.in_text, person.email, person.id_card)
    return forms[i % len(forms)]


def _plant_rows(header: list[str], rows: list[list[object]]) -> None:
    named = any(h in _ROLES["caller"] for h in header)
    for i, row in enumerate(rows):
        if i % 7:
            continue
        person = PEOPLE[(i // 7) % len(PEOPLE)]
        for c, name in enumerate(header):
            value = _value(str(name), person, i // 7 + c, named)
            if value is not None and c < len(row):
                row[c] = value


def plant_sample(raw: Path) -> list[Path]:
    """The sample exports in ``raw``, with personal data planted; returns the files."""
    files = write_sample(raw, orders=300, online=30)
    renamed = False
    for path in files:
        if path.suffix == ".csv":
            with path.open(encoding="gbk", newline="") as handle:
                title, header, *rows = list(csv.reader(handle))  # the sample's title line first
            _plant_rows(header, rows)
            target = raw / FILE_NAME if not renamed else path
            renamed = True
            with target.open("w", encoding="gb18030", newline="") as handle:
                csv.writer(handle).writerows([title, header, *rows])
            if target != path:
                path.unlink()
        else:
            book = openpyxl.load_workbook(path)
            sheet = book.worksheets[0]
            grid = [list(r) for r in sheet.iter_rows(values_only=True)]
            start = next(i for i, r in enumerate(grid) if sum(v is not None for v in r) > 3)
            header = [str(v) for v in grid[start]]
            rows = grid[start + 1 :]
            _plant_rows(header, rows)
            for r, row in enumerate(rows, start=start + 2):
                for c, value in enumerate(row, start=1):
                    sheet.cell(r, c, value)
            if "网络" not in path.name and path.name.endswith("01月.xlsx"):
                sheet.title = SHEET_NAME
            book.save(path)
    return sorted(p for p in raw.iterdir() if p.is_file() and not p.name.startswith("."))
