"""Scoring and structure tests shared by the QTI 2.1 and QTI 3.0 targets.

Every test here runs once per version through the parametrized `packages` fixture;
test_qti21.py and test_qti30.py hold what is specific to one version and reuse the helpers.
The response processing is run by tests/qti_eval.py.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from packager.model import questions as m
from tests.qti_eval import (
    Item,
    attr,
    children,
    items_by_question,
    local,
    package_parts,
    parse,
    run_test,
    wrong_responses,
)

BANKS = ("neon-broccoli", "sample-all-types", "qti2-edge-cases")


def build_packages(target: str, load_bank) -> dict[str, dict[str, bytes]]:
    """Every test bank built for `target`: the `packages` fixture of the test modules."""
    return {name: package_parts(target, load_bank(name)) for name in BANKS}


@pytest.fixture(scope="module", params=["qti21", "qti30"])
def packages(request, load_bank) -> dict[str, dict[str, bytes]]:
    return build_packages(request.param, load_bank)


def _items(packages, bank: str) -> dict[str, Item]:
    return items_by_question(packages[bank])


@pytest.mark.parametrize("bank_name", BANKS)
def test_every_item_scores_points_when_right_and_zero_when_wrong(
    packages, load_bank, bank_name
) -> None:
    """Response processing run on the declared correct response and on a wrong one."""
    bank = load_bank(bank_name).bank
    checked = check_scoring(bank, _items(packages, bank_name))
    assert checked >= 1


def check_generated_bank(target: str, bank) -> None:
    """The scoring check on a generated bank (the hypothesis property of each test module)."""
    from pathlib import Path

    from packager.pipeline import LoadedBank
    from packager.readers.base import Source

    loaded = LoadedBank(bank, Source(f"{bank.id}.json", b"", Path(__file__).parent), ())
    check_scoring(bank, items_by_question(package_parts(target, loaded)))


def check_scoring(bank, items: dict[str, Item]) -> int:
    """Every scored, machine-marked item: full points when right, 0 when wrong or empty, and
    the explanation shown each time. Returns how many items were checked."""
    checked = 0
    for q in bank.questions:
        item = items[q.id]
        if isinstance(q, m.TextItem | m.Essay):
            continue
        points = bank.points_of(q)
        right = item.run(item.correct_responses())
        assert right.score == pytest.approx(points, abs=1e-12), q.id
        assert right.score == points, f"{q.id}: full score must be exactly the points"
        wrong = item.run(wrong_responses(item))
        assert wrong.score == 0, q.id
        empty = item.run({})
        assert empty.score == 0, f"{q.id}: no answer must score 0"
        if q.explanation:
            for result in (right, wrong, empty):
                assert "EXPLANATION" in result.feedback, q.id
        assert item.outcomes["MAXSCORE"].default == points
        checked += 1
    assert checked == sum(not isinstance(q, m.TextItem | m.Essay) for q in bank.questions)
    return checked


def test_partial_credit_is_exact(packages) -> None:
    """Canonical rule: +points/#correct per correct pick, −points/#correct per wrong, floor 0."""
    sample = _items(packages, "sample-all-types")["true-statements"]  # 2 points, 2 of 4 right
    cases = {
        ("c-total-53",): 1.0,
        ("c-total-53", "c-march-lowest"): 0.0,
        ("c-total-53", "c-conversion-quarter", "c-march-lowest"): 1.0,
        ("c-total-53", "c-conversion-quarter", "c-march-lowest", "c-no-contracts"): 0.0,
        ("c-march-lowest", "c-no-contracts"): 0.0,
        ("c-total-53", "c-conversion-quarter"): 2.0,
    }
    for picks, expected in cases.items():
        assert sample.run({"RESPONSE": list(picks)}).score == expected, picks
    thirds = _items(packages, "qti2-edge-cases")["thirds"]  # 1 point, 3 of 5 right
    assert thirds.run({"RESPONSE": ["c-two"]}).score == pytest.approx(1 / 3)
    assert thirds.run({"RESPONSE": ["c-two", "c-five"]}).score == pytest.approx(2 / 3)
    assert thirds.run({"RESPONSE": ["c-two", "c-five", "c-four"]}).score == pytest.approx(1 / 3)
    assert thirds.run({"RESPONSE": ["c-two", "c-three", "c-five"]}).score == 1
    assert thirds.run({"RESPONSE": ["c-two", "c-three", "c-five", "c-none"]}).score == (
        pytest.approx(2 / 3)
    )
    sevenths = _items(packages, "qti2-edge-cases")["sevenths"]  # 3 points, 7 of 8 right
    days = ["c-mon", "c-tue", "c-wed", "c-thu", "c-fri", "c-sat", "c-sun"]
    assert sevenths.run({"RESPONSE": days}).score == 3  # exactly, not 2.9999999999999996
    assert sevenths.run({"RESPONSE": days[:6]}).score == pytest.approx(18 / 7)
    assert sevenths.run({"RESPONSE": [*days, "c-moon"]}).score == pytest.approx(18 / 7)
    assert sevenths.run({"RESPONSE": ["c-mon", "c-moon"]}).score == 0


