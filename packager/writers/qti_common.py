"""What the QTI 2.1 and QTI 3.0 writers share: identifiers, the scoring plan, rich text.

The plan of an item is version-neutral: its response and outcome declarations, the
response-processing template or explicit rules, and its modal feedback. Rules are a small
expression tree (`Node`) named in QTI 2.1 vocabulary; the QTI 3 writer renders the same tree
with `qti-` kebab-case names. So the scoring of every question type is decided once, here.

Scoring (SCORE is always on the question's points scale, `bank.points_of(q)`):
- single_choice / true_false: `match_correct` when the points are 1, else `map_response`
  (the correct choice maps to the points);
- multiple_response all_or_nothing, matching, ordering: `match_correct` when the points are 1,
  else an explicit "match → points, else 0" rule;
- multiple_response partial: explicit rules (each correct pick +points/#correct, each wrong
  pick −points/#correct, floor 0, exactly the points when the set is right);
- short_answer: `map_response` (every accepted answer maps to the points);
- numeric: explicit `equal` (toleranceMode absolute/exact) or `gte`/`lte` for a range;
- fill_in_blanks: explicit; full points when every blank's answer is accepted, else 0;
- essay: no response processing (scored by a person); text: no response at all.
When a question carries conditional feedback (correct/incorrect, per choice, true/false) the
template is written out as explicit rules followed by the feedback rules, since a template
cannot set feedback outcomes. The explanation is shown whatever the answer: its modal feedback
listens to FEEDBACKMODAL, whose default value is EXPLANATION, so it works under templates too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import quote

from lxml import etree

from packager.model import Bank, Question, Stimulus
from packager.model import questions as m
from packager.model.ids import digest, ncname
from packager.model.invariants import BLANK_MARKER
from packager.richtext import LIST_START, plain_text, render

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# Outcome, response and feedback identifiers (the conventional QTI names).
RESPONSE = "RESPONSE"
SCORE = "SCORE"
MAXSCORE = "MAXSCORE"
PASS = "PASS"
FEEDBACK = "FEEDBACK"  # multiple identifier: conditional feedback set by response processing
FEEDBACKMODAL = "FEEDBACKMODAL"  # single identifier, default EXPLANATION: always shown
EXPLANATION = "EXPLANATION"
CORRECT = "CORRECT"
INCORRECT = "INCORRECT"

MEDIA_FOLDER = "media"

# richtext.render caches every text it renders (the checks rendered them all already).
rendered = render
TRUE_FALSE_LABELS = (("true", "True"), ("false", "False"))


# ---------------------------------------------------------------- identifiers and paths


def item_identifier(bank: Bank, q: Question) -> str:
    return _joined(bank.id, q.id)


@lru_cache(maxsize=131072)
def _joined(bank_id: str, question_id: str) -> str:
    return ncname("", bank_id, question_id)


def item_href(q: Question) -> str:
    return f"items/{q.id}.xml"


def stimulus_identifier(bank: Bank, s: Stimulus) -> str:
    return ncname("stimulus-", bank.id, s.id)


def stimulus_href(s: Stimulus) -> str:
    return f"stimuli/{s.id}.xml"


def test_identifier(bank: Bank) -> str:
    return ncname("test-", bank.id)


def test_href(bank: Bank) -> str:
    return f"{bank.id}.xml"


def part_identifier(bank: Bank) -> str:
    return ncname("part-", bank.id)


def section_identifier(section_id: str) -> str:
    return ncname("section-", section_id)


@lru_cache(maxsize=131072)
def choice_identifier(choice_id: str) -> str:
    return ncname("c-", choice_id)


@lru_cache(maxsize=131072)
def source_identifier(prompt: str) -> str:
    return ncname("p-", digest(prompt, size=4))


@lru_cache(maxsize=131072)
def target_identifier(match: str) -> str:
    return ncname("m-", digest(match, size=4))


@lru_cache(maxsize=131072)
def order_identifier(item: str) -> str:
    return ncname("o-", digest(item, size=4))


@lru_cache(maxsize=131072)
def blank_response(blank_id: str) -> str:
    return ncname(f"{RESPONSE}-", blank_id)


@lru_cache(maxsize=131072)
def feedback_identifier(choice_ident: str) -> str:
    return ncname("FB-", choice_ident)


@lru_cache(maxsize=131072)
def media_path(href: str) -> str:
    """Where a bank media file goes in a package: under media/ (kept as is when already there)."""
    posix = str(PurePosixPath(href))
    return posix if posix.startswith(f"{MEDIA_FOLDER}/") else f"{MEDIA_FOLDER}/{posix}"


def url(path: str) -> str:
    """A package path as a URL reference (a media file named `50%.png` is `50%25.png`)."""
    return quote(path, safe="/")


def relative_href(from_document: str, to_path: str) -> str:
    """A relative URL from one package file to another (both package paths)."""
    depth = from_document.count("/")
    return "../" * depth + to_path


def fmt_number(value: float) -> str:
    """A float as QTI writes it: integers without '.0', others in shortest round-trip form."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def item_title(q: Question) -> str:
    if q.title:
        return q.title
    return _title_of(q.prompt)


