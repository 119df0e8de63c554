"""QTI 1.2 in Canvas's shape → a Bank: Canvas quiz exports, text2qti zips, packager's own
`qti12` target, a bare `<questestinterop>` file, and the QTI 1.2 of Blackboard and Brightspace
where it has the same shape.

A package is read through its manifest: every resource of type `imsqti_xmlv1p2` is an
assessment (Canvas: `<id>/<id>.xml`), and Canvas's `assessment_meta.xml` beside it gives the
bank's title, description and quiz-wide answer shuffling. Items are read by
`qti12_items` (types in `qti12_types`, feedback, points), documents by `qti12_package`
(manifests in `qti12_manifest`, images in `qti12_media`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.readers.imported import Imported
from packager.readers.qti12_manifest import (
    canvas_meta,
    documents,
    first_xml,
    manifest_root,
    none_found,
    resources,
)
from packager.readers.qti12_media import Media
from packager.readers.qti12_package import Document, Found, read_documents
from packager.readers.qti12_xml import local
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import Archive, is_zip
from packager.readers.sniff import element_names

if TYPE_CHECKING:
    from packager.readers.base import Source

NAME = "qti12"
CODE = "E-QTI"
QTI_RESOURCE = "imsqti_xmlv1p2"


def detect(data: bytes) -> bool:
    """A zip whose manifest lists `imsqti_xmlv1p2` resources, or XML rooted in questestinterop."""
    if not is_zip(data):
        return element_names(data)[:1] == ["questestinterop"]
    try:
        archive = Archive(data, "package")
        return any(r.type == QTI_RESOURCE for r in resources(manifest_root(archive)))
    except Exception:  # detection never fails: a broken package is reported by read()
        return False


def read(source: Source) -> Imported:
    if not is_zip(source.data):
        root = parse_xml(source.data, source.name)
        if local(root) != "questestinterop":
            raise InputError(
                f"{source.name}: not a QTI 1.2 document",
                diagnostics=[Diagnostic(CODE, f"the root element is <{local(root)}>, not "
                                        "<questestinterop>", file=source.name, line=1)],
            )
        document = Document(source.name, root, Media(None))
        return read_documents(source.name, [document], Found(), CODE, NAME)
    archive = Archive(source.data, source.name)
    listed = resources(manifest_root(archive))
    by_id = {r.identifier: r for r in listed}
    media = Media(archive)
    assessments = [(r, p) for r in listed if r.type == QTI_RESOURCE
                   for p in [first_xml(r)] if p is not None]
    found = Found()
    found_documents = documents(archive, [p for _, p in assessments], media, found.notes)
    if not found_documents:
        raise none_found(archive, "the manifest lists no QTI 1.2 assessment",
                         f"no resource of type {QTI_RESOURCE}")
    canvas_meta(archive, assessments[0][0], by_id, media, found)
    return read_documents(source.name, found_documents, found, CODE, NAME)
