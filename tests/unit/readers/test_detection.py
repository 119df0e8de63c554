"""`import --from auto`: files as real tools write them reach the reader that reads them, and
a file no reader claims is refused with what is known about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError, UsageError
from packager.importing import detect
from packager.readers import blackboard, gift, qti12, text
from packager.readers.base import Source
from tests.unit.readers.qti2_cases import zip_bytes


def _source(data: bytes, name: str = "quiz") -> Source:
    return Source(name, data, Path("."))


QTI12_ITEM = (
    b"<questestinterop><item ident='i1' title='Sky'><presentation>"
    b"<material><mattext>Is the sky blue?</mattext></material>"
    b"<response_lid ident='r' rcardinality='Single'><render_choice>"
    b"<response_label ident='t'><material><mattext>True</mattext></material></response_label>"
    b"<response_label ident='f'><material><mattext>False</mattext></material></response_label>"
    b"</render_choice></response_lid></presentation></item></questestinterop>"
)


def test_a_doctype_with_an_internal_subset_does_not_hide_the_root() -> None:
    # IMS's own QTI 1.2 examples declare elements in the DOCTYPE; a pattern stopped at its
    # first `>`, and the file was "XML of no known kind".
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE questestinterop SYSTEM "ims_qtiasiv1p2.dtd" [\n'
            b"<!ELEMENT ims_render_object (flow_label+)>\n]>\n" + QTI12_ITEM)
    assert qti12.detect(data)
    assert detect(_source(data)) == "qti12"


def test_a_file_broken_further_on_is_told_by_its_root_and_refused_by_its_reader() -> None:
    data = QTI12_ITEM.replace(b"</presentation>", b"") + b"\n" * 5000
    assert detect(_source(data)) == "qti12"
    with pytest.raises(InputError, match="not well-formed"):
        qti12.read(_source(data))


@pytest.mark.parametrize("mark", [
    b"<itemmetadata><bbmd_questiontype>Multiple Choice</bbmd_questiontype></itemmetadata>",
    b"<material><mat_extension><mat_formattedtext type='HTML'>Why?</mat_formattedtext>"
    b"</mat_extension></material>",
])
def test_a_blackboard_pool_file_alone_goes_to_the_blackboard_reader(mark: bytes) -> None:
    # A pool's res00001.dat is QTI 1.2 with Blackboard's own elements, which only the
    # Blackboard reader reads: the QTI 1.2 reader found no prompt and no option texts.
    data = b"<questestinterop><assessment><section><item>" + mark + b"</item></section>"
    data += b"</assessment></questestinterop>"
    assert blackboard.detect(data)
    assert detect(_source(data, "res00001.dat")) == "blackboard"
    assert not blackboard.detect(QTI12_ITEM)  # Canvas's QTI stays with the QTI 1.2 reader
    assert detect(_source(QTI12_ITEM)) == "qti12"


@pytest.mark.parametrize("data", [
    b"[markdown]Who is buried in **Grant's tomb**?{=no one =nobody}\n",
    b"<b>Paris</b> is the capital of France.{T}\n",
    b"// [id:q7]\n// [tag:essays]\nDescribe your last project.{}\n",
    b"// question: 1234  name: Capitals\n[html]Name a capital city.{=Paris =Rome}\n",
])
def test_gift_that_starts_like_markup_or_holds_only_essays_is_gift(data: bytes) -> None:
    assert gift.detect(data)
    assert detect(_source(data)) == "gift"


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><quiz><question type="x">{=a}</question></quiz>',
    b'["{=a ~b}"]',
    b'{"questions": ["{T}"]}',
])
def test_xml_and_json_holding_gift_marks_are_not_gift(data: bytes) -> None:
    assert not gift.detect(data)
    assert not text.detect(data)


def test_a_package_whose_manifest_is_broken_says_so_with_its_line() -> None:
    data = zip_bytes({"imsmanifest.xml": b"<manifest>\n<metadata></metadata></metadata>\n</manifest>",
                 "q.xml": QTI12_ITEM})
    with pytest.raises(InputError) as raised:
        detect(_source(data, "quiz.zip"))
    (found,) = raised.value.diagnostics
    assert (found.file, found.line) == ("quiz.zip!imsmanifest.xml", 2)
    assert "not well-formed" in found.message


@pytest.mark.parametrize(("data", "kind"), [
    (b"[markdown] a description with no question\n", ""),
    (b'{"format": "something-else"}', " (JSON of no known kind)"),
    (b"<root><child/></root>", " (XML of no known kind)"),
    (zip_bytes({"notes.txt": b"hello"}), " (a zip archive of no known kind)"),
    # nested deeper than Python's JSON decoder goes (a fuzz run: a RecursionError traceback)
    (b"[" * 5_000, " (JSON of no known kind)"),
])
def test_what_no_reader_claims_is_refused_saying_what_it_is(data: bytes, kind: str) -> None:
    with pytest.raises(UsageError) as raised:
        detect(_source(data))
    assert raised.value.message == f"quiz: cannot tell its format{kind}"


def test_detection_reads_only_a_files_head() -> None:
    """A file that starts like JSON or markup is judged by its first SNIFF_BYTES: three
    detectors asked in turn parsed a whole bank of hundreds of megabytes each."""
    from packager.readers.sniff import SNIFF_BYTES, is_xml_or_json

    filler = b" " * SNIFF_BYTES
    assert is_xml_or_json(b'{"questions": [' + filler + b"not json at all")
    assert is_xml_or_json(b"<quiz>" + filler + b"</not-closed-right>")
    assert not is_xml_or_json(b"[markdown]Who is it?{=me}\n" + filler)
    gift_file = b"[markdown]Who is buried in **Grant's tomb**?{=no one}\n" + b"\n" * SNIFF_BYTES
    assert detect(_source(gift_file)) == "gift"


def test_sniffing_expands_no_entity() -> None:
    from packager.readers.sniff import element_names, is_xml_or_json

    laughs = (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "' + b"x" * 1000 + b'">'
              + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10)
                         for i in range(9))
              + b"]><questestinterop>&j;</questestinterop>")
    from tests.cpu_time import cpu_seconds

    started = cpu_seconds()
    assert element_names(laughs) == ["questestinterop"]
    is_xml_or_json(laughs)  # libxml2 may call it a loop: either answer, at once
    assert cpu_seconds() - started < 1.0


def test_a_root_with_an_undeclared_prefix_is_told_by_its_name() -> None:
    """`<m:quiz/>`: the pull parser reports the tag as written, which etree.QName refused
    with a ValueError traceback (a fuzz run). Moodle's reader then refuses it, located."""
    assert detect(_source(b"<m:quiz/>")) == "moodle"


