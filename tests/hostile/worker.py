"""A long-lived child process that runs ``hotline`` commands for the fuzz suite.

Starting Python, pandas and pyarrow for each of hundreds of generated inputs would take most of
the budget; a crash inside the test process would end the run. So one child imports hotline
once and runs commands sent as JSON lines, each with its own working folder and environment,
its standard output and error redirected at the file-descriptor level (a Rust panic or a C++
abort writes there directly). When the child dies, the parent reports the input that killed it
and starts another.

Protocol: the parent writes ``{"args": [...], "cwd": ..., "env": {...}, "out": ..., "err": ...}``
per line; the child answers ``{"status": n}`` per line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

MEMORY_CAP = 6 << 30


def _serve() -> None:  # the child's loop
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    from hotline.cli import main

    base_env = dict(os.environ)
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    for line in sys.stdin:
        job = json.loads(line)
        os.environ.clear()
        os.environ.update(base_env, **job["env"])
        os.chdir(job["cwd"])
        with Path(job["out"]).open("wb") as out, Path(job["err"]).open("wb") as err:
            sys.stdout.flush(), sys.stderr.flush()
            os.dup2(out.fileno(), 1), os.dup2(err.fileno(), 2)
            try:
                status = main(job["args"])
            except SystemExit as exit_:  # argparse
                status = exit_.code if isinstance(exit_.code, int) else 2
            sys.stdout.flush(), sys.stderr.flush()
        answers.write(json.dumps({"status": status}) + "\n")


class Worker:
    """The parent's handle on the child; restarts it after a crash."""

    def __init__(self, env: dict[str, str], scratch: Path, timeout: float = 120) -> None:
        self.env = env
        self.scratch = scratch
        self.timeout = timeout
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(Path(__file__))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **self.env},
        )

    def run(self, args: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str]:
        """Run one command; returns exit status (negative: killed by a signal), out, err."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        out, err = self.scratch / "stdout", self.scratch / "stderr"
        job = {"args": list(args), "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        watchdog = threading.Timer(self.timeout, self.process.kill)
        watchdog.start()
        try:
            answer = self.process.stdout.readline()
        finally:
            watchdog.cancel()
        if answer:
            status = json.loads(answer)["status"]
        else:
            status = self.process.wait()
            self.process = None
        said = [p.read_text("utf-8", "replace") if p.exists() else "" for p in (out, err)]
        for p in (out, err):
            p.unlink(missing_ok=True)
        return status, said[0], said[1]

    def close(self) -> None:
        """Stop the child."""
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


if __name__ == "__main__":
    _serve()
