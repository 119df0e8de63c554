"""QTI 1.2 items in Canvas's shape: one `<item>` per question, built for each question type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from html import escape
from typing import NamedTuple

from lxml import etree

from packager.feedback_idents import (
    CORRECT_FB,
    GENERAL_FB,
    GENERAL_INCORRECT_FB,
    answer_feedback_ident,
)
from packager.model import (
    Bank,
    Essay,
    ExactAnswer,
    FillInBlanks,
    Matching,
    MultipleResponse,
    Numeric,
    Question,
    ShortAnswer,
    SingleChoice,
    TextItem,
    TrueFalse,
)
from packager.model.types import typed_forms
from packager.richtext import render
from packager.richtext_plain import plain_text
from packager.writers.html_references import with_references
from packager.writers.numeric_ranges import bounds, decimal_text
from packager.writers.qti12_elements import (
    QTI_NSMAP,
    Q,
    displayfeedback,
    fill_itemmetadata,
    itemfeedback,
    itemmetadata,
    material,
    number,
    other_condition,
    points,
    respcondition,
    response_label,
    response_lid,
    response_str,
    resprocessing,
    setvar,
    subelement,
    text_element,
    varequal,
)
from packager.writers.qti12_html import block_html, html, para
from packager.writers.qti12_idents import blank_names, choice_ident, item_ident, question_ref
from packager.xml.templates import InPlace, Templates

# canonical type → Canvas question_type (ordering has none: the target declares it unsupported)
QUESTION_TYPES: dict[str, str] = {
    "single_choice": "multiple_choice_question",
    "true_false": "true_false_question",
    "multiple_response": "multiple_answers_question",
    "short_answer": "short_answer_question",
    "fill_in_blanks": "fill_in_multiple_blanks_question",
    "matching": "matching_question",
    "numeric": "numerical_question",
    "essay": "essay_question",
    "text": "text_only_question",
}


def _question_html(bank: Bank, question: Question) -> str:
    parts: list[str] = []
    if question.stimulus is not None:
        stimulus = bank.stimulus_by_id[question.stimulus]
        if stimulus.title:
            parts.append(f"<p><strong>{escape(stimulus.title, quote=False)}</strong></p>")
        parts.append(html(stimulus.body))
    if question.scenario:
        parts.append(html(question.scenario))
    scenario = "".join(parts)
    prompt = html(question.prompt)
    if isinstance(question, FillInBlanks):
        names = blank_names(bank, question)
        # Canvas puts a blank's box where `[name]` first stands in the question's HTML (its
        # quiz.rb: text.sub), a code span's `a[i]` too: only the blanks are brackets there.
        scenario = with_references(scenario, "[]")
        prompt = with_references(prompt, "[]", lambda blank: f"[{names[blank]}]")
    if isinstance(question, Numeric) and question.unit:
        prompt += para(f"Unit: {question.unit}")
    if scenario:
        return f'<div class="scenario">{scenario}</div>{prompt}'
    return prompt



class _Feedback(NamedTuple):
    """An item's general, correct and incorrect feedback, as block HTML (None: not given)."""

    general: str | None
    correct: str | None
    incorrect: str | None


_NO_FEEDBACK = _Feedback(None, None, None)


def _feedback_texts(question: Question) -> _Feedback:
    if isinstance(question, TextItem):
        return _NO_FEEDBACK
    general = block_html(question.explanation) if question.explanation else None
    fb = question.feedback
    if fb is None:
        return _Feedback(general, None, None)
    return _Feedback(
        general,
        block_html(fb.correct) if fb.correct else None,
        block_html(fb.incorrect) if fb.incorrect else None,
    )


def _item_start(
    ident: str, title: str, metadata: Sequence[str], question_html: str
) -> tuple[etree._Element, etree._Element]:
    """An item (a root of its own) with its itemmetadata and question; and its presentation."""
    element = etree.Element(Q + "item", {"ident": ident, "title": title}, nsmap=QTI_NSMAP)
    itemmetadata(element, metadata)
    presentation = subelement(element, "presentation")
    material(presentation, question_html)
    return element, presentation


