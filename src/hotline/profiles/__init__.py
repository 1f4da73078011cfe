"""Export profiles: what one family of exports calls each field, and what its values mean.

A profile is data, not code (one TOML file per export family, in this folder): header spellings per
canonical field, value vocabularies, the date order and time zone, the closure rule, the source
kind and the language of its labels. The built-in profiles are ``hotline`` (12345 work orders),
``online`` (网络投诉/网上留言), ``nyc311`` (NYC 311, portal and SODA API), ``la311`` (MyLA311)
and ``open311`` (GeoReport v2). A user adds one with a TOML file of the same form, passed by path
or put in :func:`user_profiles_dir` (``docs/profiles.md``); a mapping file (``docs/mapping.md``)
extends a built-in profile for an unknown vendor.

Example:
    >>> profile = builtin("hotline")
    >>> match = profile.match_headers(["序号", "工单编号", "来电时间", "诉求内容"])
    >>> match.fields
    {'order_id': 1, 'received_at': 2, 'content': 3}
    >>> profile.lookup("status", ["已办结（超期）", "处理中", "不知道"])
    ['closed', 'in_progress', None]
    >>> builtin("la311").lookup("status", ["Closed", "Referred Out", "Cancelled"])
    ['closed', 'referred_out', 'cancelled']
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from hotline import paths, schema
from hotline.errors import MappingError
from hotline.profiles.zones import FROM_DATA, is_zone
from hotline.text import fold_header, fold_value, strip_brackets

__all__ = [
    "CALENDARS",
    "CLOSE_TIMES",
    "CLOSURE_RULES",
    "INPUT_ONLY_FIELDS",
    "LANGUAGES",
    "MAPPABLE_FIELDS",
    "VOID_REASON_CODES",
    "HeaderMatch",
    "Profile",
    "builtin",
    "builtin_names",
    "find_profile",
    "is_calendar",
    "load_mapping",
    "load_profile",
    "user_profiles",
    "user_profiles_dir",
]

#: Fields read from an export but never stored as such: the caller fields feed the privacy
#: step; ``updated_at`` (Open311's ``updated_datetime``) is the close time of a closed request.
INPUT_ONLY_FIELDS = (
    "caller_phone",
    "caller_name",
    "caller_user",
    "confidential",
    "updated_at",
    "closure_reason",
)

#: How a profile decides that a request is closed: by its status alone, or (online messages)
#: also by a reply when the export states no status.
CLOSURE_RULES = ("status", "status_or_reply")
#: Which field holds the close time of a closed request.
CLOSE_TIMES = ("closed_at", "updated_at")
#: Languages of a profile's labels (the default language of its charts and tables).
LANGUAGES = ("zh", "en")
#: Working-day calendars a profile may name: ``cn`` (official Chinese calendar with 调休),
#: ``us-federal`` (US federal holidays), ``none`` (every Monday to Friday works), or
#: ``holidays:<country>[-<subdivision>]`` (any calendar of the ``holidays`` package, e.g.
#: ``holidays:US-NY``).
CALENDARS = ("cn", "us-federal", "none")
#: Statuses a closure reason may void a request with (:data:`hotline.rules.VOID_STATUSES`).
VOID_REASON_CODES = ("invalid", "duplicate", "cancelled", "void")

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

#: Every field a mapping may name: canonical columns read from exports, plus input-only fields.
MAPPABLE_FIELDS = tuple(c.name for c in schema.COLUMNS if c.name not in _DERIVED) + (
    INPUT_ONLY_FIELDS
)

_VOCABULARY_FIELDS = ("status", "request_type", "channel", "satisfaction", "boolean")
_BOOLEAN_FIELDS = ("is_contacted", "is_resolved", "is_extended", "confidential")
_BUILTIN = ("hotline", "online", "nyc311", "la311", "open311")


@dataclass(frozen=True)
class HeaderMatch:
    """Which export column feeds which canonical field.

    Attributes:
        fields: Canonical field -> 0-based index of the export column.
        ignored: Export headers no field took (reported, then dropped).
        headers: The export's headers as written.
    """

    fields: dict[str, int]
    ignored: tuple[str, ...]
    headers: tuple[str, ...]

    @property
    def score(self) -> int:
        """Number of fields matched; used to find the header row and the profile."""
        return len(self.fields)


@dataclass(frozen=True)
class Profile:
    """One export family.

    Attributes:
        name: Profile name (``hotline``, ``nyc311``…, or a user file's name).
        kind: The ``source_kind`` of its rows: ``hotline``, ``online`` or ``311``.
        description: One line for reports.
        columns: Field -> header spellings, most specific first.
        vocabulary: Vocabulary field -> folded spelling -> code; the code ``""`` marks a
            spelling that means "not stated" (``Unspecified``): empty, but not unparseable.
        date_order: ``ymd``, ``mdy`` or ``dmy`` for ambiguous numeric dates.
        timezone: IANA zone of the export's wall-clock times, or :data:`FROM_DATA` (the zone
            is the most common offset the data states). Stored times are naive local time of
            this zone; a time with an offset is converted to it.
        default_channel: Channel of rows when the export has no channel column.
        required: Fields without which a row cannot be used.
        status_from_reply: Derive a ``replied`` status from a reply when there is no status
            column (closure rule ``status_or_reply``).
        close_time: The field that holds the close time of a closed request: ``closed_at``, or
            ``updated_at`` (Open311: the last update of a closed request is its closure).
        language: ``zh`` or ``en``: the default language of labels for its data.
        missing_values: Label spellings that mean "not stated" (``Unspecified``, ``N/A``),
            folded; such cells become empty.
        calendar: Working-day calendar of its requests (:data:`CALENDARS`, or
            ``holidays:<country>[-<subdivision>]``), used by every working-day figure.
        void_reasons: Void status -> folded phrases; a request whose ``closure_reason``
            contains one is that status (Boston closes duplicates as ``Closed`` and says
            ``Case Duplicate`` in the reason), whatever its status says.
        origin: ``built-in`` or the file that defined it.
    """

    name: str
    kind: str
    description: str
    columns: Mapping[str, tuple[str, ...]]
    vocabulary: Mapping[str, Mapping[str, str]]
    date_order: str = "ymd"
    timezone: str = "Asia/Shanghai"
    default_channel: str | None = None
    required: tuple[str, ...] = ("order_id", "received_at")
    status_from_reply: bool = False
    close_time: str = "closed_at"
    language: str = "zh"
    missing_values: frozenset[str] = frozenset()
    calendar: str = "cn"
    void_reasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    origin: str = "built-in"
    _folded: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = {f: tuple(fold_header(a) for a in aliases) for f, aliases in self.columns.items()}
        object.__setattr__(self, "_folded", folded)

    @property
    def closure(self) -> str:
        """The closure rule: ``status``, or ``status_or_reply`` for online messages."""
        return "status_or_reply" if self.status_from_reply else "status"

    def match_headers(self, headers: Sequence[object]) -> HeaderMatch:
        """Assign export columns to fields; each column feeds at most one field.

        Fields are taken in profile order; within a field the first spelling present wins, an
        exact folded match before one that ignores bracketed remarks.

        Args:
            headers: The cells of a candidate header row.

        Returns:
            The match; ``score`` counts the fields found.
        """
        texts = tuple("" if h is None else str(h).strip() for h in headers)
        exact = _positions(fold_header(t) for t in texts)
        loose = _positions(fold_header(strip_brackets(t)) for t in texts)
        taken: dict[str, int] = {}
        used: set[int] = set()
        for name, aliases in self._folded.items():
            index = _first_match(aliases, exact, used)
            if index is None:
                index = _first_match(aliases, loose, used)
            if index is not None:
                taken[name] = index
                used.add(index)
        ignored = tuple(t for i, t in enumerate(texts) if t and i not in used)
        return HeaderMatch(taken, ignored, texts)

    def missing_required(self, match: HeaderMatch) -> list[str]:
        """Required fields the match lacks."""
        return [f for f in self.required if f not in match.fields]

    def explain_missing(
        self, match: HeaderMatch, shown: Callable[[str], str] = lambda header: header
    ) -> str:
        """One sentence naming each missing required field and the closest headers seen.

        Args:
            match: The header row's match.
            shown: How a header is quoted (error messages hide what could be personal data).
        """
        parts = []
        candidates = {fold_header(h): shown(h) for h in match.headers if h}
        for name in self.missing_required(match):
            wanted = " / ".join(self.columns.get(name, ())[:3])
            near: list[str] = []
            for alias in self._folded.get(name, ()):
                for hit in difflib.get_close_matches(alias, list(candidates), n=2, cutoff=0.4):
                    if candidates[hit] not in near:
                        near.append(candidates[hit])
            seen = ", ".join(repr(h) for h in near[:3]) or "none close"
            parts.append(f"{name} (expected a header like {wanted}; closest seen: {seen})")
        return "required fields not found: " + "; ".join(parts)

    def lookup(self, vocabulary: str, values: Iterable[object]) -> list[str | None]:
        """Map raw values to codes of a vocabulary; unknown values give ``None``.

        A value the profile lists as meaning "not stated" (``missing_values``) gives ``""``.

        Args:
            vocabulary: ``status``, ``request_type``, ``channel``, ``satisfaction`` or
                ``boolean``.
            values: Raw cell texts.
        """
        table = self.vocabulary[vocabulary]
        missing = self.missing_values
        out: list[str | None] = []
        for value in values:
            key = fold_value(value)
            code = table.get(key)
            if code is None:
                code = table.get(fold_value(strip_brackets(str(value))))
            if code is None and key in missing:
                code = ""  # stated as unknown (Unspecified): empty, not unparseable
            out.append(code)
        return out

    def extended(self, mapping: Mapping[str, Any], origin: str) -> Profile:
        """Return this profile with a user mapping's spellings and values taking priority."""
        columns = dict(self.columns)
        for name, spellings in mapping.get("columns", {}).items():
            given = (spellings,) if isinstance(spellings, str) else tuple(spellings)
            columns[name] = given + tuple(s for s in columns.get(name, ()) if s not in given)
        vocabulary = {k: dict(v) for k, v in self.vocabulary.items()}
        for name, values in mapping.get("values", {}).items():
            target = "boolean" if name in _BOOLEAN_FIELDS else name
            for spelling, code in values.items():
                vocabulary[target][fold_value(spelling)] = str(code).lower()
        options = mapping.get("options", {})
        return replace(
            self,
            name=Path(origin).stem,
            columns=columns,
            vocabulary=vocabulary,
            date_order=options.get("date_order", self.date_order),
            timezone=options.get("timezone", self.timezone),
            default_channel=options.get("default_channel", self.default_channel),
            origin=origin,
        )


