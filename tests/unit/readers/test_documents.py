"""Word, TextEdit, LibreOffice, Excel and PDF files given as banks: refused, saying how to
save the questions as text, by import, validate and export alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from packager import importing
from packager.errors import InputError
from packager.readers.base import Source
from packager.readers.documents import kind_of
from tests.unit.readers.qti2_cases import zip_bytes

RTF = b"{\\rtf1\\ansi\\ansicpg1252\\cocoartf2761\n\\f0 Situation: x\\\n- a\\\n- b\\\nAnswer: a}\n"


DOCUMENTS = {
    "rtf": (RTF, "an RTF document"),
    "rtf-bom": (b"\xef\xbb\xbf\r\n" + RTF, "an RTF document"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Office 97-2003"),
    "docx": (zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
             "a Word document (.docx)"),
    "xlsx": (zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}),
             "an Excel workbook"),
    "pptx": (zip_bytes({"ppt/presentation.xml": b"<p/>"}), "a PowerPoint presentation"),
    "odt": (zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                  "content.xml": b"<x/>"}), "an OpenDocument file"),
    "pages": (zip_bytes({"Index/Document.iwa": b"\x00", "Metadata/Properties.plist": b"x"}),
              "an Apple Pages, Numbers or Keynote document"),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_kind_is_told(name: str) -> None:
    data, what = DOCUMENTS[name]
    kind = kind_of(data)
    assert kind is not None and what in kind.what and kind.how


@pytest.mark.parametrize("data", [
    b"", b"Situation: {\\rtf} is RTF's mark.\n- a\n- b\nAnswer: a\n", b'{"format": "x"}',
    b"%PD", b"\xd0\xcf\x11", b"PK\x03\x04broken",
    zip_bytes({"imsmanifest.xml": b"<manifest/>", "items/q1.xml": b"<x/>"}),
    zip_bytes({"mimetype": b"application/epub+zip"}),
    zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text" + b" " * 100}),
], ids=["empty", "text", "json", "short-pdf", "short-ole2", "broken-zip", "package", "epub",
        "long-mimetype"])
def test_other_files_are_no_document(data: bytes) -> None:
    assert kind_of(data) is None


def test_packager_s_own_packages_are_no_document(load_bank) -> None:
    from packager.context import BuildContext
    from packager.pipeline import export

    for target in ("qti12", "qti21", "qti30", "cc", "blackboard", "scorm12"):
        artifact = export(load_bank("sample-all-types"), target,
                          BuildContext(skip_unsupported=True))
        assert kind_of(artifact.data) is None, target


@pytest.mark.parametrize("name", DOCUMENTS)
def test_import_refuses_each_with_how_to_save_it_as_text(name: str) -> None:
    data, what = DOCUMENTS[name]
    source = Source(f"questions.{name}", data, Path())
    with pytest.raises(InputError) as caught:
        importing.detect(source)
    (problem,) = caught.value.diagnostics
    assert problem.code == "E-DOCUMENT" and what in problem.message and problem.hint
    assert problem.file == f"questions.{name}"


@pytest.mark.parametrize("reader", ["text", "gift", "aiken", "bbtext", "qti21"])
@pytest.mark.parametrize("name", ["rtf", "docx"])
def test_a_named_reader_refuses_a_document_rather_than_misread_it(reader: str, name: str) -> None:
    data, what = DOCUMENTS[name]
    with pytest.raises(InputError, match=re.escape(what)):
        importing.read(Source(f"q.{name}", data, Path()), reader)


@pytest.mark.parametrize("name", ["rtf", "docx", "pdf"])
def test_validate_and_export_refuse_a_document_named_as_a_bank(name: str) -> None:
    """As a text bank (.txt) or a JSON bank (any other name): the same refusal, not a JSON
    syntax or encoding error."""
    from packager import pipeline

    data, what = DOCUMENTS[name]
    for bank in ("bank.txt", "bank.json"):
        found, diagnostics = pipeline.check(Source(bank, data, Path()))
        (problem,) = diagnostics
        assert found is None and problem.code == "E-DOCUMENT" and what in problem.message
    with pytest.raises(InputError) as caught:  # export and build load banks so
        pipeline.load_source(Source("bank.json", data, Path()))
    assert [d.code for d in caught.value.diagnostics] == ["E-DOCUMENT"]


def test_a_mimetype_entry_that_lies_about_its_size_is_not_inflated() -> None:
    """A zip bomb through the sniff: a 'mimetype' entry whose headers say 40 bytes but that
    inflates to 50 MB. Reading it whole inflated all of it (twice its size in memory) before
    the size check failed; only its first bytes are read."""
    import io
    import tracemalloc
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/vnd.oasis.opendocument.text" + bytes(50 << 20))
    data = bytearray(buffer.getvalue())
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local, central
        at = data.find(header)
        data[at + offset : at + offset + 4] = (40).to_bytes(4, "little")
    tracemalloc.start()
    try:
        kind_of(bytes(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 << 20, peak


def test_a_zip_of_many_entries_is_judged_by_its_end_record_not_parsed() -> None:
    """A .json or .txt bank that is a zip of 50,000 empty entries: zipfile's directory of it
    took about 0.5 KB an entry (a 256 MB file, gigabytes) to tell it is no document."""
    import io
    import tracemalloc
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(50_000):
            archive.writestr(f"{n}", b"")
        archive.writestr("word/document.xml", b"<w/>")  # would be a Word file, if parsed
    data = buffer.getvalue()
    tracemalloc.start()
    try:
        assert kind_of(data) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20, peak
