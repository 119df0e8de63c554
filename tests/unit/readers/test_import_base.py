"""What every importer stands on: hardened XML and zip reading, HTML → canonical rich text,
MathML → LaTeX, and banks built with located errors."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from lxml import etree

from packager.errors import InputError
from packager.readers import safe_zip
from packager.readers.html_markdown import Converted, html_to_markdown, text_to_markdown
from packager.readers.html_markdown_syntax import escape_text
from packager.readers.imported import ImportNote, Location, make_bank, slug, unique
from packager.readers.mathml_latex import to_latex
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import MAX_RATIO, Archive
from packager.richtext import render
from packager.richtext_plain import plain_text


def messages(converted: Converted) -> list[str]:
    """The notes' messages (their kinds are tested in test_html_markdown_kinds.py)."""
    return [note.message for note in converted.notes]


def _zip(entries: dict[str, bytes], mode: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# -- XML ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><q>&x;</q>',
         "declares XML entities"),
        (b'<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>',
         "declares XML entities"),
        (b"<quiz><question>", "not well-formed XML"),
        (b"\xff\xfe<\x00q\x00", "not well-formed XML"),
        (b"", "not well-formed XML"),
    ],
)
def test_hostile_or_broken_xml_is_refused_with_a_location(data: bytes, message: str):
    with pytest.raises(InputError, match=message) as raised:
        parse_xml(data, "quiz.xml")
    assert raised.value.diagnostics[0].file == "quiz.xml"


def test_an_external_dtd_is_refused_and_undefined_entities_too():
    with pytest.raises(InputError, match="refers to an external DTD"):
        parse_xml(b'<!DOCTYPE q SYSTEM "http://127.0.0.1:9/x.dtd"><q>ok</q>', "q.xml")
    with pytest.raises(InputError, match="uses the entity &ext;, which nothing defines"):
        parse_xml(b'<!DOCTYPE q SYSTEM "local.dtd">\n<q>ok&ext;</q>', "q.xml")
    with pytest.raises(InputError, match="not well-formed XML: Entity 'ext' not defined"):
        parse_xml(b"<q>\nok&ext;</q>", "q.xml")
    # A relative DTD name (old QTI 1.2 exports carry one) is neither loaded nor refused.
    root = parse_xml(b'<!DOCTYPE q SYSTEM "ims_qtiasiv1p2p1.dtd"><q>ok</q>', "q.xml")
    assert root.text == "ok"


def test_xml_errors_name_their_line():
    with pytest.raises(InputError) as raised:
        parse_xml(b"<quiz>\n<question>\n</quiz>", "quiz.xml")
    assert raised.value.diagnostics[0].line == 3


# -- zip ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entries", "mode", "message"),
    [
        ({"../evil.txt": b"x"}, None, "has the segment '..'"),
        ({"/etc/evil": b"x"}, None, "is absolute"),
        ({"C:/evil": b"x"}, None, "starts with 'C:', a Windows drive"),
        ({"C:": b"x"}, None, "starts with 'C:', a Windows drive"),
        ({"media\\..\\..\\evil.png": b"x"}, None, r"name 'media/\.\./\.\./evil.png' has the segment '\.\.'"),
        ({"a/b.xml": b"x", "a\\b.xml": b"y"}, None, "the entry 'a/b.xml' appears twice"),
        ({"link": b"/etc/passwd"}, stat.S_IFLNK | 0o777, "is a symbolic link"),
    ],
)
def test_zip_slip_and_links_are_refused_before_reading(entries, mode, message):
    with pytest.raises(InputError, match=message):
        Archive(_zip(entries, mode), "pkg.zip")


