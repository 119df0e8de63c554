"""A problem of a rich text (E-RICHTEXT) with its kind, set where the problem is found: the
checks choose its hint by the kind, and render() tells its problems about links from the
others by it, whatever the message's words (which quote the author's addresses, class
names, attributes and formulas: a link to `math-notes.pdf` is a link to a file, not math)."""

from __future__ import annotations

from typing import Literal, NamedTuple

RefusedKind = Literal[
    "address",  # a link's address no browser or package can read
    "attribute",  # an attribute outside the allow-list
    "character",  # a character, or a reference to one, that XML cannot carry
    "class",  # a class a page's own styles could take
    "deep",  # nesting deeper than packages keep
    "dollars",  # too many `$` to tell math from money
    "element",  # raw HTML outside the allow-list
    "expanded",  # renders to far more HTML than its length
    "file-link",  # a link to a file, which packages do not carry
    "handler",  # an event-handler attribute
    "image",  # an image that is no file of the bank's
    "math",  # LaTeX or MathML that cannot be carried
    "math-bounds",  # math spaced, shifted or sized beyond the bounds packages allow
    "math-link",  # a link on math (\href)
    "math-style",  # a style, class or id on math (\style, \class, \cssId)
    "nesting",  # raw HTML not well nested
    "no-href",  # an <a> without href
    "nothing",  # a text that shows nothing
    "scope",  # a table cell's scope that is none of HTML's
    "table-captions",  # a table with more than one caption
    "table-rows",  # a table with no rows
    "unsafe-url",  # a link or source with a scheme packages do not carry
]


class Refused(NamedTuple):
    kind: RefusedKind
    message: str
