"""HTML → canonical rich text (readers/html_markdown.py): lists one after another stay apart.
In Markdown two lists of the same marker with only a blank line between them are one list
(loose: each item a paragraph), so `<ol><li>a</li></ol><ol><li>b</li></ol>` showed `b` as
item 2 of one list where the HTML showed two lists each numbered from 1."""

from __future__ import annotations

import pytest
from lxml import etree

from packager.readers.html_markdown import html_to_markdown
from packager.richtext import render


def _lists(html: str) -> list[tuple[str, int]]:
    """The lists of the rendered import of `html`, in document order: (tag, its items)."""
    xhtml = render(html_to_markdown(html, lambda src: None).markdown).xhtml
    root = etree.fromstring(f"<div>{xhtml}</div>")
    # No list made loose (an item with text before its own lists has paragraphs, as before).
    assert all(li.find("p") is None for li in root.iter("li") if li.find("ol") is None), xhtml
    return [(str(e.tag), len(e.findall("li"))) for e in root.iter("ol", "ul")]


@pytest.mark.parametrize(
    ("html", "lists"),
    [
        ("<ol><li>a</li></ol><ol><li>b</li></ol>", [("ol", 1), ("ol", 1)]),
        ("<ul><li>a</li></ul><ul><li>b</li></ul>", [("ul", 1), ("ul", 1)]),
        ("<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul>",
         [("ul", 1), ("ul", 1), ("ul", 1)]),
        # An empty paragraph between them (Moodle's editors write `<p>&nbsp;</p>`) is dropped.
        ("<ol><li>a</li><li>b</li></ol><p>&nbsp;</p><ol><li>c</li></ol>",
         [("ol", 2), ("ol", 1)]),
        # The parse's path (attributes the quick path does not read).
        ('<ul class="x"><li>a</li></ul><ul><li>b</li></ul>', [("ul", 1), ("ul", 1)]),
        ('<ol><li>a</li></ol><ol start="2"><li>b</li></ol>', [("ol", 1), ("ol", 1)]),
        # Inside an item and a quote.
        ("<ul><li>x<ol><li>a</li></ol><ol><li>b</li></ol></li></ul>",
         [("ul", 1), ("ol", 1), ("ol", 1)]),
        ("<blockquote><ul><li>a</li></ul><ul><li>b</li></ul></blockquote>",
         [("ul", 1), ("ul", 1)]),
        # Lists of two kinds, or a paragraph between, were apart already.
        ("<ul><li>a</li></ul><ol><li>b</li></ol>", [("ul", 1), ("ol", 1)]),
        ("<ol><li>a</li></ol><p>then</p><ol><li>b</li></ol>", [("ol", 1), ("ol", 1)]),
    ],
)
def test_lists_one_after_another_stay_apart(html: str, lists: list[tuple[str, int]]) -> None:
    assert _lists(html) == lists


def test_the_second_list_numbers_from_its_own_start() -> None:
    xhtml = render(html_to_markdown("<ol><li>a</li></ol><ol><li>b</li></ol>",
                                    lambda src: None).markdown).xhtml
    assert xhtml == "<ol><li>a</li></ol><ol><li>b</li></ol>"
    started = render(html_to_markdown('<ol><li>a</li></ol><ol start="4"><li>b</li></ol>',
                                      lambda src: None).markdown).xhtml
    assert started == '<ol><li>a</li></ol><ol start="4"><li>b</li></ol>'
