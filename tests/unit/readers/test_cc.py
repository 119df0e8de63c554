"""The Common Cartridge reader: golden imports of fixtures/inputs/cc, detection, and cartridges
without questions refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import cc, qti12
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

FOLDER = INPUTS / "cc"
# no-assessment.imscc is refused (test_malformed_cartridges_are_refused).
GOLDEN = [c for c in cases("cc", "imscc") if c != "no-assessment"]


@pytest.mark.parametrize("case", GOLDEN)
def test_golden(request: pytest.FixtureRequest, case: str) -> None:
    check_golden(request, "cc", case, "imscc", cc.read)


@pytest.mark.parametrize("case", GOLDEN)
def test_fixtures_are_detected_as_cc_and_not_as_qti12(case: str) -> None:
    data = (FOLDER / f"{case}.imscc").read_bytes()
    assert cc.detect(data)
    assert not qti12.detect(data)


@pytest.mark.parametrize("data", [b"", b"<questestinterop/>", b"PK\x03\x04broken"])
def test_detect_says_no_and_never_raises(data: bytes) -> None:
    assert not cc.detect(data)


@pytest.mark.parametrize(("data", "message"), [
    ((FOLDER / "no-assessment.imscc").read_bytes(), "holds no assessment or question bank"),
    (b"<questestinterop/>", "a cartridge is a zip"),
    ((FOLDER / "cartridge.imscc").read_bytes()[:700], "not a readable zip archive"),
    ((INPUTS / "qti12" / "zip-slip.zip").read_bytes(), "has the segment '..'"),
])
def test_malformed_cartridges_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        cc.read(Source("course.imscc", data, Path(".")))
    assert message in str(caught.value) + " ".join(d.message for d in caught.value.diagnostics)


def test_a_question_bank_resource_without_a_file_is_noted() -> None:
    """Its questions were left out without a word."""
    with zipfile.ZipFile(FOLDER / "cartridge.imscc") as original:
        entries = {info.filename: original.read(info) for info in original.infolist()}
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b'<file href="R_bank/bank.xml"/>', b"")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as changed:
        for name, data in entries.items():
            changed.writestr(name, data)
    imported = cc.read(Source("course.imscc", buffer.getvalue(), Path(".")))
    note = imported.notes[0]
    assert note.kind == "dropped" and note.location.file == "course.imscc!imsmanifest.xml"
    assert "'R_bank'" in note.message and "names no file" in note.message
