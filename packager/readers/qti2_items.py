"""One QTI 2.1 / 3.0 assessment item → one canonical question (a dict for `make_bank`).

What an item says is read from its declarations, its interaction and its modal feedback,
in QTI 2.1 names (the `Dialect` spells them for 3.0):
- the interaction gives the type (qti2_interactions): choice → single_choice, true_false or
  multiple_response; text entry → short_answer, numeric or fill_in_blanks; inline choice and
  gap match → fill_in_blanks; extended text → essay; match / associate → matching; order →
  ordering; no interaction → text. Any other interaction has no canonical type: the item is
  left out, with a note; so is an item of several interactions (a question has one; entries,
  inline choices and a gap match in one text are one question's blanks).
- the body around the interaction is the prompt; packager's own blocks (`div.scenario`,
  `div.stimulus` with its `p.stimulus-title`) are the scenario and a bank stimulus; a
  `rubricBlock` for scorers holds an essay's rubric (`div.rubric`) and sample answer
  (`div.sample-answer`).
- modal feedback (and feedback blocks in the body): on FEEDBACKMODAL or named EXPLANATION / SOLUTION → explanation; CORRECT /
  INCORRECT → feedback; `FB-<choice>` or a choice's own identifier → that choice's feedback;
  ONYX's boolean outcomes (`FEEDBACK_n`, shown when "true", set by the processing from its
  FEEDBACKBASIC correct/incorrect or from a choice being chosen) → feedback or that choice's;
  anything else is added to the explanation (reported, its title dropped). A title heads the
  text in bold; a text is not repeated where it already is.
- points: Canvas's `points_possible` (`instructureMetadata`), else MAXSCORE's default, else
  SCORE's normalMaximum, else, when rules add to SCORE (`sum(SCORE, …)`), the largest total
  they can reach (noted when a rule adds something unknown), else the largest mapped or set
  score, else the bank default. A score the processing caps at 100, as Canvas's conversion
  from QTI 1.2 does, is a percentage: it gives no points (noted). Points a wrong answer
  still scores (a floor) are noted: a question gives it 0.
- Canvas's calculated and file upload questions (its `question_type`, or a `calculated`
  definition in `itemproc_extension`) have no canonical type: left out, with a note; so are
  template items (values and key set when the item is shown) and items printing a variable.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import Any, Literal

from lxml import etree

from packager.model.types import MAX_POINTS
from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import ImportNote, Location, first_named, partial_credit_lost
from packager.readers.qti2_dialect import Dialect, collapse, line, local
from packager.readers.qti2_html import Media, Rich
from packager.readers.xpaths import ElementPaths

FEEDBACKMODAL = "FEEDBACKMODAL"
_EXPLANATION = frozenset({"EXPLANATION", "SOLUTION", "GENERAL", "GENERALFEEDBACK"})
_CORRECT = frozenset({"CORRECT", "RIGHT"})
_INCORRECT = frozenset({"INCORRECT", "WRONG"})
# Canvas question types (its `question_type`) a bank has no type for, and why: as the QTI 1.2
# reader says it of the same questions.
_CANVAS_REFUSED = {
    "calculated_question": "a calculated question (a formula over variables), which a bank "
                           "has no type for",
    "file_upload_question": "a file upload question has no counterpart in a bank",
}


def number(text: str | None) -> float | None:
    """A finite number, or None."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_BRANCHES = frozenset({"responseIf", "responseElseIf", "responseElse"})
_FEEDBACK_KINDS = {"modalFeedback": "modal feedback", "feedbackBlock": "feedback block",
                   "feedbackInline": "inline feedback"}


# The operators a number passes through and stays a part of the value: a comparison
# (`match`, `gte` …) makes it true or false, which scores nothing on its own.
_ARITHMETIC = frozenset({"sum", "product", "subtract", "divide", "integerDivide",
                         "integerModulus", "power", "min", "max", "round", "roundTo",
                         "truncate", "integerToFloat", "mathOperator"})


