"""Layouts and messages of text sweeps 6 and 7's real quiz files that the reader told badly
or read wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source

QUIZ = ("### Question 1\n\nWhat is 2+3?\n\nA) 5\nB) 6\n\n**Answer: A** - it adds up.\n\n---\n\n"
        "{tail}\n")


def _hints(body: str, tmp_path: Path) -> list[tuple[int | None, str, str | None]]:
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    return [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error]


def test_a_closing_tip_after_the_last_rule_is_told_how_to_keep_it(tmp_path: Path) -> None:
    """A closing note after the last rule (the Bedrock practice set's exam tip) is read as a
    question without options; the hint told only how to write options."""
    [(line, message, hint)] = _hints(QUIZ.format(
        tail="**Exam Tip**: lower temperature makes output more deterministic."), tmp_path)
    assert (line, message) == (12, "this question has no options")
    assert hint is not None and "a section that asks nothing is left out" in hint
    # Under a heading of its own, as the hint says, it is left out.
    result = text.read_result(Source("quiz.md", QUIZ.format(
        tail="## Notes\n\n**Exam Tip**: lower it.").encode(), tmp_path))
    assert result.bank is not None and len(result.bank.questions) == 1


@pytest.mark.parametrize("tail", [
    "### Question 2\n\nWhat is 2+2?",
    "### Question 2\n\nWhich sum is 4?\n\nExplain it.",
])
def test_a_question_without_options_is_told_only_how_to_write_them(
        tail: str, tmp_path: Path) -> None:
    [(_, message, hint)] = _hints(QUIZ.format(tail=tail), tmp_path)
    assert message == "this question has no options"
    assert hint == "write each option on its own line starting with '- ', 'A) ' or 'a. '"


def test_a_summary_after_the_quiz_is_told_it_may_be_no_question(tmp_path: Path) -> None:
    """`## Summary` over `Today you learned:` and bullets (the MLOps mastery check) is read as
    a question without its key; the hint told only how to write a key."""
    [(line, message, hint)] = _hints(QUIZ.format(
        tail="## Summary\n\nToday you learned:\n* **Addition** of small numbers."), tmp_path)
    assert (line, message) == (12, "no key: nothing says which option is correct")
    assert hint is not None and hint.endswith(
        "; if it is no question (a summary after the quiz), delete it")


@pytest.mark.parametrize("tail", [
    "### Question 2\n\nPick the sum of 2 and 2:\n\n- 4\n- 5",
    "## Sums\n\nWhich sum is 4?\n\n- 2+2\n- 2+3",
])
def test_a_question_without_its_key_is_told_only_how_to_write_one(
        tail: str, tmp_path: Path) -> None:
    [(_, message, hint)] = _hints(QUIZ.format(tail=tail), tmp_path)
    assert message == "no key: nothing says which option is correct"
    assert hint == "add a line 'Answer: B', or start the explanation with 'The correct answer is …'"
