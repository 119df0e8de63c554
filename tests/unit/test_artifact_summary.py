"""Artifact.summary (what build-report.json keeps) agrees with the full fidelity report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.context import BuildContext
from packager.pipeline import export


@pytest.mark.parametrize("target", ["aiken", "blackboard", "gift", "qti12"])
@pytest.mark.parametrize("bank_name", ["neon-broccoli", "sample-all-types"])
def test_summary_matches_the_per_question_report(
    load_bank: Any, xsd_path: Path, bank_name: str, target: str
) -> None:
    artifact = export(load_bank(bank_name), target, BuildContext(skip_unsupported=True))
    report: dict[str, Any] = artifact.report  # type: ignore[assignment]
    questions = report["questions"]
    summary = artifact.summary()
    assert summary["questions_exported"] == report["summary"]["exported"]
    assert summary["questions_skipped"] == [q["id"] for q in questions if q["status"] == "skipped"]
    assert summary["fidelity"] == [n for q in questions for n in q["notes"]] + report["bank_notes"]
    assert summary["xsd_validated"] == report["xsd_validated"]
    if bank_name == "sample-all-types" and target == "aiken":
        assert summary["questions_skipped"]  # the comparison covered skipped questions too
