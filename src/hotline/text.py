"""Small text-folding helpers shared by header matching and vocabulary lookup.

Exports spell the same header or value in many ways: full-width letters and digits, ideographic
spaces (U+3000), no-break spaces, a colon or an asterisk after a required field, a bracketed
remark. Folding removes these differences before any comparison; the original text is kept.

Example:
    >>> fold_header(" 工单编号（必填）：")
    '工单编号必填'
    >>> fold_header(strip_brackets("受理时间（系统）"))
    '受理时间'
    >>> fold_value("\u3000已办结 ")
    '已办结'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_header", "fold_value", "strip_brackets"]

# Punctuation that decorates headers without changing their meaning. "/" goes too, so that
# 乡镇/街道 and 乡镇街道 are one header.
_HEADER_NOISE = re.compile(r"[\s:：*＊#·、/\\|_\-—.。,，()（）\[\]【】<>《》\"'“”‘’]+")
_BRACKETED = re.compile(r"[(（\[【<《][^)）\]】>》]*[)）\]】>》]")
_SPACES = re.compile(r"\s+")


def strip_brackets(text: str) -> str:
    """Remove bracketed remarks such as ``（系统）`` or ``[必填]``.

    Example:
        >>> strip_brackets("已办结(超期)")
        '已办结'
    """
    return _BRACKETED.sub("", text)


def fold_header(header: object) -> str:
    """Fold a column header for matching: NFKC, lower-case, no spaces or decorative punctuation.

    Example:
        >>> fold_header("Created Date") == fold_header("created_date")
        True
    """
    text = unicodedata.normalize("NFKC", str(header)).lower()
    return _HEADER_NOISE.sub("", text)


def fold_value(value: object) -> str:
    """Fold a categorical value for vocabulary lookup: NFKC, lower-case, no whitespace.

    Example:
        >>> fold_value("ＡＰＰ")
        'app'
    """
    text = unicodedata.normalize("NFKC", str(value)).lower()
    return _SPACES.sub("", text)
