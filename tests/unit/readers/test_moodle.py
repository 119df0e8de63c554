"""The Moodle XML reader: golden imports of fixtures/inputs/moodle (Moodle's own export shapes,
the awkward cases, packager's own export of the all-types sample), detection, and malformed or
hostile input refused with its location."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.model.ids import digest
from packager.readers import moodle
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.readers.moodle_grading import per_gap_note
from packager.readers.moodle_multilang import may_hold
from packager.writers.canonical import write
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden

FOLDER = INPUTS / "moodle"
CASES = cases("moodle", "xml")
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


def _read(data: bytes, name: str = "quiz.xml") -> Imported:
    return moodle.read(Source(name, data, FOLDER))


def _quiz(*questions: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions)
            + "\n</quiz>\n").encode()


def _question(qtype: str, body: str = "", text: str = "<p>Q?</p>", extra: str = "") -> str:
    return f"""<question type="{qtype}" {extra}>
<name><text>Q</text></name>
<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>
{body}
</question>"""


_CHOICES = """<answer fraction="100"><text>yes</text></answer>
<answer fraction="0"><text>no</text></answer>"""


def test_there_is_a_fixture_of_each_kind() -> None:
    assert {"moodle-export", "awkward", "packager-export"} <= set(CASES)


def _errors_of(imported: Imported, folder: Path) -> list[Diagnostic]:
    """The errors of `packager validate` on the imported bank, its media written beside it."""
    from packager.pipeline import check

    for href, data in imported.media.items():
        target = folder / href
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    source = Source(str(folder / "bank.json"), write(imported.bank), folder)
    return [d for d in check(source)[1] if d.is_error]


@pytest.mark.parametrize("case", CASES)
def test_golden(request: pytest.FixtureRequest, case: str, tmp_path: Path) -> None:
    imported = check_golden(request, "moodle", case, "xml", moodle.read)
    assert _errors_of(imported, tmp_path) == []


@pytest.mark.parametrize("case", CASES)
def test_fixtures_are_detected(case: str) -> None:
    assert moodle.detect((FOLDER / f"{case}.xml").read_bytes())


@pytest.mark.parametrize(
    "data",
    [b"", b"<questestinterop/>", b"<quizzes></quizzes>", b"::Q:: What? {=yes ~no}",
     b"\xff\xfe\x00garbage", b"<?xml version='1.0'?><!-- c --><assessmentItem/>",
     b"PK\x03\x04" + b"\x00" * 40],
)
def test_detect_says_no_and_never_raises(data: bytes) -> None:
    assert not moodle.detect(data)


def test_detect_reads_the_root_past_a_bom_a_declaration_and_comments() -> None:
    assert moodle.detect(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a -->\n<!-- b\n -->\n<quiz>')
    assert moodle.detect(b"<quiz/>")


def test_the_same_source_gives_the_same_bank() -> None:
    data = (FOLDER / "awkward.xml").read_bytes()
    first, second = _read(data), _read(data)
    assert write(first.bank) == write(second.bank)
    assert first.media == second.media and first.notes == second.notes


@pytest.mark.parametrize(
    ("data", "message", "pointer"),
    [
        (b"<questestinterop/>", "not a Moodle XML file", "/questestinterop"),
        (b'<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
         "declares XML entities", None),
        (b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><quiz>&b;</quiz>',
         "declares XML entities", None),
        (b"<quiz><question type='truefalse'>", "not well-formed XML", None),
        ('<?xml version="1.0" encoding="UTF-8"?><quiz><!-- caf\xe9 --></quiz>'.encode("latin-1"),
         "not well-formed XML", None),
        (_quiz('<question type="category"><category><text>$course$/top/A</text></category>'
               "</question>"), "no questions found", None),
        (_quiz(_question("")), "has no type attribute", "/quiz/question"),
        (_quiz(_question("multichoice", '<answer fraction="abc"><text>x</text></answer>')),
         "fraction 'abc' is not a number", "/quiz/question/answer"),
        (_quiz(_question("multichoice", _CHOICES, text="")), "the question has no text",
         "/quiz/question/questiontext"),
        (_quiz(_question("multichoice", '<answer fraction="100"><text>x</text></answer>')),
         "needs two options or more", "/quiz/question"),
        (_quiz(_question("multichoice", _CHOICES.replace("100", "0"))),
         "no option is worth any marks", "/quiz/question"),
        (_quiz(_question("truefalse", '<answer fraction="100"><text>true</text></answer>')),
         "needs a 'true' and a 'false' answer", "/quiz/question"),
        (_quiz(_question("shortanswer", '<answer fraction="50"><text>x</text></answer>')),
         "no answer is worth 100 %", "/quiz/question"),
        (_quiz(_question("numerical", '<answer fraction="100"><text>ten</text></answer>')),
         "'ten' or its tolerance is not a number", "/quiz/question/answer"),
        (_quiz(_question("matching", "<subquestion><text>a</text><answer><text>b</text>"
                                     "</answer></subquestion>")),
         "needs two subquestions or more", "/quiz/question"),
        (_quiz(_question("essay", "<defaultgrade>lots</defaultgrade>")),
         "defaultgrade 'lots' is not a number", "/quiz/question/defaultgrade"),
        (_quiz(_question("cloze", text="<p>No gap here.</p>")), "has no {…} code",
         "/quiz/question/questiontext"),
        (_quiz(_question("cloze", text="<p>Gap {1:SHORTANSWER:=a~=b</p>")),
         "has no closing '}'", "/quiz/question/questiontext"),
        (_quiz(_question("cloze", text="<p>Gap {1:SA:%50%a}</p>")),
         "gap 1 has no answer worth 100 %", "/quiz/question/questiontext"),
        (_quiz(_question("cloze", text="<p>{1:NUMERICAL:=ten}</p>")),
         "gap 1 is numerical but 'ten' is no number", "/quiz/question/questiontext"),
        (_quiz(_question("ddwtos", "<dragbox><text>a</text><group>1</group></dragbox>",
                         text="<p>[[1]] [[3]]</p>")),
         "the gap [[3]] names no option (there are 1)", "/quiz/question/questiontext"),
        (_quiz(_question("gapselect", "<selectoption><text>a</text></selectoption>")),
         "has no [[n]] gap", "/quiz/question/questiontext"),
        # Numbers of thousands of digits, which int() refuses (a ValueError traceback):
        (_quiz(_question("cloze", text="<p>Gap {" + "9" * 5000 + ":SA:=a}</p>")),
         "weighs more than any mark", "/quiz/question/questiontext"),
        (_quiz(_question("ddwtos", "<dragbox><text>a</text><group>1</group></dragbox>",
                         text="<p>[[" + "9" * 5000 + "]]</p>")),
         "names no option (there are 1)", "/quiz/question/questiontext"),
        (_quiz(_question("multichoice", _CHOICES, text='<p><img src="@@PLUGINFILE@@/a.png">'
                         '</p>').replace("</questiontext>",
                                         '<file name="a.png" encoding="base64">!!not base64!!'
                                         "</file></questiontext>")),
         "file 'a.png' is not valid base64", "/quiz/question/questiontext/file"),
    ],
)
def test_malformed_and_hostile_input_is_refused(
    data: bytes, message: str, pointer: str | None
) -> None:
    with pytest.raises(InputError) as raised:
        _read(data)
    found = [raised.value.message, *(d.message for d in raised.value.diagnostics)]
    assert any(message in m for m in found), found
    if pointer is not None:
        diagnostic = raised.value.diagnostics[0]
        assert diagnostic.file == "quiz.xml" and diagnostic.pointer == pointer
        assert diagnostic.line is not None


def test_every_problem_is_reported_not_only_the_first() -> None:
    data = _quiz(_question("multichoice", _CHOICES, text=""), _question("truefalse"),
                 _question("cloze", text="<p>none</p>"))
    with pytest.raises(InputError) as raised:
        _read(data)
    assert [d.pointer for d in raised.value.diagnostics] == [
        "/quiz/question[1]/questiontext", "/quiz/question[2]", "/quiz/question[3]/questiontext"
    ]


def test_file_names_cannot_leave_the_media_folder_and_non_images_are_dropped() -> None:
    text = ('<p><img src="@@PLUGINFILE@@/..%2F..%2Fevil.png"> <img src="@@PLUGINFILE@@/page.png">'
            ' <img src="http://example.com/x.png"> <img src="data:image/png;base64,AAAA"></p>')
    files = (f'<file name="../../evil.png" encoding="base64">{PNG}</file>'
             '<file name="page.png" encoding="base64">PGh0bWw+PHNjcmlwdD4=</file>')
    question = _question("multichoice", _CHOICES, text=text).replace(
        "</questiontext>", files + "</questiontext>")
    imported = _read(_quiz(question))
    assert list(imported.media) == ["media/evil.png"]
    assert imported.bank.questions[0].prompt == "![](<media/evil.png>)"
    assert [n.message for n in imported.notes] == [
        "image '../../evil.png' written as 'evil.png': its name has the segment '..'",
        "image '@@PLUGINFILE@@/page.png' dropped: media file 'page.png' is not an image: "
        "packages carry only PNG, JPEG, GIF and WebP images",
        "image 'http://example.com/x.png' dropped: it is on the web, not in the file (only "
        "images the file carries are kept)",
        "an image embedded in the text (image/png, 26 characters) dropped: its content is not "
        "a PNG, JPEG, GIF or WebP image",
    ]


def _numerical(*answers: tuple[str, str, str]) -> str:
    """A numerical question of (fraction, answer, tolerance)s."""
    return _question("numerical", "".join(
        f'<answer fraction="{fraction}"><text>{value}</text><tolerance>{tolerance}</tolerance>'
        "</answer>" for fraction, value, tolerance in answers))


@pytest.mark.parametrize(("value", "tolerance", "why"), [
    ("1e999", "0", "'1e999' is not a number an LMS holds"),
    ("-1e999", "0", "'-1e999' is not a number an LMS holds"),
    ("5", "1e999", "'1e999' is not a number an LMS holds"),
    ("1e16", "0", "the answer 10000000000000000 is beyond ±1e15, the most a bank holds"),
    ("5", "2e15", "the tolerance 2000000000000000 is beyond ±1e15, the most a bank holds"),
    ("-1.5e300", "0", "the answer -1.5e+300 is beyond ±1e15, the most a bank holds"),
])
def test_a_numerical_answer_a_bank_cannot_hold_leaves_out_only_its_question(
        value: str, tolerance: str, why: str) -> None:
    """`1e999` (a number to Moodle, which PHP reads as INF) refused the whole file as "not a
    number"; `1e16` left the question out as "not a valid question", at the question. Each
    leaves out its question, told at its answer, as the QTI 1.2 and Blackboard readers word
    it (numeric_keys)."""
    imported = _read(_quiz(_numerical(("100", value, tolerance)),
                           _numerical(("100", "3", "0.5"))))
    assert [q.answer.model_dump() for q in imported.bank.questions] == [
        {"value": 3, "tolerance": 0.5}]
    (note,) = imported.notes
    assert (note.kind, note.question_id, note.message) == ("dropped", "q", f"the whole question: {why}")
    assert (note.location.line, note.location.path) == (6, "/quiz/question[1]/answer")


def test_a_numerical_answer_a_bank_cannot_hold_is_left_out_where_another_is_right() -> None:
    """Beside a right answer the bank holds, one it cannot is left out (told), as is a
    wrong one (which refused the file)."""
    imported = _read(_quiz(_numerical(("100", "1e999", "0"), ("100", "42", "1"),
                                      ("0", "1e999", "0"))))
    (question,) = imported.bank.questions
    assert question.answer.model_dump() == {"value": 42, "tolerance": 1}
    assert [(n.location.path, n.message) for n in imported.notes] == [
        ("/quiz/question/answer[3]", "the answer 1e999 worth 0 % (only the first fully right "
         "answer is kept)"),
        ("/quiz/question/answer[1]", "the answer 1e999 ('1e999' is not a number an LMS holds)"),
    ]


def test_a_multiple_response_cloze_gap_drops_the_question_with_a_note() -> None:
    imported = _read(_quiz(_question("cloze", text="<p>{1:MR:~%50%a~%50%b~%-100%c}</p>"),
                           _question("truefalse", '<answer fraction="100"><text>true</text>'
                                     '</answer><answer fraction="0"><text>false</text></answer>')))
    assert [q.type for q in imported.bank.questions] == ["true_false"]
    (note,) = [n for n in imported.notes if n.kind == "dropped"]
    assert "multiple-response gap" in note.message
    assert note.location.path == "/quiz/question[1]/questiontext"


def test_categories_name_the_bank_and_tag_the_questions_of_other_categories() -> None:
    category = ('<question type="category"><category><text>{}</text></category>'
                "<idnumber>{}</idnumber></question>")
    tf = _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                   '<answer fraction="0"><text>false</text></answer><tags><tag><text>own</text>'
                   "</tag></tags>")
    imported = _read(_quiz(category.format("$course$/top/Base // Top", "Not a slug!"), tf,
                           category.format("$cat1$/top/Base // Top/Unit 1", ""), tf))
    bank = imported.bank
    assert (bank.id, bank.title) == ("quiz", "Base / Top")
    assert [q.tags for q in bank.questions] == [["own"], ["own", "Unit 1"]]
    assert [q.id for q in bank.questions] == ["q", "q-2"]


def test_a_long_file_name_is_cut_to_one_a_file_system_stores() -> None:
    """A 300-character <file name> made the write fail (OSError: File name too long, a
    traceback); two such names that differ only at their end stay two files."""
    names = ["x" * 300 + "-a.png", "x" * 300 + "-b.png"]
    text = "".join(f'<img src="@@PLUGINFILE@@/{n}">' for n in names)
    files = "".join(f'<file name="{n}" encoding="base64">{PNG}</file>' for n in names)
    question = _question("essay", text=f"<p>{text}</p>").replace(
        "</questiontext>", files + "</questiontext>")
    imported = _read(_quiz(question))
    assert len(imported.media) == 2
    for href in imported.media:
        assert len(href.encode()) <= 120 and href.endswith(".png"), href
        assert href in imported.bank.questions[0].prompt


_NAME_PIECES = ["con", "NUL", "com1", "lpt9", "aux", ".", "..", " ", "/", ":", "*", "?", "\\",
                "<", "|", "\x01", "a", "é", "e\u0301", "-2", "_", ".txt", "x" * 60]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=8).map(lambda parts: "".join(parts) + ".png"))
@example("nul.txt.png")
def test_every_image_name_is_written_under_one_every_system_holds(name: str) -> None:
    """Whatever a `<file>` is named, the import ends (a device's name numbered in turn ran
    forever) with a name relpath_problem passes, its extension the image's."""
    from packager.readers.moodle_text import Context
    from packager.relpath import relpath_problem

    context = Context(Source("quiz.xml", b"", FOLDER))
    png = base64.b64decode(PNG)
    hrefs = [context._keep(name, png), context._keep(name, png + b"other")]
    for href in hrefs:
        if isinstance(href, str):
            assert relpath_problem(href) is None, href
            assert href.startswith("media/") and href.endswith(".png"), href
    assert len(set(context.media)) == len(context.media)


