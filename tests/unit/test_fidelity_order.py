"""capabilities.fidelity: per question, a note for each feature the target loses, in the
order of the features' names, and a type the target cannot carry as the question's one note."""

from __future__ import annotations

from packager.capabilities import Feature, FidelityNote, Loss, fidelity
from packager.model import Bank


def test_notes_of_the_lost_features_only_in_name_order() -> None:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "questions": [
            {"id": "q1", "type": "essay", "prompt": "Say why."},
            {"id": "q2", "type": "numeric", "prompt": "How many?", "answer": {"value": 3}},
        ],
    })
    losses = {
        Feature.UNIT: Loss("changed", "unit"),
        Feature.TAGS: Loss("dropped", "tags"),
        Feature.EXPLANATION: Loss("changed", "explanation"),
        Feature.ESSAY: Loss("unsupported", "no essays"),
    }
    # Many features kept, three lost: the set's order is not the names' order.
    used = {Feature.UNIT, Feature.TAGS, Feature.EXPLANATION, Feature.TITLE, Feature.IMAGE,
            Feature.MATH, Feature.SCENARIO, Feature.POINTS, Feature.RUBRIC}
    notes = fidelity(bank, losses, {"q1": set(used), "q2": set(used)})
    assert notes == [
        FidelityNote("q1", "essay", "unsupported", "no essays"),
        FidelityNote("q2", "explanation", "changed", "explanation"),
        FidelityNote("q2", "tags", "dropped", "tags"),
        FidelityNote("q2", "unit", "changed", "unit"),
    ]
