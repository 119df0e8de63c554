"""Layouts and messages of text sweeps 6 and 7's real quiz files that the reader told badly
or read wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import text
from packager.readers.base import Source
from tests.unit.readers.text_cases import keys, read_questions

QUIZ = ("### Question 1\n\nWhat is 2+3?\n\nA) 5\nB) 6\n\n**Answer: A** - it adds up.\n\n---\n\n"
        "{tail}\n")


def _hints(body: str, tmp_path: Path) -> list[tuple[int | None, str, str | None]]:
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    return [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error]


def test_a_closing_tip_after_the_last_rule_is_told_how_to_keep_it(tmp_path: Path) -> None:
    """A closing note after the last rule (the Bedrock practice set's exam tip) is read as a
    question without options; the hint told only how to write options."""
    [(line, message, hint)] = _hints(QUIZ.format(
        tail="**Exam Tip**: lower temperature makes output more deterministic."), tmp_path)
    assert (line, message) == (12, "this question has no options")
    assert hint is not None and "a section that asks nothing is left out" in hint
    # Under a heading of its own, as the hint says, it is left out.
    result = text.read_result(Source("quiz.md", QUIZ.format(
        tail="## Notes\n\n**Exam Tip**: lower it.").encode(), tmp_path))
    assert result.bank is not None and len(result.bank.questions) == 1


@pytest.mark.parametrize("tail", [
    "### Question 2\n\nWhat is 2+2?",
    "### Question 2\n\nWhich sum is 4?\n\nExplain it.",
])
def test_a_question_without_options_is_told_only_how_to_write_them(
        tail: str, tmp_path: Path) -> None:
    [(_, message, hint)] = _hints(QUIZ.format(tail=tail), tmp_path)
    assert message == "this question has no options"
    assert hint == "write each option on its own line starting with '- ', 'A) ' or 'a. '"


def test_a_summary_after_the_quiz_is_told_it_may_be_no_question(tmp_path: Path) -> None:
    """`## Summary` over `Today you learned:` and bullets (the MLOps mastery check) is read as
    a question without its key; the hint told only how to write a key."""
    [(line, message, hint)] = _hints(QUIZ.format(
        tail="## Summary\n\nToday you learned:\n* **Addition**\n* **Counting**"), tmp_path)
    assert (line, message) == (12, "no key: nothing says which option is correct")
    assert hint is not None and hint.endswith(
        "; if it is no question (a summary after the quiz), delete it")


@pytest.mark.parametrize("tail", [
    "### Question 2\n\nPick the sum of 2 and 2:\n\n- 4\n- 5",
    "## Sums\n\nWhich sum is 4?\n\n- 2+2\n- 2+3",
])
def test_a_question_without_its_key_is_told_only_how_to_write_one(
        tail: str, tmp_path: Path) -> None:
    [(_, message, hint)] = _hints(QUIZ.format(tail=tail), tmp_path)
    assert message == "no key: nothing says which option is correct"
    assert hint == "add a line 'Answer: B', or start the explanation with 'The correct answer is …'"



RULED = ("1. What is 2+3?\n- A) 5\n- B) 6\n\nAnswer: A\n\n{second}\n\n"
         "3. What is 1+1?\n- A) 2\n- B) 3\n\nAnswer: A\n\n---\n")


@pytest.mark.parametrize("second", [
    "2. What is 2+2?\n- A) 5\n- B) 4",
    "#### Q2\nHow many sides has a square?\n- (A) 4\n- (B) 5",
])
def test_a_question_without_its_key_in_a_ruled_file_is_refused_not_swallowed(
        second: str, tmp_path: Path) -> None:
    """Text sweep 7's S1: in a file with a rule, a numbered question without a key became
    the explanation of the question before it (exit 0, the question gone)."""
    errors = _hints(RULED.format(second=second), tmp_path)
    assert [(line, message) for line, message, _ in errors] == [
        (7, "no key: nothing says which option is correct")]


def test_a_numbered_list_in_an_explanation_stays_the_explanations(tmp_path: Path) -> None:
    """Items numbered on from the question's own number with bullets under them, asking
    nothing: a list of the explanation, as before."""
    body = ("1. What is 2+3?\n\nA) 5\nB) 6\n\nAnswer: A\n\nTwo reasons:\n\n1. Addition\n"
            "   - it counts up\n   - from 2\n\n2. Checking\n   - count on fingers\n"
            "   - five of them\n\n---\n\n2. What is 2+2?\n\nA) 5\nB) 4\n\nAnswer: B\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["5"], ["4"]]
    assert questions[0]["explanation"].endswith("2. Checking\n   - count on fingers\n"
                                                "   - five of them")


@pytest.mark.parametrize("sign", ["❓ ", "❓️ ", "📝 ", "🔹 "])
def test_a_sign_before_a_question_label(sign: str, tmp_path: Path) -> None:
    """Text sweep 7's S2: `### ❓ Question 1` was no label: the first was the bank's title,
    the others each question's scenario."""
    body = (f"### {sign}Question 1 - Sums\n\nWhat is 2+3?\n\n- A) 5\n- B) 6\n\n**Answer:** A\n\n"
            f"---\n\n### {sign}Question 2\n\nWhat is 2+2?\n\n- A) 5\n- B) 4\n\n**Answer:** B\n")
    bank = text.read(Source("quiz.md", body.encode(), tmp_path)).bank
    assert bank.title == "quiz"
    assert [(q.title, q.scenario, q.prompt) for q in bank.questions] == [
        ("Sums", None, "What is 2+3?"), (None, None, "What is 2+2?")]


@pytest.mark.parametrize("label", ["### Options:", "## Opciones", "#### **Answer Choices:**"])
def test_a_heading_over_the_options_is_no_prompt(label: str, tmp_path: Path) -> None:
    """Text sweep 7's S3: `### Options:` was the prompt, the question its scenario."""
    questions = read_questions(f"1. What is 2+3?\n\n{label}\n\n- 5\n- 6\n\nAnswer: A\n", tmp_path)
    assert [(q.get("scenario"), q["prompt"]) for q in questions] == [(None, "What is 2+3?")]


@pytest.mark.parametrize(("options", "correct"), [
    ("- [✅] 5\n- [ ] 6", ["5"]),
    ("- [ ] 5\n- [✔️] 6", ["6"]),
    ("+ [x] 5\n+ [ ] 6", ["5"]),
    ("+ 5\n+ 6\n\nAnswer: B", ["6"]),
    ("    + [ ] 5\n    + [x] 6", ["6"]),
])
def test_a_tick_in_a_task_box_and_plus_bullets(options: str, correct: list[str],
                                               tmp_path: Path) -> None:
    """Text sweep 7: `[✅]` was no tick (it stayed in the option's text), and `+` bullets,
    Markdown's third kind, were no options."""
    questions = read_questions(f"1. What is the answer?\n\n{options}\n", tmp_path)
    assert keys(questions) == [correct]
    assert [c["text"] for c in questions[0]["choices"]] == ["5", "6"]


@pytest.mark.parametrize(("sentence", "correct"), [
    ("The correct answer is option A.", ["5"]),
    ("Correct answer is B because 2+3 is not 6.", ["6"]),
    ("The correct answer is 5, as two and three make five.", ["5"]),
])
def test_the_key_sentence_right_under_the_options(sentence: str, correct: list[str],
                                                  tmp_path: Path) -> None:
    """Text sweep 7's M7: refused as 'text after the options', while the 'no key' hint told
    users to write exactly that."""
    questions = read_questions(f"1. What is 2+3?\nA) 5\nB) 6\n{sentence}\n", tmp_path)
    assert keys(questions) == [correct]
    assert questions[0]["explanation"] == sentence


def test_a_key_sentence_in_the_stem_is_the_stems(tmp_path: Path) -> None:
    questions = read_questions("1. The correct answer is worth two points.\nWhat is 2+3?\n"
                                "A) 5\nB) 6\nAnswer: A\n", tmp_path)
    assert questions[0]["scenario"] == "The correct answer is worth two points."


def test_a_key_quoted_under_the_options(tmp_path: Path) -> None:
    """Text sweep 7's R1: study notes quote the key and its rationale."""
    body = ("**Q1.** Which benefit is this?\n- A) Availability\n- B) Elasticity\n\n"
            "> ✅ **Answer: B — Elasticity**\n> It scales with demand.\n\n---\n\n"
            "**Q2.** What is 2+2?\n- A) 5\n- B) 4\n\n> **Answer: B**\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["Elasticity"], ["4"]]
    assert questions[0]["explanation"] == "It scales with demand."


def test_a_quote_under_the_options_that_is_no_key_stays_refused(tmp_path: Path) -> None:
    from packager.errors import InputError

    with pytest.raises(InputError):
        read_questions("1. What is 2+3?\n- A) 5\n- B) 6\n\n> Think about it.\n", tmp_path)


@pytest.mark.parametrize(("line", "message"), [
    # In one style the options on a line are read (test_text_sweep9); in two, told.
    ("(A) 5  B) 6  C) 7", 'this question has one option: the others are on its line ("B)")'),
    ("A) 5", "this question has one option"),
])
def test_one_option_is_told_so(line: str, message: str, tmp_path: Path) -> None:
    """Text sweep 7's M4: one option gave the schema's 'List should have at least 2 items'."""
    errors = _hints(f"1. What is 2+3?\n{line}\nAnswer: A\n", tmp_path)
    assert [(n, m) for n, m, _ in errors] == [(2, message)]


def test_a_key_cut_off_from_its_question_by_a_rule_is_told_so(tmp_path: Path) -> None:
    """Text sweep 7's M5: a key on a slide of its own was 'a question with no options'."""
    errors = _hints("1. What is 2+3?\n\nA) 5\nB) 6\n\n---\n\n**Respuesta correcta:** A\n",
                    tmp_path)
    assert [(n, m) for n, m, _ in errors] == [
        (1, "no key: nothing says which option is correct"),
        (8, "a key or explanation starts a part of its own, apart from its question")]


def test_a_description_with_an_attribute_not_allowed_is_located(tmp_path: Path) -> None:
    """Text sweep 7's M1: `<p align="center">` in a README's introduction failed with no
    line, and a hint about scripts."""
    from packager.pipeline import check

    path = tmp_path / "quiz.md"
    path.write_text('<p align="center">Practice questions.</p>\n\n1. What is 2+3?\nA) 5\n'
                    "B) 6\nAnswer: A\n", encoding="utf-8")
    _, diagnostics = check(Source.from_path(path))
    [error] = [d for d in diagnostics if d.is_error]
    assert (error.line, error.message) == (1, "attribute align= on <p> is not allowed")
    assert error.hint is not None and "scripts" not in error.hint


def test_a_list_indented_deeper_than_its_labels_bullet_stays_one_list(tmp_path: Path) -> None:
    """Docs review 26: items indented four spaces under `- **Explanation:**` became a list
    nested in its first item."""
    questions = read_questions("1. What is 2+3?\n- A) 4\n- B) 5\n- **Correct Answer:** B\n"
                      "- **Explanation:**\n    - A is off by one.\n        - one less\n"
                      "    - B is the sum.\n", tmp_path)
    assert questions[0]["explanation"] == (
        "- A is off by one.\n    - one less\n- B is the sum.")


def test_a_number_right_under_text_a_rule_cut_from_it_comes_off(tmp_path: Path) -> None:
    """Docs review 26's 6: with no blank line between, the number stayed in the scenario
    (`… page break.\\n2.`) and no W-TEXT-SPLIT was told."""
    body = ("1. What is 1+1?\nA) 2\nB) 3\nAnswer: A\nExplanation: Sum.\n---\n"
            "A scenario cut from its number by a page break.\n2. What is 2+2?\nA) 4\nB) 5\n"
            "Answer: A\nExplanation: Sum.\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is not None
    assert [(q.scenario, q.prompt) for q in result.bank.questions][1] == (
        "A scenario cut from its number by a page break.", "What is 2+2?")
    assert [(d.code, d.line) for d in result.diagnostics] == [("W-TEXT-SPLIT", 7)]


THREE = ("1. What is 1+1?\nA) 2\nB) 3\nAnswer: A\n{one}\n\n2. What is 2+2?\nA) 4\nB) 5\n"
         "Answer: A\n{two}\n\n3. What is 3+3?\nA) 6\nB) 7\nAnswer: A\n{three}\n")


def _closing(body: str, tmp_path: Path) -> list[tuple[int | None, str]]:
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    return [(d.line, d.message) for d in result.diagnostics if d.code == "W-TEXT-CLOSING"]


@pytest.mark.parametrize(("one", "two", "three", "told"), [
    ("", "", "\nGood luck with the exam!",
     (18, '"Good luck with the exam!" is read as the last question\'s explanation, though no '
          "other question has text after its key")),
    ("Explanation: One.", "Explanation: Two.", "Explanation: Six.\n\nEnd of the quiz.",
     (19, '"End of the quiz." is read as the last question\'s explanation, though each other '
          "question's explanation is one paragraph")),
])
def test_a_closing_line_read_as_the_last_explanation_is_told(
        one: str, two: str, three: str, told: tuple[int, str], tmp_path: Path) -> None:
    """Docs review 26's 1: `Good luck with the exam!` after the last key was the last
    question's explanation, shown to learners, with no word."""
    assert _closing(THREE.format(one=one, two=two, three=three), tmp_path) == [told]


@pytest.mark.parametrize(("one", "two", "three"), [
    ("Explanation: One.", "Explanation: Two.", "Explanation: Six."),
    ("Explanation: One.\n\nMore.", "Explanation: Two.", "Explanation: Six.\n\nMore."),
    ("Explanation: One.", "", "Explanation: Six."),
    ("", "", ""),
])
def test_an_explanation_like_the_others_is_not_told(
        one: str, two: str, three: str, tmp_path: Path) -> None:
    assert _closing(THREE.format(one=one, two=two, three=three), tmp_path) == []


def test_a_rationale_on_the_last_key_line_is_not_told(tmp_path: Path) -> None:
    """The Go test of text sweep 6: `**Answer: b** (it is in …)` on the last key line only."""
    keyed = "3+3?\nA) 6\nB) 7\nAnswer: A (three and three)"
    body = THREE.format(one="", two="", three="").replace("3+3?\nA) 6\nB) 7\nAnswer: A", keyed)
    assert _closing(body, tmp_path) == []
    told = THREE.format(one="", two="", three="\nGood luck!").replace(
        "3+3?\nA) 6\nB) 7\nAnswer: A", keyed)
    assert _closing(told, tmp_path) == [
        (18, '"Good luck!" is read as the last question\'s explanation, though no other question '
             "has text after its key")]


def test_two_questions_say_nothing_of_a_closing_line(tmp_path: Path) -> None:
    body = "1. What is 1+1?\nA) 2\nB) 3\nAnswer: A\n\n2. What is 2+2?\nA) 4\nB) 5\nAnswer: A\n\nBye.\n"
    assert _closing(body, tmp_path) == []


def test_import_notes_come_in_the_files_order(tmp_path: Path) -> None:
    """Docs review 26: a section left out (line 25) was told before the course page's (3,
    21)."""
    body = ("# Module 3\n\n### Learning Objectives\n- Understand sums\n- Understand products\n\n"
            "### Assessment Questions\n\n**Question 1:** What is 2+3?\nA) 4\nB) 5\n"
            "**Answer:** B\n**Explanation:** Two plus three is five.\n\n**Question 2:** What is "
            "2+2?\nA) 4\nB) 5\n**Answer:** A\n**Explanation:** Two and two.\n\n### Next Steps\n"
            "- Read chapter 4\n- Try the lab\n\n### Case Study\n- A firm grows\n")
    notes = text.read(Source("quiz.md", body.encode(), tmp_path)).notes
    # 7: the title over the questions (`### Assessment Questions`), left out
    assert [note.location.line for note in notes] == [3, 7, 21, 25]


@pytest.mark.parametrize("heading", ["Solutions", "## Solutions", "**Solution:**"])
def test_a_solutions_section_is_told_how_to_be_an_answer_key(
        heading: str, tmp_path: Path) -> None:
    """Docs review 26: a teacher's `Solutions` key gave three errors, none saying why."""
    body = f"1. What is 2+3?\nA) 4\nB) 5\n\n2. What is 2+2?\nA) 4\nB) 5\n\n{heading}\n1. B\n2. A\n"
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is None
    assert [d.hint for d in result.diagnostics].count(
        "if 'Solutions' (line 9) heads the answer key, head it 'Answers' or 'Answer key': "
        "worked solutions are no keys") == 1


KEYED_AT_END = ("### Question 1\nWhat is 2+3?\n\nA) 4\nB) 5\n\n---\n\n### Question 2\nWhat is 2+2?\n\n"
                "A) 4\nB) 5\n\n---\n\n{heading}\n<a id=\"answers\"></a>\n\n### Section 1: Sums\n\n"
                "**1. Answer: B** - 5\n*Explanation:* Two and three.\n\n"
                "**2. Answer: A** - 4\n*Explanation:* Two and two.\n")


@pytest.mark.parametrize("heading", ["## Answer Key", "## ✅ Answer Key"])
def test_an_answer_key_of_numbered_key_lines_with_explanations(
        heading: str, tmp_path: Path) -> None:
    """Text sweep 7's R4 (an AZ-900 practice test): entries `**1. Answer: A** - text` with an
    `*Explanation:*` under each, after an anchor, were glued to the last question ('a second
    explanation')."""
    questions = read_questions(KEYED_AT_END.format(heading=heading), tmp_path)
    assert keys(questions) == [["5"], ["4"]]
    assert [q["explanation"] for q in questions] == ["Two and three.", "Two and two."]


def test_an_anchor_line_shows_nothing(tmp_path: Path) -> None:
    """`<a id="section1"></a>` in an introduction was a link without href (E-RICHTEXT)."""
    body = "Practice set.\n<a id=\"top\"></a>\n\n1. What is 2+3?\nA) 4\nB) 5\nAnswer: B\n"
    bank = text.read(Source("quiz.md", body.encode(), tmp_path)).bank
    assert bank.description == "Practice set."


TABLED = ("#### Q1\nWhat is 2+3?\n- (A) 4\n- (B) 5\n\n#### Q2\nWhat is 2+2?\n- (A) 4\n- (B) 5\n\n"
          "---\n\n## Answer Key\n\n| Q# | Answer | Why |\n|:---:|:---:|:---|\n{rows}\n\n---\n")


@pytest.mark.parametrize("rows", [
    "| **Q1** | **B** | two and three |\n| **Q2** | **A** | two and two |",
    "| 1 | B | two and three |\n| 2 | A | two and two |",
    "|Q1|B|two and three|\n|Q2|A|two and two|",
])
def test_an_answer_key_as_a_table(rows: str, tmp_path: Path) -> None:
    """Text sweep 7's R3: generated diagnostic tests end with a key table (`| **Q1** | **C**
    | … |`); it was a question without options."""
    questions = read_questions(TABLED.format(rows=rows), tmp_path)
    assert keys(questions) == [["5"], ["4"]]
    assert [q["explanation"] for q in questions] == ["two and three", "two and two"]


def test_a_key_table_row_without_its_key_leaves_the_question_keyless(tmp_path: Path) -> None:
    errors = _hints(TABLED.format(rows="| Q1 | | two and three |\n| Q2 | A | two and two |"),
                    tmp_path)
    assert [(line, message) for line, message, _ in errors] == [
        (1, "no key: nothing says which option is correct")]


# -- review 26: counterexamples to this session's readings -----------------------------------


def test_options_named_option_a_b_are_restated_as_written(tmp_path: Path) -> None:
    body = ("1. Which one cuts read latency?\n- Neither\n- Option A\n- Option B\n- Both\n"
            "Explanation: The correct answer is Option B. A cache serves reads.\n\n"
            "2. Which one?\n- Option A only\n- Option B only\nAnswer: Option B only\n")
    assert keys(read_questions(body, tmp_path)) == [["Option B"], ["Option B only"]]


@pytest.mark.parametrize("body", [
    # A key's sentence in the stem, options below it.
    "### Question 1\n\nA student simplified 3(x + 4) = 24:\n\n- Step 1: 3x + 4 = 24\n"
    "- Step 2: 3x = 20\n\nThe correct answer is x = 4. In which step is the error?\n\n"
    "A) Step 1\nB) Step 2\n\n**Answer:** A\n\n---\n",
    # An option wrapped at the margin, its next line starting so in lower case.
    "1. What went wrong?\nA) The student read too fast and\nthe correct answer is 9.\n"
    "B) The student added.\nAnswer: A\n",
])
def test_a_key_sentence_that_is_the_stems_or_an_options_stays_so(
        body: str, tmp_path: Path) -> None:
    questions = read_questions(body, tmp_path)
    assert keys(questions) in ([["Step 1"]], [["The student read too fast and\nthe correct "
                                              "answer is 9."]])
    assert "explanation" not in questions[0]


def test_plus_statements_over_dash_options_are_two_lists(tmp_path: Path) -> None:
    body = ("1. Consider the statements:\n+ TCP guarantees delivery.\n+ UDP guarantees order.\n"
            "- Only the first\n- Only the second\n- Both\nAnswer: Only the first\n")
    [question] = read_questions(body, tmp_path)
    assert [c["text"] for c in question["choices"]] == ["Only the first", "Only the second",
                                                        "Both"]
    assert question["prompt"] == ("Consider the statements:\n+ TCP guarantees delivery.\n"
                                  "+ UDP guarantees order.")


@pytest.mark.parametrize("options", [
    "- 4\n* 5\n- 6\n- 8\n- 9",  # one stray bullet: an option like the others
    "- 4\n- 5\n  - 6\n- 8\n- 9",  # one stray indentation: an option too
])
def test_a_stray_bullet_or_indentation_among_options_is_an_option(
        options: str, tmp_path: Path) -> None:
    """Review 26b: one `*` among `-` options cut the options there (the key then named
    another), and an option indented two spaces joined the one above."""
    [question] = read_questions(f"1. Which number is prime?\n{options}\nAnswer: B\n", tmp_path)
    assert [c["text"] for c in question["choices"]] == ["4", "5", "6", "8", "9"]
    assert keys([question]) == [["5"]]


def test_an_options_label_in_code_or_over_the_question_stays(tmp_path: Path) -> None:
    body = ("1. What does this print?\n\n```python\n# Options\nopts = {}\nprint(len(opts))\n```\n\n"
            "A) 0\nB) 1\n\nAnswer: A\n\n## Question 2\n### Options\nWhich contract gives the "
            "right to buy?\nA) Call\nB) Put\n**Answer:** A\n")
    first, second = read_questions(body, tmp_path)
    assert "# Options\nopts = {}" in first["prompt"]
    assert second["prompt"].startswith("### Options\n")


def test_a_quoted_key_ends_where_its_quote_does(tmp_path: Path) -> None:
    body = ("**Q1.** Which keyword defines a function?\n- A) def\n- B) fun\n\n> ✅ **Answer: A**\n"
            "> `def` starts one.\n**Q2.** What does this print?\n```python\ndef f():\n    return 1\n"
            "```\n- A) 1\n- B) None\n\n> ✅ **Answer: A**\n")
    first, second = read_questions(body, tmp_path)
    assert first["explanation"] == "`def` starts one."
    assert "    return 1" in second["prompt"]


def test_a_quoted_legend_under_a_stems_list_is_the_stems(tmp_path: Path) -> None:
    body = ("### Question 1\n\nThe map shows regions:\n\n- Region 1\n- Region 2\n\n"
            "> Key: shaded = flooded\n\nWhich region was flooded?\n\nA) Region 1\nB) Region 2\n\n"
            "**Answer:** B\n\n---\n")
    [question] = read_questions(body, tmp_path)
    assert "> Key: shaded = flooded" in question["scenario"]
    assert keys([question]) == [["Region 2"]]


def test_an_asking_item_with_its_own_list_in_an_explanation_is_no_question(
        tmp_path: Path) -> None:
    body = ("# Quiz\n\n---\n\n1. Which protocol is connectionless?\n\na) TCP\nb) UDP\n\n"
            "**Answer:** b\n\n**Explanation:** Ask yourself:\n\n1. Does it connect first?\n\n"
            "2. What happens when a packet is lost?\n   - TCP retransmits it\n   - UDP does not\n"
            "\n---\n\n2. Which layer is IP?\n\na) Network\nb) Transport\n\n**Answer:** a\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["UDP"], ["Network"]]
    assert questions[0]["explanation"].endswith("   - UDP does not")


@pytest.mark.parametrize("scenario", ["#### 🧩 Scenario\n", "🔹 Scenario: "])
def test_a_signed_scenario_label_stays_as_it_was(scenario: str, tmp_path: Path) -> None:
    body = "".join(f"**Question {n}**\n{scenario}Logs are kept for years.\nWhich class fits?\n"
                   "A) Hot\nB) Archive\n**Answer:** B\n\n" for n in (1, 2))
    assert keys(read_questions(body, tmp_path)) == [["Archive"], ["Archive"]]


@pytest.mark.parametrize("three", [
    "Explanation: `pwd` prints it, for example:\n\n```\n$ pwd\n/home/alice\n```",
    "Explanation: The bits are:\n\n- `r`: read\n- `w`: write",
])
def test_code_or_a_list_after_the_last_explanation_is_no_closing_text(
        three: str, tmp_path: Path) -> None:
    assert _closing(THREE.format(one="Explanation: One.", two="Explanation: Two.",
                                 three=three), tmp_path) == []


def test_a_number_under_a_stems_first_line_stays_where_no_rule_cut_it(tmp_path: Path) -> None:
    body = ("Which planet is largest?\nA) Jupiter\nB) Mars\nAnswer: A\n\n---\n\n"
            "Read clause 2 of the lease:\n2. The tenant pays on the first day.\nWhen is rent due?\n"
            "A) On the first day\nB) On the last day\nAnswer: A\n")
    questions = read_questions(body, tmp_path)
    assert questions[1]["scenario"] == ("Read clause 2 of the lease:\n2. The tenant pays on the "
                                        "first day.")


@pytest.mark.parametrize(("tail", "explanation"), [
    ("**Answer:** (B)\n**Solution:** two and three.", "two and three."),
    ("#### Solution\n\nTwo and three make five.\n\nAnswer: B", "Two and three make five."),
    ("Answer: B\n\nWorked solution: 2 + 3 = 5.", "2 + 3 = 5."),
    ("Answer: B\nExplanation: five.\nSolution: count on.", "five.\nSolution: count on."),
])
def test_a_solution_labels_the_explanation_after_the_options(
        tail: str, explanation: str, tmp_path: Path) -> None:
    """Text sweep 7: math and CS question sets give their rationale as `**Solution:**` (a
    GATE practice set) or `#### Model Solution`; inside an explanation it stays its text."""
    [question] = read_questions(f"1. What is 2+3?\nA) 4\nB) 5\n\n{tail}\n", tmp_path)
    assert keys([question]) == [["5"]]
    assert question["explanation"] == explanation


def test_a_solution_in_a_scenario_is_its_text(tmp_path: Path) -> None:
    [question] = read_questions("1. Solution: 0.1 M NaCl in water. Which is salt?\nA) NaCl\n"
                                "B) H2O\nAnswer: A\n", tmp_path)
    assert question["scenario"] == "Solution: 0.1 M NaCl in water."


@pytest.mark.parametrize("bullet", ["+", "-", "*"])
def test_a_list_nested_under_an_option_is_its_text(bullet: str, tmp_path: Path) -> None:
    """Review 26: bullets indented under an option (`- Layout one:`, `  + a header`) were
    options of their own (2 options became 5)."""
    body = (f"1. Which layout follows the guide?\n- Layout one:\n  {bullet} a header\n  {bullet} a body\n"
            f"- Layout two:\n  {bullet} a body only\n\nAnswer: A\n")
    [question] = read_questions(body, tmp_path)
    assert [c["text"] for c in question["choices"]] == [
        f"Layout one:\n{bullet} a header\n{bullet} a body", f"Layout two:\n{bullet} a body only"]


# -- text sweep 8 -------------------------------------------------------------------------------


@pytest.mark.parametrize(("one", "two"), [
    ("## Problem 1", "## Problem 2"),
    ("### 第1题", "### 第2题"),
    ("## 문제 1", "## 문제 2"),
    ("### 問題1", "### 問題2"),
    ("## Вопрос 1", "## Вопрос 2"),
])
def test_question_labels_in_more_words(one: str, two: str, tmp_path: Path) -> None:
    """Text sweep 8's S1: `## Problem 1` (and its Chinese, Korean, Japanese and Russian
    kin) was no label: the first was the bank's title, the others each question's scenario."""
    body = (f"{one}\n\nWhat is 2+3?\n\nA. 4\nB. 5\n\n**Answer:** B\n\n"
            f"{two}\n\nWhat is 2+2?\n\nA. 4\nB. 5\n\n**Answer:** A\n")
    bank = text.read(Source("quiz.md", body.encode(), tmp_path)).bank
    assert bank.title == "quiz"
    assert [(q.scenario, q.prompt) for q in bank.questions] == [
        (None, "What is 2+3?"), (None, "What is 2+2?")]


@pytest.mark.parametrize("line", ["第1章 导论", "Problem 1 was harder than this one."])
def test_a_chapter_or_a_sentence_is_no_label(line: str, tmp_path: Path) -> None:
    [question] = read_questions(f"{line}\n\n1. What is 2+3?\nA. 4\nB. 5\nAnswer: B\n", tmp_path)
    assert question["prompt"] == "What is 2+3?"


def test_two_options_on_a_line_are_told_so(tmp_path: Path) -> None:
    """Text sweep 8's M3: a worksheet's `(a) 5     (b) 6` was 'option C is out of order'.
    So written they are read now (test_text_sweep9); letters in two styles are told."""
    errors = _hints("1. What is 2+3?\n(a) 5     b) 6\n(c) 7     (d) 8\nAnswer: b\n", tmp_path)
    assert [(line, message) for line, message, _ in errors] == [
        (2, "option B is on the line of option A")]


def test_a_number_without_its_space_before_the_questions_capital(tmp_path: Path) -> None:
    """Text sweep 8's S3: `17)What is …` kept `17)` in the prompt (a JavaScript quiz)."""
    questions = read_questions("1)What is 2+3?\na) 5\nb) 6\nAns: a\n\n2)What is 2+2?\na) 4\n"
                               "b) 5\nAns: a\n", tmp_path)
    assert [q["prompt"] for q in questions] == ["What is 2+3?", "What is 2+2?"]


@pytest.mark.parametrize("parts", [("Part A", "Part B"), ("### Section 1", "### Section 2"),
                                   ("Reading & Writing (1–2)", "Math (3)"),
                                   # pasted from a word processor: a minus sign, a hyphen
                                   ("Reading & Writing (1\u22122)", "Math 3\u20103")])
def test_an_answer_key_with_titles_of_its_parts(parts: tuple[str, str], tmp_path: Path) -> None:
    """Text sweep 8's M1 (an SAT practice test): a key's part titles between its entries
    hid the whole key; every question was 'no key' and the key's heading 'no options'."""
    body = ("1. What is 2+3?\n(a) 5\n(b) 6\n\n2. What is 2+2?\n(a) 3\n(b) 4\n\n3. What is 1+1?\n"
            f"(a) 2\n(b) 3\n\nAnswer Key\n\n{parts[0]}\n1. (a)\n2. (b)\n\n{parts[1]}\n3. (a)\n")
    assert keys(read_questions(body, tmp_path)) == [["5"], ["4"], ["2"]]


def test_options_lettered_with_a_full_stop_on_one_line_are_told_so(tmp_path: Path) -> None:
    errors = _hints("1. What is 2+3?\nA. 5  b. 6  c. 7\nAnswer: A\n", tmp_path)
    assert [message for _, message, _ in errors] == [
        'this question has one option: the others are on its line ("b.")']


def test_options_without_a_space_after_their_letters_are_told_so(tmp_path: Path) -> None:
    """Text sweep 8's M5: `a)decreases` lines were 'no options', the hint about bullets."""
    errors = _hints("1. What happens?\na)decreases\nb)increases\nAnswer: a\n", tmp_path)
    assert [(line, hint) for line, _, hint in errors] == [
        (1, "put a space after each option's letter (line 2: \"a)decreases\")")]


# -- review 26b: counterexamples to the later readings ------------------------------------------


def test_a_key_sentence_over_its_own_bullets_after_the_options(tmp_path: Path) -> None:
    body = ("1. What is 2+2?\nA) 3\nB) 4\nThe correct answer is B. Two reasons:\n- 2+2 is 4\n"
            "- 3 is one less\n")
    [question] = read_questions(body, tmp_path)
    assert keys([question]) == [["4"]]
    assert question["explanation"] == ("The correct answer is B. Two reasons:\n- 2+2 is 4\n"
                                       "- 3 is one less")


def test_a_key_sentence_over_a_question_and_its_bullets_is_the_stems(tmp_path: Path) -> None:
    [question] = read_questions("1. The correct answer is worth two points.\nWhich is prime?\n"
                                "- 4\n- 5\nAnswer: B\n", tmp_path)
    assert question["scenario"] == "The correct answer is worth two points."


def test_a_numbered_line_without_its_space_in_an_explanation_stays_there(tmp_path: Path) -> None:
    body = ("1) Which command lists files?\na) ls\nb) cd\nAnswer: a\nExplanation: two reasons:\n"
            "1)It lists.\n2)The cd command changes folders.\n\n2) Which command prints the folder?\n"
            "a) pwd\nb) rm\nAnswer: a\n")
    questions = read_questions(body, tmp_path)
    assert questions[0]["explanation"].endswith("2)The cd command changes folders.")
    assert questions[1]["prompt"] == "Which command prints the folder?"


@pytest.mark.parametrize("tail", ["2. A,\nC", "2. A\n(C also accepted)", "2. A\nTwo is even."])
def test_a_line_inside_an_answer_key_that_titles_no_part_keeps_it_refused(
        tail: str, tmp_path: Path) -> None:
    """A key's wrapped end, a note or a rationale line between entries was dropped silently."""
    from packager.errors import InputError

    body = ("1. What is 2+2?\nA) 3\nB) 4\n\n2. Which are even?\nA) 2\nB) 3\nC) 4\n\n"
            f"Answer key\n1. B\n{tail}\n")
    with pytest.raises(InputError):
        read_questions(body, tmp_path)


def test_a_key_table_reads_the_column_its_header_names(tmp_path: Path) -> None:
    body = ("1. What is 2+3?\n\n- A) 4\n- B) 5\n\n2. Which is a fruit?\n\n- A) Apple\n- B) Carrot\n\n"
            "## Answer key\n\n| # | Topic | Answer |\n|---|---|---|\n| 1 | Sums | B |\n"
            "| 2 | Food | A |\n")
    questions = read_questions(body, tmp_path)
    assert keys(questions) == [["5"], ["Apple"]]
    assert [q["explanation"] for q in questions] == ["Sums", "Food"]


def test_problem_lines_in_a_scenario_are_its_text(tmp_path: Path) -> None:
    """Review 26b: `Problem 1: …` lines of a scenario started questions (a label is
    `## Problem 1` or `**Problem 1**`)."""
    [question] = read_questions("1. Read the report.\nProblem 1: the server is slow.\nProblem 2: "
                                "the disk is full.\nWhat should you check first?\nA) Logs\n"
                                "B) Fans\nAnswer: A\n", tmp_path)
    assert question["scenario"] == ("Read the report.\nProblem 1: the server is slow.\n"
                                    "Problem 2: the disk is full.")
