"""A Canvas course export's question banks: Canvas keeps them only in its own QTI files
(`non_cc_assessments/<id>.xml.qti`, objectbank roots), which no Common Cartridge resource
type names. They were left out without a word; a course is often moved for them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from packager.readers import cc
from packager.readers.base import Source

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"


def _item(ident: str, prompt: str, right: str, wrong: str) -> str:
    return f"""
    <item ident="{ident}" title="Question">
      <itemmetadata><qtimetadata>
        <qtimetadatafield><fieldlabel>question_type</fieldlabel>
          <fieldentry>multiple_choice_question</fieldentry></qtimetadatafield>
        <qtimetadatafield><fieldlabel>points_possible</fieldlabel>
          <fieldentry>1.0</fieldentry></qtimetadatafield>
      </qtimetadata></itemmetadata>
      <presentation>
        <material><mattext texttype="text/html">&lt;p&gt;{prompt}&lt;/p&gt;</mattext></material>
        <response_lid ident="response1" rcardinality="Single"><render_choice>
          <response_label ident="1"><material><mattext>{right}</mattext></material>
          </response_label>
          <response_label ident="2"><material><mattext>{wrong}</mattext></material>
          </response_label>
        </render_choice></response_lid>
      </presentation>
      <resprocessing>
        <outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/>
        </outcomes>
        <respcondition continue="No"><conditionvar><varequal respident="response1">1</varequal>
        </conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>
      </resprocessing>
    </item>"""


QUIZ_ITEM = _item("quiz-copy-1", "Which planet is largest?", "Jupiter", "Mars")
# The bank holds the original of the quiz's question, under another ident, and one more.
BANK_ITEMS = (_item("bank-1", "Which planet is largest?", "Jupiter", "Mars")
              + _item("bank-2", "Which planet is closest to the Sun?", "Mercury", "Venus"))

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">
  <metadata><schema>IMS Common Cartridge</schema><schemaversion>1.1.0</schemaversion></metadata>
  <organizations/>
  <resources>
    <resource identifier="bankfile" type="associatedcontent/imscc_xmlv1p1/learning-application-resource"
              href="non_cc_assessments/bankfile.xml.qti">
      <file href="non_cc_assessments/bankfile.xml.qti"/>
    </resource>
    <resource identifier="quiz1" type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment">
      <file href="quiz1/assessment_qti.xml"/>
      <dependency identifierref="quiz1meta"/>
    </resource>
    <resource identifier="quiz1meta" type="associatedcontent/imscc_xmlv1p1/learning-application-resource"
              href="quiz1/assessment_meta.xml">
      <file href="quiz1/assessment_meta.xml"/>
      <file href="non_cc_assessments/quiz1.xml.qti"/>
    </resource>
  </resources>
</manifest>"""


def _quiz(items: str) -> str:
    return (f'<questestinterop xmlns="{QTI_NS}"><assessment ident="quiz1" title="Planets quiz">'
            f'<section ident="root_section">{items}</section></assessment></questestinterop>')


def test_a_course_exports_question_banks_are_imported_without_repeating_the_quizs() -> None:
    imported = cc.read(Source("course.imscc", _course(QUIZ_ITEM), Path(".")))
    prompts = [q.prompt for q in imported.bank.questions]
    assert prompts == ["Which planet is largest?", "Which planet is closest to the Sun?"]
    assert [s.question_ids for s in imported.bank.sections or []] == [
        [imported.bank.questions[0].id], [imported.bank.questions[1].id]]
    (repeat,) = [n for n in imported.notes if n.question_id == "bank-1"]
    assert repeat.kind == "dropped"
    assert repeat.location.file == "course.imscc!non_cc_assessments/bankfile.xml.qti"
    assert repeat.message == (
        f"left out: the same question as '{imported.bank.questions[0].id}', read before it")


def _group(ident: str, title: str, bank: str, pick: int, points: float) -> str:
    """A Canvas question group drawing from a bank, as a course export writes it: no items
    of its own, the bank named by its ident."""
    return (f'<section ident="{ident}" title="{title}"><selection_ordering><selection>'
            f"<sourcebank_ref>{bank}</sourcebank_ref><selection_number>{pick}</selection_number>"
            f"<selection_extension><points_per_item>{points}</points_per_item>"
            "</selection_extension></selection></selection_ordering></section>")


OTHER_ITEM = _item("quiz-own-1", "Which planet has rings?", "Saturn", "Mercury")


def _course(quiz_items: str) -> bytes:
    entries = {
        "imsmanifest.xml": MANIFEST,
        "quiz1/assessment_qti.xml": _quiz(quiz_items),
        "quiz1/assessment_meta.xml": '<quiz identifier="quiz1"><title>Planets quiz</title></quiz>',
        "non_cc_assessments/quiz1.xml.qti": _quiz(quiz_items),
        "non_cc_assessments/bankfile.xml.qti": (
            f'<questestinterop xmlns="{QTI_NS}"><objectbank ident="bankfile">{BANK_ITEMS}'
            "</objectbank></questestinterop>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_question_group_draws_from_the_bank_the_course_holds() -> None:
    """Canvas's quiz draws 1 of the bank's questions, each worth 2 points: the bank's
    questions are the group's section, with its pick and points, not a section of their own
    beside a group left out as drawing from a bank "not in the source"."""
    quiz = OTHER_ITEM + _group("g1", "From the bank", "bankfile", 1, 2.0)
    imported = cc.read(Source("course.imscc", _course(quiz), Path(".")))
    bank = imported.bank
    assert [q.prompt for q in bank.questions] == [
        "Which planet has rings?", "Which planet is largest?",
        "Which planet is closest to the Sun?"]
    own, *drawn = bank.questions
    sections = bank.sections or []
    assert [(s.question_ids, s.pick) for s in sections] == [
        ([own.id], None), ([q.id for q in drawn], 1)]
    assert sections[1].title == "From the bank"
    assert [q.points for q in drawn] == [2.0, 2.0]
    assert not [n for n in imported.notes if "draws from" in n.message]
    assert [(n.question_id, n.kind) for n in imported.notes] == [
        ("bank-1", "changed"), ("bank-2", "changed")]  # worth the group's points, as in Canvas


def test_a_bank_gives_its_questions_to_one_group() -> None:
    quiz = (_group("g1", "First draw", "bankfile", 1, 1.0)
            + _group("g2", "Second draw", "bankfile", 1, 1.0))
    imported = cc.read(Source("course.imscc", _course(quiz), Path(".")))
    sections = imported.bank.sections or []
    assert [(s.title, len(s.question_ids), s.pick) for s in sections] == [("First draw", 2, 1)]
    (note,) = [n for n in imported.notes if "draws from" in n.message]
    assert note.kind == "dropped"
    assert note.message == (
        "the question group 'Second draw' draws from the question bank 'bankfile', whose "
        "questions are the group 'First draw''s here: a question is in one section")


def test_a_group_drawing_from_a_bank_not_in_the_course_is_left_out_with_a_note() -> None:
    quiz = OTHER_ITEM + _group("g1", "Elsewhere", "another_bank", 1, 1.0)
    imported = cc.read(Source("course.imscc", _course(quiz), Path(".")))
    (note,) = [n for n in imported.notes if "draws from" in n.message]
    assert note.message == (
        "the question group 'Elsewhere' draws from a question bank that is not in the source")
    # the bank the course holds is still imported, as a section of its own
    assert len(imported.bank.questions) == 3
