"""fsutil's staged writes: a temporary file beside the target, closed before it is renamed,
readable by everyone, never left behind by a failure, and cleaned up after killed runs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from packager import fsutil
from packager.errors import PackagerIOError


def test_a_staged_file_sits_beside_its_target_until_published(tmp_path: Path) -> None:
    target = tmp_path / "out" / "bank.qti12.zip"
    staged = fsutil.stage(target, b"new")
    assert staged.parent == target.parent and staged.name.startswith(".bank.qti12.zip.")
    assert staged.read_bytes() == b"new" and not target.exists()
    if os.name == "posix":  # Windows modes only say read-only or not
        assert stat.S_IMODE(staged.stat().st_mode) == 0o644  # mkstemp would give 0o600
    target.write_bytes(b"old")
    fsutil.publish(staged, target)  # os.replace over an existing file (also on Windows)
    assert target.read_bytes() == b"new" and sorted(os.listdir(target.parent)) == [target.name]


def test_two_stagings_of_one_path_never_share_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.xml"
    first, second = fsutil.stage(target, b"1"), fsutil.stage(target, b"2")
    assert first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"1", b"2")


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsutil, "_write", full_disk)
    with pytest.raises(PackagerIOError, match=r"a\.xml: cannot write: No space left on device"):
        fsutil.write_atomic(tmp_path / "a.xml", b"x")
    assert os.listdir(tmp_path) == []


def test_write_all_writes_every_file_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.txt").write_bytes(b"old")
    real = fsutil._write
    calls: list[int] = []

    def second_fails(fd: int, data: bytes) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(fsutil, "_write", second_fails)
    with pytest.raises(PackagerIOError):
        fsutil.write_all([(tmp_path / "a.txt", b"a"), (tmp_path / "b.txt", b"b")])
    assert sorted(os.listdir(tmp_path)) == ["b.txt"]
    assert (tmp_path / "b.txt").read_bytes() == b"old"


def test_write_all_leaves_no_folder_it_made_for_files_it_did_not_write(tmp_path: Path) -> None:
    """An import's bank and media: the media file could not be written (here its folder is a
    file), and the empty media/ folder made for the files stayed behind."""
    (tmp_path / "kept").mkdir()
    (tmp_path / "blocker").write_bytes(b"a file, not a folder")
    files = [(tmp_path / "new" / "media" / "a.png", b"a"), (tmp_path / "kept" / "b.json", b"b"),
             (tmp_path / "blocker" / "c.png", b"c")]
    with pytest.raises(PackagerIOError):
        fsutil.write_all(files)
    assert sorted(os.listdir(tmp_path)) == ["blocker", "kept"]
    assert os.listdir(tmp_path / "kept") == []


def test_leftovers_of_killed_runs_go_and_nothing_else(tmp_path: Path) -> None:
    leftover = fsutil.stage(tmp_path / "bank.zip", b"half")
    aside = tmp_path / f".{fsutil.LOCK_FILE}.4242.tmp"  # a lock take-over's
    aside.write_bytes(b"")
    kept = ["bank.zip", ".hidden", "notes.tmp", ".bank.zip.tmp.keep"]
    for name in kept:
        (tmp_path / name).write_bytes(b"mine")
    fsutil.remove_temp_files(tmp_path)
    assert not leftover.exists() and not aside.exists()
    assert sorted(os.listdir(tmp_path)) == sorted(kept)


def test_a_file_of_the_longest_name_a_file_system_stores_is_written(tmp_path: Path) -> None:
    """Its temporary name was '.<name>.<8 characters>.tmp': 14 bytes more than the 255 a
    name may have ('File name too long' for an image named so, in preview and import)."""
    target = tmp_path / ("l" * 251 + ".png")
    fsutil.write_all([(target, b"png")])
    assert target.read_bytes() == b"png" and os.listdir(tmp_path) == [target.name]
