"""`packager build`: every configured bank × format, reproducible, incremental, parallel."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import typer

from packager.cli.validate import OutputFormat


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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Plain one-line-per-file logs."),
    output: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="text, or json for the whole result on stdout."
    ),
) -> None:
    """Build release packages for CI: SHA256SUMS and build-report.json included."""
    from packager import build as b
    from packager.cli.report import print_diagnostics, print_json
    from packager.config import load_config
    from packager.context import BuildContext
    from packager.errors import ExitCode, UsageError
    from packager.fsutil import output_folder, write_atomic
    from packager.pipeline import kept_for_good, prewarm_schemas
    from packager.xsd import xsd_dir_from

    started = time.perf_counter()
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
    prewarm_schemas(targets, ctx)  # compiles on the other core while the banks load
    with kept_for_good():
        loaded = b.load_all(paths)
    plain = quiet or output is OutputFormat.json or not sys.stderr.isatty()
    if output is OutputFormat.text:
        for item in loaded:
            print_diagnostics([d for d in item.diagnostics if not d.is_error])
    with output_folder(out_dir):  # one build at a time per folder
        build_plan = b.plan(loaded, targets, ctx, out_dir, force)
        n_jobs = jobs or cfg.jobs or b.default_jobs()

        def log(result: b.JobResult) -> None:
            if output is OutputFormat.text and plain:
                status = "built" if result.status == "built" else "FAILED"
                name = result.name or f"{result.bank_id} {result.target}"
                typer.echo(f"{status} {name} ({result.seconds:.2f} s)", err=True)

        if plain or not build_plan.todo:
            results = b.run(build_plan, ctx, n_jobs, log)
        else:
            results = _run_with_progress(b, build_plan, ctx, n_jobs)
        code = b.first_failure_code(results)
        if code is not None:
            _report_failure(results, code, output)
            b.discard_staged(results)
            typer.echo("build failed: nothing was written", err=True)
            raise typer.Exit(int(code))
        removed = _publish(out_dir, results, clean)
        report = b.build_report(results, loaded, time.perf_counter() - started)
        report["removed"] = removed
        write_atomic(out_dir / b.SUMS_FILE, b.sums_text(results).encode())
        write_atomic(out_dir / b.REPORT_FILE, _json_bytes(report))
        write_atomic(out_dir / b.STATE_FILE, _json_bytes(b.state_payload(results)))
    if output is OutputFormat.json:
        print_json({"ok": True, "exit_code": int(ExitCode.OK), **report})
        return
    for r in results:
        if r.status == "cached" and not quiet:
            typer.echo(f"unchanged {r.name}", err=True)
    for name in removed:
        typer.echo(f"removed {name}", err=True)
    built = report["built"]
    typer.echo(
        f"{len(results)} packages in {out_dir} ({built} built, {report['cached']} unchanged) "
        f"in {report['seconds']:.2f} s; {b.SUMS_FILE} and {b.REPORT_FILE} written",
        err=True,
    )
    if ctx.xsd_dir is None:
        typer.echo("note: no XSD directory configured; official-XSD validation skipped", err=True)


def _report_failure(results: list[Any], code: int, output: OutputFormat) -> None:
    from packager.cli.report import print_error, print_json
    from packager.errors import PackagerError

    for r in results:
        if r.status == "failed" and r.error:
            print_error(
                PackagerError(
                    f"{r.bank} → {r.target}: {r.error['message']}", hints=r.error["hints"]
                )
            )
    if output is OutputFormat.json:
        print_json(
            {
                "ok": False,
                "exit_code": int(code),
                "failures": [r.error for r in results if r.error],
            }
        )


def _publish(out_dir: Path, results: list[Any], clean: bool) -> list[str]:
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


def _clean(out_dir: Path, results: list[Any]) -> list[str]:
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


def _run_with_progress(b: Any, build_plan: Any, ctx: Any, jobs: int) -> list[Any]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]building"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        transient=False,
    ) as progress:
        task = progress.add_task("", total=len(build_plan.todo))

        def advance(result: Any) -> None:
            progress.update(task, advance=1, description=result.name or result.target)

        results: list[Any] = b.run(build_plan, ctx, jobs, advance)
    return results