def test_all_or_nothing_gives_nothing_for_a_partial_set(packages) -> None:
    item = _items(packages, "qti2-edge-cases")["all-or-nothing-2"]
    assert item.run({"RESPONSE": ["c-a2"]}).score == 0
    assert item.run({"RESPONSE": ["c-a2", "c-a4", "c-a3"]}).score == 0
    assert item.run({"RESPONSE": ["c-a4", "c-a2"]}).score == 2


def test_numeric_tolerance_and_range_edges(packages) -> None:
    sample = _items(packages, "sample-all-types")
    rate = sample["conversion-rate"]  # 13.25 ± 0.05
    for value, expected in [(13.2, 1), (13.3, 1), (13.25, 1), (13.19, 0), (13.31, 0)]:
        assert rate.run({"RESPONSE": value}).score == expected, value
    price = sample["price-range"]  # 2.5 … 3.5
    for value, expected in [(2.5, 1), (3.5, 1), (3.0, 1), (2.49, 0), (3.51, 0)]:
        assert price.run({"RESPONSE": value}).score == expected, value
    edge = _items(packages, "qti2-edge-cases")
    exact = edge["exact-negative"]  # exactly -2.5, 2 points
    assert exact.run({"RESPONSE": -2.5}).score == 2
    assert exact.run({"RESPONSE": -2.49}).score == 0
    assert exact.run({"RESPONSE": 2.5}).score == 0
    whole = edge["range-int"]
    for value, expected in [(10.0, 1), (20.0, 1), (9.999, 0), (20.001, 0)]:
        assert whole.run({"RESPONSE": value}).score == expected, value


def test_text_answers_follow_case_rules(packages) -> None:
    barista = _items(packages, "sample-all-types")["barista-word"]
    for answer in ("barista", "BARISTA", "Baristi"):
        assert barista.run({"RESPONSE": answer}).score == 1, answer
    assert barista.run({"RESPONSE": "bartender"}).score == 0
    edge = _items(packages, "qti2-edge-cases")
    sodium = edge["case-sensitive"]
    assert sodium.run({"RESPONSE": "Na"}).score == 1
    assert sodium.run({"RESPONSE": "NA"}).score == 0  # case-sensitive answer
    assert sodium.run({"RESPONSE": "NATRIUM"}).score == 1  # case-insensitive answer
    blank = edge["blank-cs"]
    assert blank.run({"RESPONSE-city": "Paris"}).score == 2
    assert blank.run({"RESPONSE-city": "paris"}).score == 0
    recipe = _items(packages, "sample-all-types")["fill-recipe"]
    assert recipe.run({"RESPONSE-milk": "Microfoam", "RESPONSE-size": "small"}).score == 1
    # Each blank right earns its share, as in the player, QTI 1.2 and Moodle (review 29).
    assert recipe.run({"RESPONSE-milk": "steamed"}).score == 0.5  # one blank left empty
    assert recipe.run({"RESPONSE-milk": "steamed", "RESPONSE-size": "large"}).score == 0.5
    assert recipe.run({"RESPONSE-milk": "cold", "RESPONSE-size": "large"}).score == 0
    assert recipe.run({}).score == 0


