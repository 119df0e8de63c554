"""The numbers of a numeric key as the readers read and name them: one grammar for all, the
bounds Canvas reads, a number named in few characters, a key that a bank holds as a range told."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.model.questions import ExactAnswer, Numeric, RangeAnswer
from packager.readers import bbtext, blackboard, gift, moodle, qti12, qti21
from packager.readers.base import Source
from packager.readers.numbers import is_written_number
from packager.readers.numeric_keys import shown
from tests.unit.readers.import_goldens import INPUTS
from tests.unit.readers.qti2_cases import zip_bytes
from tests.unit.readers.test_blackboard import MANIFEST
from tests.unit.readers.test_blackboard import _item as blackboard_item
from tests.unit.readers.test_qti12 import _item

_BOX = '<response_str ident="response1"><render_fib fibtype="Decimal"/></response_str>'


def _scored(*tests: str) -> bytes:
    condition = "".join(tests)
    return _item(_BOX, f'<respcondition><conditionvar><and>{condition}</and></conditionvar>'
                       '<setvar action="Set">100</setvar></respcondition>', "numerical_question")


def test_a_number_far_below_one_is_named_in_exponent_form() -> None:
    """1e-999999 was written out: a million characters, in every condition of an item."""
    assert shown(Decimal("1e-999999")) == "1e-999999"
    assert shown(Decimal("-1.5E-30")) == "-1.5e-30"
    assert shown(Decimal("0.000000000000000000001")) == "0.000000000000000000001"
    assert shown(Decimal("0.0000001")) == "0.0000001"
    data = _scored('<varequal respident="response1">1</varequal>',
                   '<vargte respident="response1">1e-999999</vargte>',
                   '<varlte respident="response1">5</varlte>')
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    assert [n.message for n in imported.notes] == [
        "the answer 1 accepts 1e-999999 to 5, further above it (a tolerance is the same either "
        "side): the bank accepts the range 1e-999999 to 5, and shows no answer 1"]


# What Python's float() and Decimal() read and no LMS writes: digits grouped by underscores,
# Arabic-Indic digits, full-width digits.
_UNWRITTEN = ["1_000", "\u0661\u0662", "\uff11\uff12"]


@pytest.mark.parametrize("written", _UNWRITTEN)
def test_a_qti12_or_blackboard_key_no_lms_writes_is_refused(written: str) -> None:
    """`1_000` was read as 1000 and `١٢` as 12 (Decimal() reads both), though no LMS does."""
    data = _scored(f'<varequal respident="response1">{written}</varequal>')
    with pytest.raises(InputError) as caught:
        qti12.read(Source("quiz.xml", data, Path(".")))
    assert [d.message for d in caught.value.diagnostics] == [
        f"{written!r} is not a number"]
    body = ("<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow class='x'>"
            "<material><mattext>Q</mattext></material></flow></flow></flow></presentation>"
            "<resprocessing><respcondition title='correct'><conditionvar>"
            f"<varequal>{written}</varequal></conditionvar><setvar action='Set'>SCORE.max"
            "</setvar></respcondition></resprocessing>")
    with pytest.raises(InputError) as caught:
        blackboard.read(Source("pool.zip", zip_bytes({
            "imsmanifest.xml": MANIFEST, "res00001.dat": blackboard_item(body, "Numeric")}),
            Path(".")))
    assert f"{written!r} is not a number" in caught.value.diagnostics[0].message


@pytest.mark.parametrize("written", _UNWRITTEN)
def test_the_other_readers_refuse_those_numbers_alike(written: str) -> None:
    """Moodle XML, GIFT, Blackboard's text upload and QTI 2.1 read them with float() (and
    `\\d`): Moodle's check said yes, and the exact reading then dropped the whole question."""
    moodle_xml = ('<quiz><question type="numerical"><name><text>N</text></name><questiontext>'
                  f'<text>How many?</text></questiontext><answer fraction="100"><text>{written}'
                  "</text><tolerance>0</tolerance></answer></question></quiz>")
    readings = [
        (moodle, "quiz.xml", moodle_xml.encode(),
         f"the answer {written!r} or its tolerance is not a number"),
        (gift, "quiz.gift", f"::q::Q{{#{written}}}\n".encode(), "is not a number"),
        (bbtext, "quiz.txt", f"NUM\tHow many?\t{written}\n".encode(), "is not a number"),
        (qti21, "item.xml", (INPUTS / "qti21" / "numeric-correct-tolerance.xml").read_bytes()
         .replace(b"<value>27.0</value>", f"<value>{written}</value>".encode()),
         "the numeric entry has no correct value"),
    ]
    for reader, name, data, message in readings:
        with pytest.raises(InputError) as caught:
            reader.read(Source(name, data, Path(".")))
        (diagnostic,) = caught.value.diagnostics
        assert message in diagnostic.message


