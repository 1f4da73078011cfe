"""Sizes as people write them: every text gives a size or a one-line error, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotline.cli import main
from hotline.errors import HotlineError
from hotline.sizes import parse_size

#: (text, bytes) for sizes people write.
SIZES = [("512M", 512 << 20), ("2G", 2 << 30), ("1,000", 1000), ("1.5K", 1536), ("3 GiB", 3 << 30)]


@pytest.mark.parametrize(("text", "size"), SIZES, ids=[t for t, _ in SIZES])
def test_a_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@given(st.text(max_size=12) | st.from_regex(r"[0-9]{300,400}[KMGT]?", fullmatch=True))
def test_any_text_is_a_size_or_a_hotline_error(text: str) -> None:
    message, size = "", 1
    try:
        size = parse_size(text)
    except HotlineError as error:
        message = str(error)
    assert size > 0
    assert "\n" not in message


def test_a_huge_memory_limit_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "missing.csv", "--memory-limit", "9" * 400]) == 2
    assert capsys.readouterr().err.startswith("hotline: error: --memory-limit: ")
