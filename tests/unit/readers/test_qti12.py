"""The QTI 1.2 reader (Canvas, text2qti, Blackboard shapes): golden imports of
fixtures/inputs/qti12, detection, and malformed or hostile input refused with its location."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.model.questions import (
    ExactAnswer,
    FillInBlanks,
    Matching,
    MultipleResponse,
    Numeric,
    Ordering,
    RangeAnswer,
    ShortAnswer,
    SingleChoice,
)
from packager.readers import cc, qti12
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.writers.canonical import write
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden
from tests.unit.readers.qti2_cases import zip_bytes

FOLDER = INPUTS / "qti12"
# The other zips are hostile or broken (test_malformed_and_hostile_input_is_refused).
GOLDEN = [(c, "xml") for c in cases("qti12", "xml")] + [("text2qti", "zip")]


def _item(body: str, processing: str = "", qtype: str = "multiple_choice_question") -> bytes:
    return f"""<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
<assessment ident="a" title="T"><section ident="root_section">
<item ident="q1" title="Q"><itemmetadata><qtimetadata><qtimetadatafield>
<fieldlabel>question_type</fieldlabel><fieldentry>{qtype}</fieldentry></qtimetadatafield>
</qtimetadata></itemmetadata>
<presentation><material><mattext texttype="text/html">&lt;p&gt;Q?&lt;/p&gt;</mattext></material>
{body}</presentation><resprocessing>{processing}</resprocessing></item>
</section></assessment></questestinterop>""".encode()


def _read(data: bytes, name: str = "quiz.xml") -> None:
    qti12.read(Source(name, data, Path(".")))


@pytest.mark.parametrize(("case", "ext"), GOLDEN)
def test_golden(request: pytest.FixtureRequest, case: str, ext: str) -> None:
    check_golden(request, "qti12", case, ext, qti12.read)


@pytest.mark.parametrize(("case", "ext"), GOLDEN)
def test_fixtures_are_detected_as_qti12_and_not_as_cc(case: str, ext: str) -> None:
    data = (FOLDER / f"{case}.{ext}").read_bytes()
    assert qti12.detect(data)
    assert not cc.detect(data)


def test_the_same_source_gives_the_same_bank() -> None:
    data = (FOLDER / "text2qti.zip").read_bytes()
    first, second = (qti12.read(Source("t.zip", data, FOLDER)) for _ in range(2))
    assert write(first.bank) == write(second.bank)
    assert first.media == second.media


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04garbage", b"<quiz/>", b"\x00\x01\x02", b"<?xml version='1.0'?><assessment/>",
    zip_bytes({"imsmanifest.xml": b"<manifest><resources><resource type='webcontent'/>"
                             b"</resources></manifest>"}),
])
def test_detect_says_no_and_never_raises(data: bytes) -> None:
    assert not qti12.detect(data)


def test_detect_reads_the_root_past_a_declaration_and_comments() -> None:
    assert qti12.detect(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- Canvas -->\n<questestinterop>')


@pytest.mark.parametrize(("data", "name", "message"), [
    (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b"<questestinterop>&x;</questestinterop>", "quiz.xml", "declares XML entities"),
    (b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><questestinterop>&b;'
     b"</questestinterop>", "quiz.xml", "declares XML entities"),
    (b"<questestinterop><assessment>", "quiz.xml", "not well-formed XML"),
    ('<?xml version="1.0" encoding="UTF-8"?><questestinterop title="caf\u00e9"/>'
     .encode("latin-1"), "quiz.xml", "not well-formed XML"),
    (b"<assessmentItem/>", "quiz.xml", "not a QTI 1.2 document"),
    (b"<questestinterop/>", "quiz.xml", "no questions found"),
    ((FOLDER / "zip-slip.zip").read_bytes(), "zip-slip.zip", "has the segment '..'"),
    ((FOLDER / "no-manifest.zip").read_bytes(), "no-manifest.zip", "has no imsmanifest.xml"),
    ((FOLDER / "missing-assessment.zip").read_bytes(), "missing-assessment.zip",
     "which is not in the package"),
    ((FOLDER / "text2qti.zip").read_bytes()[:900], "cut.zip", "not a readable zip archive"),
    (zip_bytes({"imsmanifest.xml": b"<manifest/>", "bomb.xml": b"\0" * (8 * 1024 * 1024)}),
     "bomb.zip", "like a zip bomb"),
    (zip_bytes({"imsmanifest.xml": b"<manifest><resources/></manifest>"}), "empty.zip",
     "lists no QTI 1.2 assessment"),
])
def test_malformed_and_hostile_input_is_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(data, name)
    assert message in str(caught.value) + " ".join(d.message for d in caught.value.diagnostics)
    if caught.value.diagnostics:
        assert caught.value.diagnostics[0].file.startswith(name)


LABELS = """<response_lid ident="response1" rcardinality="Single"><render_choice>
<response_label ident="a"><material><mattext>A</mattext></material></response_label>
<response_label ident="b"><material><mattext>B</mattext></material></response_label>
</render_choice></response_lid>"""


@pytest.mark.parametrize(("body", "processing", "qtype", "message"), [
    (LABELS, "", "multiple_choice_question", "no choice is marked correct"),
    ("", "", "multiple_choice_question", "without a response_lid"),
    ('<response_str ident="response1"><render_fib/></response_str>', "",
     "short_answer_question", "without an accepted answer"),
    ('<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>',
     '<respcondition><conditionvar><varequal respident="response1">1e400</varequal>'
     '</conditionvar><setvar action="Set">100</setvar></respcondition>',
     "numerical_question", "is not a number an LMS holds"),
    # Past the decimal context's exponent limit (abs() raised decimal.Overflow).
    ('<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>',
     '<respcondition><conditionvar><varequal respident="response1">1e1000000</varequal>'
     '</conditionvar><setvar action="Set">100</setvar></respcondition>',
     "numerical_question", "'1e1000000' is not a number an LMS holds"),
    # Bounds pass 1e15 where a bank's value ± tolerance does; what the bank holds may not.
    ('<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>',
     '<respcondition><conditionvar><varequal respident="response1">1</varequal><and>'
     '<vargte respident="response1">-3e15</vargte><varlte respident="response1">3000000000000002'
     '</varlte></and></conditionvar><setvar action="Set">100</setvar></respcondition>',
     "numerical_question", "the tolerance 3000000000000001 is beyond ±1e15"),
    ('<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>',
     '<respcondition><conditionvar><vargte respident="response1">1</vargte>'
     '</conditionvar><setvar action="Set">100</setvar></respcondition>',
     "numerical_question", "neither a value nor a range"),
    # A key naming a choice the item lacks (Blackboard's positional `answer_0` read as QTI)
    # marked only the named choices that exist: a wrong key, silently.
    (LABELS.replace("rcardinality=\"Single\"", "rcardinality=\"Multiple\""),
     '<respcondition><conditionvar><and><varequal respident="response1">a</varequal>'
     '<varequal respident="response1">answer_1</varequal></and></conditionvar>'
     '<setvar action="Set">100</setvar></respcondition>', "multiple_answers_question",
     "scores the choice 'answer_1', which the item does not have: the key is not known"),
    (LABELS.replace('ident="response1"', 'ident="response_x"'), "",
     "fill_in_multiple_blanks_question", "without a blank in its text"),
    (LABELS.replace('ident="response1"', 'ident="response_x]"'), "",
     "fill_in_multiple_blanks_question", "the blank name 'x]' holds a bracket"),
])
def test_unreadable_items_are_located(body: str, processing: str, qtype: str,
                                      message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(_item(body, processing, qtype))
    (first,) = caught.value.diagnostics
    assert message in first.message
    assert (first.file, first.line, first.pointer) == (
        "quiz.xml", 3, "/questestinterop/assessment/section/item")


def test_every_unreadable_item_is_reported_not_only_the_first() -> None:
    one = _item(LABELS).decode()
    two = one.replace('<item ident="q1"', '<item ident="q2"', 1)
    both = one.replace("</section>", two[two.index("<item"):two.index("</section>")]
                       + "</section>")
    with pytest.raises(InputError) as caught:
        _read(both.encode())
    assert [d.pointer for d in caught.value.diagnostics] == [
        "/questestinterop/assessment/section/item[1]",
        "/questestinterop/assessment/section/item[2]",
    ]


def test_an_image_address_urlsplit_refuses_is_dropped_with_a_note() -> None:
    """"http://[x" (an unclosed IPv6 host) made urlsplit raise: a traceback, not a note."""
    scored = ('<respcondition><conditionvar><varequal respident="response1">a</varequal>'
              '</conditionvar><setvar action="Set">100</setvar></respcondition>')
    images = ('&lt;p&gt;Q? &lt;img src="http://[x/a.png"&gt; '
              '&lt;img src="$IMS-CC-FILEBASE$//[x/b.png"&gt;&lt;/p&gt;')
    data = _item(LABELS, scored).replace(b"&lt;p&gt;Q?&lt;/p&gt;", images.encode())
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    assert imported.bank.questions[0].prompt == "Q?"
    assert not imported.media
    assert any("'http://[x/a.png' dropped: an import keeps only images inside" in n.message
               for n in imported.notes)


def test_a_file_upload_only_quiz_has_no_questions() -> None:
    with pytest.raises(InputError, match="no questions found"):
        _read(_item("", "", "file_upload_question"))


@pytest.mark.parametrize("path", [FOLDER / f"{c}.{e}" for c, e in GOLDEN]
                         + sorted((INPUTS / "cc").glob("c*.imscc")), ids=lambda p: p.name)
def test_imported_banks_pass_every_check_with_their_media(path: Path, tmp_path: Path) -> None:
    from packager.pipeline import check

    read = cc.read if path.suffix == ".imscc" else qti12.read
    imported = read(Source(path.name, path.read_bytes(), path.parent))
    for href, data in imported.media.items():
        (tmp_path / href).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / href).write_bytes(data)
    bank_json = write(imported.bank)
    _, diagnostics = check(Source(str(tmp_path / "bank.json"), bank_json, tmp_path))
    assert [d for d in diagnostics if d.is_error] == []


# --- shapes met in real exports: each fixture is also a golden (test_golden) ---------------


def _fixture(case: str) -> Imported:
    path = FOLDER / f"{case}.xml"
    return qti12.read(Source(path.name, path.read_bytes(), FOLDER))


def _notes(imported: Imported, kind: str) -> list[tuple[str | None, str | None, str]]:
    """(question id, XML path, message) of each note of this kind."""
    return [(n.question_id, n.location.path, n.message) for n in imported.notes
            if n.kind == kind]


def test_an_ordered_response_is_ordering_in_the_sequence_its_scoring_tests() -> None:
    """rcardinality="Ordered" became multiple response with every item correct."""
    imported = _fixture("ordered-response")
    ims, new_quizzes = imported.bank.questions
    assert isinstance(ims, Ordering) and isinstance(new_quizzes, Ordering)
    assert ims.items == ["Mercury", "Venus", "Earth", "Mars"]
    assert (new_quizzes.items, new_quizzes.points) == (
        ["Run the tests", "Tag the commit", "Upload the wheel"], 2.0)
    ((qid, path, message),) = _notes(imported, "dropped")
    assert (qid, path) == (None, "/questestinterop/item[3]")
    assert "its correct order is not known" in message


def test_response_str_boxes_in_the_text_are_blanks_where_they_stand() -> None:
    """Several response_str boxes became one short answer accepting any box's answer."""
    imported = _fixture("response-str-blanks")
    (question,) = imported.bank.questions
    assert isinstance(question, FillInBlanks)
    assert question.prompt == (
        "Complete the sentence: Water rises as [[gap1]] and falls again as [[gap2]].")
    assert question.blanks == {"gap1": ["vapour", "vapor"], "gap2": ["rain"]}
    assert question.case_sensitive
    assert _notes(imported, "changed") == [
        ("water-cycle", "/questestinterop/item[1]",
         "no question type given: read as fill_in_blanks from its structure"),
        # One condition tests both boxes: all or nothing, where a bank gives each its share.
        ("water-cycle", "/questestinterop/item[1]",
         "partial credit is gained: the response processing scores it all or nothing (its 1 "
         "point for every blank right, else 0), and a fill-in-the-blanks question gives each "
         "right blank its share")]
    ((qid, path, message),) = _notes(imported, "dropped")
    assert (qid, path) == (None, "/questestinterop/item[2]")
    assert "the blank 'CHILE' (a response_str) has no accepted answer" in message


