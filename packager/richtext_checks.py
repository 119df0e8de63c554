"""Problems in a rich text's Markdown source that render() reports: raw HTML outside the
allow-list (richtext_allowed), link and image targets no package carries (richtext_urls),
numeric character references XML cannot carry and MathML elements outside <math>, read from
the Markdown engine's events.
"""

from __future__ import annotations

import re

from packager.mathml import ATTRIBUTES as MATHML_ATTRIBUTES
from packager.mathml import ELEMENTS as MATHML_ELEMENTS
from packager.richtext_allowed import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, COMMON_ATTRIBUTES
from packager.richtext_dollars import options
from packager.richtext_refused import Refused
from packager.richtext_urls import external_image, link_problem, safe_url, scheme, title_dropped
from packager.richtext_warned import Warned
from packager.xml.chars import XML_FORBIDDEN


def source_problems(source: str, warnings: list[Warned]) -> list[Refused]:
    """Raw HTML, link and image targets and character references, from the engine's events
    (links as written: the engine does not drop an unsafe one, nh3 removes it later); link
    and image titles, which no package carries, go to `warnings`."""
    import pyromark

    problems: list[Refused] = []
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
                        warnings.append(Warned("W-TITLE", title_dropped("link", link["title"])))
                elif "Image" in start:
                    src = start["Image"]["dest_url"]
                    if scheme(src):
                        problems.append(external_image(src))
                    if start["Image"]["title"]:
                        warnings.append(
                            Warned("W-TITLE", title_dropped("image", start["Image"]["title"])))
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


def _stray_mathml(raw: str) -> list[Refused]:
    """MathML elements outside <math>: an HTML parser drops them with their text."""
    depth = 0
    problems: list[Refused] = []
    for closing, tag, _rest in _TAG.findall(_COMMENT.sub("", raw)):
        name = tag.lower()
        if name == "math":
            depth += -1 if closing else 1
        elif name in MATHML_ELEMENTS and depth <= 0 and not closing:
            problems.append(Refused("math", f"the MathML element <{name}> stands outside <math>"))
    return problems


# Character references, numeric: CommonMark turns one naming a character XML cannot carry
# (or no character at all) into U+FFFD, silently.
# Where a reference is not decoded by Markdown: code shows it as written; math (mathml.py)
# reports what it cannot carry itself.
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,9}));")


def _reference_problems(markdown: str, code: str) -> list[Refused]:
    problems: list[Refused] = []
    for match in _NUMERIC_REFERENCE.finditer(markdown):
        hexa, decimal = match.groups()
        point = int(hexa, 16) if hexa else int(decimal)
        if (
            point == 0
            or point > 0x10FFFF
            or XML_FORBIDDEN.match(chr(point)) is not None
        ) and match.group() not in code:
            problems.append(Refused(
                "character",
                f"the character reference {match.group()} names no character XML can carry",
            ))
    return problems


# The white space around a closing tag's `/` is taken whole (possessive): split every way
# between the two runs, a `<` before a long run of spaces and no name took time growing with
# the run's square.
_TAG = re.compile(r"<\s*+(/?)\s*+([A-Za-z][A-Za-z0-9:-]*)([^>]*)>?", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


# A comment as a browser (and nh3) reads it: `<!-->` and `<!--->` are whole comments, else
# it ends at the first `-->` or `--!>`; what follows is markup like any other.
_COMMENT = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))", re.S)
# Author classes a package may carry: a code block's language. Any other could borrow the
# styles of the page that shows it (an LMS's "stretched-link" covering the page, a player's
# own answer-key mark).
_AUTHOR_CLASS = re.compile(r"language-[\w-]+")
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})


def _check_raw_html(raw: str) -> list[Refused]:
    problems: list[Refused] = []
    for closing, tag, rest in _TAG.findall(_COMMENT.sub("", raw)):
        name = tag.lower()
        if closing:
            continue
        if name in MATHML_ELEMENTS:
            # MathML written as MathML (an import keeps what has no LaTeX form): its names
            # here, its values and structure checked by mathml.sanitize once parsed.
            for attr in dict.fromkeys(a.lower() for a, *_ in _ATTR.findall(rest)):
                if attr not in MATHML_ATTRIBUTES and attr != "xmlns":
                    problems.append(
                        Refused("attribute", f"attribute {attr}= on <{name}> is not allowed"))
            continue
        if name not in ALLOWED_TAGS:
            problems.append(Refused(
                "element",
                f"raw HTML element <{name}> is not allowed; use Markdown, or formatting tags "
                "such as <b>, <em>, <sub>, <sup>, <table>",
            ))
            continue
        allowed = ALLOWED_ATTRIBUTES.get(name, frozenset()) | COMMON_ATTRIBUTES
        attributes = {a.lower(): v1 or v2 or v3 for a, v1, v2, v3 in _ATTR.findall(rest)}
        for attr_l, value in attributes.items():
            if attr_l.startswith("on"):
                problems.append(Refused(
                    "handler", f"event-handler attribute {attr_l}= on <{name}> is not allowed"))
            elif attr_l not in allowed:
                problems.append(
                    Refused("attribute", f"attribute {attr_l}= on <{name}> is not allowed"))
            elif attr_l == "class" and (
                foreign := [c for c in value.split() if not _AUTHOR_CLASS.fullmatch(c)]
            ):
                problems.append(Refused(
                    "class",
                    f"class {' '.join(foreign)!r} on <{name}> is not allowed: a page showing "
                    "it could style it with its own rules (only language-… is kept)",
                ))
            elif attr_l in ("href", "src") and not safe_url(value):
                problems.append(Refused("unsafe-url", f"unsafe URL {value!r} in <{name} {attr_l}>"))
            elif attr_l == "href" and (found := link_problem(value)) is not None:
                problems.append(found)
            elif attr_l == "scope" and value.strip().lower() not in _SCOPES:
                problems.append(Refused(
                    "scope",
                    f"scope={value!r} on <{name}> is not one of row, col, rowgroup, colgroup",
                ))
        if name == "a" and "href" not in attributes:
            problems.append(
                Refused("no-href", "link <a> has no href; give it one, or remove the <a> tags"))
    return problems
