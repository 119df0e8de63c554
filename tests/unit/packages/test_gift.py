"""GIFT: escaping round trip (write → parse gives the same text), exports of both sample banks
read back with packager.readers.gift, fidelity notes, and parser errors with line numbers.

Golden files (tests/golden/*/gift) were read by eye: neon-broccoli is one plain-text question
with ::Department goals and scale::, the scenario and prompt as two paragraphs (\\n\\n), four
answers (~ ~ ~ =, the key last), the explanation after ####, and `// [id:…] [tag:goals]`;
sample-all-types has $CATEGORY lines per section, [html] questions with escaped '=' and ':',
TRUE#wrong#right, numeric 13.25:0.05 and 2.5..3.5, matching with a '= -> Orange juice'
distractor, and no ordering or fill-in-blanks question (reported unsupported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packager.capabilities import ordering_as_matching
from packager.errors import InputError, UnsupportedError
from packager.model import Bank
from packager.model import questions as m
from packager.pipeline import LoadedBank, export, load
from packager.readers import gift as reader
from packager.readers.base import Source
from packager.richtext import render
from packager.writers import gift as writer
from tests.conftest import SAMPLE_BANKS, bank_path, make_ctx

TRICKY = "~=#{}:\\\n"
texts = st.text(
    alphabet=st.sampled_from(list(TRICKY + "ab Z1->%[]é*")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s and not s.startswith(("[", "%")))


def _source(text: str, name: str = "quiz.gift.txt") -> Source:
    return Source(name, text.encode("utf-8"), Path("."))


@given(title=texts, text=texts, answers=st.lists(st.tuples(texts, texts), min_size=2,
                                                  max_size=4), general=texts)
def test_tricky_characters_round_trip(title: str, text: str, answers: list[tuple[str, str]],
                                      general: str) -> None:
    lines = [
        writer.answer_line(writer.Answer("=" if i == 0 else "~", a, None, fb))
        for i, (a, fb) in enumerate(answers)
    ]
    gift = (writer.question_text(title, text, html_format=False)
            + "{\n" + "\n".join(lines) + "\n####" + writer.escape(general) + "\n}\n")
    (q,) = reader.parse(_source(gift))
    assert q.kind == "multichoice"
    assert (q.title, q.text, q.general_feedback) == (title, text, general)
    assert [(a.mark, a.text, a.feedback) for a in q.answers] == [
        ("=" if i == 0 else "~", a, fb) for i, (a, fb) in enumerate(answers)
    ]


@given(text=texts)
def test_escape_and_unescape_are_inverse(text: str) -> None:
    escaped = writer.escape(text)
    assert "\n" not in escaped
    assert reader.unescape(escaped) == text


def test_escape_spells_every_special_character() -> None:
    assert writer.escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def _gift(name: str, **kw: Any) -> tuple[LoadedBank, str, dict[str, Any]]:
    loaded = load(bank_path(name))
    artifact = export(loaded, "gift", make_ctx(None, skip_unsupported=True, **kw))
    return loaded, artifact.data.decode("utf-8"), artifact.report


def _plain_or_html(markdown: str, fmt: str) -> str:
    rendered = render(markdown)
    if fmt == "html":
        return rendered.xhtml
    import html

    return html.unescape(rendered.xhtml[3:-4])


@pytest.mark.parametrize("name", SAMPLE_BANKS)
def test_export_reads_back_question_by_question(name: str) -> None:
    loaded, text, report = _gift(name)
    bank: Bank = ordering_as_matching(loaded.bank)  # how GIFT carries ordering
    parsed = {q.idnumber: q for q in reader.parse(_source(text))}
    skipped = {q["id"] for q in report["questions"] if q["status"] == "skipped"}
    assert set(parsed) == {q.id for q in bank.questions} - skipped
    kinds = {"single_choice": "multichoice", "multiple_response": "multichoice",
             "true_false": "truefalse", "short_answer": "shortanswer", "numeric": "numerical",
             "essay": "essay", "matching": "matching", "text": "description"}
    for q in bank.questions:
        if q.id in skipped:
            continue
        g = parsed[q.id]
        assert g.kind == kinds[q.type], q.id
        assert g.title == (q.title or q.id)
        assert g.tags == list(q.tags)
        assert g.text.endswith(_plain_or_html(q.prompt, g.format))
        if isinstance(q, m.TextItem):
            continue
        if q.explanation:
            assert g.general_feedback == _plain_or_html(q.explanation, g.format)
        if isinstance(q, m.SingleChoice):
            assert [a.mark for a in g.answers] == ["=" if c.correct else "~" for c in q.choices]
            assert [a.text for a in g.answers] == [
                _plain_or_html(c.text, g.format) for c in q.choices
            ]
            for c, a in zip(q.choices, g.answers, strict=True):
                if c.feedback:
                    assert (a.feedback or "").startswith(_plain_or_html(c.feedback, g.format))
        elif isinstance(q, m.MultipleResponse):
            n = sum(c.correct for c in q.choices)
            assert [a.weight for a in g.answers] == [
                pytest.approx(100 / n if c.correct else -100 / n, abs=1e-4) for c in q.choices
            ]
        elif isinstance(q, m.TrueFalse):
            assert g.truth is q.answer
        elif isinstance(q, m.ShortAnswer):
            assert [a.text for a in g.answers] == [a.text for a in q.answers]
        elif isinstance(q, m.Numeric):
            if isinstance(q.answer, m.RangeAnswer):
                assert g.answers[0].text == f"{q.answer.min:g}..{q.answer.max:g}"
            else:
                assert g.answers[0].text == f"{q.answer.value:g}:{q.answer.tolerance:g}"
        elif isinstance(q, m.Matching):
            pairs = [(a.text, a.feedback) for a in g.answers if a.text]
            assert pairs == [(_plain_or_html(p.prompt, g.format), p.match) for p in q.pairs]
            assert [a.feedback for a in g.answers if not a.text] == list(q.distractors)


@pytest.mark.parametrize("name", SAMPLE_BANKS)
def test_export_reads_back_as_a_valid_bank(name: str) -> None:
    loaded, text, _ = _gift(name)
    bank = reader.read(_source(text, f"{name}.gift.txt")).bank
    original = {q.id: q for q in ordering_as_matching(loaded.bank).questions}
    for q in bank.questions:
        assert q.type == original[q.id].type
        if isinstance(q, m.SingleChoice):
            src = original[q.id]
            assert isinstance(src, m.SingleChoice)
            assert [c.correct for c in q.choices] == [c.correct for c in src.choices]


def test_fill_in_blanks_is_unsupported_and_ordering_becomes_matching() -> None:
    with pytest.raises(UnsupportedError, match=r"'fill-recipe'"):
        export(load(bank_path("sample-all-types")), "gift", make_ctx(None))
    _, text, report = _gift("sample-all-types")
    statuses = {q["id"]: q["status"] for q in report["questions"]}
    assert statuses["fill-recipe"] == "skipped"
    assert statuses["order-steps"] == "exported"
    assert "-> 1st" in text and "-> 4th" in text
    notes = {(n["question_id"], n["feature"]) for q in report["questions"] for n in q["notes"]}
    assert ("conversion-rate", "unit") in notes
    assert ("best-month", "image") in notes
    assert ("service-essay", "rubric") in notes


def test_plain_question_uses_moodle_format_and_paragraphs() -> None:
    _, text, _ = _gift("neon-broccoli")
    assert "[html]" not in text
    assert "::Department goals and scale::Neon Broccoli is" in text
    assert "retention.\\n\\nHow well" in text  # scenario and prompt stay two paragraphs
    assert "// [id:department-goals-scale] [tag:goals]" in text


def test_true_false_feedback_order_is_wrong_then_right() -> None:
    _, text, _ = _gift("sample-all-types")
    line = next(s for s in text.splitlines() if s.startswith("TRUE#"))
    wrong, right = line[len("TRUE#"):].split("#")
    assert "It does" in wrong and "Right" in right


def test_parser_reports_errors_with_line_numbers() -> None:
    text = (
        "// comment\n::ok::Fine {=a ~b}\n\n"
        "::broken:: Unbalanced {=a ~b\n\n"
        "::weight:: Bad weight {~%33%a ~%67%b}\n\n"
        "::missing:: The {=} is missing here.\n"  # ({} with text after: an essay)
    )
    with pytest.raises(InputError) as caught:
        reader.parse(_source(text))
    lines = [(d.line, d.code) for d in caught.value.diagnostics]
    assert lines == [(4, "E-GIFT"), (6, "E-GIFT"), (6, "E-GIFT"), (8, "E-GIFT")]
    assert "33%" in caught.value.diagnostics[1].message


def test_reader_builds_every_gift_type() -> None:
    text = (
        "$CATEGORY: $course$/top/Imported\n\n"
        "// [id:mc] [tag:t1]\n::MC::Pick {=yes#Good ~no#Bad ####Why}\n\n"
        "::MR::Pick two {~%50%a ~%50%b ~%-100%c}\n\n"
        "::TF::Sky is blue {T#Wrong#Right}\n\n"
        "::SA::Say {=x =y}\n\n"
        "::NUM::Number {#3:0.5}\n\n"
        "::RANGE::Range {#1..2}\n\n"
        "::MATCH::Match {=a -> 1 =b -> 2 = -> 3}\n\n"
        "::ESSAY::Write {}\n\n"
        "Just text\n"
    )
    bank = reader.read(_source(text, "imported.gift")).bank
    assert bank.title == "Imported"
    types = [q.type for q in bank.questions]
    assert types == ["single_choice", "multiple_response", "true_false", "short_answer",
                     "numeric", "numeric", "matching", "essay", "text"]
    mc, mr, tf, *_ = bank.questions
    assert mc.id == "mc" and mc.tags == ["t1"] and mc.explanation == "Why"
    assert isinstance(mr, m.MultipleResponse) and mr.scoring == "all_or_nothing"
    assert isinstance(tf, m.TrueFalse) and tf.feedback_true == "Right"


def test_a_tag_moodle_skips_is_reported_and_the_others_arrive() -> None:
    """Moodle's GIFT import skips a [tag:…] holding <, > or a backtick (packager's reader
    does the same): the export says so for that question instead of losing it silently."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "tags", "title": "Tags",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": "Pick",
            "tags": ["a<b>c", "`code`", "plain", "x}y"],
            "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}],
        }],
    })
    loaded = LoadedBank(bank, Source("tags.json", b"", Path(".")), ())
    artifact = export(loaded, "gift", make_ctx())
    (question,) = artifact.report["questions"]
    (note,) = [n for n in question["notes"] if n["feature"] == "tags"]
    assert note["kind"] == "dropped"
    assert note["message"].endswith("'a<b>c', '`code`'")
    read = reader.read(Source("tags.gift", artifact.data, Path(".")))
    assert read.bank.questions[0].tags == ["plain", "x}y"]


