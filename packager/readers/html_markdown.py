"""HTML from another tool → canonical rich text: Markdown where Markdown says it, allowed
HTML where it does not (tables, sub/sup), and a list of what could not be carried.

Foreign HTML is untrusted: it is parsed by lxml's HTML parser (no network, no entities),
scripts, styles, frames, forms and event handlers are dropped (and reported), links keep
only http/https/mailto targets, and images are kept only when `image(src)` maps their
source to a media file of the bank (a dropped image leaves its alt text, set apart from a
word beside it as a browser sets the image apart). MathML becomes `$…$` LaTeX where the shape has a sure
LaTeX form, else stays MathML; a Canvas equation image becomes its LaTeX as math
(equation_images.py). TeX that Moodle's filter reads (`\\(…\\)`, `\\[…\\]`, `$$…$$`)
becomes packager's `$…$` / `$$…$$`. Everything else is text, escaped so that Markdown reads
it back as the same text.

The conversion's parts: the writer of Markdown from the parsed HTML (html_markdown_writer),
what it reads of the HTML's elements (html_markdown_elements) and of its images
(html_markdown_images), and the Markdown syntax it writes text in (html_markdown_syntax).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from packager.readers.html_markdown_images import ImageLookup
from packager.readers.html_markdown_syntax import (
    BREAK,
    EDGE,
    add_inline,
    collapse_space,
    destination,
    edges,
    escape_inline,
    escape_line_starts,
    escape_text,
    joined_blocks,
    tidy_lines,
)
from packager.readers.html_markdown_writer import CLOSE, END, OPEN, Writer, inline_text
from packager.readers.noted import Noted

# Paragraphs of text and nothing else (`<p dir="ltr">…</p>`, as Moodle's editors write most
# texts): converted without a parse. Attribute values hold no quote, `<`, `>` or `&`, and the
# text no `<`, so the tags end where these patterns say; what lxml would read differently
# (control characters, entities other than these five) takes the parse, as does a style
# that may set bold, italic or a decoration (`text-align: left` is what editors write).
_PARAGRAPHS = re.compile(
    r'[ \t\r\n]*(?:<p(?:[ \t\r\n]+(?:(?!style=)[a-z][a-z-]*="[^"<>&]*"'
    r'|style="(?:(?!(?i:font|decoration))[^"<>&])*"))*[ \t\r\n]*>[^<]*</p>[ \t\r\n]*)+'
)
_PARAGRAPH_TEXT = re.compile(r"<p[^>]*>([^<]*)</p>")
# Paragraphs and lists of text with bold, italic and links (`<p>…<strong>…</strong>…</p><ul>
# <li>…</li></ul>`, as editors write most explanations): converted without a parse, by the
# Writer's own steps for such content. As for `_PARAGRAPHS`, the text holds no `<`, so every
# tag ends where the pattern says; bold, italic and links hold text only, bold and italic no
# attribute, a link first its `href` (a link the Writer keeps: no note to make; other
# attributes are not read), a list and its items no attribute (an `<ol start>` would number
# otherwise), and only white space stands between blocks and between a list's items (other
# text there becomes a paragraph of its own).
_SPACE = r"[ \t\r\n]*"
_P_OPEN = (r'<p(?:[ \t\r\n]+(?:(?!style=)[a-z][a-z-]*="[^"<>&]*"'
           r'|style="(?:(?!(?i:font|decoration))[^"<>&])*"))*[ \t\r\n]*>')
_A_OPEN = (r'<a href="(?i:https?://[^/?#\s"<>&]|mailto:|#)[^\s"<>&]*"'
           r'(?:[ \t\r\n]+(?!href=)[a-z][a-z-]*="[^"<>&]*")*>')
_INLINE = (r"[^<]*(?:(?:<strong>[^<]*</strong>|<em>[^<]*</em>|<b>[^<]*</b>|<i>[^<]*</i>"
           rf"|{_A_OPEN}[^<]*</a>)[^<]*)*")
_ITEMS = rf"{_SPACE}(?:<li>{_INLINE}</li>{_SPACE})+"
_SIMPLE = re.compile(
    rf"{_SPACE}(?:(?:{_P_OPEN}{_INLINE}</p>|<ul>{_ITEMS}</ul>|<ol>{_ITEMS}</ol>){_SPACE})+"
)
# The tags of such a text (a link's with its href): the pieces between them are its texts.
_SIMPLE_TAG = re.compile(
    r'<(/?)(p|ul|ol|li|strong|em|b|i|a)(?: href="([^"]*)")?(?:[ \t\r\n][^>]*)?>'
)
_EMPHASIS = {"strong": ("**", "strong"), "b": ("**", "strong"), "em": ("*", "em"),
             "i": ("*", "em")}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|nbsp);)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": "\xa0"}
_ENTITY = re.compile("|".join(_ENTITIES))


def _may_be_rtl(html: str) -> bool:
    """Whether the HTML may set a right-to-left direction, which the parse then looks for.
    The lowered text searched, not a case-blind pattern, which the regex engine tries at each
    character; no character but R, T and L lowers to r, t or l, so the two agree. A character
    reference may spell the value (`dir="&#114;tl"`): with one beside a `dir`, the parse looks."""
    lowered = html.lower()
    return "rtl" in lowered or ("&" in html and "dir" in lowered)


_RTL_NOTE = ('right-to-left direction (dir="rtl") dropped: the text is kept, in a '
             "left-to-right paragraph (punctuation and runs of the other direction may show "
             "in another order)")


@dataclass
class Converted:
    markdown: str
    notes: list[Noted] = field(default_factory=list)  # what was dropped or changed
    # The target of each link dropped, by its note: for a reader that knows more about it
    # (a file of its own it could not carry) and says so instead.
    links: dict[str, str] = field(default_factory=dict)


def _has_markup(html: str) -> bool:
    """A tag, an entity or TeX (plain `in` tests: far quicker than one regex's alternatives)."""
    return "<" in html or "&" in html or "\\(" in html or "\\[" in html or "$$" in html


def _parsed_differently(html: str) -> bool:
    """Whether lxml reads the text of `html` otherwise than `_paragraphs` would: a character it
    replaces or refuses, or an entity other than the five decoded there."""
    return _CONTROL.search(html) is not None or (
        "&" in html and _OTHER_ENTITY.search(html) is not None
    )


def html_to_markdown(html: str, image: ImageLookup) -> Converted:
    """Canonical rich text for an HTML fragment; `image(src)` gives the bank's href for an
    image source (Kept: with a note), or why it is dropped (Dropped), or None when the source
    holds no such file (dropped too)."""
    if not html.strip():
        return Converted("")
    if not _has_markup(html):
        # No tag, entity or TeX: one paragraph of text, as the parse below would make it,
        # without the parse (most option and answer texts are like this).
        return Converted(escape_line_starts(escape_inline(collapse_space(html).strip())))
    shortcut: Callable[[str], Converted | None] | None = None
    if _PARAGRAPHS.fullmatch(html) is not None:
        shortcut = _paragraphs
    elif _SIMPLE.fullmatch(html) is not None and not _holds_tokens(html):
        shortcut = _simple
    if shortcut is not None and not _parsed_differently(html) and not _sets_direction(html):
        converted = shortcut(html)
        if converted is not None:
            return converted
    return _parsed(html, image)


def _sets_direction(html: str) -> bool:
    """`_may_be_rtl` for a text a shortcut's pattern takes, whose every attribute is written
    `name="value"` with its name in lower case and no `&` in its value: only a `dir="`
    can set a direction, and a text without one is not lowered (the lowering of every text
    of an import was a quarter of the time spent choosing its conversion's path)."""
    return 'dir="' in html and _may_be_rtl(html)


def _paragraphs(html: str) -> Converted:
    """What `_parsed` makes of paragraphs of text: each paragraph's text, entities decoded,
    as `Writer.blocks` writes a <p> holding only text (which notes nothing)."""
    blocks = []
    for match in _PARAGRAPH_TEXT.finditer(html):
        text = match.group(1)
        if "&" in text:
            text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)
        paragraph = inline_text(text).strip()
        if paragraph:
            blocks.append(escape_line_starts(tidy_lines(paragraph)))
    return Converted("\n\n".join(b for b in blocks if b.strip()).strip())


