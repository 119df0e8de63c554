"""What the `qti12` and `cc` readers share beyond items: the manifest of a package, images
found in it, and QTI 1.2 documents (assessments, question groups, object banks) → one bank.

Images: `$IMS-CC-FILEBASE$/x` is resolved where the exporters put it (Canvas: the package root
or `web_resources/`; Moodle: the folder of the QTI file), a relative `src` against the QTI
file's folder. Found images are stored under `media/` (keeping their folders), only when they
are PNG, JPEG, GIF or WebP images with a clean relative name.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.media_types import HEAD, media_type_problem
from packager.readers.html_markdown import ImageSource, Unkept, html_to_markdown
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
from packager.readers.qti12_items import ItemError, ItemReader, ItemResult
from packager.readers.qti12_xml import kid, kids, local, squash, text_of
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import Archive
from packager.relpath import relpath_problem

if TYPE_CHECKING:
    from lxml import etree

MANIFEST = "imsmanifest.xml"
META_FILE = "assessment_meta.xml"  # Canvas's quiz settings
FILEBASES = ("$IMS-CC-FILEBASE$/", "%24IMS-CC-FILEBASE%24/", "$IMS_CC_FILEBASE$/")


# --- the manifest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...]


def manifest_root(archive: Archive) -> etree._Element:
    if MANIFEST not in archive:
        raise InputError(
            f"{archive.name}: the package has no {MANIFEST}",
            diagnostics=[Diagnostic("E-QTI", f"no {MANIFEST} in the package", file=archive.name,
                                    hint="import the zip exactly as the LMS exported it")],
        )
    return parse_xml(archive[MANIFEST], f"{archive.name}!{MANIFEST}")


def resources(manifest: etree._Element) -> list[Resource]:
    found: list[Resource] = []
    holder = kid(manifest, "resources")
    for element in kids(holder, "resource") if holder is not None else []:
        found.append(Resource(
            element.get("identifier") or "",
            element.get("type") or "",
            element.get("href"),
            tuple(f.get("href") or "" for f in kids(element, "file")),
            tuple(d.get("identifierref") or "" for d in kids(element, "dependency")),
        ))
    return found


def manifest_title(manifest: etree._Element) -> str | None:
    metadata = kid(manifest, "metadata")
    for node in metadata.iter() if metadata is not None else []:
        if local(node) == "title":
            return text_of(node) or None
    return None


def entry(archive: Archive, path: str, what: str) -> bytes:
    name = posixpath.normpath(unquote(path))
    if name not in archive:
        raise InputError(
            f"{archive.name}: the manifest names {path!r}, which is not in the package",
            diagnostics=[Diagnostic("E-QTI", f"{what} {path!r} is missing from the package",
                                    file=f"{archive.name}!{MANIFEST}")],
        )
    return archive[name]


def documents(archive: Archive, paths: list[str], media: Media) -> list[Document]:
    """The QTI documents at `paths` of the package, parsed."""
    found: list[Document] = []
    for path in paths:
        label = f"{archive.name}!{path}"
        root = parse_xml(entry(archive, path, "the assessment"), label)
        found.append(Document(label, root, media, posixpath.dirname(path)))
    return found


def first_xml(resource: Resource) -> str | None:
    """The file a resource is: its href, else its first XML file."""
    return resource.href or next((f for f in resource.files if f.endswith(".xml")), None)


def none_found(archive: Archive, message: str, detail: str) -> InputError:
    return InputError(f"{archive.name}: {message}", diagnostics=[
        Diagnostic("E-QTI", detail, file=f"{archive.name}!{MANIFEST}")])


def canvas_meta(archive: Archive, resource: Resource, by_id: dict[str, Resource],
                media: Media, found: Found) -> None:
    """Title, description and settings from Canvas's assessment_meta.xml (a file of the
    resource or of one it depends on), when there is one."""
    folder = posixpath.dirname(first_xml(resource) or "")
    paths = [*resource.files, *(f for dep in resource.dependencies if dep in by_id
                                for f in by_id[dep].files), posixpath.join(folder, META_FILE)]
    path = next((p for p in paths if p.endswith(META_FILE) and p in archive), None)
    if path is None:
        return
    quiz = parse_xml(archive[path], f"{archive.name}!{path}")
    found.title = text_of(kid(quiz, "title")) or None
    description = kid(quiz, "description")
    if description is not None and (description.text or "").strip():
        found.description = html_to_markdown(description.text or "",
                                             media.resolver(folder)).markdown or None
    if text_of(kid(quiz, "shuffle_answers")).lower() == "true":
        found.settings["shuffle_choices"] = True
    if text_of(kid(quiz, "hide_results")).lower() == "always":
        found.settings["show_feedback"] = "never"


# --- images ---------------------------------------------------------------------------------


class Media:
    """Images of a package, stored under `media/` as questions refer to them."""

    def __init__(self, archive: Archive | None, explain: bool = False) -> None:
        self.archive = archive
        self.files: dict[str, bytes] = {}
        self.problems: list[str] = []  # since the last take()
        # Whether why an image is not kept goes to the conversion (one note, "image … dropped:
        # why"), rather than to `problems`, noted beside the conversion's "not found".
        self.explain = explain

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems

    def resolver(self, folder: str) -> ImageSource:
        """The image callback for a document in `folder` of the package."""
        return lambda src: self.resolve(src, folder)

    def resolve(self, src: str, folder: str) -> str | Unkept | None:
        src = src.strip()
        base = next((b for b in FILEBASES if src.startswith(b)), None)
        if base is not None:
            path = src[len(base):]
            candidates = [path, f"web_resources/{path}", f"{folder}/{path}"]
        elif _external(src):
            return self._unkept(f"image {src[:60]!r}: ", "an import keeps only images inside "
                                "the source, never fetches one")
        else:
            candidates = [f"{folder}/{src}", src]
        for candidate in candidates:
            try:
                path = urlsplit(candidate).path
            except ValueError:  # "//[x": an address no file in the package has
                continue
            name = posixpath.normpath(unquote(path).lstrip("/"))
            if self.archive is not None and name in self.archive:
                return self._store(name, self.archive[name])
        return None

    def _store(self, name: str, data: bytes) -> str | Unkept | None:
        for prefix in ("web_resources/",):
            name = name.removeprefix(prefix)
        href = name if name.startswith("media/") else f"media/{name}"
        problem = relpath_problem(href)
        refused = media_type_problem(href, data[:HEAD])
        if problem is not None or refused is not None:
            return self._unkept(f"image {name!r} not kept: ", (
                f"its name {problem}" if problem else refused[0] if refused else ""))
        self.files[href] = data
        return href

    def _unkept(self, head: str, reason: str) -> Unkept | None:
        """Why an image is not kept: for the conversion to note, when explaining; else among
        `problems` (`head` + reason)."""
        if self.explain:
            return Unkept(reason)
        self.problems.append(head + reason)
        return None


# --- documents → a bank --------------------------------------------------------------------


@dataclass
class Document:
    label: str  # where it is, for messages: `pkg.zip!folder/quiz.xml` or `quiz.xml`
    root: etree._Element
    media: Media
    folder: str = ""  # its folder in the package, for relative image sources


@dataclass
class _Slot:
    """Items in document order: a run of loose items or a question group (pick)."""

    ident: str
    title: str
    pick: int | None
    items: list[tuple[etree._Element, str]] = field(default_factory=list)  # item, XPath


@dataclass
class Found:
    """What a reader found besides the items: the bank's title, description and settings."""

    title: str | None = None
    description: str | None = None  # HTML
    settings: dict[str, Any] = field(default_factory=dict)


