"""Math in a rendered text as MathML: the engine's math spans replaced with MathML built once
per formula, and raw MathML, which the HTML parser reads without its namespace, adopted into
it and checked against the allow-list.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any

from packager.mathml import ELEMENTS as MATHML_ELEMENTS
from packager.mathml import adopt, sanitize
from packager.richtext_refused import Refused
from packager.xml.html_fragment import MAX_DEPTH
from packager.xml.lazy import etree

RAW_MATHML = re.compile(r"<(?:m[a-z]+|none|semantics|annotation)[\s/>]")


def adopt_raw_mathml(root: Any) -> list[Refused]:
    """Raw MathML, parsed by the HTML parser without its namespace, put in the MathML
    namespace and checked against the allow-list; MathML names outside <math> are errors."""
    problems: list[Refused] = []
    for math in list(root.iter("math")):
        adopted = adopt(math)
        found = sanitize(adopted)
        if found:
            problems.extend(Refused(kind, f"the MathML {p}") for kind, p in found)
            math.getparent().remove(math)
            continue
        adopted.tail = math.tail
        math.getparent().replace(math, adopted)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in MATHML_ELEMENTS:
            problems.append(
                Refused("math", f"the MathML element <{element.tag}> stands outside <math>"))
    return problems


@lru_cache(maxsize=1 << 12)
def _mathml(latex: str, display: str) -> tuple[Any, tuple[Refused, ...], int]:
    """from_latex, once per formula and display, and how deep its MathML nests: latex2mathml
    takes a few hundred µs, and short formulas ($x$, $n$) recur across a bank's texts."""
    from packager.mathml import latex_mathml

    math, problems, depth = latex_mathml(latex, display)
    return math, tuple(problems), depth


def replace_with_mathml(element: Any, display: bool) -> list[Refused]:
    """A math span of the engine's → MathML. Display math that is all of its paragraph or
    list item is a block (`<div class="math">`, replacing the paragraph); inside text it stays
    in its paragraph as `<math display="block">`, shown on a line of its own as MathJax and
    the LMSes' filters show `$$…$$` there."""
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
    cached, problems, depth = _mathml(latex, "block" if display else "inline")
    if cached is None:
        return list(problems)
    # Each level of a formula (`\sqrt{…}`, `x^{…}`) is two or three MathML elements: the text
    # may be shallow enough and its MathML not, which every later parse (libxml2's limit)
    # would refuse. The ancestors count html and body, as the check of the text's own depth.
    if depth + sum(1 for _ in element.iterancestors()) > MAX_DEPTH:
        shown = latex if len(latex) <= 60 else f"{latex[:57]}…"
        return [Refused("deep", f"the math {shown!r} nests {depth} MathML elements deep, more "
                        f"than a text may ({MAX_DEPTH} with the text around it); flatten it")]
    math = copy.deepcopy(cached)  # the cached element stays out of every tree
    if alone:
        wrapper = etree().Element("div", {"class": "math"})
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
