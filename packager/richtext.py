"""Rich text: Markdown → sanitised, well-formed XHTML fragments, rendered once per distinct text.

Every writer embeds the same fragment: QTI 2.1/3.0 re-namespace the elements, QTI 1.2,
Moodle XML and the SCORM player carry the serialized string. Raw HTML is checked against an
allow-list that fits the XHTML subset of QTI 2.1 (the narrowest target), so what validates
here fits every target; anything outside it is reported as a problem, never silently kept.
Math ($…$, $$…$$; see richtext_dollars for when a `$` is a dollar; \\(…\\) is read as $…$,
see richtext_parens) becomes MathML.

The Markdown engine is pulldown-cmark (pyromark): CommonMark with pipe tables and math.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from packager.mathml import ATTRIBUTES as MATHML_ATTRIBUTES
from packager.mathml import ELEMENTS as MATHML_ELEMENTS
from packager.mathml import MATHML_NS, adopt, sanitize
from packager.richtext_dollars import (
    DOLLAR_DIGIT,
    TOO_MANY_DOLLARS,
    dollar_findings,
    dollars_as_text,
    options,
)
from packager.richtext_parens import has_paren_math, parens_as_dollars
from packager.xml.chars import XML_FORBIDDEN
from packager.xml.html_fragment import MAX_DEPTH, plain_parser, too_deep

# The XHTML elements QTI 2.1 embeds (imsqti_v2p1.xsd), minus those with no Markdown meaning.
ALLOWED_TAGS: frozenset[str] = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "address",
        "b",
        "big",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "ul",
        "var",
    ]
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "scope"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start"}),  # a list numbered from 3 shows 3, 4 … (QTI 2/3 drop it, noted)
}
_COMMON_ATTRIBUTES = frozenset({"class"})
# What nh3 keeps: the HTML allow-list, and MathML by name (mathml.sanitize checks the rest).
_NH3_TAGS = set(ALLOWED_TAGS) | set(MATHML_ELEMENTS)
_NH3_ATTRIBUTES = {
    "*": set(_COMMON_ATTRIBUTES),
    **{k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    **{k: set(MATHML_ATTRIBUTES) for k in MATHML_ELEMENTS},
}
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
_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})

# Text with none of these characters renders to exactly one escaped paragraph. U+0085 is
# included because str.strip() removes it and Markdown does not; what XML cannot carry is
# included so that such text takes the slow path, which replaces and reports it. Searched
# for rather than fullmatched against its complement: same answer, and re's literal-set
# scan is faster on the long texts of a large bank.
_NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<>&!#$|~\n\r\t\x85\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)

_PLAIN_START = re.compile(r"[\-+=>0-9 ]")


# What a rendered text uses beyond one plain paragraph, as bits: the capability scan ORs
# them over every text of a question, so it reads one cached int instead of three properties.
RICH = 1
MEDIA = 2
MATH = 4
LIST_START = 8  # a numbered list that starts at another number than 1


class Rendered:
    """One rendered rich text: XHTML block elements (MathML in its namespace).

    Plain text (the common case) keeps only its source and escapes it on access: a
    50,000-question bank then does not hold a second copy of every text in the cache.
    """

    __slots__ = ("_flags", "_plain", "_xhtml", "media", "problems", "warnings")

    def __init__(
        self,
        xhtml: str | None,
        media: tuple[str, ...] = (),
        problems: tuple[str, ...] = (),
        plain: str | None = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        self._xhtml = xhtml
        self._plain = plain
        self.media = media
        self.problems = problems
        # What renders, but perhaps not as the author meant (richtext_dollars): warnings.
        self.warnings = warnings
        # A plain paragraph uses nothing; anything else is worked out on first use.
        self._flags: int | None = 0 if plain is not None else None

    @classmethod
    def plain(cls, text: str) -> Rendered:
        """One paragraph of text with no Markdown in it (already stripped)."""
        return cls(None, (), (), text)

    @property
    def xhtml(self) -> str:
        if self._xhtml is None:
            return f"<p>{html.escape(self._plain or '', quote=False)}</p>"
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
        if not self.is_plain_paragraph:
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

    markdown = _strip_unicode_edges(markdown)
    return _too_long(len(pyromark.html(markdown, options=options())), len(markdown))


# Nesting deeper than html_fragment.MAX_DEPTH, which render() reports, takes quotes (`>`),
# list markers (two characters a level, `- ` or `1.`) or emphasis (`*`, `_`, two a level):
# at least about 127 of these characters, in a text of about 254 or more.
_NESTING = b">-*+_.)"
_NESTING_LENGTH = 240
_NESTING_MARKS = 120


def _nesting_marks(markdown: str) -> int:
    """How many of the characters that nest the text holds (one pass in C: bytes.translate
    deletes them; str.count per character took longer)."""
    data = markdown.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _NESTING))


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
            # Rendered.plain() without the extra call: this runs once per text of a bank.
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
        problem = f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry"
        return Rendered(done.xhtml, done.media, (problem, *done.problems), warnings=done.warnings)
    return _render_full(markdown)


def _render_full(markdown: str) -> Rendered:
    import pyromark

    markdown = _strip_unicode_edges(markdown)
    if has_paren_math(markdown):
        markdown = parens_as_dollars(markdown)
    source, ours = markdown, frozenset[int]()
    # `in` before any pattern: a substring test scans a long text several times faster.
    settled = True
    if "$" in source and DOLLAR_DIGIT.search(source) is not None:
        source, ours, settled = dollars_as_text(source)
    html_text = pyromark.html(source, options=options())
    if _too_long(len(html_text), len(source)):
        return Rendered("<p></p>", (), (_expanded(len(html_text), len(source)),))
    # Only a text with one of these can hold raw HTML, a link, an image or a character
    # reference: the others need no walk over the engine's events.
    warnings: list[str] = []
    problems = (
        _source_problems(source, warnings)
        if "<" in source or "[" in source or "&#" in source
        else []
    )
    if not settled:
        problems.append(TOO_MANY_DOLLARS)
    # A `$` the math did not use: look closer (each inline math uses two, display four).
    if "$" in source and source.count("$") - 2 * html_text.count(_INLINE_MATH) - 4 * (
        html_text.count(_DISPLAY_MATH)
    ) > 1:
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


def _too_long(rendered: int, source: int) -> bool:
    return rendered > _MAX_EXPANSION * source + _EXPANSION_FLOOR


def _expanded(rendered: int, source: int) -> str:
    return (
        f"renders to {rendered:,} characters of HTML, {rendered // max(source, 1)} times its "
        f"length, more than the {_MAX_EXPANSION} times a text may: a table fills every row out "
        "to its header's columns; give its rows their cells, or give it fewer columns"
    )


_INDENTED_LAST_LINE = re.compile(r"(?:^|\n)(?: {4}|\t)[^\n]*\Z")
_LEADING_SPACE = re.compile(r"[^\S\r\n]*")


def _strip_unicode_edges(markdown: str) -> str:
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


def _source_problems(source: str, warnings: list[str]) -> list[str]:
    """Raw HTML, link and image targets and character references, from the engine's events
    (links as written: the engine does not drop an unsafe one, nh3 removes it later); link
    and image titles, which no package carries, go to `warnings`."""
    import pyromark

    problems: list[str] = []
    raw: list[str] = []
    block: list[str] = []  # the pieces of the raw HTML block being read
    literal: list[str] = []  # code and math: where a character reference stays as written
    in_code = False
    for event in pyromark.events(source, options=options()):
        if isinstance(event, str):  # a line break or rule
            continue
        if "Text" in event:
            if in_code:
                literal.append(event["Text"])
        elif "InlineHtml" in event:
            problems.extend(_check_raw_html(event["InlineHtml"]))
            raw.append(event["InlineHtml"])
        elif "Html" in event:
            block.append(event["Html"])
        elif "Start" in event:
            start = event["Start"]
            if isinstance(start, dict):
                if "Link" in start:
                    link = start["Link"]
                    href = link["dest_url"]
                    if link["link_type"] == "Email":
                        href = f"mailto:{href}"
                    problem = link_problem(href)
                    if problem is not None:
                        problems.append(problem)
                    if link["title"]:
                        warnings.append(_title_dropped("link", link["title"]))
                elif "Image" in start:
                    src = start["Image"]["dest_url"]
                    if _scheme(src):
                        problems.append(_external_image(src))
                    if start["Image"]["title"]:
                        warnings.append(_title_dropped("image", start["Image"]["title"]))
                elif "CodeBlock" in start:
                    in_code = True
        elif "End" in event:
            if event["End"] == "CodeBlock":
                in_code = False
            elif event["End"] == "HtmlBlock":
                content = "".join(block)
                problems.extend(_check_raw_html(content))
                raw.append(content)
                block = []
        elif "Code" in event:
            literal.append(event["Code"])
        elif "InlineMath" in event:
            literal.append(event["InlineMath"])
        elif "DisplayMath" in event:
            literal.append(event["DisplayMath"])
    if raw:
        problems.extend(_stray_mathml("".join(raw)))
    if "&#" in source:
        problems.extend(_reference_problems(source, "".join(literal)))
    return problems


def _stray_mathml(raw: str) -> list[str]:
    """MathML elements outside <math>: an HTML parser drops them with their text."""
    depth = 0
    problems: list[str] = []
    for closing, tag, _rest in _TAG.findall(_COMMENT.sub("", raw)):
        name = tag.lower()
        if name == "math":
            depth += -1 if closing else 1
        elif name in MATHML_ELEMENTS and depth <= 0 and not closing:
            problems.append(f"the MathML element <{name}> stands outside <math>")
    return problems


TITLE_DROPPED = "is carried by no package"


def _title_dropped(kind: str, title: str) -> str:
    shown = title if len(title) <= 40 else title[:39] + "…"
    return f"the {kind}'s title {shown!r} {TITLE_DROPPED} (QTI has no title on links or images)"


def link_problem(href: str) -> str | None:
    """Why a link cannot be carried: an unsafe scheme, no scheme (`//host`), no host, or a
    file that would not be packaged."""
    cleaned, scheme, host = _read_url(href)
    if scheme not in _SAFE_SCHEMES:
        return f"unsafe link target {href!r}; links may use http, https or mailto"
    if cleaned.startswith("//"):
        return (
            f"link {href!r} has no scheme: a page opened from a file (the html export, "
            "preview) would follow it as file://; write https://…"
        )
    if scheme in ("http", "https") and not host:
        return f"link {href!r} has no host after its scheme; write https://host/…"
    if not href or href.startswith("#") or scheme:
        return None
    return (
        f"link to the file {href!r} is not carried into packages; link to a web address "
        "(https://…), or show images with ![alt](path)"
    )


def _scheme(url: str) -> str:
    return _read_url(url)[1]


def _read_url(url: str) -> tuple[str, str, str]:
    """A URL as a browser reads its start (entities decoded, controls and spaces gone), its
    scheme (a scheme-relative //host address counts as a web address; "invalid" for what
    urlsplit refuses, e.g. "http://[x", which no browser would follow either) and its host."""
    cleaned = re.sub(r"[\x00-\x20]+", "", html.unescape(url)).lower()
    try:
        split = urlsplit(cleaned)
    except ValueError:
        return cleaned, "invalid", ""
    return cleaned, "https" if cleaned.startswith("//") else split.scheme, split.netloc


def _external_image(src: str) -> str:
    return f"image {src!r} is not a file in the bank's folder; packages must be self-contained"


# Character references, numeric: CommonMark turns one naming a character XML cannot carry
# (or no character at all) into U+FFFD, silently.
# Where a reference is not decoded by Markdown: code shows it as written; math (mathml.py)
# reports what it cannot carry itself.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,9}));")


def _reference_problems(markdown: str, code: str) -> list[str]:
    problems: list[str] = []
    for match in _NUMERIC_REFERENCE.finditer(markdown):
        hexa, decimal = match.groups()
        point = int(hexa, 16) if hexa else int(decimal)
        if (
            point == 0
            or point > 0x10FFFF
            or XML_FORBIDDEN.match(chr(point)) is not None
        ) and match.group() not in code:
            problems.append(
                f"the character reference {match.group()} names no character XML can carry"
            )
    return problems


_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9:-]*)([^>]*)>?", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


# A comment as a browser (and nh3) reads it: `<!-->` and `<!--->` are whole comments, else
# it ends at the first `-->` or `--!>`; what follows is markup like any other.
_COMMENT = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))", re.S)
# Author classes a package may carry: a code block's language. Any other could borrow the
# styles of the page that shows it (an LMS's "stretched-link" covering the page, a player's
# own answer-key mark).
_AUTHOR_CLASS = re.compile(r"language-[\w-]+")
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})


def _check_raw_html(raw: str) -> list[str]:
    problems: list[str] = []
    for closing, tag, rest in _TAG.findall(_COMMENT.sub("", raw)):
        name = tag.lower()
        if closing:
            continue
        if name in MATHML_ELEMENTS:
            # MathML written as MathML (an import keeps what has no LaTeX form): its names
            # here, its values and structure checked by mathml.sanitize once parsed.
            for attr in dict.fromkeys(a.lower() for a, *_ in _ATTR.findall(rest)):
                if attr not in MATHML_ATTRIBUTES and attr != "xmlns":
                    problems.append(f"attribute {attr}= on <{name}> is not allowed")
            continue
        if name not in ALLOWED_TAGS:
            problems.append(
                f"raw HTML element <{name}> is not allowed; use Markdown, or formatting tags "
                "such as <b>, <em>, <sub>, <sup>, <table>"
            )
            continue
        allowed = ALLOWED_ATTRIBUTES.get(name, frozenset()) | _COMMON_ATTRIBUTES
        attributes = {a.lower(): v1 or v2 or v3 for a, v1, v2, v3 in _ATTR.findall(rest)}
        for attr_l, value in attributes.items():
            if attr_l.startswith("on"):
                problems.append(f"event-handler attribute {attr_l}= on <{name}> is not allowed")
            elif attr_l not in allowed:
                problems.append(f"attribute {attr_l}= on <{name}> is not allowed")
            elif attr_l == "class" and (
                foreign := [c for c in value.split() if not _AUTHOR_CLASS.fullmatch(c)]
            ):
                problems.append(
                    f"class {' '.join(foreign)!r} on <{name}> is not allowed: a page showing "
                    "it could style it with its own rules (only language-… is kept)"
                )
            elif attr_l in ("href", "src") and not _safe_url(value):
                problems.append(f"unsafe URL {value!r} in <{name} {attr_l}>")
            elif attr_l == "href" and (found := link_problem(value)) is not None:
                problems.append(found)
            elif attr_l == "scope" and value.strip().lower() not in _SCOPES:
                problems.append(
                    f"scope={value!r} on <{name}> is not one of row, col, rowgroup, colgroup"
                )
        if name == "a" and "href" not in attributes:
            problems.append("link <a> has no href; give it one, or remove the <a> tags")
    return problems


def _safe_url(url: str) -> bool:
    return _scheme(url) in _SAFE_SCHEMES


@lru_cache(maxsize=1)
def _cleaner() -> Any:
    """nh3's sanitiser, built once: nh3.clean() builds one per call from the allow-lists,
    which (with the MathML attributes of every MathML element) cost more than the cleaning."""
    import nh3

    return nh3.Cleaner(
        tags=_NH3_TAGS,
        attributes=_NH3_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


_TOO_DEEP_TEXT = (
    f"the text nests lists, quotes or HTML elements more than {MAX_DEPTH} deep, which no "
    "package keeps; flatten it"
)


def _parsed_body(markup: str) -> tuple[Any, bool]:
    """The markup parsed as lxml.html.fragment_fromstring parses a fragment: inside <body>
    (the wrapper a fragment is serialized from), with plain elements; and whether it nests
    deeper than libxml2 keeps (it dropped the rest). Not html_fragment.fragment: no <html>
    or <body> of the author's is left to handle, and this runs for every rich text."""
    from lxml import etree

    parser = plain_parser()
    document = etree.fromstring(f"<html><body>{markup}</body></html>", parser)
    return document, too_deep(parser)


