"""One self-contained HTML page: the quiz player's own index.html with every file it loads inlined.

The page is index.html parsed with lxml, never templated: the stylesheet link becomes a
<style>, each <script src> a <script> holding that file, and the Content-Security-Policy
allows exactly these inline blocks, by their SHA-256 hashes (no 'unsafe-inline': a script or
style that got into the page any other way does not run), and images only as data: URIs.

Script and style text is raw text in HTML: nothing in it is escaped, so it must not contain
its own end tag, nor "<!--" or "<script", which change how the parser looks for that end tag.
Callers escape "<" in generated data (packages/html.py); anything else holding these is refused.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping

from lxml import etree
from lxml import html as lxml_html

DOCTYPE = "<!DOCTYPE html>"
_RAW_TEXT_BREAKERS = re.compile(r"</script|</style|<!--|<script", re.IGNORECASE)


def _raw_text(name: str, data: bytes) -> str:
    # The HTML parser turns CR LF and CR into LF before the browser hashes a block's text, so
    # the text is normalised here; its hash is then the same on every platform.
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    found = _RAW_TEXT_BREAKERS.search(text)
    if found:
        raise ValueError(f"{name} cannot be inlined into the page: it contains {found.group()!r}")
    return text


def _source(text: str) -> str:
    """A CSP source expression allowing exactly this inline block."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _policy(scripts: list[str], styles: list[str]) -> str:
    return "; ".join((
        "default-src 'none'",
        "script-src " + " ".join(_source(s) for s in scripts),
        "style-src " + " ".join(_source(s) for s in styles),
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ))


def _inline(element: etree._Element, tag: str, text: str) -> None:
    """Replace a <link> or <script src> by an inline block, keeping its place and layout."""
    block = etree.Element(tag)
    block.text = text
    block.tail = element.tail
    parent = element.getparent()
    assert parent is not None  # index.html: both sit inside <head> or <body>
    parent.replace(element, block)


def page(index_html: bytes, files: Mapping[str, bytes], *, title: str, language: str) -> bytes:
    """index.html with its stylesheets and scripts (`files`, by the name index.html uses)
    inlined, the policy set to their hashes, and the bank's title and language filled in
    (the player sets them too; the page says them before any script runs)."""
    parser = lxml_html.HTMLParser(no_network=True)
    root = lxml_html.document_fromstring(index_html, parser=parser)
    styles: list[str] = []
    for link in _elements(root, "link", "rel", "stylesheet"):
        href = link.get("href", "")
        styles.append(_raw_text(href, files[href]))
        _inline(link, "style", styles[-1])
    scripts: list[str] = []
    for script in _elements(root, "script", "src"):
        src = script.get("src", "")
        scripts.append(_raw_text(src, files[src]))
        _inline(script, "script", scripts[-1])
    (meta,) = _elements(root, "meta", "http-equiv", "Content-Security-Policy")
    meta.set("content", _policy(scripts, styles))
    root.set("lang", language)
    (title_element,) = _elements(root, "title")
    title_element.text = title
    (heading,) = _elements(root, "h1", "id", "quiz-title")
    heading.text = title
    return serialize(root)


def _elements(
    root: etree._Element, tag: str, attribute: str | None = None, value: str | None = None
) -> list[etree._Element]:
    """The `tag` elements (having `attribute`, equal to `value` if given), as a list: the
    caller may replace them."""
    return [
        e for e in root.iter(tag)
        if attribute is None or (e.get(attribute) is not None and value in (None, e.get(attribute)))
    ]


def serialize(root: etree._Element) -> bytes:
    """HTML5 serialization (xml/serialize.py writes XML; a page read by browsers as HTML needs
    void elements without end tags and raw script text)."""
    data: bytes = etree.tostring(root, method="html", encoding="UTF-8", doctype=DOCTYPE)
    return data
