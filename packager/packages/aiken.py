"""Target `aiken`: Aiken text (single-choice questions only; Moodle, and many quiz tools)."""

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
from packager.writers import aiken as writer

NAME = "aiken"
SPEC = "Aiken format (Moodle), https://docs.moodle.org/en/Aiken_format"
EXTENSION = "txt"

_ONLY = "Aiken has single-choice questions only"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("Aiken"),
    Feature.MULTIPLE_RESPONSE: Loss("unsupported", _ONLY),
    Feature.TRUE_FALSE: Loss("unsupported", _ONLY),
    Feature.SHORT_ANSWER: Loss("unsupported", _ONLY),
    Feature.NUMERIC: Loss("unsupported", _ONLY),
    Feature.ESSAY: Loss("unsupported", _ONLY),
    Feature.MATCHING: Loss("unsupported", _ONLY),
    Feature.ORDERING: Loss("unsupported", _ONLY),
    Feature.FILL_IN_BLANKS: Loss("unsupported", _ONLY),
    Feature.TEXT: Loss("unsupported", "Aiken has no text-only items"),
    Feature.EXPLANATION: Loss("dropped", "Aiken cannot carry the explanation"),
    Feature.FEEDBACK: Loss("dropped", "Aiken cannot carry correct/incorrect feedback"),
    Feature.CHOICE_FEEDBACK: Loss("dropped", "Aiken cannot carry per-choice feedback"),
    Feature.TITLE: Loss("dropped", "Aiken has no question titles"),
    Feature.TAGS: Loss("dropped", "Aiken has no tags"),
    Feature.POINTS: Loss("dropped", "Aiken carries no points"),
    Feature.SHUFFLE: Loss("dropped", "Aiken has no shuffle setting"),
    Feature.FIXED_ORDER: Loss(
        "dropped", "Aiken has no shuffle setting: the importing site's default applies (Moodle "
        "shuffles new questions), so the authored order may not be kept"
    ),
    **quiz_settings_not_carried("Aiken", "the quiz"),
    Feature.PINNED_CHOICE: Loss("dropped", "Aiken cannot pin an option"),
    Feature.RICH_TEXT: Loss(
        "changed", "Aiken is plain text: formatting, lists, tables and line breaks are flattened "
        "to one line"
    ),
    Feature.MATH: Loss("changed", "math is flattened to its plain text"),
    Feature.IMAGE: Loss("dropped", "Aiken cannot carry images (the alt text is not kept either)"),
    Feature.SECTION_PICK: Loss("dropped", "Aiken has no sections"),
    **QUESTION_LIST_LOSSES,
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Options a one-line text cannot tell apart: flattened math (`$\\frac{1}{2}$` is `12`,
    as `$12$` is) makes two alike, an image or only markup makes one empty (Moodle skips an
    empty option, and Aiken readers refuse a file holding one)."""
    notes = []
    for q in bank.questions:
        if not isinstance(q, m.SingleChoice):
            continue
        lines = [writer.one_line(c.text) for c in q.choices]
        empty = next((n for n, line in enumerate(lines) if not line), None)
        # Alike where the bank's texts differ (options alike in the bank are the author's,
        # and warned of).
        alike = next(((n, lines.index(line)) for n, line in enumerate(lines)
                      if lines.index(line) != n
                      and q.choices[lines.index(line)].text != q.choices[n].text), None)
        if empty is not None:
            message = f"option {writer.LETTERS[empty]} is empty as one line of plain text"
        elif alike is not None:
            later, first = alike
            message = (f"options {writer.LETTERS[first]} and {writer.LETTERS[later]} both read "
                       f"{lines[later]!r} as one line of plain text")
        else:
            continue
        notes.append(FidelityNote(q.id, Feature.RICH_TEXT.value, "unsupported", message))
    return notes


def build(job: Job) -> Output:
    output = Output(single_file=True)
    output.add_chunks(f"{job.bank.id}.aiken.txt", writer.write_pieces(job.bank))
    return output
