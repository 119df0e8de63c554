"""The QTI documents both QTI writers build the same way, in either vocabulary (a `Dialect`).

The builders here take the dialect (qti_dialect) and are named after the spec's elements in
their QTI 2.1 spelling (like the rules in qti_common's plan); they are written once and serve
both writers: the item and test documents, the item skeleton and its declarations, the
interaction of a question (built in qti_interactions), response and outcome processing,
modal feedback, and the test with its parts and sections. What one version does differently
stays in its module (writers/qti21.py, writers/qti30.py): where the prompt and a stimulus go,
where the bank description goes in the test, QTI 3's stimulus documents and external scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from functools import lru_cache, partial
from operator import is_
from typing import NamedTuple

from lxml import etree

from packager.model import Bank, DeliverySection, Question
from packager.model import questions as m
from packager.writers import qti_common as c
from packager.writers.qti_dialect import (
    XML_LANG,
    Block,
    Dialect,
    block,
    el,
    rich,
    root,
    xhtml,
)
from packager.writers.qti_interactions import (
    ChoiceShape,
    choice_interaction,
    choice_shape,
    choice_shuffle,
    expected_length,
    extended_text_interaction,
    fill_choice_interaction,
    match_interaction,
    order_interaction,
    rubric_block,
    scorer_rubric,
    text_entry_interaction,
)
from packager.writers.qti_plan import (
    ItemPlan,
    Mapping,
    OutcomeDecl,
    ResponseDecl,
    plan_item,
    test_outcome_rules,
)
from packager.writers.qti_richtext import media_of, question_texts, replace_blanks
from packager.writers.qti_rules import Node

# ---------------------------------------------------------------- documents


def item_document(
    d: Dialect, bank: Bank, q: Question,
    build: Callable[[Bank, Question, ItemPlan, str, Workbench | None], etree._Element],
    bench: Workbench | None = None,
) -> c.Document:
    """The document of one question; `build` makes its assessmentItem (on `bench`, if any:
    see Workbench)."""
    href = c.item_href(q)
    plan = plan_item(bank, q)
    shared = d.stimulus_documents
    texts = question_texts(bank, q, with_stimulus=not shared)
    depends = (c.stimulus_href(bank.stimulus_by_id[q.stimulus]),) if shared and q.stimulus else ()
    return c.Document(
        href=href,
        build=partial(build, bank, q, plan, href, bench),
        schema=d.schema,
        kind="item",
        identifier=c.item_identifier(bank, q),
        title=c.item_title(q),
        media=tuple(media_of(texts)),
        depends=depends,
        interaction=plan.interaction,
        keywords=tuple(q.tags),
        feedback=bool(plan.feedback),
        reused=bench is not None,
    )


def test_document(
    d: Dialect, bank: Bank, build: Callable[[Bank, str], etree._Element]
) -> c.Document:
    """The document of the test; `build` makes its assessmentTest."""
    href = c.test_href(bank)
    return c.Document(
        href=href,
        build=partial(build, bank, href),
        schema=d.schema,
        kind="test",
        identifier=c.test_identifier(bank),
        title=bank.title,
        media=tuple(media_of([bank.description])),
        depends=tuple(c.item_href(q) for q in bank.questions),
    )


# ---------------------------------------------------------------- items
#
# An item is a copy of the skeleton every question of its shape shares (declarations, the
# blocks at the top of the body, a choice interaction, the response processing template,
# modal feedback), with the question's own values filled in: lxml copies a subtree in C
# several times faster than Python builds it one element at a time. A package goes further
# (Workbench): it copies each skeleton once and fills that copy again for every question of
# its shape. Rich text that is one plain paragraph (the common case) is the text of a
# placeholder paragraph of the skeleton; other rich text replaces the placeholder.

# A writer's outcomeDeclaration builder (QTI 3 adds external-scored to the shared one).
DeclareOutcome = Callable[[etree._Element, OutcomeDecl], etree._Element]
# A response declaration as the item skeleton has it: identifier, cardinality, base type and
# how many correct values (their text, and the mapping, vary by question: filled in later).
ResponseShape = tuple[str, str, str, int]


class ItemShell(NamedTuple):  # a tuple: made for every item
    """A question's assessmentItem with all but its interaction filled in."""

    root: etree._Element
    body: etree._Element
    prompt: etree._Element | None  # the prompt block (None: the interaction carries it)
    choice: _Choice | None  # a choice question's choiceInteraction, choices unfilled


