"""Hostile and accidental inputs, each run through the ``hotline`` command in its own process.

One table row per attack of issue #11 and the family it stands for; the cases are in
``tests/hostile/*_cases.py`` and the checks every attack must pass in ``tests/hostile``.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import hostile
from hostile import Attack, run_attack

CASES: list[Attack] = [
    case
    for module in sorted(m.name for m in pkgutil.iter_modules(hostile.__path__))
    if module.endswith("_cases")
    for case in importlib.import_module(f"hostile.{module}").CASES
]


def test_case_names_are_unique() -> None:
    names = [case.id for case in CASES]
    assert len(names) == len(set(names)) and names


@pytest.mark.parametrize("attack", CASES, ids=lambda case: case.id)
def test_attack(attack: Attack, tmp_path: Path) -> None:
    run_attack(attack, tmp_path)
