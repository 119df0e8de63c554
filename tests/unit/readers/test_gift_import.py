"""The GIFT reader as an importer: golden imports of fixtures/inputs/gift (a file in the exact
shape Moodle's GIFT exporter writes, with [html], TeX, @@PLUGINFILE@@ images, categories,
partial credit and several numeric answers; a hand-written file with escapes, missing words,
[plain] and [markdown] texts and Unicode), detection, and images beside the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.readers import gift
from packager.readers.base import Source
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

CASES = cases("gift", "gift.txt")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize("case", CASES)
def test_golden(request: pytest.FixtureRequest, case: str) -> None:
    check_golden(request, "gift", case, "gift.txt", gift.read)


@pytest.mark.parametrize("case", CASES)
def test_fixtures_are_detected(case: str) -> None:
    assert gift.detect((INPUTS / "gift" / f"{case}.gift.txt").read_bytes())


def _read(text: str, base: Path = Path(".")) -> gift.Imported:
    return gift.read(Source("quiz.gift.txt", text.encode(), base))


def test_read_still_returns_the_bank() -> None:
    assert gift.read(Source("q.gift", b"::a::Q{=x ~y}\n", Path("."))).bank.questions[0].id == "a"


def test_a_relative_image_beside_the_file_is_kept(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "dot.png").write_bytes(PNG)
    (tmp_path / "media" / "fake.png").write_bytes(b"<html>not an image</html>")
    (tmp_path.parent / "outside.png").write_bytes(PNG)
    result = _read(
        '::q::[html]<p><img src\\="media/dot.png" alt\\="dot"> <img src\\="media/fake.png">'
        ' <img src\\="../outside.png"></p>{=a ~b}\n', tmp_path)
    assert result.media == {"media/dot.png": PNG}
    assert "![dot](<media/dot.png>)" in result.bank.questions[0].prompt
    assert [n.message for n in result.notes if "image" in n.message] == [
        "image 'media/fake.png' dropped: media file 'media/fake.png' is not an image: packages "
        "carry only PNG, JPEG, GIF and WebP images",
        "image '../outside.png' dropped: its path leads outside the GIFT file's folder: only "
        "images in that folder are read",
    ]


def test_an_image_outside_the_files_folder_is_said_to_be_so_not_missing(tmp_path: Path) -> None:
    """Review 33: an image whose path leads out of the GIFT file's folder (absolute, or a
    link out of it) was noted "not found in the source", though it was there: it is not
    read, for safety, and the note says that."""
    (tmp_path / "bank").mkdir()
    (tmp_path / "outside.png").write_bytes(PNG)
    (tmp_path / "bank" / "link.png").symlink_to(tmp_path / "outside.png")
    absolute = (tmp_path / "outside.png").as_posix()
    result = _read(f'::q::[html]<p>Which? <img src\\="{absolute}"> <img src\\="link.png"></p>'
                   "{=a ~b}\n", tmp_path / "bank")
    assert result.media == {}
    assert [n.message for n in result.notes if "image" in n.message] == [
        f"image {absolute!r} dropped: its path leads outside the GIFT file's folder: only "
        "images in that folder are read",
        "image 'link.png' dropped: its path leads outside the GIFT file's folder through a "
        "link: only images in that folder are read",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("::q::Q{#}\n", "numeric answer '' is not a number"),
    ("::q::Q{#=%50%3}\n", "no numeric answer is worth full marks"),
    ("::q::Unbalanced {=a ~b\n", "unbalanced '{' and '}'"),
])
def test_unreadable_questions_are_located(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read("\n" + text)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line) == ("quiz.gift.txt", 2)
    assert message in diagnostic.message


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04", b"<quiz/>", b'{"format": "x"}', b"Q?\nA. a\nB. b\nANSWER: A\n",
])
def test_other_content_is_not_detected(data: bytes) -> None:
    assert not gift.detect(data)


def test_a_question_without_text_gets_a_prompt_and_a_note() -> None:
    imported = _read("::T::{=a ~b}\n")
    assert imported.bank.questions[0].prompt == "(no text)"
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("changed", "the question has no text: its prompt is '(no text)'")]


def test_editor_breaks_at_paragraph_ends_leave_no_backslash() -> None:
    """[html] texts pasted from Moodle's editor end paragraphs with <br>; a feedback of only
    breaks is no feedback; GIFT's own line breaks (Moodle's default format) stay breaks."""
    imported = _read(
        '::Prime::[html]<p dir\\="ltr">Which number is prime?<br></p><br><p></p>{\n'
        '\t~<p dir\\="ltr">Nine<br></p>#<br><p><br></p>\n'
        '\t=<p dir\\="ltr">Two<br></p>\n'
        '\t####<p>Two has no divisor but one and itself.<br></p>\n'
        '}\n\n'
        'Which is a colour?{\n'
        '~chair#not a colour,\nit is furniture\n'
        '=red\n'
        '####Red is\na colour.}\n')
    first, second = imported.bank.questions
    assert first.prompt == "Which number is prime?"
    assert [(c.text, c.feedback) for c in first.choices] == [("Nine", None), ("Two", None)]
    assert first.explanation == "Two has no divisor but one and itself."
    assert second.choices[0].feedback == "not a colour,\\\nit is furniture"
    assert second.explanation == "Red is\\\na colour."
    assert imported.notes == []


_SCORING_NOTES = {
    "no penalty": "the options' fractions: every right option now earns the same share, and "
                  "every wrong one costs as much as a right one earns",
    "subset": "the options' fractions: in Moodle some of the right options and no wrong one "
              "earned part of the marks; all-or-nothing scoring gives marks only for exactly "
              "the right options",
}


@pytest.mark.parametrize(("block", "scoring", "note"), [
    # No penalty for a wrong pick: picking every option earned full marks in Moodle.
    ("~%50%Lisbon ~%50%Madrid ~%0%Porto", "partial", "no penalty"),
    # Moodle's own sample: a subset of the right options earns its share there.
    ("~%50%amber ~%-100%violet ~%50%saffron ~%-100%teal", "all_or_nothing", "subset"),
    # +100/n and -100/n are the canonical partial rule; no wrong option is partial too.
    ("~%50%Lisbon ~%50%Madrid ~%-50%Porto", "partial", None),
    ("~%50%Lisbon ~%50%Madrid", "partial", None),
    ("~%100%Lisbon ~%-100%Porto ~%-100%Faro", "all_or_nothing", None),
])
def test_multiple_answer_weights_are_carried_or_their_change_noted(
        block: str, scoring: str, note: str | None) -> None:
    imported = _read(f"::Cities:: Pick the capitals.\n{{\n{block}\n}}\n")
    (q,) = imported.bank.questions
    assert (q.type, q.scoring) == ("multiple_response", scoring)
    assert [(n.kind, n.message, n.location.line) for n in imported.notes] == (
        [("changed", _SCORING_NOTES[note], 1)] if note else [])


def test_several_equals_answers_make_a_multiple_response_with_a_note() -> None:
    imported = _read("::Both:: Pick a prime.{=two =three ~four}\n")
    (q,) = imported.bank.questions
    assert q.type == "multiple_response" and [c.correct for c in q.choices] == [True, True, False]
    assert [n.message for n in imported.notes] == [
        "several options are fully right: the question becomes multiple response"]


def test_each_answer_and_feedback_may_name_its_own_format() -> None:
    """Moodle reads `[html]`, `[plain]`, `[markdown]` or `[moodle]` at the start of every
    answer, feedback and general feedback (a text without one has the question's format);
    the general feedback's only right after `####`."""
    imported = _read(
        "::Hue:: Which colour lies between blue and yellow?\n{\n"
        "    =green # well spotted\n"
        "    ~red # [html]no, that is <em>warm</em>\n"
        "    ~[plain]<i>cyan</i> # [markdown]close, but **no**\n"
        "####[markdown]It is **green**.\n}\n\n"
        "::Sure::The sun is a star.{TRUE#[plain]<b>it is</b>#[markdown]*Yes*}\n\n"
        "::Pairs::Match them.{\n=[plain]<b>H</b> -> hydrogen\n=He -> helium\n}\n\n"
        "::Spaced::Name a primary colour.{=red#[markdown]**Yes**\n####  [markdown]**Red**}\n")
    hue, sure, pairs, spaced = imported.bank.questions
    assert [(c.text, c.feedback) for c in hue.choices] == [
        ("green", "well spotted"),
        ("red", "no, that is *warm*"),
        ("\\<i\\>cyan\\</i\\>", "close, but **no**"),
    ]
    assert hue.explanation == "It is **green**."
    assert (sure.feedback_false, sure.feedback_true) == ("\\<b\\>it is\\</b\\>", "*Yes*")
    assert [p.prompt for p in pairs.pairs] == ["\\<b\\>H\\</b\\>", "He"]
    assert spaced.feedback is not None and spaced.feedback.correct == "**Yes**"
    assert spaced.explanation == "\\[markdown\\]\\*\\*Red\\*\\*"


def test_embedded_images_are_kept_and_options_of_nothing_else_are_never_made_up() -> None:
    """Options that are only a `data:` image: a real PNG is extracted to media (named by its
    bytes); one that is no image is dropped, each time noted, and then the question, which
    would not be the same without those options, is left out (no "(empty)" option is made
    up). A web image is noted as such, not as missing from the source."""
    import base64

    png = base64.b64encode(PNG).decode().replace("=", "\\=")  # GIFT escapes its padding
    imported = _read(
        "::Dots:: Which dot is black?\n{\n"
        f"~<img src\\=\"data:image/png;base64,{png}\" alt\\=\"a\">\n"
        f"=<img src\\=\"data:image/png;base64,{png}\" alt\\=\"b\">\n}}\n\n"
        "::Broken:: Which one?\n{\n"
        "~<img src\\=\"data:image/png;base64,AAAA\">\n"
        "=<img src\\=\"data:image/png;base64,BBBB\">\n"
        "~<img src\\=\"data:image/png;base64,CCCC\">\n}\n\n"
        "::Web::[html]<p>See <img src\\=\"https://example.org/map.png\" alt\\=\"map\">.</p>"
        "{=yes ~no}\n")
    (href,) = imported.media
    assert href.startswith("media/embedded-") and href.endswith(".png")
    assert imported.media[href] == PNG
    dots, web = imported.bank.questions
    assert [c.text for c in dots.choices] == [f"![a](<{href}>)", f"![b](<{href}>)"]
    assert web.prompt == "See map."
    assert [(n.question_id, n.kind, n.message, n.location.line) for n in imported.notes] == [
        ("broken", "dropped", "an image embedded in the text (image/png, 26 characters) dropped: "
                              "its content is not a PNG, JPEG, GIF or WebP image (3 times)", 7),
        ("broken", "dropped", "the whole question: options 1, 2 and 3 held only what was "
                              "dropped, as noted; the question is not the same without them", 7),
        ("web", "dropped", "image 'https://example.org/map.png' dropped: it is on the web, not "
                           "in the file (only images beside the GIFT file are kept)", 14),
    ]


def test_a_pair_whose_prompt_was_only_a_dropped_image_is_no_distractor() -> None:
    imported = _read(
        "::Flags:: Match the flags.{\n"
        "=<img src\\=\"https://example.org/fr.png\"> -> France\n"
        "=<b>Italy's</b> -> Italy\n"
        "= -> Spain\n}\n\n::Sky:: Sky is blue.{T}\n")
    assert [q.id for q in imported.bank.questions] == ["sky"]
    assert imported.notes[-1].message == (
        "the whole question: pair 1 held only what was dropped, as noted; the question is not "
        "the same without it")


@pytest.mark.parametrize(("block", "notes"), [
    # As Moodle 4.4 exports it by default: empty words, a subset of 2, relative grading.
    (">2     none\n", [
        "Moodle showed each learner 2 of the 4 items (chosen at random); every item is shown now",
        "Moodle's RELATIVE_NEXT_EXCLUDE_LAST grading gave part of the marks for a partly right "
        "order; the order is now right or wrong as a whole"]),
    (">4 ALL VERTICAL ALL_OR_NOTHING SHOW 123\n", []),
    (">3 CONTIGUOUS H ABS HIDE\n", [
        "Moodle showed each learner 3 of the 4 items (in one run); every item is shown now",
        "Moodle's ABSOLUTE_POSITION grading gave part of the marks for a partly right order; "
        "the order is now right or wrong as a whole"]),
    # A count outside 2…n: Moodle shows the smaller of 6 and n, here all four.
    (">9 RANDOM V ALL_OR_NOTHING\n", []),
])
def test_moodle_ordering_questions_are_read_with_their_settings_noted(
        block: str, notes: list[str]) -> None:
    imported = _read("::Sky::Sky is blue.{T}\n\n"
                     f"::Stack::[html]Order the layers, top first.{{{block}"
                     "Application\nTransport\nNetwork\\: IP\nLink\n####Top down.}\n")
    sky, stack = imported.bank.questions
    assert sky.type == "true_false"  # the question before still reads
    assert (stack.type, stack.title, stack.prompt) == ("ordering", "Stack",
                                                        "Order the layers, top first.")
    assert stack.items == ["Application", "Transport", "Network: IP", "Link"]
    assert stack.explanation == "Top down."
    assert [(n.question_id, n.kind, n.message, n.location.line) for n in imported.notes] == [
        ("stack", "changed", message, 3) for message in notes]


def test_a_matching_question_with_a_repeated_prompt_is_left_out_with_a_located_note() -> None:
    """Moodle accepts two subquestions of the same text; a bank's matching question cannot
    hold them, so the question is left out, the note naming the repeated prompt and its line
    (the whole file used to fail with an unlocated "Value error")."""
    imported = _read("::Sky::Sky is blue.{T}\n\n"
                     "::Pairs::[html]<p>Match</p>{\n"
                     "\t=<p>twin</p> -> left\n\t=<p>twin</p> -> right\n\t=<p>single</p> -> up\n}\n")
    assert [q.id for q in imported.bank.questions] == ["sky"]
    (note,) = [n for n in imported.notes if n.kind == "dropped"]  # besides its scoring's
    assert (note.question_id, note.kind, note.location.line, note.message) == (
        "pairs", "dropped", 3,
        "left out: as read, it is not a valid question (pairs: two pairs have the same prompt "
        "'twin')")


def test_a_short_answer_with_moodles_wildcard_is_not_taken_literally() -> None:
    """In Moodle a '*' in a short answer stands for any characters (`\\*` is a star): the
    bank cannot say that, so such an answer is dropped, noted, and a question left with no
    right answer is left out; a starred answer is kept as a star."""
    imported = _read("::Hue::Spell the colour.{=colo*r =colour}\n\n"
                     "::Any::Name a metal.{=*ium}\n\n"
                     "::Times::Two times three, as typed?{=2\\*3}\n")
    hue, times = imported.bank.questions
    assert [a.text for a in hue.answers] == ["colour"]
    assert [a.text for a in times.answers] == ["2*3"]
    assert [(n.question_id, n.message) for n in imported.notes] == [
        ("hue", "the answer 'colo*r': its '*' stands for any characters in Moodle, which a "
                "bank's answer cannot (it would accept only the text as typed)"),
        ("any", "the answer '*ium': its '*' stands for any characters in Moodle, which a "
                "bank's answer cannot (it would accept only the text as typed)"),
        ("any", "the whole question: every right answer holds Moodle's wildcard '*', which a "
                "bank's answer cannot"),
    ]


def test_a_title_that_slugs_to_the_id_stays_the_title() -> None:
    """`::colours::` is the question's name in Moodle; only a name repeating the `[id:…]` of
    the comment (packager's export of an untitled question) is no title."""
    imported = _read("::colours::Which is warm?{=red ~blue}\n\n"
                     "// [id:q7]\n::q7::Which is cold?{=blue ~red}\n")
    assert [(q.id, q.title) for q in imported.bank.questions] == [("colours", "colours"),
                                                                 ("q7", None)]


def test_a_missing_word_blank_keeps_the_spacing_around_it() -> None:
    """Moodle puts its blank exactly where the answer block was: no space appears before the
    punctuation that follows it."""
    imported = _read("::Cap::The capital of France is {=Paris}.\n\n"
                     "::Pre::Tele{=phone ~vision}s ring.\n")
    cap, pre = imported.bank.questions
    assert cap.prompt == "The capital of France is [[blank]]."
    assert pre.prompt == "Tele\\_\\_\\_\\_\\_s ring."


def test_a_link_to_a_moodle_file_says_that_gift_holds_no_files() -> None:
    imported = _read('::Sound::[html]<p><a href\\="@@PLUGINFILE@@/a.mp3">Listen</a></p>{T}\n')
    assert imported.bank.questions[0].prompt == "Listen"
    assert [n.message for n in imported.notes] == [
        "link to 'a.mp3' dropped: a GIFT file holds no files (the link's text is kept)"]


def test_an_ordering_count_of_thousands_of_digits_is_no_count() -> None:
    """int() refuses more than 4,300 digits: the whole file was refused with its message."""
    imported = _read("::O:: Put in order {\n>" + "9" * 5000 + "\nfirst\nsecond\nthird\n}\n\n"
                     "::T:: True? {T}\n")
    assert [q.type for q in imported.bank.questions] == ["ordering", "true_false"]


def test_a_question_is_located_at_its_own_line_not_at_the_comments_before_it() -> None:
    """Moodle's exporter writes `// question: 12  name: …` right above each question; notes
    and errors pointed at that comment."""
    imported = _read("// question: 1  name: Q1\n// [tag:unit-1]\n::Q1:: Pick {=a ~%50%b}\n")
    (note,) = imported.notes
    assert note.location.line == 3
    imported = _read("::ok:: Fine {=a ~b}\n\n// question: 2\n::q::Q{#=%50%3}\n")
    (note,) = imported.notes
    assert (note.question_id, note.location.line) == ("q", 4)


# -- a question that cannot be read, and questions run together -------------------------------


def test_a_question_that_cannot_be_read_is_left_out_with_a_located_note() -> None:
    """One bad block refused the whole file, where the README promises that an invalid
    question is left out with a note and the rest imported (as the Moodle XML reader does)."""
    imported = _read(
        "::a:: First {=yes ~no}\n\n"
        "::b:: Unbalanced {=a ~b\n\n"
        "::c:: Bad weight {~%33%a ~%67%b}\n\n"
        "::d:: No full marks {#=%50%3}\n\n"
        "::e:: Last {T}\n"
    )
    assert [q.id for q in imported.bank.questions] == ["a", "e"]
    assert [(n.question_id, n.location.line, n.kind, n.message) for n in imported.notes] == [
        (None, 3, "dropped", "the whole question: unbalanced '{' and '}'; escape a literal "
                             "brace as \\{ or \\}"),
        (None, 5, "dropped", "the whole question: weight 33% is not in Moodle's list of grades"),
        (None, 5, "dropped", "the whole question: weight 67% is not in Moodle's list of grades"),
        ("d", 7, "dropped", "the whole question: no numeric answer is worth full marks"),
    ]


def test_a_file_with_no_question_left_is_refused_with_every_reason() -> None:
    with pytest.raises(InputError) as caught:
        _read("::b:: Unbalanced {=a ~b\n\n::d:: No full marks {#=%50%3}\n")
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("E-GIFT", 1), ("E-GIFT", 3)]
    assert "unbalanced" in caught.value.diagnostics[0].message
    assert "no numeric answer is worth full marks" in caught.value.diagnostics[1].message


