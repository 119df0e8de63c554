"""The QTI 3.0 importer: golden imports of hand-written items and a package with a shared
stimulus (qti2_cases); what differs from QTI 2.1 in refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import qti21, qti30
from packager.readers.base import Source
from packager.readers.imported import Imported
from tests.cpu_time import cpu_seconds
from tests.unit.readers.qti2_cases import INPUTS, cases, check_case, source, zip_bytes, zip_folder

CASES = cases("qti30")


@pytest.mark.parametrize("case", CASES)
def test_case(request: pytest.FixtureRequest, case: str) -> None:
    check_case(request, qti30, "qti30", case)


@pytest.mark.parametrize("case", CASES)
def test_a_qti30_case_is_not_qti21(case: str) -> None:
    assert not qti21.detect(source("qti30", case).data)


def test_a_qti21_package_is_refused_with_a_hint() -> None:
    data = zip_folder(INPUTS / "qti21" / "package.pkg")
    with pytest.raises(InputError) as caught:
        qti30.read(Source("quiz.zip", data, Path("/nonexistent")))
    assert "lists no QTI 3.0 item or test" in caught.value.message
    assert "--from qti21" in (caught.value.diagnostics[0].hint or "")


def test_a_stimulus_outside_a_package_is_dropped_with_a_note() -> None:
    data = (INPUTS / "qti30" / "package.pkg" / "items" / "leads.xml").read_bytes()
    imported = qti30.read(Source("leads.xml", data, INPUTS / "qti30"))
    assert imported.bank.stimuli == []
    assert [n.kind for n in imported.notes] == ["dropped"]
    assert "stimulus" in imported.notes[0].message


def test_true_false_keeps_the_feedback_its_choices_hold() -> None:
    imported = qti30.read(source("qti30", "true-false-inline-feedback.xml"))
    question = imported.bank.questions[0]
    assert question.type == "true_false" and question.answer is False
    assert question.feedback_true == "No: it uses less."
    assert question.feedback_false == "Right: it is the shortest shot."
    assert imported.notes == []


def test_a_match_shown_as_an_image_is_its_alt_text() -> None:
    """Targets that were images dropped their pairs as "a prompt without a correct match",
    though both pairs were correct, and the item was left out."""
    imported = qti30.read(source("qti30", "match-image-targets.xml"))
    question = imported.bank.questions[0]
    assert question.type == "matching"
    assert [(p.prompt, p.match) for p in question.pairs] == [("Espresso", "A demitasse"),
                                                            ("Latte", "A tall glass")]
    assert [(n.kind, n.location.path.rpartition("/")[2]) for n in imported.notes] == [
        ("changed", "qti-simple-associable-choice[1]"),
        ("changed", "qti-simple-associable-choice[2]")]
    assert "given by its alt text" in imported.notes[0].message


def _with_true_false(resource: str, files: dict[str, bytes]) -> bytes:
    """A package of `files`, its manifest listing `resource` and then a true/false item."""
    manifest = f"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"><resources>
{resource}
<resource identifier="B" type="imsqti_item_xmlv3p0" href="tf.xml"/></resources></manifest>"""
    tf = (INPUTS / "qti30" / "true-false-inline-feedback.xml").read_bytes()
    return zip_bytes({"imsmanifest.xml": manifest.encode(), **files, "tf.xml": tf})


def test_a_match_that_is_an_image_without_alt_text_leaves_the_question_out() -> None:
    item = (INPUTS / "qti30" / "match-image-targets.xml").read_bytes().replace(
        b'alt="A tall glass"', b'alt=""')
    imported = qti30.read(Source("quiz.zip", _with_true_false(
        '<resource identifier="A" type="imsqti_item_xmlv3p0" href="cups.xml"/>',
        {"cups.xml": item}), Path("/nonexistent")))
    assert [q.id for q in imported.bank.questions] == ["ristretto"]
    assert [(n.question_id, n.kind, n.message) for n in imported.notes if n.kind == "dropped"] == [
        (None, "dropped", "item left out: the match 'P2' is an image without alt text, and a "
         "match is plain text")]


