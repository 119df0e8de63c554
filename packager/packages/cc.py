"""Target `cc`: IMS Common Cartridge 1.1 with the bank as one CC-profile QTI assessment.

    imsmanifest.xml                     CC 1.1 manifest (schema key "cc11")
    web_resources/<bank-id>.qti.xml      the assessment, imsqti_xmlv1p2/imscc_xmlv1p1/assessment
                                        (schema key "cc11-qti", writers/cc_qti.py)
    web_resources/<media path>          one webcontent resource per image

Moodle restores only CC 1.0 and 1.1, recognised by the manifest namespace
(http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1). The assessment sits in web_resources/
because importers resolve `$IMS-CC-FILEBASE$` differently: Moodle relative to the folder of the
QTI file (backup/cc/entities11.class.php `update_sources`), Canvas relative to web_resources/.
With the QTI file in web_resources/ both resolve `$IMS-CC-FILEBASE$/media/x.png` to the same file.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from lxml import etree

from packager.capabilities import (
    Feature,
    FidelityNote,
    Loss,
    english_true_false,
    not_carried,
    stimulus_copied,
)
from packager.model import Bank
from packager.model import questions as m
from packager.model.ids import digest, ncname
from packager.packages.base import Job, Output
from packager.relpath import id_file_name
from packager.richtext_plain import plain_text
from packager.writers.cc_qti import SUPPORTED, assessment, weighting
from packager.xml.ns import CC11_CP, CC11_LOMMANIFEST, XSI

NAME = "cc"
SPEC = (
    "IMS Common Cartridge 1.1 with the CC profile of QTI 1.2.1 "
    "(https://www.imsglobal.org/cc/ccv1p1/imscc_profilev1p1-Implementation.html)"
)
EXTENSION = "imscc"

ASSESSMENT_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
FOLDER = "web_resources"
FILEBASE = "$IMS-CC-FILEBASE$"
SCHEMA_LOCATION = (
    f"{CC11_CP} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
    f"{CC11_LOMMANIFEST} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"
)

_UNSUPPORTED = "the Common Cartridge QTI profile has no {} item"
LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("Common Cartridge"),
    Feature.MATCHING: Loss("unsupported", _UNSUPPORTED.format("matching")),
    Feature.NUMERIC: Loss("unsupported", _UNSUPPORTED.format("numeric")),
    Feature.ORDERING: Loss("unsupported", _UNSUPPORTED.format("ordering")),
    Feature.FILL_IN_BLANKS: Loss(
        "unsupported", _UNSUPPORTED.format("fill-in-the-blanks")
        + " (cc.fib is one answer box after the text, not blanks inside it)"
    ),
    Feature.PASSING_SCORE: Loss("dropped", "the cartridge's assessment profile has no pass mark"),
    Feature.FEEDBACK_HIDDEN: Loss(
        "changed", "the assessment says feedback and solutions are not permitted "
        "(qmd_feedbackpermitted No); the LMS quiz's own settings decide: check them after import"
    ),
    Feature.FEEDBACK_IMMEDIATE: Loss(
        "dropped", "the cartridge's assessment profile cannot say when feedback shows: the LMS "
        "quiz's settings apply"
    ),
    Feature.TEXT: Loss("unsupported", _UNSUPPORTED.format("text-only")),
    Feature.PARTIAL_CREDIT: Loss(
        "changed",
        "the cartridge scores multiple response all-or-nothing (the profile has no per-choice "
        "scores); Moodle's restore splits the credit equally among the correct choices",
    ),
    Feature.CASE_SENSITIVE: Loss(
        "changed", "written as case=\"Yes\", but Moodle's restore of cc.fib ignores case"
    ),
    Feature.RUBRIC: Loss("dropped", "an essay in the CC profile has no rubric"),
    Feature.SAMPLE_ANSWER: Loss("dropped", "an essay in the CC profile has no sample answer"),
    **not_carried(Feature.TAGS),
    Feature.SECTION_PICK: Loss(
        "dropped", "a CC assessment has exactly one section: sections and random picks are lost"
    ),
    **not_carried(
        Feature.OBJECTIVES,
        Feature.SECTION_TITLES,
        Feature.AUTHORS,
        Feature.LICENSE,
        Feature.BANK_OBJECTIVES,
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    notes: list[FidelityNote] = []
    for q in bank.questions:
        if q.type not in SUPPORTED:
            continue
        points = bank.points_of(q)
        if weighting(points) is None:
            notes.append(FidelityNote(
                q.id, Feature.POINTS.value, "changed",
                f"cc_weighting is a whole number from 0 to 99; {points:g} points are not "
                "written and importers use 1",
            ))
        if isinstance(q, m.Essay) and q.feedback and (q.feedback.correct or q.feedback.incorrect):
            notes.append(FidelityNote(
                q.id, Feature.FEEDBACK.value, "dropped",
                "an essay has no correct or incorrect answer, so its feedback is not written",
            ))
    return notes + english_true_false(bank, ("true", "false"))


def _lom_string(parent: etree._Element, local: str, text: str, language: str) -> None:
    holder = etree.SubElement(parent, f"{{{CC11_LOMMANIFEST}}}{local}")
    etree.SubElement(holder, f"{{{CC11_LOMMANIFEST}}}string", {"language": language}).text = text


def manifest(bank: Bank, assessment_href: str, media: list[str]) -> etree._Element:
    lom = CC11_LOMMANIFEST
    # lxml-stubs type nsmap keys as str; the default namespace is the key None.
    nsmap: Any = {None: CC11_CP, "lomimscc": lom, "xsi": XSI}
    root = etree.Element(f"{{{CC11_CP}}}manifest", {"identifier": ncname("M_", bank.id)},
                         nsmap=nsmap)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = etree.SubElement(root, f"{{{CC11_CP}}}metadata")
    etree.SubElement(metadata, f"{{{CC11_CP}}}schema").text = "IMS Common Cartridge"
    etree.SubElement(metadata, f"{{{CC11_CP}}}schemaversion").text = "1.1.0"
    general = etree.SubElement(etree.SubElement(metadata, f"{{{lom}}}lom"), f"{{{lom}}}general")
    _lom_string(general, "title", bank.title, bank.language)
    etree.SubElement(general, f"{{{lom}}}language").text = bank.language
    if bank.description:
        _lom_string(general, "description", plain_text(bank.description), bank.language)
    for tag in bank.metadata.tags:
        _lom_string(general, "keyword", tag, bank.language)

    assessment_id = ncname("R_", bank.id, "assessment")
    organizations = etree.SubElement(root, f"{{{CC11_CP}}}organizations")
    organization = etree.SubElement(organizations, f"{{{CC11_CP}}}organization", {
        "identifier": ncname("O_", bank.id), "structure": "rooted-hierarchy"})
    top = etree.SubElement(organization, f"{{{CC11_CP}}}item", {"identifier": "root"})
    entry = etree.SubElement(top, f"{{{CC11_CP}}}item", {
        "identifier": ncname("I_", bank.id), "identifierref": assessment_id})
    etree.SubElement(entry, f"{{{CC11_CP}}}title").text = bank.title

    resources = etree.SubElement(root, f"{{{CC11_CP}}}resources")
    resource = etree.SubElement(resources, f"{{{CC11_CP}}}resource", {
        "identifier": assessment_id, "type": ASSESSMENT_TYPE})
    etree.SubElement(resource, f"{{{CC11_CP}}}file", {"href": assessment_href})
    media_ids = {href: ncname("R_", "media", digest(href)) for href in media}
    for href in media:
        etree.SubElement(resource, f"{{{CC11_CP}}}dependency", {"identifierref": media_ids[href]})
    for href in media:
        path = quote(f"{FOLDER}/{href}", safe="/")  # a URL reference (50%.png: 50%25.png)
        web = etree.SubElement(resources, f"{{{CC11_CP}}}resource", {
            "identifier": media_ids[href], "type": "webcontent", "href": path})
        etree.SubElement(web, f"{{{CC11_CP}}}file", {"href": path})
    return root


def build(job: Job) -> Output:
    bank = job.bank
    media = [str(PurePosixPath(f.href)) for f in job.media]
    known = set(media)

    def src_map(src: str) -> str:
        path = str(PurePosixPath(src))
        return f"{FILEBASE}/{quote(path)}" if path in known else src

    href = f"{FOLDER}/{id_file_name(bank.id, '.qti.xml')}"
    while href.removeprefix(f"{FOLDER}/") in known:  # a media file took the name: step aside
        href = href.removesuffix(".qti.xml") + "-assessment.qti.xml"
    out = Output()
    out.add_xml("imsmanifest.xml", manifest(bank, href, media), "cc11")
    shell, items = assessment(bank, ncname("A_", bank.id), src_map)
    out.add_streamed_xml(href, shell, "cc11-qti", items)  # items one batch at a time
    for path, data in job.media_bytes().items():
        out.add(f"{FOLDER}/{PurePosixPath(path)}", data, None)
    return out
