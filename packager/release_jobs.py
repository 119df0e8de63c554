"""One job of a release build (a bank × format): its result, and running it in this process
or in a worker (a group of jobs that share work at a time)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from packager.context import BuildContext
from packager.errors import NothingToExport, PackagerError
from packager.jsonfmt import Encoded
from packager.pipeline import LoadedBank

if TYPE_CHECKING:
    from packager.richtext import Rendered

# The loaded banks by file, read by _run_job: a forked worker inherits the parent's for free,
# a spawned one receives a copy once, when it starts (adopt).
LOADED: dict[str, LoadedBank] = {}


@dataclass
class JobResult:
    bank: str  # bank file
    bank_id: str
    target: str
    status: str  # built | cached | skipped | failed
    name: str = ""
    staged: Path | None = None  # the written temp file, renamed into place when all succeed
    sha256: str = ""
    size: int = 0
    seconds: float = 0.0
    # Of the process that built it (in a parallel build: its worker); None where the
    # platform does not say (Windows), and for a cached or failed job.
    peak_rss_mb: float | None = None
    report: dict[str, Any] = field(default_factory=dict)
    input_hash: str = ""
    error: dict[str, Any] | None = None
    retried: str | None = None  # why it was built a second time (see _in_workers)
    reason: str | None = None  # skipped: why the format carries no question of the bank
    # `report` encoded for the record files by the job, where it ran (release_records.
    # summary_json); None for a result this build did not make (cached) or that failed.
    summary_json: Encoded | None = None


Job = tuple[str, str, dict[str, Any], Path]  # bank file, target, BuildContext fields, out


def _run_job(job: Job) -> JobResult:
    """One job, built on a thread of its own (processes.on_own_thread)."""
    from packager.processes import on_own_thread

    return on_own_thread(_build_job, job)


def _build_job(job: Job) -> JobResult:
    from packager.formats import TARGETS
    from packager.fsutil import staging
    from packager.pipeline import artifact_name, export
    from packager.processes import peak_rss_mb
    from packager.release_records import summary_json

    path, target, ctx_args, out = job
    loaded = LOADED[path]
    ctx = BuildContext(**ctx_args)
    start = time.perf_counter()
    try:
        # Written by the worker as it is made, into the file published if every job
        # succeeds: neither the worker nor the parent holds the package whole (a Moodle file
        # of 50,000 questions is 180 MB). A full or read-only disk fails this job like any
        # other error (exit 6), and the build publishes nothing.
        name = artifact_name(loaded.bank, target, TARGETS[target].load().EXTENSION)
        with staging(out / name) as file:
            try:
                artifact = export(loaded, target, ctx, file)
            finally:
                _forget_job_caches()
                _return_freed_memory()
            sha256, size = _digest(file)
    except NothingToExport as nothing:
        # Raised only when skipping unsupported questions (a bank has a question at least),
        # before any writer ran: this pair has no package, and the other jobs go on.
        return JobResult(
            path,
            loaded.bank.id,
            target,
            "skipped",
            seconds=time.perf_counter() - start,
            report=nothing.summary,
            reason=nothing.reason,
            summary_json=summary_json(nothing.summary),
        )
    except Exception as caught:
        exc = caught if isinstance(caught, PackagerError) else _internal_error(caught)
        return JobResult(
            path,
            loaded.bank.id,
            target,
            "failed",
            seconds=time.perf_counter() - start,
            error={
                "exit_code": int(exc.exit_code),
                "message": exc.message,
                "hints": list(exc.hints),
                "diagnostics": [d.to_json() for d in exc.diagnostics],
            },
        )
    seconds, report = time.perf_counter() - start, artifact.summary()
    return JobResult(
        path,
        loaded.bank.id,
        target,
        "built",
        name=artifact.name,
        staged=file.staged,
        sha256=sha256,
        size=size,
        seconds=seconds,
        peak_rss_mb=peak_rss_mb(),
        report=report,
        summary_json=summary_json(report),
    )


def _digest(file: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 and size of what was written into `file`, read back (from the page cache)."""
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest(), file.tell()


def _internal_error(exc: Exception) -> PackagerError:
    """A bug in a job, as a failed job's error: an lxml error, say, cannot even cross the
    process pipe (it would surface as an unpicklable-result error instead of itself)."""
    import traceback

    return PackagerError(
        f"internal error {type(exc).__name__}: {exc}",
        hints=["please report it with the bank", *traceback.format_exc().splitlines()[-8:]],
    )


def discard_staged(results: list[JobResult]) -> None:
    from packager.fsutil import discard

    for result in results:
        if result.staged is not None:
            discard(result.staged)


def _forget_job_caches() -> None:
    """Empty the writers' caches once a job is done: they hold strings and trees of the
    bank's questions for one format (Aiken's flattened options, the QTI identifiers), which
    the next job of the worker never asks for, and which keep the pages of the C heap they
    are scattered over from being given back. A job run in the build's own process before
    the workers fork would hand them to every worker."""
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith(("packager.writers.", "packager.packages.")):
            for value in list(vars(module).values()):
                # A module's own caches only: richtext.render, imported by the writers, holds
                # what loading rendered, for every job.
                if isinstance(value, _LRU_CACHE) and value.__module__ == name:
                    value.cache_clear()


_LRU_CACHE = type(lru_cache(maxsize=1)(len))


def _return_freed_memory() -> None:
    """Give the C heap's free pages back to the system between a worker's jobs.

    A SCORM job frees its 50,000 lines of quiz data, but glibc keeps the pages, and the next
    job in the same worker starts from that larger footprint (50k build: 1.44 GB peak)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the process's own libc
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None


def run_group(jobs: list[Job]) -> Iterator[JobResult]:
    """A group's jobs, one after another, doing the work they share once (_shared_work)."""
    from packager.packages import player

    with player.sharing():
        for job in jobs:
            yield _run_job(job)


def run_jobs(jobs: list[Job]) -> list[JobResult]:
    """A group's results, in a worker process (they cross back as one list)."""
    return list(run_group(jobs))


def adopt(loaded: dict[str, LoadedBank], rendered: dict[str, Rendered]) -> None:
    """A spawned worker's start: the parent's loaded banks become its own, and what loading
    them rendered is handed to render() (richtext.engine_rendered), not rendered again."""
    from packager.richtext import prerendered

    LOADED.update(loaded)
    prerendered(rendered)