def _holds_tokens(html: str) -> bool:
    """Whether the text holds a character the Writer uses as a token (the parse then writes
    without them)."""
    return OPEN in html or CLOSE in html or END in html or EDGE in html


def _simple(html: str) -> Converted | None:
    """What `_parsed` makes of paragraphs and lists of text with bold, italic and links
    (`_SIMPLE`): each paragraph's and item's run of inline Markdown as `Writer.blocks` writes
    it (text nodes, emphasis and links, then `Writer.paragraph`), and each list as
    `Writer.list_` writes items of one line (a paragraph is one: its white space is
    collapsed). None for a link without text, which the Writer drops with a note."""
    writer = Writer(_no_image)
    blocks: list[str] = []
    run: list[str] = []
    items: list[str] = []
    pieces = _SIMPLE_TAG.split(html)  # text, "/" or "", tag name, href or None, text, …
    inner, href = "", ""  # the text of the bold, italic or link element open; the link's href
    for at in range(1, len(pieces), 4):
        closing, tag, text = pieces[at], pieces[at + 1], pieces[at + 3]
        if "&" in text:
            text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)
        if tag in _EMPHASIS or tag == "a":
            if not closing:
                inner, href = text, pieces[at + 2]
                continue
            if tag == "a":
                lead, shown, trail = edges(inline_text(inner))
                if not shown:
                    return None
                add_inline(run, f"{lead}[{shown}](<{destination(href)}>){trail}")
            else:
                mark, name = _EMPHASIS[tag]
                add_inline(run, writer.emphasis(inline_text(inner), mark, name))
            run.append(inline_text(text))
        elif tag in ("p", "li"):
            if not closing:
                run = [inline_text(text)]
                continue
            paragraph = writer.paragraph("".join(run))
            if tag == "li":
                items.append(paragraph or "")
            elif paragraph is not None:
                blocks.append(paragraph)
        elif not closing:
            items = []
        else:
            blocks.append("\n".join(f"{n}. {item}" if tag == "ol" else f"- {item}"
                                    for n, item in enumerate(items, 1)))
    return Converted(joined_blocks(b for b in blocks if b.strip()).strip())


