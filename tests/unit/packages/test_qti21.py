"""QTI 2.1 target: scoring proven by running response processing, and structure.

The scoring/structure tests both versions share live in test_qti2_shared.py (run for each
version there); this module holds what is specific to this version. Goldens: tests/golden/<bank>/qti21/.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.properties.strategies import banks
from tests.qti_eval import children, items_by_question, local, parse
from tests.unit.packages.test_qti2_shared import build_packages, check_generated_bank, fidelity_of

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


@pytest.fixture(scope="module")
def packages(load_bank) -> dict[str, dict[str, bytes]]:
    return build_packages("qti21", load_bank)


@given(bank=banks())
def test_generated_banks_score_points_when_right_and_zero_when_wrong(bank) -> None:
    """Property: every machine-scored item of any valid bank scores its points on its correct
    response and 0 on a wrong or empty one, with the explanation shown."""
    check_generated_bank("qti21", bank)


def _body(item) -> list:
    (body,) = [c for c in children(item.root) if local(c) == "itemBody"]
    return children(body)


def test_neon_broccoli_item_as_read_in_the_golden(packages) -> None:
    """Checked by eye in tests/golden/neon-broccoli/qti21/items/department-goals-scale.xml:
    the scenario paragraph opens the itemBody, then the prompt, then a choiceInteraction with
    the four options in authored order (no shuffle: the bank says shuffle_choices false), the
    key c-mission in correctResponse, match_correct (1 point, no conditional feedback), and the
    full explanation as modalFeedback on FEEDBACKMODAL (default EXPLANATION), shown whatever
    the answer. The manifest has one item resource and one test resource depending on it."""
    item = items_by_question(packages["neon-broccoli"])["department-goals-scale"]
    body = _body(item)
    assert [local(e) for e in body] == ["div", "div", "choiceInteraction"]
    assert body[0].get("class") == "scenario"
    assert (
        "".join(body[0].itertext()).strip().startswith("Neon Broccoli is a public relations firm")
    )
    assert body[1].get("class") == "prompt"
    assert [c.get("identifier") for c in children(body[2])] == [
        "c-revops",
        "c-look-great",
        "c-one-goal",
        "c-mission",
    ]
    assert item.correct_responses() == {"RESPONSE": "c-mission"}
    (explanation,) = [c for c in children(item.root) if local(c) == "modalFeedback"]
    text = "".join(explanation.itertext()).strip()
    assert text.startswith("The correct answer is It’s hard to know")
    assert text.endswith("ultimately driving sustainable growth and success.")
    assert item.outcomes["FEEDBACKMODAL"].default == "EXPLANATION"


def test_shared_scenario_is_copied_inline_at_the_top(packages) -> None:
    items = items_by_question(packages["sample-all-types"])
    for qid in ("best-month", "true-statements", "conversion-rate"):
        first = _body(items[qid])[0]
        assert first.get("class") == "stimulus"
        text = "".join(first.itertext())
        assert "Café Lumière’s first quarter" in text and "José Núñez runs" in text
        assert "February" in text  # the table came along


def test_prompt_precedes_the_interaction_and_no_block_prompt_inside(packages) -> None:
    for parts in packages.values():
        for item in items_by_question(parts).values():
            assert not list(item.root.iter(f"{QTI}prompt")), item.root.get("identifier")
            body = _body(item)
            kinds = [local(e) for e in body]
            if any(k.endswith("Interaction") for k in kinds):
                first = next(i for i, k in enumerate(kinds) if k.endswith("Interaction"))
                assert body[first - 1].get("class") == "prompt"


def test_fill_in_blanks_puts_one_text_entry_per_blank_in_the_prompt(packages) -> None:
    item = items_by_question(packages["sample-all-types"])["fill-recipe"]
    prompt = _body(item)[0]
    entries = [e.get("responseIdentifier") for e in prompt.iter(f"{QTI}textEntryInteraction")]
    assert entries == ["RESPONSE-milk", "RESPONSE-size"]
    assert "[[" not in "".join(prompt.itertext())
    assert set(item.responses) == {"RESPONSE-milk", "RESPONSE-size"}


def test_manifest_resource_types(packages) -> None:
    manifest = parse(packages["sample-all-types"]["imsmanifest.xml"])
    cp = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
    types = [r.get("type") for r in manifest.iter(f"{cp}resource")]
    assert types.count("imsqti_test_xmlv2p1") == 1
    assert types.count("imsqti_item_xmlv2p1") == 12
    assert types.count("webcontent") == 1
    assert manifest.findtext(f"{cp}metadata/{cp}schema") == "QTIv2.1 Package"


def test_every_part_validates(packages, xsd_path) -> None:
    from packager import xsd

    for parts in packages.values():
        for path, data in parts.items():
            if not path.endswith(".xml"):
                continue
            key = "imscp" if path == "imsmanifest.xml" else "qti21"
            assert not xsd.validate_bytes(key, data, path, xsd_path), path


def test_fidelity_notes() -> None:
    # The shared stimulus QTI 2.1 copies is a declared loss (LOSSES, shared_stimulus).
    assert fidelity_of("qti21") == [("e", "feedback", "dropped")]
    assert fidelity_of("qti21", language="fr") == [
        ("e", "feedback", "dropped"),
        ("t", "true_false", "changed"),
    ]
