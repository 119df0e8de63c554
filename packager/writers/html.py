"""One self-contained HTML page: the quiz player's own index.html with every file it loads inlined.

The page is index.html parsed with lxml, never templated: the stylesheet link becomes a
<style>, each <script src> a <script> holding that file, and the Content-Security-Policy
allows exactly these inline blocks, by their SHA-256 hashes (no 'unsafe-inline': a script or
style that got into the page any other way does not run), and images only as data: URIs.

Script and style text is raw text in HTML: nothing in it is escaped, so it must not contain
its own end tag, nor "<!--" or "<script", which change how the parser looks for that end tag.
Callers escape "<" in generated data (packages/html.py); anything else holding these is refused.
Being raw, each block's text is put in as bytes after lxml has serialized the page, in place
of a marker lxml wrote there: the quiz data of 10,000 questions is 30 MB of UTF-8, and as a
Python str (4 bytes a character once it holds one emoji) it took 230 MB more to write.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import re
from collections.abc import Mapping

from lxml import etree
from lxml import html as lxml_html

DOCTYPE = "<!DOCTYPE html>"
_RAW_TEXT_BREAKERS = re.compile(rb"</script|</style|<!--|<script", re.IGNORECASE)
_CHUNK = 1 << 20


def _raw_text(name: str, data: bytes) -> bytes:
    """The block's UTF-8 text as the browser reads (and hashes) it, checked."""
    decoder = codecs.getincrementaldecoder("utf-8")()  # in chunks: never the whole text as str
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        decoder.decode(view[start : start + _CHUNK])
    decoder.decode(b"", final=True)
    # The HTML parser turns CR LF and CR into LF before the browser hashes a block's text, so
    # the text is normalised here; its hash is then the same on every platform.
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n") if b"\r" in data else data
    found = _RAW_TEXT_BREAKERS.search(text)
    if found:
        breaker = found.group().decode("ascii")
        raise ValueError(f"{name} cannot be inlined into the page: it contains {breaker!r}")
    return text


def _source(text: bytes) -> str:
    """A CSP source expression allowing exactly this inline block (its UTF-8 text)."""
    digest = hashlib.sha256(text).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _policy(scripts: list[bytes], styles: list[bytes]) -> str:
    return "; ".join((
        "default-src 'none'",
        "script-src " + " ".join(_source(s) for s in scripts),
        "style-src " + " ".join(_source(s) for s in styles),
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ))


def _inline(element: etree._Element, tag: str, text: bytes, blocks: list[bytes]) -> None:
    """Replace a <link> or <script src> by an inline block, keeping its place and layout; the
    block holds a marker, and `text` is put in its place once the page is serialized."""
    block = etree.Element(tag)
    block.text = _marker(len(blocks))
    blocks.append(text)
    block.tail = element.tail
    parent = element.getparent()
    assert parent is not None  # index.html: both sit inside <head> or <body>
    parent.replace(element, block)


def page(
    index_html: bytes, files: Mapping[str, bytes], *, title: str, language: str
) -> list[bytes]:
    """index.html with its stylesheets and scripts (`files`, by the name index.html uses)
    inlined, the policy set to their hashes, and the bank's title and language filled in
    (the player sets them too; the page says them before any script runs). In pieces, each
    inlined file one as it was given: joined, a page of 10,000 questions' quiz data (30 MB)
    was held twice."""
    parser = lxml_html.HTMLParser(no_network=True)
    root = lxml_html.document_fromstring(index_html, parser=parser)
    blocks: list[bytes] = []  # the inline blocks' texts, by marker number
    styles: list[bytes] = []
    for link in _elements(root, "link", "rel", "stylesheet"):
        href = link.get("href", "")
        styles.append(_raw_text(href, files[href]))
        _inline(link, "style", styles[-1], blocks)
    scripts: list[bytes] = []
    for script in _elements(root, "script", "src"):
        src = script.get("src", "")
        scripts.append(_raw_text(src, files[src]))
        _inline(script, "script", scripts[-1], blocks)
    (meta,) = _elements(root, "meta", "http-equiv", "Content-Security-Policy")
    meta.set("content", _policy(scripts, styles))
    root.set("lang", language)
    (title_element,) = _elements(root, "title")
    title_element.text = title
    (heading,) = _elements(root, "h1", "id", "quiz-title")
    heading.text = title
    return _with_blocks(serialize(root), blocks)


def _marker(number: int) -> str:
    # With a "<": the serializer escapes it everywhere but in raw text blocks, so whatever a
    # bank's title holds, only a block can have the marker (a private-use character, as
    # before, a title could hold too: the quiz data went into the page heading).
    return f"<packager-inline-{number}>"


def _with_blocks(page: bytes, blocks: list[bytes]) -> list[bytes]:
    """The serialized page with each block's marker replaced by the block's text."""
    pieces: list[bytes] = []
    position = 0
    for number, text in enumerate(blocks):
        marker = _marker(number).encode("utf-8")
        at = page.index(b">" + marker + b"</", position) + 1
        pieces += [page[position:at], text]
        position = at + len(marker)
    pieces.append(page[position:])
    return pieces


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
