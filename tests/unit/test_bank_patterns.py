"""The config's `banks` patterns: one meaning on every system that runs a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import UsageError
from packager.release_plan import expand_banks


def _tree(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}", encoding="utf-8")
    return root


def _found(patterns: list[str], base: Path, out: Path | None = None) -> list[str]:
    return [p.resolve().relative_to(base.resolve()).as_posix()
            for p in expand_banks(patterns, base, out)]


def test_a_pattern_of_several_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    """Portability review 32 (F6): `Extra/*.json` finds `extra/` on a Mac or Windows, not on
    Linux, where the release was built without those banks and exit 0."""
    base = _tree(tmp_path, "content/a.json", "extra/b.json")
    with pytest.raises(UsageError) as caught:
        expand_banks(["content/*.json", "Extra/*.json"], base)
    assert caught.value.message == f"banks pattern 'Extra/*.json' matches no bank file under {base}"
    assert "case-sensitive" in caught.value.hints[0]
    assert _found(["content/*.json", "extra/*.json"], base) == ["content/a.json", "extra/b.json"]


@pytest.mark.parametrize(("pattern", "says"), [
    ("/srv/banks/*.json", "is absolute"),
    ("C:/Courses/*.json", "is absolute"),
    ("content\\*.json", "has '\\' between folders"),
    ("", "names no file"), (".", "names no file"),  # review 32b: pathlib's tracebacks
    ("./", "names no file"), ("././", "names no file"), (".//", "names no file"),  # review 33
])
def test_a_pattern_another_system_reads_otherwise_is_an_error(
    tmp_path: Path, pattern: str, says: str
) -> None:
    """F7: an absolute pattern was a traceback from pathlib ('Non-relative patterns are
    unsupported'); `content\\*.json` is a pattern on Windows and a name elsewhere."""
    with pytest.raises(UsageError, match="banks pattern") as caught:
        expand_banks([pattern], _tree(tmp_path, "content/a.json"))
    assert says in caught.value.message and "'/' between folders" in caught.value.hints[0]


def test_hidden_files_are_no_banks_unless_the_pattern_names_them(tmp_path: Path) -> None:
    """F16: a Mac writes `._a.json` (AppleDouble) beside `a.json` on a network share or a
    USB drive; the build took it for a bank and failed as invalid JSON."""
    base = _tree(tmp_path, "content/a.json", "content/._a.json", "content/.drafts/c.json",
                 ".shared/d.json")
    assert _found(["content/**/*.json"], base) == ["content/a.json"]
    assert _found([".shared/*.json"], base) == [".shared/d.json"]
    assert _found(["content/.drafts/*.json"], base) == ["content/.drafts/c.json"]


def test_the_output_folder_and_packagers_reports_are_no_banks(tmp_path: Path) -> None:
    """Incremental-build review 32 (F7): with `out = "content/dist"` under the default
    `content/**/*.json`, every build after the first read its own records as banks."""
    base = _tree(tmp_path, "content/a.json", "content/dist/build-report.json",
                 "content/dist/x.json", "content/a-1.0.0.qti12.report.json")
    assert _found(["content/**/*.json"], base, base / "content" / "dist") == ["content/a.json"]


def test_an_output_folder_that_holds_the_banks_leaves_them_banks(tmp_path: Path) -> None:
    """Review 32 of the change: with `out = "."` every bank was under the output folder and
    left out ("no bank files match"); its reports and state are left out by name anyway."""
    base = _tree(tmp_path, "a.json", "build-report.json", ".packager-state.json")
    assert _found(["*.json"], base, base) == ["a.json"]
