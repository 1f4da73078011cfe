"""Types the type checker needs where a library's own annotations are wider than the data.

Only annotations live here: nothing in this module changes what the code does.

Example:
    >>> import pandas as pd
    >>> attrs: Attrs = pd.DataFrame().attrs  # pandas types attrs with Hashable keys
    >>> dict(attrs)
    {}
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, TypeAlias

__all__ = ["Attrs"]

#: ``DataFrame.attrs`` as the metric results fill it: pandas types its keys ``Hashable | None``,
#: this project only ever writes ``str`` keys, and a hand-written ``{"as_of": ...}`` works too.
Attrs: TypeAlias = Mapping[Hashable | None, Any] | Mapping[str, Any]
