"""Foreign HTML fragments are parsed whole: what lxml.html.fragment_fromstring gives for a
fragment with one <body>, and every part of one that closes its body and opens another,
where lxml.html raised an AssertionError (a traceback in `packager import` and `check`)."""

from __future__ import annotations

import pytest
from lxml import etree
from lxml import html as lxml_html

from packager.xml.html_fragment import fragment

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
