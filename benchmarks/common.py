"""What the benchmarks share: the output folder, a few vocabularies, fresh-process timing."""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from hotline.allocator import KEEP_MEMORY, likely_streams, settings_for

OUT = Path(__file__).resolve().parent / "out"

#: The allocator settings the ``hotline`` command uses for an ingest that fits its memory
#: (:mod:`hotline.allocator`), given to every measured process, floors included, so that the
#: ratio compares work, not allocators.
ALLOCATOR = dict(KEEP_MEMORY)


def ingest_allocator(*exports: Path | str) -> dict[str, str]:
    """The allocator settings the ``hotline`` command chooses for an ingest of ``exports``.

    It gives memory back when the ingest will likely outgrow the default memory limit
    (:func:`hotline.allocator.likely_streams`); both sides of a ratio get these settings, so
    that the ratio compares work, not allocators.
    """
    from hotline.ingestion.spill import DEFAULT_MEMORY_LIMIT

    streams = likely_streams(exports, DEFAULT_MEMORY_LIMIT)
    return settings_for(streams=streams)


TOPICS = [
    "城乡建设", "供暖", "供水供电", "劳动和社会保障", "卫生健康", "教育", "交通运输", "环境保护",
    "市场监管", "农业农村", "民政", "公安",
]  # fmt: skip


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    status = Path("/proc/self/status")
    if status.exists():
        return status_mb(status, "VmHWM:")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    script: str,
    tasks: list[str],
    path: Path | Sequence[str],
    repeat: int,
    env: dict[str, str] | None = None,
    *,
    memory_cap_mb: float | None = None,
    progress: str | None = None,
) -> dict[str, dict[str, float]]:
    """Best time of each task over ``repeat`` rounds of fresh ``script --child task path``.

    The tasks take turns within each round (floor, ours, floor, ours…), so a slow spell of a
    shared machine falls on both sides of a ratio rather than on one.

    Args:
        script: The benchmark, run as ``script --child TASK ARG…``.
        tasks: The tasks, in the order they take turns.
        path: The child's argument, or its arguments.
        repeat: Rounds.
        env: Variables added to the children's environment.
        memory_cap_mb: Stop a child whose processes together hold more than this (a shared
            machine has no memory to lose); its run then counts as ``stopped`` at the memory
            seen, with infinite seconds.
        progress: Say on stderr, under this name, which run is going.

    Returns:
        Task -> ``{"seconds": …, "peak_mb": …}`` of its fastest run.
    """
    arguments = [str(path)] if isinstance(path, str | Path) else list(path)
    runs: dict[str, list[dict[str, float]]] = {task: [] for task in tasks}
    for round_ in range(repeat):
        for task in tasks:
            if progress is not None:
                print(
                    f"  {progress}: {task}, run {round_ + 1}/{repeat}", file=sys.stderr, flush=True
                )
            command = [sys.executable, script, "--child", task, *arguments]
            child_env = {**os.environ, **(env or {})}
            if memory_cap_mb is None:
                done = subprocess.run(
                    command, capture_output=True, text=True, check=True, env=child_env
                )
                runs[task].append(json.loads(done.stdout.strip().splitlines()[-1]))
            else:
                runs[task].append(_run_capped(command, child_env, memory_cap_mb))
    return {task: min(found, key=lambda r: r["seconds"]) for task, found in runs.items()}


def _run_capped(command: list[str], env: dict[str, str], cap_mb: float) -> dict[str, float]:
    """Run one child, stopping its process group if its processes together pass ``cap_mb``."""
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True,  # its own group: stopped with what it started (a JVM), only that
    )  # fmt: skip
    seen = {"peak_mb": 0.0, "stopped": False}
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.25):
            held = tree_rss_mb(child.pid)
            seen["peak_mb"] = max(seen["peak_mb"], held)
            if held > cap_mb:
                seen["stopped"] = True
                os.killpg(child.pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = child.communicate()
    finished.set()
    watcher.join()
    if seen["stopped"]:
        return {"seconds": math.inf, "peak_mb": seen["peak_mb"], "stopped": True}
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command, out, err)
    return json.loads(out.strip().splitlines()[-1])


def tree_rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` and its descendants now, in MB (0 if gone)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in family]
        family.update(children)
        frontier.extend(children)
    total = 0.0
    for member in family:
        total += status_mb(Path(f"/proc/{member}/status"), "VmRSS:")
    return total


def status_mb(status: Path, key: str) -> float:
    """One ``kB`` line of a ``/proc/…/status`` file, in MB (0 if the process is gone)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (rounds, rows)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of at least 1")
    return value
