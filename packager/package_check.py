"""Check any package (ours or another tool's): every XML file against the XSD its root names,
manifest references, the files QTI 2.x and 3.0 items show, and the Canvas rules for
Canvas-flavour QTI 1.2 packages."""

from __future__ import annotations

import io
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
    # What an OS adds to a zip (`__MACOSX/._q1.xml`), left unchecked: safe_zip.is_os_litter
    os_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.package_problems and not any(f.problems for f in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "kind": self.kind,
            "ok": self.ok,
            "package_problems": self.package_problems,
            "os_files": self.os_files,
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
    return Archive(data, path.as_posix(), in_folder=False)  # as LMSes read it: from its root


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


def _read_manifest(
    source: IO[bytes], files: Mapping[str, bytes]
) -> tuple[str, str | None, list[str], set[str]]:
    """The manifest's package kind, its schema key (None: structural checks only), its
    problems (references to files not in the package, external URLs, a Blackboard resource's
    missing file) and the files it references.

    Read as a stream, each resource emptied once read: the manifest of a 10,000-item QTI
    2.x package is 8 MB, and as one tree it took its export's self-check 57 MB more."""
    from lxml import etree

    events = etree.iterparse(
        source, events=("start",), tag=("{*}file", "{*}resource"), no_network=True,
        resolve_entities=False, load_dtd=False, huge_tree=True, remove_blank_text=True,
    )
    uri: str | None = None
    whole = False  # SCORM 2004's manifest (one resource) is kept for its texts
    types: set[str | None] = set()  # the resources' types (CC 1.1)
    bb_files: list[str | None] = []  # the files of resources without a namespace (Blackboard)
    references: list[str] = []  # external URLs, files not in the package
    named: set[str] = set()  # the files referenced
    previous = None  # the resource before this one: read, so emptied
    for _, element in events:
        if uri is None:
            root = element.getroottree().getroot()
            uri = _split(root.tag)[0]
            whole = _declares_scorm2004(root)
        tag = element.tag
        local = _split(tag)[1]
        if local == "resource":
            if tag == f"{{{uri}}}resource":
                types.add(element.get("type"))
            if tag == "resource":
                bb_files.append(element.get(_BB_FILE))
            # A resource after another (never one inside it) is read: empty that one.
            if previous is not None and not whole and previous.getparent() is element.getparent():
                previous.clear(keep_tail=True)
            previous = element
        href = element.get("href")
        if href:
            if "://" in href:
                references.append(f"imsmanifest.xml: external URL {href!r} (packages must "
                                  "be offline)")
            else:
                full = _referenced(href, _xml_base(element))
                named.add(full)
                if full not in files:
                    references.append(f"imsmanifest.xml: {local} href {full!r} is not in "
                                      "the package")
    root = events.root
    if uri is None:
        uri = _split(root.tag)[0]
    # Text by text: a manifest's text joined is one more copy of it.
    scorm2004 = _declares_scorm2004(root) and any("2004" in t for t in root.itertext())
    kind, key = _manifest_kind(uri, types, scorm2004, any(bb_files))
    named.update(name for name in bb_files if name)
    if kind == "blackboard":
        problems = [f"imsmanifest.xml: resource file {name!r} is not in the package"
                    for name in bb_files if name and name not in files]
    elif kind == "canvas-qti12":  # canvas_rules checks its references
        problems = []
    else:
        problems = references
    return kind, key, problems, named


def _declares_scorm2004(root: Any) -> bool:
    return any(ns.SCORM2004_ADLCP in str(v) for v in root.nsmap.values())


def _manifest_kind(
    uri: str, types: set[str | None], scorm2004: bool, bb_files: bool
) -> tuple[str, str | None]:
    """(package kind, schema key or None for structural checks only), from the root's
    namespace, the resources' types (CC 1.1), whether an IMS CP 1.1 manifest is SCORM 2004's
    (its ADL namespace declared and some text saying 2004), and whether resources without a
    namespace name files as Blackboard's do."""
    if uri == ns.SCORM12_CP:
        return "scorm12", "scorm12"
    if uri == ns.QTI30_CP:
        return "qti30", "qti30-manifest"
    if uri == ns.CC11_CP:
        if CANVAS_ASSESSMENT in types and CANVAS_META in types:
            return "canvas-qti12", None  # Canvas's own layout, not a CC 1.1 profile document
        return "cc11", "cc11"
    if uri == "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1":
        return "cc13", "cc13"
    if uri == ns.IMSCP11:
        return ("scorm2004", "scorm2004") if scorm2004 else ("imscp", "imscp")
    if not uri and bb_files:
        return "blackboard", None  # no XSD: its .dat files are checked for well-formedness
    return "unknown", None


def _manifest_stream(files: Mapping[str, bytes], manifest: bytes | None) -> IO[bytes]:
    """The manifest to read: its bytes when they are at hand, else decompressed as read."""
    from packager.archive import ZipEntries

    if manifest is None and isinstance(files, ZipEntries):
        return files.stream("imsmanifest.xml")
    return io.BytesIO(files["imsmanifest.xml"] if manifest is None else manifest)


def _syntax_error(
    files: Mapping[str, bytes], manifest: bytes | None, streamed: Exception
) -> Exception:
    """The manifest's syntax error as a parse of it whole tells it (what that parse raises,
    as the check did before it read a stream): read as a stream, lxml loses some errors'
    place (an undefined entity is 'no element found (line 0)')."""
    try:
        _root(files["imsmanifest.xml"] if manifest is None else manifest)
    except Exception as whole:
        return whole
    return streamed


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
    from lxml import etree

    result = CheckResult(package, "xml")
    manifest = files.get("imsmanifest.xml") if validate else None  # bytes to validate
    qti_key_override: str | None = None
    os_files: set[str] = set()
    referenced: set[str] = set()
    if "imsmanifest.xml" in files:
        try:
            with _manifest_stream(files, manifest) as stream:
                result.kind, key, problems, referenced = _read_manifest(stream, files)
        except etree.XMLSyntaxError as exc:
            told = _syntax_error(files, manifest, exc)
            result.package_problems.append(f"imsmanifest.xml: not well-formed XML: {told}")
        else:
            if result.kind == "cc11":
                qti_key_override = "cc11-qti"
            if result.kind == "cc13":
                qti_key_override = "cc13-qti"
            result.package_problems.extend(problems)
            if manifest is not None:
                result.files.append(_validate("imsmanifest.xml", manifest, key, xsd_dir))
    elif not is_document:
        result.kind = "zip"
        result.package_problems.append("no imsmanifest.xml at the root of the package")
    if validate and not is_document:
        # macOS's Compress adds `__MACOSX/._q1.xml` (binary) for each file with extended
        # attributes: no package's file, and LMSes read a package by its manifest; so what
        # the manifest references is the package's, however it is named and whatever it holds.
        os_files = {name for name in files
                    if name not in referenced and _os_added(name, files)}
        result.os_files = sorted(os_files)
        result.package_problems.extend(_unportable_entries(files, os_files))
    for name in sorted(files) if validate else ():
        if name == "imsmanifest.xml" or not name.lower().endswith(
                (".xml", ".dat") if result.kind == "blackboard" else ".xml"):
            continue
        if name in os_files:
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


# RFC 1740's AppleDouble header, which every `._name` file macOS writes starts with.
_APPLE_DOUBLE = b"\x00\x05\x16\x07"


def _os_added(name: str, files: Mapping[str, bytes]) -> bool:
    """Whether an entry is what an OS adds (safe_zip.is_os_litter) and so left unchecked: a
    `._name` or `__MACOSX/` entry only with AppleDouble's header, since a package's own file
    may be so named (`items/._q1.xml`, which its manifest can reference) and is checked."""
    from packager.readers.safe_zip import is_os_litter

    if not is_os_litter(name):
        return False
    apple = name.startswith("__MACOSX/") or name.rpartition("/")[2].startswith("._")
    return not apple or files[name].startswith(_APPLE_DOUBLE)


def _unportable_entries(files: Mapping[str, bytes], os_files: set[str]) -> list[str]:
    """Entry names an unzip on Windows or macOS cannot give a file each: one Windows cannot
    store (`week:1.png`, `con.png`), or two that are one file there (`Image.png`, `image.png`),
    one replacing the other unseen (portability review 32: `check` said "ok"). What an OS
    added (`os_files`) is no file of the package: its names follow the package's."""
    from packager.relpath import relpath_problem, same_file_key

    problems: list[str] = []
    seen: dict[str, str] = {}
    for name in sorted(files):
        if name in os_files:
            continue
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


def _referenced(href: str, base: str) -> str:
    """The file a manifest's local href (under the xml:base `base`) names."""
    full = str(PurePosixPath(base) / href) if base else href
    return unquote(full)  # an href is a URL reference: "50%25.png" names the file 50%.png


def _xml_base(element: Any) -> str:
    parts: list[str] = []
    node = element
    while node is not None:
        base = node.get(f"{{{ns.XML}}}base")
        if base:
            parts.append(base)
        node = node.getparent()
    return "".join(reversed(parts))
