"""Bank → 1EdTech QTI 3.0 documents: qti-assessment-item per question, qti-assessment-stimulus
per shared scenario, one qti-assessment-test.

Element builders are named after the spec's elements in snake_case, keeping the qti_ prefix.
The scoring and feedback plan is the one the QTI 2.1 writer uses (qti_common); its rules are
rendered here with QTI 3 names (`responseCondition` → `qti-response-condition`). Differences
from 2.1 that matter:
- shared scenarios are qti-assessment-stimulus documents, referenced from each item with
  qti-assessment-stimulus-ref (not copied); an inline scenario stays at the top of the body;
- qti-prompt takes block content, so the prompt goes inside the interaction when it has one;
- modal feedback and rubric blocks wrap their content in qti-content-body;
- an essay's SCORE is declared external-scored="human".
"""

from __future__ import annotations

import re
from copy import copy
from functools import lru_cache

from lxml import etree

from packager.model import Bank, DeliverySection, Question, Stimulus, delivery_sections
from packager.model import questions as m
from packager.writers import qti_common as c
from packager.xml import ns

NAME = "qti30"
NS = ns.QTI30
SCHEMA = "qti30"
SCHEMA_LOCATION = (
    f"{NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0p1_v1p0.xsd"
)
TEMPLATES = {
    "match_correct": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml",
    "map_response": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml",
}
_XML_LANG = ns.qn(ns.XML, "lang")
_NSMAP = {None: NS, "xsi": ns.XSI}


def write(bank: Bank) -> list[c.Document]:
    """Every document of the package: items in bank order, stimuli in use, then the test."""
    documents = [item_document(bank, q) for q in bank.questions]
    used = {q.stimulus for q in bank.questions if q.stimulus}
    documents.extend(stimulus_document(bank, s) for s in bank.stimuli if s.id in used)
    documents.append(test_document(bank))
    return documents


@lru_cache(maxsize=256)
def qti_name(name: str) -> str:
    """QTI 2.1 camelCase → QTI 3 name: responseCondition → qti-response-condition."""
    return "qti-" + kebab(name)


