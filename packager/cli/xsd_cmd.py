"""`packager xsd install` and `packager xsd status`: get the official XSDs, see which are used."""

from __future__ import annotations

from pathlib import Path

import typer

from packager.cli.report import print_json
from packager.cli.validate import OutputFormat

app = typer.Typer(
    name="xsd",
    help="Install the official XSDs (checked against pinned SHA-256s) and show which are used.",
    no_args_is_help=True,
)

_SOURCES = {
    "flag": "--xsd-dir",
    "env": "PACKAGER_XSD_DIR",
    "cache": "the installed copy (packager xsd install)",
}


@app.command("install")
def install(
    source: str = typer.Option(
        None,
        "--from",
        metavar="DIR|ZIP|URL",
        help="A folder or zip laid out like shared/xsd, or an http(s) URL serving that layout "
        "(a mirror). Default: each file from its pinned upstream location.",
    ),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Download (or copy) the official XSDs into the user's cache, every file checked first.

    A file that is missing or differs from its pinned SHA-256 stops the install: nothing is
    installed and the previous installation, if any, stays as it was.
    """
    from packager import xsd_store

    try:
        done = xsd_store.install(source)
    except Exception as error:
        _json_failure(output, error)
        raise
    if output is OutputFormat.json:
        print_json(
            {
                "ok": True,
                "exit_code": 0,
                "directory": str(done.directory),
                "files": done.files,
                "bytes": done.size,
                "source": done.source,
            }
        )
        return
    typer.echo(
        f"installed {done.files} XSD files ({done.size:,} bytes, each matching its pinned "
        f"SHA-256) from {done.source} into {done.directory}"
    )


@app.command("status")
def status(
    xsd_dir: Path = typer.Option(
        None, "--xsd-dir", help="Report on this folder, as export/build/check would use it."
    ),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Say where export, build and check take the XSDs from, and whether they are intact.

    Exit code 0 when every pinned file is present and matches its SHA-256, 5 otherwise
    (including when no XSDs are found).
    """
    from packager import xsd_store
    from packager.errors import ExitCode
    from packager.xsd import locate

    try:
        directory, found_by = locate(xsd_dir)
    except Exception as error:
        _json_failure(output, error)
        raise
    check = xsd_store.verify(directory) if directory is not None else None
    ok = check is not None and check.ok
    if output is OutputFormat.json:
        print_json(
            {
                "ok": ok,
                "exit_code": int(ExitCode.OK if ok else ExitCode.INVALID_OUTPUT),
                "source": found_by,
                "directory": None if directory is None else str(directory),
                "cache_directory": str(xsd_store.installed_dir()),
                "pinned_files": len(xsd_store.pinned_files()),
                "missing": [] if check is None else list(check.missing),
                "mismatched": []
                if check is None
                else [
                    {"path": p, "expected_sha256": want, "found_sha256": got}
                    for p, want, got in check.mismatched
                ],
            }
        )
    elif directory is None or check is None:
        typer.echo(
            "no XSDs found: official-XSD validation is skipped by export and build, and "
            f"check refuses to run\n  install them with `packager xsd install` "
            f"(into {xsd_store.installed_dir()}), or give --xsd-dir / PACKAGER_XSD_DIR"
        )
    else:
        typer.echo(f"XSDs from {_SOURCES[found_by]}: {directory}")
        present = check.files - len(check.missing) - len(check.mismatched)
        typer.echo(f"{present} of {check.files} pinned files present and matching")
        for path in check.missing:
            typer.echo(f"  missing: {path}")
        for path, want, got in check.mismatched:
            typer.echo(f"  differs: {path}: SHA-256 {got}, pinned {want}")
    if not ok:
        raise typer.Exit(int(ExitCode.INVALID_OUTPUT))


def _json_failure(output: OutputFormat, error: Exception) -> None:
    """With --format json, the one JSON document for a failure (main then prints the error)."""
    from packager.errors import PackagerError

    if output is OutputFormat.json and isinstance(error, PackagerError):
        print_json(
            {
                "ok": False,
                "exit_code": int(error.exit_code),
                "error": {
                    "kind": error.exit_code.name.lower(),
                    "message": error.message,
                    "hints": list(error.hints),
                },
                "diagnostics": [d.to_json() for d in error.diagnostics],
            }
        )
