"""Target `bbtext`: Blackboard Learn's "Upload Questions" tab-delimited text file."""

from __future__ import annotations

from packager.capabilities import (
    QUESTION_LIST_LOSSES,
    Feature,
    FidelityNote,
    Loss,
    quiz_settings_not_carried,
    stimulus_copied,
)
from packager.model import Bank
from packager.model import questions as m
from packager.packages.base import Job, Output
from packager.writers import bbtext as writer

NAME = "bbtext"
SPEC = (
    "Blackboard Learn Upload Questions (tab-delimited text), "
    "https://help.blackboard.com/Learn/Instructor/Original/Tests_Pools_Surveys/"
    "Orig_Reuse_Questions/Upload_Questions"
)
EXTENSION = "txt"

# Blackboard's Fill in Multiple Blanks takes at most this many variables.
MAX_BLANKS = 10

_NO_FEEDBACK = "the upload file has no feedback field"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("Blackboard's upload text"),
    Feature.TEXT: Loss("unsupported", "the upload file has no text-only item"),
    Feature.ORDERING: Loss(
        "changed",
        "written as an ORD line, which Learn Original's upload reads; Ultra's upload lists no "
        "ordering question and rejects the line (use the blackboard pool format there)",
    ),
    Feature.TITLE: Loss("dropped", "the upload file has no question titles"),
    Feature.TAGS: Loss("dropped", "the upload file has no tags"),
    Feature.EXPLANATION: Loss("dropped", _NO_FEEDBACK),
    Feature.FEEDBACK: Loss("dropped", _NO_FEEDBACK),
    Feature.CHOICE_FEEDBACK: Loss("dropped", _NO_FEEDBACK),
    Feature.TRUE_FALSE_FEEDBACK: Loss("dropped", _NO_FEEDBACK),
    Feature.POINTS: Loss(
        "dropped", "the upload file carries no points: questions get the test's default points"
    ),
    Feature.PARTIAL_CREDIT: Loss(
        "changed",
        "an MA line carries no scoring rule: Blackboard's default for new multiple-answer "
        "questions applies (set partial credit after the upload)",
    ),
    Feature.SHUFFLE: Loss(
        "dropped", "the upload file has no shuffle setting: Blackboard's question default applies"
    ),
    Feature.FIXED_ORDER: Loss(
        "dropped", "the upload file has no shuffle setting: Blackboard's question default "
        "applies, so the authored order may not be kept"
    ),
    **quiz_settings_not_carried("the upload file", "the Blackboard test"),
    Feature.PINNED_CHOICE: Loss("dropped", "the upload file cannot pin an answer"),
    Feature.CASE_SENSITIVE: Loss(
        "changed", "the upload file has no case setting: answers are compared ignoring case"
    ),
    Feature.NUMERIC_RANGE: Loss(
        "changed", "a range is written as its midpoint ± half its width (NUM answer, tolerance)"
    ),
    Feature.UNIT: Loss(
        "changed", "a NUM line has no unit: it is shown under the question as 'Unit: …'"
    ),
    Feature.DISTRACTORS: Loss(
        "dropped", "a MAT line pairs each item with one answer: extra answers cannot be written"
    ),
    Feature.RUBRIC: Loss("dropped", "an ESS line carries only the sample answer"),
    Feature.MATH: Loss(
        "changed",
        "math is written as MathML inside the HTML: it shows where the browser renders MathML "
        "and Blackboard's HTML filter keeps it",
    ),
    Feature.IMAGE: Loss(
        "dropped", "a text upload cannot carry image files: each image is replaced by its alt text"
    ),
    Feature.SECTION_PICK: Loss(
        "dropped", "the upload file holds questions, not a test: sections are not written"
    ),
    **QUESTION_LIST_LOSSES,
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    notes: list[FidelityNote] = []
    for q in bank.questions:
        answers: list[str] = []
        if isinstance(q, m.ShortAnswer):
            answers = [a.text for a in q.answers]
        elif isinstance(q, m.FillInBlanks):
            if len(q.blanks) > MAX_BLANKS:
                notes.append(FidelityNote(
                    q.id, Feature.FILL_IN_BLANKS.value, "unsupported",
                    f"{len(q.blanks)} blanks: Blackboard's Fill in Multiple Blanks takes at most "
                    f"{MAX_BLANKS}",
                ))
                continue
            answers = [a for accepted in q.blanks.values() for a in accepted]
        if isinstance(q, m.Matching) and len({p.match for p in q.pairs}) < len(q.pairs):
            notes.append(FidelityNote(
                q.id, q.type, "changed",
                "a MAT line pairs each item with an answer of its own: a match shared by "
                "several items is listed once for each, and each copy is right for its own "
                "item only",
            ))
        if any(writer.answer_field(a) != a.strip() for a in answers):
            notes.append(FidelityNote(
                q.id, q.type, "changed",
                "an accepted answer holds a tab or a line break, written as a space (a field "
                "is one line)",
            ))
    return notes


def build(job: Job) -> Output:
    output = Output(single_file=True)
    output.add_chunks(f"{job.bank.id}.bbtext.txt", writer.write_pieces(job.bank))
    return output
