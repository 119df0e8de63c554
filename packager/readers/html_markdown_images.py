"""Images in the HTML html_markdown converts: what an image lookup answers (`Dropped`,
`Kept`, `ImageLookup`), the notes on an image not kept or kept with a word, and what stands
beside an image in its line of text (whether its alt text would run into a word, whether a
digit follows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from packager.readers.html_markdown_elements import BLOCKS, OTHER_BLOCKS, tag_of


class Dropped(NamedTuple):
    """What an image lookup returns for an image it will not keep, with why: its note says
    so (a lookup's None says only that the source holds no such file)."""

    reason: str


class Kept(NamedTuple):
    """What an image lookup returns for an image it keeps with something to say: the bank's
    href, and the note (the package names the file otherwise than the source does)."""

    href: str
    note: str


# An image source → the bank's href, Kept, Dropped, or None (not found in the source).
ImageLookup = Callable[[str], str | Kept | Dropped | None]


def image_not_found(src: str) -> str:
    """The note of an image whose `image(src)` gave no media file; a reader that knows why
    puts its own note in place of this one."""
    return f"image {src[:60]!r} dropped: not found in the source"


_LINE_BLOCKS = BLOCKS | OTHER_BLOCKS | {"li", "td", "th", "dd", "dt", "caption"}


def word_beside(image: Any, alt: str) -> tuple[bool, bool]:
    """Whether the alt text shown for a dropped image would run into a word of the same
    block before it and after it: a browser sets the image apart from the text beside it,
    so the alt text is then kept apart by a space. Space, punctuation, a break or the
    block's edge are separation enough; an image after it is not (its alt text may follow;
    the space is written on this side only)."""
    block = _line_block(image)
    before, after = _before(image, block), _after(image, block)
    word_before = (isinstance(before, str) and before[-1:].isalnum() and alt[0].isalnum())
    word_after = alt[-1].isalnum() and (
        (isinstance(after, str) and after[:1].isalnum())
        or (after is not None and not isinstance(after, str) and tag_of(after) == "img"))
    return word_before, word_after


def before_digit(image: Any) -> bool:
    """Whether what follows an image in its block may start with a digit: text that does,
    or another image (its alt text may)."""
    after = _after(image, _line_block(image))
    if isinstance(after, str):
        return after[0] in "0123456789"
    return after is not None and tag_of(after) == "img"


def _line_block(image: Any) -> Any | None:
    """The block whose line of text the image is on (None: no such ancestor)."""
    return next((a for a in image.iterancestors() if tag_of(a) in _LINE_BLOCKS), None)


# What stands beside an image (`_before`, `_after`): the nearest text, <br> or <img> of its
# block, as a text (str) or the element. It is walked to from the image, over what lies
# between them only: libxml2 took the whole `preceding::` or `following::` axis before
# picking its first node, so each image cost the document (quadratic in images).
def _before(image: Any, block: Any | None) -> str | Any | None:
    node = image
    while node is not None and node is not block:
        previous = node.getprevious()
        if previous is None:
            node = node.getparent()  # an ancestor: its own text comes before its content
            if node is not None and node.text:
                return node.text
            continue
        if previous.tail:
            return previous.tail
        found = _last(previous)
        if found is not None:
            return found
        node = previous
    return None


def _after(image: Any, block: Any | None) -> str | Any | None:
    node = image
    while node is not None and node is not block:
        if node.tail:
            return node.tail
        following = node.getnext()
        if following is None:
            node = node.getparent()  # an ancestor: its tail comes after its content
            continue
        found = _first(following)
        if found is not None:
            return found
        node = following
    return None


def _last(element: Any) -> str | Any | None:
    """The last text, <br> or <img> of an element and its content (a comment's text is
    none)."""
    for child in reversed(element):
        if child.tail:
            return child.tail
        found = _last(child)
        if found is not None:
            return found
    tag = tag_of(element)
    if tag is not None and element.text:
        return element.text
    return element if tag in ("br", "img") else None


def _first(element: Any) -> str | Any | None:
    """The first text, <br> or <img> of an element and its content (a comment's text is
    none)."""
    tag = tag_of(element)
    if tag in ("br", "img"):
        return element
    if tag is not None and element.text:
        return element.text
    for child in element:
        found = _first(child)
        if found is not None:
            return found
        if child.tail:
            return child.tail
    return None


def kept_image(src: str, kept: Kept) -> str:
    """The note for an image kept with something to say."""
    return f"image {_shown(src)!r} {kept.note}"


def _shown(src: str) -> str:
    return src if len(src) <= 80 else src[:79] + "…"


def dropped_image(src: str, dropped: Dropped | None) -> str:
    """The note for an image not kept. A `data:` URL is named by its type and size, not by
    its first characters, which are alike for every image of a type."""
    if dropped is None:
        return image_not_found(src)
    if src[:5].lower() == "data:":
        kind = src[5:].split(",", 1)[0].split(";", 1)[0] or "text/plain"
        what = f"an image embedded in the text ({kind}, {len(src):,} characters)"
    else:
        what = f"image {_shown(src)!r}"
    return f"{what} dropped: {dropped.reason}"
