"""Layouts of session 33's sweep: test banks and quiz files as teachers keep them in text."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from packager.readers.canonical import ReadResult
from tests.unit.readers.text_cases import keys, read_questions

PLANETS = ("1. Which planet is closest to the sun?\na. Mercury\nb. Venus\nc. Mars\n{key}\n\n"
           "2. Which planet is largest?\na. Earth\nb. Jupiter\nc. Mars\nANS: B PTS: 2\n")


@pytest.mark.parametrize("key", [
    "ANS: A PTS: 1 DIF: Easy REF: 1.2 OBJ: 1.2.1 TOP: Planets",
    "ANS: A PTS: 1\nDIF: Easy REF: 1.2\nOBJ: 1.2.1 TOP: Planets MSC: Remembering",
    "ANS:\tA\tPTS:\t1\tDIF:\tEasy",  # ExamView's own text export: tabs between fields
])
def test_an_examview_key_line_names_its_letter_and_its_points(key: str, tmp_path: Path) -> None:
    """A test bank made with ExamView prints each item's key with its fields after it.
    Refused before: '"ANS: A PTS: 1 …" names none of the options; closest: A "Mercury" (0%
    alike)', the letter it names being right there."""
    questions = read_questions(PLANETS.format(key=key), tmp_path)
    assert keys(questions) == [["Mercury"], ["Jupiter"]]
    assert [q.get("points") for q in questions] == [1, 2]
    assert all("explanation" not in q for q in questions)


