"""Layouts of text sweep 6's real quiz files (an ISTQB practice set, exam papers with points,
Spanish mock exams, course assessments): each was a silent misread or a refusal of a common
layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.readers import text
from packager.readers.base import Source


def _read(body: str, tmp_path: Path, name: str = "quiz.md") -> tuple[str, list[dict[str, Any]]]:
    bank = text.read(Source(name, body.encode(), tmp_path)).bank
    return bank.title, [q.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                        for q in bank.questions]


TWO = ("{one}\n\nWhat is 2+3?\n\nA. 5\nB. 6\n\n**Answer: A**\n\n"
       "{two}\n\nWhat is 2+2?\n\nA. 5\nB. 4\n\n**Answer: B**\n")


@pytest.mark.parametrize(("one", "two", "titles", "points"), [
    ("### Q1 (LO-2.1, K2)", "### Q2 (LO-2.2, K1)", ["LO-2.1, K2", "LO-2.2, K1"], [None, None]),
    ("Question 1 (2 points)", "Question 2 (1 point)", [None, None], [2, 1]),
    ("**Question 1 (2 points)**", "**Question 2 (3 pts)**", [None, None], [2, 3]),
    ("Question 1 [2 marks]", "Question 2 [2.5 marks]", [None, None], [2, 2.5]),
    ("### Question 1 (2 points)", "### Question 2 (2 points)", [None, None], [2, 2]),
    ("### Pregunta 1 (SQL)", "### Pregunta 2 (Python)", ["SQL", "Python"], [None, None]),
    ("## Question 1 (4 Punkte) - Sums", "## Question 2 (1 punto)", ["Sums", None], [4, 1]),
])
def test_a_note_in_brackets_after_the_number_is_no_text_of_the_question(
        one: str, two: str, titles: list[str | None], points: list[float | None],
        tmp_path: Path) -> None:
    """The label was not read: every scenario began with `Question 2 (2 points)`, and the
    first heading was the bank's title. Points in the note are the question's points; any
    other note is its title."""
    title, questions = _read(TWO.format(one=one, two=two), tmp_path)
    assert title == "quiz"
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [
        (None, "What is 2+3?"), (None, "What is 2+2?")]
    assert [q.get("title") for q in questions] == titles
    assert [q.get("points") for q in questions] == points
    assert [[c.get("correct", False) for c in q["choices"]] for q in questions] == [
        [True, False], [False, True]]


def test_a_note_after_a_label_with_the_question_on_its_line(tmp_path: Path) -> None:
    body = ("Question 1 (2 points) What is 2+3?\nA. 5\nB. 6\nAnswer: A\n\n"
            "Question 2 (Geometry): What is 2+2?\nA. 5\nB. 4\nAnswer: B\n")
    _, questions = _read(body, tmp_path)
    assert [(q["prompt"], q.get("points"), q.get("title")) for q in questions] == [
        ("What is 2+3?", 2, None), ("What is 2+2?", None, "Geometry")]


@pytest.mark.parametrize(("label", "prompt"), [
    # A part's letter: each part is a question of its own, as before notes were read.
    ("**Q1 (b)**", "**Q1 (b)**\nWhat is 2+2?"),
    ("**Q1(b)**", "**Q1(b)**\nWhat is 2+2?"),
    # What the learner must read stays the question's text.
    ("**Question 2 (Select all that apply):**",
     "**Question 2 (Select all that apply):**\nWhat is 2+2?"),
    ("Question 2 [see Figure 2]:", "[see Figure 2]: What is 2+2?"),
])
def test_a_note_that_is_no_points_or_title_stays_where_it_was(
        label: str, prompt: str, tmp_path: Path) -> None:
    """A part's letter as a note made parts (a) and (b) one number: part (b), its options
    and key went into (a)'s explanation (exit 0); instructions became a title no learner
    sees (review 25)."""
    body = ("**Q1 (a)**\nWhat is 2+3?\nA) 5\nB) 6\nAnswer: A\n\n"
            f"{label}" + ("\n" if label.endswith("**") else " ") + "What is 2+2?\n"
            "A) 5\nB) 4\nAnswer: A\n")
    _, questions = _read(body, tmp_path)
    assert len(questions) == 2
    assert questions[1]["prompt"] == prompt
    assert "title" not in questions[1]


def test_a_numbered_heading_with_a_name_in_brackets_starts_no_question(tmp_path: Path) -> None:
    """`## 2 (Lab)` is a section's heading (with a `Q`, `### Q2 (LO-2)`, a label): it went into
    the explanation before it (review 25)."""
    body = ("# Physics\n\n## 1 (Theory)\n\nQuestion 1: What is the unit of force?\nA) Newton\n"
            "B) Joule\nAnswer: A\nExplanation: Newtons.\n\n## 2 (Lab)\n\n"
            "Question 2: What measures current?\nA) Ammeter\nB) Voltmeter\nAnswer: A\n"
            "Explanation: An ammeter.\n")
    _, questions = _read(body, tmp_path)
    assert [q["explanation"] for q in questions] == ["Newtons.", "An ammeter."]


def test_prose_after_a_question_number_and_brackets_stays_prose(tmp_path: Path) -> None:
    """`Question 2 (the hard one) was …` in a scenario is a sentence, not a label."""
    body = ("Situation: Question 2 (the hard one) was skipped by most.\n"
            "Question 3 (see above) tells why.\n\nWhat should the teacher do?\n\n"
            "- Drop it\n- Explain it\n\nAnswer: B\n")
    _, questions = _read(body, tmp_path)
    assert len(questions) == 1
    assert questions[0]["scenario"] == ("Question 2 (the hard one) was skipped by most.\n"
                                        "Question 3 (see above) tells why.")


@pytest.mark.parametrize("heading", [
    "## Answers and Rationales", "## Answers and Explanations", "## Answer Key with Explanations",
    "## Respuestas", "## Gabarito", "## Antworten",
])
def test_an_answer_section_headed_as_practice_sets_head_it(heading: str, tmp_path: Path) -> None:
    """Only `Answer key`, `Answers` and `Key` were read: each question had no key, and the
    heading was read as a question with no options."""
    body = ("### Q1\n\nWhat is 2+3?\n\nA. 5\nB. 6\n\n### Q2\n\nWhat is 2+2?\n\nA. 5\nB. 4\n\n"
            f"---\n\n{heading}\n\n### Q1\n**Answer: A**\n**Rationale:** Two and three are "
            "five.\n\n### Q2\n**Answer: B**\n**Rationale:** Two and two are four.\n")
    _, questions = _read(body, tmp_path)
    assert [([c.get("correct", False) for c in q["choices"]], q["explanation"]) for q in questions] == [
        ([True, False], "Two and three are five."), ([False, True], "Two and two are four.")]


def test_worked_solutions_are_no_answer_key(tmp_path: Path) -> None:
    """`## Solutions`, then `1. A is tempting, … (B)`: read as key A (review 25)."""
    from packager.errors import InputError

    body = ("1. Which gas do plants absorb?\nA) Oxygen\nB) Carbon dioxide\n\n## Solutions\n\n"
            "1. A is tempting, since plants release oxygen, but they absorb carbon dioxide (B).\n")
    with pytest.raises(InputError):
        _read(body, tmp_path)


def test_an_answer_key_of_entries_under_a_spanish_heading(tmp_path: Path) -> None:
    body = ("1. What is 2+3?\na) 5\nb) 6\n\n2. What is 2+2?\na) 5\nb) 4\n\n"
            "Respuestas:\n1. a\n2. b\n")
    _, questions = _read(body, tmp_path)
    assert [[c.get("correct", False) for c in q["choices"]] for q in questions] == [
        [True, False], [False, True]]


COURSE = """# Assessment: Week 7

