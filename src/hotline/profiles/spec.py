r"""The profile file's form, declared once: every key, what it allows, and one line of docs.

:data:`KEYS` is the single declaration of the form. :func:`validate` checks a parsed file
against it and returns *every* mistake, each at its TOML line (tomllib gives none, so keys are
located in the text, :func:`key_lines`) with the closest valid key or code; and
:func:`reference_markdown` writes the tables of ``docs/profiles.md`` from it and from
:mod:`hotline.schema` (a test keeps the committed docs in step).

Example:
    >>> text = 'extends = "nyc311"\n[columns]\nrecieved_at = ["open_dt"]\n'
    >>> import tomllib
    >>> for problem in validate(tomllib.loads(text), key_lines(text)):
    ...     print(problem.render("boston.toml"))
    boston.toml:3: [columns] unknown field 'recieved_at'; did you mean 'received_at'?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from hotline import rules, schema
from hotline.profiles.zones import FROM_DATA, is_zone
from hotline.text import fold_value

__all__ = [
    "BOOLEAN_FIELDS",
    "CALENDARS",
    "CLOSE_TIMES",
    "CLOSURE_RULES",
    "DATE_ORDERS",
    "FIELD_DOCS",
    "INPUT_ONLY_FIELDS",
    "KEYS",
    "LANGUAGES",
    "MAPPABLE_FIELDS",
    "VOCABULARIES",
    "VOID_REASON_CODES",
    "Key",
    "Problem",
    "closest",
    "is_calendar",
    "key_lines",
    "place",
    "reference_markdown",
    "validate",
    "vocabulary_codes",
]

#: Fields read from an export but never stored as such: the caller fields feed the privacy
#: step; ``updated_at`` (Open311's ``updated_datetime``) is the close time of a closed request;
#: ``closure_reason`` may void a request (``[closure] void_reasons``), and so does a yes in
#: ``is_duplicate`` (Chicago's ``DUPLICATE`` column).
INPUT_ONLY_FIELDS = (
    "caller_phone",
    "caller_name",
    "caller_user",
    "confidential",
    "updated_at",
    "closure_reason",
    "is_duplicate",
)

#: How a profile decides that a request is closed: by its status alone, or (online messages)
#: also by a reply when the export states no status.
CLOSURE_RULES = ("status", "status_or_reply")
#: Which field holds the close time of a closed request.
CLOSE_TIMES = ("closed_at", "updated_at")
#: Languages of a profile's labels (the default language of its charts and tables).
LANGUAGES = ("zh", "en")
#: Orders of numeric dates that do not start with a 4-digit year.
DATE_ORDERS = ("ymd", "mdy", "dmy", "auto")
#: Working-day calendars a profile may name: ``cn`` (official Chinese calendar with 调休),
#: ``us-federal`` (US federal holidays), ``none`` (every Monday to Friday works), or
#: ``holidays:<country>[-<subdivision>]`` (any calendar of the ``holidays`` package, e.g.
#: ``holidays:US-NY``).
CALENDARS = ("cn", "us-federal", "none")
#: Statuses a closure reason may void a request with (:data:`hotline.rules.VOID_STATUSES`).
VOID_REASON_CODES = ("invalid", "duplicate", "cancelled", "void")
#: Vocabularies a profile maps spellings into (``[vocabulary.<name>]``).
VOCABULARIES = ("status", "request_type", "channel", "satisfaction", "boolean")
#: Yes/no fields, read through the ``boolean`` vocabulary.
BOOLEAN_FIELDS = ("is_contacted", "is_resolved", "is_extended", "confidential", "is_duplicate")

_DERIVED = {
    "source_kind",
    "status_raw",
    "time_limit_workdays",
    "caller_key",
    "caller_phone_masked",
    "repeat_gap_hours",
    "source_file",
    "source_row",
    "snapshot_at",
}

#: Every field a profile may map: canonical columns read from exports, plus input-only fields.
MAPPABLE_FIELDS = tuple(c.name for c in schema.COLUMNS if c.name not in _DERIVED) + (
    INPUT_ONLY_FIELDS
)

#: What each mappable field means, in one line (the docs' field table).
FIELD_DOCS: dict[str, str] = {
    "order_id": "The request's id in the export (work-order number, case id); required.",
    "channel": "How the request came in (phone, web, app…): a `channel` code.",
    "received_at": "When the request was received or created; required.",
    "request_type": "Its nature (consultation, complaint…): a `request_type` code.",
    "topic": "Its category, as the export names it (the broadest level).",
    "topic_l2": "Second level of the category (e.g. NYC's Descriptor).",
    "topic_l3": "Third level of the category.",
    "title": "A short title or case title.",
    "content": "The caller's account, free text (scrubbed of personal data).",
    "reply": "The answer or resolution text (scrubbed of personal data).",
    "town": "Where: town, street office, borough, neighborhood.",
    "department": "The agency or department handling it (承办单位; `--by agency`).",
    "status": "Its state as exported: a `status` code; decides closed and void.",
    "dispatched_at": "When it was dispatched to the handling unit.",
    "signed_at": "When the handling unit signed for it.",
    "due_at": "When it is due (deadline, target date).",
    "replied_at": "When it was answered.",
    "closed_at": "When it was closed.",
    "revisited_at": "When the caller was called back.",
    "satisfaction": "The caller's rating: a `satisfaction` code.",
    "is_contacted": "Whether the unit contacted the caller (yes/no: `boolean`).",
    "is_resolved": "Whether the caller says it was resolved (yes/no: `boolean`).",
    "is_extended": "Whether the deadline was extended (yes/no: `boolean`).",
    "return_count": "How many times it was returned by a unit.",
    "caller_phone": "Caller's phone: kept only as a keyed hash and a masked form.",
    "caller_name": "Caller's name: used to scrub text, never stored.",
    "caller_user": "Caller's user id (online): kept only as a keyed hash.",
    "confidential": "Whether the caller asked for confidentiality (yes/no: `boolean`).",
    "updated_at": "Last update; the close time of a closed request when `close_time = "
    '"updated_at"` (Open311).',
    "closure_reason": "Why it was closed; a phrase of `[closure] void_reasons` voids it.",
    "is_duplicate": "Whether the export marks it a duplicate of another request (yes/no: "
    "`boolean`); yes voids it as `duplicate`.",
}


def vocabulary_codes(name: str) -> tuple[str, ...]:
    """The codes of a vocabulary (``boolean``: ``true``/``false``).

    Example:
        >>> vocabulary_codes("boolean"), vocabulary_codes("request_type")[:2]
        (('true', 'false'), ('consultation', 'help'))
    """
    if name == "boolean":
        return ("true", "false")
    return schema.ENUMS[name].codes


def is_calendar(name: object) -> bool:
    """Whether ``name`` names a working-day calendar (:data:`CALENDARS` or ``holidays:CC[-SUB]``).

    A ``holidays:`` calendar must name a country, and a subdivision of it, that the
    ``holidays`` package knows: ``holidays:US-XX`` is refused rather than silently
    becoming weekends only.

    Example:
        >>> is_calendar("cn"), is_calendar("holidays:US-NY"), is_calendar("mars")
        (True, True, False)
        >>> is_calendar("holidays:US-XX"), is_calendar("holidays:GB-SCT")
        (False, True)
    """
    if not isinstance(name, str):
        return False
    if name in CALENDARS:
        return True
    prefix, _, place = name.partition(":")
    if prefix != "holidays" or not place:
        return False
    country, _, subdivision = place.partition("-")
    import holidays  # only profiles naming a holidays calendar pay for the import

    known = holidays.list_supported_countries()
    if country.upper() not in known:
        return False
    return not subdivision or subdivision.upper() in {s.upper() for s in known[country.upper()]}


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The valid word nearest to a misspelt one, if any is near (difflib).

    Example:
        >>> closest("recieved_at", MAPPABLE_FIELDS), closest("zzz", ("ymd", "mdy"))
        ('received_at', None)
    """
    found = difflib.get_close_matches(str(word).lower(), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


@dataclass(frozen=True)
class Problem:
    """One mistake in a profile file.

    Attributes:
        path: Where it is: ``("columns", "recieved_at")``, ``("date_order",)``.
        message: What is wrong and the fix, without the place.
        line: 1-based line of the file, when known.
    """

    path: tuple[str, ...]
    message: str
    line: int | None = None

    def render(self, where: str) -> str:
        """The problem as one line: ``file:line: [section] message``."""
        place = f"{where}:{self.line}" if self.line else where
        section = f"[{'.'.join(self.path[:-1])}] " if len(self.path) > 1 else ""
        return f"{place}: {section}{self.message}"


@dataclass(frozen=True)
class Key:
    """One key of the profile file.

    Attributes:
        path: ``("date_order",)`` for a top-level key, ``("closure", "by")`` in a section.
        form: ``text``, ``choice``, ``texts`` (a list of texts), ``fields`` (a list of
            fields), ``columns``, ``vocabulary`` or ``void_reasons``.
        doc: One line for the docs.
        default: What applies when the key is absent (for the docs).
        allowed: The allowed values of a ``choice``.
        check: For a ``text``: returns what was expected when the value is wrong.
    """

    path: tuple[str, ...]
    form: str
    doc: str
    default: str = ""
    allowed: tuple[str, ...] = ()
    check: Callable[[str], str | None] | None = None

    @property
    def name(self) -> str:
        """The key as written in the docs: ``date_order``, ``[closure] by``."""
        if len(self.path) == 1:
            return self.path[0]
        return f"[{'.'.join(self.path[:-1])}] {self.path[-1]}"


def _zone(value: str) -> str | None:
    if value == FROM_DATA or is_zone(value):
        return None
    return f"is not an IANA time zone (e.g. America/New_York) or {FROM_DATA!r}"


def _calendar(value: str) -> str | None:
    if is_calendar(value):
        return None
    return (
        f"is not a calendar; expected one of {', '.join(CALENDARS)} or "
        "holidays:<country>[-<subdivision>] (e.g. holidays:US-NY)"
    )


#: The profile file's form: every key, in the order of the docs.
KEYS: tuple[Key, ...] = (
    Key(("name",), "text", "Name in the account, the manifest and `--profile NAME`.", "file name"),
    Key(("description",), "text", "One line saying which exports it reads.", "inherited"),
    Key(("kind",), "choice", "`source_kind` of its rows.", "inherited", schema.SOURCE_KIND.codes),
    Key(
        ("extends",),
        "text",
        "Profile it starts from: a built-in name, a user profile's name, or a path relative "
        "to this file.",
        "none",
    ),
    Key(("language",), "choice", "Language of its labels (charts, tables).", "zh", LANGUAGES),
    Key(
        ("date_order",),
        "choice",
        "Order of numeric dates like `03/05/2021`; `auto`: each date column's values decide.",
        "ymd",
        DATE_ORDERS,
    ),
    Key(
        ("timezone",),
        "text",
        "IANA zone of its wall-clock times, or `from-data` (the offsets the data states).",
        "Asia/Shanghai",
        check=_zone,
    ),
    Key(
        ("calendar",),
        "text",
        "Working-day calendar: `cn`, `us-federal`, `none` or `holidays:CC[-SUB]`.",
        "cn",
        check=_calendar,
    ),
    Key(
        ("default_channel",),
        "choice",
        "Channel of its rows when the export has no channel column.",
        "none",
        schema.CHANNEL.codes,
    ),
    Key(
        ("required",),
        "fields",
        "Fields without which a row is rejected.",
        "`order_id`, `received_at`",
    ),
    Key(("missing_values",), "texts", "Spellings that mean “not stated” (`Unspecified`).", "none"),
    Key(("closure", "by"), "choice", "What closes a request.", "status", CLOSURE_RULES),
    Key(
        ("closure", "close_time"),
        "choice",
        "Field holding the close time of a closed request.",
        "closed_at",
        CLOSE_TIMES,
    ),
    Key(
        ("closure", "void_reasons"),
        "void_reasons",
        "Void code = [phrases]: a `closure_reason` holding one voids the request.",
        "none",
        VOID_REASON_CODES,
    ),
    Key(("columns",), "columns", "Field = header, or [headers] most specific first.", "inherited"),
    Key(
        ("vocabulary",),
        "vocabulary",
        "`[vocabulary.<name>]` code = [spellings as exported].",
        "shared 12345 vocabulary",
        VOCABULARIES,
    ),
)

_BY_PATH = {key.path: key for key in KEYS}
_TOP = tuple(dict.fromkeys(key.path[0] for key in KEYS))
_SECTIONS = {"closure": tuple(key.path[1] for key in KEYS if key.path[0] == "closure")}


def _suggest(word: object, choices: Sequence[str]) -> str:
    near = closest(word, choices)
    return f"; did you mean {near!r}?" if near else f"; expected one of {', '.join(choices)}"


def _is_texts(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_value(key: Key, value: object) -> list[Problem]:
    """Problems of one key's value (its place is added by the caller)."""
    label = key.path[-1]
    path = key.path
    if key.form == "text":
        if not isinstance(value, str):
            return [Problem(path, f'{label} must be a text ({label} = "…")')]
        if not value.strip():
            return [Problem(path, f'{label} is empty; give it a text ({label} = "…")')]
        if key.check is not None and (expected := key.check(value)):
            return [Problem(path, f"{label} = {value!r} {expected}")]
        return []
    if key.form == "choice":
        if value in key.allowed:
            return []
        near = closest(value, key.allowed)
        hint = f"; did you mean {near!r}?" if near else ""
        return [
            Problem(path, f"{label} = {value!r}; expected one of {', '.join(key.allowed)}{hint}")
        ]
    if key.form == "texts":
        return [] if _is_texts(value) else [Problem(path, f"{label} must be a list of texts")]
    if key.form == "fields":
        if not _is_texts(value):
            return [Problem(path, f"{label} must be a list of fields")]
        return [
            Problem(path, f"{label} names unknown field {f!r}{_suggest(f, MAPPABLE_FIELDS)}")
            for f in value
            if f not in MAPPABLE_FIELDS
        ]
    if key.form == "columns":
        return _check_columns(value)
    if key.form == "vocabulary":
        return _check_vocabulary(value)
    if key.form == "void_reasons":
        return _check_void(value)
    raise ValueError(f"unknown form {key.form!r}")  # pragma: no cover - a bug in KEYS


def _check_columns(columns: object) -> list[Problem]:
    if not isinstance(columns, dict):
        return [Problem(("columns",), "[columns] must be a table (field = header or [headers])")]
    found = []
    for name, spellings in columns.items():
        place = ("columns", name)
        if name not in MAPPABLE_FIELDS:
            message = f"unknown field {name!r}{_suggest(name, MAPPABLE_FIELDS)}"
            found.append(Problem(place, message))
        elif not (isinstance(spellings, str) and spellings.strip()) and not _is_texts(spellings):
            # an empty list is allowed: it drops the field the profile extends maps
            found.append(Problem(place, f"{name} must be a header or a list of headers"))
    return found


def _check_vocabulary(vocabulary: object) -> list[Problem]:
    if not isinstance(vocabulary, dict):
        message = "[vocabulary.<name>] must be tables of code = [spellings]"
        return [Problem(("vocabulary",), message)]
    found = []
    for name, codes in vocabulary.items():
        if name not in VOCABULARIES:
            found.append(
                Problem(
                    ("vocabulary", name, ""),
                    f"{name!r} is not a field with a vocabulary{_suggest(name, VOCABULARIES)}",
                )
            )
            continue
        if not isinstance(codes, dict):
            message = f"[vocabulary.{name}] must be a table of code = [spellings]"
            found.append(Problem(("vocabulary", name), message))
            continue
        allowed = vocabulary_codes(name)
        for code, spellings in codes.items():
            place = ("vocabulary", name, code)
            if code not in allowed:
                message = f"{code!r} is not a code{_suggest(code, allowed)}"
                found.append(Problem(place, message))
            elif not isinstance(spellings, list) or not all(isinstance(v, str) for v in spellings):
                found.append(Problem(place, f"{code} must be a list of texts"))
        found.extend(_spelled_twice(("vocabulary", name), codes))
    return found


def _spelled_twice(place: tuple[str, ...], codes: Mapping[str, object]) -> list[Problem]:
    """A spelling listed under two codes (or twice under one): which code it means is a guess.

    Spellings are compared as they are matched, folded (case, width and spaces ignored).
    """
    first: dict[str, str] = {}
    found = []
    for code, spellings in codes.items():
        for spelling in spellings if isinstance(spellings, list) else ():
            if not isinstance(spelling, str):
                continue
            folded = fold_value(spelling)
            if not folded:
                found.append(Problem((*place, code), f"{code}: an empty spelling matches nothing"))
            elif (other := first.setdefault(folded, code)) != code:
                message = f"{spelling!r} is listed under both {other!r} and {code!r}; keep one"
                found.append(Problem((*place, code), message))
    return found


def _check_void(reasons: object) -> list[Problem]:
    place = ("closure", "void_reasons")
    if not isinstance(reasons, dict):
        message = "void_reasons must be a table of void code = [phrases]"
        return [Problem(place, message)]
    found = []
    for code, phrases in reasons.items():
        if code not in VOID_REASON_CODES:
            message = f"{code!r} is not a void code{_suggest(code, VOID_REASON_CODES)}"
            found.append(Problem((*place, code), message))
        elif not (isinstance(phrases, list) and all(isinstance(p, str) for p in phrases)):
            # an empty phrase is a list of phrases still: _spelled_twice says what is wrong
            found.append(Problem((*place, code), f"{code} must be a list of phrases"))
    found.extend(_spelled_twice(place, reasons))
    return found


def validate(
    data: Mapping[str, Any],
    lines: Mapping[tuple[str, ...], int] | None = None,
    *,
    standalone: bool | None = None,
) -> list[Problem]:
    """Every mistake of a parsed profile file, in file order.

    Args:
        data: The parsed TOML.
        lines: Key path -> line (:func:`key_lines`), to place each problem.
        standalone: Whether the profile extends nothing (then ``name``, ``description`` and
            ``kind`` are required); default: it has no ``extends``.

    Example:
        >>> for problem in validate({"kind": "hotlin", "date_ordre": "ymd"}):
        ...     print(problem.message)
        kind = 'hotlin'; expected one of hotline, online, 311; did you mean 'hotline'?
        unknown key 'date_ordre'; did you mean 'date_order'?
        name = "…" is required (or extends = "…")
        description = "…" is required (or extends = "…")
    """
    found: list[Problem] = []
    for name, value in data.items():
        if name in _SECTIONS:
            if not isinstance(value, dict):
                found.append(Problem((name,), f"[{name}] must be a table"))
                continue
            for sub, inner in value.items():
                key = _BY_PATH.get((name, sub))
                if key is None:
                    message = f"unknown key {sub!r}{_suggest(sub, _SECTIONS[name])}"
                    found.append(Problem((name, sub), message))
                else:
                    found.extend(_check_value(key, inner))
        elif (key := _BY_PATH.get((name,))) is not None:
            found.extend(_check_value(key, value))
        else:
            found.append(Problem((name,), f"unknown key {name!r}{_suggest(name, _TOP)}"))
    if standalone if standalone is not None else "extends" not in data:
        for name in ("name", "description"):
            if name not in data:
                found.append(Problem((name,), f'{name} = "…" is required (or extends = "…")'))
        if "kind" not in data:
            kinds = ", ".join(schema.SOURCE_KIND.codes)
            found.append(Problem(("kind",), f"kind is required ({kinds}) (or extends = …)"))
    return place(found, lines or {})


def place(problems: Iterable[Problem], lines: Mapping[tuple[str, ...], int]) -> list[Problem]:
    """The problems with their lines (the nearest located parent key's), in file order."""
    placed = []
    for problem in problems:
        path = tuple(p for p in problem.path if p)
        line = problem.line
        for end in range(len(path), 0, -1):
            if (found := lines.get(path[:end])) is not None:
                line = found
                break
        placed.append(Problem(problem.path, problem.message, line))
    return sorted(placed, key=lambda p: p.line or 0)


# --- where keys are in the text ------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key_parts(text: str) -> tuple[list[str], str] | None:
    """Split a dotted TOML key at the start of ``text``; returns the parts and the rest."""
    parts: list[str] = []
    rest = text.lstrip()
    while True:
        if rest[:1] in ('"', "'"):
            quote = rest[0]
            end = rest.find(quote, 1)
            while quote == '"' and end > 0 and rest[end - 1] == "\\":
                end = rest.find(quote, end + 1)
            if end < 0:
                return None
            parts.append(rest[1:end])
            rest = rest[end + 1 :].lstrip()
        else:
            match = _BARE.match(rest)
            if match is None:
                return None
            parts.append(match.group())
            rest = rest[match.end() :].lstrip()
        if rest[:1] != ".":
            return parts, rest
        rest = rest[1:].lstrip()


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    r"""Key path -> the 1-based line that defines it, found in the TOML text.

    tomllib reports no positions; tables (``[vocabulary.status]``) and keys (``closed = …``,
    dotted or quoted) are located line by line. A key inside an inline table takes its
    table's line (:class:`Problem` placement falls back to the nearest located parent).

    Example:
        >>> key_lines('a = 1\n[vocabulary.status]\n"closed" = ["x"]\n')[("vocabulary", "status", "closed")]
        3
    """  # noqa: E501
    found: dict[tuple[str, ...], int] = {}
    section: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), start=1):  # TOML breaks lines at \n only
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("["):
            inner = stripped.lstrip("[")
            parsed = _key_parts(inner)
            if parsed is not None and parsed[1].startswith("]"):
                section = tuple(parsed[0])
                found.setdefault(section, number)
            continue
        parsed = _key_parts(stripped)
        if parsed is not None and parsed[1].startswith("="):
            found.setdefault((*section, *parsed[0]), number)
    return found


