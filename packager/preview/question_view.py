"""One question on a bank page: what the learner sees (with answer controls), then the key,
the feedback, the explanation and what each export format does with the question.

The controls are plain HTML, so the page reads (and prints) fully without JavaScript;
assets/preview.js only reads them in "try it" mode and scores them with the SCORM player's
quiz.js. What it reads: `name`/`value` of choice inputs (choice index in authored order),
`data-pair` selects (option text), `data-item` list items (authored index), `data-blank`
inputs (blank id).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from packager.capabilities import FidelityNote
from packager.formats import TARGETS
from packager.model import BLANK_MARKER, Bank, Question
from packager.model import questions as m
from packager.model.types import plain_decimal
from packager.preview.markup import append_rich, el
from packager.richtext import render
from packager.richtext_images import with_image_sources

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # a question has at most 26 choices (model)
TYPE_NAMES = {
    "single_choice": "Single choice",
    "multiple_response": "Multiple response",
    "true_false": "True / false",
    "short_answer": "Short answer",
    "numeric": "Numeric",
    "essay": "Essay",
    "matching": "Matching",
    "ordering": "Ordering",
    "fill_in_blanks": "Fill in the blanks",
    "text": "Text (no answer)",
}
_KIND_WORDS = {"unsupported": "Not exported", "dropped": "Dropped", "changed": "Changed"}


@dataclass(frozen=True)
class Texts:
    """Markdown into the page: the packages' sanitised XHTML, images pointed into the site."""

    media_paths: dict[str, str]  # bank media href -> path relative to the bank page

    def add(self, parent: etree._Element, markdown: str) -> etree._Element:
        rendered = render(markdown)
        xhtml = with_image_sources(rendered.xhtml, self.media_paths.get) if rendered.media else None
        append_rich(parent, rendered, xhtml)
        return parent

    def block(self, parent: etree._Element, markdown: str, class_: str) -> etree._Element:
        return self.add(el(parent, "div", class_=class_), markdown)


# Notes of one question, per target name, in the registry's order.
QuestionNotes = Sequence[tuple[str, Sequence[FidelityNote]]]


def points_text(points: float) -> str:
    return f"{plain_decimal(points)} point{'' if points == 1 else 's'}"


def question_article(
    bank: Bank,
    q: Question,
    number: int,
    texts: Texts,
    notes: QuestionNotes,
    fidelity: FidelityBlocks,
) -> etree._Element:
    # data-question-id, data-choice-id and order-item as in the player's DOM: one test
    # driver (tests/browser/driver.py) answers both.
    article = el(
        None, "article", class_="question", id=q.id, data_type=q.type, data_question_id=q.id
    )
    article.set("aria-labelledby", f"{q.id}.h")
    head = el(article, "header", class_="q-head")
    heading = el(head, "h2", id=f"{q.id}.h")
    el(heading, "a", f"Question {number}", href=f"#{q.id}", class_="anchor")
    if q.title:
        el(heading, "span", f": {q.title}", class_="q-title")
    meta = el(head, "p", class_="q-meta")
    el(meta, "span", TYPE_NAMES[q.type], class_="badge")
    if not isinstance(q, m.TextItem):
        el(meta, "span", points_text(bank.points_of(q)), class_="points")
    el(meta, "code", q.id, class_="q-id")

    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        box = el(article, "section", class_="stimulus")
        box.set("aria-label", f"Scenario: {stimulus.title or stimulus.id}")
        el(box, "h3", stimulus.title or "Scenario")
        texts.add(box, stimulus.body)
    if q.scenario:
        texts.block(article, q.scenario, "scenario")
    prompt = texts.block(article, q.prompt, "prompt")
    prompt.set("id", f"{q.id}.p")
    if not isinstance(q, m.TextItem):
        _response(article, bank, q, texts, prompt)
        _answer(article, q, texts)
    _about(article, q)
    fidelity.add(article, notes)
    return article


# -- what the learner sees ---------------------------------------------------------------


