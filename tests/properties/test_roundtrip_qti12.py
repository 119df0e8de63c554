"""read(export(bank, qti12)) is the bank projected onto what Canvas's QTI 1.2 carries.

The projection (the target's LOSSES and docs/formats/qti12.md): ordering questions are removed;
question ids become the item idents and choice ids the answer idents the writer derives
(digests), a question without a title is titled with its old id; stimulus title and body and
the scenario become one scenario; shuffling is per quiz (settings.shuffle_choices), so per
question `shuffle` and pinned choices are gone; Canvas scores multiple answers with partial
credit; case-sensitivity, tags, objectives, essay sample answers and rubrics are dropped;
points become explicit (1 is the default); show_feedback survives only as "never"; sections
survive as Canvas question groups (those with `pick`), the others merge into runs of the
assessment's root. Rich text is compared as its plain text without white space, since HTML
carries no Markdown source (e.g. `x_{i}` and `x_i` render alike).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from packager import capabilities
from packager.model import BLANK_MARKER, Bank, delivery_sections
from packager.model import questions as m
from packager.readers import qti12
from packager.readers.base import Source
from packager.readers.imported import unique
from packager.richtext_plain import plain_text
from packager.writers import qti12 as writer
from packager.writers import qti12_idents
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported, extreme_numeric_bank
from tests.properties.strategies import QUESTION_TYPES, banks

# Ordering has no Canvas type: a bank of only ordering questions exports nothing.
TYPES = tuple(t for t in QUESTION_TYPES if t != "ordering")


def text(markdown: str | None) -> str | None:
    """Rich text as what survives HTML: its plain text, white space left out."""
    return "".join(plain_text(markdown).split()) or None if markdown else None


def joined(*parts: str | None) -> str | None:
    return "".join(t for t in (text(p) for p in parts) if t) or None


def _shared(bank: Bank, q: Any, out: dict[str, Any]) -> None:
    """The fields the export keeps as they are, on both sides of the comparison."""
    feedback = q.feedback or m.Feedback()
    out.update(explanation=text(q.explanation), correct=text(feedback.correct),
               incorrect=text(feedback.incorrect), points=bank.points_of(q))
    if isinstance(q, m.TrueFalse):
        out.update(answer=q.answer, true=text(q.feedback_true), false=text(q.feedback_false))
    elif isinstance(q, m.Numeric):
        answer = q.answer
        out["answer"] = ((answer.value, answer.tolerance) if isinstance(answer, m.ExactAnswer)
                         else (answer.min, answer.max))
        out["unit"] = q.unit


def _question(bank: Bank, q: Any, group_points: float | None) -> dict[str, Any]:
    stimulus = bank.stimulus_by_id[q.stimulus] if q.stimulus else None
    out: dict[str, Any] = {
        "id": qti12_idents.item_ident(bank, q), "type": q.type, "title": q.title or q.id,
        "scenario": joined(stimulus.title if stimulus else None,
                           stimulus.body if stimulus else None, q.scenario),
        "prompt": text(q.prompt),
    }
    if isinstance(q, m.TextItem):
        return out
    _shared(bank, q, out)
    if group_points is not None:
        out["points"] = group_points
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        out["choices"] = [
            (qti12_idents.safe_ident("a", bank.id, q.id, c.id), text(c.text), c.correct,
             text(c.feedback))
            for c in q.choices
        ]
        out["partial"] = isinstance(q, m.MultipleResponse)
    elif isinstance(q, m.ShortAnswer):
        out["answers"] = [a.text.strip() for a in q.answers]
    elif isinstance(q, m.Matching):
        matches = [p.match for p in q.pairs]
        out["pairs"] = [(text(p.prompt), p.match) for p in q.pairs]
        out["distractors"] = [d for d in dict.fromkeys(matches + q.distractors)
                              if d not in matches]
    elif isinstance(q, m.FillInBlanks):
        names = qti12_idents.blank_names(bank, q)
        out["prompt"] = text(BLANK_MARKER.sub(lambda b: f"[[{names[b.group(1)]}]]", q.prompt))
        out["blanks"] = {names[b]: list(dict.fromkeys(a.strip() for a in answers))
                         for b, answers in q.blanks.items()}
    return out


def _sections(bank: Bank) -> list[tuple[str, str, list[str], int | None]] | None:
    if not any(s.pick for s in delivery_sections(bank)):
        return None
    runs: list[tuple[str, str, list[str], int | None]] = []
    for section in delivery_sections(bank):
        ids = [qti12_idents.item_ident(bank, q) for q in section.questions]
        if section.pick:
            runs.append((qti12_idents.safe_ident("s", bank.id, section.id, size=12), section.title,
                         ids, section.pick))
        elif runs and runs[-1][3] is None:
            runs[-1][2].extend(ids)
        else:
            runs.append((qti12_idents.assessment_ident(bank), bank.title, ids, None))
    names = unique([r[0] for r in runs])
    return [(name, *rest) for name, (_, *rest) in zip(names, runs, strict=True)]


def projection(bank: Bank) -> dict[str, Any]:
    shown = bank.settings.show_feedback
    return {
        "title": bank.title, "description": text(bank.description),
        "shuffle": bank.settings.shuffle_choices, "never": shown == "never",
        # Canvas gives every question of a group (a section that picks) the group's points.
        "questions": [_question(bank, q, writer.group_points(bank, s) if s.pick else None)
                      for s in delivery_sections(bank) for q in s.questions],
        "sections": _sections(bank),
    }


def read_back(bank: Bank) -> dict[str, Any]:
    by_id = {q.id: q for q in bank.questions}
    delivered = bank.questions
    if bank.sections:
        delivered = [by_id[i] for s in bank.sections for i in s.question_ids]
    sections = None
    if bank.sections:
        sections = [(s.id, s.title, list(s.question_ids), s.pick) for s in bank.sections]
    return {
        "title": bank.title, "description": text(bank.description),
        "shuffle": bank.settings.shuffle_choices, "never": bank.settings.show_feedback == "never",
        "questions": [_question_back(bank, q) for q in delivered], "sections": sections,
    }


def _question_back(bank: Bank, q: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": q.id, "type": q.type, "title": q.title,
                           "scenario": text(q.scenario), "prompt": text(q.prompt)}
    if isinstance(q, m.TextItem):
        return out
    _shared(bank, q, out)
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        assert q.shuffle is None and not any(c.pinned for c in q.choices)
        out["choices"] = [(c.id, text(c.text), c.correct, text(c.feedback)) for c in q.choices]
        out["partial"] = isinstance(q, m.MultipleResponse) and q.scoring == "partial"
    elif isinstance(q, m.ShortAnswer):
        assert not any(a.case_sensitive for a in q.answers)
        out["answers"] = [a.text for a in q.answers]
    elif isinstance(q, m.Matching):
        out["pairs"] = [(text(p.prompt), p.match) for p in q.pairs]
        out["distractors"] = list(q.distractors)
    elif isinstance(q, m.FillInBlanks):
        assert not q.case_sensitive
        out["blanks"] = {b: list(answers) for b, answers in q.blanks.items()}
    return out


def _close(got: dict[str, Any], want: dict[str, Any]) -> None:
    """Numeric answers are compared as numbers: decimals in the XML, floats in the bank."""
    for g, w in zip(got["questions"], want["questions"], strict=True):
        if w["type"] == "numeric":
            assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(
                g.pop("answer"), w.pop("answer"), strict=True)), (g["id"], w["id"])


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks(question_types=TYPES))
def test_qti12_round_trip(bank: Bank, xsd_path: Path) -> None:
    data, skipped = exported(bank, "qti12", xsd_path)
    assert qti12.detect(data)
    imported = qti12.read(Source(f"{bank.id}.zip", data, Path(".")))
    want = projection(capabilities.without_questions(bank, skipped))
    got = read_back(imported.bank)
    _close(got, want)
    assert got == want


def test_a_key_whose_bounds_pass_1e15_comes_back(xsd_path: Path) -> None:
    """1e15 ± 5 is a key a bank holds, written with the bounds 999999999999995 and
    1000000000000005: the reader refused the bound as 'not a number a bank can hold' and left
    the item out. The bounds are read as written; the value and tolerance are what is held."""
    bank = extreme_numeric_bank()
    data, _ = exported(bank, "qti12", xsd_path)
    got = read_back(qti12.read(Source("big.zip", data, Path("."))).bank)
    assert got == projection(bank)
