"""Windows and macOS start worker processes by spawning, not forking: the build and export
tests run again here with PACKAGER_START_METHOD=spawn, so that path is tested on Linux too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import packager
from packager.processes import ENV_VAR
from tests.conftest import ROOT

# The tests that start worker processes (build's pool) or write through export and build.
KEY_TESTS = [
    "tests/test_build.py",
    "tests/test_build_faults.py",
    "tests/test_export_cli.py",
    "tests/test_robustness.py",
    "tests/test_api.py",
]


def test_the_build_and_export_tests_pass_with_spawned_workers() -> None:
    env = {**os.environ, ENV_VAR: "spawn"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *KEY_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1]


def _bank(n: int) -> dict[str, Any]:
    return {
        "format": "packager.question-bank/1",
        "id": "wide",
        "title": "Wide",
        "questions": [
            {
                "id": f"q{i}",
                "type": "single_choice",
                "prompt": f"Question {i}?",
                "choices": [
                    {"id": "a", "text": f"Yes {i}", "correct": True},
                    {"id": "b", "text": "No"},
                ],
                "explanation": "Because.",
            }
            for i in range(n)
        ],
    }


def test_a_large_export_builds_in_its_own_thread_where_workers_would_be_spawned(
    monkeypatch: pytest.MonkeyPatch, xsd_path: Path
) -> None:
    """The assembler's workers read the parent's Output as inherited memory, which a spawned
    worker has not: with spawn, it builds every batch itself, the same bytes."""
    from packager.packages.assemble import MIN_PARALLEL_BATCHES
    from packager.packages.assemble_streamed import BATCH
    from tests.conftest import record_pool_starts

    pools = record_pool_starts(monkeypatch)
    monkeypatch.setattr("packager.context.usable_cores", lambda: 2)
    bank = packager.load(_bank(BATCH * MIN_PARALLEL_BATCHES + 1))
    monkeypatch.setenv(ENV_VAR, "fork")
    (forked,) = packager.export(bank, "qti12", xsd_dir=xsd_path)
    assert pools == ["fork"]
    monkeypatch.setenv(ENV_VAR, "spawn")
    (alone,) = packager.export(bank, "qti12", xsd_dir=xsd_path)
    assert pools == ["fork"]  # no pool at all
    assert alone.data == forked.data


def test_the_ci_example_runs_on_windows_and_macos_too() -> None:
    workflow = (ROOT / "docs" / "ci" / "github-actions.yml").read_text()
    assert "os: [ubuntu-latest, windows-latest, macos-latest]" in workflow
    assert "runs-on: ${{ matrix.os }}" in workflow
    assert "shell: bash" in workflow  # the steps' shell syntax on Windows too
