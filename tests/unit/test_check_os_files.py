"""What an OS adds to a zip is no file of the package: macOS's Compress (Finder) adds
`__MACOSX/._imsmanifest.xml`, `__MACOSX/items/._q1.xml` … (AppleDouble: binary, whatever
the name) for each file with extended attributes, and `packager check` called each "not
well-formed XML" and the package INVALID."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

import packager
from packager.formats import READERS
from packager.importing import detect, read
from packager.package_check import check_package
from packager.readers.base import Source
from tests.cli.test_validate import run
from tests.conftest import xsd_dir

BANK = {"format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
    {"id": "q1", "type": "true_false", "prompt": "Is the sky blue?", "answer": True}]}
FORMATS = ["qti12", "qti21", "qti30", "scorm12", "scorm2004", "cc", "blackboard"]


def appledouble() -> bytes:
    """An AppleDouble file as macOS writes one: magic, version, filler, two entries (Finder
    info with the extended attributes, an empty resource fork)."""
    attributes = b"ATTR" + b"\x00" * 30 + b"com.apple.quarantine\x00" + b"0083;65f0a1b2;Safari;"
    header = b"\x00\x05\x16\x07\x00\x02\x00\x00" + b"Mac OS X        " + struct.pack(">H", 2)
    entries = struct.pack(">III", 9, 50, 32 + len(attributes))
    entries += struct.pack(">III", 2, 82 + len(attributes), 0)
    return header + entries + b"\x00" * 32 + attributes


def compressed_on_a_mac(package: bytes) -> bytes:
    """The package's files compressed by Finder: the files, each folder an entry, and each
    file's AppleDouble under `__MACOSX/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        names = [n for n in source.namelist() if not n.endswith("/")]
        folders = sorted({n.rpartition("/")[0] + "/" for n in names if "/" in n})
        for folder in folders:
            target.writestr(folder, b"")
        for name in names:
            target.writestr(name, source.read(name))
        target.writestr("__MACOSX/", b"")
        for folder in folders:
            target.writestr(f"__MACOSX/{folder}", b"")
        for name in names:
            folder, _, base = name.rpartition("/")
            target.writestr(f"__MACOSX/{folder}{'/' if folder else ''}._{base}", appledouble())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bank")
    artifacts = packager.export(BANK, FORMATS, base_dir=folder, validate_output=False)
    paths = {}
    for artifact in artifacts:
        path = folder / artifact.name
        path.write_bytes(artifact.data)
        paths[artifact.name.split(".")[-2]] = path
    return paths


@pytest.mark.parametrize("package_format", FORMATS)
def test_a_package_compressed_by_finder_checks_as_the_package(
    packages: dict[str, Path], package_format: str, tmp_path: Path
) -> None:
    original = packages[package_format]
    on_a_mac = tmp_path / original.name
    on_a_mac.write_bytes(compressed_on_a_mac(original.read_bytes()))
    checked = check_package(on_a_mac, xsd_dir())
    assert checked.ok, checked.to_json()
    expected = check_package(original, xsd_dir())
    assert expected.ok and expected.os_files == []
    assert (checked.kind, checked.files) == (expected.kind, expected.files)
    assert "__MACOSX/._imsmanifest.xml" in checked.os_files
    assert all(name.startswith("__MACOSX/") for name in checked.os_files)
    if package_format in READERS:  # an import reads it as it reads the package
        source = Source(on_a_mac.name, on_a_mac.read_bytes(), tmp_path)
        assert detect(source) == package_format
        assert len(read(source, package_format).bank.questions) == 1


def test_check_notes_the_entries_it_left_unchecked(
    packages: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "quiz.zip"
    path.write_bytes(compressed_on_a_mac(packages["qti21"].read_bytes()))
    code, out, _ = run(["check", "--xsd-dir", str(xsd_dir()), str(path)], capsys)
    assert code == 0, out
    assert out.splitlines()[1] == (
        "  note: 3 entries are what macOS or Windows adds to a zip, not checked: "
        "__MACOSX/._b.xml, __MACOSX/._imsmanifest.xml, …")
    code, out, _ = run(["check", "--xsd-dir", str(xsd_dir()), str(packages["qti21"])], capsys)
    assert code == 0 and "note:" not in out


def test_appledouble_files_beside_the_package_s_own_are_left_unchecked(tmp_path: Path) -> None:
    """`zip -r` on a USB drive or a network share, where macOS keeps extended attributes in
    `._name` beside each file; `.DS_Store`, `Thumbs.db` likewise."""
    buffer = io.BytesIO()
    manifest = (b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m">'
                b"<organizations/><resources/></manifest>")
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr("._imsmanifest.xml", appledouble())
        archive.writestr("items/._q1.xml", appledouble())
        archive.writestr("items/Thumbs.db", b"\xd0\xcf\x11\xe0")
        archive.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
    path = tmp_path / "p.zip"
    path.write_bytes(buffer.getvalue())
    checked = check_package(path, None)
    assert checked.ok, checked.to_json()
    assert checked.os_files == [".DS_Store", "._imsmanifest.xml", "items/._q1.xml",
                                "items/Thumbs.db"]


@pytest.mark.parametrize("name", ["items/._q1.xml", "__MACOSX/q1.xml"])
def test_a_package_file_named_as_os_litter_is_checked(
    packages: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """Only AppleDouble's header makes such a name litter: a broken XML file of the package
    so named (which its manifest may reference, and an LMS then reads) is no longer waved
    through as "what an OS adds"."""
    with zipfile.ZipFile(packages["qti21"]) as source:
        files = {n: source.read(n) for n in source.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in {**files, name: b"<assessmentItem"}.items():
            archive.writestr(entry, data)
    path = tmp_path / "quiz.zip"
    path.write_bytes(buffer.getvalue())
    checked = check_package(path, xsd_dir())
    assert not checked.ok and name not in checked.os_files
    assert any(f.path == name and f.problems for f in checked.files), checked.to_json()


@pytest.mark.parametrize("name", ["items/._q1.xml", "__MACOSX/items/._q1.xml"])
def test_an_appledouble_file_the_manifest_references_is_checked_not_waved_through(
    packages: dict[str, Path], tmp_path: Path, name: str
) -> None:
    """AppleDouble's header makes an entry litter only while the package does not use it: an
    item the manifest points at is what an LMS reads (a manifest written from a Mac folder's
    listing takes its `._q1.xml` too), so binary there is a broken item, not "what an OS
    adds"."""
    with zipfile.ZipFile(packages["qti21"]) as source:
        files = {n: source.read(n) for n in source.namelist()}
    manifest = files.pop("imsmanifest.xml").replace(b'"items/q1.xml"', f'"{name}"'.encode())
    del files["items/q1.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, data in {"imsmanifest.xml": manifest, **files, name: appledouble()}.items():
            archive.writestr(entry, data)
    path = tmp_path / "quiz.zip"
    path.write_bytes(buffer.getvalue())
    checked = check_package(path, xsd_dir())
    assert not checked.ok and name not in checked.os_files, checked.to_json()
    assert any(f.path == name and f.problems for f in checked.files), checked.to_json()
