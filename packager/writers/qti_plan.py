"""The plan of a QTI 2.1 or 3.0 item: declarations, scoring and feedback, and the test's outcomes.

The plan of an item is version-neutral: its response and outcome declarations, the
response-processing template or explicit rules (qti_rules.py), and its modal feedback. So the
scoring of every question type is decided once, here.

Scoring (SCORE is always on the question's points scale, `bank.points_of(q)`):
- single_choice / true_false: `match_correct` when the points are 1, else `map_response`
  (the correct choice maps to the points);
- multiple_response all_or_nothing, ordering, matching of one pair: `match_correct` when the
  points are 1, else an explicit "match → points, else 0" rule;
- matching of two or more pairs: explicit; each right pair earns points/#pairs, exactly the
  points when every pair is right;
- multiple_response partial: explicit rules (each correct pick +points/#correct, each wrong
  pick −points/#correct, floor 0, exactly the points when the set is right);
- short_answer: `map_response` (every accepted answer maps to the points);
- numeric: explicit `equal` (toleranceMode absolute/exact) or `gte`/`lte` for a range;
- fill_in_blanks: explicit; each blank whose answer is accepted earns points/#blanks, exactly
  the points when every blank is;
- essay: no response processing (scored by a person); text: no response at all.
When a question carries conditional feedback (correct/incorrect, per choice, true/false) the
template is written out as explicit rules followed by the feedback rules, since a template
cannot set feedback outcomes. The explanation is shown whatever the answer: its modal feedback
listens to FEEDBACKMODAL, whose default value is EXPLANATION, so it works under templates too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from packager.model import Bank, Question
from packager.model import questions as m
from packager.model.types import typed_forms
from packager.writers.qti_common import (
    CORRECT,
    EXPLANATION,
    FEEDBACK,
    FEEDBACKMODAL,
    INCORRECT,
    MAXSCORE,
    PASS,
    RESPONSE,
    SCORE,
    blank_response,
    choice_identifier,
    feedback_identifier,
    fmt_number,
    order_identifier,
    source_identifier,
    target_identifier,
)
from packager.writers.qti_rules import (
    Node,
    base_value,
    blank_rules,
    exact_rules,
    feedback_rules,
    map_rules,
    match_rules,
    node,
    number,
    pair_rules,
    partial_rules,
    range_rules,
    variable,
)

TRUE_FALSE_LABELS = (("true", "True"), ("false", "False"))


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
            for text in typed_forms(a.text):
                entries.setdefault(text, MapEntry(text, points, a.case_sensitive))
        mapping = Mapping(tuple(entries.values()))
        # The key's NFC form, as keyboards type it: Canvas takes a text entry's answers from
        # correctResponse alone (its QTI 2 import), and compares code points.
        key = typed_forms(q.answers[0].text)[-1]
        return [ResponseDecl(RESPONSE, "single", "string", (key,), mapping)], "map"
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
        kind = "pairs" if len(pairs) > 1 else "match"
        return [ResponseDecl(RESPONSE, "multiple", "directedPair", pairs)], kind
    if isinstance(q, m.Ordering):
        order = tuple(order_identifier(item) for item in q.items)
        return [ResponseDecl(RESPONSE, "ordered", "identifier", order)], "match"
    if isinstance(q, m.FillInBlanks):
        decls = []
        for blank_id in q.blank_order():
            answers = [form for a in q.blanks[blank_id] for form in typed_forms(a)]
            entries_b = tuple(
                MapEntry(a, 1.0, q.case_sensitive) for a in dict.fromkeys(answers)
            )
            decls.append(
                ResponseDecl(
                    blank_response(blank_id), "single", "string",
                    (typed_forms(q.blanks[blank_id][0])[-1],),  # NFC, as a short answer's
                    Mapping(entries_b),
                )
            )
        return decls, "blanks"
    raise AssertionError(f"no plan for {q.type}")  # pragma: no cover


def _score_rules(
    q: Question, kind: str, points: float, responses: list[ResponseDecl]
) -> tuple[Node, ...]:
    """The scoring rules of a question. Their builders (qti_rules) are cached on small keys, so
    the same rules are the same objects (the writers cache their XML per rules tuple)."""
    if kind == "match":
        return match_rules(points)
    if kind == "map":
        return map_rules()
    if kind == "numeric":
        assert isinstance(q, m.Numeric)
        answer = q.answer
        if isinstance(answer, m.ExactAnswer):
            return exact_rules(answer.value, answer.tolerance, points)
        return range_rules(answer.min, answer.max, points)
    if kind == "partial":
        assert isinstance(q, m.MultipleResponse)
        picks = tuple((choice_identifier(c.id), c.correct) for c in q.choices)
        return partial_rules(picks, points)
    if kind == "pairs":
        return pair_rules(responses[0].correct, points)
    if kind == "blanks":
        return blank_rules(tuple(r.identifier for r in responses), points)
    raise AssertionError(kind)  # pragma: no cover


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
    rules = feedback_rules(
        tuple(ident for ident, _ in per_choice), multiple, correct, incorrect, points
    )
    return rules, feedback


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


