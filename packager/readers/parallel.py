"""A large import's independent questions read on every core, where workers can be forked.

A reader splits what it reads into parts of consecutive questions and reads each with one
function; `in_parts` runs the parts in forked worker processes and in this one, and gives the
results back in order, so the bank, the notes and the errors are those of one process reading
every question in turn. A forked worker inherits the reader's state (the lines, the parsed
tree) as it is when the pool starts: it is handed only its range, and only its results come
back pickled.

A spawned worker (Windows, macOS, `PACKAGER_START_METHOD=spawn`) inherits nothing: it would
parse the whole source again before reading its part, as long as reading the part itself.
There, with one usable core, with another thread running (a fork would copy a lock it holds,
held forever) and for a source too small for workers to pay for their start, this process
reads every question itself, through the same function.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

State = TypeVar("State")
Result = TypeVar("Result")

# Questions below which a worker is not worth starting (forking and pickling the results
# back cost a few hundredths of a second; reading a question a tenth to a third of a ms).
MIN_ITEMS = 2000
MAX_WORKERS = 7
PART = 250  # questions handed over at a time: small parts share the work out evenly
QUEUED_PER_WORKER = 2

_inherited: Any = None  # the state a forked worker reads its part of


def in_parts(
    read_part: Callable[[State, int, int], Result], state: State, count: int
) -> list[Result]:
    """`read_part(state, start, stop)` over consecutive parts of `range(count)`, in order.

    `read_part` must be a module-level function (a worker is told it by name) whose result
    depends only on `state` and the range, and is picklable."""
    workers = _workers(count)
    if workers < 1:
        return [read_part(state, 0, count)]
    import multiprocessing

    global _inherited
    _inherited = state  # also for a worker the pool forks to replace one that died
    try:
        try:
            pool = multiprocessing.get_context("fork").Pool(workers)
        except OSError:  # no processes to be had (a sandbox, a limit): read here
            return [read_part(state, 0, count)]
        try:
            return _shared(read_part, state, count, pool, workers)
        finally:
            pool.terminate()
            pool.join()
    finally:
        _inherited = None


def _shared(
    read_part: Callable[[State, int, int], Result], state: State, count: int, pool: Any,
    workers: int,
) -> list[Result]:
    """Every part read: the workers take them from the front, this process from the back.
    At most two wait per worker, and what still waits when the rest is done this process
    reads itself: on a busy machine it never waits long for a worker that gets no core."""
    todo = deque(range(0, count, PART))
    done: dict[int, Result] = {}
    queued: deque[tuple[int, Any]] = deque()
    while todo or queued:
        while queued and queued[0][1].ready():
            start, result = queued.popleft()
            done[start] = result.get()
        while todo and len(queued) < workers * QUEUED_PER_WORKER:
            start = todo.popleft()
            stop = min(start + PART, count)
            queued.append((start, pool.apply_async(_read_inherited, (read_part, start, stop))))
        if todo:
            start = todo.pop()
        elif queued:
            start, result = queued.popleft()
            if result.ready():
                done[start] = result.get()
                continue
        else:
            break
        done[start] = read_part(state, start, min(start + PART, count))
    return [done[start] for start in range(0, count, PART)]


def _workers(count: int) -> int:
    from packager.context import usable_cores
    from packager.processes import start_method

    if count < MIN_ITEMS or start_method() != "fork" or threading.active_count() > 1:
        return 0
    return min(usable_cores() - 1, MAX_WORKERS, count // MIN_ITEMS)


def _read_inherited(read_part: Callable[[Any, int, int], Result], start: int, stop: int) -> Result:
    """In a forked worker: its part of the state it inherited."""
    return read_part(_inherited, start, stop)
