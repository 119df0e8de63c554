"""Running a release build's jobs: in this process, or in worker processes (forked, or
spawned where forking is not to be had); jobs lost with a dead worker run again alone."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

from packager.context import BuildContext
from packager.errors import ExitCode
from packager.release_jobs import (
    LOADED,
    Job,
    JobResult,
    adopt,
    discard_staged,
    run_group,
    run_jobs,
)
from packager.release_plan import BuildPlan


def run(
    build_plan: BuildPlan,
    ctx: BuildContext,
    jobs: int,
    on_done: Callable[[JobResult], None] = lambda r: None,
) -> list[JobResult]:
    """Build every planned job; results in a stable order (bank file, then target order).
    A bank that every format skipped fails (_no_package)."""
    for item in build_plan.loaded:
        LOADED[item.source.name] = item
        # Computed before the workers start, so each inherits (or receives) them instead of
        # redoing them.
        _ = item.features, item.media
    ctx_args = {
        "epoch": ctx.epoch,
        "strict": ctx.strict,
        "skip_unsupported": ctx.skip_unsupported,
        "validate_output": ctx.validate_output,
        "xsd_dir": ctx.xsd_dir,
    }
    hashes = {(i.source.name, t): h for i, t, h in build_plan.todo}
    work: list[Job] = [(i.source.name, t, ctx_args, build_plan.out) for i, t, _ in build_plan.todo]
    # Longest groups first (bank size x the formats' relative costs), so the two workers
    # finish together instead of one waiting on a late QTI 3.0 job.
    from packager.formats import TARGETS

    sizes = {i.source.name: i.source.fingerprint()[1] for i in build_plan.loaded}
    groups = _shared_work(work)
    groups.sort(key=lambda g: -sum(sizes[w[0]] * TARGETS[w[1]].cost for w in g))
    results: list[JobResult] = []
    try:
        for result in _execute(groups, ctx, jobs):
            result.input_hash = hashes[(result.bank, result.target)]
            results.append(result)
            on_done(result)
    except BaseException:
        discard_staged(results)  # interrupted or a bug: leave no temp files behind
        raise
    order = {t: n for n, t in enumerate(build_plan.targets)}
    everything = results + build_plan.cached
    everything.sort(key=lambda r: (r.bank, order[r.target]))
    _no_package(everything)
    return everything


def _no_package(results: list[JobResult]) -> None:
    """Fail the skipped jobs of a bank that every format skipped: a release that silently
    leaves a bank out is not what "skip what a format cannot carry" asked for. (A bank with a
    failed job fails the build already, for that job's reason.)"""
    not_only_skipped = {r.bank for r in results if r.status != "skipped"}
    for r in results:
        if r.status == "skipped" and r.bank not in not_only_skipped:
            r.status = "failed"
            r.error = {
                "exit_code": int(ExitCode.UNSUPPORTED),
                "message": f"{r.reason}; no configured format can carry this bank, so it "
                "cannot be released",
                "hints": [
                    "add a format that carries its question types (`packager formats "
                    "--table`), or leave the bank out of `banks`"
                ],
                "diagnostics": [],
            }


def _shared_work(work: list[Job]) -> list[list[Job]]:
    """The jobs in groups run one after another by one process: alone, but for the targets
    of one bank that share work (Target.shares), which form one group in `work`'s order."""
    from packager.formats import TARGETS

    groups: dict[object, list[Job]] = {}
    for job in work:
        shares = TARGETS[job[1]].shares
        groups.setdefault((job[0], shares) if shares else job[:2], []).append(job)
    return list(groups.values())


def _execute(groups: list[list[Job]], ctx: BuildContext, jobs: int) -> Iterator[JobResult]:
    if not groups:
        return
    from packager.pipeline import prewarm_schemas
    from packager.processes import start_method

    targets = [job[1] for group in groups for job in group]
    if jobs <= 1 or len(groups) == 1:
        prewarm_schemas(targets, ctx)  # a no-op if the CLI started it
        for group in groups:
            yield from run_group(group)
        return
    method = start_method()
    if method == "fork":
        yield from _forked(groups, ctx, jobs)
    else:
        yield from _spawned(groups, jobs, method)


def _forked(work: list[list[Job]], ctx: BuildContext, jobs: int) -> Iterator[JobResult]:
    """Workers forked from this process: they inherit the loaded banks and the compiled
    schemas without pickling them, once no thread runs here."""
    from packager import xsd
    from packager.pipeline import prewarm_schemas

    prewarm_schemas([job[1] for group in work for job in group], ctx)  # no-op if started
    work = list(work)
    yield from _run_while_compiling(work, ctx)
    xsd.finish_prewarm()  # never fork while a thread runs
    if not work:
        return
    # Frozen, the inherited objects are never scanned by a worker's garbage collector: the
    # scans cost CPU and write to every object's header, which copies the parent's pages
    # into each worker.
    gc.freeze()
    # Workers live for several jobs: forking one per job cost each job the copy-on-write
    # faults of the parent's pages again (10k bench build: 15.1 s of job time against 12.9 s),
    # and since the writers stream, a worker no longer keeps a big job's heap (peak 395 MB).
    yield from _in_workers(work, min(jobs, len(work)), "fork", None)


def _spawned(work: list[list[Job]], jobs: int, method: str) -> Iterator[JobResult]:
    """Workers started afresh (Windows, macOS): each receives the loaded banks once, through
    the pool's initializer, with what loading rendered (a worker's first job would otherwise
    render every text again), and compiles the schemas its jobs need itself. So one worker
    takes every job of a format (the QTI 3.0 schema compiled once, not once per worker);
    a group of formats that share work (one bank's) stays as it is. The pool starts at
    once: a fresh process inherits no thread of this one."""
    from packager.formats import TARGETS

    by_target: dict[object, list[Job]] = {}
    for group in work:  # costliest first, as sorted
        target = group[0][1]
        # A group of formats sharing work (_shared_work) is one bank's: kept together.
        key = id(group) if TARGETS[target].shares else target
        by_target.setdefault(key, []).extend(group)
    groups = list(by_target.values())
    from packager.richtext import engine_rendered

    yield from _in_workers(groups, min(jobs, len(groups)), method, adopt, dict(LOADED),
                           engine_rendered())


def _in_workers(
    groups: list[list[Job]],
    size: int,
    method: str,
    initializer: Callable[..., object] | None,
    *initargs: object,
) -> Iterator[JobResult]:
    """Each group of jobs run in one of `size` worker processes, results as they come.

    A processes.worker_pool, not a multiprocessing.Pool: when a worker dies (killed for
    memory, a crash) a Pool waits for its result for ever, and so did the build. Here the
    pool breaks, and every job no worker finished is lost, the other workers' included. So
    once some job has come back (workers do start and run here), each lost job is run
    again alone, in a fresh worker, one at a time: a job whose worker was killed for lack of
    memory beside another big job then has the machine to itself, and a job that kills its
    worker again fails alone, saying so. Where no job came back (a spawned worker that
    cannot start), every job fails at once."""
    from concurrent.futures import Future, as_completed

    from packager.processes import worker_pool

    lost: list[tuple[Job, Exception]] = []
    came_back = False
    with worker_pool(size, method, initializer, *initargs) as pool:
        futures: dict[Future[list[JobResult]], list[Job]] = {}
        for group in groups:
            try:
                futures[pool.submit(run_jobs, group)] = group
            except Exception as broken:  # the pool broke, or a worker could not start
                lost.extend((job, broken) for job in group)
        for future in as_completed(futures):
            try:
                results = future.result()
            except Exception as stopped:
                lost.extend((job, stopped) for job in futures[future])
                continue
            came_back = True
            yield from results
    for job, first in lost:
        if not came_back:
            yield _lost(job, first, _hints(method, again=False))
            continue
        with worker_pool(1, method, initializer, *initargs) as pool:
            try:
                [result] = pool.submit(run_jobs, [job]).result()
            except Exception as again:
                yield _lost(job, again, _hints(method, again=True))
                continue
        result.retried = f"its worker process stopped ({_why(first)}); it was run again alone"
        yield result


def _hints(method: str, *, again: bool) -> list[str]:
    hints = [
        "it stopped again when it ran alone in a fresh worker: a worker killed for lack of "
        "memory ends like this; free memory, or split the bank"
        if again
        else "a worker killed for lack of memory stops like this: run the build again with "
        "--jobs 1 (one package at a time, in one process)"
    ]
    if method != "fork":
        hints.append(
            "a spawned worker runs the calling script's top level again: a script that calls "
            'packager.build must do so under `if __name__ == "__main__":`'
        )
    return hints


def _why(caught: Exception) -> str:
    return f"{type(caught).__name__}: {caught or 'no message'}"


def _lost(job: Job, caught: Exception, hints: list[str]) -> JobResult:
    """A job that a worker process never finished (or never started)."""
    path, target = job[0], job[1]
    return JobResult(
        path,
        LOADED[path].bank.id,
        target,
        "failed",
        error={
            "exit_code": int(ExitCode.INTERNAL),
            "message": (
                f"{target} of {path} was not built: a worker process of the build stopped "
                f"({_why(caught)})"
            ),
            "hints": hints,
            "diagnostics": [],
        },
    )


def _run_while_compiling(work: list[list[Job]], ctx: BuildContext) -> Iterator[JobResult]:
    """Run jobs in this process while a schema still compiles on a background thread.

    Forking must wait for that thread (a child would inherit a half-compiled schema and any
    lock libxml2 held), but libxml2 compiles without the GIL, so this process has a core to
    spare meanwhile (10k bench build: the QTI 3.0 compile outlasts loading the bank by about
    a second). The cheapest ready groups of jobs go first, so the last one overruns the
    compile by little; `work` (sorted costliest first) keeps the rest for the workers.
    """
    from packager import xsd
    from packager.formats import TARGETS

    while xsd.prewarming():
        ready = [
            group
            for group in work
            if all(xsd.ready(TARGETS[job[1]].schemas, ctx.xsd_dir) for job in group)
        ]
        if not ready:
            return
        group = ready[-1]
        work.remove(group)
        yield from run_group(group)


def default_jobs() -> int:
    from packager.context import usable_cores

    return usable_cores()


