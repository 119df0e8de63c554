"""Rich text: Markdown → sanitised, well-formed XHTML fragments, rendered once per distinct text.

Every writer embeds the same fragment: QTI 2.1/3.0 re-namespace the elements, QTI 1.2,
Moodle XML and the SCORM player carry the serialized string. Raw HTML is checked against an
allow-list that fits the XHTML subset of QTI 2.1 (the narrowest target), so what validates
here fits every target; anything outside it is reported as a problem, never silently kept.
Math ($…$, $$…$$; see richtext_dollars for when a `$` is a dollar; \\(…\\) is read as $…$,
see richtext_parens) becomes MathML.

The Markdown engine is pulldown-cmark (pyromark): CommonMark with pipe tables and math.

Its parts, each in a module of its own: what is known of a text before it is rendered
(richtext_screening), the problems of its source (richtext_checks), the link and image
targets a package can carry (richtext_urls), the HTML allow-list (richtext_allowed), the
sanitised HTML shaped into XHTML (richtext_xhtml) and math made MathML (richtext_mathml).
A rendered text's images are pointed into a package by richtext_images; its plain text is
richtext_plain's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from packager.mathml import MATHML_NS
from packager.richtext_allowed import ALLOWED_ATTRIBUTES, COMMON_ATTRIBUTES
from packager.richtext_checks import source_problems
from packager.richtext_dollars import (
    DOLLAR_DIGIT,
    TOO_MANY_DOLLARS,
    dollar_findings,
    dollars_as_text,
    options,
)
from packager.richtext_mathml import RAW_MATHML, adopt_raw_mathml, replace_with_mathml
from packager.richtext_parens import has_paren_math, parens_as_dollars
from packager.richtext_refused import Refused, RefusedKind
from packager.richtext_screening import expanded, needs_engine, strip_unicode_edges, too_long
from packager.richtext_urls import external_image, scheme, unwritable_address
from packager.richtext_warned import Warned
from packager.richtext_xhtml import (
    cleaner,
    code_into_pre,
    parsed_body,
    simple_blocks_xhtml,
    structure_problems,
    table_problem,
    wrap_inline_runs,
)
from packager.xml.chars import XML_FORBIDDEN
from packager.xml.html_fragment import MAX_DEPTH
from packager.xml.lazy import etree

# Containers whose white-space-only text is layout, not content (safe to drop).
_ELEMENT_ONLY = (
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "ul",
    "ol",
    "dl",
    "colgroup",
    "blockquote",
)


# What a rendered text uses beyond one plain paragraph, as bits: the capability scan ORs
# them over every text of a question, so it reads one cached int instead of three properties.
RICH = 1
MEDIA = 2
MATH = 4
LIST_START = 8  # a numbered list that starts at another number than 1


class Rendered:
    """One rendered rich text: XHTML block elements (MathML in its namespace).

    Plain text (the common case) keeps only its source and makes the paragraph on access: a
    50,000-question bank then does not hold a second copy of every text in the cache. Such a
    text holds no `&`, `<` or `>` (render() takes it so only then: needs_engine), so the
    paragraph needs no escaping.
    """

    __slots__ = ("_flags", "_plain", "_xhtml", "media", "problems", "warnings")

    def __init__(
        self,
        xhtml: str | None,
        media: tuple[str, ...] = (),
        problems: tuple[Refused, ...] = (),
        plain: str | None = None,
        warnings: tuple[Warned, ...] = (),
    ) -> None:
        self._xhtml = xhtml
        self._plain = plain
        self.media = media
        self.problems = problems
        # What renders, but perhaps not as the author meant (richtext_dollars): warnings.
        self.warnings = warnings
        # A plain paragraph uses nothing; anything else is worked out on first use.
        self._flags: int | None = 0 if plain is not None else None

    @property
    def xhtml(self) -> str:
        if self._xhtml is None:
            return f"<p>{self._plain}</p>"
        return self._xhtml

    @property
    def read_without_engine(self) -> bool:
        """One plain paragraph, which render() tells by a scan of its text: cheaper to
        render again than to copy from another process."""
        return self._plain is not None

    @property
    def is_plain_paragraph(self) -> bool:
        if self._plain is not None:
            return True
        xhtml = self.xhtml
        return xhtml.startswith("<p>") and xhtml.count("<p>") == 1 and "<" not in xhtml[3:-4]

    @property
    def paragraph_text(self) -> str | None:
        """The text of a plain paragraph (unescaped), else None."""
        if self._plain is not None:
            return self._plain
        if self.flags & RICH:  # told once per text: writers ask two or three times an item
            return None
        return html.unescape(self.xhtml[3:-4])

    @property
    def has_math(self) -> bool:
        return self._plain is None and MATHML_NS in self.xhtml

    @property
    def flags(self) -> int:
        """RICH | MEDIA | MATH: what this text uses, computed once per rendered text."""
        flags = self._flags
        if flags is None:
            flags = (
                (0 if self.is_plain_paragraph else RICH)
                | (MEDIA if self.media else 0)
                | (MATH if self.has_math else 0)
                | (LIST_START if self._plain is None and '<ol start="' in self.xhtml else 0)
            )
            self._flags = flags
        return flags

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rendered):
            return NotImplemented
        return (self.xhtml, self.media, self.problems, self.warnings) == (
            other.xhtml,
            other.media,
            other.problems,
            other.warnings,
        )

    def __hash__(self) -> int:
        return hash((self.xhtml, self.media, self.problems, self.warnings))

    def __repr__(self) -> str:
        return f"Rendered({self.xhtml!r}, {self.media!r}, {self.problems!r})"


# The engine (pulldown-cmark) marks math with these classes; _to_xhtml turns them into MathML.
_INLINE_MATH = "math math-inline"
_DISPLAY_MATH = "math math-display"


# Texts rendered by render_pool's workers, each taken out by the first render() of it.
_PRERENDERED: dict[str, Rendered] = {}
# Texts the engine has rendered (here or in a worker), so that render_pool does not render
# them again: a bank `preview --watch` reloads is mostly texts rendered before. Bounded like
# render's cache; forgetting only costs a text its rendering on another core.
_ENGINE_RENDERED: set[str] = set()
_MAX_CACHED = 1 << 19


def prerendered(results: dict[str, Rendered]) -> None:
    """Hand render() texts the Markdown engine rendered elsewhere (render_pool): each is
    what render() gives."""
    _PRERENDERED.update(results)
    _remember(results)


def engine_rendered() -> dict[str, Rendered]:
    """What the Markdown engine has rendered in this process (or was handed), by text: for a
    spawned worker, which inherits no cache and would render every text of the bank again."""
    return {markdown: render(markdown) for markdown in list(_ENGINE_RENDERED)}


def forget_prerendered() -> None:
    """Drop what was handed over and not (yet) taken by render()."""
    _PRERENDERED.clear()


def rendered_before(markdown: str) -> bool:
    """Whether render() has (most likely) run the engine on this text already."""
    return markdown in _ENGINE_RENDERED


def _remember(texts: Iterable[str]) -> None:
    if len(_ENGINE_RENDERED) > _MAX_CACHED:
        _ENGINE_RENDERED.clear()
    _ENGINE_RENDERED.update(texts)


# Every text is rendered by the checks, the capability scan and the writer: cache them all
# (a 50,000-question bank has about 350,000 texts).
@lru_cache(maxsize=_MAX_CACHED)
def render(markdown: str) -> Rendered:
    """Render Markdown to an XHTML fragment, reporting unsafe or broken input as problems."""
    if not needs_engine(markdown):
        stripped = markdown.strip()
        if stripped:
            # One paragraph of text with no Markdown, no `&`, `<` or `>` in it (see Rendered).
            return Rendered(None, (), (), stripped)
    if _PRERENDERED:
        done = _PRERENDERED.pop(markdown, None)
        if done is not None:
            return done
    _remember((markdown,))
    bad = XML_FORBIDDEN.search(markdown)
    if bad is not None:
        # Never emit what XML cannot carry: replace it and report it.
        done = render(XML_FORBIDDEN.sub("\ufffd", markdown))
        problem = Refused(
            "character", f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry"
        )
        return Rendered(done.xhtml, done.media, (problem, *done.problems), warnings=done.warnings)
    return _render_full(markdown)


def _render_full(markdown: str) -> Rendered:
    import pyromark

    markdown = strip_unicode_edges(markdown)
    if has_paren_math(markdown):
        markdown = parens_as_dollars(markdown)
    source, ours = markdown, frozenset[int]()
    # `in` before any pattern: a substring test scans a long text several times faster.
    settled = True
    if "$" in source and DOLLAR_DIGIT.search(source) is not None:
        source, ours, settled = dollars_as_text(source)
    html_text = pyromark.html(source, options=options())
    if too_long(len(html_text), len(source)):
        return Rendered("<p></p>", (), (expanded(len(html_text), len(source)),))
    # Only a text with one of these can hold raw HTML, a link, an image or a character
    # reference: the others need no walk over the engine's events.
    warnings: list[Warned] = []
    problems = (
        source_problems(source, warnings)
        if "<" in source or "[" in source or "&#" in source
        else []
    )
    if not settled:
        problems.append(TOO_MANY_DOLLARS)
    # A `$` the math did not use: look closer (each inline math uses two, display four).
    # One alone is a dollar sign, unless braces near it may have kept math from pairing.
    unused = "$" in source and source.count("$") - 2 * html_text.count(_INLINE_MATH) - 4 * (
        html_text.count(_DISPLAY_MATH)
    )
    if unused > 1 or (unused == 1 and ("{" in source or "}" in source)):
        found, dollars = dollar_findings(source, ours)
        problems.extend(found)
        warnings.extend(dollars)
    # An indented code block that ends the text ends with a line break, as it would in a
    # file (and as markdown-it-py, the engine before, had it): pulldown-cmark ends its last
    # line with one only when the text does.
    unended = html_text.endswith("</code></pre>\n") and (
        _INDENTED_LAST_LINE.search(source) is not None
    )
    rendered = _to_xhtml(
        html_text,
        problems,
        raw_html="<" in source,
        unended_code=unended,
        references="&#" in source,
    )
    if warnings:
        rendered.warnings = tuple(dict.fromkeys(warnings))
    return rendered


SHOWS_NOTHING = Refused("nothing", "shows nothing (only white space, empty markup, comments or "
                                    "removed markup); write some text")


def shows_something(root: Any) -> bool:
    """Whether rendered XHTML shows anything: text other than white space (no-break spaces
    too), an image, math, a rule or a code block's box."""
    # Most texts start with a paragraph of text: its text answers without the tree's walk.
    first = root[0] if len(root) else None
    if first is not None and isinstance(first.tag, str) and first.text and not first.text.isspace():
        return True
    if any(text.strip() for text in root.itertext()):
        return True
    return next(root.iter("img", "hr", "pre", f"{{{MATHML_NS}}}math"), None) is not None


