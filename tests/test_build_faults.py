"""Faults while writing output: an unusable or full output folder (exit 6, nothing written),
a build killed at any moment (nothing partial, the next build repairs), two builds at once
(the second stops, naming the first)."""

from __future__ import annotations

import contextlib
import copy
import errno
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from packager import fsutil
from packager.cli import main
from tests.conftest import CONTENT, xsd_dir

CONFIG = 'banks = ["content/*.json"]\nformats = ["qti21", "gift", "scorm12"]\n' \
    "skip_unsupported = true\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "packager.toml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PACKAGER_XSD_DIR", str(xsd_dir()))
    return tmp_path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    code = done.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


EXPORT = ["export", "--format", "qti21,gift", "--skip-unsupported"]
BUILD = ["build", "--quiet", "--jobs", "1"]


# -- item 13: unusable or full output folder -------------------------------------------------


@pytest.mark.parametrize("command", [EXPORT, BUILD], ids=["export", "build"])
def test_an_output_path_that_is_a_file_is_exit_6_before_any_work(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    (project / "dist").write_text("not a folder")
    code, err = _run([*command, "--out", "dist"], capsys)
    assert code == 6
    assert "dist: is a file, expected a folder" in err and "Traceback" not in err
    code, err = _run([*command, "--out", "dist/sub"], capsys)
    assert code == 6
    assert "dist/sub: cannot create the folder" in err
    assert (project / "dist").read_text() == "not a folder"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root (and Windows ACLs) ignore a read-only mode; the ENOSPC tests cover the path",
)
@pytest.mark.parametrize("command", [EXPORT, BUILD], ids=["export", "build"])
def test_a_read_only_output_folder_is_exit_6_with_the_path(
    project: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    out = project / "dist"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, err = _run([*command, "--out", "dist"], capsys)
    finally:
        out.chmod(0o755)
    assert code == 6
    assert "dist: cannot write: Permission denied" in err
    assert _files(out) == {}


def _disk_full_after(monkeypatch: pytest.MonkeyPatch, n_writes: int) -> None:
    """The n_writes first files are written; every later write finds the disk full."""
    real = fsutil._write
    calls = {"n": 0}

    def write(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > n_writes:
            os.write(fd, data[: len(data) // 2])  # a part reached the disk, as it would
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(fsutil, "_write", write)


@pytest.mark.parametrize("command", [EXPORT, BUILD], ids=["export", "build"])
@pytest.mark.parametrize("n_writes", [0, 3])
def test_a_full_disk_is_exit_6_and_leaves_the_folder_as_it_was(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    n_writes: int,
) -> None:
    out = project / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier file")
    _disk_full_after(monkeypatch, n_writes)
    code, err = _run([*command, "--force"] if command is BUILD else command, capsys)
    assert code == 6, err
    assert "cannot write: No space left on device" in err and "Traceback" not in err
    assert _files(out) == {"keep.txt": b"an earlier file"}


def test_a_full_disk_in_a_new_folder_leaves_no_folder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _disk_full_after(monkeypatch, 1)
    code, _ = _run([*EXPORT, "--out", "new/dist"], capsys)
    assert code == 6
    assert not (project / "new" / "dist").exists()


# -- item 12: one writer per output folder ---------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_lock_held_by_a_live_process_stops_the_build_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "dist"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / fsutil.LOCK_FILE).write_text(f"{holder.pid} {socket.gethostname()}\n")
        for command in (BUILD, EXPORT):
            code, err = _run(command, capsys)
            assert code == 6
            assert f"another packager process (pid {holder.pid} on " in err
            assert f"dist{os.sep}{fsutil.LOCK_FILE}" in err.split("if no such process runs, delete ")[1]
    finally:
        holder.kill()
        holder.wait()
    assert sorted(_files(out)) == [fsutil.LOCK_FILE]  # the holder's lock is left alone


def test_a_stale_lock_and_temp_files_of_a_dead_build_are_taken_over(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "dist"
    out.mkdir()
    dead = _dead_pid()
    (out / fsutil.LOCK_FILE).write_text(f"{dead} {socket.gethostname()}\n")
    # What stage() of the killed build left (its 10 random hex digits).
    (out / ".neon-broccoli-1.0.0.qti21.zip.a1b2c3d4e5.tmp").write_bytes(b"PK half")
    code, err = _run(BUILD, capsys)
    assert code == 0, err
    names = sorted(_files(out))
    assert fsutil.LOCK_FILE not in names and not [n for n in names if n.endswith(".tmp")]
    _assert_sums_match(out)


_FLOCK_HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"1 ctr-run-1\\n")
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(fsutil.fcntl is None, reason="flock is POSIX; Windows has the test below")
def test_a_lock_of_another_host_is_held_while_its_kernel_lock_is(tmp_path: Path) -> None:
    """Review 30: a build killed in a container left `1 <container id>`, which no later run,
    in a container or not, took over: another host's pid cannot be checked. Its holder's
    kernel lock (flock) can: held while it runs, free once it is gone."""
    lock = tmp_path / fsutil.LOCK_FILE
    holder = subprocess.Popen([sys.executable, "-c", _FLOCK_HOLDER, str(lock)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(fsutil.PackagerIOError, match="pid 1 on ctr-run-1"), \
                fsutil.output_folder(tmp_path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with fsutil.output_folder(tmp_path):  # the container was killed: its lock is stale
        assert lock.read_text().split()[0] == str(os.getpid())
    assert not lock.exists()


@pytest.mark.skipif(fsutil.fcntl is None, reason="flock is POSIX")
def test_a_run_holds_the_kernel_lock_of_its_lock_until_it_releases_it(tmp_path: Path) -> None:
    lock = tmp_path / fsutil.LOCK_FILE
    with fsutil.output_folder(tmp_path):
        assert fsutil._kernel_lock_free(lock) is False
        lock.write_text("1 ctr-run-1\n")  # as if written elsewhere: still held
        with pytest.raises(fsutil.PackagerIOError, match="pid 1 on ctr-run-1"), \
                fsutil.output_folder(tmp_path):
            pass
    assert lock.read_text() == "1 ctr-run-1\n"  # not ours, so not removed
    with fsutil.output_folder(tmp_path):  # free now: taken over
        pass
    assert not lock.exists()


def test_without_a_kernel_lock_another_hosts_lock_is_never_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where flock is missing (Windows), another machine's pid cannot be checked at all."""
    monkeypatch.setattr(fsutil, "fcntl", None)
    (tmp_path / fsutil.LOCK_FILE).write_text("12345 some-other-host\n")
    held = pytest.raises(fsutil.PackagerIOError, match="pid 12345 on some-other-host")
    with held, fsutil.output_folder(tmp_path):
        pass


def test_an_unreadable_lock_is_held_while_young_and_stale_when_old(tmp_path: Path) -> None:
    lock = tmp_path / fsutil.LOCK_FILE
    lock.write_bytes(b"")  # a writer killed between creating and filling it, or writing now
    held = pytest.raises(fsutil.PackagerIOError, match="an unknown process")
    with held, fsutil.output_folder(tmp_path):
        pass
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with fsutil.output_folder(tmp_path):
        assert lock.read_text().split()[0] == str(os.getpid())
    assert not lock.exists()


def test_pid_alive_here_and_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    assert fsutil.pid_alive(os.getpid())
    assert not fsutil.pid_alive(_dead_pid())

    class Kernel32:
        """Answers like Windows: 42 runs, 43 has exited, 44 does not exist, 45 is not ours."""

        def __init__(self) -> None:
            self.error = 0
            self.closed: list[int] = []

        def OpenProcess(self, access: int, inherit: bool, pid: int) -> int:
            assert access == 0x1000 and not inherit
            self.error = {44: 87, 45: 5}.get(pid, 0)
            return 0 if self.error else pid

        def GetLastError(self) -> int:  # what the interpreter's calls left: not the answer
            return 0

        def GetExitCodeProcess(self, handle: int, code: object) -> int:
            code._obj.value = 259 if handle == 42 else 0  # type: ignore[attr-defined]
            return 1

        def CloseHandle(self, handle: int) -> None:
            self.closed.append(handle)

    kernel32 = Kernel32()

    def win_dll(name: str, use_last_error: bool = False) -> Kernel32:
        assert name == "kernel32" and use_last_error  # the error ctypes kept for this call
        return kernel32

    monkeypatch.setattr(ctypes, "WinDLL", win_dll, raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel32.error, raising=False)
    alive = {pid: fsutil._pid_alive_windows(pid) for pid in (42, 43, 44, 45)}
    assert alive == {42: True, 43: False, 44: False, 45: True}
    assert kernel32.closed == [42, 43]


def _build_process(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "packager", "build", "--quiet", *args],
        cwd=project,
        env={**os.environ, "PACKAGER_XSD_DIR": str(xsd_dir())},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: killed with its workers
    )


@pytest.fixture
def big_project(project: Path) -> Path:
    """Enough questions that a build takes a few seconds (600 questions, every format)."""
    bank = json.loads((project / "content" / "sample-all-types.json").read_text())
    questions = bank.pop("questions")
    bank.pop("sections", None)
    bank["id"] = "big"
    bank["questions"] = []
    for i in range(50):
        for question in questions:
            copied = copy.deepcopy(question)
            copied["id"] = f"{question['id']}-{i}"
            bank["questions"].append(copied)
    (project / "content" / "big.json").write_text(json.dumps(bank))
    (project / "packager.toml").write_text(
        'banks = ["content/*.json"]\nformats = ["all"]\nskip_unsupported = true\n'
    )
    return project


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_two_builds_at_once_the_second_stops_naming_the_first(big_project: Path) -> None:
    first = _build_process(big_project)
    lock = big_project / "dist" / fsutil.LOCK_FILE
    deadline = time.monotonic() + 60
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    # The second loads one small bank, so it reaches the lock while the first still builds.
    small = 'banks = ["content/neon-broccoli.json"]\nformats = ["gift"]\n'
    (big_project / "small.toml").write_text(small)
    second = _build_process(big_project, "--config", "small.toml", "--force")
    _, second_err = second.communicate(timeout=120)
    _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    assert second.returncode == 6, second_err
    assert f"another packager process (pid {first.pid} on " in second_err
    _assert_sums_match(big_project / "dist")


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")
def test_a_build_killed_at_any_moment_leaves_nothing_partial_and_the_next_repairs(
    big_project: Path,
) -> None:
    out = big_project / "dist"
    started = time.monotonic()
    baseline = _build_process(big_project, "--jobs", "2")
    assert baseline.wait(timeout=120) == 0
    duration = time.monotonic() - started
    killed = 0
    # On a shared machine a build's length varies: a victim that finished before its kill
    # shortens the estimate, and a few more moments are tried until three builds were killed.
    moments = (0.15, 0.4, 0.7, 0.9, 0.98)  # through a whole build
    for n, fraction in enumerate((*moments, 0.3, 0.5, 0.6)):
        if n >= len(moments) and killed >= 3:
            break
        started = time.monotonic()
        victim = _build_process(big_project, "--force", "--jobs", "2")
        time.sleep(duration * fraction)
        with contextlib.suppress(ProcessLookupError):  # it may have finished first
            os.killpg(victim.pid, signal.SIGKILL)  # the parent and its workers: a CI cancel
        victim.communicate()
        if victim.returncode == -signal.SIGKILL:
            killed += 1
        else:
            duration = min(duration, time.monotonic() - started)
        for path in out.glob("*.zip"):
            assert zipfile.ZipFile(path).testzip() is None, f"{path.name} is partial"
        sums = out / "SHA256SUMS"
        if sums.exists():  # absent while a build publishes; never a list that lies
            _assert_sums_match(out, complete=False)
    assert killed >= 3
    again = _build_process(big_project)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if n.endswith(".tmp")], names
    assert fsutil.LOCK_FILE not in names
    _assert_sums_match(out)


def _assert_sums_match(out: Path, *, complete: bool = True) -> None:
    listed = {}
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        listed[name] = digest
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name
    if complete:
        packages = {
            p.name for p in out.iterdir()
            if p.is_file() and not p.name.startswith(".")
            and p.name not in ("SHA256SUMS", "build-report.json")
        }
        assert set(listed) == packages


_DYING_WORKER = """
import os, sys
from packager import release_jobs
from packager.cli import main
build_here, parent = release_jobs._run_job, os.getpid()
def dying(job):
    if os.getpid() != parent:  # whichever jobs went to the workers (qti21's, at least)
        os._exit(1)  # as a worker killed for memory ends: no result, no exception
    return build_here(job)
release_jobs._run_job = dying
main(["build", "--jobs", "2"])
"""


def _forking_build(project: Path, script: str) -> subprocess.CompletedProcess[str]:
    """A build script run in the project with forked workers (a timeout: it must not hang)."""
    env = {k: v for k, v in os.environ.items() if k != "PACKAGER_START_METHOD"}  # fork
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env={**env, "PACKAGER_XSD_DIR": str(xsd_dir())},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_a_worker_that_dies_fails_its_jobs_instead_of_hanging(project: Path) -> None:
    """A multiprocessing.Pool waited for ever for the result of a worker that died; the
    build must end, name what was not built, and write nothing."""
    done = _forking_build(project, _DYING_WORKER)
    assert done.returncode == 1, done.stderr
    # QTI 2.1's jobs wait for its XSD to compile, so workers take them.
    assert "qti21 of content/" in done.stderr
    assert "was not built: a worker process of the build stopped (BrokenProcessPool" in done.stderr
    assert "--jobs 1" in done.stderr
    assert "build failed: nothing was written" in done.stderr
    assert not (project / "dist").exists()


_WORKER_DIES_ONCE = """
import os, time
from pathlib import Path
from packager import release_jobs, release_workers
from packager.cli import main
build_here, run_here, parent = release_jobs._run_job, release_workers.run, os.getpid()
died = Path("died")
def name(bank, target):
    return f"{Path(bank).stem}-{target}"
def dies_once(job):
    if os.getpid() != parent and job[1] == "qti21" and "sample" in job[0] and not died.exists():
        # Not before the parent has received a job another worker built (60 s at most): the
        # build then knows that its workers run, and runs what the broken pool lost again.
        for _ in range(1200):
            if any(Path("got-" + done.name[5:]).exists() for done in Path(".").glob("done-*")):
                break
            time.sleep(0.05)
        died.touch()
        os._exit(1)  # as a worker killed for memory ends: no result, no exception
    result = build_here(job)
    if os.getpid() != parent:
        Path("done-" + name(job[0], job[1])).touch()
    return result
def run(plan, ctx, jobs, on_done=lambda result: None):
    def received(result):  # in the parent, as each result arrives
        Path("got-" + name(result.bank, result.target)).touch()
        on_done(result)
    return run_here(plan, ctx, jobs, received)
release_jobs._run_job, release_workers.run = dies_once, run
main(["build", "--jobs", "2"])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers")
def test_jobs_of_a_worker_that_died_are_built_again_alone(project: Path) -> None:
    """A worker killed beside another big job: the jobs the broken pool lost are built again,
    each alone in a fresh worker; the build succeeds and says so."""
    done = _forking_build(project, _WORKER_DIES_ONCE)
    assert done.returncode == 0, done.stderr
    assert (project / "died").exists()
    assert "warning: sample-all-types-" in done.stderr
    assert "its worker process stopped (BrokenProcessPool" in done.stderr
    report = json.loads((project / "dist" / "build-report.json").read_text())
    retried = {a["file"] for a in report["artifacts"] if a["retried"]}
    assert any(name.endswith(".qti21.zip") and "sample" in name for name in retried)
    _assert_sums_match(project / "dist")


def test_an_unguarded_script_with_spawned_workers_fails_instead_of_hanging(
    project: Path,
) -> None:
    """A spawned worker runs the calling script's top level again: here that is a second
    build, which stops at the first one's lock, and the worker ends without a result. The
    build must end (exit 1, nothing written), not wait for that worker."""
    (project / "unguarded.py").write_text(
        "import sys\nimport packager\n"
        "try:\n    packager.build(jobs=2, force=True)\n"
        "except packager.PackagerError as error:\n"
        "    sys.exit('\\n'.join([error.message, *error.hints]))\n"
        "print('built')\n"
    )
    done = subprocess.run(
        [sys.executable, "unguarded.py"],
        cwd=project,
        env={**os.environ, "PACKAGER_XSD_DIR": str(xsd_dir()), "PACKAGER_START_METHOD": "spawn"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "build failed" in done.stderr and "nothing was written" in done.stderr
    assert "a worker process of the build stopped" in done.stderr
    assert "built\n" not in done.stdout
    assert not (project / "dist").exists()


def test_a_sha256sums_that_cannot_be_removed_is_exit_6_and_nothing_replaced(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review 30: a SHA256SUMS that is a folder (or that cannot be changed) ended in a
    traceback; the packages were staged and discarded."""
    (project / "dist" / "SHA256SUMS").mkdir(parents=True)
    code, err = _run(BUILD, capsys)
    assert code == 6 and "Traceback" not in err
    assert "SHA256SUMS: cannot remove: Is a directory; nothing was replaced" in err
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["SHA256SUMS"]


def test_a_stale_package_that_cannot_be_removed_says_the_new_ones_are_in_place(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: `build --clean` with a stale package it could not delete ended in a
    traceback after every new package was in place."""
    assert _run(BUILD, capsys)[0] == 0
    stale = project / "dist" / "old-bank-1.0.0.gift.txt"
    stale.write_text("from an earlier build")
    real = Path.unlink

    def refused(path: Path, missing_ok: bool = False) -> None:
        if path == stale:
            raise PermissionError(errno.EACCES, "Permission denied")
        real(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refused)
    code, err = _run([*BUILD, "--clean", "--force"], capsys)
    assert code == 6 and "Traceback" not in err
    assert ("old-bank-1.0.0.gift.txt: cannot remove: Permission denied; the new packages "
            "are in place; SHA256SUMS and build-report.json were not written") in err


def test_an_output_folder_removed_mid_run_gives_the_error_that_stopped_it(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: with the folder gone, the cleanup's traceback hid the write error."""
    def folder_gone(path: Path, data: bytes) -> Path:
        shutil.rmtree(path.parent)
        raise fsutil.PackagerIOError(f"{path}: cannot write: No such file or directory")

    monkeypatch.setattr(fsutil, "stage", folder_gone)
    code, err = _run([*EXPORT, "--out", "dist"], capsys)
    assert code == 6 and "Traceback" not in err and "cannot write" in err
