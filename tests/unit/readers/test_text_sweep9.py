"""Layouts of session 27's sweep: real quiz files the reader refused or read wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions

UNNUMBERED = ("Which gas do plants absorb?\nA. Oxygen\nB. Carbon dioxide\nC. Nitrogen\n\n"
              "What is the SI unit of force?\nA. Joule\nB. Watt\nC. Newton\n\n"
              "Which planet is the largest?\nA. Jupiter\nB. Mars\nC. Venus\n\n")


def _errors(body: str, tmp_path: Path) -> list[tuple[int | None, str, str | None]]:
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is None
    return [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error]


@pytest.mark.parametrize("key", [
    "Answer key\n1. B\n2. C\n3. A\n",
    "## Answers\n\n3. A\n1. B\n2. C\n",  # in any order: by number
    "Answer Key\n| Q | Answer |\n|---|---|\n| 1 | B |\n| 2 | C |\n| 3 | A |\n",
])
def test_unnumbered_questions_take_a_numbered_answer_key_by_place(
        key: str, tmp_path: Path) -> None:
    """A worksheet's questions without numbers, then `Answer key` and `1. B` …: the key's
    numbers count the questions in order. Refused before: 'names question 1, which the file
    does not have'."""
    questions = read_questions(UNNUMBERED + key, tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"], ["Jupiter"]]


def test_unnumbered_questions_take_answer_blocks_by_place(tmp_path: Path) -> None:
    body = ("# Quiz\n\n### Which gas do plants absorb?\nA. Oxygen\nB. Carbon dioxide\n\n"
            "### What is the SI unit of force?\nA. Newton\nB. Joule\n\n## Answer Key\n\n"
            "**Question 1**\n**Answer**: B\n**Explanation**: Plants take in CO2.\n\n"
            "**Question 2**\n**Answer**: A\n**Explanation**: Force is in newtons.\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"]]
    assert [q["explanation"] for q in questions] == ["Plants take in CO2.",
                                                     "Force is in newtons."]


@pytest.mark.parametrize(("key", "listed"), [
    ("Answer key\n1. B\n2. C\n", "2 answers by number (1 to 2)"),  # one short
    ("Answer key\n1. B\n2. C\n3. A\n4. B\n", "4 answers by number (1 to 4)"),  # one over
    ("Answer key\n1. B\n2. C\n4. A\n", "3 answers by number (1 to 4)"),  # one skipped
])
def test_an_answer_key_that_does_not_count_the_unnumbered_questions_is_refused(
        key: str, listed: str, tmp_path: Path) -> None:
    """By place only where the key numbers exactly 1 to the count: a question more or less
    (a merged or split question, an intro read as one) would shift every key after it."""
    first, *_ = _errors(UNNUMBERED + key, tmp_path)
    assert first[1] == (f"the answer key lists {listed}, and the file has 3 questions, "
                        "none numbered")
    assert first[2] is not None and "number each question as the answer key names it" in first[2]


def test_a_key_by_number_over_partly_numbered_questions_stays_by_number(
        tmp_path: Path) -> None:
    """One question numbered: the key names questions by their numbers, never by place."""
    body = UNNUMBERED.replace("What is", "2. What is") + "Answer key\n1. B\n2. C\n3. A\n"
    messages = [message for _, message, _ in _errors(body, tmp_path)]
    assert "the answer key names question 1, which the file does not have" in messages
    assert "the answer key names question 3, which the file does not have" in messages


# -- options several to a line ---------------------------------------------------------------


