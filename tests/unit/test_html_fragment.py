"""Foreign HTML fragments are parsed whole: what lxml.html.fragment_fromstring gives for a
fragment with one <body>, and every part of one that closes its body and opens another,
where lxml.html raised an AssertionError (a traceback in `packager import` and `check`)."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from packager.xml.html_fragment import MAX_DEPTH, fragment

ONE_BODY = [
    "<p>a</p>",
    "lead <b>x</b> tail",
    "   <p>after white space</p>",
    "<!-- note --><p>a</p>",
    "a &amp; b &lt;c&gt;",
    "<li>x</li><li>y</li>",
    "<br>",
    "<title>t</title><p>a</p>",
    "<body class='x'><p>a</p></body>",
    "<!DOCTYPE html><html><body><p>z</p></body></html>",
    "<html><body>text <i>and</i> more</body></html>",
]


@pytest.mark.parametrize("markup", ONE_BODY)
def test_a_fragment_with_one_body_parses_as_lxml_html_does(markup: str) -> None:
    theirs = lxml_html.fragment_fromstring(markup, create_parent="div")
    ours = fragment(markup)
    assert isinstance(ours, lxml_html.HtmlElement)
    assert lxml_html.tostring(ours) == lxml_html.tostring(theirs)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>a</p></body><body><p>b</p>", b"<div><p>a</p><p>b</p></div>"),
        ("Which one?</body><body>x", b"<div>Which one?x</div>"),
        ("<p>a</p> tail</body><body>more <b>b</b>", b"<div><p>a</p> tailmore <b>b</b></div>"),
        ("<html><head><title>x</title></head></html>", b"<div></div>"),
    ],
)
def test_every_body_goes_into_the_wrapper(markup: str, expected: bytes) -> None:
    with pytest.raises(AssertionError):  # why this module exists
        lxml_html.fragment_fromstring(markup, create_parent="div")
    assert lxml_html.tostring(fragment(markup)) == expected


def test_a_parser_of_plain_elements_gives_plain_elements() -> None:
    wrapper = fragment("<p>a</p></body><body><p>b</p>", etree.HTMLParser())
    assert type(wrapper) is etree._Element
    assert [type(child) for child in wrapper] == [etree._Element, etree._Element]
    assert [child.text for child in wrapper] == ["a", "b"]


def test_a_control_character_lxml_will_not_set_stays_or_becomes_a_replacement() -> None:
    """libxml2 keeps \\x01 in a text node, but lxml refuses to set such a string from
    Python: rebuilding the wrapper's text raised ValueError (a traceback in check)."""
    assert fragment("a\x01b <p>x</p>").text == "a\x01b "  # the node as parsed
    assert fragment("<p>a</p></body><body>c\x0bd").xpath("string()") == "ac\ufffdd"


def test_a_markup_that_parses_to_nothing_is_a_parser_error() -> None:
    with pytest.raises(etree.ParserError):
        fragment("<!doctype html>")


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>a</p></html><p>b</p>", b"<div><p>a</p><p>b</p></div>"),
        ("<p>a</p></body></html>\n<p>b</p> tail", b"<div><p>a</p>\n<p>b</p> tail</div>"),
        ("Pasted</BODY ></HTML>typed after", b"<div>Pastedtyped after</div>"),
        (
            "<html><head><title>t</title></head><body><p>a<!-- c --></p></body></html><i>b</i>",
            b"<div><p>a<!-- c --></p><i>b</i></div>",
        ),
    ],
)
def test_content_after_a_closed_document_is_kept(markup: str, expected: bytes) -> None:
    """libxml2's tree builder drops what follows `</html>` (or a `</body>` then more):
    lxml.html loses it silently, a browser shows it."""
    theirs = lxml_html.document_fromstring(markup).body.text_content()
    ours = fragment(markup)
    assert isinstance(ours, lxml_html.HtmlElement)
    assert lxml_html.tostring(ours) == expected
    assert len(ours.text_content()) > len(theirs)


@pytest.mark.parametrize(
    "markup",
    [
        "<p>a</p></body>",
        "lead <b>x</b> tail</body></html>",
        "<!-- note --><p>a <o:p>w</o:p></p></body>",
        "<html><head><title>t</title></head><body class='x'><p>z</p></body></html>",
        "<ul><li>x<li>y</ul>\n</body>",
    ],
)
def test_a_closed_document_with_nothing_after_parses_as_lxml_html_does(markup: str) -> None:
    theirs = lxml_html.fragment_fromstring(markup, create_parent="div")
    assert lxml_html.tostring(fragment(markup)) == lxml_html.tostring(theirs)