@lru_cache(maxsize=131072)
def _title_of(prompt: str) -> str:
    first_paragraph = prompt.strip().split("\n\n", 1)[0]
    text = BLANK_MARKER.sub("___", plain_text(first_paragraph))
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """One XML document of a QTI package, with what its manifest resource needs to say."""

    href: str  # package path, e.g. "items/q1.xml"
    build: Callable[[], etree._Element]  # the tree, built when the package writes it
    schema: str  # XSD key (packager/xsd.py)
    kind: str  # "item" | "test" | "stimulus"
    identifier: str
    title: str
    media: tuple[str, ...] = ()  # package paths of media files it shows
    depends: tuple[str, ...] = ()  # package paths of documents it refers to
    interaction: str | None = None
    keywords: tuple[str, ...] = ()
    feedback: bool = False  # has modal feedback

    @property
    def root(self) -> etree._Element:
        """The document's tree, built anew on each access (a package builds it once, late)."""
        return self.build()


# ---------------------------------------------------------------- the expression tree


@dataclass(frozen=True, eq=False)
class Node:
    """One response- or outcome-processing element, in QTI 2.1 names (camelCase).

    Hashable by value (the writers cache XML per rules tuple); the hash is computed once."""

    name: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Node, ...] = ()
    text: str | None = None

    @cached_property
    def _key(self) -> tuple[object, ...]:
        return (self.name, self.attrs, self.children, self.text)

    @cached_property
    def _hash(self) -> int:
        return hash(self._key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Node) and self._hash == other._hash and self._key == other._key


def node(name: str, *children: Node, text: str | None = None, **attrs: str) -> Node:
    return Node(name, tuple(attrs.items()), children, text)


def variable(identifier: str) -> Node:
    return node("variable", identifier=identifier)


def base_value(base_type: str, value: str) -> Node:
    return node("baseValue", text=value, baseType=base_type)


def number(value: float) -> Node:
    return base_value("float", fmt_number(value))


def set_outcome(identifier: str, expression: Node) -> Node:
    return node("setOutcomeValue", expression, identifier=identifier)


def add_feedback(identifier: str) -> Node:
    return set_outcome(
        FEEDBACK, node("multiple", variable(FEEDBACK), base_value("identifier", identifier))
    )


def condition(*branches: tuple[Node | None, Sequence[Node]]) -> Node:
    """responseCondition: (test, rules) pairs; a None test is the final responseElse."""
    parts: list[Node] = []
    for i, (test, rules) in enumerate(branches):
        if test is None:
            parts.append(node("responseElse", *rules))
        else:
            parts.append(node("responseIf" if i == 0 else "responseElseIf", test, *rules))
    return node("responseCondition", *parts)


