"""The QTI interactions (choice, text entry, extended text, match, order), their prompts and
the rubric blocks, built once for QTI 2.1 and QTI 3.0 in either `Dialect`.

A choice question's choiceInteraction is part of the item skeleton (qti_build): built here
with placeholders, filled in per question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from packager.model import Bank, Question
from packager.model import questions as m
from packager.writers import qti_common as c
from packager.writers.qti_dialect import Block, Dialect, el, fill_inline, rich, xhtml
from packager.writers.qti_plan import (
    TRUE_FALSE_LABELS,
    choices_of,
    match_sources,
    match_targets,
    order_choices,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

# A choiceInteraction as the item skeleton has it: shuffle, single (maxChoices 1), how many
# simpleChoice (identifiers and content filled in later), and whether it carries the prompt.
ChoiceShape = tuple[bool, bool, int, bool]


def expected_length(answers: list[str]) -> int:
    return max(10, *(len(a) + 2 for a in answers))


def prompt(d: Dialect, parent: etree._Element, markdown: str | None, href: str) -> None:
    """An interaction's prompt, when it carries one (block content: QTI 3 only)."""
    if markdown is not None:
        rich(d, el(d, parent, "prompt"), markdown, href, inline=False)


def choice_shuffle(bank: Bank, q: m.SingleChoice | m.MultipleResponse | m.TrueFalse) -> bool:
    return bank.shuffles(q) and not isinstance(q, m.TrueFalse)


def choice_shape(bank: Bank, q: Question, prompted: bool) -> ChoiceShape | None:
    """The skeleton's choiceInteraction for a choice question (None for the others)."""
    if not isinstance(q, m.SingleChoice | m.MultipleResponse | m.TrueFalse):
        return None
    count = len(TRUE_FALSE_LABELS) if isinstance(q, m.TrueFalse) else len(q.choices)
    return choice_shuffle(bank, q), not isinstance(q, m.MultipleResponse), count, prompted


def choice_interaction(
    d: Dialect, parent: etree._Element, shuffle: bool, single: bool, count: int, prompted: bool
) -> etree._Element:
    """A choiceInteraction as the item skeleton has it: a prompt with a placeholder paragraph
    if `prompted`, then `count` simpleChoice with empty identifiers."""
    element = el(
        d, parent, "choiceInteraction", responseIdentifier=c.RESPONSE,
        shuffle="true" if shuffle else "false", maxChoices="1" if single else "0",
    )
    if prompted:
        xhtml(d, el(d, element, "prompt"), "p")
    for _ in range(count):
        el(d, element, "simpleChoice", identifier="")
    return element


def fill_choice_interaction(
    d: Dialect, choices: Sequence[etree._Element], prompt: Block | None,
    q: m.SingleChoice | m.MultipleResponse | m.TrueFalse, shuffle: bool, href: str,
    markdown_prompt: str | None,
) -> None:
    """The prompt and choices of a skeleton's choiceInteraction (`choices`, its simpleChoice;
    `prompt`, its prompt when it carries one), replacing what a previous fill put there."""
    if prompt is not None and markdown_prompt is not None:
        prompt.fill(d, markdown_prompt, href)
    for choice, spec in zip(choices, choices_of(q), strict=True):
        choice.set("identifier", spec.identifier)
        if shuffle:
            if spec.fixed:
                choice.set("fixed", "true")
            elif "fixed" in choice.attrib:
                del choice.attrib["fixed"]
        if len(choice):
            del choice[:]
        if spec.markdown is None:
            choice.text = spec.label
        else:
            fill_inline(d, choice, spec.markdown, href)


def text_entry_interaction(d: Dialect, response: str, length: int) -> etree._Element:
    """A detached textEntryInteraction (inline: the caller places it)."""
    return etree.Element(d.tag("textEntryInteraction"), d.attrs(
        {"responseIdentifier": response, "expectedLength": str(length)}))


def extended_text_interaction(
    d: Dialect, parent: etree._Element, href: str, markdown_prompt: str | None
) -> etree._Element:
    element = el(d, parent, "extendedTextInteraction", responseIdentifier=c.RESPONSE)
    prompt(d, element, markdown_prompt, href)
    return element


def match_interaction(
    d: Dialect, parent: etree._Element, q: m.Matching, href: str, markdown_prompt: str | None
) -> etree._Element:
    element = el(
        d, parent, "matchInteraction", responseIdentifier=c.RESPONSE, shuffle="true",
        maxAssociations=str(len(q.pairs)),
    )
    prompt(d, element, markdown_prompt, href)
    sources = el(d, element, "simpleMatchSet")
    for spec in match_sources(q):
        choice = el(d, sources, "simpleAssociableChoice", identifier=spec.identifier,
                    matchMax="1")
        assert spec.markdown is not None
        rich(d, choice, spec.markdown, href, inline=True)
    targets = el(d, element, "simpleMatchSet")
    for identifier, text, match_max in match_targets(q):
        choice = el(d, targets, "simpleAssociableChoice", identifier=identifier,
                    matchMax=str(match_max))
        choice.text = text
    return element


def order_interaction(
    d: Dialect, parent: etree._Element, q: m.Ordering, href: str, markdown_prompt: str | None
) -> etree._Element:
    element = el(d, parent, "orderInteraction", responseIdentifier=c.RESPONSE, shuffle="true")
    prompt(d, element, markdown_prompt, href)
    for spec in order_choices(q):
        choice = el(d, element, "simpleChoice", identifier=spec.identifier)
        assert spec.markdown is not None
        rich(d, choice, spec.markdown, href, inline=True)
    return element


def rubric_block(d: Dialect, parent: etree._Element, *, use: str, view: str) -> etree._Element:
    """A rubricBlock; returns the element its content goes in (in QTI 3 its qti-content-body;
    only QTI 3 says the block's `use`)."""
    if d.content_body:
        return el(d, el(d, parent, "rubricBlock", use=use, view=view), "contentBody")
    return el(d, parent, "rubricBlock", view=view)


def scorer_rubric(d: Dialect, parent: etree._Element, q: m.Essay, href: str) -> etree._Element:
    """The rubric and the sample answer, for scorers only."""
    content = rubric_block(d, parent, use="scoring", view="scorer")
    if q.rubric:
        rich(d, xhtml(d, content, "div", **{"class": "rubric"}), q.rubric, href, inline=False)
    if q.sample_answer:
        rich(d, xhtml(d, content, "div", **{"class": "sample-answer"}), q.sample_answer, href,
             inline=False)
    return content
