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


def _cartridge() -> bytes:
    entries = {
        "imsmanifest.xml": MANIFEST,
        "quiz1/assessment_qti.xml": _quiz(QUIZ_ITEM),
        "quiz1/assessment_meta.xml": '<quiz identifier="quiz1"><title>Planets quiz</title></quiz>',
        "non_cc_assessments/quiz1.xml.qti": _quiz(QUIZ_ITEM),
        "non_cc_assessments/bankfile.xml.qti": (
            f'<questestinterop xmlns="{QTI_NS}"><objectbank ident="bankfile">{BANK_ITEMS}'
            "</objectbank></questestinterop>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_course_exports_question_banks_are_imported_without_repeating_the_quizs() -> None:
    imported = cc.read(Source("course.imscc", _cartridge(), Path(".")))
    prompts = [q.prompt for q in imported.bank.questions]
    assert prompts == ["Which planet is largest?", "Which planet is closest to the Sun?"]
    assert [s.question_ids for s in imported.bank.sections or []] == [
        [imported.bank.questions[0].id], [imported.bank.questions[1].id]]
    (repeat,) = [n for n in imported.notes if n.question_id == "bank-1"]
    assert repeat.kind == "dropped"
    assert repeat.location.file == "course.imscc!non_cc_assessments/bankfile.xml.qti"
    assert repeat.message == (
        f"left out: the same question as '{imported.bank.questions[0].id}', read before it")
