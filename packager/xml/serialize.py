"""The ONE serializer: UTF-8, XML declaration, two-space indentation, stable output."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree


def to_bytes(node: etree._Element | etree._ElementTree, *, pretty: bool = True) -> bytes:
    root = node.getroot() if isinstance(node, etree._ElementTree) else node
    # pretty_print indents every element that has no text of its own; the writers build
    # trees without layout white space, so a separate etree.indent pass is not needed.
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)
    return data


def parse_bytes(data: bytes) -> etree._ElementTree:
    """Parse XML safely: no network, no DTD loading, no entity expansion."""
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=True
    )
    return etree.ElementTree(etree.fromstring(data, parser))


# A run of lazily built children: the marker comment where they go, and the children.
ChildRun = tuple[etree._Element, Iterator[etree._Element]]


def slot_marker(parent: etree._Element) -> etree._Element:
    """A comment marking where lazily built children go, appended to `parent`.

    Used by writers that stream large documents (packages.base.StreamedXml): the text is
    unique within the document, so the serialized shell can be cut at it.
    """
    marker = etree.Comment(f"packager-slot-{id(parent):x}-{len(parent)}")
    parent.append(marker)
    return marker


def fill_slots(runs: list[tuple[etree._Element, Iterable[etree._Element]]]) -> None:
    """Put every run's children where its marker is, and drop the marker: one whole tree."""
    for marker, children in runs:
        parent = marker.getparent()
        assert parent is not None
        at = parent.index(marker)
        for offset, child in enumerate(children):
            parent.insert(at + offset, child)
        parent.remove(marker)
