"""packager.model.walk: one traversal, seen with pointers or as bare texts, in the same order."""

from __future__ import annotations

from typing import Any

from packager.model import Bank
from packager.model.walk import (
    bank_level_fields,
    bank_texts,
    question_rich_fields,
    question_texts,
    rich_fields,
)


def _bank() -> Bank:
    data: dict[str, Any] = {
        "format": "packager.question-bank/1",
        "id": "bank",
        "title": "Bank",
        "description": "About",
        "stimuli": [{"id": "s", "body": "Shared"}],
        "questions": [
            {
                "id": "sc",
                "type": "single_choice",
                "scenario": "Setting",
                "prompt": "Pick",
                "explanation": "Why",
                "feedback": {"correct": "Yes", "incorrect": "No"},
                "choices": [
                    {"id": "a", "text": "A", "correct": True, "feedback": "fa"},
                    {"id": "b", "text": "B"},
                ],
            },
            {
                "id": "tf",
                "type": "true_false",
                "prompt": "T?",
                "answer": True,
                "feedback_true": "ft",
                "feedback_false": "ff",
            },
            {"id": "es", "type": "essay", "prompt": "Write", "sample_answer": "sa", "rubric": "ru"},
            {
                "id": "ma",
                "type": "matching",
                "prompt": "Match",
                "pairs": [{"prompt": "p0", "match": "m0"}, {"prompt": "p1", "match": "m1"}],
            },
            {"id": "or", "type": "ordering", "prompt": "Order", "items": ["i0", "i1"]},
            {"id": "tx", "type": "text", "prompt": "Read", "stimulus": "s"},
        ],
    }
    return Bank.model_validate(data)


def test_pointers_name_every_rich_text_field():
    assert [(p, q) for p, q, _ in rich_fields(_bank())] == [
        ("/description", None),
        ("/stimuli/0/body", None),
        ("/questions/0/scenario", "sc"),
        ("/questions/0/prompt", "sc"),
        ("/questions/0/explanation", "sc"),
        ("/questions/0/feedback/correct", "sc"),
        ("/questions/0/feedback/incorrect", "sc"),
        ("/questions/0/choices/0/text", "sc"),
        ("/questions/0/choices/0/feedback", "sc"),
        ("/questions/0/choices/1/text", "sc"),
        ("/questions/1/prompt", "tf"),
        ("/questions/1/feedback_true", "tf"),
        ("/questions/1/feedback_false", "tf"),
        ("/questions/2/prompt", "es"),
        ("/questions/2/sample_answer", "es"),
        ("/questions/2/rubric", "es"),
        ("/questions/3/prompt", "ma"),
        ("/questions/3/pairs/0/prompt", "ma"),
        ("/questions/3/pairs/1/prompt", "ma"),
        ("/questions/4/prompt", "or"),
        ("/questions/4/items/0", "or"),
        ("/questions/4/items/1", "or"),
        ("/questions/5/prompt", "tx"),
    ]


def test_texts_are_the_pointed_fields_in_the_same_order():
    bank = _bank()
    assert list(bank_texts(bank)) == [t for _, _, t in rich_fields(bank)]
    assert [t for _, _, t in bank_level_fields(bank)] == ["About", "Shared"]
    for q in bank.questions:
        assert list(question_texts(q)) == [t for _, _, t in question_rich_fields(q, "")]


def test_pointer_base_is_prefixed_as_given():
    q = _bank().questions[0]
    assert next(iter(question_rich_fields(q, "/x"))) == ("/x/scenario", "sc", "Setting")
    assert [p for p, _, _ in question_rich_fields(q, "")][-1] == "/choices/1/text"