def _terms(d: Dialect, assign: etree._Element) -> Iterator[etree._Element]:
    """The `mapResponse` and `variable` terms of what the setOutcomeValue `assign` sets:
    those only arithmetic stands above."""
    stack = _elements(assign)
    while stack:
        expression = stack.pop()
        name = d.name(expression)
        if name in _ARITHMETIC:
            stack.extend(_elements(expression))
        elif name in ("mapResponse", "variable"):
            yield expression


def _elements(parent: etree._Element) -> list[etree._Element]:
    """The child elements (not comments or processing instructions)."""
    return [child for child in parent if isinstance(child.tag, str)]


def _titled(title: str, text: str) -> str:
    """Feedback text under its title (in bold, a paragraph of its own), unless the title
    says nothing the text does not."""
    if not title or title == collapse(text):
        return text
    heading = html_to_markdown(f"<p><strong>{escape(title)}</strong></p>", lambda _: None)
    return f"{heading.markdown}\n\n{text}"


@dataclass
class Declaration:
    """A responseDeclaration: what is correct, and how responses map to scores."""

    identifier: str
    cardinality: str
    base_type: str
    correct: list[str] = field(default_factory=list)
    mapping: list[tuple[str, float, bool]] = field(default_factory=list)  # key, value, case
    upper_bound: float | None = None
    lower_bound: float | None = None
    default_value: float = 0.0  # what a value the mapping does not list scores
    mapping_element: etree._Element | None = None  # where notes about the scoring point

    def accepted(self) -> list[str]:
        """The correct values: the correct response, else the keys mapped to credit."""
        return self.correct or self.credited()

    def credited(self) -> list[str]:
        return [key for key, value, _ in self.mapping if value > 0 and key.strip()]

    def mapped_maximum(self) -> float | None:
        """The most a response scores through the mapping: its upper bound, else what every
        credited key (one, for a single response) adds up to; None when nothing scores."""
        credits = [value for _, value, _ in self.mapping if value > 0]
        if self.upper_bound is not None:
            return self.upper_bound
        if credits:
            return sum(credits) if self.cardinality != "single" else max(credits)
        return None

    def full_marks(self) -> float:
        """What the best mapped key scores (the mapping's upper bound caps it); 0 when no
        key scores."""
        best = max((value for key, value, _ in self.mapping if value > 0 and key.strip()),
                   default=0.0)
        return best if self.upper_bound is None else min(best, self.upper_bound)

    def full_credit(self) -> list[tuple[str, bool]]:
        """What a learner may type, with its case rule: the keys mapped to full marks (a text
        entry's mapping lists the alternatives; its correct response only one of them). A
        typed answer is right or wrong, so a key worth part of that is not among them."""
        full = self.full_marks()
        return [(key, sensitive) for key, value, sensitive in self.mapping
                if full > 0 and value >= full and key.strip()]

    def part_credit(self) -> list[tuple[str, float]]:
        """The keys mapped to less than full marks, with what they score."""
        full = self.full_marks()
        return [(key, value) for key, value, _ in self.mapping
                if 0 < value < full and key.strip()]


def declarations(d: Dialect, root: etree._Element) -> dict[str, Declaration]:
    found: dict[str, Declaration] = {}
    for element in d.children(root, "responseDeclaration"):
        decl = Declaration(
            d.get(element, "identifier") or "",
            d.get(element, "cardinality") or "single",
            d.get(element, "baseType") or "identifier",
        )
        correct = d.first(element, "correctResponse")
        if correct is not None:
            decl.correct = [v for v in (d.text(value) for value in d.children(correct, "value"))
                            if v]
        mapping = d.first(element, "mapping")
        if mapping is not None:
            decl.upper_bound = number(d.get(mapping, "upperBound"))
            decl.lower_bound = number(d.get(mapping, "lowerBound"))
            decl.default_value = number(d.get(mapping, "defaultValue")) or 0.0
            decl.mapping_element = mapping
            for entry in d.children(mapping, "mapEntry"):
                value = number(d.get(entry, "mappedValue"))
                sensitive = (d.get(entry, "caseSensitive") or "true").strip() != "false"
                decl.mapping.append((d.get(entry, "mapKey") or "", value or 0.0, sensitive))
        found[decl.identifier] = decl
    return found