class Workbench:
    """Where the items of one package are built: a working copy of each item skeleton, filled
    in place by one question after another (see _ItemCopy), where a fresh copy per question
    costs lxml the copy and the freeing of the whole tree. So an item tree built on a
    workbench holds only until the next item is built on it: the package assembler
    serializes each before it builds the next (packages.base.LazyXml.reused)."""

    MAX_COPIES = 64  # a bank of ever new shapes keeps only the latest

    def __init__(self) -> None:
        self._copies: dict[tuple[object, ...], _ItemCopy] = {}

    def copy_of(self, key: tuple[object, ...], make: Callable[[], _ItemCopy]) -> _ItemCopy:
        copies = self._copies
        found = copies.get(key)
        if found is None:
            if len(copies) >= self.MAX_COPIES:
                del copies[next(iter(copies))]
            found = copies[key] = make()
        else:
            found.clear_extras()
        return found


class _Choice(NamedTuple):
    """A skeleton's choiceInteraction: its prompt, if it carries one, and its simpleChoice."""

    prompt: Block | None
    choices: list[etree._Element]


class _ItemCopy:
    """A copy of an item skeleton with its slots, the elements each question fills, found once.

    The writers add to it what the skeleton does not hold (a stimulus, an interaction other
    than choice, a mapping, explicit response processing); clear_extras takes that out again
    for the next question of a working copy. Blocks and choices replace their own content
    when filled."""

    __slots__ = (
        "body",
        "body_own",
        "body_size",
        "choice",
        "declarations",
        "feedback",
        "own",
        "processing",
        "prompt",
        "root",
        "rules",
        "scenario",
        "size",
    )

    def __init__(
        self, skeleton: etree._Element, responses: int, outcomes: int, content_body: bool,
        feedback: int, scenario: bool, prompt: bool, choice: ChoiceShape | None,
    ) -> None:
        root = copy(skeleton)
        self.root = root
        own = tuple(root)
        self.own = own
        self.size = len(own)
        # Each response declaration with its correctResponse's values (none: no correct
        # response); a mapping, if any, is added after them.
        self.declarations = [
            (decl, list(decl[0]) if len(decl) else []) for decl in own[:responses]
        ]
        body = own[responses + outcomes]
        self.body = body
        self.body_own = tuple(body)
        self.body_size = len(self.body_own)
        blocks = iter(self.body_own)
        self.scenario = Block(next(blocks)) if scenario else None
        self.prompt = Block(next(blocks)) if prompt else None
        self.choice = None
        if choice is not None:
            inner = list(next(blocks))
            carried = Block(inner.pop(0)) if choice[3] else None
            self.choice = _Choice(carried, inner)
        self.feedback = [
            (element, Block(element[0] if content_body else element))
            for element in own[len(own) - feedback:]
        ]
        self.processing: etree._Element | None = None  # explicit rules, after the body
        self.rules: tuple[Node, ...] = ()

    def clear_extras(self) -> None:
        """Take out what the writers added to the last question's item."""
        root = self.root
        if len(root) != self.size + (self.processing is not None):
            for child in list(root):
                if child not in self.own and child is not self.processing:
                    root.remove(child)
        body = self.body
        if len(body) != self.body_size:
            for child in list(body):
                if child not in self.body_own:
                    body.remove(child)
        for declaration, values in self.declarations:
            if len(declaration) > bool(values):  # a mapping
                del declaration[bool(values):]


