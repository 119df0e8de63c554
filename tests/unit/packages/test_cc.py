"""IMS Common Cartridge 1.1: manifest and assessment against the CC 1.1 XSDs and importers' reading.

What Moodle's restore (backup/cc/entity11.quiz.class.php) and Canvas read: cc_profile values,
true/false identifiers `true`/`false`, the explanation as the one continue="Yes" condition's
feedback, scoring conditions with SCORE 100, every referenced file present.

The neon-broccoli golden (tests/golden/neon-broccoli/cc) was read by eye: the scenario and the
prompt are the item's first mattext, the four options are the four response_labels, the key
("mission") is the varequal of the condition that sets SCORE to 100, and the full explanation
is the general_fb feedback.
"""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from packager import xsd
from packager.pipeline import export
from tests.conftest import make_ctx

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
N = {"cp": CP, "q": QTI}


def _zip(load_bank, name: str, xsd_path=None) -> zipfile.ZipFile:
    artifact = export(load_bank(name), "cc", make_ctx(xsd_path, skip_unsupported=True))
    assert artifact.name.endswith(".cc.imscc")
    return zipfile.ZipFile(io.BytesIO(artifact.data))


@pytest.fixture(scope="module")
def sample(load_bank) -> zipfile.ZipFile:
    return _zip(load_bank, "sample-all-types")


@pytest.fixture(scope="module")
def manifest(sample) -> etree._Element:
    return etree.fromstring(sample.read("imsmanifest.xml"))


@pytest.fixture(scope="module")
def qti(sample, manifest) -> etree._Element:
    (href,) = manifest.xpath(
        "cp:resources/cp:resource[@type='imsqti_xmlv1p2/imscc_xmlv1p1/assessment']/cp:file/@href",
        namespaces=N)
    return etree.fromstring(sample.read(href))


def _items(qti: etree._Element) -> dict[str, etree._Element]:
    return {i.get("ident"): i for i in qti.xpath("q:assessment/q:section/q:item", namespaces=N)}


def _field(element: etree._Element, label: str) -> str:
    (entry,) = element.xpath(f".//q:qtimetadatafield[q:fieldlabel='{label}']/q:fieldentry/text()",
                             namespaces=N)
    return str(entry)


def _feedback(item: etree._Element, ident: str) -> str:
    return "".join(item.xpath(f"q:itemfeedback[@ident='{ident}']/q:flow_mat/q:material/q:mattext"
                              "/text()", namespaces=N))


def test_parts_validate_against_the_cc11_xsds(load_bank, xsd_path) -> None:
    from packager.capabilities import fidelity, unsupported_ids, without_questions
    from packager.checks import bank_media
    from packager.packages import cc
    from packager.packages.base import Job

    for name in ("neon-broccoli", "sample-all-types"):
        loaded = load_bank(name)
        notes = fidelity(loaded.bank, cc.LOSSES)
        kept = without_questions(loaded.bank, set(unsupported_ids(notes)))
        output = cc.build(Job(kept, bank_media(kept, loaded.base_dir), make_ctx(xsd_path)))
        keys = {path: part.schema for path, part in output.parts.items() if part.schema}
        assert keys == {"imsmanifest.xml": "cc11", f"web_resources/{name}.qti.xml": "cc11-qti"}
        for path, key in keys.items():
            assert xsd.validate_bytes(key, output.parts[path].data, path, xsd_path) == []


def test_manifest_is_cc_1_1(manifest) -> None:
    assert manifest.tag == f"{{{CP}}}manifest"  # the namespace Moodle's restore looks for
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=N) == "IMS Common Cartridge"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=N) == "1.1.0"
    (assessment,) = manifest.xpath(
        "cp:resources/cp:resource[@type='imsqti_xmlv1p2/imscc_xmlv1p1/assessment']", namespaces=N)
    refs = manifest.xpath("cp:organizations/cp:organization//cp:item/@identifierref", namespaces=N)
    assert refs == [assessment.get("identifier")]
    media = manifest.xpath("cp:resources/cp:resource[@type='webcontent']", namespaces=N)
    assert [m.get("href") for m in media] == ["web_resources/media/leads-chart.png"]
    deps = assessment.xpath("cp:dependency/@identifierref", namespaces=N)
    assert deps == [m.get("identifier") for m in media]


