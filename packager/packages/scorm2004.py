"""SCORM 2004 4th Edition: one SCO (the quiz player) and an imsmanifest.xml valid against the
ADL 4th Edition XSDs (imscp_v1p1, adlcp_v1p3, adlseq_v1p3, adlnav_v1p3, imsss_v1p0).

Sequencing is minimal: the organization allows choice and flow; the item's primary
objective is satisfied by measure at the bank's passing score (when it has one), so an LMS
that evaluates the measure itself reaches the same pass/fail as the player; completion and
objective status are set by the content. The LMS's own Previous/Continue buttons are hidden:
the player navigates inside its single SCO.
"""

from __future__ import annotations

from lxml import etree

from packager.capabilities import Feature, FidelityNote, Loss
from packager.model import Bank
from packager.model.ids import ncname
from packager.packages import player
from packager.packages import scorm_manifest as sm
from packager.packages.base import Job, Output
from packager.xml.ns import (
    IMSCP11,
    SCORM2004_ADLCP,
    SCORM2004_ADLNAV,
    SCORM2004_ADLSEQ,
    SCORM2004_IMSSS,
    XSI,
    qn,
)
from packager.xml.serialize import to_bytes

NAME = "scorm2004"
SPEC = "ADL SCORM 2004 4th Edition (CAM, RTE, SN), https://adlnet.gov/projects/scorm/"
EXTENSION = "zip"
LOSSES: dict[Feature, Loss] = {
    Feature.ESSAY: Loss(
        "changed",
        "essays are recorded for the LMS (long-fill-in interaction) but not scored; they count "
        "for nothing in the quiz score",
    ),
    **player.NOT_SHOWN,
}
SCHEMA = "scorm2004"

_SCHEMA_LOCATION = (
    f"{IMSCP11} imscp_v1p1.xsd {SCORM2004_ADLCP} adlcp_v1p3.xsd "
    f"{SCORM2004_ADLSEQ} adlseq_v1p3.xsd {SCORM2004_ADLNAV} adlnav_v1p3.xsd "
    f"{SCORM2004_IMSSS} imsss_v1p0.xsd"
)


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """What the player leaves out by value."""
    return player.player_notes(bank)


def _cp(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, qn(IMSCP11, local), attrs)
    if text is not None:
        element.text = text
    return element


def _ss(parent: etree._Element, local: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, qn(SCORM2004_IMSSS, local), attrs)


def manifest(job: Job, files: list[str]) -> etree._Element:
    bank = job.bank
    ids = sm.ids(bank)
    root = etree.Element(
        qn(IMSCP11, "manifest"),
        nsmap={
            None: IMSCP11,  # type: ignore[dict-item]  # lxml-stubs lack the None prefix
            "adlcp": SCORM2004_ADLCP,
            "adlseq": SCORM2004_ADLSEQ,
            "adlnav": SCORM2004_ADLNAV,
            "imsss": SCORM2004_IMSSS,
            "xsi": XSI,
        },
    )
    root.set("identifier", ids.manifest)
    root.set("version", bank.version)
    root.set(qn(XSI, "schemaLocation"), _SCHEMA_LOCATION)
    metadata = _cp(root, "metadata")
    _cp(metadata, "schema", "ADL SCORM")
    _cp(metadata, "schemaversion", "2004 4th Edition")
    organizations = _cp(root, "organizations", default=ids.organization)
    organization = _cp(organizations, "organization", identifier=ids.organization)
    organization.set(qn(SCORM2004_ADLSEQ, "objectivesGlobalToSystem"), "false")
    _cp(organization, "title", bank.title)
    item = _cp(organization, "item", identifier=ids.item, identifierref=ids.resource)
    _cp(item, "title", bank.title)
    sequencing = _ss(item, "sequencing")
    measure = sm.min_normalized_measure(bank)
    if measure is not None:
        objectives = _ss(sequencing, "objectives")
        primary = _ss(objectives, "primaryObjective",
                      objectiveID=ncname("passed-", bank.id), satisfiedByMeasure="true")
        _ss(primary, "minNormalizedMeasure").text = measure
    _ss(sequencing, "deliveryControls", completionSetByContent="true",
        objectiveSetByContent="true")
    # CAM order inside <item>: …, imsss:sequencing, adlnav:presentation
    presentation = etree.SubElement(item, qn(SCORM2004_ADLNAV, "presentation"))
    interface = etree.SubElement(presentation, qn(SCORM2004_ADLNAV, "navigationInterface"))
    for control in ("continue", "previous"):
        etree.SubElement(interface, qn(SCORM2004_ADLNAV, "hideLMSUI")).text = control
    org_sequencing = _ss(organization, "sequencing")
    _ss(org_sequencing, "controlMode", choice="true", flow="true")
    sm.sco_resource(root, IMSCP11, qn(SCORM2004_ADLCP, "scormType"), ids, files)
    return root


def build(job: Job) -> Output:
    files = sm.sco_files(job, "2004")
    return sm.assemble(to_bytes(manifest(job, sorted(files))), SCHEMA, files)
