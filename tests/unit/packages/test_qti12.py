"""QTI 1.2, Canvas flavour: the Canvas rules, structurally, and `canvas_problems` on good and
deliberately broken packages.

Goldens reviewed by eye (tests/golden/neon-broccoli/qti12/, tests/golden/sample-all-types/qti12/):
neon-broccoli's one item is a multiple_choice_question worth 1.0 whose mattext holds the full
Neon Broccoli scenario (inside <div class="scenario">) above the prompt, the four options in
authored order as <p> blocks, the scoring condition on the 'mission' option (SCORE Set 100),
and the whole explanation (through "…sustainable growth and success.") in general_fb, shown by
the first, continue="Yes" <other/> condition; the manifest lists the imsqti_xmlv1p2 resource,
its dependency on assessment_meta.xml, and the quiz identifier matches the assessment ident.
sample-all-types: every type but ordering (skipped), the chart as $IMS-CC-FILEBASE$/media/…,
per-choice feedback as <ident>_fb, true/false answers "True"/"False".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager.archive import ZipEntries
from packager.capabilities import Feature
from packager.packages import canvas_rules, qti12
from packager.packages.base import Job, Output
from packager.richtext_plain import plain_text
from packager.writers import qti12_elements, qti12_html, qti12_idents, qti12_items
from packager.xml import ns
from tests.conftest import make_ctx

Q = f"{{{ns.QTI12}}}"
CP = f"{{{ns.CC11_CP}}}"
CANVAS = f"{{{ns.CANVAS}}}"
LoadBank = Callable[[str], Any]
BANKS = ("neon-broccoli", "sample-all-types", "qti12-groups")


# --- helpers -------------------------------------------------------------------------------


def _export(load_bank: LoadBank, name: str) -> dict[str, bytes]:
    from packager.pipeline import export

    artifact = export(load_bank(name), "qti12", make_ctx(None, skip_unsupported=True))
    return dict(ZipEntries(artifact.data))


def _output(load_bank: LoadBank, name: str, xsd: Any = None) -> Output:
    from packager.capabilities import fidelity, unsupported_ids, without_questions
    from packager.checks import bank_media

    loaded = load_bank(name)
    notes = fidelity(loaded.bank, qti12.LOSSES)
    kept = without_questions(loaded.bank, set(unsupported_ids(notes)))
    return qti12.build(Job(kept, bank_media(kept, loaded.base_dir), make_ctx(xsd)))


def _assessment_path(files: dict[str, bytes]) -> str:
    (path,) = [p for p in files if re.fullmatch(r"(g[0-9a-f]+)/\1\.xml", p)]
    return path


def _assessment(files: dict[str, bytes]) -> Any:
    return etree.fromstring(files[_assessment_path(files)])


def _items(files: dict[str, bytes]) -> dict[str, Any]:
    """Items by canonical question id (the item title is the title or the id)."""
    return {i.get("title"): i for i in _assessment(files).iter(f"{Q}item")}


def _item(load_bank: LoadBank, bank: str, qid: str) -> Any:
    loaded = load_bank(bank)
    question = next(q for q in loaded.bank.questions if q.id == qid)
    files = _export(load_bank, bank)
    ident = qti12_idents.item_ident(loaded.bank, question)
    (item,) = [i for i in _assessment(files).iter(f"{Q}item") if i.get("ident") == ident]
    return item


def _fields(item: Any) -> dict[str, str]:
    return {
        f.findtext(f"{Q}fieldlabel"): f.findtext(f"{Q}fieldentry") or ""
        for f in item.iter(f"{Q}qtimetadatafield")
    }


def _question_html(item: Any) -> str:
    text: str = item.find(f"{Q}presentation/{Q}material/{Q}mattext").text
    return text


def _feedback(item: Any) -> dict[str, str]:
    return {f.get("ident"): f.find(f".//{Q}mattext").text for f in item.iter(f"{Q}itemfeedback")}


def _kinds(item: Any) -> list[str]:
    kinds = []
    for condition in item.iter(f"{Q}respcondition"):
        links = [d.get("linkrefid") for d in condition.iter(f"{Q}displayfeedback")]
        if condition.find(f"{Q}setvar") is not None:
            kinds.append("score")
        elif "general_fb" in links:
            kinds.append("general")
        elif "general_incorrect_fb" in links:
            kinds.append("incorrect")
        elif "correct_fb" in links:
            kinds.append("correct")
        elif links:
            kinds.append("answer")
        else:
            kinds.append("other")
    return kinds


def _rewrite(files: dict[str, bytes], path: str, edit: Callable[[Any], None]) -> dict[str, bytes]:
    from packager.xml.serialize import to_bytes

    root = etree.fromstring(files[path])
    edit(root)
    return {**files, path: to_bytes(root)}


# --- the package ---------------------------------------------------------------------------


def test_zip_layout_and_manifest_structure(load_bank: LoadBank) -> None:
    files = _export(load_bank, "sample-all-types")
    bank = load_bank("sample-all-types").bank
    ident = qti12_idents.assessment_ident(bank)
    assert set(files) == {
        "imsmanifest.xml",
        f"{ident}/{ident}.xml",
        f"{ident}/assessment_meta.xml",
        "media/leads-chart.png",
    }
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert manifest.tag == f"{CP}manifest"
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "1.1.3"
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    by_type: dict[str, list[Any]] = {}
    for resource in resources.values():
        by_type.setdefault(resource.get("type", ""), []).append(resource)
    (qti,) = by_type[qti12.QTI_RESOURCE]
    (meta,) = by_type[qti12.META_RESOURCE]
    (media,) = by_type[qti12.WEBCONTENT]
    assert qti.get("identifier") == ident
    assert [f.get("href") for f in qti.iter(f"{CP}file")] == [f"{ident}/{ident}.xml"]
    assert qti.find(f"{CP}dependency").get("identifierref") == meta.get("identifier")
    assert meta.get("href") == f"{ident}/assessment_meta.xml"
    assert media.get("href") == "media/leads-chart.png"
    for resource in resources.values():
        for href in [resource.get("href")] + [f.get("href") for f in resource.iter(f"{CP}file")]:
            assert href is None or href in files, href
    quiz = etree.fromstring(files[f"{ident}/assessment_meta.xml"])
    assert quiz.tag == f"{CANVAS}quiz"
    assert quiz.get("identifier") == ident
    assert _assessment(files).find(f"{Q}assessment").get("ident") == ident


@pytest.mark.parametrize("bank", BANKS)
def test_parts_validate_against_their_xsds(load_bank: LoadBank, xsd_path: Path, bank: str) -> None:
    from packager import xsd

    output = _output(load_bank, bank, xsd_path)
    keys = {path: part.schema for path, part in output.parts.items()}
    assert sorted(k for k in keys.values() if k) == ["canvas", "qti12"]
    assert keys["imsmanifest.xml"] is None  # Canvas's shape, checked structurally above
    for path, part in output.parts.items():
        if part.schema:
            assert xsd.validate_bytes(part.schema, part.data, path, xsd_path) == []
    if bank == "neon-broccoli":
        # The stricter CC 1.1 profile of QTI 1.2.1 accepts a multiple-choice quiz too (it has
        # no numeric ranges or SCORE Add, so Canvas's numerical/matching shapes fall outside).
        path = next(p for p, part in output.parts.items() if part.schema == "qti12")
        assert xsd.validate_bytes("cc11-qti", output.parts[path].data, path, xsd_path) == []


@pytest.mark.parametrize("bank", BANKS)
def test_canvas_problems_accepts_our_exports(load_bank: LoadBank, bank: str) -> None:
    assert canvas_rules.canvas_problems(_export(load_bank, bank)) == []


# --- Canvas rules, structurally ------------------------------------------------------------


@pytest.mark.parametrize("bank", BANKS)
def test_response_idents_fit_canvas_alphabet(load_bank: LoadBank, bank: str) -> None:
    root = _assessment(_export(load_bank, bank))
    idents = [
        e.get("ident")
        for tag in ("response_lid", "response_str", "response_label")
        for e in root.iter(f"{Q}{tag}")
    ]
    assert idents
    for ident in idents:
        assert re.match(r"[A-Za-z]", ident), ident
        for bad in ("correct", "incorrect", "wrong", "general_", "_all", ".", ":"):
            assert bad not in ident.lower(), (ident, bad)


def test_awkward_choice_and_blank_ids_are_not_used_as_idents(load_bank: LoadBank) -> None:
    # The fixture's choices are called correct, incorrect-all, general_x and wrong, and one
    # blank is called 'all' ('response_all' would contain '_all').
    item = _item(load_bank, "qti12-groups", "mc-awkward")
    labels = [label.get("ident") for label in item.iter(f"{Q}response_label")]
    assert len(labels) == 4 and all(canvas_rules.ident_problem(i) is None for i in labels)
    fib = _item(load_bank, "qti12-groups", "fib-all")
    lids = [lid.get("ident") for lid in fib.iter(f"{Q}response_lid")]
    assert lids[1] == "response_city_name"
    assert lids[0] != "response_all" and canvas_rules.ident_problem(lids[0]) is None
    names = [lid.find(f"{Q}material/{Q}mattext").text for lid in fib.iter(f"{Q}response_lid")]
    assert _question_html(fib) == f"<p>[{names[0]}] roads lead to [{names[1]}].</p>"


def test_resprocessing_order(load_bank: LoadBank) -> None:
    item = _item(load_bank, "sample-all-types", "best-month")
    assert _kinds(item) == ["general", "answer", "answer", "answer", "answer", "score", "incorrect"]
    conditions = list(item.iter(f"{Q}respcondition"))
    general, score = conditions[0], conditions[5]
    assert general.get("continue") == "Yes"
    assert general.find(f"{Q}conditionvar/{Q}other") is not None
    assert all(c.get("continue") == "Yes" for c in conditions[1:5])
    setvar = score.find(f"{Q}setvar")
    assert (setvar.get("action"), setvar.get("varname"), setvar.text) == ("Set", "SCORE", "100")
    assert score.find(f"{Q}displayfeedback").get("linkrefid") == "correct_fb"
    # per-choice feedback idents are <choice ident>_fb
    labels = [label.get("ident") for label in item.iter(f"{Q}response_label")]
    assert set(_feedback(item)) == {"general_fb", "correct_fb", "general_incorrect_fb"} | {
        f"{ident}_fb" for ident in labels
    }
    # the key is February
    february = labels[1]
    assert score.find(f"{Q}conditionvar/{Q}varequal").text == february


def test_explanation_is_general_feedback(load_bank: LoadBank) -> None:
    bank = load_bank("neon-broccoli").bank
    (question,) = bank.questions
    (item,) = _items(_export(load_bank, "neon-broccoli")).values()
    feedback = _feedback(item)
    assert set(feedback) == {"general_fb"}
    wrapper = etree.fromstring(f"<div>{feedback['general_fb']}</div>")
    shown = " ".join("".join(str(t) for t in wrapper.itertext()).split())
    assert shown == plain_text(question.explanation)
    assert shown.endswith("sustainable growth and success.")


def test_feedback_and_answers_are_one_block(load_bank: LoadBank) -> None:
    item = _item(load_bank, "qti12-groups", "mc-awkward")
    feedback = _feedback(item)
    assert feedback["general_fb"].startswith("<div><p>An apple")  # two paragraphs, wrapped
    assert feedback["general_incorrect_fb"].startswith("<div><p>Think again.")
    answers = [
        m.text
        for m in item.iter(f"{Q}mattext")
        if m.getparent().getparent().tag == f"{Q}response_label"
    ]
    assert answers[2].startswith("<div><ul>")  # a list answer is wrapped too
    for html_text in [*feedback.values(), *answers]:
        assert canvas_rules.block_problem(html_text) is None, html_text


@pytest.mark.parametrize(
    ("markdown", "wrapped"),
    [
        ("Plain words only.", False),  # a plain paragraph: render() tells it without the engine
        ("One *emphasised* paragraph.", False),
        ("A paragraph.\n\nAnother.", True),
        ("A paragraph.\n\n- then a list", True),
        ("- a list alone", True),
        ("<div>one block of HTML</div>", False),
        ("<div>a block</div>\n\nthen text", True),
        ("$$x^2$$", False),  # display math is one <div class="math">
        ("| a |\n|---|\n| b |", True),
    ],
)
def test_block_html_wraps_all_but_one_p_or_div(markdown: str, wrapped: bool) -> None:
    result = qti12_html.block_html(markdown)
    html = qti12_html.html(markdown)
    assert result == (f"<div>{html}</div>" if wrapped else html)
    assert canvas_rules.block_problem(result) is None


def test_the_writer_keeps_only_texts_whose_images_it_rewrote() -> None:
    """A copy of every rich text kept for the whole build grew a 50,000-question export by
    190 MB and slowed every later batch: only rewritten image sources are worth keeping."""
    qti12_html.IMAGE_HTML.clear()
    texts = [f"Paragraph {n}.\n\nAnother, with a [link](https://example.com/{n})." for n in range(5)]
    for text in texts:
        assert qti12_html.block_html(text).startswith("<div><p>Paragraph")
    assert qti12_html.IMAGE_HTML == {}
    with_image = "See ![a chart](media/chart.png).\n\nThen this."
    first = qti12_html.html(with_image)
    assert 'src="$IMS-CC-FILEBASE$/media/chart.png"' in first
    assert qti12_html.html(with_image) is first  # rewritten once
    assert list(qti12_html.IMAGE_HTML) == [with_image]


def test_a_text_starting_with_a_div_is_parsed_once_however_often_it_occurs() -> None:
    qti12_html._is_one_div.cache_clear()
    stimulus = "$$\\frac{a}{b}$$"  # display math: one <div class="math">
    results = {qti12_html.block_html(stimulus) for _ in range(5)}
    assert len(results) == 1 and next(iter(results)).startswith('<div class="math">')
    info = qti12_html._is_one_div.cache_info()
    assert (info.misses, info.hits) == (1, 4)


def test_points_only_from_points_possible(load_bank: LoadBank) -> None:
    bank = load_bank("sample-all-types").bank
    items = _items(_export(load_bank, "sample-all-types"))
    for question in bank.questions:
        if question.type == "ordering":
            continue
        item = items[question.title or question.id]
        assert float(_fields(item)["points_possible"]) == bank.points_of(question)
    assert _fields(items["Best month for leads"])["points_possible"] == "2.0"


def test_scenario_inside_mattext_above_prompt(load_bank: LoadBank) -> None:
    (item,) = _items(_export(load_bank, "neon-broccoli")).values()
    html_text = _question_html(item)
    scenario = html_text.index("Neon Broccoli is a public relations firm")
    prompt = html_text.index("How well are their customer-facing departments")
    assert html_text.startswith('<div class="scenario">') and scenario < prompt
    # a shared stimulus is repeated inside every question that uses it
    items = _items(_export(load_bank, "sample-all-types"))
    for title in ("Best month for leads", "True statements about the quarter", "conversion-rate"):
        text = _question_html(items[title])
        assert text.index("Café Lumière’s first quarter") < text.index("José Núñez runs")
        assert "<table>" in text.split("</div><p>", 1)[0]


def test_question_type_per_canonical_type(load_bank: LoadBank) -> None:
    bank = load_bank("sample-all-types").bank
    items = _items(_export(load_bank, "sample-all-types"))
    seen = {}
    for question in bank.questions:
        seen[question.type] = _fields(items[question.title or question.id])["question_type"]
    assert seen == {**qti12_items.QUESTION_TYPES, "ordering": "matching_question"}
    for item in items.values():
        fields = _fields(item)
        assert list(fields) == list(qti12_elements.ITEM_FIELDS)
        assert fields["assessment_question_identifierref"]


def test_true_false_has_exactly_true_and_false(load_bank: LoadBank) -> None:
    item = _item(load_bank, "sample-all-types", "espresso-origin")
    labels = list(item.iter(f"{Q}response_label"))
    texts = [label.find(f".//{Q}mattext").text for label in labels]
    assert texts == ["True", "False"]
    score = [c for c in item.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None]
    assert score[0].find(f".//{Q}varequal").text == labels[0].get("ident")  # answer: true


def test_numeric_tolerance_and_range(load_bank: LoadBank) -> None:
    exact = _item(load_bank, "sample-all-types", "conversion-rate")
    var = next(c for c in exact.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None)
    assert [
        (e.tag.split("}")[1], e.text) for e in var.iter(f"{Q}varequal", f"{Q}vargte", f"{Q}varlte")
    ] == [
        ("varequal", "13.25"),
        ("vargte", "13.2"),
        ("varlte", "13.3"),
    ]
    ranged = _item(load_bank, "sample-all-types", "price-range")
    var = next(c for c in ranged.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None)
    assert [e.text for e in var.find(f"{Q}conditionvar")] == ["2.5", "3.5"]
    assert "<p>Unit: €</p>" in _question_html(ranged)


def test_media_rewritten_and_present(load_bank: LoadBank) -> None:
    files = _export(load_bank, "sample-all-types")
    raw = files[_assessment_path(files)].decode()
    assert "<img" not in raw and '&lt;img src="$IMS-CC-FILEBASE$/media/leads-chart.png"' in raw
    html_sources = set(
        re.findall(
            r'src="([^"]*)"', " ".join(m.text or "" for m in _assessment(files).iter(f"{Q}mattext"))
        )
    )
    assert html_sources == {"$IMS-CC-FILEBASE$/media/leads-chart.png"}
    loaded = load_bank("sample-all-types")
    assert (
        files["media/leads-chart.png"] == (loaded.base_dir / "media/leads-chart.png").read_bytes()
    )


def test_pick_sections_become_question_groups(load_bank: LoadBank) -> None:
    bank = load_bank("qti12-groups").bank
    files = _export(load_bank, "qti12-groups")
    root = _assessment(files)
    root_section = root.find(f"{Q}assessment/{Q}section")
    assert root_section.get("ident") == "root_section"
    groups = root_section.findall(f"{Q}section")
    assert [g.get("title") for g in groups] == ["Random pool", "Uneven pool"]
    pool = groups[0]
    assert pool.findtext(f"{Q}selection_ordering/{Q}selection/{Q}selection_number") == "2"
    assert pool.findtext(f".//{Q}selection_extension/{Q}points_per_item") == "2.0"
    assert [i.get("title") for i in pool.findall(f"{Q}item")] == [
        "mc-awkward",
        "mr-strict",
        "sa-case",
    ]
    # the section without pick is flattened into the root section
    assert [i.get("title") for i in root_section.findall(f"{Q}item")] == ["read-me", "tf-plain"]
    # quiz points: 1 (tf) + 2 × 2.0 + 1 × 3.0
    quiz = etree.fromstring(files[f"{qti12_idents.assessment_ident(bank)}/assessment_meta.xml"])
    assert quiz.findtext(f"{CANVAS}points_possible") == "8.0"
    assert quiz.findtext(f"{CANVAS}show_correct_answers") == "false"


def test_ordering_becomes_matching_to_positions(load_bank: LoadBank) -> None:
    """Canvas has no ordering type: the question is a matching question whose items are
    matched to 1st, 2nd … (issue 16), listed in an order that is not the answer's."""
    bank = load_bank("sample-all-types").bank
    (question,) = [q for q in bank.questions if q.type == "ordering"]
    item = _items(_export(load_bank, "sample-all-types"))[question.title or question.id]
    assert _fields(item)["question_type"] == "matching_question"
    lids = list(item.iter(f"{Q}response_lid"))
    shown = [lid.find(f".//{Q}mattext").text for lid in lids]
    assert sorted(shown) == sorted(plain_text(i) for i in question.items)
    assert shown != [plain_text(i) for i in question.items]
    options = [label.find(f".//{Q}mattext").text for label in lids[0].iter(f"{Q}response_label")]
    assert sorted(options) == ["1st", "2nd", "3rd", "4th"][: len(question.items)]
    assert qti12.LOSSES[Feature.ORDERING].kind == "changed"


