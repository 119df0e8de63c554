"""richtext_links.links_as_text: the links no package can carry become their text, found
from the engine's events, and only when the rest of the text reads as it did."""

from __future__ import annotations

import time

import pytest

from packager.model.types import MAX_TEXT_CHARS
from packager.richtext import render
from packager.richtext_links import links_as_text


@pytest.mark.parametrize(("text", "expected", "dropped"), [
    # the intelligent-textbook quizzes' "See" lines (text sweep 3)
    ("**See:** [Chapter 11 - Aliases](index.md#aliases)", "**See:** Chapter 11 - Aliases",
     ["index.md#aliases"]),
    ("é [ü **b**](p.md) z", "é ü **b** z", ["p.md"]),  # offsets are bytes, the text is not
    ("[a\nb](q.md)", "a\nb", ["q.md"]),
    ("[![i](a.png)](p.md)", "![i](a.png)", ["p.md"]),  # the image inside stays
    ("- [x](a.md)\n- b", "- x\n- b", ["a.md"]),
    ("[r][d] text\n\n[d]: other.md", "r text\n\n[d]: other.md", ["other.md"]),
    ("[no](javascript:alert(1)) and <foo:bar>", "no and foo:bar",
     ["javascript:alert(1)", "foo:bar"]),
    ("a [](c.md)", "a ", ["c.md"]),
])
def test_a_link_no_package_carries_becomes_its_text(
        text: str, expected: str, dropped: list[str]) -> None:
    assert render(text).problems  # refused as it is
    assert links_as_text(text) == (expected, dropped)
    assert not render(expected).problems


@pytest.mark.parametrize("text", [
    "[ok](https://example.org) [mail](mailto:a@example.org) <me@example.org> [top](#top)",
    "a `[x](y.md)` b",  # shown in a code span: no link
    "```\n[x](y.md)\n```",
    "no link at all",
])
def test_links_a_package_carries_and_what_is_no_link_stay(text: str) -> None:
    assert links_as_text(text) == (text, [])


def test_a_text_that_would_read_otherwise_without_the_link_is_left_as_it_is() -> None:
    # `*a*` would become emphasis: the link stays, and the bank's checks refuse it
    assert links_as_text("[*a](b.md)* x") == ("[*a](b.md)* x", [])


def test_a_text_of_links_as_long_as_a_text_may_be_is_read_in_time() -> None:
    links = [f"[see {i}](p{i}.md) " for i in range(10_000)]
    text = "".join(links)[:MAX_TEXT_CHARS].rpartition(" ")[0]
    start = time.perf_counter()
    new, dropped = links_as_text(text)
    assert time.perf_counter() - start < 3.0
    assert len(dropped) == text.count("](")
    assert new.startswith("see 0 see 1 ")


def test_a_link_whose_text_would_become_a_blank_stays() -> None:
    # a review's case: a GIFT [markdown] prompt `[[[blank](a.md)]]` gained a blank `[[blank]]`
    assert links_as_text("Fill [[[blank](a.md)]] in") == ("Fill [[[blank](a.md)]] in", [])


@pytest.mark.parametrize(("text", "message"), [
    ("[x](https://example.com>)", "link 'https://example.com>' has no host a browser can read"),
    ("[x](https://exa^mple.com/p)", "link 'https://exa^mple.com/p' has no host a browser can"),
    ("[x](https://exa%mple.com)", "link 'https://exa%mple.com' has no host a browser can read"),
    ("[x](https://[::1]/p)", "a link's address is one a browser cannot read"),
])
def test_a_link_the_sanitiser_would_leave_without_address_is_an_error(
    text: str, message: str
) -> None:
    """Fuzz run 31: nh3 (WHATWG URLs) drops an href whose host holds `>`, `^`, `|` or a stray
    `%`, which Python's urlsplit reads: validate passed, QTI 2.1/3.0 failed their XSD (<a>
    without href), the other formats lost the address silently."""
    rendered = render(text)
    assert rendered.xhtml == "<p><a>x</a></p>"
    assert [p for kind, p in rendered.problems if kind == "address" and p.startswith(message)], (
        rendered.problems)


@pytest.mark.parametrize("text", ["[x](https://ex%41mple.com)", "[x](https://café.com)",
                                  "[x](https://user@example.com:8080/p)",
                                  "[x](https://example.com/a>b)"])
def test_links_a_browser_reads_keep_their_address(text: str) -> None:
    rendered = render(text)
    assert rendered.problems == () and 'href="https://' in rendered.xhtml


def test_a_link_libxml2_refuses_as_a_uri_is_an_error() -> None:
    """Fuzz run 31: nh3 keeps `https://example.comhttps://example.com` (an empty port before
    `//`), which QTI 2.1 and 3.0's xs:anyURI refuses: validate passed, export failed its XSD."""
    rendered = render("[x](https://example.comhttps://example.com)")
    assert rendered.problems == ((
        "address", "link 'https://example.comhttps://example.com' is no address QTI packages "
        "can carry (not a URI): it has no host a browser can read"),)


def test_an_address_told_a_uri_without_the_schema_is_one_the_schema_takes() -> None:
    """richtext_urls.unwritable_address answers a plain web address (a host, a path of
    unreserved characters) without libxml2's xs:anyURI check: the schema takes every such
    address, and the addresses beside that shape are still asked."""
    from packager import richtext_urls
    from packager.xml.lazy import etree
    from packager.xsd import schema_errors

    def refused(address: str) -> bool:
        element = etree().Element("u")
        element.text = address
        return bool(schema_errors(richtext_urls._any_uri(), element, "address"))

    for address in _PLAIN_ADDRESSES:
        assert richtext_urls.unwritable_address(address) is refused(address), address
    assert any(refused(address) for address in _BESIDE_PLAIN)


def test_a_plain_web_address_is_a_link_as_urlsplit_reads_it(monkeypatch: pytest.MonkeyPatch):
    """richtext_urls.link_problem takes a plain web address without reading it with urlsplit:
    the same verdict as reading it, and the addresses beside that shape are still read."""
    import re

    from packager import richtext_urls

    fast = [richtext_urls.link_problem(address) for address in _PLAIN_ADDRESSES]
    monkeypatch.setattr(richtext_urls, "_PLAIN_ADDRESS", re.compile(r"(?!)"))
    assert fast == [richtext_urls.link_problem(address) for address in _PLAIN_ADDRESSES]
    assert any(fast)


def _plain_addresses() -> list[str]:
    import random

    pick = random.Random(42)
    host, path = "aZ09.-", "aZ09._~/-"
    return [f"http{pick.choice(['', 's'])}://"
            + "".join(pick.choice(host) for _ in range(pick.randint(1, 6)))
            + ("/" + "".join(pick.choice(path) for _ in range(pick.randint(0, 8)))
               if pick.random() < 0.8 else "")
            for _ in range(300)]


_BESIDE_PLAIN = [
    "https://host:https://x", "https://example.comhttps://example.com", "https://a:",
    "https://a:b/", "https://a/%zz", "https://a/ b", "https://[x/", "http://a/b?c#d#e",
    "https://a%/", "https://a/#%", "https:///", "https://", "http:/a", "https//a", "HTTPS://A",
    "javascript://a/b", "https://a^b/", "https://a|b/", "//a/b", "https://a@b/", "a/b.md", "",
]
# Addresses of the shape richtext_urls answers for without asking (_PLAIN_ADDRESS), and
# addresses beside it: each must get the answer it gets when asked.
_PLAIN_ADDRESSES = [*_plain_addresses(), *_BESIDE_PLAIN]
