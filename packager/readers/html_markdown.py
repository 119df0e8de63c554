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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from packager.mathml import adopt
from packager.readers.equation_images import equation_latex, inline_math
from packager.readers.mathml_latex import to_latex

if TYPE_CHECKING:
    pass

# Kept as HTML: allowed by packager's sanitiser and without a Markdown form.
_RAW_INLINE = frozenset({"sub", "sup", "abbr", "acronym", "cite", "dfn", "kbd", "q", "samp", "var",
                         "small", "big", "tt"})
_DROPPED = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed",
                      "applet", "form", "input", "button", "select", "textarea", "noscript",
                      "template", "link", "meta", "base", "svg", "audio", "video", "canvas",
                      "head", "title"})
_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside",
                     "center", "address", "figure", "figcaption", "body", "html"})
# Other elements a browser shows as blocks (in a list: not on the line of the item before).
_OTHER_BLOCKS = frozenset({"ul", "ol", "pre", "table", "blockquote", "hr", "dl", "h1", "h2",
                           "h3", "h4", "h5", "h6"})
# Formatting without a counterpart in packager (underline, colour): the text is what matters.
_QUIET_UNWRAP = frozenset({"span", "font", "u", "s", "strike", "del", "ins", "mark", "label",
                           "nobr"})
_TABLE_STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
# Links a bank may hold: mailto, an anchor, or a web address with its host (`https:x` is none).
_SAFE_LINK = re.compile(r"^(https?://[^/?#\s]|mailto:|#)", re.I)
# What a link's `<…>` destination cannot hold as itself: an angle bracket or a line ending
# makes it no link (and the rest of the href was read as raw HTML), a backslash escapes what
# follows it; space, tab and control characters the engine would encode anyway.
_NOT_IN_DESTINATION = re.compile(r"[\x00-\x20<>\\\x7f-\x9f]")
# Markdown's own characters in text: escaped wherever they occur.
_ESCAPE = re.compile(r"([\\`*_\[\]<>|$])")
# A block marker after a line's indent. The indent holds no newline: white space running
# over the lines after it was tried from each line's start (quadratic in a run of newlines),
# and the marker is found from its own line's start all the same.
_LINE_START = re.compile(r"^([^\S\n]*)(?:([#>+=-])|(\d+)([.)]))", re.M)
# What collapsing HTML white space to one space changes: a lone space is already that.
_SPACE = re.compile(r"[ \t\r\n\f]{2,}|[\t\r\n\f]")
# A line ending, as CommonMark reads one.
_LINE_ENDING = re.compile(r"\r\n?|\n")
# What Markdown would read as a character reference.
_REFERENCE_LIKE = re.compile(r"&(?=#?\w+;)")
# TeX in text: \(…\), \[…\] or $$…$$, each up to the first closer after at least one character.
_TEX_OPENER = re.compile(r"\\\(|\\\[|\$\$")
_TEX_CLOSER = {"\\(": "\\)", "\\[": "\\]", "$$": "$$"}
# Paragraphs of text and nothing else (`<p dir="ltr">…</p>`, as Moodle's editors write most
# texts): converted without a parse. Attribute values hold no quote, `<`, `>` or `&`, and the
# text no `<`, so the tags end where these patterns say; what lxml would read differently
# (control characters, entities other than these five) takes the parse.
_PARAGRAPHS = re.compile(
    r'[ \t\r\n]*(?:<p(?:[ \t\r\n]+[a-z][a-z-]*="[^"<>&]*")*[ \t\r\n]*>[^<]*</p>[ \t\r\n]*)+'
)
_PARAGRAPH_TEXT = re.compile(r"<p[^>]*>([^<]*)</p>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|nbsp);)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": "\xa0"}
_ENTITY = re.compile("|".join(_ENTITIES))
# A <br> while its block is written: only once the block is complete is it known whether
# the break stands between text (a Markdown hard break) or at the block's end, where
# Moodle's editors leave one (`<p>text<br></p>`, `<p><br></p>`) and a browser shows none,
# but Markdown would show a literal backslash. NUL is never text: lxml reads it as U+FFFD.
_BREAK = "\x00"
# Emphasis in a block is written between tokens (`_Writer.emphasis`) that `settle` makes
# Markdown or HTML: noncharacters, which no text holds (a parse finding one uses no tokens).
_OPEN, _CLOSE, _END = "\ufdd0", "\ufdd1", "\ufdd2"
_TOKEN = re.compile("\ufdd0([0-9]+)\ufdd2|\ufdd1([0-9]+)\ufdd2")
# Emphasis of one block that `_Writer.settle` tries one by one, at most.
_MOST_TRIED = 16
# Whether the HTML may set a right-to-left direction, which the parse then looks for.
_RTL = re.compile("rtl", re.I)
_RTL_NOTE = ('right-to-left direction (dir="rtl") dropped: the text is kept, in a '
             "left-to-right paragraph (punctuation and runs of the other direction may show "
             "in another order)")


