"""What an incremental build counts as its own inputs, besides the banks."""

from __future__ import annotations

import json
import shutil
from importlib import metadata
from pathlib import Path

import pytest

from packager import release_plan
from tests.conftest import CONTENT, xsd_dir


def test_an_upgraded_output_library_rebuilds_every_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Incremental-build review 32 (F1): upgrading latex2mathml (or pyromark, nh3, lxml,
    zlib-ng, Python) changed the bytes of a fresh build while an incremental one kept every old
    package as "unchanged", under a report naming the new zlib-ng."""
    release_plan.packager_fingerprint.cache_clear()
    before = release_plan.packager_fingerprint()
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: "99.0" if name == "latex2mathml" else real(name))
    release_plan.packager_fingerprint.cache_clear()
    try:
        assert release_plan.packager_fingerprint() != before
    finally:
        release_plan.packager_fingerprint.cache_clear()


def test_the_xsds_a_package_was_checked_against_are_among_its_inputs(tmp_path: Path) -> None:
    """F4: an XSD folder edited (or another one named) kept every package "unchanged",
    though a fresh build with those XSDs failed its check."""
    copy = tmp_path / "xsd"
    shutil.copytree(xsd_dir(), copy)
    assert release_plan.xsd_state(copy) == "pinned"
    schema = next(copy.rglob("*.xsd"))
    schema.write_bytes(schema.read_bytes() + b"<!-- edited -->")
    edited = tmp_path / "edited"
    shutil.copytree(copy, edited)
    assert release_plan.xsd_state(edited) not in ("pinned", release_plan.xsd_state(copy))
    schema = edited / schema.relative_to(copy)
    schema.write_bytes(schema.read_bytes() + b"<!-- again -->")
    again = tmp_path / "again"
    shutil.copytree(edited, again)
    assert release_plan.xsd_state(again) != release_plan.xsd_state(edited)


def test_bytes_moved_from_one_image_to_the_next_change_the_banks_hash(tmp_path: Path) -> None:
    """F12: the media were hashed as `href NUL bytes` with no lengths, so bytes moved across
    the edge of two images, with the second's name between them, hashed as before: both
    packages kept as "unchanged"."""
    from packager.pipeline import load

    png = (CONTENT / "media" / "leads-chart.png").read_bytes()
    bank = {"format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
        {"id": "q", "type": "text", "prompt": "![a](media/a.png) ![b](media/b.png)"}]}
    (tmp_path / "media").mkdir()
    (tmp_path / "b.json").write_text(json.dumps(bank), encoding="utf-8")

    def hashed(a: bytes, b: bytes) -> str:
        (tmp_path / "media" / "a.png").write_bytes(a)
        (tmp_path / "media" / "b.png").write_bytes(b)
        return release_plan.bank_hash(load(tmp_path / "b.json"))

    tail = b"media/b.png\0"
    assert hashed(png, png + tail + png) != hashed(png + tail + png, png)


def test_each_build_reads_the_xsds_again(tmp_path: Path) -> None:
    """Review 32 of the change: the XSD state was cached for the process, so an API caller's
    second build after an edit of the XSDs kept every package as "unchanged"."""
    from packager.context import BuildContext

    copy = tmp_path / "xsd"
    shutil.copytree(xsd_dir(), copy)
    assert release_plan.xsd_state(copy) == "pinned"
    schema = next(copy.rglob("*.xsd"))
    schema.write_bytes(schema.read_bytes() + b"<!-- edited -->")
    release_plan.plan([], [], BuildContext(xsd_dir=copy), tmp_path / "dist", False)
    assert release_plan.xsd_state(copy) != "pinned"


def test_a_forced_build_never_reads_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing of it is used when every package is built again: reading it cost the 10k
    bench build 0.09 CPU-s and 33 MB before the workers fork."""
    from packager.context import BuildContext

    def unread(out: Path) -> dict[str, object]:
        raise AssertionError("the state was read")

    monkeypatch.setattr(release_plan, "read_state", unread)
    built = release_plan.plan([], [], BuildContext(), tmp_path / "dist", True)
    assert built.todo == [] and built.cached == []