def test_shared_vocabulary_styles_are_kept_where_markdown_has_them() -> None:
    """`span.qti-italic` and `qti-bold` were unwrapped and `qti-underline` dropped without a
    note; white space inside a wrapped line's <strong> showed as a second space."""
    imported = qti30.read(source("qti30", "shared-vocabulary.xml"))
    assert imported.bank.questions[0].prompt == (
        "Describe the *body* of a washed Kenyan, its **acidity** and its finish, in **three** "
        "sentences.")
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("changed", "underline (class qti-underline) is not kept: rich text has none")]


def test_notes_about_a_feedback_block_say_where_it_was() -> None:
    imported = qti30.read(source("qti30", "feedback-block.xml"))
    block = "/qti-assessment-item/qti-item-body/qti-feedback-block"
    assert [(n.location.path, n.message) for n in imported.notes] == [
        (f"{block}/qti-content-body", "<object> 'degassing.mp4' dropped"),
        (block, "feedback block 'REST' on 'HINTS' is shown with the explanation (its "
         "condition is not carried)"),
    ]


def test_an_image_in_a_data_uri_is_reported_as_such() -> None:
    """It was reported "not found in the source"."""
    imported = qti30.read(source("qti30", "data-uri-image.xml"))
    assert imported.bank.questions[0].prompt.startswith("A roast curve with a bend at 196 °C")
    assert imported.media == {}
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("dropped", "image \"data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/sv\" "
         "dropped: it is written into the text (a data: URI), which an import does not "
         "extract")]


def test_a_stimulus_with_no_text_is_marked_and_noted(tmp_path: Path) -> None:
    """A stimulus of an empty body became '(empty)' without a word."""
    package = tmp_path / "package.pkg"
    shutil.copytree(INPUTS / "qti30" / "package.pkg", package)
    stimulus = package / "stimuli" / "quarter.xml"
    text = stimulus.read_text(encoding="utf-8")
    start, end = text.index("<qti-stimulus-body>"), text.index("</qti-stimulus-body>")
    stimulus.write_text(text[:start] + "<qti-stimulus-body>" + text[end:], encoding="utf-8")
    imported = qti30.read(Source("quiz.zip", zip_folder(package), tmp_path))
    assert [s.body for s in imported.bank.stimuli] == ["(empty)"]
    (note,) = [n for n in imported.notes if "(empty)" in n.message]
    assert note.kind == "changed"
    assert note.message == "the stimulus has no text that could be carried: written as '(empty)'"


def test_mathml_in_the_2010_namespace_is_math() -> None:
    """MathML in the 2010 namespace was dropped: choices that were only math became their
    identifiers ("two", "half") and the prompt lost its math."""
    imported = qti30.read(source("qti30", "mathml-2010-namespace.xml"))
    question = imported.bank.questions[0]
    assert question.prompt == "Which $x$ gives $x^2=4$?"
    assert [c.text for c in question.choices] == ["$2$", r"$\frac{1}{2}$"]
    assert imported.notes == []


def test_an_item_with_several_interactions_is_left_out() -> None:
    """The order question kept the text entry's instruction ("Also type x:") as its prompt's
    end, and the entry was only noted as dropped."""
    imported = qti30.read(source("qti30", "several-interactions.pkg"))
    assert [q.id for q in imported.bank.questions] == ["brewing-steps"]
    assert imported.bank.questions[0].prompt == "Order the steps."
    assert [(n.question_id, n.location.file, n.location.path, n.message)
            for n in imported.notes] == [
        (None, "several-interactions.zip!items/order-inline.xml", "/qti-assessment-item",
         "item left out: it has 2 interactions (<orderInteraction>, <textEntryInteraction> "
         "at line 17), and a question has one")]


def test_a_score_floor_and_a_fixed_order_item_are_noted() -> None:
    """Kennisnet's order items give a wrong order 1 of 3 points and keep an item in its
    place when the others are shuffled: both became an ordinary ordering question (0 for a
    wrong order, every item shuffled) without a note."""
    imported = qti30.read(source("qti30", "order-score-floor.xml"))
    question = imported.bank.questions[0]
    assert (question.type, question.points) == ("ordering", 3)
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/qti-assessment-item/qti-item-body/qti-order-interaction/"
         "qti-simple-choice[1]", "the order item 'smell' keeps its place when the others "
         "are shuffled; an ordering question shuffles every item"),
        ("changed", "/qti-assessment-item/qti-response-processing", "the score floor is lost: "
         "the response processing gives a wrong answer 1 of the 3 points, and the question "
         "gives it 0"),
    ]


