"""Bank → the Blackboard Learn pool document (`res00001.dat`, a `questestinterop` tree).

The layout follows what Blackboard Learn itself exports for a pool (see docs/formats/blackboard.md
for the real exports it is based on): one `assessment` with one `section` of `item`s, the
question type in `itemmetadata/bbmd_questiontype`, the presentation as nested `flow` blocks
(`QUESTION_BLOCK`, `RESPONSE_BLOCK`, `RIGHT_MATCH_BLOCK`), HTML as escaped text in
`mat_formattedtext type="HTML"`, `respcondition title="correct"`/`"incorrect"` and
`itemfeedback ident="correct"`/`"incorrect"` plus per-answer feedback idents.

Blackboard has no neutral feedback slot, so the explanation is appended to both the correct and
the incorrect feedback, and to every answer's own feedback. No namespace: Blackboard's pool files have none, and no XSD exists.
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from lxml import etree

from packager.model import Bank, Question, delivery_sections
from packager.model import questions as m
from packager.model.ids import digest
from packager.model.types import typed_forms
from packager.writers.cc_qti import RichHtml, SrcMap
from packager.writers.html_references import with_references
from packager.writers.numeric_ranges import bounds, decimal_text, midpoint
from packager.xml.serialize import ChildRun, child_run
from packager.xml.templates import InPlace, Templates

# bbmd_questiontype values, as Blackboard writes them.
QUESTION_TYPES: dict[str, str] = {
    "single_choice": "Multiple Choice",
    "multiple_response": "Multiple Answer",
    "true_false": "True/False",
    "short_answer": "Fill in the Blank",
    "numeric": "Numeric",
    "essay": "Essay",
    "matching": "Matching",
    "ordering": "Ordering",
    "fill_in_blanks": "Fill in the Blank Plus",
}



def _identity(src: str) -> str:
    return src


def bb_id(*parts: str) -> str:
    """A Blackboard-style 32-hex-digit object id, derived (never random)."""
    return digest(*parts, size=16).upper()


def _num(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") and "e" not in text else text


def _score(value: float) -> str:
    """Blackboard writes scores as decimals: 1.0, 2.5."""
    return repr(float(value))


def _sub(parent: etree._Element, tag: str, attrib: dict[str, str] | None = None,
         text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag, attrib) if attrib else etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


_FORMATTED_ATTRS = {"class": "FORMATTED_TEXT_BLOCK"}
_HTML_ATTRS = {"type": "HTML"}


def _formatted(parent: etree._Element, tag: str, html: str) -> etree._Element:
    """<tag class="FORMATTED_TEXT_BLOCK"><material><mat_extension><mat_formattedtext>."""
    sub = etree.SubElement  # the hottest path of the writer: no helper calls
    block = sub(parent, tag, _FORMATTED_ATTRS)
    sub(sub(sub(block, "material"), "mat_extension"), "mat_formattedtext", _HTML_ATTRS).text = html
    return block


def _file_and_link(parent: etree._Element, tag: str) -> None:
    """The empty FILE_BLOCK and LINK_BLOCK that Blackboard writes after every text block."""
    _sub(_sub(parent, tag, {"class": "FILE_BLOCK"}), "material")
    link = _sub(_sub(parent, tag, {"class": "LINK_BLOCK"}), "material")
    _sub(link, "mattext", {"charset": "us-ascii", "texttype": "text/plain", "uri": "",
                           "{http://www.w3.org/XML/1998/namespace}space": "default"})


def _text_block(parent: etree._Element, tag: str, html: str) -> None:
    # Older exports follow every FORMATTED_TEXT_BLOCK with an empty FILE_BLOCK and LINK_BLOCK;
    # newer ones and Blackboard's importer do without, so only the question text carries them.
    _formatted(parent, tag, html)


def _feedback(item: etree._Element, ident: str, html: str) -> None:
    fb = _sub(item, "itemfeedback", {"ident": ident, "view": "All"})
    block = _sub(fb, "flow_mat", {"class": "Block"})
    _text_block(block, "flow_mat", html)


def _solution_feedback(item: etree._Element, ident: str, html: str) -> None:
    fb = _sub(item, "itemfeedback", {"ident": ident, "view": "All"})
    solution = _sub(fb, "solution", {"feedbackstyle": "Complete", "view": "All"})
    material = _sub(solution, "solutionmaterial")
    block = _sub(material, "flow_mat", {"class": "Block"})
    _text_block(block, "flow_mat", html)


_METADATA_FIELDS = (
    ("bbmd_asi_object_id", ""),
    ("bbmd_asitype", ""),
    ("bbmd_assessmenttype", "Pool"),
    ("bbmd_sectiontype", "Subsection"),
    ("bbmd_questiontype", ""),
    ("bbmd_is_from_cartridge", "false"),
    ("bbmd_is_disabled", "false"),
    ("bbmd_negative_points_ind", "N"),
    ("bbmd_canvas_fullcrdt_ind", "false"),
    ("bbmd_all_fullcredit_ind", "false"),
    ("bbmd_numbertype", "none"),
    ("bbmd_partialcredit", "false"),
    ("bbmd_orientationtype", "vertical"),
    ("bbmd_is_extracredit", "false"),
    ("qmd_absolutescore_max", ""),
    ("qmd_weighting", "0.0"),
    ("qmd_instructornotes", ""),
)
_METADATA = etree.Element("itemmetadata")
for _name, _value in _METADATA_FIELDS:
    etree.SubElement(_METADATA, _name).text = _value


def _metadata(parent: etree._Element, tag: str, asitype: str, object_id: str, qtype: str,
              points: float) -> None:
    # Copying a template is several times faster than building 18 elements one by one.
    md = copy(_METADATA)  # lxml's copy is deep, and faster than copy.deepcopy's dispatch
    md.tag = tag
    _fill_metadata(md, asitype, object_id, qtype, _score(points))
    parent.append(md)


def _fill_metadata(md: etree._Element, asitype: str, object_id: str, qtype: str, score: str,
                   *, partial: str = "false", notes: str = "") -> None:
    """Set the fields of a copy of _METADATA that vary (by their positions in _METADATA_FIELDS)."""
    md[0].text, md[1].text, md[4].text = object_id, asitype, qtype
    md[11].text, md[14].text, md[16].text = partial, score, notes


def _outcomes(resprocessing: etree._Element, points: float) -> None:
    outcomes = _sub(resprocessing, "outcomes")
    _sub(outcomes, "decvar", {"defaultval": "0.0", "maxvalue": _score(points), "minvalue": "0.0",
                              "varname": "SCORE", "vartype": "Decimal"})


def _condition(resprocessing: etree._Element, title: str | None, *,
               score: str | None = None, feedback: tuple[str, ...] = ()) -> etree._Element:
    """A respcondition; returns its (empty) conditionvar for the caller to fill."""
    cond = _sub(resprocessing, "respcondition", {"title": title} if title else {})
    conditionvar = _sub(cond, "conditionvar")
    if score is not None:
        _sub(cond, "setvar", {"action": "Set", "variablename": "SCORE"}, score)
    for ident in feedback:
        _display_feedback(cond, ident)
    return conditionvar


def _display_feedback(cond: etree._Element, ident: str) -> None:
    _sub(cond, "displayfeedback", {"feedbacktype": "Response", "linkrefid": ident})


_INCORRECT = etree.Element("resprocessing")
_sub(_condition(_INCORRECT, "incorrect", score="0.0", feedback=("incorrect",)), "other")


def _incorrect(resprocessing: etree._Element) -> None:
    resprocessing.append(copy(_INCORRECT[0]))


def _varequal(parent: etree._Element, respident: str, value: str | None,
              case_sensitive: bool = False) -> etree._Element:
    return _sub(parent, "varequal", {"case": "Yes" if case_sensitive else "No",
                                     "respident": respident}, value)


def _choice_lid(response: etree._Element, cardinality: str, shuffle: bool,
                ident: str = "response") -> etree._Element:
    """A response_lid with its render_choice; returns the render_choice."""
    lid = _sub(response, "response_lid", {"ident": ident, "rcardinality": cardinality,
                                          "rtiming": "No"})
    return _sub(lid, "render_choice", {"maxnumber": "0", "minnumber": "0",
                                       "shuffle": "Yes" if shuffle else "No"})


def _choice_label(render_choice: etree._Element, ident: str, shuffle: bool, html: str) -> None:
    """One answer of a render_choice: flow_label/response_label and its text block."""
    label = _sub(_sub(render_choice, "flow_label", {"class": "Block"}), "response_label",
                 {"ident": ident, "rarea": "Ellipse", "rrange": "Exact",
                  "shuffle": "Yes" if shuffle else "No"})
    _text_block(label, "flow_mat", html)


# -- item templates ---------------------------------------------------------------------------
# Items repeat one structure in which only some texts and attributes vary. lxml copies a
# prebuilt subtree in C several times faster than Python builds it one element at a time, so
# each shape is built once, by the builders above (the one description of the structure), and
# every item is a copy with its own values set. The positions used to reach those values are
# those of the builders below.

def _skeleton() -> etree._Element:
    """What every item has: metadata (asitype "Item"), the question block, an empty
    RESPONSE_BLOCK, resprocessing with its outcomes, and the correct and incorrect feedback."""
    item = etree.Element("item", {"title": "", "maxattempts": "0"})
    _metadata(item, "itemmetadata", "Item", "", "", 0.0)
    presentation = _sub(item, "presentation")
    block = _sub(presentation, "flow", {"class": "Block"})
    question_block = _sub(block, "flow", {"class": "QUESTION_BLOCK"})
    _text_block(question_block, "flow", "")
    _file_and_link(question_block, "flow")
    _sub(block, "flow", {"class": "RESPONSE_BLOCK"})
    _outcomes(_sub(item, "resprocessing", {"scoremodel": "SumOfScores"}), 0.0)
    _feedback(item, "correct", "")
    _feedback(item, "incorrect", "")
    return item


_SKELETON = _skeleton()


# Bounded: a shape is the number of answers and which of them have feedback of their own,
# and a bank whose answers have feedback here and there could make thousands.
@lru_cache(maxsize=256)
def _choice_item(single: bool, with_feedback: tuple[bool, ...]) -> etree._Element:
    """The skeleton of a Multiple Choice (single) or Multiple Answer item with an answer per
    `with_feedback`: its response_lid (not shuffled) and labels, the conditions `correct`
    (with the varequal of the right answer if single, else empty) and `incorrect`, and one
    per answer (a varequal and its score, "0"), with a displayfeedback where the answer has
    feedback; that feedback after the item's own, in the order of the answers."""
    item = _skeleton()
    cardinality = "Single" if single else "Multiple"
    render_choice = _choice_lid(_response_block(item), cardinality, False)
    for _ in with_feedback:
        _choice_label(render_choice, "", True, "")
    rp = item[2]
    correct = _condition(rp, "correct", score="SCORE.max", feedback=("correct",))
    if single:
        _varequal(correct, "response", "")
    _incorrect(rp)
    for has_feedback in with_feedback:
        _varequal(_condition(rp, None, score="0", feedback=("",) if has_feedback else ()),
                  "", None)
    for has_feedback in with_feedback:
        if has_feedback:
            _solution_feedback(item, "", "")
    return item


