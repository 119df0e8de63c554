"""The writer of Markdown from a parsed HTML tree (`Writer`), for html_markdown: inline
content, emphasis (Markdown where the engine reads it back as the HTML showed it, else the
HTML tag), images, math, blocks, lists, and tables kept as allowed HTML; with the notes on
what it dropped or changed, among them the note on a dropped link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from packager.mathml import adopt, prune
from packager.readers.equation_images import equation_latex, inline_math
from packager.readers.html_markdown_elements import (
    BLOCKS,
    alone,
    is_block,
    list_items,
    lost_decoration,
    pre_code,
    styled,
    tag_of,
    text_content,
)
from packager.readers.html_markdown_images import (
    Dropped,
    ImageLookup,
    Kept,
    before_digit,
    dropped_image,
    kept_image,
    word_beside,
)
from packager.readers.html_markdown_syntax import (
    BREAK,
    EDGE,
    add_inline,
    breaks,
    code_span,
    collapse,
    collapse_space,
    destination,
    edges,
    escape_inline,
    escape_line_starts,
    escape_text,
    joined_blocks,
    longest_backticks,
    tex_spans,
    tidy_lines,
)
from packager.readers.mathml_latex import to_latex
from packager.readers.noted import Kind, Noted

# Kept as HTML: allowed by packager's sanitiser and without a Markdown form.
_RAW_INLINE = frozenset({"sub", "sup", "abbr", "acronym", "cite", "dfn", "kbd", "q", "samp", "var",
                         "small", "big", "tt"})
_DROPPED = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed",
                      "applet", "form", "input", "button", "select", "textarea", "noscript",
                      "template", "link", "meta", "base", "svg", "audio", "video", "canvas",
                      "head", "title"})
# Formatting without a counterpart in packager, unwrapped without the note on an unknown
# element (`lost_decoration` notes underline, strikethrough and highlight).
_QUIET_UNWRAP = frozenset({"span", "font", "u", "s", "strike", "del", "ins", "mark", "label",
                           "nobr", "ruby"})
_TABLE_STRUCTURE = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
# Links a bank may hold: mailto, an anchor, or a web address with its host (`https:x` is none).
_SAFE_LINK = re.compile(r"^(https?://[^/?#\s]|mailto:|#)", re.I)
# Emphasis in a block is written between tokens (`Writer.emphasis`) that `settle` makes
# Markdown or HTML: noncharacters, which no text holds (a parse finding one uses no tokens).
OPEN, CLOSE, END = "\ufdd0", "\ufdd1", "\ufdd2"
_TOKEN = re.compile("\ufdd0([0-9]+)\ufdd2|\ufdd1([0-9]+)\ufdd2")
# Emphasis of one block that `Writer.settle` tries one by one, at most.
_MOST_TRIED = 16


RUBY_NOTE = "a ruby annotation (<rt>) is written in brackets after the text it annotates"


def dropped_link(href: str) -> str:
    """The note on a link an import drops, keeping its text."""
    return f"link to {href!r} dropped (only http, https and mailto are kept)"


def inline_text(value: str | None) -> str:
    """A text node's inline Markdown: HTML white space collapsed, escaped, and the TeX that
    Moodle's filter reads (`\\(…\\)`, `$$…$$`) written as math."""
    if not value:
        return ""
    value = collapse_space(value)
    if "\\" not in value and "$$" not in value:
        return escape_inline(value)  # no TeX delimiter: one run of text
    out, last = [], 0
    for start, end, opener, tex in tex_spans(value):
        out.append(escape_inline(value[last:start]))
        out.append(f"${tex.strip()}$" if opener == "\\(" else f"$${tex.strip()}$$")
        last = end
    out.append(escape_inline(value[last:]))
    return "".join(out)


@lru_cache(maxsize=1)
def _engine() -> Callable[[str], str]:
    """The Markdown engine as rich text renders it (found once: `settle` asks it twice for
    every block with emphasis)."""
    import pyromark

    from packager.richtext_dollars import options

    return partial(pyromark.html, options=options())


