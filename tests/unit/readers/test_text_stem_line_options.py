"""Options that start on the question's own line, right after its question mark (a PDF's
text, a compact worksheet): `1. What is the capital of France? A) Paris B) Lyon C) Nice`.
Refused before with "this question has no options" (or "option B is out of order" where only
the first was on the line). Review 28's misreads of a looser rule stay refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions

FRANCE = ["Paris", "Lyon", "Nice", "Lille"]


@pytest.mark.parametrize("body", [
    "1. What is the capital of France? A) Paris B) Lyon C) Nice D) Lille\nAnswer: A\n",
    "1. What is the capital of France?A) Paris B) Lyon C) Nice D) Lille\nAnswer: A\n",
    "1. What is the capital of France? (a) Paris (b) Lyon (c) Nice (d) Lille\nAnswer: (a)\n",
    "1. What is the capital of France? a. Paris b. Lyon c. Nice d. Lille\r\nAnswer: a.\r\n",
    # the first option on the question's line, the others one to a line below it
    "1. What is the capital of France?A) Paris\nB) Lyon\nC) Nice\nD) Lille\nAnswer: A\n",
    "1. What is the capital of France? A) Paris\n\nB) Lyon\nC) Nice\nD) Lille\nAnswer: A\n",
])
def test_options_on_the_question_line_are_read(body: str, tmp_path: Path) -> None:
    [question] = read_questions(body, tmp_path)
    assert "scenario" not in question
    assert question["prompt"] == "What is the capital of France?"
    assert [c["text"] for c in question["choices"]] == FRANCE
    assert keys([question]) == [["Paris"]]


def test_a_scenario_over_the_question_line_stays_the_scenario(tmp_path: Path) -> None:
    questions = read_questions(
        "1. A 54-year-old man presents with crushing chest pain.\n"
        "Which is the first action? A) Give aspirin\nB) Call the family\nAnswer: A\n\n"
        "2. Patient: A. B., aged 45, has a fever. What is the most likely diagnosis? "
        "a) pneumonia b) asthma\nAnswer: b\n", tmp_path)
    assert [(q["scenario"], q["prompt"]) for q in questions] == [
        ("A 54-year-old man presents with crushing chest pain.", "Which is the first action?"),
        ("Patient: A. B., aged 45, has a fever.", "What is the most likely diagnosis?")]
    assert keys(questions) == [["Give aspirin"], ["asthma"]]


def test_letters_in_the_question_before_its_question_mark_stay_its_text(
        tmp_path: Path) -> None:
    [question] = read_questions(
        "1. Which is right: (a) or (b)? (a) 2 + 2 = 4 (b) 2 + 2 = 5\nAnswer: (a)\n", tmp_path)
    assert question["prompt"] == "Which is right: (a) or (b)?"
    assert [c["text"] for c in question["choices"]] == ["2 + 2 = 4", "2 + 2 = 5"]
    assert keys([question]) == [["2 + 2 = 4"]]


def test_several_letters_key_a_multiple_response(tmp_path: Path) -> None:
    [question] = read_questions(
        "1. Which numbers are prime? A) 2 B) 3 C) 4\nAnswer: A and B\n", tmp_path)
    assert question["type"] == "multiple_response"
    assert keys([question]) == [["2", "3"]]


def test_the_other_questions_of_a_file_read_as_before(tmp_path: Path) -> None:
    questions = read_questions(
        "1. What is 2 + 2?\nA) 3\nB) 4\nAnswer: B\n\n"
        "2. What is the chemical symbol for gold? A) Au B) Ag C) Gd\nAnswer: A\n\n"
        "3. Which is a mammal?\n- Shark\n- Whale\nAnswer: B\n", tmp_path)
    assert [q["prompt"] for q in questions] == [
        "What is 2 + 2?", "What is the chemical symbol for gold?", "Which is a mammal?"]
    assert keys(questions) == [["4"], ["Au"], ["Whale"]]


@pytest.mark.parametrize(("body", "line", "message"), [
    # after a colon: the parts of a task, answered in words (review 28's m01, m02)
    ("1. Define the following terms: (a) osmosis (b) diffusion\nAnswer: (a) the movement "
     "of water across a membrane; (b) the net movement of particles\n", 1,
     "this question has no options"),
    ("1. A rectangle is 8 cm by 3 cm. Find: a) its area b) its perimeter\nAnswer: a\n", 1,
     "this question has no options"),
    # after a question mark, answered in words: the parts of a question (m23)
    ("1. Why do leaves change colour? a) Explain the role of chlorophyll. b) Explain the "
     "role of carotenoids.\nAnswer: a) chlorophyll breaks down b) carotenoids show\n", 1,
     "this question has no options"),
    # keyed by restating an option: a question's parts are answered so too
    ("1. What is the capital of France? A) Paris B) Lyon\nAnswer: Paris\n", 1,
     "this question has no options"),
    # the question's text going on after its options (m07, m06)
    ("1. Which word fits? (a) their (b) there (c) they're. ___ going to the park.\n"
     "Answer: (c)\n", 1, "this question has no options"),
    ("1. What happens to the mass? a. it decreases b. it increases c. it stays the same. "
     "Explain your answer.\nAnswer: a\n", 1, "this question has no options"),
    # a letter's text running into the next letter (m09)
    ("1. Which vitamin is made in the skin? A. Vitamin D. B. Vitamin C. C. Vitamin K.\n"
     "Answer: A\n", 1, "this question has no options"),
    # one letter alone is no list of options
    ("1. What comes first? A) is.\nAnswer: A\n", 1, "this question has no options"),
    # two on the question's line over the others: not one option then the rest in turn
    ("1. What is the capital of France? A) Paris B) Lyon\nC) Nice\nD) Lille\nAnswer: A\n", 2,
     "option C is out of order"),
    ("1. What is the capital of France? A) Paris\nB) Lyon\n- Nice\nAnswer: A\n", 2,
     "option B is out of order"),
])
def test_not_read_as_options_on_the_question_line(
        body: str, line: int, message: str, tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is None
    assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [(line, message)]


def test_bullet_options_under_the_question_read_as_before(tmp_path: Path) -> None:
    # review 28's m28: the last bullet's own list is its text, not the question's options
    [question] = read_questions(
        "1. Which gases are given off when water is electrolysed?\n- Oxygen only\n"
        "- Hydrogen only\n- Both: a) oxygen at the anode b) hydrogen at the cathode\n"
        "Answer: A\n", tmp_path)
    assert question["prompt"] == "Which gases are given off when water is electrolysed?"
    assert keys([question]) == [["Oxygen only"]]
    assert len(question["choices"]) == 3