def _response(
    article: etree._Element,
    bank: Bank,
    q: m.ScoredQuestion,
    texts: Texts,
    prompt: etree._Element,
) -> None:
    # A group, not a <form>: once the page has parsed, Chromium does work for every form
    # holding a text box or a select that walks every <label> of the page (autofill, most
    # likely), so a form per question made 2,000 mixed questions take 13-20 s to open (forms
    # x labels). preview.js checks on Enter and resets as a form did.
    form = el(article, "div", class_="response", id=f"{q.id}.f", role="group")
    form.set("aria-labelledby", f"{q.id}.p")
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        kind = "radio" if isinstance(q, m.SingleChoice) else "checkbox"
        group = _group(
            form, "Choose one answer" if kind == "radio" else "Choose every answer that applies"
        )
        items = el(group, "ul", class_="choices")
        for i, choice in enumerate(q.choices):
            label = _choice(items, q.id, i, kind, str(i), choice.correct, choice.id)
            el(label, "span", f"{LETTERS[i]}.", class_="letter")
            texts.block(label, choice.text, "choice-text")
        if bank.shuffles(q):
            el(
                form,
                "p",
                "Learners see these choices shuffled"
                + (" (pinned ones stay in place)." if any(c.pinned for c in q.choices) else "."),
                class_="note",
            )
    elif isinstance(q, m.TrueFalse):
        items = el(_group(form, "True or false?"), "ul", class_="choices")
        for i, value in enumerate((True, False)):
            word = "true" if value else "false"
            label = _choice(items, q.id, i, "radio", word, q.answer is value, word)
            el(label, "span", "True" if value else "False", class_="choice-text")
    elif isinstance(q, m.ShortAnswer | m.Numeric):
        field = el(form, "p", class_="field")
        el(field, "label", "Your answer", for_=f"{q.id}.a")
        el(
            field,
            "input",
            type="text",
            id=f"{q.id}.a",
            name="answer",
            autocomplete="off",
            inputmode="decimal" if isinstance(q, m.Numeric) else "text",
        )
        if isinstance(q, m.Numeric) and q.unit:
            el(field, "span", q.unit, class_="unit")
    elif isinstance(q, m.Essay):
        field = el(form, "p", class_="field")
        el(field, "label", "Your answer", for_=f"{q.id}.a")
        el(field, "textarea", "", id=f"{q.id}.a", name="answer", rows="5")
    elif isinstance(q, m.Matching):
        options = sorted({p.match for p in q.pairs} | set(q.distractors))
        rows = el(form, "ul", class_="pairs")
        for i, pair in enumerate(q.pairs):
            row = el(rows, "li")
            texts.block(row, pair.prompt, "pair-prompt").set("id", f"{q.id}.m{i}")
            select = el(row, "select", data_pair=str(i))
            select.set("aria-labelledby", f"{q.id}.m{i}")
            el(select, "option", "Choose a match", value="")
            for option in options:
                el(select, "option", option, value=option)
    elif isinstance(q, m.Ordering):
        el(form, "p", "Put the items in order (Up and Down move an item).", class_="note try-only")
        items = el(form, "ol", class_="ordering")
        for i, item in enumerate(q.items):
            li = el(items, "li", class_="order-item", data_item=str(i))
            texts.block(li, item, "item-text").set("id", f"{q.id}.o{i}")
            for word in ("Up", "Down"):
                button = el(
                    li,
                    "button",
                    word,
                    type="button",
                    class_="move try-only",
                    data_move=word.lower(),
                )
                button.set("aria-describedby", f"{q.id}.o{i}")
        # Listed here in the right order (the key); the player and "try it" shuffle them.
        el(form, "p", "Learners see these items shuffled.", class_="note")
    elif isinstance(q, m.FillInBlanks):
        _blank_inputs(prompt, q)
    actions = el(form, "p", class_="actions try-only")
    el(actions, "button", "Check answer", type="button", class_="check")
    el(actions, "button", "Try again", type="button", class_="again")
    el(form, "p", "", class_="verdict", role="status")


def _group(form: etree._Element, legend: str) -> etree._Element:
    fieldset = el(form, "fieldset")
    el(fieldset, "legend", legend, class_="note")
    return fieldset


def _choice(
    items: etree._Element, qid: str, i: int, kind: str, value: str, correct: bool, cid: str
) -> etree._Element:
    li = el(items, "li", class_="choice")
    el(li, "input", type=kind, id=f"{qid}.c{i}", name=qid, value=value, data_choice_id=cid)
    label = el(li, "label", for_=f"{qid}.c{i}")
    if correct:
        el(li, "span", "Correct answer", class_="key-mark")
    return label