def test_value_dependent_fidelity_notes(load_bank: LoadBank) -> None:
    notes = qti12.extra_fidelity(load_bank("qti12-groups").bank)
    found = {(n.question_id, n.feature, n.kind) for n in notes}
    assert ("mc-awkward", "shuffle", "changed") in found
    assert ("mr-strict", "scoring", "changed") in found
    assert (None, "section_pick", "changed") in found  # 3 and 4 points in one group
    assert len(notes) == 3


def test_identifiers_are_stable_and_bank_scoped(load_bank: LoadBank) -> None:
    bank = load_bank("neon-broccoli").bank
    (question,) = bank.questions
    assert qti12_idents.item_ident(bank, question) == qti12_idents.item_ident(bank, question)
    other = bank.model_copy(update={"id": "another-bank"})
    assert qti12_idents.item_ident(other, question) != qti12_idents.item_ident(bank, question)
    assert qti12_idents.assessment_ident(other) != qti12_idents.assessment_ident(bank)


# --- canvas_problems catches broken packages -----------------------------------------------


def _first_item(root: Any) -> Any:
    return next(i for i in root.iter(f"{Q}item") if i.get("title") == "Best month for leads")


def _rename_label(root: Any) -> None:
    item = _first_item(root)
    label = item.find(f".//{Q}response_label")
    old = label.get("ident")
    label.set("ident", "correct_answer")
    for element in item.iter(f"{Q}varequal"):
        if element.text == old:
            element.text = "correct_answer"


