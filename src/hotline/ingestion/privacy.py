"""Keep personal data out of the processed dataset (domain reference §8).

* Free text (诉求内容, 答复意见, titles) is scrubbed of ID-card numbers, bank-card numbers,
  mobile and landline numbers, e-mail addresses and QQ numbers, and of the row's own caller
  name and user id; in 311 text also of North American phone numbers and US social security
  numbers (``[phone]``, ``[SSN]``).
* The caller's phone (or online user id) survives only as ``caller_key``, an HMAC-SHA256 keyed
  hash that links repeat callers without revealing them, and as a masked display form
  (``138****1234``). A plain hash of an 11-digit number is brute-forced in seconds; a keyed one
  is not, as long as the key stays secret.
* Caller names are dropped.

The key comes from :mod:`hotline.keys`. The same key gives the same ``caller_key`` in every
run, so re-running an ingest reproduces the dataset.

Example:
    >>> import pyarrow as pa
    >>> scrub_text(pa.array(["电话13812345678，身份证210123198001011234"])).to_pylist()
    ['电话[手机号]，身份证[身份证号]']
    >>> scrub_text(pa.array(["Call me at (812) 555-0123 or 812.555.0199."])).to_pylist()
    ['Call me at [phone] or [phone].']
    >>> mask_phones(normalize_phones(pa.array(["13812345678", "024-23456789", None]))).to_pylist()
    ['138****5678', '024-****6789', None]
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline.ingestion.values import only_where, replace_rows

__all__ = [
    "SCRUB_RULES",
    "SCRUB_SCREEN",
    "caller_keys",
    "mask_phones",
    "normalize_phones",
    "safe_example",
    "scrub_identifiers",
    "scrub_text",
]

_BEFORE = r"(^|[^0-9])"  # RE2 has no look-behind: keep the preceding character

#: (pattern, replacement) in the order applied; the most specific numbers go first.
_SEP = r"[ \-－.·]?"  # spaces, hyphens (full-width too) and dots people put in numbers

#: (pattern, replacement) in the order applied; the most specific numbers go first.
SCRUB_RULES: tuple[tuple[str, str], ...] = (
    (  # 18-digit resident ID card (GB 11643), also written in groups, then the old 15 digits
        _BEFORE + r"[1-9][0-9]{5}" + _SEP + r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])"
        r"(?:0[1-9]|[12][0-9]|3[01])" + _SEP + r"[0-9]{3}[0-9Xx]",
        r"\1[身份证号]",
    ),
    (_BEFORE + r"[0-9]{4}(?:[ -]?[0-9]{4}){3}(?:[ -]?[0-9]{1,4})*", r"\1[银行卡号]"),
    (
        _BEFORE + r"[1-9][0-9]{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}",
        r"\1[身份证号]",
    ),
    (  # mobiles: 138 1234 5678, 138-1234-5678, 138.1234.5678, +86 138…, 0138…
        _BEFORE + r"(?:\+?86[ -]?|0)?1[3-9][0-9](?:" + _SEP + r"[0-9]{4}){2}",
        r"\1[手机号]",
    ),
    (  # landlines with an area code: 024-23456789, (0410)2345678, （024）23456789, +86 10 …
        _BEFORE
        + r"(?:\+?86[ -]?[(（]?|[(（]?0)[1-9][0-9]{1,2}[)）]?"
        + _SEP
        + r"[2-9][0-9]{2,3}"
        + _SEP
        + r"[0-9]{4}",
        r"\1[电话]",
    ),
    (r"(电话|手机|号码|座机|联系方式|联系)([:：]?\s*)[0-9]{7,8}", r"\1\2[电话]"),
    (  # North American numbers in 311 text: (812) 555-0123, 812-555-0123, +1 812.555.0123
        _BEFORE
        + r"(?:\+?1[ .-]?)?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}"
        r"([^0-9]|$)",
        r"\1[phone]\2",
    ),
    (_BEFORE + r"[0-9]{3}-[0-9]{2}-[0-9]{4}([^0-9]|$)", r"\1[SSN]\2"),  # US social security
    (r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "[邮箱]"),
    (r"(?i)(qq|微信|vx)(号?[:：]?\s*)[0-9]{5,11}", r"\1\2[QQ号]"),
)
#: Cells without five digits (spaces or hyphens between allowed) or an @ hold none of the above.
SCRUB_SCREEN = r"[0-9](?:[ \-－.·()（）]{0,2}[0-9]){4}|@"


def _scrub(values: pa.Array) -> pa.Array:
    for pattern, replacement in SCRUB_RULES:
        values = pc.replace_substring_regex(values, pattern, replacement)
    return values


def scrub_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Replace personal numbers and addresses in free text with bracketed placeholders.

    Only cells that could hold one (five digits, or an ``@``) are rewritten.

    Example:
        >>> scrub_text(pa.array(["卡号6222 0212 3456 7890 123，邮箱a.b@qq.com"])).to_pylist()
        ['卡号[银行卡号]，邮箱[邮箱]']
    """
    return only_where(pc.cast(values, pa.string()), SCRUB_SCREEN, _scrub)


