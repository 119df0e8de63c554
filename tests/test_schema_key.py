"""A bank may name its JSON Schema with "$schema" (issue 15, item 5): editors attach the
published schema by it; packager validates, exports and imports such a bank unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from packager.schema import load_published
from packager.writers.canonical import write
from tests.cli.test_validate import run
from tests.conftest import CONTENT

URL = "https://example.org/schemas/question-bank.schema.json"


def _bank(tmp_path: Path) -> Path:
    data = json.loads((CONTENT / "neon-broccoli.json").read_text(encoding="utf-8"))
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"$schema": URL, **data}, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_published_schema_allows_it_and_nothing_else_new():
    schema = load_published()
    types = [branch.get("type") for branch in schema["properties"]["$schema"]["anyOf"]]
    assert "string" in types
    assert schema["additionalProperties"] is False


def test_a_bank_naming_its_schema_validates_and_exports(tmp_path: Path, xsd_path: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    path = _bank(tmp_path)
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 0, out + err
    code, out, err = run(["export", "--format", "qti21,moodle", "--out", str(tmp_path / "d"),
                          "--xsd-dir", str(xsd_path), str(path)], capsys)
    assert code == 0, err
    # A format that leaves questions out rebuilds the bank from its dump: the key survives.
    data = json.loads((CONTENT / "sample-all-types.json").read_text(encoding="utf-8"))
    other = tmp_path / "all.json"
    other.write_text(json.dumps({"$schema": URL, **data}), encoding="utf-8")
    shutil.copytree(CONTENT / "media", tmp_path / "media")
    code, out, err = run(["export", "--format", "aiken", "--skip-unsupported", "--out",
                          str(tmp_path / "d"), str(other)], capsys)
    assert code == 0, err


def test_the_canonical_writer_keeps_it_first(tmp_path: Path):
    from packager.pipeline import load

    text = write(load(_bank(tmp_path)).bank).decode()
    assert text.startswith('{\n  "$schema": "' + URL + '",\n  "format"')


def test_any_other_dollar_key_is_still_an_unknown_field(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]):
    data = json.loads((CONTENT / "neon-broccoli.json").read_text(encoding="utf-8"))
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"$id": URL, **data}), encoding="utf-8")
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 3 and "$id" in out + err
