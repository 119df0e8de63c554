"""Brightspace (D2L) matching and ordering: QTI 1.2 `response_grp`, which the reader made
text items (the rows, matches and key gone, noted only as "read as text")."""

from __future__ import annotations

from pathlib import Path

from packager.model.questions import Matching, Ordering
from packager.readers import qti12
from packager.readers.base import Source
from packager.readers.imported import Imported
from tests.unit.readers.import_goldens import INPUTS

FOLDER = INPUTS / "qti12"


def _fixture() -> Imported:
    path = FOLDER / "d2l-matching-ordering.xml"
    return qti12.read(Source(path.name, path.read_bytes(), FOLDER))


def _bank(items: str) -> Imported:
    data = f"""<questestinterop><objectbank ident="QLIB_1"><section ident="S1" title="s">
{items}</section></objectbank></questestinterop>""".encode()
    return qti12.read(Source("library.xml", data, Path(".")))


def _messages(imported: Imported) -> list[tuple[str, str]]:
    return [(n.kind, n.message) for n in imported.notes]


_META = """<itemmetadata><qtimetadata><qti_metadatafield><fieldlabel>qmd_questiontype
</fieldlabel><fieldentry>{0}</fieldentry></qti_metadatafield></qtimetadata></itemmetadata>"""


def _label(ident: str, text: str) -> str:
    return (f'<response_label ident="{ident}"><flow_mat><material><mattext texttype="text/html">'
            f"{text}</mattext></material></flow_mat></response_label>")


def _ordering(positions: dict[str, str], grading: str = "0") -> str:
    labels = "".join(_label(ident, ident.lower()) for ident in ("A", "B", "C"))
    tests = "".join(
        f'<respcondition><conditionvar><varequal respident="{ident}">{place}</varequal>'
        '</conditionvar><setvar varname="D2L_Correct" action="Add">1</setvar></respcondition>'
        for ident, place in positions.items())
    return f"""<item ident="OBJ_1" label="QUES_1" title="order">{_META.format("Ordering")}
<presentation><flow><material><mattext texttype="text/html">Order them.</mattext></material>
<response_extension><d2l_2p0:grading_type xmlns:d2l_2p0="http://desire2learn.com/xsd/d2lcp_v2p0"
>{grading}</d2l_2p0:grading_type></response_extension>
<response_grp respident="QUES_1_O" rcardinality="Ordered"><render_choice><flow_label>
{labels}</flow_label></render_choice></response_grp></flow></presentation>
<resprocessing>{tests}</resprocessing></item>"""


def test_a_d2l_matching_question_is_matching_with_its_key() -> None:
    imported = _fixture()
    matching, _ = imported.bank.questions
    assert isinstance(matching, Matching)
    assert (matching.title, matching.prompt, matching.points) == ("matching", "letter to number",
                                                                  5.0)
    assert [(p.prompt, p.match) for p in matching.pairs] == [("***A***", "1"), ("b", "2")]
    assert matching.distractors == []
    messages = _messages(imported)
    assert not [m for m in messages if "read as" in m[1]]
    assert ("changed", "the scoring may change: Brightspace grades this question by its "
            "grading type 2 (0 is all or nothing), and a bank's matching question gives each "
            "right row an equal share of its 5 points, nothing off for a wrong one") in messages
    assert ("changed", "the formatting of the match '1' is lost: a match is plain text") \
        in messages


def test_a_d2l_ordering_question_is_ordering_in_the_positions_its_scoring_tests() -> None:
    imported = _fixture()
    ordering = imported.bank.questions[-1]
    assert isinstance(ordering, Ordering)
    assert [ordering.title, ordering.prompt, *ordering.items] == [
        "ordering question", "the alphabet, heard of it?", "a", "b", "c"]
    assert not [m for m in _messages(imported) if "order" in m[1]]


def test_a_d2l_ordering_with_per_item_credit_says_so() -> None:
    imported = _bank(_ordering({"C": "1", "A": "2", "B": "3"}, grading="1"))
    (ordering,) = imported.bank.questions
    assert isinstance(ordering, Ordering)
    assert ordering.items == ["c", "a", "b"]
    assert _messages(imported) == [
        ("changed", "partial credit may be lost: Brightspace grades this question by its "
         "grading type 1 (0 is all or nothing), which can give credit for each item in its place, and a bank's "
         "ordering question scores all or nothing (its 1 point for the whole order right, "
         "else 0)")]


def test_a_d2l_ordering_whose_positions_do_not_say_one_order_is_left_out() -> None:
    for positions in ({"A": "1", "B": "1", "C": "3"}, {"A": "1", "B": "2"},
                      {"A": "1", "B": "2", "C": "4"}, {"A": "1", "B": "two", "C": "3"}):
        imported = _bank(_ordering(positions) + _ordering({"A": "1", "B": "2", "C": "3"})
                         .replace('ident="OBJ_1"', 'ident="OBJ_2"'))
        assert [q.type for q in imported.bank.questions] == ["ordering"]
        assert ("dropped", "not imported: a Brightspace ordering question whose response "
                "processing does not give each of its 3 items one position from 1 to 3: its "
                "correct order is not known") in _messages(imported), positions


def test_a_d2l_matching_row_without_a_right_match_is_refused() -> None:
    row = ('<response_grp respident="R{0}" rcardinality="Single"><material><mattext>row {0}'
           '</mattext></material><render_choice>' + _label("M1", "one") + _label("M2", "two")
           + "</render_choice></response_grp>")
    item = f"""<item ident="OBJ_1" title="m">{_META.format("Matching")}<presentation><flow>
<material><mattext>Match.</mattext></material>{row.format(1)}{row.format(2)}</flow></presentation>
<resprocessing><respcondition><conditionvar><varequal respident="R1">M1</varequal>
</conditionvar><setvar varname="D2L_Correct" action="Add">1</setvar></respcondition>
</resprocessing></item>"""
    good = item.replace('ident="OBJ_1"', 'ident="OBJ_2"').replace(
        "</resprocessing>", '<respcondition><conditionvar><varequal respident="R2">M2</varequal>'
        '</conditionvar><setvar varname="D2L_Correct" action="Add">1</setvar></respcondition>'
        "</resprocessing>")
    imported = _bank(item + good)
    (matching,) = imported.bank.questions
    assert isinstance(matching, Matching)
    assert [(p.prompt, p.match) for p in matching.pairs] == [("row 1", "one"), ("row 2", "two")]
    assert [n.message for n in imported.notes if n.kind == "dropped"] == [
        "item left out: the matching row 'R2' has no correct match"]
