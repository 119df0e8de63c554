"""A QTI 2.1 / 3.0 package or single item file → an imported bank.

A package is manifest-driven: `imsmanifest.xml` lists item, test and (3.0) stimulus
resources. The test, when there is one, gives the bank's title, id (`test-<id>`),
description (a candidate rubric block of the test or its first section), settings (feedback
timing from the test part, the passing score from a PASS rule) and the question order and
sections (section order and item refs, sections referred to read in their place); items the
test does not use follow in manifest order. Ids: packager's own derivations are undone
(`<bank-id>_<question-id>` items, `stimulus-<bank-id>_<id>` stimuli, `section-<id>`), other
identifiers are kept when they are slugs, else derived from titles.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

from lxml import etree

from packager.errors import InputError
from packager.media_spelling import Spelt
from packager.model.ids import ncname
from packager.readers import imported
from packager.readers.base import Source
from packager.readers.imported import (
    EMPTY_TEXT,
    Ids,
    Imported,
    ImportNote,
    Location,
    is_slug,
    left_empty,
    slug,
    unique,
)
from packager.readers.parallel import added_since, in_parts
from packager.readers.qti2_declarations import number
from packager.readers.qti2_dialect import (
    Dialect,
    all_text,
    collapse,
    line,
    local,
    xml_path,
)
from packager.readers.qti2_documents import CODE, error, item_root, other_version
from packager.readers.qti2_html import CATALOG_DROPPED, Media, Rich
from packager.readers.qti2_interactions import read_item
from packager.readers.qti2_items import ReadItem
from packager.readers.qti2_test import Section, Test, bank_sections, strip
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import MANIFEST, Archive, is_zip, misnamed_manifest
from packager.readers.xpaths import ElementPaths

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
# Section files read one inside another (assessmentSectionRef): real tests nest two or three.
MAX_SECTION_REF_DEPTH = 64


class _Reader:
    def __init__(self, d: Dialect, source: Source) -> None:
        self.d = d
        self.source = source
        self.notes: list[ImportNote] = []
        self.paths = ElementPaths(local)  # where each note is: thousands may be siblings
        self.archive: Archive | None = None
        self.media = Media(None, source.base_dir)
        self.tags: dict[str, list[str]] = {}  # item path → keywords
        self.bank_tags: list[str] = []
        self.section_files: set[str] = set()  # the files assessmentSectionRefs named
        self._ref_depth = 0  # section files being read, one inside the other
        # path → where the package first names it (a manifest resource, or a test's item
        # ref; its document's label and element, the XML path worked out only for a file
        # that is missing): a missing file is told there, as the QTI 1.2 and CC readers do.
        self.named_at: dict[str, tuple[str, etree._Element]] = {}

    def label(self, path: str) -> str:
        return f"{self.source.name}!{path}" if self.archive is not None else self.source.name

    def read(self) -> Imported:
        if is_zip(self.source.data):
            self.archive = Archive(self.source.data, self.source.name)
            self.media = Media(self.archive, None)
            paths, test = self._package()
            roots = [(p, item_root(self.d, self._entry(p), self.label(p))) for p in paths]
        else:
            name = PurePath(self.source.name).name
            roots = [(name, item_root(self.d, self.source.data, self.source.name,
                                       alone=True))]
            test = Test()
        return self._bank(roots, test)

    def _entry(self, path: str, where: Location | None = None) -> bytes:
        assert self.archive is not None
        found = self._find(path, "the file", lambda message: self.notes.append(
            ImportNote(None, Location(self.label(path)), "changed", message)))
        if found.entry is None:
            named = self.named_at.get(path)
            where = where or (Location(self.source.name) if named is None else
                              Location(named[0], line(named[1]), self.paths(named[1])))
            raise error(where,
                         f"the package has no file {path!r}{found.why_none}",
                         "the package is incomplete: export it again")
        return self.archive[found.entry]

    def _ref_path(self, document: str, href: str) -> str:
        """The package path a reference's href in `document` names: as written when the
        package has it (a name may hold a bare `#` or `?`), else without its `#fragment` or
        `?query` when the package has that, else as written (not found, as it is told).
        Only entries of the package are looked up."""
        assert self.archive is not None
        written = _resolve(document, href)
        bare = re.split(r"[#?]", href, maxsplit=1)[0]
        if bare in ("", href) or self.archive.find([written]).entry is not None:
            return written
        stripped = _resolve(document, bare)
        return stripped if self.archive.find([stripped]).entry is not None else written

    def _find(self, path: str, what: str, note: Callable[[str], None]) -> Spelt:
        """The entry `path` names (media_spelling.EntryNames); `note` is told when the
        package spells its name otherwise."""
        assert self.archive is not None
        found = self.archive.find([path])
        if found.entry is not None and found.note is not None:
            note(f"{what} {path!r} {found.note}")
        return found

    # ------------------------------------------------------------------ manifest and test

    def _package(self) -> tuple[list[str], Test]:
        d = self.d
        assert self.archive is not None
        # Every other entry may be spelt otherwise than the manifest names it; the manifest
        # itself is found by its exact name, as the LMSes find it.
        misnamed = misnamed_manifest(self.archive, CODE)
        if misnamed is not None:
            raise misnamed
        label = self.label(MANIFEST)
        manifest = parse_xml(self._entry(MANIFEST, Location(self.source.name, path=MANIFEST)),
                             label)
        items: list[str] = []
        tests: list[tuple[str, etree._Element]] = []
        for resource in manifest.iter("{*}resource"):
            kind = resource.get("type") or ""
            href = resource.get("href") or ""
            if not href or kind not in d.item_types | d.test_types:
                continue
            path = posixpath.normpath(unquote(href))
            self.named_at.setdefault(path, (label, resource))
            if kind in d.test_types:
                tests.append((path, resource))
            else:
                items.append(path)
                self.tags[path] = _keywords(resource)
        general = next(manifest.iterfind("{*}metadata/{*}lom/{*}general"), None)
        self.bank_tags = _keywords(general) if general is not None else []
        if not items and not tests:
            raise error(Location(label, line(manifest), xml_path(manifest)),
                         f"the manifest lists no {d.label} item or test",
                         f"is it another kind of package? try --from {other_version(d)}, "
                         "qti12 or cc")
        # 1EdTech's own BPIG package lists its shared passage as a test: a stimulus is read
        # where an item refers to it, whatever the manifest calls it.
        test = Test()
        for at, (path, resource) in enumerate(tests):
            root = parse_xml(self._entry(path), self.label(path))
            if d.name(root) == "assessmentStimulus":
                continue
            if not all(self._stimulus(later) for later, _ in tests[at + 1:]):
                self._note(resource, label, "dropped", "only the first test of the package is "
                           "read; the others give no sections")
            test = self._test(path, root)
            break
        ordered = [p for s in test.sections for p in s.items]
        return list(dict.fromkeys(ordered + items)), test

    def _stimulus(self, path: str) -> bool:
        """Whether a test-typed resource after the test is a stimulus; one that is missing or
        unreadable is a test not read, as any other after the first (not the package's end)."""
        assert self.archive is not None
        found = self.archive.find([path])
        if found.entry is None:
            return False
        try:
            return self.d.name(parse_xml(self.archive[found.entry], self.label(path))) \
                == "assessmentStimulus"
        except InputError:
            return False

    def _note(self, element: etree._Element, label: str, kind: Any, message: str) -> None:
        location = Location(label, line(element), self.paths(element))
        self.notes.append(ImportNote(None, location, kind, message))

    def _test(self, path: str, root: etree._Element) -> Test:
        d = self.d
        label = self.label(path)
        if d.name(root) != "assessmentTest":
            raise error(Location(label, line(root), xml_path(root)),
                         f"not a {d.label} assessment test")
        rich = Rich(d, self.media, path)
        test = Test(d.get(root, "identifier") or "", collapse(d.get(root, "title")))
        rubrics = d.children(root, "rubricBlock")
        feedback = list(d.descendants(root, "testFeedback"))
        if feedback:
            count = f"{len(feedback)} text{'s' if len(feedback) > 1 else ''}"
            self._note(feedback[0], label, "dropped", f"the test's feedback ({count}) is "
                       "dropped: a bank has no feedback on the whole test")
        for part in d.children(root, "testPart"):
            control = d.first(part, "itemSessionControl")
            if control is not None and d.get(control, "showFeedback") == "false":
                test.settings["show_feedback"] = "never"
            elif d.get(part, "submissionMode") == "individual":
                test.settings["show_feedback"] = "immediately"
            for section in part:
                if d.name(section) == "assessmentSection":
                    if not test.sections and not rubrics:
                        rubrics = d.children(section, "rubricBlock")
                    self._sections(section, path, test)
                elif d.name(section) == "assessmentSectionRef":
                    self._section_ref(section, path, test)
        read = set(rubrics)  # a set: a list's `in` is quadratic in the blocks
        self._rubrics_dropped([b for b in d.descendants(root, "rubricBlock") if b not in read],
                              label)
        texts = []
        for block in rubrics:
            content = d.first(block, "contentBody")
            texts.append(rich.markdown(content if content is not None else block))
        test.description = "\n\n".join(t for t in texts if t) or None
        for product in d.descendants(root, "product"):
            names = [d.name(c) for c in product]
            if "variable" in names and "baseValue" in names:
                value = number(d.text(product[names.index("baseValue")]))
                if value is not None and 0 <= value <= 1:
                    test.settings["passing_score"] = value
        self.notes.extend(ImportNote(None, Location(label), kind, message)
                          for kind, message in rich.notes)
        return test

    def _sections(self, element: etree._Element, document: str, test: Test) -> None:
        """Sections holding item refs become bank sections (nested ones flattened, those
        referred to read where they are referred to; the item refs between them are parts
        `<id>`, `<id>-2`, `<id>-3` …); `document` is the package file the section is in."""
        d = self.d
        identifier = d.get(element, "identifier") or ""
        section = Section(identifier, collapse(d.get(element, "title")), None)
        parts = nested = 0  # the parts a selection picks among; those that are sections read
        runs = 1  # the runs of item refs between sections, each a bank section
        for child in element:
            name = d.name(child)
            if name == "assessmentItemRef" and (href := d.get(child, "href")):
                path = self._ref_path(document, href)
                self.named_at.setdefault(path, (self.label(document), child))
                section.items.append(path)
                parts += 1
            elif name == "assessmentItemRef":
                self._note(child, self.label(document), "dropped", "an item reference "
                           "without an href names no item: the section leaves it out (an item "
                           "the manifest lists is read after the test's sections)")
            elif name in ("assessmentSection", "assessmentSectionRef"):
                parts += 1
                before = len(test.sections)
                if name == "assessmentSection":
                    self._sections(child, document, test)
                else:
                    self._section_ref(child, document, test)
                if len(test.sections) == before:
                    continue  # nothing read (a ref noted as such): the items run on
                nested += 1
                if section.items:
                    test.sections.insert(before, section)
                    runs += 1
                    section = Section(f"{identifier}-{runs}", section.title, None)
        selection = d.first(element, "selection")
        pick = number(d.get(selection, "select")) if selection is not None else None
        if pick is not None and pick >= 1 and not nested:
            section.pick = int(pick)
        elif selection is not None and pick is not None and 1 <= pick < parts:
            # A bank section picks among its questions: picking among versions (sections) has
            # no form, and picking as many questions would mix the versions.
            self._note(selection, self.label(document), "dropped", f"the section "
                       f"{identifier!r} picks {pick:g} of its {parts} parts, and {nested} of "
                       "them are sections: a bank section picks questions, not sections, so "
                       "the pick is dropped and learners get the questions of every part")
        if section.items:
            test.sections.append(section)

    def _rubrics_dropped(self, blocks: list[etree._Element], label: str) -> None:
        """One note for the rubric blocks (sections' instructions) of a file that are not the
        bank's description: a bank's section holds no text."""
        if blocks:
            what = ("a section's instructions (its rubric block) are" if len(blocks) == 1 else
                    f"the sections' instructions ({len(blocks)} rubric blocks) are")
            self._note(blocks[0], label, "dropped", f"{what} dropped: a bank's section holds "
                       "no text")

    def _section_ref(self, ref: etree._Element, document: str, test: Test) -> None:
        """The section an assessmentSectionRef names, read in its place: a file of the
        package (the ref's href, relative to `document`), as an item ref is. Each file is
        read once: a section referring to itself would never end, and files referring twice
        to the next ones would be read twice as often at each step."""
        assert self.archive is not None
        d = self.d
        href = d.get(ref, "href") or ""
        path = self._ref_path(document, href)
        unread = "its items keep the manifest's order, outside any section"
        if self._ref_depth >= MAX_SECTION_REF_DEPTH:
            # Each file of a chain is read once, but a chain of hundreds of files named one
            # by the next would nest the reading past Python's recursion limit.
            self._note(ref, self.label(document), "dropped", f"the section {href!r} is "
                       f"nested in more than {MAX_SECTION_REF_DEPTH} section files: {unread}")
            return
        if path in self.section_files:
            self._note(ref, self.label(document), "dropped", f"the section {href!r} is read "
                       "already: a section file is read once")
            return
        self.section_files.add(path)
        found = self._find(path, "the section", lambda message: self._note(
            ref, self.label(document), "changed", message)) if href else Spelt(None, None)
        if found.entry is None:
            self._note(ref, self.label(document), "dropped", f"the section {href!r} is not in "
                       f"the package{found.why_none}: {unread}")
            return
        root = parse_xml(self.archive[found.entry], self.label(path))
        if d.name(root) != "assessmentSection":
            self._note(ref, self.label(document), "dropped", f"the section {href!r} is not a "
                       f"{d.label} assessment section: {unread}")
            return
        self._rubrics_dropped(list(d.descendants(root, "rubricBlock")), self.label(path))
        self._ref_depth += 1
        try:
            self._sections(root, path, test)
        finally:
            self._ref_depth -= 1

    # ------------------------------------------------------------------ the bank

    def _bank(self, roots: list[tuple[str, etree._Element]], test: Test) -> Imported:
        d = self.d
        stem = PurePath(self.source.name).stem
        bank_id = strip(test.identifier, "test-") or slug(test.title, slug(stem, "imported"))
        prefix = ncname("", bank_id, "")
        ids = unique([
            _question_id(d.get(root, "identifier") or "", d.get(root, "title") or "", prefix, n)
            for n, (_, root) in enumerate(roots, 1)
        ])
        questions: list[dict[str, Any]] = []
        locations: list[Location] = []
        kept: dict[str, str] = {}  # item path → question id
        stimuli = _Stimuli(self, bank_id)
        for (path, _), qid, read in zip(roots, ids, self._items(roots, ids), strict=True):
            self.notes.extend(read.notes)
            if read.question is None:
                continue
            if tags := self.tags.get(path):
                read.question["tags"] = tags
            stimuli.attach(read, path)
            questions.append(read.question)
            locations.append(read.location)
            kept[path] = qid
        language = next((lang for _, root in roots if (lang := root.get(_XML_LANG))
                         and _LANGUAGE.match(lang)), None)
        extra: dict[str, Any] = {"settings": test.settings}
        if test.description:
            extra["description"] = test.description
        if language:
            extra["language"] = language
        if self.bank_tags:
            extra["metadata"] = {"tags": self.bank_tags}
        if stimuli.found:
            extra["stimuli"] = stimuli.found
        if sections := bank_sections(test.sections, kept, questions):
            extra["sections"] = sections
        title = test.title or (questions[0].get("title") if len(questions) == 1 else None)
        bank, left_out = imported.make_bank(self.source.name, bank_id, title or stem or bank_id,
                                            questions, locations, CODE, noted=self.notes, **extra)
        return Imported(bank, dict(self.media.files), self.notes + left_out)


    def _items(self, roots: list[tuple[str, etree._Element]], ids: list[str]) -> list[ReadItem]:
        """Each item read, in order; a large package's on every core (readers.parallel).
        An item's reading depends on nothing read before it, and an image's bank href only
        on its path: what a worker found comes back with its items."""
        todo = [(path, root, qid) for (path, root), qid in zip(roots, ids, strict=True)]
        reads: list[ReadItem] = []
        for part, files in in_parts(_read_part, (self, todo), len(todo)):
            reads += part
            self.media.files.update(files)
        return reads


def _read_part(
    state: tuple[_Reader, list[tuple[str, etree._Element, str]]], start: int, stop: int
) -> tuple[list[ReadItem], dict[str, bytes]]:
    """The items `todo[start:stop]` read, and the images first found while reading them."""
    reader, todo = state
    known = len(reader.media.files)
    reads = [read_item(reader.d, root, path, reader.label(path), qid, reader.media)
             for path, root, qid in todo[start:stop]]
    return reads, added_since(reader.media.files, known)


def _resolve(document: str, href: str) -> str:
    """The package path an href in `document` names."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(document), unquote(href)))


def _question_id(identifier: str, title: str, prefix: str, n: int) -> str:
    rest = identifier.removeprefix(prefix)
    if rest != identifier and is_slug(rest):
        return rest
    if is_slug(identifier):
        return identifier
    return slug(title, slug(identifier, f"q{n}"))


def _keywords(element: etree._Element) -> list[str]:
    found: dict[str, None] = {}  # in order, each once
    for keyword in element.iterfind(".//{*}keyword"):
        text = collapse(all_text(keyword))
        if text:
            found[text] = None
    return list(found)


class _Stimuli:
    """Bank stimuli: packager's copied blocks (2.1, by content) and stimulus documents
    (3.0, by path), each with a stable id, in order of first use."""

    def __init__(self, reader: _Reader, bank_id: str) -> None:
        self.reader = reader
        self.prefix = ncname("stimulus-", bank_id, "")
        self.found: list[dict[str, Any]] = []
        self._ids: dict[object, str] = {}
        self._taken = Ids()  # the ids of self._ids

    def attach(self, read: ReadItem, path: str) -> None:
        assert read.question is not None
        if read.stimulus is not None:
            title, body = read.stimulus
            if body:
                read.question["stimulus"] = self._add(read.stimulus, "", title, body)
        for href in read.stimulus_refs:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(href)))
            if "stimulus" in read.question:
                self._drop(read, "only the first stimulus of an item is kept")
            elif (found := self._entry_of(target)).entry is None:
                self._drop(read, f"the stimulus {href!r} is not in the source"
                           f"{found.why_none}: dropped")
            else:
                read.question["stimulus"] = self._document(target)

    def _entry_of(self, target: str) -> Spelt:
        """The entry a stimulus reference names; read (and any other spelling told) by
        _document."""
        archive = self.reader.archive
        return Spelt(None, None) if archive is None else archive.find([target])

    def _drop(self, read: ReadItem, message: str) -> None:
        self.reader.notes.append(ImportNote(read.question["id"] if read.question else None,
                                            read.location, "dropped", message))

    def _document(self, path: str) -> str:
        if path in self._ids:
            return self._ids[path]
        reader, d = self.reader, self.reader.d
        label = reader.label(path)
        root = parse_xml(reader._entry(path), label)
        if d.name(root) != "assessmentStimulus":
            raise error(Location(label, line(root), xml_path(root)),
                         f"not a {d.label} assessment stimulus")
        body = d.first(root, "stimulusBody")
        rich = Rich(d, reader.media, path)
        text = rich.markdown(body if body is not None else root)
        reader.notes.extend(ImportNote(None, Location(label), kind, message)
                            for kind, message in rich.notes)
        for catalog in d.children(root, "catalogInfo"):
            reader.notes.append(ImportNote(None, Location(label, line(catalog),
                                                          xml_path(catalog)),
                                           "dropped", CATALOG_DROPPED))
        identifier = d.get(root, "identifier") or ""
        if not text:
            reader.notes.append(ImportNote(None, Location(label), "changed",
                                           left_empty("the stimulus")))
        return self._add(path, identifier, d.get(root, "title"), text or EMPTY_TEXT)

    def _add(self, key: object, identifier: str, title: str | None, body: str) -> str:
        if key in self._ids:
            return self._ids[key]
        n = len(self.found) + 1
        sid = strip(identifier, self.prefix) or (identifier if is_slug(identifier) else
                                                  slug(title or "", f"stimulus-{n}"))
        sid = self._taken.take(sid)
        self._ids[key] = sid
        entry: dict[str, Any] = {"id": sid, "body": body}
        title = collapse(title)
        if title and title != sid:
            entry["title"] = title
        self.found.append(entry)
        return sid


def read(d: Dialect, source: Source) -> Imported:
    return _Reader(d, source).read()
