"""Dates of export cells: parsing whole columns, and deciding their day/month order by evidence.

Every function works on a whole Arrow column at once (RE2 regular expressions, Arrow's C++
``strptime`` and NumPy arithmetic, no Python loop per cell).

* :func:`parse_datetimes` reads a column of date-times in every form exports use and returns a
  mask of the cells it could not read (nothing unparseable silently becomes missing);
* :func:`order_evidence` reads what a column proves about the order of its numeric dates: a
  cell like ``21/01/2022`` is possible only as day-month-year, ``01/21/2022`` only as
  month-day-year, ``03/04/2022`` either way;
* :func:`settle_orders` decides each date column's order from that evidence and the profile's
  declared ``date_order``, and stops (never swaps silently) when they contradict.

Example:
    >>> import pyarrow as pa
    >>> times, bad = parse_datetimes(pa.array(["2021/3/5 9:32:09", "2021年3月5日 14时03分",
    ...                                         "44260.5", "2021-02-30", ""]))
    >>> [str(t) for t in times.to_pylist()]
    ['2021-03-05 09:32:09', '2021-03-05 14:03:00', '2021-03-05 12:00:00', 'None', 'None']
    >>> bad.tolist()
    [False, False, False, True, False]
    >>> infer_order(pa.array(["03/04/2022 10:00", "21/01/2022 08:15"]))
    'dmy'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotline.errors import InputError
from hotline.ingestion.privacy import safe_example
from hotline.ingestion.values import NON_BLANK, empty_to_null, only_where
from hotline.profiles.zones import tzinfo_of

__all__ = [
    "AUTO",
    "DATE_ORDERS",
    "ORDER_LABELS",
    "OrderChoice",
    "OrderEvidence",
    "dominant_offset",
    "infer_order",
    "offset_minutes",
    "order_evidence",
    "parse_datetimes",
    "parse_with_evidence",
    "settle_orders",
]

#: Orders of numeric dates: year first (Chinese exports, ISO), month first (US), day first.
DATE_ORDERS = ("ymd", "mdy", "dmy")
#: A profile's ``date_order`` that lets each column's values decide.
AUTO = "auto"
#: How the account names an order.
ORDER_LABELS = {"ymd": "年/月/日", "mdy": "月/日/年", "dmy": "日/月/年"}
_ORDER_NAMES = {"ymd": "year-month-day", "mdy": "month-day-year", "dmy": "day-month-year"}

_AMPM = r"上午|下午|凌晨|早上|中午|晚上|[AaPp]\.?[Mm]\.?"
_TIME = (
    rf"(?:[T\s]*(?P<ap1>{_AMPM})?\s*(?P<H>\d{{1,2}})\s*[:时点點]\s*(?P<M>\d{{1,2}})"
    r"(?:\s*[:分]\s*(?P<S>\d{1,2})(?:[.,](?P<F>\d{1,9}))?\s*秒?)?\s*分?)?"
)
# A UTC offset as real zones have them (UTC-12:00 to UTC+14:00): +24:00 is no offset, so a time
# stating one is unparseable rather than shifted by a day.
_OFFSET = r"(?:\+(?:0\d|1[0-4])|-(?:0\d|1[0-2])):?[0-5]\d"
_TAIL = rf"\s*(?P<ap2>{_AMPM})?\s*(?P<Z>Z|{_OFFSET})?\s*$"
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


_TRAILING_OFFSET = rf"\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d{{1,9}})?)?\s*(?P<z>Z|{_OFFSET})\s*$"


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
            (Chinese exports, where such dates are unexpected), ``mdy`` (US) or ``dmy``;
            ``auto``: the order the column proves (:func:`infer_order`), else ``ymd`` (its
            undecided cells are then unparseable; an ingest decides with
            :func:`settle_orders` instead).
        timezone: Zone of the stored wall-clock times (IANA name or ``UTC±HH:MM``): values
            that carry an offset are converted to it.

    Returns:
        The timestamps (microseconds, naive local time) and a mask of non-empty cells that could
        not be parsed.
    """
    values = pc.cast(values, pa.string())
    if date_order == AUTO:
        date_order = infer_order(values) or "ymd"
    times, bad, _ = _parse(values, date_order, timezone)
    return times, bad