class Dropped(NamedTuple):
    """What an image lookup returns for an image it will not keep, with why: its note says
    so (a lookup's None says only that the source holds no such file)."""

    reason: str


# An image source → the bank's href, Dropped, or None (not found in the source).
ImageLookup = Callable[[str], str | Dropped | None]


@dataclass
class Converted:
    markdown: str
    notes: list[str] = field(default_factory=list)  # what was dropped or changed, as phrases
    # The target of each link dropped, by its note: for a reader that knows more about it
    # (a file of its own it could not carry) and says so instead.
    links: dict[str, str] = field(default_factory=dict)


def image_not_found(src: str) -> str:
    """The note of an image whose `image(src)` gave no media file; a reader that knows why
    puts its own note in place of this one."""
    return f"image {src[:60]!r} dropped: not found in the source"


def escape_text(text: str) -> str:
    """Plain text as Markdown that reads back as the same text."""
    return _escape_line_starts(_escape_inline(text))


def _escape_inline(text: str) -> str:
    """Text inside a line: Markdown's characters escaped, but not a block marker, which only
    means something at the start of a line (escaped by `_escape_line_starts`)."""
    escaped = _ESCAPE.sub(r"\\\1", text)
    return _REFERENCE_LIKE.sub("&amp;", escaped) if "&" in escaped else escaped


def _escape_line_starts(markdown: str) -> str:
    return _LINE_START.sub(_escape_line_start, markdown)


def _escape_line_start(match: re.Match[str]) -> str:
    """A block marker at the start of a line, made text: `\\#`, `\\-`, `1\\.`."""
    space, mark, number, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{number}\\{dot}"


