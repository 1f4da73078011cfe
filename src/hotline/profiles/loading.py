"""Where profiles come from: the built-in files, user files, and what each one extends.

Every profile file, built-in or not, is read by one function: parsed, checked against
:mod:`.spec` (every mistake at once, with its line), its ``extends`` resolved — a built-in name,
a user profile's name (:func:`user_profiles_dir`) or a path relative to the file, in chains of
any length, a cycle being an error — and merged onto what it extends (:func:`derive`). A file in
the old mapping dialect (``[values.…]``, ``[options]``) is read through :mod:`.convert` with a
deprecation note.

Example:
    >>> builtin("nyc311").timezone, builtin("nyc311").kind, builtin("nyc311").language
    ('America/New_York', '311', 'en')
    >>> find_profile("open311").close_time
    'updated_at'
"""

from __future__ import annotations

import os
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from hotline import paths, schema
from hotline.errors import MappingError
from hotline.profiles import convert
from hotline.profiles.profile import Profile
from hotline.profiles.spec import (
    VOCABULARIES,
    Problem,
    closest,
    key_lines,
    place,
    validate,
)
from hotline.text import fold_header, fold_value

__all__ = [
    "ProfileDeprecation",
    "builtin",
    "builtin_names",
    "derive",
    "find_profile",
    "load_mapping",
    "load_profile",
    "mapping_profile",
    "parse_toml",
    "profile_from_text",
    "user_profiles",
    "user_profiles_dir",
]

_BUILTIN = ("hotline", "online", "nyc311", "la311", "open311")


class ProfileDeprecation(FutureWarning):
    """An old way of naming a profile was used (a mapping file, ``--kind nyc311``).

    A :class:`FutureWarning`, so users see it by default; the command line prints it as one
    ``hotline: note:`` line.
    """


