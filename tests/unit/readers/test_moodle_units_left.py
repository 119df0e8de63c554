"""Moodle's numerical `unitsleft` 1 shows the unit before the number ("$ 5"); a bank shows its
unit after the answer box. The unit was kept, and moved, without a note."""

from __future__ import annotations

import pytest

from packager.model.questions import Numeric
from packager.readers import moodle
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS


def _read(settings: str, units: str = "<unit><multiplier>1</multiplier>"
          "<unit_name>$</unit_name></unit>") -> tuple[Numeric, list[tuple[str, str]]]:
    data = f"""<?xml version="1.0" encoding="UTF-8"?><quiz><question type="numerical">
<name><text>Price</text></name><questiontext format="html"><text>What does it cost?</text>
</questiontext><answer fraction="100"><text>5</text><tolerance>0</tolerance></answer>
<units>{units}</units>{settings}</question></quiz>""".encode()
    imported = moodle.read(Source("quiz.xml", data, INPUTS / "moodle"))
    (question,) = imported.bank.questions
    assert isinstance(question, Numeric)
    return question, [(n.kind, n.message) for n in imported.notes]


def test_a_unit_shown_before_the_number_is_noted_as_now_after_it() -> None:
    question, notes = _read("<unitgradingtype>0</unitgradingtype><showunits>0</showunits>"
                            "<unitsleft>1</unitsleft>")
    assert question.unit == "$"
    assert notes == [("changed", "the unit '$' was shown before the number (Moodle's "
                      "unitsleft); a bank shows its unit after the answer box")]


@pytest.mark.parametrize(("settings", "units"), [
    ("<unitsleft>0</unitsleft>", None),
    ("", None),
    # No unit kept: nothing is shown on either side.
    ("<unitsleft>1</unitsleft>", ""),
])
def test_a_unit_after_the_number_or_none_gets_no_such_note(settings: str,
                                                           units: str | None) -> None:
    _, notes = _read(settings) if units is None else _read(settings, units)
    assert not [m for _, m in notes if "unitsleft" in m]
