"""Typed answers: text entries, inline choices and gap matches → short_answer, numeric or
fill_in_blanks.

One text entry with nothing before it in its paragraph and nothing shown after it, outside a
table cell or list item, is a short answer (its
mapping lists the accepted answers and their case rule), or numeric, with nothing before it,
when its response is a float or an
integer: the accepted values come from the response processing (`equal`, with the value or
the correct response, with an exact, absolute or relative tolerance, or a `gte`/`lte` range;
else the correct value), the text after the entry is the unit. Otherwise every entry, inline
choice (its correct option) and gap (the word of its correct pair) is a `[[blank]]` where it
stood, named after its response (`RESPONSE-<blank>` gives `<blank>` back); a numeric entry's
blank accepts its value as usually written (4 and 4.0), and one that accepts a range leaves
the item out. Blanks the processing scores each on its own become all or nothing (noted).
"""

from __future__ import annotations

import math
from typing import Any

from lxml import etree

from packager.model.types import plain_decimal
from packager.readers.imported import is_slug, slug, unique
from packager.readers.numeric_keys import range_instead
from packager.readers.qti2_declarations import number
from packager.readers.qti2_dialect import Unreadable, local, namespace
from packager.readers.qti2_html import blank_mark, replace_with_text
from packager.readers.qti2_items import Item


def blanks(item: Item, body: etree._Element, gap_match: etree._Element | None,
           inline: list[etree._Element]) -> dict[str, Any]:
    """Text entries, inline choices and the gaps of a gap match → [[blanks]]; one text entry
    on its own is a short answer or numeric question."""
    d = item.d
    if gap_match is None and len(inline) == 1 and d.name(inline[0]) == "textEntryInteraction":
        alone = _alone(inline[0])
        decl = item.declaration(inline[0])
        if decl.base_type in ("float", "integer"):
            return _numeric(item, inline[0], alone)
        # Text after a typed entry is the rest of a sentence with a blank (packager writes a
        # blank that opens a paragraph so), unlike a numeric entry's unit.
        if alone and decl.cardinality == "single" and _ends_text(item, inline[0], body):
            return _short_answer(item, inline[0])
    # element, response, answers, case sensitive (None: a choice, now typed: no opinion)
    slots: list[tuple[etree._Element, str, list[str], bool | None]] = []
    for entry in inline:
        decl = item.declaration(entry)
        if d.name(entry) == "inlineChoiceInteraction":
            texts = {d.get(c, "identifier"): d.text(c) for c in d.children(entry,
                                                                         "inlineChoice")}
            answers = [texts[k] for k in decl.accepted() if texts.get(k)]
            item.note(entry, "changed", "an inline choice becomes a blank typed in; its "
                      "other options are dropped")
            slots.append((entry, decl.identifier, answers, None))
        elif decl.base_type in ("float", "integer"):
            slots.append((entry, decl.identifier, _written_forms(item, entry), None))
        else:
            # Without a mapping the response must match exactly: case counts.
            typed = decl.full_credit() or [(value, True) for value in decl.correct]
            _leave_out_part_credit(item, entry)
            slots.append((entry, decl.identifier, [key for key, _ in typed],
                          any(sensitive for _, sensitive in typed)))
    if gap_match is not None:
        prompt_element = d.first(gap_match, "prompt")
        if prompt_element is not None:  # it introduces the text: it stays in its place
            prompt_element.tag = f"{{{namespace(prompt_element)}}}div"
        texts = {d.get(g, "identifier"): d.text(g) for g in d.children(gap_match, "gapText")}
        answers_of: dict[str, list[str]] = {}
        for first, second in item.pairs(gap_match):
            word, target = (texts.get(first), second) if first in texts else (
                texts.get(second), first)
            if word:
                answers_of.setdefault(target, []).append(word)
        for gap in d.descendants(gap_match, "gap"):
            ident = d.get(gap, "identifier") or ""
            slots.append((gap, ident, answers_of.get(ident, []), None))
        item.note(gap_match, "changed", "the gap match becomes blanks typed in; its word "
                  "choices are dropped")
        item.note_pair_scoring(item.declaration(gap_match), "gap")
        for child in list(gap_match):
            if d.name(child) in ("gapText", "gapImg"):
                replace_with_text(child, "")
    order = {e: i for i, e in enumerate(body.iter())}
    slots.sort(key=lambda s: order.get(s[0], 0))
    ids = unique([_blank_id(response, n) for n, (_, response, _, _) in enumerate(slots, 1)])
    blanks: dict[str, list[str]] = {}
    for blank, (element, _, answers, _) in zip(ids, slots, strict=True):
        if not answers:
            raise Unreadable(f"the blank {blank!r} has no correct answer")
        item.rich.blanks.append(blank)
        replace_with_text(element, blank_mark(len(item.rich.blanks) - 1))
        blanks[blank] = list(dict.fromkeys(answers))
    if gap_match is not None:
        _unwrap(gap_match)
    item.note_scored_per_blank([item.declaration(entry).identifier for entry in inline])
    fields: dict[str, Any] = {"type": "fill_in_blanks", "blanks": blanks}
    cases = {s[3] for s in slots} - {None}
    if len(cases) > 1:
        item.note(body, "changed", "blanks differ in case sensitivity: all compare case")
    if True in cases:
        fields["case_sensitive"] = True
    return fields


