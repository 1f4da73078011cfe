"""The old mapping dialect, read as the profile it means: a profile with ``extends``.

A mapping file (``docs/mapping.md``, deprecated) says ``[values.<field>] spelling = code`` and
puts options under ``[options]``; a profile says ``[vocabulary.<name>] code = [spellings]``
and puts options at the top. :func:`mapping_to_profile` turns one into the other, keeping where
each key came from so that a mistake is reported at its line in the mapping, and
:func:`convert_text` writes the profile file ``hotline profile convert`` prints.

Example:
    >>> mapping = {"columns": {"order_id": "流水号"}, "values": {"status": {"已处理完成": "closed"}},
    ...            "options": {"date_order": "ymd"}}
    >>> mapping_to_profile(mapping).data
    {'extends': 'hotline', 'columns': {'order_id': '流水号'}, 'vocabulary': {'status': {'closed': ['已处理完成']}}, 'date_order': 'ymd'}
"""  # noqa: E501

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.profiles import toml_text
from hotline.profiles.spec import (
    BOOLEAN_FIELDS,
    KEYS,
    VOCABULARIES,
    Problem,
    closest,
    vocabulary_codes,
)

__all__ = [
    "MAPPING_SECTIONS",
    "OPTIONS",
    "MappingAsProfile",
    "convert_text",
    "deprecation_note",
    "is_mapping",
    "mapping_to_profile",
]

#: What a mapping file may hold.
MAPPING_SECTIONS = ("extends", "columns", "values", "options")
#: Keys of a mapping's ``[options]``; each is a top-level key of a profile.
OPTIONS = ("date_order", "timezone", "default_channel")
_PROFILE_ONLY = {k.path[0] for k in KEYS} - {"extends", "columns"}


def deprecation_note(path: str | Path) -> str:
    """The one-line note a mapping file's use prints.

    Example:
        >>> deprecation_note("vendor.toml")
        'vendor.toml: mapping files are deprecated; `hotline profile convert vendor.toml -o NEW.toml` writes it as a profile (docs/profiles.md)'
    """  # noqa: E501
    return (
        f"{path}: mapping files are deprecated; `hotline profile convert {path} -o NEW.toml` "
        "writes it as a profile (docs/profiles.md)"
    )


def is_mapping(data: Mapping[str, Any], *, assume: bool = False) -> bool:
    """Whether a parsed file is in the mapping dialect.

    Args:
        data: The parsed TOML.
        assume: The caller was given a mapping (``--mapping``): a file that uses no key only
            profiles have (``extends`` and ``[columns]`` mean the same in both) is one.

    Example:
        >>> is_mapping({"values": {}}), is_mapping({"columns": {}}), is_mapping({}, assume=True)
        (True, False, True)
    """
    if "values" in data or "options" in data:
        return True
    return assume and not (set(data) & _PROFILE_ONLY)


@dataclass
class MappingAsProfile:
    """A mapping read as a profile.

    Attributes:
        data: The profile's keys, as a profile file would hold them.
        problems: Mistakes of the mapping's own form (unknown sections, tables expected).
        sources: Profile key path -> the mapping's key path it came from.
    """

    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    sources: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    def source_of(self, problem: Problem) -> Problem:
        """A problem found in :attr:`data`, placed at the mapping key it came from."""
        path = problem.path
        for end in range(len(path), 0, -1):
            if path[:end] in self.sources:
                return Problem((*self.sources[path[:end]], *path[end:]), problem.message)
        return problem