_MARKUP = ["<p>", "</p>", "<!-- c -->", "a", "word ", '<b x="y">', "</b>", "<table>", "<td>",
           "<o:p>", "</o:p>", "&amp;", "<br/>", "<li>", "<ul>", "</ul>", " ", "\n", "<i>",
           "</i>", "<img src=x>", "<tr>", "</table>", "<div>", "</div>", "<span>"]
_HOSTILE = [*_MARKUP, "</body>", "</html>", "<body>", "<html>", "<head>", "</head>", "<title>",
            "</title>", "<!--", "-->", "--", "\x01", "\x0b", "\x00", '<b x="\x02">', "<?x?>",
            "<!doctype html>", "&#1;", "<script>", "</script>", '"', "<", ">", "<a", "=", "\r\n"]


@given(st.lists(st.sampled_from(_MARKUP), min_size=1, max_size=15))
def test_built_from_events_is_what_libxml2_builds(tokens: list[str]) -> None:
    """Markup closing its body with nothing after is built from the parser's events: the
    same tree as libxml2's own tree builder makes of it without the end tag."""
    markup = "".join(tokens)
    try:
        theirs = lxml_html.tostring(fragment(markup))
    except etree.ParserError:
        return
    assert lxml_html.tostring(fragment(markup + "</body>")) == theirs


@given(st.lists(st.sampled_from(_HOSTILE), min_size=1, max_size=25))
def test_any_markup_gives_a_tree_or_a_parser_error(tokens: list[str]) -> None:
    """Broken names, control characters, "--" in comments, unbalanced end tags: lxml
    refuses to make such nodes from Python, which ended imports with tracebacks."""
    for parser in (None, etree.HTMLParser()):
        with contextlib.suppress(etree.ParserError):
            lxml_html.tostring(fragment("".join(tokens), parser))


@pytest.mark.parametrize("after", ["", "</body><p>more</p>"])
def test_markup_deeper_than_libxml2_builds_is_a_parser_error(after: str) -> None:
    """libxml2 dropped everything from the 256th level on (the rest of the field too); the
    events path had no limit, and the readers' recursive walk ended in a RecursionError."""
    def nested(depth: int) -> str:
        return "<p>a</p>" + "<span>" * depth + "deep" + "</span>" * depth + "<p>b</p>" + after

    assert "deep" in fragment(nested(MAX_DEPTH - 1)).xpath("string()")
    for depth in (MAX_DEPTH, 3000):
        with pytest.raises(etree.ParserError, match="more than 255 elements deep"):
            fragment(nested(depth))


def _deep(levels: int) -> str:
    return "<div>" * levels + "x" + "</div>" * levels


@pytest.mark.parametrize("parse", ["fragment", "plain", "rendering"])
def test_a_parse_on_another_thread_does_not_hide_that_markup_was_too_deep(
    parse: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """too_deep reads the parser's error log, which lxml clears when the parser starts a
    document: a parser shared by the threads of a process (the API's callers) let another
    thread's parse between a deep document's and the reading of its log say "not too deep",
    and the text libxml2 dropped was lost without a word. Each thread parses with its own."""
    import threading

    from packager import richtext_xhtml
    from packager.xml import html_fragment

    parsed = {
        "fragment": lambda markup: html_fragment.fragment(markup),
        "plain": lambda markup: html_fragment.fragment(markup, html_fragment.plain_parser()),
        "rendering": lambda markup: richtext_xhtml.parsed_body(markup)[1],
    }[parse]
    module = richtext_xhtml if parse == "rendering" else html_fragment
    read_log = module.too_deep
    others: list[threading.Thread] = []

    def interleaved(parser: object) -> bool:
        if not others:  # another thread parses shallow markup first, once
            others.append(threading.Thread(target=parsed, args=("<p>shallow</p>",)))
            others[0].start()
            others[0].join()
        return read_log(parser)

    monkeypatch.setattr(module, "too_deep", interleaved)
    if parse == "rendering":
        assert parsed(_deep(300)) is True
    else:
        with pytest.raises(etree.ParserError):
            parsed(_deep(300))
