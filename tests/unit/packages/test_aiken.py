"""Aiken: the exact output for the seed bank, single choice only, and the fidelity report.

Golden files (tests/golden/*/aiken) were read by eye: neon-broccoli is the scenario and the
prompt on one line, options A–D on their own lines, and "ANSWER: D"; the explanation is not
there (Aiken cannot carry it) and the report says so. sample-all-types keeps its two
single-choice questions, the table flattened to "Month Leads January 10 …".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import NothingToExport, UnsupportedError
from packager.model import Bank
from packager.pipeline import LoadedBank, export, load
from packager.readers.base import Source
from packager.writers import aiken as writer
from tests.conftest import bank_path, make_ctx

NEON_BROCCOLI = """\
Neon Broccoli is a public relations firm that seeks to make boring companies feel relevant to \
kids and teens. Their marketing team’s top goal is to provide sales with a specific number of \
qualified leads each month, and the sales team’s top goal is to contact those leads within a \
specific amount of time. The customer service team’s top goal is retention. How well are their \
customer-facing departments’ goals supporting their efforts to scale?
A. There isn’t enough data to determine whether these are good goals or not. Add a RevOps \
department to your organization, and reorganize your other departments around it. Then let the \
RevOps team set goals for your departments, and you’ll be much more likely to achieve scale.
B. These goals look great! You should achieve scale shortly if you execute well on these goals.
C. These are very clear goals, but the optimal approach is for there to be just one goal that \
all departments are jointly focused on. If all of your departments are trying to make your \
customers happy, they don’t need individual department goals and metrics.
D. It’s hard to know if these goals are good without knowing what you’re company’s top \
priorities and strategies are. When you evaluate individual departments’ goals, the most \
important thing is that they support your company’s overall mission.
ANSWER: D
"""


def test_seed_bank_exact_output() -> None:
    artifact = export(load(bank_path("neon-broccoli")), "aiken", make_ctx(None))
    assert artifact.name == "neon-broccoli-1.0.0.aiken.txt"
    assert artifact.data.decode("utf-8") == NEON_BROCCOLI


def test_only_texts_flattened_twice_are_kept_flattened() -> None:
    """Options (flattened by the export's check too) and passages (shared by questions) are
    cached; a question's scenario and prompt, flattened once, are not: kept, they were 28 MB
    of the 10,000-question bench bank's Aiken job."""
    from packager.model import questions as m

    bank = load(bank_path("sample-all-types")).bank
    writer.one_line.cache_clear()
    writer.write_pieces(bank)
    single = [q for q in bank.questions if isinstance(q, m.SingleChoice)]
    kept = {c.text for q in single for c in q.choices}
    kept |= {bank.stimulus_by_id[q.stimulus].body for q in single if q.stimulus}
    assert {q.prompt for q in single} - kept  # the bank has prompts that are none of these
    assert writer.one_line.cache_info().currsize == len(kept)
    writer.one_line.cache_clear()


def test_report_says_explanation_and_feedback_are_dropped() -> None:
    artifact = export(load(bank_path("neon-broccoli")), "aiken", make_ctx(None))
    (question,) = artifact.report["questions"]
    kinds = {n["feature"]: n["kind"] for n in question["notes"]}
    assert kinds["explanation"] == "dropped"
    assert kinds["title"] == "dropped"
    loaded = load(bank_path("sample-all-types"))
    report = export(loaded, "aiken", make_ctx(None, skip_unsupported=True)).report
    best = next(q for q in report["questions"] if q["id"] == "best-month")
    kinds = {n["feature"]: n["kind"] for n in best["notes"]}
    assert kinds["feedback"] == kinds["choice_feedback"] == kinds["explanation"] == "dropped"
    assert kinds["image"] == "dropped"


def test_other_types_are_errors_or_skipped() -> None:
    loaded = load(bank_path("sample-all-types"))
    with pytest.raises(UnsupportedError, match="aiken cannot express 10 questions"):
        export(loaded, "aiken", make_ctx(None))
    artifact = export(loaded, "aiken", make_ctx(None, skip_unsupported=True))
    exported = [q["id"] for q in artifact.report["questions"] if q["status"] == "exported"]
    assert exported == ["best-month", "code-output"]
    text = artifact.data.decode("utf-8")
    assert text.count("ANSWER: ") == 2
    assert "Month Leads January 10 February 25 March 18" in text
    assert 'What does it print? name = "שלום" print(f"<{name}> & welcome")' in text


def test_a_bank_it_carries_nothing_of_is_refused_with_why_even_under_strict() -> None:
    """Before --strict's check: the description Aiken would drop is in no package, so the
    reason is the question types (which a release build gives when it skips the pair)."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "description": "Dropped by Aiken, in a package that is never made.",
        "questions": [{"id": "e", "type": "essay", "prompt": "Why?"},
                      {"id": "i", "type": "text", "prompt": "Read this."}],
    }, strict=False)
    loaded = LoadedBank(bank, Source("t.json", b"", Path(".")), ())
    with pytest.raises(NothingToExport) as refused:
        export(loaded, "aiken", make_ctx(None, skip_unsupported=True, strict=True))
    assert refused.value.reason == (
        "no question of this bank can be exported to aiken (essay: Aiken has single-choice "
        "questions only; text: Aiken has no text-only items)"
    )
    assert refused.value.message == f"t.json: {refused.value.reason}"
    assert refused.value.exit_code == 4


def test_lines_that_would_read_as_options_are_protected() -> None:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "questions": [{
            "id": "q", "type": "single_choice", "prompt": "A. is this an option?\n\nNo.",
            "choices": [{"id": "a", "text": "Yes\n\nreally", "correct": True},
                        {"id": "b", "text": "ANSWER: no"}],
            "explanation": "x",
        }],
    }, strict=False)
    loaded = LoadedBank(bank, Source("t.json", b"", Path(".")), ())
    text = export(loaded, "aiken", make_ctx(None)).data.decode()
    assert text == "Q: A. is this an option? No.\nA. Yes really\nB. ANSWER: no\nANSWER: A\n"
    assert writer.protect("ANSWER: B") == "Q: ANSWER: B"
    assert writer.protect("Apples. B") == "Apples. B"
    # Review 30: current Moodle's option test is `^[A-Z][).][ \t]?` (the space optional), so
    # a stem starting with initials was an option line and the whole file was refused.
    assert writer.protect("U.S. presidents: who was first?") == (
        "Q: U.S. presidents: who was first?")
    assert writer.protect("J.K. Rowling wrote which series?").startswith("Q: ")
    assert writer.protect("A)nd more") == "Q: A)nd more"


def _question_line_and_read_prompt(prompt: str) -> tuple[str, str]:
    """The Aiken question line written for a one-question bank of this prompt, and the
    prompt packager's reader takes from it, as plain text."""
    from packager.readers import aiken as reader
    from packager.richtext_plain import plain_text

    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "questions": [{
            "id": "q", "type": "single_choice", "prompt": prompt, "explanation": "x",
            "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}],
        }],
    })
    data = export(LoadedBank(bank, Source("t.json", b"", Path(".")), ()), "aiken",
                  make_ctx(None)).data
    read = reader.read(Source("t.aiken.txt", data, Path("."))).bank.questions[0]
    return data.decode().splitlines()[0], plain_text(read.prompt)


