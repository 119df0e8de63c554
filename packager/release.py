"""Release builds: every bank × format, incremental, in parallel processes, all-or-nothing.

This module plans and builds in memory; the CLI publishes (writes) the results, so a failed
build never touches the output folder. The plan is release_plan.py's, the jobs release_jobs.py's,
running them release_workers.py's, what a build writes release_records.py's; here the exit code
of a failed build, and the whole build for callers without a terminal.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from packager.context import BuildContext
from packager.errors import ExitCode, PackagerError, PackagerIOError
from packager.release_jobs import JobResult, discard_staged
from packager.release_plan import expand_banks, load_all, plan
from packager.release_records import build_report, publish, stale_outputs, write_records
from packager.release_workers import default_jobs, run


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
    out_dir = out if out is not None else cfg.folder(cfg.out, base)
    targets = cfg.target_names()
    if xsd_dir is None and cfg.xsd_dir and not os.environ.get(ENV_VAR):
        xsd_dir = cfg.folder(cfg.xsd_dir, base)
    ctx = BuildContext(
        strict=cfg.strict, skip_unsupported=cfg.skip_unsupported, xsd_dir=xsd_dir_from(xsd_dir)
    )
    paths = expand_banks(cfg.banks, base, out_dir)
    if not paths:
        raise UsageError(f"no bank files match {cfg.banks} under {base}")
    prewarm_schemas(targets, ctx, paths)
    with kept_for_good():
        loaded = load_all(paths, base)
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
        report["stale"] = [] if clean else stale_outputs(out_dir, results)
        try:
            write_records(out_dir, results, report)
        except PackagerIOError as exc:
            raise PackagerIOError(
                f"{exc.message}; the new packages are in place, SHA256SUMS and "
                "build-report.json may be missing or older", hints=[
                    *exc.hints, "free the space or fix the folder, then build again"]) from exc
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
