"""GIFT (single choice, true/false) and Moodle (true/false) have no correct/incorrect
feedback of the question: the writers add it to each answer's own. The export sweep found the
reports silent about it; they say it was changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.context import BuildContext
from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source

FEEDBACK = {"correct": "Well done.", "incorrect": "Read the policy again."}
QUESTIONS = {
    "single": {"type": "single_choice", "prompt": "Pick one.", "feedback": FEEDBACK,
               "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}]},
    "truth": {"type": "true_false", "prompt": "The sky is blue.", "answer": True,
              "feedback": FEEDBACK},
    "plain": {"type": "single_choice", "prompt": "No feedback.",
              "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}]},
}


def _loaded() -> LoadedBank:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "fb", "title": "Feedback",
        "questions": [{"id": qid, **q} for qid, q in QUESTIONS.items()],
    })
    return LoadedBank(bank, Source("fb.json", b"", Path(".")), ())


@pytest.mark.parametrize(("target", "noted"), [("gift", {"single", "truth"}),
                                               ("moodle", {"truth"})])
def test_feedback_folded_into_the_answers_is_reported_changed(
    target: str, noted: set[str], ctx: BuildContext
) -> None:
    artifact = export(_loaded(), target, ctx)
    found = {q["id"] for q in artifact.report["questions"]
             for n in q["notes"] if (n["feature"], n["kind"]) == ("feedback", "changed")}
    assert found == noted
    assert b"Read the policy again." in artifact.data  # still there, on the wrong answers
