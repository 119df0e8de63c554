"""What the `qti12` and `cc` readers share beyond items, the manifest (qti12_manifest) and
images (qti12_media): QTI 1.2 documents (assessments, question groups, object banks) → one
bank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import (
    Imported,
    ImportNote,
    Location,
    is_slug,
    make_bank,
    slug,
    unique,
)
from packager.readers.parallel import added_since, in_parts
from packager.readers.qti12_item_result import ItemError, ItemResult
from packager.readers.qti12_items import ItemReader
from packager.readers.qti12_media import Media
from packager.readers.qti12_slots import Slot, bank_title, child_paths, slots_of
from packager.readers.qti12_xml import kid, local, material_html, squash

if TYPE_CHECKING:
    from lxml import etree


# --- documents → a bank --------------------------------------------------------------------


@dataclass
class Document:
    label: str  # where it is, for messages: `pkg.zip!folder/quiz.xml` or `quiz.xml`
    root: etree._Element
    media: Media
    folder: str = ""  # its folder in the package, for relative image sources


@dataclass
class Found:
    """What a reader found besides the items: the bank's title, description and settings."""

    title: str | None = None
    description: str | None = None  # Markdown
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[ImportNote] = field(default_factory=list)  # about what is outside the items


def read_documents(name: str, documents: list[Document], found: Found,
                   code: str, reader_name: str) -> Imported:
    """One bank from every assessment and object bank of the documents."""
    slots: list[tuple[Document, Slot]] = []
    titles: list[str] = []
    for document in documents:
        root = document.root
        if local(root) != "questestinterop":
            raise InputError(f"{document.label}: not a QTI 1.2 document (the root is "
                             f"<{local(root)}>, not <questestinterop>)")
        for child, path in child_paths(root, "/questestinterop"):
            if local(child) in ("assessment", "objectbank"):
                title = squash(child.get("title") or bank_title(child)
                               or child.get("ident") or "")
                titles.append(title)
                bank = child.get("ident") if local(child) == "objectbank" else None
                if local(child) == "assessment":
                    _assessment_texts(document, child, path, title, found)
                slots.extend((document, s) for s in slots_of(child, path, title, bank))
            elif local(child) in ("item", "section"):
                slots.extend((document, s) for s in slots_of(root, "/questestinterop", ""))
                break
    return _Builder(name, code).build(slots, found, titles, reader_name)


def _assessment_texts(document: Document, assessment: etree._Element, path: str, title: str,
                      found: Found) -> None:
    """An assessment's description (its `rubric`, where Brightspace writes a quiz's
    description) becomes the bank's, unless the bank has one (Canvas's assessment_meta.xml,
    an assessment before); Brightspace's introduction (`intro_message`) becomes it when there
    is none. What does not is noted."""
    extension = kid(assessment, "assess_procextension")
    intro = kid(extension, "intro_message") if extension is not None else None
    rubric = kid(assessment, "rubric")
    texts = [(element, markup) for element, markup in (
        (rubric, material_html(rubric) if rubric is not None else ""),
        (intro, intro.text or "" if intro is not None else "")) if element is not None]
    for element, markup in texts:
        line = element.sourceline
        where = Location(document.label, line if isinstance(line, int) else None, path)
        converted = html_to_markdown(markup, document.media.resolver(document.folder))
        text = converted.markdown
        if not text:
            continue
        found.notes.extend(ImportNote(None, where, kind, message)
                           for kind, message in converted.notes)
        if found.description is None:
            found.description = text
            if element is intro:
                found.notes.append(ImportNote(None, where, "changed", "the introduction of "
                                              "the quiz (Brightspace's intro_message) became "
                                              "the bank's description"))
            continue
        shown = " ".join(text.split())
        shown = repr(shown if len(shown) <= 60 else shown[:59] + "…")
        what = (f"the introduction of the quiz {shown} (Brightspace's intro_message)"
                if element is intro else f"the description of the quiz {title!r} ({shown})")
        found.notes.append(ImportNote(None, where, "dropped",
                                      f"{what}: a bank has one description"))


