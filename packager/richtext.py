"""Rich text: Markdown → sanitised, well-formed XHTML fragments, rendered once per distinct text.

Every writer embeds the same fragment: QTI 2.1/3.0 re-namespace the elements, QTI 1.2,
Moodle XML and the SCORM player carry the serialized string. Raw HTML is checked against an
allow-list that fits the XHTML subset of QTI 2.1 (the narrowest target), so what validates
here fits every target; anything outside it is reported as a problem, never silently kept.
Math ($…$, $$…$$) becomes MathML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from packager.mathml import ATTRIBUTES as MATHML_ATTRIBUTES
from packager.mathml import ELEMENTS as MATHML_ELEMENTS
from packager.mathml import MATHML_NS, adopt, sanitize
from packager.model.invariants import XML_FORBIDDEN

if TYPE_CHECKING:
    pass


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


class Rendered:
    """One rendered rich text: XHTML block elements (MathML in its namespace).

    Plain text (the common case) keeps only its source and escapes it on access: a
    50,000-question bank then does not hold a second copy of every text in the cache.
    """

    __slots__ = ("_flags", "_plain", "_xhtml", "media", "problems")

    def __init__(
        self,
        xhtml: str | None,
        media: tuple[str, ...] = (),
        problems: tuple[str, ...] = (),
        plain: str | None = None,
    ) -> None:
        self._xhtml = xhtml
        self._plain = plain
        self.media = media
        self.problems = problems
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
            )
            self._flags = flags
        return flags

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rendered):
            return NotImplemented
        return (self.xhtml, self.media, self.problems) == (other.xhtml, other.media, other.problems)

    def __hash__(self) -> int:
        return hash((self.xhtml, self.media, self.problems))

    def __repr__(self) -> str:
        return f"Rendered({self.xhtml!r}, {self.media!r}, {self.problems!r})"


_MATH_CLASS = "packager-tex"


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    # markdown-it drops a link with a javascript:/vbscript:/data: target and shows its source
    # as text, without a word. Every link is parsed here instead, so that _token_problems
    # reports it; nh3 still removes what it would have carried.
    md.validateLink = lambda url: True  # type: ignore[method-assign]

    # Math placeholders carry a class no author writes, so raw HTML with class="math" is
    # never mistaken for LaTeX; _replace_with_mathml turns them into MathML.
    def inline(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        return f'<span class="{_MATH_CLASS}">{html.escape(tokens[idx].content)}</span>'

    def block(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        return f'<div class="{_MATH_CLASS}">{html.escape(tokens[idx].content)}</div>\n'

    for rule in ("math_inline", "math_inline_double"):
        md.add_render_rule(rule, inline)
    for rule in ("math_block", "math_block_label"):
        md.add_render_rule(rule, block)
    return md


# Every text is rendered by the checks, the capability scan and the writer: cache them all
# (a 50,000-question bank has about 350,000 texts).
@lru_cache(maxsize=1 << 19)
def render(markdown: str) -> Rendered:
    """Render Markdown to an XHTML fragment, reporting unsafe or broken input as problems."""
    if _PLAIN_START.match(markdown) is None and _NOT_PLAIN.search(markdown) is None:
        stripped = markdown.strip()
        if stripped:
            # Rendered.plain() without the extra call: this runs once per text of a bank.
            return Rendered(None, (), (), stripped)
    bad = XML_FORBIDDEN.search(markdown)
    if bad is not None:
        # Never emit what XML cannot carry: replace it and report it.
        done = render(XML_FORBIDDEN.sub("\ufffd", markdown))
        problem = f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry"
        return Rendered(done.xhtml, done.media, (problem, *done.problems))
    return _render_full(markdown)


def _render_full(markdown: str) -> Rendered:
    md = _markdown()
    tokens = md.parse(markdown)
    problems = _token_problems(tokens)
    if "&#" in markdown:
        problems.extend(_reference_problems(markdown, tokens))
    html_text = md.renderer.render(tokens, md.options, {})
    return _to_xhtml(html_text, problems)


def _walk(tokens: list[Any]) -> Any:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _token_problems(tokens: list[Any]) -> list[str]:
    problems: list[str] = []
    raw: list[str] = []
    for token in _walk(tokens):
        kind = token.type
        if kind in ("html_block", "html_inline"):
            problems.extend(_check_raw_html(token.content))
            raw.append(token.content)
        elif kind == "link_open":
            problem = _link_problem(str(token.attrGet("href") or ""))
            if problem is not None:
                problems.append(problem)
        elif kind == "image":
            src = str(token.attrGet("src") or "")
            if _scheme(src):
                problems.append(_external_image(src))
    if raw:
        problems.extend(_stray_mathml("".join(raw)))
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


def _link_problem(href: str) -> str | None:
    """Why a link cannot be carried: an unsafe scheme, or a file that would not be packaged."""
    if not _safe_url(href):
        return f"unsafe link target {href!r}; links may use http, https or mailto"
    if not href or href.startswith("#") or _scheme(href):
        return None
    return (
        f"link to the file {href!r} is not carried into packages; link to a web address "
        "(https://…), or show images with ![alt](path)"
    )


def _scheme(url: str) -> str:
    """The scheme of a URL as a browser reads it (controls and spaces ignored, entities decoded);
    a scheme-relative //host address counts as a web address."""
    cleaned = re.sub(r"[\x00-\x20]+", "", html.unescape(url)).lower()
    if cleaned.startswith("//"):
        return "https"
    try:
        return urlsplit(cleaned).scheme
    except ValueError:  # e.g. "http://[x": no browser would follow it either
        return "invalid"


