"""`packager import`: a foreign file (GIFT) → a canonical JSON bank, validated before writing."""

from __future__ import annotations

import importlib
from pathlib import Path

import typer


def import_(
    source: Path = typer.Argument(..., help="The file to import."),
    from_: str = typer.Option(..., "--from", help="Its format: gift."),
    out: Path = typer.Option(..., "--out", "-o", help="The bank file to write (.json)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Import questions from another format into a canonical JSON bank."""
    from packager.cli.report import print_diagnostics
    from packager.errors import InputError, UsageError
    from packager.formats import READERS
    from packager.fsutil import write_atomic
    from packager.pipeline import check
    from packager.readers.base import Source
    from packager.writers.canonical import write

    name = from_.strip().lower()
    if name not in READERS:
        raise UsageError(
            f"cannot import from {from_!r}", hints=["use one of: " + ", ".join(READERS)]
        )
    if out.exists() and not force:
        raise UsageError(f"{out} exists", hints=["pass --force to overwrite it"])
    reader = importlib.import_module(READERS[name])
    source_file = Source.from_path(source)
    bank = reader.read(source_file)
    text = write(bank)
    # The written bank goes through the same checks as any bank (schema, rules, rich text),
    # as if it were already at its destination.
    target = Source(str(out), text.encode("utf-8"), out.resolve().parent)
    checked, diagnostics = check(target)
    print_diagnostics([d for d in diagnostics if not d.is_error])
    if checked is None:
        raise InputError(
            f"{source}: imported bank is not valid; nothing was written", diagnostics=diagnostics
        )
    write_atomic(out, text.encode("utf-8"))
    typer.echo(f"wrote {out} ({len(bank.questions)} questions)")