def _child_paths(parent: etree._Element, path: str) -> list[tuple[etree._Element, str]]:
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


def _slots(container: etree._Element, path: str, title: str) -> list[_Slot]:
    """Loose runs and groups of an assessment, section or object bank, in order."""
    slots: list[_Slot] = []

    def loose() -> _Slot:
        if not slots or slots[-1].pick is not None:
            slots.append(_Slot(container.get("ident") or "", title, None))
        return slots[-1]

    def walk(element: etree._Element, at: str) -> None:
        for child, child_path in _child_paths(element, at):
            name = local(child)
            if name == "item":
                loose().items.append((child, child_path))
            elif name == "section":
                pick = _pick(child)
                if pick is None:
                    walk(child, child_path)
                else:
                    group = _Slot(child.get("ident") or "", squash(child.get("title") or ""), pick)
                    slots.append(group)
                    group.items = [(c, p) for c, p in _child_paths(child, child_path)
                                   if local(c) == "item"]

    walk(container, path)
    return slots


def read_documents(name: str, documents: list[Document], found: Found,
                   code: str, reader_name: str) -> Imported:
    """One bank from every assessment and object bank of the documents."""
    slots: list[tuple[Document, _Slot]] = []
    titles: list[str] = []
    for document in documents:
        root = document.root
        if local(root) != "questestinterop":
            raise InputError(f"{document.label}: not a QTI 1.2 document (the root is "
                             f"<{local(root)}>, not <questestinterop>)")
        for child, path in _child_paths(root, "/questestinterop"):
            if local(child) in ("assessment", "objectbank"):
                title = squash(child.get("title") or child.get("ident") or "")
                titles.append(title)
                slots.extend((document, s) for s in _slots(child, path, title))
            elif local(child) in ("item", "section"):
                slots.extend((document, s) for s in _slots(root, "/questestinterop", ""))
                break
    return _Builder(name, code).build(slots, found, titles, reader_name)


