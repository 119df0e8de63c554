"""The text reader's quick tests before a pattern, in the passes over every line of a file,
agree with the pattern alone: the same match, or none, for every line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from packager.readers.text_grammar import FENCE, fence_of
from packager.readers.text_key import Line
from packager.readers.text_tables import quiz_tables

# What a fence, a table and the text around them are made of, white space of every kind.
_PIECES = ["`", "``", "```", "````", "~", "~~~", " ", "   ", "    ", "\t", "\u2003", "\xa0",
           "|", "| a | b |", "|---|---|", "-", "python", "x", "word", "\f", "\x0b"]
_lines = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@given(_lines)
def test_fence_of_is_the_fence_pattern(text: str) -> None:
    fast, slow = fence_of(text), FENCE.match(text)
    assert (fast and (fast.span(), fast.groupdict())) == (slow and (slow.span(), slow.groupdict()))


def _slow_quiz_tables(lines: list[Line]) -> list[Line]:
    """quiz_tables as it was, with the pattern asked of every line."""
    import packager.readers.text_tables as tables

    real = tables.fence_of
    tables.fence_of = FENCE.match  # type: ignore[assignment]
    try:
        return quiz_tables(lines)
    finally:
        tables.fence_of = real


_TABLE_LINES = ["| # | Question | A | B | Answer |", "|---|---|---|---|---|",
                "| 1 | Which is blue? | Sky | Grass | A |", "| 2 | 2+2? | 4 | 5 | A |",
                "```", "~~~", "    ```", "", "## Quiz", "Some text.", "---"]


@given(st.lists(st.sampled_from(_TABLE_LINES) | _lines, max_size=14))
def test_quiz_tables_reads_every_line_as_the_pattern_does(texts: list[str]) -> None:
    lines = [Line(n, text) for n, text in enumerate(texts, start=1)]
    assert quiz_tables(lines) == _slow_quiz_tables(lines)