@pytest.mark.parametrize(("name", "written", "why"), [
    ("a:b.png", "a-b.png", "its name contains ':', which is not portable in a file name"),
    ("../x.png", "x.png", "its name has the segment '..'"),
    ("CON.png", "_CON.png", "its name has the segment 'CON.png', a name Windows keeps for a "
     "device"),
    ("a*b.png", "a-b.png", "its name contains '*', which is not portable in a file name"),
    ("dir/x.png", "x.png", "its name holds folders, which are not kept"),
    (".x.png", "x.png", "its name starts with a dot or a space"),
    ("y" * 120 + ".png", "y" * 80 + f"-{digest('y' * 120)}.png",
     "its name is longer than 100 bytes before its extension"),
])
def test_an_image_written_under_another_name_is_told_at_its_file(
        name: str, written: str, why: str) -> None:
    """`a:b.png`, `../x.png`, `CON.png` were written `a-b.png`, `x.png`, `_CON.png` without
    a word: the report now says which name became which, at the `<file>` (as import_media
    tells the renamed images of a package)."""
    src = quote(name)
    question = _question("essay", text=f'<p><img src="@@PLUGINFILE@@/{src}"></p>').replace(
        "</questiontext>", f'<file name="{name}" encoding="base64">{PNG}</file></questiontext>')
    imported = _read(_quiz(_question("essay"), question))
    assert list(imported.media) == [f"media/{written}"]
    (note,) = imported.notes
    assert (note.kind, note.question_id, note.message) == (
        "changed", imported.bank.questions[1].id, f"image {name!r} written as {written!r}: {why}")
    assert (note.location.line, note.location.path) == (10, "/quiz/question[2]/questiontext/file")