# ---------------------------------------------------------------- declarations and plan
#
# Named tuples, not dataclasses: every item makes several, and items of one shape are
# looked up by them (qti_build's skeleton cache), where a tuple hashes in C.


class MapEntry(NamedTuple):
    key: str
    value: float
    case_sensitive: bool = True


class Mapping(NamedTuple):
    entries: tuple[MapEntry, ...]
    default: float = 0.0
    lower_bound: float | None = None
    upper_bound: float | None = None


class ResponseDecl(NamedTuple):
    identifier: str
    cardinality: str  # single | multiple | ordered
    base_type: str  # identifier | string | float | directedPair
    correct: tuple[str, ...] = ()
    mapping: Mapping | None = None


class OutcomeDecl(NamedTuple):
    identifier: str
    cardinality: str
    base_type: str
    default: str | None = None
    normal_maximum: float | None = None
    external_scored: bool = False  # QTI 3 only (external-scored="human")


class Feedback(NamedTuple):
    """A modalFeedback: shown when outcome `outcome` holds `identifier`."""

    outcome: str
    identifier: str
    markdown: str


class ItemPlan(NamedTuple):
    points: float
    responses: tuple[ResponseDecl, ...] = ()
    outcomes: tuple[OutcomeDecl, ...] = ()
    template: str | None = None  # "match_correct" | "map_response"
    rules: tuple[Node, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    interaction: str | None = None  # QTI 2.1 name, for package metadata


class ChoiceSpec(NamedTuple):  # a tuple: built for every choice of every item, 4x cheaper
    identifier: str
    markdown: str | None  # None: `label` is plain text (true/false)
    label: str = ""
    fixed: bool = False


def choices_of(q: m.SingleChoice | m.MultipleResponse | m.TrueFalse) -> list[ChoiceSpec]:
    if isinstance(q, m.TrueFalse):
        return [ChoiceSpec(ident, None, label) for ident, label in TRUE_FALSE_LABELS]
    return [ChoiceSpec(choice_identifier(c.id), c.text, fixed=c.pinned) for c in q.choices]


def match_sources(q: m.Matching) -> list[ChoiceSpec]:
    return [ChoiceSpec(source_identifier(p.prompt), p.prompt) for p in q.pairs]


def match_targets(q: m.Matching) -> list[tuple[str, str, int]]:
    """(identifier, text, matchMax) for every distinct match and distractor, in a stable order
    that does not follow the pairs (so the layout never gives the key away)."""
    uses: dict[str, int] = {}
    for p in q.pairs:
        uses[p.match] = uses.get(p.match, 0) + 1
    for d in q.distractors:
        uses.setdefault(d, 1)
    targets = [(target_identifier(text), text, n) for text, n in uses.items()]
    return sorted(targets, key=lambda t: t[0])


def order_choices(q: m.Ordering) -> list[ChoiceSpec]:
    """The items in a stable order unrelated to the key (the interaction shuffles them too)."""
    specs = [ChoiceSpec(order_identifier(item), item) for item in q.items]
    return sorted(specs, key=lambda s: s.identifier)


_INTERACTIONS = {
    "single_choice": "choiceInteraction",
    "multiple_response": "choiceInteraction",
    "true_false": "choiceInteraction",
    "short_answer": "textEntryInteraction",
    "numeric": "textEntryInteraction",
    "fill_in_blanks": "textEntryInteraction",
    "essay": "extendedTextInteraction",
    "matching": "matchInteraction",
    "ordering": "orderInteraction",
}


def interaction_name(q: Question) -> str | None:
    return _INTERACTIONS.get(q.type)


def plan_item(bank: Bank, q: Question) -> ItemPlan:
    """Declarations, scoring and feedback of one question (see the module docstring)."""
    if isinstance(q, m.TextItem):
        return ItemPlan(points=0.0)
    points = bank.points_of(q)
    responses, kind = _responses(q, points)
    fb_rules, fb = _conditional_feedback(q, points)
    outcomes = _outcomes(points, kind == "none", bool(fb), bool(q.explanation))
    feedback = list(fb)
    if q.explanation:
        feedback.append(Feedback(FEEDBACKMODAL, EXPLANATION, q.explanation))
    template: str | None = None
    rules: tuple[Node, ...] = ()
    if kind == "match" and points == 1 and not fb_rules:
        template = "match_correct"
    elif kind == "map" and not fb_rules:
        template = "map_response"
    elif kind != "none":
        rules = _score_rules(q, kind, points, responses) + fb_rules
    return ItemPlan(
        points=points,
        responses=tuple(responses),
        outcomes=outcomes,
        template=template,
        rules=rules,
        feedback=tuple(feedback),
        interaction=interaction_name(q),
    )


@lru_cache(maxsize=1024)
def _outcomes(
    points: float, external_scored: bool, feedback: bool, explanation: bool
) -> tuple[OutcomeDecl, ...]:
    """An item's outcome declarations; cached, so items of one shape share the same tuple
    (the writers cache item skeletons keyed by it)."""
    outcomes = [
        OutcomeDecl(SCORE, "single", "float", "0", points, external_scored=external_scored),
        OutcomeDecl(MAXSCORE, "single", "float", fmt_number(points)),
    ]
    if feedback:
        outcomes.append(OutcomeDecl(FEEDBACK, "multiple", "identifier"))
    if explanation:
        outcomes.append(OutcomeDecl(FEEDBACKMODAL, "single", "identifier", EXPLANATION))
    return tuple(outcomes)


def _responses(q: Question, points: float) -> tuple[list[ResponseDecl], str]:
    if isinstance(q, m.SingleChoice | m.TrueFalse):
        if isinstance(q, m.TrueFalse):
            key = "true" if q.answer else "false"
        else:
            key = next(choice_identifier(c.id) for c in q.choices if c.correct)
        mapping = None if points == 1 else Mapping((MapEntry(key, points),))
        kind = "match" if mapping is None else "map"
        return [ResponseDecl(RESPONSE, "single", "identifier", (key,), mapping)], kind
    if isinstance(q, m.MultipleResponse):
        correct = tuple(choice_identifier(c.id) for c in q.choices if c.correct)
        kind = "partial" if q.scoring == "partial" else "match"
        return [ResponseDecl(RESPONSE, "multiple", "identifier", correct)], kind
    if isinstance(q, m.ShortAnswer):
        entries: dict[str, MapEntry] = {}
        for a in q.answers:
            text = a.text.strip()
            entries.setdefault(text, MapEntry(text, points, a.case_sensitive))
        mapping = Mapping(tuple(entries.values()))
        return [
            ResponseDecl(RESPONSE, "single", "string", (q.answers[0].text.strip(),), mapping)
        ], "map"
    if isinstance(q, m.Numeric):
        if isinstance(q.answer, m.ExactAnswer):
            value = q.answer.value
        else:
            value = (q.answer.min + q.answer.max) / 2
        return [ResponseDecl(RESPONSE, "single", "float", (fmt_number(value),))], "numeric"
    if isinstance(q, m.Essay):
        return [ResponseDecl(RESPONSE, "single", "string")], "none"
    if isinstance(q, m.Matching):
        pairs = tuple(
            f"{source_identifier(p.prompt)} {target_identifier(p.match)}" for p in q.pairs
        )
        return [ResponseDecl(RESPONSE, "multiple", "directedPair", pairs)], "match"
    if isinstance(q, m.Ordering):
        order = tuple(order_identifier(item) for item in q.items)
        return [ResponseDecl(RESPONSE, "ordered", "identifier", order)], "match"
    if isinstance(q, m.FillInBlanks):
        decls = []
        for blank_id in blank_order(q):
            answers = [a.strip() for a in q.blanks[blank_id]]
            entries_b = tuple(
                MapEntry(a, 1.0, q.case_sensitive) for a in dict.fromkeys(answers)
            )
            decls.append(
                ResponseDecl(
                    blank_response(blank_id), "single", "string", (answers[0],),
                    Mapping(entries_b),
                )
            )
        return decls, "blanks"
    raise AssertionError(f"no plan for {q.type}")  # pragma: no cover


def blank_order(q: m.FillInBlanks) -> list[str]:
    return BLANK_MARKER.findall(q.prompt)


def _score_rules(
    q: Question, kind: str, points: float, responses: list[ResponseDecl]
) -> tuple[Node, ...]:
    """The scoring rules of a question. The builders below are cached on small keys, so the
    same rules are the same objects (the writers cache their XML per rules tuple)."""
    if kind == "match":
        return _match_rules(points)
    if kind == "map":
        return _map_rules()
    if kind == "numeric":
        assert isinstance(q, m.Numeric)
        answer = q.answer
        if isinstance(answer, m.ExactAnswer):
            return _exact_rules(answer.value, answer.tolerance, points)
        return _range_rules(answer.min, answer.max, points)
    if kind == "partial":
        assert isinstance(q, m.MultipleResponse)
        picks = tuple((choice_identifier(c.id), c.correct) for c in q.choices)
        return _partial_rules(picks, points)
    if kind == "blanks":
        return _blank_rules(tuple(r.identifier for r in responses), points)
    raise AssertionError(kind)  # pragma: no cover


def _set_score(value: float) -> Node:
    return set_outcome(SCORE, number(value))


@lru_cache(maxsize=1024)
def _match_rules(points: float) -> tuple[Node, ...]:
    test = node("match", variable(RESPONSE), node("correct", identifier=RESPONSE))
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=1)
def _map_rules() -> tuple[Node, ...]:
    return (
        condition(
            (node("isNull", variable(RESPONSE)), [_set_score(0)]),
            (None, [set_outcome(SCORE, node("mapResponse", identifier=RESPONSE))]),
        ),
    )


