"""The ingest account in plain language (Chinese): what was read, written, merged and rejected.

Printed by ``hotline ingest`` and written next to the dataset as ``ingest_report.md``. Every
name that comes from the inputs (file, sheet and column names, status values, examples) goes
through :func:`hotline.safe_text.md_text`, so none can make a link, an image, HTML or a new
table column in the Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hotline.availability import ACCOUNTED, INFORMATION
from hotline.ingestion.accounting import MERGE_REASONS, REJECT_REASONS, FileReport, Totals
from hotline.ingestion.facts import FACTS
from hotline.safe_text import md_text
from hotline.schema import SOURCE_KIND

__all__ = ["render_account"]

_RULES = {
    "option": "命令行指定",
    "export line": "文件内导出时间",
    "file name": "文件名日期",
    "order": "未找到，按输入顺序",
}
_PII_HINT = ("电话", "号码", "姓名", "来电人", "诉求人", "联系人", "身份证", "地址", "用户")
# English exports (311): headers that may hold a person's contact details.
_PII_HINT_EN = (
    "phone",
    "address",
    "email",
    "e-mail",
    "contact",
    "caller",
    "first name",
    "last name",
)


def _reasons(counts: dict[str, int], explanations: dict[str, str]) -> str:
    return "；".join(f"{explanations[k]} {v}" for k, v in counts.items()) or "无"


def render_account(
    reports: Sequence[FileReport], totals: Totals, rows_by_kind: Mapping[str, int]
) -> str:
    """Render the account of an ingest as Markdown (also readable as plain text).

    Args:
        reports: Per-file accounts.
        totals: Their sums.
        rows_by_kind: Rows written per source kind.

    Returns:
        Markdown text.
    """
    by_kind = "，".join(f"{SOURCE_KIND.label(k)} {n} 条" for k, n in rows_by_kind.items())
    lines = [
        "# 数据导入记录",
        "",
        f"读入 {len(reports)} 个文件，写入 {totals.written} 条工单（{by_kind or '无'}）。",
        "",
        "| 文件 | 类别 | 表头行 | 快照时间（依据） | 读入 | 写入 | 合并 | 拒收 | 空行 |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in reports:
        when = f"{r.snapshot_at or '—'}（{_RULES[r.snapshot_rule]}）"
        lines.append(
            f"| {md_text(r.name)} | {SOURCE_KIND.label(r.kind)} | {r.header_row} | {when} "
            f"| {r.rows_in} | {r.written} | {r.merged_total} | {r.rejected_total} "
            f"| {r.blank_rows} |"
        )
    merged_total = sum(totals.merged.values())
    rejected_total = sum(totals.rejected.values())
    lines += [
        f"| **合计** | | | | {totals.rows_in} | {totals.written} | {merged_total} "
        f"| {rejected_total} | {totals.blank_rows} |",
        "",
        f"核对：读入 {totals.rows_in} = 写入 {totals.written} + 合并 {merged_total} + 拒收 "
        f"{rejected_total}，{'平衡' if totals.balanced else '不平衡（程序错误）'}。",
        "",
        f"- 合并：{_reasons(totals.merged, MERGE_REASONS)}",
        f"- 拒收：{_reasons(totals.rejected, REJECT_REASONS)}（逐行明细见 rejects.csv）",
    ]
    spanning = [r for r in reports if r.lines is not None and r.lines != r.rows_in + r.blank_rows]
    if spanning:  # the count a user checks against the file is lines, not records
        lines.append(
            "- 记录与物理行："
            + "；".join(
                f"{md_text(r.name)} 表头下 {r.lines} 行，读成 {r.rows_in + r.blank_rows} 条记录"
                for r in spanning
            )
            + "（引号内的换行使一条记录跨多行）"
        )
    lines += _information_lines(reports)
    lines += ["", "## 导出配置与时区", ""]
    lines += [_profile_line(r) for r in reports]
    found = [(md_text(r.name), fact) for r in reports for fact in r.quality.values()]
    if found:
        lines += ["", "## 数据质量（如实保留，仅计数）", ""]
        lines += [f"- {name}：{FACTS[fact.code].message(fact, md_text)}" for name, fact in found]
    odd = [
        (md_text(r.name), md_text(header), info)
        for r in reports
        for header, info in r.unparseable.items()
    ]
    if odd:
        lines += ["", "## 无法识别的值（已置空，计数如下）", ""]
        for name, header, info in odd:
            examples = "，".join(
                f"第 {row} 行 {md_text(repr(value))}" for row, value in info.examples
            )
            count, expected = info.count, info.expected
            lines.append(f"- {name} 列「{header}」：{count} 个，应为{expected}；例：{examples}")
    skipped = [f"{md_text(r.name)}: {md_text(s)}" for r in reports for s in r.skipped_sheets]
    if skipped:
        lines += ["", f"跳过的工作表：{'；'.join(skipped)}。"]
    ignored = sorted({h for r in reports for h in r.ignored_columns})
    if ignored:
        personal = [
            h
            for h in ignored
            if any(hint in h for hint in _PII_HINT)
            or any(hint in h.lower().replace("_", " ") for hint in _PII_HINT_EN)
        ]
        lines += ["", f"未使用的列（不写入数据集）：{'、'.join(map(md_text, ignored))}。"]
        if personal:
            lines.append(f"其中可能含个人信息、已丢弃：{'、'.join(map(md_text, personal))}。")
    return "\n".join(lines) + "\n"


def _information_lines(reports: Sequence[FileReport]) -> list[str]:
    """What each export cannot say, and which figures are therefore missing (never 0)."""
    lines = []
    for r in reports:
        if not r.written:
            continue
        lacking = [key for key in ACCOUNTED if key not in r.information]
        if lacking:
            figures = dict.fromkeys(m for key in lacking for m in INFORMATION[key].metrics)
            lines.append(
                f"- {md_text(r.name)}：没有{'、'.join(INFORMATION[k].zh for k in lacking)}；"
                f"其工单不计入{'、'.join(figures)}（显示为“—”，不按 0 计）"
            )
    return ["", "## 导出缺少的信息", "", *lines] if lines else []


def _profile_line(report: FileReport) -> str:
    """Which profile read a file and why, and the zone of its times."""
    if report.profile_rule == "forced":
        why = "指定"
    else:
        others = "，".join(
            f"{md_text(name)} {score}"
            for name, score in report.profile_scores.items()
            if name != report.profile
        )
        score = report.profile_scores.get(report.profile, 0)
        why = f"自动识别：表头匹配 {score} 个字段" + (f"；其他配置 {others}" if others else "")
        if report.profile_rows:  # a tie on the header, broken by the rows each would accept
            rows = "，".join(f"{md_text(name)} {n} 行" for name, n in report.profile_rows.items())
            why += f"；表头并列，按可读入的行数选定：{rows}"
    if report.role == "replies":
        why += "；答复表，按编号并入同批导入的留言"
    zone = report.timezone
    if report.timezone_rule != "profile":
        stated = "，".join(f"{offset} {n} 条" for offset, n in report.offsets.items())
        zone += f"（取自数据中的时差：{stated}）"
    return f"- {md_text(report.name)}：配置 {md_text(report.profile)}（{why}），时区 {zone}"