def test_a_new_quizzes_blank_to_pick_in_accepts_only_its_rewarded_option() -> None:
    """Every label of a blank was accepted: a dropdown's and a word bank's wrong options too.
    A typed blank keeps every label: Canvas rewards only the first, though it accepts all."""
    imported = _fixture("newquizzes-picked-blanks")
    (question,) = imported.bank.questions
    assert isinstance(question, FillInBlanks)
    assert list(question.blanks.values()) == [["dawn"], ["bay"], ["harbour", "harbor"]]
    assert [message for _, _, message in _notes(imported, "dropped")] == [
        "the wrong options of dropdown '0d1e2f3a-4b5c-4d6e-8f70-a1b2c3d4e5f6' (noon, dusk): "
        "it became a typed blank",
        "the wrong options of word bank '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' (desert): "
        "it became a typed blank",
    ]


def test_a_new_quizzes_blank_is_found_by_its_ident_when_its_material_is_the_answer() -> None:
    """The blank's name was taken from its material, which New Quizzes sets to the correct
    answer: no [name] was found and the file was refused."""
    imported = _fixture("newquizzes-blank-names")
    (question,) = imported.bank.questions
    assert isinstance(question, FillInBlanks)
    assert question.blanks == {"7c6b5a49-3827-4165-9f0e-d1c2b3a49586": ["Moon"],
                               "8d7c6b5a-4938-4276-a10f-e2d3c4b5a697": ["day"]}
    assert "by the [[7c6b5a49-3827-4165-9f0e-d1c2b3a49586]]" in question.prompt