def _to_xhtml(
    html_text: str,
    problems: list[str],
    *,
    raw_html: bool,
    unended_code: bool,
    references: bool,
) -> Rendered:
    """The engine's HTML, sanitised, as XHTML. `raw_html`: the source may hold raw HTML; the
    checks only raw HTML can fail (nesting, stray text, attributes) are skipped without it.
    `unended_code`: the last code block's last line needs its line break. `references`: the
    source may hold numeric character references (&#…;)."""
    from lxml import etree

    # nh3 takes time quadratic in the nesting depth (a minute for 25,000 levels of "> - "):
    # markup that may nest too deep is measured first, by libxml2, which stops at the limit.
    if html_text.count("<") > 2 * MAX_DEPTH and _parsed_body(html_text)[1]:
        problems.append(_TOO_DEEP_TEXT)
        return Rendered("<p></p>", (), tuple(problems))
    cleaned = _cleaner().clean(html_text)
    if references:
        # The engine and nh3 decode numeric character references such as &#7; into
        # characters lxml cannot hold (the text itself holds none: render replaced them).
        cleaned = XML_FORBIDDEN.sub("\ufffd", cleaned)
    document, deep = _parsed_body(cleaned)  # leading white space dropped below
    if deep:  # libxml2 dropped the rest of the text
        problems.append(_TOO_DEEP_TEXT)
    root = document.find("body")
    if root.text is not None and not root.text.strip():
        root.text = None
    if raw_html and _RAW_MATHML.search(cleaned) is not None:
        problems.extend(_adopt_raw_mathml(root))
    media: list[str] = []
    if "<img" in cleaned:
        for element in root.iter("img"):
            src = element.get("src", "")
            if not src:
                problems.append("image has no source")
            elif _scheme(src):
                problems.append(_external_image(src))
            else:
                media.append(unquote(src))
            if element.get("alt") is None:
                element.set("alt", "")
    if "<ol start" in cleaned:
        for element in root.iter("ol"):
            start = element.get("start")
            if start is not None and not (start.isascii() and start.isdigit() and start != "1"):
                del element.attrib["start"]  # raw HTML's: only a number, and 1 says nothing
    if _INLINE_MATH in html_text or _DISPLAY_MATH in html_text:
        for element in list(root.iter("span")):
            kind = element.get("class")
            if kind in (_INLINE_MATH, _DISPLAY_MATH):
                problems.extend(_replace_with_mathml(element, kind == _DISPLAY_MATH))
    if raw_html:
        for element in root.iter():
            if str(element.tag).startswith(f"{{{MATHML_NS}}}"):
                continue  # checked against the MathML allow-list when it was built (mathml.py)
            # nh3 keeps attributes our allow-list names; lxml may add none, but be explicit.
            for attr in list(element.attrib):
                if (
                    attr
                    not in ALLOWED_ATTRIBUTES.get(str(element.tag), frozenset())
                    | _COMMON_ATTRIBUTES
                ):
                    del element.attrib[attr]
    if "<pre" in cleaned:
        blocks = list(root.iter("pre"))
        if unended_code:
            code = blocks[-1][0] if len(blocks[-1]) else blocks[-1]
            if code.text and not code.text.endswith("\n"):
                code.text += "\n"
        for pre in blocks:
            _code_into_pre(pre)
    if "<table" in cleaned:
        for table in root.iter("table"):
            _give_a_body(table)
    if raw_html:
        # Text and inline elements directly under the wrapper (or a blockquote) cannot occur
        # with Markdown, but raw HTML blocks may leave some; wrap them in paragraphs so every
        # fragment is a sequence of block elements, as every target's schema wants.
        for container in [root, *root.iter("blockquote")]:
            _wrap_inline_runs(container)
    for element in [root, *root.iter(*_ELEMENT_ONLY)]:
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    if raw_html:
        problems.extend(_structure_problems(root))
    xhtml = ""
    if len(root):
        # One serialization of the wrapper, its tags cut off: what serializing each child
        # (with its tail) gives, in one call. The wrapper holds no text (see above).
        xhtml = etree.tostring(root, encoding="unicode", method="xml")[6:-7]
    elif not problems:
        problems.append("shows nothing (only comments or removed markup); write some text")
    return Rendered(xhtml, tuple(dict.fromkeys(media)), tuple(dict.fromkeys(problems)))


