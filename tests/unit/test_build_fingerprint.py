"""What an incremental build counts as its own inputs, besides the banks."""

from __future__ import annotations

from importlib import metadata

import pytest

from packager import release_plan


def test_an_upgraded_output_library_rebuilds_every_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Incremental-build review 32 (F1): upgrading latex2mathml (or pyromark, nh3, lxml, zlib,
    Python) changed the bytes of a fresh build while an incremental one kept every old
    package as "unchanged", under a report naming the new zlib."""
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
