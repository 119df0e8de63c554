"""One QTI 1.2 `<item>` → the fields of a canonical question (without its id), with notes.

Shared by the `qti12` (Canvas, text2qti, Blackboard, Brightspace) and `cc` (Common Cartridge)
readers. The type an item is read as: see qti12_types. Feedback follows Canvas's idents
(`general_fb` → explanation, `correct_fb`, `general_incorrect_fb`, `<answer>_fb`), the bare
`correct`/`incorrect`/`<answer>` idents other exporters use, and Brightspace's item label
for the general feedback.

packager's own QTI 1.2 export writes a question's stimulus and scenario in a leading
`<div class="scenario">` and a numeric unit as a last `<p>Unit: …</p>`: both are read back.
"""

from __future__ import annotations

import html
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from packager.model.types import MAX_POINTS
from packager.readers.html_markdown import html_to_markdown
from packager.readers.html_markdown_images import Kept, image_not_found
from packager.readers.imported import (
    LOST_TEXT,
    equal_shares,
    first_named,
    part_credit_gained,
    shares_changed,
)
from packager.readers.qti12_blanks import blanks
from packager.readers.qti12_choices import (
    choice_fields,
    choice_labels,
    ordering_fields,
    position_ordering_fields,
)
from packager.readers.qti12_item_result import ItemError, ItemResult, Kind, Note
from packager.readers.qti12_numeric import Numeric, numeric
from packager.readers.qti12_types import MULTI_SHORT, TYPE_FIELDS, UNTYPED_BLANKS, question_type
from packager.readers.qti12_xml import (
    RESPONSES,
    Condition,
    conditions,
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


GENERAL = ("general_fb", "general")
CORRECT = ("correct_fb", "correct")
INCORRECT = ("general_incorrect_fb", "incorrect_fb", "incorrect")
_ADDRESS_ROOM = 60  # characters of an image address a note shows
_UNIT = re.compile(r"<p>Unit: ([^<]+)</p>\s*$")


class ItemReader:
    """Reads items; `image(src)` maps an image source to the bank href it is stored under
    (Kept: with a note to make), `why(src)` says why one gave none, when there is more to
    say than "not found"."""

    def __init__(self, image: Callable[[str], str | Kept | None],
                 why: Callable[[str], str | None]) -> None:
        self.image = image
        self.why = why
        self.losses = 0  # images left out so far

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
            given = next((meta[k] for k in TYPE_FIELDS if meta.get(k)), None)
            read.note("changed", (f"the question type {given!r} is not one this reader knows"
                                  if given else "no question type given")
                      + f": read as {data['type']} from its structure")
        read.common(data)
        result.data = data
        result.stimulus_of = meta.get("parent_stimulus_item_ident") or None
        return result

    def rich(self, markup: str, notes: list[Note]) -> str | None:
        """Canonical Markdown for foreign HTML (None when empty); what changed goes to notes."""
        # One note per image left out, saying why, in place of the conversion's own (which
        # says only "not found", and cuts the address where it may look like a folder).
        ours: dict[str, dict[str, None]] = {}  # the conversion's note → this reader's

        def image(src: str) -> str | Kept | None:
            href = self.image(src)
            if href is None:
                reason = self.why(src) or "not found in the source"
                said = f"image {_address(src)!r} dropped: {reason}"
                ours.setdefault(image_not_found(src), {})[said] = None
                self.losses += 1
            return href

        converted = html_to_markdown(markup, image)
        for kind, phrase in converted.notes:
            # Said of an image not found: why, in place of "not found", the same loss.
            notes.extend((kind, said) for said in ours.get(phrase, [phrase]))
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
        self._note_partial_answers()
        self.feedback = feedback_html(item)
        self.used: set[str] = set()
        self.presentation = kid(item, "presentation")
        # The responses of the blanks or rows kept, and the name a note gives each.
        self.parts: dict[str, str] = {}

    def _note_partial_answers(self) -> None:
        """The answers worth part of the points (qti12_xml's `below`), which score nothing."""
        partial = [c for c in self.conditions if c.below is not None]
        if not partial:
            return
        texts = {ident: label_text(label) for label in descendants(self.item, "response_label")
                 if (ident := label.get("ident"))}
        for condition in partial:
            named = ", ".join(repr(texts.get(test.value) or test.value) for test in condition.tests
                              if test.op == "varequal" and not test.negated and test.value)
            self.note("dropped", f"the answer {named or '(other)'} scores {condition.score:g} "
                      f"where the right answer scores {condition.below:g}: a bank's answer is "
                      "right or wrong, so here it is worth nothing")

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
                if name in RESPONSES:
                    continue
                if name == "material":
                    parts.append(material_html(child))
                else:
                    walk(child)

        if self.presentation is not None:
            walk(self.presentation)
        return "".join(parts)

    def stem(self, data: dict[str, Any], markup: str) -> None:
        """Sets `scenario` (packager's leading div.scenario) and `prompt` from the HTML, led
        by the item's `instructions`."""
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
        # New Quizzes writes a stimulus's instructions, shown above its text, in an attribute.
        instructions = squash(self.item.get("instructions") or "")
        if instructions:
            markup = f"<p>{html.escape(instructions, quote=False)}</p>{markup}"
            self.note("changed", f"its instructions {instructions!r} became the first "
                      "paragraph of its text")
        source = squash(self.meta.get("source_url", ""))
        if source:
            markup += self.source_line(source)
        prompt = self.rich(markup)
        if prompt:
            data["prompt"] = prompt

    def source_line(self, url: str) -> str:
        """New Quizzes' `source_url` (a stimulus's source) as a last paragraph "Source: <url>",
        or "" with a note when it is no http(s) address a bank's text may link to."""
        from packager.richtext_urls import link_problem

        scheme = url.partition(":")[0].lower()
        if scheme not in ("http", "https") or link_problem(url) is not None:
            self.note("dropped", f"its source link {url!r}: a bank's text links only to http "
                      "and https addresses")
            return ""
        self.note("changed", f"its source link {url!r} became the last line of its text, "
                  '"Source: …"')
        return f'<p>Source: <a href="{html.escape(url)}">{html.escape(url, quote=False)}</a></p>'

    # -- the types -----------------------------------------------------------------------
    def fields(self, qtype: str) -> dict[str, Any] | None:
        lid = next(descendants(self.item, "response_lid"), None)
        if qtype in ("multiple_choice_question", "multiple_answers_question",
                     "true_false_question"):
            if lid is None:
                raise ItemError(f"a {qtype} without a response_lid (no choices)")
            chosen = choice_fields(self, qtype, choice_labels(lid))
            if chosen is None:
                return None
            data = chosen
        elif qtype == "ordering_question":
            group = next(descendants(self.item, "response_grp"), None)
            if lid is not None:
                ordered = ordering_fields(self, lid)
            elif group is not None:
                ordered = position_ordering_fields(self, group)
            else:
                raise ItemError("an ordering question without a response_lid or response_grp "
                                "(no items)")
            if ordered is None:
                return None
            data = ordered
        elif qtype == "short_answer_question":
            data = self.short_answer()
        elif qtype == MULTI_SHORT:
            multi = self.multi_short_answer()
            if multi is None:
                return None
            data = multi
        elif qtype == "numerical_question":
            data = self.numerical()
        elif qtype == "essay_question":
            data = {"type": "essay"}
        elif qtype == "matching_question":
            matching = self.matching()
            if matching is None:
                return None
            data = matching
        elif qtype in ("fill_in_multiple_blanks_question", "multiple_dropdowns_question"):
            return blanks(self, "dropdowns" if qtype == "multiple_dropdowns_question" else "typed")
        elif qtype == UNTYPED_BLANKS:
            return blanks(self, "untyped")
        elif qtype == "text_only_question":
            data = {"type": "text"}
        else:
            given = self.meta.get("qmd_questiontype")
            if qtype == "calculated_question":
                what = (f"D2L's {given!r} question is a calculated question" if given
                        else "a calculated question") + (" (a formula over variables), which a "
                                                         "bank has no type for")
            elif qtype == "file_upload_question":
                what = "a file upload question has no counterpart in a bank"
            else:
                what = f"the question type {qtype!r} has no counterpart in a bank"
            self.note("dropped", f"not imported: {what}")
            return None
        markup = self.question_html()
        if data["type"] == "numeric":
            unit = _UNIT.search(markup)
            if unit is not None:
                data["unit"] = html.unescape(unit.group(1)).strip()
                markup = markup[: unit.start()]
        losses = self.reader.losses
        self.stem(data, markup)
        if "prompt" not in data:  # the model's "Field required" told no one why
            self.note("dropped", "not imported: " + (
                LOST_TEXT if self.reader.losses > losses else "the item has no text"))
            return None
        return data

    def short_answer(self) -> dict[str, Any]:
        answers: list[dict[str, Any]] = []
        # An answer once as written with its case flag; make_bank makes caseless ones that
        # an engine takes for one (`paris`, `PARIS`) one answer.
        seen: set[tuple[str, bool]] = set()
        for condition in self.conditions:
            if not condition.scores:
                continue
            for test in condition.tests:
                if test.negated or test.op not in ("varequal", "varsubstring") or not test.value:
                    continue
                if test.op == "varsubstring":
                    self.note("changed", f"the pattern {test.value!r} (a contains-match) "
                              "became an exact accepted answer")
                if (test.value, bool(test.case)) in seen:
                    continue
                seen.add((test.value, bool(test.case)))
                answer: dict[str, Any] = {"text": test.value}
                if test.case:
                    answer["case_sensitive"] = True
                answers.append(answer)
        if not answers:
            raise ItemError("a short answer question without an accepted answer")
        return {"type": "short_answer", "answers": answers}

    def multi_short_answer(self) -> dict[str, Any] | None:
        """D2L's Multi-Short Answer: a short answer when it has one box and every accepted
        answer earns full credit; else (several boxes, each answer a share of the points) it
        is left out, noted, as any one answer would take full credit."""
        boxes = 1
        for fib in descendants(self.item, "render_fib"):
            for name, value in fib.attrib.items():
                if str(name).rpartition("}")[2] == "input_boxes":
                    try:
                        boxes = max(boxes, int(value))
                    except ValueError:
                        continue
        shares = list(dict.fromkeys(c.score for c in self.conditions
                                    if c.scores and c.score is not None))
        if boxes == 1 and all(share >= 100 for share in shares):
            return self.short_answer()
        worth = ("each accepted answer worth " if len(shares) == 1 else "accepted answers worth ")
        worth += ", ".join(f"{share:g}%" for share in shares) + " of the points"
        self.note("dropped", "not imported: D2L's Multi-Short Answer of "
                  + (f"{boxes} boxes" if boxes > 1 else "one box") + f", {worth}: a bank's "
                  "short answer gives full credit for any one answer")
        return None

    def numerical(self) -> dict[str, Any]:
        """A bank's numeric question has one answer: of several, the one most of the others
        agree with (whose interval overlaps theirs), the first of those on a tie. The first
        alone would be a wrong key where Canvas wrote an answer it garbled: a real export has
        "exactly 42" as 0 ≤ x ≤ 0, then 41.5 to 42.5 and 42 ± 0.005."""
        scoring = [c for c in self.conditions if c.scores and c.tests]
        if not scoring:
            raise ItemError("a numerical question without a correct answer")
        answers: list[Numeric] = []
        unread: list[str] = []  # why the answers that cannot be read cannot
        for condition in scoring:
            try:
                answers.append(numeric(condition))
            except ItemError as error:
                unread.append(str(error))
        if not answers:
            raise ItemError(unread[0])
        # The answers each overlaps (itself too, as every one does), counted by bisection,
        # not pair by pair: an item may list thousands.
        lows, highs = sorted(a.low for a in answers), sorted(a.high for a in answers)
        agree = [bisect_right(lows, a.high) - bisect_left(highs, a.low) for a in answers]
        kept = answers[agree.index(max(agree))]
        if len(scoring) > 1:
            dropped = [a.shown for a in answers if a is not kept] + [
                f"one that cannot be read ({reason})" for reason in unread]
            self.note("dropped", f"kept {kept.shown}; dropped {_and(first_named(dropped))}: "
                      "a bank's numeric question has one answer")
        if kept.change:
            self.note("changed", kept.change)
        if kept.precision:
            self.note("changed", "a precision answer became a "
                      + ("range" if "min" in kept.answer else "value with a tolerance"))
        return {"type": "numeric", "answer": kept.answer}

    def matching(self) -> dict[str, Any] | None:
        """A matching question (None, with a note, when fewer than two rows have a prompt,
        or two show one prompt with different matches). A row without a prompt is dropped:
        Canvas exports the empty rows an author left in its editor, each matched to an empty
        answer, which no learner can be asked; so is a row that repeats another."""
        # Brightspace writes a row as a response_grp, named by its `respident`.
        lids = (list(descendants(self.item, "response_lid"))
                or list(descendants(self.item, "response_grp")))
        by_response = correct_values_by_response(self.conditions)
        pairs: list[dict[str, Any]] = []
        offered: list[str] = []
        rows: dict[str, tuple[str, str]] = {}  # prompt → the first row's ident, match
        for lid in lids:
            ident = lid.get("ident") or lid.get("respident") or ""
            labels = {label.ident: label_text(label.element) for label in choice_labels(lid)}
            offered.extend(text for text in labels.values() if text)
            keys = by_response.get(ident, [])
            match = next((labels[k] for k in keys if labels.get(k)), None)
            prompt = self.rich(material_html(kid(lid, "material")))
            if prompt is None:
                self.note("dropped", f"the matching row {ident!r}: it has no prompt")
                continue
            if match is None:
                raise ItemError(f"the matching row {ident!r} has no correct match")
            # Canvas keeps rows an author entered twice; the bank holds each prompt once.
            first, first_match = rows.setdefault(prompt, (ident, match))
            if first != ident:
                if first_match != match:
                    self.note("dropped", f"not imported: the matching rows {first!r} and "
                              f"{ident!r} show the same prompt with different matches")
                    return None
                self.note("dropped", f"the matching row {ident!r}: it repeats the row "
                          f"{first!r}")
                continue
            pairs.append({"prompt": prompt, "match": match})
            self.parts[ident] = ident
            self.note_match_formatting(lid, keys, match)
        if len(pairs) < 2:
            self.note("dropped", f"not imported: a matching question of {len(pairs)} row(s) "
                      "with a prompt (it needs two)")
            return None
        matches = {pair["match"] for pair in pairs}
        distractors = [m for m in dict.fromkeys(offered) if m not in matches]
        data: dict[str, Any] = {"type": "matching", "pairs": pairs}
        if distractors:
            data["distractors"] = distractors
        return data

    # -- what every question has ----------------------------------------------------------
    def common(self, data: dict[str, Any]) -> None:
        if data["type"] != "text":
            # Brightspace gives a question's general feedback the item's label as its ident.
            label = self.item.get("label")
            explanation = self.take_feedback(*GENERAL, *([label] if label else []))
            correct = self.take_feedback(*CORRECT)
            incorrect = self.take_feedback(*INCORRECT)
            if explanation:
                data["explanation"] = explanation
            feedback = {k: v for k, v in (("correct", correct), ("incorrect", incorrect)) if v}
            if feedback:
                data["feedback"] = feedback
            self.points(data)
            self.note_part_credit(data)
            self.note_d2l_grading(data)
        calculator = self.meta.get("calculator_type", "").strip()
        if calculator and calculator.lower() != "none":  # Canvas New Quizzes' item setting
            self.note("dropped", f"the calculator the learner may use ({calculator}) is "
                      "dropped: a bank holds none (the prompt can say what the learner may use)")
        for ident in self.feedback:
            if ident not in self.used:
                self.note("dropped", f"the feedback {ident!r}: "
                          + ("a text item shows none" if data["type"] == "text"
                             else "it belongs to no answer a bank can hold"))

    def note_part_credit(self, data: dict[str, Any]) -> None:
        """Note, in the QTI 2 reader's words, a scoring of blanks or rows other than the bank's
        equal share per right one: shares of other sizes (Canvas: each right one adds its own,
        `setvar action="Add"`), or none, the whole question scored all or nothing. Brightspace
        grades by a grading type instead (note_d2l_grading)."""
        names = list(dict.fromkeys(self.parts.values()))
        if len(names) < 2 or next(descendants(self.item, "response_grp"), None) is not None:
            return
        shares: dict[str, float] = {}  # by the name of the part
        for condition in self.conditions:
            responses = {test.respident for test in condition.tests if not test.negated}
            if (condition.adds and not condition.counts and condition.score is not None
                    and len(responses) == 1):
                name = self.parts.get(responses.pop())
                if name is not None:
                    shares[name] = max(shares.get(name, 0), condition.score)
        unit = "row" if data["type"] == "matching" else "blank"
        points = data.get("points", 1.0)
        if not shares:
            if any(condition.score for condition in self.conditions):
                self.note("changed", part_credit_gained("the response processing", unit, points))
            return
        if equal_shares([shares.get(name, 0.0) for name in names], len(names)):
            return
        terms = first_named([f"{name!r} {shares.get(name, 0):g}" for name in names])
        self.note("changed", shares_changed("the response processing", unit, ", ".join(terms),
                                            points))

    def note_match_formatting(self, row: etree._Element, keys: list[str], match: str) -> None:
        """Note a Brightspace match whose formatting (bold, a formula's subscript …) the
        bank's plain-text match cannot hold."""
        if local(row) != "response_grp":
            return
        label = next((c for c in choice_labels(row) if c.ident in keys), None)
        if label is None:
            return
        found: list[Note] = []
        shown = self.reader.rich(material_html(label.element), found)
        if found or shown != self.reader.rich(html.escape(match, quote=False), []):
            self.note("changed", f"the formatting of the match {match!r} is lost: a match is "
                      "plain text")

    def note_d2l_grading(self, data: dict[str, Any]) -> None:
        """Brightspace grades a matching or ordering question by a grading type its export
        names by number; 0 is all or nothing, others can give credit for part of it. A
        bank's ordering question scores all or nothing, its matching question gives each
        right row its share."""
        if data["type"] not in ("matching", "ordering") or next(
                descendants(self.item, "response_grp"), None) is None:
            return
        grading = next(descendants(self.item, "grading_type"), None)
        value = squash(grading.text or "") if grading is not None else ""
        points = data.get("points", 1.0)
        if data["type"] == "matching":
            if value == "0":
                self.note("changed", part_credit_gained("Brightspace", "row", points))
            else:
                self.note("changed", f"the scoring may change: Brightspace {_d2l_grades(value)}, "
                          "and a bank's matching question gives each right row an equal share "
                          f"of its {points:g} point{'' if points == 1 else 's'}, nothing off "
                          "for a wrong one")
            return
        if value == "0":
            return
        self.note("changed", f"partial credit may be lost: Brightspace {_d2l_grades(value)}, "
                  "which can give credit for each item in its place, and a bank's ordering "
                  f"question scores all or nothing (its {points:g} point"
                  f"{'' if points == 1 else 's'} for the whole order right, else 0)")

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


def _address(src: str) -> str:
    """An image's address for a note: whole when short, else its start up to a `/`, "…/"
    and its file name (cut at the end, an address read as the folder it is in)."""
    src = src.strip()
    if len(src) <= _ADDRESS_ROOM:
        return src
    name = src.rstrip("/").rpartition("/")[2][-(_ADDRESS_ROOM // 2):]
    head = src[: _ADDRESS_ROOM - len(name) - 2]
    return f"{head[: head.rfind('/') + 1] or head}…/{name}"


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _d2l_grades(value: str) -> str:
    """How Brightspace grades a question by its `grading_type` (0 is all or nothing)."""
    return (f"grades this question by its grading type {value} (0 is all or nothing)" if value
            else "grades this question by a grading type the export does not give")
