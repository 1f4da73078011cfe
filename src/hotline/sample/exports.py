"""Write the sample's raw export files the way two hotline vendors and an online board would.

* Vendor A (January-June): one ``.xlsx`` per month, ``12345热线工单明细_2021年01月.xlsx``: a merged
  title row, an ``导出时间：`` line, a blank row, the header in row 4, a ``合计`` row at the end;
  dates mostly as real Excel date cells, some as text (``2021/3/5 9:32:09``,
  ``2021年3月5日 14时03分``); 3-level satisfaction.
* Vendor B (July-December): GBK-encoded CSV with CRLF line ends, ``gongdan_export_20210803.csv``
  (the export date only in the name), other header spellings and status words, minute-precision
  text dates with a few unpadded and 12-hour (``下午2:03:04``) ones, 5-level satisfaction.
* The online board: ``网络投诉留言_2021.xlsx`` with the competition data's seven columns.

Every file carries the sample's mark (:mod:`hotline.ingestion.sample_guard`), so that a copy of
one file among a user's exports is still recognised: the workbooks a document property named
``hotline-sample``, the CSV exports a title line above the header saying they are fictional.

A handful of deliberate blemishes are planted for the ingest to cope with: full-width digits and
odd spaces in ids and text, an exact duplicate row, blank rows, an unreadable due date (``待定``),
status words with a bracketed remark (``已办结（超期）``), closed orders without a close time.

Example:
    >>> vendor_a_name(3), vendor_b_name(dt.datetime(2021, 8, 3, 9, 20))
    ('12345热线工单明细_2021年03月.xlsx', 'gongdan_export_20210803.csv')
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

from hotline.ingestion.sample_guard import CSV_TITLE, MARK, SAMPLE_LABEL
from hotline.sample.catalogue import COUNTY, REQUEST_TYPES, words
from hotline.sample.lifecycle import HotlinePlan, Snapshot, WorkOrder
from hotline.sample.online import OnlineMessage
from hotline.sample.timing import YEAR

__all__ = [
    "ONLINE_NAME",
    "VENDOR_A_HEADER",
    "VENDOR_B_HEADER",
    "vendor_a_name",
    "vendor_b_name",
    "write_hotline_exports",
    "write_online_export",
]

#: Fixed workbook creation time: the same seed must give byte-identical files.
WORKBOOK_CREATED = dt.datetime(2022, 1, 5, 8, 30)
VENDOR_A_MONTHS = range(1, 7)
ONLINE_NAME = f"网络投诉留言_{YEAR}.xlsx"

VENDOR_A_HEADER = words(
    "序号 工单编号 受理时间 来电号码 来电人 诉求渠道 诉求类型 业务分类 工单标题 诉求内容 "
    "乡镇/街道 承办单位 派单时间 办理时限 办结时间 办理状态 满意度"
)
VENDOR_B_HEADER = words(
    "工单号 来电时间 联系电话 诉求人 受理渠道 诉求性质 问题分类 诉求标题 反映内容 所属乡镇 "
    "责任单位 交办时间 办结期限 结案时间 工单状态 满意度评价 是否解决"
)
ONLINE_HEADER = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "答复意见", "答复时间")

# State -> status word, per vendor; every spelling is in profiles/vocabulary.toml.
_STATUS = {
    "A": {
        "received": "已受理",
        "dispatched": "已派单",
        "signed": "已签收",
        "in_progress": "办理中",
        "extended": "已延期",
        "closed": "已办结",
        "revisited": "已回访",
        "invalid": "无效",
        "void": "作废",
        "duplicate": "重复",
    },
    "B": {
        "received": "已登记",
        "dispatched": "已转办",
        "signed": "已接单",
        "in_progress": "处理中",
        "extended": "延期办理",
        "closed": "结案",
        "revisited": "回访完成",
        "invalid": "无效工单",
        "void": "已撤销",
        "duplicate": "并单",
    },
}
_CHANNEL = {
    "A": {"phone": "电话", "transfer": "市平台转办"},
    "B": {"phone": "12345热线", "transfer": "省平台转办"},
}
# Latent rating (low is good) -> label; vendor A rates on 3 levels, vendor B on 5.
_RATING_A = ((0.75, "满意"), (0.93, "基本满意"), (1.0, "不满意"))
_RATING_B = (
    (0.35, "非常满意"),
    (0.75, "满意"),
    (0.90, "基本满意"),
    (0.97, "不满意"),
    (1.0, "非常不满意"),
)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class _Blemishes:
    """Deliberate oddities planted in one monthly export (each at most once)."""

    blank_rows: int = 0
    fullwidth_id: bool = False
    nbsp_id: bool = False
    ideographic_id: bool = False
    duplicate_row: bool = False
    undecided_due: bool = False
    fullwidth_phone_in_text: bool = False
    missing_close_times: int = 0


_BLEMISHES = {
    2: _Blemishes(blank_rows=2),
    3: _Blemishes(fullwidth_id=True, fullwidth_phone_in_text=True),
    4: _Blemishes(nbsp_id=True),
    5: _Blemishes(duplicate_row=True),
    6: _Blemishes(undecided_due=True),
    9: _Blemishes(ideographic_id=True),
    10: _Blemishes(fullwidth_id=True),
    12: _Blemishes(missing_close_times=3),
}
_BRACKETED_OVERDUE_PER_FILE = 2


def vendor_a_name(month: int) -> str:
    """File name of vendor A's export of ``month``.

    Example:
        >>> vendor_a_name(1)
        '12345热线工单明细_2021年01月.xlsx'
    """
    return f"12345热线工单明细_{YEAR}年{month:02d}月.xlsx"


def vendor_b_name(taken_at: dt.datetime) -> str:
    """File name of vendor B's export: the export date, no time.

    Example:
        >>> vendor_b_name(dt.datetime(2022, 1, 4, 9, 30))
        'gongdan_export_20220104.csv'
    """
    return f"gongdan_export_{taken_at:%Y%m%d}.csv"


# --- one record -------------------------------------------------------------------------------


@dataclass
class _Record:
    """What one export row says about an order, before vendor formatting."""

    order: WorkOrder
    state: str
    order_id: str
    content: str
    status: str
    department: str
    dispatched: dt.datetime | None
    due: dt.date | None
    closed: dt.datetime | None
    rating: float | None
    due_note: str = ""  # text typed into the due cell instead of a date


def _rating_label(rating: float, scale: Sequence[tuple[float, str]]) -> str:
    for bound, label in scale:
        if rating < bound:
            return label
    return scale[-1][1]


def _record(order: WorkOrder, state: str, taken_at: dt.datetime, vendor: str) -> _Record:
    dispatched = order.dispatched if order.dispatched and order.dispatched <= taken_at else None
    closed_family = state in ("closed", "revisited")
    return _Record(
        order=order,
        state=state,
        order_id=order.order_id,
        content=order.content,
        status=_STATUS[vendor][state],
        department=(order.department or "") if dispatched or order.direct else "",
        dispatched=dispatched,
        due=order.due if dispatched else None,
        closed=order.closed if closed_family else None,
        rating=order.satisfaction if closed_family and order.rated_at(taken_at) else None,
    )


def _records(snapshot: Snapshot, vendor: str, rng: np.random.Generator) -> list[_Record]:
    """The snapshot's rows with this month's blemishes planted."""
    records = [_record(o, s, snapshot.taken_at, vendor) for o, s in snapshot.rows]
    blemish = _BLEMISHES.get(snapshot.month, _Blemishes())
    n = len(records)
    if n == 0:
        return records

    def pick(candidates: Sequence[int]) -> int | None:
        return int(candidates[int(rng.integers(len(candidates)))]) if candidates else None

    # Odd ids go on carried-over orders, so the ingest must match them to an earlier export.
    carried = [j for j, r in enumerate(records) if r.order.received.month != snapshot.month]
    id_rows = carried or range(n)
    if blemish.fullwidth_id and (i := pick(id_rows)) is not None:
        records[i].order_id = records[i].order_id.translate(_FULLWIDTH)
    if blemish.nbsp_id and (i := pick(id_rows)) is not None:
        records[i].order_id += "\u00a0"  # copied from a web page
    if blemish.ideographic_id and (i := pick(id_rows)) is not None:
        records[i].order_id = "\u3000" + records[i].order_id
    if blemish.undecided_due:
        dated = [j for j, r in enumerate(records) if r.due is not None]
        if (i := pick(dated)) is not None:
            records[i].due, records[i].due_note = None, "待定"  # the department has not said
    if blemish.fullwidth_phone_in_text:
        mobiles = [j for j, r in enumerate(records) if r.order.caller.phone.startswith("1")]
        if (i := pick(mobiles)) is not None:
            phone = records[i].order.caller.phone.translate(_FULLWIDTH)
            records[i].content += f"联系电话{phone}。"
    if vendor == "A":
        overdue = [j for j, r in enumerate(records) if r.state == "closed" and r.order.overdue]
        for j in rng.permutation(overdue)[:_BRACKETED_OVERDUE_PER_FILE]:
            records[int(j)].status += "（超期）"
    spaces = ("\u3000", "\u00a0") if vendor == "A" else ("\u3000",)  # GBK has no NBSP
    for j in np.flatnonzero(rng.random(n) < 0.012):
        text = records[int(j)].content
        space = spaces[int(rng.integers(len(spaces)))]
        records[int(j)].content = text.replace("：", "：" + space, 1)
    if vendor == "B":
        for j in np.flatnonzero(rng.random(n) < 0.004):  # a line break typed into the text box
            records[int(j)].content = records[int(j)].content.replace("，", "，\n", 1)
    if blemish.missing_close_times:  # 已办结 but the close time left blank
        settled = [j for j, r in enumerate(records) if r.state == "closed" and r.closed]
        step = max(1, len(settled) // blemish.missing_close_times)
        for j in settled[::step][: blemish.missing_close_times]:
            records[j].closed = None
    if blemish.duplicate_row:
        closed = [j for j, r in enumerate(records) if r.state in ("closed", "revisited")]
        if (i := pick(closed)) is not None:
            records.insert(i + 1, records[i])  # the same row exported twice
    return records


# --- vendor A: xlsx ---------------------------------------------------------------------------


def _text_time_slash(when: dt.datetime) -> str:
    return f"{when.year}/{when.month}/{when.day} {when.hour}:{when:%M:%S}"


def _text_time_chinese(when: dt.datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日 {when.hour}时{when:%M}分"


def _write_vendor_a(path: Path, snapshot: Snapshot, rng: np.random.Generator) -> None:
    records = _records(snapshot, "A", rng)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties(
        {
            "title": "工单明细",
            "author": f"{COUNTY}12345热线平台（合成样例）",
            "created": WORKBOOK_CREATED,
        }
    )
    book.set_custom_property(MARK, SAMPLE_LABEL)  # survives copying the file alone
    sheet = book.add_worksheet("工单明细")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range(
        0, 0, 0, len(VENDOR_A_HEADER) - 1, f"{COUNTY}12345政务服务便民热线工单明细表", title
    )
    sheet.write_string(1, 0, f"导出时间：{snapshot.taken_at:%Y-%m-%d %H:%M:%S}")
    sheet.write_row(3, 0, VENDOR_A_HEADER, head)
    for column, width in (
        (1, 16),
        (2, 19),
        (3, 14),
        (8, 24),
        (9, 60),
        (11, 24),
        (12, 19),
        (14, 19),
    ):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(4, 0)
    blank_rows = _BLEMISHES.get(snapshot.month, _Blemishes()).blank_rows
    gaps = set(
        rng.choice(max(len(records), 1), size=min(blank_rows, len(records)), replace=False).tolist()
    )
    row = 4
    for number, record in enumerate(records, start=1):
        style = float(rng.random())

        def when(
            column: int, value: dt.datetime | None, row: int = row, style: float = style
        ) -> None:
            if value is None:
                return
            if style < 0.90:
                sheet.write_datetime(row, column, value, stamp)
            elif style < 0.98:
                sheet.write_string(row, column, _text_time_slash(value))
            else:
                sheet.write_string(row, column, _text_time_chinese(value))

        order = record.order
        sheet.write_number(row, 0, number)
        sheet.write_string(row, 1, record.order_id)
        when(2, order.received)
        sheet.write_string(row, 3, order.caller.phone)
        sheet.write_string(row, 4, order.caller.name)
        sheet.write_string(row, 5, _CHANNEL["A"][order.channel])
        sheet.write_string(row, 6, REQUEST_TYPES[order.request_type][0])
        sheet.write_string(row, 7, order.subject.topic)
        sheet.write_string(row, 8, order.title)
        sheet.write_string(row, 9, record.content)
        sheet.write_string(row, 10, order.town)
        if record.department:
            sheet.write_string(row, 11, record.department)
        when(12, record.dispatched)
        if record.due_note:
            sheet.write_string(row, 13, record.due_note)
        elif record.due is not None:
            sheet.write_datetime(row, 13, dt.datetime.combine(record.due, dt.time()), day)
        when(14, record.closed)
        sheet.write_string(row, 15, record.status)
        if record.rating is not None:
            sheet.write_string(row, 16, _rating_label(record.rating, _RATING_A))
        row += 1
        if number - 1 in gaps:
            row += 1  # an empty row left by a deleted record
    sheet.write_string(row, 0, "合计")
    sheet.write_string(row, 1, f"共{len(records)}条")
    book.close()


# --- vendor B: GBK CSV ------------------------------------------------------------------------


def _text_time_b(when: dt.datetime | None, style: float) -> str:
    if when is None:
        return ""
    if style < 0.90:
        return f"{when:%Y-%m-%d %H:%M}"
    if style < 0.98:
        return f"{when.year}-{when.month}-{when.day} {when.hour}:{when:%M:%S}"
    half = "上午" if when.hour < 12 else "下午"
    hour = when.hour % 12 or 12
    return f"{when.year}/{when.month}/{when.day} {half}{hour}:{when:%M:%S}"


def _write_vendor_b(path: Path, snapshot: Snapshot, rng: np.random.Generator) -> None:
    records = _records(snapshot, "B", rng)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow((CSV_TITLE,))  # the sample's mark: a title line, as many platforms write
    writer.writerow(VENDOR_B_HEADER)
    for record in records:
        style = float(rng.random())
        order = record.order
        score = record.rating
        rated = score is not None
        if record.state in ("closed", "revisited"):
            rating = _rating_label(score, _RATING_B) if rated else "未回访"
            resolved = ("是" if score < 0.9 else "否") if rated else ""
        else:
            rating = resolved = ""
        due = f"{record.due:%Y-%m-%d}" if record.due else record.due_note
        writer.writerow(
            (
                record.order_id,
                _text_time_b(order.received, style),
                order.caller.phone,
                order.caller.name,
                _CHANNEL["B"][order.channel],
                REQUEST_TYPES[order.request_type][1],
                order.subject.topic,
                order.title,
                record.content,
                order.town,
                record.department,
                _text_time_b(record.dispatched, style),
                due,
                _text_time_b(record.closed, style),
                record.status,
                rating,
                resolved,
            )
        )
    path.write_bytes(buffer.getvalue().encode("gbk"))  # strict: fails loudly on a non-GBK char


def write_hotline_exports(raw_dir: Path, plan: HotlinePlan, rng: np.random.Generator) -> list[Path]:
    """Write the twelve monthly work-order exports (January-June xlsx, July-December CSV).

    A month with nothing to export (only in samples of fewer than twelve orders) gets no file.

    Returns:
        The paths written, in month order.

    Example:
        >>> import tempfile
        >>> from hotline.sample.lifecycle import plan_hotline
        >>> plan = plan_hotline(np.random.default_rng(3), accepted=24, closed=24, extras=3)
        >>> paths = write_hotline_exports(Path(tempfile.mkdtemp()), plan, np.random.default_rng(3))
        >>> paths[0].name, paths[-1].name
        ('12345热线工单明细_2021年01月.xlsx', 'gongdan_export_20220104.csv')
    """
    written = []
    for snapshot in plan.snapshots:
        if not snapshot.rows:
            continue
        if snapshot.month in VENDOR_A_MONTHS:
            path = raw_dir / vendor_a_name(snapshot.month)
            _write_vendor_a(path, snapshot, rng)
        else:
            path = raw_dir / vendor_b_name(snapshot.taken_at)
            _write_vendor_b(path, snapshot, rng)
        written.append(path)
    return written


# --- the online board -------------------------------------------------------------------------


def write_online_export(
    raw_dir: Path, messages: Sequence[OnlineMessage], rng: np.random.Generator
) -> Path:
    """Write ``网络投诉留言_2021.xlsx``: header in row 1, times as text but one or two dates.

    Example:
        >>> import tempfile
        >>> from hotline.sample.online import plan_online
        >>> messages = plan_online(np.random.default_rng(1), count=5, replied=4)
        >>> write_online_export(Path(tempfile.mkdtemp()), messages, np.random.default_rng(1)).name
        '网络投诉留言_2021.xlsx'
    """
    path = raw_dir / ONLINE_NAME
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": WORKBOOK_CREATED})
    book.set_custom_property(MARK, SAMPLE_LABEL)
    sheet = book.add_worksheet("Sheet1")
    stamp = book.add_format({"num_format": "m/d/yy h:mm"})
    sheet.write_row(0, 0, ONLINE_HEADER)
    real_dates = set(rng.choice(len(messages), size=min(2, len(messages)), replace=False).tolist())
    date_only = int(rng.integers(len(messages)))  # one reply time without its time of day
    for row, message in enumerate(messages, start=1):
        sheet.write_number(row, 0, message.message_id)
        sheet.write_string(row, 1, message.user)
        sheet.write_string(row, 2, message.title)
        if row - 1 in real_dates:
            sheet.write_datetime(row, 3, message.received.replace(second=0), stamp)
        else:
            sheet.write_string(row, 3, _text_time_slash(message.received))
        sheet.write_string(row, 4, message.content)
        if message.reply is not None and message.replied_at is not None:
            sheet.write_string(row, 5, message.reply)
            replied = message.replied_at
            text = (
                f"{replied.year}/{replied.month}/{replied.day}"
                if row - 1 == date_only
                else _text_time_slash(replied)
            )
            sheet.write_string(row, 6, text)
    book.close()
    return path
