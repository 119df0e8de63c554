"""The QTI 2.1 importer: golden imports of hand-written items and a package (qti2_cases), and
malformed or hostile inputs refused with a located message."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.model import Bank
from packager.model import questions as m
from packager.pipeline import LoadedBank, export
from packager.readers import qti21, qti30
from packager.readers.base import Source
from packager.readers.imported import Imported, Location
from tests.conftest import make_ctx
from tests.cpu_time import cpu_seconds
from tests.unit.readers.qti2_cases import (
    INPUTS,
    cases,
    check_case,
    source,
    zip_bytes,
    zip_folder,
)

CASES = cases("qti21")
ITEM = (INPUTS / "qti21" / "order.xml").read_bytes()
ITEM_CHOICE = b"""<?xml version="1.0"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="milk" title="Milk">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
<correctResponse><value>A</value></correctResponse></responseDeclaration>
<itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
<prompt>Which milk is for a latte?</prompt>
<simpleChoice identifier="A">Pressed</simpleChoice>
<simpleChoice identifier="B">Steamed</simpleChoice>
</choiceInteraction></itemBody></assessmentItem>"""
MANIFEST = b"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"><organizations/>
<resources><resource identifier="R" type="imsqti_item_xmlv2p1" href="items/q.xml">
<file href="items/q.xml"/></resource></resources></manifest>"""


def _refused(data: bytes, name: str = "quiz.zip") -> InputError:
    with pytest.raises(InputError) as caught:
        qti21.read(Source(name, data, Path("/nonexistent")))
    return caught.value


def test_there_are_cases_of_every_interaction() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_case(request: pytest.FixtureRequest, case: str) -> None:
    check_case(request, qti21, "qti21", case)


@pytest.mark.parametrize("case", CASES)
def test_a_qti21_case_is_not_qti30(case: str) -> None:
    assert not qti30.detect(source("qti21", case).data)


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04garbage", b"::Q1:: 1+1 {=2 ~3}", b"<?xml version='1.0'?><quiz/>",
    zip_bytes({"imsmanifest.xml": MANIFEST.replace(b"xmlv2p1", b"xmlv1p2")}),
    (INPUTS / "qti30" / "choice-modal.xml").read_bytes(),
], ids=["empty", "broken-zip", "gift", "moodle", "qti12-package", "qti30-item"])
def test_detect_refuses_what_is_not_qti21(data: bytes) -> None:
    assert not qti21.detect(data)


def test_a_qti30_item_is_refused_with_a_hint() -> None:
    error = _refused((INPUTS / "qti30" / "choice-modal.xml").read_bytes(), "item.xml")
    assert "not a QTI 2.1 assessment item" in error.message
    assert error.diagnostics[0].hint and "--from qti30" in error.diagnostics[0].hint


@pytest.mark.parametrize(("data", "expected"), [
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
     b'<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">&xxe;</assessmentItem>',
     "declares XML entities"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
     "declares XML entities"),
    (ITEM[:400], "not well-formed XML"),
    (ITEM.replace("25–30".encode(), "25–30".encode("cp1252")), "not well-formed XML"),
    (ITEM.replace(b"orderInteraction", b"hotspotInteraction"), "no questions found"),
], ids=["xxe", "entity-expansion", "truncated-xml", "wrong-encoding", "no-question"])
def test_a_hostile_or_malformed_item_is_refused(data: bytes, expected: str) -> None:
    assert expected in _refused(data, "item.xml").message


@pytest.mark.parametrize(("files", "expected"), [
    ({"items/q.xml": ITEM}, "the package has no file 'imsmanifest.xml'"),
    ({"imsmanifest.xml": MANIFEST}, "the package has no file 'items/q.xml'"),
    ({"imsmanifest.xml": MANIFEST.replace(b"xmlv2p1", b"xmlv1p2")}, "lists no QTI 2.1 item"),
    ({"imsmanifest.xml": MANIFEST, "../items/q.xml": ITEM}, "has the segment '..'"),
    ({"imsmanifest.xml": MANIFEST, "items/q.xml": b"\0" * (3 * 1024 * 1024)}, "zip bomb"),
], ids=["no-manifest", "missing-item", "no-qti21-resource", "zip-slip", "zip-bomb"])
def test_a_hostile_or_broken_package_is_refused(files: dict[str, bytes], expected: str) -> None:
    error = _refused(zip_bytes(files))
    assert expected in error.message
    assert error.diagnostics and error.diagnostics[0].file


def test_a_missing_file_is_told_where_the_package_names_it() -> None:
    """A fuzz run: an item the manifest lists and the zip lacks was told at `quiz.zip`, where
    the QTI 1.2 and CC readers tell it at the manifest; an item a test refers to is told at
    its reference in the test."""
    (listed,) = _refused(zip_bytes({"imsmanifest.xml": MANIFEST})).diagnostics
    assert (listed.file, listed.line, listed.pointer) == (
        "quiz.zip!imsmanifest.xml", 3, "/manifest/resources/resource")
    test = (b'<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" '
            b'title="T"><testPart identifier="p" navigationMode="linear" '
            b'submissionMode="individual">\n<assessmentSection identifier="s" title="S">'
            b'<assessmentItemRef identifier="x" href="items/none.xml"/></assessmentSection>'
            b"</testPart></assessmentTest>")
    with pytest.raises(InputError) as caught:
        qti21.read(Source("quiz.zip", _with_test({"test.xml": test}), Path(".")))
    (referred,) = caught.value.diagnostics
    assert (referred.file, referred.line) == ("quiz.zip!test.xml", 2)
    assert referred.message == "the package has no file 'items/none.xml'"


