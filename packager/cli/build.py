"""`packager build`: every configured bank × format, reproducible, incremental, parallel."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from packager.cli.options import OUTPUT_FORMAT, QUIET, VERBOSE, OutputFormat, Verbosity

if TYPE_CHECKING:
    from packager.build import BuildPlan, JobResult
    from packager.context import BuildContext


def build(
    config: Path = typer.Option(
        None,
        "--config",
        "-c",
        help="packager.toml or pyproject.toml with [tool.packager] (default: found in .).",
    ),
    out: Path = typer.Option(None, "--out", "-o", help="Output folder (overrides config)."),
    xsd_dir: Path = typer.Option(
        None, "--xsd-dir", help="Official XSD folder (or PACKAGER_XSD_DIR, or config xsd_dir)."
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
    from packager import build as b
    from packager.cli.report import print_diagnostics, print_json, result_document
    from packager.config import load_config
    from packager.context import BuildContext
    from packager.errors import ExitCode, UsageError
    from packager.fsutil import output_folder, write_atomic
    from packager.pipeline import kept_for_good, prewarm_schemas
    from packager.xsd import xsd_dir_from

    started = time.perf_counter()
    talk = Verbosity(quiet, verbose)
    cfg, base = load_config(config, Path.cwd())
    out_dir = out if out is not None else base / cfg.out
    targets = cfg.target_names()
    xsd_option = xsd_dir
    if xsd_option is None and cfg.xsd_dir and not _env_xsd():
        xsd_option = base / cfg.xsd_dir
    ctx = BuildContext(
        strict=strict or cfg.strict,
        skip_unsupported=cfg.skip_unsupported,
        xsd_dir=xsd_dir_from(xsd_option),
    )
    paths = b.expand_banks(cfg.banks, base)
    if not paths:
        raise UsageError(
            f"no bank files match {cfg.banks} under {base}",
            hints=['set banks = ["content/*.json"] in [tool.packager]'],
        )
    talk.detail(f"config: {config or base}; banks: {len(paths)}; formats: {', '.join(targets)}")
    talk.detail(f"output: {out_dir}; XSDs: {ctx.xsd_dir or 'none'}")
    prewarm_schemas(targets, ctx)  # compiles on the other core while the banks load
    with kept_for_good():
        loaded = b.load_all(paths)
    talk.detail(f"banks loaded in {time.perf_counter() - started:.2f} s")
    # Text logs go to stderr: one line per package, or a progress bar on a terminal.
    logs = output is OutputFormat.text and not quiet
    bar = logs and not verbose and sys.stderr.isatty()
    if logs:
        for item in loaded:
            print_diagnostics([d for d in item.diagnostics if not d.is_error])
    with output_folder(out_dir):  # one build at a time per folder
        build_plan = b.plan(loaded, targets, ctx, out_dir, force)
        n_jobs = jobs or cfg.jobs or b.default_jobs()

        talk.detail(f"{len(build_plan.todo)} packages to build with {n_jobs} processes")

        def log(result: b.JobResult) -> None:
            if logs:
                status = "built" if result.status == "built" else "FAILED"
                name = result.name or f"{result.bank_id} {result.target}"
                typer.echo(f"{status} {name} ({result.seconds:.2f} s)", err=True)

        if bar and build_plan.todo:
            results = _run_with_progress(build_plan, ctx, n_jobs)
        else:
            results = b.run(build_plan, ctx, n_jobs, log)
        code = b.first_failure_code(results)
        if code is not None:
            _report_failure(results, code, output)
            b.discard_staged(results)
            raise typer.Exit(int(code))
        removed = _publish(out_dir, results, clean)
        report = b.build_report(results, loaded, time.perf_counter() - started)
        report["removed"] = removed
        write_atomic(out_dir / b.SUMS_FILE, b.sums_text(results).encode())
        write_atomic(out_dir / b.REPORT_FILE, _json_bytes(report))
        write_atomic(out_dir / b.STATE_FILE, _json_bytes(b.state_payload(results)))
    if output is OutputFormat.json:
        print_json(result_document(int(ExitCode.OK), "", report))
        return
    for r in results:
        if r.status == "cached":
            talk.info(f"unchanged {r.name}")
    for name in removed:
        talk.info(f"removed {name}")
    built = report["built"]
    talk.info(
        f"{len(results)} packages in {out_dir} ({built} built, {report['cached']} unchanged) "
        f"in {report['seconds']:.2f} s; {b.SUMS_FILE} and {b.REPORT_FILE} written"
    )
    if ctx.xsd_dir is None:
        talk.info("note: no XSD directory configured; official-XSD validation skipped")


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


def _publish(out_dir: Path, results: list[JobResult], clean: bool) -> list[str]:
    """Rename the staged packages into place; the names of stale outputs removed (--clean)."""
    from packager import build as b
    from packager.fsutil import publish

    # Until the new SHA256SUMS is written, none is better than one that lies about the
    # packages: a build killed while publishing leaves old and new packages side by side.
    (out_dir / b.SUMS_FILE).unlink(missing_ok=True)
    for r in results:
        if r.status == "built" and r.staged is not None:
            publish(r.staged, out_dir / r.name)
    return _clean(out_dir, results) if clean else []


def _env_xsd() -> bool:
    import os

    from packager.xsd import ENV_VAR

    return bool(os.environ.get(ENV_VAR))


def _json_bytes(payload: dict[str, Any]) -> bytes:
    from packager.jsonfmt import dumps

    return dumps(payload).encode("utf-8")


_OUTPUT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*-\d+\.\d+\.\d+[^/]*\.(?P<fmt>[a-z0-9]+)\.[a-z.]+$")


def _clean(out_dir: Path, results: list[JobResult]) -> list[str]:
    """Remove outputs of earlier builds (our naming, a known format) that this build did not make."""
    from packager.formats import TARGETS

    current = {r.name for r in results}
    removed = []
    for path in sorted(out_dir.iterdir()) if out_dir.is_dir() else []:
        match = _OUTPUT_NAME.match(path.name)
        if path.is_file() and match and match["fmt"] in TARGETS and path.name not in current:
            path.unlink()
            removed.append(path.name)
    return removed


def _run_with_progress(build_plan: BuildPlan, ctx: BuildContext, jobs: int) -> list[JobResult]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from packager.build import run

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
