"""ElementPaths writes what lxml's getpath writes, for every element of a tree; with local
names, what counting each element's siblings gives, as the source had them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from packager.readers.xpaths import ElementPaths

_NAMES = st.sampled_from(["item", "section", "a", "b"])


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> etree._Element:
    element = etree.Element(draw(_NAMES))
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        kind = draw(st.sampled_from(["element", "element", "comment", "pi"]))
        if kind == "element":
            element.append(draw(_trees(depth + 1)))
        elif kind == "comment":
            element.append(etree.Comment("c"))
        else:
            element.append(etree.ProcessingInstruction("p"))
    return element


@given(_trees())
def test_every_path_is_getpaths(root: etree._Element) -> None:
    tree = root.getroottree()
    paths = ElementPaths()
    for element in root.iter(tag=etree.Element):
        assert paths(element) == tree.getpath(element)


def test_the_items_of_a_large_section_are_numbered_in_order() -> None:
    """20,000 sibling items, the case getpath is slow for (it counts preceding siblings)."""
    root = etree.fromstring(
        b"<q><assessment><section>" + b"<item/>" * 20_000 + b"</section></assessment></q>"
    )
    tree = root.getroottree()
    paths = ElementPaths()
    items = list(root.iter("item"))
    located = [paths(item) for item in items]
    assert located[0] == "/q/assessment/section/item[1]"
    assert located[-1] == tree.getpath(items[-1]) == "/q/assessment/section/item[20000]"


_NS = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


def _local(element: etree._Element) -> str:
    return str(element.tag).rpartition("}")[2]


def _counted(element: etree._Element) -> str:
    """The path as counting each element's same-named siblings gives it (the reference)."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name, parent = _local(node), node.getparent()
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and _local(c) == name]
            name += f"[{same.index(node) + 1}]" if len(same) > 1 else ""
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


@given(_trees())
def test_local_paths_count_same_named_siblings(root: etree._Element) -> None:
    for element in root.iter(tag=etree.Element):  # in a namespace: local names only
        element.tag = f"{_NS}{element.tag}"
    paths = ElementPaths(_local)
    for element in root.iter(tag=etree.Element):
        assert paths(element) == _counted(element)


def test_local_paths_keep_the_source_position_of_siblings_removed_as_noted() -> None:
    """A reader notes an element, then takes it out: the next one is still the third."""
    body = etree.fromstring(
        f'<itemBody xmlns="{_NS[1:-1]}"><p/><choice/><choice/><choice/></itemBody>'
    )
    paths = ElementPaths(_local)
    found = []
    for extra in list(body)[2:]:
        found.append(paths(extra))
        body.remove(extra)
    assert found == ["/itemBody/choice[2]", "/itemBody/choice[3]"]
    moved = etree.SubElement(body, f"{_NS}prompt")  # arrived after the numbering
    assert paths(moved) == "/itemBody/prompt"
    assert paths(body[0]) == "/itemBody/p"


def test_a_qti21_item_of_several_interactions_is_left_out_where_it_is() -> None:
    from pathlib import Path

    import pytest

    from packager.errors import InputError
    from packager.readers import qti21
    from packager.readers.base import Source

    choice = (
        '<choiceInteraction responseIdentifier="R" maxChoices="1"><simpleChoice '
        'identifier="A">a</simpleChoice><simpleChoice identifier="B">b</simpleChoice>'
        "</choiceInteraction>"
    )
    data = (
        f'<assessmentItem xmlns="{_NS[1:-1]}" identifier="i" title="T" adaptive="false" '
        'timeDependent="false"><responseDeclaration identifier="R" cardinality="single" '
        'baseType="identifier"><correctResponse><value>A</value></correctResponse>'
        f"</responseDeclaration><itemBody><p>Q</p>{choice * 3}</itemBody></assessmentItem>"
    ).encode()
    with pytest.raises(InputError) as caught:
        qti21.read(Source("item.xml", data, Path(".")))
    assert [(d.pointer, d.message) for d in caught.value.diagnostics] == [
        ("/assessmentItem", "item left out: it has 3 interactions (<choiceInteraction>, "
         "<choiceInteraction> at line 1, <choiceInteraction> at line 1), and a question has "
         "one")]