def _general_last(root: Any) -> None:
    processing = _first_item(root).find(f"{Q}resprocessing")
    general = processing.findall(f"{Q}respcondition")[0]
    processing.append(general)


def _drop_points(root: Any) -> None:
    for field in _first_item(root).iter(f"{Q}qtimetadatafield"):
        if field.findtext(f"{Q}fieldlabel") == "points_possible":
            field.getparent().remove(field)


def _zero_score(root: Any) -> None:
    for setvar in _first_item(root).iter(f"{Q}setvar"):
        setvar.text = "0"


def _unwrapped_feedback(root: Any) -> None:
    feedback = _first_item(root).find(f"{Q}itemfeedback")
    feedback.find(f".//{Q}mattext").text = "<p>One.</p><p>Two.</p>"


def _bad_true_false(root: Any) -> None:
    item = next(i for i in root.iter(f"{Q}item") if i.get("title") == "espresso-origin")
    item.find(f".//{Q}response_label//{Q}mattext").text = "Yes"


def _incorrect_first(root: Any) -> None:
    processing = _first_item(root).find(f"{Q}resprocessing")
    incorrect = processing.findall(f"{Q}respcondition")[-1]
    processing.insert(1, incorrect)


def _missing_feedback(root: Any) -> None:
    item = _first_item(root)
    item.remove(item.findall(f"{Q}itemfeedback")[-1])