_DATE_OR_NUMBER = re.compile(r"^[0-9\s/\-.:：年月日时分秒点TtZzAaPpMm上下午+,，]{1,40}$")
_PLACEHOLDERS = frozenset(
    "待定 无 空 暂无 未知 不详 未办结 未结案 办理中 超期 延期".split()
    + "- / — null none nan #N/A #VALUE! #REF! #DIV/0!".split()
)
# A short all-Chinese word that starts with a common surname may be a name in the wrong column.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤"
)


def safe_example(value: object, kind: str = "time") -> str:
    """A cell as shown in a report, an error message or the rejects file, without personal data.

    Reports and rejects sit beside the processed data, so they must not carry a phone number or
    a name that happened to sit in the wrong column. Anything the scrubber would change is
    hidden. Of the rest, a ``time`` cell (dates, numbers) is shown only when it looks like one
    or is a common placeholder (待定); a ``code`` cell (a status or channel word the analyst may
    need to add to a mapping) is shown unless it could be a name.

    Example:
        >>> safe_example("2021/3/5 25:00"), safe_example("待定"), safe_example("张三")
        ('2021/3/5 25:00', '待定', '‹2 个字符，已隐藏›')
        >>> safe_example("138-1234-5678"), safe_example("处理完了", "code")
        ('‹13 个字符，已隐藏›', '处理完了')
        >>> safe_example("王建国", "code")
        '‹3 个字符，已隐藏›'
    """
    text = "" if value is None else str(value).strip()
    hidden = f"‹{len(text)} 个字符，已隐藏›"
    if scrub_text(pa.array([text]))[0].as_py() != text:
        return hidden
    if kind == "code":
        looks_like_name = re.fullmatch(r"[\u4e00-\u9fff]{2,3}", text) and text[0] in _SURNAMES
        return hidden if looks_like_name else text[:24]
    if text in _PLACEHOLDERS or _DATE_OR_NUMBER.match(text):
        return text
    return hidden


def scrub_identifiers(
    values: pa.Array | pa.ChunkedArray, identifiers: pa.Array | pa.ChunkedArray, placeholder: str
) -> pa.Array | pa.ChunkedArray:
    """Remove each row's own identifier (caller name, user id) from that row's text.

    Each row has its own pattern, so DuckDB (vectorised, all cores) finds the rows whose text
    contains their identifier; only those rows are rewritten.

    Example:
        >>> scrub_identifiers(pa.array(["我是张伟，住三号楼", "无"]), pa.array(["张伟", "李娜"]),
        ...                   "[姓名]").to_pylist()
        ['我是[姓名]，住三号楼', '无']
    """
    import duckdb

    rows = pa.table({"text": values, "who": pc.cast(identifiers, pa.string())})
    query = "select coalesce(length(who) >= 2 and contains(text, who), false) as hit from rows"
    with duckdb.connect() as con:
        con.register("rows", rows)
        hits = con.sql(query).to_arrow_table().column(0).to_numpy()
    if not hits.any():
        return values
    where = pa.array(np.flatnonzero(hits))
    texts = pc.take(values, where).to_pylist()
    names = pc.take(rows.column("who"), where).to_pylist()
    replaced = [t.replace(n, placeholder) for t, n in zip(texts, names, strict=True)]
    return replace_rows(values, hits, pa.array(replaced, pa.string()))