@lru_cache(maxsize=4096)
def _exact_rules(value: float, tolerance: float, points: float) -> tuple[Node, ...]:
    attrs = (
        {"toleranceMode": "absolute", "tolerance": fmt_number(tolerance)}
        if tolerance
        else {"toleranceMode": "exact"}
    )
    test = node("equal", variable(RESPONSE), number(value), **attrs)
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=4096)
def _range_rules(low: float, high: float, points: float) -> tuple[Node, ...]:
    test = node(
        "and",
        node("gte", variable(RESPONSE), number(low)),
        node("lte", variable(RESPONSE), number(high)),
    )
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=4096)
def _partial_rules(picks: tuple[tuple[str, bool], ...], points: float) -> tuple[Node, ...]:
    """+points/#correct per correct pick, −points/#correct per wrong pick, floor 0; the exact
    correct set scores exactly the points (no rounding drift from the sum)."""
    weight = points / sum(correct for _, correct in picks)
    per_choice = [
        condition(
            (
                node("member", base_value("identifier", ident), variable(RESPONSE)),
                [set_outcome(SCORE, node("sum", variable(SCORE),
                                         number(weight if correct else -weight)))],
            )
        )
        for ident, correct in picks
    ]
    floor = condition((node("lt", variable(SCORE), number(0)), [_set_score(0)]))
    exact = node("match", variable(RESPONSE), node("correct", identifier=RESPONSE))
    return (
        condition(
            (node("isNull", variable(RESPONSE)), [_set_score(0)]),
            (exact, [_set_score(points)]),
            (None, [_set_score(0), *per_choice, floor]),
        ),
    )


