"""SCORM 1.2: one SCO (the quiz player) and an imsmanifest.xml valid against the ADL 1.2 XSDs.

The manifest carries no inline `imsmd:lom`: the IMS MD 1.2.1 schema cannot be compiled by
libxml2 (see ../shared/xsd/README.md), so an inline record could not be validated; the
metadata block names the schema and version only, as the ADL sample manifests do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from packager.capabilities import Feature, FidelityNote, Loss
from packager.packages import player
from packager.packages import scorm_manifest as sm
from packager.packages.base import Job, Output
from packager.xml.ns import SCORM12_ADLCP, SCORM12_CP, XSI, qn
from packager.xml.serialize import to_bytes

if TYPE_CHECKING:
    from packager.model import Bank

NAME = "scorm12"
SPEC = "ADL SCORM 1.2 (Content Aggregation Model, Run-Time Environment), https://adlnet.gov/projects/scorm/"
EXTENSION = "zip"
LOSSES: dict[Feature, Loss] = {
    Feature.ESSAY: Loss(
        "changed",
        "essays are recorded for the LMS (first 255 characters, the SCORM 1.2 limit) but not "
        "scored; they count for nothing in the quiz score",
    ),
    **player.NOT_SHOWN,
}
SCHEMA = "scorm12"
# The ADL 1.2 XSDs' limits on what the manifest says of the bank (imscp_rootv1p1p2.xsd).
_VERSION_MAX = 20
_TITLE_MAX = 200

_SCHEMA_LOCATION = (
    f"{SCORM12_CP} imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    f"{SCORM12_ADLCP} adlcp_rootv1p2.xsd"
)


def _cp(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, qn(SCORM12_CP, local), attrs)
    if text is not None:
        element.text = text
    return element


def manifest(job: Job, files: list[str]) -> etree._Element:
    bank = job.bank
    ids = sm.ids(bank)
    root = etree.Element(
        qn(SCORM12_CP, "manifest"),
        nsmap={None: SCORM12_CP, "adlcp": SCORM12_ADLCP, "xsi": XSI},  # type: ignore[dict-item]  # lxml-stubs lack the None prefix
    )
    root.set("identifier", ids.manifest)
    if len(bank.version) <= _VERSION_MAX:  # optional: left out when longer (extra_fidelity)
        root.set("version", bank.version)
    root.set(qn(XSI, "schemaLocation"), _SCHEMA_LOCATION)
    metadata = _cp(root, "metadata")
    _cp(metadata, "schema", "ADL SCORM")
    _cp(metadata, "schemaversion", "1.2")
    organizations = _cp(root, "organizations", default=ids.organization)
    organization = _cp(organizations, "organization", identifier=ids.organization)
    title = _title(bank.title)
    _cp(organization, "title", title)
    item = _cp(organization, "item", identifier=ids.item, identifierref=ids.resource,
               isvisible="true")
    _cp(item, "title", title)
    mastery = sm.mastery_percent(bank)
    if mastery is not None:
        etree.SubElement(item, qn(SCORM12_ADLCP, "masteryscore")).text = mastery
    sm.sco_resource(root, SCORM12_CP, qn(SCORM12_ADLCP, "scormtype"), ids, files)
    return root


def _title(title: str) -> str:
    return title if len(title) <= _TITLE_MAX else title[: _TITLE_MAX - 1].rstrip() + "…"


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """The bank's version and title where they are longer than the manifest may hold, and
    what the player leaves out."""
    notes = player.player_notes(bank)
    if len(bank.version) > _VERSION_MAX:
        notes.append(FidelityNote(None, "version", "dropped", f"the manifest holds a version of "
                                  f"at most {_VERSION_MAX} characters; {bank.version!r} is left out"))
    if len(bank.title) > _TITLE_MAX:
        notes.append(FidelityNote(None, Feature.TITLE.value, "changed", f"the LMS shows at most "
                                  f"{_TITLE_MAX} characters of a title: the bank's is cut there"))
    return notes


def build(job: Job) -> Output:
    files = sm.sco_files(job, "1.2")
    return sm.assemble(to_bytes(manifest(job, sorted(files))), SCHEMA, files)
