"""Check any package (ours or another tool's): every XML file against the XSD its root names,
manifest references, the files QTI 2.x and 3.0 items show, and the Canvas rules for
Canvas-flavour QTI 1.2 packages."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote

from packager.errors import PackagerIOError
from packager.xml import ns

if TYPE_CHECKING:
    from packager.packages.base import ChildReports

# (root namespace, local name) → schema key. Manifests are decided by _manifest_key.
ROOT_SCHEMAS: dict[tuple[str, str], str] = {
    (ns.QTI12, "questestinterop"): "qti12",
    (ns.QTI21, "assessmentItem"): "qti21",
    (ns.QTI21, "assessmentTest"): "qti21",
    ("http://www.imsglobal.org/xsd/imsqti_v2p2", "assessmentItem"): "qti22",
    ("http://www.imsglobal.org/xsd/imsqti_v2p2", "assessmentTest"): "qti22",
    (ns.QTI30, "qti-assessment-item"): "qti30",
    (ns.QTI30, "qti-assessment-test"): "qti30",
    (ns.QTI30, "qti-assessment-stimulus"): "qti30",
    (ns.QTI30, "qti-assessment-section"): "qti30",
    (ns.CANVAS, "quiz"): "canvas",
}
CANVAS_ASSESSMENT = "imsqti_xmlv1p2"
CANVAS_META = "associatedcontent/imscc_xmlv1p1/learning-application-resource"


@dataclass
class FileResult:
    path: str
    schema: str | None
    problems: list[str] = field(default_factory=list)


@dataclass
class CheckResult:
    package: str
    kind: str
    files: list[FileResult] = field(default_factory=list)
    package_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.package_problems and not any(f.problems for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "kind": self.kind,
            "ok": self.ok,
            "package_problems": self.package_problems,
            "files": [
                {"path": f.path, "schema": f.schema, "problems": f.problems} for f in self.files
            ],
        }


def read_package(path: Path) -> Mapping[str, bytes]:
    """A package's files: an XML file alone, or a zip's entries read on access, under the
    limits and checks every package from a stranger gets (readers/safe_zip.py: names, links,
    entry count, sizes, zip bombs, a damaged entry) as InputError."""
    from packager.readers.safe_zip import Archive

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackagerIOError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if path.suffix.lower() == ".xml":
        return {path.name: data}
    if not data.startswith(b"PK"):  # a bank, a text file: no package to call damaged
        from packager.errors import InputError

        raise InputError(
            f"{path}: not a package (a .zip or .imscc archive, or an .xml document)",
            hints=["packager check checks packages; a bank is checked by packager validate"])
    return Archive(data, path.as_posix())


def _root(data: bytes) -> Any:
    """The root element, parsed safely; the checks never read the indentation."""
    from packager.xml.serialize import parse_bytes

    return parse_bytes(data, keep_blank_text=False).getroot()


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        uri, local = tag[1:].split("}", 1)
        return uri, local
    return "", tag


# A Blackboard package's resource names its file so (packages/blackboard.py writes it).
_BB_FILE = "{http://www.blackboard.com/content-packaging/}file"

def _manifest_kind(root: Any) -> tuple[str, str | None]:
    """(package kind, schema key or None for structural checks only)."""
    uri, _ = _split(root.tag)
    if uri == ns.SCORM12_CP:
        return "scorm12", "scorm12"
    if uri == ns.QTI30_CP:
        return "qti30", "qti30-manifest"
    if uri == ns.CC11_CP:
        types = {r.get("type") for r in root.iter(f"{{{uri}}}resource")}
        if CANVAS_ASSESSMENT in types and CANVAS_META in types:
            return "canvas-qti12", None  # Canvas's own layout, not a CC 1.1 profile document
        return "cc11", "cc11"
    if uri == "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1":
        return "cc13", "cc13"
    if uri == ns.IMSCP11:
        # Text by text: a manifest's text joined is one more copy of it (29 MB for 10,000 items).
        marked = any("2004" in text for text in root.itertext())
        if marked and any(ns.SCORM2004_ADLCP in str(v) for v in root.nsmap.values()):
            return "scorm2004", "scorm2004"
        return "imscp", "imscp"
    if not uri and any(r.get(_BB_FILE) for r in root.iter("resource")):
        return "blackboard", None  # no XSD: its .dat files are checked for well-formedness
    return "unknown", None


def _blackboard_files(root: Any, files: Mapping[str, bytes]) -> list[str]:
    """Every file a Blackboard manifest's resource names (`bb:file`) must be in the package."""
    return [f"imsmanifest.xml: resource file {name!r} is not in the package"
            for r in root.iter("resource") if (name := r.get(_BB_FILE)) and name not in files]


