"""Canvas equation images → packager math.

Canvas's rich editor (and text2qti, which writes what it writes) puts each equation in an
image rendered by the Canvas server: `<img class="equation_image" src="/equation_images/…"
alt="LaTeX: x = 2" data-equation-content="x = 2">`. The image cannot be fetched (it is not in
the export), but its LaTeX is in the element: `data-equation-content` first, as Canvas's own
equation editor reads it back, else the alt text after its `LaTeX: ` prefix, else the source
path, URL-encoded twice. The LaTeX becomes inline math `$…$` (`\\(…\\)` before a digit);
Canvas marks no display form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

_ALT_PREFIX = "LaTeX:"
_SOURCE_PATH = "/equation_images/"


def equation_latex(element: Any) -> str | None:
    """The LaTeX of a Canvas equation image (white space collapsed), or None for any other
    image or one that holds no LaTeX."""
    if "equation_image" not in (element.get("class") or "").split():
        return None
    latex = element.get("data-equation-content") or ""
    if not latex.strip():
        alt = (element.get("alt") or "").strip()
        latex = alt[len(_ALT_PREFIX):] if alt.startswith(_ALT_PREFIX) else ""
    if not latex.strip():
        _, found, path = (element.get("src") or "").partition(_SOURCE_PATH)
        latex = unquote(unquote(path.split("?", 1)[0])) if found else ""
    return " ".join(latex.split()) or None


def inline_math(latex: str, *, before_digit: bool = False) -> str | None:
    """`$latex$` when packager renders exactly that as one math element, with no problem or
    warning; else None. Before a digit (`before_digit`) it is `\\(latex\\)`, checked with
    a digit after it: `$x$5` is a dollar amount, shown as text, where `\\(x\\)5` is math.
    LaTeX holding a `$` is not written as math (nor is MathML's, in html_markdown). For the
    rest the renderer is asked rather than guessed for: braces that do not pair, a final
    backslash (which escapes the closing `$`) or a command packager cannot render would each
    turn the math into text or an error of the whole bank."""
    from lxml import etree

    from packager.mathml import MATHML_NS
    from packager.richtext import render

    if "$" in latex:  # as for MathML (html_markdown): `\$` in math is not read alike everywhere
        return None
    markdown, after = (f"\\({latex}\\)", "0") if before_digit else (f"${latex}$", "")
    rendered = render(markdown + after)
    if rendered.problems or rendered.warnings:
        return None
    root = etree.fromstring(f"<div>{rendered.xhtml}</div>")
    if len(root) != 1 or root[0].tag != "p" or (root[0].text or "").strip():
        return None
    (paragraph,) = root
    if len(paragraph) != 1 or paragraph[0].tag != f"{{{MATHML_NS}}}math":
        return None
    return markdown if (paragraph[0].tail or "").strip() == after else None