def test_an_image_of_a_portable_name_is_written_as_it_is_without_a_note() -> None:
    """A name another text's image took is numbered (Moodle names every pasted image
    `image.png`): no news, and no note; nor is a folder of Moodle's file area (`path`)."""
    texts = [_question("essay", text='<p><img src="@@PLUGINFILE@@/image.png"></p>').replace(
        "</questiontext>", f'<file name="image.png" path="{path}" encoding="base64">{PNG}{pad}'
        "</file></questiontext>") for path, pad in (("/", ""), ("/sub/", "AAAA"))]
    texts[1] = texts[1].replace("@@PLUGINFILE@@/image.png", "@@PLUGINFILE@@/sub/image.png")
    imported = _read(_quiz(*texts))
    assert list(imported.media) == ["media/image.png", "media/image-2.png"]
    assert imported.notes == []


@pytest.mark.parametrize(("name", "written"), [
    ("CON.png", "_CON.png"), ("nul.txt.png", "_nul.txt.png"), ("com1.x.png", "_com1.x.png"),
])
def test_an_image_named_as_a_windows_device_is_written_under_a_name_windows_can_hold(
        name: str, written: str) -> None:
    """`nul.txt.png` ran forever: the name was numbered until it was no device's name, and
    `nul.txt-2.png`, `nul.txt-3.png` … all are (Windows reads the name up to its first dot)."""
    question = _question("essay", text=f'<p><img src="@@PLUGINFILE@@/{name}"></p>').replace(
        "</questiontext>", f'<file name="{name}" encoding="base64">{PNG}</file></questiontext>')
    imported = _read(_quiz(question))
    assert list(imported.media) == [f"media/{written}"]
    assert imported.bank.questions[0].prompt == f"![](<media/{written}>)"


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        # `isdigit` admits "²", which int() refuses; CommonMark starts a list at 9 digits.
        ('<ol start="²"><li>a</li><li>b</li></ol>', "1. a\n2. b"),
        ('<ol start="' + "9" * 5000 + '"><li>a</li></ol>', "1. a"),
        ('<ol start="7"><li>a</li><li>b</li></ol>', "7. a\n8. b"),
        # A ~~~~ line inside the code closed the ~~~~ fence chosen for code holding ```.
        ("<pre>```\n~~~~\nlast</pre>", "````\n```\n~~~~\nlast\n````"),
        ("<pre>a ````` b</pre>", "``````\na ````` b\n``````"),
    ],
)
def test_lists_and_code_keep_their_content(html: str, markdown: str) -> None:
    imported = _read(_quiz(_question("essay", text=html)))
    assert imported.bank.questions[0].prompt == markdown


def test_html_nested_too_deep_is_kept_as_text_with_a_note() -> None:
    """libxml2 dropped the rest of the field from the 256th level on, silently."""
    html = "<p>intro</p>" + "<span>" * 300 + "deep" + "</span>" * 300 + "<p>after</p>"
    imported = _read(_quiz(_question("essay", text=html)))
    prompt = imported.bank.questions[0].prompt
    assert "deep" in prompt and "after" in prompt
    assert any("nests more than 255 elements deep" in n.message for n in imported.notes)


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        # A sub-list straight in the list, not in an item (as editors write it):
        ("<ol><li>a</li><ol><li>sub</li></ol><li>b</li></ol>", "1. a\n\n   1. sub\n\n2. b"),
        # A paragraph and text between items, and text before the first:
        ("<ul>lead<li>a</li><p>note</p><li>b</li>tail <b>bold</b></ul>",
         "lead\n\n- a\n\n  note\n\n- b\n\n  tail **bold**"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ],
)
def test_what_stands_in_a_list_outside_its_items_is_kept(html: str, markdown: str) -> None:
    """Only <li> children were read: the rest of the list went, without a note."""
    imported = _read(_quiz(_question("essay", text=html)))
    assert imported.bank.questions[0].prompt == markdown


def test_a_cloze_text_of_more_gaps_than_places_is_refused_not_a_traceback() -> None:
    """Each gap's place is a private-use character: past 65,536 of them chr() failed."""
    from packager.readers.moodle_cloze import Gaps, mark_cloze

    gaps = Gaps()
    mark_cloze("{:SA:=a}" * 70_000, gaps)
    assert gaps.malformed == "the cloze question has more than 65,536 gaps"


def test_editor_breaks_at_paragraph_ends_leave_no_backslash() -> None:
    """Moodle's editors (Atto, TinyMCE) end a paragraph with <br> and write an empty one as
    <p><br></p>: nothing a learner sees, so nothing in the bank (a Markdown hard break at the
    end of a paragraph shows as a backslash). A break between lines stays one."""
    question = _question(
        "multichoice",
        '<generalfeedback format="html"><text><![CDATA[<p dir="ltr">Two is even.<br>'
        "Three is odd.<br></p>]]></text></generalfeedback>"
        '<single>true</single>'
        '<answer fraction="100" format="html"><text><![CDATA[<p dir="ltr">Two.<br></p>]]>'
        "</text></answer>"
        '<answer fraction="0" format="html"><text><![CDATA[<p dir="ltr">Nine.<br></p>'
        "<p><br></p>]]></text><feedback format=\"html\"><text><![CDATA[<p><br></p>]]></text>"
        "</feedback></answer>",
        text='<p dir="ltr" style="text-align: left;">Which number is prime?<br></p><p><br></p>')
    (q,) = _read(_quiz(question)).bank.questions
    assert q.prompt == "Which number is prime?"
    assert [(c.text, c.feedback) for c in q.choices] == [("Two.", None), ("Nine.", None)]
    assert q.explanation == "Two is even.\\\nThree is odd."


