"""The manifest of a QTI 1.2 or Common Cartridge package (shared by the `qti12` and `cc`
readers): its resources and title, the files it names, and Canvas's quiz settings
(assessment_meta.xml).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import ImportNote, Location
from packager.readers.qti12_media import Media
from packager.readers.qti12_package import Document, Found
from packager.readers.qti12_xml import kid, kids, local, text_of
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import MANIFEST, Archive, misnamed_manifest

if TYPE_CHECKING:
    from lxml import etree

META_FILE = "assessment_meta.xml"  # Canvas's quiz settings


@dataclass(frozen=True)
class Resource:
    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...]


def manifest_root(archive: Archive) -> etree._Element:
    if MANIFEST not in archive:
        raise misnamed_manifest(archive, "E-QTI") or InputError(
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


def entry(archive: Archive, path: str, what: str, notes: list[ImportNote]) -> str:
    """The name of the entry the manifest's `path` names: spelt as the manifest does, or
    otherwise only in letter case or the encoding of accents, which `notes` are told."""
    name = posixpath.normpath(unquote(path))
    found = archive.find([name])
    where = f"{archive.name}!{MANIFEST}"
    if found.entry is None:
        raise InputError(
            f"{archive.name}: the manifest names {path!r}, which is not in the package",
            diagnostics=[Diagnostic("E-QTI", f"{what} {path!r} is missing from the package"
                                    f"{found.why_none}",
                                    file=where)],
        )
    if found.note is not None:
        notes.append(ImportNote(None, Location(where), "changed",
                                f"{what} {path!r} {found.note}"))
    return found.entry


def documents(archive: Archive, paths: list[str], media: Media,
              notes: list[ImportNote]) -> list[Document]:
    """The QTI documents at `paths` of the package, parsed (a name spelt otherwise in the
    package is told in `notes`)."""
    found: list[Document] = []
    for path in paths:
        name = entry(archive, path, "the assessment", notes)
        # Named as the manifest writes it, unless the package spells it otherwise.
        shown = path if name == posixpath.normpath(unquote(path)) else name
        label = f"{archive.name}!{shown}"
        root = parse_xml(archive[name], label)
        found.append(Document(label, root, media, posixpath.dirname(shown)))
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
    # Each resource depended on once: one listed 20,000 times, of 20,000 files, made a list
    # of 400 million paths.
    paths = [*resource.files, *(f for dep in dict.fromkeys(resource.dependencies)
                                if dep in by_id for f in by_id[dep].files),
             posixpath.join(folder, META_FILE)]
    meta = archive.find(p for p in paths if p.endswith(META_FILE))
    if meta.entry is None:
        return
    where = f"{archive.name}!{meta.entry}"
    if meta.note is not None:
        found.notes.append(ImportNote(None, Location(where), "changed",
                                      f"Canvas's quiz settings {meta.note}"))
    quiz = parse_xml(archive[meta.entry], where)
    found.title = text_of(kid(quiz, "title")) or None
    description = kid(quiz, "description")
    if description is not None and (description.text or "").strip():
        found.description = html_to_markdown(description.text or "",
                                             media.resolver(folder)).markdown or None
    if text_of(kid(quiz, "shuffle_answers")).lower() == "true":
        found.settings["shuffle_choices"] = True
    if text_of(kid(quiz, "hide_results")).lower() == "always":
        found.settings["show_feedback"] = "never"
