"""The catalogue of malformed and hostile inputs (tests/bad_inputs/): every case is refused
with its exit code and message, never a traceback, and nothing is written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_validate import assert_no_traceback, run

CATALOGUE = Path(__file__).resolve().parent / "bad_inputs"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
CONTENTS = {
    "png": PNG,
    "html": b"<!doctype html><script>parent.__pwned = 1</script>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "empty": b"",
}


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((CATALOGUE / name).read_text(encoding="utf-8"))
    return cases


RICHTEXT = _cases("richtext.json")
MEDIA = _cases("media.json")
BANK_FILES = sorted((CATALOGUE / "banks").glob("*.json")) if (CATALOGUE / "banks").is_dir() else []
BANK_FILES = [p for p in BANK_FILES if not p.name.endswith(".expected.json")]


def test_the_catalogue_holds_at_least_a_hundred_cases():
    ids = [c["id"] for c in RICHTEXT + MEDIA] + [p.stem for p in BANK_FILES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(ids) >= 100


def _set(data: Any, pointer: str, value: Any) -> None:
    *parents, last = [p for p in pointer.split("/")[1:]]
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def _write_case(folder: Path, case: dict[str, Any]) -> Path:
    data = json.loads((CATALOGUE / "base.json").read_text(encoding="utf-8"))
    _set(data, case["field"], case["value"] * case.get("repeat", 1))
    for name, kind in case.get("files", {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "png-21mib":  # sparse: the size is real, the disk space is not used
            path.write_bytes(PNG)
            os.truncate(path, 21 * 1024 * 1024)
        else:
            path.write_bytes(CONTENTS[kind])
    bank = folder / "bank.json"
    bank.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return bank


def _assert_refused(bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    exit_code: int, message: str, pointer: str | None) -> None:
    code, out, err = run(["validate", "--format", "json", str(bank)], capsys)
    assert_no_traceback(out, err)
    assert code == exit_code, out + err
    diagnostics = json.loads(out)["diagnostics"]
    matching = [d for d in diagnostics if message in d["message"]]
    assert matching, f"{message!r} not in {[d['message'] for d in diagnostics]}"
    if pointer is not None:
        assert matching[0]["pointer"] == pointer, matching
        assert matching[0]["line"], "the diagnostic names no line"

    dist = tmp_path / "dist"
    code, out, err = run(["export", "--format", "all", "--skip-unsupported", "--out", str(dist),
                          str(bank)], capsys)
    assert_no_traceback(out, err)
    assert code == exit_code, out + err
    assert message in out + err
    written = [p for p in dist.rglob("*")] if dist.exists() else []
    assert written == [], f"export wrote {written}"


@pytest.mark.parametrize("case", RICHTEXT + MEDIA, ids=lambda c: c["id"])
def test_hostile_content_is_refused_with_a_located_message(
    case: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "bank"
    folder.mkdir()
    bank = _write_case(folder, case)
    _assert_refused(bank, tmp_path, capsys, case["exit"], case["message"], case["field"])


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.stem)
def test_broken_bank_files_are_refused(path: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    _assert_refused(path, tmp_path, capsys, expected["exit"], expected["message"],
                    expected.get("pointer"))
