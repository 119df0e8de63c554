"""The Blackboard reader: golden imports of fixtures/inputs/blackboard (a Learn 9 pool in the
shape of Moodle's real-export fixture, with every type, an image in csfiles/, MathML, TeX,
unsafe HTML and a type with no canonical form; a test package beside another resource), the
sample banks exported and read back, detection, and malformed or hostile packages refused."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from packager.errors import InputError
from packager.model import questions as m
from packager.pipeline import export, load
from packager.readers import blackboard
from packager.readers.base import Source
from tests.conftest import SAMPLE_BANKS, bank_path, make_ctx
from tests.unit.readers.import_goldens import INPUTS, cases, check_golden
from tests.unit.readers.qti2_cases import zip_bytes

CASES = cases("blackboard", "zip")
# Bare pool documents (res00001.dat), read as a pool's one file.
DAT_CASES = cases("blackboard", "dat")
MANIFEST = (
    '<manifest identifier="man00001" xmlns:bb="http://www.blackboard.com/content-packaging/">'
    '<resources><resource bb:file="res00001.dat" identifier="res00001" '
    'type="assessment/x-bb-qti-pool" xml:base="res00001"/></resources></manifest>'
)


def _read(data: bytes, name: str = "pool.zip") -> blackboard.Imported:
    return blackboard.read(Source(name, data, Path(".")))


@pytest.mark.parametrize(("case", "ext"), [(c, "zip") for c in CASES]
                         + [(c, "dat") for c in DAT_CASES])
def test_golden(request: pytest.FixtureRequest, case: str, ext: str) -> None:
    check_golden(request, "blackboard", case, ext, blackboard.read)


@pytest.mark.parametrize(("case", "ext"), [(c, "zip") for c in CASES]
                         + [(c, "dat") for c in DAT_CASES])
def test_fixtures_are_detected(case: str, ext: str) -> None:
    assert blackboard.detect((INPUTS / "blackboard" / f"{case}.{ext}").read_bytes())


def test_a_multiple_answer_key_by_position_is_read_by_position() -> None:
    """Learn 9 numbers a Multiple Answer key from answer_0 while its answers are answer_1..:
    read by ident, the key was 9 and 11 instead of 2, 11 and 13 (exit 0, no note)."""
    path = INPUTS / "blackboard" / "learn9-multiple-answer-by-position.dat"
    imported = _read(path.read_bytes(), path.name)
    (question,) = imported.bank.questions
    assert isinstance(question, m.MultipleResponse)
    assert [c.text for c in question.choices if c.correct] == ["2", "11", "13"]
    (note,) = [n for n in imported.notes if n.message.startswith("item left out: ")]
    assert note.kind == "dropped"
    assert note.message == ("item left out: Multiple Answer: the correct-answer condition "
                            "names 'answer_7', which no answer has: the key is not known")
    assert note.location.path == "/questestinterop/assessment/section/item[2]"


@pytest.mark.parametrize("key", [
    # One position missing, one named twice, a position past the last answer, a shifted key
    # that does not start at answer_0: none is sure, so none is guessed.
    ("answer_0", "answer_1", "answer_2"),
    ("answer_0", "answer_0", "answer_1", "answer_2"),
    ("answer_1", "answer_2", "answer_3", "answer_4", "answer_5"),
    ("answer_0", "x", "answer_2", "answer_3"),
])
def test_a_key_naming_an_unknown_answer_is_refused_not_guessed(key: tuple[str, ...]) -> None:
    labels = "".join(
        f"<response_label ident='answer_{n}'><flow_mat><material><mattext>{n}</mattext>"
        "</material></flow_mat></response_label>" for n in range(1, 5))
    tests = "".join(f"<varequal respident='response'>{k}</varequal>" for k in key)
    body = (
        "<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow class='x'>"
        "<material><mattext>Q</mattext></material></flow></flow><flow class='RESPONSE_BLOCK'>"
        f"<response_lid ident='response'><render_choice>{labels}</render_choice></response_lid>"
        "</flow></flow></presentation><resprocessing><respcondition title='correct'>"
        f"<conditionvar><and>{tests}</and></conditionvar><setvar>SCORE.max</setvar>"
        "</respcondition></resprocessing>")
    with pytest.raises(InputError) as caught:
        _read(_item(body, "Multiple Answer"), "res00001.dat")
    (diagnostic,) = caught.value.diagnostics
    assert "which no answer has: the key is not known" in diagnostic.message
    assert diagnostic.pointer == "/questestinterop/assessment/section/item"


def _ultra_item(tested: list[tuple[str, bool]], feedback: str = "") -> bytes:
    """A Multiple Choice item as Ultra writes it: answers `new_<uuid>`, the `correct`
    condition testing each answer by a hash of its own (canvas-lms's `bbultra` fixture)."""
    labels = "".join(
        f"<response_label ident='new_{n}-uuid'><flow_mat><material><mattext>{text}</mattext>"
        "</material></flow_mat></response_label>"
        for n, text in enumerate(("Mars", "Jupiter", "Venus")))
    tests = "".join(f"<not><varequal respident='response'>{name}</varequal></not>" if negated
                    else f"<varequal respident='response'>{name}</varequal>"
                    for name, negated in tested)
    return _item(
        "<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow class='x'>"
        "<material><mattext>Which planet is largest?</mattext></material></flow></flow>"
        "<flow class='RESPONSE_BLOCK'><response_lid ident='response'><render_choice>"
        f"{labels}</render_choice></response_lid></flow></flow></presentation><resprocessing>"
        f"<respcondition title='correct'><conditionvar><and>{tests}</and></conditionvar>"
        "<setvar>SCORE.max</setvar></respcondition>"
        + "".join(f"<respcondition><conditionvar><varequal respident='{name}'/></conditionvar>"
                  "<setvar>0</setvar></respcondition>" for name, _ in tested)
        + f"</resprocessing>{feedback}")


def test_an_ultra_key_naming_its_answers_by_hashes_is_read_in_their_order() -> None:
    """Ultra's answers are `new_<uuid>` and its `correct` condition names them by hashes no
    answer has, in the order shown: the pool was refused ('names 'f0…', which no answer
    has: the key is not known'); now the answer in the place of the name tested outside a
    `not` is the key, and feedback given to its hash is that answer's."""
    feedback = ("<itemfeedback ident='b1'><solution><solutionmaterial><flow_mat><material>"
                "<mattext>Yes, the gas giant.</mattext></material></flow_mat>"
                "</solutionmaterial></solution></itemfeedback>")
    imported = _read(_ultra_item([("f0", True), ("b1", False), ("c2", True)], feedback),
                     "res00001.dat")
    (question,) = imported.bank.questions
    assert isinstance(question, m.SingleChoice)
    assert [(c.text, c.correct, c.feedback) for c in question.choices] == [
        ("Mars", False, None), ("Jupiter", True, "Yes, the gas giant."), ("Venus", False, None)]


@pytest.mark.parametrize("tested", [
    # A name short, a name twice, an answer's own ident among the names: no order is sure.
    [("f0", True), ("b1", False)],
    [("f0", True), ("b1", False), ("b1", True)],
    [("f0", True), ("b1", False), ("new_2-uuid", True)],
])
def test_hashed_names_not_one_per_answer_are_refused_not_guessed(
        tested: list[tuple[str, bool]]) -> None:
    with pytest.raises(InputError) as caught:
        _read(_ultra_item(tested), "res00001.dat")
    (diagnostic,) = caught.value.diagnostics
    assert "which no answer has: the key is not known" in diagnostic.message


@pytest.mark.parametrize("name", SAMPLE_BANKS)
def test_sample_exports_read_back(name: str) -> None:
    loaded = load(bank_path(name))
    data = export(loaded, "blackboard", make_ctx(None, skip_unsupported=True)).data
    assert blackboard.detect(data)
    imported = _read(data, f"{name}.blackboard.zip")
    scored = [q for q in loaded.bank.questions if not isinstance(q, m.TextItem)]
    by_id = {q.id: q for q in imported.bank.questions}
    for q in scored:
        got = by_id[q.id] if q.title is None else next(
            g for g in imported.bank.questions if g.title == q.title)
        assert got.type == q.type
    assert {href: len(data) for href, data in imported.media.items()} == {
        f.href: f.path.stat().st_size for f in loaded.media}
    assert all(n.kind in ("dropped", "changed") for n in imported.notes)


def test_pairs_and_blanks_scored_all_or_nothing_are_noted_only_where_the_flag_says_so() -> None:
    """packager's pool writes matching and blanks with partial credit off (Learn scores them
    all or nothing), where a bank gives each right pair or blank its share: read back, that
    is noted. Without the flag (Learn 9's exports) or with a percentage per part, nothing is
    known of Learn's scoring, and nothing is said."""
    data = export(load(bank_path("sample-all-types")), "blackboard",
                  make_ctx(None, skip_unsupported=True)).data
    dat = zipfile.ZipFile(io.BytesIO(data)).read("res00001.dat").decode()

    def gained(text: str) -> list[str | None]:
        return [n.question_id for n in _read(text.encode(), "res00001.dat").notes
                if n.message.startswith("partial credit is gained: Blackboard")]

    assert gained(dat) == ["match-drinks", "fill-recipe"]
    assert gained(dat.replace("<bbmd_partialcredit>false</bbmd_partialcredit>", "")) == []
    assert gained(dat.replace("<bbmd_partialcredit>false</bbmd_partialcredit>",
                              "<bbmd_partialcredit>true</bbmd_partialcredit>")) == []
    percent = '<setvar action="Set" variablename="PartialCreditPercent">50</setvar>'
    assert gained(dat.replace("</respcondition>", percent + "</respcondition>")) == []


def test_a_bare_pool_document_is_read() -> None:
    dat = zipfile.ZipFile(INPUTS / "blackboard" / "learn9-pool.zip").read("res00001.dat")
    imported = _read(dat, "res00001.dat")
    assert len(imported.bank.questions) == 9
    assert imported.media == {}  # no package: the csfiles image cannot be found
    assert imported.notes[0].location.file == "res00001.dat"


def test_the_same_package_gives_the_same_bank() -> None:
    data = (INPUTS / "blackboard" / "learn9-pool.zip").read_bytes()
    assert _read(data).bank == _read(data).bank


def _item(body: str, qtype: str = "Multiple Choice") -> bytes:
    return (
        "<questestinterop><assessment title='P'><section><item title='q'><itemmetadata>"
        f"<bbmd_questiontype>{qtype}</bbmd_questiontype></itemmetadata>{body}</item>"
        "</section></assessment></questestinterop>"
    ).encode()


_CHOICES = (
    "<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow class='x'><material>"
    "<mattext>Q</mattext></material></flow></flow><flow class='RESPONSE_BLOCK'>"
    "<response_lid ident='response'><render_choice><response_label ident='A'><flow_mat><material>"
    "<mattext>a</mattext></material></flow_mat></response_label><response_label ident='B'>"
    "<flow_mat><material><mattext>b</mattext></material></flow_mat></response_label>"
    "</render_choice></response_lid></flow></flow></presentation>"
)


@pytest.mark.parametrize(("entries", "message"), [
    ({"res00001.dat": "<x/>"}, "no imsmanifest.xml"),
    ({"imsmanifest.xml": "<manifest><resources/></manifest>"}, "lists no Blackboard pool"),
    ({"imsmanifest.xml": MANIFEST}, "'res00001.dat', which is not in the zip"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": "<questestinterop>"}, "not well-formed XML"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": "<quiz/>"}, "not a Blackboard pool"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><questestinterop>&e;'
        '</questestinterop>')}, "declares XML entities"),
    ({"imsmanifest.xml": MANIFEST, "../evil.dat": "x"}, "has the segment '..'"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(_CHOICES)}, "no answer is marked"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(
        "<resprocessing><respcondition><conditionvar><varequal>1e999</varequal></conditionvar>"
        "</respcondition></resprocessing>", "Numeric")}, "'1e999' is not a number an LMS holds"),
    # Past the decimal context's exponent limit (abs() raised decimal.Overflow).
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(
        "<resprocessing><respcondition><conditionvar><varequal>-1E1000000</varequal>"
        "</conditionvar></respcondition></resprocessing>", "Numeric")},
     "'-1E1000000' is not a number an LMS holds"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(
        "<resprocessing><respcondition><conditionvar><vargte>1E16</vargte><varlte>2E16</varlte>"
        "</conditionvar></respcondition></resprocessing>", "Numeric")},
     "the minimum 10000000000000000 is beyond ±1e15"),
    ({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(
        "<resprocessing><respcondition title='correct'><conditionvar><varequal>maybe"
        "</varequal></conditionvar></respcondition></resprocessing>", "True/False")},
     "neither true nor false"),
])
def test_malformed_packages_are_refused(entries: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        _read(zip_bytes(dict(entries)))
    text = str(caught.value) + " ".join(d.message for d in caught.value.diagnostics)
    assert message in text
    assert all(d.file and d.file.startswith("pool.zip") for d in caught.value.diagnostics)


def test_a_numeric_key_further_from_one_bound_is_the_range_of_its_bounds() -> None:
    """Key 1, bounds 0.9 and 5 was read as 1 ± 4, silently: -3 to 0.9, which the pool
    marks wrong, was accepted. Bounds as far either side stay a value ± tolerance."""
    def numeric(key: str, low: str, high: str) -> blackboard.Imported:
        body = ("<presentation><flow class='Block'><flow class='QUESTION_BLOCK'><flow "
                "class='x'><material><mattext>Q</mattext></material></flow></flow></flow>"
                "</presentation><resprocessing><respcondition title='correct'><conditionvar>"
                f"<vargte>{low}</vargte><varlte>{high}</varlte><varequal>{key}</varequal>"
                "</conditionvar><setvar action='Set'>SCORE.max</setvar></respcondition>"
                "</resprocessing>")
        return _read(zip_bytes({"imsmanifest.xml": MANIFEST,
                                "res00001.dat": _item(body, "Numeric")}))

    lopsided = numeric("1", "0.9", "5")
    (question,) = lopsided.bank.questions
    assert isinstance(question, m.Numeric)
    assert question.answer == m.RangeAnswer(min=0.9, max=5)
    assert [(n.kind, n.location.path, n.message) for n in lopsided.notes] == [
        ("changed", "/questestinterop/assessment/section/item",
         "the answer 1 accepts 0.9 to 5, further above it (a tolerance is the same either "
         "side): the bank accepts the range 0.9 to 5, and shows no answer 1")]
    even = numeric("1", "0.9", "1.1")
    (question,) = even.bank.questions
    assert isinstance(question, m.Numeric)
    assert question.answer == m.ExactAnswer(value=1, tolerance=0.1)
    assert even.notes == []


def test_an_item_error_is_located_by_xpath() -> None:
    with pytest.raises(InputError) as caught:
        _read(zip_bytes({"imsmanifest.xml": MANIFEST, "res00001.dat": _item(_CHOICES)}))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == "pool.zip!res00001.dat"
    assert diagnostic.pointer == "/questestinterop/assessment/section/item"


def test_an_item_that_cannot_be_read_beside_one_that_can_is_left_out_with_why() -> None:
    good = _CHOICES + ("<resprocessing><respcondition title='correct'><conditionvar>"
                       "<varequal respident='response'>A</varequal></conditionvar>"
                       "<setvar action='Set'>SCORE.max</setvar></respcondition></resprocessing>")
    second = _item(good).split(b"<section>")[1].split(b"</section>")[0]
    pool = _item(_CHOICES).replace(b"</section>", second + b"</section>")
    imported = _read(zip_bytes({"imsmanifest.xml": MANIFEST, "res00001.dat": pool}))
    assert [q.type for q in imported.bank.questions] == ["single_choice"]
    (note,) = [n for n in imported.notes if n.message.startswith("item left out: ")]
    assert note.kind == "dropped" and "no answer is marked correct" in note.message
    assert note.location.file == "pool.zip!res00001.dat"
    assert note.location.path == "/questestinterop/assessment/section/item[1]"


def test_truncated_zip_is_refused() -> None:
    data = (INPUTS / "blackboard" / "learn9-pool.zip").read_bytes()
    with pytest.raises(InputError, match="not a readable zip"):
        _read(data[: len(data) // 2])


@pytest.mark.parametrize("data", [
    b"", b"PK\x03\x04broken", zip_bytes({"imsmanifest.xml": "<manifest/>"}), b"<questestinterop/>",
    zip_bytes({"imsmanifest.xml": MANIFEST.replace("x-bb-qti-pool", "imsqti_xmlv1p2")}),
])
def test_other_content_is_not_detected(data: bytes) -> None:
    assert not blackboard.detect(data)


@pytest.mark.parametrize(
    ("answer", "read"),
    [
        ("&lt;!doctype html&gt;", "<!doctype html>"),  # parses to nothing: kept as text
        ("&lt;p&gt;a&lt;/p&gt;&lt;/body&gt;&lt;body&gt;b", "ab"),  # both bodies read
    ],
)
def test_a_matching_answer_of_odd_html_is_read_not_a_traceback(answer: str, read: str) -> None:
    """lxml.html raised on these (ParserError, AssertionError) and the reader let it out."""
    path = INPUTS / "blackboard" / "learn9-pool.zip"
    with zipfile.ZipFile(path) as archive:
        entries: dict[str, bytes | str] = {n: archive.read(n) for n in archive.namelist()}
    pool = entries["res00001.dat"]
    assert isinstance(pool, bytes) and b"Alkali &amp;amp; metal" in pool
    entries["res00001.dat"] = pool.replace(b"Alkali &amp;amp; metal", answer.encode(), 1)
    imported = _read(zip_bytes(entries))
    (matching,) = [q for q in imported.bank.questions if isinstance(q, m.Matching)]
    matches = [pair.match for pair in matching.pairs] + list(matching.distractors)
    assert read in matches, matches
    assert "Alkali & metal" not in matches


def test_an_item_without_question_text_gets_a_prompt_and_a_note() -> None:
    """Its prompt became '(no text)' and nothing said so."""
    item = _item("<resprocessing><respcondition title='correct'><conditionvar><varequal>true"
                 "</varequal></conditionvar></respcondition></resprocessing>", "True/False")
    imported = _read(zip_bytes({"imsmanifest.xml": MANIFEST, "res00001.dat": item}))
    assert imported.bank.questions[0].prompt == "(no text)"
    (note,) = [n for n in imported.notes if "no question text" in n.message]
    assert note.kind == "changed" and note.location.path == "/questestinterop/assessment/section/item"


def test_an_xid_reference_finds_the_first_file_whose_name_holds_it() -> None:
    """Real exports refer to stored files by xid token (an index of the names now, not a
    search per reference): the first csfiles/ entry whose name holds the token, a longer
    token's name included; none outside csfiles/, none for a token no name holds."""
    files = {
        "other/chart__xid-12_1.png": b"",
        "csfiles/home/table__xid-12_10.png": b"",
        "csfiles/home/chart__xid-12_1.png": b"",
        "csfiles/home/map__xid-3_4xid-7_8.png": b"",
    }
    media = blackboard._Media(files)  # type: ignore[arg-type]  # an Archive is a mapping
    stub = "@X@EmbeddedFile.requestUrlStub@X@bbcswebdav/"
    assert media.entry_for(f"{stub}xid-12_1", "").entry == "csfiles/home/table__xid-12_10.png"
    assert media.entry_for(f"{stub}xid-7_8", "").entry == "csfiles/home/map__xid-3_4xid-7_8.png"
    assert media.entry_for(f"{stub}xid-2_1", "").entry is None
    assert media.entry_for(f"{stub}xid-12_100", "").entry is None


def test_an_answer_with_no_text_is_marked_and_noted() -> None:
    """An empty answer became '(empty)' without a word."""
    choices = _CHOICES.replace("<mattext>a</mattext>", "<mattext></mattext>")
    item = _item(choices + "<resprocessing><respcondition title='correct'><conditionvar>"
                 "<varequal respident='response'>B</varequal></conditionvar></respcondition>"
                 "</resprocessing>")
    imported = _read(zip_bytes({"imsmanifest.xml": MANIFEST, "res00001.dat": item}))
    question = imported.bank.questions[0]
    assert isinstance(question, m.SingleChoice)
    assert [(c.text, c.correct) for c in question.choices] == [("(empty)", False), ("b", True)]
    (note,) = [n for n in imported.notes if "(empty)" in n.message]
    assert note.kind == "changed"
    assert note.message == "answer a has no text that could be carried: written as '(empty)'"


_PNG = (Path(__file__).parents[3] / "content" / "media" / "leads-chart.png").read_bytes()


def _showing(srcs: list[str], files: dict[str, bytes]) -> blackboard.Imported:
    """A pool whose question shows an image per `srcs` (as written in the item's HTML), its
    package holding `files` beside the item."""
    images = " ".join(f'&lt;img src="{src}"&gt;' for src in srcs)
    body = _CHOICES.replace("<mattext>Q</mattext>", f"<mattext>{images}</mattext>")
    item = _item(body + "<resprocessing><respcondition title='correct'><conditionvar>"
                 "<varequal respident='response'>B</varequal></conditionvar></respcondition>"
                 "</resprocessing>")
    return _read(zip_bytes({"imsmanifest.xml": MANIFEST, "res00001.dat": item, **files}))


def test_an_image_named_for_a_windows_device_is_stored_under_another_name() -> None:
    """`con.png` would open the console on Windows, not write a file beside the bank: the
    image is kept as `con-file.png` (next to a real `con-file.png`, as `con-file-2.png`)."""
    png = _PNG
    imported = _showing(["csfiles/home/con.png", "csfiles/home/con-file.png", "csfiles/aux/b.png"],
                        {"csfiles/home/con.png": png, "csfiles/home/con-file.png": png + b"2",
                         "csfiles/aux/b.png": png + b"3"})
    assert imported.media == {"media/con-file.png": png, "media/con-file-2.png": png + b"2",
                              "media/b.png": png + b"3"}
    assert "media/con-file.png" in imported.bank.questions[0].prompt


def test_an_image_named_as_windows_cannot_store_is_kept_under_a_slug() -> None:
    """Review 33: `week 1:chart.png` or `what*.png` (legal where the package was made) was
    "not found in the source" although in the zip, the reference tested with the rule for
    names to write; QTI 1.2 and 2.x keep such images since review 32."""
    png = _PNG
    imported = _showing(["csfiles/home/week 1:chart.png", "csfiles/home/what*.png"],
                        {"csfiles/home/week 1:chart.png": png,
                         "csfiles/home/what*.png": png + b"2"})
    assert imported.media == {"media/week-1-chart.png": png, "media/what.png": png + b"2"}
    assert imported.notes == []


def test_a_percent_encoded_image_reference_finds_its_file() -> None:
    """Review 33: `my%20chart.png` (a space as an HTML editor writes it) was "not found in
    the source" beside the entry `my chart.png`."""
    png = _PNG
    imported = _showing(["csfiles/home/my%20chart.png", "csfiles/home/caf%C3%A9.png"],
                        {"csfiles/home/my chart.png": png, "csfiles/home/caf\u00e9.png": png + b"2"})
    assert sorted(imported.media.values()) == [png, png + b"2"]
    assert imported.notes == []


def test_a_blackboard_6_pool_is_told_and_refused_for_what_it_is() -> None:
    """A Blackboard 5/6 `<POOL>` (moodle/moodle question/format/blackboard_six/tests/fixtures/
    sample_blackboard_pool.dat) was "XML of no known kind", and with `--from blackboard` "not
    a Blackboard pool"."""
    from packager.importing import detect

    path = INPUTS / "blackboard" / "blackboard6-pool.xml"
    data = path.read_bytes()
    assert blackboard.detect(data)
    assert detect(Source(path.name, data, path.parent)) == "blackboard"
    with pytest.raises(InputError) as caught:
        _read(data, path.name)
    assert str(caught.value) == (
        "blackboard6-pool.xml: a Blackboard 5/6 pool (<POOL>), an older format packager does "
        "not read; export the pool from Blackboard Learn 9 or later as a QTI pool, or use "
        "Moodle's blackboard_six import")
    assert [(d.message, d.line) for d in caught.value.diagnostics] == [
        ("the root element is <POOL>: Blackboard 5/6's own pool format", 2)]


def test_negative_points_are_noted_not_silently_replaced() -> None:
    """Learn 9's qmd_absolutescore_max of -1.0 (canvas-lms bb9/minus_one.xml) became the bank's
    default of 1 point without a note."""
    path = INPUTS / "blackboard" / "learn9-minus-one-points.dat"
    imported = _read(path.read_bytes(), path.name)
    (question,) = imported.bank.questions
    assert question.points is None  # the bank's default
    assert [(n.kind, n.message) for n in imported.notes] == [
        ("changed", "-1.0 points cannot be kept (a question is worth more than 0 and at most "
         "1,000,000): the bank's default is used")]


PARTIAL = INPUTS / "blackboard" / "partial-credit-percentages.dat"
# The notes of PARTIAL: a Multiple Answer weighted 75/25/0, a Multiple Choice with a near miss.
PARTIAL_NOTES = [
    ("which-are-noble-gases-helium-is-worth-most", "/questestinterop/assessment/section/item[1]",
     "partial credit: in Blackboard the answers earned 'Helium' 75 %, 'Argon' 25 %, 'Oxygen' "
     "0 % of the points; here each right pick earns 1/2 of them and each wrong pick costs 1/2 "
     "(never below 0)"),
    ("closest-planet-to-the-sun", "/questestinterop/assessment/section/item[2]",
     "partial credit: in Blackboard 'Venus' earned 50 % of the points; here an answer that is "
     "not right is worth 0"),
]


def _partial(text: str) -> blackboard.Imported:
    return _read(text.encode(), PARTIAL.name)


def _credit_notes(imported: blackboard.Imported) -> list[tuple[str | None, str | None, str]]:
    return [(n.question_id, n.location.path, n.message) for n in imported.notes
            if n.kind == "changed"]


def test_partial_credit_percentages_are_noted_not_silently_dropped() -> None:
    """With bbmd_partialcredit true each answer has its own percentage: a Multiple Answer's
    75/25/0 became equal shares with a cost per wrong pick, a Multiple Choice's 50 % near miss
    became worth 0, and nobody was told (exit 0, no note). The key and scoring stay."""
    imported = _partial(PARTIAL.read_text(encoding="utf-8"))
    weighted, near_miss = imported.bank.questions
    assert isinstance(weighted, m.MultipleResponse)
    assert weighted.scoring == "partial"
    assert [(c.text, c.correct) for c in weighted.choices] == [
        ("Helium", True), ("Argon", True), ("Oxygen", False)]
    assert isinstance(near_miss, m.SingleChoice)
    assert [(c.text, c.correct) for c in near_miss.choices] == [
        ("Mercury", True), ("Venus", False), ("Mars", False)]
    assert _credit_notes(imported) == PARTIAL_NOTES


def test_percentages_are_read_only_when_partial_credit_is_on_and_they_weigh() -> None:
    """Without the flag, or with every answer at 0 % (as Ultra writes them whatever the
    grading), the percentages say nothing about the grade: no note. The same pool with the
    flag and the weights has both notes."""
    text = PARTIAL.read_text(encoding="utf-8")
    assert _credit_notes(_partial(text)) == PARTIAL_NOTES
    off = text.replace("<bbmd_partialcredit>true<", "<bbmd_partialcredit>false<")
    assert _partial(off).notes == []
    zeros = re.sub(r'action="Set">(75|25|100|50)<', 'action="Set">0<', text)
    assert _partial(zeros).notes == []


def test_negative_percentages_and_the_negative_points_setting_are_noted() -> None:
    """A wrong answer's negative percentage (it cost marks) and a negative-points setting the
    bank cannot carry are named, not guessed at."""
    text = (PARTIAL.read_text(encoding="utf-8")
            .replace('action="Set">0</setvar><displayfeedback linkrefid="a3"',
                     'action="Set">-50</setvar><displayfeedback linkrefid="a3"')
            .replace('action="Set">0</setvar><displayfeedback linkrefid="b3"',
                     'action="Set">-25</setvar><displayfeedback linkrefid="b3"')
            .replace("<bbmd_negative_points_ind>N<", "<bbmd_negative_points_ind>Y<", 1))
    setting = ("Blackboard's negative-points setting (bbmd_negative_points_ind 'Y') is not "
               "carried: here the question never scores below 0")
    assert [message for _, _, message in _credit_notes(_partial(text))] == [
        "partial credit: in Blackboard the answers earned 'Helium' 75 %, 'Argon' 25 %, 'Oxygen' "
        "-50 % of the points; here each right pick earns 1/2 of them and each wrong pick costs "
        "1/2 (never below 0)",
        setting,
        "partial credit: in Blackboard 'Venus' earned 50 %, 'Mars' cost 25 % of the points; "
        "here an answer that is not right is worth 0",
    ]


def test_packagers_own_partial_scoring_reads_back_without_a_credit_note() -> None:
    """packager writes `partial` as +100/n per right answer and -100/n per wrong one, which is
    what the bank grades: no note; weighting one right answer otherwise is noted."""
    from packager.model import Bank
    from packager.pipeline import LoadedBank

    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "own", "title": "Own",
        "questions": [{"id": "thirds", "type": "multiple_response", "scoring": "partial",
                       "prompt": "Which are even?",
                       "choices": [{"id": "a", "text": "2", "correct": True},
                                   {"id": "b", "text": "4", "correct": True},
                                   {"id": "c", "text": "6", "correct": True},
                                   {"id": "d", "text": "7"}]}],
    })
    loaded = LoadedBank(bank, Source("own.json", b"", Path(".")), ())
    data = export(loaded, "blackboard", make_ctx(None)).data
    dat = zipfile.ZipFile(io.BytesIO(data)).read("res00001.dat").decode()
    assert _read(dat.encode(), "res00001.dat").notes == []
    weighted = dat.replace(">33.3333<", ">50<", 1)
    assert [n.message for n in _read(weighted.encode(), "res00001.dat").notes] == [
        "partial credit: in Blackboard the answers earned '2' 50 %, '4' 33.3333 %, '6' "
        "33.3333 %, '7' -33.3333 % of the points; here each right pick earns 1/3 of them and "
        "each wrong pick costs 1/3 (never below 0)"]


def test_instructor_notes_of_a_question_other_than_an_essay_are_noted_as_dropped() -> None:
    """An essay keeps them as its rubric; elsewhere they went without a note."""
    text = PARTIAL.read_text(encoding="utf-8").replace(
        "<itemmetadata>", "<itemmetadata><qmd_instructornotes>Check the   noble gases"
        "</qmd_instructornotes>", 1)
    assert [(n.kind, n.message) for n in _partial(text).notes if "instructor" in n.message] == [
        ("dropped", "the instructor notes 'Check the noble gases': only an essay keeps them "
         "(as its rubric for scorers)")]


# --- names the package spells otherwise than its documents (portability review F5) --------


def _sample_package(renamed: dict[str, tuple[str, ...]]) -> bytes:
    """sample-all-types as a Blackboard package, each entry of `renamed` stored under the
    names given instead."""
    data = export(load(bank_path("sample-all-types")), "blackboard",
                  make_ctx(None, skip_unsupported=True)).data
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    for name, names in renamed.items():
        entries.update(dict.fromkeys(names, entries.pop(name)))
    return zip_bytes(entries)


_CHART = "res00001/media/leads-chart.png"


def test_an_image_the_package_spells_otherwise_is_kept_with_a_note() -> None:
    """The image was dropped as "not found in the source"."""
    imported = _read(_sample_package({_CHART: ("res00001/media/Leads-Chart.png",)}))
    assert list(imported.media) == ["media/leads-chart.png"]
    notes = {(n.kind, n.message) for n in imported.notes if "hart" in n.message}
    assert notes == {("changed", "image 'media/leads-chart.png' taken from the package's "
                      "'res00001/media/Leads-Chart.png', whose name differs in letter case")}


def test_an_image_two_entries_may_be_is_dropped_saying_so() -> None:
    imported = _read(_sample_package(
        {_CHART: ("res00001/media/Leads-Chart.png", "res00001/media/LEADS-CHART.png")}))
    assert imported.media == {}
    notes = {(n.kind, n.message) for n in imported.notes if "hart" in n.message}
    assert notes == {("dropped", "image 'media/leads-chart.png' dropped: the package holds no "
                      "file of that name, but 2 whose names differ from it only in letter case "
                      "or in how accents are encoded ('res00001/media/LEADS-CHART.png', "
                      "'res00001/media/Leads-Chart.png'): which is meant cannot be told")}


def test_a_pool_file_the_package_spells_otherwise_is_read_with_a_note() -> None:
    """The import failed: "the manifest lists 'res00001.dat', which is not in the zip"."""
    imported = _read(zip_bytes({"imsmanifest.xml": MANIFEST,
                                "RES00001.dat": PARTIAL.read_bytes()}))
    assert imported.bank.questions
    note = imported.notes[0]
    assert (note.kind, note.location.file, note.message) == (
        "changed", "pool.zip!imsmanifest.xml", "resource 'res00001': 'res00001.dat' taken "
        "from the package's 'RES00001.dat', whose name differs in letter case")


def _pool(*items: str) -> bytes:
    return ("<questestinterop><assessment title='Pool'><section>" + "".join(items)
            + "</section></assessment></questestinterop>").encode()


def _essay(title: str) -> str:
    return (f"<item title='{title}'><itemmetadata><bbmd_questiontype>Essay</bbmd_questiontype>"
            "</itemmetadata><presentation><flow class='Block'><flow class='QUESTION_BLOCK'>"
            "<flow class='FORMATTED_TEXT_BLOCK'><material><mat_extension>"
            "<mat_formattedtext type='HTML'>Why?</mat_formattedtext></mat_extension></material>"
            "</flow></flow></flow></presentation></item>")


# A choice item without its response_lid, whose text refers to an image not in the file.
_BROKEN = ("<item title='bad'><itemmetadata><bbmd_questiontype>Multiple Choice"
           "</bbmd_questiontype></itemmetadata><presentation><flow class='Block'>"
           "<flow class='QUESTION_BLOCK'><flow class='FORMATTED_TEXT_BLOCK'><material>"
           "<mat_extension><mat_formattedtext type='HTML'>&lt;img src=\"missing.png\"&gt; "
           "Which?</mat_formattedtext></mat_extension></material></flow></flow></flow>"
           "</presentation></item>")


@pytest.mark.parametrize(("items", "kept"), [((_essay("ok"), _BROKEN), "ok"),
                                             ((_BROKEN, _essay("later")), "later")])
def test_an_item_left_out_leaves_no_note_on_another_question(
        items: tuple[str, ...], kept: str) -> None:
    """A fuzz run: the notes of a left-out item's texts kept its index, an IndexError when it
    was the last item, else a note on the next question ('later: image … dropped')."""
    result = _read(_pool(*items), "pool.dat")
    assert [q.id for q in result.bank.questions] == [kept]
    assert [(n.question_id, n.message.split(":")[0]) for n in result.notes] == [
        (None, "item left out")]


def test_a_question_block_drawn_from_pools_is_noted() -> None:
    """Import review 32b (A6): a test's question block (10 of 40 pool questions by id) was
    ignored without a word: exit 0 with the other questions, or "no questions found"."""
    block = ("<section><selection_ordering><selection><selection_number>2</selection_number>"
             "<selection_metadata mdoperator='EQ'>_101_1</selection_metadata>"
             "<selection_metadata mdoperator='EQ'>_102_1</selection_metadata>"
             "</selection></selection_ordering></section>")
    data = _item(_CHOICES + "<resprocessing><respcondition><conditionvar><varequal respident='response'>"
                 "A</varequal></conditionvar><setvar>100</setvar></respcondition>"
                 "</resprocessing>").replace(b"</assessment>", block.encode() + b"</assessment>")
    imported = _read(data, "res00001.dat")
    (note,) = [n for n in imported.notes if "question block" in n.message]
    assert note.kind == "dropped" and "2 of 2 pool question(s)" in note.message
