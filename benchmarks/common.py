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


def measure(script: str, task: str, path: Path, repeat: int, env: dict[str, str] | None = None):
    """Best time over ``repeat`` fresh processes of ``script --child task path``.

    Returns:
        ``{"seconds": …, "peak_mb": …}`` of the fastest run.
    """
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, script, "--child", task, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(env or {})},
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])
