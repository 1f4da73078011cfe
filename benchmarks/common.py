"""What the benchmarks share: the output folder, a few vocabularies, fresh-process timing."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

TOPICS = [
    "城乡建设", "供暖", "供水供电", "劳动和社会保障", "卫生健康", "教育", "交通运输", "环境保护",
    "市场监管", "农业农村", "民政", "公安",
]  # fmt: skip


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    script: str,
    tasks: list[str],
    path: Path,
    repeat: int,
    env: dict[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Best time of each task over ``repeat`` rounds of fresh ``script --child task path``.

    The tasks take turns within each round (floor, ours, floor, ours…), so a slow spell of a
    shared machine falls on both sides of a ratio rather than on one.

    Returns:
        Task -> ``{"seconds": …, "peak_mb": …}`` of its fastest run.
    """
    runs: dict[str, list[dict[str, float]]] = {task: [] for task in tasks}
    for _ in range(repeat):
        for task in tasks:
            done = subprocess.run(
                [sys.executable, script, "--child", task, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, **(env or {})},
            )
            runs[task].append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {task: min(found, key=lambda r: r["seconds"]) for task, found in runs.items()}