def mapping_to_profile(mapping: Mapping[str, Any], extends: str = "hotline") -> MappingAsProfile:
    """Read a parsed mapping file as a profile that extends ``extends`` unless it names one.

    Spellings of the yes/no fields (``[values.is_resolved]``) join the ``boolean`` vocabulary,
    as they did; codes are compared in lower case, as they were.
    """
    found = MappingAsProfile({"extends": mapping.get("extends", extends)})
    found.sources[("extends",)] = ("extends",)
    for name in mapping:
        if name not in (*MAPPING_SECTIONS, "origin"):
            near = closest(name, MAPPING_SECTIONS)
            hint = f"; did you mean [{near}]?" if near else f"; expected {list(MAPPING_SECTIONS)}"
            found.problems.append(Problem((name,), f"unknown section [{name}]{hint}"))
    for section in ("columns", "values", "options"):
        if not isinstance(mapping.get(section, {}), dict):
            message = f"[{section}] must be a table (a [{section}] section)"
            found.problems.append(Problem((section,), message))
    columns = mapping.get("columns", {})
    if isinstance(columns, dict) and columns:
        found.data["columns"] = dict(columns)
        found.sources[("columns",)] = ("columns",)
    values = mapping.get("values", {})
    vocabulary: dict[str, dict[str, list[str]]] = {}
    for name, table in values.items() if isinstance(values, dict) else ():
        if not isinstance(table, dict):
            message = f"[values.{name}] must be a table of spelling = code"
            found.problems.append(Problem(("values", name), message))
            continue
        target = "boolean" if name in BOOLEAN_FIELDS else name
        found.sources.setdefault(("vocabulary", target), ("values", name))
        for spelling, code in table.items():
            text = str(code).lower()
            vocabulary.setdefault(target, {}).setdefault(text, []).append(spelling)
            found.sources.setdefault(("vocabulary", target, text), ("values", name, spelling))
    if vocabulary:
        found.data["vocabulary"] = vocabulary
    options = mapping.get("options", {})
    for name, value in options.items() if isinstance(options, dict) else ():
        if name not in OPTIONS:
            near = closest(name, OPTIONS)
            hint = f"; did you mean {near!r}?" if near else f"; expected {list(OPTIONS)}"
            found.problems.append(Problem(("options", name), f"unknown key {name!r}{hint}"))
            continue
        found.data[name] = value
        found.sources[(name,)] = ("options", name)
    return found


def convert_text(text: str, where: str, *, extends: str = "hotline") -> str:
    r"""The profile file a mapping file means, with comments (``hotline profile convert``).

    The result is not checked here: :func:`hotline.profiles.loading.profile_from_text` reads
    it back (the command does), so a mistake of the mapping is reported at its line.

    Example:
        >>> print(convert_text('[values.status]\n"已处理完成" = "closed"\n', "vendor.toml"))
        ... # doctest: +ELLIPSIS
        # vendor.toml as a profile (docs/profiles.md), converted by `hotline profile convert`.
        ...
        [vocabulary.status]
        # codes: received, answered_directly, ...
        closed = ["已处理完成"]
        <BLANKLINE>
    """
    mapping = tomllib.loads(text)
    data = mapping_to_profile(mapping, extends=extends).data
    name = Path(where).stem
    out = [
        f"# {Path(where).name} as a profile (docs/profiles.md), converted by "
        "`hotline profile convert`.",
        "# [values.<field>] spelling = code became [vocabulary.<name>] code = [spellings]",
        "# (yes/no fields share [vocabulary.boolean]); [options] became top-level keys.",
        toml_text.assign("name", name),
    ]
    if "extends" not in mapping:
        out.append(f"# the mapping named no profile: it extended {extends!r}")
    out.append(toml_text.assign("extends", str(data["extends"])))
    for option in OPTIONS:
        if option in data:
            out.append(toml_text.assign(option, str(data[option])))
    if data.get("columns"):
        out += ["", "# canonical field = [headers in this export], most specific first"]
        out.append("[columns]")
        for field_name, spellings in data["columns"].items():
            given = [spellings] if isinstance(spellings, str) else list(spellings)
            out.append(toml_text.assign(field_name, [str(s) for s in given]))
    for name, codes in data.get("vocabulary", {}).items():
        out += ["", f"[vocabulary.{toml_text.key(name)}]"]
        if name in VOCABULARIES:
            out.append("# codes: " + ", ".join(vocabulary_codes(name)))
        for code, spellings in codes.items():
            out.append(toml_text.assign(code, [str(s) for s in spellings]))
    return "\n".join(out) + "\n"
