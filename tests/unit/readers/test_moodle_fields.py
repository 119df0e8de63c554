"""A question's children found in one pass (`first_children`, what QuestionFields looks its
fields up in) are those `child` finds one tag at a time: the first of each name, never a
comment, a processing instruction or an element of another namespace."""

from __future__ import annotations

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