def _external_image(src: str) -> str:
    return f"image {src!r} is not a file in the bank's folder; packages must be self-contained"


# Character references, numeric: CommonMark turns one naming a character XML cannot carry
# (or no character at all) into U+FFFD, silently.
# Where a reference is not decoded by Markdown: code shows it as written; math (mathml.py)
# reports what it cannot carry itself.
_LITERAL_TOKENS = frozenset(
    ("code_inline", "code_block", "fence", "math_inline", "math_inline_double", "math_block",
     "math_block_label")
)
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,9}));")


def _reference_problems(markdown: str, tokens: list[Any]) -> list[str]:
    code = "".join(
        t.content for t in _walk(tokens) if t.type in _LITERAL_TOKENS
    )
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


# A comment ends at the first -->; what follows it on the same line is markup like any other.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
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
            elif attr_l in ("href", "src") and not _safe_url(value):
                problems.append(f"unsafe URL {value!r} in <{name} {attr_l}>")
            elif attr_l == "href" and (found := _link_problem(value)) is not None:
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


def _to_xhtml(html_text: str, problems: list[str]) -> Rendered:
    from lxml import etree
    from lxml import html as lxml_html

    cleaned = _cleaner().clean(html_text)
    # nh3 decodes character references such as &#7; into characters lxml cannot hold.
    cleaned = XML_FORBIDDEN.sub("\ufffd", cleaned)
    root = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    if _RAW_MATHML.search(cleaned) is not None:
        problems.extend(_adopt_raw_mathml(root))
    media: list[str] = []
    for element in list(root.iter()):
        if element.tag == "img":
            src = element.get("src", "")
            if not src:
                problems.append("image has no source")
            elif _scheme(src):
                problems.append(_external_image(src))
            else:
                media.append(unquote(src))
            if element.get("alt") is None:
                element.set("alt", "")
        elif element.tag in ("span", "div") and element.get("class") == _MATH_CLASS:
            problems.extend(_replace_with_mathml(element))
    for element in root.iter():
        if str(element.tag).startswith(f"{{{MATHML_NS}}}"):
            continue  # checked against the MathML allow-list when it was built (mathml.py)
        # nh3 keeps attributes our allow-list names; lxml may add none, but be explicit.
        for attr in list(element.attrib):
            if (
                attr
                not in ALLOWED_ATTRIBUTES.get(str(element.tag), frozenset()) | _COMMON_ATTRIBUTES
            ):
                del element.attrib[attr]
    for pre in root.iter("pre"):
        _code_into_pre(pre)
    # Text and inline elements directly under the wrapper (or a blockquote) cannot occur with
    # Markdown, but raw HTML blocks may leave some; wrap them in paragraphs so every fragment
    # is a sequence of block elements, as every target's schema wants.
    for container in [root, *root.iter("blockquote")]:
        _wrap_inline_runs(container)
    for element in [root, *root.iter(*_ELEMENT_ONLY)]:
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    problems.extend(_structure_problems(root))
    parts = []
    for child in root:
        parts.append(etree.tostring(child, encoding="unicode", method="xml"))
    if not parts and not problems:
        problems.append("shows nothing (only comments or removed markup); write some text")
    return Rendered("".join(parts), tuple(dict.fromkeys(media)), tuple(dict.fromkeys(problems)))


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


def _replace_with_mathml(element: Any) -> list[str]:
    from lxml import etree

    from packager.mathml import from_latex

    latex = (element.text or "").strip()
    display = "block" if element.tag == "div" else "inline"
    math, problems = from_latex(latex, display)
    if math is None:
        return problems
    tail = element.tail
    if display == "block":
        wrapper = etree.Element("div", {"class": "math"})
        wrapper.append(math)
        wrapper.tail = tail
        element.getparent().replace(element, wrapper)
    else:
        if "display" in math.attrib:
            del math.attrib["display"]  # inline is MathML's default
        math.tail = tail
        element.getparent().replace(element, math)
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
    # Serialized as every fragment is (richtext._to_xhtml): element by element.
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
    if rendered._plain is not None:
        return " ".join(rendered._plain.split())
    if rendered.is_plain_paragraph:
        return " ".join(html.unescape(rendered.xhtml[3:-4]).split())
    from lxml import etree

    wrapper = etree.fromstring(f"<div>{rendered.xhtml}</div>")
    for element in wrapper.iter():
        # Block boundaries separate words: "- a\n- b" reads "a b", not "ab".
        if isinstance(element.tag, str) and etree.QName(element).localname in _BLOCKS:
            element.tail = " " + (element.tail or "")
    return " ".join("".join(str(t) for t in wrapper.itertext()).split())
