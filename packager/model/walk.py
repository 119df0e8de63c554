"""Where the rich text of a bank lives: (JSON pointer, question id, Markdown) for every field.

Checks use it to locate problems; packages use it to collect media. One traversal, kept
next to the model so a new rich-text field is added in one place.
"""

from __future__ import annotations

from collections.abc import Iterator

from packager.model import questions as m
from packager.model.bank import Bank

RichField = tuple[str, str | None, str]


def rich_fields(bank: Bank) -> Iterator[RichField]:
    if bank.description:
        yield "/description", None, bank.description
    for i, s in enumerate(bank.stimuli):
        yield f"/stimuli/{i}/body", None, s.body
    for i, q in enumerate(bank.questions):
        yield from question_rich_fields(q, f"/questions/{i}")


def question_rich_fields(q: m.Question, base: str) -> Iterator[RichField]:
    qid = q.id
    if q.scenario:
        yield f"{base}/scenario", qid, q.scenario
    yield f"{base}/prompt", qid, q.prompt
    if isinstance(q, m.TextItem):
        return
    if q.explanation:
        yield f"{base}/explanation", qid, q.explanation
    if q.feedback:
        if q.feedback.correct:
            yield f"{base}/feedback/correct", qid, q.feedback.correct
        if q.feedback.incorrect:
            yield f"{base}/feedback/incorrect", qid, q.feedback.incorrect
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        for j, c in enumerate(q.choices):
            yield f"{base}/choices/{j}/text", qid, c.text
            if c.feedback:
                yield f"{base}/choices/{j}/feedback", qid, c.feedback
    elif isinstance(q, m.TrueFalse):
        if q.feedback_true:
            yield f"{base}/feedback_true", qid, q.feedback_true
        if q.feedback_false:
            yield f"{base}/feedback_false", qid, q.feedback_false
    elif isinstance(q, m.Essay):
        if q.sample_answer:
            yield f"{base}/sample_answer", qid, q.sample_answer
        if q.rubric:
            yield f"{base}/rubric", qid, q.rubric
    elif isinstance(q, m.Matching):
        for j, p in enumerate(q.pairs):
            yield f"{base}/pairs/{j}/prompt", qid, p.prompt
    elif isinstance(q, m.Ordering):
        for j, item in enumerate(q.items):
            yield f"{base}/items/{j}", qid, item