def _collapse_space(text: str) -> str:
    """HTML white space runs as one space (a no-break space is text)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACE.sub(" ", text)
    return text


def _has_markup(html: str) -> bool:
    """A tag, an entity or TeX (plain `in` tests: far quicker than one regex's alternatives)."""
    return "<" in html or "&" in html or "\\(" in html or "\\[" in html or "$$" in html


def _parsed_differently(html: str) -> bool:
    """Whether lxml reads the text of `html` otherwise than `_paragraphs` would: a character it
    replaces or refuses, or an entity other than the five decoded there."""
    return _CONTROL.search(html) is not None or (
        "&" in html and _OTHER_ENTITY.search(html) is not None
    )


def dropped_link(href: str) -> str:
    """The note on a link an import drops, keeping its text."""
    return f"link to {href!r} dropped (only http, https and mailto are kept)"


class _Writer:
    def __init__(self, image: ImageLookup) -> None:
        self.image = image
        # Each note once; those about an image a lookup dropped with how often they were made
        # (two images dropped are two losses, though their notes read alike).
        self._counts: dict[str, int] = {}
        self.links: dict[str, str] = {}  # Converted.links
        # The emphasis of the block being written, between tokens (`settle`): its Markdown
        # mark, its HTML tag and whether the mark was sure without asking the engine.
        self._emphasis: list[tuple[str, str, bool]] = []
        self.tokens = True  # False: the text holds the tokens' characters

    def note(self, message: str, *, counted: bool = False) -> None:
        self._counts[message] = self._counts.get(message, 0) + 1 if counted else 1

    def drop_link(self, href: str) -> None:
        message = dropped_link(href)
        self.links[message] = href
        self.note(message)

    @property
    def notes(self) -> list[str]:
        return [m if n == 1 else f"{m} ({n} times)" for m, n in self._counts.items()]

    # -------------------------------------------------------------- inline content
    def inline(self, element: Any) -> str:
        """The inline Markdown of an element's content (its text, children and their tails)."""
        parts = [self.text(element.text)]
        for child in element:
            parts.append(self.inline_element(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def text(self, value: str | None) -> str:
        if not value:
            return ""
        value = _collapse_space(value)
        if "\\" not in value and "$$" not in value:
            return _escape_inline(value)  # no TeX delimiter: one run of text
        out, last = [], 0
        for start, end, opener, tex in _tex_spans(value):
            out.append(_escape_inline(value[last:start]))
            out.append(f"${tex.strip()}$" if opener == "\\(" else f"$${tex.strip()}$$")
            last = end
        out.append(_escape_inline(value[last:]))
        return "".join(out)

    def inline_element(self, element: Any) -> str:
        tag = _tag(element)
        if tag is None:
            return ""
        if tag in _DROPPED:
            self.note(f"<{tag}> dropped")
            return ""
        if tag == "math":
            return self.math(element)
        if tag == "br":
            return _BREAK
        if tag == "img":
            return self.img(element)
        inner = self.inline(element)
        if tag in ("strong", "b"):
            return self.emphasis(inner, "**", "strong")
        if tag in ("em", "i"):
            return self.emphasis(inner, "*", "em")
        if tag == "code":
            return _code_span(_text_content(element))
        if tag == "a":
            href = (element.get("href") or "").strip()
            lead, text, trail = _edges(inner)
            if href and _SAFE_LINK.match(href) and text:
                # Breaks at the edges stay outside: Markdown reads no link whose text ends
                # in a hard break.
                return f"{lead}[{text}](<{_destination(href)}>){trail}"
            if href:
                self.drop_link(href)
            return inner
        if tag in _RAW_INLINE:
            return f"<{tag}>{inner}</{tag}>"
        if tag in _BLOCKS or tag in ("ul", "ol", "table", "pre", "blockquote", "hr") or tag[0] == "h":
            return inner  # a block inside inline content: its text stays, its shape does not
        if tag not in _QUIET_UNWRAP:
            self.note(f"<{tag}> unwrapped (its text is kept)")
        bold, italic = _styled(element)
        if bold:  # inside the italic: `***x***` reads back as <em><strong>
            inner = self.emphasis(inner, "**", "strong")
        if italic:
            inner = self.emphasis(inner, "*", "em")
        return inner

    def emphasis(self, inner: str, mark: str, tag: str) -> str:
        """Emphasis around inline Markdown, between tokens that `settle` makes `mark` where
        the engine reads the block back as the HTML tag would show it, else the HTML tag."""
        lead, stripped, trail = _edges(inner)
        if not stripped:
            return inner
        sure = stripped[0].isalnum() and stripped[-1].isalnum()
        if not self.tokens:  # the text holds the tokens' characters: no engine to ask
            return (f"{lead}{mark}{stripped}{mark}{trail}" if sure else
                    f"{lead}<{tag}>{stripped}</{tag}>{trail}")
        n = len(self._emphasis)
        self._emphasis.append((mark, tag, sure))
        return f"{lead}{_OPEN}{n}{_END}{stripped}{_CLOSE}{n}{_END}{trail}"

    def settle(self, block: str) -> str:
        """A block's emphasis tokens as Markdown where the engine renders the block exactly
        as with HTML tags, else as those tags. Whether `**How?**` is bold depends on the
        characters around it (CommonMark's flanking rules), and `**a****b**` is not two bold
        words: the engine decides, not a rule of thumb. All Markdown is tried first, then
        each emphasis, outer ones first; a block of many keeps what was sure before (word
        characters at both edges) and HTML for the rest."""
        records, self._emphasis = self._emphasis, []
        if not records:
            return block
        import pyromark

        from packager.richtext_dollars import options

        pieces = _TOKEN.split(block)  # text, opening index, closing index, text, …

        def written(markdown: list[bool]) -> str:
            out = []
            for at, piece in enumerate(pieces):
                kind = at % 3
                if kind == 0:
                    out.append(piece)
                elif piece is not None:
                    mark, tag, _ = records[int(piece)]
                    out.append(mark if markdown[int(piece)] else
                               f"<{tag}>" if kind == 1 else f"</{tag}>")
            return "".join(out)

        def engine(markdown: str) -> str:
            return str(pyromark.html(markdown, options=options()))

        want = engine(written([False] * len(records)))
        every = written([True] * len(records))
        if engine(every) == want:
            return every
        if len(records) > _MOST_TRIED:  # one try each would render a long block many times
            return written([sure for _, _, sure in records])
        chosen = [False] * len(records)
        for n in reversed(range(len(records))):
            chosen[n] = True
            chosen[n] = engine(written(chosen)) == want
        return written(chosen)

    def img(self, element: Any) -> str:
        latex = equation_latex(element)
        if latex is not None:
            return self.equation(latex, _before_digit(element))
        src = element.get("src") or ""
        href = self.image(src)
        # White space collapsed as in other text: a newline in it would end the paragraph.
        alt = _collapse_space(element.get("alt") or "").strip()
        if href is None or isinstance(href, Dropped):
            self.note(_dropped_image(src, href), counted=href is not None)
            if not alt:
                return ""
            before, after = _word_beside(element, alt)
            return f"{' ' if before else ''}{escape_text(alt)}{' ' if after else ''}"
        return f"![{escape_text(alt)}](<{href}>)"

    def equation(self, latex: str, before_digit: bool) -> str:
        """A Canvas equation image: its LaTeX as math (the image itself is never fetched),
        or as text when packager could not render it as math."""
        math = inline_math(latex, before_digit=before_digit)
        if math is not None:
            return math
        self.note(f"equation image {latex[:60]!r} kept as its LaTeX text (not math packager "
                  "can render)")
        return escape_text(latex)

    def math(self, element: Any) -> str:
        from lxml import etree

        latex = to_latex(element)
        display = element.get("display") == "block"
        if latex is not None and "$" not in latex:
            return f"$${latex}$$" if display else f"${latex}$"
        self.note("math kept as MathML (no sure LaTeX form)")
        return etree.tostring(adopt(element), encoding="unicode")

    # -------------------------------------------------------------- blocks
    def blocks(self, element: Any) -> list[str]:
        """The Markdown blocks of an element's content: inline runs become paragraphs."""
        blocks: list[str] = []
        run = [self.text(element.text)]

        def flush() -> None:
            paragraph = _breaks("".join(run)).strip()
            if paragraph:
                # A text node is escaped on its own, so block markers are escaped here, where
                # the lines of the paragraph are known ("a *b* - c" keeps its dash).
                blocks.append(self.settle(_escape_line_starts(_tidy_lines(paragraph))))
            run.clear()

        for child in element:
            tag = _tag(child)
            if _is_block(tag):
                flush()
                blocks.extend(self.block(child, tag))
            elif tag == "math" and child.get("display") == "block" and _alone(run, child):
                flush()
                blocks.append(self.math(child))
            else:  # display math within a paragraph's text stays there, as `$$…$$`
                run.append(self.inline_element(child))
            run.append(self.text(child.tail))
        flush()
        return blocks

    def block(self, element: Any, tag: str | None) -> list[str]:
        if tag in _BLOCKS:
            return self.blocks(element)
        if tag is not None and re.fullmatch(r"h[1-6]", tag):
            text = _breaks(self.inline(element)).strip()
            # A run of '#' ending a heading would be read as its closing sequence.
            text = re.sub(r"(^|\s)(#+)$", r"\1\\\2", text)
            return [self.settle(f"{'#' * int(tag[1])} {text}")] if text else []
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            code, language = _pre_code(element)
            # Longer than any run of backticks in the code, which could otherwise close it.
            fence = "`" * max(3, _longest_backticks(code) + 1)
            return [f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(element))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))]
        if tag in ("ul", "ol"):
            return self.list_(element, tag)
        if tag == "dl":
            self.note("definition list written as paragraphs")
            return self.blocks(element)
        if tag == "table":
            return [self.table(element)]
        return self.blocks(element)

    def list_(self, element: Any, tag: str) -> list[str]:
        """The list, after the blocks of what stands before its first item."""
        lead, entries = _list_items(element)
        items = []
        # CommonMark numbers a list with at most nine digits (and `isdigit` admits "²").
        start = (element.get("start") or "").strip()
        number = int(start) if re.fullmatch(r"[0-9]{1,9}", start) else 1
        for child in entries:
            marker = f"{number}. " if tag == "ol" else "- "
            number += 1
            body = "\n\n".join(self.blocks(child)) or ""
            pad = " " * len(marker)
            lines = body.split("\n")
            items.append(marker + lines[0] + "".join(
                "\n" + (pad + line if line else "") for line in lines[1:]
            ))
        # HTML says a list is loose by paragraphs in its items (<li><p>…</p></li>).
        loose = any("\n\n" in item for item in items) or any(
            any(_tag(c) == "p" for c in child) for child in entries
        )
        before = self.blocks(lead) if lead is not None else []
        return [*before, ("\n\n" if loose else "\n").join(items)] if items else before

    def table(self, element: Any) -> str:
        """Kept as HTML (Markdown tables cannot hold what cells often do), rebuilt from the
        allowed elements and attributes only. An HTML block is not read as Markdown, so its
        text is HTML text, and it must hold no blank line."""
        from lxml import etree

        cleaned = self.allowed_copy(element)
        html = etree.tostring(cleaned, encoding="unicode", method="xml") if cleaned is not None else ""
        return re.sub(r"\n\s*\n", "\n", html)

    def allowed_copy(self, node: Any) -> Any:
        """A copy of `node` with only what packager's sanitiser allows; elements it does not
        allow are unwrapped (their text kept); None for what is dropped entirely."""
        from lxml import etree

        from packager.richtext import _COMMON_ATTRIBUTES, ALLOWED_ATTRIBUTES, ALLOWED_TAGS

        tag = _tag(node)
        if tag is None or tag in _DROPPED:
            if tag is not None:
                self.note(f"<{tag}> dropped")
            return None
        if tag == "math":
            self.note("math in a table kept as MathML (an HTML block holds no LaTeX)")
            return adopt(node)
        latex = equation_latex(node) if tag == "img" else None
        if latex is not None:
            return self.equation_copy(latex)
        out = etree.Element(tag if tag in ALLOWED_TAGS else "span")
        for name in ALLOWED_ATTRIBUTES.get(tag, frozenset()) - {"class"} - _COMMON_ATTRIBUTES:
            value = node.get(name)
            if value is None:
                continue
            if name == "href" and not _SAFE_LINK.match(value.strip()):
                self.drop_link(value)
                continue
            if name == "src":
                mapped = self.image(value)
                if mapped is None or isinstance(mapped, Dropped):
                    self.note(_dropped_image(value, mapped), counted=mapped is not None)
                    return None
                value = mapped
            if name == "scope" and value not in ("row", "col", "rowgroup", "colgroup"):
                continue
            out.set(name, value)
        if tag == "a" and out.get("href") is None:
            out.tag = "span"
        if tag == "img" and out.get("alt") is None:
            out.set("alt", "")
        out.text = _collapse(node.text)
        # Between table rows and cells, white space is layout (a pretty-printed export).
        structural = tag in _TABLE_STRUCTURE
        if structural and not (out.text or "").strip():
            out.text = None
        for child in node:
            copied = self.allowed_copy(child)
            if copied is None:
                tail = _collapse(child.tail) or ""
                if len(out):
                    out[-1].tail = (out[-1].tail or "") + tail
                else:
                    out.text = (out.text or "") + tail
                continue
            after = _collapse(child.tail)
            copied.tail = None if structural and not (after or "").strip() else after
            out.append(copied)
        if out.tag == "span" and tag not in _QUIET_UNWRAP:
            self.note(f"<{tag}> unwrapped (its text is kept)")
        bold, italic = _styled(node)
        if out.tag == "span" and (bold or italic):
            out.tag = "strong" if bold else "em"
            if bold and italic:
                outer = etree.Element("em")
                outer.append(out)
                return outer
        return out

    def equation_copy(self, latex: str) -> Any:
        """A Canvas equation image inside HTML (a table): its LaTeX as MathML, else as text."""
        from lxml import etree

        from packager.mathml import from_latex

        math, _ = from_latex(latex, "inline")
        if math is not None:
            self.note("math in a table kept as MathML (an HTML block holds no LaTeX)")
            return math
        self.note(f"equation image {latex[:60]!r} kept as its LaTeX text (not math packager "
                  "can render)")
        text = etree.Element("span")
        text.text = latex
        return text