@pytest.mark.parametrize("prompt", ["?", "5", "x", "A", "*"])
def test_a_question_line_of_one_byte_is_protected(prompt: str) -> None:
    """Moodle's Aiken import skips a line shorter than two bytes (`strlen($nowline) < 2`):
    the options of a question '?' then stood before any question, each an error, and Moodle
    refused the file. The line is written 'Q: ?', which packager's reader takes back."""
    markdown = "\\*" if prompt == "*" else prompt
    assert _question_line_and_read_prompt(markdown) == (f"Q: {prompt}", prompt)
    assert writer.protect("é") == "é"  # two bytes in UTF-8: Moodle reads it


@pytest.mark.parametrize("prompt", ["Q: 5", "Q: A. the first", "Q: ANSWER", "Q: Q: hello"])
def test_a_question_line_that_reads_as_protected_keeps_its_own_prefix(prompt: str) -> None:
    """The reader takes `Q: ` off a line whose rest would be misread (an option, the key, one
    byte): an authored prompt `Q: A. the first` came back as `A. the first`. Such a line gets
    one more prefix, and the reader takes one off."""
    assert _question_line_and_read_prompt(prompt) == (f"Q: {prompt}", prompt)
    assert writer.protect("Q: real question") == "Q: real question"


@pytest.mark.parametrize(("choices", "message"), [
    (["$\\frac{1}{2}$", "$12$", "$2^{10}$"], "options A and B both read '12' as one line of "
     "plain text"),
    (["![a chart](media/chart.png)", "A table"], "option A is empty as one line of plain text"),
])
def test_options_one_line_cannot_tell_apart_are_unsupported(choices: list[str],
                                                            message: str) -> None:
    """Review 30: flattened math made the key and a distractor the same text ('12'), and an
    image-only option was written empty (`A. `), which Aiken readers refuse."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "questions": [{"id": "q", "type": "single_choice", "prompt": "Which?",
                       "choices": [{"id": f"c{i}", "text": text, "correct": i == 0}
                                   for i, text in enumerate(choices)]}],
    }, strict=False)
    loaded = LoadedBank(bank, Source("t.json", b"", Path(".")), ())
    with pytest.raises(UnsupportedError) as caught:
        export(loaded, "aiken", make_ctx(None))
    assert caught.value.message == f"t.json: aiken cannot express 1 question: 'q' ({message})"


@pytest.mark.parametrize(("markdown", "line"), [
    ("  Two  spaces,\na new line\tand a tab  ", "Two spaces, a new line and a tab"),
    ("no\u00a0break\u2003em space", "no break em space"),  # what str.split() takes for space
    ("A *rich*\n\ntext", "A rich text"),
])
def test_a_text_is_one_line_with_single_spaces(markdown: str, line: str) -> None:
    """A plain paragraph's text comes from plain_text, white space collapsed once there."""
    assert writer.flat(markdown) == line
