"""A numbered list that starts at another number than 1 (`3. Run`) keeps its start where a
format's HTML can hold it, and where it cannot (QTI 2.1 and 3.0 XHTML) the report says so:
every format numbered it from 1, silently."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from packager.context import BuildContext
from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source
from packager.richtext import LIST_START, render

STEPS = "Do the steps in order:\n\n3. Run setup\n4. Restart"


def _loaded() -> LoadedBank:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "steps", "title": "Steps",
        "questions": [{"id": "q1", "type": "single_choice", "prompt": STEPS,
                       "choices": [{"id": "a", "text": "Yes", "correct": True},
                                   {"id": "b", "text": "No"}]}],
    })
    return LoadedBank(bank, Source("steps.json", b"", Path(".")), ())


def test_the_start_of_a_numbered_list_is_kept_and_only_a_number() -> None:
    rendered = render(STEPS)
    assert '<ol start="3">' in rendered.xhtml and rendered.flags & LIST_START
    assert "start" not in render('<ol start="x"><li>a</li></ol>').xhtml
    assert not render("1. a\n2. b").flags & LIST_START


def test_moodle_keeps_the_start_and_qti_2_notes_its_loss(ctx: BuildContext) -> None:
    moodle = export(_loaded(), "moodle", ctx)
    assert b'start="3"' in moodle.data or b"start=&quot;3&quot;" in moodle.data
    for target in ("qti21", "qti30"):
        artifact = export(_loaded(), target, ctx)  # validated against the official XSD
        with zipfile.ZipFile(BytesIO(artifact.data)) as package:
            items = [n for n in package.namelist() if n.startswith("items/")]
            assert items and all(b"start=" not in package.read(n) for n in items)
        (question,) = artifact.report["questions"]
        assert ("list_start", "changed") in [(n["feature"], n["kind"]) for n in question["notes"]]
    (question,) = moodle.report["questions"]
    assert "list_start" not in [n["feature"] for n in question["notes"]]
