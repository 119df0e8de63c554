"""Canvas New Quizzes writes a stimulus's source link in a `source_url` field: it was dropped
without a note."""

from __future__ import annotations

from packager.readers import qti12
from packager.readers.base import Source
from packager.readers.imported import Imported
from tests.unit.readers.import_goldens import INPUTS

FOLDER = INPUTS / "qti12"


def _fixture() -> Imported:
    path = FOLDER / "newquizzes-stimulus-source.xml"
    return qti12.read(Source(path.name, path.read_bytes(), FOLDER))


def test_a_stimulus_source_link_becomes_the_last_line_of_its_text() -> None:
    imported = _fixture()
    first = imported.bank.stimuli[0]
    assert first.body == ("some instructions\n\nsome content\n\n"
                          "Source: [https://sourceurl.com](<https://sourceurl.com>)")
    assert ("changed", "its source link 'https://sourceurl.com' became the last line of its "
            "text, \"Source: …\"") in [(n.kind, n.message) for n in imported.notes]


def test_a_stimulus_source_that_is_no_web_address_is_dropped_with_a_note() -> None:
    imported = _fixture()
    second = imported.bank.stimuli[1]
    assert second.body == "more content"
    assert ("dropped", "its source link 'javascript:alert(1)': a bank's text links only to "
            "http and https addresses") in [(n.kind, n.message) for n in imported.notes]
