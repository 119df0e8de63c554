"""release_records: publishing a build's staged packages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from packager import fsutil, release_records
from packager.errors import PackagerIOError
from packager.release_jobs import JobResult
from tests.unit.test_fsutil import held_open


def test_a_package_held_open_stops_publishing_saying_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package open in another program on Windows (an upload, OneDrive) stopped the build
    with "Access is denied", the packages before it new and those after it old, unsaid."""
    names = ["demo-1.0.0.qti12.zip", "demo-1.0.0.qti21.zip", "demo-1.0.0.cc.imscc"]
    for name in [*names, release_records.SUMS_FILE]:
        (tmp_path / name).write_bytes(b"old")
    results = [JobResult("demo.json", "demo", name.split(".")[3], "built", name,
                         fsutil.stage(tmp_path / name, b"new")) for name in names]
    held_open(monkeypatch, tmp_path / names[1], None)
    with pytest.raises(PackagerIOError) as caught:
        release_records.publish(tmp_path, results, clean=False)
    assert caught.value.message.startswith(f"{tmp_path / names[1]}: cannot write: Access is "
                                           "denied: another program holds the file open")
    assert caught.value.hints[-1] == (
        f"1 file replaced already ({tmp_path / names[0]}), 2 files not ({tmp_path / names[1]}, "
        f"{tmp_path / names[2]}): the folder holds new files beside old ones until a run "
        "writes them all")
    assert [(tmp_path / name).read_bytes() for name in names] == [b"new", b"old", b"old"]
    assert sorted(os.listdir(tmp_path)) == sorted(names)  # no SHA256SUMS, no temporary file


def test_the_report_records_the_zlib_that_deflated_the_packages() -> None:
    """zlib-ng deflates otherwise than zlib: two builds' packages differ in bytes, each
    entry alike, and the report said nothing that told the two apart (review F9)."""
    import zlib

    report = release_records.build_report([], [], 1.0)
    assert report["zlib_version"] == zlib.ZLIB_RUNTIME_VERSION
    assert list(report)[:2] == ["packager_version", "zlib_version"]
