"""The plain-text reader: the seed document, and input/expected pairs in fixtures/inputs/text.

A pair is `<case>.txt` and `<case>.expected.json`: either `questions` (per question the type,
the key as option letters, and any of prompt, scenario, choices and explanation to compare) and
an optional bank `title`, or `errors` (line and a fragment of the message of each error).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from packager.errors import InputError
from packager.model import Bank
from packager.readers import text
from packager.readers.base import Source
from packager.writers.canonical import write
from tests.conftest import CONTENT, ROOT

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "inputs" / "text"
SEED = ROOT.parent / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"
NAMES = sorted(p.name.removesuffix(".txt") for p in CASES.glob("*.txt"))


def _read(data: bytes, name: str = "bank.txt") -> Bank:
    return text.read(Source(name, data, CASES)).bank


def _key(question: Any) -> list[str]:
    return [chr(ord("A") + i) for i, c in enumerate(question.choices) if c.correct]


def test_the_seed_reads_as_the_hand_made_bank() -> None:
    bank = _read(SEED.read_bytes(), SEED.name)
    expected = json.loads((CONTENT / "neon-broccoli.json").read_text())["questions"][0]
    (question,) = bank.questions
    got = question.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    for field in ("type", "scenario", "prompt", "explanation"):
        assert got[field] == expected[field], field
    assert [(c["text"], c.get("correct", False)) for c in got["choices"]] == [
        (c["text"], c.get("correct", False)) for c in expected["choices"]
    ]
    assert bank.id == "000_20f52c0d510a6e29"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_bank_id_from_a_name_with_accents_is_the_same_in_either_spelling(form: str) -> None:
    """Review 29 (reproducibility): `café.txt` was the bank `caf` spelled NFC and `cafe`
    spelled NFD, as macOS may write it: other package names and identifiers."""
    import unicodedata

    name = unicodedata.normalize(form, "Café résumé.txt")
    bank = _read(SEED.read_bytes(), name)
    assert (bank.id, bank.title) == ("cafe-resume", unicodedata.normalize("NFC", "Café résumé"))


@pytest.mark.parametrize(("name", "bank_id"), [
    ("😀 ✅.txt", "text-bank"), ("Κουίζ.md", "text-bank"), ("a" * 300 + ".txt", "a" * 64),
    ("--Quiz__1--.txt", "quiz__1"), ("CON.txt", "con")])
def test_a_bank_id_from_any_file_name_is_a_slug(name: str, bank_id: str) -> None:
    """A stranger's file name: nothing of it but a slug reaches the packages' names."""
    assert _read(SEED.read_bytes(), name).id == bank_id


def test_there_are_twenty_cases_or_more() -> None:
    assert len(NAMES) >= 20


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_case(name: str, newline: str) -> None:
    """Each line end (CR alone: classic Mac OS, and what some exports still write)."""
    source = (CASES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
    data = source.replace("\n", newline).encode("utf-8")
    if "errors" in expected:
        with pytest.raises(InputError) as caught:
            _read(data, f"{name}.txt")
        found = [(d.line, d.message) for d in caught.value.diagnostics]
        assert len(found) == len(expected["errors"]), found
        for (line, message), want in zip(found, expected["errors"], strict=True):
            assert line == want["line"] and want["message"] in message, found
        assert all(d.file == f"{name}.txt" and d.hint for d in caught.value.diagnostics)
        return
    bank = _read(data, f"{name}.txt")
    assert bank.title == expected.get("title", name)
    assert len(bank.questions) == len(expected["questions"])
    for question, want in zip(bank.questions, expected["questions"], strict=True):
        assert question.type == want["type"]
        assert _key(question) == want["key"]
        for field in ("title", "prompt", "scenario", "explanation"):
            if field in want:
                assert getattr(question, field) == want[field], field
        if "choices" in want:
            assert [c.text for c in question.choices] == want["choices"]


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("error-")])
def test_the_same_text_gives_the_same_bank_byte_for_byte(name: str) -> None:
    data = (CASES / f"{name}.txt").read_bytes()
    assert write(_read(data)) == write(_read(data))


def test_ids_are_slugs_of_the_text_and_repeats_get_a_suffix() -> None:
    one = "What is 1 + 1?\n- Two\n- Three\nAnswer: A\n"
    bank = _read(f"{one}\n{one}".encode())
    assert [q.id for q in bank.questions] == ["what-is-1-1", "what-is-1-1-2"]
    assert [c.id for c in bank.questions[0].choices] == ["two", "three"]


def test_choices_without_letters_or_digits_get_their_letter_as_id() -> None:
    bank = _read("Which sign means infinity?\n- ∞\n- ≈\nAnswer: A\n".encode())
    assert [c.id for c in bank.questions[0].choices] == ["a", "b"]


def test_a_letter_that_is_also_another_option_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        _read(b"Which letter comes first?\n- B\n- A\nAnswer: A\n")
    assert "both an option's letter and another option's text" in caught.value.diagnostics[0].message


def test_every_broken_question_is_reported_not_only_the_first() -> None:
    data = b"1. First?\n- x\n- y\n\n2. Second?\n- x\n- y\nAnswer: C\n"
    with pytest.raises(InputError) as caught:
        _read(data)
    assert [d.line for d in caught.value.diagnostics] == [1, 8]


def test_not_utf8_is_located() -> None:
    with pytest.raises(InputError) as caught:
        _read(b"What?\n- caf\xe9\n- tea\nAnswer: A\n")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E-ENCODING" and diagnostic.line == 2


def test_model_problems_carry_the_line_of_the_option() -> None:
    # A control character is a model error: it is located on the option's line.
    result = text.read_result(Source("b.txt", b"What?\n- a\x01b\n- c\nAnswer: B\n", CASES))
    assert result.bank is None
    assert [(d.line, d.pointer) for d in result.diagnostics] == [(2, "/questions/0/choices/0/text")]


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (SEED.read_text(encoding="utf-8"), True),
        ("1. What?\na) x\nb) y\nAnswer: a\n", True),
        ("1. What?\na) x\n*b) y\n", True),  # text2qti marks the key
        ("1. Which?\n[x] x\n[ ] y\n[X] z\n", True),
        ("1. Which?\n[ ] x\n[ ] y\n", False),  # a checklist, no key
        ("# Notes\n\n* one\n* two\n", False),  # a Markdown list
        ("::q1:: What is 2+2? {=4 ~3}\n", False),
        ('{"format": "packager.question-bank/1"}', False),
    ],
)
def test_looks_like(sample: str, expected: bool) -> None:
    assert text.looks_like(sample) is expected


def test_more_than_26_options_stop_at_the_27th_before_the_key_is_matched() -> None:
    options = "".join(f"- option number {i}\n" for i in range(30))
    with pytest.raises(InputError) as caught:
        _read(f"Situation: The team met. Which one?\n{options}Answer: A\n".encode())
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 28  # the 27th option's line
    assert "30 options, more than the 26 a question may have" in diagnostic.message
    assert diagnostic.hint


@pytest.mark.parametrize("first", [
    "Revenue: fell by 5 %. What do you cut first?\n- Travel\n- Hiring\nAnswer: A",
    "Situation: Revenue fell. What do you cut first?\n  - Travel\n  - Hiring\nAnswer: A",
    "Prompt: What do you cut first?\n  - Travel\n  - Hiring\nAnswer: A",
])
def test_a_ruled_file_that_starts_with_a_rule_is_not_front_matter(first: str) -> None:
    """Front matter is `key: value` lines only: a first question between rules, whatever its
    first line looks like, stays a question."""
    data = f"---\n{first}\n---\n1. Which?\n- x\n- y\nAnswer: B\n".encode()
    bank = _read(data)
    assert len(bank.questions) == 2
    assert [c.text for c in bank.questions[0].choices] == ["Travel", "Hiring"]
    assert bank.title == "bank"


def test_front_matter_without_a_title_leaves_the_title_line_or_file_name() -> None:
    data = b"---\ntags: [ops]\ntitle: >\n  folded\n---\nTitle: From the line\n\n1. Q?\n- x\n- y\nAnswer: A\n"
    assert _read(data).title == "From the line"
    assert _read(data.replace(b"Title: From the line\n", b"")).title == "bank"


def test_a_key_or_correct_line_inside_the_explanation_is_its_prose() -> None:
    """`Key:` and `Correct:` name the key before the explanation; inside it they are text."""
    data = (b"1. What first?\nA) Cancel\nB) Ask why\nAnswer: B\nExplanation: Two points.\n"
            b"Key: a cause you know is one you can fix.\nCorrect: ask before you act.\n")
    (question,) = _read(data).questions
    assert question.explanation == ("Two points.\nKey: a cause you know is one you can fix.\n"
                                    "Correct: ask before you act.")
    assert _key(question) == ["B"]


def test_a_key_restated_with_differences_is_noted_for_review() -> None:
    """"Never guess silently": a key read from a restatement with a typo is right by the
    reader's rules, and the import report lists it, with its line and the words that differ,
    for a reviewer to check; validate and export of the text file warn. A letter, a marked
    option and a restatement as written (case, quotes and a clause after it aside) do not."""
    typo = (CASES / "typo-in-restatement.txt").read_bytes()
    imported = text.read(Source("typo.txt", typo, CASES))
    (note,) = imported.notes
    assert (note.location.file, note.location.line, note.kind) == ("typo.txt", 5, "changed")
    assert note.question_id == imported.bank.questions[0].id
    assert note.message.startswith('the key is read as B ("your" for "you’re"): "The correct '
                                   'answer is Set goals that support your company’s')
    assert note.message.endswith("% alike): check it")
    (warning,) = text.read_result(Source("typo.txt", typo, CASES)).diagnostics
    assert (warning.code, warning.line, warning.is_error) == ("W-KEY-RESTATED", 5, False)
    assert warning.message == note.message.removesuffix(": check it")
    assert warning.hint is not None and "'Answer: B'" in warning.hint
    answer_line = (b"1. What first?\nA) Cancel the contract\nB) Ask the supplier why now\n"
                   b"Answer: Ask the suplier why\n")
    (note,) = text.read(Source("a.txt", answer_line, CASES)).notes
    assert note.location.line == 4
    assert note.message.startswith('the key is read as B ("suplier" for "supplier"; "now" left '
                                   'out): "Answer: Ask the suplier why" restates it')
    for exact in (b"Answer: B", b"Answer: ask the supplier why now, because it works",
                  b"Explanation: The correct answer is \"Ask the supplier why now\". Then act."):
        data = answer_line.replace(b"Answer: Ask the suplier why", exact)
        assert text.read(Source("a.txt", data, CASES)).notes == [], exact
        found = text.read_result(Source("a.txt", data, CASES)).diagnostics
        assert [d for d in found if d.code == "W-KEY-RESTATED"] == [], exact


def test_a_feedback_line_inside_the_explanation_is_its_prose() -> None:
    """`Feedback:` starts an explanation; inside one, a paragraph that starts `Feedback —` or
    `Feedback:` is its text (a second `Explanation:` is still two questions run together)."""
    data = (b"1. What first?\nA) Cancel\nB) Ask why\nAnswer: B\nExplanation: Two points.\n\n"
            b"Feedback \xe2\x80\x94 customers said so.\nFeedback: and so did staff.\n")
    (question,) = _read(data).questions
    assert question.explanation == ("Two points.\n\nFeedback \u2014 customers said so.\n"
                                    "Feedback: and so did staff.")


def test_several_keys_restated_with_differences_are_noted_by_letter() -> None:
    """Words are told for one restated option, which the restatement starts with; of several,
    where each is in the sentence is the matcher's, so the note names the letters."""
    data = (b"1. Which two?\n- Customer retention\n- Hours logged\n- Customer satisfaction\n"
            b"Explanation: The correct answers are customer retention and custommer "
            b"satisfaction. Both are outcomes.\n")
    (note,) = text.read(Source("a.txt", data, CASES)).notes
    assert note.message.startswith('the key is read as A and C: "The correct answers are')
    assert "restates them with differences" in note.message


