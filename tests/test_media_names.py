"""An image whose name holds characters with a meaning in XML or URLs (&, ', spaces, %) exports
to every format and passes `packager check` (issue 16, item 4: `a&b.png` became
`a%26amp%3Bb.png` in QTI 1.2, which check then rejected)."""

from __future__ import annotations

import json
from pathlib import Path

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
    path = tmp_path / "names.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    dist = tmp_path / "dist"
    code, out, err = run(["export", "--format", "all", "--out", str(dist), "--xsd-dir",
                          str(xsd_path), str(path)], capsys)
    assert_no_traceback(out, err)
    assert code == 0, err
    packages = sorted(p for p in dist.iterdir() if p.suffix in (".zip", ".xml", ".imscc"))
    assert len(packages) >= 8
    for package in packages:
        code, out, err = run(["check", str(package), "--xsd-dir", str(xsd_path)], capsys)
        assert code == 0, (package.name, out, err)
