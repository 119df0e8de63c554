"""QTI 1.2 elements as an importer needs them: names without namespaces, the HTML of a
material, and what the response processing says (which responses score, which feedback shows).

Exporters disagree on the namespace (Canvas and the CC profile use ims_qtiasiv1p2, Blackboard
none), so elements are matched by local name. What scores is read from the conditions, not
from conventions of one exporter: a response is correct when a condition that raises SCORE
(`setvar` Set/Add with a positive value, or Blackboard's `SCORE.max`) tests it, outside a `not`;
Brightspace's D2L_Incorrect, the count of wrong picks, is no score.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Layout white space only: a no-break space is part of the text ("50 km").
_LAYOUT_SPACE = re.compile(r"[ \t\r\n\f]+")


def squash(text: str) -> str:
    """Text with runs of layout white space made one space, and trimmed."""
    return _LAYOUT_SPACE.sub(" ", text).strip()


# The elements a learner answers in: not part of the question's text.
RESPONSES = frozenset({"response_lid", "response_str", "response_num", "response_xy",
                       "response_grp"})


def local(element: etree._Element) -> str:
    """The local name of an element ('' for comments and processing instructions)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# By local name, in any namespace or none: lxml's `{*}name` filter, which libxml2 applies
# (a 10,000-item package asks these a million times).
def kids(element: etree._Element, name: str) -> list[etree._Element]:
    return list(element.iterchildren(f"{{*}}{name}"))


def kid(element: etree._Element, name: str) -> etree._Element | None:
    return next(element.iterchildren(f"{{*}}{name}"), None)


def descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return element.iter(f"{{*}}{name}")


def text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return squash("".join(str(t) for t in element.itertext()))


def metadata(item: etree._Element) -> dict[str, str]:
    """qtimetadata fields (label → entry; the first wins), plus Blackboard's bbmd_* elements.
    Brightspace spells the field `qti_metadatafield`."""
    fields: dict[str, str] = {}
    meta = kid(item, "itemmetadata")
    if meta is None:
        return fields
    for entry in meta.iter("{*}qtimetadatafield", "{*}qti_metadatafield"):
        label = text_of(kid(entry, "fieldlabel"))
        if label:
            fields.setdefault(label, text_of(kid(entry, "fieldentry")))
    for child in meta:
        name = local(child)
        if name.startswith(("bbmd_", "qmd_")) and len(child) == 0:
            fields.setdefault(name, text_of(child))
    return fields


def _mattext_html(mattext: etree._Element) -> str:
    from lxml import etree

    texttype = (mattext.get("texttype") or "text/plain").lower()
    if "html" not in texttype:
        text = (mattext.text or "").strip()
        return "".join(f"<p>{escape(p.strip(), quote=False)}</p>"
                       for p in _PARAGRAPH_BREAK.split(text) if p.strip())
    if len(mattext):
        # XHTML written as elements (some exporters), not as escaped text (Canvas).
        inner = [escape(mattext.text or "", quote=False)]
        inner += [etree.tostring(child, encoding="unicode") for child in mattext]
        return "".join(inner)
    return mattext.text or ""


def material_html(element: etree._Element | None) -> str:
    """The HTML of every mattext, matimage and matbreak under `element`, in document order."""
    if element is None:
        return ""
    parts: list[str] = []
    for node in element.iter():
        name = local(node)
        if name in ("mattext", "matemtext"):
            parts.append(_mattext_html(node))
        elif name == "matimage" and node.get("uri"):
            parts.append(f'<img src="{escape(node.get("uri") or "")}" alt="">')
        elif name == "matbreak":
            parts.append("<br>")
    return "".join(parts)


def inline_html(material: etree._Element) -> str | None:
    """The escaped text of a material holding one paragraph of plain text and nothing else,
    with its white space kept at the ends (None for any other material): a piece of a
    sentence that a blank continues, where material_html would make a paragraph of it."""
    texts: list[str] = []
    for child in material:
        name = local(child)
        if not name:
            continue
        texttype = (child.get("texttype") or "text/plain").lower()
        if name not in ("mattext", "matemtext") or "html" in texttype or len(child):
            return None
        texts.append(child.text or "")
    text = "".join(texts)
    if not text.strip() or _PARAGRAPH_BREAK.search(text):
        return None
    return escape(_LAYOUT_SPACE.sub(" ", text), quote=False)


def label_text(element: etree._Element) -> str:
    """The plain text of a response label's material (HTML tags removed)."""
    from packager.xml.html_fragment import fragment

    markup = material_html(element)
    if not markup.strip():
        return ""
    try:
        return squash(fragment(markup).text_content())
    except Exception:  # lxml raises several types for broken markup; the text is what counts
        return squash(markup)


# --- response processing ------------------------------------------------------------------