@pytest.mark.parametrize(("fractions", "scoring", "note"), [
    ((50, 50, 0), "partial", "every right option now earns the same share, and every wrong "
                             "one costs as much as a right one earns"),
    # Moodle's own sample question: a subset of the right options earns its share there.
    ((50, -100, 50, -100), "all_or_nothing", "in Moodle some of the right options and no wrong "
                                             "one earned part of the marks; all-or-nothing "
                                             "scoring gives marks only for exactly the right "
                                             "options"),
    ((100, -100), "all_or_nothing", None),
    ((50, -100), "all_or_nothing", "the right option earned 50 % in Moodle, and now earns "
                                   "the whole mark"),
    ((50, 50, -50), "partial", None),
    ((50, 50), "partial", None),  # no wrong option: each right pick earns its share
])
def test_multiple_answer_fractions_are_carried_or_their_change_noted(
        fractions: tuple[int, ...], scoring: str, note: str | None) -> None:
    answers = "".join(f'<answer fraction="{f}"><text>option {n}</text></answer>'
                      for n, f in enumerate(fractions))
    imported = _read(_quiz(_question("multichoice", "<single>false</single>" + answers)))
    (q,) = imported.bank.questions
    assert (q.type, q.scoring) == ("multiple_response", scoring)
    if note is None:
        assert imported.notes == []
    else:
        (found,) = imported.notes
        assert (found.kind, found.message, found.location.path) == (
            "changed", f"the options' fractions: {note}", "/quiz/question")


def test_a_moodle_19_picture_is_shown_after_the_question_text() -> None:
    """Moodle 1.9 kept a question's picture in `<image>` (its name) and `<image_base64>`;
    Moodle's importer still puts it after the question text, and so does this one, with the
    checks of any embedded file. A name without its data is noted."""
    picture = f"<image>old/flag.png</image>\n<image_base64>\n{PNG}\n</image_base64>"
    imported = _read(_quiz(
        _question("multichoice", picture + _CHOICES, text="Which flag is this?"),
        _question("cloze", picture, text="A flag of {1:SA:=Japan} colours.<br />"),
        _question("multichoice", "<image>course/map.png</image><image_base64></image_base64>"
                  + _CHOICES, text="Where?"),
    ))
    prompts = [q.prompt for q in imported.bank.questions]
    assert prompts == [
        "Which flag is this? ![](<media/old_flag.png>)",
        "A flag of [[b1]] colours.\\\n![](<media/old_flag.png>)",
        "Where?",
    ]
    assert list(imported.media) == ["media/old_flag.png"]
    assert [(n.kind, n.message, n.location.path) for n in imported.notes
            if "picture" in n.message] == [
        ("dropped", "the picture 'course/map.png': the file names it without its data "
                    "(<image_base64>)", "/quiz/question[3]/image"),
    ]


def test_options_that_held_only_a_dropped_image_leave_their_question_out() -> None:
    """An option, ordering item or subquestion whose only content was an image that is not
    kept (here on the web): the question is left out with a note, not imported without it
    (nor a subquestion read as a distractor); an embedded `data:` PNG is kept."""
    import base64

    png = base64.b64decode(PNG)
    web = '<answer fraction="{}" format="html"><text><![CDATA[<p><img src="https://ex.org/{}.png"' \
          ' alt=""></p>]]></text></answer>'
    imported = _read(_quiz(
        _question("multichoice", web.format(100, "fr") + web.format(0, "de"), text="Flag?"),
        _question("ordering", web.format(1, "a") + '<answer fraction="2"><text>b</text></answer>'),
        _question("matching", '<subquestion format="html"><text><![CDATA[<img src="https://ex.org/'
                  'x.png">]]></text><answer><text>x</text></answer></subquestion>'
                  '<subquestion><text>y</text><answer><text>y</text></answer></subquestion>'
                  '<subquestion><text>z</text><answer><text>z</text></answer></subquestion>'),
        _question("multichoice", '<answer fraction="100"><text><![CDATA[<img alt="dot" src="data:'
                  f'image/png;base64,{PNG}">]]></text></answer><answer fraction="0"><text>none'
                  "</text></answer>", text="Which?"),
    ))
    (kept,) = imported.bank.questions
    (href,) = imported.media
    assert imported.media[href] == png and href.startswith("media/embedded-")
    assert kept.choices[0].text == f"![dot](<{href}>)"
    left_out = [(n.message, n.location.path) for n in imported.notes if "whole" in n.message]
    assert left_out == [
        ("the whole question: options 1 and 2 held only what was dropped, as noted; the question "
         "is not the same without them", "/quiz/question[1]"),
        ("the whole question: item 1 held only what was dropped, as noted; the question is not "
         "the same without it", "/quiz/question[2]"),
        ("the whole question: subquestion 1 held only what was dropped, as noted; the question "
         "is not the same without it", "/quiz/question[3]"),
    ]
    assert [n.location.path for n in imported.notes if "on the web" in n.message] == [
        "/quiz/question[1]/answer[1]", "/quiz/question[1]/answer[2]",
        "/quiz/question[2]/answer[1]", "/quiz/question[3]/subquestion[1]"]


def test_a_question_whose_text_held_only_an_image_without_its_file_is_left_out_saying_so(
) -> None:
    """Beside review 33's QTI 1.2 case: a question whose text is an `@@PLUGINFILE@@` image
    the export holds no `<file>` for refused the whole file with "the question has no text"
    and the hint "write the question's text", though the author had written one, and its
    image's note was not shown. It is left out as an option of only what was dropped is."""
    gone = '<p><img src="@@PLUGINFILE@@/gone.png"></p>'
    imported = _read(_quiz(
        _question("description", text=gone),
        _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                  '<answer fraction="0"><text>false</text></answer>'),
    ))
    assert [q.type for q in imported.bank.questions] == ["true_false"]
    assert [(n.kind, n.message, n.location.path) for n in imported.notes] == [
        ("dropped", "image '@@PLUGINFILE@@/gone.png' dropped: not found in the source",
         "/quiz/question[1]/questiontext"),
        ("dropped", "the whole question: its text held only what was dropped, as noted",
         "/quiz/question[1]/questiontext"),
    ]


@pytest.mark.parametrize(("settings", "notes"), [
    ("<selecttype>ALL</selecttype><selectcount>0</selectcount>"
     "<gradingtype>ALL_OR_NOTHING</gradingtype>", []),
    ("<layouttype>HORIZONTAL</layouttype><selecttype>RANDOM</selecttype>"
     "<selectcount>2</selectcount><gradingtype>LONGEST_CONTIGUOUS_SUBSET</gradingtype>",
     [("selecttype", "Moodle showed each learner 2 of the 3 items (chosen at random); every item "
                     "is shown now"),
      ("gradingtype", "Moodle's LONGEST_CONTIGUOUS_SUBSET grading gave part of the marks for a "
                      "partly right order; the order is now right or wrong as a whole")]),
    # Without the settings Moodle takes a random 6 (all three here) and relative grading.
    ("", [(None, "Moodle's RELATIVE_NEXT_EXCLUDE_LAST grading gave part of the marks for a "
                 "partly right order; the order is now right or wrong as a whole")]),
])
def test_ordering_settings_a_bank_does_not_have_are_noted(
        settings: str, notes: list[tuple[str | None, str]]) -> None:
    items = "".join(f'<answer fraction="{n}"><text>{word}</text></answer>'
                    for n, word in enumerate(["one", "two", "three"], start=1))
    imported = _read(_quiz(_question("ordering", settings + items, text="Count up.")))
    (q,) = imported.bank.questions
    assert q.items == ["one", "two", "three"]
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("changed", "/quiz/question" + (f"/{tag}" if tag else ""), message)
        for tag, message in notes]


def test_a_matching_question_with_a_repeated_subquestion_is_left_out_with_a_located_note() -> None:
    sub = '<subquestion format="html"><text><![CDATA[<p>{}<br></p>]]></text><answer><text>{}' \
          "</text></answer></subquestion>"
    imported = _read(_quiz(
        _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                  '<answer fraction="0"><text>false</text></answer>'),
        _question("matching", sub.format("once", "a") + sub.format("twice", "b")
                  + sub.format("twice", "c")).replace("<text>Q</text>", "<text>Pairs</text>"),
    ))
    assert [q.type for q in imported.bank.questions] == ["true_false"]
    (note,) = [n for n in imported.notes if n.kind == "dropped"]  # besides its scoring's
    assert (note.question_id, note.kind, note.location.path, note.message) == (
        "pairs", "dropped", "/quiz/question[2]",
        "left out: as read, it is not a valid question (pairs: two pairs have the same prompt "
        "'twice')")


