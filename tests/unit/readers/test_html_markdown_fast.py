"""The shortcuts of `html_to_markdown` agree with the parsed conversion (`_parsed`): the same
Markdown and the same notes for every input, whichever path it takes."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from packager.readers import html_markdown
from packager.readers.html_markdown import (
    _PARAGRAPHS,
    _SIMPLE,
    _parsed_differently,
    html_to_markdown,
)
from packager.readers.html_markdown_syntax import escape_line_starts

# Pieces that matter to one path or the other: Markdown's characters, block markers, TeX,
# entities (known, unknown, unterminated, numeric), white space of every kind, characters
# lxml reads differently, quotes and angle brackets.
_PIECES = [
    "word", "Zoë", "📈", "“quoted”", " ", "  ", "\t", "\n", "\r\n", "\r", "\f", "\xa0", "\u2003",
    "#", "- ", "+ ", "= ", "> ", "1. ", "2) ", "*", "_", "`", "[", "]", "|", "$", "$$", "\\",
    "\\(", "\\)", "\\[", "\\]", "x^2", "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&apos;",
    "&copy;", "&copy", "&#38;", "&#x41;", "&#0;", "&", "&;", ">", '"', "'", "\x00", "\x07",
    "\x0b", "\x7f", "\x85", "\ufffe", "\ud800", "rtl", 'dir="rtl"',
]
_ODD = ["&apos;", "&copy;", "&copy", "&#38;", "&#x41;", "&#0;", "&", "&;", "\x00", "\x07", "\x0b",
        "\x7f", "\x85", "\ufffe", "\ud800", "\f"]
_texts = st.lists(st.sampled_from(_PIECES), max_size=12).map("".join)
# The older shortcut (text with no `<`, `&` or TeX) is not the parse for characters lxml
# replaces or refuses (NUL, form feed, surrogates, U+FFFE): those are left out of its test.
_usual_texts = st.lists(
    st.sampled_from([p for p in _PIECES if p not in _ODD or "&" in p]), max_size=12
).map("".join)
# A direction of right to left is noted by the parse: the shortcuts must leave it to it.
_ATTRIBUTES = ['dir="ltr"', 'style="text-align: left;"', 'class="x"', 'title=""', 'lang="fr-CA"',
               'dir="rtl"', 'dir=" RTL "']
_attribute = st.sampled_from(_ATTRIBUTES)
_space = st.sampled_from(["", " ", "\n", "\r\n", "\t", "\n  "])


@st.composite
def _paragraph(draw: st.DrawFn) -> str:
    attributes = "".join(draw(_space) or " " + a for a in draw(st.lists(_attribute, max_size=2)))
    # Attributes need space before them: an empty draw gives one space.
    return f"<p{attributes}{draw(_space)}>{draw(_texts)}</p>"


@st.composite
def _fragments(draw: st.DrawFn) -> str:
    parts = [draw(_space)]
    for _ in range(draw(st.integers(1, 4))):
        parts += [draw(_paragraph()), draw(_space)]
    if draw(st.integers(0, 9)) == 0:  # now and then something the shortcut must refuse
        at = draw(st.integers(0, len(parts)))
        parts.insert(at, draw(st.sampled_from(["x", "<br>", "<b>b</b>", "<p>", "</p>", "\xa0"])))
    return "".join(parts)


def _images(src: str) -> str | None:
    return None


def _same(html: str) -> None:
    fast = html_to_markdown(html, _images)
    parsed = html_markdown._parsed(html, _images) if html.strip() else fast
    assert (fast.markdown, fast.notes) == (parsed.markdown, parsed.notes), repr(html)


@settings(max_examples=3000, deadline=None)
@given(_fragments())
def test_paragraphs_convert_as_parsed(html: str) -> None:
    _same(html)


@settings(max_examples=1000, deadline=None)
@given(_usual_texts)
def test_text_converts_as_parsed(text: str) -> None:
    _same(text)


def _in_bulk(seed: int, html_of: Callable[[random.Random, list[str]], str],
             shortcut: re.Pattern[str]) -> None:
    """Seeded inputs in bulk, most of them taking the `shortcut` (so that the comparison is
    not of the parse with itself); a tenth with pieces the shortcut refuses."""
    rng = random.Random(seed)
    usual = [p for p in _PIECES if p not in _ODD]
    taken = 0
    for _ in range(3000):
        html = html_of(rng, _PIECES if rng.random() < 0.1 else usual)
        taken += shortcut.fullmatch(html) is not None and not _parsed_differently(html)
        _same(html)
    assert taken > 2000


def _random_paragraph(rng: random.Random, inline: str) -> str:
    attributes = "".join(" " + a for a in rng.sample(_ATTRIBUTES, rng.randint(0, 2)))
    return f"<p{attributes}>{inline}</p>"


def test_many_random_paragraphs_convert_as_parsed() -> None:
    def html_of(rng: random.Random, pieces: list[str]) -> str:
        paragraphs = [
            _random_paragraph(rng, "".join(rng.choices(pieces, k=rng.randint(0, 15))))
            for _ in range(rng.randint(1, 3))
        ]
        return rng.choice(["", "\n", " "]).join(paragraphs)

    _in_bulk(12, html_of, _PARAGRAPHS)


def test_moodle_editor_paragraphs() -> None:
    html = (
        '<p dir="ltr" style="text-align: left;">A &amp; B &lt;tag&gt; costs $5.</p>\n'
        "<p>- not a list\n1. nor this; \\(x^2\\) is math</p>"
    )
    assert _PARAGRAPHS.fullmatch(html)
    assert html_to_markdown(html, _images).markdown == (
        "A & B \\<tag\\> costs \\$5.\n\n\\- not a list 1. nor this; $x^2$ is math"
    )
    _same(html)


_EMPHASIS_TAGS = ["strong", "em", "b", "i"]
# Links the Writer keeps and drops (unsafe, no host, spaces, entities), and their attributes.
_HREFS = ["https://example.org/guide/1", "HTTP://X.ORG/a_(b)*c", "mailto:a@b.org", "#part",
          "#", "https://", "http:x", "javascript:alert(1)", "ftp://x.org", "https://x.org/a b",
          "https://x.org/?a=1&amp;b=2", "https://x.org/<x>", ""]
_KEPT = 5  # the first hrefs are those the shortcut takes
_LINK_ATTRIBUTES = ["", ' target="_blank"', ' title="t"', ' class="x"', ' href="https://y.org"',
                    ' dir="rtl"']


def _link(href: str, attributes: str, text: str) -> str:
    return f'<a href="{href}"{attributes}>{text}</a>'


@st.composite
def _inline(draw: st.DrawFn) -> str:
    parts = [draw(_texts)]
    for _ in range(draw(st.integers(0, 3))):
        tag = draw(st.sampled_from([*_EMPHASIS_TAGS, "a"]))
        text = draw(_texts)
        parts += [_link(draw(st.sampled_from(_HREFS)), draw(st.sampled_from(_LINK_ATTRIBUTES)),
                        text) if tag == "a" else f"<{tag}>{text}</{tag}>", draw(_texts)]
    return "".join(parts)


@st.composite
def _blocks(draw: st.DrawFn) -> str:
    """Paragraphs and lists of text with bold and italic, and now and then something the
    shortcut must refuse (nesting, attributes, text between blocks or items)."""
    parts = [draw(_space)]
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            attributes = "".join(" " + a for a in draw(st.lists(_attribute, max_size=2)))
            parts.append(f"<p{attributes}>{draw(_inline())}</p>")
        else:
            tag = draw(st.sampled_from(["ul", "ol"]))
            items = [f"<li>{draw(_inline())}</li>" for _ in range(draw(st.integers(1, 3)))]
            parts.append(f"<{tag}>{draw(_space)}{draw(_space).join(items)}{draw(_space)}</{tag}>")
        parts.append(draw(_space))
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(parts)))
        parts.insert(at, draw(st.sampled_from(
            ["x", "<br>", "<b><i>b</i></b>", '<b class="x">b</b>', "<li>", "</li>", "<ul>",
             '<ol start="3"><li>c</li></ol>', "<p>", "\xa0", "\ufdd0", "<em>"])))
    return "".join(parts)


@settings(max_examples=3000, deadline=None)
@given(_blocks())
def test_paragraphs_and_lists_with_emphasis_convert_as_parsed(html: str) -> None:
    _same(html)


def test_many_random_blocks_convert_as_parsed() -> None:
    """Paragraphs and lists with emphasis, in bulk."""

    def inline(rng: random.Random, pieces: list[str]) -> str:
        def text() -> str:
            return "".join(rng.choices(pieces, k=rng.randint(0, 8)))

        parts = [text()]
        for _ in range(rng.randint(0, 3)):
            tag = rng.choice([*_EMPHASIS_TAGS, "a"])
            href = rng.choice(_HREFS[:_KEPT] if rng.random() < 0.9 else _HREFS)
            parts += [_link(href, rng.choice(_LINK_ATTRIBUTES), text())
                      if tag == "a" else f"<{tag}>{text()}</{tag}>", text()]
        return "".join(parts)

    def html_of(rng: random.Random, pieces: list[str]) -> str:
        blocks = []
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.5:
                blocks.append(_random_paragraph(rng, inline(rng, pieces)))
            else:
                tag = rng.choice(["ul", "ol"])
                space = rng.choice(["", "\n", " "])
                items = space.join(f"<li>{inline(rng, pieces)}</li>"
                                   for _ in range(rng.randint(1, 3)))
                blocks.append(f"<{tag}>{space}{items}{space}</{tag}>")
        return rng.choice(["", "\n", " "]).join(blocks)

    _in_bulk(13, html_of, _SIMPLE)


def test_an_explanation_with_links() -> None:
    html = ('<p>See <a href="https://x.org/a b">x</a>!<a href="https://example.org/g" '
            'target="_blank">the guide</a> or <a href="mailto:a@b.org"> mail </a>.</p>'
            '<ul><li><a href="#top">top</a></li></ul>')
    assert _SIMPLE.fullmatch(html) is None  # a space in a link: the parse
    html = html.replace("a b", "a%20b")
    assert _SIMPLE.fullmatch(html)
    assert html_to_markdown(html, _images).markdown == (
        "See [x](<https://x.org/a%20b>)\\![the guide](<https://example.org/g>) or "
        " [mail](<mailto:a@b.org>) .\n\n- [top](<#top>)"
    )
    _same(html)
    # A link without text is dropped with a note: the parse writes it.
    empty = '<p>a <a href="https://x.org"> </a> b</p>'
    assert _SIMPLE.fullmatch(empty)
    assert [n.kind for n in html_to_markdown(empty, _images).notes] == ["dropped"]
    _same(empty)


def test_an_explanation_with_emphasis_and_a_list() -> None:
    html = ("<p>Mostly <strong>often</strong> <em>carefully</em>: 1. not a list</p>"
            "<ol>\n<li>- <b>one</b></li>\n<li></li><li>x<i> two</i></li></ol><p>a<b>*</b>b</p>")
    assert _SIMPLE.fullmatch(html)
    assert html_to_markdown(html, _images).markdown == (
        "Mostly **often** *carefully*: 1. not a list\n\n1. \\- **one**\n2. \n3. x *two*"
        "\n\na<strong>\\*</strong>b"
    )
    _same(html)


# Texts of one line or more, with block markers and the white space before them.
_marked_texts = st.lists(st.sampled_from(
    ["word", " ", "\t", "\xa0", "\u2003", "\n", "#", ">", "+", "=", "~", "-", "1", "23", ".", ")",
     "\\", "a"]), max_size=10).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_marked_texts)
def test_one_line_escapes_as_many(text: str) -> None:
    """`escape_line_starts` on a single line (its shortcut) escapes as on many lines."""
    from packager.readers.html_markdown_syntax import _LINE_START, _escape_line_start

    assert escape_line_starts(text) == _LINE_START.sub(_escape_line_start, text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="rtlRTLſKıİx \u212a", max_size=8))
def test_right_to_left_is_found_as_a_pattern_finds_it(text: str) -> None:
    assert html_markdown._may_be_rtl(text) == (re.search("rtl", text, re.I) is not None)
