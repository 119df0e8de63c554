"""`packager validate`: check banks and report every problem."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from packager.errors import ExitCode


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def validate(
    paths: list[Path] = typer.Argument(
        None, help="Bank files or folders of banks (default: content/).", show_default=False
    ),
    output: OutputFormat = typer.Option(
        OutputFormat.text, "--format", help="text for people, json for CI."
    ),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
) -> None:
    """Validate question banks: JSON syntax, the JSON Schema, then the rules of meaning."""
    from packager.cli.report import print_diagnostics, print_json
    from packager.pipeline import check, find_banks
    from packager.readers.base import Source

    files = find_banks(paths or [Path("content")])
    results = []
    all_diags = []
    for path in files:
        _, diagnostics = check(Source.from_path(path))
        all_diags.extend(diagnostics)
        errors = sum(d.is_error for d in diagnostics)
        warnings = len(diagnostics) - errors
        results.append(
            {
                "file": str(path),
                "valid": errors == 0 and not (strict and warnings),
                "errors": errors,
                "warnings": warnings,
            }
        )
    n_errors = sum(d.is_error for d in all_diags)
    n_warnings = len(all_diags) - n_errors
    failed = n_errors > 0 or (strict and n_warnings > 0)
    if output is OutputFormat.json:
        print_json(
            {
                "valid": not failed,
                "files": results,
                "diagnostics": [d.to_json() for d in all_diags],
            }
        )
    else:
        print_diagnostics(all_diags)
        summary = (
            f"{len(files)} bank{'s' if len(files) != 1 else ''} checked: "
            f"{n_errors} error{'s' if n_errors != 1 else ''}, "
            f"{n_warnings} warning{'s' if n_warnings != 1 else ''}"
        )
        if strict and n_warnings and not n_errors:
            summary += " (--strict: warnings count as errors)"
        typer.echo(summary, err=True)
    if not files:
        raise typer.Exit(int(ExitCode.OK))
    if failed:
        raise typer.Exit(int(ExitCode.INVALID_INPUT))