def test_text_before_the_first_question_is_the_bank_description() -> None:
    """An introduction before the first numbered question was refused as a question without
    options; it is the bank's description (shown before the questions), said in the report."""
    data = (CASES / "key-line-rationale.txt").read_bytes()
    imported = text.read(Source("quiz.md", data, CASES))
    assert imported.bank.description == "Answer every question below; each is worth one point."
    (note,) = [n for n in imported.notes if "description" in n.message]
    assert (note.location.line, note.kind) == (1, "changed")
    # Text with an option or a key line of its own is a question, never a description.
    with pytest.raises(InputError):
        _read(b"Intro.\nAnswer: A\n\n1. What?\na) x\nb) y\nAnswer: a\n")


def test_an_image_under_the_question_sentence_is_part_of_the_prompt() -> None:
    """A figure shown under the question (AZ-204 practice tests: the question, then
    `![Question 14](images/question14.png)`) is what the question asks about: the prompt is
    the sentence and the figure, not the figure alone with the question as its scenario."""
    source = ("1. You run a shop. Which colour is shown?\n\n![Figure 1](images/a.png)\n\n"
              "a) Red\nb) Blue\nAnswer: a\n")
    bank = text.read_result(Source("bank.md", source.encode(), CASES)).bank
    assert bank is not None
    (question,) = bank.questions
    assert question.scenario == "You run a shop."
    assert question.prompt == "Which colour is shown?\n\n![Figure 1](images/a.png)"