@lru_cache(maxsize=256)
def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _el(parent: etree._Element, name: str, /, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{name}", {kebab(k): v for k, v in attrs.items()})


def _root(name: str, **attrs: str) -> etree._Element:
    root = etree.Element(f"{{{NS}}}{name}", nsmap=_NSMAP)  # type: ignore[arg-type]
    root.set(ns.qn(ns.XSI, "schemaLocation"), SCHEMA_LOCATION)
    for key, value in attrs.items():
        root.set(kebab(key), value)
    return root


# ---------------------------------------------------------------- items


def item_document(bank: Bank, q: Question) -> c.Document:
    href = c.item_href(q)
    plan = c.plan_item(bank, q)
    texts = list(c.question_texts(bank, q, with_stimulus=False))
    depends = (c.stimulus_href(bank.stimulus_by_id[q.stimulus]),) if q.stimulus else ()
    return c.Document(
        href=href,
        root=qti_assessment_item(bank, q, plan, href),
        schema=SCHEMA,
        kind="item",
        identifier=c.item_identifier(bank, q),
        title=c.item_title(q),
        media=tuple(c.media_of(texts)),
        depends=depends,
        interaction=plan.interaction,
        keywords=tuple(q.tags),
        feedback=bool(plan.feedback),
    )


def qti_assessment_item(
    bank: Bank, q: Question, plan: c.ItemPlan, href: str
) -> etree._Element:
    root = _root(
        "qti-assessment-item",
        identifier=c.item_identifier(bank, q),
        title=c.item_title(q),
        adaptive="false",
        timeDependent="false",
    )
    root.set(_XML_LANG, bank.language)
    for decl in plan.responses:
        qti_response_declaration(root, decl)
    for out in plan.outcomes:
        qti_outcome_declaration(root, out)
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        qti_assessment_stimulus_ref(root, bank, stimulus, href)
    qti_item_body(root, q, plan, bank, href)
    if plan.template is not None:
        _el(root, "qti-response-processing", template=TEMPLATES[plan.template])
    elif plan.rules:
        root.append(copy(_processing(plan.rules)))
    for fb in plan.feedback:
        qti_modal_feedback(root, fb, href)
    return root


def qti_response_declaration(parent: etree._Element, decl: c.ResponseDecl) -> etree._Element:
    element = _el(
        parent, "qti-response-declaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.correct:
        correct = _el(element, "qti-correct-response")
        for value in decl.correct:
            _el(correct, "qti-value").text = value
    if decl.mapping is not None:
        qti_mapping(element, decl.mapping)
    return element


def qti_mapping(parent: etree._Element, spec: c.Mapping) -> etree._Element:
    element = _el(parent, "qti-mapping", defaultValue=c.fmt_number(spec.default))
    if spec.lower_bound is not None:
        element.set("lower-bound", c.fmt_number(spec.lower_bound))
    if spec.upper_bound is not None:
        element.set("upper-bound", c.fmt_number(spec.upper_bound))
    for entry in spec.entries:
        _el(
            element, "qti-map-entry", mapKey=entry.key, mappedValue=c.fmt_number(entry.value),
            caseSensitive="true" if entry.case_sensitive else "false",
        )
    return element


def qti_outcome_declaration(parent: etree._Element, decl: c.OutcomeDecl) -> etree._Element:
    element = _el(
        parent, "qti-outcome-declaration", identifier=decl.identifier,
        cardinality=decl.cardinality, baseType=decl.base_type,
    )
    if decl.normal_maximum is not None:
        element.set("normal-maximum", c.fmt_number(decl.normal_maximum))
    if decl.external_scored:
        element.set("external-scored", "human")
    if decl.default is not None:
        _el(_el(element, "qti-default-value"), "qti-value").text = decl.default
    return element


def qti_assessment_stimulus_ref(
    parent: etree._Element, bank: Bank, stimulus: Stimulus, href: str
) -> etree._Element:
    element = _el(
        parent, "qti-assessment-stimulus-ref", identifier=c.stimulus_identifier(bank, stimulus),
        href=c.relative_href(href, c.stimulus_href(stimulus)),
    )
    if stimulus.title:
        element.set("title", stimulus.title)
    return element


def qti_item_body(
    parent: etree._Element, q: Question, plan: c.ItemPlan, bank: Bank, href: str
) -> etree._Element:
    body = _el(parent, "qti-item-body")
    if q.scenario:
        c.append_rich(_el(body, "div", **{"class": "scenario"}), q.scenario, NS, href,
                      inline=False)
    if isinstance(q, m.SingleChoice | m.MultipleResponse | m.TrueFalse):
        shuffle = bank.shuffles(q) and not isinstance(q, m.TrueFalse)
        qti_choice_interaction(body, q, shuffle, href)
    elif isinstance(q, m.Matching):
        qti_match_interaction(body, q, href)
    elif isinstance(q, m.Ordering):
        qti_order_interaction(body, q, href)
    elif isinstance(q, m.Essay):
        interaction = _el(body, "qti-extended-text-interaction", responseIdentifier=c.RESPONSE)
        qti_prompt(interaction, q.prompt, href)
        if q.rubric or q.sample_answer:
            qti_rubric_block(body, q, href)
    else:
        prompt = _el(body, "div", **{"class": "prompt"})
        c.append_rich(prompt, q.prompt, NS, href, inline=False)
        if isinstance(q, m.FillInBlanks):
            c.replace_blanks(prompt, lambda blank: qti_text_entry_interaction(
                None, c.blank_response(blank), _expected_length(q.blanks[blank])))
        elif isinstance(q, m.ShortAnswer):
            line = _el(body, "p")
            line.append(qti_text_entry_interaction(
                None, c.RESPONSE, _expected_length([a.text for a in q.answers])))
        elif isinstance(q, m.Numeric):
            line = _el(body, "p")
            line.append(qti_text_entry_interaction(None, c.RESPONSE, 10))
            if q.unit:
                line[-1].tail = f" {q.unit}"
    return body


def _expected_length(answers: list[str]) -> int:
    return max(10, *(len(a) + 2 for a in answers))


def qti_prompt(parent: etree._Element, markdown: str, href: str) -> etree._Element:
    element = _el(parent, "qti-prompt")
    c.append_rich(element, markdown, NS, href, inline=False)
    return element


def qti_choice_interaction(
    parent: etree._Element, q: m.SingleChoice | m.MultipleResponse | m.TrueFalse,
    shuffle: bool, href: str,
) -> etree._Element:
    single = not isinstance(q, m.MultipleResponse)
    element = _el(
        parent, "qti-choice-interaction", responseIdentifier=c.RESPONSE,
        shuffle="true" if shuffle else "false", maxChoices="1" if single else "0",
    )
    qti_prompt(element, q.prompt, href)
    for spec in c.choices_of(q):
        qti_simple_choice(element, spec, shuffle, href)
    return element


def qti_simple_choice(
    parent: etree._Element, spec: c.ChoiceSpec, shuffle: bool, href: str
) -> etree._Element:
    element = _el(parent, "qti-simple-choice", identifier=spec.identifier)
    if shuffle and spec.fixed:
        element.set("fixed", "true")
    if spec.markdown is None:
        element.text = spec.label
    else:
        c.append_rich(element, spec.markdown, NS, href, inline=True)
    return element


def qti_text_entry_interaction(
    parent: etree._Element | None, response: str, length: int
) -> etree._Element:
    attrs = {"response-identifier": response, "expected-length": str(length)}
    if parent is None:
        return etree.Element(f"{{{NS}}}qti-text-entry-interaction", attrs)
    return etree.SubElement(parent, f"{{{NS}}}qti-text-entry-interaction", attrs)


def qti_match_interaction(parent: etree._Element, q: m.Matching, href: str) -> etree._Element:
    element = _el(
        parent, "qti-match-interaction", responseIdentifier=c.RESPONSE, shuffle="true",
        maxAssociations=str(len(q.pairs)),
    )
    qti_prompt(element, q.prompt, href)
    sources = _el(element, "qti-simple-match-set")
    for spec in c.match_sources(q):
        choice = _el(sources, "qti-simple-associable-choice", identifier=spec.identifier,
                     matchMax="1")
        assert spec.markdown is not None
        c.append_rich(choice, spec.markdown, NS, href, inline=True)
    targets = _el(element, "qti-simple-match-set")
    for identifier, text, match_max in c.match_targets(q):
        choice = _el(targets, "qti-simple-associable-choice", identifier=identifier,
                     matchMax=str(match_max))
        choice.text = text
    return element


def qti_order_interaction(parent: etree._Element, q: m.Ordering, href: str) -> etree._Element:
    element = _el(parent, "qti-order-interaction", responseIdentifier=c.RESPONSE,
                  shuffle="true")
    qti_prompt(element, q.prompt, href)
    for spec in c.order_choices(q):
        choice = _el(element, "qti-simple-choice", identifier=spec.identifier)
        assert spec.markdown is not None
        c.append_rich(choice, spec.markdown, NS, href, inline=True)
    return element


def qti_rubric_block(parent: etree._Element, q: m.Essay, href: str) -> etree._Element:
    """The rubric and the sample answer, for scorers only."""
    element = _el(parent, "qti-rubric-block", use="scoring", view="scorer")
    content = _el(element, "qti-content-body")
    if q.rubric:
        c.append_rich(_el(content, "div", **{"class": "rubric"}), q.rubric, NS, href,
                      inline=False)
    if q.sample_answer:
        c.append_rich(_el(content, "div", **{"class": "sample-answer"}), q.sample_answer, NS,
                      href, inline=False)
    return element


def qti_modal_feedback(parent: etree._Element, fb: c.Feedback, href: str) -> etree._Element:
    element = _el(
        parent, "qti-modal-feedback", outcomeIdentifier=fb.outcome, identifier=fb.identifier,
        showHide="show",
    )
    c.append_rich(_el(element, "qti-content-body"), fb.markdown, NS, href, inline=False)
    return element


@lru_cache(maxsize=4096)
def _processing(rules: tuple[c.Node, ...]) -> etree._Element:
    """A detached response-processing element for these rules; banks repeat the same rules
    often, so items copy a cached one instead of rebuilding it."""
    processing = etree.Element(f"{{{NS}}}qti-response-processing", nsmap={None: NS})  # type: ignore[dict-item]
    for rule in rules:
        expression(processing, rule)
    return processing


def expression(parent: etree._Element, spec: c.Node) -> etree._Element:
    """A processing rule or expression from the shared plan, in QTI 3 names."""
    element = _el(parent, qti_name(spec.name), **dict(spec.attrs))
    if spec.text is not None:
        element.text = spec.text
    for child in spec.children:
        expression(element, child)
    return element


# ---------------------------------------------------------------- stimuli


def stimulus_document(bank: Bank, stimulus: Stimulus) -> c.Document:
    href = c.stimulus_href(stimulus)
    return c.Document(
        href=href,
        root=qti_assessment_stimulus(bank, stimulus, href),
        schema=SCHEMA,
        kind="stimulus",
        identifier=c.stimulus_identifier(bank, stimulus),
        title=stimulus.title or stimulus.id,
        media=tuple(c.media_of([stimulus.body])),
    )


def qti_assessment_stimulus(bank: Bank, stimulus: Stimulus, href: str) -> etree._Element:
    root = _root(
        "qti-assessment-stimulus",
        identifier=c.stimulus_identifier(bank, stimulus),
        title=stimulus.title or stimulus.id,
    )
    root.set(_XML_LANG, bank.language)
    c.append_rich(_el(root, "qti-stimulus-body"), stimulus.body, NS, href, inline=False)
    return root


# ---------------------------------------------------------------- the test


def test_document(bank: Bank) -> c.Document:
    href = c.test_href(bank)
    return c.Document(
        href=href,
        root=qti_assessment_test(bank, href),
        schema=SCHEMA,
        kind="test",
        identifier=c.test_identifier(bank),
        title=bank.title,
        media=tuple(c.media_of([bank.description])),
        depends=tuple(c.item_href(q) for q in bank.questions),
    )


def qti_assessment_test(bank: Bank, href: str) -> etree._Element:
    root = _root("qti-assessment-test", identifier=c.test_identifier(bank), title=bank.title,
                 toolName="packager")
    for out in c.test_outcomes(bank):
        qti_outcome_declaration(root, out)
    if bank.description:
        rubric = _el(root, "qti-rubric-block", use="instructions", view="candidate")
        c.append_rich(_el(rubric, "qti-content-body"), bank.description, NS, href,
                      inline=False)
    part = qti_test_part(root, bank)
    for section in delivery_sections(bank):
        qti_assessment_section(part, bank, section, href)
    processing = _el(root, "qti-outcome-processing")
    for rule in c.test_outcome_rules(bank):
        expression(processing, rule)
    return root


def qti_test_part(parent: etree._Element, bank: Bank) -> etree._Element:
    """One part; feedback timing follows settings.show_feedback."""
    show = bank.settings.show_feedback
    element = _el(
        parent, "qti-test-part", identifier=c.part_identifier(bank), navigationMode="nonlinear",
        submissionMode="individual" if show == "immediately" else "simultaneous",
    )
    _el(element, "qti-item-session-control", showFeedback="false" if show == "never" else "true",
        allowReview="true", showSolution="false")
    return element


def qti_assessment_section(
    parent: etree._Element, bank: Bank, section: DeliverySection, href: str
) -> etree._Element:
    element = _el(
        parent, "qti-assessment-section", identifier=c.section_identifier(section.id),
        title=section.title, visible="true",
    )
    if section.pick is not None:
        _el(element, "qti-selection", select=str(section.pick))
    for q in section.questions:
        _el(element, "qti-assessment-item-ref", identifier=c.item_identifier(bank, q),
            href=c.relative_href(href, c.item_href(q)))
    return element