def _parse(
    values: pa.Array | pa.ChunkedArray, date_order: str, timezone: str
) -> tuple[pa.TimestampArray, np.ndarray, np.ndarray]:
    """:func:`parse_datetimes`, and the mask of cells read in ``date_order``'s day/month form.

    The mask is empty for ``ymd``: its forms start with the year.
    """
    n = len(values)
    read_in_order = np.zeros(n, dtype=bool)
    out = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    fmt = _dominant_format(values, date_order)
    if (fmt is None or fmt.startswith("%Y-%m-%d")) and _looks_iso(values):
        strict = _iso_parse(values)
        if strict is not None:
            return *strict, read_in_order
    if isinstance(values, pa.ChunkedArray):
        # Combined only here: the ISO path reads the chunks as they are, without a copy.
        values = values.combine_chunks()
    if fmt is not None:
        out, ok = _fast_parse(values, fmt)
        if date_order != "ymd":  # every fast format of mdy and dmy is day-first or month-first
            read_in_order |= ok
    # Everything below runs on the cells the fast path left: usually a small share.
    rest = np.flatnonzero(~ok)
    if rest.size == 0:
        return pa.array(out, pa.timestamp("us")), ok & False, read_in_order
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
        if name == date_order and name != "ymd":
            read_in_order[hit] = True
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
    return times, present & ~ok, read_in_order


def parse_with_evidence(
    values: pa.Array | pa.ChunkedArray, *, date_order: str, timezone: str = "Asia/Shanghai"
) -> tuple[pa.TimestampArray, np.ndarray, OrderEvidence]:
    """:func:`parse_datetimes` in a declared ``mdy`` or ``dmy`` order, with the column's evidence.

    The evidence costs almost nothing on top of the parse: a cell read in the declared order
    proves it when its day is over 12 and is ambiguous otherwise; only the cells that did not
    read (usually none) are searched for the other order (:func:`order_evidence`).

    Example:
        >>> times, bad, found = parse_with_evidence(
        ...     pa.array(["01/21/2022 2:08 PM", "03/04/2022", "21/01/2022", "2022-01-05"]),
        ...     date_order="mdy")
        >>> bad.tolist(), found.mdy, found.dmy, found.ambiguous.tolist(), found.dmy_example
        ([False, False, True, False], 1, 1, [False, True, False, False], '21/01/2022')
    """
    if date_order not in ("mdy", "dmy"):
        raise ValueError(f"date_order {date_order!r}: expected 'mdy' or 'dmy'")
    text = pc.cast(values, pa.string())
    times, bad, read_in_order = _parse(text, date_order, timezone)
    day = pc.fill_null(pc.day(times), 0).to_numpy(zero_copy_only=False)
    proven = read_in_order & (day > 12)
    ambiguous = read_in_order & (day <= 12)
    counts = {date_order: int(proven.sum()), _OTHER[date_order]: 0}
    examples = {date_order: _first(text, proven), _OTHER[date_order]: None}
    if bad.any():  # cells of the other order do not read in this one: they are among these
        where = np.flatnonzero(bad)
        other = order_evidence(pc.take(text, pa.array(where)))
        counts[_OTHER[date_order]] = getattr(other, _OTHER[date_order])
        examples[_OTHER[date_order]] = getattr(other, f"{_OTHER[date_order]}_example")
        ambiguous[where[other.ambiguous]] = True
    return (
        times,
        bad,
        OrderEvidence(
            rows=len(text),
            year_first=0,  # not counted here: year-first cells never decide a day-first order
            dmy=counts["dmy"],
            mdy=counts["mdy"],
            ambiguous=ambiguous,
            dmy_example=examples["dmy"],
            mdy_example=examples["mdy"],
            ambiguous_example=_first(text, ambiguous),
        ),
    )