def test_a_number_under_a_line_of_its_own_comes_off() -> None:
    """An exam bank whose questions each start with a category line, then the number
    (`✔ Domain 2 · Multiple choice`, a blank line, `2. Which …?`): the number is no part of
    the question's text."""
    source = ("✔ Domain 1 · Multiple choice\n\n1. Which is a planet?\n\nA. Mars\nB. The Moon\n\n"
              "Answer: A\n\n---\n\n✔ Domain 2 · Multiple choice\n\n2. Which is a star?\n\n"
              "A. The Sun\nB. Mars\n\nAnswer: A\n")
    bank = _read(source.encode())
    assert [(q.scenario, q.prompt) for q in bank.questions] == [
        (None, "Which is a planet?"), ("✔ Domain 2 · Multiple choice", "Which is a star?")]


def test_a_section_title_over_a_ruled_files_question_is_left_out() -> None:
    """`---`, `## Medium questions`, then `### Q6. …`: the heading titles a section, as it
    does between unruled questions, and is no part of the question."""
    source = ("### Q1. What is 2+3?\nA. 5\nB. 6\n\n**Correct Answer:** A\n\n---\n\n"
              "## Medium questions\n\n### Q2. What is 2+2?\nA. 4\nB. 5\n\n"
              "**Correct Answer:** A\n")
    bank = _read(source.encode(), "bank.md")
    assert [(q.scenario, q.prompt) for q in bank.questions] == [
        (None, "What is 2+3?"), (None, "What is 2+2?")]