## Section 1: Networks

### Learning Objectives
- Understand the basic definition of neural networks.
- Identify the key components.

### Assessment Questions

**Question 1:** What is a neural network used for?

  A) Data entry
  B) Pattern recognition

**Correct Answer:** B
**Explanation:** Pattern recognition.

### Activities
- Draw a network of three layers.

### Discussion Questions
- How do networks compare with trees?

---

## Section 2: What is training?

### Learning Objectives
- Explain weights.

### Assessment Questions

**Question 1:** What adjusts during training?

  A) Weights
  B) Inputs

**Correct Answer:** A
**Explanation:** The weights.

#### Why not B
- Inputs are data.
"""


def test_a_course_pages_sections_around_labelled_questions_are_left_out(tmp_path: Path) -> None:
    """A course generator's assessment: the objectives' bullets were a question with no key,
    and the activities and discussion questions the last explanation's text (exit 0)."""
    bank = text.read(Source("week7.md", COURSE.encode(), tmp_path))
    questions = [q.model_dump(mode="json", exclude_none=True) for q in bank.bank.questions]
    assert [(q["prompt"], q["explanation"]) for q in questions] == [
        ("What is a neural network used for?", "Pattern recognition."),
        # A heading deeper than the one over the questions is the explanation's.
        ("What adjusts during training?", "The weights.\n\n#### Why not B\n- Inputs are data."),
    ]
    assert [(note.location.line, note.message) for note in bank.notes] == [
        (3, 'the section "## Section 1: Networks" is a heading over a list, beside the '
            "questions, with no options or key: it is left out"),
        (9, 'the title "### Assessment Questions" is left out: a bank holds no titles over its '
            "questions"),
        (19, 'the section "### Activities" is a heading over a list, beside the questions, '
             "with no options or key: it is left out"),
        (27, 'the section "## Section 2: What is training?" is a heading over a list, beside '
             "the questions, with no options or key: it is left out"),
        (32, 'the title "### Assessment Questions" is left out: a bank holds no titles over its '
             "questions"),
    ]