def _share_notes(rules: bytes | None, weights: bytes | None = None) -> list[str]:
    """The notes on per-pair shares of the threshold item, its response condition replaced
    by `rules` (None: as it is), its first pair mapped as `weights` says."""
    item = (INPUTS / "qti30" / "match-mapped-threshold.xml").read_bytes()
    if weights is not None:
        item = item.replace(b'map-key="B1 C1" mapped-value="1"', weights)
    if rules is not None:
        start = item.index(b"<qti-response-condition>")
        end = item.index(b"</qti-response-condition>") + len(b"</qti-response-condition>")
        item = item[:start] + rules + item[end:]
    imported = qti30.read(Source("origins.xml", item, Path(".")))
    assert imported.bank.questions[0].type == "matching"
    return [n.message for n in imported.notes if "share" in n.message]


def test_per_pair_credit_is_read_only_where_the_mapping_gives_the_score() -> None:
    """Kennisnet scores a match all or nothing with a floor: `match(mapResponse, 3)` gives
    all the points, else 1. Its mapping is only compared: a bank's share per right pair is
    credit the source did not give."""
    imported = qti30.read(source("qti30", "match-mapped-threshold.xml"))
    assert [n.message for n in imported.notes] == [
        "partial credit is gained: the response processing scores it all or nothing (its 4 "
        "points for every pair right, else 0), and a matching question gives each right pair "
        "its share",
        "the score floor is lost: the response processing gives a wrong answer 1 of the 4 "
        "points, and the question gives it 0"]
    # The mapped total (1 a pair) is SCORE, or a term of it through an outcome of its own:
    # each right pair earns an equal share, as in a bank.
    for rules in (
        b'<qti-set-outcome-value identifier="SCORE"><qti-map-response identifier="RESPONSE"/>'
        b'</qti-set-outcome-value>',
        b'<qti-set-outcome-value identifier="PAIRS"><qti-map-response identifier="RESPONSE"/>'
        b'</qti-set-outcome-value><qti-set-outcome-value identifier="SCORE"><qti-sum><qti-base-'
        b'value base-type="float">1</qti-base-value><qti-variable identifier="PAIRS"/></qti-sum>'
        b'</qti-set-outcome-value>',
    ):
        assert _share_notes(rules) == []
    (note,) = _share_notes(rules, weights=b'map-key="B1 C1" mapped-value="2"')
    assert note.startswith("the shares are changed: the response processing scores each pair "
                           "on its own ('B1 C1' 2, 'B2 C2' 1, 'B3 C3' 1, any other pair 0)")


_TEST = b"""<?xml version="1.0"?>
<qti-assessment-test xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="t" title="T">
<qti-test-part identifier="P" navigation-mode="linear" submission-mode="simultaneous">
<qti-assessment-section identifier="S" title="S" visible="true">
<qti-assessment-item-ref identifier="q" href="tf.xml"/></qti-assessment-section>
</qti-test-part>
<qti-test-feedback identifier="low" outcome-identifier="BAND" access="atEnd" show-hide="show">
<qti-content-body><p>Practise more.</p></qti-content-body></qti-test-feedback>
<qti-test-feedback identifier="high" outcome-identifier="BAND" access="atEnd" show-hide="show">
<qti-content-body><p>Well done.</p></qti-content-body></qti-test-feedback>
</qti-assessment-test>"""


def test_test_feedback_is_dropped_with_one_note() -> None:
    """Kennisnet's six `qti-test-feedback` texts were dropped without a note."""
    imported = qti30.read(Source("quiz.zip", _with_true_false(
        '<resource identifier="T" type="imsqti_test_xmlv3p0" href="test.xml"/>',
        {"test.xml": _TEST}), Path("/nonexistent")))
    assert [(n.kind, n.location.file, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "quiz.zip!test.xml", "/qti-assessment-test/qti-test-feedback[1]",
         "the test's feedback (2 texts) is dropped: a bank has no feedback on the whole test")]