@lru_cache(maxsize=4096)
def _blank_rules(responses: tuple[str, ...], points: float) -> tuple[Node, ...]:
    """Full points when every blank holds an accepted answer (mapped to 1), else 0."""
    tests = [
        node(
            "and",
            node("not", node("isNull", variable(ident))),
            node("gte", node("mapResponse", identifier=ident), number(1)),
        )
        for ident in responses
    ]
    test = tests[0] if len(tests) == 1 else node("and", *tests)
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


def _conditional_feedback(q: Question, points: float) -> tuple[tuple[Node, ...], list[Feedback]]:
    feedback: list[Feedback] = []
    per_choice: list[tuple[str, str]] = []
    multiple = False
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        multiple = isinstance(q, m.MultipleResponse)
        per_choice = [(choice_identifier(c.id), c.feedback) for c in q.choices if c.feedback]
    elif isinstance(q, m.TrueFalse):
        texts = (q.feedback_true, q.feedback_false)
        per_choice = [
            (ident, text)
            for (ident, _), text in zip(TRUE_FALSE_LABELS, texts, strict=True)
            if text
        ]
    for ident, text in per_choice:
        feedback.append(Feedback(FEEDBACK, feedback_identifier(ident), text))
    correct = incorrect = False
    if not isinstance(q, m.TextItem | m.Essay) and q.feedback:
        if q.feedback.correct:
            correct = True
            feedback.append(Feedback(FEEDBACK, CORRECT, q.feedback.correct))
        if q.feedback.incorrect:
            incorrect = True
            feedback.append(Feedback(FEEDBACK, INCORRECT, q.feedback.incorrect))
    rules = _feedback_rules(
        tuple(ident for ident, _ in per_choice), multiple, correct, incorrect, points
    )
    return rules, feedback