def _blank_id(response: str, n: int) -> str:
    rest = response.removeprefix("RESPONSE-")
    return rest if rest != response and is_slug(rest) else (
        response if is_slug(response) else slug(response, f"blank-{n}"))


# Elements inside a paragraph: an entry wrapped in one (`<b>` of `**[[b]]**`) stands where
# the wrapper stands.
_INLINE = frozenset({
    "a", "abbr", "b", "big", "cite", "code", "dfn", "em", "i", "kbd", "q", "samp", "small",
    "span", "strong", "sub", "sup", "tt", "var",
})


def _alone(element: etree._Element) -> bool:
    """Whether an inline interaction has no text before it in its paragraph."""
    node = element
    while (parent := node.getparent()) is not None:
        # Its parent's only child, so what comes before it is the parent's text (asked first:
        # the texts before it in a paragraph of thousands of elements took quadratic time).
        if len(parent) != 1 or (parent.text or "").strip():
            return False
        if etree.QName(parent).localname not in _INLINE:
            return True
        node = parent
    return True


# Blocks that are a part of a larger whole: an entry alone in one (a table's cell, a list's
# item) stands in that whole, where a short answer's box, under the text, does not.
_PARTS = frozenset({"caption", "dd", "dt", "li", "td", "th"})
# What shows with no text in it.
_SHOWN = frozenset({"audio", "hr", "iframe", "img", "math", "object", "svg", "video"})
# Taken out of the body after the interactions are read (feedback, not prompt).
_FEEDBACK = frozenset({"feedbackBlock", "feedbackInline"})


def _ends_text(item: Item, element: etree._Element, body: etree._Element) -> bool:
    """Whether an inline interaction is where a short answer's box stands: after all the
    body shows (a text after it, even in the next paragraph, made it a blank there) and in
    no table cell or list item (whose place in the table or list would be lost)."""
    node = element
    while node is not body and (parent := node.getparent()) is not None:
        if local(parent) in _PARTS or (node.tail or "").strip():
            return False
        if any(_shows(item, after) for after in node.itersiblings()):
            return False
        node = parent
    return True


def _shows(item: Item, element: etree._Element) -> bool:
    """Whether an element (or its tail) shows the learner something besides feedback."""
    stack = [element]
    while stack:
        node = stack.pop()
        if (node.tail or "").strip():
            return True
        if not isinstance(node.tag, str) or item.d.name(node) in _FEEDBACK:
            continue
        if (node.text or "").strip() or local(node) in _SHOWN:
            return True
        stack.extend(node)
    return False


