"""Media are what they claim to be (issue 14, items 2 and 3): by signature and name."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.archive import ZipWriter
from packager.checks import media_path_problem
from packager.errors import OutputValidationError
from packager.media_types import media_type_problem, sniff
from packager.relpath import relpath_problem

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "


@pytest.mark.parametrize(("head", "kind"), [(PNG, "PNG"), (JPEG, "JPEG"), (GIF, "GIF"), (WEBP, "WebP")])
def test_images_are_known_by_their_signature(head: bytes, kind: str):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    ("name", "head", "message"),
    [
        ("media/worksheet.html", b"<html><script>alert(1)</script>", "is not an image"),
        ("media/chart.png", b"<script>alert(1)</script>", "is not an image"),
        ("media/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'", "is an SVG drawing"),
        ("media/tool.exe", b"MZ\x90\x00", "is not an image"),
        ("media/doc.pdf", b"%PDF-1.7", "is not an image"),
        ("media/polyglot.html", PNG, "holds a PNG image but its name does not say so"),
        ("media/photo.png", JPEG, "holds a JPEG image but its name does not say so"),
        ("media/empty.png", b"", "is not an image"),
    ],
)
def test_what_is_not_a_named_image_is_refused(name: str, head: bytes, message: str):
    found = media_type_problem(name, head)
    assert found is not None and message in found[0]


@pytest.mark.parametrize("name", ["media/a.png", "media/photo.JPG", "x.jpeg", "a/b/c.gif", "m.webp"])
def test_images_named_for_their_kind_pass(name: str):
    head = {"png": PNG, "jpg": JPEG, "peg": JPEG, "gif": GIF, "ebp": WEBP}[name.lower()[-3:]]
    assert media_type_problem(name, head) is None


def test_the_bank_check_reads_the_file(tmp_path: Path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "worksheet.html").write_bytes(b"<script>alert(1)</script>")
    (tmp_path / "media" / "ok.png").write_bytes(PNG)
    found = media_path_problem("media/worksheet.html", tmp_path)
    assert found is not None and "is not an image" in found[0]
    assert media_path_problem("media/ok.png", tmp_path) is None


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("..\\..\\evil.png", "contains '\\'"),
        ("media/..\\evil.png", "contains '\\'"),
        ("C:evil.png", "contains ':'"),
        ("/etc/passwd", "is absolute"),
        ("media//a.png", "has an empty segment"),
        ("media/./a.png", "has the segment '.'"),
        ("media/../a.png", "has the segment '..'"),
        ("media/a.png.", "ends in a dot or a space"),
        ("media/con.png", "'con.png', a name Windows keeps for a device"),
        ("media/NUL", "a name Windows keeps for a device"),
        ("media/Aux .tar.gz", "a name Windows keeps for a device"),
        ("com1/a.png", "'com1', a name Windows keeps for a device"),
        ("media/LPT\u00b9.gif", "a name Windows keeps for a device"),
        ("media/conin$.png", "a name Windows keeps for a device"),
        ("media/a\x01.png", "contains U+0001"),
        ("", "is empty"),
        ("media/" + "x" * 252 + ".png", "a segment of more than 255 bytes"),
        ("media/" + "é" * 126 + ".png", "a segment of more than 255 bytes"),  # 256 bytes
    ],
)
def test_unclean_relative_paths_are_named(name: str, phrase: str):
    found = relpath_problem(name)
    assert found is not None and phrase in found


@pytest.mark.parametrize(
    "name", ["media/console.png", "media/com10.png", "media/xcon.png", "media/lpt0.png",
             "media/nul-chart.png", "media/aux_1.png", "media/conin.png"],
)
def test_names_that_only_look_like_devices_are_clean(name: str):
    assert relpath_problem(name) is None


def test_a_segment_of_255_bytes_is_clean():
    assert relpath_problem("media/" + "x" * 251 + ".png") is None


def test_a_backslash_media_name_is_refused_at_validation(tmp_path: Path):
    (tmp_path / "..\\..\\evil.png").write_bytes(PNG)
    found = media_path_problem("..\\..\\evil.png", tmp_path)
    assert found is not None
    assert found[0] == "media path '..\\\\..\\\\evil.png' contains '\\', which is not portable in a file name"


def test_the_zip_writer_refuses_unclean_entry_names():
    writer = ZipWriter((1980, 1, 1, 0, 0, 0))
    writer.write("media/ok.png", PNG)
    for name in ("media/..\\..\\evil.png", "../evil.png", "/abs.png", "C:/x.png"):
        with pytest.raises(OutputValidationError, match="refusing to write the zip entry"):
            writer.write(name, PNG)


def test_a_device_name_gets_a_hint_that_says_why(tmp_path: Path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "con.png").write_bytes(PNG)
    found = media_path_problem("media/con.png", tmp_path)
    assert found is not None
    assert "Windows opens a device" in found[1]
