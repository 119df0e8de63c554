"""The sanitised HTML shaped into the XHTML every target takes: nh3's sanitiser built once,
the parse, a table's header rows given a body, a code block's <code> folded into its <pre>,
inline runs left by raw HTML wrapped into paragraphs, and the badly nested raw HTML no
target's schema accepts. render()'s _to_xhtml uses them in turn.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import groupby
from typing import Any

from packager.mathml import ATTRIBUTES as MATHML_ATTRIBUTES
from packager.mathml import ELEMENTS as MATHML_ELEMENTS
from packager.mathml import MATHML_NS
from packager.richtext_allowed import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, COMMON_ATTRIBUTES
from packager.richtext_refused import Refused
from packager.richtext_urls import PLAIN_ADDRESS
from packager.xml.html_fragment import per_thread, too_deep
from packager.xml.lazy import etree

# What nh3 keeps: the HTML allow-list, and MathML by name (mathml.sanitize checks the rest).
# The common attributes go on each HTML tag, not on every tag ("*"): a class kept on raw
# MathML, which the source's checks already refuse, was refused a second time by sanitize.
_NH3_TAGS = set(ALLOWED_TAGS) | set(MATHML_ELEMENTS)
_NH3_ATTRIBUTES = {
    "*": set(),  # not ammonia's own (lang, title), which no package carries
    **{k: set(ALLOWED_ATTRIBUTES.get(k, frozenset()) | COMMON_ATTRIBUTES) for k in ALLOWED_TAGS},
    **{k: set(MATHML_ATTRIBUTES) for k in MATHML_ELEMENTS},
}


@lru_cache(maxsize=1)
def cleaner() -> Any:
    """nh3's sanitiser, built once: nh3.clean() builds one per call from the allow-lists,
    which (with the MathML attributes of every MathML element) cost more than the cleaning."""
    import nh3

    return nh3.Cleaner(
        tags=_NH3_TAGS,
        attributes=_NH3_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def _utf8_parser() -> Any:
    from lxml import etree

    return etree.HTMLParser(no_network=True, encoding="utf-8")


def parsed_body(markup: str) -> tuple[Any, bool]:
    """The markup parsed as lxml.html.fragment_fromstring parses a fragment, and its <body>
    (the wrapper a fragment is serialized from), with plain elements; and whether it nests
    deeper than libxml2 keeps (it dropped the rest). Not html_fragment.fragment: no <html>
    or <body> of the author's is left to handle, and this runs for every rich text."""
    # plain_parser's parser, told its input is UTF-8: libxml2 reads UTF-8 bytes faster than
    # the str lxml would hand it otherwise (15 against 9 µs a text of the rich bench bank).
    # One a thread, as too_deep reads its error log.
    parser = per_thread("utf-8", _utf8_parser)
    document = etree().fromstring(f"<html><body>{markup}</body></html>".encode(), parser)
    # The body is the document's only child: the markup is inside it, and nh3 leaves no
    # element that would open a <head> (a lookup by name goes through Python's ElementPath).
    return document[0], too_deep(parser)


# The engine's paragraphs and lists of text, emphasis, code spans and links to plain web
# addresses, as the sanitiser writes them: the most common rich text (the rich bench bank:
# 82 % of the texts the engine renders). No element is empty (XML writes `<em/>`): no opening
# tag is followed by a closing one.
_RUN = r"(?:[^<]++|<(?:em|strong|code)>(?!</)|</(?:em|strong|code)>)*+"  # text, em, code
# A link holds no link (the engine and the sanitiser's parser never nest them; libxml2's
# parser would close the outer one). render() has nothing to say of such an address
# (richtext_urls), and the parse would write its tag as the sanitiser does.
_LINK = rf'<a href="{PLAIN_ADDRESS}">(?!</){_RUN}</a>'
_PHRASES = rf"(?:[^<]++|<(?:em|strong|code)>(?!</)|</(?:em|strong|code)>|{_LINK})*+"
_ITEMS = rf"\n(?:<li>(?!</){_PHRASES}</li>\n)++"
_BLOCK = rf"<p>(?!</){_PHRASES}</p>|<ul>{_ITEMS}</ul>|<ol>{_ITEMS}</ol>"
_SIMPLE_BLOCKS = re.compile(rf"(?:{_BLOCK})(?:\n(?:{_BLOCK}))*+")
# The engine's line breaks between blocks and around list items: white space _to_xhtml drops.
_LAYOUT = re.compile(r"\n(?=<(?:p|ul|ol|li|/ul|/ol)>)")
# A character that shows (not white space, as str.strip() tells it) in a text run: after a
# tag's `>`, before the next tag. Found at the text's first letter, where stripping every tag
# from the text and then its white space copied the whole text twice.
_SHOWN = re.compile(r">[^<]*?[^<\s]")
# The character references the sanitiser writes in text (html5ever's serializer).
_TEXT_REFERENCES = ("&amp;", "&lt;", "&gt;", "&nbsp;")