@dataclass
class ReadItem:
    """A question read from an item (None when it has no canonical type), with its notes and
    the stimulus it shows: packager's copied block (QTI 2.1) or references (QTI 3.0)."""

    question: dict[str, Any] | None
    location: Location
    notes: list[ImportNote]
    stimulus: tuple[str | None, str] | None = None  # title, body (Markdown)
    stimulus_refs: list[str] = field(default_factory=list)  # hrefs, relative to the item


class Item:
    """The reading of one item: its tree (changed as it is read), notes and rich text."""

    def __init__(
        self, d: Dialect, root: etree._Element, document: str, label: str, qid: str,
        media: Media,
    ) -> None:
        self.d = d
        self.root = root
        self.label = label
        self.qid = qid
        self.rich = Rich(d, media, document)
        self.notes: list[ImportNote] = []
        self.paths = ElementPaths(local)  # where each note is: thousands may be siblings
        self._taken_out: dict[etree._Element, str] = {}  # element → its path in the item
        self.decls = declarations(d, root)
        processing = d.first(root, "responseProcessing")
        self.processing = processing if processing is not None else etree.Element("none")
        template = d.get(self.processing, "template") or d.get(self.processing,
                                                               "templateLocation") or ""
        self.template = template.rstrip("/").rpartition("/")[2].removesuffix(".xml")
        # Modal feedback identifier → where its text goes (set by the interaction reader): a
        # field of a dict, or of the question itself (None).
        self.feedback_targets: dict[str, tuple[dict[str, Any] | None, str]] = {}
        self._points: list[float | None] = []  # points(), once worked out
        # Canvas's own fields (`instructureMetadata`, which its QTI 2.1 conversion writes
        # before the declarations): name → value.
        self.canvas: dict[str, str] = {
            (field.get("name") or "").strip(): (field.get("value") or "").strip()
            for meta in d.children(root, "instructureMetadata")
            for field in d.children(meta, "instructureField")
        }

    def note(self, element: etree._Element, kind: Literal["dropped", "changed"],
             message: str) -> None:
        path = self.paths(element)
        top = element
        while (parent := top.getparent()) is not None:
            top = parent
        if top in self._taken_out:  # `path` starts at the element taken out: say where it was
            path = self._taken_out[top] + path[len(self.paths(top)):]
        location = Location(self.label, line(element), path)
        self.notes.append(ImportNote(self.qid, location, kind, message))

    def taking_out(self, element: etree._Element) -> None:
        """Called before `element` leaves the item's tree to be read later: notes about it
        (and what it holds) then say where it was."""
        self._taken_out[element] = self.paths(element)

    def markdown(self, element: etree._Element) -> str:
        """Rich text of an element's content; what the conversion lost is noted."""
        before = len(self.rich.notes)
        text = self.rich.markdown(element)
        for message in self.rich.notes[before:]:
            self.note(element, "dropped" if "dropped" in message else "changed", message)
        return text

    def declaration(self, interaction: etree._Element) -> Declaration:
        identifier = self.d.get(interaction, "responseIdentifier") or ""
        found = self.decls.get(identifier)
        return found if found is not None else Declaration(identifier, "single", "identifier")

    def pairs(self, interaction: etree._Element) -> list[tuple[str, str]]:
        """The correct pairs of an associating interaction (`directedPair`/`pair` values)."""
        found = []
        for value in self.declaration(interaction).accepted():
            parts = value.split()
            if len(parts) == 2:
                found.append((parts[0], parts[1]))
        return found

    def has(self, name: str) -> bool:
        """Whether the response processing uses the element QTI 2.1 calls `name`."""
        return next(self.d.descendants(self.processing, name), None) is not None

    def scored_by_mapping(self, decl: Declaration) -> bool:
        """Whether the response's mapping gives the score: each value it lists scores on
        its own (`map_response`, or rules making its `mapResponse` SCORE or a term of it).
        A mapping only compared (Kennisnet's `match(mapResponse, 3)`) tests the whole
        response: what it scores is all or nothing."""
        return bool(decl.mapping) and (self.template.startswith("map_response")
                                       or decl.identifier in self._mapped_into_score)

    @cached_property
    def _mapped_into_score(self) -> frozenset[str]:
        """The responses whose `mapResponse` is a term of SCORE: of what SCORE is set to,
        or of an outcome that is itself one (a score per response, then their sum)."""
        d = self.d
        terms: dict[str, list[etree._Element]] = {}  # outcome → the terms it is set to
        for assign in d.descendants(self.processing, "setOutcomeValue"):
            terms.setdefault(d.get(assign, "identifier") or "", []).extend(_terms(d, assign))
        mapped: set[str] = set()
        seen, todo = {"SCORE"}, ["SCORE"]
        while todo:
            for term in terms.get(todo.pop(), []):
                ident = d.get(term, "identifier") or ""
                if d.name(term) == "mapResponse":
                    mapped.add(ident)
                elif ident not in seen and ident not in self.decls:
                    seen.add(ident)
                    todo.append(ident)
        return frozenset(mapped)

    def mapping_terms(self, decl: Declaration, other: str) -> str:
        """What the mapping gives, as a reader of the note checks it against the source:
        "'A X' 1, 'B Y' 0.5, any other pair 0, the total at least 0"."""
        terms = first_named([f"{key!r} {value:g}" for key, value, _ in decl.mapping])
        terms.append(f"any other {other} {decl.default_value:g}")
        low, high = decl.lower_bound, decl.upper_bound
        if low is not None and high is not None:
            terms.append(f"the total from {low:g} to {high:g}")
        elif low is not None:
            terms.append(f"the total at least {low:g}")
        elif high is not None:
            terms.append(f"the total at most {high:g}")
        return ", ".join(terms)

    def note_all_or_nothing(self, decl: Declaration, unit: str) -> None:
        """Note that per-`unit` scores of the mapping become all or nothing (the model's
        matching and fill-in-the-blanks questions have no partial credit)."""
        if not self.scored_by_mapping(decl) or decl.mapping_element is None:
            return
        self.note(decl.mapping_element, "changed", partial_credit_lost(
            "the response processing", unit, self.mapping_terms(decl, "pair"), self.points()))

    def note_scored_per_blank(self, responses: list[str]) -> None:
        """Note that blanks (`responses`) the processing scores each on its own become all
        or nothing, as per-gap mappings do."""
        parts = self._blank_parts(responses)
        if len(parts) < 2:
            return
        terms = first_named([repr(r) if parts[r] is None else f"{r!r} {parts[r]:g}"
                             for r in responses if r in parts])
        self.note(self.processing, "changed", partial_credit_lost(
            "the response processing", "blank", ", ".join(terms), self.points()))

    def _blank_parts(self, responses: list[str]) -> dict[str, float | None]:
        """The responses among `responses` that add a part of SCORE of their own, with the
        most each adds (None: not known): a `mapResponse` of one in what SCORE is set to, or
        a rule adding to SCORE under conditions on that one response only (ONYX and Citolab
        add a part per response). A rule testing every blank at once (packager's own) adds
        no part of one blank."""
        d = self.d
        blanks = set(responses)
        parts: dict[str, float | None] = {}
        known: dict[etree._Element, frozenset[str]] = {}
        for assign in self._score_assignments():
            for mapped in d.descendants(assign, "mapResponse"):
                ident = d.get(mapped, "identifier") or ""
                if ident in blanks:
                    decl = self.decls.get(ident)
                    parts[ident] = decl.mapped_maximum() if decl is not None else None
            if not self._adds_to_score(assign):
                continue
            tested: set[str] = set()
            for branch in assign.iterancestors():
                if branch is self.processing:
                    break
                if branch not in known:
                    known[branch] = self._branch_tests(branch, blanks)
                tested |= known[branch]
            if len(tested) != 1:
                continue
            (ident,) = tested
            expression = _elements(assign)
            added = self._expression_bound(expression[0], 0.0) if expression else None
            if added is None:
                parts.setdefault(ident, None)
            elif added > 0:  # a penalty is no part of the score
                best = parts.get(ident)
                parts[ident] = added if best is None else max(best, added)
        return parts

    def _branch_tests(self, branch: etree._Element, blanks: set[str]) -> frozenset[str]:
        """The `blanks` the rules of a branch run on (two at most: more are as good as two
        here): a responseIf's or responseElseIf's condition, or, for a responseElse, those
        of the branches before it."""
        d = self.d
        name = d.name(branch)
        parent = branch.getparent()
        branches = ([branch] if name in ("responseIf", "responseElseIf") else
                    list(parent) if name == "responseElse" and parent is not None else [])
        found: set[str] = set()
        for other in branches:
            if d.name(other) not in ("responseIf", "responseElseIf"):
                continue
            # A branch starts with its condition.
            test = next((e for e in other if isinstance(e.tag, str)), None)
            for e in test.iter() if test is not None else ():
                if d.name(e) in ("variable", "correct", "mapResponse") and (
                        ident := d.get(e, "identifier") or "") in blanks:
                    found.add(ident)
                    if len(found) > 1:
                        return frozenset(found)
        return frozenset(found)

    def note_score_floor(self) -> None:
        """Note the points a wrong answer still scores (Kennisnet gives 1 of 3: a
        `responseElse` setting SCORE, or SCORE's normalMinimum): a question gives it 0."""
        d = self.d
        rules = _elements(self.processing)
        where, said = self.processing, "the response processing"
        low = self._score_bound(rules, self._score_default(), most=False) if rules else None
        if low is None:
            score = next((o for o in d.children(self.root, "outcomeDeclaration")
                          if d.get(o, "identifier") == "SCORE"), None)
            low = number(d.get(score, "normalMinimum")) if score is not None else None
            where, said = score if score is not None else self.root, "SCORE's normalMinimum"
        points = self.points()
        if low is None or low <= 0 or (points is not None and low >= points):
            return  # no floor, or a score every answer gets: nothing tells a wrong one
        worth = f"the {points:g} points" if points is not None else "its points"
        self.note(where, "changed", f"the score floor is lost: {said} gives a wrong answer "
                  f"{low:g} of {worth}, and the question gives it 0")

    # ------------------------------------------------------------------ the parts

    def location(self) -> Location:
        return Location(self.label, line(self.root), self.paths(self.root))

    def title(self) -> str | None:
        title = collapse(self.d.get(self.root, "title"))
        return title or None

    def refused(self) -> str | None:
        """Why the item has no canonical question whatever its interaction says (None: it
        may have one). Canvas writes a calculated question as an essay (an extended text
        interaction) with the formula in an extension QTI does not define."""
        d = self.d
        qtype = self.canvas.get("question_type", "")
        if qtype in _CANVAS_REFUSED:
            return _CANVAS_REFUSED[qtype]
        if any(d.first(extension, "calculated") is not None
               for extension in d.children(self.root, "itemproc_extension")):
            return _CANVAS_REFUSED["calculated_question"]
        # Its key (setCorrectResponse) and the numbers its text shows are worked out anew
        # for each learner: read as it stands, it had no key, or a hole in its text.
        if d.first(self.root, "templateDeclaration") is not None or d.first(
                self.root, "templateProcessing") is not None:
            return ("a template item (its values are drawn when it is shown, and its key is "
                    "set by templateProcessing) has no fixed form")
        body = d.first(self.root, "itemBody")
        printed = list(d.descendants(body, "printedVariable")) if body is not None else []
        # Feedback printing the score ("You scored 2") loses a word, not the question's text.
        if any(not any(d.name(a) in _FEEDBACK_KINDS for a in v.iterancestors())
               for v in printed):
            return "its text shows a variable's value (printedVariable), which has no fixed form"
        return None

    def points(self) -> float | None:
        """The item's maximum score (None: the bank default); worked out once, as it may
        note that it cannot be."""
        if not self._points:
            self._points.append(self._stated() if "points_possible" in self.canvas
                                else self._maximum())
        return self._points[0]

    def _stated(self) -> float | None:
        """Canvas's points; the response processing's score is a percentage beside them."""
        raw = self.canvas["points_possible"]
        value = number(raw)
        if value is None or value <= 0 or value > MAX_POINTS:
            meta = self.d.first(self.root, "instructureMetadata")
            self.note(meta if meta is not None else self.root, "changed",
                      f"Canvas's points {raw!r} cannot be kept (a question is worth more than 0 "
                      f"and at most {MAX_POINTS:,.0f}): the bank's default is used")
            return None
        return value

    def _maximum(self) -> float | None:
        declared = self._declared_maximum()
        if declared is not None:
            return declared
        best = self._processing_maximum()
        if best is not None and self._capped_at_100():
            self.note(self.processing, "changed", "the response processing scores out of 100 "
                      "(it caps SCORE at 100, as Canvas's conversion does: a percentage), and "
                      "the item states no points: it is worth the bank's default points")
            return None
        return best

    def _capped_at_100(self) -> bool:
        """Whether the processing holds Canvas's cap, `SCORE > 100 → SCORE = 100`: the
        conversion of QTI 1.2's `decvar maxvalue="100"`, the percentage Canvas scores in."""
        d = self.d
        for rule in d.children(self.processing, "responseCondition"):
            branches = _elements(rule)
            if len(branches) != 1 or d.name(branches[0]) != "responseIf":
                continue
            parts = _elements(branches[0])
            if len(parts) != 2 or d.name(parts[0]) != "gt" or not self._is_100(parts[1], "set"):
                continue
            compared = _elements(parts[0])
            if (len(compared) == 2 and d.name(compared[0]) == "variable"
                    and d.get(compared[0], "identifier") == "SCORE"
                    and self._is_100(compared[1], "value")):
                return True
        return False

    def _is_100(self, element: etree._Element, what: Literal["set", "value"]) -> bool:
        """`<baseValue>100</baseValue>`, or SCORE set to it."""
        d = self.d
        if what == "set":
            if d.name(element) != "setOutcomeValue" or d.get(element, "identifier") != "SCORE":
                return False
            inner = _elements(element)
            return len(inner) == 1 and self._is_100(inner[0], "value")
        return d.name(element) == "baseValue" and number(d.text(element)) == 100

    def _declared_maximum(self) -> float | None:
        """MAXSCORE's default, else SCORE's normalMaximum (None: neither is above 0)."""
        d = self.d
        for outcome in d.children(self.root, "outcomeDeclaration"):
            if d.get(outcome, "identifier") == "MAXSCORE":
                default = d.first(outcome, "defaultValue")
                value = number(d.text(d.first(default, "value") if default is not None
                                      else None))
                if value is not None and value > 0:
                    return value
        for outcome in d.children(self.root, "outcomeDeclaration"):
            if d.get(outcome, "identifier") == "SCORE":
                value = number(d.get(outcome, "normalMaximum"))
                if value is not None and value > 0:
                    return value
        return None

    def _processing_maximum(self) -> float | None:
        """The largest score the response processing gives (None: none above 0)."""
        d = self.d
        if any(self._adds_to_score(assign) for assign in self._score_assignments()):
            # SCORE accumulates (ONYX and Citolab add a part per response): its largest value
            # is what every rule adding the most gives, not any one value written.
            best = self._score_bound(_elements(self.processing), self._score_default())
            if best is None:
                self.note(self.processing, "changed", "the item's maximum score cannot be worked "
                          "out from its response processing: it is worth the bank's default "
                          "points")
            return best if best is not None and best > 0 else None
        candidates = [0.0]
        candidates.extend(m for decl in self.decls.values()
                          if (m := decl.mapped_maximum()) is not None)
        for assign in self._score_assignments():
            candidates.extend(number(d.text(v)) or 0.0
                              for v in assign if d.name(v) == "baseValue")
        best = max(candidates)
        return best if best > 0 else None

    def _score_assignments(self) -> list[etree._Element]:
        return [e for e in self.d.descendants(self.processing, "setOutcomeValue")
                if self.d.get(e, "identifier") == "SCORE"]

    def _adds_to_score(self, assign: etree._Element) -> bool:
        """Whether a SCORE assignment builds on SCORE (`sum(SCORE, …)`)."""
        return any(self.d.get(v, "identifier") == "SCORE"
                   for v in self.d.descendants(assign, "variable"))

    def _score_default(self) -> float:
        d = self.d
        for outcome in d.children(self.root, "outcomeDeclaration"):
            default = d.first(outcome, "defaultValue")
            if d.get(outcome, "identifier") == "SCORE" and default is not None:
                return number(d.text(d.first(default, "value"))) or 0.0
        return 0.0

    def _score_bound(self, rules: list[etree._Element], score: float,
                     most: bool = True) -> float | None:
        """The largest SCORE after `rules` when it is at most `score` before them (not
        `most`: the least, when it is at least `score`): each condition's branches (and
        going past it, without a responseElse) are tried, and the largest (least) is kept;
        None when a rule sets SCORE from something unknown."""
        d = self.d
        for rule in rules:
            name = d.name(rule)
            if name == "setOutcomeValue" and d.get(rule, "identifier") == "SCORE":
                expression = _elements(rule)
                found = (self._expression_bound(expression[0], score, most) if expression
                         else None)
                if found is None:
                    return None
                score = found
            elif name == "lookupOutcomeValue" and d.get(rule, "identifier") == "SCORE":
                return None
            elif name == "responseProcessingFragment":
                found = self._score_bound(_elements(rule), score, most)
                if found is None:
                    return None
                score = found
            elif name == "responseCondition":
                branches = [b for b in _elements(rule) if d.name(b) in _BRANCHES]
                ends = [] if any(d.name(b) == "responseElse" for b in branches) else [score]
                for branch in branches:
                    # responseIf and responseElseIf start with their condition.
                    body = _elements(branch)[0 if d.name(branch) == "responseElse" else 1:]
                    found = self._score_bound(body, score, most)
                    if found is None:
                        return None
                    ends.append(found)
                score = max(ends) if most else min(ends)
        return score

    def _expression_bound(self, expression: etree._Element, score: float,
                          most: bool = True) -> float | None:
        """The largest value of a numeric expression when SCORE is at most `score` (not
        `most`: the least, when it is at least `score`; None: not one this reading knows)."""
        d = self.d
        name = d.name(expression)
        if name == "baseValue":
            return number(d.text(expression))
        if name == "variable" and d.get(expression, "identifier") == "SCORE":
            return score
        if name == "sum":
            parts = [self._expression_bound(e, score, most) for e in _elements(expression)]
            return None if None in parts else sum(p for p in parts if p is not None)
        if name == "mapResponse" and most:  # the least a mapping gives is not worked out
            decl = self.decls.get(d.get(expression, "identifier") or "")
            return decl.mapped_maximum() if decl is not None else None
        return None

    @cached_property
    def onyx_outcomes(self) -> dict[str, str]:
        """What ONYX's feedback outcomes mean, by identifier: "correct" or "incorrect" for
        `FEEDBACK_n = match(correct, FEEDBACKBASIC)` (its processing sets FEEDBACKBASIC to
        "correct" when SCORE reaches MAXSCORE, else "incorrect"), a choice's identifier for
        `member(choice, RESPONSE)`. Only rules that set the outcome whatever was answered
        count (not in a condition); a choice not chosen (`not member`) has no such place."""
        d = self.d
        meanings: dict[str, str] = {}
        for rule in _elements(self.processing):
            identifier = d.get(rule, "identifier") or ""
            expression = _elements(rule)
            if d.name(rule) != "setOutcomeValue" or len(expression) != 1:
                continue
            test = expression[0]
            while d.name(test) in ("and", "or") and len(_elements(test)) == 1:
                test = _elements(test)[0]  # ONYX wraps one test in an <and>
            operands = _elements(test)
            if len(operands) != 2:
                continue
            values = {d.name(o): (d.get(o, "identifier") or d.text(o) or "") for o in operands}
            basic = (values.get("variable") == "FEEDBACKBASIC"
                     and values.get("baseValue") in ("correct", "incorrect"))
            chosen = "baseValue" in values and "variable" in values
            if (d.name(test) == "match" and basic) or (d.name(test) == "member" and chosen):
                meanings[identifier] = values["baseValue"]
        return meanings

    def feedback(self, question: dict[str, Any], shown: list[etree._Element]) -> None:
        """Modal feedback, and the feedback blocks `shown` in the body → the explanation,
        feedback.correct/.incorrect or a choice's feedback (see the module docstring). A
        modal feedback's title is its first line, in bold, where its condition is kept; a
        text already given there is not repeated."""
        d = self.d
        explanation: list[str] = []
        for element in d.children(self.root, "modalFeedback") + shown:
            content = d.first(element, "contentBody")
            text = self.markdown(content if content is not None else element)
            if not text:
                continue
            outcome = d.get(element, "outcomeIdentifier") or ""
            identifier = d.get(element, "identifier") or ""
            hidden = (d.get(element, "showHide") or "show") == "hide"
            key = identifier.upper()
            if hidden and key in _CORRECT | _INCORRECT:
                key = "INCORRECT" if key in _CORRECT else "CORRECT"  # shown when not that
            target = self.feedback_targets.get(identifier)
            if identifier == "true" and not hidden and outcome in self.onyx_outcomes:
                meaning = self.onyx_outcomes[outcome]
                key = meaning.upper() if meaning in ("correct", "incorrect") else key
                target = self.feedback_targets.get(meaning, target)
            what = f"{_FEEDBACK_KINDS[d.name(element) or '']} {identifier!r} on {outcome!r}"
            title = collapse(d.get(element, "title"))
            titled = _titled(title, text)
            if outcome == FEEDBACKMODAL or key in _EXPLANATION:
                if titled in explanation:
                    self.note(element, "changed", f"{what} repeats a text of the explanation: "
                              "it is shown once")
                else:
                    explanation.append(titled)
            elif target is not None and not hidden:
                holder, field = question if target[0] is None else target[0], target[1]
                if holder.get(field) == titled:
                    self.note(element, "changed", f"{what} repeats the feedback its choice "
                              "holds: it is shown once")
                else:
                    # A choice may hold feedback of its own too (a feedbackInline): both are kept.
                    holder[field] = f"{holder[field]}\n\n{titled}" if holder.get(field) else titled
            elif key in _CORRECT | _INCORRECT:
                side = "correct" if key in _CORRECT else "incorrect"
                question.setdefault("feedback", {})[side] = titled
            else:
                if text in explanation:
                    self.note(element, "changed", f"{what} repeats a text of the explanation: "
                              "it is shown once (its condition is not carried)")
                else:
                    explanation.append(text)
                    self.note(element, "changed", f"{what} is shown with the explanation (its "
                              "condition is not carried)")
                if title and title != collapse(text):
                    # Such a title most often names the condition ("Richtig!"), which every
                    # learner seeing the explanation would read.
                    self.note(element, "dropped", f"the title {title!r} of {what} is dropped "
                              "with its condition")
        if explanation:
            question["explanation"] = "\n\n".join(explanation)
