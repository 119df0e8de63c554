"""What reading one QTI 1.2 `<item>` gives: its result (the canonical fields, with notes),
or ItemError when it cannot be a question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["dropped", "changed"]
Note = tuple[Kind, str]


class ItemError(Exception):
    """The item cannot be read as a question (a message for a located diagnostic)."""


@dataclass
class ItemResult:
    ident: str
    title: str | None
    data: dict[str, Any] | None  # canonical question fields without `id`; None: not imported
    notes: list[Note] = field(default_factory=list)
    stimulus_of: str | None = None  # New Quizzes' parent_stimulus_item_ident
