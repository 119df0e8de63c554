"""Printing diagnostics and errors to stderr; the only place that formats them for people."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from packager.diagnostics import Diagnostic
from packager.errors import PackagerError

if TYPE_CHECKING:
    from rich.text import Text


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    if not diagnostics:
        return
    console = _console()
    lines = [part for d in diagnostics for part in _parts(d)]
    if not console.is_terminal:
        # No terminal reads it (a CI log, a file): the same text without rich's layout of each
        # span, which costs about 0.1 ms a line (a second for a bank of 10,000 errors).
        sys.stderr.write("".join(_plain(line) + "\n" for line in lines))
        return
    from rich.text import Text

    # One print: rich renders a call in about 0.1 ms whatever its length, and a bank of
    # 10,000 errors printed 20,000 lines.
    console.print(Text("\n").join(Text.assemble(*line) for line in lines))


# A line as pieces of text, a styled one with its style (rich's Text.assemble takes them so).
_Line = list[str | tuple[str, str]]


def _parts(d: Diagnostic) -> list[_Line]:
    """A diagnostic's lines: its own, and its hint's."""
    head: _Line = [printable(d.location()) + ": ",
                   (d.severity.value, "red" if d.is_error else "yellow"), " ", (d.code, "bold")]
    if d.question_id:
        head.append(f" question '{printable(d.question_id)}'")
    if d.pointer is not None:
        head.append(f" at {printable(d.pointer) or '/'}")
    head.append(": " + printable(d.message))
    return [head, _hint_parts(d.hint)] if d.hint else [head]


def _plain(line: _Line) -> str:
    """A line as rich writes it where no terminal reads it: its text (a line with a tab
    through rich, which expands it by the width of what comes before it on the screen)."""
    text = "".join(p if isinstance(p, str) else p[0] for p in line)
    if "\t" not in text:
        return text
    import io

    from rich.console import Console
    from rich.text import Text

    out = io.StringIO()
    Console(file=out, highlight=False, soft_wrap=True, emoji=False).print(Text.assemble(*line))
    return out.getvalue().removesuffix("\n")


def _hint_parts(hint: str) -> _Line:
    return ["    ", ("hint:", "dim"), " " + printable(hint)]


def _hint(hint: str) -> Text:
    """A hint's line. Strangers' text goes into rich as Text, never as markup: markup reads
    `\\[` as an escaped bracket and a `[word]` as a style, whatever escape() makes of them."""
    from rich.text import Text

    return Text.assemble(*_hint_parts(hint))


# Control characters other than tab and line feed: quoted from a stranger's file onto a
# terminal, escape sequences retitle the window, clear the screen or hide the lines after.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text for a terminal: control characters written as escapes (`\\x1b`)."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found[0]):02x}", text)


def print_error(error: PackagerError) -> None:
    from rich.text import Text

    print_diagnostics(error.diagnostics)
    if len(error.diagnostics) == 1 and not error.hints:
        (only,) = error.diagnostics
        if error.message == f"{only.file}: {only.message}":
            return  # the diagnostic said it, with its place and hint (a damaged zip)
    console = _console()
    console.print(Text.assemble(("error:", "red"), " " + printable(error.message)))
    for hint in error.hints:
        console.print(_hint(hint))


def print_json(payload: dict[str, Any]) -> None:
    from packager.jsonfmt import dumps

    sys.stdout.write(dumps(payload))


INTERRUPTED = 130  # the shell's code for Ctrl-C (128 + SIGINT)


def result_document(exit_code: int, failure: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A command's JSON result: `ok` and `exit_code`, and when it failed the error document's
    `error` and `diagnostics` (`failure` is the error's message), then the command's own
    fields."""
    if exit_code == 0:
        return {"ok": True, "exit_code": 0, **fields}
    return {**error_document(exit_code, failure), **fields}


def error_document(
    exit_code: int, message: str, hints: Sequence[str] = (), diagnostics: Sequence[Diagnostic] = ()
) -> dict[str, Any]:
    """The JSON document of a command that failed (README, "Machine-readable output"): what
    every `--format json` prints on stdout when there is no result to print, and the start of
    a failed command's result."""
    from packager.errors import ExitCode

    kinds = {int(code): code.name.lower() for code in ExitCode} | {INTERRUPTED: "interrupted"}
    kind = kinds.get(exit_code, "internal")
    return {
        "ok": False,
        "exit_code": exit_code,
        "error": {"kind": kind, "message": message, "hints": list(hints)},
        "diagnostics": [d.to_json() for d in diagnostics],
    }
