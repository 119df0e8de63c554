"""Round trips through QTI 2.1 and QTI 3.0: `read(export(bank, F))` is the bank projected onto
what F carries (docs/formats/qti21.md and qti30.md, "What is lost or changed", and "Import").

The projection:
- gone: the version, authors, licence and objectives (no place in the package), an essay's
  correct/incorrect feedback (not written), question order other than the delivery order
  (items are read in the test's section order);
- settings become per question: `points` (the bank default is 1 again; 1 is left out),
  `shuffle` (true or left out) and `pinned` (written only for a shuffled question);
- titles: every item has one (the question's, or the writer's from the prompt);
- one section holding every question without `pick` is no sectioning;
- short answers and blank answers are trimmed and listed once (the writer's mapping); tags,
  the bank's and each question's (manifest keywords), are listed once (the reader's);
- matching distractors come in the writer's (content-hash) order of targets;
- stimuli: only those in use, in order of first use; QTI 2.1 copies them into items, so
  their ids are derived from their titles; a QTI 3.0 stimulus whose title is its id has none;
- rich text is compared as rendered XHTML (the Markdown spelling may differ).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from lxml import etree

from packager.mathml import MATHML_NS as MATHML
from packager.model import Bank, delivery_sections
from packager.pipeline import LoadedBank, export
from packager.readers import qti21, qti30
from packager.readers.base import Source
from packager.readers.imported import slug, unique
from packager.richtext import render
from packager.writers import qti_common, qti_plan
from tests.conftest import examples, make_ctx
from tests.properties.strategies import banks

HERE = Path(__file__).resolve().parent
READERS = {"qti21": qti21, "qti30": qti30}
RICH_FIELDS = ("scenario", "prompt", "explanation", "sample_answer", "rubric", "feedback_true",
               "feedback_false", "description", "body")


def _rich(markdown: str) -> str:
    """Rich text as rendered XHTML, white space between elements ignored, and an <mrow>
    around a single MathML element taken away (`x_{i}` is `x_i`; LaTeX read back from
    MathML drops such braces)."""
    root = etree.fromstring(f"<div>{render(markdown).xhtml}</div>")
    for mrow in list(root.iter(f"{{{MATHML}}}mrow")):
        parent = mrow.getparent()
        if (len(mrow) == 1 and not (mrow.text or "").strip() and parent is not None
                and etree.QName(parent).localname not in ("math",)):
            only = mrow[0]
            only.tail = mrow.tail
            parent.replace(mrow, only)
    return re.sub(r">\s+<", "><", etree.tostring(root, encoding="unicode"))


def _normal(data: Any) -> Any:
    """Rich-text fields of a dumped bank (at any depth) as rendered XHTML."""
    if isinstance(data, list):
        return [_normal(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in RICH_FIELDS and isinstance(value, str):
            out[key] = _rich(value)
        elif key in ("choices", "pairs"):
            out[key] = [{k: _rich(v) if k in ("text", "prompt", "feedback") else v
                         for k, v in entry.items()} for entry in value]
        elif key == "items" and isinstance(value, list):
            out[key] = [_rich(v) for v in value]
        elif key == "feedback" and isinstance(value, dict):
            out[key] = {k: _rich(v) for k, v in value.items()}
        else:
            out[key] = _normal(value)
    return out


def _dump(bank: Bank) -> dict[str, Any]:
    return bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def project(bank: Bank, target: str) -> dict[str, Any]:
    """What reading the bank's `target` export must give (module docstring)."""
    sections = delivery_sections(bank)
    ordered = [q for s in sections for q in s.questions]
    data = _dump(bank)
    data.pop("version", None)
    metadata = {"tags": list(dict.fromkeys(bank.metadata.tags))} if bank.metadata.tags else {}
    data.pop("metadata", None)
    if metadata:
        data["metadata"] = metadata
    settings_ = {k: v for k, v in data.pop("settings", {}).items()
                 if k in ("passing_score", "show_feedback")}
    if settings_:
        data["settings"] = settings_
    data["questions"] = [_question(bank, q) for q in ordered]
    stimuli = _stimuli(bank, ordered, target, data["questions"])
    data.pop("stimuli", None)
    if stimuli:
        data["stimuli"] = stimuli
    data.pop("sections", None)
    if len(sections) > 1 or sections[0].pick is not None:
        data["sections"] = [
            {"id": s.id, "title": s.title, "question_ids": [q.id for q in s.questions],
             **({"pick": s.pick} if s.pick is not None else {})}
            for s in sections
        ]
    return _normal(data)


