"""Fill-in-the-blanks items of QTI 1.2 → question fields.

Canvas (fill_in_multiple_blanks, multiple_dropdowns) writes one `response_lid` per blank,
named in the question text as `[name]`; the name is the lid's material, else its ident
without `response_`. IMS's examples and Brightspace instead put a `response_str` box
between the pieces of the text, one per blank: each blank is where its box is, and accepts
what the scoring conditions compare that box with. Each blank becomes `[[id]]` in the
prompt: the text is converted to Markdown with a mark no text holds in each blank's place,
and the marks become `[[id]]` after.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any, Literal

from packager.readers.imported import is_slug, slug, unique
from packager.readers.qti12_choices import ChoiceLabel, choice_labels
from packager.readers.qti12_xml import (
    RESPONSES,
    Test,
    correct_values_by_response,
    descendants,
    inline_html,
    kid,
    label_text,
    local,
    material_html,
    scored_equals,
)

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.qti12_items import _ItemRead

BLANK_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000([0-9]{1,6})\ue001")  # bounded: int() refuses 4,300 digits
BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # a [name] of a blank, as the text shows it
# What a blank's name cannot hold: a bracket (the text could not show it) or a mark's ends.
_NOT_A_NAME = re.compile("[\\[\\]\ue000\ue001]")
# New Quizzes' answer_type of a blank's labels when the learner picks one (its openEntry is
# typed), as the notes name them.
_PICKED = {"dropdown": "dropdown", "wordbank": "word bank"}
# An HTML piece that is one paragraph and nothing else: <p …>inline content</p>.
_ONE_PARAGRAPH = re.compile(r"\s*<p(?:\s[^>]*)?>((?:(?!</?p[\s>/]).)*)</p>\s*", re.S | re.I)
# New Quizzes' scorings of a typed blank that accept more than the answer itself.
_LOOSER = {"TextContainsAnswer": "any answer that contains",
           "TextCloseEnough": "answers a few typing errors away from"}
_NAMES_SHOWN = 5  # of the blank names an error lists: a quiz may have thousands


def blanks(read: _ItemRead, given: Literal["typed", "dropdowns", "untyped"]
           ) -> dict[str, Any] | None:
    """The fields of a fill-in-the-blanks item (None, with a note, when it is left out), of
    blanks `given` as typed (fill_in_multiple_blanks: every label accepted), as dropdowns
    (only the label the scoring rewards), or with no question type (`untyped`): Canvas writes
    both alike, so only the rewarded label is sure to be right; the others, wrong options or
    more accepted answers, are dropped with a note."""
    from packager.readers.qti12_item_result import ItemError

    if next(descendants(read.item, "response_lid"), None) is None:
        boxes = list(descendants(read.item, "response_str"))
        if boxes:
            return _boxes(read, boxes)
    markup = read.question_html()
    # Every [name] of the text, found once (thousands of blanks each looked for, then
    # replaced, in all of the text took quadratic time).
    shown = set(BRACKETED.findall(markup))
    by_response = correct_values_by_response(read.conditions)
    names: list[str] = []
    answers: list[list[str]] = []
    looked: list[str] = []  # the names of the blanks not in the text, for the error
    for lid in descendants(read.item, "response_lid"):
        ident = lid.get("ident") or ""
        material = kid(lid, "material")
        # The name the text shows the blank by: its material (Canvas), else its ident without
        # `response_` (New Quizzes, whose material is the blank's correct answer).
        candidates = [n for n in dict.fromkeys(
            (label_text(material) if material is not None else "",
             ident.removeprefix("response_"))) if n]
        named = [n for n in candidates if not _NOT_A_NAME.search(n)]
        if candidates and not named:
            raise ItemError(f"the blank name {candidates[0]!r} holds a bracket, which the "
                            "question text cannot show")
        name = next((n for n in named if n in shown), None)
        if name is None:
            looked.extend(named)
            read.note("dropped", f"the blank {' or '.join(map(repr, named)) or repr(ident)} "
                      "does not occur in the question text")
            continue
        labels = choice_labels(lid)
        texts = {label.ident: label_text(label.element) for label in labels}
        offered = "dropdown" if given == "dropdowns" else _offered(labels)
        if given == "untyped" and not offered:
            accepted = [texts[k] for k in by_response.get(ident, []) if texts.get(k)]
            others = [t for t in texts.values() if t and t not in accepted]
            if others:
                read.note("dropped", f"the answers of blank {name!r} its scoring does not "
                          f"reward ({', '.join(others)}): with no question type they may be "
                          "wrong options to pick from or more answers it accepts")
        elif offered:
            keys = [k for k in by_response.get(ident, []) if texts.get(k)]
            wrong = [t for k, t in texts.items() if k not in keys and t]
            if wrong:
                read.note("dropped", f"the wrong options of {offered} {name!r} "
                          f"({', '.join(wrong)}): it became a typed blank")
            accepted = [texts[k] for k in keys]
        else:
            # Typed blanks: every label is an accepted answer. Canvas scores only the first
            # in the response processing (Classic and New Quizzes' openEntry alike), though
            # it accepts them all.
            accepted = [t for t in texts.values() if t]
            for label in labels:
                algorithm = label.element.get("scoring_algorithm") or ""
                text = texts[label.ident]
                if algorithm == "TextRegex":
                    read.note("dropped", f"not imported: the blank {name!r} is scored by the "
                              f"pattern {text!r} (New Quizzes' TextRegex), which a bank's "
                              "blank cannot hold: taken as text, no answer would match it")
                    return None
                if algorithm in _LOOSER:
                    read.note("changed", f"the blank {name!r} accepted {_LOOSER[algorithm]} "
                              f"{text!r} ({algorithm}); it now accepts {text!r} itself")
        if not accepted:
            raise ItemError(f"the blank {name!r} has no correct answer")
        names.append(name)
        answers.append(list(dict.fromkeys(accepted)))
        read.parts[ident] = name
    if not names:
        raise ItemError("a fill-in-the-blanks question without a blank in its text "
                        f"({_looked_for(looked)})")
    if given == "dropdowns":
        read.note("changed", "multiple dropdowns became fill-in-the-blanks")
    marks: dict[str, str] = {}
    for index, name in enumerate(names):
        marks.setdefault(name, BLANK_MARK.format(index))
    markup = BRACKETED.sub(lambda m: marks.get(m.group(1), m.group()), markup)
    return _fields(read, markup, names, answers)


def _looked_for(names: list[str]) -> str:
    """The [name]s looked for in a text, the first few of them."""
    if not names:
        return "it has no response_lid"
    shown = ", ".join(f"[{name}]" for name in names[:_NAMES_SHOWN])
    more = len(names) - _NAMES_SHOWN
    return f"looked for {shown}" + (f" and {more} more" if more > 0 else "")


def _offered(labels: list[ChoiceLabel]) -> str | None:
    """What a New Quizzes blank offers the learner to pick from, by its labels'
    `answer_type` ("dropdown", "word bank"), or None for a blank the learner types in: of
    a blank to pick in, only the labels its scoring rewards are right."""
    for label in labels:
        found = _PICKED.get(label.element.get("answer_type") or "")
        if found:
            return found
    return None


def _boxes(read: _ItemRead, boxes: list[etree._Element]) -> dict[str, Any] | None:
    """Blanks that are `response_str` boxes in the text (None, with a note, when a box has
    no accepted answer: a blank without one cannot be scored)."""
    tests: dict[str, list[Test]] = {}
    for test in scored_equals(read.conditions):
        if test.value:
            tests.setdefault(test.respident, []).append(test)
    idents: list[str] = []
    answers: list[list[str]] = []
    cases: list[bool] = []
    for box in boxes:
        ident = box.get("ident") or ""
        # Brightspace compares the answer with the box's response_label, not with the box.
        keys = dict.fromkeys([ident, *(label.get("ident") or "" for label in
                                       descendants(box, "response_label"))])
        mine = [test for key in keys for test in tests.get(key, [])]
        if not mine:
            read.note("dropped", f"not imported: the blank {ident!r} (a response_str) has no "
                      "accepted answer in the response processing")
            return None
        idents.append(ident)
        answers.append(list(dict.fromkeys(test.value for test in mine)))
        read.parts.update(dict.fromkeys(keys, ident))
        cases.extend(test.case for test in mine)
    data = _fields(read, _text_with_boxes(read), idents, answers)
    if all(cases):
        data["case_sensitive"] = True
    elif any(cases):
        read.note("changed", "some answers were compared case-sensitively: a bank's blanks "
                  "are all compared alike, here ignoring case")
    return data


def _text_with_boxes(read: _ItemRead) -> str:
    """The question's HTML with a mark in place of each response_str, in document order.
    A material of plain text alone, or of one HTML paragraph, is taken inline: the pieces
    around the boxes are parts of one sentence, which paragraphs would cut at every blank."""
    parts: list[str] = []
    numbers = itertools.count()

    def walk(element: etree._Element) -> None:
        for child in element:
            name = local(child)
            if name == "response_str":
                parts.append(BLANK_MARK.format(next(numbers)))
            elif name == "material":
                markup = inline_html(child)
                if markup is None:
                    markup = material_html(child)
                    # Brightspace wraps each piece in a paragraph of its own: taken inline, a
                    # piece that ends (or starts) with a word is kept apart from the blank.
                    one = _ONE_PARAGRAPH.fullmatch(markup)
                    if one:
                        inner = one.group(1).strip()
                        markup = (" " if inner[:1].isalnum() else "") + inner + (
                            " " if inner[-1:].isalnum() else "")
                parts.append(markup)
            elif name not in RESPONSES:
                walk(child)

    if read.presentation is not None:
        walk(read.presentation)
    return "".join(parts)


def _fields(read: _ItemRead, markup: str, names: list[str],
            answers: list[list[str]]) -> dict[str, Any]:
    """The question of `markup`, whose blanks are marked by their index in `names`."""
    ids = unique([n if is_slug(n) else slug(n, f"blank-{i}")
                  for i, n in enumerate(names, start=1)])
    data: dict[str, Any] = {"type": "fill_in_blanks"}
    read.stem(data, markup)
    def blank(mark: re.Match[str]) -> str:
        index = int(mark.group(1))
        if index < len(ids) and mark.group(1) == str(index):
            return f"[[{ids[index]}]]"
        return mark.group()

    data["prompt"] = _MARKED.sub(blank, data.get("prompt", ""))
    data["blanks"] = dict(zip(ids, answers, strict=True))
    return data
