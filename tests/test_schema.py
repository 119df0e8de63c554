"""The published JSON Schema: no drift from the models, documented, and usable on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from packager import schema as schema_module
from packager.readers.base import Source
from tests.conftest import CONTENT, ROOT

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
COMMITTED = ROOT / "schemas" / "question-bank.schema.json"
CONTENT_BANKS = sorted(CONTENT.rglob("*.json"))


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(published) -> Draft202012Validator:
    return Draft202012Validator(published)


def test_committed_schema_matches_the_models():
    # The equivalent of `python -m packager.schema --check`.
    assert COMMITTED.read_text(encoding="utf-8") == schema_module.render(), (
        "schemas/question-bank.schema.json is out of date: run python -m packager.schema"
    )


def test_schema_check_command_agrees(tmp_path, monkeypatch):
    assert schema_module.main(["--check"]) == 0
    stale = tmp_path / schema_module.SCHEMA_FILE
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr(schema_module, "schemas_root", lambda: tmp_path)
    assert schema_module.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "{}\n", "--check must not rewrite the file"


def test_schemas_root_holds_the_published_schema(published):
    root = schema_module.schemas_root()
    assert root.is_dir()
    assert (root / schema_module.SCHEMA_FILE).is_file()
    assert schema_module.load_published() == published


def test_schema_is_draft_2020_12_with_id_title_and_description(published):
    Draft202012Validator.check_schema(published)
    assert published["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert published["$id"] == schema_module.SCHEMA_ID
    assert published["title"]
    assert published["description"]


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                yield f"{path}/properties/{name}", sub
        for key, value in node.items():
            yield from _properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{path}/{i}")


def test_every_property_has_a_description(published):
    props = list(_properties(published))
    assert len(props) > 50  # the walk found the question types' properties, not only the top
    missing = [path for path, sub in props if not str(sub.get("description", "")).strip()]
    assert missing == []


@pytest.mark.parametrize("field", ["format", "id", "title", "description", "language", "version",
                                   "metadata", "settings", "stimuli", "questions", "sections"])
def test_top_level_field_names_are_the_contract(published, field):
    assert field in published["properties"]


def test_every_question_type_is_a_branch_of_the_schema(published):
    from packager.model import QUESTION_TYPES

    consts = {
        d.get("properties", {}).get("type", {}).get("const") for d in published["$defs"].values()
    }
    assert set(QUESTION_TYPES) <= consts


@pytest.mark.parametrize("path", CONTENT_BANKS, ids=lambda p: p.name)
def test_jsonschema_alone_accepts_content_bank(validator, path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []


@pytest.mark.parametrize("path", CONTENT_BANKS, ids=lambda p: p.name)
def test_content_bank_checks_with_no_diagnostics_at_all(path: Path):
    from packager.pipeline import check

    bank, diagnostics = check(Source.from_path(path))
    assert [d.format() for d in diagnostics] == []
    assert bank is not None


def test_both_sample_banks_are_in_content():
    assert {p.name for p in CONTENT_BANKS} >= {"neon-broccoli.json", "sample-all-types.json"}


def _schema_level_broken_banks() -> list[Path]:
    """Broken fixtures whose only problem is one JSON Schema can state."""
    from tests.cli.test_validate import BROKEN_BANKS

    return [BROKEN / f"{name}.json" for name, e in sorted(BROKEN_BANKS.items())
            if e.code == "E-SCHEMA"]


@pytest.mark.parametrize("path", _schema_level_broken_banks(), ids=lambda p: p.stem)
def test_jsonschema_alone_rejects_broken_bank(validator, path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert not validator.is_valid(data)


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda b: b.update(format="qti"), "format const"),
        (lambda b: b.update(id="Has Spaces"), "slug"),
        (lambda b: b.update(questions=[]), "questions non-empty"),
        (lambda b: b["settings"].update(show_feedback="sometimes"), "show_feedback enum"),
        (lambda b: b["settings"].update(default_points=0), "default_points > 0"),
        (lambda b: b["questions"][1].pop("choices"), "choices required"),
        (lambda b: b["questions"][1]["choices"][0].update(text=""), "empty rich text"),
        (lambda b: b["questions"][1].update(shuffle="yes"), "shuffle boolean"),
        (lambda b: b["questions"][1]["choices"].extend(
            [{"id": f"c{i}", "text": "x"} for i in range(30)]), "at most 26 choices"),
        (lambda b: b["questions"][0].update(points=1), "text item has no points"),
        (lambda b: b["sections"][0].update(pick=0), "pick >= 1"),
        (lambda b: b["sections"][0].update(question_ids=[]), "section non-empty"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_jsonschema_alone_rejects_mutated_sample(validator, mutate, why):
    data = json.loads((CONTENT / "sample-all-types.json").read_text(encoding="utf-8"))
    assert validator.is_valid(data)
    mutate(data)
    assert not validator.is_valid(data), why
