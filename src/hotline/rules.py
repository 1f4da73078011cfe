"""The default counting rules, in one place (documented in ``docs/data-dictionary.md``).

* **Accepted** (受理): every order whose status is not invalid, void, cancelled or a duplicate
  (无效, 作废/撤销, a 311 request's *Cancelled*, 重复/并单 and their spellings). An order without
  a known status counts as accepted.
* **Closed** (办结): an accepted order whose latest status is in the closed family: 办结,
  结案, 完结, 归档 and their spellings, or 已回访 (the return visit follows closure in the
  国办发〔2020〕53号 chain 受理→派单→办理→答复→督办→办结→回访→评价), or 直接答复 (answered on
  the call, never dispatched), or a 311 request's *Referred Out* (handed to a body outside the
  city's system: the city's part is finished, so it is closed by referral). For online
  messages a reply also closes: 已答复/已回复, or a reply text or time when the export has no
  status of its own. A close date alone never closes an order: status decides.

Example:
    >>> import pandas as pd
    >>> df = pd.DataFrame({"source_kind": ["hotline", "hotline", "online", "hotline", "311"],
    ...                    "status": ["closed", "in_progress", "replied", "invalid", "cancelled"]})
    >>> accepted(df).tolist(), closed(df).tolist()
    ([True, True, True, False, False], [True, False, True, False, False])
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "CLOSED_STATUSES",
    "ONLINE_CLOSED_STATUSES",
    "VOID_STATUSES",
    "accepted",
    "closed",
    "closed_statuses",
]

#: Statuses that take an order out of the accepted count. A cancelled 311 request was
#: withdrawn before any work: like 作废 it is kept in the data and counted apart.
VOID_STATUSES = ("invalid", "void", "duplicate", "cancelled")
#: Statuses that mean closed, for every source. A direct answer (直接答复) is a closure by the
#: call-taker, never dispatched (domain reference §4.1); a referral out of the system ends the
#: city's handling of a 311 request.
CLOSED_STATUSES = ("closed", "revisited", "answered_directly", "referred_out")
#: Statuses that mean closed for an online message: a reply closes it.
ONLINE_CLOSED_STATUSES = (*CLOSED_STATUSES, "replied")


def closed_statuses(source_kind: str) -> tuple[str, ...]:
    """The statuses that close an order of one source kind.

    Example:
        >>> "replied" in closed_statuses("online"), "replied" in closed_statuses("311")
        (True, False)
    """
    return ONLINE_CLOSED_STATUSES if source_kind == "online" else CLOSED_STATUSES


def _status(df: pd.DataFrame) -> pd.Series:
    return df["status"].astype(object)


def accepted(df: pd.DataFrame) -> pd.Series:
    """Boolean mask of accepted orders (受理)."""
    return ~_status(df).isin(VOID_STATUSES)


def closed(df: pd.DataFrame) -> pd.Series:
    """Boolean mask of accepted orders that are closed (办结)."""
    status = _status(df)
    online = df["source_kind"].astype(object).eq("online")
    in_family = status.isin(CLOSED_STATUSES) | (online & status.isin(ONLINE_CLOSED_STATUSES))
    return in_family & accepted(df)
