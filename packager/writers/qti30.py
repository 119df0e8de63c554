"""Bank → 1EdTech QTI 3.0 documents: qti-assessment-item per question, qti-assessment-stimulus
per shared scenario, one qti-assessment-test.

Element builders are named after the spec's elements in snake_case, keeping the qti_ prefix.
The scoring and feedback plan is the one the QTI 2.1 writer uses (qti_plan, qti_rules), and
so is the XML both versions write alike (qti_build, qti_interactions, qti_dialect, here in
the QTI30 dialect: `responseCondition` →
`qti-response-condition`, `baseType` → `base-type`). Differences from 2.1 that matter:
- shared scenarios are qti-assessment-stimulus documents, referenced from each item with
  qti-assessment-stimulus-ref (not copied); an inline scenario stays at the top of the body;
- qti-prompt takes block content, so the prompt goes inside the interaction when it has one;
- modal feedback and rubric blocks wrap their content in qti-content-body (the dialect's
  `content_body`); the bank description is a rubric block of the test itself;
- an essay's SCORE is declared external-scored="human".
"""

from __future__ import annotations

from functools import partial

from lxml import etree

from packager.model import Bank, Question, Stimulus, delivery_sections
from packager.model import questions as m
from packager.writers import qti_build as b
from packager.writers import qti_common as c
from packager.writers import qti_dialect as dialect
from packager.writers.qti_interactions import rubric_block
from packager.writers.qti_plan import ItemPlan, OutcomeDecl, test_outcomes
from packager.writers.qti_richtext import media_of

NAME = "qti30"
D = dialect.QTI30
# Interactions whose qti-prompt carries the prompt; the others follow it in the body.
PROMPTED = (m.SingleChoice, m.MultipleResponse, m.TrueFalse, m.Matching, m.Ordering, m.Essay)


def write(bank: Bank, *, reuse: bool = False) -> list[c.Document]:
    """Every document of the package: items in bank order, stimuli in use, then the test.
    With `reuse`, the items are built in working copies (qti_build.Workbench): each item
    tree holds only until the next is built."""
    bench = b.Workbench() if reuse else None
    documents = [b.item_document(D, bank, q, qti_assessment_item, bench) for q in bank.questions]
    used = {q.stimulus for q in bank.questions if q.stimulus}
    documents.extend(stimulus_document(bank, s) for s in bank.stimuli if s.id in used)
    documents.append(b.test_document(D, bank, qti_assessment_test))
    return documents


# ---------------------------------------------------------------- items


def qti_assessment_item(
    bank: Bank, q: Question, plan: ItemPlan, href: str, bench: b.Workbench | None = None
) -> etree._Element:
    """The skeleton's scenario, then the interaction with its qti-prompt, or the prompt block
    and then the (inline) text entries; a shared stimulus is referenced before the body."""
    prompted = isinstance(q, PROMPTED)
    item = b.item_shell(
        D, bank, q, plan, href, qti_outcome_declaration, prompted=prompted, bench=bench
    )
    if q.stimulus:
        stimulus = bank.stimulus_by_id[q.stimulus]
        item.body.addprevious(qti_assessment_stimulus_ref(bank, stimulus, href))
    prompt = item.prompt
    b.interaction(D, bank, item, q, href, q.prompt if prompt is None else prompt)
    return item.root


def qti_outcome_declaration(parent: etree._Element, decl: OutcomeDecl) -> etree._Element:
    element = b.outcome_declaration(D, parent, decl)
    if decl.external_scored:
        element.set("external-scored", "human")
    return element


def qti_assessment_stimulus_ref(bank: Bank, stimulus: Stimulus, href: str) -> etree._Element:
    """The reference to a shared stimulus (detached: it goes before the item body)."""
    element = dialect.detached(
        D, "qti-assessment-stimulus-ref",
        identifier=c.stimulus_identifier(bank, stimulus),
        href=c.relative_href(href, c.stimulus_href(stimulus)),
    )
    if stimulus.title:
        element.set("title", stimulus.title)
    return element


# ---------------------------------------------------------------- stimuli


def stimulus_document(bank: Bank, stimulus: Stimulus) -> c.Document:
    href = c.stimulus_href(stimulus)
    return c.Document(
        href=href,
        build=partial(qti_assessment_stimulus, bank, stimulus, href),
        schema=D.schema,
        kind="stimulus",
        identifier=c.stimulus_identifier(bank, stimulus),
        title=stimulus.title or stimulus.id,
        media=tuple(media_of([stimulus.body])),
    )


def qti_assessment_stimulus(bank: Bank, stimulus: Stimulus, href: str) -> etree._Element:
    root = dialect.root(
        D, "qti-assessment-stimulus",
        identifier=c.stimulus_identifier(bank, stimulus),
        title=stimulus.title or stimulus.id,
    )
    root.set(dialect.XML_LANG, bank.language)
    dialect.rich(D, dialect.el(D, root, "qti-stimulus-body"), stimulus.body, href, inline=False)
    return root


# ---------------------------------------------------------------- the test


def qti_assessment_test(bank: Bank, href: str) -> etree._Element:
    root = b.assessment_test(D, bank)
    for out in test_outcomes(bank):
        qti_outcome_declaration(root, out)
    if bank.description:
        content = rubric_block(D, root, use="instructions", view="candidate")
        dialect.rich(D, content, bank.description, href, inline=False)
    part = b.test_part(D, root, bank)
    for section in delivery_sections(bank):
        b.assessment_section(D, part, bank, section, href)
    b.outcome_processing(D, root, bank)
    return root
