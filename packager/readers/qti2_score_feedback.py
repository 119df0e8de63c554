"""Feedback a QTI 2.1 / 3.0 item shows by its score: a condition whose branches test SCORE,
each setting feedback identifiers (a teacher's "all right" / "most right" / "fewer than
four" after six blanks worth a point each, as QTIWorks' language samples write it).

What such a feedback means is read from the branches that set it, not from its name:
"correct" when only the branch testing the full score (SCORE equal to, or at least, the
item's points or MAXSCORE) sets it; "incorrect" when every other branch, down to a final
`responseElse`, does; "partial" when only some of them do (a bank has feedback for a right
and a wrong answer only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from lxml import etree

from packager.readers.qti2_declarations import number
from packager.readers.qti2_dialect import Dialect
from packager.readers.qti2_item_reading import elements

Meaning = Literal["correct", "incorrect", "partial"]
_BRANCHES = ("responseIf", "responseElseIf", "responseElse")


def score_feedback(d: Dialect, processing: etree._Element, points: float | None,
                   responses: Iterable[str]) -> dict[str, Meaning]:
    """Feedback identifier → what it means, for the identifiers set by conditions on the
    score (`responses`: the item's response identifiers, which such a test does not read)."""
    answered = {r.upper() for r in responses}
    meanings: dict[str, Meaning] = {}
    for condition in d.descendants(processing, "responseCondition"):
        branches = [b for b in elements(condition) if d.name(b) in _BRANCHES]
        if (len(branches) < 2 or d.name(branches[-1]) != "responseElse"
                or not all(_tests_score(d, b, answered) for b in branches[:-1])
                or not _full_score(d, branches[0], points)):
            continue
        full = _identifiers(d, branches[0])
        others = Counter(i for b in branches[1:] for i in _identifiers(d, b))
        for identifier in full - others.keys():
            meanings[identifier] = "correct"
        for identifier, count in others.items():
            if identifier not in full:
                meanings[identifier] = ("incorrect" if count == len(branches) - 1
                                        else "partial")
    return meanings


def _tests_score(d: Dialect, branch: etree._Element, answered: set[str]) -> bool:
    """Whether a branch's test reads the score and no response."""
    test = next(iter(elements(branch)), None)
    if test is None or d.name(test) == "setOutcomeValue":
        return False
    read = {(d.get(v, "identifier") or "").upper()
            for v in [test, *test.iterdescendants()] if d.name(v) == "variable"}
    return any(name.endswith("SCORE") for name in read) and not read & answered


def _full_score(d: Dialect, branch: etree._Element, points: float | None) -> bool:
    """Whether a branch tests that SCORE is the item's points (`equal`, `match`, `gte`)."""
    test = elements(branch)[0]
    operands = elements(test)
    if d.name(test) not in ("equal", "match", "gte") or len(operands) != 2:
        return False
    named = [(d.get(o, "identifier") or "").upper() for o in operands
             if d.name(o) == "variable"]
    if named[:1] != ["SCORE"] or d.name(operands[0]) != "variable":
        return False
    other = operands[1]
    if d.name(other) == "variable":
        return (d.get(other, "identifier") or "").upper() == "MAXSCORE"
    value = number(d.text(other)) if d.name(other) == "baseValue" else None
    return value is not None and points is not None and value == points


def _identifiers(d: Dialect, branch: etree._Element) -> set[str]:
    """The identifiers a branch's own rules give an outcome (not those of a nested
    condition)."""
    return {d.text(value) for rule in elements(branch) if d.name(rule) == "setOutcomeValue"
            for value in rule.iter() if d.name(value) == "baseValue"
            and d.get(value, "baseType") == "identifier"}
