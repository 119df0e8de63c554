"""`packager check`: validate packages (ours or other tools') against the official XSDs."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from packager.cli.options import OUTPUT_FORMAT, QUIET, VERBOSE, OutputFormat, Verbosity
from packager.cli.patterns import expand

PACKAGE_SUFFIXES = (".zip", ".imscc", ".xml")  # what a folder argument stands for


def check(
    packages: list[Path] = typer.Argument(
        ...,
        help="Package zips (.zip, .imscc), single XML files, or folders of them (a build's "
        "dist/: its .zip, .imscc and .xml files).",
        callback=expand,
    ),
    xsd_dir: Path = typer.Option(
        None,
        "--xsd-dir",
        help="Folder of official XSDs laid out like shared/xsd; default: $PACKAGER_XSD_DIR, "
        "else the copy `packager xsd install` installed.",
    ),
    output: OutputFormat = OUTPUT_FORMAT,
    quiet: bool = QUIET,
    verbose: bool = VERBOSE,
) -> None:
    """Check packages: every XML file against its XSD, manifest references, Canvas rules."""
    from packager.cli.report import print_json, printable, result_document
    from packager.errors import ExitCode, UsageError
    from packager.package_check import check_package
    from packager.xsd import ENV_VAR, xsd_dir_from

    talk = Verbosity(quiet, verbose)
    directory = xsd_dir_from(xsd_dir)
    if directory is None:
        raise UsageError(
            "packager check needs the official XSDs",
            hints=[
                "run `packager xsd install` once, or pass --xsd-dir DIR or set "
                f"{ENV_VAR} (a folder laid out like shared/xsd)"
            ],
        )
    talk.detail(f"XSDs from {directory}")
    results = []
    for package in _expanded(packages):
        started = time.perf_counter()
        results.append(check_package(package, directory))
        talk.detail(f"{package}: checked in {time.perf_counter() - started:.2f} s")
    ok = all(r.ok for r in results)
    code = ExitCode.OK if ok else ExitCode.INVALID_OUTPUT
    if output is OutputFormat.json:
        failure = f"{sum(not r.ok for r in results)} of {len(results)} packages have problems"
        print_json(
            result_document(int(code), failure, {"packages": [r.to_json() for r in results]})
        )
    else:
        for r in results:
            if not r.ok or not quiet:
                status = "ok" if r.ok else "INVALID"
                unchecked = [f.path for f in r.files if f.schema is None and not f.problems]
                untested = (f" ({len(unchecked)} with no XSD to check against: "
                            f"{', '.join(unchecked[:3])}{', …' if len(unchecked) > 3 else ''})"
                            if unchecked else "")
                typer.echo(printable(
                    f"{r.package}: {r.kind} package, {len(r.files)} XML "
                    f"file{'' if len(r.files) == 1 else 's'}{untested}: {status}"))
                if r.os_files and not quiet:
                    n = len(r.os_files)
                    shown = ", ".join(r.os_files[:2]) + (", …" if n > 2 else "")
                    typer.echo(printable(
                        f"  note: {n} entr{'y is' if n == 1 else 'ies are'} what macOS or "
                        f"Windows adds to a zip, not checked: {shown}"))
            for problem in r.package_problems:
                typer.echo(printable(f"  {problem}"))
            for f in r.files:
                for problem in f.problems:
                    typer.echo(printable(f"  {problem}"))
    raise typer.Exit(int(code))


def _expanded(paths: list[Path]) -> list[Path]:
    """Files as given; a folder as the packages directly in it, sorted (a shell on Windows
    does not expand `dist\\*.zip`, so `packager check dist` is how a release is checked)."""
    from packager.errors import UsageError
    from packager.relpath import posix_order

    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            (p for p in path.iterdir()
             if p.is_file() and p.suffix.lower() in PACKAGE_SUFFIXES
             and not p.name.startswith(".")),
            key=posix_order,
        )
        if not inside:
            raise UsageError(
                f"{path}: no packages in this folder",
                hints=[f"packager check reads {', '.join(PACKAGE_SUFFIXES)} files"],
            )
        found.extend(inside)
    return found
