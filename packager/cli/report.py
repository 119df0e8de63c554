"""Printing diagnostics and errors to stderr; the only place that formats them for people."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from packager.diagnostics import Diagnostic
from packager.errors import PackagerError


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    if not diagnostics:
        return
    console = _console()
    for d in diagnostics:
        style = "red" if d.is_error else "yellow"
        head = f"{d.location()}: [{style}]{d.severity.value}[/{style}] [bold]{d.code}[/bold]"
        if d.question_id:
            head += f" question '{d.question_id}'"
        if d.pointer is not None:
            head += f" at {d.pointer or '/'}"
        console.print(head + ": " + _escape(d.message))
        if d.hint:
            console.print("    [dim]hint:[/dim] " + _escape(d.hint))


def _escape(text: str) -> str:
    from rich.markup import escape

    return str(escape(text))


def print_error(error: PackagerError) -> None:
    print_diagnostics(error.diagnostics)
    console = _console()
    console.print(f"[red]error:[/red] {_escape(error.message)}")
    for hint in error.hints:
        console.print(f"    [dim]hint:[/dim] {_escape(hint)}")


def print_json(payload: dict[str, Any]) -> None:
    from packager.jsonfmt import dumps

    sys.stdout.write(dumps(payload))
