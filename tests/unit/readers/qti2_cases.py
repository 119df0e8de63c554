"""Golden imports shared by the QTI 2.1 and QTI 3.0 reader tests.

A case is `tests/fixtures/inputs/<reader>/<case>.xml` (a single item) or `<case>.pkg/` (a
package, zipped in the test with fixed entry dates) with `<case>.expected.json`, the
canonical JSON the import must give, and `<case>.report.json`, its notes and media (sha256).
`pytest --update-goldens` writes both from the current import: review them, then commit.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.writers.canonical import write

INPUTS = Path(__file__).resolve().parents[2] / "fixtures" / "inputs"


def zip_bytes(files: Mapping[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_folder(folder: Path) -> bytes:
    return zip_bytes({p.relative_to(folder).as_posix(): p.read_bytes()
                      for p in sorted(folder.rglob("*")) if p.is_file()})


def cases(reader: str) -> list[str]:
    return sorted(p.name for p in (INPUTS / reader).iterdir() if p.suffix in (".xml", ".pkg"))


def source(reader: str, case: str) -> Source:
    path = INPUTS / reader / case
    if path.suffix == ".pkg":
        return Source(f"{path.stem}.zip", zip_folder(path), path.parent)
    return Source(path.name, path.read_bytes(), path.parent)


def report(imported: Imported) -> dict[str, Any]:
    return {
        "notes": [note.to_json() for note in imported.notes],
        "media": {href: hashlib.sha256(data).hexdigest()
                  for href, data in sorted(imported.media.items())},
    }


def check_case(request: pytest.FixtureRequest, module: ModuleType, reader: str,
               case: str) -> None:
    given = source(reader, case)
    assert module.detect(given.data)
    imported = module.read(given)
    bank_json = write(imported.bank).decode()
    report_json = json.dumps(report(imported), indent=2, ensure_ascii=False) + "\n"
    stem = (INPUTS / reader / case).with_suffix("")
    expected, expected_report = (stem.with_suffix(".expected.json"),
                                 stem.with_suffix(".report.json"))
    if request.config.getoption("--update-goldens"):
        expected.write_text(bank_json, encoding="utf-8")
        expected_report.write_text(report_json, encoding="utf-8")
    assert bank_json == expected.read_text(encoding="utf-8")
    assert report_json == expected_report.read_text(encoding="utf-8")
    assert write(module.read(source(reader, case)).bank).decode() == bank_json  # the same, every time