@pytest.mark.parametrize("name", [
    "web_resources/Week 1: notes?.txt", "web_resources/Draft v2./notes.txt", "aux.txt",
    "1: notes.txt",  # review 32b: only a letter and a colon make a drive
    "a:b.png",  # a drive only where a folder follows it (`C:/`): one name, made `a-b.png`
    "web_resources/" + "n" * 300 + ".txt",
])
def test_an_entry_only_windows_could_not_store_is_read(name: str) -> None:
    """Portability review 32 (F1): one course file named `Week 1: notes?.txt` (a name Linux
    and macOS store) refused the whole package, "its names leave its folder". Entries are
    read into memory, never written by their names."""
    archive = Archive(_zip({"imsmanifest.xml": b"<manifest/>", name: b"x"}), "pkg.zip")
    assert archive[name] == b"x"


def test_a_zip_bomb_is_refused_by_its_ratio():
    data = _zip({"bomb.xml": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(InputError, match=f"compressed more than {MAX_RATIO}:1"):
        Archive(data, "pkg.zip")


def test_a_truncated_zip_is_refused():
    data = _zip({"imsmanifest.xml": b"<manifest/>" * 100})
    with pytest.raises(InputError, match="not a readable zip archive"):
        Archive(data[: len(data) // 2], "pkg.zip")


def test_a_header_that_lies_about_its_size_is_caught_when_read():
    data = bytearray(_zip({"a.xml": b"<a>" + b"x" * 5000 + b"</a>"}))
    # The central directory's uncompressed size (offset 24 in its entry) says 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive = Archive(bytes(data), "pkg.zip")
    with pytest.raises(InputError, match=r"cannot be read|larger than its header says"):
        archive["a.xml"]


def test_a_clean_zip_reads():
    archive = Archive(_zip({"imsmanifest.xml": b"<manifest/>", "media/a.png": b"png"}), "p.zip")
    assert sorted(archive) == ["imsmanifest.xml", "media/a.png"]
    assert archive["media/a.png"] == b"png"


def test_an_entry_named_for_a_windows_device_is_read_not_refused():
    """Entries are read into memory, never written under their names: `con.png` is harmless
    there (the readers name a media file afresh before anything is written)."""
    archive = Archive(_zip({"imsmanifest.xml": b"<manifest/>", "res/con.png": b"png"}), "p.zip")
    assert archive["res/con.png"] == b"png"


@pytest.mark.parametrize("target", ["qti21", "cc", "qti12"])
def test_a_package_zipped_with_backslashes_reads_as_zipped_with_slashes(
    load_bank, target: str
) -> None:
    """Windows PowerShell 5.1's Compress-Archive writes `items\\q1.xml`: a package unzipped,
    edited and zipped again there reads as the package it was."""
    from pathlib import Path

    from packager import importing
    from packager.context import BuildContext
    from packager.pipeline import export
    from packager.readers.base import Source

    data = export(load_bank("sample-all-types"), target,
                  BuildContext(skip_unsupported=True)).data
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        entries = {i.filename.replace("/", "\\"): original.read(i) for i in original.infolist()}
    assert any("\\" in name for name in entries)
    rezipped = Source("pkg.zip", _zip(entries), Path())
    reader = importing.detect(Source("pkg.zip", data, Path()))
    assert importing.detect(rezipped) == reader
    assert importing.read(rezipped, reader) == importing.read(Source("pkg.zip", data, Path()),
                                                              reader)


def test_a_package_with_a_file_per_question_of_a_large_bank_is_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """packager writes 10,002 entries for a 10,000-question QTI 2.1 package: a limit of
    10,000 refused packager's own export (and auto-detection called it of no known kind)."""
    entries = {f"items/q{n:06d}.xml": b"" for n in range(10_001)}
    data = _zip({"imsmanifest.xml": b"<manifest/>", **entries})
    assert len(Archive(data, "p.zip")) == 10_002
    monkeypatch.setattr(safe_zip, "MAX_ENTRIES", 10_001)
    with pytest.raises(InputError, match="holds 10,002 entries, more than 10,001"):
        Archive(data, "p.zip")


# -- HTML → rich text -----------------------------------------------------------------------
def _images(src: str) -> str | None:
    return "media/" + src.rsplit("/", 1)[-1] if src.startswith("@@PLUGINFILE@@/") else None


@pytest.mark.parametrize(
    ("html", "expected_text"),
    [
        ("<p>Hello <b>world</b>, a*b = 2_3 &amp; [x] $5</p>", "Hello world, a*b = 2_3 & [x] $5"),
        ("<p>1. not a list</p><p># not a heading</p>", "1. not a list # not a heading"),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<script>alert(1)</script>"),
        ("<ul><li>one</li><li>two</li></ul>", "one two"),
        ("<p>back\\slash `tick` |pipe| &lt;b&gt;</p>", "back\\slash `tick` |pipe| <b>"),
    ],
)
def test_converted_html_renders_back_to_the_same_text(html: str, expected_text: str):
    converted = html_to_markdown(html, _images)
    assert render(converted.markdown).problems == ()
    assert plain_text(converted.markdown) == expected_text


def test_what_cannot_be_carried_is_dropped_and_reported():
    converted = html_to_markdown(
        '<script>alert(1)</script><p onclick="x">ok <a href="javascript:x">bad</a> '
        '<img src="http://evil/x.png"></p><iframe src="x"></iframe>', _images)
    assert converted.markdown == "ok bad"
    assert messages(converted) == [
        "<script> dropped",
        "link to 'javascript:x' dropped (only http, https and mailto are kept)",
        "image 'http://evil/x.png' dropped: not found in the source",
        "<iframe> dropped",
    ]


@pytest.mark.parametrize("href", ["https:x.example", "http:/x", "//x.example/a", "\\\\x\\a"])
def test_a_web_link_without_a_host_is_dropped_as_a_bank_would_refuse_it(href: str):
    converted = html_to_markdown(f'<p>see <a href="{href}">this</a></p>', _images)
    assert converted.markdown == "see this"
    assert messages(converted) == [f"link to {href!r} dropped (only http, https and mailto are kept)"]
    assert render(f"[this]({href})").problems  # what a bank refuses, an import leaves out


def test_images_links_math_and_tables_arrive_in_canonical_form():
    converted = html_to_markdown(
        '<p>See <img src="@@PLUGINFILE@@/chart.png" alt="Chart"> and '
        '<a href="https://example.com/a b">this</a>; \\(x^2\\) and '
        '<math><mfrac><mn>1</mn><mn>2</mn></mfrac></math></p>'
        '<table><tr><th scope="col">H</th></tr><tr><td style="x">c <b>b</b></td></tr></table>',
        _images)
    assert converted.markdown == (
        "See ![Chart](<media/chart.png>) and [this](<https://example.com/a%20b>); $x^2$ and "
        "$\\frac{1}{2}$\n\n"
        '<table><tr><th scope="col">H</th></tr><tr><td>c <b>b</b></td></tr></table>'
    )
    rendered = render(converted.markdown)
    assert rendered.problems == ()
    assert rendered.media == ("media/chart.png",)


def test_math_without_a_latex_form_stays_mathml_and_validates():
    converted = html_to_markdown(
        '<p><math><mover><mi>x</mi><mi>y</mi></mover></math></p>', _images)
    assert messages(converted) == ["math kept as MathML (no sure LaTeX form)"]
    rendered = render(converted.markdown)
    assert rendered.problems == ()
    assert "<mover><mi>x</mi><mi>y</mi></mover>" in rendered.xhtml


def test_plain_text_is_escaped_with_its_paragraphs():
    assert text_to_markdown("a *b*\n\n  - c  ") == "a \\*b\\*\n\n\\- c"
    assert escape_text("1. x") == "1\\. x"


# -- MathML → LaTeX -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mathml", "latex"),
    [
        ("<math><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>+</mo><msup><mi>x</mi><mn>2</mn></msup></math>",
         "\\frac{1}{2}+x^2"),
        ("<math><msqrt><mi>a</mi></msqrt><mo>≤</mo><mi>π</mi></math>", "\\sqrt{a}\\le \\pi"),
        ("<math><mi>x</mi><mo>≤</mo><mi>y</mi></math>", "x\\le y"),
        ("<math><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi></math>",
         "\\sum_{i=1}^ni"),
        ("<math><mover><mi>x</mi><mo>¯</mo></mover></math>", "\\overline{x}"),
        ("<math><mi>sin</mi><mi>x</mi></math>", "\\sin x"),
        ("<math><mover><mi>x</mi><mi>y</mi></mover></math>", None),
        ("<math><maction><mi>x</mi></maction></math>", None),
    ],
)
def test_mathml_to_latex(mathml: str, latex: str | None):
    assert to_latex(etree.fromstring(mathml)) == latex


def test_raw_mathml_in_a_bank_is_checked_like_latex_math():
    assert render("<math><mi>a</mi></math>").problems == ()
    assert render('<math><mi style="position:fixed">a</mi></math>').problems == (
        ("attribute", "attribute style= on <mi> is not allowed"),)
    assert ("math", "the MathML element <mi> stands outside <math>") in render("<mi>x</mi>").problems
    problems = render('<math><mtext><img src=x onerror="alert(1)"></mtext></math>').problems
    assert ("math", "the MathML contains the element <img>, which MathML in packages may not "
            "use") in problems


# -- banks ----------------------------------------------------------------------------------
def test_ids_are_slugs_made_unique_in_order():
    assert slug("Café au lait: 2 shots!", "q1") == "cafe-au-lait-2-shots"
    assert slug("???", "q7") == "q7"
    assert unique(["a", "b", "a", "a"]) == ["a", "b", "a-2", "a-3"]


def test_an_invalid_imported_question_is_located_at_its_source():
    question = {"id": "q1", "type": "single_choice", "prompt": "P",
                "choices": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]}
    bank, left_out = make_bank("quiz.xml", "quiz", "Quiz", [{**question, "choices": [
        {"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}],
        [Location("quiz.xml", 12)], "E-MOODLE")
    assert bank.questions[0].id == "q1" and left_out == []
    with pytest.raises(InputError, match="no question can be imported: as read, it is not a "
                       "valid question") as raised:
        make_bank("quiz.xml", "quiz", "Quiz", [{**question, "choices": []}],
                  [Location("quiz.xml", 12, "/quiz/question[1]")], "E-MOODLE")
    (found,) = raised.value.diagnostics
    assert (found.file, found.line, found.pointer) == ("quiz.xml", 12, "/quiz/question[1]")
    assert found.message.startswith("choices: ")  # named in the question, not by position


def _choice(qid: str, *choices: tuple[str, bool]) -> dict[str, object]:
    return {"id": qid, "type": "single_choice", "prompt": f"Prompt of {qid}",
            "choices": [{"id": f"c{n}", "text": text, "correct": right}
                        for n, (text, right) in enumerate(choices)]}


def test_a_question_the_model_refuses_is_left_out_with_why_and_the_rest_kept():
    good, empty, also_good = (
        _choice("q1", ("A", True), ("B", False)),
        _choice("q2", ("", True), ("B", False)),  # an image-only option its reader dropped
        _choice("q3", ("A", False), ("B", True)),
    )
    sections = [{"id": "s1", "title": "One", "question_ids": ["q1", "q2"], "pick": 2},
                {"id": "s2", "title": "Two", "question_ids": ["q3"]}]
    places = [Location("quiz.xml", n) for n in (3, 9, 15)]
    bank, left_out = make_bank("quiz.xml", "quiz", "Quiz", [good, empty, also_good], places,
                               "E-QTI", sections=sections)
    assert [q.id for q in bank.questions] == ["q1", "q3"]
    (note,) = left_out
    assert (note.question_id, note.location, note.kind) == ("q2", places[1], "dropped")
    assert note.message == ("left out: as read, it is not a valid question (choices/0/text: "
                            "Value error, must not be empty or only white space)")
    # Its section no longer names it, and picks no more than the section holds.
    assert [(s.question_ids, s.pick) for s in bank.sections or []] == [(["q1"], 1), (["q3"], None)]


@pytest.mark.parametrize(("answer", "why"), [
    ({"value": 1e16, "tolerance": 5},
     "answer/value: Input should be less than or equal to 1000000000000000"),
    ({"min": 1, "max": 2e16}, "answer/max: Input should be less than or equal to 1000000000000000"),
])
def test_a_numeric_answer_the_model_refuses_is_told_by_its_own_kind(
        answer: dict[str, float], why: str) -> None:
    """An answer is {value, tolerance} or {min, max}: the note says what is wrong with the one
    it is, not also that it is not the other ('answer/RangeAnswer/min: Field required', '…
    value: Extra inputs are not permitted', as it did)."""
    numeric = {"id": "far", "type": "numeric", "prompt": "How far?", "answer": answer}
    places = [Location("quiz.xml", n) for n in (3, 9)]
    bank, left_out = make_bank("quiz.xml", "quiz", "Quiz",
                               [_choice("q1", ("A", True), ("B", False)), numeric], places, "E-X")
    assert [q.id for q in bank.questions] == ["q1"]
    (note,) = left_out
    assert note.message == f"left out: as read, it is not a valid question ({why})"


def test_a_question_that_breaks_a_bank_rule_once_the_others_are_left_out_goes_too():
    # q2's fields are wrong, which hides q3's broken rule (no correct choice) until q2 is out.
    bank, left_out = make_bank(
        "quiz.xml", "quiz", "Quiz",
        [_choice("q1", ("A", True), ("B", False)), _choice("q2", ("", True), ("B", False)),
         _choice("q3", ("A", False), ("B", False))],
        [Location("quiz.xml", n) for n in (1, 2, 3)], "E-QTI")
    assert [q.id for q in bank.questions] == ["q1"]
    assert [(n.question_id, n.location.line) for n in left_out] == [("q2", 2), ("q3", 3)]
    assert left_out[1].message.endswith(
        "(choices: a single_choice question needs exactly one correct choice, found 0)")


def test_a_problem_outside_every_question_still_refuses_the_import():
    with pytest.raises(InputError, match="do not make a valid bank") as raised:
        make_bank("quiz.xml", "Not A Slug!", "Quiz",
                  [_choice("q1", ("A", True), ("B", False)), _choice("q2", ("", True), ("B", False))],
                  [Location("quiz.xml", 1), Location("quiz.xml", 2)], "E-QTI")
    assert {d.message.split(":")[0] for d in raised.value.diagnostics} >= {"id"}


def test_a_source_whose_every_item_was_left_out_says_why():
    noted = [ImportNote(None, Location("quiz.xml", path="/assessmentItem"), "dropped",
                        "item left out: <hottextInteraction> has no canonical question type")]
    with pytest.raises(InputError, match="no questions found; what was read was left out, for the reasons above") as raised:
        make_bank("quiz.xml", "quiz", "Quiz", [], [], "E-QTI", noted=noted)
    (found,) = raised.value.diagnostics
    assert (found.file, found.pointer) == ("quiz.xml", "/assessmentItem")
    assert "hottextInteraction" in found.message


def test_an_entry_is_known_by_name_without_reading_it() -> None:
    """`name in archive` is asked at every image and file reference: it must not read (and
    decompress, up to 1 GB) the entry, as Mapping's own test did. A damaged entry shows it:
    known by name, refused only when read."""
    data = bytearray(_zip({"imsmanifest.xml": b"<manifest/>", "big.bin": b"x" * 100_000}))
    header = data.index(b"big.bin")  # the local header's name; deflated data follows
    data[header + 7 : header + 27] = b"\xff" * 20  # a damaged deflate stream
    archive = safe_zip.Archive(bytes(data), "p.zip")
    assert "big.bin" in archive and "other.bin" not in archive
    with pytest.raises(InputError, match="cannot be read"):
        archive["big.bin"]
