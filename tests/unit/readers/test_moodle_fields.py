"""A question's children found in one pass (`first_children`, what QuestionFields looks its
fields up in) are those `child` finds one tag at a time: the first of each name, never a
comment, a processing instruction or an element of another namespace."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from packager.readers.moodle_text import child, first_children

_TAGS = ["name", "questiontext", "hidden", "answer", "image", "image_base64", "single"]
_NODES = [f"<{tag}>{tag}</{tag}>" for tag in _TAGS] + [
    f"<{tag}>second</{tag}>" for tag in _TAGS] + [
    "<!-- name -->", "<?name x?>", '<x:name xmlns:x="urn:x">other</x:name>', "text", "<Name/>",
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_NODES), max_size=12))
def test_first_children_are_those_child_finds(nodes: list[str]) -> None:
    question = etree.fromstring(f"<question>{''.join(nodes)}</question>")
    found = first_children(question)
    for tag in [*_TAGS, "Name", "x", "{urn:x}name"]:
        assert found.get(tag) is child(question, tag), (tag, nodes)
    assert all(found[tag] is child(question, tag) for tag in found)


_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
_TEXT = ('<text><![CDATA[<p>A <img src="@@PLUGINFILE@@/a.png" alt="a"> '
         '<img src="@@PLUGINFILE@@/b.png" alt="b"></p>]]></text>')
_TEXT_CHILDREN = [
    _TEXT, "<text>second</text>", "<text/>", f'<file name="a.png" encoding="base64">{_PNG}</file>',
    f'<file name="b.png" path="/" encoding="base64">{_PNG}</file>', '<file name="a.png">x</file>',
    "<!-- text -->", '<x:text xmlns:x="urn:x">other</x:text>', '<x:file xmlns:x="urn:x"/>',
]


def _converted(element: etree._Element) -> tuple[str | None, dict[str, bytes], list[str]]:
    from packager.readers.base import Source
    from packager.readers.moodle_text import Context

    ctx = Context(Source("q.xml", b"<quiz/>", Path(".")))
    markdown = ctx.rich(None, element)
    return markdown, ctx.media, [f"{n.kind}: {n.message}" for n in ctx.notes] + [
        d.message for d in ctx.errors]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TEXT_CHILDREN), max_size=7))
def test_a_text_is_its_first_text_with_every_file_it_carries(nodes: list[str]) -> None:
    """`Context.rich` reads a text element's children in one pass: what it makes of them is
    what it makes of the element's first <text> followed by its <file>s, in their order,
    wherever they stand among the other children."""
    element = etree.fromstring(f'<questiontext format="html">{"".join(nodes)}</questiontext>')
    first = next(element.iterchildren("text"), None)
    tidy = etree.Element("questiontext", format="html")
    tidy.extend(etree.fromstring(etree.tostring(node))
                for node in ([first] if first is not None else [])
                + list(element.iterchildren("file")))
    assert _converted(element) == _converted(tidy), nodes
