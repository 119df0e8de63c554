"""The Blackboard upload-text reader: golden imports of fixtures/inputs/bbtext, detection, and
every malformed line refused with its line.

The fixtures were written by hand after Blackboard's help pages: basic.txt has every type code
(CRLF, a spreadsheet's trailing tabs, "10,000", SR/FIL read as essays, OP left out);
html-and-escapes.txt has HTML fields, `&#10;`/`&#9;` in a <pre>, an MC line with two correct
answers, an image (dropped), capitalised Correct/FALSE, `&#91;a&#93;` as text beside the blank
[a], a variable named "Blank 2", a UTF-8 byte-order mark; utf16.txt is Excel's "Unicode text".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import bbtext
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

CASES = cases("bbtext", "txt")


@pytest.mark.parametrize("case", CASES)
def test_golden(request: pytest.FixtureRequest, case: str) -> None:
    check_golden(request, "bbtext", case, "txt", bbtext.read)


@pytest.mark.parametrize("case", CASES)
def test_fixtures_are_detected(case: str) -> None:
    assert bbtext.detect((INPUTS / "bbtext" / f"{case}.txt").read_bytes())


def _read(text: str | bytes) -> bbtext.Imported:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return bbtext.read(Source("quiz.txt", data, Path(".")))


@pytest.mark.parametrize(("line", "message"), [
    ("XX\tQ?\ta", "unknown question type 'XX'"),
    ("MC", "no question text"),
    ("MC\t \ta\tcorrect\tb\tincorrect", "no question text"),
    ("MC\tQ?\ta\tcorrect\tb", "no correct|incorrect field"),
    ("MC\tQ?\ta\tcorrect", "at least two answers"),
    ("MC\tQ?\ta\tyes\tb\tincorrect", "answer 1 is marked 'yes'"),
    ("MA\tQ?\ta\tincorrect\tb\tincorrect", "no answer is marked correct"),
    ("MC\tQ?\t\tcorrect\tb\tincorrect", "answer 1 is empty"),
    ("TF\tQ?\tmaybe", "not true or false"),
    ("TF\tQ?\ttrue\tfalse", "1 field(s) more than the type has"),
    ("ESS\tQ?\tsample\tmore", "more than the type has"),
    ("FIB\tQ?", "has no accepted answer"),
    ("FIB\tQ?\ta\t\tb", "has an empty answer"),
    ("FIB_PLUS\tQ [a]?", "names no blank"),
    ("FIB_PLUS\tQ [a]?\ta", "the blank [a] has no accepted answer"),
    ("FIB_PLUS\tQ [a]?\ta\tx\t\tb\ty", "the blank [b] is not in the question text"),
    ("FIB_PLUS\tQ [a]?\ta\tx\t\ta\ty", "named twice"),
    ("FIB_PLUS\tQ [a]?\ta]\tx", "the blank name 'a]' holds a bracket"),
    ("NUM\tQ?\tabout 3", "the answer 'about 3' is not a number"),
    ("NUM\tQ?\t3,14", "is not a number"),
    ("NUM\tQ?\t3\t-1", "the tolerance is negative"),
    ("NUM\tQ?", "the answer '(empty)' is not a number"),
    ("NUM\tQ?\te5", "the answer 'e5' is not a number"),  # float() raised ValueError
    ("NUM\tQ?\t1e999", "the answer '1e999' is not a number"),  # inf
    ("ORD\tQ?\tonly", "at least two items"),
    ("MAT\tQ?\ta\tx\tb", "each with its match"),
    ("MAT\tQ?\ta\tx\tb\t<p> </p>", "the match of item 2 is empty"),
])
def test_malformed_lines_are_located(line: str, message: str) -> None:
    # Alone, the line refuses the file; beside a good one it is left out, saying why (as
    # Blackboard's upload fails a malformed question alone).
    with pytest.raises(InputError) as caught:
        _read(f"\n\n{line}\n")
    (first,) = caught.value.diagnostics
    assert (first.file, first.line) == ("quiz.txt", 3)
    assert message in first.message and first.hint
    imported = _read(f"TF\tFine.\ttrue\n\n{line}\n")
    assert [q.prompt for q in imported.bank.questions] == ["Fine."]
    (note,) = [n for n in imported.notes if n.location.line == 3]
    assert note.kind == "dropped" and note.message.startswith("line left out: ")
    assert message in note.message


def test_every_malformed_line_is_reported_not_only_the_first() -> None:
    with pytest.raises(InputError) as caught:
        _read("TF\tQ\tyes\nMC\nNUM\tQ\tx\n")
    assert [d.line for d in caught.value.diagnostics] == [1, 2, 3]
    imported = _read("TF\tQ\tyes\nTF\tQ\ttrue\nNUM\tQ\tx\n")
    assert [n.location.line for n in imported.notes if n.kind == "dropped"] == [1, 3]


def test_what_the_model_refuses_is_left_out_with_why_and_the_rest_imported() -> None:
    answers = "\t".join(f"a{n}\tcorrect" for n in range(27))
    found = _read(f"TF\tQ\ttrue\nMA\tQ\t{answers}\n")
    assert [q.type for q in found.bank.questions] == ["true_false"]
    (note,) = [n for n in found.notes if n.location.line == 2]
    assert note.kind == "dropped"
    assert note.message.startswith("left out: as read, it is not a valid question (choices: ")
    assert "at most 26 items, found 27" in note.message
    with pytest.raises(InputError) as caught:  # nothing left: every problem, located
        _read(f"MA\tQ\t{answers}\n")
    assert {d.line for d in caught.value.diagnostics} == {1}


def test_not_utf8_and_empty_files_are_refused() -> None:
    with pytest.raises(InputError, match="not valid UTF-8") as caught:
        _read(b"TF\tQu\xe9?\ttrue\n")
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.line, problem.column) == ("E-BBTEXT", 1, 6)
    with pytest.raises(InputError, match="no questions found"):
        _read("\n\nOP\tHow was it?\n")


@pytest.mark.parametrize("data", [
    b"", b"\n\n", b"PK\x03\x04\x00\x00", b"<?xml version='1.0'?><quiz/>", b'{"format": "x"}',
    b"::T:: Q {=a ~b}\n", b"Q?\nA. a\nB. b\nANSWER: A\n", b"MC Q? a correct\n",
    b"TF\tQ\ttrue\nnot a question line\n", b"\xff\xfe\x00garbage\x00\xd8",
])
def test_other_content_is_not_detected(data: bytes) -> None:
    assert not bbtext.detect(data)


def test_a_long_file_is_detected_from_its_head() -> None:
    assert bbtext.detect(("MC\tQ?\ta\tcorrect\tb\tincorrect\n" * 5_000).encode())


def test_the_same_source_gives_the_same_bank() -> None:
    data = (INPUTS / "bbtext" / "basic.txt").read_bytes()
    one = bbtext.read(Source("basic.txt", data, Path(".")))
    two = bbtext.read(Source("basic.txt", data, Path(".")))
    assert one.bank == two.bank


def test_blanks_are_marked_in_a_text_holding_every_private_use_character() -> None:
    """The blanks' mark was the first of U+E000–U+F8FF the text lacks: StopIteration (a
    traceback) for a text holding them all."""
    private = "".join(chr(c) for c in range(0xE000, 0xF900))
    imported = _read(f"FIB_PLUS\t{private} [a]?\ta\tx\n")
    question = imported.bank.questions[0]
    assert question.prompt.endswith(" [[a]]?") and private in question.prompt


def test_an_image_is_named_whole_in_its_note() -> None:
    """The note of a dropped image was the lookup's note cut at its first " dropped": an
    image named `my dropped chart.png` was noted as `image 'my dropped: a text upload...`."""
    imported = _read('MC\tWhich?<img src="my dropped chart.png"> <img src="a.png">'
                     '<img src="a.png">\ta\tcorrect\tb\tincorrect')
    assert [(n.kind, n.message) for n in imported.notes if "image" in n.message] == [
        ("dropped", "image 'my dropped chart.png' dropped: a text upload holds no images"),
        ("dropped", "image 'a.png' dropped: a text upload holds no images (2 times)"),
    ]


def test_an_answer_left_with_no_text_is_marked_and_noted() -> None:
    """An answer that is only an image (a text upload holds none) became '(empty)' without
    a word: the mark is what the model accepts, and the note says why it is there."""
    imported = _read('MC\tWhich?\t<img src="a.png">\tcorrect\tb\tincorrect')
    choices = imported.bank.questions[0].choices  # type: ignore[union-attr]
    assert [c.text for c in choices] == ["(empty)", "b"]
    assert [n.message for n in imported.notes if "(empty)" in n.message] == [
        "the answer 1 has no text that could be carried: written as '(empty)'"]