def simple_blocks_xhtml(cleaned: str) -> str | None:
    """What parsing the sanitised HTML and serializing it as XHTML gives (_to_xhtml, for a
    source without raw HTML or character references), worked out on the string, when it is
    paragraphs and lists (without attributes) of text, emphasis, code spans and links to plain
    web addresses only, laid out one a line as the engine writes them; else None. The parse
    and serialization cost twice as much as the sanitiser.

    The string is that XHTML when no element is empty (XML writes `<em/>`), no text holds a
    carriage return (written `&#13;`) or a named reference but `&nbsp;` (a no-break space in
    XHTML), and the engine's line breaks between blocks and list items go (white space
    _to_xhtml drops; a line break inside a paragraph or an item is text, and stays). The
    nesting stays far below libxml2's limit (at most 200 elements); a text that shows nothing
    is left to the parse, which says so."""
    body = cleaned[:-1] if cleaned.endswith("\n") else cleaned
    if "\r" in body or body.count("<") > 400 or _SIMPLE_BLOCKS.fullmatch(body) is None:
        return None
    if "&" in body:
        if body.count("&") != sum(body.count(reference) for reference in _TEXT_REFERENCES):
            return None
        body = body.replace("&nbsp;", "\xa0")
    xhtml = _LAYOUT.sub("", body)
    return xhtml if _SHOWN.search(xhtml) is not None else None


TABLE_WITHOUT_ROWS = Refused("table-rows", "has a table with no rows")
TABLE_CAPTIONS = Refused("table-captions", "has a table with more than one caption")
# A table's children in the order XHTML's content model (and QTI's) wants them.
_TABLE_ORDER = {"caption": 0, "col": 1, "colgroup": 1, "thead": 2, "tfoot": 3, "tbody": 4}


def table_problem(table: Any) -> Refused | None:
    """A table as XHTML's content model wants it, or why it cannot be: a table of header
    rows only (Markdown's `| a | b |` and its `|---|` line, or raw HTML) with those rows as
    its body, as QTI's tables need a <tbody> with rows and the engine writes an empty one;
    raw HTML's rows without cells and row groups without rows left out, its groups put in
    order (a <thead> after the <tbody>), a second <thead> or <tfoot> joined to the first, and
    a column or row span that is no number from 1 to 1000 dropped (HTML reads it as 1)."""
    for row in list(table.iter("tr")):
        if row.find("td") is None and row.find("th") is None:
            row.getparent().remove(row)
    for cell in [*table.iter("td"), *table.iter("th")]:
        for span in ("colspan", "rowspan"):
            value = cell.get(span)
            # Four digits at most before int(): Python refuses to convert 4,300 or more.
            if value is not None and not (value.isascii() and value.isdigit()
                                          and len(value) <= 4 and 1 <= int(value) <= 1000):
                del cell.attrib[span]
    for kind in ("thead", "tfoot"):
        groups = table.findall(kind)
        for other in groups[1:]:
            groups[0].extend(other.findall("tr"))
            table.remove(other)
    for group in [*table.findall("thead"), *table.findall("tfoot")]:
        if group.find("tr") is None:
            table.remove(group)
    children = list(table)
    ordered = sorted(children, key=lambda child: _TABLE_ORDER.get(child.tag, 4))
    if ordered != children:
        for child in ordered:
            table.append(child)  # moved, in order
    if len(table.findall("caption")) > 1:
        return TABLE_CAPTIONS
    return None if _give_a_body(table) else TABLE_WITHOUT_ROWS


def _give_a_body(table: Any) -> bool:
    """Whether the table has a row, its header (or footer) rows made its body where it had
    no other."""
    bodies = table.findall("tbody")
    if any(body.find("tr") is not None for body in bodies):
        for body in bodies:
            if body.find("tr") is None:
                table.remove(body)
        return True
    # Header rows, else footer rows (raw HTML's table of a <tfoot> only).
    heads = table.findall("thead") or table.findall("tfoot")
    rows = [row for head in heads for row in head.findall("tr")]
    if not rows:
        return False
    body = bodies[0] if bodies else table.makeelement("tbody", {})
    heads[0].addprevious(body)
    body.text = None
    body.extend(rows)
    for emptied in [*heads, *bodies[1:]]:
        table.remove(emptied)
    return True


