"""The processing rules of the QTI 2.1 and 3.0 writers, as a small expression tree.

Rules are an expression tree (`Node`) named in QTI 2.1 vocabulary; the QTI 3 writer renders
the same tree with `qti-` kebab-case names. Here the tree, and the scoring and feedback rules
the plan (qti_plan.py) gives a question, each built once per small key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from packager.writers.numeric_ranges import bounds, decimal_text
from packager.writers.qti_common import (
    CORRECT,
    FEEDBACK,
    INCORRECT,
    RESPONSE,
    SCORE,
    feedback_identifier,
    fmt_number,
)

if TYPE_CHECKING:
    from collections.abc import Sequence


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


def _set_score(value: float) -> Node:
    return set_outcome(SCORE, number(value))


@lru_cache(maxsize=1024)
def match_rules(points: float) -> tuple[Node, ...]:
    test = node("match", variable(RESPONSE), node("correct", identifier=RESPONSE))
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=1)
def map_rules() -> tuple[Node, ...]:
    return (
        condition(
            (node("isNull", variable(RESPONSE)), [_set_score(0)]),
            (None, [set_outcome(SCORE, node("mapResponse", identifier=RESPONSE))]),
        ),
    )


@lru_cache(maxsize=4096)
def exact_rules(value: float, tolerance: float, points: float) -> tuple[Node, ...]:
    if not tolerance:
        test = node("equal", variable(RESPONSE), number(value), toleranceMode="exact")
        return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)
    # An engine computes value ± tolerance in binary floating point, which can leave a bound
    # out (0.06 + 0.01 is 0.06999999999999999, so 0.07 would score 0): the bounds computed on
    # the decimal forms are accepted too, as the QTI 1.2 writer gives them to Canvas.
    low, high = bounds(value, tolerance)
    test = node(
        "or",
        node("equal", variable(RESPONSE), number(value), toleranceMode="absolute",
             tolerance=fmt_number(tolerance)),
        node("and", node("gte", variable(RESPONSE), base_value("float", decimal_text(low))),
             node("lte", variable(RESPONSE), base_value("float", decimal_text(high)))),
    )
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=4096)
def range_rules(low: float, high: float, points: float) -> tuple[Node, ...]:
    test = node(
        "and",
        node("gte", variable(RESPONSE), number(low)),
        node("lte", variable(RESPONSE), number(high)),
    )
    return (condition((test, [_set_score(points)]), (None, [_set_score(0)])),)


@lru_cache(maxsize=4096)
def partial_rules(picks: tuple[tuple[str, bool], ...], points: float) -> tuple[Node, ...]:
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
def blank_rules(responses: tuple[str, ...], points: float) -> tuple[Node, ...]:
    """Each blank that holds an accepted answer (mapped to 1) earns its share of the points,
    as in the quiz player, QTI 1.2 and Moodle; every blank right scores exactly the points."""
    tests = tuple(
        node(
            "and",
            node("not", node("isNull", variable(ident))),
            node("gte", node("mapResponse", identifier=ident), number(1)),
        )
        for ident in responses
    )
    if len(tests) == 1:
        return (condition((tests[0], [_set_score(points)]), (None, [_set_score(0)])),)
    return (condition(*_shares(node("and", *tests), tests, points)),)


@lru_cache(maxsize=4096)
def pair_rules(pairs: tuple[str, ...], points: float) -> tuple[Node, ...]:
    """Each directed pair matched right earns its share of the points, as in the quiz player,
    QTI 1.2 and Moodle; the whole key scores exactly the points."""
    exact = node("match", variable(RESPONSE), node("correct", identifier=RESPONSE))
    tests = tuple(
        node("member", base_value("directedPair", pair), variable(RESPONSE)) for pair in pairs
    )
    return (
        condition((node("isNull", variable(RESPONSE)), [_set_score(0)]),
                  *_shares(exact, tests, points)),
    )


def _shares(
    exact: Node, tests: tuple[Node, ...], points: float
) -> list[tuple[Node | None, list[Node]]]:
    """Branches: the points when `exact` holds (no rounding drift from a sum), else the sum of
    the shares of the tests that hold."""
    share = number(points / len(tests))
    adds = [condition((test, [set_outcome(SCORE, node("sum", variable(SCORE), share))]))
            for test in tests]
    return [(exact, [_set_score(points)]), (None, [_set_score(0), *adds])]


@lru_cache(maxsize=4096)
def feedback_rules(
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


