"""Options that start on the question's own line, after its question mark or colon (a PDF's
text, a compact worksheet): `1. What is the capital of France? A) Paris B) Lyon C) Nice`.
Refused before with "this question has no options"."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions


@pytest.mark.parametrize("body", [
    "1. What is the capital of France? A) Paris B) Lyon C) Nice D) Lille\nAnswer: A\n",
    "1. What is the capital of France?A) Paris B) Lyon C) Nice D) Lille\nAnswer: A\n",
    "1. What is the capital of France? (a) Paris (b) Lyon (c) Nice (d) Lille\nAnswer: (a)\n",
    "1. Name the capital of France: a. Paris b. Lyon c. Nice d. Lille\nAnswer: a\n",
    # the first options on the question's line, the rest below it, two a line
    "1. What is the capital of France? A) Paris B) Lyon\nC) Nice D) Lille\nAnswer: A\n",
    # only the first glued to the question, the rest one to a line
    "1. What is the capital of France?A) Paris\nB) Lyon\nC) Nice\nD) Lille\nAnswer: A\n",
])
def test_options_on_the_question_line_are_read(body: str, tmp_path: Path) -> None:
    [question] = read_questions(body, tmp_path)
    assert question["prompt"].startswith(("What is the capital of France?",
                                          "Name the capital of France:"))
    assert question["prompt"].rstrip("?:").endswith("France")
    assert [c["text"] for c in question["choices"]] == ["Paris", "Lyon", "Nice", "Lille"]
    assert keys([question]) == [["Paris"]]


@pytest.mark.parametrize(("body", "choices", "stem"), [
    # letters in the question's own text, its options below as bullets
    ("1. Which is right: (a) or (b)?\n- Above\n- Below\nAnswer: Below\n",
     ["Above", "Below"], (None, "Which is right: (a) or (b)?")),
    # a scenario's note in letters over lettered options of another style
    ("1. Note: a. first b. second. Which one?\nA) First\nB) Second\nAnswer: B\n",
     ["First", "Second"], ("Note: a. first b. second.", "Which one?")),
])
def test_letters_in_the_question_text_stay_its_text(
        body: str, choices: list[str], stem: tuple[str | None, str], tmp_path: Path) -> None:
    [question] = read_questions(body, tmp_path)
    assert [c["text"] for c in question["choices"]] == choices
    assert (question.get("scenario"), question["prompt"]) == stem


def test_one_letter_after_the_question_is_no_list_of_options(tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.md", b"1. What comes first? A) is.\nAnswer: A\n",
                                     tmp_path))
    assert result.bank is None
    assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [
        (1, "this question has no options")]
