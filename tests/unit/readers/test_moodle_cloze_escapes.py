r"""Backslashes in Moodle cloze (multianswer) codes, read as Moodle reads them.

Moodle (question/type/multianswer/questiontype.php, qtype_multianswer_extract_question)
splits a code with ANSWER_ALTERNATIVE_ANSWER_REGEX `.+?(?<!\\|&|&amp;)(?=[~#}]|$)` and
ANSWER_ALTERNATIVE_FEEDBACK_REGEX `.*?(?<!\\)(?=[~}]|$)`: a `~`, `#` or `}` right after a
backslash (or, in an answer, after `&` or `&amp;`) is no delimiter, whatever stands before that
backslash. It then decodes the answer's HTML and replaces only `\}` by `}` and `\#` by `#`:
every other backslash stays in the answer. A short answer (qtype_shortanswer's
compare_string_with_wildcard) then reads `\*` as an asterisk and a bare `*` as its wildcard.
The reader unescaped every backslash, so `\~`, `\\`, `\/` and a lone `\` lost theirs, `\=`
became a right answer and `\\~` split the answer in two."""

from __future__ import annotations

import pytest

from packager.model.questions import FillInBlanks
from packager.readers import moodle
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS


def _blanks(text: str) -> dict[str, list[str]]:
    data = f"""<?xml version="1.0" encoding="UTF-8"?><quiz><question type="cloze">
<name><text>Q</text></name><questiontext format="html"><text><![CDATA[<p>{text}</p>]]></text>
</questiontext></question></quiz>""".encode()
    (question,) = moodle.read(Source("quiz.xml", data, INPUTS / "moodle")).bank.questions
    assert isinstance(question, FillInBlanks)
    return question.blanks


@pytest.mark.parametrize(("code", "answers"), [
    # `\~` does not split the answer, and Moodle keeps its backslash.
    (r"{1:SA:=a\~b}", [r"a\~b"]),
    # `\\` is two backslashes to Moodle, not an escaped one.
    (r"{1:SA:=a\\b}", [r"a\\b"]),
    (r"{1:SA:=and\/or}", [r"and\/or"]),
    (r'{1:SA:=say \"hi\"}', [r'say \"hi\"']),
    # a lone backslash before an ordinary character stays.
    (r"{1:SA:=C:\temp}", [r"C:\temp"]),
    # `\}` and `\#` are the two escapes Moodle undoes.
    (r"{1:SA:=a\}b~=c\#d}", ["a}b", "c#d"]),
    # in a short answer `\*` is an asterisk, not the wildcard.
    (r"{1:SA:=2\*3}", ["2*3"]),
    # the character before `~` is a backslash, so the answer does not end there.
    (r"{1:SA:=a\\~=b}", [r"a\\~=b"]),
    (r"{1:SA:=a\\}b}", [r"a\}b"]),
    # `\=` is no mark of a right answer: that alternative is worth 0.
    (r"{1:SA:\=x~=y}", ["y"]),
    # a '#' after `&amp;` starts no feedback.
    (r"{1:SA:=R&amp;#D}", ["R&#D"]),
    # an answer holds one character at least, even a delimiter.
    (r"{1:SA:=~b}", ["~b"]),
])
def test_a_short_answer_gap_accepts_what_moodle_accepts(code: str, answers: list[str]) -> None:
    assert _blanks(f"Gap {code} here.") == {"b1": answers}


def test_a_choice_gap_keeps_a_backslash_before_an_asterisk() -> None:
    r"""`\*` means an asterisk only to a short answer: a drop-down shows `2\*3`."""
    assert _blanks(r"Pick {1:MC:=2\*3~4}.") == {"b1": [r"2\*3"]}


@pytest.mark.parametrize(("code", "answers"), [
    # Moodle reads each alternative as `~?` and the alternative: a code may open with a `~`
    # (a review found `{1:SA:~=colour~=color}` read as "color" alone, and
    # `{1:MULTICHOICE:~=yes~no}` refused as having no right answer).
    ("{1:SA:~=colour~=color}", ["colour", "color"]),
    ("{1:MULTICHOICE:~=yes~no}", ["yes"]),
    ("{1:SA:~~a~=b}", ["b"]),  # the second `~` is the first answer's own ("~a", worth 0)
])
def test_a_code_may_open_with_a_tilde(code: str, answers: list[str]) -> None:
    assert _blanks(f"Gap {code} here.") == {"b1": answers}
