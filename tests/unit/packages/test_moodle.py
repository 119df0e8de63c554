"""Moodle XML: every export of both sample banks, read back by an independent reader
(tests/unit/packages/moodle_reader.py) and compared with the bank question by question.

Golden files (tests/golden/*/moodle) were read by eye: neon-broccoli has one multichoice with
single=true, the scenario paragraph and the prompt in the CDATA question text, four answers
(fractions 0, 0, 0, 100, the key on "It's hard to know …"), the full explanation in
generalfeedback, defaultgrade 1, idnumber and tag; sample-all-types has the bank and section
categories, the chart embedded as base64 and referenced as @@PLUGINFILE@@/leads-chart.png,
every type (description … cloze) and partial credit 50/-50.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from packager.context import BuildContext
from packager.errors import UnsupportedError
from packager.model import Bank
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source
from packager.richtext import render
from tests.conftest import SAMPLE_BANKS, bank_path, make_ctx
from tests.unit.packages import moodle_reader
from tests.unit.packages.moodle_reader import MoodleQuestion

# Moodle's fixed list of grades (question_bank::fraction_options_full), spelled independently.
GRADES = {
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30",
    "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
}
ALLOWED = GRADES | {"-" + g for g in GRADES if g != "0"}

EXPECTED_TYPE = {
    "single_choice": "multichoice", "multiple_response": "multichoice",
    "true_false": "truefalse", "short_answer": "shortanswer", "numeric": "numerical",
    "essay": "essay", "matching": "matching", "ordering": "ordering",
    "fill_in_blanks": "cloze", "text": "description",
}


def _export(loaded: LoadedBank, **kw: Any) -> bytes:
    return export(loaded, "moodle", make_ctx(None, **kw)).data


def _html(markdown: str) -> str:
    """The rendered text with embedded-file references turned back into bank paths."""
    return render(markdown).xhtml


def _unplugin(text: str) -> str:
    return text.replace("@@PLUGINFILE@@/leads-chart.png", "media/leads-chart.png")


def _by_id(questions: list[MoodleQuestion]) -> dict[str, MoodleQuestion]:
    return {q.fields["idnumber"]: q for q in questions if q.type != "category"}


@pytest.fixture(scope="module", params=SAMPLE_BANKS)
def exported(request: pytest.FixtureRequest) -> tuple[LoadedBank, bytes, list[MoodleQuestion]]:
    from packager.pipeline import load

    loaded = load(bank_path(request.param))
    data = _export(loaded)
    return loaded, data, moodle_reader.read(data)


def test_xml_declaration_is_the_first_line(exported) -> None:
    _, data, _ = exported
    assert data.startswith(b"<?xml version=")
    assert data.split(b"\n", 1)[0].endswith(b"?>")


def test_leading_category_from_bank_and_sections(exported) -> None:
    loaded, _, questions = exported
    bank = loaded.bank
    assert questions[0].type == "category"
    assert questions[0].category == f"$course$/top/{bank.title}"
    categories = [q.category for q in questions if q.type == "category"]
    if bank.sections:
        assert categories[1:] == [f"$course$/top/{bank.title}/{s.title}" for s in bank.sections]
        # each section's questions follow its category, in order
        order: list[str] = []
        for q in questions:
            if q.type != "category":
                order.append(q.fields["idnumber"])
        assert order == [i for s in bank.sections for i in s.question_ids]
    else:
        assert len(categories) == 1


def test_every_question_matches_the_bank(exported) -> None:
    loaded, _, questions = exported
    bank: Bank = loaded.bank
    by_id = _by_id(questions)
    assert sorted(by_id) == sorted(q.id for q in bank.questions)
    for q in bank.questions:
        mq = by_id[q.id]
        assert mq.type == EXPECTED_TYPE[q.type], q.id
        text = _unplugin(mq.texts["questiontext"].text)
        assert mq.texts["questiontext"].format == "html"
        if q.type != "fill_in_blanks":
            assert text.endswith(_html(q.prompt)), q.id
        if q.scenario:
            assert _html(q.scenario) in text
        if q.stimulus:
            assert _html(bank.stimulus_by_id[q.stimulus].body) in text
        assert mq.tags == list(q.tags)
        assert mq.name == (q.title or mq.name)
        if q.type == "text":
            assert "generalfeedback" not in mq.texts
            continue
        assert float(mq.fields["defaultgrade"]) == pytest.approx(bank.points_of(q))
        if q.explanation:
            assert _unplugin(mq.texts["generalfeedback"].text) == _html(q.explanation)
        _check_type(bank, q, mq)


def _feedback_html(answer: moodle_reader.MoodleAnswer) -> str | None:
    return answer.feedback.text if answer.feedback is not None else None


def _check_type(bank: Bank, q: Any, mq: MoodleQuestion) -> None:
    for answer in mq.answers:
        if q.type != "ordering":
            assert answer.fraction in ALLOWED, (q.id, answer.fraction)
    if q.type in ("single_choice", "multiple_response"):
        assert mq.fields["single"] == ("true" if q.type == "single_choice" else "false")
        assert len(mq.answers) == len(q.choices)
        n = sum(c.correct for c in q.choices)
        for choice, answer in zip(q.choices, mq.answers, strict=True):
            assert _unplugin(answer.text) == _html(choice.text)
            assert _feedback_html(answer) == (_html(choice.feedback) if choice.feedback else None)
            value = float(answer.fraction)
            if q.type == "single_choice":
                assert value == (100 if choice.correct else 0)
            elif choice.correct:
                assert value == pytest.approx(100 / n, abs=1e-4)
            elif q.scoring == "partial":
                assert value == pytest.approx(-100 / n, abs=1e-4)
            else:
                assert value == -100
        positive = sum(float(a.fraction) for a in mq.answers if float(a.fraction) > 0)
        assert positive == pytest.approx(100, abs=1e-3)
        fb = q.feedback
        assert mq.texts["correctfeedback"].text == (_html(fb.correct) if fb and fb.correct else "")
        assert mq.texts["incorrectfeedback"].text == (
            _html(fb.incorrect) if fb and fb.incorrect else ""
        )
        assert mq.fields["shuffleanswers"] == ("true" if bank.shuffles(q) else "false")
    elif q.type == "true_false":
        fractions = {a.text: a.fraction for a in mq.answers}
        assert fractions == {"true": "100" if q.answer else "0", "false": "0" if q.answer else "100"}
        by_text = {a.text: _feedback_html(a) or "" for a in mq.answers}
        if q.feedback_true:
            assert by_text["true"].startswith(_html(q.feedback_true))
        if q.feedback_false:
            assert by_text["false"].startswith(_html(q.feedback_false))
    elif q.type == "short_answer":
        assert mq.fields["usecase"] == ("1" if any(a.case_sensitive for a in q.answers) else "0")
        accepted = [a.text for a in mq.answers if a.fraction == "100"]
        assert accepted == [a.text.strip().replace("*", "\\*") for a in q.answers]
    elif q.type == "numeric":
        (answer,) = [a for a in mq.answers if a.fraction == "100"]
        value, tolerance = float(answer.text), float(answer.tolerance or 0)
        if hasattr(q.answer, "min"):
            assert value - tolerance == pytest.approx(q.answer.min)
            assert value + tolerance == pytest.approx(q.answer.max)
        else:
            assert (value, tolerance) == (q.answer.value, q.answer.tolerance)
        if q.unit:
            assert mq.units == [("1", q.unit)]
    elif q.type == "essay":
        grader = mq.texts["graderinfo"].text
        for part in (q.rubric, q.sample_answer):
            if part:
                assert _html(part) in grader
    elif q.type == "matching":
        pairs = [(_unplugin(t.text), a) for t, a in mq.subquestions if t.text]
        assert pairs == [(_html(p.prompt), p.match) for p in q.pairs]
        assert [a for t, a in mq.subquestions if not t.text] == list(q.distractors)
    elif q.type == "ordering":
        assert [_unplugin(a.text) for a in mq.answers] == [_html(i) for i in q.items]
        assert mq.fields["gradingtype"] == "ALL_OR_NOTHING"
        assert mq.fields["selecttype"] == "ALL"
    elif q.type == "fill_in_blanks":
        text = mq.texts["questiontext"].text
        codes = moodle_reader.CLOZE.findall(text)
        assert len(codes) == len(q.blanks)
        # the codes appear in the order of the blanks in the prompt
        order = re.findall(r"\[\[([a-z0-9][a-z0-9_-]*)\]\]", q.prompt)
        for blank_id, (weight, kind, body) in zip(order, codes, strict=True):
            assert kind == ("SHORTANSWER_C" if q.case_sensitive else "SHORTANSWER")
            points = bank.points_of(q)
            assert int(weight) * len(codes) == points or weight == "1"
            got = moodle_reader.cloze_answers(body)
            assert got == [("100", a.strip()) for a in q.blanks[blank_id]]


def test_images_are_embedded_as_base64_files() -> None:
    from packager.pipeline import load

    loaded = load(bank_path("sample-all-types"))
    questions = moodle_reader.read(_export(loaded))
    chart = (Path(bank_path("sample-all-types")).parent / "media/leads-chart.png").read_bytes()
    best = _by_id(questions)["best-month"]
    text = best.texts["questiontext"]
    assert 'src="@@PLUGINFILE@@/leads-chart.png"' in text.text
    assert [(f.name, f.path, f.data) for f in text.files] == [("leads-chart.png", "/", chart)]
    # a question without images carries no files
    assert _by_id(questions)["espresso-origin"].texts["questiontext"].files == []


def _bank(questions: list[dict[str, Any]], **extra: Any) -> LoadedBank:
    data = {"format": "packager.question-bank/1", "id": "t", "title": "T / slash",
            "questions": questions, **extra}
    bank = Bank.model_validate(data, strict=False)
    return LoadedBank(bank, Source("t.json", b"", Path(".")), ())


def _mr(qid: str, n_correct: int, n_wrong: int, scoring: str) -> dict[str, Any]:
    choices = [{"id": f"r{i}", "text": f"right {i}", "correct": True} for i in range(n_correct)]
    choices += [{"id": f"w{i}", "text": f"wrong {i}"} for i in range(n_wrong)]
    return {"id": qid, "type": "multiple_response", "prompt": "Pick", "choices": choices,
            "scoring": scoring, "explanation": "Because."}


def test_partial_credit_outside_moodles_grades_is_an_error_naming_the_question() -> None:
    loaded = _bank([_mr("eleven", 11, 2, "partial"), _mr("three", 3, 1, "partial")])
    with pytest.raises(UnsupportedError, match=r"'eleven'.*100/11"):
        _export(loaded)
    # with --skip-unsupported the rest is exported and the report says why
    artifact = export(loaded, "moodle", make_ctx(None, skip_unsupported=True))
    statuses = {q["id"]: q["status"] for q in artifact.report["questions"]}
    assert statuses == {"eleven": "skipped", "three": "exported"}
    (three,) = _by_id(moodle_reader.read(artifact.data)).values()
    assert [a.fraction for a in three.answers] == ["33.33333"] * 3 + ["-33.33333"]


def test_all_or_nothing_is_approximated_and_reported() -> None:
    loaded = _bank([_mr("aon", 4, 2, "all_or_nothing")])
    artifact = export(loaded, "moodle", make_ctx(None))
    (q,) = _by_id(moodle_reader.read(artifact.data)).values()
    assert [a.fraction for a in q.answers] == ["25"] * 4 + ["-100"] * 2
    (note,) = artifact.report["questions"][0]["notes"]
    assert note["kind"] == "changed" and "all-or-nothing" in note["message"]


def test_category_slash_and_special_characters_survive() -> None:
    loaded = _bank([
        {"id": "sa", "type": "short_answer", "prompt": "Say <b>&</b> ]]> or *",
         "answers": [{"text": "a*b"}, {"text": "X", "case_sensitive": True}],
         "feedback": {"incorrect": "No"}, "explanation": "x"},
        {"id": "fib", "type": "fill_in_blanks", "prompt": "A [[b]] c",
         "blanks": {"b": ["x}y", "p~q#r/s\"t\\u"]}, "explanation": "e"},
    ])
    artifact = export(loaded, "moodle", make_ctx(None))
    questions = moodle_reader.read(artifact.data)
    assert questions[0].category == "$course$/top/T // slash"
    sa = _by_id(questions)["sa"]
    assert [a.text for a in sa.answers] == ["a\\*b", "X", "*"]  # '*' catches every other answer
    assert sa.fields["usecase"] == "1"
    assert [n["feature"] for n in artifact.report["questions"][0]["notes"]] == ["case_sensitive"]
    body = moodle_reader.CLOZE.findall(_by_id(questions)["fib"].texts["questiontext"].text)[0][2]
    assert moodle_reader.cloze_answers(body) == [("100", "x}y"), ("100", 'p~q#r/s"t\\u')]


@pytest.mark.parametrize("target", ["moodle", "gift"])
def test_a_title_that_starts_or_ends_with_a_slash_keeps_its_category_level(target: str) -> None:
    """Moodle splits a category path at each '/' no other '/' touches, then trims each level
    and reads '//' as a slash (question/format.php split_category_path, emulated here). A
    bank 'Unit 1/' and a section '/Intro' were written 'Unit 1///Intro': one level, named
    'Unit 1//Intro'. Moodle's own export puts a space there, and so does packager now."""
    def moodle_levels(path: str) -> list[str]:
        return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]

    question = {"id": "q", "type": "true_false", "prompt": "T?", "answer": True,
                "explanation": "x"}
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "t", "title": "Unit 1/",
        "questions": [question], "sections": [
            {"id": "s", "title": "/Intro/", "question_ids": ["q"]}]})
    data = export(LoadedBank(bank, Source("t.json", b"", Path(".")), ()), target,
                  make_ctx(None)).data.decode()
    paths = (re.findall(r"\$CATEGORY: (.*)", data) if target == "gift" else
             [q.category for q in moodle_reader.read(data.encode()) if q.category])
    assert moodle_levels(paths[-1]) == ["$course$", "top", "Unit 1/", "/Intro/"]
    assert all(moodle_levels(path)[:3] == ["$course$", "top", "Unit 1/"] for path in paths)


