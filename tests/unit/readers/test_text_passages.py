"""Passages that several questions of a plain-text bank share (readers/text_passages.py).

Golden imports of fixtures/inputs/text-passages (`<case>.txt` imports as exactly
`<case>.expected.json`, with the notes in `<case>.notes.json`), the announcements that are
refused (nothing written), and the round trip: the imported bank's QTI 3.0 package and HTML
quiz hold the passage once.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import packager
from packager.errors import InputError
from packager.importing import import_file
from packager.readers import text
from packager.readers.base import Source
from packager.writers.canonical import write
from tests.conftest import xsd_dir
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

FOLDER = INPUTS / "text-passages"


@pytest.mark.parametrize("case", cases("text-passages", "txt"))
def test_golden_import(request: pytest.FixtureRequest, case: str) -> None:
    imported = check_golden(request, "text-passages", case, "txt", text.read)
    assert imported.bank.stimuli, case
    data = (FOLDER / f"{case}.txt").read_bytes()
    # Byte for byte the same bank from the same text, and from its CRLF spelling.
    again = text.read(Source(f"{case}.txt", data.replace(b"\n", b"\r\n"), FOLDER))
    assert write(again.bank) == write(imported.bank)


def test_cases_cover_the_forms_asked_for() -> None:
    assert {"passage-at-the-top", "passage-in-the-middle", "two-passages", "range-with-en-dash",
            "questions-1-and-2", "list-and-image"} <= set(cases("text-passages", "txt"))


def _read(body: str) -> packager.Bank:
    return text.read(Source("quiz.txt", body.encode(), FOLDER)).bank


def _errors(body: str) -> list[tuple[int | None, str, str | None]]:
    with pytest.raises(InputError) as caught:
        text.read(Source("quiz.txt", body.encode(), FOLDER))
    return [(d.line, d.message, d.hint) for d in caught.value.diagnostics if d.is_error]


_Q = "{n}. Question {n}?\na) Yes\nb) No\nAnswer: a\n\n"


def _questions(*numbers: int) -> str:
    return "".join(_Q.format(n=n) for n in numbers)


def test_a_range_naming_a_missing_question_is_refused_and_nothing_is_written(
        tmp_path: Path) -> None:
    source = tmp_path / "quiz.txt"
    source.write_text("Questions 2-4 refer to the passage below.\n\nA short passage.\n\n"
                      + _questions(1, 2, 3), encoding="utf-8")
    out = tmp_path / "quiz.json"
    result = import_file(source, "auto", out)
    assert not result.ok and not out.exists()
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [(
        1, '"Questions 2-4 refer to the passage below." names questions 2-4, and the file has '
        "no question 4", "correct the range: name the questions as the file numbers them "
        "('Questions 3-4 refer to …'), or 'the next two questions'")]
    assert list(tmp_path.iterdir()) == [source]


def test_overlapping_ranges_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "quiz.txt"
    source.write_text("Questions 1-2 refer to the passage below.\n\nThe first passage.\n\n"
                      + _questions(1)
                      + "Questions 2-3 refer to the passage below.\n\nThe second passage.\n\n"
                      + _questions(2, 3), encoding="utf-8")
    out = tmp_path / "quiz.json"
    result = import_file(source, "text", out)
    assert not result.ok and not out.exists()
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [(
        10, '"Questions 2-3 refer to the passage below." names questions 2-3, and the passage '
        "on line 1 (questions 1-2) serves question 2 too: a question has one passage",
        "correct the ranges so that no question is in two ('Questions 1-2 …', "
        "'Questions 3-4 …')")]


def test_a_range_written_backwards_is_refused() -> None:
    assert _errors("Questions 2-1 refer to the passage below.\n\nA passage.\n\n"
                   + _questions(1, 2)) == [(
        1, '"Questions 2-1 refer to the passage below." names questions 2-1, the larger '
        "number first", "write the range smaller number first ('Questions 1-2 …')")]


def test_an_announcement_with_no_passage_under_it_is_refused() -> None:
    assert _errors(_questions(1) + "Questions 2-3 refer to the passage below.\n\n"
                   + _questions(2, 3)) == [(
        6, '"Questions 2-3 refer to the passage below." announces a passage, and no text '
        "follows it before the next question",
        "write the passage under this line, above the first question it serves")]


def test_the_next_questions_must_follow() -> None:
    assert _errors(_questions(1) + "The next three questions refer to this passage.\n\n"
                   "A passage.\n\n" + _questions(2, 3)) == [(
        6, '"The next three questions refer to this passage." names the next 3 questions, '
        "and 2 follow it", "count the questions under the passage, or name the questions as "
        "the file numbers them ('Questions 3-4 refer to …'), or 'the next two questions'")]


@pytest.mark.parametrize("head", [
    "Questions 1-2 refer to the passage below.", "Questions 1–2 refer to the passage below.",
    "Questions 1 to 2 are based on the passage below.", "Q1 - 2 refers to the passage below.",
    "Q1 - Q2 refer to the passage below.", "**Questions 1 and 2** relate to this text:",
    "### Questions 1 through 2 refer to the passage below",
    "For questions 1-2, read the passage below.", "For the next two questions, read this.",
    "The next two questions refer to the passage below.",
    "The following 2 questions are based on the passage below.",
    "Use the following passage to answer questions 1–2.",
    "Read the story below and answer questions 1 to 2!",
    "Directions: Read the passage, then answer questions 1 and 2.",
    "Use the chart to answer the next two questions.",
    "Answer questions 1-2 based on the passage below.",
    "Use the following to answer questions 1-2.", "For questions 1-2, see below.",
])
def test_each_way_of_announcing_a_passage(head: str) -> None:
    bank = _read(f"{head}\n\nThe river flooded in 1927.\n\n" + _questions(1, 2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The river flooded in 1927."
    assert [q.stimulus for q in bank.questions] == [stimulus.id, stimulus.id, None]
    assert bank.description is None


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2212", "\uff0d"])
def test_a_range_with_a_pasted_dash_announces_a_passage(dash: str) -> None:
    """`Questions 2−3 refer to …` with a minus sign (or a hyphen U+2010/2011, as a word
    processor writes it) was no announcement: its passage became the explanation of the
    question above, silently."""
    bank = _read(_questions(1) + f"Questions 2{dash}3 refer to the passage below.\n\n"
                 "The river flooded in 1927.\n\n" + _questions(2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The river flooded in 1927."
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]
    assert [q.explanation for q in bank.questions] == [None, None, None]


@pytest.mark.parametrize("line", [
    "Questions 1-2 were harder than the rest.", "Use a pencil to answer.",
    "The next questions are harder.", "Refer to your notes.",
])
def test_text_before_the_questions_that_announces_no_range_is_the_description(
        line: str) -> None:
    bank = _read(f"{line}\n\nThe river flooded in 1927.\n\n" + _questions(1, 2))
    assert bank.description == f"{line}\n\nThe river flooded in 1927."
    assert bank.stimuli == [] and [q.stimulus for q in bank.questions] == [None, None]


def test_questions_without_numbers_are_named_by_their_places() -> None:
    bank = _read("Situation: Warm-up.\nWhat is 1+1?\n- 2\n- 3\nAnswer: A\n\n"
                 "Questions 2-3 refer to the passage below.\n\nThe river flooded in 1927.\n\n"
                 "Situation: The river.\nWhen did it flood?\n- 1927\n- 1930\nAnswer: A\n\n"
                 "Situation: Again.\nWhat year was it?\n- 1927\n- 1928\nAnswer: A\n")
    (stimulus,) = bank.stimuli
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]


def test_a_ruled_file_and_an_answer_key_at_the_end() -> None:
    bank = _read("1. Warm-up?\na) Yes\nb) No\n\n---\n\nQuestions 2-3 refer to the passage "
                 "below.\n\nThe river flooded in 1927.\n\n---\n\n2. When?\na) 1927\nb) 1930\n\n"
                 "---\n\n3. Where?\na) Delta\nb) Hills\n\n---\n\nAnswer key\n1. a\n2. a\n3. b\n")
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The river flooded in 1927."
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]
    assert [c.correct for c in bank.questions[2].choices] == [False, True]


def test_an_announcement_in_fenced_code_is_code() -> None:
    bank = _read("1. What does this print?\n\n```\nQuestions 1-2 refer to the passage below.\n"
                 "```\n\na) Text\nb) Nothing\nAnswer: a\n\n" + _questions(2))
    assert bank.stimuli == []


def test_the_stimulus_is_located_on_the_passage_lines(tmp_path: Path) -> None:
    """A problem of the passage's text (a missing image) is told on its line."""
    body = ("Questions 1-2 refer to the passage below.\n\nThe map:\n\n"
            "![Map](media/none.png)\n\n" + _questions(1, 2))
    with pytest.raises(InputError) as caught:
        text.read(Source("quiz.txt", body.encode(), tmp_path))
    assert [d.line for d in caught.value.diagnostics if d.is_error] == [5]