def _no_image(src: str) -> None:
    """The image lookup of a text that holds no image."""
    return None


def _parsed(html: str, image: ImageLookup) -> Converted:
    """Any HTML fragment, parsed: the conversion every shortcut above must agree with."""
    from lxml import etree

    from packager.xml.html_fragment import TOO_DEEP, fragment, plain_parser

    writer = Writer(image)
    try:
        # NUL marks a break while converting (`BREAK`): read as lxml reads it anyway.
        root = fragment(html.replace(BREAK, "\ufffd"), plain_parser())
    except (etree.ParserError, ValueError) as exc:
        why = f" ({TOO_DEEP})" if str(exc) == TOO_DEEP else ""
        return Converted(escape_text(html.strip()),
                         [Noted("changed", f"HTML that cannot be parsed{why} kept as text")])
    if (_holds_tokens(html) or "&#" in html) and root.xpath(
            "boolean(.//text()[contains(., $a) or contains(., $b) or contains(., $c)"
            " or contains(., $d)] | descendant-or-self::*/@*[contains(., $a) or contains(., $b)"
            " or contains(., $c) or contains(., $d)])", a=OPEN, b=CLOSE, c=END, d=EDGE):
        writer.tokens = False
    if _may_be_rtl(html) and root.xpath(
            "boolean(descendant-or-self::*[translate(normalize-space(@dir), 'RTL', 'rtl')"
            " = 'rtl'])"):
        writer.note("dropped", _RTL_NOTE)
    markdown = joined_blocks(b for b in writer.blocks(root) if b.strip())
    return Converted(markdown.strip(), writer.notes, writer.links)


def text_to_markdown(text: str, *, lines: bool = False) -> str:
    """Plain text as canonical rich text: escaped, blank lines kept as paragraph breaks; with
    `lines`, each line break too, as a hard break (Moodle shows a plain-text field's and
    GIFT's [plain] lines so: nl2br)."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    if not lines:
        return "\n\n".join(escape_text(" ".join(p.split())) for p in paragraphs if p.strip())
    return "\n\n".join(
        "\\\n".join(escape_text(" ".join(line.split())) for line in p.splitlines() if line.strip())
        for p in paragraphs if p.strip())