def check_package(path: Path, xsd_dir: Path | None) -> CheckResult:
    files = read_package(path)
    # `/` between folders on every system: the name is in `check --format json`'s report.
    return check_files(path.as_posix(), files, xsd_dir,
                       is_document=path.suffix.lower() == ".xml")


def structural_problems(
    name: str,
    data: bytes | IO[bytes],
    is_document: bool,
    built: Mapping[str, ChildReports] | None = None,
) -> list[str]:
    """What `check` finds in a just-built package besides its XSDs (which the build already
    checked): manifest references to missing files, and the Canvas rules. A package-level
    bug then fails the export, not the LMS import. `built`: the assembler's reports on the
    children of streamed documents (Assembled.reports), checked instead of their bytes.
    `data`: the package's bytes, or a seekable file holding them."""
    from packager.archive import ZipEntries

    if is_document:
        return []
    result = check_files(
        name, ZipEntries(data), None, is_document=False, validate=False, built=built
    )
    return result.package_problems + [p for f in result.files for p in f.problems]


def check_files(
    package: str,
    files: Mapping[str, bytes],
    xsd_dir: Path | None,
    *,
    is_document: bool,
    validate: bool = True,
    built: Mapping[str, ChildReports] | None = None,
) -> CheckResult:
    result = CheckResult(package, "xml")
    manifest = files.get("imsmanifest.xml")
    qti_key_override: str | None = None
    if manifest is not None:
        try:
            root = _root(manifest)
        except Exception as exc:
            result.package_problems.append(f"imsmanifest.xml: not well-formed XML: {exc}")
            root = None
        if root is not None:
            result.kind, key = _manifest_kind(root)
            if result.kind == "cc11":
                qti_key_override = "cc11-qti"
            if result.kind == "cc13":
                qti_key_override = "cc13-qti"
            if result.kind == "blackboard":
                result.package_problems.extend(_blackboard_files(root, files))
            elif result.kind != "canvas-qti12":  # canvas_rules checks its references
                result.package_problems.extend(_manifest_references(root, files))
            if validate:
                result.files.append(_validate("imsmanifest.xml", manifest, key, xsd_dir))
    elif not is_document:
        result.kind = "zip"
        result.package_problems.append("no imsmanifest.xml at the root of the package")
    if validate and not is_document:
        result.package_problems.extend(_unportable_entries(files))
    for name in sorted(files) if validate else ():
        if name == "imsmanifest.xml" or not name.lower().endswith(
                (".xml", ".dat") if result.kind == "blackboard" else ".xml"):
            continue
        data = files[name]
        try:
            root = _root(data)
        except Exception as exc:
            result.files.append(FileResult(name, None, [f"{name}: not well-formed XML: {exc}"]))
            continue
        key = ROOT_SCHEMAS.get(_split(root.tag))
        if key == "qti12" and qti_key_override:
            key = qti_key_override
        if key is None and is_document:
            result.files.append(_unknown_document(result, name, root))
            continue
        checked = _validate(name, data, key, xsd_dir)
        if key in _ITEM_SCHEMAS and not is_document:
            checked.problems.extend(_missing_media(name, root, files))
        result.files.append(checked)
    if result.kind == "canvas-qti12":
        from packager.packages.canvas_rules import canvas_problems

        result.package_problems.extend(canvas_problems(files, built))
    return result