def test_a_truncated_package_is_refused() -> None:
    data = zip_bytes({"imsmanifest.xml": MANIFEST, "items/q.xml": ITEM})
    assert "not a readable zip archive" in _refused(data[: len(data) // 2]).message


def test_an_item_outside_the_package_is_not_read(tmp_path: Path) -> None:
    outside = ITEM.replace(b"<prompt>", b'<prompt><img src="../secret.png" alt="s"/>')
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    folder = tmp_path / "items"
    folder.mkdir()
    imported = qti21.read(Source("q.xml", outside, folder))
    assert imported.media == {}
    assert any("outside" in note.message for note in imported.notes)


def test_an_image_named_for_a_windows_device_is_kept_for_the_import_to_rename() -> None:
    """`items/aux.png`, a device's name on Windows, was left out of the import (portability
    review 32, F2): a name where the package was made. The reader keeps it; the import
    writes it under a name Windows can store (import_media._own_names), with a note."""
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    item = ITEM.replace(b"<prompt>", b'<prompt><img src="aux.png" alt="a"/><img src="ok.png" '
                        b'alt="o"/>')
    data = zip_bytes({"imsmanifest.xml": MANIFEST, "items/q.xml": item, "items/aux.png": png,
                      "items/ok.png": png})
    imported = qti21.read(Source("quiz.zip", data, Path("/nonexistent")))
    assert imported.media == {"media/items/aux.png": png, "media/items/ok.png": png}
    assert not [n for n in imported.notes if "aux.png" in n.message]


def test_a_choice_with_inline_and_modal_feedback_keeps_both() -> None:
    """The modal feedback of a choice replaced the feedbackInline the choice held: its text
    was gone, without a note."""
    item = (INPUTS / "qti21" / "multiple-partial.xml").read_bytes().replace(
        b"</itemBody>",
        b'</itemBody><modalFeedback outcomeIdentifier="FEEDBACK" identifier="latte" '
        b'showHide="show">Also with cream.</modalFeedback>',
    )
    imported = qti21.read(Source("item.xml", item, Path(".")))
    latte = imported.bank.questions[0].choices[0]
    assert latte.feedback == "Steamed milk and foam.\n\nAlso with cream."


def _package(*items: bytes) -> Source:
    """A package of `items` (items/q1.xml …) and a text item after them, so that a bank is
    made even when every item given is left out."""
    text_item = (b'<?xml version="1.0"?><assessmentItem xmlns="http://www.imsglobal.org/xsd/'
                 b'imsqti_v2p1" identifier="intro" title="Intro"><itemBody><p>Welcome.</p>'
                 b"</itemBody></assessmentItem>")
    files = {f"items/q{n}.xml": item for n, item in enumerate([*items, text_item], 1)}
    resources = "".join(f'<resource identifier="R{n}" type="imsqti_item_xmlv2p1" href="{path}">'
                        f'<file href="{path}"/></resource>' for n, path in enumerate(files, 1))
    manifest = ('<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"'
                f' identifier="M"><organizations/><resources>{resources}</resources></manifest>')
    return Source("quiz.zip", zip_bytes({"imsmanifest.xml": manifest.encode(), **files}),
                  Path("/nonexistent"))



def _with_test(files: dict[str, bytes]) -> bytes:
    """The package of ITEM with `files` added and its manifest naming test.xml, a test."""
    package = _package(ITEM)
    with zipfile.ZipFile(io.BytesIO(package.data)) as original:
        entries = {name: original.read(name) for name in original.namelist()}
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(
        b"<resources>", b'<resources><resource identifier="T" type="imsqti_test_xmlv2p1" '
        b'href="test.xml"/>')
    return zip_bytes({**entries, **files})

def test_numeric_blanks_accept_the_number_as_usually_written() -> None:
    """Several numeric entries became blanks accepting the correct value as the source spelt
    it ("18.0"), case-sensitive: a learner typing 18 was marked wrong, though QTI compares
    numbers."""
    imported = qti21.read(source("qti21", "numeric-blanks.xml"))
    question = imported.bank.questions[0]
    assert question.type == "fill_in_blanks"
    assert question.blanks == {"shots": ["2"], "grams": ["18", "18.0"], "ratio": ["2.5"]}
    assert question.case_sensitive is False
    # 1 point a blank is a bank's equal share per blank: no scoring note.
    assert [n.kind for n in imported.notes] == ["changed"] * 3
    grams = imported.notes[1]
    assert "accepting '18', '18.0'" in grams.message
    assert grams.location.path == "/assessmentItem/itemBody/p/textEntryInteraction[2]"


def test_a_numeric_blank_accepting_a_range_leaves_the_item_out() -> None:
    item = (INPUTS / "qti21" / "numeric-blanks.xml").read_bytes().replace(
        b'<equal toleranceMode="exact"><variable identifier="RATIO"/>',
        b'<equal toleranceMode="absolute" tolerance="0.1"><variable identifier="RATIO"/>')
    imported = qti21.read(_package(item))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    dropped = [n for n in imported.notes if n.kind == "dropped"]
    assert len(dropped) == 1 and dropped[0].question_id is None
    assert dropped[0].location == Location("quiz.zip!items/q1.xml", 2, "/assessmentItem")
    assert "'RATIO' accepts a range of values" in dropped[0].message


def test_a_tolerance_against_the_correct_response_is_kept() -> None:
    """`equal` with a tolerance compared the entry with <correct>: only the exact value was
    accepted."""
    question = qti21.read(source("qti21", "numeric-correct-tolerance.xml")).bank.questions[0]
    assert question.type == "numeric"
    assert (question.answer.value, question.answer.tolerance) == (27, 3)


@pytest.mark.parametrize(("case", "kept", "left_out"), [
    ("partial-credit-short-answer.xml", ["macchiato"], "'machiato' is left out: it scores 0.5 of 1"),
    ("partial-credit-blank.xml", ["foam", "microfoam"], "'milk' is left out: it scores 1 of 2"),
])
def test_a_typed_answer_worth_part_of_the_credit_is_left_out(
    case: str, kept: list[str], left_out: str
) -> None:
    """A mapping giving a misspelling half the credit made it a fully right answer, without
    a note: the model has no partial credit per typed answer."""
    imported = qti21.read(source("qti21", case))
    question = imported.bank.questions[0]
    answers = ([a.text for a in question.answers] if question.type == "short_answer"
               else question.blanks["top"])
    assert answers == kept
    assert [n.kind for n in imported.notes] == ["dropped"]
    assert left_out in imported.notes[0].message
    assert imported.notes[0].location.path.endswith("/textEntryInteraction")


def test_true_false_keeps_the_feedback_its_choices_hold() -> None:
    """The feedbackInline of a true/false item's choices was lost without a note, and its
    text, read as part of the label, made "True <feedback>" no true/false at all."""
    imported = qti21.read(source("qti21", "true-false-inline-feedback.xml"))
    question = imported.bank.questions[0]
    assert question.type == "true_false" and question.answer is True
    assert question.feedback_true == "Yes, carbon dioxide makes it."
    assert question.feedback_false == "It is *not* milk foam."
    assert imported.notes == []


def test_a_score_added_up_rule_by_rule_gives_the_points() -> None:
    """SCORE raised by `sum(SCORE, n)` per response, without MAXSCORE, gave no points (the
    bank default, 1) and no note: the item is worth 1 + 2."""
    imported = qti21.read(source("qti21", "sum-scored.xml"))
    question = imported.bank.questions[0]
    assert question.type == "fill_in_blanks" and question.points == 3
    assert all("maximum score" not in n.message for n in imported.notes)


def test_a_score_added_up_from_something_unknown_is_noted() -> None:
    item = (INPUTS / "qti21" / "sum-scored.xml").read_bytes().replace(
        b'<baseValue baseType="float">2</baseValue>',
        b'<variable identifier="BONUS"/>')
    imported = qti21.read(Source("moka.xml", item, Path(".")))
    assert imported.bank.questions[0].points is None
    (note,) = [n for n in imported.notes if "maximum score" in n.message]
    assert note.kind == "changed" and "maximum score cannot be worked out" in note.message
    assert note.location.path == "/assessmentItem/responseProcessing"


def test_image_only_choices_without_alt_text_leave_their_question_out() -> None:
    """Match prompts and order items that were SVG images without alt text became empty
    prompts and items, which failed the whole package; with alt text, it stands for the
    image."""
    imported = qti21.read(source("qti21", "image-choices.pkg"))
    assert [q.id for q in imported.bank.questions] == ["coarseness-alt"]
    assert imported.bank.questions[0].items == ["Powder-fine grounds", "Sea-salt-sized grounds"]
    left_out = [(n.location.file, n.message) for n in imported.notes if n.question_id is None
                and n.message.startswith("item left out")]
    assert left_out == [
        ("image-choices.zip!items/match.xml", "item left out: the match prompt 'G1' shows only "
         "an image that is not kept, and it has no alt text"),
        ("image-choices.zip!items/order.xml", "item left out: the order item 'S1' shows only "
         "an image that is not kept, and it has no alt text"),
    ]


def test_a_section_file_referred_to_again_is_read_once() -> None:
    """Sections each naming the next one twice: read per reference, 40 of them took 2**40
    reads."""
    ns = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
    files = {"test.xml": (f'<assessmentTest {ns} identifier="t" title="T"><testPart '
                          'identifier="p"><assessmentSectionRef identifier="s0" href="s0.xml"/>'
                          "</testPart></assessmentTest>").encode()}
    for n in range(40):
        refs = f'<assessmentSectionRef identifier="s{n + 1}" href="s{n + 1}.xml"/>' * 2
        files[f"s{n}.xml"] = (f'<assessmentSection {ns} identifier="s{n}" title="S{n}">{refs}'
                              "</assessmentSection>").encode()
    files["s40.xml"] = (f'<assessmentSection {ns} identifier="s40" title="S40"><selection '
                        'select="1"/><assessmentItemRef identifier="q" href="items/q1.xml"/>'
                        '<assessmentItemRef identifier="r" href="items/q2.xml"/>'
                        "</assessmentSection>").encode()
    imported = qti21.read(Source("quiz.zip", _with_test(files), Path(".")))
    assert [(s.question_ids, s.pick) for s in imported.bank.sections] == [
        (["steps", "intro"], 1)]
    assert len([n for n in imported.notes if "is read already" in n.message]) == 40


def test_an_item_refs_fragment_or_query_is_set_aside_only_when_no_file_has_it() -> None:
    """Review 33: an item reference `items/q1.xml#part` or `items/q2.xml?v=2` refused the
    whole package ("the package has no file 'items/q1.xml#part'"). Its href is looked up as
    written first (`a#b.xml` is a file's name), then without the fragment or query."""
    ns = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
    test = (f'<assessmentTest {ns} identifier="t" title="T"><testPart identifier="p">'
            f'<assessmentSection identifier="s" title="S"><assessmentItemRef identifier="x" '
            'href="items/q9.xml"/><assessmentItemRef identifier="a" href="items/a#b.xml"/>'
            '<assessmentItemRef identifier="b" href="items/q1.xml#part"/>'
            '<assessmentItemRef identifier="c" href="items/q2.xml?v=2"/>'
            "</assessmentSection></testPart></assessmentTest>")
    hashed = ITEM.replace(b'identifier="steps"', b'identifier="hash"')
    files = {"test.xml": test.encode(), "items/a#b.xml": hashed, "items/q9.xml": hashed.replace(
        b'identifier="hash"', b'identifier="nine"')}
    imported = qti21.read(Source("quiz.zip", _with_test(files), Path(".")))
    assert [q.id for q in imported.bank.questions] == ["nine", "hash", "steps", "intro"]
    assert imported.notes == []
    missing = test.replace("items/q9.xml", "items/none.xml#x").encode()
    with pytest.raises(InputError, match=r"the package has no file 'items/none.xml#x'$"):
        qti21.read(Source("quiz.zip", _with_test({**files, "test.xml": missing}), Path(".")))


def test_a_section_ref_is_read_where_it_stands() -> None:
    """An assessmentSectionRef was passed over without a note: its items came in manifest
    order, without their section and its selection."""
    imported = qti21.read(source("qti21", "section-ref.pkg"))
    bank = imported.bank
    assert [q.id for q in bank.questions] == ["origin", "pour-over", "french-press", "storage"]
    assert [(s.id, s.question_ids, s.pick) for s in bank.sections] == [
        ("beans", ["origin"], None),
        ("methods", ["pour-over", "french-press"], 1),
        ("other", ["storage"], None),
    ]
    assert [(n.kind, n.location.file, n.location.path) for n in imported.notes] == [
        ("dropped", "section-ref.zip!sections/methods.xml", "/assessmentSection/assessmentSectionRef"),
        ("dropped", "section-ref.zip!tests/test.xml", "/assessmentTest/testPart/assessmentSectionRef"),
    ]
    assert "'methods.xml' is read already" in imported.notes[0].message
    assert "'../sections/grinding.xml' is not in the package" in imported.notes[1].message


def test_feedback_in_the_body_is_noted_where_it_was_and_as_what_it_is() -> None:
    """A feedbackInline in a paragraph was noted at `/feedbackInline` (located after it
    had left the body) and called modal feedback."""
    imported = qti21.read(source("qti21", "feedback-in-body.xml"))
    assert imported.bank.questions[0].explanation == "Roasting traps gas in the bean."
    assert [(n.kind, n.location.line, n.location.path, n.message) for n in imported.notes] == [
        ("changed", 14, "/assessmentItem/itemBody/p/feedbackInline",
         "inline feedback 'ROAST' on 'REASONS' is shown with the explanation (its condition is "
         "not carried)")]


def test_modal_feedback_titles_and_repeated_texts() -> None:
    """ONYX writes the same text for its right and wrong feedback, titled "Richtig!" and
    "Leider falsch!": the explanation held the text twice, and every title was dropped
    without a note."""
    imported = qti21.read(source("qti21", "modal-feedback-titles.xml"))
    question = imported.bank.questions[0]
    assert question.explanation == ("Light roasts keep more of the bean's acids.\n\n"
                                    "**Background**\n\nAcids break down as the roast goes on.")
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/assessmentItem/modalFeedback[1]", "modal feedback 'true' on 'FB_RIGHT' "
         "is shown with the explanation (its condition is not carried)"),
        ("dropped", "/assessmentItem/modalFeedback[1]", "the title 'Well done!' of modal "
         "feedback 'true' on 'FB_RIGHT' is dropped with its condition"),
        ("changed", "/assessmentItem/modalFeedback[2]", "modal feedback 'true' on 'FB_WRONG' "
         "repeats a text of the explanation: it is shown once (its condition is not carried)"),
        ("dropped", "/assessmentItem/modalFeedback[2]", "the title 'Not this time' of modal "
         "feedback 'true' on 'FB_WRONG' is dropped with its condition"),
    ]


def test_a_modal_feedback_title_heads_feedback_whose_condition_is_kept() -> None:
    question = qti21.read(source("qti21", "choice-tao.xml")).bank.questions[0]
    assert question.feedback is not None
    assert question.feedback.correct == "**Right**\n\nYes: 90–96 °C."
    assert question.feedback.incorrect == ("**Not quite**\n\nToo cold extracts sour; too hot, "
                                           "bitter.")


def test_a_chain_of_hundreds_of_section_files_stops_at_a_depth_with_a_note() -> None:
    """Each file of a chain is read once, but 700 files each naming the next nested the
    reading past Python's recursion limit: a traceback, not a message."""
    folder = INPUTS / "qti21" / "section-ref.pkg"
    ns = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in [*folder.glob("imsmanifest.xml"), *folder.glob("items/*.xml")]:
            archive.write(path, str(path.relative_to(folder)))
        archive.writestr("tests/test.xml", (
            f'<assessmentTest {ns} identifier="t" title="T"><testPart identifier="P" '
            'navigationMode="linear" submissionMode="simultaneous"><assessmentSectionRef '
            'identifier="s0" href="../sections/s0.xml"/></testPart></assessmentTest>'))
        for i in range(700):
            following = f'<assessmentSectionRef identifier="s{i + 1}" href="s{i + 1}.xml"/>'
            archive.writestr(f"sections/s{i}.xml", (
                f'<assessmentSection {ns} identifier="s{i}" title="S{i}" visible="true">'
                '<assessmentItemRef identifier="origin" href="../items/origin.xml"/>'
                f"{following if i < 699 else ''}</assessmentSection>"))
    imported = qti21.read(Source("chain.zip", buffer.getvalue(), Path(".")))
    assert imported.bank.questions
    assert any("nested in more than 64 section files" in n.message for n in imported.notes)