@dataclass(frozen=True)
class Test:
    """One comparison of a conditionvar."""

    op: str  # varequal, vargte, varlte, vargt, varlt, varsubstring
    respident: str
    value: str
    negated: bool
    case: bool  # case="Yes"


@dataclass
class Condition:
    """A respcondition: its comparisons, its structure, whether it raises SCORE, what it shows."""

    element: etree._Element
    tests: list[Test] = field(default_factory=list)
    scores: bool = False
    score: float | None = None
    adds: bool = False  # its score is added to others' (`setvar action="Add"`): a share
    # Brightspace's D2L_Correct: a count of the right rows or items, whose worth its
    # grading type decides, not a share of the score.
    counts: bool = False
    feedback: list[str] = field(default_factory=list)
    other: bool = False  # <other/>: holds whatever was answered
    # The score of the best answer, where this one sets less (`partial_answers`): no key.
    below: float | None = None
    penalty: float | None = None  # a score below 0 it sets or adds (a wrong pick costs marks)


_OPS = frozenset({"varequal", "vargte", "varlte", "vargt", "varlt", "varsubstring"})


def _tests(element: etree._Element, negated: bool, out: list[Test]) -> None:
    for child in element:
        name = local(child)
        if name == "not":
            _tests(child, not negated, out)
        elif name in ("and", "or"):
            _tests(child, negated, out)
        elif name in _OPS:
            out.append(Test(name, child.get("respident") or "", (child.text or "").strip(),
                            negated, (child.get("case") or "").lower() == "yes"))


def _score(setvar: etree._Element) -> float | None:
    value = (setvar.text or "").strip()
    if value.upper().endswith(".MAX"):
        return 100.0
    try:
        return float(value)
    except ValueError:
        return None


def conditions(item: etree._Element) -> list[Condition]:
    found: list[Condition] = []
    for processing in kids(item, "resprocessing"):
        for element in kids(processing, "respcondition"):
            condition = Condition(element)
            var = kid(element, "conditionvar")
            if var is not None:
                _tests(var, False, condition.tests)
                condition.other = any(local(n) == "other" for n in var.iter())
            for setvar in kids(element, "setvar"):
                score = _score(setvar)
                action = (setvar.get("action") or "Set").lower()
                # Brightspace counts a multi-select's wrong picks up in D2L_Incorrect.
                varname = (setvar.get("varname") or "").lower()
                if (score is not None and score < 0 and action in ("set", "add")
                        and varname != "d2l_incorrect"):
                    condition.penalty = score
                elif score is not None and score > 0 and action == "subtract":
                    condition.penalty = -score  # QTI 1.2's setvar action Subtract
                if (score is not None and score > 0 and action in ("set", "add")
                        and varname != "d2l_incorrect"):
                    condition.scores = True
                    condition.score = score
                    condition.adds = action == "add"
                    condition.counts = varname == "d2l_correct"
            condition.feedback = [
                d.get("linkrefid") or "" for d in kids(element, "displayfeedback")
            ]
            found.append(condition)
    _partial_answers(found)
    return found


def _partial_answers(found: list[Condition]) -> None:
    """Conditions that set SCORE below what another sets, where none adds to another or
    counts (`Set 100` for Mercury, `Set 50` for Venus): an answer worth part of the points,
    which a bank's question cannot give. They score nothing (`below` keeps the best score,
    for the note), so Venus is not made a second right answer."""
    setting = [c for c in found if c.scores and c.score is not None]
    if not setting or any(c.adds or c.counts for c in setting):
        return
    best = max(c.score for c in setting if c.score is not None)
    for condition in setting:
        if condition.score is not None and condition.score < best:
            condition.scores, condition.below = False, best


def correct_values(found: list[Condition]) -> list[str]:
    """Values that scoring conditions compare equal (outside a `not`), in document order."""
    return list(dict.fromkeys(test.value for test in scored_equals(found)))


def correct_values_by_response(found: list[Condition]) -> dict[str, list[str]]:
    """correct_values of each response, in one pass: asked response by response, an item of
    n responses and n conditions took time n squared."""
    values: dict[str, dict[str, None]] = {}
    for test in scored_equals(found):
        values.setdefault(test.respident, {})[test.value] = None
    return {respident: list(kept) for respident, kept in values.items()}


def scored_equals(found: list[Condition]) -> Iterator[Test]:
    """The `varequal` tests of the scoring conditions, outside a `not`, in document order."""
    for condition in found:
        if condition.scores:
            for test in condition.tests:
                if test.op == "varequal" and not test.negated:
                    yield test


def feedback_html(item: etree._Element) -> dict[str, str]:
    """itemfeedback ident → its HTML (the first of each ident), empty ones left out."""
    out: dict[str, str] = {}
    for element in kids(item, "itemfeedback"):
        ident = element.get("ident") or ""
        html = material_html(element)
        if ident and html.strip() and ident not in out:
            out[ident] = html
    return out
