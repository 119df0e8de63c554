"""packager.processes: the start method per platform, and peak memory where the platform
reports it (Windows has no `resource`; macOS reports bytes, Linux KiB)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
import types
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest

from packager import processes
from packager.errors import UsageError
from tests.conftest import ROOT


def test_linux_forks_and_other_platforms_spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(processes.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert processes.start_method() == "fork"
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert processes.start_method() == "spawn"


def test_no_fork_on_offer_means_spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(processes.ENV_VAR, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(processes.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert processes.start_method() == "spawn"


def test_the_environment_variable_chooses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(processes.ENV_VAR, "spawn")
    assert processes.start_method() == "spawn"
    monkeypatch.setenv(processes.ENV_VAR, "fork")
    assert processes.start_method() == "fork"


def test_a_method_the_platform_lacks_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processes.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setenv(processes.ENV_VAR, "fork")
    with pytest.raises(UsageError, match="PACKAGER_START_METHOD='fork'") as caught:
        processes.start_method()
    assert list(caught.value.hints) == ["use one of spawn, or unset it"]


def test_without_the_resource_module_peak_memory_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "resource", None)  # what `import resource` finds on Windows
    assert processes.peak_rss_mb() is None


@pytest.mark.parametrize(
    ("platform", "maxrss"), [("linux", 300 * 1024), ("darwin", 300 * 1024 * 1024)]
)
def test_peak_memory_in_mib_whatever_unit_the_platform_reports(
    monkeypatch: pytest.MonkeyPatch, platform: str, maxrss: int
) -> None:
    fake = types.SimpleNamespace(
        RUSAGE_SELF=0, getrusage=lambda who: types.SimpleNamespace(ru_maxrss=maxrss)
    )
    monkeypatch.setitem(sys.modules, "resource", fake)
    monkeypatch.setattr(sys, "platform", platform)
    assert processes.peak_rss_mb() == 300.0


def test_peak_memory_of_this_process_is_plausible() -> None:
    if sys.platform == "win32":
        pytest.skip("no resource module")
    peak = processes.peak_rss_mb()
    assert peak is not None and 10 < peak < 100_000  # MiB: a Python with lxml and pydantic


class _Worker:
    """A worker's future, done: it took `taken` from the front (results pickled, as
    processes._from_the_front sends them), or it died (`dead`)."""

    def __init__(self, taken: range, counters: list[int], dead: bool = False) -> None:
        counters[0] = max(counters[0], taken.stop)
        self.pickled = {p: pickle.dumps(("there", p)) for p in taken}
        self.dead = dead

    def result(self) -> dict[int, bytes]:
        if self.dead:
            raise BrokenProcessPool("a worker died")
        return self.pickled


def test_shared_gives_every_result_in_order_whoever_computed_it() -> None:
    parts = list(range(40))
    counters = [0, len(parts)]
    worker: Any = _Worker(range(12), counters)
    results = processes.shared(parts, lambda p: ("here", p), [worker], counters)
    assert results == [("there", p) for p in range(12)] + [("here", p) for p in range(12, 40)]
    assert counters == [12, 12]  # this process went down from the back to the worker's front


def test_what_a_dead_worker_took_is_run_here() -> None:
    parts = list(range(30))
    counters = [0, len(parts)]
    workers: Any = [_Worker(range(5), counters, dead=True), _Worker(range(5, 9), counters)]
    results = processes.shared(parts, lambda p: ("here", p), workers, counters)
    assert results == (
        [("here", p) for p in range(5)]
        + [("there", p) for p in range(5, 9)]
        + [("here", p) for p in range(9, 30)]
    )


def _pid_of(state: int, part: int) -> tuple[int, int]:
    import os
    import time

    time.sleep(0.002)  # long enough for both sides to take parts
    return os.getpid(), part * state


def test_forked_workers_take_the_front_and_this_process_the_back() -> None:
    import os

    parts = list(range(200))
    results = processes.in_forked_workers(parts, lambda p: _pid_of(3, p), _pid_of, 3, 1)
    assert results is not None
    assert [value for _, value in results] == [p * 3 for p in parts]
    here = [p for p, (pid, _) in enumerate(results) if pid == os.getpid()]
    there = [p for p, (pid, _) in enumerate(results) if pid != os.getpid()]
    assert here and there
    assert max(there) < min(here)


def _slow_answer(value: int) -> int:
    import time

    time.sleep(0.3)
    return value


def _fails(value: int) -> int:
    raise ValueError(value)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_pool_ends_with_its_running_parts_done(method: str) -> None:
    import gc

    with processes.worker_pool(1, method, gc.disable) as pool:
        running = pool.submit(_slow_answer, 42)
        while not running.running():  # handed to the worker, not merely queued
            pass
    assert running.done() and running.result() == 42


def _dies_taking(state: None, value: int) -> int:
    import os

    os._exit(1)


def _fails_taking(state: None, value: int) -> int:
    raise ValueError(value)


@pytest.mark.parametrize("there", [_dies_taking, _fails_taking])
def test_what_a_worker_could_not_do_is_done_here(there: Any) -> None:
    """A worker that dies (killed, out of memory) or raises: its parts are run here, and
    the pool ends without waiting for them (multiprocessing.Pool's close() would wait for
    ever for the part of a worker that died)."""
    import time

    started = time.monotonic()
    results = processes.in_forked_workers(list(range(30)), lambda p: p + 100, there, None, 2)
    assert results == [p + 100 for p in range(30)]
    assert time.monotonic() - started < 30


_PARENT = __import__("os").getpid()


def _dies_in_a_worker(value: int) -> int:
    import os

    if os.getpid() != _PARENT:
        os._exit(1)  # as a worker killed for memory ends
    return value + 100


def test_mapped_gives_every_result_in_order_when_a_worker_dies() -> None:
    """The assembler's batches: a dead worker's batch and every later one are built here,
    the same results in the same order (pool.map alone raised BrokenProcessPool)."""
    import gc

    with processes.worker_pool(2, "fork", gc.disable) as pool:
        results = list(processes.mapped(pool, _dies_in_a_worker, list(range(20))))
    assert results == [p + 100 for p in range(20)]


def test_mapped_passes_on_what_the_work_itself_raises() -> None:
    import gc

    with processes.worker_pool(1, "fork", gc.disable) as pool, pytest.raises(ValueError):
        list(processes.mapped(pool, _fails, [1, 2]))


_ORPHAN = """
import os, sys, time
from packager.processes import worker_pool

