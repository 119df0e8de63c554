"""Blackboard's partial credit of a choice item, as a bank grades it otherwise; used by
readers/blackboard_items.py.

With `bbmd_partialcredit` true, an answer can have its own "Partial Credit %" of the points
(negative for a wrong answer when negative scores are allowed): one condition per answer,
`<varequal respident="ANSWER" case="No"/>` (the answer's ident as the respident, no text) with
`<setvar action="Set">PERCENT</setvar>`. A bank has no per-answer weights: a single choice
gives points only for the right answer, and a multiple response scored `partial` gives each
right pick 1/n of the points and takes as much off for each wrong one (never below 0), which
is Learn's own formula for a Multiple Answer with partial credit and no percentages (Learn 9
exports write no per-answer conditions then). What differs is noted, naming the percentages;
the key and the scoring are read as before.

Without the flag the percentages are not trusted: generators write 100 and 0 per answer when
partial credit is off, and Ultra writes 0 for every answer, the right one too (canvas-lms's
`bbultra` fixture), so they say nothing about the grade.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from packager.readers.imported import first_named

# One run of digits before the point (two side by side split a long run every way).
_NUMBER = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$")
_NAME_CHARS = 40  # an answer named in a note is cut to this many characters


def credit_notes(element: etree._Element, idents: list[str], choices: list[dict[str, Any]],
                 single: bool) -> list[str]:
    """The "changed" notes for a choice item's partial credit (none when the bank grades as
    Blackboard did, or when the item does not give partial credit)."""
    if _metadata(element, "bbmd_partialcredit") != "true":
        return []
    notes = []
    percent = percentages(element, set(idents))
    graded = [(choice, percent[ident]) for choice, ident in zip(choices, idents, strict=True)
              if ident in percent]
    message = _single(graded) if single else _multiple(graded, choices)
    if message is not None:
        notes.append(message)
    negative = _metadata(element, "bbmd_negative_points_ind")
    if negative not in ("", "N"):
        # What Learn's other values mean exactly is not published: say only what is lost.
        notes.append(f"Blackboard's negative-points setting (bbmd_negative_points_ind "
                     f"{negative!r}) is not carried: here the question never scores below 0")
    return notes


def percentages(element: etree._Element, idents: set[str]) -> dict[str, float]:
    """Each answer's percentage of the points, by ident, from the per-answer conditions (the
    first one of an answer counts, as Learn writes one; a score that is no number is
    skipped)."""
    found: dict[str, float] = {}
    for cond in element.iterfind("resprocessing/respcondition"):
        tests = list(cond.iterfind("conditionvar/*"))
        if len(tests) != 1 or tests[0].tag != "varequal" or (tests[0].text or "").strip():
            continue
        ident = tests[0].get("respident") or ""
        score = (cond.findtext("setvar") or "").strip()
        if ident in idents and ident not in found:
            if score == "SCORE.max":
                found[ident] = 100.0
            elif _NUMBER.match(score):
                found[ident] = float(score)
    return found


def _single(graded: list[tuple[dict[str, Any], float]]) -> str | None:
    """A single choice (or one with several right answers, all or nothing): only a right
    answer earns points, every other one is worth 0."""
    terms = [f"{_named(choice)} {'earned' if value > 0 else 'cost'} {abs(value):g} %"
             for choice, value in graded if not choice["correct"] and value != 0]
    if not terms:
        return None
    return (f"partial credit: in Blackboard {', '.join(first_named(terms))} of the points; "
            "here an answer that is not right is worth 0")


def _multiple(graded: list[tuple[dict[str, Any], float]],
              choices: list[dict[str, Any]]) -> str | None:
    """A multiple response scored `partial`: the same as Blackboard only for +100/n on each of
    the n right answers and -100/n on each wrong one (packager's own export)."""
    right = sum(1 for choice in choices if choice["correct"])
    # No right answer worth anything is no weighting (Ultra writes 0 for every answer): the
    # formula Learn grades by then (1/n per right pick, as much off per wrong one) is `partial`.
    if not right or not any(value > 0 and choice["correct"] for choice, value in graded):
        return None
    share = 100 / right
    if all(abs(value - (share if choice["correct"] else -share)) < 1e-3
           for choice, value in graded):
        return None
    terms = [f"{_named(choice)} {value:g} %" for choice, value in graded]
    return (f"partial credit: in Blackboard the answers earned {', '.join(first_named(terms))} "
            f"of the points; here each right pick earns 1/{right} of them and each wrong pick "
            f"costs 1/{right} (never below 0)")


def _named(choice: dict[str, Any]) -> str:
    """An answer as a note names it: its plain text in quotes, cut when long."""
    from packager.richtext_plain import plain_text

    text = " ".join(plain_text(choice["text"]).split())
    if len(text) > _NAME_CHARS:
        text = text[: _NAME_CHARS - 1] + "…"
    return repr(text)


def _metadata(element: etree._Element, name: str) -> str:
    return (element.findtext(f"itemmetadata/{name}") or "").strip()