def test_xml_broken_before_its_root_is_refused_where_it_breaks() -> None:
    """Import review 32 (F6): instructure/qti's fixture `<?xml version="1.0"encoding=…?>`
    (no space) was "cannot tell its format"; only `--from qti12` showed line 1, column 20."""
    data = b'<?xml version="1.0"encoding="UTF-8"?>\n<questestinterop/>'
    with pytest.raises(InputError) as caught:
        detect(Source("quiz.xml", data, Path(".")))
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("E-XML", 1)
    assert diagnostic.message.startswith("not well-formed XML: ")


@pytest.mark.parametrize("folder", ["", "quiz/"])
@pytest.mark.parametrize("reader", ["auto", "qti12", "cc", "qti21", "qti30", "blackboard"])
def test_a_manifest_named_in_capitals_is_refused_naming_it(reader: str, folder: str) -> None:
    """A fuzz run: `--from auto` on a package holding `IMSMANIFEST.XML` said "cannot tell its
    format", and `--from qti12` "no imsmanifest.xml", while QTI 2.x read it. Moodle and
    Canvas find the manifest by its exact name, so every reader refuses it, naming it. So
    too in a package zipped with its folder (`quiz/IMSMANIFEST.XML`: it was "cannot tell its
    format", as the folder rule looks for the manifest by its right name)."""
    import importlib

    from packager.formats import READERS

    manifest = (b"<manifest xmlns='http://www.imsglobal.org/xsd/imscp_v1p1'><resources>"
                b"<resource identifier='r' type='imsqti_xmlv1p2' href='q.xml'>"
                b"<file href='q.xml'/></resource></resources></manifest>")
    source = _source(zip_bytes({f"{folder}IMSMANIFEST.XML": manifest,
                                f"{folder}q.xml": QTI12_ITEM}), "quiz.zip")
    with pytest.raises(InputError) as raised:
        if reader == "auto":
            detect(source)
        else:
            importlib.import_module(READERS[reader].module).read(source)
    (found,) = raised.value.diagnostics
    assert found.file == f"quiz.zip!{folder}IMSMANIFEST.XML"
    assert found.message == (f"the package's manifest is named '{folder}IMSMANIFEST.XML': "
                             "LMSes read it only as 'imsmanifest.xml', in lower case")
    assert found.hint == (f"rename '{folder}IMSMANIFEST.XML' to {folder}imsmanifest.xml in the "
                          "zip, then import it again")
