"""Bank → QTI 1.2 documents in the shape Canvas exports and imports.

Two trees: the `questestinterop` assessment (one item per question, question groups for
sections with `pick`) and Canvas's `assessment_meta.xml` (`<quiz>` in the cccv1p0 namespace).
Element builders are named after the spec elements. Rich text travels as escaped HTML in
`mattext texttype="text/html"` (lxml escapes it); images point at `$IMS-CC-FILEBASE$/<path>`.

Canvas's importer reads feedback by ident (`general_fb`, `correct_fb`, `general_incorrect_fb`,
`<answer-ident>_fb`) and reinterprets idents containing `correct`, `incorrect`, `wrong`,
`general_`, `_all`, `.` or `:`; every ident here is a letter followed by hex digits of a digest
of the bank, question and choice ids, so none can contain them (see `safe_ident`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from html import escape
from pathlib import PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import quote

from lxml import etree

from packager.feedback_idents import (
    CORRECT_FB,
    GENERAL_FB,
    GENERAL_INCORRECT_FB,
    answer_feedback_ident,
)
from packager.model import (
    BLANK_MARKER,
    Bank,
    DeliverySection,
    Essay,
    ExactAnswer,
    FillInBlanks,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TextItem,
    TrueFalse,
    delivery_sections,
)
from packager.model.ids import digest
from packager.richtext import plain_text, render, with_image_sources
from packager.xml import ns
from packager.xml.serialize import ChildRun, child_run
from packager.xml.templates import Templates

FILEBASE = "$IMS-CC-FILEBASE$"
MEDIA_FOLDER = "media"
SCHEMA_LOCATION = f"{ns.QTI12} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CANVAS_SCHEMA_LOCATION = f"{ns.CANVAS} https://canvas.instructure.com/xsd/cccv1p0.xsd"

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

# Substrings Canvas's importer reads as feedback markers or rewrites (checked case-insensitively).
FORBIDDEN_IN_IDENT: tuple[str, ...] = (
    "correct",
    "incorrect",
    "wrong",
    "general_",
    "_all",
    ".",
    ":",
)

_Q = f"{{{ns.QTI12}}}"
# lxml-stubs types nsmap keys as str; the default namespace is the key None.
_QTI_NSMAP: Any = {None: ns.QTI12, "xsi": ns.XSI}
_CANVAS_NSMAP: Any = {None: ns.CANVAS, "xsi": ns.XSI}
_C = f"{{{ns.CANVAS}}}"


# --- identifiers -------------------------------------------------------------------------


def forbidden_word(ident: str) -> str | None:
    """The part of an ident Canvas would reinterpret (feedback words, '.', ':'), or None."""
    low = ident.lower()
    return next((bad for bad in FORBIDDEN_IN_IDENT if bad in low), None)


def ident_problem(ident: str) -> str | None:
    """Why Canvas would misread this response ident, or None when it is safe."""
    if not ident[:1].isalpha():
        return "does not start with a letter"
    bad = forbidden_word(ident)
    return f"contains {bad!r}" if bad else None


def safe_ident(prefix: str, *parts: str, size: int = 6) -> str:
    """A letter prefix + hex digest: hex digits cannot spell any forbidden substring."""
    return f"{prefix}{digest(*parts, size=size)}"


def assessment_ident(bank: Bank) -> str:
    """The one identifier shared by the manifest resource, the assessment and the quiz meta."""
    return safe_ident("g", "qti12", bank.id, size=16)


def meta_resource_ident(bank: Bank) -> str:
    return safe_ident("g", "qti12-meta", bank.id, size=16)


def item_ident(bank: Bank, question: Question) -> str:
    return safe_ident("i", bank.id, question.id, size=12)


def _question_ref(bank: Bank, question: Question) -> str:
    return safe_ident("q", "bank-question", bank.id, question.id, size=12)


def _choice_ident(bank: Bank, question: Question, key: str) -> str:
    return safe_ident("a", bank.id, question.id, key)


def media_package_path(href: str) -> str:
    """Where a bank media file (as `MediaFile.href`) lives in the package."""
    path = str(PurePosixPath(href))
    return path if path.startswith(f"{MEDIA_FOLDER}/") else f"{MEDIA_FOLDER}/{path}"


# --- rich text → Canvas HTML ---------------------------------------------------------------

def _package_src(href: str) -> str:
    return f"{FILEBASE}/{quote(media_package_path(href), safe='/')}"


# Texts with images, their sources pointed into the package: rewritten once however often
# they occur (a stimulus in every question). A per-build cache (cleared by `write`); values
# are pure functions of the Markdown, so concurrent builds can share it safely. No other
# text is kept here: render() keeps the rendered ones, and a copy of every text held for
# the whole build grows with the bank and slows every later batch in the heap it leaves.
_IMAGE_HTML: dict[str, str] = {}


def html(markdown: str) -> str:
    """Rendered HTML of rich text with image sources pointing into the package."""
    xhtml = render(markdown).xhtml
    if "<img" not in xhtml:
        return xhtml
    cached = _IMAGE_HTML.get(markdown)
    if cached is None:
        cached = _IMAGE_HTML[markdown] = with_image_sources(xhtml, _package_src)
    return cached


def block_html(markdown: str) -> str:
    """HTML as one block element: Canvas keeps answer/feedback HTML only from the first one."""
    text = html(markdown)
    return text if _is_single_block(text) else f"<div>{text}</div>"


def _is_single_block(xhtml: str) -> bool:
    """Whether rendered XHTML is one <p> or <div> and nothing beside it."""
    if xhtml.startswith(("<p>", "<p ")):
        # A <p> holds no block, so its first end tag closes it (text has `<` escaped): one
        # block if that is the end. A string search, as most rich texts are paragraphs.
        return xhtml.find("</p>") == len(xhtml) - 4
    if not xhtml.startswith("<div"):
        return False  # a list, a table, a heading…
    return _is_one_div(xhtml)


# Keyed by render()'s own string (no copy is kept): a text that starts with a <div> (display
# math, raw HTML) may be a stimulus in every question, and is parsed once.
@lru_cache(maxsize=4096)
def _is_one_div(xhtml: str) -> bool:
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    return len(wrapper) == 1 and not (wrapper[0].tail or "")


def _para(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>"


# --- element builders ----------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, attrib: dict[str, str] | None = None) -> etree._Element:
    return etree.SubElement(parent, _Q + tag, attrib)


def _text(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, _Q + tag, attrib)
    element.text = text
    return element


# Fixed fragments are built once and deep-copied (lxml copies in C, about three times faster
# than building element by element), then filled in. They hang off a root that declares the
# QTI namespace as default, so copies reuse the document's declaration.
_TEMPLATE_ROOT = etree.Element(_Q + "questestinterop", nsmap=_QTI_NSMAP)


def _clone(parent: etree._Element, template: etree._Element) -> etree._Element:
    element = copy.copy(template)  # lxml's shallow copy copies the whole subtree, and faster
    parent.append(element)
    return element


def qtimetadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> etree._Element:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _text(field, "fieldlabel", label)
        _text(field, "fieldentry", entry)
    return meta


ITEM_FIELDS = (
    "question_type",
    "points_possible",
    "original_answer_ids",
    "assessment_question_identifierref",
)


def _itemmetadata(root: etree._Element) -> etree._Element:
    metadata = _sub(root, "itemmetadata")
    qtimetadata(metadata, [(field, "") for field in ITEM_FIELDS])
    return metadata


_ITEMMETADATA = _itemmetadata(_TEMPLATE_ROOT)


def itemmetadata(parent: etree._Element, entries: Sequence[str] = ("",) * 4) -> etree._Element:
    """Canvas's four item fields (ITEM_FIELDS), in that order; `fill_itemmetadata` sets them."""
    metadata = _clone(parent, _ITEMMETADATA)
    fill_itemmetadata(metadata, entries)
    return metadata


