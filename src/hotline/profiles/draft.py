r"""Draft a profile from an export and show how an export reads through one.

``hotline profile new`` drafts; ``hotline profile check`` shows.

A draft guesses, for each canonical field, the export column that holds it, with a score from
0 to 1: how much its header looks like a known spelling of the field (every built-in profile's
spellings, the field's name, a few English words) and how much its values have the field's
shape (dates parse, ids are unique and of one shape, a status has few distinct values…).
Headers are read as words (``SRNumber``: sr number). For each vocabulary field it lists the
column's distinct values with their counts, for the user to put under codes.

Beyond the columns, a draft reads evidence from the values and says which in its comments:

* the time zone from the UTC offsets the times state, else coordinates, else place names:
  known cities, or a US state after a city in any text column (``…, Springfield IL``,
  :mod:`hotline.profiles.places`), quoted as the state, never as the value
  (:func:`_zone_evidence`); without any, a TODO rather than a guess;
* the date order most deciding values read in, naming stray rows (never their values);
* closure reasons from a column of repeated leading phrases, and the whole phrases among them
  that void a request (``Case is a Duplicate``; for a void word alone, the longer phrase the
  values share: ``Duplicate of`` from ``Duplicate of #123``), with the rows each voids
  (:func:`_propose`);
* ``request_type`` only for a column of kinds of request, the town at neighbourhood level,
  and why a field was left out when its column went to a better-scoring one.

Values of columns that look personal (caller phone, name, id, address) are never listed, and
phone numbers and id numbers are scrubbed from every value shown; a header holding one is
neither mapped nor shown.

Example:
    >>> import tempfile, pathlib
    >>> csv = pathlib.Path(tempfile.mkdtemp()) / "acme.csv"
    >>> _ = csv.write_text("case_id,opened,case_status\nA1,01/21/2022 09:00,Open\n"
    ...                    "A2,01/22/2022 10:00,Open\nA3,02/01/2022 11:00,Done\n")
    >>> draft = draft_profile(csv)
    >>> "order_id = [\"case_id\"]" in draft, "received_at = [\"opened\"]" in draft
    (True, True)
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hotline import schema
from hotline.profiles import places, toml_text
from hotline.profiles.loading import builtin, builtin_names, shared_vocabulary
from hotline.profiles.profile import HeaderMatch, Profile
from hotline.profiles.spec import (
    BOOLEAN_FIELDS,
    MAPPABLE_FIELDS,
    VOID_REASON_CODES,
    vocabulary_codes,
)
from hotline.text import fold_header, fold_value

if TYPE_CHECKING:
    from hotline.ingestion.accounting import FileReport

__all__ = [
    "ExportSample",
    "Guess",
    "check_export",
    "date_evidence",
    "draft_profile",
    "guess_columns",
    "read_sample",
]

_TIMES = ("received_at", "dispatched_at", "signed_at", "due_at", "replied_at", "closed_at")
_TIMES += ("revisited_at", "updated_at")
_VOCABULARY_FIELDS = ("status", "channel", "request_type", "satisfaction", *BOOLEAN_FIELDS)
_LEVELS = ("topic", "topic_l2", "topic_l3")
_LABELS = (*_LEVELS, "town", "department", "closure_reason")
_TEXTS = ("title", "content", "reply")
_CALLER = ("caller_phone", "caller_name", "caller_user")

#: Words that, as a word of a header, hint at a field (English exports name fields freely).
#: Headers are split into words at spaces, punctuation and camelCase: ``SRNumber`` is
#: ``sr number``, ``CaseID`` ``case id``, ``Ticket #`` ``ticket #``.
_HINTS: dict[str, tuple[str, ...]] = {
    "order_id": ("id", "key", "number", "no", "num", "nbr", "#", "ref", "reference", "serial"),
    "received_at": ("open", "opened", "created", "received", "requested", "submitted", "start"),
    "closed_at": ("closed", "close", "resolved", "completed", "end"),
    "due_at": ("target", "due", "deadline", "expected", "sla"),
    "updated_at": ("updated", "modified"),
    "status": ("status", "state"),
    "topic": ("reason", "category", "complaint", "service", "problem"),
    "topic_l2": ("type", "subtype", "descriptor", "detail"),
    "title": ("title", "subject", "summary"),
    "content": ("description", "details", "comment", "text"),
    "reply": ("resolution", "response", "answer", "reply", "notes"),
    "town": ("neighborhood", "neighbourhood", "borough", "district", "ward", "town", "area"),
    "department": ("department", "agency", "dept", "owner", "queue"),
    "channel": ("source", "channel", "origin", "via"),
    "satisfaction": ("satisfaction", "rating", "survey"),
    "caller_phone": ("phone", "tel", "telephone", "mobile"),
    "caller_name": ("caller", "contact", "name"),
    "caller_user": ("user", "username", "login"),
    "is_duplicate": ("duplicate", "duplicated", "dup"),
}

#: Words that, beside a hint word, make the hint surer: ``Case ID``, ``SR Number``, ``Ticket #``.
_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "order_id": (
        *("case", "ticket", "sr", "request", "incident", "record", "order", "service"),
        *("complaint", "enquiry", "inquiry", "call", "work"),
    ),
}

#: Words that, in a header, say the column is not the field although other words say it is:
#: the department that created a request (Chicago's CREATED_DEPARTMENT) is not the one that
#: handles it (OWNER_DEPARTMENT); a phone or ZIP number is no request id.
_NOT: dict[str, tuple[str, ...]] = {
    "department": ("created", "creating", "creator", "intake", "reporting", "origin"),
    "order_id": (
        *("phone", "tel", "telephone", "mobile", "fax", "zip", "zipcode", "postal", "house"),
        *("street", "district", "precinct", "parcel", "account"),
    ),
    **dict.fromkeys(_LEVELS, ("street", "address", "addr", "caller", "contact", "phone", "email")),
    "caller_name": (
        *("street", "facility", "park", "company", "business", "landmark", "agency", "nc"),
        *("department", "file", "council", "neighborhood", "neighbourhood", "district"),
        *("bridge", "highway", "road", "taxi", "vehicle", "service", "type", "category"),
    ),
}

#: Words of a header naming a place at the level of a neighbourhood or street office, which
#: reads better as ``town`` than a political or service district.
_FINE_AREAS = ("neighborhood", "neighbourhood", "community", "town", "village", "suburb")
_FINE_AREAS_ZH = ("街道", "乡镇", "社区", "镇", "街")
#: Words of a header naming a political or service district (or a postal code).
_DISTRICTS = (
    *("supervisor", "council", "police", "precinct", "zip", "zipcode", "postal"),
    *("congressional", "assembly", "senate", "school", "legislative", "electoral", "cd"),
)

#: Words that say a ``request_type`` value is a kind of request (besides the vocabulary's
#: spellings): what a column of topics (``Graffiti``, ``Street Cleaning``) does not say.
_KIND_WORDS = frozenset(
    "complaint complaints request requests consultation inquiry enquiry question questions "
    "suggestion suggestions praise compliment compliments report help other feedback "
    "information info".split()
)

#: How yes and no are written besides the built-in profiles' spellings (a yes/no column's
#: shape).
_YES_NO = frozenset("true false t f yes no y n 1 0 是 否 √ ×".split())

#: Headers whose values are never listed: they may hold who called or where they live.
_PERSONAL = re.compile(
    r"phone|tel|mobile|name|address|addr|email|e-mail|street|contact|caller|user|ssn|"
    r"电话|手机|号码|姓名|地址|身份证|证件|联系人|来电人|诉求人|用户|网民|留言人|住址",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|#|[\u3400-\u9fff]+")
_SAMPLE = 2000
_LISTED = 40
#: A run of letters and digits holding both (``SR123``, a hex id).
_MIXED = r"[A-Za-z0-9]*(?:[0-9][A-Za-z0-9]*[A-Za-z]|[A-Za-z][A-Za-z0-9]*[0-9])[A-Za-z0-9]*"


@dataclass
class ExportSample:
    """The header and columns of an export's table, as text.

    Attributes:
        name: The export's name in messages.
        headers: The header row's cells.
        header_row: Its 1-based row.
        columns: One text column per header cell.
        match: The profile's match when the table was found through one.
        rows: The 1-based row of each data row in the file (default: the rows below the
            header, one a row).
    """

    name: str
    headers: tuple[str, ...]
    header_row: int
    columns: list[pa.Array]
    match: HeaderMatch | None = None
    profile: Profile | None = None
    scores: dict[str, int] = field(default_factory=dict)
    rows: np.ndarray | None = None

    def row(self, index: int) -> int:
        """The file row of data row ``index`` (0-based)."""
        if self.rows is not None and index < len(self.rows):
            return int(self.rows[index])
        return self.header_row + 1 + index


def _header_rank(row: Sequence[str], profiles: Sequence[Profile]) -> tuple[int, int]:
    best = max((p.match_headers(row).score for p in profiles), default=0)
    words = sum(1 for c in row if str(c).strip() and not re.match(r"^[\d\s/.:\-]+$", str(c)))
    return best, words


def read_sample(path: Path, profiles: Sequence[Profile] | None = None) -> ExportSample:
    """Read an export's table, found through ``profiles`` or at the likeliest header row.

    With ``profiles`` the table is the one the ingest would read; without, the header is the
    row whose cells most look like headers (built-in spellings, words rather than numbers).

    Raises:
        InputError: The file cannot be read or holds no table.
    """
    from hotline.ingestion.layout import find_tables
    from hotline.ingestion.privacy import safe_file_names
    from hotline.ingestion.readers import open_source

    name = safe_file_names([path.name])[0]
    source = open_source(path, name)
    heads = source.heads()
    if profiles:
        choice = find_tables(heads, profiles, name, every_sheet=False)[0]
        key, index, match = choice.key, choice.index, choice.match
        profile, scores = choice.profile, dict(choice.scores)
    else:
        every = [builtin(n) for n in builtin_names()]
        ranked = [
            (_header_rank(row, every), -i, key, i)
            for key, rows in heads
            for i, row in enumerate(rows)
        ]
        _, _, key, index = max(ranked, key=lambda r: (r[0], r[1]))
        match, profile, scores = None, None, {}
    grid = source.read(key, index, match.fields["order_id"] if match else 0)
    rows = dict(heads)[key]
    headers = tuple("" if c is None else str(c).strip() for c in rows[index])
    columns = [
        pc.cast(c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c, pa.string())
        for c in grid.columns
    ]
    return ExportSample(
        name, headers, grid.header_row, columns, match, profile, scores, np.asarray(grid.rows)
    )


@dataclass(frozen=True)
class Guess:
    """The column a draft guesses for a field.

    Attributes:
        field: The canonical field.
        index: The column's position.
        header: Its header.
        score: 0..1, ``0.6 × header + 0.4 × values``.
        header_score: How much the header looks like a spelling of the field.
        value_score: How much the values have the field's shape.
        evidence: The shape, in words (``dates 100%``, ``unique ids``).
        note: Why this column rather than another, when the draft chose between them.
    """

    field: str
    index: int
    header: str
    score: float
    header_score: float
    value_score: float
    evidence: str
    note: str = ""


def _spellings() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {name: {fold_header(name)} for name in MAPPABLE_FIELDS}
    labels = {c.name: c.en for c in schema.COLUMNS}
    for name in MAPPABLE_FIELDS:
        if name in labels:
            found[name].add(fold_header(labels[name]))
    for profile in (builtin(n) for n in builtin_names()):
        for name, aliases in profile.columns.items():
            found.setdefault(name, set()).update(fold_header(a) for a in aliases)
    return found


@functools.cache
def _yes_no() -> frozenset[str]:
    spelled = {fold_value(w) for w in _YES_NO}
    for profile in (builtin(n) for n in builtin_names()):
        spelled.update(profile.vocabulary.get("boolean", {}))
    return frozenset(spelled)


def _word_list(header: str) -> list[str]:
    """A header's words: split at spaces, punctuation and camelCase (``SRNumber``: sr, number).

    Example:
        >>> _word_list("ServiceRequestID"), _word_list("Ticket #"), _word_list("sf_311-cases")
        (['service', 'request', 'id'], ['ticket', '#'], ['sf', '311', 'cases'])
    """
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", header))]


def _words(header: str) -> set[str]:
    return set(_word_list(header))


def _header_score(
    header: str, spellings: set[str], hints: Iterable[str], qualifiers: Iterable[str] = ()
) -> float:
    folded = fold_header(header)
    if not folded:
        return 0.0
    if folded in spellings:
        return 1.0
    ratio = max((difflib.SequenceMatcher(None, folded, s).ratio() for s in spellings), default=0)
    words = _words(header)
    hinted = 0.0
    if words & set(hints):
        hinted = 0.8 if words & set(qualifiers) else 0.7
    return max(0.8 * ratio, hinted)


def _field_heading(name: str, header: str, spellings: set[str]) -> float:
    """How much ``header`` names field ``name`` (its spellings, hint words, words against)."""
    heading = _header_score(header, spellings, _HINTS.get(name, ()), _QUALIFIERS.get(name, ()))
    words = _words(header)
    if words & set(_NOT.get(name, ())):
        heading *= 0.6
    if name == "town":
        if words & set(_FINE_AREAS) or any(w in header for w in _FINE_AREAS_ZH):
            heading = max(heading, 0.8)
        elif words & set(_DISTRICTS):
            heading *= 0.8
    return heading


def _nonblank(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(column)
    return trimmed.filter(pc.fill_null(pc.not_equal(trimmed, ""), False))


def _date_share(values: pa.Array) -> float:
    from hotline.ingestion.dates import parse_datetimes

    if len(values) == 0:
        return 0.0
    sample = values.slice(0, _SAMPLE)
    best = 0.0
    for order in ("ymd", "mdy", "dmy"):
        _, bad = parse_datetimes(sample, date_order=order, timezone="UTC")
        best = max(best, 1 - float(np.mean(bad)))
    return best


def _share(values: pa.Array, pattern: str) -> float:
    if len(values) == 0:
        return 0.0
    found = pc.fill_null(pc.match_substring_regex(values, pattern), False)
    return float(np.mean(found.to_numpy(zero_copy_only=False)))


def _id_shape(values: pa.Array, n_rows: int) -> tuple[float, str]:
    """How much values look like request ids: unique, in every row, all of one shape.

    The shape of ``SR-00123`` is ``a-9`` (runs of letters, of digits, of both: ``*``); ids
    of one export share it, where names, dates with words and free text do not.
    """
    n = len(values)
    unique = len(pc.unique(values)) / n
    filled = n / max(n_rows, 1)
    sample = values.slice(0, _SAMPLE)
    shapes = pc.replace_substring_regex(sample, _MIXED, "*")  # hex ids: 5fa1c0…
    shapes = pc.replace_substring_regex(shapes, r"[0-9]+", "9")
    shapes = pc.replace_substring_regex(shapes, r"[A-Za-z]+", "a")
    top = max((c["counts"] for c in pc.value_counts(shapes).to_pylist()), default=0)
    same = top / len(sample)
    spaced = _share(sample, r"\s")
    if unique > 0.98 and filled > 0.9 and same >= 0.95 and spaced < 0.05:
        return 1.0, f"{unique:.0%} unique, one shape"
    if unique > 0.98 and filled > 0.9:
        return 0.8, f"{unique:.0%} unique"
    return 0.5 * unique, f"{unique:.0%} unique"


def _looks_like_ids(values: pa.Array, n_rows: int) -> bool:
    """Whether values could only be ids: id-shaped, and not dates, decimals or phone numbers."""
    if len(values) < 2 or _id_shape(values, n_rows)[0] < 1.0:
        return False
    sample = values.slice(0, _SAMPLE)
    if _share(sample, r"^-?\d+\.\d+$") > 0.5 or _date_share(sample) > 0.5:
        return False
    from hotline.ingestion.privacy import scrub_text

    return not pc.any(pc.not_equal(scrub_text(sample), sample)).as_py()


def _kind_share(values: pa.Array) -> float:
    """The share of the first non-blank values that name a kind of request (complaint, 咨询…)."""
    total = kinds = 0
    for value, count in _counts(values.slice(0, _SAMPLE)):
        total += count
        words = re.findall(r"[^\W\d_]+", value.lower())
        if (words and words[0] in _KIND_WORDS) or _known_code("request_type", value, None)[0]:
            kinds += count
    return kinds / total if total else 0.0


def _shape(name: str, values: pa.Array, n_rows: int) -> tuple[float, str]:
    """How much non-blank ``values`` look like field ``name``'s, and why."""
    n = len(values)
    if n == 0:
        return 0.0, "empty"
    distinct = len(pc.unique(values))
    if name == "order_id":
        return _id_shape(values, n_rows)
    if name in _TIMES:
        share = _date_share(values)
        return share, f"dates {share:.0%}"
    if name in BOOLEAN_FIELDS:
        words = pc.utf8_lower(values).to_pylist()
        share = sum(1 for w in words if fold_value(w) in _yes_no()) / n
        return share, f"yes/no {share:.0%}"
    if name in _VOCABULARY_FIELDS:
        score = 1.0 if distinct <= 30 else 0.5 if distinct <= 100 else 0.0
        return score, f"{distinct} distinct values"
    if name in _LABELS:
        dated = _date_share(values) > 0.5
        score = 0.8 if 2 <= distinct <= max(2000, n // 2) and not dated else 0.2
        if name == "town" and _share(values.slice(0, _SAMPLE), r"^\s*\d+\s*$") > 0.9:
            return 0.3, f"{distinct} distinct numbers"  # district numbers, not places
        return score, f"{distinct} distinct values"
    if name in _TEXTS:
        mean = float(pc.mean(pc.utf8_length(values)).as_py() or 0)
        score = 1.0 if mean >= 20 else 0.6 if mean >= 8 else 0.2
        return score, f"mean length {mean:.0f}"
    if name == "return_count":
        share = _share(values, r"^\d{1,3}$")
        return share, f"numbers {share:.0%}"
    if name == "caller_phone":
        share = _share(values, r"\d{3}.*\d{4}")
        return share, "phone-like"
    return 0.5, ""


def _hidden_header(header: str) -> bool:
    """Whether a header holds a number, an address or a person's name (never written)."""
    from hotline.ingestion.names import looks_like_person
    from hotline.ingestion.privacy import safe_header

    return safe_header(header) != header or looks_like_person(header)


def _quoted(header: str) -> str:
    """A header as a draft's comment quotes it: hidden when it holds personal data."""
    from hotline.ingestion.privacy import safe_header

    return repr(safe_header(header))


@dataclass
class _Columns:
    """What a draft makes of an export's columns.

    Attributes:
        guesses: The column of each field found, in field order.
        notes: Comment lines on fields left out or moved (why), for ``[columns]``.
        reasons: The leading phrases of the closure-reason column, when there is one.
    """

    guesses: list[Guess]
    notes: list[str]
    reasons: _Reasons | None = None


def guess_columns(sample: ExportSample, *, threshold: float = 0.55) -> list[Guess]:
    """The best column for each field (each column feeds one field), best guesses first.

    Example:
        >>> cols = [pa.array(["1", "2"]), pa.array(["2022-01-01 09:00", "2022-01-02 10:00"])]
        >>> [g.field for g in guess_columns(ExportSample("x", ("Case ID", "Created"), 1, cols))]
        ['order_id', 'received_at']
    """
    return _guess(sample, threshold).guesses


def _guess(sample: ExportSample, threshold: float = 0.55) -> _Columns:
    spellings = _spellings()
    n_rows = len(sample.columns[0]) if sample.columns else 0
    candidates: list[Guess] = []
    demoted: list[tuple[Guess, float]] = []
    values_of: dict[int, pa.Array] = {}
    for index, header in enumerate(sample.headers):
        if not header or index >= len(sample.columns) or _hidden_header(header):
            continue
        values = values_of[index] = _nonblank(sample.columns[index])
        for name in MAPPABLE_FIELDS:
            heading = _field_heading(name, header, spellings.get(name, set()))
            if heading < 0.5:
                continue
            shape, evidence = _shape(name, values, n_rows)
            if name in _TIMES and shape < 0.5:
                continue
            score = round(0.6 * heading + 0.4 * shape, 2)
            if score < threshold:
                continue
            guess = Guess(name, index, header, score, round(heading, 2), round(shape, 2), evidence)
            if name == "request_type" and len(values):
                kinds = _kind_share(values)
                if kinds < 0.5:  # topics (Graffiti, Street Cleaning), not kinds of request
                    if heading >= 0.7:  # the header says request type: the note says why not
                        demoted.append((guess, kinds))
                    continue
            candidates.append(guess)
    slots = len({g.field for g in candidates if g.field in _LEVELS})
    kept = any(g.field == "request_type" for g in candidates)
    topics = None if kept or not demoted else max(demoted, key=lambda d: d[0].score)
    if topics and not any(g.index == topics[0].index and g.field in _LEVELS for g in candidates):
        shape, evidence = _shape("topic", values_of[topics[0].index], n_rows)
        score = round(0.6 * topics[0].header_score + 0.4 * shape, 2)
        candidates.append(replace(topics[0], field="topic", score=score, value_score=shape))
        candidates[-1] = replace(candidates[-1], evidence=evidence)
        slots += 1
    chosen, lost = _assign(candidates, min(slots, len(_LEVELS)))
    chosen = _order_levels(chosen, values_of)
    notes = [_topics_note(*topics, chosen)] if topics else []
    chosen = _prefer_fine_town(chosen, sample.headers)
    if not any(g.field == "order_id" for g in chosen):
        chosen += _id_by_values(sample, values_of, {g.index for g in chosen}, n_rows)
    notes += _lost_notes(chosen, lost, {"request_type"} if topics else set())
    chosen, moved, reasons = _find_reasons(sample, chosen, values_of)
    notes += moved
    order = MAPPABLE_FIELDS.index
    return _Columns(sorted(chosen, key=lambda g: order(g.field)), notes, reasons)


def _topics_note(guess: Guess, kinds: float, chosen: Sequence[Guess]) -> str:
    """Why ``request_type`` is left out: its column holds topics, read as a category level."""
    now = next((g.field for g in chosen if g.index == guess.index), None)
    return (
        f"# request_type: not mapped; {_quoted(guess.header)} holds topics, not kinds of request "
        f"({kinds:.0%} of its values are kinds like complaint or request): "
        + (f"read as {now}" if now else "left out")
    )


def _assign(candidates: list[Guess], slots: int) -> tuple[list[Guess], list[Guess]]:
    """Each column to one field, best scores first; up to ``slots`` columns as category levels.

    The category levels (``topic``, ``topic_l2``, ``topic_l3``) are filled by the best columns
    of any level, and put in order afterwards (:func:`_order_levels`).

    Returns:
        The guesses kept, and those that lost their column to a better-scoring field.
    """
    chosen: list[Guess] = []
    lost: list[Guess] = []
    fields: set[str] = set()
    columns: set[int] = set()
    levels = 0
    order = MAPPABLE_FIELDS.index
    for guess in sorted(candidates, key=lambda g: (-g.score, order(g.field), g.index)):
        level = guess.field in _LEVELS
        if guess.index in columns:
            lost.append(guess)
            continue
        if (level and levels >= slots) or (not level and guess.field in fields):
            continue
        chosen.append(guess)
        fields.add(guess.field)
        columns.add(guess.index)
        levels += level
    return chosen, lost


def _order_levels(chosen: list[Guess], values_of: Mapping[int, pa.Array]) -> list[Guess]:
    """The category levels from broadest to finest: fewest distinct values first.

    ``Category`` (4 values) is ``topic`` and ``Request Type`` (40) ``topic_l2``, whatever
    their headers suggested; on a tie the level the header suggested decides.
    """
    found = [g for g in chosen if g.field in _LEVELS]
    distinct = {g.index: len(pc.unique(values_of[g.index])) for g in found}
    found.sort(key=lambda g: (distinct[g.index], _LEVELS.index(g.field), g.index))
    renamed = {g.index: _LEVELS[i] for i, g in enumerate(found)}
    return [replace(g, field=renamed.get(g.index, g.field)) for g in chosen]


def _prefer_fine_town(chosen: list[Guess], headers: Sequence[str]) -> list[Guess]:
    """Say why the town column won over political or service districts that also fit."""
    town = next((g for g in chosen if g.field == "town"), None)
    if town is None:
        return chosen
    districts = [
        h
        for i, h in enumerate(headers)
        if i != town.index and _words(h) & {*_DISTRICTS, "district", "ward"}
    ]
    if not districts:
        return chosen
    words = _words(town.header)
    fine = words & set(_FINE_AREAS) or any(w in town.header for w in _FINE_AREAS_ZH)
    if not fine:
        return chosen
    passed = ", ".join(_quoted(h) for h in dict.fromkeys(districts))
    note = f"a neighbourhood, preferred to {passed} (political or service districts)"
    return [replace(g, note=note) if g is town else g for g in chosen]


def _id_by_values(
    sample: ExportSample, values_of: Mapping[int, pa.Array], taken: set[int], n_rows: int
) -> list[Guess]:
    """The first free column whose values can only be ids, when no header named one."""
    spellings = _spellings().get("order_id", set())
    for index, values in values_of.items():
        header = sample.headers[index]
        if index in taken or _PERSONAL.search(header) or not _looks_like_ids(values, n_rows):
            continue
        heading = round(_field_heading("order_id", header, spellings), 2)
        return [
            Guess(
                "order_id",
                index,
                header,
                round(0.6 * heading + 0.4, 2),
                heading,
                1.0,
                "unique, in every row, one shape",
                "found by its values: the header is no id spelling known",
            )
        ]
    return []


def _lost_notes(chosen: list[Guess], lost: list[Guess], skip: set[str]) -> list[str]:
    """One comment for each field left out because its best column went to another field."""
    by_index = {g.index: g for g in chosen}
    mapped = {g.field for g in chosen}
    notes = []
    seen: set[str] = set()
    for guess in lost:  # best first
        taker = by_index.get(guess.index)
        if guess.field in mapped or guess.field in seen or guess.field in skip or taker is None:
            continue
        if guess.header_score < 0.7:  # a header that only looks a little like the field's
            continue
        if guess.field in _LEVELS and (taker.field in _LEVELS or mapped & set(_LEVELS)):
            continue
        seen.add(guess.field)
        notes.append(
            f"# {guess.field}: {_quoted(guess.header)} fits it too ({guess.score:.2f}), but "
            f"the column is read as {taker.field} ({taker.score:.2f}); a column feeds one field"
        )
    return notes


# --- closure reasons and the phrases that void a request ----------------------------------------

#: Where a reason's leading phrase ends: a dash between spaces, punctuation, a digit.
_CUT = re.compile(
    r"\s[-–—]+\s?|[-–—]+\s|[.:;,!?()\[\]{}<>\"|/\\，。：；！？（）【】、“”‘’]|[0-9#]|\n"
)
_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W\d_\u3400-\u9fff]+(?:['’][^\W\d_]+)?")
_PHRASE_TOKENS = 8
_TRAILING = frozenset("of to by for the a an and or with from on in at as is was 的 了 被".split())
#: Words (English, whole words) and terms (Chinese, anywhere) that make a reason void.
_VOID_WORDS: dict[str, tuple[str, ...]] = {
    "duplicate": ("duplicate", "duplicated", "duplicates", "dup", "dupe"),
    "invalid": ("invalid",),
    "cancelled": ("cancelled", "canceled", "cancel", "cancellation", "withdrawn"),
    "void": ("test", "voided", "void"),
}
_VOID_TERMS: dict[str, tuple[str, ...]] = {
    "duplicate": ("重复", "重单"),
    "invalid": ("无效", "误拨", "错拨"),
    "cancelled": ("撤单", "撤销", "取消", "撤回"),
    "void": ("测试", "作废"),
}
#: Terms that alone are no phrase to void by: they sit inside their own negation (非重复).
_BARE_TERMS = frozenset(("重复", "无效", "取消", "撤销", "测试", "作废"))
_NEGATIONS = frozenset("not no non never nor without isnt wasnt isn't wasn't".split())
_NEGATIONS_ZH = ("非", "不", "未", "没", "无", "并非")
_REASON_SAMPLE = 20000
#: Closure reasons are short; a column of longer texts on average holds replies.
_REASON_CHARS = 80


@dataclass(frozen=True)
class _Phrase:
    """A leading phrase of a reason column.

    Attributes:
        text: As written (the first value's spelling).
        rows: Rows of the sample it leads (the longest phrase of each value counts).
        code: The void code its words mean, if any.
        negated: Its void word is negated (``not a duplicate``, ``非重复``).
        bare: It is its void word alone (``Duplicate``), which a reason may mention in passing.
    """

    text: str
    rows: int
    code: str | None
    negated: bool = False
    bare: bool = False


@dataclass
class _Reasons:
    """The leading phrases of a column and the void phrases proposed from them.

    Attributes:
        header: The column's header.
        mapped: Whether the column is read as ``closure_reason``; a column of long texts
            (replies that start with set phrases) is only suggested.
        rows: Non-blank rows of the column.
        sampled: Rows the phrases were found in (the first ``_REASON_SAMPLE``).
        phrases: The leading phrases, most rows first.
        proposed: Void code -> [(phrase, rows of the column it voids)].
        refused: Comment lines on void-like phrases not proposed, and why.
    """

    header: str
    mapped: bool
    rows: int
    sampled: int
    phrases: list[_Phrase]
    proposed: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)

    @property
    def covered(self) -> float:
        """The share of sampled rows that start with one of the 12 commonest phrases."""
        return sum(p.rows for p in self.phrases[:12]) / self.sampled if self.sampled else 0.0

    @property
    def void_rows(self) -> int:
        """Sampled rows whose leading phrase means a void."""
        return sum(p.rows for p in self.phrases if p.code and not p.negated)

    @property
    def voiding(self) -> bool:
        """Whether some phrase means a void (duplicate, invalid, cancelled, test)."""
        return any(p.code and not p.negated for p in self.phrases)


def _tokens(value: str) -> list[re.Match[str]]:
    segment = _CUT.split(value.strip(), maxsplit=1)[0]
    return list(_TOKEN.finditer(segment))[:_PHRASE_TOKENS]


def _void_code(words: Sequence[str]) -> tuple[str | None, bool, bool]:
    """The void code words mean, whether negated, whether bare: (code, negated, bare)."""
    han = "".join(w for w in words if re.fullmatch(r"[\u3400-\u9fff]", w))
    for code, spelled in _VOID_WORDS.items():
        for i, word in enumerate(words):
            if word in spelled:
                negated = bool(set(words[:i]) & _NEGATIONS)
                return code, negated, len(words) == 1
    for code, terms in _VOID_TERMS.items():
        for term in terms:
            at = han.find(term)
            if at >= 0:
                negated = any(n in han[max(0, at - 2) : at] for n in _NEGATIONS_ZH)
                return code, negated, han == term and term in _BARE_TERMS
    return None, False, False


def _leading_phrases(counts: Sequence[tuple[str, int]], rows: int) -> dict[str, _Phrase]:
    """Value -> its leading phrase: its longest start of words that at least a few rows share.

    A start is cut at a dash, punctuation or a digit (``Case is a Duplicate of 1234`` starts
    ``Case is a Duplicate``); words like ``of`` or ``to`` do not end a phrase.
    """
    least = max(2, math.ceil(0.005 * rows))
    tokens = {value: _tokens(value) for value, _ in counts}
    starts: dict[tuple[str, ...], int] = {}
    for value, count in counts:
        words = tuple(t.group().lower() for t in tokens[value])
        for k in range(1, len(words) + 1):
            starts[words[:k]] = starts.get(words[:k], 0) + count
    phrases: dict[str, _Phrase] = {}
    spelled: dict[tuple[str, ...], str] = {}
    for value, _ in counts:
        found = tokens[value]
        words = tuple(t.group().lower() for t in found)
        k = max((k for k in range(1, len(words) + 1) if starts[words[:k]] >= least), default=0)
        while k > 1 and words[k - 1] in _TRAILING:
            k -= 1
        if k == 0:
            continue
        key = words[:k]
        text = spelled.setdefault(key, value.strip()[: found[k - 1].end()].strip())
        code, negated, bare = _void_code(key)
        phrases[value] = _Phrase(text, 0, code, negated, bare)
    return phrases


def _reasons(header: str, values: pa.Array, *, mapped: bool = True) -> _Reasons:
    """The leading phrases of a column's first values (nothing proposed yet: :func:`_propose`)."""
    sample = values.slice(0, _REASON_SAMPLE)
    counts = _counts(sample)
    by_value = _leading_phrases(counts, len(sample))
    grouped: dict[str, _Phrase] = {}
    for value, count in counts:
        if (phrase := by_value.get(value)) is not None:
            had = grouped.setdefault(phrase.text, phrase)
            grouped[phrase.text] = replace(had, rows=had.rows + count)
    phrases = sorted(grouped.values(), key=lambda p: (-p.rows, p.text))
    return _Reasons(header, mapped, len(values), len(sample), phrases)


def _own_code(value: str) -> str | None:
    """The void code a reason's own leading words mean (``None``: none, or negated)."""
    code, negated, _ = _void_code([t.group().lower() for t in _tokens(value)])
    return None if negated else code


def _propose(found: _Reasons, values: pa.Array) -> _Reasons:
    """The void phrases to propose, with the rows of the whole column each voids.

    A phrase is proposed when its words mean a void and are not negated, it is more than the
    void word alone, no reason of the column that means something else states it (as
    :func:`hotline.ingestion.values.phrase_codes` matches them: ``Invalid request`` inside
    ``Resolved - reopened after an invalid request``), and it shows no personal data. For a
    void word alone (``Duplicate``, from ``Duplicate of #123``), the longer phrases the
    column's values share that start with it (``Duplicate of``) are judged instead.
    """
    every = _counts(values)
    own = {value: _own_code(value) for value, _ in every}
    distinct = pa.array([v for v, _ in every], pa.string())
    for phrase in found.phrases:
        if phrase.code is None:
            continue
        shown = _shown(phrase.text, ())
        said = toml_text.text(shown) if shown is not None else f"a phrase of {phrase.rows} rows"
        if phrase.negated:
            found.refused.append(f"#   not proposed: {said} (its void word is negated)")
            continue
        if not phrase.bare:
            _judge(found, phrase.text, phrase.code, said, every, own, distinct)
            continue
        led = {fold_value(p.text) for p in found.phrases}  # each judged on its own
        took = [
            text
            for text in _longer_phrases(phrase.text, every)
            if fold_value(text) not in led
            and _judge(found, text, phrase.code, toml_text.text(text), every, own, distinct)
        ]
        instead = f"; {', '.join(map(toml_text.text, took))} instead" if took else ""
        found.refused.append(
            f"#   not proposed: {said} (a void word alone matches any reason that mentions "
            f"it{instead})"
        )
    return found


def _judge(
    found: _Reasons,
    text: str,
    code: str,
    said: str,
    every: Sequence[tuple[str, int]],
    own: Mapping[str, str | None],
    distinct: pa.Array,
) -> bool:
    """Propose ``text`` for ``code`` with the rows it voids, or say why not (as ``said``)."""
    from hotline.ingestion.values import phrase_codes

    shown = _shown(text, ())
    why = "it holds personal data" if shown is None or shown != text else ""
    if not why:
        hits = phrase_codes(distinct, {code: (fold_value(text),)})
        hit = pc.is_valid(hits).to_numpy(zero_copy_only=False)
        rows = [(c, own[v] == code) for (v, c), h in zip(every, hit, strict=True) if h]
        others = sum(c for c, same in rows if not same)
        if not others and rows:
            found.proposed.setdefault(code, []).append((text, sum(c for c, _ in rows)))
            return True
        why = f"it is also inside {others} rows of other reasons" if others else "no row states it"
    found.refused.append(f"#   not proposed: {said} ({why})")
    return False


def _longer_phrases(word: str, every: Sequence[tuple[str, int]]) -> list[str]:
    """The longest phrases values share that start with a void word alone, most rows first.

    A value's phrase is its words before the first digit, ``#`` or punctuation (``Duplicate
    of #123`` gives ``Duplicate of``), cut back to the longest start that at least a few rows
    share (as :func:`_leading_phrases` does), and kept only when longer than the word. Words
    like ``of`` stay: they are what makes the phrase more than the word.

    Example:
        >>> _longer_phrases("Duplicate", [("Duplicate of #12", 3), ("Duplicate of #9; merged", 2),
        ...                               ("Duplicate", 4), ("Duplicate request", 1)])
        ['Duplicate of']
    """
    key = tuple(t.group().lower() for t in _tokens(word))
    rows = sum(c for _, c in every)
    least = max(2, math.ceil(0.005 * rows))
    tokens = {value: _tokens(value) for value, _ in every}
    led = []
    for value, count in every:
        words = tuple(t.group().lower() for t in tokens[value])
        if words[: len(key)] == key and len(words) > len(key):
            led.append((value, count, words))
    starts: dict[tuple[str, ...], int] = {}
    for _, count, words in led:
        for k in range(len(key) + 1, len(words) + 1):
            starts[words[:k]] = starts.get(words[:k], 0) + count
    found: dict[tuple[str, ...], str] = {}
    for value, _, words in led:
        shared = [k for k in range(len(key) + 1, len(words) + 1) if starts[words[:k]] >= least]
        if shared:
            k = max(shared)
            found.setdefault(words[:k], value.strip()[: tokens[value][k - 1].end()].strip())
    return [found[k] for k in sorted(found, key=lambda k: -starts[k])]


def _find_reasons(
    sample: ExportSample, chosen: list[Guess], values_of: Mapping[int, pa.Array]
) -> tuple[list[Guess], list[str], _Reasons | None]:
    """The closure-reason column: the one its header names, else a text column of phrases.

    A text column whose values are mostly a few repeated leading phrases, some of which say
    the request is a duplicate, invalid, cancelled or a test, is the closure reason (SF's
    ``Status Notes``: ``Case is a Duplicate …``, ``Case Resolved - …``), even when its header
    reads like a reply.
    """
    named = next((g for g in chosen if g.field == "closure_reason"), None)
    if named is not None:
        values = values_of[named.index]
        return chosen, [], _propose(_reasons(named.header, values), values) if len(values) else None
    by_index = {g.index: g for g in chosen}
    best: tuple[_Reasons, int] | None = None
    for index, values in values_of.items():
        header = sample.headers[index]
        taken = by_index.get(index)
        if (taken and taken.field not in _TEXTS) or _PERSONAL.search(header) or len(values) < 5:
            continue
        if _date_share(values.slice(0, 200)) > 0.5:
            continue
        short = float(pc.mean(pc.utf8_length(values)).as_py() or 0) <= _REASON_CHARS
        found = _reasons(header, values, mapped=short)
        if found.covered < 0.6 or not found.voiding:
            continue
        if best is None or (found.mapped, found.void_rows) > (best[0].mapped, best[0].void_rows):
            best = (found, index)
    if best is None:
        return chosen, [], None
    found, index = best
    found = _propose(found, values_of[index])
    if not found.mapped:  # replies that start with set phrases: suggested in [closure] only
        return chosen, [], found
    spellings = _spellings().get("closure_reason", set())
    heading = round(_field_heading("closure_reason", found.header, spellings), 2)
    covered = round(found.covered, 2)
    guess = Guess(
        "closure_reason",
        index,
        found.header,
        round(0.6 * heading + 0.4 * covered, 2),
        heading,
        covered,
        f"{min(len(found.phrases), 12)} leading phrases make {covered:.0%} of it",
        "its values are closure reasons, some of which void a request ([closure])",
    )
    notes = []
    was = by_index.get(index)
    if was is not None:
        notes.append(
            f"# {was.field}: not mapped; {_quoted(found.header)} is read as closure_reason "
            "(its values are a few repeated reasons, some of which void a request)"
        )
    return [g for g in chosen if g.index != index] + [guess], notes, found


# --- dates: the order their values decide, and rows that go against it -------------------------


def date_evidence(values: pa.Array) -> dict[str, int]:
    """How many values decide each date order (:func:`hotline.ingestion.dates.order_evidence`).

    A 4-digit first part decides ymd, a first part over 12 dmy, a second part over 12 mdy.

    Example:
        >>> date_evidence(pa.array(["21/01/2022", "01/02/2022", "2022-01-05", None]))
        {'ymd': 1, 'mdy': 0, 'dmy': 1}
    """
    from hotline.ingestion.dates import order_evidence

    found = order_evidence(values)
    return {"ymd": found.year_first, "mdy": found.mdy, "dmy": found.dmy}


def _decided(evidence: dict[str, int]) -> str | None:
    deciding = {k: v for k, v in evidence.items() if v}
    if len(deciding) == 1:
        return next(iter(deciding))
    return max(deciding, key=deciding.__getitem__) if deciding else None


def _deciding_rows(values: pa.Array, order: str, most: int) -> list[int]:
    """Positions of the first ``most`` values that read only in ``order`` (``mdy`` or ``dmy``).

    Found by halving: only the halves holding such a value are read again, so a few stray
    values in a large column cost a few passes over it.
    """
    from hotline.ingestion.dates import order_evidence

    found: list[int] = []

    def visit(start: int, length: int) -> None:
        if len(found) >= most or not getattr(order_evidence(values.slice(start, length)), order):
            return
        if length == 1:
            found.append(start)
            return
        half = length // 2
        visit(start, half)
        visit(start + half, length - half)

    visit(0, len(values))
    return found


_ORDER_NAMES = {"ymd": "year-month-day", "mdy": "month-day-year", "dmy": "day-month-year"}
_STRAYS = 5


def _date_order_lines(
    sample: ExportSample,
    guesses: Sequence[Guess],
    base: Profile | None,
    cjk: bool,
    left: _Inherited | None = None,
) -> list[str]:
    """``date_order``: the order most deciding values read in; stray values named by row.

    A value that reads only in the other order, among many that read in this one, is taken
    for a typo: its row and column are named (never its value) to correct it in the export,
    since the ingest stops on a column holding both orders. A handful of deciding values
    among very many ambiguous ones is too little to go against the order the export's
    language usually writes.
    """
    from hotline.ingestion.dates import order_evidence

    columns = [(g, order_evidence(sample.columns[g.index])) for g in guesses if g.field in _TIMES]
    count = {
        "ymd": sum(e.year_first for _, e in columns),
        "mdy": sum(e.mdy for _, e in columns),
        "dmy": sum(e.dmy for _, e in columns),
    }
    ambiguous = sum(int(e.ambiguous.sum()) for _, e in columns)
    said = ", ".join(f"{v} {k}" for k, v in count.items())
    usual = "ymd" if cjk else "mdy"
    day_month = {k: count[k] for k in ("mdy", "dmy") if count[k]}
    lines: list[str] = []
    order = _decided(count)
    if len(day_month) == 2:
        order = max(day_month, key=lambda k: (day_month[k], k == usual))
        other = "dmy" if order == "mdy" else "mdy"
        few = count[other] <= max(1, 0.05 * count[order])
        lines.append(
            f"# CHECK: {_stray_rows(sample, columns, other, count[other], cjk)} against "
            f"{count[order]} {_ORDER_NAMES[order]}: "
            + ("likely typos" if few else "the export mixes both orders")
            + "; correct them in the export (the ingest stops on a column holding both orders)"
        )
    elif (
        day_month
        and usual != (only := next(iter(day_month)))
        and count[only] <= _STRAYS
        and count[only] < 0.001 * (count[only] + ambiguous)
    ):
        order = usual
        lines.append(
            f"# CHECK: only {_stray_rows(sample, columns, only, count[only], cjk)} among "
            f"{ambiguous} that read either way: too few to decide, {usual} kept; correct the "
            f"row if it is a typo (the ingest stops on it under {usual})"
        )
    if order is not None and (base is None or base.date_order != order):
        return [toml_text.assign("date_order", order) + f"  # values deciding: {said}", *lines]
    if order is None and base is None:
        note = "  # CHECK: no date decides (every part <= 12)"
        return [toml_text.assign("date_order", usual) + note]
    if order is not None and left is not None:
        left.options.append("date_order")
    return lines


def _stray_rows(
    sample: ExportSample, columns: Sequence[tuple[Guess, object]], order: str, n: int, cjk: bool
) -> str:
    """``2 values read only as day-month-year: row 7 of 'Opened', …`` (rows, never values)."""
    rows = [
        (sample.row(i), guess.header)
        for guess, found in columns
        if getattr(found, order)
        for i in _deciding_rows(sample.columns[guess.index], order, _STRAYS)
    ][:_STRAYS]
    where = ", ".join(
        (f"第 {r} 行 {_quoted(h)}" if cjk else f"row {r} of {_quoted(h)}") for r, h in rows
    )
    more = f" and {n - len(rows)} more" if n > len(rows) else ""
    said = "1 value reads" if n == 1 else f"{n} values read"
    return f"{said} only as {_ORDER_NAMES[order]} ({where}{more})"


# --- time zone: from offsets, coordinates or place names ---------------------------------------


@dataclass(frozen=True)
class _Zone:
    """The zone a draft suggests, and the evidence.

    Attributes:
        zone: An IANA zone, ``from-data``, or ``None`` (no evidence).
        evidence: The evidence in words, for the comment.
    """

    zone: str | None
    evidence: str


def _zone_of_offsets(values: pa.Array) -> _Zone | None:
    """The zone whose offsets fit the ones a column's times state, at the times they state.

    ``-08:00`` in January and ``-07:00`` in July fit America/Los_Angeles
    (:func:`hotline.profiles.zones.zone_fitting_offsets`, which the ingest uses too).
    """
    from hotline.profiles.zones import zone_fitting_offsets

    fit = zone_fitting_offsets(values)
    if not fit.counts:
        return None
    said = ", ".join(f"{o} {n} values" for o, n in fit.counts.items())
    if fit.best is None:
        return _Zone("from-data", f"the UTC offsets its times state ({said}) fit no zone known")
    tail = f"; they fit {', '.join(fit.also)} too" if fit.also else ""
    return _Zone(fit.best, f"inferred from the UTC offsets its times state ({said}){tail}")


def _numbers(values: pa.Array) -> np.ndarray:
    sample = values.slice(0, _SAMPLE)
    numeric = pc.fill_null(pc.match_substring_regex(sample, r"^\s*-?\d{1,3}(\.\d+)?\s*$"), False)
    found = pc.cast(pc.utf8_trim_whitespace(sample.filter(numeric)), pa.float64())
    return found.to_numpy(zero_copy_only=False)


def _zone_of_point(lat: float, lon: float) -> str | None:
    """The zone of a place, by rough bounds (US zones by longitude; China)."""
    if 18 <= lat <= 54 and 73 <= lon <= 135:
        return "Asia/Shanghai"
    if 18 <= lat <= 23 and -161 <= lon <= -154:
        return "Pacific/Honolulu"
    if lat >= 51 and -170 <= lon <= -130:
        return "America/Anchorage"
    if not (24 <= lat <= 50 and -125 <= lon <= -66):
        return None
    if 31.3 <= lat <= 37 and -114.8 <= lon <= -109.05:
        return "America/Phoenix"
    if lon >= -86.7:
        return "America/New_York"
    if lon >= -102:
        return "America/Chicago"
    return "America/Denver" if lon >= -114.5 else "America/Los_Angeles"


def _zone_of_coordinates(sample: ExportSample) -> _Zone | None:
    lats = [i for i, h in enumerate(sample.headers) if _words(h) & {"lat", "latitude"}]
    lons = [
        i for i, h in enumerate(sample.headers) if _words(h) & {"lon", "long", "lng", "longitude"}
    ]
    if not lats or not lons or max(lats[0], lons[0]) >= len(sample.columns):
        return None
    lat, lon = (_numbers(_nonblank(sample.columns[c[0]])) for c in (lats, lons))
    if not len(lat) or not len(lon):
        return None
    middle = float(np.median(lat)), float(np.median(lon))
    zone = _zone_of_point(*middle)
    where = f"{_quoted(sample.headers[lats[0]])} and {_quoted(sample.headers[lons[0]])}"
    point = f"median {middle[0]:.1f}, {middle[1]:.1f}"
    if zone is None:
        return _Zone(None, f"coordinates in {where} ({point}) lie in no zone known to drafts")
    return _Zone(zone, f"inferred from the coordinates in {where} ({point}), by rough bounds")


def _zone_of_places(sample: ExportSample, path: Path) -> _Zone | None:
    """The zone of the places a column's values name, else the file name's.

    A value names a state after a city (``…, Springfield IL``, :mod:`hotline.profiles.places`),
    else known cities and states by name; in a ``State`` column a whole value is a state. A
    column counts when at least 1 in 20 of its first rows names a place, and 4 in 5 of those
    name places of one zone. Only the place names the draft knows are quoted, never a value:
    any column may be free text or personal.
    """
    best: tuple[int, str, str] | None = None
    for index, header in enumerate(sample.headers[: len(sample.columns)]):
        words = _words(header)
        column = sample.columns[index].slice(0, _SAMPLE)
        hits: dict[str, int] = {}
        named: dict[str, str] = {}
        for value, count in _counts(column):
            for zone, place in _places_of(value, words).items():
                hits[zone] = hits.get(zone, 0) + count
                named.setdefault(zone, place)
        if not hits:
            continue
        zone = max(hits, key=hits.__getitem__)
        enough = hits[zone] >= 0.05 * len(column) and hits[zone] >= 0.8 * sum(hits.values())
        if enough and (best is None or hits[zone] > best[0]):
            best = (hits[zone], zone, f"{named[zone]} in {_quoted(header)}")
    if best is not None:
        rows, zone, where = best
        return _Zone(zone, f"inferred from place names: {where}, {rows} of its first rows")
    words = _word_list(path.stem)
    found = places.cities_in(" ".join(words))
    if found:
        return _Zone(places.zone_of_city(found[0]), f"inferred from the file name ({found[0]!r})")
    for word in words:
        if word in places.FILE_PLACES:
            return _Zone(places.FILE_PLACES[word], f"inferred from the file name ({word!r})")
    return None


def _places_of(value: str, header_words: set[str]) -> dict[str, str]:
    """Zone -> the place a value names there, as a draft may quote it (never the value).

    A state after a city outranks a city's name: ``Portland, ME`` is in Maine.
    """
    found = places.states_after_cities(value)
    if not found and "state" in header_words:
        found = [s for s in [places.state_named(value)] if s is not None]
    if found:
        return {s.zone: _state_said(s) for s in reversed(found)}
    return {places.zone_of_city(c): repr(c) for c in reversed(places.cities_in(value))}


def _state_said(state: places.State) -> str:
    """``'IL' (Illinois)``; for a state of two zones, which was taken and why (CHECK)."""
    said = f"{state.abbr!r} ({state.name})"
    if state.also:
        said += (
            f" (CHECK: {state.name} spans {state.zone} and {', '.join(state.also)}; "
            f"{state.zone} is where most of its people live)"
        )
    return said


def _zone_evidence(sample: ExportSample, guesses: Sequence[Guess], path: Path, cjk: bool) -> _Zone:
    """The zone of an export's times: offsets, else coordinates, else place names.

    Without any, a Chinese export is China's time; another has no zone the draft can tell.
    """
    times = sorted(
        (g for g in guesses if g.field in _TIMES), key=lambda g: g.field != "received_at"
    )
    from hotline.ingestion.dates import dominant_offset

    utc_only = False
    for guess in times:
        found = _zone_of_offsets(_nonblank(sample.columns[guess.index]))
        if found is not None:
            return replace(found, evidence=f"{found.evidence} in {_quoted(guess.header)}")
        utc_only = utc_only or bool(dominant_offset(sample.columns[guess.index].slice(0, 500))[1])
    coordinates = _zone_of_coordinates(sample)
    if coordinates is not None and coordinates.zone is not None:
        return coordinates
    places = _zone_of_places(sample, path)
    if places is not None:
        return places
    if cjk:
        return _Zone("Asia/Shanghai", "the headers are Chinese (China's time, UTC+8)")
    why = ["no UTC offsets, coordinates or place names found"]
    if utc_only:
        why = ["its times are stated in UTC, which names no local zone"]
    if coordinates is not None:
        why.append(coordinates.evidence)
    return _Zone(None, "; ".join(why))


def _zone_lines(
    found: _Zone, base: Profile | None, cjk: bool, left: _Inherited | None = None
) -> list[str]:
    """``timezone`` as the evidence says (a TODO without any), and the ``calendar`` it implies.

    Extending a profile, an option equal to the parent's is left out, and so is a zone the
    draft cannot tell (the parent's stands).
    """
    calendar = "cn" if found.zone == "Asia/Shanghai" or (cjk and found.zone is None) else None
    calendar_line = toml_text.assign("calendar", calendar or "us-federal")
    calendar_line += "  # cn, us-federal, none, holidays:CC"
    if base is not None and left is not None:
        lines = []
        if found.zone is not None and found.zone != base.timezone:
            lines.append(toml_text.assign("timezone", found.zone) + f"  # {found.evidence}; CHECK")
        elif found.zone is not None:
            left.options.append("timezone")
        if _calendar_country(calendar or "us-federal") in (_calendar_country(base.calendar), ""):
            left.options.append("calendar")
        else:
            lines.append(calendar_line)
        return lines
    if found.zone is None:
        return [
            "# TODO: set timezone to the zone of its times; until it is set, times are read as",
            f"# Asia/Shanghai, the default. The draft cannot tell: {found.evidence}.",
            '# timezone = "America/…"  # an IANA zone',
            calendar_line,
        ]
    note = found.evidence if found.zone != "from-data" else f"{found.evidence}: stored as stated"
    return [toml_text.assign("timezone", found.zone) + f"  # {note}; CHECK", calendar_line]


def _calendar_country(calendar: str) -> str:
    """The country of a calendar (``""`` for ``none``): a draft tells a country, not a city.

    Example:
        >>> [_calendar_country(c) for c in ("cn", "us-federal", "holidays:US-IL", "none")]
        ['CN', 'US', 'US', '']
    """
    if calendar.startswith("holidays:"):
        return calendar.removeprefix("holidays:").split("-")[0].upper()
    return {"cn": "CN", "us-federal": "US"}.get(calendar, "")


# --- values as a draft shows them ---------------------------------------------------------------


def _shown(value: str, names: Sequence[str]) -> str | None:
    """A value as a draft may print it: phones and ids scrubbed; ``None`` if it names a person."""
    from hotline.ingestion.names import looks_like_person
    from hotline.ingestion.privacy import caller_index, names_in, scrub_text

    text = scrub_text(pa.array([value]))[0].as_py() or ""
    if looks_like_person(text) or (names and names_in(text, caller_index(names))):
        return None
    return text


def _counts(column: pa.Array) -> list[tuple[str, int]]:
    values = _nonblank(column)
    counted = pc.value_counts(values).to_pylist()
    counted.sort(key=lambda c: (-c["counts"], c["values"]))
    return [(c["values"], c["counts"]) for c in counted]


def _known_code(vocabulary: str, value: str, base: Profile | None) -> tuple[str | None, str]:
    """The code a value already has (in ``base``), or the one a built-in profile gives it."""
    start = base or Profile("", "", "", {}, shared_vocabulary())
    code = start.lookup(vocabulary, [value])[0]
    if code:
        return code, ""
    for name in builtin_names():
        code = builtin(name).lookup(vocabulary, [value])[0]
        if code:
            return code, name
    return None, ""


def _personal(guess: Guess | None, header: str) -> bool:
    return bool(_PERSONAL.search(header)) or (
        guess is not None and guess.field in (*_CALLER, "confidential")
    )


@dataclass
class _Inherited:
    """What a draft that extends a profile leaves out, because that profile says it already.

    Attributes:
        parent: The profile extended, as given.
        fields: ``[columns]`` fields whose guessed column the parent reads as that field.
        values: Vocabulary values the parent reads to the code the draft would give them.
        phrases: Void phrases the parent already lists under the code proposed.
        options: Options the draft would set to the parent's value.
    """

    parent: str
    fields: int = 0
    values: int = 0
    phrases: int = 0
    options: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One comment line with the counts."""
        parts = [
            f"{n} {what}{'s' if n > 1 else ''}"
            for n, what in (
                (self.fields, "[columns] field"),
                (self.values, "vocabulary value"),
                (self.phrases, "void phrase"),
            )
            if n
        ]
        if self.options:
            n = len(self.options)
            parts.append(f"{n} option{'s' if n > 1 else ''} ({', '.join(self.options)})")
        said = ", ".join(parts) or "nothing"
        return f"# left out as inherited from {self.parent} (it reads them the same): {said}"


def draft_profile(
    path: Path, *, name: str | None = None, extends: str | None = None, today: dt.date | None = None
) -> str:
    """A draft profile (TOML with comments) for exports like ``path``.

    With ``extends``, only what differs from that profile is drafted: a field whose column the
    parent already reads as that field, a value it already reads to the code the draft would
    give, a void phrase it already lists and an option equal to its own are left out, and
    one comment line counts them.

    Args:
        path: The export.
        name: The profile's name (default: the export's stem).
        extends: A profile it starts from (only what differs is drafted).
        today: The date written in the header comment (default: today).
    """
    sample = read_sample(path)
    found = _guess(sample)
    guesses = found.guesses
    by_field = {g.field: g for g in guesses}
    base, left = None, None
    if extends is not None:
        from hotline.profiles.loading import find_profile

        base, left = find_profile(extends), _Inherited(extends)
    name = name or re.sub(r"[^0-9A-Za-z_\-\u4e00-\u9fff]+", "_", path.stem).strip("_") or "draft"
    if name in builtin_names():
        name = f"{name}_export"
    cjk = any(re.search(r"[\u4e00-\u9fff]", h) for h in sample.headers)
    caller_names: list[str] = []
    if "caller_name" in by_field:
        caller_names = [v for v, _ in _counts(sample.columns[by_field["caller_name"].index])]
    where = f" (header row {sample.header_row})" if sample.header_row else ""
    out = [
        f"# Draft profile for {sample.name}{where}, written by "
        f"`hotline profile new` on {(today or dt.date.today()).isoformat()}.",
        "# Each [columns] line is a guess with its score (0-1: 0.6 x header likeness + 0.4 x",
        "# value shape). Check every guess, put the values listed under [vocabulary.*] under",
        "# their codes, then run: hotline profile check EXPORT --profile THIS_FILE",
        toml_text.assign("name", name),
    ]
    if base is not None:
        out.append(toml_text.assign("extends", extends or ""))
    else:
        out.append(toml_text.assign("description", f"Exports like {sample.name} (draft)"))
    out += _kind_lines(cjk, base, left)
    out += _date_order_lines(sample, guesses, base, cjk, left)
    out += _zone_lines(_zone_evidence(sample, guesses, path, cjk), base, cjk, left)
    out += _closure_lines(sample, guesses, found.reasons, base, caller_names, left)
    out += ["", "# field = [header], most specific first; score: header, values", "[columns]"]
    read = base.match_headers(sample.headers).fields if base is not None else {}
    for guess in guesses:
        if left is not None and read.get(guess.field) == guess.index:
            left.fields += 1
            continue
        note = f"  # {guess.score:.2f}: header {guess.header_score:.2f}, values "
        note += f"{guess.value_score:.2f} ({guess.evidence})"
        note += f"; {guess.note}" if guess.note else ""
        out.append(toml_text.assign(guess.field, [guess.header]) + note)
    out += found.notes
    missing = [f for f in MAPPABLE_FIELDS if f not in by_field and f not in read]
    out.append(f"# no column found for: {', '.join(missing)}")
    taken = {g.index for g in guesses} | set(read.values())
    unread = [h for i, h in enumerate(sample.headers) if h and i not in taken]
    if unread:
        from hotline.ingestion.privacy import safe_header

        out.append(f"# columns left out: {', '.join(safe_header(h) for h in unread)}")
    out += _vocabulary_lines(sample, guesses, base, caller_names, left)
    if left is not None:
        out.insert(out.index(toml_text.assign("extends", extends or "")) + 1, left.line())
    return "\n".join(out) + "\n"


def _kind_lines(cjk: bool, base: Profile | None, left: _Inherited | None) -> list[str]:
    """``kind`` and ``language`` as the headers' script says, unless the parent says the same.

    Chinese headers tell a Chinese export, not whether it is of the hotline or online
    messages: a parent of either kind keeps its own.
    """
    kind = "hotline" if cjk else "311"
    if cjk and base is not None and base.kind in ("hotline", "online"):
        kind = base.kind
    lines = []
    for option, value, note in (
        ("kind", kind, "  # hotline, online or 311"),
        ("language", "zh" if cjk else "en", ""),
    ):
        if base is not None and left is not None and getattr(base, option) == value:
            left.options.append(option)
        else:
            lines.append(toml_text.assign(option, value) + note)
    return lines


def _closure_lines(
    sample: ExportSample,
    guesses: Sequence[Guess],
    reasons: _Reasons | None,
    base: Profile | None,
    names: Sequence[str],
    left: _Inherited | None = None,
) -> list[str]:
    lines = [""]
    by_field = {g.field: g for g in guesses}
    updated, status = by_field.get("updated_at"), by_field.get("status")
    if (
        updated
        and status
        and "closed_at" not in by_field
        and (base is None or base.close_time != "updated_at")
    ):
        codes = [
            _known_code("status", v, base)[0] for v, _ in _counts(sample.columns[status.index])
        ]
        if "closed" in codes:
            lines += [
                "[closure]",
                "# no close-time column: a closed request's last update "
                f"({_quoted(updated.header)}) is its",
                "# closure, as the built-in open311 profile reads GeoReport exports",
                toml_text.assign("close_time", "updated_at"),
            ]
    if reasons is None or _personal(None, reasons.header):
        return lines if len(lines) > 1 else []
    if len(lines) == 1:
        lines.append("[closure]")
    return lines + _reason_lines(reasons, names, base, left)


def _reason_lines(
    reasons: _Reasons,
    names: Sequence[str],
    base: Profile | None = None,
    left: _Inherited | None = None,
) -> list[str]:
    """The closure reasons' leading phrases, and the void phrases proposed with their rows.

    Extending a profile, a code whose proposed phrases the parent lists already is left out;
    a code written replaces the parent's list, so the parent's other phrases are kept in it.
    """
    header = _quoted(reasons.header)
    written: dict[str, list[str]] = {}
    for code, found in reasons.proposed.items():
        had = base.void_reasons.get(code, ()) if base is not None else ()
        new = [t for t, _ in found if fold_value(t) not in had]
        if left is not None and not new:
            left.phrases += len(found)
            continue
        stated = {fold_value(t) for t, _ in found}
        written[code] = [t for t, _ in found] + [p for p in had if p not in stated]
    proposed = [
        (c, t, n) for c, found in reasons.proposed.items() if c in written for t, n in found
    ]
    table = ", ".join(f"{code} = {toml_text.texts(found)}" for code, found in written.items())
    if not reasons.mapped:
        if not proposed:
            return []
        lines = [
            f"# {header} reads as replies (longer texts), but some of its rows start with a",
            "# phrase that voids a request; to void them, map it as closure_reason (it then",
            "# feeds reply no more) and keep these void_reasons (rows of the column each voids):",
            *(f"#   {c}: {toml_text.text(t)}  {n} rows" for c, t, n in proposed),
            f"# void_reasons = {{ {table} }}",
        ]
        return lines
    lines = [
        f"# closure reasons in column {header}: {reasons.covered:.0%} of {reasons.sampled} rows",
        "# start with one of these phrases (most common first):",
    ]
    for phrase in reasons.phrases[:12]:
        shown = _shown(phrase.text, names)
        if shown is not None:
            meaning = f": {phrase.code}" if phrase.code else ""
            meaning = ": negated, not void" if phrase.negated else meaning
            lines.append(f"#   {toml_text.text(shown)}  {phrase.rows} rows{meaning}")
    lines.append(
        f"# a request whose reason holds a phrase is void; codes: {', '.join(VOID_REASON_CODES)}"
    )
    lines += reasons.refused
    if not reasons.proposed:
        return [*lines, *_void_example(reasons, names)]
    if not proposed:
        return lines
    lines.append("# proposed from the leading phrases above (rows of the column each voids):")
    lines += [f"#   {c}: {toml_text.text(t)}  {n} rows" for c, t, n in proposed]
    return [*lines, f"void_reasons = {{ {table} }}"]


def _void_example(reasons: _Reasons, names: Sequence[str]) -> list[str]:
    """With no phrase proposed, the form of ``void_reasons`` with a phrase of this column.

    A phrase that means a void comes first (the user decides on the refusal said above);
    else the column's commonest phrase shows the form only: nothing of it voids yet.
    """
    voiding = [p for p in reasons.phrases if p.code and not p.negated]
    for phrase in [*voiding, *(p for p in reasons.phrases if p.code is None)]:
        shown = _shown(phrase.text, names)
        if shown is None or shown != phrase.text:
            continue
        example = f"# void_reasons = {{ {phrase.code or 'void'} = {toml_text.texts([shown])} }}"
        if phrase.code:
            return [
                "# none proposed; if the reason above does not hold here, void by it so:",
                example,
            ]
        return [
            "# none proposed (no phrase here means a void); to void by one, list it by its code:",
            example,
        ]
    return []


def _vocabulary_lines(
    sample: ExportSample,
    guesses: Sequence[Guess],
    base: Profile | None,
    names: Sequence[str],
    left: _Inherited | None = None,
) -> list[str]:
    """Each vocabulary column's values: the codes known for them, and those not understood.

    Extending a profile, a value the parent reads already is left out (and a table with
    nothing left to say); otherwise ``already <code>`` says the shared vocabulary reads it.
    """
    lines: list[str] = []
    tables: dict[str, list[Guess]] = {}
    for guess in guesses:
        if guess.field in _VOCABULARY_FIELDS:
            vocabulary = "boolean" if guess.field in BOOLEAN_FIELDS else guess.field
            tables.setdefault(vocabulary, []).append(guess)
    for vocabulary, found in tables.items():
        said: list[str] = []
        entries: dict[str, list[str]] = {}
        for guess in found:
            if _personal(guess, guess.header):
                said.append(f"# column {guess.header!r} may be personal: values not shown")
                continue
            counts = _counts(sample.columns[guess.index])
            listed, unknown = [], []
            for value, count in counts[:_LISTED]:
                shown = _shown(value, names)
                if shown is None:
                    continue
                code, source = _known_code(vocabulary, value, base)
                if code and not source and left is not None:
                    left.values += 1
                elif code and not source:
                    listed.append(f"#   {toml_text.text(shown)} {count} rows: already {code}")
                elif code:
                    entries.setdefault(code, []).append(shown)
                    quoted = toml_text.text(shown)
                    listed.append(f"#   {quoted} {count} rows: {code} as {source} reads it")
                else:
                    unknown.append(f"#   {toml_text.text(shown)} {count} rows")
            if unknown:
                listed.append('# not understood yet; put each under its code (code = ["value"]):')
                listed += unknown
            if len(counts) > _LISTED:
                listed.append(f"# … and {len(counts) - _LISTED} more values")
            if listed:
                said += [f"# column {guess.header!r}: {len(counts)} distinct values", *listed]
        if said or entries:
            lines += ["", f"[vocabulary.{vocabulary}]"]
            lines.append(f"# codes: {', '.join(vocabulary_codes(vocabulary))}")
            lines += said
            lines += [toml_text.assign(code, spellings) for code, spellings in entries.items()]
    return lines


def check_export(path: Path, profile: str | Path | None = None) -> str:
    """How an export reads through a profile (or the detected one): ``hotline profile check``.

    The file is converted as the ingest converts it (nothing is written): the profile chosen
    and every candidate's score, the header row, the columns matched and ignored, the date
    columns and the order their values decide, the values no vocabulary code covers (with
    counts), the rows that would be written or rejected, and the rows voided (by closure
    reason or duplicate flag).
    """
    import os

    from hotline.ingestion.accounting import FileReport
    from hotline.ingestion.convert import convert_file
    from hotline.ingestion.pipeline import resolve_profiles
    from hotline.ingestion.stages import MergeResult

    profiles = resolve_profiles(profile=profile) if profile else resolve_profiles()
    # an unknown header's error says to draft a profile (hotline.ingestion.layout)
    converted = convert_file(
        path, profiles, pii_key=os.urandom(32), forced=profile is not None, hash_file=False
    )
    # the file's account before any merge (nothing is written, so nothing merged)
    report = FileReport.build(converted.stages, MergeResult())
    sample = read_sample(path, [p for p in profiles if p.name == report.profile] or profiles)
    chosen, match = sample.profile, sample.match
    if chosen is None or match is None:  # pragma: no cover - read through profiles above
        raise ValueError("the table was not read through a profile")
    ranked = sorted(report.profile_scores.items(), key=lambda kv: -kv[1])
    scores = ", ".join(f"{k} {v}" for k, v in ranked)
    rule = "given" if profile else "detected"
    lines = [
        f"{report.name}: profile {report.profile} ({rule}; scores on the header row: {scores})",
        (
            f"header row: {report.header_row}"
            + (f" (sheet {report.sheet})" if report.sheet else "")
            if report.header_row
            else "header row: none (the file holds records, the fields named in each)"
        ),
    ]
    matched = [f"{f} <- {h!r}" for f, h in report.columns.items()]
    lines.append(f"columns matched ({len(matched)}): {', '.join(matched)}")
    ignored = list(report.ignored_columns)
    lines.append(f"columns ignored ({len(ignored)}): {', '.join(map(repr, ignored)) or 'none'}")
    lines.append(f"date order declared: {chosen.date_order}")
    for name, index in match.fields.items():
        if name in _TIMES:
            found = date_evidence(sample.columns[index])
            values = _nonblank(sample.columns[index])
            deciding = _decided(found) or "none (ambiguous only)"
            said = ", ".join(f"{v} {k}" for k, v in found.items())
            lines.append(
                f"  {name} <- {sample.headers[index]!r}: {len(values)} values; order the values "
                f"decide: {deciding} ({said})"
            )
    # values naming a caller of the file are hidden, as the ingest scrubs them from every column
    callers = match.fields.get("caller_name")
    caller_names = [v for v, _ in _counts(sample.columns[callers])] if callers is not None else []
    for name, index in match.fields.items():
        if name not in _VOCABULARY_FIELDS or _personal(None, sample.headers[index]):
            continue
        vocabulary = "boolean" if name in BOOLEAN_FIELDS else name
        counts = _counts(sample.columns[index])
        codes = chosen.lookup(vocabulary, [v for v, _ in counts])
        unknown = [(v, c) for (v, c), code in zip(counts, codes, strict=True) if code is None]
        if not unknown:
            lines.append(f"{name} <- {sample.headers[index]!r}: every value understood")
            continue
        total = sum(c for _, c in unknown)
        lines.append(
            f"{name} <- {sample.headers[index]!r}: {len(unknown)} values not understood "
            f"({total} rows); add them under [vocabulary.{vocabulary}]:"
        )
        for value, count in unknown[:_LISTED]:
            shown = _shown(value, caller_names)
            lines.append(f"  {toml_text.text(shown) if shown else '‹hidden›'}  {count} rows")
    rejected = sum(report.rejected.values())
    reasons = ", ".join(f"{k} {v}" for k, v in report.rejected.items()) or "none"
    lines.append(
        f"rows: {report.rows_in} read, {converted.table.num_rows} would be written (before "
        f"merging repeated ids), {rejected} rejected ({reasons})"
    )
    lines += _void_lines(report, converted.table)
    return "\n".join(lines) + "\n"


def _void_lines(report: FileReport, table: pa.Table) -> list[str]:
    """The requests that would be void (not accepted): by status, closure reason and flag.

    Each request is counted once: one its status voids is not voided again by its reason.
    """
    from hotline import rules

    if "status" not in table.column_names:
        return []
    statuses = pc.value_counts(pc.drop_null(table["status"])).to_pylist()
    void = {c["values"]: c["counts"] for c in statuses if c["values"] in rules.VOID_STATUSES}
    if not void:
        return []
    parts, by_status = [], dict(void)
    for code, why in (("void_by_reason", "by closure reason"), ("void_by_flag", "by flag")):
        found = report.quality.get(code)
        breakdown = found.breakdown.get("by_status", {}) if found is not None else {}
        if not isinstance(breakdown, Mapping) or not breakdown:
            continue
        for status, count in breakdown.items():
            by_status[status] -= count
        said = ", ".join(f"{k} {v}" for k, v in breakdown.items())
        parts.append(f"{why} {sum(breakdown.values())} ({said})")
    stated = {k: v for k, v in sorted(by_status.items()) if v}
    if stated:
        said = ", ".join(f"{k} {v}" for k, v in stated.items())
        parts.insert(0, f"by status {sum(stated.values())} ({said})")
    return [f"void, not counted as accepted: {sum(void.values())} rows: {'; '.join(parts)}"]