class _Builder:
    def __init__(self, name: str, code: str) -> None:
        self.name = name
        self.code = code
        self.notes: list[ImportNote] = []
        self.errors: list[Diagnostic] = []

    def build(self, slots: list[tuple[Document, Slot]], found: Found, titles: list[str],
              reader_name: str) -> Imported:
        self.notes.extend(found.notes)
        documents: list[Document] = []  # each once, in order
        indexes: dict[int, int] = {}  # a document's identity → its index there
        todo: list[tuple[int, int, etree._Element, str]] = []  # document, slot, item, XPath
        kept_slots: list[Slot] = []
        draws = self.draws(slots)
        drawn = {id(bank) for _, bank in draws.values()}
        for document, slot in slots:
            if id(slot) in drawn:
                continue  # its questions are the group's that draws from it
            if id(slot) in draws:  # read from the bank's document, where they are
                document, source = draws[id(slot)]
                slot.items = source.items
            if slot.pick is not None and not slot.items:
                continue  # noted by draws()
            kept_slots.append(slot)
            index = indexes.setdefault(id(document), len(documents))
            if index == len(documents):
                documents.append(document)
            todo.extend((index, len(kept_slots) - 1, item, path) for item, path in slot.items)
        results: list[tuple[ItemResult, Location, int]] = []  # with the slot's index
        # Documents may share one Media (a package's): each is looked at once.
        medias = list({id(d.media): d.media for d in documents}.values())
        state = (documents, medias, todo, self.code)
        for part, found_files in in_parts(_read_part, state, len(todo)):
            for read in part:
                self.errors.extend(read.errors)
                if read.result is None:
                    continue
                if read.result.data is None:
                    self.notes.extend(ImportNote(None, read.location, kind, message)
                                      for kind, message in read.result.notes)
                    continue
                results.append((read.result, read.location, read.slot))
            for index, media_files in found_files.items():
                medias[index].files.update(media_files)
        if self.errors and not results:
            raise InputError(f"{self.name}: {len(self.errors)} question(s) cannot be imported",
                             diagnostics=self.errors)
        # Beside questions that read, one that does not is left out, saying why: one odd item
        # of an export must not cost the user all the others.
        self.notes += [ImportNote(None, Location(d.file or self.name, d.line, d.pointer),
                                  "dropped", f"item left out: {d.message}") for d in self.errors]
        title = found.title or (titles[0] if len(titles) == 1 and titles[0] else None) or (
            PurePath(self.name).stem)
        ids = unique([
            r.ident if is_slug(r.ident) else slug(r.title or "", f"q{n}")
            for n, (r, _, _) in enumerate(results, start=1)
        ])
        parents = _stimulus_parents(results)
        children = Counter(parents.values())  # by the index of a stimulus, its questions
        questions: list[dict[str, Any]] = []
        locations: list[Location] = []
        members: dict[int, list[str]] = {}
        stimuli: list[dict[str, Any]] = []
        for n, (qid, (result, location, slot_index)) in enumerate(
                zip(ids, results, strict=True)):
            data = result.data
            assert data is not None
            if n in children:
                stimulus = {"id": qid, **({"title": result.title} if result.title else {}),
                            "body": data.get("prompt", "")}
                stimuli.append(stimulus)
                result.notes.append(("changed", f"the text item became the stimulus {qid!r} "
                                     f"of the {children[n]} question(s) that name it as their "
                                     "parent"))
                self.notes.extend(ImportNote(None, location, kind, message)
                                  for kind, message in result.notes)
                continue
            group_points = kept_slots[slot_index].points
            own = data.get("points", 1.0)  # left out when it is the bank's default, 1
            if group_points is not None and own != group_points and data["type"] != "text":
                result.notes.append(("changed", f"worth {group_points:g} points, its question "
                                     f"group's points per question (its own: {own:g})"))
                data["points"] = group_points
            for kind, message in result.notes:
                self.notes.append(ImportNote(qid, location, kind, message))
            if result.title:
                data["title"] = result.title
            if n in parents:
                data["stimulus"] = ids[parents[n]]
            questions.append({"id": qid, **data})
            locations.append(location)
            members.setdefault(slot_index, []).append(qid)
        extra: dict[str, Any] = {}
        if stimuli:
            extra["stimuli"] = stimuli
        if found.description:
            extra["description"] = found.description
        if found.settings:
            extra["settings"] = found.settings
        sections = self.sections(kept_slots, members, len(titles) > 1)
        if sections:
            extra["sections"] = sections
        bank_id = slug(title, slug(PurePath(self.name).stem, f"{reader_name}-import"))
        bank, left_out = make_bank(self.name, bank_id, title, questions, locations, self.code,
                                   noted=self.notes, **extra)
        self.notes.extend(left_out)
        files: dict[str, bytes] = {}
        for document, _ in slots:
            files.update(document.media.files)
        order = {d.label: n for n, (d, _) in enumerate(slots)}
        notes = sorted(self.notes, key=lambda note: (order.get(note.location.file, 0),
                                                     note.location.line or 0))
        return Imported(bank, files, notes)

    def draws(self, slots: list[tuple[Document, Slot]]) -> dict[int, tuple[Document, Slot]]:
        """By a question group that draws from a question bank (Canvas's sourcebank_ref, and
        no items of its own), the bank's questions in the source (a course export holds its
        banks; a quiz export does not): they become the group's. A bank gives its questions
        to one group, as a question is in one section; another group drawing from it, or one
        whose bank is not in the source, is left out with a note."""
        banks: dict[str, tuple[Document, Slot]] = {}
        for document, slot in slots:
            if slot.bank is not None and slot.pick is None and slot.items:
                banks.setdefault(slot.bank, (document, slot))
        draws: dict[int, tuple[Document, Slot]] = {}
        given: dict[int, str] = {}  # a bank slot → the title of the group it was given to
        for document, slot in slots:
            if slot.pick is None or slot.items:
                continue
            found = banks.get(slot.draws_from) if slot.draws_from else None
            if found is None:
                message = (f"the question group {slot.title!r} draws from a question bank that "
                           "is not in the source")
            elif id(found[1]) in given:
                message = (f"the question group {slot.title!r} draws from the question bank "
                           f"{found[1].title or found[1].ident!r}, whose questions are the group "
                           f"{given[id(found[1])]!r}'s here: a question is in one section")
            else:
                draws[id(slot)] = found
                given[id(found[1])] = slot.title
                continue
            self.notes.append(ImportNote(None, Location(document.label), "dropped", message))
        return draws

    def sections(self, slots: list[Slot], members: dict[int, list[str]],
                 several: bool) -> list[dict[str, Any]]:
        """Sections when the source has question groups or several assessments."""
        if not several and all(slot.pick is None for slot in slots):
            return []
        kept = [(slot, members[i]) for i, slot in enumerate(slots) if members.get(i)]
        ids = unique([s.ident if is_slug(s.ident) else slug(s.title, f"section-{n}")
                      for n, (s, _) in enumerate(kept, start=1)])
        sections: list[dict[str, Any]] = []
        for sid, (slot, qids) in zip(ids, kept, strict=True):
            section: dict[str, Any] = {"id": sid, "title": slot.title or sid, "question_ids": qids}
            if slot.pick is not None:
                section["pick"] = min(slot.pick, len(qids))
            sections.append(section)
        return sections


