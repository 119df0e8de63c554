"""`--lms` presets: which formats each LMS imports best, and where to import each file."""

from __future__ import annotations

from packager.errors import UsageError

LMS_TARGETS: dict[str, tuple[str, ...]] = {
    "canvas": ("qti12", "scorm12"),
    "blackboard": ("blackboard", "bbtext", "qti21", "scorm12"),
    "moodle": ("moodle", "scorm12", "cc"),
    "brightspace": ("qti12", "scorm2004"),
}

IMPORT_STEPS: dict[tuple[str, str], str] = {
    ("canvas", "qti12"): "Canvas: Course → Settings → Import Course Content → Content Type "
    "'QTI .zip file' → Choose File → Import (creates a quiz and a question bank)",
    ("canvas", "scorm12"): "Canvas: Course → SCORM (course navigation, enabled by your admin) → "
    "Choose File → Upload → 'Import as Graded Assignment'",
    ("blackboard", "blackboard"): "Blackboard Learn Original: Course Tools → Tests, Surveys, "
    "and Pools → Pools → Import Pool → Browse My Computer → Submit",
    ("blackboard", "bbtext"): "Blackboard Learn Original: a test, survey or pool → Upload "
    "Questions → Browse → Submit (Ultra: a test → Upload questions from a file)",
    ("blackboard", "qti21"): "Blackboard Learn Ultra: Course Content → Question Banks → Import → "
    "choose the QTI 2.1 zip",
    ("blackboard", "scorm12"): "Blackboard Learn: Content Area → Build Content → Content Package "
    "(SCORM) → Browse My Computer → Submit (Ultra: Create → Content Package (SCORM))",
    ("moodle", "moodle"): "Moodle: Course → More → Question bank → Import → File format "
    "'Moodle XML format' → drop the file → Import",
    ("moodle", "scorm12"): "Moodle: Turn editing on → Add an activity or resource → SCORM "
    "package → Package file → Save and display",
    ("moodle", "cc"): "Moodle: Course → More → Restore → Upload the .imscc file → Restore "
    "(Common Cartridge 1.1)",
    ("brightspace", "qti12"): "Brightspace: Course Admin → Import/Export/Copy Components → "
    "Import Components → from a file → choose the zip",
    ("brightspace", "scorm2004"): "Brightspace: Content → a module → Upload/Create → "
    "Add SCORM/xAPI Objects (or Upload Files) → choose the zip",
}


def resolve_lms(names: str) -> list[tuple[str, str]]:
    """(lms, format) pairs for a comma list of LMS names."""
    pairs: list[tuple[str, str]] = []
    for raw in names.split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if name not in LMS_TARGETS:
            from packager.suggest import did_you_mean

            raise UsageError(
                f"unknown LMS {raw.strip()!r}{did_you_mean(name, LMS_TARGETS)}",
                hints=["use one of: " + ", ".join(LMS_TARGETS)],
            )
        pairs.extend((name, fmt) for fmt in LMS_TARGETS[name])
    return pairs
