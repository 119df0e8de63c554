"""QTI 2.1 content package: IMS CP manifest, one assessmentItem per question, one assessmentTest.

Imports into Blackboard Learn (QTI import), TAO, Inspera, ONYX and most QTI 2.x platforms.
See docs/formats/qti21.md for the mapping of every question type and feature.
"""

from __future__ import annotations

from packager.capabilities import Feature, FidelityNote, Loss, not_carried, stimulus_copied
from packager.model import Bank
from packager.packages import imscp
from packager.packages.base import Job, Output
from packager.writers import qti21

NAME = "qti21"
SPEC = (
    "IMS QTI 2.1 items and test in an IMS CP 1.1.4 package, "
    "https://www.imsglobal.org/question/qtiv2p1/imsqti_infov2p1.html"
)
EXTENSION = "zip"
# Every canonical type has a QTI 2.1 construct; what differs is below (docs/formats/qti21.md).
LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("QTI 2.1"),
    **not_carried(Feature.OBJECTIVES, Feature.AUTHORS, Feature.LICENSE, Feature.BANK_OBJECTIVES),
    Feature.LIST_START: Loss(
        "changed", "a numbered list that starts at another number than 1 is numbered from 1: "
        "QTI's XHTML has no start"
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Losses that depend on values (the content package's, shared with QTI 3.0)."""
    return imscp.fidelity_notes(bank)


def build(job: Job) -> Output:
    return imscp.package(job, qti21.write(job.bank, reuse=True), imscp.QTI21)
