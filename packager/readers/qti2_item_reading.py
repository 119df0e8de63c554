"""The state of reading one QTI 2.1 / 3.0 item (`ItemReading`): its tree, declarations,
response processing, notes and rich text, on which the scoring (qti2_item_scoring) and the
item's parts (qti2_items) are read.
"""

from __future__ import annotations

from typing import Any, Literal

from lxml import etree

from packager.readers.imported import ImportNote, Location
from packager.readers.qti2_declarations import Declaration, declarations
from packager.readers.qti2_dialect import Dialect, line, local
from packager.readers.qti2_html import Media, Rich
from packager.readers.xpaths import ElementPaths


def elements(parent: etree._Element) -> list[etree._Element]:
    """The child elements (not comments or processing instructions)."""
    return [child for child in parent if isinstance(child.tag, str)]


class ItemReading:
    """The reading of one item: its tree (changed as it is read), notes and rich text."""

    def __init__(
        self, d: Dialect, root: etree._Element, document: str, label: str, qid: str,
        media: Media,
    ) -> None:
        self.d = d
        self.root = root
        self.label = label
        self.qid = qid
        self.rich = Rich(d, media, document)
        self.notes: list[ImportNote] = []
        self.paths = ElementPaths(local)  # where each note is: thousands may be siblings
        self._taken_out: dict[etree._Element, str] = {}  # element → its path in the item
        self.decls = declarations(d, root)
        processing = d.first(root, "responseProcessing")
        self.processing = processing if processing is not None else etree.Element("none")
        template = d.get(self.processing, "template") or d.get(self.processing,
                                                               "templateLocation") or ""
        self.template = template.rstrip("/").rpartition("/")[2].removesuffix(".xml")
        # Modal feedback identifier → where its text goes (set by the interaction reader): a
        # field of a dict, or of the question itself (None).
        self.feedback_targets: dict[str, tuple[dict[str, Any] | None, str]] = {}
        self._points: list[float | None] = []  # points(), once worked out
        # Canvas's own fields (`instructureMetadata`, which its QTI 2.1 conversion writes
        # before the declarations): name → value.
        self.canvas: dict[str, str] = {
            (field.get("name") or "").strip(): (field.get("value") or "").strip()
            for meta in d.children(root, "instructureMetadata")
            for field in d.children(meta, "instructureField")
        }

    def note(self, element: etree._Element, kind: Literal["dropped", "changed"],
             message: str) -> None:
        path = self.paths(element)
        top = element
        while (parent := top.getparent()) is not None:
            top = parent
        if top in self._taken_out:  # `path` starts at the element taken out: say where it was
            path = self._taken_out[top] + path[len(self.paths(top)):]
        location = Location(self.label, line(element), path)
        self.notes.append(ImportNote(self.qid, location, kind, message))

    def taking_out(self, element: etree._Element) -> None:
        """Called before `element` leaves the item's tree to be read later: notes about it
        (and what it holds) then say where it was."""
        self._taken_out[element] = self.paths(element)

    def markdown(self, element: etree._Element) -> str:
        """Rich text of an element's content; what the conversion lost is noted."""
        before = len(self.rich.notes)
        text = self.rich.markdown(element)
        for kind, message in self.rich.notes[before:]:
            self.note(element, kind, message)
        return text

    def declaration(self, interaction: etree._Element) -> Declaration:
        identifier = self.d.get(interaction, "responseIdentifier") or ""
        found = self.decls.get(identifier)
        return found if found is not None else Declaration(identifier, "single", "identifier")

    def pairs(self, interaction: etree._Element) -> list[tuple[str, str]]:
        """The correct pairs of an associating interaction (`directedPair`/`pair` values)."""
        found = []
        for value in self.declaration(interaction).accepted():
            parts = value.split()
            if len(parts) == 2:
                found.append((parts[0], parts[1]))
        return found

    def has(self, name: str) -> bool:
        """Whether the response processing uses the element QTI 2.1 calls `name`."""
        return next(self.d.descendants(self.processing, name), None) is not None
