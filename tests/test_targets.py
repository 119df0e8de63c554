"""Every target × every sample bank: golden files, XSD validity, byte-reproducibility.

These follow the registry: a new target in packager/formats.py is tested here without edits.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest

from packager.formats import TARGETS
from tests.conftest import GOLDEN, ROOT, SAMPLE_BANKS, assert_golden, make_ctx
from tests.html_page import elide_player

CASES = [(bank, target) for bank in SAMPLE_BANKS for target in TARGETS]


def _build(load_bank, bank: str, target: str, xsd):
    from packager.pipeline import export

    ctx = make_ctx(xsd, skip_unsupported=True)
    return export(load_bank(bank), target, ctx)


def _files(artifact) -> dict[str, bytes]:
    if artifact.name.endswith((".zip", ".imscc")):
        with zipfile.ZipFile(io.BytesIO(artifact.data)) as archive:
            return {i.filename: archive.read(i) for i in archive.infolist()}
    # A single document: name it by format and extension, without "<id>-<version>.".
    bank_id, version = artifact.report["bank"], artifact.report["version"]
    return {artifact.name.removeprefix(f"{bank_id}-{version}."): artifact.data}


PLAYER = ROOT / "packager" / "packages" / "player"


def _generated(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files a target generates: static player assets copied verbatim are checked against
    their source instead of being kept twice as goldens."""
    generated = {}
    copied = set()
    for name, data in files.items():
        source = PLAYER / name
        if name.endswith(".html") and "/" not in name and not source.is_file():
            generated[name] = elide_player(data)  # the single-file quiz: the player inline
            continue
        if "/" not in name and source.is_file():
            assert data == source.read_bytes(), f"{name} is not a verbatim copy of {source}"
            copied.add(name)
            continue
        generated[name] = data
    if copied:  # a package with the player carries all of it
        assert copied == {p.name for p in PLAYER.iterdir() if p.is_file()}
    return generated


@pytest.mark.parametrize(("bank", "target"), CASES)
def test_golden(request, load_bank, xsd_path, bank: str, target: str) -> None:
    artifact = _build(load_bank, bank, target, xsd_path)
    assert_golden(request, GOLDEN / bank / target, _generated(_files(artifact)))


@pytest.mark.parametrize(("bank", "target"), CASES)
def test_every_xml_part_is_xsd_valid(load_bank, xsd_path, bank: str, target: str) -> None:
    from packager import xsd
    from packager.capabilities import fidelity, unsupported_ids, without_questions
    from packager.checks import bank_media
    from packager.packages.base import Job

    loaded = load_bank(bank)
    module = TARGETS[target].load()
    notes = fidelity(loaded.bank, module.LOSSES)
    if hasattr(module, "extra_fidelity"):
        notes.extend(module.extra_fidelity(loaded.bank))
    kept = without_questions(loaded.bank, set(unsupported_ids(notes)))
    output = module.build(Job(kept, bank_media(kept, loaded.base_dir), make_ctx(xsd_path)))
    checked = 0
    for path, part in output.parts.items():
        if part.schema is None:
            continue
        errors = xsd.validate_bytes(part.schema, part.data, path, xsd_path)
        assert not errors, "\n".join(map(str, errors[:10]))
        checked += 1
    xml_parts = [p for p in output.parts if p.endswith(".xml")]
    # A target whose format has no XSD at all (Blackboard's pool package) says so with NO_XSD.
    no_xsd = getattr(module, "NO_XSD", False)
    assert checked >= 1 or not xml_parts or no_xsd, f"no XML part of {target} was validated"


@pytest.mark.parametrize(("bank", "target"), CASES)
def test_two_builds_are_byte_identical(load_bank, xsd_path, bank: str, target: str) -> None:
    first = _build(load_bank, bank, target, None)
    second = _build(load_bank, bank, target, None)
    assert first.data == second.data
    assert first.name == second.name


def test_a_questions_losses_are_listed_in_the_order_of_their_names(load_bank) -> None:
    """The report lists each question's losses in the order of their features' names (the
    same on every run), whichever features of the question the target keeps."""
    from packager.capabilities import fidelity

    several = 0
    for target in TARGETS:
        loaded = load_bank("sample-all-types")
        notes = fidelity(loaded.bank, TARGETS[target].load().LOSSES, loaded.features)
        by_question: dict[str, list[str]] = {}
        for note in notes:
            if note.question_id is not None:
                by_question.setdefault(note.question_id, []).append(note.feature)
        for qid, features in by_question.items():
            assert features == sorted(features), (target, qid)
            several += len(features) > 1
    assert several > 0


