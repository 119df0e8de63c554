"""read(export(bank, cc)) is the bank projected onto what the Common Cartridge QTI profile
carries.

The projection (the target's LOSSES and docs/formats/cc.md): only single choice, multiple
response, true/false, short answer and essay questions are kept, in delivery order, without
sections; question ids are the item idents (`q_<id>`, or a slug of the title when that is too
long), choice ids are kept; a question without a title is titled with its id; the stimulus
title and body, the scenario and the prompt become one prompt; `shuffle` is explicit on every
choice question and a choice stays pinned only where choices shuffle; multiple response is
scored all or nothing; points survive when they are a whole number below 100 (else 1); tags,
objectives, sample answers, rubrics and bank settings are dropped. Rich text is compared as
in the qti12 property.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings

from packager import capabilities
from packager.model import Bank, delivery_sections
from packager.model import questions as m
from packager.readers import cc
from packager.readers.base import Source
from packager.readers.imported import is_slug, slug, unique
from packager.writers.cc_qti import weighting
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported
from tests.properties.strategies import banks
from tests.properties.test_roundtrip_qti12 import joined, text

TYPES = ("single_choice", "multiple_response", "true_false", "short_answer", "essay", "matching")


def _common(q: Any, qid: str, title: str | None, prompt: str | None,
            points: float) -> dict[str, Any]:
    feedback = q.feedback or m.Feedback()
    out: dict[str, Any] = {
        "id": qid, "type": q.type, "title": title, "prompt": prompt, "points": points,
        "explanation": text(q.explanation), "correct": text(feedback.correct),
        "incorrect": text(feedback.incorrect),
    }
    if isinstance(q, m.TrueFalse):
        out.update(answer=q.answer, true=text(q.feedback_true), false=text(q.feedback_false))
    elif isinstance(q, m.ShortAnswer):
        out["answers"] = [(a.text.strip(), a.case_sensitive) for a in q.answers]
    return out


def projection(bank: Bank) -> dict[str, Any]:
    questions = [q for s in delivery_sections(bank) for q in s.questions]
    ids = unique([f"q_{q.id}" if is_slug(f"q_{q.id}") else slug(q.title or q.id, f"q{n}")
                  for n, q in enumerate(questions, start=1)])
    out = []
    for qid, q in zip(ids, questions, strict=True):
        stimulus = bank.stimulus_by_id[q.stimulus] if q.stimulus else None
        points = bank.points_of(q) if weighting(bank.points_of(q)) is not None else 1.0
        item = _common(q, qid, q.title or q.id, joined(
            stimulus.title if stimulus else None, stimulus.body if stimulus else None,
            q.scenario, q.prompt), points)
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            shuffle = bank.shuffles(q)
            item["choices"] = [(c.id, text(c.text), c.correct, text(c.feedback),
                                c.pinned and shuffle) for c in q.choices]
            item["shuffle"] = shuffle
        out.append(item)
    return {"title": bank.title, "description": text(bank.description), "questions": out}


def read_back(bank: Bank) -> dict[str, Any]:
    assert bank.sections is None and not bank.stimuli
    out = []
    for q in bank.questions:
        assert q.scenario is None
        item = _common(q, q.id, q.title, text(q.prompt), bank.points_of(q))
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            assert not isinstance(q, m.MultipleResponse) or q.scoring == "all_or_nothing"
            item["choices"] = [(c.id, text(c.text), c.correct, text(c.feedback), c.pinned)
                               for c in q.choices]
            item["shuffle"] = q.shuffle
        out.append(item)
    return {"title": bank.title, "description": text(bank.description), "questions": out}


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks(question_types=TYPES))
def test_cc_round_trip(bank: Bank, xsd_path: Path) -> None:
    if not any(q.type in TYPES[:-1] for q in bank.questions):
        return  # nothing the profile carries: the export refuses the bank
    data, skipped = exported(bank, "cc", xsd_path)
    assert cc.detect(data)
    imported = cc.read(Source(f"{bank.id}.imscc", data, Path(".")))
    assert read_back(imported.bank) == projection(capabilities.without_questions(bank, skipped))
