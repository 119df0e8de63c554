"""The GIFT and plain-text detectors judge a large file by its first 64 KiB of whole lines: what
they accept there they accept in any file that begins so, and a line cut at the limit is never
judged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from packager.readers import gift, text
from packager.readers.sniff import whole_lines

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"
FILLER = ("Lorem ipsum dolor sit amet, plain words with nothing of either format.\n" * 2000).encode()


@pytest.mark.parametrize(
    ("detect", "folder"), [(gift.detect, "gift"), (text.detect, "text")], ids=["gift", "text"]
)
def test_fixtures_are_still_detected_at_the_head_of_a_large_file(
    detect: Callable[[bytes], bool], folder: str
) -> None:
    fixtures = sorted(p for p in (INPUTS / folder).iterdir() if p.is_file())
    assert fixtures
    for path in fixtures:
        data = path.read_bytes()
        if detect(data):
            assert detect(data + b"\n" + FILLER), path.name


def test_whole_lines() -> None:
    assert whole_lines(b"short", 4) == b"short"  # no line break: all of it
    assert whole_lines(b"ab\ncd\nef", 7) == b"ab\ncd\n"
    assert whole_lines(b"ab\ncd\nef", 100) == b"ab\ncd\nef"


def test_a_line_cut_at_the_limit_is_not_judged() -> None:
    # Cut at 64 KiB, the last line would be "1. " + an option and a key: a numbered question.
    size = 64 * 1024
    data = b"x" * (size - 3) + b"\n1.5 million people\n"
    assert data[:size].endswith(b"\n1.")
    assert whole_lines(data, size) == b"x" * (size - 3) + b"\n"
