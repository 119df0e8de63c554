"""The HTML of the preview pages, built with lxml: the page shell and rich-text fragments.

Question text arrives as the XHTML fragment every package carries (packager.richtext), parsed
as XML and grafted into the page tree, so lxml does all escaping. MathML leaves its
namespace here because the HTML parser puts a <math> element (and what is inside it) into
the MathML namespace by itself, and lxml's HTML serializer would write prefixed names.
"""

from __future__ import annotations

import functools

from lxml import etree

from packager.mathml import MATHML_NS
from packager.richtext import Rendered

# No script but the site's own files, no inline script or style, no network: question text
# has been sanitised already, this is the second wall.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
_MATHML_PREFIX = f"{{{MATHML_NS}}}"


def el(
    parent: etree._Element | None,
    tag: str,
    text: str | None = None,
    **attrs: str,
) -> etree._Element:
    """An element (appended to parent when given). Attribute names: a trailing `_` is dropped
    (`class_`, `for_`), other underscores are hyphens (`data_type` is data-type)."""
    attrib = {_attribute_name(k): v for k, v in attrs.items()}
    node = etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)
    if text is not None:
        node.text = text
    return node


@functools.cache
def _attribute_name(keyword: str) -> str:
    # Cached: a 10,000-question page asks for these names about a million times.
    return keyword.removesuffix("_").replace("_", "-")


def append_rich(parent: etree._Element, rendered: Rendered, xhtml: str | None = None) -> None:
    """Append a rendered text's block elements; `xhtml` replaces its markup (image sources
    pointed into the site). A plain paragraph (most texts) is built without parsing."""
    if xhtml is None:
        text = rendered.paragraph_text
        if text is not None:
            el(parent, "p", text)
            return
        xhtml = rendered.xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    for node in wrapper.iter(f"{_MATHML_PREFIX}*"):
        node.tag = node.tag[len(_MATHML_PREFIX) :]
    etree.cleanup_namespaces(wrapper)
    parent.extend(list(wrapper))


# Languages written right to left, by primary subtag: the quiz player's list (player.js RTL).
RIGHT_TO_LEFT = frozenset({"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd",
                           "ur", "yi"})


def page(title: str, language: str, css: str) -> tuple[etree._Element, etree._Element]:
    """The <html> element of a page and its <body>: charset, viewport, CSP, one stylesheet;
    a bank in a right-to-left language reads right to left, as the player shows it."""
    root = el(None, "html", lang=language)
    if language.split("-")[0].lower() in RIGHT_TO_LEFT:
        root.set("dir", "rtl")
    head = el(root, "head")
    el(head, "meta", charset="utf-8")
    el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    el(head, "meta", http_equiv="Content-Security-Policy", content=CSP)
    el(head, "title", title)
    el(head, "link", rel="icon", href="data:,")  # else the browser asks for /favicon.ico
    el(head, "link", rel="stylesheet", href=css)
    return root, el(root, "body")


def to_html(root: etree._Element) -> bytes:
    """The page as UTF-8 HTML; the same tree always gives the same bytes."""
    data: bytes = etree.tostring(root, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")
    return data + b"\n"


def count(n: int, word: str) -> str:
    """'1 question', '2 questions'."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"
