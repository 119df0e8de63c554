"""The ONE serializer: UTF-8, XML declaration, two-space indentation, stable output."""

from __future__ import annotations

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
