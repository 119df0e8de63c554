"""read(export(bank, blackboard)) is the bank projected onto what a Blackboard pool carries
(packages/blackboard.py LOSSES, docs/formats/blackboard.md):

- every scored question, in delivery order (text items are unsupported; sections are dropped);
- the item title is the question's title, or its id when it has none: an id comes back when
  the title is a slug, a title when it is not;
- the stimulus (its title in bold), scenario and prompt are one question text; a numeric
  question's unit comes back from packager's `Unit:` paragraph;
- Blackboard has no neutral feedback: the explanation is in both the correct and incorrect
  feedback, so identical feedback reads back as the explanation and different feedback as
  feedback.correct/.incorrect (with the explanation inside each); true/false feedback is merged
  in the same way;
- per-choice feedback only on single choice, with the explanation appended (taken off again
  when the reader can tell the explanation); tags, objectives and bank settings are dropped;
- a numeric range comes back as its midpoint ± half its width; a rubric as plain text;
- rich text is compared by the text of its rendered XHTML (white space removed), since the
  Markdown of an HTML round trip is equivalent, not identical.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from lxml import html as lxml_html

from packager.model import Bank, delivery_sections
from packager.model import questions as m
from packager.readers import blackboard
from packager.readers.base import Source
from packager.readers.imported import is_slug, slug, unique
from packager.richtext import render
from packager.richtext_plain import plain_text
from packager.writers.blackboard import PoolWriter
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported, extreme_numeric_bank
from tests.properties.strategies import banks


def _text(html: str | None) -> str:
    if not html:
        return ""
    text = lxml_html.fragment_fromstring(f"<div>{html}</div>").text_content()
    return re.sub(r"\s+", "", text).replace("[[", "[").replace("]]", "]")


def _rich(markdown: str | None) -> str:
    return _text(render(markdown).xhtml) if markdown else ""


def _feedback(right: str, wrong: str) -> dict[str, str]:
    """The reader's reading of the correct and incorrect feedback HTML, as text."""
    if right and right == wrong:
        return {"explanation": _text(right)}
    return {k: _text(v) for k, v in (("correct", right), ("incorrect", wrong)) if v}


def _projection(bank: Bank) -> list[dict[str, Any]]:
    writer = PoolWriter(bank)
    out = []
    for q in (q for s in delivery_sections(bank) for q in s.questions):
        if isinstance(q, m.TextItem):
            continue
        title = q.title or q.id
        p: dict[str, Any] = {"type": q.type, "id": title if is_slug(title) else None,
                             "title": None if is_slug(title) else " ".join(title.split()),
                             "points": None if bank.points_of(q) == 1 else bank.points_of(q)}
        plain_q = q.model_copy(update={"unit": None}) if isinstance(q, m.Numeric) else q
        p["prompt"] = _text(writer.question_html(plain_q))
        fb = q.feedback or m.Feedback()
        if isinstance(q, m.TrueFalse):
            right_tf = q.feedback_true if q.answer else q.feedback_false
            wrong_tf = q.feedback_false if q.answer else q.feedback_true
            right, wrong = (writer.html(right_tf, fb.correct, q.explanation),
                            writer.html(wrong_tf, fb.incorrect, q.explanation))
            p["answer"] = q.answer
        else:
            right, wrong = (writer.html(fb.correct, q.explanation),
                            writer.html(fb.incorrect, q.explanation))
        p["feedback"] = _feedback(right, wrong)
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            single = isinstance(q, m.SingleChoice)
            shuffled = bank.shuffles(q)
            # A choice's own feedback carries the explanation too; the reader takes it off
            # when it can tell the explanation (identical correct and incorrect feedback).
            told = "explanation" in p["feedback"]
            p["choices"] = [(_rich(c.text), c.correct, c.pinned and shuffled,
                             (_rich(c.feedback) if told or not c.feedback
                              else _text(writer.html(c.feedback, q.explanation)))
                             if single else "") for c in q.choices]
            p["shuffle"] = shuffled
            if isinstance(q, m.MultipleResponse):
                p["scoring"] = q.scoring
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [(a.text.strip(), a.case_sensitive) for a in q.answers]
        elif isinstance(q, m.Numeric):
            a = q.answer
            value, tol = ((a.value, a.tolerance) if isinstance(a, m.ExactAnswer)
                          else ((a.min + a.max) / 2, (a.max - a.min) / 2))
            p["answer"] = (pytest.approx(value, rel=1e-9, abs=1e-9),
                           pytest.approx(tol, rel=1e-6, abs=1e-6))
            p["unit"] = q.unit
        elif isinstance(q, m.Essay):
            p["sample"] = _rich(q.sample_answer)
            p["rubric"] = plain_text(q.rubric) if q.rubric else None
        elif isinstance(q, m.Matching):
            matches = [pair.match for pair in q.pairs]
            p["pairs"] = [(_rich(pair.prompt), pair.match) for pair in q.pairs]
            p["distractors"] = [d for d in dict.fromkeys(q.distractors) if d not in matches]
        elif isinstance(q, m.Ordering):
            p["items"] = [_rich(i) for i in q.items]
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = {k: [v.strip() for v in vs] for k, vs in q.blanks.items()}
            p["case_sensitive"] = q.case_sensitive
        out.append(p)
    # The reader makes repeated ids distinct, the way it slugs titles that are not slugs.
    ids = unique([p["id"] or slug(p["title"], f"\x00{n}") for n, p in enumerate(out)])
    for p, qid in zip(out, ids, strict=True):
        p["id"] = qid if p["id"] else None
    return out