_LINE_BLOCKS = _BLOCKS | _OTHER_BLOCKS | {"li", "td", "th", "dd", "dt", "caption"}


def _word_beside(image: Any, alt: str) -> tuple[bool, bool]:
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
        or (after is not None and not isinstance(after, str) and _tag(after) == "img"))
    return word_before, word_after


def _before_digit(image: Any) -> bool:
    """Whether what follows an image in its block may start with a digit: text that does,
    or another image (its alt text may)."""
    after = _after(image, _line_block(image))
    if isinstance(after, str):
        return after[0] in "0123456789"
    return after is not None and _tag(after) == "img"


def _line_block(image: Any) -> Any | None:
    """The block whose line of text the image is on (None: no such ancestor)."""
    return next((a for a in image.iterancestors() if _tag(a) in _LINE_BLOCKS), None)


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
    tag = _tag(element)
    if tag is not None and element.text:
        return element.text
    return element if tag in ("br", "img") else None


def _first(element: Any) -> str | Any | None:
    """The first text, <br> or <img> of an element and its content (a comment's text is
    none)."""
    tag = _tag(element)
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


def _styled(element: Any) -> tuple[bool, bool]:
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


def _dropped_image(src: str, dropped: Dropped | None) -> str:
    """The note for an image not kept. A `data:` URL is named by its type and size, not by
    its first characters, which are alike for every image of a type."""
    if dropped is None:
        return image_not_found(src)
    if src[:5].lower() == "data:":
        kind = src[5:].split(",", 1)[0].split(";", 1)[0] or "text/plain"
        what = f"an image embedded in the text ({kind}, {len(src):,} characters)"
    else:
        what = f"image {src if len(src) <= 80 else src[:79] + '…'!r}"
    return f"{what} dropped: {dropped.reason}"


