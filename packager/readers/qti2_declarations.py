"""A QTI 2.1 / 3.0 item's response declarations (what is correct, and how responses map to
scores), and the finite numbers they are read as.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

from packager.readers.numbers import is_written_number
from packager.readers.qti2_dialect import Dialect


def number(text: str | None) -> float | None:
    """A finite number, or None ("1_000" and "١٢", which float() reads, too)."""
    if text is None or not is_written_number(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


@dataclass
class Declaration:
    """A responseDeclaration: what is correct, and how responses map to scores."""

    identifier: str
    cardinality: str
    base_type: str
    correct: list[str] = field(default_factory=list)
    mapping: list[tuple[str, float, bool]] = field(default_factory=list)  # key, value, case
    upper_bound: float | None = None
    lower_bound: float | None = None
    default_value: float = 0.0  # what a value the mapping does not list scores
    mapping_element: etree._Element | None = None  # where notes about the scoring point

    def accepted(self) -> list[str]:
        """The correct values: the correct response, else the keys mapped to credit."""
        return self.correct or self.credited()

    def credited(self) -> list[str]:
        return [key for key, value, _ in self.mapping if value > 0 and key.strip()]

    def mapped_maximum(self) -> float | None:
        """The most a response scores through the mapping: its upper bound, else what every
        credited key (one, for a single response) adds up to; None when nothing scores."""
        credits = [value for _, value, _ in self.mapping if value > 0]
        if self.upper_bound is not None:
            return self.upper_bound
        if credits:
            return sum(credits) if self.cardinality != "single" else max(credits)
        return None

    def full_marks(self) -> float:
        """What the best mapped key scores (the mapping's upper bound caps it); 0 when no
        key scores."""
        best = max((value for key, value, _ in self.mapping if value > 0 and key.strip()),
                   default=0.0)
        return best if self.upper_bound is None else min(best, self.upper_bound)

    def full_credit(self) -> list[tuple[str, bool]]:
        """What a learner may type, with its case rule: the keys mapped to full marks (a text
        entry's mapping lists the alternatives; its correct response only one of them). A
        typed answer is right or wrong, so a key worth part of that is not among them."""
        full = self.full_marks()
        return [(key, sensitive) for key, value, sensitive in self.mapping
                if full > 0 and value >= full and key.strip()]

    def part_credit(self) -> list[tuple[str, float]]:
        """The keys mapped to less than full marks, with what they score."""
        full = self.full_marks()
        return [(key, value) for key, value, _ in self.mapping
                if 0 < value < full and key.strip()]


def declarations(d: Dialect, root: etree._Element) -> dict[str, Declaration]:
    found: dict[str, Declaration] = {}
    for element in d.children(root, "responseDeclaration"):
        decl = Declaration(
            d.get(element, "identifier") or "",
            d.get(element, "cardinality") or "single",
            d.get(element, "baseType") or "identifier",
        )
        correct = d.first(element, "correctResponse")
        if correct is not None:
            decl.correct = [v for v in (d.text(value) for value in d.children(correct, "value"))
                            if v]
        mapping = d.first(element, "mapping")
        if mapping is not None:
            decl.upper_bound = number(d.get(mapping, "upperBound"))
            decl.lower_bound = number(d.get(mapping, "lowerBound"))
            decl.default_value = number(d.get(mapping, "defaultValue")) or 0.0
            decl.mapping_element = mapping
            for entry in d.children(mapping, "mapEntry"):
                value = number(d.get(entry, "mappedValue"))
                sensitive = (d.get(entry, "caseSensitive") or "true").strip() != "false"
                decl.mapping.append((d.get(entry, "mapKey") or "", value or 0.0, sensitive))
        found[decl.identifier] = decl
    return found