_OTHER = {"mdy": "dmy", "dmy": "mdy"}


# --- day and month order ----------------------------------------------------------------------

_DIGIT = r"[0-9\x{ff10}-\x{ff19}]"
_SEP = r"[\s\x{3000}]*[-/.\x{ff0f}\x{ff0d}\x{ff0e}][\s\x{3000}]*"
# A year-first date, or the first two parts of a day-first or month-first one (the year after
# them has 2 or 4 digits). Anchored and short: most cells are decided in a few characters.
_LEADING = (
    rf"^[\s\x{{3000}}]*(?:(?P<y>{_DIGIT}{{4}})(?:{_SEP}|[\s\x{{3000}}]*年)"
    rf"|(?P<a>{_DIGIT}{{1,2}}){_SEP}(?P<b>{_DIGIT}{{1,2}}){_SEP}{_DIGIT}{{2}})"
)
_EXAMPLE_CHARS = 40


@dataclass(frozen=True)
class OrderEvidence:
    """What a column's numeric dates prove about their day and month order.

    Attributes:
        rows: Cells in the column.
        year_first: Cells starting with a 4-digit year (``2022-01-21``): order ``ymd``.
        dmy: Cells possible only as day-month-year (first part 13-31, second 1-12).
        mdy: Cells possible only as month-day-year (first part 1-12, second 13-31).
        ambiguous: Mask of the cells possible either way (both parts 1-12).
        dmy_example: The first day-month-year-only cell, if any.
        mdy_example: The first month-day-year-only cell, if any.
        ambiguous_example: The first ambiguous cell, if any.
    """

    rows: int
    year_first: int
    dmy: int
    mdy: int
    ambiguous: np.ndarray
    dmy_example: str | None = None
    mdy_example: str | None = None
    ambiguous_example: str | None = None

    @property
    def proven(self) -> str | None:
        """The day-first or month-first order the column proves (``None``: none, or both).

        Example:
            >>> order_evidence(pa.array(["13/01/2022", "01/02/2022"])).proven
            'dmy'
        """
        if self.dmy and not self.mdy:
            return "dmy"
        if self.mdy and not self.dmy:
            return "mdy"
        return None

    @property
    def mixed(self) -> bool:
        """Whether the column holds cells of both orders (each possible only one way)."""
        return bool(self.dmy and self.mdy)

    @property
    def only_ambiguous(self) -> bool:
        """Whether day-first or month-first cells are there and none decides their order."""
        return not self.dmy and not self.mdy and bool(self.ambiguous.any())


def order_evidence(values: pa.Array | pa.ChunkedArray) -> OrderEvidence:
    """Read what the whole column proves about the order of its numeric dates.

    A cell whose first part is over 12 can only be day-month-year, one whose second part is
    over 12 only month-day-year; both parts 1-12 is ambiguous. Year-first cells (ISO,
    ``2021年3月5日``), Excel serial days, compact ``20210305`` and text prove nothing about
    day-first or month-first cells. Full-width digits count as digits.

    Example:
        >>> found = order_evidence(pa.array(["21/01/2022 08:00", "03/04/2022", "2022-01-05",
        ...                                  "44580.5", "", None, "１３／０１／２０２２"]))
        >>> found.dmy, found.mdy, found.ambiguous.tolist(), found.year_first, found.dmy_example
        (2, 0, [False, True, False, False, False, False, False], 1, '21/01/2022 08:00')
    """
    n = len(values)
    text = pc.cast(values, pa.string())
    parts = pc.extract_regex(text, _LEADING)
    year_first = int(
        pc.sum(pc.fill_null(pc.not_equal(pc.struct_field(parts, "y"), ""), False)).as_py() or 0
    )
    first, second = (_part(parts, name) for name in ("a", "b"))
    day_like = (first >= 1) & (first <= 31) & (second >= 1) & (second <= 31)
    dmy = day_like & (first > 12) & (second <= 12)
    mdy = day_like & (first <= 12) & (second > 12)
    ambiguous = day_like & (first <= 12) & (second <= 12)
    return OrderEvidence(
        rows=n,
        year_first=year_first,
        dmy=int(dmy.sum()),
        mdy=int(mdy.sum()),
        ambiguous=ambiguous,
        dmy_example=_first(text, dmy),
        mdy_example=_first(text, mdy),
        ambiguous_example=_first(text, ambiguous),
    )