def _positions(folded: Iterable[str]) -> dict[str, list[int]]:
    """Folded header -> its columns, in order: one dictionary look-up per alias."""
    found: dict[str, list[int]] = {}
    for index, text in enumerate(folded):
        found.setdefault(text, []).append(index)
    return found


def _first_match(
    aliases: Sequence[str], folded: Mapping[str, list[int]], used: set[int]
) -> int | None:
    for alias in aliases:
        for index in folded.get(alias, ()):
            if index not in used:
                return index
    return None


def _read_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{origin}: not valid TOML ({error})") from None


def _add_spellings(
    vocabulary: dict[str, dict[str, str]], tables: Mapping[str, Mapping[str, Sequence[str]]]
) -> dict[str, dict[str, str]]:
    """Add ``code = [spellings]`` tables to a vocabulary; later spellings win."""
    for name, codes in tables.items():
        table = vocabulary.setdefault(name, {})
        for code, spellings in codes.items():
            for spelling in spellings:
                table[fold_value(spelling)] = code
    return vocabulary


@cache
def _shared_vocabulary() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("vocabulary.toml").read_text(encoding="utf-8")
    data = _read_toml(text, "vocabulary.toml")
    vocabulary: dict[str, dict[str, str]] = {}
    for name in _VOCABULARY_FIELDS:
        table: dict[str, str] = {}
        enum = schema.ENUMS.get(name)
        if enum is not None:  # codes and their own labels are always understood
            for code, zh, en in enum.values:
                for spelling in (code, zh, en):
                    table.setdefault(fold_value(spelling), code)
        vocabulary[name] = table
    return _add_spellings(vocabulary, {name: data[name] for name in _VOCABULARY_FIELDS})