def test_a_blank_missing_from_the_text_is_refused_naming_the_names_looked_for() -> None:
    lid = LABELS.replace('ident="response1"', 'ident="response_tide"').replace(
        "<render_choice>", "<material><mattext>Moon</mattext></material><render_choice>")
    with pytest.raises(InputError) as caught:
        _read(_item(lid, "", "fill_in_multiple_blanks_question"))
    (error,) = caught.value.diagnostics
    assert error.message == ("a fill-in-the-blanks question without a blank in its text "
                             "(looked for [Moon], [tide])")


def test_canvas_matching_rows_without_a_prompt_are_dropped_and_the_quiz_imported() -> None:
    """Canvas's empty matching rows (no left side, matched to the empty answer) refused the
    whole quiz with "has no correct match"; a row entered twice failed the model."""
    imported = _fixture("canvas-blank-matching-rows")
    matching, true_false = imported.bank.questions
    assert isinstance(matching, Matching)
    assert [(p.prompt, p.match) for p in matching.pairs] == [
        ("Danube", "Black Sea"), ("Elbe", "North Sea")]
    assert matching.distractors == ["Red Sea"]
    assert true_false.type == "true_false"
    first, second, third = (f"/questestinterop/assessment/section/item[{n}]"
                            for n in (1, 2, 3))
    assert _notes(imported, "dropped") == [
        ("g1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f", first,
         "the matching row 'response_3101': it has no prompt"),
        ("g1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f", first,
         "the matching row 'response_3103': it has no prompt"),
        ("g1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f", first,
         "the matching row 'response_3105': it repeats the row 'response_3102'"),
        (None, second, "the matching row 'response_4201': it has no prompt"),
        (None, second, "not imported: a matching question of 1 row(s) with a prompt (it "
         "needs two)"),
        (None, third, "not imported: the matching rows 'response_5301' and 'response_5302' "
         "show the same prompt with different matches"),
    ]


def test_canvas_blanks_without_a_question_type_are_blanks() -> None:
    """Canvas writes fill_in_multiple_blanks and multiple_dropdowns alike (a response_lid
    `response_<name>` per blank, its material the name, `[name]` in the text; canvas-lms's
    lib/cc/qti/qti_items.rb). Without the question_type field (older Canvas, other tools)
    they were read as matching questions, the text showing `[fr]`, `[grass]`: the blanks were
    lost. They are blanks accepting the answer the scoring rewards; the others are dropped
    with a note (wrong options of a dropdown, or more answers of a typed blank: Canvas writes
    both so)."""
    data = (FOLDER / "canvas-part-credit.xml").read_bytes()
    untyped = b"\n".join(line for line in data.split(b"\n") if b"question_type" not in line)
    imported = qti12.read(Source("quiz.xml", untyped, Path(".")))
    capitals, colours, rivers = imported.bank.questions
    assert isinstance(capitals, FillInBlanks) and isinstance(colours, FillInBlanks)
    assert capitals.prompt == "France: [[fr]], Italy: [[it]]"
    assert capitals.blanks == {"fr": ["Paris"], "it": ["Rome"]}
    assert colours.blanks == {"grass": ["green"], "sky": ["blue"], "snow": ["white"]}
    assert rivers.type == "matching"  # its rows' idents are answers' numbers, not names
    assert [(n.question_id, n.message) for n in imported.notes if "grass" in n.message] == [
        (colours.id, "the answers of blank 'grass' its scoring does not reward (red): with no "
         "question type they may be wrong options to pick from or more answers it accepts")]
    assert [n.message for n in imported.notes if n.question_id == capitals.id] == [
        "no question type given: read as fill_in_blanks from its structure"]


def test_canvas_options_without_text_are_dropped_unless_one_is_correct() -> None:
    """Empty wrong options refused the quiz with the model's paths ("questions/4/
    multiple_response/choices/0/text: Value error")."""
    imported = _fixture("canvas-blank-choices")
    (question,) = imported.bank.questions
    assert isinstance(question, MultipleResponse)
    assert [(c.id, c.text, c.correct) for c in question.choices] == [
        ("8802", "7", True), ("8803", "9", False), ("8804", "11", True)]
    first, second = (f"/questestinterop/assessment/section/item[{n}]" for n in (1, 2))
    assert _notes(imported, "dropped") == [
        ("g4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c", first, "the choice '8801': it has no text"),
        ("g4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c", first, "the choice '8805': it has no text"),
        (None, second, "not imported: the correct choice '9902' has no text"),
    ]