def _give_a_body(table: Any) -> None:
    """A table of header rows only (Markdown's `| a | b |` and its `|---|` line, or raw HTML)
    with those rows as its body: XHTML's tables in QTI need a <tbody> with rows, and the
    engine writes an empty one."""
    bodies = table.findall("tbody")
    if any(body.find("tr") is not None for body in bodies):
        return
    heads = table.findall("thead")
    rows = [row for head in heads for row in head.findall("tr")]
    if not rows:
        return
    body = bodies[0] if bodies else table.makeelement("tbody", {})
    heads[0].addprevious(body)
    body.text = None
    body.extend(rows)
    for emptied in [*heads, *bodies[1:]]:
        table.remove(emptied)


# Elements that stand as blocks on their own; anything else at block level joins a paragraph.
_BLOCK_LEVEL = frozenset(
    [
        "p", "div", "ul", "ol", "dl", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "address",
    ]
)
# What the XHTML content models allow directly inside list and table elements. Unclosed raw
# HTML (an <a> left open in a list item) is repaired by the HTML parser into shapes outside
# them, which no target's schema accepts.
_CHILDREN: dict[str, frozenset[str]] = {
    "ul": frozenset({"li"}),
    "ol": frozenset({"li"}),
    "dl": frozenset({"dt", "dd"}),
    "table": frozenset({"caption", "col", "colgroup", "thead", "tbody", "tfoot", "tr"}),
    "thead": frozenset({"tr"}),
    "tbody": frozenset({"tr"}),
    "tfoot": frozenset({"tr"}),
    "tr": frozenset({"td", "th"}),
    "colgroup": frozenset({"col"}),
}


