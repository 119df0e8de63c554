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


@pytest.mark.parametrize(("body", "prompt", "choices"), [
    ("1. Quelle est la capitale de la France ? A) Paris B) Lyon C) Marseille\nAnswer: A\n",
     "Quelle est la capitale de la France ?", ["Paris", "Lyon", "Marseille"]),
    ("1. Which city is the capital of the U.S.? A) New York B) Washington, D.C. C) Los "
     "Angeles\nAnswer: A\n", "Which city is the capital of the U.S.?",
     ["New York", "Washington, D.C.", "Los Angeles"]),
    ("1. Which reply is the most polite? A) Could you help me? B) Help me! C) You help me?\n"
     "Answer: A\n", "Which reply is the most polite?",
     ["Could you help me?", "Help me!", "You help me?"]),
])
def test_options_that_end_a_sentence_of_their_own(
        body: str, prompt: str, choices: list[str], tmp_path: Path) -> None:
    [question] = read_questions(body, tmp_path)
    assert question["prompt"] == prompt
    assert [c["text"] for c in question["choices"]] == choices
    assert keys([question]) == [[choices[0]]]


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
    # what runs on after the last option on the line (review 29): a marks note, a blank, a
    # clause, a label, a numbered list, an instruction; a tick between options; parts of a task
    ("1. Which gas do plants take in? A) oxygen B) carbon dioxide C) nitrogen (1 mark)\n"
     "Answer: B\n", 1, "this question has no options"),
    ("1. Which unit measures pressure? A. newton B. joule C. watt D. pascal [1]\nAnswer: D\n",
     1, "this question has no options"),
    ("1. Which is the odd one out? A) cat B) dog C) car Explain: one is not an animal\n"
     "Answer: C\n", 1, "this question has no options"),
    ("1. Which is a fraction? a) 3 b) 0 c) 3/4; show your working\nAnswer: c\n", 1,
     "this question has no options"),
    ("1. Which is the odd one out? A) cat B) dog C) car — give a reason\nAnswer: C\n", 1,
     "this question has no options"),
    ("1. Which word fits? A) sad B) angry C) happy ________\nAnswer: C\n", 1,
     "this question has no options"),
    ("1. Which word fits? A) sad B) angry C) happy Circle one.\nAnswer: C\n", 1,
     "this question has no options"),
    ("1. Match the countries? a) France b) Spain c) Italy 1) Madrid 2) Rome 3) Paris\n"
     "Answer: a\n", 1, "this question has no options"),
    ("1. What is 5 × 6? A) 11 ✅ B) 30 C) 56\n", 1, "this question has no options"),
    ("1. What is the poem about? a) Describe the speaker's mood b) Explain the last line\n"
     "Answer: a\n", 1, "this question has no options"),
    # questions without numbers are told apart by their option lines: these have none, and
    # the later ones would be the first one's explanation (review 29)
    ("Which gas do we breathe out? A) oxygen B) carbon dioxide\nAnswer: B\n\n"
     "Which organ pumps blood? A) lungs B) heart\nKey: B\n", 1,
     "this question has no options"),
    # a row of options under the first: not one option a line
    ("1. What is the capital of France? A) Paris\nB) Lyon C) Nice\nAnswer: A\n", 2,
     "option B is out of order"),
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