def test_a_tolerance_on_a_partial_numerical_gap_answer_drops_only_that_answer() -> None:
    """Only a gap's full-credit answers are kept: a tolerance on a partial one (dropped, as
    partial credit is) no longer costs the whole question; one on a right answer still does."""
    imported = _read(_quiz(
        _question("cloze", text="<p>A right angle has {1:NUMERICAL:=90:0#Yes~%50%90:5#Near} "
                                "degrees.</p>"),
        _question("cloze", text="<p>Pi is about {1:NUMERICAL:=3.14:0.01}.</p>"),
    ))
    (q,) = imported.bank.questions
    assert (q.prompt, q.blanks) == ("A right angle has [[b1]] degrees.", {"b1": ["90"]})
    assert [(n.kind, n.message, n.location.path) for n in imported.notes] == [
        ("changed", "numerical gap 1 became a blank accepting the number as typed",
         "/quiz/question[1]/questiontext"),
        ("dropped", "partial-credit answers of gap 1", "/quiz/question[1]/questiontext"),
        ("dropped", "per-answer feedback of gap 1", "/quiz/question[1]/questiontext"),
        ("dropped", "the whole question: gap 1 accepts 3.14 ± 0.01, a tolerance a blank cannot "
                    "hold", "/quiz/question[2]/questiontext"),
    ]


def test_a_short_answer_with_moodles_wildcard_is_not_taken_literally() -> None:
    answer = '<answer fraction="100" format="moodle_auto_format"><text>{}</text></answer>'
    imported = _read(_quiz(
        _question("shortanswer", "<usecase>0</usecase>" + answer.format("gr*y")
                  + answer.format("grey") + answer.format("5\\*2"), text="Spell it."),
        _question("shortanswer", answer.format("*ology"), text="Name a science."),
    ))
    (q,) = imported.bank.questions
    assert [a.text for a in q.answers] == ["grey", "5*2"]
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == [
        ("dropped", "/quiz/question[1]/answer[1]", "the answer 'gr*y': its '*' stands for any "
         "characters in Moodle, which a bank's answer cannot (it would accept only the text as "
         "typed)"),
        ("dropped", "/quiz/question[2]/answer", "the answer '*ology': its '*' stands for any "
         "characters in Moodle, which a bank's answer cannot (it would accept only the text as "
         "typed)"),
        ("dropped", "/quiz/question[2]", "the whole question: every right answer holds Moodle's "
         "wildcard '*', which a bank's answer cannot"),
    ]


def test_a_cloze_code_without_answers_and_a_link_to_an_embedded_file_are_named() -> None:
    with pytest.raises(InputError) as raised:
        _read(_quiz(_question("cloze", text="Pick the fruits {1:MULTICHOICE}")))
    assert [d.message for d in raised.value.diagnostics] == [
        "the cloze code '{1:MULTICHOICE}' has no answers"]
    sound = _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                      '<answer fraction="0"><text>false</text></answer>',
                      text='<p>Listen <a href="@@PLUGINFILE@@/hello%20there.mp3">here</a> and'
                      ' <a href="@@PLUGINFILE@@/gone.pdf">there</a>.</p>').replace(
        "</questiontext>", '<file name="hello there.mp3" path="/" encoding="base64">SUQzAw==</file>'
                           "</questiontext>")
    imported = _read(_quiz(sound))
    assert imported.bank.questions[0].prompt == "Listen here and there."
    assert [n.message for n in imported.notes] == [
        "the file 'hello there.mp3' and the link to it dropped (the link's text is kept): a bank "
        "carries only images, and links only to the web",
        "link to 'gone.pdf' dropped: the text carries no such file (the link's text is kept)",
    ]


def test_a_cloze_short_answer_wildcard_is_not_taken_as_typed() -> None:
    """In a short-answer gap Moodle's '*' stands for any characters (qtype_shortanswer), as in a
    shortanswer question; an escaped one is an asterisk. `colo*r` was a blank accepting only the
    string 'colo*r', without a note."""
    tf = _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                   '<answer fraction="0"><text>false</text></answer>')
    imported = _read(_quiz(
        _question("cloze", text="<p>{1:SA:=colour~=colo*r~*#Not quite} and {1:SA:=a\\*b} and "
                  "{1:SA:=c\\\\*~=d*}</p>"),
        _question("cloze", text="<p>Spell it: {1:SHORTANSWER:=colo*r}</p>"),
        tf))
    cloze, kept_tf = imported.bank.questions
    assert kept_tf.type == "true_false"
    # a '*' after a backslash is typed, as qtype_shortanswer reads it (`c\\*` is `c\*`)
    assert cloze.blanks == {"b1": ["colour"], "b2": ["a*b"], "b3": ["c\\*"]}  # type: ignore[union-attr]
    dropped = [n.message for n in imported.notes if n.kind == "dropped"]
    wild = "its '*' stands for any characters in Moodle, which a blank cannot hold"
    assert f"the answer 'colo*r' of gap 1: {wild}" in " ".join(dropped)
    assert f"the answer 'd*' of gap 3: {wild}" in " ".join(dropped)
    (left_out,) = [m for m in dropped if "every right answer" in m]
    assert left_out.endswith("every right answer of gap 1 holds Moodle's wildcard '*' "
                             "('colo*r'), which a blank cannot hold")


_OU = ("the scoring: in Moodle a wrong pick cost marks only when more options were picked "
       "than are right; here every wrong pick costs a right pick's share")


@pytest.mark.parametrize(("answers", "key", "note"), [
    # qtype_oumultiresponse: an option is right when its fraction is not 0, whatever its value.
    ((100, 0, 100, 0), [True, False, True, False], _OU),
    ((50, 0, 25), [True, False, True], _OU),
    ((100, 100), [True, True], None),  # no wrong option: the same grade for every pick
    ((100, 0, 0), [True, False, False], None),  # one right option: the same grade too
])
def test_oumultiresponse_is_multiple_response_with_partial_scoring(
        answers: tuple[int, ...], key: list[bool], note: str | None) -> None:
    body = "".join(f'<answer fraction="{f}"><text>option {n}</text>'
                   f'<feedback><text>{"right" if f else "wrong"} {n}</text></feedback></answer>'
                   for n, f in enumerate(answers))
    imported = _read(_quiz(_question("oumultiresponse", body)))
    (q,) = imported.bank.questions
    assert (q.type, q.scoring, q.shuffle) == ("multiple_response", "partial", True)
    assert [c.correct for c in q.choices] == key
    assert [c.feedback for c in q.choices] == [
        f"{'right' if f else 'wrong'} {n}" for n, f in enumerate(answers)]
    assert [(n.kind, n.message) for n in imported.notes] == ([("changed", note)] if note else [])


def test_oumultiresponse_reads_its_older_correctanswer_and_its_shuffle_setting() -> None:
    """Old exports marked the right options with `<correctanswer>` inside the answer (which
    Moodle's importer still honours over the fraction); `shuffleanswers` is on unless said."""
    body = ('<shuffleanswers>0</shuffleanswers>'
            '<answer fraction="0"><text>a</text><correctanswer>1</correctanswer></answer>'
            '<answer fraction="100"><text>b</text><correctanswer>0</correctanswer></answer>'
            '<answer fraction="0"><text>c</text></answer>'
            '<answer fraction="0"><text>d</text><correctanswer>1</correctanswer></answer>')
    (q,) = _read(_quiz(_question("oumultiresponse", body))).bank.questions
    assert [c.correct for c in q.choices] == [True, False, False, True]
    assert q.shuffle is None


