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

import gc
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from packager.processes import shared, start_method, worker_pool

State = TypeVar("State")
Result = TypeVar("Result")

# Questions below which a worker is not worth starting (forking and pickling the results
# back cost a few hundredths of a second; reading a question a tenth to a third of a ms).
MIN_ITEMS = 2000
MAX_WORKERS = 7
PART = 250  # questions handed over at a time: small parts share the work out evenly

# In a worker: the reader's part function and the state it inherited (`_adopt`).
_read: Callable[[Any, int, int], Any] | None = None
_state: Any = None


def in_parts(
    read_part: Callable[[State, int, int], Result], state: State, count: int
) -> list[Result]:
    """`read_part(state, start, stop)` over consecutive parts of `range(count)`, in order.

    Its result must depend only on `state` and the range, and be picklable. The parts are
    shared as processes.shared shares them: workers from the front, this process from the
    back, and what a worker has not finished when the rest is done this process reads."""
    workers = _workers(count)
    if workers < 1:
        return [read_part(state, 0, count)]
    parts = [(start, min(start + PART, count)) for start in range(0, count, PART)]
    try:
        with worker_pool(workers, "fork", _adopt, read_part, state) as pool:
            return shared(parts, partial(_read_here, read_part, state), _read_there, pool,
                          workers)
    except OSError:  # no processes to be had (a sandbox, a limit): read here
        return [read_part(state, 0, count)]


def _workers(count: int) -> int:
    from packager.context import usable_cores

    if count < MIN_ITEMS or start_method() != "fork" or threading.active_count() > 1:
        return 0
    return min(usable_cores() - 1, MAX_WORKERS, count // MIN_ITEMS)


def _adopt(read_part: Callable[[Any, int, int], Any], state: Any) -> None:
    """A worker's start: the part function and the state, inherited (nothing is pickled),
    and no garbage collection (a forked worker's first full collection would touch, and so
    copy, the whole tree it inherited; reading makes no cycles worth collecting)."""
    global _read, _state
    _read, _state = read_part, state
    gc.disable()


def _read_here(read_part: Callable[[State, int, int], Result], state: State,
               part: tuple[int, int]) -> Result:
    return read_part(state, *part)


def _read_there(part: tuple[int, int]) -> Any:
    """In a worker: its part of the state it inherited."""
    assert _read is not None  # set by _adopt as the worker started
    return _read(_state, *part)
