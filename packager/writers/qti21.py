"""Bank → IMS QTI 2.1 documents: one assessmentItem per question and one assessmentTest.

Element builders are named after the spec's elements (imsqti_v2p1.xsd) in snake_case. What
the item says (declarations, scoring, feedback) comes from the shared plan (qti_plan,
qti_rules), and the XML both versions write alike from qti_build, qti_interactions and
qti_dialect (in the QTI21 dialect); this module only
knows where QTI 2.1's content model differs from QTI 3's:
- XHTML lives in the QTI namespace; MathML stays MathML.
- `prompt` inside an interaction only takes inline content, so the (block) prompt is written
  before the interaction, after the scenario, all inside the itemBody.
- There is no shared stimulus in QTI 2.1: a bank stimulus is copied at the top of each item.
- The bank description is a rubricBlock at the top of the first section.
"""

from __future__ import annotations

from lxml import etree

from packager.model import Bank, Question, Stimulus, delivery_sections
from packager.writers import qti_build as b
from packager.writers import qti_common as c
from packager.writers import qti_dialect as dialect
from packager.writers.qti_plan import ItemPlan, OutcomeDecl, test_outcomes

NAME = "qti21"
D = dialect.QTI21


def write(bank: Bank, *, reuse: bool = False) -> list[c.Document]:
    """Every document of the package: the items in bank order, then the test. With `reuse`,
    the items are built in working copies (qti_build.Workbench): each item tree holds only
    until the next is built."""
    bench = b.Workbench() if reuse else None
    documents = [b.item_document(D, bank, q, assessment_item, bench) for q in bank.questions]
    documents.append(b.test_document(D, bank, assessment_test))
    return documents


# ---------------------------------------------------------------- items


def assessment_item(
    bank: Bank, q: Question, plan: ItemPlan, href: str, bench: b.Workbench | None = None
) -> etree._Element:
    """The stimulus (copied) at the top of the body, the skeleton's scenario and prompt blocks,
    then the interaction."""
    item = b.item_shell(D, bank, q, plan, href, outcome_declaration, prompted=False, bench=bench)
    if q.stimulus:
        stimulus_block(item.body, bank.stimulus_by_id[q.stimulus], href)
    assert item.prompt is not None
    b.interaction(D, bank, item, q, href, item.prompt)
    return item.root


def outcome_declaration(parent: etree._Element, decl: OutcomeDecl) -> etree._Element:
    return b.outcome_declaration(D, parent, decl)


def stimulus_block(
    parent: etree._Element, stimulus: Stimulus, href: str
) -> etree._Element:
    """A bank stimulus, copied into the item at the top of the body `parent` (before the
    skeleton's scenario and prompt blocks)."""
    block = dialect.xhtml(D, parent, "div", **{"class": "stimulus"})
    parent.insert(0, block)
    if stimulus.title:
        title = dialect.xhtml(D, block, "p", **{"class": "stimulus-title"})
        dialect.xhtml(D, title, "strong").text = stimulus.title
    dialect.rich(D, block, stimulus.body, href, inline=False)
    return block


# ---------------------------------------------------------------- the test


def assessment_test(bank: Bank, href: str) -> etree._Element:
    root = b.assessment_test(D, bank)
    for out in test_outcomes(bank):
        outcome_declaration(root, out)
    part = b.test_part(D, root, bank)
    for index, section in enumerate(delivery_sections(bank)):
        b.assessment_section(D, part, bank, section, href,
                             rubric=bank.description if index == 0 else None)
    b.outcome_processing(D, root, bank)
    return root
