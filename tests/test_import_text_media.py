"""`packager import` of a text bank (`.md`, `.txt`) that shows images from beside it
(`![Figure 1](images/a.png)`, `<img src="images/b.png">`), as `validate FILE.md` reads them:
the import carries them into the bank's own media folder, as every importer carries a
package's; an image it cannot carry fails the import where `validate` would, with a hint that
names where it was looked for, and nothing is written. (Sweep text2, R2: AZ-204 practice
tests, whose questions show `![Question N](images/questionN.png)`.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.test_import_media import BLUE, RED

BANK = (
    "1. Which colour is shown?\n\n"
    "![Figure 1](images/a.png)\n\n"
    "a) Red\nb) Blue\nAnswer: a\n\n"
    '2. And here? <img src="images/sub/b.png" alt="b">\n\n'
    "a) Red\nb) Blue\nAnswer: b\n"
)


def _packager(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd, env=dict(os.environ), capture_output=True, text=True, check=False,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _source(tmp_path: Path, text: str = BANK) -> Path:
    src = tmp_path / "src"
    (src / "images" / "sub").mkdir(parents=True)
    (src / "images" / "a.png").write_bytes(RED)
    (src / "images" / "sub" / "b.png").write_bytes(BLUE)
    source = src / "quiz.md"
    source.write_text(text, encoding="utf-8")
    return source


def test_a_text_banks_images_go_into_its_own_media_folder(tmp_path: Path) -> None:
    source = _source(tmp_path)
    assert _packager(tmp_path, "validate", str(source)).returncode == 0
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out", "-q")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert _tree(out).keys() == {
        "quiz.json", "media/quiz/images/a.png", "media/quiz/images/sub/b.png"}
    assert _tree(out)["media/quiz/images/a.png"] == RED
    assert _tree(out)["media/quiz/images/sub/b.png"] == BLUE
    first, second = json.loads((out / "quiz.json").read_text(encoding="utf-8"))["questions"]
    assert "![Figure 1](media/quiz/images/a.png)" in first["prompt"] + first.get("scenario", "")
    assert second["prompt"] == 'And here? <img src="media/quiz/images/sub/b.png" alt="b">'
    checked = _packager(tmp_path, "validate", "out/quiz.json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The same source gives the same bytes.
    written = _tree(out)
    assert _packager(tmp_path, "import", str(source), "--out-dir", "out", "--force",
                     "-q").returncode == 0
    assert _tree(out) == written


def test_a_missing_image_fails_where_validate_fails_with_where_it_was_looked_for(
    tmp_path: Path,
) -> None:
    source = _source(tmp_path, BANK.replace("images/a.png", "images/missing.png"))
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 3
    assert (f"{source}:3: error E-MEDIA question 'which-colour-is-shown-figure-1' at "
            "/questions/0/prompt: media file 'images/missing.png' does not exist"
            in result.stderr), result.stderr
    assert (f"hint: put the file at {source.parent / 'images' / 'missing.png'} or fix the path"
            in result.stderr), result.stderr
    assert "nothing was written" in result.stderr
    assert "packager-import-" not in result.stderr
    assert _tree(tmp_path / "out") == {}


def test_images_outside_the_sources_folder_are_refused(tmp_path: Path) -> None:
    """`../`, an absolute path and a link out of the folder: never read, whatever they hold."""
    source = _source(tmp_path, BANK.replace("images/sub/b.png", "../outside.png"))
    (tmp_path / "outside.png").write_bytes(BLUE)
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 3
    assert f"{source}:9: error E-MEDIA" in result.stderr, result.stderr
    assert "media path '../outside.png' leaves the bank's folder" in result.stderr
    assert _tree(tmp_path / "out") == {}

    source.write_text(BANK.replace("images/sub/b.png", str(tmp_path / "outside.png")),
                      encoding="utf-8")
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 3
    assert "is absolute" in result.stderr, result.stderr
    assert _tree(tmp_path / "out") == {}

    (source.parent / "images" / "link.png").symlink_to(tmp_path / "outside.png")
    source.write_text(BANK.replace("images/sub/b.png", "images/link.png"), encoding="utf-8")
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 3
    assert ("media path 'images/link.png' is a link to a file outside the bank's folder"
            in result.stderr), result.stderr
    assert _tree(tmp_path / "out") == {}


def test_a_file_that_is_no_image_is_refused(tmp_path: Path) -> None:
    source = _source(tmp_path)
    (source.parent / "images" / "a.png").write_bytes(b"<script>alert(1)</script>")
    result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
    assert result.returncode == 3
    assert f"{source}:3: error E-MEDIA" in result.stderr, result.stderr
    assert "media file 'images/a.png' is not an image" in result.stderr
    assert _tree(tmp_path / "out") == {}


def test_a_gift_files_images_from_beside_it_go_into_its_own_media_folder(
    tmp_path: Path,
) -> None:
    """The GIFT reader reads them (`[html]…<img src="images/a.png">`); the import left them
    out of the bank's folder, and the bank showed a file it did not write."""
    source = _source(tmp_path)
    gift = source.with_name("flags.gift")
    gift.write_text('::Q1::[html]<p>Which colour? <img src="images/a.png" alt="x"></p>'
                    "{=Red ~Blue}\n", encoding="utf-8")
    result = _packager(tmp_path, "import", str(gift), "--out-dir", "out", "-q")
    assert result.returncode == 0, result.stderr
    assert _tree(tmp_path / "out")["media/flags/images/a.png"] == RED
    assert "media/flags/images/a.png" in (tmp_path / "out" / "flags.json").read_text()
    assert _packager(tmp_path, "validate", "out/flags.json").returncode == 0


def test_a_text_its_images_new_paths_make_too_long_is_refused_with_where(
    tmp_path: Path,
) -> None:
    """A prompt of nearly 100,000 characters passes validate; `images/a.png` becomes
    `media/images/a.png` (carried), then `media/quiz/images/a.png` (the bank's own folder):
    over the limit, the bank's validation raised a traceback (exit 1)."""
    for length, named in ((99_995, True), (99_990, False)):
        # The prompt is `Which? …x ![f](images/a.png)`: 26 characters and the x's.
        source = _source(tmp_path / str(length), f"1. Which? {'x' * (length - 26)} "
                         "![f](images/a.png)\n\na) Red\nb) Blue\nAnswer: a\n")
        result = _packager(tmp_path, "import", str(source), "--out-dir", "out")
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stderr
        said = " ".join(result.stderr.split())
        assert (f"error: {f'{source}: ' if named else ''}the text of /questions/0/prompt "
                "(question 'which-xxx" in said), result.stderr
        assert ("') would be 100,001 characters long once its image paths are rewritten, more "
                "than the 100,000 a text may have; nothing was written" in said), result.stderr
        assert _tree(tmp_path / "out") == {}


def test_a_missing_image_in_a_long_text_is_told_on_its_own_line(tmp_path: Path) -> None:
    """A problem the checks find in a text of several lines names the line of what it quotes
    (the image's path), not the line the text starts on."""
    source = _source(tmp_path, "1. Which colour?\n\na) Red\nb) Blue\nAnswer: a\n"
                     "Explanation: Red is warm.\n\nBlue is cold.\n\n![Wheel](images/gone.png)\n")
    result = _packager(tmp_path, "validate", str(source))
    assert result.returncode == 3
    assert f"{source}:10: error E-MEDIA" in result.stdout + result.stderr, result.stdout