def _no_question_type(root: Any) -> None:
    for field in _first_item(root).iter(f"{Q}qtimetadatafield"):
        if field.findtext(f"{Q}fieldlabel") == "question_type":
            field.find(f"{Q}fieldentry").text = "multiple_choice"


BROKEN_ASSESSMENTS: dict[str, tuple[Callable[[Any], None], str]] = {
    "ident alphabet": (_rename_label, "answer ident 'correct_answer' contains 'correct'"),
    "general feedback not first": (_general_last, "general_fb condition must come first"),
    "no points_possible": (_drop_points, "no points_possible"),
    "no positive SCORE": (_zero_score, "no condition sets a positive SCORE"),
    "feedback not one block": (_unwrapped_feedback, "is not wrapped in one <p> or <div>"),
    "true/false texts": (_bad_true_false, "exactly two answers 'True' and 'False'"),
    "incorrect before scoring": (_incorrect_first, "general_incorrect_fb condition comes before"),
    "displayed feedback missing": (_missing_feedback, "'general_incorrect_fb' has no itemfeedback"),
    "unknown question type": (_no_question_type, "is not a Canvas question type"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_ASSESSMENTS))
def test_canvas_problems_catches_broken_assessment(load_bank: LoadBank, case: str) -> None:
    edit, expected = BROKEN_ASSESSMENTS[case]
    files = _export(load_bank, "sample-all-types")
    path = _assessment_path(files)
    problems = canvas_rules.canvas_problems(_rewrite(files, path, edit))
    assert any(expected in p for p in problems), problems
    bank = load_bank("sample-all-types").bank
    qid = "espresso-origin" if case == "true/false texts" else "best-month"
    ident = qti12_idents.item_ident(bank, next(q for q in bank.questions if q.id == qid))
    # each message names the file and the item ident
    assert all(p.startswith(f"{path}: item '{ident}': ") for p in problems), problems