def test_mathml_in_the_2010_namespace_is_math() -> None:
    """instructure/qti writes MathML in `http://www.w3.org/2010/Math/MathML`: it was dropped
    as an unknown element, the prompt read "If , which holds?", each choice that was only math
    became its identifier ("A", "B") without a note, and three drops gave one note."""
    imported = qti21.read(source("qti21", "mathml-2010-namespace.xml"))
    question = imported.bank.questions[0]
    assert question.prompt == "If $a=b$ and $b=c$, which holds?"
    texts = [c.text for c in question.choices]
    assert texts[:2] == ["$a=c$", "$a<c$"]
    # No sure LaTeX form: kept as MathML (in the standard namespace), as 1998 MathML is.
    assert texts[2].startswith('<math xmlns="http://www.w3.org/1998/Math/MathML">')
    assert "<mover>" in texts[2]
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/assessmentItem/itemBody/choiceInteraction/simpleChoice[3]",
         "math kept as MathML (no sure LaTeX form)")]


def test_a_choice_that_shows_nothing_leaves_its_item_out() -> None:
    """A choice whose content had no rich-text form (or none at all) was given its identifier
    as text ("A"): an option the source never showed, under a key that looked valid."""
    empty = ITEM_CHOICE.replace(b'<simpleChoice identifier="B">Steamed</simpleChoice>',
                                b'<simpleChoice identifier="B"/>')
    foreign = ITEM_CHOICE.replace(b">Steamed<", b'><x:dial xmlns:x="urn:x"/><')
    imported = qti21.read(_package(empty, foreign))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    assert [(n.question_id, n.kind, n.location.file, n.location.path, n.message)
            for n in imported.notes] == [
        (None, "dropped", "quiz.zip!items/q1.xml", "/assessmentItem",
         "item left out: the choice 'B' is empty"),
        (None, "dropped", "quiz.zip!items/q2.xml",
         "/assessmentItem/itemBody/choiceInteraction/simpleChoice[2]",
         "<x:dial> dropped (no rich-text form)"),
        (None, "dropped", "quiz.zip!items/q2.xml", "/assessmentItem",
         "item left out: the choice 'B' shows nothing that can be carried"),
    ]


def test_every_element_dropped_is_noted_where_it_was() -> None:
    """Notes were made once per item file: a second element dropped for the same reason, in
    the prompt or in another choice, was not reported at all."""
    item = ITEM_CHOICE.replace(
        b"<prompt>Which", b'<prompt><x:dial xmlns:x="urn:x"/> <x:dial xmlns:x="urn:x"/> Which'
    ).replace(b">Pressed<", b'>Pressed <x:dial xmlns:x="urn:x"/><')
    imported = qti21.read(Source("item.xml", item, Path(".")))
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/assessmentItem/itemBody/choiceInteraction/simpleChoice[1]",
         "<x:dial> dropped (no rich-text form)"),
        ("dropped", "/assessmentItem/itemBody",
         "<x:dial> dropped (no rich-text form) (2 times)"),
    ]


def test_an_item_with_several_interactions_is_left_out() -> None:
    """Only the first interaction was kept: the prompt kept holes where the others stood ("He
    was a wicked ."), and the conditional feedback of every part ("Right.", "Wrong.") became
    the explanation every learner sees. A question has one interaction."""
    imported = qti21.read(source("qti21", "several-interactions.pkg"))
    # Entries in one text are one question, with a blank each.
    (question,) = imported.bank.questions
    assert (question.id, question.type) == ("villain", "fill_in_blanks")
    assert [(n.question_id, n.kind, n.location.file, n.location.path, n.message)
            for n in imported.notes] == [
        (None, "dropped", "several-interactions.zip!items/two-parts.xml", "/assessmentItem",
         "item left out: it has 2 interactions (<choiceInteraction>, <textEntryInteraction> "
         "at line 12), and a question has one")]


@pytest.mark.parametrize(("case", "line", "message"), [
    ("match-per-pair.xml", 9,
     "the shares are changed: the response processing scores each pair on its own ('M W' 1, "
     "'C F' 0.5, 'A H' 1.5, any other pair 0), and a matching question gives each right pair "
     "an equal share of its 3 points"),
    ("associate-per-pair.xml", 8,
     "the shares are changed: the response processing scores each pair on its own ('K L' 1, "
     "'P S' 1, any other pair -0.5, the total at least 0), and a matching question gives each "
     "right pair an equal share of its 2 points"),
    ("gap-match-per-gap.xml", 8,
     "the shares are changed: the response processing scores each gap on its own ('W1 G1' 1, "
     "'W2 G2' 2, any other pair -1, the total at least 0), and a fill-in-the-blanks question "
     "gives each right gap an equal share of its 3 points"),
    ("multiple-penalties.xml", 8,
     "the choices' scores change: the response processing gives 'water' 1, 'coffee' 1, "
     "'sugar' -1, any other choice -2, the total from 0 to 2; partial scoring gives each "
     "correct choice 1 and each wrong one -1, the total at least 0"),
])
def test_scoring_the_model_cannot_carry_is_reported_as_changed(
    case: str, line: int, message: str
) -> None:
    """Per-pair and per-gap scores (IMS's own match, associate and gap match examples) of other
    sizes than a bank's equal shares, or with penalties, and per-choice penalties other than
    the -points/#correct of partial scoring, changed with no note."""
    imported = qti21.read(source("qti21", case))
    scoring = [n for n in imported.notes if "scor" in n.message]
    assert [(n.kind, n.location.line, n.location.path, n.message) for n in scoring] == [
        ("changed", line, "/assessmentItem/responseDeclaration/mapping", message)]


def test_partial_scoring_that_is_the_mapping_has_no_note() -> None:
    """latte 2, flat white 2, ristretto -2, from 0 to 4: exactly partial scoring of 4 points."""
    imported = qti21.read(source("qti21", "multiple-partial.xml"))
    assert imported.bank.questions[0].scoring == "partial"
    assert imported.notes == []


TWO_KEYS = b"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="iced" title="Iced">
<responseDeclaration identifier="MR01" cardinality="multiple" baseType="identifier"/>
<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
<itemBody><choiceInteraction responseIdentifier="MR01" shuffle="true" maxChoices="4">
<prompt>Select the steps of one way to make an iced latte.</prompt>
<simpleChoice identifier="C01">Pull a shot of espresso</simpleChoice>
<simpleChoice identifier="C02">Pour it over ice</simpleChoice>
<simpleChoice identifier="C03">Brew cold brew overnight</simpleChoice>
<simpleChoice identifier="C04">Add cold milk</simpleChoice>
</choiceInteraction></itemBody>
<responseProcessing><responseCondition>
<responseIf><match><variable identifier="MR01"/><multiple>
<baseValue baseType="identifier">C01</baseValue><baseValue baseType="identifier">C02</baseValue>
<baseValue baseType="identifier">C04</baseValue></multiple></match>
<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
</responseIf>
<responseElseIf><match><variable identifier="MR01"/><multiple>
<baseValue baseType="identifier">C03</baseValue><baseValue baseType="identifier">C04</baseValue>
</multiple></match>
<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
</responseElseIf></responseCondition></responseProcessing></assessmentItem>"""


@pytest.mark.parametrize(("item", "message"), [
    (TWO_KEYS, "item left out: no correctResponse or mapping names a correct choice, and the "
               "response processing accepts 2 different sets of choices (lines 13 and 18): a "
               "question has one correct set"),
    (TWO_KEYS.replace(b"<responseElseIf>", b"<!--").replace(b"</responseElseIf>", b"-->"),
     "item left out: no correctResponse or mapping names a correct choice; the response "
     "processing names the set of choices it accepts (line 13), which is not read as the key"),
    (TWO_KEYS.replace(b"<responseProcessing>", b"<!--").replace(b"</responseProcessing>",
                                                              b"-->"),
     "item left out: no choice is declared correct (no correctResponse or mapping names one)"),
    (TWO_KEYS.replace(b'<multiple>\n<baseValue baseType="identifier">C03</baseValue><baseValue '
                      b'baseType="identifier">C04</baseValue>\n</multiple>',
                      b'<variable identifier="MR01"/>'),
     "item left out: no correctResponse or mapping names a correct choice; the response "
     "processing names the set of choices it accepts (line 13), which is not read as the key"),
], ids=["two-sets", "one-set", "none", "itself"])
def test_a_choice_item_without_a_key_says_where_its_key_is(item: bytes, message: str) -> None:
    """IMS's "Chocolate Milk" example accepts either of two sets of steps: it was refused
    because "no choice is declared correct", which it does, twice. A response matched with
    itself names no set (review 34: a traceback, StopIteration)."""
    imported = qti21.read(_package(item))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    (dropped,) = [n for n in imported.notes if n.kind == "dropped"]
    assert dropped.message == message


def test_a_canvas_item_is_worth_canvas_points_not_its_percentage() -> None:
    """Canvas's conversion to QTI 2.1 sets SCORE on a 0-100 scale (capped at 100) and keeps
    the question's points in `instructureMetadata`: those are the points (they were 100)."""
    imported = qti21.read(source("qti21", "canvas-points.pkg"))
    points = {q.title: q.points for q in imported.bank.questions}
    assert points == {"Tides": 6.0, "Boiling point": 2.5}


def test_a_canvas_calculated_item_is_left_out_not_made_an_essay() -> None:
    """Its formula, variables, tolerance and answer sets (`itemproc_extension`) have no place
    in a bank: it was a 100-point essay, with nothing noted."""
    imported = qti21.read(source("qti21", "canvas-points.pkg"))
    assert "Rectangle" not in {q.title for q in imported.bank.questions}
    (note,) = [n for n in imported.notes if "calculated.xml" in n.location.file]
    assert (note.kind, note.question_id, note.location.path) == ("dropped", None,
                                                                 "/assessmentItem")
    assert note.message == ("item left out: a calculated question (a formula over variables), "
                            "which a bank has no type for")


def test_a_score_out_of_100_with_no_points_stated_is_not_100_points() -> None:
    """Canvas's cap (SCORE > 100 → 100) says the score is a percentage: without Canvas's
    points the item is worth the bank's default, and the note says why."""
    imported = qti21.read(source("qti21", "canvas-percentage.xml"))
    (question,) = imported.bank.questions
    assert question.points is None
    (note,) = imported.notes
    assert (note.kind, note.location.path, note.location.line) == (
        "changed", "/assessmentItem/responseProcessing", 17)
    assert note.message == ("the response processing scores out of 100 (it caps SCORE at 100, "
                            "as Canvas's conversion does: a percentage), and the item states "
                            "no points: it is worth the bank's default points")


def _canvas_blanks(qtype: str, text: str, blanks: dict[str, list[str]],
                   scored: tuple[str, ...] = ()) -> bytes:
    """A Canvas question of blanks as its QTI migration tool writes it in QTI 2.1 (canvas-lms
    `qti_exporter/spec_canvas/fixtures/canvas/fimb.xml`): the text with its `[name]`s, then a
    choice interaction a blank, `response_<name>`, its name as the prompt; the choices
    RESPONSE_<n>; rules adding to SCORE for the choices in `scored`."""
    declarations, interactions, rules = [], [], []
    n = 0
    for name, texts in blanks.items():
        declarations.append(f'<responseDeclaration identifier="response_{name}" '
                            'cardinality="single" baseType="identifier"/>')
        choices = []
        for choice in texts:
            n += 1
            choices.append(f'<simpleChoice identifier="RESPONSE_{n}" fixed="true"><p>{choice}'
                           "</p></simpleChoice>")
            if choice in scored:
                rules.append(
                    f'<responseCondition><responseIf><match><variable identifier="response_'
                    f'{name}"/><baseValue baseType="identifier">RESPONSE_{n}</baseValue></match>'
                    '<setOutcomeValue identifier="SCORE"><sum><variable identifier="SCORE"/>'
                    '<baseValue baseType="float">50</baseValue></sum></setOutcomeValue>'
                    "</responseIf></responseCondition>")
        interactions.append(f'<choiceInteraction responseIdentifier="response_{name}" '
                            f'shuffle="false" maxChoices="1"><prompt>{name}</prompt>'
                            f'{"".join(choices)}</choiceInteraction>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem xmlns="http://www.imsglobal.org'
        '/xsd/imsqti_v2p1" identifier="i0a1b2c3d" title="Blanks" adaptive="false" '
        'timeDependent="false"><instructureMetadata><instructureField name="points_possible" '
        f'value="2" /><instructureField name="question_type" value="{qtype}" />'
        f'</instructureMetadata>{"".join(declarations)}<outcomeDeclaration identifier="SCORE" '
        f'cardinality="single" baseType="float"/><itemBody><p>{text}</p>{"".join(interactions)}'
        f'</itemBody><responseProcessing>{"".join(rules)}</responseProcessing></assessmentItem>'
    ).encode()


