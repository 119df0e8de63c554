"""read(export(bank, aiken)) is the bank projected onto what Aiken carries: the single-choice
questions, in order, each as the one line of plain text the writer makes of it (stimulus
title and body, scenario and prompt flattened together), its options as plain text and the key. Ids, titles, feedback, explanation, points and formatting are not carried (LOSSES)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings

from packager.model import Bank
from packager.model import questions as m
from packager.readers import aiken
from packager.readers.base import Source
from packager.richtext_plain import plain_text
from packager.writers.aiken import protect, question
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported
from tests.properties.strategies import banks


def _unsupported(bank: Bank) -> set[str]:
    """Questions whose options one line cannot tell apart (the target leaves them out)."""
    from packager.packages import aiken as target

    return {n.question_id for n in target.extra_fidelity(bank) if n.kind == "unsupported"}


def _projection(bank: Bank) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Each single-choice question as the writer flattens it: its question line (without the
    `Q: ` the writer puts before a line that reads as an option), its options and key."""
    out = []
    for q in bank.questions:
        if not isinstance(q, m.SingleChoice) or q.id in _unsupported(bank):
            continue
        line, *options, _ = question(bank, q).split("\n")
        if line.startswith("Q: ") and protect(line[3:]) == line:
            line = line[3:]
        out.append((line, [(o[3:], c.correct) for o, c in zip(options, q.choices, strict=True)]))
    return out


def _read_back(imported: Any) -> list[tuple[str, list[tuple[str, bool]]]]:
    return [
        (plain_text(q.prompt), [(plain_text(c.text), c.correct) for c in q.choices])
        for q in imported.bank.questions
    ]


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks(question_types=("single_choice", "single_choice", "essay")))
def test_aiken_round_trip(bank: Bank, xsd_path: Path) -> None:
    if not any(isinstance(q, m.SingleChoice) and q.id not in _unsupported(bank)
               for q in bank.questions):
        return
    data, _ = exported(bank, "aiken", xsd_path)
    assert aiken.detect(data)
    imported = aiken.read(Source("bank.aiken.txt", data, Path(".")))
    assert _read_back(imported) == _projection(bank)