def test_a_heading_over_a_list_after_a_question_headed_so_is_its_own(tmp_path: Path) -> None:
    """`# References:` after `# Explanation:` under a question headed `# 1. Topic` is the
    explanation's, at the level of the question's own heading."""
    body = ("# Quiz\n\nTen questions.\n\n## Practice\n\n---\n\n# 1. Filtering\n\n1. A. Adjust it.\n2. B. Unmap it.\n\n"
            "Answer: A\n\n# Explanation:\n\nFiltering screens content.\n\n# References:\n\n"
            "- 1: Filtering\n\n---\n\n# 2. Cursor\n\nWhat closes it?\n\n1. A. Esc.\n"
            "2. B. Force Quit.\n\nAnswer: B\n")
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == (
        "Filtering screens content.\n\n# References:\n\n- 1: Filtering")


def test_a_labelled_question_without_its_key_is_still_an_error(tmp_path: Path) -> None:
    from packager.errors import InputError

    body = ("### Questions\n\n**Question 1:** What is 2+3?\n\n- 5\n- 6\n\n**Answer:** 5\n\n"
            "### Question 2\n\n- 4\n- 5\n")
    with pytest.raises(InputError):
        _read(body, tmp_path)


SIGNS = ("#### 5. What does `range(5, 0, -1)` give?\n\n- A. `0 1 2 3 4`\n- B. `5 4 3 2 1`\n"
         "- C. `-5 -4 -3 -2 -1`\n\n#### **Respuesta**:\n\n{key}\n\nIt counts down from 5.\n")


@pytest.mark.parametrize(("key", "correct"), [
    ("✅ B. `5 4 3 2 1`", [False, True, False]),
    ("✅ B", [False, True, False]),
    ("✅️ C) `-5 -4 -3 -2 -1`", [False, False, True]),
    ("`5 4 3 2 1`", [False, True, False]),
    ("✅ `-5 -4 -3 -2 -1`", [False, False, True]),
])
def test_a_ticked_key_under_its_label_is_read_by_its_letter(
        key: str, correct: list[bool], tmp_path: Path) -> None:
    """`✅ B. …` under a key label: the letter was ignored, and the text alone matched B and
    C equally (the words compared leave out signs); the error told the user to name the
    option by letter, which the line did. Where the options' words are the same, the one
    written exactly as the key is it."""
    _, (question,) = _read(SIGNS.format(key=key), tmp_path)
    assert [c.get("correct", False) for c in question["choices"]] == correct
    assert question["explanation"] == "It counts down from 5."


