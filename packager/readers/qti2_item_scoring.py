"""What a QTI 2.1 / 3.0 item's response processing scores (`ItemScoring`, the scoring part
of an item's reading): its points, and notes on the scoring a question cannot keep.

Points: Canvas's `points_possible` (`instructureMetadata`), else MAXSCORE's default, else
SCORE's normalMaximum, else, when rules add to SCORE (`sum(SCORE, …)`), the largest total
they can reach (noted when a rule adds something unknown), else the largest mapped or set
score, else the bank default. A score the processing caps at 100, as Canvas's conversion
from QTI 1.2 does, is a percentage: it gives no points (noted). Points a wrong answer
still scores (a floor) are noted: a question gives it 0.
Scores per pair or blank other than a bank's equal shares, and a whole response scored all
or nothing, are noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Literal

from lxml import etree

from packager.model.types import MAX_POINTS
from packager.readers.imported import (
    equal_shares,
    first_named,
    part_credit_gained,
    shares_changed,
)
from packager.readers.qti2_declarations import Declaration, number
from packager.readers.qti2_dialect import Dialect
from packager.readers.qti2_item_reading import ItemReading, elements

_BRANCHES = frozenset({"responseIf", "responseElseIf", "responseElse"})


# The operators a number passes through and stays a part of the value: a comparison
# (`match`, `gte` …) makes it true or false, which scores nothing on its own.
_ARITHMETIC = frozenset({"sum", "product", "subtract", "divide", "integerDivide",
                         "integerModulus", "power", "min", "max", "round", "roundTo",
                         "truncate", "integerToFloat", "mathOperator"})


def _terms(d: Dialect, assign: etree._Element) -> Iterator[etree._Element]:
    """The `mapResponse` and `variable` terms of what the setOutcomeValue `assign` sets:
    those only arithmetic stands above."""
    stack = elements(assign)
    while stack:
        expression = stack.pop()
        name = d.name(expression)
        if name in _ARITHMETIC:
            stack.extend(elements(expression))
        elif name in ("mapResponse", "variable"):
            yield expression


class ItemScoring(ItemReading):
    """The scoring of an item's reading: its points, and what its processing scores."""

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

    def note_pair_scoring(self, decl: Declaration, unit: str) -> None:
        """Note a scoring of pairs (or gaps) other than a bank's matching or fill-in-the-blanks
        question's equal share per right one: a mapping or per-pair rules giving shares of
        other sizes, penalties or a cap; or the whole response scored all or nothing."""
        keys = [" ".join(key.split()) for key in decl.accepted()]
        if len(keys) < 2:
            return
        where = decl.mapping_element if decl.mapping_element is not None else self.processing
        if self.scored_by_mapping(decl):
            if not self._mapping_in_shares(decl, keys):
                self.note(where, "changed", shares_changed(
                    "the response processing", unit, self.mapping_terms(decl, "pair"),
                    self.points()))
            return
        shares = self._pair_shares(decl.identifier)
        if shares:
            values = [shares.get(key, 0.0) for key in keys]
            if not equal_shares(values, len(keys)):
                terms = first_named([f"{key!r} {value:g}" for key, value in zip(
                    keys, values, strict=True)])
                self.note(where, "changed", shares_changed(
                    "the response processing", unit, ", ".join(terms), self.points()))
        elif self._matched_whole(decl.identifier):
            self.note(where, "changed", part_credit_gained(
                "the response processing", unit, self.points()))

    def _mapping_in_shares(self, decl: Declaration, keys: list[str]) -> bool:
        """Whether the mapping gives each correct key the same share and nothing else: no
        penalty, no other key or default worth anything, no cap below the whole."""
        values = {" ".join(key.split()): value for key, value, _ in decl.mapping}
        shares = [values.get(key, 0.0) for key in keys]
        others = [value for key, value in values.items() if key not in keys]
        return (equal_shares(shares, len(keys)) and decl.default_value == 0
                and all(value == 0 for value in others)
                and (decl.upper_bound is None or decl.upper_bound >= sum(shares) * 0.9995))

    def _pair_shares(self, response: str) -> dict[str, float]:
        """What each pair adds to SCORE by a rule of its own: a `sum(SCORE, …)` under a
        condition that is the pair's `member` test on `response` (packager writes them so)."""
        d = self.d
        shares: dict[str, float] = {}
        for assign in self._score_assignments():
            branch = assign.getparent()
            if branch is None or d.name(branch) not in ("responseIf", "responseElseIf"):
                continue
            test = elements(branch)[0]
            parts = elements(test)
            if (d.name(test) != "member" or len(parts) != 2 or d.name(parts[0]) != "baseValue"
                    or d.name(parts[1]) != "variable"
                    or d.get(parts[1], "identifier") != response
                    or not self._adds_to_score(assign)):
                continue
            expression = elements(assign)
            added = self._expression_bound(expression[0], 0.0) if expression else None
            if added is not None and added > 0:
                key = " ".join(d.text(parts[0]).split())
                shares[key] = max(shares.get(key, 0.0), added)
        return shares

    def _matched_whole(self, response: str) -> bool:
        """Whether the processing scores `response` whole: the match_correct template, or a
        `match` of it (against its correct response) or of its mapped total (against a
        number: Kennisnet's `match(mapResponse, 3)`)."""
        if self.template.startswith("match_correct"):
            return True
        d = self.d
        return any(d.name(e) in ("variable", "correct", "mapResponse")
                   and d.get(e, "identifier") == response
                   for match in d.descendants(self.processing, "match") for e in elements(match))

    def note_scored_per_blank(self, responses: list[str]) -> None:
        """Note a scoring of blanks (`responses`) other than a bank's equal share per right
        one: parts of other sizes, some blanks scoring nothing of their own, or none (the
        whole question all or nothing)."""
        if len(responses) < 2:
            return
        parts = self._blank_parts(responses)
        if not parts:
            if self._score_assignments() or self.template:
                self.note(self.processing, "changed", part_credit_gained(
                    "the response processing", "blank", self.points()))
            return
        values = [parts.get(r) for r in responses]
        known = [v for v in values if v is not None]
        if len(known) == len(values) and equal_shares(known, len(responses)):
            return
        terms = first_named([f"{r!r} nothing of its own" if r not in parts else repr(r)
                             if parts[r] is None else f"{r!r} {parts[r]:g}" for r in responses])
        self.note(self.processing, "changed", shares_changed(
            "the response processing", "blank", ", ".join(terms), self.points()))

    def _blank_parts(self, responses: list[str]) -> dict[str, float | None]:
        """The responses among `responses` that add a part of SCORE of their own, with the
        most each adds (None: not known): a `mapResponse` of one in what SCORE is set to, or
        a rule adding to SCORE under conditions on that one response only (ONYX and Citolab
        add a part per response, as packager does under the else of its whole-key test). A
        rule testing every blank at once adds no part of one blank."""
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
                if d.name(branch) == "responseElse" and len(known[branch]) > 1:
                    # Else to a test of the whole key (packager's: all right → the points):
                    # what it adds for one blank is still that blank's part.
                    continue
                tested |= known[branch]
            if len(tested) != 1:
                continue
            (ident,) = tested
            expression = elements(assign)
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
        rules = elements(self.processing)
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

    def note_part_scores(self) -> None:
        """Note responses other than the key that a rule scores part of the points (IMS's
        `order_partial_scoring`: the key 2, another order 1): a question scores its key whole
        and any other response 0. Rules adding to SCORE (parts per response) and a
        responseElse (a floor, noted on its own) are not these."""
        d = self.d
        points = self.points()
        if points is None:
            points = 1.0
        for assign in self._score_assignments():
            branch = assign.getparent()
            if (branch is None or d.name(branch) not in ("responseIf", "responseElseIf")
                    or self._adds_to_score(assign)):
                continue
            expression = elements(assign)
            value = (number(d.text(expression[0])) if len(expression) == 1
                     and d.name(expression[0]) == "baseValue" else None)
            if value is None or not 0 < value < points * 0.9995:
                continue
            test = elements(branch)[0]
            if any(d.name(e) == "correct" for e in test.iter() if isinstance(e.tag, str)):
                continue  # the key itself (scored below the points by another rule)
            tested = sorted(d.text(e) for e in test.iter()
                            if isinstance(e.tag, str) and d.name(e) == "baseValue")
            if tested and any(tested == sorted(decl.correct) for decl in self.decls.values()):
                continue  # the key by its value (as Canvas's conversions test it)
            self.note(branch, "changed", "part of the points is lost: the response processing "
                      f"gives a response other than the key {value:g} of {points:g} points, "
                      "and the question gives it 0")

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
            branches = elements(rule)
            if len(branches) != 1 or d.name(branches[0]) != "responseIf":
                continue
            parts = elements(branches[0])
            if len(parts) != 2 or d.name(parts[0]) != "gt" or not self._is_100(parts[1], "set"):
                continue
            compared = elements(parts[0])
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
            inner = elements(element)
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
            best = self._score_bound(elements(self.processing), self._score_default())
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
                expression = elements(rule)
                found = (self._expression_bound(expression[0], score, most) if expression
                         else None)
                if found is None:
                    return None
                score = found
            elif name == "lookupOutcomeValue" and d.get(rule, "identifier") == "SCORE":
                return None
            elif name == "responseProcessingFragment":
                found = self._score_bound(elements(rule), score, most)
                if found is None:
                    return None
                score = found
            elif name == "responseCondition":
                branches = [b for b in elements(rule) if d.name(b) in _BRANCHES]
                ends = [] if any(d.name(b) == "responseElse" for b in branches) else [score]
                for branch in branches:
                    # responseIf and responseElseIf start with their condition.
                    body = elements(branch)[0 if d.name(branch) == "responseElse" else 1:]
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
            parts = [self._expression_bound(e, score, most) for e in elements(expression)]
            return None if None in parts else sum(p for p in parts if p is not None)
        if name == "mapResponse" and most:  # the least a mapping gives is not worked out
            decl = self.decls.get(d.get(expression, "identifier") or "")
            return decl.mapped_maximum() if decl is not None else None
        return None