def test_oumultiresponse_without_a_right_option_is_an_error() -> None:
    body = '<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
    with pytest.raises(InputError) as caught:
        _read(_quiz(_question("oumultiresponse", body)))
    assert [d.message for d in caught.value.diagnostics] == ["no option is worth any marks"]


def test_a_hints_options_are_named_in_its_note() -> None:
    """A hint's options (OU multiple response and Moodle's own types) are part of what is
    dropped with it; a hint of options only is dropped as well, and says so."""
    body = (_CHOICES +
            '<hint format="html"><text>Think.</text><shownumcorrect/><clearwrong/>'
            "<options>1</options></hint>"
            '<hint format="html"><text></text><clearwrong/></hint>'
            '<hint format="html"><text>Again.</text></hint>'
            '<hint format="html"><text></text></hint>')
    imported = _read(_quiz(_question("oumultiresponse", body)))
    assert [(n.kind, n.message, n.location.path) for n in imported.notes] == [
        ("dropped", "a hint (shown between tries in Moodle), with its options: show the "
         "number of right picks, clear the wrong picks, show each option's feedback",
         "/quiz/question/hint[1]"),
        ("dropped", "a hint's options (shown between tries in Moodle): clear the wrong picks",
         "/quiz/question/hint[2]"),
        ("dropped", "a hint (shown between tries in Moodle)", "/quiz/question/hint[3]"),
    ]


def _fixture(case: str) -> Imported:
    path = FOLDER / f"{case}.xml"
    return _read(path.read_bytes(), path.name)


def test_nested_categories_tag_the_path_below_the_banks_category() -> None:
    """Only the last level of a category became a tag (Iota/Kappa/Lambda → "Lambda", Kappa
    lost), where the GIFT reader tags the rest of the path; the descriptions of the categories
    after the first were dropped without a note."""
    imported = _fixture("nested-categories")
    bank = imported.bank
    assert (bank.title, bank.description) == ("Iota", "This is Iota category for test")
    assert [(q.title, q.tags) for q in bank.questions] == [
        ("Iota Question", []), ("Kappa Essay Question", ["Kappa"]),
        ("Kappa Question", ["Kappa"]), ("Lambda Question", ["Kappa/Lambda"]),
        ("Mu Question", ["Mu"])]
    assert [(n.kind, n.message, n.location.path) for n in imported.notes
            if "description" in n.message] == [
        ("dropped", f"the description of the category {name!r}: a bank has one description, "
         "its category's ('Iota')", f"/quiz/question[{index}]/info")
        for name, index in (("Iota/Kappa", 3), ("Iota/Kappa/Lambda", 6), ("Iota/Mu", 8))]


def test_categories_listed_child_first_give_the_title_of_the_top_one() -> None:
    """Sigma/Tau listed before Sigma titled the bank "Tau" and tagged Sigma's question
    "Sigma"."""
    imported = _fixture("categories-child-first")
    bank = imported.bank
    assert (bank.title, bank.description) == ("Sigma", "This is Sigma category for test")
    assert [(q.title, q.tags) for q in bank.questions] == [
        ("Tau Question", ["Tau"]), ("Sigma Question", [])]
    assert [(n.kind, n.message) for n in imported.notes if "description" in n.message] == [
        ("dropped", "the description of the category 'Sigma/Tau': a bank has one description, "
         "its category's ('Sigma')")]


def test_an_essay_answered_only_by_a_file_is_left_out_and_its_other_settings_noted() -> None:
    """A bank's essay is a text box: an essay without one ("no online text") asks for a file
    it could not take, so it is left out, as Canvas's file upload question is. The settings
    of the others that a bank's essay has no field for are each noted where they are."""
    imported = _read((FOLDER / "essay-settings.xml").read_bytes(), "essay-settings.xml")
    assert [q.id for q in imported.bank.questions] == [
        "a-function", "field-trip", "poster", "plain"]
    notes = [(n.question_id, n.kind, n.location.line, n.location.path, n.message)
             for n in imported.notes]
    assert notes == [
        ("lab-report", "dropped", 9, "/quiz/question[1]/responseformat",
         "the whole question: an essay answered only by uploading files (no text box; "
         "up to 1 file, 1 required; types .pdf) has no counterpart in a bank, whose essay is "
         "answered in a text box"),
        ("a-function", "dropped", 23, "/quiz/question[2]/responseformat",
         "the answer box's monospaced font (responseformat 'monospaced')"),
        ("a-function", "dropped", 25, "/quiz/question[2]/responsefieldlines",
         "the answer box's height of 42 lines"),
        ("a-function", "changed", 27, "/quiz/question[2]/attachmentsrequired",
         "the learner had to attach files besides the text (any number of files, 1 "
         "required): a bank's essay takes the text alone"),
        ("field-trip", "dropped", 37, "/quiz/question[3]/minwordlimit",
         "the word limit Moodle checked the answer against (at least 50, at most 200 words)"),
        ("field-trip", "dropped", 39, "/quiz/question[3]/attachments",
         "the files the learner could attach besides the text (up to 3 files; types "
         ".png,.jpg)"),
        ("poster", "dropped", 47, "/quiz/question[4]/responseformat",
         "the file picker of the answer editor (responseformat 'editorfilepicker'), with "
         "which the learner could put files and images in the answer"),
    ]


def test_multilang_texts_keep_one_language_with_one_note_per_question() -> None:
    """Both languages of a multilang text were run together ("What is the capital of
    France?Was ist die Hauptstadt…"), `{mlang}` tags stayed as text and the name's markup
    became the title and the id. Each text now keeps the file's first language, as Moodle
    shows it to a learner of that language, and each question says once what it dropped."""
    imported = _fixture("multilang")
    bank = imported.bank
    assert (bank.title, bank.description, bank.language) == (
        "Geography", "Questions on Europe.", "en")
    capital, rivers, largest, alps = bank.questions
    assert (capital.id, capital.title, capital.prompt, capital.explanation) == (
        "capital", "Capital", "What is the capital of **France**?", "Paris is the capital.")
    assert [(c.text, c.feedback) for c in capital.choices] == [("Paris", "Yes."),
                                                                ("London", None)]
    assert capital.feedback is not None
    assert (capital.feedback.correct, capital.feedback.incorrect) == ("Right.", "Wrong.")
    assert (rivers.title, rivers.prompt, rivers.tags) == (
        "Rivers", "Match each river with its country.", ["rivers"])
    assert [p.match for p in rivers.pairs] == ["France", "Spain"]
    # No English text: 'other' (filter_multilang2), else the first language (filter_multilang).
    assert (largest.prompt, largest.explanation) == (
        "Which is the largest country of the EU?", "La France.")
    assert alps.prompt == "The Alps are in Europe. (One language only.)"
    assert [(n.question_id, n.location.path, n.message) for n in imported.notes
            if n.message.startswith("multilang")] == [
        (None, "/quiz/question[1]", "multilang text: kept 'en', dropped 'de'"),
        ("capital", "/quiz/question[2]", "multilang text: kept 'en', dropped 'de'"),
        ("rivers", "/quiz/question[3]", "multilang text: kept 'en', dropped 'de'"),
        ("largest-country", "/quiz/question[4]",
         "multilang text: kept 'fr', 'other' (no text has 'en'), dropped 'de'"),
    ]


def _named(name: str, text: str) -> str:
    return _question("multichoice", _CHOICES, text=text).replace("<text>Q</text>",
                                                                 f"<text>{name}</text>")


