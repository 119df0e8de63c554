"""The ONE serializer: UTF-8, XML declaration, two-space indentation, stable output."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:
    from packager.xml.templates import InPlace


def to_bytes(node: etree._Element | etree._ElementTree, *, pretty: bool = True) -> bytes:
    root = node.getroot() if isinstance(node, etree._ElementTree) else node
    # pretty_print indents every element that has no text of its own; the writers build
    # trees without layout white space, so a separate etree.indent pass is not needed.
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)
    return data


def parse_bytes(data: bytes, *, keep_blank_text: bool = True) -> etree._ElementTree:
    """Parse XML safely: no network, no DTD loading, no entity expansion. Readers of names,
    attributes and text alone drop the indentation between elements (keep_blank_text=False):
    it is a third of the tree of a large manifest, and of its parse time."""
    parser = etree.XMLParser(
        no_network=True,
        resolve_entities=False,
        load_dtd=False,
        huge_tree=True,
        remove_blank_text=not keep_blank_text,
    )
    return etree.ElementTree(etree.fromstring(data, parser))


SLOT_PREFIX = "packager-slot-"  # what every marker's text starts with
# Markers are counted: a parent's id() may repeat, as a writer's loop over sections frees
# each section's proxy before it makes the next, perhaps at the same address.
_MARKERS = count()


@dataclass(frozen=True)
class ChildRun:
    """Children built lazily where `marker` is: `build(item)` for each of `items`, in order.

    Writers that stream large documents (packages.base.StreamedXml) return these; the
    assembler builds them in batches, possibly in several processes (by index, so a batch
    can be built without building the ones before it).
    """

    marker: etree._Element
    items: Sequence[Any]
    build: Callable[[Any], etree._Element]
    in_place: InPlace | None = None  # the children the assembler may fill in place


def child_run(
    parent: etree._Element,
    items: Sequence[Any],
    build: Callable[[Any], etree._Element],
    in_place: InPlace | None = None,
) -> ChildRun:
    """A run of children to be built at the end of `parent` as it is now.

    The marker is a comment whose text is unique within the process, so the serialized
    shell can be cut at it and a copy of the shell finds it by its text.
    """
    marker = etree.Comment(f"{SLOT_PREFIX}{next(_MARKERS)}")
    parent.append(marker)
    return ChildRun(marker, items, build, in_place)
