"""The plain text of rich text, for titles and descriptions."""

from __future__ import annotations

from packager.richtext import render

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
