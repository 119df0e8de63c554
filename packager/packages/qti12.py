"""QTI 1.2, Canvas flavour: the zip Canvas (Classic and New Quizzes) and Brightspace import.

Layout (Canvas's own QTI export):
    imsmanifest.xml                    IMS CP 1.1.3 in the Common Cartridge 1.1 namespace
    <assessment-id>/<assessment-id>.xml      questestinterop, resource type imsqti_xmlv1p2
    <assessment-id>/assessment_meta.xml      Canvas <quiz>, resource type
                                             associatedcontent/imscc_xmlv1p1/learning-application-resource
    media/…                            one webcontent resource per file, referenced from the HTML
                                       as $IMS-CC-FILEBASE$/media/…
The manifest is Canvas's shape, not a CC 1.1 profile document, so no XSD is named for it; the
unit tests and `canvas_rules.canvas_problems` check it structurally.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from packager.capabilities import (
    Feature,
    FidelityNote,
    Loss,
    english_true_false,
    not_carried,
    ordering_as_matching,
    ordering_as_matching_loss,
    stimulus_copied,
)
from packager.model import Bank, MultipleResponse, TextItem, delivery_sections
from packager.model.ids import digest
from packager.packages import canvas_rules
from packager.packages.base import Job, Output, media_by_path
from packager.writers import qti12 as writer
from packager.writers.qti12_elements import points
from packager.writers.qti12_idents import media_package_path, meta_resource_ident, safe_ident
from packager.xml import ns
from packager.xml.serialize import to_bytes

NAME = "qti12"
SPEC = "IMS QTI 1.2 (ASI), Canvas flavour — https://www.imsglobal.org/question/qtiv1p2/imsqti_asi_bindv1p2.html"
EXTENSION = "zip"

QTI_RESOURCE = "imsqti_xmlv1p2"
META_RESOURCE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"
WEBCONTENT = "webcontent"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("QTI 1.2"),
    Feature.PASSING_SCORE: Loss("dropped", "Canvas quizzes have no passing score"),
    Feature.FEEDBACK_IMMEDIATE: Loss(
        "changed", "the package cannot ask Canvas to show feedback after each question: the "
        "quiz's own settings apply (feedback after submission by default)"
    ),
    **ordering_as_matching_loss(
        "Canvas QTI 1.2 has no ordering question type (Canvas users build them as matching)"),
    Feature.TEXT: Loss(
        "changed",
        "becomes a Canvas text-only question (no points); New Quizzes may drop it on import, "
        "so scenarios are also repeated inside every question",
    ),
    Feature.PARTIAL_CREDIT: Loss(
        "changed",
        "Canvas scores multiple-answers questions with its own partial-credit rule (Classic: "
        "points/#correct per right pick, the same deducted per wrong pick; New Quizzes: "
        "chosen by the instructor); the package only names the correct set",
    ),
    Feature.CASE_SENSITIVE: Loss(
        "dropped", "Canvas compares short and fill-in-the-blank answers ignoring case"
    ),
    Feature.UNIT: Loss(
        "changed",
        "Canvas numerical questions have no unit; it is written below the prompt ('Unit: …')",
    ),
    Feature.PINNED_CHOICE: Loss(
        "dropped", "Canvas shuffles every answer of a quiz alike; a choice cannot be pinned"
    ),
    Feature.RUBRIC: Loss("dropped", "Canvas QTI 1.2 has no grader rubric for essay questions"),
    Feature.SAMPLE_ANSWER: Loss(
        "dropped", "Canvas QTI 1.2 has no model answer for essay questions"
    ),
    Feature.TAGS: Loss("dropped", "Canvas QTI 1.2 carries no question tags"),
    Feature.SECTION_TITLES: Loss(
        "dropped", "the titles of sections without a random pick are not carried (a section "
        "with a pick becomes a Canvas question group named after it)"
    ),
    **not_carried(
        Feature.OBJECTIVES,
        Feature.AUTHORS,
        Feature.BANK_TAGS,
        Feature.BANK_OBJECTIVES,
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Losses that depend on values, not on a feature being present."""
    notes: list[FidelityNote] = []
    quiz_shuffle = bank.settings.shuffle_choices
    for q in bank.questions:
        if getattr(q, "shuffle", None) is not None and bank.shuffles(q) != quiz_shuffle:
            notes.append(
                FidelityNote(
                    q.id,
                    Feature.SHUFFLE.value,
                    "changed",
                    "Canvas shuffles answers per quiz (shuffle_answers="
                    f"{str(quiz_shuffle).lower()}), not per question",
                )
            )
        if isinstance(q, MultipleResponse) and q.scoring == "all_or_nothing":
            notes.append(
                FidelityNote(
                    q.id,
                    "scoring",
                    "changed",
                    "Canvas gives partial credit on multiple-answers questions; all-or-nothing "
                    "scoring is not kept (New Quizzes: set 'exact match' after import)",
                )
            )
    for section in delivery_sections(bank):
        if not section.pick:
            continue
        scored = {bank.points_of(q) for q in section.questions if not isinstance(q, TextItem)}
        if len(scored) > 1:
            per_item = writer.group_points(bank, section)
            notes.append(
                FidelityNote(
                    None,
                    Feature.SECTION_PICK.value,
                    "changed",
                    f"section '{section.id}': a Canvas question group gives every question the "
                    f"same points ({points(per_item)}); its questions differ",
                )
            )
    return notes + english_true_false(bank)


