"""Round trip through Moodle XML: `read(export(bank, "moodle"))` is the bank projected onto
what Moodle XML carries (docs/formats/moodle.md, "Losses", and the reader's "Import" notes).

The projection, per bank: id, title and description are kept; settings, metadata, language,
version and sections are not (each section is a sub-category, so its questions gain its title
as a tag, in section order); questions the target cannot express are skipped.
Per question: the stimulus (title, body), the scenario and the prompt arrive as one prompt;
objectives and pinned options are lost; choice ids become a, b, c…; blank ids b1, b2… in
order; points are the bank's points for the question (a cloze: its whole-number blank
weights); true/false feedback merges into the per-answer feedback; short answers and blanks
share one case rule; a numeric range becomes value ± tolerance; essay and cloze lose their
correct/incorrect feedback; a title is kept unless it only repeats the prompt.
Rich text is compared as its plain text with white space folded: the Markdown of a Moodle
text is rebuilt from HTML, so its spelling (code languages, escapes) may differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings

from packager import capabilities
from packager.model import BLANK_MARKER, Bank, delivery_sections
from packager.model import questions as m
from packager.packages import moodle as target
from packager.pipeline import LoadedBank, export
from packager.readers import moodle
from packager.readers.base import Source
from packager.richtext_plain import plain_text
from packager.writers import moodle as writer
from packager.writers import numeric_ranges
from tests.conftest import examples, make_ctx
from tests.properties.strategies import banks

HERE = Path(__file__).resolve().parent


def _text(markdown: str | None) -> str | None:
    return " ".join(plain_text(markdown).split()) or None if markdown else None


def _join(*parts: str | None) -> str | None:
    return _text("\n\n".join(p for p in parts if p))


def _unsupported(bank: Bank) -> set[str]:
    notes = capabilities.fidelity(bank, target.LOSSES)
    notes.extend(target.extra_fidelity(bank))
    return set(capabilities.unsupported_ids(notes))


def _blank_ids(prompt: str) -> dict[str, str]:
    return {bid: f"b{n}" for n, bid in enumerate(BLANK_MARKER.findall(prompt), start=1)}


def _fields(q: Any, points: float | None) -> dict[str, Any]:
    """What both sides are compared on, given the question's points."""
    d: dict[str, Any] = {"id": q.id, "type": q.type, "tags": list(q.tags)}
    if isinstance(q, m.TextItem):
        return d
    fb = q.feedback or m.Feedback()
    d["points"] = points
    d["explanation"] = _text(q.explanation)
    if not isinstance(q, m.TrueFalse | m.ShortAnswer | m.Numeric | m.Essay | m.FillInBlanks):
        d["feedback"] = (_text(fb.correct), _text(fb.incorrect))
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        d["choices"] = [(_text(c.text), c.correct, _text(c.feedback)) for c in q.choices]
    if isinstance(q, m.MultipleResponse):
        d["scoring"] = q.scoring
    if isinstance(q, m.Numeric):
        d["answer"] = q.answer.model_dump()
        d["unit"] = q.unit
        d["feedback"] = (_text(fb.correct), _text(fb.incorrect))
    if isinstance(q, m.ShortAnswer):
        d["answers"] = [(a.text, a.case_sensitive) for a in q.answers]
        d["feedback"] = (_text(fb.correct), _text(fb.incorrect))
    if isinstance(q, m.Essay):
        d["rubric"], d["sample"] = _text(q.rubric), _text(q.sample_answer)
    if isinstance(q, m.Matching):
        d["pairs"] = [(_text(p.prompt), p.match) for p in q.pairs]
        d["distractors"] = list(q.distractors)
    if isinstance(q, m.Ordering):
        d["items"] = [_text(i) for i in q.items]
    if isinstance(q, m.FillInBlanks):
        d["blanks"] = {k: list(v) for k, v in q.blanks.items()}
        d["case_sensitive"] = q.case_sensitive
    return d