def normalize_phones(values: pa.Array) -> pa.Array:
    """Digits of each phone, without a +86/0086 country prefix; null when under 5 digits.

    Example:
        >>> normalize_phones(pa.array(["+86 138-1234-5678", "匿名", "0410 1234567"])).to_pylist()
        ['13812345678', None, '04101234567']
    """
    # Most cells already hold just the digits of a mobile or a landline: leave those alone.
    digits = only_where(pc.cast(values, pa.string()), r"[^0-9]|^(?:0086|86)1", _phone_digits)
    too_short = pc.less(pc.binary_length(digits), 5)
    if not pc.any(too_short).as_py():
        return digits  # the usual case: keep the column rather than copy it
    return pc.if_else(too_short, None, digits)


def _phone_digits(values: pa.Array) -> pa.Array:
    digits = pc.replace_substring_regex(pc.utf8_normalize(values, form="NFKC"), r"[^0-9]", "")
    return pc.replace_substring_regex(digits, r"^(?:0086|86)(1[3-9][0-9]{9})$", r"\1")


def mask_phones(phones: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Display form of normalised phones: ``138****5678``, ``024-****6789``, ``****78``.

    Masking is display de-identification, not anonymisation (PIPL art. 73): the masked form
    is for reading, ``caller_key`` for linking.

    Args:
        phones: Output of :func:`normalize_phones`.
    """
    phones = pc.cast(phones, pa.string())
    masked = pc.replace_substring_regex(phones, _MOBILE, r"\1****\2")
    # Landlines and odd numbers are few: mask them apart. Beijing, Shanghai, Tianjin and
    # Chongqing (01x, 02x) have 3-digit area codes, others 4.
    return only_where(masked, r"^[0-9]+$", _mask_other)


_MOBILE = r"^(1[3-9][0-9])[0-9]{4}([0-9]{4})$"


def _mask_other(phones: pa.Array) -> pa.Array:
    landline = pc.replace_substring_regex(
        phones, r"^(0(?:1[0-9]|2[0-9]|[3-9][0-9]{2}))[0-9]{2,}([0-9]{4})$", r"\1-****\2"
    )
    return pc.replace_substring_regex(landline, r"^[0-9]*([0-9]{2})$", r"****\1")


def caller_keys(values: pa.Array | pa.ChunkedArray, key: bytes, namespace: str) -> pa.Array:
    """HMAC-SHA256 of each value under ``key``, as 32 hex digits; null stays null.

    HMAC(K, m) = SHA256((K ⊕ opad) ‖ SHA256((K ⊕ ipad) ‖ m)) (RFC 2104), computed in DuckDB
    so that a million callers take a fraction of a second; the result equals Python's
    ``hmac.new(key, namespace + ":" + value, "sha256")``.

    Args:
        values: Normalised phones or user ids.
        key: The secret key (:func:`load_key`).
        namespace: ``phone`` or ``user``, so that a phone and a user id never collide.

    Example:
        >>> import hmac
        >>> caller_keys(pa.array(["13812345678", None]), b"k", "phone").to_pylist()[0]
        'eb2ee25f0b40d74e443ed477f67a2101'
        >>> hmac.new(b"k", b"phone:13812345678", "sha256").hexdigest()[:32]
        'eb2ee25f0b40d74e443ed477f67a2101'
    """
    import duckdb

    block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
    inner_pad = bytes(b ^ 0x36 for b in block)
    outer_pad = bytes(b ^ 0x5C for b in block)
    query = (
        "select left(sha256($outer || unhex(sha256($inner || encode($prefix || v)))), 32) "
        "as k from rows"
    )
    params = {"outer": outer_pad, "inner": inner_pad, "prefix": f"{namespace}:"}
    with duckdb.connect() as con:
        con.register("rows", pa.table({"v": pc.cast(values, pa.string())}))
        result = con.sql(query, params=params).to_arrow_table()
    return result.column(0).combine_chunks()
