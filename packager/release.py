"""Release builds: every bank × format, incremental, in parallel processes, all-or-nothing.

This module plans and builds in memory; the CLI publishes (writes) the results, so a failed
build never touches the output folder.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from packager import __version__
from packager.context import BuildContext
from packager.diagnostics import Diagnostic
from packager.errors import ExitCode, InputError, NothingToExport, PackagerError
from packager.pipeline import LoadedBank, load

STATE_FILE = ".packager-state.json"
SUMS_FILE = "SHA256SUMS"
REPORT_FILE = "build-report.json"

# 2: entries keep Artifact.summary(), not the whole per-question report.
STATE_VERSION = 2

# The loaded banks by file, read by _run_job: a forked worker inherits the parent's for free,
# a spawned one receives a copy once, when it starts (_adopt).
_LOADED: dict[str, LoadedBank] = {}


@lru_cache(maxsize=1)
def packager_fingerprint() -> str:
    """Version plus a hash of packager's own files: a changed writer or player rebuilds."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    suffixes = {".py", ".js", ".css", ".html", ".xsd", ".json"}
    for path in sorted(p for p in root.rglob("*") if p.suffix in suffixes and p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def bank_hash(loaded: LoadedBank) -> str:
    """The bank file and every media file it uses (read once per bank, not per target)."""
    digest = hashlib.sha256(loaded.source.fingerprint()[0].encode())
    for media in loaded.media:
        digest.update(media.href.encode() + b"\0")
        digest.update(media.path.read_bytes())
    return digest.hexdigest()


def input_hash(loaded: LoadedBank, target: str, ctx: BuildContext, bank: str = "") -> str:
    """What decides whether (bank, target) must be rebuilt; `bank` is bank_hash(loaded)."""
    digest = hashlib.sha256()
    for part in (
        packager_fingerprint(),
        target,
        f"strict={ctx.strict};skip={ctx.skip_unsupported};epoch={ctx.epoch}",
        f"xsd={ctx.xsd_dir is not None and ctx.validate_output}",
        bank or bank_hash(loaded),
    ):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def expand_banks(patterns: list[str], base: Path) -> list[Path]:
    """Bank files matching the globs, as paths relative to the working folder when possible,
    so messages and reports do not depend on where the checkout lives."""
    found: list[Path] = []
    cwd = Path.cwd()
    for pattern in patterns:
        for path in sorted(p for p in base.glob(pattern) if p.is_file()):
            found.append(Path(os.path.relpath(path, cwd)) if path.is_relative_to(cwd) else path)
    return list(dict.fromkeys(found))


def load_all(paths: list[Path]) -> list[LoadedBank]:
    """Load every bank; one InputError with the diagnostics of all invalid banks."""
    loaded: list[LoadedBank] = []
    diagnostics: list[Diagnostic] = []
    bad: list[str] = []
    for path in paths:
        try:
            item = load(path)
            loaded.append(dataclasses.replace(item, source=item.source.without_data()))
        except InputError as exc:
            diagnostics.extend(exc.diagnostics)
            bad.append(str(path))
    if bad:
        raise InputError(
            f"{len(bad)} invalid bank{'s' if len(bad) != 1 else ''} ({', '.join(bad)}); "
            "nothing was built",
            diagnostics=diagnostics,
        )
    ids: dict[str, str] = {}
    for item in loaded:
        other = ids.setdefault(item.bank.id, item.source.name)
        if other != item.source.name:
            raise InputError(
                f"banks {other} and {item.source.name} have the same id '{item.bank.id}'",
                hints=["output names derive from the bank id; give each bank its own"],
            )
    return loaded


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


Job = tuple[str, str, dict[str, Any], Path]  # bank file, target, BuildContext fields, out


def _run_job(job: Job) -> JobResult:
    from packager.fsutil import stage
    from packager.pipeline import export
    from packager.processes import peak_rss_mb

    path, target, ctx_args, out = job
    loaded = _LOADED[path]
    ctx = BuildContext(**ctx_args)
    start = time.perf_counter()
    try:
        try:
            artifact = export(loaded, target, ctx)
        finally:
            _return_freed_memory()
        # Written by the worker: the parent neither receives the bytes nor holds them (it
        # stays small, and every later worker forks from it). A full or read-only disk
        # fails this job like any other error (exit 6), and the build publishes nothing.
        staged = stage(out / artifact.name, artifact.data)
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
    return JobResult(
        path,
        loaded.bank.id,
        target,
        "built",
        name=artifact.name,
        staged=staged,
        sha256=hashlib.sha256(artifact.data).hexdigest(),
        size=len(artifact.data),
        seconds=time.perf_counter() - start,
        peak_rss_mb=peak_rss_mb(),
        report=artifact.summary(),
    )


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


# What jobs send back and the state keeps of each artefact's fidelity (Artifact.summary).
SUMMARY_KEYS = ("questions_exported", "questions_skipped", "fidelity", "xsd_validated")


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


def read_state(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def _sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class BuildPlan:
    loaded: list[LoadedBank]
    targets: list[str]
    todo: list[tuple[LoadedBank, str, str]]  # bank, target, input hash
    cached: list[JobResult]
    out: Path


def plan(
    loaded: list[LoadedBank], targets: list[str], ctx: BuildContext, out: Path, force: bool
) -> BuildPlan:
    state = read_state(out).get("entries", {})
    todo: list[tuple[LoadedBank, str, str]] = []
    cached: list[JobResult] = []
    for item in loaded:
        bank = bank_hash(item)
        for target in targets:
            digest = input_hash(item, target, ctx, bank)
            key = f"{item.source.name}::{target}"
            entry = state.get(key)
            if (
                not force
                and entry
                and entry.get("input_hash") == digest
                and _sha256_file(out / entry["name"]) == entry.get("sha256")
            ):
                cached.append(
                    JobResult(
                        item.source.name,
                        item.bank.id,
                        target,
                        "cached",
                        name=entry["name"],
                        sha256=entry["sha256"],
                        size=entry.get("size", 0),
                        report=entry.get("report", {}),
                        input_hash=digest,
                    )
                )
            else:
                todo.append((item, target, digest))
    return BuildPlan(loaded, targets, todo, cached, out)


def run(
    build_plan: BuildPlan,
    ctx: BuildContext,
    jobs: int,
    on_done: Callable[[JobResult], None] = lambda r: None,
) -> list[JobResult]:
    """Build every planned job; results in a stable order (bank file, then target order).
    A bank that every format skipped fails (_no_package)."""
    for item in build_plan.loaded:
        _LOADED[item.source.name] = item
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
            yield from _run_group(group)
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
    the pool's initializer, and compiles the schemas its jobs need itself. So one worker
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
    yield from _in_workers(groups, min(jobs, len(groups)), method, _adopt, dict(_LOADED))


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
                futures[pool.submit(_run_jobs, group)] = group
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
                [result] = pool.submit(_run_jobs, [job]).result()
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
        _LOADED[path].bank.id,
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


def _run_group(jobs: list[Job]) -> Iterator[JobResult]:
    """A group's jobs, one after another, doing the work they share once (_shared_work)."""
    from packager.packages import player

    with player.sharing():
        for job in jobs:
            yield _run_job(job)


def _run_jobs(jobs: list[Job]) -> list[JobResult]:
    """A group's results, in a worker process (they cross back as one list)."""
    return list(_run_group(jobs))


def _adopt(loaded: dict[str, LoadedBank]) -> None:
    """A spawned worker's start: the parent's loaded banks become its own."""
    _LOADED.update(loaded)


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
        yield from _run_group(group)


def default_jobs() -> int:
    from packager.context import usable_cores

    return usable_cores()


def first_failure_code(results: list[JobResult]) -> ExitCode | None:
    failed = [r for r in results if r.status == "failed" and r.error]
    if not failed:
        return None
    # Precedence: invalid output (a bug) over unsupported over everything else.
    codes = {ExitCode(r.error["exit_code"]) for r in failed if r.error}
    for code in (ExitCode.INVALID_OUTPUT, ExitCode.UNSUPPORTED, ExitCode.IO):
        if code in codes:
            return code
    return min(codes)


def build_report(
    results: list[JobResult], loaded: list[LoadedBank], seconds: float
) -> dict[str, Any]:
    by_file = {i.source.name: i for i in loaded}
    banks = []
    for name, item in by_file.items():
        warnings = [d.to_json() for d in item.diagnostics if not d.is_error]
        banks.append(
            {
                "file": name,
                "id": item.bank.id,
                "version": item.bank.version,
                "questions": len(item.bank.questions),
                "warnings": warnings,
            }
        )
    artifacts = []
    for r in results:
        artifacts.append(
            {
                "bank": r.bank_id,
                "format": r.target,
                "file": r.name,
                "status": r.status,
                "size": r.size,
                "sha256": r.sha256,
                "seconds": round(r.seconds, 4),
                "peak_rss_mb": None if r.peak_rss_mb is None else round(r.peak_rss_mb),
                "retried": r.retried,
                "reason": r.reason,
                **{key: r.report.get(key) for key in SUMMARY_KEYS},
            }
        )
    return {
        "packager_version": __version__,
        "seconds": round(seconds, 3),
        "banks": banks,
        "formats": sorted({r.target for r in results}),
        "artifacts": artifacts,
        "built": sum(r.status == "built" for r in results),
        "cached": sum(r.status == "cached" for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
    }


def state_payload(results: list[JobResult]) -> dict[str, Any]:
    return {
        "version": STATE_VERSION,
        "entries": {
            f"{r.bank}::{r.target}": {
                "name": r.name,
                "sha256": r.sha256,
                "size": r.size,
                "input_hash": r.input_hash,
                "report": r.report,
            }
            for r in results
            if r.status in ("built", "cached")
        },
    }


def sums_text(results: list[JobResult]) -> str:
    lines = sorted(f"{r.sha256}  {r.name}" for r in results if r.sha256)
    return "\n".join(lines) + "\n"


# -- the whole release build, for callers without a terminal (packager.api.build) ---------


def release(
    config: Path | None,
    *,
    out: Path | None = None,
    force: bool = False,
    clean: bool = False,
    jobs: int | None = None,
    xsd_dir: Path | None = None,
    on_done: Callable[[JobResult], None] = lambda r: None,
) -> dict[str, Any]:
    """Load, plan, run and publish a build as `packager build` does; the build report.

    A failed job raises its error (the most serious, as first_failure_code ranks them)
    once every job finished, naming every failure in its hints; nothing is written then."""
    from packager.config import load_config
    from packager.errors import UsageError
    from packager.fsutil import output_folder
    from packager.pipeline import kept_for_good, prewarm_schemas
    from packager.xsd import ENV_VAR, xsd_dir_from

    started = time.perf_counter()
    cfg, base = load_config(config, Path.cwd())
    out_dir = out if out is not None else base / cfg.out
    targets = cfg.target_names()
    if xsd_dir is None and cfg.xsd_dir and not os.environ.get(ENV_VAR):
        xsd_dir = base / cfg.xsd_dir
    ctx = BuildContext(
        strict=cfg.strict, skip_unsupported=cfg.skip_unsupported, xsd_dir=xsd_dir_from(xsd_dir)
    )
    paths = expand_banks(cfg.banks, base)
    if not paths:
        raise UsageError(f"no bank files match {cfg.banks} under {base}")
    prewarm_schemas(targets, ctx)
    with kept_for_good():
        loaded = load_all(paths)
    with output_folder(out_dir):
        build_plan = plan(loaded, targets, ctx, out_dir, force)
        results = run(build_plan, ctx, jobs or cfg.jobs or default_jobs(), on_done)
        code = first_failure_code(results)
        if code is not None:
            discard_staged(results)
            raise _failure(results, code)
        removed = publish(out_dir, results, clean)
        report = build_report(results, loaded, time.perf_counter() - started)
        report["removed"] = removed
        write_records(out_dir, results, report)
    return report


def _failure(results: list[JobResult], code: ExitCode) -> PackagerError:
    from packager import errors

    kinds = {
        ExitCode.INVALID_INPUT: errors.InputError,
        ExitCode.UNSUPPORTED: errors.UnsupportedError,
        ExitCode.INVALID_OUTPUT: errors.OutputValidationError,
        ExitCode.IO: errors.PackagerIOError,
    }
    failed = [r for r in results if r.status == "failed" and r.error]
    return kinds.get(code, PackagerError)(
        f"build failed ({len(failed)} of {sum(r.status != 'skipped' for r in results)} "
        "packages): nothing was written",
        hints=[f"{r.bank} → {r.target}: {r.error['message']}" for r in failed if r.error],
    )


def publish(out_dir: Path, results: list[JobResult], clean: bool) -> list[str]:
    """Rename the staged packages into place; the names of stale outputs removed (`clean`)."""
    from packager.fsutil import publish as publish_file

    # Until the new SHA256SUMS is written, none is better than one that lies about the
    # packages: a build killed while publishing leaves old and new packages side by side.
    (out_dir / SUMS_FILE).unlink(missing_ok=True)
    for r in results:
        if r.status == "built" and r.staged is not None:
            publish_file(r.staged, out_dir / r.name)
    return remove_stale(out_dir, results) if clean else []


def write_records(out_dir: Path, results: list[JobResult], report: dict[str, Any]) -> None:
    """SHA256SUMS, build-report.json and the state the next build compares with."""
    from packager.fsutil import write_atomic
    from packager.jsonfmt import dumps

    write_atomic(out_dir / SUMS_FILE, sums_text(results).encode())
    write_atomic(out_dir / REPORT_FILE, dumps(report).encode("utf-8"))
    write_atomic(out_dir / STATE_FILE, dumps(state_payload(results)).encode("utf-8"))


# The name of a package an earlier build may have written: <id>-<version>.<format>.<ext>.
_OUTPUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*-\d+\.\d+\.\d+[^/]*\.(?P<fmt>[a-z0-9]+)\.[a-z.]+$")


def remove_stale(out_dir: Path, results: list[JobResult]) -> list[str]:
    """Remove outputs of earlier builds (our naming, a known format) this build did not make."""
    from packager.formats import TARGETS

    current = {r.name for r in results}
    removed = []
    for path in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        match = _OUTPUT_NAME.match(path.name)
        if path.is_file() and match and match["fmt"] in TARGETS and path.name not in current:
            path.unlink()
            removed.append(path.name)
    return removed
