"""The Blackboard pool package against the layout of real Blackboard Learn pool exports.

No XSD exists for the format, so these tests pin the structure that real exports have (Moodle's
fixture question/format/blackboard_six/tests/fixtures/sample_blackboard_qti.dat, and the
per-type table of real Learn pool exports in docs/formats/blackboard.md): manifest resources,
bbmd_questiontype per type, QUESTION_BLOCK/RESPONSE_BLOCK flows, correct/incorrect conditions
and feedback idents, and the explanation in both feedbacks.

The neon-broccoli golden (tests/golden/neon-broccoli/blackboard) was read by eye: the scenario
and prompt are in the QUESTION_BLOCK, the four options are the four response_labels, the key
(the "mission" option) is the varequal of the title="correct" condition, and the full
explanation is the text of both the "correct" and the "incorrect" itemfeedback.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape

import pytest
from lxml import etree

from packager.model import Bank
from packager.pipeline import export
from tests.conftest import make_ctx

BB_NS = "http://www.blackboard.com/content-packaging/"


def _zip(load_bank, name: str) -> zipfile.ZipFile:
    artifact = export(load_bank(name), "blackboard", make_ctx(None, skip_unsupported=True))
    assert artifact.name.endswith(".blackboard.zip")
    return zipfile.ZipFile(io.BytesIO(artifact.data))


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="module")
def sample(load_bank) -> zipfile.ZipFile:
    return _zip(load_bank, "sample-all-types")


@pytest.fixture(scope="module")
def pool(sample) -> etree._Element:
    return _parse(sample.read("res00001.dat"))


def _items(pool: etree._Element) -> dict[str, etree._Element]:
    return {i.get("title"): i for i in pool.iterfind("assessment/section/item")}


def _item(pool: etree._Element, title: str) -> etree._Element:
    return _items(pool)[title]


def _feedback_text(item: etree._Element, ident: str) -> str:
    (fb,) = item.xpath(f"itemfeedback[@ident='{ident}']")
    return "".join(t.text or "" for t in fb.iter("mat_formattedtext"))


def test_package_files_and_manifest(sample) -> None:
    names = set(sample.namelist())
    assert {"imsmanifest.xml", "res00001.dat", "res00002.dat", ".bb-package-info"} <= names
    manifest = _parse(sample.read("imsmanifest.xml"))
    assert manifest.tag == "manifest" and manifest.get("identifier") == "man00001"
    assert manifest.nsmap.get("bb") == BB_NS
    resources = manifest.findall("resources/resource")
    assert [(r.get("identifier"), r.get("type"), r.get(f"{{{BB_NS}}}file")) for r in resources] == [
        ("res00001", "assessment/x-bb-qti-pool", "res00001.dat"),
        ("res00002", "resource/x-mhhe-course-cx", "res00002.dat"),
    ]
    for r in resources:
        assert r.get("{http://www.w3.org/XML/1998/namespace}base") == r.get("identifier")
        assert r.get(f"{{{BB_NS}}}title") == "Café Lumière: a tour of every question type"
    context = _parse(sample.read("res00002.dat"))
    assert context.tag == "parentContextInfo"
    assert context.findtext("parentContextId") == "sample-all-types"
    info = sample.read(".bb-package-info").decode("utf-8")
    assert "cx.package.info.version=6.0" in info.splitlines()


def test_every_xml_part_is_well_formed(sample) -> None:
    for name in sample.namelist():
        if name.endswith((".xml", ".dat")):
            _parse(sample.read(name))


def test_every_referenced_file_is_present(sample, pool) -> None:
    manifest = _parse(sample.read("imsmanifest.xml"))
    names = set(sample.namelist())
    for resource in manifest.iter("resource"):
        assert resource.get(f"{{{BB_NS}}}file") in names
        base = resource.get("{http://www.w3.org/XML/1998/namespace}base")
        for f in resource.iter("file"):
            assert f"{base}/{f.get('href')}" in names
    sources = [
        src
        for text in pool.iter("mat_formattedtext")
        for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', text.text or "")
    ]
    assert sources, "the sample bank has an image"
    for src in sources:
        assert f"res00001/{unescape(src)}" in names  # relative to the pool's xml:base


def test_pool_shape(pool) -> None:
    assert pool.tag == "questestinterop"
    (assessment,) = pool.findall("assessment")
    assert assessment.findtext("assessmentmetadata/bbmd_assessmenttype") == "Pool"
    assert len(assessment.findall("section")) == 1
    for item in assessment.iterfind("section/item"):
        assert item.findtext("itemmetadata/bbmd_asitype") == "Item"
        assert item.findtext("itemmetadata/bbmd_assessmenttype") == "Pool"
        assert re.fullmatch(r"[0-9A-F]{32}", item.findtext("itemmetadata/bbmd_asi_object_id"))
        flows = item.findall("presentation/flow")
        assert [f.get("class") for f in flows] == ["Block"]
        classes = [f.get("class") for f in flows[0].findall("flow")]
        assert classes[:2] == ["QUESTION_BLOCK", "RESPONSE_BLOCK"]
        question = flows[0].find("flow[@class='QUESTION_BLOCK']")
        blocks = [f.get("class") for f in question.findall("flow")]
        assert blocks == ["FORMATTED_TEXT_BLOCK", "FILE_BLOCK", "LINK_BLOCK"]
        text = question.find("flow/material/mat_extension/mat_formattedtext")
        assert text.get("type") == "HTML" and text.text.startswith("<")
        assert item.find("resprocessing").get("scoremodel") == "SumOfScores"
        assert item.find("resprocessing/outcomes/decvar").get("varname") == "SCORE"


def test_question_types(pool) -> None:
    types = {t: i.findtext("itemmetadata/bbmd_questiontype") for t, i in _items(pool).items()}
    assert types == {
        "Best month for leads": "Multiple Choice",
        "True statements about the quarter": "Multiple Answer",
        "espresso-origin": "True/False",
        "barista-word": "Fill in the Blank",
        "conversion-rate": "Numeric",
        "price-range": "Numeric",
        "service-essay": "Essay",
        "match-drinks": "Matching",
        "order-steps": "Ordering",
        "fill-recipe": "Fill in the Blank Plus",
        "code-output": "Multiple Choice",
    }


@pytest.mark.parametrize(
    "title",
    ["Best month for leads", "True statements about the quarter", "espresso-origin",
     "barista-word", "conversion-rate", "service-essay", "match-drinks", "order-steps",
     "fill-recipe", "code-output"],
)
def test_incorrect_condition_and_feedback_idents(pool, title: str) -> None:
    item = _item(pool, title)
    incorrect = item.find("resprocessing/respcondition[@title='incorrect']")
    assert incorrect.find("conditionvar/other") is not None
    assert incorrect.findtext("setvar") == "0.0"
    assert incorrect.find("displayfeedback").get("linkrefid") == "incorrect"
    idents = [fb.get("ident") for fb in item.findall("itemfeedback")]
    assert idents[:2] == ["correct", "incorrect"]
    for fb in item.findall("itemfeedback")[:2]:
        assert fb.get("view") == "All"
        assert fb.find("flow_mat").get("class") == "Block"


def test_explanation_in_both_feedbacks(load_bank, pool) -> None:
    from packager.richtext import render

    bank: Bank = load_bank("sample-all-types").bank
    for q in bank.questions:
        if q.type == "text":
            continue
        item = _item(pool, q.title or q.id)
        explanation = render(q.explanation).xhtml
        assert explanation in _feedback_text(item, "correct"), q.id
        assert explanation in _feedback_text(item, "incorrect"), q.id


def test_neon_broccoli_by_the_real_export_layout(load_bank) -> None:
    package = _zip(load_bank, "neon-broccoli")
    pool = _parse(package.read("res00001.dat"))
    (item,) = pool.iterfind("assessment/section/item")
    question = item.find("presentation/flow/flow[@class='QUESTION_BLOCK']")
    html = question.findtext("flow/material/mat_extension/mat_formattedtext")
    assert html.startswith("<p>Neon Broccoli is a public relations firm")
    assert "How well are their customer-facing departments’ goals" in html
    labels = item.findall(".//response_lid/render_choice/flow_label/response_label")
    assert len(labels) == 4
    key = item.findtext("resprocessing/respcondition[@title='correct']/conditionvar/varequal")
    texts = {
        label.get("ident"): label.findtext("flow_mat/material/mat_extension/mat_formattedtext")
        for label in labels
    }
    assert "support your company’s overall mission" in texts[key]
    for ident in ("correct", "incorrect"):
        text = _feedback_text(item, ident)
        assert text.startswith("<p>The correct answer is It’s hard to know")
        assert text.endswith("driving sustainable growth and success.</p>")


def test_multiple_choice(pool) -> None:
    item = _item(pool, "Best month for leads")
    lid = item.find(".//flow[@class='RESPONSE_BLOCK']/response_lid")
    assert (lid.get("ident"), lid.get("rcardinality")) == ("response", "Single")
    labels = lid.findall("render_choice/flow_label/response_label")
    assert len(labels) == 4
    correct = item.find("resprocessing/respcondition[@title='correct']")
    assert correct.findtext("setvar") == "SCORE.max"
    assert correct.find("displayfeedback").get("linkrefid") == "correct"
    key = correct.findtext("conditionvar/varequal")
    texts = {la.get("ident"): la.findtext(".//mat_formattedtext") for la in labels}
    assert texts[key] == "<p>February</p>"
    # per-answer feedback: an itemfeedback (solution) per choice ident, reached by displayfeedback
    for label in labels:
        ident = label.get("ident")
        assert item.xpath(f"itemfeedback[@ident='{ident}']/solution/solutionmaterial")
        assert item.xpath(f"resprocessing/respcondition/displayfeedback[@linkrefid='{ident}']")
    assert "25 leads, the highest" in _feedback_text(item, key)
    assert "Well read!" in _feedback_text(item, "correct")
    assert "Look at the table again." in _feedback_text(item, "incorrect")


def test_shuffle_and_pinned(pool) -> None:
    shuffled = _item(pool, "code-output").find(".//render_choice")
    assert shuffled.get("shuffle") == "Yes"
    fixed = _item(pool, "Best month for leads").find(".//render_choice")
    assert fixed.get("shuffle") == "No"


def test_multiple_answer(pool) -> None:
    item = _item(pool, "True statements about the quarter")
    assert item.findtext("itemmetadata/bbmd_partialcredit") == "true"
    lid = item.find(".//response_lid")
    assert lid.get("rcardinality") == "Multiple"
    conjunction = item.find("resprocessing/respcondition[@title='correct']/conditionvar/and")
    plain = [v.text for v in conjunction.findall("varequal")]
    negated = [v.text for v in conjunction.findall("not/varequal")]
    assert len(plain) == 2 and len(negated) == 2


def test_true_false(pool) -> None:
    item = _item(pool, "espresso-origin")
    labels = item.findall(".//response_lid/render_choice/flow_label/response_label")
    assert [la.get("ident") for la in labels] == ["true", "false"]
    correct = item.find("resprocessing/respcondition[@title='correct']")
    assert correct.findtext("conditionvar/varequal") == "true"
    assert "<em>caffè espresso</em> is Italian." in _feedback_text(item, "correct")
    assert "pressed-out coffee" in _feedback_text(item, "incorrect")


def test_fill_in_the_blank(pool) -> None:
    item = _item(pool, "barista-word")
    fib = item.find(".//flow[@class='RESPONSE_BLOCK']/response_str/render_fib")
    assert fib.get("fibtype") == "String"
    answers = [c.findtext("conditionvar/varequal") for c in item.findall("resprocessing/respcondition")
               if c.get("title") not in ("correct", "incorrect")]
    assert answers == ["barista", "baristi"]


def test_numeric(pool) -> None:
    item = _item(pool, "conversion-rate")
    fib = item.find(".//flow[@class='RESPONSE_BLOCK']/response_num/render_fib")
    assert fib.get("fibtype") == "Decimal"
    (cond,) = [c for c in item.findall("resprocessing/respcondition") if c.get("title") != "incorrect"]
    assert float(cond.findtext("conditionvar/vargte")) == pytest.approx(13.2)
    assert float(cond.findtext("conditionvar/varlte")) == pytest.approx(13.3)
    assert float(cond.findtext("conditionvar/varequal")) == 13.25
    ranged = _item(pool, "price-range")
    (cond,) = [c for c in ranged.findall("resprocessing/respcondition")
               if c.get("title") != "incorrect"]
    assert (cond.findtext("conditionvar/vargte"), cond.findtext("conditionvar/varlte")) == ("2.5", "3.5")
    assert cond.findtext("conditionvar/varequal") == "3"


def test_essay(pool) -> None:
    item = _item(pool, "service-essay")
    assert item.find(".//flow[@class='RESPONSE_BLOCK']/response_str/render_fib") is not None
    assert "Greet regulars by name" in _feedback_text(item, "solution")
    assert "names a concrete retention practice" in item.findtext("itemmetadata/qmd_instructornotes")


def test_matching(pool) -> None:
    item = _item(pool, "match-drinks")
    block = item.find("presentation/flow")
    pairs = block.findall("flow[@class='RESPONSE_BLOCK']/flow[@class='Block']")
    right = block.findall("flow[@class='RIGHT_MATCH_BLOCK']/flow[@class='Block']")
    answers = [f.findtext(".//mat_formattedtext") for f in right]
    assert answers == ["<p>Steamed milk and foam</p>", "<p>Hot water</p>", "<p>Ice cream</p>",
                       "<p>Orange juice</p>"]
    expected = ["<p>Steamed milk and foam</p>", "<p>Hot water</p>", "<p>Ice cream</p>"]
    for pair, answer in zip(pairs, expected, strict=True):
        lid = pair.find("response_lid")
        labels = [la.get("ident") for la in lid.iterfind("render_choice/flow_label/response_label")]
        assert len(labels) == len(right)
        (cond,) = item.xpath(f"resprocessing/respcondition[conditionvar/varequal/@respident="
                             f"'{lid.get('ident')}']")
        # the label's position among the labels is the answer's position in RIGHT_MATCH_BLOCK
        assert answers[labels.index(cond.findtext("conditionvar/varequal"))] == answer


def test_ordering(pool) -> None:
    item = _item(pool, "order-steps")
    lid = item.find(".//response_lid")
    assert lid.get("rcardinality") == "Ordered"
    labels = {la.get("ident"): la.findtext(".//mat_formattedtext")
              for la in lid.iterfind("render_choice/flow_label/response_label")}
    order = [v.text for v in
             item.findall("resprocessing/respcondition[@title='correct']/conditionvar/and/varequal")]
    assert [labels[i] for i in order] == ["<p>Grind the beans</p>", "<p>Tamp the grounds</p>",
                                          "<p>Lock the portafilter</p>", "<p>Pull the shot</p>"]


def test_fill_in_multiple_blanks(pool) -> None:
    item = _item(pool, "fill-recipe")
    html = item.findtext(".//flow[@class='QUESTION_BLOCK']/flow/material/mat_extension/"
                         "mat_formattedtext")
    assert "[milk]" in html and "[size]" in html and "[[" not in html
    idents = [r.get("ident") for r in item.iterfind(".//flow[@class='RESPONSE_BLOCK']/response_str")]
    assert idents == ["milk", "size"]
    ors = item.findall("resprocessing/respcondition[@title='correct']/conditionvar/and/or")
    assert [[v.text for v in o] for o in ors] == [["steamed", "microfoam"], ["small"]]
    assert all(v.get("respident") == idents[i] for i, o in enumerate(ors) for v in o)


def test_text_items_are_unsupported(load_bank) -> None:
    from packager.errors import UnsupportedError

    with pytest.raises(UnsupportedError, match="welcome"):
        export(load_bank("sample-all-types"), "blackboard", make_ctx(None))


def test_fidelity_report(load_bank) -> None:
    artifact = export(load_bank("sample-all-types"), "blackboard",
                      make_ctx(None, skip_unsupported=True))
    notes = {(n.question_id, n.feature, n.kind) for n in artifact.notes}
    assert ("best-month", "explanation", "changed") in notes
    assert ("welcome", "text", "unsupported") in notes
    assert ("true-statements", "choice_feedback", "dropped") in notes
    assert ("service-essay", "rubric", "changed") in notes


def test_every_explanation_is_reachable_from_the_correct_answers_feedback(load_bank, pool) -> None:
    """Consumers that show an answer's own feedback instead of the question's (Moodle's
    Blackboard import) still show the explanation (issue 16, item 6)."""
    from packager.model import questions as m
    from packager.richtext_plain import plain_text

    bank: Bank = load_bank("sample-all-types").bank
    items = _items(pool)
    checked = 0
    for q in bank.questions:
        if isinstance(q, m.TextItem) or not q.explanation:
            continue
        item = items[q.title or q.id]
        explanation = "".join(plain_text(q.explanation).split())
        correct = [c for c in q.choices if c.correct] if isinstance(q, m.SingleChoice) else []
        idents = {f.get("ident") for f in item.iter("itemfeedback")}
        own = [c for c in correct if c.feedback]
        sources = ["correct"] + [i for i in idents if i not in ("correct", "incorrect")] if own \
            else ["correct"]
        for ident in sources:
            text = "".join(unescape(re.sub(r"<[^>]+>", "", _feedback_text(item, ident))).split())
            assert explanation in text, (q.id, ident)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize(
    ("answer", "written"),
    [
        # value ± tolerance: the bounds in decimal (binary floating point: 3.1420000000000003)
        ({"value": 3.1415, "tolerance": 0.0005}, ("3.141", "3.142", "3.1415")),
        # a range: its key is the decimal midpoint (binary: 3.1414999999999997)
        ({"min": 3.141, "max": 3.142}, ("3.141", "3.142", "3.1415")),
    ],
)
def test_a_numeric_range_is_written_in_decimal(answer: dict[str, float],
                                               written: tuple[str, str, str]) -> None:
    from pathlib import Path

    from packager.pipeline import LoadedBank
    from packager.readers.base import Source

    data = {"format": "packager.question-bank/1", "id": "t", "title": "T",
            "questions": [{"id": "pi", "type": "numeric", "prompt": "Pi to three places?",
                           "answer": answer}]}
    loaded = LoadedBank(Bank.model_validate(data), Source("t.json", b"", Path(".")), ())
    artifact = export(loaded, "blackboard", make_ctx(None))
    (item,) = _parse(zipfile.ZipFile(io.BytesIO(artifact.data)).read("res00001.dat")).iter("item")
    assert tuple(item.findtext(f".//{tag}") for tag in ("vargte", "varlte", "varequal")) == written


@pytest.mark.parametrize(("epoch", "stamp"), [
    (315532800, "#Tue Jan 01 00:00:00 UTC 1980"), (1700000000, "#Tue Nov 14 22:13:20 UTC 2023")])
def test_the_package_date_is_english_whatever_the_c_locale(
        load_bank, monkeypatch: pytest.MonkeyPatch, epoch: int, stamp: str) -> None:
    """Java's Date.toString(): strftime's %a and %b follow LC_TIME, which a program using
    the API may set (simulated: German names); review 29."""
    import time

    from packager.packages import blackboard

    real = time.strftime
    german = {"Tue": "Di", "Jan": "Jan", "Nov": "Nov"}

    def localised(fmt: str, t: time.struct_time) -> str:
        out = real(fmt, t)
        return " ".join(german.get(word, word) for word in out.split(" "))

    monkeypatch.setattr(time, "strftime", localised)
    info = blackboard.package_info(load_bank("neon-broccoli").bank, epoch).decode("utf-8")
    assert info.splitlines()[1] == stamp


def test_only_the_blanks_are_brackets_in_a_fill_in_multiple_blanks_item() -> None:
    """Review 30: the pool marks each blank `[name]` in the question's HTML, and wrote every
    other bracket as it was, so `a[i]` in a code span read as the blank i (packager's reader
    refused the file: the blank appeared twice). Every other bracket is a character
    reference, as in the upload text (bbtext), and the reader takes only `[name]` as written."""
    from pathlib import Path

    from packager.pipeline import LoadedBank
    from packager.readers import blackboard as reader
    from packager.readers.base import Source

    data = {"format": "packager.question-bank/1", "id": "t", "title": "T",
            "stimuli": [{"id": "s", "title": "Lists [1]", "body": "A list `b[0]`."}],
            "questions": [{"id": "q", "type": "fill_in_blanks", "stimulus": "s",
                           "scenario": "See [i] below.",
                           "prompt": "In Python, `a[i]` reads index [[i]].",
                           "blanks": {"i": ["i"]}}]}
    loaded = LoadedBank(Bank.model_validate(data), Source("t.json", b"", Path(".")), ())
    artifact = export(loaded, "blackboard", make_ctx(None))
    (item,) = _parse(zipfile.ZipFile(io.BytesIO(artifact.data)).read("res00001.dat")).iter("item")
    shown = item.findtext(".//mat_formattedtext") or ""
    assert re.findall(r"\[[^\]]*\]", shown) == ["[i]"]
    assert "<code>a&#91;i&#93;</code>" in shown and "Lists &#91;1&#93;" in shown
    (question,) = reader.read(Source("t.zip", artifact.data, Path("."))).bank.questions
    assert question.prompt.endswith("In Python, `a[i]` reads index [[i]].")
    assert question.blanks == {"i": ["i"]}


def test_feedback_of_some_answers_only() -> None:
    """Items are copies of a skeleton per shape, and an answer's feedback is part of the
    shape: two questions of four answers, feedback on different ones, in one pool. Each
    answer with feedback has its displayfeedback and its solution itemfeedback (after the
    item's correct and incorrect, in the order of the answers); the others have neither."""
    from pathlib import Path

    from packager.pipeline import LoadedBank
    from packager.readers.base import Source

    def choices(with_feedback: set[int]) -> list[dict[str, object]]:
        return [{"id": f"c{n}", "text": f"Answer {n}", "correct": n == 1,
                 **({"feedback": f"Because {n}."} if n in with_feedback else {})}
                for n in range(4)]

    shapes = {"a": {1, 3}, "b": {0}, "c": set(), "d": {1, 3}}
    data = {"format": "packager.question-bank/1", "id": "t", "title": "T",
            "questions": [{"id": qid, "type": "single_choice", "prompt": f"Question {qid}?",
                           "explanation": "So it is.", "choices": choices(fed)}
                          for qid, fed in shapes.items()]}
    loaded = LoadedBank(Bank.model_validate(data), Source("t.json", b"", Path(".")), ())
    artifact = export(loaded, "blackboard", make_ctx(None))
    pool = _parse(zipfile.ZipFile(io.BytesIO(artifact.data)).read("res00001.dat"))
    for item in pool.iter("item"):
        fed = shapes[item.get("title")]
        labels = item.findall(".//response_label")
        idents = [label.get("ident") for label in labels]
        assert [fb.get("ident") for fb in item.findall("itemfeedback")] == [
            "correct", "incorrect", *(idents[n] for n in sorted(fed))]
        answers = item.findall("resprocessing/respcondition")[2:]
        shown = [c.find("displayfeedback") for c in answers]
        assert [n for n, d in enumerate(shown) if d is not None] == sorted(fed)
        for n in fed:
            assert shown[n].get("linkrefid") == idents[n]
            assert _feedback_text(item, idents[n]) == f"<p>Because {n}.</p><p>So it is.</p>"
            assert item.xpath(f"itemfeedback[@ident='{idents[n]}']/solution/solutionmaterial")
        assert _feedback_text(item, "correct") == _feedback_text(item, "incorrect") == (
            "<p>So it is.</p>")
