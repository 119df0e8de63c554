"""bbtext: each type's line, what a field cannot hold (tabs, line breaks, brackets in a
FIB_PLUS text, images), numbers, and what the fidelity report declares lost.

Golden files (tests/golden/*/bbtext) were read by eye: neon-broccoli is one MC line, the scenario
and prompt as two <p>, the four answers plain with `incorrect` ×3 then `correct`, CRLF ending;
sample-all-types has MC/MA/TF/FIB/NUM/NUM/ESS/MAT/ORD/FIB_PLUS/MC lines, the stimulus (title in
<strong>, its image as the alt text) before each question that shares it, `13.25\t0.05`, the
price range as `3\t0.5` with `<p>Unit: €</p>`, the matching distractor absent, FIB_PLUS as
`milk\tsteamed\tmicrofoam\t\tsize\tsmall`, the code block's lines as `&#10;`, and no text item.
"""

from __future__ import annotations

from typing import Any

import pytest

from packager.errors import UnsupportedError
from packager.model import FORMAT_ID, Bank
from packager.pipeline import LoadedBank, export, load
from packager.readers.base import Source
from packager.writers import bbtext as writer
from tests.conftest import bank_path, make_ctx


def _bank(*questions: dict[str, Any], **extra: Any) -> Bank:
    return Bank.model_validate({"format": FORMAT_ID, "id": "b", "title": "B", **extra,
                                "questions": list(questions)})


def _line(question: dict[str, Any], **extra: Any) -> str:
    bank = _bank({"id": "q", **question}, **extra)
    return writer.line(bank, bank.questions[0])


CHOICES = [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "*No*"}]


@pytest.mark.parametrize(("question", "expected"), [
    ({"type": "single_choice", "prompt": "Q?", "choices": CHOICES},
     "MC\tQ?\tYes\tcorrect\t<p><em>No</em></p>\tincorrect"),
    ({"type": "multiple_response", "prompt": "Q?", "choices": CHOICES},
     "MA\tQ?\tYes\tcorrect\t<p><em>No</em></p>\tincorrect"),
    ({"type": "true_false", "prompt": "Q?", "answer": False}, "TF\tQ?\tfalse"),
    ({"type": "essay", "prompt": "Q?"}, "ESS\tQ?"),
    ({"type": "essay", "prompt": "Q?", "sample_answer": "A & B", "rubric": "r"},
     "ESS\tQ?\tA &amp; B"),
    ({"type": "short_answer", "prompt": "Q?", "answers": [{"text": " R&D "}, {"text": "a<b"}]},
     "FIB\tQ?\tR&D\ta<b"),
    ({"type": "numeric", "prompt": "Q?", "answer": {"value": 0.00001}}, "NUM\tQ?\t0.00001"),
    ({"type": "numeric", "prompt": "Q?", "answer": {"value": 1e15, "tolerance": 2.5}},
     "NUM\tQ?\t1000000000000000\t2.5"),
    ({"type": "numeric", "prompt": "Q?", "answer": {"min": 2.5, "max": 3.5}, "unit": "€"},
     "NUM\t<p>Q?</p><p>Unit: €</p>\t3\t0.5"),
    ({"type": "ordering", "prompt": "Q?", "items": ["one", "`two`"]},
     "ORD\tQ?\tone\t<p><code>two</code></p>"),
    ({"type": "matching", "prompt": "Q?", "pairs": [{"prompt": "a", "match": "x < y"},
                                                    {"prompt": "b", "match": "z"}],
      "distractors": ["w"]},
     "MAT\tQ?\ta\tx &lt; y\tb\tz"),
    ({"type": "fill_in_blanks", "prompt": "[[b]] then [[a]]",
      "blanks": {"a": ["one", "uno"], "b": ["two"]}},
     "FIB_PLUS\t[b] then [a]\tb\ttwo\t\ta\tone\tuno"),
])
def test_each_type_line(question: dict[str, Any], expected: str) -> None:
    assert _line(question) == expected


def test_stimulus_and_scenario_lead_the_question() -> None:
    line = _line({"type": "true_false", "stimulus": "s", "scenario": "Then.", "prompt": "Q?",
                  "answer": True}, stimuli=[{"id": "s", "title": "T & U", "body": "Body."}])
    assert line == "TF\t<p><strong>T &amp; U</strong></p><p>Body.</p><p>Then.</p><p>Q?</p>\ttrue"