def _code_into_pre(pre: Any) -> None:
    """`<pre><code class="language-x">…</code></pre>` → `<pre class="language-x">…</pre>`.

    A serializer that indents (libxml2's pretty printer, which every package uses) indents an
    element holding only elements, and inside <pre> that white space is shown to learners as
    part of the code. A <pre> whose content is text is left as it is."""
    children = list(pre)
    if len(children) != 1 or children[0].tag != "code" or (pre.text or "").strip():
        return
    code = children[0]
    if (code.tail or "").strip():
        return
    pre.text = code.text
    for child in list(code):
        pre.append(child)
    if code.get("class") and not pre.get("class"):
        pre.set("class", code.get("class"))
    pre.remove(code)


def _wrap_inline_runs(container: Any) -> None:
    from lxml import etree

    nodes: list[Any] = []  # elements, and strings for text between them
    if container.text and container.text.strip():
        nodes.append(container.text)
    for child in container:
        tail, child.tail = child.tail, None
        nodes.append(child)
        if tail and tail.strip():
            nodes.append(tail)
    if all(not isinstance(n, str) and n.tag in _BLOCK_LEVEL for n in nodes):
        return
    container.text = None
    for child in list(container):
        container.remove(child)
    paragraph = None
    for node in nodes:
        if not isinstance(node, str) and node.tag in _BLOCK_LEVEL:
            container.append(node)
            paragraph = None
            continue
        if paragraph is None:
            paragraph = etree.SubElement(container, "p")
        if isinstance(node, str):
            if len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "") + node
            else:
                paragraph.text = (paragraph.text or "") + node
        else:
            paragraph.append(node)