def test_matching_and_ordering(packages) -> None:
    drinks = _items(packages, "sample-all-types")["match-drinks"]
    right = drinks.correct_responses()["RESPONSE"]
    assert len(right) == 3
    # Each pair right earns its share, as in the player, QTI 1.2 and Moodle (review 29).
    assert drinks.run({"RESPONSE": right[:2]}).score == pytest.approx(2 / 3)
    assert drinks.run({"RESPONSE": right[:1]}).score == pytest.approx(1 / 3)
    wrong = [(right[0][0], right[1][1]), (right[1][0], right[0][1]), right[2]]
    assert drinks.run({"RESPONSE": wrong}).score == pytest.approx(1 / 3)
    assert drinks.run({"RESPONSE": []}).score == 0
    assert drinks.run({"RESPONSE": list(reversed(right))}).score == 1  # a set, order-free
    repeat = _items(packages, "qti2-edge-cases")["match-repeat"]
    targets = [
        attr(e, "matchMax")
        for e in repeat.root.iter()
        if isinstance(e.tag, str) and local(e) == "simpleAssociableChoice"
    ]
    assert targets.count("2") == 1  # "Mammal" is the match of two prompts
    assert len(targets) == 3 + 4  # three prompts; Mammal, Bird and two distractors
    order = _items(packages, "qti2-edge-cases")["order-4"]
    key = order.correct_responses()["RESPONSE"]
    assert order.run({"RESPONSE": key}).score == 4
    swapped = [key[1], key[0], *key[2:]]
    assert order.run({"RESPONSE": swapped}).score == 0


def test_feedback_outcomes(packages) -> None:
    sample = _items(packages, "sample-all-types")
    best = sample["best-month"]
    wrong = best.run({"RESPONSE": "c-january"})
    assert wrong.score == 0
    assert wrong.feedback == ["FB-c-january", "INCORRECT", "EXPLANATION"]
    right = best.run({"RESPONSE": "c-february"})
    assert right.score == 2
    assert right.feedback == ["FB-c-february", "CORRECT", "EXPLANATION"]
    espresso = sample["espresso-origin"]
    assert espresso.run({"RESPONSE": "false"}).feedback == ["FB-false", "EXPLANATION"]
    assert espresso.run({"RESPONSE": "true"}).feedback == ["FB-true", "EXPLANATION"]
    statements = sample["true-statements"]
    picked = statements.run({"RESPONSE": ["c-total-53", "c-march-lowest"]})
    assert picked.feedback == ["FB-c-march-lowest", "EXPLANATION"]
    edge = _items(packages, "qti2-edge-cases")
    only_correct = edge["single-correct-fb"]
    assert only_correct.run({"RESPONSE": "c-red"}).feedback == ["CORRECT", "EXPLANATION"]
    assert only_correct.run({"RESPONSE": "c-loud"}).feedback == ["EXPLANATION"]
    sodium = edge["case-sensitive"]
    assert sodium.run({"RESPONSE": "na"}).feedback == ["INCORRECT", "EXPLANATION"]


def test_templates_wherever_they_express_the_scoring(packages) -> None:
    """match_correct for 1-point all-or-nothing items and map_response for mapped scoring,
    unless feedback must be set; explicit rules otherwise."""
    expected = {
        ("neon-broccoli", "department-goals-scale"): "match_correct",
        ("sample-all-types", "code-output"): "match_correct",
        ("sample-all-types", "match-drinks"): None,  # a share per pair
        ("sample-all-types", "order-steps"): "match_correct",
        ("sample-all-types", "barista-word"): "map_response",
        ("qti2-edge-cases", "single-3"): "map_response",
        ("qti2-edge-cases", "tf-false-2"): "map_response",
        ("sample-all-types", "best-month"): None,  # per-choice feedback
        ("sample-all-types", "true-statements"): None,  # partial credit
        ("sample-all-types", "conversion-rate"): None,  # tolerance
        ("qti2-edge-cases", "all-or-nothing-2"): None,  # 2 points
    }
    for (bank, qid), template in expected.items():
        item = _items(packages, bank)[qid]
        found = item.template
        if template is None:
            assert found is None and item.processing is not None, qid
        else:
            assert found is not None and found.removesuffix(".xml").endswith(template), qid
            assert not children(item.processing), qid


