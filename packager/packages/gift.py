"""Target `gift`: GIFT text for Moodle (Question bank → Import → GIFT format)."""

from __future__ import annotations

import re

from packager.capabilities import (
    Feature,
    FidelityNote,
    Loss,
    not_carried,
    ordering_as_matching,
    ordering_as_matching_loss,
    quiz_settings_not_carried,
    stimulus_copied,
)
from packager.model import Bank, Question
from packager.model import questions as m
from packager.packages.base import Job, Output
from packager.writers import gift as writer
from packager.writers.moodle import multiple_response_fractions

NAME = "gift"
SPEC = "GIFT format (Moodle), https://docs.moodle.org/en/GIFT_format"
EXTENSION = "txt"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("GIFT"),
    **ordering_as_matching_loss("GIFT has no ordering question"),
    Feature.FILL_IN_BLANKS: Loss(
        "changed",
        "written as GIFT's missing-word short answer: Moodle shows the blank as _____ in the "
        "text and asks for the answer below it, and the blank's id is not kept; a question "
        "with several blanks cannot be written (the form has one blank)",
    ),
    Feature.POINTS: Loss(
        "dropped", "GIFT carries no points: Moodle gives every imported question its default mark"
    ),
    Feature.CASE_SENSITIVE: Loss(
        "changed", "GIFT short answers are always compared ignoring case"
    ),
    Feature.UNIT: Loss("dropped", "GIFT numeric questions have no unit"),
    Feature.RUBRIC: Loss("dropped", "GIFT essays carry no grader information"),
    Feature.SAMPLE_ANSWER: Loss("dropped", "GIFT essays carry no grader information"),
    Feature.DISTRACTORS: Loss(
        "changed", "distractors become matching answers with an empty prompt (Moodle's way)"
    ),
    Feature.PINNED_CHOICE: Loss(
        "dropped", "GIFT cannot pin an option; Moodle's shuffle setting applies to all of them"
    ),
    Feature.SHUFFLE: Loss(
        "changed", "GIFT has no shuffle setting: Moodle's default for new questions applies"
    ),
    Feature.FIXED_ORDER: Loss(
        "changed", "GIFT has no shuffle setting: Moodle's default for new questions applies "
        "(shuffled, unless the site changed it), so the authored order may not be kept"
    ),
    **quiz_settings_not_carried("GIFT", "the Moodle quiz"),
    Feature.MATH: Loss(
        "changed",
        "math is written as MathML inside the HTML; Moodle's MathJax filter reads TeX, so the "
        "math shows only where the browser renders MathML and Moodle's HTML cleaning keeps it",
    ),
    Feature.IMAGE: Loss(
        "dropped",
        "GIFT is one text file and cannot carry image files: the <img> points at the bank's "
        "relative path, which Moodle cannot resolve (use the moodle format for images)",
    ),
    Feature.SECTION_PICK: Loss(
        "dropped", "a GIFT file holds questions, not a quiz: each section becomes a category"
    ),
    **not_carried(
        Feature.OBJECTIVES,
        Feature.DESCRIPTION,
        Feature.AUTHORS,
        Feature.LICENSE,
        Feature.BANK_TAGS,
        Feature.BANK_OBJECTIVES,
    ),
}


# Moodle's GIFT import (extract_idnumber_and_tags_from_comment) skips a [tag:…] holding one.
REFUSED_IN_TAGS = frozenset("<>`")

# The placeholders Moodle's GIFT import puts for escaped characters and turns back into them
# afterwards, wherever they stand (escapedchar_pre, escapedchar_post).
_PLACEHOLDERS = {"&&058;": ":", "&&035;": "#", "&&061;": "=", "&&123;": "{", "&&125;": "}",
                 "&&126;": "~", "&&010": "\n", "&&092;": "\\"}
