"""Target `blackboard`: the Blackboard Learn pool package, laid out as Blackboard exports it.

    imsmanifest.xml    manifest (no namespace; bb: attributes), two resources:
    res00001.dat       the pool: questestinterop (writers/blackboard.py), type assessment/x-bb-qti-pool
    res00001/…         the bank's images, listed as <file> children of the pool resource
    res00002.dat       the course-context resource (parentContextInfo), type resource/x-mhhe-course-cx
    .bb-package-info   the Java properties file Blackboard writes into every export

There is no XSD for any of these files (Blackboard publishes none), so every part has schema None;
tests/unit/packages/test_blackboard.py checks them against the structure of real exports.
See docs/formats/blackboard.md for the exports this layout follows.
"""

from __future__ import annotations

import time
from pathlib import PurePosixPath

from lxml import etree

from packager.capabilities import (
    Feature,
    FidelityNote,
    Loss,
    not_carried,
    quiz_settings_not_carried,
    stimulus_copied,
)
from packager.model import Bank
from packager.model import questions as m
from packager.model.ids import digest
from packager.packages.base import Job, Output
from packager.writers.blackboard import pool
from packager.xml.serialize import to_bytes

NAME = "blackboard"
SPEC = (
    "Blackboard Learn pool package (Content Exchange 6.0, as exported by Learn 9.1 / SaaS; "
    "no public specification: https://help.blackboard.com/Learn/Instructor/Original/"
    "Tests_Pools_Surveys/Orig_Reuse_Questions/Question_Pools)"
)
EXTENSION = "zip"
# Blackboard publishes no schema for any file of the package (tests/test_targets.py reads this).
NO_XSD = True

BB_NS = "http://www.blackboard.com/content-packaging/"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
POOL_TYPE = "assessment/x-bb-qti-pool"
CONTEXT_TYPE = "resource/x-mhhe-course-cx"

LOSSES: dict[Feature, Loss] = {
    **stimulus_copied("A Blackboard pool"),
    **quiz_settings_not_carried("a Blackboard pool", "the Blackboard test"),
    Feature.TEXT: Loss("unsupported", "a Blackboard pool has no text-only item type"),
    Feature.EXPLANATION: Loss(
        "changed",
        "Blackboard has no neutral feedback: the explanation is appended to both the correct "
        "and the incorrect feedback",
    ),
    Feature.PARTIAL_CREDIT: Loss(
        "changed",
        "partial credit becomes Blackboard's per-answer percentages (±100/number of correct "
        "answers); Blackboard applies its own rounding and floor",
    ),
    Feature.PART_CREDIT: Loss(
        "changed", "written with Blackboard's partial credit off, so scored all or nothing: a "
        "partly right answer earns 0 (turn on Allow Partial Credit in the question after import "
        "to give each right pair or blank its share, as the quiz player, QTI and Moodle do)"
    ),
    Feature.PINNED_CHOICE: Loss(
        "changed",
        "Blackboard randomises all answers of a question or none; a pinned choice may move",
    ),
    Feature.UNIT: Loss("changed", "Blackboard's Numeric has no unit: it is shown after the prompt"),
    Feature.RUBRIC: Loss(
        "changed", "the rubric is written as plain text into the question's instructor notes"
    ),
    Feature.IMAGE: Loss(
        "changed",
        "images are packaged in res00001/ and linked relatively; check them after import, "
        "Blackboard may need them re-attached",
    ),
    Feature.TAGS: Loss("dropped", "question tags are not carried (pools have no keywords)"),
    Feature.SECTION_PICK: Loss(
        "dropped", "a pool has no sections: every question is in the pool, random picks are lost"
    ),
    **not_carried(
        Feature.OBJECTIVES,
        Feature.SECTION_TITLES,
        Feature.AUTHORS,
        Feature.LICENSE,
        Feature.BANK_TAGS,
        Feature.BANK_OBJECTIVES,
    ),
}


def extra_fidelity(bank: Bank) -> list[FidelityNote]:
    """Value-dependent losses: per-choice feedback of Multiple Answer questions."""
    return [
        FidelityNote(
            q.id, Feature.CHOICE_FEEDBACK.value, "dropped",
            "Blackboard's Multiple Answer has no per-answer feedback",
        )
        for q in bank.questions
        if isinstance(q, m.MultipleResponse) and any(c.feedback for c in q.choices)
    ]


def manifest(title: str, media: list[str]) -> etree._Element:
    root = etree.Element("manifest", {"identifier": "man00001"}, nsmap={"bb": BB_NS})
    etree.SubElement(root, "organizations")
    resources = etree.SubElement(root, "resources")
    for ident, rtype in (("res00001", POOL_TYPE), ("res00002", CONTEXT_TYPE)):
        resource = etree.SubElement(resources, "resource", {
            f"{{{BB_NS}}}file": f"{ident}.dat",
            f"{{{BB_NS}}}title": title,
            "identifier": ident,
            "type": rtype,
            XML_BASE: ident,
        })
        if ident == "res00001":
            for href in media:
                etree.SubElement(resource, "file", {"href": href})
    return root


def context(bank: Bank) -> etree._Element:
    root = etree.Element("parentContextInfo")
    etree.SubElement(root, "parentContextId").text = bank.id
    return root


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def package_info(bank: Bank, epoch: int) -> bytes:
    """The `.bb-package-info` Java properties file (header date from the build context)."""
    # Java's Date.toString() in English whatever the C locale (strftime's %a and %b follow
    # LC_TIME, which a program using packager's API may have set).
    t = time.gmtime(epoch)
    stamp = (f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} "
             f"{time.strftime('%d %H:%M:%S', t)} UTC {t.tm_year}")
    lines = [
        "#Bb PackageInfo Property File",
        f"#{stamp}",
        "cx.package.info.version=6.0",
        "cx.config.operation=blackboard.apps.cx.CxConfig$Operation\\:EXPORT",
        f"cx.config.course.id={bank.id}",
        f"cx.config.package.identifier={digest(bank.id, bank.version, size=16)}",
        "app.release.number=packager",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(job: Job) -> Output:
    bank = job.bank
    media = [str(PurePosixPath(f.href)) for f in job.media]
    out = Output()
    out.add("imsmanifest.xml", to_bytes(manifest(bank.title, media)), None)
    shell, items = pool(bank)  # streamed: one item at a time (packages/assemble.py)
    out.add_streamed_xml("res00001.dat", shell, None, items)
    out.add("res00002.dat", to_bytes(context(bank)), None)
    out.add(".bb-package-info", package_info(bank, job.ctx.epoch), None)
    for href, data in job.media_bytes().items():
        out.add(f"res00001/{PurePosixPath(href)}", data, None)
    return out