def item_shell(
    d: Dialect, bank: Bank, q: Question, plan: ItemPlan, href: str, declare: DeclareOutcome,
    *, prompted: bool, bench: Workbench | None = None,
) -> ItemShell:
    """The item of a question, from the skeleton of its shape: identifier and title,
    declarations, response processing, modal feedback, the scenario, and the prompt (as a
    block of the body, unless `prompted`: the interaction carries it). With a `bench`, in its
    working copy of the skeleton; else in a copy of its own."""
    responses = plan.responses
    choice = choice_shape(bank, q, prompted)
    key = (
        d, bank.language,
        tuple((r.identifier, r.cardinality, r.base_type, len(r.correct)) for r in responses),
        plan.outcomes, plan.template, tuple(fb.outcome for fb in plan.feedback),
        declare, bool(q.scenario), not prompted, choice,
    )

    def make() -> _ItemCopy:
        return _ItemCopy(
            _item_skeleton(*key), len(responses), len(plan.outcomes), d.content_body,
            len(plan.feedback), bool(q.scenario), not prompted, choice,
        )

    item = make() if bench is None else bench.copy_of(key, make)
    element = item.root
    element.set("identifier", c.item_identifier(bank, q))
    element.set("title", c.item_title(q))
    for (declaration, values), decl in zip(item.declarations, responses, strict=True):
        for value, text in zip(values, decl.correct, strict=True):
            value.text = text
        if decl.mapping is not None:
            mapping(d, declaration, decl.mapping)
    for (modal, content), fb in zip(item.feedback, plan.feedback, strict=True):
        modal.set("identifier", fb.identifier)
        content.fill(d, fb.markdown, href)
    rules = plan.rules
    # Cached rules are the same objects from one question to the next (the bench's, and any
    # bank's that repeats its choice ids): told apart by identity first, in C.
    if len(rules) != len(item.rules) or not all(map(is_, rules, item.rules)):
        _process(d, item, rules)
    if q.scenario:
        assert item.scenario is not None  # the key says so
        item.scenario.fill(d, q.scenario, href)
    prompt = item.prompt
    if prompt is not None:
        prompt.fill(d, q.prompt, href)
    return ItemShell(element, item.body, None if prompt is None else prompt.container, item.choice)


def _process(d: Dialect, item: _ItemCopy, rules: tuple[Node, ...]) -> None:
    """The item's explicit response processing made that of `rules`: what it holds already
    when it was made of rules alike but for texts and attribute values (the same rules for
    other choice identifiers, say) has those set, else it is replaced."""
    old = item.processing
    if old is not None and len(rules) == len(item.rules) and all(
        _refilled(d, element, was, rule)
        for element, was, rule in zip(old, item.rules, rules, strict=True)
    ):
        item.rules = rules
        return
    if old is not None:
        item.root.remove(old)
        item.processing = None
    if rules:
        item.processing = copy(_processing(d, rules))
        item.body.addnext(item.processing)
    item.rules = rules


def _refilled(d: Dialect, element: etree._Element, was: Node, rule: Node) -> bool:
    """Make `element`, built from the rule `was` (see expression), what `rule` builds, if the
    two differ only in texts and attribute values; False if not (`element` may then be
    half changed: the caller drops it)."""
    if was is rule:
        return True
    if was.name != rule.name or len(was.children) != len(rule.children):
        return False
    if was.attrs != rule.attrs:
        if len(was.attrs) != len(rule.attrs):
            return False
        for (name, value), (new_name, new_value) in zip(was.attrs, rule.attrs, strict=True):
            if name != new_name:
                return False
            if value != new_value:
                element.set(d.attr(name), new_value)
    if was.text != rule.text:
        element.text = rule.text
    return all(
        _refilled(d, child, a, b)
        for child, a, b in zip(element, was.children, rule.children, strict=True)
    )