def builtin_names() -> tuple[str, ...]:
    """Names of the built-in profiles, in the order auto-detection prefers them on a tie.

    Example:
        >>> builtin_names()
        ('hotline', 'online', 'nyc311', 'la311', 'open311')
    """
    return _BUILTIN


@cache
def builtin(name: str) -> Profile:
    """Return a built-in profile by name.

    Example:
        >>> builtin("nyc311").timezone, builtin("nyc311").kind, builtin("nyc311").language
        ('America/New_York', '311', 'en')

    Raises:
        MappingError: ``name`` is not a built-in profile.
    """
    if name not in builtin_names():
        raise MappingError(f"unknown profile {name!r}; expected one of {builtin_names()}")
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return _profile_from(_read_toml(text, f"{name}.toml"), f"{name}.toml", "built-in")


#: Keys of a profile file (``docs/profiles.md``).
_PROFILE_KEYS = (
    "name",
    "kind",
    "language",
    "description",
    "extends",
    "date_order",
    "timezone",
    "default_channel",
    "required",
    "missing_values",
    "closure",
    "calendar",
    "columns",
    "vocabulary",
)


def _profile_from(data: dict[str, Any], where: str, origin: str) -> Profile:
    """Build a profile from a parsed profile file, on top of the built-in it extends."""
    _check_profile(data, where)
    base = builtin(data["extends"]) if "extends" in data else None
    columns: dict[str, tuple[str, ...]] = dict(base.columns) if base else {}
    for name, spellings in data.get("columns", {}).items():
        given = (spellings,) if isinstance(spellings, str) else tuple(spellings)
        columns[name] = given + tuple(s for s in columns.get(name, ()) if s not in given)
    start = base.vocabulary if base else _shared_vocabulary()
    vocabulary = _add_spellings({k: dict(v) for k, v in start.items()}, data.get("vocabulary", {}))
    closure = data.get("closure", {})
    inherited = base or Profile("", "", "", {}, {})
    by = closure.get("by", inherited.closure)
    missing = {fold_value(v) for v in data.get("missing_values", ())}
    return Profile(
        name=data.get("name", inherited.name),
        kind=data.get("kind", inherited.kind),
        description=data.get("description", inherited.description),
        columns=columns,
        vocabulary=vocabulary,
        date_order=data.get("date_order", inherited.date_order),
        timezone=data.get("timezone", inherited.timezone),
        default_channel=data.get("default_channel", inherited.default_channel),
        required=tuple(data.get("required", inherited.required)),
        status_from_reply=by == "status_or_reply",
        close_time=closure.get("close_time", inherited.close_time),
        language=data.get("language", inherited.language),
        missing_values=frozenset(missing | set(inherited.missing_values)),
        calendar=data.get("calendar", inherited.calendar),
        void_reasons=_void_reasons(closure.get("void_reasons"), inherited.void_reasons),
        origin=origin,
    )


