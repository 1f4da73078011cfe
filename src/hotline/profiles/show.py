"""A resolved profile written back as a profile file (``hotline profile show``).

Everything inherited through ``extends`` is spelt out, so the text says exactly how the
profile reads an export; read back, it gives the same profile. Value spellings are shown
folded (lower case, no spaces), as they are compared; the codes and labels every profile
understands (``closed``, ``已办结``, ``Closed``) are left out.

Example:
    >>> from hotline.profiles.loading import builtin, profile_from_text
    >>> text = profile_text(builtin("open311"))
    >>> print(text.splitlines()[1])
    name = "open311"
    >>> again = profile_from_text(text.replace('"open311"', '"open311_copy"', 1), "copy.toml")
    >>> again.vocabulary == builtin("open311").vocabulary, again.columns == builtin("open311").columns
    (True, True)
"""  # noqa: E501

from __future__ import annotations

from hotline.profiles import toml_text
from hotline.profiles.loading import shared_vocabulary
from hotline.profiles.profile import Profile
from hotline.profiles.spec import VOCABULARIES

__all__ = ["profile_text"]


def profile_text(profile: Profile) -> str:
    """The profile as TOML in the profile dialect, extends resolved."""
    base = shared_vocabulary()
    out = [
        f"# profile {profile.name!r} as resolved ({profile.origin}); spellings shown folded",
        toml_text.assign("name", profile.name),
        toml_text.assign("description", profile.description or profile.name),
        toml_text.assign("kind", profile.kind),
        toml_text.assign("language", profile.language),
        toml_text.assign("date_order", profile.date_order),
        toml_text.assign("timezone", profile.timezone),
        toml_text.assign("calendar", profile.calendar),
    ]
    if profile.default_channel:
        out.append(toml_text.assign("default_channel", profile.default_channel))
    out.append(toml_text.assign("required", list(profile.required)))
    if profile.missing_values:
        out.append(toml_text.assign("missing_values", sorted(profile.missing_values)))
    out += [
        "",
        "[closure]",
        toml_text.assign("by", profile.closure),
        toml_text.assign("close_time", profile.close_time),
    ]
    if profile.void_reasons:
        table = ", ".join(
            f"{code} = {toml_text.texts(phrases)}" for code, phrases in profile.void_reasons.items()
        )
        out.append(f"void_reasons = {{ {table} }}")
    out += ["", "[columns]"]
    out += [toml_text.assign(name, list(spellings)) for name, spellings in profile.columns.items()]
    for name in VOCABULARIES:
        table = profile.vocabulary.get(name, {})
        # What the shared vocabulary already says is left out unless this profile changed it.
        own = {s: c for s, c in table.items() if base.get(name, {}).get(s) != c}
        shared = {s: c for s, c in table.items() if s not in own}
        by_code: dict[str, list[str]] = {}
        for spelling, code in own.items():
            by_code.setdefault(code, []).append(spelling)
        out += ["", f"[vocabulary.{name}]", f"# and {len(shared)} spellings every profile knows"]
        out += [toml_text.assign(code, spellings) for code, spellings in by_code.items()]
    return "\n".join(out) + "\n"