def test_canvas_fill_in_multiple_blanks_in_qti21_is_read() -> None:
    """Canvas's fill-in-multiple-blanks question as its QTI migration tool writes it in QTI
    2.1: one choice interaction a blank, its choices the accepted answers. Left out before
    ('it has 2 interactions …, and a question has one'), the file refused when it was the
    only item."""
    item = _canvas_blanks("fill_in_multiple_blanks_question",
                          "The capital of <b>France</b> is [city], on the [river].",
                          {"city": ["Paris"], "river": ["Seine", "la Seine"]}, ("Paris",))
    imported = qti21.read(Source("item.xml", item, Path(".")))
    (question,) = imported.bank.questions
    assert question.model_dump(mode="json", exclude_none=True, exclude_defaults=True) == {
        "id": "i0a1b2c3d", "title": "Blanks", "type": "fill_in_blanks", "points": 2.0,
        "prompt": "The capital of **France** is [[city]], on the [[river]].",
        "blanks": {"city": ["Paris"], "river": ["Seine", "la Seine"]}}
    assert imported.notes == []


def test_canvas_multiple_dropdowns_in_qti21_keep_their_scored_options() -> None:
    """Of a dropdown, only the options a rule adding to SCORE matches are right (as Canvas's
    importer reads them); the others are dropped, noted, and the question says it became
    blanks."""
    item = _canvas_blanks("multiple_dropdowns_question", "[first] comes before [second].",
                          {"first": ["Monday", "Friday"], "second": ["Sunday", "Tuesday"]},
                          ("Monday", "Tuesday"))
    imported = qti21.read(Source("item.xml", item, Path(".")))
    (question,) = imported.bank.questions
    assert question.prompt == "[[first]] comes before [[second]]."
    assert question.blanks == {"first": ["Monday"], "second": ["Tuesday"]}
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("dropped", "the wrong options of dropdown 'first' (Friday): it became a typed blank"),
        ("dropped", "the wrong options of dropdown 'second' (Sunday): it became a typed blank"),
        ("changed", "multiple dropdowns became fill-in-the-blanks")]


@pytest.mark.parametrize(("text", "message"), [
    ("[city] and [city]", "the blank [city] is in the text twice, and a bank's blank is one "
                          "box"),
    ("No blank at all.", "a fill-in-the-blanks question without a blank in its text (looked "
                         "for [city])"),
])
def test_canvas_blanks_the_text_does_not_show_once_leave_the_item_out(text: str,
                                                                      message: str) -> None:
    item = _canvas_blanks("fill_in_multiple_blanks_question", text, {"city": ["Paris"]})
    error = _refused(item, "item.xml")
    assert any(message in d.message for d in error.diagnostics), error.diagnostics


def test_canvas_feedback_names_are_read_as_canvas_reads_them() -> None:
    """Canvas's QTI migration tool keeps Canvas's feedback idents as the modal feedback's:
    `general_fb` (neutral), `correct_fb`, `general_incorrect_fb`, and an answer's
    `<answer>_fb`, `FEEDBACK_<n>_fb` for an answer `RESPONSE_<n>`. Before, each was added to
    the explanation every learner reads ('… is shown with the explanation (its condition is
    not carried)'), the feedback for a right answer and for one wrong answer among them."""
    feedback = "".join(
        f'<modalFeedback outcomeIdentifier="FEEDBACK" showHide="show" identifier="{name}">'
        f"<p>{text}</p></modalFeedback>"
        for name, text in (("general_fb", "Lower pressure."), ("correct_fb", "Right."),
                           ("general_incorrect_fb", "Not so."),
                           ("FEEDBACK_8032_fb", "It does boil lower."), ("x9_fb", "Hm.")))
    item = (INPUTS / "qti21" / "canvas-points.pkg" / "items" / "true-false.xml").read_bytes()
    item = item.replace(b'<simpleChoice identifier="RESPONSE_8032" fixed="true"><p>False',
                        b'<simpleChoice identifier="x9"><p>Maybe</p></simpleChoice>'
                        b'<simpleChoice identifier="RESPONSE_8032" fixed="true"><p>False')
    item = item.replace(b"</assessmentItem>", feedback.encode() + b"</assessmentItem>")
    imported = qti21.read(Source("item.xml", item, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, m.SingleChoice)
    assert question.explanation == "Lower pressure."
    assert question.feedback is not None
    assert (question.feedback.correct, question.feedback.incorrect) == ("Right.", "Not so.")
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("True", None), ("Maybe", "Hm."), ("False", "It does boil lower.")]
    assert [n.message for n in imported.notes if "modal feedback" in n.message] == []


def test_canvas_points_that_are_no_points_give_the_default_not_the_percentage() -> None:
    item = (INPUTS / "qti21" / "canvas-points.pkg" / "items" / "essay.xml").read_bytes()
    imported = qti21.read(Source("item.xml", item.replace(b'value="6"', b'value="0"'),
                                 Path("/nonexistent")))
    assert imported.bank.questions[0].points is None
    assert next((n.kind, n.location.path, n.message) for n in imported.notes
                if "Canvas" in n.message) == (
        "changed", "/assessmentItem/instructureMetadata", "Canvas's points '0' cannot be kept "
        "(a question is worth more than 0 and at most 1,000,000): the bank's default is used")


def test_blanks_scored_in_shares_of_other_sizes_are_reported_as_changed() -> None:
    """Text entries and inline choices scored per blank (`sum` of each response's
    `mapResponse`, or SCORE raised blank by blank) in shares of other sizes than a bank's
    equal ones changed without a note."""
    imported = qti21.read(source("qti21", "sum-scored.xml"))
    assert imported.bank.questions[0].type == "fill_in_blanks"
    scoring = [n for n in imported.notes if "scor" in n.message]
    assert [(n.kind, n.location.line, n.location.path, n.message) for n in scoring] == [
        ("changed", 19, "/assessmentItem/responseProcessing",
         "the shares are changed: the response processing scores each blank on its own "
         "('WATER' 1, 'HEAT' 2), and a fill-in-the-blanks question gives each right blank an "
         "equal share of its 3 points")]


def test_blanks_scored_in_equal_shares_have_no_scoring_note() -> None:
    """1 point for each of two blanks is a bank's equal share per blank: nothing changes."""
    imported = qti21.read(source("qti21", "blanks-per-blank.xml"))
    assert imported.bank.questions[0].points == 2
    assert [n for n in imported.notes if "scor" in n.message] == []


def test_blanks_scored_together_gain_partial_credit() -> None:
    """A rule testing every blank at once scores all or nothing, where a bank gives each
    right blank its share: noted."""
    item = (INPUTS / "qti21" / "blanks-per-blank.xml").read_bytes().replace(
        b'<setOutcomeValue identifier="SCORE">\n      <sum><mapResponse identifier="SHOT"/>'
        b'<mapResponse identifier="MILK"/></sum>\n    </setOutcomeValue>',
        b'<responseCondition><responseIf><and><match><variable identifier="SHOT"/><correct '
        b'identifier="SHOT"/></match><match><variable identifier="MILK"/><correct identifier='
        b'"MILK"/></match></and><setOutcomeValue identifier="SCORE"><baseValue baseType="float"'
        b'>2</baseValue></setOutcomeValue></responseIf></responseCondition>')
    assert b"responseCondition" in item
    imported = qti21.read(Source("cortado.xml", item, Path(".")))
    assert imported.bank.questions[0].points == 2
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/assessmentItem/responseProcessing",
         "partial credit is gained: the response processing scores it all or nothing (its 2 "
         "points for every blank right, else 0), and a fill-in-the-blanks question gives each "
         "right blank its share")]