def test_ten_thousand_questions_build_quickly() -> None:
    from tests.cpu_time import cpu_seconds

    questions = [
        {"id": f"q{i}", "type": "single_choice", "prompt": f"Question {i} about *x*?",
         "choices": [{"id": "a", "text": f"A {i}", "correct": True}, {"id": "b", "text": "B"}],
         "explanation": f"Because {i}."}
        for i in range(10_000)
    ]
    loaded = _bank(questions)
    ctx = BuildContext(epoch=315532800, validate_output=False)
    start = cpu_seconds()
    data = export(loaded, "moodle", ctx).data
    elapsed = cpu_seconds() - start
    assert data.count(b'<question type="multichoice">') == 10_000
    assert elapsed < 20, f"10,000 questions took {elapsed:.1f} CPU-s"


def test_cloze_weights_carry_points_or_report_the_change() -> None:
    fib = {"type": "fill_in_blanks", "prompt": "[[a]] and [[b]]",
           "blanks": {"a": ["x"], "b": ["y"]}, "explanation": "e"}
    loaded = _bank([{**fib, "id": "four", "points": 4}, {**fib, "id": "one"}])
    artifact = export(loaded, "moodle", make_ctx(None))
    by_id = _by_id(moodle_reader.read(artifact.data))
    assert [c[0] for c in moodle_reader.CLOZE.findall(by_id["four"].texts["questiontext"].text)] \
        == ["2", "2"]
    assert [c[0] for c in moodle_reader.CLOZE.findall(by_id["one"].texts["questiontext"].text)] \
        == ["1", "1"]
    notes = {q["id"]: [n["feature"] for n in q["notes"]] for q in artifact.report["questions"]}
    assert notes == {"four": [], "one": ["points"]}