def _part(parts: pa.StructArray | pa.ChunkedArray, name: str) -> np.ndarray:
    """One extracted part as integers (0 where the cell did not match)."""
    digits = pc.struct_field(parts, name)
    # Full-width digits (１３) fold to ASCII before the cast; most columns have none.
    digits = only_where(digits, r"[^\x00-\x7f]", lambda v: pc.utf8_normalize(v, form="NFKC"))
    digits = pc.if_else(pc.equal(digits, ""), None, digits)
    numbers = pc.fill_null(pc.cast(digits, pa.int16()), 0)
    return numbers.to_numpy(zero_copy_only=False)


def _first(text: pa.Array | pa.ChunkedArray, mask: np.ndarray) -> str | None:
    where = np.flatnonzero(mask)
    if where.size == 0:
        return None
    # An error message is read beside the data by people who may not see callers' details: a
    # "date" cell can hold a phone number or a name typed after the date. The date is kept,
    # since it is what the message is about.
    cell = str(text[int(where[0])].as_py()).strip()[:_EXAMPLE_CHARS]
    shown = safe_example(cell)
    date = _DATE_PART.match(cell)
    if shown == cell or date is None:
        return shown
    return f"{date.group(0)} {safe_example(cell[date.end() :].strip())}"


_DATE_PART = re.compile(r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}")


def infer_order(values: pa.Array | pa.ChunkedArray) -> str | None:
    """The order a column's values prove: ``dmy``, ``mdy``, ``ymd`` (year-first cells only).

    ``None`` when nothing decides (every day-first or month-first cell is ambiguous, or the
    column holds none) or the column holds both day-first-only and month-first-only cells.

    Example:
        >>> infer_order(pa.array(["1/21/2022 2:08:51 PM"])), infer_order(pa.array(["2022-01-21"]))
        ('mdy', 'ymd')
        >>> infer_order(pa.array(["03/04/2022"])) is None
        True
    """
    found = order_evidence(values)
    if found.mixed:
        return None
    if found.proven is not None:
        return found.proven
    if found.year_first and not found.ambiguous.any():
        return "ymd"
    return None


@dataclass(frozen=True)
class OrderChoice:
    """The order a date column is read in, and why.

    Attributes:
        order: ``ymd``, ``mdy`` or ``dmy``.
        rule: ``evidence`` (the column's own cells decide), ``sibling`` (its cells are all
            ambiguous; another date column of the file decides), ``declared`` (all ambiguous,
            nothing decides: the profile's ``date_order``), or ``profile`` (no day-first or
            month-first cell: nothing to decide).
        basis: The header of the column that decided, for ``sibling``.
    """

    order: str
    rule: str
    basis: str | None = None

    @property
    def assumed(self) -> bool:
        """Whether the column's own cells could not decide (the account says so)."""
        return self.rule in ("sibling", "declared")


