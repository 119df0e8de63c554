"""Target `moodle`: one Moodle XML question file (Question bank → Import → Moodle XML format)."""

from __future__ import annotations

from packager.capabilities import (
    Feature,
    FidelityNote,
    Loss,
    not_carried,
    quiz_settings_not_carried,
    stimulus_copied,
)
from packager.errors import UnsupportedError
from packager.limits import MAX_EMBEDDED_BYTES, mib
from packager.model import Bank
from packager.model import questions as m
from packager.packages.base import Job, Output
from packager.writers import moodle as writer

NAME = "moodle"
SPEC = "Moodle XML question format (Moodle 4.4+), https://docs.moodle.org/en/Moodle_XML_format"
EXTENSION = "xml"
SCHEMA_KEY = "moodle"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("Moodle XML"),
    **quiz_settings_not_carried("Moodle XML", "the Moodle quiz"),
    Feature.PINNED_CHOICE: Loss(
        "dropped",
        "Moodle shuffles every option of a shuffled multiple-choice question; the pinned "
        "option is not kept in place",
    ),
    Feature.UNIT: Loss(
        "changed",
        "the unit becomes Moodle's optional unit (multiplier 1, not graded): learners may type "
        "it after the number; Moodle does not print it beside the answer box",
    ),
    Feature.MATH: Loss(
        "changed",
        "math is written as MathML inside the HTML; Moodle's MathJax filter reads TeX, so the "
        "math shows only where the browser renders MathML and Moodle's HTML cleaning keeps it",
    ),
    Feature.SECTION_PICK: Loss(
        "dropped",
        "a Moodle XML file holds questions, not a quiz: each section becomes a subcategory; "
        "add 'a random question' from it in the quiz to pick questions at random",
    ),
    **not_carried(
        Feature.OBJECTIVES,
        Feature.AUTHORS,
        Feature.LICENSE,
        Feature.BANK_TAGS,
        Feature.BANK_OBJECTIVES,
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Value-dependent losses: grades outside Moodle's list, all-or-nothing, per-type feedback."""
    notes: list[FidelityNote] = []
    for q in bank.questions:
        if isinstance(q, m.MultipleResponse):
            n = sum(c.correct for c in q.choices)
            if writer.multiple_response_fractions(q) is None:
                notes.append(FidelityNote(
                    q.id, Feature.PARTIAL_CREDIT.value, "unsupported",
                    f"{n} correct choices need a grade of 100/{n} % per choice, which is not "
                    "in Moodle's fixed list of grades (it has 100/n for n = 1 to 10 only)",
                ))
            elif q.scoring == "all_or_nothing" and n > 1:
                notes.append(FidelityNote(
                    q.id, Feature.MULTIPLE_RESPONSE.value, "changed",
                    f"Moodle's multiple choice has no all-or-nothing scoring: each correct "
                    f"choice is worth {writer.grade_for(100.0 / n)} % and each wrong one -100 %, "
                    "so any wrong pick scores 0 and only the exact set scores full marks, but "
                    "picking some of the correct choices and no wrong one earns part of the marks",
                ))
        elif isinstance(q, m.ShortAnswer):
            flags = {a.case_sensitive for a in q.answers}
            if len(flags) > 1:
                notes.append(FidelityNote(
                    q.id, Feature.CASE_SENSITIVE.value, "changed",
                    "Moodle has one case setting per short-answer question: every answer is "
                    "compared case-sensitively",
                ))
        if isinstance(q, m.FillInBlanks):
            points, n = bank.points_of(q), len(q.blanks)
            weight = writer.cloze_weight(points, n)
            if weight * n != points:
                notes.append(FidelityNote(
                    q.id, Feature.POINTS.value, "changed",
                    f"Moodle computes a cloze question's mark from whole-number blank weights: "
                    f"{n} blanks of weight {weight} make it worth {weight * n} instead of "
                    f"{points:g} (a quiz rescales it to the slot's maximum mark)",
                ))
        if isinstance(q, m.TrueFalse) and q.feedback and (
            q.feedback.correct or q.feedback.incorrect
        ):
            notes.append(FidelityNote(
                q.id, Feature.FEEDBACK.value, "changed",
                "Moodle's true/false question has no correct/incorrect feedback of its own: it "
                "is added to each answer's feedback (the correct feedback to the right one's)",
            ))
        if isinstance(q, m.FillInBlanks | m.Essay) and q.feedback and (
            q.feedback.correct or q.feedback.incorrect
        ):
            kind = "cloze" if isinstance(q, m.FillInBlanks) else "essay"
            notes.append(FidelityNote(
                q.id, Feature.FEEDBACK.value, "dropped",
                f"Moodle's {kind} question has no correct/incorrect feedback; the explanation "
                "(general feedback) is kept",
            ))
    return notes


def _embedded_size(job: Job) -> int:
    """Bytes of base64 the file would carry: each element holds its own copy of every image
    its texts show (Moodle keeps files per text, so one copy cannot serve two questions)."""
    from pathlib import PurePosixPath

    from packager.richtext import render

    sizes = {f.href: f.path.stat().st_size for f in job.media}
    total = 0
    for texts in writer.embedded_groups(job.bank):
        hrefs = dict.fromkeys(str(PurePosixPath(h)) for t in texts for h in render(t).media)
        total += sum((sizes.get(href, 0) + 2) // 3 * 4 for href in hrefs)
    return total


def build(job: Job) -> Output:
    if job.media:
        embedded = _embedded_size(job)
        if embedded > MAX_EMBEDDED_BYTES:
            raise UnsupportedError(
                f"{job.bank.id}: Moodle XML would embed {mib(embedded)} of images (a copy in "
                f"every text that shows one), more than the {mib(MAX_EMBEDDED_BYTES)} a file "
                "may hold",
                hints=[
                    "use smaller images, or show each large image in fewer texts (a stimulus "
                    "shared by several questions still embeds it once per question)",
                ],
            )
    shell, questions = writer.write(job.bank, job.media_bytes())
    output = Output(single_file=True)
    # Streamed: questions are built, checked and written one at a time (packages/assemble.py).
    output.add_streamed_xml(f"{job.bank.id}.xml", shell, SCHEMA_KEY, questions)
    return output