def _blanks_question_text(root: Any, change: Callable[[str], str]) -> None:
    item = next(i for i in root.iter(f"{Q}item") if "[milk]" in "".join(i.itertext()))
    mattext = item.find(f"{Q}presentation/{Q}material/{Q}mattext")
    mattext.text = change(mattext.text)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda html: html.replace("[milk]", "&#91;milk&#93; [milk]"),
     "[milk] stands 2 times in the question text (Canvas puts the blank's box at the first)"),
    (lambda html: html.replace("[size]", "size"),
     "blank 'size' has no [size] in the question text (Canvas shows no box for it)"),
])
def test_canvas_problems_finds_a_blank_canvas_would_misplace(
    load_bank: LoadBank, change: Callable[[str], str], expected: str
) -> None:
    """Review 31: Canvas's import writes character references as characters, then puts each
    blank's box at the first `[name]` of the question's HTML."""
    files = _export(load_bank, "sample-all-types")
    path = _assessment_path(files)
    assert canvas_rules.canvas_problems(files) == []
    edited = _rewrite(files, path, lambda root: _blanks_question_text(root, change))
    (problem,) = canvas_rules.canvas_problems(edited)
    assert problem.endswith(expected), problem


def test_canvas_problems_catches_broken_manifest_and_meta(load_bank: LoadBank) -> None:
    files = _export(load_bank, "sample-all-types")
    ident = qti12_idents.assessment_ident(load_bank("sample-all-types").bank)
    meta_path = f"{ident}/assessment_meta.xml"

    without_media = {k: v for k, v in files.items() if k != "media/leads-chart.png"}
    problems = canvas_rules.canvas_problems(without_media)
    assert any("'media/leads-chart.png', which is not in the package" in p for p in problems)
    assert any("$IMS-CC-FILEBASE$/media/leads-chart.png names a file" in p for p in problems)

    renamed = _rewrite(files, meta_path, lambda quiz: quiz.set("identifier", "g0"))
    assert any(
        p.startswith(f"{meta_path}: quiz identifier 'g0' differs")
        for p in canvas_rules.canvas_problems(renamed)
    )

    without_meta = {k: v for k, v in files.items() if k != meta_path}
    assert any(
        p.startswith(f"{meta_path}: missing") for p in canvas_rules.canvas_problems(without_meta)
    )

    def drop_dependency(manifest: Any) -> None:
        for dependency in list(manifest.iter(f"{CP}dependency")):
            dependency.getparent().remove(dependency)

    no_dep = _rewrite(files, "imsmanifest.xml", drop_dependency)
    assert any("has no dependency on a" in p for p in canvas_rules.canvas_problems(no_dep))

    def wrong_ident(root: Any) -> None:
        root.find(f"{Q}assessment").set("ident", "other")

    mismatched = _rewrite(files, _assessment_path(files), wrong_ident)
    assert any(
        "assessment ident 'other' differs" in p for p in canvas_rules.canvas_problems(mismatched)
    )

    assert canvas_rules.canvas_problems({}) == ["imsmanifest.xml: missing from the package"]


