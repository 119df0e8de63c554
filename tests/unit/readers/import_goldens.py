"""Golden imports: `<case>.<ext>` in tests/fixtures/inputs/<reader>/ must import as exactly
`<case>.expected.json` (the canonical JSON), with the notes in `<case>.notes.json` (absent when
there are none) and the media files listed there. `pytest --update-goldens` rewrites them (review
the diff by eye, then commit)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from packager.readers import canonical
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.writers.canonical import write

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"


def cases(reader: str, ext: str) -> list[str]:
    return sorted(p.name.removesuffix(f".{ext}") for p in (INPUTS / reader).glob(f"*.{ext}"))


def check_golden(request: pytest.FixtureRequest, reader: str, case: str, ext: str,
                 read: Callable[[Source], Imported]) -> Imported:
    folder = INPUTS / reader
    path = folder / f"{case}.{ext}"
    imported = read(Source(path.name, path.read_bytes(), folder))
    bank_json = write(imported.bank).decode()
    notes = {
        "notes": [n.to_json() for n in imported.notes],
        "media": {href: len(data) for href, data in sorted(imported.media.items())},
    }
    expected, notes_file = folder / f"{case}.expected.json", folder / f"{case}.notes.json"
    if request.config.getoption("--update-goldens"):
        expected.write_text(bank_json, encoding="utf-8")
        if notes["notes"] or notes["media"]:
            notes_file.write_text(json.dumps(notes, indent=2, ensure_ascii=False) + "\n",
                                  encoding="utf-8")
        elif notes_file.exists():
            notes_file.unlink()
        return imported
    assert bank_json == expected.read_text(encoding="utf-8")
    # `import` checks the bank in memory, trusting that the written text reads back as it.
    loaded = canonical.read(Source(expected.name, bank_json.encode("utf-8"), folder))
    assert loaded.bank == imported.bank, loaded.diagnostics
    want = (json.loads(notes_file.read_text(encoding="utf-8")) if notes_file.exists()
            else {"notes": [], "media": {}})
    assert notes == want
    return imported
