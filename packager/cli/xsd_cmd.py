"""`packager xsd install` and `packager xsd status`: get the official XSDs, see which are used."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from packager.cli.options import OUTPUT_FORMAT, QUIET, VERBOSE, OutputFormat, Verbosity
from packager.cli.report import print_json

if TYPE_CHECKING:
    from packager.xsd_store import Verification

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
    output: OutputFormat = OUTPUT_FORMAT,
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Download (or copy) the official XSDs into the user's cache, every file checked first.

    A file that is missing or differs from its pinned SHA-256 stops the install: nothing is
    installed and the previous installation, if any, stays as it was.
    """
    from packager import xsd_store

    talk = Verbosity(quiet, verbose)
    started = time.perf_counter()
    talk.detail(f"installing into {xsd_store.installed_dir()}")
    done = xsd_store.install(source)
    talk.detail(f"fetched, checked and installed in {time.perf_counter() - started:.2f} s")
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
    talk.result(
        f"installed {done.files} XSD files ({done.size:,} bytes, each matching its pinned "
        f"SHA-256) from {done.source} into {done.directory}"
    )


@app.command("status")
def status(
    xsd_dir: Path = typer.Option(
        None, "--xsd-dir", help="Report on this folder, as export/build/check would use it."
    ),
    output: OutputFormat = OUTPUT_FORMAT,
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Say where export, build and check take the XSDs from, and whether they are intact.

    Exit code 0 when every pinned file is present and matches its SHA-256, 5 otherwise
    (including when no XSDs are found). The report is printed with -q too.
    """
    from packager import xsd_store
    from packager.cli.report import error_document
    from packager.errors import ExitCode
    from packager.xsd import locate

    talk = Verbosity(quiet, verbose)
    started = time.perf_counter()
    directory, found_by = locate(xsd_dir)
    check = xsd_store.verify(directory) if directory is not None else None
    talk.detail(f"{xsd_store.installed_dir()} is the installed copy's place")
    talk.detail(f"checked in {time.perf_counter() - started:.2f} s")
    ok = check is not None and check.ok
    if output is OutputFormat.json:
        fields = {
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
        head = (
            {"ok": True, "exit_code": int(ExitCode.OK)}
            if ok
            else error_document(int(ExitCode.INVALID_OUTPUT), _problem(check), [_HOW_TO_FIX])
        )
        print_json({**head, **fields})
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


_HOW_TO_FIX = "`packager xsd install` installs the pinned set (--from DIR|ZIP|URL for a copy)"


def _problem(check: Verification | None) -> str:
    if check is None:
        return "no XSDs found (--xsd-dir, PACKAGER_XSD_DIR or an installed copy)"
    return (
        f"{len(check.missing)} pinned XSD files missing and {len(check.mismatched)} "
        f"differing from their pinned SHA-256"
    )
