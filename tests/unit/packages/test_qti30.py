"""QTI 3.0 target: scoring proven by running response processing, and structure.

The scoring/structure tests both versions share live in test_qti2_shared.py (run for each
version there); this module holds what is specific to this version. Goldens: tests/golden/<bank>/qti30/.
"""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.properties.strategies import banks
from tests.qti_eval import children, items_by_question, local, parse
from tests.unit.packages.test_qti2_shared import build_packages, check_generated_bank, fidelity_of

QTI = "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}"
CP = "{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}"


@pytest.fixture(scope="module")
def packages(load_bank) -> dict[str, dict[str, bytes]]:
    return build_packages("qti30", load_bank)


@given(bank=banks())
def test_generated_banks_score_points_when_right_and_zero_when_wrong(bank) -> None:
    """Property: every machine-scored item of any valid bank scores its points on its correct
    response and 0 on a wrong or empty one, with the explanation shown."""
    check_generated_bank("qti30", bank)


def _body(item) -> list:
    (body,) = [c for c in children(item.root) if local(c) == "itemBody"]
    return children(body)


def test_neon_broccoli_item_as_read_in_the_golden(packages) -> None:
    """Checked by eye in tests/golden/neon-broccoli/qti30/items/department-goals-scale.xml:
    the inline scenario opens the qti-item-body, the prompt sits in the qti-prompt of the
    qti-choice-interaction (QTI 3 prompts take blocks), the four options follow in authored
    order, the key c-mission is the correct response, scoring is the QTI 3 match_correct
    template, and the whole explanation is a qti-modal-feedback (qti-content-body) on
    FEEDBACKMODAL, whose default EXPLANATION shows it whatever the answer."""
    item = items_by_question(packages["neon-broccoli"])["department-goals-scale"]
    body = _body(item)
    assert [local(e) for e in body] == ["div", "choiceInteraction"]
    assert "".join(body[0].itertext()).strip().startswith("Neon Broccoli is a public relations")
    interaction = children(body[1])
    assert local(interaction[0]) == "prompt"
    assert "customer-facing departments’ goals" in "".join(interaction[0].itertext())
    assert [c.get("identifier") for c in interaction[1:]] == [
        "c-revops",
        "c-look-great",
        "c-one-goal",
        "c-mission",
    ]
    assert item.correct_responses() == {"RESPONSE": "c-mission"}
    assert item.template == (
        "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"
    )
    (explanation,) = [c for c in children(item.root) if local(c) == "modalFeedback"]
    assert local(children(explanation)[0]) == "contentBody"
    text = "".join(explanation.itertext()).strip()
    assert text.startswith("The correct answer is It’s hard to know")
    assert text.endswith("ultimately driving sustainable growth and success.")


def test_shared_scenario_is_a_stimulus_referenced_from_each_item(packages) -> None:
    parts = packages["sample-all-types"]
    stimulus = parse(parts["stimuli/cafe-scenario.xml"])
    assert local(stimulus) == "assessmentStimulus"
    assert "José Núñez runs" in "".join(stimulus.itertext())
    items = items_by_question(parts)
    users = {"best-month", "true-statements", "conversion-rate"}
    for qid, item in items.items():
        refs = [c for c in children(item.root) if local(c) == "assessmentStimulusRef"]
        if qid not in users:
            assert refs == []
            continue
        (ref,) = refs
        assert ref.get("href") == "../stimuli/cafe-scenario.xml"
        assert ref.get("identifier") == stimulus.get("identifier")
        assert "José Núñez runs" not in "".join(item.root.itertext())  # referenced, not copied
    manifest = parse(parts["imsmanifest.xml"])
    resources = {r.get("href"): r for r in manifest.iter(f"{CP}resource")}
    stim = resources["stimuli/cafe-scenario.xml"]
    assert stim.get("type") == "imsqti_stimulus_xmlv3p0"
    for qid in users:
        depends = [
            d.get("identifierref") for d in resources[f"items/{qid}.xml"].iter(f"{CP}dependency")
        ]
        assert stim.get("identifier") in depends


def test_essay_score_is_external(packages) -> None:
    item = items_by_question(packages["sample-all-types"])["service-essay"]
    (score,) = [
        c
        for c in children(item.root)
        if local(c) == "outcomeDeclaration" and c.get("identifier") == "SCORE"
    ]
    assert score.get("external-scored") == "human"
    (rubric,) = item.root.iter(f"{QTI}qti-rubric-block")
    assert (rubric.get("use"), rubric.get("view")) == ("scoring", "scorer")


def test_manifest_is_a_qti3_package(packages) -> None:
    manifest = parse(packages["sample-all-types"]["imsmanifest.xml"])
    assert manifest.findtext(f"{CP}metadata/{CP}schemaversion") == "3.0.0"
    types = [r.get("type") for r in manifest.iter(f"{CP}resource")]
    assert types.count("imsqti_test_xmlv3p0") == 1
    assert types.count("imsqti_item_xmlv3p0") == 12
    assert types.count("imsqti_stimulus_xmlv3p0") == 1


def test_every_part_validates(packages, xsd_path) -> None:
    from packager import xsd

    for parts in packages.values():
        for path, data in parts.items():
            if not path.endswith(".xml"):
                continue
            key = "qti30-manifest" if path == "imsmanifest.xml" else "qti30"
            assert not xsd.validate_bytes(key, data, path, xsd_path), path


def test_fidelity_notes() -> None:
    """QTI 3 keeps the shared scenario as a stimulus: no note for it."""
    assert fidelity_of("qti30") == [("e", "feedback", "dropped")]
    assert fidelity_of("qti30", language="fr") == [
        ("e", "feedback", "dropped"),
        ("t", "true_false", "changed"),
    ]