def test_tabs_and_line_breaks_never_split_a_field() -> None:
    code = "```\na\tb\nc\n```"
    line = _line({"type": "single_choice", "prompt": code, "choices": [
        {"id": "a", "text": "x", "correct": True}, {"id": "b", "text": "y"}]})
    assert line.count("\t") == 5 and "\n" not in line and "\r" not in line
    assert "<pre>a&#9;b&#10;c&#10;</pre>" in line
    line = _line({"type": "matching", "prompt": "Q", "pairs": [
        {"prompt": "a", "match": "x\ty"}, {"prompt": "b", "match": "z\nw"}]})
    assert line == "MAT\tQ\ta\tx&#9;y\tb\tz&#10;w"
    line = _line({"type": "short_answer", "prompt": "Q", "answers": [{"text": "a\t b\r\nc"}]})
    assert line == "FIB\tQ\ta  b c"


def test_only_the_blanks_read_as_brackets_in_a_fill_in_blanks_text() -> None:
    line = _line({"type": "fill_in_blanks", "scenario": "See [1].",
                  "prompt": "Write [[a]] \\[a\\] `[x]`", "blanks": {"a": ["b"]}})
    text = line.split("\t")[1]
    assert text == ("<p>See &#91;1&#93;.</p><p>Write [a] &#91;a&#93; "
                    "<code>&#91;x&#93;</code></p>")


def test_an_image_becomes_its_alt_text() -> None:
    assert writer.html_field("Look ![a chart](media/c.png) here.") == "<p>Look a chart here.</p>"
    assert writer.html_field("![x](media/c.png)**b**") == "<p>x<strong>b</strong></p>"


def test_the_file_is_utf8_lines_ending_in_crlf_without_bom() -> None:
    bank = _bank({"id": "q1", "type": "true_false", "prompt": "Café?", "answer": True},
                 {"id": "q2", "type": "essay", "prompt": "Why?"})
    data = b"".join(writer.write_pieces(bank))
    assert data == "TF\tCafé?\ttrue\r\nESS\tWhy?\r\n".encode()


def _notes(bank: Bank, **kw: Any) -> dict[str, dict[str, str]]:
    loaded = LoadedBank(bank, Source("b.json", b"", bank_path("neon-broccoli").parent), ())
    report = export(loaded, "bbtext", make_ctx(None, **kw)).report
    return {q["id"]: {n["feature"]: n["kind"] for n in q["notes"]} for q in report["questions"]}


def test_report_declares_what_the_format_cannot_carry() -> None:
    loaded = load(bank_path("sample-all-types"))
    report = export(loaded, "bbtext", make_ctx(None, skip_unsupported=True)).report
    kinds = {q["id"]: {n["feature"]: n["kind"] for n in q["notes"]} for q in report["questions"]}
    assert kinds["welcome"] == {"text": "unsupported"}
    assert kinds["best-month"]["feedback"] == kinds["best-month"]["choice_feedback"] == "dropped"
    assert kinds["best-month"]["explanation"] == kinds["best-month"]["image"] == "dropped"
    assert kinds["true-statements"]["partial_credit"] == "changed"
    assert kinds["espresso-origin"]["true_false_feedback"] == "dropped"
    assert kinds["price-range"]["numeric_range"] == kinds["price-range"]["unit"] == "changed"
    assert kinds["service-essay"]["rubric"] == "dropped"
    assert kinds["match-drinks"]["distractors"] == "dropped"
    assert kinds["order-steps"]["ordering"] == "changed"  # Ultra's upload has no ORD
    with pytest.raises(UnsupportedError):
        export(loaded, "bbtext", make_ctx(None))


def test_value_dependent_notes() -> None:
    blanks = {f"b{i}": ["x"] for i in range(11)}
    bank = _bank(
        {"id": "many", "type": "fill_in_blanks", "prompt": " ".join(f"[[{b}]]" for b in blanks),
         "blanks": blanks},
        {"id": "broken", "type": "short_answer", "prompt": "Q", "answers": [{"text": "a\nb"}]},
        {"id": "fine", "type": "short_answer", "prompt": "Q", "answers": [{"text": " a "}]},
    )
    notes = _notes(bank, skip_unsupported=True)
    assert notes["many"] == {"fill_in_blanks": "unsupported"}
    assert notes["broken"] == {"short_answer": "changed"}
    assert notes["fine"] == {}