def test_brightspace_metadata_feedback_and_multi_select_key_are_read() -> None:
    """Brightspace's qti_metadatafield (points, type) was never read, its general feedback
    (ident = the item's label) was dropped, and a multi-select's wrong picks, which add to
    D2L_Incorrect, were keyed correct."""
    imported = _fixture("brightspace-questiondb")
    single, multiple, blanks, short = imported.bank.questions
    assert isinstance(single, SingleChoice)
    assert (single.points, single.explanation) == (
        2.5, "Plants take in carbon dioxide and give off oxygen.")
    assert isinstance(multiple, MultipleResponse)
    assert [c.text for c in multiple.choices if c.correct] == ["Neon", "Argon"]
    assert isinstance(blanks, FillInBlanks)
    assert (blanks.prompt, blanks.blanks, blanks.points) == (
        "The powerhouse of the cell is the [[unit3_q3_a1_str]].",
        {"unit3_q3_a1_str": ["mitochondrion"]}, 3.0)
    # A Multi-Short Answer of one box whose every answer earns full credit is a short answer.
    assert (short.type, [a.text for a in short.answers]) == ("short_answer",
                                                             ["fluorine", "iodine"])
    assert _notes(imported, "dropped") == []
    assert _notes(imported, "changed") == []


def test_a_canvas_question_bank_is_titled_by_its_bank_title_field() -> None:
    """The bank's title and id were the objectbank's digest ident."""
    bank = _fixture("canvas-objectbank").bank
    assert (bank.title, bank.id) == ("Weather words", "weather-words")


def test_an_image_left_out_gets_one_note_with_its_file_name() -> None:
    """A web image got two notes ("not found in the source" and "never fetches one"), its
    address cut at 60 characters, where it read as a folder."""
    scored = ('<respcondition><conditionvar><varequal respident="response1">a</varequal>'
              '</conditionvar><setvar action="Set">100</setvar></respcondition>')
    far = "https://images.example.org/courses/physics-101/week-07/diagrams/pendulum-forces.png"
    near = "https://example.org/a.png"
    images = f'&lt;p&gt;Q? &lt;img src="{far}"&gt; &lt;img src="{near}"&gt;&lt;/p&gt;'
    data = _item(LABELS, scored).replace(b"&lt;p&gt;Q?&lt;/p&gt;", images.encode())
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    fetches = "dropped: an import keeps only images inside the source, never fetches one"
    assert [n.message for n in imported.notes] == [
        "image 'https://images.example.org/courses/…/pendulum-forces.png' "
        f"{fetches}",
        f"image '{near}' {fetches}",
    ]


def test_a_new_quizzes_stimulus_is_a_bank_stimulus_of_the_questions_naming_it() -> None:
    """The stimulus was a stand-alone text question and its questions did not refer to it;
    its `instructions` were dropped without a word."""
    imported = _fixture("newquizzes-stimulus")
    bank = imported.bank
    ((stimulus_id, title, body),) = [(s.id, s.title, s.body) for s in bank.stimuli]
    assert (title, body) == ("Harbour notice", "Read before answering\n\nThe harbour closes "
                             "at 18:00 on Sundays; the ferry runs until 17:30.")
    assert [(q.type, q.stimulus) for q in bank.questions] == [
        ("true_false", stimulus_id), ("short_answer", stimulus_id), ("essay", None)]
    assert _notes(imported, "changed") == [
        (None, "/questestinterop/assessment/section/item[1]",
         "its instructions 'Read before answering' became the first paragraph of its text"),
        (None, "/questestinterop/assessment/section/item[1]",
         f"the text item became the stimulus {stimulus_id!r} of the 2 question(s) that name "
         "it as their parent")]
    assert _notes(imported, "dropped") == [
        ("d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8", "/questestinterop/assessment/section/item[4]",
         "its stimulus '0000000000000000000000000000ffff': no text item of the source has "
         "that ident")]


def test_a_new_quizzes_pattern_blank_is_left_out_and_a_loose_match_noted() -> None:
    """A TextRegex blank's pattern was keyed as the literal answer (no learner could match
    it); contains- and near-matches became exact answers without a word."""
    imported = _fixture("newquizzes-typed-blanks")
    (question,) = imported.bank.questions
    assert isinstance(question, FillInBlanks)
    assert list(question.blanks.values()) == [["reddish"], ["wiring"]]
    assert [message for _, _, message in _notes(imported, "changed")] == [
        "the blank '1f2e3d4c-0000-4000-8000-000000000001' accepted any answer that contains "
        "'reddish' (TextContainsAnswer); it now accepts 'reddish' itself",
        "the blank '1f2e3d4c-0000-4000-8000-000000000002' accepted answers a few typing "
        "errors away from 'wiring' (TextCloseEnough); it now accepts 'wiring' itself",
    ]
    ((qid, path, message),) = _notes(imported, "dropped")
    assert (qid, path) == (None, "/questestinterop/item[2]")
    assert "is scored by the pattern '^mice$' (New Quizzes' TextRegex)" in message


def test_a_d2l_arithmetic_question_is_left_out_not_made_an_essay() -> None:
    """D2L's Arithmetic (a formula over variables) was read as an ungraded essay "Solve the
    formula:", its variables, formula and tolerance gone, noted only as changed."""
    imported = _fixture("d2l-library")
    assert "multi variable math" not in [q.title for q in imported.bank.questions]
    assert [q.type for q in imported.bank.questions if q.type == "essay"] == []
    assert (None, "/questestinterop/objectbank/section/item[1]",
            "not imported: D2L's 'Arithmetic' question is a calculated question (a formula "
            "over variables), which a bank has no type for") in _notes(imported, "dropped")


def test_a_lone_d2l_arithmetic_question_is_refused_for_what_it_is() -> None:
    """Alone in its file (D2L's shape with its response_num only), the item was refused as "a
    numerical question without a correct answer": its answer is a formula."""
    data = b"""<questestinterop><objectbank ident="QLIB_1"><section ident="S1" title="s">
<item ident="OBJ_1" title="math"><itemmetadata><qtimetadata><qti_metadatafield>
<fieldlabel>qmd_questiontype</fieldlabel><fieldentry>Arithmetic</fieldentry>
</qti_metadatafield></qtimetadata></itemmetadata>
<presentation><flow><material><mattext texttype="text/html">&lt;p&gt;Compute 2*{x}&lt;/p&gt;
</mattext><mat_extension><variable name="x"><minvalue>1</minvalue><maxvalue>5</maxvalue>
</variable><formula>2 * {x}</formula></mat_extension></material>
<response_num ident="N" rcardinality="Single"><render_fib fibtype="Decimal" prompt="Box">
<response_label ident="A1"/></render_fib></response_num></flow></presentation>
<resprocessing><respcondition><respcond_extension><formula>2 * {x}</formula>
</respcond_extension><conditionvar><other/></conditionvar><setvar action="Set">100</setvar>
</respcondition></resprocessing></item></section></objectbank></questestinterop>"""
    with pytest.raises(InputError) as caught:
        _read(data)
    assert [d.message for d in caught.value.diagnostics] == [
        "not imported: D2L's 'Arithmetic' question is a calculated question (a formula over "
        "variables), which a bank has no type for"]
    assert "no questions found" in str(caught.value)