def fill_itemmetadata(metadata: etree._Element, entries: Sequence[str]) -> None:
    for field, entry in zip(metadata[0], entries, strict=True):
        field[1].text = entry


def _material_template(texttype: str) -> etree._Element:
    element = _sub(_TEMPLATE_ROOT, "material")
    _text(element, "mattext", "", texttype=texttype)
    return element


_MATERIAL = {t: _material_template(t) for t in ("text/html", "text/plain")}


def material(parent: etree._Element, text: str, texttype: str = "text/html") -> etree._Element:
    element = _clone(parent, _MATERIAL[texttype])
    element[0].text = text
    return element


def _response_label_template(texttype: str) -> etree._Element:
    label = _sub(_TEMPLATE_ROOT, "response_label")
    label.append(copy.deepcopy(_MATERIAL[texttype]))
    return label


_RESPONSE_LABEL = {t: _response_label_template(t) for t in ("text/html", "text/plain")}


def response_label(parent: etree._Element, ident: str, text: str, texttype: str) -> etree._Element:
    label = _clone(parent, _RESPONSE_LABEL[texttype])
    label.set("ident", ident)
    label[0][0].text = text
    return label


def response_lid(parent: etree._Element, ident: str, cardinality: str = "Single") -> etree._Element:
    return _sub(parent, "response_lid", {"ident": ident, "rcardinality": cardinality})


