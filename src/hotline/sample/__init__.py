"""Deterministic sample of raw 12345 exports for one synthetic county (示例县, Liaoning), 2021.

示例县 does not exist: every order, caller, phone number, ID number and name in the sample is
generated. The sample is *calibrated* to a real county report, so that after the ingest merges the
monthly snapshots its headline figures equal the published ones:

* 12345 hotline calls: 9383 accepted, 9268 closed;
* online complaints: 192 accepted, 182 closed.

The raw files imitate what a hotline platform hands an analyst: six monthly ``.xlsx`` exports from
vendor A (January-June), six GBK CSV exports from vendor B (July-December) with other header
spellings and status words, overlapping month to month (an order closing late is exported again),
plus invalid, void and duplicate orders that do not count, and one online-board workbook. Every
file carries a mark, and the folder a marker file (``.hotline-sample``), by which an ingest tells
the sample from real exports and refuses to mix them (:mod:`hotline.ingestion.sample_guard`). A
handful of blemishes (odd spaces, full-width digits, a duplicate row, blank rows, ``待定`` in a date
column) and synthetic personal data in the texts exercise the ingest's cleaning and scrubbing.

Modules: :mod:`.catalogue` (towns, departments, subjects, templates), :mod:`.people` (synthetic
callers), :mod:`.timing` (calendar and volumes), :mod:`.content` (texts), :mod:`.lifecycle` (work
orders and monthly snapshots), :mod:`.online` (online messages), :mod:`.exports` (file writers).

Example:
    >>> import tempfile
    >>> raw = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_sample(raw, orders=60, online=10)][:2]
    ['12345热线工单明细_2021年01月.xlsx', '12345热线工单明细_2021年02月.xlsx']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotline.ingestion.sample_guard import write_marker
from hotline.sample.exports import write_hotline_exports, write_online_export
from hotline.sample.lifecycle import plan_hotline
from hotline.sample.online import plan_online

__all__ = ["NOT_ACCEPTED_SHARE", "PUBLISHED", "scaled_counts", "write_sample"]

#: Headline figures the sample reproduces. Source: 铁岭县人民政府《2021年法治政府建设情况报告》
#: (dated 2022-07-04): "12345政务服务便民热线平台运行稳中有序,受理群众话务诉求9383件,办结9268件;
#: 受理网络投诉192件,办结182件". Constants of the generator, never read from a file at run time.
PUBLISHED: dict[str, dict[str, int]] = {
    "hotline": {"accepted": 9383, "closed": 9268},
    "online": {"accepted": 192, "closed": 182},
}

#: Hotline orders written on top of the accepted ones that are invalid, void or duplicates
#: (about 150 in the full sample; real platforms weed out 1-2 % of calls this way).
NOT_ACCEPTED_SHARE = 150 / 9383


def scaled_counts(kind: str, accepted: int | None) -> tuple[int, int]:
    """Accepted and closed counts of a sample of ``accepted`` orders (None: the published size).

    Closed orders scale with the published closure rate, rounded with Python's ``round``.

    Args:
        kind: ``hotline`` or ``online``.
        accepted: Accepted orders wanted, or None for the calibrated full sample.

    Example:
        >>> scaled_counts("hotline", 60), scaled_counts("online", 10), scaled_counts("online", None)
        ((60, 59), (10, 9), (192, 182))
    """
    published = PUBLISHED[kind]
    if accepted is None:
        return published["accepted"], published["closed"]
    if accepted < 1:
        raise ValueError(f"{kind}: need at least one accepted order, got {accepted}")
    return accepted, round(accepted * published["closed"] / published["accepted"])


def write_sample(
    raw_dir: Path | str,
    *,
    seed: int = 2021,
    orders: int | None = None,
    online: int | None = None,
) -> list[Path]:
    """Write the sample exports into raw_dir (created if needed); return the paths written, sorted.

    The folder also gets the sample's marker file (``.hotline-sample``, not among the paths
    returned): an ingest of a folder above it knows these files are fictional.

    Args:
        raw_dir: Folder for the raw files; existing files of the same names are overwritten.
        seed: Random seed; the same seed gives byte-identical files.
        orders: Accepted hotline orders (default: the published 9383). Closed orders and the
            invalid/void/duplicate extras scale with it.
        online: Accepted online messages (default: the published 192).

    Returns:
        The files written, sorted by path.

    Raises:
        ValueError: ``orders`` or ``online`` is below 1.

    Example:
        >>> import tempfile
        >>> paths = write_sample(tempfile.mkdtemp(), orders=60, online=10)
        >>> len(paths), sorted({p.suffix for p in paths})
        (13, ['.csv', '.xlsx'])
    """
    hotline_accepted, hotline_closed = scaled_counts("hotline", orders)
    online_accepted, online_closed = scaled_counts("online", online)
    extras = max(3, round(hotline_accepted * NOT_ACCEPTED_SHARE))
    # Independent streams: the hotline files do not change when only the online size does.
    hotline_seed, online_seed, export_seed = np.random.SeedSequence(seed).spawn(3)
    plan = plan_hotline(
        np.random.default_rng(hotline_seed),
        accepted=hotline_accepted,
        closed=hotline_closed,
        extras=extras,
    )
    messages = plan_online(
        np.random.default_rng(online_seed), count=online_accepted, replied=online_closed
    )
    raw = Path(raw_dir)
    raw.mkdir(parents=True, exist_ok=True)
    export_rng = np.random.default_rng(export_seed)
    written = write_hotline_exports(raw, plan, export_rng)
    written.append(write_online_export(raw, messages, export_rng))
    write_marker(raw, sorted(path.name for path in written))
    return sorted(written)