@lru_cache(maxsize=1024)
def _item_skeleton(
    d: Dialect, language: str, responses: tuple[ResponseShape, ...],
    outcomes: tuple[OutcomeDecl, ...], template: str | None, feedback: tuple[str, ...],
    declare: DeclareOutcome, scenario: bool, prompt: bool, choice: ChoiceShape | None,
) -> etree._Element:
    """The assessmentItem every question of this shape starts from: identifier, title and
    correct values empty; in the body, the scenario and prompt blocks and the choice
    interaction, if any, with placeholders; the template's responseProcessing (explicit rules
    are the question's to add); modal feedback (for these outcomes) with empty identifiers
    and a placeholder."""
    element = assessment_item(d, language)
    for identifier, cardinality, base_type, correct in responses:
        response_declaration(
            d, element, ResponseDecl(identifier, cardinality, base_type, ("",) * correct)
        )
    for out in outcomes:
        declare(element, out)
    body = el(d, element, "itemBody")
    if scenario:
        block(d, body, "scenario")
    if prompt:
        block(d, body, "prompt")
    if choice is not None:
        choice_interaction(d, body, *choice)
    if template is not None:
        el(d, element, "responseProcessing", template=d.templates[template])
    for outcome in feedback:
        xhtml(d, modal_feedback(d, element, outcome, ""), "p")
    return element


def assessment_item(d: Dialect, language: str) -> etree._Element:
    """An empty assessmentItem (identifier and title still empty)."""
    element = root(
        d, "assessmentItem", identifier="", title="", adaptive="false", timeDependent="false"
    )
    element.set(XML_LANG, language)
    return element