def _read_back(bank: Bank) -> list[dict[str, Any]]:
    out = []
    for q in bank.questions:
        assert not isinstance(q, m.TextItem)
        fb = q.feedback or m.Feedback()
        p: dict[str, Any] = {"type": q.type, "id": q.id if q.title is None else None,
                             "title": q.title, "points": q.points, "prompt": _rich(q.prompt)}
        if q.explanation:
            p["feedback"] = {"explanation": _rich(q.explanation)}
        else:
            p["feedback"] = {k: _rich(v) for k, v in (("correct", fb.correct),
                                                       ("incorrect", fb.incorrect)) if v}
        if isinstance(q, m.TrueFalse):
            p["answer"] = q.answer
        elif isinstance(q, m.SingleChoice | m.MultipleResponse):
            p["choices"] = [(_rich(c.text), c.correct, c.pinned, _rich(c.feedback))
                            for c in q.choices]
            p["shuffle"] = bool(q.shuffle)
            if isinstance(q, m.MultipleResponse):
                p["scoring"] = q.scoring
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [(a.text, a.case_sensitive) for a in q.answers]
        elif isinstance(q, m.Numeric):
            assert isinstance(q.answer, m.ExactAnswer)
            p["answer"] = (q.answer.value, q.answer.tolerance)
            p["unit"] = q.unit
        elif isinstance(q, m.Essay):
            p["sample"] = _rich(q.sample_answer)
            p["rubric"] = plain_text(q.rubric) if q.rubric else None
        elif isinstance(q, m.Matching):
            p["pairs"] = [(_rich(pair.prompt), pair.match) for pair in q.pairs]
            p["distractors"] = list(q.distractors)
        elif isinstance(q, m.Ordering):
            p["items"] = [_rich(i) for i in q.items]
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = dict(q.blanks)
            p["case_sensitive"] = q.case_sensitive
        out.append(p)
    return out


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks())
def test_blackboard_round_trip(bank: Bank, xsd_path: Path) -> None:
    if all(isinstance(q, m.TextItem) for q in bank.questions):
        return
    data, _ = exported(bank, "blackboard", xsd_path)
    assert blackboard.detect(data)
    imported = blackboard.read(Source("bank.blackboard.zip", data, Path(".")))
    got = _read_back(imported.bank)
    want = _projection(bank)
    assert [q["type"] for q in got] == [q["type"] for q in want]
    for g, w in zip(got, want, strict=True):
        assert g == w
    assert imported.bank.title == bank.title


def test_a_key_whose_bounds_pass_1e15_comes_back(xsd_path: Path) -> None:
    """1e15 ± 5 is a key a bank holds, written with the bounds 999999999999995 and
    1000000000000005: the reader refused the bound as 'beyond ±1e15' and left the item out.
    The bounds are read as written; the value and tolerance are what is held."""
    data, _ = exported(extreme_numeric_bank(), "blackboard", xsd_path)
    imported = blackboard.read(Source("big.blackboard.zip", data, Path(".")))
    assert [q.answer for q in imported.bank.questions if isinstance(q, m.Numeric)] == [
        m.ExactAnswer(value=1e15, tolerance=5),
        m.ExactAnswer(value=-999999999999999.5, tolerance=1e15),
        m.ExactAnswer(value=0, tolerance=1e15), m.ExactAnswer(value=1e15, tolerance=3.67)]
