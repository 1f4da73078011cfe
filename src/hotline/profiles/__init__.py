"""Export profiles: what one family of exports calls each field, and what its values mean.

A profile is data, not code (one TOML file per export family, in this folder): header spellings per
canonical field, value vocabularies, the date order and time zone, the required fields. The
built-in profiles are ``hotline`` (12345 work orders) and ``online`` (网络投诉/网上留言). A user
mapping file (TOML, see ``docs/mapping.md``) extends a built-in profile for an unknown vendor.

Example:
    >>> profile = builtin("hotline")
    >>> match = profile.match_headers(["序号", "工单编号", "来电时间", "诉求内容"])
    >>> match.fields
    {'order_id': 1, 'received_at': 2, 'content': 3}
    >>> profile.lookup("status", ["已办结（超期）", "处理中", "不知道"])
    ['closed', 'in_progress', None]
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hotline import schema
from hotline.errors import MappingError
from hotline.text import fold_header, fold_value, strip_brackets

__all__ = [
    "INPUT_ONLY_FIELDS",
    "MAPPABLE_FIELDS",
    "HeaderMatch",
    "Profile",
    "builtin",
    "builtin_names",
    "load_mapping",
]

#: Fields read from an export but never stored as such: they feed the privacy step.
INPUT_ONLY_FIELDS = ("caller_phone", "caller_name", "caller_user", "confidential")

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
        name: Profile name (``hotline``, ``online`` or a mapping file's name).
        kind: ``hotline`` or ``online`` (the ``source_kind`` of its rows).
        description: One line for reports.
        columns: Field -> header spellings, most specific first.
        vocabulary: Vocabulary field -> folded spelling -> code.
        date_order: ``ymd`` or ``mdy`` for ambiguous numeric dates.
        timezone: IANA zone of naive timestamps; stored times are naive local time.
        default_channel: Channel of rows when the export has no channel column.
        required: Fields without which a row cannot be used.
        status_from_reply: Derive a ``replied`` status from a reply when there is no status column.
        origin: ``built-in`` or the mapping file that defined it.
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
    origin: str = "built-in"
    _folded: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        folded = {f: tuple(fold_header(a) for a in aliases) for f, aliases in self.columns.items()}
        object.__setattr__(self, "_folded", folded)

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
        exact = [fold_header(t) for t in texts]
        loose = [fold_header(strip_brackets(t)) for t in texts]
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

        Args:
            vocabulary: ``status``, ``request_type``, ``channel``, ``satisfaction`` or
                ``boolean``.
            values: Raw cell texts.
        """
        table = self.vocabulary[vocabulary]
        out: list[str | None] = []
        for value in values:
            key = fold_value(value)
            code = table.get(key)
            if code is None:
                code = table.get(fold_value(strip_brackets(str(value))))
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


def _first_match(aliases: Sequence[str], folded: Sequence[str], used: set[int]) -> int | None:
    for alias in aliases:
        for index, text in enumerate(folded):
            if text == alias and index not in used:
                return index
    return None


def _read_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{origin}: not valid TOML ({error})") from None


@cache
def _vocabulary() -> dict[str, dict[str, str]]:
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
        for code, spellings in data[name].items():
            for spelling in spellings:
                table[fold_value(spelling)] = code
        vocabulary[name] = table
    return vocabulary


def builtin_names() -> tuple[str, ...]:
    """Names of the built-in profiles.

    Example:
        >>> builtin_names()
        ('hotline', 'online')
    """
    return ("hotline", "online")


@cache
def builtin(name: str) -> Profile:
    """Return a built-in profile by name.

    Raises:
        MappingError: ``name`` is not a built-in profile.
    """
    if name not in builtin_names():
        raise MappingError(f"unknown profile {name!r}; expected one of {builtin_names()}")
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    data = _read_toml(text, f"{name}.toml")
    return Profile(
        name=data["name"],
        kind=data["kind"],
        description=data["description"],
        columns={k: tuple(v) for k, v in data["columns"].items()},
        vocabulary=_vocabulary(),
        date_order=data.get("date_order", "ymd"),
        timezone=data.get("timezone", "Asia/Shanghai"),
        default_channel=data.get("default_channel"),
        required=tuple(data.get("required", ("order_id", "received_at"))),
        status_from_reply=data.get("status_from_reply", False),
    )


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and validate a user mapping file.

    Args:
        path: A TOML file with optional ``extends`` (hotline or online), ``[columns]`` (field ->
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
    for name, spellings in data.get("columns", {}).items():
        if name not in MAPPABLE_FIELDS:
            raise MappingError(
                f"{path}: [columns] names unknown field {name!r}; "
                f"expected one of {', '.join(MAPPABLE_FIELDS)}"
            )
        if not isinstance(spellings, str | list) or not spellings:
            raise MappingError(f"{path}: [columns] {name} must be a header or a list of headers")
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
    if "timezone" in options:
        try:
            ZoneInfo(str(options["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(
                f"{path}: [options] timezone {options['timezone']!r} is not an IANA time zone "
                "(e.g. Asia/Shanghai)"
            ) from None
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