def test_every_referenced_file_is_present(sample, manifest, qti) -> None:
    names = set(sample.namelist())
    for href in manifest.xpath("//cp:file/@href | //cp:resource/@href", namespaces=N):
        assert href in names
    sources = [src for text in qti.iter(f"{{{QTI}}}mattext")
               for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', text.text or "")]
    assert sources
    for src in sources:
        assert src.startswith("$IMS-CC-FILEBASE$/")
        # resolved against the assessment's folder (Moodle) and web_resources/ (Canvas): the same
        assert "web_resources/" + unquote(unescape(src)).removeprefix("$IMS-CC-FILEBASE$/") in names


def test_assessment_profile(qti) -> None:
    (assessment,) = qti.xpath("q:assessment", namespaces=N)
    assert _field(assessment.find(f"{{{QTI}}}qtimetadata"), "cc_profile") == "cc.exam.v0p1"
    assert len(assessment.findall(f"{{{QTI}}}section")) == 1


def test_item_profiles(qti) -> None:
    profiles = {ident: _field(item, "cc_profile") for ident, item in _items(qti).items()}
    assert profiles == {
        "q_best-month": "cc.multiple_choice.v0p1",
        "q_true-statements": "cc.multiple_response.v0p1",
        "q_espresso-origin": "cc.true_false.v0p1",
        "q_barista-word": "cc.fib.v0p1",
        "q_service-essay": "cc.essay.v0p1",
        "q_code-output": "cc.multiple_choice.v0p1",
    }
    assert _field(_items(qti)["q_best-month"], "cc_weighting") == "2"


def test_only_general_feedback_continues(load_bank, qti) -> None:
    from packager.richtext import render

    bank = load_bank("sample-all-types").bank
    by_id = {q.id: q for q in bank.questions}
    for ident, item in _items(qti).items():
        conditions = item.xpath("q:resprocessing/q:respcondition", namespaces=N)
        continuing = [c for c in conditions if c.get("continue") == "Yes"]
        assert len(continuing) == 1, ident
        (general,) = continuing
        assert general.xpath("q:conditionvar/q:other", namespaces=N)
        assert general.xpath("q:displayfeedback/@linkrefid", namespaces=N) == ["general_fb"]
        assert all(c.get("continue") == "No" for c in conditions if c is not general)
        assert _feedback(item, "general_fb") == render(by_id[ident[2:]].explanation).xhtml
        # every displayfeedback points at an itemfeedback
        linked = set(item.xpath("q:resprocessing//q:displayfeedback/@linkrefid", namespaces=N))
        assert linked <= set(item.xpath("q:itemfeedback/@ident", namespaces=N))


def test_multiple_choice(qti) -> None:
    item = _items(qti)["q_best-month"]
    labels = item.xpath("q:presentation/q:response_lid/q:render_choice/q:response_label/@ident",
                        namespaces=N)
    assert labels == ["january", "february", "march", "cannot-tell"]
    (scoring,) = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']", namespaces=N)
    assert scoring.xpath("q:conditionvar/q:varequal/text()", namespaces=N) == ["february"]
    assert scoring.xpath("q:displayfeedback/@linkrefid", namespaces=N) == ["february_fb",
                                                                          "correct_fb"]
    (wrong,) = item.xpath("q:resprocessing/q:respcondition[q:conditionvar/q:varequal='march']",
                          namespaces=N)
    assert wrong.xpath("q:displayfeedback/@linkrefid", namespaces=N) == ["march_fb",
                                                                        "incorrect_fb"]
    assert "March (18)" in _feedback(item, "march_fb")
    question = item.xpath("q:presentation/q:material/q:mattext", namespaces=N)[0]
    assert question.get("texttype") == "text/html"
    assert "Café Lumière’s first quarter" in question.text and "<strong>most</strong>" in question.text


def test_multiple_response(qti) -> None:
    item = _items(qti)["q_true-statements"]
    (scoring,) = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']", namespaces=N)
    right = scoring.xpath("q:conditionvar/q:and/q:varequal[@case='Yes']/text()", namespaces=N)
    wrong = scoring.xpath("q:conditionvar/q:and/q:not/q:varequal/text()", namespaces=N)
    assert right == ["total-53", "conversion-quarter"]
    assert wrong == ["march-lowest", "no-contracts"]


def test_true_false_identifiers(qti) -> None:
    item = _items(qti)["q_espresso-origin"]
    labels = item.xpath("q:presentation/q:response_lid/q:render_choice/q:response_label/@ident",
                        namespaces=N)
    assert labels == ["true", "false"]
    (scoring,) = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']", namespaces=N)
    assert scoring.xpath("q:conditionvar/q:varequal/text()", namespaces=N) == ["true"]
    assert "Italian" in _feedback(item, "true_fb")


def test_fill_in_the_blank(qti) -> None:
    item = _items(qti)["q_barista-word"]
    assert item.xpath("q:presentation/q:response_str/q:render_fib", namespaces=N)
    (scoring,) = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']", namespaces=N)
    assert scoring.xpath("q:conditionvar/q:varequal/text()", namespaces=N) == ["barista", "baristi"]


def test_essay(qti) -> None:
    item = _items(qti)["q_service-essay"]
    assert _field(item, "qmd_computerscored") == "No"
    assert item.xpath("q:presentation/q:response_str/q:render_fib", namespaces=N)
    assert not item.xpath("q:resprocessing/q:respcondition/q:setvar", namespaces=N)


def test_unsupported_types_are_reported_not_faked(load_bank) -> None:
    artifact = export(load_bank("sample-all-types"), "cc", make_ctx(None, skip_unsupported=True))
    unsupported = {n.question_id for n in artifact.notes if n.kind == "unsupported"}
    assert unsupported == {"welcome", "conversion-rate", "price-range", "match-drinks",
                           "order-steps", "fill-recipe"}
    skipped = {q["id"] for q in artifact.report["questions"] if q["status"] == "skipped"}
    assert skipped == unsupported


def test_neon_broccoli(load_bank, xsd_path) -> None:
    package = _zip(load_bank, "neon-broccoli", xsd_path)
    qti = etree.fromstring(package.read("web_resources/neon-broccoli.qti.xml"))
    (item,) = _items(qti).values()
    question = item.xpath("q:presentation/q:material/q:mattext/text()", namespaces=N)[0]
    assert question.startswith("<p>Neon Broccoli is a public relations firm")
    labels = item.xpath(".//q:response_label/@ident", namespaces=N)
    assert labels == ["revops", "look-great", "one-goal", "mission"]
    key = item.xpath("q:resprocessing/q:respcondition[q:setvar='100']/q:conditionvar/q:varequal"
                     "/text()", namespaces=N)
    assert key == ["mission"]
    general = _feedback(item, "general_fb")
    assert general.startswith("<p>The correct answer is It’s hard to know")
    assert general.endswith("driving sustainable growth and success.</p>")


def test_fractional_points_are_reported(load_bank) -> None:
    from packager.model import Bank
    from packager.packages import cc

    data = load_bank("neon-broccoli").bank.model_dump(mode="python", exclude_none=True)
    data["questions"][0]["points"] = 0.5
    notes = cc.extra_fidelity(Bank.model_validate(data))
    assert [(n.question_id, n.feature, n.kind) for n in notes] == [
        ("department-goals-scale", "points", "changed")]


def test_choices_named_like_the_question_feedback_lose_nothing(xsd_path) -> None:
    """Choices `correct`, `incorrect`, `general`: their feedback took the names of the
    question's (`correct_fb` …) and one of each pair of texts was lost, the explanation
    among them. Every text is now its own itemfeedback, and reads back where it was."""
    from packager.model import Bank
    from packager.pipeline import LoadedBank
    from packager.readers import cc
    from packager.readers.base import Source

    choices = [
        {"id": "correct", "text": "Yes", "correct": True, "feedback": "Choice A"},
        {"id": "incorrect", "text": "No", "feedback": "Choice C"},
        {"id": "general", "text": "Maybe", "feedback": "Choice G"},
    ]
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "names", "title": "Names",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": "Pick", "choices": choices,
            "feedback": {"correct": "Question B", "incorrect": "Question D"},
            "explanation": "The explanation E",
        }],
    })
    loaded = LoadedBank(bank, Source("names.json", b"", Path(".")), ())
    artifact = export(loaded, "cc", make_ctx(xsd_path))
    archive = zipfile.ZipFile(io.BytesIO(artifact.data))
    (name,) = [n for n in archive.namelist() if n.endswith(".xml") and "/" in n]
    (item,) = _items(etree.fromstring(archive.read(name))).values()
    idents = item.xpath("q:itemfeedback/@ident", namespaces=N)
    assert len(idents) == len(set(idents)) == 6
    texts = {unescape(_feedback(item, i)) for i in idents}
    for text in ("Choice A", "Choice C", "Choice G", "Question B", "Question D", "explanation E"):
        assert sum(text in t for t in texts) == 1, text
    (read,) = cc.read(Source("names.imscc", artifact.data, Path("."))).bank.questions
    assert read.explanation == "The explanation E"
    assert read.feedback is not None
    assert (read.feedback.correct, read.feedback.incorrect) == ("Question B", "Question D")
    assert [(c.id, c.feedback) for c in read.choices] == [
        ("correct", "Choice A"), ("incorrect", "Choice C"), ("general", "Choice G")
    ]
