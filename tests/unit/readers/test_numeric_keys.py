"""The numbers of a numeric key as the QTI 1.2 and Blackboard readers read and name them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packager.readers import qti12
from packager.readers.base import Source
from packager.readers.numeric_keys import shown
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
