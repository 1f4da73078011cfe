"""Generated 12345 exports: the vendor-B CSV family (17 columns, GB18030, CRLF), built fast.

Every column is made at once from numpy draws and Arrow kernels (no Python loop over rows), and
the CSV is written by pyarrow and encoded to GB18030 in chunks, so that ten million rows take
seconds per million rather than minutes, in bounded memory.

* :func:`export_table` + :func:`write_gb18030`: one export (``benchmarks/ingest.py``);
* :func:`monthly_exports`: a year of monthly snapshots that overlap, as a platform exports them
  (``benchmarks/scale.py``).
"""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from common import TOPICS

HEADER = [
    "工单号",
    "来电时间",
    "联系电话",
    "诉求人",
    "受理渠道",
    "诉求性质",
    "问题分类",
    "诉求标题",
    "反映内容",
    "所属乡镇",
    "责任单位",
    "交办时间",
    "办结期限",
    "结案时间",
    "工单状态",
    "满意度评价",
    "是否解决",
]
TOWNS = [
    f"{name}镇"
    for name in "城关 新兴 河东 河西 双井 白旗 平安 凡河 腰堡 镇西 阿吉 大甸 熊官 李千".split()
]
DEPARTMENTS = [
    f"县{name}"
    for name in (
        "住房和城乡建设局 人力资源和社会保障局 卫生健康局 教育局 市场监督管理局 交通运输局 "
        "农业农村局 自然资源局 生态环境分局 城市管理综合行政执法局 供热公司 供电公司 自来水公司 "
        "医疗保障局 民政局 公安局 水利局 应急管理局 司法局 税务局 商务局 文化旅游和广播电视局 "
        "疾病预防控制中心 营商环境建设局 退役军人事务局"
    ).split()
]
SENTENCES = [
    "小区供暖温度不达标，室内只有十四度，老人孩子受冻，要求供热公司尽快处理。",
    "在工地打工三个月，老板拖欠工资一万二千元至今未付，请求帮助讨薪。",
    "咨询新冠疫苗第二针接种地点和时间，社区说要等通知。",
    "楼下饭店油烟扰民，晚上十一点以后还有噪音，多次反映没有解决。",
    "村里道路破损严重，下雨天积水，车辆无法通行，希望尽快维修。",
    "购买的电动车质量有问题，商家拒绝退换，要求市场监管部门处理。",
    "孩子入学报名需要哪些材料，学区怎么划分，请给予答复。",
    "家中自来水发黄有异味，已经持续一周，影响正常生活。",
]
NAMES = list("王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗")
GIVEN = ["桂兰", "建国", "秀英", "志强", "丽华", "海燕", "国庆", "玉梅", "德福", "淑珍"]
STATUSES = ["结案", "结案", "结案", "结案", "处理中", "已转办", "无效工单"]
OPEN_STATUS = "处理中"
CLOSED_STATUS = "结案"


def _pick(rng: np.random.Generator, values: list[str], rows: int) -> pa.Array:
    """``rows`` values drawn uniformly from ``values`` (one draw of ``rng``)."""
    codes = pa.array(rng.integers(0, len(values), rows))
    return pa.DictionaryArray.from_arrays(codes, pa.array(values)).cast(pa.string())


def _text(values: np.ndarray, minutes: bool = True) -> pa.Array:
    """``YYYY-MM-DD HH:MM`` (or ``:SS``) of datetime64[s] values, as an export writes them."""
    # the cast prints ``YYYY-MM-DD HH:MM:SS``; twenty times faster than strftime
    text = pc.cast(pa.array(values, pa.timestamp("s")), pa.string())
    return pc.utf8_slice_codeunits(text, 0, 16) if minutes else text