def test_packagers_own_scoring_is_read_without_a_scoring_note(xsd_path: Path) -> None:
    """packager's own rules (the whole key, else each right blank or pair its share; partial
    scoring adds per choice and floors at 0) lose nothing: no note says they do."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "own", "title": "Own", "version": "1.0.0",
        "questions": [
            {"id": "blanks", "type": "fill_in_blanks", "points": 2,
             "prompt": "A [[shot]] with [[milk]] milk.",
             "blanks": {"shot": ["espresso"], "milk": ["warm", "steamed"]}},
            {"id": "partial", "type": "multiple_response", "scoring": "partial",
             "prompt": "Which are milk drinks?",
             "choices": [{"id": "a", "text": "Latte", "correct": True},
                         {"id": "b", "text": "Flat white", "correct": True},
                         {"id": "c", "text": "Ristretto"}]},
            {"id": "order", "type": "ordering", "prompt": "Order the steps.",
             "items": ["Grind", "Tamp", "Brew"]},
            {"id": "pairs", "type": "matching", "prompt": "Match the drinks.", "points": 3,
             "pairs": [{"prompt": "Latte", "match": "Milk"}, {"prompt": "Lungo", "match": "Water"},
                       {"prompt": "Mocha", "match": "Chocolate"}]},
        ],
    })
    loaded = LoadedBank(bank, Source("own.json", b"", Path(".")), ())
    artifact = export(loaded, "qti21", make_ctx(xsd_path))
    imported = qti21.read(Source("own.zip", artifact.data, Path(".")))
    assert [q.type for q in imported.bank.questions] == [
        "fill_in_blanks", "multiple_response", "ordering", "matching"]
    assert imported.notes == []


@pytest.mark.parametrize(("old", "new", "message"), [
    (b'<responseCondition><responseIf><match><variable identifier="RESPONSE"/><correct '
     b'identifier="RESPONSE"/></match><setOutcomeValue identifier="SCORE"><baseValue baseType='
     b'"float">2</baseValue></setOutcomeValue></responseIf><responseElse><setOutcomeValue '
     b'identifier="SCORE"><baseValue baseType="float">0.5</baseValue></setOutcomeValue>'
     b'</responseElse></responseCondition>', "/assessmentItem/responseProcessing",
     "the score floor is lost: the response processing gives a wrong answer 0.5 of the 2 "
     "points, and the question gives it 0"),
    (b'<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/'
     b'match_correct"/>', "/assessmentItem/outcomeDeclaration",
     "the score floor is lost: SCORE's normalMinimum gives a wrong answer 1 of the 2 points, "
     "and the question gives it 0"),
], ids=["response-else", "normal-minimum"])
def test_a_score_floor_is_reported_as_changed(old: bytes, new: str, message: str) -> None:
    """A wrong answer that still scored points (Kennisnet's items give 1 of 3) scored 0
    after import, without a note."""
    floor = b' normalMinimum="1"' if b"template" in old else b""
    processing = old if b"template" in old else b"<responseProcessing>" + old + \
        b"</responseProcessing>"
    item = ITEM_CHOICE.replace(
        b"</responseDeclaration>",
        b'</responseDeclaration><outcomeDeclaration identifier="SCORE" cardinality="single" '
        b'baseType="float" normalMaximum="2"' + floor + b"/>",
    ).replace(b"</itemBody>", b"</itemBody>" + processing)
    imported = qti21.read(Source("milk.xml", item, Path(".")))
    assert imported.bank.questions[0].points == 2
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", new, message)]


def test_a_pick_among_sub_sections_is_dropped_with_a_note() -> None:
    """A section picking 1 of two versions (sub-sections) lost its selection without a
    note: learners got both versions."""
    imported = qti21.read(source("qti21", "nested-sections.pkg"))
    sections = [(s.id, s.question_ids, s.pick) for s in imported.bank.sections]
    assert sections[:2] == [("version-a", ["washed"], None), ("version-b", ["natural"], None)]
    assert [(n.kind, n.location.file, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "nested-sections.zip!tests/test.xml",
         "/assessmentTest/testPart/assessmentSection[1]/selection",
         "the section 'section-process' picks 1 of its 2 parts, and 2 of them are sections: "
         "a bank section picks questions, not sections, so the pick is dropped and learners "
         "get the questions of every part")]


def test_a_section_split_by_its_sub_sections_is_numbered_on() -> None:
    """The parts of a section between its sub-sections were `brew`, `brew-2`, `brew-2-2`."""
    imported = qti21.read(source("qti21", "nested-sections.pkg"))
    assert [(s.id, s.question_ids) for s in imported.bank.sections][2:] == [
        ("brew", ["kettle"]), ("weigh", ["scale"]), ("brew-2", ["bloom"]),
        ("finish", ["pour"]), ("brew-3", ["serve"])]


def test_a_single_response_allowing_any_number_of_choices_is_single_choice() -> None:
    """qti-sdk's items declare one correct value of a single response but let a learner pick
    any number (`maxChoices="0"`): they became multiple response questions, with check
    boxes, without a note. The response declaration decides."""
    item = ITEM_CHOICE.replace(b'maxChoices="1"', b'maxChoices="0"')
    imported = qti21.read(Source("milk.xml", item, Path(".")))
    assert imported.bank.questions[0].type == "single_choice"
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/assessmentItem/itemBody/choiceInteraction",
         "the interaction lets a learner pick any number of choices (maxChoices 0), but its "
         "response takes one (cardinality single): it is read as a single choice")]
    # Two correct values: the declaration is what is wrong, and the choices are many.
    both = item.replace(b"<value>A</value>", b"<value>A</value><value>B</value>")
    assert qti21.read(Source("milk.xml", both, Path("."))).bank.questions[0].type == (
        "multiple_response")


ASSESSMENT_TEST = b"""<?xml version="1.0"?>
<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="T">
<testPart identifier="P" navigationMode="linear" submissionMode="simultaneous">
<assessmentSection identifier="S" title="S" visible="true">
<assessmentItemRef identifier="Q01" href="Q01.xml"/></assessmentSection></testPart>
</assessmentTest>"""


def test_a_lone_assessment_test_is_refused_with_what_to_import() -> None:
    """An assessmentTest file on its own was "XML of no known kind" (and with `--from
    qti21` "not a QTI 2.1 assessment item"): it names its items in other files."""
    assert qti21.detect(ASSESSMENT_TEST)
    assert not qti30.detect(ASSESSMENT_TEST)
    error = _refused(ASSESSMENT_TEST, "test.xml")
    assert error.message == (
        "test.xml:2 /assessmentTest: a QTI 2.1 assessment test, which names its items in "
        "other files: it is read from its package")
    assert error.diagnostics[0].hint == ("import the package: the zip holding imsmanifest.xml, "
                                         "the test and its items")


TEMPLATE_ITEM = b"""<?xml version="1.0"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="ratio" title="Ratio">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="integer"/>
<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
<templateDeclaration identifier="DOSE" cardinality="single" baseType="integer" mathVariable="false"
 paramVariable="false"/>
<templateProcessing>
<setTemplateValue identifier="DOSE"><randomInteger min="15" max="20"/></setTemplateValue>
<setCorrectResponse identifier="RESPONSE"><product><variable identifier="DOSE"/>
<baseValue baseType="integer">2</baseValue></product></setCorrectResponse>
</templateProcessing>
<itemBody><p>How many grams of espresso does a 1:2 ratio give from <printedVariable
 identifier="DOSE"/> g of coffee?</p><p><textEntryInteraction responseIdentifier="RESPONSE"/>
</p></itemBody>
<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>"""


@pytest.mark.parametrize(("item", "message"), [
    (TEMPLATE_ITEM, "item left out: a template item (its values are drawn when it is shown, "
                    "and its key is set by templateProcessing) has no fixed form"),
    (ITEM_CHOICE.replace(b"Which milk", b'<printedVariable identifier="SCORE"/> Which milk'),
     "item left out: its text shows a variable's value (printedVariable), which has no fixed "
     "form"),
], ids=["template", "printed-variable"])
def test_a_template_item_is_left_out_as_such(item: bytes, message: str) -> None:
    """IMS's template items were left out because "the numeric entry has no correct value",
    which templateProcessing sets; an item printing a variable was kept with a hole in its
    text ("Is  times 2 even?")."""
    imported = qti21.read(_package(item))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/assessmentItem", message)]


def test_feedback_printing_the_score_keeps_its_item() -> None:
    item = ITEM_CHOICE.replace(b"</choiceInteraction>", b'</choiceInteraction><feedbackBlock '
                               b'outcomeIdentifier="FEEDBACK" identifier="done" showHide="show">'
                               b'<p>You scored <printedVariable identifier="SCORE"/>.</p>'
                               b"</feedbackBlock>")
    imported = qti21.read(Source("milk.xml", item, Path(".")))
    assert imported.bank.questions[0].type == "single_choice"
    assert any("<printedVariable> dropped" in n.message for n in imported.notes)


def test_an_item_left_out_reports_its_reason_not_its_changes() -> None:
    """An item left out printed the changes made while reading it ("an inline choice becomes
    a blank typed in") before its reason, as errors: nothing of it was changed, it is gone."""
    item = (INPUTS / "qti21" / "sum-scored.xml").read_bytes().replace(
        b"<correctResponse><value>medium</value></correctResponse>", b"")
    imported = qti21.read(_package(item))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    assert [(n.kind, n.question_id, n.message) for n in imported.notes] == [
        ("dropped", None, "item left out: the blank 'heat' has no correct answer")]


def test_choices_told_apart_only_by_their_images_leave_the_item_out() -> None:
    """Flags (SVG, not carried) with one alt text, "flag", became four choices reading
    "flag", one of them correct: a question no learner can answer."""
    item = ITEM_CHOICE.replace(b">Pressed<", b'><img src="a.svg" alt="flag"/><').replace(
        b">Steamed<", b'><img src="b.svg" alt="flag"/><')
    imported = qti21.read(_package(item))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    (left_out,) = [n for n in imported.notes if n.message.startswith("item left out")]
    assert left_out.message == ("item left out: the choices 'A' and 'B' both read 'flag' "
                                "once their images are dropped: nothing tells them apart")


def test_a_fixed_order_item_that_is_shuffled_is_noted() -> None:
    """An order item `fixed` in its place while the others are shuffled lost its place
    without a note: an ordering question shuffles every item."""
    item = ITEM.replace(b'<simpleChoice identifier="grind">',
                        b'<simpleChoice identifier="grind" fixed="true">')
    imported = qti21.read(Source("steps.xml", item, Path(".")))
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/assessmentItem/itemBody/orderInteraction/simpleChoice[2]",
         "the order item 'grind' keeps its place when the others are shuffled; an ordering "
         "question shuffles every item")]
    unshuffled = item.replace(b'shuffle="true"', b'shuffle="false"')
    assert qti21.read(Source("steps.xml", unshuffled, Path("."))).notes == []


def test_test_feedback_is_dropped_with_one_note() -> None:
    """The test's feedback (Kennisnet writes one per score band) was dropped without a
    note."""
    test = (b'<?xml version="1.0"?><assessmentTest xmlns="http://www.imsglobal.org/xsd/'
            b'imsqti_v2p1" identifier="t" title="T"><testPart identifier="P" navigationMode='
            b'"linear" submissionMode="simultaneous"><assessmentSection identifier="S" title="S"'
            b' visible="true"><assessmentItemRef identifier="q" href="items/q1.xml"/>'
            b'</assessmentSection><testFeedback identifier="low" outcomeIdentifier="BAND" '
            b'access="atEnd" showHide="show">Practise more.</testFeedback></testPart>'
            b'<testFeedback identifier="high" outcomeIdentifier="BAND" access="atEnd" '
            b'showHide="show">Well done.</testFeedback></assessmentTest>')
    imported = qti21.read(Source("quiz.zip", _with_test({"test.xml": test}), Path(".")))
    assert [(n.kind, n.location.file, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "quiz.zip!test.xml", "/assessmentTest/testPart/testFeedback",
         "the test's feedback (2 texts) is dropped: a bank has no feedback on the whole test")]


def _entries_item(blanks: int, text: str = "") -> bytes:
    """An item of `blanks` text entries, each accepting "a", after `text`."""
    ns = 'xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
    declarations = "".join(
        f'<responseDeclaration identifier="R{n}" cardinality="single" baseType="string">'
        f"<correctResponse><value>a</value></correctResponse></responseDeclaration>"
        for n in range(blanks))
    entries = " ".join(f'<textEntryInteraction responseIdentifier="R{n}"/>'
                       for n in range(blanks))
    return (f'<?xml version="1.0"?><assessmentItem {ns} identifier="many" title="Many">'
            f"{declarations}<itemBody><p>{text} {entries}</p></itemBody>"
            '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rp/'
            'match_correct"/></assessmentItem>').encode()


def test_an_item_of_thousands_of_blanks_is_read_not_a_traceback() -> None:
    # Past 7,934 blanks the marks of where they stood ran out of XML characters: a raw
    # lxml ValueError. Past 2,048 they were left in the text as characters.
    (question, _) = qti21.read(_package(_entries_item(9000))).bank.questions
    assert len(question.blanks) == 9000 and question.prompt.count("[[") == 9000


@pytest.mark.parametrize("character", ["\U000F0000", "\U000F0001", "\U000FFFFD"])
def test_a_private_use_character_in_an_item_with_blanks_leaves_it_out(character: str) -> None:
    """The marks of the blanks are private-use characters: one the text holds itself was
    replaced by a blank's [[id]] (or raised an IndexError past the last blank)."""
    imported = qti21.read(_package(_entries_item(2, f"Icon {character}")))
    assert [q.id for q in imported.bank.questions] == ["intro"]
    (note,) = [n for n in imported.notes if n.kind == "dropped"]
    assert f"U+{ord(character):X} of Unicode's private use area" in note.message