def _exported(tmp_path: Path, case: str, formats: list[str]) -> dict[str, bytes]:
    out = tmp_path / f"{case}.json"
    result = import_file(FOLDER / f"{case}.txt", "auto", out)
    assert result.ok, result.diagnostics
    artifacts = packager.export(out, formats, xsd_dir=xsd_dir())
    return {a.name.split(".")[-2]: a.data for a in artifacts}


def test_qti30_holds_the_passage_once_and_each_item_refers_to_it(tmp_path: Path) -> None:
    package = _exported(tmp_path, "passage-in-the-middle", ["qti30"])["qti30"]
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode("utf-8") for name in names
                 if name.endswith(".xml")}
    stimuli = [name for name in names if name.startswith("stimuli/")]
    assert stimuli == ["stimuli/bees-dance-to-tell-the-hive.xml"]
    holding = [name for name, xml in texts.items() if "Bees dance to tell the hive" in xml]
    assert holding == stimuli
    referring = sorted(name for name, xml in texts.items()
                       if "qti-assessment-stimulus-ref" in xml)
    assert referring == ["items/what-does-the-dances-length-say.xml",
                         "items/what-does-the-waggle-dance-point.xml"]
    body = etree.fromstring(texts[stimuli[0]].encode()).find(
        "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}qti-stimulus-body")
    assert body is not None and "<em>waggle</em>" in etree.tostring(body).decode()


