"""Layouts of text sweep 5's real quiz files (a Spanish physics bank, a Korean security quiz,
course notes): each was a silent misread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.readers import text
from packager.readers.base import Source


def _read(body: str, tmp_path: Path, name: str = "quiz.md") -> tuple[str, list[dict[str, Any]]]:
    bank = text.read(Source(name, body.encode(), tmp_path)).bank
    return bank.title, [q.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                        for q in bank.questions]


LABELLED = ("{one}\n\nWhat is 2+3?\n\n- A. 5\n- B. 6\n\n**Answer:** A\n\n"
            "Because two plus three is five.\n\n{two}\n\nWhat is 2+2?\n\n- A. 4\n- B. 5\n\n"
            "**Answer:** A\n")


@pytest.mark.parametrize(("one", "two"), [
    ("### 1", "### 2"), ("## 1", "## 2"), ("1.", "2."), ("1)", "2)"), ("**1.**", "**2.**"),
    ("Q1", "Q2"), ("**Q1.**", "**Q2.**"), ("### 1.", "### 2."), ("#### Q1", "#### Q2"),
    ("### **Q1.**", "### **Q2.**"),
])
def test_a_number_alone_on_its_line_starts_the_question_below_it(
        one: str, two: str, tmp_path: Path) -> None:
    """Each question's explanation became the next one's scenario, with the next one's
    label (`### 2`); the first label was the bank's title."""
    title, questions = _read(LABELLED.format(one=one, two=two), tmp_path)
    assert title == "quiz"
    assert [(q.get("scenario"), q["prompt"], q.get("explanation")) for q in questions] == [
        (None, "What is 2+3?", "Because two plus three is five."),
        (None, "What is 2+2?", None),
    ]


def test_a_comment_in_a_code_block_starts_no_question(tmp_path: Path) -> None:
    """`# 2` in a fenced block is a comment, not question 2's heading (the linkedin quiz
    files' examples under the options)."""
    body = ("#### Q1. What does any() return?\n\n- [x] True if an item is true\n- [ ] An item\n\n"
            "**example**\n\n```python\n# 2\nany([True, False])\n```\n\n"
            "#### Q2. What is 2+2?\n\n- [ ] 5\n- [x] 4\n")
    _, questions = _read(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What does any() return?", "What is 2+2?"]
    assert questions[0]["explanation"] == "**example**\n\n```python\n# 2\nany([True, False])\n```"
