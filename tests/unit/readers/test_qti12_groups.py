"""Canvas question groups: a section with a selection_number draws that many of its questions,
each worth the group's points_per_item (Canvas grades a drawn question by the group, not by
the question's own points_possible). And an item that cannot be read, left out beside them."""

from __future__ import annotations

from pathlib import Path

from packager.readers import qti12
from packager.readers.base import Source


def _item(ident: str, points: str) -> str:
    return f"""<item ident="{ident}" title="{ident}"><itemmetadata><qtimetadata>
<qtimetadatafield><fieldlabel>question_type</fieldlabel>
<fieldentry>true_false_question</fieldentry></qtimetadatafield>
<qtimetadatafield><fieldlabel>points_possible</fieldlabel>
<fieldentry>{points}</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext texttype="text/html">&lt;p&gt;Is {ident} true?&lt;/p&gt;</mattext>
</material><response_lid ident="response1" rcardinality="Single"><render_choice>
<response_label ident="t"><material><mattext>True</mattext></material></response_label>
<response_label ident="f"><material><mattext>False</mattext></material></response_label>
</render_choice></response_lid></presentation>
<resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/>
</outcomes><respcondition continue="No"><conditionvar><varequal respident="response1">t</varequal>
</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>
</resprocessing></item>"""


def _group(ident: str, per_item: str, *items: str) -> str:
    return (f'<section ident="{ident}" title="Group {ident}"><selection_ordering><selection>'
            "<selection_number>1</selection_number><selection_extension>"
            f"<points_per_item>{per_item}</points_per_item></selection_extension>"
            f"</selection></selection_ordering>{''.join(items)}</section>")


QUIZ = f"""<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
<assessment ident="quiz" title="Quiz"><section ident="root_section">
{_item("loose", "1.0")}
{_group("g1", "3.0", _item("first", "1.0"), _item("second", "2.0"))}
{_group("g2", "2.0", _item("third", "2.0"))}
</section></assessment></questestinterop>"""


def test_a_question_drawn_from_a_group_is_worth_the_groups_points_per_question() -> None:
    imported = qti12.read(Source("quiz.xml", QUIZ.encode(), Path(".")))
    points = {q.id: q.points for q in imported.bank.questions}
    # 1 is the bank's default points, which the reader leaves unsaid.
    assert points == {"loose": None, "first": 3.0, "second": 3.0, "third": 2.0}
    assert [(s.question_ids, s.pick) for s in imported.bank.sections or []][1:] == [
        (["first", "second"], 1), (["third"], 1)]
    changed = {n.question_id: n.message for n in imported.notes if n.kind == "changed"
               and "points per question" in n.message}
    assert changed == {
        "first": "worth 3 points, its question group's points per question (its own: 1)",
        "second": "worth 3 points, its question group's points per question (its own: 2)",
    }


def test_an_item_that_cannot_be_read_beside_one_that_can_is_left_out_with_why() -> None:
    # A numerical question without a correct answer cannot be read; it refused the export.
    broken = """<item ident="broken" title="broken"><itemmetadata><qtimetadata>
<qtimetadatafield><fieldlabel>question_type</fieldlabel>
<fieldentry>numerical_question</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>
<presentation><material><mattext>How many?</mattext></material>
<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal">
<response_label ident="answer1"/></render_fib></response_str></presentation>
<resprocessing><outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE"/></outcomes>
</resprocessing></item>"""
    quiz = QUIZ.replace(_item("loose", "1.0"), _item("loose", "1.0") + broken)
    imported = qti12.read(Source("quiz.xml", quiz.encode(), Path(".")))
    assert "broken" not in {q.id for q in imported.bank.questions}
    assert len(imported.bank.questions) == 4
    (note,) = [n for n in imported.notes if n.message.startswith("item left out: ")]
    assert note.kind == "dropped" and note.location.file == "quiz.xml"
    assert note.location.path == "/questestinterop/assessment/section/item[2]"