def test_the_html_quiz_holds_the_passage_once(tmp_path: Path) -> None:
    page = _exported(tmp_path, "two-passages", ["html"])["html"].decode("utf-8")
    assert page.count("Ada Lovelace wrote the first published program") == 1
    assert page.count("weaves algebraic patterns") == 1
    data = json.loads(page.split("window.PACKAGER_QUIZ = ", 1)[1].split(";\n", 1)[0])
    assert sorted(data["stimuli"]) == ["ada-lovelace-wrote-the-first-published",
                                       "the-analytical-engine-weaves-algebraic-patterns"]


@pytest.mark.parametrize("line", [
    "For questions 1-2, choose the best answer.", "Answer questions 1-2 from memory.",
    "Use a pencil to answer questions 1-2.",
    # `below` the options', `above` what is before the line: no text under it to read
    "For questions 1-2, choose the best answer from the options below.",
    "Directions: For questions 1-2, choose the best answer below.",
    "Use a pencil to answer questions 1-2 below.",
    "For questions 1-2, answer using the information above.",
])
def test_an_instruction_for_a_range_is_no_passage(line: str) -> None:
    """An instruction naming a range of questions and no material to read stays the bank's
    description, over the questions or over more text."""
    bank = _read(f"{line}\n\n" + _questions(1, 2))
    assert bank.description == line and bank.stimuli == []
    bank = _read(f"{line}\n\nWork alone.\n\n" + _questions(1, 2))
    assert bank.description == f"{line}\n\nWork alone." and bank.stimuli == []


def test_an_instruction_naming_a_passage_over_the_questions_alone_is_no_passage() -> None:
    bank = _read("For questions 1-2, use the table below.\n\n" + _questions(1, 2))
    assert bank.description == "For questions 1-2, use the table below." and bank.stimuli == []


def test_a_list_naming_missing_questions_names_each_and_a_range_its_first_gap() -> None:
    assert [message for _, message, _ in _errors(
        "Questions 1, 5 and 7 refer to the passage below.\n\nA passage.\n\n"
        + _questions(1, 2, 3))] == [
        '"Questions 1, 5 and 7 refer to the passage below." names questions 1, 5 and 7, and '
        "the file has no question 5 or 7"]
    assert [message for _, message, _ in _errors(
        "Questions 1-99999 refer to the passage below.\n\nA passage.\n\n"
        + _questions(1, 2, 4))] == [
        '"Questions 1-99999 refer to the passage below." names questions 1-99999, and the file '
        "has no question 3"]


@pytest.mark.parametrize("head", ["Questions 1-2 refer to the passage below.",
                                  "The next two questions refer to the passage below."])