@pytest.mark.parametrize("options", [
    "(a) Oxygen (b) Carbon dioxide (c) Nitrogen (d) Hydrogen",
    "A. Oxygen    B. Carbon dioxide    C. Nitrogen    D. Hydrogen",
    "a) Oxygen\tb) Carbon dioxide\tc) Nitrogen\td) Hydrogen",
    "(A) Oxygen     (B) Carbon dioxide\n(C) Nitrogen     (D) Hydrogen",  # two a line
    "A. Oxygen  B. Carbon dioxide  C. Nitrogen\nD. Hydrogen",  # the last alone
])
def test_options_several_to_a_line_are_read(options: str, tmp_path: Path) -> None:
    """Exam papers and their PDFs' text put options on one line or two a line; refused
    before ('this question has one option: the others are on its line')."""
    questions = read_questions(f"1. Which gas do plants absorb?\n{options}\nAns: (b)\n\n"
                               "2. What is 2+3?\n(a) 5 (b) 6\nAnswer: a\n", tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [
        ["Oxygen", "Carbon dioxide", "Nitrogen", "Hydrogen"], ["5", "6"]]
    assert keys(questions) == [["Carbon dioxide"], ["5"]]


@pytest.mark.parametrize(("options", "texts"), [
    # Another option holds the next letter in its text: every option stays as written.
    ("(a) Both (b) and (c)\n(b) Only (c)\n(c) Neither",
     ["Both (b) and (c)", "Only (c)", "Neither"]),
    ("A. Choose plan B. It is cheaper.\nB. Choose plan C.\nC. Neither",
     ["Choose plan B. It is cheaper.", "Choose plan C.", "Neither"]),
    ("A. Keep it\nB. Drop it\nC. Choose plan D. It is cheaper.",
     ["Keep it", "Drop it", "Choose plan D. It is cheaper."]),
    # The next letter in code, or in the other case, is text.
    ("(a) `f (b) g` (b) h", ["`f (b) g`", "h"]),
    ("A. the b. c. d. of it\nB. none", ["the b. c. d. of it", "none"]),
])
def test_the_next_letter_in_an_options_text_stays_text(
        options: str, texts: list[str], tmp_path: Path) -> None:
    [question] = read_questions(f"1. Which one?\n{options}\nAnswer: B\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == texts


@pytest.mark.parametrize(("options", "texts"), [
    # A two-column page's text: letters run down the columns.
    ("A) problems exist    D) not to think\nB) in the mind      E) to avoid\n"
     "C) a thing\tF) the end",
     ["problems exist", "in the mind", "a thing", "not to think", "to avoid", "the end"]),
    ("(a) one   (d) four\n(b) two   (e) five\n(c) three",
     ["one", "two", "three", "four", "five"]),
])
def test_options_in_columns_are_read_in_their_letters_order(
        options: str, texts: list[str], tmp_path: Path) -> None:
    """Text sweep 9's 14: with a key, `A) … D) …` / `B) … E) …` / `C) … F) …` was read as
    three options holding two options' text each, silently. Printed columns are padded: a
    run of spaces or a tab before each."""
    [question] = read_questions(f"1. Which one?\n{options}\nAnswer: B\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == texts
    assert keys([question]) == [[texts[1]]]


def test_an_option_naming_a_later_letter_is_no_column(tmp_path: Path) -> None:
    [question] = read_questions("1. Which one?\nA) Both B) and C) are right\nB) Neither\n"
                                "Answer: B\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == ["Both B) and C) are right", "Neither"]


@pytest.mark.parametrize("last", [" (D)27 Ω", " d)27 Ω"])
def test_the_next_option_without_its_space_is_an_option(last: str, tmp_path: Path) -> None:
    """Text sweep 9's 18: ` (D)27 Ω` under ` (C) 9 Ω` was C's text: three options, silently."""
    style = "({}) " if last.startswith(" (") else "{}) "
    body = "".join(f" {style.format(letter)}{text}\n\n" for letter, text in
                   zip("ABC" if style.startswith("(") else "abc", ["6 Ω", "3 Ω", "9 Ω"],
                       strict=True))
    [question] = read_questions(f"8. The resistance is?\n{body}{last}\n\nAns: 3 Ω\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == ["6 Ω", "3 Ω", "9 Ω", "27 Ω"]


def test_a_letter_and_full_stop_without_a_space_continue_the_option(tmp_path: Path) -> None:
    """`E.g.` under option D is its text: `E.` glued is no option."""
    [question] = read_questions("1. Which one?\nA. x\nB. y\nC. z\nD. the last\n  E.g. this\n"
                                "Answer: D\n", tmp_path)
    assert question["choices"][-1]["text"] == "the last\nE.g. this"


# -- labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Q.{}.", "Q. {})", "Q.{})", "Question-{}"])
def test_indian_exam_labels_come_off(label: str, tmp_path: Path) -> None:
    """Text sweep 9's 01, 19 and 22: `Q.1.` was read as the scenario, `Q. 1)` kept `1)` and
    `Question-1` kept itself in the prompt, silently."""
    questions = read_questions(
        f"{label.format(1)} Which gas do plants absorb\nA) Oxygen\nB) Carbon dioxide\n"
        f"Answer: B\n\n{label.format(2)} What is 2+3?\nA) 5\nB) 6\nAnswer: A\n", tmp_path)
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [
        (None, "Which gas do plants absorb"), (None, "What is 2+3?")]


@pytest.mark.parametrize("label", ["Q{}.", "Q{}:", "**Q{}.**"])
def test_a_text_right_over_a_label_is_its_scenario_without_the_label(
        label: str, tmp_path: Path) -> None:
    """A case's text right over each question's label (review 27: USMLE-style vignettes), or
    a page's introduction over the first (text sweep 9's 07): the label stayed in the prompt
    or the scenario. The text stays the question's scenario (an introduction so written
    too: a blank line under it makes it the bank's description)."""
    questions = read_questions(
        f"A 45-year-old man has chest pain.\n{label.format(1)} What is the diagnosis?\n"
        "(a) Infarction\n(b) Gastritis\nAnswer: a\n\nA 30-year-old woman has dyspnoea.\n"
        f"{label.format(2)} What is the diagnosis?\n(a) Asthma\n(b) Embolism\nAnswer: b\n",
        tmp_path)
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [
        ("A 45-year-old man has chest pain.", "What is the diagnosis?"),
        ("A 30-year-old woman has dyspnoea.", "What is the diagnosis?")]


def test_a_text_right_over_a_question_label_is_refused_not_moved(tmp_path: Path) -> None:
    """`Question 1:` starts a question wherever it stands: the text over it is a part of its
    own, refused as one (never the question before's explanation, nor the description)."""
    errors = _errors("A 45-year-old man has chest pain.\nQuestion 1: What is it?\n(a) MI\n"
                     "(b) GERD\nAnswer: a\n", tmp_path)
    assert [(line, message) for line, message, _ in errors] == [
        (1, "this question has no options")]


@pytest.mark.parametrize(("stem", "kept"), [
    ("Sales were:\nQ.1. 100 units\nQ.2. 120 units\nWhich quarter sold more?", "Q.1. 100 units"),
    ("Situation: A sales review.\n\nQ1: revenue fell. What should we do?", "Q1: revenue fell."),
])
def test_quarters_in_a_stem_stay_text(stem: str, kept: str, tmp_path: Path) -> None:
    [question] = read_questions(f"{stem}\n- A\n- B\nAnswer: B\n", tmp_path)
    assert kept in question.get("scenario", "")


def test_a_numbered_list_right_over_options_stays_the_stem(tmp_path: Path) -> None:
    """Only a label ends the text above without a blank line: `1.` may be a list's item."""
    [question] = read_questions("Consider the cities:\n1. Paris\n2. Lyon\nWhich are in France?"
                                "\nA) Both\nB) Neither\nAnswer: A\n", tmp_path)
    assert "1. Paris" in (question.get("scenario") or "") + question["prompt"]


# -- an answer key on one line ----------------------------------------------------------------

NUMBERED = ("1. Which gas do plants absorb?\nA) Oxygen\nB) Carbon dioxide\nC) Nitrogen\n\n"
            "2. What is the SI unit of force?\nA) Joule\nB) Watt\nC) Newton\n\n")


@pytest.mark.parametrize("key", [
    "Answers: 1:B; 2:C",  # a general-knowledge page
    "Answers: 1-b, 2-c",  # a lesson's quiz
    "**Answer Key**: [1-b, 2-c]",  # course notes
    "Answer key: 1. B  2. C.",
    "## Answers: 1 - (b), 2 - (c)",
])
def test_an_answer_key_on_one_line_keys_the_questions(key: str, tmp_path: Path) -> None:
    """Text sweep 9's 03, 15 and 17: the line was read as the last question's own key
    ('names none of the options'), every other question 'no key'."""
    questions = read_questions(NUMBERED + key + "\n", tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"]]


def test_a_summary_under_a_rule_may_follow_a_one_line_key(tmp_path: Path) -> None:
    """Course notes: the key, a rule, then the week's summary under its heading, which is
    left out as a section that asks nothing."""
    questions = read_questions(NUMBERED + "**Answer Key**: [1-b, 2-c]\n\n---\n\n## Week 7 "
                               "Summary\n\nWe covered sharding and caching.\n", tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"]]


@pytest.mark.parametrize("tail", [
    "Answers: 1-b, 3-c",  # not 1, 2 in turn
    "Answers: 1-b",  # one entry: a question's own key
    "Answers: 1-b, 2-c because of the units",  # prose after the entries
    "Answers: 1-b, 2-c\nMore text that is not a section.",  # text right under it
    "Answers: 1-b, 2-c\n\n3. What is 2+3?\nA) 5\nB) 6\nAnswer: A",  # a question after it
])
def test_a_line_like_a_one_line_key_that_is_none_stays_as_before(
        tail: str, tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.md", (NUMBERED + tail + "\n").encode(), tmp_path))
    assert result.bank is None  # the first question has no key of its own
    assert any(d.line == 1 and d.message.startswith("no key") for d in result.diagnostics)


# -- options numbered in brackets -------------------------------------------------------------

JEE = ("Question 1. The sum of the prime factors is\n(1) 26\n(2) 27\n(3) 66\n(4) 23\n{key}\n\n"
       "Question 2. Number of ways of arranging the books is\n(1) 18\n(2) 16\n(3) 12\n(4) 15\n"
       "Answer: (4)\n")


@pytest.mark.parametrize("key", ["Answer: (1)", "Answer. (1)", "Answer: 1", "Answer. (1) 26"])
def test_options_numbered_in_brackets_keyed_by_number(key: str, tmp_path: Path) -> None:
    """Text sweep 9's 24 and 25 (JEE answer pages): `(1) 26` … with `Answer: (1)` were 'no
    options'; `Answer.` was no key label."""
    questions = read_questions(JEE.format(key=key), tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [
        ["26", "27", "66", "23"], ["18", "16", "12", "15"]]
    assert keys(questions) == [["26"], ["15"]]


@pytest.mark.parametrize("options", [
    "(1) 26 (2) 27 (3) 66 (4) 23",
    "(1) 26  (2) 27\n(3) 66\t(4) 23",
    "(1) 26 (2) 27 (3) 66\n(4) 23",
])
def test_options_numbered_in_brackets_several_to_a_line(options: str, tmp_path: Path) -> None:
    """Docs review 31: JEE and NEET papers print them several to a line, which was 'no
    options' with a hint describing that very input."""
    body = f"Question 1. The sum of the prime factors is\n{options}\nAnswer: (2)\n"
    [question] = read_questions(body, tmp_path)
    assert [c["text"] for c in question["choices"]] == ["26", "27", "66", "23"]
    assert keys([question]) == [["27"]]


def test_an_option_naming_others_by_number_stays_whole(tmp_path: Path) -> None:
    [question] = read_questions(
        "1. Which is right?\n(1) Both (2) and (3)\n(2) Only (1)\n(3) None\nAnswer: (1)\n",
        tmp_path)
    assert [c["text"] for c in question["choices"]] == ["Both (2) and (3)", "Only (1)", "None"]
    assert keys([question]) == [["Both (2) and (3)"]]


def test_statements_in_brackets_over_numbered_options(tmp_path: Path) -> None:
    """Text sweep 9's 11 (CUET): lettered statements in the stem, numbered options."""
    [question] = read_questions(
        "Q48. Consider the statements:\n(A) Geography is integrative\n(B) It is divided\n"
        "Which are correct?\n(1) (A) only\n(2) (B) only\n(3) Both\nAnswer: (1)\n", tmp_path)
    assert "(B) It is divided" in (question.get("scenario") or "") + question["prompt"]
    assert [c["text"] for c in question["choices"]] == ["(A) only", "(B) only", "Both"]
    assert keys([question]) == [["(A) only"]]


@pytest.mark.parametrize("body", [
    # Statements numbered so over no options, keyed by letter: no options read into them.
    "1. Which hold?\n(1) x\n(2) y\nAnswer: B\n",
    # Out of order, as one JEE page printed them: refused, with how they are read.
    "1. Which one?\n(2) x\n(1) y\n(3) z\nAnswer: (3)\n",
])
def test_numbers_in_brackets_that_are_no_options_stay_refused(body: str, tmp_path: Path) -> None:
    [(line, message, hint)] = _errors(body, tmp_path)
    assert (line, message) == (1, "this question has no options")
    assert hint is not None and "options numbered in brackets" in hint


def test_a_bracketed_number_beyond_the_options_is_an_error(tmp_path: Path) -> None:
    [(_, message, _)] = _errors("1. Which one?\n(1) x\n(2) y\nAnswer: (5) z\n", tmp_path)
    assert message == "the key names option 5, but the question has 2 numbered options (1–2)"


def test_a_key_restating_its_option_cut_short_is_no_rationale(tmp_path: Path) -> None:
    """Text sweep 9's 21 (a CBSE page): `Correct Answer: (a) Melting of candle` for `Melting
    of candle wax when heated` became the explanation, which learners would see."""
    questions = read_questions(
        "1. Which is a physical change?\n(a) Melting of candle wax when heated\n(b) Burning\n"
        "Correct Answer: (a) Melting of candle\n\n2. Which city?\n(a) Paris is large\n(b) Lyon\n"
        "Correct Answer: (a) Paris is the capital of France.\n", tmp_path)
    assert [q.get("explanation") for q in questions] == [
        None, "Paris is the capital of France."]


# -- letters written otherwise -----------------------------------------------------------------


@pytest.mark.parametrize(("options", "key"), [
    ("[A] Nitrogen\n[B] Hydrogen\n[C] Oxygen", "Answer: B [Hydrogen]"),  # a GK site
    ("   A.) Nitrogen\n   B.) Hydrogen\n   C.) Oxygen", "Answer: Option 'B'"),  # another
])
def test_options_lettered_in_square_brackets_or_with_a_full_stop(
        options: str, key: str, tmp_path: Path) -> None:
    """Text sweep 9's 19 and 20: `[A] …` and `A.) …` were no options ('this question has no
    options', every question one)."""
    questions = read_questions(f"Q.1. Which is in acids?\n{options}\n{key}\n\n"
                               f"Q.2. Which is a gas?\n{options}\n{key}\n", tmp_path)
    assert [[c["text"] for c in q["choices"]] for q in questions] == [
        ["Nitrogen", "Hydrogen", "Oxygen"]] * 2
    assert keys(questions) == [["Hydrogen"], ["Hydrogen"]]


def test_a_bullet_before_a_questions_number_over_such_options(tmp_path: Path) -> None:
    questions = read_questions("  • 26. Which is heavier?\n   A.) Lead\n   B.) Tin\n\n"
                               "Answer: Option 'A'\n\n  • 27. Which is lighter?\n   A.) Lead\n"
                               "   B.) Tin\n\nAnswer: Option 'B'\n", tmp_path)
    assert [q["prompt"] for q in questions] == ["Which is heavier?", "Which is lighter?"]
    assert keys(questions) == [["Lead"], ["Tin"]]


def test_one_line_in_square_brackets_stays_text(tmp_path: Path) -> None:
    [question] = read_questions("1. Which one?\n[a] see the note below\nA) x\nB) y\n"
                                "Answer: A\n", tmp_path)
    assert question["prompt"].endswith("[a] see the note below")


# -- review 27: counterexamples to this session's first readings ---------------------------------


@pytest.mark.parametrize(("first", "others"), [
    ("A. Infection by E. coli", ["B. Staphylococcus", "C. Candida", "D. Proteus"]),
    ("A. T. E. Lawrence", ["B. Orwell", "C. Woolf", "D. Joyce"]),
    ("A. Arthur C. Clarke", ["B. Isaac Asimov"]),
    ("A. Washington, D. C.", ["B. Ottawa", "C. Lima"]),
    ("A. President John F. Kennedy", ["B. Nixon", "C. Ford", "D. Carter", "E. Reagan"]),
    ("a. Whole grains, e. g. oats", ["b. Sugar", "c. Salt", "d. Fat"]),
    # An option that starts with the letter of the column it would be: no crash.
    ("A. E. coli", ["B. Staphylococcus", "C. Candida", "D. Proteus"]),
    ("A. D. H. Lawrence", ["B. Orwell", "C. Woolf"]),
    # Initials that fall on every column letter: one space before them (review 27b).
    ("A. Dwight D. Eisenhower", ["B. Robert E. Lee", "C. Ulysses S. Grant"]),
    ("A. Arthur C. Clarke", ["B. Philip D. Kerr"]),
])
def test_an_initial_in_an_options_text_is_no_column(
        first: str, others: list[str], tmp_path: Path) -> None:
    """Review 27's 1 and 2: an initial n letters on (`E.` over four options) was read as a
    second column: the option cut, a made-up option added; or a crash."""
    [question] = read_questions("1. Which one?\n" + "\n".join([first, *others])
                                + "\nAnswer: A\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == [
        line.split(" ", 1)[1] for line in [first, *others]]


@pytest.mark.parametrize("options", [
    "(a)      (b)      (c)      (d)",  # a PDF's text, its options figures
    "(a) 2 Ω (b) (c) 6 Ω (d) 8 Ω",
])
def test_options_with_no_text_on_one_line_are_refused_not_a_crash(
        options: str, tmp_path: Path) -> None:
    errors = _errors(f"1. Which circuit?\n{options}\nAnswer: (a)\n", tmp_path)
    assert errors and errors[0][0] == 2


def test_question_dash_number_in_prose_is_no_label(tmp_path: Path) -> None:
    """Review 27's 5: `Question-2 asks the reverse` in an explanation was a label."""
    questions = read_questions(
        "Question-1 Which gas do plants absorb?\n(a) Oxygen\n(b) Carbon dioxide\nAnswer: b\n"
        "Explanation: Plants absorb CO2.\nQuestion-2 asks the reverse.\n\n"
        "Question-2 Which gas do animals exhale?\n(a) Oxygen\n(b) Carbon dioxide\nAnswer: b\n",
        tmp_path)
    assert [q.get("explanation") for q in questions] == [
        "Plants absorb CO2.\nQuestion-2 asks the reverse.", None]


def test_a_question_dash_number_headings_topic_is_its_title(tmp_path: Path) -> None:
    questions = read_questions("## Question-1 - Sorting\nWhich sort is stable?\n- Quick\n"
                               "- Merge\nAnswer: B\n", tmp_path)
    assert [(q.get("title"), q["prompt"]) for q in questions] == [
        ("Sorting", "Which sort is stable?")]


def test_a_copyright_line_under_the_options_is_no_option(tmp_path: Path) -> None:
    [question] = read_questions("1. Which gas?\n (a) Oxygen\n (b) Carbon dioxide\n"
                                " (c)2024 ExamPrep Online\nAnswer: b\n", tmp_path)
    assert len(question["choices"]) == 2


# -- page chrome and bare labels -----------------------------------------------------------------


def test_an_answer_button_between_options_and_key_is_left_out(tmp_path: Path) -> None:
    """Text sweep 9's 23: `Show Answer` (a page's button) was 'text after the options'."""
    questions = read_questions(
        "Question 1: What is 2+3?\nOptions:\nA) 5\nB) 6\nShow Answer\nThe correct answer is A .\n"
        "-\nQuestion 2: What is 2+2?\nOptions:\nA) 4\nB) 5\n[View Answer & Explanation]\n"
        "Answer: A\n", tmp_path)
    assert keys(questions) == [["5"], ["4"]]


def test_a_bare_explanation_label_under_the_key(tmp_path: Path) -> None:
    """Text sweep 9's 22: `Explanation` without its colon under `Answer: A) …` was the
    explanation's first line."""
    questions = read_questions(
        "Question-1 Which is heavier?\nA) Lead\nB) Tin\nAnswer: A) Lead\nExplanation\n"
        "Lead is denser.\nQuestion-2 Which is lighter?\nA) Lead\nB) Tin\nAnswer: B) Tin\n"
        "Explanation\nTin is less dense.\n", tmp_path)
    assert [q.get("explanation") for q in questions] == ["Lead is denser.", "Tin is less dense."]


def test_explanation_as_a_word_in_a_stem_stays_text(tmp_path: Path) -> None:
    [question] = read_questions("1. Which word means a reason given?\nExplanation\nA) Yes\n"
                                "B) No\nAnswer: A\n", tmp_path)
    assert "Explanation" in question["prompt"] + (question.get("scenario") or "")


@pytest.mark.parametrize("heading", ["Biology Answers", "## Practice Test 2 Answer Key"])
def test_an_answer_key_headed_with_its_subject(heading: str, tmp_path: Path) -> None:
    """Text sweep 9's 09: `Biology Answers` over `1. A: …` entries was no key heading."""
    questions = read_questions(NUMBERED + f"{heading}\n\n1. B: Plants take in CO2.\n2. C\n",
                               tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"]]


def test_a_heading_ending_in_key_after_a_subject_is_no_answer_key(tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.md", (NUMBERED + "Primary Key\n1. B\n2. C\n").encode(),
                                     tmp_path))
    assert result.bank is None


# -- quizzes as Markdown tables -------------------------------------------------------------------

TABLE = ("# Module 3\n\n| # | Question | A | B | C | D | Answer | Explanation |\n"
         "|---|----------|---|---|---|---|--------|-------------|\n"
         "| 1 | Primary goal of unnamed classes? | Enhance GC | Reduce boilerplate | Verify "
         "bytecode | Replace packages | B | Focus on simplicity. |\n"
         "| 2 | Preview flag needed? | No | Yes | | | **B** | Must enable preview.<br>Always. |\n")


def test_a_quiz_table_is_read_a_question_a_row(tmp_path: Path) -> None:
    """Text sweep 9's 04-06 (course Markdown): every such table was 'no options'."""
    questions = read_questions(TABLE, tmp_path)
    assert [(q["prompt"], [c["text"] for c in q["choices"]]) for q in questions] == [
        ("Primary goal of unnamed classes?",
         ["Enhance GC", "Reduce boilerplate", "Verify bytecode", "Replace packages"]),
        ("Preview flag needed?", ["No", "Yes"])]
    assert keys(questions) == [["Reduce boilerplate"], ["Yes"]]
    assert [q["explanation"] for q in questions] == ["Focus on simplicity.",
                                                     "Must enable preview.\nAlways."]


def test_a_quiz_table_with_its_options_in_one_column(tmp_path: Path) -> None:
    questions = read_questions(
        "| # | Question | Options | Answer |\n|---|---|---|---|\n| 1 | Which broadcasts? | "
        "A) Direct, B) Topic, C) Fanout, D) Headers | C) Fanout |\n", tmp_path)
    assert [c["text"] for c in questions[0]["choices"]] == ["Direct", "Topic", "Fanout",
                                                            "Headers"]
    assert keys(questions) == [["Fanout"]]


@pytest.mark.parametrize("table", [
    "| Topic | Key Point |\n|---|---|\n| Theory | Queues decouple |\n",  # no quiz
    "| Question | Answer |\n|---|---|\n| What is 2+3? | 5 |\n",  # no options
    "```\n| # | Question | A | B | Answer |\n|---|---|---|---|---|\n| 1 | Q? | x | y | A |\n```\n",
])
def test_other_tables_stay_as_written(table: str, tmp_path: Path) -> None:
    body = "1. What is 2+3?\nA) 5\nB) 6\nAnswer: A\n\nExplanation: adding.\n\n" + table
    [question] = read_questions(body, tmp_path)
    assert "|" in question["explanation"]



# -- review 27b: counterexamples to the later readings ----------------------------------------


@pytest.mark.parametrize("key", ["Answer: (1) and (3)", "Answers: (1) & (3)"])
def test_a_key_naming_two_bracketed_numbers_keys_both(key: str, tmp_path: Path) -> None:
    """Review 27b's 1: the bracketed number before more text took only the first."""
    [question] = read_questions(f"1. Which are prime?\n- 1) 2\n- 2) 4\n- 3) 5\n{key}\n",
                                tmp_path)
    assert keys([question]) == [["2", "5"]]


def test_a_number_key_with_a_dash_and_its_rationale(tmp_path: Path) -> None:
    """Review 27b's 6: `Answer: 2 - Observation, since …` left `(1) …` in the options."""
    [question] = read_questions("1. Which comes first?\n(1) Hypothesis\n(2) Observation\n"
                                "Answer: 2 - Observation, since you notice first.\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == ["Hypothesis", "Observation"]
    assert keys([question]) == [["Observation"]]


def test_a_one_line_key_over_a_later_part_keys_no_file(tmp_path: Path) -> None:
    """Review 27b's 2: a key after part A, part B's options marked: its rules became blank
    lines and a scenario the question before's explanation."""
    result = text.read_result(Source("quiz.md", (
        NUMBERED + "Answers: 1-b, 2-c\n\n---\n\n## Part B\n\nA farmer has 12 cows.\n\n---\n\n"
        "3. How many cows?\n- [x] 12\n- [ ] 6\n").encode(), tmp_path))
    assert result.bank is None


def test_a_key_line_ending_the_last_rationale_stays_its_text(tmp_path: Path) -> None:
    """Review 27b's 7: `Key: 1-a, 2-b` ending the last explanation was the file's key."""
    [question] = read_questions(
        "1. Match them: 1. Newton 2. Darwin.\na) 1-a, 2-b\nb) 1-b, 2-a\nAnswer: a\n"
        "Explanation: Newton found gravity.\nKey: 1-a, 2-b\n", tmp_path)
    assert question["explanation"] == "Newton found gravity.\nKey: 1-a, 2-b"


@pytest.mark.parametrize("lines", [
    "[A] Sound travels in air.\n[B] Sound travels in a vacuum.\nWhich are true?\n- Only A\n"
    "- Only B\nAnswer: Only A",  # statements over bullets (review 27b's 5)
    "Figures:\n[a] Provisional.\n[b] Source: WHO.\nWhich year?\nA) 2020\nB) 2021\nAnswer: A",
])
def test_square_letters_with_no_key_under_them_stay_text(lines: str, tmp_path: Path) -> None:
    [question] = read_questions(f"1. {lines}\n", tmp_path)
    assert len(question["choices"]) == 2
    assert "[" in (question.get("scenario") or "") + question["prompt"]


def test_answer_full_stop_before_prose_is_no_key_label(tmp_path: Path) -> None:
    """Review 27b's 9: `Answer. Iron oxide …` in an explanation was a second key."""
    [question] = read_questions("1. Why is Mars red?\nA) Iron oxide\nB) Paint\nAnswer: A\n"
                                "Explanation: Rust.\nAnswer. Iron oxide gives the colour.\n",
                                tmp_path)
    assert question["explanation"].endswith("Answer. Iron oxide gives the colour.")


@pytest.mark.parametrize("line", ["Q2 Sales were highest at $80,000.",
                                  "Q2. Sales fell 10% in the quarter."])
def test_a_quarter_over_the_questions_own_line_stays_text(line: str, tmp_path: Path) -> None:
    """Review 27b's 4: the own-label rule took `Q2` off a line of the scenario."""
    questions = read_questions("1. What is 2+2?\na) 3\nb) 4\nAnswer: b\n\n2. The team "
                               f"reported.\n{line}\nWhich quarter was best?\na) Q1\nb) Q2\n"
                               "Answer: b\n", tmp_path)
    assert line in (questions[1].get("scenario") or "") + questions[1]["prompt"]


def test_a_one_line_key_not_read_is_told_why(tmp_path: Path) -> None:
    """Course notes (sweep 9's 17): the key, then a summary of ticked bullets after a rule."""
    errors = _errors(NUMBERED.replace("\n\n2.", "\n2.") + "**Answer Key**: [1-b, 2-c]\n\n---\n\n"
                     "## Summary\n\n- ✅ caching\n- ✅ sharding\n", tmp_path)
    hints = [hint for _, message, hint in errors if message.startswith("text after")]
    assert hints and "an answer key on one line is read after the last question" in hints[0]


def test_an_option_glued_to_the_end_of_the_one_before_is_told_so(tmp_path: Path) -> None:
    """Text sweep 9's 02: `(b) Due to gypsum(c) Due to slaked lime` was 'option D is out of
    order'."""
    [(line, message, _)] = _errors("1. Why?\n(a) Heat\n(b) Due to gypsum(c) Due to lime\n"
                                   "(d) Rain\nAnswer: a\n", tmp_path)
    assert (line, message) == (3, 'option C is glued to the end of option B ("Due to gypsum(c) '
                                  'Due to lime")')


# -- review 27c: counterexamples to tables, buttons, labels and key headings ---------------------

ITEMS = ("| Item | A | B | C | D | Key |\n|---|---|---|---|---|---|\n| 1 | 2 | 21 | 3 | 1 | B |\n"
         "| 2 | 10 | 5 | 6 | 6 | A |\n")


@pytest.mark.parametrize("body", [
    # A question's stimulus: an item analysis under its stem (review 27c's 3).
    "1. A teacher's item analysis is shown below.\n\n" + ITEMS + "\nWhich item needs revision?\n"
    "A) 1\nB) 2\nAnswer: B\n",
    # A table in an explanation (19) and results after the last question (4).
    "1. Which store is cheaper?\nA) A\nB) B\nAnswer: B\nExplanation: Compare.\n\n"
    "| Question | A | B | Answer |\n|---|---|---|---|\n| Milk | $1.20 | $1.00 | B |\n",
    # An icebreaker log: a 'Choice' column is no answer (52).
    "| Question | A | B | Choice |\n|---|---|---|---|\n| Fly or hide? | Fly | Hide | A |\n\n"
    "1. How many took part?\nA) 10\nB) 12\nAnswer: B\n",
    # A column the question needs (`Code`): the table stays as written (57).
    "1. Which is right?\nA) x\nB) y\nAnswer: A\n\nExplanation:\n\n| # | Code | Question | A | B "
    "| Answer |\n|---|---|---|---|---|---|\n| 1 | `print(2)` | Output? | 2 | 3 | A |\n",
    # In indented code (10).
    "1. The Markdown below renders as what?\n\n    | Question | A | B | Answer |\n    |---|---|---|"
    "---|\n    | 1+1? | 2 | 3 | A |\n\nA) A table\nB) A list\nAnswer: A\n",
])
def test_tables_that_are_no_quiz_stay_as_written(body: str, tmp_path: Path) -> None:
    """Each file holds one question, its own: a table's rows made none of their own."""
    [question] = read_questions(body, tmp_path)
    assert question["prompt"].startswith(("Which item", "Which store", "How many", "Which is",
                                          "| Question"))  # the last: the code's text


def test_a_question_column_of_numbers_beside_the_stems(tmp_path: Path) -> None:
    """Review 27c's 55 and 56: `Item` or `Question` numbering the rows beside the text."""
    questions = read_questions("| Item | Question | A | B | Answer |\n|---|---|---|---|---|\n"
                               "| 1 | Which planet is largest? | Mars | Jupiter | B |\n", tmp_path)
    assert [q["prompt"] for q in questions] == ["Which planet is largest?"]


def test_show_answer_as_an_option_stays_one(tmp_path: Path) -> None:
    """Review 27c's 20: `* Show Answer` among `*` options was left out, the key moved."""
    [question] = read_questions("1. Which button reveals the key?\n* Submit\n* Show Answer\n"
                                "* Next\nAnswer: B\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == ["Submit", "Show Answer", "Next"]
    assert keys([question]) == [["Show Answer"]]


def test_check_answers_in_a_question_stays_its_text(tmp_path: Path) -> None:
    """Review 27c's 22: `Check answers` in a question's text was left out."""
    [question] = read_questions("1. What do you do last?\nCheck answers\nbefore handing in.\n"
                                "A) Yes\nB) No\nAnswer: A\n", tmp_path)
    assert "Check answers\nbefore handing in." in (question.get("scenario", "")
                                                   + question["prompt"])


@pytest.mark.parametrize("heading", ["Student Answers", "Common Wrong Answers", "Sample Answers"])
def test_answers_that_are_no_key_head_no_answer_key(heading: str, tmp_path: Path) -> None:
    """Review 27c's 40 and 44: a student's or the wrong answers became the key."""
    result = text.read_result(Source("quiz.md", (NUMBERED + f"{heading}\n1. A\n2. B\n").encode(),
                                     tmp_path))
    assert result.bank is None


def test_a_key_wrapped_onto_one_lower_case_word_is_no_label(tmp_path: Path) -> None:
    """Review 27c's 30: `solution` ending a wrapped key line was a label, the word lost."""
    [question] = read_questions("1. Salt water is best described as which?\nA) A suspension\n"
                                "B) A solution\nAnswer: B. Salt dissolves fully in water, so salt "
                                "water is a\nsolution\n", tmp_path)
    assert question["explanation"].endswith("solution")


# -- review 27d ---------------------------------------------------------------------------------


def test_an_item_analysis_whose_rows_are_labels_is_no_quiz(tmp_path: Path) -> None:
    """Review 27d's 2: `| Question | A | … | Key |` over `| Q1 | 12% | …` under a heading."""
    body = ("# Unit 3 Test: Item Analysis\n\n| Question | A | B | Key |\n|---|---|---|---|\n"
            "| Q1 | 12% | 61% | B |\n| Q2 | 5% | 10% | A |\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is None


@pytest.mark.parametrize("heading", ["Peer Answers", "Group Answers", "Survey Answers",
                                     "Participant Answers", "Alternative Answers"])
def test_only_a_keys_words_may_come_before_answers(heading: str, tmp_path: Path) -> None:
    """Review 27d's 3: any capitalised word but a few was a subject, so `Peer Answers` keyed
    the questions: the words are now a key heading's own (a subject, `Quiz`, `Chapter 3`)."""
    result = text.read_result(Source("quiz.md", (NUMBERED + f"{heading}\n1. A\n2. B\n").encode(),
                                     tmp_path))
    assert result.bank is None


@pytest.mark.parametrize("heading", ["Chapter 3 Answers", "Quiz 1 Answer Key", "Unit 2 MCQ Answers"])
def test_a_key_heading_naming_its_quiz(heading: str, tmp_path: Path) -> None:
    questions = read_questions(NUMBERED + f"{heading}\n1. B\n2. C\n", tmp_path)
    assert keys(questions) == [["Carbon dioxide"], ["Newton"]]


# -- options two a line naming the ones before ---------------------------------------------


def test_two_a_line_with_an_option_naming_the_ones_before(tmp_path: Path) -> None:
    """Sweep 9's 01: `(d) Both (a) and (b)` on a line of two kept the pair from being split:
    only a later option's letter in a text makes the letters the text's."""
    [question] = read_questions("Q. 4) In which is the mass not the same?\n(a) Word equation    "
                                "(b) Skeletal equation\n(c) Balanced equation    (d) Both (a) and "
                                "(b)\nAnswer: (d) Both (a) and (b)\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == [
        "Word equation", "Skeletal equation", "Balanced equation", "Both (a) and (b)"]
    assert keys([question]) == [["Both (a) and (b)"]]
