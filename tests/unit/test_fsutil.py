"""fsutil's staged writes: a temporary file beside the target, closed before it is renamed,
readable by everyone, never left behind by a failure, and cleaned up after killed runs."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from packager import fsutil
from packager.errors import PackagerIOError


def test_a_staged_file_sits_beside_its_target_until_published(tmp_path: Path) -> None:
    target = tmp_path / "out" / "bank.qti12.zip"
    staged = fsutil.stage(target, b"new")
    assert staged.parent == target.parent and staged.name.startswith(".bank.qti12.zip.")
    assert staged.read_bytes() == b"new" and not target.exists()
    if os.name == "posix":  # Windows modes only say read-only or not
        assert stat.S_IMODE(staged.stat().st_mode) == 0o666 & ~_umask()  # mkstemp: 0o600
    target.write_bytes(b"old")
    fsutil.publish(staged, target)  # os.replace over an existing file (also on Windows)
    assert target.read_bytes() == b"new" and sorted(os.listdir(target.parent)) == [target.name]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.skipif(os.name != "posix", reason="Windows modes only say read-only or not")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_written_file_has_the_mode_the_users_umask_gives(
    tmp_path: Path, umask: int, mode: int
) -> None:
    """Review 29 (reproducibility): files were 0o644 whatever the umask, so a bank's answer key
    exported under umask 077 was readable by every user of the machine."""
    before = os.umask(umask)
    try:
        target = tmp_path / "bank.qti12.zip"
        fsutil.publish(fsutil.stage(target, b"zip"), target)
    finally:
        os.umask(before)
    assert stat.S_IMODE(target.stat().st_mode) == mode


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
    kept = ["bank.zip", ".hidden", "notes.tmp", ".bank.zip.tmp.keep", ".notes.cache.tmp",
            ".notes.20241206.tmp"]
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


@pytest.mark.parametrize("letter", ["中", "😀"])
def test_a_long_name_of_wide_letters_is_written_and_its_leftover_found(
        tmp_path: Path, letter: str) -> None:
    """Review 34: the temporary name took the target's first 100 characters, 300 or 400
    bytes of Chinese or emoji: a legal 245-byte name was 'File name too long'."""
    target = tmp_path / (letter * (240 // len(letter.encode())) + ".json")
    fsutil.write_all([(target, b"{}")])
    assert target.read_bytes() == b"{}" and os.listdir(tmp_path) == [target.name]
    leftover = fsutil.stage(target, b"half")
    fsutil.remove_stale_stagings([target])
    assert not leftover.exists()


def held_open(monkeypatch: pytest.MonkeyPatch, target: Path, times: int | None,
              *, windows: bool = True) -> list[float]:
    """Make os.replace onto `target` refuse as Windows does while another program holds the
    file open: `times` times, or every time (None); `windows`: on a system where that is
    what a refusal may be. The pauses taken between tries are returned, none really taken."""
    real = os.replace
    refused: list[None] = []
    pauses: list[float] = []

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == target and (times is None or len(refused) < times):
            refused.append(None)
            raise PermissionError(13, "Access is denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(fsutil, "_HELD_OPEN", windows)
    monkeypatch.setattr(fsutil.time, "sleep", pauses.append)
    return pauses


def test_a_file_held_open_for_a_moment_is_replaced_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to replace a file an antivirus or an indexer has open: the write
    failed at once, though the holder lets go within a second (portability review F7)."""
    target = tmp_path / "bank.qti12.zip"
    target.write_bytes(b"old")
    pauses = held_open(monkeypatch, target, 3)
    fsutil.write_all([(target, b"new")])
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == [target.name]
    assert pauses == [0.05, 0.1, 0.2]


