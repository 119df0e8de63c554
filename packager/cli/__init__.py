"""The CLI: thin commands over pipeline; main() is the single error → exit-code mapping."""

from __future__ import annotations

import contextlib
import os
import sys

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

app = typer.Typer(
    name="packager",
    help="Compile canonical JSON question banks into QTI, SCORM and native LMS packages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=bool(os.environ.get("PACKAGER_DEBUG")),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"packager {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
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
    code = _run(argv)
    if argv is None:
        _exit_now(code)
    sys.exit(code)


def _run(argv: list[str] | None) -> int:
    from packager.errors import PackagerError

    try:
        # Without standalone mode click returns an Exit's code instead of exiting.
        code = app(args=argv, standalone_mode=False)
    except PackagerError as error:
        from packager.cli.report import print_error

        print_error(error)
        return int(error.exit_code)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        # Usage errors: typer >= 0.20 vendors click as typer._click; older ones use click.
        exit_code = getattr(exc, "exit_code", None)
        if hasattr(exc, "show") and isinstance(exit_code, int):
            exc.show()
            return exit_code
        raise
    return code if isinstance(code, int) else 0


def _exit_now(code: int) -> None:
    """End the process without tearing the interpreter down.

    Every file is written (atomically) and every pool and thread has ended by now; what is
    left is freeing the loaded banks object by object, which took 0.05 s of a 1.7 s export of
    10,000 questions (more for larger banks) and does nothing useful at exit."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`… | head`) or stream
            stream.flush()
    os._exit(code)
