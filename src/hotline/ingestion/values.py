"""Vectorised parsing of export cells: dates, ids, free text, vocabularies, numbers.

Every parser works on a whole Arrow column at once (RE2 regular expressions and NumPy arithmetic,
no Python loop per cell) and returns, next to the parsed values, a mask of the cells it could not
understand. Nothing unparseable silently becomes missing: the caller counts and reports the mask.

Example:
    >>> import pyarrow as pa
    >>> times, bad = parse_datetimes(pa.array(["2021/3/5 9:32:09", "2021年3月5日 14时03分",
    ...                                         "44260.5", "2021-02-30", ""]))
    >>> [str(t) for t in times.to_pylist()]
    ['2021-03-05 09:32:09', '2021-03-05 14:03:00', '2021-03-05 12:00:00', 'None', 'None']
    >>> bad.tolist()
    [False, False, False, True, False]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotline.profiles.zones import tzinfo_of

__all__ = [
    "MOJIBAKE",
    "NON_BLANK",
    "TIDY_SCREEN",
    "clean_label",
    "clean_text",
    "dominant_offset",
    "empty_to_null",
    "looks_mojibake",
    "map_vocabulary",
    "normalize_ids",
    "offset_minutes",
    "on_distinct",
    "only_where",
    "parse_datetimes",
    "parse_ints",
    "parse_workdays",
    "replace_in_chunks",
    "replace_rows",
]

#: A character that is not whitespace, Unicode spaces included (RE2's ``\S`` is ASCII-only).
NON_BLANK = r"[^\s\x{00a0}\x{1680}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}\x{feff}]"


def replace_rows(
    values: pa.Array | pa.ChunkedArray, mask: np.ndarray, replacements: pa.Array
) -> pa.Array | pa.ChunkedArray:
    """``values`` with the rows where ``mask`` is true replaced, in order, by ``replacements``.

    Each chunk with a replaced row is rebuilt by one ``take`` from the chunk followed by its
    replacements (eight times faster than Arrow's ``replace_with_mask`` on long text); chunks
    without one are kept as they are.

    Example:
        >>> replace_rows(pa.array(["a", "b", "c"]), np.array([False, True, True]),
        ...              pa.array(["B", "C"])).to_pylist()
        ['a', 'B', 'C']
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    replace_in_chunks(chunks, mask, replacements)
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array(chunks, type=values.type)
    return chunks[0]


def replace_in_chunks(chunks: list[pa.Array], mask: np.ndarray, replacements: pa.Array) -> None:
    """:func:`replace_rows` on a list of chunks, each replaced in the list as it is rebuilt.

    When the list holds the only reference to a chunk, the chunk is freed once its copy is
    made, so the next copy reuses its memory.

    Example:
        >>> chunks = [pa.array(["a", "b"]), pa.array(["c"])]
        >>> replace_in_chunks(chunks, np.array([False, True, True]), pa.array(["B", "C"]))
        >>> [c.to_pylist() for c in chunks]
        [['a', 'B'], ['C']]
    """
    if isinstance(replacements, pa.ChunkedArray):
        replacements = replacements.combine_chunks()
    start = used = 0
    for index in range(len(chunks)):
        n = len(chunks[index])
        hits = int(mask[start : start + n].sum())
        if hits:
            part, slice_ = mask[start : start + n], replacements.slice(used, hits)
            chunks[index] = _replace_in_chunk(chunks[index], part, slice_.cast(chunks[index].type))
        start, used = start + n, used + hits


def _replace_in_chunk(chunk: pa.Array, mask: np.ndarray, replacements: pa.Array) -> pa.Array:
    n = len(chunk)
    positions = np.arange(n, dtype=np.int64)
    positions[mask] = n + np.arange(len(replacements), dtype=np.int64)
    return pa.concat_arrays([chunk, replacements]).take(pa.array(positions))


def only_where(
    values: pa.Array | pa.ChunkedArray, pattern: str, change: Callable[[pa.Array], pa.Array]
) -> pa.Array | pa.ChunkedArray:
    """Apply ``change`` to the cells matching ``pattern`` only (most cells need nothing).

    Example:
        >>> only_where(pa.array(["a1", "b", None]), r"[0-9]", pc.utf8_upper).to_pylist()
        ['A1', 'b', None]
    """
    hits = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    mask = hits.to_numpy(zero_copy_only=False)
    if not mask.any():
        return values
    return replace_rows(values, mask, change(pc.filter(values, hits)))


# --- dates ------------------------------------------------------------------------------------

_AMPM = r"上午|下午|凌晨|早上|中午|晚上|[AaPp]\.?[Mm]\.?"
_TIME = (
    rf"(?:[T\s]*(?P<ap1>{_AMPM})?\s*(?P<H>\d{{1,2}})\s*[:时点點]\s*(?P<M>\d{{1,2}})"
    r"(?:\s*[:分]\s*(?P<S>\d{1,2})(?:[.,](?P<F>\d{1,9}))?\s*秒?)?\s*分?)?"
)
_TAIL = rf"\s*(?P<ap2>{_AMPM})?\s*(?P<Z>Z|[+-]\d{{2}}:?\d{{2}})?\s*$"
_PATTERNS = {
    "ymd": r"^\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    + _TIME
    + _TAIL,
    "mdy": r"^\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})\s*[-/.]\s*(?P<y>\d{4}|\d{2})"
    + _TIME
    + _TAIL,
    "dmy": r"^\s*(?P<d>\d{1,2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4}|\d{2})"
    + _TIME
    + _TAIL,
    "compact": r"^\s*(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})"
    r"(?:\s*T?(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2}))?)?\s*$",
}
_SERIAL = r"^\s*\d{5}(?:\.\d+)?\s*$"
_SERIAL_RANGE = (20000.0, 80000.0)  # 1954-10-03 .. 2119-01-10 in Excel's 1900 date system
_EXCEL_EPOCH_DAYS = -25569  # 1899-12-30 relative to 1970-01-01
_US_PER_DAY = 86_400_000_000
_PM = {"下午", "晚上", "pm", "p.m.", "p.m", "pm."}
_AM = {"上午", "凌晨", "早上", "am", "a.m.", "a.m", "am."}


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _int_field(struct: pa.StructArray, name: str, default: int) -> np.ndarray:
    values = pc.struct_field(struct, name)
    filled = pc.if_else(pc.equal(values, ""), str(default), values)
    return pc.cast(pc.fill_null(filled, str(default)), pa.int64()).to_numpy(zero_copy_only=False)


def _fraction_us(struct: pa.StructArray) -> np.ndarray:
    digits = pc.fill_null(pc.struct_field(struct, "F"), "")
    padded = pc.utf8_slice_codeunits(pc.binary_join_element_wise(digits, "000000", ""), 0, 6)
    return pc.cast(padded, pa.int64()).to_numpy(zero_copy_only=False)


def _from_components(
    struct: pa.StructArray, matched: np.ndarray, timezone: str
) -> tuple[np.ndarray, np.ndarray]:
    """Struct of date parts -> (microseconds since epoch, valid mask)."""
    y = _int_field(struct, "y", 1970)
    m = _int_field(struct, "m", 1)
    d = _int_field(struct, "d", 1)
    names = {f.name for f in struct.type}
    hour = _int_field(struct, "H", 0) if "H" in names else np.zeros_like(y)
    minute = _int_field(struct, "M", 0) if "M" in names else np.zeros_like(y)
    second = _int_field(struct, "S", 0) if "S" in names else np.zeros_like(y)
    micros = _fraction_us(struct) if "F" in names else np.zeros_like(y)
    # Excel's two-digit-year rule, for years written with two digits (0021 is not 2021)
    short = pc.less_equal(pc.utf8_length(pc.struct_field(struct, "y")), 2).to_numpy(
        zero_copy_only=False
    )
    y = np.where(short, np.where(y < 30, y + 2000, y + 1900), y)
    if "ap1" in names:
        first = pc.struct_field(struct, "ap1")
        marker = pc.if_else(pc.equal(first, ""), pc.struct_field(struct, "ap2"), first)
        marker = pc.fill_null(pc.utf8_lower(marker), "").to_numpy(zero_copy_only=False).astype(str)
        pm = np.isin(marker, list(_PM)) | ((marker == "中午") & (hour < 11))
        am = np.isin(marker, list(_AM))
        ampm = pm | am
        valid_12h = ~ampm | ((hour >= 1) & (hour <= 12)) | ((hour == 0) & am)
        hour = np.where(pm & (hour < 12), hour + 12, np.where(am & (hour == 12), 0, hour))
    else:
        valid_12h = np.ones_like(matched)
    month_ok = (m >= 1) & (m <= 12)
    safe_m = np.where(month_ok, m, 1)
    start = _days_from_civil(y, safe_m, np.ones_like(d))
    next_y = np.where(safe_m == 12, y + 1, y)
    next_m = np.where(safe_m == 12, 1, safe_m + 1)
    length = _days_from_civil(next_y, next_m, np.ones_like(d)) - start
    valid = (
        matched
        & month_ok
        & (d >= 1)
        & (d <= length)
        & (y >= 1900)
        & (y <= 2199)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & valid_12h
    )
    days = start + d - 1
    total = (((days * 24 + hour) * 60 + minute) * 60 + second) * 1_000_000 + micros
    if "Z" in names:
        zone = pc.fill_null(pc.struct_field(struct, "Z"), "").to_numpy(zero_copy_only=False)
        zone = zone.astype(str)
        with_zone = (zone != "") & valid
        if with_zone.any():
            total = total.copy()
            total[with_zone] = _shift_zone(total[with_zone], zone[with_zone], timezone)
    return total, valid


def _shift_zone(local_us: np.ndarray, zones: np.ndarray, timezone: str) -> np.ndarray:
    """Times written with an offset -> naive local time of ``timezone`` (whole columns)."""
    minutes = offset_minutes(pa.array(zones, pa.string()))
    utc = pd.to_datetime(local_us - minutes * 60_000_000, unit="us", utc=True)
    local = utc.tz_convert(tzinfo_of(timezone)).tz_localize(None)
    return local.as_unit("us").asi8


def offset_minutes(zones: pa.Array) -> np.ndarray:
    """Minutes east of UTC of ISO 8601 offsets (``-04:00``, ``+0800``; ``Z`` and others: 0).

    Example:
        >>> offset_minutes(pa.array(["-04:00", "+0530", "Z", None])).tolist()
        [-240, 330, 0, 0]
    """
    parts = pc.extract_regex(pc.fill_null(zones, ""), r"^(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})$")
    west = pc.fill_null(pc.equal(pc.struct_field(parts, "sign"), "-"), False)
    sign = np.where(west.to_numpy(zero_copy_only=False), -1, 1)
    return sign * (_int_field(parts, "h", 0) * 60 + _int_field(parts, "m", 0))


_TRAILING_OFFSET = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?\s*(?P<z>Z|[+-]\d{2}:?\d{2})\s*$"


def dominant_offset(values: pa.Array | pa.ChunkedArray) -> tuple[str | None, dict[str, int]]:
    """The offset most date-times of a column state, and how many state each.

    Ties go to the offset that sorts first, so the answer does not depend on row order.

    Example:
        >>> dominant_offset(pa.array(["2012-05-23T15:55:28-04:00", "2012-11-05T09:00:00-05:00",
        ...                           "2012-05-22T08:00:00-04:00", "", None]))
        ('-04:00', {'-04:00': 2, '-05:00': 1})
    """
    found = pc.struct_field(pc.extract_regex(pc.fill_null(values, ""), _TRAILING_OFFSET), "z")
    counts = {
        row["values"]: row["counts"] for row in pc.value_counts(pc.drop_null(found)).to_pylist()
    }
    counts = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return next(iter(counts), None), counts


_FAST_FORMATS = {
    "ymd": (
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y/%m/%d",
        "%Y-%m-%d",
    ),
    "mdy": (
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%y %H:%M",  # Excel's short US form, two-digit years: 1/1/20 0:05
        "%m/%d/%Y",
    ),
    "dmy": ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"),
}
_SAMPLE = 500


def _dominant_format(values: pa.Array, date_order: str) -> str | None:
    """The fast format that parses most of a sample of the column, if it parses most."""
    sample = values.slice(0, _SAMPLE) if len(values) > _SAMPLE else values
    sample = pc.drop_null(pc.if_else(pc.equal(sample, ""), None, sample))
    if len(sample) == 0:
        return None
    best, best_hits = None, 0
    for fmt in _FAST_FORMATS[date_order]:
        parsed = pc.strptime(sample, format=fmt, unit="us", error_is_null=True)
        hits = len(sample) - parsed.null_count
        if hits > best_hits:
            best, best_hits = fmt, hits
    return best if best_hits * 2 > len(sample) else None


def _fast_parse(values: pa.Array, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """Arrow's strptime (C++) for the common format; its doubtful results are left undone.

    strptime rolls impossible dates over (``2021-02-30`` -> March 2) and second 60 into the next
    minute, so results on days 1-3, at second 0 or outside 1900-2199 go to the strict parser.
    """
    parsed = pc.strptime(values, format=fmt, unit="us", error_is_null=True)
    ok = parsed.is_valid().to_numpy(zero_copy_only=False)
    if not ok.any():
        return np.zeros(len(values), dtype=np.int64), ok
    year = pc.year(parsed).to_numpy(zero_copy_only=False)
    day = pc.day(parsed).to_numpy(zero_copy_only=False)
    doubtful = (day <= 3) | (year < 1900) | (year > 2199)
    if "%S" in fmt:  # second 60 and 61 roll over to :00 and :01 of the next minute
        doubtful |= pc.second(parsed).to_numpy(zero_copy_only=False) <= 1
    ok &= ~np.nan_to_num(doubtful, nan=True).astype(bool)
    micros = pc.cast(pc.fill_null(parsed, 0), pa.int64()).to_numpy(zero_copy_only=False)
    return micros.copy(), ok


_ISO = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$"


def _looks_iso(values: pa.Array) -> bool:
    """Whether most of a sample of the column is plain ISO 8601 (SODA: ``…T02:08:51.000``)."""
    sample = values.slice(0, _SAMPLE) if len(values) > _SAMPLE else values
    hits = pc.sum(pc.match_substring_regex(sample, _ISO)).as_py() or 0
    filled = pc.sum(pc.not_equal(sample, "")).as_py() or 0
    return hits * 2 > filled > 0


def _iso_parse(values: pa.Array) -> tuple[pa.TimestampArray, np.ndarray] | None:
    """Arrow's ISO 8601 cast, when it takes the whole column: fast and strict (no rollover).

    Returns None when any cell is not plain ISO (an offset, padding, an impossible date), has
    an hour without minutes (``2021-03-05 10``, which the cast would take), or a year outside
    1900-2199: the general parser then decides cell by cell.
    """
    cells = empty_to_null(values)
    if pc.any(pc.equal(pc.utf8_length(cells), len("2021-03-05 10"))).as_py():
        return None
    try:
        times = pc.cast(cells, pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if isinstance(times, pa.ChunkedArray):
        times = times.combine_chunks()
    bounds = pc.min_max(pc.year(times))
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if low is not None and (low < 1900 or high > 2199):
        return None
    return times, np.zeros(len(values), dtype=bool)


def parse_datetimes(
    values: pa.Array, *, date_order: str = "ymd", timezone: str = "Asia/Shanghai"
) -> tuple[pa.TimestampArray, np.ndarray]:
    """Parse a column of date-time text into naive local timestamps.

    Understands ``2021/3/5 9:32:09``, ``2021-03-05 14:03``, ``2021年3月5日 14时03分``, date-only
    values, 12-hour times (``下午2:03``, ``2:03:04 PM``), ISO 8601 with ``T``, fractions and
    offsets (converted to ``timezone``), compact ``20210305``, and Excel serial day numbers.
    Impossible dates (``2021-02-30``) are unparseable, not rolled over. The column's most common
    form is parsed by Arrow's C++ ``strptime``; the rest by one strict regular expression per
    form.

    Args:
        values: Text cells; empty strings and nulls are missing, not errors.
        date_order: Order of numeric dates that do not start with a 4-digit year: ``ymd``
            (Chinese exports, where such dates are unexpected), ``mdy`` (US) or ``dmy``.
        timezone: Zone of the stored wall-clock times (IANA name or ``UTC±HH:MM``): values
            that carry an offset are converted to it.

    Returns:
        The timestamps (microseconds, naive local time) and a mask of non-empty cells that could
        not be parsed.
    """
    values = pc.cast(values, pa.string())
    n = len(values)
    out = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    fmt = _dominant_format(values, date_order)
    if (fmt is None or fmt.startswith("%Y-%m-%d")) and _looks_iso(values):
        strict = _iso_parse(values)
        if strict is not None:
            return strict
    if isinstance(values, pa.ChunkedArray):
        # Combined only here: the ISO path reads the chunks as they are, without a copy.
        values = values.combine_chunks()
    if fmt is not None:
        out, ok = _fast_parse(values, fmt)
    # Everything below runs on the cells the fast path left: usually a small share.
    rest = np.flatnonzero(~ok)
    if rest.size == 0:
        return pa.array(out, pa.timestamp("us")), ok & False
    others = values if rest.size == n else pc.take(values, pa.array(rest))
    # Full-width digits and odd spaces (２０２１年３月５日\u3000９:３２) fold to ASCII.
    others = only_where(others, r"[^\x00-\x7f]", lambda v: pc.utf8_normalize(v, form="NFKC"))
    present = np.zeros(n, dtype=bool)
    present[ok] = True
    present[rest] = pc.fill_null(pc.match_substring_regex(others, NON_BLANK), False).to_numpy(
        zero_copy_only=False
    )
    position = np.full(n, -1, dtype=np.int64)
    position[rest] = np.arange(rest.size)
    patterns = ["ymd", "compact"] if date_order == "ymd" else [date_order, "ymd", "compact"]
    todo = np.flatnonzero(present & ~ok)
    for name in patterns:
        if todo.size == 0:
            break
        struct = pc.extract_regex(pc.take(others, pa.array(position[todo])), _PATTERNS[name])
        matched = struct.is_valid().to_numpy(zero_copy_only=False)
        if not matched.any():
            continue
        total, valid = _from_components(struct, matched, timezone)
        hit = todo[valid]
        out[hit] = total[valid]
        ok[hit] = True
        todo = todo[~matched]  # a matched but invalid cell is not retried as another form
    if todo.size:
        subset = pc.take(others, pa.array(position[todo]))
        serial = pc.match_substring_regex(subset, _SERIAL).to_numpy(zero_copy_only=False)
        if serial.any():
            numbers = pc.cast(pc.utf8_trim_whitespace(pc.filter(subset, serial)), pa.float64())
            days = numbers.to_numpy(zero_copy_only=False)
            in_range = (days >= _SERIAL_RANGE[0]) & (days <= _SERIAL_RANGE[1])
            micros = np.round((days + _EXCEL_EPOCH_DAYS) * (_US_PER_DAY // 1_000_000)) * 1_000_000
            idx = todo[serial][in_range]
            out[idx] = micros[in_range].astype(np.int64)
            ok[idx] = True
    times = pa.array(out, pa.timestamp("us"), mask=~ok)
    return times, present & ~ok


# --- ids, numbers -----------------------------------------------------------------------------

_SCIENTIFIC = r"^[0-9](\.[0-9]+)?[eE][+-]?[0-9]+$"


def normalize_ids(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """NFKC-fold and strip ids (spaces, zero-width characters, Excel's ``="…"`` and ``'``).

    Ids Excel turned into scientific notation are flagged: their digits are lost.

    Returns:
        The ids (null when empty) and a mask of ids whose digits are lost (``1.2E+07``).

    Example:
        >>> ids, lost = normalize_ids(pa.array(["ＴＬ２０２１\u3000", " 123 ", "1.2E+07", ""]))
        >>> ids.to_pylist(), lost.tolist()
        (['TL2021', '123', '1.2E+07', None], [False, False, True, False])
    """
    folded = only_where(pc.cast(values, pa.string()), r"[^\x00-\x7f]|\s|^=|^'", _fold_id)
    folded = empty_to_null(folded)
    lost = pc.fill_null(pc.match_substring_regex(folded, _SCIENTIFIC), False)
    return folded, lost.to_numpy(zero_copy_only=False)


def _fold_id(values: pa.Array) -> pa.Array:
    folded = pc.utf8_normalize(values, form="NFKC")
    folded = pc.replace_substring_regex(folded, r"[\s\x{200b}-\x{200d}\x{2060}\x{feff}]+", "")
    # Excel's ways of keeping leading zeros in a CSV: ="00123" and '00123
    folded = pc.replace_substring_regex(folded, r'^="(.*)"$', r"\1")
    return pc.replace_substring_regex(folded, r"^'", "")


def parse_ints(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Leading whole number of each cell (``3``, ``3次``, ``３``); others are unparseable.

    Example:
        >>> counts, bad = parse_ints(pa.array(["3次", "", "两次"]))
        >>> counts.to_pylist(), bad.tolist()
        ([3, None, None], [False, False, True])
    """
    folded = pc.utf8_normalize(pc.cast(values, pa.string()), form="NFKC")
    digits = pc.struct_field(pc.extract_regex(folded, r"^\s*(?P<n>\d{1,9})"), "n")
    present = pc.fill_null(pc.match_substring_regex(folded, NON_BLANK), False)
    parsed = pc.cast(digits, pa.int32())
    bad = pc.and_(present, pc.is_null(parsed))
    return parsed, bad.to_numpy(zero_copy_only=False)


def parse_workdays(values: pa.Array) -> pa.Array:
    """Number of working days in cells like ``5个工作日`` (null elsewhere).

    Example:
        >>> parse_workdays(pa.array(["5个工作日", "2021-03-10", "15 工作日"])).to_pylist()
        [5, None, 15]
    """
    values = pc.cast(values, pa.string())
    mentions = pc.fill_null(pc.match_substring(values, "工作日"), False)
    days = pa.nulls(len(values), pa.int32())
    if not pc.any(mentions).as_py():  # the usual case: a date column, nothing to read here
        return days
    folded = pc.utf8_normalize(pc.filter(values, mentions), form="NFKC")
    pattern = r"^\s*(?P<n>\d{1,3})\s*个?\s*工作日\s*$"
    found = pc.cast(pc.struct_field(pc.extract_regex(folded, pattern), "n"), pa.int32())
    return replace_rows(days, mentions.to_numpy(zero_copy_only=False), found)


# --- text -------------------------------------------------------------------------------------

_ODD_SPACES = r"[\x{00a0}\x{1680}\x{2000}-\x{200b}\x{202f}\x{205f}\x{3000}\x{feff}\t\f\v]+"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _fold_fullwidth_digits(values: pa.Array) -> pa.Array:
    return pa.array(
        [None if s is None else s.translate(_FULLWIDTH_DIGITS) for s in values.to_pylist()],
        pa.string(),
    )


def _tidy(values: pa.Array) -> pa.Array:
    values = pc.replace_substring_regex(values, _ODD_SPACES, " ")
    values = pc.replace_substring_regex(values, r" *\r?\n\s*", "\n")
    values = pc.replace_substring_regex(values, r" {2,}", " ")
    values = only_where(values, r"[０-９]", _fold_fullwidth_digits)
    return empty_to_null(pc.utf8_trim_whitespace(values))


#: Cells that :func:`clean_text` changes: odd or doubled spaces, line breaks, full-width digits,
#: leading or trailing space. Everything else passes through without a copy.
TIDY_SCREEN = _ODD_SPACES + r"|\r|\n| {2}|[０-９]|^\s|\s$"


def empty_to_null(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Empty strings become missing (a cheap length check first: usually there are none).

    Example:
        >>> empty_to_null(pa.array(["a", ""])).to_pylist()
        ['a', None]
    """
    empty = pc.equal(pc.binary_length(values), 0)
    if not pc.any(empty).as_py():
        return values
    return pc.if_else(empty, pa.scalar(None, values.type), values)


def clean_text(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    r"""Tidy free text: odd spaces become plain ones, blank lines go, full-width digits fold.

    Full-width digits are folded so that a phone number typed as ``１３８…`` is scrubbed like
    any other; other full-width punctuation is left as written. One screening pass
    (:data:`TIDY_SCREEN`) finds the cells that need any of this; only those are rewritten.

    Example:
        >>> clean_text(pa.array(["\n\t\t留言\u3000详情 \r\n\n 电话１３８", "  ", "ok"])).to_pylist()
        ['留言 详情\n电话138', None, 'ok']
    """
    return empty_to_null(only_where(pc.cast(values, pa.string()), TIDY_SCREEN, _tidy))


def on_distinct(
    values: pa.Array | pa.ChunkedArray, change: Callable[[pa.Array], pa.Array]
) -> pa.Array:
    """Apply ``change`` once per distinct value: labels repeat, so this is much cheaper.

    Example:
        >>> on_distinct(pa.array(["a", "b", "a", None]), pc.utf8_upper).to_pylist()
        ['A', 'B', 'A', None]
    """
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    return pc.take(change(encoded.dictionary), encoded.indices)


def _tidy_label(values: pa.Array) -> pa.Array:
    text = pc.utf8_normalize(pc.cast(values, pa.string()), form="NFKC")
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"\s+", " "))
    return pc.if_else(pc.equal(text, ""), None, text)


def clean_label(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Tidy a short label (town, department, topic): NFKC, single spaces, trimmed.

    NFKC makes ``县住建局（城建）`` and ``县住建局(城建)`` one department. Labels repeat, so the
    work is done once per distinct value.

    Example:
        >>> clean_label(pa.array(["县住建局（城建）\u3000", "  "])).to_pylist()
        ['县住建局(城建)', None]
    """
    return on_distinct(pc.cast(values, pa.string()), _tidy_label)


# --- mojibake ---------------------------------------------------------------------------------

# UTF-8 bytes read as Windows-1252 or Latin-1: a lead byte (Â-ß, à-ï) followed by what a
# continuation byte becomes (U+0080-U+00BF, or the Windows-1252 letters of bytes 0x80-0x9F).
_CONTINUATION = (
    r"[\x{80}-\x{bf}\x{152}\x{153}\x{160}\x{161}\x{178}\x{17d}\x{17e}\x{192}\x{2c6}\x{2dc}"
    r"\x{2013}\x{2014}\x{2018}-\x{201e}\x{2020}-\x{2022}\x{2026}\x{2030}\x{2039}\x{203a}"
    r"\x{20ac}\x{2122}]"
)
#: Text that was decoded with the wrong codec: the replacement character, GBK's 锟斤拷 (UTF-8
#: replacement bytes read as GBK), or UTF-8 read as Windows-1252 (``CafÃ©``, ``donâ€™t``).
MOJIBAKE = (
    r"\x{fffd}|锟斤拷|[\x{c2}-\x{df}]" + _CONTINUATION + r"|[\x{e0}-\x{ef}]" + _CONTINUATION + "{2}"
)


def looks_mojibake(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Mask of cells that show signs of a wrong decoding (:data:`MOJIBAKE`).

    Detection only: repairing needs a library such as ftfy, which is not a dependency.

    Example:
        >>> cells = pa.array(["CafÃ© open", "donâ€™t", "Café", "工单�", "锟斤拷", None])
        >>> looks_mojibake(cells).tolist()
        [True, True, False, True, True, False]
    """
    hits = pc.match_substring_regex(pc.cast(values, pa.string()), MOJIBAKE)
    return pc.fill_null(hits, False).to_numpy(zero_copy_only=False)


# --- vocabularies -----------------------------------------------------------------------------


def map_vocabulary(
    values: pa.Array,
    lookup: Callable[[Iterable[object]], list[str | None]],
    empty: str | None = None,
) -> tuple[pa.Array, np.ndarray]:
    """Map raw texts to codes through ``lookup``, once per distinct value.

    ``lookup`` answers ``""`` for a value that states "not known" (``Unspecified``): such a
    cell is empty, but not counted as unknown. Cells are trimmed before the lookup.

    Args:
        values: Raw cells.
        lookup: Codes for a list of trimmed texts (``None`` for an unknown text).
        empty: The code of an empty or missing cell (default: none).

    Returns:
        The codes (null for unknown cells, and for empty ones unless ``empty`` is given) and a
        mask of non-empty unknown cells.

    Example:
        >>> table = {"已办结": "closed", "办理中": "in_progress"}
        >>> codes, unknown = map_vocabulary(pa.array(["已办结 ", "", "？？", None]),
        ...                                 lambda vs: [table.get(v) for v in vs])
        >>> codes.to_pylist(), unknown.tolist()
        (['closed', None, None, None], [False, False, True, False])
        >>> codes, _ = map_vocabulary(pa.array(["", None]), lambda vs: [None] * len(vs), "-")
        >>> codes.to_pylist()
        ['-', '-']
    """
    # Every step runs on the distinct values; only two takes touch the whole column.
    encoded = pc.dictionary_encode(pc.cast(values, pa.string()))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries().combine_chunks()
    distinct = pc.utf8_trim_whitespace(encoded.dictionary).to_pylist()
    codes = [code if text else "" for text, code in zip(distinct, lookup(distinct), strict=True)]
    unknown = pa.array([code is None for code in codes] + [False], pa.bool_())
    mapped = pa.array([code or (empty if code == "" else None) for code in codes] + [empty])
    indices = pc.fill_null(encoded.indices, len(codes))  # a missing cell: the last entry
    return (
        pc.take(mapped.cast(pa.string()), indices),
        pc.take(unknown, indices).to_numpy(zero_copy_only=False),
    )