def _text_content(element: Any) -> str:
    """An element's text and its descendants' (lxml.html's text_content, for the plain
    elements `_parsed` builds), each <br> a line break: editors that write code with <br>
    between its lines (Blackboard's) would otherwise have them run together."""
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return "".join(element.itertext())


def _pre_code(element: Any) -> tuple[str, str]:
    """The code of a <pre> and its language: a lone <code class="language-x"> child is the
    code (white space around it is layout, e.g. of a pretty-printed export)."""
    children = [c for c in element if isinstance(c.tag, str)]
    if (len(children) == 1 and _tag(children[0]) == "code" and not (element.text or "").strip()
            and not (children[0].tail or "").strip()):
        classes = (children[0].get("class") or "").split()
        language = next((c[9:] for c in classes if c.startswith("language-")), "")
        return _text_content(children[0]), language if re.fullmatch(r"[\w+#.-]+", language) else ""
    # packager's own <pre class="language-x">: the code is the element's text
    classes = (element.get("class") or "").split()
    language = next((c[9:] for c in classes if c.startswith("language-")), "")
    return _text_content(element), language if re.fullmatch(r"[\w+#.-]+", language) else ""


def _collapse(text: str | None) -> str | None:
    # HTML white space only: a no-break space is text.
    return _collapse_space(text) if text else text


