"""`export` runs on what it has just built the package checks `packager check` runs (manifest
references, every file present, the Canvas rules), so a writer bug fails the export with
exit 5 instead of the LMS import (issue 16, item 4). Tested with deliberately broken writers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from tests.cli.test_validate import assert_no_traceback, run
from tests.conftest import CONTENT


def test_a_manifest_naming_a_missing_file_fails_the_export(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    from packager.packages import cc

    real = cc.manifest

    def broken(*args: Any, **kwargs: Any) -> etree._Element:
        root = real(*args, **kwargs)
        resource = next(e for e in root.iter() if etree.QName(e).localname == "resource")
        namespace = etree.QName(resource).namespace
        etree.SubElement(resource, f"{{{namespace}}}file", href="web_resources/missing.xml")
        return root

    monkeypatch.setattr(cc, "manifest", broken)
    code, out, err = run(["export", "--format", "cc", "--out", str(tmp_path), "--xsd-dir",
                          str(xsd_path), str(CONTENT / "neon-broccoli.json")], capsys)
    assert_no_traceback(out, err)
    assert code == 5
    assert "fails packager check (a packager bug" in err
    assert "file href 'web_resources/missing.xml' is not in the package" in err
    assert list(tmp_path.glob("*.imscc")) == []


def test_a_broken_canvas_rule_fails_the_export(
    tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    from packager.packages import canvas_rules

    monkeypatch.setattr(canvas_rules, "CANVAS_QUESTION_TYPES", frozenset())
    code, _out, err = run(["export", "--format", "qti12", "--out", str(tmp_path), "--xsd-dir",
                          str(xsd_path), str(CONTENT / "neon-broccoli.json")], capsys)
    assert code == 5, err
    assert "is not a Canvas question type" in err
    assert list(tmp_path.glob("*.zip")) == []
