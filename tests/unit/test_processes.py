"""packager.processes: the start method per platform, and peak memory where the platform
reports it (Windows has no `resource`; macOS reports bytes, Linux KiB)."""

from __future__ import annotations

import sys
import types
from concurrent.futures import Future
from typing import Any

import pytest

from packager import processes
from packager.errors import UsageError


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


class _Pool:
    """submit runs the function at once (`eager`), or never starts it."""

    def __init__(self, eager: bool) -> None:
        self.eager = eager
        self.sent: list[object] = []

    def submit(self, function: Any, part: object) -> Future[object]:
        self.sent.append(part)
        future: Future[object] = Future()
        if self.eager:
            future.set_result(function(part))
        return future


def test_shared_gives_every_result_in_order_whoever_computed_it() -> None:
    parts = list(range(40))
    pool: Any = _Pool(eager=True)
    results = processes.shared(parts, lambda p: ("here", p), lambda p: ("there", p), pool, 2)
    assert [p for _, p in results] == parts
    assert {who for who, _ in results} == {"here", "there"}
    # The workers were handed parts from the front, this process took them from the back.
    there = [p for who, p in results if who == "there"]
    here = [p for who, p in results if who == "here"]
    assert max(there) < min(here)
    assert pool.sent[:4] == [0, 1, 2, 3]


def test_shared_never_waits_for_a_worker_that_does_not_start() -> None:
    parts = list(range(25))
    pool: Any = _Pool(eager=False)
    results = processes.shared(parts, lambda p: p * 10, lambda p: -1, pool, 3)
    assert results == [p * 10 for p in parts]
    assert len(pool.sent) == 3 * processes.QUEUED_PER_WORKER  # then no more were handed out


def _slow_answer(value: int) -> int:
    import time

    time.sleep(0.3)
    return value


def _dies(value: int) -> int:
    import os

    os._exit(1)


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


@pytest.mark.parametrize("there", [_dies, _fails])
def test_what_a_worker_could_not_do_is_done_here(there: Any) -> None:
    """A worker that dies (killed, out of memory) or raises: its parts are run here, and
    the pool ends without waiting for them (multiprocessing.Pool's close() would wait for
    ever for the part of a worker that died)."""
    import gc
    import time

    started = time.monotonic()
    with processes.worker_pool(2, "fork", gc.disable) as pool:
        results = processes.shared(list(range(30)), lambda p: p + 100, there, pool, 2)
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
