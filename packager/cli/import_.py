"""`packager import`: a foreign file (plain text, GIFT) → a canonical JSON bank, validated first."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import typer

from packager.readers.base import Source

# GIFT's own marks: a ::title::, a $CATEGORY: line, an answer block opening with = ~ # or T/F.
_GIFT = re.compile(
    r"^\s*::[^\n]*?::|^\s*\$CATEGORY:|\{\s*(?:[=~#]|(?:T|F|TRUE|FALSE)\s*(?:[#}]))", re.M
)
AUTO = "auto"
_DETECTED = {"gift": "GIFT", "text": "the plain-text layout"}


def detect(source: Source) -> str:
    """The reader for a file, from its content (never its name): GIFT's marks, else the text
    layout's; UsageError when neither fits."""
    from packager.errors import UsageError
    from packager.readers import text

    head = source.data.lstrip()[:64]
    kind = (
        "a zip archive" if head.startswith(b"PK\x03\x04")
        else "XML" if head.startswith(b"<")
        else "JSON" if head.startswith((b"{", b"["))
        else None
    )
    if kind is None:
        content = source.data.decode("utf-8-sig", errors="replace")
        if _GIFT.search(content):
            return "gift"
        if text.looks_like(content):
            return "text"
    raise UsageError(
        f"{source.name}: cannot tell its format"
        + (f" ({kind}, which no importer reads yet)" if kind else ""),
        hints=["pass --from text or --from gift; a JSON bank needs no import: "
               "packager validate FILE"],
    )


def import_(
    source: Path = typer.Argument(..., help="The file to import."),
    from_: str = typer.Option(
        AUTO, "--from", help="Its format: auto (detected from the content), text or gift."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="The bank file to write (.json)."),
    bank_id: str = typer.Option(
        None, "--id", help="The bank's id (default: from the file name)."
    ),
    title: str = typer.Option(
        None, "--title", help="The bank's title (default: the file's Title: line or name)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Import questions from another format into a canonical JSON bank."""
    from packager.cli.report import print_diagnostics
    from packager.errors import InputError, UsageError
    from packager.formats import READERS
    from packager.fsutil import write_atomic
    from packager.model.types import SLUG_PATTERN
    from packager.pipeline import check
    from packager.writers.canonical import write

    name = from_.strip().lower()
    if name != AUTO and name not in READERS:
        raise UsageError(
            f"cannot import from {from_!r}", hints=["use one of: " + ", ".join([AUTO, *READERS])]
        )
    if bank_id is not None and not (re.match(SLUG_PATTERN, bank_id) and len(bank_id) <= 64):
        raise UsageError(f"--id {bank_id!r} is not a valid bank id",
                         hints=["use lower-case letters, digits, '-' and '_' (at most 64)"])
    if title is not None and not title.strip():
        raise UsageError("--title is empty")
    if out.exists() and not force:
        raise UsageError(f"{out} exists", hints=["pass --force to overwrite it"])
    source_file = Source.from_path(source)
    if name == AUTO:
        name = detect(source_file)
        typer.echo(f"{source}: read as {_DETECTED[name]} (detected from its content; "
                   "--from chooses)", err=True)
    bank = importlib.import_module(READERS[name]).read(source_file)
    overrides = {"id": bank_id, "title": title.strip() if title else None}
    bank = bank.model_copy(update={k: v for k, v in overrides.items() if v is not None})
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