def test_a_private_use_character_in_a_text_without_blanks_is_kept() -> None:
    item = ITEM.replace(b"<prompt>", "<prompt>\U000F0001 \ue100 ".encode(), 1)
    assert b"\xf3\xb0\x80\x81" in item  # the prompt holds it
    (question, _) = qti21.read(_package(item)).bank.questions
    assert "\U000F0001 \ue100" in question.prompt


def test_onyx_feedback_outcomes_are_read_as_the_feedback_they_stand_for() -> None:
    """ONYX shows each modal feedback on a boolean outcome its processing sets: "Right!" and
    "Wrong!" were both put in the explanation, which every learner reads."""
    (question,) = qti21.read(source("qti21", "onyx-feedback.xml")).bank.questions
    assert question.feedback is not None
    assert (question.feedback.correct, question.feedback.incorrect) == ("Right!", "Wrong!")
    assert [c.feedback for c in question.choices] == [
        None, None, "**Dark was wrong**\n\nA dark roast burns the acids off."]
    # A choice left out has no place of its own: the explanation, as before.
    assert question.explanation == "A light roast keeps the most acidity."


def test_an_image_path_longer_than_the_system_allows_is_dropped_with_a_note(
    tmp_path: Path,
) -> None:
    """A single item's `<img src>` of 2,100 short segments: is_file() raised ENAMETOOLONG."""
    src = "a/" * 2100 + "x.png"
    item = ITEM.replace(b"<prompt>", f'<prompt><img src="{src}" alt="x"/>'.encode())
    imported = qti21.read(Source("q.xml", item, tmp_path))
    assert imported.media == {}
    assert [n.message for n in imported.notes if "image" in n.message] == [
        f"image {src[:60]!r} dropped: it cannot be read (File name too long)"]


_THRESHOLD = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="origins"
  title="Origins" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="directedPair">
    <correctResponse><value>B1 C1</value><value>B2 C2</value></correctResponse>
    <mapping defaultValue="0"><mapEntry mapKey="B1 C1" mappedValue="1"/>
      <mapEntry mapKey="B2 C2" mappedValue="1"/></mapping>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody><matchInteraction responseIdentifier="RESPONSE" maxAssociations="2">
    <prompt>Match each bean with its country.</prompt>
    <simpleMatchSet><simpleAssociableChoice identifier="B1" matchMax="1">Yirgacheffe</simpleAssociableChoice>
      <simpleAssociableChoice identifier="B2" matchMax="1">Antigua</simpleAssociableChoice></simpleMatchSet>
    <simpleMatchSet><simpleAssociableChoice identifier="C1" matchMax="1">Ethiopia</simpleAssociableChoice>
      <simpleAssociableChoice identifier="C2" matchMax="1">Guatemala</simpleAssociableChoice></simpleMatchSet>
  </matchInteraction></itemBody>
  <responseProcessing>RULES</responseProcessing>
</assessmentItem>"""


@pytest.mark.parametrize(("rules", "note"), [
    # The mapped total only compared with the pair count: all or nothing, no per-pair credit.
    ('<responseCondition><responseIf><match><mapResponse identifier="RESPONSE"/>'
     '<baseValue baseType="float">2</baseValue></match><setOutcomeValue identifier="SCORE">'
     '<baseValue baseType="float">2</baseValue></setOutcomeValue></responseIf>'
     '</responseCondition>', "partial credit is gained: the response processing scores it all "
     "or nothing (its 2 points for every pair right, else 0), and a matching question gives "
     "each right pair its share"),
    # The mapped total is the score: each pair scores 1 on its own, a bank's equal share.
    ('<setOutcomeValue identifier="SCORE"><mapResponse identifier="RESPONSE"/>'
     '</setOutcomeValue>', None),
])
def test_per_pair_credit_is_read_only_where_the_mapping_gives_the_score(
        rules: str, note: str | None) -> None:
    item = _THRESHOLD.replace("RULES", rules).encode()
    imported = qti21.read(Source("origins.xml", item, Path(".")))
    assert [n.message for n in imported.notes if "share" in n.message] == (
        [note] if note else [])


# --- names the package spells otherwise than its documents (portability review F5) --------

_PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
_WITH_CHART = ITEM.replace(b"<prompt>", b'<prompt><img src="chart.png" alt="c"/>')


def _read_package(files: dict[str, bytes]) -> Imported:
    return qti21.read(Source("quiz.zip", zip_bytes({"imsmanifest.xml": MANIFEST, **files}),
                             Path("/nonexistent")))


def test_an_image_the_package_spells_otherwise_is_kept_with_a_note() -> None:
    """A package made on Windows refers to chart.png and stores Chart.png: the image was
    dropped as "not found in the source"."""
    imported = _read_package({"items/q.xml": _WITH_CHART, "items/Chart.png": _PNG})
    assert imported.media == {"media/items/Chart.png": _PNG}
    assert [(n.kind, n.message) for n in imported.notes if "chart" in n.message.lower()] == [
        ("changed", "image 'chart.png' taken from the package's 'items/Chart.png', whose name "
         "differs in letter case")]


def test_an_image_two_entries_may_be_is_dropped_saying_so() -> None:
    imported = _read_package({"items/q.xml": _WITH_CHART, "items/Chart.png": _PNG,
                              "items/CHART.png": _PNG})
    assert imported.media == {}
    assert [n.message for n in imported.notes if "chart" in n.message.lower()] == [
        "image 'items/chart.png' dropped: the package holds no file of that name, but 2 whose "
        "names differ from it only in letter case or in how accents are encoded "
        "('items/CHART.png', 'items/Chart.png'): which is meant cannot be told"]


def test_an_item_the_package_spells_otherwise_is_read_with_a_note() -> None:
    """The import failed: "the package has no file 'items/q.xml'"."""
    imported = _read_package({"items/Q.xml": ITEM})
    assert len(imported.bank.questions) == 1
    assert [(n.kind, n.location.file, n.message) for n in imported.notes] == [
        ("changed", "quiz.zip!items/q.xml", "the file 'items/q.xml' taken from the package's "
         "'items/Q.xml', whose name differs in letter case")]


def _single_choice(identifier: str, key: str, outcome: str, base_type: str) -> bytes:
    """The start of a hand-written single-choice item: its response with `key`, and one
    outcome; the body and processing follow."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="{identifier}"
  title="{identifier}" adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
