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

import re
from collections.abc import Callable
from html import escape, unescape
from typing import Any
from urllib.parse import unquote

from lxml import etree

from packager.model import Bank, Question, delivery_sections
from packager.model import questions as m
from packager.model.ids import ncname
from packager.richtext import render
from packager.xml.ns import QTI12, XSI
from packager.xml.serialize import ChildRun, child_run

PROFILE_XSD = "http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_qtiasiv1p2p1_v1p0.xsd"

CC_PROFILES: dict[str, str] = {
    "single_choice": "cc.multiple_choice.v0p1",
    "multiple_response": "cc.multiple_response.v0p1",
    "true_false": "cc.true_false.v0p1",
    "short_answer": "cc.fib.v0p1",
    "essay": "cc.essay.v0p1",
}
SUPPORTED = frozenset(CC_PROFILES)

GENERAL_FB = "general_fb"
CORRECT_FB = "correct_fb"
INCORRECT_FB = "incorrect_fb"
RESPONSE = "response1"

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")')

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


def _metadata(parent: etree._Element, fields: list[tuple[str, str]]) -> None:
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
                cached = self._rewrite(rendered.xhtml)
                # A plain paragraph is cheaper to escape again than to keep for the whole build.
                if not rendered.is_plain_paragraph:
                    self._cache[text] = cached
            parts.append(cached)
        return "".join(parts)

    def _rewrite(self, xhtml: str) -> str:
        if "<img" not in xhtml:
            return xhtml
        return _IMG_SRC.sub(
            lambda mt: mt.group(1) + self.src_map(unquote(unescape(mt.group(2)))) + mt.group(3),
            xhtml,
        )


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
        _metadata(assessment, [
            ("cc_profile", "cc.exam.v0p1"),
            ("qmd_assessmenttype", "Examination"),
            ("qmd_scoretype", "Percentage"),
            ("qmd_feedbackpermitted", "Yes"),
            ("qmd_hintspermitted", "No"),
            ("qmd_solutionspermitted", "Yes"),
            ("cc_maxattempts", "unlimited"),
        ])
        if bank.description:
            material = _sub(_sub(assessment, "presentation_material"), "flow_mat")
            _mattext(material, self.html(bank.description))
        section = _sub(assessment, "section", {"ident": "root_section"})
        questions = [q for s in delivery_sections(bank) for q in s.questions if q.type in SUPPORTED]
        return root, [child_run(section, questions, self.item)]

    def item(self, q: m.ScoredQuestion) -> etree._Element:
        """One item, a root of its own: streamed into the document later."""
        attrib = {"ident": ncname("q_", q.id), "title": q.title or q.id}
        item = etree.Element(_q("item"), attrib, nsmap={None: QTI12})  # type: ignore[dict-item]
        fields = [("cc_profile", CC_PROFILES[q.type])]
        weight = weighting(self.bank.points_of(q))
        if weight is not None:
            fields.append(("cc_weighting", weight))
        fields.append(("qmd_computerscored", "No" if isinstance(q, m.Essay) else "Yes"))
        _metadata(_sub(item, "itemmetadata"), fields)
        presentation = _sub(item, "presentation")
        _mattext(presentation, self.question_html(q))

        feedbacks: dict[str, str] = {}  # ident → html, in document order
        if q.explanation:
            feedbacks[GENERAL_FB] = self.html(q.explanation)
        fb = q.feedback or m.Feedback()
        correct_fb = self._add(feedbacks, CORRECT_FB, fb.correct)
        incorrect_fb = self._add(feedbacks, INCORRECT_FB, fb.incorrect)

        conditions: list[tuple[etree._Element, str | None, tuple[str | None, ...]]] = []

        def condition(score: str | None, *feedback: str | None) -> etree._Element:
            conditionvar = etree.Element(_q("conditionvar"))
            conditions.append((conditionvar, score, feedback))
            return conditionvar

        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            single = isinstance(q, m.SingleChoice)
            shuffle = self.bank.shuffles(q)
            lid = _sub(presentation, "response_lid", {
                "ident": RESPONSE, "rcardinality": "Single" if single else "Multiple"})
            render_choice = _sub(lid, "render_choice", {"shuffle": "Yes" if shuffle else "No"})
            for c in q.choices:
                attrs = {"ident": c.id}
                if shuffle and c.pinned:
                    attrs["rshuffle"] = "No"
                _mattext(_sub(render_choice, "response_label", attrs), self.html(c.text))
            choice_fb = {c.id: self._add(feedbacks, f"{c.id}_fb", c.feedback) for c in q.choices}
            if single:
                key = next(c for c in q.choices if c.correct)
                _varequal(condition("100", choice_fb[key.id], correct_fb), key.id)
                for c in q.choices:
                    if not c.correct and (choice_fb[c.id] or incorrect_fb):
                        _varequal(condition(None, choice_fb[c.id], incorrect_fb), c.id)
            else:
                both = _sub(condition("100", correct_fb), "and")
                for c in q.choices:
                    _varequal(both if c.correct else _sub(both, "not"), c.id, case=True)
                for c in q.choices:
                    if choice_fb[c.id]:
                        _varequal(condition(None, choice_fb[c.id]), c.id)
                if incorrect_fb:
                    _sub(condition(None, incorrect_fb), "other")
        elif isinstance(q, m.TrueFalse):
            lid = _sub(presentation, "response_lid", {"ident": RESPONSE, "rcardinality": "Single"})
            render_choice = _sub(lid, "render_choice", {"shuffle": "No"})
            for value, label in (("true", "True"), ("false", "False")):
                _mattext(_sub(render_choice, "response_label", {"ident": value}), label)
            true_fb = self._add(feedbacks, "true_fb", q.feedback_true)
            false_fb = self._add(feedbacks, "false_fb", q.feedback_false)
            right, wrong = ("true", "false") if q.answer else ("false", "true")
            right_fb, wrong_fb = (true_fb, false_fb) if q.answer else (false_fb, true_fb)
            _varequal(condition("100", right_fb, correct_fb), right)
            if wrong_fb or incorrect_fb:
                _varequal(condition(None, wrong_fb, incorrect_fb), wrong)
        elif isinstance(q, m.ShortAnswer):
            string = _sub(presentation, "response_str", {"ident": RESPONSE,
                                                         "rcardinality": "Single"})
            _sub(string, "render_fib", {"fibtype": "String", "prompt": "Box", "rows": "1",
                                        "columns": "40"})
            correct = condition("100", correct_fb)
            for answer in q.answers:
                _varequal(correct, answer.text.strip(), case=answer.case_sensitive)
            if incorrect_fb:
                _sub(condition(None, incorrect_fb), "other")
        elif isinstance(q, m.Essay):
            string = _sub(presentation, "response_str", {"ident": RESPONSE,
                                                         "rcardinality": "Single"})
            _sub(string, "render_fib", {"fibtype": "String", "prompt": "Box", "rows": "15",
                                        "columns": "60"})
        else:  # pragma: no cover - the target reports every other type as unsupported
            raise TypeError(f"the CC profile cannot carry {q.type}")

        if GENERAL_FB in feedbacks or conditions:
            rp = _sub(item, "resprocessing")
            _sub(_sub(rp, "outcomes"), "decvar", {"varname": "SCORE", "vartype": "Decimal",
                                                  "minvalue": "0", "maxvalue": "100"})
            if GENERAL_FB in feedbacks:
                general = _sub(rp, "respcondition", {"continue": "Yes"})
                _sub(_sub(general, "conditionvar"), "other")
                _sub(general, "displayfeedback", {"feedbacktype": "Response",
                                                  "linkrefid": GENERAL_FB})
            for conditionvar, score, linked in conditions:
                cond = _sub(rp, "respcondition", {"continue": "No"})
                cond.append(conditionvar)
                if score is not None:
                    _sub(cond, "setvar", {"varname": "SCORE", "action": "Set"}, score)
                for ident in linked:
                    if ident:
                        _sub(cond, "displayfeedback", {"feedbacktype": "Response",
                                                       "linkrefid": ident})
        for ident, html in feedbacks.items():
            _mattext(_sub(_sub(item, "itemfeedback", {"ident": ident}), "flow_mat"), html)
        return item

    def _add(self, feedbacks: dict[str, str], ident: str, text: str | None) -> str | None:
        if not text:
            return None
        feedbacks[ident] = self.html(text)
        return ident


def _varequal(parent: etree._Element, value: str, *, case: bool = False) -> None:
    _sub(parent, "varequal", {"respident": RESPONSE, "case": "Yes" if case else "No"}, value)


def assessment(
    bank: Bank, ident: str, src_map: SrcMap
) -> tuple[etree._Element, list[ChildRun]]:
    """The CC assessment (`questestinterop`) holding every question the profile can carry,
    as a shell and its items, built lazily."""
    return AssessmentWriter(bank, src_map).write(ident)
