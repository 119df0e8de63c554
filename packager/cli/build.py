"""`packager build`: every configured bank × format, reproducible, incremental, parallel."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from packager.cli.options import (
    NO_XSDS_NOTE,
    OUTPUT_FORMAT,
    QUIET,
    VERBOSE,
    OutputFormat,
    Verbosity,
)

if TYPE_CHECKING:
    from packager.context import BuildContext
    from packager.release_jobs import JobResult
    from packager.release_plan import BuildPlan


def build(
    config: Path = typer.Option(
        None,
        "--config",
        "-c",
        help="packager.toml or pyproject.toml with [tool.packager] (default: found in .).",
    ),
    out: Path = typer.Option(None, "--out", "-o", help="Output folder (overrides config)."),
    xsd_dir: Path = typer.Option(
        None,
        "--xsd-dir",
        help="Official XSD folder (or PACKAGER_XSD_DIR, or config xsd_dir, else the copy "
        "`packager xsd install` installed).",
    ),
    force: bool = typer.Option(False, "--force", help="Rebuild even unchanged outputs."),
    clean: bool = typer.Option(False, "--clean", help="Remove stale outputs of earlier builds."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 4) on any fidelity loss."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes."),
    output: OutputFormat = OUTPUT_FORMAT,
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Build release packages for CI: SHA256SUMS and build-report.json included."""
    from packager.cli.report import print_diagnostics, print_json, printable, result_document
    from packager.config import find_config, load_config
    from packager.context import BuildContext
    from packager.errors import ExitCode, UsageError
    from packager.fsutil import output_folder
    from packager.pipeline import kept_for_good, prewarm_schemas
    from packager.release import first_failure_code
    from packager.release_jobs import discard_staged
    from packager.release_plan import expand_banks, load_all, plan
    from packager.release_records import (
        REPORT_FILE,
        SUMS_FILE,
        build_report,
        publish,
        stale_outputs,
        write_records,
    )
    from packager.release_workers import default_jobs, run
    from packager.xsd import xsd_dir_from

    started = time.perf_counter()
    talk = Verbosity(quiet, verbose)
    cfg, base = load_config(config, Path.cwd())
    out_dir = out if out is not None else cfg.folder(cfg.out, base)
    targets = cfg.target_names()
    xsd_option, given_by = xsd_dir, "--xsd-dir"
    if xsd_option is None and cfg.xsd_dir and not _env_xsd():
        xsd_option = cfg.folder(cfg.xsd_dir, base)
        given_by = f"xsd_dir in {config or find_config(Path.cwd())} (relative to that file)"
    ctx = BuildContext(
        strict=strict or cfg.strict,
        skip_unsupported=cfg.skip_unsupported,
        xsd_dir=xsd_dir_from(xsd_option, given_by),
    )
    paths = expand_banks(cfg.banks, base, out_dir)
    found = config or find_config(Path.cwd()) or "none (defaults)"
    if not paths:
        where = ("packager.toml (or [tool.packager] in pyproject.toml): none is here, so the "
                 "default applied" if isinstance(found, str)
                 else f"[tool.packager] of {found}" if found.name == "pyproject.toml"
                 else str(found))
        raise UsageError(f"no bank files match {cfg.banks} under {base}",
                         hints=[f'set banks = ["content/*.json"] in {where}'])
    talk.detail(f"config: {found}; banks: {len(paths)}; formats: {', '.join(targets)}")
    talk.detail(f"output: {out_dir}; XSDs: {ctx.xsd_dir or 'none'}")
    prewarm_schemas(targets, ctx, paths)  # compiles on the other core while the banks load
    with kept_for_good():
        loaded = load_all(paths, base)
    talk.detail(f"banks loaded in {time.perf_counter() - started:.2f} s")
    # Text logs go to stderr: one line per package, or a progress bar on a terminal.
    logs = output is OutputFormat.text and not quiet
    bar = logs and not verbose and sys.stderr.isatty()
    if logs:
        for item in loaded:
            print_diagnostics([d for d in item.diagnostics if not d.is_error])
    with output_folder(out_dir):  # one build at a time per folder
        build_plan = plan(loaded, targets, ctx, out_dir, force)
        n_jobs = jobs or cfg.jobs or default_jobs()

        talk.detail(f"{len(build_plan.todo)} packages to build with {n_jobs} processes")

        def log(result: JobResult) -> None:
            # A skipped job is listed after the run (a bank that every format skipped fails).
            if logs and result.status != "skipped":
                status = "built" if result.status == "built" else "FAILED"
                name = result.name or f"{result.bank_id} {result.target}"
                typer.echo(printable(f"{status} {name} ({result.seconds:.2f} s)"), err=True)

        if bar and build_plan.todo:
            results = _run_with_progress(build_plan, ctx, n_jobs)
        else:
            results = run(build_plan, ctx, n_jobs, log)
        if output is OutputFormat.text:
            for r in results:
                if r.retried:
                    talk.info(f"warning: {r.name}: {r.retried}")
        code = first_failure_code(results)
        if code is not None:
            _report_failure(results, code, output)
            discard_staged(results)
            raise typer.Exit(int(code))
        removed = publish(out_dir, results, clean)
        stale = [] if clean else stale_outputs(out_dir, results)
        report = build_report(results, loaded, time.perf_counter() - started)
        report["removed"] = removed
        report["stale"] = stale
        write_records(out_dir, results, report)
    if output is OutputFormat.json:
        print_json(result_document(int(ExitCode.OK), "", report))
        return
    for r in results:
        if r.status == "cached":
            talk.info(f"unchanged {r.name}")
        elif r.status == "skipped":
            talk.info(f"skipped {r.bank_id} {r.target}: {r.reason}")
    for name in removed:
        talk.info(f"removed {name}")
    if stale:
        shown = ", ".join(stale[:5]) + (", …" if len(stale) > 5 else "")
        talk.info(f"note: {len(stale)} output{'s' if len(stale) != 1 else ''} of earlier builds "
                  f"in {out_dir} {'are' if len(stale) != 1 else 'is'} not part of this build "
                  f"(not in {SUMS_FILE}): {shown}; --clean removes them")
    built, cached = report["built"], report["cached"]
    skipped = f", {report['skipped']} skipped" if report["skipped"] else ""
    talk.info(
        f"{built + cached} packages in {out_dir} ({built} built, {cached} unchanged{skipped}) "
        f"in {report['seconds']:.2f} s; {SUMS_FILE} and {REPORT_FILE} written"
    )
    if ctx.xsd_dir is None:
        talk.info(NO_XSDS_NOTE)


_FAILED = "build failed: nothing was written"


def _report_failure(results: list[JobResult], code: int, output: OutputFormat) -> None:
    from packager.cli.report import print_error, print_json, result_document
    from packager.errors import PackagerError

    for r in results:
        if r.status == "failed" and r.error:
            print_error(
                PackagerError(
                    f"{r.bank} → {r.target}: {r.error['message']}", hints=r.error["hints"]
                )
            )
    typer.echo(_FAILED, err=True)
    if output is OutputFormat.json:
        failures = [r.error for r in results if r.error]
        print_json(result_document(int(code), _FAILED, {"failures": failures}))


def _env_xsd() -> bool:
    import os

    from packager.xsd import ENV_VAR

    return bool(os.environ.get(ENV_VAR))


def _run_with_progress(build_plan: BuildPlan, ctx: BuildContext, jobs: int) -> list[JobResult]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from packager.release_workers import run

    with Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        # stderr: stdout holds only the result (`packager build > log` captures no bar).
        console=Console(stderr=True),
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(build_plan.todo))

        def advance(result: JobResult) -> None:
            progress.update(task, advance=1, description=result.name or result.target)

        return run(build_plan, ctx, jobs, advance)
