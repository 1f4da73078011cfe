"""Ingest speed and memory against the floor measured in the same run.

Builds a 1M-row GB18030 CSV export and a 100k-row xlsx export (cached in benchmarks/out/), then
times, each in a fresh process so that peak memory is its own:

* CSV floor: pyarrow reads the same file (same encoding) and writes Parquet, no cleaning;
* CSV ingest: ``hotline ingest FILE`` (the command, run in-process and timed from its call)
  with every step: layout, dates, ids, vocabularies, free-text scrubbing, caller
  hashes, snapshot merge, atomic Parquet write;
* xlsx floor: python-calamine's raw read of the sheet;
* xlsx ingest: ``hotline ingest`` on the workbook.

Targets (2-core machine): CSV ≤ 2.5× its floor, xlsx ≤ 1.5×, CSV peak memory ≤ 1.5 GB.

Usage: ``python benchmarks/ingest.py [--rows 1000000] [--xlsx-rows 100000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from common import OUT, TOPICS, measure, peak_memory_mb

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


def build_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A vendor-B style 12345 export, GB18030, CRLF, quoting where Excel would."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2021-01-01T00:00:00")
    received = start + rng.integers(0, 365 * 86400, rows).astype("timedelta64[s]")
    dispatched = received + rng.integers(600, 86400, rows).astype("timedelta64[s]")
    closed = dispatched + rng.lognormal(11.5, 0.8, rows).astype("timedelta64[s]")
    due = dispatched + np.timedelta64(10, "D")

    def fmt(values: np.ndarray, minutes: bool = True) -> pa.Array:
        text = np.datetime_as_string(values, unit="m" if minutes else "s")
        return pa.array(np.char.replace(text, "T", " "))

    phones = 13000000000 + rng.integers(0, 999999999, rows)
    body = np.array(SENTENCES)[rng.integers(0, len(SENTENCES), rows)]
    body2 = np.array(SENTENCES)[rng.integers(0, len(SENTENCES), rows)]
    content = np.char.add(np.char.add(body, "，"), body2)
    leak = rng.random(rows) < 0.05  # some callers type their number into the complaint
    content[leak] = np.char.add(content[leak], np.char.add("联系电话", phones[leak].astype(str)))
    names = np.char.add(
        np.array(NAMES)[rng.integers(0, len(NAMES), rows)],
        np.array(GIVEN)[rng.integers(0, len(GIVEN), rows)],
    )
    status = np.array(["结案", "结案", "结案", "结案", "处理中", "已转办", "无效工单"])[
        rng.integers(0, 7, rows)
    ]
    table = pa.table(
        {
            "工单号": pa.array(np.char.add("2021", np.arange(rows).astype(str))),
            "来电时间": fmt(received),
            "联系电话": pa.array(phones.astype(str)),
            "诉求人": pa.array(names),
            "受理渠道": pa.array(
                np.array(["电话", "微信", "网站", "APP"])[rng.integers(0, 4, rows)]
            ),
            "诉求性质": pa.array(
                np.array(["投诉", "咨询", "求助", "建议", "举报"])[rng.integers(0, 5, rows)]
            ),
            "问题分类": pa.array(np.array(TOPICS)[rng.integers(0, len(TOPICS), rows)]),
            "诉求标题": pa.array(
                np.char.add(np.array(TOPICS)[rng.integers(0, len(TOPICS), rows)], "问题反映")
            ),
            "反映内容": pa.array(content),
            "所属乡镇": pa.array(np.array(TOWNS)[rng.integers(0, len(TOWNS), rows)]),
            "责任单位": pa.array(np.array(DEPARTMENTS)[rng.integers(0, len(DEPARTMENTS), rows)]),
            "交办时间": fmt(dispatched),
            "办结期限": fmt(due, minutes=False),
            "结案时间": fmt(closed),
            "工单状态": pa.array(status),
            "满意度评价": pa.array(
                np.array(["非常满意", "满意", "基本满意", "不满意", "未回访"])[
                    rng.integers(0, 5, rows)
                ]
            ),
            "是否解决": pa.array(np.array(["是", "否"])[rng.integers(0, 2, rows)]),
        }
    )
    utf8 = path.with_suffix(".utf8.csv")
    pacsv.write_csv(table, utf8, pacsv.WriteOptions(quoting_style="needed"))
    with utf8.open("r", encoding="utf-8", newline="") as source, path.open("wb") as target:
        while chunk := source.read(1 << 22):
            target.write(chunk.replace("\n", "\r\n").encode("gb18030"))
    utf8.unlink()


def build_xlsx(path: Path, rows: int, seed: int = 11) -> None:
    """A vendor-A style workbook: title row, export line, header, real Excel date cells."""
    import datetime as dt

    import xlsxwriter

    csv_twin = path.with_suffix(".src.csv")
    build_csv(csv_twin, rows, seed)
    table = pacsv.read_csv(
        csv_twin,
        read_options=pacsv.ReadOptions(encoding="gb18030"),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(HEADER, pa.string())),
    )
    csv_twin.unlink()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2022, 1, 5)})
    sheet = book.add_worksheet("工单明细")
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write(0, 0, "示例县12345热线工单明细表")
    sheet.write(1, 0, "导出时间：2022-01-05 09:00:00")
    for c, name in enumerate(HEADER):
        sheet.write(3, c, name)
    columns = [table.column(name).to_pylist() for name in HEADER]
    date_columns = {HEADER.index(h) for h in ("来电时间", "交办时间", "结案时间")}
    for r in range(rows):
        for c, column in enumerate(columns):
            value = column[r]
            if c in date_columns and r % 10:  # most dates are real date cells, some stay text
                sheet.write_datetime(4 + r, c, dt.datetime.fromisoformat(value), date_format)
            else:
                sheet.write_string(4 + r, c, value)
    book.close()


def child(task: str, path: str) -> None:
    """Run one measured task in this (fresh) process and print seconds and peak memory.

    Libraries are imported before the clock starts, on every side: the ratio compares work on
    the file, not interpreter start-up.
    """
    import contextlib
    import io

    import duckdb  # noqa: F401  (the ingest's keyed hashes and scrubbing run in DuckDB)
    import pandas  # noqa: F401
    import pyarrow.parquet as pq
    import python_calamine

    from hotline.cli import main
    from hotline.ingestion import pipeline  # noqa: F401

    os.environ.setdefault("HOTLINE_PII_KEY", "benchmark-key-not-secret")
    work = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    began = time.perf_counter()
    if task == "csv-floor":
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="gb18030"))
        pq.write_table(table, work / "floor.parquet")
    elif task == "xlsx-floor":
        python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    elif task == "ingest":
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["ingest", path, "--out", str(work), "--quiet"]) == 0
    else:
        raise SystemExit(f"unknown task {task}")
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "peak_mb": peak_memory_mb()}))


#: The allocator settings the ``hotline`` command uses (see hotline/cli.py), given to every
#: measured process, floors included, so that the ratio compares work, not allocators.
ALLOCATOR = {"MIMALLOC_ARENA_EAGER_COMMIT": "1", "MIMALLOC_PURGE_DELAY": "-1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    OUT.mkdir(exist_ok=True)
    csv_path = OUT / f"export_{args.rows}.csv"
    xlsx_path = OUT / f"export_{args.xlsx_rows}.xlsx"
    if not csv_path.exists():
        print(f"building {csv_path.name} …", flush=True)
        build_csv(csv_path, args.rows)
    if not xlsx_path.exists():
        print(f"building {xlsx_path.name} …", flush=True)
        build_xlsx(xlsx_path, args.xlsx_rows)
    print(
        f"CSV {csv_path.stat().st_size / 1e6:.0f} MB, "
        f"xlsx {xlsx_path.stat().st_size / 1e6:.0f} MB, "
        f"best of {args.repeat} interleaved runs, each in a fresh process"
    )
    rows = []
    for label, floor_task, path, target in (
        ("CSV  (GB18030)", "csv-floor", csv_path, 2.5),
        ("xlsx", "xlsx-floor", xlsx_path, 1.5),
    ):
        measured = measure(__file__, [floor_task, "ingest"], path, args.repeat, ALLOCATOR)
        floor, ours = measured[floor_task], measured["ingest"]
        ratio = ours["seconds"] / floor["seconds"]
        rows.append((label, floor, ours, ratio, target))
    print(
        f"{'input':<16}{'floor s':>9}{'ingest s':>10}{'ratio':>8}{'target':>8}"
        f"{'floor MB':>10}{'ingest MB':>11}"
    )
    for label, floor, ours, ratio, target in rows:
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{label:<16}{floor['seconds']:>9.2f}{ours['seconds']:>10.2f}{ratio:>7.2f}×{target:>7.1f}×"
            f"{floor['peak_mb']:>10.0f}{ours['peak_mb']:>11.0f}  {verdict}"
        )
    csv_peak = rows[0][2]["peak_mb"]
    print(
        f"CSV ingest peak memory {csv_peak:.0f} MB (target ≤ 1536 MB): "
        f"{'ok' if csv_peak <= 1536 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
