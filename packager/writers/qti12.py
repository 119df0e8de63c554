"""Bank → QTI 1.2 documents in the shape Canvas exports and imports.

Two trees: the `questestinterop` assessment (one item per question, question groups for
sections with `pick`) and Canvas's `assessment_meta.xml` (`<quiz>` in the cccv1p0 namespace).
Here the assessment, its sections and the quiz settings; the items are qti12_items.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from lxml import etree

from packager.model import Bank, DeliverySection, Ordering, TextItem, delivery_sections
from packager.writers.qti12_elements import (
    QTI_NSMAP,
    Q,
    points,
    qtimetadata,
    subelement,
    text_element,
)
from packager.writers.qti12_html import IMAGE_HTML, html
from packager.writers.qti12_idents import assessment_ident, safe_ident
from packager.writers.qti12_items import in_place, item
from packager.xml import ns
from packager.xml.serialize import ChildRun, child_run

SCHEMA_LOCATION = f"{ns.QTI12} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CANVAS_SCHEMA_LOCATION = f"{ns.CANVAS} https://canvas.instructure.com/xsd/cccv1p0.xsd"

_CANVAS_NSMAP: Any = {None: ns.CANVAS, "xsi": ns.XSI}
_C = f"{{{ns.CANVAS}}}"


# --- sections and the assessment -----------------------------------------------------------


def group_points(bank: Bank, section: DeliverySection) -> float:
    """Canvas gives every question of a group the same points: the first scored one's."""
    for question in section.questions:
        if not isinstance(question, TextItem):
            return bank.points_of(question)
    return 0.0


def section_group(parent: etree._Element, bank: Bank, section: DeliverySection) -> etree._Element:
    """A Canvas question group: a nested section with selection_number and points_per_item."""
    group = subelement(
        parent,
        "section",
        {"ident": safe_ident("s", bank.id, section.id, size=12), "title": section.title},
    )
    selection = subelement(subelement(group, "selection_ordering"), "selection")
    text_element(selection, "selection_number", str(section.pick))
    extension = subelement(selection, "selection_extension")
    text_element(extension, "points_per_item", points(group_points(bank, section)))
    return group


def total_points(bank: Bank) -> float:
    total = 0.0
    for section in delivery_sections(bank):
        if section.pick:
            total += section.pick * group_points(bank, section)
        else:
            total += sum(bank.points_of(q) for q in section.questions)
    return total


def assessment(bank: Bank) -> tuple[etree._Element, list[ChildRun]]:
    """The `questestinterop` document: one assessment, a root section, groups for `pick`.

    Returned as a shell plus runs of items built lazily, each as its own element, so that a
    package can stream a large bank (packages/assemble.py).
    """
    root = etree.Element(Q + "questestinterop", nsmap=QTI_NSMAP)
    root.set(f"{{{ns.XSI}}}schemaLocation", SCHEMA_LOCATION)
    test = subelement(root, "assessment", {"ident": assessment_ident(bank), "title": bank.title})
    qtimetadata(test, [("cc_maxattempts", "1")])
    root_section = subelement(test, "section", {"ident": "root_section"})
    runs: list[ChildRun] = []
    for section in delivery_sections(bank):
        # Canvas keeps nested sections only as question groups; others are flattened.
        holder = section_group(root_section, bank, section) if section.pick else root_section
        # Ordering questions are removed by the target before writing.
        questions = [q for q in section.questions if not isinstance(q, Ordering)]
        runs.append(child_run(holder, questions, partial(item, bank), in_place(bank)))
    return root, runs


def _canvas(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, _C + tag).text = text


def assessment_meta(bank: Bank) -> etree._Element:
    """Canvas's `<quiz>` settings; only elements cc_canvas/cccv1p0.xsd declares."""
    quiz = etree.Element(_C + "quiz", nsmap=_CANVAS_NSMAP)
    quiz.set(f"{{{ns.XSI}}}schemaLocation", CANVAS_SCHEMA_LOCATION)
    quiz.set("identifier", assessment_ident(bank))
    settings = bank.settings
    _canvas(quiz, "title", bank.title)
    _canvas(quiz, "description", html(bank.description) if bank.description else "")
    _canvas(quiz, "points_possible", points(total_points(bank)))
    _canvas(quiz, "shuffle_answers", "true" if settings.shuffle_choices else "false")
    _canvas(quiz, "show_correct_answers", "false" if settings.show_feedback == "never" else "true")
    if settings.show_feedback == "never":
        _canvas(quiz, "hide_results", "always")
    _canvas(quiz, "quiz_type", "assignment")
    _canvas(quiz, "scoring_policy", "keep_highest")
    return quiz


@dataclass(frozen=True)
class Documents:
    ident: str
    assessment: etree._Element  # the shell: items are in `items`, built when iterated
    items: list[ChildRun]
    meta: etree._Element


def write(bank: Bank) -> Documents:
    IMAGE_HTML.clear()
    shell, runs = assessment(bank)
    return Documents(assessment_ident(bank), shell, runs, assessment_meta(bank))
