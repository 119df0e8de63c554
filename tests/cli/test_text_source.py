"""A plain-text bank (.txt, .md) is a source for validate, export and build, like a JSON bank.

validate runs in-process (typer's CliRunner); export and build run as a subprocess, since they
fork workers and freeze the garbage collector's objects for the rest of the process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from packager.cli import app
from packager.errors import InputError
from tests.conftest import CONTENT, ROOT, xsd_dir

SEED = ROOT.parent / "shared" / "seeds" / "000_20f52c0d510a6e29.txt"
BAD = "Which colour is the sky?\n- Green\n- Red\nExplanation: The correct answer is blue.\n"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACKAGER_XSD_DIR": str(xsd_dir()), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    return Path(shutil.copy(SEED, tmp_path / "seed.txt"))


def test_export_qti12_from_the_seed_text(seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = _run(tmp_path, "export", "--format", "qti12", "--out", str(out), str(seed))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "seed-1.0.0.qti12.zip") as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert "How well are their customer-facing departments’ goals" in xml


def test_validate_accepts_a_text_bank(seed: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(seed)])
    assert result.exit_code == 0, result.output
    assert "1 bank checked: 0 errors" in result.output


def test_validate_reports_a_text_bank_by_line(tmp_path: Path) -> None:
    bank = tmp_path / "sky.md"
    bank.write_text(BAD)
    result = CliRunner().invoke(app, ["validate", "--format", "json", str(bank)])
    assert result.exit_code == 3
    assert '"line": 4' in result.output and "names none of the options" in result.output


def test_export_of_a_broken_text_bank_writes_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "sky.txt"
    bank.write_text(BAD)
    result = CliRunner().invoke(app, ["export", "--format", "gift", "--out", str(tmp_path / "d"),
                                      str(bank)])
    assert isinstance(result.exception, InputError)
    assert [d.line for d in result.exception.diagnostics] == [4]
    assert not (tmp_path / "d").exists()


def test_a_folder_still_holds_only_json_banks(tmp_path: Path) -> None:
    shutil.copy(CONTENT / "neon-broccoli.json", tmp_path)
    (tmp_path / "README.md").write_text("# Banks\n\nNotes for authors - not a bank.\n")
    (tmp_path / "notes.txt").write_text(BAD)
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1 bank checked" in result.output


def test_build_takes_text_banks_from_the_config_globs(seed: Path, tmp_path: Path) -> None:
    (tmp_path / "packager.toml").write_text('banks = ["*.txt"]\nformats = ["gift"]\n')
    result = _run(tmp_path, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist" / "seed-1.0.0.gift.txt").is_file()


def test_import_runs_with_the_collector_off(
    seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`import` reads, checks and writes a bank with the garbage collector off (as validate
    checks one): its first collections after the reading scanned every object of the bank."""
    import gc

    from packager import importing

    collections: list[int] = []
    real = importing.import_file

    def counted(*args: Any, **kwargs: Any) -> importing.ImportResult:
        def count(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                collections.append(info["generation"])

        gc.callbacks.append(count)
        try:
            return real(*args, **kwargs)
        finally:
            gc.callbacks.remove(count)

    monkeypatch.setattr(importing, "import_file", counted)
    result = CliRunner().invoke(app, ["import", str(seed), "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 0, result.output
    assert collections == []
