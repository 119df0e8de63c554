"""Moodle's grading, as a bank carries it (shared by the Moodle XML and GIFT readers): a
multi-answer question's fractions, per-pair and per-gap scores, short answers' wildcards and
qtype_ordering's settings, with the notes for what a bank grades otherwise.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Literal

from packager.readers.imported import equal_shares, first_named, shares_changed
from packager.readers.numbers import is_written_number


def multi_scoring(fractions: list[float]) -> tuple[Literal["all_or_nothing", "partial"],
                                                  str | None]:
    """The canonical scoring of a multi-answer question (Moodle XML `single=false`, GIFT
    weights without `=`) from its options' fractions (at least one above 0), and what the
    bank then grades otherwise than Moodle (None: every set of picks gets Moodle's grade).

    Moodle grades the sum of the picked options' fractions, kept between 0 and 100 %.
    `partial` is that sum for +100/n on each of the n right options and -100/n on each
    wrong one, so those fractions (or no wrong option at all) are carried as they are; with
    one right option, -100 on the wrong ones is all-or-nothing as well. -100 on every wrong
    option beside several right ones (packager's own export of all-or-nothing) is read as
    all-or-nothing, the nearest rule, but in Moodle a subset of the right options alone
    earned its share: noted, as are fractions of any other shape, read as partial."""
    right = [f for f in fractions if f > 0]
    wrong = [f for f in fractions if f <= 0]
    share = 100 / len(right)

    def near(values: list[float], target: float) -> bool:
        return all(abs(f - target) < 1e-3 * max(1, abs(target)) for f in values)

    if wrong and all(f <= -99.999 for f in wrong):
        if len(right) > 1:
            return "all_or_nothing", (
                "the options' fractions: in Moodle some of the right options and no wrong "
                "one earned part of the marks; all-or-nothing scoring gives marks only for "
                "exactly the right options")
        if not near(right, 100):
            return "all_or_nothing", (
                f"the options' fractions: the right option earned {right[0]:g} % in Moodle, "
                "and now earns the whole mark")
        return "all_or_nothing", None
    if near(right, share) and near(wrong, -share):
        return "partial", None
    return "partial", (
        "the options' fractions: every right option now earns the same share, and every "
        "wrong one costs as much as a right one earns")


def per_gap_note(weights: list[int], points: float) -> str | None:
    """The note for a question whose gaps Moodle scored each by its weight (a cloze gap's
    `{2:SA:…}`), unless the weights are equal: a bank's fill-in-the-blanks question gives
    each right blank an equal share (imported.shares_changed)."""
    if len(weights) < 2 or equal_shares([float(w) for w in weights], len(weights)):
        return None
    shown = ", ".join(first_named([str(w) for w in weights]))
    return shares_changed("Moodle", "gap", f"each right gap earns its weight: {shown} of "
                          f"{sum(weights)}", points)


# A short answer's wildcard: a '*' that no backslash makes literal (qtype_shortanswer).
ALL_WILDCARDS = ("the whole question: every right answer holds Moodle's wildcard '*', which a "
                 "bank's answer cannot")


def wildcard_dropped(answer: str) -> str:
    """The note for a right short answer with a wildcard: the bank would accept it only as
    typed, '*' and all, where Moodle accepted any characters in its place."""
    return (f"the answer {answer!r}: its '*' stands for any characters in Moodle, which a "
            "bank's answer cannot (it would accept only the text as typed)")


# qtype_ordering's grading names (set_options_for_import), each by its full name.
_ORDER_GRADING = {
    "ALL_OR_NOTHING": "ALL_OR_NOTHING", "ABS": "ABSOLUTE_POSITION", "ABSOLUTE": "ABSOLUTE_POSITION",
    "ABSOLUTE_POSITION": "ABSOLUTE_POSITION",
    "RELATIVE_NEXT_INCLUDE_LAST": "RELATIVE_NEXT_INCLUDE_LAST",
    "RELATIVE_ONE_PREVIOUS_AND_NEXT": "RELATIVE_ONE_PREVIOUS_AND_NEXT",
    "RELATIVE_ALL_PREVIOUS_AND_NEXT": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "LONGEST_ORDERED_SUBSET": "LONGEST_ORDERED_SUBSET",
    "LONGEST_CONTIGUOUS_SUBSET": "LONGEST_CONTIGUOUS_SUBSET",
    "RELATIVE_TO_CORRECT": "RELATIVE_TO_CORRECT",
}
_MIN_SUBSET = 2  # qtype_ordering's MIN_SUBSET_ITEMS


def ordering_changes(select: str, count: str, grading: str,
                     items: int) -> tuple[str | None, str | None]:
    """What a bank's ordering question (every item shown, all or nothing) changes of
    qtype_ordering's settings, read as Moodle reads them: (the items shown, the grading),
    None where nothing changes. Unknown names are Moodle's defaults: a random subset and
    RELATIVE_NEXT_EXCLUDE_LAST grading; a subset count below 2 is 2."""
    select = select.strip().upper()
    number = read_number(count.strip())
    subset = int(number) if number is not None and number >= _MIN_SUBSET else _MIN_SUBSET
    shown = None
    if select not in ("ALL", "EXACT") and subset < items:
        how = "in one run" if select in ("CONTIGUOUS", "CONTIG") else "chosen at random"
        shown = (f"Moodle showed each learner {subset} of the {items} items ({how}); every "
                 "item is shown now")
    name = _ORDER_GRADING.get(grading.strip().upper(), "RELATIVE_NEXT_EXCLUDE_LAST")
    grade = None if name == "ALL_OR_NOTHING" else (
        f"Moodle's {name} grading gave part of the marks for a partly right order; the "
        "order is now right or wrong as a whole")
    return shown, grade


def is_number(text: str) -> bool:
    """Whether Moodle reads `text` as a number (a decimal comma too), however large: `1e999`
    is one (PHP reads it as INF), if not one a bank holds; `ten`, `inf` and `nan` are none
    (PHP's is_numeric refuses them, and `1_000` and `١٢`, which Python reads)."""
    written = text.replace(",", ".")
    if not is_written_number(written):
        return False
    try:
        return Decimal(written.strip()).is_finite()
    except InvalidOperation:  # past its exponent limit
        return False


def read_number(text: str) -> float | None:
    written = text.replace(",", ".")
    if not is_written_number(written):
        return None
    value = float(written)
    return value if math.isfinite(value) else None
