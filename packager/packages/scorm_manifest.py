"""What the SCORM 1.2 and 2004 manifests share: identifiers, the file list, the threshold.

Both packages hold one SCO (the quiz player, launched by index.html) in one resource that
lists every file of the package. The element vocabularies differ per version, so each target
module builds its own tree; this module keeps the decisions they must agree on in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from packager.model import Bank
from packager.model.ids import ncname
from packager.packages.base import Chunks, Job, Output
from packager.packages.player import LAUNCH, player_files

MANIFEST = "imsmanifest.xml"


@dataclass(frozen=True)
class Ids:
    manifest: str
    organization: str
    item: str
    resource: str


def ids(bank: Bank) -> Ids:
    """Identifiers derived from the bank id and version (stable across rebuilds)."""
    return Ids(
        manifest=ncname("pkg-", bank.id, bank.version),
        organization=ncname("org-", bank.id),
        item=ncname("item-", bank.id),
        resource=ncname("sco-", bank.id),
    )


def decimal(value: float) -> str:
    """A short decimal: 60.0 → '60', 0.755 → '0.755' (no exponent, no float noise)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def mastery_percent(bank: Bank) -> str | None:
    """SCORM 1.2 adlcp:masteryscore (0–100, the scale of cmi.core.score.raw) or None."""
    passing = bank.settings.passing_score
    return None if passing is None else decimal(round(passing * 100, 2))


def min_normalized_measure(bank: Bank) -> str | None:
    """SCORM 2004 primary objective's minNormalizedMeasure (0–1, cmi.score.scaled) or None."""
    passing = bank.settings.passing_score
    return None if passing is None else decimal(round(passing, 4))


def sco_files(job: Job, scorm: str) -> dict[str, bytes | Chunks]:
    files = player_files(job, scorm)
    for name in files:
        if name != name.lower() or not name.isascii() or name.startswith("/") or ".." in name:
            raise AssertionError(f"package file name {name!r} is not ASCII lower case")
    return files


def assemble(manifest: bytes, schema: str, files: dict[str, bytes | Chunks]) -> Output:
    output = Output()
    output.add(MANIFEST, manifest, schema)
    for name in sorted(files):
        data = files[name]
        if isinstance(data, Chunks):
            output.add_chunks(name, data.pieces)
        else:
            output.add(name, data)
    return output


LAUNCH_FILE = LAUNCH


def sco_resource(
    root: etree._Element, cp_ns: str, scorm_type: str, ids: Ids, files: list[str]
) -> None:
    """<resources> with the one SCO: the launch file, its SCORM type attribute (named and
    namespaced per version), and every file of the package."""
    resources = etree.SubElement(root, f"{{{cp_ns}}}resources")
    resource = etree.SubElement(
        resources, f"{{{cp_ns}}}resource",
        {"identifier": ids.resource, "type": "webcontent", "href": LAUNCH_FILE},
    )
    resource.set(scorm_type, "sco")
    for name in files:
        etree.SubElement(resource, f"{{{cp_ns}}}file", {"href": name})
