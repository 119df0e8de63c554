"""What a small bank can make its output grow by is bounded. Matching pairs, distractors and
ordering items (model/questions.py): several formats write every match under every prompt, so
one question of 2,000 pairs made the QTI 1.2 export run for minutes in gigabytes. Stimuli
repeated in every question that uses them (model/invariants.py): a 300 KB bank wrote 200 MB of
Moodle XML. Over a bound a bank is refused where the cause is, with why; at the bounds every
format still writes valid output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import packager
from packager.formats import TARGETS
from packager.model.invariants import MAX_REPEATED_STIMULUS_CHARS
from packager.model.questions import (
    MAX_ACCEPTED_ANSWERS,
    MAX_DISTRACTORS,
    MAX_ORDER_ITEMS,
    MAX_PAIRS,
)
from tests.conftest import ROOT, xsd_dir


def _matching(pairs: int, distractors: int = 0) -> dict[str, Any]:
    return {
        "id": "match", "type": "matching", "prompt": "Match each one.",
        "pairs": [{"prompt": f"Prompt {i}", "match": f"Match {i}"} for i in range(pairs)],
        "distractors": [f"Distractor {i}" for i in range(distractors)],
    }


def _ordering(items: int) -> dict[str, Any]:
    return {"id": "order", "type": "ordering", "prompt": "Put them in order.",
            "items": [f"Step {i}" for i in range(items)]}


_CHOICE = {"id": "pick", "type": "single_choice", "prompt": "Which?",
           "choices": [{"id": "a", "text": "This", "correct": True}, {"id": "b", "text": "That"}]}


def _bank(*questions: dict[str, Any]) -> dict[str, Any]:
    """The questions, after a choice question (which every format carries)."""
    return {"format": "packager.question-bank/1", "id": "bounds", "title": "Bounds",
            "questions": [_CHOICE, *questions]}


def test_the_bounds_are_what_the_messages_and_schema_say() -> None:
    schema = json.loads((ROOT / "schemas" / "question-bank.schema.json").read_text())
    defs = schema["$defs"]
    assert defs["Matching"]["properties"]["pairs"]["maxItems"] == MAX_PAIRS == 100
    assert defs["Matching"]["properties"]["distractors"]["maxItems"] == MAX_DISTRACTORS == 100
    assert defs["Ordering"]["properties"]["items"]["maxItems"] == MAX_ORDER_ITEMS == 100


def test_one_over_each_bound_is_refused_where_it_is_with_why(tmp_path: Path) -> None:
    path = tmp_path / "over.json"
    bank = _bank(_matching(MAX_PAIRS + 1, MAX_DISTRACTORS + 1), _ordering(MAX_ORDER_ITEMS + 1))
    path.write_text(json.dumps(bank, indent=1), encoding="utf-8")
    errors = [d for d in packager.validate(path) if d.is_error]
    by_pointer = {d.pointer: d for d in errors}
    assert sorted(by_pointer) == [
        "/questions/1/distractors", "/questions/1/pairs", "/questions/2/items"
    ]
    pairs = by_pointer["/questions/1/pairs"]
    assert pairs.message == "allows at most 100 items, found 101"
    assert pairs.question_id == "match" and pairs.line == 26  # the line of "pairs"
    assert pairs.hint is not None and "split it into several matching questions" in pairs.hint
    assert "ordering questions" in str(by_pointer["/questions/2/items"].hint)
    assert "every prompt" in str(by_pointer["/questions/1/distractors"].hint)
    with pytest.raises(packager.InputError):
        packager.export(path, "qti12", validate_output=False)


def test_at_the_bounds_every_format_writes_valid_output() -> None:
    bank = _bank(_matching(MAX_PAIRS, MAX_DISTRACTORS), _ordering(MAX_ORDER_ITEMS))
    artifacts = packager.export(bank, "all", skip_unsupported=True, xsd_dir=xsd_dir())
    assert {a.target for a in artifacts} == set(TARGETS)  # each XSD-validated as it was built
    qti12 = next(a for a in artifacts if a.target == "qti12")
    with zipfile.ZipFile(io.BytesIO(qti12.data)) as package:
        (item_file,) = [n for n in package.namelist() if n.endswith(".xml")
                        and n != "imsmanifest.xml" and "assessment_meta" not in n]
        labels = etree.fromstring(package.read(item_file)).iter("{*}response_label")
        # Every prompt lists every match and distractor: the square the bound keeps small.
        assert sum(1 for _ in labels) >= MAX_PAIRS * (MAX_PAIRS + MAX_DISTRACTORS)


def test_an_import_over_a_bound_is_refused_with_the_same_hint(tmp_path: Path) -> None:
    source = tmp_path / "big.gift"
    pairs = " ".join(f"=p{i} -> m{i}" for i in range(MAX_PAIRS + 1))
    source.write_text(f"::M:: Match these {{{pairs}}}\n", encoding="utf-8")
    out = tmp_path / "big.json"
    result = subprocess.run(
        [sys.executable, "-m", "packager", "import", str(source), "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 3, result.stderr
    assert "pairs: allows at most 100 items, found 101" in result.stderr
    assert "split it into several matching questions" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def _shared_stimulus(questions: int, chars: int) -> dict[str, Any]:
    return {
        "format": "packager.question-bank/1", "id": "shared", "title": "Shared",
        "stimuli": [{"id": "short", "body": "A short case."},
                    {"id": "case", "body": "w" * chars}],
        "questions": [
            {"id": f"q{i}", "type": "true_false", "prompt": f"Statement {i}?", "answer": True,
             "explanation": "Because.", "stimulus": "case"}
            for i in range(questions)
        ],
    }


def test_a_stimulus_repeated_beyond_the_bound_is_refused_at_it() -> None:
    chars = 99_000
    over = MAX_REPEATED_STIMULUS_CHARS // chars + 1
    (problem,) = [d for d in packager.validate(_shared_stimulus(over, chars)) if d.is_error]
    assert problem.code == "E-REPEATED-STIMULUS"
    assert problem.pointer == "/stimuli/1/body"
    assert f"{over * chars:,} characters" in problem.message
    assert f"'case' alone: {chars:,} characters in {over:,} questions" in problem.message
    assert problem.hint == "shorten the stimulus, or split the bank so that fewer questions share it"
    at_the_bound = _shared_stimulus(over - 1, chars)
    assert not [d for d in packager.validate(at_the_bound) if d.is_error]


def test_a_short_answer_of_too_many_accepted_answers_is_refused_at_them() -> None:
    def short(count: int) -> dict[str, Any]:
        return {"id": "short", "type": "short_answer", "prompt": "Name it.",
                "answers": [{"text": f"answer {i}"} for i in range(count)],
                "feedback": {"correct": "Right: " + "w" * 5000}}

    (problem,) = [d for d in packager.validate(_bank(short(MAX_ACCEPTED_ANSWERS + 1)))
                  if d.is_error]
    assert problem.pointer == "/questions/1/answers"
    assert problem.message == "allows at most 100 items, found 101"
    assert "repeat the feedback beside every one" in str(problem.hint)
    # At the bound, Moodle XML writes the feedback a hundred times, and no more.
    (moodle,) = packager.export(_bank(short(MAX_ACCEPTED_ANSWERS)), "moodle", xsd_dir=xsd_dir())
    assert moodle.data.count(b"Right: ") == MAX_ACCEPTED_ANSWERS


def test_validate_reports_a_table_that_fills_out_far_beyond_its_text() -> None:
    """validate renders only the texts that may hold a problem: a wide table must be one."""
    table = "|h" * 256 + "|\n" + "|-" * 256 + "|\n" + "a\n" * 1024
    essay = {"id": "wide", "type": "essay", "prompt": table, "explanation": "E"}
    (problem,) = [d for d in packager.validate(_bank(essay)) if d.is_error]
    assert problem.pointer == "/questions/1/prompt"
    assert "a table fills every row out to its header's columns" in problem.message