def export_table(
    rng: np.random.Generator,
    order_ids: pa.Array,
    received: np.ndarray,
    *,
    cut_numbers: bool = False,
) -> pa.Table:
    """The 17 columns of an export for orders received at ``received`` (datetime64[s]).

    Dispatch, due and close times follow the receipt; 5% of complaints quote the caller's
    number (the ingest must scrub it); names and numbers are fictional. The draws of ``rng``
    come in a fixed order, so a seed gives the same file every time.

    Args:
        rng: The random draws.
        order_ids: One id per order.
        received: When each order was received.
        cut_numbers: Cut each complaint to the width of its two sentences, as the first
            version of this generator did (a fixed-width numpy string): the number quoted then
            loses most of its digits. ``benchmarks/ingest.py``'s published figures were
            measured on that file, so it keeps it.
    """
    rows = len(received)
    dispatched = received + rng.integers(600, 86400, rows).astype("timedelta64[s]")
    closed = dispatched + rng.lognormal(11.5, 0.8, rows).astype("timedelta64[s]")
    due = dispatched + np.timedelta64(10, "D")
    phones = pc.cast(pa.array(13000000000 + rng.integers(0, 999999999, rows)), pa.string())
    content = pc.binary_join_element_wise(
        _pick(rng, SENTENCES, rows), _pick(rng, SENTENCES, rows), "，"
    )
    leak = pa.array(rng.random(rows) < 0.05)  # some callers type their number into the complaint
    quoted = pc.binary_join_element_wise(content, phones, "联系电话")
    if cut_numbers:
        quoted = pc.utf8_slice_codeunits(quoted, 0, 2 * max(map(len, SENTENCES)) + 1)
    names = pc.binary_join_element_wise(_pick(rng, NAMES, rows), _pick(rng, GIVEN, rows), "")
    columns = {
        "工单号": order_ids,
        "来电时间": _text(received),
        "联系电话": phones,
        "诉求人": names,
        "工单状态": _pick(rng, STATUSES, rows),
        "受理渠道": _pick(rng, ["电话", "微信", "网站", "APP"], rows),
        "诉求性质": _pick(rng, ["投诉", "咨询", "求助", "建议", "举报"], rows),
        "问题分类": _pick(rng, TOPICS, rows),
        "诉求标题": pc.binary_join_element_wise(_pick(rng, TOPICS, rows), "问题反映", ""),
        "反映内容": pc.if_else(leak, quoted, content),
        "所属乡镇": _pick(rng, TOWNS, rows),
        "责任单位": _pick(rng, DEPARTMENTS, rows),
        "交办时间": _text(dispatched),
        "办结期限": _text(due, minutes=False),
        "结案时间": _text(closed),
        "满意度评价": _pick(rng, ["非常满意", "满意", "基本满意", "不满意", "未回访"], rows),
        "是否解决": _pick(rng, ["是", "否"], rows),
    }
    return pa.table({name: columns[name] for name in HEADER})


def write_gb18030(
    table: pa.Table,
    path: Path,
    chunk_rows: int = 1 << 18,
    *,
    encoding: str = "gb18030",
    append: bool = False,
) -> None:
    """``table`` as a GB18030 CSV with CRLF line ends, quoting where Excel would.

    pyarrow writes UTF-8 a chunk at a time; each chunk is encoded as it comes, so memory holds
    one chunk's text, not the file's.

    Args:
        table: The rows.
        path: The file.
        chunk_rows: Rows encoded at a time.
        encoding: ``gb18030``, or ``utf-8-sig`` for UTF-8 after a byte-order mark
            (``benchmarks/workloads.py``'s cells).
        append: Add the rows, without a header, to the end of ``path``: a file written a
            chunk of rows at a time.
    """
    with path.open("ab" if append else "wb") as target:
        if encoding == "utf-8-sig" and not append:
            target.write(codecs.BOM_UTF8)
        for first in range(0, max(table.num_rows, 1), chunk_rows):
            sink = pa.BufferOutputStream()
            options = pacsv.WriteOptions(
                include_header=first == 0 and not append, quoting_style="needed", eol="\r\n"
            )
            pacsv.write_csv(table.slice(first, chunk_rows), sink, options)
            if encoding == "utf-8-sig":  # pyarrow's bytes already are UTF-8
                target.write(sink.getvalue().to_pybytes())
            else:
                target.write(sink.getvalue().to_pybytes().decode("utf-8").encode(encoding))