_PLACEHOLDER = re.compile("|".join(map(re.escape, _PLACEHOLDERS)))


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    notes: list[FidelityNote] = []
    for q in bank.questions:
        refused = [tag for tag in q.tags if not REFUSED_IN_TAGS.isdisjoint(tag)]
        if refused:
            notes.append(FidelityNote(
                q.id, Feature.TAGS.value, "dropped",
                "Moodle's GIFT import skips a tag holding <, > or `: "
                + ", ".join(repr(tag) for tag in refused),
            ))
        ending = [tag for tag in q.tags if tag.endswith("\\")]
        if ending:
            notes.append(FidelityNote(
                q.id, Feature.TAGS.value, "dropped",
                "a tag ending in \\ would run into the next one in Moodle's GIFT import: "
                + ", ".join(repr(tag) for tag in ending),
            ))
        if isinstance(q, m.FillInBlanks) and len(q.blanks) > 1:
            notes.append(FidelityNote(
                q.id, Feature.FILL_IN_BLANKS.value, "unsupported",
                f"{len(q.blanks)} blanks: GIFT's missing-word short answer has one blank",
            ))
            continue
        arrow = next((a for a in _typed_answers(q) if "->" in a), None)
        if arrow is not None:
            # Moodle's readquestion: a block holding '=' and '->' is a matching question,
            # and GIFT has no escape for either character of '->'.
            notes.append(FidelityNote(
                q.id, q.type, "unsupported",
                f"the answer {arrow!r} holds '->', which makes Moodle's GIFT import read the "
                "question as matching",
            ))
            continue
        held = next(((a, found.group()) for a in _typed_answers(q)
                     if (found := _PLACEHOLDER.search(a))), None)
        if held is not None:
            # GIFT has no escape for '&', and a typed answer is written as typed.
            notes.append(FidelityNote(
                q.id, q.type, "unsupported",
                f"the answer {held[0]!r} holds {held[1]!r}, which Moodle's GIFT import takes "
                f"for its placeholder of {_PLACEHOLDERS[held[1]]!r}, so the key would change",
            ))
            continue
        fb = getattr(q, "feedback", None)
        has_feedback = bool(fb and (fb.correct or fb.incorrect))
        if isinstance(q, m.MultipleResponse):
            n = sum(c.correct for c in q.choices)
            if multiple_response_fractions(q) is None:
                notes.append(FidelityNote(
                    q.id, Feature.PARTIAL_CREDIT.value, "unsupported",
                    f"{n} correct choices need a weight of 100/{n} % per choice, which is not "
                    "in Moodle's fixed list of grades (it has 100/n for n = 1 to 10 only)",
                ))
                continue
            if q.scoring == "all_or_nothing" and n > 1:
                notes.append(FidelityNote(
                    q.id, Feature.MULTIPLE_RESPONSE.value, "changed",
                    "GIFT/Moodle multiple answers have no all-or-nothing scoring: each correct "
                    "choice weighs 100/n % and each wrong one -100 %, so only the exact set "
                    "scores full marks but some of the correct choices alone earn part of them",
                ))
            if has_feedback:
                notes.append(FidelityNote(
                    q.id, Feature.FEEDBACK.value, "dropped",
                    "GIFT multiple-answer questions have no correct/incorrect feedback",
                ))
        elif isinstance(q, m.SingleChoice | m.TrueFalse) and has_feedback:
            notes.append(FidelityNote(
                q.id, Feature.FEEDBACK.value, "changed",
                "GIFT has no correct/incorrect feedback of the question: it is added to each "
                "answer's own feedback (the correct feedback to the right answer's, the "
                "incorrect to each wrong one's)",
            ))
        elif isinstance(q, m.Matching | m.Ordering | m.Essay) and has_feedback:
            written = " (written as matching)" if isinstance(q, m.Ordering) else ""
            notes.append(FidelityNote(
                q.id, Feature.FEEDBACK.value, "dropped",
                f"GIFT {q.type} questions{written} have no correct/incorrect feedback",
            ))
    return notes


def _typed_answers(q: Question) -> list[str]:
    """The answers a learner types, which GIFT writes as they are."""
    if isinstance(q, m.ShortAnswer):
        return [a.text for a in q.answers]
    if isinstance(q, m.FillInBlanks):
        return [a for answers in q.blanks.values() for a in answers]
    return []


def build(job: Job) -> Output:
    output = Output(single_file=True)
    output.add_chunks(f"{job.bank.id}.gift.txt",
                      writer.write_pieces(ordering_as_matching(job.bank)))
    return output
