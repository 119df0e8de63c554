"""read(export(bank, bbtext)) is the bank projected onto what Blackboard's upload text carries
(packages/bbtext.py LOSSES and extra_fidelity, docs/formats/bbtext.md):

- every question but text items and fill-in-blanks with more than 10 blanks (unsupported), in
  bank order, each with its type (multiple response always all-or-nothing);
- the stimulus title and body, scenario, prompt (and a numeric unit as "Unit: …") are one
  text; rich text is compared by the text of its rendered XHTML, white space removed;
- choices with their key, the true/false answer, accepted answers (plain, tabs and line breaks
  as spaces), the numeric value and tolerance (a range as midpoint ± half width), the essay's
  sample answer, matching pairs (no distractors), ordering items, blanks and their answers
  (no case sensitivity);
- ids, titles, tags, feedback, explanation, points, shuffle and rubric are not carried.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from packager.model import Bank
from packager.model import questions as m
from packager.packages.bbtext import MAX_BLANKS
from packager.readers import bbtext
from packager.readers.base import Source
from packager.writers.bbtext import answer_field
from tests.conftest import examples
from tests.properties.roundtrip_helpers import exported
from tests.properties.roundtrip_helpers import rich_text as _rich
from tests.properties.strategies import banks


def _carried(q: m.ScoredQuestion | m.TextItem) -> bool:
    return not isinstance(q, m.TextItem) and not (
        isinstance(q, m.FillInBlanks) and len(q.blanks) > MAX_BLANKS)


def _projection(bank: Bank) -> list[dict[str, Any]]:
    out = []
    for q in bank.questions:
        if not _carried(q):
            continue
        head = ""
        lead: list[str | None] = []
        if q.stimulus:
            stimulus = bank.stimulus_by_id[q.stimulus]
            head = re.sub(r"\s+", "", stimulus.title or "")
            lead.append(stimulus.body)
        unit = re.sub(r"\s+", "", f"Unit:{q.unit}") if isinstance(q, m.Numeric) and q.unit else ""
        p: dict[str, Any] = {"type": q.type,
                             "prompt": head + _rich(*lead, q.scenario, q.prompt) + unit}
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            p["choices"] = [(_rich(c.text), c.correct) for c in q.choices]
        elif isinstance(q, m.TrueFalse):
            p["answer"] = q.answer
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [answer_field(a.text) for a in q.answers]
        elif isinstance(q, m.Numeric):
            a = q.answer
            value, tolerance = ((a.value, a.tolerance) if isinstance(a, m.ExactAnswer)
                                else ((a.min + a.max) / 2, (a.max - a.min) / 2))
            p["answer"] = (pytest.approx(value), pytest.approx(tolerance))
        elif isinstance(q, m.Essay):
            p["sample_answer"] = _rich(q.sample_answer)
        elif isinstance(q, m.Matching):
            p["pairs"] = [(_rich(pair.prompt), pair.match.strip()) for pair in q.pairs]
        elif isinstance(q, m.Ordering):
            p["items"] = [_rich(item) for item in q.items]
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = {k: [answer_field(a) for a in v] for k, v in q.blanks.items()}
        out.append(p)
    return out


def _read_back(bank: Bank) -> list[dict[str, Any]]:
    out = []
    for q in bank.questions:
        p: dict[str, Any] = {"type": q.type, "prompt": _rich(q.prompt)}
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            p["choices"] = [(_rich(c.text), c.correct) for c in q.choices]
            if isinstance(q, m.MultipleResponse):
                assert q.scoring == "all_or_nothing"
        elif isinstance(q, m.TrueFalse):
            p["answer"] = q.answer
        elif isinstance(q, m.ShortAnswer):
            p["answers"] = [a.text for a in q.answers]
            assert not any(a.case_sensitive for a in q.answers)
        elif isinstance(q, m.Numeric):
            assert isinstance(q.answer, m.ExactAnswer)
            p["answer"] = (q.answer.value, q.answer.tolerance)
        elif isinstance(q, m.Essay):
            p["sample_answer"] = _rich(q.sample_answer)
        elif isinstance(q, m.Matching):
            p["pairs"] = [(_rich(pair.prompt), pair.match) for pair in q.pairs]
            assert not q.distractors
        elif isinstance(q, m.Ordering):
            p["items"] = [_rich(item) for item in q.items]
        elif isinstance(q, m.FillInBlanks):
            p["blanks"] = dict(q.blanks)
            assert not q.case_sensitive
        out.append(p)
    return out


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks())
def test_bbtext_round_trip(bank: Bank, xsd_path: Path) -> None:
    if not any(_carried(q) for q in bank.questions):
        return
    data, _ = exported(bank, "bbtext", xsd_path)
    assert bbtext.detect(data)
    imported = bbtext.read(Source("bank.bbtext.txt", data, Path(".")))
    want = _projection(bank)
    got = _read_back(imported.bank)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g == w
