"""ElementPaths writes what lxml's getpath writes, for every element of a tree."""

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
    paths = ElementPaths(tree)
    for element in root.iter(tag=etree.Element):
        assert paths(element) == tree.getpath(element)


def test_the_items_of_a_large_section_are_numbered_in_order() -> None:
    """20,000 sibling items, the case getpath is slow for (it counts preceding siblings)."""
    root = etree.fromstring(
        b"<q><assessment><section>" + b"<item/>" * 20_000 + b"</section></assessment></q>"
    )
    tree = root.getroottree()
    paths = ElementPaths(tree)
    items = list(root.iter("item"))
    located = [paths(item) for item in items]
    assert located[0] == "/q/assessment/section/item[1]"
    assert located[-1] == tree.getpath(items[-1]) == "/q/assessment/section/item[20000]"