def test_essay_is_scored_by_a_person(packages, load_bank) -> None:
    essay = _items(packages, "sample-all-types")["service-essay"]
    assert essay.processing is None
    result = essay.run({"RESPONSE": "We greet regulars by name."})
    assert result.score == 0
    assert result.feedback == ["EXPLANATION"]
    assert essay.outcomes["MAXSCORE"].default == 5
    rubrics = [e for e in essay.root.iter() if isinstance(e.tag, str) and local(e) == "rubricBlock"]
    assert len(rubrics) == 1 and rubrics[0].get("view") == "scorer"
    text = "".join(rubrics[0].itertext())
    assert "names a concrete retention practice" in text
    assert "Greet regulars by name" in text  # the sample answer


def test_text_item_has_no_interaction_and_no_score(packages) -> None:
    welcome = _items(packages, "sample-all-types")["welcome"]
    assert welcome.responses == {} and welcome.outcomes == {} and welcome.processing is None
    assert "Welcome to the Café Lumière quiz" in "".join(welcome.root.itertext())


def test_identifiers_are_derived_from_bank_and_question_ids(packages, load_bank) -> None:
    bank = load_bank("sample-all-types").bank
    items = _items(packages, "sample-all-types")
    for q in bank.questions:
        assert items[q.id].root.get("identifier") == f"{bank.id}_{q.id}"


def test_test_outcome_processing_sums_and_passes(packages, load_bank) -> None:
    parts = packages["sample-all-types"]
    bank = load_bank("sample-all-types").bank
    items = items_by_question(parts)
    test = parse(parts["sample-all-types.xml"])
    refs = [e for e in test.iter() if isinstance(e.tag, str) and local(e) == "assessmentItemRef"]
    assert [e.get("identifier") for e in refs] == [f"{bank.id}_{q.id}" for q in bank.questions]
    all_right = {
        f"{bank.id}_{qid}": item.run(item.correct_responses()).outcomes
        for qid, item in items.items()
    }
    outcome = run_test(test, all_right)
    total = sum(bank.points_of(q) for q in bank.questions)
    assert outcome["MAXSCORE"] == total == 17
    assert outcome["SCORE"] == total - 5  # the essay waits for its scorer
    assert outcome["PASS"] is True
    all_wrong = {
        f"{bank.id}_{qid}": item.run(wrong_responses(item)).outcomes for qid, item in items.items()
    }
    outcome = run_test(test, all_wrong)
    assert outcome["SCORE"] == 0 and outcome["PASS"] is False


def test_sections_mirror_the_bank_with_selection(packages) -> None:
    test = parse(packages["qti2-edge-cases"]["qti2-edge-cases.xml"])
    sections = [
        e for e in test.iter() if isinstance(e.tag, str) and local(e) == "assessmentSection"
    ]
    assert [s.get("identifier") for s in sections] == ["section-choices", "section-open"]
    selections = [
        (s.get("identifier"), [c.get("select") for c in children(s) if local(c) == "selection"])
        for s in sections
    ]
    assert selections == [("section-choices", []), ("section-open", ["3"])]
    part = next(e for e in test.iter() if isinstance(e.tag, str) and local(e) == "testPart")
    assert attr(part, "submissionMode") == "individual"  # show_feedback: immediately
    implicit = parse(packages["neon-broccoli"]["neon-broccoli.xml"])
    (only,) = [
        e for e in implicit.iter() if isinstance(e.tag, str) and local(e) == "assessmentSection"
    ]
    assert only.get("title") == "Neon Broccoli: goals that support scale"