def _got(q: Any) -> dict[str, Any]:
    d = _fields(q, getattr(q, "points", None))
    d["prompt"] = _text(q.prompt)
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        d["choice_ids"] = [c.id for c in q.choices]
        d["shuffle"] = q.shuffle
    if isinstance(q, m.TrueFalse):
        d["answer"] = q.answer
        d["feedback_true"], d["feedback_false"] = _text(q.feedback_true), _text(q.feedback_false)
    return d


def _expected(bank: Bank, q: Any, section_title: str | None) -> dict[str, Any]:
    points = None if isinstance(q, m.TextItem) else bank.points_of(q)
    if isinstance(q, m.FillInBlanks):
        points = writer.cloze_weight(points, len(q.blanks)) * len(q.blanks)
    d = _fields(q, None if points in (None, 1) else points)
    lead = []
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        lead = [stimulus.title, stimulus.body]
    prompt = q.prompt
    if isinstance(q, m.FillInBlanks):
        ids = _blank_ids(prompt)
        prompt = BLANK_MARKER.sub(lambda found: f"[[{ids[found.group(1)]}]]", prompt)
        d["blanks"] = {ids[k]: [a.strip() for a in v] for k, v in q.blanks.items()}
    d["prompt"] = _join(*lead, q.scenario, prompt)
    d["tags"] = list(dict.fromkeys([*q.tags, *([section_title] if section_title else [])]))
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        d["choice_ids"] = [chr(ord("a") + i) for i in range(len(q.choices))]
        d["shuffle"] = True if bank.shuffles(q) else None
    if isinstance(q, m.MultipleResponse) and sum(c.correct for c in q.choices) == 1:
        d["scoring"] = "all_or_nothing"  # both rules are the same for these
    elif isinstance(q, m.MultipleResponse) and all(c.correct for c in q.choices):
        d["scoring"] = "partial"  # no wrong option: Moodle gives each right pick its share
    if isinstance(q, m.TrueFalse):
        fb = q.feedback or m.Feedback()
        d["answer"] = q.answer
        d["feedback_true"] = _join(q.feedback_true, fb.correct if q.answer else fb.incorrect)
        d["feedback_false"] = _join(q.feedback_false, fb.incorrect if q.answer else fb.correct)
    if isinstance(q, m.ShortAnswer):
        case = any(a.case_sensitive for a in q.answers)
        d["answers"] = [(a.text.strip(), case) for a in q.answers]
    if isinstance(q, m.Numeric) and isinstance(q.answer, m.RangeAnswer):
        value, tolerance = numeric_ranges.midpoint(q.answer.min, q.answer.max)
        d["answer"] = {"value": value, "tolerance": tolerance}
    return d


def _check(bank: Bank, xsd_dir: Path) -> None:
    skipped = _unsupported(bank)
    if skipped >= {q.id for q in bank.questions}:
        return  # nothing to export
    loaded = LoadedBank(bank, Source(f"{bank.id}.json", b"", HERE), ())
    artifact = export(loaded, "moodle", make_ctx(xsd_dir, skip_unsupported=True))
    imported = moodle.read(Source("bank.moodle.xml", artifact.data, HERE))
    got = imported.bank

    assert (got.id, got.title) == (bank.id, bank.title)
    assert _text(got.description) == _text(bank.description)
    sections = delivery_sections(bank)
    expected = [
        _expected(bank, q, None if section.implicit else section.title)
        for section in sections for q in section.questions if q.id not in skipped
    ]
    assert [q.id for q in got.questions] == [d["id"] for d in expected]
    for question, want in zip(got.questions, expected, strict=True):
        found = _got(question)
        assert found == want, {k: (found.get(k), want.get(k)) for k in want
                               if found.get(k) != want.get(k)}
    for q, original in zip(got.questions, (q for s in sections for q in s.questions
                                           if q.id not in skipped), strict=True):
        name = original.title or writer._name(original)
        assert q.title == (None if moodle._derived(name, q.prompt) else name)


@settings(deadline=None, max_examples=examples(15))
@given(bank=banks())
def test_moodle_export_reads_back_as_the_projected_bank(bank: Bank, xsd_path: Path) -> None:
    _check(bank, xsd_path)
