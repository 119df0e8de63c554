"""Characters of a bank's text written as character references in the HTML of a package,
where an LMS finds its own markup by patterns over the stored HTML: Moodle's cloze gaps
(`{1:SHORTANSWER:…}`, `{#1}`), Canvas's and Blackboard's blanks (`[name]`). A reference shows
the same character and matches no such pattern. On the tree: lxml writes each reference,
never a pattern over serialized markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from lxml import etree

from packager.model import BLANK_MARKER

# A character reference of a blank's code (the writers' own escapes, e.g. `&#126;`).
_REFERENCE = re.compile(r"&(#[0-9]+|[a-z]+);")


def with_references(xhtml: str, chars: str, code: Callable[[str], str] | None = None) -> str:
    """The fragment with each of `chars` in its text a character reference, and each
    `[[blank]]` replaced by `code(blank)`, markup whose own references stay references
    (None: no blank is read here). In a link or an image source the characters are
    percent-encoded: the same address."""
    if not any(c in xhtml for c in chars) and (code is None or "[[" not in xhtml):
        return xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    for element in list(wrapper.iter()):
        for name in ("href", "src"):
            value = element.get(name)
            if value and any(c in value for c in chars):
                element.set(name, "".join(quote(c) if c in chars else c for c in value))
        if element.text:
            place_pieces(element, _pieces(element.text, chars, code), _reference, tail=False)
        if element is not wrapper and element.tail:
            place_pieces(element, _pieces(element.tail, chars, code), _reference, tail=True)
    return (wrapper.text or "") + "".join(
        etree.tostring(child, encoding="unicode") for child in wrapper)


def place_pieces(element: etree._Element, pieces: list[str],
                 make: Callable[[str, str], etree._Element], *, tail: bool) -> None:
    """Put `pieces` (text, then a token and the text after it by turns) where the element's
    text (or, `tail`, its tail) stood: each token becomes `make(token, text after it)`. Each
    node goes next to the one before (addnext): inserting at an index walked the children
    every time, a minute for a text of 16,000 tokens."""
    if tail:
        element.tail = pieces[0]
    else:
        element.text = pieces[0]
    before: etree._Element | None = element if tail else None
    for at in range(1, len(pieces), 2):
        node = make(pieces[at], pieces[at + 1])
        if before is None:
            element.insert(0, node)
        else:
            before.addnext(node)
        before = node


def _pieces(text: str, chars: str, code: Callable[[str], str] | None) -> list[str]:
    """Text, then a reference's name and text by turns."""
    pieces: list[str] = []
    text_now: list[str] = []  # the text piece being written, joined once it ends
    for i, part in enumerate(BLANK_MARKER.split(text) if code is not None else [text]):
        if i % 2:
            assert code is not None
            written = _REFERENCE.split(code(part))
        else:
            written = [f"#{ord(c)}" if n % 2 else c
                       for n, c in enumerate(re.split(f"([{re.escape(chars)}])", part))]
        text_now.append(written[0])
        if len(written) > 1:
            pieces += ["".join(text_now), *written[1:-1]]
            text_now = [written[-1]]
    return [*pieces, "".join(text_now)]


def _reference(name: str, tail: str) -> etree._Entity:
    reference = etree.Entity(name)
    reference.tail = tail
    return reference
