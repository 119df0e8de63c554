"""Choice items of QTI 1.2 (single choice, multiple answers, true/false, ordering) → question
fields.

The correct choices are those the scoring conditions test (qti12_xml.correct_values). Choice
ids are the response label idents when all of them are slugs, else letters `a`, `b` … in order.
An ordered response's order is the sequence its scoring condition tests the items in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from packager.feedback_idents import answer_feedback_ident
from packager.readers.imported import is_slug
from packager.readers.qti12_xml import (
    correct_values,
    descendants,
    label_text,
    material_html,
    scored_equals,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml import etree

    from packager.readers.qti12_items import _ItemRead

_TRUTH = {"true": True, "false": False}


# D2L names a choice `<label>_A<n>` and its feedback `<label>_IF<n>`, linked by no
# displayfeedback (its multi-select) or by one (its true/false).
_D2L_CHOICE = re.compile(r"(?P<label>.+)_A(?P<n>\d+)")


def feedback_idents(ident: str, linked: Sequence[str] = ()) -> tuple[str, ...]:
    """The itemfeedback idents that may hold a choice's feedback, most specific first: by
    the names exporters give them, then those a condition testing only this choice shows
    (`linked`: _linked_feedback's, QTI's own link such as `fb_QUE_1006_A2`)."""
    d2l = _D2L_CHOICE.fullmatch(ident)
    return (answer_feedback_ident(ident), ident,
            *([f"{d2l['label']}_IF{d2l['n']}"] if d2l else []), *linked)


def _linked_feedback(read: _ItemRead) -> dict[str, list[str]]:
    """Per choice ident, the feedback idents a condition testing only that choice shows
    (`<displayfeedback linkrefid>`), other than the general, correct and incorrect ones:
    worked out once per item (per choice, every condition was read again for each)."""
    from packager.readers.qti12_items import CORRECT, GENERAL, INCORRECT

    standard = {*GENERAL, *CORRECT, *INCORRECT}
    linked: dict[str, dict[str, None]] = {}  # a dict for its order, and a set of what is in it
    for condition in read.conditions:
        tested = {t.value.strip() for t in condition.tests if not t.negated}
        if condition.other or len(tested) != 1 or any(
                t.op != "varequal" for t in condition.tests):
            continue
        linked.setdefault(next(iter(tested)), {}).update(
            dict.fromkeys(f for f in condition.feedback if f and f not in standard))
    return {choice: list(shown) for choice, shown in linked.items()}


def _choice_feedback(read: _ItemRead, ident: str, linked: list[str]) -> str | None:
    """A choice's feedback: the first of `feedback_idents` the item has, then every other
    feedback a condition testing only this choice shows, in the order shown (picking the
    choice showed them all: a second was dropped as belonging to no answer)."""
    idents = feedback_idents(ident, linked)
    taken = next((i for i in idents if i in read.feedback), None)
    if taken is None:
        return None
    texts = [read.take_feedback(taken)]
    texts += [read.take_feedback(i) for i in linked if i != taken and i in read.feedback]
    return "\n\n".join(text for text in texts if text) or None


class ChoiceLabel(NamedTuple):
    ident: str
    element: etree._Element


def choice_labels(lid: etree._Element) -> list[ChoiceLabel]:
    return [ChoiceLabel(e.get("ident") or "", e) for e in descendants(lid, "response_label")]


def is_true_false(labels: list[ChoiceLabel]) -> bool:
    texts = sorted(label_text(label.element).casefold() for label in labels)
    return texts == ["false", "true"]


def _choice_ids(labels: list[ChoiceLabel]) -> list[str]:
    idents = [label.ident for label in labels]
    if all(is_slug(i) for i in idents) and len(set(idents)) == len(idents):
        return idents
    return [chr(ord("a") + n) if n < 26 else f"c{n + 1}" for n in range(len(labels))]


def choice_fields(read: _ItemRead, qtype: str,
                  labels: list[ChoiceLabel]) -> dict[str, Any] | None:
    """The fields of a choice question (None, with a note, when it is left out)."""
    from packager.readers.qti12_item_result import ItemError

    values = correct_values(read.conditions)
    keys = set(values)
    unknown = [value for value in values if value not in {label.ident for label in labels}]
    if unknown:  # Blackboard's positional `answer_0` read as QTI: the key is not known
        raise ItemError(f"the response processing scores the choice {unknown[0]!r}, which the "
                        "item does not have: the key is not known")
    correct = [label.ident in keys for label in labels]
    if qtype == "true_false_question":
        if is_true_false(labels) and sum(correct) == 1:
            return _true_false(read, labels, correct)
        read.note("changed", "a true/false question whose answers are not True and False "
                  "became a single choice")
        qtype = "multiple_choice_question"
    multiple = qtype == "multiple_answers_question"
    if not any(correct):
        raise ItemError("no choice is marked correct by the response processing")
    if not multiple and sum(correct) > 1:
        read.note("changed", "a single choice question with several correct choices became "
                  "multiple response")
        multiple = True
    # Options without text are dropped: Canvas exports the empty options an author left in
    # its editor. An empty correct option is a key no learner can see: the question is left out.
    kept: list[tuple[ChoiceLabel, str, bool]] = []
    for label, right in zip(labels, correct, strict=True):
        text = read.rich(material_html(label.element))
        if text is None and right:
            read.note("dropped", f"not imported: the correct choice {label.ident!r} has no "
                      "text")
            return None
        if text is None:
            read.note("dropped", f"the choice {label.ident!r}: it has no text")
        else:
            kept.append((label, text, right))
    if len(kept) < 2:
        read.note("dropped", f"not imported: a choice question of {len(kept)} choice(s) with "
                  "text (it needs two)")
        return None
    shown = [label for label, _, _ in kept]
    choices: list[dict[str, Any]] = []
    linked = _linked_feedback(read)
    for (label, text, right), choice_id in zip(kept, _choice_ids(shown), strict=True):
        choice: dict[str, Any] = {"id": choice_id, "text": text}
        if right:
            choice["correct"] = True
        feedback = _choice_feedback(read, label.ident, linked.get(label.ident, []))
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    data: dict[str, Any] = {"type": "multiple_response" if multiple else "single_choice",
                            "choices": choices}
    penalties = sorted({c.penalty for c in read.conditions
                        if c.penalty is not None and not c.other})
    if penalties and not multiple:
        read.note("changed", "negative scores of wrong choices ("
                  + ", ".join(f"{p:g}" for p in penalties) + "): picking one took marks off; "
                  "a wrong choice now scores 0")
    if multiple and read.partial_credit():
        data["scoring"] = "partial"
    shuffle = _shuffle(shown)
    if shuffle is not None:
        data["shuffle"] = shuffle
        if shuffle:
            for choice, label in zip(choices, shown, strict=True):
                if (label.element.get("rshuffle") or "").lower() == "no":
                    choice["pinned"] = True
    return data


def ordering_fields(read: _ItemRead, lid: etree._Element) -> dict[str, Any] | None:
    """An ordered response (`rcardinality="Ordered"`): its items in the order the scoring
    condition tests them, or None (with a note) when that order is not sure.

    QTI 1.2 says the order in the one condition that scores the response: a `varequal` per
    item, in the correct order (IMS's BasicExample009b, New Quizzes' ordering_question).
    Anything else (several scoring conditions, a test that is not a plain `varequal` of this
    response, an item tested twice or never) is not read as an order: guessed, it would mark
    a learner's right order wrong."""
    labels = choice_labels(lid)
    by_ident = {label.ident: label for label in labels}
    respident = lid.get("ident") or ""
    scoring = [c for c in read.conditions if c.scores]
    tests = scoring[0].tests if len(scoring) == 1 else []
    order = [test.value for test in tests]
    sure = (
        len(scoring) == 1
        and all(t.op == "varequal" and not t.negated and t.respident == respident
                for t in tests)
        and len(by_ident) == len(labels) >= 2
        and len(set(order)) == len(order)
        and set(order) == set(by_ident)
    )
    if not sure:
        read.note("dropped", "not imported: an ordering question (rcardinality Ordered) whose "
                  "response processing does not test every item once, in order, in one "
                  "scoring condition: its correct order is not known")
        return None
    return _ordering(read, [by_ident[ident] for ident in order])


