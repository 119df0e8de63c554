"""The Common Cartridge reader: golden imports of fixtures/inputs/cc, detection, and cartridges
without questions refused."""

from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import cc, qti12
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden
from tests.unit.readers.qti2_cases import zip_bytes

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


with zipfile.ZipFile(FOLDER / "cc13-flat-inline.imscc") as _flat:
    FLAT = _flat.read("imsmanifest.xml")  # a CC 1.3 manifest holding its QTI inline


@pytest.mark.parametrize(("data", "message"), [
    ((FOLDER / "no-assessment.imscc").read_bytes(), "holds no assessment or question bank"),
    # Of any Common Cartridge version: the message named CC 1.1's type to a 1.3 cartridge.
    ((FOLDER / "no-assessment.imscc").read_bytes(),
     "(type imsqti_xmlv1p2/imscc_xmlv1p<n>/assessment or …/question-bank)"),
    # QTI inline in the manifest is read by the manifest's rules: no entities.
    (zip_bytes({"imsmanifest.xml": FLAT.replace(b"<manifest", b'<!DOCTYPE m [<!ENTITY x "x">]>'
                                           b"<manifest", 1)}), "declares XML entities"),
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


def _cartridge(question_html: str, files: dict[str, bytes]) -> bytes:
    """A cartridge of one essay (CC profile) whose text is `question_html`, and `files`."""
    manifest = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"><resources>
<resource identifier="R" type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment">
<file href="quiz/assessment_qti.xml"/></resource></resources></manifest>"""
    assessment = f"""<?xml version="1.0" encoding="UTF-8"?>
<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
<assessment ident="quiz" title="Tasting"><section ident="root_section">
<item ident="notes" title="Notes"><itemmetadata><qtimetadata><qtimetadatafield>
<fieldlabel>cc_profile</fieldlabel><fieldentry>cc.essay.v0p1</fieldentry>
</qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext texttype="text/html">{escape(question_html)}</mattext></material>
<response_str ident="answer" rcardinality="Single"><render_fib><response_label ident="a"/>
</render_fib></response_str></presentation></item></section></assessment></questestinterop>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as cartridge:
        for name, data in {"imsmanifest.xml": manifest,
                           "quiz/assessment_qti.xml": assessment.encode(), **files}.items():
            cartridge.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def test_an_image_that_is_not_kept_gets_one_note_saying_why() -> None:
    """An image on the web (or of a kind packages refuse) got two notes, one of them
    wrong: "not found in the source"."""
    data = _cartridge(
        '<p>Describe the beans.</p><p><img src="https://example.org/beans.jpg" alt="Beans"> '
        '<img src="$IMS-CC-FILEBASE$/roast.svg" alt="Roast"> <img src="gone.png" alt="Gone"></p>',
        {"roast.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>'})
    imported = cc.read(Source("course.imscc", data, Path(".")))
    assert imported.bank.questions[0].prompt == "Describe the beans.\n\nBeans Roast Gone"
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("dropped", "image 'https://example.org/beans.jpg' dropped: an import keeps only "
         "images inside the source, never fetches one"),
        ("dropped", "image '$IMS-CC-FILEBASE$/roast.svg' dropped: media file 'media/roast.svg' "
         "is an SVG drawing: packages carry only PNG, JPEG, GIF and WebP images"),
        ("dropped", "image 'gone.png' dropped: not found in the source"),
    ]
    assert imported.notes[0].location.file == "course.imscc!quiz/assessment_qti.xml"


def test_a_cc13_flat_manifest_is_read_with_the_qti_it_holds_inline() -> None:
    """CC 1.3 lets an assessment resource hold its questestinterop in the manifest (a "flat"
    manifest, which canvas-lms imports): the cartridge was refused as holding no assessment,
    naming CC 1.1's resource type."""
    data = (FOLDER / "cc13-flat-inline.imscc").read_bytes()
    imported = cc.read(Source("flat.imscc", data, Path(".")))
    assert imported.bank.title == "Inline quiz"
    ((qtype, prompt, answer),) = [(q.type, q.prompt, getattr(q, "answer", None))
                                  for q in imported.bank.questions]
    assert (qtype, prompt, answer) == ("true_false", "The sky is blue.", True)
    assert imported.notes == []


def test_a_flat_cartridge_given_as_its_manifest_alone_is_read() -> None:
    """Import review 32b (A5): CC 1.3 lets a cartridge be its manifest alone (Canvas imports
    one: "Common Cartridge 1.3 - flat"); the same manifest out of its zip was "cannot tell its
    format", then "a cartridge is a zip"."""
    from packager.importing import detect

    with zipfile.ZipFile(INPUTS / "cc" / "cc13-flat-inline.imscc") as package:
        manifest = package.read("imsmanifest.xml")
    source = Source("flat.xml", manifest, Path("."))
    assert detect(source) == "cc"
    flat = cc.read(source)
    zipped = cc.read(Source("flat.imscc", (INPUTS / "cc" / "cc13-flat-inline.imscc").read_bytes(),
                            Path(".")))
    assert flat.bank.questions == zipped.bank.questions


def test_a_flat_manifest_alone_from_a_stranger_gets_a_packages_safety() -> None:
    """The manifest read on its own is a new way in: entities are refused as in a zip's
    manifest, and the text only looks like a cartridge by its head."""
    manifest = (b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">&e;'
                b'</manifest>')
    with pytest.raises(InputError, match="declares XML entities"):
        cc.read(Source("flat.xml", manifest, Path(".")))
    late = b"<notes>" + b" " * (70 * 1024) + manifest[manifest.index(b"<manifest"):]
    assert not cc.detect(late)
