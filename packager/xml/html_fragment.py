"""HTML fragments from other tools, parsed whole.

`lxml.html.fragment_fromstring(markup, create_parent="div")` fails on fields that hold a page
pasted from an editor. A fragment that closes its body and opens another (`…</body><body>…`)
made it assert: `packager import` and `packager check` ended with a traceback. Content after
a stray `</body>` or `</html>` (`…</body></html><p>typed after</p>`) it lost silently:
libxml2's parser reports that content, as a second document, but its tree builder has no root
for it and drops it. A browser shows every part; so does `fragment`. Markup with such an end
tag is built from the parser's events, every node inside the one wrapper; other markup (all
but a few fields) is built by libxml2 itself, as fast as lxml.html builds it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from packager.xml.lazy import etree

# What lxml.html parses as a whole document rather than as content to put inside a <body>.
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.I)
# An end tag after which libxml2's tree builder may drop content (see the module's comment).
_DOCUMENT_END = re.compile(r"</(?:body|html)(?![^\s/>])", re.I)
# libxml2 builds no element deeper than this (without its "huge" option), and drops the rest
# of the document: such markup is refused, as the events path refuses it too (the readers
# walk trees recursively).
MAX_DEPTH = 255
TOO_DEEP = f"the HTML nests more than {MAX_DEPTH} elements deep"


# A parser of each kind per thread: too_deep reads a parser's error log, which lxml clears
# when the parser starts a document, so another thread's parse with a shared parser between a
# document's and the reading of its log hid that libxml2 dropped the rest of it.
_PER_THREAD = threading.local()


def per_thread(name: str, make: Callable[[], Any]) -> Any:
    """This thread's parser called `name`, made by `make` on first use."""
    parser = getattr(_PER_THREAD, name, None)
    if parser is None:
        parser = make()
        setattr(_PER_THREAD, name, parser)
    return parser


def _plain() -> Any:
    from lxml import etree

    return etree.HTMLParser(no_network=True)


def plain_parser() -> Any:
    """libxml2's HTML parser with plain elements, one a thread: lxml.html's parser (the same
    parser) looks up a Python class for every element it creates, which a tree that is only
    read or serialized never needs. No network (lxml's default, stated)."""
    return per_thread("plain", _plain)


def _lxml_html() -> Any:
    from lxml import html as lxml_html

    return lxml_html.HTMLParser()  # lxml_html.html_parser's, for this thread


def fragment(markup: str, parser: Any = None) -> Any:
    """A <div> holding the fragment's nodes, and its text before the first element when that
    is more than white space, as `fragment_fromstring(markup, create_parent="div")` gives for
    a fragment with one body. Elements are lxml.html's, or of `parser` (`plain_parser()`).

    Raises lxml's ParserError when the markup parses to nothing (`<!doctype html>` alone) or
    nests deeper than MAX_DEPTH, and ValueError when lxml refuses the string (an XML encoding
    declaration), as lxml.html does."""
    from lxml import etree
    from lxml import html as lxml_html

    source = markup if _FULL_DOCUMENT.match(markup) else f"<html><body>{markup}</body></html>"
    parser = parser if parser is not None else per_thread("lxml.html", _lxml_html)
    if _DOCUMENT_END.search(markup):
        return _from_events(source, parser)
    document = lxml_html.document_fromstring(source, parser=parser)
    if too_deep(parser):
        raise etree.ParserError(TOO_DEEP)
    body = document.find("body")
    if body is None:
        return document.makeelement("div")
    # The body becomes the wrapper: its text stays the node libxml2 made, which may hold a
    # control character that lxml refuses to set from Python (the model reports it).
    document.remove(body)
    body.tag = "div"
    body.attrib.clear()
    body.tail = None
    if not (body.text or "").strip():
        body.text = None
    return body


def too_deep(parser: Any) -> bool:
    """Whether the parser's last document went deeper than libxml2 builds (the rest of it
    was dropped)."""
    limit = etree().ErrorTypes.ERR_RESOURCE_LIMIT
    return any(error.type == limit for error in parser.error_log)


def _from_events(source: str, parser: Any) -> Any:
    """The wrapper built from the parser's events: every element and text but the document's
    own html, head (with what is in it) and body, so also what follows a `</html>`."""
    from lxml import etree

    builder = _Wrapping(parser)
    etree.fromstring(source, etree.HTMLParser(target=builder, no_network=True))
    return builder.wrapper


class _Wrapping:
    """A parser target: the document's content under one <div> (elements of `parser`).

    Built leniently, as libxml2 builds its own trees: an element lxml will not make (a name
    libxml2's recovery made of broken markup) is left out with its content kept, and an end
    tag closes what the events left open inside it."""

    _STRUCTURE = frozenset({"html", "body", "head"})

    def __init__(self, parser: Any) -> None:
        self._parser = parser  # its makeelement takes HTML's names (an element's, XML's)
        self.wrapper: Any = parser.makeelement("div")
        # Open elements: name, and the element built for it (None: left out).
        self._open: list[tuple[str, Any]] = []
        self._parent = self.wrapper  # where the next element goes
        self._last: Any = None  # the element whose tail the next text extends (None: text)
        self._in_head = 0  # open <head> elements: a body never shows their content

    # Names and text come as str from an HTML parser given a str; the stubs allow bytes too.
    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        if len(self._open) > MAX_DEPTH:  # html and body count, as for libxml2
            from lxml import etree

            raise etree.ParserError(TOO_DEEP)
        name = _text(tag)
        built = None
        if not self._in_head and name not in self._STRUCTURE:
            built = self._element(name, {_text(k): _text(v) for k, v in attrib.items()})
        if built is not None:
            self._parent.append(built)
            self._parent, self._last = built, None
        self._in_head += name == "head"
        self._open.append((name, built))

    def _element(self, name: str, attributes: dict[str, str]) -> Any:
        for given in (attributes, {}):
            try:
                return self._parser.makeelement(name, given)
            except ValueError:  # a name lxml refuses
                continue
        return None

    def end(self, tag: str | bytes) -> None:
        name = _text(tag)
        if any(open_name == name for open_name, _ in self._open):
            while self._close() != name:
                pass

    def _close(self) -> str:
        name, built = self._open.pop()
        self._in_head -= name == "head"
        if built is not None:
            self._parent, self._last = built.getparent(), built
        return name

    def data(self, data: str | bytes) -> None:
        if not self._in_head:
            self._add_text(_text(data))

    def _add_text(self, text: str) -> None:
        if self._last is not None:
            self._last.tail = (self._last.tail or "") + text
        else:
            self._parent.text = (self._parent.text or "") + text

    def comment(self, text: str | bytes) -> None:
        from lxml import etree

        # lxml refuses a comment holding "--" (libxml2 keeps it): a browser shows no
        # comment, so such a one is left out.
        value = _text(text)
        if not self._in_head and "--" not in value and not value.endswith("-"):
            node = etree.Comment(value)
            self._parent.append(node)
            self._last = node

    def close(self) -> None:
        if not (self.wrapper.text or "").strip():
            self.wrapper.text = None


def _text(value: str | bytes) -> str:
    """The parser's string as lxml will set it: a character XML cannot carry (libxml2 keeps
    one, lxml refuses to set it from Python) becomes U+FFFD."""
    from packager.xml.chars import XML_FORBIDDEN

    return XML_FORBIDDEN.sub("\ufffd", value if isinstance(value, str) else value.decode("utf-8"))
