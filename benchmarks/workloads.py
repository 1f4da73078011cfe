"""The cells of the ingest benchmark matrix (issue #16): declared once, generated from a seed.

A cell is one realistic export: its rows, format (CSV or xlsx), encoding, the share of
complaints that quote personal data, the length of the complaint text, how many calls come from
repeat callers, and how many columns the vendor exports. :data:`CELLS` declares the standard
cell (17 columns, 5% personal data, ~300-character complaints, 30% of calls from repeat
callers, GB18030 CSV, 1M rows), one variation of it per axis, two hostile combinations and three
workbooks; the full factorial would take hours on two cores and say little more.

Generation is vectorised (numpy draws, Arrow kernels) in chunks of :data:`CHUNK` rows, each
chunk from its own generators, one per concern (base columns, complaint text, personal data,
callers, vendor columns), so that two cells that differ on one axis differ only in what that
axis draws: the 25% cell quotes personal data in a superset of the 5% cell's rows, in the same
complaints. Files are cached in ``benchmarks/out/matrix/`` under a name made of the cell's
parameters (:func:`cell_path`), so that changing a cell builds a new file.

Personal data, mixed into the complaint text, is written whole (unlike ``build_csv``'s legacy
``cut_numbers`` file): 11-digit mobiles (the caller's own or another), 18-character ID-card
numbers with a GB 11643 check digit, landlines such as ``0571-88886666`` or
``（024）23456789``, and Chinese names after ``联系人``/``姓名``. :func:`quoted_personal_data`
gives back what a cell's rows quote, to check that none of it survives an ingest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from common import OUT, TOPICS
from exports import (
    GIVEN,
    HEADER,
    NAMES,
    SENTENCES,
    TOWNS,
    _pick,
    _text,
    export_table,
    write_gb18030,
)

MATRIX = OUT / "matrix"
#: Bump when the generator changes, so that cached files are built again.
GENERATION = "v1"
CHUNK = 100_000
SEED = 16

#: The columns of a lean export (the issue's 10-column workload): no caller name, no dates but
#: receipt and close, no title.
LEAN = ["工单号", "来电时间", "联系电话", "受理渠道", "问题分类", "反映内容", "所属乡镇",
        "责任单位", "工单状态", "结案时间"]  # fmt: skip

STAFF = ["刘晓燕", "张海波", "王丽娟", "陈志刚", "李红梅", "赵立新", "孙静", "周建华", "吴敏",
         "郑涛", "马丽", "胡雪梅"]  # fmt: skip
COMMUNITIES = ["幸福小区", "阳光花园", "锦绣家园", "新华里", "铁西三街", "滨河湾", "和平社区",
               "建设新村", "银州嘉苑", "东方名城"]  # fmt: skip
#: Complaint sentences, 20–50 characters; a long complaint is an address, a start date, six of
#: these and a request.
CLAUSES = [
    *SENTENCES,
    "物业公司不作为，楼道灯坏了两个多月没人修，晚上上下楼很不安全。",
    "小区门口的井盖丢失，已经有行人掉进去受伤，存在严重安全隐患。",
    "附近工地夜间施工，凌晨两三点还在打桩，严重影响周边居民休息。",
    "我在单位工作了八年，单位一直没有给缴纳社会保险，要求补缴。",
    "公交车经常不按时发车，等了四十分钟都没有车，上班经常迟到。",
    "超市出售过期食品，购买后发现已经过了保质期，商家态度恶劣。",
    "村委会在低保评定中优亲厚友，真正困难的家庭没有评上，要求公开。",
    "小区垃圾清运不及时，垃圾桶满了好几天没人管，气味很大。",
    "楼上住户违规改造，把承重墙打掉了，担心房屋安全，请相关部门查处。",
    "医院挂号难，排队一上午没有挂上号，希望增加号源和窗口。",
    "农村信用社贷款手续繁琐，跑了好几趟还是办不下来。",
    "开发商逾期交房已经一年多，购房合同约定的违约金也不给。",
    "路边违章停车占用盲道和消防通道，多次向交警反映无果。",
    "暖气费已经交了，但是家里暖气一直不热，找了好几次没人上门。",
    "养殖场污水直排河道，附近河水发黑发臭，鱼都死了。",
    "街边烧烤摊占道经营，油烟和噪音很大，一直到后半夜。",
]
OPENINGS = ["我家住在", "本人住", "来电人反映其居住的", "市民反映"]
REQUESTS = ["请相关部门尽快处理。", "希望尽快给予答复。", "要求有关部门调查处理并回复。",
            "请求帮助解决。"]  # fmt: skip
#: Title-like complaints of about twenty characters.
SHORT = [
    "小区供暖温度不达标请尽快处理", "工地拖欠农民工工资请求帮助", "咨询疫苗接种地点和时间安排",
    "饭店油烟噪音扰民多次反映未解决", "村路破损积水车辆无法通行", "电动车质量问题商家拒绝退换",
    "咨询孩子入学报名材料和学区划分", "自来水发黄有异味持续一周", "楼道灯损坏两个月无人维修",
    "夜间施工噪音影响居民休息", "单位未缴纳社会保险要求补缴", "公交车不按时发车影响出行",
]  # fmt: skip
PLACES = ["辽宁省铁岭市", "辽宁省沈阳市", "辽宁省铁岭市", "吉林省四平市"]
MOBILE_PREFIXES = [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158,
                   159, 166, 176, 177, 180, 181, 183, 186, 187, 188, 189, 199]  # fmt: skip
AREA_CODES = ["010", "021", "022", "024", "020", "0571", "0574", "0410", "0411", "0755", "0531"]
REGIONS = [110105, 310104, 330106, 211221, 210123, 440305, 510107, 420102, 370102, 320106]
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
#: How personal data is introduced in a complaint, per kind.
SAYS = {
    "mobile": ["联系电话", "我的手机号是", "电话", "请回电", ""],
    "id": ["身份证号", "身份证：", "本人身份证号码"],
    "landline": ["座机", "家里电话", "单位电话：", "固话"],
    "name": ["联系人", "联系人：", "姓名：", "联系人是"],
}
#: The vendor columns the 40-column export adds; the ingest maps none of them.
VENDOR = [
    "坐席工号", "录音编号", "回访人", "回访方式", "来电归属地", "通话时长(秒)", "紧急程度",
    "是否重复件", "是否督办", "督办次数", "承办人", "承办科室", "派单人", "审核人", "审核意见",
    "工单来源系统", "事发地址", "经度", "纬度", "备注1", "备注2", "备注3", "扩展字段1",
]  # fmt: skip


@dataclass(frozen=True)
class Cell:
    """One workload of the matrix.

    Attributes:
        name: What the table calls it.
        rows: Data rows.
        format: ``csv`` or ``xlsx``.
        encoding: Python codec of a CSV: ``gb18030`` or ``utf-8-sig`` (UTF-8 with a BOM).
        pii_share: Share of complaints quoting personal data.
        text_chars: About how long a complaint is: 20 (a title) or 300.
        repeat_share: Share of calls from callers who call more than once (0: all distinct).
        columns: 10 (:data:`LEAN`), 17 (``exports.HEADER``) or 40 (with :data:`VENDOR`).
        seed: The generator's seed.
    """

    name: str
    rows: int
    format: str
    encoding: str
    pii_share: float
    text_chars: int
    repeat_share: float
    columns: int
    seed: int = SEED

    @property
    def target(self) -> float:
        """The ratio to the floor this cell must meet (issue #16)."""
        if self.format == "xlsx":
            return 1.5
        return 2.0 if self.name == "standard" else 2.5


STANDARD = Cell("standard", 1_000_000, "csv", "gb18030", 0.05, 300, 0.3, 17)
_XLSX = replace(STANDARD, name="xlsx", rows=100_000, format="xlsx")

#: The matrix: the standard cell, one axis at a time, hostile combinations, workbooks.
CELLS: list[Cell] = [
    STANDARD,
    replace(STANDARD, name="pii-0", pii_share=0.0),
    replace(STANDARD, name="pii-25", pii_share=0.25),
    replace(STANDARD, name="pii-60", pii_share=0.6),
    replace(STANDARD, name="short-text", text_chars=20),
    replace(STANDARD, name="distinct-callers", repeat_share=0.0),
    replace(STANDARD, name="cols-10", columns=10),
    replace(STANDARD, name="cols-40", columns=40),
    replace(STANDARD, name="utf8-bom", encoding="utf-8-sig"),
    replace(STANDARD, name="rows-100k", rows=100_000),
    # the reported export: lean, a quarter quoting personal data, every caller new
    Cell("hostile-lean", 1_000_000, "csv", "gb18030", 0.25, 300, 0.0, 10),
    Cell("hostile-wide", 1_000_000, "csv", "utf-8-sig", 0.6, 300, 0.3, 40),
    _XLSX,
    replace(_XLSX, name="xlsx-pii-60", pii_share=0.6),
    replace(_XLSX, name="xlsx-cols-40", columns=40),
]


def cell_path(cell: Cell) -> Path:
    """The cached file of ``cell``, named by every parameter that shapes its bytes.

    Example:
        >>> cell_path(STANDARD).name
        'v1-1000000r-17c-pii5-text300-rep30-gb18030-s16.csv'
    """
    encoding = cell.encoding.replace("utf-8-sig", "utf8bom") if cell.format == "csv" else "xl"
    name = (
        f"{GENERATION}-{cell.rows}r-{cell.columns}c-pii{round(cell.pii_share * 100)}"
        f"-text{cell.text_chars}-rep{round(cell.repeat_share * 100)}-{encoding}-s{cell.seed}"
    )
    return MATRIX / f"{name}.{cell.format}"


def ensure(cell: Cell) -> Path:
    """The file of ``cell``, built first if it is not cached (written aside, then renamed)."""
    path = cell_path(cell)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        if cell.format == "csv":
            for index, chunk in enumerate(chunks(cell)):
                write_gb18030(chunk, partial, encoding=cell.encoding, append=index > 0)
        else:
            from ingest import write_xlsx

            write_xlsx(pa.concat_tables(chunks(cell)), partial)
        partial.rename(path)
    return path


def chunks(cell: Cell) -> Iterator[pa.Table]:
    """The rows of ``cell``, :data:`CHUNK` at a time, in the order of its columns."""
    for first in range(0, cell.rows, CHUNK):
        yield _chunk(cell, first, min(CHUNK, cell.rows - first))


def header(cell: Cell) -> list[str]:
    """The columns of ``cell``: vendor columns are interleaved, as exports scatter them."""
    if cell.columns == len(LEAN):
        return list(LEAN)
    if cell.columns == len(HEADER):
        return list(HEADER)
    if cell.columns == len(HEADER) + len(VENDOR):
        # 坐席工号 and 录音编号 beside the call, 回访… near satisfaction, 备注… at the end
        return [*HEADER[:3], *VENDOR[:2], *HEADER[3:9], *VENDOR[2:9], *HEADER[9:15],
                *VENDOR[9:19], *HEADER[15:], *VENDOR[19:]]  # fmt: skip
    raise ValueError(f"no layout of {cell.columns} columns")


def _rng(cell: Cell, concern: int, first: int) -> np.random.Generator:
    return np.random.default_rng([cell.seed, concern, first])


def _chunk(cell: Cell, first: int, rows: int) -> pa.Table:
    base = _rng(cell, 0, first)
    start = np.datetime64("2021-01-01T00:00:00")
    received = start + base.integers(0, 365 * 86400, rows).astype("timedelta64[s]")
    numbers = pc.cast(pa.array(np.arange(first, first + rows)), pa.string())
    table = export_table(base, pc.binary_join_element_wise("2021", numbers, ""), received)
    callers = _callers(cell, first, rows)
    phones, names = _phone(callers), _name(callers)
    complaint = _complaints(cell, first, rows)
    complaint = _with_personal_data(cell, first, complaint, phones, names)
    columns = {name: table[name] for name in HEADER}
    columns |= {"联系电话": phones, "诉求人": names, "反映内容": complaint}
    if cell.columns == len(HEADER) + len(VENDOR):
        columns |= _vendor_columns(cell, first, received)
    return pa.table({name: columns[name] for name in header(cell)})


def _callers(cell: Cell, first: int, rows: int) -> np.ndarray:
    """One caller number per row: a row's own, or (``repeat_share``) one of a pool's.

    The pool holds a quarter as many callers as the rows it serves, so a repeat caller calls
    about four times in a year; pool members are numbered after every row, so that no caller
    is both.
    """
    draws = _rng(cell, 3, first)
    own = np.arange(first, first + rows, dtype=np.int64)
    if not cell.repeat_share:
        return own
    pool = max(1, round(cell.rows * cell.repeat_share / 4))
    repeat = draws.random(rows) < cell.repeat_share
    return np.where(repeat, cell.rows + draws.integers(0, pool, rows), own)


def _phone(callers: np.ndarray) -> pa.Array:
    """A distinct mobile per caller: an affine bijection of ``[0, 10⁸)`` after a prefix."""
    prefixes = np.array(MOBILE_PREFIXES, dtype=np.int64)
    line = (callers * 48_271 + 12_345_679) % 100_000_000
    numbers = prefixes[(callers // 100_000_000 + callers) % len(prefixes)] * 100_000_000 + line
    return pc.cast(pa.array(numbers), pa.string())


def _name(callers: np.ndarray) -> pa.Array:
    """A caller's name, the same at every call."""
    mixed = (callers * 2_654_435_761) % 4_294_967_296
    surnames = np.array(NAMES)[mixed % len(NAMES)]
    given = np.array(GIVEN)[(mixed // len(NAMES)) % len(GIVEN)]
    return pa.array(np.char.add(surnames, given).astype(object), pa.string())


def _numbers(draws: np.random.Generator, low: int, high: int, rows: int) -> pa.Array:
    return pc.cast(pa.array(draws.integers(low, high, rows)), pa.string())


def _complaints(cell: Cell, first: int, rows: int) -> tuple[pa.Array, pa.Array]:
    """Complaint text of about ``text_chars`` characters, almost every one distinct, in two.

    A long complaint: an opening with the caller's address (building, unit and flat numbers:
    numbers that name nobody and must stay), a start date, nine sentences and a request; it is
    given as its first four sentences and the rest, for personal data to go between. A short
    one is a town and a title, and an empty rest.
    """
    draws = _rng(cell, 1, first)
    if cell.text_chars <= 40:
        title = pc.binary_join_element_wise(
            _pick(draws, TOWNS, rows), _pick(draws, SHORT, rows), ""
        )
        return title, pa.array([""] * rows)
    address = pc.binary_join_element_wise(
        _pick(draws, OPENINGS, rows), _pick(draws, TOWNS, rows), _pick(draws, COMMUNITIES, rows),
        _numbers(draws, 1, 40, rows), "号楼", _numbers(draws, 1, 7, rows), "单元",
        _numbers(draws, 101, 2803, rows), "室，从", _numbers(draws, 1, 13, rows), "月",
        _numbers(draws, 1, 29, rows), "日开始，", "",
    )  # fmt: skip
    sentences = [_pick(draws, CLAUSES, rows) for _ in range(9)]
    head = pc.binary_join_element_wise(address, *sentences[:4], "")
    return head, pc.binary_join_element_wise(*sentences[4:], _pick(draws, REQUESTS, rows), "")


def _with_personal_data(
    cell: Cell, first: int, parts: tuple[pa.Array, pa.Array], phones: pa.Array, names: pa.Array
) -> pa.Array:
    """The complaint of ``parts``, with personal data quoted in ``pii_share`` of the rows.

    Each quoting complaint carries one kind (a mobile, an ID card, a landline, a name), a
    third of them a second; in a long complaint it sits at the start, between sentences or at
    the end, in a short one after the title.
    """
    head, tail = parts
    complaint = pc.binary_join_element_wise(head, tail, "")
    rows = len(complaint)
    draws = _rng(cell, 2, first)
    quotes = draws.random(rows) < cell.pii_share
    snippet = _snippet(draws, rows, phones, names)
    second = pa.array(draws.random(rows) < 1 / 3)
    both = pc.binary_join_element_wise(snippet, _snippet(draws, rows, phones, names), "，")
    snippet = pc.if_else(second, both, snippet)
    if cell.text_chars <= 40:
        placed = pc.binary_join_element_wise(complaint, snippet, "，")
    else:
        where = pa.array(draws.integers(0, 3, rows).astype(np.int8))
        placed = pc.choose(
            where,
            pc.binary_join_element_wise(snippet, complaint, "，"),
            pc.binary_join_element_wise(head, snippet, "。", tail, ""),
            pc.binary_join_element_wise(complaint, snippet, ""),
        )
    return pc.if_else(pa.array(quotes), placed, complaint)


def _snippet(draws: np.random.Generator, rows: int, phones: pa.Array, names: pa.Array) -> pa.Array:
    """One piece of personal data per row, with the words that introduce it."""
    others = np.array(MOBILE_PREFIXES)[draws.integers(0, len(MOBILE_PREFIXES), rows)]
    other_mobiles = pc.cast(
        pa.array(others.astype(np.int64) * 100_000_000 + draws.integers(0, 10**8, rows)),
        pa.string(),
    )
    own = pa.array(draws.random(rows) < 0.5)
    mobile = pc.if_else(own, phones, other_mobiles)
    local = _numbers(draws, 20_000_000, 89_999_999, rows)
    area = _pick(draws, AREA_CODES, rows)
    landline = pc.if_else(
        pa.array(draws.random(rows) < 0.8),
        pc.binary_join_element_wise(area, local, "-"),
        pc.binary_join_element_wise("（", area, "）", local, ""),
    )
    other_names = pc.binary_join_element_wise(
        _pick(draws, NAMES, rows), _pick(draws, GIVEN, rows), ""
    )
    name = pc.if_else(pa.array(draws.random(rows) < 0.5), names, other_names)
    kinds = {
        "mobile": mobile,
        "id": id_numbers(draws, rows),
        "landline": landline,
        "name": name,
    }
    said = [
        pc.binary_join_element_wise(_pick(draws, SAYS[kind], rows), value, "")
        for kind, value in kinds.items()
    ]
    return pc.choose(pa.array(draws.integers(0, len(said), rows).astype(np.int8)), *said)


def id_numbers(draws: np.random.Generator, rows: int) -> pa.Array:
    """Resident ID-card numbers (GB 11643) born 1940–2005, with a valid check digit.

    Example:
        >>> id_numbers(np.random.default_rng(0), 1).to_pylist()[0][-1] in "0123456789X"
        True
    """
    region = np.array(REGIONS, dtype=np.int64)[draws.integers(0, len(REGIONS), rows)]
    born = np.datetime64("1940-01-01") + draws.integers(0, 66 * 365, rows).astype("timedelta64[D]")
    years = born.astype("datetime64[Y]").astype(np.int64) + 1970
    months = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (born - born.astype("datetime64[M]")).astype(np.int64) + 1
    body = (region * 10**8 + years * 10**4 + months * 100 + days) * 1000 + draws.integers(
        0, 1000, rows
    )
    digits = (body[:, None] // 10 ** np.arange(16, -1, -1)) % 10
    check = ID_CHECK[(digits * ID_WEIGHTS).sum(axis=1) % 11]
    return pc.binary_join_element_wise(
        pc.cast(pa.array(body), pa.string()), pa.array(check.astype(object), pa.string()), ""
    )


def _vendor_columns(cell: Cell, first: int, received: np.ndarray) -> dict[str, pa.Array]:
    """The 23 columns a vendor adds that the ingest never uses, with values like theirs."""
    draws = _rng(cell, 4, first)
    rows = len(received)
    stamp = pc.replace_substring_regex(_text(received, minutes=False), r"[-: ]", "")
    blank = pa.nulls(rows, pa.string())

    def sometimes(share: float, values: pa.Array) -> pa.Array:
        return pc.if_else(pa.array(draws.random(rows) < share), values, blank)

    remark = ["已电话联系来电人", "来电人要求保密", "重复来电，已合并", "已现场核实",
              "来电人情绪激动"]  # fmt: skip
    coordinates = {
        "经度": pc.cast(pa.array(np.round(123.5 + draws.random(rows) * 0.8, 6)), pa.string()),
        "纬度": pc.cast(pa.array(np.round(42.0 + draws.random(rows) * 0.6, 6)), pa.string()),
    }
    return {
        "坐席工号": pc.binary_join_element_wise("ZX", _numbers(draws, 1001, 1061, rows), ""),
        "录音编号": pc.binary_join_element_wise(stamp, _numbers(draws, 1000, 9999, rows), ""),
        "回访人": _pick(draws, STAFF, rows),
        "回访方式": _pick(draws, ["电话回访", "电话回访", "短信回访", "未回访"], rows),
        "来电归属地": _pick(draws, PLACES, rows),
        "通话时长(秒)": _numbers(draws, 25, 900, rows),
        "紧急程度": _pick(draws, ["一般", "一般", "一般", "紧急", "特急"], rows),
        "是否重复件": _pick(draws, ["否", "否", "否", "是"], rows),
        "是否督办": _pick(draws, ["否", "否", "否", "否", "是"], rows),
        "督办次数": _pick(draws, ["0", "0", "0", "0", "1", "2"], rows),
        "承办人": _pick(draws, STAFF, rows),
        "承办科室": _pick(draws, ["办公室", "综合科", "信访科", "执法大队", "业务科"], rows),
        "派单人": _pick(draws, STAFF, rows),
        "审核人": _pick(draws, STAFF, rows),
        "审核意见": _pick(draws, ["同意办结", "同意办结", "同意", "退回重办"], rows),
        "工单来源系统": _pick(draws, ["12345平台", "12345平台", "市长信箱", "省平台转办"], rows),
        "事发地址": pc.binary_join_element_wise(
            _pick(draws, TOWNS, rows),
            _pick(draws, COMMUNITIES, rows),
            _numbers(draws, 1, 40, rows),
            "号楼",
            "",
        ),
        **coordinates,
        "备注1": sometimes(0.15, _pick(draws, remark, rows)),
        "备注2": sometimes(0.03, _pick(draws, remark, rows)),
        "备注3": blank,
        "扩展字段1": sometimes(0.01, _pick(draws, TOPICS, rows)),
    }


def describe(cell: Cell) -> dict[str, object]:
    """The cell's parameters and file name, for the JSON record."""
    return {**asdict(cell), "file": cell_path(cell).name}
