"""IMS Common Cartridge 1.0–1.3 → a Bank: its assessments and question banks.

The manifest's resources of type `imsqti_xmlv1pN/imscc_xmlv1pM/assessment` and
`…/question-bank` hold QTI 1.2 in the CC profile (`cc_profile` cc.multiple_choice,
cc.multiple_response, cc.true_false, cc.fib, cc.pattern_match, cc.essay), read by the same
item reader as Canvas's QTI (`qti12_items`). A Canvas course export keeps a second copy of
each quiz in its own QTI flavour (`non_cc_assessments/<id>.xml.qti`, a dependency of the
assessment), which holds the question types the profile lacks: that copy is read instead. Its
question banks are only there (objectbank files): they are read too, without the questions a
quiz read before them repeats. Several assessments and banks become one bank with a section
each.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import Imported, ImportNote, Location
from packager.readers.qti12_manifest import (
    Resource,
    canvas_meta,
    documents,
    first_xml,
    manifest_root,
    manifest_title,
    none_found,
    resources,
)
from packager.readers.qti12_media import Media
from packager.readers.qti12_package import Document, Found, read_documents
from packager.readers.qti12_xml import kid, kids, material_html
from packager.readers.safe_zip import MANIFEST, Archive, is_zip
from packager.readers.sniff import SNIFF_BYTES

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.base import Source

NAME = "cc"
CODE = "E-CC"
_NAMESPACE = re.compile(r"^http://www\.imsglobal\.org/xsd/imscc(?:v1p[0-3])?/imscp_v1p1$")
_QTI = re.compile(r"^imsqti_xmlv1p\d/imscc_xmlv1p\d/(?:assessment|question-bank)$")
QTI12_RESOURCE = "imsqti_xmlv1p2"  # Canvas's QTI export: the `qti12` reader's
CANVAS_COPY = ".xml.qti"
_OBJECTBANK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?objectbank[\s>]")


# Common Cartridge 1.3 allows a cartridge that is its manifest alone (a "flat" cartridge, its
# resources inline; canvas-lms package_identifier.rb `check_flat_xml_file` imports one).
# Its root's start tag is looked for once, then the namespace within it: one pattern over
# both tried every `<manifest` to the next `>`, and a head of 6,000 unclosed `<manifest `
# took 4.5 s to sniff (review 33), for every source `--from auto` was given.
_MANIFEST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?manifest\b")
_CC13_NAMESPACE = re.compile(
    rb"=\s*[\"']http://www\.imsglobal\.org/xsd/imsccv1p3/imscp_v1p1[\"']")


def _flat(data: bytes) -> bool:
    """Whether a file is a CC 1.3 flat manifest on its own (not a zip): judged by the start
    tag of the first `manifest` element in its head."""
    if is_zip(data):
        return False
    head = data[:SNIFF_BYTES]
    tag = _MANIFEST_TAG.search(head)
    if tag is None:
        return False
    end = head.find(b">", tag.end())
    return _CC13_NAMESPACE.search(head, tag.end(), len(head) if end == -1 else end) is not None


def _flat_as_zip(data: bytes) -> bytes | None:
    """A CC 1.3 flat manifest given as a bare XML file, as the zip it stands for."""
    if not _flat(data):
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:  # no ratio to judge
        package.writestr(MANIFEST, data)
    return buffer.getvalue()


def detect(data: bytes) -> bool:
    """A zip whose manifest is in a Common Cartridge namespace (and not a Canvas QTI export),
    or a CC 1.3 flat manifest on its own."""
    if not is_zip(data):
        return _flat(data)
    try:
        manifest = manifest_root(Archive(data, "package"))
        namespace = manifest.tag.rpartition("}")[0].lstrip("{")
        return _NAMESPACE.match(namespace) is not None and not any(
            r.type == QTI12_RESOURCE for r in resources(manifest))
    except Exception:  # detection never fails: a broken package is reported by read()
        return False


def read(source: Source) -> Imported:
    flat = _flat_as_zip(source.data)
    if flat is not None:
        source = dataclasses.replace(source, data=flat)
    if not is_zip(source.data):
        raise InputError(
            f"{source.name}: not a Common Cartridge (a cartridge is a zip)",
            diagnostics=[Diagnostic(CODE, "not a zip archive", file=source.name,
                                    hint="import the .imscc file exactly as it was exported")],
        )
    archive = Archive(source.data, source.name)
    manifest = manifest_root(archive)
    listed = resources(manifest)
    by_id = {r.identifier: r for r in listed}
    copies = _canvas_copies(by_id, archive)
    paths = {r.identifier: _canvas_copy(r, copies) or first_xml(r)
             for r in listed if _QTI.match(r.type)}
    inline = _inline_qti(manifest)
    media = Media(archive)
    banks = _canvas_banks(listed, archive, {p for p in paths.values() if p is not None})
    # The assessments in the manifest's order, each from its file or from the manifest.
    held = [i for i, p in paths.items() if p is not None or i in inline]
    found = Found()
    found_documents = [
        Document(f"{archive.name}!{MANIFEST}", inline[i], media) if (path := paths[i]) is None
        else documents(archive, [path], media, found.notes)[0] for i in held
    ] + documents(archive, banks, media, found.notes)
    if not found_documents:
        raise none_found(archive, "the cartridge holds no assessment or question bank",
                         "no assessment or question-bank resource (type imsqti_xmlv1p2/"
                         "imscc_xmlv1p<n>/assessment or …/question-bank) with its QTI in a "
                         "file or in the manifest")
    if held:
        canvas_meta(archive, by_id[held[0]], by_id, media, found)
    if len(found_documents) > 1:
        found.title = manifest_title(manifest)
    found.description = found.description or next(
        (d for d in (_description(doc) for doc in found_documents) if d), None)
    imported = read_documents(source.name, found_documents, found, CODE, NAME)
    if banks:
        imported = _without_repeats(imported, source.name, banks)
    where = Location(f"{source.name}!{MANIFEST}")
    imported.notes[:0] = [
        ImportNote(None, where, "dropped", f"the resource {i!r} ({by_id[i].type}) names no file:"
                   " its questions, if any, are not in the cartridge")
        for i, p in paths.items() if p is None and i not in inline
    ]
    return imported


def _inline_qti(manifest: etree._Element) -> dict[str, etree._Element]:
    """By resource identifier, the `<questestinterop>` a QTI resource holds in the manifest
    itself, as CC 1.3's "flat" manifest may (canvas-lms imports it). It was parsed with the
    manifest, by the rules every file of the package is parsed by."""
    holder = kid(manifest, "resources")
    return {element.get("identifier") or "": qti
            for element in (kids(holder, "resource") if holder is not None else [])
            if _QTI.match(element.get("type") or "")
            for qti in [kid(element, "questestinterop")] if qti is not None}


def _canvas_banks(listed: list[Resource], archive: Archive, read: set[str]) -> list[str]:
    """A Canvas course export's question banks: its own QTI files (`non_cc_assessments/…
    .xml.qti`, objectbank roots) that no assessment resource reads, which Common Cartridge
    has no resource type for. Often they are what a course is moved for."""
    found: list[str] = []
    for resource in listed:
        for path in (resource.href, *resource.files):
            if (path and path.endswith(CANVAS_COPY) and path not in read and path not in found
                    and (entry := archive.find([path]).entry) is not None
                    and _OBJECTBANK.search(archive[entry][:4096])):
                found.append(path)
    return found


def _without_repeats(imported: Imported, source_name: str, banks: list[str]) -> Imported:
    """The bank without a bank question that repeats a question read before it (a quiz's
    questions are copies of its bank's): a repeat is the same question in all but its id
    and title. Its note names the bank file it was in (a section per file, named by the
    objectbank's ident, which Canvas also names the file by)."""
    from packager.capabilities import without_questions

    seen: dict[str, str] = {}
    repeats: dict[str, str] = {}
    for question in imported.bank.questions:
        key = question.model_dump_json(exclude={"id", "title"})
        if key in seen:
            repeats[question.id] = seen[key]
        else:
            seen[key] = question.id
    if not repeats:
        return imported
    file_of = _bank_files(banks)
    # Looked up once a section: each lookup goes through every name its id starts.
    files = {qid: path for section in imported.bank.sections or []
             for path in (file_of(section.id),) for qid in section.question_ids}
    notes = [n for n in imported.notes if n.question_id not in repeats]
    for qid, first in repeats.items():
        path = files.get(qid)
        where = Location(f"{source_name}!{path}" if path else f"{source_name}!{MANIFEST}")
        notes.append(ImportNote(qid, where, "dropped",
                                f"left out: the same question as '{first}', read before it"))
    return Imported(without_questions(imported.bank, set(repeats)), imported.media, notes)


def _bank_files(banks: list[str]) -> Callable[[str], str | None]:
    """The first bank file (in `banks`' order) whose name starts with a section's id.
    Looked up among the names in sorted order: thousands of sections each went through
    thousands of files. The names one id is a prefix of are together there, and the ids
    that are prefixes of one name differ in length: the lookups go through no more names
    than the names' characters."""
    names = sorted((posixpath.basename(path), n) for n, path in enumerate(banks))

    def file_of(section_id: str) -> str | None:
        at = bisect_left(names, (section_id,))
        end = at
        while end < len(names) and names[end][0].startswith(section_id):
            end += 1
        return banks[min(n for _, n in names[at:end])] if end > at else None

    return file_of


def _canvas_copies(by_id: dict[str, Resource], archive: Archive) -> dict[str, str | None]:
    """By resource identifier, the first of its files that is a Canvas copy in the package.
    Looked for once per resource: thousands of assessments depending on one resource of
    thousands of files were each a walk through all its files."""
    return {identifier: next((path for path in resource.files if path.endswith(CANVAS_COPY)
                              and archive.find([path]).entry is not None), None)
            for identifier, resource in by_id.items()}


def _canvas_copy(resource: Resource, copies: dict[str, str | None]) -> str | None:
    """The Canvas copy of the first resource `resource` depends on that has one."""
    return next(filter(None, (copies.get(dependency) for dependency in resource.dependencies)),
                None)


def _description(document: Document) -> str | None:
    """The assessment's presentation_material (the bank's description), as Markdown."""
    assessment = kid(document.root, "assessment")
    material = kid(assessment, "presentation_material") if assessment is not None else None
    markup = material_html(material)
    if not markup.strip():
        return None
    return html_to_markdown(markup, document.media.resolver(document.folder)).markdown or None