def position_ordering_fields(read: _ItemRead, group: etree._Element) -> dict[str, Any] | None:
    """Brightspace's ordering (a `response_grp` with `rcardinality="Ordered"`): the scoring
    conditions test each item's ident against its place, 1 to n (`varequal respident=
    "<item>">2`, adding to D2L_Correct), in any order. None (with a note) unless every item
    has one place and every place one item."""
    labels = choice_labels(group)
    by_ident = {label.ident: label for label in labels}
    places: dict[str, set[str]] = {}
    for test in scored_equals(read.conditions):
        if test.respident in by_ident:  # not D2L's own tallies (`respident="D2L_Incorrect"`)
            places.setdefault(test.respident, set()).add(test.value)
    at: dict[int, ChoiceLabel] = {}
    for ident, values in places.items():
        (place,) = values if len(values) == 1 else ("",)
        if place.isascii() and place.isdigit() and 1 <= int(place) <= len(labels):
            at.setdefault(int(place), by_ident[ident])
    if not (len(by_ident) == len(labels) >= 2 and len(at) == len(places) == len(labels)):
        read.note("dropped", "not imported: a Brightspace ordering question whose response "
                  f"processing does not give each of its {len(labels)} items one position "
                  f"from 1 to {len(labels)}: its correct order is not known")
        return None
    return _ordering(read, [at[place] for place in sorted(at)])


def _ordering(read: _ItemRead, labels: list[ChoiceLabel]) -> dict[str, Any] | None:
    """An ordering question of these items, in this order (None when one has no text)."""
    items = [read.rich(material_html(label.element)) for label in labels]
    if not all(items):
        read.note("dropped", "not imported: an ordering question with an item without text")
        return None
    return {"type": "ordering", "items": items}


def _shuffle(labels: list[ChoiceLabel]) -> bool | None:
    """The render_choice's own `shuffle` attribute (the CC profile writes one; Canvas does not:
    it shuffles per quiz)."""
    if not labels:
        return None
    parent = labels[0].element.getparent()
    value = parent.get("shuffle") if parent is not None else None
    return None if value is None else value.lower() == "yes"


def _true_false(read: _ItemRead, labels: list[ChoiceLabel], correct: list[bool]) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "true_false"}
    linked = _linked_feedback(read)
    for label, right in zip(labels, correct, strict=True):
        truth = _TRUTH[label_text(label.element).casefold()]
        if right:
            data["answer"] = truth
        feedback = _choice_feedback(read, label.ident, linked.get(label.ident, []))
        if feedback:
            data["feedback_true" if truth else "feedback_false"] = feedback
    return data