class _Builder:
    def __init__(self, name: str, code: str) -> None:
        self.name = name
        self.code = code
        self.notes: list[ImportNote] = []
        self.errors: list[Diagnostic] = []

    def build(self, slots: list[tuple[Document, _Slot]], found: Found, titles: list[str],
              reader_name: str) -> Imported:
        documents: list[Document] = []  # each once, in order
        indexes: dict[int, int] = {}  # a document's identity → its index there
        todo: list[tuple[int, int, etree._Element, str]] = []  # document, slot, item, XPath
        kept_slots: list[_Slot] = []
        for document, slot in slots:
            if slot.pick is not None and not slot.items:
                self.notes.append(ImportNote(None, Location(document.label), "dropped",
                                             f"the question group {slot.title!r} draws from a "
                                             "question bank that is not in the source"))
                continue
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
                read.result.notes.extend(("dropped", p) for p in read.problems)
                results.append((read.result, read.location, read.slot))
            for index, media_files in found_files.items():
                medias[index].files.update(media_files)
        if self.errors:
            raise InputError(f"{self.name}: {len(self.errors)} question(s) cannot be imported",
                             diagnostics=self.errors)
        title = found.title or (titles[0] if len(titles) == 1 and titles[0] else None) or (
            PurePath(self.name).stem)
        ids = unique([
            r.ident if is_slug(r.ident) else slug(r.title or "", f"q{n}")
            for n, (r, _, _) in enumerate(results, start=1)
        ])
        questions: list[dict[str, Any]] = []
        locations: list[Location] = []
        members: dict[int, list[str]] = {}
        for qid, (result, location, slot_index) in zip(ids, results, strict=True):
            for kind, message in result.notes:
                self.notes.append(ImportNote(qid, location, kind, message))
            data = result.data
            assert data is not None
            if result.title:
                data["title"] = result.title
            questions.append({"id": qid, **data})
            locations.append(location)
            members.setdefault(slot_index, []).append(qid)
        extra: dict[str, Any] = {}
        if found.description:
            extra["description"] = found.description
        if found.settings:
            extra["settings"] = found.settings
        sections = self.sections(kept_slots, members, len(titles) > 1)
        if sections:
            extra["sections"] = sections
        bank_id = slug(title, slug(PurePath(self.name).stem, f"{reader_name}-import"))
        bank = make_bank(self.name, bank_id, title, questions, locations, self.code, **extra)
        files: dict[str, bytes] = {}
        for document, _ in slots:
            files.update(document.media.files)
        order = {d.label: n for n, (d, _) in enumerate(slots)}
        notes = sorted(self.notes, key=lambda note: (order.get(note.location.file, 0),
                                                     note.location.line or 0))
        return Imported(bank, files, notes)

    def sections(self, slots: list[_Slot], members: dict[int, list[str]],
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


@dataclass
class _Read:
    """One item read: its result (None when it cannot be a question: `errors` say why), the
    image problems met reading it, and where it was."""

    location: Location
    slot: int
    result: ItemResult | None
    problems: list[str]
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
            result: ItemResult | None = ItemReader(document.media.resolver(document.folder)).read(item)
            errors = []
        except ItemError as exc:
            result, errors = None, [location.diagnostic(code, str(exc))]
        reads.append(_Read(location, slot, result, document.media.take(), errors))
    found = [added_since(m.files, count) for m, count in zip(medias, known, strict=True)]
    return reads, {index: files for index, files in enumerate(found) if files}


def _external(src: str) -> bool:
    """Whether an image source is an address outside the package: a scheme, a rooted path,
    or what urlsplit refuses ("http://[x", an unclosed IPv6 host), which no package holds."""
    try:
        return bool(urlsplit(src).scheme) or src.startswith("/")
    except ValueError:
        return True
