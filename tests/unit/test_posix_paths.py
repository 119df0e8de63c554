"""What reports written for scripts say of files is the same on every system: `/` between
folders, and files in one order (portability review F11). Windows' paths are played here by
PureWindowsPath, which sorts and prints as Windows' own do."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from packager import release_records
from packager.importing import import_file
from packager.package_check import check_package
from packager.pipeline import find_banks, load
from packager.readers.base import Source
from packager.release_jobs import JobResult
from packager.release_plan import expand_banks
from tests.conftest import CONTENT
from tests.unit.readers.import_goldens import INPUTS


def windows_path(real: Path, shown: str) -> Any:
    """`shown` as Windows gives a path (`content\\bank.json`), its file read from `real`."""

    class _WindowsPath(PureWindowsPath):
        def is_dir(self) -> bool:
            return False

        def is_file(self) -> bool:
            return True

        def exists(self) -> bool:
            return True

        def read_bytes(self) -> bytes:
            return real.read_bytes()

        def resolve(self) -> Path:
            return real.resolve()

    return _WindowsPath(shown)


def test_a_bank_is_named_with_slashes_in_reports_and_the_state() -> None:
    """build-report.json said `content\\neon-broccoli.json` on Windows, and the state's keys
    too: a script reading the report, or a build on another system, met another name."""
    bank = CONTENT / "neon-broccoli.json"
    source = Source.from_path(windows_path(bank, r"content\neon-broccoli.json"))
    assert source.name == "content/neon-broccoli.json"
    loaded = load(windows_path(bank, r"content\neon-broccoli.json"))
    built = JobResult(loaded.source.name, loaded.bank.id, "qti12", "built", "x.zip")
    report = release_records.build_report([built], [loaded], 1.0)
    assert [b["file"] for b in report["banks"]] == ["content/neon-broccoli.json"]
    assert list(release_records.state_payload([built])["entries"]) == [
        "content/neon-broccoli.json::qti12"]


def test_an_import_report_names_its_source_and_bank_with_slashes(tmp_path: Path) -> None:
    gift = INPUTS / "gift" / "handwritten.gift.txt"
    out = tmp_path / "banks" / "quiz.json"
    result = import_file(windows_path(gift, r"quizzes\week 1.gift"), "gift", out)
    assert result.ok, result.error
    report = result.to_json()
    assert report["source"] == "quizzes/week 1.gift"
    assert report["output"] == out.as_posix()
    assert {n["location"]["file"] for n in report["notes"]} == {"quizzes/week 1.gift"}


def test_a_checked_package_is_named_with_slashes() -> None:
    package = INPUTS / "qti12" / "text2qti.zip"
    result = check_package(windows_path(package, r"dist\text2qti.zip"), None)
    assert result.to_json()["package"] == "dist/text2qti.zip"


def windows_folder(shown: str, names: list[str]) -> Any:
    """A folder as Windows lists it: the files `names` (their paths `shown\\name`)."""

    class _WindowsFolder(PureWindowsPath):
        def is_dir(self) -> bool:
            return True

        def glob(self, pattern: str) -> list[Any]:
            return [windows_path(CONTENT / "neon-broccoli.json", f"{self}\\{name}")
                    for name in names]

        rglob = glob

    return _WindowsFolder(shown)


# In the order Linux sorts them: upper case first, a folder by its name (`a/b.json` before
# `a-b.json`).
_BANKS = ["Zeta.json", "a/b.json", "a-b.json", "alpha.json"]


def test_banks_are_found_in_one_order_on_every_system() -> None:
    """Windows' paths sort without letter case: the banks of a build report (and of
    validate's and export's output) came in another order there than here."""
    shuffled = [_BANKS[i] for i in (3, 1, 0, 2)]
    expected = [f"content/{name}" for name in _BANKS]
    folder = windows_folder("content", shuffled)
    assert [p.as_posix() for p in expand_banks(["*.json"], folder)] == expected
    assert [p.as_posix() for p in find_banks([folder])] == expected
    assert [p.as_posix() for p in sorted(folder.glob("*"))] != expected  # Windows' own order
    assert sorted(PurePosixPath(p) for p in expected) == [PurePosixPath(p) for p in expected]