def test_a_lone_assessment_test_is_refused_with_what_to_import() -> None:
    assert qti30.detect(_TEST)
    assert not qti21.detect(_TEST)
    with pytest.raises(InputError) as caught:
        qti30.read(Source("test.xml", _TEST, Path("/nonexistent")))
    assert caught.value.message == (
        "test.xml:2 /qti-assessment-test: a QTI 3.0 assessment test, which names its items in "
        "other files: it is read from its package")
    assert caught.value.diagnostics[0].hint == ("import the package: the zip holding "
                                                "imsmanifest.xml, the test and its items")


def test_a_catalog_and_a_placeholder_dropped_are_noted() -> None:
    """A glossary card (qti-catalog-info) and a text entry's placeholder went without a note."""
    item = b"""<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
 identifier="city" title="City" adaptive="false" time-dependent="false">
<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
<qti-correct-response><qti-value>Paris</qti-value></qti-correct-response>
</qti-response-declaration>
<qti-item-body><p>The <span data-catalog-idref="cap">capital</span> of France is
<qti-text-entry-interaction response-identifier="RESPONSE" placeholder-text="a city"/>.</p>
</qti-item-body>
<qti-catalog-info><qti-catalog id="cap"><qti-card support="glossary-on-screen">
<qti-html-content><p>The seat of government.</p></qti-html-content></qti-card></qti-catalog>
</qti-catalog-info>
</qti-assessment-item>"""
    imported = qti30.read(Source("city.xml", item, Path(".")))
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/qti-assessment-item/qti-catalog-info", "the catalog (a glossary or other "
         "support shown beside the words that name it) is dropped: a bank holds none"),
        ("dropped", "/qti-assessment-item/qti-item-body/p/qti-text-entry-interaction",
         "the answer box's placeholder text 'a city' is dropped: a bank's box shows none"),
    ]


def test_companion_materials_are_noted_as_dropped() -> None:
    """Import review 32 (F5): a CvTE exam item allowing a calculator, and one offering a
    reference card, lost them without a note."""
    item = b"""<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="calc"
  title="Calc" adaptive="false" time-dependent="false">
<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
<qti-correct-response><qti-value>A</qti-value></qti-correct-response>
</qti-response-declaration>
<qti-companion-materials-info><qti-calculator><qti-calculator-type>basic</qti-calculator-type>
<qti-description>A basic calculator</qti-description></qti-calculator>
<qti-digital-material label="Reference card"><qti-file-href>card.pdf</qti-file-href>
<qti-resource-icon>card.png</qti-resource-icon></qti-digital-material>
</qti-companion-materials-info>
<qti-item-body><qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
<qti-prompt>12 x 12?</qti-prompt><qti-simple-choice identifier="A">144</qti-simple-choice>
<qti-simple-choice identifier="B">124</qti-simple-choice></qti-choice-interaction>
</qti-item-body></qti-assessment-item>"""
    imported = qti30.read(Source("item.xml", item, Path(".")))
    (note,) = imported.notes
    assert (note.kind, note.location.line) == ("dropped", 7)
    assert note.message.startswith("the companion materials the learner may use (a calculator, "
                                   "Reference card) are dropped")


def _with_manifest(tmp_path: Path, old: str, new: str) -> tuple[Imported, Imported]:
    """The sample package read with its manifest's `old` replaced by `new`, and as it is."""
    package = tmp_path / "package.pkg"
    shutil.copytree(INPUTS / "qti30" / "package.pkg", package)
    (package / "broken.xml").write_text("<assessmentTest", encoding="utf-8")
    manifest = package / "imsmanifest.xml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new, 1),
                        encoding="utf-8")
    expected = qti30.read(Source("quiz.zip", zip_folder(INPUTS / "qti30" / "package.pkg"),
                                 Path("/nonexistent")))
    return qti30.read(Source("quiz.zip", zip_folder(package), Path("/nonexistent"))), expected


