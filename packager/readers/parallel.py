"""A large import's independent questions read on every core, where workers can be forked.

A reader splits what it reads into parts of consecutive questions and reads each with one
function; `in_parts` runs the parts in forked worker processes and in this one, and gives the
results back in order, so the bank, the notes and the errors are those of one process reading
every question in turn. A forked worker inherits the reader's state (the lines, the parsed
tree) as it is when the pool starts: it takes its ranges through counters in shared memory,
and only its results come back pickled.

A spawned worker (Windows, macOS, `PACKAGER_START_METHOD=spawn`) inherits nothing: it would
parse the whole source again before reading its part, as long as reading the part itself.
There, with one usable core, with another thread running (a fork would copy a lock it holds,
held forever) and for a source too small for workers to pay for their start, this process
reads every question itself, through the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Any, TypeVar

from packager.processes import in_forked_workers, workers_to_fork

State = TypeVar("State")
Result = TypeVar("Result")

# Questions below which a worker is not worth starting (forking and pickling the results
# back cost a few hundredths of a second; reading a question a tenth to a third of a ms).
MIN_ITEMS = 2000
PART = 250  # questions handed over at a time: small parts share the work out evenly


def in_parts(
    read_part: Callable[[State, int, int], Result], state: State, count: int
) -> list[Result]:
    """`read_part(state, start, stop)` over consecutive parts of `range(count)`, in order.

    Its result must depend only on `state` and the range, and be picklable. The parts are
    shared as processes.shared shares them: workers from the front, this process from the
    back until they meet, and what a worker could not finish (it died) this process reads."""
    from packager.context import usable_cores

    workers = workers_to_fork(usable_cores(), count // MIN_ITEMS)
    if workers < 1:
        return [read_part(state, 0, count)]
    parts = [(start, min(start + PART, count)) for start in range(0, count, PART)]
    done = in_forked_workers(
        parts, lambda part: read_part(state, *part), _read_there, (read_part, state), workers
    )
    return [read_part(state, 0, count)] if done is None else done


def added_since(found: dict[str, bytes], count: int) -> dict[str, bytes]:
    """What a reader's `found` (media by href, added to, never changed) gained after its first
    `count` entries: what a part sends back besides its questions. A dict keeps its order."""
    return dict(islice(found.items(), count, None))


def _read_there(
    inherited: tuple[Callable[[Any, int, int], Any], Any], part: tuple[int, int]
) -> Any:
    """In a worker: its part of the state it inherited."""
    read_part, state = inherited
    return read_part(state, *part)