def test_a_test_banks_field_lines_are_no_rationale(tmp_path: Path) -> None:
    """A nursing test bank's rationale under `ANS: C`, then the item's fields: they are the
    teacher's, not the learner's. Before, 'DIF: Cognitive Level: Apply …' and 'TOP: Nursing
    Process …' were shown to learners as the end of the explanation."""
    body = ("1. A client with heart failure has which finding that needs action first?\n"
            "a. Crackles in the lung bases\nb. Oxygen saturation of 85%\nANS: B\n"
            "An oxygen saturation of 85% is hypoxemia.\n\n"
            "DIF: Cognitive Level: Apply (application) REF: 1094\n"
            "TOP: Nursing Process: Assessment MSC: NCLEX: Physiological Integrity\n\n"
            "2. Which is a loop diuretic?\na. Furosemide\nb. Spironolactone\nANS: A\n"
            "Furosemide acts on the loop of Henle.\nDIF: Remember REF: 1100\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["Oxygen saturation of 85%"], ["Furosemide"]]
    assert [q["explanation"] for q in questions] == [
        "An oxygen saturation of 85% is hypoxemia.", "Furosemide acts on the loop of Henle."]


def test_field_lines_are_a_rationales_text_under_another_key(tmp_path: Path) -> None:
    """Only under a test bank's key (`ANS:`, or one with fields) is `REF: …` its data."""
    body = ("1. Which planet is closest to the sun?\na. Mercury\nb. Venus\nAnswer: a\n"
            "Explanation: It orbits at 0.39 AU.\nREF: NASA fact sheet\n")
    assert read_questions(body, tmp_path)[0]["explanation"] == (
        "It orbits at 0.39 AU.\nREF: NASA fact sheet")


def test_a_key_line_of_many_spaces_names_its_letter(tmp_path: Path) -> None:
    body = ("1. Which planet is closest to the sun?\na. Mercury\nb. Venus\n"
            + "ANS: A" + " " * 500 + "PTS: 1\n") * 3
    assert keys(read_questions(body, tmp_path)) == [["Mercury"]] * 3


@pytest.mark.parametrize("letters", [("**(a)**", "**(b)**", "**(c)**"),
                                     ("__(A)__", "__(B)__", "__(C)__")])
def test_options_whose_bracketed_letters_alone_are_bold(
        letters: tuple[str, str, str], tmp_path: Path) -> None:
    """`**(a)** Improve performance  ` (a Markdown line break after it), as course notes'
    quizzes letter them. Refused before: 'this question has no options'."""
    a, b, c = letters
    body = (f"### 1. What is the main purpose of alert rules?\n\n{a} Improve performance  \n"
            f"{b} Enable auto-scaling  \n{c} Notify stakeholders  \n\n"
            "**✅ Correct answer: (c)**  \n**Explanation**: Alerts notify.\n\n---\n\n"
            "### 2. Which feature sends the alerts?\n\n**(a)** Log Analytics\n\n"
            "**(b)** Action Groups\n\n**✅ Correct answer: (b)**\n")
    questions = read_questions(body, tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [
        ["Improve performance", "Enable auto-scaling", "Notify stakeholders"],
        ["Log Analytics", "Action Groups"]]
    assert keys(questions) == [["Notify stakeholders"], ["Action Groups"]]
    assert questions[0]["explanation"] == "Alerts notify."


def test_a_bold_bracketed_letter_in_a_stem_stays_its_text(tmp_path: Path) -> None:
    body = ("1. Consider:\n\n**(a)** Mercury is hot.\n\nWhich planet is closest?\n"
            "A) Mercury\nB) Venus\nAnswer: A\n")
    assert read_questions(body, tmp_path)[0]["scenario"] == "Consider:\n\n**(a)** Mercury is hot."


EXAMVIEW = ("Multiple Choice\nIdentify the choice that best completes the statement or answers "
            "the question.\n\n____\t1.\tWhich planet is closest to the sun?\n"
            "a.\tMercury\tc.\tMars\nb.\tVenus\td.\tJupiter\n\n\n"
            "____\t2.\tWhich planet is largest?\na.\tEarth\tc.\tMars\nb.\tJupiter\td.\tVenus\n\n"
            "Answer Section\n\nMULTIPLE CHOICE\n\n1.\tANS:\tA\tPTS:\t1\n2.\tANS:\tB\tPTS:\t2\n")


def test_an_examview_printout_with_its_answer_section(tmp_path: Path) -> None:
    """A test printed from ExamView as text: each number after the learner's blank (`____`),
    options in two columns, and the key as its `Answer Section`. Before, every question had
    'no key', each entry was 'a question with no options', and `____ 1.` was the scenario."""
    questions = read_questions(EXAMVIEW, tmp_path, "test.txt")
    assert [q["prompt"] for q in questions] == ["Which planet is closest to the sun?",
                                                "Which planet is largest?"]
    assert all("scenario" not in q for q in questions)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [
        ["Mercury", "Venus", "Mars", "Jupiter"], ["Earth", "Jupiter", "Mars", "Venus"]]
    assert keys(questions) == [["Mercury"], ["Jupiter"]]
    assert [q.get("points") for q in questions] == [1, 2]


EXAMVIEW_TITLED = ("Name: ________ Class: ________ Date: ________\tID: A\n\nPlanets Test 1\n\n"
                   + EXAMVIEW.replace("Answer Section", "{page}"))


@pytest.mark.parametrize("page", [
    "Planets Test 1\nAnswer Section",  # ExamView: the test's title again over the section
    "ID: A\n\nPlanets Test 1\nAnswer Section",  # … under the version of the test
    "PLANETS  TEST 1\nAnswer Section",  # its case and spacing aside
    "Planets Test 1 Answer Section",  # both on one line
])
def test_an_examview_answer_section_under_the_tests_title_again(page: str,
                                                                 tmp_path: Path) -> None:
    """ExamView prints the answer section on a page of its own, headed by the test's title
    (and version) again. Refused before: the title (or `ID: A`) was read as the last
    question's text, or as a question of its own, 'this question has no options', and with
    both on one line no answer section was found ('no key' for every question)."""
    questions = read_questions(EXAMVIEW_TITLED.format(page=page), tmp_path, "test.txt")
    assert [q["prompt"] for q in questions] == ["Which planet is closest to the sun?",
                                                "Which planet is largest?"]
    assert keys(questions) == [["Mercury"], ["Jupiter"]]


def test_a_last_line_that_repeats_no_title_stays_the_questions(tmp_path: Path) -> None:
    """Only the title, the version and blank lines are the answer page's head: a line of the
    last question's above it (here its explanation, without a blank line between) stays."""
    body = ("Planets Test 1\n\n1. Which planet is largest?\na. Earth\nb. Jupiter\n"
            "Explanation: Jupiter is.\nPlanets Test 1\n\nAnswer Section\n\n1. ANS: B\n")
    (question,) = read_questions(body, tmp_path, "test.txt")
    assert question["explanation"] == "Jupiter is.\nPlanets Test 1"


@pytest.mark.parametrize("entries", ["1. ANS: A\n2. ANS: B\n", "1. Answer: A\n2. Answer: B\n",
                                     "1. ANS: A PTS: 1 DIF: Easy\n2. ANS: B PTS: 1\n"])
def test_answer_key_entries_with_a_key_label(entries: str, tmp_path: Path) -> None:
    """`Answer Key`, then `1. ANS: A`: the label is no restatement. Refused before: '"1. ANS:
    A" names none of the options; closest: C "Mars" (55% alike)'."""
    body = ("1. Which planet is closest to the sun?\na. Mercury\nb. Venus\nc. Mars\n\n"
            "2. Which planet is largest?\na. Earth\nb. Jupiter\nc. Mars\n\nAnswer Key\n"
            + entries)
    assert keys(read_questions(body, tmp_path)) == [["Mercury"], ["Jupiter"]]


def test_an_underscore_blank_in_a_stem_stays_its_text(tmp_path: Path) -> None:
    body = ("1. Fill the blank:\n____ is the closest planet.\na. Mercury\nb. Venus\nAnswer: a\n")
    assert read_questions(body, tmp_path)[0]["prompt"] == (
        "Fill the blank:\n____ is the closest planet.")


@pytest.mark.parametrize(("key", "right"), [("Answer: T", "True"), ("ANS: F PTS: 1", "False"),
                                            ("Answer: t.", "True")])
def test_a_true_false_question_keyed_t_or_f(key: str, right: str, tmp_path: Path) -> None:
    """Test banks key true/false questions `ANS: T` / `ANS: F`. Refused before: 'the key
    names option T, but the question has 2 options (A–B)', which T does not mean."""
    for options in ("a. True\nb. False\n", "A) False\nB) True\n", "- True\n- False\n"):
        body = f"1. The sun is a star.\n{options}{key}\n"
        assert keys(read_questions(body, tmp_path)) == [[right]]


def test_t_or_f_names_no_option_beside_other_options(tmp_path: Path) -> None:
    body = "1. The sun is a star.\na. Yes\nb. No\nAnswer: T\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [d.message for d in result.diagnostics if d.is_error] == [
        "the key names option T, but the question has 2 options (A–B)"]


def test_sol_labels_the_solution_after_the_options(tmp_path: Path) -> None:
    """Exam-prep sets abbreviate both labels, `Ans: (b)` then `Sol: …`. Refused before:
    'text after the answer: "Sol: 0.15 x 200 = 30."'."""
    body = ("Q1. Sol: 0.1 M NaCl is made up. What is 15% of 200?\n(a) 15\n(b) 30\n(c) 45\n"
            "Ans: (b)\nSol: 0.15 x 200 = 30.\n")
    question, = read_questions(body, tmp_path)
    assert question["scenario"] == "Sol: 0.1 M NaCl is made up."
    assert keys([question]) == [["30"]]
    assert question["explanation"] == "0.15 x 200 = 30."


@pytest.mark.parametrize("between", ["", "\r\n"])
def test_files_joined_with_their_byte_order_marks(between: str, tmp_path: Path) -> None:
    """Two quizzes saved by Notepad (a mark each) and joined (`copy /b a.txt+b.txt`): the
    second's mark started a line. Before, '\\ufeff2.' was the second question's scenario
    (a blank line between), or the question was refused as 'text after the answer:
    "2. Which is odd?"', the mark invisible in the quote."""
    mark = "\ufeff"
    body = (f"{mark}1. Which is even?\r\na) 1\r\nb) 2\r\nAnswer: b\r\n{between}"
            f"{mark}2. Which is odd?\r\na) 1\r\nb) 2\r\nAnswer: a\r\n")
    questions = read_questions(body, tmp_path, "quiz.txt")
    assert [q["prompt"] for q in questions] == ["Which is even?", "Which is odd?"]
    assert all("scenario" not in q for q in questions)
    assert keys(questions) == [["2"], ["1"]]


@pytest.mark.parametrize("space", ["\u200b", "\u2060", "\u200b\u00a0 "])
def test_a_zero_width_space_after_a_key(space: str, tmp_path: Path) -> None:
    """Text copied from a web page may end a line with a zero-width space. Refused before:
    '"Answer: b" names none of the options; closest: A "1" (0% alike)'."""
    body = f"1. Which is even?\na) 1\nb) 2\nAnswer: b{space}\n"
    assert keys(read_questions(body, tmp_path)) == [["2"]]


def test_many_invisible_characters_around_a_key(tmp_path: Path) -> None:
    body = "\ufeff" * 100 + "1. Which is even?\na) 1\nb) 2\nAnswer: b" + "\u200b " * 100 + "\n"
    assert keys(read_questions(body, tmp_path)) == [["2"]]


@pytest.mark.parametrize("label", ["Question #{}:", "Question # {}.", "Q#{}:", "### Q#{}:",
                                   "**Question #{}:**"])
def test_a_question_label_with_a_number_sign(label: str, tmp_path: Path) -> None:
    """`Question #1:` and `Q#1:`, as teachers' documents number them. Before, the label
    stayed in the prompt learners see ('Question #1: What is 2+2?'), silently."""
    body = "".join(f"{label.format(n)} What is {n}+{n}?\nA) {n}\nB) {2 * n}\nAnswer: B\n\n"
                   for n in (1, 2))
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 1+1?", "What is 2+2?"]
    assert keys(questions) == [["2"], ["4"]]


def test_a_number_sign_in_a_scenarios_prose_stays_text(tmp_path: Path) -> None:
    body = ("1. Question #5 on the survey asked about pay. What did most staff want?\n"
            "A) More pay\nB) Less pay\nAnswer: A\n")
    assert read_questions(body, tmp_path)[0]["scenario"] == (
        "Question #5 on the survey asked about pay.")


CPR = ("{n}. Which is first in CPR?\na) Compressions\nb) Breaths\nAnswer: a\nExplanation: Steps:\n"
       "{gap}1. Check response\n2. Call for help\n{third}\n{m}. Which rate is right?\n"
       "a) 100-120/min\nb) 60/min\nAnswer: a\n")


@pytest.mark.parametrize(("n", "m", "gap", "third"), [
    (1, 2, "", "3. Start compressions\n"), (1, 2, "\n", "3. Start compressions\n"),
    (1, 2, "", ""), (5, 6, "", "3. Start compressions\n")])
def test_a_list_numbered_in_an_explanation_goes_on_past_the_next_questions_number(
        n: int, m: int, gap: str, third: str, tmp_path: Path) -> None:
    """`Steps:`, then `1.`, `2.`, `3.` in the first question's explanation: `2. Call for help`
    has the second question's number. Before, the explanation stopped at '1. Check response'
    and the second question's scenario was 'Call for help / 3. Start compressions / 2.',
    silently (or, the file starting at 5, 'this question has no options')."""
    questions = read_questions(CPR.format(n=n, m=m, gap=gap, third=third), tmp_path)
    steps = "1. Check response\n2. Call for help" + ("\n3. Start compressions" if third else "")
    assert [q.get("explanation") for q in questions] == [f"Steps:\n{gap}{steps}", None]
    assert [q["prompt"] for q in questions] == ["Which is first in CPR?", "Which rate is right?"]
    assert "scenario" not in questions[1]


@pytest.mark.parametrize("key", ["Answer: a\n", ""])
def test_the_next_question_right_under_an_explanations_list_item(
        key: str, tmp_path: Path) -> None:
    """Asking over options (with a key or without one, which is then told), `2.` under the
    list's `1.` is the next question still."""
    body = ("1. Which is first in CPR?\na) Compressions\nb) Breaths\nAnswer: a\n"
            "Explanation: Steps:\n1. Check response\n2. Which rate is right?\na) 100-120/min\n"
            f"b) 60/min\n{key}")
    if key:
        questions = read_questions(body, tmp_path)
        assert [q["prompt"] for q in questions] == ["Which is first in CPR?",
                                                    "Which rate is right?"]
        assert questions[0]["explanation"] == "Steps:\n1. Check response"
    else:
        result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
        assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [
            (7, "no key: nothing says which option is correct")]


RISKS = ("1. A project has these risks:\n- Budget overrun\n- Schedule slip\n\n"
         "Which should the manager address first?\nA) Cost\nB) Time\nC) Neither\nAnswer: A\n\n"
         "2. Which is a risk response?\nA) Avoid\nB) Ignore\nAnswer: A\n")


def test_a_bulleted_list_in_a_numbered_questions_scenario_before_a_blank_line(
        tmp_path: Path) -> None:
    """A scenario's list under a line ending in `:`, a blank line, then the question over
    lettered options. Refused before with 'no key' on line 1 (the list read as a question's
    options, the question sentence as an unnumbered question of its own)."""
    questions = read_questions(RISKS, tmp_path)
    assert [q.get("scenario") for q in questions] == [
        "A project has these risks:\n- Budget overrun\n- Schedule slip", None]
    assert [q["prompt"] for q in questions] == ["Which should the manager address first?",
                                                "Which is a risk response?"]
    assert keys(questions) == [["Cost"], ["Avoid"]]


@pytest.mark.parametrize("stem", ["1. Which of these is a risk?", "1. Pick one: x?",
                                  "1. Which are risks? Select all:",
                                  "1. Which are risks?\nSelect all that apply:"])
def test_bullets_under_a_question_stay_its_options(stem: str, tmp_path: Path) -> None:
    """Under a line that asks, the bullets are the question's options: without a key it is
    the 'no key' error still, not the scenario of the question after it."""
    body = (f"{stem}\n- Budget overrun\n- Schedule slip\n\n"
            "Which should the manager address first?\nA) Cost\nB) Time\nAnswer: A\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [
        (1, "no key: nothing says which option is correct")]


TESTGEN = ("1) Which of the following is a fixed cost?\nA) Direct materials\nB) Rent\n"
           "C) Sales commissions\nAnswer:  B\n{explanation}Diff: 1    Var: 1    Page Ref: 45\n"
           "Topic:  Cost behavior\nSkill:  Conceptual\nAACSB:  Analytical thinking\n"
           "Bloom's:  Understand\n\n2) Which is a variable cost?\nA) Rent\nB) Direct materials\n"
           "Answer:  B\nDiff: 2    Var: 1    Page Ref: 46\nLO:  2-1\n")


@pytest.mark.parametrize("explanation", ["", "Explanation:  Rent does not change with volume.\n"])
def test_a_testgen_test_banks_fields_under_the_key_are_left_out(
        explanation: str, tmp_path: Path) -> None:
    """Pearson's TestGen prints each item's fields under its key. Before, the question was
    refused, 'text after the answer: "Diff: 1 Var: 1 Page Ref: 45"', with the hint to start
    the rationale with 'Explanation:' (which would show them to learners); under an
    explanation they were its end, shown to learners, silently."""
    questions = read_questions(TESTGEN.format(explanation=explanation), tmp_path)
    assert keys(questions) == [["Rent"], ["Direct materials"]]
    assert [q.get("explanation") for q in questions] == [
        "Rent does not change with volume." if explanation else None, None]


def test_a_topic_line_under_an_explanation_is_its_text_without_testgens_sign(
        tmp_path: Path) -> None:
    body = ("1) Which of the following is a fixed cost?\nA) Direct materials\nB) Rent\n"
            "Answer: B\nExplanation: Rent is fixed.\nTopic: see chapter 2.\n")
    assert read_questions(body, tmp_path)[0]["explanation"] == (
        "Rent is fixed.\nTopic: see chapter 2.")


@pytest.mark.parametrize(("line", "data"), [("Difficulty: Easy", True),
                                            ("**Learning Objective:** 2.1", True),
                                            ("A is also accepted.", False)])
def test_the_hint_for_data_under_a_key_is_to_delete_it(
        line: str, data: bool, tmp_path: Path) -> None:
    """The hint was 'start the rationale with Explanation:' for `Difficulty: Easy` too,
    which would show the question's data to learners as its rationale."""
    body = f"1. Which is a fixed cost?\nA) Materials\nB) Rent\nAnswer: B\n{line}\n"
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    hints = [d.hint for d in result.diagnostics if d.is_error]
    assert len(hints) == 1
    assert (hints[0] or "").startswith("if it is the question's data") is data


@pytest.mark.parametrize(("fold", "right", "why"), [
    ("<details><summary>Answer</summary>b) It has a `private` constructor.</details>",
     "a static method", "It has a `private` constructor."),
    ("<details><summary><b>Show answer</b></summary>B — it belongs to the class.</details>",
     "a static method", "it belongs to the class."),
    ("  <details><summary>Answer</summary>a</details>", "an instance method", None),
])
def test_an_answer_folded_on_one_line(fold: str, right: str, why: str | None,
                                      tmp_path: Path) -> None:
    """Course notes close each question with its answer folded on one line. Refused before:
    'text after the options: "<details><summary>Answer</summary>b) …"' (or 'no key', and
    the fold 'a question with no options')."""
    body = (f"**Q1.** Which is it?\n\na) an instance method\nb) a static method\n\n{fold}\n\n"
            "---\n\n**Q2.** Which is odd?\n\na) 2\nb) 3\n\n"
            "<details><summary>Answer</summary>b) 3. Three is odd.</details>\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [[right], ["3"]]
    assert [q.get("explanation") for q in questions] == [why, "Three is odd."]


@pytest.mark.parametrize("key", [
    "<details><summary>Answer</summary>A describing word, surely</details>",
    "<b>Answer: A describing word, surely</b>",
])
def test_an_error_quotes_a_key_line_as_written_not_as_read(key: str, tmp_path: Path) -> None:
    """A fold on one line is read as `Answer: …`, a label in HTML emphasis as `**Answer:
    …**`: an error quoted that reading ('"Answer: A describing word, surely" names none of
    the options'), a line the file does not hold."""
    body = f"1. What is a noun?\na) A naming word\nb) A doing word\n{key}\n"
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    (error,) = [d for d in result.diagnostics if d.is_error]
    assert error.line == 4
    assert error.message.startswith(f'"{key}" names none of the options')


def test_a_note_quotes_a_folded_key_as_written(tmp_path: Path) -> None:
    """The restated key's note and warning quoted the fold as read (`Answer: A namng …`)."""
    key = "<details><summary>Answer</summary>A namng word for a thing</details>"
    body = (f"1. What is a noun?\na) A naming word for a thing\nb) A doing word for an action\n"
            f"{key}\n")
    source = Source("quiz.md", body.encode(), tmp_path)
    (warning,) = [d for d in text.read_result(source).diagnostics
                  if d.code == "W-KEY-RESTATED"]
    assert f': "{key}" restates it' in warning.message
    assert [n.message for n in text.read(source).notes] == [warning.message + ": check it"]


@pytest.mark.parametrize(("folded", "explanation"), [
    ("b) It belongs to the class.", "It belongs to the class."),
    ("**B** — it belongs to the class.", "it belongs to the class."),
    ("B", None),
])
def test_an_answer_folded_over_lines_that_starts_with_its_letter(
        folded: str, explanation: str | None, tmp_path: Path) -> None:
    """`<details><summary>Answer</summary>`, a blank line, `b) It belongs …`. Refused before:
    'option B is out of order (expected C here)'."""
    body = ("**Q1.** Which is it?\n\na) an instance method\nb) a static method\n\n"
            f"<details><summary>Answer</summary>\n\n{folded}\n</details>\n")
    question, = read_questions(body, tmp_path)
    assert keys([question]) == [["a static method"]]
    assert question.get("explanation") == explanation


@pytest.mark.parametrize("folded", ["Correct answer: B\n\nExplanation: It belongs to the class.",
                                    "A static method belongs to the class."])
def test_a_fold_under_ticked_options_keeps_its_reading(folded: str, tmp_path: Path) -> None:
    """A labelled key inside the fold, or prose starting with the article `A`, is read as
    before: the fold's tags are blank lines."""
    body = ("### Which is it?\n\n- [ ] an instance method\n- [x] a static method\n\n"
            f"<details>\n<summary>Answer</summary>\n\n{folded}\n</details>\n")
    question, = read_questions(body, tmp_path)
    assert keys([question]) == [["a static method"]]
    assert question["explanation"].endswith("belongs to the class.")


def test_a_numbered_quiz_with_aiken_key_lines_is_the_plain_text_layout(tmp_path: Path) -> None:
    """`1. What …?`, `A. …`, `ANSWER: A`: read as Aiken before, each prompt kept its number
    ('1\\\\. What is the capital of France?'), as Moodle would show it; the plain-text layout
    takes the numbers off. Unnumbered, or numbered out of turn, the file stays Aiken."""
    from packager.importing import detect
    numbered = ("1. What is the capital of France?\nA. Paris\nB. London\nANSWER: A\n\n"
                "2. Which is a prime number?\nA. 4\nB. 7\nANSWER: B\n")
    assert detect(Source("quiz.txt", numbered.encode(), tmp_path)) == "text"
    assert [q["prompt"] for q in read_questions(numbered, tmp_path, "quiz.txt")] == [
        "What is the capital of France?", "Which is a prime number?"]
    for other in (numbered.replace("1. ", "").replace("2. ", ""),
                  numbered.replace("2. ", "5. ")):
        assert detect(Source("quiz.txt", other.encode(), tmp_path)) == "aiken"


def test_respondus_question_types_of_choice_questions_are_left_out(tmp_path: Path) -> None:
    """Respondus's Standard Format puts `Type: MC` / `Type: MA` over a question. Before, the
    line and the question's number were its prompt ('Type: MC\\n1) Who …?'), silently."""
    body = ("Type: MC\n1) Who determined the exact speed of light?\na) Albert Einstein\n"
            "*b) Albert Michelson\n\nType: MA\n2) Which are planets?\n*a) Mars\n*b) Venus\n"
            "c) Moon\n\nType: TF\n3) The moon is a planet.\na) True\n*b) False\n")
    questions = read_questions(body, tmp_path, "quiz.txt")
    assert [q["prompt"] for q in questions] == ["Who determined the exact speed of light?",
                                                "Which are planets?", "The moon is a planet."]
    assert keys(questions) == [["Albert Michelson"], ["Mars", "Venus"], ["False"]]


@pytest.mark.parametrize(("body", "line", "said"), [
    ("1) Who measured it?\na) Einstein\n*b) Michelson\n@ He measured it in 1879.\nWhy?\n", 4,
     'this is a Respondus source ("@ He measured it in 1879." is its syntax)'),
    # Its `Title:` lines are read (test_text_layouts.py): a type it does not read is told.
    ("Type: E\n1) Who measured it?\na) Einstein\n*b) Michelson\nTitle: Two\n2) Why?\n"
     "a) x\n*b) y\n", 1, 'this is a Respondus source ("Type: E" is its syntax)'),
    ("1) Who measured it?\na) Einstein\n*b) Michelson\n\nTitle: Two\nWhy?\na) x\n*b) y\n", 5,
     'this is a text2qti or Respondus source ("Title: Two" is their syntax)'),
])
def test_a_respondus_source_is_named_so(body: str, line: int, said: str,
                                        tmp_path: Path) -> None:
    """A question's `Title:` line, or `@` feedback, was called 'a text2qti source', with the
    hint to convert it with text2qti, which cannot read Respondus's format."""
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    first = next(d for d in result.diagnostics if d.is_error)
    assert (first.line, first.message.startswith(said)) == (line, True)
    assert "Respondus" in (first.hint or "")


def test_respondus_feedback_under_an_answer_is_its_feedback(tmp_path: Path) -> None:
    """Respondus's `@ …` line under an answer was read as more of the answer's text, shown to
    learners with it ('Albert Michelson\\n@ Correct. …': the key given away), or under the
    last answer refused as 'text after the options'; with `Title:` or `Points:` lines the file
    was refused as a Respondus source. It is the answer's feedback."""
    body = ("Title: Light\nPoints: 2\n1) Who determined the exact speed of light?\n"
            "a. Albert Einstein\n@ Incorrect. His theory depends on it.\n\n"
            "*b. Albert Michelson\n@ Correct. He measured it in 1879.\n@ With mirrors.\n"
            "c. Thomas Edison\n@ Incorrect. He made the light bulb.\n\n"
            "Points: 1\n2) Which planet is closest to the Sun?\n*a. Mercury\n@ Right.\nb. Venus\n")
    first, second = read_questions(body, tmp_path, "quiz.txt")
    assert (first["title"], first["points"]) == ("Light", 2)
    assert [(c["text"], c.get("feedback")) for c in first["choices"]] == [
        ("Albert Einstein", "Incorrect. His theory depends on it."),
        ("Albert Michelson", "Correct. He measured it in 1879.\n\nWith mirrors."),
        ("Thomas Edison", "Incorrect. He made the light bulb.")]
    assert [(c["text"], c.get("feedback")) for c in second["choices"]] == [
        ("Mercury", "Right."), ("Venus", None)]


@pytest.mark.parametrize(("body", "line", "said"), [
    # Between the question and its options: general feedback to Respondus 4, its wrong
    # answers' to other Respondus tools. It was the prompt's second line, shown to learners.
    ("1) Who measured it?\n@ Michelson did, in 1879.\na) Einstein\n*b) Michelson\n", 2,
     "an @ feedback line between the question and its options"),
    # Under a line of the question's text that looks like an option: its feedback would be lost.
    ("1) Which are right?\n- light is fast\n@ Good.\n- sound is fast\n\na) only the first\n"
     "*b) both\n", 3, "an @ feedback line under a line that is not one of the question's"),
])
def test_respondus_feedback_not_under_an_answer_is_an_error(
        body: str, line: int, said: str, tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [d.line for d in result.diagnostics if d.message.startswith(said)] == [line]


@pytest.mark.parametrize("line", ["@app.command()", "@Switch01", "@ everyone: read this"])
def test_an_at_line_that_is_no_feedback_is_no_respondus_sign(line: str, tmp_path: Path) -> None:
    """Only `@` under an option is Respondus's feedback: a decorator in a Markdown page or a
    handle in a list led the errors of a file with 'this is a Respondus source'."""
    body = f"# Notes\n\n{line}\ndef main(): ...\n\n1. Which is right?\n"
    result = text.read_result(Source("notes.md", body.encode(), tmp_path))
    assert result.diagnostics
    assert not any("Respondus" in d.message for d in result.diagnostics), result.diagnostics


PARTS = ("True/False\nIndicate whether the statement is true or false.\n\n"
         "____\t1.\tThe sun is a star.\n{tf}\n____\t2.\tThe moon is a planet.\n{tf}\n"
         "Multiple Choice\nIdentify the choice that best completes the statement or answers the "
         "question.\n\n____\t3.\tWhich planet is largest?\na.\tEarth\tc.\tMars\n"
         "b.\tJupiter\td.\tVenus\n\nAnswer Section\n\nTRUE/FALSE\n\n1.\tANS:\tT\tPTS:\t1\n"
         "2.\tANS:\tF\tPTS:\t1\n\nMULTIPLE CHOICE\n\n3.\tANS:\tB\tPTS:\t1\n")


def test_a_printed_tests_parts_are_titles_not_questions(tmp_path: Path) -> None:
    """ExamView titles each part of a printed test, with its instruction. Before, the second
    part's ('Multiple Choice', 'Identify the choice …') was refused as 'this question has no
    options'; now it is a section left out (told), and the first part's is the description."""
    body = PARTS.format(tf="a. True\nb. False\n")
    result = text.read_result(Source("test.txt", body.encode(), tmp_path))
    assert result.bank is not None
    assert result.bank.description == ("True/False\nIndicate whether the statement is true or "
                                       "false.")
    assert [q.prompt for q in result.bank.questions] == [
        "The sun is a star.", "The moon is a planet.", "Which planet is largest?"]
    assert [d.line for d in result.diagnostics if d.code == "W-TEXT-LEFT-OUT"] == [12]


def test_a_true_false_statement_without_options_is_a_true_false_question(
        tmp_path: Path) -> None:
    """ExamView prints a true/false item as its statement alone, its key `ANS: T` in the
    answer key: refused before ('this question has no options', with a hint to write 'a)
    True' and 'b) False'), it is a true/false question (test_text_layouts.py)."""
    body = PARTS.format(tf="")
    result = text.read_result(Source("test.txt", body.encode(), tmp_path))
    assert result.bank is not None, result.diagnostics
    assert [(q.type, getattr(q, "answer", None)) for q in result.bank.questions] == [
        ("true_false", True), ("true_false", False), ("single_choice", None)]
    assert [d.line for d in result.diagnostics if d.code == "W-TEXT-LEFT-OUT"] == [8]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_a_q_label_with_a_dash(dash: str, tmp_path: Path) -> None:
    """`Q1 - What is 2+2?`: the label stayed in the prompt learners see, silently, as
    `Q1: …` did not. A quarter in a scenario (`Q2 - Revenue rose.`) stays text, as `Q2:`."""
    body = "".join(f"Q{n} {dash} What is {n}+{n}?\nA) {n}\nB) {2 * n}\nAnswer: B\n\n"
                   for n in (1, 2))
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 1+1?", "What is 2+2?"]
    quarters = (f"1. Sales by quarter:\nQ1 {dash} Revenue fell.\nQ2 {dash} Revenue rose.\n"
                "What happened in Q2?\nA) Fell\nB) Rose\nAnswer: B\n")
    question, = read_questions(quarters, tmp_path)
    assert question["scenario"] == f"Sales by quarter:\nQ1 {dash} Revenue fell.\nQ2 {dash} Revenue rose."


def _shared(result: ReadResult) -> list[tuple[str | None, str | None]]:
    """Each question's prompt and the body of the stimulus it shows."""
    assert result.bank is not None, result.diagnostics
    bodies = {s.id: s.body for s in result.bank.stimuli}
    return [(q.prompt, bodies.get(q.stimulus) if q.stimulus else None)
            for q in result.bank.questions]


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_a_range_of_questions_after_a_dash_is_no_label(dash: str, tmp_path: Path) -> None:
    """`Q1 - Q2 refer to the passage below.` was read as question 1's label: its scenario
    became 'Q2 refer to the passage below.' over the passage, and question 2 lost it (review
    34). It announces the passage that both questions show."""
    body = (f"Q1 {dash} Q2 refer to the passage below.\nThe river floods every spring.\n\n"
            "Q1: When does the river flood?\na) Spring\nb) Autumn\nAnswer: a\n\n"
            "Q2: What does it do?\na) Floods\nb) Dries\nAnswer: a\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None and result.bank.description is None
    assert [s.title for s in result.bank.stimuli] == [f"Q1 {dash} Q2 refer to the passage below."]
    assert _shared(result) == [("When does the river flood?", "The river floods every spring."),
                               ("What does it do?", "The river floods every spring.")]
    assert [q.scenario for q in result.bank.questions] == [None, None]


@pytest.mark.parametrize("head", [
    "Q1 - 2 refer to the passage below.", "Q1 – 3 are based on the passage below.",
    "Q1 — 2: refer to the passage below.", "Q1 - 2 relate to the passage below.",
    "Q1-2 refer to the passage below.", "Questions 1-2 refer to the passage below.",
    "Q1 - 2 refers to the passage below.", "Questions 1 and 2 relate to the passage below.",
])
def test_a_range_to_a_bare_number_over_a_passage_is_no_label(head: str,
                                                             tmp_path: Path) -> None:
    """`Q1 - 2 refer to the passage below.` was question 1's label: its scenario became '2
    refer to the passage below.' over the passage, and question 2 lost it (review 35). A range
    the lines it heads refer to announces their passage, as `Q1 - Q2 …` does; the verb may
    agree with the passage (`refers`), which was no announcement and question 1's label."""
    third = "\n\nQ3: Where is it?\na) North\nb) South\nAnswer: a\n" if "3" in head else ""
    body = (f"{head}\nThe river floods every spring.\n\n"
            "Q1: When does the river flood?\na) Spring\nb) Autumn\nAnswer: a\n\n"
            f"Q2: What does it do?\na) Floods\nb) Dries\nAnswer: a{third}\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    shared = "The river floods every spring."
    assert result.bank is not None and result.bank.description is None
    assert _shared(result)[:2] == [("When does the river flood?", shared),
                                   ("What does it do?", shared)]
    assert [q.stimulus is not None for q in result.bank.questions] == [True] * (
        3 if third else 2)


def test_a_range_to_a_bare_number_as_a_heading_over_a_passage_is_no_label(
        tmp_path: Path) -> None:
    """A heading that announces a passage is no title of the bank (it was)."""
    body = ("## Q1 - 2 use the passage below.\n\nThe river floods every spring.\n\n"
            "## Q1: When does the river flood?\na) Spring\nb) Autumn\nAnswer: a\n\n"
            "## Q2: What does it do?\na) Floods\nb) Dries\nAnswer: a\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None
    assert result.bank.title == "quiz"
    assert [s.title for s in result.bank.stimuli] == ["Q1 - 2 use the passage below."]
    assert _shared(result) == [("When does the river flood?", "The river floods every spring."),
                               ("What does it do?", "The river floods every spring.")]


@pytest.mark.parametrize(("first", "prompt", "scenario"), [
    ("Q1 - 25% of 80 is?", "25% of 80 is?", None),
    ("Q1 - 2 apples cost 3 dollars. What does one cost?", "What does one cost?",
     "2 apples cost 3 dollars."),
    ("Q1 - 2 users share a file. Which lock do they use?", "Which lock do they use?",
     "2 users share a file."),
])
def test_a_q_label_with_a_dash_over_a_number_stays_the_questions(
        first: str, prompt: str, scenario: str | None, tmp_path: Path) -> None:
    body = f"{first}\na) 20\nb) 25\nAnswer: a\n\nQ2 - What is 2+3?\na) 5\nb) 6\nAnswer: a\n"
    questions = read_questions(body, tmp_path)
    assert [(q["prompt"], q.get("scenario")) for q in questions] == [
        (prompt, scenario), ("What is 2+3?", None)]


@pytest.mark.parametrize("head", [
    "Q2 - Q3 refer to the passage below.", "Q2 - 3 refer to the passage below.",
    "Questions 2-3 refer to the passage below.", "**Questions 2 to 3** are based on this text:",
])
def test_a_range_over_a_passage_after_a_question_is_its_questions(head: str,
                                                                 tmp_path: Path) -> None:
    """After question 1's key, the passage that questions 2 and 3 refer to was refused as
    text under that key (it would have been question 1's explanation): it is the stimulus of
    questions 2 and 3, and question 1 has no explanation."""
    body = ("Q1 - What is 1+1?\na) 2\nb) 3\nAnswer: a\n\n"
            f"{head}\nThe river floods every spring.\n\n"
            "Q2 - When does the river flood?\na) Spring\nb) Autumn\nAnswer: a\n\n"
            "Q3 - What does it do?\na) Floods\nb) Dries\nAnswer: a\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    shared = "The river floods every spring."
    assert _shared(result) == [("What is 1+1?", None), ("When does the river flood?", shared),
                               ("What does it do?", shared)]
    assert result.bank is not None and result.bank.questions[0].explanation is None


def test_options_numbered_in_roman_numerals_are_told_to_be_lettered(tmp_path: Path) -> None:
    """`i) 4`, `ii) 5`: the error quoted 'ii) 5' as text after the options, with a hint
    about Explanation: and Answer: lines, which does not say why."""
    body = "1. Which is a prime?\ni) 4\nii) 5\niii) 6\nAnswer: ii\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    errors = [(d.line, d.hint) for d in result.diagnostics if d.is_error]
    assert errors == [(3, "options numbered i), ii), iii) are not read (the first reads as an "
                          "option lettered i): letter them a), b), c) and name the key by its "
                          "letter")]


def test_no_key_with_one_bold_bulleted_option_says_how_to_key_it(tmp_path: Path) -> None:
    """`- **Dolphin**` among plain bullets marks no key (bold is as often emphasis there);
    the error said only to add an Answer line, not why the bold was not read."""
    body = "1. Which is a mammal?\n- Shark\n- **Dolphin**\n- Trout\n"
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert [d.hint for d in result.diagnostics if d.is_error] == [
        "if the bold option (B) is the key, add a line 'Answer: B': only a lettered option in "
        "bold ('**b) …**') marks it"]


@pytest.mark.parametrize("keyed", ["inline", "answer key"])
def test_questions_numbered_past_9999_are_read(keyed: str, tmp_path: Path) -> None:
    """A question number took four digits: question 10000 of a large file was no question's
    start (its number the scenario '10000.', which shows nothing, or text after question
    9999's answer; with an answer key ending the file, 'no key' for each question)."""
    numbers = range(9998, 10002)
    if keyed == "inline":
        body = "".join(f"{n}. What is {n}+1?\na) {n + 1}\nb) {n + 2}\nAnswer: a\n" for n in numbers)
    else:
        body = ("".join(f"{n}. What is {n}+1?\na) {n + 1}\nb) {n + 2}\n" for n in numbers)
                + "\nAnswer key\n" + "".join(f"{n}. a\n" for n in numbers))
    questions = read_questions(body, tmp_path)
    assert [(q["prompt"], q.get("scenario")) for q in questions] == [
        (f"What is {n}+1?", None) for n in numbers]
    assert keys(questions) == [[str(n + 1)] for n in numbers]


def test_a_question_number_of_six_digits_is_told(tmp_path: Path) -> None:
    body = "".join(f"{n}. What is {n}+1?\na) {n + 1}\nb) {n + 2}\nAnswer: a\n\n"
                   for n in (99999, 100000))
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [
        (6, "this question's number has more than five digits",
         "number the questions up to 99999, or split the file")]



@pytest.mark.parametrize("key", ["Answer: a", "**Answer:** B", "Correct answer: (a)"])
def test_a_key_over_the_first_question_is_told_not_the_description(key: str,
                                                                    tmp_path: Path) -> None:
    """`Answer: a` as the file's first line, over question 1's number after a blank line,
    was the bank's description: the key was shown as the quiz's introduction, and the
    question read with no key or the next one's."""
    body = f"{key}\n\n1. What is 2+2?\na) 4\nb) 5\n\n2. What is 2+3?\na) 4\nb) 5\nAnswer: b\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [
        (1, f"a key before the first question (\"{key}\")"),
        (3, "no key: nothing says which option is correct")]
    assert result.diagnostics[0].hint == "write the key under the options of the question it keys"


@pytest.mark.parametrize("first", ["Answers: write them on the sheet.", "Key: ★ marks a hard one.",
                                   "Explanation: each answer is one letter."])
def test_a_first_line_labelled_as_a_key_naming_no_letter_stays_the_description(
        first: str, tmp_path: Path) -> None:
    body = f"{first}\n\n1. What is 2+2?\na) 4\nb) 5\nAnswer: a\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None and result.bank.description == first


@pytest.mark.parametrize(("n", "m", "third", "newline"), [
    (1, 2, "\n3. Start compressions\n", "\n"), (1, 2, "", "\n"), (5, 6, "", "\n"),
    (1, 2, "\n3. Start compressions\n", "\r\n")])
def test_a_loose_list_in_an_explanation_goes_on_past_the_next_questions_number(
        n: int, m: int, third: str, newline: str, tmp_path: Path) -> None:
    """The same steps with a blank line between them: `2. Call for help` started the second
    question, which got the scenario 'Call for help\\n\\n2.' (its `2. Which rate …?` read
    as an item of a list in its stem) while the first question's explanation lost its last
    step, silently on b900dff; refused since the stem's list takes no item asking over
    options ('this question has no options', as with a third step before)."""
    body = (f"{n}. Which is first in CPR?\na) Compressions\nb) Breaths\nAnswer: a\n"
            f"Explanation: Steps:\n\n1. Check response\n\n2. Call for help\n{third}\n"
            f"{m}. Which rate is right?\na) 100-120/min\nb) 60/min\nAnswer: a\n")
    questions = read_questions(body.replace("\n", newline), tmp_path)
    steps = "1. Check response\n\n2. Call for help" + ("\n\n3. Start compressions" if third
                                                        else "")
    assert [q.get("explanation") for q in questions] == [f"Steps:\n\n{steps}", None]
    assert [q["prompt"] for q in questions] == ["Which is first in CPR?", "Which rate is right?"]
    assert "scenario" not in questions[1]
    # Asking over options, `2.` after the list's `1.` and a blank line is the next question.
    body = ("1. Which is first in CPR?\na) Compressions\nb) Breaths\nAnswer: a\n"
            "Explanation: Steps:\n\n1. Check response\n\n2. Which rate is right?\n"
            "a) 100-120/min\nb) 60/min\n")
    for key in ("Answer: a\n", "\nAnswers\n1. a\n2. a\n"):
        questions = read_questions(body + key, tmp_path)
        assert [(q["prompt"], q.get("explanation")) for q in questions] == [
            ("Which is first in CPR?", "Steps:\n\n1. Check response"),
            ("Which rate is right?", None)]


@pytest.mark.parametrize("gap", ["", "\n"], ids=["tight", "loose"])
def test_a_list_in_the_second_questions_explanation_ends_at_the_third_question(
        gap: str, tmp_path: Path) -> None:
    """Question 2's explanation's steps, a blank line, then question 3 numbered next after
    the last step, with a list in its stem: whether `3.` goes on with the steps was decided
    by a look for options before the next question's start, which took any `1.` for one (as
    in a file whose questions are all numbered `1.`) when only question 1 was done; so
    `1. Paris …` ended the look, `3. Consider …` went into question 2's explanation, and
    question 3 read the scenario 'Paris is in France.\\n2. Rome is in Spain.', silently
    (b900dff read it right, looking only right under the list)."""
    body = ("1. Which is right?\na) One\nb) Two\nAnswer: a\n\n"
            "2. Which is wrong?\na) One\nb) Two\nAnswer: b\nExplanation: Steps:\n"
            f"1. Check response\n{gap}2. Call for help\n\n"
            "3. Consider the following statements:\n1. Paris is in France.\n"
            "2. Rome is in Spain.\nWhich is correct?\na) One\nb) Two\nAnswer: b\n")
    questions = read_questions(body, tmp_path, "quiz.txt")
    assert [(q.get("scenario"), q["prompt"], q.get("explanation")) for q in questions] == [
        (None, "Which is right?", None),
        (None, "Which is wrong?", f"Steps:\n1. Check response\n{gap}2. Call for help"),
        ("Consider the following statements:\n1. Paris is in France.\n2. Rome is in Spain.",
         "Which is correct?", None)]