def _entries(files: dict[str, bytes]) -> Any:
    """The files zipped and read back as ZipEntries, as an export checks its package."""
    from packager.archive import ZipEntries, ZipWriter

    zipped = ZipWriter((2020, 1, 1, 0, 0, 0))
    for name, data in files.items():
        zipped.write(name, data)
    return ZipEntries(zipped.close())


def test_canvas_problems_of_a_zip_read_as_a_stream(load_bank: LoadBank) -> None:
    """Exports check their zip through ZipEntries (the assessment streamed, never whole): the
    same messages, in the same order, as for the unzipped files."""
    files = _export(load_bank, "sample-all-types")
    path = _assessment_path(files)

    def broken(root: Any) -> None:
        _zero_score(root)
        _unwrapped_feedback(root)
        items = list(root.iter(f"{Q}item"))
        items[-1].addnext(etree.fromstring(etree.tostring(items[0])))  # an item twice
        root.find(f".//{Q}mattext").text = '<img src="$IMS-CC-FILEBASE$/media/gone.png"/>'

    edited = _rewrite(files, path, broken)
    problems = canvas_rules.canvas_problems(edited)
    assert canvas_rules.canvas_problems(_entries(edited)) == problems
    for expected in ("appears twice", "positive SCORE", "one <p> or <div>", "media/gone.png"):
        assert any(expected in p for p in problems), (expected, problems)


