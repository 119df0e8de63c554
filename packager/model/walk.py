"""Where the rich text of a bank lives: (JSON pointer, question id, Markdown) for every field.

Checks use it to locate problems; packages use it to collect media. One traversal
(`question_fields`), kept next to the model so a new rich-text field is added in one place;
the pointer and text-only views are both built on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from packager.model import questions as m
from packager.model.bank import Bank

RichField = tuple[str, str | None, str]

# (pointer below the question, list index or -1, Markdown). A list field's pointer holds "{}"
# for its index: formatting it only when a caller asks for pointers keeps the text-only scans
# (capabilities, media, the common no-problem case of the checks) free of string building.
QuestionField = tuple[str, int, str]


def rich_fields(bank: Bank) -> Iterator[RichField]:
    yield from bank_level_fields(bank)
    for i, q in enumerate(bank.questions):
        yield from question_rich_fields(q, f"/questions/{i}")


def bank_level_fields(bank: Bank) -> Iterator[RichField]:
    """The rich text outside the questions: the description and the shared scenarios."""
    if bank.description:
        yield "/description", None, bank.description
    for i, s in enumerate(bank.stimuli):
        yield f"/stimuli/{i}/body", None, s.body


def bank_texts(bank: Bank) -> Iterator[str]:
    """Every rich text of the bank, in `rich_fields` order, without pointers."""
    for _, _, text in bank_level_fields(bank):
        yield text
    for q in bank.questions:
        for _, _, text in question_fields(q):
            yield text


def question_texts(q: m.Question) -> Iterator[str]:
    """The question's rich texts, in `question_rich_fields` order, without pointers."""
    for _, _, text in question_fields(q):
        yield text


def question_rich_fields(q: m.Question, base: str) -> Iterator[RichField]:
    qid = q.id
    for suffix, index, text in question_fields(q):
        yield base + (suffix if index < 0 else suffix.format(index)), qid, text


def question_fields(q: m.Question) -> Iterator[QuestionField]:
    """The one traversal of a question's rich text (see QuestionField)."""
    if q.scenario:
        yield "/scenario", -1, q.scenario
    yield "/prompt", -1, q.prompt
    if isinstance(q, m.TextItem):
        return
    if q.explanation:
        yield "/explanation", -1, q.explanation
    feedback = q.feedback
    if feedback:
        if feedback.correct:
            yield "/feedback/correct", -1, feedback.correct
        if feedback.incorrect:
            yield "/feedback/incorrect", -1, feedback.incorrect
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        for j, c in enumerate(q.choices):
            yield "/choices/{}/text", j, c.text
            if c.feedback:
                yield "/choices/{}/feedback", j, c.feedback
    elif isinstance(q, m.TrueFalse):
        if q.feedback_true:
            yield "/feedback_true", -1, q.feedback_true
        if q.feedback_false:
            yield "/feedback_false", -1, q.feedback_false
    elif isinstance(q, m.Essay):
        if q.sample_answer:
            yield "/sample_answer", -1, q.sample_answer
        if q.rubric:
            yield "/rubric", -1, q.rubric
    elif isinstance(q, m.Matching):
        for j, p in enumerate(q.pairs):
            yield "/pairs/{}/prompt", j, p.prompt
    elif isinstance(q, m.Ordering):
        for j, item in enumerate(q.items):
            yield "/items/{}", j, item


def with_texts(bank: Bank, changed: dict[str, str]) -> Bank:
    """The bank with the rich fields at these pointers (as `rich_fields` gives them) holding
    new texts; the bank itself when there are none. Validated as any bank is, from the data
    the canonical writer dumps, so it reads back as the same bank."""
    if not changed:
        return bank
    data = bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True, by_alias=True)
    for pointer, text in changed.items():
        *parents, last = pointer.split("/")[1:]
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = text
    return type(bank).model_validate(data)