_BANK_FIELDS = {  # a marker in each field of the bank's metadata, and the feature it is
    "authors": ("zqxauthor", "authors"),
    "license": ("zqxlicense", "license"),
    "tags": ("zqxbanktag", "bank_tags"),
    "objectives": ("zqxbankobjective", "bank_objectives"),
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_bank_metadata_arrives_where_no_loss_is_declared(load_bank, target: str) -> None:
    """A marker in each metadata field is in the output exactly where the target declares no
    loss of it, and the report names each one it drops (they were dropped without a word)."""
    from packager.capabilities import Feature
    from packager.pipeline import export

    loaded = load_bank("neon-broccoli")
    metadata = {field: [m] if field != "license" else m for field, (m, _) in _BANK_FIELDS.items()}
    bank = loaded.bank.model_copy(update={"metadata": type(loaded.bank.metadata)(**metadata)})
    artifact = export(dataclasses.replace(loaded, bank=bank), target,
                      make_ctx(None, skip_unsupported=True, validate_output=False))
    data = b"".join(_files(artifact).values())
    noted = {note["feature"] for note in artifact.report["bank_notes"]}
    losses = TARGETS[target].load().LOSSES
    for marker, feature in _BANK_FIELDS.values():
        dropped = Feature(feature) in losses
        assert (marker.encode() not in data) == dropped, (target, feature)
        assert (feature in noted) == dropped, (target, feature, noted)


_QUESTION_FIELDS = {  # a marker in each descriptive field of a question, and its feature
    "title": ("Zqxtitle", "title"),
    "tags": ("zqxtag", "tags"),
    "objectives": ("zqxobjective", "objectives"),
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_question_metadata_arrives_where_no_loss_is_declared(load_bank, target: str) -> None:
    """As for the bank's metadata: a question's title, tags and objectives, the bank's
    description and its section titles each reach the output unless the target declares
    them dropped, and the report names each one dropped."""
    from packager.capabilities import Feature
    from packager.pipeline import export

    loaded = load_bank("neon-broccoli")
    question = loaded.bank.questions[0]
    update = {f: m if f == "title" else [m] for f, (m, _) in _QUESTION_FIELDS.items()}
    question = question.model_copy(update=update)
    section = {"id": "s1", "title": "Zqxsection", "question_ids": [question.id]}
    bank = type(loaded.bank).model_validate(
        loaded.bank.model_dump(mode="json", exclude_none=True)
        | {"questions": [question.model_dump(mode="json", exclude_none=True)],
           "description": "Zqxdescription", "sections": [section]}
    )
    artifact = export(dataclasses.replace(loaded, bank=bank), target,
                      make_ctx(None, skip_unsupported=True, validate_output=False))
    data = b"".join(_files(artifact).values())
    noted = {n["feature"]: n["kind"] for q in artifact.report["questions"] for n in q["notes"]}
    noted |= {n["feature"]: n["kind"] for n in artifact.report["bank_notes"]}
    losses = TARGETS[target].load().LOSSES
    markers = [*_QUESTION_FIELDS.values(), ("Zqxdescription", "description"),
               ("Zqxsection", "section_titles")]
    for marker, feature in markers:
        loss = losses.get(Feature(feature))
        assert noted.get(feature) == (loss.kind if loss else None), (target, feature, noted)
        if loss is None or loss.kind == "dropped":
            assert (marker.encode() in data) == (loss is None), (target, feature)


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_stimulus_copied_into_each_question_is_reported(load_bank, xsd_path,
                                                          target: str) -> None:
    """Where the report notes a shared stimulus as copied, the package holds one copy per
    noted question; where it notes nothing, one copy for all, or the quiz player, which
    shows it once (its data carries it per question)."""
    from packager.pipeline import fidelity_notes

    loaded = load_bank("sample-all-types")
    files = _files(_build(load_bank, "sample-all-types", target, xsd_path))
    copies = sum(data.count(b"a small coffee shop") for data in files.values())
    noted = [n.question_id for n in fidelity_notes(loaded, target)
             if n.feature == "shared_stimulus"]
    player = any(b"(shown above)" in data for data in files.values())
    if noted or not player:
        assert copies == (len(noted) if noted else 1), (copies, noted)
    assert all(q in {q.id for q in loaded.bank.questions if q.stimulus} for q in noted)