def test_manifest_lists_every_file_and_resolves_every_reference(packages) -> None:
    for bank_name, parts in packages.items():
        manifest = parse(parts["imsmanifest.xml"])
        resources = [
            e for e in manifest.iter() if isinstance(e.tag, str) and etree_local(e) == "resource"
        ]
        ids = {r.get("identifier") for r in resources}
        listed: set[str] = set()
        for resource in resources:
            files = [c.get("href") for c in resource if etree_local(c) == "file"]
            assert resource.get("href") in files
            listed.update(f for f in files if f)
            for dependency in (c for c in resource if etree_local(c) == "dependency"):
                assert dependency.get("identifierref") in ids
        assert listed == set(parts) - {"imsmanifest.xml"}, bank_name
        by_href = {r.get("href"): r for r in resources}
        for path, data in parts.items():
            if not path.endswith(".xml") or path == "imsmanifest.xml":
                continue
            root = parse(data)
            images = [
                e.get("src")
                for e in root.iter()
                if isinstance(e.tag, str) and etree_local(e) == "img"
            ]
            resource = by_href[path]
            files = {c.get("href") for c in resource if etree_local(c) == "file"}
            depends = {c.get("identifierref") for c in resource if etree_local(c) == "dependency"}
            for src in images:
                assert src is not None and not src.startswith(("/", "http"))
                packaged = str(PurePosixPath(path).parent / src)
                packaged = _normalise(packaged)
                assert packaged in parts, f"{path}: image {src} is not in the package"
                assert packaged in files, f"{path}: no file entry for {packaged}"
                media = by_href[packaged].get("identifier")
                assert media in depends, f"{path}: no dependency on {packaged}"


