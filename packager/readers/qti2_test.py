"""A QTI 2.1 / 3.0 test as read for a bank (its identifier, title, description, settings
and sections), and the bank's sections over the questions read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packager.readers.imported import is_slug, slug, unique


@dataclass
class Section:
    identifier: str
    title: str
    pick: int | None
    items: list[str] = field(default_factory=list)  # package paths


@dataclass
class Test:
    identifier: str = ""
    title: str = ""
    description: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)


def strip(identifier: str, prefix: str) -> str | None:
    rest = identifier.removeprefix(prefix)
    return rest if rest != identifier and is_slug(rest) else None


def bank_sections(
    sections: list[Section], kept: dict[str, str], questions: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The test's sections over the questions read; one section holding every question
    without selection is no sectioning at all."""
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    ids = unique([strip(s.identifier, "section-") or slug(s.identifier or s.title,
                                                            f"section-{n}")
                  for n, s in enumerate(sections, 1)])
    for sid, section in zip(ids, sections, strict=True):
        members = [kept[p] for p in dict.fromkeys(section.items) if p in kept
                   and kept[p] not in placed]
        placed.update(members)
        if members:
            entry: dict[str, Any] = {"id": sid, "title": section.title or sid,
                                     "question_ids": members}
            if section.pick is not None:
                entry["pick"] = min(section.pick, len(members))
            out.append(entry)
    rest = [q["id"] for q in questions if q["id"] not in placed]
    if out and rest:
        out.append({"id": unique([*ids, "other"])[-1], "title": "Other questions",
                    "question_ids": rest})
    if len(out) == 1 and "pick" not in out[0]:
        return None
    return out or None