def _list_items(element: Any) -> tuple[Any | None, list[Any]]:
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

    def inline() -> Any:
        nonlocal paragraph
        if paragraph is None:
            paragraph = element.makeelement("p", {})
            holder().append(paragraph)
        return paragraph

    def add_text(text: str | None) -> None:
        if text and text.strip():
            into = inline()
            if len(into):
                into[-1].tail = (into[-1].tail or "") + text
            else:
                into.text = (into.text or "") + text

    add_text(element.text)
    for child in list(element):
        tail, child.tail = child.tail, None
        tag = _tag(child)
        if tag == "li":
            items.append(child)
            paragraph = None
        elif _is_block(tag):
            holder().append(child)  # moved: this tree is read once
            paragraph = None
        elif tag is not None:
            inline().append(child)
        add_text(tail)
    return lead, items


def _is_block(tag: str | None) -> bool:
    return tag in _BLOCKS or tag in _OTHER_BLOCKS


def _alone(run: list[str], math: Any) -> bool:
    """Whether display math is all of its paragraph: no text before it in the run of inline
    content, and none after it up to the next block or the end."""
    if "".join(run).strip() or (math.tail or "").strip():
        return False
    following = math.getnext()
    while following is not None and not isinstance(following.tag, str):
        if (following.tail or "").strip():
            return False
        following = following.getnext()  # a comment between them shows nothing
    return following is None or _is_block(_tag(following))