def response_declaration(
    d: Dialect, parent: etree._Element, decl: ResponseDecl
) -> etree._Element:
    element = el(
        d, parent, "responseDeclaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.correct:
        correct = el(d, element, "correctResponse")
        for value in decl.correct:
            el(d, correct, "value").text = value
    if decl.mapping is not None:
        mapping(d, element, decl.mapping)
    return element


def mapping(d: Dialect, parent: etree._Element, spec: Mapping) -> etree._Element:
    element = el(d, parent, "mapping", defaultValue=c.fmt_number(spec.default))
    if spec.lower_bound is not None:
        element.set(d.attr("lowerBound"), c.fmt_number(spec.lower_bound))
    if spec.upper_bound is not None:
        element.set(d.attr("upperBound"), c.fmt_number(spec.upper_bound))
    for entry in spec.entries:
        el(
            d, element, "mapEntry", mapKey=entry.key, mappedValue=c.fmt_number(entry.value),
            caseSensitive="true" if entry.case_sensitive else "false",
        )
    return element


def outcome_declaration(
    d: Dialect, parent: etree._Element, decl: OutcomeDecl
) -> etree._Element:
    """An outcomeDeclaration (QTI 3's external-scored is the QTI 3 writer's)."""
    element = el(
        d, parent, "outcomeDeclaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.normal_maximum is not None:
        element.set(d.attr("normalMaximum"), c.fmt_number(decl.normal_maximum))
    if decl.default is not None:
        el(d, el(d, element, "defaultValue"), "value").text = decl.default
    return element


def interaction(
    d: Dialect, bank: Bank, item: ItemShell, q: Question, href: str,
    prompt: etree._Element | str,
) -> None:
    """The interaction of `q` (none for a text item), with what follows it in the item body.

    `prompt` is where the prompt is: the block already holding it (the interaction follows
    it; fill-in-blanks puts its entries inside it), or, for QTI 3's block qti-prompt, the
    Markdown the interaction carries itself."""
    body = item.body
    inner = prompt if isinstance(prompt, str) else None
    if isinstance(q, m.FillInBlanks):
        assert not isinstance(prompt, str)
        replace_blanks(prompt, lambda blank: text_entry_interaction(
            d, c.blank_response(blank), expected_length(q.blanks[blank])))
    elif isinstance(q, m.SingleChoice | m.MultipleResponse | m.TrueFalse):
        assert item.choice is not None  # the skeleton has it (choice_shape)
        fill_choice_interaction(d, item.choice.choices, item.choice.prompt, q,
                                choice_shuffle(bank, q), href, inner)
    elif isinstance(q, m.ShortAnswer):
        line = xhtml(d, body, "p")
        line.append(text_entry_interaction(
            d, c.RESPONSE, expected_length([a.text for a in q.answers])))
    elif isinstance(q, m.Numeric):
        line = xhtml(d, body, "p")
        line.append(text_entry_interaction(d, c.RESPONSE, 10))
        if q.unit:
            line[-1].tail = f" {q.unit}"
    elif isinstance(q, m.Essay):
        extended_text_interaction(d, body, href, inner)
        if q.rubric or q.sample_answer:
            scorer_rubric(d, body, q, href)
    elif isinstance(q, m.Matching):
        match_interaction(d, body, q, href, inner)
    elif isinstance(q, m.Ordering):
        order_interaction(d, body, q, href, inner)


@lru_cache(maxsize=8192)
def _processing(d: Dialect, rules: tuple[Node, ...]) -> etree._Element:
    """A detached responseProcessing for these rules; banks repeat the same rules often, so
    items copy a cached one instead of rebuilding it."""
    processing = etree.Element(d.tag("responseProcessing"), nsmap={None: d.namespace})  # type: ignore[dict-item]
    for rule in rules:
        expression(d, processing, rule)
    return processing


def expression(d: Dialect, parent: etree._Element, spec: Node) -> etree._Element:
    """A processing rule or expression of the shared plan (named in QTI 2.1)."""
    element = el(d, parent, spec.name, **dict(spec.attrs))
    if spec.text is not None:
        element.text = spec.text
    for child in spec.children:
        expression(d, element, child)
    return element


def modal_feedback(
    d: Dialect, parent: etree._Element, outcome: str, identifier: str
) -> etree._Element:
    """A modalFeedback; returns the element its content goes in (QTI 3: its
    qti-content-body)."""
    element = el(
        d, parent, "modalFeedback", outcomeIdentifier=outcome, identifier=identifier,
        showHide="show",
    )
    return el(d, element, "contentBody") if d.content_body else element


# ---------------------------------------------------------------- the test


def assessment_test(d: Dialect, bank: Bank) -> etree._Element:
    """The (still empty) assessmentTest of a bank."""
    return root(d, "assessmentTest", identifier=c.test_identifier(bank), title=bank.title,
                toolName="packager")


def test_part(d: Dialect, parent: etree._Element, bank: Bank) -> etree._Element:
    """One part; feedback timing follows settings.show_feedback."""
    show = bank.settings.show_feedback
    element = el(
        d, parent, "testPart", identifier=c.part_identifier(bank), navigationMode="nonlinear",
        submissionMode="individual" if show == "immediately" else "simultaneous",
    )
    el(d, element, "itemSessionControl", showFeedback="false" if show == "never" else "true",
       allowReview="true", showSolution="false")
    return element


def assessment_section(
    d: Dialect, parent: etree._Element, bank: Bank, section: DeliverySection, href: str,
    rubric: str | None = None,
) -> etree._Element:
    """A section; `rubric` (Markdown) is shown to candidates at its top."""
    element = el(
        d, parent, "assessmentSection", identifier=c.section_identifier(section.id),
        title=section.title, visible="true",
    )
    if section.pick is not None:
        el(d, element, "selection", select=str(section.pick))
    if rubric:
        rich(d, rubric_block(d, element, use="instructions", view="candidate"), rubric, href,
             inline=False)
    for q in section.questions:
        el(d, element, "assessmentItemRef", identifier=c.item_identifier(bank, q),
           href=c.relative_href(href, c.item_href(q)))
    return element


def outcome_processing(d: Dialect, parent: etree._Element, bank: Bank) -> etree._Element:
    element = el(d, parent, "outcomeProcessing")
    for rule in test_outcome_rules(bank):
        expression(d, element, rule)
    return element
