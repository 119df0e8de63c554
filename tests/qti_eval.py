"""A small QTI response-processing evaluator, for tests: QTI 2.1 and QTI 3.0 items and tests.

No QTI engine installs from PyPI or npm that runs offline without a browser (the npm ones,
@citolab/qti-components and TAO's runners, are web components), so this implements exactly
what packager emits, following the QTI 2.1 / 3.0 information model:
- the standard templates match_correct and map_response (recognised by URI);
- rules: responseCondition / responseIf / responseElseIf / responseElse, setOutcomeValue,
  outcomeCondition (tests);
- expressions: variable, correct, baseValue, isNull, match, member, multiple, sum, product,
  and, or, not, lt, lte, gt, gte, equal (toleranceMode exact/absolute), mapResponse,
  testVariables.
QTI 3 names are read back into QTI 2.1 names (qti-response-if → responseIf,
base-type → baseType), so one evaluator serves both versions. Anything else raises, so an
element the writers start emitting cannot be silently ignored here.

NULL is None; a multiple/ordered container is a list; a directedPair is a tuple.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

Value = Any


class Ordered(list):  # type: ignore[type-arg]
    """An ordered container (cardinality ordered): compared element by element."""


def local(element: etree._Element) -> str:
    """The QTI 2.1 name of an element of either version."""
    name = etree.QName(element).localname
    if name.startswith("qti-"):
        parts = name[4:].split("-")
        name = parts[0] + "".join(p.capitalize() for p in parts[1:])
    return name


def attr(element: etree._Element, name: str, default: str | None = None) -> str | None:
    """An attribute by its QTI 2.1 name (camelCase), looked up in either spelling."""
    value = element.get(name)
    if value is None:
        value = element.get(re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower())
    return default if value is None else value


def children(element: etree._Element) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str)]


def convert(base_type: str, text: str) -> Value:
    text = text.strip()
    if base_type == "float":
        return float(text)
    if base_type == "integer":
        return int(text)
    if base_type == "boolean":
        return text == "true"
    if base_type in ("pair", "directedPair"):
        first, second = text.split()
        return (first, second)
    return text


@dataclass
class Declaration:
    identifier: str
    cardinality: str
    base_type: str | None
    default: Value = None
    correct: Value = None
    mapping: dict[str, Any] | None = None


def _values(element: etree._Element | None, base_type: str | None, cardinality: str) -> Value:
    if element is None:
        return None
    values = [convert(base_type or "string", v.text or "") for v in children(element)]
    if cardinality == "single":
        return values[0] if values else None
    return Ordered(values) if cardinality == "ordered" else values


def declaration(element: etree._Element) -> Declaration:
    base_type = attr(element, "baseType")
    cardinality = attr(element, "cardinality") or "single"
    decl = Declaration(str(attr(element, "identifier")), cardinality, base_type)
    for child in children(element):
        kind = local(child)
        if kind == "defaultValue":
            decl.default = _values(child, base_type, cardinality)
        elif kind == "correctResponse":
            decl.correct = _values(child, base_type, cardinality)
        elif kind == "mapping":
            decl.mapping = {
                "default": float(attr(child, "defaultValue", "0") or 0),
                "lower": _float_or_none(attr(child, "lowerBound")),
                "upper": _float_or_none(attr(child, "upperBound")),
                "entries": [
                    (
                        convert(base_type or "string", str(attr(e, "mapKey"))),
                        float(str(attr(e, "mappedValue"))),
                        attr(e, "caseSensitive", "true") == "true",
                    )
                    for e in children(child)
                ],
            }
    return decl


def _float_or_none(text: str | None) -> float | None:
    return None if text is None else float(text)


@dataclass
class Result:
    outcomes: dict[str, Value]
    feedback: list[str] = field(default_factory=list)  # identifiers of modal feedback shown

    @property
    def score(self) -> Value:
        return self.outcomes.get("SCORE")


class Item:
    """An assessmentItem / qti-assessment-item, ready to run response processing."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.responses: dict[str, Declaration] = {}
        self.outcomes: dict[str, Declaration] = {}
        self.processing: etree._Element | None = None
        self.modal: list[tuple[str, str, str]] = []
        for child in children(root):
            kind = local(child)
            if kind == "responseDeclaration":
                d = declaration(child)
                self.responses[d.identifier] = d
            elif kind == "outcomeDeclaration":
                d = declaration(child)
                self.outcomes[d.identifier] = d
            elif kind == "responseProcessing":
                self.processing = child
            elif kind == "modalFeedback":
                self.modal.append(
                    (str(attr(child, "outcomeIdentifier")), str(attr(child, "identifier")),
                     str(attr(child, "showHide")))
                )

    @property
    def template(self) -> str | None:
        if self.processing is None:
            return None
        return attr(self.processing, "template")

    def correct_responses(self) -> dict[str, Value]:
        return {k: d.correct for k, d in self.responses.items()}

    def run(self, responses: dict[str, Value]) -> Result:
        state = _State(self, dict(responses))
        for ident, decl in self.responses.items():
            value = state.variables.setdefault(ident, None)
            if decl.cardinality == "ordered" and value is not None:
                state.variables[ident] = Ordered(value)
        for ident, d in self.outcomes.items():
            state.variables[ident] = d.default
        if self.processing is not None:
            template = self.template
            rules = children(self.processing)
            if template and not rules:
                _run_template(state, template)
            else:
                for rule in rules:
                    state.rule(rule)
        outcomes = {k: state.variables[k] for k in self.outcomes}
        shown = []
        for outcome, identifier, show_hide in self.modal:
            value = outcomes.get(outcome)
            held = identifier in value if isinstance(value, list) else value == identifier
            if held == (show_hide == "show"):
                shown.append(identifier)
        return Result(outcomes, shown)


