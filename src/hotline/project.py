r"""The project's own settings, read from ``hotline.toml`` at the project root.

A county's hotline project names itself once, and every output uses that name: a chart's
footnote says "数据来源：XX县12345热线平台" instead of the raw export files' names::

    # hotline.toml, beside data/ and reports/ at the project root (hotline.paths.root())
    [report]
    source_label = "XX县12345热线平台"
    area = "XX县"          # the report's title begins with it: XX县2021年12345…运行情况报告

A function's own argument (``source_label=`` of a chart or of
:func:`hotline.plotting.save_annual_charts`) wins over the file; without either, outputs name the
export files, as before. The file is read on each call, so an edit takes effect without a
restart.

Example:
    >>> import os, tempfile
    >>> from pathlib import Path
    >>> home = tempfile.mkdtemp()
    >>> os.environ["HOTLINE_HOME"] = home
    >>> source_label() is None  # no hotline.toml: outputs name the export files
    True
    >>> _ = (Path(home) / SETTINGS_FILE).write_text(
    ...     '[report]\nsource_label = "示例县12345热线平台"\n', encoding="utf-8")
    >>> source_label(), source_label("另一平台")
    ('示例县12345热线平台', '另一平台')
    >>> del os.environ["HOTLINE_HOME"]
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from hotline import paths
from hotline.errors import HotlineError

__all__ = ["SETTINGS_FILE", "area", "settings", "settings_file", "source_label"]

#: The settings file's name, at the project root.
SETTINGS_FILE = "hotline.toml"

#: The settings the file may hold: table -> keys (a typo is an error, not silently ignored).
_KNOWN = {"report": ("source_label", "area")}
#: Names outputs print: letters (any script), digits, spaces and a little punctuation; no
#: markup, no line break. key -> (pattern, an example for the error).
_NAMES = {
    "area": (re.compile(r"[\w（）()·.\- ]{1,30}"), 30, "示例县 or Los Angeles"),
    "source_label": (re.compile(r"[\w（）()·.\-/&、， ]{1,60}"), 60, "XX县12345热线平台"),
}
#: Seven digits or more in a row: a phone or ID number, never a place or platform name.
_LONG_NUMBER = re.compile(r"\d{7,}")


def settings_file() -> Path:
    """Where the project's settings are read from: ``<project root>/hotline.toml``.

    Example:
        >>> import os
        >>> os.environ["HOTLINE_HOME"] = "/srv/county"
        >>> settings_file().as_posix()
        '/srv/county/hotline.toml'
        >>> del os.environ["HOTLINE_HOME"]
    """
    return paths.root() / SETTINGS_FILE


def settings() -> dict[str, Any]:
    """The project's settings: the parsed ``hotline.toml``, or ``{}`` when there is none.

    Raises:
        HotlineError: The file is not valid TOML, or holds a table or key hotline does not know
            (naming the file and the keys it knows).
    """
    path = settings_file()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise HotlineError(f"{paths.for_display(path)}: cannot be read ({error})") from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise HotlineError(f"{paths.for_display(path)}: not valid TOML ({error})") from None
    for table, values in parsed.items():
        known = _KNOWN.get(table)
        unknown = [] if known is None else [key for key in values if key not in known]
        if known is None or unknown or not isinstance(values, dict):
            expected = "; ".join(f"[{t}] {', '.join(keys)}" for t, keys in _KNOWN.items())
            what = f"[{table}]" if known is None else f"[{table}] {', '.join(unknown)}"
            raise HotlineError(
                f"{paths.for_display(path)}: unknown setting {what}; known settings: {expected}"
            )
    return parsed


def _name_setting(key: str, explicit: str | None) -> str | None:
    """A name outputs print (``area``, ``source_label``): the caller's, else the file's.

    ``""`` from the caller means none. The name lands in titles, footnotes and file metadata
    read by Word, Excel and a privacy officer, so it must be a plain name: letters of any
    script, digits, spaces and a little punctuation, no markup, no line break, and no run of
    seven digits or more (a phone or ID number). The error never repeats the value.
    """
    if explicit == "":
        return None
    where = f"--{key.replace('_', '-')}"
    value: object = explicit
    if explicit is None:
        value = settings().get("report", {}).get(key)
        where = f"{paths.for_display(settings_file())}: [report] {key}"
        if value is None:
            return None
    pattern, most, example = _NAMES[key]
    text = value.strip() if isinstance(value, str) else ""
    if not pattern.fullmatch(text) or _LONG_NUMBER.search(text):
        raise HotlineError(
            f"{where} must be a plain name such as {example}: letters, digits and spaces, "
            f"at most {most} characters, no markup, "
            "line break or long number (a phone or ID number)"
        )
    return text


def area(explicit: str | None = None) -> str | None:
    """The area a report is about ("XX县"), which its title begins with, or ``None``.

    Args:
        explicit: A caller's own choice, which wins; ``""`` for none (a dataset that is not
            the project's own, such as a 311 export beside a county's data).

    Returns:
        ``explicit`` when given, else ``[report] area`` of ``hotline.toml``, else ``None``
        (the title names no area).

    Raises:
        HotlineError: The name is not a plain place name (or the file is invalid).

    Example:
        >>> area("示例县"), area(" Los Angeles ")
        ('示例县', 'Los Angeles')
    """
    return _name_setting("area", explicit)


def source_label(explicit: str | None = None) -> str | None:
    """The name outputs give the data's source ("XX县12345热线平台"), or ``None``.

    Args:
        explicit: A caller's own choice, which wins; ``""`` for none.

    Returns:
        ``explicit`` when given, else ``[report] source_label`` of ``hotline.toml``, else
        ``None`` (outputs then name the export files).

    Raises:
        HotlineError: The setting is not a non-empty text (or the file is invalid).
    """
    return _name_setting("source_label", explicit)
