"""Layouts left unsupported by the text sweeps, read now where they can be read without a
guess, and told how to write where they cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions


@pytest.mark.parametrize(("summary", "right"), [
    ("<SUMMARY>Answer</SUMMARY>", "a static method"),
    ("<Summary>Answer</Summary>", "a static method"),
    # A long s folds to `s` in a pattern's Unicode case, but not in `str.lower`: no summary.
    ("<\u017fummary>Answer</\u017fummary>", None),
])
def test_a_folds_summary_is_found_in_any_ascii_case(summary: str, right: str | None,
                                                    tmp_path: Path) -> None:
    body = ("**Q1.** Which is it?\n\na) an instance method\nb) a static method\n\n"
            f"<details>{summary}\n\nb) It belongs to the class.\n</details>\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    if right is None:
        assert result.bank is None
    else:
        assert keys(read_questions(body, tmp_path)) == [[right]]


def _notes(body: str, tmp_path: Path) -> list[str]:
    return [note.message for note in text.read(Source("quiz.txt", body.encode(), tmp_path)).notes]


def _errors(body: str, tmp_path: Path) -> list[tuple[int | None, str]]:
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    return [(d.line, d.message) for d in result.diagnostics if d.is_error]


DASHED = ("1. ¿Cuál es la capital de Francia?\na- París\nb- Lyon\nc- Niza\nRespuesta: a\n\n"
          "2. Which planet is largest?\nA - Earth\nB - Jupiter\n   (the gas giant)\nAnswer: B\n")


def test_options_lettered_with_a_dash(tmp_path: Path) -> None:
    """`a- París`, `b- Lyon`, as courses in Spanish, Portuguese and French letter a list.
    Refused before: 'this question has no options' (twice)."""
    questions = read_questions(DASHED, tmp_path)
    assert keys(questions) == [["París"], ["Jupiter\n(the gas giant)"]]
    assert [len(q["choices"]) for q in questions] == [3, 2]
    assert _notes(DASHED, tmp_path) == [
        "options lettered 'A- …', 'B- …' are read as options A), B) …"]


def test_dashed_options_in_unnumbered_questions_need_their_key_below(tmp_path: Path) -> None:
    """Between blank lines, a run keyed below it is its question's options; a grade scale in
    a stem, a blank line then the question and its options, stays the stem's text."""
    body = ("The grading scale is:\nA- 90%\nB- 80%\n\nWhat grade is 85%?\na) A-\nb) B-\n"
            "Answer: b\n\nWhat is the capital of France?\n\nA- Paris\nB- Lyon\n\nAnswer: A\n")
    questions = read_questions(body, tmp_path)
    assert questions[0]["scenario"] == "The grading scale is:\nA- 90%\nB- 80%"
    assert keys(questions) == [["B-"], ["Paris"]]


def test_dashed_options_of_an_unnumbered_question_after_a_numbered_one(tmp_path: Path) -> None:
    """After a numbered question, an unnumbered one's `A- ` options were never read as
    options (the reading of the file as numbered held to its end): its key then contradicted
    the key of the question above it, into whose explanation it ran."""
    body = ("1. What is 1+1?\nA) 2\nB) 3\nAnswer: A\n\nWhich is odd?\nA- 2\nB- 3\nAnswer: B\n\n"
            "2. What is 2+2?\nA- 4\nB- 5\nAnswer: A\n")
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 1+1?", "Which is odd?", "What is 2+2?"]
    assert keys(questions) == [["2"], ["3"], ["4"]]


@pytest.mark.parametrize("body", [
    # A grade scale in a numbered question's stem, its options below.
    "1. The grading scale is:\nA- 90%\nB- 80%\nC- 70%\nWhat grade is 85%?\na) A-\nb) B-\n"
    "Answer: b\n",
    # Under an explanation, or after the options: the explanation's text.
    "1. Which is odd?\na) 2\nb) 3\nAnswer: b\nExplanation:\nA- is even.\nB- is odd.\n",
    # A paragraph of a numbered question's explanation, after a blank line, no key below it.
    "1. Which is odd?\na) 2\nb) 3\nAnswer: b\n\nThe options mean:\nA- is even.\nB- is odd.\n",
])
def test_dashed_lines_around_other_options_keep_their_text(body: str, tmp_path: Path) -> None:
    question, = read_questions(body, tmp_path)
    assert len(question["choices"]) == 2
    assert "A- " in question.get("scenario", question["prompt"]) + question.get("explanation", "")
    assert _notes(body, tmp_path) == []


@pytest.mark.parametrize("lines", [
    "A- 90%\nB+ 87%\nB- 80%\n",  # grades out of turn
    "B- 80%\nC- 70%\n",  # not from A
    "A- 90%\n",  # one alone
    "```\nA- 90%\nB- 80%\n```\n",  # code
])
def test_dashed_lines_that_are_no_run_from_a_are_no_options(lines: str,
                                                            tmp_path: Path) -> None:
    body = f"1. Which grade is the highest?\n{lines}Answer: A\n"
    assert _errors(body, tmp_path) == [(1, "this question has no options")]


TEXT2QTI_QUIZ = ("Quiz title: Addition\n  and subtraction\nQuiz description: Checking addition.\n"
                 "    Mind the signs.\n\n    Take your time.\n\n"
                 "1.  What is 2+3?\na)  6\nb)  1\n*c) 5\n\n2.  What is 3-1?\n*a) 2\nb)  4\n")


def test_a_text2qti_quiz_title_and_description_are_the_banks(tmp_path: Path) -> None:
    """text2qti's head (its README's example). Refused before: 'this is a text2qti source
    ("Quiz title: Addition" is its syntax)' with 'this question has no options' (line 1)."""
    result = text.read_result(Source("quiz.txt", TEXT2QTI_QUIZ.encode(), tmp_path))
    assert result.bank is not None, result.diagnostics
    assert result.bank.title == "Addition and subtraction"
    assert result.bank.description == "Checking addition.\nMind the signs.\n\nTake your time."
    assert keys(read_questions(TEXT2QTI_QUIZ, tmp_path)) == [["5"], ["2"]]
    assert _notes(TEXT2QTI_QUIZ, tmp_path) == []


