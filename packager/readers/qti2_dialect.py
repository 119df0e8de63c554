"""QTI 2.1 and QTI 3.0 as the importers read them: one vocabulary, two spellings.

QTI 3.0 renames QTI 2.1's elements and attributes (`choiceInteraction` → `qti-choice-
interaction`, `responseIdentifier` → `response-identifier`) and keeps XHTML under its own
names in the same namespace. The importers are written once, in QTI 2.1 names; a `Dialect`
says how the version at hand spells them and which namespaces and manifest resource types
belong to it. QTI 2.2 is read as 2.1: it only adds elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from packager.readers.xpaths import ElementPaths

# MathML's namespace, and the one some tools write instead (instructure/qti's items, among
# others): the same elements, read the same way.
MATHML_NAMESPACES = frozenset({"http://www.w3.org/1998/Math/MathML",
                               "http://www.w3.org/2010/Math/MathML"})

# XHTML elements a QTI 2.1/2.2 body may hold (in the QTI namespace, lower case). Everything
# else in the namespace of a QTI 2.x body is a QTI element, but for HTML the standard does not
# list (`font`, `center`, `mark`, as editors and converters write them): a QTI element's name
# has a capital letter or is one of _QTI_LOWER, and such HTML is read as HTML, which keeps
# its text (it was dropped with it, where the QTI 3.0 and Moodle readers kept it).
_XHTML_21 = frozenset(
    ["a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "label", "li", "nav", "object", "ol", "p", "param", "pre", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "track", "tt", "u", "ul", "var", "video"]
)


# QTI 2.1's and 2.2's element names in lower case only (their XSDs' element declarations).
_QTI_LOWER = frozenset(
    ["and", "contains", "correct", "default", "delete", "divide", "equal", "gap", "gcd", "gt", "gte", "hottext", "index", "inside", "lcm", "lt", "lte", "mapping", "match", "max", "member", "min", "multiple", "not", "null", "or", "ordered", "ordering", "power", "product", "prompt", "random", "repeat", "round", "selection", "stylesheet", "substring", "subtract", "sum", "truncate", "value", "variable", "weight"]
)


@lru_cache(maxsize=512)
def _from_qti3(name: str) -> str:
    """qti-choice-interaction → choiceInteraction."""
    head, *rest = name.removeprefix("qti-").split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@lru_cache(maxsize=512)
def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class Unreadable(Exception):
    """The item has no canonical question: it is left out (the message says why)."""


def local(element: etree._Element) -> str:
    """The local name of an element (empty for comments and processing instructions)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def line(element: etree._Element) -> int | None:
    value = element.sourceline
    return value if isinstance(value, int) else None


def all_text(element: etree._Element) -> str:
    """The text of an element and its descendants (not its tail)."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def collapse(text: str | None) -> str:
    """XML white space runs as one space, trimmed (a no-break space is text, not layout)."""
    return re.sub(r"[ \t\r\n]+", " ", text or "").strip()


def namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


@dataclass(frozen=True)
class Dialect:
    label: str  # "QTI 2.1", in messages
    namespaces: frozenset[str]
    item_types: frozenset[str]  # manifest resource types
    test_types: frozenset[str]
    v3: bool  # QTI 3 spelling
    # QTI 2.2 puts its HTML5 elements (figure, figcaption, ruby, rb, rt, rp, bdi, audio,
    # video …) in a namespace of their own (`qh5:`, imsqtiv2p2_html5_v1p0.xsd): XHTML too.
    html5_namespaces: frozenset[str] = frozenset()
    # Tag → its `name`: the readers ask for the names of a 10,000-item package's elements a
    # million times, and a package uses a few dozen tags.
    _names: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def name(self, element: etree._Element) -> str | None:
        """The QTI 2.1 name of a QTI element (None for anything else: XHTML, MathML …)."""
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return None
        try:
            return self._names[tag]
        except KeyError:
            found = self._names[tag] = self._name_of(element)
            return found

    def _name_of(self, element: etree._Element) -> str | None:
        if namespace(element) not in self.namespaces:
            return None
        name = local(element)
        if self.v3:
            return _from_qti3(name) if name.startswith("qti-") else None
        html = name in _XHTML_21 or (name.islower() and name not in _QTI_LOWER)
        return None if html else name

    def is_xhtml(self, element: etree._Element) -> bool:
        where = namespace(element)
        if where in self.html5_namespaces:
            return local(element) in _XHTML_21
        return where in self.namespaces and self.name(element) is None

    def get(self, element: etree._Element, attribute: str) -> str | None:
        """An attribute by its QTI 2.1 name."""
        return element.get(_kebab(attribute) if self.v3 else attribute)

    def children(self, element: etree._Element, name: str) -> list[etree._Element]:
        return [child for child in element if self.name(child) == name]

    def first(self, element: etree._Element, name: str) -> etree._Element | None:
        return next((child for child in element if self.name(child) == name), None)

    def descendants(self, element: etree._Element, name: str) -> Iterator[etree._Element]:
        return (e for e in element.iterdescendants() if self.name(e) == name)

    def text(self, element: etree._Element | None) -> str:
        """An element's whole text, white space collapsed."""
        if element is None:
            return ""
        return collapse(all_text(element))


# QTI 2.0 items (IMS's 2005 examples, older tools' exports) are read as 2.1, which kept
# their item model: IMS's 2.0 examples read as their 2.1 twins do.
QTI21 = Dialect(
    label="QTI 2.1",
    namespaces=frozenset({
        "http://www.imsglobal.org/xsd/imsqti_v2p0",
        "http://www.imsglobal.org/xsd/imsqti_v2p1",
        "http://www.imsglobal.org/xsd/imsqti_v2p2",
    }),
    item_types=frozenset({"imsqti_item_xmlv2p0", "imsqti_item_xmlv2p1",
                          "imsqti_item_xmlv2p2"}),
    test_types=frozenset({"imsqti_test_xmlv2p1", "imsqti_test_xmlv2p2"}),
    v3=False,
    html5_namespaces=frozenset({"http://www.imsglobal.org/xsd/imsqtiv2p2_html5_v1p0"}),
)
QTI30 = Dialect(
    label="QTI 3.0",
    namespaces=frozenset({"http://www.imsglobal.org/xsd/imsqtiasi_v3p0"}),
    item_types=frozenset({"imsqti_item_xmlv3p0"}),
    test_types=frozenset({"imsqti_test_xmlv3p0"}),
    v3=True,
)


def xml_path(element: etree._Element) -> str:
    """A readable XPath of one element (`/assessmentItem/itemBody/div[2]`); a reader that
    locates many elements of a document keeps one xpaths.ElementPaths(local) instead."""
    return ElementPaths(local)(element)
