"""One QTI 1.2 `<item>` → the fields of a canonical question (without its id), with notes.

Shared by the `qti12` (Canvas, text2qti, Blackboard, Brightspace) and `cc` (Common Cartridge)
readers. The type comes from Canvas's `question_type`, else the CC `cc_profile`, else
Blackboard's `bbmd_questiontype`, else the item's structure. Feedback follows Canvas's idents
(`general_fb` → explanation, `correct_fb`, `general_incorrect_fb`, `<answer>_fb`) and the
bare `correct`/`incorrect`/`<answer>` idents other exporters use.

packager's own QTI 1.2 export writes a question's stimulus and scenario in a leading
`<div class="scenario">` and a numeric unit as a last `<p>Unit: …</p>`: both are read back.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal

from packager.model.types import MAX_MAGNITUDE, MAX_POINTS
from packager.readers.html_markdown import ImageSource, html_to_markdown
from packager.readers.imported import is_slug, slug, unique
from packager.readers.qti12_choices import choice_fields, choice_labels, is_true_false
from packager.readers.qti12_xml import (
    Condition,
    conditions,
    correct_values,
    correct_values_by_response,
    descendants,
    feedback_html,
    kid,
    label_text,
    local,
    material_html,
    metadata,
    squash,
)

if TYPE_CHECKING:
    from lxml import etree

Kind = Literal["dropped", "changed"]
Note = tuple[Kind, str]

# CC profile and Blackboard type → the Canvas question_type read the same way.
CC_PROFILES = {
    "cc.multiple_choice.v0p1": "multiple_choice_question",
    "cc.multiple_response.v0p1": "multiple_answers_question",
    "cc.true_false.v0p1": "true_false_question",
    "cc.fib.v0p1": "short_answer_question",
    "cc.pattern_match.v0p1": "short_answer_question",
    "cc.essay.v0p1": "essay_question",
}
_BLACKBOARD = {
    "Multiple Choice": "multiple_choice_question",
    "Multiple Answer": "multiple_answers_question",
    "True/False": "true_false_question",
    "Essay": "essay_question",
    "Short Response": "essay_question",
    "Fill in the Blank": "short_answer_question",
    "Matching": "matching_question",
    "Numeric": "numerical_question",
}
_RESPONSES = frozenset({"response_lid", "response_str", "response_num", "response_xy",
                        "response_grp"})
GENERAL = ("general_fb", "general")
CORRECT = ("correct_fb", "correct")
INCORRECT = ("general_incorrect_fb", "incorrect_fb", "incorrect")
_UNIT = re.compile(r"<p>Unit: ([^<]+)</p>\s*$")
_BLANK_MARK = "\ue000{}\ue001"
_MARKED = re.compile("\ue000([0-9]+)\ue001")
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")  # a [name] of a blank, as the text shows it
# What a blank's name cannot hold: a bracket (the text could not show it) or a mark's ends.
_NOT_A_NAME = re.compile("[\\[\\]\ue000\ue001]")


class ItemError(Exception):
    """The item cannot be read as a question (a message for a located diagnostic)."""


@dataclass
class ItemResult:
    ident: str
    title: str | None
    data: dict[str, Any] | None  # canonical question fields without `id`; None: not imported
    notes: list[Note] = field(default_factory=list)


def question_type(item: etree._Element, meta: dict[str, str]) -> tuple[str, bool]:
    """The Canvas question_type an item is read as, and whether it was guessed from shape."""
    for found in (meta.get("question_type"), CC_PROFILES.get(meta.get("cc_profile", "")),
                  _BLACKBOARD.get(meta.get("bbmd_questiontype", ""))):
        if found:
            return found, False
    lids = list(descendants(item, "response_lid"))
    boxes = list(descendants(item, "response_str")) + list(descendants(item, "response_num"))
    if len(lids) > 1:
        return "matching_question", True
    if lids:
        if (lids[0].get("rcardinality") or "").lower() == "multiple":
            return "multiple_answers_question", True
        if is_true_false(choice_labels(lids[0])):
            return "true_false_question", True
        return "multiple_choice_question", True
    if boxes:
        fib = next(descendants(boxes[0], "render_fib"), None)
        if local(boxes[0]) == "response_num" or (fib is not None and (
            fib.get("fibtype") or "").lower() in ("decimal", "integer")):
            return "numerical_question", True
        if correct_values(conditions(item)):
            return "short_answer_question", True
        return "essay_question", True
    return "text_only_question", True


class ItemReader:
    """Reads items; `image(src)` maps an image source to the bank href it is stored under."""

    def __init__(self, image: ImageSource) -> None:
        self.image = image

    def read(self, item: etree._Element) -> ItemResult:
        """The question of one item; ItemError when it cannot be one."""
        title = squash(item.get("title") or "") or None
        result = ItemResult(item.get("ident") or "", title, None)
        meta = metadata(item)
        qtype, guessed = question_type(item, meta)
        read = _ItemRead(self, item, meta, result.notes)
        data = read.fields(qtype)
        if data is None:
            return result
        if guessed:
            read.note("changed", f"no question type given: read as {data['type']} from its "
                      "structure")
        read.common(data)
        result.data = data
        return result

    def rich(self, markup: str, notes: list[Note]) -> str | None:
        """Canonical Markdown for foreign HTML (None when empty); what changed goes to notes."""
        converted = html_to_markdown(markup, self.image)
        for phrase in converted.notes:
            notes.append(("dropped" if "dropped" in phrase else "changed", phrase))
        return converted.markdown or None


class _ItemRead:
    """The reading of one item: its conditions, its feedback and which of it was used."""

    def __init__(self, reader: ItemReader, item: etree._Element, meta: dict[str, str],
                 notes: list[Note]) -> None:
        self.reader = reader
        self.item = item
        self.meta = meta
        self.notes = notes
        self._noted: set[Note] = set()  # the notes again, looked up in constant time
        self.conditions: list[Condition] = conditions(item)
        self.feedback = feedback_html(item)
        self.used: set[str] = set()
        self.presentation = kid(item, "presentation")

    def note(self, kind: Kind, message: str) -> None:
        if (kind, message) not in self._noted:
            self._noted.add((kind, message))
            self.notes.append((kind, message))

    def rich(self, markup: str) -> str | None:
        found: list[Note] = []
        text = self.reader.rich(markup, found)
        self.notes.extend(found)  # each, repeats too, as the conversion found them
        self._noted.update(found)
        return text

    def partial_credit(self) -> bool:
        """Whether a multiple-answers item gives partial credit: Canvas's own type always
        does (its scoring condition only names the full set), and so does an item that adds
        a score per choice (Blackboard); the CC profile scores all or nothing."""
        return "question_type" in self.meta or sum(c.scores for c in self.conditions) > 1

    def take_feedback(self, *idents: str) -> str | None:
        for ident in idents:
            if ident in self.feedback:
                self.used.add(ident)
                return self.rich(self.feedback[ident])
        return None

    # -- the question text ---------------------------------------------------------------
    def question_html(self) -> str:
        parts: list[str] = []

        def walk(element: etree._Element) -> None:
            for child in element:
                name = local(child)
                if name in _RESPONSES:
                    continue
                if name == "material":
                    parts.append(material_html(child))
                else:
                    walk(child)

        if self.presentation is not None:
            walk(self.presentation)
        return "".join(parts)

    def stem(self, data: dict[str, Any], markup: str) -> None:
        """Sets `scenario` (packager's leading div.scenario) and `prompt` from the HTML."""
        from lxml import etree

        from packager.xml.html_fragment import fragment

        if markup.lstrip().startswith('<div class="scenario">'):
            try:
                root = fragment(markup)
            except (etree.ParserError, ValueError):
                root = None
            if root is not None and len(root) and root[0].get("class") == "scenario":
                first = root[0]
                inner = (first.text or "") + "".join(
                    etree.tostring(c, encoding="unicode", method="html") for c in first)
                scenario = self.rich(inner)
                if scenario:
                    data["scenario"] = scenario
                markup = (first.tail or "") + "".join(
                    etree.tostring(c, encoding="unicode", method="html") for c in root[1:])
        prompt = self.rich(markup)
        if prompt:
            data["prompt"] = prompt

    # -- the types -----------------------------------------------------------------------
    def fields(self, qtype: str) -> dict[str, Any] | None:
        lid = next(descendants(self.item, "response_lid"), None)
        if qtype in ("multiple_choice_question", "multiple_answers_question",
                     "true_false_question"):
            if lid is None:
                raise ItemError(f"a {qtype} without a response_lid (no choices)")
            data = choice_fields(self, qtype, choice_labels(lid))
        elif qtype == "short_answer_question":
            data = self.short_answer()
        elif qtype == "numerical_question":
            data = self.numerical()
        elif qtype == "essay_question":
            data = {"type": "essay"}
        elif qtype == "matching_question":
            data = self.matching()
        elif qtype in ("fill_in_multiple_blanks_question", "multiple_dropdowns_question"):
            return self.blanks(qtype == "multiple_dropdowns_question")
        elif qtype == "text_only_question":
            data = {"type": "text"}
        else:
            what = ("a file upload question has no counterpart in a bank"
                    if qtype == "file_upload_question"
                    else f"the question type {qtype!r} has no counterpart in a bank")
            self.note("dropped", f"not imported: {what}")
            return None
        markup = self.question_html()
        if data["type"] == "numeric":
            unit = _UNIT.search(markup)
            if unit is not None:
                data["unit"] = html.unescape(unit.group(1)).strip()
                markup = markup[: unit.start()]
        self.stem(data, markup)
        return data

    def short_answer(self) -> dict[str, Any]:
        answers: list[dict[str, Any]] = []
        seen: set[str] = set()
        for condition in self.conditions:
            if not condition.scores:
                continue
            for test in condition.tests:
                if test.negated or test.op not in ("varequal", "varsubstring") or not test.value:
                    continue
                if test.op == "varsubstring":
                    self.note("changed", f"the pattern {test.value!r} (a contains-match) "
                              "became an exact accepted answer")
                if test.value.casefold() in seen:
                    continue
                seen.add(test.value.casefold())
                answer: dict[str, Any] = {"text": test.value}
                if test.case:
                    answer["case_sensitive"] = True
                answers.append(answer)
        if not answers:
            raise ItemError("a short answer question without an accepted answer")
        return {"type": "short_answer", "answers": answers}

    def numerical(self) -> dict[str, Any]:
        scoring = [c for c in self.conditions if c.scores and c.tests]
        if not scoring:
            raise ItemError("a numerical question without a correct answer")
        if len(scoring) > 1:
            self.note("dropped", f"{len(scoring) - 1} further accepted answer(s) dropped: a "
                      "bank's numeric question has one")
        values: dict[str, Decimal] = {}
        for test in scoring[0].tests:
            if not test.negated:
                values.setdefault(test.op, _decimal(test.value))
        exact, low, high = values.get("varequal"), values.get("vargte"), values.get("varlte")
        if "vargt" in values:
            low = values["vargt"]
            self.note("changed", "a precision answer became a value with a tolerance")
        if exact is not None:
            tolerance = max((abs(exact - b) for b in (low, high) if b is not None),
                            default=Decimal(0))
            return {"type": "numeric", "answer": {"value": float(exact),
                                                  "tolerance": float(tolerance)}}
        if low is not None and high is not None:
            return {"type": "numeric", "answer": {"min": float(low), "max": float(high)}}
        raise ItemError("the numerical answer is neither a value nor a range")

    def matching(self) -> dict[str, Any]:
        lids = list(descendants(self.item, "response_lid"))
        by_response = correct_values_by_response(self.conditions)
        pairs: list[dict[str, Any]] = []
        offered: list[str] = []
        for lid in lids:
            labels = {label.ident: label_text(label.element) for label in choice_labels(lid)}
            offered.extend(text for text in labels.values() if text)
            keys = by_response.get(lid.get("ident") or "", [])
            match = next((labels[k] for k in keys if labels.get(k)), None)
            prompt = self.rich(material_html(kid(lid, "material")))
            if match is None or prompt is None:
                raise ItemError(f"the matching row {lid.get('ident')!r} has no "
                                f"{'prompt' if match else 'correct match'}")
            pairs.append({"prompt": prompt, "match": match})
        matches = {pair["match"] for pair in pairs}
        distractors = [m for m in dict.fromkeys(offered) if m not in matches]
        data: dict[str, Any] = {"type": "matching", "pairs": pairs}
        if distractors:
            data["distractors"] = distractors
        return data

    def blanks(self, dropdowns: bool) -> dict[str, Any] | None:
        markup = self.question_html()
        # Every [name] of the text, found once (thousands of blanks each looked for, then
        # replaced, in all of the text took quadratic time).
        shown = set(_BRACKETED.findall(markup))
        by_response = correct_values_by_response(self.conditions)
        names: list[str] = []
        answers: list[list[str]] = []
        for lid in descendants(self.item, "response_lid"):
            ident = lid.get("ident") or ""
            material = kid(lid, "material")
            name = label_text(material) if material is not None else ""
            name = name or ident.removeprefix("response_")
            labels = choice_labels(lid)
            texts = {label.ident: label_text(label.element) for label in labels}
            if dropdowns:
                keys = [k for k in by_response.get(ident, []) if texts.get(k)]
                wrong = [t for k, t in texts.items() if k not in keys and t]
                if wrong:
                    self.note("dropped", f"the wrong options of dropdown {name!r} "
                              f"({', '.join(wrong)}): it became a typed blank")
                accepted = [texts[k] for k in keys]
            else:
                accepted = [t for t in texts.values() if t]
            if _NOT_A_NAME.search(name):
                raise ItemError(f"the blank name {name!r} holds a bracket, which the question "
                                "text cannot show")
            if name not in shown:
                self.note("dropped", f"the blank {name!r} does not occur in the question text")
                continue
            if not accepted:
                raise ItemError(f"the blank {name!r} has no correct answer")
            names.append(name)
            answers.append(list(dict.fromkeys(accepted)))
        if not names:
            raise ItemError("a fill-in-the-blanks question without a blank in its text")
        if dropdowns:
            self.note("changed", "multiple dropdowns became fill-in-the-blanks")
        ids = unique([n if is_slug(n) else slug(n, f"blank-{i}")
                      for i, n in enumerate(names, start=1)])
        marks: dict[str, str] = {}
        for index, name in enumerate(names):
            marks.setdefault(name, _BLANK_MARK.format(index))
        markup = _BRACKETED.sub(lambda m: marks.get(m.group(1), m.group()), markup)
        data: dict[str, Any] = {"type": "fill_in_blanks"}
        self.stem(data, markup)
        def blank(mark: re.Match[str]) -> str:
            index = int(mark.group(1))
            if index < len(ids) and mark.group(1) == str(index):
                return f"[[{ids[index]}]]"
            return mark.group()

        data["prompt"] = _MARKED.sub(blank, data.get("prompt", ""))
        data["blanks"] = dict(zip(ids, answers, strict=True))
        return data

    # -- what every question has ----------------------------------------------------------
    def common(self, data: dict[str, Any]) -> None:
        if data["type"] != "text":
            explanation = self.take_feedback(*GENERAL)
            correct = self.take_feedback(*CORRECT)
            incorrect = self.take_feedback(*INCORRECT)
            if explanation:
                data["explanation"] = explanation
            feedback = {k: v for k, v in (("correct", correct), ("incorrect", incorrect)) if v}
            if feedback:
                data["feedback"] = feedback
            self.points(data)
        for ident in self.feedback:
            if ident not in self.used:
                self.note("dropped", f"the feedback {ident!r}: "
                          + ("a text item shows none" if data["type"] == "text"
                             else "it belongs to no answer a bank can hold"))

    def points(self, data: dict[str, Any]) -> None:
        raw = next((self.meta[k] for k in ("points_possible", "cc_weighting", "qmd_weighting")
                    if self.meta.get(k)), None)
        if raw is None:
            return
        try:
            value = float(raw)
        except ValueError:
            self.note("dropped", f"the points {raw!r} are not a number")
            return
        if not math.isfinite(value) or value <= 0 or value > MAX_POINTS:
            self.note("changed", f"{raw} points cannot be kept (a question is worth more than "
                      f"0 and at most {MAX_POINTS:,.0f}): the bank's default is used")
        elif value != 1:
            data["points"] = value


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ItemError(f"{text!r} is not a number") from None
    if not value.is_finite() or abs(value) > Decimal(int(MAX_MAGNITUDE)):
        raise ItemError(f"{text!r} is not a number a bank can hold (at most 1e15)")
    return value

