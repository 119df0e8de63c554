"""What the text sweeps' tests read of a text bank: its questions as JSON, their keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packager.readers import text
from packager.readers.base import Source


def read_questions(body: str, tmp_path: Path, name: str = "quiz.md") -> list[dict[str, Any]]:
    bank = text.read(Source(name, body.encode(), tmp_path)).bank
    return [q.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
            for q in bank.questions]


def keys(questions: list[dict[str, Any]]) -> list[list[str]]:
    """Each question's correct options' texts."""
    return [[c["text"] for c in q["choices"] if c.get("correct")] for q in questions]
