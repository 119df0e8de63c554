"""The rich-text pipeline as it was before pulldown-cmark: markdown-it-py (CommonMark, tables,
dollarmath), its tokens checked, its HTML through the same sanitiser and tree clean-up.

A test oracle only (tests/properties/test_richtext_oracle.py): the product renders with
pyromark. The checks of raw HTML, links and the tree are the product's own functions; what is
here is what depended on markdown-it's tokens and HTML.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from lxml import etree
from lxml import html as lxml_html

from packager import richtext as rt
from packager import (
    richtext_allowed,
    richtext_checks,
    richtext_mathml,
    richtext_urls,
    richtext_xhtml,
)
from packager.mathml import from_latex
from packager.richtext_refused import Refused

_MATH_CLASS = "packager-tex"
_LITERAL = frozenset(
    ("code_inline", "code_block", "fence", "math_inline", "math_inline_double", "math_block",
     "math_block_label")
)


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # allow_space=False: the product's math delimiters (no space inside the $ signs).
    md.use(dollarmath_plugin, allow_space=False, double_inline=True)
    md.validateLink = lambda url: True

    def inline(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        return f'<span class="{_MATH_CLASS}">{html.escape(tokens[idx].content)}</span>'

    def block(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        return f'<div class="{_MATH_CLASS}">{html.escape(tokens[idx].content)}</div>\n'

    for rule in ("math_inline", "math_inline_double"):
        md.add_render_rule(rule, inline)
    for rule in ("math_block", "math_block_label"):
        md.add_render_rule(rule, block)
    return md


def _walk(tokens: list[Any]) -> Any:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def render(markdown: str) -> tuple[str, tuple[str, ...], tuple[Refused, ...]]:
    """(xhtml, media, problems) as the old richtext._render_full gave them."""
    md = _markdown()
    tokens = md.parse(markdown)
    problems: list[Refused] = []
    raw: list[str] = []
    for token in _walk(tokens):
        if token.type in ("html_block", "html_inline"):
            problems.extend(richtext_checks._check_raw_html(token.content))
            raw.append(token.content)
        elif token.type == "link_open":
            found = richtext_urls.link_problem(str(token.attrGet("href") or ""))
            if found is not None:
                problems.append(found)
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if richtext_urls.scheme(src):
                problems.append(richtext_urls.external_image(src))
    if raw:
        problems.extend(richtext_checks._stray_mathml("".join(raw)))
    if "&#" in markdown:
        code = "".join(t.content for t in _walk(tokens) if t.type in _LITERAL)
        problems.extend(richtext_checks._reference_problems(markdown, code))
    return _to_xhtml(md.renderer.render(tokens, md.options, {}), problems)


def _to_xhtml(
    html_text: str, problems: list[Refused]
) -> tuple[str, tuple[str, ...], tuple[Refused, ...]]:
    cleaned = rt.XML_FORBIDDEN.sub("\ufffd", richtext_xhtml.cleaner().clean(html_text))
    root = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    if richtext_mathml.RAW_MATHML.search(cleaned) is not None:
        problems.extend(richtext_mathml.adopt_raw_mathml(root))
    media: list[str] = []
    for element in list(root.iter()):
        if element.tag == "img":
            src = element.get("src", "")
            if not src:
                problems.append(Refused("image", "image has no source"))
            elif richtext_urls.scheme(src):
                problems.append(richtext_urls.external_image(src))
            else:
                media.append(unquote(src))
            if element.get("alt") is None:
                element.set("alt", "")
        elif element.tag in ("span", "div") and element.get("class") == _MATH_CLASS:
            problems.extend(_replace_with_mathml(element))
    for element in root.iter():
        if str(element.tag).startswith(f"{{{rt.MATHML_NS}}}"):
            continue
        allowed = richtext_allowed.ALLOWED_ATTRIBUTES.get(str(element.tag), frozenset()) | {"class"}
        for attr in list(element.attrib):
            if attr not in allowed:
                del element.attrib[attr]
    for pre in root.iter("pre"):
        richtext_xhtml.code_into_pre(pre)
    for container in [root, *root.iter("blockquote")]:
        richtext_xhtml.wrap_inline_runs(container)
    for element in [root, *root.iter(*rt._ELEMENT_ONLY)]:
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        for child in element:
            if child.tail is not None and not child.tail.strip():
                child.tail = None
    problems.extend(richtext_xhtml.structure_problems(root))
    parts = [etree.tostring(child, encoding="unicode", method="xml") for child in root]
    if not problems and not rt.shows_something(root):
        problems.append(rt.SHOWS_NOTHING)
    return "".join(parts), tuple(dict.fromkeys(media)), tuple(dict.fromkeys(problems))


def _replace_with_mathml(element: Any) -> list[Refused]:
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
            del math.attrib["display"]
        math.tail = tail
        element.getparent().replace(element, math)
    return []
