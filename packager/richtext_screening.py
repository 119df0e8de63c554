"""What is known of a Markdown text without rendering it: whether render() needs the engine
(`needs_engine`), whether it may report a problem or a warning (`may_have_problems`), the
white edges it strips before the engine reads the text, and how far a text may expand.
"""

from __future__ import annotations

import re

from packager.richtext_dollars import options
from packager.richtext_refused import Refused

# Text with none of these characters renders to exactly one escaped paragraph. U+0085 is
# included because str.strip() removes it and Markdown does not; what XML cannot carry is
# included so that such text takes the slow path, which replaces and reports it. Searched
# for rather than fullmatched against its complement: same answer, and re's literal-set
# scan is faster on the long texts of a large bank.
_NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<>&!#$|~\n\r\t\x85\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)

_PLAIN_START = re.compile(r"[\-+=>0-9 ]")


def needs_engine(markdown: str) -> bool:
    """Whether render() runs the Markdown engine on this text: it is not one plain paragraph
    (the test render() makes first)."""
    return _PLAIN_START.match(markdown) is not None or _NOT_PLAIN.search(markdown) is not None


# What render() can report a problem or warning about needs one of these: raw HTML (`<`),
# a link or image (`[`), a character reference (`&#`), math or a dollar (`$`, `\\(`),
# nesting too deep (many of `>-*+_.)`) or a table that expands too far (`|` and `-`); or a
# character XML cannot carry, or no text at all, which the model refuses (model/types.py).
# (pulldown-cmark runs with tables and math only: no autolinks, footnotes or metadata blocks,
# which could report or hide text without them.)


def may_have_problems(markdown: str) -> bool:
    """Whether render() of a text the model accepted might report a problem or a warning.
    False only when it certainly reports none (tested over generated Markdown): the checks
    need not render such a text, though a writer still does. Substring searches, which run
    at memchr speed: a character set with the model's characters too made re look at every
    character (0.09 s against 0.04 s over the texts of the rich 10,000-question bench bank)."""
    return (
        "$" in markdown
        # What may show nothing: Markdown's marks and no letter (`- `, `1. `, `#`), or a
        # named reference (`&nbsp;`)
        # (a text's first character is a letter far more often than not: no search then)
        or (not markdown[:1].isalpha() and _LETTER.search(markdown) is None
            and _MARK.search(markdown) is not None)
        or ("&" in markdown and _NAMED_REFERENCE.search(markdown) is not None)
        or "[" in markdown
        or "<" in markdown
        or "\\" in markdown
        or "&#" in markdown
        or (len(markdown) >= _NESTING_LENGTH and _nesting_marks(markdown) >= _NESTING_MARKS)
        or (
            len(markdown) >= _EXPANDING_LENGTH
            and "|" in markdown
            and "-" in markdown
            and _renders_too_long(markdown)
        )
    )


def _renders_too_long(markdown: str) -> bool:
    """Whether render() finds the text expanding too far (see _MAX_EXPANSION), for a text
    without `$` or `\\`, whose source render() changes only at its white edges. The
    engine alone takes microseconds: a table is not a suspect for being a table."""
    import pyromark

    markdown = strip_unicode_edges(markdown)
    return too_long(len(pyromark.html(markdown, options=options())), len(markdown))


# Nesting deeper than html_fragment.MAX_DEPTH, which render() reports, takes quotes (`>`),
# list markers (two characters a level, `- ` or `1.`) or emphasis (`*`, `_`, two a level):
# at least about 127 of these characters, in a text of about 254 or more.
_NESTING = b">-*+_.)"
_LETTER = re.compile(r"[^\W\d_]")
_NAMED_REFERENCE = re.compile(r"&[A-Za-z][A-Za-z0-9]*;")
_MARK = re.compile(r"[-#*+>.)=|`~_]")
_NESTING_LENGTH = 240
_NESTING_MARKS = 120


def _nesting_marks(markdown: str) -> int:
    """How many of the characters that nest the text holds (one pass in C: bytes.translate
    deletes them; str.count per character took longer)."""
    data = markdown.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _NESTING))


# pulldown-cmark fills every row of a table out to its header's columns: 3 KB of one-cell
# rows under a header of 256 columns rendered to 1.3 MB, and every package then held it.
# A real table stays far below this (a centred one of empty cells: about 36 times; other
# Markdown at most about 14 times; math is made MathML later), so a text may render to this
# much HTML at most.
_MAX_EXPANSION = 64
_EXPANSION_FLOOR = 4096
# A table needs a `|` and its delimiter row a `-`; under this length no table reaches the
# bound (may_have_problems asks the engine only about longer ones).
_EXPANDING_LENGTH = 64


def too_long(rendered: int, source: int) -> bool:
    return rendered > _MAX_EXPANSION * source + _EXPANSION_FLOOR


def expanded(rendered: int, source: int) -> Refused:
    return Refused(
        "expanded",
        f"renders to {rendered:,} characters of HTML, {rendered // max(source, 1)} times its "
        f"length, more than the {_MAX_EXPANSION} times a text may: a table fills every row out "
        "to its header's columns; give its rows their cells, or give it fewer columns",
    )


_LEADING_SPACE = re.compile(r"[^\S\r\n]*")


def strip_unicode_edges(markdown: str) -> str:
    """The text without the white space on its first and last line's outer edge when that
    holds more than spaces and tabs (a no-break space, U+3000 …). CommonMark strips only
    spaces and tabs from a paragraph's edges; the plain-text path strips all white space, as
    packager always has, and a text must not render differently for holding a `*`."""
    if not (markdown[:1].isspace() or markdown[-1:].isspace()):
        return markdown
    start = _LEADING_SPACE.match(markdown)
    if start is not None and not markdown[: start.end()].isascii():
        markdown = markdown[start.end() :]
    # By hand: searched with a pattern, a long run of white space before the text's end was
    # scanned again from each of its characters.
    end = len(markdown)
    while end and markdown[end - 1].isspace() and markdown[end - 1] not in "\r\n":
        end -= 1
    if not markdown[end:].isascii():
        markdown = markdown[:end]
    return markdown
