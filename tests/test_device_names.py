"""Ids that are names Windows keeps for devices (`con`, `aux`, `nul`, `com1`) are valid slugs,
and an import makes them from titles ("Con", "Aux"): every format exports such a bank. QTI 2.1,
QTI 3.0 and Common Cartridge name files after ids (`items/aux.xml`), which the zip writer
refused as "a packager bug" (portability review F2); they now name them `_aux.xml`, the
identifiers inside the XML staying the ids."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from packager.relpath import id_file_name, is_device_name
from tests.cli.test_validate import assert_no_traceback, run


def _bank(bank_id: str) -> dict[str, object]:
    return {
        "format": "packager.question-bank/1", "id": bank_id, "title": "Devices",
        "version": "1.0.0",
        "stimuli": [{"id": "nul", "body": "A shared scenario."}],
        "questions": [
            {"id": qid, "type": "single_choice", "stimulus": "nul", "prompt": "Pick A.",
             "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}],
             "explanation": "A is right."}
            for qid in ("aux", "com1")
        ],
    }


def test_an_id_that_is_a_device_name_gets_a_file_name_that_is_not() -> None:
    assert id_file_name("aux", ".xml") == "_aux.xml"
    assert id_file_name("con", ".qti.xml") == "_con.qti.xml"
    assert id_file_name("console", ".xml") == "console.xml"  # ordinary ids keep their names
    assert id_file_name("com10", ".xml") == "com10.xml"


@pytest.mark.parametrize("bank_id", ["con", "plain"])
def test_device_name_ids_export_to_every_format(
    bank_id: str, tmp_path: Path, xsd_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(_bank(bank_id)), encoding="utf-8")
    dist = tmp_path / "dist"
    code, out, err = run(["export", "--format", "all", "--out", str(dist), "--xsd-dir",
                          str(xsd_path), str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 0, err
    packages = sorted(p for p in dist.iterdir() if p.suffix in (".zip", ".imscc"))
    assert {p.name.split(".")[-2] for p in packages} >= {"qti21", "qti30", "cc"}
    for package in packages:
        with zipfile.ZipFile(package) as archive:
            for name in archive.namelist():
                assert not any(map(is_device_name, name.split("/"))), (package.name, name)
        code, out, err = run(["check", str(package), "--xsd-dir", str(xsd_path)], capsys)
        assert code == 0, (package.name, out, err)
    with zipfile.ZipFile(dist / f"{bank_id}-1.0.0.qti21.zip") as qti21:
        assert {"items/_aux.xml", "items/_com1.xml"} <= set(qti21.namelist())
        assert f'identifier="{bank_id}_aux"'.encode() in qti21.read("items/_aux.xml")
    with zipfile.ZipFile(dist / f"{bank_id}-1.0.0.qti30.zip") as qti30:
        assert "stimuli/_nul.xml" in qti30.namelist()
    with zipfile.ZipFile(dist / f"{bank_id}-1.0.0.cc.imscc") as cc:
        assert f"web_resources/{id_file_name(bank_id, '.qti.xml')}" in cc.namelist()