def test_a_file_held_open_throughout_stops_the_write_saying_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error said "Access is denied" only, though the files before had been replaced
    and those after had not: "every file or none" did not hold, and nothing said so."""
    files = [tmp_path / name for name in ("a.zip", "b.zip", "c.zip")]
    for path in files:
        path.write_bytes(b"old")
    pauses = held_open(monkeypatch, files[1], None)
    with pytest.raises(PackagerIOError) as caught:
        fsutil.write_all([(path, b"new") for path in files])
    assert caught.value.message == (f"{files[1]}: cannot write: Access is denied: another "
                                    "program holds the file open (or it is read-only)")
    assert caught.value.hints == (
        "close what has it open (a viewer, an upload, an antivirus scan), or pause the sync of "
        "the folder (OneDrive, Dropbox), then run again",
        f"1 file replaced already ({files[0]}), 2 files not ({files[1]}, {files[2]}): the "
        "folder holds new files beside old ones until a run writes them all",
    )
    assert [p.read_bytes() for p in files] == [b"new", b"old", b"old"]
    assert sorted(os.listdir(tmp_path)) == ["a.zip", "b.zip", "c.zip"]  # no temporary file
    assert len(pauses) == 5 and 1 <= sum(pauses) <= 2


def test_elsewhere_a_refused_rename_is_not_tried_again_but_told_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux and macOS a rename over an open file succeeds: a refusal is a permission,
    which waiting does not change, and no program is said to hold the file."""
    files = [tmp_path / "a.json", tmp_path / "media" / "b.png"]
    pauses = held_open(monkeypatch, files[1], None, windows=False)
    with pytest.raises(PackagerIOError) as caught:
        fsutil.write_all([(path, b"new") for path in files])
    assert pauses == []
    assert caught.value.message == f"{files[1]}: cannot write: Access is denied"
    assert caught.value.hints == (
        f"1 file replaced already ({files[0]}), 1 file not ({files[1]}): the folder holds "
        "new files beside old ones until a run writes them all",)


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_renames_waits_for_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Review 30: a Ctrl-C while `export` renamed its packages left new ones beside old ones
    and said only "Interrupted.". Every rename is done first, then the interrupt is raised,
    through the handler the signal had (the CLI's SIGTERM handler raises KeyboardInterrupt)."""
    import signal
    import threading

    number = getattr(signal, name, None)
    if number is None or not hasattr(signal, "raise_signal"):
        pytest.skip(f"no {name} here")
    files = [tmp_path / name for name in ("a.zip", "b.zip", "c.zip")]
    for path in files:
        path.write_bytes(b"old")
    replace = os.replace

    def interrupted(tmp: Path, target: Path) -> None:
        if target == files[0]:
            signal.raise_signal(number)  # as a user's Ctrl-C during the first rename
        replace(tmp, target)

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, "replace", interrupted)
    before = signal.signal(number, stop)
    try:
        with pytest.raises(KeyboardInterrupt):
            fsutil.write_all([(path, b"new") for path in files])
        assert signal.getsignal(number) is stop  # given back
    finally:
        signal.signal(number, before)
    assert [p.read_bytes() for p in files] == [b"new", b"new", b"new"]
    assert sorted(os.listdir(tmp_path)) == ["a.zip", "b.zip", "c.zip"]

    # Signals reach only the main thread: from another, nothing is held (or can be set).
    for path in files:
        path.write_bytes(b"old")
    monkeypatch.setattr(fsutil.os, "replace", replace)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            fsutil.write_all([(path, b"new") for path in files])
        except BaseException as exc:  # reported below
            failures.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert failures == [] and [p.read_bytes() for p in files] == [b"new"] * 3


def test_an_interrupt_held_while_a_rename_fails_leaves_the_error_that_says_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 32 of the change: the held Ctrl-C, raised as the block left with the error,
    replaced it: "Interrupted." instead of which files were new and which old."""
    import signal

    files = [tmp_path / name for name in ("a.zip", "b.zip")]
    replace = os.replace

    def interrupted_then_refused(tmp: Path, target: Path) -> None:
        if target == files[0]:
            signal.raise_signal(signal.SIGINT)
            replace(tmp, target)
        else:
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fsutil.os, "replace", interrupted_then_refused)
    # Ctrl-C as a terminal delivers it (tests run in the background find it ignored).
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(PackagerIOError) as caught:
            fsutil.write_all([(path, b"new") for path in files])
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back
    finally:
        signal.signal(signal.SIGINT, before)
    assert "1 file replaced already" in caught.value.hints[-1]


def test_a_write_windows_refuses_for_its_path_length_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Portability review 32 (F11): into a deep synced folder (`…\\OneDrive - University\\…`)
    Windows without long paths answers "No such file or directory", which the error repeated
    for a folder the user can see."""
    import packager.relpath as relpath

    target = tmp_path / ("d" * 120) / ("e" * 120) / "bank.qti12.zip"
    caught = _refused_on_windows(target, monkeypatch)
    assert caught.message == f"{target}: cannot write: No such file or directory"
    (hint,) = caught.hints
    assert "unless long paths are enabled" in hint
    monkeypatch.setattr(relpath, "ON_WINDOWS", False)
    with pytest.raises(PackagerIOError) as elsewhere:
        fsutil.stage(target, b"new")
    assert elsewhere.value.hints == ()


def _refused_on_windows(target: Path, monkeypatch: pytest.MonkeyPatch) -> PackagerIOError:
    """The error of staging `target` on Windows (simulated), which answers its create with
    "No such file or directory", as it does for a path past its limit without long paths."""
    import packager.relpath as relpath

    def refused(*_: object) -> tuple[int, Path]:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(fsutil, "_created_beside", refused)
    monkeypatch.setattr(relpath, "ON_WINDOWS", True)
    with pytest.raises(PackagerIOError) as caught:
        fsutil.stage(target, b"new")
    return caught.value


