"""QTI 1.2 element builders for the Canvas writer, and the numbers written in them.

Element builders are named after the spec elements.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from lxml import etree

from packager.feedback_idents import GENERAL_FB, GENERAL_INCORRECT_FB
from packager.xml import ns

Q = f"{{{ns.QTI12}}}"
# lxml-stubs types nsmap keys as str; the default namespace is the key None.
QTI_NSMAP: Any = {None: ns.QTI12, "xsi": ns.XSI}


# --- element builders ----------------------------------------------------------------------


def subelement(
    parent: etree._Element, tag: str, attrib: dict[str, str] | None = None
) -> etree._Element:
    return etree.SubElement(parent, Q + tag, attrib)


def text_element(parent: etree._Element, tag: str, text: str, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, Q + tag, attrib)
    element.text = text
    return element


# Fixed fragments are built once and deep-copied (lxml copies in C, about three times faster
# than building element by element), then filled in. They hang off a root that declares the
# QTI namespace as default, so copies reuse the document's declaration.
_TEMPLATE_ROOT = etree.Element(Q + "questestinterop", nsmap=QTI_NSMAP)


def _clone(parent: etree._Element, template: etree._Element) -> etree._Element:
    element = copy.copy(template)  # lxml's shallow copy copies the whole subtree, and faster
    parent.append(element)
    return element


def qtimetadata(parent: etree._Element, fields: Sequence[tuple[str, str]]) -> etree._Element:
    meta = subelement(parent, "qtimetadata")
    for label, entry in fields:
        field = subelement(meta, "qtimetadatafield")
        text_element(field, "fieldlabel", label)
        text_element(field, "fieldentry", entry)
    return meta


ITEM_FIELDS = (
    "question_type",
    "points_possible",
    "original_answer_ids",
    "assessment_question_identifierref",
)


def _itemmetadata(root: etree._Element) -> etree._Element:
    metadata = subelement(root, "itemmetadata")
    qtimetadata(metadata, [(field, "") for field in ITEM_FIELDS])
    return metadata


_ITEMMETADATA = _itemmetadata(_TEMPLATE_ROOT)


def itemmetadata(parent: etree._Element, entries: Sequence[str] = ("",) * 4) -> etree._Element:
    """Canvas's four item fields (ITEM_FIELDS), in that order; `fill_itemmetadata` sets them."""
    metadata = _clone(parent, _ITEMMETADATA)
    fill_itemmetadata(metadata, entries)
    return metadata


def fill_itemmetadata(metadata: etree._Element, entries: Sequence[str]) -> None:
    for field, entry in zip(metadata[0], entries, strict=True):
        field[1].text = entry


def _material_template(texttype: str) -> etree._Element:
    element = subelement(_TEMPLATE_ROOT, "material")
    text_element(element, "mattext", "", texttype=texttype)
    return element


_MATERIAL = {t: _material_template(t) for t in ("text/html", "text/plain")}


def material(parent: etree._Element, text: str, texttype: str = "text/html") -> etree._Element:
    element = _clone(parent, _MATERIAL[texttype])
    element[0].text = text
    return element


def _response_label_template(texttype: str) -> etree._Element:
    label = subelement(_TEMPLATE_ROOT, "response_label")
    label.append(copy.deepcopy(_MATERIAL[texttype]))
    return label


_RESPONSE_LABEL = {t: _response_label_template(t) for t in ("text/html", "text/plain")}


def response_label(parent: etree._Element, ident: str, text: str, texttype: str) -> etree._Element:
    label = _clone(parent, _RESPONSE_LABEL[texttype])
    label.set("ident", ident)
    label[0][0].text = text
    return label


def response_lid(parent: etree._Element, ident: str, cardinality: str = "Single") -> etree._Element:
    return subelement(parent, "response_lid", {"ident": ident, "rcardinality": cardinality})


def response_str(parent: etree._Element, fibtype: str | None = None) -> etree._Element:
    response = subelement(parent, "response_str", {"ident": "response1", "rcardinality": "Single"})
    render_fib = subelement(response, "render_fib", {"fibtype": fibtype} if fibtype else None)
    subelement(render_fib, "response_label", {"ident": "answer1", "rshuffle": "No"})
    return response


def _resprocessing(root: etree._Element) -> etree._Element:
    processing = subelement(root, "resprocessing")
    outcomes = subelement(processing, "outcomes")
    subelement(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    return processing


_RESPROCESSING = _resprocessing(_TEMPLATE_ROOT)


def resprocessing(parent: etree._Element) -> etree._Element:
    """resprocessing with Canvas's SCORE outcome (0..100, a percentage of points_possible)."""
    return _clone(parent, _RESPROCESSING)


def respcondition(parent: etree._Element, continue_: bool) -> tuple[etree._Element, etree._Element]:
    """A respcondition and its conditionvar."""
    condition = subelement(parent, "respcondition", {"continue": "Yes" if continue_ else "No"})
    return condition, subelement(condition, "conditionvar")


def varequal(parent: etree._Element, respident: str, value: str) -> etree._Element:
    return text_element(parent, "varequal", value, respident=respident)


def setvar(parent: etree._Element, value: str, action: str = "Set") -> etree._Element:
    return text_element(parent, "setvar", value, action=action, varname="SCORE")


def displayfeedback(parent: etree._Element, linkrefid: str) -> etree._Element:
    return subelement(
        parent, "displayfeedback", {"feedbacktype": "Response", "linkrefid": linkrefid}
    )


def _other_condition(
    root: etree._Element, linkrefid: str | None, continue_: bool
) -> etree._Element:
    condition, var = respcondition(root, continue_)
    subelement(var, "other")
    if linkrefid is not None:
        displayfeedback(condition, linkrefid)
    return condition


_OTHER_CONDITIONS = {
    (link, cont): _other_condition(_TEMPLATE_ROOT, link, cont)
    for link in (GENERAL_FB, GENERAL_INCORRECT_FB, None)
    for cont in (True, False)
}


def other_condition(parent: etree._Element, linkrefid: str | None, continue_: bool) -> None:
    """A condition that always holds (`<other/>`), optionally displaying a feedback."""
    _clone(parent, _OTHER_CONDITIONS[(linkrefid, continue_)])


_ITEMFEEDBACK = subelement(_TEMPLATE_ROOT, "itemfeedback")
subelement(_ITEMFEEDBACK, "flow_mat").append(copy.deepcopy(_MATERIAL["text/html"]))


def itemfeedback(parent: etree._Element, ident: str, html_text: str) -> etree._Element:
    feedback = _clone(parent, _ITEMFEEDBACK)
    feedback.set("ident", ident)
    feedback[0][0][0].text = html_text
    return feedback


# --- numbers -------------------------------------------------------------------------------


def number(value: float) -> str:
    """A decimal in its shortest round-trip form ('13.2', '2'), so Canvas reads back the very
    number: fewer significant digits would change a key (123456789012345.6 is not …346)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        # Positional, never an exponent, and never rounded away: 6.6e-34 is not "0".
        return format(Decimal(text), "f")
    return text.removesuffix(".0")


def points(value: float) -> str:
    """Canvas's own form of points: always with a decimal point ('1.0', '2.5'). Points are
    summed (a quiz's total, a group's), so they keep 15 significant digits: 0.1 + 0.2 is
    written 0.3, not 0.30000000000000004."""
    text = number(float(f"{value:.15g}"))
    return text if "." in text else f"{text}.0"