def test_an_empty_answer_block_followed_by_text_is_an_essay_as_in_moodle() -> None:
    """Moodle types a question by its answer block alone: an empty one is an essay, and text
    after it puts '_____' where the block was (question/format/gift/format.php)."""
    imported = _read("::Q8:: How are you? {} Say it in a sentence.\n\nHow are you without title ?"
                     "\n{}\n*/\n")
    assert [(q.type, q.prompt) for q in imported.bank.questions] == [
        ("essay", "How are you? \\_\\_\\_\\_\\_ Say it in a sentence."),
        ("essay", "How are you without title ? \\_\\_\\_\\_\\_ \\*/"),
    ]
    assert {n.message for n in imported.notes} == {
        "an empty answer block with text after it: an essay, as Moodle reads it, with '_____' "
        "in the prompt where the block was"}


@pytest.mark.parametrize(("text", "line", "what"), [
    # No blank lines between questions: Moodle reads one question, as packager does.
    ("::Question 1::Quelle est la couleur du ciel ? {\n=Bleu\n~Rouge\n}\n"
     "::Question 2::La Terre est-elle ronde ? {\nTRUE\n}\n"
     "::Question 5::Combien font 7 multiplié par 6 ? {#42}\n", 5,
     "'::Question 2::La Terre est-elle ronde ? ', and 1 more line like it)"),
    ("Which is blue? {=sky ~grass} Then: which is green? {=grass ~sky}\n", 1,
     "'{=grass ~sky}'"),
    ("/*\n::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }\n*/\n"
     "::Q5:: What is a number from 1 to 5? {#3:2}\n", 2,
     "'::Q4:: Which animal eats which food? { =', and 1 more line like it)"),
])
def test_a_question_holding_the_start_of_another_says_so(text: str, line: int,
                                                          what: str) -> None:
    imported = _read("\n" + text)
    (question,) = imported.bank.questions
    (note,) = [n for n in imported.notes if "another question" in n.message]
    assert (note.question_id, note.location.line, note.kind) == (question.id, line + 1, "changed")
    assert what in note.message
    assert "separate questions with a blank line" in note.message


