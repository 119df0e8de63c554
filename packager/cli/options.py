"""The options every command shares, and what they mean for what is printed where.

- `--format text|json`: json prints exactly one JSON document on stdout, in every outcome
  (the error document of a failure is printed by `cli.main`, see `json_requested`).
- `-q/--quiet`: only errors (and the data a command exists to print: `schema`, `formats`,
  a JSON document, `export -o -`).
- `-v/--verbose`: also detail: detected formats, paths, timings.
Progress and logs always go to stderr, so stdout holds only the result.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import typer

from packager.cli.report import printable


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


# What export and build say when they found no XSDs to validate against.
NO_XSDS_NOTE = (
    "note: no XSDs (run `packager xsd install`, or give --xsd-dir or PACKAGER_XSD_DIR); "
    "official-XSD validation was skipped"
)
QUIET = typer.Option(False, "--quiet", "-q", help="Print only errors.")
VERBOSE = typer.Option(
    False, "--verbose", "-v", help="Also print detail: detected formats, paths, timings."
)
OUTPUT_FORMAT = typer.Option(
    OutputFormat.text,
    "--format",
    help="text for people; json: exactly one JSON document on stdout, also on failure.",
)
STDIO = "-"  # a file argument that means stdin (or, for an output, stdout)
DEFAULT_BANKS = Path("content")  # what validate, export and preview read when given nothing


def bank_paths(given: list[Path] | None) -> list[Path]:
    """The banks and folders given, else content/ when it is here: given nothing where it is
    not, the error was "content: no such file or folder", which the user never typed."""
    from packager.errors import UsageError

    if given:
        return given
    if not DEFAULT_BANKS.exists():
        raise UsageError(
            f"no banks given, and no {DEFAULT_BANKS}/ folder here (read when none are given)",
            hints=["give bank files or folders, e.g. packager validate quiz.json banks/"])
    return [DEFAULT_BANKS]


@dataclass(frozen=True)
class Verbosity:
    """What a command prints besides its result; both flags at once is a usage error."""

    quiet: bool = False
    verbose: bool = False

    def __post_init__(self) -> None:
        if self.quiet and self.verbose:
            from packager.errors import UsageError

            raise UsageError("--quiet and --verbose contradict each other", hints=["give one"])

    def info(self, message: str) -> None:
        """A log line (stderr) that --quiet silences."""
        if not self.quiet:
            typer.echo(printable(message), err=True)

    def detail(self, message: str) -> None:
        """A log line (stderr) only --verbose shows."""
        if self.verbose:
            typer.echo(printable(message), err=True)

    def result(self, message: str) -> None:
        """A line of the text-mode result (stdout) that --quiet silences."""
        if not self.quiet:
            typer.echo(printable(message))


def json_requested(argv: list[str], commands: dict[str, Callable[..., object]]) -> bool:
    """Whether this command line asks a command that has a JSON mode for `--format json`.

    Read from the arguments themselves, so that a failure before the command runs (an unknown
    option, a missing argument) is reported as JSON too. `commands` maps names ("validate",
    "xsd status") to command functions; a command has a JSON mode when it declares OUTPUT_FORMAT (export's `--format`
    names package formats)."""
    args = argv[: argv.index("--")] if "--" in argv else argv
    words = [a for a in args if not a.startswith("-")][:2]  # "validate", or "xsd status"
    command = commands.get(" ".join(words)) or commands.get(words[0] if words else "")
    if command is None or not any(
        p.default is OUTPUT_FORMAT for p in inspect.signature(command).parameters.values()
    ):
        return False
    return any(
        a == "--format=json" or (a == "--format" and nxt == "json")
        for a, nxt in zip(args, [*args[1:], ""], strict=True)
    )