def test_a_path_that_fits_but_whose_temporary_name_does_not_gets_the_hint_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 33: the file written first is `.<name>.<10 hex>.tmp`, 16 characters longer;
    a target of 250 characters failed on Windows without the long-paths hint."""
    import packager.relpath as relpath

    name = "bank.qti12.zip"
    folder = tmp_path / ("d" * (250 - len(str(tmp_path)) - len(name) - 2))
    target = folder / name
    assert len(str(target)) < relpath.WINDOWS_MAX_PATH <= len(str(target)) + 16

    caught = _refused_on_windows(target, monkeypatch)
    (hint,) = caught.hints
    assert "unless long paths are enabled" in hint


# A stand-in for Windows' O_BINARY, a bit no Linux or macOS flag uses.
_FAKE_O_BINARY = 0x4000_0000


class _TextModeFile:
    """A file written as Windows' C runtime writes a descriptor opened in text mode."""

    def __init__(self, file: Any) -> None:
        self.file = file

    def write(self, data: bytes) -> int:
        return int(self.file.write(data.replace(b"\n", b"\r\n")))

    def __enter__(self) -> _TextModeFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _windows_text_mode(monkeypatch: pytest.MonkeyPatch, *, has_o_binary: bool = True) -> list[int]:
    """Make os.open behave as on Windows: text mode unless O_BINARY is in the flags (a
    stand-in flag here; `has_o_binary=False`: no os.O_BINARY to give, as code that never
    gave it). The flags of each call are returned, as they come."""
    real_open, real_fdopen = os.open, os.fdopen
    text_mode: set[int] = set()
    calls: list[int] = []

    def open_(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        calls.append(flags)
        fd = real_open(path, flags & ~_FAKE_O_BINARY, mode, **kwargs)
        if not flags & _FAKE_O_BINARY:
            text_mode.add(fd)
        return fd

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        file = real_fdopen(fd, mode, *args, **kwargs)
        return _TextModeFile(file) if fd in text_mode and "w" in mode else file

    if has_o_binary:
        monkeypatch.setattr(os, "O_BINARY", _FAKE_O_BINARY, raising=False)
    else:
        monkeypatch.delattr(os, "O_BINARY", raising=False)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "fdopen", fdopen)
    return calls


def test_the_lock_is_written_in_binary_mode_and_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opened without O_BINARY, Windows wrote the lock's line with CR LF; it never matched
    what was meant, so every run left the lock behind (portability review F6)."""
    calls = _windows_text_mode(monkeypatch)
    out = tmp_path / "dist"
    with fsutil.output_folder(out):
        assert (out / fsutil.LOCK_FILE).read_bytes().endswith(b"\n")
        assert not (out / fsutil.LOCK_FILE).read_bytes().endswith(b"\r\n")
    assert calls and all(flags & _FAKE_O_BINARY for flags in calls)
    assert not (out / fsutil.LOCK_FILE).exists()


def test_a_lock_whose_line_ends_in_cr_lf_is_released_by_its_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The holder is compared, not the bytes: a lock written in text mode all the same (by an
    older packager on Windows) is still released."""
    _windows_text_mode(monkeypatch, has_o_binary=False)
    out = tmp_path / "dist"
    with fsutil.output_folder(out):
        assert (out / fsutil.LOCK_FILE).read_bytes().endswith(b"\r\n")
    assert not (out / fsutil.LOCK_FILE).exists()


def test_a_lock_of_another_holder_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with fsutil.output_folder(out):
        (out / fsutil.LOCK_FILE).write_bytes(b"1 another-host\n")  # taken over meanwhile
    assert (out / fsutil.LOCK_FILE).read_bytes() == b"1 another-host\n"


def test_a_bank_file_is_read_in_binary_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render_pool's workers read a bank by os.open: in text mode on Windows, CR LF would
    become LF and a ^Z byte would end the file."""
    from packager import render_pool

    data = b'{"a": "x\r\ny\x1az"}\r\n'
    (tmp_path / "bank.json").write_bytes(data)
    calls = _windows_text_mode(monkeypatch)
    assert render_pool._regular_file(str(tmp_path / "bank.json"), 100) == data
    assert calls and all(flags & _FAKE_O_BINARY for flags in calls)


def test_what_is_not_a_file_is_never_replaced(tmp_path: Path) -> None:
    """A fuzz run's `import … --out /dev/null --force`, as root, renamed the bank over the
    device. A folder, a pipe or a device in the way is refused, untouched."""
    folder = tmp_path / "bank.json"
    folder.mkdir()
    targets = [folder]
    if hasattr(os, "mkfifo"):  # no named pipes on Windows
        os.mkfifo(tmp_path / "pipe.json")
        targets.append(tmp_path / "pipe.json")
    for target in targets:
        with pytest.raises(PackagerIOError, match="exists and is not a file"):
            fsutil.write_all([(target, b"{}")])
    assert folder.is_dir() and not any(folder.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(t.name for t in targets)


def test_a_lock_that_cannot_be_written_is_an_error_and_is_not_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: on a full disk the lock's line could not be written: a traceback, and an
    empty lock that every run of the next minute took for another process's."""
    out = tmp_path / "dist"
    out.mkdir()
    real = os.fdopen

    def full(fd: int, mode: str) -> Any:
        handle = real(fd, mode)

        class Full:
            def __enter__(self) -> Full:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def write(self, data: bytes) -> int:
                raise OSError(28, "No space left on device")

        return Full()

    monkeypatch.setattr(os, "fdopen", full)
    with (pytest.raises(PackagerIOError, match="cannot write: No space left on device"),
          fsutil.output_folder(out)):
        pass
    assert not (out / fsutil.LOCK_FILE).exists()