@pytest.mark.parametrize("text", [
    "::T:: C++ has std::vector::size and {=a ~b}.\n",  # '::' inside a line is no title
    "::T::\nWhat is \\{1\\} ? {=a ~b}\n",  # escaped braces are text
    "::T:: Escaped \\:\\:x\\:\\: is no title {=a ~b}\n",
    "::T:: A missing {=word} in a sentence.\n",
])
def test_ordinary_questions_are_not_taken_for_several(text: str) -> None:
    imported = _read(text)
    assert not [n for n in imported.notes if "another question" in n.message]


def test_a_matching_question_keeps_moodles_share_per_pair_without_a_note() -> None:
    """GIFT's matching question is Moodle's, which gives each right pair its share of the
    marks, as a bank's matching question does."""
    imported = _read("::Pairs::Match.{\n\t=a -> 1\n\t=b -> 2\n\t= -> 3\n}\n")
    (question,) = imported.bank.questions
    assert question.type == "matching" and len(question.pairs) == 2
    assert imported.notes == []


def test_an_images_source_is_read_as_a_url(tmp_path: Path) -> None:
    """`<img src="c%20d.png">` names the file `c d.png`, as browsers and the checks read it:
    it was dropped as not found, and `<img src="a%20b.png">` carried the file literally named
    so, which the text then showed as `a b.png` (E-MEDIA: the import refused). Decoded, a
    source is checked as any: `%2e%2e/` is `../`."""
    from packager.richtext import render

    for name in ("c d.png", "a%20b.png", "e&f.png"):
        (tmp_path / name).write_bytes(PNG)
    (tmp_path.parent / "up.png").write_bytes(PNG)
    result = _read(
        '::q::[html]<p><img src\\="c%20d.png" alt\\="cd"> <img src\\="a%2520b.png" alt\\="ab">'
        ' <img src\\="e&amp;f.png" alt\\="ef"> <img src\\="%2e%2e/up.png" alt\\="up"></p>'
        "{=a ~b}\n", tmp_path)
    assert result.media == {"c d.png": PNG, "a%20b.png": PNG, "e&f.png": PNG}
    prompt = result.bank.questions[0].prompt
    assert render(prompt).media == ("c d.png", "a%20b.png", "e&f.png")
    assert [n.message for n in result.notes if "image" in n.message] == [
        "image '%2e%2e/up.png' dropped: its path leads outside the GIFT file's folder: only "
        "images in that folder are read"]


