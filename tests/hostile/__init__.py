"""Attacks on the ``hotline`` command, run as a user would: a fresh process, hostile files.

Each attack is a row of a table (:class:`Attack`): how to build its inputs, the command line,
the exit status and message expected, and what else must hold. :func:`run_attack` runs the
command in a child process (a native crash must not take the test run with it) under a memory
cap, and checks what every attack must respect whatever it expects:

* the exit status is 0, 1 or 2, never a signal (134 abort, 139 segfault) or an internal error;
* no traceback, Rust panic or ``terminate called`` reaches the terminal;
* exit 2 prints one line, ``hotline: error: …``, and changes nothing on disk: the folders the
  attack watches (by default the project's ``data`` folder and every ``--out``) are byte for byte
  as before, and no key file appears;
* exit 0 of an ingest leaves a dataset whose account balances.

The cases live beside this module, one module per family (``csv_cases``, ``excel_cases``…),
each with a ``CASES`` list; ``tests/test_hostile_inputs.py`` runs them all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Address space a child may use: far above any legitimate small input, far below the machine.
MEMORY_CAP = 6 << 30
TIMEOUT = 180
_CRASH_SIGNS = ("Traceback", "panicked", "RUST_BACKTRACE", "terminate called", "Segmentation")


@dataclass
class Outcome:
    """What one run of the command did.

    Attributes:
        status: Exit status (negative: killed by that signal).
        stdout: Standard output.
        stderr: Standard error.
        home: The isolated project folder (``HOTLINE_HOME``) the command ran in.
        work: The folder the attack built its inputs in.
    """

    status: int
    stdout: str
    stderr: str
    home: Path
    work: Path

    def manifest(self, out: str | Path) -> dict:
        """The manifest.json of a dataset folder (relative to the work folder)."""
        return json.loads((self.work / out / "manifest.json").read_text(encoding="utf-8"))


Build = Callable[[Path], Sequence[str]]
Check = Callable[[Outcome], None]


@dataclass(frozen=True)
class Attack:
    """One hostile input and what the command must do with it.

    Attributes:
        id: Short name, shown by pytest.
        build: Makes the inputs in the given work folder; returns the arguments after
            ``hotline`` (paths relative to the work folder, or absolute).
        status: The exit status expected.
        message: A regular expression the one-line error (exit 2) or the output must match.
        check: More assertions on the outcome.
        watch: Folders (relative to the work folder) that must not change when the status is
            2, besides the project's ``data`` folder and every ``--out``.
        env: Extra environment variables.
    """

    id: str
    build: Build
    status: int
    message: str | None = None
    check: Check | None = None
    watch: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)


def _cap_memory() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_hotline(
    args: Sequence[str], *, work: Path, home: Path, env: dict[str, str] | None = None
) -> Outcome:
    """Run ``hotline ARGS`` in a child process with the work folder as current directory."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    environment.update(
        {
            "HOTLINE_HOME": str(home),
            "HOTLINE_PII_KEY": "test-key-not-secret-0123456789",
            "PYTHONHASHSEED": "0",
            **(env or {}),  # an attack may override these ("" unsets one)
        }
    )
    environment = {k: v for k, v in environment.items() if v != ""}
    completed = subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        preexec_fn=_cap_memory,
        check=False,
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr, home, work)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) -> SHA-256 of its bytes; folders as ``/``."""
    found: dict[str, str] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_dir():
            found[key + "/"] = ""
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _outs(args: Sequence[str]) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == "--out"]


def run_attack(attack: Attack, tmp: Path) -> Outcome:
    """Build, run and check one attack; return the outcome for further checks."""
    work, home = tmp / "work", tmp / "project"
    work.mkdir(parents=True, exist_ok=True)
    (home / "data" / "raw").mkdir(parents=True, exist_ok=True)
    args = list(attack.build(work))
    watched = [home / "data", *(work / o for o in _outs(args)), *(work / w for w in attack.watch)]
    before = {str(w): snapshot(w) for w in watched}
    outcome = run_hotline(args, work=work, home=home, env=attack.env)
    said = outcome.stdout + outcome.stderr
    for sign in _CRASH_SIGNS:
        assert sign not in said, f"{attack.id}: {sign!r} reached the terminal:\n{said[-3000:]}"
    assert outcome.status in (0, 1, 2), f"{attack.id}: exit {outcome.status}\n{said[-3000:]}"
    assert outcome.status == attack.status, (
        f"{attack.id}: exit {outcome.status}, expected {attack.status}\n{said[-3000:]}"
    )
    if outcome.status == 2:
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("hotline: error: "), outcome.stderr
        for folder in watched:
            assert snapshot(folder) == before[str(folder)], f"{attack.id}: {folder} changed"
    if attack.message is not None:
        text = outcome.stderr if outcome.status == 2 else outcome.stdout
        assert re.search(attack.message, text), f"{attack.id}: {attack.message!r} not in {text!r}"
    if outcome.status == 0 and args and args[0] == "ingest":
        out = _outs(args)[-1] if _outs(args) else home / "data" / "processed"
        manifest = json.loads((work / out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["totals"]["balanced"], manifest["totals"]
    if attack.check is not None:
        attack.check(outcome)
    return outcome
