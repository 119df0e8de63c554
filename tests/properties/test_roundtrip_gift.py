"""read(export(bank, gift)) is the bank projected onto what GIFT carries (packages/gift.py
LOSSES and extra_fidelity, docs/formats/gift.md):

- ordering as matching to positions (capabilities.ordering_as_matching); every question but
  fill-in-blanks with several blanks (unsupported) and multiple-response questions
  with more than ten correct choices (no Moodle grade), in delivery order, with their ids
  (`[id:…]`), titles (`::title::`, the id when there is none) and tags (but those holding `<`,
  `>` or a backtick, which the reader, like Moodle's tag cleaning, does not take);
- sections become categories: the bank title is the last level the questions' categories share,
  and a question in a deeper category gets the rest of the path as a tag;
- the stimulus (title in bold), scenario and prompt are one text; rich text is compared by the
  text of its rendered XHTML (white space removed), as GIFT carries HTML or plain paragraphs;
- single choice: feedback.correct/.incorrect are appended to each choice's feedback; multiple
  response: weights give the correct choices and the scoring (all-or-nothing with one correct
  choice, partial when every choice is correct), no question feedback; true/false: the feedback of
  each value merged with feedback.correct/.incorrect; short answer: the accepted answers (no
  case sensitivity), feedback.correct on each answer, feedback.incorrect on the `*` answer;
  fill-in-blanks with one blank: the missing-word short answer, read back with its blank named
  `blank` and its answers and feedback as a short answer's;
  numeric: the answer, no unit; essay: no sample answer, rubric or feedback; matching: pairs and
  distractors, no feedback; points, shuffle and pinned choices are not carried.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from packager.capabilities import ordering_as_matching
from packager.model import Bank, delivery_sections
from packager.model import questions as m
from packager.readers import gift
from packager.readers.base import Source
from packager.writers.moodle import multiple_response_fractions
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported
from tests.properties.roundtrip_helpers import rich_text as _rich
from tests.properties.strategies import banks


def _skipped(q: m.ScoredQuestion | m.TextItem) -> bool:
    return (isinstance(q, m.FillInBlanks) and len(q.blanks) > 1) or (
        isinstance(q, m.MultipleResponse) and multiple_response_fractions(q) is None)


def _levels(bank: Bank) -> list[tuple[Any, list[str]]]:
    title = " ".join(bank.title.split())
    return [(q, [title] if s.implicit else [title, " ".join(s.title.split())])
            for s in delivery_sections(bank) for q in s.questions if not _skipped(q)]


def _projection(bank: Bank) -> tuple[str, list[dict[str, Any]]]:
    placed = _levels(bank)
    shared = placed[0][1]
    for _, levels in placed[1:]:
        n = 0
        while n < min(len(shared), len(levels)) and shared[n] == levels[n]:
            n += 1
        shared = shared[:n]
    out = []
    for q, levels in placed:
        title = " ".join((q.title or q.id).split())
        rest = levels[len(shared):]
        p: dict[str, Any] = {"id": q.id, "type": q.type, "title": title if title != q.id else None,
                             "tags": [*(" ".join(t.split()) for t in q.tags if not set(t) & set("<>`")),
                                      *(["/".join(rest)] if rest else [])]}
        lead: list[str | None] = []
        if q.stimulus:
            stimulus = bank.stimulus_by_id[q.stimulus]
            lead += [f"**{stimulus.title}**" if stimulus.title else None, stimulus.body]
        prompt = q.prompt
        if isinstance(q, m.FillInBlanks):  # GIFT keeps no blank id: the reader names it
            prompt = prompt.replace(f"[[{next(iter(q.blanks))}]]", "[[blank]]")
        p["prompt"] = _rich(*lead, q.scenario, prompt)
        if isinstance(q, m.TextItem):
            out.append(p)
            continue
        p["explanation"] = _rich(q.explanation)
        fb = q.feedback or m.Feedback()
        p["feedback"] = {}
        if isinstance(q, m.SingleChoice):
            p["choices"] = [(_rich(c.text), c.correct,
                             _rich(c.feedback, fb.correct if c.correct else fb.incorrect))
                            for c in q.choices]
        elif isinstance(q, m.MultipleResponse):
            n = sum(c.correct for c in q.choices)
            everything = n == len(q.choices)
            p["choices"] = [(_rich(c.text), c.correct, _rich(c.feedback)) for c in q.choices]
            # One right option: -100 on the others, all-or-nothing in either rule; all right:
            # no penalty, which Moodle grades as partial credit.
            p["scoring"] = ("all_or_nothing" if n == 1 else "partial" if everything
                            else q.scoring)
        elif isinstance(q, m.TrueFalse):
            right = q.feedback_true if q.answer else q.feedback_false
            wrong = q.feedback_false if q.answer else q.feedback_true
            right_text, wrong_text = _rich(right, fb.correct), _rich(wrong, fb.incorrect)
            p["answer"] = q.answer
            p["feedback_true"], p["feedback_false"] = (
                (right_text, wrong_text) if q.answer else (wrong_text, right_text))
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [a.text.strip() for a in q.answers]
            p["feedback"] = {k: _rich(v) for k, v in (("correct", fb.correct),
                                                       ("incorrect", fb.incorrect)) if v}
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = {"blank": [a.strip() for a in next(iter(q.blanks.values()))]}
            p["feedback"] = {k: _rich(v) for k, v in (("correct", fb.correct),
                                                       ("incorrect", fb.incorrect)) if v}
        elif isinstance(q, m.Numeric):
            a = q.answer
            p["answer"] = ({"value": pytest.approx(a.value), "tolerance": pytest.approx(a.tolerance)}
                           if isinstance(a, m.ExactAnswer)
                           else {"min": pytest.approx(a.min), "max": pytest.approx(a.max)})
            p["feedback"] = {k: _rich(v) for k, v in (("correct", fb.correct),
                                                       ("incorrect", fb.incorrect)) if v}
        elif isinstance(q, m.Matching):
            p["pairs"] = [(_rich(pair.prompt), pair.match) for pair in q.pairs]
            p["distractors"] = list(q.distractors)
        out.append(p)
    return shared[-1], out


def _read_back(bank: Bank) -> list[dict[str, Any]]:
    out = []
    for q in bank.questions:
        p: dict[str, Any] = {"id": q.id, "type": q.type, "title": q.title, "tags": list(q.tags),
                             "prompt": _rich(q.prompt)}
        if isinstance(q, m.TextItem):
            out.append(p)
            continue
        fb = q.feedback or m.Feedback()
        p["explanation"] = _rich(q.explanation)
        p["feedback"] = {k: _rich(v) for k, v in (("correct", fb.correct),
                                                   ("incorrect", fb.incorrect)) if v}
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            p["choices"] = [(_rich(c.text), c.correct, _rich(c.feedback)) for c in q.choices]
            if isinstance(q, m.MultipleResponse):
                p["scoring"] = q.scoring
        elif isinstance(q, m.TrueFalse):
            p["answer"] = q.answer
            p["feedback_true"], p["feedback_false"] = (_rich(q.feedback_true),
                                                       _rich(q.feedback_false))
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [a.text for a in q.answers]
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = dict(q.blanks)
        elif isinstance(q, m.Numeric):
            p["answer"] = q.answer.model_dump()
        elif isinstance(q, m.Matching):
            p["pairs"] = [(_rich(pair.prompt), pair.match) for pair in q.pairs]
            p["distractors"] = list(q.distractors)
        out.append(p)
    return out


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks())
def test_gift_round_trip(bank: Bank, xsd_path: Path) -> None:
    if all(_skipped(q) for q in bank.questions):
        return
    data, _ = exported(bank, "gift", xsd_path)
    assert gift.detect(data)
    imported = gift.read(Source("bank.gift.txt", data, Path(".")))
    title, want = _projection(ordering_as_matching(bank))  # GIFT's form of ordering
    got = _read_back(imported.bank)
    assert [q["id"] for q in got] == [q["id"] for q in want]
    for g, w in zip(got, want, strict=True):
        assert g == w
    assert imported.bank.title == title