def _between(texts: list[str], tokens: list[str]) -> str:
    """The texts with the tokens between them (one token fewer than texts)."""
    joined = texts + tokens
    joined[0::2], joined[1::2] = texts, tokens
    return "".join(joined)


class Writer:
    def __init__(self, image: ImageLookup) -> None:
        self.image = image
        # Each note once; those about an image a lookup dropped with how often they were made
        # (two images dropped are two losses, though their notes read alike).
        self._counts: dict[Noted, int] = {}
        self.links: dict[str, str] = {}  # Converted.links
        # The emphasis of the block being written, between tokens (`settle`): its Markdown
        # mark, its HTML tag and whether the mark was sure without asking the engine.
        self._emphasis: list[tuple[str, str, bool]] = []
        self.tokens = True  # False: the text holds the tokens' characters
        # The bold and italic the styles of the blocks being written set (`styled`).
        self._block_style = (False, False)

    def note(self, kind: Kind, message: str, *, counted: bool = False) -> None:
        said = Noted(kind, message)
        self._counts[said] = self._counts.get(said, 0) + 1 if counted else 1

    def drop_link(self, href: str) -> None:
        message = dropped_link(href)
        self.links[message] = href
        self.note("dropped", message)

    @property
    def notes(self) -> list[Noted]:
        return [said if n == 1 else Noted(said.kind, f"{said.message} ({n} times)")
                for said, n in self._counts.items()]

    # -------------------------------------------------------------- inline content
    def inline(self, element: Any) -> str:
        """The inline Markdown of an element's content (its text, children and their tails)."""
        parts = [self.text(element.text)]
        for child in element:
            add_inline(parts, self.inline_element(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    # Text notes nothing: the paragraphs html_markdown reads without a parse need no Writer.
    text = staticmethod(inline_text)

    def inline_element(self, element: Any) -> str:
        tag = tag_of(element)
        if tag is None:
            return ""
        if tag in _DROPPED:
            self.note("dropped", f"<{tag}> dropped")
            return ""
        if tag == "math":
            return self.math(element)
        if tag == "br":
            return BREAK
        if tag == "img":
            return self.img(element)
        inner = self.inline(element)
        if tag in ("strong", "b"):
            return self.emphasis(inner, "**", "strong")
        if tag in ("em", "i"):
            return self.emphasis(inner, "*", "em")
        if tag == "code":
            return code_span(text_content(element))
        if tag == "a":
            href = (element.get("href") or "").strip()
            lead, text, trail = edges(inner)
            if href and _SAFE_LINK.match(href) and text:
                # Breaks at the edges stay outside: Markdown reads no link whose text ends
                # in a hard break.
                return f"{lead}[{text}](<{destination(href)}>){trail}"
            if href:
                self.drop_link(href)
            return inner
        if tag in _RAW_INLINE:
            return f"<{tag}>{inner}</{tag}>"
        if tag in ("ruby", "rt", "rp"):
            return self.ruby(tag, inner)
        if is_block(tag) or tag == "li":
            # A block inside inline content: its text stays, on lines of its own; its shape
            # does not.
            return f"{EDGE}{inner}{EDGE}" if self.tokens else f" {inner} "
        if tag not in _QUIET_UNWRAP:
            self.note("changed", f"<{tag}> unwrapped (its text is kept)")
        lost = lost_decoration(element, tag)
        if lost is not None:
            self.note("changed", lost)
        bold, italic = styled(element)
        if bold:  # inside the italic: `***x***` reads back as <em><strong>
            inner = self.emphasis(inner, "**", "strong")
        if italic:
            inner = self.emphasis(inner, "*", "em")
        return inner

    def ruby(self, tag: str, inner: str) -> str:
        """Ruby (`<ruby>漢字<rt>かんじ</rt></ruby>`), which rich text has no form for: the
        annotation in brackets after its base, as a browser without ruby shows it with
        `<rp>`; its own `<rp>` brackets go, so they are not doubled."""
        if tag == "rp":
            return ""
        if tag == "rt":
            return f"({inner.strip()})" if inner.strip() else ""
        self.note("changed", RUBY_NOTE)
        return inner

    def emphasis(self, inner: str, mark: str, tag: str) -> str:
        """Emphasis around inline Markdown, between tokens that `settle` makes `mark` where
        the engine reads the block back as the HTML tag would show it, else the HTML tag."""
        lead, stripped, trail = edges(inner)
        if not stripped:
            return inner
        sure = stripped[0].isalnum() and stripped[-1].isalnum()
        if not self.tokens:  # the text holds the tokens' characters: no engine to ask
            return (f"{lead}{mark}{stripped}{mark}{trail}" if sure else
                    f"{lead}<{tag}>{stripped}</{tag}>{trail}")
        n = len(self._emphasis)
        self._emphasis.append((mark, tag, sure))
        return f"{lead}{OPEN}{n}{END}{stripped}{CLOSE}{n}{END}{trail}"

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
        pieces = _TOKEN.split(block)  # text, opening index, closing index, text, …
        texts = pieces[0::3]
        # Each token's emphasis, and the token written as Markdown or as HTML.
        opening = pieces[1::3]
        owners = [int(o if o is not None else c)
                  for o, c in zip(opening, pieces[2::3], strict=True)]
        marks = [records[n][0] for n in owners]
        tags = [f"<{records[n][1]}>" if o is not None else f"</{records[n][1]}>"
                for n, o in zip(owners, opening, strict=True)]

        def written(markdown: list[bool]) -> str:
            return _between(texts, [mark if markdown[n] else tag
                                    for n, mark, tag in zip(owners, marks, tags, strict=True)])

        engine = _engine()
        want = engine(_between(texts, tags))
        every = _between(texts, marks)
        if engine(every) == want:
            return every
        if len(records) > _MOST_TRIED:  # one try each would render a long block many times
            return written([sure for _, _, sure in records])
        chosen = [False] * len(records)
        for n in reversed(range(len(records))):
            chosen[n] = True
            chosen[n] = engine(written(chosen)) == want
        return written(chosen)

    def image_href(self, src: str) -> str | Dropped | None:
        """The lookup's answer for an image source, an image kept with a note noted."""
        href = self.image(src)
        if isinstance(href, Kept):
            self.note("changed", kept_image(src, href))
            return href.href
        return href

    def img(self, element: Any) -> str:
        latex = equation_latex(element)
        if latex is not None:
            return self.equation(latex, before_digit(element))
        src = element.get("src") or ""
        href = self.image_href(src)
        # White space collapsed as in other text: a newline in it would end the paragraph.
        alt = collapse_space(element.get("alt") or "").strip()
        if href is None or isinstance(href, Dropped):
            self.note("dropped", dropped_image(src, href), counted=href is not None)
            if not alt:
                return ""
            before, after = word_beside(element, alt)
            return f"{' ' if before else ''}{escape_text(alt)}{' ' if after else ''}"
        return f"![{escape_text(alt)}](<{href}>)"

    def equation(self, latex: str, before_digit: bool) -> str:
        """A Canvas equation image: its LaTeX as math (the image itself is never fetched),
        or as text when packager could not render it as math."""
        math = inline_math(latex, before_digit=before_digit)
        if math is not None:
            return math
        self.note("changed", f"equation image {latex[:60]!r} kept as its LaTeX text (not "
                  "math packager can render)")
        return escape_text(latex)

    def adopted(self, element: Any) -> Any:
        """MathML kept as it is, less what packages may not carry (each noted)."""
        math = adopt(element)
        for kind, left in prune(math):
            self.note(kind, left)
        return math

    def math(self, element: Any) -> str:
        from lxml import etree

        latex = to_latex(element)
        display = element.get("display") == "block"
        if latex is not None and "$" not in latex:
            return f"$${latex}$$" if display else f"${latex}$"
        self.note("changed", "math kept as MathML (no sure LaTeX form)")
        return etree.tostring(self.adopted(element), encoding="unicode")

    # -------------------------------------------------------------- blocks
    def blocks(self, element: Any) -> list[str]:
        """The Markdown blocks of an element's content: inline runs become paragraphs."""
        blocks: list[str] = []
        run = [self.text(element.text)]
        # How many pieces of the run are known to be blank: display math asks whether text
        # comes before it, and joining the run anew each time is quadratic.
        blank = 0

        def text_before() -> bool:
            nonlocal blank
            while blank < len(run) and not run[blank].strip():
                blank += 1
            return blank < len(run)

        def flush() -> None:
            nonlocal blank
            paragraph = self.paragraph("".join(run))
            if paragraph is not None:
                blocks.append(paragraph)
            run.clear()
            blank = 0

        for child in element:
            tag = tag_of(child)
            if is_block(tag):
                flush()
                blocks.extend(self.block(child, tag))
            elif (tag == "math" and child.get("display") == "block"
                  and alone(text_before(), child)):
                flush()
                blocks.append(self.math(child))
            else:  # display math within a paragraph's text stays there, as `$$…$$`
                add_inline(run, self.inline_element(child))
            run.append(self.text(child.tail))
        flush()
        return blocks

    def paragraph(self, inline: str) -> str | None:
        """A run of inline Markdown as its block's paragraph (None when it shows nothing)."""
        bold, italic = self._block_style
        if bold:  # set by a block's style (`<p style="font-weight: bold">`)
            inline = self.emphasis(inline, "**", "strong")
        if italic:
            inline = self.emphasis(inline, "*", "em")
        paragraph = breaks(inline, edges=self.tokens).strip()
        if not paragraph:
            return None
        # A text node is escaped on its own, so block markers are escaped here, where the
        # lines of the paragraph are known ("a *b* - c" keeps its dash).
        return self.settle(escape_line_starts(tidy_lines(paragraph)))

    def block(self, element: Any, tag: str | None) -> list[str]:
        if tag == "details":
            self.note("changed", "<details> shown open: the text it hid until clicked is "
                      "always shown")
        if tag in BLOCKS:
            lost = lost_decoration(element, tag)
            if lost is not None:
                self.note("changed", lost)
            outer = self._block_style
            bold, italic = styled(element)
            self._block_style = (outer[0] or bold, outer[1] or italic)
            try:
                return self.blocks(element)
            finally:
                self._block_style = outer
        if tag is not None and re.fullmatch(r"h[1-6]", tag):
            lines = breaks(self.inline(element), edges=self.tokens).strip().split("\\\n")
            if len(lines) > 1:  # a heading is one line in Markdown
                self.note("changed", "a line break in a heading written as a space")
            text = " ".join(line.strip() for line in lines)
            # A run of '#' ending a heading would be read as its closing sequence.
            text = re.sub(r"(^|\s)(#+)$", r"\1\\\2", text)
            return [self.settle(f"{'#' * int(tag[1])} {text}")] if text else []
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            code, language = pre_code(element)
            # Longer than any run of backticks in the code, which could otherwise close it.
            fence = "`" * max(3, longest_backticks(code) + 1)
            return [f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"]
        if tag == "blockquote":
            inner = joined_blocks(self.blocks(element))
            return ["\n".join("> " + line if line else ">" for line in inner.split("\n"))]
        if tag in ("ul", "ol", "menu", "dir"):
            return self.list_(element, "ol" if tag == "ol" else "ul")
        if tag == "dl":
            self.note("changed", "definition list written as paragraphs")
            return self.blocks(element)
        if tag == "table":
            return [self.table(element)]
        return self.blocks(element)

    def list_(self, element: Any, tag: str) -> list[str]:
        """The list, after the blocks of what stands before its first item."""
        lead, entries = list_items(element)
        items = []
        # CommonMark numbers a list with at most nine digits (and `isdigit` admits "²").
        start = (element.get("start") or "").strip()
        number = int(start) if re.fullmatch(r"[0-9]{1,9}", start) else 1
        for child in entries:
            marker = f"{number}. " if tag == "ol" else "- "
            number += 1
            body = joined_blocks(self.blocks(child))
            pad = " " * len(marker)
            lines = body.split("\n")
            items.append(marker + lines[0] + "".join(
                "\n" + (pad + line if line else "") for line in lines[1:]
            ))
        # HTML says a list is loose by paragraphs in its items (<li><p>…</p></li>).
        loose = any("\n\n" in item for item in items) or any(
            any(tag_of(c) == "p" for c in child) for child in entries
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

        from packager.richtext_allowed import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, COMMON_ATTRIBUTES

        tag = tag_of(node)
        if tag is None or tag in _DROPPED:
            if tag is not None:
                self.note("dropped", f"<{tag}> dropped")
            return None
        if tag in ("rt", "rp"):  # the ruby's annotation in brackets (`ruby`); its own go
            annotation = self.ruby(tag, collapse("".join(node.itertext())) or "")
            if not annotation:
                return None
            copied = etree.Element("span")
            copied.text = annotation
            return copied
        if tag == "ruby":
            self.note("changed", RUBY_NOTE)
        if tag == "math":
            self.note("changed", "math in a table kept as MathML (an HTML block holds no "
                      "LaTeX)")
            return self.adopted(node)
        latex = equation_latex(node) if tag == "img" else None
        if latex is not None:
            return self.equation_copy(latex)
        out = etree.Element(tag if tag in ALLOWED_TAGS else "span")
        for name in ALLOWED_ATTRIBUTES.get(tag, frozenset()) - {"class"} - COMMON_ATTRIBUTES:
            value = node.get(name)
            if value is None:
                continue
            if name == "href" and not _SAFE_LINK.match(value.strip()):
                self.drop_link(value)
                continue
            if name == "src":
                mapped = self.image_href(value)
                if mapped is None or isinstance(mapped, Dropped):
                    self.note("dropped", dropped_image(value, mapped),
                              counted=mapped is not None)
                    return None
                value = mapped
            if name == "scope" and value not in ("row", "col", "rowgroup", "colgroup"):
                continue
            out.set(name, value)
        if tag == "a" and out.get("href") is None:
            out.tag = "span"
        if tag == "img" and out.get("alt") is None:
            out.set("alt", "")
        out.text = collapse(node.text)
        # Between table rows and cells, white space is layout (a pretty-printed export).
        structural = tag in _TABLE_STRUCTURE
        if structural and not (out.text or "").strip():
            out.text = None
        last = None  # the copy's last element (lxml counts children on len())
        for child in node:
            copied = self.allowed_copy(child)
            if copied is None:
                tail = collapse(child.tail) or ""
                if last is not None:
                    last.tail = (last.tail or "") + tail
                else:
                    out.text = (out.text or "") + tail
                continue
            after = collapse(child.tail)
            copied.tail = None if structural and not (after or "").strip() else after
            out.append(copied)
            last = copied
        if out.tag == "span" and tag not in _QUIET_UNWRAP:
            self.note("changed", f"<{tag}> unwrapped (its text is kept)")
        lost = lost_decoration(node, tag)
        if lost is not None:
            self.note("changed", lost)
        bold, italic = styled(node)
        if out.tag == "span" and (bold or italic):
            out.tag = "strong" if bold else "em"
            if bold and italic:
                outer = etree.Element("em")
                outer.append(out)
                return outer
        elif (bold or italic) and out.tag not in _TABLE_STRUCTURE and not any(
                is_block(tag_of(child)) or tag_of(child) == "li" for child in out):
            # a cell's own style (`<td style="font-weight: bold">`), around inline content
            for name, sets in (("strong", bold), ("em", italic)):
                if sets and (out.text or len(out)):
                    inner = etree.Element(name)
                    inner.text, out.text = out.text, None
                    inner.extend(list(out))
                    out.append(inner)
        return out

    def equation_copy(self, latex: str) -> Any:
        """A Canvas equation image inside HTML (a table): its LaTeX as MathML, else as text."""
        from lxml import etree

        from packager.mathml import from_latex

        math, _ = from_latex(latex, "inline")
        if math is not None:
            self.note("changed", "math in a table kept as MathML (an HTML block holds no "
                      "LaTeX)")
            return math
        self.note("changed", f"equation image {latex[:60]!r} kept as its LaTeX text (not "
                  "math packager can render)")
        text = etree.Element("span")
        text.text = latex
        return text