@lru_cache(maxsize=4096)
def _feedback_rules(
    choices: tuple[str, ...], multiple: bool, correct: bool, incorrect: bool, points: float
) -> tuple[Node, ...]:
    """Add FB-<choice> to FEEDBACK for each picked choice that has feedback, then CORRECT
    (full points) or INCORRECT (anything less)."""
    rules: list[Node] = []
    for ident in choices:
        picked = base_value("identifier", ident)
        test = (
            node("member", picked, variable(RESPONSE))
            if multiple
            else node("match", variable(RESPONSE), picked)
        )
        rules.append(condition((test, [add_feedback(feedback_identifier(ident))])))
    full = node("gte", variable(SCORE), number(points))
    branches: list[tuple[Node | None, list[Node]]] = []
    if correct:
        branches.append((full, [add_feedback(CORRECT)]))
    if incorrect:
        branches.append((None if correct else node("not", full), [add_feedback(INCORRECT)]))
    if branches:
        rules.append(condition(*branches))
    return tuple(rules)


# ---------------------------------------------------------------- test outcome processing


def test_outcomes(bank: Bank) -> list[OutcomeDecl]:
    outcomes = [
        OutcomeDecl(SCORE, "single", "float", "0"),
        OutcomeDecl(MAXSCORE, "single", "float", "0"),
    ]
    if bank.settings.passing_score is not None:
        outcomes.append(OutcomeDecl(PASS, "single", "boolean", "false"))
    return outcomes


def test_outcome_rules(bank: Bank) -> list[Node]:
    rules = [
        node("setOutcomeValue", node("sum", node("testVariables", variableIdentifier=SCORE)),
             identifier=SCORE),
        node("setOutcomeValue", node("sum", node("testVariables", variableIdentifier=MAXSCORE)),
             identifier=MAXSCORE),
    ]
    if bank.settings.passing_score is not None:
        threshold = node("product", variable(MAXSCORE), number(bank.settings.passing_score))
        rules.append(
            node("outcomeCondition",
                 node("outcomeIf", node("gte", variable(SCORE), threshold),
                      node("setOutcomeValue", base_value("boolean", "true"), identifier=PASS)),
                 node("outcomeElse",
                      node("setOutcomeValue", base_value("boolean", "false"), identifier=PASS)))
        )
    return rules


# ---------------------------------------------------------------- rich text