<correctResponse><value>{key}</value></correctResponse></responseDeclaration>
<outcomeDeclaration identifier="{outcome}" cardinality="single" baseType="{base_type}"/>
""".encode()


PART_SCORED = _single_choice("c1", "A", "SCORE", "float") + b"""<itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><prompt>Pick</prompt>
<simpleChoice identifier="A">A</simpleChoice><simpleChoice identifier="B">B</simpleChoice>
</choiceInteraction></itemBody>
<responseProcessing><responseCondition>
<responseIf><match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
<setOutcomeValue identifier="SCORE"><baseValue baseType="float">2</baseValue></setOutcomeValue>
</responseIf>
<responseElseIf><match><variable identifier="RESPONSE"/>
<baseValue baseType="identifier">B</baseValue></match>
<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
</responseElseIf>
<responseElse><setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue>
</setOutcomeValue></responseElse>
</responseCondition></responseProcessing></assessmentItem>"""


def test_part_of_the_points_for_another_response_is_noted_as_lost() -> None:
    """Import review 32 (F1): a rule scoring a response other than the key part of the points
    (IMS's order_partial_scoring example: one wrong order 1 of 2) was dropped with no note,
    where the Moodle and QTI 1.2 readers note the same loss."""
    imported = qti21.read(Source("item.xml", PART_SCORED, Path(".")))
    (question,) = imported.bank.questions
    assert question.type == "single_choice" and question.points == 2
    (note,) = imported.notes
    assert (note.kind, note.location.line) == ("changed", 14)  # the responseElseIf
    assert note.message == ("part of the points is lost: the response processing gives a "
                            "response other than the key 1 of 2 points, and the question "
                            "gives it 0")


HTML5 = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2"
  xmlns:qh5="http://www.imsglobal.org/xsd/imsqtiv2p2_html5_v1p0" identifier="castle"
  title="Castle" adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
<correctResponse><value>A</value></correctResponse></responseDeclaration>
<itemBody><qh5:figure><img src="castle.png" alt="A castle"/>
<qh5:figcaption>Figure 1: a castle.</qh5:figcaption></qh5:figure>
<choiceInteraction responseIdentifier="RESPONSE" maxChoices="1"><prompt>Where is it?</prompt>
<simpleChoice identifier="A"><qh5:ruby>北海道<qh5:rt>ほっかいどう</qh5:rt></qh5:ruby></simpleChoice>
<simpleChoice identifier="B">Kyoto</simpleChoice>
</choiceInteraction></itemBody></assessmentItem>""".encode()


def test_qti22_html5_elements_are_read(tmp_path: Path) -> None:
    """F2: QTI 2.2 puts figure, figcaption, ruby, rt … in a namespace of their own; a
    figure's image and caption were dropped, and a choice in ruby refused the item."""
    (tmp_path / "castle.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    imported = qti21.read(Source("item.xml", HTML5, tmp_path))
    (question,) = imported.bank.questions
    assert question.prompt.startswith("![A castle](<media/castle.png>)\n\nFigure 1: a castle.")
    assert [c.text for c in question.choices] == ["北海道(ほっかいどう)", "Kyoto"]
    assert list(imported.media) == ["media/castle.png"]
    assert not [n for n in imported.notes if n.kind == "dropped"]


SCORED_BOX = b"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="abs" title="Abs"
  adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>
<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
<itemBody><p>The absolute value of -2 is</p>
<extendedTextInteraction responseIdentifier="RESPONSE"/></itemBody>
<responseProcessing><responseCondition><responseIf><or>
<stringMatch caseSensitive="false"><variable identifier="RESPONSE"/>
<baseValue baseType="string">2</baseValue></stringMatch>
<stringMatch caseSensitive="false"><variable identifier="RESPONSE"/>
<baseValue baseType="string">two</baseValue></stringMatch></or>
<setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
</responseIf></responseCondition></responseProcessing></assessmentItem>"""


def test_an_answer_box_the_processing_scores_itself_is_noted() -> None:
    """F3: Canvas's conversion of a Respondus fill-in-the-blank (an extended text box the
    processing compares with "2" and "two") became an essay with no word of the answers it
    accepted."""
    imported = qti21.read(Source("item.xml", SCORED_BOX, Path(".")))
    (question,) = imported.bank.questions
    assert question.type == "essay" and question.sample_answer == "2"
    (note,) = imported.notes
    assert note.kind == "changed" and note.location.path == "/assessmentItem/responseProcessing"
    assert note.message.startswith(
        "the response processing checks this answer box against '2', 'two' itself")


LEGACY_HTML = b"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="u1" title="u1"
  adaptive="false" timeDependent="false">
<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
<correctResponse><value>A</value></correctResponse></responseDeclaration>
<itemBody><p>Pick the <font color="red">red</font> <nobr>one-word</nobr> <sillynode>answer</sillynode>
<o:p xmlns:o="urn:schemas-microsoft-com:office:office">office</o:p>.</p>
<choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
<simpleChoice identifier="A">A</simpleChoice><simpleChoice identifier="B">B</simpleChoice>
</choiceInteraction></itemBody>
<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>"""


def test_html_qti_does_not_list_keeps_its_text() -> None:
    """Import review 32 (F4): `<font>`, `<nobr>` and a TAO item's `<sillynode>` were dropped
    with their words ("Pick the   ."), where the QTI 3.0 and Moodle readers keep them; Word's
    `<o:p>` (another vocabulary) is dropped, named with its prefix (it was "<p> dropped")."""
    imported = qti21.read(Source("item.xml", LEGACY_HTML, Path(".")))
    (question,) = imported.bank.questions
    assert question.prompt == "Pick the red one-word answer ."
    assert [n.message for n in imported.notes if "dropped" in n.message] == [
        "<o:p> dropped (no rich-text form)"]


HIDDEN_ON_KEY = _single_choice("pres", "FOX", "FEEDBACK", "identifier") + b"""<itemBody><choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">
<prompt>Who is the President of Mexico?</prompt>
<simpleChoice identifier="BUSH">George W Bush</simpleChoice>
<simpleChoice identifier="FOX">Vicente Fox</simpleChoice></choiceInteraction></itemBody>
<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
<modalFeedback outcomeIdentifier="FEEDBACK" identifier="FOX" showHide="hide">No, the correct
answer is Vicente Fox.</modalFeedback></assessmentItem>"""


def test_feedback_hidden_when_the_key_is_chosen_is_the_incorrect_feedback() -> None:
    """Import review 32 (F9): IMS's feedback example hides "No, the correct answer is Vicente
    Fox." when the right choice is chosen; it went to the explanation, which a learner who
    answered right reads too."""
    imported = qti21.read(Source("item.xml", HIDDEN_ON_KEY, Path(".")))
    (question,) = imported.bank.questions
    assert question.feedback is not None
    assert question.feedback.incorrect == "No, the correct answer is Vicente Fox."
    assert question.explanation is None and imported.notes == []


def test_only_a_rule_that_gives_points_names_an_answer_the_box_accepts() -> None:
    """Review 32 of the change: a rule giving 0 for "I don't know", or a `not(match …)`, made
    its text the essay's sample answer, the model answer a grader reads."""
    zero = SCORED_BOX.replace(b"<or>", b"<not><or>").replace(b"</or>", b"</or></not>")
    for data in (zero, SCORED_BOX.replace(b'baseType="float">1<', b'baseType="float">0<')):
        imported = qti21.read(Source("item.xml", data, Path(".")))
        (question,) = imported.bank.questions
        assert question.sample_answer is None and imported.notes == []


@pytest.mark.parametrize(("score", "sample"), [
    (b'<subtract><variable identifier="SCORE"/><baseValue baseType="float">1</baseValue>'
     b"</subtract>", None),
    (b'<sum><variable identifier="SCORE"/><baseValue baseType="float">-1</baseValue></sum>', None),
    (b'<sum><variable identifier="SCORE"/><baseValue baseType="float">1</baseValue></sum>', "2"),
])
def test_a_rule_taking_points_off_names_no_answer_the_box_accepts(
    score: bytes, sample: str | None
) -> None:
    """Review 33: a rule taking a point off for an answer (`SCORE - 1`, `SCORE + -1`) made
    that answer the essay's sample answer; one adding a point still does."""
    data = SCORED_BOX.replace(b'<baseValue baseType="float">1</baseValue></setOutcomeValue>',
                              score + b"</setOutcomeValue>")
    (question,) = qti21.read(Source("item.xml", data, Path("."))).bank.questions
    assert question.sample_answer == sample


def test_a_bound_set_by_a_rule_is_no_score() -> None:
    """Review 33: MAXSCORE ends in SCORE; a rule setting it gives the learner nothing."""
    data = SCORED_BOX.replace(b'<setOutcomeValue identifier="SCORE">',
                              b'<setOutcomeValue identifier="MAXSCORE">')
    (question,) = qti21.read(Source("item.xml", data, Path("."))).bank.questions
    assert question.sample_answer is None


def test_two_feedbacks_hidden_when_the_key_is_chosen_are_both_kept() -> None:
    """Review 32 of the change: a feedback block and a modal feedback both hidden on the key
    kept only the last (both reached the explanation before)."""
    data = HIDDEN_ON_KEY.replace(
        b"</choiceInteraction></itemBody>",
        b'</choiceInteraction><feedbackBlock outcomeIdentifier="FEEDBACK" identifier="FOX" '
        b'showHide="hide"><p>Block: the answer is Fox.</p></feedbackBlock></itemBody>')
    imported = qti21.read(Source("item.xml", data, Path(".")))
    (question,) = imported.bank.questions
    assert question.feedback is not None and question.feedback.incorrect == (
        "No, the correct answer is Vicente Fox.\n\nBlock: the answer is Fox.")


def test_an_image_name_windows_cannot_store_is_kept_for_the_import_to_rename() -> None:
    """Review 32 of the change: `./a:b.png` was still dropped as "outside the package" by the
    QTI 2.x reader, before the import's renaming could keep it."""
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    item = ITEM.replace(b"<prompt>", b'<prompt><img src="./a:b.png" alt="a"/>')
    data = zip_bytes({"imsmanifest.xml": MANIFEST, "items/q.xml": item, "items/a:b.png": png})
    imported = qti21.read(Source("quiz.zip", data, Path("/nonexistent")))
    assert imported.media == {"media/items/a:b.png": png}


@pytest.mark.parametrize(("src", "said"), [
    ("a%00.png", "its path contains U+0000"),
    ("sub\\a.png", "its path contains '\\\\'"),
    ("../../a.png", "it is outside the package"),
])
def test_an_image_path_that_cannot_be_used_is_dropped_for_its_own_reason(src: str,
                                                                         said: str) -> None:
    """Review 33: a NUL or a backslash in an image's path was "outside the package"."""
    item = ITEM.replace(b"<prompt>", f'<prompt><img src="{src}" alt="a"/>'.encode())
    data = zip_bytes({"imsmanifest.xml": MANIFEST, "items/q.xml": item})
    notes = qti21.read(Source("quiz.zip", data, Path("/nonexistent"))).notes
    assert any(n.message.endswith(f"dropped: {said}") for n in notes), [n.message for n in notes]


def test_the_key_tested_by_its_value_is_not_another_response() -> None:
    """Review 32b: a rule testing the key by value (`match(RESPONSE, 'A')`, as Canvas's
    conversions write it) and giving it part of the points (normalMaximum 2) was noted as "a
    response other than the key"."""
    data = PART_SCORED.replace(
        b'<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>',
        b'<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float" '
        b'normalMaximum="2"/>').replace(
        b'<correct identifier="RESPONSE"/>', b'<baseValue baseType="identifier">A</baseValue>'
    ).replace(b'baseType="float">2</baseValue>', b'baseType="float">1</baseValue>', 1)
    notes = qti21.read(Source("item.xml", data, Path("."))).notes
    assert [n.location.line for n in notes if "part of the points" in n.message] == [14]  # B


def _score_feedback_item(branches: str) -> bytes:
    """Two text entries worth a point each, then feedback chosen by the score (QTIWorks'
    language samples, Graham Smith's 'Conjugation of haben', in small)."""
    entry = ('<responseDeclaration identifier="R{n}" cardinality="single" baseType="string">'
             "<correctResponse><value>{word}</value></correctResponse></responseDeclaration>")
    add = ('<responseCondition><responseIf><match><variable identifier="R{n}"/><correct '
           'identifier="R{n}"/></match><setOutcomeValue identifier="SCORE"><sum><variable '
           'identifier="SCORE"/><baseValue baseType="float">1.0</baseValue></sum>'
           "</setOutcomeValue></responseIf></responseCondition>")
    texts = "".join(f'<modalFeedback outcomeIdentifier="FEEDBACK" identifier="{i}" '
                    f'showHide="show">{t}</modalFeedback>' for i, t in (
                        ("ALLCORRECT", "Yes, both forms."), ("MOSTCORRECT", "One form."),
                        ("WRONG", "No form right."), ("TABLE", "ich habe, du hast")))
    return (f"""<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"
 identifier="haben" title="haben" adaptive="false" timeDependent="false">
{entry.format(n=1, word="habe")}{entry.format(n=2, word="hast")}
<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">
<defaultValue><value>0</value></defaultValue></outcomeDeclaration>
<outcomeDeclaration identifier="FEEDBACK" cardinality="multiple" baseType="identifier"/>
<itemBody><p>ich <textEntryInteraction responseIdentifier="R1"/>, du
<textEntryInteraction responseIdentifier="R2"/></p></itemBody>
<responseProcessing>{add.format(n=1)}{add.format(n=2)}
<responseCondition>{branches}</responseCondition></responseProcessing>{texts}
</assessmentItem>""").encode()


_SET = ('<setOutcomeValue identifier="FEEDBACK"><multiple>{}</multiple></setOutcomeValue>')
_IDS = '<baseValue baseType="identifier">{}</baseValue>'


def _sets(*identifiers: str) -> str:
    return _SET.format("".join(_IDS.format(i) for i in identifiers))


def test_feedback_chosen_by_the_score_is_placed_by_its_condition_not_its_name() -> None:
    """Import review 33 (B4): "WRONG" (shown below a threshold) was every wrong answer's
    feedback, and "ALLCORRECT" (shown at full marks) went to the explanation every learner
    reads; a text shown in every branch short of full marks is the incorrect feedback."""
    branches = (
        '<responseIf><equal toleranceMode="exact"><variable identifier="SCORE"/>'
        f'<baseValue baseType="float">2.0</baseValue></equal>{_sets("ALLCORRECT")}</responseIf>'
        '<responseElseIf><gte><variable identifier="SCORE"/><baseValue baseType="float">1.0'
        f'</baseValue></gte>{_sets("MOSTCORRECT", "TABLE")}</responseElseIf>'
        f'<responseElse>{_sets("WRONG", "TABLE")}</responseElse>')
    imported = qti21.read(Source("haben.xml", _score_feedback_item(branches), Path(".")))
    (q,) = imported.bank.questions
    assert q.feedback is not None
    assert (q.feedback.correct, q.feedback.incorrect) == ("Yes, both forms.", "ich habe, du hast")
    assert q.explanation == "One form.\n\nNo form right."
    assert [n.message for n in imported.notes] == [
        f"modal feedback '{i}' on 'FEEDBACK' is shown with the explanation (its condition is "
        "not carried)" for i in ("MOSTCORRECT", "WRONG")]
    # Without a last branch for every other score, nothing is known of the others.
    partial = branches.replace("<responseElse>", "<responseElseIf><lt><variable identifier="
                               '"SCORE"/><baseValue baseType="float">1.0</baseValue></lt>'
                               ).replace("</responseElse>", "</responseElseIf>")
    (q,) = qti21.read(Source("haben.xml", _score_feedback_item(partial), Path("."))).bank.questions
    assert q.feedback is not None and q.feedback.incorrect == "No form right."  # by its name


def test_ten_thousand_score_branches_are_read_quickly() -> None:
    branches = (
        '<responseIf><gte><variable identifier="SCORE"/><variable identifier="MAXSCORE"/>'
        f'</gte>{_sets("ALLCORRECT")}</responseIf>'
        + "".join('<responseElseIf><gte><variable identifier="SCORE"/><baseValue baseType='
                  f'"float">{n}</baseValue></gte>{_sets(f"B{n}", "TABLE")}</responseElseIf>'
                  for n in range(10_000))
        + f'<responseElse>{_sets("WRONG", "TABLE")}</responseElse>')
    start = cpu_seconds()
    imported = qti21.read(Source("haben.xml", _score_feedback_item(branches), Path(".")))
    assert cpu_seconds() - start < 2
    (q,) = imported.bank.questions
    assert q.feedback is not None and q.feedback.incorrect == "ich habe, du hast"


@pytest.mark.parametrize("case", ["blanks.xml", "essay.xml", "order.xml",
                                  "feedback-in-body.xml", "canvas-points.pkg"])
def test_a_qti20_item_reads_as_its_qti21_twin(case: str) -> None:
    """Import review 33 (B8): IMS's QTI 2.0 example items (oat-sa/qti-sdk
    test/samples/ims/items/2_0) were "XML of no known kind"; 2.1 kept 2.0's item model."""
    path = INPUTS / "qti21" / case
    data = zip_folder(path) if path.is_dir() else path.read_bytes()
    older = zip_bytes({name: content.replace(b"v2p1", b"v2p0") for name, content in
                       _entries(data).items()}) if path.is_dir() else data.replace(
        b"imsqti_v2p1", b"imsqti_v2p0")
    assert older != data and qti21.detect(older) and not qti30.detect(older)
    twin = qti21.read(Source(case, data, path.parent))
    read = qti21.read(Source(case, older, path.parent))
    assert read.bank == twin.bank
    assert [n.message for n in read.notes] == [n.message for n in twin.notes]


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_choice_naming_an_undeclared_response_says_so() -> None:
    """IMS's own QTI 2.0 choice_multiple example names MR01 and declares RESPONSE: it was
    refused as "no choice is declared correct", though a correct response is declared."""
    item = _single_choice("w", "A", "SCORE", "float") + (
        b'<itemBody><choiceInteraction responseIdentifier="MR01" maxChoices="1">'
        b'<simpleChoice identifier="A">A</simpleChoice><simpleChoice identifier="B">B'
        b"</simpleChoice></choiceInteraction></itemBody></assessmentItem>")
    error = _refused(item, "item.xml")
    assert error.diagnostics[0].message == (
        "item left out: the interaction's response 'MR01' is not declared (declared: "
        "'RESPONSE'), so no choice is known to be correct")
    many = item.replace(b"<outcomeDeclaration", b"".join(
        f'<responseDeclaration identifier="R{n}" cardinality="single" baseType="identifier"/>'
        .encode() for n in range(10_000)) + b"<outcomeDeclaration")
    assert _refused(many, "item.xml").diagnostics[0].message.startswith(
        "item left out: the interaction's response 'MR01' is not declared (declared: "
        "'RESPONSE', 'R0', 'R1', …)")
    unnamed = item.replace(b' responseIdentifier="MR01"', b"")
    assert _refused(unnamed, "item.xml").diagnostics[0].message == (
        "item left out: the interaction's responseIdentifier is missing (declared: "
        "'RESPONSE'), so no choice is known to be correct")


def test_the_rubric_block_of_a_section_file_is_noted(tmp_path: Path) -> None:
    """Review 34: the instructions of a section read from its own file (assessmentSectionRef)
    were dropped without a note, where those of a section in the test file are noted."""
    package = tmp_path / "section-ref.pkg"
    shutil.copytree(INPUTS / "qti21" / "section-ref.pkg", package)
    methods = package / "sections" / "methods.xml"
    methods.write_text(methods.read_text(encoding="utf-8").replace(
        '<selection select="1"/>', '<selection select="1"/><rubricBlock view="candidate"><p>'
        "Read the methods card first.</p></rubricBlock>"), encoding="utf-8")
    imported = qti21.read(Source("section-ref.zip", zip_folder(package), Path(".")))
    note = imported.notes[0]
    assert (note.kind, note.location.file, note.location.path, note.message) == (
        "dropped", "section-ref.zip!sections/methods.xml", "/assessmentSection/rubricBlock",
        "a section's instructions (its rubric block) are dropped: a bank's section holds no "
        "text")


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_a_blank_that_opens_a_paragraph_stays_a_blank(target: str) -> None:
    """A one-blank question whose blank opens a paragraph with text after it ("Fill\n\n[[b]]
    kg of coffee") was read back as a short answer: the entry had nothing before it, and the
    words after it moved before the answer box, without a note."""
    reader = qti21 if target == "qti21" else qti30
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
            {"id": "q", "type": "fill_in_blanks", "prompt": "Fill in.\n\n[[b]] kg of coffee",
             "explanation": "x", "blanks": {"b": ["two"]}},

            {"id": "s", "type": "short_answer", "prompt": "Type it.", "explanation": "x",
             "answers": [{"text": "two"}]}]})
    loaded = LoadedBank(bank, Source("b.json", b"", Path(".")), ())
    data = export(loaded, target, make_ctx()).data
    blank, short = reader.read(Source("b.zip", data, Path("."))).bank.questions
    assert (blank.type, blank.prompt) == ("fill_in_blanks", "Fill in.\n\n[[b]] kg of coffee")
    assert short.type == "short_answer"