def _stimulus_parents(results: list[tuple[ItemResult, Location, int]]) -> dict[int, int]:
    """New Quizzes' stimuli: by the index of a question, that of the text item of its
    document it names as its parent_stimulus_item_ident. A parent that is no text item of
    the document leaves the question without it, noted."""
    texts = {(location.file, result.ident): n
             for n, (result, location, _) in enumerate(results)
             if result.data is not None and result.data["type"] == "text"}
    parents: dict[int, int] = {}
    for n, (result, location, _) in enumerate(results):
        if result.stimulus_of is None:
            continue
        parent = texts.get((location.file, result.stimulus_of))
        if parent is None:
            result.notes.append(("dropped", f"its stimulus {result.stimulus_of!r}: no text "
                                 "item of the source has that ident"))
        else:
            parents[n] = parent
    return parents


@dataclass
class _Read:
    """One item read: its result (None when it cannot be a question: `errors` say why), and
    where it was."""

    location: Location
    slot: int
    result: ItemResult | None
    errors: list[Diagnostic]


def _read_part(
    state: tuple[list[Document], list[Media], list[tuple[int, int, etree._Element, str]], str],
    start: int,
    stop: int,
) -> tuple[list[_Read], dict[int, dict[str, bytes]]]:
    """Items `todo[start:stop]` read (readers.parallel: here or in a worker, in order), and
    the images each of `medias` (the documents', each once) first found reading them."""
    documents, medias, todo, code = state
    known = [len(m.files) for m in medias]
    reads: list[_Read] = []
    for index, slot, item, path in todo[start:stop]:
        document = documents[index]
        line = item.sourceline
        location = Location(document.label, line if isinstance(line, int) else None, path)
        try:
            reader = ItemReader(document.media.resolver(document.folder),
                                document.media.explainer(document.folder))
            result: ItemResult | None = reader.read(item)
            errors = []
        except ItemError as exc:
            result, errors = None, [location.diagnostic(code, str(exc))]
        reads.append(_Read(location, slot, result, errors))
    found = [added_since(m.files, count) for m, count in zip(medias, known, strict=True)]
    return reads, {index: files for index, files in enumerate(found) if files}