def settle_orders(
    evidence: Mapping[str, OrderEvidence],
    declared: str,
    *,
    file: str,
    headers: Mapping[str, str],
) -> dict[str, OrderChoice]:
    """Decide each date column's order from its evidence and the profile's ``date_order``.

    * A column whose cells decide is read in that order, when the profile declares it (or
      declares ``auto``); one that contradicts the declared order stops the ingest.
    * A column holding both day-first-only and month-first-only cells stops the ingest.
    * A column whose cells are all ambiguous takes the order the file's other date columns
      prove, else the declared one (with ``auto`` and no evidence, the ingest stops and asks).

    Args:
        evidence: Field -> its column's evidence (:func:`order_evidence`).
        declared: The profile's ``date_order`` (``mdy``, ``dmy`` or ``auto``; ``ymd`` profiles
            read day-first and month-first cells as unparseable, so need no decision).
        file: The export, for error messages.
        headers: Field -> its column's header, for messages.

    Raises:
        InputError: A column contradicts the declared order, mixes orders, or (``auto``) no
            column decides; the message names the file, the column, an example and the fix.

    Example:
        >>> columns = {"received_at": order_evidence(pa.array(["21/01/2022", "03/01/2022"])),
        ...            "closed_at": order_evidence(pa.array(["04/01/2022"]))}
        >>> chosen = settle_orders(columns, "dmy", file="boston.csv",
        ...                        headers={"received_at": "open_dt", "closed_at": "closed_dt"})
        >>> [(f, c.order, c.rule, c.basis) for f, c in chosen.items()]
        [('received_at', 'dmy', 'evidence', None), ('closed_at', 'dmy', 'sibling', 'open_dt')]
        >>> try:
        ...     settle_orders(columns, "mdy", file="boston.csv", headers={"received_at": "open_dt"})
        ... except InputError as error:
        ...     print(error.column, "|", error.problem[:58])
        open_dt | dates are declared month-day-year (date_order = "mdy") but
    """
    for field, found in evidence.items():
        header = headers.get(field, field)
        if found.mixed:
            raise InputError(
                file,
                f"dates in both orders: {found.dmy_example!r} is possible only as day-month-year "
                f"({found.dmy} values), {found.mdy_example!r} only as month-day-year "
                f"({found.mdy} values); one column must hold one order: correct the export",
                column=header,
            )
        proven = found.proven
        if proven is not None and declared != AUTO and proven != declared:
            example = found.dmy_example if proven == "dmy" else found.mdy_example
            count = found.dmy if proven == "dmy" else found.mdy
            raise InputError(
                file,
                f"dates are declared {_ORDER_NAMES.get(declared, declared)} (date_order = "
                f'"{declared}") but {example!r} is possible only as {_ORDER_NAMES[proven]} '
                f'({count} of {found.rows} values); set date_order = "{proven}" in the '
                "profile, or pass the profile that matches the export with --profile",
                column=header,
            )
    proven_by = {f: e.proven for f, e in evidence.items() if e.proven is not None}
    if len(set(proven_by.values())) > 1:  # only with auto: a declared order stopped above
        one = next(f for f, order in proven_by.items() if order == "dmy")
        other = next(f for f, order in proven_by.items() if order == "mdy")
        raise InputError(
            file,
            f"date columns disagree: {headers.get(one, one)!r} reads only as day-month-year "
            f"({evidence[one].dmy_example!r}), {headers.get(other, other)!r} only as "
            f"month-day-year ({evidence[other].mdy_example!r}); correct the export",
        )
    chosen: dict[str, OrderChoice] = {}
    for field, found in evidence.items():
        if found.proven is not None:
            chosen[field] = OrderChoice(found.proven, "evidence")
        elif not found.ambiguous.any():
            chosen[field] = OrderChoice("ymd" if declared == AUTO else declared, "profile")
        elif proven_by:
            basis, order = next(iter(proven_by.items()))
            chosen[field] = OrderChoice(order, "sibling", headers.get(basis, basis))
        elif declared != AUTO:
            chosen[field] = OrderChoice(declared, "declared")
        else:
            raise InputError(
                file,
                f"every date reads both as day-month-year and month-day-year (e.g. "
                f"{found.ambiguous_example!r}) and no date column of the file decides; set "
                'date_order = "dmy" or "mdy" in the profile',
                column=headers.get(field, field),
            )
    return chosen
