"""`packager import` into one folder: each bank keeps its own images (`media/<bank>/`), so
banks imported side by side, or in an earlier run, never show another bank's picture; the
same sources give the same files, and a source that fails writes nothing."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# 1×1 PNGs: a red and a blue pixel (the sweep's reproducers, min_media_a/b.xml).
RED = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
BLUE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC"
)
_IMAGE = re.compile(r"\(<?(media/[^)>]+)>?\)")


def _moodle(path: Path, colour: str, image: bytes, name: str = "flag.png") -> Path:
    """A Moodle XML file of one true/false question showing `image` as `name`."""
    data = base64.b64encode(image).decode()
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n  <question type="truefalse">\n'
        f"    <name><text>Flag {colour}</text></name>\n"
        '    <questiontext format="html">\n'
        f'      <text><![CDATA[<p>Is this flag {colour}? <img src="@@PLUGINFILE@@/{name}" '
        'alt="flag"></p>]]></text>\n'
        f'      <file name="{name}" path="/" encoding="base64">{data}</file>\n'
        "    </questiontext>\n"
        '    <answer fraction="100"><text>true</text></answer>\n'
        '    <answer fraction="0"><text>false</text></answer>\n'
        "  </question>\n</quiz>\n",
        encoding="utf-8",
    )
    return path


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", "import", *args, "-q"],
        cwd=cwd, env=dict(os.environ), capture_output=True, text=True, check=False,
    )


def _shown(bank: Path) -> dict[str, bytes]:
    """Each image the bank's prompt shows, and the bytes of the file it names."""
    prompt = json.loads(bank.read_text(encoding="utf-8"))["questions"][0]["prompt"]
    hrefs = _IMAGE.findall(prompt)
    assert hrefs, prompt
    return {href: (bank.parent / href).read_bytes() for href in hrefs}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def red_and_blue(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "src"
    src.mkdir()
    return _moodle(src / "red.xml", "red", RED), _moodle(src / "blue.xml", "blue", BLUE)


def test_two_sources_with_different_images_of_one_name_import_into_one_folder(
    tmp_path: Path, red_and_blue: tuple[Path, Path]
) -> None:
    red, blue = red_and_blue
    result = _run(tmp_path, str(red), str(blue), "--out-dir", "out")
    assert result.returncode == 0, result.stderr
    assert _shown(tmp_path / "out" / "red.json") == {"media/red/flag.png": RED}
    assert _shown(tmp_path / "out" / "blue.json") == {"media/blue/flag.png": BLUE}
    assert sorted(_tree(tmp_path / "out")) == [
        "blue.json", "media/blue/flag.png", "media/red/flag.png", "red.json"]


def test_with_force_no_bank_is_left_showing_another_banks_image(
    tmp_path: Path, red_and_blue: tuple[Path, Path]
) -> None:
    red, blue = red_and_blue
    result = _run(tmp_path, str(red), str(blue), "--out-dir", "out", "--force")
    assert result.returncode == 0, result.stderr
    assert _shown(tmp_path / "out" / "red.json") == {"media/red/flag.png": RED}
    assert _shown(tmp_path / "out" / "blue.json") == {"media/blue/flag.png": BLUE}


def test_a_later_run_with_force_leaves_an_earlier_runs_bank_intact(
    tmp_path: Path, red_and_blue: tuple[Path, Path]
) -> None:
    red, blue = red_and_blue
    assert _run(tmp_path, str(red), "--out-dir", "out").returncode == 0
    before = _tree(tmp_path / "out")
    result = _run(tmp_path, str(blue), "--out-dir", "out", "--force")
    assert result.returncode == 0, result.stderr
    after = _tree(tmp_path / "out")
    assert {k: v for k, v in after.items() if k in before} == before
    assert _shown(tmp_path / "out" / "red.json") == {"media/red/flag.png": RED}
    # `--out FILE.json` places the images the same way, beside the bank in its own folder.
    result = _run(tmp_path, str(blue), "--out", "out/other.json", "--force")
    assert result.returncode == 0, result.stderr
    assert _shown(tmp_path / "out" / "other.json") == {"media/other/flag.png": BLUE}
    assert _shown(tmp_path / "out" / "red.json") == {"media/red/flag.png": RED}


def test_identical_images_import_side_by_side_without_force(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    one, two = _moodle(src / "one.xml", "red", RED), _moodle(src / "two.xml", "red", RED)
    result = _run(tmp_path, str(one), str(two), "--out-dir", "out")
    assert result.returncode == 0, result.stderr
    assert _shown(tmp_path / "out" / "one.json") == {"media/one/flag.png": RED}
    assert _shown(tmp_path / "out" / "two.json") == {"media/two/flag.png": RED}


def test_running_again_refuses_without_force_and_gives_the_same_bytes_with_it(
    tmp_path: Path, red_and_blue: tuple[Path, Path]
) -> None:
    red, blue = red_and_blue
    assert _run(tmp_path, str(red), str(blue), "--out-dir", "out").returncode == 0
    first = _tree(tmp_path / "out")
    again = _run(tmp_path, str(red), str(blue), "--out-dir", "out")
    assert again.returncode == 2
    assert "red.json exists" in again.stderr
    assert _tree(tmp_path / "out") == first
    assert _run(tmp_path, str(red), str(blue), "--out-dir", "out", "--force").returncode == 0
    assert _tree(tmp_path / "out") == first


def test_a_source_that_fails_leaves_no_media_folder(
    tmp_path: Path, red_and_blue: tuple[Path, Path]
) -> None:
    red, _ = red_and_blue
    bad = tmp_path / "src" / "bad.xml"
    bad.write_text(red.read_text().replace('fraction="100"', 'fraction="x"'))
    result = _run(tmp_path, str(red), str(bad), "--out-dir", "out")
    assert result.returncode == 3, result.stderr
    assert sorted(_tree(tmp_path / "out")) == ["media/red/flag.png", "red.json"]


def test_sources_whose_banks_are_one_file_on_windows_and_macos_are_refused(
    tmp_path: Path,
) -> None:
    """`Quiz.json` and `quiz.json` (and their media folders) are one on Windows and macOS."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    upper = _moodle(tmp_path / "a" / "Quiz.xml", "red", RED)
    lower = _moodle(tmp_path / "b" / "quiz.xml", "blue", BLUE)
    result = _run(tmp_path, str(upper), str(lower), "--out-dir", "out")
    assert result.returncode == 2
    assert (f"error: {upper} and {lower} would both write out/Quiz.json (out/quiz.json: one "
            "file on Windows and macOS)\n") in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("stem", "folder"),
    [("my quiz (2)", "my-quiz-2"), ("my quiz [2]", "my-quiz-2"), ("con", "con"),
     ("con.old", "con-old"), ("week 1.", "week-1"), (".hidden", "hidden"), ("...", "bank")],
)
def test_a_bank_name_unfit_for_a_media_path_gives_a_clean_folder_of_its_own(
    tmp_path: Path, stem: str, folder: str
) -> None:
    """Spaces, brackets, a trailing dot or a Windows device name have no place in a media
    path: the folder is the name made clean plus a digest of the name, so that two names
    made clean alike (`my quiz (2)`, `my quiz [2]`) still get folders of their own."""
    source = _moodle(tmp_path / "source.xml", "red", RED)
    result = _run(tmp_path, str(source), "--out", f"{stem}.json")
    assert result.returncode == 0, result.stderr
    ((href, data),) = _shown(tmp_path / f"{stem}.json").items()
    assert re.fullmatch(rf"media/{re.escape(folder)}-[0-9a-f]{{8}}/flag\.png", href), href
    assert data == RED
    if stem.startswith("my quiz"):
        other = _run(tmp_path, str(source), "--out", "my quiz {2}.json")
        assert other.returncode == 0, other.stderr
        (other_href,) = _shown(tmp_path / "my quiz {2}.json")
        assert other_href != href


def test_a_clean_bank_name_is_its_media_folder_as_it_is(tmp_path: Path) -> None:
    source = _moodle(tmp_path / "source.xml", "red", RED)
    result = _run(tmp_path, str(source), "--out", "Wiskunde_3.1-été.json")
    assert result.returncode == 0, result.stderr
    assert _shown(tmp_path / "Wiskunde_3.1-été.json") == {"media/Wiskunde_3.1-été/flag.png": RED}


@pytest.mark.parametrize("link", ["media", "media/red"])
def test_a_link_in_the_output_folder_leading_elsewhere_is_not_written_through(
    red_and_blue: tuple[Path, Path], tmp_path: Path, link: str
) -> None:
    """A `media` folder already in the output folder that is a link (as a stranger's
    repository can hold): the images were written wherever it led."""
    red, _ = red_and_blue
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(elsewhere, target_is_directory=True)
    result = _run(tmp_path, str(red), "--out-dir", str(out))
    assert result.returncode == 6, result.stderr
    assert "refusing to write it: the path leads outside the folder through a link" in (
        result.stderr)
    assert _tree(elsewhere) == {}
    assert not (out / "red.json").exists()  # nothing was written


def test_a_link_in_the_output_folder_that_stays_inside_it_is_written_through(
    red_and_blue: tuple[Path, Path], tmp_path: Path
) -> None:
    red, _ = red_and_blue
    out = tmp_path / "out"
    (out / "images").mkdir(parents=True)
    (out / "media").symlink_to(out / "images", target_is_directory=True)
    result = _run(tmp_path, str(red), "--out-dir", str(out))
    assert result.returncode == 0, result.stderr
    assert list(_tree(out / "images")) == ["red/flag.png"]


def _in_process(source: Path, out: Path, force: bool = False) -> None:
    from packager import importing

    result = importing.import_file(source, "auto", out, force=force)
    if result.error is not None:
        raise result.error


def test_the_bank_is_renamed_into_place_after_its_images(
    tmp_path: Path, red_and_blue: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: the bank went first, so a run stopped while renaming left a bank naming
    images of an earlier import (with --force) or none at all."""
    from packager import fsutil

    renamed: list[str] = []
    real = fsutil._replace

    def recorded(tmp: Path, path: Path) -> None:
        renamed.append(path.name)
        real(tmp, path)

    monkeypatch.setattr(fsutil, "_replace", recorded)
    red, _ = red_and_blue
    _in_process(red, tmp_path / "out" / "bank.json")
    assert renamed == ["flag.png", "bank.json"]


def test_an_import_stopped_while_renaming_leaves_no_temporary_file(
    tmp_path: Path, red_and_blue: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: Ctrl-C between two renames left every file not yet renamed as a hidden
    temporary file, and no later import removed what a killed one had left."""
    from packager import fsutil

    red, _ = red_and_blue
    out = tmp_path / "out"
    (out / "media" / "bank").mkdir(parents=True)
    left = [out / ".bank.json.0123456789.tmp", out / "media" / "bank" / ".flag.png.abcdef0123.tmp"]
    other = out / ".notes.json.0123456789.tmp"  # named after no file of this import
    for path in [*left, other]:
        path.write_bytes(b"killed halfway")

    def interrupted(tmp: Path, path: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil, "_replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _in_process(red, out / "bank.json")
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [other.name]


def test_an_image_path_longer_than_the_system_opens_is_an_error_not_a_traceback(
    tmp_path: Path,
) -> None:
    """Review 33: a package's image 17 folders of 250 characters deep (each within what a
    file system stores, 4,300 bytes in all) was a traceback (OSError "File name too long"
    from the check for files to overwrite), exit 1."""
    import io
    import zipfile

    from tests.conftest import ROOT

    deep = "/".join(["s" * 250] * 17) + "/a.png"
    item = (ROOT / "tests/fixtures/inputs/qti21/order.xml").read_bytes().replace(
        b"<prompt>", f'<prompt><img src="{deep}" alt="x"/>'.encode())
    manifest = (b'<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
                b'identifier="M"><organizations/><resources><resource identifier="R" '
                b'type="imsqti_item_xmlv2p1" href="q.xml"><file href="q.xml"/></resource>'
                b"</resources></manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("imsmanifest.xml", manifest)
        package.writestr("q.xml", item)
        package.writestr(deep, RED)
    (tmp_path / "deep.zip").write_bytes(buffer.getvalue())
    result = _run(tmp_path, "deep.zip", "--out-dir", "out")
    assert result.returncode == 6, result.stderr
    assert "cannot write" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