def test_a_range_is_written_as_the_decimal_midpoint_and_half_width() -> None:
    """3.141..3.142 is 3.1415 ± 0.0005 in the file, not binary floating point's
    3.1414999999999997 ± 0.0004999999999999449."""
    loaded = _bank([{"id": "pi", "type": "numeric", "prompt": "Pi to three places?",
                     "answer": {"min": 3.141, "max": 3.142}, "explanation": "x"}])
    (q,) = _by_id(moodle_reader.read(_export(loaded))).values()
    (answer,) = q.answers
    assert (answer.text, answer.tolerance) == ("3.1415", "0.0005")


def test_an_asterisk_in_a_blank_is_written_escaped_not_as_a_wildcard() -> None:
    """A cloze gap is a short answer, where Moodle reads a bare '*' as any characters: the
    blank 'a*b' accepted 'a-anything-b'. Written `\\*` it is an asterisk, and reads back."""
    from packager.readers import moodle

    loaded = _bank([{"id": "star", "type": "fill_in_blanks", "prompt": "Type [[b1]].",
                     "blanks": {"b1": ["a*b"]}, "explanation": "x"}])
    data = _export(loaded)
    assert b"{1:SHORTANSWER:%100%a\\*b}" in data
    back = moodle.read(Source("quiz.xml", data, Path(".")))
    assert back.bank.questions[0].blanks == {"b1": ["a*b"]}  # type: ignore[union-attr]
    assert not [n for n in back.notes if "wildcard" in n.message or "'*'" in n.message]


