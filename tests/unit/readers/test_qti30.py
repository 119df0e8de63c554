"""The QTI 3.0 importer: golden imports of hand-written items and a package with a shared
stimulus (qti2_cases); what differs from QTI 2.1 in refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import qti21, qti30
from packager.readers.base import Source
from tests.unit.readers.qti2_cases import INPUTS, cases, check_case, source, zip_folder

CASES = cases("qti30")


@pytest.mark.parametrize("case", CASES)
def test_case(request: pytest.FixtureRequest, case: str) -> None:
    check_case(request, qti30, "qti30", case)


@pytest.mark.parametrize("case", CASES)
def test_a_qti30_case_is_not_qti21(case: str) -> None:
    assert not qti21.detect(source("qti30", case).data)


def test_a_qti21_package_is_refused_with_a_hint() -> None:
    data = zip_folder(INPUTS / "qti21" / "package.pkg")
    with pytest.raises(InputError) as caught:
        qti30.read(Source("quiz.zip", data, Path("/nonexistent")))
    assert "lists no QTI 3.0 item or test" in caught.value.message
    assert "--from qti21" in (caught.value.diagnostics[0].hint or "")


def test_a_stimulus_outside_a_package_is_dropped_with_a_note() -> None:
    data = (INPUTS / "qti30" / "package.pkg" / "items" / "leads.xml").read_bytes()
    imported = qti30.read(Source("leads.xml", data, INPUTS / "qti30"))
    assert imported.bank.stimuli == []
    assert [n.kind for n in imported.notes] == ["dropped"]
    assert "stimulus" in imported.notes[0].message


def test_true_false_keeps_the_feedback_its_choices_hold() -> None:
    imported = qti30.read(source("qti30", "true-false-inline-feedback.xml"))
    question = imported.bank.questions[0]
    assert question.type == "true_false" and question.answer is False
    assert question.feedback_true == "No: it uses less."
    assert question.feedback_false == "Right: it is the shortest shot."
    assert imported.notes == []
