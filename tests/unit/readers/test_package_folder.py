"""A package zipped together with its folder (`quiz/imsmanifest.xml`, the rest under `quiz/`,
as a file manager's "Compress" makes it) is read as if that folder were the zip's root, as
Moodle finds the manifest in a folder: it was "cannot tell its format"."""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path

import pytest

import packager
from packager.errors import InputError, UsageError
from packager.formats import READERS
from packager.importing import detect, read
from packager.readers.base import Source
from packager.readers.safe_zip import Archive
from tests.unit.readers.qti2_cases import zip_bytes

BANK = {"format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
    {"id": "q1", "type": "true_false", "prompt": "Is the sky blue?", "answer": True}]}


def _in_folder(package: bytes, beside: dict[str, bytes] | None = None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {f"quiz/{n}": archive.read(n) for n in archive.namelist() if not n.endswith("/")}
    return zip_bytes({**files, **(beside or {})})


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("bank")
    artifacts = packager.export(BANK, ["qti12", "qti21", "qti30", "cc", "blackboard"],
                                base_dir=folder, validate_output=False)
    return {a.name.split(".")[-2]: a.data for a in artifacts}


@pytest.mark.parametrize("reader", ["qti12", "qti21", "qti30", "cc", "blackboard"])
def test_a_package_zipped_with_its_folder_is_read_from_that_folder(
    packages: dict[str, bytes], reader: str
) -> None:
    # macOS's Compress adds __MACOSX/ beside the folder; Finder, .DS_Store; a Mac's zip on
    # a USB drive or a network share, the folder's AppleDouble `._quiz`
    data = _in_folder(packages[reader], {"__MACOSX/quiz/._imsmanifest.xml": b"x",
                                         ".DS_Store": b"x", "._quiz": b"x"})
    source = Source("quiz.zip", data, Path("."))
    assert detect(source) == reader
    imported = read(source, reader)
    assert len(imported.bank.questions) == 1
    assert imported.notes[0].message == (
        "the package is read from the zip's folder 'quiz', which holds its imsmanifest.xml, "
        "as if that folder were the zip's root")


@pytest.mark.parametrize("reader", ["auto", "qti12", "qti21", "cc", "blackboard"])
def test_a_manifest_in_a_folder_beside_other_files_is_refused_naming_the_folder(
    packages: dict[str, bytes], reader: str
) -> None:
    data = _in_folder(packages["qti12"], {"readme.txt": b"hello"})
    source = Source("quiz.zip", data, Path("."))
    reading = detect if reader == "auto" else importlib.import_module(READERS[reader].module).read
    with pytest.raises(InputError) as raised:
        reading(source)
    (found,) = raised.value.diagnostics
    assert found.file == "quiz.zip!quiz/imsmanifest.xml"
    assert found.message == ("the package's imsmanifest.xml is in the folder 'quiz', not at "
                             "the zip's root")
    assert found.hint is not None and found.hint.startswith("zip the contents of 'quiz'")


def test_names_read_from_the_folder_are_checked_as_they_then_read() -> None:
    # `quiz/C:/x.png` is clean in the zip and a Windows drive once `quiz/` is the root
    data = zip_bytes({"quiz/imsmanifest.xml": b"<manifest/>", "quiz/C:/x.png": b"x"})
    with pytest.raises(InputError, match="starts with 'C:', a Windows drive"):
        Archive(data, "quiz.zip")
    # A package checked for LMSes keeps the zip's root
    kept = Archive(zip_bytes({"quiz/imsmanifest.xml": b"<manifest/>"}), "q.zip", in_folder=False)
    assert kept.folder is None and list(kept) == ["quiz/imsmanifest.xml"]


def _renamed(package: bytes, renames: dict[str, str | None]) -> bytes:
    """The package's files, some renamed (None: left out)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {renames.get(n, n): archive.read(n) for n in archive.namelist()}
    return zip_bytes({n: data for n, data in files.items() if n is not None})


@pytest.mark.parametrize("reader", ["auto", "qti21"])
def test_an_error_in_the_folder_names_the_entry_as_the_zip_holds_it(
    packages: dict[str, bytes], reader: str
) -> None:
    """`quiz.zip!imsmanifest.xml:1` named an entry the zip does not hold (it holds
    `quiz/imsmanifest.xml`), and a failed import has no note naming the folder."""
    broken = zip_bytes({"imsmanifest.xml": b"<manifest", "b.xml": b"<x/>"})
    missing = _renamed(packages["qti21"], {"items/q1.xml": None})
    for package, where in [(broken, "quiz.zip!quiz/imsmanifest.xml:1"),
                           (missing, "quiz.zip!quiz/imsmanifest.xml:")]:
        source = Source("quiz.zip", _in_folder(package), Path("."))
        with pytest.raises(InputError) as raised:
            read(source, detect(source) if reader == "auto" else reader)
        (found,) = raised.value.diagnostics
        assert found.location().startswith(where), found.location()
        assert raised.value.message.startswith("quiz.zip!quiz/imsmanifest.xml")


def test_a_note_in_the_folder_names_the_entry_as_the_zip_holds_it(
    packages: dict[str, bytes],
) -> None:
    spelt = _renamed(packages["qti21"], {"items/q1.xml": "Items/q1.xml"})
    imported = read(Source("quiz.zip", _in_folder(spelt), Path(".")), "qti21")
    assert [n.location.file for n in imported.notes] == ["quiz.zip", "quiz.zip!quiz/items/q1.xml"]


@pytest.mark.parametrize("folder", ["__MACOSX", ".DS_Store", "__MACOSX/quiz"])
@pytest.mark.parametrize("reader", ["auto", "qti21"])
def test_a_folder_an_os_adds_is_never_the_package_s(
    packages: dict[str, bytes], folder: str, reader: str
) -> None:
    """A zip whose only manifest is under `__MACOSX/` was read from that folder (with the
    note naming it), or told to zip the contents of `__MACOSX/quiz`: what macOS's Compress
    writes there is `._name` files, never a package."""
    with zipfile.ZipFile(io.BytesIO(packages["qti21"])) as archive:
        data = zip_bytes({f"{folder}/{n}": archive.read(n) for n in archive.namelist()})
    source = Source("quiz.zip", data, Path("."))
    assert Archive(data, "quiz.zip").folder is None
    if reader == "auto":
        with pytest.raises(UsageError, match=r"quiz\.zip: cannot tell its format"):
            detect(source)
    else:
        with pytest.raises(InputError) as raised:
            importlib.import_module(READERS[reader].module).read(source)
        assert str(raised.value).endswith("the package has no file 'imsmanifest.xml'")


def test_a_note_of_a_file_spelt_otherwise_names_the_entry_as_the_zip_holds_it(
    packages: dict[str, bytes],
) -> None:
    """The note named `'Items/q1.xml'`, an entry the zip does not hold (it holds
    `quiz/Items/q1.xml`)."""
    spelt = _renamed(packages["qti21"], {"items/q1.xml": "Items/q1.xml"})
    imported = read(Source("quiz.zip", _in_folder(spelt), Path(".")), "qti21")
    assert imported.notes[1].message == (
        "the file 'items/q1.xml' taken from the package's 'quiz/Items/q1.xml', whose name "
        "differs in letter case")


def test_a_damaged_entry_in_the_folder_is_named_as_the_zip_holds_it() -> None:
    """`quiz.zip: the entry 'imsmanifest.xml' cannot be read`: the zip holds no such entry."""
    manifest = b"<manifest>" + b"<!-- padding -->" * 40 + b"</manifest>"
    zipped = zip_bytes({"quiz/imsmanifest.xml": manifest})
    start = 30 + len("quiz/imsmanifest.xml")  # past the entry's local header and name
    damaged = zipped[:start] + bytes(8) + zipped[start + 8 :]
    archive = Archive(damaged, "quiz.zip")
    assert archive.folder == "quiz"
    with pytest.raises(InputError, match=r"^quiz\.zip: the entry 'quiz/imsmanifest\.xml' "
                       r"cannot be read \("):
        archive["imsmanifest.xml"]
