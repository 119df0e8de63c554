"""What the `qti12` and `cc` readers share beyond items: the manifest of a package, images
found in it, and QTI 1.2 documents (assessments, question groups, object banks) → one bank.

Images: `$IMS-CC-FILEBASE$/x` is resolved where the exporters put it (Canvas: the package root
or `web_resources/`; Moodle: the folder of the QTI file), a relative `src` against the QTI
file's folder. Found images are stored under `media/` (keeping their folders), only when they
are PNG, JPEG, GIF or WebP images with a clean relative name.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.media_types import HEAD, media_type_problem
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
from packager.readers.qti12_items import ItemError, ItemReader, ItemResult
from packager.readers.qti12_slots import Slot, bank_title, child_paths, slots_of
from packager.readers.qti12_xml import kid, kids, local, material_html, squash, text_of
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

    def __init__(self, archive: Archive | None) -> None:
        self.archive = archive
        self.files: dict[str, bytes] = {}
        # Why a source gave no image, by (folder, source), when there is more to say than
        # that it is not in the package.
        self.reasons: dict[tuple[str, str], str] = {}

    def resolver(self, folder: str) -> Callable[[str], str | None]:
        """The image callback for a document in `folder` of the package."""
        return lambda src: self.resolve(src, folder)

    def explainer(self, folder: str) -> Callable[[str], str | None]:
        """Why a source the resolver of `folder` gave no image for was left out (None: it
        is not in the package)."""
        return lambda src: self.reasons.get((folder, src))

    def resolve(self, src: str, folder: str) -> str | None:
        given, src = src, src.strip()
        base = next((b for b in FILEBASES if src.startswith(b)), None)
        if base is not None:
            path = src[len(base):]
            candidates = [path, f"web_resources/{path}", f"{folder}/{path}"]
        elif _external(src):
            self.reasons[(folder, given)] = ("an import keeps only images inside the source, "
                                             "never fetches one")
            return None
        else:
            candidates = [f"{folder}/{src}", src]
        for candidate in candidates:
            try:
                path = urlsplit(candidate).path
            except ValueError:  # "//[x": an address no file in the package has
                continue
            name = posixpath.normpath(unquote(path).lstrip("/"))
            if self.archive is not None and name in self.archive:
                href, refused = self._store(name, self.archive[name])
                if refused is not None:
                    self.reasons[(folder, given)] = refused
                return href
        return None

    def _store(self, name: str, data: bytes) -> tuple[str | None, str | None]:
        """The href `name` is stored under, or None and why it is not."""
        for prefix in ("web_resources/",):
            name = name.removeprefix(prefix)
        href = name if name.startswith("media/") else f"media/{name}"
        problem = relpath_problem(href)
        if problem is not None:
            return None, f"its name {href!r} {problem}"
        refused = media_type_problem(href, data[:HEAD])
        if refused is not None:
            return None, refused[0]
        self.files[href] = data
        return href, None


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
        found.notes.extend(ImportNote(None, where, "dropped" if "dropped" in note else "changed",
                                      note) for note in converted.notes)
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


def _external(src: str) -> bool:
    """Whether an image source is an address outside the package: a scheme, a rooted path,
    or what urlsplit refuses ("http://[x", an unclosed IPv6 host), which no package holds."""
    try:
        return bool(urlsplit(src).scheme) or src.startswith("/")
    except ValueError:
        return True
