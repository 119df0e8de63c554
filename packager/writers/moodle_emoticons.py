"""A bank's text kept as text where Moodle would draw one of its emoticons.

Moodle's emoticon filter is on by default and runs on every formatted text of a question (HTML,
Markdown and Moodle auto-format): it replaces each shortcut of the site's list with an image, in
prose and in <code> alike, so `O(n)` shows a thumbs-down, `f(y)` a thumbs-up and `( )` an egg.
It leaves alone what stands in <pre> or in a <span class="nolink">
(filter/emoticon/classes/text_filter.php): each shortcut in a text is wrapped in such a span. A
character reference would not do: Moodle's HTML cleaning decodes it before the filters run.
On the tree, as html_references edits it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

from packager.model import BLANK_MARKER
from packager.writers.html_references import place_pieces

# The shortcuts of a new site (emoticon_manager::default_emoticons); a site's administrator
# may change them, which no package can know.
SHORTCUTS = (
    ":-)", ":)", ":-D", ";-)", ":-/", "V-.", ":-P", ":-p", "B-)", "^-)", "8-)", ":o)", ":-(",
    ":(", "8-.", ":-I", ":-X", "8-o", "P-|", "8-[", "(grr)", "xx-P", "|-.", "}-]", "(h)",
    "(heart)", "(y)", "(n)", "(martin)", "( )",
)
# One pattern of them all, longest first (where two could start at one place, the longer).
_SHORTCUT = re.compile("|".join(re.escape(s) for s in sorted(SHORTCUTS, key=len, reverse=True)))
# A blank's marker (`[[8-o]]`) is read by the writers after this, whole: never split.
_TOKENS = re.compile(rf"(?P<blank>{BLANK_MARKER.pattern})|(?P<shortcut>{_SHORTCUT.pattern})")
_NOLINK = "nolink"


def has_shortcut(text: str) -> bool:
    return _SHORTCUT.search(text) is not None


def without_emoticons(xhtml: str) -> str:
    """The fragment with each emoticon shortcut of its text in a <span class="nolink">, and
    percent-encoded in a link or an image source (the same address; the filter replaces
    inside attributes too). Text in <pre>, in a nolink span or in MathML is left as it is."""
    if _SHORTCUT.search(xhtml) is None:
        return xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    left_alone = {
        inner
        for outer in wrapper.iter()
        if outer.tag == "pre"
        or (outer.tag == "span" and _NOLINK in (outer.get("class") or "").split())
        or str(outer.tag).startswith("{")  # MathML: a span cannot stand in it
        for inner in outer.iter()
    }
    for element in list(wrapper.iter()):
        for name in ("href", "src"):
            value = element.get(name)
            if value and _SHORTCUT.search(value):
                element.set(name, _SHORTCUT.sub(lambda m: quote(m.group(), safe=""), value))
        if element.text and element not in left_alone:
            place_pieces(element, _pieces(element.text), _span, tail=False)
        parent = element.getparent()
        if element.tail and parent is not None and parent not in left_alone:
            place_pieces(element, _pieces(element.tail), _span, tail=True)
    return (wrapper.text or "") + "".join(
        etree.tostring(child, encoding="unicode") for child in wrapper)


def _pieces(text: str) -> list[str]:
    """Text, then a shortcut and text by turns."""
    pieces, last = [""], 0
    for found in _TOKENS.finditer(text):
        if found.lastgroup == "shortcut":
            pieces[-1] += text[last:found.start()]
            pieces += [found.group(), ""]
            last = found.end()
    pieces[-1] += text[last:]
    return pieces


def _span(shortcut: str, tail: str) -> etree._Element:
    span = etree.Element("span", {"class": _NOLINK})
    span.text = shortcut
    span.tail = tail
    return span
