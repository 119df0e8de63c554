"""The clock of the tests that bound how long an input takes (a path once quadratic).

Wall time counts the time other processes hold the cores: on a machine shared by many
jobs, tests of linear code failed their bounds (the base too). The CPU time of this process
(all its threads) and of its worker processes (once ended and reaped, as a pool's are
when its work is done) counts only the work itself, so a generous bound on it holds on a
busy machine and still fails a path that takes the square of its input."""

from __future__ import annotations

import os


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its ended worker processes."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