def _metadata_entries(bank: Bank, question: Question, answer_ids: list[str]) -> tuple[str, ...]:
    """The entries of ITEM_FIELDS."""
    return (
        QUESTION_TYPES[question.type],
        points(bank.points_of(question)),
        ",".join(answer_ids),
        question_ref(bank, question),
    )


# Built from a spec, as copies of a template per shape (see `_choice_item`).
CHOICE_TYPES = (SingleChoice, MultipleResponse, TrueFalse)


def item(bank: Bank, question: Question) -> etree._Element:
    """One `<item>` in Canvas's shape: itemmetadata, presentation, resprocessing, itemfeedback.

    A root element of its own, streamed into the document later (see `assessment`).
    """
    if isinstance(question, CHOICE_TYPES):
        return _CHOICE_ITEMS(_choice_item(bank, question))
    title = question.title or question.id
    element, presentation = _item_start(
        item_ident(bank, question), title, ("",) * 4, _question_html(bank, question)
    )
    # The metadata is filled in once the answers are known.
    answer_ids, feedback = _BUILDERS[type(question)](element, presentation, bank, question)
    fill_itemmetadata(element[0], _metadata_entries(bank, question, answer_ids))
    _itemfeedbacks(element, feedback)
    return element


def _itemfeedbacks(element: etree._Element, feedback: list[tuple[str, str]]) -> None:
    for fb_ident, fb_html in feedback:
        itemfeedback(element, fb_ident, fb_html)


_Built = tuple[list[str], list[tuple[str, str]]]


def _feedback_head(processing: etree._Element, fb: _Feedback) -> list[tuple[str, str]]:
    """The general-feedback condition (first, continue=Yes) and its itemfeedback."""
    if fb.general is None:
        return []
    other_condition(processing, GENERAL_FB, continue_=True)
    return [(GENERAL_FB, fb.general)]


def _feedback_tail(
    processing: etree._Element, fb: _Feedback, feedback: list[tuple[str, str]]
) -> None:
    """correct_fb / general_incorrect_fb itemfeedback, and the incorrect condition (last)."""
    if fb.correct is not None:
        feedback.append((CORRECT_FB, fb.correct))
    if fb.incorrect is not None:
        other_condition(processing, GENERAL_INCORRECT_FB, continue_=True)
        feedback.append((GENERAL_INCORRECT_FB, fb.incorrect))


def _score_condition(
    processing: etree._Element, fb: _Feedback
) -> tuple[etree._Element, etree._Element]:
    condition, var = respcondition(processing, continue_=False)
    setvar(condition, "100")
    if fb.correct is not None:
        displayfeedback(condition, CORRECT_FB)
    return condition, var


# --- choice items: built from a spec, as copies of a template per shape -------------------


class _Option(NamedTuple):
    """One answer of a choice question."""

    ident: str
    text: str  # HTML (plain text for true/false)
    correct: bool
    feedback: tuple[str, str] | None  # its itemfeedback ident and HTML


class _ChoiceItem(NamedTuple):
    """What a single choice, multiple response or true/false item is built from."""

    ident: str
    title: str
    metadata: tuple[str, ...]  # the entries of ITEM_FIELDS
    question: str
    multiple: bool
    plain: bool  # the answers are plain text
    options: tuple[_Option, ...]
    feedback: _Feedback


def _choice_item(
    bank: Bank, question: SingleChoice | MultipleResponse | TrueFalse
) -> _ChoiceItem:
    """The spec of a choice item: its strings, and its structure (how many answers, which
    are correct, which feedback is given)."""
    options: list[_Option] = []
    if isinstance(question, TrueFalse):
        for value, text, fb in (
            (True, "True", question.feedback_true),
            (False, "False", question.feedback_false),
        ):
            ident = choice_ident(bank, question, text.lower())
            options.append(_Option(ident, text, question.answer is value, _option_feedback(ident, fb)))
    else:
        for choice in question.choices:
            ident = choice_ident(bank, question, choice.id)
            html_text = block_html(choice.text)
            options.append(
                _Option(ident, html_text, choice.correct, _option_feedback(ident, choice.feedback))
            )
    return _ChoiceItem(
        item_ident(bank, question),
        question.title or question.id,
        _metadata_entries(bank, question, [option.ident for option in options]),
        _question_html(bank, question),
        isinstance(question, MultipleResponse),
        isinstance(question, TrueFalse),
        tuple(options),
        _feedback_texts(question),
    )


