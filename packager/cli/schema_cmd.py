"""`packager schema`: print the published JSON Schema."""

from __future__ import annotations

import typer


def schema() -> None:
    """Print the JSON Schema of the canonical question-bank format."""
    from packager.schema import SCHEMA_FILE, schemas_root

    typer.echo((schemas_root() / SCHEMA_FILE).read_text(encoding="utf-8"), nl=False)