def _response_block(item: etree._Element) -> etree._Element:
    return item[1][0][1]  # presentation/flow Block/flow RESPONSE_BLOCK


class _Answer(NamedTuple):
    """One answer of a choice item."""

    ident: str  # of its response_label, its condition's varequal (and the key's, if any)
    shuffle: str  # its response_label's: "No" for a pinned answer
    html: str
    score: str  # its condition's setvar
    negated: bool | None  # Multiple Answer: inside a <not> of the key's <and>; else None
    feedback: str | None  # Multiple Choice: its own feedback (ident: `ident`), if it has one


class _ChoiceItem(NamedTuple):
    """Everything a Multiple Choice (`key` set) or Multiple Answer item is built from (a
    `Templates` spec)."""

    title: str
    object_id: str
    qtype: str
    partial: str  # bbmd_partialcredit
    score: str  # qmd_absolutescore_max and the decvar's maxvalue
    question: str
    shuffle: str  # the render_choice's
    key: str | None  # Multiple Choice: the right answer's ident
    right: str  # the correct feedback
    wrong: str  # the incorrect feedback
    answers: tuple[_Answer, ...]


def _build_choice_item(spec: _ChoiceItem) -> etree._Element:
    """A copy of _choice_item(…) of spec's shape holding spec's strings."""
    with_feedback = tuple(a.feedback is not None for a in spec.answers)
    item = copy(_choice_item(spec.key is not None, with_feedback))
    item.set("title", spec.title)
    _fill_metadata(item[0], "Item", spec.object_id, spec.qtype, spec.score,
                   partial=spec.partial)
    rp = item[2]
    rp[0][0].set("maxvalue", spec.score)  # outcomes/decvar
    # The question text, the answers' texts, the correct and incorrect feedback, then the
    # answers' own feedback, in document order.
    texts = list(item.iter("mat_formattedtext"))
    answers = len(spec.answers)
    texts[0].text = spec.question
    texts[answers + 1].text, texts[answers + 2].text = spec.right, spec.wrong
    render_choice = _response_block(item)[0][0]  # response_lid/render_choice
    render_choice.set("shuffle", spec.shuffle)
    correct = rp[1][0]  # the conditionvar of the condition "correct"
    if spec.key is not None:
        correct[0].text = spec.key  # its varequal
    else:
        both = _sub(correct, "and")
        for answer in spec.answers:
            _varequal(_sub(both, "not") if answer.negated else both, "response", answer.ident)
    conditions = islice(rp, 3, None)  # after outcomes, correct and incorrect
    labels = render_choice.iter("response_label")
    # The answers' own feedback: the last children, after the item's correct and incorrect.
    solutions = islice(item, len(item) - sum(with_feedback), None)
    feedback_texts = iter(texts[answers + 3 :])
    for answer, label, text, cond in zip(spec.answers, labels, texts[1 : answers + 1],
                                         conditions, strict=True):
        label.set("ident", answer.ident)
        label.set("shuffle", answer.shuffle)
        text.text = answer.html
        cond[0][0].set("respident", answer.ident)  # conditionvar/varequal
        cond[1].text = answer.score  # setvar
        if answer.feedback is not None:
            cond[2].set("linkrefid", answer.ident)  # displayfeedback
            next(solutions).set("ident", answer.ident)  # itemfeedback
            next(feedback_texts).text = answer.feedback
    return item


