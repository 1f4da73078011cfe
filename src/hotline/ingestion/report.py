"""The ingest account in plain language: what was read, written, merged and rejected.

Printed by ``hotline ingest`` and written next to the dataset as ``ingest_report.md``, in the
language of the exports' profiles: English for 311 data, Chinese otherwise (and for a mix).
Every name that comes from the inputs (file, sheet and column names, status values, examples)
goes through :func:`hotline.safe_text.md_text`, so none can make a link, an image, HTML or a
new table column in the Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hotline.availability import ACCOUNTED, INFORMATION
from hotline.ingestion.accounting import (
    MERGE_REASONS,
    MERGE_REASONS_EN,
    REJECT_REASONS,
    REJECT_REASONS_EN,
    FileReport,
    Totals,
)
from hotline.ingestion.facts import FACTS
from hotline.labels import Lang, check_lang, label, translate
from hotline.safe_text import md_text
from hotline.schema import ENUMS, SOURCE_KIND

__all__ = ["account_language", "render_account"]

#: The account's sentences, (Chinese, English): prose, not labels (those are in hotline.labels).
_SENTENCES: Mapping[str, tuple[str, str]] = {
    "title": ("# 数据导入记录", "# Ingest account"),
    "read": (
        "读入 {files} 个文件，写入 {written} 条工单（{by_kind}）。",
        "Read {files} file{s}, wrote {written} requests ({by_kind}).",
    ),
    "rows_of_kind": ("{kind} {n} 条", "{kind}: {n}"),
    "none": ("无", "none"),
    "list": ("，", ", "),
    "series": ("；", "; "),
    "names": ("、", ", "),
    "snapshot_from": ("{snapshot}（依据）", "{snapshot} (from)"),
    "when": ("{when}（{rule}）", "{when} ({rule})"),
    "total": ("**合计**", "**Total**"),
    "balance": (
        "核对：读入 {rows_in} = 写入 {written} + 合并 {merged} + 拒收 {rejected}，{verdict}。",
        "Check: read {rows_in} = written {written} + merged {merged} + rejected {rejected}: "
        "{verdict}.",
    ),
    "balanced": ("平衡", "balanced"),
    "unbalanced": ("不平衡（程序错误）", "NOT balanced (a bug in hotline)"),
    "merged": ("- 合并：{reasons}", "- Merged: {reasons}"),
    "rejected": (
        "- 拒收：{reasons}（逐行明细见 rejects.csv）",
        "- Rejected: {reasons} (row by row in rejects.csv)",
    ),
    "reason": ("{why} {n}", "{why}: {n}"),
    "records": (
        "- 记录与物理行：{files}（引号内的换行使一条记录跨多行）",
        "- Records and lines: {files} (a line break inside quotes makes a record span lines)",
    ),
    "record_lines": (
        "{name} 表头下 {lines} 行，读成 {records} 条记录",
        "{name} has {lines} lines under its header, read as {records} records",
    ),
    "lacking_heading": ("## 导出缺少的信息", "## What the exports do not say"),
    "lacking": (
        "- {name}：没有{what}；其工单不计入{figures}（显示为“—”，不按 0 计）",
        "- {name}: no {what}; its requests are left out of {figures} (shown as “—”, not "
        "counted as 0)",
    ),
    "profiles_heading": ("## 导出配置与时区", "## Export profiles and time zones"),
    "profile": (
        "- {name}：配置 {profile}（{why}），时区 {zone}",
        "- {name}: profile {profile} ({why}), time zone {zone}",
    ),
    "forced": ("指定", "given"),
    "detected": ("自动识别：表头匹配 {score} 个字段", "detected: {score} headers match"),
    "others": ("；其他配置 {others}", "; other profiles {others}"),
    "score": ("{name} {score}", "{name} {score}"),
    "tie": (
        "；表头并列，按可读入的行数选定：{rows}",
        "; tied on headers, chosen by the rows each reads: {rows}",
    ),
    "tie_rows": ("{name} {n} 行", "{name} {n} rows"),
    "replies": (
        "；答复表，按编号并入同批导入的留言",
        "; a reply table, joined by id to its messages",
    ),
    "offsets": ("（取自数据中的时差：{offsets}）", " (from the offsets in the data: {offsets})"),
    "quality_heading": (
        "## 数据质量（如实保留，仅计数）",
        "## Data quality (kept as read, only counted)",
    ),
    "fact": ("- {name}：{message}", "- {name}: {message}"),
    "odd_heading": (
        "## 无法识别的值（已置空，计数如下）",
        "## Values that could not be read (left empty, counted here)",
    ),
    "odd": (
        "- {name} 列「{header}」：{count} 个，应为{expected}；例：{examples}",
        "- {name}, column “{header}”: {count}, expected {expected}; e.g. {examples}",
    ),
    "example": ("第 {row} 行 {value}", "row {row} {value}"),
    "one_of": ("以下之一：", "one of: "),
    "skipped": ("跳过的工作表：{sheets}。", "Sheets skipped: {sheets}."),
    "ignored": (
        "未使用的列（不写入数据集）：{columns}。",
        "Columns not used (not in the dataset): {columns}.",
    ),
    "personal": (
        "其中可能含个人信息、已丢弃：{columns}。",
        "Of these, possibly personal and dropped: {columns}.",
    ),
}

_RULES: Mapping[str, tuple[str, str]] = {
    "option": ("命令行指定", "given on the command line"),
    "export line": ("文件内导出时间", "export time in the file"),
    "file name": ("文件名日期", "date in the file name"),
    "order": ("未找到，按输入顺序", "not found: input order"),
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


def _mid_sentence(name: str, lang: Lang) -> str:
    """``Closure rate`` -> ``closure rate`` inside an English sentence."""
    return name[:1].lower() + name[1:] if lang == "en" else name


def _say(key: str, lang: Lang, **fields: Any) -> str:
    zh, en = _SENTENCES[key]
    return (zh if lang == "zh" else en).format(**fields)


def account_language(reports: Sequence[FileReport]) -> Lang:
    """The account's language: the profiles' when they agree (``en`` for 311), else Chinese.

    Example:
        >>> account_language([FileReport("a.csv", language="en")]), account_language([])
        ('en', 'zh')
    """
    languages = {r.language for r in reports if r.language}
    return check_lang(languages.pop() if len(languages) == 1 else "zh")


def _reasons(counts: dict[str, int], lang: Lang) -> str:
    explanations = (
        (MERGE_REASONS | REJECT_REASONS) if lang == "zh" else (MERGE_REASONS_EN | REJECT_REASONS_EN)
    )
    shown = [_say("reason", lang, why=explanations[k], n=v) for k, v in counts.items()]
    return _say("series", lang).join(shown) or _say("none", lang)


def _kind(code: str, lang: Lang) -> str:
    return SOURCE_KIND.label(code, lang)


def render_account(
    reports: Sequence[FileReport],
    totals: Totals,
    rows_by_kind: Mapping[str, int],
    lang: str | None = None,
) -> str:
    """Render the account of an ingest as Markdown (also readable as plain text).

    Args:
        reports: Per-file accounts.
        totals: Their sums.
        rows_by_kind: Rows written per source kind.
        lang: ``zh`` or ``en``; default :func:`account_language` (the data's).

    Returns:
        Markdown text.
    """
    lang = check_lang(lang) if lang else account_language(reports)
    by_kind = _say("list", lang).join(
        _say("rows_of_kind", lang, kind=_kind(k, lang), n=n) for k, n in rows_by_kind.items()
    )
    columns = [
        label("account.file", lang),
        label("account.kind", lang),
        label("account.header_row", lang),
        _say("snapshot_from", lang, snapshot=label("account.snapshot_at", lang)),
        *(label(f"account.{c}", lang) for c in ("rows_in", "written", "merged", "rejected")),
        label("account.blank_rows", lang),
    ]
    lines = [
        _say("title", lang),
        "",
        _say(
            "read",
            lang,
            files=len(reports),
            s="" if len(reports) == 1 else "s",
            written=totals.written,
            by_kind=by_kind or _say("none", lang),
        ),
        "",
        f"| {' | '.join(columns)} |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    rules = {rule: pair[0] if lang == "zh" else pair[1] for rule, pair in _RULES.items()}
    for r in reports:
        when = _say("when", lang, when=r.snapshot_at or "—", rule=rules[r.snapshot_rule])
        lines.append(
            f"| {md_text(r.name)} | {_kind(r.kind, lang)} | {r.header_row} | {when} "
            f"| {r.rows_in} | {r.written} | {r.merged_total} | {r.rejected_total} "
            f"| {r.blank_rows} |"
        )
    merged_total = sum(totals.merged.values())
    rejected_total = sum(totals.rejected.values())
    verdict = _say("balanced" if totals.balanced else "unbalanced", lang)
    lines += [
        f"| {_say('total', lang)} | | | | {totals.rows_in} | {totals.written} | {merged_total} "
        f"| {rejected_total} | {totals.blank_rows} |",
        "",
        _say(
            "balance",
            lang,
            rows_in=totals.rows_in,
            written=totals.written,
            merged=merged_total,
            rejected=rejected_total,
            verdict=verdict,
        ),
        "",
        _say("merged", lang, reasons=_reasons(totals.merged, lang)),
        _say("rejected", lang, reasons=_reasons(totals.rejected, lang)),
    ]
    spanning = [r for r in reports if r.lines is not None and r.lines != r.rows_in + r.blank_rows]
    if spanning:  # the count a user checks against the file is lines, not records
        files = _say("series", lang).join(
            _say(
                "record_lines",
                lang,
                name=md_text(r.name),
                lines=r.lines,
                records=r.rows_in + r.blank_rows,
            )
            for r in spanning
        )
        lines.append(_say("records", lang, files=files))
    lines += _information_lines(reports, lang)
    lines += ["", _say("profiles_heading", lang), ""]
    lines += [_profile_line(r, lang) for r in reports]
    found = [(md_text(r.name), fact) for r in reports for fact in r.quality.values()]
    if found:
        lines += ["", _say("quality_heading", lang), ""]
        lines += [
            _say("fact", lang, name=name, message=FACTS[fact.code].message(fact, md_text, lang))
            for name, fact in found
        ]
    lines += _unparseable_lines(reports, lang)
    skipped = [f"{md_text(r.name)}: {md_text(s)}" for r in reports for s in r.skipped_sheets]
    if skipped:
        lines += ["", _say("skipped", lang, sheets=_say("series", lang).join(skipped))]
    ignored = sorted({h for r in reports for h in r.ignored_columns})
    if ignored:
        personal = [
            h
            for h in ignored
            if any(hint in h for hint in _PII_HINT)
            or any(hint in h.lower().replace("_", " ") for hint in _PII_HINT_EN)
        ]
        names = _say("names", lang)
        lines += ["", _say("ignored", lang, columns=names.join(map(md_text, ignored)))]
        if personal:
            lines.append(_say("personal", lang, columns=names.join(map(md_text, personal))))
    return "\n".join(lines) + "\n"


def _expected(expected: str, lang: Lang) -> str:
    """What a column should hold, in ``lang`` (recorded in Chinese while reading)."""
    if lang == "zh":
        return expected
    prefix = _SENTENCES["one_of"][0]
    if not expected.startswith(prefix):
        return translate(expected, lang)
    english = {zh: en for enum in ENUMS.values() for _, zh, en in enum.values}
    codes = expected.removeprefix(prefix).split(_SENTENCES["names"][0])
    return _say("one_of", lang) + ", ".join(english.get(code, code) for code in codes)


def _unparseable_lines(reports: Sequence[FileReport], lang: Lang) -> list[str]:
    odd = [
        (md_text(r.name), md_text(header), info)
        for r in reports
        for header, info in r.unparseable.items()
    ]
    if not odd:
        return []
    lines = ["", _say("odd_heading", lang), ""]
    for name, header, info in odd:
        examples = _say("list", lang).join(
            _say("example", lang, row=row, value=md_text(repr(value)))
            for row, value in info.examples
        )
        lines.append(
            _say(
                "odd",
                lang,
                name=name,
                header=header,
                count=info.count,
                expected=_expected(info.expected, lang),
                examples=examples,
            )
        )
    return lines


def _information_lines(reports: Sequence[FileReport], lang: Lang) -> list[str]:
    """What each export cannot say, and which figures are therefore missing (never 0)."""
    lines = []
    names = _say("names", lang)
    for r in reports:
        if not r.written:
            continue
        lacking = [key for key in ACCOUNTED if key not in r.information]
        if lacking:
            figures = dict.fromkeys(
                _mid_sentence(translate(m, lang), lang)
                for key in lacking
                for m in INFORMATION[key].metrics
            )
            what = names.join(translate(INFORMATION[k].zh, lang) for k in lacking)
            lines.append(
                _say("lacking", lang, name=md_text(r.name), what=what, figures=names.join(figures))
            )
    return ["", _say("lacking_heading", lang), "", *lines] if lines else []


def _profile_line(report: FileReport, lang: Lang) -> str:
    """Which profile read a file and why, and the zone of its times."""
    if report.profile_rule == "forced":
        why = _say("forced", lang)
    else:
        others = _say("list", lang).join(
            _say("score", lang, name=md_text(name), score=score)
            for name, score in report.profile_scores.items()
            if name != report.profile
        )
        score = report.profile_scores.get(report.profile, 0)
        why = _say("detected", lang, score=score)
        if others:
            why += _say("others", lang, others=others)
        if report.profile_rows:  # a tie on the header, broken by the rows each would accept
            rows = _say("list", lang).join(
                _say("tie_rows", lang, name=md_text(name), n=n)
                for name, n in report.profile_rows.items()
            )
            why += _say("tie", lang, rows=rows)
    if report.role == "replies":
        why += _say("replies", lang)
    zone = report.timezone
    if report.timezone_rule != "profile":
        stated = _say("list", lang).join(
            _say("rows_of_kind", lang, kind=offset, n=n) for offset, n in report.offsets.items()
        )
        zone += _say("offsets", lang, offsets=stated)
    return _say(
        "profile",
        lang,
        name=md_text(report.name),
        profile=md_text(report.profile),
        why=why,
        zone=zone,
    )
