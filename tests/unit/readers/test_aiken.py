"""The Aiken reader: golden imports of fixtures/inputs/aiken, detection, and every malformed
question refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import aiken
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

CASES = cases("aiken", "txt")


@pytest.mark.parametrize("case", CASES)
def test_golden(request: pytest.FixtureRequest, case: str) -> None:
    check_golden(request, "aiken", case, "txt", aiken.read)


@pytest.mark.parametrize("case", CASES)
def test_fixtures_are_detected(case: str) -> None:
    assert aiken.detect((INPUTS / "aiken" / f"{case}.txt").read_bytes())


def _read(text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    aiken.read(Source("quiz.txt", data, Path(".")))


@pytest.mark.parametrize(("text", "line", "message"), [
    ("A. first\nB. second\nANSWER: A\n", 1, "has no question text before it"),
    ("Q?\nA. one\nB. two\nANSWER: C\n", 1, "ANSWER C names no option (the options are A, B)"),
    ("Q?\nA. one\nB. two\nANSWER:\n", 1, "ANSWER (empty) names no option"),
    ("Q?\nA. only\nANSWER: A\n", 1, "at least two options"),
    ("Q?\nA. one\nA. two\nANSWER: A\n", 1, "repeat a letter"),
    ("Q?\nA. one\nmore text\nB. two\nANSWER: A\n", 3, "neither an option nor the ANSWER line"),
    ("\n\nQ?\nA. one\nB. two\n", 3, "has no ANSWER line"),
    ("ANSWER: A\n", 1, "without a question before it"),
])
def test_malformed_questions_are_located(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(text)
    (first, *_) = caught.value.diagnostics
    assert (first.file, first.line) == ("quiz.txt", line)
    assert message in first.message and first.hint


def test_every_problem_is_reported_not_only_the_first() -> None:
    with pytest.raises(InputError) as caught:
        _read("Q1?\nA. a\nB. b\nANSWER: Z\n\nQ2?\nA. a\nANSWER: A\n\nQ3?\nA. a\nB. b\n")
    assert [d.line for d in caught.value.diagnostics] == [1, 6, 10]


def test_not_utf8_and_empty_files_are_refused() -> None:
    with pytest.raises(InputError, match="not valid UTF-8") as caught:
        _read(b"Q1?\nA. a\nB. b\nANSWER: A\n\nQu\xe9?\nA. a\nB. b\nANSWER: A\n")
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.line, problem.column) == ("E-AIKEN", 6, 3)
    assert "Windows-1252" in problem.message and "'é'" in problem.message
    with pytest.raises(InputError, match="no questions found"):
        _read("\n\n")


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04\x00\x00", b"<?xml version='1.0'?><quiz/>", b'{"format": "x"}',
    b"::T:: Q {=a ~b}\n", b"\xff\xfe\x00garbage", b"Situation: x\n- a\n- b\nAnswer: A\n",
])
def test_other_content_is_not_detected(data: bytes) -> None:
    assert not aiken.detect(data)


def test_a_long_file_is_detected_from_its_head() -> None:
    block = "Q?\nA. a\nB. b\nANSWER: A\n\n"
    assert aiken.detect((block * 10_000).encode())


def test_the_same_source_gives_the_same_bank() -> None:
    data = (INPUTS / "aiken" / "basic.txt").read_bytes()
    one = aiken.read(Source("basic.txt", data, Path(".")))
    two = aiken.read(Source("basic.txt", data, Path(".")))
    assert one.bank == two.bank


@pytest.mark.parametrize(("key_line", "dropped"), [("ANSWER: A, B", "', B'"),
                                                   ("ANSWER: A and C", "'and C'")])
def test_an_answer_line_naming_more_is_noted(key_line: str, dropped: str) -> None:
    """Moodle reads the first letter alone; the rest went unsaid."""
    source = Source("q.txt", f"Q?\nA. a\nB. b\nC. c\n{key_line}\n".encode(), Path())
    imported = aiken.read(source)
    assert [c.correct for c in imported.bank.questions[0].choices] == [True, False, False]
    (note,) = imported.notes
    assert note.kind == "dropped" and note.location.line == 5 and dropped in note.message


def test_an_answer_line_ending_in_punctuation_is_no_note() -> None:
    imported = aiken.read(Source("q.txt", b"Q?\nA. a\nB. b\nANSWER: B.\n", Path()))
    assert imported.notes == [] and imported.bank.questions[0].choices[1].correct


# -- a file with mistakes is still Aiken --------------------------------------------------------

ERRORS = INPUTS / "aiken" / "errors"


@pytest.mark.parametrize(("case", "lines"), [
    ("unfinished-question", [6]),
    ("several-errors", [1, 5, 7, 14]),
])
def test_an_aiken_file_with_mistakes_is_detected_and_its_errors_are_aikens(
        case: str, lines: list[int]) -> None:
    """One question without its ANSWER line moved the whole file to the plain-text layout,
    whose errors talk of 'Explanation:' lines; the Aiken reader locates the mistake."""
    from packager.importing import detect

    data = (ERRORS / f"{case}.txt").read_bytes()
    assert aiken.detect(data)
    assert detect(Source(f"{case}.txt", data, ERRORS)) == "aiken"
    with pytest.raises(InputError) as caught:
        aiken.read(Source(f"{case}.txt", data, ERRORS))
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("E-AIKEN", n) for n in lines]


def test_a_question_without_its_key_is_told_from_a_line_between_options() -> None:
    """Text after a question's options, then options lettered from A again, is the next
    question (Moodle's reading): the first has no ANSWER line, and the second is not a run of
    stray lines plus repeated letters in the first."""
    with pytest.raises(InputError) as caught:
        _read("Q1?\nA. a\nB. b\n\nQ2?\nA. c\nB. d\nANSWER: A\n")
    assert [(d.line, d.message) for d in caught.value.diagnostics] == [
        (1, "the question has no ANSWER line")]
    with pytest.raises(InputError) as caught:
        _read("Q1?\nA. a\nwrapped\nB. b\nANSWER: A\n")
    assert [d.line for d in caught.value.diagnostics] == [3]


@pytest.mark.parametrize("data", [
    # The plain-text layout's own marks beside an upper-case key line: never Aiken.
    b"1. Q?\nA) a\nB) b\nANSWER: B\nExplanation: because.\n\n2. R?\nA) c\nB) d\nANSWER: A\n"
    b"Explanation: so.\n",
    b"Q?\nA) a\nB) b\nANSWER: B\n\nR?\nA) c\nB) d\nAnswer: A\n",
    b"Q?\nA) a\nB) b\nANSWER: B\n\nR?\n*A) c\nB) d\n",
    b"Q?\nA) a\nB) b\nANSWER: B\n\nR?\na) c\nb) d\nKey: a\n",
    # Most questions without an ANSWER line: not clearly Aiken.
    b"Q?\nA) a\nB) b\nANSWER: B\n\nR?\nA) c\nB) d\n\nS?\nA) e\nB) f\n",
])
def test_a_file_that_is_not_clearly_aiken_is_left_to_the_other_readers(data: bytes) -> None:
    assert not aiken.detect(data)


def test_no_plain_text_layout_fixture_is_taken_for_aiken() -> None:
    for path in sorted((INPUTS / "text").glob("*.txt")):
        assert not aiken.detect(path.read_bytes()), path.name


# -- `//` lines -------------------------------------------------------------------------------


def test_a_comment_line_before_a_question_is_left_out_with_a_note() -> None:
    """Moodle's Aiken import has no comments: a `// …` line starts a question of its own,
    which the next text line leaves unfinished (an error), so its question text is the line
    after. packager made the comment part of the first question's text and id, silently."""
    source = Source("q.txt", b"// Chapter 1 questions\nWhat is 2+2?\nA. 3\nB. 4\nANSWER: B\n\n"
                             b"// Chapter 2\n\n// by me\nWhat is 3+3?\nA. 6\nB. 7\nANSWER: A\n",
                    Path())
    imported = aiken.read(source)
    assert [(q.id, q.prompt) for q in imported.bank.questions] == [
        ("what-is-2-2", "What is 2+2?"), ("what-is-3-3", "What is 3+3?")]
    assert [(n.question_id, n.location.line, n.kind) for n in imported.notes] == [
        ("what-is-2-2", 1, "dropped"), ("what-is-3-3", 7, "dropped"), ("what-is-3-3", 9, "dropped")]
    assert "'// Chapter 1 questions'" in imported.notes[0].message
    assert "Aiken has no comments" in imported.notes[0].message


def test_a_question_whose_only_text_is_a_comment_keeps_it() -> None:
    imported = aiken.read(Source("q.txt", b"// What is 2+2?\nA. 3\nB. 4\nANSWER: B\n", Path()))
    assert imported.bank.questions[0].prompt == "// What is 2+2?" and imported.notes == []


def test_options_without_a_space_after_the_letter_are_read() -> None:
    """Import review 32b (A1): Moodle's own aiken_errors fixture reads `A)Correct` (its
    pattern: the space after the letter optional); it was refused, and not detected."""
    data = b"What is right?\nA)Correct\nB)Wrong\nANSWER: A\n"
    assert aiken.detect(data)
    imported = aiken.read(Source("quiz.txt", data, Path(".")))
    (question,) = imported.bank.questions
    assert [(c.text, c.correct) for c in question.choices] == [("Correct", True), ("Wrong", False)]


def test_a_protected_prompt_without_a_space_reads_back_without_its_mark() -> None:
    """A1: the writer protects `U.S. presidents …` as `Q: U.S. …` (Moodle reads `U.` as an
    option); the reader took `Q: ` off only before a letter, a dot and a space."""
    data = b"Q: U.S. presidents: who was first?\nA. Washington\nB. Adams\nANSWER: A\n"
    (question,) = aiken.read(Source("quiz.txt", data, Path("."))).bank.questions
    assert question.prompt == "U.S. presidents: who was first?"
