"""`packager import --from gift`: the imported bank is canonical, valid and faithful."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTENT


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )


def test_gift_export_imports_back_to_the_same_question(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "export",
        "--format",
        "gift",
        "--out",
        str(tmp_path),
        str(CONTENT / "neon-broccoli.json"),
    )
    assert result.returncode == 0, result.stderr
    gift = tmp_path / "neon-broccoli-1.0.0.gift.txt"
    out = tmp_path / "imported.json"
    result = _run(tmp_path, "import", str(gift), "--from", "gift", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert _run(tmp_path, "validate", str(out)).returncode == 0
    original = json.loads((CONTENT / "neon-broccoli.json").read_text())["questions"][0]
    (imported,) = json.loads(out.read_text())["questions"]
    assert imported["type"] == "single_choice"
    assert [c["text"] for c in imported["choices"]] == [c["text"] for c in original["choices"]]
    key = [c["text"] for c in imported["choices"] if c.get("correct")]
    assert key == [c["text"] for c in original["choices"] if c.get("correct")]
    assert imported["explanation"] == original["explanation"]
    assert original["scenario"] in imported["prompt"] and original["prompt"] in imported["prompt"]


def test_import_refuses_to_overwrite_and_reports_bad_gift(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gift"
    bad.write_text("::t:: What? {=yes ~no\n")
    out = tmp_path / "bank.json"
    result = _run(tmp_path, "import", str(bad), "--from", "gift", "--out", str(out))
    assert result.returncode == 3
    assert "bad.gift:1" in result.stderr
    assert not out.exists()
    out.write_text("{}")
    result = _run(tmp_path, "import", str(bad), "--from", "gift", "--out", str(out))
    assert result.returncode == 2 and "--force" in result.stderr


def test_import_from_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "import", "x", "--from", "docx", "--out", "y.json")
    assert result.returncode == 2 and "cannot import from 'docx'" in result.stderr