# Elements that stand as blocks on their own; anything else at block level joins a paragraph.
_BLOCK_LEVEL = frozenset(
    [
        "p", "div", "ul", "ol", "dl", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "address",
    ]
)
# What the XHTML content models allow directly inside list and table elements. Unclosed raw
# HTML (an <a> left open in a list item) is repaired by the HTML parser into shapes outside
# them, which no target's schema accepts.
_CHILDREN: dict[str, frozenset[str]] = {
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "dl": frozenset({"dt", "dd"}),
    "table": frozenset({"caption", "col", "colgroup", "thead", "tbody", "tfoot", "tr"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}


def code_into_pre(pre: Any) -> None:
    """`<pre><code class="language-x">…</code></pre>` → `<pre class="language-x">…</pre>`.

    A serializer that indents (libxml2's pretty printer, which every package uses) indents an
    element holding only elements, and inside <pre> that white space is shown to learners as
    part of the code. A <pre> whose content is text is left as it is."""
    children = list(pre)
    if len(children) != 1 or children[0].tag != "code" or (pre.text or "").strip():
        return
    code = children[0]
    if (code.tail or "").strip():
        return
    pre.text = code.text
    for child in list(code):
        pre.append(child)
    if code.get("class") and not pre.get("class"):
        pre.set("class", code.get("class"))
    pre.remove(code)


def _empty_inline(element: Any) -> bool:
    """An inline element holding nothing but white space (`<b>\n</b>`)."""
    return (isinstance(element.tag, str) and element.tag in _INLINE - {"br", "img"}
            and not len(element) and not (element.text or "").strip())


def wrap_inline_runs(container: Any) -> None:
    nodes: list[Any] = []  # elements, and strings for text between them
    if container.text and container.text.strip():
        nodes.append(container.text)
    for child in list(container):
        tail, child.tail = child.tail, None
        if _empty_inline(child):
            # The parser's repair of an unclosed tag reopens it after the paragraph, around
            # the line break that ends the text: an empty bold paragraph, shown as a gap.
            container.remove(child)
        else:
            nodes.append(child)
        if tail and tail.strip():
            nodes.append(tail)
    if all(not isinstance(n, str) and n.tag in _BLOCK_LEVEL for n in nodes):
        return
    container.text = None
    for child in list(container):
        container.remove(child)
    paragraph = None
    # The paragraph's last element, which the text after it goes after, kept here: len() of
    # an lxml element counts its children, so asking it for each text is quadratic in a run.
    last: Any = None
    # Texts side by side (the tails of removed empty elements) joined once, not one by one.
    for is_text, group in groupby(nodes, key=lambda node: isinstance(node, str)):
        if is_text:
            if paragraph is None:
                paragraph = last = etree().SubElement(container, "p")
            text = "".join(group)
            if last is paragraph:
                paragraph.text = text
            else:
                last.tail = text
            continue
        for node in group:
            if node.tag in _BLOCK_LEVEL:
                container.append(node)
                paragraph = None
                continue
            if paragraph is None:
                paragraph = etree().SubElement(container, "p")
            paragraph.append(node)
            last = node


_INLINE = frozenset(
    [
        "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "dfn", "em", "i", "img", "kbd",
        "q", "samp", "small", "span", "strong", "sub", "sup", "tt", "var",
    ]
) | {f"{{{MATHML_NS}}}math"}
# Elements whose content is inline only: a block inside one is repaired HTML, not a layout.
_INLINE_CONTENT = (_INLINE - {"br", "img", f"{{{MATHML_NS}}}math"}) | frozenset(
    [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "caption", "dt",
    ]
)


def structure_problems(root: Any) -> list[Refused]:
    problems: list[Refused] = []
    for element in root.iter(*_INLINE_CONTENT):
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _INLINE:
                problems.append(Refused(
                    "nesting",
                    f"<{child.tag}> cannot stand inside <{element.tag}>: the HTML is not well "
                    "nested; close every tag you open (e.g. </em>), in the order you opened them",
                ))
    for element in root.iter(*_CHILDREN):
        allowed = _CHILDREN[element.tag]
        inside = [c.tag for c in element if c.tag not in allowed and isinstance(c.tag, str)]
        if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
            inside.append("text")
        for tag in dict.fromkeys(inside):
            what = "text" if tag == "text" else f"<{tag}>"
            problems.append(Refused(
                "nesting",
                f"{what} cannot stand directly inside <{element.tag}>: the HTML is not well "
                "nested; close every tag you open (e.g. </a>), in the order you opened them",
            ))
    return problems
