"""`packager preview` as a command: exit codes, --open, --watch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer

from packager.cli.preview import preview
from packager.preview.site import MANIFEST
from tests.conftest import CONTENT
from tests.test_export_cli import _run as run_packager


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_packager(cwd, "preview", *args, xsd=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path


def _call(banks: list[Path], out: Path, **options: Any) -> int:
    """The command in this process (so webbrowser and time.sleep can be replaced)."""
    settings: dict[str, Any] = {
        "open_": False,
        "watch": False,
        "interval": 0.05,
        "quiet": False,
        "verbose": False,
        **options,
    }
    try:
        preview(banks=banks, out=out, **settings)
    except typer.Exit as done:
        return done.exit_code
    return 0


def test_preview_of_content_writes_the_site_into_dist_preview(project: Path) -> None:
    result = _run(project)
    assert result.returncode == 0, result.stderr
    site = project / "dist" / "preview"
    assert (site / "index.html").is_file()
    assert (site / "neon-broccoli-1.0.0" / "index.html").is_file()
    assert (site / "sample-all-types-1.2.0" / "media" / "leads-chart.png").is_file()
    assert (site / "assets" / "quiz.js").is_file()
    assert "wrote dist/preview/index.html (2 banks)" in result.stdout.replace(os.sep, "/")
    assert not (site / ".packager.lock").exists()


def test_quiet_prints_nothing_and_verbose_the_timings(project: Path) -> None:
    quiet = _run(project, "-q", "--out", "site")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (project / "site" / "index.html").is_file()
    verbose = _run(project, "-v", "--out", "site")
    assert verbose.returncode == 0 and verbose.stdout.startswith("wrote ")
    assert "built " in verbose.stderr and str((project / "site").resolve()) in verbose.stderr


def test_an_invalid_bank_exits_3_with_the_valid_pages_written(project: Path) -> None:
    bad = project / "content" / "bad.json"
    bad.write_text('{"format": "packager.question-bank/1", "id": "bad"}', encoding="utf-8")
    result = _run(project, "content", "--out", "site")
    assert result.returncode == 3, result.stderr
    assert "bad.json" in result.stderr and "error" in result.stderr
    assert (project / "site" / "neon-broccoli-1.0.0" / "index.html").is_file()
    assert "bad.json" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "1 invalid" in result.stdout


def test_a_missing_bank_is_an_io_error_and_writes_nothing(project: Path) -> None:
    result = _run(project, "nowhere.json", "--out", "site")
    assert result.returncode == 6
    assert "nowhere.json" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_folder_of_text_banks_gives_an_empty_site_and_says_why(tmp_path: Path) -> None:
    """A folder stands for its .json banks; its text banks are read when named. The site is
    written (a --watch may see banks arrive), and the note says how to give them."""
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "ops.txt").write_text("1. Q?\n- a\n- b\nAnswer: A\n", encoding="utf-8")
    result = _run(tmp_path, "banks", "--out", "site")
    assert result.returncode == 0, result.stderr
    assert "(0 banks)" in result.stdout
    assert "note: no banks found in banks" in result.stderr
    assert "name it, e.g. banks" in result.stderr.replace(os.sep, "/")
    named = _run(tmp_path, "banks/ops.txt", "--out", "site")
    assert named.returncode == 0 and "(1 bank)" in named.stdout, named.stderr


def test_open_shows_the_index_in_the_default_browser(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    out = project / "site"
    assert _call([project / "content"], out, open_=True) == 0
    assert opened == [(out / "index.html").resolve().as_uri()]


def test_watch_rebuilds_after_a_change_and_ends_on_ctrl_c(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bank_path = project / "content" / "neon-broccoli.json"
    out = project / "site"
    page = out / "neon-broccoli-1.0.0" / "index.html"
    rounds: list[float] = []

    def edit(title: str) -> None:
        bank = json.loads(bank_path.read_text(encoding="utf-8"))
        bank["title"] = title
        bank_path.write_text(json.dumps(bank), encoding="utf-8")
        # Coarse file-system clocks: make the change visible by its time, not only its size.
        stat = bank_path.stat()
        os.utime(bank_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    def sleep(seconds: float) -> None:
        rounds.append(seconds)
        if len(rounds) == 1:
            assert "Original title" not in page.read_text(encoding="utf-8")
            edit("Original title")
        elif len(rounds) == 2:
            assert "Original title" in page.read_text(encoding="utf-8")
        elif len(rounds) == 3:  # now invalid: listed on the index, its page gone
            bank_path.write_text("{", encoding="utf-8")
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("packager.preview.watch.time.sleep", sleep)
    code = _call([project / "content"], out, watch=True, interval=0.05)
    assert rounds == [0.05] * 4
    assert code == 3  # the state of the last build
    assert not page.exists()
    assert "neon-broccoli.json" in (out / "index.html").read_text(encoding="utf-8")
    assert "neon-broccoli-1.0.0/index.html" not in (out / MANIFEST).read_text(encoding="utf-8")
    written = capsys.readouterr().out.count("wrote ")
    assert written == 3  # the first build and one per change, none when nothing changed


def test_watch_sees_a_new_bank_in_a_folder_and_a_changed_image(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from packager.preview.watch import watch

    folder = project / "content"
    image = folder / "media" / "leads-chart.png"
    rebuilt: list[int] = []
    rounds: list[int] = []

    def sleep(_: float) -> None:
        rounds.append(1)
        if len(rounds) == 1:
            shutil.copy(folder / "neon-broccoli.json", folder / "new.json")
        elif len(rounds) == 3:
            image.write_bytes(image.read_bytes() + b"\0")
        elif len(rounds) == 5:
            raise KeyboardInterrupt

    monkeypatch.setattr("packager.preview.watch.time.sleep", sleep)
    watch(lambda: rebuilt.append(len(rounds)) or [image], [folder], 0.01, [image])
    assert rebuilt == [1, 3]  # once per change, never when nothing changed
