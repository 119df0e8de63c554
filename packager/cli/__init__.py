"""The CLI: thin commands over pipeline; main() is the single error → exit-code mapping."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

from packager import __version__
from packager.cli import (
    build,
    check,
    export,
    formats_cmd,
    import_,
    preview,
    schema_cmd,
    validate,
    xsd_cmd,
)

if TYPE_CHECKING:
    from packager.errors import PackagerError

app = typer.Typer(
    name="packager",
    help="Compile canonical JSON question banks into QTI, SCORM and native LMS packages.",
    no_args_is_help=True,
    # --install-completion / --show-completion, for the shell they run in (bash, zsh, fish,
    # PowerShell: detected from the process's parents)
    add_completion=True,
    # Markdown, not rich markup: help texts name [tool.packager], which rich would swallow.
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=bool(os.environ.get("PACKAGER_DEBUG")),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"packager {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Compile canonical JSON question banks into QTI, SCORM and native LMS packages."""


app.command("validate")(validate.validate)
app.command("schema")(schema_cmd.schema)
app.command("export")(export.export)
app.command("check")(check.check)
app.command("build")(build.build)
app.command("import")(import_.import_)
app.command("formats")(formats_cmd.formats)
app.command("preview")(preview.preview)
app.add_typer(xsd_cmd.app, name="xsd")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turn PackagerError into its exit code with one clear message."""
    if argv is None:
        _utf8_output()
        # SIGTERM (`timeout`, `docker stop`, a CI job cancelled) ends the command as Ctrl-C
        # does: its workers stopped, its lock and temporary files removed (they stayed).
        signal.signal(signal.SIGTERM, _terminated)
    code = _run(argv)
    if argv is None:
        _exit_now(code)
    sys.exit(code)


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _utf8_output() -> None:
    """stdout and stderr in UTF-8 when they are not: on Windows, output redirected to a file
    or a pipe is in the ANSI code page (cp1252), which cannot hold an arrow, an emoji or most
    scripts, and a message holding one ended in a traceback (`validate --format json > out`).
    A Windows console is UTF-8 already (Python writes to it as Unicode), as are POSIX
    terminals and pipes; JSON is UTF-8 by its standard (RFC 8259)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def _run(argv: list[str] | None) -> int:
    from packager.cli.report import INTERRUPTED
    from packager.errors import PackagerError

    args = sys.argv[1:] if argv is None else argv
    try:
        # Without standalone mode click returns an Exit's code instead of exiting.
        # prog_name: `python -m packager` completes and prints usage as the command it runs.
        with _standby(args):
            code = app(args=args, prog_name="packager", standalone_mode=False)
    except PackagerError as error:
        from packager.cli.report import print_error

        print_error(error)
        _json_error(args, int(error.exit_code), error.message, error)
        return int(error.exit_code)
    except typer.Exit as done:
        return done.exit_code
    except SystemExit as stop:
        # typer ends a command whose stdout was closed by its reader (`packager schema | head`)
        # with exit(1), "a bug": the output could not be written (6), quietly, as the reader
        # chose to stop.
        cause = stop.__context__
        if isinstance(cause, OSError) and cause.errno == errno.EPIPE:
            from packager.errors import ExitCode

            return int(ExitCode.IO)
        raise
    except (typer.Abort, KeyboardInterrupt):
        return _interrupted(args)
    except OSError as exc:
        if exc.filename is not None:  # every file's error is a PackagerIOError: a bug
            _json_error(args, 1, f"internal error (a bug: please report it): {exc!r}")
            raise
        return _output_failed(exc)
    except Exception as exc:
        # Usage errors: typer >= 0.20 vendors click as typer._click; older ones use click.
        exit_code = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(exit_code, int):
            exc.show()
            message = getattr(exc, "format_message", exc.__str__)()
            _json_error(args, exit_code, str(message))
            return exit_code
        _json_error(args, 1, f"internal error (a bug: please report it): {exc!r}")
        raise
    if code == INTERRUPTED:  # typer turns Ctrl-C into Exit(130); no command exits so itself
        return _interrupted(args)
    return code if isinstance(code, int) else 0


def _output_failed(exc: OSError) -> int:
    """The standard output could not be written (a full disk, `> /dev/full`, an I/O error):
    said on stderr, if that still works (it was a traceback)."""
    from packager.errors import ExitCode

    with contextlib.suppress(OSError):
        print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
    return int(ExitCode.IO)


def _interrupted(args: list[str]) -> int:
    from packager.cli.report import INTERRUPTED

    print("Interrupted.", file=sys.stderr)
    _json_error(args, INTERRUPTED, "interrupted")
    return INTERRUPTED


def _json_error(
    args: list[str], exit_code: int, message: str, error: PackagerError | None = None
) -> None:
    """The error document on stdout when the command line asked for `--format json`."""
    from packager.cli.options import json_requested
    from packager.cli.report import error_document, print_json

    if json_requested(args, _commands(app)):
        hints, diagnostics = (error.hints, error.diagnostics) if error else ((), ())
        print_json(error_document(exit_code, message, hints, diagnostics))


def _commands(group: typer.Typer, prefix: str = "") -> dict[str, Callable[..., object]]:
    """Each command's function by its name on the command line ("validate", "xsd status")."""
    found = {
        prefix + (c.name or c.callback.__name__): c.callback
        for c in group.registered_commands
        if c.callback is not None
    }
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            name = sub.name or sub.typer_instance.info.name
            found.update(_commands(sub.typer_instance, f"{prefix}{name} "))
    return found


def _standby(args: list[str]) -> contextlib.AbstractContextManager[None]:
    """For `validate` and `export`: their rendering worker, forked before typer parses the
    arguments and before export starts compiling XSDs on a thread, which forbids a fork
    (render_pool.standby says why)."""
    if args[:1] not in (["validate"], ["export"]):
        return contextlib.nullcontext()
    from packager.context import usable_cores
    from packager.render_pool import standby

    words = args[1:]
    if not any(map(_may_name_banks, words)):
        # Given no bank, the command reads content/: its first bank is the one the standby
        # starts on at once, as on a bank file the words name (render_pool.standby), and
        # not only once the command has parsed its arguments and found it.
        words = _first_default_bank()
    return standby(usable_cores(), words, for_output=args[0] == "export")


def _may_name_banks(word: str) -> bool:
    """Whether a word of the command line may be a bank argument (stdin, a pattern, a file or
    folder), before typer tells arguments from options' values. A value taken for one only
    keeps the standby from starting early."""
    from packager.cli.options import STDIO
    from packager.cli.patterns import is_pattern

    return word == STDIO or is_pattern(word) or os.path.exists(word)


def _first_default_bank() -> list[str]:
    """The first bank a command given none checks (in content/), as a word; none if there
    is none."""
    from packager.cli.options import DEFAULT_BANKS
    from packager.pipeline import find_banks

    try:
        found = find_banks([DEFAULT_BANKS]) if DEFAULT_BANKS.is_dir() else []
    except OSError:  # unreadable: the command says so
        return []
    return [str(found[0])] if found else []


def _exit_now(code: int) -> None:
    """End the process without tearing the interpreter down.

    Every file is written (atomically) and every pool and thread has ended by now; what is
    left is freeing the loaded banks object by object, which took 0.05 s of a 1.7 s export of
    10,000 questions (more for larger banks) and does nothing useful at exit."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`… | head`) or stream
            stream.flush()
    os._exit(code)