def test_a_question_right_under_the_passage_is_not_part_of_it(head: str) -> None:
    """No blank line between the passage and its first question: the question, its options
    and key are not the passage's text (shown over the next two questions, the key too)."""
    bank = _read(f"{head}\nThe sun is hot.\n1. Is the sun hot?\na) Yes\nb) No\nAnswer: a\n\n"
                 + _questions(2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The sun is hot."
    assert [q.prompt for q in bank.questions] == ["Is the sun hot?", "Question 2?", "Question 3?"]
    assert [q.stimulus for q in bank.questions] == [stimulus.id, stimulus.id, None]
    # A numbered list right under the passage's text, no option under it, stays the passage's.
    bank = _read(f"{head}\nSteps to bake:\n1. Mix the flour.\n2. Bake it.\n\n"
                 + _questions(1, 2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "Steps to bake:\n1. Mix the flour.\n2. Bake it."
    assert [q.stimulus for q in bank.questions] == [stimulus.id, stimulus.id, None]


def test_a_question_above_those_the_passage_serves_is_not_part_of_it() -> None:
    """The passage for questions 2-3 written above question 1: question 1, its options and
    key are not the passage's text (question 1 was lost, its key shown over 2 and 3)."""
    for keys in ("", "Answers\n1. a\n2. b\n3. a\n"):
        questions = _questions(1, 2, 3)
        if keys:
            questions = questions.replace("Answer: a\n", "")
        bank = _read("Questions 2-3 refer to the table below.\n\nA table.\n\n" + questions + keys)
        (stimulus,) = bank.stimuli
        assert stimulus.body == "A table."
        assert [q.prompt for q in bank.questions] == [f"Question {n}?" for n in (1, 2, 3)]
        assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_question_a_blank_line_above_its_options_is_not_part_of_the_passage(
        gap: str) -> None:
    """Question 1, a blank line between its stem and options, right under (or a blank line
    under) a passage for questions 2-3: it was the passage's text, its key shown over 2 and
    3, and question 1 lost."""
    bank = _read(f"Questions 2-3 refer to the passage below.\n\nThe sun is hot.{gap}"
                 "1. Is the sun hot?\n\na) Yes\nb) No\nAnswer: a\n\n" + _questions(2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The sun is hot."
    assert [q.prompt for q in bank.questions] == ["Is the sun hot?", "Question 2?", "Question 3?"]
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]
    # A passage's numbered paragraphs, a blank line between them, stay its text.
    bank = _read("Questions 1-2 refer to the passage below.\n\nSteps to bake:\n"
                 "1. Mix the flour.\n\n2. Bake it.\n\nServe it warm.\n\n" + _questions(1, 2))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "Steps to bake:\n1. Mix the flour.\n\n2. Bake it.\n\nServe it warm."


def test_a_question_read_as_the_passage_s_text_is_named_by_the_answer_key_s_error() -> None:
    """Question 1 with neither options nor key under it, right under the passage's text,
    keyed at the end: the passage's numbered paragraph, as `1. Mix the flour.` is. The key's
    error said to number each question as the key names it, which the file did; it now says
    where question 1 was read and how to write it apart."""
    keys = "Answers\n1. a\n2. a\n3. a\n"
    for head, fix in (
            ("Questions 2-3", "the passage (its announcement and text) under question 1, "
             "above the questions it serves"),
            ("Questions 1-2", "a blank line between the passage's text and it")):
        errors = _errors(f"{head} refer to the passage below.\n\nThe sun is hot.\n"
                         "1. Name the star.\n\n" + _questions(2, 3).replace("Answer: a\n", "")
                         + keys)
        assert (15, "the answer key names question 1, which the file does not have",
                f"question 1 (line 4) is read as the text of the passage announced on line 1, "
                f"for questions {head[-3:]}: write {fix}") in errors


def test_a_list_without_its_word_under_a_key_announces_a_passage() -> None:
    """`2 and 3 refer to the passage below.` under question 1's key (refused before passages
    were read) is no part of question 1's explanation; a list naming no material is."""
    bank = _read(_questions(1) + "2 and 3 refer to the passage below.\n\nA passage.\n\n"
                 + _questions(2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "A passage."
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]
    assert bank.questions[0].explanation is None
    bank = _read(_questions(1) + "1 and 2 use the same formula.\n\n" + _questions(2))
    assert bank.stimuli == []
    assert bank.questions[0].explanation == "1 and 2 use the same formula."


def test_a_problem_of_the_announcement_is_told_on_its_line() -> None:
    """The announcement is the stimulus's title: what is wrong in it is on its line, not on
    the passage's first line."""
    assert _errors("Questions 1-2 refer to the passage \x07below.\n\nA passage.\n\n"
                   + _questions(1, 2)) == [(
        1, "contains the control character U+0007, which XML cannot carry; remove it",
        "delete the invisible character (often pasted from a word processor)")]


@pytest.mark.parametrize("line", [
    "Questions 1-2 are about the water cycle.", "The next two questions are about plants.",
    "Questions 1 and 2 deal with fractions.", "Questions 1-2 use the formula F = ma.",
])
def test_a_topic_over_the_first_question_is_the_description(line: str) -> None:
    """A line that says what questions are about, names no text to read and has none under
    it, over the first question: the description, as before passages were read (the import
    was refused: 'announces a passage, and no text follows it')."""
    bank = _read(f"{line}\n\n" + _questions(1, 2))
    assert bank.description == line and bank.stimuli == []


def test_a_topic_under_a_key_is_still_refused() -> None:
    """Under a question's key it would be that question's explanation."""
    assert [message for _, message, _ in _errors(
        _questions(1) + "Questions 2-3 are about the water cycle.\n\n" + _questions(2, 3))] == [
        '"Questions 2-3 are about the water cycle." announces a passage, and no text follows '
        "it before the next question"]


def test_a_heading_that_names_nothing_to_read_titles_the_bank() -> None:
    """`# Questions 1-2 are about fractions` over the questions: the bank's title, as before
    passages were read (it was the description, its '#' kept); a heading that names a passage
    announces it."""
    bank = _read("# Questions 1-2 are about fractions\n\n" + _questions(1, 2))
    assert bank.title == "Questions 1-2 are about fractions" and bank.description is None
    bank = _read("# Questions 1-2 refer to the passage below\n\nA passage.\n\n" + _questions(1, 2))
    assert bank.title != "Questions 1-2 refer to the passage below"
    assert [s.body for s in bank.stimuli] == ["A passage."]


@pytest.mark.parametrize("head", ["Questions 1-2 refer to the recipe below.",
                                  "The next two questions refer to the recipe below.",
                                  "Use the following recipe to answer questions 1-2."])
def test_a_numbered_list_from_1_stays_the_passage_s_text(head: str) -> None:
    """The passage's steps (`1. Mix the flour.`), then question 1 with its options: the
    passage ended at the step numbered 1, and the steps became question 1's scenario with a
    stray `1.` (or, right under an instruction, the previous question's explanation),
    silently."""
    bank = _read(f"{head}\n\nBake bread as follows.\n\n1. Mix the flour.\n2. Knead the dough."
                 "\n\n" + _questions(1, 2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "Bake bread as follows.\n\n1. Mix the flour.\n2. Knead the dough."
    assert [q.prompt for q in bank.questions] == [f"Question {n}?" for n in (1, 2, 3)]
    assert [q.scenario for q in bank.questions] == [None, None, None]
    assert [q.stimulus for q in bank.questions] == [stimulus.id, stimulus.id, None]
    # With no later question 1 that asks, the first `1.` is question 1, not the passage's.
    errors = _errors(f"{head}\n\nThe text.\n\n1. Name a city.\n\n"
                     + _questions(2, 3).replace("Answer: a\n", "") + "Answers\n1. a\n2. a\n3. a\n")
    assert [(line, message) for line, message, _ in errors] == [
        (5, "this question has no options")]
    # The steps right under the announcement.
    bank = _read(f"{head}\n\n1. Mix the flour.\n2. Knead the dough.\n\n" + _questions(1, 2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "1. Mix the flour.\n2. Knead the dough."
    assert [q.stimulus for q in bank.questions] == [stimulus.id, stimulus.id, None]
    # Text after the steps, no answer key: the steps are still the passage's.
    bank = _read(f"{head}\n\nBake bread as follows.\n\n1. Mix the flour.\n2. Knead the dough."
                 "\n\nServe it warm.\n\n" + _questions(1, 2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body.endswith("2. Knead the dough.\n\nServe it warm.")
    assert [q.scenario for q in bank.questions] == [None, None, None]
    # Text after the numbered lines (`Part B`) in a file keyed at its end: the first `1.` is
    # question 1 (a statement keyed `T`, say), as before.
    errors = _errors(f"{head}\n\nThe text.\n\n1. Name a city.\n\n2. Name a river.\n\nPart B\n\n"
                     + _questions(1, 2).replace("Answer: a\n", "") + "Answers\n1. a\n2. b\n")
    assert errors[0][:2] == (
        20, "an answer key names questions by number, and this file numbers two questions alike")


@pytest.mark.parametrize("head", ["For questions 2-3, read the text below.",
                                  "Use the following passage to answer questions 2-3."])
def test_an_instruction_naming_text_below_with_none_under_a_question_is_refused(
        head: str) -> None:
    """Right over question 2, under question 1's key: the line became question 1's
    explanation, silently (`Questions 2-3 refer to the text below.` there was refused)."""
    errors = _errors(_questions(1) + f"{head}\n\n" + _questions(2, 3))
    assert errors == [(6, f'"{head}" announces a passage, and no text follows it before the '
                       "next question", "write the passage under this line, above the first "
                       "question it serves")]


def test_an_instruction_naming_no_text_under_it_is_left_out_and_told() -> None:
    """`For questions 2-3, read each passage carefully.` under question 1's key (a section's
    instruction, each question carrying its text) became question 1's explanation, silently:
    it is left out, with a note at its line and a warning of `validate`, both on the first
    question it names."""
    body = _questions(1) + "For questions 2-3, read each passage carefully.\n\n" + _questions(2, 3)
    imported = text.read(Source("quiz.txt", body.encode(), FOLDER))
    assert [q.explanation for q in imported.bank.questions] == [None, None, None]
    said = ('"For questions 2-3, read each passage carefully.", an instruction for questions '
            "2-3, has no text of its own under it: it is left out")
    assert [(n.location.line, n.question_id, n.kind, n.message) for n in imported.notes] == [
        (6, "question-2", "dropped", said)]
    result = text.read_result(Source("quiz.txt", body.encode(), FOLDER))
    assert [(d.line, d.question_id, d.message) for d in result.diagnostics
            if d.code == "W-TEXT-LEFT-OUT"] == [(6, "question-2", said)]
    # Over the first question it is the bank's description, as any text there.
    bank = _read(body.removeprefix(_questions(1)))
    assert bank.description == "For questions 2-3, read each passage carefully."


@pytest.mark.parametrize(("instruction", "question_id"), [
    ("For the next two questions, read each passage carefully.", "question-2"),
    ("For questions 3 and 2, read each passage carefully.", "question-2"),
    # The question numbered so after it, as a passage's (two parts numbered from 1).
    ("For questions 1-2, read each passage carefully.", "question-1-2"),
    # No such question: the note is the file's.
    ("For questions 11-20, read each passage carefully.", None),
])
def test_a_left_out_instruction_is_told_on_the_first_question_it_names(
        instruction: str, question_id: str | None) -> None:
    body = _questions(1) + f"{instruction}\n\n" + _questions(2, 3)
    if "1-2" in instruction:
        body = _questions(1, 2) + f"{instruction}\n\n" + _questions(1, 2)
    (note,) = text.read(Source("quiz.txt", body.encode(), FOLDER)).notes
    assert (note.location.line, note.question_id) == (body.count("\n", 0, body.index(
        instruction)) + 1, question_id)


@pytest.mark.parametrize("head", ["Questions 2-3 refer to the steps below.",
                                  "Use the following steps to answer questions 2-3.",
                                  "Use the steps below to answer questions 2-3.",
                                  "Study the two recipes below, then answer questions 2-3."])
def test_a_passage_may_start_with_a_list_numbered_from_another_number(head: str) -> None:
    """Steps `1.`, `2.` right under the announcement of questions 2-3: the passage ended at
    the step numbered 1, so it had no text: refused as such under `Questions 2-3 refer to …`
    (though text followed), and under the instruction it and the steps became question 1's
    explanation, silently."""
    bank = _read(_questions(1) + f"{head}\n\n1. Mix the flour.\n2. Knead the dough.\n\n"
                 + _questions(2, 3))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "1. Mix the flour.\n2. Knead the dough."
    assert [q.prompt for q in bank.questions] == [f"Question {n}?" for n in (1, 2, 3)]
    assert [q.explanation for q in bank.questions] == [None, None, None]
    assert [q.stimulus for q in bank.questions] == [None, stimulus.id, stimulus.id]
    # Statements keyed at the end under the line are told as read into the passage.
    body = (_questions(1) + head.replace("2-3", "4-5") + "\n\n2. The sky is green.\n3. Water "
            "is wet.\n\n" + _questions(4, 5) + "Answers\n1. a\n2. F\n3. T\n4. a\n5. a\n")
    errors = _errors(body.replace("Answer: a\n", ""))
    assert [(line, message) for line, message, _ in errors] == [
        (20, "the answer key names question 2, which the file does not have"),
        (21, "the answer key names question 3, which the file does not have")]


@pytest.mark.parametrize("closing", ["Serve it warm.", "Serve it warm,\nand slice it when cool!"])
def test_a_numbered_list_and_a_closing_sentence_stay_the_passage_s_in_a_keyed_file(
        closing: str) -> None:
    """In a file keyed by an answer key at its end, the passage ended at the list's `1.`
    when a paragraph followed the list, and question 1 got the scenario 'Mix the flour.\\n2.
    Knead the dough.\\n\\nServe it warm.\\n\\n1.', silently. A sentence is the passage's; a
    part's title or instruction (`Part B`) still ends it at the `1.` (the test above)."""
    body = ("Questions 1-2 refer to the recipe below.\n\nBake bread as follows.\n\n"
            f"1. Mix the flour.\n2. Knead the dough.\n\n{closing}\n\n"
            + _questions(1, 2).replace("Answer: a\n", "") + "Answers\n1. a\n2. b\n")
    bank = _read(body)
    (stimulus,) = bank.stimuli
    assert stimulus.body == ("Bake bread as follows.\n\n1. Mix the flour.\n2. Knead the dough."
                             f"\n\n{closing}")
    assert [(q.prompt, q.scenario, q.stimulus) for q in bank.questions] == [
        ("Question 1?", None, stimulus.id), ("Question 2?", None, stimulus.id)]
    # Statements keyed at the end (`1.`, `2.`), then a part's title or instruction, then
    # part B's questions numbered from 1: refused for their numbers, as before.
    for part in ("## Part B", "Section 2", "Answer the questions below."):
        errors = _errors("Questions 1-2 refer to the text below.\n\nThe text.\n\n1. Name a "
                         f"city.\n\n2. Name a river.\n\n{part}\n\n"
                         + _questions(1, 2).replace("Answer: a\n", "") + "Answers\n1. a\n2. b\n")
        assert errors[0][:2] == (20, "an answer key names questions by number, and this file "
                                 "numbers two questions alike")


@pytest.mark.parametrize("head", ["For questions 1-2, read each question below and choose the best "
                                  "answer.",
                                  "Read the statements below and answer questions 1-2.",
                                  "Use the options below to answer questions 1-2."])
def test_an_instruction_about_the_questions_own_parts_below_names_no_passage(head: str) -> None:
    """`Use the steps below to answer questions 2-3.` names text to read under it; the same
    words about the questions, their statements or options name none: over question 1 the
    line stays the bank's description and no passage is looked for."""
    bank = _read(f"{head}\n\n" + _questions(1, 2))
    assert bank.stimuli == []
    assert bank.description == head
    assert [q.prompt for q in bank.questions] == ["Question 1?", "Question 2?"]


@pytest.mark.parametrize("head", ["Questions 1-2: use the space below for your working.",
                                  "Questions 1-2: use the blank lines below to show your work.",
                                  "Questions 1-2: use the boxes below for your answers.",
                                  "Questions 1-2: use the space provided below."])
def test_a_place_to_write_below_names_no_passage(head: str) -> None:
    """Where the learner writes (a space, blank lines, boxes) is no text to read: over
    question 1 the line stays the bank's description, as `Questions 1-2: use the space
    below …` was before `… the steps below …` named a passage; taken for an announcement it
    was refused ('announces a passage, and no text follows it')."""
    bank = _read(f"{head}\n\n" + _questions(1, 2))
    assert bank.stimuli == []
    assert bank.description == head
    assert [q.prompt for q in bank.questions] == ["Question 1?", "Question 2?"]


def test_an_instruction_with_numbered_lines_under_it_that_ask_nothing_is_refused() -> None:
    """`For questions 4-5, read each passage carefully.` over `1. Mix the flour.`, `2. Knead
    the dough.` and then question 3: the lines were taken for no passage (numbered as
    questions, asking nothing), the instruction was left out with a note that it had no text
    under it, and the lines became question 2's explanation, with no word of it."""
    steps = "1. Mix the flour.\n2. Knead the dough.\n\n"
    head = "For questions 4-5, read each passage carefully."
    body = _questions(1, 2) + f"{head}\n\n{steps}" + _questions(3, 4, 5)
    assert _errors(body) == [(
        11, f'"{head}", an instruction for questions 4-5, has lines under it that are neither '
        'its passage nor a question ("1. Mix the flour." asks nothing)',
        "if they are a passage for those questions, write them without numbers as questions "
        "have (a bulleted list: '- Mix the flour.'); if they belong to the question above, "
        "put them above this line")]
    # As a bulleted list the lines are the passage of questions 4-5.
    bank = _read(body.replace(steps, "- Mix the flour.\n- Knead the dough.\n\n"))
    (stimulus,) = bank.stimuli
    assert [q.stimulus for q in bank.questions] == [None, None, None, stimulus.id, stimulus.id]
    assert [q.explanation for q in bank.questions] == [None] * 5


@pytest.mark.parametrize("block", [
    "```\nprint(1 + 1)\n```",
    "    print(1 + 1)",
    "| x | y |\n|---|---|\n| 1 | 2 |",
], ids=["fenced", "indented", "table"])
def test_an_instruction_over_a_question_with_a_block_between_stem_and_options_is_left_out(
        block: str) -> None:
    """`For questions 3-4, read each passage carefully.` over `3. What does this print?`, a
    blank line, a code block (or a table), a blank line, then its options: the question
    asks, but the look for its options stopped at the second blank line, so the instruction
    was refused as standing over numbered lines that ask nothing. It is left out: the bank
    is the one read without it."""
    head = "For questions 3-4, read each passage carefully.\n\n"
    asked = f"3. What does this print?\n\n{block}\n\na) 2\nb) 11\nAnswer: a\n\n"
    without = _read(_questions(1, 2) + asked + _questions(4))
    bank = _read(_questions(1, 2) + head + asked + _questions(4))
    assert len(bank.questions) == 4 and bank.stimuli == []
    assert bank.questions == without.questions


@pytest.mark.parametrize("part", ["Part B", "## Part B", "Section 2"])
@pytest.mark.parametrize("head", ["Questions 1-2 refer to the text below.\n\nThe text.\n\n", ""])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_tight_numbered_list_and_a_part_title_over_question_1_are_refused(
        part: str, head: str, newline: str) -> None:
    """`1. Name a city.` / `2. Name a river.` (no blank line between), `Part B`, then
    question 1: the `1.` of question 1 was read as an item of a list in the stem of the
    `1. Name a city.` above, which gave question 1 the scenario 'Name a city.\\n2. Name a
    river.\\n\\nPart B\\n\\n1.', silently, where the same list with a blank line between its
    items is refused. Part A's lines may be statements the answer key keys, or the passage's:
    refused as the loose list is, where the list starts."""
    body = f"{head}1. Name a city.\n2. Name a river.\n\n{part}\n\n" + _questions(1, 2)
    first = 5 if head else 1
    keyed = body.replace("Answer: a\n", "") + "Answers\n1. a\n2. b\n"
    errors = _errors(keyed.replace("\n", newline))
    assert (keyed.count("\n") - 1, "an answer key names questions by number, and this file "
            "numbers two questions alike", "number the questions 1, 2, 3 … as the answer key "
            "does") in errors
    assert (first, "this question has no options") in [e[:2] for e in errors]
    if not head:  # each question keyed under it: the list is still no question's scenario
        assert [e[:2] for e in _errors(body.replace("\n", newline))] == [
            (1, "this question has no options")]


@pytest.mark.parametrize("head", ["Questions 1-2 refer to the recipe below.\n\n", ""])
@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_a_tight_list_over_question_1_numbering_its_own_list_anew_is_refused(
        head: str, gap: str) -> None:
    """`1. Mix the flour.` right over `2. Knead the dough.`, then question 1 whose text starts
    with a list of its own (`1. Consider these steps:`, `1. Heat.`, `2. Cool.`): the passage
    ended at the recipe's `1.` and question 1's `1.` was read as an item of a list in the
    stem of `1. Mix the flour.`, which gave question 1 the recipe as its scenario, silently.
    A list numbered anew is no item of the list above: the recipe's lines are refused as a
    question without options, where they start (with no announcement, the file was refused
    already, at its first line)."""
    body = (f"{head}Bake bread as follows.\n\n1. Mix the flour.\n2. Knead the dough.\n\n"
            f"1. Consider these steps:{gap}1. Heat.{gap}2. Cool.\n\nQuestion 1?\na) Yes\nb) No\n"
            "Answer: a\n\n" + _questions(2))
    assert [e[:2] for e in _errors(body)] == ([] if head else [
        (1, "this question has no options")]) + [(5 if head else 3, "this question has no options")]


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
@pytest.mark.parametrize("key", ["Answer: a\n\n", "\n"])
def test_a_question_introducing_its_own_list_under_a_passage_is_the_question_s(
        gap: str, key: str) -> None:
    """`2. Consider:` over `1. Heat.`, `2. Cool.`, then `Question 2?` and its options, under
    the passage for questions 2-3: the passage ran on to the list's `2. Cool.` (a start
    numbered 2 that asks), taking '2. Consider:\\n1. Heat.' as its text, and question 2 got
    the scenario 'Cool.', silently. A start over a list numbered from 1 introduces that
    list: it is the question, and the passage ends above it."""
    body = (_questions(1) + "Questions 2-3 refer to the text below.\n\nThe river flooded.\n\n"
            f"2. Consider:{gap}1. Heat.{gap}2. Cool.\n\nQuestion 2?\na) Yes\nb) No\n"
            + (key if key.startswith("Answer") else "\n") + _questions(3))
    if not key.startswith("Answer"):
        body = body.replace("Answer: a\n", "") + "Answers\n1. a\n2. a\n3. a\n"
    bank = _read(body)
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The river flooded."
    assert [(q.scenario, q.prompt, q.stimulus) for q in bank.questions] == [
        (None, "Question 1?", None),
        (f"Consider:{gap}1. Heat.{gap}2. Cool.", "Question 2?", stimulus.id),
        (None, "Question 3?", stimulus.id)]


@pytest.mark.parametrize("part", ["Part B", "## Part B", "Section 2: Reading"])
def test_a_part_title_under_a_passage_is_not_its_text(part: str) -> None:
    """A part's title between a passage and the questions it serves ended the passage's
    text ('The text.\\n\\nPart B'), silently; it titles the questions, left out as such
    titles between questions are."""
    bank = _read(f"Questions 1-2 refer to the text below.\n\nThe text.\n\n{part}\n\n"
                 + _questions(1, 2))
    (stimulus,) = bank.stimuli
    assert stimulus.body == "The text."
    assert [(q.prompt, q.scenario, q.stimulus) for q in bank.questions] == [
        ("Question 1?", None, stimulus.id), ("Question 2?", None, stimulus.id)]


def test_a_passage_end_read_as_a_part_title_is_told() -> None:
    """A passage's last paragraph that reads as a printed test's part title is left out as
    the title over its questions (`Part B`), which b900dff kept as the passage's: a
    reference line (`Section 3 - Budget tables, page 12`) went without a word. Told now."""
    body = ("Read the passage below and answer questions 1-2.\n\n"
            "The committee met on Monday and approved the budget.\n\n"
            "Section 3 - Budget tables, page 12\n\n" + _questions(1, 2))
    read = text.read(Source("quiz.txt", body.encode(), FOLDER))
    assert [s.body for s in read.bank.stimuli] == [
        "The committee met on Monday and approved the budget."]
    assert [(n.location.line, n.message) for n in read.notes if "part" in n.message] == [
        (5, 'the line "Section 3 - Budget tables, page 12" reads as the title of the part after '
            "it: it is left out")]


@pytest.mark.parametrize(("part", "note"), [
    ("## Part B", 'the title "## Part B" is left out: a bank holds no titles over its questions'),
    ("Part B", 'the line "Part B" reads as the title of the part after it: it is left out'),
])
def test_a_title_left_out_at_a_passage_end_is_noted_once(part: str, note: str) -> None:
    """A Markdown heading between a passage and its questions was left out with no note,
    where the same heading between questions has one; a part title, which may be the
    passage's last paragraph, has the warning that says how to keep it, and no other note."""
    body = ("Read the passage below and answer questions 1-2.\n\n"
            f"The committee met on Monday and approved the budget.\n\n{part}\n\n"
            + _questions(1, 2))
    read = text.read(Source("quiz.txt", body.encode(), FOLDER))
    assert [s.body for s in read.bank.stimuli] == [
        "The committee met on Monday and approved the budget."]
    assert [(n.location.line, n.message) for n in read.notes if n.kind == "dropped"] == [
        (5, note)]
