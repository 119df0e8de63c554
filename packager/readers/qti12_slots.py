"""A QTI 1.2 document's items in slots: runs of loose items and question groups, with what
Canvas's groups say (how many are drawn, each one's points, the bank they draw from)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from packager.model.types import MAX_POINTS
from packager.readers.qti12_xml import kid, kids, local, squash, text_of


@dataclass
class Slot:
    """Items in document order: a run of loose items or a question group (pick)."""

    ident: str
    title: str
    pick: int | None
    items: list[tuple[etree._Element, str]] = field(default_factory=list)  # item, XPath
    points: float | None = None  # a group's points per question, which Canvas grades by
    draws_from: str | None = None  # a group's sourcebank_ref: the bank its questions come from
    bank: str | None = None  # the ident of the objectbank the slot was read from


def child_paths(parent: etree._Element, path: str) -> list[tuple[etree._Element, str]]:
    counts: dict[str, int] = {}
    for child in parent:
        counts[local(child)] = counts.get(local(child), 0) + 1
    seen: dict[str, int] = {}
    out: list[tuple[etree._Element, str]] = []
    for child in parent:
        name = local(child)
        if not name:
            continue
        seen[name] = seen.get(name, 0) + 1
        out.append((child, f"{path}/{name}" + (f"[{seen[name]}]" if counts[name] > 1 else "")))
    return out


def _pick(section: etree._Element) -> int | None:
    """The section's own selection_number (a Canvas question group), not a nested one's."""
    ordering = kid(section, "selection_ordering")
    for node in ordering.iter() if ordering is not None else []:
        if local(node) == "selection_number":
            try:
                return max(int(text_of(node)), 1)
            except ValueError:
                return None
    return None


def _points_per_item(section: etree._Element) -> float | None:
    """A Canvas question group's points per question (selection_extension/points_per_item):
    what each question drawn from the group is worth, whatever its own points say."""
    ordering = kid(section, "selection_ordering")
    for node in ordering.iter() if ordering is not None else []:
        if local(node) == "points_per_item":
            try:
                points = float(text_of(node))
            except ValueError:
                return None
            return points if 0 < points <= MAX_POINTS else None
    return None


def _sourcebank_ref(section: etree._Element) -> str | None:
    """The question bank a Canvas question group draws from (its selection's sourcebank_ref:
    the bank's ident, which a course export names its objectbank by)."""
    ordering = kid(section, "selection_ordering")
    for node in ordering.iter() if ordering is not None else []:
        if local(node) == "sourcebank_ref":
            return text_of(node) or None
    return None


def slots_of(container: etree._Element, path: str, title: str,
           bank: str | None = None) -> list[Slot]:
    """Loose runs and groups of an assessment, section or object bank (`bank`: its ident),
    in order."""
    slots: list[Slot] = []

    def loose() -> Slot:
        if not slots or slots[-1].pick is not None:
            slots.append(Slot(container.get("ident") or "", title, None, bank=bank))
        return slots[-1]

    def walk(element: etree._Element, at: str) -> None:
        for child, child_path in child_paths(element, at):
            name = local(child)
            if name == "item":
                loose().items.append((child, child_path))
            elif name == "section":
                pick = _pick(child)
                if pick is None:
                    walk(child, child_path)
                else:
                    group = Slot(child.get("ident") or "", squash(child.get("title") or ""), pick,
                                  points=_points_per_item(child),
                                  draws_from=_sourcebank_ref(child), bank=bank)
                    slots.append(group)
                    group.items = [(c, p) for c, p in child_paths(child, child_path)
                                   if local(c) == "item"]

    walk(container, path)
    return slots


def bank_title(container: etree._Element) -> str | None:
    """A Canvas question bank's title: its objectbank has no title attribute, only this
    field (its ident is a digest)."""
    meta = kid(container, "qtimetadata")
    for entry in kids(meta, "qtimetadatafield") if meta is not None else []:
        if text_of(kid(entry, "fieldlabel")) == "bank_title":
            return text_of(kid(entry, "fieldentry")) or None
    return None
