"""Numbers in free text that are not personal, kept out of the privacy scrubber's reach.

The scrubber (:mod:`.privacy`) masks runs of digits by their shape: sixteen digits are a bank
card, seven after 电话 a landline. Real message-board text also holds numbers of those shapes
that name nobody, and a run of digits may be joined across them:

* **Dates.** ``联系电话：0731-88888888　2013年1月26日``: the year joined to the phone makes
  sixteen digits, a "bank card". A year before 年 (``2013年``, ``2018-2019学年``) or a date
  (``2013-01-26``, ``2013/1/26``, ``2013.1.26``) stays as it is, and the number beside it is
  judged alone.
* **Masked-out runs.** ``0000-00000000``, ``0731-0000-00000000``, ``0000-00000000-6107``:
  exports anonymise phones with zeros (or ``x``/``*``); seven zeros or more, with separators,
  with no digits before them but perhaps an area code, are left intact, and a number after
  them (an extension) is judged alone.
* **Document numbers.** After 发票号码/发票代码, 案号, 编号, 单号 (订单号, 工单号, 快递单号…),
  流水号, 合同号, 文号, 批号, 备案号, 许可证号, 执照号, 注册号, 统一社会信用代码, 税号 and
  纳税人识别号, a number and the list that follows (``6008937、6008938``) stay as written.
  编号 after 身份证, 证件, 卡, 会员, 员工, 职工, 学生 or 学籍 numbers a person and is not kept.

Whatever is kept never hides a mainland mobile (``1[3-9]`` and nine digits, with or without
0/86/0086 before it), a landline with its area code or an ID-card number (18 digits or the old
15, with a valid birth date): a date that completes one with the digits around it, or a
"document number" of that shape, is left to the scrubber. Identifiers of people (身份证号,
银行卡号, 账号, 车牌号, 户号, 学号, 工号, QQ) get no such exception.

The kept numbers are hidden from the scrubber's patterns by swapping their digits for
private-use look-alikes (U+E030–U+E039) and swapped back after it has run. A cell that already
holds one of those characters is not touched, so the swap back cannot change it.

Example:
    >>> import pyarrow as pa
    >>> text = pa.array(["发票号码6008937、6008938", "电话0731-88888888 2013年", "无"])
    >>> hidden, rows = hide_kept(text)
    >>> rows.tolist(), hidden[0].as_py() != text[0].as_py()
    ([True, True, False], True)
    >>> show_kept(hidden, rows).to_pylist() == text.to_pylist()
    True
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.ingestion.grouped import BLANKS, DASHES_AND_DOTS, VISIBLE
from hotline.ingestion.values import replace_rows

__all__ = ["KEEP_SCREEN", "hide_kept", "show_kept"]

_DIGITS = "0123456789"
_LOOKALIKES = "".join(chr(0xE030 + i) for i in range(10))
_HIDE = str.maketrans(_DIGITS, _LOOKALIKES)

# What people put between the digits of one number (as the scrubber's SCRUB_SCREEN), and
# also, where a number might be joined to a date, the marks that separate digit groups of a
# phone only in its shape (:mod:`.grouped`: 139、0002、2013年 is a mobile, not a year).
_SEP = f"[{BLANKS}{re.escape(DASHES_AND_DOTS)}()（）]"
_CHAIN_SEP = f"[{BLANKS}{re.escape(DASHES_AND_DOTS + VISIBLE)}()（）]"
_YEAR = r"(?:1[89]|20)[0-9]{2}"
_DATE_MARK = r"[-/.．]"

_WORD_SCREEN = (
    r"票号|票代码|案号|编号|单号|流水号|合同号|文号|批号|备案号|许可证号|执照号|注册号|信用代码"
    r"|税号|识别号"
)
_SEP_RE2 = _SEP
_DATE_SCREEN = (
    rf"[0-9]{_SEP_RE2}{{1,3}}(?:1[89]|20)[0-9]{{2}}"
    r"(?:\s*(?:[-—~～至到]\s*(?:1[89]|20)[0-9]{2}\s*)?学?年|[-/.．][0-9])"
)
_ZEROS_SCREEN = rf"0(?:{_SEP_RE2}?0){{6}}"
#: Cells that may hold a kept number (RE2): a document-number word, a date after a digit
#: (what a number could be joined across), or seven zeros in a row.
KEEP_SCREEN = f"{_WORD_SCREEN}|{_DATE_SCREEN}|{_ZEROS_SCREEN}"

# Each pattern starts with what it looks for, its look-behinds after that: Python's regular
# expressions then skip quickly to where a match could start.
_DATE = re.compile(
    rf"(?:1[89]|20)(?<![0-9]..)(?<![0-9]{_DATE_MARK}..)[0-9]{{2}}"
    rf"(?:(?:\s*[-—~～至到]\s*{_YEAR})?(?=\s*学?年)"
    rf"|{_DATE_MARK}(?:0?[1-9]|1[0-2]){_DATE_MARK}(?:0?[1-9]|[12][0-9]|3[01])"
    rf"(?![0-9])(?!{_DATE_MARK}[0-9]))"
)
_CHAIN_BEFORE = re.compile(rf"(?:[0-9]+{_CHAIN_SEP}{{1,3}})+$")
_CHAIN_AFTER = re.compile(rf"(?:{_CHAIN_SEP}{{1,3}}[0-9]+)+")

_ZEROS = re.compile(rf"[0xX*＊](?<![0-9].)(?:{_SEP}?[0xX*＊]){{6,}}(?![0-9])")
_DIGIT_BEFORE = re.compile(rf"[0-9]{_SEP}{{0,3}}$")
_AREA_BEFORE = re.compile(rf"(?<![0-9])[(（]?0(?:10|2[0-9]|[3-9][0-9]{{2}}){_SEP}{{1,3}}$")

_NOT_KEPT = "".join(  # 编号 of a person
    f"(?<!{w}编号)" for w in ("身份证", "证件", "卡", "会员", "员工", "职工", "学生", "学籍")
)
_WORD = (
    r"(?:票号|票代码|案号|单号|流水号|合同号|文号|批号|备案号|许可证号|执照号|注册号|信用代码"
    rf"|税号|识别号|编号{_NOT_KEPT})"
)
_NUMBER = (
    rf"(?:[A-Za-z]{{1,4}}[-－]?)?[0-9](?:[0-9A-Za-z]|[-－/](?=[0-9A-Za-z]))*"
    rf"(?![0-9A-Za-z])(?!{_SEP}{{1,3}}[0-9])"  # the whole number, not part of a spaced one
)
_LISTED = re.compile(
    rf"({_WORD}码?\s*(?:[:：]|为|是)?\s*)({_NUMBER}(?:\s*[、，,；;/和及与或至到~～]\s*{_NUMBER})*)"
)
_TOKEN = re.compile(r"[0-9A-Za-z]+(?:[-－/][0-9A-Za-z]+)*")

_PERSONAL = re.compile(  # mobile, landline with its area code, ID card (18 and 15 digits)
    r"(?:0086|86|0)?1[3-9][0-9]{9}"
    r"|0(?:10|2[0-9]|[3-9][0-9]{2})[2-9][0-9]{6,7}"
    r"|[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]"
    r"|[1-9][0-9]{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}"
)
_LOOKALIKE = re.compile(f"[{_LOOKALIKES}]")


def _personal(digits: str) -> bool:
    return _PERSONAL.fullmatch(digits) is not None


def _hide_date(match: re.Match[str]) -> str:
    # Kept unless, with the digits around it, the date completes a mobile or an ID number.
    text, start, end = match.string, match.start(), match.end()
    before = _CHAIN_BEFORE.search(text, max(0, start - 40), start)
    after = _CHAIN_AFTER.match(text, end)
    left = re.findall("[0-9]+", before.group()) if before else []
    right = re.findall("[0-9]+", after.group()) if after else []
    date = "".join(re.findall("[0-9]+", match.group()))
    for i in range(len(left) + 1):
        for j in range(len(right) + 1):
            if (i < len(left) or j) and _personal("".join(left[i:]) + date + "".join(right[:j])):
                return match.group()
    return match.group().translate(_HIDE)


def _hide_zeros(match: re.Match[str]) -> str:
    # A masked-out run with nothing before it but perhaps an area code. No mobile, ID or card
    # number starts with zeros or an area code, so the digits after the run are judged alone.
    text, start = match.string, match.start()
    run = match.group()
    if "0" not in run:
        return run  # no digit to hide
    if _DIGIT_BEFORE.search(text, max(0, start - 4), start) and not _AREA_BEFORE.search(
        text, max(0, start - 10), start
    ):
        return run
    return run.translate(_HIDE)


def _hide_token(match: re.Match[str]) -> str:
    token = match.group()
    runs = re.findall("[0-9]+[Xx]?", token)  # an ID card's check digit may be an X
    if any(_personal(r) for r in runs) or _personal("".join(runs)):
        return token
    return token.translate(_HIDE)


def _hide_listed(match: re.Match[str]) -> str:
    return match.group(1) + _TOKEN.sub(_hide_token, match.group(2))


def _hide(text: str, date: bool, zeros: bool, word: bool) -> str:
    if _LOOKALIKE.search(text):
        return text  # the swap back would change it
    if date:
        text = _DATE.sub(_hide_date, text)
    if zeros:
        text = _ZEROS.sub(_hide_zeros, text)
    if word:
        text = _LISTED.sub(_hide_listed, text)
    return text


def hide_kept(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array | pa.ChunkedArray, np.ndarray]:
    """``values`` with the digits of kept numbers swapped for look-alikes, and the rows changed.

    Only cells matching :data:`KEEP_SCREEN` are looked at, in Python, one regular expression
    pass of each kind per cell.

    Example:
        >>> hidden, rows = hide_kept(pa.array(["案号6008937", "电话13900000009", None]))
        >>> rows.tolist(), hidden[0].as_py().startswith("案号6")
        ([True, False, False], False)
    """
    screened = pc.fill_null(pc.match_substring_regex(values, KEEP_SCREEN), False)
    rows = screened.to_numpy(zero_copy_only=False)
    if not rows.any():
        return values, rows
    subset = pc.filter(values, screened)
    # Each kind of pass only where its own screen matched (dates are many, dates after a
    # number few).
    passes = [
        pc.match_substring_regex(subset, screen).to_numpy(zero_copy_only=False).tolist()
        for screen in (_DATE_SCREEN, _ZEROS_SCREEN, _WORD_SCREEN)
    ]
    texts = subset.to_pylist()
    hidden = [_hide(t, *kinds) for t, *kinds in zip(texts, *passes, strict=True)]
    changed = np.array([h != t for h, t in zip(hidden, texts, strict=True)])
    rows[np.flatnonzero(rows)[~changed]] = False
    if not rows.any():
        return values, rows
    new = pa.array([h for h, c in zip(hidden, changed, strict=True) if c], pa.string())
    return replace_rows(values, rows, new), rows


def show_kept(values: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array | pa.ChunkedArray:
    r"""Undo :func:`hide_kept` in ``rows`` (after the scrubber has run).

    Example:
        >>> show_kept(pa.array(["案号\ue036\ue030"]), np.array([True])).to_pylist()
        ['案号60']
    """
    if not rows.any():
        return values
    texts = pc.filter(values, pa.array(rows))
    for lookalike, digit in zip(_LOOKALIKES, _DIGITS, strict=True):  # in C, not per character
        texts = pc.replace_substring(texts, lookalike, digit)
    return replace_rows(values, rows, texts)
