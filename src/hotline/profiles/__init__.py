"""Export profiles: what one family of exports calls each field, and what its values mean.

A profile is data, not code (one TOML file per export family, in this folder): header spellings per
canonical field, value vocabularies, the date order and time zone, the working-day calendar, the
closure rule, the source kind and the language of its labels. The built-in profiles are
``hotline`` (12345 work orders), ``online`` (网络投诉/网上留言), ``nyc311`` (NYC 311, portal and
SODA API), ``la311`` (MyLA311) and ``open311`` (GeoReport v2). A user profile has the same form
and may extend any other profile, built-in or user (``docs/profiles.md``).

The package is split by concern:

* :mod:`.profile` — :class:`Profile` and :class:`HeaderMatch` (matching headers, looking up codes);
* :mod:`.spec` — the file's form, declared once: validation and the docs' tables;
* :mod:`.loading` — built-in and user profiles, ``extends`` chains;
* :mod:`.convert` — the deprecated mapping dialect read as a profile;
* :mod:`.draft` — drafting a profile from an export and checking how an export reads.

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

from hotline.profiles.loading import (
    ProfileDeprecation,
    builtin,
    builtin_names,
    find_profile,
    load_mapping,
    load_profile,
    mapping_profile,
    profile_from_text,
    user_profiles,
    user_profiles_dir,
)
from hotline.profiles.profile import HeaderMatch, Profile
from hotline.profiles.spec import (
    CALENDARS,
    CLOSE_TIMES,
    CLOSURE_RULES,
    INPUT_ONLY_FIELDS,
    LANGUAGES,
    MAPPABLE_FIELDS,
    VOID_REASON_CODES,
    is_calendar,
)

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
    "ProfileDeprecation",
    "builtin",
    "builtin_names",
    "find_profile",
    "is_calendar",
    "load_mapping",
    "load_profile",
    "mapping_profile",
    "profile_from_text",
    "user_profiles",
    "user_profiles_dir",
]
