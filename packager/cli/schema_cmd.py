"""`packager schema`: print the published JSON Schema."""

from __future__ import annotations

import typer

from packager.cli.options import QUIET, VERBOSE, Verbosity


def schema(quiet: bool = QUIET, verbose: bool = VERBOSE) -> None:
    """Print the JSON Schema of the canonical question-bank format."""
    from packager.schema import SCHEMA_FILE, schemas_root

    path = schemas_root() / SCHEMA_FILE
    Verbosity(quiet, verbose).detail(f"schema: {path}")
    typer.echo(path.read_text(encoding="utf-8"), nl=False)
