"""What QTI 2.1 and QTI 3.0 name differently (a `Dialect`), and the element helpers that
name through it.

QTI 2.1 and QTI 3.0 say most things alike and name them differently: `responseDeclaration`
with `baseType` in 2.1 is `qti-response-declaration` with `base-type` in 3.0. The two
dialects (QTI21, QTI30) and the helpers here take an element's QTI 2.1 name and write it in
the dialect's: an element (`el`), an XHTML element (`xhtml`), a document root, rich text,
and the body blocks with a placeholder paragraph that skeletons fill in. XHTML elements
(`div`, `p`, …) live in the QTI namespace under their own names in both versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

from packager.writers.qti_richtext import append_rich, paragraph_text
from packager.xml import ns

XML_LANG = ns.qn(ns.XML, "lang")


@dataclass(frozen=True, eq=False)
class Dialect:
    """What differs between QTI 2.1 and QTI 3.0 where they say the same thing."""

    schema: str  # XSD key (packager/xsd.py)
    namespace: str
    schema_location: str
    templates: dict[str, str]  # response-processing template name → URL
    element: Callable[[str], str]  # QTI 2.1 element name → this version's (see _qti3_name)
    attribute: Callable[[str], str] | None  # QTI 2.1 attribute name → this version's (None: same)
    # QTI 3: modal feedback and rubric blocks wrap their content in qti-content-body, and a
    # rubric block says its `use`.
    content_body: bool
    # QTI 3: a bank stimulus is a document of its own that items refer to (2.1 copies it in).
    stimulus_documents: bool
    _tags: dict[str, str] = field(default_factory=dict, repr=False)

    def tag(self, name: str) -> str:
        """The qualified tag of the element QTI 2.1 calls `name`."""
        tag = self._tags.get(name)
        if tag is None:
            tag = self._tags[name] = f"{{{self.namespace}}}{self.element(name)}"
        return tag

    def attr(self, name: str) -> str:
        """The name of the attribute QTI 2.1 calls `name`."""
        return name if self.attribute is None else self.attribute(name)

    def attrs(self, attrs: dict[str, str]) -> dict[str, str]:
        """Attributes given by their QTI 2.1 names, in this version's names."""
        rename = self.attribute
        return attrs if rename is None else {rename(k): v for k, v in attrs.items()}


@lru_cache(maxsize=256)
def kebab(name: str) -> str:
    """camelCase → kebab-case: baseType → base-type."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _same(name: str) -> str:
    return name


def _qti3_name(name: str) -> str:
    """QTI 2.1 camelCase → QTI 3 name: responseCondition → qti-response-condition (a QTI 3
    name, for an element 2.1 does not have, stays as it is)."""
    return name if name.startswith("qti-") else "qti-" + kebab(name)


QTI21 = Dialect(
    schema="qti21",
    namespace=ns.QTI21,
    schema_location=f"{ns.QTI21} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
    templates={
        "match_correct": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
        "map_response": "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response",
    },
    element=_same,
    attribute=None,
    content_body=False,
    stimulus_documents=False,
)
QTI30 = Dialect(
    schema="qti30",
    namespace=ns.QTI30,
    schema_location=(
        f"{ns.QTI30} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/"
        "imsqti_asiv3p0p1_v1p0.xsd"
    ),
    templates={
        "match_correct": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml",
        "map_response": "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml",
    },
    element=_qti3_name,
    attribute=kebab,
    content_body=True,
    stimulus_documents=True,
)


def el(d: Dialect, parent: etree._Element, name: str, /, **attrs: str) -> etree._Element:
    """A QTI element appended to `parent`, named (with its attributes) as QTI 2.1 names it."""
    tag = d._tags.get(name) or d.tag(name)  # the hottest path: no call when known
    rename = d.attribute
    if rename is not None:
        attrs = {rename(k): v for k, v in attrs.items()}
    return etree.SubElement(parent, tag, attrs)


def xhtml(d: Dialect, parent: etree._Element, name: str, /, **attrs: str) -> etree._Element:
    """An XHTML element (`div`, `p`, `strong`) in the QTI namespace."""
    return etree.SubElement(parent, f"{{{d.namespace}}}{name}", attrs)


def detached(d: Dialect, name: str, /, **attrs: str) -> etree._Element:
    """A QTI element on its own, declaring the namespace: a template that items copy (the
    declaration is dropped where a copy is placed under an element that already has it)."""
    nsmap: Any = {None: d.namespace}  # lxml-stubs type nsmap keys as str
    return etree.Element(d.tag(name), d.attrs(attrs), nsmap=nsmap)


def root(d: Dialect, name: str, /, **attrs: str) -> etree._Element:
    """The root element of a document, with the namespace declarations and schema location."""
    element = etree.Element(
        d.tag(name), nsmap={None: d.namespace, "xsi": ns.XSI}  # type: ignore[dict-item]
    )
    element.set(ns.qn(ns.XSI, "schemaLocation"), d.schema_location)
    for key, value in d.attrs(attrs).items():
        element.set(key, value)
    return element


def rich(d: Dialect, parent: etree._Element, markdown: str, href: str, *, inline: bool) -> None:
    append_rich(parent, markdown, d.namespace, href, inline=inline)


def block(d: Dialect, parent: etree._Element, name: str) -> etree._Element:
    """A div of the item body (class `name`) with a placeholder paragraph (see Block)."""
    element = xhtml(d, parent, "div", **{"class": name})
    xhtml(d, element, "p")
    return element


class Block:
    """A skeleton's container of block rich text and the placeholder paragraph it was built
    with (see `block`). Filled once in a fresh copy of a skeleton, or again and again in a
    working copy (qti_build.Workbench): each fill replaces whatever the last one put there."""

    __slots__ = ("container", "paragraph", "plain")

    def __init__(self, container: etree._Element) -> None:
        self.container = container
        self.paragraph = container[0]
        self.plain = True  # the placeholder is the container's one child

    def fill(self, d: Dialect, markdown: str, href: str) -> None:
        """A plain paragraph's text goes in the placeholder; other rich text replaces it."""
        container = self.container
        paragraph = self.paragraph
        text = paragraph_text(markdown)
        if text is None:
            if self.plain:
                container.remove(paragraph)  # kept (this object holds it) for a later fill
                self.plain = False
            else:
                del container[:]
            rich(d, container, markdown, href, inline=False)
            return
        if not self.plain:
            del container[:]
            container.append(paragraph)
            self.plain = True
        if len(paragraph):  # text entries a fill-in-the-blanks prompt put in it
            del paragraph[:]
        paragraph.text = text


def fill_inline(d: Dialect, element: etree._Element, markdown: str, href: str) -> None:
    """Rich text (inline) in a skeleton element with no children: a plain paragraph's text is
    its text."""
    text = paragraph_text(markdown)
    if text is not None:
        element.text = text or None  # an empty paragraph leaves it empty, as append_rich does
    else:
        element.text = None  # append_rich adds to it
        rich(d, element, markdown, href, inline=True)
