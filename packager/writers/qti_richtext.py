"""Rich text in the QTI 2.1 and 3.0 writers: rendered Markdown as XHTML elements in the QTI
namespace, the media it shows, and the blanks of fill-in-the-blanks prompts."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from lxml import etree

from packager.model import Bank, Question
from packager.richtext import LIST_START, render
from packager.writers.qti_common import media_path, relative_href, url

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# richtext.render caches every text it renders (the checks rendered them all already).
rendered = render


# Parsed anew for each use, not copied from a cache: libxml2 parses a rendered text faster
# than lxml copies the tree it gives, and most rich texts of a bank are distinct anyway.
# Parsed as bytes: lxml hands libxml2 a str in its internal form (Latin-1, UTF-16 or UCS-4),
# which libxml2 converts to UTF-8 more slowly than Python encodes it. Non-ASCII characters go as character references: from the first
# non-ASCII byte of a text run to its end, libxml2 reads the run one decoded character at a
# time, where it copies an ASCII run whole and a reference costs it one step. The tree is the
# same (a reference is its character; adjacent text is one text node), and so are the bytes
# serialized from it: rendered XHTML is text and attribute values under the allow-list's
# ASCII names (no comment or CDATA, where a reference would stay as written, nor a non-ASCII
# name, where none is allowed), and the only characters a reference would keep
# from normalisation (tab, CR, LF) are ASCII.
def _parsed(namespace: str, xhtml: str) -> etree._Element:
    source = f'<div xmlns="{namespace}">{xhtml}</div>'
    return etree.fromstring(source.encode("ascii", "xmlcharrefreplace"))


def paragraph_text(markdown: str) -> str | None:
    """The text of Markdown that renders to one plain paragraph, else None."""
    return rendered(markdown).paragraph_text


def _parsed_elements(markdown: str, namespace: str, document: str) -> list[etree._Element]:
    """Rendered Markdown as fresh elements in `namespace` (MathML stays MathML); image sources
    rewritten to the packaged media, relative to `document` (a package path)."""
    result = rendered(markdown)
    elements = list(_parsed(namespace, result.xhtml))
    if result.flags & LIST_START:  # QTI's XHTML has no start (the report says so)
        for element in elements:
            for listed in element.iter(f"{{{namespace}}}ol"):
                if "start" in listed.attrib:
                    del listed.attrib["start"]
    if result.media:
        img = f"{{{namespace}}}img"
        for element in elements:
            for image in element.iter(img):
                src = image.get("src")
                if src:
                    image.set("src", relative_href(document, url(media_path(_unquote(src)))))
    return elements


@lru_cache(maxsize=16)
def _p_tag(namespace: str) -> str:
    return f"{{{namespace}}}p"


def _unquote(src: str) -> str:
    from urllib.parse import unquote

    return str(PurePosixPath(unquote(src)))


def append_rich(
    parent: etree._Element, markdown: str, namespace: str, document: str, *, inline: bool
) -> None:
    """Append rendered Markdown to `parent`; with inline=True a lone paragraph is unwrapped
    (its text and children go straight into `parent`), e.g. inside a choice."""
    text = paragraph_text(markdown)
    if text is not None:  # the common case: one plain paragraph, no parsing
        if inline:
            _append_text(parent, text)
        else:
            etree.SubElement(parent, _p_tag(namespace)).text = text
        return
    elements = _parsed_elements(markdown, namespace, document)
    if inline and len(elements) == 1 and elements[0].tag == _p_tag(namespace):
        only = elements[0]
        _append_text(parent, only.text)
        for child in only:
            parent.append(child)
        return
    for element in elements:
        parent.append(element)


def _append_text(parent: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def media_of(markdowns: Sequence[str | None]) -> list[str]:
    """Package paths of the media the texts use, in first-use order."""
    found: dict[str, None] = {}
    for text in markdowns:
        if text:
            media = rendered(text).media
            if media:
                for href in media:
                    found[media_path(href)] = None
    return list(found)


def question_texts(bank: Bank, q: Question, *, with_stimulus: bool) -> list[str]:
    from packager.model.walk import question_fields

    texts = [text for _, _, text in question_fields(q)]
    if with_stimulus and q.stimulus:
        texts.insert(0, bank.stimulus_by_id[q.stimulus].body)
    return texts


_BLANK_SPLIT = re.compile(r"(\[\[[a-z0-9][a-z0-9_-]*\]\])")


def replace_blanks(root: etree._Element, make: Callable[[str], etree._Element]) -> None:
    """Replace every [[blank-id]] in the text of `root`'s subtree with make(blank_id)."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.text and "[[" in element.text:
            pieces = _BLANK_SPLIT.split(element.text)
            element.text = pieces[0] or None
            _insert_pieces(element, None, pieces[1:], make)
        for child in list(element):
            if child.tail and "[[" in child.tail:
                pieces = _BLANK_SPLIT.split(child.tail)
                child.tail = pieces[0] or None
                _insert_pieces(element, child, pieces[1:], make)


def _insert_pieces(
    parent: etree._Element,
    after: etree._Element | None,
    pieces: list[str],
    make: Callable[[str], etree._Element],
) -> None:
    """The blanks and the text after each, placed after `after` (None: first in `parent`).
    Each goes next to the one before: lxml walks the children to reach an index."""
    for j in range(0, len(pieces), 2):
        marker = pieces[j]
        text = pieces[j + 1] if j + 1 < len(pieces) else ""
        new = make(marker[2:-2])
        new.tail = text or None
        if after is None:
            parent.insert(0, new)
        else:
            after.addnext(new)
        after = new