def _d2l_item(qtype: str, material: str) -> str:
    """A Brightspace item of that qmd_questiontype, in the shape of canvas-lms's D2L fixture
    text_only.xml (qti_exporter/spec_canvas/fixtures/d2l)."""
    return (f'<item ident="OBJ_1" label="QUES_1" title="{qtype}"><itemmetadata><qtimetadata>'
            "<qti_metadatafield><fieldlabel>qmd_questiontype</fieldlabel>"
            f"<fieldentry>{qtype}</fieldentry></qti_metadatafield><qti_metadatafield>"
            "<fieldlabel>qmd_weighting</fieldlabel><fieldentry>5.000000000</fieldentry>"
            "</qti_metadatafield></qtimetadata></itemmetadata><presentation><flow><material>"
            f"{material}</material></flow></presentation></item>")


def _d2l_quiz(*items: str) -> bytes:
    return ('<questestinterop xmlns:d2l_2p0="http://desire2learn.com/xsd/d2lcp_v2p0">'
            '<assessment ident="res_quiz_1" title="Week 2"><section ident="CONTAINER_SECTION">'
            + "".join(items) + "</section></assessment></questestinterop>").encode()


def test_brightspace_text_information_is_a_text_item() -> None:
    """Review 33: Brightspace's "Text Information" item was read as text from its shape
    with a note that its type "is not one this reader knows": it is the text item it is."""
    imported = qti12.read(Source("quiz.xml", _d2l_quiz(_d2l_item(
        "Text Information", '<mattext texttype="text/html">&lt;p&gt;Read the &lt;strong&gt;'
        "passage&lt;/strong&gt; below.&lt;/p&gt;</mattext>")), Path(".")))
    (question,) = imported.bank.questions
    assert (question.type, question.prompt) == ("text", "Read the **passage** below.")
    assert imported.notes == []


def test_an_item_of_only_an_image_not_in_the_source_is_left_out_saying_so() -> None:
    """Review 33: Brightspace's image item whose image the source does not hold was left out
    "as read, it is not a valid question (prompt: Field required)", the model's words."""
    image = ('<mattext texttype="text/html"></mattext><matimage d2l_2p0:is_hidden="true" '
             'uri="quizzing\\bunny.png">bunny.png</matimage>')
    imported = qti12.read(Source("quiz.xml", _d2l_quiz(
        _d2l_item("Image", image), _d2l_item("Text Information", "<mattext>Hello.</mattext>")),
        Path(".")))
    assert [q.prompt for q in imported.bank.questions] == ["Hello."]
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("dropped", "image 'quizzing\\\\bunny.png' dropped: not found in the source"),
        ("dropped", "not imported: its text held only what was dropped, as noted")]
    images = "".join(f'<matimage uri="{n}.png"/>' for n in "abcd")
    imported = qti12.read(Source("quiz.xml", _d2l_quiz(
        _d2l_item("Image", images), _d2l_item("Text Information", "<mattext>Hi.</mattext>")),
        Path(".")))
    assert [(n.kind, n.message) for n in imported.notes] == [
        *(("dropped", f"image '{n}.png' dropped: not found in the source") for n in "abcd"),
        ("dropped", "not imported: its text held only what was dropped, as noted")]


def test_d2l_choice_feedback_is_linked_by_the_number_in_its_ident() -> None:
    """D2L names a choice's feedback `<label>_IF<n>` for the choice `<label>_A<n>` and links
    it by no displayfeedback: it was dropped as belonging to no answer."""
    imported = _fixture("d2l-library")
    (multiple,) = [q for q in imported.bank.questions if isinstance(q, MultipleResponse)]
    assert [(c.text, c.feedback) for c in multiple.choices] == [
        ("1", "a"), ("2", None), ("3", None), ("4", None)]
    assert not [n for n in imported.notes if "IF4710353" in n.message]


def test_a_d2l_multi_short_answer_of_several_boxes_is_left_out() -> None:
    """Three boxes, each answer a third of the points, became a short answer where any one
    answer took full credit."""
    imported = _fixture("d2l-library")
    assert [q.type for q in imported.bank.questions] == ["multiple_response"]
    assert (None, "/questestinterop/objectbank/section/item[3]",
            "not imported: D2L's Multi-Short Answer of 3 boxes, each accepted answer worth "
            "33.33% of the points: a bank's short answer gives full credit for any one "
            "answer") in _notes(imported, "dropped")


def test_a_d2l_quiz_description_is_the_bank_description() -> None:
    """The assessment's rubric (D2L's quiz description) was dropped without a note, and so was
    its introduction."""
    imported = _fixture("d2l-quiz")
    assert imported.bank.description == "description"
    assert (None, "/questestinterop/assessment",
            "the introduction of the quiz 'introduction' (Brightspace's intro_message): a bank "
            "has one description") in _notes(imported, "dropped")


def test_a_canvas_numeric_question_keeps_the_answer_the_others_agree_with() -> None:
    """The first answer was kept: Canvas wrote a real export's "exactly 42" as 0.0 (0 ≤ x ≤ 0),
    so 0 became the key and 42 was marked wrong, and the note named no answer."""
    imported = _fixture("canvas-numeric-answers")
    agreed, apart, precise = (q.answer for q in imported.bank.questions
                              if isinstance(q, Numeric))
    assert isinstance(agreed, RangeAnswer) and (agreed.min, agreed.max) == (41.5, 42.5)
    # No answer agrees with another: the first is kept, as Canvas lists them.
    assert isinstance(apart, ExactAnswer) and (apart.value, apart.tolerance) == (0, 0)
    assert isinstance(precise, ExactAnswer) and (precise.value, precise.tolerance) == (7, 0.05)
    one = ": a bank's numeric question has one answer"
    assert [message for _, _, message in _notes(imported, "dropped")] == [
        f"kept 41.5 to 42.5; dropped 0 (exact) and 42 ± 0.005{one}",
        f"kept 0 (exact); dropped 41.5 to 42.5{one}",
        f"kept 7 ± 0.05; dropped 6.9 to 7.1 and 0 (exact){one}",
    ]
    # Said of the answer kept only: the precision answer of the first question is dropped.
    assert _notes(imported, "changed") == [
        ("g3e0d0c0b0a090807060504030201000f", "/questestinterop/assessment/section/item[3]",
         "a precision answer became a value with a tolerance")]