def etree_local(element) -> str:
    from lxml import etree

    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _normalise(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def test_media_is_copied(packages) -> None:
    parts = packages["sample-all-types"]
    assert parts["media/leads-chart.png"].startswith(b"\x89PNG")


def test_mathml_stays_mathml(packages) -> None:
    data = packages["sample-all-types"]["items/conversion-rate.xml"]
    root = parse(data)
    maths = [e for e in root.iter() if isinstance(e.tag, str) and etree_local(e) == "math"]
    assert maths and all(e.tag.startswith("{http://www.w3.org/1998/Math/MathML}") for e in maths)
    paragraphs = [e for e in root.iter() if isinstance(e.tag, str) and etree_local(e) == "p"]
    assert all(e.tag.startswith(f"{{{root.nsmap[None]}}}") for e in paragraphs)


def test_pinned_choice_stays_fixed_when_shuffled(packages) -> None:
    thirds = _items(packages, "qti2-edge-cases")["thirds"]
    interaction = next(
        e for e in thirds.root.iter() if isinstance(e.tag, str) and local(e) == "choiceInteraction"
    )
    assert interaction.get("shuffle") == "true"
    fixed = [attr(c, "identifier") for c in children(interaction) if c.get("fixed") == "true"]
    assert fixed == ["c-none"]


def fidelity_of(target: str, **changes) -> list:
    """extra_fidelity of `target` for a small bank: one essay with feedback, one true/false."""
    from packager.formats import TARGETS
    from packager.model import Bank

    data = {
        "format": "packager.question-bank/1",
        "id": "fid",
        "title": "Fidelity",
        "stimuli": [{"id": "s", "body": "Shared."}],
        "questions": [
            {
                "id": "e",
                "type": "essay",
                "prompt": "Why?",
                "explanation": "Because.",
                "feedback": {"correct": "Good."},
            },
            {
                "id": "t",
                "type": "true_false",
                "prompt": "Yes?",
                "answer": True,
                "stimulus": "s",
                "explanation": "Yes.",
            },
        ],
        **changes,
    }
    bank = Bank.model_validate(data)
    notes = TARGETS[target].load().extra_fidelity(bank)
    return sorted((n.question_id, n.feature, n.kind) for n in notes)


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_shares_of_pairs_and_blanks_add_up_to_the_points_exactly(
    target: str, tmp_path: Path
) -> None:
    """Seven pairs or blanks worth 3 points: 6 right earn 18/7, 7 right exactly 3 (seven
    shares of 3/7 add up to 2.9999999999999996)."""
    from packager.pipeline import load

    days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    bank = {
        "format": "packager.question-bank/1", "id": "sevenths", "title": "Sevenths",
        "version": "1.0.0", "language": "en",
        "questions": [
            {"id": "pairs", "type": "matching", "prompt": "Match each day.", "points": 3,
             "pairs": [{"prompt": d, "match": d.upper()} for d in days]},
            {"id": "blanks", "type": "fill_in_blanks", "points": 3,
             "prompt": " ".join(f"[[{d}]]" for d in days),
             "blanks": {d: [d.upper()] for d in days}},
        ],
    }
    path = tmp_path / "sevenths.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    items = items_by_question(package_parts(target, load(path)))
    pairs = items["pairs"].correct_responses()["RESPONSE"]
    assert items["pairs"].run({"RESPONSE": pairs}).score == 3
    assert items["pairs"].run({"RESPONSE": pairs[:6]}).score == pytest.approx(18 / 7)
    blanks = items["blanks"].correct_responses()
    assert items["blanks"].run(blanks).score == 3
    del blanks[next(iter(blanks))]
    assert items["blanks"].run(blanks).score == pytest.approx(18 / 7)
    assert sum([3 / 7] * 7) != 3  # what an exact branch for the whole key prevents


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_a_decomposed_key_is_accepted_as_keyboards_type_it(target: str, tmp_path: Path) -> None:
    """Review 30: a key pasted decomposed (`e` + U+0301, as from a PDF or a Mac) was written so,
    and QTI engines compare code points: `café` typed on a keyboard (NFC) scored 0, where the
    player and Moodle normalise both sides."""
    import unicodedata

    from packager.pipeline import load

    decomposed = unicodedata.normalize("NFD", "café")
    bank = {"format": "packager.question-bank/1", "id": "nfd", "title": "NFD",
            "questions": [
                {"id": "word", "type": "short_answer", "prompt": "Coffee house?",
                 "answers": [{"text": decomposed}]},
                {"id": "blank", "type": "fill_in_blanks", "prompt": "A [[w]] au lait.",
                 "blanks": {"w": [decomposed]}}]}
    path = tmp_path / "nfd.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    items = items_by_question(package_parts(target, load(path)))
    for typed in ("café", decomposed):
        assert items["word"].run({"RESPONSE": typed}).score == 1, typed
        assert items["blank"].run({"RESPONSE-w": typed}).score == 1, typed
    # Canvas reads a text entry's answers from correctResponse alone (review 31): the NFC form.
    assert items["word"].correct_responses() == {"RESPONSE": "café"}
    assert items["blank"].correct_responses() == {"RESPONSE-w": "café"}


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_both_bounds_of_a_tolerance_are_accepted(target: str, tmp_path: Path) -> None:
    """An engine computes value ± tolerance in binary floating point (as qti_eval does):
    0.06 + 0.01 is 0.06999999999999999 and 0.09 + 0.01 is 0.09999999999999999, so a learner
    typing 0.07 or 0.1, inside the tolerance, scored 0. The bounds computed on the decimal
    forms are accepted too; just outside them still scores 0."""
    from packager.pipeline import load

    cases = {"a": (0.06, 0.01, [0.05, 0.07], [0.0499, 0.0701]),
             "b": (0.09, 0.01, [0.08, 0.1], [0.0799, 0.1001]),
             "c": (13.25, 0.05, [13.2, 13.3], [13.19, 13.31])}
    bank = {"format": "packager.question-bank/1", "id": "tol", "title": "Tolerance",
            "questions": [{"id": k, "type": "numeric", "prompt": "How much?",
                           "answer": {"value": v, "tolerance": t}}
                          for k, (v, t, _, _) in cases.items()]}
    path = tmp_path / "tol.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    items = items_by_question(package_parts(target, load(path)))
    for key, (_, _, inside, outside) in cases.items():
        for typed in inside:
            assert items[key].run({"RESPONSE": typed}).score == 1, (key, typed)
        for typed in outside:
            assert items[key].run({"RESPONSE": typed}).score == 0, (key, typed)


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_the_bounds_of_a_tolerance_are_written_exactly(target: str, tmp_path: Path) -> None:
    """1e15 ± 3.67 accepts 999999999999996.33 to 1000000000000003.67, which no double holds:
    the bounds were written as the nearest doubles, 999999999999996.4 and 1000000000000003.6."""
    from packager.pipeline import load

    bank = {"format": "packager.question-bank/1", "id": "big", "title": "Big",
            "questions": [{"id": "q", "type": "numeric", "prompt": "How many?",
                           "answer": {"value": 1e15, "tolerance": 3.67}}]}
    path = tmp_path / "big.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    parts = package_parts(target, load(path))
    written = b"".join(data for name, data in parts.items() if name.endswith(".xml"))
    assert b">999999999999996.33<" in written and b">1000000000000003.67<" in written


@pytest.mark.parametrize("markdown", [
    "Plain text, one paragraph.", "Tom &amp; Jerry < 3", "One *emphasis*.", "Two\n\nparagraphs.",
    "- a list", "Math $x^2$.", "☕ 📈 “quoted”", "",
])
def test_paragraph_text_by_the_flags_is_the_rendered_texts(markdown: str) -> None:
    """The QTI 2.x writers tell a plain paragraph by the rendered text's flags (computed once)
    instead of scanning its XHTML each time: the same answer, asked again and again."""
    from packager.richtext import render
    from packager.writers.qti_richtext import paragraph_text

    expected = render(markdown).paragraph_text
    assert paragraph_text(markdown) == expected
    assert paragraph_text(markdown) == expected


def test_rich_text_parsed_from_bytes_keeps_every_character() -> None:
    """Rendered XHTML is parsed from bytes: Latin-1, BMP and astral characters and
    character references come out as the text had them."""
    from packager.writers.qti_richtext import _parsed_elements

    markdown = "**é** “q” ☕ 📈 &lt;tag&gt;\n\n- x"
    (paragraph, listed) = _parsed_elements(markdown, "urn:x", "items/q.xml")
    assert "".join(paragraph.itertext()) == "é “q” ☕ 📈 <tag>"
    assert paragraph.tag == "{urn:x}p" and listed.tag == "{urn:x}ul"


@pytest.mark.parametrize("xhtml", [
    "<p>é “q” ☕ 📈 &lt;tag&gt; &amp; x</p><ul><li>naïve <em>zoë</em> — end</li></ul>",
    '<p><img src="m%C3%A9dia/caf%C3%A9.png" alt="café ☕ 📈"/> tail é</p>',
    "<p>a\u00a0b\u2028c\u0085d e\u0301 \U0001F600 \ufffd</p>",
    '<p title="tab\there\r\nline é">x\r\ny\tz é\r</p>',
    "<pre><code>  é\n  x\n</code></pre><p>ascii only</p>",
    '<p><math xmlns="http://www.w3.org/1998/Math/MathML"><mo>∑</mo><mi>π</mi>'
    '<mo>−</mo><mn>2</mn></math> ≤ x</p>',
])
def test_rich_text_parses_to_what_its_utf8_bytes_give(xhtml: str) -> None:
    """Non-ASCII characters reach libxml2 as character references (its fast path for text):
    the tree, and the bytes serialized from it, are those its UTF-8 bytes parse to, CR, tab
    and line ends in text and attributes included."""
    from lxml import etree

    from packager.writers.qti_richtext import _parsed

    expected = etree.fromstring(f'<div xmlns="urn:x">{xhtml}</div>'.encode())
    parsed = _parsed("urn:x", xhtml)
    assert [(e.tag, e.text, e.tail, dict(e.attrib)) for e in parsed.iter()] == [
        (e.tag, e.text, e.tail, dict(e.attrib)) for e in expected.iter()
    ]
    assert etree.tostring(parsed, encoding="UTF-8") == etree.tostring(expected, encoding="UTF-8")


@pytest.mark.parametrize("target", ["qti21", "qti30"])
@pytest.mark.parametrize("bank_name", BANKS)
def test_an_item_built_in_a_working_copy_is_the_item_built_fresh(
    target: str, bank_name: str, load_bank
) -> None:
    """A package builds its items in place, in one working copy per shape (qti_build.Workbench),
    so every item follows whatever the last of its shape left there: rich text where it has
    plain, a stimulus, an interaction, a mapping, blanks, pinned choices, rules for other
    choices. Each item built right after each other one serializes as the item built in a
    copy of its own."""
    from importlib import import_module

    from packager.xml.serialize import to_bytes

    writer = import_module(f"packager.writers.{target}")
    bank = _with_copies(load_bank(bank_name).bank)
    fresh = {d.href: to_bytes(d.build()) for d in writer.write(bank) if d.kind == "item"}
    items = [d for d in writer.write(bank, reuse=True) if d.kind == "item"]
    assert all(d.reused for d in items)
    for before in items:
        for item in items:
            before.build()
            assert to_bytes(item.build()) == fresh[item.href], (before.href, item.href)


def _with_copies(bank):
    """The bank and, after its questions, a copy of each choice question with other choice
    ids (so other identifiers in its rules) and no pinned choice."""
    from packager.model import Bank

    data = bank.model_dump(mode="json", exclude_defaults=True)
    for q in [q for q in data["questions"] if q.get("choices")]:
        copy = dict(q, id=f"{q['id']}-copy", choices=[
            dict(c, id=f"{c['id']}-copy", pinned=False) for c in q["choices"]
        ])
        data["questions"].append(copy)
        for section in data.get("sections", ()):  # in the section of the question, if any
            if q["id"] in section["question_ids"]:
                section["question_ids"].append(copy["id"])
    return Bank.model_validate(data)


@pytest.mark.parametrize("target", ["qti21", "qti30"])
def test_the_parts_of_a_package_keep_trees_of_their_own(target: str, load_bank) -> None:
    """`Output.parts` keeps each part's tree beside its bytes (validation reads the tree): an
    item built in a working copy is kept as a copy, not the tree the next item changes."""
    from packager.checks import bank_media
    from packager.context import DEFAULT_EPOCH, BuildContext
    from packager.formats import TARGETS
    from packager.packages.base import Job
    from packager.xml.serialize import to_bytes

    loaded = load_bank("sample-all-types")
    output = TARGETS[target].load().build(
        Job(loaded.bank, bank_media(loaded.bank, loaded.base_dir), BuildContext(epoch=DEFAULT_EPOCH))
    )
    items = {path: part for path, part in output.parts.items() if path.startswith("items/")}
    assert len(items) == len(loaded.bank.questions)
    for path, part in items.items():
        assert to_bytes(part.tree) == part.data, path


@pytest.mark.parametrize("dialect", ["QTI21", "QTI30"])
def test_processing_refilled_for_other_rules_is_the_processing_built_for_them(
    dialect: str,
) -> None:
    """A working copy's response processing is set to the next question's rules in place when
    they differ only in texts (choice identifiers) or attribute values (blank responses), and
    is built anew when they differ in shape."""
    from copy import copy

    from lxml import etree

    from packager.writers import qti_dialect
    from packager.writers import qti_rules as r
    from packager.writers.qti_build import _processing, _refilled

    d = getattr(qti_dialect, dialect)
    cases = [
        (r.feedback_rules(("a", "b"), False, True, True, 1.0),
         r.feedback_rules(("c", "d"), False, True, True, 1.0), True),
        (r.blank_rules(("RESPONSE-x", "RESPONSE-y"), 2.0),
         r.blank_rules(("RESPONSE-p", "RESPONSE-q"), 2.0), True),
        (r.match_rules(1.0), r.match_rules(2.0), True),
        (r.feedback_rules(("a", "b"), False, True, True, 1.0),
         r.feedback_rules(("a", "b", "c"), False, True, True, 1.0), False),
        (r.feedback_rules(("a", "b"), False, True, False, 1.0),
         r.feedback_rules(("a", "b"), True, True, False, 1.0), False),
        ((r.set_outcome("SCORE", r.node("gte", r.variable("SCORE"), r.number(1))),),
         (r.set_outcome("SCORE", r.node("lte", r.variable("SCORE"), r.number(1))),), False),
        ((r.set_outcome("SCORE", r.node("baseValue", text="1", baseType="float")),),
         (r.set_outcome("SCORE", r.node("baseValue", text="1", fieldIdentifier="x")),), False),
    ]
    for was, rules, alike in cases:
        processing = copy(_processing(d, was))
        refilled = len(was) == len(rules) and all(
            _refilled(d, element, old, new)
            for element, old, new in zip(processing, was, rules, strict=True)
        )
        assert refilled == alike, (was, rules)
        if alike:
            assert etree.tostring(processing) == etree.tostring(_processing(d, rules))