def _question(bank: Bank, q: Any) -> dict[str, Any]:
    out = _dump(q)
    out.pop("objectives", None)
    if "tags" in out:
        out["tags"] = list(dict.fromkeys(out["tags"]))
    if not out.get("feedback", True):
        out.pop("feedback")
    out["title"] = re.sub(r"[ \t\r\n]+", " ", qti_common.item_title(q)).strip()
    if q.type == "text":
        return out
    points = bank.points_of(q)
    out.pop("points", None)
    if points != 1:
        out["points"] = points
    if q.type == "essay":
        out.pop("feedback", None)
    if q.type in ("single_choice", "multiple_response"):
        shuffles = bank.shuffles(q)
        out.pop("shuffle", None)
        if shuffles:
            out["shuffle"] = True
        for choice in out["choices"]:
            if not shuffles:
                choice.pop("pinned", None)
    if q.type == "short_answer":
        seen: dict[str, dict[str, Any]] = {}
        for answer in out["answers"]:
            seen.setdefault(answer["text"].strip(), {**answer, "text": answer["text"].strip()})
        out["answers"] = list(seen.values())
    if q.type == "fill_in_blanks":
        out["blanks"] = {k: list(dict.fromkeys(a.strip() for a in v))
                         for k, v in out["blanks"].items()}
    if q.type == "matching":
        used = {p.match for p in q.pairs}
        order = [text for _, text, _ in qti_plan.match_targets(q)]
        distractors = [t for t in order if t not in used]
        out.pop("distractors", None)
        if distractors:
            out["distractors"] = distractors
    return out


def _stimuli(bank: Bank, ordered: list[Any], target: str,
             questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    used = list(dict.fromkeys(q.stimulus for q in ordered if q.stimulus))
    found = [bank.stimulus_by_id[s] for s in used]
    if target == "qti30":
        return [{"id": s.id, "body": s.body,
                 **({"title": s.title} if s.title and s.title != s.id else {})}
                for s in found]
    keys: dict[tuple[str | None, str], str] = {}
    renamed: dict[str, str] = {}
    out: list[dict[str, Any]] = []
    for s in found:
        key = (s.title, _rich(s.body))
        if key not in keys:
            keys[key] = unique([*keys.values(), slug(s.title or "", f"stimulus-{len(out) + 1}")])[-1]
            out.append({"id": keys[key], "body": s.body, **({"title": s.title} if s.title
                                                            and s.title != keys[key] else {})})
        renamed[s.id] = keys[key]
    for q in questions:
        if "stimulus" in q:
            q["stimulus"] = renamed[q["stimulus"]]
    return out


@pytest.mark.parametrize("target", sorted(READERS))
def test_read_of_export_is_the_projected_bank(target: str, xsd_path: Path) -> None:
    @settings(deadline=None, max_examples=examples(15))
    @given(bank=banks())
    def round_trip(bank: Bank) -> None:
        loaded = LoadedBank(bank, Source(f"{bank.id}.json", b"", HERE), ())
        artifact = export(loaded, target, make_ctx(xsd_path, skip_unsupported=True))
        imported = READERS[target].read(Source(f"{bank.id}.zip", artifact.data, HERE))
        assert imported.media == {}
        assert _normal(_dump(imported.bank)) == project(bank, target)

    round_trip()


@pytest.mark.parametrize("target", sorted(READERS))
def test_a_tag_given_twice_is_read_once(target: str, xsd_path: Path) -> None:
    """Found by the property above (a question tagged '"double"' twice): item keywords are
    read as the bank's are, each once, in order."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "tags", "title": "Tags", "version": "1.0.0",
        "questions": [{
            "id": "q", "type": "single_choice", "prompt": "Pick one.",
            "tags": ['"double"', "other", '"double"'],
            "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
        }],
    })
    loaded = LoadedBank(bank, Source("tags.json", b"", HERE), ())
    artifact = export(loaded, target, make_ctx(xsd_path, skip_unsupported=True))
    imported = READERS[target].read(Source("tags.zip", artifact.data, HERE))
    assert imported.bank.questions[0].tags == ['"double"', "other"]
    assert _normal(_dump(imported.bank)) == project(bank, target)
