"""The manifest checks of package_check: what they find, read as a stream."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from packager.archive import ZipEntries
from packager.package_check import check_package, structural_problems

MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m">
  <organizations/>
  <resources xml:base="content/">
    <resource identifier="a" type="webcontent" href="a.html">
      <file href="a.html"/>
      <file href="missing.png"/>
    </resource>
    <resource identifier="b" type="webcontent" xml:base="deep/" href="b.html">
      <file href="b.html"/>
      <file href="http://example.com/x.js"/>
      <resource identifier="inner" type="webcontent" href="inner.html"/>
    </resource>
    <resource identifier="c" type="webcontent" href="50%25.html"/>
  </resources>
</manifest>
"""
FILES = ["content/a.html", "content/deep/b.html", "content/deep/inner.html", "content/50%.html"]


def _package(manifest: bytes, names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("imsmanifest.xml", manifest)
        for name in names:
            package.writestr(name, b"x")
    return buffer.getvalue()


def test_manifest_references_are_checked_under_their_xml_base() -> None:
    problems = structural_problems("p.zip", _package(MANIFEST, FILES), False)
    assert problems == [
        "imsmanifest.xml: file href 'content/missing.png' is not in the package",
        "imsmanifest.xml: external URL 'http://example.com/x.js' (packages must be offline)",
    ]
    missing = structural_problems("p.zip", _package(MANIFEST, FILES[:2]), False)
    assert missing[2:] == [
        "imsmanifest.xml: resource href 'content/deep/inner.html' is not in the package",
        "imsmanifest.xml: resource href 'content/50%.html' is not in the package",
    ]


def test_the_self_check_never_holds_the_manifest_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """It is read from the zip as a stream (a 10,000-item QTI 2.x manifest is 8 MB, 57 MB
    as one tree)."""
    real = ZipEntries.__getitem__

    def whole(self: ZipEntries, name: str) -> bytes:
        assert name != "imsmanifest.xml", "the manifest was read whole"
        return real(self, name)

    monkeypatch.setattr(ZipEntries, "__getitem__", whole)
    problems = structural_problems("p.zip", _package(MANIFEST, FILES), False)
    assert len(problems) == 2


def test_a_manifest_cut_short_is_not_well_formed() -> None:
    problems = structural_problems("p.zip", _package(MANIFEST[:300], FILES), False)
    assert len(problems) == 1
    assert problems[0].startswith("imsmanifest.xml: not well-formed XML: ")


@pytest.mark.parametrize("checked", ["check", "self-check"])
def test_a_manifest_s_syntax_error_is_told_where_it_is(tmp_path: Path, checked: str) -> None:
    """Read as a stream, an undefined entity was told as 'no element found (line 0)'."""
    manifest = MANIFEST.replace(b'href="a.html">', b'href="&a;.html">')
    if checked == "check":
        path = tmp_path / "p.zip"
        path.write_bytes(_package(manifest, FILES))
        problems = check_package(path, None).package_problems
    else:
        problems = structural_problems("p.zip", _package(manifest, FILES), False)
    assert problems == ["imsmanifest.xml: not well-formed XML: Entity 'a' not defined, line 5, "
                        "column 57 (<string>, line 5)"]