def test_a_ticked_letter_alone_over_the_options_code(tmp_path: Path) -> None:
    body = ("1. Which output?\n- A.\n\n```\n0 -> 2\n```\n\n- B. `SyntaxError`\n\n**Answer:**\n\n"
            "✅ A.\n\n```\n0 -> 2\n```\n\nenumerate() starts at 0.\n")
    _, (question,) = _read(body, tmp_path)
    assert [c.get("correct", False) for c in question["choices"]] == [True, False]


def test_an_html_comment_holds_nothing_of_the_bank(tmp_path: Path) -> None:
    """A draft question commented out was read as a question, refused for its `-->` line;
    no page shows a comment. One holding a question is told."""
    body = ("<!-- prettier-ignore -->\n1. What is 2+3?\nA) 5\nB) 6\nAnswer: A\n\n"
            "<!-- Draft, not ready yet:\n2. What is 2+2?\nA) 5\nB) 4\nAnswer: A\n-->\n\n"
            "```html\n<!-- kept: code -->\n```\n")
    bank = text.read(Source("quiz.md", body.encode(), tmp_path))
    (question,) = bank.bank.questions
    assert question.prompt == "What is 2+3?"
    assert question.explanation == "```html\n<!-- kept: code -->\n```"
    assert [(note.location.line, note.message) for note in bank.notes] == [
        (7, 'the HTML comment "<!-- Draft, not ready yet:" holds a question\'s options or key, '
            "which no page shows: it is left out")]


@pytest.mark.parametrize(("tail", "explanation"), [
    ("<!-- never ended\n2. What?\nA) 1\nB) 2\nAnswer: A\n", "<!-- never ended"),
    ("<!-- ended --> but text follows\n", "<!-- ended --> but text follows")])
def test_a_comment_not_ended_on_its_own_line_is_read_as_written(
        tail: str, explanation: str, tmp_path: Path) -> None:
    body = f"1. What is 2+3?\nA) 5\nB) 6\nAnswer: A\n\n{tail}"
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == explanation


@pytest.mark.parametrize("key", ["Answer: A", "**Answer: A**", "**Correct Answer:** 5"])
def test_the_rationale_on_the_line_right_under_the_key(key: str, tmp_path: Path) -> None:
    """`**Answer: B**`, then the rationale with no blank line between (the MLOps mastery
    checks, 5 of 5): 'text after the answer', where a blank line made it the explanation."""
    body = (f"### Question 1: Sums\nWhat is 2+3?\nA) 5\nB) 6\n\n<details>\n<summary>Click for "
            f"Answer</summary>\n\n{key}\nTwo plus three is five.\nIt is odd.\n</details>\n")
    _, (question,) = _read(body, tmp_path)
    assert question["explanation"] == "Two plus three is five.\nIt is odd."
    assert [c.get("correct", False) for c in question["choices"]] == [True, False]


@pytest.mark.parametrize("line", [
    "What is 3+3?",  # the next question, with no blank line before it
    "**Referencia:** Pérez Montiel (2018), pág. 140",  # the question's own data
    '!!! tip "Solution notes"',
    "👉 Try it yourself in the lab.",
])
def test_a_line_under_the_key_that_is_no_rationale_stays_refused(
        line: str, tmp_path: Path) -> None:
    from packager.errors import InputError

    with pytest.raises(InputError, match="1 error"):
        _read(f"1. What is 2+3?\nA) 5\nB) 6\nAnswer: A\n{line}\n", tmp_path)


@pytest.mark.parametrize("label", ["* **Explanation:**", "* **Distractor Analysis:**"])
def test_a_bulleted_explanation_keeps_its_list_level(label: str, tmp_path: Path) -> None:
    """Under `* **Explanation:**` every item but the first kept its indentation, so "Why B"
    showed as an item inside "Why A" (the AZ-900 module quizzes); `Distractor Analysis:` as
    a bulleted label was 'text after the answer'."""
    body = ("**Question 1**\nWhat is 2+3?\n\n* A) 5\n* B) 6\n"
            "* **Correct Answer:** A) Two plus three is five.\n"
            f"{label}\n  * *Why A is correct:* 2+3=5.\n  * *Why B is incorrect:* 6 is 2+4.\n")
    _, (question,) = _read(body, tmp_path)
    assert question["explanation"] == ("Two plus three is five.\n\n* *Why A is correct:* 2+3=5.\n"
                                       "* *Why B is incorrect:* 6 is 2+4.")


