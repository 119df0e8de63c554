"""The Canvas rules for a Canvas-flavour QTI 1.2 package, from any tool: bytes in, messages out.

Canvas imports with a recovering parser and silently drops what it does not understand, so
an XSD-valid package can still lose scoring or feedback. `canvas_problems` checks what
Canvas's importer relies on (issue 3):
- the manifest: an `imsqti_xmlv1p2` resource whose file is `<id>/<id>.xml`, depending on the
  `associatedcontent/imscc_xmlv1p1/learning-application-resource` holding
  `<id>/assessment_meta.xml`; the same `<id>` as the assessment ident and the quiz identifier;
  every file the manifest or a `$IMS-CC-FILEBASE$/…` reference names is in the package;
- per item: `question_type` (a Canvas name) and a numeric `points_possible`; response idents
  that start with a letter (Canvas's own all-digit answer ids are accepted) and contain none
  of `correct`, `incorrect`, `wrong`, `general_`, `_all`, `.`, `:`; true/false answers
  exactly "True" and "False"; each blank's `[name]` once in the question text (references
  decoded, as Canvas's import stores them); `resprocessing` order (general feedback first with `<other/>`
  and continue="Yes", per-answer feedback before scoring, `general_incorrect_fb` after it);
  a positive SCORE in every auto-scored item; every displayed feedback defined; feedback and
  answer HTML wrapped in one `<p>` or `<div>`.
Every message starts with the file and, where there is one, the item ident. Pure: no I/O.

`packager check` parses the assessment. An export runs `item_report` on each item where it is
built (packages/assemble.py, in the workers) and checks the assessment from those reports and
the shell it built, without parsing what it wrote: the same rules, the same messages. Choice
items are copies of a few templates (xml/templates.py): their rules are worked out once per
template, and each copy's strings are checked for what the rules read them for (_ShapeRules).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from html import unescape
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from lxml import etree

from packager.archive import ZipEntries
from packager.mathml import ELEMENTS
from packager.writers.qti12_idents import BRACKETED, forbidden_word
from packager.xml import ns, templates
from packager.xml.html_fragment import fragment, plain_parser

if TYPE_CHECKING:
    from packager.packages.base import ChildReports

QTI_RESOURCE = "imsqti_xmlv1p2"
META_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
CANVAS_QUESTION_TYPES = frozenset(
    {
        "multiple_choice_question",
        "true_false_question",
        "multiple_answers_question",
        "short_answer_question",
        "fill_in_multiple_blanks_question",
        "multiple_dropdowns_question",
        "matching_question",
        "numerical_question",
        "calculated_question",
        "essay_question",
        "file_upload_question",
        "text_only_question",
    }
)
UNSCORED_TYPES = frozenset({"essay_question", "file_upload_question", "text_only_question"})

_FILEBASE_MARK = "$IMS-CC-FILEBASE$/"
_FILEBASE = re.compile(re.escape(_FILEBASE_MARK) + r"([^\"'?#\s<>)]+)")


_PARSER_OPTIONS: dict[str, Any] = {"no_network": True, "resolve_entities": False, "load_dtd": False}
_NOT_ONE_BLOCK = "is not wrapped in one <p> or <div> (Canvas keeps only the first block)"


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))


def _kids(element: Any) -> dict[str, list[Any]]:
    """An element's child elements by local name, in order: one pass where the rules ask an
    element for several kinds of children (an item, a condition, a metadata field)."""
    kids: dict[str, list[Any]] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str):  # not a comment or processing instruction
            kids.setdefault(tag[tag.rfind("}") + 1 :], []).append(child)
    return kids


# "{*}name" matches the name in any namespace (or none), selected by libxml2 rather than by
# Python code per element: the rules run on every export, items of 10,000 questions included.
def _children(element: Any, local: str) -> list[Any]:
    return list(element.iterchildren(f"{{*}}{local}"))


def _descendants(element: Any, local: str) -> list[Any]:
    return list(element.iter(f"{{*}}{local}"))


def ident_problem(ident: str) -> str | None:
    """Why Canvas would misread a response ident; all-digit ids (Canvas's own) are fine."""
    if not ident:
        return "is empty"
    if not ident[0].isalpha() and not ident.isdigit():
        return "does not start with a letter"
    bad = forbidden_word(ident)
    return f"contains {bad!r}" if bad else None


# Tags inside which libxml2's HTML parser neither closes a <p> or <div> opened around them
# nor starts a block beside it: phrasing elements, and (inside a <div>) the blocks the writers
# wrap in one; and MathML's, whose names it does not know, so they close nothing.
_PHRASING = frozenset([
    "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "dfn", "em", "i", "img", "kbd",
    "q", "samp", "small", "span", "strong", "sub", "sup", "tt", "var", *ELEMENTS,
])
_IN_A_DIV = _PHRASING | frozenset([
    "blockquote", "dd", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
])
_FEW_TAGS = 200  # more may nest deeper than libxml2 builds (fragment refuses that): parsed
_TAG_NAME = re.compile(r"</?([^\s/>]*)")


def _one_plain_block(text: str) -> bool:
    """Whether `text` is one <p> or <div> that the HTML parser reads as one block with
    nothing beside it, told from its tags alone: every `<` in it opens or closes an element
    that closes neither (so no parse is needed for what the writers write: block_problem
    runs on every answer and feedback of an export)."""
    if text.startswith("<p>") and text.endswith("</p>"):
        inner, allowed = text[3:-4], _PHRASING
    elif text.startswith("<div>") and text.endswith("</div>"):
        inner, allowed = text[5:-6], _IN_A_DIV
    else:
        return False
    if "<" not in inner:
        return True  # one block of text: what nearly every answer is
    if inner.count("<") > _FEW_TAGS:
        return False
    return allowed.issuperset(_TAG_NAME.findall(inner))


def block_problem(html_text: str) -> str | None:
    """Why Canvas would keep only part of this HTML (it keeps the first <p>/<div>), or None."""
    text = html_text.strip()
    if not text:
        return "is empty"
    if _one_plain_block(text):
        return None
    return parsed_block_problem(text)


def parsed_block_problem(text: str) -> str | None:
    """block_problem of stripped, non-empty HTML, from the HTML parser's tree of it."""
    try:  # plain elements: lxml.html's look up a Python class for every element
        wrapper = fragment(text, plain_parser())
    except etree.ParserError:
        return "is not HTML"
    blocks = [c for c in wrapper if isinstance(c.tag, str)]
    if (wrapper.text or "").strip() or any((c.tail or "").strip() for c in blocks):
        return "has text outside a <p> or <div>"
    if len(blocks) != 1 or blocks[0].tag not in ("p", "div"):
        return _NOT_ONE_BLOCK
    return None


# --- the manifest --------------------------------------------------------------------------


def _manifest_problems(files: Mapping[str, bytes]) -> tuple[list[str], list[tuple[str, str]]]:
    """Problems of imsmanifest.xml, and the (assessment path, ident) pairs it declares."""
    name = "imsmanifest.xml"
    if name not in files:
        return [f"{name}: missing from the package"], []
    try:
        root = _parse(files[name])
    except etree.XMLSyntaxError as exc:
        return [f"{name}: not well-formed XML: {exc}"], []
    problems: list[str] = []
    if root.tag != f"{{{ns.CC11_CP}}}manifest":
        problems.append(f"{name}: root is {root.tag}, expected manifest in {ns.CC11_CP}")
    resources = {r.get("identifier", ""): r for r in _descendants(root, "resource")}
    for resource in resources.values():
        for href in [resource.get("href")] + [f.get("href") for f in _children(resource, "file")]:
            if href and unquote(href) not in files and href not in files:
                problems.append(
                    f"{name}: resource {resource.get('identifier')!r} names {href!r}, "
                    "which is not in the package"
                )
        for dep in _children(resource, "dependency"):
            if dep.get("identifierref") not in resources:
                problems.append(
                    f"{name}: resource {resource.get('identifier')!r} depends on "
                    f"{dep.get('identifierref')!r}, which is not a resource"
                )
    assessments: list[tuple[str, str]] = []
    qti = [r for r in resources.values() if r.get("type") == QTI_RESOURCE]
    if not qti:
        problems.append(f"{name}: no resource of type {QTI_RESOURCE}")
    for resource in qti:
        ident = resource.get("identifier", "")
        expected = f"{ident}/{ident}.xml"
        hrefs = [f.get("href") for f in _children(resource, "file")]
        if expected not in hrefs:
            problems.append(
                f"{name}: {QTI_RESOURCE} resource {ident!r} must list the file {expected!r} "
                f"(found {', '.join(map(repr, hrefs)) or 'none'})"
            )
        assessments.append((expected, ident))
        metas = [
            resources[d.get("identifierref")]
            for d in _children(resource, "dependency")
            if d.get("identifierref") in resources
            and resources[d.get("identifierref")].get("type") == META_RESOURCE
        ]
        meta_path = f"{ident}/assessment_meta.xml"
        if not metas:
            problems.append(
                f"{name}: {QTI_RESOURCE} resource {ident!r} has no dependency on a "
                f"{META_RESOURCE} resource"
            )
        for meta in metas:
            meta_hrefs = [meta.get("href")] + [f.get("href") for f in _children(meta, "file")]
            if meta_path not in meta_hrefs:
                problems.append(
                    f"{name}: resource {meta.get('identifier')!r} must hold {meta_path!r}"
                )
        problems.extend(_meta_problems(files, meta_path, ident))
    return problems, assessments


def _meta_problems(files: Mapping[str, bytes], path: str, ident: str) -> list[str]:
    if path not in files:
        return [f"{path}: missing (Canvas reads the quiz settings from it)"]
    try:
        root = _parse(files[path])
    except etree.XMLSyntaxError as exc:
        return [f"{path}: not well-formed XML: {exc}"]
    problems: list[str] = []
    if root.tag != f"{{{ns.CANVAS}}}quiz":
        problems.append(f"{path}: root is {root.tag}, expected quiz in {ns.CANVAS}")
    if root.get("identifier") != ident:
        problems.append(
            f"{path}: quiz identifier {root.get('identifier')!r} differs from the "
            f"assessment's {ident!r}"
        )
    if not _children(root, "title"):
        problems.append(f"{path}: no <title>")
    return problems


# --- the assessment ------------------------------------------------------------------------


def _fields(metadata_blocks: list[Any]) -> dict[str, str]:
    """Each qtimetadatafield's first fieldlabel and first fieldentry child: one filtered
    pass over its children (two find() calls went through ElementPath each time)."""
    fields: dict[str, str] = {}
    for metadata in metadata_blocks:
        for field in metadata.iter("{*}qtimetadatafield"):
            label = entry = None
            for child in field.iterchildren("{*}fieldlabel", "{*}fieldentry"):
                if child.tag.endswith("fieldlabel"):
                    label = child if label is None else label
                elif entry is None:
                    entry = child
            if label is not None and entry is not None:
                fields[(label.text or "").strip()] = (entry.text or "").strip()
    return fields


def _html_of(material_parent: Any) -> list[str]:
    return [
        m.text or ""
        for m in material_parent.iter("{*}mattext")
        if (m.get("texttype") or "").lower() == "text/html"
    ]


def _condition_kind(kids: dict[str, list[Any]]) -> str:
    """What a respcondition (given as its children by name) does, for the order rules."""
    links = [d.get("linkrefid", "") for d in kids.get("displayfeedback", ())]
    if any((s.get("varname") or "SCORE") == "SCORE" for s in kids.get("setvar", ())):
        return "scoring"
    if "general_fb" in links:
        return "general"
    if "general_incorrect_fb" in links:
        return "incorrect"
    if "correct_fb" in links:
        return "correct"
    if any(link.endswith("_fb") for link in links):
        return "answer"
    return "other"


def _score_value(setvar: Any) -> float:
    try:
        return float((setvar.text or "").strip())
    except ValueError:
        return 0.0


def _item_problems(path: str, item: Any) -> list[str]:
    where = f"{path}: item {item.get('ident')!r}"
    problems: list[str] = []
    kids = _kids(item)
    fields = _fields(kids.get("itemmetadata", []))
    qtype = fields.get("question_type")
    if qtype is None:
        problems.append(f"{where}: no question_type in itemmetadata (Canvas guesses the type)")
    elif qtype not in CANVAS_QUESTION_TYPES:
        problems.append(f"{where}: question_type {qtype!r} is not a Canvas question type")
    raw_points = fields.get("points_possible")
    if raw_points is None:
        problems.append(f"{where}: no points_possible in itemmetadata (Canvas would use 1)")
    else:
        try:
            float(raw_points)
        except ValueError:
            problems.append(f"{where}: points_possible {raw_points!r} is not a number")

    responses = list(item.iter("{*}response_lid", "{*}response_str"))
    lids = [r for r in responses if r.tag.endswith("response_lid")]
    for response in lids + [r for r in responses if not r.tag.endswith("response_lid")]:
        why = ident_problem(response.get("ident", ""))
        if why:
            problems.append(f"{where}: response ident {response.get('ident')!r} {why}")
    labels = [label for lid in lids for label in lid.iter("{*}response_label")]
    for label in labels:
        why = ident_problem(label.get("ident", ""))
        if why:
            problems.append(f"{where}: answer ident {label.get('ident')!r} {why}")
        for text in _html_of(label):
            why = block_problem(text)
            if why:
                problems.append(f"{where}: answer {label.get('ident')!r} HTML {why}")
    if qtype in _BLANKS_TYPES:
        problems.extend(_blank_problems(where, kids, lids))
    if qtype == "true_false_question":
        texts = sorted(
            "".join(m.itertext()).strip() for label in labels for m in label.iter("{*}mattext")
        )
        if texts != ["False", "True"]:
            problems.append(
                f"{where}: a true/false question needs exactly two answers 'True' and 'False' "
                f"(found {texts}); Canvas would import it as multiple choice"
            )

    feedbacks = kids.get("itemfeedback", [])
    feedback_idents = {f.get("ident", "") for f in feedbacks}
    for feedback in feedbacks:
        for text in _html_of(feedback):
            why = block_problem(text)
            if why:
                problems.append(f"{where}: feedback {feedback.get('ident')!r} HTML {why}")

    conditions = [
        c for rp in kids.get("resprocessing", ()) for c in rp.iterchildren("{*}respcondition")
    ]
    parts = [_kids(c) for c in conditions]
    for condition in parts:
        for display in condition.get("displayfeedback", ()):
            link = display.get("linkrefid", "")
            if link not in feedback_idents:
                problems.append(f"{where}: displayfeedback {link!r} has no itemfeedback")
    problems.extend(_order_problems(where, conditions, parts))
    if qtype not in UNSCORED_TYPES:
        scores = [
            _score_value(s)
            for condition in parts
            for s in condition.get("setvar", ())
            if (s.get("varname") or "SCORE") == "SCORE"
            and (s.get("action") or "Set") in ("Set", "Add")
        ]
        if not any(v > 0 for v in scores):
            problems.append(
                f"{where}: no condition sets a positive SCORE; Canvas rejects it "
                '("couldn\'t determine the correct answers")'
            )
    return problems


_BLANKS_TYPES = frozenset({"fill_in_multiple_blanks_question", "multiple_dropdowns_question"})


def _blank_problems(where: str, kids: dict[str, list[Any]], lids: list[Any]) -> list[str]:
    """Canvas shows a blank's box where `[name]` first stands in the question's HTML (quiz.rb:
    `text.sub`), its import having written every character reference as the character."""
    question = "\n".join(
        unescape(text) for presentation in kids.get("presentation", ())
        for material in presentation.iterchildren("{*}material") for text in _html_of(material))
    problems = []
    counted = Counter(BRACKETED.findall(question))  # once, not a search per blank
    for lid in lids:
        name = lid.get("ident", "").removeprefix("response_")
        found = counted[name]
        if found == 0:
            problems.append(f"{where}: blank {name!r} has no [{name}] in the question text "
                            "(Canvas shows no box for it)")
        elif found > 1:
            problems.append(f"{where}: [{name}] stands {found} times in the question text "
                            "(Canvas puts the blank's box at the first)")
    return problems


def _order_problems(
    where: str, conditions: list[Any], parts: list[dict[str, list[Any]]]
) -> list[str]:
    problems: list[str] = []
    kinds = [_condition_kind(p) for p in parts]
    for index, (kind, condition) in enumerate(zip(kinds, conditions, strict=True)):
        if kind == "general":
            if index != 0:
                problems.append(
                    f"{where}: the general_fb condition must come first in resprocessing"
                )
            if condition.get("continue") != "Yes":
                problems.append(f'{where}: the general_fb condition needs continue="Yes"')
            if not _descendants(condition, "other"):
                problems.append(f"{where}: the general_fb condition must test <other/>")
        if kind == "answer" and condition.get("continue") != "Yes":
            problems.append(
                f'{where}: answer-feedback condition #{index + 1} needs continue="Yes" '
                "(otherwise scoring never runs)"
            )
    scoring = [i for i, k in enumerate(kinds) if k == "scoring"]
    if scoring:
        first, last = scoring[0], scoring[-1]
        for i, kind in enumerate(kinds):
            if kind == "answer" and i > first:
                problems.append(
                    f"{where}: answer-feedback condition #{i + 1} comes after the scoring condition"
                )
            if kind == "incorrect" and i < last:
                problems.append(
                    f"{where}: the general_incorrect_fb condition comes before the scoring "
                    "condition"
                )
    return problems


class ItemReport(NamedTuple):
    """What the rules found in one item where it was built; sent back from a worker."""

    ident: str
    problems: list[str]  # _item_problems, in their order
    references: list[str]  # its $IMS-CC-FILEBASE$ references, in document order
    # False when the built child is not an item or holds another: a parse of the document
    # checks items one by one, in the order they end, which only the parse then gives.
    alone: bool


def item_report(path: str, item: Any, made: templates.Filled | None = None) -> ItemReport:
    """The Canvas rules of one item of `path` (the QTI 1.2 writer's StreamedXml.check): on
    its tree, or from its shape and strings when it is a template's copy (`_ShapeRules`) or
    a template's working copy filled in place (`made`: how)."""
    if made is None:
        made = templates.filled(item)
    if made is not None:
        if made.shape not in _SHAPE_RULES:
            _SHAPE_RULES[made.shape] = _ShapeRules.of(made)
        rules = _SHAPE_RULES[made.shape]
        report = None if rules is None else rules.report(made.strings)
        if report is not None:
            return report
    return _tree_report(path, item)


def _tree_report(path: str, item: Any) -> ItemReport:
    references: list[str] = []
    items = 0  # the item itself and any it holds: one walk finds them and the references
    for element in item.iter("{*}mattext", "{*}item"):
        if element.tag.endswith("mattext"):
            text = element.text or ""
            if _FILEBASE_MARK in text:  # a substring test first: most texts name no file
                references.extend(_FILEBASE.findall(text))
        else:
            items += 1
    alone = etree.QName(item).localname == "item" and items == 1
    return ItemReport(item.get("ident", ""), _item_problems(path, item), references, alone)


# --- the rules of a template's copies, worked out once per shape ------------------------------


def _link_kind(link: str) -> str:
    """What a displayfeedback's linkrefid makes of its condition (see _condition_kind)."""
    if link in ("general_fb", "general_incorrect_fb", "correct_fb"):
        return link
    return "answer" if link.endswith("_fb") else "other"


def _points_read(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def _one_block(text: str) -> bool:
    return block_problem(text) is None


def _letters(ident: str) -> bool:
    return ident_problem(ident) is None


class _ShapeRules(NamedTuple):
    """The Canvas rules of every copy of one template (xml/templates.py), from its strings.

    The rules found nothing in the template's own tree (the first item of the shape), and a
    copy differs from it only in the strings at the slots. So a copy breaks no rule either
    when each of its strings passes the test of what the rules read it for: a response
    label's ident `ident_problem`, the HTML of an answer or feedback `block_problem`, points
    `float`, a feedback link the kind of condition it makes (and it is the ident of an
    itemfeedback of the same slot); strings the rules never read (a title, a varequal, the
    question's HTML outside blanks) need nothing; any other string must be the template's
    own. A string that fails its test sends the item to `_tree_report`, which gives the
    messages. The references are read from the strings."""

    ident: int | str  # the item ident's slot, or the ident itself
    tests: tuple[tuple[int, Callable[[str], bool]], ...]  # per slot: what its string must pass
    mattexts: tuple[int | tuple[str, ...], ...]  # in document order: a slot, or its references

    @classmethod
    def of(cls, made: templates.Filled) -> _ShapeRules | None:
        """The rules of `made`'s shape; None when they must run on every copy's tree."""
        shape = made.shape
        report = _tree_report("", shape)
        if report.problems or not report.alone:
            return None
        elements = list(shape.iter())
        at = {id(element): position for position, element in enumerate(elements)}
        slots = {(position, attribute): number for position, attribute, number in made.slots}
        qtype = _fields(_children(shape, "itemmetadata")).get("question_type")
        tests: list[tuple[int, Callable[[str], bool]]] = []
        # The feedback idents (the item's itemfeedback children) held by a slot, and every
        # link with the slot it is in (None: a constant).
        feedback_slots = {slots[at[id(f)], "ident"] for f in _children(shape, "itemfeedback")
                          if (at[id(f)], "ident") in slots}
        links = [(d.get("linkrefid"), slots.get((at[id(d)], "linkrefid")))
                 for d in shape.iter("{*}displayfeedback")]
        ident: int | str = shape.get("ident", "")
        for (position, attribute), number in slots.items():
            element = elements[position]
            first = made.first[number] or ""
            links_here = _Links(number in feedback_slots,
                                any(link == first and n != number for link, n in links))
            test = _slot_test(element, attribute, qtype, first, links_here)
            if test is _UNREAD:
                if position == 0 and attribute == "ident":
                    ident = number
                continue
            tests.append((number, test))
        mattexts = tuple(
            slots.get((at[id(m)], None), tuple(_FILEBASE.findall(m.text or "")))
            for m in shape.iter("{*}mattext")
        )
        return cls(ident, tuple(tests), mattexts)

    def report(self, strings: Sequence[str]) -> ItemReport | None:
        """The copy's report; None when one of its strings must be checked on the tree."""
        for number, test in self.tests:
            if not test(strings[number]):
                return None
        references: list[str] = []
        for mattext in self.mattexts:
            if isinstance(mattext, int):
                text = strings[mattext]
                if _FILEBASE_MARK in text:
                    references.extend(_FILEBASE.findall(text))
            else:
                references.extend(mattext)
        ident = self.ident if isinstance(self.ident, str) else strings[self.ident]
        return ItemReport(ident, [], references, True)


def _unread(text: str) -> bool:
    return True


_UNREAD: Callable[[str], bool] = _unread


class _Links(NamedTuple):
    """How a slot's string stands to the item's feedback links."""

    feedback: bool  # the slot also holds the ident of one of the item's itemfeedback
    linked: bool  # a link holds the first string and is not this slot (a constant or another)


def _slot_test(
    element: Any, attribute: str | None, qtype: str | None, first: str, links: _Links
) -> Callable[[str], bool]:
    """What the string at this slot must pass so that the rules find what they found with
    `first` there (see _ShapeRules); the rules' reads of it, one by one."""
    tag = etree.QName(element).localname
    above = {etree.QName(a).localname for a in element.iterancestors()}
    if element.getparent() is None and attribute == "title":
        return _UNREAD
    if element.getparent() is None and attribute == "ident":
        return _UNREAD  # the report's ident
    if tag == "response_label" and attribute == "ident":
        return _letters
    if tag == "varequal" and attribute is None:
        return _UNREAD
    if tag == "itemfeedback" and attribute == "ident" and not links.linked:
        return _UNREAD  # read only for the links, which are this slot's string (below)
    if tag == "displayfeedback" and attribute == "linkrefid" and links.feedback:
        kind = _link_kind(first)
        return lambda link: _link_kind(link) == kind
    if tag == "fieldentry" and attribute is None:
        # its field's label: the first (_fields), a constant or a slot held to the template's
        field = element.getparent()
        label = None if field is None else next(field.iterchildren("{*}fieldlabel"), None)
        if label is not None:
            name = (label.text or "").strip()
            if name == "points_possible":
                return _points_read
            if name != "question_type":
                return _UNREAD
    if tag == "mattext" and attribute is None:
        if qtype == "true_false_question" and "response_label" in above:
            pass  # the answers' texts
        elif qtype in _BLANKS_TYPES and "presentation" in above:
            pass  # the question's text, where the blanks stand
        elif (element.get("texttype") or "").lower() != "text/html":
            return _UNREAD
        elif "response_label" in above or "itemfeedback" in above:
            return _one_block
        else:
            return _UNREAD
    return first.__eq__


# Per template (its shape's tree): its rules, or None where they run on every copy's tree.
_SHAPE_RULES: dict[Any, _ShapeRules | None] = {}


def _assessment_problems(
    files: Mapping[str, bytes], path: str, ident: str, built: ChildReports | None = None
) -> list[str]:
    if path not in files:
        return []  # reported with the manifest
    if built is not None:
        found = _reported(built)
        if found is not None:
            return _document_problems(files, path, ident, built.root, *found)
    # Parsed as a stream (unzipped as it is read): each item is checked when it ends and then
    # emptied, so a document of 10,000 items never exists whole, as bytes or as a tree.
    items: list[tuple[str, list[str]]] = []  # (ident, problems) of each item, in order
    references: list[str] = []  # $IMS-CC-FILEBASE$ references, in document order
    stream = files.stream(path) if isinstance(files, ZipEntries) else io.BytesIO(files[path])
    with stream:
        events = etree.iterparse(
            stream, events=("end",), tag=("{*}item", "{*}mattext"), **_PARSER_OPTIONS
        )
        try:
            for _, element in events:
                if not element.tag.endswith("item"):
                    references.extend(_FILEBASE.findall(element.text or ""))
                    continue
                items.append((element.get("ident", ""), _item_problems(path, element)))
                if next(element.iterancestors("{*}item"), None) is None:  # no item holds it
                    element.clear(keep_tail=True)
            root = events.root
        except etree.XMLSyntaxError as exc:
            return [f"{path}: not well-formed XML: {exc}"]
    return _document_problems(files, path, ident, root, items, references)


def _reported(
    built: ChildReports,
) -> tuple[list[tuple[str, list[str]]], list[str]] | None:
    """The items and references a parse would find, from the shell and the item reports;
    None when the shell holds items or HTML of its own, or a child is not one lone item:
    then only a parse gives their order."""
    runs = {m.text: r for m, r in zip(built.markers, built.reports, strict=True)}
    items: list[tuple[str, list[str]]] = []
    references: list[str] = []
    placed = 0
    for element in built.root.iter(etree.Comment, "{*}item", "{*}mattext"):
        if isinstance(element.tag, str):
            return None
        reports: list[ItemReport] | None = runs.get(element.text)
        if reports is None:
            continue  # a comment of the document itself
        if not all(r.alone for r in reports):
            return None
        placed += 1
        items.extend((r.ident, r.problems) for r in reports)
        references.extend(ref for r in reports for ref in r.references)
    return (items, references) if placed == len(runs) else None


def _document_problems(
    files: Mapping[str, bytes],
    path: str,
    ident: str,
    root: Any,
    items: Sequence[tuple[str, list[str]]],
    references: Sequence[str],
) -> list[str]:
    """The rules of the whole assessment, on its tree without the items' content (`root`),
    the (ident, problems) of every item and the $IMS-CC-FILEBASE$ references, in order."""
    problems: list[str] = []
    tests = _descendants(root, "assessment")
    if len(tests) != 1:
        problems.append(f"{path}: expected one <assessment>, found {len(tests)}")
    for test in tests:
        if test.get("ident") != ident:
            problems.append(
                f"{path}: assessment ident {test.get('ident')!r} differs from the manifest "
                f"resource {ident!r}"
            )
    if not items:
        problems.append(f"{path}: no items")
    seen: set[str] = set()
    for item_ident, item_problems in items:
        if item_ident in seen:
            problems.append(f"{path}: item {item_ident!r} appears twice")
        seen.add(item_ident)
        problems.extend(item_problems)
    for section in _descendants(root, "section"):
        numbers = _descendants(section, "selection_number")
        if numbers and not _descendants(section, "points_per_item"):
            problems.append(
                f"{path}: question group {section.get('ident')!r} has selection_number but no "
                "points_per_item"
            )
    for ref in references:
        target = str(PurePosixPath(unquote(ref)))
        # Full course cartridges resolve the token to web_resources/; QTI zips to the root.
        if target not in files and f"web_resources/{target}" not in files:
            problems.append(
                f"{path}: $IMS-CC-FILEBASE$/{ref} names a file that is not in the package"
            )
    return problems


def canvas_problems(
    files: Mapping[str, bytes], built: Mapping[str, ChildReports] | None = None
) -> list[str]:
    """Every Canvas-rule problem of a package (zip entry name → bytes); [] when it is clean.

    `built`: what `item_report` said of the items of documents just built (by path); those
    are checked from the reports and their shell instead of their bytes."""
    problems, assessments = _manifest_problems(files)
    for path, ident in assessments:
        problems.extend(_assessment_problems(files, path, ident, (built or {}).get(path)))
    return list(dict.fromkeys(problems))