def _blank_inputs(prompt: etree._Element, q: m.FillInBlanks) -> None:
    """Each [[blank-id]] of the rendered prompt becomes a labelled text box."""
    # Each blank's number among those the prompt shows, looked up (not searched) per box.
    found = {b: i for i, b in enumerate(q.blank_order())}
    for node in list(prompt.iter()):
        if node is prompt or not isinstance(node.tag, str):
            continue
        if node.text and "[[" in node.text:
            pieces = BLANK_MARKER.split(node.text)
            node.text = pieces[0]
            for box in reversed(_boxes(pieces, q, found)):
                node.insert(0, box)  # at the front, in reverse: lxml walks to an index
        if node.tail and "[[" in node.tail:
            pieces = BLANK_MARKER.split(node.tail)
            node.tail = pieces[0]
            for box in reversed(_boxes(pieces, q, found)):
                node.addnext(box)


def _boxes(
    pieces: list[str], q: m.FillInBlanks, found: dict[str, int]
) -> list[etree._Element]:
    """The inputs for BLANK_MARKER.split() pieces [text, id, text, id, text …], each box
    carrying the text after it; a marker naming no blank stays text."""
    boxes: list[etree._Element] = []
    for k in range(1, len(pieces), 2):
        blank, after = pieces[k], pieces[k + 1]
        if blank not in q.blanks:
            if boxes:
                boxes[-1].tail = (boxes[-1].tail or "") + f"[[{blank}]]" + after
            continue
        box = el(
            None,
            "input",
            type="text",
            class_="blank",
            data_blank=blank,
            size="12",
            autocomplete="off",
        )
        box.set("aria-label", f"Blank {found[blank] + 1} of {len(found)}")
        box.set("placeholder", f"blank {found[blank] + 1}")
        box.tail = after
        boxes.append(box)
    return boxes


# -- the key and everything a reviewer checks ------------------------------------------------


def _answer(article: etree._Element, q: m.ScoredQuestion, texts: Texts) -> None:
    box = el(article, "section", class_="answer")
    box.set("aria-label", f"Answer to question {q.id}")
    el(box, "h3", "Answer key")
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        keys = ", ".join(LETTERS[i] for i, c in enumerate(q.choices) if c.correct)
        if isinstance(q, m.MultipleResponse):
            keys += " (partial credit)" if q.scoring == "partial" else " (all or nothing)"
        _key(box, keys)
        if any(c.feedback for c in q.choices):
            body = _table(box, "Feedback per choice", ("Choice", "Feedback"))
            for i, choice in enumerate(q.choices):
                row = el(body, "tr")
                el(row, "th", LETTERS[i] + (" (correct)" if choice.correct else ""), scope="row")
                cell = el(row, "td")
                if choice.feedback:
                    texts.add(cell, choice.feedback)
                else:
                    el(cell, "span", "none", class_="none")
    elif isinstance(q, m.TrueFalse):
        _key(box, "True" if q.answer else "False")
        if q.feedback_true:
            _rich_item(box, "If the learner answers True", q.feedback_true, texts)
        if q.feedback_false:
            _rich_item(box, "If the learner answers False", q.feedback_false, texts)
    elif isinstance(q, m.ShortAnswer):
        el(box, "p", "Accepted answers:", class_="key")
        accepted = el(box, "ul", class_="accepted")
        for a in q.answers:
            el(accepted, "li", a.text + (" (case-sensitive)" if a.case_sensitive else ""))
    elif isinstance(q, m.Numeric):
        unit = f" {q.unit}" if q.unit else ""
        if isinstance(q.answer, m.RangeAnswer):
            _key(
                box,
                f"any number from {plain_decimal(q.answer.min)} to {plain_decimal(q.answer.max)}{unit}",
            )
        elif q.answer.tolerance:
            _key(box, f"{plain_decimal(q.answer.value)} ± {plain_decimal(q.answer.tolerance)}{unit}")
        else:
            _key(box, f"{plain_decimal(q.answer.value)}{unit}")
    elif isinstance(q, m.Essay):
        el(box, "p", "Scored by a person, not automatically.", class_="key")
        if q.sample_answer:
            _rich_item(box, "Sample answer", q.sample_answer, texts)
        if q.rubric:
            _rich_item(box, "Rubric", q.rubric, texts)
    elif isinstance(q, m.Matching):
        body = _table(box, "Key: each prompt and its match", ("Prompt", "Match"), "key")
        for pair in q.pairs:
            row = el(body, "tr")
            texts.add(el(row, "td"), pair.prompt)
            el(row, "td", pair.match)
        if q.distractors:
            el(box, "p", "Also offered, never correct: " + "; ".join(q.distractors))
    elif isinstance(q, m.Ordering):
        el(box, "p", "Key: the correct order", class_="key")
        ordered = el(box, "ol", class_="key-order")
        for item in q.items:
            texts.add(el(ordered, "li"), item)
    elif isinstance(q, m.FillInBlanks):
        el(
            box,
            "p",
            "Accepted answers per blank" + (" (case-sensitive):" if q.case_sensitive else ":"),
            class_="key",
        )
        blanks = el(box, "dl", class_="blanks")
        for n, blank in enumerate(q.blank_order(), 1):  # as the boxes are numbered
            el(blanks, "dt", f"Blank {n} ({blank})")
            el(blanks, "dd", " | ".join(q.blanks[blank]))
    if q.feedback and q.feedback.correct:
        _rich_item(box, "Feedback when correct", q.feedback.correct, texts)
    if q.feedback and q.feedback.incorrect:
        _rich_item(box, "Feedback when incorrect", q.feedback.incorrect, texts)
    if q.explanation:
        _rich_item(box, "Explanation", q.explanation, texts, "explanation")
    else:
        el(box, "p", "No explanation.", class_="none")


