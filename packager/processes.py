"""Worker processes: how they start on this platform, how a job's parts are shared with them,
and how much memory one used at most.

Linux workers are forked: they inherit the loaded banks and compiled schemas for free, and
every caller finishes its background threads before forking. Elsewhere a worker is a fresh
interpreter (spawn): Windows has no fork, and on macOS fork is unsafe once system libraries
have started threads (Python's own default there is spawn). `PACKAGER_START_METHOD` chooses
one explicitly; the tests force `spawn` with it, so the path Windows and macOS take runs here.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from contextlib import contextmanager
from typing import Any, TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")
State = TypeVar("State")

ENV_VAR = "PACKAGER_START_METHOD"
METHODS = ("fork", "forkserver", "spawn")
MAX_WORKERS = 7
_FRONT, _BACK = 0, 1  # the counters of `shared`


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
    workers: Sequence[Future[dict[int, bytes]]],
    counters: Any,
) -> list[Result]:
    """Every part's result, in order. The workers (`_from_the_front`, one future each) take
    parts from the front, this process runs `here` on parts from the back until the two
    meet, then collects what each worker did, in one piece. What no side did (a worker that
    died, or raised) is run here.

    The sides meet through `counters` in shared memory (`_FRONT`: the next part a worker
    takes; `_BACK`: the first part this process took), without a lock: a worker killed while
    holding one would leave the rest waiting for good. Each side writes its counter and
    reads the other before taking a part; where two sides take the same part it is run
    twice, which costs only time. Results come back once, at the end, when this process
    waits anyway: sent part by part, each went through a pipe whose reader in this process
    needed the interpreter lock that the parts read here held, and a worker sending a large
    part waited up to twice as long as reading it had taken."""
    done: dict[int, Result] = {}
    while True:
        index = counters[_BACK] - 1
        if index < counters[_FRONT]:
            break
        counters[_BACK] = index
        done[index] = here(parts[index])
    for future in workers:
        try:
            pickled = future.result()
        except Exception:  # the worker died (the pool is then broken) or raised
            continue
        done.update((index, pickle.loads(data)) for index, data in pickled.items())
    for index in range(len(parts)):
        if index not in done:
            done[index] = here(parts[index])
    return [done[index] for index in range(len(parts))]


def _from_the_front(there: Callable[[Any, Any], Any]) -> dict[int, bytes]:
    """In a forked worker (its state: `in_forked_workers`): parts from the front until the
    parts this process took are reached, each run as `there(state, part)` and pickled at
    once, so that sending them all at the end is a copy of bytes (pickling the results of
    5,000 questions of a text import took 0.07 s, which this process would wait for)."""
    state, parts, counters = _INHERITED
    done: dict[int, bytes] = {}
    while True:
        index = counters[_FRONT]
        if index >= counters[_BACK]:
            return done
        counters[_FRONT] = index + 1
        done[index] = pickle.dumps(there(state, parts[index]), pickle.HIGHEST_PROTOCOL)


def mapped(
    pool: Executor,
    run: Callable[[Part], Result],
    parts: Sequence[Part],
    here: Callable[[Part], Result] | None = None,
) -> Iterator[Result]:
    """`pool.map(run, parts)`: results in order; when a worker dies (the pool breaks), this
    process runs the parts that have no result yet itself, as `here(part)` (default: `run`,
    which must then be able to run here too), so the caller still gets every result, the
    same ones."""
    done = 0
    try:
        for result in pool.map(run, parts):
            yield result
            done += 1
    except BrokenExecutor:
        for part in parts[done:]:
            yield (run if here is None else here)(part)


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
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(), initializer, initargs))
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int, initializer: Callable[..., object] | None,
                  initargs: tuple[object, ...]) -> None:
    """A worker's start: it ends with the command that started it, then `initializer`.
    A worker holds both ends of its pool's pipes, so it never sees them close: a build killed
    by `timeout`, `docker stop` or the OOM killer left its workers writing temporary files
    into dist/, then blocked for good with their memory. On Linux the kernel ends a child of
    the command at once; everywhere a thread waits on the parent's sentinel (the only way on
    macOS and Windows, and for a forkserver's worker). SIGTERM ends a worker (the command's
    own handler, inherited by a fork, would make it an interruption the worker survives)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if os.getppid() == parent:
        _die_with_parent()
    threading.Thread(target=end_with_parent, daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (prctl PR_SET_PDEATHSIG).
    A forked worker busy in lxml was seen to finish its job, and rename its files into place,
    with the sentinel's thread alone (the end of its pipe is not this process's alone)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with_parent() -> None:
    """End this worker once the command that started it is gone: multiprocessing's sentinel
    of the parent (a pipe that closes, a process handle on Windows; the command itself for a
    forkserver's worker), waited on with every start method and platform. getppid() is no
    test on Windows, where it keeps naming a parent that died."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not a worker
        return
    parent.join()
    os._exit(1)


def on_own_thread(run: Callable[[Part], Result], part: Part) -> Result:
    """`run(part)` on a new thread, waited for; what it raised is raised here.

    glibc's malloc gives a new thread an arena of its own (or one a thread that ended left).
    On the main thread, the millions of small allocations of building a package (lxml's
    nodes, libxml2's strings, serialised bytes) took the free chunks scattered through the
    heap that loading the bank left, which a forked worker inherits, and cost more per
    question the larger the bank: the QTI 1.2 job of 50,000 questions took 20.6 CPU-s there
    and 10.8 s on its own thread (10,000 questions: 2.5-2.8 s and 2.2 s). Elsewhere a
    thread costs next to nothing.

    A daemon: an interrupted command does not wait for it (a build's temporary file is
    removed with the output folder's lock, fsutil.output_folder)."""
    done: list[Result] = []
    raised: list[BaseException] = []

    def target() -> None:
        try:
            done.append(run(part))
        except BaseException as exc:  # raised again in the caller's thread
            raised.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    while thread.is_alive():
        # Timed waits: Ctrl-C is seen between them, also where a wait on a lock cannot be
        # interrupted (Windows before Python 3.14), and the job may take a minute.
        thread.join(0.25)
    if raised:
        raise raised[0]
    return done[0]


def workers_to_fork(cores: int, wanted: int) -> int:
    """How many workers to fork for `wanted` workers' worth of work on `cores` usable cores
    (this process takes a share too). 0 where workers would be spawned: they would inherit
    nothing and must be sent everything first (and a spawned worker that dies starting
    leaves its parent waiting to send). 0 while another thread runs: a forked copy would
    keep any lock that thread holds, held for good."""
    if start_method() != "fork" or threading.active_count() > 1:
        return 0
    return max(0, min(cores - 1, MAX_WORKERS, wanted))


def forked_counters(*values: int) -> Any:
    """Integers this process and the workers it forks afterwards share (64-bit, read and
    written without a lock, as `shared` does): an anonymous shared mapping. A
    multiprocessing.RawArray is one too, but imports ctypes and multiprocessing's heap and
    creates a file for it (7 ms of every `validate`, before its standby forks)."""
    import mmap

    counters = memoryview(mmap.mmap(-1, 8 * len(values))).cast("q")
    for index, value in enumerate(values):
        counters[index] = value
    return counters


def in_forked_workers(
    parts: Sequence[Part],
    here: Callable[[Part], Result],
    there: Callable[[State, Part], Result],
    state: State,
    workers: int,
) -> list[Result] | None:
    """`shared` with `workers` forked workers that inherit `state` and the parts (nothing is
    pickled to them): a part runs as `here(part)` in this process or `there(state, part)` in
    a worker (`there` a module-level function). None when no process could be started (a
    sandbox, a limit): the caller does the work itself."""
    try:
        counters = forked_counters(0, len(parts))
        with worker_pool(workers, "fork", inherit, (state, parts, counters)) as pool:
            futures = [pool.submit(_from_the_front, there) for _ in range(workers)]
            return shared(parts, here, futures, counters)
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