def _one_blank_read_back(target: str, prompt: str) -> m.Question:
    """A question of one blank `b` exported to `target` and read back."""
    reader = qti21 if target == "qti21" else qti30
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
            {"id": "q", "type": "fill_in_blanks", "prompt": prompt, "explanation": "x",
             "blanks": {"b": ["Paris"]}}]})
    data = export(LoadedBank(bank, Source("b.json", b"", Path(".")), ()), target,
                  make_ctx()).data
    (read,) = reader.read(Source("b.zip", data, Path("."))).bank.questions
    return read


@pytest.mark.parametrize("target", ["qti21", "qti30"])
@pytest.mark.parametrize("prompt", ["The capital is **[[b]]**.", "**[[b]]** is the capital.",
                                    "It is *in **[[b]]***, of course."])
def test_a_blank_in_bold_or_italics_stays_a_blank(target: str, prompt: str) -> None:
    """A text entry was a short answer when it was its parent's only child, and a blank in
    bold is the only child of its <b>: 'The capital is **[[b]]**.' came back as a short
    answer 'The capital is .', the blank's place lost. Wrappers inside a paragraph count as
    the entry's place."""
    read = _one_blank_read_back(target, prompt)
    assert (read.type, read.prompt) == ("fill_in_blanks", prompt)


@pytest.mark.parametrize("target", ["qti21", "qti30"])
@pytest.mark.parametrize("prompt", [
    "[[b]]\n\nis the capital of France.",
    "Complete the table.\n\n| city | country |\n|---|---|\n| [[b]] | France |\n| Rome | Italy |",
    "| country | city |\n|---|---|\n| France | [[b]] |",
    "- [[b]]\n- Lyon",
])
def test_a_blank_with_text_after_its_paragraph_or_in_a_cell_stays_a_blank(
        target: str, prompt: str) -> None:
    """A text entry alone in its paragraph was a short answer whatever followed it: a blank
    over the rest of its sentence came back as the short answer 'is the capital of France.',
    a blank in a table's cell or a list's item as a short answer whose table had an empty
    cell, the box under it, the blank's place lost without a note."""
    read = _one_blank_read_back(target, prompt)
    assert read.type == "fill_in_blanks"
    assert read.blanks == {"b": ["Paris"]}
    assert "[[b]]" in read.prompt
    if "|" not in prompt:  # a table comes back as HTML
        assert read.prompt == prompt


def test_feedback_after_a_lone_entry_leaves_it_a_short_answer() -> None:
    """Inline feedback in a paragraph after the entry is taken out of the text (it is
    feedback): the entry still ends the text the learner reads, a short answer's box."""
    item = (
        b'<?xml version="1.0"?><assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
        b' identifier="i" title="t" adaptive="false" timeDependent="false">'
        b'<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string">'
        b"<correctResponse><value>Paris</value></correctResponse></responseDeclaration>"
        b'<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
        b'<outcomeDeclaration identifier="FEEDBACK" cardinality="single" baseType="identifier"/>'
        b"<itemBody><p>Capital of France?</p><p><textEntryInteraction "
        b'responseIdentifier="RESPONSE"/></p><p><feedbackInline outcomeIdentifier="FEEDBACK" '
        b'identifier="right" showHide="show">Right!</feedbackInline></p></itemBody>'
        b'<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/'
        b'rptemplates/match_correct"/></assessmentItem>')
    (question,) = qti21.read(Source("item.xml", item, Path("."))).bank.questions
    assert (question.type, question.prompt) == ("short_answer", "Capital of France?")


_V = '<variable identifier="RESPONSE"/>'


def _b(value: str) -> str:
    return f'<baseValue baseType="float">{value}</baseValue>'


@pytest.mark.parametrize(("condition", "answer", "unread"), [
    (f'<or><equal toleranceMode="exact">{_V}{_b("5")}</equal><equal toleranceMode="exact">'
     f'{_V}{_b("10")}</equal></or>', {"value": 5.0}, ["10 (equal)"]),
    (f"<or><and><gte>{_V}{_b('1')}</gte><lte>{_V}{_b('2')}</lte></and><and><gte>{_V}"
     f"{_b('5')}</gte><lte>{_V}{_b('6')}</lte></and></or>", {"min": 1.0, "max": 2.0},
     ["5 (gte)", "6 (lte)"]),
])
def test_a_numeric_items_other_accepted_values_are_noted(
        condition: str, answer: dict[str, float], unread: list[str]) -> None:
    """A processing accepting 5 or 10 (a root of x² - 15x + 50), or 1..2 or 5..6, was read as
    its first value or range without a word: learners answering 10 were marked wrong."""
    item = (
        '<?xml version="1.0"?><assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"'
        ' identifier="i" title="t" adaptive="false" timeDependent="false">'
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float">'
        "<correctResponse><value>5</value></correctResponse></responseDeclaration>"
        '<outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>'
        "<itemBody><p>A root?</p><p><textEntryInteraction responseIdentifier=\"RESPONSE\"/>"
        f"</p></itemBody><responseProcessing><responseCondition><responseIf>{condition}"
        '<setOutcomeValue identifier="SCORE">' + _b("1") + "</setOutcomeValue></responseIf>"
        "</responseCondition></responseProcessing></assessmentItem>").encode()
    imported = qti21.read(Source("item.xml", item, Path(".")))
    (question,) = imported.bank.questions
    assert question.model_dump()["answer"] == answer | (
        {"tolerance": 0.0} if "value" in answer else {})
    assert [n.message for n in imported.notes] == [
        f"the response processing also compares the answer with {', '.join(unread)}, which "
        f"{'is' if len(unread) == 1 else 'are'} not read: a numeric question accepts one value "
        "or range"]


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_packagers_own_tolerance_rule_is_read_without_a_note(target: str) -> None:
    """packager tests the bounds in decimal beside the tolerance (3b5df09): those are the
    answer's, not other values."""
    reader = qti21 if target == "qti21" else qti30
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
            {"id": "q", "type": "numeric", "prompt": "Rate?", "explanation": "x",
             "answer": {"value": 0.06, "tolerance": 0.01}}]})
    data = export(LoadedBank(bank, Source("b.json", b"", Path(".")), ()), target,
                  make_ctx()).data
    imported = reader.read(Source("b.zip", data, Path(".")))
    assert imported.bank.questions[0].model_dump()["answer"] == {"value": 0.06,
                                                                 "tolerance": 0.01}
    assert imported.notes == []