def build_csv(path: Path, rows: int, seed: int = 7) -> None:
    """One year's export of ``rows`` orders, ids ``2021`` + row number (``ingest.py``'s)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2021-01-01T00:00:00")
    received = start + rng.integers(0, 365 * 86400, rows).astype("timedelta64[s]")
    ids = pc.binary_join_element_wise("2021", pc.cast(pa.array(np.arange(rows)), pa.string()), "")
    write_gb18030(export_table(rng, ids, received, cut_numbers=True), path)


def month_name(year: int, month: int) -> str:
    """The file name of a month's export; the month dates it (the snapshot's start of next month).

    Example:
        >>> month_name(2021, 1)
        '工单导出_2021年01月.csv'
    """
    return f"工单导出_{year}年{month:02d}月.csv"


@dataclass(frozen=True)
class MonthlyExports:
    """What :func:`monthly_exports` wrote.

    Attributes:
        files: One export per month.
        rows: Data rows of each file.
        repeats: Rows of each file that repeat an order of the previous one.
    """

    files: list[Path]
    rows: list[int]
    repeats: list[int]


def monthly_exports(
    folder: Path, rows: int, months: int = 13, overlap: float = 0.1, seed: int = 7
) -> MonthlyExports:
    """Monthly exports from January 2021: ``rows`` rows over the first twelve, more after.

    Each month's file holds the orders received that month, plus ``overlap`` of the previous
    file's size in orders it listed as still open (处理中), now closed (结案): the same order id
    in a later snapshot, which the ingest's merge must resolve to the later copy. File names
    carry the month (:func:`month_name`), which is how the ingest dates each snapshot.

    Returns:
        The files, month by month, with their rows and repeats.
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = rows // 12
    sizes = [base + (1 if m < rows % 12 else 0) for m in range(12)] + [base] * (months - 12)
    carried: pa.Table | None = None
    written: list[Path] = []
    repeats: list[int] = []
    next_id = 0
    for index, size in enumerate(sizes):
        rng = np.random.default_rng([seed, rows, index])
        year, month = 2021 + index // 12, index % 12 + 1
        begins = np.datetime64(dt.datetime(year, month, 1), "s")
        ends = np.datetime64(dt.datetime(year + month // 12, month % 12 + 1, 1), "s")
        repeated = 0 if carried is None else carried.num_rows
        repeats.append(repeated)
        new = size - repeated
        span = int((ends - begins) / np.timedelta64(1, "s"))
        received = begins + np.sort(rng.integers(0, span, new)).astype("timedelta64[s]")
        numbers = pc.cast(pa.array(np.arange(next_id, next_id + new)), pa.string())
        ids = pc.binary_join_element_wise(f"{year}{month:02d}", pc.utf8_lpad(numbers, 8, "0"), "")
        next_id += new
        table = export_table(rng, ids, received)
        # the orders the next export repeats: open in this snapshot, closed in the next
        keep = np.zeros(new, dtype=bool)
        if index + 1 < len(sizes):
            keep[rng.choice(new, round(overlap * size), replace=False)] = True
        still_open = pa.array(keep)
        status = pc.if_else(still_open, OPEN_STATUS, table["工单状态"])
        table = _set(table, "工单状态", status)
        # an order not closed in this snapshot has no close time in it
        unclosed = pc.is_in(status, pa.array([OPEN_STATUS, "已转办"]))
        table = _set(table, "结案时间", pc.if_else(unclosed, None, table["结案时间"]))
        if carried is not None:
            table = pa.concat_tables([carried, table])
        path = folder / month_name(year, month)
        write_gb18030(table, path)
        written.append(path)
        later = table.slice(repeated).filter(still_open)
        closes = ends + rng.integers(3600, 5 * 86400, later.num_rows).astype("timedelta64[s]")
        later = _set(later, "工单状态", pa.array([CLOSED_STATUS] * later.num_rows))
        carried = _set(later, "结案时间", _text(closes))
    return MonthlyExports(written, sizes, repeats)


def _set(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    return table.set_column(table.schema.get_field_index(name), name, values)
