"""Atomic file writes into an output folder that one packager process owns at a time.

A file is written to a temporary name in its own folder, then renamed: readers see the old
file or the new one, never a part. A command that writes into a folder holds the folder's
lock (`output_folder`), and removes the temporary files of killed runs before and after.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from packager.errors import PackagerIOError

try:
    import fcntl
except ImportError:  # Windows: the pid and host name of a lock decide alone
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".packager.lock"
# What stage() (`.<name>.<10 random hex digits>.tmp`) and the lock take-over
# (`.<lock name>.<pid>.tmp`, every lock named `….lock`) leave behind when killed.
_TEMP_FILE = re.compile(r"^\..+\.[0-9a-f]{10}\.tmp$|^\..+\.lock\.[0-9]+\.tmp$")
# A lock without a readable holder is a process killed between creating and writing it,
# unless it is younger than this (it is being written right now).
_UNREADABLE_LOCK_SECONDS = 60.0
# Whether a refused rename may be another program holding the target open. Windows refuses
# to replace a file opened without FILE_SHARE_DELETE, as an antivirus or the search indexer
# reading what the last run wrote, a sync client (OneDrive, Dropbox) uploading it or
# Explorer's preview open it, for a moment: PermissionError. Elsewhere a rename over an open
# file succeeds, and a refused one is a permission that no wait changes.
_HELD_OPEN = os.name == "nt"
# The pauses (seconds) before each new try of a rename refused so: 1.55 s in all, as pip
# and Sphinx wait out the same holders.
_HELD_OPEN_PAUSES = (0.05, 0.1, 0.2, 0.4, 0.8)
# The most files named in each list of an error saying which were replaced.
_MAX_NAMED = 5


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename: readers see the old file or the new one."""
    publish(stage(path, data), path)


