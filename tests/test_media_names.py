"""An image whose name holds characters with a meaning in XML or URLs (&, ', spaces, %) exports
to every format and passes `packager check` (issue 16, item 4: `a&b.png` became
`a%26amp%3Bb.png` in QTI 1.2, which check then rejected)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_validate import assert_no_traceback, run
from tests.conftest import CONTENT

NAMES = ["a&b.png", "it's here.png", "50%.png"]


def test_awkward_image_names_export_everywhere_and_pass_check(tmp_path: Path, xsd_path: Path,
                                                              capsys: pytest.CaptureFixture[str]):
    png = (CONTENT / "media" / "leads-chart.png").read_bytes()
    (tmp_path / "media").mkdir()
    for name in NAMES:
        (tmp_path / "media" / name).write_bytes(png)
    from urllib.parse import quote

    prompt = " ".join(f"![{n}](media/{quote(n)})" for n in NAMES)
    bank = {
        "format": "packager.question-bank/1", "id": "names", "title": "Names",
        "questions": [{"id": "q1", "type": "single_choice", "prompt": prompt,
                       "choices": [{"id": "a", "text": "A", "correct": True},
                                   {"id": "b", "text": "B"}], "explanation": "E."}],
    }
    dist, _ = _exported(tmp_path, bank, "all", xsd_path, capsys)
    packages = sorted(p for p in dist.iterdir() if p.suffix in (".zip", ".xml", ".imscc"))
    assert len(packages) >= 8
    for package in packages:
        code, out, err = run(["check", str(package), "--xsd-dir", str(xsd_path)], capsys)
        assert code == 0, (package.name, out, err)


def test_an_image_whose_ascii_name_is_a_device_name_exports_and_previews(
    tmp_path: Path, xsd_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SCORM and the preview fold media names to ASCII: `cön.png` became `con.png`, a name
    Windows keeps for a device, and a bank that validates failed with "a packager bug"."""
    import zipfile

    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "cön.png").write_bytes((CONTENT / "media" / "leads-chart.png").read_bytes())
    bank = {
        "format": "packager.question-bank/1", "id": "fold", "title": "Fold", "version": "1.0.0",
        "questions": [{"id": "q1", "type": "text", "prompt": "![chart](media/cön.png)"}],
    }
    dist, path = _exported(tmp_path, bank, "scorm12", xsd_path, capsys)
    with zipfile.ZipFile(dist / "fold-1.0.0.scorm12.zip") as package:
        assert "media/_con.png" in package.namelist()
    code, out, err = run(["preview", "--out", str(tmp_path / "site"), str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 0, err
    assert (tmp_path / "site" / "fold-1.0.0" / "media" / "_con.png").is_file()


def _exported(tmp_path: Path, bank: dict[str, Any], formats: str, xsd_path: Path,
              capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    """The bank written to a file and exported (the folder of the packages, the bank's path)."""
    path = tmp_path / f"{bank['id']}.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    dist = tmp_path / "dist"
    code, out, err = run(["export", "--format", formats, "--out", str(dist), "--xsd-dir",
                          str(xsd_path), str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 0, err
    return dist, path