def test_a_slash_or_quote_in_a_blank_reaches_moodle_as_written() -> None:
    """qtype_multianswer ends an answer only at '}', '#' or '~' and unescapes only '\\}' and
    '\\#': an escaped '/' kept its backslash, and learners typing 1/2 were marked wrong. A
    quote is a character reference (html_entity_decode with ENT_QUOTES gives it back): the
    code stands in the question's HTML, where a bare quote could end an attribute."""
    from packager.readers import moodle

    loaded = _bank([{"id": "half", "type": "fill_in_blanks", "prompt": "Half is [[b1]].",
                     "blanks": {"b1": ['1/2', 'a "half"']}, "explanation": "x"}])
    data = _export(loaded)
    assert b"{1:SHORTANSWER:%100%1/2~%100%a &#34;half&#34;}" in data
    back = moodle.read(Source("quiz.xml", data, Path(".")))
    assert back.bank.questions[0].blanks == {"b1": ["1/2", 'a "half"']}  # type: ignore[union-attr]


def test_a_blank_answer_with_a_tilde_backslash_or_ampersand_reaches_moodle_as_written() -> None:
    """Moodle's cloze parser unescapes only '\\}' and '\\#' (it kept the backslash of '\\~',
    so '~' and '\\' were a noted loss), and '&amp;' before a '~' joins two answers: those are
    written as character references, which it decodes, and every answer is Moodle's as
    written, with no note."""
    from packager.pipeline import fidelity_notes

    answers = ["a~b", "C:\\temp", "R&", "x}#*y", "&#126;", "<b>"]
    loaded = _bank([{"id": "tilde", "type": "fill_in_blanks", "prompt": "Type [[b1]].",
                     "blanks": {"b1": answers}, "explanation": "x"}])
    assert [n for n in fidelity_notes(loaded, "moodle") if n.feature == "fill_in_blanks"] == []
    questions = moodle_reader.read(_export(loaded))
    body = moodle_reader.CLOZE.findall(_by_id(questions)["tilde"].texts["questiontext"].text)[0][2]
    stored = [answer for _, answer in moodle_reader.cloze_answers(body)]
    # '*' is Moodle's wildcard: its short answer reads '\\*' as an asterisk
    assert [a.replace("\\*", "*") for a in stored] == answers