_INLINE = frozenset(
    [
        "a", "abbr", "acronym", "b", "big", "br", "cite", "code", "dfn", "em", "i", "img", "kbd",
        "q", "samp", "small", "span", "strong", "sub", "sup", "tt", "var",
    ]
) | {f"{{{MATHML_NS}}}math"}
# Elements whose content is inline only: a block inside one is repaired HTML, not a layout.
_INLINE_CONTENT = (_INLINE - {"br", "img", f"{{{MATHML_NS}}}math"}) | frozenset(
    [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "caption", "dt",
    ]
)


def _structure_problems(root: Any) -> list[str]:
    problems: list[str] = []
    for element in root.iter(*_INLINE_CONTENT):
        for child in element:
            if isinstance(child.tag, str) and child.tag not in _INLINE:
                problems.append(
                    f"<{child.tag}> cannot stand inside <{element.tag}>: the HTML is not well "
                    "nested; close every tag you open (e.g. </em>), in the order you opened them"
                )
    for element in root.iter(*_CHILDREN):
        allowed = _CHILDREN[element.tag]
        inside = [c.tag for c in element if c.tag not in allowed and isinstance(c.tag, str)]
        if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
            inside.append("text")
        for tag in dict.fromkeys(inside):
            what = "text" if tag == "text" else f"<{tag}>"
            problems.append(
                f"{what} cannot stand directly inside <{element.tag}>: the HTML is not well "
                "nested; close every tag you open (e.g. </a>), in the order you opened them"
            )
    return problems