def test_a_numeric_note_names_six_dropped_answers_and_counts_the_rest() -> None:
    conditions = "".join(
        f'<respcondition continue="No"><conditionvar><varequal respident="r">{n}</varequal>'
        '</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>'
        for n in range(1, 11))
    body = ('<response_str ident="r" rcardinality="Single"><render_fib fibtype="Decimal">'
            '<response_label ident="a"/></render_fib></response_str>')
    source = _item(body, conditions, "numerical_question")
    imported = qti12.read(Source("quiz.xml", source, Path(".")))
    assert [message for _, _, message in _notes(imported, "dropped")] == [
        "kept 1 (exact); dropped 2 (exact), 3 (exact), 4 (exact), 5 (exact), 6 (exact), "
        "7 (exact) and 3 more: a bank's numeric question has one answer"]


def test_canvas_shares_per_blank_and_per_row_are_noted_only_when_unequal() -> None:
    """Canvas adds a share of the score per right blank or row (setvar action="Add"), equal
    ones as a bank gives (33.33, 33.33, 33.34 too): no note. Shares of other sizes become
    equal ones: noted."""
    imported = _fixture("canvas-part-credit")
    assert [q.type for q in imported.bank.questions] == [
        "fill_in_blanks", "fill_in_blanks", "matching"]
    assert [message for _, _, message in _notes(imported, "changed")] == [
        "multiple dropdowns became fill-in-the-blanks"]
    path = FOLDER / "canvas-part-credit.xml"
    data = path.read_bytes().replace(
        b'<varequal respident="response_fr">1</varequal></conditionvar><setvar varname="SCORE" '
        b'action="Add">50.00</setvar>', b'<varequal respident="response_fr">1</varequal>'
        b'</conditionvar><setvar varname="SCORE" action="Add">70.00</setvar>')
    unequal = qti12.read(Source(path.name, data, FOLDER))
    assert [message for _, _, message in _notes(unequal, "changed")] == [
        "the shares are changed: the response processing scores each blank on its own ('fr' "
        "70, 'it' 50), and a fill-in-the-blanks question gives each right blank an equal "
        "share of its 2 points", "multiple dropdowns became fill-in-the-blanks"]


def test_a_numeric_answer_that_cannot_be_read_is_dropped_beside_one_that_can() -> None:
    """Only the first answer was read: one that was neither a value nor a range left the
    question out, though the next answer was a plain value."""
    box = '<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>'
    scored = "".join(
        f'<respcondition><conditionvar>{test}</conditionvar><setvar action="Set">100</setvar>'
        "</respcondition>" for test in ('<vargte respident="response1">1</vargte>',
                                        '<varequal respident="response1">2.50</varequal>'))
    data = _item(box, scored, "numerical_question")
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric) and question.answer == ExactAnswer(value=2.5)
    assert [n.message for n in imported.notes] == [
        "kept 2.5 (exact); dropped one that cannot be read (the numerical answer is neither a "
        "value nor a range): a bank's numeric question has one answer"]


def _numerical(equal: str, low: str, high: str, strict: bool = False) -> Imported:
    box = '<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>'
    above = "vargt" if strict else "vargte"
    scored = ('<respcondition><conditionvar><or>'
              f'<varequal respident="response1">{equal}</varequal><and>'
              f'<{above} respident="response1">{low}</{above}>'
              f'<varlte respident="response1">{high}</varlte></and></or></conditionvar>'
              '<setvar action="Set">100</setvar></respcondition>')
    return qti12.read(Source("quiz.xml", _item(box, scored, "numerical_question"), Path(".")))


def test_a_key_further_from_one_bound_than_the_other_is_the_range_of_its_bounds() -> None:
    """Key 1, bounds 0.9 and 5 was read as 1 ± 4, silently: -3 to 0.9, which the source
    marks wrong, was accepted. A bank's range holds the bounds exactly; the key shown is
    lost, noted."""
    imported = _numerical("1", "0.9", "5")
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric) and question.answer == RangeAnswer(min=0.9, max=5)
    assert _notes(imported, "changed") == [
        ("q1", "/questestinterop/assessment/section/item",
         "the answer 1 accepts 0.9 to 5, further above it (a tolerance is the same either "
         "side): the bank accepts the range 0.9 to 5, and shows no answer 1")]
    # A precision answer whose bounds are not about its key (Canvas rounds the key to the
    # digits asked for: 13.434 to 2 decimals is 13.425 < x ≤ 13.435) likewise.
    precise = _numerical("13.434", "13.425", "13.435", strict=True)
    (question,) = precise.bank.questions
    assert isinstance(question, Numeric)
    assert question.answer == RangeAnswer(min=13.425, max=13.435)
    assert [message for _, _, message in _notes(precise, "changed")][1:] == [
        "a precision answer became a range"]
    # A key outside its bounds: the key alone, not 1 ± 2 (-1 to 3).
    outside = _numerical("1", "2", "3")
    (question,) = outside.bank.questions
    assert isinstance(question, Numeric) and question.answer == ExactAnswer(value=1)
    assert [message for _, _, message in _notes(outside, "changed")] == [
        "the answer 1 is not between its bounds 2 and 3: the bank accepts 1 only"]


@pytest.mark.parametrize(("equal", "low", "high", "tolerance"), [
    ("4", "4", "4", 0), ("2.5", "2", "3", 0.5),
    # Bounds a writer computed in binary, one unit in the last place off: one tolerance.
    ("0.1", "-0.1", "0.30000000000000004", 0.20000000000000004),
    ("1e15", "999999999999996.4", "1000000000000003.6", 3.6),
])
def test_a_key_between_bounds_as_far_either_side_is_a_value_with_a_tolerance(
        equal: str, low: str, high: str, tolerance: float) -> None:
    imported = _numerical(equal, low, high)
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric)
    assert question.answer == ExactAnswer(value=float(equal), tolerance=tolerance)
    assert imported.notes == []


