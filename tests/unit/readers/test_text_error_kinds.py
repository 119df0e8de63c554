"""The text reader's hints that depend on what an error is (no options, no key) follow the
error's kind, raised with it, and never the wording of its message: a message reworded lost
its hint, and another error worded alike would have taken it."""

from __future__ import annotations

from pathlib import Path

from packager.readers import text
from packager.readers.base import Source
from packager.readers.text_key import Line, TextError

# A statement with no options, keyed `T` by the file's answer key: the hint says to write
# its options True and False.
_KEYED_T = "1. What is 2+2?\na) 4\nb) 5\n\n2. The sun is a star.\n\nAnswers:\n1. a\n2. T\n"
_TRUE_FALSE_HINT = ("a true/false statement needs its two options: write 'a) True' and "
                    "'b) False' under it (the answer key's \"2. T\" on line 9 then names one)")


def test_a_statement_keyed_t_in_the_answer_key_is_told_to_write_true_and_false(
        tmp_path: Path) -> None:
    result = text.read_result(Source("quiz.txt", _KEYED_T.encode(), tmp_path))
    assert [(d.line, d.message, d.hint) for d in result.diagnostics if d.is_error] == [
        (5, "this question has no options", _TRUE_FALSE_HINT)]


def test_another_error_worded_as_no_options_keeps_its_own_hint() -> None:
    """An error that is not about missing options keeps the hint it was raised with, even
    where its message reads as that one's and the part holds what that one's hint names."""
    chunk = [Line(5, "2. The sun is a star.")]
    error = TextError(5, "this question has no options", "its own hint")
    told = text._told(error, chunk, "quiz.txt", Line(9, "2. T"))
    assert (told.message, told.hint) == ("this question has no options", "its own hint")


def test_no_options_reworded_keeps_the_hint_for_its_kind() -> None:
    from packager.readers.text_key import NoKey, NoOptions

    chunk = [Line(5, "2. The sun is a star.")]
    told = text._told(NoOptions(5, "no option lines under this question", "write options"),
                      chunk, "quiz.txt", Line(9, "2. T"))
    assert (told.line, told.message, told.hint) == (
        5, "no option lines under this question", _TRUE_FALSE_HINT)
    summary = [Line(12, "## Summary"), Line(13, "Today you learned:"), Line(14, "* Adding"),
               Line(15, "* Counting")]
    told = text._told(NoKey(12, "nothing names the key", "add a key"), summary, "quiz.txt")
    assert told.hint == "add a key; if it is no question (a summary after the quiz), delete it"
