"""One Blackboard pool item (`questestinterop/…/item`, Blackboard's QTI 1.2 dialect) → the data
of a canonical question; used by readers/blackboard.py.

The shapes are those Blackboard Learn exports and packager writes (writers/blackboard.py,
docs/formats/blackboard.md): the type in `itemmetadata/bbmd_questiontype`, the question text in
`flow[@class=QUESTION_BLOCK]`, answers in `flow[@class=RESPONSE_BLOCK]`, HTML as escaped text in
`mat_formattedtext`, the key in `resprocessing/respcondition`, feedback in `itemfeedback`
(`correct`, `incorrect`, one per answer, `solution` for an essay's sample answer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from string import ascii_lowercase
from typing import Any, Literal

from lxml import etree

from packager.readers.blackboard_credit import credit_notes
from packager.readers.html_markdown import text_to_markdown
from packager.readers.imported import EMPTY_TEXT, NO_TEXT, is_slug, left_empty, slug
from packager.readers.numeric_keys import (
    NumberError,
    decimal_of,
    keyed,
    range_answer,
)
from packager.readers.qti12_blanks import BLANK_MARK, BRACKETED

# bbmd_questiontype → canonical type. "Short Response" is Blackboard's small essay box.
TYPES: dict[str, str] = {
    "Multiple Choice": "single_choice",
    "Multiple Answer": "multiple_response",
    "True/False": "true_false",
    "Fill in the Blank": "short_answer",
    "Numeric": "numeric",
    "Essay": "essay",
    "Short Response": "essay",
    "Matching": "matching",
    "Ordering": "ordering",
    "Fill in the Blank Plus": "fill_in_blanks",
}
# `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the two runs of digits side by side split a long run
# every way before a stray character failed it (20,000 digits and an `x`: 7 s).
_UNIT = re.compile(r"\n*Unit: (?P<unit>[^\n]+)$")
_POSITION = re.compile(r"answer_(\d{1,4})")


class ItemError(Exception):
    """A malformed item: the message names what is wrong (the reader adds where)."""


class TextLost(Exception):
    """The item's question text held only what was dropped (each loss noted): it is left out
    (imported.LOST_TEXT), not given NO_TEXT for a prompt its author did write."""


@dataclass
class Item:
    """What converting an item needs besides the element: rich text conversion (images mapped
    to the bank's media) and the notes it collects."""

    element: etree._Element
    rich: Callable[[str], str]  # HTML → canonical Markdown (notes recorded by the caller)
    notes: list[tuple[Literal["dropped", "changed"], str]] = field(default_factory=list)
    losses: Callable[[], int] = lambda: 0  # how many things `rich` has dropped so far

    def note(self, kind: Literal["dropped", "changed"], message: str) -> None:
        self.notes.append((kind, message))

    @cached_property
    def blank_marks(self) -> dict[str, str]:
        """A mark for each blank (`response_str`) of a Fill in the Blank Plus item, standing for
        its `[name]` while the text is converted (as the QTI 1.2 reader marks its blanks):
        no converter escapes it as it escapes brackets, and a `&#91;name&#93;` is no blank."""
        names = [string.get("ident") or "" for string in self.response_block().iter("response_str")]
        return {name: BLANK_MARK.format(n) for n, name in enumerate(dict.fromkeys(names))}

    # -- texts ----------------------------------------------------------------------------
    def text_of(self, block: etree._Element | None,
                marks: Mapping[str, str] | None = None) -> str:
        """The Markdown of the texts under a block (mat_formattedtext or mattext), skipping
        the empty LINK_BLOCK every Blackboard text block is followed by; with `marks`, each
        `[name]` they name, as the text holds it (not a `&#91;` reference), is its mark."""
        if block is None:
            return ""
        parts = []
        for material in block.iter("mat_formattedtext", "mattext"):
            if any(a.get("class") == "LINK_BLOCK" for a in material.iterancestors("flow", "flow_mat")):
                continue
            raw = material.text or ""
            if marks:
                raw = BRACKETED.sub(lambda m: marks.get(m.group(1), m.group()), raw)
            kind = (material.get("type") or material.get("texttype") or "").upper()
            if "PLAIN" in kind:
                parts.append(text_to_markdown(raw))
            elif raw.strip():
                parts.append(self.rich(raw))
        return "\n\n".join(p for p in parts if p)

    def plain_of(self, block: etree._Element | None) -> str:
        """The plain text under a block (for a matching answer, which is plain text)."""
        from packager.xml.html_fragment import fragment

        texts = []
        for material in block.iter("mat_formattedtext", "mattext") if block is not None else ():
            raw = (material.text or "").strip()
            if raw:
                try:
                    texts.append(fragment(raw).text_content())
                except (etree.ParserError, ValueError):  # `<!doctype html>` alone, say
                    texts.append(raw)
        return re.sub(r"[ \t\r\n]+", " ", " ".join(texts)).strip()

    def feedback(self, ident: str) -> str:
        for fb in self.element.iterfind("itemfeedback"):
            if fb.get("ident") == ident:
                return self.text_of(fb)
        return ""

    # -- structure ------------------------------------------------------------------------
    def flow(self, cls: str) -> etree._Element | None:
        return next((f for f in self.element.iter("flow") if f.get("class") == cls), None)

    def response_block(self) -> etree._Element:
        block = self.flow("RESPONSE_BLOCK")
        if block is None:
            block = self.element.find("presentation")
        if block is None:
            raise ItemError("the item has no presentation")
        return block

    def conditions(self) -> list[etree._Element]:
        return list(self.element.iterfind("resprocessing/respcondition"))

    def correct_condition(self) -> etree._Element | None:
        return next((c for c in self.conditions() if c.get("title") == "correct"), None)

    def metadata(self, name: str) -> str:
        return (self.element.findtext(f"itemmetadata/{name}") or "").strip()


def _labels(parent: etree._Element) -> list[etree._Element]:
    return [label for label in parent.iter("response_label") if label.get("ident")]


def _number(text: str | None, what: str) -> Decimal:
    """A number as written, exactly: Blackboard's bounds of a bank's key reach ±2e15."""
    if text is None:
        raise ItemError(f"{what} {text!r} is not a number")
    try:
        return decimal_of(text)
    except NumberError as error:
        raise ItemError(f"{what} {error}") from None


def _choices(item: Item, data: dict[str, Any], single: bool) -> None:
    lid = item.response_block().find(".//response_lid")
    if lid is None:
        raise ItemError("the choice item has no response_lid")
    labels = _labels(lid)
    idents = [label.get("ident") or "" for label in labels]
    named = _named_in_order(item, idents)
    correct = _key(item, idents, named)
    if not correct & set(idents):
        raise ItemError("no answer is marked correct")
    if len(labels) > 26:
        raise ItemError(f"{len(labels)} answers: a question has at most 26")
    render = lid.find("render_choice")
    shuffled = render is not None and render.get("shuffle") == "Yes"
    choices = []
    # Blackboard's answer idents are server ids (32 hex digits): letters read better.
    for letter, label, ident in zip(ascii_lowercase, labels, idents, strict=False):
        choice: dict[str, Any] = {"id": letter,
                                  "text": _text_or_mark(item, item.text_of(label),
                                                        f"answer {letter}"),
                                  "correct": ident in correct}
        if shuffled and label.get("shuffle") == "No":
            choice["pinned"] = True
        feedback = item.feedback(ident) or (item.feedback(named[ident]) if named else "")
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    data["choices"] = choices
    if shuffled:
        data["shuffle"] = True
    if not single and item.metadata("bbmd_partialcredit") == "true":
        data["scoring"] = "partial"
    elif single and len(correct & set(idents)) > 1:
        data["type"] = "multiple_response"
        item.note("changed", "a Multiple Choice item with several correct answers became "
                  "multiple_response")
    for message in credit_notes(item.element, idents, choices, single):
        item.note("changed", message)


def _tested(item: Item) -> list[tuple[str, bool]]:
    """The names the `correct` condition tests, each with whether it is under a `not`, in
    document order."""
    condition = item.correct_condition()
    return [((equal.text or "").strip(), any(True for _ in equal.iterancestors("not")))
            for equal in (condition.iter("varequal") if condition is not None else ())
            if (equal.text or "").strip()]


def _named_in_order(item: Item, idents: list[str]) -> dict[str, str] | None:
    """Each answer's ident → the name the conditions give it, where they name the answers
    by names of their own: Ultra's answers are `new_<uuid>` and its `correct` condition tests
    each of them, in the order shown, by a hash no answer has (the per-answer conditions and
    feedback use the hashes too; canvas-lms's `bbultra` fixture, whose test expects the third
    answer right for the third name tested outside a `not`). Read so only when the condition
    names as many answers as there are, each once, and no answer's own ident; None
    otherwise."""
    names = [name for name, _ in _tested(item)]
    if (len(names) != len(idents) or len(set(names)) != len(names)
            or not set(names).isdisjoint(idents)):
        return None
    return dict(zip(idents, names, strict=True))


def _key(item: Item, idents: list[str], named: dict[str, str] | None) -> set[str]:
    """The idents of the correct answers: those the `correct` condition tests outside a `not`,
    and those a per-answer condition gives full marks (packager and older exports); with
    `named` (_named_in_order), the answers the condition tests by their names.

    Learn 9 also writes a Multiple Answer key by position: `answer_0` is the first answer
    shown, whatever its ident (its answers are `answer_1`..`answer_n`; Canvas's importer test
    of such an export expects this reading). A key naming an ident no answer has is read by position only when it
    names each position once; otherwise it is refused: a guessed key marks learners wrong."""
    ident_of = {name: ident for ident, name in named.items()} if named is not None else {}
    tested = [(ident_of.get(name, name), negated) for name, negated in _tested(item)]
    condition = item.correct_condition()
    full: list[str] = []
    for cond in item.conditions():
        score = (cond.findtext("setvar") or "").strip()
        equal = cond.find("conditionvar/varequal")
        if (cond is not condition and equal is not None and equal.text
                and score in ("100", "100.0", "SCORE.max")):
            full.append(ident_of.get(equal.text.strip(), equal.text.strip()))
    known = set(idents)  # a list's `in` made a key of thousands of answers quadratic
    unknown = [name for name in [n for n, _ in tested] + full if name not in known]
    if not unknown:
        return {name for name, negated in tested if not negated} | set(full)
    positions = [_POSITION.fullmatch(name) for name, _ in tested]
    numbers = [int(p.group(1)) if p else -1 for p in positions]
    if full or sorted(numbers) != list(range(len(idents))):
        raise ItemError(f"the correct-answer condition names {unknown[0]!r}, which no answer "
                        "has: the key is not known")
    return {idents[n] for n, (_, negated) in zip(numbers, tested, strict=True) if not negated}


def _true_false(item: Item, data: dict[str, Any]) -> None:
    condition = item.correct_condition()
    key = condition.findtext(".//varequal") if condition is not None else None
    if key is None or key.strip().lower() not in ("true", "false"):
        raise ItemError(f"the True/False key {key!r} is neither true nor false")
    data["answer"] = key.strip().lower() == "true"


def _short_answer(item: Item, data: dict[str, Any]) -> None:
    answers: list[dict[str, Any]] = []
    dropped = False
    for cond in item.conditions():
        if cond.get("title") == "incorrect":
            continue
        for equal in cond.iter("varequal"):
            text = (equal.text or "").strip()
            if text:
                answers.append({"text": text, "case_sensitive": equal.get("case") == "Yes"})
        own = [d.get("linkrefid") for d in cond.iterfind("displayfeedback")]
        dropped |= any(r not in ("correct", "incorrect") and item.feedback(r or "") for r in own)
    if not answers:
        raise ItemError("the Fill in the Blank item has no accepted answer")
    if dropped:
        item.note("dropped", "per-answer feedback of a Fill in the Blank item is not carried")
    data["answers"] = answers


def _numeric(item: Item, data: dict[str, Any]) -> None:
    cond = next((c for c in item.conditions() if c.find(".//vargte") is not None
                 or c.find(".//varequal") is not None), None)
    if cond is None:
        raise ItemError("the Numeric item has no answer condition")
    low, high, key = (cond.findtext(f".//{tag}") for tag in ("vargte", "varlte", "varequal"))
    try:
        if key is not None:
            value = _number(key, "the answer")
            lower, upper = (None if b is None else _number(b, "a bound") for b in (low, high))
            answer = keyed(value, lower, upper)
            data["answer"] = answer.answer
            if answer.change:
                item.note("changed", answer.change)
        elif low is not None and high is not None:
            data["answer"] = range_answer(_number(low, "the minimum"),
                                          _number(high, "the maximum"))
        else:
            raise ItemError("the Numeric item has neither a value nor both bounds")
    except NumberError as error:
        raise ItemError(str(error)) from None
    # packager writes the unit as a last "Unit: …" paragraph (Blackboard's Numeric has none).
    found = _UNIT.search(data["prompt"])
    if found is not None and found.start() > 0:
        from packager.richtext_plain import plain_text

        data["unit"] = plain_text(found.group("unit"))
        data["prompt"] = data["prompt"][: found.start()].rstrip()


def _essay(item: Item, data: dict[str, Any]) -> None:
    sample = item.feedback("solution")
    if sample:
        data["sample_answer"] = sample
    notes = item.metadata("qmd_instructornotes")
    if notes:
        data["rubric"] = text_to_markdown(notes)


def _matching(item: Item, data: dict[str, Any]) -> None:
    right = item.flow("RIGHT_MATCH_BLOCK")
    answers = [item.plain_of(f) for f in right.iterfind("flow")] if right is not None else []
    chosen: dict[str, str] = {}
    for cond in item.conditions():
        for equal in cond.iter("varequal"):
            if equal.get("respident") and equal.text:
                chosen.setdefault(equal.get("respident") or "", equal.text.strip())
    pairs: list[dict[str, str]] = []
    used: set[int] = set()
    for block in item.response_block().iterfind("flow"):
        lid = block.find("response_lid")
        if lid is None:
            continue
        idents = [label.get("ident") for label in _labels(lid)]
        key = chosen.get(lid.get("ident") or "")
        if key not in idents or idents.index(key) >= len(answers):
            raise ItemError(f"the matching prompt {lid.get('ident')!r} has no correct answer "
                            "in the RIGHT_MATCH_BLOCK")
        position = idents.index(key)
        used.add(position)
        prompt = item.text_of(next((f for f in block.iterfind("flow")
                                    if f.get("class") != "Block"), None))
        pairs.append({"prompt": _text_or_mark(item, prompt, f"matching prompt {len(pairs) + 1}"),
                      "match": answers[position]})
    data["pairs"] = pairs
    matches = {p["match"] for p in pairs}
    distractors = [a for i, a in enumerate(answers) if i not in used and a not in matches]
    if distractors:
        data["distractors"] = list(dict.fromkeys(distractors))


def _ordering(item: Item, data: dict[str, Any]) -> None:
    lid = item.response_block().find(".//response_lid")
    if lid is None:
        raise ItemError("the Ordering item has no response_lid")
    texts = {label.get("ident"): item.text_of(label) for label in _labels(lid)}
    condition = item.correct_condition()
    order = [e.text.strip() for e in condition.iter("varequal") if e.text] if condition is not None else []
    if sorted(order) != sorted(i for i in texts if i):
        raise ItemError("the correct order does not list every item exactly once")
    data["items"] = [_text_or_mark(item, texts[i], f"item {n} of the order")
                     for n, i in enumerate(order, start=1)]


def _text_or_mark(item: Item, text: str, what: str) -> str:
    """The text; for none (an empty answer, or one whose only content could not be carried)
    a mark the model accepts, and a note saying so."""
    if text:
        return text
    item.note("changed", left_empty(what))
    return EMPTY_TEXT


def _fill_in_blanks(item: Item, data: dict[str, Any]) -> None:
    blanks: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    cases: set[bool] = set()
    condition = item.correct_condition()
    for string in item.response_block().iter("response_str"):
        name = string.get("ident") or ""
        names[name] = name if is_slug(name) else slug(name, f"blank{len(names) + 1}")
        blanks[names[name]] = []
    for equal in condition.iter("varequal") if condition is not None else ():
        name = equal.get("respident") or ""
        if name in names and (equal.text or "").strip():
            blanks[names[name]].append((equal.text or "").strip())
            cases.add(equal.get("case") == "Yes")
    prompt = data["prompt"]
    marks = item.blank_marks
    for name, blank in names.items():
        if marks[name] not in prompt or not blanks[blank]:
            raise ItemError(f"the blank [{name}] is not in the question text or has no answer")
        prompt = prompt.replace(marks[name], f"[[{blank}]]")
    data["prompt"], data["blanks"] = prompt, blanks
    if True in cases:
        data["case_sensitive"] = True
        if False in cases:
            item.note("changed", "some blanks ignored case: now every blank is case-sensitive")


_BUILDERS: dict[str, Callable[[Item, dict[str, Any]], None]] = {
    "true_false": _true_false,
    "short_answer": _short_answer,
    "numeric": _numeric,
    "essay": _essay,
    "matching": _matching,
    "ordering": _ordering,
    "fill_in_blanks": _fill_in_blanks,
}


def question(item: Item, qtype: str) -> dict[str, Any]:
    """The canonical data of the item (id and title are the caller's), or ItemError, or
    TextLost."""
    marks = item.blank_marks if qtype == "fill_in_blanks" else None
    losses = item.losses()
    data: dict[str, Any] = {"type": qtype,
                            "prompt": item.text_of(item.flow("QUESTION_BLOCK"), marks)}
    if not data["prompt"] and item.losses() > losses:
        raise TextLost
    if qtype in ("single_choice", "multiple_response"):
        _choices(item, data, qtype == "single_choice")
    else:
        _BUILDERS[qtype](item, data)
    notes = item.metadata("qmd_instructornotes")
    if notes and qtype != "essay":  # an essay's are its rubric
        item.note("dropped", f"the instructor notes {' '.join(notes.split())[:60]!r}: only an "
                  "essay keeps them (as its rubric for scorers)")
    if not data["prompt"]:
        data["prompt"] = NO_TEXT
        item.note("changed", f"the item has no question text: its prompt is {NO_TEXT!r}")
    right, wrong = item.feedback("correct"), item.feedback("incorrect")
    # Blackboard has no neutral feedback: packager writes the explanation into both.
    if right and right == wrong:
        data["explanation"] = right
        # ... and appends it to every answer's own feedback: take it off again.
        for choice in data.get("choices", []):
            own = choice.get("feedback", "")
            if own.endswith(right) and own != right:
                choice["feedback"] = own[: -len(right)].rstrip()
    elif right or wrong:
        data["feedback"] = {k: v for k, v in (("correct", right), ("incorrect", wrong)) if v}
    return data