def test_canvas_problems_of_a_broken_assessment_is_the_syntax_error_alone(
    load_bank: LoadBank,
) -> None:
    files = _export(load_bank, "sample-all-types")
    path = _assessment_path(files)
    edited = _rewrite(files, path, _zero_score)  # an item problem before the break
    cut = {**edited, path: edited[path][: len(edited[path]) * 3 // 4]}
    for package in (cut, _entries(cut)):
        problems = [p for p in canvas_rules.canvas_problems(package) if p.startswith(path)]
        assert len(problems) == 1 and problems[0].startswith(f"{path}: not well-formed XML"), (
            problems
        )


def test_ident_and_block_rules() -> None:
    assert canvas_rules.ident_problem("a1b2") is None
    assert canvas_rules.ident_problem("6870") is None  # Canvas's own numeric answer ids
    assert canvas_rules.ident_problem("1abc") == "does not start with a letter"
    for bad in ("response_all", "a.b", "x:y", "IncorrectOne", "wrong1", "general_x"):
        assert canvas_rules.ident_problem(bad) is not None, bad
    assert canvas_rules.block_problem("<p>one</p>") is None
    assert canvas_rules.block_problem("<div><p>a</p><p>b</p></div>") is None
    assert canvas_rules.block_problem("plain words") is not None
    assert canvas_rules.block_problem("<ul><li>x</li></ul>") is not None
    assert qti12_idents.ident_problem(qti12_idents.safe_ident("a", "correct", "incorrect")) is None


@pytest.mark.parametrize(
    ("html_text", "expected"),
    [
        ("<div><p>a</p></div>\n", None),
        ("<p>a</p><!-- note -->", None),  # a comment is not a block
        ("<html><body><p>x</p></body></html>", None),  # a whole document: its body
        ("<!DOCTYPE html><p>x</p>", None),
        ("<p>a</p> and more", "has text outside a <p> or <div>"),
        ("lead <p>a</p>", "has text outside a <p> or <div>"),
        ("<p>a</p><p>b</p>", "is not wrapped in one <p> or <div>"),
        ("<span>x</span>", "is not wrapped in one <p> or <div>"),
        # lxml.html asserted on these (an internal error of `packager check`); Canvas's
        # parser would see a second block, or none.
        ("<p>a</p></body><body><p>b</p>", "is not wrapped in one <p> or <div>"),
        ("<html><head><title>x</title></head></html>", "is not wrapped in one <p> or <div>"),
    ],
)
def test_block_rule_reads_html_as_lxml_html_fragments_do(
    html_text: str, expected: str | None
) -> None:
    found = canvas_rules.block_problem(html_text)
    assert found == expected if expected is None else (found or "").startswith(expected)


@pytest.mark.parametrize("value", [
    1e-300, 6.6e-34, 1e-5, 13.2, 0.1, 1e15, -1e15, 123456789.123,
    # Sixteen and seventeen significant digits: rounding them to fifteen changed the key.
    123456789012345.6, 0.1234567890123456, 2 / 3, -999999999999999.9,
])
def test_numbers_are_positional_and_never_rounded_away(value: float) -> None:
    text = qti12_elements.number(value)
    assert "e" not in text.lower()
    assert float(text) == value


def test_points_drop_the_noise_of_a_sum() -> None:
    """A quiz's total is a sum of points: written in full it was 0.30000000000000004."""
    assert qti12_elements.points(0.1 + 0.2) == "0.3"
    assert qti12_elements.points(2) == "2.0"
    assert qti12_elements.points(1 / 3) == "0.333333333333333"


def test_a_numeric_key_of_sixteen_digits_is_written_as_it_is(xsd_path: Path) -> None:
    """An exact answer of 123456789012345.6 was written 123456789012346 (and its bounds so),
    so Canvas marked the key itself wrong; a tolerance of 0.01 on 999999999999999.9 became
    the bounds 1000000000000000..1000000000000000, which leave the key out."""
    from packager.model import Bank
    from packager.pipeline import LoadedBank, export
    from packager.readers.base import Source

    def numeric(id_: str, value: float, tolerance: float) -> dict[str, Any]:
        return {"id": id_, "type": "numeric", "prompt": "How much?", "explanation": "So.",
                "answer": {"value": value, "tolerance": tolerance}}

    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "digits", "title": "Digits",
        "language": "en", "version": "1.0.0",
        "questions": [numeric("long", 123456789012345.6, 0),
                      numeric("near", 999999999999999.9, 0.01)],
    })
    loaded = LoadedBank(bank, Source("digits.json", b"", Path(".")), ())
    items = _items(dict(ZipEntries(export(loaded, "qti12", make_ctx(xsd_path)).data)))

    def key_and_bounds(item: Any) -> list[float]:
        var = next(c for c in item.iter(f"{Q}respcondition") if c.find(f"{Q}setvar") is not None)
        return [float(e.text) for e in var.iter(f"{Q}varequal", f"{Q}vargte", f"{Q}varlte")]

    assert key_and_bounds(items["long"]) == [123456789012345.6] * 3
    key, low, high = key_and_bounds(items["near"])
    assert key == 999999999999999.9 and low <= key <= high