@pytest.mark.parametrize(("texts", "language", "kept"), [
    # The file's first language is kept wherever a text has it, whichever comes first there.
    (["{mlang de}Frage{mlang}{mlang en}Question{mlang}", "{mlang en}Two{mlang}{mlang de}Zwei"
      "{mlang}"], "de", ["Frage", "Zwei"]),
    (['<span lang="pt-BR" class="multilang">Olá</span> <span lang="en" class="multilang">Hi'
      "</span>", "{mlang en,pt_br}Both{mlang}{mlang fr}Les deux{mlang}"], "pt-br",
     ["Olá", "Both"]),
    # 'other' names no language: the first that is one is the file's.
    (["{mlang other}Any{mlang}{mlang fr}Tout{mlang}", "{mlang fr}Un{mlang}{mlang en}One"
      "{mlang}"], "fr", ["Tout", "Un"]),
    # Text around {mlang} blocks stays; a lone span or block is shown as it is.
    (["A {mlang en}b{mlang} c {mlang de}d{mlang} e", '<span lang="de" class="multilang">'
      "Allein</span> {mlang de}Nur{mlang}"], "en", ["A b c e", "Allein Nur"]),
])
def test_the_language_kept_is_the_files_first_one(texts: list[str], language: str,
                                                  kept: list[str]) -> None:
    imported = _read(_quiz(*(_named(f"Q{n}", f"<p>{t}</p>") for n, t in enumerate(texts))))
    assert imported.bank.language == language
    assert [q.prompt for q in imported.bank.questions] == kept


@pytest.mark.parametrize(("texts", "language", "kept"), [
    # A regional language (`en_us`) over a text without it: its parent `en`, as both filters
    # follow a language's parents.
    (["{mlang en_us}Color{mlang}{mlang fr}Couleur{mlang}",
      "{mlang fr}Rouge{mlang}{mlang en}Red{mlang}"], "en-us", ["Color", "Red"]),
    (['<span lang="fr_ca" class="multilang">Bonjour</span><span lang="en" class="multilang">'
      'Hello</span>', '<span lang="de" class="multilang">Hallo</span><span lang="fr" '
      'class="multilang">Salut</span>'], "fr-ca", ["Bonjour", "Salut"]),
    # Spans without the file's language or a parent of it: `en`, where filter_multilang's
    # chain of parents ends; blocks have no such fallback ('other', else the first).
    (["{mlang fr}Oui{mlang}{mlang de}Ja{mlang}", '<span lang="de" class="multilang">Ja</span>'
      '<span lang="en" class="multilang">Yes</span>', "{mlang de}Nein{mlang}{mlang en}No"
      "{mlang}"], "fr", ["Oui", "Yes", "Nein"]),
])
def test_a_text_without_the_files_language_keeps_the_one_moodle_falls_back_to(
        texts: list[str], language: str, kept: list[str]) -> None:
    """A text without the file's first language kept the first language it has, where Moodle
    shows its learner the language's parent (or, for spans, English): a bank in `en-us`, its
    category in English, got a question in French ('kept 'fr' (no text has 'en_us')')."""
    imported = _read(_quiz(*(_named(f"Q{n}", f"<p>{t}</p>") for n, t in enumerate(texts))))
    assert imported.bank.language == language
    assert [q.prompt for q in imported.bank.questions] == kept


def test_a_names_markup_is_not_its_title_or_id() -> None:
    """Moodle shows a question's name without its tags (format_string); a '<' before white
    space is text."""
    imported = _read(_quiz(_named("<![CDATA[<b>Bold</b> &amp; a < b]]>", "<p>Which?</p>")))
    (q,) = imported.bank.questions
    assert (q.id, q.title) == ("bold-a-b", "Bold & a < b")


def test_hostile_multilang_and_markup_read_in_linear_time() -> None:
    """100,000 characters of unclosed `{mlang`, of spans nested in each other, of runs of
    spans, and of '<' (in a name, and in a drag-and-drop choice: a tag pattern that looked
    for the next '>' from each '<' took time n squared) read in well under a second."""
    from tests.cpu_time import cpu_seconds

    span = '<span lang="en" class="multilang">'
    texts = ["{mlang" * 16_667, "{mlang en}" * 10_000, "{mlang en" + " " * 100_000,
             span * 2_900 + "x" + "</span>" * 2_900,
             (span + 'a</span><span lang="de" class="multilang">b</span>') * 1_200]
    data = _quiz(
        *(_question("essay", text=text) for text in texts),
        _named("&lt;" * 100_000, "{mlang en}Q?{mlang}"),
        _question("ddwtos", "<dragbox><text>" + "&lt;" * 100_000 + "</text></dragbox>",
                  text="<p>[[1]]</p>"))
    start = cpu_seconds()
    imported = _read(data)
    assert cpu_seconds() - start < 1
    assert imported.bank.questions


@pytest.mark.parametrize(("settings", "message"), [
    ("<unitgradingtype>1</unitgradingtype><unitpenalty>0.5000000</unitpenalty>"
     "<showunits>0</showunits><unitsleft>0</unitsleft>",
     "the learner had to give the unit (typed with the number), and a wrong or missing one "
     "cost 50 % of the marks earned; the unit 'm/s^2' is now only shown beside the answer box"),
    ("<unitgradingtype>2</unitgradingtype><unitpenalty>0.2</unitpenalty>"
     "<showunits>1</showunits>",
     "the learner had to give the unit (picked from a list), and a wrong or missing one cost "
     "20 % of the question's marks; the unit 'm/s^2' is now only shown beside the answer box"),
    # Moodle's import reads a missing penalty as 0.1.
    ("<unitgradingtype>1</unitgradingtype><showunits>2</showunits>",
     "the learner had to give the unit (picked from a list), and a wrong or missing one cost "
     "10 % of the marks earned; the unit 'm/s^2' is now only shown beside the answer box"),
    # The unit is optional (not graded), or costs nothing: nothing is lost.
    ("<unitgradingtype>0</unitgradingtype><unitpenalty>0.1</unitpenalty>"
     "<showunits>0</showunits>", None),
    ("<unitgradingtype>1</unitgradingtype><unitpenalty>0</unitpenalty>", None),
])
def test_a_graded_unit_is_noted_as_now_only_shown(settings: str, message: str | None) -> None:
    """Moodle's numerical unit grading was dropped without a note: the unit became one the
    bank only shows."""
    body = ('<answer fraction="100"><text>9.81</text><tolerance>0.01</tolerance></answer>'
            "<units><unit><multiplier>1</multiplier><unit_name>m/s^2</unit_name></unit></units>"
            + settings)
    imported = _read(_quiz(_question("numerical", body, text="Give g.")))
    (q,) = imported.bank.questions
    assert q.unit == "m/s^2"
    assert [(n.kind, n.location.path, n.message) for n in imported.notes] == (
        [("dropped", "/quiz/question/unitgradingtype", f"the unit grading: {message}")]
        if message else [])


_SHARES = ("the shares are changed: Moodle scores each gap on its own (each right gap earns "
           "its weight: {}), and a fill-in-the-blanks question gives each right gap an equal "
           "share of its {} points")


@pytest.mark.parametrize(("question", "note"), [
    # Moodle gives each right pair or gap an equal share, as a bank does: nothing to note.
    (_question("matching", "<defaultgrade>3</defaultgrade>" + "".join(
        f"<subquestion><text>{p}</text><answer><text>{m}</text></answer></subquestion>"
        for p, m in (("a", "1"), ("b", "2"), ("c", "3"), ("", "4")))), None),
    (_question("ddwtos", "<dragbox><text>x</text><group>1</group></dragbox><dragbox><text>y"
               "</text><group>1</group></dragbox>", text="<p>[[1]] and [[2]]</p>"), None),
    (_question("gapselect", "<defaultgrade>2</defaultgrade><selectoption><text>x</text><group>"
               "1</group></selectoption><selectoption><text>y</text><group>1</group>"
               "</selectoption>", text="<p>[[1]] [[2]] [[1]]</p>"), None),
    (_question("cloze", text="<p>{1:SA:=a} {1:SA:=b}</p>"), None),
    (_question("cloze", text="<p>One gap: {3:SA:=a}</p>"), None),
    # A cloze gap earns its weight: unequal weights become equal shares.
    (_question("cloze", text="<p>{2:SA:=a} {1:SA:=b} {1:SA:=c}</p>"),
     _SHARES.format("2, 1, 1 of 4", 4)),
])
def test_only_shares_other_than_equal_are_noted(question: str, note: str | None) -> None:
    """Moodle grades each pair of a matching question and each gap of a gap question, as a
    bank's matching and fill-in-the-blanks questions do (an equal share per right one): those
    imported with a note that partial credit was lost, and packager's own export too."""
    imported = _read(_quiz(question))
    assert imported.bank.questions
    shares = [(n.kind, n.location.path, n.message) for n in imported.notes
              if "partial credit" in n.message or "share" in n.message]
    assert shares == ([("changed", "/quiz/question", note)] if note else [])


