"""Claims for people (a block of Chinese text per claim) and for programs (a JSON list).

Quotes from the checked text are shown without control characters or line breaks
(:func:`hotline.safe_text.terminal_text`): an escape sequence in a pasted report cannot restyle
or rewrite the terminal that shows the verdicts. JSON escapes them by itself.

Example:
    >>> import pandas as pd
    >>> from hotline.claims.check import check_claims
    >>> df = pd.DataFrame({"order_id": ["1", "2"], "source_kind": ["hotline"] * 2,
    ...     "received_at": pd.to_datetime(["2021-03-01"] * 2), "status": ["closed"] * 2})
    >>> print(render_text(check_claims("2021年热线受理话务诉求2件。", df)))
    核对年度：2021（文中热线表述所述年度）
    注意：数据仅覆盖 2021-03-01 至 2021-03-01，非全年，与全年数字不可比，结论仅供参考
    <BLANKLINE>
    [1] 第 1 行「2021年热线受理话务诉求2件」，数字「2件」
        理解：话务（热线来电）；受理量；等于 2 件（x = 2）
        数据：受理量 = 2（话务）
        结论：相符（数据仅覆盖 2021-03-01 至 2021-03-01，非全年）。数据为 2，在所述范围（x = 2）内
    <BLANKLINE>
    共找到 1 个关于12345热线的数字：相符 1 个，不符 0 个，无法核对 0 个。
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from hotline.claims.check import Claim, Computed
from hotline.claims.vocabulary import MEASURES, QUALIFIERS, SUBJECTS
from hotline.safe_text import terminal_text

__all__ = ["VERDICTS", "claim_record", "render_json", "render_text"]

#: Verdicts in Chinese.
VERDICTS = {
    "consistent": "相符",
    "inconsistent": "不符",
    "not_checkable": "无法核对",
    "not_hotline": "与热线无关",
}


_SHORT = {"hotline": "话务", "online": "网络投诉", "total": "话务与网络投诉合计"}


def _plain(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _stated(claim: Claim) -> str:
    number = claim.statement.figure.number
    unit = "%" if number.percent else f" {number.unit or '件'}"
    return f"{_plain(number.value)}{unit}"


def _interpretation(claim: Claim) -> str:
    s = claim.statement
    subject = SUBJECTS.get(s.subject or "", "未知对象")
    measure = MEASURES[s.measure].zh if s.measure else "未识别的指标"
    notes = [f"原文“{s.qualifier_word}”"] if s.qualifier_word else []
    if claim.bound is not None:
        notes.append(claim.bound.describe())
    text = f"{subject}；{measure}；{QUALIFIERS[s.qualifier]} {_stated(claim)}"
    return text + (f"（{'，'.join(notes)}）" if notes else "")


def _data_line(computed: Computed) -> str:
    return f"{computed.formula}（{_SHORT[computed.subject]}）"


def _block(number: int, claim: Claim) -> list[str]:
    s = claim.statement
    lines = [f"[{number}] 第 {s.line} 行「{terminal_text(s.quote)}」"]
    if s.quote != s.text:
        lines[0] += f"，数字「{terminal_text(s.text)}」"
    lines.append(f"    理解：{_interpretation(claim)}")
    if s.context:
        lines.append(f"    依据：{terminal_text(s.context)}")  # it quotes the report
    shown = [c for c in (claim.computed, claim.combined) if c is not None]
    for index, computed in enumerate(dict.fromkeys(shown)):
        lines.append(f"    {'数据：' if index == 0 else '      '}{_data_line(computed)}")
    verdict = VERDICTS[claim.verdict]
    if claim.caveat:
        verdict += f"（{claim.caveat}）"
    # 无法核对：why — the reason is the verdict's content; other verdicts state a finding
    separator = "：" if claim.verdict == "not_checkable" else "。"
    lines.append(f"    结论：{verdict}{separator}{terminal_text(claim.reason)}")
    return lines


def _tally(claims: Sequence[Claim]) -> str:
    about = [c for c in claims if c.verdict != "not_hotline"]
    if not about:
        return "未发现关于12345热线的数字，没有需要核对的内容。"
    counts = {v: sum(c.verdict == v for c in about) for v in VERDICTS}
    return (
        f"共找到 {len(about)} 个关于12345热线的数字：相符 {counts['consistent']} 个，"
        f"不符 {counts['inconsistent']} 个，无法核对 {counts['not_checkable']} 个。"
    )


def render_text(claims: Sequence[Claim], header: Sequence[str] = ()) -> str:
    """One block per hotline claim, then the figures not about the hotline, then a tally.

    Args:
        claims: Claims in text order.
        header: Lines printed first (the file, the data, the definitions). The year checked,
            why, and the data's coverage of it follow, when the claims carry a period.

    Example:
        >>> import pandas as pd
        >>> from hotline.claims.check import check_claims
        >>> print(render_text(check_claims("全县有3个驿站。", pd.DataFrame()), ["核对文件：a.txt"]))
        核对文件：a.txt
        <BLANKLINE>
        以下 1 个数字与12345热线无关，未核对：
            第 1 行「3个」：全县有3个驿站
        <BLANKLINE>
        未发现关于12345热线的数字，没有需要核对的内容。
    """
    lines = list(header)
    about = [c for c in claims if c.verdict != "not_hotline"]
    if about and about[0].period is not None:
        lines.extend(about[0].period.header())
    if lines:
        lines.append("")
    for number, claim in enumerate(about, start=1):
        lines.extend([*_block(number, claim), ""])
    others = [c for c in claims if c.verdict == "not_hotline"]
    if others:
        lines.append(f"以下 {len(others)} 个数字与12345热线无关，未核对：")
        lines.extend(
            f"    第 {c.statement.line} 行「{terminal_text(c.statement.text)}」："
            f"{terminal_text(c.statement.quote)}"
            + (f"（{terminal_text(c.statement.context)}）" if c.statement.context else "")
            for c in others
        )
        lines.append("")
    lines.append(_tally(claims))
    return "\n".join(lines)


def _computed_record(computed: Computed | None) -> dict[str, Any] | None:
    if computed is None:
        return None
    return {
        "subject": computed.subject,
        "value": computed.value,
        "numerator": computed.numerator,
        "denominator": computed.denominator,
        "formula": computed.formula,
    }


def claim_record(claim: Claim) -> dict[str, Any]:
    """A claim as plain data (for JSON).

    Example:
        >>> import pandas as pd
        >>> from hotline.claims.check import check_claims
        >>> claim_record(check_claims("全县有3个驿站。", pd.DataFrame())[0])["verdict"]
        'not_hotline'
    """
    s, b = claim.statement, claim.bound
    number = s.figure.number
    return {
        "line": s.line,
        "figure": s.text,
        "quote": s.quote,
        "about_hotline": s.about_hotline,
        "subject": s.subject,
        "subject_zh": SUBJECTS.get(s.subject or ""),
        "measure": s.measure,
        "measure_zh": MEASURES[s.measure].zh if s.measure else None,
        "qualifier": s.qualifier if s.about_hotline else None,
        "qualifier_zh": QUALIFIERS[s.qualifier] if s.about_hotline else None,
        "qualifier_word": s.qualifier_word or None,
        "context": s.context or None,
        "stated": float(number.value),
        "percent": number.percent,
        "unit": "%" if number.percent else number.unit,
        "allowed": b.describe() if b else None,
        "allowed_low": None if b is None or b.low is None else float(b.low),
        "allowed_high": None if b is None or b.high is None else float(b.high),
        "computed": _computed_record(claim.computed),
        "combined": _computed_record(claim.combined),
        "verdict": claim.verdict,
        "verdict_zh": VERDICTS[claim.verdict],
        "reason": claim.reason or None,
        "understates": claim.understates,
        "definitions": claim.definitions,
        "year": None if claim.period is None else claim.period.year,
        "year_reason": None if claim.period is None else claim.period.reason,
        "coverage": None if claim.period is None else claim.period.status,
        "caveat": claim.caveat or None,
    }


def render_json(claims: Sequence[Claim]) -> str:
    """The claims as a JSON list of objects (:func:`claim_record`), Chinese kept readable.

    Example:
        >>> import pandas as pd
        >>> from hotline.claims.check import check_claims
        >>> print(render_json(check_claims("全县有3个驿站。", pd.DataFrame()))[:40])
        [
          {
            "line": 1,
            "figure": "3个",
    """
    return json.dumps([claim_record(c) for c in claims], ensure_ascii=False, indent=2)