def _unportable_entries(files: Mapping[str, bytes]) -> list[str]:
    """Entry names an unzip on Windows or macOS cannot give a file each: one Windows cannot
    store (`week:1.png`, `con.png`), or two that are one file there (`Image.png`, `image.png`),
    one replacing the other unseen (portability review 32: `check` said "ok")."""
    from packager.relpath import relpath_problem, same_file_key

    problems: list[str] = []
    seen: dict[str, str] = {}
    for name in sorted(files):
        problem = relpath_problem(name)
        if problem is not None:
            problems.append(f"{name}: the entry name {problem}")
        twin = seen.setdefault(same_file_key(name), name)
        if twin != name:
            problems.append(f"{name}: the entries {twin!r} and {name!r} are one file on "
                            "Windows and macOS: unzipped there, one replaces the other")
    return problems


# QTI 2.x and 3.0 documents, whose images and objects name files of the package.
_ITEM_SCHEMAS = frozenset({"qti21", "qti22", "qti30"})


def _missing_media(name: str, root: Any, files: Mapping[str, bytes]) -> list[str]:
    """Each image or object a QTI document shows whose file is not in the package (the
    manifest may not list it either: then nothing else finds it missing)."""
    problems = []
    folder = PurePosixPath(name).parent
    for element in root.iter():
        for attribute in ("src", "data"):
            reference = element.get(attribute)
            if not reference or ":" in reference.split("/", 1)[0] or reference.startswith("/"):
                continue  # none, an address (http:, data:) or absolute: not the package's
            path = posixpath.normpath(str(folder / unquote(reference.split("#")[0])))
            if path not in files:
                problems.append(f"{name}: <{_split(element.tag)[1]} {attribute}="
                                f"{reference!r}> names {path!r}, which is not in the package")
    return problems


def _unknown_document(result: CheckResult, name: str, root: Any) -> FileResult:
    """An XML file given alone whose root no schema here covers. Moodle XML has no official
    XSD, and packager's own (which its export checks) knows only what packager writes, not
    every element Moodle does: not checked, and said so. Anything else is no package."""
    uri, local = _split(root.tag)
    if (uri, local) == ("", "quiz"):
        result.kind = "moodle-xml"
        return FileResult(name, None, [])
    return FileResult(name, None, [
        f"{name}: <{local}> is the root of no package format packager checks (QTI 1.2, 2.x or "
        "3.0 documents and Canvas's quiz metadata alone, packages as .zip or .imscc)"])


def _validate(name: str, data: bytes, key: str | None, xsd_dir: Path | None) -> FileResult:
    from packager import xsd

    if key is None:
        return FileResult(name, None, [])
    if xsd.needs_xsd_dir(key) and xsd_dir is None:
        return FileResult(name, key, [])
    errors = xsd.validate_bytes(key, data, name, xsd_dir)
    return FileResult(name, key, [str(e) for e in errors[:25]])


def _manifest_references(root: Any, files: Mapping[str, bytes]) -> list[str]:
    """Every <file href> and resource href must exist in the package; no external URLs."""
    problems: list[str] = []
    for element in root.iter("{*}file", "{*}resource"):
        _, local = _split(element.tag)
        href = element.get("href")
        if not href:
            continue
        if "://" in href:
            problems.append(f"imsmanifest.xml: external URL {href!r} (packages must be offline)")
            continue
        base = _xml_base(element)
        full = str(PurePosixPath(base) / href) if base else href
        full = unquote(full)  # an href is a URL reference: "50%25.png" names the file 50%.png
        if full not in files:
            problems.append(f"imsmanifest.xml: {local} href {full!r} is not in the package")
    return problems


def _xml_base(element: Any) -> str:
    parts: list[str] = []
    node = element
    while node is not None:
        base = node.get(f"{{{ns.XML}}}base")
        if base:
            parts.append(base)
        node = node.getparent()
    return "".join(reversed(parts))