def response_str(parent: etree._Element, fibtype: str | None = None) -> etree._Element:
    response = _sub(parent, "response_str", {"ident": "response1", "rcardinality": "Single"})
    render_fib = _sub(response, "render_fib", {"fibtype": fibtype} if fibtype else None)
    _sub(render_fib, "response_label", {"ident": "answer1", "rshuffle": "No"})
    return response


def _resprocessing(root: etree._Element) -> etree._Element:
    processing = _sub(root, "resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    return processing


_RESPROCESSING = _resprocessing(_TEMPLATE_ROOT)


def resprocessing(parent: etree._Element) -> etree._Element:
    """resprocessing with Canvas's SCORE outcome (0..100, a percentage of points_possible)."""
    return _clone(parent, _RESPROCESSING)


def respcondition(parent: etree._Element, continue_: bool) -> tuple[etree._Element, etree._Element]:
    """A respcondition and its conditionvar."""
    condition = _sub(parent, "respcondition", {"continue": "Yes" if continue_ else "No"})
    return condition, _sub(condition, "conditionvar")


def varequal(parent: etree._Element, respident: str, value: str) -> etree._Element:
    return _text(parent, "varequal", value, respident=respident)


def setvar(parent: etree._Element, value: str, action: str = "Set") -> etree._Element:
    return _text(parent, "setvar", value, action=action, varname="SCORE")


def displayfeedback(parent: etree._Element, linkrefid: str) -> etree._Element:
    return _sub(parent, "displayfeedback", {"feedbacktype": "Response", "linkrefid": linkrefid})


def _other_condition(
    root: etree._Element, linkrefid: str | None, continue_: bool
) -> etree._Element:
    condition, var = respcondition(root, continue_)
    _sub(var, "other")
    if linkrefid is not None:
        displayfeedback(condition, linkrefid)
    return condition


_OTHER_CONDITIONS = {
    (link, cont): _other_condition(_TEMPLATE_ROOT, link, cont)
    for link in (GENERAL_FB, GENERAL_INCORRECT_FB, None)
    for cont in (True, False)
}


def other_condition(parent: etree._Element, linkrefid: str | None, continue_: bool) -> None:
    """A condition that always holds (`<other/>`), optionally displaying a feedback."""
    _clone(parent, _OTHER_CONDITIONS[(linkrefid, continue_)])


_ITEMFEEDBACK = _sub(_TEMPLATE_ROOT, "itemfeedback")
_sub(_ITEMFEEDBACK, "flow_mat").append(copy.deepcopy(_MATERIAL["text/html"]))


def itemfeedback(parent: etree._Element, ident: str, html_text: str) -> etree._Element:
    feedback = _clone(parent, _ITEMFEEDBACK)
    feedback.set("ident", ident)
    feedback[0][0][0].text = html_text
    return feedback


# --- numbers -------------------------------------------------------------------------------


def number(value: float) -> str:
    """A decimal without float noise ('13.2', not '13.199999999999999')."""
    text = f"{value:.15g}"
    if "e" in text or "E" in text:
        # Positional, never an exponent, and never rounded away: 6.6e-34 is not "0".
        text = format(Decimal(text), "f")
    return text


def points(value: float) -> str:
    """Canvas's own form of points: always with a decimal point ('1.0', '2.5')."""
    text = number(value)
    return text if "." in text else f"{text}.0"


# --- items -------------------------------------------------------------------------------


@dataclass
class _Item:
    """What one question contributes, gathered before the tree is built in schema order."""

    labels: list[str]
    feedback: list[tuple[str, str]]  # (itemfeedback ident, HTML), in document order


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
        prompt = BLANK_MARKER.sub(lambda m: f"[{names[m.group(1)]}]", prompt)
    if isinstance(question, Numeric) and question.unit:
        prompt += _para(f"Unit: {question.unit}")
    if scenario:
        return f'<div class="scenario">{scenario}</div>{prompt}'
    return prompt


def blank_names(bank: Bank, question: FillInBlanks) -> dict[str, str]:
    """Canvas blank variable names: the blank id where Canvas can use it, else a digest."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for blank_id in question.blanks:
        name = blank_id.replace("-", "_")
        if ident_problem(f"response_{name}") is not None or not name[0].isalpha() or name in used:
            name = safe_ident("b", bank.id, question.id, blank_id, size=4)
        used.add(name)
        names[blank_id] = name
    return names


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
    element = etree.Element(_Q + "item", {"ident": ident, "title": title}, nsmap=_QTI_NSMAP)
    itemmetadata(element, metadata)
    presentation = _sub(element, "presentation")
    material(presentation, question_html)
    return element, presentation


def _metadata_entries(bank: Bank, question: Question, answer_ids: list[str]) -> tuple[str, ...]:
    """The entries of ITEM_FIELDS."""
    return (
        QUESTION_TYPES[question.type],
        points(bank.points_of(question)),
        ",".join(answer_ids),
        _question_ref(bank, question),
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
            ident = _choice_ident(bank, question, text.lower())
            options.append(_Option(ident, text, question.answer is value, _option_feedback(ident, fb)))
    else:
        for choice in question.choices:
            ident = _choice_ident(bank, question, choice.id)
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
    render_choice = _sub(lid, "render_choice")
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
        both = _sub(var, "and")
        for option in spec.options:
            varequal(both if option.correct else _sub(both, "not"), "response1", option.ident)
    else:
        (key,) = [option.ident for option in spec.options if option.correct]
        varequal(var, "response1", key)
    _feedback_tail(processing, spec.feedback, feedback)
    _itemfeedbacks(element, feedback)
    return element


# Few shapes (number of answers, which are correct, which feedback is given): kept for the
# life of the process.
_CHOICE_ITEMS = Templates(_build_choice_item)


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
    for answer in question.answers:
        varequal(var, "response1", answer.text.strip())
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
        either = _sub(var, "or")
        varequal(either, "response1", number(answer.value))
        both = _sub(either, "and")
        _text(both, "vargte", number(answer.value - answer.tolerance), respident="response1")
        _text(both, "varlte", number(answer.value + answer.tolerance), respident="response1")
    else:
        # …and a bare vargte/varlte pair as "between min and max".
        _text(var, "vargte", number(answer.min), respident="response1")
        _text(var, "varlte", number(answer.max), respident="response1")
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
        both = _sub(var, "and")
        for respident, accepted in conditions:
            either = _sub(both, "or")
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
    order = [m.group(1) for m in BLANK_MARKER.finditer(question.prompt)]
    for blank_id in order:
        name = names[blank_id]
        lid = response_lid(presentation, f"response_{name}")
        material(lid, name, "text/plain")
        render_choice = _sub(lid, "render_choice")
        idents: list[str] = []
        for answer in dict.fromkeys(a.strip() for a in question.blanks[blank_id]):
            ident = _choice_ident(bank, question, f"blank\x1f{blank_id}\x1f{answer}")
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
    match_ids = {m: _choice_ident(bank, question, f"match\x1f{m}") for m in matches}
    conditions: list[tuple[str, list[str]]] = []
    answer_ids: list[str] = []
    for pair in question.pairs:
        left = _choice_ident(bank, question, f"pair\x1f{pair.prompt}")
        lid = response_lid(presentation, f"response_{left}")
        rendered = render(pair.prompt)
        if rendered.is_plain_paragraph:
            material(lid, plain_text(pair.prompt), "text/plain")
        else:
            material(lid, block_html(pair.prompt), "text/html")
        render_choice = _sub(lid, "render_choice")
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


# --- sections and the assessment -----------------------------------------------------------


def group_points(bank: Bank, section: DeliverySection) -> float:
    """Canvas gives every question of a group the same points: the first scored one's."""
    for question in section.questions:
        if not isinstance(question, TextItem):
            return bank.points_of(question)
    return 0.0


def section_group(parent: etree._Element, bank: Bank, section: DeliverySection) -> etree._Element:
    """A Canvas question group: a nested section with selection_number and points_per_item."""
    group = _sub(
        parent,
        "section",
        {"ident": safe_ident("s", bank.id, section.id, size=12), "title": section.title},
    )
    selection = _sub(_sub(group, "selection_ordering"), "selection")
    _text(selection, "selection_number", str(section.pick))
    extension = _sub(selection, "selection_extension")
    _text(extension, "points_per_item", points(group_points(bank, section)))
    return group


def total_points(bank: Bank) -> float:
    total = 0.0
    for section in delivery_sections(bank):
        if section.pick:
            total += section.pick * group_points(bank, section)
        else:
            total += sum(bank.points_of(q) for q in section.questions)
    return total


def assessment(bank: Bank) -> tuple[etree._Element, list[ChildRun]]:
    """The `questestinterop` document: one assessment, a root section, groups for `pick`.

    Returned as a shell plus runs of items built lazily, each as its own element, so that a
    package can stream a large bank (packages/assemble.py).
    """
    root = etree.Element(_Q + "questestinterop", nsmap=_QTI_NSMAP)
    root.set(f"{{{ns.XSI}}}schemaLocation", SCHEMA_LOCATION)
    test = _sub(root, "assessment", {"ident": assessment_ident(bank), "title": bank.title})
    qtimetadata(test, [("cc_maxattempts", "1")])
    root_section = _sub(test, "section", {"ident": "root_section"})
    runs: list[ChildRun] = []
    for section in delivery_sections(bank):
        # Canvas keeps nested sections only as question groups; others are flattened.
        holder = section_group(root_section, bank, section) if section.pick else root_section
        # Ordering questions are removed by the target before writing.
        questions = [q for q in section.questions if not isinstance(q, Ordering)]
        runs.append(child_run(holder, questions, partial(item, bank)))
    return root, runs


def _canvas(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, _C + tag).text = text


def assessment_meta(bank: Bank) -> etree._Element:
    """Canvas's `<quiz>` settings; only elements cc_canvas/cccv1p0.xsd declares."""
    quiz = etree.Element(_C + "quiz", nsmap=_CANVAS_NSMAP)
    quiz.set(f"{{{ns.XSI}}}schemaLocation", CANVAS_SCHEMA_LOCATION)
    quiz.set("identifier", assessment_ident(bank))
    settings = bank.settings
    _canvas(quiz, "title", bank.title)
    _canvas(quiz, "description", html(bank.description) if bank.description else "")
    _canvas(quiz, "points_possible", points(total_points(bank)))
    _canvas(quiz, "shuffle_answers", "true" if settings.shuffle_choices else "false")
    _canvas(quiz, "show_correct_answers", "false" if settings.show_feedback == "never" else "true")
    if settings.show_feedback == "never":
        _canvas(quiz, "hide_results", "always")
    _canvas(quiz, "quiz_type", "assignment")
    _canvas(quiz, "scoring_policy", "keep_highest")
    return quiz


@dataclass(frozen=True)
class Documents:
    ident: str
    assessment: etree._Element  # the shell: items are in `items`, built when iterated
    items: list[ChildRun]
    meta: etree._Element


def write(bank: Bank) -> Documents:
    _IMAGE_HTML.clear()
    shell, runs = assessment(bank)
    return Documents(assessment_ident(bank), shell, runs, assessment_meta(bank))