# --- the docs' tables ---------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _enum_rows(enum: schema.Enum, note: Callable[[str], str] | None = None) -> list[list[str]]:
    rows = [[f"`{code}`", en, zh] for code, zh, en in enum.values]
    return (
        [[*row, note(code)] for row, code in zip(rows, enum.codes, strict=True)] if note else rows
    )


def _status_note(code: str) -> str:
    if code in rules.VOID_STATUSES:
        return "void (`hotline.rules.VOID_STATUSES`)"
    if code in rules.CLOSED_STATUSES:
        return "closed"
    if code in rules.ONLINE_CLOSED_STATUSES:
        return "closed for online messages"
    return "open"


_FORMS = {
    "text": "text",
    "texts": "list of texts",
    "fields": "list of fields",
    "columns": "field = header(s)",
    "vocabulary": "code = [spellings]",
    "void_reasons": "void code = [phrases]",
}


def reference_markdown() -> str:
    """The reference tables of ``docs/profiles.md``: keys, fields and every vocabulary's codes.

    Generated from :data:`KEYS`, :data:`FIELD_DOCS` and :mod:`hotline.schema`; the docs hold
    this text between ``<!-- reference:start -->`` and ``<!-- reference:end -->``.

    Example:
        >>> "| `received_at` |" in reference_markdown()
        True
    """
    out = ["### Keys of a profile file", ""]
    out += _table(
        ("key", "allowed", "meaning", "default"),
        (
            (
                f"`{k.name}`",
                ", ".join(f"`{a}`" for a in k.allowed) if k.form == "choice" else _FORMS[k.form],
                k.doc,
                k.default,
            )
            for k in KEYS
        ),
    )
    out += ["", "### Fields a profile may map (`[columns]`)", ""]
    labels = {c.name: (c.en, c.zh) for c in schema.COLUMNS}
    vocab = {"channel", "request_type", "status", "satisfaction", *BOOLEAN_FIELDS}
    out += _table(
        ("field", "label", "meaning", "values"),
        (
            (
                f"`{name}`",
                " / ".join(labels.get(name, ("input only", "不存储"))),
                FIELD_DOCS[name],
                ("`boolean`" if name in BOOLEAN_FIELDS else f"`{name}`") if name in vocab else "",
            )
            for name in MAPPABLE_FIELDS
        ),
    )
    out += ["", "### `status` codes (`[vocabulary.status]`)", ""]
    out += _table(("code", "label", "中文", "counts as"), _enum_rows(schema.STATUS, _status_note))
    for enum in (schema.REQUEST_TYPE, schema.CHANNEL, schema.SATISFACTION):
        out += ["", f"### `{enum.name}` codes (`[vocabulary.{enum.name}]`)", ""]
        out += _table(("code", "label", "中文"), _enum_rows(enum))
    out += ["", "### `boolean` codes (`[vocabulary.boolean]`, for every yes/no field)", ""]
    out += _table(("code", "meaning"), (("`true`", "yes"), ("`false`", "no")))
    out += ["", "### Source kinds (`kind`)", ""]
    out += _table(("code", "label", "中文"), _enum_rows(schema.SOURCE_KIND))
    out += ["", "### Calendars (`calendar`)", ""]
    out += _table(
        ("calendar", "working days"),
        (
            ("`cn`", "China's official calendar, with make-up working days (调休)"),
            ("`us-federal`", "Monday to Friday except US federal holidays"),
            ("`none`", "every Monday to Friday"),
            ("`holidays:CC[-SUB]`", "a calendar of the `holidays` package, e.g. `holidays:US-MA`"),
        ),
    )
    out += ["", "### Void codes (`[closure] void_reasons`)", ""]
    out += _table(
        ("code", "label"),
        ((f"`{code}`", schema.STATUS.label(code, "en")) for code in VOID_REASON_CODES),
    )
    return "\n".join(out) + "\n"