_MULTILANG = r"""$CATEGORY: $course$/top/<span lang="de" class="multilang">Erdkunde</span><span lang="en" class="multilang">Geography</span>

::<span lang="de" class="multilang">Hauptstadt</span><span lang="en" class="multilang">Capital</span>::[html]<p><span lang="de" class="multilang">Was ist die Hauptstadt von Frankreich?</span> <span lang="en" class="multilang">What is the capital of France?</span></p>{
=Paris#\{mlang de\}Richtig.\{mlang\}\{mlang en\}Right.\{mlang\}
~London
}

::Plain::What is 2+2?{=4 ~5}
"""


def test_multilang_texts_of_a_moodle_gift_export_keep_the_files_first_language() -> None:
    """A multilingual Moodle site's GIFT export holds its texts in every language, as its XML
    export does: they were run together ("Was ist …? What is …?"), and the title, category
    and id held the markup."""
    imported = _read(_MULTILANG)
    first, second = imported.bank.questions
    assert (first.id, first.title, first.prompt) == (
        "hauptstadt", "Hauptstadt", "Was ist die Hauptstadt von Frankreich?")
    assert [c.feedback for c in first.choices] == ["Richtig.", None]
    assert (imported.bank.title, imported.bank.language) == ("Erdkunde", "de")
    # One note for the categories every question repeats, one for the question with texts.
    assert [(n.question_id, n.message) for n in imported.notes] == [
        (None, "categories: multilang text: kept 'de', dropped 'en'"),
        ("hauptstadt", "multilang text: kept 'de', dropped 'en'"),
    ]
    assert (second.title, second.prompt) == ("Plain", "What is 2+2?")


