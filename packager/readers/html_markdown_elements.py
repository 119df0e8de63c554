"""What html_markdown reads of the parsed HTML's elements: which are blocks (and whether
display math stands alone among them), an element's tag and the bold or italic its style
sets, the text of code, and the items of a list.
"""

from __future__ import annotations

import re
from typing import Any

BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside",
                     "center", "address", "figure", "figcaption", "body", "html", "details",
                     "summary", "fieldset", "legend", "hgroup", "nav", "dt", "dd"})
# Other elements a browser shows as blocks (in a list: not on the line of the item before).
OTHER_BLOCKS = frozenset({"ul", "ol", "menu", "dir", "pre", "table", "blockquote", "hr", "dl",
                          "h1", "h2", "h3", "h4", "h5", "h6"})


def tag_of(element: Any) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None  # a comment or processing instruction: never content
    return tag.rpartition("}")[2].lower()


def is_block(tag: str | None) -> bool:
    return tag in BLOCKS or tag in OTHER_BLOCKS


def alone(text_before: bool, math: Any) -> bool:
    """Whether display math is all of its paragraph: no text before it in the run of inline
    content (`text_before`), and none after it up to the next block or the end."""
    if text_before or (math.tail or "").strip():
        return False
    following = math.getnext()
    while following is not None and not isinstance(following.tag, str):
        if (following.tail or "").strip():
            return False
        following = following.getnext()  # a comment between them shows nothing
    return following is None or is_block(tag_of(following))


def styled(element: Any) -> tuple[bool, bool]:
    """(bold, italic) as an element's `style` sets them (Moodle's Atto and TinyMCE write pasted
    formatting as `<span style="font-style: italic;">`); nothing else of the style is read."""
    style = element.get("style")
    if not style or "font" not in style.lower():
        return False, False
    bold = italic = False
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.replace("!important", "").strip().lower()
        if name == "font-style":
            italic = value in ("italic", "oblique")
        elif name == "font-weight":
            bold = value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
    return bold, italic


# Formatting rich text has no form for (QTI 2.1's XHTML has none), and which can carry the
# question's meaning: an underlined NOT, a struck-out wrong word. Colour and font are quiet.
_DECORATIONS = {"u": "underline", "ins": "underline", "s": "strikethrough",
                "strike": "strikethrough", "del": "strikethrough", "mark": "highlight"}


def lost_decoration(element: Any, tag: str) -> str | None:
    """The note on the underline, strikethrough or highlight an element's tag or `style`
    sets, which its unwrapping loses; None if it sets none."""
    kind, source = _DECORATIONS.get(tag), f"<{tag}>"
    style = (element.get("style") or "").lower()
    if kind is None and "text-decoration" in style:
        for declaration in style.split(";"):
            name, _, value = declaration.partition(":")
            if name.strip() in ("text-decoration", "text-decoration-line"):
                kind = ("strikethrough" if "line-through" in value else
                        "underline" if "underline" in value else None)
                source = "style text-decoration"
    if kind is None:
        return None
    if kind != "strikethrough":
        return f"{kind} ({source}) is not kept: rich text has none"
    struck = ""
    for piece in element.itertext():  # the start is quoted: struck-out elements may nest deep
        struck += piece
        if len(struck) > 200:
            break
    struck = re.sub(r"\s+", " ", struck).strip()
    return (f"strikethrough ({source}) is not kept: rich text has none; {struck[:60]!r} now "
            "reads as plain text")


def text_content(element: Any) -> str:
    """An element's text and its descendants' (lxml.html's text_content, for the plain
    elements `html_markdown._parsed` builds), each <br> a line break: editors that write
    code with <br> between its lines (Blackboard's) would otherwise have them run together.
    The tree is read, never changed: a control character after a <br>, which the HTML parser
    keeps, cannot be put back into an lxml text."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):  # a comment's or instruction's text is not shown
                if child.tag == "br":
                    parts.append("\n")
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return "".join(parts)


def pre_code(element: Any) -> tuple[str, str]:
    """The code of a <pre> and its language: a lone <code class="language-x"> child is the
    code (white space around it is layout, e.g. of a pretty-printed export)."""
    children = [c for c in element if isinstance(c.tag, str)]
    if (len(children) == 1 and tag_of(children[0]) == "code" and not (element.text or "").strip()
            and not (children[0].tail or "").strip()):
        classes = (children[0].get("class") or "").split()
        language = next((c[9:] for c in classes if c.startswith("language-")), "")
        return text_content(children[0]), language if re.fullmatch(r"[\w+#.-]+", language) else ""
    # packager's own <pre class="language-x">: the code is the element's text
    classes = (element.get("class") or "").split()
    language = next((c[9:] for c in classes if c.startswith("language-")), "")
    return text_content(element), language if re.fullmatch(r"[\w+#.-]+", language) else ""


def list_items(element: Any) -> tuple[Any | None, list[Any]]:
    """A list's <li> items, each given what follows it up to the next one (editors write a
    sub-list, a paragraph or text straight into a list: a browser shows them under the item
    before), and a <div> of what stands before the first item (None: nothing). Text and
    inline elements that follow an item go into a paragraph of their own, as a browser
    shows them on a line of their own."""
    lead: Any = None
    items: list[Any] = []
    paragraph: Any = None  # the open paragraph of loose text and inline elements

    def holder() -> Any:
        nonlocal lead
        if items:
            return items[-1]
        if lead is None:
            lead = element.makeelement("div", {})
        return lead

    last: Any = None  # the open paragraph's last element (lxml counts children on len())

    def inline() -> Any:
        nonlocal paragraph, last
        if paragraph is None:
            paragraph, last = element.makeelement("p", {}), None
            holder().append(paragraph)
        return paragraph

    def add_text(text: str | None) -> None:
        if text and text.strip():
            into = inline()
            if last is not None:
                last.tail = (last.tail or "") + text
            else:
                into.text = (into.text or "") + text

    add_text(element.text)
    for child in list(element):
        tail, child.tail = child.tail, None
        tag = tag_of(child)
        if tag == "li":
            items.append(child)
            paragraph = None
        elif is_block(tag):
            holder().append(child)  # moved: this tree is read once
            paragraph = None
        elif tag is not None:
            inline().append(child)
            last = child
        add_text(tail)
    return lead, items
