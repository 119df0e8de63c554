"""Layouts of text sweep 4's real quiz files (AI-written quizzes, pandoc exports, course
quizzes): each was a silent misread or a refusal of a key the line names plainly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.errors import InputError
from packager.readers import text
from packager.readers.base import Source


def _read(body: str, tmp_path: Path, name: str = "quiz.md") -> list[dict[str, Any]]:
    bank = text.read(Source(name, body.encode(), tmp_path)).bank
    return [q.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for q in bank.questions]


def _keys(questions: list[dict[str, Any]]) -> list[list[str]]:
    return [[c["text"] for c in q["choices"] if c.get("correct")] for q in questions]


ARITHMETIC = ("1. What is 2+3?\nA) 5\nB) 6\n\n{one}\n\n"
              "2. What is 2+2?\nA) 5\nB) 4\n\n{two}\n")


@pytest.mark.parametrize(("one", "two", "explanations"), [
    # a key line set in bold as a whole (every hit of `**Answer: B**` was a quiz file)
    ("**Answer: A**", "**Answer: B**", [None, None]),
    ("**Correct Answer: A**", "__Answer: b__", [None, None]),
    # ... with its rationale after the bold (S3: the explanation began with `** `)
    ("**Answer: A.** Two plus three is five.", "**Answer: B.** Two plus two is four.",
     ["Two plus three is five.", "Two plus two is four."]),
    ("**Answer: A** — two and three make five.", "**Answer: B**",
     ["two and three make five.", None]),
    # an explanation label after the key on its line (S4: the label stayed in the text)
    ("Answer: A. Explanation: Two plus three is five.",
     "**Answer:** B. **Explanation:** Two plus two is four.",
     ["Two plus three is five.", "Two plus two is four."]),
    # AI-written quizzes' emoji before the labels
    ("✅ **Correct Answer:** A\n💡 **Explanation:** Two plus three is five.",
     "**✔ Correct Answer: B**\n💡 **Explanation:** Two plus two is four.",
     ["Two plus three is five.", "Two plus two is four."]),
])
def test_key_lines_as_quizzes_write_them(
        one: str, two: str, explanations: list[str | None], tmp_path: Path) -> None:
    questions = _read(ARITHMETIC.format(one=one, two=two), tmp_path)
    assert _keys(questions) == [["5"], ["4"]]
    assert [q.get("explanation") for q in questions] == explanations


def test_a_letter_with_a_note_in_brackets_names_its_option(tmp_path: Path) -> None:
    questions = _read("1. What is 2+3?\nA) 6\nB) 4\nC) 5\n\nAnswer: C (two plus three)\n",
                      tmp_path)
    assert _keys(questions) == [["5"]]
    assert questions[0]["explanation"] == "(two plus three)"


def test_a_question_in_bold_with_its_number_is_a_question(tmp_path: Path) -> None:
    # S1: in a ruled file two such questions in one block were one, the first's options the
    # second's scenario; elsewhere the label stayed in the prompt and headings in the scenario
    body = ("# Quiz\n\n**Q1. What is 2+3?**\n- [ ] 6\n- [x] 5\n\n"
            "**Q2. What is 2+2?**\n- [x] 4\n- [ ] 5\n\n---\n\n"
            "**Q3. What is 1+1?**\n- [x] 2\n- [ ] 3\n")
    questions = _read(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 2+3?", "What is 2+2?", "What is 1+1?"]
    assert _keys(questions) == [["5"], ["4"], ["2"]]
    assert all("scenario" not in q for q in questions)


def test_section_headings_over_a_bold_numbered_question_are_left_out(tmp_path: Path) -> None:
    body = ("# Quiz\n\n## Part 1\n\n### Sums\n\n**1. What is 2+3?**\n- A) 5\n- B) 6\n\n"
            "**Answer:** A\n\n---\n\n### Differences\n\n**2. What is 5-3?**\n- A) 2\n- B) 3\n\n"
            "**Answer:** A\n")
    questions = _read(body, tmp_path)
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [
        (None, "What is 2+3?"), (None, "What is 5-3?")]


def test_a_bold_numbered_line_inside_a_question_stays_its_text(tmp_path: Path) -> None:
    body = "1. Read the steps.\n\n**2. Then do this.**\n\nWhat comes next?\nA) 5\nB) 6\n\nAnswer: A\n"
    with pytest.raises(InputError):  # as `2. Then do this.` is: a question without options
        _read(body, tmp_path)


@pytest.mark.parametrize("label", ["**Explanation:**", "Explanation:"])
def test_a_label_alone_on_its_line_owns_the_paragraph_under_it(label: str, tmp_path: Path) -> None:
    # S2: in a file of unnumbered questions the paragraph became the next question's scenario
    body = (f"**What is 2+3?**\n\n- [ ] 6\n- [x] 5\n\n{label}\n\nTwo plus three is five.\n\n\n"
            "**What is 2+2?**\n\n- [x] 4\n- [ ] 5\n\nExplanation:\nTwo plus two is four.\n")
    questions = _read(body, tmp_path)
    assert [q.get("explanation") for q in questions] == [
        "Two plus three is five.", "Two plus two is four."]
    assert all("scenario" not in q for q in questions)


def test_an_answer_line_then_a_label_alone_owns_the_paragraph(tmp_path: Path) -> None:
    body = ("What is 2+3?\nA) 6\nB) 5\nAnswer: B\n\nExplanation:\n\nTwo plus three is five.\n\n"
            "What is 2+2?\nA) 4\nB) 5\nAnswer: A\n")
    questions = _read(body, tmp_path)
    assert [q.get("explanation") for q in questions] == ["Two plus three is five.", None]
    assert all("scenario" not in q for q in questions)


def test_a_heading_q_label_with_a_topic_is_the_questions_title(tmp_path: Path) -> None:
    # S5: `### Q1: Sums` stayed in the prompt
    body = ("# 07. Arithmetic - Quiz\n\n## Questions\n\n### Q1: Sums\nWhat is 2+3?\n- A) 5\n- B) 6\n\n"
            "**Answer:** A\n\n### Q2: Differences\nWhat is 5-3?\n- A) 2\n- B) 3\n\n"
            "**Answer:** A\n")
    questions = _read(body, tmp_path)
    assert [(q.get("title"), q.get("scenario"), q["prompt"]) for q in questions] == [
        ("Sums", None, "What is 2+3?"), ("Differences", None, "What is 5-3?")]


def test_options_lettered_in_bold_as_word_writes_them(tmp_path: Path) -> None:
    body = ("### Question 1\n\nWhat is 2+3?\n\n**A.** 5\n\n**B.** 6\n\n**Answer: A**\n\n"
            "### Question 2\n\nWhat is 2+2?\n\n**A.** 5\n\n**B.** 4\n\n**Answer: B**\n")
    questions = _read(body, tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [["5", "6"], ["5", "4"]]
    assert _keys(questions) == [["5"], ["4"]]


def test_a_note_signed_with_a_bulb_under_the_key_is_the_rationale(tmp_path: Path) -> None:
    body = ("1. What is 2+3?\n\n* [ ] 6\n* [ ] 5\n\n"
            "✅ **Correct Answer:** 5\n💡 Two plus three is five.\n")
    questions = _read(body, tmp_path)
    assert _keys(questions) == [["5"]]
    assert questions[0]["explanation"] == "Two plus three is five."


def test_an_answer_key_names_questions_labelled_by_number(tmp_path: Path) -> None:
    # R9: the key read only for questions numbered `1.`; `## Question 1` gave "no key"
    body = ("## Question 1\n\nWhat is 2+3?\n\na) 5\nb) 6\n\n## Question 2\n\nWhat is 2+2?\n\n"
            "a) 5\nb) 4\n\n**Answer key**\n\n1. a\n2. b\n")
    assert _keys(_read(body, tmp_path)) == [["5"], ["4"]]