def test_a_section_after_the_last_question_is_left_out_with_a_warning() -> None:
    """A quiz page's trailer (`## Quiz Statistics`, a list of figures) asks nothing and names
    no key: no question, so it is left out, and the reviewer is told."""
    data = (CASES / "mkdocs-textbook-quiz.txt").read_bytes()
    result = text.read_result(Source("quiz.md", data, CASES))
    assert result.bank is not None and len(result.bank.questions) == 2
    (warning,) = [d for d in result.diagnostics if d.code == "W-TEXT-LEFT-OUT"]
    assert warning.line == 36 and '"## Quiz Statistics"' in warning.message


@pytest.mark.parametrize(("source", "line", "message"), [
    # A page break's rule inside question 1's explanation: its end leads question 2.
    ("1. What is 2+3?\n- A. 5\n- B. 6\n\nAnswer: A\n\nExplanation: Two plus three\n\n---\n\n"
     "is five.\n\n# 2. What is 2+2?\n- A. 4\n- B. 5\n\nAnswer: A\n", 11,
     "the text before question 2's number (line 13) is read as its scenario: \"is five.\""),
    # A page break's rule between question 2's number and its options.
    ("1. What is 2+3?\n- A. 5\n- B. 6\n\nAnswer: A\n\nExplanation: Five.\n\n2. What is 2+2?\n\n"
     "Page footer\n\n---\n\nPage header\n\n- A. 4\n- B. 5\n\nAnswer: A\n", 9,
     "question 2's number and text are read as question 1's, and the lines after the rule as "
     "question 2: \"Page header\""),
    # A section title over a number cuts nothing: it is left out.
    ("### Q1. What is 2+3?\nA. 5\nB. 6\n\n**Correct Answer:** A\n\n---\n\n"
     "## Medium questions\n\n### Q2. What is 2+2?\nA. 4\nB. 5\n\n**Correct Answer:** A\n",
     None, None),
])
def test_a_rule_that_cuts_a_question_from_its_number_is_told(
        source: str, line: int | None, message: str | None) -> None:
    """PDF-to-text dumps rule every page break: text after a rule inside a question goes to
    the next one, which the reviewer is told to check."""
    result = text.read_result(Source("dump.md", source.encode(), CASES))
    assert result.bank is not None
    found = [(d.line, d.message) for d in result.diagnostics if d.code == "W-TEXT-SPLIT"]
    assert found == ([] if message is None else [(line, message)])



