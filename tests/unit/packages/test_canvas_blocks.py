"""canvas_rules.block_problem tells most HTML by its tags alone: it must say what the HTML
parser's tree says (parsed_block_problem) of any markup, the tags it trusts mixed with
those that close or open a block."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from packager.packages.canvas_rules import block_problem, parsed_block_problem

# Tags it trusts, tags that close a <p> or a <div> (or start another) in libxml2's HTML
# parser, MathML's and names it does not know.
_NAMES = [
    "a", "b", "br", "code", "em", "img", "span", "strong", "sub", "sup", "q", "tt",
    "p", "div", "ul", "ol", "li", "table", "tr", "td", "pre", "h1", "hr", "blockquote", "dl",
    "math", "mi", "mrow", "mspace", "mtable", "mtd", "semantics", "annotation",
    "menu", "form", "address", "body", "html", "head", "title", "script", "frameset", "P",
    "DIV", "annotation-xml", "center", "fieldset", "xmp", "plaintext", "select", "option",
]
_PIECES = st.one_of(
    st.sampled_from(_NAMES).map(lambda n: f"<{n}>"),
    st.sampled_from(_NAMES).map(lambda n: f"</{n}>"),
    st.sampled_from(_NAMES).map(lambda n: f"<{n}/>"),
    st.sampled_from(_NAMES).map(lambda n: f'<{n} class="x">'),
    st.sampled_from(["x", " ", "&lt;", "&amp;", "<!-- c -->", "< ", "<!DOCTYPE html>", "\n"]),
)


@settings(max_examples=3000, deadline=None)
@given(
    st.sampled_from(["<p>", "<div>", ""]),
    st.lists(_PIECES, max_size=12),
    st.sampled_from(["</p>", "</div>", ""]),
)
def test_tags_alone_say_what_the_parse_says(start: str, pieces: list[str], end: str) -> None:
    text = start + "".join(pieces) + end
    if text.strip():
        assert block_problem(text) == parsed_block_problem(text.strip()), text


def test_deep_markup_is_parsed() -> None:
    deep = "<div>" + "<ul><li>" * 300 + "x" + "</li></ul>" * 300 + "</div>"
    assert block_problem(deep) == parsed_block_problem(deep) == "is not HTML"
