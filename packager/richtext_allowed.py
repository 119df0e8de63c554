"""The HTML a rich text may hold: the XHTML elements QTI 2.1 embeds (the narrowest target)
and the attributes each may carry. render() reports raw HTML outside these and its sanitiser
keeps nothing else; the HTML importers rebuild what they keep as HTML from them.
"""

from __future__ import annotations

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
COMMON_ATTRIBUTES = frozenset({"class"})
