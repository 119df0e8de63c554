"""Which Canvas `question_type` a QTI 1.2 `<item>` is read as: Canvas's `question_type`,
else the CC `cc_profile`, else Blackboard's `bbmd_questiontype`, else Brightspace's
`qmd_questiontype`, else the item's structure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packager.readers.qti12_blanks import BRACKETED
from packager.readers.qti12_choices import choice_labels, is_true_false
from packager.readers.qti12_xml import (
    RESPONSES,
    conditions,
    correct_values,
    descendants,
    local,
)

if TYPE_CHECKING:
    from lxml import etree

# CC profile and Blackboard type → the Canvas question_type read the same way.
CC_PROFILES = {
    "cc.multiple_choice.v0p1": "multiple_choice_question",
    "cc.multiple_response.v0p1": "multiple_answers_question",
    "cc.true_false.v0p1": "true_false_question",
    "cc.fib.v0p1": "short_answer_question",
    "cc.pattern_match.v0p1": "short_answer_question",
    "cc.essay.v0p1": "essay_question",
}
_BLACKBOARD = {
    "Multiple Choice": "multiple_choice_question",
    "Multiple Answer": "multiple_answers_question",
    "True/False": "true_false_question",
    "Essay": "essay_question",
    "Short Response": "essay_question",
    "Fill in the Blank": "short_answer_question",
    "Matching": "matching_question",
    "Numeric": "numerical_question",
}
MULTI_SHORT = "d2l_multi_short_answer"  # no Canvas type: read by multi_short_answer()
# No Canvas type either: blanks in Canvas's shape with no question_type to say whether they
# are typed (fill_in_multiple_blanks) or picked (multiple_dropdowns), which Canvas writes
# alike (qti12_blanks).
UNTYPED_BLANKS = "untyped_blanks"
# Brightspace's qmd_questiontype, where its item has the shape of the Canvas type (its
# matching and ordering: a `response_grp` per row, one for the items), else what it is.
_BRIGHTSPACE = {
    "Matching": "matching_question",
    "Ordering": "ordering_question",
    "Multiple Choice": "multiple_choice_question",
    "Multi-Select": "multiple_answers_question",
    "True/False": "true_false_question",
    "Short Answer": "short_answer_question",
    "Long Answer": "essay_question",
    "Fill in the Blanks": "fill_in_multiple_blanks_question",
    # A formula over variables, drawn anew for each learner: no bank type holds one.
    "Arithmetic": "calculated_question",
    "Significant Figures": "calculated_question",
    # Boxes whose answers each earn a share: a short answer only in its simplest form.
    "Multi-Short Answer": MULTI_SHORT,
    # Items that only show something, scored by no one (canvas-lms's D2L fixture
    # text_only.xml): a bank's text item.
    "Text Information": "text_only_question",
    "Image": "text_only_question",
}
# Where a type is named when no reading above knows it, for the note.
TYPE_FIELDS = ("bbmd_questiontype", "qmd_questiontype")


def question_type(item: etree._Element, meta: dict[str, str]) -> tuple[str, bool]:
    """The Canvas question_type an item is read as, and whether it was guessed from shape."""
    for found in (meta.get("question_type"), CC_PROFILES.get(meta.get("cc_profile", "")),
                  _BLACKBOARD.get(meta.get("bbmd_questiontype", "")),
                  _BRIGHTSPACE.get(meta.get("qmd_questiontype", ""))):
        if found:
            return found, False
    lids = list(descendants(item, "response_lid"))
    strings = list(descendants(item, "response_str"))
    boxes = strings + list(descendants(item, "response_num"))
    groups = list(descendants(item, "response_grp"))
    if groups and not lids and not boxes:
        if any((g.get("rcardinality") or "").lower() == "ordered" for g in groups):
            return "ordering_question", True
        return "matching_question", True
    if lids and _canvas_blanks(item, lids):
        return UNTYPED_BLANKS, True
    if len(lids) > 1:
        return "matching_question", True
    if lids:
        cardinality = (lids[0].get("rcardinality") or "").lower()
        if cardinality == "ordered":
            return "ordering_question", True
        if cardinality == "multiple":
            return "multiple_answers_question", True
        if is_true_false(choice_labels(lids[0])):
            return "true_false_question", True
        return "multiple_choice_question", True
    if len(strings) > 1 and len(boxes) == len(strings) and correct_values(conditions(item)):
        return "fill_in_multiple_blanks_question", True
    if boxes:
        fib = next(descendants(boxes[0], "render_fib"), None)
        if local(boxes[0]) == "response_num" or (fib is not None and (
            fib.get("fibtype") or "").lower() in ("decimal", "integer")):
            return "numerical_question", True
        if correct_values(conditions(item)):
            return "short_answer_question", True
        return "essay_question", True
    return "text_only_question", True


def _canvas_blanks(item: etree._Element, lids: list[etree._Element]) -> bool:
    """Whether the response_lids are Canvas's blanks: each named `response_<name>`, its
    material the name, and `[name]` in the question text (a matching row's material is its
    own text, its ident an answer's number, which no text shows bracketed)."""
    texts, below = [], [child for child in item if local(child) == "presentation"]
    while below:  # the question's text: what the responses (and their labels) do not hold
        element = below.pop()
        if local(element) == "mattext":
            texts.append(element.text or "")
        elif local(element) not in RESPONSES:
            below.extend(element)
    shown = set(BRACKETED.findall(" ".join(texts)))
    for lid in lids:
        material = next(descendants(lid, "mattext"), None)
        name = (material.text or "").strip() if material is not None else ""
        if not name or lid.get("ident") != f"response_{name}" or name not in shown:
            return False
    return True
