"""Rich text as the QTI 1.2 (Canvas) writer writes it: rendered HTML, images in the package.

Rich text travels as escaped HTML in `mattext texttype="text/html"` (lxml escapes it); images
point at `$IMS-CC-FILEBASE$/<path>`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from urllib.parse import quote

from lxml import etree

from packager.richtext import render
from packager.richtext_images import with_image_sources
from packager.writers.qti12_idents import media_package_path

FILEBASE = "$IMS-CC-FILEBASE$"


def _package_src(href: str) -> str:
    return f"{FILEBASE}/{quote(media_package_path(href), safe='/')}"


# Texts with images, their sources pointed into the package: rewritten once however often
# they occur (a stimulus in every question). A per-build cache (cleared by `write`); values
# are pure functions of the Markdown, so concurrent builds can share it safely. No other
# text is kept here: render() keeps the rendered ones, and a copy of every text held for
# the whole build grows with the bank and slows every later batch in the heap it leaves.
IMAGE_HTML: dict[str, str] = {}


def html(markdown: str) -> str:
    """Rendered HTML of rich text with image sources pointing into the package."""
    rendered = render(markdown)
    xhtml = rendered.xhtml
    # One paragraph of plain text (most answers) holds no markup, so no image.
    if rendered.read_without_engine or "<img" not in xhtml:
        return xhtml
    cached = IMAGE_HTML.get(markdown)
    if cached is None:
        cached = IMAGE_HTML[markdown] = with_image_sources(xhtml, _package_src)
    return cached


def block_html(markdown: str) -> str:
    """HTML as one block element: Canvas keeps answer/feedback HTML only from the first one."""
    rendered = render(markdown)
    if rendered.read_without_engine:  # one paragraph of plain text
        return rendered.xhtml
    text = html(markdown)
    return text if _is_single_block(text) else f"<div>{text}</div>"


def _is_single_block(xhtml: str) -> bool:
    """Whether rendered XHTML is one <p> or <div> and nothing beside it."""
    if xhtml.startswith(("<p>", "<p ")):
        # A <p> holds no block, so its first end tag closes it (text has `<` escaped): one
        # block if that is the end. A string search, as most rich texts are paragraphs.
        return xhtml.find("</p>") == len(xhtml) - 4
    if not xhtml.startswith("<div"):
        return False  # a list, a table, a heading…
    return _is_one_div(xhtml)


# Keyed by render()'s own string (no copy is kept): a text that starts with a <div> (display
# math, raw HTML) may be a stimulus in every question, and is parsed once.
@lru_cache(maxsize=4096)
def _is_one_div(xhtml: str) -> bool:
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    return len(wrapper) == 1 and not (wrapper[0].tail or "")


def para(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>"