def _table(
    box: etree._Element, caption: str, headings: tuple[str, ...], class_: str = "notes"
) -> etree._Element:
    """A table with a caption and column headings; returns its body."""
    table = el(box, "table", class_=class_)
    el(table, "caption", caption)
    row = el(el(table, "thead"), "tr")
    for word in headings:
        el(row, "th", word, scope="col")
    return el(table, "tbody")


def _key(box: etree._Element, text: str) -> None:
    line = el(box, "p", class_="key")
    el(line, "strong", "Key: ")
    el(line, "span", text)


def _rich_item(
    box: etree._Element, title: str, markdown: str, texts: Texts, class_: str = "rich-item"
) -> None:
    part = el(box, "div", class_=class_)
    el(part, "h4", title)
    texts.add(part, markdown)


def _about(article: etree._Element, q: Question) -> None:
    if not q.tags and not q.objectives:
        return
    about = el(article, "dl", class_="about")
    if q.tags:
        el(about, "dt", "Tags")
        tags = el(el(about, "dd"), "ul", class_="tags")
        for tag in q.tags:
            el(tags, "li", tag, data_tag=tag)
    if q.objectives:
        el(about, "dt", "Objectives")
        objectives = el(el(about, "dd"), "ul")
        for objective in q.objectives:
            el(objectives, "li", objective)


class FidelityBlocks:
    """The export-format notes of a question, as a collapsed block. Questions of one shape
    have the same notes, so each distinct block is built once and copied (in C) after:
    building them element by element was a quarter of a 10,000-question page."""

    def __init__(self) -> None:
        self._built: dict[tuple[tuple[str, tuple[tuple[str, str], ...]], ...], etree._Element] = {}

    def add(self, article: etree._Element, notes: QuestionNotes) -> None:
        key = tuple((name, tuple((n.kind, n.message) for n in found)) for name, found in notes)
        block = self._built.get(key)
        if block is None:
            block = self._built[key] = _fidelity(key)
        article.append(copy.deepcopy(block))


def _fidelity(notes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]) -> etree._Element:
    """What each export format loses or changes of a question (the export reports' notes)."""
    lossy = [(name, found) for name, found in notes if found]
    box = el(None, "details", class_="fidelity")
    el(
        box,
        "summary",
        f"Export formats: {len(lossy)} of {len(notes)} change or drop something"
        if lossy
        else f"Export formats: all {len(notes)} carry it as authored",
    )
    if lossy:
        items = el(box, "ul")
        for name, found in lossy:
            skipped = any(kind == "unsupported" for kind, _ in found)
            item = el(items, "li", class_="unsupported" if skipped else "lossy")
            el(item, "strong", f"{TARGETS[name].summary} ({name}):").tail = " " + " ".join(
                f"{_KIND_WORDS[kind]}: {message}{'' if message.endswith('.') else '.'}"
                for kind, message in found
            )
    kept = [name for name, found in notes if not found]
    if kept:
        el(box, "p", "Carried as authored: " + ", ".join(kept) + ".", class_="kept")
    return box
