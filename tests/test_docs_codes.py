"""docs/diagnostics.md lists every diagnostic code packager can emit, and the docs name no
code that packager does not have.

The codes are collected from the string literals of packager/**/*.py (f-string parts
included), so a code written anywhere in the source, as a literal or as a module's CODE
constant, is found without running anything."""

from __future__ import annotations

import ast
import re
from functools import cache

from tests.conftest import ROOT

CODE = re.compile(r"\b[EW]-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")
LIST = ROOT / "docs" / "diagnostics.md"
LISTED = re.compile(r"^\| `([EW]-[A-Z0-9-]+)` \|", re.M)


@cache
def _source_codes() -> dict[str, str]:
    """Each code in a string literal of packager/, with the first file that has it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "packager").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for code in CODE.findall(node.value):
                    found.setdefault(code, str(path.relative_to(ROOT)))
    return found


def _listed() -> list[str]:
    return LISTED.findall(LIST.read_text(encoding="utf-8"))


def test_the_source_has_codes_to_check() -> None:
    # A regex that stopped matching would make the other tests pass vacuously.
    assert {"E-SCHEMA", "E-JSON-SYNTAX", "W-NO-EXPLANATION"} <= _source_codes().keys()


def test_every_code_packager_emits_is_in_the_list() -> None:
    missing = {c: f for c, f in _source_codes().items() if c not in set(_listed())}
    assert not missing, f"add these codes to docs/diagnostics.md: {missing}"


def test_the_list_names_each_code_once_and_only_codes_packager_has() -> None:
    listed = _listed()
    assert len(listed) == len(set(listed)), "a code is listed twice in docs/diagnostics.md"
    stale = sorted(set(listed) - _source_codes().keys())
    assert not stale, f"docs/diagnostics.md lists codes packager no longer has: {stale}"


def test_the_docs_name_no_code_packager_does_not_have() -> None:
    docs = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
    unknown = {
        f"{path.relative_to(ROOT)}: {code}"
        for path in docs
        for code in CODE.findall(path.read_text(encoding="utf-8"))
        if code not in _source_codes()
    }
    assert not unknown, f"the docs name codes packager does not have: {sorted(unknown)}"