def _option_feedback(ident: str, markdown: str | None) -> tuple[str, str] | None:
    return (answer_feedback_ident(ident), block_html(markdown)) if markdown else None


def _build_choice_item(spec: _ChoiceItem) -> etree._Element:
    element, presentation = _item_start(spec.ident, spec.title, spec.metadata, spec.question)
    lid = response_lid(presentation, "response1", "Multiple" if spec.multiple else "Single")
    render_choice = subelement(lid, "render_choice")
    texttype = "text/plain" if spec.plain else "text/html"
    for option in spec.options:
        response_label(render_choice, option.ident, option.text, texttype)
    processing = resprocessing(element)
    feedback = _feedback_head(processing, spec.feedback)
    for option in spec.options:
        if option.feedback is not None:
            condition, var = respcondition(processing, continue_=True)
            varequal(var, "response1", option.ident)
            displayfeedback(condition, option.feedback[0])
            feedback.append(option.feedback)
    _, var = _score_condition(processing, spec.feedback)
    if spec.multiple:
        both = subelement(var, "and")
        for option in spec.options:
            varequal(both if option.correct else subelement(both, "not"), "response1", option.ident)
    else:
        (key,) = [option.ident for option in spec.options if option.correct]
        varequal(var, "response1", key)
    _feedback_tail(processing, spec.feedback, feedback)
    _itemfeedbacks(element, feedback)
    return element


# Few shapes (number of answers, which are correct, which feedback is given): kept for the
# life of the process. Remembered: the Canvas rules check the copies of a shape from their
# strings (packages/canvas_rules.py), so `item` returns them unchanged.
_CHOICE_ITEMS = Templates(_build_choice_item, remember=True)


def in_place(bank: Bank) -> InPlace:
    """The choice items of `bank` as specs of their templates, which the assembler fills in
    place (xml.templates.InPlace); the other items are built by `item`."""
    return InPlace(_CHOICE_ITEMS, partial(_choice_spec, bank))


def _choice_spec(bank: Bank, question: Question) -> _ChoiceItem | None:
    return _choice_item(bank, question) if isinstance(question, CHOICE_TYPES) else None


# --- other items: built element by element --------------------------------------------------