@pytest.mark.parametrize(("key", "explanation"), [
    ("**答案：B) 5**", "**说明：**"), ("**正確答案：B**", "**解析：**"), ("**정답: B) 5**", "**해설:**"),
    ("**正解：B**", "**解説：**"),
])
def test_key_and_explanation_labels_in_chinese_japanese_korean(
        key: str, explanation: str, tmp_path: Path) -> None:
    body = f"1. 2+3 等于多少？\n- A) 6\n- B) 5\n\n{key}\n\n{explanation} 二加三等于五。\n"
    _, (question,) = _read(body, tmp_path)
    assert [c.get("correct", False) for c in question["choices"]] == [False, True]
    assert question["explanation"] == "二加三等于五。"


@pytest.mark.parametrize("line", ["Difficulty: Easy", "Also accept: C", "K-level: K1",
                                  "## Part 2: Even numbers"])
def test_data_or_a_heading_under_the_key_is_no_rationale(line: str, tmp_path: Path) -> None:
    """`Also accept: C` became the explanation (a second right answer lost), `Difficulty:
    Easy` an explanation shown to learners (review 25): they stay 'text after the answer'."""
    from packager.errors import InputError

    with pytest.raises(InputError, match="1 error"):
        _read(f"1. What is 2+3?\nA) 5\nB) 6\nC) 7\nAnswer: A\n{line}\n", tmp_path)


@pytest.mark.parametrize("section", ["### Case Study: Acme\n- Acme sells shoes.\n- It has 40 staff.",
                                     "### Key points\n- DDoS uses many machines."])
def test_a_section_not_named_as_a_course_pages_part_is_kept(section: str, tmp_path: Path) -> None:
    """A shared case before the questions, or an explanation's own `### Key points`, was left
    out as a page's section (review 25): only objectives, activities, discussion questions,
    resources and the like are."""
    body = ("## Questions\n\n---\n\n**Question 1:** Which attack floods a server?\n\nA) DDoS\n"
            f"B) Phishing\n\n**Answer:** A\n\n**Explanation:** Many machines.\n\n{section}\n\n---\n\n"
            "**Question 2:** Which attack uses fake emails?\n\nA) DDoS\nB) Phishing\n\n"
            "**Answer:** B\n")
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == f"Many machines.\n\n{section}"


@pytest.mark.parametrize("key", ["✅ B. `5 4 3 2 1`", "**Answer:** B. `5 4 3 2 1`"])
def test_a_letter_and_a_text_naming_options_that_differ_only_in_signs_disagree(
        key: str, tmp_path: Path) -> None:
    """The letter's check compared words, which leave out signs: `B. 5 4 3 2 1` agreed with B
    `-5 -4 -3 -2 -1` (review 25). The text as written names A: an error."""
    from packager.errors import InputError

    body = ("#### 1. What prints?\n\n- A. `5 4 3 2 1`\n- B. `-5 -4 -3 -2 -1`\n\n"
            f"#### **Respuesta**:\n\n{key}\n")
    with pytest.raises(InputError, match="1 error"):
        _read(body, tmp_path)
    with pytest.raises(InputError):
        _read("1. What is 2 - 3?\nA) 1\nB) -1\n**Answer:** A) -1\n", tmp_path)


@pytest.mark.parametrize("under", ["Correct answers: A, B,\nand D", "Answer: A, B\nD is prime too."])
def test_a_key_going_on_under_its_line_is_no_rationale(under: str, tmp_path: Path) -> None:
    """A key wrapped onto the next line (a PDF's or an e-mail's hard wrap) became key A, B and
    the explanation 'and D' (review 25b): refused as before."""
    from packager.errors import InputError

    with pytest.raises(InputError) as raised:
        _read(f"1. Which are prime?\n\nA. 2\nB. 3\nC. 4\nD. 5\n\n{under}\n", tmp_path)
    assert "text after the answer" in raised.value.diagnostics[0].message