def test_an_answer_worth_part_of_the_points_is_worth_nothing_and_noted() -> None:
    """Venus set 50 where Mercury set 100: it was made a second right answer (the question a
    multiple response); `natrium` at 50 became an accepted answer; no note said so."""
    choice = _item(LABELS.replace(">A<", ">Mercury<").replace(">B<", ">Venus<"),
                   '<respcondition><conditionvar><varequal respident="response1">a</varequal>'
                   '</conditionvar><setvar action="Set">100</setvar></respcondition>'
                   '<respcondition><conditionvar><varequal respident="response1">b</varequal>'
                   '</conditionvar><setvar action="Set">50</setvar></respcondition>')
    imported = qti12.read(Source("quiz.xml", choice, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, SingleChoice)
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Mercury", True), ("Venus", False)]
    assert _notes(imported, "dropped") == [
        ("q1", "/questestinterop/assessment/section/item", "the answer 'Venus' scores 50 where "
         "the right answer scores 100: a bank's answer is right or wrong, so here it is worth "
         "nothing")]
    short = _item('<response_str ident="response1"><render_fib/></response_str>',
                  '<respcondition><conditionvar><varequal respident="response1">Na</varequal>'
                  '</conditionvar><setvar action="Set">100</setvar></respcondition>'
                  '<respcondition><conditionvar><varequal respident="response1">natrium'
                  '</varequal></conditionvar><setvar action="Set">50</setvar></respcondition>',
                  "short_answer_question")
    imported = qti12.read(Source("quiz.xml", short, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, ShortAnswer)
    assert [a.text for a in question.answers] == ["Na"]
    assert [m for _, _, m in _notes(imported, "dropped")] == [
        "the answer 'natrium' scores 50 where the right answer scores 100: a bank's answer is "
        "right or wrong, so here it is worth nothing"]


# --- names the package spells otherwise than its documents (portability review F5) --------

_FOLDER = "text2qti_assessment_5e0f7c1a"
_DOCUMENT = f"{_FOLDER}/{_FOLDER}.xml"


def _text2qti(image: str, *entries: str, document: str = _DOCUMENT) -> bytes:
    """text2qti.zip whose document refers to its chart as `image` (no folder), the chart
    stored as each of `entries` (in its folder), the document as `document`."""
    from urllib.parse import quote

    with zipfile.ZipFile(FOLDER / "text2qti.zip") as original:
        files = {name: original.read(name) for name in original.namelist()}
    chart = files.pop(f"{_FOLDER}/chart one.png")
    files[document] = files.pop(_DOCUMENT).replace(b"chart%20one.png", quote(image).encode())
    return zip_bytes({**files, **{f"{_FOLDER}/{entry}": chart for entry in entries}})


def _changed(imported: Imported) -> list[str]:
    return [n.message for n in imported.notes if n.kind == "changed"]


@pytest.mark.parametrize(("image", "entry", "how"), [
    # A Mac's Finder zips the name with its accent decomposed; the document has it composed.
    ("ch\u00e0rt one.png", "cha\u0300rt one.png", "how its accents are encoded"),
    ("chart one.png", "Chart One.png", "letter case"),  # a Windows disk found it all the same
], ids=["nfd", "case"])
def test_an_image_the_package_spells_otherwise_is_kept_with_a_note(
    image: str, entry: str, how: str
) -> None:
    """The image was dropped as "not found in the source"."""
    imported = qti12.read(Source("t.zip", _text2qti(image, entry), FOLDER))
    assert f"media/{_FOLDER}/{entry}" in imported.media
    (note,) = [m for m in _changed(imported) if "taken from" in m]
    assert note.startswith("image '%24IMS-CC-FILEBASE%24/")
    assert note.endswith(f"taken from the package's '{_FOLDER}/{entry}', whose name differs "
                         f"in {how}" + (" (é as one character, or as e and a combining accent: "
                                        "the two look alike)" if "accents" in how else ""))


@pytest.mark.parametrize("reference", ["", "%24IMS-CC-FILEBASE%24/a:b.png",
                                       "$IMS-CC-FILEBASE$/a:b.png?a=1", "./a:b.png"])
def test_an_image_named_with_a_colon_at_the_package_root_is_read(reference: str) -> None:
    """`a:b.png` at a package's root (a name Linux and macOS zips store) refused the whole
    package ("starts with 'a:', a Windows drive"), referred to or not, though no entry is
    ever extracted by its name; referred to through the file base, it was looked for as
    `b.png` (`a:` taken for an address's scheme). It is read, and the import writes it
    `a-b.png` with a note (import_media)."""
    with zipfile.ZipFile(FOLDER / "text2qti.zip") as original:
        files = {name: original.read(name) for name in original.namelist()}
    chart = files.pop(f"{_FOLDER}/chart one.png")
    if reference:
        files[_DOCUMENT] = files[_DOCUMENT].replace(
            f"%24IMS-CC-FILEBASE%24/{_FOLDER}/chart%20one.png".encode(), reference.encode())
    imported = qti12.read(Source("t.zip", zip_bytes({**files, "a:b.png": chart}), FOLDER))
    assert len(imported.bank.questions) == 4
    if reference:
        assert imported.media["media/a:b.png"] == chart
        assert "media/a:b.png" in imported.bank.questions[0].prompt


def test_an_image_two_entries_may_be_is_dropped_saying_so() -> None:
    imported = qti12.read(Source("t.zip", _text2qti("chart one.png", "Chart One.png",
                                                    "CHART ONE.png"), FOLDER))
    assert not any("chart" in href.lower() for href in imported.media)
    (note,) = [n.message for n in imported.notes if "CHART ONE" in n.message]
    assert note.endswith(
        "dropped: the package holds no file of that name, but 2 whose names differ from it only "
        f"in letter case or in how accents are encoded ('{_FOLDER}/CHART ONE.png', "
        f"'{_FOLDER}/Chart One.png'): which is meant cannot be told")


def test_an_assessment_the_package_spells_otherwise_is_read_with_a_note() -> None:
    """The manifest names the document in lower case; the package stores it in upper case:
    the import failed ("the manifest names …, which is not in the package")."""
    document = f"{_FOLDER}/{_FOLDER.upper()}.xml"
    imported = qti12.read(Source("t.zip", _text2qti("chart one.png", "chart one.png",
                                                    document=document), FOLDER))
    assert len(imported.bank.questions) == 4
    assert f"media/{_FOLDER}/chart one.png" in imported.media
    assert (f"the assessment '{_DOCUMENT}' taken from the package's '{document}', whose name "
            "differs in letter case") in _changed(imported)


def test_both_spellings_of_a_decomposed_key_read_back_as_one_answer() -> None:
    """The writers list a decomposed key beside its NFC form (QTI 1.2, QTI 2.x, Blackboard and
    the cartridge compare code points); read back, that is one answer, as written."""
    import unicodedata

    from packager.model import Bank
    from packager.pipeline import LoadedBank, export
    from tests.conftest import make_ctx

    decomposed = unicodedata.normalize("NFD", "café")
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B",
        "questions": [{"id": "q", "type": "short_answer", "prompt": "Coffee house?",
                       "answers": [{"text": decomposed}, {"text": "bar"}]}]})
    data = export(LoadedBank(bank, Source("b.json", b"", Path(".")), ()), "qti12",
                  make_ctx()).data
    from packager.archive import ZipEntries

    entries = ZipEntries(data)
    items = b"".join(entries[name] for name in entries if name.endswith(".xml"))
    assert items.count(f">{decomposed}<".encode()) == 1 and items.count(">café<".encode()) == 1
    (question,) = qti12.read(Source("b.zip", data, Path("."))).bank.questions
    assert [a.text for a in question.answers] == [decomposed, "bar"]


