"""Layouts of text sweep 4's real quiz files (AI-written quizzes, pandoc exports, course
quizzes): each was a silent misread or a refusal of a key the line names plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.pipeline import check
from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions

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
    questions = read_questions(ARITHMETIC.format(one=one, two=two), tmp_path)
    assert keys(questions) == [["5"], ["4"]]
    assert [q.get("explanation") for q in questions] == explanations


def test_a_letter_with_a_note_in_brackets_names_its_option(tmp_path: Path) -> None:
    questions = read_questions("1. What is 2+3?\nA) 6\nB) 4\nC) 5\n\nAnswer: C (two plus three)\n",
                      tmp_path)
    assert keys(questions) == [["5"]]
    assert questions[0]["explanation"] == "(two plus three)"


def test_a_question_in_bold_with_its_number_is_a_question(tmp_path: Path) -> None:
    # S1: in a ruled file two such questions in one block were one, the first's options the
    # second's scenario; elsewhere the label stayed in the prompt and headings in the scenario
    body = ("# Quiz\n\n**Q1. What is 2+3?**\n- [ ] 6\n- [x] 5\n\n"
            "**Q2. What is 2+2?**\n- [x] 4\n- [ ] 5\n\n---\n\n"
            "**Q3. What is 1+1?**\n- [x] 2\n- [ ] 3\n")
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 2+3?", "What is 2+2?", "What is 1+1?"]
    assert keys(questions) == [["5"], ["4"], ["2"]]
    assert all("scenario" not in q for q in questions)


def test_section_headings_over_a_bold_numbered_question_are_left_out(tmp_path: Path) -> None:
    body = ("# Quiz\n\n## Part 1\n\n### Sums\n\n**1. What is 2+3?**\n- A) 5\n- B) 6\n\n"
            "**Answer:** A\n\n---\n\n### Differences\n\n**2. What is 5-3?**\n- A) 2\n- B) 3\n\n"
            "**Answer:** A\n")
    questions = read_questions(body, tmp_path)
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [
        (None, "What is 2+3?"), (None, "What is 5-3?")]


@pytest.mark.parametrize(("body", "prompts", "explanation"), [
    # a bold numbered step or title asks nothing: no question starts there (a review's cases)
    ("1. Read the steps.\n\n**2. Then do this.**\n\nWhat comes next?\nA) 5\nB) 6\n\nAnswer: A\n",
     ["What comes next?"], None),
    ("# Quiz\n\n**1. Introduction**\n\nThis quiz covers sums.\n\n1. What is 2+3?\nA) 5\nB) 6\n"
     "Answer: A\n", ["What is 2+3?"], None),
    ("1. What is 12 × 3?\nA) 36\nB) 38\nAnswer: A\nExplanation: two steps.\n\n"
     "**1. Multiply the tens:** 30.\n\n**2. Multiply the ones:** 6.\n\n2. What is 4 × 4?\n"
     "A) 16\nB) 18\nAnswer: A\n", ["What is 12 × 3?", "What is 4 × 4?"],
     "two steps.\n\n**1. Multiply the tens:** 30.\n\n**2. Multiply the ones:** 6."),
])
def test_a_bold_numbered_line_that_asks_nothing_stays_text(
        body: str, prompts: list[str], explanation: str | None, tmp_path: Path) -> None:
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == prompts
    assert questions[0].get("explanation") == explanation


@pytest.mark.parametrize("label", ["**Explanation:**", "Explanation:"])
def test_a_label_alone_on_its_line_owns_the_paragraph_under_it(label: str, tmp_path: Path) -> None:
    # S2: in a file of unnumbered questions the paragraph became the next question's scenario
    body = (f"**What is 2+3?**\n\n- [ ] 6\n- [x] 5\n\n{label}\n\nTwo plus three is five.\n\n\n"
            "**What is 2+2?**\n\n- [x] 4\n- [ ] 5\n\nExplanation:\nTwo plus two is four.\n")
    questions = read_questions(body, tmp_path)
    assert [q.get("explanation") for q in questions] == [
        "Two plus three is five.", "Two plus two is four."]
    assert all("scenario" not in q for q in questions)


def test_an_answer_line_then_a_label_alone_owns_the_paragraph(tmp_path: Path) -> None:
    body = ("What is 2+3?\nA) 6\nB) 5\nAnswer: B\n\nExplanation:\n\nTwo plus three is five.\n\n"
            "What is 2+2?\nA) 4\nB) 5\nAnswer: A\n")
    questions = read_questions(body, tmp_path)
    assert [q.get("explanation") for q in questions] == ["Two plus three is five.", None]
    assert all("scenario" not in q for q in questions)


def test_a_heading_q_label_with_a_topic_is_the_questions_title(tmp_path: Path) -> None:
    # S5: `### Q1: Sums` stayed in the prompt
    body = ("# 07. Arithmetic - Quiz\n\n## Questions\n\n### Q1: Sums\nWhat is 2+3?\n- A) 5\n- B) 6\n\n"
            "**Answer:** A\n\n### Q2: Differences\nWhat is 5-3?\n- A) 2\n- B) 3\n\n"
            "**Answer:** A\n")
    questions = read_questions(body, tmp_path)
    assert [(q.get("title"), q.get("scenario"), q["prompt"]) for q in questions] == [
        ("Sums", None, "What is 2+3?"), ("Differences", None, "What is 5-3?")]


def test_options_lettered_in_bold_as_word_writes_them(tmp_path: Path) -> None:
    body = ("### Question 1\n\nWhat is 2+3?\n\n**A.** 5\n\n**B.** 6\n\n**Answer: A**\n\n"
            "### Question 2\n\nWhat is 2+2?\n\n**A.** 5\n\n**B.** 4\n\n**Answer: B**\n")
    questions = read_questions(body, tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [["5", "6"], ["5", "4"]]
    assert keys(questions) == [["5"], ["4"]]


def test_a_note_signed_with_a_bulb_under_the_key_is_the_rationale(tmp_path: Path) -> None:
    body = ("1. What is 2+3?\n\n* [ ] 6\n* [ ] 5\n\n"
            "✅ **Correct Answer:** 5\n💡 Two plus three is five.\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["5"]]
    assert questions[0]["explanation"] == "Two plus three is five."


def test_an_answer_key_names_questions_labelled_by_number(tmp_path: Path) -> None:
    # R9: the key read only for questions numbered `1.`; `## Question 1` gave "no key"
    body = ("## Question 1\n\nWhat is 2+3?\n\na) 5\nb) 6\n\n## Question 2\n\nWhat is 2+2?\n\n"
            "a) 5\nb) 4\n\n**Answer key**\n\n1. a\n2. b\n")
    assert keys(read_questions(body, tmp_path)) == [["5"], ["4"]]


@pytest.mark.parametrize(("key", "expected"), [
    ("Answers: Paris; Lyon", ["Paris", "Lyon"]),  # read as Paris alone, exit 0
    ("Answers: Paris; Lyon.", ["Paris", "Lyon"]),
    ("Answers: Paris and Lyon; Rome is in Italy.", ["Paris", "Lyon"]),  # prose after ';'
])
def test_options_listed_with_semicolons_are_all_the_key(
        key: str, expected: list[str], tmp_path: Path) -> None:
    body = f"1. Which cities are in France?\nA) Paris\nB) Rome\nC) Lyon\nD) Madrid\n\n{key}\n"
    assert keys(read_questions(body, tmp_path)) == [expected]


def test_a_key_that_is_a_letter_and_an_options_text_says_how_to_name_either(
        tmp_path: Path) -> None:
    body = "1. Which record maps a name to an IPv4 address?\n\n* MX\n* TXT\n* A\n\nAnswer: A\n"
    with pytest.raises(InputError) as caught:
        read_questions(body, tmp_path)
    (problem,) = caught.value.diagnostics
    assert problem.line == 7
    assert problem.hint is not None and "C for the one that reads \"A\"" in problem.hint


def test_a_heading_question_labels_topic_after_a_colon_is_its_title(tmp_path: Path) -> None:
    body = ("### Question 1: Incident Classification\n**A phishing mail was blocked. What "
            "severity?**\n\nA) Critical\nB) Medium\n\n**Correct answer: B**\n\n---\n\n"
            "### Question 2: Which severity is lowest\n\nA) Low\nB) High\n\nAnswer: A\n")
    questions = read_questions(body, tmp_path)
    assert [(q.get("title"), q["prompt"]) for q in questions] == [
        ("Incident Classification", "**A phishing mail was blocked. What severity?**"),
        (None, "Which severity is lowest")]  # no question under it: the topic is the question


def test_sections_around_the_questions_are_left_out_with_a_warning(tmp_path: Path) -> None:
    body = ("## 8. Practice\n\nBuild the model and save it.\n\n## 9. Review questions\n\n"
            "### Question 1\n\nWhat is 2+3?\n\nA. 5\nB. 6\n\n**Answer:** A\n\n---\n\n"
            "## Part 2: Differences\nTaking small numbers away.\n\n---\n\n"
            "### Question 2\n\nWhat is 5-3?\n\nA. 2\nB. 3\n\n**Answer:** A\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is not None and len(result.bank.questions) == 2
    left = [(d.line, d.message) for d in result.diagnostics if d.code == "W-TEXT-LEFT-OUT"]
    assert left == [
        (1, 'the section "## 8. Practice" asks nothing and names no key: it is left out'),
        (18, 'the section "## Part 2: Differences" asks nothing and names no key: it is left '
             "out")]


@pytest.mark.parametrize("label", ["Explanation:", "**Explanation:**"])
def test_an_empty_label_does_not_take_the_next_question(label: str, tmp_path: Path) -> None:
    # a review's case: the next unnumbered question became the explanation, and was lost
    body = (f"What is 2+3?\nA) 4\nB) 5\nAnswer: B\n{label}\n\nWhat is 3+3?\nA) 5\nB) 6\n"
            "Answer: B\n")
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 2+3?", "What is 3+3?"]
    assert [q.get("explanation") for q in questions] == [None, None]


def test_a_note_after_a_letter_is_read_only_where_the_options_have_letters(
        tmp_path: Path) -> None:
    # unlettered options: `C (from 1972)` restates the option "C" (a review's case)
    body = ("1. Which language is the oldest?\n- Python\n- C\n- Java\nAnswer: C (from 1972)\n\n"
            "2. Which runs on the JVM?\n- Python\n- C\n- Java\nAnswer: Java\n")
    assert keys(read_questions(body, tmp_path)) == [["C"], ["Java"]]
    # lettered options where another option reads "C": no option for sure
    body = ("1. Which vitamin do citrus fruits give?\na) A\nb) B12\nc) D\nd) C\n"
            "Answer: C (ascorbic acid)\n")
    with pytest.raises(InputError) as caught:
        read_questions(body, tmp_path)
    assert [d.message for d in caught.value.diagnostics] == [
        "the key \"C\" is both an option's letter and another option's text"]


def test_a_problem_under_a_label_alone_is_located_on_its_own_line(tmp_path: Path) -> None:
    # the explanation under `??? question "Show Answer"` started on the admonition's line, so
    # a problem in it was reported one line too early
    body = ('1. What is 2+3?\n\n<div class="upper-alpha" markdown>\n1. 5\n2. 6\n</div>\n\n'
            '??? question "Show Answer"\n    The correct answer is **A**.\n\n'
            "    **See:** [Sums](index.md#sums)\n")
    _, diagnostics = check(Source("quiz.md", body.encode(), tmp_path))
    assert [(d.code, d.line) for d in diagnostics if d.is_error] == [("E-RICHTEXT", 11)]


@pytest.mark.parametrize(("data", "may"), [
    (b"1. A. x", True), (b"x\n  1. A. y", True), (b"x\r\n\t1) a) y", True),
    (b"x 1. A. y", False),  # not at a line's start
    (b"no", False),
])
def test_options_numbered_before_their_letters_are_looked_for_at_line_starts(
        data: bytes, may: bool) -> None:
    from packager.readers.text_options import may_number_letters

    assert may_number_letters(data) is may
