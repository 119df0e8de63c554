"""Every registered target exports every generated bank, and its XML parts validate.

Targets are imported lazily: a target whose module does not exist yet is skipped (and only
then); any other import error, and any export error, fails.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from lxml import etree

from packager import capabilities, xsd
from packager.errors import UnsupportedError
from packager.formats import TARGETS
from packager.model import Bank
from packager.packages.base import Job
from packager.pipeline import LoadedBank, export
from packager.readers.base import Source
from tests.conftest import examples, make_ctx
from tests.properties.strategies import banks

HERE = Path(__file__).resolve().parent


def load_target(name: str) -> ModuleType:
    target = TARGETS[name]
    try:
        return target.load()
    except ModuleNotFoundError as exc:
        if exc.name == target.module:
            pytest.skip(f"target module {target.module} does not exist yet")
        raise


def _unsupported(bank: Bank, module: ModuleType) -> set[str]:
    notes = capabilities.fidelity(bank, module.LOSSES)
    if hasattr(module, "extra_fidelity"):
        notes.extend(module.extra_fidelity(bank))
    return set(capabilities.unsupported_ids(notes))


def _check_export(name: str, module: ModuleType, bank: Bank, xsd_dir: Path) -> None:
    ctx = make_ctx(xsd_dir, skip_unsupported=True)
    loaded = LoadedBank(bank, Source(f"{bank.id}.json", b"", HERE), ())
    unsupported = _unsupported(bank, module)
    if unsupported >= {q.id for q in bank.questions}:
        with pytest.raises(UnsupportedError, match="no question of this bank can be exported"):
            export(loaded, name, ctx)
        return
    artifact = export(loaded, name, ctx)  # raises OutputValidationError if a part fails its XSD
    assert artifact.data
    summary = artifact.report["summary"]
    assert isinstance(summary, dict)
    assert summary["skipped"] == len(unsupported)
    assert summary["exported"] == len(bank.questions) - len(unsupported)

    # Independently of the pipeline: every XML part is well-formed and every part with a
    # schema key validates against the official XSD.
    kept = capabilities.without_questions(bank, unsupported)
    output = module.build(Job(bank=kept, media=[], ctx=make_ctx(xsd_dir, skip_unsupported=True)))
    assert output.parts, f"{name} built no files"
    for path, part in output.parts.items():
        if part.schema is not None or path.endswith(".xml"):
            etree.fromstring(part.data)
        if part.schema is not None:
            errors = xsd.validate_bytes(part.schema, part.data, path, xsd_dir)
            assert errors == [], f"{name}: {path} does not validate: {errors[:5]}"


@pytest.mark.parametrize("target_name", sorted(TARGETS))
def test_every_generated_bank_exports_and_its_xml_validates(target_name: str, xsd_path: Path):
    module = load_target(target_name)

    @settings(deadline=None, max_examples=examples(15))
    @given(bank=banks())
    def exports(bank: Bank) -> None:
        _check_export(target_name, module, bank, xsd_path)

    exports()


def test_load_target_skips_only_a_missing_target_module(monkeypatch):
    import importlib

    def missing_dependency(name: str):
        raise ModuleNotFoundError("No module named 'nonexistent_dep'", name="nonexistent_dep")

    monkeypatch.setattr(importlib, "import_module", missing_dependency)
    with pytest.raises(ModuleNotFoundError):
        load_target(sorted(TARGETS)[0])