def test_a_plain_texts_line_breaks_are_kept() -> None:
    """Moodle shows [plain] text's lines as lines (nl2br), as it does [moodle] text's."""
    (q,) = _read("::Lines::[plain]First line\nsecond line{T}\n").bank.questions
    assert q.prompt == "First line\\\nsecond line"


def test_plain_text_with_no_gift_in_it_is_refused_not_one_description() -> None:
    """Docs review 31: the seed's plain text named --from gift became a bank of one text item
    holding the whole file, exit 0. A file with GIFT's marks keeps its descriptions."""
    data = "Situation: a manager asks…\n\nWhat should you do?\n- Ask\n- Wait\n".encode()
    with pytest.raises(InputError) as raised:
        gift.read(Source("seed.txt", data, Path(".")))
    (problem,) = raised.value.diagnostics
    assert (problem.code, problem.hint) == ("E-GIFT", "for a quiz in the plain-text layout: "
                                            "--from text")
    kept = gift.read(Source("intro.gift", b"::intro::Read this first.\n", Path(".")))
    assert [q.type for q in kept.bank.questions] == ["text"]


def test_a_negative_mark_of_a_wrong_answer_is_noted() -> None:
    """Import review 32b (A4): `~%-25%wrong` took a quarter of the marks off in Moodle; the
    bank scores a wrong pick 0 and said nothing."""
    imported = _read("::q:: Pick one {=right ~%-25%wrong ~other}\n")
    (note,) = [n for n in imported.notes if "negative mark" in n.message]
    assert note.kind == "changed" and "-25 %" in note.message