with worker_pool(1, sys.argv[1], None) as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 60)
    time.sleep(60)
"""


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # a zombie (adopted, not yet reaped) is gone too
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc, and signals")
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_worker_ends_when_its_parent_is_killed(method: str) -> None:
    """Review 30: a build killed by SIGKILL (the OOM killer) or SIGTERM left its workers
    running for good, writing into dist/ and then blocked with their memory. One mechanism
    for every start method (and so for Windows and macOS, which spawn): the parent's sentinel."""
    command = subprocess.Popen([sys.executable, "-c", _ORPHAN, method], stdout=subprocess.PIPE,
                               text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert command.stdout is not None
        worker = int(command.stdout.readline())
        command.kill()
        command.wait(10)
        assert _gone(worker, 10), "the worker outlived its parent"
    finally:
        command.kill()


def test_outside_a_worker_there_is_no_parent_to_end_with() -> None:
    """end_with_parent waits only in a process multiprocessing started (in a worker pool)."""
    processes.end_with_parent()  # returns at once here, instead of ending the test run


def test_ctrl_c_is_seen_while_a_part_runs_on_its_own_thread() -> None:
    """interrupt_main sets the flag a signal sets but wakes no wait, as Ctrl-C on Windows
    (before Python 3.14) wakes no wait on a lock: the thread's join must look between waits,
    not wait out the part (here 20 s)."""
    import _thread
    import signal
    import threading

    # Python's own handler, which interrupt_main needs (a test before may have set another).
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    before = threading.active_count()
    done = threading.Event()
    try:
        threading.Timer(0.3, _thread.interrupt_main).start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            processes.on_own_thread(done.wait, 20)
        assert time.monotonic() - started < 5
    finally:
        signal.signal(signal.SIGINT, handler)
        done.set()
        # No thread left behind: workers are not forked beside one (workers_to_fork).
        deadline = time.monotonic() + 10
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.01)
    assert threading.active_count() == before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked only where fork is")
def test_forked_counters_are_shared_with_a_forked_worker() -> None:
    """What a forked worker writes this process reads, without a lock, in 64 bits."""
    counters = processes.forked_counters(0, 1 << 62)
    assert (counters[0], counters[1]) == (0, 1 << 62)
    pid = os.fork()
    if pid == 0:  # the worker
        counters[0] = 12
        counters[1] = -(1 << 40)
        os._exit(0)
    os.waitpid(pid, 0)
    assert (counters[0], counters[1]) == (12, -(1 << 40))
