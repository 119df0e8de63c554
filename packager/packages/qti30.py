"""QTI 3.0 content package: QTI 3 CP manifest, qti-assessment-item per question,
qti-assessment-stimulus per shared scenario, one qti-assessment-test.

See docs/formats/qti30.md for the mapping of every question type and feature.
"""

from __future__ import annotations

from packager.capabilities import Feature, FidelityNote, Loss, not_carried
from packager.model import Bank
from packager.packages import imscp
from packager.packages.base import Job, Output
from packager.writers import qti30

NAME = "qti30"
SPEC = (
    "1EdTech QTI 3.0 items, stimuli and test in a QTI 3.0 content package (IMS CP 1.2 profile), "
    "https://www.imsglobal.org/spec/qti/v3p0/impl"
)
EXTENSION = "zip"
# Every canonical type has a QTI 3.0 construct; what differs is below (docs/formats/qti30.md).
LOSSES: dict[Feature, Loss] = {
    **not_carried(Feature.OBJECTIVES, Feature.AUTHORS, Feature.LICENSE, Feature.BANK_OBJECTIVES),
    Feature.LIST_START: Loss(
        "changed", "a numbered list that starts at another number than 1 is numbered from 1: "
        "QTI's XHTML has no start"
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Losses that depend on values (essay feedback, English true/false labels)."""
    return imscp.fidelity_notes(bank)


def build(job: Job) -> Output:
    return imscp.package(job, qti30.write(job.bank, reuse=True), imscp.QTI30)
