"""Worker processes: how they start on this platform, how a job's parts are shared with them,
and how much memory one used at most.

Linux workers are forked: they inherit the loaded banks and compiled schemas for free, and
every caller finishes its background threads before forking. Elsewhere a worker is a fresh
interpreter (spawn): Windows has no fork, and on macOS fork is unsafe once system libraries
have started threads (Python's own default there is spawn). `PACKAGER_START_METHOD` chooses
one explicitly; the tests force `spawn` with it, so the path Windows and macOS take runs here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")
State = TypeVar("State")

ENV_VAR = "PACKAGER_START_METHOD"
METHODS = ("fork", "forkserver", "spawn")
QUEUED_PER_WORKER = 2
MAX_WORKERS = 7


def start_method() -> str:
    """`PACKAGER_START_METHOD` when set, else fork on Linux and spawn elsewhere."""
    chosen = os.environ.get(ENV_VAR, "").strip()
    available = multiprocessing.get_all_start_methods()
    if not chosen:
        return "fork" if sys.platform.startswith("linux") and "fork" in available else "spawn"
    if chosen not in available:
        from packager.errors import UsageError

        raise UsageError(
            f"{ENV_VAR}={chosen!r} is not a start method this platform offers",
            hints=[f"use one of {', '.join(m for m in METHODS if m in available)}, or unset it"],
        )
    return chosen


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MiB; None where the platform does not say
    (Windows has no `resource` module)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # getrusage(2): kilobytes on Linux and the BSDs, bytes on macOS.
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def shared(
    parts: Sequence[Part],
    here: Callable[[Part], Result],
    there: Callable[[Part], Result],
    pool: Executor,
    workers: int,
) -> list[Result]:
    """Every part's result, in order: `workers` processes of `pool` (a worker_pool) run
    `there` (a function a worker can be told by name) on parts from the front, this process
    runs `here` on parts from the back. At most two parts wait per worker, and what still
    waits when the rest is done this process runs itself: on a busy machine it never waits
    long for a worker that gets no core, or that is still starting. A part whose worker
    failed (died, or raised) is run here too."""
    todo = deque(range(len(parts)))
    done: dict[int, Result] = {}
    queued: deque[tuple[int, Future[Result]]] = deque()
    broken = False
    while todo or queued:
        while queued and queued[0][1].done():
            index, future = queued.popleft()
            if future.exception() is None:
                done[index] = future.result()
            else:
                todo.append(index)
        while todo and not broken and len(queued) < workers * QUEUED_PER_WORKER:
            index = todo.popleft()
            try:
                queued.append((index, pool.submit(there, parts[index])))
            except BrokenExecutor:  # a worker died: the rest is run here
                todo.appendleft(index)
                broken = True
        if todo:
            index = todo.pop()
        elif queued:
            index, future = queued.popleft()
            if future.done() and future.exception() is None:
                done[index] = future.result()
                continue
        else:
            break
        done[index] = here(parts[index])
    return [done[index] for index in range(len(parts))]


def mapped(pool: Executor, run: Callable[[Part], Result], parts: Sequence[Part]) -> Iterator[Result]:
    """`pool.map(run, parts)`: results in order; when a worker dies (the pool breaks), this
    process runs the parts that have no result yet itself, so the caller still gets every
    result, the same ones. `run` must be able to run here too."""
    done = 0
    try:
        for result in pool.map(run, parts):
            yield result
            done += 1
    except BrokenExecutor:
        for part in parts[done:]:
            yield run(part)


@contextmanager
def worker_pool(
    workers: int, method: str, initializer: Callable[..., object] | None, *initargs: object
) -> Iterator[Executor]:
    """Worker processes (for `shared`, `mapped` and the build's jobs) that end without
    hanging when a worker dies, each started with `initializer(*initargs)` when one is given.
    A process pool executor: it notices a worker that died (the callers then run or fail its
    parts), and at the end it cancels what no worker started and waits only for the parts
    being run (a few hundredths of a second). multiprocessing.Pool could hang at either:
    terminate() could kill a worker halfway through sending a result, leaving the result
    queue's lock held for good (seen: an import that hung), and close() waits for the result
    of a part whose worker died. Hand it module-level functions and plain data only: an
    argument that fails to pickle in its feeder thread can leave shutdown() waiting."""
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(method)
    # Two calls: the executor's type stubs accept initargs only beside an initializer.
    executor = (
        ProcessPoolExecutor(workers, mp_context=context)
        if initializer is None
        else ProcessPoolExecutor(
            workers, mp_context=context, initializer=initializer, initargs=initargs
        )
    )
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def workers_to_fork(cores: int, wanted: int) -> int:
    """How many workers to fork for `wanted` workers' worth of work on `cores` usable cores
    (this process takes a share too). 0 where workers would be spawned: they would inherit
    nothing and must be sent everything first (and a spawned worker that dies starting
    leaves its parent waiting to send). 0 while another thread runs: a forked copy would
    keep any lock that thread holds, held for good."""
    if start_method() != "fork" or threading.active_count() > 1:
        return 0
    return max(0, min(cores - 1, MAX_WORKERS, wanted))


def in_forked_workers(
    parts: Sequence[Part],
    here: Callable[[Part], Result],
    there: Callable[[State, Part], Result],
    state: State,
    workers: int,
) -> list[Result] | None:
    """`shared` with `workers` forked workers that inherit `state` (nothing is pickled to
    them but the parts): a part runs as `here(part)` in this process or `there(state,
    part)` in a worker (`there` a module-level function). None when no process could be
    started (a sandbox, a limit): the caller does the work itself."""
    try:
        with worker_pool(workers, "fork", inherit, state) as pool:
            return shared(parts, here, partial(_with_inherited, there), pool, workers)
    except OSError:
        return None


_INHERITED: Any = None  # in a forked worker: the state it was started with


def inherit(state: object) -> None:
    """A forked worker's start (a worker_pool initializer): its state, and no garbage
    collection (the work leaves no cycles worth collecting, and a forked worker's first full
    collection would touch, and so copy, the whole heap it inherited)."""
    global _INHERITED
    _INHERITED = state
    gc.disable()


def inherited() -> Any:
    """In a worker started with `inherit`: the state it was started with."""
    return _INHERITED


def _with_inherited(there: Callable[[Any, Part], Result], part: Part) -> Result:
    return there(_INHERITED, part)
