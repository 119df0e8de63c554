"""IMS Common Cartridge 1.0–1.3 → a Bank: its assessments and question banks.

The manifest's resources of type `imsqti_xmlv1pN/imscc_xmlv1pM/assessment` and
`…/question-bank` hold QTI 1.2 in the CC profile (`cc_profile` cc.multiple_choice,
cc.multiple_response, cc.true_false, cc.fib, cc.pattern_match, cc.essay), read by the same
item reader as Canvas's QTI (`qti12_items`). A Canvas course export keeps a second copy of
each quiz in its own QTI flavour (`non_cc_assessments/<id>.xml.qti`, a dependency of the
assessment), which holds the question types the profile lacks: that copy is read instead.
Several assessments and banks become one bank with a section each.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import Imported, ImportNote, Location
from packager.readers.qti12_package import (
    MANIFEST,
    Document,
    Found,
    Media,
    Resource,
    canvas_meta,
    documents,
    first_xml,
    manifest_root,
    manifest_title,
    none_found,
    read_documents,
    resources,
)
from packager.readers.qti12_xml import kid, material_html
from packager.readers.safe_zip import Archive, is_zip

if TYPE_CHECKING:
    from packager.readers.base import Source

NAME = "cc"
CODE = "E-CC"
_NAMESPACE = re.compile(r"^http://www\.imsglobal\.org/xsd/imscc(?:v1p[0-3])?/imscp_v1p1$")
_QTI = re.compile(r"^imsqti_xmlv1p\d/imscc_xmlv1p\d/(?:assessment|question-bank)$")
QTI12_RESOURCE = "imsqti_xmlv1p2"  # Canvas's QTI export: the `qti12` reader's
CANVAS_COPY = ".xml.qti"


def detect(data: bytes) -> bool:
    """A zip whose manifest is in a Common Cartridge namespace (and not a Canvas QTI export)."""
    if not is_zip(data):
        return False
    try:
        manifest = manifest_root(Archive(data, "package"))
        namespace = manifest.tag.rpartition("}")[0].lstrip("{")
        return _NAMESPACE.match(namespace) is not None and not any(
            r.type == QTI12_RESOURCE for r in resources(manifest))
    except Exception:  # detection never fails: a broken package is reported by read()
        return False


def read(source: Source) -> Imported:
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
    paths = {r.identifier: _canvas_copy(r, by_id, archive) or first_xml(r)
             for r in listed if _QTI.match(r.type)}
    assessments = [(by_id[i], p) for i, p in paths.items() if p is not None]
    media = Media(archive, explain=True)
    found_documents = documents(archive, [p for _, p in assessments], media)
    if not found_documents:
        raise none_found(archive, "the cartridge holds no assessment or question bank",
                         "no resource of type imsqti_xmlv1p2/imscc_xmlv1p1/assessment or "
                         "…/question-bank")
    found = Found()
    canvas_meta(archive, assessments[0][0], by_id, media, found)
    if len(found_documents) > 1:
        found.title = manifest_title(manifest)
    found.description = found.description or next(
        (d for d in (_description(doc) for doc in found_documents) if d), None)
    imported = read_documents(source.name, found_documents, found, CODE, NAME)
    where = Location(f"{source.name}!{MANIFEST}")
    imported.notes[:0] = [
        ImportNote(None, where, "dropped", f"the resource {i!r} ({by_id[i].type}) names no file:"
                   " its questions, if any, are not in the cartridge")
        for i, p in paths.items() if p is None
    ]
    return imported


def _canvas_copy(resource: Resource, by_id: dict[str, Resource], archive: Archive) -> str | None:
    for dependency in resource.dependencies:
        for path in by_id[dependency].files if dependency in by_id else ():
            if path.endswith(CANVAS_COPY) and path in archive:
                return path
    return None


def _description(document: Document) -> str | None:
    """The assessment's presentation_material (the bank's description), as Markdown."""
    assessment = kid(document.root, "assessment")
    material = kid(assessment, "presentation_material") if assessment is not None else None
    markup = material_html(material)
    if not markup.strip():
        return None
    return html_to_markdown(markup, document.media.resolver(document.folder)).markdown or None