# Shapes are few (the number of answers, which have feedback, which are right in a Multiple
# Answer item), so the templates are kept for the life of the process.
_CHOICE_ITEMS = Templates(_build_choice_item)


class PoolWriter:
    """Builds the pool tree; one instance per bank (HTML rendering is cached per text)."""

    def __init__(self, bank: Bank, src_map: SrcMap = _identity) -> None:
        self.bank = bank
        self.html = RichHtml(src_map)

    # -- document -------------------------------------------------------------------------
    def write(self) -> tuple[etree._Element, list[ChildRun]]:
        """The pool as a shell and its items, built lazily (see StreamedXml)."""
        bank = self.bank
        root = etree.Element("questestinterop")
        questions = [q for s in delivery_sections(bank) for q in s.questions]
        total = sum(bank.points_of(q) for q in questions)
        assessment = _sub(root, "assessment", {"title": bank.title})
        _metadata(assessment, "assessmentmetadata", "Assessment", bb_id(bank.id, "pool"),
                  "Multiple Choice", total)
        material = _sub(_sub(_sub(assessment, "presentation_material"), "flow_mat",
                             {"class": "Block"}), "material")
        _sub(_sub(material, "mat_extension"), "mat_formattedtext", {"type": "HTML"},
             self.html(bank.description))
        section = _sub(assessment, "section")
        _metadata(section, "sectionmetadata", "Section", bb_id(bank.id, "pool", "section"),
                  "Multiple Choice", total)
        # TextItem has no Blackboard pool type; the target reports it as unsupported.
        scored = [q for q in questions if not isinstance(q, m.TextItem)]
        # The choice items are specs of _CHOICE_ITEMS: the assembler fills them in place.
        return root, [child_run(section, scored, self.item,
                                InPlace(_CHOICE_ITEMS, self._choice_spec))]

    # -- one item -------------------------------------------------------------------------
    def item(self, q: m.ScoredQuestion) -> etree._Element:
        """One item, a root of its own: streamed into the pool later."""
        if isinstance(q, m.SingleChoice | m.MultipleResponse):
            return _CHOICE_ITEMS(self.choice_spec(q))
        bank = self.bank
        item = copy(_SKELETON)
        item.set("title", q.title or q.id)
        notes = ""
        if isinstance(q, m.Essay) and q.rubric:
            from packager.richtext_plain import plain_text

            notes = plain_text(q.rubric)
        score = _score(bank.points_of(q))
        _fill_metadata(item[0], "Item", bb_id(bank.id, q.id), QUESTION_TYPES[q.type], score,
                       notes=notes)
        rp = item[2]
        rp[0][0].set("maxvalue", score)  # outcomes/decvar
        # The question text, then the correct and incorrect feedback, in document order.
        texts = list(item.iter("mat_formattedtext"))
        texts[0].text = self.question_html(q)
        texts[-2].text, texts[-1].text = self._feedback_html(q)
        extra: list[tuple[str, str, bool]] = []  # (ident, html, as solution)
        self._body(q, item[1][0], _response_block(item), rp, extra)
        for ident, html, as_solution in extra:
            if as_solution:
                _solution_feedback(item, ident, html)
            else:
                _feedback(item, ident, html)
        return item

    def _feedback_html(self, q: m.ScoredQuestion) -> tuple[str, str]:
        """The correct and the incorrect feedback: each with the explanation."""
        feedback = q.feedback or m.NO_FEEDBACK
        right, wrong = feedback.correct, feedback.incorrect
        if isinstance(q, m.TrueFalse):
            right_tf = q.feedback_true if q.answer else q.feedback_false
            wrong_tf = q.feedback_false if q.answer else q.feedback_true
            return self.html(right_tf, right, q.explanation), self.html(wrong_tf, wrong,
                                                                         q.explanation)
        right_html = self.html(right, q.explanation)
        # Usually neither is set: the same explanation, rendered once.
        return right_html, right_html if wrong == right else self.html(wrong, q.explanation)

    def question_html(self, q: Question) -> str:
        stimulus = self.bank.stimulus_by_id[q.stimulus] if q.stimulus else None
        head = ""
        if stimulus is not None and stimulus.title:
            from html import escape

            head = f"<p><strong>{escape(stimulus.title, quote=False)}</strong></p>"
        body = stimulus.body if stimulus else None
        if isinstance(q, m.FillInBlanks):
            # Blackboard's Fill in Multiple Blanks marks each blank as [name] in the text: only
            # the blanks are brackets there, as in the upload text (bbtext).
            html = with_references(head + self.html(body, q.scenario), "[]") + with_references(
                self.html(q.prompt), "[]", lambda blank: f"[{blank}]")
        else:
            html = head + self.html(body, q.scenario, q.prompt)
        if isinstance(q, m.Numeric) and q.unit:
            from html import escape

            html += f"<p>Unit: {escape(q.unit, quote=False)}</p>"
        return html

    # -- per type -------------------------------------------------------------------------
    def _choice_spec(self, q: m.ScoredQuestion) -> _ChoiceItem | None:
        return self.choice_spec(q) if isinstance(q, m.SingleChoice | m.MultipleResponse) else None

    def choice_spec(self, q: m.SingleChoice | m.MultipleResponse) -> _ChoiceItem:
        """What the item of a choice question is built from (_build_choice_item)."""
        bank = self.bank
        single = isinstance(q, m.SingleChoice)
        share = None  # of partial credit, per correct answer
        if isinstance(q, m.MultipleResponse) and q.scoring == "partial":
            share = 100.0 / sum(c.correct for c in q.choices)
        answers = []
        for c in q.choices:
            if single:
                score = "100" if c.correct else "0"
            elif share is not None:
                score = _num(round(share if c.correct else -share, 4))
            else:
                score = "0"
            answers.append(_Answer(
                ident=bb_id(bank.id, q.id, c.id),
                shuffle="No" if c.pinned else "Yes",
                html=self.html(c.text),
                score=score,
                negated=None if single else not c.correct,
                # Only a Multiple Choice answer's feedback is written (see extra_fidelity).
                # Shown in place of the question's feedback by consumers that prefer the
                # answer's own (Moodle's Blackboard import): the explanation goes too.
                feedback=self.html(c.feedback, q.explanation) if single and c.feedback else None,
            ))
        right, wrong = self._feedback_html(q)
        score = _score(bank.points_of(q))
        return _ChoiceItem(
            title=q.title or q.id,
            object_id=bb_id(bank.id, q.id),
            qtype=QUESTION_TYPES[q.type],
            partial="true" if share is not None else "false",
            score=score,
            question=self.question_html(q),
            shuffle="Yes" if bank.shuffles(q) else "No",
            key=next(a.ident for a, c in zip(answers, q.choices, strict=True) if c.correct)
            if single else None,
            right=right,
            wrong=wrong,
            answers=tuple(answers),
        )

    def _body(self, q: m.ScoredQuestion, block: etree._Element, response: etree._Element,
              rp: etree._Element, extra: list[tuple[str, str, bool]]) -> None:
        bank, qid = self.bank, q.id
        if isinstance(q, m.TrueFalse):
            flow_label = _sub(_choice_lid(response, "Single", False), "flow_label",
                              {"class": "Block"})
            for value in ("true", "false"):
                label = _sub(flow_label, "response_label", {"ident": value, "rarea": "Ellipse",
                                                            "rrange": "Exact", "shuffle": "Yes"})
                material = _sub(_sub(label, "flow_mat", {"class": "Block"}), "material")
                _sub(material, "mattext", {"charset": "us-ascii", "texttype": "text/plain",
                                           "{http://www.w3.org/XML/1998/namespace}space":
                                               "default"}, value)
            correct = _condition(rp, "correct", score="SCORE.max", feedback=("correct",))
            _varequal(correct, "response", "true" if q.answer else "false")
            _incorrect(rp)
        elif isinstance(q, m.ShortAnswer):
            string = _sub(response, "response_str", {"ident": "response", "rcardinality": "Single",
                                                     "rtiming": "No"})
            _sub(string, "render_fib", _fib_attrs(rows="1"))
            for i, answer in enumerate(q.answers):
                for form, text in enumerate(typed_forms(answer.text)):
                    ident = bb_id(bank.id, qid, "answer", str(i), *(["nfc"] if form else []))
                    cond = _condition(rp, ident, score="SCORE.max", feedback=("correct",))
                    _varequal(cond, "response", text, answer.case_sensitive)
            _incorrect(rp)
        elif isinstance(q, m.Numeric):
            num = _sub(response, "response_num", {"ident": "response", "rcardinality": "Single",
                                                  "rtiming": "No"})
            attrs = _fib_attrs(rows="0", columns="0")
            attrs["fibtype"] = "Decimal"
            _sub(num, "render_fib", attrs)
            if isinstance(q.answer, m.ExactAnswer):
                key = q.answer.value
                low, high = map(decimal_text, bounds(q.answer.value, q.answer.tolerance))
            else:
                low, high = _num(q.answer.min), _num(q.answer.max)
                key = midpoint(q.answer.min, q.answer.max)[0]
            cond = _condition(rp, bb_id(bank.id, qid, "answer"), score="SCORE.max",
                              feedback=("correct",))
            _sub(cond, "vargte", {"respident": "response"}, low)
            _sub(cond, "varlte", {"respident": "response"}, high)
            _varequal(cond, "response", _num(key))
            _incorrect(rp)
        elif isinstance(q, m.Essay):
            string = _sub(response, "response_str", {"ident": "response", "rcardinality": "Single",
                                                     "rtiming": "No"})
            _sub(string, "render_fib", _fib_attrs(rows="8"))
            _condition(rp, "correct", score="SCORE.max", feedback=("correct",))
            _incorrect(rp)
            if q.sample_answer:
                extra.append(("solution", self.html(q.sample_answer), True))
        elif isinstance(q, m.Matching):
            answers = list(dict.fromkeys([p.match for p in q.pairs] + list(q.distractors)))
            position = {text: i for i, text in enumerate(answers)}
            pair_ids = [bb_id(bank.id, qid, "pair", str(i)) for i in range(len(q.pairs))]
            for i, pair in enumerate(q.pairs):
                sub = _sub(response, "flow", {"class": "Block"})
                _text_block(sub, "flow", self.html(pair.prompt))
                render_choice = _choice_lid(sub, "Single", True, ident=pair_ids[i])
                flow_label = _sub(render_choice, "flow_label", {"class": "Block"})
                for j in range(len(answers)):
                    _sub(flow_label, "response_label", {
                        "ident": bb_id(bank.id, qid, "pair", str(i), "label", str(j)),
                        "rarea": "Ellipse", "rrange": "Exact", "shuffle": "Yes"})
            right = _sub(block, "flow", {"class": "RIGHT_MATCH_BLOCK"})
            from html import escape

            for text in answers:
                sub = _sub(right, "flow", {"class": "Block"})
                _text_block(sub, "flow", f"<p>{escape(text, quote=False)}</p>")
            for i, pair in enumerate(q.pairs):
                cond = _condition(rp, None, feedback=("correct",))
                _varequal(cond, pair_ids[i],
                          bb_id(bank.id, qid, "pair", str(i), "label", str(position[pair.match])))
            _incorrect(rp)
        elif isinstance(q, m.Ordering):
            render_choice = _choice_lid(response, "Ordered", True)
            item_ids = [bb_id(bank.id, qid, "item", str(i)) for i in range(len(q.items))]
            for ident, text in zip(item_ids, q.items, strict=True):
                _choice_label(render_choice, ident, True, self.html(text))
            correct = _condition(rp, "correct", score="SCORE.max", feedback=("correct",))
            both = _sub(correct, "and")
            for ident in item_ids:
                _varequal(both, "response", ident)
            _incorrect(rp)
        elif isinstance(q, m.FillInBlanks):
            order = q.blank_order()
            for blank in order:
                string = _sub(response, "response_str", {"ident": blank, "rcardinality": "Single",
                                                         "rtiming": "No"})
                _sub(string, "render_fib", _fib_attrs(rows="1"))
            correct = _condition(rp, "correct", score="SCORE.max", feedback=("correct",))
            both = _sub(correct, "and")
            for blank in order:
                either = _sub(both, "or")
                for accepted in (f for a in q.blanks[blank] for f in typed_forms(a)):
                    _varequal(either, blank, accepted, q.case_sensitive)
            _incorrect(rp)
        else:  # pragma: no cover - every scored type is handled above
            raise TypeError(f"no Blackboard mapping for {q.type}")


def _fib_attrs(*, rows: str, columns: str = "127") -> dict[str, str]:
    return {"charset": "us-ascii", "columns": columns, "encoding": "UTF_8", "fibtype": "String",
            "maxchars": "0", "maxnumber": "0", "minnumber": "0", "prompt": "Box", "rows": rows}


def pool(bank: Bank, src_map: SrcMap = _identity) -> tuple[etree._Element, list[ChildRun]]:
    """The pool document (`questestinterop`) for a bank without text items, streamed."""
    return PoolWriter(bank, src_map).write()