# Small on purpose: most rich texts of a bank are distinct, and a cache the size of the bank
# kept every parsed tree alive in the build worker for its later jobs (44 MB on the rich
# 10,000-question bench bank, with no hit). A rich text repeated among nearby items is still
# parsed once.
@lru_cache(maxsize=1024)
def _parsed(namespace: str, xhtml: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns="{namespace}">{xhtml}</div>')


def paragraph_text(markdown: str) -> str | None:
    """The text of Markdown that renders to one plain paragraph, else None."""
    return rendered(markdown).paragraph_text


def _parsed_elements(markdown: str, namespace: str, document: str) -> list[etree._Element]:
    """Rendered Markdown as fresh elements in `namespace` (MathML stays MathML); image sources
    rewritten to the packaged media, relative to `document` (a package path)."""
    result = rendered(markdown)
    elements = [copy(e) for e in _parsed(namespace, result.xhtml)]
    if result.flags & LIST_START:  # QTI's XHTML has no start (the report says so)
        for element in elements:
            for listed in element.iter(f"{{{namespace}}}ol"):
                if "start" in listed.attrib:
                    del listed.attrib["start"]
    if result.media:
        img = f"{{{namespace}}}img"
        for element in elements:
            for image in element.iter(img):
                src = image.get("src")
                if src:
                    image.set("src", relative_href(document, url(media_path(_unquote(src)))))
    return elements


@lru_cache(maxsize=16)
def _p_tag(namespace: str) -> str:
    return f"{{{namespace}}}p"


def _unquote(src: str) -> str:
    from urllib.parse import unquote

    return str(PurePosixPath(unquote(src)))


def append_rich(
    parent: etree._Element, markdown: str, namespace: str, document: str, *, inline: bool
) -> None:
    """Append rendered Markdown to `parent`; with inline=True a lone paragraph is unwrapped
    (its text and children go straight into `parent`), e.g. inside a choice."""
    text = paragraph_text(markdown)
    if text is not None:  # the common case: one plain paragraph, no parsing
        if inline:
            _append_text(parent, text)
        else:
            etree.SubElement(parent, _p_tag(namespace)).text = text
        return
    elements = _parsed_elements(markdown, namespace, document)
    if inline and len(elements) == 1 and elements[0].tag == _p_tag(namespace):
        only = elements[0]
        _append_text(parent, only.text)
        for child in only:
            parent.append(child)
        return
    for element in elements:
        parent.append(element)


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def media_of(markdowns: Sequence[str | None]) -> list[str]:
    """Package paths of the media the texts use, in first-use order."""
    found: dict[str, None] = {}
    for text in markdowns:
        if text:
            media = rendered(text).media
            if media:
                for href in media:
                    found[media_path(href)] = None
    return list(found)


def question_texts(bank: Bank, q: Question, *, with_stimulus: bool) -> list[str]:
    from packager.model.walk import question_fields

    texts = [text for _, _, text in question_fields(q)]
    if with_stimulus and q.stimulus:
        texts.insert(0, bank.stimulus_by_id[q.stimulus].body)
    return texts


_BLANK_SPLIT = re.compile(r"(\[\[[a-z0-9][a-z0-9_-]*\]\])")


def replace_blanks(root: etree._Element, make: Callable[[str], etree._Element]) -> None:
    """Replace every [[blank-id]] in the text of `root`'s subtree with make(blank_id)."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.text and "[[" in element.text:
            pieces = _BLANK_SPLIT.split(element.text)
            element.text = pieces[0] or None
            _insert_pieces(element, None, pieces[1:], make)
        for child in list(element):
            if child.tail and "[[" in child.tail:
                pieces = _BLANK_SPLIT.split(child.tail)
                child.tail = pieces[0] or None
                _insert_pieces(element, child, pieces[1:], make)


def _insert_pieces(
    parent: etree._Element,
    after: etree._Element | None,
    pieces: list[str],
    make: Callable[[str], etree._Element],
) -> None:
    """The blanks and the text after each, placed after `after` (None: first in `parent`).
    Each goes next to the one before: lxml walks the children to reach an index."""
    for j in range(0, len(pieces), 2):
        marker = pieces[j]
        text = pieces[j + 1] if j + 1 < len(pieces) else ""
        new = make(marker[2:-2])
        new.tail = text or None
        if after is None:
            parent.insert(0, new)
        else:
            after.addnext(new)
        after = new
