"""HTML fragments from other tools, parsed whole.

`lxml.html.fragment_fromstring(markup, create_parent="div")` asserts that the parsed document
has exactly one <body>: a fragment that closes its body and opens another (`…</body><body>…`,
as an HTML editor pasting a whole page into a field leaves it) raised an AssertionError,
which ended `packager import` and `packager check` with a traceback, and a fragment that is a
whole document without a body did the same. A browser shows every part; so does `fragment`:
the content of every <body> goes into the one wrapper, in order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# What lxml.html parses as a whole document rather than as content to put inside a <body>.
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.I)


@lru_cache(maxsize=1)
def plain_parser() -> Any:
    """libxml2's HTML parser with plain elements, built once: lxml.html's parser (the same
    parser) looks up a Python class for every element it creates, which a tree that is only
    read or serialized never needs. No network (lxml's default, stated)."""
    from lxml import etree

    return etree.HTMLParser(no_network=True)


def fragment(markup: str, parser: Any = None) -> Any:
    """A <div> holding the fragment's nodes, and its text before the first element when that
    is more than white space, as `fragment_fromstring(markup, create_parent="div")` gives for
    a fragment with one body. Elements are lxml.html's, or of `parser` (`plain_parser()`).

    Raises lxml's ParserError when the markup parses to nothing (`<!doctype html>` alone) and
    ValueError when lxml refuses the string (an XML encoding declaration), as lxml.html does."""
    from lxml import html as lxml_html

    source = markup if _FULL_DOCUMENT.match(markup) else f"<html><body>{markup}</body></html>"
    document = lxml_html.document_fromstring(
        source, parser=parser if parser is not None else lxml_html.html_parser
    )
    bodies = [e for e in document if e.tag == "body"]
    if not bodies:
        return document.makeelement("div")
    # The first body becomes the wrapper: its text stays the node libxml2 made, which may
    # hold a control character that lxml refuses to set from Python (the model reports it).
    wrapper = bodies[0]
    document.remove(wrapper)
    wrapper.tag = "div"
    wrapper.attrib.clear()
    wrapper.tail = None
    if not (wrapper.text or "").strip():
        wrapper.text = None
    for body in bodies[1:]:
        text = body.text
        if text and text.strip():
            _append_text(wrapper, text)
        wrapper.extend(list(body))  # moves each node with its tail
    return wrapper


def _append_text(wrapper: Any, text: str) -> None:
    """`text` after the wrapper's last node; a character XML cannot carry (which lxml will not
    set) becomes U+FFFD."""
    from packager.xml.chars import XML_FORBIDDEN

    text = XML_FORBIDDEN.sub("\ufffd", text)
    if len(wrapper):
        wrapper[-1].tail = (wrapper[-1].tail or "") + text
    else:
        wrapper.text = (wrapper.text or "") + text
