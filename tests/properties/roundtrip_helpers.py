"""What the round-trip properties share: export a bank to a target, read the output back."""

from __future__ import annotations

from pathlib import Path

from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source
from tests.conftest import make_ctx

HERE = Path(__file__).resolve().parent


def exported(bank: Bank, target: str, xsd_path: Path) -> tuple[bytes, set[str]]:
    """The target's output for the bank (unsupported questions skipped) and the skipped ids."""
    loaded = LoadedBank(bank, Source(f"{bank.id}.json", b"", HERE), ())
    artifact = export(loaded, target, make_ctx(xsd_path, skip_unsupported=True))
    questions = artifact.report["questions"]
    assert isinstance(questions, list)
    skipped = {q["id"] for q in questions if q["status"] == "skipped"}
    return artifact.data, skipped


def extreme_numeric_bank() -> Bank:
    """Numeric keys at the model's bounds, whose value ± tolerance passes ±1e15 (and whose
    bounds no double holds: 1e15 ± 3.67)."""
    answers: list[dict[str, float]] = [
        {"value": 1e15, "tolerance": 5}, {"value": -999999999999999.5, "tolerance": 1e15},
        {"min": -1e15, "max": 1e15}, {"value": 1e15, "tolerance": 3.67}]
    return Bank.model_validate({
        "format": "packager.question-bank/1", "id": "big", "title": "Big", "version": "1.0.0",
        "questions": [{"id": f"q{n}", "type": "numeric", "prompt": "How many?", "answer": a}
                      for n, a in enumerate(answers)],
    })


def rich_text(*markdown: str | None) -> str:
    """The text of rendered rich texts, white space removed: what survives a format that
    rewrites the markup (HTML in GIFT or a Blackboard upload) but keeps every word."""
    import re

    from lxml import html as lxml_html

    from packager.richtext import render

    html = "".join(render(t).xhtml for t in markdown if t)
    if not html:
        return ""
    return re.sub(r"\s+", "", lxml_html.fragment_fromstring(f"<div>{html}</div>").text_content())