@pytest.mark.parametrize(("trailer", "left_out"), [
    ("## Summary\n\n**Current Progress:** 10/50 questions  \n**Source:** ExamTopics\n", True),
    # Text of its own over a list: a question's text as likely as not; its missing key says so.
    ("## Summary\n\nReview the unit if you scored below 50%.\n- Unit 1\n- Unit 2\n", False),
    ("## Rivers\n\nName the longest river.\na) Volga\nb) Rhine\n", False),
])
def test_only_a_trailer_that_can_be_no_question_is_left_out(trailer: str, left_out: bool) -> None:
    source = f"1. What is 2+3?\na) 4\nb) 5\nAnswer: b\n\n---\n\n{trailer}"
    result = text.read_result(Source("quiz.md", source.encode(), CASES))
    codes = [d.code for d in result.diagnostics]
    assert ("W-TEXT-LEFT-OUT" in codes) == left_out, codes
    assert (result.bank is not None) == left_out


_HEADING_BLOCKS = ("### Question 1\nWhat is 2+3?\n\n*   A) 4\n*   B) 5\n{rule}### Answer Key\n"
                   "*   **Correct Option:** **B**\n{rule}### Explanation\nTwo and three.\n{rule}"
                   "### Distractor Analysis\n*   **Why the others are wrong:**\n    4 is short.\n")


@pytest.mark.parametrize("rule", ["\n---\n\n", "\n\n", ""])
def test_key_and_explanation_heading_blocks_are_the_questions(rule: str) -> None:
    """A course generator's `### Answer Key` and `### Explanation` blocks after the options,
    between rules, blank lines or neither, are the question's key and explanation; the
    `### Distractor Analysis` after them goes on with the explanation."""
    (question,) = _read(_HEADING_BLOCKS.format(rule=rule).encode(), "quiz.md").questions
    assert _key(question) == ["B"]
    assert question.explanation == ("Two and three.\n### Distractor Analysis\n"
                                    "*   **Why the others are wrong:**\n    4 is short.")


def test_a_heading_block_that_asks_after_the_explanation_is_the_next_question() -> None:
    source = ("### Question 1\nWhat?\n- a\n- b\n### Answer\nAnswer: A\n### Explanation\nx\n\n"
              "### Then\nWhich one?\n- c\n- d\n\nAnswer: B\n")
    first, second = _read(source.encode(), "quiz.md").questions
    assert first.explanation == "x" and _key(first) == ["A"] and _key(second) == ["B"]
    assert "Which one?" in second.prompt



@pytest.mark.parametrize("body", [
    "1. What is the capital of France? A) Paris B) Lyon C) Nice\nAnswer: A\n",
    "1. What is the capital of France?(a) Paris (b) Lyon\nAnswer: (a)\n",
    "Situation: A trip.\nName the capital of France: a. Paris b. Lyon\nAnswer: a\n",
])
def test_options_on_the_question_line_are_refused_saying_where_they_are(body: str) -> None:
    """Reading them was tried twice and taken back (reviews 28 and 29: text after the last
    option, grids, questions swallowed, all silent); the refusal says where the options are."""
    with pytest.raises(InputError) as caught:
        _read(body.encode(), "quiz.md")
    [error] = [d for d in caught.value.diagnostics if d.is_error]
    assert error.message == "this question has no options"
    assert error.hint is not None and error.hint.startswith(
        "the options look to be on the question's line (line ")