def test_only_the_blanks_are_brackets_in_a_blanks_question() -> None:
    """Review 30: Canvas puts a blank's box where `[name]` first stands in the question's HTML
    (quiz.rb: text.sub), so `a[i]` in a code span before the blank [i] got the box, and the
    blank stayed text. Review 31: Canvas's import re-serialises the HTML (Nokogiri), which
    writes the character references of other brackets back as `[`: a blank whose `[name]`
    stands in the question's own text gets another name."""
    import html
    import re
    from pathlib import Path

    from packager.model import Bank
    from packager.pipeline import LoadedBank, export
    from packager.readers import qti12 as qti12_reader
    from packager.readers.base import Source

    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B",
        "questions": [{"id": "q", "type": "fill_in_blanks", "scenario": "See [i] below.",
                       "prompt": "In Python, `a[i]` reads index [[i]] of [[k]].",
                       "blanks": {"i": ["i"], "k": ["a"]}}]})
    data = export(LoadedBank(bank, Source("b.json", b"", Path(".")), ()), "qti12",
                  make_ctx()).data
    entries = ZipEntries(data)
    (item,) = _items({name: entries[name] for name in entries}).values()
    shown = _question_html(item)
    assert "<code>a&#91;i&#93;</code>" in shown and "See &#91;i&#93; below." in shown
    stored = html.unescape(shown)  # what Canvas keeps after its import
    name_i, name_k = (lid.get("ident").removeprefix("response_")
                      for lid in item.iter("{*}response_lid"))
    assert name_i != "i" and name_k == "k"
    for name in (name_i, name_k):  # Canvas's text.sub puts each box at its blank
        boxed = re.sub(rf"\[{name}\]", "<input/>", stored, count=1)
        assert boxed.index("<input/>") > boxed.index("reads index")
    imported = qti12_reader.read(Source("b.zip", data, Path(".")))
    (question,) = imported.bank.questions
    assert question.prompt == f"In Python, `a[i]` reads index [[{name_i}]] of [[k]]."
    assert question.scenario == "See \\[i\\] below."
