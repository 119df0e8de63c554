"""THE registry of targets. A new format is one module and one line here.

Modules are imported lazily, so `packager --help` stays fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from packager.errors import UsageError


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    summary: str

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("qti12", "packager.packages.qti12", "QTI 1.2, Canvas flavour (Canvas, Brightspace)"),
        Target("qti21", "packager.packages.qti21", "QTI 2.1 content package (Blackboard, TAO, …)"),
        Target("qti30", "packager.packages.qti30", "QTI 3.0 content package"),
        Target("scorm12", "packager.packages.scorm12", "SCORM 1.2 package with a quiz player"),
        Target(
            "scorm2004",
            "packager.packages.scorm2004",
            "SCORM 2004 4th Ed. package with a quiz player",
        ),
        Target("moodle", "packager.packages.moodle", "Moodle XML question file"),
        Target("gift", "packager.packages.gift", "GIFT text for Moodle"),
        Target("aiken", "packager.packages.aiken", "Aiken text (single choice only)"),
        Target("blackboard", "packager.packages.blackboard", "Blackboard Learn pool package"),
        Target("cc", "packager.packages.cc", "IMS Common Cartridge 1.1 (Moodle restore, Canvas)"),
    )
}

ALIASES: dict[str, str] = {"qti": "qti12", "scorm": "scorm12"}


def resolve(names: str) -> list[Target]:
    """Targets for a comma list of names and aliases, or 'all'."""
    result: list[Target] = []
    for raw in names.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name == "all":
            result.extend(TARGETS.values())
            continue
        name = ALIASES.get(name, name)
        if name not in TARGETS:
            known = ", ".join([*TARGETS, *ALIASES, "all"])
            raise UsageError(f"unknown format {raw.strip()!r}", hints=[f"use one of: {known}"])
        result.append(TARGETS[name])
    if not result:
        raise UsageError("no format given", hints=["e.g. --format qti12,scorm12"])
    return list(dict.fromkeys(result))
