"""The allocator a command chooses: keep memory for speed unless the ingest will stream."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hotline import allocator


@pytest.mark.parametrize(
    ("name", "size", "limit", "streams"),
    [
        ("year.csv", 100 << 20, 2 << 30, False),  # 350 MB converted: fits
        ("year.csv", 700 << 20, 2 << 30, True),  # 2.4 GB converted: streams
        ("year.xlsx", 100 << 20, 2 << 30, False),  # 1 GB converted
        ("year.xlsx", 300 << 20, 2 << 30, True),  # compressed: 3 GB converted
        ("year.csv", 100 << 20, 256 << 20, True),  # a low limit streams a small file
    ],
)
def test_an_ingest_streams_when_its_converted_size_passes_the_limit(
    tmp_path: Path, name: str, size: int, limit: int, streams: bool
) -> None:
    path = tmp_path / name
    with path.open("wb") as file:
        file.truncate(size)  # sparse: no disk used
    assert allocator.likely_streams([tmp_path], limit) is streams
    assert allocator.settings_for(streams=streams) == ({} if streams else allocator.KEEP_MEMORY)


def test_hidden_and_missing_files_count_nothing(tmp_path: Path) -> None:
    (tmp_path / ".big.csv").write_bytes(b"x" * 1000)
    assert allocator.converted_bytes([tmp_path, tmp_path / "missing.csv"]) == 0


def _settings_seen(tmp_path: Path, env: dict[str, str], size: int) -> str:
    """The MIMALLOC settings in force when ``hotline ingest`` of a ``size``-byte CSV starts."""
    export = tmp_path / "export.csv"
    with export.open("wb") as file:
        file.truncate(size)
    # A stand-in for the ingestion package reports the settings as the command imports it
    # (the real one would load pyarrow, after which no setting takes effect).
    probe = (
        "import os, sys, types\n"
        "stand_in = types.ModuleType('hotline.ingestion')\n"
        "def report(name):\n"
        "    print({k: v for k, v in os.environ.items() if k.startswith('MIMALLOC')})\n"
        "    raise SystemExit(0)\n"
        "stand_in.__getattr__ = report\n"
        "sys.modules['hotline.ingestion'] = stand_in\n"
        "from hotline import cli\n"
        f"cli.main(['ingest', {str(export)!r}, '--out', {str(tmp_path / 'out')!r}])\n"
        "print('pyarrow' in sys.modules)\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC")}
    done = subprocess.run(
        [sys.executable, "-c", probe], env={**clean, **env}, capture_output=True, text=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize(("size", "expected"), [(1000, allocator.KEEP_MEMORY), (1 << 30, {})])
def test_the_command_keeps_memory_for_a_small_ingest_and_gives_it_back_for_a_large(
    tmp_path: Path, size: int, expected: dict[str, str]
) -> None:
    assert _settings_seen(tmp_path, {}, size) == str(expected)


def test_a_setting_the_user_made_is_never_changed(tmp_path: Path) -> None:
    mine = {"MIMALLOC_PURGE_DELAY": "-1"}
    assert _settings_seen(tmp_path, mine, 1 << 30) == str(mine)
