"""qtype_gapfill → fill_in_blanks: how a gap's answer is read (the golden import is
fixtures/inputs/moodle/gapfill.xml), and the questions refused with their reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import moodle
from packager.readers.base import Source


def _gapfill(text: str, *rights: str, settings: str = "") -> bytes:
    answers = "".join(f'<answer fraction="100"><text><![CDATA[{right}]]></text></answer>'
                      for right in rights)
    return (f'<quiz><question type="gapfill"><name><text>Q</text></name><questiontext format='
            f'"html"><text><![CDATA[{text}]]></text></questiontext>{settings}{answers}'
            "</question></quiz>").encode()


def _read(data: bytes) -> moodle.Imported:
    return moodle.read(Source("quiz.xml", data, Path(".")))


@pytest.mark.parametrize(("right", "accepted"), [
    (r"a\|b", ["a|b"]),  # an escaped bar is a bar
    (r"C\+\+|Java", ["C++", "Java"]),
    ("  spaced  | out ", ["spaced", "out"]),  # trimmed, as the plug-in trims the response
    ("same|Same", ["same", "Same"]),  # one blank's duplicates in another case stay
    ("x|x", ["x"]),
])
def test_a_gaps_alternatives(right: str, accepted: list[str]) -> None:
    bank = _read(_gapfill("<p>Q [g]</p>", right)).bank
    assert bank.questions[0].model_dump()["blanks"] == {"b1": accepted}


@pytest.mark.parametrize("right", [r"black\s+and\s+white", "colou?r", "(a)", "a*", "[ab]",
                                   "^a", "a$", "a{2}", "a\\"])
def test_a_pattern_with_no_list_of_answers_drops_the_question(right: str) -> None:
    kept = _gapfill("<p>Kept [k]</p>", "k").replace(b"<quiz>", b"")
    imported = _read(_gapfill("<p>Q [g]</p>", right).replace(b"</quiz>", kept))
    assert [q.prompt for q in imported.bank.questions] == ["Kept [[b1]]"]
    assert [n.message for n in imported.notes if n.kind == "dropped"] == [
        f"the whole question: gap 1 ({right}) is a regular expression, which a blank's list of "
        "answers cannot carry (in Moodle, write its answers as alternatives, a|b, or tick "
        "'Disable regex')"]


def test_with_regular_expressions_off_a_pattern_is_its_text() -> None:
    data = _gapfill("<p>Q [g]</p>", "colou?r|a*", settings="<disableregex>1</disableregex>")
    assert _read(data).bank.questions[0].model_dump()["blanks"] == {"b1": ["colou?r", "a*"]}


@pytest.mark.parametrize(("data", "message"), [
    (_gapfill("<p>[a] and [b]</p>", "a"),
     "the question text has 2 gap(s) between '[' and ']' and the question 1 right answer(s)"),
    (_gapfill("<p>[a]</p>", "a", settings="<delimitchars>[[]]</delimitchars>"),
     "the gap delimiters '[[]]' are not two characters"),
    (_gapfill("<p>[a]</p>", " | "), "gap 1 has no answer"),
])
def test_a_malformed_question_is_an_error_with_its_place(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(data)
    assert [d.message for d in caught.value.diagnostics] == [message]


def test_gap_delimiters_hash_signs() -> None:
    data = _gapfill("<p>The #cat# sat.</p>", "cat", settings="<delimitchars>##</delimitchars>")
    question = _read(data).bank.questions[0].model_dump()
    assert (question["prompt"], question["blanks"]) == ("The [[b1]] sat.", {"b1": ["cat"]})


@pytest.mark.parametrize(("text", "rights", "prompt", "blanks"), [
    # No gap over a line's end: '[b' has no ']' on its line.
    ("<p>[a] [b\nc] [d]</p>", ["a", "d"], "[[b1]] \\[b c\\] [[b2]]", [["a"], ["d"]]),
    # The first closing delimiter ends the gap: '[[a]]' is the gap '[a', then ']'.
    ("<p>[[a]] x</p>", ["[a"], "[[b1]]\\] x", [["[a"]]),
])
def test_a_gap_ends_at_the_first_closing_delimiter_on_its_line(
    text: str, rights: list[str], prompt: str, blanks: list[list[str]]
) -> None:
    data = _gapfill(text, *rights, settings="<disableregex>1</disableregex>")
    question = _read(data).bank.questions[0].model_dump()
    assert question["prompt"] == prompt
    assert list(question["blanks"].values()) == blanks