@pytest.mark.parametrize(("data", "walked"), [
    (b"<quiz><text>Plain question</text></quiz>", False),
    (b'<quiz><text>&lt;span lang="en" class="MultiLang"&gt;</text></quiz>', True),
    (b"<quiz><text>{MLANG de}x{mlang}</text></quiz>", True),
    ("<quiz><text>{mlang de}x{mlang}</text></quiz>".encode("utf-16"), True),
    # The bytes are looked at a slice at a time: a word across the edge of one is found.
    (b"<quiz>" + b" " * ((1 << 20) - 16) + b"class=MULTILANG</quiz>", True),
    (b"<quiz>" + b" " * ((1 << 20) - 9) + b"{MLang}</quiz>", True),
    (b"<quiz>" + b" " * (3 << 20) + b"</quiz>", False),
])
def test_a_file_is_walked_for_multilang_texts_only_where_its_bytes_may_hold_one(
    data: bytes, walked: bool
) -> None:
    assert may_hold(data) is walked


def test_the_shares_note_names_six_weights_and_counts_the_rest() -> None:
    note = per_gap_note([2] * 5 + [1] * 5_000, 10)
    assert note is not None and "its weight: 2, 2, 2, 2, 2, 1, 4999 more of 5010)" in note
    assert per_gap_note([3] * 5_000, 10) is None  # equal weights: a bank's equal shares


def test_a_plain_text_fields_line_breaks_are_kept() -> None:
    """Moodle shows a plain_text field's lines as lines (nl2br); they ran into one line."""
    question = _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                         '<answer fraction="0"><text>false</text></answer>').replace(
        '<questiontext format="html"><text><![CDATA[<p>Q?</p>]]></text></questiontext>',
        '<questiontext format="plain_text"><text>Line one\n- line two\n\nA paragraph?</text>'
        "</questiontext>")
    (q,) = _read(_quiz(question)).bank.questions
    assert q.prompt == "Line one\\\n\\- line two\n\nA paragraph?"


def test_a_plain_text_line_of_tildes_is_no_code_fence() -> None:
    """Review 24: with each line kept, `~~~` opened a code block holding the rest."""
    question = _question("truefalse", '<answer fraction="100"><text>true</text></answer>'
                         '<answer fraction="0"><text>false</text></answer>').replace(
        '<questiontext format="html"><text><![CDATA[<p>Q?</p>]]></text></questiontext>',
        '<questiontext format="plain_text"><text>Log:\n~~~\nERROR\nTrue?</text></questiontext>')
    (q,) = _read(_quiz(question)).bank.questions
    assert q.prompt == "Log:\\\n\\~~~\\\nERROR\\\nTrue?"


def test_a_single_gap_or_none_has_no_shares_to_note() -> None:
    assert per_gap_note([3], 3) is None and per_gap_note([], 1) is None


def test_negative_marks_of_single_answer_options_are_noted() -> None:
    """Import review 32b (A4): a single-answer question whose wrong options take marks off
    lost them without a note (partial credit above 0 was noted)."""
    answers = ('<answer fraction="100"><text>right</text></answer>'
               '<answer fraction="-33.33333"><text>wrong</text></answer>'
               '<answer fraction="0"><text>other</text></answer><single>true</single>')
    imported = _read(_quiz(_question("multichoice", answers)))
    (note,) = [n for n in imported.notes if "negative marks" in n.message]
    assert note.kind == "changed" and "-33.3333 %" in note.message


@pytest.mark.parametrize(("qtype", "body", "read_as", "told"), [
    ("ddmatch", "<subquestion format='html'><text>cat</text><answer><text>meow</text></answer>"
                "</subquestion><subquestion format='html'><text>dog</text><answer><text>woof"
                "</text></answer></subquestion>", "matching", "drag-and-drop matching"),
    ("essayautograde", "<responseformat>editor</responseformat>", "essay",
     "automatic grading"),
    ("multichoiceset", "<answer fraction='100'><text>two</text></answer><answer fraction='100'>"
                       "<text>four</text></answer><answer fraction='0'><text>three</text>"
                       "</answer>", "multiple_response", None),
])
def test_plugin_types_shaped_like_core_types_are_read_as_them(
    qtype: str, body: str, read_as: str, told: str | None
) -> None:
    """Import review 32b (A2): qtype_ddmatch, essayautograde and multichoiceset write a core
    type's fields; they were refused as having "no canonical form"."""
    imported = _read(_quiz(_question(qtype, body)))
    (question,) = imported.bank.questions
    assert question.type == read_as
    if told is not None:
        assert any(told in n.message for n in imported.notes)
    if qtype == "multichoiceset":
        assert question.scoring == "all_or_nothing"
        assert [c.correct for c in question.choices] == [True, True, False]


@pytest.mark.parametrize(("mode", "shown"), [
    ("", False),  # the plug-in's own import reads a missing mode as 1
    ("<answersselectmode>1</answersselectmode>", False),
    ("<answersselectmode>2</answersselectmode>", False),
    ("<answersselectmode>0</answersselectmode>", True),
])
def test_answersselect_is_an_ou_multiple_response_showing_a_selection(
        mode: str, shown: bool) -> None:
    """Import review 33 (B6): qtype_answersselect (Joseph Rézeau's "Random select answers",
    its own test fixture) writes a multiple choice's answers and grades as the OU multiple
    response does (a right option: a fraction not 0), but shows each learner a selection of
    its answers unless its mode is 0; it was refused as having "no canonical form"."""
    body = (mode + "<answer fraction='0'><text>the tortoise</text></answer>"
            "<answer fraction='100'><text>the cat</text></answer>"
            "<answer fraction='0'><text>the shark</text></answer>"
            "<answer fraction='100'><text>the lion</text></answer>")
    imported = _read(_quiz(_question("answersselect", body)))
    (q,) = imported.bank.questions
    assert (q.type, q.scoring) == ("multiple_response", "partial")
    assert [c.correct for c in q.choices] == [False, True, False, True]
    notes = [n.message for n in imported.notes]
    assert _OU in notes
    assert any("selection of its answers" in n for n in notes) is not shown


def test_qtype_order_is_an_ordering_of_its_subquestions_in_document_order() -> None:
    """Import review 33 (B7): qtype_order (its own test fixture, "Invoice processing") was
    refused as having no canonical form. Its import numbers the subquestions 1, 2, 3 … in
    document order, whatever their answers say, and skips an empty one."""
    body = "".join(f'<subquestion format="html"><text><![CDATA[<p>{text}</p>]]></text>'
                   f"<answer><text>{place}</text></answer></subquestion>"
                   for text, place in (("receive", 3), ("", 9), ("check", 1), ("pay", 2)))
    imported = _read(_quiz(_question("order", "<horizontal>0</horizontal>" + body)))
    (q,) = imported.bank.questions
    assert (q.type, q.items) == ("ordering", ["receive", "check", "pay"])
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("changed", "qtype_order gave each item in its place its share of the marks; the "
         "order is now right or wrong as a whole")]