def parse_toml(text: str, where: str) -> dict[str, Any]:
    r"""Parse TOML, or raise one line naming the file and tomllib's place of the mistake.

    Example:
        >>> parse_toml("[columns\n", "a.toml")
        Traceback (most recent call last):
        ...
        hotline.errors.MappingError: a.toml: not valid TOML (Expected ']' at the end of a table declaration (at line 1, column 9))
    """  # noqa: E501
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{where}: not valid TOML ({error})") from None
    except RecursionError:  # tomllib recurses once per level of [[[…]]] or {a={b=…}}
        raise MappingError(
            f"{where}: TOML nested too deeply to read; a profile needs three levels at most"
        ) from None


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
def shared_vocabulary() -> dict[str, dict[str, str]]:
    """The vocabulary every profile starts from: codes, their labels, shared 12345 spellings."""
    assert __package__ is not None  # set for every module of a package
    text = resources.files(__package__).joinpath("vocabulary.toml").read_text(encoding="utf-8")
    data = parse_toml(text, "vocabulary.toml")
    vocabulary: dict[str, dict[str, str]] = {}
    for name in VOCABULARIES:
        table: dict[str, str] = {}
        enum = schema.ENUMS.get(name)
        if enum is not None:  # codes and their own labels are always understood
            for code, zh, en in enum.values:
                for spelling in (code, zh, en):
                    table.setdefault(fold_value(spelling), code)
        vocabulary[name] = table
    return _add_spellings(vocabulary, {name: data[name] for name in VOCABULARIES})


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

    Raises:
        MappingError: ``name`` is not a built-in profile.
    """
    if name not in builtin_names():
        raise MappingError(f"unknown profile {name!r}; expected one of {builtin_names()}")
    assert __package__ is not None  # set for every module of a package
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return profile_from_text(text, f"{name}.toml", origin="built-in")


def derive(data: Mapping[str, Any], base: Profile | None, origin: str) -> Profile:
    """Merge a checked profile file onto the profile it extends (``None``: extends nothing).

    Its headers are tried first, its spellings and options win, the rest is inherited. A header
    it maps leaves every other field it inherited under (one column, one field: otherwise the
    inherited field could take the column first), and ``field = []`` drops an inherited field.
    """
    columns: dict[str, tuple[str, ...]] = dict(base.columns) if base else {}
    given_columns = {
        name: (spellings,) if isinstance(spellings, str) else tuple(spellings)
        for name, spellings in data.get("columns", {}).items()
    }
    claimed = {fold_header(h): name for name, headers in given_columns.items() for h in headers}
    for name, inherited_headers in list(columns.items()):
        kept = tuple(h for h in inherited_headers if claimed.get(fold_header(h), name) == name)
        columns[name] = kept
    for name, given in given_columns.items():
        inherited = columns.get(name, ()) if given else ()
        columns[name] = given + tuple(s for s in inherited if s not in given)
    columns = {name: headers for name, headers in columns.items() if headers}
    start = base.vocabulary if base else shared_vocabulary()
    vocabulary = _add_spellings({k: dict(v) for k, v in start.items()}, data.get("vocabulary", {}))
    closure = data.get("closure", {})
    inherited = base or Profile("", "", "", {}, {})
    by = closure.get("by", inherited.closure)
    missing = {fold_value(v) for v in data.get("missing_values", ())}
    reasons = dict(inherited.void_reasons)
    for code, phrases in closure.get("void_reasons", {}).items():
        reasons[code] = tuple(fold_value(p) for p in phrases)  # replaces the inherited list
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
        void_reasons=reasons,
        origin=origin,
    )


def profile_from_text(
    text: str,
    where: str,
    *,
    origin: str | None = None,
    folder: Path | None = None,
    extends: str | None = None,
    as_mapping: bool = False,
    _stack: tuple[Path, ...] = (),
) -> Profile:
    r"""Read a profile from its TOML text (either dialect), checked and resolved.

    Args:
        text: The file's text.
        where: How messages name the file (``boston.toml``).
        origin: ``built-in`` or the file's path (default: ``where``).
        folder: Where paths in ``extends`` are relative to (default: the working folder).
        extends: What a mapping without ``extends`` extends (default ``hotline``).
        as_mapping: The text was given as a mapping (:func:`.convert.is_mapping`).

    Raises:
        MappingError: Every mistake of the file, one line each (``boston.toml:12: …``).

    Example:
        >>> text = 'name = "acme"\nextends = "nyc311"\n[vocabulary.status]\nclosed = ["Done"]\n'
        >>> profile = profile_from_text(text, "acme.toml")
        >>> profile.name, profile.kind, profile.lookup("status", ["Done", "Closed"])
        ('acme', '311', ['closed', 'closed'])
    """
    data = parse_toml(text, where)
    lines = key_lines(text)
    origin = origin or where
    mapping = convert.is_mapping(data, assume=as_mapping)
    if mapping:
        converted = convert.mapping_to_profile(data, extends=extends or "hotline")
        data, problems = converted.data, converted.problems
        problems += [converted.source_of(p) for p in validate(data, standalone=False)]
    else:
        problems = validate(data)
        if origin != "built-in" and data.get("name") in builtin_names():
            message = (
                f"name {data['name']!r} is a built-in profile's; choose another name "
                f"(extends = {data['name']!r} keeps its rules)"
            )
            problems.append(Problem(("name",), message))
    if "name" not in data and origin != "built-in":
        data["name"] = Path(where).stem
        if data["name"] in builtin_names():  # it would pass for the built-in in every account
            message = (
                f"the file is named like the built-in profile {data['name']!r} and gives no "
                f'name; add name = "…" or rename the file'
            )
            problems.append(Problem((), message))
    base, nested = None, None
    target = data.get("extends")
    if isinstance(target, str) and target.strip():
        try:
            base = _resolve(target, folder or Path(), _stack)
        except _UnknownError as error:
            problems.append(Problem(("extends",), str(error)))
        except MappingError as error:  # the extended file's own mistakes, and who extends it
            first, *rest = str(error).splitlines()
            at = lines.get(("extends",))
            referrer = f"{where}:{at}" if at else where
            nested = "\n".join([f"{first} (extended by {referrer})", *rest])
    found = [p.render(where) for p in place(problems, lines)]
    if nested:
        found.append(nested)
    if found:
        raise MappingError("\n".join(found))
    return derive(data, base, origin)


class _UnknownError(Exception):
    """``extends`` names nothing known."""


def _resolve(target: str, folder: Path, stack: tuple[Path, ...]) -> Profile:
    """The profile ``extends = target`` names, seen from a file in ``folder``."""
    if target.lower().endswith(".toml") or "/" in target or "\\" in target:
        path = Path(target).expanduser()
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            raise _UnknownError(f"extends = {target!r}: no such profile file ({path})")
        return _load_file(path, stack)
    if target in builtin_names():
        return builtin(target)
    index = _user_index()
    if target in index:
        return _load_file(index[target], stack)
    known = [*builtin_names(), *index]
    near = closest(target, known)
    hint = f"; did you mean {near!r}?" if near else f"; expected one of {', '.join(known)}"
    raise _UnknownError(
        f"extends = {target!r} is not a built-in profile, a user profile (in "
        f"{user_profiles_dir()}) or a .toml file{hint}"
    )


#: The largest profile file read: a real one is a few kilobytes.
MAX_PROFILE_BYTES = 1 << 20


def read_profile_text(path: str | Path, what: str = "profile") -> str:
    """A profile or mapping file's text, bounded in size and decoded as UTF-8 (BOM or not).

    Raises:
        MappingError: The file cannot be read, is over 1 MiB, or is not UTF-8 text.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except OSError as error:
        raise MappingError(f"{path}: cannot read {what} file ({error.strerror})") from None
    if len(data) > MAX_PROFILE_BYTES:
        raise MappingError(
            f"{path}: {what} file over {MAX_PROFILE_BYTES >> 20} MiB; a profile is a few "
            "kilobytes of TOML (is this the right file?)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MappingError(
            f"{path}: {what} file is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None


def _read(path: Path) -> str:
    return read_profile_text(path)


def _load_file(path: Path, stack: tuple[Path, ...], extends: str | None = None) -> Profile:
    resolved = path.resolve()
    if resolved in stack:
        chain = " -> ".join(p.name for p in (*stack[stack.index(resolved) :], resolved))
        raise MappingError(f"{path}: extends goes round in a cycle ({chain}); remove one extends")
    text = _read(path)
    return profile_from_text(
        text,
        str(path),
        origin=str(path),
        folder=path.parent,
        extends=extends,
        _stack=(*stack, resolved),
    )


def load_profile(path: str | Path) -> Profile:
    """Read a user profile file (the built-in profiles' form, ``docs/profiles.md``).

    A file may ``extends`` any profile: its headers are tried first, its spellings and options
    win, everything else is inherited. Its name is ``name``, else the file's stem. A file in
    the old mapping dialect is converted, with a deprecation note.

    Raises:
        MappingError: The file is missing or not TOML, or every mistake in it, one per line.
    """
    path = Path(path)
    text = _read(path)
    if convert.is_mapping(parse_toml(text, str(path))):
        warnings.warn(convert.deprecation_note(path), ProfileDeprecation, stacklevel=2)
    return _load_file(path, ())


def mapping_profile(path: str | Path, extends: str | None = None) -> Profile:
    """Read an old mapping file as the profile it means (the caller says it is deprecated).

    Args:
        path: The mapping file.
        extends: What it extends when it says nothing (default ``hotline``).

    Raises:
        MappingError: The file is missing, not TOML, or its mistakes, one per line.
    """
    path = Path(path)
    text = read_profile_text(path, "mapping")
    data = parse_toml(text, str(path))
    if not convert.is_mapping(data, assume=True):  # already a profile: read it as one
        return _load_file(path, ())
    return profile_from_text(
        text, str(path), origin=str(path), folder=path.parent, extends=extends, as_mapping=True
    )


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check an old mapping file (deprecated: use a profile, ``docs/profiles.md``).

    It is checked as the profile it means (:func:`mapping_profile`), every mistake at its line.

    Returns:
        The parsed mapping, with ``origin`` set to the file path.

    Raises:
        MappingError: The file is missing, not TOML, or its mistakes, one per line.
    """
    mapping_profile(path)
    data = parse_toml(read_profile_text(path, "mapping"), str(path))
    data["origin"] = str(path)
    return data


def user_profiles_dir() -> Path:
    """Folder whose ``*.toml`` profiles join auto-detection.

    It is ``$HOTLINE_PROFILES_DIR`` when set, else ``<project root>/profiles``.

    Example:
        >>> user_profiles_dir().name
        'profiles'
    """
    explicit = os.environ.get("HOTLINE_PROFILES_DIR", "").strip()
    return Path(explicit).expanduser() if explicit else paths.root() / "profiles"


def _user_index() -> dict[str, Path]:
    """User profile name -> file; files that are not TOML are left to :func:`user_profiles`."""
    folder = user_profiles_dir()
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.toml")):
        try:
            data = parse_toml(read_profile_text(path), str(path))
        except MappingError:
            continue
        name = data.get("name")
        found.setdefault(name if isinstance(name, str) and name else path.stem, path)
    return found


def user_profiles() -> list[Profile]:
    """The profiles in :func:`user_profiles_dir`, in file-name order (none when it is absent).

    Raises:
        MappingError: Every file there that is not a valid profile (each mistake on its line),
            or two that share a name.
    """
    folder = user_profiles_dir()
    if not folder.is_dir():
        return []
    found: list[Profile] = []
    mistakes: list[str] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            found.append(load_profile(path))
        except MappingError as error:
            mistakes.append(str(error))
    if mistakes:
        raise MappingError("\n".join(mistakes))
    names = [p.name for p in found]
    if len(set(names)) < len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise MappingError(f"{folder}: several profiles are named {twice}")
    return found


def find_profile(spec: str | Path) -> Profile:
    """A profile by built-in name, user profile name, or path of a profile file.

    Raises:
        MappingError: No such profile; the message lists the names known.
    """
    text = str(spec)
    if text in builtin_names():
        return builtin(text)
    path = Path(text)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_profile(path)
    index = _user_index()
    if text in index:
        return _load_file(index[text], ())
    known = [*builtin_names(), *index]
    near = closest(text, known)
    hint = f" (did you mean {near!r}?)" if near else ""
    raise MappingError(f"unknown profile {text!r}{hint}; expected a profile file or one of {known}")
