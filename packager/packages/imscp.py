"""IMS Content Packaging for QTI 2.1 and QTI 3.0: documents + media + imsmanifest.xml.

The writers return documents (lxml trees); this module serializes them, copies the bank's
media under media/, and describes everything in the manifest: one resource per item, test and
stimulus (each with its `file` entries, media included, and `dependency` entries), and one
`webcontent` resource per media file. The two flavours differ only in namespace, resource
types and the manifest's schema/schemaversion.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

from packager.capabilities import Feature, FidelityNote, english_true_false
from packager.model import Bank
from packager.model import questions as m
from packager.model.ids import digest, ncname
from packager.packages.base import Job, Output, media_by_path
from packager.richtext_plain import plain_text
from packager.writers.qti_common import Document, media_path, url
from packager.xml import ns
from packager.xml.serialize import ChildRun, child_run

LOM = "http://ltsc.ieee.org/xsd/LOM"
MANIFEST = "imsmanifest.xml"


@dataclass(frozen=True, eq=False)  # hashed by identity: templates are cached per flavour
class Flavour:
    namespace: str
    schema: str  # manifest/metadata/schema
    schema_version: str
    schema_key: str  # XSD key of the manifest (packager/xsd.py)
    schema_location: str
    resource_types: dict[str, str]  # document kind → resource type
    qti_metadata: str  # namespace of qtiMetadata
    lom_first: bool  # resource metadata order: LOM before qtiMetadata (2.1) or after (3.0)


QTI21 = Flavour(
    namespace=ns.IMSCP11,
    schema="QTIv2.1 Package",
    schema_version="1.0.0",
    schema_key="imscp",
    schema_location=(
        f"{ns.IMSCP11} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
        f"{LOM} http://www.imsglobal.org/xsd/imsmd_loose_v1p3p2.xsd "
        "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1 "
        "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_metadata_v2p1.xsd"
    ),
    resource_types={"item": "imsqti_item_xmlv2p1", "test": "imsqti_test_xmlv2p1"},
    qti_metadata="http://www.imsglobal.org/xsd/imsqti_metadata_v2p1",
    lom_first=True,
)

QTI30 = Flavour(
    namespace=ns.QTI30_CP,
    schema="QTI Package",
    schema_version="3.0.0",
    schema_key="qti30-manifest",
    schema_location=(
        f"{ns.QTI30_CP} "
        "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd "
        f"{LOM} https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd "
        "http://www.imsglobal.org/xsd/imsqti_metadata_v3p0 "
        "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_metadatav3p0_v1p0.xsd"
    ),
    resource_types={
        "item": "imsqti_item_xmlv3p0",
        "test": "imsqti_test_xmlv3p0",
        "stimulus": "imsqti_stimulus_xmlv3p0",
    },
    qti_metadata="http://www.imsglobal.org/xsd/imsqti_metadata_v3p0",
    lom_first=False,
)

_KIND_PREFIX = {"test": "RES-TEST-", "item": "RES-ITEM-", "stimulus": "RES-STIMULUS-"}
_KIND_ORDER = {"test": 0, "item": 1, "stimulus": 2}


def resource_identifier(document: Document) -> str:
    return _resource_identifier(document.kind, document.identifier)


@lru_cache(maxsize=131072)
def _resource_identifier(kind: str, identifier: str) -> str:
    """Cached: an item's is asked for by its resource and by the test's dependencies."""
    return ncname(_KIND_PREFIX[kind], identifier)


def media_resource_identifier(path: str) -> str:
    return ncname("RES-MEDIA-", digest(path, size=6))


def fidelity_notes(bank: Bank) -> list[FidelityNote]:
    """Value-dependent losses shared by QTI 2.1 and 3.0 (their targets' extra_fidelity)."""
    notes = [
        FidelityNote(
            q.id, Feature.FEEDBACK.value, "dropped",
            "an essay is scored by a person after the attempt, so response processing "
            "cannot choose correct/incorrect feedback; it is left out",
        )
        for q in bank.questions
        if isinstance(q, m.Essay) and q.feedback and (q.feedback.correct or q.feedback.incorrect)
    ]
    return notes + english_true_false(bank)


def package(job: Job, documents: list[Document], flavour: Flavour) -> Output:
    """The package's files: manifest, documents (serialized once), media."""
    output = Output()
    media = media_by_path(job.media, media_path)
    shell, resources = manifest(job.bank, documents, sorted(media), flavour)
    # Streamed: 50,000 resources with their metadata are a million elements.
    output.add_streamed_xml(MANIFEST, shell, flavour.schema_key, resources)
    for document in documents:
        output.add_lazy_xml(document.href, document.build, document.schema,
                            reused=document.reused)
    for path, media_file in sorted(media.items()):
        output.add(path, media_file.path.read_bytes())
    return output


def manifest(
    bank: Bank, documents: list[Document], media: list[str], flavour: Flavour
) -> tuple[etree._Element, list[ChildRun]]:
    """The manifest as a shell and its resources, built lazily (documents, then media)."""
    cp = flavour.namespace
    root = etree.Element(f"{{{cp}}}manifest", nsmap=_nsmap(flavour))
    root.set("identifier", ncname("MANIFEST-", bank.id))
    root.set(ns.qn(ns.XSI, "schemaLocation"), flavour.schema_location)
    metadata = etree.SubElement(root, f"{{{cp}}}metadata")
    etree.SubElement(metadata, f"{{{cp}}}schema").text = flavour.schema
    etree.SubElement(metadata, f"{{{cp}}}schemaversion").text = flavour.schema_version
    description = plain_text(bank.description) if bank.description else None
    metadata.append(lom(bank.language, bank.title, description, tuple(bank.metadata.tags)))
    etree.SubElement(root, f"{{{cp}}}organizations")
    resources = etree.SubElement(root, f"{{{cp}}}resources")
    by_href = {d.href: d for d in documents}
    ordered: list[Document | str] = [*sorted(documents, key=lambda d: _KIND_ORDER[d.kind]), *media]

    def build(entry: Document | str) -> etree._Element:
        if isinstance(entry, str):
            return media_resource(entry, flavour)
        return resource(bank, entry, by_href, flavour)

    return root, [child_run(resources, ordered, build)]


def _nsmap(flavour: Flavour) -> Any:
    # lxml-stubs type nsmap keys as str; the default namespace is the key None.
    return {None: flavour.namespace, "lom": LOM, "qti": flavour.qti_metadata, "xsi": ns.XSI}


def media_resource(path: str, flavour: Flavour) -> etree._Element:
    cp = flavour.namespace
    element = etree.Element(
        f"{{{cp}}}resource",
        {"identifier": media_resource_identifier(path), "type": "webcontent", "href": url(path)},
        nsmap=_nsmap(flavour),
    )
    etree.SubElement(element, f"{{{cp}}}file", href=url(path))
    return element


def resource(
    bank: Bank, document: Document, by_href: dict[str, Document], flavour: Flavour
) -> etree._Element:
    """A document's resource, a root of its own: streamed into the manifest later. A copy of
    the template its kind (and, for an item, its metadata's constant part) shares."""
    cp = flavour.namespace
    element = copy(
        _resource(flavour, document.kind, bank.language, document.interaction, document.feedback)
    )
    element.set("identifier", resource_identifier(document))
    element.set("href", document.href)
    if document.kind == "item":
        general = element[0][0 if flavour.lom_first else 1][0]  # metadata/lom/general
        general[0][0].text = document.title  # title/string
        for keyword in document.keywords:
            _lang_string(etree.SubElement(general, f"{{{LOM}}}keyword"), bank.language, keyword)
    element[-1].set("href", document.href)  # its own file
    for path in document.media:
        etree.SubElement(element, f"{{{cp}}}file", href=url(path))
    for href in document.depends:
        etree.SubElement(element, f"{{{cp}}}dependency",
                         identifierref=resource_identifier(by_href[href]))
    for path in document.media:
        etree.SubElement(element, f"{{{cp}}}dependency",
                         identifierref=media_resource_identifier(path))
    return element


@lru_cache(maxsize=256)
def _resource(
    flavour: Flavour, kind: str, language: str, interaction: str | None, feedback: bool
) -> etree._Element:
    """A resource with identifier, href, title and its file's href empty; an item's metadata
    (LOM and qtiMetadata, in the flavour's order) differs only in title and keywords."""
    cp = flavour.namespace
    attrib = {"identifier": "", "type": flavour.resource_types[kind], "href": ""}
    element = etree.Element(f"{{{cp}}}resource", attrib, nsmap=_nsmap(flavour))
    if kind == "item":
        metadata = etree.SubElement(element, f"{{{cp}}}metadata")
        described = lom(language, "", None, ())
        if flavour.lom_first:
            metadata.append(described)
        metadata.append(qti_metadata(interaction, feedback, flavour.qti_metadata))
        if not flavour.lom_first:
            metadata.append(described)
    etree.SubElement(element, f"{{{cp}}}file", href="")
    return element


def lom(
    language: str, title: str, description: str | None, keywords: tuple[str, ...]
) -> etree._Element:
    root = etree.Element(f"{{{LOM}}}lom")
    general = etree.SubElement(root, f"{{{LOM}}}general")
    _lang_string(etree.SubElement(general, f"{{{LOM}}}title"), language, title)
    etree.SubElement(general, f"{{{LOM}}}language").text = language
    if description:
        _lang_string(etree.SubElement(general, f"{{{LOM}}}description"), language, description)
    for keyword in keywords:
        _lang_string(etree.SubElement(general, f"{{{LOM}}}keyword"), language, keyword)
    return root


def _lang_string(parent: etree._Element, language: str, text: str) -> None:
    etree.SubElement(parent, f"{{{LOM}}}string", language=language).text = text


def qti_metadata(interaction: str | None, feedback: bool, namespace: str) -> etree._Element:
    root = etree.Element(f"{{{namespace}}}qtiMetadata")
    etree.SubElement(root, f"{{{namespace}}}timeDependent").text = "false"
    if interaction:
        etree.SubElement(root, f"{{{namespace}}}interactionType").text = interaction
    feedback_type = "nonadaptive" if feedback else "none"
    etree.SubElement(root, f"{{{namespace}}}feedbackType").text = feedback_type
    etree.SubElement(root, f"{{{namespace}}}toolName").text = "packager"
    return root