@pytest.mark.parametrize(("text", "number"), [
    ("42", True), (" -0.5\n", True), (".5", True), ("5.", True), ("+1E+2", True),
    ("1e-7", True), ("", False), (".", False), ("e5", False), ("1_000", False),
    ("\u0661\u0662", False), ("inf", False), ("NaN", False), ("0x10", False), ("1,5", False),
])
def test_the_grammar_of_a_written_number(text: str, number: bool) -> None:
    assert is_written_number(text) is number


_LOWER_ALONE = ("the answer 5 has a lower bound (4) and no upper one: the bank accepts 5 only, as "
                "Canvas imports it (a lower bound alone is not read)")
_UPPER_ALONE = ("the answer 5 has an upper bound (6) and no lower one: the bank accepts 5 ± 1, "
                "as Canvas imports it (the bound's distance from the answer is its tolerance)")


@pytest.mark.parametrize(("bound", "answer", "change"), [
    # Read as 5 ± 1, silently: Canvas imports the answer alone, and the conditions accept
    # everything from 4 up.
    ('<vargte respident="response1">4</vargte>', ExactAnswer(value=5), _LOWER_ALONE),
    ('<varlte respident="response1">6</varlte>', ExactAnswer(value=5, tolerance=1), _UPPER_ALONE),
    ('<varlte respident="response1">4</varlte>', ExactAnswer(value=5),
     "the answer 5 is above its only bound, the upper bound 4: the bank accepts 5 only"),
])
def test_a_canvas_key_with_one_bound_is_read_as_canvas_imports_it_and_told(
        bound: str, answer: ExactAnswer, change: str) -> None:
    data = _item(_BOX, '<respcondition><conditionvar><or><varequal respident="response1">5'
                       f'</varequal><and>{bound}</and></or></conditionvar><setvar action="Set">'
                       '100</setvar></respcondition>', "numerical_question")
    imported = qti12.read(Source("quiz.xml", data, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric) and question.answer == answer
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/questestinterop/assessment/section/item", change)]


def test_a_blackboard_key_with_one_bound_is_read_alike() -> None:
    body = ("<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow class='x'>"
            "<material><mattext>Q</mattext></material></flow></flow></flow></presentation>"
            "<resprocessing><respcondition title='correct'><conditionvar><vargte>4</vargte>"
            "<varequal>5</varequal></conditionvar><setvar action='Set'>SCORE.max</setvar>"
            "</respcondition></resprocessing>")
    imported = blackboard.read(Source("pool.zip", zip_bytes({
        "imsmanifest.xml": MANIFEST, "res00001.dat": blackboard_item(body, "Numeric")}),
        Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric) and question.answer == ExactAnswer(value=5)
    assert [(n.kind, n.message) for n in imported.notes] == [("changed", _LOWER_ALONE)]


@pytest.mark.parametrize(("tolerance", "least", "most", "side"), [
    ("0.1 4", 17.9, 22, "above"), ("4 0.1", 14, 18.1, "below")])
def test_a_qti2_key_within_two_tolerances_is_a_range_and_told(
        tolerance: str, least: float, most: float, side: str) -> None:
    """The range was silent, though the bank then shows no answer 18, where the QTI 1.2 and
    Blackboard readers tell it of bounds further on one side."""
    item = (INPUTS / "qti21" / "numeric-tolerance.xml").read_bytes().replace(
        b'tolerance="0.5 0.5"', f'tolerance="{tolerance}"'.encode())
    imported = qti21.read(Source("item.xml", item, Path(".")))
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric) and question.answer == RangeAnswer(min=least, max=most)
    shown = f"{least:g} to {most:g}"
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/assessmentItem/responseProcessing/responseCondition/responseIf/equal",
         f"the answer 18 accepts {shown}, further {side} it (a tolerance is the same either "
         f"side): the bank accepts the range {shown}, and shows no answer 18")]