# lxml-stubs types nsmap keys as str; the default namespace is the key None.
_MANIFEST_NSMAP: Any = {
    None: ns.CC11_CP,
    "lom": ns.CC11_LOMRESOURCE,
    "imsmd": ns.IMSMD,
    "xsi": ns.XSI,
}


def _cp(parent: etree._Element, tag: str, attrib: dict[str, str] | None = None) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns.CC11_CP}}}{tag}", attrib)


def _md(parent: etree._Element, tag: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns.IMSMD}}}{tag}")


def manifest(bank: Bank, ident: str, media_paths: list[str], date: str) -> etree._Element:
    """imsmanifest.xml in the shape of Canvas's own QTI export."""
    root = etree.Element(
        f"{{{ns.CC11_CP}}}manifest",
        nsmap=_MANIFEST_NSMAP,
    )
    root.set("identifier", safe_ident("g", "qti12-manifest", bank.id, size=16))
    root.set(
        f"{{{ns.XSI}}}schemaLocation",
        f"{ns.CC11_CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
        f"{ns.CC11_LOMRESOURCE} "
        "http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd "
        f"{ns.IMSMD} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
    )
    metadata = _cp(root, "metadata")
    _cp(metadata, "schema").text = "IMS Content"
    _cp(metadata, "schemaversion").text = "1.1.3"
    lom = _md(metadata, "lom")
    _md(_md(_md(lom, "general"), "title"), "string").text = bank.title
    date_element = _md(_md(_md(lom, "lifeCycle"), "contribute"), "date")
    _md(date_element, "dateTime").text = date
    if bank.metadata.license:
        rights = _md(lom, "rights")
        _md(_md(rights, "copyrightAndOtherRestrictions"), "value").text = "yes"
        _md(_md(rights, "description"), "string").text = bank.metadata.license
    _cp(root, "organizations")
    resources = _cp(root, "resources")
    meta_ident = meta_resource_ident(bank)
    qti = _cp(resources, "resource", {"identifier": ident, "type": QTI_RESOURCE})
    _cp(qti, "file", {"href": f"{ident}/{ident}.xml"})
    _cp(qti, "dependency", {"identifierref": meta_ident})
    meta_href = f"{ident}/assessment_meta.xml"
    meta = _cp(
        resources, "resource", {"identifier": meta_ident, "type": META_RESOURCE, "href": meta_href}
    )
    _cp(meta, "file", {"href": meta_href})
    for path in media_paths:
        resource = _cp(
            resources,
            "resource",
            {"identifier": f"m{digest(bank.id, path)}", "type": WEBCONTENT, "href": path},
        )
        _cp(resource, "file", {"href": path})
    return root


def build(job: Job) -> Output:
    bank = ordering_as_matching(job.bank)
    documents = writer.write(bank)
    ident = documents.ident
    media = media_by_path(job.media, media_package_path)
    output = Output()
    output.add(
        "imsmanifest.xml", to_bytes(manifest(bank, ident, list(media), job.ctx.iso_date)), None
    )
    # Streamed: items are built, checked and compressed one at a time (packages/assemble.py).
    output.add_streamed_xml(
        f"{ident}/{ident}.xml",
        documents.assessment,
        "qti12",
        documents.items,
        canvas_rules.item_report,  # each item checked where it is built
    )
    output.add_xml(f"{ident}/assessment_meta.xml", documents.meta, "canvas")
    for path, media_file in media.items():
        output.add(path, media_file.path.read_bytes(), None)
    return output