def test_a_stimulus_the_manifest_calls_a_test_is_not_the_test(tmp_path: Path) -> None:
    """Import review 33 (B1): 1EdTech's own BPIG package lists its shared passage first, as
    `imsqti_test_xmlv3p0`; the whole package was refused as 'not a QTI 3.0 assessment test'."""
    imported, expected = _with_manifest(
        tmp_path, '<resource identifier="T1"', '<resource identifier="S0" '
        'type="imsqti_test_xmlv3p0" href="stimuli/quarter.xml"/>\n    <resource identifier="T1"')
    assert imported.bank == expected.bank
    assert imported.notes == expected.notes


def test_a_catalog_of_a_stimulus_document_is_noted(tmp_path: Path) -> None:
    """Import review 33 (B3): 1EdTech's BPIG passage carries a glossary card for a name in
    its text; an item's catalog is noted, a stimulus document's went without a word."""
    package = tmp_path / "package.pkg"
    shutil.copytree(INPUTS / "qti30" / "package.pkg", package)
    stimulus = package / "stimuli" / "quarter.xml"
    text = stimulus.read_text(encoding="utf-8").replace(
        "</qti-assessment-stimulus>", '<qti-catalog-info><qti-catalog id="q"><qti-card support='
        '"linguistic-guidance"><qti-html-content>A quarter is three months.</qti-html-content>'
        "</qti-card></qti-catalog></qti-catalog-info></qti-assessment-stimulus>")
    stimulus.write_text(text, encoding="utf-8")
    imported = qti30.read(Source("quiz.zip", zip_folder(package), tmp_path))
    (note,) = [n for n in imported.notes if "catalog" in n.message]
    assert (note.kind, note.location.file, note.location.path) == (
        "dropped", "quiz.zip!stimuli/quarter.xml", "/qti-assessment-stimulus/qti-catalog-info")
    assert note.message.startswith("the catalog (a glossary")


def test_an_item_reference_without_href_is_noted() -> None:
    """Review 33: `href=""` was skipped without a word; the item, listed in the manifest,
    landed after the test's sections."""
    test = _TEST.replace(b'href="tf.xml"', b'href=""')
    resource = '<resource identifier="T" type="imsqti_test_xmlv3p0" href="test.xml"/>'
    imported = qti30.read(Source("quiz.zip", _with_true_false(resource, {"test.xml": test}),
                                 Path("/nonexistent")))
    assert [(n.kind, n.location.path) for n in imported.notes
            if "item reference without an href" in n.message] == [
        ("dropped", "/qti-assessment-test/qti-test-part/qti-assessment-section/"
         "qti-assessment-item-ref")]


def test_the_rubric_blocks_of_sections_not_read_as_the_description_are_noted() -> None:
    """Import review 33 (B2): 1EdTech's BPIG test shows instructions in a later section's
    rubric block; only the test's own (or, without one, the first section's) is read, as the
    bank description, and the others went without a note."""
    test = b"""<?xml version="1.0"?>
<qti-assessment-test xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="t" title="T">
<qti-test-part identifier="P" navigation-mode="linear" submission-mode="simultaneous">
<qti-assessment-section identifier="S1" title="One" visible="true">
<qti-rubric-block view="candidate"><qti-content-body><p>Read first.</p></qti-content-body>
</qti-rubric-block>
<qti-assessment-item-ref identifier="q" href="tf.xml"/></qti-assessment-section>
<qti-assessment-section identifier="S2" title="Two" visible="true">
<qti-rubric-block view="candidate"><qti-content-body><p>No PCI here.</p></qti-content-body>
</qti-rubric-block></qti-assessment-section>
</qti-test-part>
</qti-assessment-test>"""
    resource = '<resource identifier="T" type="imsqti_test_xmlv3p0" href="test.xml"/>'
    imported = qti30.read(Source("quiz.zip", _with_true_false(resource, {"test.xml": test}),
                                 Path("/nonexistent")))
    assert imported.bank.description == "Read first."
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/qti-assessment-test/qti-test-part/qti-assessment-section[2]/"
         "qti-rubric-block", "a section's instructions (its rubric block) are dropped: a "
         "bank's section holds no text")]
    # The test's own rubric block is the description: every section's is noted.
    own = test.replace(b'<qti-test-part', b'<qti-rubric-block view="candidate"><qti-content-'
                       b'body><p>Welcome.</p></qti-content-body></qti-rubric-block><qti-test-part')
    imported = qti30.read(Source("quiz.zip", _with_true_false(resource, {"test.xml": own}),
                                 Path("/nonexistent")))
    assert imported.bank.description == "Welcome."
    assert [n.message for n in imported.notes] == [
        "the sections' instructions (2 rubric blocks) are dropped: a bank's section holds no "
        "text"]


