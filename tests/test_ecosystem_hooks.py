"""The files other tools read (issue 15, item 8): the pre-commit hook, the composite GitHub
Action, pyproject's metadata, and the documented release workflow's pins. PyYAML is no dependency of packager, so the YAML is read by a
small reader of the block subset these two files use; the checks are the rules pre-commit and
GitHub apply, and the hook's command is run on banks."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from packager.release_plan import OUTPUT_DEPENDENCIES
from tests.conftest import CONTENT, ROOT

BROKEN = ROOT / "tests" / "fixtures" / "broken" / "unknown-field.json"


def _scalar(text: str) -> Any:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(item) for item in text[1:-1].split(",") if item.strip()]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _block(lines: list[str]) -> Any:
    """Block YAML: mappings, lists of mappings, scalars, flow lists and `|` text (enough for
    these two files; anything else fails the test rather than being misread)."""
    lines = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return None
    indent = len(lines[0]) - len(lines[0].lstrip())
    if lines[0].lstrip().startswith("- "):
        items: list[list[str]] = []
        for line in lines:
            if line[indent:].startswith("- "):
                items.append([" " * (indent + 2) + line[indent + 2 :]])
            else:
                items[-1].append(line)
        return [_block(item) for item in items]
    mapping: dict[str, Any] = {}
    key: str | None = None
    value: Any = None
    body: list[str] = []
    for line in [*lines, " " * indent + "__end__:"]:
        if len(line) - len(line.lstrip()) == indent and ":" in line:
            if key is not None and not body:
                mapping[key] = value
            elif key is not None:
                text = value == "|"
                mapping[key] = "\n".join(b.strip() for b in body) if text else _block(body)
            key, _, rest = line.strip().partition(":")
            assert key not in mapping, f"duplicate key {key}"
            value = _scalar(rest) if rest.strip() else None
            body = []
        else:
            assert len(line) - len(line.lstrip()) > indent, f"bad indentation: {line!r}"
            body.append(line)
    return mapping


def _yaml(name: str) -> Any:
    return _block((ROOT / name).read_text(encoding="utf-8").splitlines())


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def test_the_reader_reads_what_it_is_given() -> None:
    text = "a: 1\nb:\n  - c: [x, 'y']\n    d: |\n      one\n      two\n  - c: z\n"
    assert _block(text.splitlines()) == {
        "a": "1", "b": [{"c": ["x", "y"], "d": "one\ntwo"}, {"c": "z"}],
    }


# -- .pre-commit-hooks.yaml -----------------------------------------------------------------


def test_the_pre_commit_hook_is_a_valid_hook_definition() -> None:
    [hook] = _yaml(".pre-commit-hooks.yaml")
    # The keys pre-commit requires, and only keys it knows.
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert set(hook) <= {"id", "name", "entry", "language", "files", "types", "description",
                         "exclude", "args", "pass_filenames", "require_serial"}
    assert hook["id"] == "packager-validate" and hook["language"] == "python"
    assert hook["types"] == ["json"]
    files = re.compile(hook["files"])
    assert files.search("content/neon-broccoli.json")
    assert files.search("content/sub/bank.json")
    assert not files.search("tests/fixtures/broken/unknown-field.json")
    # The entry is a console script this distribution installs.
    assert shlex.split(hook["entry"])[0] in _project()["scripts"]


@pytest.mark.parametrize(("banks", "expected"), [
    ([CONTENT / "neon-broccoli.json", CONTENT / "sample-all-types.json"], 0),
    ([CONTENT / "neon-broccoli.json", BROKEN], 3),
])
def test_the_hook_command_passes_good_banks_and_fails_a_broken_one(
    banks: list[Path], expected: int
) -> None:
    [hook] = _yaml(".pre-commit-hooks.yaml")
    # pre-commit runs the entry with the changed files' names appended.
    command = [*shlex.split(hook["entry"]), *map(str, banks)]
    assert command[0] == "packager"
    result = subprocess.run(
        [sys.executable, "-m", "packager", *command[1:]], cwd=ROOT, capture_output=True,
        text=True, timeout=120, check=False,
    )
    assert result.returncode == expected, result.stderr
    if expected:
        assert "unknown field 'explaination'" in result.stderr


# -- action.yml -----------------------------------------------------------------------------


def _steps() -> list[dict[str, Any]]:
    action = _yaml("action.yml")
    assert action["runs"]["using"] == "composite"
    steps: list[dict[str, Any]] = action["runs"]["steps"]
    return steps


def test_the_action_is_a_composite_action_with_pinned_steps() -> None:
    action = _yaml("action.yml")
    assert action["name"] and action["description"]
    for name, spec in action["inputs"].items():
        assert spec["description"], name
    uses = [s["uses"] for s in _steps() if "uses" in s]
    assert uses == ["actions/setup-python@v5", "actions/cache@v4", "actions/upload-artifact@v4"]
    for step in _steps():
        assert ("uses" in step) != ("run" in step), step
        if "run" in step:
            assert step["shell"] == "bash", "a composite action's run step must name its shell"
        for value in re.findall(r"\$\{\{\s*inputs\.([a-z-]+)", str(step)):
            assert value in action["inputs"], value


def test_the_action_installs_this_distribution_and_the_xsds_with_a_cache() -> None:
    runs = "\n".join(s["run"] for s in _steps() if "run" in s)
    assert f'"{_project()["name"]}${{VERSION:+==$VERSION}}"' in runs
    cache = next(s for s in _steps() if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "${{ runner.temp }}/packager-cache"
    assert "PACKAGER_CACHE_DIR=${RUNNER_TEMP}/packager-cache" in runs
    assert "packager xsd status > /dev/null || packager xsd install" in runs


def test_the_action_uploads_dist_and_the_result_even_when_the_build_fails() -> None:
    steps = _steps()
    build = next(i for i, s in enumerate(steps) if s.get("id") == "build")
    assert "packager build --format json" in steps[build]["run"]
    upload = steps[-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and build < len(steps) - 1
    assert upload["if"] == "always()"
    paths = upload["with"]["path"]
    assert "${{ inputs.out }}/" in paths and "packager-build-result.json" in paths


@pytest.mark.parametrize(("command", "options"), [
    (["build"], ["--format", "--out"]),
    (["xsd", "install"], ["--from"]),
    (["xsd", "status"], []),
])
def test_the_commands_the_action_runs_exist_with_its_options(
    command: list[str], options: list[str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "packager", *command, "--help"], cwd=ROOT, capture_output=True,
        text=True, timeout=60, check=False, env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stderr
    for option in options:
        assert option in result.stdout


# -- pyproject.toml -------------------------------------------------------------------------


def test_pyproject_has_urls_and_classifiers() -> None:
    project = _project()
    assert project["urls"] and all(u.startswith("https://") for u in project["urls"].values())
    classifiers = project["classifiers"]
    assert "Typing :: Typed" in classifiers and (ROOT / "packager" / "py.typed").is_file()
    # PEP 639: with an SPDX `license`, a License classifier is an error for build backends.
    assert not any(c.startswith("License ::") for c in classifiers)
    floor = re.fullmatch(r">=3\.(\d+)", project["requires-python"])
    assert floor and f"Programming Language :: Python :: 3.{floor[1]}" in classifiers


# -- docs/ci: the release workflow ------------------------------------------------------------


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _versions(requirements: Iterable[str]) -> dict[str, str]:
    """`name==version` lines as {name: version}."""
    versions: dict[str, str] = {}
    for requirement in requirements:
        found = re.fullmatch(r"([a-z0-9-]+)==(\d+(?:\.\d+)*)", requirement)
        assert found, requirement
        versions[found[1]] = found[2]
    return versions


def test_the_release_workflow_pins_the_libraries_that_shape_the_bytes() -> None:
    """packager accepts a range of each library that decides a package's bytes, and a later
    release may render or deflate otherwise: the documented workflow installed packager alone,
    so a tag rebuilt later could give other bytes, and the constraints then pinned zlib-ng
    only. They pin every library the build fingerprint records, each to a release packager
    accepts."""
    workflow = (ROOT / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
    assert "pip install -c release-constraints.txt question-bank-packager==" in workflow
    constraints = (ROOT / "docs" / "ci" / "release-constraints.txt").read_text(encoding="utf-8")
    pins = _versions(line for line in constraints.splitlines()
                     if line and not line.startswith("#"))
    assert sorted(pins) == sorted(OUTPUT_DEPENDENCIES)
    floors = _versions(r.replace(">=", "==") for r in _project()["dependencies"]
                       if r.split(">=")[0] in pins)
    assert sorted(floors) == sorted(pins)
    for name, pinned in pins.items():
        assert _version(pinned) >= _version(floors[name]), name


def test_the_action_installs_with_the_release_constraints() -> None:
    """The action installed packager with no constraints: a build rerun later, by a workflow
    that pins the action's tag and packager's version, could install other output libraries
    and get other bytes."""
    (install,) = (s["run"] for s in _steps() if "pip install" in s.get("run", ""))
    assert ' -c "$GITHUB_ACTION_PATH/docs/ci/release-constraints.txt" ' in install
    assert (ROOT / "docs" / "ci" / "release-constraints.txt").is_file()