_RAW_MATHML = re.compile(r"<(?:m[a-z]+|none|semantics|annotation)[\s/>]")


def _adopt_raw_mathml(root: Any) -> list[str]:
    """Raw MathML, parsed by the HTML parser without its namespace, put in the MathML
    namespace and checked against the allow-list; MathML names outside <math> are errors."""
    problems: list[str] = []
    for math in list(root.iter("math")):
        adopted = adopt(math)
        found = sanitize(adopted)
        if found:
            problems.extend(f"the MathML {p}" for p in found)
            math.getparent().remove(math)
            continue
        adopted.tail = math.tail
        math.getparent().replace(math, adopted)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in MATHML_ELEMENTS:
            problems.append(f"the MathML element <{element.tag}> stands outside <math>")
    return problems


@lru_cache(maxsize=1 << 12)
def _mathml(latex: str, display: str) -> tuple[Any, tuple[str, ...]]:
    """from_latex, once per formula and display: latex2mathml takes a few hundred µs, and
    short formulas ($x$, $n$) recur across a bank's texts."""
    from packager.mathml import from_latex

    math, problems = from_latex(latex, display)
    return math, tuple(problems)


def _replace_with_mathml(element: Any, display: bool) -> list[str]:
    """A math span of the engine's → MathML. Display math that is all of its paragraph or
    list item is a block (`<div class="math">`, replacing the paragraph); inside text it stays
    in its paragraph as `<math display="block">`, shown on a line of its own as MathJax and
    the LMSes' filters show `$$…$$` there."""
    from lxml import etree

    latex = (element.text or "").strip()
    parent = element.getparent()
    alone = (
        display
        and parent.tag in ("p", "li")
        # Its only child; not len(parent), which lxml counts anew on every call.
        and element.getprevious() is None
        and element.getnext() is None
        and not (parent.text or "").strip()
        and not (element.tail or "").strip()
    )
    cached, problems = _mathml(latex, "block" if display else "inline")
    if cached is None:
        return list(problems)
    math = copy.deepcopy(cached)  # the cached element stays out of every tree
    if alone:
        wrapper = etree.Element("div", {"class": "math"})
        wrapper.append(math)
        if parent.tag == "p":
            wrapper.tail = parent.tail
            parent.getparent().replace(parent, wrapper)
        else:
            parent.text = None
            parent.replace(element, wrapper)
    else:
        if not display and "display" in math.attrib:
            del math.attrib["display"]  # inline is MathML's default
        math.tail = element.tail
        parent.replace(element, math)
    return []