def test_a_negative_score_of_a_wrong_choice_is_noted() -> None:
    """Import review 32b (A4): a wrong choice scored -1 (or a Subtract) lost its penalty
    without a note."""
    processing = ('<outcomes><decvar/></outcomes><respcondition><conditionvar>'
                  '<varequal respident="response1">a</varequal></conditionvar>'
                  '<setvar action="Set">100</setvar></respcondition><respcondition>'
                  '<conditionvar><varequal respident="response1">b</varequal></conditionvar>'
                  '<setvar action="Set">-25</setvar></respcondition>')
    imported = qti12.read(Source("quiz.xml", _item(LABELS, processing), Path(".")))
    (note,) = [n for n in imported.notes if "negative scores" in n.message]
    assert note.kind == "changed" and "-25" in note.message


def test_a_choices_feedback_linked_by_its_condition_is_kept() -> None:
    """Import review 32b (A3): feedback shown by a condition testing one choice
    (`<displayfeedback linkrefid="fb_b">`, QTI's own link) was dropped as belonging to no
    answer unless its ident followed an exporter's naming."""
    processing = ('<respcondition continue="Yes"><conditionvar><varequal respident="response1">'
                  'b</varequal></conditionvar><displayfeedback linkrefid="fb_b"/></respcondition>'
                  '<respcondition><conditionvar><varequal respident="response1">a</varequal>'
                  '</conditionvar><setvar action="Set">100</setvar></respcondition>')
    data = _item(LABELS, processing).replace(
        b"</resprocessing>", b'</resprocessing><itemfeedback ident="fb_b"><material>'
        b'<mattext texttype="text/plain">Not b.</mattext></material></itemfeedback>')
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    (question,) = imported.bank.questions
    assert [c.feedback for c in question.choices] == [None, "Not b."]
    assert not [n for n in imported.notes if "belongs to no answer" in n.message]


def test_every_feedback_linked_to_one_choice_is_kept_in_order() -> None:
    """Review 33: a second `<displayfeedback linkrefid>` under the condition of one choice
    was dropped with a note that it "belongs to no answer a bank can hold"; the learner who
    picked b saw both, so the choice's feedback is both, in the order they are linked."""
    processing = ('<respcondition continue="Yes"><conditionvar><varequal respident="response1">'
                  'b</varequal></conditionvar><displayfeedback linkrefid="fb_b2"/>'
                  '<displayfeedback linkrefid="fb_b1"/></respcondition>'
                  '<respcondition><conditionvar><varequal respident="response1">a</varequal>'
                  '</conditionvar><setvar action="Set">100</setvar></respcondition>')
    data = _item(LABELS, processing).replace(b"</resprocessing>", b"</resprocessing>" + b"".join(
        b'<itemfeedback ident="%s"><material><mattext texttype="text/plain">%s</mattext>'
        b"</material></itemfeedback>" % pair for pair in ((b"fb_b1", b"One."), (b"fb_b2", b"Two."))))
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    (question,) = imported.bank.questions
    assert [c.feedback for c in question.choices] == [None, "Two.\n\nOne."]
    assert [n.message for n in imported.notes if "feedback" in n.message] == []


def test_a_calculator_the_learner_may_use_is_noted_as_dropped() -> None:
    """Import review 32b: New Quizzes' `calculator_type` (instructure/qti's
    true_false_with_calculator) was dropped without a note, as QTI 3.0's companion
    materials were."""
    data = _item(LABELS, '<respcondition><conditionvar><varequal respident="response1">a'
                 '</varequal></conditionvar><setvar action="Set">100</setvar></respcondition>')
    data = data.replace(b"</qtimetadata>", b"<qtimetadatafield><fieldlabel>calculator_type"
                        b"</fieldlabel><fieldentry>basic</fieldentry></qtimetadatafield>"
                        b"</qtimetadata>")
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    (note,) = [n for n in imported.notes if "calculator" in n.message]
    assert note.kind == "dropped" and "(basic)" in note.message


def test_short_answers_are_one_only_where_an_engine_compares_them_alike() -> None:
    """Review 34: accepted answers were told apart by str.casefold whatever their case flag:
    a case-insensitive `paris` after a case-sensitive `Paris` was dropped (a learner typing
    PARIS, right in the source, was marked wrong), and so was `Strasse` after `Straße`."""
    box = '<response_str ident="r" rcardinality="Single"><render_fib/></response_str>'
    conditions = "".join(
        f'<respcondition><conditionvar><varequal respident="r" case="{case}">{text}'
        '</varequal></conditionvar><setvar action="Set">100</setvar></respcondition>'
        for text, case in [("Paris", "Yes"), ("paris", "No"), ("PARIS", "No"),
                           ("Straße", "No"), ("Strasse", "No")])
    data = _item(box, conditions, "short_answer_question")
    (q,) = qti12.read(Source("quiz.xml", data, Path("."))).bank.questions
    assert [(a.text, a.case_sensitive) for a in q.answers] == [
        ("Paris", True), ("paris", False), ("Straße", False), ("Strasse", False)]