def _unwrap(element: etree._Element) -> None:
    """Put an element's text and children in its place."""
    parent = element.getparent()
    assert parent is not None
    index = parent.index(element)
    children = list(element)
    tail = element.tail or ""
    if children:
        element.tail = None  # it goes after the children
    replace_with_text(element, element.text or "")
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail


def _short_answer(item: Item, element: etree._Element) -> dict[str, Any]:
    decl = item.declaration(element)
    if decl.mapping:
        entries = decl.full_credit()
        _leave_out_part_credit(item, element)
    else:
        entries = [(k, True) for k in decl.correct if k.strip()]
    if not entries:
        raise Unreadable("the text entry has no correct answer")
    replace_with_text(element, "")
    return {"type": "short_answer",
            "answers": [{"text": k, "case_sensitive": cs} for k, cs in entries]}


def _leave_out_part_credit(item: Item, element: etree._Element) -> None:
    """Note the mapped answers worth part of the credit: the question has no partial credit
    per answer, and accepting them would give them full marks."""
    decl = item.declaration(element)
    full = decl.full_marks()
    for key, value in decl.part_credit():
        item.note(element, "dropped", f"the answer {key!r} is left out: it scores {value:g} "
                  f"of {full:g}, and a typed answer is either right or wrong here (it is "
                  "marked wrong)")


def _numeric(item: Item, element: etree._Element, alone: bool) -> dict[str, Any]:
    decl = item.declaration(element)
    fields: dict[str, Any] = {"type": "numeric"}
    if alone and (unit := (element.tail or "").strip()):
        fields["unit"] = unit
        element.tail = None
    answer = _numeric_rule(item, decl.identifier)
    if answer is None:
        value = number(next(iter(decl.accepted()), None))
        if value is None:
            raise Unreadable("the numeric entry has no correct value")
        answer = {"value": value}
    fields["answer"] = answer
    # An entry within a sentence leaves a visible gap where the number goes.
    replace_with_text(element, "" if alone else "___")
    return fields


def _written_forms(item: Item, element: etree._Element) -> list[str]:
    """The answers a blank accepts for a numeric entry: QTI compares the number typed, a
    blank compares text, so each accepted value is written as people usually write it (see
    `_spellings`). A tolerance or a range has no typed form: the item is left out."""
    decl = item.declaration(element)
    rule = _numeric_rule(item, decl.identifier)
    if rule is not None and not rule.get("tolerance", 0) and "value" in rule:
        values: list[float | None] = [rule["value"]]
    elif rule is not None:
        raise Unreadable(f"the numeric entry {decl.identifier!r} accepts a range of values, "
                         "which a typed blank cannot")
    else:
        values = [number(v) for v in decl.accepted()]
    if not values or None in values:
        raise Unreadable(f"the numeric entry {decl.identifier!r} has no correct value")
    forms = list(dict.fromkeys(f for v in values if v is not None
                               for f in _spellings(v, decl.base_type == "float")))
    item.note(element, "changed", f"the numeric entry becomes a blank typed in, accepting "
              f"{', '.join(repr(f) for f in forms)}: other ways of writing the number are "
              "marked wrong")
    return forms


def _spellings(value: float, is_float: bool) -> list[str]:
    """A number as people write it: plain decimal (4, 2.5, 1000, 0.001); a whole number
    in a float entry also with one decimal place (4.0), as it is often given. Other forms
    (4.00, .5, a decimal comma, 4e0) are left out: they are rarer, and each is one more
    text to list and keep in step."""
    plain = plain_decimal(value)
    if is_float and "." not in plain:
        return [plain, f"{plain}.0"]
    return [plain]