def with_image_sources(xhtml: str, new_src: Callable[[str], str | None]) -> str:
    """The fragment with each image's source replaced by `new_src(href)`, where href is the
    bank's media path (URL-decoded, normalised) and None keeps the source. The one place
    writers point images into their package: on the tree, so the attribute's escaping is
    lxml's, never a pattern's over serialized markup."""
    from lxml import etree

    if "<img" not in xhtml:
        return xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    for img in wrapper.iter("img"):
        src = img.get("src")
        if src:
            replaced = new_src(str(PurePosixPath(unquote(src))))
            if replaced is not None:
                img.set("src", replaced)
    # Serialized as every fragment is (richtext._to_xhtml).
    return "".join(etree.tostring(child, encoding="unicode") for child in wrapper)


_BLOCKS = frozenset(
    [
        "p",
        "div",
        "li",
        "dd",
        "dt",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "tr",
        "td",
        "th",
        "caption",
        "br",
        "hr",
    ]
)


def plain_text(markdown: str) -> str:
    """The text content of rendered Markdown, white space collapsed (for titles, descriptions)."""
    rendered = render(markdown)
    paragraph = rendered.paragraph_text
    if paragraph is not None:
        return " ".join(paragraph.split())
    from lxml import etree

    wrapper = etree.fromstring(f"<div>{rendered.xhtml}</div>")
    for element in wrapper.iter():
        # Block boundaries separate words: "- a\n- b" reads "a b", not "ab".
        if isinstance(element.tag, str) and etree.QName(element).localname in _BLOCKS:
            element.tail = " " + (element.tail or "")
    return " ".join("".join(str(t) for t in wrapper.itertext()).split())