def test_one_problem_of_several_answers_is_said_once() -> None:
    """Import review 32b: a question weighting six answers 7% (no Moodle grade) was left out
    with the same note six times."""
    imported = _read("::q:: Months? {~%7%Jan ~%7%Feb ~%7%Mar ~%9%Apr =May}\n\n"
                     "::r:: Fine? {=yes ~no}\n")
    weights = [n.message for n in imported.notes if "list of grades" in n.message]
    assert len(weights) == 2 and "7%" in weights[0] and "9%" in weights[1]


def test_answers_differing_only_in_letter_case_are_one_answer() -> None:
    """Import review 33: a course's `{=finally =Finally}` (Moodle compares short answers
    without letter case unless told) gave a bank `validate` warned about (W-DUPLICATE-ANSWER);
    it is one answer, as Moodle and the bank compare it."""
    imported = _read("::q13:: The clause that always runs is the ____ clause. {\n=finally\n"
                     "=Finally\n= finally \n}\n")
    (q,) = imported.bank.questions
    assert [(a.text, a.case_sensitive) for a in q.answers] == [("finally", False)]
    assert imported.notes == []


def test_answers_one_engine_tells_apart_are_both_kept() -> None:
    """Review 34: `{=Straße =Strasse}` kept Straße alone (str.casefold folds ß to ss), and a
    learner typing Strasse, right in Moodle, was marked wrong after the import; `kız` and
    `kiz` (two words, both KIZ in capitals) are two answers as well."""
    imported = _read("::q:: The street? {=Straße =Strasse =STRASSE =kız =kiz =KIZ}\n")
    (q,) = imported.bank.questions
    assert [a.text for a in q.answers] == ["Straße", "Strasse", "kız", "kiz"]
    imported = _read("::q:: The city? {=Paris =PARIS =paris}\n")
    assert [a.text for a in imported.bank.questions[0].answers] == ["Paris"]


def test_a_right_choice_reads_no_weight_after_its_equals_sign() -> None:
    """Moodle's multichoice import gives an '=' answer full marks without reading a weight
    after it, so `=%50%off` is the right answer '%50%off' (packager's GIFT writer writes an
    option so). The reader took '%50%' for a weight and the option's text lost it; a short
    answer's '=' still takes one."""
    choice = _read("::q:: Pick {=%50%off ~%0%%50%on}\n").bank.questions[0]
    assert choice.type == "single_choice"
    assert [(c.text, c.correct) for c in choice.choices] == [("%50%off", True), ("%50%on", False)]
    short = _read("::s:: Type {=%50%half =full}\n").bank.questions[0]
    assert short.type == "short_answer" and [a.text for a in short.answers] == ["full"]