def _moodle_category(line: str) -> str:
    """What Moodle's GIFT import names the category of a `$CATEGORY:` line: the path after
    escapedchar_pre (question/format/gift/format.php), whose placeholders are never restored."""
    path = line.removeprefix("$CATEGORY:").strip().replace("\\\\", "&&092;")
    for escaped, placeholder in zip(["\\:", "\\#", "\\=", "\\{", "\\}", "\\~", "\\n"],
                                    ["&&058;", "&&035;", "&&061;", "&&123;", "&&125;", "&&126;",
                                     "&&010"], strict=True):
        path = path.replace(escaped, placeholder)
    return path.replace("&&092;", "\\")


def test_a_backslash_in_the_category_reaches_moodle_and_the_reader() -> None:
    """Review 30: a bank titled `Regex \\n and C\\: drive` was written raw in the category
    line, which Moodle named `Regex &&010 and C&&058; drive`."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "paths", "title": "Regex \\n and C\\: drive",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": "Pick",
            "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}],
        }],
    })
    artifact = export(LoadedBank(bank, Source("paths.json", b"", Path(".")), ()), "gift",
                      make_ctx())
    (line,) = [s for s in artifact.data.decode("utf-8").splitlines() if s.startswith("$CATEGORY")]
    assert line == "$CATEGORY: $course$/top/Regex \\\\n and C\\\\: drive"
    assert _moodle_category(line) == "$course$/top/Regex \\n and C\\: drive"
    read = reader.read(Source("paths.gift", artifact.data, Path(".")))
    assert read.bank.title == "Regex \\n and C\\: drive"


def _blanks_bank(prompt: str, blanks: dict[str, list[str]], **extra: Any) -> LoadedBank:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "blanks", "title": "Blanks",
        "questions": [{"id": "q1", "type": "fill_in_blanks", "prompt": prompt,
                       "blanks": blanks, **extra}],
    })
    return LoadedBank(bank, Source("blanks.json", b"", Path(".")), ())


def test_one_blank_is_written_as_the_missing_word_short_answer() -> None:
    """Moodle's own example (question/format/gift/examples.txt): `Two plus two equals {=four
    =4}.` is a one-blank fill_in_blanks after import; exporting it gives that form back."""
    imported = reader.read(_source("Two plus two equals {=four =4}.\n"))
    (q,) = imported.bank.questions
    assert isinstance(q, m.FillInBlanks)
    loaded = LoadedBank(imported.bank, Source("bank.json", b"", Path(".")), ())
    artifact = export(loaded, "gift", make_ctx())
    text = artifact.data.decode("utf-8")
    assert "::q1::Two plus two equals {\n=four\n=4\n}.\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.FillInBlanks)
    assert (back.prompt, back.blanks) == ("Two plus two equals [[blank]].", {"blank": ["four", "4"]})
    (question,) = artifact.report["questions"]
    assert question["status"] == "exported"
    assert [(n["feature"], n["kind"]) for n in question["notes"]] == [("fill_in_blanks", "changed")]


def test_a_missing_word_question_escapes_its_text_and_answers() -> None:
    loaded = _blanks_bank(
        "Set {x} = a:b, then [[gap]] # ~ done.",
        {"gap": ["x=1", "a*b", "{c}", "~d#e:f"]},
        feedback={"correct": "Yes: {right}", "incorrect": "No = wrong"},
        explanation="Because #1.",
    )
    text = export(loaded, "gift", make_ctx()).data.decode("utf-8")
    assert (
        "::q1::Set \\{x\\} \\= a\\:b, then {\n"
        "=x\\=1#Yes\\: \\{right\\}\n"
        "=a\\\\*b#Yes\\: \\{right\\}\n"  # a literal '*' is '\\*' to Moodle
        "=\\{c\\}#Yes\\: \\{right\\}\n"
        "=\\~d\\#e\\:f#Yes\\: \\{right\\}\n"
        "=%0%*#No \\= wrong\n"
        "####Because \\#1.\n"
        "} \\# \\~ done.\n"
    ) in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.FillInBlanks)
    # The reader escapes the '#' that opens the text after the block (a heading on its own).
    assert back.prompt == "Set {x} = a:b, then [[blank]] \\# ~ done."
    assert render(back.prompt).xhtml == render("Set {x} = a:b, then [[blank]] # ~ done.").xhtml
    assert back.blanks == {"blank": ["x=1", "a*b", "{c}", "~d#e:f"]}
    assert back.feedback is not None
    assert (back.feedback.correct, back.feedback.incorrect) == ("Yes: {right}", "No = wrong")
    assert back.explanation == "Because #1."


def test_a_blank_that_ends_the_prompt_stays_a_blank() -> None:
    """Moodle (and packager's reader) take a block that ends the question as the answers of a
    plain short answer: written as HTML, the paragraph's end follows the block."""
    loaded = _blanks_bank("The capital of France is [[city]]", {"city": ["Paris"]})
    text = export(loaded, "gift", make_ctx()).data.decode("utf-8")
    assert "::q1::[html]<p>The capital of France is {\n=Paris\n}</p>\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.FillInBlanks)
    assert (back.prompt, back.blanks) == ("The capital of France is [[blank]]",
                                          {"blank": ["Paris"]})


def test_a_blank_that_opens_the_prompt_reads_back_as_it_was_written() -> None:
    """`{=Paris} is the capital.` has no text before its block: that is no question without
    text (it read back as "(no text)" before the blank)."""
    loaded = _blanks_bank("[[city]] is the capital of France.", {"city": ["Paris"]})
    text = export(loaded, "gift", make_ctx()).data.decode("utf-8")
    imported = reader.read(_source(text))
    (back,) = imported.bank.questions
    assert isinstance(back, m.FillInBlanks)
    assert (back.prompt, back.blanks) == ("[[blank]] is the capital of France.",
                                          {"blank": ["Paris"]})
    assert not [n for n in imported.notes if "no text" in n.message]


def test_a_rich_missing_word_question_is_html_around_the_block() -> None:
    loaded = _blanks_bank("Water is **H₂O**: it [[v]] at 100 °C & *boils* if 1 < 2.",
                          {"v": ["boils", "a < b"]})
    text = export(loaded, "gift", make_ctx()).data.decode("utf-8")
    # The answers as typed (review 30: Moodle compares `a &lt; b` with what a learner types).
    assert ("::q1::[html]<p>Water is <strong>H₂O</strong>\\: it {\n=boils\n=a < b\n} at 100 °C "
            "&amp; <em>boils</em> if 1 &lt; 2.</p>\n") in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.FillInBlanks)
    # The reader's canonical Markdown escapes the '<': the same text.
    assert back.prompt == "Water is **H₂O**: it [[blank]] at 100 °C & *boils* if 1 \\< 2."
    assert back.blanks == {"blank": ["boils", "a < b"]}


def test_several_blanks_are_refused_for_that_reason() -> None:
    loaded = _blanks_bank("[[a]] and [[b]] and [[c]].", {"a": ["x"], "b": ["y"], "c": ["z"]})
    with pytest.raises(UnsupportedError) as caught:
        export(loaded, "gift", make_ctx())
    assert caught.value.message == (
        "blanks.json: gift cannot express 1 question: 'q1' (3 blanks: GIFT's missing-word "
        "short answer has one blank)"
    )


def test_a_question_of_several_blanks_is_skipped_with_that_note_alone() -> None:
    """Its report says why it was skipped, not how a form it never took would change it."""
    _, text, report = _gift("sample-all-types")
    (recipe,) = [q for q in report["questions"] if q["id"] == "fill-recipe"]
    assert recipe["status"] == "skipped"
    assert recipe["notes"] == [{
        "question_id": "fill-recipe", "feature": "fill_in_blanks", "kind": "unsupported",
        "message": "2 blanks: GIFT's missing-word short answer has one blank",
    }]
    assert "fill-recipe" not in text


def _bank(question: dict[str, Any]) -> LoadedBank:
    bank = Bank.model_validate({"format": "packager.question-bank/1", "id": "one",
                                "title": "One", "questions": [question]})
    return LoadedBank(bank, Source("one.json", b"", Path(".")), ())


def test_a_short_answer_key_is_written_as_typed_in_an_html_question() -> None:
    """Review 30: bold in the prompt makes the question [html], and its key `AT&T` was
    written `AT&amp;T`, which Moodle keeps as the key (qtype_shortanswer compares the stored
    text with the response, decoding nothing): a learner typing AT&T was marked wrong."""
    bank = _bank({"id": "q1", "type": "short_answer", "prompt": "Which **telecom** company?",
                  "answers": [{"text": "AT&T"}, {"text": "x<5"}]})
    text = export(bank, "gift", make_ctx()).data.decode("utf-8")
    assert "[html]" in text and "=AT&T\n" in text and "=x<5\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.ShortAnswer)
    assert [a.text for a in back.answers] == ["AT&T", "x<5"]


@pytest.mark.parametrize("question", [
    {"id": "q1", "type": "short_answer", "prompt": "Which arrow?", "answers": [{"text": "->"}]},
    {"id": "q1", "type": "fill_in_blanks", "prompt": "An arrow: [[a]]", "blanks": {"a": ["a->b"]}},
])
def test_a_typed_answer_holding_an_arrow_is_unsupported(question: dict[str, Any]) -> None:
    """Review 30: Moodle reads a block holding '=' and '->' as matching (readquestion), and
    GIFT escapes neither character: the key `x<5 -> y` made the file a matching question
    (packager's reader refused it)."""
    with pytest.raises(UnsupportedError) as caught:
        export(_bank(question), "gift", make_ctx())
    answer = "->" if question["type"] == "short_answer" else "a->b"
    assert caught.value.message == (
        f"one.json: gift cannot express 1 question: 'q1' (the answer {answer!r} holds '->', "
        "which makes Moodle's GIFT import read the question as matching)")


@pytest.mark.parametrize(("answer", "placeholder", "read"), [
    ("&&058;", "&&058;", ":"), ("a &&010 b", "&&010", "\n"), ("C:&&092;x", "&&092;", "\\")])
def test_a_typed_answer_holding_a_gift_placeholder_is_unsupported(
    answer: str, placeholder: str, read: str
) -> None:
    """Moodle's GIFT import puts placeholders such as `&&058;` for escaped characters and
    turns every one back afterwards, also one the text held: the short answer `&&058;` was
    the key `:`. GIFT has no escape for `&`, so such a question is reported unsupported."""
    question = {"id": "q1", "type": "short_answer", "prompt": "Type it.",
                "answers": [{"text": answer}]}
    with pytest.raises(UnsupportedError) as caught:
        export(_bank(question), "gift", make_ctx())
    assert caught.value.message == (
        f"one.json: gift cannot express 1 question: 'q1' (the answer {answer!r} holds "
        f"{placeholder!r}, which Moodle's GIFT import takes for its placeholder of {read!r}, "
        "so the key would change)")


def test_a_match_is_written_as_moodle_shows_it() -> None:
    """Review 30: Moodle shows a match through format_string, which strips tags: `<p>` was
    an empty option, and `&amp;` showed as `&`. Written with character references, each shows
    as authored, and reads back so."""
    bank = _bank({"id": "q1", "type": "matching", "prompt": "Match each tag.",
                  "pairs": [{"prompt": "Paragraph", "match": "<p>"},
                            {"prompt": "Ampersand", "match": "&amp;"}],
                  "distractors": ["<em>"]})
    text = export(bank, "gift", make_ctx()).data.decode("utf-8")
    assert "=Paragraph -> &lt;p&gt;\n" in text and "=Ampersand -> &amp;amp;\n" in text
    assert "= -> &lt;em&gt;\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.Matching)
    assert [p.match for p in back.pairs] == ["<p>", "&amp;"] and back.distractors == ["<em>"]



def test_a_text_that_starts_like_a_weight_gets_its_weight_written_before_it() -> None:
    """Review 30: Moodle reads `%100%` or `%50%` at an answer's start as its weight, and GIFT
    has no escape for '%': `~%100% polyester` was a right answer, `=%50%off` the key `off`
    worth half. The weight written first keeps the text whole."""
    choice = _bank({"id": "q1", "type": "single_choice", "prompt": "Which fibre is natural?",
                    "choices": [{"id": "a", "text": "%100% polyester"},
                                {"id": "b", "text": "wool", "correct": True},
                                {"id": "c", "text": "%50% nylon"}]})
    text = export(choice, "gift", make_ctx(skip_unsupported=True)).data.decode("utf-8")
    assert "~%0%%100% polyester\n=wool\n~%0%%50% nylon\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.SingleChoice)
    assert [(c.text, c.correct) for c in back.choices] == [
        ("%100% polyester", False), ("wool", True), ("%50% nylon", False)]
    key = _bank({"id": "q1", "type": "short_answer", "prompt": "The sale?",
                 "answers": [{"text": "%50%off"}]})
    text = export(key, "gift", make_ctx()).data.decode("utf-8")
    assert "=%100%%50%off\n" in text
    (back,) = reader.read(_source(text)).bank.questions
    assert isinstance(back, m.ShortAnswer) and [a.text for a in back.answers] == ["%50%off"]


@pytest.mark.parametrize("answer", ["[html]5", "[plain] x", "[markdown]*", "[moodle][html]"])
def test_a_typed_answer_that_starts_like_a_format_keeps_it(answer: str) -> None:
    """Moodle reads `[html]`, `[plain]`, `[moodle]` or `[markdown]` at the start of an
    answer as its format (parse_text_with_format), and GIFT has no escape for '[': the short
    answer `[html]5` was the key `5`. A format written first keeps the text whole."""
    for question in ({"id": "q1", "type": "short_answer", "prompt": "Type it.",
                      "answers": [{"text": answer}]},
                     {"id": "q1", "type": "fill_in_blanks", "prompt": "Type [[b]] now.",
                      "blanks": {"b": [answer]}}):
        text = export(_bank(question), "gift", make_ctx()).data.decode("utf-8")
        assert "\n=[moodle][" in text
        (back,) = reader.read(_source(text)).bank.questions
        typed = ([a.text for a in back.answers] if isinstance(back, m.ShortAnswer)
                 else next(iter(back.blanks.values())))
        assert typed == [answer.strip()]
    assert "=[moodle]" not in export(_bank({
        "id": "q1", "type": "short_answer", "prompt": "Type it.",
        "answers": [{"text": "[HTML]5"}, {"text": "[x]"}]}), "gift", make_ctx()).data.decode()


def test_a_tag_ending_in_a_backslash_is_left_out_and_reported() -> None:
    """Review 30: Moodle reads `[tag:path\\]` as a tag holding an escaped bracket, running on
    into the next tag (`path] [tag:second`)."""
    bank = _bank({"id": "q1", "type": "true_false", "prompt": "True?", "answer": True,
                  "tags": ["path\\", "second"]})
    artifact = export(bank, "gift", make_ctx())
    assert "// [id:q1] [tag:second]\n" in artifact.data.decode("utf-8")
    notes = [n for n in artifact.report["questions"][0]["notes"] if n["feature"] == "tags"]
    assert [n["message"] for n in notes if "ending" in n["message"]] == [
        "a tag ending in \\ would run into the next one in Moodle's GIFT import: 'path\\\\'"]


@pytest.mark.parametrize("markdown", [
    "Plain words, café 📈.",  # read without the engine
    "a \\* b and 1 \\< 2",  # rendered by the engine, still one plain paragraph
    "AT&T and &amp; as typed, x < y > z",
    "<b>bold</b> and `code`",  # not a plain paragraph
    "first\n\nsecond",
])
def test_a_plain_paragraphs_text_is_its_xhtml_unescaped(markdown: str) -> None:
    """GIFT's plain format takes a plain paragraph's text as it was read instead of escaping
    it into XHTML and back: the same text, else what the XHTML holds, as before."""
    import html

    from packager.richtext import render
    from packager.writers.gift import _plain_of

    rendered = render(markdown)
    assert _plain_of(rendered) == html.unescape(rendered.xhtml[3:-4])
