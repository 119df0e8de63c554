"""Bank → IMS QTI 2.1 documents: one assessmentItem per question and one assessmentTest.

Element builders are named after the spec's elements (imsqti_v2p1.xsd) in snake_case. What
the item says (declarations, scoring, feedback) comes from the shared plan in qti_common;
this module only knows QTI 2.1's vocabulary and content model:
- XHTML lives in the QTI namespace; MathML stays MathML.
- `prompt` inside an interaction only takes inline content, so the (block) prompt is written
  before the interaction, after the scenario, all inside the itemBody.
- There is no shared stimulus in QTI 2.1: a bank stimulus is copied at the top of each item.
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache

from lxml import etree

from packager.model import Bank, DeliverySection, Question, delivery_sections
from packager.model import questions as m
from packager.writers import qti_common as c
from packager.xml import ns

NAME = "qti21"
NS = ns.QTI21
SCHEMA = "qti21"
SCHEMA_LOCATION = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
TEMPLATES = {
    "match_correct": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
    "map_response": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response",
}
_XML_LANG = ns.qn(ns.XML, "lang")
_NSMAP: dict[str | None, str] = {None: NS, "xsi": ns.XSI}


def write(bank: Bank) -> list[c.Document]:
    """Every document of the package: the items in bank order, then the test."""
    documents = [item_document(bank, q) for q in bank.questions]
    documents.append(test_document(bank))
    return documents


def _el(parent: etree._Element, name: str, /, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{name}", attrs)


def _root(name: str, **attrs: str) -> etree._Element:
    root = etree.Element(f"{{{NS}}}{name}", nsmap=_NSMAP)  # type: ignore[arg-type]
    root.set(ns.qn(ns.XSI, "schemaLocation"), SCHEMA_LOCATION)
    for key, value in attrs.items():
        root.set(key, value)
    return root


# ---------------------------------------------------------------- items


def item_document(bank: Bank, q: Question) -> c.Document:
    href = c.item_href(q)
    plan = c.plan_item(bank, q)
    texts = list(c.question_texts(bank, q, with_stimulus=True))
    return c.Document(
        href=href,
        root=assessment_item(bank, q, plan, href),
        schema=SCHEMA,
        kind="item",
        identifier=c.item_identifier(bank, q),
        title=c.item_title(q),
        media=tuple(c.media_of(texts)),
        interaction=plan.interaction,
        keywords=tuple(q.tags),
        feedback=bool(plan.feedback),
    )


def assessment_item(bank: Bank, q: Question, plan: c.ItemPlan, href: str) -> etree._Element:
    root = _root(
        "assessmentItem",
        identifier=c.item_identifier(bank, q),
        title=c.item_title(q),
        adaptive="false",
        timeDependent="false",
    )
    root.set(_XML_LANG, bank.language)
    for decl in plan.responses:
        response_declaration(root, decl)
    for out in plan.outcomes:
        outcome_declaration(root, out)
    item_body(root, bank, q, plan, href)
    if plan.template is not None:
        _el(root, "responseProcessing", template=TEMPLATES[plan.template])
    elif plan.rules:
        root.append(copy(_processing(plan.rules)))
    for fb in plan.feedback:
        modal_feedback(root, fb, href)
    return root


def response_declaration(parent: etree._Element, decl: c.ResponseDecl) -> etree._Element:
    element = _el(
        parent, "responseDeclaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.correct:
        correct = _el(element, "correctResponse")
        for value in decl.correct:
            _el(correct, "value").text = value
    if decl.mapping is not None:
        mapping(element, decl.mapping)
    return element


def mapping(parent: etree._Element, spec: c.Mapping) -> etree._Element:
    element = _el(parent, "mapping", defaultValue=c.fmt_number(spec.default))
    if spec.lower_bound is not None:
        element.set("lowerBound", c.fmt_number(spec.lower_bound))
    if spec.upper_bound is not None:
        element.set("upperBound", c.fmt_number(spec.upper_bound))
    for entry in spec.entries:
        _el(
            element, "mapEntry", mapKey=entry.key, mappedValue=c.fmt_number(entry.value),
            caseSensitive="true" if entry.case_sensitive else "false",
        )
    return element


def outcome_declaration(parent: etree._Element, decl: c.OutcomeDecl) -> etree._Element:
    element = _el(
        parent, "outcomeDeclaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.normal_maximum is not None:
        element.set("normalMaximum", c.fmt_number(decl.normal_maximum))
    if decl.default is not None:
        _el(_el(element, "defaultValue"), "value").text = decl.default
    return element


def item_body(
    parent: etree._Element, bank: Bank, q: Question, plan: c.ItemPlan, href: str
) -> etree._Element:
    body = _el(parent, "itemBody")
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        block = _el(body, "div", **{"class": "stimulus"})
        if stimulus.title:
            _el(_el(block, "p", **{"class": "stimulus-title"}), "strong").text = stimulus.title
        c.append_rich(block, stimulus.body, NS, href, inline=False)
    if q.scenario:
        c.append_rich(_el(body, "div", **{"class": "scenario"}), q.scenario, NS, href,
                      inline=False)
    prompt = _el(body, "div", **{"class": "prompt"})
    c.append_rich(prompt, q.prompt, NS, href, inline=False)
    if isinstance(q, m.FillInBlanks):
        c.replace_blanks(prompt, lambda blank: text_entry_interaction(
            None, c.blank_response(blank), expected_length(q.blanks[blank])))
    elif isinstance(q, m.SingleChoice | m.MultipleResponse | m.TrueFalse):
        choice_interaction(body, q, bank.shuffles(q) and not isinstance(q, m.TrueFalse), href)
    elif isinstance(q, m.ShortAnswer):
        line = _el(body, "p")
        line.append(text_entry_interaction(
            None, c.RESPONSE, expected_length([a.text for a in q.answers])))
    elif isinstance(q, m.Numeric):
        line = _el(body, "p")
        line.append(text_entry_interaction(None, c.RESPONSE, 10))
        if q.unit:
            line[-1].tail = f" {q.unit}"
    elif isinstance(q, m.Essay):
        _el(body, "extendedTextInteraction", responseIdentifier=c.RESPONSE)
        if q.rubric or q.sample_answer:
            rubric_block(body, q, href)
    elif isinstance(q, m.Matching):
        match_interaction(body, q, href)
    elif isinstance(q, m.Ordering):
        order_interaction(body, q, href)
    return body


def expected_length(answers: list[str]) -> int:
    return max(10, *(len(a) + 2 for a in answers))


def choice_interaction(
    parent: etree._Element, q: m.SingleChoice | m.MultipleResponse | m.TrueFalse,
    shuffle: bool, href: str,
) -> etree._Element:
    single = not isinstance(q, m.MultipleResponse)
    element = _el(
        parent, "choiceInteraction", responseIdentifier=c.RESPONSE,
        shuffle="true" if shuffle else "false", maxChoices="1" if single else "0",
    )
    for spec in c.choices_of(q):
        simple_choice(element, spec, shuffle, href)
    return element


def simple_choice(
    parent: etree._Element, spec: c.ChoiceSpec, shuffle: bool, href: str
) -> etree._Element:
    element = _el(parent, "simpleChoice", identifier=spec.identifier)
    if shuffle and spec.fixed:
        element.set("fixed", "true")
    if spec.markdown is None:
        element.text = spec.label
    else:
        c.append_rich(element, spec.markdown, NS, href, inline=True)
    return element


def text_entry_interaction(
    parent: etree._Element | None, response: str, length: int
) -> etree._Element:
    attrs = {"responseIdentifier": response, "expectedLength": str(length)}
    if parent is None:
        return etree.Element(f"{{{NS}}}textEntryInteraction", attrs)
    return _el(parent, "textEntryInteraction", **attrs)


def match_interaction(parent: etree._Element, q: m.Matching, href: str) -> etree._Element:
    element = _el(
        parent, "matchInteraction", responseIdentifier=c.RESPONSE, shuffle="true",
        maxAssociations=str(len(q.pairs)),
    )
    sources = _el(element, "simpleMatchSet")
    for spec in c.match_sources(q):
        choice = _el(sources, "simpleAssociableChoice", identifier=spec.identifier, matchMax="1")
        assert spec.markdown is not None
        c.append_rich(choice, spec.markdown, NS, href, inline=True)
    targets = _el(element, "simpleMatchSet")
    for identifier, text, match_max in c.match_targets(q):
        choice = _el(targets, "simpleAssociableChoice", identifier=identifier,
                     matchMax=str(match_max))
        choice.text = text
    return element


def order_interaction(parent: etree._Element, q: m.Ordering, href: str) -> etree._Element:
    element = _el(parent, "orderInteraction", responseIdentifier=c.RESPONSE, shuffle="true")
    for spec in c.order_choices(q):
        choice = _el(element, "simpleChoice", identifier=spec.identifier)
        assert spec.markdown is not None
        c.append_rich(choice, spec.markdown, NS, href, inline=True)
    return element


def rubric_block(parent: etree._Element, q: m.Essay, href: str) -> etree._Element:
    """The rubric and the sample answer, for scorers only."""
    element = _el(parent, "rubricBlock", view="scorer")
    if q.rubric:
        c.append_rich(_el(element, "div", **{"class": "rubric"}), q.rubric, NS, href,
                      inline=False)
    if q.sample_answer:
        c.append_rich(_el(element, "div", **{"class": "sample-answer"}), q.sample_answer, NS,
                      href, inline=False)
    return element


def modal_feedback(parent: etree._Element, fb: c.Feedback, href: str) -> etree._Element:
    element = _el(
        parent, "modalFeedback", outcomeIdentifier=fb.outcome, identifier=fb.identifier,
        showHide="show",
    )
    c.append_rich(element, fb.markdown, NS, href, inline=False)
    return element


@lru_cache(maxsize=4096)
def _processing(rules: tuple[c.Node, ...]) -> etree._Element:
    """A detached response-processing element for these rules; banks repeat the same rules
    often, so items copy a cached one instead of rebuilding it."""
    processing = etree.Element(f"{{{NS}}}responseProcessing", nsmap={None: NS})  # type: ignore[dict-item]
    for rule in rules:
        expression(processing, rule)
    return processing


def expression(parent: etree._Element, spec: c.Node) -> etree._Element:
    """A processing rule or expression from the shared plan, in QTI 2.1 names."""
    element = _el(parent, spec.name, **dict(spec.attrs))
    if spec.text is not None:
        element.text = spec.text
    for child in spec.children:
        expression(element, child)
    return element


# ---------------------------------------------------------------- the test


def test_document(bank: Bank) -> c.Document:
    href = c.test_href(bank)
    return c.Document(
        href=href,
        root=assessment_test(bank, href),
        schema=SCHEMA,
        kind="test",
        identifier=c.test_identifier(bank),
        title=bank.title,
        media=tuple(c.media_of([bank.description])),
        depends=tuple(c.item_href(q) for q in bank.questions),
    )


def assessment_test(bank: Bank, href: str) -> etree._Element:
    root = _root("assessmentTest", identifier=c.test_identifier(bank), title=bank.title,
                 toolName="packager")
    for out in c.test_outcomes(bank):
        outcome_declaration(root, out)
    part = test_part(root, bank)
    for index, section in enumerate(delivery_sections(bank)):
        assessment_section(part, bank, section, href, first=index == 0)
    processing = _el(root, "outcomeProcessing")
    for rule in c.test_outcome_rules(bank):
        expression(processing, rule)
    return root


def test_part(parent: etree._Element, bank: Bank) -> etree._Element:
    """One part; feedback timing follows settings.show_feedback."""
    show = bank.settings.show_feedback
    element = _el(
        parent, "testPart", identifier=c.part_identifier(bank), navigationMode="nonlinear",
        submissionMode="individual" if show == "immediately" else "simultaneous",
    )
    _el(element, "itemSessionControl", showFeedback="false" if show == "never" else "true",
        allowReview="true", showSolution="false")
    return element


def assessment_section(
    parent: etree._Element, bank: Bank, section: DeliverySection, href: str, *, first: bool
) -> etree._Element:
    element = _el(
        parent, "assessmentSection", identifier=c.section_identifier(section.id),
        title=section.title, visible="true",
    )
    if section.pick is not None:
        _el(element, "selection", select=str(section.pick))
    if first and bank.description:
        rubric = _el(element, "rubricBlock", view="candidate")
        c.append_rich(rubric, bank.description, NS, href, inline=False)
    for q in section.questions:
        _el(element, "assessmentItemRef", identifier=c.item_identifier(bank, q),
            href=c.relative_href(href, c.item_href(q)))
    return element

