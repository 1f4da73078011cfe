"""A profile as the ingest uses it: header spellings per field and value vocabularies.

:class:`Profile` is built by :mod:`hotline.profiles.loading` from a profile file; it matches an
export's headers (:meth:`Profile.match_headers`) and maps raw values to codes
(:meth:`Profile.lookup`).

Example:
    >>> profile = Profile("demo", "311", "", {"order_id": ("Case ID",)}, {"status": {"open": "received"}})
    >>> profile.match_headers(["case_id", "x"]).fields, profile.lookup("status", ["OPEN", "?"])
    ({'order_id': 0}, ['received', None])
"""  # noqa: E501

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.text import fold_header, fold_value, strip_brackets

__all__ = ["HeaderMatch", "Profile"]


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
        date_order: ``ymd``, ``mdy`` or ``dmy`` for ambiguous numeric dates, or ``auto`` (each
            date column's values decide, :mod:`hotline.ingestion.dates`).
        timezone: IANA zone of the export's wall-clock times, or ``from-data`` (the zone is
            the most common offset the data states). Stored times are naive local time of
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
        """This profile under a parsed (deprecated) mapping file: its spellings and options win.

        Kept for callers of the old dialect; the mapping is read as the profile with
        ``extends`` that :func:`hotline.profiles.convert.mapping_to_profile` makes of it.
        """
        from hotline.profiles.convert import mapping_to_profile
        from hotline.profiles.loading import derive

        data = mapping_to_profile(mapping).data
        data.pop("extends", None)
        data["name"] = Path(origin).stem
        return derive(data, self, origin)


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