@pytest.mark.parametrize("part", ["Part {}", "1{}", "Teil {}"])
def test_parts_of_a_question_numbered_alike_stay_two_questions(part: str, tmp_path: Path) -> None:
    """`**Q1 (Part A)**` and `**Q1 (Part B)**` were one number with two notes: part B, its
    options and key went into part A's explanation (review 25b)."""
    a, b = part.format("a" if part == "1{}" else "A"), part.format("b" if part == "1{}" else "B")
    body = (f"**Q1 ({a})**\nWhat is the capital of France?\nA) Paris\nB) Rome\nAnswer: A\n\n"
            f"**Q1 ({b})**\nWhat is the capital of Italy?\nA) Rome\nB) Paris\nAnswer: A\n")
    _, questions = _read(body, tmp_path)
    assert [q["prompt"].splitlines()[-1] for q in questions] == [
        "What is the capital of France?", "What is the capital of Italy?"]


def test_data_under_a_key_with_a_full_width_colon_is_no_rationale(tmp_path: Path) -> None:
    from packager.errors import InputError

    with pytest.raises(InputError) as raised:
        _read("1. 下列哪个是质数？\n\nA. 4\nB. 5\nC. 6\n\n答案：B\n难度：易\n", tmp_path)
    assert raised.value.diagnostics[0].message == 'text after the answer: "难度：易"'


def test_distractor_analysis_after_an_explanation_or_in_a_scenario_is_text(
        tmp_path: Path) -> None:
    """A second label after `**Explanation:**` was 'a second explanation'; in a scenario the
    words started the key's lines (review 25b)."""
    body = ("1. Which AWS service stores objects?\n\nA. EC2\nB. S3\n\n**Answer:** B\n\n"
            "**Explanation:** S3 is object storage.\n**Distractor Analysis:** EC2 is compute.\n\n"
            "2. A developer runs an item analysis.\nDistractor analysis: C drew top scorers.\n"
            "What should she do?\n\nA. Keep it\nB. Review C\n\nAnswer: B\n")
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == (
        "S3 is object storage.\n**Distractor Analysis:** EC2 is compute.")
    assert questions[1]["scenario"] == (
        "A developer runs an item analysis.\nDistractor analysis: C drew top scorers.")


def test_a_section_a_later_question_works_on_is_kept(tmp_path: Path) -> None:
    """`## Project Activities` (a list a later question asks about) was left out as a course
    page's activities (review 25b): only a heading that is such a part's whole name is."""
    from packager.errors import InputError

    body = ("## Quiz\n\n**Question 1:** What does WBS stand for?\n\nA. Work Breakdown Structure\n"
            "B. Work Budget Schedule\n\n**Answer:** A\n\n## Project Activities\n\n"
            "- Activity A: 3 days\n- Activity B: 2 days, after A\n\n**Question 2:** Using the "
            "activities above, how long is the path?\n\nA. 5 days\nB. 6 days\n\n**Answer:** A\n")
    with pytest.raises(InputError, match="1 error"):
        _read(body, tmp_path)


def test_a_bare_number_that_may_be_an_options_place_stays_ambiguous(tmp_path: Path) -> None:
    """`Answer: 1` among `-1`, `1`, `5` may name the first option by its place: refused as
    before, where the options' equal words were told apart by the key as written."""
    from packager.errors import InputError

    with pytest.raises(InputError):
        _read("Question 1: What is 2 - 3?\n- -1\n- 1\n- 5\nAnswer: 1\n", tmp_path)
    _, (question,) = _read("Question 1: What is 3 - 2?\n- 1\n- -1\n- 0\nAnswer: -1\n", tmp_path)
    assert [c.get("correct", False) for c in question["choices"]] == [False, True, False]


def test_a_key_only_in_a_comment_is_told_where_the_question_fails(tmp_path: Path) -> None:
    """`<!-- Answer: B -->` under the options: a bare 'no key' at line 1, the comment not
    named (review 25, F9). The warning comes with the error now."""
    from packager.errors import InputError

    with pytest.raises(InputError) as raised:
        _read("1. Which planet is red?\nA) Venus\nB) Mars\n<!-- Answer: B -->\n", tmp_path)
    assert [(d.code, d.line) for d in raised.value.diagnostics] == [
        ("E-TEXT", 1), ("W-TEXT-LEFT-OUT", 4)]
