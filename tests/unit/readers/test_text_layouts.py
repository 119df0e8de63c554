"""Layouts left unsupported by the text sweeps, read now where they can be read without a
guess, and told how to write where they cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions


@pytest.mark.parametrize(("summary", "right"), [
    ("<SUMMARY>Answer</SUMMARY>", "a static method"),
    ("<Summary>Answer</Summary>", "a static method"),
    # A long s folds to `s` in a pattern's Unicode case, but not in `str.lower`: no summary.
    ("<\u017fummary>Answer</\u017fummary>", None),
])
def test_a_folds_summary_is_found_in_any_ascii_case(summary: str, right: str | None,
                                                    tmp_path: Path) -> None:
    body = ("**Q1.** Which is it?\n\na) an instance method\nb) a static method\n\n"
            f"<details>{summary}\n\nb) It belongs to the class.\n</details>\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    if right is None:
        assert result.bank is None
    else:
        assert keys(read_questions(body, tmp_path)) == [[right]]