def _void_reasons(
    given: Mapping[str, Sequence[str]] | None, inherited: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Void status -> folded phrases; a file's own list for a status replaces the inherited."""
    found = dict(inherited)
    for code, phrases in (given or {}).items():
        found[code] = tuple(fold_value(p) for p in phrases)
    return found


def is_calendar(name: object) -> bool:
    """Whether ``name`` names a working-day calendar (:data:`CALENDARS` or ``holidays:CC[-SUB]``).

    Example:
        >>> is_calendar("cn"), is_calendar("holidays:US-NY"), is_calendar("mars")
        (True, True, False)
    """
    if not isinstance(name, str):
        return False
    if name in CALENDARS:
        return True
    prefix, _, place = name.partition(":")
    return prefix == "holidays" and bool(place) and place.replace("-", "").isalnum()


def _check_profile(data: Mapping[str, Any], where: str) -> None:
    """Name the first mistake in a profile file, in one line."""
    if unknown := set(data) - set(_PROFILE_KEYS):
        raise MappingError(f"{where}: unknown key(s) {sorted(unknown)}; expected {_PROFILE_KEYS}")
    extends = data.get("extends")
    if extends is not None and extends not in builtin_names():
        raise MappingError(f"{where}: extends = {extends!r}; expected one of {builtin_names()}")
    for key in ("name", "description") if extends is None else ():
        if not isinstance(data.get(key), str) or not data[key]:
            raise MappingError(f'{where}: {key} = "…" is required')
    if extends is None and "kind" not in data:
        raise MappingError(f"{where}: kind is required ({', '.join(schema.SOURCE_KIND.codes)})")
    choices = {
        "kind": schema.SOURCE_KIND.codes,
        "language": LANGUAGES,
        "date_order": ("ymd", "mdy", "dmy"),
        "default_channel": schema.CHANNEL.codes,
    }
    for key, allowed in choices.items():
        if key in data and data[key] not in allowed:
            raise MappingError(f"{where}: {key} = {data[key]!r}; expected one of {allowed}")
    zone = data.get("timezone")
    if zone is not None and zone != FROM_DATA and not (isinstance(zone, str) and is_zone(zone)):
        raise MappingError(
            f"{where}: timezone = {zone!r} is not an IANA time zone (e.g. America/New_York) "
            f"or {FROM_DATA!r}"
        )
    if "calendar" in data and not is_calendar(data["calendar"]):
        raise MappingError(
            f"{where}: calendar = {data['calendar']!r}; expected one of {CALENDARS} or "
            "holidays:<country>[-<subdivision>] (e.g. holidays:US-NY)"
        )
    for key in ("required", "missing_values"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise MappingError(f"{where}: {key} must be a list of texts")
    if unknown := set(data.get("required", ())) - set(MAPPABLE_FIELDS):
        raise MappingError(f"{where}: required names unknown field(s) {sorted(unknown)}")
    _check_closure(data.get("closure", {}), where)
    _check_columns(data.get("columns", {}), where)
    _check_vocabulary(data.get("vocabulary", {}), where)


def _check_closure(closure: object, where: str) -> None:
    if not isinstance(closure, dict):
        raise MappingError(f"{where}: [closure] must be a table")
    allowed = {"by": CLOSURE_RULES, "close_time": CLOSE_TIMES}
    if unknown := set(closure) - {*allowed, "void_reasons"}:
        raise MappingError(
            f"{where}: [closure] unknown {sorted(unknown)}; expected "
            f"{sorted([*allowed, 'void_reasons'])}"
        )
    reasons = closure.get("void_reasons", {})
    if not isinstance(reasons, dict) or not all(
        code in VOID_REASON_CODES
        and isinstance(phrases, list)
        and all(isinstance(p, str) and p.strip() for p in phrases)
        for code, phrases in reasons.items()
    ):
        raise MappingError(
            f"{where}: [closure] void_reasons must be a table of status = [phrases], the "
            f"status one of {VOID_REASON_CODES}"
        )
    for key, choices in allowed.items():
        if key in closure and closure[key] not in choices:
            raise MappingError(
                f"{where}: [closure] {key} = {closure[key]!r}; expected one of {choices}"
            )


def _check_columns(columns: object, where: str) -> None:
    if not isinstance(columns, dict):
        raise MappingError(f"{where}: [columns] must be a table (field = header or [headers])")
    for name, spellings in columns.items():
        if name not in MAPPABLE_FIELDS:
            raise MappingError(
                f"{where}: [columns] names unknown field {name!r}; "
                f"expected one of {', '.join(MAPPABLE_FIELDS)}"
            )
        if not isinstance(spellings, str | list) or not spellings:
            raise MappingError(f"{where}: [columns] {name} must be a header or a list of headers")


def _check_vocabulary(vocabulary: object, where: str) -> None:
    if not isinstance(vocabulary, dict):
        raise MappingError(f"{where}: [vocabulary.<field>] must be tables of code = [spellings]")
    for name, codes in vocabulary.items():
        if name not in _VOCABULARY_FIELDS or not isinstance(codes, dict):
            raise MappingError(
                f"{where}: [vocabulary.{name}] is not a vocabulary table; expected one of "
                f"{', '.join(_VOCABULARY_FIELDS)}, each code = [spellings]"
            )
        allowed = ("true", "false") if name == "boolean" else schema.ENUMS[name].codes
        for code, spellings in codes.items():
            if code not in allowed:
                raise MappingError(
                    f"{where}: [vocabulary.{name}] {code!r} is not a code; expected one of "
                    f"{allowed}"
                )
            if not isinstance(spellings, list) or not all(isinstance(v, str) for v in spellings):
                raise MappingError(f"{where}: [vocabulary.{name}] {code} must be a list of texts")


def load_profile(path: str | Path) -> Profile:
    """Read a user profile file (the built-in profiles' form, ``docs/profiles.md``).

    A file may ``extends`` a built-in profile: its headers are tried first, its spellings and
    options win, everything else is inherited. Its name is ``name``, else the file's stem.

    Raises:
        MappingError: The file is missing, not TOML, or names an unknown field, code or zone.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise MappingError(f"{path}: cannot read profile file ({error.strerror})") from None
    data = _read_toml(text, str(path))
    data.setdefault("name", path.stem)
    if data["name"] in builtin_names():
        raise MappingError(
            f"{path}: name {data['name']!r} is a built-in profile's; choose another name "
            f"(extends = {data['name']!r} keeps its rules)"
        )
    return _profile_from(data, str(path), str(path))


def user_profiles_dir() -> Path:
    """Folder whose ``*.toml`` profiles join auto-detection.

    It is ``$HOTLINE_PROFILES_DIR`` when set, else ``<project root>/profiles``.

    Example:
        >>> user_profiles_dir().name
        'profiles'
    """
    explicit = os.environ.get("HOTLINE_PROFILES_DIR", "").strip()
    return Path(explicit).expanduser() if explicit else paths.root() / "profiles"


def user_profiles() -> list[Profile]:
    """The profiles in :func:`user_profiles_dir`, in file-name order (none when it is absent).

    Raises:
        MappingError: A file there is not a valid profile, or two share a name.
    """
    folder = user_profiles_dir()
    if not folder.is_dir():
        return []
    found = [load_profile(p) for p in sorted(folder.glob("*.toml"))]
    names = [p.name for p in found]
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise MappingError(f"{folder}: several profiles are named {twice}")
    return found


def find_profile(spec: str | Path) -> Profile:
    """A profile by built-in name, user profile name, or path of a profile file.

    Example:
        >>> find_profile("open311").close_time
        'updated_at'

    Raises:
        MappingError: No such profile; the message lists the names known.
    """
    text = str(spec)
    if text in builtin_names():
        return builtin(text)
    path = Path(text)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_profile(path)
    for profile in user_profiles():
        if profile.name == text:
            return profile
    known = [*builtin_names(), *(p.name for p in user_profiles())]
    raise MappingError(f"unknown profile {text!r}; expected a profile file or one of {known}")


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and validate a user mapping file.

    Args:
        path: A TOML file with optional ``extends`` (a built-in profile), ``[columns]`` (field ->
            header or list of headers), ``[values.<field>]`` (spelling -> code) and
            ``[options]`` (``date_order``, ``timezone``, ``default_channel``).

    Returns:
        The parsed mapping, with ``origin`` set to the file path.

    Raises:
        MappingError: The file is missing, not TOML, or names an unknown field or code.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise MappingError(f"{path}: cannot read mapping file ({error.strerror})") from None
    data = _read_toml(text, str(path))
    known = {"extends", "columns", "values", "options"}
    if unknown := set(data) - known:
        raise MappingError(
            f"{path}: unknown section(s) {sorted(unknown)}; expected {sorted(known)}"
        )
    for section in ("columns", "values", "options"):
        if not isinstance(data.get(section, {}), dict):
            raise MappingError(f"{path}: [{section}] must be a table (a [{section}] section)")
    for name, values in data.get("values", {}).items():
        if not isinstance(values, dict):
            raise MappingError(f"{path}: [values.{name}] must be a table of spelling = code")
    extends = data.get("extends")
    if extends is not None and extends not in builtin_names():
        raise MappingError(f"{path}: extends = {extends!r}; expected one of {builtin_names()}")
    _check_columns(data.get("columns", {}), str(path))
    for name, values in data.get("values", {}).items():
        codes = _codes_for(name)
        if codes is None:
            raise MappingError(
                f"{path}: [values.{name}] is not a field with a vocabulary; expected one of "
                f"{', '.join((*schema.ENUMS, *_BOOLEAN_FIELDS))}"
            )
        for spelling, code in values.items():
            if str(code).lower() not in codes:
                raise MappingError(
                    f"{path}: [values.{name}] {spelling!r} = {code!r}; expected one of {codes}"
                )
    _check_options(data.get("options", {}), path)
    data["origin"] = str(path)
    return data


_OPTIONS = ("date_order", "timezone", "default_channel")


def _check_options(options: Mapping[str, Any], path: Path) -> None:
    if unknown := set(options) - set(_OPTIONS):
        raise MappingError(f"{path}: [options] unknown {sorted(unknown)}; expected {_OPTIONS}")
    if options.get("date_order", "ymd") not in ("ymd", "mdy", "dmy"):
        raise MappingError(f"{path}: [options] date_order must be 'ymd', 'mdy' or 'dmy'")
    if "timezone" in options and not is_zone(str(options["timezone"])):
        raise MappingError(
            f"{path}: [options] timezone {options['timezone']!r} is not an IANA time zone "
            "(e.g. Asia/Shanghai)"
        )
    channel = options.get("default_channel")
    if channel is not None and channel not in schema.CHANNEL.codes:
        raise MappingError(
            f"{path}: [options] default_channel {channel!r}; expected one of {schema.CHANNEL.codes}"
        )


def _codes_for(name: str) -> tuple[str, ...] | None:
    if name in _BOOLEAN_FIELDS:
        return ("true", "false")
    enum = schema.ENUMS.get(name)
    return None if enum is None else enum.codes