def _short_answer(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    assert isinstance(question, ShortAnswer)
    response_str(presentation)
    processing = resprocessing(element)
    fb = _feedback_texts(question)
    feedback = _feedback_head(processing, fb)
    _, var = _score_condition(processing, fb)
    # Canvas's own export lists the accepted answers side by side; its importer reads each one.
    for answer in dict.fromkeys(f for a in question.answers for f in typed_forms(a.text)):
        varequal(var, "response1", answer)
    _feedback_tail(processing, fb, feedback)
    return [], feedback


def _numeric(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    assert isinstance(question, Numeric)
    response_str(presentation, fibtype="Decimal")
    processing = resprocessing(element)
    fb = _feedback_texts(question)
    feedback = _feedback_head(processing, fb)
    _, var = _score_condition(processing, fb)
    answer = question.answer
    if isinstance(answer, ExactAnswer):
        # Canvas reads <or><varequal/><and><vargte/><varlte/></and></or> as "exact ± margin".
        either = subelement(var, "or")
        varequal(either, "response1", number(answer.value))
        both = subelement(either, "and")
        low, high = bounds(answer.value, answer.tolerance)
        text_element(both, "vargte", decimal_text(low), respident="response1")
        text_element(both, "varlte", decimal_text(high), respident="response1")
    else:
        # …and a bare vargte/varlte pair as "between min and max".
        text_element(var, "vargte", number(answer.min), respident="response1")
        text_element(var, "varlte", number(answer.max), respident="response1")
    _feedback_tail(processing, fb, feedback)
    return [], feedback


def _essay(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    assert isinstance(question, Essay)
    response_str(presentation)
    processing = resprocessing(element)
    fb = _feedback_texts(question)
    feedback = _feedback_head(processing, fb)
    other_condition(processing, None, continue_=False)  # graded by hand: no SCORE is set
    # Canvas shows essay feedback as neutral comments; keep correct/incorrect as written.
    _feedback_tail(processing, fb, feedback)
    return [], feedback


def _part_scoring(
    element: etree._Element,
    bank: Bank,
    question: Question,
    conditions: list[tuple[str, list[str]]],
) -> list[tuple[str, str]]:
    """resprocessing for questions scored per part (blanks, matching), in Canvas's order."""
    processing = resprocessing(element)
    fb = _feedback_texts(question)
    feedback = _feedback_head(processing, fb)
    _add_scores(processing, fb, conditions)
    _feedback_tail(processing, fb, feedback)
    return feedback


def _add_scores(
    processing: etree._Element,
    fb: _Feedback,
    conditions: list[tuple[str, list[str]]],
) -> None:
    """Per-part scoring (Canvas's shape for blanks and matching): SCORE Add 100/parts."""
    share = f"{100 / len(conditions):.2f}"
    for respident, accepted in conditions:
        for value in accepted:
            condition, var = respcondition(processing, continue_=True)
            varequal(var, respident, value)
            setvar(condition, share, action="Add")
    if fb.correct is not None:
        condition, var = respcondition(processing, continue_=False)
        both = subelement(var, "and")
        for respident, accepted in conditions:
            either = subelement(both, "or")
            for value in accepted:
                varequal(either, respident, value)
        displayfeedback(condition, CORRECT_FB)


def _fill_in_blanks(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    assert isinstance(question, FillInBlanks)
    names = blank_names(bank, question)
    conditions: list[tuple[str, list[str]]] = []
    answer_ids: list[str] = []
    order = question.blank_order()
    for blank_id in order:
        name = names[blank_id]
        lid = response_lid(presentation, f"response_{name}")
        material(lid, name, "text/plain")
        render_choice = subelement(lid, "render_choice")
        idents: list[str] = []
        for answer in dict.fromkeys(f for a in question.blanks[blank_id] for f in typed_forms(a)):
            ident = choice_ident(bank, question, f"blank\x1f{blank_id}\x1f{answer}")
            response_label(render_choice, ident, answer, "text/plain")
            idents.append(ident)
        answer_ids.extend(idents)
        conditions.append((f"response_{name}", idents))
    return answer_ids, _part_scoring(element, bank, question, conditions)


def _matching(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    assert isinstance(question, Matching)
    matches = list(dict.fromkeys([p.match for p in question.pairs] + list(question.distractors)))
    match_ids = {m: choice_ident(bank, question, f"match\x1f{m}") for m in matches}
    conditions: list[tuple[str, list[str]]] = []
    answer_ids: list[str] = []
    for pair in question.pairs:
        left = choice_ident(bank, question, f"pair\x1f{pair.prompt}")
        lid = response_lid(presentation, f"response_{left}")
        rendered = render(pair.prompt)
        if rendered.is_plain_paragraph:
            material(lid, plain_text(pair.prompt), "text/plain")
        else:
            material(lid, block_html(pair.prompt), "text/html")
        render_choice = subelement(lid, "render_choice")
        for match in matches:
            response_label(render_choice, match_ids[match], match, "text/plain")
        answer_ids.append(left)
        conditions.append((f"response_{left}", [match_ids[pair.match]]))
    return answer_ids, _part_scoring(element, bank, question, conditions)


def _text_only(
    element: etree._Element, presentation: etree._Element, bank: Bank, question: Question
) -> _Built:
    return [], []


_BUILDERS: dict[type, Callable[[etree._Element, etree._Element, Bank, Question], _Built]] = {
    ShortAnswer: _short_answer,
    Numeric: _numeric,
    Essay: _essay,
    FillInBlanks: _fill_in_blanks,
    Matching: _matching,
    TextItem: _text_only,
}

