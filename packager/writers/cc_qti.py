"""Bank → a QTI 1.2.1 assessment in the IMS Common Cartridge 1.1 profile (lxml tree).

Validates against cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd (schema key "cc11-qti"). The shapes follow
what CC importers read (Moodle backup/cc/entity11.quiz.class.php, Canvas's CC importer):

* `cc_profile` on the assessment (`cc.exam.v0p1`) and on every item (`cc.multiple_choice.v0p1`,
  `cc.multiple_response.v0p1`, `cc.true_false.v0p1`, `cc.fib.v0p1`, `cc.essay.v0p1`);
* the question text as the item's first `presentation/material/mattext` (text/html);
* choices as `response_lid/render_choice/response_label/material/mattext`; true/false answers
  have the identifiers `true` and `false`;
* the explanation as general feedback: the one `respcondition continue="Yes"` (importers gather
  the feedback of every continuing condition into the general feedback, so nothing else
  continues); the scoring condition sets SCORE to 100; per-answer feedback hangs off a
  condition whose first `varequal` names the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any, NamedTuple

from lxml import etree

from packager.feedback_idents import (
    CORRECT_FB,
    GENERAL_FB,
    INCORRECT_FB,
    answer_feedback_ident,
)
from packager.model import Bank, Question, delivery_sections
from packager.model import questions as m
from packager.model.ids import ncname
from packager.model.types import typed_forms
from packager.richtext import render
from packager.richtext_images import with_image_sources
from packager.xml.ns import QTI12, XSI
from packager.xml.serialize import ChildRun, child_run
from packager.xml.templates import InPlace, Templates

PROFILE_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"

CC_PROFILES: dict[str, str] = {
    "single_choice": "cc.multiple_choice.v0p1",
    "multiple_response": "cc.multiple_response.v0p1",
    "true_false": "cc.true_false.v0p1",
    "short_answer": "cc.fib.v0p1",
    "essay": "cc.essay.v0p1",
}
SUPPORTED = frozenset(CC_PROFILES)

RESPONSE = "response1"


SrcMap = Callable[[str], str]


def _q(local: str) -> str:
    return f"{{{QTI12}}}{local}"


def _sub(parent: etree._Element, local: str, attrib: dict[str, str] | None = None,
         text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(local), attrib or {})
    if text is not None:
        element.text = text
    return element


def _mattext(parent: etree._Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", {"texttype": "text/html"}, html)


def _metadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> None:
    md = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(md, "qtimetadatafield")
        _sub(field, "fieldlabel", text=label)
        _sub(field, "fieldentry", text=entry)


def weighting(points: float) -> str | None:
    """`cc_weighting` is a whole number (Moodle reads 0..99); None when points are not."""
    if float(points).is_integer() and 0 <= points <= 99:
        return str(int(points))
    return None


class RichHtml:
    """Markdown → the HTML string a QTI 1.2 mattext carries (here and in the Blackboard
    pool), image sources rewritten by `src_map`; each distinct text that is more than a plain
    paragraph is rendered once."""

    def __init__(self, src_map: SrcMap) -> None:
        self.src_map = src_map
        self._cache: dict[str, str] = {}

    def __call__(self, *texts: str | None) -> str:
        """The HTML of the non-empty texts, concatenated."""
        parts = []
        for text in texts:
            if not text:
                continue
            cached = self._cache.get(text)
            if cached is None:
                rendered = render(text)
                if rendered.is_plain_paragraph:
                    # Escaped text in a <p>: no image source to rewrite, and cheaper to escape
                    # again than to keep for the whole build.
                    cached = rendered.xhtml
                else:
                    cached = self._cache[text] = self._rewrite(rendered.xhtml)
            parts.append(cached)
        return "".join(parts)

    def _rewrite(self, xhtml: str) -> str:
        return with_image_sources(xhtml, self.src_map)


# --- the assessment ----------------------------------------------------------------------


class _Label(NamedTuple):
    """A response_label: one choice."""

    ident: str
    html: str
    fixed: bool  # rshuffle="No": a pinned choice among shuffled ones


class _Choices(NamedTuple):
    """response_lid with a render_choice."""

    multiple: bool
    shuffle: bool
    labels: tuple[_Label, ...]


class _Box(NamedTuple):
    """response_str with a render_fib text box."""

    essay: bool  # 15 rows of 60 columns, else one line of 40


class _Test(NamedTuple):
    """One varequal of a conditionvar."""

    value: str
    case: bool
    negated: bool  # inside a <not> (a wrong choice of a multiple response)


class _Condition(NamedTuple):
    """A respcondition that does not continue: when `tests` hold (all of them inside an <and>
    when `all_of`; None: <other/>), SCORE is set to 100 if `score`; `feedback` is shown."""

    tests: tuple[_Test, ...] | None
    all_of: bool
    score: bool
    feedback: tuple[str, ...]


class _Item(NamedTuple):
    """Everything one item is built from (a `Templates` spec)."""

    ident: str
    title: str
    profile: str  # cc_profile
    weight: str | None  # cc_weighting, if the points can be written
    computer_scored: bool
    question: str
    response: _Choices | _Box
    general: bool  # the first condition shows the general feedback, and continues
    conditions: tuple[_Condition, ...]
    feedback: tuple[tuple[str, str], ...]  # itemfeedback ident and HTML, in document order


def _build_item(spec: _Item) -> etree._Element:
    """One item, a root of its own: streamed into the document later."""
    attrib = {"ident": spec.ident, "title": spec.title}
    item = etree.Element(_q("item"), attrib, nsmap={None: QTI12})  # type: ignore[dict-item]
    fields = [("cc_profile", spec.profile)]
    if spec.weight is not None:
        fields.append(("cc_weighting", spec.weight))
    fields.append(("qmd_computerscored", "Yes" if spec.computer_scored else "No"))
    _metadata(_sub(item, "itemmetadata"), fields)
    presentation = _sub(item, "presentation")
    _mattext(presentation, spec.question)
    response = spec.response
    if isinstance(response, _Choices):
        lid = _sub(presentation, "response_lid", {
            "ident": RESPONSE, "rcardinality": "Multiple" if response.multiple else "Single"})
        render_choice = _sub(lid, "render_choice", {"shuffle": "Yes" if response.shuffle else "No"})
        for label in response.labels:
            attrs = {"ident": label.ident}
            if label.fixed:
                attrs["rshuffle"] = "No"
            _mattext(_sub(render_choice, "response_label", attrs), label.html)
    else:
        string = _sub(presentation, "response_str", {"ident": RESPONSE, "rcardinality": "Single"})
        rows, columns = ("15", "60") if response.essay else ("1", "40")
        _sub(string, "render_fib", {"fibtype": "String", "prompt": "Box", "rows": rows,
                                    "columns": columns})

    if spec.general or spec.conditions:
        rp = _sub(item, "resprocessing")
        _sub(_sub(rp, "outcomes"), "decvar", {"varname": "SCORE", "vartype": "Decimal",
                                              "minvalue": "0", "maxvalue": "100"})
        if spec.general:
            general = _sub(rp, "respcondition", {"continue": "Yes"})
            _sub(_sub(general, "conditionvar"), "other")
            _sub(general, "displayfeedback", {"feedbacktype": "Response",
                                              "linkrefid": GENERAL_FB})
        for condition in spec.conditions:
            cond = _sub(rp, "respcondition", {"continue": "No"})
            conditionvar = _sub(cond, "conditionvar")
            if condition.tests is None:
                _sub(conditionvar, "other")
            else:
                holder = _sub(conditionvar, "and") if condition.all_of else conditionvar
                for test in condition.tests:
                    parent = _sub(holder, "not") if test.negated else holder
                    _sub(parent, "varequal", {"respident": RESPONSE,
                                              "case": "Yes" if test.case else "No"}, test.value)
            if condition.score:
                _sub(cond, "setvar", {"varname": "SCORE", "action": "Set"}, "100")
            for ident in condition.feedback:
                _sub(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": ident})
    for ident, html in spec.feedback:
        _mattext(_sub(_sub(item, "itemfeedback", {"ident": ident}), "flow_mat"), html)
    return item


# Shapes are few (question type, number of choices, which feedback is given), so per-item
# templates are kept for the life of the process.
_ITEMS = Templates(_build_item)


class AssessmentWriter:
    """One instance per bank; rich text is rendered once per distinct text."""

    def __init__(self, bank: Bank, src_map: SrcMap) -> None:
        self.bank = bank
        self.html = RichHtml(src_map)

    def question_html(self, q: Question) -> str:
        stimulus = self.bank.stimulus_by_id[q.stimulus] if q.stimulus else None
        head = ""
        if stimulus is not None and stimulus.title:
            head = f"<p><strong>{escape(stimulus.title, quote=False)}</strong></p>"
        return head + self.html(stimulus.body if stimulus else None, q.scenario, q.prompt)

    def write(self, ident: str) -> tuple[etree._Element, list[ChildRun]]:
        """The assessment as a shell and its items, built lazily (see StreamedXml)."""
        bank = self.bank
        # lxml-stubs type nsmap keys as str; the default namespace is the key None.
        nsmap: Any = {None: QTI12, "xsi": XSI}
        root = etree.Element(_q("questestinterop"), nsmap=nsmap)
        root.set(f"{{{XSI}}}schemaLocation", f"{QTI12} {PROFILE_XSD}")
        assessment = _sub(root, "assessment", {"ident": ident, "title": bank.title})
        # Feedback and solutions (the explanation) are permitted unless the bank hides them.
        permitted = "No" if bank.settings.show_feedback == "never" else "Yes"
        _metadata(assessment, [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
            ("qmd_feedbackpermitted", permitted),
            ("qmd_hintspermitted", "No"),
            ("qmd_solutionspermitted", permitted),
            ("cc_maxattempts", "unlimited"),
        ])
        if bank.description:
            material = _sub(_sub(assessment, "presentation_material"), "flow_mat")
            _mattext(material, self.html(bank.description))
        section = _sub(assessment, "section", {"ident": "root_section"})
        questions = [q for s in delivery_sections(bank) for q in s.questions if q.type in SUPPORTED]
        # Every item is a spec of _ITEMS: the assembler fills them in place, one at a time
        # (the profile's section holds any number of items, and its XSD has no identity
        # constraint, so each item validated alone gets the verdict of the whole).
        return root, [child_run(section, questions, self.item, InPlace(_ITEMS, self.spec))]

    def item(self, q: m.ScoredQuestion) -> etree._Element:
        """One item, a root of its own: streamed into the document later."""
        return _ITEMS(self.spec(q))

    def spec(self, q: m.ScoredQuestion) -> _Item:
        """What the item of `q` is built from: its texts, conditions and feedback."""
        feedbacks: dict[str, str] = {}  # ident → html, in document order
        if q.explanation:
            feedbacks[GENERAL_FB] = self.html(q.explanation)
        fb = q.feedback or m.NO_FEEDBACK
        correct_fb = self._add(feedbacks, CORRECT_FB, fb.correct)
        incorrect_fb = self._add(feedbacks, INCORRECT_FB, fb.incorrect)

        response: _Choices | _Box
        conditions: list[_Condition] = []
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            single = isinstance(q, m.SingleChoice)
            shuffle = self.bank.shuffles(q)
            response = _Choices(not single, shuffle, tuple(
                _Label(c.id, self.html(c.text), shuffle and c.pinned) for c in q.choices))
            choice_fb = {
                c.id: self._add(feedbacks, answer_feedback_ident(c.id), c.feedback)
                for c in q.choices
            }
            if single:
                key = next(c for c in q.choices if c.correct)
                conditions.append(_condition(_test(key.id), True, choice_fb[key.id], correct_fb))
                for c in q.choices:
                    if not c.correct and (choice_fb[c.id] or incorrect_fb):
                        conditions.append(
                            _condition(_test(c.id), False, choice_fb[c.id], incorrect_fb))
            else:
                tests = tuple(_Test(c.id, True, not c.correct) for c in q.choices)
                conditions.append(_condition(tests, True, correct_fb, all_of=True))
                for c in q.choices:
                    if choice_fb[c.id]:
                        conditions.append(_condition(_test(c.id), False, choice_fb[c.id]))
                if incorrect_fb:
                    conditions.append(_condition(None, False, incorrect_fb))
        elif isinstance(q, m.TrueFalse):
            response = _Choices(False, False, (_Label("true", "True", False),
                                               _Label("false", "False", False)))
            true_fb = self._add(feedbacks, "true_fb", q.feedback_true)
            false_fb = self._add(feedbacks, "false_fb", q.feedback_false)
            right, wrong = ("true", "false") if q.answer else ("false", "true")
            right_fb, wrong_fb = (true_fb, false_fb) if q.answer else (false_fb, true_fb)
            conditions.append(_condition(_test(right), True, right_fb, correct_fb))
            if wrong_fb or incorrect_fb:
                conditions.append(_condition(_test(wrong), False, wrong_fb, incorrect_fb))
        elif isinstance(q, m.ShortAnswer):
            response = _Box(essay=False)
            tests = tuple(_Test(form, a.case_sensitive, False)
                          for a in q.answers for form in typed_forms(a.text))
            conditions.append(_condition(tests, True, correct_fb))
            if incorrect_fb:
                conditions.append(_condition(None, False, incorrect_fb))
        elif isinstance(q, m.Essay):
            response = _Box(essay=True)
        else:  # pragma: no cover - the target reports every other type as unsupported
            raise TypeError(f"the CC profile cannot carry {q.type}")

        return _Item(
            ident=ncname("q_", q.id),
            title=q.title or q.id,
            profile=CC_PROFILES[q.type],
            weight=weighting(self.bank.points_of(q)),
            computer_scored=not isinstance(q, m.Essay),
            question=self.question_html(q),
            response=response,
            general=GENERAL_FB in feedbacks,
            conditions=tuple(conditions),
            feedback=tuple(feedbacks.items()),
        )

    def _add(self, feedbacks: dict[str, str], ident: str, text: str | None) -> str | None:
        if not text:
            return None
        feedbacks[ident] = self.html(text)
        return ident


def _test(value: str) -> tuple[_Test]:
    """One case-insensitive varequal."""
    return (_Test(value, False, False),)


def _condition(
    tests: tuple[_Test, ...] | None, score: bool, *feedback: str | None, all_of: bool = False
) -> _Condition:
    """A condition showing those of the feedback idents that are given (not None)."""
    return _Condition(tests, all_of, score, tuple(ident for ident in feedback if ident))


def assessment(
    bank: Bank, ident: str, src_map: SrcMap
) -> tuple[etree._Element, list[ChildRun]]:
    """The CC assessment (`questestinterop`) holding every question the profile can carry,
    as a shell and its items, built lazily."""
    return AssessmentWriter(bank, src_map).write(ident)