def write_all(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file or none: all are staged before the first is renamed into place, and
    on a failure the folders made for them go again (an import's `media/`)."""
    made = _missing_folders([path.parent for path, _ in files])
    staged: list[Path] = []
    try:
        for path, data in files:
            staged.append(stage(path, data))
    except BaseException:
        for tmp in staged:
            discard(tmp)
        for folder in made:  # deepest first; one that holds something else stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    publish_all([(tmp, path) for tmp, (path, _) in zip(staged, files, strict=True)])


def remove_stale_stagings(paths: Sequence[Path]) -> None:
    """Remove what stage() left for these targets in a run that was killed: a writer with no
    folder of its own to lock (`import`), whose temporary files no later run removed. Only
    those named after these targets: another program's are left alone."""
    wanted: dict[Path, set[str]] = {}
    for path in paths:
        wanted.setdefault(path.parent, set()).add(_name_start(path.name, 100))
    for folder, names in wanted.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if _TEMP_FILE.match(entry) and entry[1:].rsplit(".", 2)[0] in names:
                with contextlib.suppress(OSError):
                    (folder / entry).unlink()


def _missing_folders(folders: list[Path]) -> list[Path]:
    """The folders (and their parents) that do not exist yet, deepest first."""
    missing: set[Path] = set()
    for folder in folders:
        while folder not in missing and not folder.exists() and folder.parent != folder:
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda f: len(f.parts), reverse=True)


def stage(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, to be published (renamed) or discarded.

    A parallel build stages each artefact in its worker and publishes them all only when
    every job succeeded, so a failed build leaves the old files untouched.
    """
    with staging(path) as file:
        file.write(data)
    return file.staged


class StagedFile(io.FileIO):
    """A staged file open for its bytes as they are made (`staging`): every write is whole,
    or a PackagerIOError naming the target (a full disk fails a build's job with exit 6)."""

    def __init__(self, fd: int, staged: Path, target: Path) -> None:
        super().__init__(fd, "r+")
        self.staged = staged
        self._target = target

    def write(self, data: Any) -> int:
        try:
            _write(self.fileno(), data)
        except OSError as exc:
            raise _cannot_write(self._target, exc) from exc
        return memoryview(data).nbytes


@contextmanager
def staging(path: Path) -> Iterator[StagedFile]:
    """A new temporary file beside `path`, to be published (renamed) or discarded; removed
    when the block fails. A build writes a large artefact into it as it is made, instead of
    holding it whole first (a 50,000-question Moodle file is 180 MB)."""
    if path.exists() and not path.is_file():
        # The rename would put a file in its place: `--out /dev/null --force` as root
        # replaced the device (a fuzz run).
        raise PackagerIOError(
            f"{path}: exists and is not a file (a device, a pipe or a folder); nothing was "
            "written", hints=["move what is there, or write elsewhere (an import, or an "
                              "export of one text file, can go to the standard output: -o -)"]
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Beside the final name, so the rename stays on one file system; a name no other
        # writer (process or thread) holds, created with O_EXCL.
        fd, tmp = _created_beside(path)
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        # No fsync: the rename already guarantees readers see the old or the new file,
        # never a part; fsync only adds power-loss durability (0.15 s per 8 MB here).
        # Closed before the rename: Windows cannot rename an open file.
        with StagedFile(fd, tmp, path) as file:
            yield file
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _cannot_write(path: Path, exc: OSError) -> PackagerIOError:
    from packager.relpath import windows_path_limit

    # The file written first is the temporary one, up to 16 characters longer.
    longest = max(path, _staged_name(path, "0" * 10), key=lambda p: len(str(p)))
    hint = windows_path_limit(longest) if isinstance(exc, FileNotFoundError) else None
    return PackagerIOError(f"{path}: cannot write: {exc.strerror or exc}",
                           hints=[hint] if hint else [])


def _created_beside(path: Path) -> tuple[int, Path]:
    """A new file of a random name beside `path`, open to write (and read back). Its mode is what the user's
    umask makes of 0o666, as for any file a program creates (mkstemp's 0o600 would hide a
    package from other users; a fixed 0o644 would show private answer keys under umask 077).
    O_EXCL: never a file or link that is there already."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = _staged_name(path, os.urandom(5).hex())
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


def _staged_name(path: Path, tag: str) -> Path:
    """The temporary name `path` is written under first (`tag`: 10 random hex digits)."""
    return path.parent / f".{_name_start(path.name, 100)}.{tag}.tmp"


def _name_start(name: str, size: int) -> str:
    """The start of `name` within `size` bytes of UTF-8, as file systems count a name's
    length (255 bytes): 100 characters of Chinese or emoji are 300 or 400, and a legal name
    of 80 Chinese characters would make a temporary name too long. A character is never
    cut."""
    return name.encode("utf-8", "surrogatepass")[:size].decode("utf-8", "ignore")


def _write(fd: int, data: bytes) -> None:
    """Every byte to the file (the one place output bytes reach the disk)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def publish(tmp: Path, path: Path) -> None:
    """Rename a staged file into place (atomic within one file system)."""
    publish_all([(tmp, path)])


def publish_all(staged: Sequence[tuple[Path, Path]]) -> None:
    """Rename staged files into place, `(temporary file, target)` in order. Each rename is
    atomic, the whole is not: when one fails, the files after it are discarded, and the
    error says which targets were replaced already and which were not. A Ctrl-C (or SIGTERM)
    waits for the last rename, so an interrupted run leaves all of them new or all old."""
    with _interrupts_held():
        for done, (tmp, path) in enumerate(staged):
            try:
                _replace(tmp, path)
            except BaseException as exc:  # whatever stops the loop: the rest are discarded
                for rest, _ in staged[done:]:
                    discard(rest)
                if not isinstance(exc, OSError):
                    raise
                targets = [target for _, target in staged]
                raise _not_replaced(exc, targets[done], targets[:done], targets[done:]) from exc


_HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held until the block ends, then delivered to the handlers
    they had: the renames take milliseconds (a few seconds at most, where Windows makes them
    wait for another program), and a folder half of new packages and half of old ones is
    worse than a Ctrl-C answered late. Only the main thread receives signals in Python; in
    another (an API call from a worker thread) nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    before = {number: signal.signal(number, lambda number, _: held.append(number))
              for number in _HELD_SIGNALS
              if signal.getsignal(number) is not None}  # None: a handler set outside Python
    try:
        yield
    except BaseException:
        # The error says which files were replaced and which not (new beside old): a held
        # interrupt raised now would replace it with "Interrupted.". The run stops anyway.
        for number, handler in before.items():
            signal.signal(number, handler)
        raise
    for number, handler in before.items():
        signal.signal(number, handler)
    if held:
        signal.raise_signal(held[0])


def _replace(tmp: Path, path: Path) -> None:
    """os.replace, tried again while another program may hold the target open briefly."""
    pauses = _HELD_OPEN_PAUSES if _HELD_OPEN else ()
    for pause in pauses:
        try:
            os.replace(tmp, path)
        except PermissionError:
            time.sleep(pause)
        else:
            return
    os.replace(tmp, path)


def _not_replaced(exc: OSError, path: Path, replaced: Sequence[Path],
                  left: Sequence[Path]) -> PackagerIOError:
    message = f"{path}: cannot write: {exc.strerror or exc}"
    hints = []
    if _HELD_OPEN and isinstance(exc, PermissionError):
        message += ": another program holds the file open (or it is read-only)"
        hints.append("close what has it open (a viewer, an upload, an antivirus scan), or "
                     "pause the sync of the folder (OneDrive, Dropbox), then run again")
    if replaced:
        hints.append(f"{_count(replaced)} replaced already ({_named(replaced)}), "
                     f"{_count(left)} not ({_named(left)}): the folder holds new files beside "
                     "old ones until a run writes them all")
    elif len(left) > 1:
        hints.append(f"none of the {len(left)} files was replaced: the folder is as it was")
    return PackagerIOError(message, hints=hints)


def _count(paths: Sequence[Path]) -> str:
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''}"


def _named(paths: Sequence[Path]) -> str:
    names = ", ".join(str(path) for path in paths[:_MAX_NAMED])
    return names + (", …" if len(paths) > _MAX_NAMED else "")


def discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)


# -- owning an output folder -----------------------------------------------------------------


@contextmanager
def output_folder(out: Path) -> Iterator[None]:
    """Hold `out`'s lock while writing into it: a second build into the same folder stops
    with the holder's pid instead of mixing its files with ours. Temporary files of killed
    runs are removed when the lock is taken and when it is released (ours included, should
    a worker have died mid-write)."""
    created = _make_folder(out)
    lock = out / LOCK_FILE
    record, held = _acquire(lock)
    try:
        remove_temp_files(out)
        yield
    finally:
        remove_temp_files(out)
        _release(lock, record, held)
        if created:
            with contextlib.suppress(OSError):  # not empty: something was written
                out.rmdir()


def _lock_stem(name: str) -> str:
    """`name`, or for a name too long to take `.…lock` (and a take-over's `.<pid>.tmp`)
    within the 255 bytes file systems store, its start and a digest of it: a bank of a
    255-byte name (from a source of one) could not be imported, its lock "File name too long"."""
    raw = name.encode("utf-8", "surrogatepass")
    if len(raw) <= 200:
        return name
    return f"{_name_start(name, 180)}-{hashlib.sha256(raw).hexdigest()[:12]}"


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold a lock beside `path` (`.<name>.lock`) while it, and what goes with it, is written:
    of two runs writing one file, the second stops with the holder's pid, where both found no
    file to overwrite and the last one's won. The folder is made when missing, and removed
    again when nothing was written into it."""
    created = _make_folder(path.parent)
    lock = path.with_name(f".{_lock_stem(path.name)}.lock")
    record, held = _acquire(lock, str(path))
    try:
        yield
    finally:
        _release(lock, record, held)
        if created:
            with contextlib.suppress(OSError):  # not empty: something was written
                path.parent.rmdir()


def remove_temp_files(out: Path) -> None:
    """Delete the temporary files of killed runs (_TEMP_FILE): only a lock holder calls
    this, so none is in use. A folder gone (deleted or replaced mid-run) holds none: the
    error the run met says why, not a traceback from here."""
    try:
        entries = list(os.scandir(out))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if _TEMP_FILE.match(entry.name) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)


def _make_folder(out: Path) -> bool:
    """Make the folder if needed; whether it was made."""
    if out.is_dir():
        return False
    if out.exists() and not out.is_dir():
        raise PackagerIOError(
            f"{out}: is a file, expected a folder",
            hints=["give another output folder, or move the file away"],
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackagerIOError(f"{out}: cannot create the folder: {exc.strerror or exc}") from exc
    return True


def _acquire(lock: Path, written: str = "") -> tuple[bytes, int | None]:
    """Create the lock, naming this process, and hold the kernel's lock on it (`_held_open`).
    `written`: the file it guards (a bank being imported), else it guards its folder."""
    record = f"{os.getpid()} {socket.gethostname()}\n".encode()
    for _ in range(3):  # a stale lock is taken over, then created again
        try:
            # O_BINARY: Windows opens in text mode otherwise, writing "\r\n" for "\n"
            # (tempfile adds it for the same reason); only Windows has it.
            flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(lock, flags, 0o644)
            held = _held_open(fd)  # before the line is written: see _is_stale
        except FileExistsError:
            seen = _read(lock)
            if seen is None:
                continue  # released meanwhile
            if not _is_stale(lock, seen):
                raise _held(lock, seen, written) from None
            _take_over(lock, seen)
            continue
        except OSError as exc:
            raise PackagerIOError(
                f"{lock.parent}: cannot write: {exc.strerror or exc}"
            ) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(record)
        except OSError as exc:
            # A full disk: an empty lock, taken for another process's for a minute, stayed.
            lock.unlink(missing_ok=True)
            if held is not None:
                os.close(held)
            raise PackagerIOError(
                f"{lock.parent}: cannot write: {exc.strerror or exc}"
            ) from exc
        return record, held
    raise _held(lock, _read(lock) or b"", written)


def _held_open(fd: int) -> int | None:
    """A second descriptor of the new lock, holding the kernel's lock (flock) on it until the
    run releases it: the kernel drops it however the process ends, so a later run tells a
    dead holder that no pid check can find (a container's `1 <container id>`, a pid used
    again since) from a live one. None where flock is missing (Windows) or refused (some
    network file systems): the pid and host name decide alone."""
    if fcntl is None:
        return None
    held = os.dup(fd)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(held)
        return None
    return held


def _release(lock: Path, record: bytes, held: int | None) -> None:
    if _is_ours(_read(lock), record):
        lock.unlink(missing_ok=True)
    if held is not None:
        os.close(held)  # the kernel's lock with it


def _kernel_lock_free(lock: Path) -> bool | None:
    """Whether no process holds the kernel's lock on `lock`; None when that cannot be told."""
    if fcntl is None:
        return None
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    finally:
        os.close(fd)  # and the lock, when it was taken
    return True


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _is_ours(seen: bytes | None, record: bytes) -> bool:
    """Whether the lock read back names this process, as `record` does. The holders are
    compared, not the bytes: a lock whose line ends in CR LF (a Windows text-mode write)
    names the same holder, and was never released while the bytes were compared."""
    holder = None if seen is None else _holder(seen)
    return holder is not None and holder == _holder(record)


def _holder(seen: bytes) -> tuple[int, str] | None:
    parts = seen.decode("utf-8", "replace").split()
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def _is_stale(lock: Path, seen: bytes) -> bool:
    holder = _holder(seen)
    if holder is None:
        try:
            age = time.time() - lock.stat().st_mtime
        except OSError:
            return False
        return age > _UNREADABLE_LOCK_SECONDS
    # A holder flocks the lock before writing its line: a lock whose line is written and
    # whose kernel lock is taken has a live holder, wherever it runs.
    free = _kernel_lock_free(lock)
    if free is False:
        return False
    pid, host = holder
    if host != socket.gethostname():
        # Another machine's or another container's (pid 1 on a container id): no pid check
        # can tell, only a kernel lock left free (False where the file system has none).
        return free is True
    return pid == os.getpid() or not pid_alive(pid)


def _take_over(lock: Path, seen: bytes) -> None:
    # Move the stale lock aside atomically, then make sure it is the one judged stale: of two
    # processes taking over at once, the second may have moved the first one's new lock.
    aside = lock.with_name(f".{lock.name}.{os.getpid()}.tmp")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    if _read(aside) == seen:
        aside.unlink(missing_ok=True)
    else:
        os.replace(aside, lock)


def _held(lock: Path, seen: bytes, written: str) -> PackagerIOError:
    holder = _holder(seen)
    who = f"pid {holder[0]} on {holder[1]}" if holder else "an unknown process"
    what = f"{written}: another packager process ({who}) is writing it" if written else (
        f"{lock.parent}: another packager process ({who}) is writing into this folder")
    return PackagerIOError(
        what,
        hints=[
            "wait until it has finished, or write to another "
            + ("file" if written else "folder") + " with --out",
            f"if no such process runs, delete {lock}",
        ],
    )


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if os.name == "nt":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    return True


def _pid_alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) on Windows sends CTRL_C_EVENT (0) instead of checking, so ask the kernel.
    import ctypes

    # use_last_error: ctypes keeps the call's error code, which the interpreter's own calls
    # between OpenProcess and a GetLastError() may overwrite (a live holder of another user,
    # "access denied", would read as gone, and its lock be taken).
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(ctypes.get_last_error() == access_denied)  # type: ignore[attr-defined]
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
