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
    schemas: tuple[str, ...] = ()  # XSD keys its parts use (compiled ahead of parallel builds)
    cost: float = 1.0  # relative build time per question (bench/bench.py), to schedule builds
    # Work it shares with the other targets of the same name here: a build runs such targets
    # of one bank in one worker, one after another, and does that work once ("player": the
    # quiz player's data, packages/player.py).
    shares: str = ""

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


_T = Target
TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        _T("qti12", "packager.packages.qti12", "QTI 1.2, Canvas flavour (Canvas, Brightspace)",
           ("qti12", "canvas"), 1.5),
        _T("qti21", "packager.packages.qti21", "QTI 2.1 content package (Blackboard, TAO, …)",
           ("qti21", "imscp"), 2.6),
        _T("qti30", "packager.packages.qti30", "QTI 3.0 content package",
           ("qti30", "qti30-manifest"), 2.7),
        _T("scorm12", "packager.packages.scorm12", "SCORM 1.2 package with a quiz player",
           ("scorm12",), 1.0, "player"),
        _T("scorm2004", "packager.packages.scorm2004",
           "SCORM 2004 4th Ed. package with a quiz player", ("scorm2004",), 1.0, "player"),
        _T("moodle", "packager.packages.moodle", "Moodle XML question file", ("moodle",), 1.15),
        _T("gift", "packager.packages.gift", "GIFT text for Moodle", (), 0.75),
        _T("aiken", "packager.packages.aiken", "Aiken text (single choice only)", (), 0.45),
        _T("blackboard", "packager.packages.blackboard", "Blackboard Learn pool package", (),
           2.6),
        _T("bbtext", "packager.packages.bbtext", "Blackboard Learn Upload Questions text",
           (), 0.5),
        _T("cc", "packager.packages.cc", "IMS Common Cartridge 1.1 (Moodle restore, Canvas)",
           ("cc11", "cc11-qti"), 1.5),
        _T("html", "packager.packages.html", "HTML practice quiz in one self-contained file (no LMS)",
           (), 1.25, "player"),
    )
}  # fmt: skip

@dataclass(frozen=True)
class Reader:
    name: str
    module: str  # has detect(data) -> bool and read(Source) -> Imported (or a Bank)
    title: str  # what `import` says it read the file as


# Readers: foreign formats → Bank (`packager import --from NAME`), in the order `--from auto`
# asks them: packages and XML first, the plain-text layout (the most forgiving) last. The
# canonical JSON reader is packager.readers.canonical, used by every command that reads banks.
AUTO = "auto"  # `import --from auto`: each reader's detect() asked in this order
READERS: dict[str, Reader] = {
    r.name: r
    for r in (
        Reader("moodle", "packager.readers.moodle", "Moodle XML"),
        Reader("qti21", "packager.readers.qti21", "QTI 2.1"),
        Reader("qti30", "packager.readers.qti30", "QTI 3.0"),
        Reader("cc", "packager.readers.cc", "an IMS Common Cartridge"),
        Reader("blackboard", "packager.readers.blackboard", "a Blackboard Learn package"),
        Reader("qti12", "packager.readers.qti12", "QTI 1.2 (Canvas)"),
        Reader("bbtext", "packager.readers.bbtext", "Blackboard Upload Questions text"),
        Reader("aiken", "packager.readers.aiken", "Aiken"),
        Reader("gift", "packager.readers.gift", "GIFT"),
        Reader("text", "packager.readers.text", "the plain-text layout"),
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
            from packager.suggest import did_you_mean

            known = [*TARGETS, *ALIASES, "all"]
            raise UsageError(
                f"unknown format {raw.strip()!r}{did_you_mean(name, known)}",
                hints=[f"use one of: {', '.join(known)}"],
            )
        result.append(TARGETS[name])
    if not result:
        raise UsageError("no format given", hints=["e.g. --format qti12,scorm12"])
    return list(dict.fromkeys(result))