UNREAD_LINK = Refused("address", "a link's address is one a browser cannot read, and the "
                                 "sanitiser dropped it: it has no host a browser can read")
UNWRITABLE = "is no address QTI packages can carry (not a URI): it has no host a browser can read"
_INDENTED_LAST_LINE = re.compile(r"(?:^|\n)(?: {4}|\t)[^\n]*\Z")


_TOO_DEEP_TEXT = Refused(
    "deep",
    f"the text nests lists, quotes or HTML elements more than {MAX_DEPTH} deep, which no "
    "package keeps; flatten it",
)
# The problems that speak of a text's links (their addresses, or an <a> without one).
_OF_LINKS: frozenset[RefusedKind] = frozenset({"address", "file-link", "no-href", "unsafe-url"})


def _to_xhtml(
    html_text: str,
    problems: list[Refused],
    *,
    raw_html: bool,
    unended_code: bool,
    references: bool,
) -> Rendered:
    """The engine's HTML, sanitised, as XHTML. `raw_html`: the source may hold raw HTML; the
    checks only raw HTML can fail (nesting, stray text, attributes) are skipped without it.
    `unended_code`: the last code block's last line needs its line break. `references`: the
    source may hold numeric character references (&#…;)."""
    # nh3 takes time quadratic in the nesting depth (a minute for 25,000 levels of "> - "):
    # markup that may nest too deep is measured first, by libxml2, which stops at the limit.
    if html_text.count("<") > 2 * MAX_DEPTH and parsed_body(html_text)[1]:
        problems.append(_TOO_DEEP_TEXT)
        return Rendered("<p></p>", (), tuple(problems))
    cleaned = cleaner().clean(html_text)
    if not raw_html and not references:
        simple = simple_blocks_xhtml(cleaned)
        if simple is not None:
            return Rendered(simple, (), tuple(dict.fromkeys(problems)))
    if references:
        # The engine and nh3 decode numeric character references such as &#7; into
        # characters lxml cannot hold (the text itself holds none: render replaced them).
        cleaned = XML_FORBIDDEN.sub("\ufffd", cleaned)
    root, deep = parsed_body(cleaned)  # leading white space dropped below
    if deep:  # libxml2 dropped the rest of the text
        problems.append(_TOO_DEEP_TEXT)
    if root.text is not None and not root.text.strip():
        root.text = None
    if raw_html and RAW_MATHML.search(cleaned) is not None:
        problems.extend(adopt_raw_mathml(root))
    media: list[str] = []
    if "<img" in cleaned:
        for element in root.iter("img"):
            src = element.get("src", "")
            if not src:
                problems.append(Refused("image", "image has no source"))
            elif scheme(src):
                problems.append(external_image(src))
            else:
                media.append(unquote(src))
            if element.get("alt") is None:
                element.set("alt", "")
    # The sanitiser (WHATWG URLs) dropped an address the source's checks took: the link
    # would lead nowhere, and QTI 2.x and 3.0 require one (said when nothing was said of the
    # text's links).
    if "<a" in cleaned and not any(p.kind in _OF_LINKS for p in problems):
        hrefs = [element.get("href") for element in root.iter("a")]
        if None in hrefs:
            problems.append(UNREAD_LINK)
        problems.extend(Refused("address", f"link {href!r} {UNWRITABLE}") for href in hrefs
                        if href is not None and unwritable_address(href))
    if "<ol start" in cleaned:
        for element in root.iter("ol"):
            start = element.get("start")
            if start is not None and not (start.isascii() and start.isdigit() and start != "1"):
                del element.attrib["start"]  # raw HTML's: only a number, and 1 says nothing
    if _INLINE_MATH in html_text or _DISPLAY_MATH in html_text:
        for element in list(root.iter("span")):
            kind = element.get("class")
            if kind in (_INLINE_MATH, _DISPLAY_MATH):
                problems.extend(replace_with_mathml(element, kind == _DISPLAY_MATH))
    if raw_html:
        for element in root.iter():
            if str(element.tag).startswith(f"{{{MATHML_NS}}}"):
                continue  # checked against the MathML allow-list when it was built (mathml.py)
            # nh3 keeps attributes our allow-list names; lxml may add none, but be explicit.
            for attr in list(element.attrib):
                if (
                    attr
                    not in ALLOWED_ATTRIBUTES.get(str(element.tag), frozenset())
                    | COMMON_ATTRIBUTES
                ):
                    del element.attrib[attr]
    if "<pre" in cleaned:
        blocks = list(root.iter("pre"))
        if unended_code:
            code = blocks[-1][0] if len(blocks[-1]) else blocks[-1]
            if code.text and not code.text.endswith("\n"):
                code.text += "\n"
        for pre in blocks:
            code_into_pre(pre)
    if "<table" in cleaned:
        problems.extend(
            found for table in root.iter("table") if (found := table_problem(table)) is not None
        )
    if raw_html:
        # Text and inline elements directly under the wrapper (or a blockquote) cannot occur
        # with Markdown, but raw HTML blocks may leave some; wrap them in paragraphs so every
        # fragment is a sequence of block elements, as every target's schema wants.
        for container in [root, *root.iter("blockquote")]:
            wrap_inline_runs(container)
    for element in [root, *root.iter(*_ELEMENT_ONLY)]:
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    if raw_html:
        problems.extend(structure_problems(root))
    xhtml = ""
    if len(root):
        # One serialization of the wrapper, its tags cut off: what serializing each child
        # (with its tail) gives, in one call. The wrapper holds no text (see above).
        xhtml = etree().tostring(root, encoding="unicode", method="xml")[6:-7]
    if not problems and not shows_something(root):
        # `<p>`, `<b></b>`, `<br>`, `&nbsp;` or `#` alone leave elements, and nothing to see:
        # an option no learner can tell from another (and none at all in Aiken).
        problems.append(SHOWS_NOTHING)
    return Rendered(xhtml, tuple(dict.fromkeys(media)), tuple(dict.fromkeys(problems)))
