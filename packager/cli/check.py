"""`packager check`: validate packages (ours or other tools') against the official XSDs."""

from __future__ import annotations

from pathlib import Path

import typer

from packager.cli.validate import OutputFormat


def check(
    packages: list[Path] = typer.Argument(..., help="Package zips (or single XML files)."),
    xsd_dir: Path = typer.Option(
        None,
        "--xsd-dir",
        help="Folder of official XSDs laid out like shared/xsd; default: $PACKAGER_XSD_DIR.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Check packages: every XML file against its XSD, manifest references, Canvas rules."""
    from packager.cli.report import print_json
    from packager.errors import ExitCode, UsageError
    from packager.package_check import check_package
    from packager.xsd import ENV_VAR, xsd_dir_from

    directory = xsd_dir_from(xsd_dir)
    if directory is None:
        raise UsageError(
            "packager check needs the official XSDs",
            hints=[f"pass --xsd-dir DIR or set {ENV_VAR} (a folder laid out like shared/xsd)"],
        )
    results = [check_package(p, directory) for p in packages]
    if output is OutputFormat.json:
        print_json({"ok": all(r.ok for r in results), "packages": [r.to_json() for r in results]})
    else:
        for r in results:
            status = "ok" if r.ok else "INVALID"
            typer.echo(f"{r.package}: {r.kind} package, {len(r.files)} XML files: {status}")
            for problem in r.package_problems:
                typer.echo(f"  {problem}")
            for f in r.files:
                for problem in f.problems:
                    typer.echo(f"  {problem}")
    if not all(r.ok for r in results):
        raise typer.Exit(int(ExitCode.INVALID_OUTPUT))