def _run_template(state: _State, template: str) -> None:
    name = template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xml")
    response = state.variables.get("RESPONSE")
    if name == "match_correct":
        matched = _match(response, state.item.responses["RESPONSE"].correct)
        state.variables["SCORE"] = 1.0 if matched is True else 0.0
    elif name == "map_response":
        state.variables["SCORE"] = (
            0.0 if _is_null(response) else state.map_response("RESPONSE")
        )
    else:
        raise NotImplementedError(f"template {template}")


def _is_null(value: Value) -> bool:
    return value is None or value == "" or (isinstance(value, list) and not value)


def _match(a: Value, b: Value) -> bool | None:
    if _is_null(a) or _is_null(b):
        return None
    if isinstance(a, Ordered) or isinstance(b, Ordered):
        return list(a) == list(b)
    if isinstance(a, list) and isinstance(b, list):
        return Counter(a) == Counter(b)
    return bool(a == b)


class _State:
    def __init__(self, item: Item | None, variables: dict[str, Value]) -> None:
        self.item = item
        self.variables = variables
        self.test_items: dict[str, dict[str, Value]] = {}

    # rules
    def rule(self, element: etree._Element) -> None:
        kind = local(element)
        if kind == "setOutcomeValue":
            (expr,) = children(element)
            self.variables[str(attr(element, "identifier"))] = self.eval(expr)
        elif kind in ("responseCondition", "outcomeCondition"):
            for branch in children(element):
                branch_kind = local(branch)
                parts = children(branch)
                if branch_kind in ("responseElse", "outcomeElse"):
                    for rule in parts:
                        self.rule(rule)
                    return
                if self.eval(parts[0]) is True:
                    for rule in parts[1:]:
                        self.rule(rule)
                    return
        else:
            raise NotImplementedError(f"rule {kind}")

    # expressions
    def eval(self, element: etree._Element) -> Value:
        kind = local(element)
        args = children(element)
        if kind == "variable":
            return self.variables.get(str(attr(element, "identifier")))
        if kind == "correct":
            assert self.item is not None
            return self.item.responses[str(attr(element, "identifier"))].correct
        if kind == "baseValue":
            return convert(str(attr(element, "baseType")), element.text or "")
        if kind == "isNull":
            return _is_null(self.eval(args[0]))
        if kind == "match":
            return _match(self.eval(args[0]), self.eval(args[1]))
        if kind == "member":
            value, container = self.eval(args[0]), self.eval(args[1])
            if _is_null(value) or _is_null(container):
                return None
            return value in container
        if kind == "multiple":
            result: list[Value] = []
            for arg in args:
                value = self.eval(arg)
                if _is_null(value):
                    continue
                result.extend(value if isinstance(value, list) else [value])
            return result or None
        if kind in ("sum", "product"):
            numbers: list[float] = []
            for arg in args:
                value = self.eval(arg)
                if value is None:
                    return None
                numbers.extend(value if isinstance(value, list) else [value])
            if kind == "sum":
                return float(sum(numbers))
            product = 1.0
            for n in numbers:
                product *= n
            return product
        if kind in ("and", "or"):
            values = [self.eval(arg) for arg in args]
            if kind == "and":
                if any(v is False for v in values):
                    return False
                return None if any(v is None for v in values) else True
            if any(v is True for v in values):
                return True
            return None if any(v is None for v in values) else False
        if kind == "not":
            value = self.eval(args[0])
            return None if value is None else not value
        if kind in ("lt", "lte", "gt", "gte"):
            a, b = self.eval(args[0]), self.eval(args[1])
            if a is None or b is None:
                return None
            return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[kind]
        if kind == "equal":
            a, b = self.eval(args[0]), self.eval(args[1])
            if a is None or b is None:
                return None
            mode = attr(element, "toleranceMode", "exact")
            if mode == "exact":
                return a == b
            if mode != "absolute":
                raise NotImplementedError(f"toleranceMode {mode}")
            tolerances = [float(t) for t in str(attr(element, "tolerance")).split()]
            low, high = tolerances[0], tolerances[-1]
            lower_ok = a >= b - low if attr(element, "includeLowerBound", "true") == "true" \
                else a > b - low
            upper_ok = a <= b + high if attr(element, "includeUpperBound", "true") == "true" \
                else a < b + high
            return lower_ok and upper_ok
        if kind == "mapResponse":
            return self.map_response(str(attr(element, "identifier")))
        if kind == "testVariables":
            name = str(attr(element, "variableIdentifier"))
            return [o[name] for o in self.test_items.values() if o.get(name) is not None]
        raise NotImplementedError(f"expression {kind}")

    def map_response(self, identifier: str) -> float:
        assert self.item is not None
        decl = self.item.responses[identifier]
        assert decl.mapping is not None, f"{identifier} has no mapping"
        mapping = decl.mapping
        value = self.variables.get(identifier)
        if _is_null(value):
            return float(mapping["default"])
        values = list(dict.fromkeys(value)) if isinstance(value, list) else [value]
        total = 0.0
        for v in values:
            for key, mapped, case_sensitive in mapping["entries"]:
                same = (
                    str(key).casefold() == str(v).casefold()
                    if not case_sensitive and isinstance(v, str)
                    else key == v
                )
                if same:
                    total += mapped
                    break
            else:
                total += mapping["default"]
        if mapping["lower"] is not None:
            total = max(total, mapping["lower"])
        if mapping["upper"] is not None:
            total = min(total, mapping["upper"])
        return total