def _tag(element: Any) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None  # a comment or processing instruction: never content
    return tag.rpartition("}")[2].lower()


def _breaks(inline: str) -> str:
    """A block's inline Markdown with its breaks written: none at its end, a hard break
    (backslash, newline) between text."""
    if _BREAK not in inline:
        return inline
    # Breaks and white space at the end: nothing a browser shows. Walked back, not matched
    # by a pattern anchored at the end, which retries from each break of a long run.
    end = len(inline)
    while end and (inline[end - 1] == _BREAK or inline[end - 1].isspace()):
        end -= 1
    return inline[:end].replace(_BREAK, "\\\n")


def _edges(inner: str) -> tuple[str, str, str]:
    """Inline Markdown as (white space and breaks before, the rest, those after): what stays
    outside emphasis or a link around it (a break there is then at its block's end, where
    it is dropped, or before more text, where it stays a break)."""
    start, end = 0, len(inner)
    while start < end and (inner[start].isspace() or inner[start] == _BREAK):
        start += 1
    while end > start and (inner[end - 1].isspace() or inner[end - 1] == _BREAK):
        end -= 1
    return inner[:start], inner[start:end], inner[end:]


def _code_span(code: str) -> str:
    """Inline code as a code span. Its line breaks (each <br> in it is one) are written as
    the spaces a code span shows them as: a blank line or a block marker after one ended
    the span, and the rest of the code was read as Markdown (a link, raw HTML)."""
    code = _LINE_ENDING.sub(" ", code)
    if not code:
        return ""  # a lone pair of backticks is text, and would pair with a later fence
    # Longer than any run of backticks in the code, which could otherwise close it.
    ticks = "`" * (_longest_backticks(code) + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _longest_backticks(code: str) -> int:
    """The longest run of backticks in code (found once: a fence grown a backtick per
    search of the code took time quadratic in a long run)."""
    return max(map(len, re.findall("`+", code)), default=0)


def _destination(href: str) -> str:
    """A link's href as a `<…>` destination that Markdown reads as one link to that URL:
    what the destination cannot hold percent-encoded (UTF-8, as a browser sends it), and
    the `&` of what would read as a character reference written `&amp;`."""
    href = _NOT_IN_DESTINATION.sub(lambda m: quote(m.group(), safe=""), href)
    return _REFERENCE_LIKE.sub("&amp;", href) if "&" in href else href


def _tidy_lines(paragraph: str) -> str:
    if "\n" not in paragraph:  # one line (most paragraphs): no list to make
        return paragraph.strip()
    return "\n".join(line.strip() for line in paragraph.split("\n"))


def _tex_spans(value: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, opener, TeX) of each TeX span, left to right. An opener with no closer
    after it is passed over at once (its closer's last place is known): a pattern searched
    again to the text's end from each such opener, so n unclosed `\\(` took time n squared."""
    last = {opener: value.rfind(closer) for opener, closer in _TEX_CLOSER.items()}
    at = 0
    while (found := _TEX_OPENER.search(value, at)) is not None:
        opener, inside = found.group(), found.end()
        if last[opener] > inside:  # a closer after at least one character
            end = value.find(_TEX_CLOSER[opener], inside + 1)
            yield found.start(), end + 2, opener, value[inside:end]
            at = end + 2
        else:
            at = found.start() + 1


def html_to_markdown(html: str, image: ImageLookup) -> Converted:
    """Canonical rich text for an HTML fragment; `image(src)` gives the bank's href for an
    image source, or why it is dropped (Dropped), or None when the source holds no such
    file (dropped too)."""
    if not html.strip():
        return Converted("")
    if not _has_markup(html):
        # No tag, entity or TeX: one paragraph of text, as the parse below would make it,
        # without the parse (most option and answer texts are like this).
        return Converted(_escape_line_starts(_escape_inline(_collapse_space(html).strip())))
    if (_PARAGRAPHS.fullmatch(html) is not None and not _parsed_differently(html)
            and _RTL.search(html) is None):
        return _paragraphs(html, _Writer(image))
    return _parsed(html, image)


def _paragraphs(html: str, writer: _Writer) -> Converted:
    """What `_parsed` makes of paragraphs of text: each paragraph's text, entities decoded,
    as `_Writer.blocks` writes a <p> holding only text."""
    blocks = []
    for match in _PARAGRAPH_TEXT.finditer(html):
        text = match.group(1)
        if "&" in text:
            text = _ENTITY.sub(lambda m: _ENTITIES[m.group()], text)
        paragraph = writer.text(text).strip()
        if paragraph:
            blocks.append(_escape_line_starts(_tidy_lines(paragraph)))
    return Converted("\n\n".join(b for b in blocks if b.strip()).strip(), writer.notes,
                     writer.links)


def _parsed(html: str, image: ImageLookup) -> Converted:
    """Any HTML fragment, parsed: the conversion every shortcut above must agree with."""
    from lxml import etree

    from packager.xml.html_fragment import TOO_DEEP, fragment, plain_parser

    writer = _Writer(image)
    try:
        # NUL marks a break while converting (`_BREAK`): read as lxml reads it anyway.
        root = fragment(html.replace(_BREAK, "\ufffd"), plain_parser())
    except (etree.ParserError, ValueError) as exc:
        why = f" ({TOO_DEEP})" if str(exc) == TOO_DEEP else ""
        return Converted(escape_text(html.strip()), [f"HTML that cannot be parsed{why} kept as text"])
    if any(c in html for c in (_OPEN, _CLOSE, _END, "&#")) and root.xpath(
            "boolean(.//text()[contains(., $a) or contains(., $b) or contains(., $c)]"
            " | descendant-or-self::*/@*[contains(., $a) or contains(., $b) or contains(., $c)])",
            a=_OPEN, b=_CLOSE, c=_END):
        writer.tokens = False
    if _RTL.search(html) is not None and root.xpath(
            "boolean(descendant-or-self::*[translate(normalize-space(@dir), 'RTL', 'rtl')"
            " = 'rtl'])"):
        writer.note(_RTL_NOTE)
    markdown = "\n\n".join(b for b in writer.blocks(root) if b.strip())
    return Converted(markdown.strip(), writer.notes, writer.links)


def text_to_markdown(text: str) -> str:
    """Plain text (Moodle's plain or moodle_auto_format, GIFT's [plain]) as canonical rich
    text: escaped, blank lines kept as paragraph breaks."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(escape_text(" ".join(p.split())) for p in paragraphs if p.strip())