def _numeric_rule(item: Item, response: str) -> dict[str, Any] | None:
    """The accepted values from the response processing: `equal` (exact, absolute or
    relative tolerance) or a `gte`/`lte` range. Any other value or bound the processing
    compares the response with is noted (`_unread`)."""
    d = item.d
    for equal in d.descendants(item.processing, "equal"):
        value = _compared(item, equal, response)
        if value is None:
            continue
        mode = d.get(equal, "toleranceMode") or "exact"
        tolerances = [number(t) for t in (d.get(equal, "tolerance") or "0").split()]
        low, high = (tolerances + tolerances)[:2] if tolerances else (0.0, 0.0)
        if low is None or high is None or low < 0 or high < 0:
            continue
        if mode == "relative":
            low, high = abs(value[1]) * low / 100, abs(value[1]) * high / 100
            item.note(equal, "changed", "a relative tolerance becomes an absolute one")
        # packager's own rule tests the bounds computed in decimal beside the tolerance
        # (qti_rules.exact_rules): those are this answer's.
        _unread(item, response, {equal}, (value[1], value[1] - low, value[1] + high))
        if mode == "exact":
            return {"value": value[1]}
        if low != high:
            # A range shows no key: told, as the QTI 1.2 and Blackboard readers tell it.
            least, most = value[1] - low, value[1] + high
            item.note(equal, "changed", range_instead(
                plain_decimal(value[1]), plain_decimal(least), plain_decimal(most), high > low))
            return {"min": least, "max": most}
        return {"value": value[1], "tolerance": low}
    bounds: dict[str, float] = {}
    used: set[etree._Element] = set()
    for name in ("gte", "gt", "lte", "lt"):
        for element in d.descendants(item.processing, name):
            found = _compared(item, element, response)
            if found is None:
                continue
            lower = (name in ("gte", "gt")) == found[0]
            side = "min" if lower else "max"
            if side not in bounds:
                bounds[side] = found[1]
                used.add(element)
            if name in ("gt", "lt"):
                item.note(element, "changed", "a strict bound becomes an inclusive one")
    if len(bounds) == 2 and bounds["min"] <= bounds["max"]:
        _unread(item, response, used, (bounds["min"], bounds["max"]))
        return bounds
    return None


def _unread(item: Item, response: str, used: set[etree._Element],
            bounds: tuple[float, ...]) -> None:
    """Note each comparison of the response the answer read does not account for: another
    value or range the processing accepts (`or` of 5 and 10, of 1..2 and 5..6), which a
    numeric question, of one value or range, would mark wrong. A value equal to one of the
    answer's `bounds` (or its key) is the answer's (a feedback rule may test the key again)."""
    d = item.d
    unread: list[tuple[etree._Element, str]] = []
    for name in ("equal", "gte", "gt", "lte", "lt"):
        for element in d.descendants(item.processing, name):
            found = None if element in used else _compared(item, element, response)
            if found is not None and not any(
                    math.isclose(found[1], bound, rel_tol=1e-12, abs_tol=0) for bound in bounds):
                unread.append((element, f"{plain_decimal(found[1])} ({name})"))
    if unread:
        shown = ", ".join(text for _, text in unread[:5])
        more = f" … ({len(unread)} in all)" if len(unread) > 5 else ""
        item.note(unread[0][0], "dropped", f"the response processing also compares the answer "
                  f"with {shown}{more}, which {'is' if len(unread) == 1 else 'are'} not read: a "
                  "numeric question accepts one value or range")


def _compared(item: Item, element: etree._Element, response: str) -> tuple[bool, float] | None:
    """(the variable comes first, the number) when `element` compares `response` with a
    number, else None."""
    d = item.d
    operands = [c for c in element if isinstance(c.tag, str)]
    if len(operands) != 2:
        return None
    names = [d.name(o) for o in operands]
    if "variable" not in names:
        return None
    first = names.index("variable")
    if d.get(operands[first], "identifier") != response:
        return None
    other = operands[1 - first]
    if names[1 - first] == "baseValue":
        value = number(d.text(other))
    elif names[1 - first] == "correct" and d.get(other, "identifier") == response:
        # ONYX compares with the declared correct value: its tolerance counts as well.
        correct = item.decls[response].correct if response in item.decls else []
        value = number(correct[0]) if len(correct) == 1 else None
    else:
        return None
    return None if value is None else (first == 0, value)