def test_a_match_is_stored_as_moodle_shows_it() -> None:
    """Review 30: Moodle shows a match through format_string, which strips tags: `<p>` was an
    empty option, and `&amp;` showed as `&`. Stored with character references, each shows as
    authored, and packager's reader reads it back so."""
    from packager.readers import moodle

    loaded = _bank([{"id": "tags", "type": "matching", "prompt": "Match each tag.",
                     "pairs": [{"prompt": "Paragraph", "match": "<p>"},
                               {"prompt": "Ampersand", "match": "&amp;"}],
                     "distractors": ["<em>"]}])
    data = _export(loaded)
    (question,) = _by_id(moodle_reader.read(data)).values()
    assert [answer for _, answer in question.subquestions] == ["&lt;p&gt;", "&amp;amp;",
                                                              "&lt;em&gt;"]
    (back,) = moodle.read(Source("t.moodle.xml", data, Path("."))).bank.questions
    assert [(p.prompt, p.match) for p in back.pairs] == [("Paragraph", "<p>"),
                                                          ("Ampersand", "&amp;")]
    assert back.distractors == ["<em>"]


def test_cloze_syntax_quoted_in_a_blanks_question_is_no_gap() -> None:
    """Review 30: Moodle finds a cloze question's gaps by patterns over its stored HTML, in a
    code span too: `{1:SHORTANSWER:=Paris}` quoted in the prompt was a second gap (2 marks,
    not 1), `{#1}` a second box for the first, and a scenario's text the same. Every '{' of
    the bank's text is a character reference, which those patterns do not match."""
    from packager.readers import moodle

    loaded = _bank([{"id": "cloze", "type": "fill_in_blanks", "scenario": "Quoted: {2:SA:=x}.",
                     "prompt": "In Moodle, `{1:SHORTANSWER:=Paris}` makes a gap; a menu is "
                               'a [[t]] gap ({#1} inside), see <a href="https://x.org/{a}">'
                               "docs</a>.",
                     "blanks": {"t": ["MULTICHOICE", "a~b"]}}])
    data = _export(loaded)
    (question,) = _by_id(moodle_reader.read(data)).values()
    text = question.texts["questiontext"].text
    assert "<p>Quoted: &#123;2:SA:=x}.</p>" in text
    assert "<code>&#123;1:SHORTANSWER:=Paris}</code>" in text and "(&#123;#1} inside)" in text
    assert "{1:SHORTANSWER:%100%MULTICHOICE~%100%a&#126;b}" in text
    assert 'href="https://x.org/%7Ba}"' in text
    assert text.count("{") == 1  # the one gap
    (back,) = moodle.read(Source("t.moodle.xml", data, Path("."))).bank.questions
    assert back.blanks == {"b1": ["MULTICHOICE", "a~b"]}
    assert "`{1:SHORTANSWER:=Paris}`" in back.prompt and "({#1} inside)" in back.prompt


def test_a_section_category_idnumber_fits_moodles_column() -> None:
    """Review 30: `<bank>.<section>` of two 64-character ids was 129 characters, and Moodle's
    question_categories.idnumber is a varchar(100)."""
    bank_id, common = "b" * 64, "section-" + "s" * 50
    loaded = _bank([{"id": f"q{i}", "type": "true_false", "prompt": "True?", "answer": True}
                    for i in range(2)],
                   id=bank_id, sections=[{"id": f"{common}-{i}", "title": f"Part {i}",
                                          "question_ids": [f"q{i}"]} for i in range(2)])
    data = _export(loaded).decode()
    idnumbers = re.findall(r"<idnumber>([^<]*)</idnumber>", data)
    categories = [i for i in idnumbers if i.startswith(bank_id + ".")]
    assert len(categories) == 2 and len(set(categories)) == 2
    assert all(len(i) <= 100 for i in idnumbers), [len(i) for i in idnumbers]
    short = _bank([{"id": "q", "type": "true_false", "prompt": "True?", "answer": True}],
                  sections=[{"id": "part", "title": "Part", "question_ids": ["q"]}])
    assert "<idnumber>t.part</idnumber>" in _export(short).decode()