def run_test(root: etree._Element, item_outcomes: dict[str, dict[str, Value]]) -> dict[str, Value]:
    """Outcome processing of an assessmentTest, given each item's outcomes by item ref id."""
    state = _State(None, {})
    state.test_items = item_outcomes
    declared = []
    for child in children(root):
        kind = local(child)
        if kind == "outcomeDeclaration":
            d = declaration(child)
            state.variables[d.identifier] = d.default
            declared.append(d.identifier)
        elif kind == "outcomeProcessing":
            for rule in children(child):
                state.rule(rule)
    return {k: state.variables[k] for k in declared}


# ---------------------------------------------------------------- item body helpers


def choice_identifiers(root: etree._Element) -> list[str]:
    """Identifiers of the simpleChoice / qti-simple-choice elements of an item."""
    return [str(attr(e, "identifier")) for e in root.iter() if isinstance(e.tag, str)
            and local(e) == "simpleChoice"]


def match_sets(root: etree._Element) -> tuple[list[str], list[str]]:
    sets = [e for e in root.iter() if isinstance(e.tag, str) and local(e) == "simpleMatchSet"]
    sources, targets = ([str(attr(c, "identifier")) for c in children(s)] for s in sets)
    return sources, targets


def wrong_responses(item: Item) -> dict[str, Value]:
    """A response to every variable that earns no credit under the canonical rules."""
    wrong: dict[str, Value] = {}
    for ident, decl in item.responses.items():
        correct = decl.correct
        if decl.base_type == "identifier" and decl.cardinality == "single":
            wrong[ident] = next(c for c in choice_identifiers(item.root) if c != correct)
        elif decl.base_type == "identifier" and decl.cardinality == "multiple":
            wrong[ident] = [c for c in choice_identifiers(item.root) if c not in correct] or None
        elif decl.cardinality == "ordered":
            wrong[ident] = list(reversed(correct))
        elif decl.base_type == "directedPair":
            sources, targets = match_sets(item.root)
            key = dict(correct)
            pairs = []
            for i, source in enumerate(sources):
                others = [t for t in targets if t != key[source]]
                if others:
                    pairs.append((source, others[i % len(others)]))
            wrong[ident] = pairs or None
        elif decl.base_type == "float":
            # Beyond every accepted answer: a bank's numbers, tolerances and so a range's
            # half width are at most 1e15.
            wrong[ident] = float(correct) + 4e15
        else:
            wrong[ident] = "zzz-not-an-answer"
    return wrong


# ---------------------------------------------------------------- harness for the package tests


def package_parts(target: str, loaded: Any, xsd_dir: Any = None) -> dict[str, bytes]:
    """Build one QTI target for a loaded bank (as the pipeline would) → package path: bytes."""
    from packager.checks import bank_media
    from packager.context import DEFAULT_EPOCH, BuildContext
    from packager.formats import TARGETS
    from packager.packages.base import Job

    module = TARGETS[target].load()
    ctx = BuildContext(epoch=DEFAULT_EPOCH, xsd_dir=xsd_dir)
    output = module.build(Job(loaded.bank, bank_media(loaded.bank, loaded.base_dir), ctx))
    return {path: part.data for path, part in output.parts.items()}


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def items_by_question(parts: dict[str, bytes]) -> dict[str, Item]:
    """The items of a package, keyed by question id (items/<question-id>.xml)."""
    return {
        path.removeprefix("items/").removesuffix(".xml"): Item(parse(data))
        for path, data in parts.items()
        if path.startswith("items/")
    }
