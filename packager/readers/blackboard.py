"""Blackboard Learn pool and test packages → an imported bank, with its images and a report.

A package is a zip whose `imsmanifest.xml` lists resources of type `assessment/x-bb-qti-pool`
or `assessment/x-bb-qti-test`, each a `res00001.dat`-style file (named by `bb:file`, else by
the identifier) holding Blackboard's QTI 1.2 dialect: `questestinterop/assessment/section/item`
(readers/blackboard_items.py reads one item). A bare `.dat` file is read too. Every item of
every such resource becomes a question, in document order; a type with no canonical form
(Hot Spot, Jumbled Sentence, Calculated, Likert, random blocks …) is left out with a note.

Images: an `<img src>` is looked up relative to the resource's `xml:base` (packager's layout,
`res00001/media/x.png`), as an entry name, and, for the `@X@EmbeddedFile…@X@…xid-N_1` tokens
of real exports, as the `csfiles/` entry whose name carries the same `xid-N_1`; an entry named
otherwise only in letter case or in the encoding of accents is taken, with a note
(media_spelling.EntryNames). Found images that are PNG, JPEG, GIF or WebP are stored under
`media/`; others are dropped with a note.

Ids: an item title that is a slug is the question id (packager writes the id there when a
question has no title); another title is kept as the title and slugged into the id; an item
without a title gets a slug of its first words. Located at `package.zip!res00001.dat` and the
item's XPath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath, PurePosixPath
from typing import Any, Literal
from urllib.parse import unquote

from lxml import etree

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.media_spelling import Spelt
from packager.media_types import media_type_problem
from packager.model.types import MAX_POINTS
from packager.readers import imported
from packager.readers.base import Source
from packager.readers.blackboard_items import TYPES, Item, ItemError, TextLost, question
from packager.readers.html_markdown import html_to_markdown
from packager.readers.html_markdown_images import Dropped, Kept
from packager.readers.imported import (
    LOST_TEXT,
    Imported,
    ImportNote,
    Location,
    is_slug,
    part_credit_gained,
    slug,
)
from packager.readers.noted import Noted
from packager.readers.parallel import added_since, in_parts
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import Archive, is_zip, misnamed_manifest
from packager.readers.sniff import element_names
from packager.readers.xpaths import ElementPaths
from packager.relpath import escape_problem, is_device_name

NAME = "blackboard"
CODE = "E-BLACKBOARD"
RESOURCE_TYPES = ("assessment/x-bb-qti-pool", "assessment/x-bb-qti-test")
_BB = "{http://www.blackboard.com/content-packaging/}"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_XID = re.compile(r"xid-\d+_\d+")
_XID_AT = re.compile(r"(?=xid-(\d+)_(\d+))")  # every place a token starts, overlapping too
# The digits of a Blackboard id (a 64-bit integer) at most: a file name of 64,000 digits
# after `xid-1_` was 64,000 tokens of up to 64,000 characters (2 GB).
_ID_DIGITS = 20
Kind = Literal["dropped", "changed"]


def detect(data: bytes) -> bool:
    """A zip whose manifest lists a Blackboard pool or test resource, or one of its QTI
    files alone (`res00001.dat`): QTI 1.2 with Blackboard's own elements (`bbmd_…`
    metadata, `mat_formattedtext`), which the QTI 1.2 reader does not read."""
    if not is_zip(data):
        names = element_names(data)
        if names[:1] == ["POOL"]:  # Blackboard 5/6's own format: told, to be refused by read()
            return any(n.startswith("QUESTION") for n in names[1:])
        return names[:1] == ["questestinterop"] and any(
            n.startswith("bbmd_") or n == "mat_formattedtext" for n in names)
    try:
        manifest = Archive(data, "package").get("imsmanifest.xml")
    except InputError:
        return False
    return manifest is not None and any(t.encode() in manifest for t in RESOURCE_TYPES)


@dataclass
class _Tried:
    """The names of one stored stem and extension tried so far: the next `-n`, and the href
    of each content among them."""

    next: int = 1
    hrefs: dict[bytes, str] = field(default_factory=dict)


class _Media:
    """Image sources → bank media hrefs, the bytes collected once per entry."""

    def __init__(self, archive: Archive | None) -> None:
        self.archive = archive
        self.files: dict[str, bytes] = {}
        self.by_entry: dict[str, str | None] = {}
        self.problems: list[str] = []
        self._tokens: dict[str, str] | None = None  # see _by_token
        self._tried: dict[tuple[str, str], _Tried] = {}  # per stored stem and extension

    def entry_for(self, src: str, base: str) -> Spelt:
        if self.archive is None or not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            return Spelt(None, None)
        token = _XID.search(src) if src.startswith("@X@") else None
        if token is not None:
            return Spelt(self._by_token().get(token.group()), None)
        # As written, then percent-decoded (`my%20chart.png`, as an HTML editor writes a space).
        names = dict.fromkeys((src, unquote(src)))
        return self.archive.find(
            candidate for name in names for candidate in (f"{base}/{name}" if base else name, name)
            if escape_problem(candidate) is None)  # `week:1.png`: stored under a slug of it

    def _by_token(self) -> dict[str, str]:
        """The first `csfiles/` entry whose name holds each xid token (`xid-12_1` is in
        `chart__xid-12_1.png`, and in `…xid-12_10…` too), built once: looked up entry by
        entry, n references to n files took time n squared."""
        if self._tokens is None:
            self._tokens = {}
            assert self.archive is not None
            for entry in self.archive:
                if entry.startswith("csfiles/"):
                    for found in _XID_AT.finditer(PurePosixPath(entry).name):
                        first, second = found.groups()
                        if len(first) > _ID_DIGITS:
                            continue
                        for end in range(1, min(len(second), _ID_DIGITS) + 1):
                            self._tokens.setdefault(f"xid-{first}_{second[:end]}", entry)
        return self._tokens

    def href(self, src: str, base: str) -> str | Kept | Dropped | None:
        entry, note = self.entry_for(src.strip(), base)
        if entry is None:
            return None if note is None else Dropped(note)
        if entry not in self.by_entry:
            self.by_entry[entry] = self._store(entry)
        href = self.by_entry[entry]
        return Kept(href, note) if href is not None and note is not None else href

    def names_unique(self) -> bool:
        """Whether no two entries of the package would be stored under one name: then the
        name an image gets does not depend on the images met before it (`-2` …), and items
        can be read in any order, in parts (readers.parallel)."""
        if self.archive is None:
            return True
        names = [_stored_name(entry) for entry in self.archive]
        return len(names) == len(set(names))

    def _store(self, entry: str) -> str | None:
        assert self.archive is not None
        data = self.archive[entry]
        stem, ext = _stored_name(entry)
        problem = media_type_problem(f"{stem}.{ext}", data[:12])
        if problem is not None:
            self.problems.append(problem[0])
            return None
        # The first of media/x.ext, x-2.ext … that is free or holds these bytes. Those before
        # the next to try are all taken (a file is never replaced): what they hold is kept
        # by name, so n files of one name take time n, not n squared.
        tried = self._tried.setdefault((stem, ext), _Tried())
        if data in tried.hrefs:
            return tried.hrefs[data]
        while True:
            n = tried.next
            href = f"media/{stem}.{ext}" if n == 1 else f"media/{stem}-{n}.{ext}"
            held = self.files.setdefault(href, data)
            tried.hrefs.setdefault(held, href)
            tried.next = n + 1
            if held == data:
                return href


def _stored_name(entry: str) -> tuple[str, str]:
    """The stem and extension an entry is stored under in `media/`. Blackboard names stored
    files `chart__xid-12_1.png`: the xid is no part of the name."""
    name = _XID.sub("", PurePosixPath(entry).name).replace("__.", ".").strip("_") or "image"
    stem, dot, ext = name.rpartition(".")
    stem = slug(stem if dot else name, "image")
    # `con.png` would be a device on Windows, not a file beside the bank.
    return f"{stem}-file" if is_device_name(stem) else stem, ext.lower() if dot else ""


def _resources(archive: Archive, name: str,
               notes: list[tuple[int | None, Location, Kind, str]]) -> list[tuple[str, str]]:
    """(entry, xml:base) of each pool or test resource, in manifest order; an entry the
    package spells otherwise than the manifest is told in `notes`."""
    if "imsmanifest.xml" not in archive:
        raise misnamed_manifest(archive, CODE) or InputError(f"{name}: no imsmanifest.xml: not a Blackboard package", diagnostics=[
            Diagnostic(CODE, "the zip has no imsmanifest.xml", file=name,
                       hint="export the pool again from Blackboard (Export Pool)")])
    manifest = parse_xml(archive["imsmanifest.xml"], f"{name}!imsmanifest.xml")
    found = []
    for resource in manifest.iter("{*}resource", "resource"):
        if resource.get("type") not in RESOURCE_TYPES:
            continue
        ident = resource.get("identifier") or ""
        listed = resource.get(f"{_BB}file") or resource.get("href") or f"{ident}.dat"
        spelt = archive.find([listed])
        if spelt.entry is None:
            raise InputError(f"{name}: the manifest lists {listed!r}, which is not in the zip",
                             diagnostics=[Diagnostic(CODE, f"resource {ident!r}: {listed!r} is "
                                                     f"missing{spelt.why_none}",
                                                     file=f"{name}!imsmanifest.xml")])
        if spelt.note is not None:
            notes.append((None, Location(f"{name}!imsmanifest.xml"), "changed",
                          f"resource {ident!r}: {listed!r} {spelt.note}"))
        found.append((spelt.entry, resource.get(_XML_BASE) or ident))
    if not found:
        raise InputError(f"{name}: the manifest lists no Blackboard pool or test", diagnostics=[
            Diagnostic(CODE, "no resource of type " + " or ".join(RESOURCE_TYPES),
                       file=f"{name}!imsmanifest.xml",
                       hint="this reader takes Blackboard pool and test exports")])
    return found


class _Reader:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.questions: list[dict[str, Any]] = []
        self.locations: list[Location] = []
        # (index of the question, where, kind, message)
        self.notes: list[tuple[int | None, Location, Kind, str]] = []
        self.errors: list[Diagnostic] = []
        self.losses = 0  # what the texts' conversion dropped so far (Item.losses)
        self.title: str | None = None
        self.description: str | None = None

    def document(self, root: etree._Element, file: str, base: str, media: _Media) -> None:
        if root.tag == "POOL":
            raise InputError(
                f"{file}: a Blackboard 5/6 pool (<POOL>), an older format packager does not "
                "read; export the pool from Blackboard Learn 9 or later as a QTI pool, or use "
                "Moodle's blackboard_six import",
                diagnostics=[Diagnostic(CODE, "the root element is <POOL>: Blackboard 5/6's own "
                                        "pool format", file=file,
                                        line=root.sourceline if isinstance(root.sourceline, int)
                                        else None)])
        if root.tag != "questestinterop":
            raise InputError(f"{file}: not a Blackboard pool (root <{root.tag}>)", diagnostics=[
                Diagnostic(CODE, f"the root element is <{root.tag}>, not <questestinterop>",
                           file=file)])
        path = ElementPaths()
        todo: list[tuple[etree._Element, Location, str]] = []
        for assessment in root.iterfind("assessment"):
            if self.title is None:
                self._items(todo, media)  # what comes before it, first: notes stay in order
                todo = []
                self.title = (assessment.get("title") or "").strip() or None
                material = assessment.find("presentation_material")
                if material is not None:
                    self.description = self._rich_block(material, base, media, None,
                                                        Location(file, path=path(material)))
            todo.extend((element, Location(file, path=path(element)), base)
                        for element in assessment.iter("item"))
            self._note_question_blocks(assessment, file, path)
        self._items(todo, media)

    def _note_question_blocks(self, assessment: etree._Element, file: str,
                              path: ElementPaths) -> None:
        """A Learn test's question block or question set draws its questions from pools by
        reference (`selection_ordering` over `selection_metadata bbmd_questionid`): no item
        of it is in the test, so it is named in a note, not lost without one."""
        for selection in assessment.iter("selection"):
            refs = [(e.text or "").strip() for e in selection.iter("selection_metadata")]
            if not refs:
                continue
            number = (selection.findtext("selection_number") or "").strip()
            drawn = f"{number} of " if number else ""
            self.notes.append((None, Location(file, path=path(selection)), "dropped",
                               f"a question block: {drawn}{len(refs)} pool question(s) "
                               f"referenced by id ({', '.join(refs[:3])}"
                               f"{', …' if len(refs) > 3 else ''}), drawn when the test is "
                               "taken; the questions are in the pools, not in the test: "
                               "import the pools"))

    def _items(self, todo: list[tuple[etree._Element, Location, str]], media: _Media) -> None:
        """A document's items, in order; a large one's on every core when no two files of
        the package would be stored under one name (readers.parallel)."""
        parts = (in_parts(_read_part, (self, todo, media), len(todo)) if media.names_unique()
                 else [_read_part((self, todo, media), 0, len(todo))])
        for part in parts:
            offset = len(self.questions)
            self.questions += part.questions
            self.locations += part.locations
            self.notes += [(None if i is None else i + offset, where, kind, message)
                           for i, where, kind, message in part.notes]
            self.errors += part.errors
            media.files.update(part.files)

    def _rich_block(self, block: etree._Element, base: str, media: _Media, index: int | None,
                    where: Location) -> str | None:
        item = Item(block, self._converter(base, media, index, where))
        return item.text_of(block) or None

    def _converter(self, base: str, media: _Media, index: int | None, where: Location) -> Any:
        def rich(html: str) -> str:
            converted = html_to_markdown(html, lambda src: media.href(src, base))
            notes = converted.notes
            if media.problems:
                # A found file that is no image: say why, rather than "not found".
                notes = [n for n in notes if not n.message.startswith("image ")]
                notes += [Noted("dropped", f"image dropped: {problem}")
                          for problem in media.problems]
                media.problems.clear()
            for kind, message in notes:
                self.notes.append((index, where, kind, message))
                self.losses += kind == "dropped"
            return converted.markdown

        return rich

    def item(self, element: etree._Element, where: Location, base: str, media: _Media) -> None:
        kind = (element.findtext("itemmetadata/bbmd_questiontype") or "").strip()
        index = len(self.questions)
        qtype = TYPES.get(kind)
        if qtype is None:
            self.notes.append((None, where, "dropped", f"the question type {kind or '(none)'!r} "
                               "has no canonical form: the item is left out"))
            return
        item = Item(element, self._converter(base, media, index, where), losses=lambda: self.losses)
        noted = len(self.notes)
        try:
            data = question(item, qtype)
        except TextLost:
            # No question has this index: its losses' notes say where the item was.
            self.notes[noted:] = [(None, w, k, m) for _, w, k, m in self.notes[noted:]]
            self.notes.append((None, where, "dropped", f"item left out: {LOST_TEXT}"))
            return
        except ItemError as exc:
            # Left out with why: the notes its texts made name a question that never is (the
            # last item's, a list index past the bank; else the next item's, misattributed).
            del self.notes[noted:]
            self.errors.append(where.diagnostic(CODE, f"{kind}: {exc}",
                                                "export the pool again, or fix the item"))
            return
        if kind == "Short Response":
            item.note("changed", "a Short Response question became an essay")
        points, refused = _points(element)
        if points is not None and points != 1.0:
            data["points"] = points
        _note_part_credit(item, data, points)
        if refused is not None:
            # Canvas reads a negative maximum as 0 points; a bank's question is worth more.
            item.note("changed", f"{refused} points cannot be kept (a question is worth more "
                      f"than 0 and at most {MAX_POINTS:,.0f}): the bank's default is used")
        title = " ".join((element.get("title") or "").split())
        data["id"] = title if is_slug(title) else ""
        if title and not is_slug(title):
            data["title"] = title
        self.notes.extend((index, where, k, m) for k, m in item.notes)
        self.questions.append(data)
        self.locations.append(where)

    def bank(self, media: _Media) -> Imported:
        if self.errors and not self.questions:
            n = len(self.errors)
            raise InputError(f"{self.source.name}: {n} item{'s' if n != 1 else ''} cannot be "
                             "read", diagnostics=self.errors)
        # Beside items that read, one that does not is left out, saying why: one odd item of
        # a pool must not cost the user all the others.
        self.notes += [(None, Location(d.file or self.source.name, d.line, d.pointer),
                        "dropped", f"item left out: {d.message}") for d in self.errors]
        from packager.richtext_plain import plain_text

        ids = imported.unique([
            q["id"] or slug(q.get("title") or " ".join(plain_text(q["prompt"]).split()[:8]),
                            f"q{n}")
            for n, q in enumerate(self.questions, start=1)
        ])
        for q, qid in zip(self.questions, ids, strict=True):
            q["id"] = qid
        stem = PurePath(self.source.name).name.split(".")[0]
        extra = {"description": self.description} if self.description else {}
        notes = [ImportNote(ids[i] if i is not None else None, where, kind, message)
                 for i, where, kind, message in self.notes]
        bank, left_out = imported.make_bank(self.source.name, slug(stem, "blackboard-import"),
                                            self.title or stem or "Blackboard import",
                                            self.questions, self.locations, CODE, noted=notes,
                                            **extra)
        return Imported(bank, dict(sorted(media.files.items())), notes + left_out)


def _note_part_credit(item: Item, data: dict[str, Any], points: float | None) -> None:
    """Learn scores a Matching or Fill in the Blank Plus item of two or more pairs or blanks
    all or nothing when its partial credit is off and no pair or blank has a percentage of
    its own (packager's own pool writes it so); a bank gives each right pair or blank its
    share. Without the flag (Learn 9 writes none) nothing is known, and nothing is said."""
    parts = len(data.get("pairs", data.get("blanks", ())))
    if (parts > 1 and item.metadata("bbmd_partialcredit") == "false"
            and not any("PartialCredit" in (setvar.get("variablename") or "")
                        for setvar in item.element.iter("setvar"))):
        unit = "pair" if data["type"] == "matching" else "blank"
        item.note("changed", part_credit_gained("Blackboard (partial credit off)", unit, points))


def _points(item: etree._Element) -> tuple[float | None, str | None]:
    """The item's points: SCORE's maximum, else qmd_absolutescore_max; None when neither is a
    number of points the model takes, with the first number given that it does not take."""
    decvar = item.find("resprocessing/outcomes/decvar")
    refused: str | None = None
    for raw in (decvar.get("maxvalue") if decvar is not None else None,
                item.findtext("itemmetadata/qmd_absolutescore_max")):
        try:
            value = float(raw or "")
        except ValueError:
            continue
        if 0 < value <= MAX_POINTS:
            return value, None
        refused = refused or (raw or "").strip()
    return None, refused


def read(source: Source) -> Imported:
    """The questions of a Blackboard pool or test package (or a bare .dat file)."""
    reader = _Reader(source)
    if is_zip(source.data):
        archive = Archive(source.data, source.name)
        media = _Media(archive)
        for entry, base in _resources(archive, source.name, reader.notes):
            file = f"{source.name}!{entry}"
            reader.document(parse_xml(archive[entry], file), file, base, media)
    else:
        media = _Media(None)
        reader.document(parse_xml(source.data, source.name), source.name, "", media)
    return reader.bank(media)


@dataclass
class _Part:
    """What reading some items added: note indexes count from the part's first question."""

    questions: list[dict[str, Any]]
    locations: list[Location]
    notes: list[tuple[int | None, Location, Kind, str]]
    errors: list[Diagnostic]
    files: dict[str, bytes]  # images first stored while reading them


def _read_part(
    state: tuple[_Reader, list[tuple[etree._Element, Location, str]], _Media],
    start: int,
    stop: int,
) -> _Part:
    """The items `todo[start:stop]` read (here or in a worker) by the reader, whose own lists
    are left as they were."""
    reader, todo, media = state
    kept = reader.questions, reader.locations, reader.notes, reader.errors
    reader.questions, reader.locations, reader.notes, reader.errors = [], [], [], []
    known = len(media.files)
    try:
        for element, where, base in todo[start:stop]:
            reader.item(element, where, base, media)
        files = added_since(media.files, known)
        return _Part(reader.questions, reader.locations, reader.notes, reader.errors, files)
    finally:
        reader.questions, reader.locations, reader.notes, reader.errors = kept