def test_ten_thousand_section_rubric_blocks_are_one_note_quickly() -> None:
    blocks = b'<qti-rubric-block view="candidate"><qti-content-body><p>x</p></qti-content-body>' \
        b'</qti-rubric-block>' * 10_000
    test = _TEST.replace(b'visible="true">', b'visible="true">' + blocks, 1).replace(
        b"<qti-test-part", b'<qti-rubric-block view="candidate"><qti-content-body><p>Hi</p>'
        b"</qti-content-body></qti-rubric-block><qti-test-part", 1)
    start = cpu_seconds()
    imported = qti30.read(Source("quiz.zip", _with_true_false(
        '<resource identifier="T" type="imsqti_test_xmlv3p0" href="test.xml"/>',
        {"test.xml": test}), Path("/nonexistent")))
    assert cpu_seconds() - start < 2
    assert [n.message for n in imported.notes if "rubric" in n.message] == [
        "the sections' instructions (10000 rubric blocks) are dropped: a bank's section holds "
        "no text"]


def test_what_a_candidates_rubric_block_holds_is_named_as_the_source_names_it() -> None:
    """Import review 33: 1EdTech's rubric_block example keeps a stylesheet and a catalog in
    its candidate's instructions; the notes said `<stylesheet>` and `<catalogInfo> dropped (no
    rich-text form)`, QTI 2.1's names, for qti-stylesheet and qti-catalog-info."""
    item = b"""<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
 identifier="walk" title="Walk" adaptive="false" time-dependent="false">
<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
<qti-correct-response><qti-value>B</qti-value></qti-correct-response>
</qti-response-declaration>
<qti-item-body><qti-rubric-block view="candidate" use="instructions">
<qti-stylesheet href="styles/choice.css" type="text/css"/>
<qti-content-body><p>Select the best answer.</p></qti-content-body>
<qti-catalog-info><qti-catalog id="c"><qti-card support="sign-language"><qti-html-content>
<p>Signed</p></qti-html-content></qti-card></qti-catalog></qti-catalog-info>
</qti-rubric-block>
<qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
<qti-prompt>How far?</qti-prompt><qti-simple-choice identifier="A">50</qti-simple-choice>
<qti-simple-choice identifier="B">400</qti-simple-choice></qti-choice-interaction>
</qti-item-body></qti-assessment-item>"""
    imported = qti30.read(Source("walk.xml", item, Path(".")))
    assert imported.bank.questions[0].prompt == "Select the best answer.\n\nHow far?"
    assert [n.message for n in imported.notes] == [
        "<qti-stylesheet> dropped (no rich-text form)",
        "the catalog (a glossary or other support shown beside the words that name it) is "
        "dropped: a bank holds none"]


@pytest.mark.parametrize("href", ["missing.xml", "broken.xml", "stimuli/quarter.xml"])
def test_a_second_test_missing_or_broken_is_noted_not_fatal(tmp_path: Path, href: str) -> None:
    """Review 34: since the stimulus fix every test-typed resource was parsed first, so a
    package whose second test was missing (or not XML) was refused ('the package has no
    file …'), where only the first test is read; one that is a stimulus gets no note."""
    imported, expected = _with_manifest(
        tmp_path, "</resources>",
        f'<resource identifier="T9" type="imsqti_test_xmlv3p0" href="{href}"/></resources>')
    assert imported.bank == expected.bank
    added = [n.message for n in imported.notes if n not in expected.notes]
    assert added == ([] if href.startswith("stimuli/") else
                     ["only the first test of the package is read; the others give no sections"])