@pytest.mark.parametrize(("body", "line", "sign"), [
    # Feedback, which read as the question's text under the head.
    ("Quiz title: Addition\n\n1.  What is 2+3?\n... Add them.\na)  6\n*b) 5\n", 4,
     '"... Add them."'),
    # A second head, after a question.
    ("Quiz title: Addition\n\n1.  What is 2+3?\na)  6\n*b) 5\n\nQuiz title: Again\n", 7,
     '"Quiz title: Again"'),
])
def test_a_text2qti_quizs_other_syntax_is_still_refused(body: str, line: int, sign: str,
                                                         tmp_path: Path) -> None:
    errors = _errors(body, tmp_path)
    assert errors[0] == (line, f"this is a text2qti source ({sign} is its syntax), which the "
                               "plain-text layout reads only in part")


@pytest.mark.parametrize(("hint", "explanation"), [
    ("Hint: it is on the Seine.", "Hint: it is on the Seine.\n\nParis is the capital."),
    ("💡 **Hint:** it is on the Seine,\n  and has a tower.",
     "💡 **Hint:** it is on the Seine,\nand has a tower.\n\nParis is the capital."),
    # Bulleted: read as an option before, 'Hint: …' was offered to learners as an answer.
    ("* **Hint:** it is on the Seine.", "* **Hint:** it is on the Seine.\n\nParis is the capital."),
    ("- 💡 Hint: it is on the Seine.", "- 💡 Hint: it is on the Seine.\n\nParis is the capital."),
])
def test_a_hint_between_the_options_and_the_key(hint: str, explanation: str,
                                                tmp_path: Path) -> None:
    """A hint to the learner under the options, as quiz files for self-study write one.
    Refused before: 'text after the options: "Hint: it is on the Seine."'. The bank has no
    place for a hint: it leads the explanation, and the import says so."""
    body = (f"1. What is the capital of France?\na) Paris\nb) Lyon\n{hint}\nAnswer: a\n"
            "Explanation: Paris is the capital.\n\n2. Which is odd?\na) 2\nb) 3\nAnswer: b\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["Paris"], ["3"]]
    assert questions[0]["explanation"] == explanation
    assert "explanation" not in questions[1]
    assert _notes(body, tmp_path) == [
        "the hint is kept at the start of the explanation, which learners see after "
        "answering: a bank has no place for a hint"]


@pytest.mark.parametrize(("options", "key", "at"), [
    ("- 2\n- Hint: think\n- 3\n", "B", 3),  # B: the hint, or 3?
    ("- 2\n- Hint: think\n- 3\n", "3", 3),
    ("- Hint: think\n- 2\n- 3\n", "B", 2),
    ("- 2\n  - Hint: think\n- 3\n", "B", 3),
    ("- [ ] 2\n- Hint: think\n- [x] 3\n", "", 3),
    ("* Hint: think\n\n- 2\n- 3\n", "B", 2),
])
def test_a_hint_bulleted_among_the_options_is_refused(options: str, key: str, at: int,
                                                     tmp_path: Path) -> None:
    """A hint bulleted as the options are, above or between them, was read as one of them:
    offered to learners as an answer, and `B` keyed it where the author may have meant 3."""
    body = f"1. What is 1+2?\n{options}" + (f"Answer: {key}\n" if key else "")
    hint = body.split("\n")[at - 1].strip()
    assert _errors(body, tmp_path) == [(
        at, f'a hint among the options ("{hint}") makes their letters ambiguous: read as an '
        "option, it would be an answer and take a letter")]


def test_a_hint_over_the_options_stays_the_questions_text(tmp_path: Path) -> None:
    body = "1. What is the capital of France?\nHint: it is on the Seine.\na) Paris\nb) Lyon\nAnswer: a\n"
    question, = read_questions(body, tmp_path)
    assert question["prompt"] == "What is the capital of France?\nHint: it is on the Seine."
    assert _notes(body, tmp_path) == []


def test_a_line_that_is_no_hint_under_the_options_is_read_as_before(tmp_path: Path) -> None:
    """Between two options, a hint line is the first one's text wrapped at the margin; a line
    with no `Hint:` label under them is refused."""
    body = ("1. What is the capital of France?\na) Paris\nHint: it is on the Seine.\nb) Lyon\n"
            "Answer: a\n")
    question, = read_questions(body, tmp_path)
    assert keys([question]) == [["Paris\nHint: it is on the Seine."]]
    assert _notes(body, tmp_path) == []
    body = "1. What is the capital of France?\na) Paris\nb) Lyon\nHints help.\nAnswer: a\n"
    assert _errors(body, tmp_path) == [(4, 'text after the options: "Hints help."')]


def test_true_false_statements_printed_to_circle_t_or_f(tmp_path: Path) -> None:
    """A printed test's true/false items, `T F` to circle before each number and the key
    under each. Refused before: 'this question has no options' (twice)."""
    body = ("T F 1. The sun is a star.\nANS: T PTS: 2\n\nT F 2. The moon is a planet.\n"
            "Answer: False\nIt orbits the Earth.\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None, result.diagnostics
    assert [q.model_dump(mode="json", exclude_defaults=True) for q in result.bank.questions] == [
        {"id": "the-sun-is-a-star", "type": "true_false", "prompt": "The sun is a star.",
         "points": 2.0, "answer": True},
        {"id": "the-moon-is-a-planet", "type": "true_false", "prompt": "The moon is a planet.",
         "explanation": "It orbits the Earth.", "answer": False}]
    assert _notes(body, tmp_path) == [
        "a statement keyed T or F, with no options, is a true/false question"] * 2


@pytest.mark.parametrize(("body", "error"), [
    ("1. The sun is a star.\nANS: B\n", "this question has no options"),  # a letter
    ("1. The sun is a star.\n", "this question has no options"),  # no key
    ("1. Is the sun a star?\nAnswer: T\nAnswer: F\n", "this question has no options"),
    # Options of its own, which T names none of.
    ("1. The sun is a star.\n- Yes\n- No\nAnswer: T\n",
     "the key names option T, but the question has 2 options (A–B)"),
])
def test_a_statement_without_one_key_of_t_or_f_is_refused_as_before(body: str, error: str,
                                                                    tmp_path: Path) -> None:
    assert _errors(body, tmp_path)[0][1] == error


@pytest.mark.parametrize("statement", [
    "The chemical symbol for fluorine is ____.",  # ExamView's completion item
    "What is the chemical symbol for fluorine?",
    "Which letter comes after E?",
    "Name the element whose symbol is F.",
    "Choose the graph of y = 2x.\n![Graphs A to F](graphs.png)",  # its options a figure
])
def test_a_question_asking_for_a_letter_keyed_f_is_no_true_false_one(statement: str,
                                                                    tmp_path: Path) -> None:
    """Keyed `F`, a question that asks for a text (a blank, a wh-question, 'Name the …') is
    keyed with a letter, not False: read as true/false, its key was False, and the question
    asked learners whether 'What is the chemical symbol for fluorine?' is true. Printed as
    ExamView prints a statement, after the learner's blank, as much as keyed with a word."""
    for body in (f"____ 1. {statement}\nANS: F\n", f"1. {statement}\nAnswer: False\n"):
        assert _errors(body, tmp_path)[0][1] == "this question has no options"


@pytest.mark.parametrize("options", [
    "A/ Paris\nB/ Lyon\nC/ Nice\nD/ Lille\nE/ Metz\nF/ Caen",
    "A] Paris\nB] Lyon\nC] Nice\nD] Lille\nE] Metz\nF] Caen",
    "A Paris\nB Lyon\nC Nice\nD Lille\nE Metz\nF Caen",
    "| A | Paris |\n| F | Caen |",
    "![Six cities, A to F](cities.png)",  # the options in a figure, under 'is:'
    # Letters alone over their texts, not read as options: the last one lost its text.
    "A.\nLyon\nB.\nNice\nC.\nMetz\nD.\nLille\nE.\nCaen\nF.",
])
def test_options_in_a_layout_not_read_keyed_f_are_no_true_false_statement(
        options: str, tmp_path: Path) -> None:
    """Six options lettered in a way no option is read in, keyed F: the question became a
    true/false one keyed False, its options part of the statement learners judged."""
    body = f"T F 1. The city on the Seine is:\n{options}\nAnswer: F\n"
    assert _errors(body, tmp_path)[0][1] == "this question has no options"
    if not options.startswith("!"):  # not under a colon either: the letters tell it
        body = body.replace("is:", "is")
        assert _errors(body, tmp_path)[0][1] == "this question has no options"


@pytest.mark.parametrize("before", ["1. Which is odd?\na) 2\nb) 3\nAnswer: b\n\n",
                                    "Which is odd?\n- 2\n- 3\nAnswer: B\n\n"])
def test_a_heading_keyed_true_is_no_statement(before: str, tmp_path: Path) -> None:
    """A heading titles what follows: keyed `Answer: True`, it was a true/false question
    '## Chapter 1' keyed True, the next question (its options too) its explanation."""
    body = f"{before}## Chapter 1\nAnswer: True\n\n#### What is 2+3?\n- [x] 5\n- [ ] 6\n"
    assert _errors(body, tmp_path) == [(6, "this question has no options")]


@pytest.mark.parametrize(("key", "at"), [("Answer: True", 2), ("**Answer:** B", 2)])
def test_a_key_above_a_questions_options_is_refused(key: str, at: int,
                                                    tmp_path: Path) -> None:
    """A key under a heading, over the next question: the heading titled the bank and the
    key line became that question's scenario, shown to learners."""
    body = f"## Chapter 1\n{key}\n\n#### What is 2+3?\n- [x] 5\n- [ ] 6\n"
    assert _errors(body, tmp_path) == [(at, f'a key above this question\'s options ("{key}")')]


def test_a_key_line_is_no_statement(tmp_path: Path) -> None:
    """Statements written as headings: the first titled the bank, and its key line became a
    true/false question 'Answer: True' keyed True; the second statement was left out as a
    section's title, without a word."""
    body = "### The sun is a star.\nAnswer: True\n\n### The moon is a star.\nAnswer: False\n"
    assert _errors(body, tmp_path) == [
        (2, "a key or explanation starts a part of its own, apart from its question")]


@pytest.mark.parametrize("statement", [
    "The chemical symbol of fluorine is ...",  # a blank the checks above do not know
    "The sun is a star.",
])
def test_a_statement_keyed_with_the_letter_t_or_f_is_one_only_where_printed(
        statement: str, tmp_path: Path) -> None:
    """`T` or `F` names a truth where the statement was printed to be judged (after the
    learner's blank or `T F` to circle); elsewhere it is as likely a text the question asks
    for (the symbol F) or an option not read: the question was true/false keyed False."""
    assert _errors(f"1. {statement}\nANS: F\n", tmp_path)[0][1] == "this question has no options"


@pytest.mark.parametrize("key", ["Answer: T", "ANS: F PTS: 1", "Answer: f."])
def test_a_statement_keyed_by_a_letter_is_told_how_to_key_it(key: str, tmp_path: Path) -> None:
    """The docs promise that hint; the error said only to write options starting with '- ',
    'A) ' or 'a. ', or to delete the statement as a note, for the plainest true/false file."""
    result = text.read_result(Source("quiz.txt", f"1. The sun is a star.\n{key}\n".encode(),
                                     tmp_path))
    (error,) = [d for d in result.diagnostics if d.is_error]
    assert error.message == "this question has no options"
    assert error.hint is not None
    assert "key it in words ('Answer: True', 'Answer: False')" in error.hint
    assert "'a) True' and 'b) False'" in error.hint
    # Each way a letter names a truth (docs/formats/text.md), the one d765e60 added too.
    assert "printed to be judged ('____ 1.', 'T F 1.')" in error.hint
    assert "says it is one ('True or false: …', '… (T/F)')" in error.hint


def test_a_statement_keyed_true_or_false_in_words_or_printed_is_true_false(
        tmp_path: Path) -> None:
    for body in ("1. The sun is a star.\nAnswer: False\n", "T F 1. The sun is a star.\nANS: F\n",
                 "____ 1. The sun is a star.\nANS: F\n"):
        question, = read_questions(body, tmp_path)
        assert (question["type"], question["answer"]) == ("true_false", False)


@pytest.mark.parametrize(("body", "answer"), [
    ("1. True or false: the moon is a star.\nAnswer: F\n", False),
    ("1. TRUE OR FALSE - Water boils at 100 °C at sea level.\nANS: T PTS: 1\n", True),
    ("1. T/F: Whales are fish.\nAnswer: f.\n", False),
    ("1. The moon is a star. (True/False)\nAnswer: F\n", False),
    ("1. Whales are mammals. (T or F)\nAnswer: T\n", True),
])
def test_a_statement_that_says_it_is_to_be_judged_takes_a_letter_key(
        body: str, answer: bool, tmp_path: Path) -> None:
    """`True or false: …` or `… (T/F)` asks for a truth as plainly as a printed `T F`: the
    letter is the key (refused before, as a letter under any statement is)."""
    question, = read_questions(body, tmp_path)
    assert (question["type"], question["answer"]) == ("true_false", answer)


@pytest.mark.parametrize("body", [
    "1. What is the chemical symbol for fluorine? (T/F)\nAnswer: F\n",
    "1. The symbol for fluorine is ____. (True/False)\nANS: F\n",
    "1. Trueness or falsity of the claim: it holds.\nAnswer: F\n",
])
def test_a_statement_asking_for_a_text_stays_refused_whatever_it_says(
        body: str, tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [d.message for d in result.diagnostics if d.is_error] == [
        "this question has no options"]


LONE = ("1. What is the capital of France?\nA.\nParis\nB.\nLyon\nC.\nNice\nAnswer: A\n\n"
        "Which is odd?\n\n(a)\n2\n(b)\n3\n\nAnswer: b\n")


def test_letters_alone_over_their_options_texts(tmp_path: Path) -> None:
    """`A.` on a line, `Paris` on the next, as text copied from a PDF or slides has options.
    Refused before: 'this question has no options' (twice)."""
    assert keys(read_questions(LONE, tmp_path)) == [["Paris"], ["3"]]
    assert _notes(LONE, tmp_path) == [
        "letters alone on their lines ('A.', 'B.' …) are read with the line under each as "
        "options A), B) …"]


@pytest.mark.parametrize("lines", [
    "A.\nThe first case\nB.\nThe second case\nWhich is true?\na) A\nb) B\n",  # in a stem
    "A.\nParis\nB.\nLyon\nC.\n",  # a letter without its text
    "A.\nParis\nC.\nLyon\n",  # out of turn
    "A.\nParis\n",  # one
])
def test_letters_alone_that_are_no_run_of_options_keep_todays_reading(
        lines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as they were without the look for letters alone."""
    body = f"1. What is the capital of France?\n{lines}Answer: A\n"

    def reading() -> tuple[object, list[tuple[int | None, str]]]:
        result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
        return (result.bank.model_dump() if result.bank else None,
                [(d.line, d.message) for d in result.diagnostics])

    now = reading()
    monkeypatch.setattr(text, "lone_letters", lambda lines, code: (lines, None))
    assert now == reading()


def test_letters_alone_in_an_explanation_are_its_text(tmp_path: Path) -> None:
    """Under a question's key, letters alone are the explanation's text as written: read as
    options, the explanation became 'A) the capital', a blank line, 'B) a city', with a note
    that they were options."""
    explanation = "See below.\nThe options mean:\nA.\nthe capital\nB.\na city"
    body = (f"1. What is the capital?\nA) Paris\nB) Lyon\nAnswer: A\nExplanation: {explanation}"
            f"\n\n2. Which is odd?\nA) 2\nB) 3\nAnswer: B\n")
    assert read_questions(body, tmp_path)[0]["explanation"] == explanation
    assert _notes(body, tmp_path) == []


@pytest.mark.parametrize("first", ["(x) Which is even?", "B. T is even?"])
@pytest.mark.parametrize("explained", ["Explanation: one and one\n", ""])
def test_a_question_starting_as_an_option_under_an_explanation_is_told(
        first: str, explained: str, tmp_path: Path) -> None:
    """Unnumbered questions, the second one's first line lettered as an option: it starts no
    question, and keyed with the first one's letter it was swallowed into the first one's
    explanation, options and all, without a word (keyed otherwise, the keys contradicted)."""
    body = (f"What is 1+1?\nA) 2\nB) 3\nAnswer: A\n{explained}\n{first}\nA) 2\nB) 3\n"
            "Answer: A\n")
    at = 7 if explained else 6
    assert _errors(body, tmp_path) == [(
        at + 3, f'a second key ("Answer: A") under this question\'s explanation, with options '
        f'above it from line {at} ("{first}"): it looks like a question of its own')]
    labelled = body.replace(first, f"Question: {first}")
    assert [q["prompt"] for q in read_questions(labelled, tmp_path)] == ["What is 1+1?", first]


def test_options_and_one_key_under_an_explanation_are_read_as_before(tmp_path: Path) -> None:
    """A list in an explanation with the key under it, as some write the key last."""
    body = "What is 1+1?\nA) 2\nB) 3\nExplanation: one and one:\n- 1\n- 1\nAnswer: A\n"
    question, = read_questions(body, tmp_path)
    assert question["explanation"] == "one and one:\n- 1\n- 1"
    assert keys([question]) == [["2"]]


GITBOOK = ("## Question 1\n\nWhat is the capital of France?\n\n- [ ] Lyon\n- [x] Paris\n\n"
           '{% hint style="info" %}\nParis has been the capital since 987.\n{% endhint %}\n\n'
           "## Question 2\n\nWhich is odd?\n\na) 2\nb) 3\n\n"
           '{% hint style="success" %}\n**Answer:** b\n\nThree is odd.\n{% endhint %}\n')


def test_gitbook_hint_blocks_around_a_key_or_explanation(tmp_path: Path) -> None:
    """A GitBook page's quiz, each answer in a hint block. Refused before: the block's tags
    were text after the options (or a question with no options)."""
    questions = read_questions(GITBOOK, tmp_path)
    assert keys(questions) == [["Paris"], ["3"]]
    assert [q["explanation"] for q in questions] == ["Paris has been the capital since 987.",
                                                     "Three is odd."]


@pytest.mark.parametrize("body", [
    # In code, with text after the tag on its line, or never closed: as written.
    "1. Which is odd?\na) 2\nb) 3\nAnswer: b\nExplanation:\n```\n{% hint %}\n```\n",
    "1. Which is odd?\na) 2\nb) 3\nAnswer: b\nExplanation: {% hint %} odd {% endhint %}\n",
    "1. Which is odd?\na) 2\nb) 3\nAnswer: b\n\n{% hint %}\nThree is odd.\n",
])
def test_lines_that_bound_no_gitbook_hint_block_read_as_before(
        body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def reading() -> tuple[object, list[tuple[int | None, str]]]:
        result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
        return (result.bank.model_dump() if result.bank else None,
                [(d.line, d.message) for d in result.diagnostics])

    now = reading()
    monkeypatch.setattr(text, "gitbook_hints", lambda lines, code: lines)
    assert now == reading()


def test_a_gitbook_hint_block_over_the_key_is_told_how_to_write(tmp_path: Path) -> None:
    """A hint to the learner between the options and the key: the error names the block and
    says how to write it (before, the usual hint about 'Explanation:' lines)."""
    body = ('1. Which is odd?\na) 2\nb) 3\n{% hint style="info" %}\nNot even.\n{% endhint %}\n'
            "Answer: b\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [
        (4, 'text after the options: "{% hint style="info" %}"',
         "a GitBook hint block is read only where it holds the key or explanation ('Answer: B' "
         "in it, or right above it); for a hint to the learner, write 'Hint: …' in place of "
         "the block (it then leads the explanation, which learners see after answering)")]


RESPONDUS = ("Title: Speed of Light\nPoints: 2\n1) Who determined the exact speed of light?\n"
             "a. Albert Einstein\n*b. Albert Michelson\n\nTitle: Planets\n\nPoints: 1.5\n"
             "2. Which planet is largest?\na. Earth\n*b. Jupiter\n")


def test_a_questions_title_and_points_lines_over_its_number(tmp_path: Path) -> None:
    """Respondus's Standard Format (and text2qti) set a question's title and points over its
    number. Refused before: 'this is a text2qti or Respondus source ("Points: 2" is their
    syntax)'."""
    questions = read_questions(RESPONDUS, tmp_path, "quiz.txt")
    assert [(q.get("title"), q.get("points")) for q in questions] == [
        ("Speed of Light", 2), ("Planets", 1.5)]
    assert keys(questions) == [["Albert Michelson"], ["Jupiter"]]


SEED_POINTS = ("Points: 2\nSituation: A supplier has been late twice in a row. What do you do "
               "first?\n- Cancel the contract\n- Ask the supplier why\nExplanation: The correct "
               "answer is Ask the supplier why.\n\n---\n\nTitle: Metrics\nPoints: 1.5\n\n"
               "Question 2: Which is an outcome metric?\n- Hours logged\n- Customer retention\n"
               "Answer: B\n\n---\n\nPoints: 1\nScenario: A release slipped.\nWho decides?\n"
               "- The team\n- Nobody\nAnswer: A\n")


def test_a_points_line_over_a_labelled_question_gives_its_points(tmp_path: Path) -> None:
    """`Points: 2` over `Situation:` (text2qti's line, over the seed's layout) was refused as
    'this question has no options' at the `Points:` line, or as a text2qti source; read over
    a question's number only."""
    questions = read_questions(SEED_POINTS, tmp_path, "quiz.txt")
    assert [(q.get("title"), q.get("points")) for q in questions] == [
        (None, 2), ("Metrics", 1.5), (None, 1)]
    assert keys(questions) == [["Ask the supplier why"], ["Customer retention"], ["The team"]]
    assert questions[0]["scenario"].startswith("A supplier has been late")


HEADED_POINTS = ("Points: 2\n### Q1: Sums\nWhat is 2+2?\na) 3\n*b) 4\n\n"
                 "Title: Times\nPoints: 1.5\n### Q2: Products\nWhat is 2*3?\n*a) 6\nb) 5\n")


def test_a_points_line_over_a_heading_label_gives_its_points(tmp_path: Path) -> None:
    """`Points: 2` over `### Q1: Sums` was refused as a text2qti or Respondus source, where
    over `### Question 1` it gave the points: a `Q<n>:` heading is a question's label where n
    is its place, as the questions are read."""
    questions = read_questions(HEADED_POINTS, tmp_path, "quiz.txt")
    assert [(q.get("title"), q.get("points")) for q in questions] == [
        ("Sums", 2), ("Times", 1.5)]
    assert keys(questions) == [["4"], ["6"]]


def test_a_points_line_over_a_heading_label_out_of_place_is_refused(tmp_path: Path) -> None:
    """`### Q3: …` as the first question may be a quarter's heading: no question's start,
    so the `Points:` line over it is still refused, not given to another line."""
    body = HEADED_POINTS.replace("Q1: Sums", "Q3: Sums")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [d.message[:40] for d in result.diagnostics if d.is_error] == [
        "this is a text2qti or Respondus source ("]


def test_points_over_some_labelled_questions_only_are_told(tmp_path: Path) -> None:
    body = SEED_POINTS.replace("Points: 1\n", "")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [(d.line, d.message) for d in result.diagnostics if d.is_error] == [
        (19, "this question has no 'Points:' line, where others have one")]


def test_a_first_title_line_over_a_labelled_question_still_titles_the_bank(
        tmp_path: Path) -> None:
    body = SEED_POINTS.split("\n\n---")[0].replace("Points: 2\n", "Title: Ops\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None
    assert (result.bank.title, result.bank.questions[0].title) == ("Ops", None)
    assert result.bank.questions[0].points is None


def test_points_0_over_a_question_is_an_error_at_it_not_the_default(tmp_path: Path) -> None:
    """`Points: 0` gave the question the default 1 point without a word (0 was taken for no
    line): a question earns more than 0, and the bank's check says so at its line."""
    body = RESPONDUS.replace("Points: 2\n", "Points: 0\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [(d.line, d.pointer, d.message) for d in result.diagnostics if d.is_error] == [
        (3, "/questions/0/points", "Input should be greater than 0")]


def test_a_first_title_line_over_one_question_still_titles_the_bank(tmp_path: Path) -> None:
    body = "Title: Capitals\n\n1. What is the capital of France?\n*a) Paris\nb) Lyon\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None
    assert (result.bank.title, result.bank.questions[0].title) == ("Capitals", None)


def test_a_first_title_line_apart_from_the_points_lines_titles_the_bank(tmp_path: Path) -> None:
    """`Title: …` on the first line, a blank line under it, then `Points:` over each question:
    the bank was titled by the file's name and its title was the first question's."""
    body = ("Title: Chemistry\n\nPoints: 2\n1. What is H2O?\n*a) Water\nb) Salt\n\n"
            "Points: 3\n2. What is NaCl?\na) Water\n*b) Salt\n")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None
    assert (result.bank.title, [(q.title, q.points) for q in result.bank.questions]) == (
        "Chemistry", [(None, 2), (None, 3)])
    adjacent = body.replace("Title: Chemistry\n\n", "Title: Chemistry\n")  # Respondus's
    result = text.read_result(Source("quiz.txt", adjacent.encode(), tmp_path))
    assert result.bank is not None
    assert (result.bank.title, result.bank.questions[0].title) == ("quiz", "Chemistry")


@pytest.mark.parametrize("points", ["", "Points: 2\n"])
def test_a_first_title_line_under_a_quiz_head_titles_its_question(points: str,
                                                                  tmp_path: Path) -> None:
    """Under text2qti's `Quiz title:`, which titles the bank, a `Title:` line over the first
    question is that question's title: it was refused as a text2qti or Respondus source."""
    body = f"Quiz title: Chemistry\n\nTitle: Water\n\n{points}1. What is H2O?\n*a) Water\nb) Salt\n"
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert result.bank is not None, result.diagnostics
    assert (result.bank.title, result.bank.questions[0].title) == ("Chemistry", "Water")


def test_points_over_some_questions_only_are_told_how_to_write(tmp_path: Path) -> None:
    """text2qti gives a question without `Points:` 1 point, Respondus the last `Points:`:
    either would be a guess."""
    body = RESPONDUS.replace("Points: 1.5\n", "")
    result = text.read_result(Source("quiz.txt", body.encode(), tmp_path))
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [
        (9, "this question has no 'Points:' line, where others have one",
         "text2qti gives it 1 point, Respondus the points of the 'Points:' line before it: "
         "write a 'Points:' line over each question, or over none")]


@pytest.mark.parametrize("kind", ["E", "F", "MT"])
def test_a_respondus_type_not_read_over_a_question_is_told(kind: str, tmp_path: Path) -> None:
    """`Type: E` over a question not of a choice type: read before, silently, as a choice
    question whose prompt began 'Type: E'."""
    body = (f"Type: {kind}\n1) Who measured it?\na) Einstein\n*b) Michelson\n\n"
            "2) Which planet is largest?\na) Earth\n*b) Jupiter\n")
    assert _errors(body, tmp_path)[0] == (1, f'this is a Respondus source ("Type: {kind}" is '
                                             "its syntax), which the plain-text layout reads "
                                             "only in part (its numbered questions, lettered "
                                             "options, *b) keys, Type: MC/MA/TF, Title: and "
                                             "Points: lines, @ feedback under answers)")


def test_a_type_line_over_no_question_is_text(tmp_path: Path) -> None:
    body = "1) Which blood group is this?\nType: O\n\na) Universal donor\n*b) Universal recipient\n"
    assert read_questions(body, tmp_path)[0]["prompt"] == "Which blood group is this?\nType: O"


@pytest.mark.parametrize(("body", "line"), [
    ("1.  What is 2+3?\n... Add them.\na)  6\n*b) 5\n", 2),
    ("1.  What is 2+3?\na)  6\n... Too many.\n*b) 5\n", 3),
])
def test_text2qti_feedback_without_a_head_is_refused(body: str, line: int,
                                                     tmp_path: Path) -> None:
    """text2qti's feedback under a question or an option, in a file keyed `*b)`: read before,
    silently, as the question's or the option's text, shown to learners."""
    assert _errors(body, tmp_path)[0][:1] == (line,)
    assert _errors(body, tmp_path)[0][1].startswith("this is a text2qti source")


def test_an_ellipsis_line_in_a_file_without_text2qti_keys_is_text(tmp_path: Path) -> None:
    body = "1. Complete it:\n... and then he left.\na) x\nb) y\nAnswer: a\n"
    question, = read_questions(body, tmp_path)
    assert question["prompt"] == "Complete it:\n... and then he left."


def _feedback(body: str, tmp_path: Path) -> list[tuple[str, list[tuple[str, str | None]],
                                                        str | None]]:
    return [(q["prompt"], [(c["text"], c.get("feedback")) for c in q["choices"]],
             q.get("explanation")) for q in read_questions(body, tmp_path)]


def test_text2qti_feedback_in_a_file_keyed_otherwise_is_feedback(tmp_path: Path) -> None:
    """A file keyed `Answer: a` that gives feedback as text2qti does: under the key line it
    was the explanation with the marker ('... Paris has been …'); under an option the file
    was refused ('text after the options', led by 'this is a text2qti source', though
    text2qti cannot read a file without its `*b)` keys); under a question, in such a file, it
    was the prompt's text, shown to learners before they answer. Now: the explanation, the
    option's feedback, the question's feedback (in the explanation)."""
    body = ("1. What is the capital of France?\na) Paris\nb) Lyon\nAnswer: a\n"
            "... Paris has been the capital since 987.\n\n"
            "2. Which gas do plants absorb?\n... Think of photosynthesis.\na) Oxygen\n"
            "... Plants give it off.\nb) Carbon dioxide\nAnswer: b\n")
    assert _feedback(body, tmp_path) == [
        ("What is the capital of France?", [("Paris", None), ("Lyon", None)],
         "Paris has been the capital since 987."),
        ("Which gas do plants absorb?", [("Oxygen", "Plants give it off."),
                                         ("Carbon dioxide", None)],
         "Think of photosynthesis.")]


def test_an_ellipsis_under_a_question_in_a_file_without_text2qti_feedback_stays_text(
        tmp_path: Path) -> None:
    """Under a question, `... ` may be the question's own (a sequence to go on with): read as
    feedback only where the file gives feedback so under an option or a key."""
    body = "1. What comes next?\n... 2, 4, 6\na) 8\nb) 9\nAnswer: a\n"
    assert _feedback(body, tmp_path) == [("What comes next?\n... 2, 4, 6",
                                          [("8", None), ("9", None)], None)]


def test_a_quiz_head_after_the_questions_is_refused(tmp_path: Path) -> None:
    """`Quiz title:` after the last question: read before, silently, as its explanation."""
    body = "1. What is 2+3?\na) 6\n*b) 5\n\nQuiz title: Addition\n"
    assert _errors(body, tmp_path) == [(5, 'this is a text2qti source ("Quiz title: Addition" '
                                           "is its syntax), which the plain-text layout reads "
                                           "only in part")]


@pytest.mark.parametrize("between", [
    "## Chapter 2\n\n",  # under the key, over the next question
    "## Chapter 2\n\n---\n\n",  # over the rule
    "**Explanation:** six.\n\n## Chapter 2\n## Part B\n\n",
])
def test_a_section_title_after_a_key_in_a_ruled_file_is_left_out(between: str,
                                                                  tmp_path: Path) -> None:
    """In a file ruled with `---` (blank lines split nothing there), a section's title
    between a question's key and the next question was the end of that question's
    explanation: learners read '## Chapter 2' after answering it, without a note. It is left
    out, as such a title is in a file without rules."""
    body = ("### Question 1\nWhat is 2+2?\n\nA) 3\nB) 4\n\n**Answer: B**\n\n---\n\n"
            "### Question 2\nWhat is 3+3?\n\nA) 6\nB) 7\n\n**Answer: A**\n\n" + between
            + "### Question 3\nWhat is 4+4?\n\nA) 8\nB) 9\n\n**Answer: A**\n")
    questions = read_questions(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 2+2?", "What is 3+3?", "What is 4+4?"]
    assert [q.get("explanation") for q in questions] == [
        None, "six." if "six" in between else None, None]


@pytest.mark.parametrize(("body", "scenario", "prompt"), [
    # The question sentence is the next item of a list in the stem (exam papers' statements).
    ("1. Consider the following statements:\n\n1. Paris is in France.\n\n2. Which of them is "
     "correct?\n(a) 1 only\n(b) None\nAns: (a)\n",
     "Consider the following statements:\n\n1. Paris is in France.",
     "2. Which of them is correct?"),
    # The question sentence numbered under its scenario, in a file ruled with `---`.
    ("---\nThe server is slow.\n1. Which log do you check?\na) App\nb) Kernel\nAnswer: a\n---\n"
     "Next one?\na) x\nb) y\nAnswer: b\n", "The server is slow.", "1. Which log do you check?"),
])
def test_a_prompt_keeps_its_list_marker(body: str, scenario: str, prompt: str,
                                        tmp_path: Path) -> None:
    """A list item's `2.` is no sentence's end: the prompt was read from after it, and the
    scenario ended in a bare '2.' taken from the prompt's own line."""
    question = read_questions(body, tmp_path)[0]
    assert (question.get("scenario"), question["prompt"]) == (scenario, prompt)


@pytest.mark.parametrize("part", ["Part B", "SECTION 2: Reading", "Part III - Grammar", "Part B."])
@pytest.mark.parametrize("first", ["1. Question 1?", "Q1: Question 1?", "---\n1. Question 1?"])
def test_a_part_title_between_questions_is_no_explanation(part: str, first: str,
                                                          tmp_path: Path) -> None:
    """A printed test's part title on a line of its own between two questions became the
    explanation of the question above it, silently; it titles what follows, and is left
    out as a Markdown section title there (`## Part B`) is."""
    second = first.replace("1", "2")
    rule = "---\n" if first.startswith("---") else ""
    body = (f"{first}\na) Yes\nb) No\nAnswer: a\n\n{part}\n{rule}\n{second.removeprefix(rule)}"
            "\na) Yes\nb) No\nAnswer: b\n")
    questions = read_questions(body, tmp_path)
    assert [(q["prompt"], q.get("explanation")) for q in questions] == [
        ("Question 1?", None), ("Question 2?", None)]
    # A sentence there is still the explanation.
    questions = read_questions(body.replace(part, "Part A is wrong."), tmp_path)
    assert [q.get("explanation") for q in questions] == ["Part A is wrong.", None]



CODE = "{0}for i in range(3):\n{0}    print(i)\n"
READ = "What does this print?\n\n    for i in range(3):\n        print(i)"


@pytest.mark.parametrize(("head", "indent", "scenario", "prompt"), [
    # code under a list item's text (`1. ` and 4, as CommonMark has it), by 8, by two tabs
    ("1. What does this print?\n", "       ", None, READ),
    ("1. What does this print?\n", "        ", None, READ),
    ("1. What does this print?\n", "\t\t", None, READ),
    ("10. What does this print?\n", "        ", None, READ),
    # the question a heading or a label above: the stem is the code
    ("### Question 1\n", "    ", None, "    for i in range(3):\n        print(i)"),
    ("Question 1:\n", "    ", None, "    for i in range(3):\n        print(i)"),
    # four columns under `1. ` are a paragraph of the item, as Markdown reads them: as before
    ("1. What does this print?\n", "    ", "What does this print?",
     "for i in range(3):\n        print(i)"),
])
def test_an_indented_code_block_in_a_stem_keeps_its_indentation(
        head: str, indent: str, scenario: str | None, prompt: str, tmp_path: Path) -> None:
    """review40b: the code became the prompt, its first line no longer indented (so no code
    in Markdown), and the question the scenario; fenced code was read whole already."""
    body = head + "\n" + CODE.format(indent) + "\na) 0 1 2\nb) 1 2 3\nAnswer: a\n"
    question, = read_questions(body, tmp_path)
    assert (question.get("scenario"), question["prompt"]) == (scenario, prompt)


@pytest.mark.parametrize("last", [
    "Part a: 1 mark for naming the gas\nPart b: 1 mark for the reason",
    "Section 4 - Photosynthesis, page 52",
])
def test_a_part_title_left_out_between_questions_is_told(last: str, tmp_path: Path) -> None:
    """The last paragraph of an explanation can read as a printed test's part title (a
    marking scheme's `Part a: 1 mark …`, a textbook's `Section 4 - …`): it is left out as a
    title over the next question, which b900dff kept as the explanation's end; it was left
    out without a word. Told now, with the way to keep it (a full stop)."""
    body = (f"1. Which gas do plants take in?\na) Oxygen\nb) Carbon dioxide\nAnswer: b\n"
            f"Explanation: Plants take in carbon dioxide.\n\n{last}\n\n"
            "2. Which gas do plants give off?\na) Oxygen\nb) Carbon dioxide\nAnswer: a\n")
    assert read_questions(body, tmp_path)[0]["explanation"] == "Plants take in carbon dioxide."
    assert _notes(body, tmp_path) == [
        f'the line "{line}" reads as the title of the part after it: it is left out'
        for line in last.split("\n")]
    kept = body.replace(last, last.replace("\n", ".\n") + ".")
    assert read_questions(kept, tmp_path)[0]["explanation"].endswith(
        last.replace("\n", ".\n") + ".")


@pytest.mark.parametrize(("head", "code", "scenario"), [
    ("Q1. Consider:\n", "    x = 1\n    y = 2\n", "Consider:\n\n    x = 1\n    y = 2"),
    ("Question 1: Consider:\n", "    x = 1\n\n    y = 2\n", "Consider:\n\n    x = 1\n\n    y = 2"),
    ("1. Consider:\n", "        x = 1\n", "Consider:\n\n    x = 1"),
    ("### Question 1\n", "    x = 1\n", "    x = 1"),
])
def test_a_question_below_indented_code_is_still_the_prompt(
        head: str, code: str, scenario: str, tmp_path: Path) -> None:
    """The stem's last paragraph, below its indented code, is the question, as below any
    other text: d4a5b98 read such a stem whole as the prompt (`Consider: … What is x?`, its
    id `consider-x-1-y-2-what` for `what-is-x`), which only a stem ending in code needs (a
    paragraph break inside the code is no place to split at)."""
    body = head + "\n" + code + "\nWhat is x?\na) 1\nb) 2\nAnswer: a\n"
    question, = read_questions(body, tmp_path)
    assert (question.get("scenario"), question["prompt"], question["id"]) == (
        scenario, "What is x?", "what-is-x")


TITLE_NOTE = 'the title "{}" is left out: a bank holds no titles over its questions'
PART_NOTE = 'the line "{}" reads as the title of the part after it: it is left out'


@pytest.mark.parametrize(("between", "told"), [
    ("\n## Part B\n\n", [(6, TITLE_NOTE)]),
    ("\n## Part B\n", [(6, TITLE_NOTE)]),  # right over the next question's number
    ("\n## Part B\n\n### Harder ones\n\n", [(6, TITLE_NOTE), (8, TITLE_NOTE)]),
    # A part title closing a question's lines may be its explanation's last paragraph: the
    # warning that says how to keep it tells it (test_a_part_title_left_out_..._is_told).
    ("\nPart B\n\n", [(6, PART_NOTE)]), ("\nSection 2: Reading\n\n", [(6, PART_NOTE)]),
    ("\nPart B\n\n## Harder ones\n\n", [(6, PART_NOTE), (8, TITLE_NOTE)]),
])
def test_a_title_left_out_between_questions_is_noted_where_it_is(
        between: str, told: list[tuple[int, str]], tmp_path: Path) -> None:
    """textcases40: a part or heading title between questions was dropped with no note,
    where every other line an import leaves out has one, located; each is told once."""
    body = f"1. Question 1?\na) Yes\nb) No\nAnswer: a\n{between}2. Question 2?\na) Yes\nb) No\nAnswer: b\n"
    imported = text.read(Source("quiz.txt", body.encode(), tmp_path))
    assert [q.prompt for q in imported.bank.questions] == ["Question 1?", "Question 2?"]
    titles = [t for t in between.splitlines() if t]
    assert [(n.location.file, n.location.line, n.kind, n.message) for n in imported.notes] == [
        ("quiz.txt", at, "dropped", message.format(title))
        for (at, message), title in zip(told, titles, strict=True)]


@pytest.mark.parametrize(("body", "prompt"), [
    # The heading above is the bank's title: the question's own first line is the code.
    ("## What does this print?\n\n" + CODE.format("    ") + "\na) 0 1 2\nb) 1 2 3\nAnswer: a\n",
     "    for i in range(3):\n        print(i)"),
    ("## What does this print?\n\n" + CODE.format("    ") + "a) 0 1 2\nb) 1 2 3\nAnswer: a\n",
     "    for i in range(3):\n        print(i)"),
    # A question indented as its options are is no code: as before.
    ("    What is 2+2?\n    a) 3\n    b) 4\n    Answer: b\n", "What is 2+2?"),
])
def test_code_on_a_questions_first_line_keeps_its_indentation(
        body: str, prompt: str, tmp_path: Path) -> None:
    """mend41: the block's first line lost its indentation (the line is the question's
    first, after no blank line), so Markdown read the code as a paragraph."""
    question, = read_questions(body, tmp_path)
    assert question["prompt"] == prompt


@pytest.mark.parametrize("label", ["Q1.", "1.", "Question 1:"])
@pytest.mark.parametrize("indent", ["    ", "\t", "        "])
def test_text_right_under_a_label_alone_on_its_line_is_no_code(
        label: str, indent: str, tmp_path: Path) -> None:
    """`Q1.` alone on its line, the question's text indented under it with no blank line
    between: the text goes on the label's paragraph (Markdown's indented code cannot
    interrupt a paragraph), but the label, taken off, left a blank line, and the text after it
    was read as indented code (a `<pre>` prompt)."""
    body = (f"{label}\n{indent}What is the capital of France?\na) Paris\nb) London\nAnswer: a\n\n"
            f"{label.replace('1', '2')}\n{indent}Which is even?\na) 3\nb) 4\nAnswer: b\n")
    first, second = read_questions(body, tmp_path, "quiz.txt")
    assert (first["prompt"], second["prompt"]) == ("What is the capital of France?",
                                                   "Which is even?")


def test_code_under_a_label_after_a_blank_line_stays_code(tmp_path: Path) -> None:
    """With a blank line between the label and the indented lines, they are code (as in
    Markdown), as before."""
    body = "Q1.\n\n    print(1)\n\nWhat does it print?\na) 1\nb) 2\nAnswer: a\n"
    question, = read_questions(body, tmp_path, "quiz.txt")
    assert "    print(1)" in question.get("scenario", "") + question["prompt"]


def test_code_right_under_a_heading_label_stays_code(tmp_path: Path) -> None:
    """A heading is a block of its own: indented lines right under `### Question 1` are code."""
    body = "### Question 1\n    print(1)\n\nWhat does it print?\na) 1\nb) 2\nAnswer: a\n"
    question, = read_questions(body, tmp_path, "quiz.txt")
    assert "    print(1)" in question.get("scenario", "") + question["prompt"]
